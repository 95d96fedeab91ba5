#!/usr/bin/env bash
# Integration: kill -9 chartgated in the middle of a load run, restart it on the same db: the audit chain verifies and every acknowledged decision is an audit row.
set -u
. "$(dirname "$0")/../lib.sh"

LOADGEN=$TOOLS/loadgen
[ -x "$LOADGEN" ] || { not_ok "the load generator is built ($LOADGEN)"; exit 1; }

start_server || { not_ok "chartgated starts"; exit 1; }
DB=$WORK/demo/chartgate.db
"$LOADGEN" --url "$URL" --softkey "$WORK/demo/softkey.json" --db "$DB" --carts 20 --seconds 5 \
	--acked "$WORK/acked" --no-verify >"$WORK/load.out" 2>&1 &
LOAD_PID=$!
sleep 2
before=$(sqlite3 "$DB" "select count(*) from audit")
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
check "chartgated was killed mid-run, with audit rows written ($before)" test "$before" -gt 20
sleep 0.5
# The same db on the same port: the carts' sessions survive and they carry on.
"$BIN/chartgated" --db "$DB" --listen "127.0.0.1:$PORT" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait "$LOAD_PID"
sed 's/^/# /' "$WORK/load.out"
check "some requests were cut off by the kill" grep -qE 'requests/s, [1-9][0-9]* without an answer' "$WORK/load.out"
check "the carts carried on after the restart" \
	test "$(sqlite3 "$DB" "select count(*) from audit")" -gt "$before"
stop_server
"$BIN/chartgated" --verify-audit "$DB" >"$WORK/verify.out" 2>&1
check "chartgated --verify-audit passes after kill -9 and restart" test $? = 0
sed 's/^/# /' "$WORK/verify.out"
missing=$(printf '%s\n' "CREATE TEMP TABLE acked (id TEXT);" ".import $WORK/acked acked" \
	"SELECT count(*) FROM acked WHERE id NOT IN (SELECT request_id FROM audit);" | sqlite3 "$DB")
check "every acknowledged decision ($(wc -l <"$WORK/acked")) is in the audit table" test "$missing" = 0
