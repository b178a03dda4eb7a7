// SPDX-License-Identifier: GPL-2.0
/*
 * socket.c - from a struct file to its socket and struct sock: the
 * columns INODE .. PEER of one row, and which family says the rest.
 *
 * The caller holds a reference to the file, which keeps the socket and its
 * struct sock alive; nothing here is called under a spinlock of ours, so
 * the helpers that take a socket's own locks briefly (unix_peer_get(),
 * unix_inq_len(), some getname()s) are fine.
 */

#include <linux/fs.h>
#include <linux/if_packet.h>
#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "sockmap.h"
#include "sockmap_row.h"

/*
 * sockmap_protocol - sk_protocol as its family means it. af_packet leaves
 * sk_protocol at 0 and keeps the ethertype a packet socket receives (given
 * to socket() or bind()) privately; getsockname() reports it, as does
 * /proc/net/packet.
 */
static int sockmap_protocol(struct sock *sk, const struct sockaddr_storage *ss)
{
	const struct sockaddr_ll *sll = (const struct sockaddr_ll *)ss;

	if (sk->sk_family == AF_PACKET && ss->ss_family == AF_PACKET)
		return (__force u16)sll->sll_protocol;
	return sk->sk_protocol;
}

/*
 * SOCK .. PROTO: where the struct sock is and what it is. SOCK is what
 * %pK shows the reader (@kptr, see sockmap.h), so kptr_restrict decides
 * exactly as for /proc/net/tcp. Names are names.c's; a packet socket's
 * PROTO is its ethertype in hex.
 */
static char *sockmap_fmt_identity(char *p, struct sock *sk,
				  const struct sockaddr_storage *ss,
				  enum sockmap_kptr kptr)
{
	char *start = col_open(p, COL_SOCK);

	p = sockmap_fmt_kptr(start, sk, kptr);
	p = col_close(p, start, COL_SOCK);
	p = col_ull(p, COL_NETNS, sock_net(sk)->ns.inum);
	start = col_open(p, COL_FAMILY);
	p = col_close(sockmap_fmt_family(start, sk->sk_family), start,
		      COL_FAMILY);
	start = col_open(p, COL_TYPE);
	p = col_close(sockmap_fmt_type(start, sk->sk_type), start, COL_TYPE);
	start = col_open(p, COL_PROTO);
	p = sockmap_fmt_proto(start, sk->sk_family, sockmap_protocol(sk, ss));
	return col_close(p, start, COL_PROTO);
}

/*
 * @uid as the reader's user namespace sees it, as /proc/net/tcp prints it:
 * from_kuid_munged(). The initial namespace maps every valid id to itself,
 * so for the common reader the map lookup is skipped.
 */
static uid_t sockmap_reader_uid(struct seq_file *m, kuid_t uid)
{
	struct user_namespace *ns = seq_user_ns(m);

	if (ns == &init_user_ns && uid_valid(uid))
		return __kuid_val(uid);
	return from_kuid_munged(ns, uid);
}

/*
 * sockmap_fmt_socket - columns INODE .. PEER for @file, which must be a
 * socket, at @p, its SOCK as @kptr says; returns the end. The caller
 * holds a reference to @file.
 */
char *sockmap_fmt_socket(struct seq_file *m, char *p, struct file *file,
			 enum sockmap_kptr kptr)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;
	struct sockaddr_storage name = { .ss_family = AF_UNSPEC };
	unsigned long peer_ino = 0;

	p = col_ull(p, COL_INODE, file_inode(file)->i_ino);
	if (!sk) {
		/* A socket whose protocol has let go of it already. */
		return col_none(p, COL_SOCK, COL_PEER);
	}
	if (sockmap_wants_sockname(sk))
		sockmap_getsockname(sock, &name);
	p = sockmap_fmt_identity(p, sk, &name, kptr);

	switch (sk->sk_family) {
	case AF_INET:
	case AF_INET6:
		p = sockmap_fmt_inet(p, sk, &peer_ino);
		break;
	case AF_UNIX:
		p = sockmap_fmt_unix(p, sk, &peer_ino);
		break;
	default:
		p = sockmap_fmt_other(p, sk, &name);
		break;
	}

	/*
	 * sock_i_uid(sk) without its lock: it reads the owner of the socket's
	 * inode under sk_callback_lock because sk->sk_socket is cleared when
	 * the socket is released, which cannot happen while we hold @file;
	 * until then that inode is @file's own.
	 */
	p = col_ull(p, COL_UID, sockmap_reader_uid(m, file_inode(file)->i_uid));
	return col_ino(p, COL_PEER, peer_ino);
}

/*
 * sockmap_fmt_traffic - TX_BYTES and RX_BYTES of the socket behind @file,
 * the last columns of a row, at @p; returns the end, after the newline.
 * The caller holds a reference to @file. MPTCP's counters are read under
 * the socket's lock (mptcp_diag_fill_info()), which may sleep: nothing
 * here is called under a spinlock.
 */
char *sockmap_fmt_traffic(char *p, struct file *file)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;

	if (sk && (sk->sk_family == AF_INET || sk->sk_family == AF_INET6))
		return sockmap_fmt_inet_bytes(p, sk);
	return col_none(p, COL_TX_BYTES, COL_RX_BYTES);
}

/*
 * SOCK .. PROTO of a TIME_WAIT or request socket: only its struct
 * sock_common is there, which has neither sk_type nor sk_protocol; both
 * kinds are TCP's, in the established hash.
 */
static char *sockmap_fmt_mini_identity(char *p, struct sock *sk,
				       enum sockmap_kptr kptr)
{
	char *start = col_open(p, COL_SOCK);

	p = col_close(sockmap_fmt_kptr(start, sk, kptr), start, COL_SOCK);
	p = col_ull(p, COL_NETNS, sock_net(sk)->ns.inum);
	start = col_open(p, COL_FAMILY);
	p = col_close(sockmap_fmt_family(start, sk->sk_family), start,
		      COL_FAMILY);
	start = col_open(p, COL_TYPE);
	p = col_close(sockmap_fmt_type(start, SOCK_STREAM), start, COL_TYPE);
	start = col_open(p, COL_PROTO);
	p = sockmap_fmt_proto(start, sk->sk_family, IPPROTO_TCP);
	return col_close(p, start, COL_PROTO);
}

/*
 * sockmap_fmt_sock - columns INODE .. PEER for @sk, an INET or INET6
 * socket that no file holds, as /proc/net shows it: INODE is the socket's
 * (a kernel socket has one) or 0, UID the owner /proc/net/tcp prints
 * (sockmap_compat.h). The caller holds a reference to @sk.
 */
char *sockmap_fmt_sock(struct seq_file *m, char *p, struct sock *sk,
		       enum sockmap_kptr kptr)
{
	struct sockaddr_storage name = { .ss_family = AF_UNSPEC };
	unsigned long peer_ino = 0;

	if (!sk_fullsock(sk)) {
		p = col_ull(p, COL_INODE, 0);
		p = sockmap_fmt_mini_identity(p, sk, kptr);
		p = sockmap_fmt_inet_mini(p, sk);
		/* /proc/net/tcp prints 0 for TIME_WAIT, in any namespace. */
		if (sk->sk_state == TCP_TIME_WAIT)
			p = col_ull(p, COL_UID, 0);
		else
			p = col_ull(p, COL_UID,
				    sockmap_reader_uid(m, sockmap_inet_req_uid(sk)));
		return col_ino(p, COL_PEER, 0);
	}
	p = col_ull(p, COL_INODE, sockmap_sock_ino(sk));
	p = sockmap_fmt_identity(p, sk, &name, kptr);
	p = sockmap_fmt_inet(p, sk, &peer_ino);
	p = col_ull(p, COL_UID, sockmap_reader_uid(m, sockmap_sk_uid(sk)));
	return col_ino(p, COL_PEER, peer_ino);
}

/*
 * sockmap_fmt_sock_traffic - TX_BYTES and RX_BYTES of @sk, a socket that
 * no file holds, ending the row; a TIME_WAIT or request socket counts no
 * bytes. The caller holds a reference to @sk.
 */
char *sockmap_fmt_sock_traffic(char *p, struct sock *sk)
{
	if (sk_fullsock(sk))
		return sockmap_fmt_inet_bytes(p, sk);
	return col_none(p, COL_TX_BYTES, COL_RX_BYTES);
}
