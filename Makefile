# SPDX-License-Identifier: GPL-2.0
#
# A thin wrapper around kbuild (the rules are in Kbuild).
#
#   make                 build sockmap.ko for the running kernel
#   make KDIR=/path      ... against any configured kernel tree or headers
#   make install         install it for the running kernel (then: modprobe sockmap)
#   make demo            boot Debian's 6.12 kernel in QEMU and show /proc/sockmap
#   make check           every test: KUnit (UML), VM checks on 6.1 and 6.12, stress
#   make style           checkpatch --strict on the sources
#   make W=1 / C=2       extra warnings / sparse, as for any kernel build

KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(realpath $(KDIR))))

demo:
	scripts/demo

check:
	scripts/check

kunit:
	scripts/kunit

e2e:
	scripts/e2e

stress:
	scripts/stress

bench:
	scripts/bench

style:
	scripts/style

.PHONY: all modules clean install demo check kunit e2e stress bench style
