#!/usr/bin/env bash
# Hostile input to chartgated: SQL metacharacters, path traversal, wrong types, huge
# headers and bodies each get a clear 4xx, and nothing is stored.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/api.bash"

start_server --challenge-rate 0 || { not_ok "chartgated starts"; exit 1; }
TOK=$(token_of u-nurse-ana)
code() { body "$1" | jq -r '.error.code // empty' 2>/dev/null; }
rows() { q "select (select count(*) from sessions) || '/' || (select count(*) from break_glass) || '/' || (select count(*) from challenges)"; }

# Every 4xx must come with the error shape, so a client can say what went wrong.
clear_4xx() {
	local r=$1 want=$2
	[ "$(status "$r")" = "$want" ] && [ -n "$(code "$r")" ]
}

before=$(rows)
r=$(authed "$TOK" GET "/v1/patients/p-0001'%20OR%20'1'='1/chart?purpose=TREAT")
check "a patient id with SQL quotes -> 404 not_found" clear_4xx "$r" 404
r=$(authed "$TOK" GET "/v1/patients?q=%27%3B%20DROP%20TABLE%20patients%3B--")
check "a search with SQL metacharacters finds nothing and breaks nothing -> 200" \
	test "$(status "$r")" = 200 -a "$(body "$r" | jq '.patients | length')" = 0
check "the patients table is still there" test "$(q 'select count(*) from patients')" -gt 40
r=$(authed "$TOK" GET "/v1/patients/%2e%2e%2f%2e%2e%2fetc%2fpasswd/chart?purpose=TREAT")
check "an encoded ../ patient id -> 404" clear_4xx "$r" 404
r=$(authed "$TOK" GET "/v1/patients/../../v1/health" --path-as-is)
check "a literal ../ path is not resolved to another route" test "$(status "$r")" != 200
r=$(authed "$TOK" GET "/v1/patients/p-0001/chart/sections/..%2f..%2fsecret?purpose=TREAT")
check "a traversal section id -> 404" clear_4xx "$r" 404
r=$(authed "$TOK" GET "/v1/patients/$(head -c 3000 /dev/zero | tr '\0' a)/chart?purpose=TREAT")
check "a 3000-character patient id -> 4xx" bash -c "[ $(status "$r") -ge 400 ] && [ $(status "$r") -lt 500 ]"

r=$(req POST /v1/auth/challenge -d '{"purpose":["login"]}')
check "a challenge purpose of the wrong type -> 400" clear_4xx "$r" 400
r=$(req POST /v1/auth/sessions -H "Workstation-Id: cart-4w-01" -d '{"challenge_id":1,"credential_id":true}')
check "a tap with wrong types -> 400" clear_4xx "$r" 400
r=$(authed "$TOK" POST /v1/patients/p-0002/break-glass -d '{"reason_code":"OVRER","justification":12345678901234567890}')
check "a break-glass justification that is a number -> 400" clear_4xx "$r" 400
r=$(authed "$TOK" POST /v1/patients/p-0002/break-glass -d "{\"reason_code\":\"OVRER'; DELETE FROM audit;--\",\"justification\":\"$(printf 'x%.0s' $(seq 1 30))\"}")
check "a break-glass reason with SQL in it -> 400" clear_4xx "$r" 400
r=$(req POST /v1/auth/sessions -H "Workstation-Id: cart-4w-01" -H "Content-Type: application/json" --data-binary @<(head -c 80000 /dev/zero | tr '\0' ' '))
check "an 80 KB body -> 413 before parsing" clear_4xx "$r" 413
{ printf 'X-Junk: '; head -c 200000 /dev/zero | tr '\0' a; echo; } >"$WORK/huge-header"
r=$(curl -s -o /dev/null -w '%{http_code}' -H @"$WORK/huge-header" "$URL/v1/health")
check "a 200 KB header is refused with a 4xx (not served, not crashed)" bash -c "[ '$r' -ge 400 ] 2>/dev/null && [ '$r' -lt 500 ] || [ '$r' = 000 ]"
r=$(req GET /v1/health)
check "the server still answers after all of that" test "$(status "$r")" = 200
r=$(req POST /v1/auth/sessions -H "Workstation-Id: cart-4w-01\$(id)" -d '{}')
check "a Workstation-Id with shell metacharacters -> 400" clear_4xx "$r" 400
r=$(req POST /v1/auth/sessions -H "Workstation-Id: cart-4w-01" -d '{"challenge_id":"x","credential_id":"AA","client_data_json":"AA","authenticator_data":"AA","signature":"AA","user_handle":"AA","extra":{"nested":[[[[[[[[[[1]]]]]]]]]]}}')
check "a tap with garbage fields is refused" test "$(status "$r")" = 400 -o "$(status "$r")" = 401

after=$(rows)
check "nothing was stored by the bad requests (sessions/grants/challenges: $before -> $after)" test "$before" = "$after"
check "the audit chain is intact" "$BIN/chartgated" --verify-audit "$WORK/demo/chartgate.db"
