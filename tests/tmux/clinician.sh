#!/usr/bin/env bash
# Terminal end to end: the real client in tmux against a real chartgated on 127.0.0.1.
# A nurse taps in, opens a chart under a purpose, sees a gated sensitive section;
# a physician taps over; the lock screen never shows a patient.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_tmux.sh"
trap 'stop_clients; finish' EXIT

start_server || { not_ok "chartgated starts with a seeded demo world"; exit 1; }
SK=$WORK/demo/softkey.json
keys_of="1234567890abcdefghijklmnopqrstuvwxyz"
badge_index() { jq -r --arg r "$1" '[.badges | to_entries[] | select(.value.roles | index($r))][0].key' "$SK"; }
badge_name()  { jq -r --argjson i "$1" '.badges[$i].display_name' "$SK"; }
badge_of()    { jq -r --arg u "$1" '[.badges | to_entries[] | select(.value.user_id == $u)][0].key' "$SK"; }
# A 4W nurse, and a physician of another unit who shares none of her patients.
nurse=$(badge_index nurse); doc=$(badge_of u-phys-farid)
nurse_key=${keys_of:$nurse:1}; doc_key=${keys_of:$doc:1}
nurse_name=$(badge_name "$nurse"); doc_name=$(badge_name "$doc")

start_client c1 --softkey "$SK" --workstation cart-4w-01
check "lock screen shows the cart and how to tap in" wait_for c1 "Tap your badge to sign in"
check "demo mode is marked on the lock screen" wait_for c1 "DEMO AUTHENTICATOR"
check "lock screen lists the demo badge keys" wait_for c1 "$nurse_key  $nurse_name"

keys c1 "$nurse_key"
check "a nurse's tap opens her worklist" wait_for c1 "My patients"
# One round trip: the worklist and who she is came with the tap's answer, nothing fetched after.
after_tap=$(sed -n '/POST \/v1\/auth\/sessions/,$p' "$WORK/server.log")
check "the tap's answer brought the worklist: no GET /v1/worklist or /v1/me after it" \
	test -n "$after_tap" -a "$(grep -cE 'GET /v1/(worklist|me) ' <<<"$after_tap")" = 0
check "the title bar names the nurse" wait_for c1 "$nurse_name (nurse)"
# The first row of the worklist: remember the patient's name for the lock-screen check.
first_patient=$(screen_of c1 | awk '/^>/ { sub(/^> ?/, ""); print; exit }' | awk '{print $1" "$2}')
check "the worklist shows a selected patient" test -n "$first_patient"
# Steps and pages repaint the worklist's rows only: the screen stays what a full frame draws.
keys c1 Down Down Up
check "steps of the selection leave the worklist as a full repaint draws it" as_full_repaint c1
tm resize-window -t c1 -x 80 -y 10	# 5 rows of patients (of the demo's 6): two pages
keys c1 NPage
check "a page down leaves the worklist as a full repaint draws it" as_full_repaint c1
keys c1 Down Up Up Up Up Up PPage Down
check "steps across the page's edge leave the worklist as a full repaint draws it" as_full_repaint c1
tm resize-window -t c1 -x 80 -y 24
keys c1 g
wait_for c1 ">$first_patient" >/dev/null

keys c1 Enter
check "opening a chart asks for the purpose of use" wait_for c1 "Why are you opening the chart of"
check "TREAT is highlighted by default" wait_for c1 "> TREAT"
keys c1 Enter
check "the chart opens under the care-team path" wait_for c1 "Access: care-team · purpose TREAT"
check "the title bar shows the active purpose" wait_for c1 "purpose TREAT"
for _ in 1 2 3 4 5; do screen_of c1 | grep -qF "[locked]" && break; keys c1 NPage; sleep 0.2; done
check "a sensitive section is gated behind step-up" wait_for c1 "[locked] Step-up needed"
check "the chart shows the patient" wait_for c1 "$first_patient"

keys c1 M-"$doc_key"
check "another badge's tap switches to that clinician" wait_for c1 "$doc_name (physician)"
check "the nurse's patient is gone from the screen after tap-over" wait_gone c1 "$first_patient"

keys c1 C-x
check "the lock key returns to the lock screen" wait_for c1 "Tap your badge to sign in"
check "the lock screen shows no patient name" wait_gone c1 "$first_patient" 1
check "the lock screen shows no clinician's chart purpose" wait_gone c1 "purpose TREAT" 1

keys c1 C-q
check "the client quits cleanly on ^Q" wait_for c1 "CLIENT-EXITED 0"
check "the client ran clean under ASan/UBSan" client_sanitizer_clean
