#!/usr/bin/env bash
# Integration: task-bound access: step-up (UV via the badge PIN), sensitive sections, break-glass, unit and discharge rules, patient search, audit.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/api.bash"

NURSE=u-nurse-ana
PIN=1234
A=p-0001	# Ana's (4W), mental health section p-0001-mh
B=p-0025	# Ana's (4W), infectious disease section
OTHER=p-0003	# ICU, not Ana's, substance use section p-0003-sud
SK="$WORK/demo/softkey.json"

# step_up TOKEN PATIENT [softkey args...]: challenge, assertion, POST /v1/auth/step-up.
step_up() {
	local tok=$1 pid=$2 ch b; shift 2
	ch=$(step_up_challenge "$tok" "$pid")
	b=$(assertion_for $NURSE "$ch" "$@")
	authed "$tok" POST /v1/auth/step-up -d "$b"
}
# break_glass TOKEN PATIENT USER JSON_EXTRA [softkey args...]: a break-glass request.
break_glass() {
	local tok=$1 pid=$2 user=$3 extra=$4 ch b; shift 4
	ch=$(step_up_challenge "$tok" "$pid")
	b=$(assertion_for "$user" "$ch" "$@" | jq -c ". + $extra")
	authed "$tok" POST "/v1/patients/$pid/break-glass" -d "$b"
}
section() { authed "$1" GET "/v1/patients/$2/chart/sections/$3?purpose=${4:-TREAT}"; }
chart()   { authed "$1" GET "/v1/patients/$2/chart?purpose=${3:-TREAT}"; }
code()    { body "$1" | jq -r "$2"; }
JUST='{"reason_code":"OVRER","justification":"  Rapid response call, pt collapsed  "}'

start_server --challenge-rate 0 || { not_ok "chartgated starts"; exit 1; }	# taps faster than a cart: ratelimit.sh tests the limit
tok=$(token_of $NURSE)

# ---- sensitive sections need a step-up ----
r=$(section "$tok" $A $A-mh)
check "sensitive section without step-up -> 401 step_up_required" test "$(status "$r")" = 401 \
	-a "$(code "$r" .error.code)" = step_up_required
hdr=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $tok" -H "Workstation-Id: $WS" \
	"$URL/v1/patients/$A/chart/sections/$A-mh?purpose=TREAT" | tr -d '\r' | grep -i '^WWW-Authenticate:')
check "the 401 carries WWW-Authenticate insufficient_user_authentication, max_age=300" \
	test "$hdr" = 'WWW-Authenticate: Bearer error="insufficient_user_authentication", max_age=300'
r=$(section "$tok" $A $A-meds)
check "an ordinary section -> 200 with items, gated null" test "$(status "$r")" = 200 \
	-a "$(code "$r" '(.items | length > 0) and .gated == null and .id == "'$A-meds'"')" = true
r=$(section "$tok" $A $B-mh)
check "a section of another patient -> 404" test "$(status "$r")" = 404
r=$(authed "$tok" GET "/v1/patients/$A/chart/sections/$A-meds")
check "section without purpose -> 428" test "$(status "$r")" = 428

# ---- step-up ----
r=$(req POST /v1/auth/challenge -d "{\"purpose\":\"step_up\",\"patient_id\":\"$A\"}")
check "step_up challenge without a session -> 401" test "$(status "$r")" = 401
ch=$(step_up_challenge "$tok" $A)
check "step_up challenge asks for user verification, names the patient" \
	test "$(jq -r '.user_verification + " " + .patient_id' <<<"$ch")" = "required $A"
r=$(step_up_challenge "$tok" p-nope)
check "step_up challenge for an unknown patient -> 404" test "$(jq -r .error.code <<<"$r")" = not_found

ch=$(step_up_challenge "$tok" $A)
out=$("$SOFTKEY" assert "$SK" --user $NURSE --rp $RP --challenge "$(jq -r .challenge <<<"$ch")" \
	--origin "chartgate:$WS" --pin 9999 2>&1); rc=$?
check "wrong PIN: the softkey refuses with exit 1 and says how many tries are left" \
	bash -c "[ $rc = 1 ] && grep -qi 'wrong pin.*left' <<<'$out'"
r=$(section "$tok" $A $A-mh)
check "after a wrong PIN the server saw no step-up" test "$(status "$r")" = 401 \
	-a "$(q "select count(*) from audit where kind='step-up' and decision='permit'")" = 0

r=$(step_up "$tok" $A)
check "step-up without PIN (UV=0) -> 401" test "$(status "$r")" = 401
check "step-up without UV is audited as uv_missing" \
	test "$(q "select count(*) from audit where kind='step-up' and decision='deny' and rule='uv_missing' and patient_id='$A'")" = 1

ch=$(challenge)
b=$(assertion_for $NURSE "$ch" --pin $PIN)
r=$(authed "$tok" POST /v1/auth/step-up -d "$b")
check "a login challenge does not serve a step-up -> 401" test "$(status "$r")" = 401

r=$(step_up "$tok" $A --pin $PIN)
check "step-up with the PIN -> 200 step_up_until, patient_id, expires_in 300" test "$(status "$r")" = 200 \
	-a "$(code "$r" '.patient_id + " " + (.expires_in | tostring) + " " + (.step_up_until | type)')" = "$A 300 string"
r=$(section "$tok" $A $A-mh)
check "after step-up the sensitive section -> 200 with items, gated null" test "$(status "$r")" = 200 \
	-a "$(code "$r" '(.items | length > 0) and .gated == null and .confidentiality == "R"')" = true
r=$(chart "$tok" $A)
check "after step-up the chart opens the sensitive section too" \
	test "$(code "$r" '[.sections[] | select(.id == "'$A-mh'") | (.gated == null and (.items | length > 0))] == [true]')" = true
check "the chart's access carries step_up_until" test "$(code "$r" '.access.step_up_until | type')" = string
r=$(chart "$tok" $B)
check "a step-up for patient A does not open patient B" \
	test "$(code "$r" 'any(.sections[]; .gated == "step_up") and (.access.step_up_until == null)')" = true
r=$(section "$tok" $B $B-inf)
check "patient B's sensitive section is still 401" test "$(status "$r")" = 401

btok=$(token_of u-nurse-ben cart-4w-02)
ch=$(step_up_challenge "$tok" $A)
b=$(SK_ORIGIN=chartgate:cart-4w-02 assertion_for u-nurse-ben "$ch" --pin $PIN)
r=$(AUTH_WS=cart-4w-02 authed "$btok" POST /v1/auth/step-up -d "$b")
check "a step_up challenge of another session -> 401" test "$(status "$r")" = 401 \
	-a "$(q "select count(*) from audit where kind='step-up' and rule='challenge_other_session'")" = 1

# ---- unit and discharge rules ----
r=$(chart "$tok" p-0002)
check "not on the care team -> 403 not_on_care_team, break-glass allowed" \
	test "$(code "$r" '.error.code + " " + .error.rule + " " + (.break_glass_allowed | tostring)')" = "no_relationship not_on_care_team true"
r=$(chart "$tok" p-0004)
check "finished encounter -> 403 encounter_finished" test "$(status "$r")" = 403 -a "$(code "$r" .error.rule)" = encounter_finished
q "update encounters set ended_at = strftime('%s','now') - 3600 where id = 'e-0004-prior'"
r=$(chart "$tok" p-0004)
check "discharged an hour ago (grace 24 h) -> 200 care-team" test "$(status "$r")" = 200 -a "$(code "$r" .access.path)" = care-team
q "update encounters set ended_at = strftime('%s','now') - 86400 - 5 where id = 'e-0004-prior'"
r=$(chart "$tok" p-0004)
check "discharged just over 24 h ago -> 403 encounter_finished" test "$(code "$r" .error.rule)" = encounter_finished
tok5e=$(token_of $NURSE cart-5e-01)
r=$(AUTH_WS=cart-5e-01 chart "$tok5e" $A)
check "own patient from a cart on another unit -> 403 different_unit" test "$(status "$r")" = 403 \
	-a "$(code "$r" '.error.rule + " " + (.break_glass_allowed | tostring)')" = "different_unit true"
tokx=$(token_of $NURSE cart-unknown-9)
r=$(AUTH_WS=cart-unknown-9 chart "$tokx" $A)
check "an unknown workstation stands in no unit -> different_unit" test "$(code "$r" .error.rule)" = different_unit
r=$(chart "$tok" $OTHER BTG)
check "purpose BTG without a grant -> 400" test "$(status "$r")" = 400 -a "$(code "$r" .error.rule)" = btg_without_grant

# ---- break-glass ----
r=$(break_glass "$tok" $OTHER $NURSE "$JUST")
check "break-glass without UV -> 401" test "$(status "$r")" = 401
r=$(break_glass "$tok" $OTHER $NURSE '{"reason_code":"OVRER","justification":"  nineteen chars ok.  "}' --pin $PIN)
check "break-glass with a 19-character justification -> 400 naming justification" test "$(status "$r")" = 400 \
	-a "$(code "$r" .error.field)" = justification
r=$(break_glass "$tok" $OTHER $NURSE '{"reason_code":"BECAUSE","justification":"Rapid response call, patient collapsed"}' --pin $PIN)
check "break-glass with a bad reason code -> 400 naming reason_code" test "$(status "$r")" = 400 \
	-a "$(code "$r" .error.field)" = reason_code
# A privacy officer gets no step_up challenge; the role is refused before any assertion is read.
ptok=$(token_of u-priv-iris)
b=$(assertion_for u-priv-iris "$(challenge)" --pin $PIN | jq -c ". + $JUST")
r=$(authed "$ptok" POST "/v1/patients/$OTHER/break-glass" -d "$b")
check "break-glass by a privacy officer -> 403" test "$(status "$r")" = 403
r=$(break_glass "$tok" $OTHER $NURSE "$JUST" --pin $PIN)
check "break-glass with reason, justification and UV -> 201" test "$(status "$r")" = 201 \
	-a "$(code "$r" '.patient_id + " " + (.grant_id | startswith("bg-") | tostring) + " " + (.expires_at | type)')" = "$OTHER true string"
gid=$(code "$r" .grant_id)
r=$(chart "$tok" $OTHER BTG)
check "chart under the grant -> 200 path break-glass:ID, purpose BTG, expires_at" test "$(status "$r")" = 200 \
	-a "$(code "$r" '.access.path + " " + .access.purpose + " " + (.access.expires_at | type)')" = "break-glass:$gid BTG string"
check "break-glass counts as a step-up: the sensitive section is open" \
	test "$(code "$r" '[.sections[] | select(.id == "'$OTHER-sud'") | .gated == null and (.items | length > 0)] == [true]')" = true
r=$(chart "$tok" $OTHER ETREAT)
check "ETREAT under the grant -> 200 via break-glass" test "$(code "$r" .access.path)" = "break-glass:$gid"
r=$(chart "$tok" $OTHER TREAT)
check "TREAT under the grant -> 400 purpose_not_break_glass" test "$(code "$r" .error.rule)" = purpose_not_break_glass
r=$(chart "$tok" p-0006 BTG)
check "the grant is for one patient only" test "$(status "$r")" = 400
check "the break-glass event is stored for review (open, trimmed justification)" \
	test "$(q "select status || '|' || reason_code || '|' || justification || '|' || workstation || '|' || (revoked_at is null) from break_glass where id = '$gid'")" = "open|OVRER|Rapid response call, pt collapsed|$WS|1"

# ---- patient search ----
r=$(authed "$tok" GET "/v1/patients?q=al")
check "search with 2 characters -> 400" test "$(status "$r")" = 400
r=$(authed "$tok" GET "/v1/patients?q=DRUMM")
check "search by name substring, any case, demographics only" test "$(status "$r")" = 200 \
	-a "$(code "$r" '[.patients[].id] | index("p-0001") != null')" = true \
	-a "$(code "$r" '[.patients[] | keys] | unique == [["birth_date","display_name","id","mrn","sex","unit"]]')" = true
r=$(authed "$tok" GET "/v1/patients?q=mrn41001")
check "search by MRN prefix" test "$(code "$r" '[.patients[].id] | index("p-0001") != null')" = true
r=$(authed "$tok" GET "/v1/patients?q=MRN41&limit=2")
nc=$(code "$r" .next_cursor)
r2=$(authed "$tok" GET "/v1/patients?q=MRN41&limit=2&cursor=$nc")
check "search pages with limit and next_cursor" test "$(code "$r" '.patients | length')" = 2 -a "$nc" != null \
	-a "$(code "$r2" '.patients[0].id')" \> "$nc"
htok=$(token_of u-help-kemal)
r=$(authed "$htok" GET "/v1/patients?q=DRUMM")
check "search by helpdesk -> 403" test "$(status "$r")" = 403
check "every search is audited with its query text" \
	test "$(q "select count(*) from audit where kind='search' and detail in ('al','DRUMM','mrn41001','MRN41')")" -ge 5
check "the query text is not in the server log" bash -c "! grep -q DRUMM '$WORK/server.log'"

# ---- /me ----
r=$(authed "$tok" GET /v1/me)
check "/v1/me reports idle and absolute expiry" \
	test "$(code "$r" '(.session.idle_expires_at | type) + (.session.expires_at | type) + (.session.idle_timeout | tostring)')" = "stringstring900"

# ---- audit ----
check "audit: section deny step_up_required and permit rows" \
	test "$(q "select count(distinct decision) from audit where kind='section' and patient_id='$A' and sections='$A-mh'")" = 2
check "audit: step-up permit row" test "$(q "select count(*) from audit where kind='step-up' and decision='permit' and patient_id='$A'")" = 1
check "audit: break-glass permit with reason and path" \
	test "$(q "select count(*) from audit where kind='break-glass' and decision='permit' and rule='OVRER' and path='break-glass:$gid' and purpose='BTG'")" = 1
check "audit: break-glass refusals (UV, justification, reason, role)" \
	test "$(q "select count(distinct rule) from audit where kind='break-glass' and decision='deny' and rule in ('uv_missing','justification_short','reason_code_invalid','role_not_clinical')")" = 4
check "audit: chart read under the grant has path break-glass:ID" \
	test "$(q "select count(*) from audit where kind='chart' and decision='permit' and path='break-glass:$gid' and sections like '%$OTHER-sud%'")" -ge 1
check "audit: different_unit, encounter_finished, btg_without_grant are deny rows" \
	test "$(q "select count(distinct rule) from audit where kind='chart' and decision='deny' and rule in ('different_unit','encounter_finished','btg_without_grant')")" = 3
check "audit: rows are chained" \
	test "$(q "select count(*) from audit a join audit b on b.seq = a.seq + 1 where b.prev_hash != a.hash")" = 0
stop_server
if [ -x "$BIN/chartgated" ] && "$BIN/chartgated" --help | grep -q verify-audit; then
	check "audit: the chain verifies, search rows included" \
		bash -c "'$BIN/chartgated' --verify-audit '$WORK/demo/chartgate.db' >/dev/null"
fi

# ---- short lifetimes ----
rm -rf "$WORK/demo"
start_server --challenge-rate 0 --step-up-ttl 2 --break-glass-ttl 3 || { not_ok "chartgated restarts"; exit 1; }
tok=$(token_of $NURSE)
r=$(step_up "$tok" $A --pin $PIN)
r=$(section "$tok" $A $A-mh)
check "within --step-up-ttl the section opens" test "$(status "$r")" = 200
sleep 2.2
r=$(section "$tok" $A $A-mh)
check "after --step-up-ttl 2 the step-up has expired -> 401" test "$(status "$r")" = 401
r=$(break_glass "$tok" $OTHER $NURSE "$JUST" --pin $PIN)
r=$(chart "$tok" $OTHER BTG)
check "within --break-glass-ttl the chart opens" test "$(code "$r" .access.path)" = "break-glass:$(q "select id from break_glass where user_id='$NURSE' order by created_at desc limit 1")"
sleep 3.2
r=$(chart "$tok" $OTHER BTG)
check "after --break-glass-ttl 3 the grant has expired -> 400 btg_without_grant" test "$(code "$r" .error.rule)" = btg_without_grant
r=$(chart "$tok" $OTHER)
check "and the chart is refused again -> 403 not_on_care_team" test "$(status "$r")" = 403 -a "$(code "$r" .error.rule)" = not_on_care_team
# The request log names route patterns: a chart path would put a patient id in it.
check "no patient id reaches the server log" bash -c "! grep -qE 'p-[0-9]{4}' '$WORK/server.log'"
check "the server log names route patterns" grep -q 'GET /v1/patients/\*/chart 200' "$WORK/server.log"
