#!/usr/bin/env bash
# Terminal end to end: the client's memory (read as root via /proc/PID/mem) holds no ended session's token and no patient name after a lock.
set -u
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_tmux.sh"
source "$(dirname "$0")/../integration/api.bash"
trap 'stop_clients; finish' EXIT

MEMSCAN=$TOOLS/memscan
[ -x "$MEMSCAN" ] || { not_ok "memscan is built ($MEMSCAN)"; exit 1; }
# The client makes itself non-dumpable: only CAP_SYS_PTRACE (root) may read its memory.
if [ "$(id -u)" != 0 ]; then
	ok "# SKIP not root: a non-dumpable client's memory is unreadable (run as root, as CI does)"
	exit 0
fi

start_server || { not_ok "chartgated starts"; exit 1; }
SK=$WORK/demo/softkey.json
CART=cart-4w-01
keys_of="1234567890abcdefghijklmnopqrstuvwxyz"
ana=$(jq -r '[.badges | to_entries[] | select(.value.user_id == "u-nurse-ana")][0].key' "$SK")
ana_key=${keys_of:$ana:1}

start_client c1 --softkey "$SK" --workstation $CART
wait_for c1 "Tap your badge to sign in" >/dev/null
pane=$(tm display-message -p -t c1 '#{pane_pid}')
for _ in $(seq 1 50); do pid=$(pgrep -P "$pane" -x chartgate) && break; sleep 0.1; done
check "the client process is found" test -n "${pid:-}"
check "core dumps are off (RLIMIT_CORE 0)" grep -qE '^Max core file size +0 +0 ' "/proc/$pid/limits"

# open_chart: tap Ana in, open the first patient's chart under TREAT; sets PATIENT.
open_chart() {
	keys c1 "$ana_key"
	wait_for c1 "My patients" >/dev/null
	PATIENT=$(screen_of c1 | awk '/^>/ { sub(/^> ?/, ""); print; exit }' | awk '{print $1" "$2}')
	keys c1 Enter; wait_for c1 "> TREAT" >/dev/null
	keys c1 Enter; wait_for c1 "Access: care-team" >/dev/null
}
scan() { "$MEMSCAN" "$pid" "$1"; }
# live_tokens: the 43-character base64url strings in the client's memory that chartgated accepts as a token of this cart.
live_tokens() {
	"$MEMSCAN" "$pid" --tokens | sort -u | while read -r t; do
		[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" \
			-H "Workstation-Id: $CART" "$URL/v1/me")" = 200 ] && echo "$t"
	done
}

# ---- a session the helpdesk ends: its token must be gone after the client's next request ----
open_chart
check "the chart shows a patient ($PATIENT)" test -n "$PATIENT" -a "$(scan "$PATIENT")" -gt 0
toks=$(live_tokens)
check "exactly one live token is in the client's memory while the session is active" \
	test "$(grep -c . <<<"$toks")" = 1
TOKEN=$(head -1 <<<"$toks")
echo "# the token occurs $(scan "$TOKEN") time(s) in the client's memory while active"
help=$(token_of u-help-kemal cart-5e-01)
sid=$(AUTH_WS=cart-5e-01 authed "$help" GET "/v1/helpdesk/sessions?user=u-nurse-ana" | sed '$d' | jq -r '.sessions[0].id')
r=$(AUTH_WS=cart-5e-01 authed "$help" DELETE "/v1/helpdesk/sessions/$sid" -d '{"reason":"secrets test"}')
check "the helpdesk ends Ana's session" test "$(status "$r")" = 204
keys c1 r
check "the client's next request (r) meets the 401 and locks" wait_for c1 "Tap your badge to sign in"
sleep 0.3
n=$(scan "$TOKEN")
check "the ended session's token is nowhere in the client's memory (found $n)" test "$n" = 0
n=$(scan "$PATIENT")
check "the patient's name is nowhere in the client's memory after the lock (found $n)" test "$n" = 0

# ---- ^X (suspend): clinical data wiped, the token kept for resume ----
open_chart
check "a new session shows the chart again" test "$(scan "$PATIENT")" -gt 0
keys c1 C-x
wait_for c1 "Tap your badge to sign in" >/dev/null
sleep 0.3
n=$(scan "$PATIENT")
check "after ^X the patient's name is nowhere in the client's memory (found $n)" test "$n" = 0
check "after ^X the suspended session's token is still held (for resume)" test "$(live_tokens | grep -c .)" = 1

keys c1 C-q
check "the client quits cleanly on ^Q" wait_for c1 "CLIENT-EXITED 0"
check "the client ran clean under ASan/UBSan" client_sanitizer_clean
