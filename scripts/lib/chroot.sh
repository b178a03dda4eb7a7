# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Fresh Debian roots: run something as on a newly installed Debian machine,
# without touching the host's packages, apt configuration or cache. Source
# it after common.sh; do not run it.
#
#	chroot_new bookworm		# sets CHROOT: a new root, mounted, apt ready
#	chroot_run "$CHROOT" CMD...	# CMD as root inside, with a clean environment
#	chroot_remove "$CHROOT"		# unmount and delete (also done on any exit)
#
# A release is bootstrapped once (debootstrap --variant=minbase) and kept as
# a tarball in $SOCKMAP_CACHE/chroot (rebuilt after a week); every
# chroot_new unpacks a new root from it, so nothing installed by an earlier
# run survives. Its apt sources are those of a standard installation of
# that release (RELEASE, RELEASE-updates, RELEASE-security; component main;
# sid: sid only), on the mirrors that the host's own apt sources name, read
# at run time. Inside, /proc, /sys, /dev (with /dev/pts and a new
# /dev/shm) are mounted and /etc/resolv.conf is the host's. An EXIT trap
# (INT and TERM exit through it) kills what still runs inside, unmounts and
# deletes every root; chroot_new installs it, so a caller with an EXIT trap
# of its own must call chroot_remove_all from it.

CHROOT_ROOTS=()

# chroot_new RELEASE - a new root of RELEASE under $SOCKMAP_CACHE/roots, with
# apt's lists updated. Sets CHROOT to its path.
chroot_new() {
	local release=$1 base
	need_packages debootstrap debian-archive-keyring || exit 1
	chroot_host_mirrors
	base=$SOCKMAP_CACHE/chroot/$release-minbase.tar.gz
	[ -n "$(find "$base" -mtime -7 2>/dev/null)" ] ||
		with_lock "chroot-$release" chroot_bootstrap "$release" "$base" || exit 1
	mkdir -p "$SOCKMAP_CACHE/roots"
	CHROOT=$(mktemp -d "$SOCKMAP_CACHE/roots/$release.XXXXXX") || exit 1
	CHROOT_ROOTS+=("$CHROOT")
	trap chroot_remove_all EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	log "new $release root: $CHROOT"
	tar -C "$CHROOT" --numeric-owner -xzf "$base" || die "cannot unpack $base"
	chmod 0755 "$CHROOT"	# not mktemp's 0700: apt's _apt user walks it
	chroot_apt_sources "$release" >"$CHROOT/etc/apt/sources.list"
	rm -f "$CHROOT"/etc/apt/sources.list.d/*
	chroot_mount "$CHROOT"
	apt_get_waiting chroot_run "$CHROOT" apt-get update -q >&2 ||
		die "apt-get update failed in the $release root"
}

# chroot_host_mirrors - set CHROOT_MIRROR (the Debian archive) and
# CHROOT_SECURITY_MIRROR from the host's apt sources: the URI of a suite
# that does not end in -security, and of one that does.
chroot_host_mirrors() {
	local uri suite
	CHROOT_MIRROR='' CHROOT_SECURITY_MIRROR=''
	while read -r uri suite; do
		case $suite in
		*-security) : "${CHROOT_SECURITY_MIRROR:=$uri}" ;;
		*) : "${CHROOT_MIRROR:=$uri}" ;;
		esac
	done < <(host_apt_sources)
	[ -n "$CHROOT_MIRROR" ] ||
		die "no Debian archive in the host's apt sources (/etc/apt/sources.list*)"
	[ -n "$CHROOT_SECURITY_MIRROR" ] ||
		die "no -security suite in the host's apt sources (/etc/apt/sources.list*)"
}

# host_apt_sources - "URI SUITE" for every enabled deb source of the host,
# from one-line (.list) and deb822 (.sources) files alike.
host_apt_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [options] URI SUITE COMPONENT...
		sed -E 's/#.*//; s/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush(   i, j, nu, ns, u, s) {
			if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no") {
				nu = split(uris, u, " "); ns = split(suites, s, " ")
				for (i = 1; i <= nu; i++)
					for (j = 1; j <= ns; j++) print u[i], s[j]
			}
			types = uris = suites = enabled = ""
		}
		/^#/ { next }
		/^[ \t]*$/ { flush(); next }
		{
			key = tolower($1); sub(/^[^:]*:[ \t]*/, "")
			if (key == "types:") types = $0
			else if (key == "uris:") uris = $0
			else if (key == "suites:") suites = $0
			else if (key == "enabled:") enabled = $0
		}
		END { flush() }' "$f"
	done
}

# chroot_apt_sources RELEASE - sources.list of a standard installation.
chroot_apt_sources() {
	case $1 in
	sid | unstable) echo "deb $CHROOT_MIRROR $1 main" ;;
	*)
		echo "deb $CHROOT_MIRROR $1 main"
		echo "deb $CHROOT_MIRROR $1-updates main"
		echo "deb $CHROOT_SECURITY_MIRROR $1-security main"
		;;
	esac
}

# chroot_bootstrap RELEASE TARBALL - debootstrap a minimal RELEASE and pack it.
chroot_bootstrap() {
	local release=$1 base=$2 dir
	[ -n "$(find "$base" -mtime -7 2>/dev/null)" ] && return 0
	mkdir -p "${base%/*}"
	dir=$(mktemp -d "${base%/*}/bootstrap.XXXXXX") || exit 1
	if ! run debootstrap --variant=minbase "$release" "$dir" "$CHROOT_MIRROR" >&2; then
		chroot_unmount "$dir"
		rm -rf --one-file-system "$dir"
		die "debootstrap of $release from $CHROOT_MIRROR failed"
	fi
	chroot_unmount "$dir"
	rm -f "$dir"/var/cache/apt/archives/*.deb
	tar -C "$dir" --numeric-owner -czf "$base.tmp" . || die "cannot pack $dir"
	mv "$base.tmp" "$base"
	rm -rf --one-file-system "$dir"
}

# chroot_mount ROOT - what apt, compilers and QEMU need inside ROOT.
chroot_mount() {
	local root=$1
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	if ! { mount -t proc proc "$root/proc" &&
		mount -t sysfs sysfs "$root/sys" &&
		mount --bind /dev "$root/dev" &&
		mount --make-private "$root/dev" &&
		mount --bind /dev/pts "$root/dev/pts" &&
		mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"; }; then
		die "cannot mount /proc, /sys, /dev in $root"
	fi
}

# chroot_mounts ROOT - the mount points under ROOT, deepest first.
chroot_mounts() {
	awk -v p="$(realpath -m "$1")/" 'index($5, p) == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r
}

# chroot_unmount ROOT - kill what runs inside ROOT, unmount all under it.
chroot_unmount() {
	local root=$1 m
	chroot_kill "$root"
	for m in $(chroot_mounts "$root"); do
		umount "$m" 2>/dev/null || umount -l "$m" || log "cannot unmount $m"
	done
	[ -z "$(chroot_mounts "$root")" ]
}

# chroot_kill ROOT - end every process whose root directory is ROOT. The
# root is compared by device and inode, not by the path readlink shows:
# inside a chroot (scripts/fresh), a root made there at
# /root/.cache/sockmap/... reads the same as the host's root of that path.
chroot_kill() {
	local root sig p pids
	root=$(stat -L -c %d:%i "$1" 2>/dev/null) || return 0
	for sig in TERM KILL; do
		pids=()
		for p in /proc/[0-9]*; do
			[ "$(stat -L -c %d:%i "$p/root/" 2>/dev/null)" = "$root" ] &&
				pids+=("${p#/proc/}")
		done
		[ ${#pids[@]} -eq 0 ] && return 0
		kill "-$sig" "${pids[@]}" 2>/dev/null
		sleep 2
	done
}

# chroot_remove ROOT - unmount and delete ROOT (kept, unmounted, with
# CHROOT_KEEP=1). Never deletes a root that still has a mount under it.
chroot_remove() {
	local root=$1
	[ -d "$root" ] || return 0
	if ! chroot_unmount "$root"; then
		log "still mounted under $root; not removed"
		return 1
	fi
	if [ "${CHROOT_KEEP:-0}" = 1 ]; then
		log "kept $root"
	else
		rm -rf --one-file-system "$root"
	fi
}

chroot_remove_all() {
	local root rc=0
	for root in "${CHROOT_ROOTS[@]}"; do
		chroot_remove "$root" || rc=1
	done
	CHROOT_ROOTS=()
	return $rc
}

# chroot_run ROOT CMD... - run CMD as root inside ROOT with the environment
# of a fresh login (HOME=/root, so $SOCKMAP_CACHE inside is the root's own).
# It runs in the background and is waited for, so that INT and TERM reach
# this shell's traps at once.
chroot_run() {
	local root=$1 pid rc=0
	shift
	env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		chroot "$root" "$@" </dev/null &
	pid=$!
	wait "$pid" || rc=$?
	return $rc
}
