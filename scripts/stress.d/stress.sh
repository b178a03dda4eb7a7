#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC3028 # busybox ash has $RANDOM
# The guest side of scripts/stress: the payload that scripts/guest/init.sh
# runs on the debug kernel, with sockmap already loaded.
#
# For $stress_seconds (from the kernel command line) it runs, all at once:
#   - /stress/churn: processes, sockets, TCP pairs, threads with their own
#     fd tables, network namespaces and SCM_RIGHTS, changing all the time,
#     and as uid 1000 a process of 129 threads laid out as in issue 11 (fd
#     tables of their own, one shared by 65, the leader gone), rebuilt
#     over and over;
#   - six /stress/reader loops over /proc/sockmap: read sizes 1, 4096 and
#     65536, one that reopens the file for every read, one as uid 1000,
#     one inside a Landlock domain (it must see its own row and no other);
#   - here, an unload/reload loop of sockmap under those readers.
# The soft lockup watchdog fires after 2 s (watchdog_thresh=1). The kernel
# preempts as $stress_preempt says (scripts/stress boots it with preempt=,
# unless told otherwise the model Debian's kernels of that series run:
# voluntary up to 6.12, lazy on 7.3): only where it
# does not preempt is a walk that keeps a CPU without cond_resched() a soft
# lockup rather than a loop the scheduler quietly cuts short.
# Then it stops, unloads sockmap, asks kmemleak for a report (it must be
# empty), prints the totals and STRESS-OK. Kernel splats are judged by the
# host on the whole console log; this script fails on everything else.

secs=${stress_seconds:-60}
kmemleak=/sys/kernel/debug/kmemleak
preempt=/sys/kernel/debug/sched/preempt
thresh=/proc/sys/kernel/watchdog_thresh

fail() {
	echo "STRESS-FAIL: $*"
	exit 1
}

# ---- the detectors must be on, or a clean run proves nothing ----
mount -t debugfs debugfs /sys/kernel/debug || fail "cannot mount debugfs"
dmesg | grep -q 'KernelAddressSanitizer initialized' || fail "KASAN is off"
grep -Eq 'debug_locks: +1$' /proc/lockdep_stats || fail "lockdep is off"
[ "$(cat /proc/sys/kernel/panic_on_warn)" = 1 ] || fail "panic_on_warn is off"
[ -w $kmemleak ] || fail "no $kmemleak"
[ "$(nproc)" -ge 2 ] || fail "only $(nproc) CPU: readers and churn would not race"
dmesg | grep -q 'landlock: Up and running' ||
	fail "Landlock is off (CONFIG_SECURITY_LANDLOCK, CONFIG_LSM or lsm=)"
[ "$(cat /proc/sys/kernel/soft_watchdog)" = 1 ] || fail "the soft lockup watchdog is off"
{ echo 1 >$thresh && [ "$(cat $thresh)" = 1 ]; } || fail "cannot set $thresh to 1"
mode=${stress_preempt:-voluntary}
grep -q "($mode)" $preempt || fail "preemption is not $mode: $(cat $preempt)"
# Only leaks from now on count: mark what boot left as already seen.
{ echo scan >$kmemleak && echo clear >$kmemleak; } || fail "kmemleak is disabled"

# SOCK must read as zeros for the unprivileged reader; ping sockets for
# root and uid 1000 (churn opens them).
echo 1 >/proc/sys/kernel/kptr_restrict
echo "0 2000" >/proc/sys/net/ipv4/ping_group_range

echo "stress: ${secs}s of churn, 6 readers and reloads on $(nproc) CPUs," \
	"watchdog_thresh=1, preemption $mode"

# ---- start the load ----
/stress/churn "$secs" >/tmp/churn.out &
pids=$!
reader() {
	/stress/reader "$@" >"/tmp/reader.$1.out" &
	pids="$pids $!"
}
reader bytes "$secs" 1
reader page "$secs" 4096
reader big "$secs" 65536
reader reopen "$secs" 4096 reopen
reader user "$secs" 4096 uid=1000
reader landlock "$secs" 4096 landlock

# ---- unload and reload under the readers ----
# rmmod either waits for the readers inside the module or refuses with
# EAGAIN/EBUSY; any other failure, or a stale /proc/sockmap, fails the run.
cycles=0
busy=0
end=$(($(date +%s) + secs))
while [ "$(date +%s)" -lt $end ]; do
	sleep "0.$((RANDOM % 5 + 1))"
	if rmmod sockmap 2>/tmp/rmmod.err; then
		[ ! -e /proc/sockmap ] || fail "/proc/sockmap outlived rmmod"
		sleep "0.0$((RANDOM % 5))"
		insmod /sockmap.ko || fail "insmod failed after $cycles cycles"
		cycles=$((cycles + 1))
	elif grep -Eq 'temporarily unavailable|busy' /tmp/rmmod.err; then
		busy=$((busy + 1))
	else
		fail "rmmod: $(cat /tmp/rmmod.err)"
	fi
done

# ---- stop and collect ----
status=0
for pid in $pids; do
	wait "$pid" || status=1
done
cat /tmp/churn.out /tmp/reader.*.out
[ $status -eq 0 ] || fail "churn or a reader failed (see above)"

rmmod sockmap || fail "the final rmmod failed"
# sockmap is out: kmemleak's scans need not prove anything about lockups.
echo 10 >$thresh

# kmemleak reports objects unreferenced for 5 s or more: let the last ones
# age, and scan twice, since one scan can miss a leak that moves.
sleep 6
echo scan >$kmemleak
sleep 6
echo scan >$kmemleak
# (debugfs files have size 0: read the report, don't test its size)
cat $kmemleak >/tmp/kmemleak.txt || fail "cannot read $kmemleak"
if [ -n "$(cat /tmp/kmemleak.txt)" ]; then
	echo "@@kmemleak-begin@@"
	head -n 100 /tmp/kmemleak.txt
	echo "@@kmemleak-end@@"
	fail "kmemleak found leaks"
fi
grep -Eq 'debug_locks: +1$' /proc/lockdep_stats ||
	fail "lockdep switched itself off during the run"

# /init unloads sockmap at the end: load it again for that.
insmod /sockmap.ko || fail "insmod after the kmemleak scan"

total() { # total KEY FILES... - the sum of KEY=N over those lines
	key=$1
	shift
	cat "$@" | tr ' ' '\n' | awk -F= -v k="$key" '$1 == k { s += $2 } END { print s + 0 }'
}
most() { # most KEY FILES... - the largest KEY=N over those lines
	key=$1
	shift
	cat "$@" | tr ' ' '\n' | awk -F= -v k="$key" '$1 == k && $2 > m { m = $2 } END { print m + 0 }'
}
reads=$(total passes /tmp/reader.*.out)
rows=$(total rows /tmp/reader.*.out)
ops=$(total ops /tmp/churn.out)
layout=$(total layout /tmp/churn.out)
[ "$reads" -gt 0 ] || fail "no read of /proc/sockmap completed"
[ "$rows" -gt 0 ] || fail "the readers saw no rows"
[ "$(total rows /tmp/reader.user.out)" -gt 0 ] ||
	fail "the uid 1000 reader never saw churn's uid 1000 sockets"
[ "$ops" -gt 0 ] || fail "churn did nothing"
[ "$layout" -gt 0 ] || fail "churn never built issue 11's thread layout"
[ "$(total passes /tmp/reader.landlock.out)" -gt 0 ] ||
	fail "the landlocked reader never completed a pass"
[ $cycles -gt 0 ] || fail "sockmap was never reloaded"
echo "STRESS-TOTALS: reads=$reads rows=$rows churn_ops=$ops reload_cycles=$cycles" \
	"rmmod_busy=$busy reads_cut=$(total cut /tmp/reader.*.out)" \
	"opens_absent=$(total absent /tmp/reader.*.out)" \
	"layout_rounds=$layout layout_threads=$(total layout_threads /tmp/churn.out)" \
	"landlock_passes=$(total passes /tmp/reader.landlock.out)" \
	"max_read_ms=$(most max_read_ms /tmp/reader.*.out) seconds=$secs"
echo STRESS-OK
