/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockmap_compat.h - the one place where kernel versions differ.
 *
 * Kbuild force-includes this header into every sockmap source file, so the
 * .c files are written against one API: the newest kernel's. Where an older
 * kernel lacks it, it is backfilled here. Where it can, the difference is
 * decided by a SOCKMAP_HAVE_* probe that Kbuild runs against the kernel's
 * own headers (a stable kernel with a backport then gets the right code);
 * version numbers only fence the range sockmap supports. A kernel newer
 * than the newest tested builds when its APIs allow, and Kbuild says so.
 *
 * A function whose arguments changed is backfilled by a sockmap_*() inline
 * that calls it the old way, and a macro of the function's own name that
 * stands for the inline. Both come after the kernel's header that declares
 * the function (included here for that reason, on the kernels that need
 * it), which the macro thus leaves alone.
 */
#ifndef SOCKMAP_COMPAT_H
#define SOCKMAP_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "sockmap needs Linux 5.10 or later (tested on Debian's 5.10, 6.1, 6.12, 7.2 and 7.3)"
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
 * hex_asc[] and friends: after 6.1 they moved to <linux/hex.h>, which
 * <linux/kernel.h> includes in 6.12 but no longer in 7.2 (Kbuild looks
 * for the file).
 */
#ifdef SOCKMAP_HAVE_LINUX_HEX
#include <linux/hex.h>
#endif

/*
 * AF_MCTP: 5.15 gave MCTP the address family number 45, part of the ABI;
 * an older kernel makes no such socket, but the name of the number is the
 * same (Kbuild looks for it in <linux/socket.h>).
 */
#ifndef SOCKMAP_HAVE_AF_MCTP
#define AF_MCTP 45
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
 * unix_peer_get(), unix_inq_len() and unix_outq_len() are exported by every
 * supported kernel, but after 6.12 their declarations moved from
 * <net/af_unix.h> to net/unix/af_unix.h, which is not installed. Kbuild
 * looks for them in the public header; where they are missing, these are
 * their prototypes.
 */
#ifndef SOCKMAP_HAVE_UNIX_PEER_GET_DECL
struct sock;
struct sock *unix_peer_get(struct sock *sk);
long unix_inq_len(struct sock *sk);
long unix_outq_len(struct sock *sk);
#endif

/*
 * sock_from_file(file): 5.11 dropped its second argument, an errno for
 * a file that is not a socket (the NULL return says as much).
 */
#ifndef SOCKMAP_HAVE_SOCK_FROM_FILE_1
#include <linux/net.h>
static inline struct socket *sockmap_sock_from_file(struct file *file)
{
	int err;

	return sock_from_file(file, &err);
}

#define sock_from_file(file) sockmap_sock_from_file(file)
#endif

/*
 * files_lookup_fd_locked(): 5.11 named the lookup of an fd under
 * files->file_lock (Debian's 5.10 has it too, from the stable series);
 * before, fcheck_files() did it, under either that lock or RCU.
 */
#ifndef SOCKMAP_HAVE_FILES_LOOKUP_FD_LOCKED
#define files_lookup_fd_locked(files, fd) fcheck_files(files, fd)
#endif

/* tcp_snd_cwnd(): 5.18 wrapped tp->snd_cwnd in an accessor. */
#ifndef SOCKMAP_HAVE_TCP_SND_CWND
#define tcp_snd_cwnd(tp) ((tp)->snd_cwnd)
#endif

/*
 * __inet_lookup_established() and __inet6_lookup_established(): after
 * DCCP, their other user, was removed, they look in TCP's established hash
 * of @net (7.2 and 7.3 do); before, the caller named the hash table. Every
 * supported kernel keeps TCP's in net->ipv4.tcp_death_row.hashinfo (per
 * network namespace since 6.1, the global tcp_hashinfo before).
 */
#ifndef SOCKMAP_HAVE_INET_LOOKUP_ESTABLISHED_NET
#include <net/inet_hashtables.h>
static inline struct sock *
sockmap_inet_lookup_established(struct net *net, const __be32 saddr,
				const __be16 sport, const __be32 daddr,
				const u16 hnum, const int dif, const int sdif)
{
	return __inet_lookup_established(net, net->ipv4.tcp_death_row.hashinfo,
					 saddr, sport, daddr, hnum, dif, sdif);
}

#define __inet_lookup_established sockmap_inet_lookup_established
#endif
#if !defined(SOCKMAP_HAVE_INET6_LOOKUP_ESTABLISHED_NET) && IS_ENABLED(CONFIG_IPV6)
#include <net/inet6_hashtables.h>
static inline struct sock *
sockmap_inet6_lookup_established(struct net *net, const struct in6_addr *saddr,
				 const __be16 sport,
				 const struct in6_addr *daddr,
				 const u16 hnum, const int dif, const int sdif)
{
	return __inet6_lookup_established(net,
					  net->ipv4.tcp_death_row.hashinfo,
					  saddr, sport, daddr, hnum, dif, sdif);
}

#define __inet6_lookup_established sockmap_inet6_lookup_established
#endif

/*
 * find_ge_pid(): 5.10 does not export it (Kbuild looks for it in the
 * kernel's Module.symvers). There, it is the same lookup in the pid
 * namespace's IDR, under the caller's rcu_read_lock().
 */
#ifndef SOCKMAP_HAVE_EXPORT_FIND_GE_PID
#include <linux/idr.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
static inline struct pid *sockmap_find_ge_pid(int nr, struct pid_namespace *ns)
{
	return idr_get_next(&ns->idr, &nr);
}

#define find_ge_pid(nr, ns) sockmap_find_ge_pid(nr, ns)
#endif

/*
 * The tables /proc/net/udp and /proc/net/raw walk. UDP's is per network
 * namespace since 6.2 (net->ipv4.udp_table: the global udp_table unless
 * the namespace was made with udp_child_hash_entries set); before, every
 * namespace shares the exported udp_table. UDP-Lite's is global and
 * exported up to 7.2; 7.3 has no UDP-Lite. A raw table's lock is a
 * spinlock since 6.0 (its readers use RCU), a rwlock before.
 */
#include <net/udp.h>
#ifdef SOCKMAP_HAVE_NETNS_UDP_TABLE
static inline struct udp_table *sockmap_udp_table(const struct net *net)
{
	return net->ipv4.udp_table;
}
#else
static inline struct udp_table *sockmap_udp_table(const struct net *net)
{
	return &udp_table;
}
#endif
#ifdef SOCKMAP_HAVE_UDPLITE_TABLE
#include <net/udplite.h>
#define sockmap_udplite_table() (&udplite_table)
#else
#define sockmap_udplite_table() ((struct udp_table *)NULL)
#endif
#ifdef SOCKMAP_HAVE_RAW_HASHINFO_SPINLOCK
#define sockmap_raw_lock(h)	spin_lock(&(h)->lock)
#define sockmap_raw_unlock(h)	spin_unlock(&(h)->lock)
#else
#define sockmap_raw_lock(h)	read_lock(&(h)->lock)
#define sockmap_raw_unlock(h)	read_unlock(&(h)->lock)
#endif

/*
 * MPTCP's connection-level byte counters: mptcp_diag_fill_info() fills a
 * struct mptcp_info for getsockopt(MPTCP_INFO) and mptcp_diag, and is
 * exported for the latter; its mptcpi_bytes_acked and mptcpi_bytes_received
 * came with 6.4 (Debian's 6.1 lacks them, 5.10 the export). Kbuild looks
 * for both; where either is missing, a row has no such numbers to show.
 */
struct sock;
#if defined(SOCKMAP_HAVE_EXPORT_MPTCP_DIAG_FILL_INFO) && \
	defined(SOCKMAP_HAVE_MPTCPI_BYTES_ACKED) && IS_ENABLED(CONFIG_MPTCP)
#include <linux/mptcp.h>
#include <net/mptcp.h>
/*
 * Whether @sk, an MPTCP socket, had its counters read into *@acked and
 * *@received. Takes the socket's lock: may sleep.
 */
static inline bool sockmap_mptcp_bytes(struct sock *sk, u64 *acked,
				       u64 *received)
{
	struct mptcp_info info;

	mptcp_diag_fill_info((struct mptcp_sock *)sk, &info);
	*acked = info.mptcpi_bytes_acked;
	*received = info.mptcpi_bytes_received;
	return true;
}
#else
static inline bool sockmap_mptcp_bytes(struct sock *sk, u64 *acked,
				       u64 *received)
{
	return false;
}
#endif

/*
 * kernel_bind() and kernel_connect(), which only the KUnit suite calls, take
 * a struct sockaddr_unsized after 6.12 (7.2 and 7.3 do); before, a struct
 * sockaddr, which the name then stands for (Kbuild looks for the struct in
 * <linux/socket.h>).
 */
#ifndef SOCKMAP_HAVE_SOCKADDR_UNSIZED
#define sockaddr_unsized sockaddr
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

/*
 * SOCKMAP_STATIC_STUB_REDIRECT(): KUnit's static stubs (6.3), with which
 * the suite stands in for a function, only in kernels built with the
 * suite; elsewhere, and before 6.3, nothing.
 */
#if IS_ENABLED(CONFIG_SOCKMAP_KUNIT_TEST) && defined(SOCKMAP_HAVE_KUNIT_STATIC_STUB)
#include <kunit/static_stub.h>
#define SOCKMAP_STATIC_STUB_REDIRECT(fn, args...) \
	KUNIT_STATIC_STUB_REDIRECT(fn, args)
#else
#define SOCKMAP_STATIC_STUB_REDIRECT(fn, args...) do { } while (0)
#endif

#endif /* SOCKMAP_COMPAT_H */
