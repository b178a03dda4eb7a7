#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo's payload, run inside the VM by /init after insmod sockmap.ko
# (see scripts/demo). It reproduces the documents' experiment - an echo
# server on 127.0.0.1:22222 and a client talking to it every second - adds
# a UNIX socket pair and a UDP socket, shows the manual way ("before"),
# then `cat /proc/sockmap` ("after").
#
# With demo_mode=check on the kernel command line it also checks the rows
# against the kernel's other views (readlink /proc/PID/fd, /proc/net/tcp,
# /proc/net/udp, ss -x) and reports each check in KTAP (scripts/lib/ktap.sh,
# /lib/ktap.sh in the guest): "ok N what", or a "# got ..., want ..." line
# and "not ok N what". It exits non-zero if any check failed, so /init then
# withholds the success token.
#
# shellcheck disable=SC2016 # awk programs name the columns as $NAME

set -eu
# shellcheck source=scripts/lib/ktap.sh
. /lib/ktap.sh

PORT=22222
UDP_PORT=22223
USER_PORT=22224
ECHO=/workload/echo
MODE=${demo_mode:-show}

cleanup() {
	kill "$SERVER" "$CLIENT" "$PAIR" "$UDP" $USER_UDP 2>/dev/null || true
}
SERVER='' CLIENT='' PAIR='' UDP='' USER_UDP=''
trap cleanup EXIT

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

# show CMD... - print a command the way a terminal would, then run it.
show() {
	echo "\$ $*"
	"$@"
}

echoed() { [ "$(grep -c '^echoed' /tmp/client.log)" -ge "$1" ]; }
started() { grep -q . /tmp/pair.log && grep -q . /tmp/udp.log; }

# fd_inode PID FD - N of "socket:[N]" from /proc/PID/fd/FD (empty if no socket).
fd_inode() {
	readlink "/proc/$1/fd/$2" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p'
}

# socket_fds PID - the fds of PID that are sockets, per /proc/PID/fd.
socket_fds() {
	for link in /proc/"$1"/fd/*; do
		[ -n "$(fd_inode "$1" "${link##*/}")" ] && echo "${link##*/}"
	done
	return 0
}

# net_truth FILE INODE - /proc/net/{tcp,udp}'s line for INODE, decoded:
# "STATE LOCAL REMOTE UID SK CWND SSTHRESH" (the last two only mean
# something for TCP). Addresses are little-endian hex, ports big-endian.
net_truth() {
	awk -v inode="$2" '
	function hex(s,   i, n) {
		s = toupper(s)
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1
		return n
	}
	function addr(s,   a) {
		split(s, a, ":")
		return hex(substr(a[1], 7, 2)) "." hex(substr(a[1], 5, 2)) "." \
		       hex(substr(a[1], 3, 2)) "." hex(substr(a[1], 1, 2)) ":" hex(a[2])
	}
	BEGIN {
		split("ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT " \
		      "CLOSE CLOSE_WAIT LAST_ACK LISTEN CLOSING NEW_SYN_RECV", state, " ")
	}
	NR > 1 && $10 == inode {
		print state[hex($4)], addr($2), addr($3), $8, $12, $(NF - 1), $NF
	}' "$1"
}

# --- The experiment ---------------------------------------------------------

echo 1 >/proc/sys/kernel/kptr_restrict	# as on a Debian host

$ECHO server 127.0.0.1 $PORT >/tmp/server.log 2>&1 &
SERVER=$!
wait_for 20 "the server to listen" grep -q listening /tmp/server.log
$ECHO client 127.0.0.1 $PORT >/tmp/client.log 2>&1 &
CLIENT=$!
$ECHO pair >/tmp/pair.log 2>&1 &
PAIR=$!
$ECHO udp 127.0.0.1 $UDP_PORT >/tmp/udp.log 2>&1 &
UDP=$!
wait_for 60 "3 echoes" echoed 3
wait_for 20 "the UNIX pair and the UDP socket" started

# One snapshot of every view, taken back to back.
cat /proc/sockmap >/tmp/sockmap.txt
cat /proc/net/tcp >/tmp/net_tcp.txt
cat /proc/net/udp >/tmp/net_udp.txt
ss -x -a -n >/tmp/ss_x.txt

# The server: find its listener and its connection by /proc/net/tcp.
LFD='' SFD=''
for fd in $(socket_fds "$SERVER"); do
	case $(net_truth /tmp/net_tcp.txt "$(fd_inode "$SERVER" "$fd")") in
	LISTEN*) LFD=$fd ;;
	ESTABLISHED*) SFD=$fd ;;
	esac
done
CFD=$(socket_fds "$CLIENT" | head -n 1)
L_INODE=$(fd_inode "$SERVER" "${LFD:-none}" || true)
S_INODE=$(fd_inode "$SERVER" "${SFD:-none}" || true)
C_INODE=$(fd_inode "$CLIENT" "${CFD:-none}" || true)
CPORT=$(net_truth /tmp/net_tcp.txt "$C_INODE" | awk '{ print $2 }')

echo "@@demo-begin@@"
echo "# echo server pid $SERVER, client pid $CLIENT ($(grep -c '^echoed' /tmp/client.log) messages echoed so far),"
echo "# UNIX socket pair pid $PAIR, UDP socket pid $UDP; kernel $(uname -r)"
echo
echo "# Before: find the sockets by hand, then decode /proc/net/tcp's hex."
show ls -l /proc/"$SERVER"/fd /proc/"$CLIENT"/fd
show grep -w "$S_INODE" /proc/net/tcp
echo "# ... and decode it: state, local, remote, uid, sk, cwnd, ssthresh are"
echo "#     $(net_truth /tmp/net_tcp.txt "$S_INODE")"
echo
echo "# After: one file."
echo "\$ cat /proc/sockmap"
cat /tmp/sockmap.txt
echo "@@demo-end@@"

[ "$MODE" = check ] || exit 0

# --- The checks (demo_mode=check) -------------------------------------------

# expect NAME GOT WANT - compare: one result (on failure, both values).
expect() {
	if [ "$2" = "$3" ]; then
		ktap_pass "$1"
	else
		ktap_fail "$1" "got '$2', want '$3'"
	fi
}

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

# awkc PROGRAM [ARG...] - awk with the columns of /proc/sockmap as
# variables (see columns), numbered as the snapshot's header names them.
awkc() {
	prog=$1
	shift
	# shellcheck disable=SC2086 # COLS is a list of words
	awk $COLS "$prog" "$@"
}

# cols PID FD NAME... - the columns NAME... of that row of the snapshot,
# space-separated.
cols() {
	pid=$1 fd=$2 list=
	shift 2
	for name in "$@"; do
		list="$list${list:+,} \$$name"
	done
	awkc "NR > 1 && \$PID == pid && \$FD == fd { print$list }" \
		pid="$pid" fd="$fd" /tmp/sockmap.txt
}

# words - stdin's lines as one line of words.
words() {
	tr '\n' ' ' | sed 's/ $//'
}

# ss_unix_peer INODE - the peer inode ss -x reports for a UNIX socket.
ss_unix_peer() {
	awk -v inode="$1" '$6 == inode { print $8 }' /tmp/ss_x.txt
}

HEADER="PID COMM FD INODE SOCK NETNS FAMILY TYPE PROTO STATE LOCAL REMOTE RXQ TXQ CWND SSTHRESH SRTT_US RETRANS UID PEER"

echo "@@check-begin@@"
ktap_header
COLS=$(columns /tmp/sockmap.txt)

expect header "$(head -n 1 /tmp/sockmap.txt | awk '{ $1 = $1; print }' | cut -d' ' -f1-20)" "$HEADER"
expect "rows have 20+ fields" \
	"$(awk 'NR > 1 && NF < 20' /tmp/sockmap.txt | wc -l)" 0

# Every socket fd of the four workloads has its row, with the inode that
# readlink shows, and no other fd of theirs does.
for pid in "$SERVER" "$CLIENT" "$PAIR" "$UDP"; do
	want='' got=''
	for fd in $(socket_fds "$pid"); do
		want="$want $fd:$(fd_inode "$pid" "$fd")"
		got="$got $fd:$(cols "$pid" "$fd" INODE)"
	done
	expect "pid $pid: one row per socket fd, INODE = readlink" \
		"$(awkc 'NR > 1 && $PID == pid' pid="$pid" /tmp/sockmap.txt | wc -l)$got" \
		"$(socket_fds "$pid" | wc -l)$want"
	expect "pid $pid: COMM" "$(awkc 'NR > 1 && $PID == pid { print $COMM }' \
		pid="$pid" /tmp/sockmap.txt | sort -u)" echo
done


expect "server LISTEN row" "$(cols "$SERVER" "$LFD" INODE FAMILY TYPE PROTO STATE LOCAL REMOTE PEER)" \
	"$L_INODE INET STREAM TCP LISTEN 127.0.0.1:$PORT 0.0.0.0:0 -"
expect "server ESTABLISHED row" "$(cols "$SERVER" "$SFD" INODE FAMILY TYPE PROTO STATE LOCAL REMOTE)" \
	"$S_INODE INET STREAM TCP ESTABLISHED 127.0.0.1:$PORT $CPORT"
expect "client ESTABLISHED row" "$(cols "$CLIENT" "$CFD" INODE FAMILY TYPE PROTO STATE LOCAL REMOTE)" \
	"$C_INODE INET STREAM TCP ESTABLISHED $CPORT 127.0.0.1:$PORT"
expect "server connection's PEER = client's INODE" \
	"$(cols "$SERVER" "$SFD" PEER)" "$C_INODE"
expect "client's PEER = server connection's INODE" \
	"$(cols "$CLIENT" "$CFD" PEER)" "$S_INODE"

# The same rows against /proc/net/tcp, decoded: state, addresses, UID,
# SOCK (%pK on both sides) and, for connections, CWND and SSTHRESH.
for sock in "listener $SERVER $LFD $L_INODE" "server-conn $SERVER $SFD $S_INODE" \
	    "client $CLIENT $CFD $C_INODE"; do
	# shellcheck disable=SC2086 # four words: name pid fd inode
	set -- $sock
	truth=$(net_truth /tmp/net_tcp.txt "$4")
	expect "$1 STATE LOCAL REMOTE UID SOCK = /proc/net/tcp" \
		"$(cols "$2" "$3" STATE LOCAL REMOTE UID SOCK)" "$(echo "$truth" | cut -d' ' -f1-5)"
	[ "$1" = listener ] && continue
	expect "$1 CWND SSTHRESH = /proc/net/tcp" \
		"$(cols "$2" "$3" CWND SSTHRESH)" "$(echo "$truth" | cut -d' ' -f6-7)"
done

# The UNIX pair: both ends in one process, each the other's PEER (as ss -x
# reports it, through unix_diag).
# shellcheck disable=SC2046 # two fds
set -- $(socket_fds "$PAIR")
U1=$(fd_inode "$PAIR" "$1") U2=$(fd_inode "$PAIR" "$2")
PAIR_COLS="INODE FAMILY TYPE PROTO STATE LOCAL REMOTE PEER"
# shellcheck disable=SC2086 # a list of names
expect "UNIX pair rows" "$(cols "$PAIR" "$1" $PAIR_COLS) | $(cols "$PAIR" "$2" $PAIR_COLS)" \
	"$U1 UNIX STREAM - CONNECTED - - $U2 | $U2 UNIX STREAM - CONNECTED - - $U1"
expect "UNIX PEERs = ss -x" "$(cols "$PAIR" "$1" PEER) $(cols "$PAIR" "$2" PEER)" \
	"$(ss_unix_peer "$U1") $(ss_unix_peer "$U2")"

# The UDP socket, against /proc/net/udp.
UFD=$(socket_fds "$UDP" | head -n 1)
UDP_INODE=$(fd_inode "$UDP" "$UFD")
expect "UDP row" "$(cols "$UDP" "$UFD" INODE FAMILY TYPE PROTO STATE LOCAL REMOTE CWND SSTHRESH SRTT_US RETRANS PEER)" \
	"$UDP_INODE INET DGRAM UDP CLOSE 127.0.0.1:$UDP_PORT 0.0.0.0:0 - - - - -"
expect "UDP STATE LOCAL REMOTE UID SOCK = /proc/net/udp" \
	"$(cols "$UDP" "$UFD" STATE LOCAL REMOTE UID SOCK)" \
	"$(net_truth /tmp/net_udp.txt "$UDP_INODE" | cut -d' ' -f1-5)"

# Who may see what: a reader of uid 1000 sees the rows of its own
# process, whose fds it may readlink, and no row of root's processes.
# shellcheck disable=SC2016 # su's shell expands "$0" "$@"
su -s /bin/sh -c 'exec "$0" "$@"' -- user $ECHO udp 127.0.0.1 $USER_PORT \
	>/tmp/user_udp.log 2>&1 &
USER_UDP=$!
wait_for 20 "uid 1000's UDP socket" grep -q . /tmp/user_udp.log
su -s /bin/sh -c 'cat /proc/sockmap' user >/tmp/sockmap.user || true
expect "uid 1000 sees the rows of its own process (pid $USER_UDP)" \
	"$(awkc 'NR > 1 && $PID == pid { print $FD ":" $INODE }' \
		pid="$USER_UDP" /tmp/sockmap.user | words)" \
	"$(for fd in $(socket_fds "$USER_UDP"); do
		echo "$fd:$(fd_inode "$USER_UDP" "$fd")"; done | words)"
expect "uid 1000 sees no row of root's processes" \
	"$(awkc 'NR > 1 && $PID != pid && $PID != "-" { print $PID }' \
		pid="$USER_UDP" /tmp/sockmap.user | sort -u | words)" ""

status=0
ktap_finish || status=1
echo "@@check-end@@"
[ "$status" -eq 0 ]
