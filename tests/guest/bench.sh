#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmark's payload, run inside the VM by /init after insmod
# sockmap.ko (see scripts/bench). For each N it starts /bench/sockfarm N,
# times every tool with /bench/timeit and prints machine-readable lines
# between "@@bench-begin@@" and "@@bench-end@@":
#
#	info KEY VALUE...		the guest: kernel, CPUs, memory, ...
#	rows N TOOL LINES BYTES		what one run of TOOL printed (the
#					exporter: the .prom file it wrote)
#	time N TOOL us T		wall time of one run (µs); "exec" is
#					`true`, the cost of fork+exec alone
#	cpu N TOOL us C			CPU time of that run (µs, user + system
#					of the command's own process)
#	check N ...			what was checked before timing: the farm's
#					rows, and the exporter's metrics
#	stopped N TOOL SECS		TOOL ran longer than SECS and was
#					killed; it is not run again at this N
#	mem N memprobe ...		/bench/memprobe /proc/sockmap
#
# N is a number of sockets, in N/100 processes, or N@P: N sockets in P
# processes (500000@1: one process holding 500,000 fds), or NTW: N TCP
# sockets in TIME_WAIT that no process holds, and nothing else
# (/bench/twfarm N; each size's are gone before the next size's are made).
#
# Options come from the kernel command line (scripts/bench sets them):
#	bench_sizes=1000,10000,100000	the values of N
#	bench_reps=5			rounds, each timing every tool once
#	bench_slow_reps=3		... of which ss, lsof and lsfd join only this
#					many when N >= 100000
#	bench_tools=sockmap,procnet,copy,bpf,bpf-fast,ss,lsof,lsfd,exporter
#					which tools to time
#	bench_limit=SECS		stop a run of a tool after SECS (0: never)
#	bench_ablate=NAME,...		at the largest N, also time
#					/bench/ablate/NAME.ko (sockmap with one
#					part taken out) in every round, as the
#					tool "ablate-NAME"
#	bench_profile=0|1		1: also profile one read of /proc/sockmap
#					(and of the BPF iterator, if timed)
#					at the largest N with perf (between
#					"@@profile-begin@@" and "@@profile-end@@")
#	bench_compare=0|1		1: time nothing; instead, for each N (plus
#					/workload/sockzoo's zoo of every kind of
#					socket) compare /proc/sockmap of the
#					module under test with that of
#					/bench/ref.ko, and across read sizes:
#					"compare N identical ROWS" or a diff
# A failed step makes the payload exit non-zero, so /init withholds the
# success token and scripts/bench fails.

set -eu

SIZES=$(echo "${bench_sizes:-1000,10000,100000}" | tr , ' ')
REPS=${bench_reps:-5}
SLOW_REPS=${bench_slow_reps:-3}
PROFILE=${bench_profile:-0}
COMPARE=${bench_compare:-0}
ABLATE=$(echo "${bench_ablate:-}" | tr , ' ')
LAST=$(echo "$SIZES" | awk '{ print $NF }')
LIMIT=${bench_limit:-0}
FARM=
ZOO=

# The commands under test, as a person would type them.
TOOLS=$(echo "${bench_tools:-sockmap,procnet,copy,bpf,bpf-fast,ss,lsof,lsfd,exporter}" | tr , ' ')
# lsfd is util-linux's newest (Debian unstable's), with its own C library
# under /sid, started through that library's loader.
SID=/sid/usr/lib/x86_64-linux-gnu
LSFD="$SID/ld-linux-x86-64.so.2 --library-path $SID /sid/usr/bin/lsfd"
cmd_of() {
	case $1 in
	sockmap | ablate-*) echo "cat /proc/sockmap" ;;
	procnet) echo "cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 /proc/net/unix" ;;
	copy) echo "cat /tmp/sockmap.saved" ;;
	exec) echo "true" ;;
	ss) echo "ss -tuxanp" ;;
	lsof) echo "lsof -nP -i -U" ;;
	# Every TCP, UDP and UNIX socket fd (lsfd's TYPE: TCP, TCPv6, UDP,
	# UDPv6, UNIX-STREAM, ...), with its default columns, whose NAME
	# decodes the endpoints: state=established laddr=... raddr=...
	lsfd) echo "$LSFD -Q TYPE=~\"^(TCP|UDP|UNIX)\"" ;;
	# The BPF iterator tests/workload/bpf/sockiter.bpf.c, pinned below.
	bpf) echo "cat /sys/fs/bpf/sockiter" ;;
	# The same rows, formatted by hand and written once per row
	# (tests/workload/bpf/sockiter_fast.bpf.c): the best BPF can do.
	bpf-fast) echo "cat /sys/fs/bpf/sockiter_fast" ;;
	# sockmap-exporter (exporter/), static: one read of /proc/sockmap
	# made into metrics, in a .prom file as node_exporter's textfile
	# collector would read it.
	exporter) echo "/bench/sockmap-exporter --input /proc/sockmap --output /tmp/x.prom" ;;
	esac
}

stop_farm() {
	[ -z "$ZOO" ] || kill "$ZOO" 2>/dev/null || true
	ZOO=
	[ -n "$FARM" ] || return 0
	kill "$FARM" 2>/dev/null || true
	wait "$FARM" 2>/dev/null || true
	FARM=
}
trap stop_farm EXIT

die() {
	echo "bench: $*"
	exit 1
}

# start_farm N[@P] - run sockfarm N [P] in the background until all are
# open.
start_farm() {
	: >/tmp/farm.out
	# shellcheck disable=SC2046 # N, or N and P
	/bench/sockfarm $(echo "$1" | tr @ ' ') >/tmp/farm.out 2>&1 &
	FARM=$!
	# 600 s per 100,000 sockets, at least 600 s.
	secs=$(((${1%@*} + 99999) / 100000))
	secs=$((secs * 600))
	ticks=$((secs * 10))
	until grep -q '^sockfarm ready' /tmp/farm.out; do
		kill -0 "$FARM" 2>/dev/null || die "sockfarm $1 died: $(cat /tmp/farm.out)"
		ticks=$((ticks - 1))
		[ "$ticks" -gt 0 ] || die "sockfarm $1 not ready after $secs s"
		sleep 0.1
	done
}

# sockets_of N - the number of sockets of size N (100000, 500000@1, 100000tw).
sockets_of() {
	n=${1%@*}
	echo "${n%tw}"
}

# time_wait_count - TCP sockets in TIME_WAIT as /proc/net/tcp and tcp6 list
# them (state 06): the source of truth for the TIME_WAIT sizes.
time_wait_count() {
	awk 'FNR > 1 && $4 == "06"' /proc/net/tcp /proc/net/tcp6 | wc -l
}

# time_wait_rows FILE - the rows of a saved /proc/sockmap in TIME_WAIT,
# and how many of them have no holder (PID "-"): "ROWS HOLDERLESS".
time_wait_rows() {
	awk 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "STATE") c = i; if ($i == "PID") p = i }; next }
	     $c == "TIME_WAIT" { rows++; if ($p == "-") free++ }
	     END { print rows + 0, free + 0 }' "$1"
}

# start_time_wait NTW - once no socket lacks a holder (the last size's
# TIME_WAIT sockets have gone), leave N sockets in TIME_WAIT; check that
# /proc/net/tcp lists exactly N and /proc/sockmap shows each, without a
# holder. They last a minute: the timing must end before the first goes
# (check_time_wait_kept).
start_time_wait() {
	want=$(sockets_of "$1")
	wait_all_held
	/bench/twfarm "$want" >/tmp/farm.out 2>&1 || die "twfarm $want failed: $(cat /tmp/farm.out)"
	cat /proc/sockmap >/tmp/sockmap.saved
	listed=$(time_wait_count)
	# shellcheck disable=SC2046 # two numbers
	set -- "$1" $(time_wait_rows /tmp/sockmap.saved)
	[ "$listed" -eq "$want" ] || die "/proc/net/tcp lists $listed sockets in TIME_WAIT, want $want"
	if [ "$2" -ne "$listed" ] || [ "$3" -ne "$listed" ]; then
		die "/proc/sockmap shows $2 TIME_WAIT rows ($3 without a holder), /proc/net/tcp $listed"
	fi
	echo "check $1 made_in_s=$(sed -n 's/^twfarm done .* secs=//p' /tmp/farm.out) proc_net_time_wait=$listed sockmap_time_wait_rows=$2"
}

# check_time_wait_kept NTW - every TIME_WAIT socket of the size is still
# there after the timing: none expired meanwhile, so every round read the
# same N rows.
check_time_wait_kept() {
	cat /proc/sockmap >/tmp/after.txt
	# shellcheck disable=SC2046 # two numbers
	set -- "$1" $(time_wait_rows /tmp/after.txt)
	[ "$2" -eq "$(sockets_of "$1")" ] ||
		die "$1: $2 TIME_WAIT rows after the timing, want $(sockets_of "$1"): some expired during it (a minute after they were made); time fewer tools or rounds"
	echo "check $1 sockmap_time_wait_rows_after_timing=$2"
}

# stopped N TOOL - whether TOOL was stopped at N (and is not run again).
stopped() {
	grep -qx "$1 $2" /tmp/stopped 2>/dev/null
}

# stop N TOOL - TOOL ran longer than LIMIT at N: say so, run it no more.
stop() {
	echo "$1 $2" >>/tmp/stopped
	echo "stopped $1 $2 $LIMIT"
}

# timed N TOOL - time one run of TOOL's command and print its lines: wall
# time, and CPU time.
timed() {
	stopped "$1" "$2" && return 0
	cmd=$(cmd_of "$2")
	rc=0
	# shellcheck disable=SC2086 # the command is a list of words
	out=$(/bench/timeit -l "$LIMIT" -c 1 $cmd 2>/tmp/timeit.err) || rc=$?
	case $rc in
	0)
		echo "time $1 $2 ${out% cpu_us *}"
		echo "cpu $1 $2 us ${out#* cpu_us }"
		;;
	3) stop "$1" "$2" ;;
	*)
		head -n 5 /tmp/timeit.err
		die "timing $cmd failed"
		;;
	esac
}

# rows N TOOL - run TOOL once (a warm-up) and print how much it printed;
# with a LIMIT, a TOOL that runs longer is stopped (and not timed).
rows() {
	cmd=$(cmd_of "$2")
	rc=0
	# Not the file of a run before.
	[ "$2" != exporter ] || rm -f /tmp/x.prom
	if [ "$LIMIT" -gt 0 ]; then
		# shellcheck disable=SC2086
		timeout -s KILL "$LIMIT" $cmd >/tmp/out.txt 2>/dev/null || rc=$?
	else
		# shellcheck disable=SC2086
		$cmd >/tmp/out.txt 2>/dev/null || rc=$?
	fi
	# The exporter prints nothing: what it wrote is its output.
	[ "$2" != exporter ] || cp /tmp/x.prom /tmp/out.txt 2>/dev/null || true
	case $rc in
	0) echo "rows $1 $2 $(wc -l </tmp/out.txt) $(wc -c </tmp/out.txt)" ;;
	137) stop "$1" "$2" ;;
	*) die "$cmd failed (status $rc)" ;;
	esac
}

# check_rows N - every socket of the farm has its row in /proc/sockmap,
# counted against /proc/PID/fd (a benchmark of a wrong table is worthless).
check_rows() {
	want=0
	for dir in /proc/[0-9]*; do
		read -r comm <"$dir/comm" 2>/dev/null || continue
		[ "$comm" = sockfarm ] || continue
		# shellcheck disable=SC2010 # one ls per process, not one readlink per fd
		fds=$(ls -l "$dir/fd" 2>/dev/null | grep -c 'socket:\[') || true
		want=$((want + fds))
	done
	# COMM is found by its name in the header, not by its position.
	got=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "COMM") c = i; next }
		   c && $c == "sockfarm"' /tmp/sockmap.saved | wc -l)
	[ "$want" -ge "${1%@*}" ] || die "/proc/PID/fd shows $want farm sockets, want >= ${1%@*}"
	[ "$got" -eq "$want" ] || die "/proc/sockmap has $got farm rows, /proc/PID/fd $want"
	echo "check $1 farm_sockets=$want sockmap_rows=$got"
}

# check_exporter N - the metrics the exporter wrote (/tmp/out.txt, a copy
# of /tmp/x.prom) say what /proc/sockmap held: sockmap_up 1, sockmap_rows
# the rows of the saved table, and the sockets counted (the sum of every
# sockmap_sockets series) its distinct socket inodes (and its rows of
# INODE 0). A timing of an
# exporter that read nothing, or half, would be a timing of something else.
check_exporter() {
	up=$(awk '$1 == "sockmap_up" { print $2 }' /tmp/out.txt)
	[ "$up" = 1 ] || die "sockmap-exporter wrote sockmap_up ${up:-(none)}, want 1"
	rows=$(awk '$1 == "sockmap_rows" { print $2 }' /tmp/out.txt)
	want=$(($(wc -l </tmp/sockmap.saved) - 1))
	[ "$rows" = "$want" ] ||
		die "sockmap-exporter counted sockmap_rows ${rows:-(none)}, /proc/sockmap had $want rows"
	socks=$(awk '/^sockmap_sockets\{/ { n += $NF } END { print n + 0 }' /tmp/out.txt)
	# INODE is found by its name in the header, as COMM is above; each
	# row of INODE 0 (a socket no file holds) is a socket of its own.
	want=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "INODE") c = i; next }
		    c && ($c == 0 || !seen[$c]++)' /tmp/sockmap.saved | wc -l)
	[ "$socks" = "$want" ] ||
		die "sockmap-exporter counted $socks sockets, /proc/sockmap had $want distinct inodes"
	echo "check $1 exporter_up=$up exporter_rows=$rows exporter_sockets=$socks"
}

# bpf_columns_differ SOCKMAP BPF - print where the BPF iterator's rows
# (file BPF) and sockmap's (file SOCKMAP) disagree, in every column the
# two share (found by its name in each header), and a BPF row sockmap
# lacks; print nothing when they agree. Rows are joined by PID, FD, INODE
# and COMM: a thread that unshared its fd table has its leader's PID and
# its own table. Left out: SOCK (%pK is the BPF program's own), PEER of
# TCP (BPF cannot look it up and prints -) and LOCAL and REMOTE of INET6
# (BPF prints addresses in full, sockmap compressed). Rows are split on
# blanks: the farm's names have none. With EVERY above 1, only the rows
# whose FD is a multiple of it are compared (the farm's processes hold
# FDs 3 to 102 each: a tenth of them for EVERY 10), so that a million rows
# need not be held in busybox awk's table at once. Prints "agree ROWS"
# (the rows compared) when they agree.
bpf_columns_differ() {
	awk -v every="$3" 'function key(pid, fd, inode, comm) { return pid SUBSEP fd SUBSEP inode SUBSEP comm }
	FNR == 1 {
		file++
		for (i = 1; i <= NF; i++) {
			if (file == 1) smcol[$i] = i
			else { name[i] = $i; bpfcol[$i] = i }
		}
		cols = NF
		next
	}
	file == 1 {
		if ($smcol["FD"] % every == 0)
			row[key($smcol["PID"], $smcol["FD"], $smcol["INODE"], $smcol["COMM"])] = $0
		next
	}
	$bpfcol["FD"] % every != 0 { next }
	{
		k = key($bpfcol["PID"], $bpfcol["FD"], $bpfcol["INODE"], $bpfcol["COMM"])
		if (!(k in row)) {
			print "a BPF row sockmap lacks: " $0
			if (++bad >= 10) exit
			next
		}
		split(row[k], sm)
		for (i = 1; i <= cols; i++) {
			c = name[i]
			if (!(c in smcol) || c == "SOCK") continue
			if (c == "PEER" && $bpfcol["PROTO"] == "TCP") continue
			if ((c == "LOCAL" || c == "REMOTE") && $bpfcol["FAMILY"] == "INET6") continue
			if (sm[smcol[c]] != $i) {
				print c " of PID " $bpfcol["PID"] " FD " $bpfcol["FD"] ": sockmap " sm[smcol[c]] ", BPF " $i
				if (++bad >= 10) exit
			}
		}
		rows++
	}
	END {
		if (!bad && !rows) print "no BPF row was compared"
		else if (!bad) print "agree " rows
	}' "$1" "$2"
}

# check_bpf_columns N TOOL - the BPF iterator's rows (/tmp/out.txt) hold what
# sockmap's saved rows hold, in the columns both compute.
check_bpf_columns() {
	every=$((($(wc -l </tmp/out.txt) - 1 + 99999) / 100000))
	diffs=$(bpf_columns_differ /tmp/sockmap.saved /tmp/out.txt "$every")
	case $diffs in
	"agree "*) ;;
	*) die "the BPF iterator and sockmap disagree at N=$1:
$diffs" ;;
	esac
	if [ "$every" = 1 ]; then
		echo "check $1 ${2}_columns_agree_rows=${diffs#agree }"
	else
		echo "check $1 ${2}_columns_agree_rows=${diffs#agree }_of_every_${every}th_fd"
	fi
}

# start_zoo - run /workload/sockzoo's zoo of every kind of socket in the
# background until it is ready.
start_zoo() {
	/workload/sockzoo zoo >/tmp/zoo.out 2>&1 &
	ZOO=$!
	ticks=300
	until grep -q '^sockzoo ready' /tmp/zoo.out; do
		ticks=$((ticks - 1))
		[ "$ticks" -gt 0 ] || die "sockzoo not ready: $(cat /tmp/zoo.out)"
		sleep 0.1
	done
	kill -0 "$ZOO" 2>/dev/null || die "sockzoo died: $(cat /tmp/zoo.out)"
}

# compare N - /proc/sockmap must be the same bytes from the module under test
# (read with cat, and with dd at odd block sizes) and from /bench/ref.ko.
compare() {
	start_zoo
	cat /proc/sockmap >/tmp/new.txt
	dd if=/proc/sockmap of=/tmp/new-4096.txt bs=4096 2>/dev/null
	dd if=/proc/sockmap of=/tmp/new-777.txt bs=777 2>/dev/null
	rmmod sockmap || die "cannot unload sockmap"
	insmod /bench/ref.ko || die "cannot load ref.ko"
	cat /proc/sockmap >/tmp/ref.txt
	rmmod sockmap || die "cannot unload ref.ko"
	insmod /sockmap.ko || die "cannot reload sockmap.ko"
	status=identical
	for f in /tmp/new-4096.txt /tmp/new-777.txt /tmp/ref.txt; do
		cmp -s /tmp/new.txt "$f" && continue
		status=DIFFERENT
		echo "compare $1: /tmp/new.txt (cat) and $f differ:"
		diff /tmp/new.txt "$f" | head -n 20
	done
	echo "compare $1 $status $(wc -l </tmp/new.txt) rows, $(wc -c </tmp/new.txt) bytes"
	[ "$status" = identical ]
}

# with_module KO CMD... - run CMD with KO loaded in place of sockmap.ko.
with_module() {
	ko=$1
	shift
	rmmod sockmap || die "cannot unload sockmap"
	insmod "$ko" || die "cannot load $ko"
	status=0
	"$@" || status=$?
	rmmod sockmap || die "cannot unload $ko"
	insmod /sockmap.ko || die "cannot reload sockmap.ko"
	return "$status"
}

# holderless_rows - the rows of /proc/sockmap with PID "-": sockets no file
# holds.
holderless_rows() {
	awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "PID") c = i; next }
	     $c == "-"' /proc/sockmap | wc -l
}

# wait_all_held - wait (at most 90 s) until no socket lacks a holder: the
# TIME_WAIT sockets of the steps before (the zoo's) last a minute. The
# reads are then the same at every step, and the holderless rows' cost is
# measured where every socket has a holder, as its budget says.
wait_all_held() {
	ticks=90
	while [ "$(holderless_rows)" -gt 0 ]; do
		ticks=$((ticks - 1))
		[ "$ticks" -gt 0 ] || die "sockets without a holder after 90 s: $(holderless_rows)"
		sleep 1
	done
}

# ablations N - the lines each ablation module printed (a warm-up), which
# must be as many as sockmap's: each still walks every row.
ablations() {
	want=$(wc -l </tmp/sockmap.saved)
	for name in $ABLATE; do
		with_module "/bench/ablate/$name.ko" rows "$1" "ablate-$name"
		got=$(wc -l </tmp/out.txt)
		[ "$got" = "$want" ] || die "ablate-$name printed $got lines, sockmap $want"
	done
}

# profile_one TOOL - perf of one run of TOOL's command.
profile_one() {
	echo "==== $1: $(cmd_of "$1")"
	# shellcheck disable=SC2046 # the command is a list of words
	perf record -q -e cpu-clock -F 10000 -g -o /tmp/perf.data \
		$(cmd_of "$1") >/dev/null 2>/tmp/perf.err ||
		{ cat /tmp/perf.err; die "perf record failed"; }
	echo "== self time, by symbol"
	perf report -i /tmp/perf.data --stdio --no-children --sort symbol \
		--percent-limit 0.7 -g none 2>/dev/null | grep -v '^#' | grep -v '^$'
	echo "== with children, by symbol"
	perf report -i /tmp/perf.data --stdio --children --sort symbol \
		--percent-limit 3 -g none 2>/dev/null | grep -v '^#' | grep -v '^$'
}

# profile - perf of one read of /proc/sockmap, and of the BPF iterators.
profile() {
	echo "@@profile-begin@@"
	profile_one sockmap
	case " $TOOLS " in *" bpf "*) profile_one bpf ;; esac
	case " $TOOLS " in *" bpf-fast "*) profile_one bpf-fast ;; esac
	echo "@@profile-end@@"
}

# check_bpf_fast WHAT - the hand-formatted iterator printed the same bytes as
# sockiter (/tmp/out.txt against a read of it now): the two compute the
# same columns, so any difference is a formatting mistake of one of them.
check_bpf_fast() {
	cat /sys/fs/bpf/sockiter >/tmp/bpf.ref
	if ! cmp -s /tmp/bpf.ref /tmp/out.txt; then
		echo "bpf-fast and bpf differ ($1):"
		diff /tmp/bpf.ref /tmp/out.txt | head -n 20
		die "bpf-fast printed other bytes than bpf ($1)"
	fi
}

# check_bpf_fast_zoo - check_bpf_fast over /workload/sockzoo's zoo, which
# holds the kinds of socket the farm lacks (named and abstract UNIX
# sockets, datagrams, netlink, packet, ...).
check_bpf_fast_zoo() {
	start_zoo
	cat /sys/fs/bpf/sockiter_fast >/tmp/out.txt
	check_bpf_fast zoo
	echo "info bpf_fast_zoo identical to bpf, $(wc -l </tmp/out.txt) lines"
	stop_farm
}

# The system can hold this many open files and sockets.
sysctl -qw fs.file-max=4000000 fs.nr_open=1100000
# ... and this many TIME_WAIT sockets (by default, half the established
# hash's buckets: 16,384 in a 4 GiB guest; more are closed at once).
sysctl -qw net.ipv4.tcp_max_tw_buckets=2000000
# The BPF iterators: pinned once, then read like files. bpf-fast is checked
# against bpf, so bpf is pinned (though maybe not timed) with it.
case " $TOOLS " in
*" bpf "* | *" bpf-fast "*)
	mkdir -p /sys/fs/bpf
	mount -t bpf bpf /sys/fs/bpf || die "cannot mount the bpf filesystem"
	bpftool iter pin /bench/sockiter.bpf.o /sys/fs/bpf/sockiter 2>/tmp/bpf.err ||
		{ head -n 60 /tmp/bpf.err; die "bpftool iter pin sockiter.bpf.o failed"; }
	;;
esac
case " $TOOLS " in
*" bpf-fast "*)
	bpftool iter pin /bench/sockiter_fast.bpf.o /sys/fs/bpf/sockiter_fast 2>/tmp/bpf.err ||
		{ head -n 60 /tmp/bpf.err; die "bpftool iter pin sockiter_fast.bpf.o failed"; }
	;;
esac
# %pK prints real addresses to root, as on a hardened host (and as the
# /proc/net files do at the same setting).
sysctl -qw kernel.kptr_restrict=1

echo "@@bench-begin@@"
echo "info kernel $(uname -r)"
echo "info cpus $(grep -c '^processor' /proc/cpuinfo)"
echo "info cpu $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
echo "info memory_kB $(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
echo "info clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
# Sized at boot from memory (thash_entries= overrides): TCP PEER is a lookup
# in it, whose chains grow with the connections it holds.
echo "info tcp_ehash $(dmesg | sed -n 's/.*TCP established hash table entries: \([0-9]*\).*/\1/p' | head -n 1)"
echo "info ss $(ss -V 2>&1 | head -n 1)"
echo "info lsof $(lsof -v 2>&1 | sed -n 's/^ *revision: *//p' | head -n 1)"
case " $TOOLS " in *" lsfd "*) echo "info lsfd $($LSFD --version)" ;; esac
case " $TOOLS " in *" bpf "* | *" bpf-fast "*) echo "info bpftool $(bpftool version | head -n 1)" ;; esac
echo "info limit_s $LIMIT"
case " $TOOLS " in *" bpf-fast "*) [ "$COMPARE" = 1 ] || check_bpf_fast_zoo ;; esac

for n in $SIZES; do
	case $n in
	*tw)
		[ "$COMPARE" = 0 ] || die "--compare takes no TIME_WAIT sizes"
		start_time_wait "$n"
		;;
	*)
		start_farm "$n"
		if [ "$COMPARE" = 1 ]; then
			compare "$n"
			stop_farm
			continue
		fi
		wait_all_held
		cat /proc/sockmap >/tmp/sockmap.saved
		check_rows "$n"
		;;
	esac
	for tool in $TOOLS; do
		rows "$n" "$tool"
		# The iterator must see every socket sockmap sees, no more.
		if [ "${tool%-fast}" = bpf ] && ! stopped "$n" "$tool"; then
			[ "$(wc -l </tmp/out.txt)" = "$(wc -l </tmp/sockmap.saved)" ] ||
				die "the BPF iterator ($tool) printed $(wc -l </tmp/out.txt) lines, sockmap $(wc -l </tmp/sockmap.saved)"
			check_bpf_columns "$n" "$tool"
		fi
		if [ "$tool" = bpf-fast ] && ! stopped "$n" bpf-fast; then
			check_bpf_fast "$n"
			echo "check $n bpf_fast_identical_to_bpf_lines=$(wc -l </tmp/out.txt)"
		fi
		if [ "$tool" = exporter ] && ! stopped "$n" exporter; then
			check_exporter "$n"
		fi
	done
	[ "$n" = "$LAST" ] && ablations "$n"
	# Round after round, each tool once: a change in the host's load
	# then hits every tool alike instead of whichever ran at the time.
	for round in $(seq "$REPS"); do
		timed "$n" exec
		for tool in $TOOLS; do
			case $tool in
			ss | lsof | lsfd) [ "$(sockets_of "$n")" -ge 100000 ] && [ "$round" -gt "$SLOW_REPS" ] && continue ;;
			esac
			timed "$n" "$tool"
		done
		[ "$n" = "$LAST" ] || continue
		for name in $ABLATE; do
			with_module "/bench/ablate/$name.ko" timed "$n" "ablate-$name"
		done
	done
	case $n in *tw) check_time_wait_kept "$n" ;; esac
	echo "mem $n $(/bench/memprobe /proc/sockmap)"
	if [ "$PROFILE" = 1 ] && [ "$n" = "$LAST" ]; then
		profile
	fi
	stop_farm
done
echo "@@bench-end@@"
