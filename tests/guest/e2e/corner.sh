# SPDX-License-Identifier: GPL-2.0
# Corner cases of the output: names with every kind of byte, a stale
# TCP peer, a packet socket whose interface vanished.
#
# shellcheck shell=sh disable=SC2016 # awk programs and su -c are single-quoted

# Names with every kind of byte (tests/workload/corner.c,
# "names"): no byte but printable ASCII, space and newline in the output;
# every row has the header's number of fields; COMM is the escaped
# /proc/PID/comm and every UNIX LOCAL the escaped /proc/net/unix name (esc()
# in lib.awk), and, spelled out here, what the escaping must give.
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

# A TCP client A reset by its server is CLOSE but still
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

# A packet socket bound to a veth whose name has a
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
