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
	run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >&2
}

apt_update_once() {
	local stamp=$SOCKMAP_CACHE/.apt-updated
	[ -n "$(find "$stamp" -mmin -720 2>/dev/null)" ] && return 0
	run apt-get update -q >&2
	touch "$stamp"
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
kernel_release() {
	local image
	apt_update_once
	image=$(first_dependency "$1")
	[ -n "$image" ] || die "apt knows no package behind $1"
	echo "${image#linux-image-}"
}

# kernel_root META - download and unpack (never install) a Debian kernel:
# image, modules, headers, common headers and kbuild scripts, all under one
# root directory in the cache. Prints that root. Inside it:
#   boot/vmlinuz-$REL, lib/modules/$REL, usr/src/linux-headers-$REL (a KDIR).
kernel_root() {
	local rel root
	rel=$(kernel_release "$1")
	root=$SOCKMAP_CACHE/kernels/$rel
	[ -f "$root/.complete" ] || with_lock "kernel-$rel" fetch_kernel "$rel" "$root"
	echo "$root"
}

fetch_kernel() {
	local rel=$1 root=$2 debs pkg deb
	[ -f "$root/.complete" ] && return 0
	need_packages dpkg-dev xz-utils
	debs=$SOCKMAP_CACHE/debs
	mkdir -p "$debs"
	rm -rf "$root" && mkdir -p "$root"
	for pkg in "linux-image-$rel" "linux-headers-$rel" \
		   $(apt-cache depends "linux-headers-$rel" |
		     awk '/Depends: linux-(headers-.*-common|kbuild-)/ { print $2 }'); do
		deb=$(ls -t "$debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
		if [ -z "$deb" ]; then
			(cd "$debs" && run apt-get download -q "$pkg" >&2)
			deb=$(ls -t "$debs/${pkg}"_*.deb | head -n 1)
		fi
		run dpkg -x "$deb" "$root"
	done
	# Debian's header Makefile includes the common tree by absolute path.
	sed -i "s|include /usr/src/|include $root/usr/src/|" \
		"$root/usr/src/linux-headers-$rel/Makefile"
	touch "$root/.complete"
}

# kernel_kdir ROOT - the headers (KDIR) inside a kernel_root.
kernel_kdir() {
	local d
	d=$(ls -d "$1"/usr/src/linux-headers-*-amd64 | head -n 1)
	[ -d "$d" ] || die "no headers under $1"
	echo "$d"
}

# kernel_vmlinuz ROOT - the bootable image inside a kernel_root.
kernel_vmlinuz() {
	ls "$1"/boot/vmlinuz-* | head -n 1
}

# linux_source_tree - Debian's linux-source-6.12, unpacked once in the cache.
# Prints the tree's path. Callers build out of tree (O=...) so that KUnit's
# UML build and the debug kernel share one pristine source.
linux_source_tree() {
	local tree=$SOCKMAP_CACHE/linux-source-6.12
	[ -f "$tree/.complete" ] || with_lock linux-source unpack_linux_source "$tree"
	echo "$tree"
}

unpack_linux_source() {
	local tree=$1 tarball
	[ -f "$tree/.complete" ] && return 0
	need_packages linux-source-6.12 xz-utils
	tarball=$(ls /usr/src/linux-source-6.12*.tar.* | head -n 1)
	rm -rf "$tree" "$tree.tmp" && mkdir -p "$tree.tmp"
	run tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
	mv "$tree.tmp" "$tree"
	touch "$tree/.complete"
}
