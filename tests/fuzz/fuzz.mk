# libFuzzer harnesses (tests/fuzz/fuzz_NAME.c): `make fuzz FUZZ_SECONDS=N` explores, `make fuzz-check` replays corpus + regress inputs once.
# Included from the Makefile; reuses its source lists so a new source file is fuzzed with its layer.

DEB_PKGS += clang libclang-rt-14-dev

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= $(BUILD)/fuzz
FUZZERS       = decode sanitize theme ctaphid softkey backend
FUZZ_BIN      = $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZERS))
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Code under test is built without -Werror: clang warns on things gcc does not,
# and a new warning in someone else's file must not stop the fuzzers building.
FUZZ_CFLAGS   = $(filter-out -Werror,$(WARN)) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_HCFLAGS  = $(WARN) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -DFUZZ_DIR='"$(CURDIR)/tests/fuzz"'
FUZZ_LDFLAGS  = $(FUZZ_SAN) -fsanitize=fuzzer

fobj = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(1))
FUZZ_DEPS_decode   = $(call fobj,$(NET_SRC) $(COMMON_SRC))
FUZZ_DEPS_sanitize = $(call fobj,tui/sanitize.c)
FUZZ_DEPS_theme    = $(call fobj,tui/theme.c)
FUZZ_DEPS_ctaphid  = $(call fobj,auth/ctaphid.c)
FUZZ_DEPS_softkey  = $(call fobj,$(AUTH_SRC) $(COMMON_SRC))
FUZZ_DEPS_backend  = $(call fobj,$(BACKEND_SRC) $(COMMON_SRC))
FUZZ_LIBS_decode   = $(CLIENT_LIBS)
FUZZ_LIBS_softkey  = $(SOFTKEY_LIBS)
FUZZ_LIBS_backend  = $(BACKEND_LIBS)

.PHONY: fuzz fuzz-build fuzz-check
fuzz-build: $(FUZZ_BIN)

.SECONDEXPANSION:
$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $$(FUZZ_DEPS_$$*)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(FUZZ_LIBS_$*)

$(FUZZ_BUILD)/obj/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_HCFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

# New corpus entries go to $(FUZZ_BUILD)/corpus (the seeds stay as committed);
# a crash lands in $(FUZZ_BUILD)/crash-NAME-*: copy it to tests/fuzz/regress/NAME/.
fuzz: fuzz-build
	@for f in $(FUZZERS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$f; \
		echo "== fuzz_$$f for $(FUZZ_SECONDS) s"; \
		$(FUZZ_BUILD)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-dict=tests/fuzz/$$f.dict -artifact_prefix=$(FUZZ_BUILD)/crash-$$f- \
			$(FUZZ_BUILD)/corpus/$$f tests/fuzz/corpus/$$f || exit 1; \
	done

fuzz-check: fuzz-build
	FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/replay.sh $(FUZZERS)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

# The same harnesses without libFuzzer, linked against the ordinary build (and
# so under ASan/UBSan in build-san): make check replays the corpora with these,
# which costs no second compile of the whole tree with clang.
REPLAY_BIN = $(patsubst %,$(BUILD)/tests/replay_%,$(FUZZERS))
REPLAY_DEPS_decode   = $(call obj,$(NET_SRC) $(COMMON_SRC))
REPLAY_DEPS_sanitize = $(call obj,tui/sanitize.c)
REPLAY_DEPS_theme    = $(call obj,tui/theme.c)
REPLAY_DEPS_ctaphid  = $(call obj,auth/ctaphid.c)
REPLAY_DEPS_softkey  = $(call obj,$(AUTH_SRC) $(COMMON_SRC))
REPLAY_DEPS_backend  = $(call obj,$(BACKEND_SRC) $(COMMON_SRC))
tests: $(REPLAY_BIN)
$(BUILD)/tests/fuzz/%.o: CPPFLAGS += -DFUZZ_DIR='"$(CURDIR)/tests/fuzz"'
$(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay_main.o $$(REPLAY_DEPS_$$*)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLIENT_LIBS) $(BACKEND_LIBS)
