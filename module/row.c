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
	COL_PEER, COL_CGROUP, NR_COLUMNS
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
	[COL_PEER]	= { "PEER",	9 },
	[COL_CGROUP]	= { "CGROUP",	0 },
};

/*
 * Writing a row. sockmap_show_row() asks the seq_file once for room for
 * the longest row there can be (SOCKMAP_ROW_MAX), writes every field at a
 * plain char pointer, which the helpers below take and return, and
 * commits the row once. Under profiling (bench/results.md, and its
 * ablation table) formatting was half of a row's cost, and most of it was
 * bookkeeping: seq_putc(), seq_pad() and friends load and store the
 * seq_file's count and size for every byte or field. Here the pointer
 * stays in a register, padding and short numbers are written a 64-bit
 * word at a time, and nothing but the row is stored. Without the room,
 * the buffer is marked overflowed (count == size) and seq_read_iter()
 * retries the row in an emptied buffer, so the output is the same.
 */

/* The longest number: U64_MAX, or S64_MIN with its sign. */
#define SOCKMAP_NUMBER_MAX	20

/* The longest %pK: 16 hex digits, "(____ptrval____)" or "pK-error". */
#define SOCKMAP_POINTER_MAX	16

/*
 * The longest row: every column counted as a number or as its padded
 * width (at most 21), with its separator; on top of that the longest
 * command name and two UNIX names (LOCAL and REMOTE); and 8 bytes that a
 * word store of padding may write past the last column.
 */
#define SOCKMAP_ROW_MAX	(NR_COLUMNS * (SOCKMAP_NUMBER_MAX + 2) + \
			 SOCKMAP_COMM_ESCAPED_LEN + \
			 2 * SOCKMAP_UNIX_NAME_MAX + 8)

#define SOCKMAP_SPACES	0x2020202020202020ULL

/* @width bytes of spaces at @p, a word at a time: may write 7 more. */
static __always_inline void row_spaces(char *p, unsigned int width)
{
	unsigned int i;

	for (i = 0; i < width; i += 8)
		put_unaligned_le64(SOCKMAP_SPACES, p + i);
}

/*
 * Open column @col at @p: its padding is written first, and the field
 * over it; col_close() then moves past whichever is longer.
 */
static __always_inline char *col_open(char *p, enum sockmap_column col)
{
	row_spaces(p, sockmap_columns[col].width);
	return p;
}

/* Close the column opened at @start: pad it, then separate or end. */
static __always_inline char *col_close(char *p, char *start,
				       enum sockmap_column col)
{
	if (p < start + sockmap_columns[col].width)
		p = start + sockmap_columns[col].width;
	*p++ = col == COL_CGROUP ? '\n' : ' ';
	return p;
}

/*
 * At most @max bytes from a printf format, for the fields only vsnprintf()
 * can write (%pK) or that are rare. vsnprintf() ends them with a NUL; that
 * byte is padding, so it is made a space again.
 */
static __printf(3, 4) char *row_printf(char *p, size_t max,
				       const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	p += vscnprintf(p, max + 1, fmt, args);
	va_end(args);
	*p = ' ';
	return p;
}

/* A NUL-terminated string; the names are short, so byte by byte. */
static __always_inline char *row_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/* The 8 decimal digits of @v < 10^8, with leading zeros, in one store. */
static __always_inline char *row_8digits(char *p, u32 v)
{
	u64 w = 0;
	int i;

	for (i = 0; i < 8; i++) {
		w = (w << 8) | ('0' + v % 10);
		v /= 10;
	}
	put_unaligned_le64(w, p);
	return p + 8;
}

/*
 * An unsigned number in decimal, as seq_put_decimal_ull() prints it. Most
 * are below 10^8 (one store); inode and namespace numbers below 10^16 take
 * two; the rest, which no row has in practice, a digit at a time.
 */
static __always_inline char *row_ull(char *p, unsigned long long v)
{
	char digits[SOCKMAP_NUMBER_MAX], *d;

	if (likely(v < 100000000))
		return sockmap_fmt_small(p, v);
	if (v < 10000000000000000ULL) {
		p = sockmap_fmt_small(p, div_u64(v, 100000000));
		return row_8digits(p, do_div(v, 100000000));
	}
	d = digits + sizeof(digits);
	do {
		*--d = '0' + do_div(v, 10);
	} while (v);
	while (d < digits + sizeof(digits))
		*p++ = *d++;
	return p;
}

static __always_inline char *row_ll(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		return row_ull(p, -(unsigned long long)v);
	}
	return row_ull(p, v);
}

/* Whole columns: open, field, close. */
static __always_inline char *col_str(char *p, enum sockmap_column col,
				     const char *s)
{
	char *start = col_open(p, col);

	return col_close(row_str(start, s), start, col);
}

static __always_inline char *col_ull(char *p, enum sockmap_column col,
				     unsigned long long v)
{
	char *start = col_open(p, col);

	return col_close(row_ull(start, v), start, col);
}

static char *col_ll(char *p, enum sockmap_column col, long long v)
{
	char *start = col_open(p, col);

	return col_close(row_ll(start, v), start, col);
}

/*
 * A name from names.c, or the number it has no name for: what
 * sockmap_put_family() and friends print.
 */
static char *col_name(char *p, enum sockmap_column col, const char *name,
		      int nr)
{
	return name ? col_str(p, col, name) : col_ll(p, col, nr);
}

/* A "-" in every column from @first to @last. */
static char *col_none(char *p, enum sockmap_column first,
		      enum sockmap_column last)
{
	enum sockmap_column col;

	for (col = first; col <= last; col++)
		p = col_str(p, col, "-");
	return p;
}

/* An inode number, or "-" for 0 (no such socket). */
static char *col_ino(char *p, enum sockmap_column col, unsigned long ino)
{
	return ino ? col_ull(p, col, ino) : col_str(p, col, "-");
}

/*
 * sockmap_row_begin - room for a whole row with @extra more bytes (a
 * CGROUP path) at the end of @m's buffer, or NULL when there is not: the
 * buffer is then marked overflowed, and seq_read_iter() shows the row
 * again in an emptied buffer (a larger one, if an empty one was too small).
 */
static char *sockmap_row_begin(struct seq_file *m, size_t extra)
{
	char *start;

	if (seq_get_buf(m, &start) < SOCKMAP_ROW_MAX + extra) {
		seq_commit(m, -1);
		return NULL;
	}
	return start;
}

/* Commit the row written from @start to @end. */
static void sockmap_row_end(struct seq_file *m, char *start, char *end)
{
	seq_commit(m, end - start);
}

void sockmap_show_header(struct seq_file *m)
{
	char *start = sockmap_row_begin(m, 0), *p = start;
	enum sockmap_column col;

	if (!start)
		return;
	for (col = 0; col < NR_COLUMNS; col++)
		p = col_str(p, col, sockmap_columns[col].name);
	sockmap_row_end(m, start, p);
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
static char *sockmap_show_inet_addrs(char *p, struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	char *start;

#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		struct in6_addr local = sk->sk_v6_rcv_saddr;
		struct in6_addr remote = sk->sk_v6_daddr;

		start = col_open(p, COL_LOCAL);
		p = col_close(sockmap_fmt_inet6(start, &local, inet->inet_sport),
			      start, COL_LOCAL);
		start = col_open(p, COL_REMOTE);
		return col_close(sockmap_fmt_inet6(start, &remote,
						   inet->inet_dport),
				 start, COL_REMOTE);
	}
#endif
	start = col_open(p, COL_LOCAL);
	p = col_close(sockmap_fmt_inet4(start, inet->inet_rcv_saddr,
					inet->inet_sport), start, COL_LOCAL);
	start = col_open(p, COL_REMOTE);
	return col_close(sockmap_fmt_inet4(start, inet->inet_daddr,
					   inet->inet_dport), start, COL_REMOTE);
}

/*
 * RXQ and TXQ of a TCP socket: bytes not yet read by the application and
 * bytes not yet acknowledged by the peer, as in /proc/net/tcp; for a
 * listener, the accept queue and its limit, as ss shows them.
 */
static char *sockmap_show_tcp_queues(char *p, struct sock *sk, int state)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (state == TCP_LISTEN) {
		p = col_ull(p, COL_RXQ, READ_ONCE(sk->sk_ack_backlog));
		return col_ull(p, COL_TXQ, READ_ONCE(sk->sk_max_ack_backlog));
	}
	/* Unlocked, rcv_nxt - copied_seq can be transiently negative. */
	p = col_ull(p, COL_RXQ, max_t(int, READ_ONCE(tp->rcv_nxt) -
					   READ_ONCE(tp->copied_seq), 0));
	return col_ull(p, COL_TXQ, (u32)(READ_ONCE(tp->write_seq) -
					 READ_ONCE(tp->snd_una)));
}

/* CWND, SSTHRESH, SRTT_US and RETRANS: what ss -ti shows, labelled. */
static char *sockmap_show_tcp_stats(char *p, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	p = col_ull(p, COL_CWND, tcp_snd_cwnd(tp));
	/* Like /proc/net/tcp: -1 while still in the initial slow start. */
	if (tcp_in_initial_slowstart(tp))
		p = col_ll(p, COL_SSTHRESH, -1);
	else
		p = col_ull(p, COL_SSTHRESH, READ_ONCE(tp->snd_ssthresh));
	/* srtt_us holds 8 times the smoothed RTT (RFC 6298's fixed point). */
	p = col_ull(p, COL_SRTT, READ_ONCE(tp->srtt_us) >> 3);
	return col_ull(p, COL_RETRANS, READ_ONCE(tp->total_retrans));
}

/*
 * STATE .. RETRANS of an INET/INET6 socket, and its PEER inode in
 * *@peer_ino. UDP and raw sockets use the TCP state names too, as
 * /proc/net/udp does.
 */
static char *sockmap_show_inet(char *p, struct sock *sk,
			       unsigned long *peer_ino)
{
	int state = inet_sk_state_load(sk);

	p = col_name(p, COL_STATE, sockmap_tcp_state_name(state), state);
	p = sockmap_show_inet_addrs(p, sk);

	if (sockmap_is_tcp(sk)) {
		p = sockmap_show_tcp_queues(p, sk, state);
		*peer_ino = sockmap_tcp_peer_ino(sk, state);
		return sockmap_show_tcp_stats(p, sk);
	}
	if (sockmap_is_udp(sk))
		p = col_ull(p, COL_RXQ, max_t(int, udp_rqueue_get(sk), 0));
	else
		p = col_ull(p, COL_RXQ, sk_rmem_alloc_get(sk));
	p = col_ull(p, COL_TXQ, sk_wmem_alloc_get(sk));
	return col_none(p, COL_CWND, COL_RETRANS);
}

/* The address a UNIX socket (or none) is bound to, or NULL. */
static const struct unix_address *sockmap_unix_addr(struct sock *sk)
{
	/* Paired with the smp_store_release() in af_unix's bind. */
	return sk ? smp_load_acquire(&unix_sk(sk)->addr) : NULL;
}

/*
 * A UNIX socket's bound name, or "-", as column @col. The name lives as
 * long as @sk does.
 */
static char *sockmap_show_unix_name(char *p, enum sockmap_column col,
				    struct sock *sk)
{
	const struct unix_address *addr = sockmap_unix_addr(sk);
	char *start = col_open(p, col);

	if (!addr)
		return col_close(row_str(start, "-"), start, col);
	p = sockmap_fmt_unix_path(start, addr->name->sun_path,
				  addr->len - offsetof(struct sockaddr_un,
						       sun_path));
	return col_close(p, start, col);
}

/*
 * STATE .. RETRANS of a UNIX socket, and its PEER inode in *@peer_ino.
 *
 * unix_peer_get() takes a reference to the peer under the socket's state
 * lock; it keeps the peer's name alive until the sock_put() below.
 * Queues are those of unix_diag, hence of ss.
 */
static char *sockmap_show_unix(char *p, struct sock *sk,
			       unsigned long *peer_ino)
{
	struct sock *peer = unix_peer_get(sk);
	bool listening = READ_ONCE(sk->sk_state) == TCP_LISTEN;

	if (listening)
		p = col_str(p, COL_STATE, "LISTEN");
	else
		p = col_str(p, COL_STATE, peer ? "CONNECTED" : "UNCONNECTED");
	p = sockmap_show_unix_name(p, COL_LOCAL, sk);
	p = sockmap_show_unix_name(p, COL_REMOTE, peer);

	if (listening) {
		p = col_ull(p, COL_RXQ,
			    skb_queue_len_lockless(&sk->sk_receive_queue));
		p = col_ull(p, COL_TXQ, READ_ONCE(sk->sk_max_ack_backlog));
	} else {
		p = col_ull(p, COL_RXQ, max_t(long, unix_inq_len(sk), 0));
		p = col_ull(p, COL_TXQ, max_t(long, unix_outq_len(sk), 0));
	}

	if (peer) {
		*peer_ino = sockmap_sock_ino(peer);
		sock_put(peer);
	}
	return col_none(p, COL_CWND, COL_RETRANS);
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
 * The name of the interface a packet socket is bound to: "*" for every
 * interface (index 0), "-" for one that no longer exists (af_packet sets
 * the index to -1 when its device goes away), else the name, escaped.
 * At most 4 * (IFNAMSIZ - 1) bytes.
 */
static char *sockmap_fmt_ifname(char *p, struct sock *sk, int ifindex)
{
	char ifname[IFNAMSIZ];
	struct net_device *dev;
	ssize_t len = 0;

	if (!ifindex) {
		*p++ = '*';
		return p;
	}
	rcu_read_lock();
	dev = ifindex > 0 ? dev_get_by_index_rcu(sock_net(sk), ifindex) : NULL;
	if (dev)
		len = strscpy(ifname, dev->name, sizeof(ifname));
	rcu_read_unlock();
	return sockmap_fmt_name(p, ifname, max_t(ssize_t, len, 0));
}

/*
 * LOCAL of a netlink socket (its port id) or a packet socket (interface
 * and ethertype it is bound to), from sockmap_getsockname(): at most
 * 4 * (IFNAMSIZ - 1) + 7 bytes.
 */
static char *sockmap_fmt_sockname(char *p, struct sock *sk,
				  const struct sockaddr_storage *ss)
{
	const struct sockaddr_ll *sll = (const struct sockaddr_ll *)ss;
	const struct sockaddr_nl *snl = (const struct sockaddr_nl *)ss;

	if (ss->ss_family == AF_NETLINK)
		return row_ull(p, snl->nl_pid);
	if (ss->ss_family != AF_PACKET)
		return row_str(p, "-");
	p = sockmap_fmt_ifname(p, sk, sll->sll_ifindex);
	return row_printf(p, 7, ":0x%04x", ntohs(sll->sll_protocol));
}

/* STATE .. RETRANS of any other family; there is never a PEER. */
static char *sockmap_show_other(char *p, struct sock *sk,
				const struct sockaddr_storage *ss)
{
	char *start;

	p = col_str(p, COL_STATE, "-");
	start = col_open(p, COL_LOCAL);
	p = col_close(sockmap_fmt_sockname(start, sk, ss), start, COL_LOCAL);
	p = col_str(p, COL_REMOTE, "-");
	p = col_ull(p, COL_RXQ, sk_rmem_alloc_get(sk));
	p = col_ull(p, COL_TXQ, sk_wmem_alloc_get(sk));
	return col_none(p, COL_CWND, COL_RETRANS);
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

/* PROTO: a packet socket's ethertype in hex, else a name or the number. */
static char *sockmap_show_proto(char *p, struct sock *sk,
				const struct sockaddr_storage *ss)
{
	int protocol = sockmap_protocol(sk, ss);
	char *start;

	if (sk->sk_family != AF_PACKET)
		return col_name(p, COL_PROTO,
				sockmap_proto_name(sk->sk_family, protocol),
				protocol);
	/* In network byte order: what sockmap_put_proto() prints. */
	start = col_open(p, COL_PROTO);
	p = row_printf(start, 6, "0x%04x", ntohs((__force __be16)protocol));
	return col_close(p, start, COL_PROTO);
}

/*
 * SOCK .. PROTO: where the struct sock is and what it is. SOCK goes
 * through %pK, so kptr_restrict decides exactly as for /proc/net/tcp.
 */
static char *sockmap_show_identity(char *p, struct sock *sk,
				   const struct sockaddr_storage *ss)
{
	char *start = col_open(p, COL_SOCK);

	p = row_printf(start, SOCKMAP_POINTER_MAX, "%pK", sk);
	p = col_close(p, start, COL_SOCK);
	p = col_ull(p, COL_NETNS, sock_net(sk)->ns.inum);
	p = col_name(p, COL_FAMILY, sockmap_family_name(sk->sk_family),
		     sk->sk_family);
	p = col_name(p, COL_TYPE, sockmap_type_name(sk->sk_type), sk->sk_type);
	return sockmap_show_proto(p, sk, ss);
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
 * sockmap_fmt_socket - columns INODE .. PEER for @file, which must be a
 * socket, at @p; returns the end. The caller holds a reference to @file.
 */
static char *sockmap_fmt_socket(struct seq_file *m, char *p, struct file *file)
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
	p = sockmap_show_identity(p, sk, &name);

	switch (sk->sk_family) {
	case AF_INET:
	case AF_INET6:
		p = sockmap_show_inet(p, sk, &peer_ino);
		break;
	case AF_UNIX:
		p = sockmap_show_unix(p, sk, &peer_ino);
		break;
	default:
		p = sockmap_show_other(p, sk, &name);
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
 * sockmap_show_socket - columns INODE .. PEER for @file, which must be a
 * socket, ended by a newline. The caller holds a reference to @file.
 */
void sockmap_show_socket(struct seq_file *m, struct file *file)
{
	char *start = sockmap_row_begin(m, 0), *end;

	if (!start)
		return;
	end = sockmap_fmt_socket(m, start, file);
	end[-1] = '\n';	/* instead of the separator before CGROUP */
	sockmap_row_end(m, start, end);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_show_socket);

/*
 * sockmap_show_row - a whole row: the task's PID and escaped COMM, the FD,
 * the socket behind it, and the task's escaped CGROUP path (@cgroup_len
 * bytes, already escaped). The caller holds a reference to @file.
 */
void sockmap_show_row(struct seq_file *m, int pid, const char *comm,
		      unsigned int fd, struct file *file, const char *cgroup,
		      unsigned int cgroup_len)
{
	char *start = sockmap_row_begin(m, cgroup_len), *p = start;

	if (!start)
		return;
	p = col_ull(p, COL_PID, pid);
	p = col_str(p, COL_COMM, comm);
	p = col_ull(p, COL_FD, fd);
	p = sockmap_fmt_socket(m, p, file);
	memcpy(p, cgroup, cgroup_len);
	p += cgroup_len;
	*p++ = '\n';
	sockmap_row_end(m, start, p);
}
