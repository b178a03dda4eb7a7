# SPDX-License-Identifier: GPL-2.0
# The rows against the kernel's other views: the fd set, TCP, UDP, UNIX,
# raw, netlink and packet rows against /proc/net/* and ss, NETNS, and
# proof that these checks can fail at all.
#
# shellcheck shell=sh disable=SC2016 # awk programs and su -c are single-quoted

# check_header - the header names the columns README's Columns section
# names, in its order, and every row has as many fields. The one check
# that a new column must change: every other finds its columns by name.
check_header() {
	awk '
		NR == 1 { $1 = $1; if ($0 != header) print "header is: " $0; nf = NF; next }
		NF != nf { print "row has " NF " fields, header " nf ": " $0 }' \
		header="$HEADER" "$W/rows"
}

# The fd rows are exactly the socket fds of /proc/*/fd (and of threads
# with their own table), in PID, FD order, with the right INODE, COMM and
# UID. (The rows of sockets no fd holds, PID "-", come after them:
# netwalk.sh.)
check_fd_set() {
	fds >"$W/fds"
	awkl '
		NR == 1 || $PID == "-" { next }
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
		FNR == 1 || $PID == "-" { next }
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

# TCP (or UDP) fd rows against /proc/net/tcp{,6} (udp{,6}) of their
# netns, by inode. PROTO is TCP or UDP. (The rows of sockets no fd holds:
# netwalk.sh's holderless-columns.)
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
	FNR == 1 || $PROTO != proto || $PID == "-" { next }
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

# SRTT_US, RETRANS, TX_BYTES and RX_BYTES of the fd rows against ss -ti (rtt:SRTT/RTTVAR
# in ms, with %g's six digits; retrans:NOW/TOTAL, absent when both are 0;
# bytes_acked:N and bytes_received:N, absent when 0). The zoo's
# connections are idle when both are read.
check_tcp_ss() {
	awkl '
	FILENAME ~ /ss$/ {
		if ($2 == "tcp") {			# a socket line
			ino = ""
			for (i = 3; i <= NF; i++)
				if ($i ~ /^ino:/)
					ino = substr($i, 5)
			if (ino != "")
				ss_socket(ino)
		} else if ($2 == "tcp-info" && ino != "") {	# its tcp_info
			ss_info(ino)
		}
		next
	}
	FNR == 1 || $PROTO != "TCP" || $PID == "-" { next }
	{
		ino = $INODE; what = "inode " ino " (pid " $PID " fd " $FD ")"
		if (!(ino in SS_RTT)) {
			print what ": not in ss -tinea"
			next
		}
		ss_differ(what, ino)
		n++
	}
	END {
		if (!n)
			print "no TCP rows at all"
	}' "$W/ss" "$W/rows"
}

# TX_BYTES and RX_BYTES against what the zoo knows it moved: its counted
# pairs (in the initial network namespace only), TCP on port 25556 and
# MPTCP on 25557, each sent ZOO_TRANSFER bytes from the accepted end, the
# client read them all, every byte was acknowledged, and both are idle
# since. MPTCP counts them from 6.4 on (mptcp_info's bytes_acked and
# bytes_received); before, its rows say "-". Every protocol but TCP and
# MPTCP counts nothing: "-".
check_bytes() {
	mptcp=0
	mptcp_enabled && mptcp=1
	awkl '
	FNR == 1 { next }
	$PROTO != "TCP" && $PROTO != "MPTCP" {
		differ("inode " $INODE " (" $PROTO ") TX_BYTES RX_BYTES", $TX_BYTES " " $RX_BYTES, "- -")
		next
	}
	$STATE != "ESTABLISHED" { next }
	$PROTO == "TCP" && $LOCAL == "127.0.0.1:25556" {
		differ("the TCP pair'"'"'s sender TX_BYTES", $TX_BYTES, n); tcp_tx++
	}
	$PROTO == "TCP" && $REMOTE == "127.0.0.1:25556" {
		differ("the TCP pair'"'"'s receiver RX_BYTES", $RX_BYTES, n); tcp_rx++
	}
	$PROTO == "MPTCP" && $LOCAL == "127.0.0.1:25557" {
		differ("the MPTCP pair'"'"'s sender TX_BYTES", $TX_BYTES, mn); mp_tx++
	}
	$PROTO == "MPTCP" && $REMOTE == "127.0.0.1:25557" {
		differ("the MPTCP pair'"'"'s receiver RX_BYTES", $RX_BYTES, mn); mp_rx++
	}
	END {
		if (tcp_tx != 1 || tcp_rx != 1)
			print "the TCP pair: " tcp_tx + 0 " sender and " tcp_rx + 0 " receiver rows, not 1 and 1"
		if (mptcp && (mp_tx != 1 || mp_rx != 1))
			print "the MPTCP pair: " mp_tx + 0 " sender and " mp_rx + 0 " receiver rows, not 1 and 1"
	}' n="$ZOO_TRANSFER" mn="$(mptcp_counts && echo "$ZOO_TRANSFER" || echo -)" \
		mptcp=$mptcp "$W/rows"
}

# mptcp_enabled - whether this kernel makes MPTCP sockets (Debian's 5.10 is
# built without MPTCP).
mptcp_enabled() {
	[ "$(cat /proc/sys/net/mptcp/enabled 2>/dev/null)" = 1 ]
}

# mptcp_counts - whether this kernel counts MPTCP's bytes: 6.4 and later.
mptcp_counts() {
	# shellcheck disable=SC2046 # split into version numbers on purpose
	set -- $(uname -r | tr '.-' '  ')
	[ "$1" -gt 6 ] || { [ "$1" -eq 6 ] && [ "$2" -ge 4 ]; }
}

# UNIX rows: LOCAL and TYPE against /proc/net/unix; STATE, queues, PEER
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
# netlink,packet}.
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

# NETNS of every fd row is the namespace whose /proc/net tables list the
# socket; the netns child's rows carry readlink /proc/CHILD/ns/net. (A row
# of a socket no fd holds, PID "-", is matched to its netns's tables by
# netwalk.sh's holderless-set.)
check_netns() {
	child=$(readlink "/proc/$ZOO_NETNS/ns/net") || { echo "no netns child"; return 1; }
	init=$(readlink /proc/1/ns/net)
	[ "$child" != "$init" ] || echo "netns child shares init's netns ($init)"
	awkl '
	# The inode column: unix 7th, packet 9th, the others 10th; +2 here.
	FNR == NR { ns[$1 == "unix" ? $9 : $1 == "packet" ? $11 : $12] = $2; next }
	FNR == 1 || $PID == "-" { next }
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

# Checks must be able to fail: break one field of one row of the snapshot
# at a time and make sure the check that owns it notices.
check_can_fail() {
	cp "$W/rows" "$W/rows.orig"
	while IFS='|' read -r where col value func; do
		# An MPTCP row exists only where the kernel has MPTCP.
		case $where in
		*MPTCP*) mptcp_enabled || continue ;;
		esac
		# Fd rows only: netwalk.sh breaks the holderless ones.
		break_row "$W/rows.orig" "$W/rows" "\$PID != \"-\" && ($where)" \
			"$col" "$value" netns="$ZOO_NETNS"
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
	\$PROTO == "TCP" && \$TX_BYTES > 1|TX_BYTES|1|check_tcp_ss
	\$PROTO == "TCP" && \$RX_BYTES > 0|RX_BYTES|0|check_tcp_ss
	\$PROTO == "TCP" && \$STATE == "LISTEN"|RX_BYTES|7|check_tcp_ss
	\$PROTO == "UDP"|TX_BYTES|0|check_bytes
	\$LOCAL == "127.0.0.1:25556" && \$STATE == "ESTABLISHED"|TX_BYTES|99999|check_bytes
	\$REMOTE == "127.0.0.1:25556"|RX_BYTES|100001|check_bytes
	\$PROTO == "MPTCP" && \$REMOTE == "127.0.0.1:25557"|RX_BYTES|7|check_bytes
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

check_inet_tcp() { check_inet TCP; }
check_inet_udp() { check_inet UDP; }
