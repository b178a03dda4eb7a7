# SPDX-License-Identifier: GPL-2.0
# Hostile layouts and the bounds on a reader's time and memory: read
# sizes, thread and process layouts that share fd tables, tid reuse in
# the middle of a read, and what opens and reads of the file cost.
#
# shellcheck shell=sh disable=SC2016 # awk programs and su -c are single-quoted
# shellcheck disable=SC2153 # SOCKMAP is lib.sh's, not a misspelt sockmap

# With 5,000 more sockets, reads of 1 byte, 4 KiB and 1 MiB at a time
# give the same bytes. The rows of sockets no fd holds change by
# themselves (a TIME_WAIT socket ends 60 s after it began): a 1 MiB read
# before and after the others, which must agree, says nothing changed in
# between; else the reads are made again.
check_read_sizes() {
	start_zoo "$W/many.out" "$ZOO" many 2500 || return 1
	many=$ZOO_PID
	for try in 1 2 3 4 5; do
		for bs in 1M 1 4096 1M.after; do
			dd if="$SOCKMAP" of="$W/read.$bs" bs="${bs%.after}" 2>"$W/dd.err" ||
				{ echo "dd bs=$bs failed: $(cat "$W/dd.err")"; }
		done
		cmp -s "$W/read.1M" "$W/read.1M.after" && break
		echo "try $try: the rows changed during the reads" >&3
	done
	[ "$try" -lt 5 ] || cmp -s "$W/read.1M" "$W/read.1M.after" ||
		echo "the rows changed during each of 5 tries"
	kill "$many"
	wait "$many" 2>/dev/null
	rows=$(awkl '$PID == p' p="$many" "$W/read.1M" | wc -l)
	[ "$rows" -ge 5000 ] || echo "only $rows rows for sockzoo many (pid $many)"
	size=$(wc -c <"$W/read.1M")
	[ "$size" -gt 65536 ] || echo "output is only $size bytes"
	cmp "$W/read.1" "$W/read.1M" || echo "bs=1 and bs=1M differ"
	cmp "$W/read.4096" "$W/read.1M" || echo "bs=4096 and bs=1M differ"
	echo "read-sizes: $rows rows, $size bytes" >&3
}

# Thread layouts an unprivileged user may build (see
# tests/workload/layout.c), run as uid 1000 and read by uid 1000: each
# fd table with sockets is shown once, under the lowest TID that holds it
# (the rows holding the layout's sockets are exactly its "socket TID FD
# INODE" lines), and a read with the hostile layout (the main thread
# exited, N unshared tables, one shared by M threads) costs at most 4x
# (plus 0.15 s for TCG's noise) one with as many threads and sockets in
# the main thread's table. The quadratic walk of old took 1.2-1.6 s per
# read at N = M = 3,000 natively, against 0.03 s; here (TCG) at N = M =
# 1,500 0.3-0.7 s against 7 ms; now about 0.05 s (a procfs check per
# table, linear).
check_layout() {
	n=${e2e_layout_n:-1500}
	for mode in shared hostile ordinary; do
		out=$W/layout.$mode
		start_zoo "$out" as_user "$LAYOUT" "$mode" "$n" "$n" ||
			{ echo "$mode: the layout did not start"; continue; }
		as_user cat "$SOCKMAP" >"$out.rows" || echo "$mode: cat failed"
		[ $mode = shared ] ||
			as_user "$LAYOUT" readtime "$SOCKMAP" 3 >"$out.us" ||
			echo "$mode: layout readtime failed"
		stop_zoo
		awk '$1 == "socket" { print $2, $3, $4 }' "$out" >"$out.truth"
		awkl 'FNR == NR { ino[$3] = 1; next }
		     FNR > 1 && ($INODE in ino) { print $PID, $FD, $INODE }' \
			"$out.truth" "$out.rows" >"$out.keys"
		same_set "$mode layout: the rows of its sockets" "$out.keys" "$out.truth"
		awk -v mode=$mode '{ n[$3]++ }
			END { for (i in n) if (n[i] > 1) print mode ": inode " i " in " n[i] " rows" }' \
			"$out.keys" | head -n 5
		grep -q . "$out.truth" || echo "$mode: the layout reported no sockets"
		tasks=$(cut -d' ' -f1 "$out.keys" | sort -u | wc -l)
		[ "$tasks" -eq "$(zoo_field "$out" tables)" ] ||
			echo "$mode: rows under $tasks tasks, for $(zoo_field "$out" tables) tables"
		echo "$mode: $(grep -c . "$out.keys") rows, tables=$(zoo_field "$out" tables)" >&3
	done
	hostile=$(cat "$W/layout.hostile.us" 2>/dev/null)
	ordinary=$(cat "$W/layout.ordinary.us" 2>/dev/null)
	echo "a read takes ${hostile:-?} us with the hostile layout, ${ordinary:-?} us with the ordinary one (N = M = $n)" >&3
	if [ -z "$hostile" ] || [ -z "$ordinary" ]; then
		echo "no read times"
		return 0
	fi
	[ "$hostile" -le $((4 * ordinary + 150000)) ] ||
		echo "a read takes $hostile us with the hostile layout, more than 4 x $ordinary us (ordinary) + 0.15 s"
}

# readtime SIZE - the fastest of three whole reads of /proc/sockmap by
# root, SIZE bytes at a time, in microseconds.
readtime() {
	"$LAYOUT" readtime "$SOCKMAP" 3 "$1"
}

# Processes, not threads, sharing one fd table (tests/workload/layout.c
# "procs"): N processes made with clone(CLONE_VM | CLONE_FILES) without
# CLONE_THREAD share a table of SLOTS slots that holds one socket. Its row
# is shown once, under the lowest PID; a read by root, 64 KiB or 4 KiB at
# a time, costs at most 4x (plus 0.15 s for TCG's noise) one of the same
# system before the layout started; and SIGKILL ends a reader within 0.1 s
# (the longest of five, measured in the guest). Walking the table once per
# process, slot by slot, took 1.7 s per read natively at N = 1,000 and
# SLOTS = 262,144, against 2 ms, and as long to answer SIGKILL.
check_shared_procs() {
	n=${e2e_procs_n:-300} slots=${e2e_procs_slots:-131072}
	out=$W/procs
	ref=$(readtime 65536) ref4=$(readtime 4096)
	start_zoo "$out" "$LAYOUT" procs "$n" "$slots" ||
		{ echo "the layout did not start"; return 0; }
	cat "$SOCKMAP" >"$out.rows" || echo "cat failed"
	t=$(readtime 65536) t4=$(readtime 4096)
	killed=$("$LAYOUT" killtime "$SOCKMAP" 5)
	stop_zoo
	awk '$1 == "socket" { print $2, $3, $4 }' "$out" >"$out.truth"
	awkl 'FNR == NR { ino[$3] = 1; next }
	     FNR > 1 && ($INODE in ino) { print $PID, $FD, $INODE }' \
		"$out.truth" "$out.rows" >"$out.keys"
	grep -q . "$out.truth" || echo "the layout reported no socket"
	same_set "the rows of its socket" "$out.keys" "$out.truth"
	echo "N = $n, SLOTS = $slots: a read takes $t us (4 KiB reads: $t4 us), $ref us ($ref4 us) without the layout; SIGKILL took at most $killed us" >&3
	if [ -z "$t" ] || [ -z "$t4" ] || [ -z "$ref" ] || [ -z "$ref4" ] ||
		[ -z "$killed" ]; then
		echo "no read or kill times"
		return 0
	fi
	[ "$t" -le $((4 * ref + 150000)) ] ||
		echo "a read takes $t us with the layout, more than 4 x $ref us + 0.15 s"
	[ "$t4" -le $((4 * ref4 + 150000)) ] ||
		echo "a read 4 KiB at a time takes $t4 us with the layout, more than 4 x $ref4 us + 0.15 s"
	[ "$killed" -le 100000 ] ||
		echo "SIGKILL took $killed us to end a reader, more than 0.1 s"
}

# A table that no group leader holds, shared by M threads and holding S
# sockets (layout "bigshare"): its rows are exactly its sockets, once, and
# reading the file 4 KiB at a time, as busybox cat does, costs at most 3x
# (plus 0.1 s) reading it 64 KiB at a time: which thread shows the table
# is decided once per pass, not by listing the M threads again at every
# read(). That took 2.3 s against 0.18 s natively at M = 2,000 and
# S = 20,000.
check_small_reads() {
	m=${e2e_bigshare_m:-2000} s=${e2e_bigshare_s:-4000}
	out=$W/bigshare
	start_zoo "$out" "$LAYOUT" bigshare "$m" "$s" ||
		{ echo "the layout did not start"; return 0; }
	cat "$SOCKMAP" >"$out.rows" || echo "cat failed"
	t=$(readtime 65536) t4=$(readtime 4096)
	stop_zoo
	awk '$1 == "socket" { print $2, $3, $4 }' "$out" >"$out.truth"
	awkl 'FNR == NR { ino[$3] = 1; next }
	     FNR > 1 && ($INODE in ino) { print $PID, $FD, $INODE }' \
		"$out.truth" "$out.rows" >"$out.keys"
	same_set "the rows of its sockets" "$out.keys" "$out.truth"
	echo "M = $m, S = $s: a read takes $t us 64 KiB at a time, $t4 us 4 KiB at a time" >&3
	if [ -z "$t" ] || [ -z "$t4" ]; then
		echo "no read times"
		return 0
	fi
	[ "$t4" -le $((3 * t + 100000)) ] ||
		echo "a read 4 KiB at a time takes $t4 us, more than 3 x $t us (64 KiB at a time) + 0.1 s"
}

# A tid reused in the middle of a read (layout "reuse" and "rejoin", as
# root, which may set ns_last_pid): a process that exits while the cursor
# is on its row of fd F, and a new one given its pid, show all of the new
# one's sockets, not only those above F; and a table whose holder gets a
# thread, sharing it, under a lower tid that an exited thread left is
# still shown whole. Either lost rows before.
check_tid_reuse() {
	for mode in reuse rejoin; do
		out=$W/tid.$mode
		"$LAYOUT" $mode "$SOCKMAP" 40 >"$out" 2>&1 ||
			{ echo "$mode: $(cat "$out")"; continue; }
		shown=$(zoo_field "$out" shown) expected=$(zoo_field "$out" expected)
		tid=$(zoo_field "$out" tid) joined=$(zoo_field "$out" joined)
		echo "$mode: $shown rows of $expected sockets (tid $tid${joined:+, joined by $joined})" >&3
		[ -n "$shown" ] && [ "$shown" = "$expected" ] ||
			echo "$mode: ${shown:-no} rows of the $expected sockets of tid $tid${joined:+ (joined by $joined)}"
		[ $mode = reuse ] || [ "${joined:-0}" -lt "${tid:-0}" ] ||
			echo "rejoin: the new thread got tid $joined, not one below $tid"
	done
}

# Memory a file keeps after a read: N opens of /proc/sockmap read once
# each (4 KiB, as cat's first read), as root and as uid 1000, cost at most
# 16 KiB each of MemAvailable (measured by the workload around its opens,
# while it holds them); as many of /proc/net/tcp, whose seq_file keeps a
# page, are measured alongside. Keeping the 64 KiB buffer and the CGROUP
# buffers until close cost 80 KiB each.
check_read_memory() {
	n=${e2e_reads_n:-500}
	for who in root user; do
		sockmap=$(read_cost $who "$SOCKMAP") tcp=$(read_cost $who /proc/net/tcp)
		echo "$who: $n files read once cost ${sockmap:-?} KiB of MemAvailable, as many of /proc/net/tcp ${tcp:-?} KiB" >&3
		if [ -z "$sockmap" ]; then
			echo "$who: the reads of $SOCKMAP failed"
			continue
		fi
		[ "$sockmap" -le $((16 * n)) ] ||
			echo "$who: $n files read once cost $sockmap KiB, more than 16 KiB each (/proc/net/tcp: ${tcp:-?} KiB)"
	done
}

# read_cost WHO PATH - the KiB of MemAvailable that $n opens of PATH, read
# once each, cost, opened by WHO (root or user); nothing if they failed.
read_cost() {
	run=
	[ "$1" = user ] && run=as_user
	out=$W/reads.$1.${2##*/}
	start_zoo "$out" $run "$CORNER" opens "$n" "$2" 4096 >/dev/null ||
		return 0
	stop_zoo
	before=$(zoo_field "$out" before) after=$(zoo_field "$out" after)
	[ -n "$before" ] && [ -n "$after" ] && echo $((before - after))
	return 0
}

# 1,000 opens of /proc/sockmap without a read, as root and
# as uid 1000, cost less than 2 MiB of MemAvailable (measured by the
# workload around its opens, while it holds them).
check_open_memory() {
	for who in root user; do
		run=
		[ $who = user ] && run=as_user
		start_zoo "$W/opens.$who" $run "$CORNER" opens 1000 "$SOCKMAP" ||
			{ echo "$who: the opens failed"; continue; }
		stop_zoo
		before=$(zoo_field "$W/opens.$who" before)
		after=$(zoo_field "$W/opens.$who" after)
		cost=$((before - after))
		echo "$who: 1,000 opens cost $cost KiB of MemAvailable" >&3
		[ "$cost" -lt 2048 ] ||
			echo "$who: 1,000 opens without a read cost $cost KiB of MemAvailable, 2 MiB or more"
	done
}

# Sockets no file holds, by the thousand, as an unprivileged user may
# leave them: uid 1000 makes N TIME_WAIT sockets (holderless "timewait";
# N = 10,000, tcp_max_tw_buckets raised to allow them) and exits. Root's
# read of /proc/sockmap, 64 KiB or 4 KiB at a time, which shows each of
# them once, costs at most 4x (+0.15 s) a read of /proc/net/tcp the same
# size at a time, which lists them too, and 4 KiB at a time at most 3x
# (+0.1 s) 64 KiB at a time. A reader that may see none of
# them - root in new pid and network namespaces, through their procfs,
# where no task of the first namespace is - walks past all of them in
# one read(): that read costs as much at most, and SIGKILL ends such a
# reader within 0.1 s (the longest of five).
check_timewait_bounds() {
	n=${e2e_timewait_n:-10000}
	max=/proc/sys/net/ipv4/tcp_max_tw_buckets
	old=$(cat "$max")
	echo $((2 * n + old)) >"$max"
	as_user "$HOLDERLESS" timewait "$n" >"$W/tw.out" 2>&1 ||
		echo "the workload failed: $(head -n 3 "$W/tw.out")"
	tw=$(awk 'NR > 1 && $4 == "06"' /proc/net/tcp | wc -l)
	rows=$(awkl 'NR > 1 && $PID == "-" && $STATE == "TIME_WAIT"' "$SOCKMAP" | wc -l)
	ref=$("$LAYOUT" readtime /proc/net/tcp 3 65536)
	ref4=$("$LAYOUT" readtime /proc/net/tcp 3 4096)
	t=$(readtime 65536) t4=$(readtime 4096)
	blind=$(unshare -p -f -n --mount-proc "$LAYOUT" readtime "$SOCKMAP" 3 65536)
	blind_rows=$(unshare -p -f -n --mount-proc cat "$SOCKMAP" | wc -l)
	killed=$(unshare -p -f -n --mount-proc "$LAYOUT" killtime "$SOCKMAP" 5)
	echo "$old" >"$max"
	echo "N = $n: $tw TIME_WAIT in /proc/net/tcp, $rows rows; a read takes $t us (4 KiB reads: $t4 us), /proc/net/tcp $ref us ($ref4 us); a reader that sees none takes $blind us, SIGKILL took at most $killed us" >&3
	[ "$tw" -ge "$n" ] || echo "/proc/net/tcp lists $tw TIME_WAIT sockets, want $n"
	[ "$rows" -ge "$tw" ] || echo "$rows TIME_WAIT rows without a holder, /proc/net/tcp lists $tw"
	[ "$blind_rows" -le 1 ] ||
		echo "a reader in new pid and network namespaces sees $((blind_rows - 1)) rows"
	if [ -z "$t" ] || [ -z "$t4" ] || [ -z "$ref" ] || [ -z "$ref4" ] ||
		[ -z "$blind" ] || [ -z "$killed" ]; then
		echo "no read or kill times"
		return 0
	fi
	[ "$t" -le $((4 * ref + 150000)) ] ||
		echo "a read takes $t us, more than 4 x $ref us (/proc/net/tcp) + 0.15 s"
	[ "$t4" -le $((4 * ref4 + 150000)) ] ||
		echo "a read 4 KiB at a time takes $t4 us, more than 4 x $ref4 us (/proc/net/tcp) + 0.15 s"
	# A walk that found its place again from the first bucket at each
	# read() would pay that per 4 KiB: 7x here.
	[ "$t4" -le $((3 * t + 100000)) ] ||
		echo "a read 4 KiB at a time takes $t4 us, more than 3 x $t us (64 KiB at a time) + 0.1 s"
	[ "$blind" -le $((4 * ref + 150000)) ] ||
		echo "a read that shows none takes $blind us, more than 4 x $ref us + 0.15 s"
	[ "$killed" -le 100000 ] ||
		echo "SIGKILL took $killed us to end a reader, more than 0.1 s"
}
