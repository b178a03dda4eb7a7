#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The end-to-end checks, run inside the VM by /init (see tests/vm/vm.sh)
# with sockmap.ko loaded; scripts/e2e boots it on each kernel. Busybox sh
# and awk only, plus the real ss.
#
# Every check compares /proc/sockmap with a view of the kernel that sockmap
# does not produce: readlink/stat of /proc/PID/fd, /proc/net/*, ss. The
# checks are reported in KTAP (scripts/lib/ktap.sh, /lib/ktap.sh in the
# guest): "ok N name", or the why as "# " lines and "not ok N name"; a
# check that does not apply to this kernel is "ok N name # SKIP why". The
# script exits non-zero if any check failed, so /init withholds the
# success token.
#
# This file runs the checks in order. Each check is a function that prints
# one line per problem: silence means PASS. They live in $E2E (/e2e in the
# guest, tests/guest/e2e/ in the tree), one file per topic, over a
# shared library:
#	lib.sh		paths, workloads, the sources of truth, and the
#			columns of /proc/sockmap by name (awkl)
#	lib.awk		awk helpers: /proc/net's hex, escaping, comparing
#	rows.sh		the rows against /proc/net and ss; checks can fail
#	access.sh	who sees what: kptr, users, namespaces, Landlock, hidepid
#	bounds.sh	hostile layouts, read sizes, time and memory bounds
#	corner.sh	names with every byte, a stale peer, a vanished device
#	module.sh	no writers, reloads, rmmod mid-read, a clean dmesg
#	cgroup.sh	CGROUP, in and out of cgroup namespaces
#	netwalk.sh	holderless rows: sockets /proc/net lists, no fd holds
#
# Sub-commands, used to run a piece of the checks as another user, in
# another pid namespace or in a Landlock domain:
#	e2e.sh fds [PROC]	socket fds the caller can see in the procfs
#				mounted at PROC (/proc), "PID FD INODE UID"
#	e2e.sh inside DIR	the inside half of check_pidns, check_userns
#				and check_landlock: a sockzoo, /proc/sockmap,
#				fds and /proc/net seen in a namespace or domain
#	e2e.sh cgroupns DIR	the inside half of check_cgroup, in a new
#				cgroup namespace
#	e2e.sh netview DIR [PROC]	the reader's half of the holderless
#				visibility checks: /proc/sockmap and the
#				/proc/T/net tables the caller can read
#
# e2e_only=NAME,NAME on the kernel command line (scripts/e2e's
# E2E_CMDLINE) runs only those checks, after the setup: for working on one.
#
# shellcheck disable=SC2016 # awk programs and su -c are single-quoted

set -u

E2E=${e2e_dir:-/e2e}
# shellcheck source=scripts/lib/ktap.sh
. /lib/ktap.sh
# shellcheck source=tests/guest/e2e/lib.sh
. "$E2E/lib.sh"
# shellcheck source=tests/guest/e2e/rows.sh
. "$E2E/rows.sh"
# shellcheck source=tests/guest/e2e/access.sh
. "$E2E/access.sh"
# shellcheck source=tests/guest/e2e/bounds.sh
. "$E2E/bounds.sh"
# shellcheck source=tests/guest/e2e/corner.sh
. "$E2E/corner.sh"
# shellcheck source=tests/guest/e2e/module.sh
. "$E2E/module.sh"
# shellcheck source=tests/guest/e2e/cgroup.sh
. "$E2E/cgroup.sh"
# shellcheck source=tests/guest/e2e/netwalk.sh
. "$E2E/netwalk.sh"

# ---------------------------------------------------------------------------

TIMES=
CHECKS="header fd-set tcp-vs-procnet udp-vs-procnet tcp-vs-ss tcp-bytes-known-transfer unix-vs-procnet-ss
other-vs-procnet netns-inode checks-can-fail kptr-restrict uid-visibility userns-uid opener-creds pidns-visibility
landlock-visibility hidepid-visibility read-sizes thread-layout shared-procs small-reads names-escaped stale-peer packet-vanished
open-memory read-memory tid-reuse write-eacces reload-cycles rmmod-mid-read cgroup holderless-set
holderless-columns holderless-can-fail holderless-user holderless-netns holderless-hidepid holderless-landlock timewait-bounds
dmesg-clean"
# shellcheck disable=SC2154 # e2e_only comes from the kernel command line
[ -z "${e2e_only:-}" ] || CHECKS=$(echo "$e2e_only" | tr , ' ')

# check NAME FUNCTION... - run one check and report it. Notes the function
# writes to fd 3 are printed as "# note: ..." whatever the verdict, the
# why of a failure (what the function printed) as "# " lines. A function
# that returns 77 says the check does not apply to this kernel (its first
# line of output says why): SKIP, which scripts/e2e believes only of a
# kernel older than the one the why names.
check() {
	name=$1
	shift
	# No fork here: check_pidns counts the pids its inside half uses.
	for selected in $CHECKS; do
		[ "$selected" = "$name" ] && break
	done
	[ "$selected" = "$name" ] || return 0
	start=$(date +%s)
	"$@" >"$W/$name.why" 2>&1 3>"$W/$name.note"
	rc=$?
	TIMES="$TIMES $name=$(($(date +%s) - start))s"
	sed 's/^/# note: /' "$W/$name.note"
	if [ "$rc" -eq 0 ] && [ ! -s "$W/$name.why" ]; then
		ktap_pass "$name"
	elif [ "$rc" -eq 77 ]; then
		ktap_skip "$name" "$(head -n 1 "$W/$name.why")"
	else
		[ -s "$W/$name.why" ] || echo "exit status $rc" >"$W/$name.why"
		sed -n '1,30s/^/# /p' "$W/$name.why"
		ktap_fail "$name"
	fi
}

cleanup() {
	for pid in ${ROOT_ZOO:-} ${USER_ZOO:-}; do
		kill "$pid" 2>/dev/null
	done
	nw_stop
	wait 2>/dev/null
}

# setup - the workloads every check looks at: the full zoo as root and a
# small one as uid 1000, then a quiet snapshot.
setup() {
	start_zoo "$W/zoo.out" "$ZOO" zoo || return 1
	ROOT_ZOO=$(zoo_field "$W/zoo.out" pid)
	ZOO_WORKER=$(zoo_field "$W/zoo.out" worker)
	ZOO_NETNS=$(zoo_field "$W/zoo.out" netns)
	ZOO_THREAD=$(zoo_field "$W/zoo.out" thread)
	ZOO_SHARER=$(zoo_field "$W/zoo.out" sharer)
	start_zoo "$W/user.out" as_user "$ZOO" basic || return 1
	USER_ZOO=$(zoo_field "$W/user.out" pid)
	USER_NODUMP=$(zoo_field "$W/user.out" nodump)
	snapshot
}

main() {
	mkdir -p "$W"
	# The demo's checks first, as `scripts/demo --check` runs them (its
	# payload is /demo.sh here; it stops what it started when it exits).
	# The host reads them from the "check" section.
	if [ -f /demo.sh ]; then
		demo_mode=check sh /demo.sh >"$W/demo.log" 2>&1 ||
			echo "the demo's checks failed"
		sed -n '/^@@check-begin@@$/,/^@@check-end@@$/p' "$W/demo.log"
	fi
	echo "@@e2e-begin@@"
	ktap_header
	# shellcheck disable=SC2086 # names separated by blanks
	set -- $CHECKS
	ktap_plan $#
	# shellcheck disable=SC2086 # one line, names separated by blanks
	echo "# checks:" $CHECKS
	trap cleanup EXIT
	if ! setup >"$W/setup.log" 2>&1; then
		echo "# setup failed:"
		ktap_comment <"$W/setup.log"
		for name in $CHECKS; do
			ktap_fail "$name" "setup failed"
		done
		ktap_finish
		echo "@@e2e-end@@"
		return 1
	fi
	check header check_header
	check fd-set check_fd_set
	check tcp-vs-procnet check_inet TCP
	check udp-vs-procnet check_inet UDP
	check tcp-vs-ss check_tcp_ss
	check tcp-bytes-known-transfer check_bytes
	check unix-vs-procnet-ss check_unix
	check other-vs-procnet check_other
	check netns-inode check_netns
	check checks-can-fail check_can_fail
	check kptr-restrict check_kptr
	check uid-visibility check_uid
	check userns-uid check_userns
	check opener-creds check_opener
	check pidns-visibility check_pidns
	check landlock-visibility check_landlock
	check hidepid-visibility check_hidepid
	check read-sizes check_read_sizes
	check thread-layout check_layout
	check shared-procs check_shared_procs
	check small-reads check_small_reads
	check names-escaped check_names
	check stale-peer check_stale_peer
	check packet-vanished check_packet
	check open-memory check_open_memory
	check read-memory check_read_memory
	check tid-reuse check_tid_reuse
	check write-eacces check_write
	check reload-cycles check_reload
	check rmmod-mid-read check_rmmod_mid_read
	check cgroup check_cgroup
	check holderless-set check_holderless_set
	check holderless-columns check_holderless_columns
	check holderless-can-fail check_holderless_can_fail
	check holderless-user check_holderless_user
	check holderless-netns check_holderless_netns
	check holderless-hidepid check_holderless_hidepid
	check holderless-landlock check_holderless_landlock
	check timewait-bounds check_timewait_bounds
	check dmesg-clean check_dmesg
	echo "# times:$TIMES"
	status=0
	ktap_finish || status=1
	echo "@@e2e-end@@"
	# e2e_dump=1 on the kernel command line: show what the checks read.
	if [ "${e2e_dump:-0}" = 1 ]; then
		echo "@@e2e-dump-begin@@"
		for f in zoo.out user.out rows procnet ss; do
			echo "== $f"
			cat "$W/$f"
		done
		echo "@@e2e-dump-end@@"
	fi
	return "$status"
}

# The columns, as awk options (see columns): read once, from the header.
COLS=$(columns "$SOCKMAP")

case ${1:-} in
fds) fds "${2:-/proc}" ;;
inside) inside "$2" ;;
cgroupns) cgroupns_inside "$2" ;;
netview) netview "$2" "${3:-/proc}" ;;
"") main ;;
*) echo "usage: $0 [fds [PROC]|inside DIR|cgroupns DIR|netview DIR [PROC]]" >&2; exit 2 ;;
esac

