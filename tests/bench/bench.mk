# Benchmarks (tests/bench/): `make bench` measures the client and chartgated against their floors
# and writes bench/results.json; `make bench-quick` is the tiny run tests/integration/bench_quick.sh uses.
# Included from the Makefile; the tools are built with `make tests` (so make check proves they build).

DEB_PKGS += libvterm-dev

BENCH_TOOLS = $(BUILD)/tests/bench_pty $(BUILD)/tests/bench_bare $(BUILD)/tests/bench_load
BENCH_STATS = $(BUILD)/tests/bench/stats.o
BENCH_REPS ?= 100
BENCH_BLOCKS ?= 5

tests: $(BENCH_TOOLS)

$(BUILD)/tests/bench_pty: $(BUILD)/tests/bench/bench_pty.o $(BENCH_STATS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(or $(call pl,vterm),-lvterm) -lutil -lm

$(BUILD)/tests/bench_bare: $(BUILD)/tests/bench/bench_bare.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pl,ncursesw)

$(BUILD)/tests/bench_load: $(BUILD)/tests/bench/bench_load.o $(BENCH_STATS) $(NET_OBJ) $(AUTH_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLIENT_LIBS) -lm

.PHONY: bench bench-quick
# Plain optimised binaries only: figures of a sanitizer build say nothing.
bench: deps
	$(MAKE) all $(BENCH_TOOLS)
	CHARTGATE_BIN=$(abspath $(BINDIR)) CHARTGATE_TOOLS=$(abspath $(BUILD))/tests \
		tests/bench/bench.sh --reps $(BENCH_REPS) --blocks $(BENCH_BLOCKS) --out bench/results.json

bench-quick: deps
	$(MAKE) all $(BENCH_TOOLS)
	CHARTGATE_BIN=$(abspath $(BINDIR)) CHARTGATE_TOOLS=$(abspath $(BUILD))/tests \
		tests/bench/bench.sh --quick --out $(BUILD)/bench-quick.json
