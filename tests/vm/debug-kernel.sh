# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # sets variables for its callers
# The debug kernels for scripts/stress. Source it after tests/vm/vm.sh
# (which brings chroot.sh and release.sh).
#
#	debug_kernel_select 6.12|newest|kcsan	# sets DK_NAME DK_SRC DK_ROOT
#					# DK_TREE DK_DETECTOR
#	debug_kernel_build		# builds DK_TREE once (cached)
#	debug_module_build WORK		# -> WORK/sockmap.ko, built against it
#
# Two sources, each built the way its release's users build:
#	6.12	Debian's linux-source-6.12 (linux_source_tree), on the host
#		(Debian 12) with its gcc-12
#	newest	the newest linux-source-X.Y Debian ships (newest_source:
#		trixie-backports or sid, resolved at each run), in the root
#		of that release (release.sh) with that release's compiler;
#		the source and build trees are mounted there at the same
#		paths (RELEASE_BINDS), so the tree names one path everywhere
#	kcsan	the 6.12 source again, on the host, with kcsan.config over
#		debug.config: KCSAN instead of KASAN (they exclude each
#		other). gcc 12 has what KCSAN needs (gcc 11 or later), and
#		one source is enough: the races it looks for are sockmap's.
#
# DK_TREE is a built kernel tree (O=): its arch/x86/boot/bzImage boots in
# QEMU on the host, and it is the KDIR that sockmap is built against. It
# is cached under $SOCKMAP_CACHE/debug-kernel/VERSION-HASH (VERSION-kcsan-
# HASH, VERSION-ROOT-HASH for newest), HASH covering the config fragments,
# so editing debug.config (or kcsan.config) builds a new kernel and keeps
# the old.

DEBUG_CONFIG=$SOCKMAP_TOP/tests/vm/debug.config
KCSAN_CONFIG=$SOCKMAP_TOP/tests/vm/kcsan.config

# What building a kernel and a module needs, on the host or in a root.
DEBUG_KERNEL_PACKAGES="gcc make bc flex bison libelf-dev libssl-dev cpio perl"

# debug_kernel_select SOURCE - choose the kernel (6.12, newest or kcsan)
# and set
#	DK_NAME		its name, e.g. 6.12, 7.3 or 6.12-kcsan
#	DK_SRC		the pristine source tree in the cache
#	DK_ROOT		the root to build in ("" for the host)
#	DK_TREE		the build tree (O=)
#	DK_DETECTOR	kasan or kcsan: which sanitizer it has
#	DK_FRAGMENTS	its config fragments, the later overriding
debug_kernel_select() {
	local key flavour=''
	DK_DETECTOR=kasan DK_FRAGMENTS=$DEBUG_CONFIG
	case $1 in
	6.12 | kcsan)
		DK_NAME=6.12 DK_ROOT=''
		if [ "$1" = kcsan ]; then
			DK_NAME=6.12-kcsan DK_DETECTOR=kcsan flavour=kcsan-
			DK_FRAGMENTS="$DEBUG_CONFIG $KCSAN_CONFIG"
		fi
		# shellcheck disable=SC2086 # a list of package names
		need_packages $DEBUG_KERNEL_PACKAGES || exit 1
		DK_SRC=$(linux_source_tree) || exit 1
		;;
	newest)
		newest_source	# sets NSUITE NROOT NSERIES NVERSION
		DK_NAME=$NSERIES DK_ROOT=$NROOT
		# The root is part of the tree's name (its release and the hash
		# of its package list): two suites can ship the same version
		# (7.3.4 in sid and trixie-backports), which one is newest can
		# change between runs, and a root of another list may hold
		# another pahole; a tree built in one root failed the module
		# build in another ("pahole version differs").
		flavour=${NROOT##*/}-
		# shellcheck disable=SC2086 # a list of package names
		release_need "$DK_ROOT" $DEBUG_KERNEL_PACKAGES
		DK_SRC=$(release_source_tree "$NROOT" "$NSUITE" "$NSERIES") || exit 1
		;;
	*) die "no debug kernel '$1' (6.12, newest or kcsan)" ;;
	esac
	# The key of the KASAN kernels is debug.config's hash alone, as it
	# was before kcsan.config existed: their cached builds stay valid.
	# shellcheck disable=SC2086 # a list of paths
	key=$(cat $DK_FRAGMENTS | sha256sum | cut -c1-12)
	DK_TREE=$SOCKMAP_CACHE/debug-kernel/$(kernel_source_version "$DK_SRC")-$flavour$key
}

# debug_config_merged - DK_FRAGMENTS as one fragment: the lines of each
# that set an option a later one also sets are left out.
debug_config_merged() {
	# shellcheck disable=SC2086 # a list of paths
	awk 'function opt(line) {
		if (match(line, /^CONFIG_[A-Za-z0-9_]+=/))
			return substr(line, 1, RLENGTH - 1)
		if (match(line, /^# CONFIG_[A-Za-z0-9_]+ is not set$/))
			return substr(line, 3, RLENGTH - 13)
		return ""
	}
	FNR == 1 { file++ }
	{ line[file, FNR] = $0; lines[file] = FNR
	  o = opt($0); if (o != "") last[o] = file }
	END {
		for (f = 1; f <= file; f++)
			for (i = 1; i <= lines[f]; i++) {
				o = opt(line[f, i])
				if (o == "" || last[o] == f)
					print line[f, i]
			}
	}' $DK_FRAGMENTS
}

# dk_run CMD... - run CMD where the chosen kernel is built: on the host,
# or in its release's root with the source, the tree and RELEASE_BINDS's
# directories mounted at their own paths.
dk_run() {
	if [ -z "$DK_ROOT" ]; then
		"$@"
	else
		RELEASE_BINDS="$DK_SRC $DK_TREE ${RELEASE_BINDS:-}" \
			release_run "$DK_ROOT" "$@"
	fi
}

debug_kernel_build() {
	[ -f "$DK_TREE/.complete" ] ||
		with_lock "debug-kernel-${DK_TREE##*/}" build_debug_kernel
}

# kernel_source_version SRC - e.g. 6.12.117, read from SRC/Makefile.
kernel_source_version() {
	awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 }
	     /^SUBLEVEL =/ { s = $3 } END { print v "." p "." s }' "$1/Makefile"
}

build_debug_kernel() {
	local start
	[ -f "$DK_TREE/.complete" ] && return 0
	start=$(date +%s)
	rm -rf "$DK_TREE" && mkdir -p "$DK_TREE"
	log "building the $DK_NAME debug kernel${DK_ROOT:+ in $DK_ROOT} ($(dk_run gcc --version | head -n 1))"
	debug_config_merged >"$DK_TREE/sockmap-debug.config"
	kmake tinyconfig
	dk_run env -C "$DK_TREE" "$DK_SRC/scripts/kconfig/merge_config.sh" -m \
		.config sockmap-debug.config >/dev/null ||
		die "merge_config.sh failed in $DK_TREE"
	kmake olddefconfig
	check_debug_config "$DK_TREE/.config" "$DK_SRC" "$DK_TREE/sockmap-debug.config"
	# bzImage to boot; modules (there are none built in-tree) for the
	# Module.symvers that out-of-tree builds link against.
	kmake -j"$(nproc)" bzImage modules
	log "$DK_NAME debug kernel built in $(($(date +%s) - start)) s: $DK_TREE"
	touch "$DK_TREE/.complete"
}

kmake() {
	log "make $* ($DK_NAME debug kernel)"
	dk_run nice make -s -C "$DK_SRC" O="$DK_TREE" ARCH=x86_64 "$@" >&2 ||
		die "make $* failed for the $DK_NAME debug kernel"
}

# check_debug_config CONFIG SRC FRAGMENT - fail unless every setting of
# FRAGMENT (the merged one) made it into CONFIG (Kconfig silently drops
# options whose dependencies fail). An option that SRC's Kconfig does not define at all is only
# allowed where the fragment says it is gone from newer kernels
# ("# Gone after 6.12: CONFIG_NAME ...").
check_debug_config() {
	local line opt gone bad=0
	gone=$(sed -n 's/^# Gone after 6\.12: \(CONFIG_[A-Z0-9_]*\).*/\1/p' "$3")
	while IFS= read -r line; do
		case $line in
		CONFIG_*=* | "# CONFIG_"*" is not set") ;;
		*) continue ;;
		esac
		opt=${line#\# }
		opt=${opt%%[= ]*}
		if grep -qxF "$opt" <<<"$gone" && ! kconfig_defines "$2" "${opt#CONFIG_}"; then
			log "debug.config: $opt is gone from this kernel (as the fragment says)"
			continue
		fi
		case $line in
		CONFIG_*=*)
			grep -qxF "$line" "$1" ||
				{ log "debug.config: $line did not stick"; bad=1; } ;;
		*)
			! grep -q "^$opt=" "$1" ||
				{ log "debug.config: $opt is set"; bad=1; } ;;
		esac
	done <"$3"
	[ $bad -eq 0 ] || die "the $DK_NAME debug kernel's config lacks options above"
}

# kconfig_defines SRC NAME - whether a Kconfig file of SRC defines NAME.
kconfig_defines() {
	grep -rqE --include='Kconfig*' "^[[:space:]]*(menu)?config $2\$" "$1"
}

# debug_module_build WORK - README's build (`make KDIR=TREE`, W=1) of a
# copy of the checkout against the chosen debug kernel, where that kernel
# was built. Leaves WORK/sockmap.ko and WORK/build.log; fails on any
# warning. Cached per sources and kernel tree.
debug_module_build() {
	local work=$1 src=$1/src key rc=0
	vm_copy_sources "$src"
	key=$( (cd "$src" && find . -type f -print0 | sort -z | xargs -0 sha256sum
		echo "$DK_TREE $(stat -c %Y "$DK_TREE/.complete")") |
		sha256sum | cut -c1-16)
	vm_module_cached "debug-$key" "$work" "the $DK_NAME debug kernel" &&
		return 0
	log "building sockmap.ko for the $DK_NAME debug kernel${DK_ROOT:+ in $DK_ROOT} (W=1)"
	RELEASE_BINDS=$work dk_run make -C "$src" KDIR="$DK_TREE" W=1 \
		>"$work/build.log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		cat "$work/build.log" >&2
		die "module build failed against the $DK_NAME debug kernel"
	fi
	vm_module_keep "debug-$key" "$work"
}
