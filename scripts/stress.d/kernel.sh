# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The debug kernel for scripts/stress. Source it after scripts/lib/common.sh.
#
# debug_kernel prints a built kernel tree (O=): its arch/x86/boot/bzImage
# boots, and the tree is a KDIR to build sockmap against. The tree is cached
# under $SOCKMAP_CACHE/debug-kernel/VERSION-HASH, HASH covering the config
# fragment, so editing debug.config builds a new kernel and keeps the old.

DEBUG_CONFIG=$SOCKMAP_TOP/scripts/stress.d/debug.config

debug_kernel() {
	local src key out
	src=$(linux_source_tree)
	key=$(sha256sum "$DEBUG_CONFIG" | cut -c1-12)
	out=$SOCKMAP_CACHE/debug-kernel/$(kernel_source_version "$src")-$key
	[ -f "$out/.complete" ] ||
		with_lock "debug-kernel-$key" build_debug_kernel "$src" "$out"
	echo "$out"
}

# kernel_source_version SRC - e.g. 6.12.117, read from SRC/Makefile.
kernel_source_version() {
	awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 }
	     /^SUBLEVEL =/ { s = $3 } END { print v "." p "." s }' "$1/Makefile"
}

build_debug_kernel() {
	local src=$1 out=$2 start
	[ -f "$out/.complete" ] && return 0
	need_packages gcc make bc flex bison libelf-dev libssl-dev cpio
	start=$(date +%s)
	rm -rf "$out" && mkdir -p "$out"
	kmake "$src" "$out" tinyconfig
	(cd "$out" && run "$src/scripts/kconfig/merge_config.sh" -m .config \
		"$DEBUG_CONFIG" >/dev/null)
	kmake "$src" "$out" olddefconfig
	check_debug_config "$out/.config"
	# bzImage to boot; modules (there are none built in-tree) for the
	# Module.symvers that out-of-tree builds link against.
	kmake "$src" "$out" -j"$(nproc)" bzImage modules
	log "debug kernel built in $(($(date +%s) - start)) s: $out"
	touch "$out/.complete"
}

kmake() {
	local src=$1 out=$2
	shift 2
	run nice make -s -C "$src" O="$out" ARCH=x86_64 "$@" >&2
}

# check_debug_config CONFIG - fail unless every setting of the fragment made
# it into CONFIG (Kconfig silently drops options whose dependencies fail).
check_debug_config() {
	local line opt bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF "$line" "$1" ||
				{ log "debug.config: $line did not stick"; bad=1; } ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			! grep -q "^$opt=" "$1" ||
				{ log "debug.config: $opt is set"; bad=1; } ;;
		esac
	done <"$DEBUG_CONFIG"
	[ $bad -eq 0 ] || die "the debug kernel's config lacks options above"
}
