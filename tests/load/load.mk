# Load generator (tests/load/loadgen.c): `make load` runs 200 carts for 30 s against a fresh demo chartgated.
# Included from the Makefile; loadgen links the softkey (auth/) for in-process assertions, libcurl and SQLite.

LOADGEN       = $(BUILD)/tests/loadgen
LOAD_CARTS   ?= 200
LOAD_SECONDS ?= 30

$(LOADGEN): $(BUILD)/tests/load/loadgen.o $(AUTH_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pl,libcurl sqlite3) $(SOFTKEY_LIBS) -lm

tests: $(LOADGEN)

.PHONY: load
load: all $(LOADGEN)
	CHARTGATE_BIN=$(abspath $(BINDIR)) CHARTGATE_TOOLS=$(abspath $(BUILD)/tests) \
		LOAD_CARTS=$(LOAD_CARTS) LOAD_SECONDS=$(LOAD_SECONDS) bash tests/integration/load_short.sh
