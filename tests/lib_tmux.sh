# Terminal test helpers: the real client in a detached tmux at 80x24, keys in, screen out.
# Sourced after tests/lib.sh.
TMUX_SOCK=$WORK/tmux.sock
tm() { tmux -S "$TMUX_SOCK" "$@"; }

# start_client NAME [client args]: runs bin/chartgate in its own tmux session.
start_client() {
	local name=$1; shift
	tm new-session -d -s "$name" -x 80 -y 24 \
		"env ${CLIENT_ENV:-} ASAN_OPTIONS=$ASAN_OPTIONS:log_path=$WORK/asan-client UBSAN_OPTIONS=$UBSAN_OPTIONS:log_path=$WORK/ubsan-client LSAN_OPTIONS=$LSAN_OPTIONS TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $BIN/chartgate --server $URL $* ; echo CLIENT-EXITED \$?; sleep 30"
}

screen_of() { tm capture-pane -p -t "$1"; }

# wait_for NAME TEXT [seconds]: until the screen shows TEXT (fixed string).
wait_for() {
	local name=$1 text=$2 limit=${3:-10} i
	for i in $(seq 1 $((limit * 20))); do
		screen_of "$name" | grep -qF -- "$text" && return 0
		sleep 0.05
	done
	echo "    timed out waiting for \"$text\"; the screen was:"
	screen_of "$name" | sed 's/^/    | /'
	return 1
}

# wait_gone NAME TEXT [seconds]: until the screen no longer shows TEXT.
wait_gone() {
	local name=$1 text=$2 limit=${3:-10} i
	for i in $(seq 1 $((limit * 20))); do
		screen_of "$name" | grep -qF -- "$text" || return 0
		sleep 0.05
	done
	echo "    \"$text\" is still on the screen:"; screen_of "$name" | sed 's/^/    | /'
	return 1
}

keys() { local name=$1; shift; tm send-keys -t "$name" "$@"; }

# as_full_repaint NAME: the screen is what a full repaint (^L) draws, row for row, and
# one row is marked selected. Lists repaint only the rows a key changed, over the last
# frame: a row left undrawn shows here.
as_full_repaint() {
	local before after
	sleep 0.3; before=$(screen_of "$1")
	keys "$1" C-l
	sleep 0.3; after=$(screen_of "$1")
	[ "$before" = "$after" ] && [ "$(screen_of "$1" | grep -c '^>')" = 1 ] && return 0
	diff <(echo "$before") <(echo "$after") | head -12 | sed 's/^/    /'
	return 1
}

# Sanitizer reports of the client end its suite with a failure.
client_sanitizer_clean() {
	if ls "$WORK"/asan-client* "$WORK"/ubsan-client* >/dev/null 2>&1; then
		cat "$WORK"/asan-client* "$WORK"/ubsan-client* 2>/dev/null | head -40 | sed 's/^/    /'
		return 1
	fi
	return 0
}

# A sanitizer-built client whose terminal is torn down spins inside LeakSanitizer's
# exit-time check (a plain build exits on the hang-up): clients still running at
# cleanup are this suite's own (their softkey lives in $WORK), so end them for sure.
stop_clients() {
	tm kill-server 2>/dev/null
	pkill -KILL -f -- "--softkey $WORK/" 2>/dev/null
	true
}
