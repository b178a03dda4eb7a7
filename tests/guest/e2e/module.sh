# SPDX-License-Identifier: GPL-2.0
# The module's life: no writer, unload and load cycles, an unload in the
# middle of a read, and a kernel log with no warning.
#
# shellcheck shell=sh disable=SC2016 # awk programs and su -c are single-quoted

# /proc/sockmap refuses writers, even root, with EACCES.
check_write() {
	mode=$(stat -c %a "$SOCKMAP")
	[ "$mode" = 444 ] || echo "mode is $mode, not 444"
	for who in root user; do
		run=
		[ $who = user ] && run=as_user
		for redir in '>' '>>' '1<>'; do
			err=$($run sh -c "echo x $redir $SOCKMAP" 2>&1) &&
				{ echo "$who: 'echo x $redir $SOCKMAP' succeeded"; continue; }
			case $err in
			*"Permission denied"*) ;;
			*) echo "$who: 'echo x $redir $SOCKMAP' failed with: $err" ;;
			esac
		done
	done
	head -n 1 "$SOCKMAP" | grep -q '^PID' || echo "unreadable after the writes"
}

# Three unload/load cycles; then an unload while a reader holds the
# file open in the middle of its output and another keeps reading.
check_reload() {
	for i in 1 2 3; do
		rmmod sockmap || { echo "cycle $i: rmmod failed"; return 1; }
		[ ! -e "$SOCKMAP" ] || echo "cycle $i: $SOCKMAP still there after rmmod"
		insmod "$KO" || { echo "cycle $i: insmod failed"; return 1; }
		head -n 1 "$SOCKMAP" | grep -q '^PID' || echo "cycle $i: no header"
		cat "$SOCKMAP" >/dev/null || echo "cycle $i: cat failed"
	done
}

check_rmmod_mid_read() {
	exec 4<"$SOCKMAP"
	got=$(dd bs=1 count=100 <&4 2>/dev/null | wc -c)
	[ "$got" -eq 100 ] || echo "first read got $got bytes, not 100"
	(while cat "$SOCKMAP" >/dev/null 2>&1; do :; done) &
	loop=$!
	sleep 0.2
	rmmod sockmap || { echo "rmmod failed with a reader holding the file"; kill "$loop"; }
	[ ! -e "$SOCKMAP" ] || echo "$SOCKMAP still there after rmmod"
	if dd bs=1 count=100 <&4 >"$W/after" 2>"$W/after.err"; then
		echo "a read after rmmod succeeded with $(wc -c <"$W/after") bytes"
	fi
	echo "read after rmmod: $(tail -n 1 "$W/after.err")" >&3
	exec 4<&-
	wait "$loop"
	insmod "$KO" || echo "insmod after all that failed"
	[ -e "$SOCKMAP" ] || echo "no $SOCKMAP after insmod"
}

# The kernel said nothing bad during the whole run.
check_dmesg() {
	dmesg | grep -E "$BAD_DMESG" | head -n 20
}
