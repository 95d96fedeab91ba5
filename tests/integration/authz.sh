#!/usr/bin/env bash
# Integration: every cell of the authorisation matrix in docs/security.md (endpoint x caller -> exact status and error code), read from the doc itself.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/api.bash"

DOC=$top/docs/security.md
REASON='{"reason":"authz matrix"}'

start_server || { not_ok "chartgated starts"; exit 1; }

# ---- the callers: a token and a cart each (declare -A: caller -> value) ----
declare -A TOK SELF WSOF
# caller USER WS: tap USER in on WS and remember token, own id and cart under the caller's name.
caller() {
	local name=$1 user=$2 ws=$3 r
	r=$(tap "$user" "$ws")
	TOK[$name]=$(body "$r" | jq -r .token)
	SID[$name]=$(body "$r" | jq -r .session_id)
	SELF[$name]=$user
	WSOF[$name]=$ws
	[ "$(status "$r")" = 201 ] || not_ok "setup: $user taps in on $ws ($(status "$r"))"
}
declare -A SID
caller nurse u-nurse-ana cart-4w-01
caller physician u-phys-elena cart-4w-02
caller "privacy officer" u-priv-iris cart-icu-02
caller helpdesk u-help-kemal cart-5e-01
caller "expired token" u-phys-farid cart-5e-02
caller "ended session" u-nurse-chloe cart-5e-02
caller victim u-nurse-dev cart-icu-01
# No token: Ana's cart, no Authorization header.
TOK["no token"]=; SELF["no token"]=u-nurse-ana; SID["no token"]=${SID[nurse]}; WSOF["no token"]=cart-4w-01
# Other cart: Ana's live token, presented from another cart.
TOK["other cart"]=${TOK[nurse]}; SELF["other cart"]=u-nurse-ana; SID["other cart"]=${SID[nurse]}
WSOF["other cart"]=cart-icu-01
# Expired: idle longer than --session-idle (900 s), by moving its last use back in the db.
q "UPDATE sessions SET last_seen_at = last_seen_at - 100000 WHERE id = '${SID[expired token]}'"
# Ended: the helpdesk ended it.
r=$(AUTH_WS=cart-5e-01 authed "${TOK[helpdesk]}" DELETE "/v1/helpdesk/sessions/${SID[ended session]}" -d "$REASON")
[ "$(status "$r")" = 204 ] || not_ok "setup: the helpdesk ends Chloe's session ($(status "$r"))"
# Badge ids, read once: a revoked one keeps its id (and its 404/403 answers).
declare -A BADGE
while IFS='|' read -r u id; do BADGE[$u]=$id; done < <(q "SELECT user_id, id FROM credentials")

# trim TEXT: into $T without surrounding blanks and backquotes (no forks: 2,000 calls).
trim() {
	T=$1
	T=${T#"${T%%[! ]*}"}; T=${T%"${T##*[! ]}"}
	T=${T#\`}; T=${T%\`}
}
# expand CALLER TEXT: into $X, the placeholders of the table filled in for this caller.
expand() {
	local c=$1 t=$2
	t=${t//\{mine\}/p-0001}
	t=${t//\{theirs\}/p-0003}
	t=${t//\{event\}/bg-demo-01}
	t=${t//\{nobody\}/p-nope}
	t=${t//\{nobody-user\}/u-nobody}
	t=${t//\{user\}/u-nurse-ben}
	t=${t//\{self-session\}/${SID[$c]}}
	t=${t//\{session\}/${SID[victim]}}
	t=${t//\{self-badge\}/${BADGE[${SELF[$c]}]}}
	t=${t//\{badge\}/${BADGE[u-phys-hugo]}}
	X=${t//\{self\}/${SELF[$c]}}
}

# ---- the table: the rows under "## Authorisation matrix" whose first cell is a method ----
table=$(awk '/^## Authorisation matrix/ {on=1; next} /^## / {on=0} on && /^\| (GET|POST|DELETE) \|/' "$DOC")
head=$(awk '/^## Authorisation matrix/ {on=1; next} /^## / {on=0} on && /^\| method \|/' "$DOC")
IFS='|' read -r -a cols <<<"$head"
callers=()
for ((i = 4; i < ${#cols[@]}; i++)); do
	trim "${cols[$i]}"
	[ -n "$T" ] && callers+=("$T")
done
check "the matrix names 8 callers" test "${#callers[@]}" = 8
check "the matrix has rows" test "$(wc -l <<<"$table")" -ge 30
for c in "${callers[@]}"; do
	[ -n "${WSOF[$c]+x}" ] || not_ok "caller '$c' of the matrix is known to this test"
done

cells=0
while IFS='|' read -r -a f; do
	trim "${f[1]}"; method=$T
	trim "${f[2]}"; path=$T
	trim "${f[3]}"; bodyt=$T
	for ((i = 0; i < ${#callers[@]}; i++)); do
		c=${callers[$i]}
		trim "${f[$((i + 4))]}"; want=$T
		expand "$c" "$path"; p=$X
		args=(-H "Workstation-Id: ${WSOF[$c]}")
		[ -n "${TOK[$c]}" ] && args+=(-H "Authorization: Bearer ${TOK[$c]}")
		[ -n "$bodyt" ] && { expand "$c" "$bodyt"; args+=(-d "$X"); }
		r=$(req "$method" "$p" "${args[@]}")
		got=${r##*$'\n'}
		# The error code (chartgated's compact {"error":{"code":...}}) when the cell names one.
		if [ "${want#* }" != "$want" ]; then
			[[ ${r%$'\n'*} =~ ^\{\"error\":\{\"code\":\"([a-z_]+)\" ]] && got="$got ${BASH_REMATCH[1]}" || got="$got ?"
		fi
		cells=$((cells + 1))
		if [ "$got" = "$want" ]; then
			ok "$method $path as $c -> $want"
		else
			not_ok "$method $path as $c -> $want (got $got)"
		fi
	done
done <<<"$table"
check "every cell of the matrix was called ($cells)" test "$cells" -eq $(( $(wc -l <<<"$table") * 8 ))
