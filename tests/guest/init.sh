#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test VM (see tests/vm/vm.sh): set up a minimal system,
# load the diag modules and sockmap.ko, run /payload, unload sockmap, and
# print the success token only if all of that worked. Then reboot, which
# ends QEMU (-no-reboot). This runs as PID 1: it must never exit.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
# The host's vm_run looks for this line: without it, the kernel died first.
echo SOCKMAP-INIT-START

# finish - dump the kernel log for the record and leave the VM.
finish() {
	echo "@@dmesg-begin@@"
	dmesg
	echo "@@dmesg-end@@"
	sync
	reboot -f
	while :; do sleep 60; done
}

fail() {
	echo "SOCKMAP-GUEST-FAIL: $*"
	finish
}

# kill_leftovers - stop whatever the payload left running (not PID 1).
kill_leftovers() {
	for dir in /proc/[0-9]*; do
		pid=${dir#/proc/}
		[ "$pid" -ne 1 ] && kill -9 "$pid" 2>/dev/null
	done
	sleep 0.2
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
ip link set lo up || fail "cannot bring lo up"

while read -r mod; do
	insmod "/lib/modules/diag/$mod" || fail "insmod $mod"
done </lib/modules/diag/order

if [ -f /sockmap.ko ]; then
	insmod /sockmap.ko || fail "insmod /sockmap.ko"
	[ -e /proc/sockmap ] || fail "no /proc/sockmap after insmod"
fi

echo "@@payload-start@@"
(cd /tmp && /bin/sh /payload)
rc=$?
echo "@@payload-exit $rc@@"
[ "$rc" -eq 0 ] || fail "payload exited with status $rc"
kill_leftovers

if [ -f /sockmap.ko ]; then
	rmmod sockmap || fail "rmmod sockmap"
	[ ! -e /proc/sockmap ] || fail "/proc/sockmap still there after rmmod"
fi

echo SOCKMAP-GUEST-OK
finish
