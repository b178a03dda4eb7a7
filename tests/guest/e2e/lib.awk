# SPDX-License-Identifier: GPL-2.0
# Helpers for the checks of e2e.sh: decode what /proc/net/* prints into the
# form /proc/sockmap promises, independently of sockmap. Written for busybox
# awk (no strtonum, no gensub). lib.sh puts it in front of every awk
# program (see awkl there).

# hex("56CE") = 22222; -1 if S is not hex.
function hex(s,    i, c, n) {
	s = tolower(s)
	n = 0
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1))
		if (c == 0)
			return -1
		n = n * 16 + c - 1
	}
	return n
}

# ip4("0100007F") = "127.0.0.1": /proc/net prints the __be32 as a host
# (little-endian) number, so the bytes come in reverse order.
function ip4(h) {
	return hex(substr(h, 7, 2)) "." hex(substr(h, 5, 2)) "." \
	       hex(substr(h, 3, 2)) "." hex(substr(h, 1, 2))
}

# ip6(32 hex digits) = the RFC 5952 text, as the kernel's %pI6c prints it:
# lower case, no leading zeros, the first longest run (2 groups or more) of
# zero groups as "::", and v4-mapped addresses as ::ffff:a.b.c.d.
function ip6(h,    b, g, i, w, n, best, at, out, need, range, v4) {
	for (w = 0; w < 4; w++)
		for (i = 0; i < 4; i++)
			b[w * 4 + i] = hex(substr(h, w * 8 + 7 - 2 * i, 2))
	for (i = 0; i < 8; i++)
		g[i] = b[2 * i] * 256 + b[2 * i + 1]
	v4 = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 &&
	     g[5] == 65535
	range = v4 ? 6 : 8
	best = 1
	at = -1
	for (i = 0; i < range; i++) {
		for (n = 0; i + n < range && g[i + n] == 0; n++)
			;
		if (n > best) {
			best = n
			at = i
		}
	}
	out = ""
	need = 0
	for (i = 0; i < range; i++) {
		if (i == at) {
			out = out "::"
			need = 0
			i += best - 1
			continue
		}
		if (need)
			out = out ":"
		out = out sprintf("%x", g[i])
		need = 1
	}
	if (v4)
		out = out (need ? ":" : "") b[12] "." b[13] "." b[14] "." b[15]
	return out
}

# addr("0100007F:56CE") = "127.0.0.1:22222"; IPv6: "[::1]:22222".
function addr(s,    c, a, p) {
	c = index(s, ":")
	a = substr(s, 1, c - 1)
	p = hex(substr(s, c + 1))
	if (length(a) == 8)
		return ip4(a) ":" p
	return "[" ip6(a) "]:" p
}

# plain4("[::ffff:127.0.0.1]:80") = "127.0.0.1:80": the form an IPv4
# socket at the other end of a v4-mapped connection uses.
function plain4(a) {
	if (a ~ /^\[::ffff:[0-9.]+\]:/) {
		sub(/^\[::ffff:/, "", a)
		sub(/\]/, "", a)
	}
	return a
}

# tcp_state("0A") = "LISTEN" (include/net/tcp_states.h).
function tcp_state(h,    names) {
	split("ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT " \
	      "CLOSE CLOSE_WAIT LAST_ACK LISTEN CLOSING NEW_SYN_RECV", names, " ")
	return (hex(h) in names) ? names[hex(h)] : "?" h
}

# sock_type(2) = "DGRAM" (include/linux/net.h).
function sock_type(n,    names) {
	split("STREAM DGRAM RAW RDM SEQPACKET DCCP", names, " ")
	if (n == 10)
		return "PACKET"
	return (n in names) ? names[n] : n
}

# ip_proto(1) = "ICMP": the names the contract gives IP protocol numbers.
function ip_proto(n) {
	if (n == 1) return "ICMP"
	if (n == 6) return "TCP"
	if (n == 17) return "UDP"
	if (n == 58) return "ICMPV6"
	if (n == 132) return "SCTP"
	if (n == 136) return "UDPLITE"
	if (n == 255) return "RAW"
	if (n == 262) return "MPTCP"
	return n
}

# netlink_proto(0) = "ROUTE" (include/uapi/linux/netlink.h).
function netlink_proto(n) {
	if (n == 0) return "ROUTE"
	if (n == 4) return "SOCK_DIAG"
	if (n == 9) return "AUDIT"
	if (n == 15) return "KOBJECT_UEVENT"
	if (n == 16) return "GENERIC"
	return n
}

# esc(s): a name as sockmap promises to print it: every byte that is not
# printable ASCII (0x00-0x20: controls and space; 0x7f and up: DEL and
# every byte of a UTF-8 sequence) and the backslash as a backslash and
# three octal digits (\040, \302\240); "-" for an empty name, and "\055"
# for a name that is "-" (which would read as "none"). Busybox awk has no
# ord(): the codes come from a table of sprintf("%c", n).
function esc(s,    i, c, n, out) {
	if (!("A" in ESC_CODE))
		for (n = 1; n < 256; n++)
			ESC_CODE[sprintf("%c", n)] = n
	if (s == "")
		return "-"
	if (s == "-")
		return "\\055"
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		n = ESC_CODE[c]
		if (n > 32 && n < 127 && c != "\\")
			out = out c
		else
			out = out "\\" int(n / 64) int(n / 8) % 8 n % 8
	}
	return out
}

# strip(n): drop the first N whitespace-separated fields of $0 and the
# blanks after them; returns the rest of the line verbatim (a UNIX path
# may hold spaces).
function strip(n,    s, i) {
	s = $0
	for (i = 0; i < n; i++)
		sub(/^[ \t]*[^ \t]+/, "", s)
	sub(/^[ \t]/, "", s)
	return s
}

# diff(what, mine, truth): note a mismatch of one field of one row.
function differ(what, mine, truth) {
	if (mine "" == truth "")
		return 0
	printf "%s: sockmap %s, expected %s\n", what, mine, truth
	bad++
	return 1
}

# table_family("tcp6") = "INET6": the family of a /proc/net inet table.
function table_family(t) {
	return t ~ /6$/ ? "INET6" : "INET"
}

# table_type("udplite6") = "DGRAM": the socket type of a /proc/net inet table.
function table_type(t) {
	return t ~ /^tcp/ ? "STREAM" : t ~ /^raw/ ? "RAW" : "DGRAM"
}

# table_proto("raw", "00000000:0001") = "ICMP": the protocol of a line of a
# /proc/net inet table; a raw socket's local "port" is its protocol.
function table_proto(t, local) {
	if (t ~ /^tcp/)
		return "TCP"
	if (t ~ /^udplite/)
		return "UDPLITE"
	if (t ~ /^udp/)
		return "UDP"
	return ip_proto(hex(substr(local, index(local, ":") + 1)))
}

# ss_socket(k): an `ss -ti` socket line for key K (inode, or addresses):
# what its tcp_info line leaves out is 0 (retrans:, bytes_acked: and
# bytes_received: are absent when 0).
function ss_socket(k) {
	SS_RTT[k] = 0
	SS_RETRANS[k] = 0
	SS_ACKED[k] = 0
	SS_RECEIVED[k] = 0
}

# ss_info(k): the tcp_info line of K in $0 (after lib.sh ss_all's NETNS
# and KIND): rtt:SRTT/RTTVAR in ms, with %g's six digits, into SS_RTT in
# us; retrans:NOW/TOTAL; bytes_acked:N; bytes_received:N.
function ss_info(k,    i, v) {
	for (i = 3; i <= NF; i++) {
		if ($i ~ /^rtt:/) {
			split(substr($i, 5), v, "/")
			SS_RTT[k] = v[1] * 1000
		}
		if ($i ~ /^retrans:/) {
			split(substr($i, 9), v, "/")
			SS_RETRANS[k] = v[2]
		}
		if ($i ~ /^bytes_acked:/)
			SS_ACKED[k] = substr($i, 13)
		if ($i ~ /^bytes_received:/)
			SS_RECEIVED[k] = substr($i, 16)
	}
}

# ss_differ(what, k): SRTT_US (within 1 us), RETRANS, TX_BYTES and
# RX_BYTES of the row in $0 against what ss said of K.
function ss_differ(what, k,    d) {
	d = $SRTT_US - SS_RTT[k]
	if ($SRTT_US !~ /^[0-9]+$/ || d > 1 || d < -1) {
		printf "%s SRTT_US: sockmap %s, ss rtt %s us\n", what, $SRTT_US, SS_RTT[k]
		bad++
	}
	differ(what " RETRANS", $RETRANS, SS_RETRANS[k])
	differ(what " TX_BYTES (ss bytes_acked)", $TX_BYTES, SS_ACKED[k])
	differ(what " RX_BYTES (ss bytes_received)", $RX_BYTES, SS_RECEIVED[k])
}
