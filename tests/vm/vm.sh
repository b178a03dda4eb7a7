# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # sets variables for its callers
# The VM harness: boot a Debian kernel under QEMU (software emulation, TCG)
# with a tiny busybox initramfs, insmod sockmap.ko, run one payload script,
# and judge the console log. Source it after common.sh; do not run it.
#
# Usage (see scripts/demo for a complete caller):
#
#	. "$(dirname "$0")/lib/common.sh"
#	. "$SOCKMAP_TOP/tests/vm/vm.sh"
#	vm_need_packages
#	vm_kernel linux-image-6.12-amd64	# sets KROOT KREL KDIR VMLINUZ
#	work=$(vm_workdir demo)			# a fresh dir, removed on exit
#	vm_build_module "$KDIR" "$work"		# -> $work/sockmap.ko (W=1, no warnings)
#	vm_initramfs "$work/initrd.gz" "$KROOT" "$work/sockmap.ko" \
#		tests/guest/demo.sh [FILE:/DEST ...]
#	vm_run "$work/initrd.gz" "$VMLINUZ" "$work/console.log" 120 [NAME=VALUE ...]
#	vm_verdict "$work/console.log"		# 0 only on a clean, successful run
#
# What the guest contains (see vm_initramfs):
#	/init			tests/guest/init.sh
#	/payload		the payload script, run by /init as root with cwd /tmp
#	/lib/ktap.sh		scripts/lib/ktap.sh, with which payloads report
#				their checks in KTAP
#	/sockmap.ko		the module under test ("-" as KO: none; /init then
#				does not insmod)
#	/bin,/sbin,/usr/...	busybox (every applet), the real ss, lsof and ip
#	/workload/NAME		every tests/workload/NAME.c, built static
#				(call them by path: /workload/echo, since `echo`
#				alone is the shell's builtin)
#	/lib/modules/diag/	the sock_diag modules ss needs, and veth; loaded
#				by /init
#	/etc/passwd, group	root (0) and user (1000:1000, home /tmp), for
#				tests that need a second uid: `su user -c CMD`
#
# Guest/host protocol:
#	- Kernel command line words NAME=VALUE given to vm_run (no dots in
#	  NAME) become environment variables of /init and the payload: that is
#	  how a caller passes options (e.g. demo_mode=check).
#	- /init prints $VM_OK_TOKEN on a line of its own only if the module
#	  loaded, the payload exited 0 and the module unloaded again; otherwise
#	  it prints "SOCKMAP-GUEST-FAIL: why". Then it reboots, which with
#	  -no-reboot ends QEMU.
#	- The console runs at loglevel 5: warnings and worse reach the log,
#	  info messages do not clutter the payload's output. /init appends the
#	  full dmesg at the end, between "@@dmesg-begin@@" and "@@dmesg-end@@".
#	- vm_section LOG NAME prints what the payload wrote between its
#	  "@@NAME-begin@@" and "@@NAME-end@@" lines, without kernel messages.
#
# Knobs (environment): VM_MEM (2G), VM_SMP (2), VM_CONSOLE=1 to also show
# the guest console on the terminal (stderr), VM_QEMU_EXTRA (more QEMU args),
# VM_NIC (QEMU's -nic; default none: no network but lo; scripts/fleet gives
# a user network with forwarded ports), VM_EXTRA_MODULES (more modules for
# /init to load after the diag modules, e.g. virtio_net).

# shellcheck source=scripts/lib/chroot.sh
. "$SOCKMAP_TOP/scripts/lib/chroot.sh"
# shellcheck source=scripts/lib/release.sh
. "$SOCKMAP_TOP/scripts/lib/release.sh"

VM_OK_TOKEN=SOCKMAP-GUEST-OK
# What /init prints first, before it loads anything (see vm_run).
VM_INIT_TOKEN=SOCKMAP-INIT-START

# The modules loaded in the guest: the diag modules, so that ss sees every
# family, and veth, for interfaces that come and go.
VM_DIAG_MODULES="inet_diag tcp_diag udp_diag raw_diag unix_diag netlink_diag af_packet_diag veth"

# vm_need_packages - the host tools every VM run needs (Debian package names).
vm_need_packages() {
	need_packages qemu-system-x86 busybox-static iproute2 lsof gcc libc6-dev \
		make xz-utils zstd cpio kmod coreutils
}

# vm_kernel NAME - make a Debian kernel ready (scripts/lib/release.sh:
# kernel_select; NAME is e.g. 6.12, backports or SUITE/META) and set
#	KROOT	its image and modules, unpacked
#	KREL	its release (uname -r)
#	KDIR	its headers, inside the root of its release (KRELROOT)
#	VMLINUZ	its bootable image
vm_kernel() {
	kernel_select "$1"
}

# vm_workdir NAME - make a fresh scratch directory under the cache and
# print it. It is removed when the calling shell exits, unless VM_KEEP=1
# (vm_verdict sets VM_KEEP=1 on failure so the log stays for reading).
# Call it as work=$(vm_workdir NAME), then `vm_cleanup_on_exit "$work"`.
vm_workdir() {
	mkdir -p "$SOCKMAP_CACHE/runs"
	mktemp -d "$SOCKMAP_CACHE/runs/$1.XXXXXX"
}

# vm_cleanup_on_exit DIR - remove DIR when the script exits, unless VM_KEEP=1.
vm_cleanup_on_exit() {
	VM_CLEANUP_DIR=$1
	trap 'vm_cleanup' EXIT
}

vm_cleanup() {
	if [ "${VM_KEEP:-0}" = 1 ]; then
		log "kept $VM_CLEANUP_DIR"
	else
		rm -rf "$VM_CLEANUP_DIR"
	fi
}

# The parts of the checkout that kbuild reads.
VM_MODULE_SOURCES="Kbuild Makefile Kconfig module include kunit"

# vm_build_module KDIR OUTDIR - build sockmap.ko for the kernel vm_kernel
# chose, from a copy of the checkout, with README's `make` run inside the
# root of that kernel's release (kernel_make), W=1. KDIR must be that
# kernel's ($KDIR). Fails if the build fails or prints any warning. Leaves
# OUTDIR/sockmap.ko and the build output in OUTDIR/build.log. A clean build
# is remembered in the cache under a hash of every source file and the
# kernel, so the same sources are not built twice.
vm_build_module() {
	local kdir=$1 out=$2 src=$2/src key
	[ "$kdir" = "$KDIR" ] || die "vm_build_module: $kdir is not the kernel vm_kernel chose"
	vm_copy_sources "$src"
	key=$( (cd "$src" && find . -type f -print0 | sort -z | xargs -0 sha256sum
		echo "$KSUITE $KREL") | sha256sum | cut -c1-16)
	vm_module_cached "$key" "$out" "$KREL" && return 0
	log "building sockmap.ko for $KREL in the $(release_of "$KSUITE") root (W=1)"
	if ! kernel_make "$src" "$out/build.log" W=1; then
		cat "$out/build.log" >&2
		die "module build failed against $KREL"
	fi
	vm_module_keep "$key" "$out"
}

# vm_module_cached KEY OUTDIR WHAT - copy the module cached under KEY and
# its build.log to OUTDIR, if there is one.
vm_module_cached() {
	local cached=$SOCKMAP_CACHE/modules/$1
	[ -f "$cached/sockmap.ko" ] || return 1
	log "sockmap.ko for these sources and $3: cached ($cached)"
	cp "$cached/sockmap.ko" "$cached/build.log" "$2/"
}

# vm_module_keep KEY OUTDIR - after a build in OUTDIR/src: fail on any
# warning in OUTDIR/build.log, else copy sockmap.ko to OUTDIR and cache
# both under KEY.
vm_module_keep() {
	local cached=$SOCKMAP_CACHE/modules/$1 out=$2
	if grep -Ei 'warning:|error:' "$out/build.log" >&2; then
		die "module build printed warnings (full log: $out/build.log)"
	fi
	cp "$out/src/sockmap.ko" "$out/sockmap.ko"
	mkdir -p "$cached.tmp.$$"
	cp "$out/sockmap.ko" "$out/build.log" "$cached.tmp.$$/"
	mv -T "$cached.tmp.$$" "$cached" 2>/dev/null || rm -rf "$cached.tmp.$$"
}

# vm_copy_sources DIR - what kbuild reads, without the objects of a build
# in the checkout, copied to a new DIR.
vm_copy_sources() {
	[ -f "$SOCKMAP_TOP/Kbuild" ] || die "no Kbuild in $SOCKMAP_TOP"
	rm -rf "$1" && mkdir -p "$1"
	# shellcheck disable=SC2046,SC2086 # a list of names without spaces
	(cd "$SOCKMAP_TOP" && tar --exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='*.cmd' \
		--exclude='*.symvers' --exclude=modules.order --exclude='*.d' \
		--exclude=.cache.mk -cf - $(ls -d $VM_MODULE_SOURCES 2>/dev/null)) |
		tar -C "$1" -xf -
}

# vm_build_workloads OUTDIR - compile every tests/workload/*.c into a
# static binary OUTDIR/NAME (gcc -static -O2 -pthread), each cached in
# $SOCKMAP_CACHE/workloads under a hash of its source.
vm_build_workloads() {
	local out=$1 c name bin
	mkdir -p "$out" "$SOCKMAP_CACHE/workloads"
	for c in "$SOCKMAP_TOP"/tests/workload/*.c; do
		[ -e "$c" ] || continue
		name=$(basename "$c" .c)
		bin=$SOCKMAP_CACHE/workloads/$name-$(sha256sum "$c" | cut -c1-16)
		if [ ! -x "$bin" ]; then
			gcc -static -O2 -pthread -Wall -Wextra -o "$bin.$$" "$c" ||
				die "cannot build $c"
			mv "$bin.$$" "$bin"
		fi
		cp "$bin" "$out/$name"
	done
}

# vm_initramfs OUT KROOT KO PAYLOAD [FILE:DEST ...] - write a gzip'd cpio
# to OUT holding busybox, ss, lsof, ip, the diag modules (and veth) of the
# kernel in KROOT, KO as /sockmap.ko (KO "-": none), the workloads, /init
# and PAYLOAD as /payload. Each FILE:DEST copies one more host file (or
# directory) to DEST. Last, the function named by VM_INITRAMFS_HOOK, if
# any, is called with the initramfs's directory to add more (e.g.
# vm_add_root_binary).
vm_initramfs() {
	local out=$1 kroot=$2 ko=$3 payload=$4 root spec
	shift 4
	root=$(mktemp -d "${out%/*}/initramfs.XXXXXX")
	chmod 0755 "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,workload}

	vm_add_busybox "$root"
	vm_add_binary "$root" "$(command -v ss)"
	vm_add_binary "$root" "$(command -v lsof)"
	vm_add_binary "$root" "$(command -v ip)"
	vm_add_diag_modules "$root" "$kroot"
	vm_build_workloads "$root/workload"

	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n' \
		>"$root/etc/passwd"
	printf 'root:x:0:\nuser:x:1000:\n' >"$root/etc/group"
	# The kernel opens /dev/console for /init before anything is mounted.
	mknod -m 0600 "$root/dev/console" c 5 1 2>/dev/null || true
	install -m 0755 "$SOCKMAP_TOP/tests/guest/init.sh" "$root/init"
	install -m 0755 "$payload" "$root/payload"
	install -D -m 0644 "$SOCKMAP_TOP/scripts/lib/ktap.sh" "$root/lib/ktap.sh"
	[ "$ko" = - ] || install -m 0644 "$ko" "$root/sockmap.ko"
	for spec in "$@"; do
		mkdir -p "$root/$(dirname "${spec#*:}")"
		cp -a "${spec%%:*}" "$root/${spec#*:}"
	done
	[ -z "${VM_INITRAMFS_HOOK:-}" ] || "$VM_INITRAMFS_HOOK" "$root"

	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	rm -rf "$root"
}

# vm_add_busybox ROOT - busybox-static with a link for every applet.
vm_add_busybox() {
	local root=$1 applet
	install -m 0755 /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list-full); do
		[ "$applet" = bin/busybox ] && continue
		mkdir -p "$root/$(dirname "$applet")"
		ln -sf /bin/busybox "$root/$applet"
	done
}

# vm_add_binary ROOT PATH - copy a dynamically linked program to the same
# path in ROOT, with the shared libraries ldd says it needs. It replaces a
# busybox link of the same name (rm first: cp would follow the link).
vm_add_binary() {
	local root=$1 bin=$2 lib
	[ -x "$bin" ] || die "missing program $bin"
	for lib in "$bin" $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root/$(dirname "$lib")"
		rm -f "$root/$lib"
		cp -L "$lib" "$root/$lib"
	done
}

# vm_add_root_binary ROOT RELROOT PATH - copy the program PATH of a
# release's root (release_root) to the same path in ROOT, with the shared
# libraries that root's ldd names, taken from that root too. A library
# already in ROOT is kept: the host's copy, which the host's programs
# (ss, ip) were linked against; the roots and the host are the same
# Debian release, so it is the same library.
vm_add_root_binary() {
	local root=$1 relroot=$2 bin=$3 lib
	[ -x "$relroot$bin" ] || die "missing program $bin in $relroot"
	for lib in $(chroot "$relroot" ldd "$bin" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$relroot$lib" "$root$lib"
	done
	mkdir -p "$root$(dirname "$bin")"
	rm -f "$root$bin"
	cp -L "$relroot$bin" "$root$bin"
}

# vm_add_diag_modules ROOT KROOT - the sock_diag modules of that kernel
# (and $VM_EXTRA_MODULES) and what they depend on (modinfo's depends:
# field, the data depmod writes to modules.dep), decompressed on the host
# so busybox insmod can load them. /lib/modules/diag/order lists them in
# load order, dependencies first.
vm_add_diag_modules() {
	local root=$1 kroot=$2 dir=$1/lib/modules/diag mod
	mkdir -p "$dir"
	: >"$dir/order"
	for mod in $VM_DIAG_MODULES ${VM_EXTRA_MODULES:-}; do
		vm_add_module "$dir" "$kroot" "$mod"
	done
}

vm_add_module() {
	local dir=$1 kroot=$2 mod=$3 file dep mods
	grep -qx "$mod.ko" "$dir/order" && return 0
	mods=$(kernel_modules_dir "$kroot") || exit 1
	file=$(find "$mods" -name "$mod.ko" -o \
		-name "$mod.ko.xz" -o -name "$mod.ko.zst" 2>/dev/null | head -n 1 || true)
	if [ -z "$file" ]; then
		log "no $mod module in $kroot (built in?), skipped"
		return 0
	fi
	for dep in $(modinfo -F depends "$file" | tr , ' '); do
		vm_add_module "$dir" "$kroot" "$dep"
	done
	case $file in
	*.xz) xz -dc "$file" >"$dir/$mod.ko" ;;
	*.zst) zstd -qdc "$file" >"$dir/$mod.ko" ;;
	*) cp "$file" "$dir/$mod.ko" ;;
	esac
	echo "$mod.ko" >>"$dir/order"
}

# vm_run INITRAMFS VMLINUZ LOG TIMEOUT [CMDLINE-WORD ...] - boot the guest
# under TCG and write its console (without carriage returns) to LOG.
# QEMU is killed after TIMEOUT seconds. Returns QEMU's status (124 when it
# timed out); judge the run with vm_verdict, not with this status.
#
# A kernel that dies before it runs /init (seen once in many boots: an
# "Oops: int3" in sched_clock_cpu() during the initcalls, a race of TCG
# with the kernel's code patching on 2 vCPUs) has not loaded sockmap yet:
# that boot is made once more, its log kept as LOG.early-death.
vm_run() {
	local rc=0
	vm_boot "$@" || rc=$?
	if vm_died_before_init "$3"; then
		mv "$3" "$3.early-death"
		log "the guest kernel died before /init ($3.early-death); booting once more"
		rc=0
		vm_boot "$@" || rc=$?
	fi
	return "$rc"
}

# vm_died_before_init LOG - the kernel reported a problem and /init never
# said it started.
vm_died_before_init() {
	! grep -qx "$VM_INIT_TOKEN" "$1" &&
		grep -qE "$VM_BAD_PATTERNS" "$1"
}

# vm_boot - one boot, as vm_run describes. The console reaches LOG line by
# line (stdbuf), not in tr's 4 KiB blocks: a caller may read LOG while the
# guest runs (scripts/fleet answers the guest).
vm_boot() {
	local initrd=$1 kernel=$2 logf=$3 limit=$4 rc=0 start=$SECONDS
	shift 4
	local cmdline="console=ttyS0 loglevel=5 panic=-1 oops=panic mitigations=off $*"
	log "booting $(basename "$kernel") under TCG (timeout ${limit}s, console: $logf)"
	# shellcheck disable=SC2086 # VM_QEMU_EXTRA is a list of words
	timeout -k 5 "$limit" qemu-system-x86_64 -accel tcg \
		-smp "${VM_SMP:-2}" -m "${VM_MEM:-2G}" \
		-nographic -monitor none -serial stdio -nic "${VM_NIC:-none}" -no-reboot \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
		${VM_QEMU_EXTRA:-} </dev/null 2>&1 |
		stdbuf -oL tr -d '\r' | vm_console_sink "$logf" || rc=$?
	if [ "$rc" -eq 124 ]; then
		log "QEMU timed out after ${limit}s"
	else
		log "QEMU exited after $((SECONDS - start))s"
	fi
	return "$rc"
}

# vm_console_sink LOG - the console to LOG; with VM_CONSOLE=1 also to
# stderr, indented so that the guest's KTAP does not mix with the host's.
vm_console_sink() {
	if [ "${VM_CONSOLE:-0}" = 1 ]; then
		tee "$1" | sed -u 's/^/    /' >&2
	else
		cat >"$1"
	fi
}

# The kernel's ways of saying something went wrong.
VM_BAD_PATTERNS='BUG:|WARNING:|Oops|general protection|refcount_t|Kernel panic|KASAN|UBSAN|lockdep|possible circular locking|possible recursive locking|blocked for more than|detected stall|self-detected stall|Call Trace:'

# vm_verdict LOG - succeed only if the guest printed $VM_OK_TOKEN and the
# log has no kernel warning, oops or panic. Otherwise print why (and the
# offending lines, indented: the guest's own KTAP lines among them must not
# pass for the host's results), set VM_KEEP=1 so the log is kept, and fail.
vm_verdict() {
	local logf=$1 bad
	bad=$(grep -E "$VM_BAD_PATTERNS" "$logf" | head -n 20 || true)
	if [ -n "$bad" ]; then
		printf 'VM FAILED: kernel problems in %s:\n' "$logf" >&2
		printf '%s\n' "$bad" | sed 's/^/    /' >&2
		VM_KEEP=1
		return 1
	fi
	if ! grep -qx "$VM_OK_TOKEN" "$logf"; then
		printf 'VM FAILED: no %s in %s; last lines:\n' "$VM_OK_TOKEN" "$logf" >&2
		grep -v '^\[ *[0-9]*\.[0-9]*\]' "$logf" | tail -n 15 | sed 's/^/    /' >&2
		VM_KEEP=1
		return 1
	fi
	log "VM OK ($logf)"
}

# vm_section LOG NAME - what the payload printed between "@@NAME-begin@@"
# and "@@NAME-end@@", minus kernel messages ("[   12.345678] ...").
vm_section() {
	awk -v b="@@$2-begin@@" -v e="@@$2-end@@" '
		$0 == e { on = 0 }
		on && !/^\[ *[0-9]+\.[0-9]+\] / { print }
		$0 == b { on = 1 }
	' "$1"
}
