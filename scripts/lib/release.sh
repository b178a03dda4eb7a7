# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # sets variables for its callers
# Debian's kernels, each built the way a user of its release builds it: in
# a root of that release (debootstrap, cached), with the headers that
# release's apt installs and the compiler they name. Source it after
# common.sh and chroot.sh; do not run it.
#
#	kernel_select bookworm/linux-image-6.12-amd64
#		# sets KSUITE KRELROOT KREL KDIR KROOT VMLINUZ KSERIES
#	release_run "$KRELROOT" CMD...	# CMD inside that root
#
# A kernel is named SUITE/META: the Debian suite whose apt installs it
# and the meta-package that stands for it today, e.g.
# trixie-backports/linux-image-amd64. Nothing names a version: each run
# asks the suite's apt which kernel META stands for, so the set moves
# forward with Debian. SOCKMAP_KERNELS is every kernel series that
# Debian's archive ships for amd64; kernel_spec turns short names (6.12,
# unstable, ...) into such a pair.
#
# Roots live in $SOCKMAP_CACHE/releases/RELEASE-KEY, one per Debian
# release, made from chroot.sh's debootstrap tarball and rebuilt after a
# week. Their apt sources are a standard installation's (plus
# RELEASE-backports for trixie), on the host's mirrors. They are mounted
# (/proc, /sys, /dev) only while release_run runs a command inside, under a
# lock, so two scripts never use one root at the same time.
#
# What a root holds is decided in one place, release_packages, and
# installed in one step when the root is made; KEY is a hash of that list,
# so a changed list makes a new root from the bare base. Nothing else is
# ever left installed in a root but the headers of the kernels it builds
# for: release_need only checks that a package is on the list (it never
# installs), the DKMS test removes again what installing the package
# pulled in, and release_check_drift fails when a root holds anything
# else. So a root in a warm cache holds what a new one would: a step that
# needs a package that is not on the list fails on every machine, not only
# on a fresh one.

SOCKMAP_KERNELS="bullseye/linux-image-amd64 bookworm/linux-image-amd64
bookworm/linux-image-6.12-amd64 sid/linux-image-amd64
trixie-backports/linux-image-amd64"

# kernel_spec NAME - SUITE/META for NAME: SUITE/META itself; a bare
# meta-package (of the host's release, Debian 12); or one of the short
# names 5.10 (bullseye), 6.1 (bookworm), 6.12, unstable (sid), backports.
kernel_spec() {
	case $1 in
	*/*) echo "$1" ;;
	linux-image-*) echo "bookworm/$1" ;;
	5.10 | bullseye) echo bullseye/linux-image-amd64 ;;
	6.1 | bookworm) echo bookworm/linux-image-amd64 ;;
	6.12) echo bookworm/linux-image-6.12-amd64 ;;
	unstable | sid) echo sid/linux-image-amd64 ;;
	backports | trixie-backports) echo trixie-backports/linux-image-amd64 ;;
	*) die "no kernel named '$1' (try 5.10, 6.1, 6.12, unstable, backports or SUITE/META)" ;;
	esac
}

# release_of SUITE - the Debian release a suite belongs to.
release_of() {
	echo "${1%-backports}"
}

# release_packages RELEASE - what the root of RELEASE holds besides
# debootstrap's minimal base and the kernel headers (kernel_select): what
# that release's users have when they build a module, and what the steps
# run in that root need. apt resolves the rest.
release_packages() {
	# Building a module: the headers bring the compiler they were built
	# with, but not the assembler and linker, libc's headers or make.
	# W=1 runs kernel-doc (perl); C=2 runs sparse; xz-utils and zstd
	# unpack what apt downloads.
	echo binutils gcc libc6-dev make perl sparse xz-utils zstd
	case $1 in
	# scripts/deb builds the sockmap-dkms package here; scripts/fleet
	# runs Debian's node exporter in its guest and Debian's Prometheus
	# (and promtool) on the host, both taken from this root.
	bookworm) echo build-essential debhelper dh-dkms dpkg-dev \
		prometheus prometheus-node-exporter ;;
	# The newest source (trixie-backports or unstable): KUnit's UML
	# kernel and the stress test's debug kernels are built here.
	trixie | sid) echo bc bison cpio flex libelf-dev libssl-dev python3 ;;
	esac
}

# release_key RELEASE - what names the root of RELEASE: a hash of its
# package list (and of how the root is made), so that a changed list is a
# new root.
release_key() {
	{ release_packages "$1"; echo "root-format 2"; } | sha256sum | cut -c1-12
}

# release_root SUITE - the cached root of SUITE's release, made if needed,
# its apt lists at most 12 hours old. Prints its path.
release_root() {
	local release root
	release=$(release_of "$1")
	root=$SOCKMAP_CACHE/releases/$release-$(release_key "$release")
	if [ -z "$(find "$root/.complete" -mtime -7 2>/dev/null)" ]; then
		with_lock "release-$release" release_root_make "$release" "$root" ||
			exit 1
	fi
	if [ -z "$(find "$root/.apt-updated" -mmin -720 2>/dev/null)" ]; then
		apt_get_waiting release_run "$root" apt-get update -q >&2 ||
			die "apt-get update failed in the $release root"
		touch "$root/.apt-updated"
	fi
	echo "$root"
}

# release_root_make RELEASE ROOT - unpack the release's minimal root,
# write its apt sources, install release_packages; remove stale roots of
# RELEASE made from other lists.
release_root_make() {
	local release=$1 root=$2 base old
	[ -n "$(find "$root/.complete" -mtime -7 2>/dev/null)" ] && return 0
	need_packages debootstrap debian-archive-keyring || exit 1
	chroot_host_mirrors
	base=$SOCKMAP_CACHE/chroot/$release-minbase.tar.gz
	[ -n "$(find "$base" -mtime -7 2>/dev/null)" ] ||
		with_lock "chroot-$release" chroot_bootstrap "$release" "$base" || exit 1
	log "making the $release root: $root"
	release_root_remove "$root"
	mkdir -p "$root" || die "cannot make $root"
	tar -C "$root" --numeric-owner -xzf "$base" || die "cannot unpack $base"
	chmod 0755 "$root"
	{
		chroot_apt_sources "$release"
		[ "$release" != trixie ] || echo "deb $CHROOT_MIRROR trixie-backports main"
	} >"$root/etc/apt/sources.list"
	rm -f "$root"/etc/apt/sources.list.d/*
	# A mirror may serve a snapshot of a suite whose Release file has
	# expired (seen: sid, weeks old); its packages are still what it serves.
	echo 'Acquire::Check-Valid-Until "false";' \
		>"$root/etc/apt/apt.conf.d/99sockmap-snapshot"
	# Nothing here is kept: dpkg need not sync every file it unpacks.
	echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/sockmap-unsafe-io"
	apt_get_waiting release_run "$root" apt-get update -q >&2 ||
		die "apt-get update failed in the $release root"
	touch "$root/.apt-updated"
	# shellcheck disable=SC2046 # a list of package names
	release_apt "$root" "$(release_default_suite "$release")" install -y \
		--no-install-recommends $(release_packages "$release") >&2 ||
		die "cannot install the $release root's packages: $(release_packages "$release" | paste -sd ' ')"
	release_record "$root"
	touch "$root/.complete"
	# Roots of other lists go once they are stale: another checkout
	# (a branch, a throwaway clone) may still use one now.
	for old in "$SOCKMAP_CACHE/releases/$release"-*; do
		if [ "$old" = "$root" ] || [ ! -d "$old" ] ||
			[ -n "$(find "$old/.complete" -mtime -7 2>/dev/null)" ]; then
			continue
		fi
		log "removing a stale $release root of another package list: $old"
		release_root_remove "$old"
	done
}

# release_default_suite RELEASE - the suite a root's packages come from
# first: trixie's root is there for trixie-backports' kernel and source,
# whose headers would otherwise pull parts of the toolchain (libelf) from
# backports beside their trixie versions.
release_default_suite() {
	case $1 in
	trixie) echo trixie-backports ;;
	*) echo "$1" ;;
	esac
}

# release_installed ROOT - the packages installed in ROOT, one a line,
# whatever their state (a run killed halfway may leave some unconfigured).
# dpkg-query reads only dpkg's database: no mounts, no lock needed.
release_installed() {
	# shellcheck disable=SC2016 # dpkg-query's fields, not the shell's
	chroot "$1" dpkg-query -W -f='${db:Status-Status} ${Package}\n' |
		awk '$1 != "not-installed" && $1 != "config-files" { print $2 }' |
		LC_ALL=C sort
}

# release_record ROOT - remember what ROOT holds now, as what it should
# hold: after it is made and after kernel headers come or go.
release_record() {
	release_installed "$1" >"$1/.sockmap-packages"
}

# release_check_drift ROOT - fail, naming them, when ROOT holds packages
# that it did not hold when last recorded, or lacks some of them: a step
# installed or removed something and did not undo it, so a later step
# could come to depend on it.
release_check_drift() {
	local diff
	diff=$(release_installed "$1" | diff "$1/.sockmap-packages" - |
		sed -n 's/^> /+/p; s/^< /-/p' | paste -sd ' ') || true
	[ -z "$diff" ] && return 0
	echo "the root $1 holds other packages than it was made with: $diff" >&2
	return 1
}

# release_root_remove ROOT - unmount what is left under ROOT and delete it,
# under the lock release_run holds while it uses ROOT.
release_root_remove() {
	[ -d "$1" ] || return 0
	(
		flock 9
		chroot_unmount "$1" || die "cannot unmount everything under $1"
		rm -rf --one-file-system "$1"
	) 9>"$1.lock" || exit 1
}

# release_run ROOT CMD... - run CMD inside ROOT (as chroot_run does), with
# /proc, /sys and /dev mounted for the time it runs; under ROOT's lock.
# RELEASE_BINDS="DIR ..." (host directories, absolute paths) also mounts
# each DIR at the same path inside, for that time: a kernel tree built
# there names the same paths inside and out.
release_run() {
	local root=$1 dir
	shift
	(
		flock 9
		trap 'chroot_unmount "$root"' EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
		chroot_unmount "$root"	# what a killed run may have left
		chroot_mount "$root"
		for dir in ${RELEASE_BINDS:-}; do
			if ! { mkdir -p "$root$dir" &&
				mount --bind "$dir" "$root$dir"; }; then
				die "cannot mount $dir in $root"
			fi
		done
		chroot_run "$root" "$@"
	) 9>"$root.lock"
}

# release_need ROOT PKG... - a step's word that it needs PKG in ROOT: fail
# unless each PKG is on ROOT's release_packages list and installed. It
# installs nothing: what a root holds is decided in one place, whatever
# steps ran before.
release_need() {
	local root=$1 release pkg missing=()
	shift
	release=${root##*/}
	release=${release%-*}
	for pkg in "$@"; do
		grep -qxF "$pkg" <(release_packages "$release" | tr ' ' '\n') ||
			die "a step needs $pkg in the $release root, which release_packages (scripts/lib/release.sh) does not list: add it there"
		chroot "$root" dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] ||
		die "the $release root lacks ${missing[*]}, which it was made with: remove $root to make it again"
}

# release_apt ROOT SUITE CMD... - apt-get CMD in ROOT, noninteractive,
# as a user of SUITE runs it (see apt_target).
release_apt() {
	local root=$1 suite=$2
	shift 2
	apt_get_waiting release_run "$root" env DEBIAN_FRONTEND=noninteractive \
		apt-get -q -o APT::Default-Release="$(apt_target "$suite")" "$@"
}

# apt_target SUITE - what apt must prefer to install from SUITE: a
# backports user's `apt-get -t trixie-backports`; nothing for any other
# suite, where preferring the suite would hide its -security updates.
apt_target() {
	case $1 in
	*-backports) echo "$1" ;;
	esac
}

# kernel_select NAME - make the kernel NAME (see kernel_spec) ready to
# build for and boot, and set:
#	KSUITE		its suite, e.g. trixie-backports
#	KRELROOT	the root of its release, with its headers installed
#	KREL		its release (uname -r)
#	KSERIES		its series, e.g. 7.3
#	KDIR		its headers, a path inside KRELROOT (/usr/src/...)
#	KROOT		its image and modules, unpacked on the host
#	VMLINUZ		its bootable image
kernel_select() {
	local spec meta image
	spec=$(kernel_spec "$1") || exit 1
	KSUITE=${spec%%/*}
	meta=${spec#*/}
	KRELROOT=$(release_root "$KSUITE") || exit 1
	image=$(release_run "$KRELROOT" apt-cache \
		-o APT::Default-Release="$(apt_target "$KSUITE")" depends --no-recommends \
		--no-suggests "$meta" 2>/dev/null |
		awk '/^ *\|?Depends: linux-image-/ { print $2; exit }') || true
	[ -n "$image" ] ||
		die "the $(release_of "$KSUITE") root's apt knows no kernel behind $meta in $KSUITE"
	KREL=${image#linux-image-}
	KSERIES=$(echo "$KREL" | cut -d. -f1,2)
	KDIR=/usr/src/linux-headers-$KREL
	[ -e "$KRELROOT/$KDIR/Makefile" ] ||
		with_lock "headers-$KREL" kernel_headers_install "$KRELROOT" \
			"$KSUITE" "$KREL" || exit 1
	KROOT=$SOCKMAP_CACHE/kernels/$KREL
	[ -f "$KROOT/.complete" ] ||
		with_lock "kernel-$KREL" kernel_image_fetch "$KRELROOT" "$KSUITE" \
			"$KREL" "$KROOT" || exit 1
	VMLINUZ=$(kernel_vmlinuz "$KROOT") || exit 1
	log "kernel $KREL ($spec)"
}

# kernel_headers_install ROOT SUITE REL - what a user of that release
# installs to build a module: the headers of REL (which bring the compiler
# and tools they name) and make.
kernel_headers_install() {
	local root=$1 suite=$2 rel=$3
	[ -e "$root/usr/src/linux-headers-$rel/Makefile" ] && return 0
	release_apt "$root" "$suite" install -y --no-install-recommends \
		"linux-headers-$rel" >&2 ||
		die "cannot install linux-headers-$rel in the $(release_of "$suite") root"
	release_prune_kernels "$root" "$rel"
	release_record "$root"
}

# release_prune_kernels ROOT REL - purge from ROOT the headers and images of
# kernels that apt has moved on from (an older ABI of the same series),
# so that DKMS does not build for them too. Kept: REL, and the kernels of
# the other series of ROOT's release (bookworm has 6.1 and 6.12).
release_prune_kernels() {
	local root=$1 rel=$2 series status pkg old=()
	series=$(echo "$rel" | cut -d. -f1,2)
	while read -r status pkg; do
		[ "$status" = ii ] || continue
		case $pkg in
		*"-${rel%-amd64}" | *"-${rel%-amd64}-"*) ;;	# REL's own, -common too
		linux-headers-"$series".* | linux-image-"$series".*) old+=("$pkg") ;;
		esac
	done < <(release_run "$root" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
		'linux-headers-*' 'linux-image-*' 2>/dev/null)
	[ ${#old[@]} -eq 0 ] && return 0
	apt_get_waiting release_run "$root" env DEBIAN_FRONTEND=noninteractive \
		apt-get purge -y -q "${old[@]}" >&2 || log "cannot purge ${old[*]} in $root"
}

# kernel_image_fetch ROOT SUITE REL DIR - download (never install) the
# image of REL and, where it is split (linux-binary-REL, linux-modules-REL:
# 7.x), its parts, with the root's apt; unpack them into DIR on the host.
kernel_image_fetch() {
	local root=$1 suite=$2 rel=$3 dir=$4 pkgs pkg deb
	[ -f "$dir/.complete" ] && return 0
	pkgs=$(release_run "$root" apt-cache \
		-o APT::Default-Release="$(apt_target "$suite")" \
		depends "linux-image-$rel" 2>/dev/null |
		awk -v rel="$rel" '/^ *\|?Depends: linux-(binary|modules)-/ &&
			index($2, rel) { print $2 }' | sort -u | paste -sd " ") || true
	pkgs="linux-image-$rel $pkgs"
	mkdir -p "$root/var/cache/sockmap-debs"
	chmod 0777 "$root/var/cache/sockmap-debs"	# apt downloads as _apt
	# shellcheck disable=SC2086 # a list of package names
	apt_get_waiting release_run "$root" env -C /var/cache/sockmap-debs \
		apt-get -q -o APT::Default-Release="$(apt_target "$suite")" \
		download $pkgs >&2 ||
		die "cannot download $pkgs in the $(release_of "$suite") root"
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	for pkg in $pkgs; do
		deb=$(ls -t "$root/var/cache/sockmap-debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || die "apt-get download left no $pkg"
		run dpkg -x "$deb" "$dir.tmp" || die "cannot unpack $deb"
	done
	rm -f "$root"/var/cache/sockmap-debs/*.deb
	mv "$dir.tmp" "$dir"
	touch "$dir/.complete"
}

# kernel_vmlinuz KROOT - the bootable image in an unpacked kernel: in
# boot/ up to 6.x, in usr/lib/modules/REL/ where the image is split.
kernel_vmlinuz() {
	local f
	f=$(ls "$1"/boot/vmlinuz-* "$1"/usr/lib/modules/*/vmlinuz \
		"$1"/lib/modules/*/vmlinuz 2>/dev/null | head -n 1)
	[ -n "$f" ] || die "no kernel image under ${1:-(no kernel root)}"
	echo "$f"
}

# kernel_modules_dir KROOT - where an unpacked kernel keeps its modules.
kernel_modules_dir() {
	local d
	for d in "$1"/lib/modules/* "$1"/usr/lib/modules/*; do
		[ -d "$d/kernel" ] && { echo "$d"; return 0; }
	done
	die "no modules under $1"
}

# kernel_make SRC LOG [MAKE ARGS] - README's build, `make KVER=REL`, of a
# copy of the sources in SRC (a directory on the host), run in KRELROOT
# for the kernel kernel_select chose. The output goes to LOG; SRC gets the
# build's products (sockmap.ko). W=1 runs kernel-doc, a perl script that
# needs more of perl than a minimal root has; C=2 needs sparse.
kernel_make() {
	local src=$1 logf=$2 dir rc=0
	shift 2
	release_need "$KRELROOT" make gcc binutils libc6-dev perl
	case " $* " in *" C="*) release_need "$KRELROOT" sparse ;; esac
	dir=$(mktemp -d "$KRELROOT/root/sockmap-build.XXXXXX") || exit 1
	cp -a "$src/." "$dir/"
	release_run "$KRELROOT" make -j"$(nproc)" -C "/root/${dir##*/}" KVER="$KREL" "$@" \
		>"$logf" 2>&1 || rc=$?
	cp -a "$dir/." "$src/"
	rm -rf "$dir"
	return "$rc"
}

# What the Debian packages hold (scripts/deb), and what building them reads.
DKMS_DEB_SOURCES="Kbuild Kconfig Makefile dkms.conf module include debian exporter docs/exporter.md"

# dkms_deb - sockmap-dkms_VERSION_all.deb of the checkout, built once per
# content by scripts/deb in a bookworm root (so that its Build-Depends are
# proven, not taken from the host). Prints its path.
dkms_deb() {
	ls "$(sockmap_debs)"/sockmap-dkms_*_all.deb
}

# exporter_deb - sockmap-exporter_VERSION_ARCH.deb, from the same build.
exporter_deb() {
	ls "$(sockmap_debs)"/sockmap-exporter_*.deb
}

# sockmap_debs - the directory that holds both packages of the checkout,
# built if needed.
sockmap_debs() {
	local key dir
	# shellcheck disable=SC2086 # a list of names without spaces
	key=$(cd "$SOCKMAP_TOP" && find $DKMS_DEB_SOURCES scripts/deb \
		scripts/lib/common.sh -type f ! -name '*.o' ! -name '*.ko' \
		! -name '*.cmd' ! -name '*.mod' ! -name '*.mod.c' \
		! -path exporter/sockmap-exporter -print0 |
		sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
	dir=$SOCKMAP_CACHE/deb/$key
	if ! ls "$dir"/sockmap-exporter_*.deb >/dev/null 2>&1; then
		with_lock "deb-$key" dkms_deb_build "$dir" || exit 1
	fi
	echo "$dir"
}

dkms_deb_build() {
	local dir=$1 root tmp
	ls "$dir"/sockmap-exporter_*.deb >/dev/null 2>&1 && return 0
	root=$(release_root bookworm) || exit 1
	tmp=$(mktemp -d "$root/root/sockmap-deb.XXXXXX") || exit 1
	# shellcheck disable=SC2086 # a list of names without spaces
	tar -C "$SOCKMAP_TOP" --exclude='*.o' --exclude='*.ko' \
		--exclude='*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude=exporter/sockmap-exporter -cf - \
		$DKMS_DEB_SOURCES scripts/deb scripts/lib/common.sh |
		tar -C "$tmp" -xf -
	if ! release_run "$root" "/root/${tmp##*/}/scripts/deb" \
		"/root/${tmp##*/}/out" >"$tmp.log" 2>&1; then
		cat "$tmp.log" >&2
		rm -rf "$tmp" "$tmp.log"
		die "scripts/deb failed in the bookworm root"
	fi
	mkdir -p "$dir.tmp"
	mv "$tmp"/out/sockmap-dkms_*_all.deb "$tmp"/out/sockmap-exporter_*.deb \
		"$dir.tmp/"
	rm -rf "$tmp" "$tmp.log" "$dir"
	mv "$dir.tmp" "$dir"
}

# kernel_dkms_module OUT - OUT/sockmap.ko as DKMS builds it for the kernel
# kernel_select chose when a user of its release installs the package:
# `apt-get install ./sockmap-dkms_VERSION_all.deb` in the root of that
# release, which has the kernel's headers. The package is purged again
# afterwards; every module DKMS built then (one per kernel whose headers
# the root has) is kept in the cache, decompressed, under the package's
# hash. OUT/dkms.log gets apt's and DKMS's output.
kernel_dkms_module() {
	local out=$1 deb key
	deb=$(dkms_deb) || exit 1
	# The package and the root it is built in: a root made from another
	# package list builds anew.
	key=$({ sha256sum <"$deb"; echo "${KRELROOT##*/}"; } | sha256sum | cut -c1-16)
	if [ ! -f "$SOCKMAP_CACHE/dkms/$key-$KREL/sockmap.ko" ]; then
		with_lock "dkms-$(release_of "$KSUITE")" dkms_install "$deb" "$key" ||
			exit 1
	fi
	cp "$SOCKMAP_CACHE/dkms/$key-$KREL/dkms.log" "$out/dkms.log" 2>/dev/null || true
	[ -f "$SOCKMAP_CACHE/dkms/$key-$KREL/sockmap.ko" ] ||
		die "DKMS built no sockmap.ko for $KREL in the $(release_of "$KSUITE") root (see $out/dkms.log)"
	cp "$SOCKMAP_CACHE/dkms/$key-$KREL/sockmap.ko" "$out/sockmap.ko"
}

# dkms_install DEB KEY - install DEB in KRELROOT with apt, keep what DKMS
# built, purge it.
dkms_install() {
	local deb=$1 key=$2 logf ko rel dir pulled
	[ -f "$SOCKMAP_CACHE/dkms/$key-$KREL/sockmap.ko" ] && return 0
	mkdir -p "$SOCKMAP_CACHE/dkms"
	logf=$SOCKMAP_CACHE/dkms/$key.log
	cp "$deb" "$KRELROOT/root/"
	release_run "$KRELROOT" sh -c 'dpkg --purge sockmap-dkms || true' >"$logf" 2>&1
	release_apt "$KRELROOT" "$KSUITE" install -y --no-install-recommends \
		"/root/${deb##*/}" >>"$logf" 2>&1 ||
		log "apt-get install ${deb##*/} failed in the $(release_of "$KSUITE") root"
	for ko in "$KRELROOT"/lib/modules/*/updates/dkms/sockmap.ko*; do
		[ -f "$ko" ] || continue
		rel=${ko#"$KRELROOT"/lib/modules/}
		rel=${rel%%/*}
		dir=$SOCKMAP_CACHE/dkms/$key-$rel
		rm -rf "$dir" && mkdir -p "$dir"
		case $ko in
		*.xz) xz -dc "$ko" >"$dir/sockmap.ko" ;;
		*.zst) zstd -qdc "$ko" >"$dir/sockmap.ko" ;;
		*) cp "$ko" "$dir/sockmap.ko" ;;
		esac
		cp "$logf" "$dir/dkms.log"
	done
	# A failed build leaves its make.log, which the package purge removes.
	cat "$KRELROOT"/var/lib/dkms/sockmap/*/build/make.log >>"$logf" 2>/dev/null || true
	mkdir -p "$SOCKMAP_CACHE/dkms/$key-$KREL"
	cp "$logf" "$SOCKMAP_CACHE/dkms/$key-$KREL/dkms.log"
	release_run "$KRELROOT" dpkg --purge sockmap-dkms >>"$logf" 2>&1 ||
		log "cannot purge sockmap-dkms in the $(release_of "$KSUITE") root"
	# What apt pulled in for the package (dkms and what it needs) goes
	# too: the root must hold no more than its list for the next step.
	# (Not autoremove: it keeps what an installed package suggests.)
	pulled=$(release_installed "$KRELROOT" |
		comm -13 "$KRELROOT/.sockmap-packages" - | paste -sd ' ')
	if [ -n "$pulled" ]; then
		# shellcheck disable=SC2086 # a list of package names
		release_apt "$KRELROOT" "$KSUITE" purge -y $pulled >>"$logf" 2>&1 ||
			log "cannot remove what sockmap-dkms pulled into the $(release_of "$KSUITE") root: $pulled"
	fi
	rm -f "$KRELROOT/root/${deb##*/}"
	release_check_drift "$KRELROOT" ||
		die "installing and purging sockmap-dkms changed the $(release_of "$KSUITE") root (see above)"
}

# The suites whose linux-source may be the newest that Debian ships:
# unstable, and the backports of the newest stable release.
SOCKMAP_SOURCE_SUITES="sid trixie-backports"

# newest_source - find the newest linux-source-X.Y that Debian ships: the
# greatest candidate version of the linux-source meta-package among
# $SOCKMAP_SOURCE_SUITES, each asked of its release's root (apt_target's
# -t for backports). Nothing names a version. Sets:
#	NSUITE		the suite it comes from, e.g. trixie-backports
#	NROOT		the root of its release, where it is built
#	NSERIES		its series, e.g. 7.3 (linux-source-NSERIES)
#	NVERSION	the meta-package's version, e.g. 7.3.4-1~bpo13+1
newest_source() {
	local suite root ver best=''
	for suite in $SOCKMAP_SOURCE_SUITES; do
		root=$(release_root "$suite") || exit 1
		ver=$(release_run "$root" apt-cache \
			-o APT::Default-Release="$(apt_target "$suite")" policy \
			linux-source 2>/dev/null |
			awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }') || true
		if [ -z "$ver" ]; then
			log "no linux-source in $suite"
			continue
		fi
		if [ -z "$best" ] || dpkg --compare-versions "$ver" gt "$best"; then
			best=$ver NSUITE=$suite NROOT=$root
		fi
	done
	[ -n "$best" ] || die "no linux-source in any of $SOCKMAP_SOURCE_SUITES"
	NVERSION=$best
	NSERIES=$(release_run "$NROOT" apt-cache \
		-o APT::Default-Release="$(apt_target "$NSUITE")" depends \
		linux-source 2>/dev/null |
		awk '/^ *Depends: linux-source-[0-9]/ {
			sub(/^linux-source-/, "", $2); print $2; exit }') || true
	[ -n "$NSERIES" ] ||
		die "linux-source $NVERSION in $NSUITE depends on no linux-source-X.Y"
	log "newest linux-source: $NSERIES ($NVERSION, $NSUITE)"
}

# release_source_tree ROOT SUITE SERIES - Debian's linux-source-SERIES
# from SUITE, downloaded (never installed) with ROOT's apt and unpacked
# once in the cache, as linux_source_tree does for 6.12. Prints its path.
release_source_tree() {
	local tree=$SOCKMAP_CACHE/linux-source-$3
	[ -f "$tree/.complete" ] ||
		with_lock "linux-source-$3" release_source_unpack "$@" "$tree" ||
		exit 1
	echo "$tree"
}

release_source_unpack() {
	local root=$1 suite=$2 series=$3 tree=$4 deb tarball
	[ -f "$tree/.complete" ] && return 0
	mkdir -p "$root/var/cache/sockmap-debs"
	chmod 0777 "$root/var/cache/sockmap-debs"	# apt downloads as _apt
	apt_get_waiting release_run "$root" env -C /var/cache/sockmap-debs \
		apt-get -q -o APT::Default-Release="$(apt_target "$suite")" \
		download "linux-source-$series" >&2 ||
		die "cannot download linux-source-$series in the $(release_of "$suite") root"
	deb=$(ls -t "$root"/var/cache/sockmap-debs/linux-source-"$series"_*.deb \
		2>/dev/null | head -n 1)
	[ -n "$deb" ] || die "apt-get download left no linux-source-$series"
	rm -rf "$tree" "$tree.tmp" "$tree.deb" && mkdir -p "$tree.tmp" "$tree.deb"
	run dpkg -x "$deb" "$tree.deb" || die "cannot unpack $deb"
	rm -f "$deb"
	tarball=$(ls "$tree.deb/usr/src/linux-source-$series".tar.* 2>/dev/null |
		head -n 1)
	[ -n "$tarball" ] || die "linux-source-$series holds no tarball"
	run tar -xf "$tarball" -C "$tree.tmp" --strip-components=1 ||
		die "cannot unpack $tarball"
	rm -rf "$tree.deb"
	mv "$tree.tmp" "$tree"
	touch "$tree/.complete"
}
