# SPDX-License-Identifier: GPL-2.0
# Who sees what: SOCK under kptr_restrict, other users, user and pid
# namespaces, the opener's credentials, Landlock domains and hidepid.
#
# shellcheck shell=sh disable=SC2016 # awk programs and su -c are single-quoted

# SOCK is what %pK shows the reader, which /proc/net/tcp and udp show
# it for the same inode: with kptr_restrict=0 a hashed address, with 1 the
# address to root and zeros to uid 1000, with 2 zeros to both. sockmap
# asks %pK once per read() and replays the answer (module/field.c), so every
# level and both readers are compared.
check_kptr() {
	old=$(cat /proc/sys/kernel/kptr_restrict)
	netns_pids >"$W/kptr.netns"
	for level in 0 1 2; do
		echo $level >/proc/sys/kernel/kptr_restrict
		cat "$SOCKMAP" >"$W/kptr$level.root"
		procnet >"$W/kptr$level.rootprocnet"
		as_user cat "$SOCKMAP" >"$W/kptr$level.user"
		# What uid 1000 reads in each netns's /proc/PID/net.
		as_user sh -c 'while read -r ns pid; do
			for t in tcp tcp6 udp udp6; do
				awk -v t=$t -v ns="$ns" "FNR > 1 { print t, ns, \$0 }" \
					/proc/$pid/net/$t
			done
		done' <"$W/kptr.netns" >"$W/kptr$level.userprocnet"
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
# ROWS is the pointer PROCNET ("TABLE NETNS LINE") shows for it in its
# netns: by inode, or where that is 0 (sockets no fd holds: TIME_WAIT,
# requests, children not accepted, orphans) by state and addresses, which
# one socket has at a time; and (ZEROS=yes) every
# SOCK is zero or (no) none is. Until the kernel's random pool is ready,
# which in a guest without a hardware RNG may take a while, %p hashes
# nothing and prints "(____ptrval____)" (lib/vsprintf.c), in /proc/net/tcp
# as here.
kptr_compare() {
	awkl '
	FNR == NR {
		ns = $2
		$0 = strip(2)
		if ($10 !~ /^[0-9]+$/)
			next
		k = ns " " ($10 != 0 ? $10 : tcp_state($4) " " addr($2) " " addr($3))
		# Two sockets with one key: no answer. (Two statements: busybox
		# awk makes ptr[k] before it evaluates the right-hand side.)
		p = (k in ptr) ? "?" : substr("0000000000000000", length($12) + 1) tolower($12)
		ptr[k] = p
		next
	}
	FNR == 1 { next }
	$SOCK !~ /^[0-9a-f]{16}$/ && $SOCK != "(____ptrval____)" {
		print who ": SOCK is not 16 hex digits: " $0
	}
	$SOCK != "0000000000000000" { nonzero++ }
	$PROTO == "TCP" || $PROTO == "UDP" {
		n++
		k = $NETNS " " ($INODE != 0 ? $INODE : $STATE " " $LOCAL " " $REMOTE)
		differ(who ": inode " $INODE " " $STATE " " $LOCAL " " $REMOTE " SOCK", $SOCK, k in ptr ? ptr[k] : "?")
	}
	$SOCK == "0000000000000000" { zero++ }
	END {
		if (!n) print who ": no TCP/UDP rows to compare"
		if (zeros == "no" && zero) print who ": " zero " SOCK values are zero"
		if (zeros == "yes" && nonzero) print who ": " nonzero " SOCK values are not zero"
	}' who="$1" zeros="$2" "$3" "$4"
}

# Uid 1000 sees exactly the socket fds it can readlink: its own.
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
	ns=$(readlink /proc/self/ns/net)
	# Sockets no fd holds are found by state and addresses (inode 0), in
	# the reader's own netns, whose /proc/net it read.
	awkl '
	FNR == NR {
		$0 = strip(2)
		if ($10 !~ /^[0-9]+$/)
			next
		k = $10 != 0 ? $10 : tcp_state($4) " " addr($2) " " addr($3)
		u = (k in uid) ? "?" : $8
		uid[k] = u
		next
	}
	FNR == 1 || $PROTO != "TCP" && $PROTO != "UDP" { next }
	$PID == "-" && "net:[" $NETNS "]" != ns { next }
	{
		n++
		k = $INODE != 0 ? $INODE : $STATE " " $LOCAL " " $REMOTE
		differ("inode " $INODE " " $STATE " " $LOCAL " " $REMOTE " UID", $UID, k in uid ? uid[k] : "?")
		if ($PID == zoo) zoo_seen = 1
	}
	END {
		if (!n) print "no TCP/UDP rows seen from the user namespace"
		if (!zoo_seen) print "its sockzoo (" zoo ") not seen"
	}' zoo="${inner:-none}" ns="$ns" "$dir/procnet.x" "$dir/rows"
	awkl '$PID == zoo && $UID == 0 { f = 1 } END { exit !f }' \
		zoo="${inner:-none}" "$dir/rows" ||
		echo "no row of sockzoo $inner shows UID 0 (uid $USER_ID mapped to 0)"
}

# What a file opened by uid 1000 shows is decided at open(): read by
# root afterwards, it still shows only uid 1000's rows.
check_opener() {
	"$ZOO" readas "$USER_ID" "$SOCKMAP" >"$W/opener.rows" ||
		{ echo "sockzoo readas failed"; return 1; }
	rows_keys "$W/opener.rows" >"$W/opener.keys"
	as_user sh "$ME" fds | awk '{ print $1, $2, $3 }' >"$W/opener.truth"
	same_set "rows of a file opened by uid $USER_ID, read by root" \
		"$W/opener.keys" "$W/opener.truth"
}

# In a new pid namespace (with its own /proc) only that namespace's
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

# A reader in a Landlock domain (any ruleset: this one handles
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

# A procfs mounted with hidepid=invisible: uid 1000 reading its
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
