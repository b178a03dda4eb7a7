// SPDX-License-Identifier: GPL-2.0
/*
 * row.c - one row of /proc/sockmap: from a struct file to the socket, its
 * struct sock, and the protocol's own view of it.
 *
 * Fields are read the way net/ipv4/tcp_ipv4.c reads them for /proc/net/tcp:
 * without locking the socket, with READ_ONCE() and the kernel's accessors,
 * clamping the transient negatives that an unlocked read can see. The
 * caller holds a reference to the file, which keeps the socket and its
 * struct sock alive; nothing here is called under a spinlock of ours, so
 * the helpers that take a socket's own locks briefly (unix_peer_get(),
 * unix_inq_len()) are fine.
 */

#include <linux/fs.h>
#include <linux/if_packet.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/seq_file.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/udp.h>
#include <kunit/visibility.h>

#include "sockmap.h"

/*
 * Column widths. A field is left-aligned and padded to its width, and at
 * least one space always follows it, so a wider value shifts the rest of
 * its row but never merges two fields.
 */
enum sockmap_column {
	COL_PID, COL_COMM, COL_FD, COL_INODE, COL_SOCK, COL_NETNS, COL_FAMILY,
	COL_TYPE, COL_PROTO, COL_STATE, COL_LOCAL, COL_REMOTE, COL_RXQ,
	COL_TXQ, COL_CWND, COL_SSTHRESH, COL_SRTT, COL_RETRANS, COL_UID,
	COL_PEER, NR_COLUMNS
};

static const struct {
	const char *name;
	unsigned int width;
} sockmap_columns[NR_COLUMNS] = {
	[COL_PID]	= { "PID",	7 },
	[COL_COMM]	= { "COMM",	15 },
	[COL_FD]	= { "FD",	4 },
	[COL_INODE]	= { "INODE",	9 },
	[COL_SOCK]	= { "SOCK",	16 },
	[COL_NETNS]	= { "NETNS",	10 },
	[COL_FAMILY]	= { "FAMILY",	7 },
	[COL_TYPE]	= { "TYPE",	6 },
	[COL_PROTO]	= { "PROTO",	6 },
	[COL_STATE]	= { "STATE",	11 },
	[COL_LOCAL]	= { "LOCAL",	21 },
	[COL_REMOTE]	= { "REMOTE",	21 },
	[COL_RXQ]	= { "RXQ",	7 },
	[COL_TXQ]	= { "TXQ",	7 },
	[COL_CWND]	= { "CWND",	4 },
	[COL_SSTHRESH]	= { "SSTHRESH",	8 },
	[COL_SRTT]	= { "SRTT_US",	7 },
	[COL_RETRANS]	= { "RETRANS",	7 },
	[COL_UID]	= { "UID",	5 },
	[COL_PEER]	= { "PEER",	0 },
};

/*
 * Writing into the row. Every row goes through these helpers, so they write
 * straight into the seq_file's buffer, inline, instead of calling
 * seq_put_decimal_ull(), seq_puts() and seq_pad() for each field: under
 * profiling (bench/results.md) the calls and their per-field bookkeeping
 * cost more than the walk itself. They keep seq_file's contract: when a
 * field does not fit, the buffer is marked overflowed (count == size) and
 * seq_read_iter() retries the whole row in an emptied or larger buffer.
 */

/*
 * @len bytes at the end of the buffer: seq_write(), inline. The fields are
 * short (a name, an address), so a plain loop beats a call to memcpy().
 */
static __always_inline void row_write(struct seq_file *m, const char *s,
				      size_t len)
{
	char *d = m->buf + m->count;
	size_t i;

	if (unlikely(m->count + len >= m->size)) {
		m->count = m->size;
		return;
	}
	for (i = 0; i < len; i++)
		d[i] = s[i];
	m->count += len;
}

/* One byte: seq_putc(), inline. */
static __always_inline void row_putc(struct seq_file *m, char c)
{
	if (likely(m->count < m->size))
		m->buf[m->count++] = c;
}

/*
 * An unsigned number in decimal, without seq_put_decimal_ull()'s options:
 * count its digits, then write them in place from the last one.
 */
static __always_inline void row_ull(struct seq_file *m, unsigned long long v)
{
	unsigned long long limit = 10;
	size_t len = 1;
	char *p;

	for (; len < 20 && v >= limit; len++)
		limit *= 10;
	if (unlikely(m->count + len >= m->size)) {
		m->count = m->size;
		return;
	}
	m->count += len;
	p = m->buf + m->count;
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
}

/* Open column @col: what is printed until col_end() is padded to its width. */
static __always_inline void col_begin(struct seq_file *m,
				      enum sockmap_column col)
{
	seq_setwidth(m, sockmap_columns[col].width);
}

/*
 * @n spaces at @p, 1 <= @n <= 24, in at most three stores that may overlap
 * (the first and the last cover the ends): padding is on every column, and
 * a call to memset() for a few bytes costs more than the bytes.
 */
static __always_inline void row_spaces(char *p, size_t n)
{
	static const char spaces[8] = "        ";

	if (n >= 8) {
		memcpy(p, spaces, 8);
		if (n > 16)
			memcpy(p + 8, spaces, 8);
		memcpy(p + n - 8, spaces, 8);
	} else if (n >= 4) {
		memcpy(p, spaces, 4);
		memcpy(p + n - 4, spaces, 4);
	} else {
		p[0] = ' ';
		p[n / 2] = ' ';
		p[n - 1] = ' ';
	}
}

/*
 * Close a column: pad it and separate it from the next, or end the row.
 * seq_pad(), with the common case inline.
 */
static __always_inline void col_end(struct seq_file *m,
				    enum sockmap_column col)
{
	if (m->count < m->pad_until) {
		if (likely(m->pad_until - m->count <= 24 &&
			   m->pad_until < m->size)) {
			row_spaces(m->buf + m->count, m->pad_until - m->count);
			m->count = m->pad_until;
		} else {
			seq_pad(m, 0);
		}
	}
	row_putc(m, col == COL_PEER ? '\n' : ' ');
}

static __always_inline void col_str(struct seq_file *m,
				    enum sockmap_column col, const char *s)
{
	col_begin(m, col);
	row_write(m, s, strlen(s));
	col_end(m, col);
}

static __always_inline void col_ull(struct seq_file *m,
				    enum sockmap_column col,
				    unsigned long long v)
{
	col_begin(m, col);
	row_ull(m, v);
	col_end(m, col);
}

static void col_ll(struct seq_file *m, enum sockmap_column col, long long v)
{
	col_begin(m, col);
	if (v < 0)
		row_putc(m, '-');
	row_ull(m, v < 0 ? -(unsigned long long)v : v);
	col_end(m, col);
}

/*
 * A name from names.c, or the number it has no name for: what
 * sockmap_put_family() and friends print, without their seq_puts() calls.
 */
static void col_name(struct seq_file *m, enum sockmap_column col,
		     const char *name, int nr)
{
	if (name)
		col_str(m, col, name);
	else
		col_ll(m, col, nr);
}

/* A "-" in every column from @first to @last. */
static void col_none(struct seq_file *m, enum sockmap_column first,
		     enum sockmap_column last)
{
	enum sockmap_column col;

	for (col = first; col <= last; col++)
		col_str(m, col, "-");
}

/* An inode number, or "-" for 0 (no such socket). */
static void col_ino(struct seq_file *m, enum sockmap_column col,
		    unsigned long ino)
{
	if (ino)
		col_ull(m, col, ino);
	else
		col_str(m, col, "-");
}

void sockmap_show_header(struct seq_file *m)
{
	enum sockmap_column col;

	for (col = 0; col < NR_COLUMNS; col++)
		col_str(m, col, sockmap_columns[col].name);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_show_header);

static bool sockmap_is_tcp(const struct sock *sk)
{
	return sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
}

static bool sockmap_is_udp(const struct sock *sk)
{
	return sk->sk_type == SOCK_DGRAM &&
	       (sk->sk_protocol == IPPROTO_UDP ||
		sk->sk_protocol == IPPROTO_UDPLITE);
}

/* LOCAL and REMOTE of an INET or INET6 socket, as /proc/net/tcp has them. */
static void sockmap_show_inet_addrs(struct seq_file *m, struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		struct in6_addr local = sk->sk_v6_rcv_saddr;
		struct in6_addr remote = sk->sk_v6_daddr;

		col_begin(m, COL_LOCAL);
		sockmap_put_inet6(m, &local, inet->inet_sport);
		col_end(m, COL_LOCAL);
		col_begin(m, COL_REMOTE);
		sockmap_put_inet6(m, &remote, inet->inet_dport);
		col_end(m, COL_REMOTE);
		return;
	}
#endif
	col_begin(m, COL_LOCAL);
	sockmap_put_inet4(m, inet->inet_rcv_saddr, inet->inet_sport);
	col_end(m, COL_LOCAL);
	col_begin(m, COL_REMOTE);
	sockmap_put_inet4(m, inet->inet_daddr, inet->inet_dport);
	col_end(m, COL_REMOTE);
}

/*
 * RXQ and TXQ of a TCP socket: bytes not yet read by the application and
 * bytes not yet acknowledged by the peer, as in /proc/net/tcp; for a
 * listener, the accept queue and its limit, as ss shows them.
 */
static void sockmap_show_tcp_queues(struct seq_file *m, struct sock *sk,
				    int state)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (state == TCP_LISTEN) {
		col_ull(m, COL_RXQ, READ_ONCE(sk->sk_ack_backlog));
		col_ull(m, COL_TXQ, READ_ONCE(sk->sk_max_ack_backlog));
		return;
	}
	/* Unlocked, rcv_nxt - copied_seq can be transiently negative. */
	col_ull(m, COL_RXQ, max_t(int, READ_ONCE(tp->rcv_nxt) -
				       READ_ONCE(tp->copied_seq), 0));
	col_ull(m, COL_TXQ, (u32)(READ_ONCE(tp->write_seq) -
				  READ_ONCE(tp->snd_una)));
}

/* CWND, SSTHRESH, SRTT_US and RETRANS: what ss -ti shows, labelled. */
static void sockmap_show_tcp_stats(struct seq_file *m, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	col_ull(m, COL_CWND, tcp_snd_cwnd(tp));
	/* Like /proc/net/tcp: -1 while still in the initial slow start. */
	if (tcp_in_initial_slowstart(tp))
		col_ll(m, COL_SSTHRESH, -1);
	else
		col_ull(m, COL_SSTHRESH, READ_ONCE(tp->snd_ssthresh));
	/* srtt_us holds 8 times the smoothed RTT (RFC 6298's fixed point). */
	col_ull(m, COL_SRTT, READ_ONCE(tp->srtt_us) >> 3);
	col_ull(m, COL_RETRANS, READ_ONCE(tp->total_retrans));
}

/*
 * STATE .. RETRANS of an INET/INET6 socket; returns the PEER inode.
 * UDP and raw sockets use the TCP state names too, as /proc/net/udp does.
 */
static unsigned long sockmap_show_inet(struct seq_file *m, struct sock *sk)
{
	int state = inet_sk_state_load(sk);

	col_name(m, COL_STATE, sockmap_tcp_state_name(state), state);
	sockmap_show_inet_addrs(m, sk);

	if (sockmap_is_tcp(sk)) {
		sockmap_show_tcp_queues(m, sk, state);
		sockmap_show_tcp_stats(m, sk);
		return sockmap_tcp_peer_ino(sk);
	}
	if (sockmap_is_udp(sk))
		col_ull(m, COL_RXQ, max_t(int, udp_rqueue_get(sk), 0));
	else
		col_ull(m, COL_RXQ, sk_rmem_alloc_get(sk));
	col_ull(m, COL_TXQ, sk_wmem_alloc_get(sk));
	col_none(m, COL_CWND, COL_RETRANS);
	return 0;
}

/* A UNIX socket's bound name, or "-". The name lives as long as @sk does. */
static void sockmap_put_unix_name(struct seq_file *m, struct sock *sk)
{
	/* Paired with the smp_store_release() in af_unix's bind. */
	const struct unix_address *addr = smp_load_acquire(&unix_sk(sk)->addr);

	if (!addr) {
		row_putc(m, '-');
		return;
	}
	sockmap_put_unix_path(m, addr->name->sun_path,
			      addr->len - offsetof(struct sockaddr_un,
						   sun_path));
}

/*
 * STATE .. RETRANS of a UNIX socket; returns the PEER inode.
 *
 * unix_peer_get() takes a reference to the peer under the socket's state
 * lock; it keeps the peer's name alive until the sock_put() below.
 * Queues are those of unix_diag, hence of ss.
 */
static unsigned long sockmap_show_unix(struct seq_file *m, struct sock *sk)
{
	struct sock *peer = unix_peer_get(sk);
	unsigned long peer_ino = 0;

	if (READ_ONCE(sk->sk_state) == TCP_LISTEN)
		col_str(m, COL_STATE, "LISTEN");
	else
		col_str(m, COL_STATE, peer ? "CONNECTED" : "UNCONNECTED");

	col_begin(m, COL_LOCAL);
	sockmap_put_unix_name(m, sk);
	col_end(m, COL_LOCAL);
	col_begin(m, COL_REMOTE);
	if (peer)
		sockmap_put_unix_name(m, peer);
	else
		row_putc(m, '-');
	col_end(m, COL_REMOTE);

	if (READ_ONCE(sk->sk_state) == TCP_LISTEN) {
		col_ull(m, COL_RXQ, skb_queue_len_lockless(&sk->sk_receive_queue));
		col_ull(m, COL_TXQ, READ_ONCE(sk->sk_max_ack_backlog));
	} else {
		col_ull(m, COL_RXQ, max_t(long, unix_inq_len(sk), 0));
		col_ull(m, COL_TXQ, max_t(long, unix_outq_len(sk), 0));
	}
	col_none(m, COL_CWND, COL_RETRANS);

	if (peer) {
		peer_ino = sockmap_sock_ino(peer);
		sock_put(peer);
	}
	return peer_ino;
}

/*
 * sockmap_getsockname - what getsockname() says of @sock: the only view of
 * a netlink or packet socket, whose socket structs are private to their
 * families. Leaves AF_UNSPEC in @ss when there is nothing to say (the
 * obsolete SOCK_PACKET answers in a format of its own).
 */
static void sockmap_getsockname(struct socket *sock,
				struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (sock->type == SOCK_PACKET ||
	    kernel_getsockname(sock, (struct sockaddr *)ss) < 0)
		ss->ss_family = AF_UNSPEC;
}

/*
 * LOCAL of a netlink socket (its port id) or a packet socket (interface
 * and ethertype it is bound to), from sockmap_getsockname().
 */
static void sockmap_put_sockname(struct seq_file *m, struct sock *sk,
				 const struct sockaddr_storage *ss)
{
	const struct sockaddr_ll *sll = (const struct sockaddr_ll *)ss;
	const struct sockaddr_nl *snl = (const struct sockaddr_nl *)ss;
	char ifname[IFNAMSIZ] = "*";
	struct net_device *dev;

	if (ss->ss_family == AF_NETLINK) {
		seq_put_decimal_ull(m, "", snl->nl_pid);
		return;
	}
	if (ss->ss_family != AF_PACKET) {
		row_putc(m, '-');
		return;
	}
	if (sll->sll_ifindex) {
		rcu_read_lock();
		dev = dev_get_by_index_rcu(sock_net(sk), sll->sll_ifindex);
		if (dev)
			strscpy(ifname, dev->name, sizeof(ifname));
		rcu_read_unlock();
	}
	seq_printf(m, "%s:0x%04x", ifname, ntohs(sll->sll_protocol));
}

/* STATE .. RETRANS of any other family; there is never a PEER. */
static unsigned long sockmap_show_other(struct seq_file *m, struct sock *sk,
					const struct sockaddr_storage *ss)
{
	col_str(m, COL_STATE, "-");
	col_begin(m, COL_LOCAL);
	sockmap_put_sockname(m, sk, ss);
	col_end(m, COL_LOCAL);
	col_str(m, COL_REMOTE, "-");
	col_ull(m, COL_RXQ, sk_rmem_alloc_get(sk));
	col_ull(m, COL_TXQ, sk_wmem_alloc_get(sk));
	col_none(m, COL_CWND, COL_RETRANS);
	return 0;
}

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

/* SOCK .. PROTO: where the struct sock is and what it is. */
static void sockmap_show_identity(struct seq_file *m, struct sock *sk,
				  const struct sockaddr_storage *ss)
{
	col_begin(m, COL_SOCK);
	/* %pK: kptr_restrict decides, exactly as for /proc/net/tcp. */
	seq_printf(m, "%pK", sk);
	col_end(m, COL_SOCK);
	col_ull(m, COL_NETNS, sock_net(sk)->ns.inum);
	col_name(m, COL_FAMILY, sockmap_family_name(sk->sk_family),
		 sk->sk_family);
	col_name(m, COL_TYPE, sockmap_type_name(sk->sk_type), sk->sk_type);
	col_begin(m, COL_PROTO);
	sockmap_put_proto(m, sk->sk_family, sockmap_protocol(sk, ss));
	col_end(m, COL_PROTO);
}

/*
 * Families whose LOCAL (and, for PACKET, PROTO) only getsockname() knows.
 * No other family is asked: some getname()s take the socket's lock.
 */
static bool sockmap_wants_sockname(const struct sock *sk)
{
	return sk->sk_family == AF_NETLINK || sk->sk_family == AF_PACKET;
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
 * sockmap_show_socket - columns INODE .. PEER for @file, which must be a
 * socket. The caller holds a reference to @file.
 */
void sockmap_show_socket(struct seq_file *m, struct file *file)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;
	struct sockaddr_storage name = { .ss_family = AF_UNSPEC };
	unsigned long peer_ino;

	col_ull(m, COL_INODE, file_inode(file)->i_ino);
	if (!sk) {
		/* A socket whose protocol has let go of it already. */
		col_none(m, COL_SOCK, COL_PEER);
		return;
	}
	if (sockmap_wants_sockname(sk))
		sockmap_getsockname(sock, &name);
	sockmap_show_identity(m, sk, &name);

	switch (sk->sk_family) {
	case AF_INET:
	case AF_INET6:
		peer_ino = sockmap_show_inet(m, sk);
		break;
	case AF_UNIX:
		peer_ino = sockmap_show_unix(m, sk);
		break;
	default:
		peer_ino = sockmap_show_other(m, sk, &name);
		break;
	}

	/*
	 * sock_i_uid(sk) without its lock: it reads the owner of the socket's
	 * inode under sk_callback_lock because sk->sk_socket is cleared when
	 * the socket is released, which cannot happen while we hold @file;
	 * until then that inode is @file's own.
	 */
	col_ull(m, COL_UID, sockmap_reader_uid(m, file_inode(file)->i_uid));
	col_ino(m, COL_PEER, peer_ino);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_show_socket);

/*
 * sockmap_show_row - a whole row: the task's PID and escaped COMM, the FD,
 * then the socket behind it. The caller holds a reference to @file.
 */
void sockmap_show_row(struct seq_file *m, int pid, const char *comm,
		      unsigned int fd, struct file *file)
{
	col_ull(m, COL_PID, pid);
	col_str(m, COL_COMM, comm);
	col_ull(m, COL_FD, fd);
	sockmap_show_socket(m, file);
}
