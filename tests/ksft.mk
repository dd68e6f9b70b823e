# SPDX-License-Identifier: GPL-2.0
#
# Shared build rules of the in-VM kselftest suites (tests/<suite>/Makefile).
# A suite's Makefile sets, then includes this file:
#
#   SUITE      its name; binaries go to $(O) = build/tests/$(SUITE)
#   LIB_SRCS   library sources linked into every test (absolute paths)
#   LIB_HDRS   headers the tests and library depend on
#   SUITE_CFLAGS  extra -I etc. (optional)
#   TEST_SRCS  the test programs (default: every *.c of the suite)
#
# Each test program <name>.c becomes $(O)/<name>. They are built on the host
# and run inside the VM rig, which sees the same root filesystem (so the
# same libc). The kselftest harness headers come from Debian's
# linux-source-6.12 (scripts/fetch-kselftest.sh), never from this tree.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
O ?= $(TOP)/build/tests/$(SUITE)
KSFT := $(TOP)/build/kselftest
CC ?= cc
CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE \
	  -I$(KSFT) -I$(TOP)/include/uapi -I$(TOP)/include -I$(CURDIR) \
	  $(SUITE_CFLAGS) $(EXTRA_CFLAGS)
# The harness's macros compare int literals with unsigned values and leave
# parameters unused: -Wextra would flag its code, not ours.
CFLAGS += -Wno-unused-parameter -Wno-missing-field-initializers \
	  -Wno-sign-compare -Wno-clobbered

TEST_SRCS ?= $(wildcard $(CURDIR)/*.c)
KSFT_HDRS := $(KSFT)/kselftest_harness.h $(KSFT)/kselftest.h
LIB_HDRS += $(TOP)/include/tessera/tessera_regs.h $(wildcard $(CURDIR)/*.h)
LIB_OBJS := $(foreach s,$(LIB_SRCS),$(O)/lib/$(notdir $(s:.c=.o)))
BINS := $(addprefix $(O)/,$(notdir $(TEST_SRCS:.c=)))

all: $(BINS)

$(KSFT_HDRS):
	$(TOP)/scripts/fetch-kselftest.sh $(KSFT)

define lib_rule
$(O)/lib/$(notdir $(1:.c=.o)): $(1) $(LIB_HDRS) $(KSFT_HDRS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) -c -o $$@ $$<
endef
$(foreach s,$(LIB_SRCS),$(eval $(call lib_rule,$(s))))

$(O)/%: %.c $(LIB_OBJS) $(LIB_HDRS) $(KSFT_HDRS)
	@mkdir -p $(O)
	$(CC) $(CFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS)

clean:
	rm -rf $(O)

# Keep the library objects (no rebuild of every binary on each make).
.SECONDARY:
.PHONY: all clean
