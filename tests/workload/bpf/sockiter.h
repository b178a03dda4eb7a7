/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sockiter.bpf.c and sockiter_fast.bpf.c share: the constants, the
 * names of a row's words and the queues a row shows. The two print the same
 * rows (the bench guest compares them byte for byte), one with
 * bpf_seq_printf(), the other formatting by hand; what they read and which
 * name they give it is written once, here.
 */
#ifndef SOCKITER_H
#define SOCKITER_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17
#define TCP_LISTEN	10
#define SOCK_STREAM	1
#define SOCK_SEQPACKET	5
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define TCP_INFINITE_SSTHRESH	0x7fffffff

/* Inlined by the verifier into a move: a typed, read-only view of @obj. */
void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
#define AS(type, p) ((struct type *)bpf_rdonly_cast((p), \
				bpf_core_type_id_kernel(struct type)))

#define SOCKITER_HEADER "PID     COMM            FD   INODE     SOCK             NETNS      FAMILY  TYPE   PROTO  STATE       LOCAL                 REMOTE                RXQ     TXQ     CWND SSTHRESH SRTT_US RETRANS UID   PEER\n"

/* The words a row can hold: an index into sockiter_names[]. */
enum {
	N_UNIX, N_INET, N_INET6, N_NETLINK, N_PACKET, N_UNKNOWN,
	N_STREAM, N_DGRAM, N_RAW, N_RDM, N_SEQPACKET, N_TPACKET,
	N_DASH, N_ICMP, N_TCP, N_UDP, N_ICMPV6, N_SCTP, N_UDPLITE, N_MPTCP,
	/* TCP's states 1 (ESTABLISHED) to 12 (NEW_SYN_RECV), in order */
	N_ESTABLISHED, N_SYN_SENT, N_SYN_RECV, N_FIN_WAIT1, N_FIN_WAIT2,
	N_TIME_WAIT, N_CLOSE, N_CLOSE_WAIT, N_LAST_ACK, N_LISTEN, N_CLOSING,
	N_NEW_SYN_RECV,
	N_CONNECTED, N_UNCONNECTED, N_MINUS1,
};

/* A power of two of entries, so that an index masked with it stays inside. */
#define SOCKITER_NAMES	64

static const char sockiter_names[SOCKITER_NAMES][16] = {
	[N_UNIX] = "UNIX", [N_INET] = "INET", [N_INET6] = "INET6",
	[N_NETLINK] = "NETLINK", [N_PACKET] = "PACKET", [N_UNKNOWN] = "?",
	[N_STREAM] = "STREAM", [N_DGRAM] = "DGRAM", [N_RAW] = "RAW",
	[N_RDM] = "RDM", [N_SEQPACKET] = "SEQPACKET", [N_TPACKET] = "PACKET",
	[N_DASH] = "-", [N_ICMP] = "ICMP", [N_TCP] = "TCP", [N_UDP] = "UDP",
	[N_ICMPV6] = "ICMPV6", [N_SCTP] = "SCTP", [N_UDPLITE] = "UDPLITE",
	[N_MPTCP] = "MPTCP",
	[N_ESTABLISHED] = "ESTABLISHED", [N_SYN_SENT] = "SYN_SENT",
	[N_SYN_RECV] = "SYN_RECV", [N_FIN_WAIT1] = "FIN_WAIT1",
	[N_FIN_WAIT2] = "FIN_WAIT2", [N_TIME_WAIT] = "TIME_WAIT",
	[N_CLOSE] = "CLOSE", [N_CLOSE_WAIT] = "CLOSE_WAIT",
	[N_LAST_ACK] = "LAST_ACK", [N_LISTEN] = "LISTEN",
	[N_CLOSING] = "CLOSING", [N_NEW_SYN_RECV] = "NEW_SYN_RECV",
	[N_CONNECTED] = "CONNECTED", [N_UNCONNECTED] = "UNCONNECTED",
	[N_MINUS1] = "-1",
};

static __always_inline __u32 family_id(__u16 f)
{
	switch (f) {
	case AF_UNIX: return N_UNIX;
	case AF_INET: return N_INET;
	case AF_INET6: return N_INET6;
	case AF_NETLINK: return N_NETLINK;
	case AF_PACKET: return N_PACKET;
	}
	return N_UNKNOWN;
}

/* SOCK_STREAM (1) to SOCK_SEQPACKET (5) are in order in the enum above. */
static __always_inline __u32 type_id(__u16 t)
{
	if (t >= 1 && t <= 5)
		return N_STREAM + t - 1;
	return t == 10 ? N_TPACKET : N_UNKNOWN;
}

static __always_inline __u32 proto_id(__u16 family, __u16 p)
{
	if (family == AF_UNIX)
		return N_DASH;
	if (family != AF_INET && family != AF_INET6)
		return N_UNKNOWN;
	switch (p) {
	case 1: return N_ICMP;
	case 6: return N_TCP;
	case 17: return N_UDP;
	case 58: return N_ICMPV6;
	case 132: return N_SCTP;
	case 136: return N_UDPLITE;
	case 255: return N_RAW;
	case 262: return N_MPTCP;
	}
	return N_UNKNOWN;
}

/* What both read of every socket fd, whatever its family. */
struct sockiter_sock {
	struct sock *sk;
	struct inode *inode;
	__u32 uid;
	__u16 family, type, proto;
	int st;
};

/* Whether @file is a socket with a sock; if so, @s says what it is. */
static __always_inline bool sockiter_sock(struct file *file, struct sockiter_sock *s)
{
	struct socket *sock = bpf_sock_from_file(file);
	struct sock *sk;

	if (!sock)
		return false;
	sk = sock->sk;
	if (!sk)
		return false;
	s->sk = sk;
	s->inode = file->f_inode;
	s->uid = s->inode->i_uid.val;
	s->family = sk->__sk_common.skc_family;
	s->type = sk->sk_type;
	s->proto = sk->sk_protocol;
	s->st = sk->__sk_common.skc_state;
	return true;
}

/* STATE of a socket of @family in TCP's state @s (UDP's too, as sockmap). */
static __always_inline __u32 state_id(__u16 family, int s)
{
	if (family != AF_INET && family != AF_INET6)
		return N_DASH;
	if (s >= 1 && s <= 12)
		return N_ESTABLISHED + s - 1;
	return N_UNKNOWN;
}

/* STATE of a UNIX socket in state @st, with or without a peer. */
static __always_inline __u32 unix_state_id(int st, struct sock *peer)
{
	return st == TCP_LISTEN ? N_LISTEN : peer ? N_CONNECTED : N_UNCONNECTED;
}

/*
 * RXQ and TXQ of a UNIX socket: a listener's backlog and its limit, else
 * the bytes queued to read (unix_inq_len() sums them under the queue's
 * lock; here the first 16 buffers, unlocked) and the bytes sent not yet
 * read by the peer.
 */
static __always_inline void unix_queues(struct sock *sk, __u16 type, int st,
					__u32 *rxq, __u32 *txq)
{
	struct sk_buff *skb;

	if (st == TCP_LISTEN) {
		*rxq = sk->sk_receive_queue.qlen;
		*txq = sk->sk_max_ack_backlog;
		return;
	}
	*rxq = 0;
	*txq = sk->sk_wmem_alloc.refs.counter - 1;
	if (!sk->sk_receive_queue.qlen)
		return;
	skb = sk->sk_receive_queue.next;
	if (type == SOCK_STREAM || type == SOCK_SEQPACKET) {
		for (int i = 0; i < 16 && skb &&
		     (void *)skb != (void *)&sk->sk_receive_queue; i++) {
			*rxq += skb->len;
			skb = skb->next;
		}
	} else if (skb) {
		*rxq = skb->len;
	}
}

/* RXQ and TXQ of a TCP socket, as /proc/net/tcp shows them. */
static __always_inline void tcp_queues(struct sock *sk, int st, __u32 *rxq, __u32 *txq)
{
	struct tcp_sock *tp = AS(tcp_sock, sk);
	int rcvq;

	if (st == TCP_LISTEN) {
		*rxq = sk->sk_ack_backlog;
		*txq = sk->sk_max_ack_backlog;
		return;
	}
	rcvq = (int)(tp->rcv_nxt - tp->copied_seq);
	*rxq = rcvq > 0 ? rcvq : 0;
	*txq = tp->write_seq - tp->snd_una;
}

/* RXQ and TXQ of any other socket: memory charged, less UDP's deficit. */
static __always_inline void mem_queues(struct sock *sk, __u16 proto, __u32 *rxq, __u32 *txq)
{
	*rxq = sk->sk_backlog.rmem_alloc.counter;
	if (proto == IPPROTO_UDP) {
		int q = (int)*rxq - AS(udp_sock, sk)->forward_deficit;

		*rxq = q > 0 ? q : 0;
	}
	*txq = sk->sk_wmem_alloc.refs.counter - 1;
}

#endif /* SOCKITER_H */
