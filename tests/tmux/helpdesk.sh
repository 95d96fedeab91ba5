#!/usr/bin/env bash
# Terminal end to end at the helpdesk: Kemal finds Ana's session on a cart and ends it (her cart
# says so), a refused self-action, a lock-out shown and cleared, a new key enrolled that taps in
# as Ana, a revocation; no helpdesk screen ever shows a patient name.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_tmux.sh"
trap 'stop_clients; finish' EXIT

start_server || { not_ok "chartgated starts"; exit 1; }
# One softkey file per process: each saves its own sign counters.
for f in cart desk cli; do cp "$WORK/demo/softkey.json" "$WORK/sk-$f.json"; chmod 600 "$WORK/sk-$f.json"; done
ANA=1 KEMAL=a
SNAPS=$WORK/desk-screens	# every helpdesk screen we looked at
snap() { screen_of c2 >>"$SNAPS"; }
desk_wait() { wait_for c2 "$@" && snap; }
# Esc alone: a second one right after would read as Alt+Esc.
esc() { sleep 0.3; keys "$1" Escape; sleep 0.3; }

start_client c1 --softkey "$WORK/sk-cart.json" --workstation cart-4w-01
start_client c2 --softkey "$WORK/sk-desk.json" --workstation helpdesk-01
wait_for c1 "Tap your badge to sign in" >/dev/null
wait_for c2 "Tap your badge to sign in" >/dev/null

# --- Ana at work on her cart; Kemal at the helpdesk ---
keys c1 "$ANA"
check "Ana taps in on cart-4w-01 and sees her worklist" wait_for c1 "My patients"
keys c2 "$KEMAL"
check "Kemal lands on the helpdesk home" desk_wait "Helpdesk: find a user or a cart"

# --- by cart: Ana's session, ended with a reason ---
keys c2 Tab
desk_wait "Searching by cart" >/dev/null
keys c2 -l "cart-4w-01"; keys c2 Enter
check "the cart search lists Ana's live session, active" desk_wait "Ana Ortiz"
check "its state is in words" desk_wait "active"
keys c2 Enter
check "Enter opens Ana: her live session" desk_wait "Live sessions (1)"
check "on cart-4w-01, with when it started" desk_wait "cart-4w-01     active     started"
check "and her badge, not locked" desk_wait "badges: not locked"
keys c2 x
check "x asks for a reason to end the session" desk_wait "End the session of Ana Ortiz on cart-4w-01"
keys c2 Enter
check "no reason, no action" desk_wait "Type a reason first"
keys c2 -l "Ana left her session open on 4W cart 1"; keys c2 Enter
check "the session is ended" desk_wait "Session ended"
check "Ana has no live session any more" desk_wait "Live sessions (0)"
keys c1 r
check "Ana's cart, at her next key, says the helpdesk ended her session" \
	wait_for c1 "The helpdesk ended your session. Tap your badge to sign in again."
check "and is back on the lock screen" wait_for c1 "Tap your badge to sign in."

# --- the helpdesk never acts on its own account ---
esc c2; desk_wait "Helpdesk: find a user" >/dev/null
keys c2 Tab; desk_wait "Searching by user" >/dev/null
keys c2 -l "kemal"; keys c2 Enter; desk_wait "Kemal Yilmaz" >/dev/null; keys c2 Enter
desk_wait "u-help-kemal" >/dev/null
keys c2 u; keys c2 -l "testing myself"; keys c2 Enter
check "unlocking one's own account is refused, in words" desk_wait "Refused: the helpdesk cannot act on its own account"
esc c2; wait_gone c2 "Reason:" >/dev/null
esc c2

# --- five failed taps lock Ben's badge; the helpdesk sees it and unlocks it ---
fail_tap() {
	local ch body
	ch=$(curl -s -X POST "$URL/v1/auth/challenge" -d '{"purpose":"login"}')
	body=$("$BIN/chartgate-softkey" assert "$WORK/sk-cli.json" --user u-nurse-ben --rp chartgate.local \
		--challenge "$(jq -r .challenge <<<"$ch")" --origin "chartgate:${1:-elsewhere}" |
		jq -c --arg id "$(jq -r .challenge_id <<<"$ch")" '. + {challenge_id: $id}')
	curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/auth/sessions" -H "Workstation-Id: cart-4w-02" -d "$body"
}
for _ in 1 2 3 4 5; do fail_tap >/dev/null; done
check "a valid tap of Ben's badge is now refused as locked" test "$(fail_tap cart-4w-02)" = 429
desk_wait "Helpdesk: find a user" >/dev/null
keys c2 C-u; keys c2 -l "ben"; keys c2 Enter
check "the user search shows Ben's badge LOCKED" desk_wait "LOCKED"
keys c2 Enter
check "Ben's page says his badges are locked" desk_wait "badges: LOCKED"
keys c2 u; keys c2 -l "Ben confirmed by phone"; keys c2 Enter
check "unlock clears it" desk_wait "Unlocked"
check "Ben's page says not locked" desk_wait "badges: not locked"
check "Ben's badge taps in again" test "$(fail_tap cart-4w-02)" = 201
esc c2

# --- a new key for Ana: reason, new PIN twice on the blank key, then it taps in ---
desk_wait "Helpdesk: find a user" >/dev/null
keys c2 C-u; keys c2 -l "ana"; keys c2 Enter; desk_wait "ana.ortiz" >/dev/null; keys c2 Enter
desk_wait "Authenticators (1)" >/dev/null
keys c2 n
check "n opens the enrolment for Ana" desk_wait "Enrol a new key for u-nurse-ana"
keys c2 -l "replacement for a lost badge"; keys c2 Enter
check "the blank key asks for a new PIN, twice" desk_wait "New PIN again:"
keys c2 -l "5678"; keys c2 Tab; keys c2 -l "5679"; keys c2 Enter
check "two different PINs are caught" desk_wait "The two PINs differ"
keys c2 -l "5678"; keys c2 Enter; keys c2 -l "5678"; keys c2 Enter
check "the new key is enrolled" desk_wait "Enrolled."
check "the PINs never show" wait_gone c2 "5678" 1
check "chartgated holds Ana's second credential" \
	test "$(sqlite3 "$WORK/demo/chartgate.db" "select count(*) from credentials where user_id='u-nurse-ana'")" = 2
check "the softkey file has the new badge" bash -c "'$BIN/chartgate-softkey' list '$WORK/sk-desk.json' | grep -c 'u-nurse-ana' | grep -qx 2"
esc c2
check "Ana's page lists two authenticators" desk_wait "Authenticators (2)"
keys c2 C-x
check "the lock screen lists the new badge" wait_for c2 "c  Ana Ortiz"
keys c2 c
check "the new badge taps in as Ana" wait_for c2 "Ana Ortiz (nurse)"
check "it is the new credential that signed in" test "$(sqlite3 "$WORK/demo/chartgate.db" \
	"select count(*) from credentials where user_id='u-nurse-ana' and last_used_at is not null and aaguid is not null")" = 1

# --- revoke it: reason, then an explicit yes ---
keys c2 M-"$KEMAL"
check "Kemal's tap resumes him where he was: Ana's page" desk_wait "Authenticators (2)"
keys c2 Down Down
keys c2 r; keys c2 -l "badge found broken"; keys c2 Enter
check "revoking asks for an explicit yes" desk_wait "Revoke it for good?"
keys c2 y
check "the authenticator is revoked" desk_wait "Authenticator revoked"
check "and shown as REVOKED" desk_wait "REVOKED"

# --- never any clinical content at the helpdesk ---
names=$(sqlite3 "$WORK/demo/chartgate.db" "select display_name from patients")
leaked=$(grep -F -f <(echo "$names") "$SNAPS" | head -3)
check "no helpdesk screen showed a patient name ($(wc -l <"$SNAPS") lines looked at)" test -z "$leaked"
[ -z "$leaked" ] || echo "    leaked: $leaked"

keys c1 C-q; keys c2 C-q
check "the cart client quits cleanly" wait_for c1 "CLIENT-EXITED 0"
check "the helpdesk client quits cleanly" wait_for c2 "CLIENT-EXITED 0"
check "both clients ran clean under ASan/UBSan" client_sanitizer_clean
