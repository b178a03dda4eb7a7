// SPDX-License-Identifier: GPL-2.0
/*
 * tcp.c - TCP's own state, from struct tcp_sock: the queues, the
 * congestion window, the slow-start threshold, the smoothed RTT and the
 * retransmits, as /proc/net/tcp and ss -ti show them. *
 * Fields are read the way net/ipv4/tcp_ipv4.c reads them for /proc/net/tcp:
 * without locking the socket, with READ_ONCE() and the kernel's accessors,
 * clamping the transient negatives that an unlocked read can see.
 */

#include <net/sock.h>
#include <net/tcp.h>

#include "sockmap.h"
#include "sockmap_row.h"

/*
 * RXQ and TXQ of a TCP socket: bytes not yet read by the application and
 * bytes not yet acknowledged by the peer, as in /proc/net/tcp; for a
 * listener, the accept queue and its limit, as ss shows them.
 */
char *sockmap_fmt_tcp_queues(char *p, struct sock *sk, int state)
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
char *sockmap_fmt_tcp_stats(char *p, struct sock *sk)
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
 * TX_BYTES and RX_BYTES: bytes the peer has acknowledged and bytes
 * received in sequence (RFC 4898's HCThruOctetsAcked and
 * HCThruOctetsReceived), as tcp_get_info() reports them and ss -ti shows
 * them as bytes_acked and bytes_received. tcp_get_info() reads them under
 * the socket's lock; like /proc/net/tcp, a row does not take it. On a
 * 64-bit kernel a READ_ONCE() of a u64 is one load, so a value is never
 * torn, only a moment older or newer than the rest of the row.
 */
char *sockmap_fmt_tcp_bytes(char *p, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	p = col_ull(p, COL_TX_BYTES, READ_ONCE(tp->bytes_acked));
	return col_ull(p, COL_RX_BYTES, READ_ONCE(tp->bytes_received));
}
