#!/usr/bin/env bash
# Terminal end to end on a shared cart: tap-over and resume to the same place, tap-out,
# "still <name>?" and idle lock, step-up with a wrong and a right PIN, break-glass with
# a justification that survives a lock, and a grant that ends on time.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_tmux.sh"
trap 'stop_clients; finish' EXIT

start_server --break-glass-ttl 8 || { not_ok "chartgated starts"; exit 1; }
SK=$WORK/demo/softkey.json
keys_of="1234567890abcdefghijklmnopqrstuvwxyz"
key_of() { local i; i=$(jq -r --arg u "$1" '[.badges | to_entries[] | select(.value.user_id == $u)][0].key' "$SK"); echo "${keys_of:$i:1}"; }
ANA=$(key_of u-nurse-ana); BEN=$(key_of u-nurse-ben)
selected() { screen_of c1 | grep '^>' | head -1; }

start_client c1 --softkey "$SK" --workstation cart-4w-01 --idle-lock 12
wait_for c1 "Tap your badge to sign in" >/dev/null

# --- tap-in, chart, a position deep in it ---
keys c1 "$ANA"
wait_for c1 "My patients" >/dev/null
keys c1 Enter; wait_for c1 "> TREAT" >/dev/null; keys c1 Enter
check "Ana's chart opens" wait_for c1 "Access: care-team"
keys c1 Down Down Down Down Down
sleep 0.3
ana_line=$(selected)
patient=$(screen_of c1 | sed -n 2p | awk '{print $1" "$2}')
check "a line deep in the chart is selected" test -n "$ana_line"

# --- tap-over by Ben, then Ana back where she was ---
keys c1 M-"$BEN"
check "Ben's tap switches the cart to Ben" wait_for c1 "Ben Okafor (nurse)"
check "nothing of Ana's chart stays on screen" wait_gone c1 "$ana_line"
keys c1 M-"$ANA"
check "Ana's tap resumes her session" wait_for c1 "Ana Ortiz (nurse)"
check "Ana is back on the same chart" wait_for c1 "$patient"
check "Ana is back on the same line of it" wait_for c1 "$ana_line"
check "the purpose is still shown" wait_for c1 "purpose TREAT"

# --- tap-out: Ana's own tap locks ---
keys c1 M-"$ANA"
check "the active clinician's own tap locks the cart" wait_for c1 "Tap your badge to sign in"
check "the locked cart shows no patient" wait_gone c1 "$patient" 1

# --- still <name>? then continue, then idle lock ---
keys c1 "$ANA"
wait_for c1 "$ana_line" >/dev/null
check "an idle cart asks \"still Ana Ortiz?\"" wait_for c1 "Still Ana Ortiz?" 15
check "the still prompt hides the chart" wait_gone c1 "$patient" 1
keys c1 M-"$ANA"
check "Ana's tap on the still prompt continues (no lock)" wait_for c1 "$ana_line"
check "and did not lock the cart" wait_gone c1 "Tap your badge to sign in" 1
check "left idle, the cart locks itself" wait_for c1 "Locked after 12 s without activity" 20
check "the idle-locked cart shows no patient" wait_gone c1 "$patient" 1

# --- step-up: wrong PIN, then right PIN ---
keys c1 "$ANA"
wait_for c1 "$ana_line" >/dev/null
# Move the cursor onto the first gated section's line.
for _ in $(seq 1 30); do screen_of c1 | grep -q '^> *\[locked\]' && break; keys c1 Down; sleep 0.05; done
keys c1 Enter
check "a gated section asks for the PIN" wait_for c1 "Authenticator PIN:"
keys c1 9 9 9 9 Enter
check "a wrong PIN says how many tries are left" wait_for c1 "Wrong PIN. 7 tries left"
check "a wrong PIN keeps the step-up screen" wait_for c1 "Authenticator PIN:"
check "the PIN is never shown" wait_gone c1 "9999" 1
keys c1 1 2 3 4 Enter
check "the right PIN opens the sensitive sections" wait_for c1 "Step-up confirmed"
check "the step-up countdown is visible" wait_for c1 "step-up 4:"
check "no section is gated any more" wait_gone c1 "[locked]"

# --- break-glass: search an outside patient, refusal explained, draft kept across lock ---
keys c1 Escape
wait_for c1 "My patients" >/dev/null
keys c1 /
wait_for c1 "Find a patient" >/dev/null
keys c1 M R N 4 1 0 0 1 3 7 Enter
check "search finds the patient by MRN" wait_for c1 "MRN4100137"
keys c1 Enter
wait_for c1 "Why are you opening" >/dev/null; keys c1 Enter
check "the refusal names the failed rule" wait_for c1 "Rule: not_on_care_team"
check "break-glass is offered" wait_for c1 "Press b to break the glass"
keys c1 b
wait_for c1 "BREAK THE GLASS" >/dev/null
keys c1 Enter
keys c1 -l "Collapsed in the corridor"
check "the justification is typed" wait_for c1 "Collapsed in the corridor"
keys c1 C-x
wait_for c1 "Tap your badge to sign in" >/dev/null
check "the locked cart does not show the draft" wait_gone c1 "Collapsed in the corridor" 1
keys c1 "$ANA"
check "the half-typed justification survives lock and resume" wait_for c1 "Collapsed in the corridor"
keys c1 -l ", cardiac arrest."
keys c1 Tab
wait_for c1 "Authenticator PIN:" >/dev/null
keys c1 1 2 3 4 Enter
check "break-glass grants access" wait_for c1 "Break-glass access ends in 0:0"
check "the chart opened under the break-glass path" wait_for c1 "purpose BTG · break-glass:"
check "the grant ends on time and the chart closes" wait_for c1 "Break-glass access has ended" 30
check "the closed chart is gone from the screen" wait_gone c1 "purpose BTG" 1

# The wait for the grant's end may reach "Still Ana Ortiz?", which takes any
# key as "still me" and nothing else: answer it (a space in the search field
# otherwise), then quit.
keys c1 Space
sleep 0.2
keys c1 C-q
check "the client quits cleanly" wait_for c1 "CLIENT-EXITED 0"
check "the client ran clean under ASan/UBSan" client_sanitizer_clean
