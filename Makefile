# SPDX-License-Identifier: GPL-2.0
#
# Tessera top-level Makefile. The kernel modules (tessera.ko, tessera-vgpu.ko)
# are described by the Kbuild files (top-level Kbuild descends into
# drivers/tessera/); this file drives everything else. See README.md.
#
#   make              module (6.12), tools, in-VM tests, QEMU with the model
#   make check        everything: unit tests, builds, lint, VM test suites
#   make demo         boot a VM with a Tessera GPU and show it at work
#   make bench        time-slice scheduler benchmark (VM, not in check)
#   make bench-migrate  live migration benchmark (VM, not in check)
#   make install      install the modules for $(KVER) (depmod: modprobe
#                     tessera, modprobe tessera-vgpu work) and the tessera
#                     tool (PREFIX=/usr/local)
#   make deb          the tessera-dkms Debian package, in build/deb/
#   make modules-newest  compile against the newest kernel Debian ships

TOP := $(CURDIR)
BUILD := $(TOP)/build
export TOP BUILD

KVER ?= $(shell $(TOP)/scripts/kernel-version.sh 6.12 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
KVER_COMPAT ?= $(shell $(TOP)/scripts/kernel-version.sh 6.1 2>/dev/null)
KDIR_COMPAT ?= /lib/modules/$(KVER_COMPAT)/build
COMPAT_TREE := $(BUILD)/compat-$(KVER_COMPAT)

all: modules tools tests qemu

need-kdir = @test -d "$(1)" || { echo "error: no kernel headers at $(1);" \
	"run scripts/setup-host.sh (or set KDIR=)" >&2; exit 1; }

modules:
	$(call need-kdir,$(KDIR))
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules

# Build against the second supported kernel in a copy of the sources, so
# that the two builds' objects never mix in the source tree.
modules-compat:
	$(call need-kdir,$(KDIR_COMPAT))
	@rm -rf $(COMPAT_TREE) && mkdir -p $(COMPAT_TREE)
	@cp -a $(TOP)/Kbuild $(TOP)/drivers $(TOP)/include $(COMPAT_TREE)/
	@find $(COMPAT_TREE) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete
	$(MAKE) -C $(KDIR_COMPAT) M=$(COMPAT_TREE) W=1 modules

# The debug kernel (scripts/build-debug-kernel.sh: lockdep, KASAN, UBSAN,
# kmemleak), and the module built against it in its own copy of the
# sources: $(DEBUG_TREE)/drivers/tessera/tessera.ko (and tessera-vgpu.ko
# next to it), which the debug stage loads (TESSERA_KO).
DEBUG_TREE := $(BUILD)/debug
debug-kernel:
	scripts/build-debug-kernel.sh

modules-debug:
	@kdir=$$(scripts/build-debug-kernel.sh --print-dir) && \
	rm -rf $(DEBUG_TREE) && mkdir -p $(DEBUG_TREE) && \
	cp -a $(TOP)/Kbuild $(TOP)/drivers $(TOP)/include $(DEBUG_TREE)/ && \
	find $(DEBUG_TREE) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete && \
	$(MAKE) -C $$kdir/build M=$(DEBUG_TREE) W=1 modules

# The newest kernel Debian ships (scripts/build-newest-kernel.sh: its
# linux-source, configured and modules_prepare'd), compiled against W=1 in
# its own copy of the sources: API drift shows before users meet it. No
# Module.symvers there, so modpost only warns of undefined symbols.
NEWEST_TREE := $(BUILD)/newest
modules-newest:
	@kdir=$$(scripts/build-newest-kernel.sh --print-dir) && \
	rm -rf $(NEWEST_TREE) && mkdir -p $(NEWEST_TREE) && \
	cp -a $(TOP)/Kbuild $(TOP)/drivers $(TOP)/include $(NEWEST_TREE)/ && \
	find $(NEWEST_TREE) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete && \
	echo "modules-newest: against $$(cat $$kdir/include/config/kernel.release) ($$kdir)" && \
	$(MAKE) -C $$kdir M=$(NEWEST_TREE) W=1 KBUILD_MODPOST_WARN=1 modules

sparse:
	$(call need-kdir,$(KDIR))
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 C=2 CF="-D__CHECK_ENDIAN__" modules

# Every module of the tree goes to /lib/modules/$(KVER)/updates (found
# before the kernel's own), then depmod so that modprobe finds them.
install: modules_install
	$(MAKE) -C tools O=$(BUILD)/tools install

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER)

# The tessera-dkms package: the module's sources and dkms.conf for DKMS.
deb:
	scripts/mkdeb.sh

tools:
	$(MAKE) -C tools O=$(BUILD)/tools

unit:
	$(MAKE) -C tests/unit O=$(BUILD)/unit run

# Every in-VM suite under tests/ (all but the host unit tests) has a
# Makefile taking O=.
VM_SUITES := $(filter-out unit,$(notdir $(patsubst %/Makefile,%,$(wildcard tests/*/Makefile))))

tests:
	@set -e; for s in $(VM_SUITES); do \
		$(MAKE) -C tests/$$s O=$(BUILD)/tests/$$s; done

qemu:
	scripts/build-qemu.sh

checkpatch:
	scripts/checkpatch.sh

vmtest: modules tools tests qemu
	scripts/run-vm-tests.sh

# make demo and make check do their own set-up: scripts/ensure-host.sh runs
# scripts/setup-host.sh when a package is missing, then a fresh make (so
# that KVER & co are resolved with the kernels installed) builds the rest.
setup-host:
	scripts/ensure-host.sh

check: setup-host
	scripts/check.sh

demo: setup-host
	$(MAKE) modules tools tests qemu
	scripts/demo.sh

# Time-slice scheduler benchmark in the VM (not part of make check); see
# Documentation/dev/scheduler.rst.
bench: modules tools qemu
	bench/run-bench.sh

# Live migration benchmark in the VM rig (not part of make check); see
# bench/migrate-bench.sh and Documentation/dev/migration.rst.
bench-migrate: modules tests tools qemu
	bench/migrate-bench.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf $(BUILD)

.PHONY: all modules modules-compat debug-kernel modules-debug modules-newest sparse install modules_install deb tools \
	setup-host \
	unit tests qemu checkpatch vmtest check demo bench bench-migrate clean
