#!/usr/bin/env bash
# make demo: seed demo/ once, make a throwaway site CA and certificates once, serve it with chartgated over mTLS on 127.0.0.1:8700, run the client as cart-4w-01.
set -eu
cd "$(dirname "$0")/.."
BIN=${CHARTGATE_BIN:-bin}
DIR=${CHARTGATE_DEMO_DIR:-demo}
PORT=${CHARTGATE_DEMO_PORT:-8700}
CART=${CHARTGATE_DEMO_CART:-cart-4w-01}
URL=https://127.0.0.1:$PORT
PKI=$DIR/tls

# Keep an existing demo world: its sessions, counters and audit trail are part of the demo.
[ -f "$DIR/chartgate.db" ] || "$BIN/chartgated" --demo-seed "$DIR"
# A demo CA, a server certificate for 127.0.0.1/localhost, two carts (each made only if absent; keys 0600).
backend/demo_certs.sh "$PKI" cart-4w-01:u-4w cart-5e-01:u-5e

"$BIN/chartgated" --db "$DIR/chartgate.db" --listen "127.0.0.1:$PORT" \
	--tls-cert "$PKI/server.pem" --tls-key "$PKI/server.key" --client-ca "$PKI/ca.pem" \
	2>"$DIR/chartgated.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
tls=(--ca "$PKI/ca.pem" --cert "$PKI/$CART.pem" --key "$PKI/$CART.key")
for _ in $(seq 1 100); do
	curl -fsS --cacert "$PKI/ca.pem" --cert "$PKI/$CART.pem" --key "$PKI/$CART.key" \
		"$URL/v1/health" >/dev/null 2>&1 && break
	kill -0 "$server" 2>/dev/null || { echo "chartgated did not start:" >&2; cat "$DIR/chartgated.log" >&2; exit 1; }
	sleep 0.05
done
echo "chartgated on $URL, client certificates from $PKI/ca.pem (log: $DIR/chartgated.log)"
"$BIN/chartgate" --server "$URL" --softkey "$DIR/softkey.json" --workstation "$CART" "${tls[@]}"
