#!/usr/bin/env bash
# Runs every suite (unit plain + ASan/UBSan + valgrind, integration, terminal) and
# ends with "N passed, N failed". Each suite prints "ok - NAME" / "not ok - NAME".
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
out=$top/tests/out
rm -rf "$out"; mkdir -p "$out"
log=$out/all.log
: >"$log"
start=$(date +%s)

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0

# run_suite NAME CMD...: runs one suite, keeps its output, and counts a crash or a
# non-zero exit without any "not ok" line as a failure of its own.
run_suite() {
	local name=$1; shift
	local f=$out/$(echo "$name" | tr '/ ' '__').log
	local t0=$(date +%s)
	"$@" >"$f" 2>&1
	local rc=$?
	echo "== $name ($(( $(date +%s) - t0 )) s)" | tee -a "$log"
	cat "$f" >>"$log"
	grep -E '^(not )?ok - ' "$f" | sed "s|^|  |"
	if [ $rc -ne 0 ] && ! grep -q '^not ok - ' "$f"; then
		echo "not ok - $name exited with status $rc" | tee -a "$log" "$f"
		tail -20 "$f" | sed 's/^/    /'
	fi
	grep -q '^not ok - ' "$f" && { grep -B30 '^not ok - ' "$f" | head -60 | sed 's/^/    /'; }
	return 0
}

run_units() {
	local t
	for t in build/tests/test_*; do
		[ -x "$t" ] || continue
		run_suite "unit $(basename "$t")" "$t"
		run_suite "valgrind $(basename "$t")" valgrind -q --leak-check=full \
			--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
			--suppressions="$top/tests/valgrind.supp" "$t"
	done
	for t in build-san/tests/test_*; do
		[ -x "$t" ] || continue
		run_suite "asan $(basename "$t")" "$t"
	done
}

# Integration and terminal suites run the sanitizer build of every binary.
export CHARTGATE_BIN=$top/build-san/bin
export CHARTGATE_TOOLS=$top/build-san/tests
run_dir() {
	local t
	for t in "$1"/*.sh; do
		[ -f "$t" ] || continue
		run_suite "$t" bash "$t"
	done
}

# Two streams on two cores: the valgrind-bound unit suites, then the terminal
# suites (they mostly wait on timers: idle lock, grant expiry), beside the
# CPU-bound integration suites. Each suite keeps its own log; the background
# stream's progress is shown when both are done.
{ run_units; run_dir tests/tmux; } >"$out/units.progress" 2>&1 &
units=$!
run_dir tests/integration
wait $units
cat "$out/units.progress"

# all.log repeats every suite's lines: count each suite file once.
pass=$(for f in "$out"/*.log; do [ "$f" = "$log" ] || grep -c '^ok - ' "$f"; done | awk '{s+=$1} END {print s+0}')
fail=$(for f in "$out"/*.log; do [ "$f" = "$log" ] || grep -c '^not ok - ' "$f"; done | awk '{s+=$1} END {print s+0}')
echo "make check took $(( $(date +%s) - start )) s (logs in tests/out/)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
