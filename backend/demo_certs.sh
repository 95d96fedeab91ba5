#!/usr/bin/env bash
# demo_certs.sh DIR [CART[:UNIT]...]: a throwaway site CA, a server certificate for 127.0.0.1/localhost and one client certificate per cart, in DIR, each made only if absent.
# Used by make demo and the TLS tests; never for a real site. Keys are mode 0600.
set -eu
dir=$1; shift
umask 077
mkdir -p "$dir"
days=30

# key NAME: an EC P-256 private key, 0600.
key() { [ -f "$dir/$1.key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$1.key" 2>/dev/null; chmod 600 "$dir/$1.key"; }

# sign NAME SUBJECT EXTENSIONS: NAME.pem signed by the CA.
sign() {
	local name=$1 subj=$2 ext=$3
	[ -f "$dir/$name.pem" ] && return 0
	key "$name"
	openssl req -new -key "$dir/$name.key" -subj "$subj" -out "$dir/$name.csr" 2>/dev/null
	printf '%b' "$ext" >"$dir/$name.ext"
	openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
		-days "$days" -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
	rm -f "$dir/$name.csr" "$dir/$name.ext"
	chmod 644 "$dir/$name.pem"
}

if [ ! -f "$dir/ca.pem" ]; then
	key ca
	openssl req -x509 -new -key "$dir/ca.key" -subj "/O=chartgate demo/CN=chartgate demo site CA" \
		-days "$days" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.pem" 2>/dev/null
	chmod 644 "$dir/ca.pem"
fi
sign server "/O=chartgate demo/CN=localhost" \
	"basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n"
for cart in "$@"; do
	name=${cart%%:*}
	unit=
	case $cart in *:*) unit="/OU=${cart#*:}" ;; esac
	sign "$name" "/O=chartgate demo$unit/CN=$name" \
		"basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n"
done
