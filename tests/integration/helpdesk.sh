#!/usr/bin/env bash
# Integration: the helpdesk desk (roles, self-actions, sessions, lock-outs, revocation, enrolment, audit) against a real chartgated.
set -u
. "$(dirname "$0")/../lib.sh"

SOFTKEY=$BIN/chartgate-softkey
RP=chartgate.local
DESK=desk-it-01		# Kemal's workstation
CART=cart-4w-01
KEMAL=u-help-kemal
OUT=$WORK/helpdesk-bodies	# every helpdesk reply body, checked for clinical content at the end

[ -x "$SOFTKEY" ] || { not_ok "chartgate-softkey is built ($SOFTKEY)"; exit 1; }

# req METHOD PATH [curl args...]: prints the body, then the status on a line of its own.
req()    { local m=$1 p=$2; shift 2; curl -s -X "$m" -w '\n%{http_code}' "$@" "$URL$p"; }
body()   { sed '$d' <<<"$1"; }
status() { tail -n1 <<<"$1"; }
code()   { body "$1" | jq -r .error.code; }
q()      { sqlite3 "$WORK/demo/chartgate.db" "$1"; }

# assertion USER WS [FILE]: a POST /v1/auth/sessions body made by the softkey.
assertion() {
	local ch
	ch=$(curl -s -X POST "$URL/v1/auth/challenge" -d '{"purpose":"login"}')
	"$SOFTKEY" assert "${3:-$WORK/demo/softkey.json}" --user "$1" --rp $RP \
		--challenge "$(jq -r .challenge <<<"$ch")" --origin "chartgate:$2" |
		jq -c --arg id "$(jq -r .challenge_id <<<"$ch")" '. + {challenge_id: $id}'
}
tap_body() { req POST /v1/auth/sessions -H "Workstation-Id: $2" -d "$1"; }
# tap USER WS [FILE]: a full tap-in; prints body + status.
tap()    { tap_body "$(assertion "$1" "$2" "${3:-}")" "$2"; }
token()  { body "$(tap "$@")" | jq -r .token; }
# as TOKEN WS METHOD PATH [curl args...]
as()     { local t=$1 w=$2; shift 2; req "$@" -H "Authorization: Bearer $t" -H "Workstation-Id: $w"; }
# desk METHOD PATH [curl args...]: Kemal at the helpdesk; keeps the body for the clinical-content check.
desk()   { local r; r=$(as "$KTOK" $DESK "$@"); body "$r" >>"$OUT"; echo "$r"; }
reason() { jq -cn --arg r "$1" '{reason: $r}'; }

start_server --challenge-rate 0 || { not_ok "chartgated starts"; exit 1; }	# taps faster than a cart: ratelimit.sh tests the limit

KTOK=$(token $KEMAL $DESK)
NTOK=$(token u-nurse-ana $CART)
ana_sid=$(q "select id from sessions where user_id='u-nurse-ana'")
PTOK=$(token u-priv-iris desk-priv-01)
BTOK=$(token u-nurse-ben $CART)
check "taps for the test" test -n "$KTOK" -a -n "$NTOK" -a -n "$PTOK" -a -n "$BTOK"
ben_sid=$(q "select id from sessions where user_id='u-nurse-ben'")
kemal_sid=$(q "select id from sessions where user_id='$KEMAL'")
kemal_cred=$(q "select id from credentials where user_id='$KEMAL'")
ana_cred=$(q "select id from credentials where user_id='u-nurse-ana'")

# ---- roles: every endpoint, nurse and privacy officer 403, no token 401 ----
endpoints=(
	"GET /v1/helpdesk/users?q=ana"
	"GET /v1/helpdesk/sessions?user=u-nurse-ana"
	"DELETE /v1/helpdesk/sessions/$ana_sid"
	"POST /v1/helpdesk/users/u-nurse-ben/unlock"
	"GET /v1/helpdesk/users/u-nurse-ben/authenticators"
	"POST /v1/helpdesk/users/u-nurse-ben/authenticators/challenge"
	"POST /v1/helpdesk/users/u-nurse-ben/authenticators"
	"DELETE /v1/helpdesk/authenticators/$ana_cred"
)
for e in "${endpoints[@]}"; do
	set -- $e
	r=$(as "$NTOK" $CART "$1" "$2" -d "$(reason 'role check')")
	check "nurse: $1 ${2%%\?*} -> 403 forbidden" test "$(status "$r")" = 403 -a "$(code "$r")" = forbidden
	r=$(as "$PTOK" desk-priv-01 "$1" "$2" -d "$(reason 'role check')")
	check "privacy officer: $1 ${2%%\?*} -> 403 forbidden" test "$(status "$r")" = 403 -a "$(code "$r")" = forbidden
	r=$(req "$1" "$2" -d "$(reason 'role check')")
	check "no token: $1 ${2%%\?*} -> 401" test "$(status "$r")" = 401
done
check "the refusals are audited" test "$(q "select count(*) from audit where kind='helpdesk' and decision='deny' and detail like '%outcome=role_not_helpdesk%'")" = 16
check "ana's session survived the nurse's attempt to end it" test "$(status "$(as "$NTOK" $CART GET /v1/me)")" = 200

# ---- users ----
r=$(desk GET "/v1/helpdesk/users?q=ana")
check "user search by name -> 200" test "$(status "$r")" = 200
check "user rows: id, user_name, display_name, roles, locked, authenticator_count" \
	bash -c "jq -e 'any(.users[]; .id == \"u-nurse-ana\" and .user_name == \"ana.ortiz\" and .display_name == \"Ana Ortiz\" and .roles == [\"nurse\"] and .locked == false and .authenticator_count == 1) and .next_cursor == null' >/dev/null <<<'$(body "$r")'"
r=$(desk GET "/v1/helpdesk/users?q=u-help")
check "user search by id finds both helpdesk users" test "$(body "$r" | jq '.users | length')" = 2
r=$(desk GET "/v1/helpdesk/users?q=a")
check "one-character search -> 400" test "$(status "$r")" = 400
r=$(desk GET "/v1/helpdesk/users")
check "search without q -> 400" test "$(status "$r")" = 400
r=$(desk GET "/v1/helpdesk/users?q=%25%25")
check "LIKE wildcards in q are literal" test "$(body "$r" | jq '.users | length')" = 0

# ---- sessions: by user and by cart, active / suspended ----
r=$(desk GET "/v1/helpdesk/sessions?workstation=$CART")
s=$(body "$r")
check "sessions by workstation -> 200, two live sessions" test "$(status "$r")" = 200 -a "$(jq '.sessions | length' <<<"$s")" = 2
check "the newest tap on the cart is active, the other suspended" test \
	"$(jq -r '[.sessions[] | .user.id + "=" + .state] | sort | join(" ")' <<<"$s")" = "u-nurse-ana=suspended u-nurse-ben=active"
check "session rows carry id, user, workstation, unit, times" \
	bash -c "jq -e 'all(.sessions[]; .id and .user.display_name and .workstation == \"$CART\" and .unit == \"4W Medicine\" and .started and .last_seen and .expires_at)' >/dev/null <<<'$s'"
r=$(desk GET "/v1/helpdesk/sessions?user=u-nurse-ana")
check "sessions by user: ana's one session, suspended" test \
	"$(body "$r" | jq -r '[.sessions[] | .id + " " + .state] | join(",")')" = "$ana_sid suspended"
NTOK=$(token u-nurse-ana $CART)
r=$(desk GET "/v1/helpdesk/sessions?user=u-nurse-ana")
check "ana taps back in: her session is active again" test "$(body "$r" | jq -r '.sessions[0].state')" = active
r=$(desk GET "/v1/helpdesk/sessions?workstation=$CART&user=u-nurse-ben")
check "both filters: ben's session only, now suspended" test \
	"$(body "$r" | jq -r '[.sessions[] | .user.id + "=" + .state] | join(" ")')" = "u-nurse-ben=suspended"
r=$(desk GET "/v1/helpdesk/sessions")
check "sessions without a filter -> 400" test "$(status "$r")" = 400

# ---- reasons ----
r=$(desk DELETE "/v1/helpdesk/sessions/$ben_sid")
check "end session without a body -> 400" test "$(status "$r")" = 400 -a "$(code "$r")" = bad_request
r=$(desk DELETE "/v1/helpdesk/sessions/$ben_sid" -d '{"reason":""}')
check "empty reason -> 400" test "$(status "$r")" = 400
r=$(desk DELETE "/v1/helpdesk/sessions/$ben_sid" -d "$(reason "$(printf '%501s' | tr ' ' x)")")
check "501-character reason -> 400" test "$(status "$r")" = 400
r=$(desk DELETE "/v1/helpdesk/sessions/$ben_sid" -d '{"reason":42}')
check "reason of the wrong type -> 400" test "$(status "$r")" = 400
check "ben's session is untouched by refused requests" test "$(status "$(as "$BTOK" $CART GET /v1/me)")" = 200

# ---- never on one's own account ----
r=$(desk DELETE "/v1/helpdesk/sessions/$kemal_sid" -d "$(reason 'ending my own')")
check "Kemal ending his own session -> 403" test "$(status "$r")" = 403 -a "$(code "$r")" = forbidden
r=$(desk DELETE "/v1/helpdesk/authenticators/$kemal_cred" -d "$(reason 'revoking my own')")
check "Kemal revoking his own key -> 403" test "$(status "$r")" = 403
r=$(desk POST "/v1/helpdesk/users/$KEMAL/unlock" -d "$(reason 'unlocking myself')")
check "Kemal unlocking himself -> 403" test "$(status "$r")" = 403
r=$(desk POST "/v1/helpdesk/users/$KEMAL/authenticators/challenge" -d '{}')
check "Kemal enrolling a key for himself -> 403" test "$(status "$r")" = 403
check "self-actions are audited" test "$(q "select count(*) from audit where kind='helpdesk' and user_id='$KEMAL' and detail like '%outcome=self_action%'")" = 4
check "Kemal's own session still works" test "$(status "$(as "$KTOK" $DESK GET /v1/me)")" = 200

# ---- end a session ----
r=$(desk DELETE "/v1/helpdesk/sessions/$ben_sid" -d "$(reason 'Ben left his session open on 4W cart 1')")
check "end ben's session -> 204" test "$(status "$r")" = 204
r=$(as "$BTOK" $CART GET /v1/me)
check "ben's token refused at once with session_ended" test "$(status "$r")" = 401 -a "$(code "$r")" = session_ended
check "the message says the helpdesk ended it" bash -c "jq -r .error.message <<<'$(body "$r")' | grep -qi helpdesk"
r=$(desk DELETE "/v1/helpdesk/sessions/$ben_sid" -d "$(reason 'again')")
check "ending it again -> 404" test "$(status "$r")" = 404
check "ana's session on the same cart is untouched" test "$(status "$(as "$NTOK" $CART GET /v1/me)")" = 200

# ---- lock-out: 5 failed taps, 429 even when valid, unlock ----
CHLOE=u-nurse-chloe
CART5=cart-5e-01
for i in 1 2 3 4 5; do
	b=$(assertion $CHLOE $CART5)
	sig=$(jq -r .signature <<<"$b")
	[ "${sig:10:1}" = A ] && n=B || n=A
	r=$(tap_body "$(jq -c --arg s "${sig:0:10}$n${sig:11}" '.signature = $s' <<<"$b")" $CART5)
	[ "$(status "$r")" = 401 ] || break
done
check "five tampered taps -> 401 each" test "$i$(status "$r")" = 5401
r=$(tap $CHLOE $CART5)
check "sixth tap, a valid one -> 429 too_many_requests" test "$(status "$r")" = 429 -a "$(code "$r")" = too_many_requests
check "the 429 says to ask the helpdesk" test "$(body "$r" | jq -r .error.message)" = \
	"This badge is locked after too many failed attempts. Ask the helpdesk to unlock it."
check "lock-out is audited" test "$(q "select count(*) from audit where kind='lock-out' and user_id='$CHLOE'")" = 1
r=$(desk GET "/v1/helpdesk/users?q=chloe")
check "user search shows chloe locked" test "$(body "$r" | jq -r '.users[0].locked')" = true
r=$(desk GET "/v1/helpdesk/users/$CHLOE/authenticators")
check "authenticator list shows the lock" test "$(body "$r" | jq -r '.authenticators[0].locked')" = true
r=$(desk POST "/v1/helpdesk/users/$CHLOE/unlock" -d '{}')
check "unlock without a reason -> 400" test "$(status "$r")" = 400
r=$(desk POST "/v1/helpdesk/users/$CHLOE/unlock" -d "$(reason 'Chloe confirmed by phone; badge was mistyped PIN')")
check "unlock -> 200 {unlocked: 1}" test "$(status "$r")" = 200 -a "$(body "$r" | jq -c .)" = '{"unlocked":1}'
r=$(tap $CHLOE $CART5)
check "after unlock the tap works" test "$(status "$r")" = 201
r=$(desk POST "/v1/helpdesk/users/u-nope/unlock" -d "$(reason 'who')")
check "unlock of an unknown user -> 404" test "$(status "$r")" = 404
# Four failures do not lock.
for i in 1 2 3 4; do
	tap_body "$(assertion u-nurse-dev cart-icu-01 | jq -c '.client_data_json = "e30"')" cart-icu-01 >/dev/null
done
check "four failures do not lock" test "$(status "$(tap u-nurse-dev cart-icu-01)")" = 201

# ---- authenticators and revocation ----
DEV=u-nurse-dev
DTOK=$(token $DEV cart-icu-01)
r=$(desk GET "/v1/helpdesk/users/$DEV/authenticators")
a=$(body "$r")
check "authenticator rows: id, aaguid, created_at, last_used_at, sign_count, revoked_at, locked" \
	bash -c "jq -e '.user_id == \"$DEV\" and (.authenticators | length) == 1 and all(.authenticators[]; .id and has(\"aaguid\") and .created_at and .last_used_at and .sign_count > 0 and .revoked_at == null and .locked == false)' >/dev/null <<<'$a'"
dev_cred=$(jq -r '.authenticators[0].id' <<<"$a")
r=$(desk DELETE "/v1/helpdesk/authenticators/$dev_cred" -d "$(reason 'Dev reported his badge lost')")
check "revoke dev's badge -> 204" test "$(status "$r")" = 204
r=$(tap $DEV cart-icu-01)
check "the revoked badge's tap -> 401" test "$(status "$r")" = 401
r=$(as "$DTOK" cart-icu-01 GET /v1/me)
check "the session opened with it is ended -> session_ended" test "$(status "$r")" = 401 -a "$(code "$r")" = session_ended
r=$(desk DELETE "/v1/helpdesk/authenticators/$dev_cred" -d "$(reason 'again')")
check "revoking it again -> 409 conflict" test "$(status "$r")" = 409
r=$(desk DELETE "/v1/helpdesk/authenticators/nope" -d "$(reason 'who')")
check "revoking an unknown id -> 404" test "$(status "$r")" = 404

# ---- enrolment of a new softkey badge ----
r=$(desk POST "/v1/helpdesk/users/$DEV/authenticators/challenge" -d '{}')
ch=$(body "$r")
check "enrol challenge -> 200 with rp, user and uv required" test "$(status "$r")" = 200 \
	-a "$(jq -r '.rp_id + " " + .user.name + " " + .user.display_name + " " + .user_verification' <<<"$ch")" = "$RP dev.patel Dev Patel required"
check "the user handle is the user id's bytes" test "$(jq -r .user.id <<<"$ch")" = "$(printf %s $DEV | basenc --base64url | tr -d '=')"
# enrol_body FILE CHALLENGE [softkey args...]: the POST body from a softkey enrolment.
enrol_body() {
	local f=$1 c=$2; shift 2
	"$SOFTKEY" enrol "$f" --rp $RP --user-id $DEV --name dev.patel --display-name "Dev Patel" --roles nurse \
		--challenge "$(jq -r .challenge <<<"$c")" --origin "chartgate:$DESK" "$@" |
		jq -c --arg id "$(jq -r .challenge_id <<<"$c")" --arg r "replacement for a lost badge" \
		'{challenge_id: $id, credential_id, client_data_json: .attestation.client_data_json,
		  attestation: {fmt: .attestation.fmt, authenticator_data: .attestation.authenticator_data,
		  signature: .attestation.signature}, reason: $r}'
}
nouv=$(enrol_body "$WORK/nouv.json" "$ch")
r=$(desk POST "/v1/helpdesk/users/$DEV/authenticators" -d "$nouv")
check "enrolment without user verification (no PIN) -> 400" test "$(status "$r")" = 400
r=$(desk POST "/v1/helpdesk/users/$DEV/authenticators" -d "$nouv")
check "the challenge was consumed by that try -> 400" test "$(status "$r")" = 400
ch=$(body "$(desk POST "/v1/helpdesk/users/$DEV/authenticators/challenge" -d '{}')")
e=$(enrol_body "$WORK/new.json" "$ch" --pin 1234)
r=$(desk POST "/v1/helpdesk/users/$DEV/authenticators" -d "$(jq -c 'del(.reason)' <<<"$e")")
check "enrolment without a reason -> 400" test "$(status "$r")" = 400
ch=$(body "$(desk POST "/v1/helpdesk/users/$DEV/authenticators/challenge" -d '{}')")
rm -f "$WORK/new.json"
e=$(enrol_body "$WORK/new.json" "$ch" --pin 1234)
r=$(as "$KTOK" $DESK POST "/v1/helpdesk/users/u-nurse-ana/authenticators" -d "$e")
check "a challenge for another user -> 400" test "$(status "$r")" = 400
ch=$(body "$(desk POST "/v1/helpdesk/users/$DEV/authenticators/challenge" -d '{}')")
rm -f "$WORK/new.json"
e=$(enrol_body "$WORK/new.json" "$ch" --pin 1234)
r=$(desk POST "/v1/helpdesk/users/$DEV/authenticators" -d "$e")
check "enrol a new softkey badge -> 201 {id, aaguid}" test "$(status "$r")" = 201 \
	-a "$(body "$r" | jq -r .id)" = "$(jq -r .credential_id <<<"$e")" \
	-a "$(body "$r" | jq -r .aaguid)" = "$(jq -r .aaguid "$WORK/new.json")"
r=$(tap $DEV cart-icu-01 "$WORK/new.json")
check "tap with the new badge -> 201 as dev" test "$(status "$r")" = 201 -a "$(body "$r" | jq -r .user.id)" = $DEV
r=$(desk GET "/v1/helpdesk/users/$DEV/authenticators")
check "dev now has a revoked and a live authenticator" test \
	"$(body "$r" | jq -r '[.authenticators[] | (.revoked_at != null)] | map(tostring) | join(",")')" = "true,false"

# ---- audit ----
check "audit: the reasons are kept in full" test \
	"$(q "select count(*) from helpdesk_actions where decision='permit' and reason in ('Ben left his session open on 4W cart 1','Chloe confirmed by phone; badge was mistyped PIN','Dev reported his badge lost','replacement for a lost badge')")" = 4
for ((i = 0; i < 4; i++)); do
	row=$(q "select h.reason, a.detail from audit a join helpdesk_actions h on h.request_id = a.request_id where a.decision='permit' and h.reason != '' order by a.seq limit 1 offset $i")
	rsn=${row%%|*}; det=${row#*|}
	want=$(printf %s "$rsn" | sha256sum | cut -d' ' -f1)
	check "audit: row $((i + 1))'s detail carries SHA-256 of its reason" test "${det#reason_sha256=}" != "$det" -a "${det:14:64}" = "$want"
done
check "audit: the chain is intact" test "$(q "select count(*) from audit a join audit b on b.seq = a.seq + 1 where b.prev_hash != a.hash")" = 0
check "audit: helpdesk_actions refuses updates" bash -c "! sqlite3 '$WORK/demo/chartgate.db' \"update helpdesk_actions set reason='x'\" 2>/dev/null"

# ---- no clinical content anywhere ----
check "helpdesk replies were collected" test -s "$OUT"
# Patient ids as whole tokens: random base64url (challenges, credential ids) may hold "p-0" by chance.
check "no helpdesk reply names a patient" bash -c "! grep -qE '(^|[^A-Za-z0-9_-])p-0[0-9]{3}([^A-Za-z0-9_-]|$)' '$OUT'"
check "no helpdesk reply carries chart words" bash -c "! grep -qiwE 'sections|section|mrn|patients?|chart|encounter' '$OUT'"
