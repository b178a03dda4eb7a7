/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockmap_compat.h - the one place where kernel versions differ.
 *
 * Kbuild force-includes this header into every sockmap source file, so the
 * .c files are written against one API. Where it can, the difference is
 * decided by a SOCKMAP_HAVE_* probe that Kbuild runs against the kernel's
 * own headers (a stable kernel with a backport then gets the right code);
 * version numbers only fence the range sockmap was tested on.
 */
#ifndef SOCKMAP_COMPAT_H
#define SOCKMAP_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "sockmap needs Linux 6.1 or later (tested on Debian's 6.1 and 6.12)"
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#error "sockmap is tested up to Linux 6.12: 6.13 changed the KUnit symbol namespace"
#endif

#include <linux/sched.h>

/*
 * put_unaligned_le64() and friends: 6.12 moved <asm/unaligned.h> to
 * <linux/unaligned.h> (Kbuild looks for the file).
 */
#ifdef SOCKMAP_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * vfs_path_lookup() is exported by every supported kernel, but some (6.1)
 * declare it only in fs/internal.h, others (6.12) in <linux/namei.h>.
 * Kbuild looks for it in the public header; where it is missing, this is
 * its prototype.
 */
#ifndef SOCKMAP_HAVE_VFS_PATH_LOOKUP_DECL
struct dentry;
struct path;
struct vfsmount;
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
#endif

/*
 * The KUnit suite reaches sockmap's static helpers through symbols
 * exported into this namespace (<kunit/visibility.h>). Up to 6.12 the
 * namespace is a bare identifier; 6.13 made it a string (Kbuild looks at
 * MODULE_IMPORT_NS()).
 */
#ifdef SOCKMAP_HAVE_MODULE_IMPORT_NS_STRING
#define SOCKMAP_IMPORT_KUNIT_NS() MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#else
#define SOCKMAP_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#endif

/*
 * EXPORT_SYMBOL_IF_KUNIT(): <kunit/visibility.h> came with 6.2 (and 6.1.y);
 * where the file is missing (5.10), what it defines, in the namespace's
 * form of those kernels.
 */
#ifdef SOCKMAP_HAVE_KUNIT_VISIBILITY
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol) EXPORT_SYMBOL_NS(symbol, EXPORTED_FOR_KUNIT_TESTING)
#else
#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif

#endif /* SOCKMAP_COMPAT_H */
