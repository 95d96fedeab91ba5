#!/usr/bin/env bash
# make demo: seed demo/ once, serve it with chartgated on 127.0.0.1:8700, run the client as cart-4w-01.
set -eu
cd "$(dirname "$0")/.."
BIN=${CHARTGATE_BIN:-bin}
DIR=${CHARTGATE_DEMO_DIR:-demo}
PORT=${CHARTGATE_DEMO_PORT:-8700}
URL=http://127.0.0.1:$PORT

# Keep an existing demo world: its sessions, counters and audit trail are part of the demo.
[ -f "$DIR/chartgate.db" ] || "$BIN/chartgated" --demo-seed "$DIR"

"$BIN/chartgated" --db "$DIR/chartgate.db" --listen "127.0.0.1:$PORT" 2>"$DIR/chartgated.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	curl -fsS "$URL/v1/health" >/dev/null 2>&1 && break
	kill -0 "$server" 2>/dev/null || { echo "chartgated did not start:" >&2; cat "$DIR/chartgated.log" >&2; exit 1; }
	sleep 0.05
done
echo "chartgated on $URL (log: $DIR/chartgated.log)"
"$BIN/chartgate" --server "$URL" --softkey "$DIR/softkey.json" --workstation cart-4w-01
