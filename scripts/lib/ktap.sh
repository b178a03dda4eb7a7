# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# KTAP, the test protocol of KUnit and the kernel's selftests
# (Documentation/dev-tools/ktap.rst; modelled on the kernel's
# tools/testing/selftests/kselftest/ktap_helpers.sh), which every part of
# `make check` speaks. Source it; do not run it. Plain POSIX sh: the host's
# bash scripts use it, and so do the payloads in the guest's busybox sh
# (vm_initramfs puts this file at /lib/ktap.sh there).
#
# A part's output, as scripts/check reads it:
#
#	KTAP version 1
#	1..3			the plan: first when the count is known,
#				else last (ktap_finish prints it then)
#	ok 1 6.12 header
#	# got 'x', want 'y'	diagnostics: a failure's why, just before it
#	not ok 2 6.12 fd-set
#	ok 3 5.10 landlock-visibility # SKIP no Landlock before 5.13
#	# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0
#
# Every check of a part is one result at the top level: a part that runs
# on several kernels flattens them, with the kernel first in the name
# (the guest's own results are relayed that way, renumbered: ktap_relay).
# A "#" in a name would start a directive: it is written as "_". Other
# lines (build logs, the demo's table) are allowed anywhere and ignored.
# A skipped check is counted neither way: a part whose skips must count
# as failures says "not ok" for them itself.

KTAP_TESTNO=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KTAP_PLAN=

# ktap_header - the version line, the first of a KTAP document; counts
# from zero again.
ktap_header() {
	KTAP_TESTNO=0 KTAP_PASS=0 KTAP_FAIL=0 KTAP_SKIP=0 KTAP_PLAN=
	echo "KTAP version 1"
}

# ktap_plan N - the plan, when the number of results is known first.
ktap_plan() {
	KTAP_PLAN=$1
	echo "1..$1"
}

# ktap_name TEXT - TEXT fit for a result line: one line, no "#".
ktap_name() {
	case $1 in
	*'#'* | *'
'*) printf '%s\n' "$1" | tr '#\n' '_ ' | sed 's/ $//' ;;
	*) printf '%s\n' "$1" ;;
	esac
}

# ktap_diag TEXT - TEXT as diagnostic lines, each led by "# ".
ktap_diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# ktap_comment - stdin as diagnostic lines (a log, a diff, a report).
ktap_comment() {
	sed 's/^/# /'
}

# ktap_indent - stdin indented as a subtest's lines are: the output of a
# command that speaks KTAP itself, nested under the result that ran it.
ktap_indent() {
	sed 's/^/    /'
}

# ktap_pass NAME, ktap_fail NAME [WHY], ktap_skip NAME REASON - one
# result. WHY, when given, goes before the result as diagnostics.
ktap_pass() {
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_TESTNO $(ktap_name "$1")"
}

ktap_fail() {
	if [ -n "${2:-}" ]; then
		ktap_diag "$2"
	fi
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_TESTNO $(ktap_name "$1")"
}

ktap_skip() {
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_TESTNO $(ktap_name "$1") # SKIP $(ktap_name "$2")"
}

# ktap_result NAME STATUS [WHY] - ktap_pass when STATUS is 0, else
# ktap_fail.
ktap_result() {
	if [ "$2" -eq 0 ]; then
		ktap_pass "$1"
	else
		ktap_fail "$1" "${3:-}"
	fi
}

# ktap_finish - the plan, if none was printed first, and the totals.
# Succeeds when nothing failed and the plan was met.
ktap_finish() {
	if [ -z "$KTAP_PLAN" ]; then
		KTAP_PLAN=$KTAP_TESTNO
		echo "1..$KTAP_PLAN"
	fi
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	[ "$KTAP_FAIL" -eq 0 ] && [ "$KTAP_TESTNO" -eq "$KTAP_PLAN" ]
}

# ktap_relay PREFIX - stdin is another KTAP document (a guest's, or a
# child script's): its results become results of this one, renumbered,
# named "PREFIX NAME", their directives kept; its diagnostics and other
# lines pass through; its version line, plan and totals do not. Sets
# KTAP_RELAYED (the results read) and KTAP_RELAY_PLAN (its plan, or "").
# A SKIP is relayed as it is: the caller judges skips before (see
# scripts/e2e). Run it in the current shell (redirect, do not pipe), so
# that the counts stay.
ktap_relay() {
	KTAP_RELAYED=0
	KTAP_RELAY_PLAN=
	while IFS= read -r _ktap_line; do
		case $_ktap_line in
		"KTAP version "* | "# Totals: "*) ;;
		1..[0-9]*)
			KTAP_RELAY_PLAN=${_ktap_line#1..}
			KTAP_RELAY_PLAN=${KTAP_RELAY_PLAN%% *}
			;;
		"ok "[0-9]* | "not ok "[0-9]*)
			KTAP_RELAYED=$((KTAP_RELAYED + 1))
			ktap_relay_one "$1${1:+ }" "$_ktap_line"
			;;
		*) printf '%s\n' "$_ktap_line" ;;
		esac
	done
}

# ktap_relay_one PREFIX LINE - one result line of ktap_relay.
ktap_relay_one() {
	_ktap_rest=${2#not }
	_ktap_rest=${_ktap_rest#ok }
	_ktap_rest=${_ktap_rest#* }
	_ktap_what=${_ktap_rest%%" # "*}
	case $_ktap_rest in
	*" # SKIP"* | *" # skip"*)
		_ktap_rest=${_ktap_rest#*" # "[Ss][Kk][Ii][Pp]}
		ktap_skip "$1$_ktap_what" "${_ktap_rest# }"
		;;
	*)
		case $2 in
		"ok "*) ktap_pass "$1$_ktap_what" ;;
		*) ktap_fail "$1$_ktap_what" ;;
		esac
		;;
	esac
}

# ktap_count FILE - check that FILE holds one well-formed KTAP document at
# its top level (lines not indented; other lines are ignored): a version
# line before any result, results numbered 1, 2, 3..., one plan, before
# the first result or after the last, equal to the number of results; no
# "Bail out!". Prints "PASSED FAILED SKIPPED" of the top level (a SKIP is
# an "ok" with that directive), and each problem found as a line "ktap:
# WHAT" on stderr. Fails when there was a problem.
ktap_count() {
	awk '
	function bad(what) { print "ktap: " what > "/dev/stderr"; errors++ }
	/^KTAP version / {
		if ($0 != "KTAP version 1")
			bad("version line \"" $0 "\": want KTAP version 1")
		if (version)
			bad("a second version line, at line " NR)
		version = 1
		next
	}
	/^1\.\.[0-9]+( |$)/ {
		if (!version)
			bad("the plan comes before the version line")
		if (plan != "")
			bad("a second plan, at line " NR)
		plan = substr($1, 4) + 0
		late = n > 0
		next
	}
	/^(not )?ok [0-9]+( |$)/ {
		num = $1 == "not" ? $3 : $2
		if (!version && !n)
			bad("a result before the version line, at line " NR)
		if (late)
			bad("a result after the plan at the end, at line " NR)
		n++
		if (num + 0 != n)
			bad("result " num " where " n " was due, at line " NR)
		if ($0 ~ /^ok .* # [Ss][Kk][Ii][Pp]/)
			s++
		else if ($1 == "ok")
			p++
		else
			f++
		next
	}
	/^Bail out!/ { bad("it bailed out: " $0) }
	END {
		if (!version)
			bad("no version line")
		if (plan == "")
			bad("no plan")
		else if (plan != n)
			bad("the plan says " plan " results, there are " n)
		print p + 0, f + 0, s + 0
		exit errors > 0
	}' "$1"
}
