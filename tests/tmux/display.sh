#!/usr/bin/env bash
# Terminal end to end for display: themes (colour, monochrome by NO_COLOR, a bad
# theme file refused), resize reflow, a too-small terminal, and the help overlay.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib_tmux.sh"
trap 'stop_clients; finish' EXIT

start_server || { not_ok "chartgated starts"; exit 1; }
SK=$WORK/demo/softkey.json
# Colour escapes as capture-pane -e writes them: 38;5;N / 48;5;N, or 30-37 / 40-47.
has_colour() { tm capture-pane -e -p -t "$1" | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9;]*)?m'; }
no_colour() { ! has_colour "$1"; }
last_row_has() { tm capture-pane -p -t "$1" | sed -n "$2p" | grep -qF -- "$3"; }

start_client c1 --softkey "$SK" --workstation cart-4w-01
wait_for c1 "Tap your badge to sign in" >/dev/null
check "the default theme draws in colour" has_colour c1
keys c1 C-q; wait_for c1 "CLIENT-EXITED 0" >/dev/null; tm kill-session -t c1

CLIENT_ENV=NO_COLOR=1 start_client c2 --softkey "$SK" --workstation cart-4w-01
wait_for c2 "Tap your badge to sign in" >/dev/null
check "NO_COLOR forces monochrome: no colour escapes at all" no_colour c2
check "monochrome still marks the demo authenticator" wait_for c2 "DEMO AUTHENTICATOR"
keys c2 C-q; wait_for c2 "CLIENT-EXITED 0" >/dev/null; tm kill-session -t c2

start_client c3 --softkey "$SK" --workstation cart-4w-01 --theme high-contrast
check "the high-contrast theme loads" wait_for c3 "Tap your badge to sign in"
keys c3 1
wait_for c3 "My patients" >/dev/null
keys c3 F1
check "F1 opens the help overlay with this screen's keys" wait_for c3 "Keys on this screen"
check "the help lists the worklist's search key" wait_for c3 "Find any patient by name or MRN"
check "the help lists the keys of every screen" wait_for c3 "Keys everywhere"
keys c3 x
check "any key closes the help" wait_for c3 "My patients"
tm resize-window -t c3 -x 120 -y 40
sleep 0.3
check "a larger terminal reflows: the hint bar moves to the new last row" last_row_has c3 40 "F1 Help"
tm resize-window -t c3 -x 30 -y 8
check "a terminal too small says so instead of drawing garbage" wait_for c3 "Terminal too small"
tm resize-window -t c3 -x 80 -y 24
check "back at 80x24 the worklist is drawn again" wait_for c3 "My patients"
keys c3 C-q
check "the client quits cleanly" wait_for c3 "CLIENT-EXITED 0"

printf 'normal default default normal\ntitle purple default bold\n' >"$WORK/bad.theme"
out=$("$BIN/chartgate" --server "$URL" --softkey "$SK" --theme "$WORK/bad.theme" 2>&1 </dev/null); rc=$?
check "a bad theme file refuses to start with exit 2" test "$rc" = 2
check "and names the file and line" grep -q "bad.theme:2" <<<"$out"
# libfido2 with libcrypto, then libcurl, are loaded after the lock screen's first paint:
# a broken one must still end with the terminal given back and a plain reason, not a
# half-drawn screen.
lock_gone() { ! screen_of "$1" | grep -qF "Tap your badge"; }
unloadable() {	# SESSION SONAME REASON
	mkdir -p "$WORK/nolib-$1" && : >"$WORK/nolib-$1/$2"
	CLIENT_ENV="LD_LIBRARY_PATH=$WORK/nolib-$1" start_client "$1" --softkey "$SK" --workstation cart-4w-01
	check "an unloadable $2: exit 1 with the reason" wait_for "$1" "CLIENT-EXITED 1"
	check "the reason names it" wait_for "$1" "$3"
	check "and the lock screen is gone (terminal restored)" lock_gone "$1"
}
unloadable c9 libcurl.so.4 "chartgate: cannot load libcurl"
unloadable c10 libfido2.so.1 "chartgate: cannot load the authenticator libraries"

check "the client ran clean under ASan/UBSan" client_sanitizer_clean
