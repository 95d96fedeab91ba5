#!/usr/bin/env bash
# Integration: the reviewer desk (break-glass queue, separation of duties, idempotent POSTs, access exceptions, audit query and FHIR export, 100k queue) against a real chartgated.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/api.bash"

IRIS=u-priv-iris; IDESK=desk-priv-01
JONAS=u-priv-jonas; JDESK=desk-priv-02
DCM=http://dicom.nema.org/resources/ontology/DCM
ACTREASON=http://terminology.hl7.org/CodeSystem/v3-ActReason

# as TOKEN WS METHOD PATH [curl args...]
as()   { local t=$1 w=$2; shift 2; req "$@" -H "Authorization: Bearer $t" -H "Workstation-Id: $w"; }
iris() { as "$ITOK" $IDESK "$@"; }
jonas() { as "$JTOK" $JDESK "$@"; }
js()   { body "$1" | jq -r "$2"; }
# jqok NAME RESPONSE FILTER: ok when FILTER is true on the body.
jqok() { check "$1" jqtrue "$(body "$2")" "$3"; }
# jqtrue JSON FILTER [jq args...]: FILTER is true on JSON (quietly).
jqtrue() { local j=$1 f=$2; shift 2; jq -e "$@" "$f" >/dev/null <<<"$j"; }
# jqq [jq args...] FILTER: jq -e on stdin, quietly.
jqq() { jq -e "$@" >/dev/null; }
now_plus() { date -u -d "@$(( $(date +%s) + $1 ))" +%Y-%m-%dT%H:%M:%SZ; }

start_server --challenge-rate 0 || { not_ok "chartgated starts"; exit 1; }
ITOK=$(token_of $IRIS $IDESK)
JTOK=$(token_of $JONAS $JDESK)
NTOK=$(token_of u-nurse-ana cart-4w-01)
KTOK=$(token_of u-help-kemal desk-it-01)
check "taps for the test" test -n "$ITOK" -a -n "$JTOK" -a -n "$NTOK" -a -n "$KTOK"

# ---- roles: privacy officers only ----
endpoints=(
	"GET /v1/review/break-glass"
	"GET /v1/review/break-glass/bg-demo-01"
	"POST /v1/review/break-glass/bg-demo-01/claim"
	"POST /v1/review/break-glass/bg-demo-01/decision"
	"GET /v1/review/exceptions"
	"POST /v1/review/exceptions/gr-jit-0001/revoke"
	"POST /v1/review/exceptions/gr-jit-0001/extend"
	"GET /v1/audit"
)
for e in "${endpoints[@]}"; do
	set -- $e
	r=$(as "$NTOK" cart-4w-01 "$1" "$2" -d '{"reason":"x","note":"x","decision":"appropriate"}')
	check "nurse: $1 $2 -> 403" test "$(status "$r")" = 403 -a "$(js "$r" .error.code)" = forbidden
	r=$(as "$KTOK" desk-it-01 "$1" "$2" -d '{"reason":"x","note":"x","decision":"appropriate"}')
	check "helpdesk: $1 $2 -> 403" test "$(status "$r")" = 403
	r=$(req "$1" "$2" -d '{}')
	check "no token: $1 $2 -> 401" test "$(status "$r")" = 401
done
check "nothing changed by the refused requests" \
	test "$(q "select status from break_glass where id='bg-demo-01'")|$(q "select revoked_at is null from grants where id='gr-jit-0001'")" = "open|1"
check "refusals are audited (kind review / audit-read, outcome role_not_privacy_officer)" \
	test "$(q "select count(*) from audit where kind in ('review','audit-read') and decision='deny' and detail like '%outcome=role_not_privacy_officer%'")" = 16

# ---- the queue ----
r=$(iris GET /v1/review/break-glass)
check "queue -> 200" test "$(status "$r")" = 200
open_n=$(q "select count(*) from break_glass where status='open'")
jqok "default: open events, highest risk first, total counts them all" "$r" \
	"(.events | length > 0) and all(.events[]; .status == \"open\") and ([.events[].risk_score] == ([.events[].risk_score] | sort | reverse)) and .total == $open_n"
jqok "event shape: user, patient (mrn), reason, justification, times, unit, risk factors, assignee, claimable" "$r" \
	'all(.events[]; (.id|type)=="string" and (.user|keys)==["display_name","id"] and (.patient|keys)==["display_name","id","mrn"] and (.reason_code|type)=="string" and (.justification|type)=="string" and (.created_at|test("Z$")) and (.expires_at|test("Z$")) and (.risk_score>=0 and .risk_score<=100) and (.risk_factors|type)=="array" and all(.risk_factors[]; (.code|type)=="string" and (.text|type)=="string" and (.weight|type)=="number") and (.claimable|type)=="boolean" and has("assignee") and has("unit"))'
jqok "the top event explains itself (EMP, after hours, other unit, unrelated sections)" "$r" \
	'.events[0].id == "bg-demo-04" and ([.events[0].risk_factors[].code] == ["flag_emp","after_hours","other_unit","unrelated_sections"]) and .events[0].risk_score == 55'
jqok "same surname factor in plain words" "$r" \
	'any(.events[]; .id == "bg-demo-01" and any(.risk_factors[]; .text == "Same surname as the clinician (Ortiz)" and .weight == 30))'
jqok "the weight is the table's" "$r" 'any(.events[]; .id == "bg-demo-03" and any(.risk_factors[]; .code == "flag_vip" and .weight == 20))'
r=$(iris GET "/v1/review/break-glass?status=closed")
jqok "status=closed" "$r" '(.events|length) > 0 and all(.events[]; .status == "closed")'
r=$(iris GET "/v1/review/break-glass?user=u-phys-hugo")
jqok "user filter" "$r" '.total == 3 and all(.events[]; .user.id == "u-phys-hugo")'
r=$(iris GET "/v1/review/break-glass?unit=u-4w&status=open")
jqok "unit filter by id" "$r" '(.events|length) > 0 and all(.events[]; .unit == "4W Medicine")'
r=$(iris GET "/v1/review/break-glass?unit=5E%20Surgery")
jqok "unit filter by name" "$r" '(.events|length) > 0 and all(.events[]; .unit == "5E Surgery")'
r=$(iris GET "/v1/review/break-glass?reason=OVRPJ")
jqok "reason filter" "$r" '(.events|length) > 0 and all(.events[]; .reason_code == "OVRPJ")'
r=$(iris GET "/v1/review/break-glass?q=ortiz")
jqok "q finds user or patient names" "$r" '(.events|length) > 0 and all(.events[]; .user.display_name == "Ana Ortiz" or .patient.display_name == "Ines Ortiz")'
r=$(iris GET "/v1/review/break-glass?q=surgical%20opinion")
jqok "q finds justifications" "$r" '[.events[].id] == ["bg-demo-21"]'
since=$(now_plus -7200)
r=$(iris GET "/v1/review/break-glass?since=$since")
jqok "since filter" "$r" "all(.events[]; .created_at >= \"$since\") and (.events|length) >= 2"
r=$(iris GET "/v1/review/break-glass?until=$since&sort=age")
jqok "until filter, sort=age oldest first" "$r" "all(.events[]; .created_at < \"$since\") and ([.events[].created_at] == ([.events[].created_at] | sort))"
for bad in "status=bogus" "sort=name" "limit=0" "limit=201" "cursor=xyz" "since=yesterday" "q=a"; do
	r=$(iris GET "/v1/review/break-glass?$bad")
	check "bad query $bad -> 400" test "$(status "$r")" = 400
done

# walk SORT STATUS: every page of limit 4; prints the ids, one per line.
walk() {
	local cur="" r ids=""
	for _ in $(seq 1 50); do
		r=$(iris GET "/v1/review/break-glass?sort=$1&status=$2&limit=4${cur:+&cursor=$cur}")
		[ "$(status "$r")" = 200 ] || { echo "page failed"; return; }
		js "$r" '.events[].id'
		cur=$(js "$r" '.next_cursor // empty')
		[ -n "$cur" ] || return
	done
}
for s in risk age; do
	ids=$(walk $s open)
	check "cursor walks all open events by $s without duplicates" \
		test "$(sort <<<"$ids" | uniq | wc -l)|$(wc -l <<<"$ids")" = "$open_n|$open_n"
done
c=$(js "$(iris GET '/v1/review/break-glass?limit=2')" .next_cursor)
r=$(iris GET "/v1/review/break-glass?sort=age&cursor=$c")
check "a risk cursor is refused for sort=age" test "$(status "$r")" = 400

# ---- one event ----
r=$(iris GET /v1/review/break-glass/bg-demo-04)
jqok "event detail: accesses under its grant (the sensitive read as a section row)" "$r" \
	'(.accesses|length) == 3 and .accesses[0].kind == "break-glass" and .accesses[0].path == "break-glass:bg-demo-04" and any(.accesses[]; .kind == "section" and .sections == ["p-0013-sud"] and .purpose == "BTG" and .decision == "permit" and (.request_id|startswith("req-"))) and all(.accesses[]; .workstation == "cart-icu-01") and .decision == null'
r=$(iris GET /v1/review/break-glass/bg-demo-01)
jqok "prior decisions: Ana's earlier decided events" "$r" \
	'([.prior_decisions[].event_id] | sort) == ["bg-demo-11","bg-demo-12"] and all(.prior_decisions[]; (.reviewer_id|startswith("u-priv-")) and (.reviewer|test("^(Iris|Jonas) ")) and (.note|length) > 0 and (.decision|type)=="string")'
check "unknown event -> 404" test "$(status "$(iris GET /v1/review/break-glass/bg-nope)")" = 404

# ---- separation of duties: Jonas broke the glass on a bank shift ----
r=$(jonas GET "/v1/review/break-glass?user=u-priv-jonas")
jqok "a reviewer's own event is listed as not claimable" "$r" 'any(.events[]; .id == "bg-demo-13" and .claimable == false)'
r=$(iris GET "/v1/review/break-glass?user=u-priv-jonas")
jqok "... and is claimable by a colleague" "$r" 'any(.events[]; .id == "bg-demo-13" and .claimable == true)'
r=$(jonas POST /v1/review/break-glass/bg-demo-13/claim -d '{}')
check "claiming one's own event -> 403 saying why" test "$(status "$r")" = 403 -a "$(js "$r" .error.code)" = forbidden
check "... the message names separation of duties" grep -q "separation of duties" <<<"$(js "$r" .error.message)"
r=$(jonas POST /v1/review/break-glass/bg-demo-13/decision -d '{"decision":"appropriate","note":"mine"}')
check "deciding one's own event -> 403" test "$(status "$r")" = 403
check "self-actions are audited" test "$(q "select count(*) from audit where kind='review' and user_id='$JONAS' and detail like '%outcome=self_action%'")" = 2
check "the event is untouched" test "$(q "select status || coalesce(assignee,'-') from break_glass where id='bg-demo-13'")" = "open-"

# ---- claim and decision ----
r=$(iris POST /v1/review/break-glass/bg-demo-01/claim -d '{}')
jqok "claim -> 200 in_review, assignee me, no longer claimable" "$r" \
	'.status == "in_review" and .assignee.id == "u-priv-iris" and .claimable == false and .id == "bg-demo-01"'
r=$(jonas POST /v1/review/break-glass/bg-demo-01/claim -d '{}')
check "claim of an event a colleague holds -> 409" test "$(status "$r")" = 409 -a "$(js "$r" .error.code)" = conflict
r=$(jonas POST /v1/review/break-glass/bg-demo-01/decision -d '{"decision":"appropriate","note":"not mine to decide"}')
check "decision on an event a colleague holds -> 409" test "$(status "$r")" = 409
r=$(iris POST /v1/review/break-glass/bg-demo-01/decision -d '{"decision":"maybe","note":"x"}')
check "unknown decision -> 400" test "$(status "$r")" = 400
r=$(iris POST /v1/review/break-glass/bg-demo-01/decision -d '{"decision":"inappropriate"}')
check "decision without a note -> 400" test "$(status "$r")" = 400
NOTE='Ines Ortiz is Ana'"'"'s sister; no clinical reason on 5E. Referred to the 4W manager.'
DEC=$(jq -cn --arg n "$NOTE" '{decision:"inappropriate", note:$n}')
r1=$(iris POST /v1/review/break-glass/bg-demo-01/decision -H "Idempotency-Key: dec-01" -d "$DEC")
jqok "decision -> 200 closed with the decision and note" "$r1" \
	".status == \"closed\" and .decision.decision == \"inappropriate\" and .decision.note == $(jq -n --arg n "$NOTE" '$n') and .decision.reviewer == \"Iris Kowalski\" and .decision.reviewer_id == \"u-priv-iris\" and (.decision.decided_at|test(\"Z$\"))"
sleep 1.1
r2=$(iris POST /v1/review/break-glass/bg-demo-01/decision -H "Idempotency-Key: dec-01" -d "$(jq -c . <<<"$DEC")")
check "the same key and body again -> the first answer, byte for byte" test "$r1" = "$r2"
check "... and no second decision" test "$(q "select count(*) from review_actions where action='decision' and object_id='bg-demo-01' and decision='permit'")" = 1
r=$(iris POST /v1/review/break-glass/bg-demo-01/decision -H "Idempotency-Key: dec-01" -d '{"decision":"appropriate","note":"changed my mind"}')
check "the same key with another body -> 409 conflict" test "$(status "$r")" = 409 -a "$(js "$r" .error.code)" = conflict
r=$(iris POST /v1/review/break-glass/bg-demo-02/claim -H "Idempotency-Key: dec-01" -d '{}')
check "the same key on another path -> 409" test "$(status "$r")" = 409
check "the note's full text is kept beside the audit row" \
	test "$(q "select h.reason from review_actions h join audit a on a.request_id = h.request_id where h.action='decision' and h.object_id='bg-demo-01' and a.decision='permit' and a.detail like 'reason_sha256=%'")" = "$NOTE"
r=$(iris POST /v1/review/break-glass/bg-demo-01/decision -d "$DEC")
check "a closed event cannot be decided again -> 409" test "$(status "$r")" = 409
r=$(iris GET "/v1/review/break-glass?limit=200")
jqok "the decided event left the open queue" "$r" 'all(.events[]; .id != "bg-demo-01") and .total == '"$((open_n - 1))"
r=$(iris GET "/v1/review/break-glass?status=closed&limit=200")
jqok "... and is in the closed list" "$r" 'any(.events[]; .id == "bg-demo-01")'
r=$(iris POST /v1/review/break-glass/bg-demo-02/decision -d '{"decision":"needs_followup","note":"Check the address with HR"}')
jqok "a decision on an open event claims it on the way" "$r" '.status == "closed" and .assignee.id == "u-priv-iris" and .decision.decision == "needs_followup"'

# ---- open access exceptions ----
r=$(iris GET "/v1/review/exceptions?limit=200")
check "exceptions -> 200" test "$(status "$r")" = 200
jqok "every kind of grant is there, people and services" "$r" \
	'([.exceptions[].kind] | unique) == ["break_glass","delegation","integration","jit"] and ([.exceptions[].subject_kind] | unique) == ["person","service"]'
jqok "exception shape" "$r" \
	'all(.exceptions[]; (.subject|keys)==["display_name","id"] and (.scope|test("^(read|write):")) and has("patient") and has("unit") and (.created_at|test("Z$")) and has("expires_at") and has("task") and (.flags|length) == (.flag_texts|length))'
jqok "stale and overbroad integration grants are flagged (gr-int-0003 both)" "$r" \
	'any(.exceptions[]; .id == "gr-int-0003" and .subject.id == "svc-radiology-sync" and .flags == ["stale","overbroad","long_lived"] and .task.status == "ended") and any(.exceptions[]; .id == "gr-int-0002" and (.flags|index("overbroad")) != null) and any(.exceptions[]; .id == "gr-int-0004" and (.flags|index("stale")) != null)'
jqok "a grant whose encounter finished is stale" "$r" 'any(.exceptions[]; .id == "gr-jit-0002" and .flags == ["stale"])'
jqok "a clean grant has no flags" "$r" 'any(.exceptions[]; .id == "gr-jit-0001" and .flags == [])'
jqok "the live break-glass grants are exceptions too" "$r" \
	'any(.exceptions[]; .id == "bg-demo-21" and .kind == "break_glass" and .scope == "read:chart" and .patient.id == "p-0010")'
r=$(iris GET "/v1/review/exceptions?flag=stale")
jqok "flag=stale" "$r" '(.exceptions|length) >= 4 and all(.exceptions[]; .flags | index("stale"))'
r=$(iris GET "/v1/review/exceptions?subject_kind=service&flag=overbroad")
jqok "subject_kind=service, flag=overbroad" "$r" '([.exceptions[].id] | sort) == ["gr-int-0002","gr-int-0003"]'
r=$(iris GET "/v1/review/exceptions?kind=delegation")
jqok "kind=delegation" "$r" '([.exceptions[].id] | sort) == ["gr-del-0001","gr-del-0002"]'
all_n=$(js "$(iris GET '/v1/review/exceptions?limit=200')" '.exceptions | length')
cur=""; ids=""
for _ in $(seq 1 20); do
	r=$(iris GET "/v1/review/exceptions?limit=3${cur:+&cursor=$cur}")
	ids="$ids$(js "$r" '.exceptions[].id')"$'\n'
	cur=$(js "$r" '.next_cursor // empty'); [ -n "$cur" ] || break
done
check "exceptions page by cursor without duplicates" test "$(grep -c . <<<"$ids")|$(grep . <<<"$ids" | sort -u | wc -l)" = "$all_n|$all_n"

# ---- revoke: a break-glass grant stops at once ----
HTOK=$(token_of u-phys-hugo cart-5e-01)
r=$(as "$HTOK" cart-5e-01 GET "/v1/patients/p-0010/chart?purpose=BTG")
check "before: Hugo's live grant opens p-0010" test "$(js "$r" .access.path)" = "break-glass:bg-demo-21"
r=$(iris POST /v1/review/exceptions/bg-demo-21/revoke -d '{}')
check "revoke without a reason -> 400" test "$(status "$r")" = 400
r=$(iris POST /v1/review/exceptions/bg-demo-21/revoke -H "Idempotency-Key: rv-21" -d '{"reason":"Surgical opinion given; grant no longer needed"}')
jqok "revoke -> 200 with revoked_at" "$r" '.id == "bg-demo-21" and (.revoked_at|test("Z$"))'
r=$(as "$HTOK" cart-5e-01 GET "/v1/patients/p-0010/chart?purpose=BTG")
check "after: the chart is refused at once (btg_without_grant)" test "$(status "$r")" = 400 -a "$(js "$r" .error.rule)" = btg_without_grant
r=$(iris POST /v1/review/exceptions/bg-demo-21/revoke -H "Idempotency-Key: rv-21" -d '{"reason":"Surgical opinion given; grant no longer needed"}')
check "a retried revoke replays 200" test "$(status "$r")" = 200
r=$(iris POST /v1/review/exceptions/bg-demo-21/revoke -d '{"reason":"again"}')
check "revoking a revoked grant -> 409" test "$(status "$r")" = 409
r=$(iris POST /v1/review/exceptions/gr-int-0003/revoke -d '{"reason":"Imaging sync task ended in the spring"}')
check "revoke an integration grant -> 200" test "$(status "$r")" = 200
r=$(iris GET "/v1/review/exceptions?limit=200")
jqok "revoked grants are gone from the list" "$r" 'all(.exceptions[]; .id != "bg-demo-21" and .id != "gr-int-0003")'
check "unknown grant -> 404" test "$(status "$(iris POST /v1/review/exceptions/gr-nope/revoke -d '{"reason":"x"}')")" = 404

# ---- extend ----
until=$(now_plus 172800)
r=$(iris POST /v1/review/exceptions/gr-jit-0001/extend -d "$(jq -cn --arg u "$until" '{until:$u, reason:"Consult runs over the weekend"}')")
jqok "extend -> 200 with the new expiry" "$r" ".id == \"gr-jit-0001\" and .expires_at == \"$until\""
r=$(iris POST /v1/review/exceptions/gr-jit-0001/extend -d "$(jq -cn --arg u "$(now_plus -60)" '{until:$u, reason:"x"}')")
check "extend into the past -> 400" test "$(status "$r")" = 400
r=$(iris POST /v1/review/exceptions/gr-del-0002/extend -d "$(jq -cn --arg u "$until" '{until:$u, reason:"x"}')")
check "extend a grant that never expires -> 409" test "$(status "$r")" = 409
r=$(iris POST /v1/review/exceptions/bg-demo-22/extend -d "$(jq -cn --arg u "$(now_plus 200000)" '{until:$u, reason:"x"}')")
check "a break-glass grant is extended by a day at most -> 400" test "$(status "$r")" = 400
check "revoke and extend are audited with their reasons" \
	test "$(q "select count(*) from audit a join review_actions h on h.request_id = a.request_id where a.kind='review' and a.decision='permit' and h.action in ('revoke_grant','extend_grant')")" = 3

# ---- audit query ----
as "$NTOK" cart-4w-01 GET "/v1/patients/p-0003/chart?purpose=TREAT" >/dev/null	# a denial to find
r=$(iris GET "/v1/audit?patient=p-0013")
jqok "audit rows of one patient" "$r" '(.rows|length) >= 3 and all(.rows[]; .patient == "p-0013") and ([.rows[].seq] == ([.rows[].seq]|sort|reverse))'
jqok "audit row shape" "$r" 'all(.rows[]; (.seq|type)=="number" and (.time|test("Z$")) and (.user|type)=="string" and (.sections|type)=="array" and (.hash|length)==64 and has("workstation") and has("purpose") and has("decision") and has("path") and has("kind") and has("rule") and has("request_id"))'
r=$(iris GET "/v1/audit?user=u-nurse-dev&kind=section")
jqok "user and kind filters" "$r" '(.rows|length) >= 1 and all(.rows[]; .user == "u-nurse-dev" and .kind == "section")'
r=$(iris GET "/v1/audit?since=$(now_plus -600)")
jqok "since filter" "$r" "all(.rows[]; .time >= \"$(now_plus -600)\")"
r=$(iris GET "/v1/audit?until=$(now_plus -86400)&limit=1000")
jqok "until filter" "$r" "(.rows|length) > 0 and all(.rows[]; .time < \"$(now_plus -86400)\")"
total=$(q "select count(*) from audit")
cur=""; n=0; seqs=""
for _ in $(seq 1 100); do
	r=$(iris GET "/v1/audit?limit=25${cur:+&cursor=$cur}")
	seqs="$seqs$(js "$r" '.rows[].seq')"$'\n'
	cur=$(js "$r" '.next_cursor // empty'); [ -n "$cur" ] || break
done
check "audit pages by cursor over every row once" test "$(grep -c . <<<"$seqs")" -ge "$total" -a "$(grep . <<<"$seqs" | sort -u | wc -l)" = "$(grep -c . <<<"$seqs")"
check "audit reads are audited (kind audit-read)" test "$(q "select count(*) from audit where kind='audit-read' and user_id='$IRIS' and decision='permit'")" -ge 5
check "bad format -> 400" test "$(status "$(iris GET '/v1/audit?format=xml')")" = 400

# ---- FHIR export ----
r=$(iris GET "/v1/audit?patient=p-0013&format=fhir")
jrows=$(body "$(iris GET "/v1/audit?patient=p-0013")")
f=$(body "$r")
check "FHIR: 200" test "$(status "$r")" = 200
check "FHIR: a searchset Bundle of AuditEvents" jqq '.resourceType == "Bundle" and .type == "searchset" and (.entry|length) >= 3 and all(.entry[]; .resource.resourceType == "AuditEvent")' <<<"$f"
check "FHIR: required elements on every event" jqq 'all(.entry[].resource; (.type.system|type)=="string" and (.type.code|type)=="string" and (.action|test("^[CRUDE]$")) and (.recorded|test("Z$")) and (.outcome|test("^(0|4|8)$")) and (.agent|length) >= 1 and .agent[0].requestor == true and (.agent[0].network.address|type)=="string" and (.source.observer|type)=="object" and (.entity|length) >= 1)' <<<"$f"
check "FHIR: chart reads are DCM 110110 Patient Record, action R, by Practitioner/USER" \
	jqq --arg dcm $DCM '[.entry[].resource | select(.type.code == "110110")] | length >= 2 and all(.[]; .type.system == $dcm and .type.display == "Patient Record" and .action == "R" and (.agent[0].who.reference|startswith("Practitioner/")))' <<<"$f"
check "FHIR: purposeOfUse is v3-ActReason with the row's purpose" \
	jqq --arg sys $ACTREASON --argjson rows "$jrows" 'all(.entry[].resource; . as $e | ($rows.rows[] | select("audit-\(.seq)" == $e.id)) as $row | if $row.purpose == "" then true else ($e.agent[0].purposeOfUse[0].coding[0].system == $sys and $e.agent[0].purposeOfUse[0].coding[0].code == $row.purpose) end)' <<<"$f"
check "FHIR: the patient entity is Patient/ID, role 1 Patient, type 1 Person" \
	jqq 'all(.entry[].resource; .entity[0].what.reference == "Patient/p-0013" and .entity[0].role.code == "1" and .entity[0].role.display == "Patient" and .entity[0].type.code == "1" and .entity[0].type.system == "http://terminology.hl7.org/CodeSystem/audit-entity-type" and .entity[0].role.system == "http://terminology.hl7.org/CodeSystem/object-role")' <<<"$f"
check "FHIR: a sensitive section carries its security labels (R, SUD, ETH)" \
	jqq 'any(.entry[].resource.entity[]; .what.identifier.value == "p-0013-sud" and ([(.securityLabel // [])[] | select(.system == "http://terminology.hl7.org/CodeSystem/v3-Confidentiality") | .code] == ["R"]) and ([(.securityLabel // [])[] | select(.system == "http://terminology.hl7.org/CodeSystem/v3-ActCode") | .code] | sort) == ["ETH","SUD"])' <<<"$f"
r=$(iris GET "/v1/audit?patient=p-0003&kind=chart&format=fhir")
check "FHIR: a denial has outcome 4 and outcomeDesc the rule" \
	jqq 'any(.entry[].resource; .outcome == "4" and .outcomeDesc == "not_on_care_team")' <<<"$(body "$r")"
r=$(iris GET "/v1/audit?format=fhir&limit=5")
check "FHIR: a next link when more rows follow" jqq 'any(.link[]; .relation == "next" and (.url|contains("cursor=")))' <<<"$(body "$r")"
check "the audit chain is intact after all this" test "$(q "select count(*) from audit a join audit b on b.seq = a.seq + 1 where b.prev_hash != a.hash")" = 0

# ---- a large queue: 3,000 events here; make bench seeds 100,000 (REVIEW_BIG overrides) ----
BIG=${REVIEW_BIG:-3000}
stop_server
big=$WORK/big
t0=$(date +%s%N)
"$BIN/chartgated" --demo-seed "$big" --review-events $BIG >"$WORK/big.log" 2>&1
rc=$?
t1=$(date +%s%N)
echo "# seeding $BIG break-glass events took $(( (t1 - t0) / 1000000 )) ms"
check "--review-events $BIG seeds within 120 s" test $rc = 0 -a $(( (t1 - t0) / 1000000000 )) -lt 120
check "the queue holds $BIG events" test "$(sqlite3 "$big/chartgate.db" 'select count(*) from break_glass')" = $BIG
mv "$WORK/demo" "$WORK/demo-small"; mv "$big" "$WORK/demo"
PORT=$(free_port); URL=http://127.0.0.1:$PORT
"$BIN/chartgated" --db "$WORK/demo/chartgate.db" --listen 127.0.0.1:$PORT --challenge-rate 0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS "$URL/v1/health" >/dev/null 2>&1 && break; sleep 0.05; done
ITOK=$(token_of $IRIS $IDESK)
for s in risk age; do
	t0=$(date +%s%N); r=$(iris GET "/v1/review/break-glass?sort=$s&limit=50"); t1=$(date +%s%N)
	echo "# first page of $BIG by $s: $(( (t1 - t0) / 1000000 )) ms"
	check "first page of $BIG by $s -> 200, 50 events, a total and a cursor" test "$(status "$r")" = 200 \
		-a "$(js "$r" '(.events|length|tostring) + " " + (.total > '"$((BIG * 6 / 10))"' | tostring) + " " + (.next_cursor|type)')" = "50 true string"
	c=$(js "$r" .next_cursor)
	t0=$(date +%s%N); r=$(iris GET "/v1/review/break-glass?sort=$s&limit=50&cursor=$c"); t1=$(date +%s%N)
	echo "# second page by $s: $(( (t1 - t0) / 1000000 )) ms"
	check "the next page by $s -> 200" test "$(status "$r")" = 200
done
t0=$(date +%s%N); r=$(iris GET "/v1/review/break-glass?q=pharmacy&limit=50"); t1=$(date +%s%N)
echo "# q search over $BIG: $(( (t1 - t0) / 1000000 )) ms"
check "q search over $BIG -> 200" test "$(status "$r")" = 200
t0=$(date +%s%N); r=$(iris GET "/v1/review/exceptions"); t1=$(date +%s%N)
echo "# exceptions with $BIG events: $(( (t1 - t0) / 1000000 )) ms"
check "exceptions with $BIG events -> 200" test "$(status "$r")" = 200
