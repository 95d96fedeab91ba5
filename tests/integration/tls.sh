#!/usr/bin/env bash
# Integration + terminal: chartgated over mTLS (handshake refusals, TLS floor, workstation from the certificate, tokens bound to it) and the real client over mTLS in tmux.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_tmux.sh"
trap 'stop_clients; finish' EXIT
. "$(dirname "$0")/api.bash"

NURSE=u-nurse-ana	# badge 0 of the demo softkey.json
P=$WORK/pki
# The site CA, the server (127.0.0.1/localhost) and two carts; and a rogue CA's cart-4w-01.
"$top/backend/demo_certs.sh" "$P" cart-4w-01:u-4w cart-5e-01:u-5e cart-9z-98:u-4w cart-9z-99 || { not_ok "certificates made"; exit 1; }
"$top/backend/demo_certs.sh" "$WORK/rogue" cart-4w-01:u-4w || { not_ok "rogue certificates made"; exit 1; }
check "every private key is mode 0600" test -z "$(find "$P" "$WORK/rogue" -name '*.key' ! -perm 600)"

as_cart() { CURL_TLS=(--cacert "$P/ca.pem" --cert "$P/$1.pem" --key "$P/$1.key"); }
TLS_ARGS=(--tls-cert "$P/server.pem" --tls-key "$P/server.key" --client-ca "$P/ca.pem")
as_cart cart-4w-01
SCHEME=https start_server "${TLS_ARGS[@]}" || { not_ok "chartgated starts with TLS and a client CA"; exit 1; }
HOSTPORT=${URL#https://}

# ---- the handshake ----
r=$(req GET /v1/health)
check "cart-4w-01's certificate -> health over https" test "$(status "$r")" = 200
check "TLS 1.3 is what a modern client gets" bash -c \
	"curl -sv --cacert '$P/ca.pem' --cert '$P/cart-4w-01.pem' --key '$P/cart-4w-01.key' '$URL/v1/health' 2>&1 >/dev/null | grep -q 'SSL connection using TLSv1.3'"
check "TLS 1.2 is still served" curl -fsS -o /dev/null "${CURL_TLS[@]}" --tls-max 1.2 "$URL/v1/health"
# The client offers TLS 1.1 (security level 0 lets OpenSSL do so); the server must end it.
curl -sS -o /dev/null "${CURL_TLS[@]}" --ciphers 'DEFAULT:@SECLEVEL=0' --tlsv1.1 --tls-max 1.1 \
	"$URL/v1/health" 2>"$WORK/tls11.err"
check "TLS 1.1 is refused by the server" test $? = 35 -a -z "$(grep -i 'no protocols available' "$WORK/tls11.err")"
check "no client certificate -> no HTTP answer (handshake refused)" bash -c \
	"! curl -s -o /dev/null -w '%{http_code}' --cacert '$P/ca.pem' '$URL/v1/health' | grep -q '[1-9]'"
check "no client certificate over TLS 1.2 -> the handshake itself fails" bash -c \
	"curl -s -o /dev/null --cacert '$P/ca.pem' --tls-max 1.2 '$URL/v1/health'; test \$? = 35"
check "a rogue CA's cart-4w-01 certificate -> no HTTP answer" bash -c \
	"! curl -s -o /dev/null -w '%{http_code}' --cacert '$P/ca.pem' --cert '$WORK/rogue/cart-4w-01.pem' --key '$WORK/rogue/cart-4w-01.key' '$URL/v1/health' | grep -q '[1-9]'"
check "plain HTTP to the TLS port -> no HTTP answer" bash -c \
	"! curl -s -o /dev/null -w '%{http_code}' 'http://$HOSTPORT/v1/health' | grep -q '[1-9]'"

# ---- the workstation is the certificate's ----
ch=$(challenge)
b=$(SK_ORIGIN=chartgate:cart-4w-01 assertion_for $NURSE "$ch")
r=$(req POST /v1/auth/sessions -H "Workstation-Id: cart-5e-01" -d "$b")
check "tap-in over cart-4w-01's certificate (a lying Workstation-Id is ignored) -> 201" test "$(status "$r")" = 201
tok=$(body "$r" | jq -r .token)
check "the tap-in is audited on the certificate's workstation" \
	test "$(q "SELECT workstation FROM audit WHERE kind = 'tap-in' ORDER BY seq DESC LIMIT 1")" = cart-4w-01
r=$(req GET /v1/me -H "Authorization: Bearer $tok" -H "Workstation-Id: cart-5e-01")
check "/v1/me names the certificate's workstation, not the header's" test "$(status "$r")" = 200 \
	-a "$(body "$r" | jq -r .session.workstation)" = cart-4w-01
check "the disagreeing header is logged" grep -q "Workstation-Id header disagrees with the client certificate (cart-4w-01)" "$WORK/server.log"
ch=$(challenge)
b=$(SK_ORIGIN=chartgate:cart-5e-01 assertion_for $NURSE "$ch")
r=$(req POST /v1/auth/sessions -H "Workstation-Id: cart-5e-01" -d "$b")
check "an assertion for cart-5e-01's origin over cart-4w-01's certificate -> 401" test "$(status "$r")" = 401
check "the session remembers the certificate it was issued over" test \
	"$(q "SELECT client_cert_sha256 FROM sessions WHERE workstation = 'cart-4w-01' LIMIT 1")" = \
	"$(openssl x509 -in "$P/cart-4w-01.pem" -outform DER | sha256sum | cut -d' ' -f1)"

as_cart cart-5e-01
r=$(req GET /v1/me -H "Authorization: Bearer $tok")
check "cart-4w-01's token over cart-5e-01's certificate -> 401" test "$(status "$r")" = 401
check "... and the refusal is logged" grep -q "used from workstation cart-5e-01" "$WORK/server.log"
# A second certificate for cart-4w-01 from the site CA (a cloned cart): same name, other key.
mkdir -p "$WORK/clone" && (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out "$WORK/clone/cart-4w-01.key" 2>/dev/null)
openssl req -new -key "$WORK/clone/cart-4w-01.key" -subj "/OU=u-4w/CN=cart-4w-01" 2>/dev/null |
	openssl x509 -req -CA "$P/ca.pem" -CAkey "$P/ca.key" -days 1 -out "$WORK/clone/cart-4w-01.pem" 2>/dev/null
CURL_TLS=(--cacert "$P/ca.pem" --cert "$WORK/clone/cart-4w-01.pem" --key "$WORK/clone/cart-4w-01.key")
r=$(req GET /v1/me -H "Authorization: Bearer $tok")
check "the token over another certificate that also names cart-4w-01 -> 401" test "$(status "$r")" = 401
check "... and the refusal is logged" grep -q "used over another client certificate (cart-4w-01)" "$WORK/server.log"
as_cart cart-4w-01
r=$(req GET /v1/me -H "Authorization: Bearer $tok")
check "the token still works over its own certificate" test "$(status "$r")" = 200

# The unit is the certificate's OU; cart-9z-98 (OU u-4w) and cart-9z-99 (no OU) are in no registry.
wl=$(req GET /v1/worklist -H "Authorization: Bearer $tok")
pid=$(body "$wl" | jq -r '.patients[0].id // empty')
chart() { req GET "/v1/patients/$pid/chart?purpose=TREAT" -H "Authorization: Bearer $1"; }
if [ -n "$pid" ]; then
	check "the nurse reads her 4W patient's chart from cart-4w-01 (OU u-4w)" test "$(status "$(chart "$tok")")" = 200
	as_cart cart-9z-98
	r=$(chart "$(token_of $NURSE cart-9z-98)")
	check "... and from an unregistered cart whose certificate says OU u-4w" test "$(status "$r")" = 200
	as_cart cart-9z-99
	r=$(chart "$(token_of $NURSE cart-9z-99)")
	check "... but not from one whose certificate names no unit -> 403 different_unit" \
		test "$(status "$r")" = 403 -a "$(body "$r" | jq -r .error.rule)" = different_unit
	as_cart cart-4w-01
else
	not_ok "the worklist names a patient"; body "$wl" | head -5
fi
# ---- the real client over mTLS ----
SK=$WORK/demo/softkey.json
start_client ok --softkey "$SK" --workstation cart-4w-01 --ca "$P/ca.pem" \
	--cert "$P/cart-4w-01.pem" --key "$P/cart-4w-01.key"
check "client over mTLS: lock screen" wait_for ok "Tap your badge to sign in"
keys ok 1
check "client over mTLS: a tap opens the worklist" wait_for ok "My patients"

start_client badca --softkey "$SK" --workstation cart-4w-01 --ca "$WORK/rogue/ca.pem" \
	--cert "$P/cart-4w-01.pem" --key "$P/cart-4w-01.key"
check "client with the wrong CA: lock screen" wait_for badca "Tap your badge to sign in"
keys badca 1
check "client with the wrong CA: a tap says 'unknown CA' in plain words" wait_for badca "TLS error: unknown CA"

start_client rogue --softkey "$SK" --workstation cart-4w-01 --ca "$P/ca.pem" \
	--cert "$WORK/rogue/cart-4w-01.pem" --key "$WORK/rogue/cart-4w-01.key"
check "client with a rogue certificate: lock screen" wait_for rogue "Tap your badge to sign in"
keys rogue 1
check "client with a rogue certificate: a tap says 'client certificate refused'" \
	wait_for rogue "TLS error: client certificate refused"
stop_clients
check "the clients ran clean under sanitizers" client_sanitizer_clean

# ---- refusals at start ----
CGD=$BIN/chartgated
refused_start() {	# NAME EXPECTED-TEXT ARGS...
	local n=$1 want=$2; shift 2
	"$CGD" --db "$WORK/demo/chartgate.db" "$@" --check-config >"$WORK/start.out" 2>&1
	local rc=$?
	if [ $rc = 2 ] && grep -qF -- "$want" "$WORK/start.out"; then ok "$n"; else
		not_ok "$n (status $rc)"; sed 's/^/    /' "$WORK/start.out"; fi
}
refused_start "plain HTTP on a non-loopback address is refused at start" \
	"0.0.0.0 is not a loopback address; plain HTTP is only served on 127.0.0.0/8 or ::1" --listen 0.0.0.0:8443
refused_start "TLS without a client CA on a non-loopback address is refused too" \
	"is not a loopback address" --listen 0.0.0.0:8443 --tls-cert "$P/server.pem" --tls-key "$P/server.key"
refused_start "--tls-cert without --tls-key is refused" "--tls-cert and --tls-key go together" --tls-cert "$P/server.pem"
refused_start "--client-ca without a server certificate is refused" "--client-ca needs --tls-cert" --client-ca "$P/ca.pem"
refused_start "a key that is not the certificate's is refused" "TLS certificate $P/server.pem with key" \
	--tls-cert "$P/server.pem" --tls-key "$P/cart-4w-01.key"
refused_start "a client CA file without a certificate is refused" "client CA $P/server.key: no certificate in it" \
	--tls-cert "$P/server.pem" --tls-key "$P/server.key" --client-ca "$P/server.key"
check "mTLS may listen on any address" bash -c "'$CGD' --db '$WORK/demo/chartgate.db' --listen 0.0.0.0:8443 \
	${TLS_ARGS[*]} --check-config | grep -q 'would serve .* on 0.0.0.0:8443 (https, client certificates required)'"
