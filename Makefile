# SPDX-License-Identifier: GPL-2.0-only
# vendorwall build. Out of tree in build/; `make V=1` shows full commands.

.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDEXPANSION:

BUILD      ?= build
PREFIX     ?= /usr
POLICYDIR  ?= $(PREFIX)/share/vendorwall/policy
# The one version number: vendorwallctl status, the .deb, the man pages.
VERSION    ?= $(shell cat VERSION 2>/dev/null || echo unknown)

CC         ?= gcc
CLANG      ?= clang
BPFTOOL    ?= bpftool
PKG_CONFIG ?= pkg-config

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

PKGS       := libbpf libsystemd inih libnl-route-3.0 libnl-3.0 sqlite3 json-c libpcap libcurl libhs netsnmp libmnl
# Userspace flags; distribution CFLAGS may be appended but never reach BPF.
WARNFLAGS  := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS     ?= -O2 -g
# Each build product sees only the headers below it in the dependency order
# lib <- vendorwalld, vendorwallctl <- tests and tools: the library cannot
# include the daemon or the CLI, because their folders are not on its path.
LIB_INC    := -Iinclude -Idaemon/lib -Idaemon/lib/fp -I$(BUILD)
VW_CFLAGS  := $(CFLAGS) $(WARNFLAGS) -std=gnu11 -D_GNU_SOURCE \
              -DVW_POLICY_DIR='"$(POLICYDIR)"' -DVW_VERSION='"$(VERSION)"' \
              $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
DAEMON_INC := $(LIB_INC) -Idaemon/vendorwalld
CTL_INC    := $(LIB_INC) -Idaemon/vendorwallctl
ALL_INC    := $(LIB_INC) -Idaemon/vendorwalld -Idaemon/vendorwallctl
VW_LDLIBS  := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lelf -lz
# BPF flags are our own: no hardening/stack-protector flags from the distro.
# -mcpu=v3 (32-bit jumps and ALU, kernel >= 5.1) saves ~2 ns per benign frame.
ARCH_INC   := -I/usr/include/$(shell $(CC) -dumpmachine 2>/dev/null)
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -D__BPF__ -Wall -Wno-unused-function \
              -fno-stack-protector -Iinclude $(ARCH_INC)

BPF_SRCS   := bpf/vendorwall.bpf.c
BPF_HDRS   := $(wildcard bpf/*.h include/*.h)
BPF_OBJ    := $(BUILD)/vendorwall.bpf.o
SKEL       := $(BUILD)/vendorwall.skel.h
# vw-bench's floor programs (tools/vw-floor.bpf.c), embedded as a skeleton.
FLOOR_OBJ  := $(BUILD)/vw-floor.bpf.o
FLOOR_SKEL := $(BUILD)/vw-floor.skel.h

# The library: common modules and the fingerprint engine.
LIB_SRCS   := $(wildcard daemon/lib/*.c daemon/lib/fp/*.c)
LIB_OBJS   := $(patsubst daemon/%.c,$(BUILD)/daemon/%.o,$(LIB_SRCS))
LIB        := $(BUILD)/libvendorwall.a
LIB_HDRS   := $(wildcard daemon/lib/*.h daemon/lib/fp/*.h) include/vendorwall.h
# One folder per program: its main file plus modules archived for the tests.
PROGS      := vendorwalld vendorwallctl
prog_mods   = $(filter-out daemon/$(1)/$(1).c,$(wildcard daemon/$(1)/*.c))
prog_objs   = $(patsubst daemon/%.c,$(BUILD)/daemon/%.o,$(call prog_mods,$(1)))
PROG_ARS   := $(foreach p,$(PROGS),$(BUILD)/lib$(p).a)
PROG_BINS  := $(foreach p,$(PROGS),$(BUILD)/$(p))
# vendorwallctl-full (see below); a tree without full.c (the previous
# version's, built by tools/prev-deb.sh) has one vendorwallctl with everything.
CTL_FULL   := $(if $(wildcard daemon/vendorwallctl/full.c),$(BUILD)/vendorwallctl-full)

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
TOOL_SRCS  := $(wildcard tests/bpf/*.c) $(wildcard tests/helpers/*.c) \
              $(filter-out %.bpf.c,$(wildcard tools/*.c))
TOOL_BINS  := $(patsubst %.c,$(BUILD)/%,$(TOOL_SRCS))
# BPF programs of test helpers (the flood generator), loaded by file name.
HELPER_BPF := $(patsubst tests/helpers/bpf/%.c,$(BUILD)/tests/helpers/%.o,$(wildcard tests/helpers/bpf/*.bpf.c))

# The C tables as shell assignments (MESSAGE_IDs, modes, counter indices)
# for tests/lib/harness.sh: the shell never keeps copies of its own.
NAMES_SH   := $(BUILD)/names.sh

.PHONY: all deps check demo bench clean test-bins
all: $(SKEL) $(PROG_BINS) $(CTL_FULL) $(UNIT_BINS) $(TOOL_BINS) $(HELPER_BPF) $(NAMES_SH)

deps:
	$(Q)./tools/deps.sh

$(BPF_OBJ): $(BPF_SRCS) $(BPF_HDRS)
	$(call msg,CLANG,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/helpers/%.bpf.o: tests/helpers/bpf/%.bpf.c
	$(call msg,CLANG,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(SKEL): $(BPF_OBJ)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name vendorwall_bpf > $@

$(FLOOR_OBJ): tools/vw-floor.bpf.c $(BPF_HDRS)
	$(call msg,CLANG,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(FLOOR_SKEL): $(FLOOR_OBJ)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name vw_floor_bpf > $@

$(BUILD)/daemon/lib/%.o: daemon/lib/%.c $(LIB_HDRS) $(SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VW_CFLAGS) $(LIB_INC) -c $< -o $@

$(BUILD)/daemon/vendorwalld/%.o: daemon/vendorwalld/%.c $(LIB_HDRS) $(wildcard daemon/vendorwalld/*.h) $(SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VW_CFLAGS) $(DAEMON_INC) -c $< -o $@

$(BUILD)/daemon/vendorwallctl/%.o: daemon/vendorwallctl/%.c $(LIB_HDRS) $(wildcard daemon/vendorwallctl/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VW_CFLAGS) $(CTL_INC) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

define prog_rule
$(BUILD)/lib$(1).a: $(call prog_objs,$(1))
	$$(call msg,AR,$$@)
	$(Q)rm -f $$@ && ar rcs $$@ $$^

$(BUILD)/$(1): $(BUILD)/daemon/$(1)/$(1).o $(BUILD)/lib$(1).a $(LIB)
	$$(call msg,CCLD,$$@)
	$(Q)$$(CC) $$(VW_CFLAGS) $$(LDFLAGS) $$^ $$(VW_LDLIBS) -o $$@
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

# vendorwallctl is linked without classify, report and registry fetch (weak
# references, see daemon/vendorwallctl/full.c), so a control command loads
# no Hyperscan, libpcap, libcurl or SQLite; vendorwallctl-full, the same
# main with them, does those commands for it.
LIBEXECDIR ?= $(PREFIX)/libexec
CTL_FULL_OBJS := $(addprefix $(BUILD)/daemon/vendorwallctl/,vendorwallctl.o classify.o fetch.o report_cmd.o)
$(BUILD)/vendorwallctl: LDFLAGS += -Wl,--as-needed
# vendorwalld loads net-snmp (and OpenSSL with it) only when a switch is
# polled (daemon/vendorwalld/snmpwalk.c): it is not linked, and its soname
# is the one the headers belong to.
NETSNMP_SONAME := $(shell readelf -d "$$($(CC) -print-file-name=libnetsnmp.so)" 2>/dev/null | \
		    sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
$(BUILD)/vendorwalld: LDFLAGS += -Wl,--as-needed
$(BUILD)/daemon/vendorwalld/snmpwalk.o: VW_CFLAGS += -DVW_NETSNMP_SONAME='"$(or $(NETSNMP_SONAME),libnetsnmp.so)"'
$(BUILD)/daemon/vendorwallctl/full.o: VW_CFLAGS += -DVW_LIBEXEC_DIR='"$(LIBEXECDIR)/vendorwall"'
ifneq ($(CTL_FULL),)
$(CTL_FULL): $(CTL_FULL_OBJS) $(BUILD)/libvendorwallctl.a $(LIB)
	$(call msg,CCLD,$@)
	$(Q)$(CC) $(VW_CFLAGS) $(LDFLAGS) $^ $(VW_LDLIBS) -o $@
endif

# Tests and tools may use every product; the program archives come first.
TEST_LIBS  := $(PROG_ARS) $(LIB)

$(BUILD)/tests/unit/%: tests/unit/%.c $(TEST_LIBS) $(wildcard tests/unit/*.h)
	$(call msg,CCLD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VW_CFLAGS) $(ALL_INC) -Itests/unit $< $(TEST_LIBS) $(VW_LDLIBS) -lcmocka -o $@

# Test programs and tools: one C file each, linked with the library.
define tool_rule
$(BUILD)/$(1)/%: $(1)/%.c $(TEST_LIBS) $(SKEL)
	$$(call msg,CCLD,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(CC) $$(VW_CFLAGS) $$(ALL_INC) $$< $$(TEST_LIBS) $$(VW_LDLIBS) -o $$@
endef
$(foreach d,tests/bpf tests/helpers tools,$(eval $(call tool_rule,$(d))))
$(BUILD)/tools/vw-bench: $(FLOOR_SKEL)

$(NAMES_SH): $(BUILD)/tools/vw-names
	$(call msg,GEN,$@)
	$(Q)$< >$@

# Parsers of untrusted input under libFuzzer; the targets link the parsers
# alone (no engine, no daemon) so a finding points at one file.
FUZZ_CC    ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
              -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Idaemon/lib -Idaemon/lib/fp
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_LIBSRC:= $(filter-out daemon/lib/fp/engine.c daemon/lib/fp/rules.c daemon/lib/fp/frame.c,$(wildcard daemon/lib/fp/*.c))
FUZZ_TIME  ?= 60
# `make fuzz-long`: executions per target and targets run at once (at nice 19).
FUZZ_LONG_RUNS ?= 10000000
FUZZ_JOBS      ?= 1

# Targets of other inputs than frames name their own sources (and headers).
FUZZ_SRC_fuzz_control_request := daemon/vendorwalld/control_request.c
FUZZ_INC_fuzz_control_request := -Idaemon/vendorwalld
FUZZ_SRC_fuzz_overrides       := daemon/lib/overrides.c daemon/lib/mac.c daemon/lib/names.c daemon/lib/diag.c
FUZZ_SRC_fuzz_escape          := daemon/lib/escape.c
FUZZ_SRC_fuzz_snmppoll        := daemon/lib/snmppoll.c
FUZZ_SRC_fuzz_registry        := daemon/lib/registry.c daemon/lib/diag.c
fuzz_src    = $(or $(FUZZ_SRC_$(1)),$(FUZZ_LIBSRC))

$(BUILD)/fuzz/%: tests/fuzz/%.c $$(call fuzz_src,$$*) $(wildcard daemon/lib/*.h daemon/lib/fp/*.h daemon/vendorwalld/*.h tests/fuzz/*.h)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_INC_$*) $< $(call fuzz_src,$*) -ljson-c -o $@

.PHONY: fuzz fuzz-long fuzz-bins fuzz-seeds asan
fuzz-bins: $(FUZZ_BINS)

# Seeds derived from unit-test samples (banner); the corpus is committed.
fuzz-seeds: $(BUILD)/tools/vw-fuzz-seeds
	$(Q)$< tests/fuzz/corpus

fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-bins
	$(Q)FUZZ_TIME=$(FUZZ_TIME) ./tests/fuzz/run.sh $(BUILD)

# Every target for FUZZ_LONG_RUNS executions, stopping at the first finding;
# hours, not part of `make check`.
fuzz-long: deps
	$(Q)$(MAKE) --no-print-directory fuzz-bins
	$(Q)FUZZ_RUNS=$(FUZZ_LONG_RUNS) FUZZ_JOBS=$(FUZZ_JOBS) nice -n 19 ./tests/fuzz/run.sh $(BUILD)

# The unit tests again with ASan+UBSan, in their own build tree.
asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
		$(patsubst $(BUILD)/%,$(BUILD)/asan/%,$(UNIT_BINS))

check: deps
	$(Q)$(MAKE) --no-print-directory all asan fuzz-bins deb deb-prev
	$(Q)./tests/run.sh $(BUILD)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./tools/demo.sh $(BUILD)

bench:
	$(Q)./tools/deps.sh bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./tools/bench.sh $(BUILD)

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

# ---- install and package ---------------------------------------------------
# `make install DESTDIR=... PREFIX=...`; `make deb` builds the Debian package
# from packaging/debian/ in a source tree assembled under build/deb/.
BINDIR        ?= $(PREFIX)/bin
SBINDIR       ?= $(PREFIX)/sbin
DATADIR       ?= $(PREFIX)/share
MANDIR        ?= $(DATADIR)/man
DOCDIR        ?= $(DATADIR)/doc/vendorwall
# /etc whatever the PREFIX: the daemon's default --config is compiled in.
SYSCONFDIR    ?= /etc
# Debian 12 keeps units in /lib/systemd/system; ask systemd where.
SD_UNITDIR    := $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null)
UNITDIR       ?= $(or $(if $(filter /usr,$(PREFIX)),$(SD_UNITDIR)),$(PREFIX)/lib/systemd/system)
CATALOGDIR    ?= $(PREFIX)/lib/systemd/catalog
SYSUSERSDIR   ?= $(PREFIX)/lib/sysusers.d
COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
INSTALL       ?= install
POLICY_FILES  := $(wildcard policy/vendors/*.conf policy/profiles/*.conf policy/fingerprints/*.conf)
# Paths the unit and the man pages name, rewritten for another PREFIX.
# The daemon; the registry updater and the OpenMetrics writer (timers the
# operator enables: an air-gapped gateway has no IEEE to fetch from).
UNITS         := vendorwalld.service vendorwall-registry-update.service \
                 vendorwall-registry-update.timer vendorwall-openmetrics.service \
                 vendorwall-openmetrics.timer
SUBST_PATHS   := -e 's|/usr/sbin/vendorwalld|$(SBINDIR)/vendorwalld|g' \
                 -e 's|/usr/libexec/vendorwall/|$(LIBEXECDIR)/vendorwall/|g' \
                 -e 's|/usr/bin/vendorwallctl|$(BINDIR)/vendorwallctl|g' \
                 -e 's|/usr/share/vendorwall/policy|$(POLICYDIR)|g'

.PHONY: install deb
install: $(PROG_BINS) $(CTL_FULL)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(CATALOGDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(COMPLETIONDIR) \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/vendorwall \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(LIBEXECDIR)/vendorwall \
		$(addprefix $(DESTDIR)$(POLICYDIR)/,vendors profiles fingerprints)
	$(Q)$(INSTALL) -m 0755 $(BUILD)/vendorwalld $(DESTDIR)$(SBINDIR)/vendorwalld
	$(Q)$(INSTALL) -m 0755 $(BUILD)/vendorwallctl $(DESTDIR)$(BINDIR)/vendorwallctl
	$(if $(CTL_FULL),$(Q)$(INSTALL) -m 0755 $(CTL_FULL) $(DESTDIR)$(LIBEXECDIR)/vendorwall/vendorwallctl-full)
	$(Q)for f in $(POLICY_FILES); do \
		$(INSTALL) -m 0644 $$f $(DESTDIR)$(POLICYDIR)/$${f#policy/} || exit 1; done
	$(Q)for u in $(UNITS); do \
		sed $(SUBST_PATHS) packaging/$$u >$(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	$(Q)$(INSTALL) -m 0644 packaging/vendorwall.catalog $(DESTDIR)$(CATALOGDIR)/vendorwall.catalog
	$(Q)$(INSTALL) -m 0644 packaging/vendorwall.sysusers $(DESTDIR)$(SYSUSERSDIR)/vendorwall.conf
	$(Q)$(INSTALL) -m 0644 packaging/vendorwallctl.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/vendorwallctl
	$(Q)for m in vendorwalld.8 vendorwallctl.8 vendorwall.conf.5; do \
		sed $(SUBST_PATHS) -e '/^\.TH /s/"vendorwall"/"vendorwall $(VERSION)"/' packaging/$$m \
			>$(DESTDIR)$(MANDIR)/man$${m##*.}/$$m || exit 1; done
	$(Q)$(INSTALL) -m 0644 policy/vendorwall.conf.example $(DESTDIR)$(DOCDIR)/examples/
	@# an operator's configuration is never overwritten
	$(Q)[ -e $(DESTDIR)$(SYSCONFDIR)/vendorwall/vendorwall.conf ] || \
		$(INSTALL) -m 0644 packaging/vendorwall.conf $(DESTDIR)$(SYSCONFDIR)/vendorwall/vendorwall.conf

DEB_ARCH      := $(shell dpkg --print-architecture 2>/dev/null)
DEB           := $(BUILD)/vendorwall_$(VERSION)_$(DEB_ARCH).deb
DEB_TREE      := $(BUILD)/deb/vendorwall-$(VERSION)
DEB_SOURCES   := Makefile VERSION README.md include bpf daemon policy packaging
LINTIAN       ?= lintian

deb: $(DEB)

$(DEB): $(DEB_SOURCES) $(shell find $(DEB_SOURCES) -type f 2>/dev/null)
	$(call msg,DEB,$@)
	$(Q)v=$$(dpkg-parsechangelog -l packaging/debian/changelog -S Version) && \
		[ "$$v" = "$(VERSION)" ] || { echo "packaging/debian/changelog is at $$v but VERSION says $(VERSION): add a changelog entry" >&2; exit 1; }
	$(Q)rm -rf $(BUILD)/deb && mkdir -p $(DEB_TREE)
	$(Q)cp -a $(DEB_SOURCES) $(DEB_TREE)/
	$(Q)cp -a packaging/debian $(DEB_TREE)/debian
	$(Q)cp packaging/vendorwall.sysusers $(DEB_TREE)/debian/vendorwall.sysusers
	$(Q)cd $(DEB_TREE) && dpkg-buildpackage -b -us -uc >../build.log 2>&1 || \
		{ tail -40 ../build.log >&2; echo "full log: $(BUILD)/deb/build.log" >&2; exit 1; }
	$(Q)mv $(BUILD)/deb/vendorwall_$(VERSION)_$(DEB_ARCH).deb $@
	$(Q)[ "$(LINTIAN)" = no ] || { $(LINTIAN) --fail-on error,warning $@ >$(BUILD)/lintian.txt; \
		rc=$$?; cat $(BUILD)/lintian.txt; \
		echo "  LINTIAN  $@: $$(grep -c . $(BUILD)/lintian.txt) finding(s), exit status $$rc"; \
		exit $$rc; }

$(BUILD)/daemon/vendorwalld/handlers.o: VERSION

# The previous version's package, for the upgrade test: the daemon of the last
# commit before the package existed (0.1), with this tree's packaging.
PREV_COMMIT   ?= 6fbbe5a2593ec8ec803df5b8a4ce08eaeba00e82
PREV_VERSION  ?= 0.1
PREV_DEB      := $(BUILD)/prev/vendorwall_$(PREV_VERSION)_$(DEB_ARCH).deb
.PHONY: deb-prev
deb-prev: $(PREV_DEB)
$(PREV_DEB): tools/prev-deb.sh Makefile $(shell find packaging -type f)
	$(call msg,DEB,$@ (from $(PREV_COMMIT)))
	$(Q)rm -rf $(BUILD)/prev
	$(Q)./tools/prev-deb.sh $(PREV_COMMIT) $(PREV_VERSION) $(BUILD)/prev
