#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC3028 # busybox ash has $RANDOM
# The guest side of scripts/stress: the payload that tests/guest/init.sh
# runs on the debug kernel, with sockmap already loaded.
#
# For $stress_seconds (from the kernel command line) it runs, all at once:
#   - /stress/churn: processes, sockets, TCP pairs, threads with their own
#     fd tables, network namespaces and SCM_RIGHTS, changing all the time,
#     and as uid 1000 a process of 129 threads laid out as in the old soft lockup (fd
#     tables of their own, one shared by 65, the leader gone), rebuilt
#     over and over;
#   - six /stress/reader loops over /proc/sockmap: read sizes 1, 4096 and
#     65536, one that reopens the file for every read, one as uid 1000,
#     one inside a Landlock domain (it must see its own row and no other);
#   - two more readers (4096 and 65536) under allocation faults: with
#     make-it-fail set, failslab and fail_page_alloc (debugfs, task filter)
#     fail $stress_fault_pct percent (1) of the kernel's allocations for
#     them (a pass makes dozens, a visibility check per process: at 5
#     percent nearly every pass failed, which left the rows of complete
#     passes under faults unchecked). Their reads must give well-formed
#     rows, all of their own processes' among them, or ENOMEM; and after
#     the faults one complete pass (see reader.c);
#   - here, an unload/reload loop of sockmap under those readers, where
#     every other load is /stress/loadfail's: the Nth allocation of the
#     load failed (fail-nth), N counting down from the last one whose
#     failure fails a load (found before the load starts; the module's
#     init is among the last), into the loader. A load that fails must fail with ENOMEM
#     and leave nothing behind, and insmod then succeed.
# $stress_faults=0 turns the faults off, only to show that the run then
# fails: a run in which no fault was injected tested nothing.
# $stress_detector says which kernel this is: kasan (KASAN, kmemleak,
# panic_on_warn) or kcsan (KCSAN; KASAN is not there, and panic_on_warn is
# off since KCSAN would panic at its first report, in sockmap or not:
# scripts/stress judges the reports).
# $stress_reloads=N runs rounds of $stress_seconds each, churn and readers
# started again for each, until at least N reload cycles are done, and asks
# kmemleak after each round: a soak cut short still proves what it did.
# The soft lockup watchdog fires after 2 s (watchdog_thresh=1). The kernel
# preempts as $stress_preempt says (scripts/stress boots it with preempt=,
# unless told otherwise the model Debian's kernels of that series run:
# voluntary up to 6.12, lazy on 7.3): only where it
# does not preempt is a walk that keeps a CPU without cond_resched() a soft
# lockup rather than a loop the scheduler quietly cuts short.
# Then it stops, unloads sockmap, asks kmemleak for a report (it must be
# empty), prints the totals. It reports in KTAP (scripts/lib/ktap.sh,
# /lib/ktap.sh in the guest), one result: "# totals: ..." and "ok 1
# stress", or "# failed: why" and "not ok 1 stress" at the first thing
# that went wrong. Kernel splats are judged by the host on the whole
# console log; this script fails on everything else.

secs=${stress_seconds:-60}
reloads=${stress_reloads:-0}
detector=${stress_detector:-kasan}
faults=${stress_faults:-1}
fault_pct=${stress_fault_pct:-1}
kmemleak=/sys/kernel/debug/kmemleak
preempt=/sys/kernel/debug/sched/preempt
thresh=/proc/sys/kernel/watchdog_thresh

# shellcheck source=scripts/lib/ktap.sh
. /lib/ktap.sh
ktap_header
ktap_plan 1

fail() {
	ktap_fail stress "failed: $*"
	exit 1
}

# ---- the detectors must be on, or a clean run proves nothing ----
mount -t debugfs debugfs /sys/kernel/debug || fail "cannot mount debugfs"
case $detector in
kasan)
	dmesg | grep -q 'KernelAddressSanitizer initialized' || fail "KASAN is off"
	[ "$(cat /proc/sys/kernel/panic_on_warn)" = 1 ] || fail "panic_on_warn is off"
	;;
kcsan)
	grep -q '^enabled: 1' /sys/kernel/debug/kcsan || fail "KCSAN is off"
	# shellcheck disable=SC2046 # two numbers
	set -- $(dmesg | sed -n 's|.*kcsan: selftest: \([0-9]*\)/\([0-9]*\) tests passed.*|\1 \2|p')
	{ [ "${1:-0}" -gt 0 ] && [ "$1" = "${2:-}" ]; } ||
		fail "KCSAN's selftest did not pass"
	;;
*) fail "unknown stress_detector $detector" ;;
esac
grep -Eq 'debug_locks: +1$' /proc/lockdep_stats || fail "lockdep is off"
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

# ---- allocation faults, for the tasks that ask for them ----
# Both fault types count down from fault_budget in their "times" file, so
# what is left at the end tells how many faults were injected. Only tasks
# with make-it-fail get faults by probability (task-filter); fail-nth
# works without it. ignore-gfp-wait=N: without it GFP_KERNEL allocations,
# nearly all of those made for a read or a load, could never fail.
# verbose=0: each fault would print a stack trace to the console.
# fail_page_alloc keeps min-order=1 and ignore-gfp-highmem=Y: the order-0
# pages it spares are page tables, user pages and vmalloc's pages; failing
# those would make a page fault of the reader retry forever, and make the
# loader's count mostly the pages its copy of the module is read into.
fault_budget=100000000
faultdirs="/sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc"
fault_setup() {
	for dir in $faultdirs; do
		[ -d "$dir" ] || fail "no $dir (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)"
		{ echo 0 >"$dir/probability" && echo Y >"$dir/task-filter" &&
			echo N >"$dir/ignore-gfp-wait" && echo 0 >"$dir/verbose" &&
			echo 1 >"$dir/interval" && echo 0 >"$dir/space" &&
			echo $fault_budget >"$dir/times"; } ||
			fail "cannot set up $dir"
	done
	{ echo Y >/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem &&
		echo 1 >/sys/kernel/debug/fail_page_alloc/min-order; } ||
		fail "cannot set up fail_page_alloc"
	if [ "$faults" = 1 ]; then
		for dir in $faultdirs; do
			echo "$fault_pct" >"$dir/probability" ||
				fail "cannot set $dir/probability"
		done
	fi
}
fault_stop() {
	for dir in $faultdirs; do
		echo 0 >"$dir/probability" || fail "cannot set $dir/probability to 0"
	done
}
faults_injected() { # faults_injected DIR - how many DIR injected so far
	echo $((fault_budget - $(cat "$1/times")))
}
fault_setup

echo "stress: ${secs}s of churn, 8 readers (2 under faults: $faults) and" \
	"reloads on $(nproc) CPUs, watchdog_thresh=1, preemption $mode," \
	"detector $detector"

# Before the load starts (rmmod is quick without readers): how many calls
# a clean load makes, and which is the last whose failure fails the load.
# The last are made after the module's init, by the uevent that announces
# it, which shrugs a failure off; the module's own (proc_create()) comes
# shortly before. (On 6.12 the last call was shrugged off and the one
# before it failed the load; which call each is was not traced.) The
# reload loop counts down from there, so that even the one or two faulted
# loads of a short run on a busy host fail near the module's init, and
# then into the loader. At most 20 loads are spent.
calls=0
nth=0
load_faults=0
load_failed=0
loadfail() { # loadfail N - a load with allocation N failed; its status
	rc=0
	out=$(/stress/loadfail /sockmap.ko "$1") || rc=$?
	echo "$out" >>/tmp/loadfail.out
	case $out in *injected=1*) load_faults=$((load_faults + 1)) ;; esac
	case $rc in
	0) ;;
	1)
		load_failed=$((load_failed + 1))
		insmod /sockmap.ko || fail "insmod failed after a load that failed: $out"
		;;
	*) fail "a load with its allocation $1 failed: $out" ;;
	esac
	return $rc
}
if [ "$faults" = 1 ]; then
	rmmod sockmap || fail "the first rmmod failed"
	out=$(/stress/loadfail /sockmap.ko count) || fail "a clean load failed: $out"
	calls=$(echo "$out" | sed -n 's/.* calls=\([0-9]*\).*/\1/p')
	[ "${calls:-0}" -gt 0 ] || fail "a load made no allocation: $out"
	nth=$calls
	while [ "$nth" -gt 0 ] && [ "$nth" -gt $((calls - 20)) ]; do
		rmmod sockmap || fail "rmmod failed before the load"
		loadfail "$nth" || break
		nth=$((nth - 1))
	done
	nth=$((nth - 1))
	[ $nth -gt 0 ] || nth=$calls
fi

# ---- start the load ----
start_load() {
	/stress/churn "$secs" >>/tmp/churn.out &
	pids=$!
	reader bytes "$secs" 1
	reader page "$secs" 4096
	reader big "$secs" 65536
	reader reopen "$secs" 4096 reopen
	reader user "$secs" 4096 uid=1000
	reader landlock "$secs" 4096 landlock
	if [ "$faults" = 1 ]; then
		reader faults "$secs" 4096 faults
		reader faultsbig "$secs" 65536 faults
	else
		reader faults "$secs" 4096
		reader faultsbig "$secs" 65536
	fi
}
reader() {
	/stress/reader "$@" >>"/tmp/reader.$1.out" &
	pids="$pids $!"
}

# ---- unload and reload under the readers ----
# load - after an rmmod. Every other load, the first included, has one of
# the calls a clean load makes into the fault injection failed, counting
# down (see above). A load that failed cleanly is followed by insmod,
# which must then succeed.
load() {
	if [ "$faults" = 1 ] && [ $((cycles % 2)) = 0 ]; then
		loadfail "$nth" || true
		nth=$((nth - 1))
		[ $nth -gt 0 ] || nth=$calls
	else
		insmod /sockmap.ko || fail "insmod failed after $cycles cycles"
	fi
}

# One round: churn and readers for $secs, reloads under them. rmmod either
# waits for the readers inside the module or refuses with EAGAIN/EBUSY;
# any other failure, or a stale /proc/sockmap, fails the run.
# uptime_ms - the guest's uptime in milliseconds (/proc/uptime has 1/100 s;
# the hundredths get a leading 1, so that "08" is not read as octal).
uptime_ms() {
	read -r up _ </proc/uptime
	echo $(((${up%.*} * 100 + 1${up#*.} - 100) * 10))
}
# kmemleak_check WHEN - fail with kmemleak's report if it has one. It
# reports objects unreferenced for 5 s or more: let the last ones age, and
# scan twice, since one scan can miss a leak that moves. A scan holds a CPU
# for long stretches, so the caller raises watchdog_thresh around it.
kmemleak_check() {
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
		fail "kmemleak found leaks $1"
	fi
}

cycles=0
busy=0
rounds=0
status=0
unload_ms=0	# the longest rmmod that succeeded
load_ms=0	# the longest load, loadfail's included
while [ $rounds -eq 0 ] || [ $cycles -lt "$reloads" ]; do
	rounds=$((rounds + 1))
	start_load
	end=$(($(date +%s) + secs))
	while [ "$(date +%s)" -lt $end ]; do
		sleep "0.$((RANDOM % 5 + 1))"
		t0=$(uptime_ms)
		if rmmod sockmap 2>/tmp/rmmod.err; then
			t1=$(uptime_ms)
			[ ! -e /proc/sockmap ] || fail "/proc/sockmap outlived rmmod"
			sleep "0.0$((RANDOM % 5))"
			t2=$(uptime_ms)
			load
			t3=$(uptime_ms)
			[ $((t1 - t0)) -le $unload_ms ] || unload_ms=$((t1 - t0))
			[ $((t3 - t2)) -le $load_ms ] || load_ms=$((t3 - t2))
			cycles=$((cycles + 1))
		elif grep -Eq 'temporarily unavailable|busy' /tmp/rmmod.err; then
			busy=$((busy + 1))
		else
			fail "rmmod: $(cat /tmp/rmmod.err)"
		fi
	done
	for pid in $pids; do
		wait "$pid" || status=1
	done
	[ "$reloads" -eq 0 ] || echo "stress: round $rounds: $cycles reload cycles"
	[ $status -eq 0 ] || break
	# A soak checks for leaks after every round, so that one cut short
	# still proves the rounds it finished.
	if [ "$reloads" -gt 0 ] && [ $cycles -lt "$reloads" ]; then
		echo 10 >$thresh
		kmemleak_check "after round $rounds ($cycles reload cycles)"
		echo 1 >$thresh
	fi
done

# ---- stop and collect ----
fault_stop
cat /tmp/churn.out /tmp/reader.*.out
# The loads under faults, by outcome.
[ ! -f /tmp/loadfail.out ] ||
	sed 's/ n=[0-9]* calls=[0-9]*//' /tmp/loadfail.out | sort | uniq -c
# KCSAN's own counters, read before anything can fail: it must have
# watched, or a run without a report proves nothing. data_races counts the
# races it saw, reported or not (one report per race and 3 s).
kcsan_totals=
if [ "$detector" = kcsan ]; then
	watched=$(sed -n 's/^setup_watchpoints: //p' /sys/kernel/debug/kcsan)
	kcsan_totals=" kcsan_watchpoints=$watched kcsan_races=$(sed -n 's/^data_races: //p' /sys/kernel/debug/kcsan)"
	echo "stress: KCSAN:$kcsan_totals"
	[ "${watched:-0}" -gt 0 ] || fail "KCSAN set up no watchpoint"
fi
[ $status -eq 0 ] || fail "churn or a reader failed (see above)"

rmmod sockmap || fail "the final rmmod failed"
# sockmap is out: kmemleak's scans need not prove anything about lockups.
echo 10 >$thresh
kmemleak_check "at the end"
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
# Rows of cut passes count here: on a busy host a short run's uid 1000
# reader may finish no pass between two unloads, yet see rows.
[ "$(total seen /tmp/reader.user.out)" -gt 0 ] ||
	fail "the uid 1000 reader never saw churn's uid 1000 sockets"
[ "$ops" -gt 0 ] || fail "churn did nothing"
[ "$layout" -gt 0 ] || fail "churn never built the hostile thread layout"
[ "$(total passes /tmp/reader.landlock.out)" -gt 0 ] ||
	fail "the landlocked reader never completed a pass"
[ $cycles -gt 0 ] || fail "sockmap was never reloaded"
slab_faults=$(faults_injected /sys/kernel/debug/failslab)
page_faults=$(faults_injected /sys/kernel/debug/fail_page_alloc)
read_enomem=$(total enomem /tmp/reader.*.out)
echo "stress: faults injected: failslab $slab_faults, fail_page_alloc $page_faults;" \
	"reads and opens failed with ENOMEM: $read_enomem;" \
	"loads with a fault: $load_faults, of which failed cleanly: $load_failed"
# A run in which nothing failed tested nothing: the readers must have seen
# ENOMEM, and loads must have been failed.
[ $((slab_faults + page_faults)) -gt 0 ] || fail "no allocation fault was injected"
[ "$read_enomem" -gt 0 ] || fail "no read under faults failed with ENOMEM"
[ $load_faults -gt 0 ] || fail "no load of sockmap had a fault injected"
[ $load_failed -gt 0 ] || fail "no load of sockmap failed for want of memory"
[ "$(total passes /tmp/reader.faults.out /tmp/reader.faultsbig.out)" -gt 0 ] ||
	fail "the readers under faults never completed a pass"
echo "# totals: reads=$reads rows=$rows churn_ops=$ops reload_cycles=$cycles" \
	"rmmod_busy=$busy reads_cut=$(total cut /tmp/reader.*.out)" \
	"opens_absent=$(total absent /tmp/reader.*.out)" \
	"layout_rounds=$layout layout_threads=$(total layout_threads /tmp/churn.out)" \
	"landlock_passes=$(total passes /tmp/reader.landlock.out)" \
	"max_read_ms=$(most max_read_ms /tmp/reader.*.out)" \
	"faults_injected=$((slab_faults + page_faults)) read_enomem=$read_enomem" \
	"load_faults=$load_faults load_failed=$load_failed load_calls=$calls" \
	"max_unload_ms=$unload_ms max_load_ms=$load_ms" \
	"rounds=$rounds seconds=$((rounds * secs))$kcsan_totals"
ktap_pass stress
