# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Checks that keep the documentation true to the module, sourced by the
# scripts that have what they compare:
#
#	- docs_header_checks HEADER (scripts/demo --check): HEADER is the
#	  header line the module printed in the VM, the one source of the
#	  column names that no document can drift from. README's sample
#	  output must start with it, README's column list and the OUTPUT
#	  COLUMNS of docs/sockmap.5.md must name its columns, in its order.
#	  A KTAP result per check (scripts/lib/ktap.sh, which the caller
#	  sources), the difference as diagnostics.
#	- docs_tracker_numbers (scripts/style): no prose or comment of the
#	  tree cites a tracker number, which a reader of the repository
#	  cannot follow. Prints each offending line; fails if there is one.
#	- docs_links (scripts/style): the links of README and docs/ resolve.
#
# Needs $SOCKMAP_TOP (scripts/lib/common.sh).

# The files whose text a reader of the repository reads.
DOCS_TREE="README.md docs module include kunit scripts tests labs bench exporter"

# "issue N", "change N", "task N", "stop N" (plural, "#N" too), but not a
# number with a unit, as in "each task 148 ms".
DOCS_TRACKER_RE='\b(issue|change|task|stop)s? #?[0-9]+(?![0-9.,]*\s?((ms|s|µs|us|ns|KiB|MiB|GiB|kB|MB|GB|bytes?)\b|%|×))'

# docs_words - stdin's whitespace-separated words, one line, one space apart.
docs_words() {
	tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'
}

# docs_readme_sample FILE - the first line of FILE's fenced blocks that
# starts with "PID ": the header of README's sample output.
docs_readme_sample() {
	awk '/^```/ { fence = !fence; next }
		fence && /^PID / { print; exit }' "$1"
}

# docs_readme_columns FILE - the names of README's column list: the
# "- `NAME` - ..." items of its "Reading /proc/sockmap" section.
docs_readme_columns() {
	awk '/^## / { on = ($0 == "## Reading /proc/sockmap") }
		on && /^- `[A-Z_]+`/ { split($0, f, "`"); print f[2] }' "$1"
}

# docs_reference_columns FILE - the columns docs/sockmap.5.md describes:
# the "### NAME <type>" headings of its OUTPUT COLUMNS section.
docs_reference_columns() {
	awk '/^## / { on = ($0 == "## OUTPUT COLUMNS") }
		on && /^### / { print $2 }' "$1"
}

# docs_expect NAME GOT WANT - a result: passed when GOT equals WANT, else
# failed, with both.
docs_expect() {
	if [ "$2" = "$3" ]; then
		ktap_pass "$1"
		return 0
	fi
	ktap_fail "$1" "module: $3
docs:   $2"
	return 1
}

# docs_header_checks HEADER - README and docs/ against the module's header.
docs_header_checks() {
	local want readme=$SOCKMAP_TOP/README.md ref=$SOCKMAP_TOP/docs/sockmap.5.md rc=0
	want=$(echo "$1" | docs_words)
	if [ -z "$want" ]; then
		ktap_fail "docs: the module printed no header to compare with"
		return 1
	fi
	docs_expect "docs: README's sample header is the module's" \
		"$(docs_readme_sample "$readme" | docs_words)" "$want" || rc=1
	docs_expect "docs: README's column list names every column, in order" \
		"$(docs_readme_columns "$readme" | docs_words)" "$want" || rc=1
	docs_expect "docs: docs/sockmap.5.md describes every column, in order" \
		"$(docs_reference_columns "$ref" | docs_words)" "$want" || rc=1
	return "$rc"
}

# docs_tracker_numbers - every line of the tree's text that cites a
# tracker number; fails when there is one. The files are git's (tracked,
# and new ones not ignored), or every file when this is no checkout.
docs_tracker_numbers() {
	local files hits
	# shellcheck disable=SC2086 # a list of paths
	if git -C "$SOCKMAP_TOP" rev-parse --git-dir >/dev/null 2>&1; then
		files=$(cd "$SOCKMAP_TOP" && git ls-files -co --exclude-standard -- $DOCS_TREE)
	else
		files=$(cd "$SOCKMAP_TOP" && find $DOCS_TREE -type f 2>/dev/null)
	fi
	# shellcheck disable=SC2086 # a list of paths, none with a space
	hits=$(cd "$SOCKMAP_TOP" && [ -n "$files" ] &&
		grep -nIiP -- "$DOCS_TRACKER_RE" $files)
	[ -z "$hits" ] && return 0
	echo "$hits"
	echo "say the reason in words: a tracker's numbers mean nothing in the tree"
	return 1
}

# docs_links - every relative link of README.md and docs/*.md leads to a
# file or directory of the tree (its #anchor is not checked); prints each
# that does not and fails if there is one.
docs_links() {
	local md link target rc=0
	for md in "$SOCKMAP_TOP"/README.md "$SOCKMAP_TOP"/docs/*.md; do
		while read -r link; do
			case $link in
			http://* | https://* | mailto:* | '#'*) continue ;;
			esac
			target=$(dirname "$md")/${link%%#*}
			[ -e "$target" ] && continue
			echo "${md#"$SOCKMAP_TOP"/}: no such file: $link"
			rc=1
		done < <(grep -oE '\]\([^) ]+\)' "$md" | sed 's/^](//; s/)$//')
	done
	return "$rc"
}
