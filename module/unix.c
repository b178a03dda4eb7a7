// SPDX-License-Identifier: GPL-2.0
/*
 * unix.c - UNIX sockets: STATE, the bound names of both ends, the
 * queues as ss -x shows them, and the peer, from struct unix_sock.
 */

#include <linux/skbuff.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "sockmap.h"
#include "sockmap_row.h"

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
static char *sockmap_fmt_unix_name(char *p, enum sockmap_column col,
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
char *sockmap_fmt_unix(char *p, struct sock *sk, unsigned long *peer_ino)
{
	struct sock *peer = unix_peer_get(sk);
	bool listening = READ_ONCE(sk->sk_state) == TCP_LISTEN;

	if (listening)
		p = col_str(p, COL_STATE, "LISTEN");
	else
		p = col_str(p, COL_STATE, peer ? "CONNECTED" : "UNCONNECTED");
	p = sockmap_fmt_unix_name(p, COL_LOCAL, sk);
	p = sockmap_fmt_unix_name(p, COL_REMOTE, peer);

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

