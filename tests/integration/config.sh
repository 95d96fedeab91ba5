#!/usr/bin/env bash
# Settings files of chartgate and chartgated: FILE:LINE refusals (exit 2), --check-config, precedence /etc < XDG < flags.
source "$(dirname "$0")/../lib.sh"

# Never the real /etc, never the real ~/.config.
export CHARTGATE_SYSCONFDIR=$WORK/etc XDG_CONFIG_HOME=$WORK/xdg HOME=$WORK/home
unset NO_COLOR
# The binaries under test may live outside the tree: name its themes/ directly.
export CHARTGATE_THEME_DIR=$top/themes
mkdir -p "$WORK/etc" "$WORK/xdg/chartgate" "$WORK/home"
SYS=$WORK/etc/chartgate.conf
USR=$WORK/xdg/chartgate/chartgate.conf
SRV=$WORK/etc/chartgated.conf
CG=$BIN/chartgate
CGD=$BIN/chartgated

# conf FILE LINE...: writes FILE (mode 0644), one argument per line.
conf() { local f=$1; shift; printf '%s\n' "$@" >"$f"; chmod 0644 "$f"; }
reset() { rm -f "$SYS" "$USR" "$SRV"; }

# refused NAME PREFIX CMD...: exit 2 and exactly one line on stderr, starting with PREFIX.
refused() {
	local name=$1 want=$2 rc err; shift 2
	"$@" >"$WORK/out" 2>"$WORK/err"; rc=$?
	err=$(cat "$WORK/err")
	if [ $rc -eq 2 ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] && [[ $err == "$want"* ]]; then
		ok "$name"
	else
		not_ok "$name: exit $rc, stderr: $err (wanted \"$want...\")"
	fi
}

# accepted NAME CMD...: exit 0; stdout kept in $WORK/out.
accepted() {
	local name=$1 rc; shift
	"$@" >"$WORK/out" 2>"$WORK/err"; rc=$?
	if [ $rc -eq 0 ]; then ok "$name"; else not_ok "$name: exit $rc: $(cat "$WORK/err")"; fi
}

# shows NAME LINE: --check-config printed exactly this setting line.
shows() { check "$1" grep -qxF -- "$2" "$WORK/out"; }

# --- chartgate: every kind of refusal names the file and line.
reset; conf "$SYS" "server = http://127.0.0.1:8700" "colour = red"
refused "chartgate: unknown key in /etc file -> exit 2, FILE:LINE" \
	"chartgate: $SYS:2: unknown key \"colour\"" "$CG" --check-config
refused "chartgate: a bad config refuses to start, not only under --check-config" \
	"chartgate: $SYS:2: unknown key \"colour\"" "$CG"
reset; conf "$USR" "server = http://127.0.0.1:8700" "" "idle_lock = 5"
refused "chartgate: idle_lock out of range in the user file -> exit 2, FILE:LINE" \
	"chartgate: $USR:3: idle_lock: 5 seconds is out of range (10..86400)" "$CG" --check-config
reset; conf "$SYS" "server = http://127.0.0.1:8700" "theme = neon"
refused "chartgate: unknown theme -> exit 2, FILE:LINE" \
	"chartgate: $SYS:2: theme: \"neon\" is not one of default, high-contrast, monochrome" "$CG" --check-config
printf 'normal nonsense\n' >"$WORK/bad.theme"
reset; conf "$SYS" "server = http://127.0.0.1:8700" "# site theme" "theme = $WORK/bad.theme"
refused "chartgate: a theme file that does not load -> exit 2, FILE:LINE of the setting" \
	"chartgate: $SYS:3: theme: $WORK/bad.theme:1:" "$CG" --check-config
reset; conf "$SYS" "server = chart.example"
refused "chartgate: server without http(s):// -> exit 2" \
	"chartgate: $SYS:1: server: \"chart.example\" is not an http:// or https:// URL" "$CG" --check-config
reset; conf "$SYS" "server = http://127.0.0.1:8700" "softkey = $WORK/absent.json"
refused "chartgate: a file named in the config must be readable" \
	"chartgate: $SYS:2: softkey: cannot read $WORK/absent.json" "$CG" --check-config
reset; conf "$SYS" "server = http://127.0.0.1:8700" "log = journal"
refused "chartgate: log takes syslog, stderr or none" \
	"chartgate: $SYS:2: log: \"journal\" is not one of syslog, stderr, none" "$CG" --check-config
reset
refused "chartgate: no server anywhere -> exit 2" "chartgate: no server" "$CG" --check-config
refused "chartgate: --idle-lock out of range -> exit 2 naming the flag" \
	"chartgate: --idle-lock: 9 seconds is out of range" "$CG" --server http://127.0.0.1:1 --idle-lock 9
refused "chartgate: --config of a missing file -> exit 2" \
	"chartgate: $WORK/none.conf: cannot open" "$CG" --config "$WORK/none.conf" --check-config
conf "$SYS" "server = http://127.0.0.1:8700"; chmod 0666 "$SYS"
refused "chartgate: a world-writable /etc file is refused" \
	"chartgate: $SYS: anyone may write to it" "$CG" --check-config
refused "chartgate: unknown option -> exit 2, one line" \
	"chartgate: unknown option or missing argument: --colour" "$CG" --colour red

# --- chartgate: precedence /etc < XDG < flags; --config replaces both files.
reset
conf "$SYS" "server = http://127.0.0.1:8700" "workstation = sys-cart" "idle_lock = 300" "theme = monochrome"
conf "$USR" "workstation = user-cart" "idle_lock = 60"
accepted "chartgate --check-config accepts a good configuration" "$CG" --check-config --workstation flag-cart
check "chartgate --check-config says OK" grep -qx "chartgate: configuration OK" "$WORK/out"
shows "/etc sets what nobody overrides (server)" "server = http://127.0.0.1:8700  # $SYS:1"
shows "/etc sets what nobody overrides (theme)" "theme = monochrome  # $SYS:4"
shows "the XDG file overrides /etc (idle_lock)" "idle_lock = 60  # $USR:2"
shows "a flag overrides both files (workstation)" "workstation = flag-cart  # --workstation"
accepted "chartgate --check-config with --idle-lock" "$CG" --check-config --idle-lock 45
shows "--idle-lock overrides the XDG file" "idle_lock = 45  # --idle-lock"
unset XDG_CONFIG_HOME; mkdir -p "$WORK/home/.config/chartgate"; cp "$USR" "$WORK/home/.config/chartgate/"
accepted "without XDG_CONFIG_HOME the user file is ~/.config/chartgate/chartgate.conf" "$CG" --check-config
shows "~/.config/chartgate/chartgate.conf is read" "idle_lock = 60  # $WORK/home/.config/chartgate/chartgate.conf:2"
export XDG_CONFIG_HOME=$WORK/xdg
conf "$WORK/only.conf" "server = https://chart.example:8443"
accepted "--config FILE is read" "$CG" --check-config --config "$WORK/only.conf"
check "--config FILE replaces the /etc and XDG files" \
	bash -c "! grep -qE 'idle_lock|workstation|theme' '$WORK/out'"
conf "$WORK/high.conf" "server = http://127.0.0.1:8700" "theme = high-contrast" "idle_lock = 86400 # a day"
accepted "the shipped high-contrast theme loads from the tree's themes/" "$CG" --check-config --config "$WORK/high.conf"

# --- chartgate: --version, --help.
accepted "chartgate --version exits 0" "$CG" --version
check "chartgate --version prints 'chartgate 0.1.0' first" bash -c "head -1 '$WORK/out' | grep -qx 'chartgate 0.1.0'"
check "chartgate --version has a notice line" test "$(wc -l <"$WORK/out")" -eq 2
accepted "chartgate --help exits 0" "$CG" --help
check "chartgate --help lists --config, --check-config, --idle-lock, --verbose" \
	bash -c "grep -q -- --config '$WORK/out' && grep -q -- --check-config '$WORK/out' && grep -q -- --idle-lock '$WORK/out' && grep -q -- --verbose '$WORK/out'"

# --- chartgated: refusals name the file and line.
reset; conf "$SRV" "db = $WORK/demo/chartgate.db" "port = 8443"
refused "chartgated: unknown key -> exit 2, FILE:LINE" \
	"chartgated: $SRV:2: unknown key \"port\"" "$CGD" --check-config
reset; conf "$SRV" "session_idle = soon"
refused "chartgated: bad seconds -> exit 2, FILE:LINE" \
	"chartgated: $SRV:1: session_idle: \"soon\" is not a whole number of seconds" "$CGD" --check-config
reset; conf "$SRV" "db = relative.db"
refused "chartgated: relative db path -> exit 2, FILE:LINE" \
	"chartgated: $SRV:1: db: \"relative.db\" is not an absolute path" "$CGD" --check-config
reset; conf "$SRV" "" "listen = 192.0.2.1:8443"
refused "chartgated: non-loopback listen -> exit 2, FILE:LINE" "chartgated: $SRV:2: listen: " "$CGD" --check-config
reset; conf "$SRV" "db = $WORK/none.db" "tls_cert = /etc/ssl/certs/x.pem"
refused "chartgated: tls_cert without tls_key -> exit 2" "chartgated: --tls-cert and --tls-key go together" "$CGD" --check-config
reset; conf "$SRV" "db = $WORK/none.db" "tls_cert = $WORK/none.pem" "tls_key = $WORK/none.key"
refused "chartgated: an unreadable tls_cert -> exit 2, names the file" "chartgated: TLS certificate $WORK/none.pem: " "$CGD" --check-config
refused "chartgated: --config of a missing file -> exit 2" \
	"chartgated: $WORK/none.conf: cannot open" "$CGD" --config "$WORK/none.conf" --check-config

# --- chartgated: --check-config, flags override the file, the file really configures the server.
reset
"$CGD" --demo-seed "$WORK/demo" >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; not_ok "demo seed"; }
PORT=$(free_port)
reset; conf "$SRV" "db = $WORK/demo/chartgate.db" "listen = 127.0.0.1:1" "session_idle = 600" "log = stderr"
accepted "chartgated --check-config accepts a good file" "$CGD" --check-config
shows "chartgated --check-config shows where session_idle came from" "session_idle = 600  # $SRV:3"
accepted "chartgated --check-config with a flag" "$CGD" --check-config --listen 127.0.0.1:$PORT
check "a chartgated flag overrides the file (--listen)" \
	grep -qx "chartgated: configuration OK: would serve $WORK/demo/chartgate.db on 127.0.0.1:$PORT" "$WORK/out"
conf "$SRV" "db = $WORK/demo/chartgate.db" "listen = 127.0.0.1:$PORT"
"$CGD" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
up=1
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/v1/health" >/dev/null 2>&1 && { up=0; break; }; sleep 0.05; done
check "chartgated serves from its settings file alone (db, listen)" test $up -eq 0
stop_server
conf "$SRV" "db = $WORK/elsewhere.db"
accepted "--demo-seed ignores the served db of the settings file" "$CGD" --demo-seed "$WORK/demo2"
check "--demo-seed wrote its own database" test -f "$WORK/demo2/chartgate.db"

accepted "chartgate-softkey --version exits 0" "$BIN/chartgate-softkey" --version
check "chartgate-softkey --version prints the same version as the client" \
	bash -c "head -1 '$WORK/out' | grep -qx 'chartgate-softkey 0.1.0'"
accepted "chartgated --version exits 0" "$CGD" --version
check "chartgated --version prints 'chartgated 0.1.0'" bash -c "head -1 '$WORK/out' | grep -qx 'chartgated 0.1.0'"
accepted "chartgated --help exits 0" "$CGD" --help
check "chartgated --help lists --config and --check-config" \
	bash -c "grep -q -- '--config FILE' '$WORK/out' && grep -q -- --check-config '$WORK/out'"
