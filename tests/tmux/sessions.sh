#!/usr/bin/env bash
# Eight clinicians share one cart: each tap suspends the last; the first one's
# tap still resumes her exact place. A session the server has expired starts fresh.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_tmux.sh"
trap 'stop_clients; finish' EXIT

start_server --challenge-rate 0 || { not_ok "chartgated starts"; exit 1; }
SK=$WORK/demo/softkey.json
keys_of="1234567890abcdefghijklmnopqrstuvwxyz"
key_of() { local i; i=$(jq -r --arg u "$1" '[.badges | to_entries[] | select(.value.user_id == $u)][0].key' "$SK"); echo "${keys_of:$i:1}"; }
name_of() { jq -r --arg u "$1" '[.badges[] | select(.user_id == $u)][0].display_name' "$SK"; }
selected() { screen_of c1 | grep '^>' | head -1; }

start_client c1 --softkey "$SK" --workstation cart-4w-01
wait_for c1 "Tap your badge to sign in" >/dev/null
keys c1 "$(key_of u-nurse-ana)"
wait_for c1 "My patients" >/dev/null
keys c1 Enter; wait_for c1 "> TREAT" >/dev/null; keys c1 Enter
wait_for c1 "Access: care-team" >/dev/null
keys c1 Down Down Down
sleep 0.3
ana_line=$(selected)

# Seven more clinicians tap in turn: eight sessions on one cart.
others="u-nurse-ben u-nurse-chloe u-nurse-dev u-phys-elena u-phys-farid u-phys-grace u-phys-hugo"
n=1
for u in $others; do
	keys c1 M-"$(key_of "$u")"
	wait_for c1 "$(name_of "$u") (" >/dev/null && n=$((n + 1))
done
check "eight clinicians hold sessions on one cart" test "$n" = 8
keys c1 M-"$(key_of u-nurse-ana)"
check "with seven others suspended after her, Ana's tap resumes her" wait_for c1 "Ana Ortiz (nurse)"
check "on the same chart line" wait_for c1 "$ana_line"

# The server forgets idle sessions: restart it with a 2 s idle TTL and wait.
keys c1 M-"$(key_of u-nurse-ben)"
wait_for c1 "Ben Okafor (nurse)" >/dev/null
stop_server
"$BIN/chartgated" --db "$WORK/demo/chartgate.db" --listen 127.0.0.1:$PORT --session-idle 2 \
	--challenge-rate 0 >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS "$URL/v1/health" >/dev/null 2>&1 && break; sleep 0.05; done
sleep 3
keys c1 M-"$(key_of u-nurse-ana)"
check "after the server expired her session, Ana's tap starts fresh on her worklist" wait_for c1 "My patients"
check "and not on the old chart" wait_gone c1 "Access: care-team" 1
keys c1 C-q
check "the client quits cleanly" wait_for c1 "CLIENT-EXITED 0"
check "the client ran clean under ASan/UBSan" client_sanitizer_clean
