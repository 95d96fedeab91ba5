#!/usr/bin/env bash
# make install into a temporary DESTDIR from the binaries under test: layout, installed binaries, man pages, systemd unit.
source "$(dirname "$0")/../lib.sh"

quiet() { "$@" >/dev/null 2>&1; }

export CHARTGATE_SYSCONFDIR=$WORK/etc XDG_CONFIG_HOME=$WORK/xdg HOME=$WORK/home
unset CHARTGATE_THEME_DIR
mkdir -p "$WORK/etc" "$WORK/xdg" "$WORK/home"
PREFIX=/usr/local
DEST=$WORK/dest
P=$DEST$PREFIX

# INSTALL_FROM: install what was tested, never rebuild.
if make -s -C "$top" install INSTALL_FROM="$BIN" PREFIX=$PREFIX DESTDIR="$DEST" >"$WORK/install.log" 2>&1; then
	ok "make install PREFIX=$PREFIX DESTDIR=... succeeds"
else
	not_ok "make install PREFIX=$PREFIX DESTDIR=... succeeds"; sed 's/^/    /' "$WORK/install.log"
fi

for f in bin/chartgate bin/chartgated bin/chartgate-softkey; do
	check "installs $f (executable)" test -x "$P/$f"
done
for f in share/chartgate/themes/default.theme share/chartgate/themes/high-contrast.theme \
	share/chartgate/themes/monochrome.theme \
	share/man/man1/chartgate.1 share/man/man1/chartgate-softkey.1 share/man/man5/chartgate.conf.5 \
	share/man/man8/chartgated.8 share/doc/chartgate/examples/chartgate.conf \
	share/doc/chartgate/examples/chartgated.conf lib/systemd/system/chartgated.service; do
	check "installs $f" test -f "$P/$f"
done
check "nothing is installed outside PREFIX" test "$(ls "$DEST")" = usr

# Hardened as a security engineer checks it: position-independent, full RELRO (read-only GOT).
for f in chartgate chartgated chartgate-softkey; do
	check "$f is PIE with full RELRO (GNU_RELRO, BIND_NOW)" bash -c \
		"readelf -hW '$P/bin/$f' | grep -q 'Type: *DYN' && readelf -lW '$P/bin/$f' | grep -q GNU_RELRO && readelf -dW '$P/bin/$f' | grep -qE 'BIND_NOW|FLAGS_1.*NOW'"
done

# The installed binaries, run from where they were installed.
check "installed chartgate --version" bash -c "'$P/bin/chartgate' --version | head -1 | grep -qx 'chartgate 0.1.0'"
check "installed chartgated --version" bash -c "'$P/bin/chartgated' --version | grep -qx 'chartgated 0.1.0'"
check "installed chartgate-softkey --help" bash -c "'$P/bin/chartgate-softkey' --help | grep -q '^usage: chartgate-softkey'"
check "installed chartgate --check-config with the example chartgate.conf" \
	quiet "$P/bin/chartgate" --check-config --config "$P/share/doc/chartgate/examples/chartgate.conf"
check "installed chartgated --check-config with the example chartgated.conf" \
	quiet "$P/bin/chartgated" --check-config --config "$P/share/doc/chartgate/examples/chartgated.conf"
# high-contrast has no built-in fallback: it loads only from PREFIX/share/chartgate/themes.
check "installed chartgate finds its themes under PREFIX/share/chartgate/themes" \
	quiet "$P/bin/chartgate" --check-config --server http://127.0.0.1:1 --theme high-contrast

# Man pages: render, and without a single groff warning.
for page in man1/chartgate.1 man1/chartgate-softkey.1 man5/chartgate.conf.5 man8/chartgated.8; do
	check "man -l $page renders" bash -c "MANWIDTH=80 man -l '$P/share/man/$page' 2>/dev/null | grep -q 'SYNOPSIS'"
	check "groff -man -ww $page has no warnings" \
		bash -c "[ -z \"\$(groff -man -Tutf8 -ww '$P/share/man/$page' 2>&1 >/dev/null)\" ]"
	missing=
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS FILES 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
		# chartgate.conf(5) is a file format: its keys take the place of OPTIONS.
		[ "$page" = man5/chartgate.conf.5 ] && [ "$s" = OPTIONS ] && continue
		grep -q "^\.SH $s\$" "$P/share/man/$page" || missing="$missing $s"
	done
	check "$page has every section (missing:${missing:- none})" test -z "$missing"
done
missing=
for key in server workstation ca cert key idle_lock theme softkey log db listen rp_id tls_cert \
	tls_key client_ca session_idle session_max challenge_ttl discharge_grace step_up_ttl break_glass_ttl; do
	grep -qE "(^\.BI |\\\\fP)$key( |\")" "$P/share/man/man5/chartgate.conf.5" || missing="$missing $key"
done
check "chartgate.conf(5) documents every key (missing:${missing:- none})" test -z "$missing"

# The systemd unit: PREFIX substituted, hardened.
UNIT=$P/lib/systemd/system/chartgated.service
check "unit runs PREFIX/bin/chartgated" grep -qx "ExecStart=$PREFIX/bin/chartgated" "$UNIT"
check "unit has no @PREFIX@ left" bash -c "! grep -q @PREFIX@ '$UNIT'"
for h in DynamicUser=yes StateDirectory=chartgate ProtectSystem=strict ProtectHome=yes \
	NoNewPrivileges=yes PrivateTmp=yes PrivateDevices=yes \
	'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' MemoryDenyWriteExecute=yes \
	SystemCallFilter=@system-service CapabilityBoundingSet=; do
	check "unit sets $h" grep -qx "$h" "$UNIT"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	# verify needs the binary at the unit's real path: install once more with PREFIX inside WORK.
	make -s -C "$top" install INSTALL_FROM="$BIN" PREFIX="$WORK/prefix" DESTDIR= >>"$WORK/install.log" 2>&1
	check "systemd-analyze verify accepts the unit" \
		systemd-analyze verify --man=no "$WORK/prefix/lib/systemd/system/chartgated.service"
	level=$(systemd-analyze security --offline=yes "$UNIT" 2>/dev/null |
		sed -n 's/.*Overall exposure level for chartgated.service: \([0-9.]*\).*/\1/p')
	check "systemd-analyze security rates the unit's exposure below 3 (got ${level:-none})" \
		awk -v l="${level:-99}" 'BEGIN { exit !(l < 3) }'
else
	ok "systemd-analyze verify # SKIP not installed (the hardening keys are grepped above)"
fi
