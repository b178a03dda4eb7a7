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
	run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get could not install: ${missing[*]}"
}

apt_update_once() {
	local stamp=$SOCKMAP_CACHE/.apt-updated
	[ -n "$(find "$stamp" -mmin -720 2>/dev/null)" ] && return 0
	run apt-get update -q >&2 || die "apt-get update failed"
	touch "$stamp"
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

# first_dependency PKG - the package a Debian meta-package points at,
# e.g. linux-image-amd64 -> linux-image-6.1.0-56-amd64.
first_dependency() {
	apt-cache depends --no-recommends --no-suggests "$1" 2>/dev/null |
		awk '/^ *\|?Depends:/ && $2 !~ /^</ { print $2; exit }'
}

# kernel_release META - the release (uname -r) that META stands for today,
# e.g. linux-image-6.12-amd64 -> 6.12.117+deb12-amd64.
#
# These kernel functions are called in command substitutions, where bash
# does not stop at errors: each step checks its status, and a failure
# exits that subshell non-zero, so call them as `x=$(kernel_root META) ||
# exit 1`, one per assignment, never nested inside another command's
# arguments.
kernel_release() {
	local image
	apt_update_once
	apt_require "$1"
	image=$(first_dependency "$1")
	[ -n "$image" ] || die "apt knows no linux-image package behind $1"
	echo "${image#linux-image-}"
}

# kernel_root META - download and unpack (never install) a Debian kernel:
# image, modules, headers, common headers and kbuild scripts, all under one
# root directory in the cache. Prints that root. Inside it:
#   boot/vmlinuz-$REL, lib/modules/$REL, usr/src/linux-headers-$REL (a KDIR).
# What the headers and kbuild packages Depend on (gcc, pahole, ...) is
# installed on the host, as apt would when installing them (.depends).
kernel_root() {
	local rel root
	rel=$(kernel_release "$1") || exit 1
	root=$SOCKMAP_CACHE/kernels/$rel
	kernel_root_complete "$root" ||
		with_lock "kernel-$rel" fetch_kernel "$rel" "$root" || exit 1
	# shellcheck disable=SC2046 # one package name per line
	need_packages $(cat "$root/.depends") || exit 1
	echo "$root"
}

kernel_root_complete() {
	[ -f "$1/.complete" ] && [ -f "$1/.depends" ]
}

fetch_kernel() {
	local rel=$1 root=$2 debs pkg deb pkgs
	kernel_root_complete "$root" && return 0
	[ -n "$rel" ] || die "fetch_kernel: no release"
	need_packages dpkg-dev xz-utils || exit 1
	debs=$SOCKMAP_CACHE/debs
	mkdir -p "$debs"
	rm -rf "$root"
	mkdir -p "$root" || die "cannot make $root"
	pkgs=$(apt-cache depends "linux-headers-$rel" |
		awk '/Depends: linux-(headers-.*-common|kbuild-)/ { print $2 }') ||
		die "apt-cache depends linux-headers-$rel failed"
	pkgs="linux-image-$rel linux-headers-$rel $pkgs"
	for pkg in $pkgs; do
		deb=$(ls -t "$debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
		if [ -z "$deb" ]; then
			(cd "$debs" && run apt-get download -q "$pkg" >&2) ||
				die "apt-get download $pkg failed"
			deb=$(ls -t "$debs/${pkg}"_*.deb | head -n 1)
		fi
		run dpkg -x "$deb" "$root" || die "cannot unpack $deb"
		# What building against these headers needs on the host.
		# shellcheck disable=SC2086 # a list of package names
		case $pkg in
		linux-image-*) ;;
		*) deb_depends "$deb" $pkgs ;;
		esac
	done >"$root/.depends.tmp" || exit 1
	# Debian's header Makefile includes the common tree by absolute path.
	sed -i "s|include /usr/src/|include $root/usr/src/|" \
		"$root/usr/src/linux-headers-$rel/Makefile" || die "no headers in $root"
	sort -u "$root/.depends.tmp" >"$root/.depends" && rm "$root/.depends.tmp"
	touch "$root/.complete"
}

# deb_depends DEB UNPACKED... - the packages DEB Depends on, one a line, as
# apt would install them: the first of each group of alternatives, and
# nothing for a group that one of the UNPACKED packages satisfies.
deb_depends() {
	local deb=$1
	shift
	dpkg-deb -f "$deb" Depends | tr ',' '\n' |
		awk -v unpacked="$*" '
		BEGIN { n = split(unpacked, u, " "); for (i = 1; i <= n; i++) have[u[i]] = 1 }
		{
			gsub(/\([^)]*\)|:any/, "")
			n = split($0, alt, "|")
			first = ""
			for (i = 1; i <= n; i++) {
				gsub(/[ \t]/, "", alt[i])
				if (alt[i] in have) next
				if (first == "") first = alt[i]
			}
			if (first != "") print first
		}'
}

# kernel_kdir ROOT - the headers (KDIR) inside a kernel_root.
kernel_kdir() {
	local d
	d=$(ls -d "$1"/usr/src/linux-headers-*-amd64 2>/dev/null | head -n 1)
	[ -d "${d:-/nonexistent}" ] || die "no headers under ${1:-(no kernel root)}"
	echo "$d"
}

# kernel_vmlinuz ROOT - the bootable image inside a kernel_root.
kernel_vmlinuz() {
	local f
	f=$(ls "$1"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	[ -n "$f" ] || die "no kernel image under ${1:-(no kernel root)}"
	echo "$f"
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
