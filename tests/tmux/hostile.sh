#!/usr/bin/env bash
# Terminal end to end against a hostile server: for each poisoned answer the real client shows a clear message, keeps answering keys, never crashes and never writes the server's control bytes to the terminal.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_tmux.sh"
HS_PID=
stop_hostile() { [ -z "$HS_PID" ] || { kill "$HS_PID" 2>/dev/null; wait "$HS_PID" 2>/dev/null; HS_PID=; }; }
trap 'stop_clients; stop_hostile; finish' EXIT

HS=$TOOLS/hostile_server
if [ ! -x "$HS" ]; then
	not_ok "the hostile server is built ($HS)"
	exit 1
fi
# Only the softkey file is needed from the demo world: its badges sign for chartgate.local.
"$BIN/chartgated" --demo-seed "$WORK/demo" >"$WORK/seed.log" 2>&1 || { not_ok "demo seed"; exit 1; }
SK=$WORK/demo/softkey.json
LAT_BOUND_MS=2000	# generous: this proves "not frozen", not a performance figure
LATENCIES=

# start_hostile MODE ENDPOINT: a fresh hostile server; sets URL.
start_hostile() {
	stop_hostile
	"$HS" --port 0 --mode "$1" --on "$2" >"$WORK/hs.port" 2>>"$WORK/hostile-$1-$2.log" &
	HS_PID=$!
	for _ in $(seq 1 100); do
		grep -q '^PORT ' "$WORK/hs.port" 2>/dev/null && break
		sleep 0.02
	done
	URL=http://127.0.0.1:$(awk '/^PORT/ {print $2}' "$WORK/hs.port")
}

# begin NAME MODE ENDPOINT: hostile server + the real client, its raw pty output
# copied to $WORK/raw-NAME, tapped in as the first demo badge.
begin() {
	local name=$1
	start_hostile "$2" "$3"
	start_client "$name" --softkey "$SK" --workstation cart-4w-01
	tm pipe-pane -o -t "$name" "cat >> $WORK/raw-$name"
	wait_for "$name" "Tap your badge to sign in" >/dev/null || return 1
	keys "$name" 1
}

# latency NAME KEY TEXT: press KEY, wait until TEXT is on the screen; prints ms.
latency() {
	local name=$1 key=$2 text=$3 t0 t1
	t0=$(date +%s%N)
	keys "$name" "$key"
	for _ in $(seq 1 400); do
		screen_of "$name" | grep -qF -- "$text" && break
		sleep 0.005
	done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

# responsive NAME WHAT KEY TEXT: a key answered within the bound; records the figure.
responsive() {
	local ms
	ms=$(latency "$1" "$3" "$4")
	LATENCIES="$LATENCIES $2=${ms}ms"
	if [ "$ms" -lt $LAT_BOUND_MS ] && screen_of "$1" | grep -qF -- "$4"; then
		ok "$2: key answered in $ms ms"
	else
		not_ok "$2: key not answered within $LAT_BOUND_MS ms (\"$4\" after $ms ms)"
		screen_of "$1" | sed 's/^/    | /'
	fi
}

# no_raw NAME: none of the server's control sequences reached the terminal.
# (ncurses writes ESC itself, so the checks look for the server's own
# sequences in context, plus any C1 control or bidi override as raw UTF-8.)
no_raw() {
	local f=$WORK/raw-$1 pat bad=
	[ -s "$f" ] || { echo "    no pty bytes were captured"; return 1; }
	for pat in '\x1b\]0;pwned' 'pwned\x07' '\x1b\[2J\x1b\]' '\xc2[\x80-\x9f]' \
		'\xe2\x80[\xaa-\xae]' '\xe2\x81[\xa6-\xa9]'; do
		LC_ALL=C grep -qaP "$pat" "$f" && bad="$bad $pat"
	done
	[ -z "$bad" ] || { echo "    raw bytes on the terminal:$bad"; return 1; }
}

# finish_client NAME WHAT: still alive and answering, quits with 0, leaves no raw poison.
finish_client() {
	check "$2: the client is still running" bash -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t '$1' | grep -q CLIENT-EXITED"
	responsive "$1" "$2: ^X locks" C-x "Tap your badge to sign in"
	keys "$1" C-q
	check "$2: the client quits with status 0 on ^Q" wait_for "$1" "CLIENT-EXITED 0" 5
	check "$2: no control bytes from the server reached the terminal" no_raw "$1"
	tm kill-session -t "$1" 2>/dev/null
	stop_hostile
}

# ---- poisoned strings, shown on every screen of the path to a chart ----
for mode in esc bidi; do
	begin "$mode" $mode worklist || { not_ok "$mode: client reaches the lock screen"; continue; }
	check "$mode: the tap opens the worklist" wait_for $mode "My patients (5)"
	check "$mode: the poisoned name is shown, defused" wait_for $mode "Alma Drummond"
	keys $mode Enter
	# Enter before /v1/me has answered would be ignored: wait for the menu.
	check "$mode: the purpose screen opens" wait_for $mode "> TREAT"
	keys $mode Enter
	check "$mode: the chart opens" wait_for $mode "Access: care-team"
	check "$mode: the chart item is shown" wait_for $mode "Metoprolol 25 mg"
	if [ $mode = esc ]; then
		check "esc: ESC shows as U+FFFD, the rest as plain text" wait_for esc "Metoprolol 25 mg �[2J�]0;pwned��31m"
	else
		check "bidi: the override shows as U+FFFD" wait_for bidi "�evil�txt Alma Drummond"
	fi
	finish_client $mode "$mode"
done

begin escerr esc-error chart || not_ok "esc-error: client reaches the lock screen"
wait_for escerr "My patients (5)" >/dev/null; keys escerr Enter
wait_for escerr "> TREAT" >/dev/null; keys escerr Enter
check "esc-error: a poisoned 403 message is shown, defused" wait_for escerr "Denied �[2J�]0;pwned"
finish_client escerr "esc-error"

# ---- broken answers to the worklist: each a clear message ----
while IFS='|' read -r mode text; do
	name=wl-$mode
	begin "$name" "$mode" worklist || { not_ok "$mode: client reaches the lock screen"; continue; }
	check "$mode on the worklist: \"$text\"" wait_for "$name" "$text" 12
	finish_client "$name" "$mode"
done <<'EOF'
bad-utf8|worklist: not valid JSON
overlong|worklist: not valid JSON
deep|worklist: JSON nested deeper than
wrong-type|worklist: patients[0].id is not a string
missing|worklist: patients is missing
huge|answer was larger than 1024 KiB; it was not read
truncated|closed the connection before answering
reset|closed the connection before answering
EOF

# ---- a tap that never completes: Esc still cancels it ----
begin tap hang session || not_ok "hang on sign-in: client reaches the lock screen"
check "hang on sign-in: the tap waits visibly" wait_for tap "Signing in…"
responsive tap "hang on sign-in: Esc cancels the tap" Escape "Tap cancelled"
finish_client tap "hang on sign-in"

# ---- a chart that hangs or trickles: the worklist stays usable meanwhile ----
for mode in hang trickle; do
	begin "$mode" $mode chart || { not_ok "$mode: client reaches the lock screen"; continue; }
	wait_for $mode "My patients (5)" >/dev/null
	responsive $mode "baseline ($mode, nothing in flight): Down" Down ">Bruno Keller"
	keys $mode Up; keys $mode Enter
	wait_for $mode "> TREAT" >/dev/null; keys $mode Enter
	check "$mode: the chart request is in flight" wait_for $mode "Opening the chart…"
	responsive $mode "$mode in flight: Esc back to the worklist" Escape "My patients (5)"
	responsive $mode "$mode in flight: Down" Down ">Bruno Keller"
	responsive $mode "$mode in flight: Up" Up ">Alma Drummond"
	# Text typed while the bad request is pending survives its failure.
	keys $mode /
	keys $mode -l "Drummond, A"
	check "$mode: text typed during the bad request is shown" wait_for $mode "Search: Drummond, A"
	check "$mode: the client gives up at its deadline, saying so" \
		wait_for $mode "chartgated did not answer within 10 s" 15
	check "$mode: and the typed text is still there" wait_for $mode "Search: Drummond, A" 1
	keys $mode Escape
	finish_client $mode "$mode"
done

echo "# key-to-draw latencies:$LATENCIES"
check "the client ran clean under ASan/UBSan" client_sanitizer_clean
