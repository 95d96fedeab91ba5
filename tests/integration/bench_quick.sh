#!/usr/bin/env bash
# make bench-quick inside make check: the benchmark harness runs end to end on tiny data; no timing is judged.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp /tmp/chartgate-bench-quick.XXXXXX)
"$top/tests/bench/bench.sh" --quick --out "$out"
rc=$?
if jq -e '(.figures | length) >= 20 and (.comparisons | length) >= 10' "$out" >/dev/null 2>&1; then
	echo "ok - bench-quick wrote every figure and comparison"
else
	echo "not ok - bench-quick wrote every figure and comparison"; rc=1
fi
rm -f "$out"
exit $rc
