#!/usr/bin/env bash
# Replays every fuzz seed and every input that once crashed (tests/fuzz/regress/NAME/) through the libFuzzer harnesses, once each.
set -u
cd "$(dirname "$0")/../.."
if ! command -v clang >/dev/null 2>&1; then
	echo "ok - fuzz replay (skipped: no clang)"
	exit 0
fi
# The harnesses live beside the plain build; make only rebuilds what changed.
build=${FUZZ_BUILD:-build/fuzz}
if ! make -s -j"$(nproc)" FUZZ_BUILD="$build" fuzz-build >"${TMPDIR:-/tmp}/fuzz-build.$$.log" 2>&1; then
	echo "not ok - the fuzz harnesses build with clang"
	tail -30 "${TMPDIR:-/tmp}/fuzz-build.$$.log" | sed 's/^/    /'
	rm -f "${TMPDIR:-/tmp}/fuzz-build.$$.log"
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/fuzz-build.$$.log"
echo "ok - the fuzz harnesses build with clang"
# ASan/UBSan options of tests/run.sh would make leaks exit 86; libFuzzer wants its own.
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
names=$(for f in tests/fuzz/fuzz_*.c; do f=${f#tests/fuzz/fuzz_}; echo "${f%.c}"; done)
FUZZ_BUILD=$build tests/fuzz/replay.sh $names
