#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The end-to-end checks of issue 3, run inside the VM by /init (see
# scripts/lib/vm.sh) with sockmap.ko loaded; scripts/e2e boots it on each
# kernel. Busybox sh and awk only, plus the real ss.
#
# Every check compares /proc/sockmap with a view of the kernel that sockmap
# does not produce: readlink/stat of /proc/PID/fd, /proc/net/*, ss. Each
# prints "PASS name" or "FAIL name: why" (more detail indented below it).
# The script exits non-zero if any check failed, so /init withholds the
# success token.
#
# Sub-commands, used to run a piece of this file as another user, in
# another pid namespace or in a Landlock domain:
#	e2e.sh fds [PROC]	socket fds the caller can see in the procfs
#				mounted at PROC (/proc), "PID FD INODE UID"
#	e2e.sh inside DIR	the inside half of check_pidns, check_userns
#				and check_landlock: a sockzoo, /proc/sockmap,
#				fds and /proc/net seen in a namespace or domain
#
# shellcheck disable=SC2016 # awk programs and su -c are single-quoted

set -u

SOCKMAP=/proc/sockmap
KO=${e2e_ko:-/sockmap.ko}
ZOO=${e2e_zoo:-/workload/sockzoo}
LANDLOCK=/workload/landlock
LAYOUT=/workload/layout
CORNER=/workload/corner
LIB=${e2e_lib:-/e2e-lib.awk}
W=${e2e_work:-/tmp/e2e}
ME=$(realpath "$0")
AWK_LIB=$(cat "$LIB") || exit 1
USER_ID=1000
HEADER="PID COMM FD INODE SOCK NETNS FAMILY TYPE PROTO STATE LOCAL REMOTE RXQ TXQ CWND SSTHRESH SRTT_US RETRANS UID PEER CGROUP"
BAD_DMESG='BUG:|WARNING:|Oops|general protection|refcount_t'

# columns FILE - awk's "-v NAME=N" for every column that the first line
# of FILE (/proc/sockmap's header) names: the checks address a row's
# fields by name ($LOCAL, $UID), never by position, so that a new column
# moves no comparison. A name of HEADER that the header lacks is -1, a
# field number awk refuses, so that a check using it fails loudly.
columns() {
	awk -v known="$HEADER" 'NR == 1 {
		for (i = 1; i <= NF; i++)
			n[$i] = i
		k = split(known, name, " ")
		for (i = 1; i <= k; i++)
			if (!(name[i] in n))
				n[name[i]] = -1
		for (c in n)
			printf "-v %s=%d\n", c, n[c]
		exit
	}' "$1"
}

# awkl PROGRAM [ARG...] - awk with e2e-lib.awk's functions and the
# columns of /proc/sockmap as variables (see columns).
awkl() {
	prog=$1
	shift
	# shellcheck disable=SC2086 # COLS is a list of words
	awk $COLS "$AWK_LIB
$prog" "$@"
}

# as_user CMD [ARG...] - run CMD as uid 1000 (busybox setpriv has no --reuid).
as_user() {
	su -s /bin/sh -c 'exec "$0" "$@"' -- user "$@"
}

# wait_for SECONDS WHAT CMD... - poll CMD every 0.1 s until it succeeds.
wait_for() {
	ticks=$(($1 * 10)) what=$2
	shift 2
	until "$@"; do
		ticks=$((ticks - 1))
		[ "$ticks" -gt 0 ] || { echo "timed out waiting for $what"; return 1; }
		sleep 0.1
	done
}

# start_zoo OUT CMD... - run CMD (a workload: sockzoo, layout, corner) in
# the background with its output in OUT and wait for its "NAME ready"
# line. Sets ZOO_PID (CMD's pid; a subshell when CMD is as_user) and
# ZOO_OUT.
start_zoo() {
	out=$1
	shift
	: >"$out"
	"$@" >"$out" 2>&1 &
	ZOO_PID=$!
	ZOO_OUT=$out
	wait_for 120 "$* to be ready" grep -q '^[a-z]* ready' "$out" ||
		{ cat "$out"; return 1; }
}

# stop_zoo - kill the workload start_zoo started last (the pid its ready
# line names: as_user's subshell would leave it running) and wait until it
# is gone.
stop_zoo() {
	pid=$(zoo_field "$ZOO_OUT" pid)
	kill "${pid:-$ZOO_PID}" 2>/dev/null
	wait "$ZOO_PID" 2>/dev/null
	return 0
}

# zoo_field OUT NAME - NAME=VALUE from a workload's ready line.
zoo_field() {
	sed -n "s/^[a-z]* ready.* $2=\([0-9]*\).*/\1/p" "$1"
}

# ---------------------------------------------------------------------------
# Sources of truth.

# fds_of DIR ID - "ID FD INODE UID" for each socket fd under DIR/fd, from
# the links' targets (socket:[INODE]) and the socket inodes' owners.
fds_of() {
	{
		# shellcheck disable=SC2012 # ls -l shows the targets, as readlink
		ls -l "$1/fd" 2>/dev/null |
			awk '$NF ~ /^socket:\[[0-9]+\]$/ { print "L", $(NF - 2), $NF }'
		stat -L -c 'S %n %u' "$1"/fd/* 2>/dev/null
	} | awk -v id="$2" '
		$1 == "L" { gsub(/[^0-9]/, "", $3); ino[$2] = $3 }
		$1 == "S" { n = split($2, p, "/"); uid[p[n]] = $3 }
		END { for (fd in ino) print id, fd, ino[fd], uid[fd] }' |
		sort -n -k2,2
}

# fds [PROC] - every socket fd the caller may see through the procfs
# mounted at PROC (default /proc): each fd table once, under the thread of
# lowest TID in its process that holds it. Tables are told apart by what
# they hold: a thread's table is its own when its sockets differ from its
# leader's (it did unshare(CLONE_FILES)), and threads whose sockets are
# the same share one. A thread with a private copy that still equals
# another's table would be missed: the workloads' threads open a socket
# after unsharing, so their tables differ. When the leader has exited
# (pthread_exit) it has no table, and the one its threads share is
# expected once (sockzoo's orphan).
fds() {
	proc=${1:-/proc}
	for dir in "$proc"/[0-9]*; do
		pid=${dir##*/}
		for tdir in "$dir" "$dir"/task/*; do
			tid=${tdir##*/}
			[ "$tdir" != "$dir" ] && [ "$tid" = "$pid" ] && continue
			echo "task $pid $tid"
			fds_of "$tdir" "$tid"
		done
	done | awk '
	# table[TID]: the "FD INODE UID" lines of thread TID of process pid.
	function flush(    t, holder, tab) {
		for (t in table) {
			if (t != pid && table[t] == table[pid])
				continue
			if (!(table[t] in holder) || t + 0 < holder[table[t]] + 0)
				holder[table[t]] = t
		}
		for (tab in holder)
			if (tab != "")
				print_table(holder[tab], tab)
		split("", table)
	}
	function print_table(t, lines,    n, i, l) {
		n = split(lines, l, "\n")
		for (i = 1; i < n; i++)
			print t, l[i]
	}
	$1 == "task" {
		if ($2 != pid)
			flush()
		pid = $2; tid = $3; table[tid] = ""
		next
	}
	{ table[tid] = table[tid] $2 " " $3 " " $4 "\n" }
	END { flush() }'
	return 0
}

# netns_pids - "NETNS PID": one process in each network namespace in use.
netns_pids() {
	for dir in /proc/[0-9]*; do
		ns=$(readlink "$dir/ns/net" 2>/dev/null) || continue
		ns=${ns#net:[}
		echo "${ns%]} ${dir#/proc/}"
	done | awk '!seen[$1]++'
}

# procnet - every line of the /proc/net tables of every network namespace
# as "TABLE NETNS LINE".
procnet() {
	netns_pids | while read -r ns pid; do
		for t in tcp tcp6 udp udp6 raw raw6 unix netlink packet; do
			awk -v t=$t -v ns="$ns" 'FNR > 1 { print t, ns, $0 }' \
				"/proc/$pid/net/$t" 2>/dev/null
		done
	done
}

# ss_all - "NETNS KIND LINE" of `ss -tinea` (KIND tcp, or tcp-info for its
# indented tcp_info lines) and `ss -xa` (KIND unix), in every netns.
ss_all() {
	netns_pids | while read -r ns pid; do
		# ss -i puts tcp_info on an indented line after each socket.
		nsenter -t "$pid" -n ss -tinea |
			awk -v ns="$ns" '/^[ \t]/ { print ns, "tcp-info", $0; next }
					 { print ns, "tcp", $0 }'
		nsenter -t "$pid" -n ss -xa | sed "s/^/$ns unix /"
	done
}

# stable_tcp_udp FILE - the fields of procnet's TCP/UDP lines that only
# change when traffic flows (not the timers): equal twice means quiet.
stable_tcp_udp() {
	awk '$1 ~ /^(tcp|udp)6?$/ { print $1, $2, $4, $5, $6, $7, $10, $12, $18, $19 }' "$1"
}

# snapshot - when TCP/UDP stood still across it, the workload is quiet:
# $W/procnet, $W/rows (/proc/sockmap) and $W/ss were taken together.
snapshot() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		procnet >"$W/procnet.a"
		cat "$SOCKMAP" >"$W/rows" || return 1
		ss_all >"$W/ss"
		procnet >"$W/procnet"
		stable_tcp_udp "$W/procnet.a" >"$W/stable.a"
		stable_tcp_udp "$W/procnet" >"$W/stable.b"
		cmp -s "$W/stable.a" "$W/stable.b" && return 0
		sleep 1
	done
	echo "TCP/UDP never went quiet (10 tries)"
	return 1
}

# same_set WHAT MINE TRUTH - compare two files as sets of lines.
same_set() {
	sort "$2" >"$2.sorted"
	sort "$3" >"$3.sorted"
	diff "$2.sorted" "$3.sorted" >"$W/diff" && return 0
	echo "$1 differ (- only in sockmap, + only in the truth):"
	grep '^[-+][^-+]' "$W/diff" | sed 's/^-/- /; s/^+/+ /' | head -n 20
	return 1
}

# rows_keys FILE - "PID FD INODE" of every row (the header dropped).
rows_keys() {
	awkl 'NR > 1 { print $PID, $FD, $INODE }' "$1"
}

# ---------------------------------------------------------------------------
# The checks. Each prints one line per problem; silence means PASS.

# 1: the rows are exactly the socket fds of /proc/*/fd (and of threads with
# their own table), in PID, FD order, with the right INODE, COMM and UID.
check_fd_set() {
	fds >"$W/fds"
	awkl '
		NR == 1 { $1 = $1; if ($0 != header) print "header is: " $0; nf = NF; next }
		NF != nf { print "row has " NF " fields, header " nf ": " $0 }
		$PID + 0 < pid || ($PID + 0 == pid && $FD + 0 <= fd) {
			print "row out of PID, FD order: " $0
		}
		{ pid = $PID + 0; fd = $FD + 0 }' header="$HEADER" "$W/rows"
	rows_keys "$W/rows" >"$W/rows.keys"
	awk '{ print $1, $2, $3 }' "$W/fds" >"$W/fds.keys"
	grep -q . "$W/fds.keys" || echo "no socket fds found in /proc at all"
	same_set "(PID, FD, INODE)" "$W/rows.keys" "$W/fds.keys"
	awkl '
		FNR == NR { uid[$1 " " $2] = $4; next }
		FNR == 1 { next }
		{
			comm = ""
			getline comm <("/proc/" $PID "/comm")
			close("/proc/" $PID "/comm")
			differ("pid " $PID " fd " $FD " COMM", $COMM, esc(comm))
			if (($PID " " $FD) in uid)
				differ("pid " $PID " fd " $FD " UID", $UID, uid[$PID " " $FD])
		}' "$W/fds" "$W/rows"
	grep -q "^$ZOO_SHARER " "$W/rows.keys" &&
		echo "rows for thread $ZOO_SHARER, which shares its leader's fd table"
	# The zoo's helper tasks must be there, or the check proves little.
	for id in "$ROOT_ZOO" "$ZOO_WORKER" "$ZOO_NETNS" "$ZOO_THREAD" "$USER_NODUMP"; do
		awk -v id="$id" '$1 == id { found = 1 } END { exit !found }' \
			"$W/rows.keys" || echo "no rows for sockzoo task $id"
	done
}

# 2: TCP (or UDP) rows against /proc/net/tcp{,6} (udp{,6}) of their netns.
# PROTO is TCP or UDP.
check_inet() {
	awkl '
	FNR == NR {
		t = $1; ns = $2
		$0 = strip(2)
		if (t !~ "^" tolower(proto) "6?$")
			next
		loc = addr($2); rem = addr($3)
		# Both ends of a local connection, by 4-tuple, for PEER.
		peer[ns " " plain4(loc) " " plain4(rem)] = $10
		if ($10 == 0)
			next
		ino = $10
		fam[ino] = t ~ /6$/ ? "INET6" : "INET"
		net[ino] = ns; l[ino] = loc; r[ino] = rem
		st[ino] = tcp_state($4)
		split($5, q, ":"); tx[ino] = hex(q[1]); rx[ino] = hex(q[2])
		uid[ino] = $8; cwnd[ino] = $16; ssth[ino] = $17
		next
	}
	FILENAME ~ /ss$/ {
		# ss -tinea: the Send-Q of listeners (their accept queue maximum).
		if ($2 == "tcp" && $3 == "LISTEN")
			for (i = 4; i <= NF; i++)
				if ($i ~ /^ino:/)
					sendq[substr($i, 5)] = $5
		next
	}
	FNR == 1 || $PROTO != proto { next }
	{
		ino = $INODE; what = "inode " ino " (pid " $PID " fd " $FD ")"
		n++
		if (!(ino in st)) {
			printf "%s: %s row not in /proc/net/%s*\n", what, proto, tolower(proto)
			bad++
			next
		}
		differ(what " FAMILY", $FAMILY, fam[ino])
		differ(what " TYPE", $TYPE, proto == "TCP" ? "STREAM" : "DGRAM")
		differ(what " STATE", $STATE, st[ino])
		differ(what " LOCAL", $LOCAL, l[ino])
		differ(what " REMOTE", $REMOTE, r[ino])
		differ(what " RXQ", $RXQ, rx[ino])
		differ(what " UID", $UID, uid[ino])
		if (proto == "UDP") {
			differ(what " TXQ", $TXQ, tx[ino])
			differ(what " CWND..RETRANS", $CWND " " $SSTHRESH " " $SRTT_US " " $RETRANS, "- - - -")
			differ(what " PEER", $PEER, "-")
			next
		}
		differ(what " CWND", $CWND, cwnd[ino])
		if (st[ino] == "LISTEN") {
			# /proc/net/tcp has no backlog maximum and shows the
			# fastopen queue instead of ssthresh: ss has the first;
			# a listener never leaves initial slow start
			# (tcp_init_sock sets TCP_INFINITE_SSTHRESH).
			differ(what " TXQ (ss Send-Q)", $TXQ, ino in sendq ? sendq[ino] : "?")
			differ(what " SSTHRESH", $SSTHRESH, -1)
		} else {
			differ(what " TXQ", $TXQ, tx[ino])
			differ(what " SSTHRESH", $SSTHRESH, ssth[ino])
		}
		key = net[ino] " " plain4(r[ino]) " " plain4(l[ino])
		differ(what " PEER", $PEER, (key in peer) && peer[key] != 0 ? peer[key] : "-")
	}
	END {
		if (!n)
			print "no " proto " rows at all"
	}' proto="$1" "$W/procnet" "$W/ss" "$W/rows"
}

# 2: SRTT_US and RETRANS against ss -ti (rtt:SRTT/RTTVAR in ms, with %g's
# six digits; retrans:NOW/TOTAL, absent when both are 0).
check_tcp_ss() {
	awkl '
	FILENAME ~ /ss$/ {
		if ($2 == "tcp") {			# a socket line
			ino = ""
			for (i = 3; i <= NF; i++)
				if ($i ~ /^ino:/)
					ino = substr($i, 5)
			if (ino != "") {
				rtt[ino] = 0; retrans[ino] = 0
			}
			next
		}
		if ($2 != "tcp-info")
			next
		for (i = 3; i <= NF && ino != ""; i++) {	# its tcp_info
			if ($i ~ /^rtt:/) {
				split(substr($i, 5), v, "/")
				rtt[ino] = v[1] * 1000
			}
			if ($i ~ /^retrans:/) {
				split(substr($i, 9), v, "/")
				retrans[ino] = v[2]
			}
		}
		next
	}
	FNR == 1 || $PROTO != "TCP" { next }
	{
		ino = $INODE; what = "inode " ino " (pid " $PID " fd " $FD ")"
		if (!(ino in rtt)) {
			print what ": not in ss -tinea"
			next
		}
		d = $SRTT_US - rtt[ino]
		if ($SRTT_US !~ /^[0-9]+$/ || d > 1 || d < -1)
			printf "%s SRTT_US: sockmap %s, ss rtt %s us\n", what, $SRTT_US, rtt[ino]
		differ(what " RETRANS", $RETRANS, retrans[ino])
		n++
	}
	END {
		if (!n)
			print "no TCP rows at all"
	}' "$W/ss" "$W/rows"
}

# 3: UNIX rows: LOCAL and TYPE against /proc/net/unix; STATE, queues, PEER
# against ss -xa (peer inode, Recv-Q, Send-Q); REMOTE is the peer's name.
check_unix() {
	awkl '
	FNR == NR {
		if ($1 != "unix")
			next
		ino = $9
		type[ino] = sock_type(hex($7))
		$0 = strip(9)
		path[ino] = $0 == "" ? "-" : esc($0)
		next
	}
	FILENAME ~ /ss$/ {
		# "NETNS unix Netid State Recv-Q Send-Q Local Port Peer Port":
		# counted from the end, as a path may hold spaces.
		if ($2 != "unix" || $3 == "Netid")
			next
		ino = $(NF - 2)
		sst[ino] = $4; rq[ino] = $5; sq[ino] = $6; peer[ino] = $NF
		next
	}
	FNR == 1 || $FAMILY != "UNIX" { next }
	{
		ino = $INODE; what = "inode " ino " (pid " $PID " fd " $FD ")"
		if (!(ino in path) || !(ino in sst)) {
			print what ": UNIX row not in /proc/net/unix or ss -xa"
			next
		}
		p = peer[ino] == 0 ? "-" : peer[ino]
		differ(what " TYPE", $TYPE, type[ino])
		differ(what " PROTO", $PROTO, "-")
		differ(what " STATE", $STATE, sst[ino] == "LISTEN" ? "LISTEN" : \
		       p == "-" ? "UNCONNECTED" : "CONNECTED")
		differ(what " LOCAL", $LOCAL, path[ino])
		differ(what " REMOTE", $REMOTE, p == "-" ? "-" : \
		       (p in path) ? path[p] : "? (peer " p " not in /proc/net/unix)")
		differ(what " RXQ", $RXQ, rq[ino])
		differ(what " TXQ", $TXQ, sq[ino])
		differ(what " CWND..RETRANS", $CWND " " $SSTHRESH " " $SRTT_US " " $RETRANS, "- - - -")
		differ(what " PEER", $PEER, p)
		n++
		if ($LOCAL ~ /\\040/) space = 1
		if ($LOCAL ~ /\\134/) backslash = 1
		if ($LOCAL ~ /^@/) abstract = 1
		if (p != "-") paired = 1
	}
	END {
		if (!n) print "no UNIX rows at all"
		if (!space) print "no UNIX path with a space (\\040) among the rows"
		if (!backslash) print "no UNIX path with a backslash (\\134) among the rows"
		if (!abstract) print "no abstract UNIX name among the rows"
		if (!paired) print "no connected UNIX socket among the rows"
	}' "$W/procnet" "$W/ss" "$W/rows"
}

# The rest: raw, netlink and packet rows against /proc/net/{raw,raw6,
# netlink,packet} (not one of issue 3's numbered checks; the same idea).
# Each table lacks some columns, so each family compares its own list.
check_other() {
	for dev in /sys/class/net/*; do
		echo "$(cat "$dev/ifindex") ${dev##*/}"
	done >"$W/ifindex"
	awkl '
	FILENAME ~ /ifindex$/ { ifname[$1] = $2; next }
	FILENAME ~ /procnet$/ {
		t = $1
		$0 = strip(2)
		if (t ~ /^raw6?$/ && $10 != 0) {
			# like udp: sl local rem st tx:rx ... uid timeout inode
			split($5, q, ":")
			want[$10] = (t == "raw" ? "INET" : "INET6") " RAW " \
				ip_proto(hex(substr($2, index($2, ":") + 1))) " " \
				tcp_state($4) " " addr($2) " " addr($3) " " \
				hex(q[2]) " " hex(q[1]) " " $8
		} else if (t == "netlink" && $10 ~ /^[0-9]+$/) {
			# sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
			want[$10] = "NETLINK " netlink_proto($2) " - " $3 " - " \
				$5 " " $6
		} else if (t == "packet" && $9 ~ /^[0-9]+$/) {
			# sk RefCnt Type Proto Iface R Rmem User Inode
			proto = "0x" tolower($4)
			want[$9] = "PACKET " sock_type($3) " " proto " - " \
				($5 == 0 ? "*" : ($5 in ifname) ? esc(ifname[$5]) : "-") \
				":" proto " - " $7 " " $8
		}
		next
	}
	FNR == 1 { next }
	$FAMILY == "NETLINK" { what = "FAMILY PROTO STATE LOCAL REMOTE RXQ TXQ"
			  mine = $FAMILY " " $PROTO " " $STATE " " $LOCAL " " $REMOTE " " $RXQ " " $TXQ }
	$FAMILY == "PACKET" { what = "FAMILY TYPE PROTO STATE LOCAL REMOTE RXQ UID"
			 mine = $FAMILY " " $TYPE " " $PROTO " " $STATE " " $LOCAL " " $REMOTE " " $RXQ " " $UID }
	$TYPE == "RAW" && $FAMILY ~ /^INET6?$/ {
		what = "FAMILY TYPE PROTO STATE LOCAL REMOTE RXQ TXQ UID"
		mine = $FAMILY " " $TYPE " " $PROTO " " $STATE " " $LOCAL " " $REMOTE " " $RXQ " " $TXQ " " $UID
	}
	$FAMILY == "NETLINK" || $FAMILY == "PACKET" || $TYPE == "RAW" && $FAMILY ~ /^INET6?$/ {
		ino = $INODE; where = "inode " ino " (pid " $PID " fd " $FD ") "
		if (!(ino in want)) {
			print where $FAMILY " " $TYPE " row not in /proc/net"
			next
		}
		differ(where what, mine, want[ino])
		differ(where "CWND..RETRANS", $CWND " " $SSTHRESH " " $SRTT_US " " $RETRANS, "- - - -")
		seen[$FAMILY ~ /^INET/ ? "raw" : $FAMILY] = 1
	}
	END {
		if (!("raw" in seen)) print "no raw INET row"
		if (!("NETLINK" in seen)) print "no NETLINK row"
		if (!("PACKET" in seen)) print "no PACKET row"
	}' "$W/ifindex" "$W/procnet" "$W/rows"
}

# 5: NETNS of every row is the namespace whose /proc/net tables list the
# socket; the netns child's rows carry readlink /proc/CHILD/ns/net.
check_netns() {
	child=$(readlink "/proc/$ZOO_NETNS/ns/net") || { echo "no netns child"; return 1; }
	init=$(readlink /proc/1/ns/net)
	[ "$child" != "$init" ] || echo "netns child shares init's netns ($init)"
	awkl '
	# The inode column: unix 7th, packet 9th, the others 10th; +2 here.
	FNR == NR { ns[$1 == "unix" ? $9 : $1 == "packet" ? $11 : $12] = $2; next }
	FNR == 1 { next }
	{
		what = "inode " $INODE " (pid " $PID " fd " $FD ")"
		if (!($INODE in ns))
			print what ": socket in no /proc/net table"
		else if ($NETNS != ns[$INODE])
			print what " NETNS: sockmap " $NETNS ", /proc/net says " ns[$INODE]
		if ($PID == cpid) {
			n++
			if ("net:[" $NETNS "]" != child)
				print what " NETNS: sockmap " $NETNS ", /proc/" cpid "/ns/net is " child
		}
	}
	END { if (!n) print "no rows for the netns child " cpid }' \
		child="$child" cpid="$ZOO_NETNS" "$W/procnet" "$W/rows"
}

# 4: SOCK is what %pK shows the reader, which /proc/net/tcp and udp show
# it for the same inode: with kptr_restrict=0 a hashed address, with 1 the
# address to root and zeros to uid 1000, with 2 zeros to both. sockmap
# asks %pK once per read() and replays the answer (module/row.c), so every
# level and both readers are compared.
check_kptr() {
	old=$(cat /proc/sys/kernel/kptr_restrict)
	for level in 0 1 2; do
		echo $level >/proc/sys/kernel/kptr_restrict
		cat "$SOCKMAP" >"$W/kptr$level.root"
		procnet >"$W/kptr$level.rootprocnet"
		as_user cat "$SOCKMAP" >"$W/kptr$level.user"
		as_user cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp \
			/proc/net/udp6 |
			awk '{ print "x x", $0 }' >"$W/kptr$level.userprocnet"
	done
	echo "$old" >/proc/sys/kernel/kptr_restrict
	for level in 0 1 2; do
		for who in root user; do
			zeros=no
			[ $level = 2 ] || { [ $level = 1 ] && [ $who = user ]; } &&
				zeros=yes
			kptr_compare "kptr_restrict=$level $who" $zeros \
				"$W/kptr$level.${who}procnet" "$W/kptr$level.$who"
		done
	done
}

# kptr_compare WHO ZEROS PROCNET ROWS - the SOCK of each TCP and UDP row in
# ROWS is the pointer PROCNET shows for its inode, and (ZEROS=yes) every
# SOCK is zero or (no) none is. Until the kernel's random pool is ready,
# which in a guest without a hardware RNG may take a while, %p hashes
# nothing and prints "(____ptrval____)" (lib/vsprintf.c), in /proc/net/tcp
# as here.
kptr_compare() {
	awkl '
	FNR == NR {
		$0 = strip(2)
		if ($10 ~ /^[0-9]+$/ && $10 != 0)
			ptr[$10] = substr("0000000000000000", length($12) + 1) tolower($12)
		next
	}
	FNR == 1 { next }
	$SOCK !~ /^[0-9a-f]{16}$/ && $SOCK != "(____ptrval____)" {
		print who ": SOCK is not 16 hex digits: " $0
	}
	$SOCK != "0000000000000000" { nonzero++ }
	$PROTO == "TCP" || $PROTO == "UDP" {
		n++
		differ(who ": inode " $INODE " SOCK", $SOCK, $INODE in ptr ? ptr[$INODE] : "?")
	}
	$SOCK == "0000000000000000" { zero++ }
	END {
		if (!n) print who ": no TCP/UDP rows to compare"
		if (zeros == "no" && zero) print who ": " zero " SOCK values are zero"
		if (zeros == "yes" && nonzero) print who ": " nonzero " SOCK values are not zero"
	}' who="$1" zeros="$2" "$3" "$4"
}

# 5: uid 1000 sees exactly the socket fds it can readlink: its own.
check_uid() {
	as_user cat "$SOCKMAP" >"$W/uid.rows" || echo "uid $USER_ID cannot read $SOCKMAP"
	as_user sh "$ME" fds >"$W/uid.fds"
	rows_keys "$W/uid.rows" >"$W/uid.rows.keys"
	awk '{ print $1, $2, $3 }' "$W/uid.fds" >"$W/uid.fds.keys"
	same_set "rows uid $USER_ID sees" "$W/uid.rows.keys" "$W/uid.fds.keys"
	grep -q "^$USER_ZOO " "$W/uid.rows.keys" ||
		echo "uid $USER_ID does not see its own sockzoo ($USER_ZOO)"
	grep -q "^$ROOT_ZOO " "$W/uid.rows.keys" &&
		echo "uid $USER_ID sees root's sockzoo ($ROOT_ZOO)"
	grep -q "^$USER_NODUMP " "$W/uid.rows.keys" &&
		echo "uid $USER_ID sees its non-dumpable process ($USER_NODUMP)"
	grep -q "^$USER_NODUMP " "$W/uid.fds.keys" &&
		echo "uid $USER_ID can readlink its non-dumpable process's fds?"
	return 0
}

# UID is translated into the reader's user namespace, as /proc/net/tcp's
# uid column is: uid 1000 in a user namespace where it is root (0), with a
# sockzoo started in it. What the reader sees there is what it can
# readlink there: its namespace's processes, not uid 1000's outside it
# (ptrace needs the same user namespace or CAP_SYS_PTRACE over the other).
check_userns() {
	dir=$W/userns
	mkdir -p "$dir"
	chmod 0777 "$dir"
	as_user unshare -U -r sh "$ME" inside "$dir" ||
		{ echo "the run in a new user namespace failed:"; cat "$dir/log"; return 1; }
	rows_keys "$dir/rows" >"$dir/rows.keys"
	awk '{ print $1, $2, $3 }' "$dir/fds" >"$dir/fds.keys"
	same_set "rows in a user namespace" "$dir/rows.keys" "$dir/fds.keys"
	inner=$(zoo_field "$dir/zoo" pid)
	awk '{ print "x x", $0 }' "$dir/procnet" >"$dir/procnet.x"
	awkl '
	FNR == NR {
		$0 = strip(2)
		if ($10 ~ /^[0-9]+$/)
			uid[$10] = $8
		next
	}
	FNR == 1 || $PROTO != "TCP" && $PROTO != "UDP" { next }
	{
		n++
		differ("inode " $INODE " UID", $UID, $INODE in uid ? uid[$INODE] : "?")
		if ($PID == zoo) zoo_seen = 1
	}
	END {
		if (!n) print "no TCP/UDP rows seen from the user namespace"
		if (!zoo_seen) print "its sockzoo (" zoo ") not seen"
	}' zoo="${inner:-none}" "$dir/procnet.x" "$dir/rows"
	awkl '$PID == zoo && $UID == 0 { f = 1 } END { exit !f }' \
		zoo="${inner:-none}" "$dir/rows" ||
		echo "no row of sockzoo $inner shows UID 0 (uid $USER_ID mapped to 0)"
}

# 5: what a file opened by uid 1000 shows is decided at open(): read by
# root afterwards, it still shows only uid 1000's rows.
check_opener() {
	"$ZOO" readas $USER_ID "$SOCKMAP" >"$W/opener.rows" ||
		{ echo "sockzoo readas failed"; return 1; }
	rows_keys "$W/opener.rows" >"$W/opener.keys"
	as_user sh "$ME" fds | awk '{ print $1, $2, $3 }' >"$W/opener.truth"
	same_set "rows of a file opened by uid $USER_ID, read by root" \
		"$W/opener.keys" "$W/opener.truth"
}

# 5: in a new pid namespace (with its own /proc) only that namespace's
# tasks appear, numbered as it numbers them.
check_pidns() {
	mkdir -p "$W/pidns"
	unshare -p -f --mount-proc sh "$ME" inside "$W/pidns" ||
		{ echo "the pid namespace run failed:"; cat "$W/pidns/log"; return 1; }
	rows_keys "$W/pidns/rows" >"$W/pidns/rows.keys"
	awk '{ print $1, $2, $3 }' "$W/pidns/fds" >"$W/pidns/fds.keys"
	same_set "rows inside the pid namespace" "$W/pidns/rows.keys" "$W/pidns/fds.keys"
	inner=$(zoo_field "$W/pidns/zoo" pid)
	grep -q "^$inner " "$W/pidns/rows.keys" ||
		echo "no rows for the namespace's sockzoo (pid $inner there)"
	[ "${inner:-999}" -lt 10 ] ||
		echo "sockzoo's pid inside the namespace is $inner, expected a small number"
	grep -q "^$ROOT_ZOO " "$W/pidns/rows.keys" && [ "$ROOT_ZOO" != "$inner" ] &&
		echo "the outer sockzoo ($ROOT_ZOO) is visible inside"
	# The namespace of the procfs mount decides, as for /proc itself: a
	# reader in a new pid namespace reading the old /proc sees it all.
	unshare -p -f cat "$SOCKMAP" >"$W/pidns/outer.rows" ||
		echo "reading the outer /proc/sockmap from a new pid namespace failed"
	rows_keys "$W/pidns/outer.rows" >"$W/pidns/outer.keys"
	fds | awk '{ print $1, $2, $3 }' >"$W/pidns/outer.fds"
	same_set "rows of the outer /proc/sockmap read from a new pid namespace" \
		"$W/pidns/outer.keys" "$W/pidns/outer.fds"
	return 0
}

# The inside half of check_pidns (sub-command "inside DIR", as pid 1 of a
# new pid namespace with a fresh /proc), check_userns (in a new user
# namespace) and check_landlock (in a Landlock domain): a sockzoo started
# there, then what /proc/sockmap, fds and /proc/net/{tcp,udp}{,6} show
# there, into DIR.
inside() {
	dir=$1
	exec >"$dir/log" 2>&1
	start_zoo "$dir/zoo" "$ZOO" basic || return 1
	cat "$SOCKMAP" >"$dir/rows" || return 1
	fds >"$dir/fds"
	cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 >"$dir/procnet"
	stop_zoo
}

# issue 10: a reader in a Landlock domain (any ruleset: this one handles
# only the making of UNIX socket files) may readlink the fds of no process
# outside it; /proc/sockmap read there must show exactly the socket fds
# that the domain can readlink under /proc/*/fd, as root and as uid 1000:
# the sockzoo started inside, not root's (nor uid 1000's) outside.
check_landlock() {
	if "$LANDLOCK" true 2>"$W/landlock.probe"; [ $? -eq 77 ]; then
		cat "$W/landlock.probe"
		return 77
	fi
	for who in root user; do
		dir=$W/landlock.$who
		mkdir -p "$dir"
		chmod 0777 "$dir"
		run=
		[ $who = user ] && run=as_user
		if ! $run "$LANDLOCK" sh "$ME" inside "$dir" 2>"$dir/err"; then
			echo "$who: the run inside a Landlock domain failed:"
			cat "$dir/err" "$dir/log" 2>/dev/null
			continue
		fi
		rows_keys "$dir/rows" >"$dir/rows.keys"
		awk '{ print $1, $2, $3 }' "$dir/fds" >"$dir/fds.keys"
		same_set "$who in a Landlock domain: rows" "$dir/rows.keys" "$dir/fds.keys"
		inner=$(zoo_field "$dir/zoo" pid)
		grep -q "^${inner:-none} " "$dir/rows.keys" ||
			echo "$who: the sockzoo started in the domain (${inner:-none}) is not visible in it"
		for pid in "$ROOT_ZOO" "$USER_ZOO"; do
			grep -q "^$pid " "$dir/rows.keys" &&
				echo "$who: sockzoo $pid, outside the domain, is visible in it"
			grep -q "^$pid " "$dir/fds.keys" &&
				echo "$who: /proc/$pid/fd can be read in the domain: no Landlock?"
		done
		echo "$who: $(wc -l <"$dir/rows.keys") rows in the domain" >&3
	done
	return 0
}

# issue 10: a procfs mounted with hidepid=invisible: uid 1000 reading its
# sockmap sees exactly the socket fds it can readlink in that instance
# (and root all of them there).
check_hidepid() {
	hp=/tmp/proc-hidepid
	mkdir -p "$hp"
	mount -t proc -o hidepid=invisible proc "$hp" ||
		{ echo "cannot mount a procfs with hidepid=invisible"; return 1; }
	as_user cat "$hp/sockmap" >"$W/hidepid.user.rows" ||
		echo "uid $USER_ID cannot read $hp/sockmap"
	as_user sh "$ME" fds "$hp" >"$W/hidepid.user.fds"
	cat "$hp/sockmap" >"$W/hidepid.root.rows" || echo "root cannot read $hp/sockmap"
	fds "$hp" >"$W/hidepid.root.fds"
	as_user ls "$hp" >"$W/hidepid.user.ls"
	umount "$hp"
	for who in user root; do
		rows_keys "$W/hidepid.$who.rows" >"$W/hidepid.$who.keys"
		awk '{ print $1, $2, $3 }' "$W/hidepid.$who.fds" >"$W/hidepid.$who.truth"
		same_set "$who through the hidepid=invisible procfs: rows" \
			"$W/hidepid.$who.keys" "$W/hidepid.$who.truth"
	done
	grep -q "^$USER_ZOO " "$W/hidepid.user.keys" ||
		echo "uid $USER_ID does not see its own sockzoo ($USER_ZOO) there"
	grep -q "^$ROOT_ZOO " "$W/hidepid.root.keys" ||
		echo "root does not see its sockzoo ($ROOT_ZOO) there"
	# The option took effect: uid 1000 cannot even list root's processes.
	grep -qx "$ROOT_ZOO" "$W/hidepid.user.ls" &&
		echo "hidepid=invisible did not hide $ROOT_ZOO from uid $USER_ID"
	return 0
}

# 6: with 5,000 more sockets, reads of 1 byte, 4 KiB and 1 MiB at a time
# give the same bytes.
check_read_sizes() {
	start_zoo "$W/many.out" "$ZOO" many 2500 || return 1
	many=$ZOO_PID
	for bs in 1 4096 1M; do
		dd if="$SOCKMAP" of="$W/read.$bs" bs=$bs 2>"$W/dd.err" ||
			{ echo "dd bs=$bs failed: $(cat "$W/dd.err")"; }
	done
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

# issue 11 (1, 2): thread layouts an unprivileged user may build (see
# scripts/workload/layout.c), run as uid 1000 and read by uid 1000: each
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

# Processes, not threads, sharing one fd table (scripts/workload/layout.c
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

# issue 11 (3, 4): names with every kind of byte (scripts/workload/corner.c,
# "names"): no byte but printable ASCII, space and newline in the output;
# every row has the header's number of fields; COMM is the escaped
# /proc/PID/comm and every UNIX LOCAL the escaped /proc/net/unix name (esc()
# in e2e-lib.awk), and, spelled out here, what the escaping must give.
check_names() {
	dir=$W/names
	mkdir -p "$dir"
	start_zoo "$W/names.out" "$CORNER" names "$dir" || return 1
	cat "$SOCKMAP" >"$W/names.rows"
	LC_ALL=C grep -n '[^ -~]' "$W/names.rows" | head -n 5 | cat -v |
		sed 's/^/a byte outside printable ASCII: /'
	awkl '
	FNR == NR {					# /proc/net/unix
		if (FNR > 1) {
			ino = $7
			$0 = strip(7)
			name[ino] = $0
		}
		next
	}
	FILENAME ~ /out$/ {				# the children
		if ($1 == "child")
			child[$2] = $3
		next
	}
	FNR == 1 { nf = NF; next }
	NF != nf { print "row has " NF " fields, the header " nf ": " $0 }
	$FAMILY == "UNIX" && ($INODE in name) { differ("inode " $INODE " LOCAL", $LOCAL, esc(name[$INODE])) }
	$FAMILY == "UNIX" && !($INODE in name) { print "inode " $INODE ": not in /proc/net/unix" }
	$PID in child {
		i = child[$PID]
		comm = ""
		getline comm <("/proc/" $PID "/comm")
		close("/proc/" $PID "/comm")
		differ("pid " $PID " (child " i ") COMM", $COMM, esc(comm))
		differ("pid " $PID " (child " i ") COMM", $COMM, want[i])
		if (i == "edge")
			edge[$LOCAL] = 1
		else if ($LOCAL !~ /^@/)
			differ("pid " $PID " (child " i ") path", $LOCAL, dir "/" i inname[i])
		else
			differ("pid " $PID " (child " i ") abstract name", $LOCAL, "@n" i inname[i])
		rows[i]++
	}
	END {
		for (i in want)
			if (rows[i] != 2 && i != "edge" || i == "edge" && rows[i] != 3)
				print "child " i ": " rows[i] + 0 " rows"
		for (n in ename)
			if (!(ename[n] in edge))
				print "no socket of the edge child named " ename[n]
	}
	BEGIN {
		split("\\033[7m \\034\\035\\036\\037 \\302\\240 " \
		      "\\342\\200\\250 \\055 a\\040b\\134c", w, " ")
		want[0] = "-"
		for (i = 1; i <= 6; i++)
			want[i] = inname[i] = w[i]
		inname[0] = ""		# inside a longer name, "" and "-" are
		inname[5] = "-"		# just themselves
		want["edge"] = "corner-edge"
		split("\\055 @ @-", ename, " ")
	}' dir="$dir" /proc/net/unix "$W/names.out" "$W/names.rows" | cat -v
	stop_zoo
}

# issue 11 (6): a TCP client A reset by its server is CLOSE but still
# open; a client C from the same port to the same listener must not make
# A claim C's peer. A: CLOSE, PEER "-", the same 4-tuple as C; C's PEER
# is the server end D, and D's is C (inodes from /proc/PID/fd).
check_stale_peer() {
	start_zoo "$W/stale.out" "$CORNER" stalepeer || return 1
	pid=$ZOO_PID
	cat "$SOCKMAP" >"$W/stale.rows"
	for end in a c d; do
		fd=$(zoo_field "$W/stale.out" $end)
		ino=$(readlink "/proc/$pid/fd/$fd")
		ino=${ino#socket:[}
		echo "$end ${ino%]}"
	done >"$W/stale.inodes"
	stop_zoo
	awkl '
	FNR == NR { ino[$1] = $2; end[$2] = $1; next }
	FNR > 1 && ($INODE in end) { state[end[$INODE]] = $STATE; tuple[end[$INODE]] = $LOCAL " " $REMOTE; peer[end[$INODE]] = $PEER }
	END {
		if (!("a" in state) || !("c" in state) || !("d" in state)) {
			print "rows missing for A, C or D (inodes " ino["a"] ", " ino["c"] ", " ino["d"] ")"
			exit
		}
		if (state["a"] != "CLOSE") print "A (" ino["a"] ") is " state["a"] ", not CLOSE"
		if (peer["a"] != "-") print "A (" ino["a"] ", CLOSE) has PEER " peer["a"] ", not -"
		if (tuple["a"] != tuple["c"]) print "A is " tuple["a"] ", C " tuple["c"] ": not the same 4-tuple"
		if (state["c"] != "ESTABLISHED") print "C is " state["c"]
		if (peer["c"] != ino["d"]) print "C has PEER " peer["c"] ", not D (" ino["d"] ")"
		if (peer["d"] != ino["c"]) print "D has PEER " peer["d"] ", not C (" ino["c"] ")"
	}' "$W/stale.inodes" "$W/stale.rows"
}

# issue 11 (4, 7): a packet socket bound to a veth whose name has a
# control byte: LOCAL is the escaped name and the ethertype; once the veth
# is deleted (af_packet sets the index to -1: /proc/net/packet's Iface),
# LOCAL is "-:0x88b5", not "*" (every interface).
check_packet() {
	va=$(printf 'e2ev')
	ip link add "$va" type veth peer name e2e-vb ||
		{ echo "cannot make a veth pair"; return 1; }
	if ! start_zoo "$W/packet.out" "$CORNER" packet "$va"; then
		ip link del "$va"
		return 1
	fi
	ino=$(readlink "/proc/$ZOO_PID/fd/$(zoo_field "$W/packet.out" fd)")
	ino=${ino#socket:[}
	ino=${ino%]}
	cat "$SOCKMAP" >"$W/packet.before"
	ip link del "$va" || echo "cannot delete the veth"
	wait_for 10 "the socket to lose its interface" \
		awk -v ino="$ino" '$9 == ino && $5 == -1 { f = 1 } END { exit !f }' \
		/proc/net/packet
	cat "$SOCKMAP" >"$W/packet.after"
	stop_zoo
	for when in before after; do
		awkl '
		FNR > 1 && $INODE == ino {
			n++
			differ(when ": inode " ino " LOCAL", $LOCAL,
			       (when == "before" ? esc(name) : "-") ":0x88b5")
		}
		END { if (n != 1) print when ": " n + 0 " rows for inode " ino }' \
			ino="$ino" when=$when name="$va" "$W/packet.$when" | cat -v
	done
}

# issue 11 (5): 1,000 opens of /proc/sockmap without a read, as root and
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

# 8: /proc/sockmap refuses writers, even root, with EACCES.
check_write() {
	mode=$(stat -c %a "$SOCKMAP")
	[ "$mode" = 444 ] || echo "mode is $mode, not 444"
	for who in root user; do
		run=
		[ $who = user ] && run=as_user
		for redir in '>' '>>' '1<>'; do
			err=$($run sh -c "echo x $redir $SOCKMAP" 2>&1) &&
				{ echo "$who: 'echo x $redir $SOCKMAP' succeeded"; continue; }
			case $err in
			*"Permission denied"*) ;;
			*) echo "$who: 'echo x $redir $SOCKMAP' failed with: $err" ;;
			esac
		done
	done
	head -n 1 "$SOCKMAP" | grep -q '^PID' || echo "unreadable after the writes"
}

# 7: three unload/load cycles; then an unload while a reader holds the
# file open in the middle of its output and another keeps reading.
check_reload() {
	for i in 1 2 3; do
		rmmod sockmap || { echo "cycle $i: rmmod failed"; return 1; }
		[ ! -e "$SOCKMAP" ] || echo "cycle $i: $SOCKMAP still there after rmmod"
		insmod "$KO" || { echo "cycle $i: insmod failed"; return 1; }
		head -n 1 "$SOCKMAP" | grep -q '^PID' || echo "cycle $i: no header"
		cat "$SOCKMAP" >/dev/null || echo "cycle $i: cat failed"
	done
}

check_rmmod_mid_read() {
	exec 4<"$SOCKMAP"
	got=$(dd bs=1 count=100 <&4 2>/dev/null | wc -c)
	[ "$got" -eq 100 ] || echo "first read got $got bytes, not 100"
	(while cat "$SOCKMAP" >/dev/null 2>&1; do :; done) &
	loop=$!
	sleep 0.2
	rmmod sockmap || { echo "rmmod failed with a reader holding the file"; kill "$loop"; }
	[ ! -e "$SOCKMAP" ] || echo "$SOCKMAP still there after rmmod"
	if dd bs=1 count=100 <&4 >"$W/after" 2>"$W/after.err"; then
		echo "a read after rmmod succeeded with $(wc -c <"$W/after") bytes"
	fi
	echo "read after rmmod: $(tail -n 1 "$W/after.err")" >&3
	exec 4<&-
	wait "$loop"
	insmod "$KO" || echo "insmod after all that failed"
	[ -e "$SOCKMAP" ] || echo "no $SOCKMAP after insmod"
}

# 7: the kernel said nothing bad during the whole run.
check_dmesg() {
	dmesg | grep -E "$BAD_DMESG" | head -n 20
}

# Checks must be able to fail: break one field of one row of the snapshot
# at a time and make sure the check that owns it notices.
check_can_fail() {
	cp "$W/rows" "$W/rows.orig"
	while IFS='|' read -r where col value func; do
		# COL names the column to break: its number is the header's.
		awkl "
			NR == 1 {
				for (i = 1; i <= NF; i++)
					if (\$i == col)
						c = i
			}
			NR > 1 && !done && ($where) {
				done = 1
				if (value == \"DELETE\")
					next
				if (\$c == value)
					exit 3
				\$c = value
			}
			{ print }
			END { exit !done }" col="$col" value="$value" netns="$ZOO_NETNS" \
			"$W/rows.orig" >"$W/rows"
		case $? in
		1) echo "no row matches ($where)" ;;
		3) echo "field $col is $value already where ($where)" ;;
		*) [ -n "$($func 2>&1 3>/dev/null)" ] ||
			echo "$func did not notice field $col := $value where ($where)" ;;
		esac
	done <<-EOF
	\$PROTO == "TCP"|DELETE|DELETE|check_fd_set
	\$COMM ~ /worker/|COMM|zoo_worker|check_fd_set
	\$COMM ~ /worker/|UID|1000|check_fd_set
	\$PROTO == "TCP" && \$STATE == "ESTABLISHED" && \$RXQ > 0|RXQ|1|check_inet_tcp
	\$PROTO == "TCP" && \$TXQ > 0|TXQ|1|check_inet_tcp
	\$PROTO == "TCP" && \$STATE == "ESTABLISHED"|PEER|1|check_inet_tcp
	\$PROTO == "TCP" && \$STATE == "ESTABLISHED"|SSTHRESH|7|check_inet_tcp
	\$PROTO == "TCP" && \$STATE == "ESTABLISHED"|CWND|11|check_inet_tcp
	\$PROTO == "TCP" && \$STATE == "LISTEN"|TXQ|99|check_inet_tcp
	\$PROTO == "TCP" && \$FAMILY == "INET6" && \$STATE == "ESTABLISHED"|LOCAL|[::1]:1|check_inet_tcp
	\$PROTO == "TCP" && \$LOCAL ~ /ffff/|REMOTE|127.0.0.1:1|check_inet_tcp
	\$PROTO == "UDP" && \$STATE == "CLOSE"|STATE|ESTABLISHED|check_inet_udp
	\$PROTO == "UDP" && \$RXQ > 0|RXQ|0|check_inet_udp
	\$PROTO == "UDP" && \$FAMILY == "INET6"|REMOTE|[::2]:0|check_inet_udp
	\$PROTO == "TCP" && \$SRTT_US > 0|SRTT_US|999999|check_tcp_ss
	\$PROTO == "TCP" && \$STATE == "ESTABLISHED"|RETRANS|3|check_tcp_ss
	\$FAMILY == "UNIX" && \$PEER != "-"|PEER|1|check_unix
	\$FAMILY == "UNIX" && \$LOCAL ~ /040/|LOCAL|/tmp/zoo_sock|check_unix
	\$FAMILY == "UNIX" && \$REMOTE ~ /040/|REMOTE|-|check_unix
	\$FAMILY == "UNIX" && \$STATE == "LISTEN"|TXQ|9|check_unix
	\$FAMILY == "UNIX" && \$STATE == "UNCONNECTED"|STATE|CONNECTED|check_unix
	\$FAMILY == "NETLINK"|LOCAL|1|check_other
	\$FAMILY == "PACKET"|LOCAL|eth0:0x88b5|check_other
	\$FAMILY == "PACKET" && \$LOCAL ~ /^[*]:/|LOCAL|-:0x88b5|check_other
	\$TYPE == "RAW" && \$FAMILY == "INET"|PROTO|UDP|check_other
	\$PID == netns|NETNS|1|check_netns
	EOF
	cp "$W/rows.orig" "$W/rows"
}

# ---------------------------------------------------------------------------
# 13: CGROUP.

CG=/sys/fs/cgroup
CGTOOL=/workload/cgtool
# A cgroup whose name needs escaping twice over, and its parent (the
# kernel refuses a newline in a cgroup's name: a tab, then).
CG_A="$CG/svc a"
CG_B="$CG_A/$(printf 'in\tner')"
CG_B_ESC='/svc\040a/in\011ner'

# cgroup_truth ROWS - "TID ESCAPED" for every TID of ROWS whose
# /proc/TID/cgroup can still be read: its "0::" path, read whole (a
# cgroup name may hold a newline), escaped by e2e-lib.awk's esc().
cgroup_truth() {
	awkl 'NR > 1 { print $PID }' "$1" | sort -u | while read -r tid; do
		[ -r "/proc/$tid/cgroup" ] || continue
		awkl 'BEGIN { RS = "\001" }
		      sub(/^0::/, "") { sub(/\n$/, ""); print tid, esc($0) }' \
			tid="$tid" "/proc/$tid/cgroup"
	done
}

# cgroup_differ ROWS TRUTH - one line per row whose CGROUP is not its
# task's; silence if all agree. Rows of tasks gone since are not judged.
cgroup_differ() {
	awkl 'FNR == NR { t[$1] = $2; next }
	     FNR > 1 && ($PID in t) && $CGROUP != t[$PID] {
		print "tid " $PID " fd " $FD ": CGROUP " $CGROUP ", /proc/" $PID "/cgroup says " t[$PID]
	     }' "$2" "$1"
}

# zoo_cgroup ROWS PID - the CGROUP of PID's rows (one value, or several
# lines if they disagree).
zoo_cgroup() {
	awkl 'NR > 1 && $PID == p { print $CGROUP }' p="$2" "$1" | sort -u
}

# 13: every row's CGROUP against /proc/TID/cgroup, read by the same
# reader: in the initial cgroup namespace; in a new one made inside a
# child cgroup (paths relative to it, "/.." above it); and for a task that
# moves while the file is open, on the next read of that same file.
check_cgroup() {
	mkdir -p "$CG"
	grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none "$CG" ||
		{ echo "cannot mount cgroup2 on $CG"; return 1; }
	mkdir -p "$CG_B" "$CG/other" "$CG/reader" ||
		{ echo "cannot make the test cgroups"; return 1; }
	start_zoo "$W/cg.out" "$ZOO" basic || return 1
	zoo=$ZOO_PID
	echo "$zoo" >"$CG_B/cgroup.procs" || echo "cannot move $zoo to $CG_B"

	# The initial namespace, as root.
	cat "$SOCKMAP" >"$W/cg.rows"
	cgroup_truth "$W/cg.rows" >"$W/cg.truth"
	cgroup_differ "$W/cg.rows" "$W/cg.truth"
	[ "$(zoo_cgroup "$W/cg.rows" "$zoo")" = "$CG_B_ESC" ] ||
		echo "zoo $zoo: CGROUP '$(zoo_cgroup "$W/cg.rows" "$zoo")', expected '$CG_B_ESC'"

	# A reader in a new cgroup namespace rooted at $CG/reader.
	mkdir -p "$W/cgns"
	# shellcheck disable=SC2016 # $$ is the inner shell's
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" nscgroup sh "$3" cgroupns "$4"' \
		sh "$CG/reader" "$CGTOOL" "$ME" "$W/cgns" ||
		echo "the cgroup namespace reader failed"
	cgroup_differ "$W/cgns/rows" "$W/cgns/truth"
	[ "$(zoo_cgroup "$W/cgns/rows" "$zoo")" = "/..$CG_B_ESC" ] ||
		echo "zoo $zoo from the new namespace: CGROUP '$(zoo_cgroup "$W/cgns/rows" "$zoo")', expected '/..$CG_B_ESC'"

	# A move while the file is open: the next read of that file says so.
	rm -f "$W/cg.fifo" && mkfifo "$W/cg.fifo"
	"$CGTOOL" reread "$SOCKMAP" <"$W/cg.fifo" >"$W/cg.reread" &
	rr=$!
	exec 6>"$W/cg.fifo"
	wait_for 30 "the first read" grep -q '^@@reread@@$' "$W/cg.reread"
	echo "$zoo" >"$CG/other/cgroup.procs" || echo "cannot move $zoo to $CG/other"
	echo go >&6
	exec 6>&-
	wait "$rr" || echo "cgtool reread failed"
	sed '/^@@reread@@$/,$d' "$W/cg.reread" >"$W/cg.first"
	sed '1,/^@@reread@@$/d' "$W/cg.reread" >"$W/cg.second"
	[ "$(zoo_cgroup "$W/cg.first" "$zoo")" = "$CG_B_ESC" ] ||
		echo "first read of the open file: zoo in '$(zoo_cgroup "$W/cg.first" "$zoo")'"
	[ "$(zoo_cgroup "$W/cg.second" "$zoo")" = /other ] ||
		echo "after the move, the same file says '$(zoo_cgroup "$W/cg.second" "$zoo")', not /other"

	kill "$zoo"
	wait "$zoo" 2>/dev/null
	return 0
}

# The inside half of check_cgroup (sub-command "cgroupns DIR"), in a new
# cgroup namespace: the rows and the truth as this reader sees both.
cgroupns_inside() {
	cat "$SOCKMAP" >"$1/rows" && cgroup_truth "$1/rows" >"$1/truth"
}

check_inet_tcp() { check_inet TCP; }
check_inet_udp() { check_inet UDP; }

# ---------------------------------------------------------------------------

PASSED=0
SKIPPED=0
FAILED=0
TIMES=
CHECKS="fd-set tcp-vs-procnet udp-vs-procnet tcp-vs-ss unix-vs-procnet-ss
other-vs-procnet netns-inode checks-can-fail kptr-restrict uid-visibility userns-uid opener-creds pidns-visibility
landlock-visibility hidepid-visibility read-sizes thread-layout shared-procs small-reads names-escaped stale-peer packet-vanished
open-memory read-memory tid-reuse write-eacces reload-cycles rmmod-mid-read cgroup dmesg-clean"

# check NAME FUNCTION... - run one check and report it. Notes the function
# writes to fd 3 are printed as "  note: ..." whatever the verdict. A
# function that returns 77 says the check does not apply to this kernel
# (its first line of output says why): SKIP, counted neither way.
check() {
	name=$1
	shift
	start=$(date +%s)
	"$@" >"$W/$name.why" 2>&1 3>"$W/$name.note"
	rc=$?
	TIMES="$TIMES $name=$(($(date +%s) - start))s"
	if [ "$rc" -eq 0 ] && [ ! -s "$W/$name.why" ]; then
		echo "PASS $name"
		PASSED=$((PASSED + 1))
	elif [ "$rc" -eq 77 ]; then
		# The kernel lacks what the check is about (Landlock on 5.10):
		# neither passed nor failed, and said so.
		echo "SKIP $name: $(head -n 1 "$W/$name.why")"
		SKIPPED=$((SKIPPED + 1))
	else
		[ -s "$W/$name.why" ] || echo "exit status $rc" >"$W/$name.why"
		echo "FAIL $name: $(head -n 1 "$W/$name.why")"
		sed -n '2,30s/^/    /p' "$W/$name.why"
		FAILED=$((FAILED + 1))
	fi
	sed 's/^/    note: /' "$W/$name.note"
}

cleanup() {
	for pid in ${ROOT_ZOO:-} ${USER_ZOO:-}; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
}

# setup - the workloads every check looks at: the full zoo as root and a
# small one as uid 1000, then a quiet snapshot.
setup() {
	start_zoo "$W/zoo.out" "$ZOO" zoo || return 1
	ROOT_ZOO=$(zoo_field "$W/zoo.out" pid)
	ZOO_WORKER=$(zoo_field "$W/zoo.out" worker)
	ZOO_NETNS=$(zoo_field "$W/zoo.out" netns)
	ZOO_THREAD=$(zoo_field "$W/zoo.out" thread)
	ZOO_SHARER=$(zoo_field "$W/zoo.out" sharer)
	start_zoo "$W/user.out" as_user "$ZOO" basic || return 1
	USER_ZOO=$(zoo_field "$W/user.out" pid)
	USER_NODUMP=$(zoo_field "$W/user.out" nodump)
	snapshot
}

main() {
	mkdir -p "$W"
	# The demo's checks first, as `scripts/demo --check` runs them (its
	# payload is /demo.sh here; it stops what it started when it exits).
	# The host reads them from the "check" section.
	if [ -f /demo.sh ]; then
		demo_mode=check sh /demo.sh >"$W/demo.log" 2>&1 ||
			echo "the demo's checks failed"
		sed -n '/^@@check-begin@@$/,/^@@check-end@@$/p' "$W/demo.log"
	fi
	echo "@@e2e-begin@@"
	# shellcheck disable=SC2086 # one line, names separated by blanks
	echo "E2E-PLAN:" $CHECKS
	trap cleanup EXIT
	if ! setup >"$W/setup.log" 2>&1; then
		echo "E2E setup failed:"
		sed 's/^/    /' "$W/setup.log"
		for name in $CHECKS; do
			echo "FAIL $name: setup failed"
		done
		echo "@@e2e-end@@"
		return 1
	fi
	check fd-set check_fd_set
	check tcp-vs-procnet check_inet TCP
	check udp-vs-procnet check_inet UDP
	check tcp-vs-ss check_tcp_ss
	check unix-vs-procnet-ss check_unix
	check other-vs-procnet check_other
	check netns-inode check_netns
	check checks-can-fail check_can_fail
	check kptr-restrict check_kptr
	check uid-visibility check_uid
	check userns-uid check_userns
	check opener-creds check_opener
	check pidns-visibility check_pidns
	check landlock-visibility check_landlock
	check hidepid-visibility check_hidepid
	check read-sizes check_read_sizes
	check thread-layout check_layout
	check shared-procs check_shared_procs
	check small-reads check_small_reads
	check names-escaped check_names
	check stale-peer check_stale_peer
	check packet-vanished check_packet
	check open-memory check_open_memory
	check read-memory check_read_memory
	check tid-reuse check_tid_reuse
	check write-eacces check_write
	check reload-cycles check_reload
	check rmmod-mid-read check_rmmod_mid_read
	check cgroup check_cgroup
	check dmesg-clean check_dmesg
	echo "E2E guest: $PASSED passed, $FAILED failed, $SKIPPED skipped"
	echo "E2E guest times:$TIMES"
	echo "@@e2e-end@@"
	# e2e_dump=1 on the kernel command line: show what the checks read.
	if [ "${e2e_dump:-0}" = 1 ]; then
		echo "@@e2e-dump-begin@@"
		for f in zoo.out user.out rows procnet ss; do
			echo "== $f"
			cat "$W/$f"
		done
		echo "@@e2e-dump-end@@"
	fi
	[ "$FAILED" -eq 0 ]
}

# The columns, as awk options (see columns): read once, from the header.
COLS=$(columns "$SOCKMAP")

case ${1:-} in
fds) fds "${2:-/proc}" ;;
inside) inside "$2" ;;
cgroupns) cgroupns_inside "$2" ;;
"") main ;;
*) echo "usage: $0 [fds [PROC]|inside DIR|cgroupns DIR]" >&2; exit 2 ;;
esac
