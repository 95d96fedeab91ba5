#!/usr/bin/env bash
# Replays every fuzz seed and every input that once crashed (tests/fuzz/regress/NAME/)
# through each harness once, under ASan/UBSan. The harnesses are linked without
# libFuzzer into the ordinary sanitizer build (tests/fuzz/replay_main.c);
# `make fuzz` builds the libFuzzer versions with clang and explores.
set -u
cd "$(dirname "$0")/../.."
tools=${CHARTGATE_TOOLS:-build-san/tests}
fails=0
for f in tests/fuzz/fuzz_*.c; do
	name=${f#tests/fuzz/fuzz_}; name=${name%.c}
	bin=$tools/replay_$name
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz replay $name: $bin is not built"
		fails=$((fails + 1))
		continue
	fi
	if out=$("$bin" "tests/fuzz/corpus/$name" "tests/fuzz/regress/$name" 2>&1); then
		echo "ok - fuzz replay $name ($(grep -o '[0-9]* inputs' <<<"$out"))"
	else
		echo "not ok - fuzz replay $name"
		grep -m1 -A12 -E 'ERROR|runtime error|replay:' <<<"$out" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
done
[ $fails -eq 0 ]
