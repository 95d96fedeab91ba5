#!/usr/bin/env bash
# Replays every input of tests/fuzz/corpus/NAME and tests/fuzz/regress/NAME once through fuzz_NAME; one ok/not ok line per harness.
set -u
cd "$(dirname "$0")/../.."
fails=0
for f in "$@"; do
	bin=$FUZZ_BUILD/fuzz_$f
	dirs=(tests/fuzz/corpus/$f)
	[ -d tests/fuzz/regress/$f ] && dirs+=(tests/fuzz/regress/$f)
	n=$(find "${dirs[@]}" -type f | wc -l)
	log=$FUZZ_BUILD/replay-$f.log
	# -runs=0 with directories: run each input once, fuzz nothing.
	if "$bin" -runs=0 "${dirs[@]}" >"$log" 2>&1; then
		echo "ok - fuzz replay $f ($n inputs)"
	else
		echo "not ok - fuzz replay $f ($n inputs)"
		grep -m1 -A12 -E 'ERROR|runtime error|deadly signal' "$log" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
done
[ $fails -eq 0 ]
