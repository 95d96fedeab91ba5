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
# --quick runs 4 repetitions in 2 blocks: a timed figure pools both blocks' samples.
if jq -e '.figures[] | select(.name == "tap_to_ready") | .n == 4 and .blocks == 2 and (.samples | length) == 4
	and .p50 == (.samples | sort | .[1])' "$out" >/dev/null 2>&1; then
	echo "ok - bench-quick pooled the blocks of a figure before ranking"
else
	echo "not ok - bench-quick pooled the blocks of a figure before ranking"; rc=1
fi
# The rate runs say where their CPU went: the server's per request, the generator's share.
if jq -e '[.figures[] | select(.name | test("^(health|decision)_server_cpu_us_")) | .value > 0] == [true, true]
	and ([.figures[] | select(.name | test("_loadgen_cores_")) | .value > 0 and .value < 2.5] == [true, true])' \
	"$out" >/dev/null 2>&1; then
	echo "ok - bench-quick measured the server's CPU per request and the load generator's share"
else
	echo "not ok - bench-quick measured the server's CPU per request and the load generator's share"; rc=1
fi
rm -f "$out"
exit $rc
