# HTTP and badge helpers for the API suites (sourced after tests/lib.sh; .bash so run.sh does not run it as a suite).
SOFTKEY=$BIN/chartgate-softkey
RP=chartgate.local
WS=${WS:-cart-4w-01}

if [ ! -x "$SOFTKEY" ]; then
	not_ok "chartgate-softkey is built ($SOFTKEY)"
	exit 1
fi

# req METHOD PATH [curl args...]: prints the body, then the status on a line of its own.
# CURL_TLS (an array, may be unset) adds TLS flags to every request.
req() {
	local m=$1 p=$2; shift 2
	curl -s ${CURL_TLS[@]+"${CURL_TLS[@]}"} -X "$m" -w '\n%{http_code}' "$@" "$URL$p"
}
body()   { sed '$d' <<<"$1"; }
status() { tail -n1 <<<"$1"; }

# assertion_for USER CHALLENGE_JSON [softkey args...]: the assertion body, with challenge_id.
assertion_for() {
	local user=$1 ch=$2; shift 2
	local cid c
	cid=$(jq -r .challenge_id <<<"$ch")
	c=$(jq -r .challenge <<<"$ch")
	"$SOFTKEY" assert "${SK_FILE:-$WORK/demo/softkey.json}" --user "$user" --rp "${SK_RP:-$RP}" \
		--challenge "$c" --origin "${SK_ORIGIN:-chartgate:$WS}" "$@" |
		jq -c --arg id "$cid" '. + {challenge_id: $id}'
}
challenge() { curl -s ${CURL_TLS[@]+"${CURL_TLS[@]}"} -X POST "$URL/v1/auth/challenge" -d '{"purpose":"login"}'; }
# tap USER [WS]: a full tap-in; prints body + status.
tap() {
	local user=$1 ws=${2:-$WS} ch b
	ch=$(challenge)
	b=$(SK_ORIGIN=chartgate:$ws assertion_for "$user" "$ch")
	req POST /v1/auth/sessions -H "Workstation-Id: $ws" -d "$b"
}
# tap_include USER INCLUDE_JSON [WS]: a tap that asks for more along with its token.
tap_include() {
	local ch b
	ch=$(challenge)
	b=$(SK_ORIGIN=chartgate:${3:-$WS} assertion_for "$1" "$ch" | jq -c --argjson i "$2" '.include = $i')
	req POST /v1/auth/sessions -H "Workstation-Id: ${3:-$WS}" -d "$b"
}
post_session() { req POST /v1/auth/sessions -H "Workstation-Id: ${2:-$WS}" -d "$1"; }
# authed TOKEN METHOD PATH [curl args...]: a request of the session on $AUTH_WS (default $WS).
authed() {
	local tok=$1 m=$2 p=$3; shift 3
	req "$m" "$p" -H "Authorization: Bearer $tok" -H "Workstation-Id: ${AUTH_WS:-$WS}" "$@"
}
logged() { grep -q "tap-in refused.*$1" "$WORK/server.log"; }
# token_of USER [WS]: tap in and print only the token.
token_of() { body "$(tap "$@")" | jq -r .token; }
# step_up_challenge TOKEN PATIENT: a step_up challenge of that session.
step_up_challenge() {
	curl -s -X POST "$URL/v1/auth/challenge" -H "Authorization: Bearer $1" \
		-H "Workstation-Id: ${AUTH_WS:-$WS}" -d "{\"purpose\":\"step_up\",\"patient_id\":\"$2\"}"
}
# q SQL: one query against the suite's demo database.
q() { sqlite3 "$WORK/demo/chartgate.db" "$1"; }
