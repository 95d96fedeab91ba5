#!/usr/bin/env bash
# Integration: rate limits (docs/security.md "Rate limits"): challenges per workstation, failed step-ups per session and per badge -> 429 with Retry-After.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/api.bash"

# challenge_from WS: POST a login challenge from that cart; prints the status and the Retry-After value.
challenge_from() {
	curl -s -o /dev/null -D - -X POST "$URL/v1/auth/challenge" -H "Workstation-Id: $1" \
		-d '{"purpose":"login"}' | tr -d '\r' |
		awk 'NR == 1 {s = $2} tolower($1) == "retry-after:" {ra = $2} END {print s, ra}'
}
# many N WS: N challenges from WS; prints how many were answered 200.
many() {
	local n=0
	for _ in $(seq 1 "$1"); do
		[ "$(challenge_from "$2" | cut -d' ' -f1)" = 200 ] && n=$((n + 1))
	done
	echo $n
}

# ---- challenges per workstation (default 30 a minute; 10 here, one token every 6 s, so
# that a slow run under sanitizers cannot refill the bucket while it bursts) ----
start_server --challenge-rate 10 || { not_ok "chartgated starts"; exit 1; }
check "10 challenges in a burst from one cart are all answered" test "$(many 10 cart-4w-01)" = 10
read -r st ra <<<"$(challenge_from cart-4w-01)"
check "the 11th -> 429" test "$st" = 429
check "... with Retry-After 1 to 6 (one token every 6 s)" test "${ra:-0}" -ge 1 -a "${ra:-0}" -le 6
r=$(curl -s -X POST "$URL/v1/auth/challenge" -H "Workstation-Id: cart-4w-01" -d '{}')
check "the 429 says too_many_requests" test "$(jq -r .error.code <<<"$r")" = too_many_requests
check "another cart is not affected" test "$(challenge_from cart-4w-02 | cut -d' ' -f1)" = 200
sleep "${ra:-2}"
check "after Retry-After the cart gets a challenge again" test "$(challenge_from cart-4w-01 | cut -d' ' -f1)" = 200
# Made-up workstation ids share one bucket: inventing ids buys nothing.
check "10 challenges from made-up carts" test "$(for i in $(seq 1 10); do challenge_from "fake-$i"; done | grep -c '^200')" = 10
check "an 11th made-up cart -> 429" test "$(challenge_from fake-11 | cut -d' ' -f1)" = 429
check "a real cart is not affected by made-up ones" test "$(challenge_from cart-5e-01 | cut -d' ' -f1)" = 200
grep -q "challenge refused: more than 10 a minute from ws:cart-4w-01" "$WORK/server.log"
check "the refusal is logged with the cart" test $? = 0
stop_server

rm -rf "$WORK/demo"
start_server --challenge-rate 0 || { not_ok "chartgated restarts"; exit 1; }
check "--challenge-rate 0: 100 challenges from one cart are all answered" test "$(many 100 cart-4w-01)" = 100
stop_server

# ---- failed step-ups per session and per badge (5 per 10 minutes) ----
rm -rf "$WORK/demo"
start_server || { not_ok "chartgated restarts"; exit 1; }
NURSE=u-nurse-ana
# step_up_as TOKEN USER PATIENT [softkey args...]: challenge, assertion by USER's badge, POST /v1/auth/step-up.
step_up_as() {
	local tok=$1 user=$2 pid=$3 b; shift 3
	b=$(SK_ORIGIN=chartgate:${AUTH_WS:-$WS} assertion_for "$user" "$(step_up_challenge "$tok" "$pid")" "$@")
	authed "$tok" POST /v1/auth/step-up -d "$b"
}
tok=$(token_of $NURSE)
fails=0
for _ in 1 2 3 4 5; do
	[ "$(status "$(step_up_as "$tok" $NURSE p-0001)")" = 401 ] && fails=$((fails + 1))	# no PIN: UV missing
done
check "5 step-ups without user verification -> 401 each" test $fails = 5
hdr=$(b=$(assertion_for $NURSE "$(step_up_challenge "$tok" p-0001)" --pin 1234)
	curl -s -D - -o /dev/null -X POST "$URL/v1/auth/step-up" -H "Authorization: Bearer $tok" \
	-H "Workstation-Id: $WS" -d "$b" | tr -d '\r')
check "the 6th, even with the right PIN -> 429" grep -q '^HTTP/1.1 429' <<<"$hdr"
ra=$(awk 'tolower($1) == "retry-after:" {print $2}' <<<"$hdr")
check "... with Retry-After up to 120 s (one try back every 2 minutes)" test "${ra:-0}" -ge 1 -a "${ra:-0}" -le 120
check "the 429 is audited as a step-up deny, too_many_failures" \
	test "$(q "select count(*) from audit where kind='step-up' and decision='deny' and rule='too_many_failures' and user_id='$NURSE'")" = 1
check "no step-up was granted" test "$(q "select count(*) from audit where kind='step-up' and decision='permit'")" = 0
# The same badge in a fresh session on another cart: the badge's bucket is empty too.
tok2=$(token_of $NURSE cart-4w-02)
r=$(AUTH_WS=cart-4w-02 step_up_as "$tok2" $NURSE p-0001 --pin 1234)
check "the same badge on another cart -> 429 (counted per badge)" test "$(status "$r")" = 429
b=$(AUTH_WS=cart-4w-02 assertion_for $NURSE "$(AUTH_WS=cart-4w-02 step_up_challenge "$tok2" p-0003)" --pin 1234 |
	jq -c '. + {"reason_code":"OVRER","justification":"Rapid response call, pt collapsed"}')
r=$(AUTH_WS=cart-4w-02 authed "$tok2" POST /v1/patients/p-0003/break-glass -d "$b")
check "break-glass with that badge -> 429, audited as break-glass" test "$(status "$r")" = 429 \
	-a "$(q "select count(*) from audit where kind='break-glass' and rule='too_many_failures'")" = 1
# Another clinician is not affected.
tokb=$(token_of u-nurse-ben cart-4w-02)
r=$(AUTH_WS=cart-4w-02 step_up_as "$tokb" u-nurse-ben p-0002 --pin 1234)
check "another clinician's step-up -> 200" test "$(status "$r")" = 200
