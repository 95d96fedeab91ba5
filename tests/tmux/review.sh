#!/usr/bin/env bash
# Terminal end to end at the reviewer's desk: a privacy officer's tap lands on the queue;
# filter, search, open, claim, decide with a note that survives a lock and a dead backend
# (the retry records exactly one decision), revoke a stale integration grant, export audit.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_tmux.sh"
source "$(dirname "$0")/../integration/api.bash"
trap 'stop_clients; finish' EXIT

start_server || { not_ok "chartgated starts"; exit 1; }
SK=$WORK/demo/softkey.json
keys_of="1234567890abcdefghijklmnopqrstuvwxyz"
key_of() { local i; i=$(jq -r --arg u "$1" '[.badges | to_entries[] | select(.value.user_id == $u)][0].key' "$SK"); echo "${keys_of:$i:1}"; }
IRIS=$(key_of u-priv-iris)
TOK=$(token_of u-priv-jonas)	# the API's view, from another reviewer
api() { body "$(authed "$TOK" GET "$1")"; }

# The first open event Iris may claim, and a stale integration grant.
ev=$(api "/v1/review/break-glass?status=open&sort=risk&limit=200" |
	jq -c '[.events[] | select(.claimable and .user.id != "u-priv-iris" and .assignee == null)][0]')
EV=$(jq -r .id <<<"$ev"); PATIENT=$(jq -r .patient.display_name <<<"$ev")
GR=$(api "/v1/review/exceptions?flag=stale&subject_kind=service" | jq -r '.exceptions[0].id')
check "the demo has an open event to review ($EV) and a stale service grant ($GR)" \
	test -n "$EV" -a "$EV" != null -a -n "$GR" -a "$GR" != null

export HOME=$WORK	# the export's default path lands in the suite's directory
start_client c1 --softkey "$SK" --workstation cart-4w-01
wait_for c1 "Tap your badge to sign in" >/dev/null

# --- home, filters, search ---
keys c1 "$IRIS"
check "a privacy officer's tap opens the break-glass queue" wait_for c1 "Break-glass review:"
check "status is a word, not a colour" wait_for c1 "OPEN "
keys c1 3
check "3 shows closed events" wait_for c1 "[3 Closed]"
check "closed events carry a check mark and a word" wait_for c1 "✓ CLOSED"
keys c1 1
check "1 goes back to open events" wait_for c1 "[1 Open]"
# A step of the selection repaints two rows and a page the list's rows, over the last
# frame (the marker and the highlight are drawn together).
keys c1 Down Down Down Up
check "steps of the selection leave the queue as a full repaint draws it" as_full_repaint c1
keys c1 g Up PPage Down Down
check "moves at the top edge leave the queue as a full repaint draws it" as_full_repaint c1
tm resize-window -t c1 -x 80 -y 14	# 8 rows of events: the demo's 15 make two pages
keys c1 NPage Down NPage Up PPage Down
check "pages leave the queue as a full repaint draws it" as_full_repaint c1
keys c1 Down Down Down Down Down Down Down Down Up
check "steps past the edge of a page leave the queue as a full repaint draws it" as_full_repaint c1
tm resize-window -t c1 -x 80 -y 24
keys c1 s
check "s sorts by age" wait_for c1 "by age"
keys c1 s /
keys c1 -l "$PATIENT"
keys c1 Enter
check "search with / finds the patient's event" wait_for c1 "$PATIENT"
for _ in $(seq 1 40); do screen_of c1 | grep '^>' | grep -qF "$PATIENT" && break; keys c1 Down; sleep 0.05; done

# --- open, claim ---
keys c1 Enter
wait_for c1 "Break-glass event" >/dev/null
for _ in $(seq 1 20); do screen_of c1 | grep -qF "Break-glass event $EV " && break
	keys c1 Escape; sleep 0.1; keys c1 Down Enter; sleep 0.3; done
check "Enter opens the event" wait_for c1 "Break-glass event $EV"
check "the detail lists the accesses under the grant" wait_for c1 "Accesses under the grant"
# Each risk factor the server gave is a line of words of its own, with its weight.
factors() {
	local want got
	want=$(api "/v1/review/break-glass/$EV" | jq '.risk_factors | length')
	got=$(screen_of c1 | grep -cE '^ (Risk: {5}| {10})- [A-Z]')
	[ "$want" -gt 0 ] && [ "$got" = "$want" -o "$got" = 5 ]
}
check "each risk factor is shown in words on its own line" factors
keys c1 c
check "c claims the event" wait_for c1 "Claimed: the event is yours"
check "the claimed event is in review" wait_for c1 "● IN REVIEW"

# --- decide: the note survives a lock, then a dead backend ---
keys c1 d
check "d opens the decision dialog" wait_for c1 "Decision on break-glass event $EV"
keys c1 2 Enter
keys c1 -l "Read outside the care episode"
keys c1 C-x
check "^X locks the cart from the dialog" wait_for c1 "Tap your badge to sign in"
check "the locked cart does not show the note" wait_gone c1 "Read outside the care episode" 1
keys c1 "$IRIS"
check "the note survives lock and resume" wait_for c1 "Read outside the care episode"
keys c1 -l "; ask the ward manager."
stop_server
keys c1 Tab
check "with the backend down the decision is not sent" wait_for c1 "Not sent:"
check "and the note is still there" wait_for c1 "ask the ward manager."
"$BIN/chartgated" --db "$WORK/demo/chartgate.db" --listen 127.0.0.1:$PORT >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS "$URL/v1/health" >/dev/null 2>&1 && break; sleep 0.05; done
keys c1 Enter
check "Enter retries and the decision is recorded" wait_for c1 "Decision recorded."
check "back on the queue, the event has left the open queue" wait_gone c1 "$EV"
TOK=$(token_of u-priv-jonas)
check "the API shows the event closed with the note" \
	test "$(api "/v1/review/break-glass/$EV" | jq -r '.status + "|" + .decision.decision + "|" + .decision.note')" \
	= "closed|inappropriate|Read outside the care episode; ask the ward manager."
check "exactly one decision exists for it" test "$(sqlite3 "$WORK/demo/chartgate.db" \
	"SELECT count(*) FROM review_actions WHERE object_id = '$EV' AND action = 'decision' AND decision = 'permit'")" = 1
check "the open queue no longer lists it" \
	test "$(api "/v1/review/break-glass?status=open&limit=200" | jq --arg e "$EV" '[.events[] | select(.id == $e)] | length')" = 0

# --- exceptions: revoke a stale integration grant ---
keys c1 e
check "e opens the access exceptions" wait_for c1 "Access exceptions:"
keys c1 1 t t
check "filters: stale services" wait_for c1 "stale, services"
for _ in $(seq 1 30); do screen_of c1 | grep -qF "$GR ·" && break; keys c1 Down; sleep 0.05; done
check "the stale grant is selected" wait_for c1 "$GR ·"
keys c1 x
check "x asks for a reason" wait_for c1 "Revoke access exception $GR"
keys c1 -l "Task ended; feed no longer needed"
keys c1 Enter
check "the grant is revoked" wait_for c1 "Revoked."
check "and gone from the list" wait_gone c1 "$GR ·"
check "the API no longer lists it" \
	test "$(api "/v1/review/exceptions" | jq --arg g "$GR" '[.exceptions[] | select(.id == $g)] | length')" = 0

# --- audit: export the filter as FHIR ---
keys c1 Escape
wait_for c1 "Break-glass review:" >/dev/null
keys c1 a
check "a opens the audit trail" wait_for c1 "Audit trail"
keys c1 x
check "x asks where to write the export" wait_for c1 "chartgate-audit-"
keys c1 Enter
check "the export says where it was written" wait_for c1 "Audit export written to $WORK/chartgate-audit-"
f=$(ls "$WORK"/chartgate-audit-*.json 2>/dev/null | head -1)
check "the file parses as a FHIR Bundle of AuditEvents" \
	jq -e '.resourceType == "Bundle" and ([.entry[].resource.resourceType] | unique) == ["AuditEvent"]' "$f"
check "the file is private (mode 0600)" test "$(stat -c %a "$f")" = 600
keys c1 x C-u
keys c1 -l "$f"
keys c1 Enter
check "an existing file is not overwritten without asking" wait_for c1 "That file exists."
keys c1 Escape
wait_gone c1 "That file exists." >/dev/null

keys c1 C-q
check "the client quits cleanly" wait_for c1 "CLIENT-EXITED 0"
check "the client ran clean under ASan/UBSan" client_sanitizer_clean
