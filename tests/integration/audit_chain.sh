#!/usr/bin/env bash
# Integration: `chartgated --verify-audit` passes a real server's audit trail and names the first row an attacker with file access changed, removed or reordered.
set -u
. "$(dirname "$0")/../lib.sh"

SOFTKEY=$BIN/chartgate-softkey
WS=cart-4w-01
NURSE=u-nurse-ana

# One tap-in through the real API (the same flow as auth.sh, cut to what this suite needs).
tap() {
	local ch b
	ch=$(curl -s -X POST "$URL/v1/auth/challenge" -d '{"purpose":"login"}')
	b=$("$SOFTKEY" assert "$WORK/demo/softkey.json" --user "$1" --rp chartgate.local \
		--challenge "$(jq -r .challenge <<<"$ch")" --origin "chartgate:$WS" |
		jq -c --arg id "$(jq -r .challenge_id <<<"$ch")" '. + {challenge_id: $id}')
	curl -s -X POST "$URL/v1/auth/sessions" -H "Workstation-Id: $WS" -d "${2:-$b}"
}
chart() {
	curl -s -o /dev/null -H "Authorization: Bearer $tok" -H "Workstation-Id: $WS" \
		"$URL/v1/patients/$1/chart${2:+?purpose=$2}"
}

start_server || { not_ok "chartgated starts"; exit 1; }
tok=$(tap $NURSE | jq -r .token)
tap $NURSE >/dev/null				# resumed
tap $NURSE '{"challenge_id":"ch-nope"}' >/dev/null	# a refused tap is a row too
tok=$(tap $NURSE | jq -r .token)
chart p-0001 TREAT; chart p-0001; chart p-0002 TREAT; chart p-0007 TREAT; chart p-0013 COC
stop_server

DB=$WORK/demo/chartgate.db
rows=$(sqlite3 "$DB" "select count(*) from audit")
check "taps and chart reads left at least 8 audit rows" test "$rows" -ge 8

before=$(sha256sum <"$DB")
out=$("$BIN/chartgated" --verify-audit "$DB" 2>&1); rc=$?
check "an untouched trail verifies: exit 0" test $rc = 0
check "it says \"audit chain OK: $rows rows\"" grep -qx "audit chain OK: $rows rows" <<<"$out"
check "it prints the last row's hash (to record elsewhere)" \
	grep -qx "last row $rows hash $(sqlite3 "$DB" "select hash from audit where seq = $rows")" <<<"$out"
check "verification leaves the file unchanged" test "$(sha256sum <"$DB")" = "$before"

# tamper NAME SQL: on a copy with the append-only triggers dropped (as an
# attacker with the file would), run SQL; leaves the verifier's output in $out.
n=0
tamper() {
	n=$((n + 1))
	local copy=$WORK/tamper$n.db
	cp "$DB" "$copy"
	sqlite3 "$copy" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; $1" ||
		{ out="sqlite3 refused the tampering"; return 1; }
	out=$("$BIN/chartgated" --verify-audit "$copy" 2>&1)
}
# detected NAME ROW: the last tamper exited 1 naming ROW as the first broken one.
detected() {
	local rc=$? name=$1 row=$2
	if [ $rc = 1 ] && grep -q "^audit chain broken at row $row: " <<<"$out"; then
		ok "$name (${out#audit chain broken at })"
	else
		not_ok "$name: want exit 1 naming row $row, got exit $rc"; sed 's/^/    | /' <<<"$out"
	fi
}

mid=$((rows / 2)); next=$((mid + 1))
# Every column but seq, as the table has them now (so new columns are carried too).
cols=$(sqlite3 "$DB" "select group_concat(name, ', ') from pragma_table_info('audit') where name != 'seq'")

tamper "UPDATE audit SET decision = CASE decision WHEN 'permit' THEN 'deny' ELSE 'permit' END WHERE seq = $mid"
detected "a flipped decision is detected" $mid
tamper "UPDATE audit SET user_id = 'u-nurse-ben' WHERE seq = $rows"
detected "an edited user on the last row is detected" $rows
tamper "UPDATE audit SET rule = rule || char(0) || 'x' WHERE seq = 2"
detected "bytes hidden behind a NUL are detected" 2
tamper "UPDATE audit SET detail = 'q=drummond' WHERE seq = $mid"
detected "a detail slipped into a row is detected" $mid
tamper "DELETE FROM audit WHERE seq = $mid"
detected "a deleted middle row is detected at its successor" $next
grep -q "rows $mid..$mid are missing" <<<"$out"
check "the deleted row is named as missing" test $? = 0
tamper "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN ($mid, $next);
	UPDATE audit SET ($cols) = (SELECT $cols FROM t WHERE t.seq = ($mid + $next - audit.seq))
	WHERE seq IN ($mid, $next)"
detected "two rows with swapped contents are detected" $mid
tamper "UPDATE audit SET seq = -1 WHERE seq = $mid; UPDATE audit SET seq = $mid WHERE seq = $next;
	UPDATE audit SET seq = $next WHERE seq = -1"
detected "two rows with swapped ids are detected" $mid
tamper "INSERT INTO audit SELECT $rows + 1, $cols FROM audit WHERE seq = $mid"
detected "a row copied to the end is detected" $((rows + 1))

# The limit of a bare chain: cutting rows off the end leaves a chain that
# links. Only the last hash recorded elsewhere shows it (docs/security.md).
head_hash=$(sqlite3 "$DB" "select hash from audit where seq = $rows")
tamper "DELETE FROM audit WHERE seq = $rows"
check "a cut-off tail still links, but the last hash moved" \
	bash -c "grep -qx 'audit chain OK: $((rows - 1)) rows' <<<'$out' && ! grep -q '$head_hash' <<<'$out'"

out=$("$BIN/chartgated" --verify-audit "$WORK/missing.db" 2>&1); rc=$?
check "a missing file is a runtime failure (exit 1) with a message" \
	bash -c "[ $rc = 1 ] && grep -q 'cannot open' <<<'$out'"
"$BIN/chartgated" --verify-audit "$DB" --db "$DB" >/dev/null 2>&1
check "--verify-audit with --db is bad usage (exit 2)" test $? = 2
