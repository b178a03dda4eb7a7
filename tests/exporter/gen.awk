# SPDX-License-Identifier: GPL-2.0
# gen.awk - a crafted /proc/sockmap for scripts/exporter: -v rows=N rows
# with the module's columns (and TX_BYTES RX_BYTES), where one socket
# (INODE) is held by several fds and tasks, under cgroups of several
# depths, some of which cut to one label; TCP in every state with bytes,
# UDP and UNIX with "-"; and rows of sockets no file holds (PID "-"), many
# with INODE 0. -v cgroups=K spreads the rows over K cgroups
# /fold/gI with I+1 sockets... (the folding check) instead.
BEGIN {
	print "PID COMM FD INODE SOCK NETNS FAMILY TYPE PROTO STATE LOCAL REMOTE RXQ TXQ CWND SSTHRESH SRTT_US RETRANS UID PEER CGROUP TX_BYTES RX_BYTES"
	split("/system.slice/ssh.service /system.slice/ssh.service/session-1 /user.slice/user-1000.slice/session-2.scope /user.slice/user-1000.slice/user@1000.service/app.slice/x.scope / - /init.scope /system.slice/nginx.service", cg, " ")
	split("ESTABLISHED LISTEN TIME_WAIT CLOSE_WAIT SYN_SENT ESTABLISHED", st, " ")
	if (cgroups) {
		fold()
		exit
	}
	for (i = 1; i <= rows; i++) {
		# Sockets 0..rows/3: each held by about three fds.
		inode = 5000 + (i * 7) % int(rows / 3 + 1)
		c = cg[1 + (inode + int(i / 5)) % 8]
		row(100 + i % 37, i % 40 + 3, inode, c)
	}
	# Sockets no file holds, a row each: TIME_WAIT and request sockets
	# (INODE 0, no cgroup), a listener's child not yet accepted (INODE
	# 0, its cgroup) and a kernel socket (an INODE, no holder).
	for (i = 1; i <= rows / 20; i++)
		printf "- - - 0 ffff%d 4026531840 INET STREAM TCP %s 10.0.0.1:%d 10.0.0.2:80 0 0 - - - - 0 - - - -\n",
			i, i % 3 ? "TIME_WAIT" : "SYN_RECV", 40000 + i
	for (i = 1; i <= 3; i++)
		printf "- - - 0 ffff%d 4026531840 INET STREAM TCP ESTABLISHED 10.0.0.1:80 10.0.0.2:%d 5 0 10 - 55 1 0 - %s 100 7\n",
			i, 50000 + i, cg[1]
	printf "- - - 7777 ffff7777 4026531840 INET DGRAM UDP UNCONN 0.0.0.0:4789 0.0.0.0:0 0 0 - - - - 0 - - - -\n"
}

# One row of socket INODE: its kind and numbers depend on INODE only, as a
# real socket's do (whoever holds it).
function row(pid, fd, inode, c,   k, fam, proto, state, tx, rx, re) {
	k = inode % 5
	fam = k == 3 ? "UNIX" : k == 4 ? "INET6" : "INET"
	proto = k == 3 ? "-" : k == 2 ? "UDP" : "TCP"
	state = k == 2 ? "UNCONN" : st[1 + inode % 6]
	tx = proto == "TCP" ? inode * 1000 + 17 : "-"
	rx = proto == "TCP" ? inode * 3 + 1 : "-"
	re = proto == "TCP" ? inode % 4 : "-"
	printf "%d app%d %d %d ffff%d 4026531840 %s STREAM %s %s 10.0.0.1:%d - %d %d 10 - 55 %s 0 - %s %s %s\n",
		pid, pid, fd, inode, inode, fam, proto, state, inode, inode % 11,
		inode % 13, re, c, tx, rx
}

# cgroups groups /fold/gI, I = 1..cgroups, with I sockets each, plus a
# socket held by the two smallest, both of which fold.
function fold(   i, j, inode) {
	inode = 9000
	for (i = 1; i <= cgroups; i++)
		for (j = 0; j < i; j++)
			row(200 + i, 3 + j, inode++, "/fold/g" i)
	row(300, 3, 8999, "/fold/g1")
	row(301, 3, 8999, "/fold/g2")
}
