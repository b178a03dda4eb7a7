# SPDX-License-Identifier: GPL-2.0
# CGROUP: the reader's view of each task's cgroup, in the initial cgroup
# namespace, in a new one, and after a move while the file is open.
#
# shellcheck shell=sh disable=SC2016 # awk programs and su -c are single-quoted

CG=/sys/fs/cgroup
CGTOOL=/workload/cgtool
# A cgroup whose name needs escaping twice over, and its parent (the
# kernel refuses a newline in a cgroup's name: a tab, then).
CG_A="$CG/svc a"
CG_B="$CG_A/$(printf 'in\tner')"
CG_B_ESC='/svc\040a/in\011ner'

# cgroup_truth ROWS - "TID ESCAPED" for every TID of ROWS whose
# /proc/TID/cgroup can still be read: its "0::" path, read whole (a
# cgroup name may hold a newline), escaped by lib.awk's esc().
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

# Every row's CGROUP against /proc/TID/cgroup, read by the same
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
	# The shell opens the output only once the fifo has a writer: made
	# now, it is there for the first wait_for's grep.
	: >"$W/cg.reread"
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
