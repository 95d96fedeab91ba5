# Shared helpers for shell suites: results, a private chartgated on a free loopback port.
# Sourced by tests/integration/*.sh and tests/tmux/*.sh.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CHARTGATE_BIN:-$top/bin}
TOOLS=${CHARTGATE_TOOLS:-$top/build/tests}
WORK=$(mktemp -d /tmp/chartgate-test.XXXXXX)
# Themes live in the source tree, not beside build-san/bin: say where.
export CHARTGATE_THEME_DIR=$top/themes
SERVER_PID=
failures=0

ok()     { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }
# check NAME CMD...: ok when CMD succeeds.
check()  { local n=$1; shift; if "$@"; then ok "$n"; else not_ok "$n"; fi; }

free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 12000))	# below the ephemeral range (32768+)
		(exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }
	done
	echo 0
}

# start_server [extra chartgated args]: seeds a fresh demo world and serves it.
# For HTTPS set SCHEME=https and CURL_TLS=(curl TLS flags) for the health check.
start_server() {
	local attempt
	"$BIN/chartgated" --demo-seed "$WORK/demo" >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; return 1; }
	# A free port can be taken between the check and the bind (suites run two at
	# a time): a server that could not listen is retried on another port.
	for attempt in 1 2 3 4 5; do
		PORT=$(free_port)
		URL=${SCHEME:-http}://127.0.0.1:$PORT
		"$BIN/chartgated" --db "$WORK/demo/chartgate.db" --listen 127.0.0.1:$PORT "$@" \
			>"$WORK/server.log" 2>&1 &
		SERVER_PID=$!
		for _ in $(seq 1 100); do
			curl -fsS ${CURL_TLS[@]+"${CURL_TLS[@]}"} "$URL/v1/health" >/dev/null 2>&1 && return 0
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill -0 "$SERVER_PID" 2>/dev/null && break	# alive but not answering: a real failure
		wait "$SERVER_PID" 2>/dev/null
		grep -q "cannot listen" "$WORK/server.log" || break
	done
	echo "chartgated did not come up:"; cat "$WORK/server.log"
	return 1
}

stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	local rc=$?
	SERVER_PID=
	# A sanitizer report in the server log is a failure of the suite.
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$WORK/server.log"; then
		not_ok "chartgated ran clean under sanitizers"; sed 's/^/    /' "$WORK/server.log" | head -40
	fi
	return $rc
}

finish() {
	stop_server
	rm -rf "$WORK"
	exit $((failures > 0))
}
trap finish EXIT
