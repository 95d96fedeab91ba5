#!/usr/bin/env bash
# Integration: a short load run (20 carts, 3 s; `make load`: 200 carts, 30 s): every decision the carts saw is an audit row, and the chain verifies.
set -u
. "$(dirname "$0")/../lib.sh"

CARTS=${LOAD_CARTS:-20}
SECONDS_=${LOAD_SECONDS:-3}
LOADGEN=$TOOLS/loadgen
[ -x "$LOADGEN" ] || { not_ok "the load generator is built ($LOADGEN)"; exit 1; }

start_server || { not_ok "chartgated starts"; exit 1; }
DB=$WORK/demo/chartgate.db
"$LOADGEN" --url "$URL" --softkey "$WORK/demo/softkey.json" --db "$DB" --carts "$CARTS" \
	--seconds "$SECONDS_" --acked "$WORK/acked" >"$WORK/load.out" 2>&1
rc=$?
sed 's/^/# /' "$WORK/load.out"
check "loadgen ran $CARTS carts for $SECONDS_ s; audit rows of decision kinds = decisions seen" test $rc = 0
check "the carts saw decisions" test "$(wc -l <"$WORK/acked")" -gt 0
check "every cart tapped in (no tap left without an answer)" \
	test "$(sqlite3 "$DB" "select count(distinct workstation) from audit where kind='tap-in' and decision='permit' and workstation like 'load-%'")" = "$CARTS"
check "the carts stepped up with the PIN" \
	test "$(sqlite3 "$DB" "select count(*) from audit where kind='step-up' and decision='permit'")" -gt 0
# Each acknowledged decision's X-Request-Id names its audit row.
missing=$(printf '%s\n' "CREATE TEMP TABLE acked (id TEXT);" ".import $WORK/acked acked" \
	"SELECT count(*) FROM acked WHERE id NOT IN (SELECT request_id FROM audit);" | sqlite3 "$DB")
check "every acknowledged decision's request id is in the audit table ($(wc -l <"$WORK/acked"))" test "$missing" = 0
stop_server
"$BIN/chartgated" --verify-audit "$DB" >"$WORK/verify.out" 2>&1
check "chartgated --verify-audit passes after the load" test $? = 0
sed 's/^/# /' "$WORK/verify.out"
