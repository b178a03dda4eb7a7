# SPDX-License-Identifier: GPL-2.0
#
# A thin wrapper around kbuild (the rules are in Kbuild).
#
#   make                 build sockmap.ko for the running kernel
#   make KDIR=/path      ... against any configured kernel tree or headers
#   make install         install it for the running kernel (then: modprobe sockmap);
#                        KVER=... KDIR=... for another installed kernel
#   make deb             the Debian package sockmap-dkms_VERSION_all.deb (DKMS);
#                        then: apt install ./sockmap-dkms_*.deb
#   make demo            boot Debian's 6.12 kernel in QEMU and show /proc/sockmap
#   make check           every test: builds and the DKMS package, demo and VM checks
#                        on Debian's five kernel series (5.10 to 7.3), KUnit (UML)
#                        and stress on two sources, make fresh, the labs
#   make fresh           make demo in a new minimal Debian 12 root (debootstrap),
#                        from a clean clone of HEAD and an empty cache
#   make style           make check's build part: W=1 and sparse builds and the
#                        DKMS package on each kernel, in a root of its Debian
#                        release (made if missing); checkpatch; what each root
#                        holds; apt waiting for a lock
#   make lab LAB=N       start lab N of labs/ in labs/work/ (labs/README.md);
#                        make lab-check LAB=N checks it, make lab-reset
#                        LAB=N FORCE=1 starts it over, make labs lists them
#   make W=1 / C=2       extra warnings / sparse, as for any kernel build
#   make exporter        exporter/sockmap-exporter, /proc/sockmap for Prometheus
#                        (docs/exporter.md); scripts/exporter tests it

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# DKMS's copy of the tree has no exporter/: its CLEAN is this target too.
clean:
ifneq ($(wildcard exporter/Makefile),)
	$(MAKE) -C exporter clean
endif
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

# Distribution headers carry no System.map, so kbuild skips depmod: run it.
install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)

deb:
	scripts/deb

demo:
	scripts/demo

check:
	scripts/check

fresh:
	scripts/fresh

kunit:
	scripts/kunit

e2e:
	scripts/e2e

fleet:
	scripts/fleet

stress:
	scripts/stress

bench:
	scripts/bench

style:
	scripts/style

lab:
	scripts/lab start $(LAB)

lab-check:
	scripts/lab check $(LAB)

lab-reset:
	scripts/lab reset $(LAB) $(if $(FORCE),--force)

labs:
	scripts/lab list

exporter:
	$(MAKE) -C exporter

.PHONY: all modules clean install deb demo check fresh kunit e2e fleet stress bench style \
	lab lab-check lab-reset labs exporter
