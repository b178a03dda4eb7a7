// SPDX-License-Identifier: GPL-2.0
/*
 * peer.c - the socket at the other end of a TCP connection, when that end
 * is on this host.
 *
 * A segment that a socket sends is delivered, on the receiving host, to the
 * established socket whose 4-tuple is the sender's reversed: the receive
 * path finds it with __inet_lookup_established(). If the other end is
 * local (loopback, or any address of this host, in the same network
 * namespace), asking that same hash table the same question finds it here.
 */

#include <linux/in6.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "sockmap.h"

/*
 * sockmap_sock_ino - the inode number of @sk's socket, or 0 once @sk has
 * been orphaned: sock_i_ino() without its sk_callback_lock, for a peer,
 * whose file is not ours to hold. The caller holds a reference to @sk.
 *
 * sock_i_ino() takes the lock (with bottom halves off) so that
 * sock_orphan() cannot clear sk->sk_socket and the socket's inode be freed
 * between the two loads. RCU gives the same guarantee more cheaply: a
 * socket's inode is freed only through sockfs' ->free_inode(), which runs
 * after a grace period, and only after sock_orphan() has cleared
 * sk->sk_socket; so a socket seen inside the read-side section stays
 * readable until its end, and i_ino never changes.
 */
unsigned long sockmap_sock_ino(struct sock *sk)
{
	unsigned long ino = 0;
	struct socket *sock;

	rcu_read_lock();
	sock = READ_ONCE(sk->sk_socket);
	if (sock)
		ino = SOCK_INODE(sock)->i_ino;
	rcu_read_unlock();
	return ino;
}

/*
 * sockmap_lookup_reverse - the socket that a segment from @sk would be
 * delivered to. The lookup runs under RCU, as on the receive path; a
 * non-NULL return holds a reference (drop it with sock_gen_put(): it may
 * be a TIME_WAIT or request socket rather than a full one).
 */
static struct sock *sockmap_lookup_reverse(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	int dif = READ_ONCE(sk->sk_bound_dev_if);
	struct net *net = sock_net(sk);
	struct sock *peer;

	rcu_read_lock();
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6 &&
	    !ipv6_addr_v4mapped(&sk->sk_v6_daddr)) {
		peer = __inet6_lookup_established(net, &sk->sk_v6_rcv_saddr,
						  inet->inet_sport,
						  &sk->sk_v6_daddr,
						  ntohs(inet->inet_dport),
						  dif, 0);
		rcu_read_unlock();
		return peer;
	}
#endif
	/* IPv4, and IPv6 sockets talking to v4-mapped addresses. */
	peer = __inet_lookup_established(net, inet->inet_rcv_saddr,
					 inet->inet_sport, inet->inet_daddr,
					 ntohs(inet->inet_dport), dif, 0);
	rcu_read_unlock();
	return peer;
}

/*
 * The states in which a TCP socket is in the established hash, where the
 * other end's lookup finds it. A socket in CLOSE (after a reset, say) has
 * left it but keeps its 4-tuple: a new connection on the same ports would
 * otherwise be taken for its peer.
 */
#define SOCKMAP_TCPF_EHASHED	(TCPF_ESTABLISHED | TCPF_SYN_SENT | \
				 TCPF_SYN_RECV | TCPF_FIN_WAIT1 | \
				 TCPF_FIN_WAIT2 | TCPF_CLOSE_WAIT | \
				 TCPF_LAST_ACK | TCPF_CLOSING)

/*
 * sockmap_tcp_peer_ino - the inode of the local socket at the other end of
 * TCP socket @sk, which was in @state, or 0 when there is none: not
 * connected (or no longer), the other end is remote, or it has no file (a
 * request socket, TIME_WAIT, or not yet accepted). The caller keeps @sk
 * alive; the peer's reference is dropped here once its inode is read.
 */
unsigned long sockmap_tcp_peer_ino(struct sock *sk, int state)
{
	unsigned long ino = 0;
	struct sock *peer;

	if (!((1 << state) & SOCKMAP_TCPF_EHASHED) ||
	    !READ_ONCE(inet_sk(sk)->inet_dport))
		return 0;
	peer = sockmap_lookup_reverse(sk);
	if (!peer)
		return 0;
	if (sk_fullsock(peer))
		ino = sockmap_sock_ino(peer);
	sock_gen_put(peer);
	return ino;
}
