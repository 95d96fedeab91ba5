# chartgate: client (bin/chartgate), backend (bin/chartgated), software authenticator CLI (bin/chartgate-softkey).
# GNU Make. `make check` also builds everything under ASan+UBSan into build-san/.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
SAN     ?= 0

ifeq ($(SAN),1)
BUILD   ?= build-san
BINDIR  ?= build-san/bin
OPT      = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
else
BUILD   ?= build
BINDIR  ?= bin
OPT      = -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
endif

WARN     = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wwrite-strings -Wmissing-prototypes -Werror
CPPFLAGS += -D_GNU_SOURCE -I. -MMD -MP
CFLAGS   += $(WARN) $(OPT)
# Full RELRO: the GOT is read-only once the loader is done (measured: no start-up cost).
LDFLAGS  += $(filter -fsanitize=%,$(OPT)) -Wl,-z,relro,-z,now

pc = $(shell pkg-config --cflags $(1) 2>/dev/null)
pl = $(shell pkg-config --libs $(1) 2>/dev/null)

CLIENT_PKGS  = ncursesw panelw libcurl jansson libfido2 libcbor openssl
BACKEND_PKGS = libmicrohttpd gnutls sqlite3 jansson libfido2 libcbor openssl
SOFTKEY_PKGS = libfido2 libcbor openssl jansson
CPPFLAGS += $(call pc,$(sort $(CLIENT_PKGS) $(BACKEND_PKGS)))

COMMON_SRC  = $(wildcard common/*.c)
# The tui core knows nothing of ours; the app layer (tui/app*.c, main) ties it all together.
TUI_SRC     = $(filter-out tui/main.c tui/app%.c,$(wildcard tui/*.c))
APP_SRC     = $(filter-out tui/main.c,$(wildcard tui/app*.c))
NET_SRC     = $(wildcard net/*.c)
AUTH_SRC    = $(filter-out auth/softkey_cli.c auth/crypto_dl.c,$(wildcard auth/*.c))
CLIENT_SRC  = $(TUI_SRC) $(APP_SRC) $(NET_SRC) $(AUTH_SRC) $(wildcard screens/*.c)
BACKEND_SRC = $(filter-out backend/main.c,$(wildcard backend/*.c))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

COMMON_OBJ  = $(call obj,$(COMMON_SRC))
TUI_OBJ     = $(call obj,$(TUI_SRC))
NET_OBJ     = $(call obj,$(NET_SRC))
AUTH_OBJ    = $(call obj,$(AUTH_SRC))
CLIENT_OBJ  = $(call obj,$(CLIENT_SRC))
BACKEND_OBJ = $(call obj,$(BACKEND_SRC))

# libcurl is not linked but loaded on first use (net/curl_dl.c): its own 25
# libraries would otherwise load, and cost, before the lock screen.
CLIENT_LIBS  = $(call pl,$(filter-out libcurl,$(CLIENT_PKGS))) -ldl -lpthread
# The chartgate binary loads libfido2 and libcrypto the same way, after the
# first paint (auth/crypto_dl.c); the tests and tools link them.
CLIENT_BIN_LIBS = $(call pl,$(filter-out libcurl libfido2 openssl,$(CLIENT_PKGS))) -ldl -lpthread
BACKEND_LIBS = $(call pl,$(BACKEND_PKGS)) -lpthread
SOFTKEY_LIBS = $(call pl,$(SOFTKEY_PKGS)) -lpthread

# Unit tests link only the layer they test, named by prefix:
# test_tui_*, test_net_*, test_auth_*, test_be_* (backend), test_common_*.
UNIT_SRC    = $(wildcard tests/unit/test_*.c)
UNIT_BIN    = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
# Helper programs for integration and terminal tests (hostile servers, drivers).
TOOL_SRC    = $(wildcard tests/tools/*.c)
TOOL_BIN    = $(patsubst tests/tools/%.c,$(BUILD)/tests/%,$(TOOL_SRC))

BINS = $(BINDIR)/chartgate $(BINDIR)/chartgated $(BINDIR)/chartgate-softkey

.PHONY: all tests check demo deps install clean san
.SECONDARY:
all: $(BINS)

$(BINDIR)/chartgate: $(BUILD)/tui/main.o $(BUILD)/auth/crypto_dl.o $(CLIENT_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLIENT_BIN_LIBS)

$(BINDIR)/chartgated: $(BUILD)/backend/main.o $(BACKEND_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BACKEND_LIBS)

$(BINDIR)/chartgate-softkey: $(BUILD)/auth/softkey_cli.o $(AUTH_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SOFTKEY_LIBS)

$(BUILD)/tests/test_be_%: $(BUILD)/tests/unit/test_be_%.o $(BACKEND_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(BACKEND_LIBS)

$(BUILD)/tests/test_tui_%: $(BUILD)/tests/unit/test_tui_%.o $(TUI_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLIENT_LIBS)

$(BUILD)/tests/test_net_%: $(BUILD)/tests/unit/test_net_%.o $(NET_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLIENT_LIBS)

$(BUILD)/tests/test_auth_%: $(BUILD)/tests/unit/test_auth_%.o $(AUTH_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SOFTKEY_LIBS)

$(BUILD)/tests/test_common_%: $(BUILD)/tests/unit/test_common_%.o $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SOFTKEY_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/tools/%.o $(CLIENT_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CLIENT_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests: $(BINS) $(UNIT_BIN) $(TOOL_BIN)

san:
	$(MAKE) SAN=1 tests

# The README's test command: every suite, plain and under ASan+UBSan.
check: deps
	$(MAKE) -j2 tests
	$(MAKE) -j2 SAN=1 tests
	tests/run.sh

demo: deps all
	backend/demo.sh

# Install the Debian packages this tree needs that are not there yet.
DEB_PKGS = pkg-config make gcc libncurses-dev libcurl4-openssl-dev libjansson-dev \
	libssl-dev libfido2-dev libcbor-dev libmicrohttpd-dev libgnutls28-dev libsqlite3-dev \
	tmux valgrind sqlite3 openssl curl jq groff-base man-db
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "make deps: installing$$missing"; \
		$$sudo apt-get update && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi

# INSTALL_FROM=DIR installs the binaries already built in DIR without building
# (tests/integration/install.sh installs exactly what it tested).
INSTALL_FROM ?=
INSTALL_BINS = $(addprefix $(or $(INSTALL_FROM),$(BINDIR))/,chartgate chartgated chartgate-softkey)
INSTDIR = $(DESTDIR)$(PREFIX)
install: $(if $(INSTALL_FROM),,all)
	install -d $(INSTDIR)/bin $(INSTDIR)/share/chartgate/themes $(INSTDIR)/share/doc/chartgate/examples \
		$(INSTDIR)/share/man/man1 $(INSTDIR)/share/man/man5 $(INSTDIR)/share/man/man8 $(INSTDIR)/lib/systemd/system
	install -m 0755 $(INSTALL_BINS) $(INSTDIR)/bin/
	install -m 0644 themes/*.theme $(INSTDIR)/share/chartgate/themes/
	install -m 0644 docs/man/*.1 $(INSTDIR)/share/man/man1/
	install -m 0644 docs/man/*.5 $(INSTDIR)/share/man/man5/
	install -m 0644 docs/man/*.8 $(INSTDIR)/share/man/man8/
	install -m 0644 docs/examples/*.conf $(INSTDIR)/share/doc/chartgate/examples/
	sed 's|@PREFIX@|$(PREFIX)|g' backend/chartgated.service >$(INSTDIR)/lib/systemd/system/chartgated.service
	chmod 0644 $(INSTDIR)/lib/systemd/system/chartgated.service

clean:
	rm -rf build build-san bin

# $(BUILD) too: a build in a directory of its own must also rebuild what a changed header touches.
-include $(shell find $(sort build build-san $(BUILD)) -name '*.d' 2>/dev/null)

# Fuzz harnesses and their replay (make fuzz, make fuzz-check).
include tests/fuzz/fuzz.mk
# Benchmarks against their floors (make bench, make bench-quick).
include tests/bench/bench.mk

# The load generator (make load; a short run is part of make check).
include tests/load/load.mk
