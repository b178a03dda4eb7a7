// SPDX-License-Identifier: GPL-2.0
/*
 * inet.c - INET and INET6 sockets: STATE, LOCAL and REMOTE from
 * struct inet_sock, the queues, and for TCP what tcp.c and peer.c read. *
 * Fields are read the way net/ipv4/tcp_ipv4.c reads them for /proc/net/tcp:
 * without locking the socket, with READ_ONCE() and the kernel's accessors,
 * clamping the transient negatives that an unlocked read can see.
 */

#include <linux/in.h>
#include <net/inet_sock.h>
#include <net/inet_timewait_sock.h>
#include <net/ipv6.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <net/udp.h>

#include "sockmap.h"
#include "sockmap_row.h"

static bool sockmap_is_tcp(const struct sock *sk)
{
	return sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
}

static bool sockmap_is_mptcp(const struct sock *sk)
{
	return sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_MPTCP;
}

static bool sockmap_is_udp(const struct sock *sk)
{
	return sk->sk_type == SOCK_DGRAM &&
	       (sk->sk_protocol == IPPROTO_UDP ||
		sk->sk_protocol == IPPROTO_UDPLITE);
}

/*
 * LOCAL and REMOTE of an INET or INET6 socket, as /proc/net/tcp has them:
 * the addresses from @sk's struct sock_common, which TIME_WAIT and request
 * sockets have too, and the ports given (a full socket's are in struct
 * inet_sock).
 */
static char *sockmap_fmt_inet_addrs(char *p, struct sock *sk, __be16 sport,
				    __be16 dport)
{
	char *start;

#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		struct in6_addr local = sk->sk_v6_rcv_saddr;
		struct in6_addr remote = sk->sk_v6_daddr;

		start = col_open(p, COL_LOCAL);
		p = col_close(sockmap_fmt_inet6(start, &local, sport), start,
			      COL_LOCAL);
		start = col_open(p, COL_REMOTE);
		return col_close(sockmap_fmt_inet6(start, &remote, dport),
				 start, COL_REMOTE);
	}
#endif
	start = col_open(p, COL_LOCAL);
	p = col_close(sockmap_fmt_inet4(start, sk->sk_rcv_saddr, sport), start,
		      COL_LOCAL);
	start = col_open(p, COL_REMOTE);
	return col_close(sockmap_fmt_inet4(start, sk->sk_daddr, dport), start,
			 COL_REMOTE);
}

/*
 * STATE .. RETRANS of an INET/INET6 socket, and its PEER inode in
 * *@peer_ino. UDP and raw sockets use the TCP state names too, as
 * /proc/net/udp does.
 */
char *sockmap_fmt_inet(char *p, struct sock *sk, unsigned long *peer_ino)
{
	int state = inet_sk_state_load(sk);
	char *start = col_open(p, COL_STATE);

	p = col_close(sockmap_fmt_tcp_state(start, state), start, COL_STATE);
	p = sockmap_fmt_inet_addrs(p, sk, inet_sk(sk)->inet_sport,
				   inet_sk(sk)->inet_dport);

	if (sockmap_is_tcp(sk)) {
		p = sockmap_fmt_tcp_queues(p, sk, state);
		*peer_ino = sockmap_tcp_peer_ino(sk, state);
		return sockmap_fmt_tcp_stats(p, sk);
	}
	if (sockmap_is_udp(sk))
		p = col_ull(p, COL_RXQ, max_t(int, udp_rqueue_get(sk), 0));
	else
		p = col_ull(p, COL_RXQ, sk_rmem_alloc_get(sk));
	p = col_ull(p, COL_TXQ, sk_wmem_alloc_get(sk));
	return col_none(p, COL_CWND, COL_RETRANS);
}

/*
 * TX_BYTES and RX_BYTES of an INET/INET6 socket: TCP's own; an MPTCP
 * socket's for the whole connection, over all its subflows, where the
 * kernel counts them (sockmap_compat.h); "-" for every other protocol,
 * which counts no such thing.
 */
char *sockmap_fmt_inet_bytes(char *p, struct sock *sk)
{
	u64 acked, received;

	if (sockmap_is_tcp(sk))
		return sockmap_fmt_tcp_bytes(p, sk);
	if (sockmap_is_mptcp(sk) &&
	    sockmap_mptcp_bytes(sk, &acked, &received)) {
		p = col_ull(p, COL_TX_BYTES, acked);
		return col_ull(p, COL_RX_BYTES, received);
	}
	return col_none(p, COL_TX_BYTES, COL_RX_BYTES);
}

/*
 * sockmap_fmt_inet_mini - STATE .. RETRANS of a TIME_WAIT or request
 * socket, as /proc/net/tcp shows them: a TIME_WAIT socket's state is the
 * one it stands for (TIME_WAIT, or FIN_WAIT2 for an orphan that the kernel
 * turned into one), a request's SYN_RECV; no queues; no tcp_sock, so no
 * CWND .. RETRANS. The caller holds a reference to @sk.
 */
char *sockmap_fmt_inet_mini(char *p, struct sock *sk)
{
	int state = TCP_SYN_RECV;
	char *start;

	if (sk->sk_state == TCP_TIME_WAIT)
		state = READ_ONCE(inet_twsk(sk)->tw_substate);
	start = col_open(p, COL_STATE);
	p = col_close(sockmap_fmt_tcp_state(start, state), start, COL_STATE);
	p = sockmap_fmt_inet_addrs(p, sk, htons(sk->sk_num), sk->sk_dport);
	p = col_ull(p, COL_RXQ, 0);
	p = col_ull(p, COL_TXQ, 0);
	return col_none(p, COL_CWND, COL_RETRANS);
}

/*
 * sockmap_inet_req_uid - the owner /proc/net/tcp shows for request socket
 * @sk: its listener's, which the request holds a reference to.
 */
kuid_t sockmap_inet_req_uid(struct sock *sk)
{
	return sockmap_sk_uid(inet_reqsk(sk)->rsk_listener);
}
