# SPDX-License-Identifier: GPL-2.0-only
# vendorwall build. Out of tree in build/; `make V=1` shows full commands.

.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDEXPANSION:

BUILD      ?= build
PREFIX     ?= /usr
POLICYDIR  ?= $(PREFIX)/share/vendorwall/policy

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

PKGS       := libbpf libsystemd inih libnl-route-3.0 libnl-3.0 sqlite3 json-c libpcap
# Userspace flags; distribution CFLAGS may be appended but never reach BPF.
WARNFLAGS  := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS     ?= -O2 -g
VW_CFLAGS  := $(CFLAGS) $(WARNFLAGS) -std=gnu11 -D_GNU_SOURCE -Iinclude -Idaemon -Idaemon/fp -I$(BUILD) \
              -DVW_POLICY_DIR='"$(POLICYDIR)"' \
              $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
VW_LDLIBS  := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lelf -lz
# BPF flags are our own: no hardening/stack-protector flags from the distro.
# -mcpu=v3 (32-bit jumps and ALU, kernel >= 5.1) saves ~2 ns per benign frame.
ARCH_INC   := -I/usr/include/$(shell $(CC) -dumpmachine 2>/dev/null)
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -D__BPF__ -Wall -Wno-unused-function \
              -fno-stack-protector -Iinclude $(ARCH_INC)

BPF_SRCS   := bpf/vendorwall.bpf.c
BPF_HDRS   := $(wildcard bpf/*.h) include/vendorwall.h
BPF_OBJ    := $(BUILD)/vendorwall.bpf.o
SKEL       := $(BUILD)/vendorwall.skel.h

PROGS      := vendorwalld vendorwallctl
LIB_SRCS   := $(filter-out $(addprefix daemon/,$(addsuffix .c,$(PROGS))),$(wildcard daemon/*.c)) \
              $(wildcard daemon/fp/*.c)
LIB_OBJS   := $(patsubst daemon/%.c,$(BUILD)/daemon/%.o,$(LIB_SRCS))
LIB        := $(BUILD)/libvendorwall.a
PROG_BINS  := $(foreach p,$(PROGS),$(if $(wildcard daemon/$(p).c),$(BUILD)/$(p)))

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
TOOL_SRCS  := $(wildcard tests/bpf/*.c) $(wildcard tests/helpers/*.c) $(wildcard tools/*.c)
TOOL_BINS  := $(patsubst %.c,$(BUILD)/%,$(TOOL_SRCS))

.PHONY: all deps check demo bench clean test-bins
all: $(SKEL) $(PROG_BINS) $(UNIT_BINS) $(TOOL_BINS)

deps:
	$(Q)./tools/deps.sh

$(BPF_OBJ): $(BPF_SRCS) $(BPF_HDRS)
	$(call msg,CLANG,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(SKEL): $(BPF_OBJ)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name vendorwall_bpf > $@

$(BUILD)/daemon/%.o: daemon/%.c $(wildcard daemon/*.h daemon/fp/*.h) include/vendorwall.h $(SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VW_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/%: daemon/%.c $(LIB) $(SKEL)
	$(call msg,CCLD,$@)
	$(Q)$(CC) $(VW_CFLAGS) $< $(LIB) $(VW_LDLIBS) -o $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h)
	$(call msg,CCLD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VW_CFLAGS) -Itests/unit $< $(LIB) $(VW_LDLIBS) -lcmocka -o $@

# Test programs and tools: one C file each, linked with the library.
define tool_rule
$(BUILD)/$(1)/%: $(1)/%.c $(LIB) $(SKEL)
	$$(call msg,CCLD,$$@)
	$(Q)mkdir -p $$(@D)
	$(Q)$$(CC) $$(VW_CFLAGS) $$< $$(LIB) $$(VW_LDLIBS) -o $$@
endef
$(foreach d,tests/bpf tests/helpers tools,$(eval $(call tool_rule,$(d))))

# Parsers of untrusted input under libFuzzer; the targets link the parsers
# alone (no engine, no daemon) so a finding points at one file.
FUZZ_CC    ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
              -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Idaemon -Idaemon/fp
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_LIBSRC:= $(filter-out daemon/fp/engine.c daemon/fp/rules.c daemon/fp/frame.c,$(wildcard daemon/fp/*.c))
FUZZ_TIME  ?= 60

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIBSRC) $(wildcard daemon/fp/*.h tests/fuzz/*.h)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $< $(FUZZ_LIBSRC) -ljson-c -o $@

.PHONY: fuzz fuzz-bins asan
fuzz-bins: $(FUZZ_BINS)

fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-bins
	$(Q)FUZZ_TIME=$(FUZZ_TIME) ./tests/fuzz/run.sh $(BUILD)

# The unit tests again with ASan+UBSan, in their own build tree.
asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
		$(patsubst $(BUILD)/%,$(BUILD)/asan/%,$(UNIT_BINS))

check: deps
	$(Q)$(MAKE) --no-print-directory all asan fuzz-bins
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
