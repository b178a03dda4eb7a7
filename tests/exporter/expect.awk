# SPDX-License-Identifier: GPL-2.0
# expect.awk - what sockmap-exporter must print for an input file, worked
# out apart from its C, for scripts/exporter to compare: every sample but
# sockmap_up and sockmap_read_duration_seconds, one a line, labels in the
# exporter's order. -v depth=N -v max=N as --cgroup-depth and
# --max-cgroups. It knows no escapes (the escapes' check writes its
# expectations by hand) and takes the columns by the header's names.
# Run it with LC_ALL=C: labels tie-break by byte order.

NR == 1 {
	for (i = 1; i <= NF; i++)
		col[$i] = i
	next
}

{
	rows++
	label = cut($col["CGROUP"])
	# One socket per (label, INODE): its first row's values. INODE 0 is
	# a socket no file holds (TIME_WAIT, a request, an orphan): each has
	# one row of its own, and all share that number.
	if ($col["INODE"] != 0 && (label, $col["INODE"]) in seen)
		next
	seen[label, $col["INODE"]] = 1
	n++
	lab[n] = label
	ino[n] = $col["INODE"]
	kind[n] = "family=\"" $col["FAMILY"] "\",protocol=\"" $col["PROTO"] \
		"\",state=\"" $col["STATE"] "\""
	tcp[n] = $col["PROTO"] == "TCP"
	listen[n] = $col["STATE"] == "LISTEN"
	rxq[n] = num($col["RXQ"])
	txq[n] = num($col["TXQ"])
	retrans[n] = num($col["RETRANS"])
	acked[n] = num($col["TX_BYTES"])
	received[n] = num($col["RX_BYTES"])
	sockets[label]++
}

function num(v) {
	return v == "-" ? 0 : v + 0
}

# The first `depth` components of a path; "/" for none; "-" stays.
function cut(path,   part, k, i, out, d) {
	if (path == "-")
		return path
	k = split(path, part, "/")
	out = ""
	for (i = 1; i <= k && d < depth; i++)
		if (part[i] != "") {
			out = out "/" part[i]
			d++
		}
	return out == "" ? "/" : out
}

function add(metric, label, v) {
	out[metric "{cgroup=\"" label "\"}"] += v
}

END {
	# Keep the `max` labels with the most sockets, ties by name.
	for (k = 0; k < max; k++) {
		best = ""
		for (l in sockets)
			if (!(l in kept) && (best == "" || sockets[l] > sockets[best] ||
			    (sockets[l] == sockets[best] && l < best)))
				best = l
		if (best == "")
			break
		kept[best] = 1
	}
	for (l in sockets)
		folded += !(l in kept)
	for (i = 1; i <= n; i++) {
		l = lab[i] in kept ? lab[i] : "other"
		# Two folded labels may hold one socket: once in "other".
		if (l == "other" && ino[i] != 0 && (ino[i] in other))
			continue
		if (l == "other")
			other[ino[i]] = 1
		out["sockmap_sockets{" kind[i] ",cgroup=\"" l "\"}"]++
		add("sockmap_tcp_acked_bytes", l, tcp[i] ? acked[i] : 0)
		add("sockmap_tcp_received_bytes", l, tcp[i] ? received[i] : 0)
		add("sockmap_tcp_retransmits", l, tcp[i] ? retrans[i] : 0)
		add("sockmap_receive_queue_bytes", l, listen[i] ? 0 : rxq[i])
		add("sockmap_send_queue_bytes", l, listen[i] ? 0 : txq[i])
		add("sockmap_tcp_accept_queue", l, tcp[i] && listen[i] ? rxq[i] : 0)
	}
	for (k in out)
		printf "%s %.0f\n", k, out[k]
	printf "sockmap_rows %d\n", rows
	printf "sockmap_cgroups_folded %d\n", folded
}
