# SPDX-License-Identifier: GPL-2.0
# The library of the end-to-end checks (e2e.sh sources it, then one file
# per topic): where things are, how to run a workload and wait for it,
# the views of the kernel that sockmap does not produce and that the
# checks compare it with (/proc/PID/fd, /proc/net/*, ss), and how to read
# /proc/sockmap's columns by name (columns, awkl).
#
# shellcheck shell=sh disable=SC2016 # awk programs and su -c are single-quoted
# shellcheck disable=SC2034 # sets variables for the files that source it

SOCKMAP=/proc/sockmap
KO=${e2e_ko:-/sockmap.ko}
ZOO=${e2e_zoo:-/workload/sockzoo}
LANDLOCK=/workload/landlock
LAYOUT=/workload/layout
CORNER=/workload/corner
LIB=${e2e_lib:-$E2E/lib.awk}
W=${e2e_work:-/tmp/e2e}
ME=$(realpath "$0")
AWK_LIB=$(cat "$LIB") || exit 1
USER_ID=1000
HEADER="PID COMM FD INODE SOCK NETNS FAMILY TYPE PROTO STATE LOCAL REMOTE RXQ TXQ CWND SSTHRESH SRTT_US RETRANS UID PEER CGROUP TX_BYTES RX_BYTES"
# What sockzoo's counted pair moves (ZOO_TRANSFER in sockzoo.c).
ZOO_TRANSFER=100000
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

# awkl PROGRAM [ARG...] - awk with lib.awk's functions and the
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

# fds [PROC] - every socket fd the caller may see through the procfs
# mounted at PROC (default /proc), "TID FD INODE UID": each fd table once,
# under the thread of lowest TID in its process that holds it. Tables are
# told apart by what they hold: a thread's table is its own when its
# sockets differ from its leader's (it did unshare(CLONE_FILES)), and
# threads whose sockets are the same share one. A thread with a private
# copy that still equals another's table would be missed: the workloads'
# threads open a socket after unsharing, so their tables differ. When the
# leader has exited (pthread_exit) it has no table, and the one its
# threads share is expected once (sockzoo's orphan). The links' targets
# (socket:[INODE]) and the socket inodes' owners come from two stat runs
# over every task's fds: a few processes in all, where one a task made
# hundreds and took a second in a TCG guest.
fds() {
	proc=${1:-/proc}
	{
		for tdir in "$proc"/[0-9]*/task/[0-9]*; do
			echo "T $tdir"
		done
		printf '%s\n' "$proc"/[0-9]*/task/[0-9]*/fd/* |
			xargs stat -c 'L %N' 2>/dev/null
		printf '%s\n' "$proc"/[0-9]*/task/[0-9]*/fd/* |
			xargs stat -L -c 'S %n %u' 2>/dev/null
	} | awk '
	# The key of .../PID/task/TID/fd/FD: "PID TID FD".
	function fd_key(path,    p, n) {
		gsub(/\047/, "", path)
		n = split(path, p, "/")
		return p[n - 4] " " p[n - 2] " " p[n]
	}
	# "PID TID -1" marks a task, so that one with no socket has a table.
	$1 == "T" { n = split($2, p, "/"); print p[n - 2], p[n], -1; next }
	$1 == "L" && $4 ~ /^.socket:\[[0-9]+\].$/ {
		ino = $4
		gsub(/[^0-9]/, "", ino)
		sock[fd_key($2)] = ino
		next
	}
	$1 == "S" { uid[fd_key($2)] = $3 }
	END { for (k in sock) print k, sock[k], uid[k] }' |
	sort -n -k1,1 -k2,2 -k3,3 | awk '
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
	$3 == -1 {
		if ($1 != pid)
			flush()
		pid = $1; tid = $2; table[tid] = ""
		next
	}
	{ table[$2] = table[$2] $3 " " $4 " " $5 "\n" }
	END { flush() }'
	return 0
}

# task_netns - "PID NETNS" of every task, in /proc's order, from one stat
# of all their ns/net links.
task_netns() {
	printf '%s\n' /proc/[0-9]*/ns/net | xargs stat -c %N 2>/dev/null |
		sed -n "s|^'/proc/\([0-9]*\)/ns/net' -> 'net:\[\([0-9]*\)\]'\$|\1 \2|p"
}

# netns_pids - "NETNS PID": one process in each network namespace in use.
netns_pids() {
	task_netns | awk '!seen[$2]++ { print $2, $1 }'
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

# rows_keys FILE - "PID FD INODE" of every fd row (the header and the rows
# of sockets no fd holds, PID "-", dropped: netwalk.sh checks those).
rows_keys() {
	awkl 'NR > 1 && $PID != "-" { print $PID, $FD, $INODE }' "$1"
}

# break_row ORIG OUT WHERE COL VALUE [AWK-ARG...] - ORIG's rows with the
# first row (after the header) for which the awk condition WHERE holds
# broken, into OUT: its column COL set to VALUE, or, VALUE being DELETE,
# DUP or LAST, the row deleted, doubled, or moved to the end. AWK-ARG are
# more NAME=VALUE for WHERE. Returns 1 when no row matches, 3 when COL is
# VALUE already: a check that is to notice the break has nothing to notice.
break_row() {
	orig=$1 out=$2 where=$3 col=$4 value=$5
	shift 5
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
			if (value == \"LAST\") {
				last = \$0
				next
			}
			if (value == \"DUP\")
				print
			else if (\$c == value)
				exit 3
			else
				\$c = value
		}
		{ print }
		END {
			if (last != \"\")
				print last
			exit !done
		}" col="$col" value="$value" "$@" "$orig" >"$out"
}
