# SPDX-License-Identifier: GPL-2.0
# Holderless rows: the sockets that /proc/net/{tcp,udp,udplite,raw}{,6}
# lists but no fd holds (TIME_WAIT and FIN_WAIT2 timewait sockets, request
# sockets, children in accept queues, orphans, kernel sockets), shown after
# the fd rows with PID, COMM and FD "-", for the network namespaces the
# reader could look into through /proc/T/net. The truth is root's
# /proc/*/fd (which sockets an fd holds) and each reader's own view of
# /proc/T/net/* (same uid, same procfs instance, same sandbox).
#
# The workload is tests/workload/holderless.c, run in the initial network
# namespace and in a second one (unshare -n), each with a VXLAN device
# whose UDP sockets the kernel holds, where the guest has the module.
#
# shellcheck shell=sh disable=SC2016 # awk programs and su -c are single-quoted

HOLDERLESS=/workload/holderless
# The inet tables holderless rows come from.
NW_TABLES="tcp tcp6 udp udp6 udplite udplite6 raw raw6"
# The VXLAN devices' UDP port.
NW_VXLAN_PORT=4790
# iproute2's ip, which the guest has (tests/vm/vm.sh): busybox's ip, which
# its sh runs for "ip" whatever PATH says, knows no "dstport" or "external".
NW_IP=/usr/sbin/ip
# The cgroup the workloads run in, so that CGROUP says something.
NW_CG=/sys/fs/cgroup/holderless
NW_PINNED=$W/nw.pinned
# The procfs a reader of nw_reader reads through (empty: /proc).
NW_PROC=

# nw_tables DIR LABEL - the lines of DIR/net/TABLE for each of NW_TABLES,
# as "LABEL TABLE LINE"; a table the kernel lacks (udplite on new
# kernels) or that cannot be read gives nothing.
nw_tables() {
	awk -v dir="$1" -v label="$2" -v tables="$NW_TABLES" 'BEGIN {
		n = split(tables, t, " ")
		for (i = 1; i <= n; i++) {
			f = dir "/net/" t[i]
			first = 1
			while ((getline line <f) > 0) {
				if (!first)
					print label, t[i], line
				first = 0
			}
			close(f)
		}
	}'
}

# nw_procnet - the inet tables of every network namespace a task is in,
# "NETNS TABLE LINE", and one "NETNS @netns" line for each namespace.
nw_procnet() {
	netns_pids | while read -r ns pid; do
		echo "$ns @netns"
		nw_tables "/proc/$pid" "$ns"
	done
}

# nw_keys FILE - of "LABEL TABLE LINE" lines: what changes when a socket
# comes, goes or changes state (table, addresses, state, inode, pointer),
# not the timers. Equal twice: the tables stood still in between.
nw_keys() {
	awk '$1 !~ /^@/ && $2 != "@netns" { print $2, $4, $5, $6, $12, $14 }' "$1" | sort -u
}

# nw_ns PID - NETNS (the number) of task PID.
nw_ns() {
	ns=$(readlink "/proc/$1/ns/net") || return 1
	ns=${ns#net:[}
	echo "${ns%]}"
}

# nw_cgroup - make NW_CG (mounting cgroup2 if need be); fails if it cannot.
nw_cgroup() {
	cg=${NW_CG%/*}
	mkdir -p "$cg"
	grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none "$cg" ||
		return 1
	mkdir -p "$NW_CG"
}

# nw_vxlan [NSENTER-ARGS] - a VXLAN device in the netns nsenter enters
# (none: this one), up: its UDP sockets (v4 and v6: "external" collects
# metadata, for both) are the kernel's, with no file. Fails, saying why in
# $W/nw.vxlan.err, where the guest has no vxlan module.
nw_vxlan() {
	run=
	[ $# -gt 0 ] && run="nsenter $*"
	$run "$NW_IP" link add e2e-vx type vxlan dstport $NW_VXLAN_PORT external \
		2>"$W/nw.vxlan.err" && $run "$NW_IP" link set e2e-vx up 2>>"$W/nw.vxlan.err"
}

# nw_start - the workload in this netns and in a new one, in NW_CG, each
# with a VXLAN device where the guest can make one; sets NW_INIT and NW_NS
# (their pids), NW_NETNS (the new netns), NW_VX (yes when the VXLAN
# devices are up). Kept running until nw_stop.
nw_start() {
	[ -n "${NW_INIT:-}" ] && return 0
	nw_cgroup || echo "cannot make the cgroup $NW_CG: the workloads run in /" >&3
	# shellcheck disable=SC2016 # $$ is the inner shell's
	start_zoo "$W/nw.init.out" sh -c '[ ! -d "$0" ] || echo $$ >"$0/cgroup.procs"; exec "$@"' \
		"$NW_CG" "$HOLDERLESS" || return 1
	NW_INIT=$(zoo_field "$W/nw.init.out" pid)
	# shellcheck disable=SC2016 # $$ is the inner shell's
	start_zoo "$W/nw.ns.out" sh -c '[ ! -d "$0" ] || echo $$ >"$0/cgroup.procs"; exec unshare -n "$@"' \
		"$NW_CG" "$HOLDERLESS" || return 1
	NW_NS=$(zoo_field "$W/nw.ns.out" pid)
	NW_NETNS=$(nw_ns "$NW_NS")
	NW_INIT_NETNS=$(nw_ns $$)
	NW_VX=no
	if nw_vxlan && nw_vxlan -t "$NW_NS" -n; then
		NW_VX=yes
	else
		echo "no VXLAN device ($(cat "$W/nw.vxlan.err")): no kernel UDP sockets; KUnit covers them" >&3
	fi
	[ "$NW_NETNS" != "$(nw_ns $$)" ] || echo "the second netns is the first one"
}

nw_stop() {
	for pid in ${NW_INIT:-} ${NW_NS:-}; do
		kill "$pid" 2>/dev/null
	done
	"$NW_IP" link del e2e-vx 2>/dev/null
	NW_INIT='' NW_NS=''
	rm -f "$W/nw.rows"
	return 0
}

# nw_snapshot - with the workloads quiet, /proc/sockmap ($W/nw.rows), the
# fds ($W/nw.fds), the inet tables ($W/nw.procnet, and decoded:
# nw_decode) and ss ($W/nw.ss), taken between two reads of the tables that
# agree.
nw_snapshot() {
	[ -s "$W/nw.rows" ] && return 0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		nw_procnet >"$W/nw.procnet.a"
		cat "$SOCKMAP" >"$W/nw.rows.new" || return 1
		fds >"$W/nw.fds"
		ss_all >"$W/nw.ss"
		nw_procnet >"$W/nw.procnet"
		nw_keys "$W/nw.procnet.a" >"$W/nw.keys.a"
		nw_keys "$W/nw.procnet" >"$W/nw.keys.b"
		if cmp -s "$W/nw.keys.a" "$W/nw.keys.b"; then
			nw_decode "$W/nw.procnet" >"$W/nw.procnet.dec"
			mv "$W/nw.rows.new" "$W/nw.rows"
			return 0
		fi
		sleep 1
	done
	echo "the inet tables never stood still (10 tries)"
	return 1
}

# nw_decode FILE - nw_procnet's lines, "NETNS TABLE LINE", as "NETNS TABLE
# FAMILY PROTO STATE LOCAL REMOTE TXQ RXQ LINE": decoded once per snapshot,
# not at each of the two dozen runs of the checks that holderless-can-fail
# makes (busybox awk in a TCG guest decodes about a hundred lines in a
# third of a second). The "NETNS @netns" lines stay as they are.
nw_decode() {
	awkl '
	$2 == "@netns" { print; next }
	{
		ns = $1; t = $2
		$0 = strip(2)
		split($5, q, ":")
		print ns, t, table_family(t), table_proto(t, $2), tcp_state($4),
		      addr($2), addr($3), hex(q[1]), hex(q[2]), $0
	}' "$1"
}

# nw_workload_rows ROWS NETNS=WHAT... - check that the holderless rows of
# ROWS in each NETNS include the workload's (each kind, by its ports), and
# the VXLAN device's UDP sockets when NW_VX is yes.
nw_workload_rows() {
	rows=$1
	shift
	awkl '
	BEGIN {
		for (i = 1; i < ARGC; i++)
			if (ARGV[i] ~ /^[0-9]+=/) {
				eq = index(ARGV[i], "=")
				what[substr(ARGV[i], 1, eq - 1)] = substr(ARGV[i], eq + 1)
				ARGV[i] = ""
			}
	}
	FNR == 1 || $PID != "-" || !($NETNS in what) { next }
	{ k = "" }
	$STATE == "TIME_WAIT" && $FAMILY == "INET" && $REMOTE ~ /:28101$/ { k = "TIME_WAIT, client side, IPv4" }
	$STATE == "TIME_WAIT" && $FAMILY == "INET" && $LOCAL ~ /:28101$/ { k = "TIME_WAIT, server side" }
	$STATE == "TIME_WAIT" && $FAMILY == "INET6" && $REMOTE ~ /:28101$/ { k = "TIME_WAIT, IPv6" }
	$STATE == "FIN_WAIT2" && $REMOTE ~ /:28102$/ { k = "FIN_WAIT2 timewait" }
	$STATE == "ESTABLISHED" && $FAMILY == "INET" && $LOCAL ~ /:28103$/ { k = "accept queue, IPv4" }
	$STATE == "ESTABLISHED" && $FAMILY == "INET6" && $LOCAL ~ /:28103$/ { k = "accept queue, IPv6" }
	$STATE == "SYN_RECV" && $LOCAL ~ /:28104$/ { k = "SYN_RECV" }
	$STATE == "FIN_WAIT1" && $REMOTE ~ /:28105$/ { k = "FIN_WAIT1 orphan" }
	$PROTO == "UDP" && $LOCAL ~ /:'"$NW_VXLAN_PORT"'$/ && $INODE != 0 { k = "kernel UDP (VXLAN)" }
	k != "" { n[$NETNS, k]++ }
	END {
		split("TIME_WAIT, client side, IPv4=3|TIME_WAIT, server side=1|" \
		      "TIME_WAIT, IPv6=1|FIN_WAIT2 timewait=1|accept queue, IPv4=2|" \
		      "accept queue, IPv6=1|SYN_RECV=2|FIN_WAIT1 orphan=1" \
		      (vx == "yes" ? "|kernel UDP (VXLAN)=1" : ""), want, "|")
		for (ns in what)
			for (i in want) {
				split(want[i], kv, "=")
				if (n[ns, kv[1]] < kv[2])
					printf "%s: %d holderless %s rows, want %d or more\n", what[ns], n[ns, kv[1]], kv[1], kv[2]
			}
	}' vx="$NW_VX" "$@" "$rows"
}

# The inet sockets of every netns a task is in are sockmap's rows of
# those netns: each inode of /proc/net has a row; one with PID "-"
# exactly when no fd holds it (root's /proc/*/fd), then exactly one; the
# sockets /proc/net shows with inode 0 are, as a multiset of (FAMILY,
# PROTO, STATE, LOCAL, REMOTE), the "-" rows with INODE 0. Holderless rows
# come after every fd row, in table order (TCP, UDP, UDP-Lite, raw, raw6)
# within each netns, each SOCK once; the workload's, of every kind, are
# there in both its netns.
check_holderless_set() {
	nw_start || return 1
	nw_snapshot || return 1
	awkl '
	FILENAME ~ /fds$/ { held[$3] = 1; next }
	FILENAME ~ /procnet.dec$/ {
		ns = $1; t = $2
		if (t == "@netns") {
			known[ns] = 1
			next
		}
		tuple = $3 " " $4 " " $5 " " $6 " " $7
		$0 = strip(9)
		if ($10 != 0)
			inet[ns " " $10] = t " " tuple
		else
			want0[ns " " tuple]++
		next
	}
	FNR == 1 { next }
	{
		any[$NETNS " " $INODE] = 1
		if ($PID == "-")
			dashes++
		else if (dashes && !late++)
			print "an fd row after " dashes " holderless rows: " $0
	}
	$FAMILY !~ /^INET6?$/ || $PROTO !~ /^(TCP|UDP|UDPLITE)$/ && $TYPE != "RAW" { next }
	$PID != "-" {
		if ($NETNS in known && !(($NETNS " " $INODE) in inet))
			print "fd row not in its netns'"'"'s /proc/net: " $0
		next
	}
	{
		ns = $NETNS; key = ns " " $INODE
		what = "holderless " $FAMILY " " $PROTO " " $STATE " " $LOCAL " " $REMOTE " inode " $INODE " netns " ns
		if (!(ns in known))
			print what ": a netns where no task is"
		r = $PROTO == "TCP" ? 1 : $PROTO == "UDP" ? 2 : $PROTO == "UDPLITE" ? 3 : $FAMILY == "INET" ? 4 : 5
		if (r < rank[ns])
			print what ": after a row of a later table (order TCP, UDP, UDP-Lite, raw, raw6)"
		rank[ns] = r
		if ($SOCK ~ /[1-9a-f]/ && sock[$SOCK]++)
			print what ": SOCK " $SOCK " shown twice"
		if ($INODE == 0) {
			got0[ns " " $FAMILY " " $PROTO " " $STATE " " $LOCAL " " $REMOTE]++
			next
		}
		dash[key]++
		if ($INODE in held)
			print what ": an fd holds it (root'"'"'s /proc/*/fd), yet PID is -"
		else if (!(key in inet))
			print what ": not in its netns'"'"'s /proc/net"
	}
	END {
		for (key in inet) {
			split(key, k, " ")
			if (!(key in any))
				print "no row for " inet[key] " inode " k[2] " of netns " k[1]
			else if (!(k[2] in held) && dash[key] != 1)
				print inet[key] " inode " k[2] " of netns " k[1] ", held by no fd: " dash[key] + 0 " rows with PID -, not 1"
		}
		for (key in want0)
			if (got0[key] != want0[key])
				print "netns " key " inode 0: /proc/net " want0[key] ", holderless rows " got0[key] + 0
		for (key in got0)
			if (!(key in want0))
				print "netns " key " inode 0: /proc/net 0, holderless rows " got0[key]
		if (!dashes)
			print "no holderless rows at all"
	}' "$W/nw.fds" "$W/nw.procnet.dec" "$W/nw.rows" | sort | head -n 40
	nw_workload_rows "$W/nw.rows" "$NW_INIT_NETNS=the initial netns" \
		"$NW_NETNS=the second netns"
	# Not while holderless-can-fail runs this check two dozen times.
	[ -n "${NW_QUIET:-}" ] ||
		echo "$(awkl '$PID == "-"' "$W/nw.rows" | wc -l) holderless rows of $(($(wc -l <"$W/nw.rows") - 1))" >&3
}

# Each holderless row's columns against its /proc/net line (by netns and
# inode, or by netns and what the line says where the inode is 0): PID,
# COMM, FD "-"; FAMILY TYPE PROTO STATE LOCAL REMOTE UID INODE and SOCK as
# /proc/net; TIME_WAIT and request sockets (whose lines stop after the
# pointer) RXQ TXQ 0 and "-" from CWND on; full TCP sockets CWND SSTHRESH
# and the queues as /proc/net, SRTT_US RETRANS TX_BYTES RX_BYTES as ss -ti,
# PEER the other end's inode, CGROUP their own (the workload's for its
# sockets); UDP and raw sockets the queues, "-" for the TCP columns.
check_holderless_columns() {
	nw_start || return 1
	nw_snapshot || return 1
	cg=/
	[ -d "$NW_CG" ] && cg=${NW_CG#/sys/fs/cgroup}
	awkl '
	FILENAME ~ /ss$/ {
		# "NETNS tcp STATE RECV-Q SEND-Q LOCAL PEER ...", then its
		# tcp_info line.
		if ($2 == "tcp") {
			k = $1 " " $6 " " $7
			ss_socket(k)
		} else if ($2 == "tcp-info") {
			ss_info(k)
		}
		next
	}
	FNR == NR {
		# nw_decode: NETNS TABLE FAMILY PROTO STATE LOCAL REMOTE TXQ
		# RXQ, then the line.
		ns = $1; t = $2
		if (t == "@netns")
			next
		dec = $3 " " $4 " " $5 " " $6 " " $7 " " $8 " " $9
		laddr = $6; raddr = $7
		tuple = $4 " " $5 " " $6 " " $7
		key = ns " " ($3 " " tuple)
		$0 = strip(9)
		if ($10 != 0)
			key = ns " " $10
		if (key in line)
			dup[key] = 1
		line[key] = t " " dec " " $0
		if (t ~ /^tcp/)
			peer[ns " " plain4(laddr) " " plain4(raddr)] = $10
		next
	}
	FNR == 1 || $PID != "-" { next }
	{
		ns = $NETNS
		key = ns " " ($INODE != 0 ? $INODE : $FAMILY " " $PROTO " " $STATE " " $LOCAL " " $REMOTE)
		what = "holderless " $PROTO " " $STATE " " $LOCAL " " $REMOTE " (netns " ns " inode " $INODE ")"
		if (!(key in line)) {
			print what ": no such socket in /proc/net"
			next
		}
		if (key in dup)
			next
		$0 = $0 " @@ " line[key]
		for (at = 1; $at != "@@"; at++)
			;
		t = $(at + 1)
		# Decoded (nw_decode), from field at + 2 on: FAMILY PROTO STATE
		# LOCAL REMOTE TXQ RXQ; then the /proc/net line, from field
		# at + 9 on (l: at + 7): sl local rem st tx:rx tr:tm retrnsmt
		# uid timeout inode ref pointer ...
		l = at + 7
		mini = t ~ /^tcp/ && NF - l - 1 <= 12
		full = t ~ /^tcp/ && !mini
		differ(what " PID COMM FD", $PID " " $COMM " " $FD, "- - -")
		differ(what " FAMILY TYPE PROTO", $FAMILY " " $TYPE " " $PROTO,
		       $(at + 2) " " table_type(t) " " $(at + 3))
		differ(what " STATE", $STATE, $(at + 4))
		differ(what " LOCAL", $LOCAL, $(at + 5))
		differ(what " REMOTE", $REMOTE, $(at + 6))
		differ(what " UID", $UID, $(l + 9))
		differ(what " INODE", $INODE, $(l + 11))
		p = tolower($(l + 13))
		if (p != "(____ptrval____)")
			p = substr("0000000000000000", length(p) + 1) p
		differ(what " SOCK", $SOCK, p)
		if (mini) {
			n["TIME_WAIT or request"]++
			differ(what " RXQ TXQ", $RXQ " " $TXQ, "0 0")
			differ(what " CWND..RETRANS PEER CGROUP TX_BYTES RX_BYTES",
			       $CWND " " $SSTHRESH " " $SRTT_US " " $RETRANS " " $PEER " " $CGROUP " " $TX_BYTES " " $RX_BYTES,
			       "- - - - - - - -")
			next
		}
		differ(what " RXQ TXQ", $RXQ " " $TXQ, $(at + 8) " " $(at + 7))
		if ($CGROUP !~ /^\//)
			print what ": CGROUP " $CGROUP ", not a path"
		if (!full) {
			n["UDP or raw"]++
			differ(what " CWND..RETRANS PEER TX_BYTES RX_BYTES",
			       $CWND " " $SSTHRESH " " $SRTT_US " " $RETRANS " " $PEER " " $TX_BYTES " " $RX_BYTES,
			       "- - - - - - -")
			next
		}
		n["full TCP"]++
		differ(what " CWND SSTHRESH", $CWND " " $SSTHRESH, $(l + 17) " " $(l + 18))
		k = ns " " plain4($REMOTE) " " plain4($LOCAL)
		differ(what " PEER", $PEER, (k in peer) && peer[k] != 0 ? peer[k] : "-")
		if ($LOCAL ~ /:28103$/ || $REMOTE ~ /:28105$/)
			differ(what " CGROUP (the workload'"'"'s)", $CGROUP, cg)
		k = ns " " $LOCAL " " $REMOTE
		if (!(k in SS_RTT)) {
			print what ": not in ss -tinea"
			next
		}
		ss_differ(what, k)
	}
	END {
		split("TIME_WAIT or request|full TCP" (vx == "yes" ? "|UDP or raw" : ""), kinds, "|")
		for (i in kinds)
			if (!n[kinds[i]])
				print "no holderless " kinds[i] " row compared"
	}' cg="$cg" vx="$NW_VX" "$W/nw.procnet.dec" "$W/nw.ss" "$W/nw.rows" | head -n 40
}

# The holderless checks can fail: break the snapshot's rows one way at a
# time (a field of one row, a row deleted, doubled, or an fd row moved
# after the holderless ones) and make sure the check that owns it notices.
check_holderless_can_fail() {
	nw_start || return 1
	nw_snapshot || return 1
	cp "$W/nw.rows" "$W/nw.rows.orig"
	while IFS='|' read -r where col value func; do
		case $where in
		*vx*) [ "$NW_VX" = yes ] || continue ;;
		esac
		break_row "$W/nw.rows.orig" "$W/nw.rows" "$where" "$col" "$value" \
			vx="$NW_VXLAN_PORT"
		case $? in
		1) echo "no row matches ($where)" ;;
		3) echo "field $col is $value already where ($where)" ;;
		*) [ -n "$(NW_QUIET=1 $func 2>&1 3>/dev/null)" ] ||
			echo "$func did not notice $col := $value where ($where)" ;;
		esac
	done <<-EOF
	\$PID == "-" && \$STATE == "TIME_WAIT"|-|DELETE|check_holderless_set
	\$PID == "-" && \$STATE == "SYN_RECV"|-|DELETE|check_holderless_set
	\$PID == "-" && \$STATE == "FIN_WAIT1"|-|DELETE|check_holderless_set
	\$PID == "-" && \$STATE == "ESTABLISHED"|-|DUP|check_holderless_set
	\$PID == "-" && \$INODE != 0 && \$LOCAL ~ ":" vx "\$"|-|DELETE|check_holderless_set
	\$PID == "-" && \$INODE != 0 && \$LOCAL ~ ":" vx "\$"|-|DUP|check_holderless_set
	\$PID != "-" && \$PROTO == "TCP"|-|LAST|check_holderless_set
	\$PID != "-" && \$PROTO == "UDP"|PID|-|check_holderless_set
	\$PID == "-" && \$STATE == "TIME_WAIT"|NETNS|1|check_holderless_set
	\$PID == "-" && \$STATE == "FIN_WAIT2"|STATE|TIME_WAIT|check_holderless_set
	\$PID == "-" && \$STATE == "TIME_WAIT"|UID|5|check_holderless_columns
	\$PID == "-" && \$STATE == "SYN_RECV"|UID|7|check_holderless_columns
	\$PID == "-" && \$STATE == "SYN_RECV"|SOCK|0000000000000001|check_holderless_columns
	\$PID == "-" && \$STATE == "TIME_WAIT"|FD|3|check_holderless_columns
	\$PID == "-" && \$STATE == "TIME_WAIT"|CGROUP|/|check_holderless_columns
	\$PID == "-" && \$STATE == "TIME_WAIT"|CWND|10|check_holderless_columns
	\$PID == "-" && \$STATE == "ESTABLISHED"|CGROUP|/|check_holderless_columns
	\$PID == "-" && \$STATE == "ESTABLISHED"|PEER|-|check_holderless_columns
	\$PID == "-" && \$STATE == "ESTABLISHED"|SSTHRESH|7|check_holderless_columns
	\$PID == "-" && \$STATE == "FIN_WAIT1"|TXQ|0|check_holderless_columns
	\$PID == "-" && \$STATE == "FIN_WAIT1"|TX_BYTES|1|check_holderless_columns
	\$PID == "-" && \$STATE == "FIN_WAIT1"|SRTT_US|-|check_holderless_columns
	\$PID == "-" && \$INODE != 0 && \$LOCAL ~ ":" vx "\$"|TX_BYTES|0|check_holderless_columns
	\$PID == "-" && \$INODE != 0 && \$LOCAL ~ ":" vx "\$"|UID|1000|check_holderless_columns
	\$PID == "-" && \$INODE != 0 && \$LOCAL ~ ":" vx "\$"|LOCAL|0.0.0.0:1|check_holderless_columns
	\$PID == "-" && \$INODE != 0 && \$LOCAL ~ ":" vx "\$"|STATE|LISTEN|check_holderless_columns
	EOF
	cp "$W/nw.rows.orig" "$W/nw.rows"
}

# ---------------------------------------------------------------------------
# Who sees which netns's holderless rows: the netns each reader's own
# /proc/T/net shows it, its own among them.

# nw_view PROC MAP - what the caller sees through the procfs at PROC: "@self
# NETNS" (its own netns), then the inet tables of its own /proc/self/net
# and of every netns whose tables some PROC/T/net lets it read, "LABEL
# TABLE LINE" (LABEL: self or T). Whether PROC/T/net can be read is the
# same question for every file there: a small one (sockstat) answers it,
# and the tables themselves are read once per netns (MAP, root's "PID
# NETNS" lines), not once per task. One awk does it all: a guest has a
# hundred tasks, most kernel threads, and a table is a walk of its hash.
nw_view() {
	ns=$(readlink "$1/self/ns/net")
	ns=${ns#net:[}
	ns=${ns%]}
	echo "@self $ns"
	{
		echo self
		for dir in "$1"/[0-9]*; do
			echo "${dir##*/}"
		done
	} |
		awk -v proc="$1" -v tables="$NW_TABLES" -v self="$ns" '
		BEGIN { n = split(tables, t, " ") }
		FNR == NR { netns[$1] = $2; next }
		{
			if ($1 == "self") {
				ns = self
			} else {
				f = proc "/" $1 "/net/sockstat"
				seen = (getline line <f) > 0
				close(f)
				if (!seen)
					next
				ns = ($1 in netns) ? netns[$1] : "task " $1
			}
			if (ns in read)
				next
			for (i = 1; i <= n; i++) {
				f = proc "/" $1 "/net/" t[i]
				first = 1
				while ((getline line <f) > 0) {
					if (!first)
						print $1, t[i], line
					first = 0
					read[ns] = 1
				}
				close(f)
			}
		}' "$2" -
}

# netview DIR [PROC] - the reader's half (sub-command "netview DIR
# [PROC]"): PROC/sockmap (PROC: /proc by default) read between two views
# of the tables (nw_view, with root's DIR/map) that agree, into DIR/rows
# and DIR/view.
netview() {
	dir=$1 proc=${2:-/proc}
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		nw_view "$proc" "$dir/map" >"$dir/view.a"
		cat "$proc/sockmap" >"$dir/rows" || return 1
		nw_view "$proc" "$dir/map" >"$dir/view"
		nw_keys "$dir/view.a" >"$dir/keys.a"
		nw_keys "$dir/view" >"$dir/keys.b"
		cmp -s "$dir/keys.a" "$dir/keys.b" && return 0
		sleep 1
	done
	echo "the tables never stood still (10 tries)"
	return 1
}

# nw_reader WHO DIR [RUN...] - run netview DIR as RUN says (as_user,
# nsenter ..., the Landlock wrapper; none: root here) and compare: the
# holderless rows the reader saw, "NETNS FAMILY PROTO STATE LOCAL REMOTE
# INODE", are the sockets of the tables it could read, the netns of each T
# read from /proc/T/ns/net by root just before (DIR/map), its own as it
# named it, less those an fd holds (root's /proc/*/fd).
nw_reader() {
	who=$1 dir=$2
	shift 2
	rm -rf "$dir"
	mkdir -p "$dir"
	chmod 0777 "$dir"
	task_netns >"$dir/map"
	"$@" sh "$ME" netview "$dir" ${NW_PROC:+"$NW_PROC"} >"$dir/log" 2>&1 ||
		{ echo "$who: the read failed:"; cat "$dir/log"; return 1; }
	fds >"$dir/fds"
	awkl '
	FILENAME ~ /fds$/ { held[$3] = 1; next }
	FILENAME ~ /map$/ { ns[$1] = $2; next }
	FILENAME ~ /view$/ {
		if ($1 == "@self")
			ns["self"] = $2
		if (!($1 in ns))
			next
		n = ns[$1]; t = $2
		$0 = strip(2)
		# Every task of a netns shows its tables: decode each socket once.
		if (seen[n " " t " " $2 " " $3 " " $4 " " $10]++)
			next
		if ($10 == 0 || !($10 in held))
			print n, table_family(t), table_proto(t, $2), tcp_state($4), addr($2), addr($3), $10 >truth
		next
	}
	FNR > 1 && $PID == "-" { print $NETNS, $FAMILY, $PROTO, $STATE, $LOCAL, $REMOTE, $INODE >rows }
	' truth="$dir/truth.all" rows="$dir/seen" "$dir/fds" "$dir/map" "$dir/view" "$dir/rows"
	sort -u "$dir/truth.all" >"$dir/truth"
	touch "$dir/seen"
	same_set "$who: holderless rows" "$dir/seen" "$dir/truth"
	echo "$who: $(wc -l <"$dir/seen") holderless rows, of $(cut -d' ' -f1 "$dir/seen" | sort -u | wc -l) netns" >&3
	return 0
}

# nw_sees DIR NETNS - whether the reader of DIR saw holderless rows of NETNS.
nw_sees() {
	grep -q "^$2 " "$1/seen"
}

# Uid 1000 reading /proc/sockmap sees the holderless rows of every netns
# whose tasks it can look up in /proc: with no hidepid, all of them, the
# second netns's too.
check_holderless_user() {
	nw_start || return 1
	dir=$W/nw.user
	nw_reader "uid $USER_ID" "$dir" as_user || return 0
	nw_sees "$dir" "$NW_NETNS" ||
		echo "uid $USER_ID sees no holderless row of the second netns (it can look up its tasks)"
	nw_sees "$dir" "$(nw_ns $$)" ||
		echo "uid $USER_ID sees no holderless row of its own netns"
}

# A reader in the second netns sees its own netns's holderless rows and
# those of the netns whose tasks it can look up. A netns that no task is
# in (pinned by a bind mount, its workload gone, its TIME_WAIT sockets and
# VXLAN device left) is seen only by a reader who opens the file in it.
check_holderless_netns() {
	nw_start || return 1
	init=$(nw_ns $$)
	nw_reader "root in the second netns" "$W/nw.netns" nsenter -t "$NW_NS" -n
	nw_sees "$W/nw.netns" "$NW_NETNS" ||
		echo "root in the second netns sees no holderless row of its own netns"
	nw_sees "$W/nw.netns" "$init" ||
		echo "root in the second netns sees no holderless row of the initial one, whose tasks it can look up"

	rm -f "$NW_PINNED"
	touch "$NW_PINNED"
	unshare --net="$NW_PINNED" true || { echo "cannot pin a netns on $NW_PINNED"; return 1; }
	if ! start_zoo "$W/nw.pinned.out" nsenter --net="$NW_PINNED" "$HOLDERLESS"; then
		umount "$NW_PINNED"
		return 1
	fi
	pinned=$(nw_ns "$(zoo_field "$W/nw.pinned.out" pid)")
	vx=$NW_VX
	nw_vxlan --net="$NW_PINNED" || vx=no
	stop_zoo
	# The peers' resets reach the orphan and the accept queues.
	sleep 0.5
	nw_reader "root in the initial netns" "$W/nw.unpinned"
	nw_reader "root in the taskless netns" "$W/nw.taskless" nsenter --net="$NW_PINNED"
	nsenter --net="$NW_PINNED" "$NW_IP" link del e2e-vx 2>/dev/null
	umount "$NW_PINNED"
	nw_sees "$W/nw.unpinned" "$pinned" &&
		echo "root in the initial netns sees holderless rows of netns $pinned, where no task is"
	awk -v ns="$pinned" -v vx="$vx" '
		$1 == ns && $4 == "TIME_WAIT" && $6 ~ /:28101$/ { tw++ }
		$1 == ns && $3 == "UDP" && $5 ~ /:'"$NW_VXLAN_PORT"'$/ { udp++ }
		END {
			if (tw < 3)
				print "root in the taskless netns " ns " sees " tw + 0 " of its TIME_WAIT sockets, not 3 or more"
			if (vx == "yes" && !udp)
				print "root in the taskless netns " ns " sees no row of its VXLAN sockets"
		}' "$W/nw.taskless/seen"
}

# Through a procfs mounted with hidepid=invisible, uid 1000 sees the
# holderless rows of its own netns and of the netns of its own tasks (a
# workload in its own user and network namespaces), not of the second
# netns, whose tasks are root's; root there sees them all.
check_holderless_hidepid() {
	nw_start || return 1
	hp=/tmp/proc-nw
	mkdir -p "$hp"
	mount -t proc -o hidepid=invisible proc "$hp" ||
		{ echo "cannot mount a procfs with hidepid=invisible"; return 1; }
	if ! start_zoo "$W/nw.userns.out" as_user unshare -U -r -n "$HOLDERLESS"; then
		umount "$hp"
		return 1
	fi
	userns=$(nw_ns "$(zoo_field "$W/nw.userns.out" pid)")
	NW_PROC=$hp
	nw_reader "uid $USER_ID through hidepid=invisible" "$W/nw.hidepid.user" as_user
	nw_reader "root through hidepid=invisible" "$W/nw.hidepid.root"
	NW_PROC=
	stop_zoo
	as_user ls "$hp" >"$W/nw.hidepid.ls"
	umount "$hp"
	nw_sees "$W/nw.hidepid.user" "$userns" ||
		echo "uid $USER_ID sees no holderless row of the netns of its own workload ($userns)"
	nw_sees "$W/nw.hidepid.user" "$(nw_ns $$)" ||
		echo "uid $USER_ID sees no holderless row of its own netns"
	nw_sees "$W/nw.hidepid.user" "$NW_NETNS" &&
		echo "uid $USER_ID sees holderless rows of the second netns, whose tasks hidepid hides from it"
	grep -qx "$NW_NS" "$W/nw.hidepid.ls" &&
		echo "hidepid=invisible did not hide $NW_NS from uid $USER_ID"
	for ns in "$userns" "$NW_NETNS"; do
		nw_sees "$W/nw.hidepid.root" "$ns" ||
			echo "root through hidepid=invisible sees no holderless row of netns $ns"
	done
	return 0
}

# A reader in a Landlock domain, root and uid 1000: Landlock restricts
# ptrace, not /proc/T/net, so it sees the holderless rows of every netns
# whose tasks procfs lets it look up, the second netns's too.
check_holderless_landlock() {
	if "$LANDLOCK" true 2>"$W/nw.landlock.probe"; [ $? -eq 77 ]; then
		cat "$W/nw.landlock.probe"
		return 77
	fi
	nw_start || return 1
	nw_reader "root in a Landlock domain" "$W/nw.landlock.root" "$LANDLOCK"
	nw_reader "uid $USER_ID in a Landlock domain" "$W/nw.landlock.user" as_user "$LANDLOCK"
	for who in root user; do
		nw_sees "$W/nw.landlock.$who" "$NW_NETNS" ||
			echo "$who in a Landlock domain sees no holderless row of the second netns"
	done
	return 0
}
