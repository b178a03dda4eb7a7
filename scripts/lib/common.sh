# SPDX-License-Identifier: GPL-2.0
# Shared helpers for sockmap's scripts. Source it; do not run it.
#
# Everything downloaded or built lives in $SOCKMAP_CACHE, outside the
# checkout, so a second run is fast and a fresh machine starts from scratch.

set -euo pipefail

SOCKMAP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SOCKMAP_CACHE=${SOCKMAP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sockmap}
mkdir -p "$SOCKMAP_CACHE"

log() { printf '>> %s\n' "$*" >&2; }
run() { log "$*"; "$@"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# need_packages PKG... - install the Debian packages that are missing.
need_packages() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "please install: ${missing[*]}"
	apt_update_once
	apt_require "${missing[@]}"
	log "apt-get install ${missing[*]}"
	apt_get_waiting env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get could not install: ${missing[*]}"
}

apt_update_once() {
	local stamp=$SOCKMAP_CACHE/.apt-updated
	[ -n "$(find "$stamp" -mmin -720 2>/dev/null)" ] && return 0
	log "apt-get update"
	apt_get_waiting apt-get update -q >&2 || die "apt-get update failed"
	touch "$stamp"
}

# How long an apt-get waits in all for a lock that another apt or dpkg
# holds (unattended-upgrades on a real Debian machine), in seconds.
SOCKMAP_APT_WAIT=${SOCKMAP_APT_WAIT:-900}

# apt_get_waiting CMD... - run CMD, an apt-get command line (possibly behind
# env, chroot or release_run), so that it waits for apt's and dpkg's locks
# instead of failing at once: a run that failed because a lock was taken
# (apt-get fails before it changes anything then) is tried again every two
# seconds. After $SOCKMAP_APT_WAIT seconds in all it stops, with one line
# that names the lock and its holder. (apt's own DPkg::Lock::Timeout covers
# dpkg's locks but not the lists' lock of `apt-get update`, and once it
# gives up it no longer names the holder.)
apt_get_waiting() {
	local deadline=$((SECONDS + SOCKMAP_APT_WAIT)) err rc said=0
	err=$(mktemp)
	while :; do
		rc=0
		"$@" 2>"$err" || rc=$?
		if [ "$rc" -eq 0 ] || ! apt_lock_error "$err"; then
			cat "$err" >&2
			rm -f "$err"
			return "$rc"
		fi
		if [ "$SECONDS" -gt "$deadline" ]; then
			die "apt: $(apt_lock_holder "$err") for over $SOCKMAP_APT_WAIT s; run again when it is done (SOCKMAP_APT_WAIT sets the wait)"
		fi
		[ "$said" = 1 ] || log "apt: $(apt_lock_holder "$err"); waiting up to $SOCKMAP_APT_WAIT s"
		said=1
		sleep 2
	done
}

# apt_lock_error FILE - whether apt's messages in FILE say a lock was busy.
apt_lock_error() {
	grep -qE 'Could not get lock|Unable to (lock|acquire the dpkg frontend lock)|dpkg frontend lock was locked' "$1"
}

# apt_lock_holder FILE - "LOCK is held by PROCESS", from apt's messages.
apt_lock_holder() {
	local lock who
	lock=$(sed -n 's/.*Could not get lock \([^ .]*\).*/\1/p; s/.*lock (\([^)]*\)).*/\1/p' "$1" | head -n 1)
	who=$(sed -n 's/.*It is held by process \([0-9]*\( ([^)]*)\)\{0,1\}\).*/\1/p' "$1" | head -n 1)
	echo "the lock ${lock:-of apt or dpkg} is held by ${who:+process }${who:-another apt or dpkg}"
}

# apt_require PKG... - die with one line unless apt can install every PKG.
# Lists older than the apt sources are refreshed once before giving up.
apt_require() {
	local pkg
	for pkg in "$@"; do
		apt_knows "$pkg" && continue
		rm -f "$SOCKMAP_CACHE/.apt-updated"
		apt_update_once
		apt_knows "$pkg" || apt_unknown "$pkg"
	done
}

# apt_knows PKG - whether apt has a version of PKG to install. (No grep -q:
# with pipefail, apt-cache's SIGPIPE would turn a match into a failure.)
apt_knows() {
	apt-cache policy "$1" 2>/dev/null | grep '^ *Candidate: [^(]' >/dev/null
}

# apt_unknown PKG - die: apt has no PKG; name the suites to enable, those of
# a standard installation of this release (e.g. bookworm-security, where
# Debian 12 keeps linux-image-6.12-amd64) that apt's sources lack.
apt_unknown() {
	local missing
	missing=$(apt_missing_suites | paste -sd ' ')
	[ -z "$missing" ] ||
		die "apt knows no package $1: enable the suite $missing in /etc/apt/sources.list (or sources.list.d), then run apt-get update"
	die "apt knows no package $1 in any of its suites ($(apt_suites | paste -sd ' '))"
}

# apt_suites - the suites (codenames) apt has lists for, e.g. bookworm-updates.
apt_suites() {
	apt-cache policy | sed -n 's/^ *release .*,n=\([^,]*\),.*/\1/p' | sort -u
}

# apt_missing_suites - which of RELEASE, RELEASE-updates and RELEASE-security
# (this host's release) apt has no lists for.
apt_missing_suites() {
	local codename have suite
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || return 0
	have=$(apt_suites)
	for suite in "$codename" "$codename-updates" "$codename-security"; do
		grep -qx -- "$suite" <<<"$have" || echo "$suite"
	done
}

# with_lock NAME CMD... - run CMD while holding $SOCKMAP_CACHE/NAME.lock, so
# that concurrent scripts never fill the same cache entry twice.
with_lock() {
	local name=$1
	shift
	(
		flock 9
		"$@"
	) 9>"$SOCKMAP_CACHE/$name.lock"
}

# linux_source_tree - Debian's linux-source-6.12, unpacked once in the cache.
# Prints the tree's path. Callers build out of tree (O=...) so that KUnit's
# UML build and the debug kernel share one pristine source.
linux_source_tree() {
	local tree=$SOCKMAP_CACHE/linux-source-6.12
	[ -f "$tree/.complete" ] ||
		with_lock linux-source unpack_linux_source "$tree" || exit 1
	echo "$tree"
}

unpack_linux_source() {
	local tree=$1 tarball
	[ -f "$tree/.complete" ] && return 0
	need_packages linux-source-6.12 xz-utils || exit 1
	tarball=$(ls /usr/src/linux-source-6.12*.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || die "linux-source-6.12 installed no tarball"
	rm -rf "$tree" "$tree.tmp" && mkdir -p "$tree.tmp"
	run tar -xf "$tarball" -C "$tree.tmp" --strip-components=1 ||
		die "cannot unpack $tarball"
	mv "$tree.tmp" "$tree"
	touch "$tree/.complete"
}
