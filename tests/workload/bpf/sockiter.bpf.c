// SPDX-License-Identifier: GPL-2.0
/*
 * sockiter - the BPF way to do what /proc/sockmap does: an iter/task_file
 * program that walks every task's fd table (the kernel's task_file
 * iterator, which like sockmap skips threads that share their leader's
 * table) and prints one row per socket fd with the columns of
 * /proc/sockmap that a BPF program can reach. scripts/bench pins it in the
 * guest with `bpftool iter pin sockiter.bpf.o /sys/fs/bpf/sockiter` and
 * times `cat /sys/fs/bpf/sockiter` beside `cat /proc/sockmap`.
 *
 * Written the way a careful BPF author would: CO-RE (every struct offset
 * is relocated against the running kernel's BTF), direct loads through
 * BTF pointers (the verifier turns them into fault-tolerant loads; no
 * bpf_probe_read_kernel() call per field), bpf_sock_from_file() to tell a
 * socket from any other file, bpf_rdonly_cast() (inlined, free) to view a
 * sock as a tcp_sock/udp_sock/unix_sock, and two bpf_seq_printf() calls per
 * row: a helper call takes at most 12 arguments (MAX_BPRINTF_VARARGS) and
 * a row has 20 fields, so one call cannot hold it.
 *
 * What it prints, per row: PID COMM FD INODE SOCK(%pK) NETNS FAMILY TYPE
 * PROTO STATE LOCAL REMOTE RXQ TXQ CWND SSTHRESH SRTT_US RETRANS UID PEER.
 * What it cannot do as sockmap does (README, "Performance"):
 *  - PEER of a TCP socket: sockmap asks TCP's established hash
 *    (__inet_lookup_established()); a tracing program has no helper or
 *    kfunc for that (bpf_sk_lookup_tcp() needs an skb/xdp context), and the
 *    hash is seeded with a secret. Printed as "-". UNIX peers are printed.
 *  - CGROUP: the path needs a walk up kernfs parents and joining names in
 *    reverse, relative to the reader's cgroup namespace; not done here.
 *  - who sees which rows: the pinned file shows every task to whoever may
 *    open it; procfs's hidepid/ptrace checks are not reachable from BPF.
 *    PIDs are the global ones (task->tgid), not the reader's namespace's.
 *  - names are not escaped (COMM, UNIX paths with spaces or control bytes
 *    break the row), NETLINK/PACKET LOCAL are "-", and queues are read
 *    without the locks unix_inq_len() takes.
 *  - IPv6 addresses come out in full (0000:...:0001), not compressed:
 *    bpf_seq_printf() accepts %pI6c but pre-formats every address with
 *    "%pI6" (bpf_bprintf_prepare(), kernel/bpf/helpers.c). Compressing by
 *    hand would take a loop and a buffer per address.
 *  - LOCAL and REMOTE of INET rows are not padded to sockmap's widths
 *    (an address and its port are two arguments of one printf).
 */
#include "sockiter.h"

char LICENSE[] SEC("license") = "GPL";

#define NAME(id) sockiter_names[(id) & (SOCKITER_NAMES - 1)]

/* The name a UNIX socket is bound to: a path, "@" and an abstract name. */
static const char *unix_name(struct sock *sk, const char **prefix)
{
	struct unix_address *addr = AS(unix_sock, sk)->addr;

	*prefix = "";
	if (!addr || addr->len <= 2)
		return "-";
	if (addr->name[0].sun_path[0])
		return addr->name[0].sun_path;
	*prefix = "@";
	return &addr->name[0].sun_path[1];
}

SEC("iter/task_file")
int sockiter(struct bpf_iter__task_file *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	const char *state, *lpre, *rpre, *lname, *rname;
	__u32 rxq, txq;
	struct sockiter_sock s;
	struct sock *sk, *peer;

	if (!task || !file)
		return 0;
	/* seq_num counts the files visited; the header goes before the first. */
	if (ctx->meta->seq_num == 0)
		BPF_SEQ_PRINTF(seq, SOCKITER_HEADER);
	if (!sockiter_sock(file, &s))
		return 0;
	sk = s.sk;

	if (s.family == AF_UNIX) {
		struct unix_sock *u = AS(unix_sock, sk);
		__u64 peer_ino = 0;

		peer = u->peer;
		state = NAME(unix_state_id(s.st, peer));
		lname = unix_name(sk, &lpre);
		rname = "-";
		rpre = "";
		if (peer) {
			struct socket *ps = peer->sk_socket;

			rname = unix_name(peer, &rpre);
			if (ps)
				peer_ino = AS(socket_alloc, ps)->vfs_inode.i_ino;
		}
		unix_queues(sk, s.type, s.st, &rxq, &txq);
		BPF_SEQ_PRINTF(seq, "%-7d %-15s %-4u %-9lu %pK %-10u %-7s %-6s %-6s %-11s ",
			       task->tgid, task->comm, ctx->fd, s.inode->i_ino, sk,
			       sk->__sk_common.skc_net.net->ns.inum,
			       "UNIX", NAME(type_id(s.type)), "-", state);
		if (peer_ino)
			BPF_SEQ_PRINTF(seq, "%s%-20s %s%-20s %-7u %-7u -    -        -       -       %-5u %lu\n",
				       lpre, lname, rpre, rname, rxq, txq, s.uid, peer_ino);
		else
			BPF_SEQ_PRINTF(seq, "%s%-20s %s%-20s %-7u %-7u -    -        -       -       %-5u -\n",
				       lpre, lname, rpre, rname, rxq, txq, s.uid);
		return 0;
	}

	BPF_SEQ_PRINTF(seq, "%-7d %-15s %-4u %-9lu %pK %-10u %-7s %-6s %-6s %-11s ",
		       task->tgid, task->comm, ctx->fd, s.inode->i_ino, sk,
		       sk->__sk_common.skc_net.net->ns.inum, NAME(family_id(s.family)),
		       NAME(type_id(s.type)), NAME(proto_id(s.family, s.proto)),
		       NAME(state_id(s.family, s.st)));

	if (s.family != AF_INET && s.family != AF_INET6) {
		/* No protocol number of these families is UDP's. */
		mem_queues(sk, 0, &rxq, &txq);
		BPF_SEQ_PRINTF(seq, "-                     -                     %-7u %-7u -    -        -       -       %-5u -\n",
			       rxq, txq, s.uid);
		return 0;
	}

	if (s.proto == IPPROTO_TCP && s.type == SOCK_STREAM) {
		struct tcp_sock *tp = AS(tcp_sock, sk);
		__u32 ssthresh = tp->snd_ssthresh;

		tcp_queues(sk, s.st, &rxq, &txq);
		if (s.family == AF_INET)
			BPF_SEQ_PRINTF(seq, "%pI4:%u %pI4:%u %-7u %-7u %-4u %-8d %-7u %-7u %-5u -\n",
				       &sk->__sk_common.skc_rcv_saddr, sk->__sk_common.skc_num,
				       &sk->__sk_common.skc_daddr,
				       bpf_ntohs(sk->__sk_common.skc_dport), rxq, txq,
				       tp->snd_cwnd,
				       ssthresh >= TCP_INFINITE_SSTHRESH ? -1 : (int)ssthresh,
				       tp->srtt_us >> 3, tp->total_retrans, s.uid);
		else
			BPF_SEQ_PRINTF(seq, "[%pI6c]:%u [%pI6c]:%u %-7u %-7u %-4u %-8d %-7u %-7u %-5u -\n",
				       &sk->__sk_common.skc_v6_rcv_saddr, sk->__sk_common.skc_num,
				       &sk->__sk_common.skc_v6_daddr,
				       bpf_ntohs(sk->__sk_common.skc_dport), rxq, txq,
				       tp->snd_cwnd,
				       ssthresh >= TCP_INFINITE_SSTHRESH ? -1 : (int)ssthresh,
				       tp->srtt_us >> 3, tp->total_retrans, s.uid);
		return 0;
	}

	mem_queues(sk, s.proto, &rxq, &txq);
	if (s.family == AF_INET)
		BPF_SEQ_PRINTF(seq, "%pI4:%u %pI4:%u %-7u %-7u -    -        -       -       %-5u -\n",
			       &sk->__sk_common.skc_rcv_saddr, sk->__sk_common.skc_num,
			       &sk->__sk_common.skc_daddr,
			       bpf_ntohs(sk->__sk_common.skc_dport), rxq, txq, s.uid);
	else
		BPF_SEQ_PRINTF(seq, "[%pI6c]:%u [%pI6c]:%u %-7u %-7u -    -        -       -       %-5u -\n",
			       &sk->__sk_common.skc_v6_rcv_saddr, sk->__sk_common.skc_num,
			       &sk->__sk_common.skc_v6_daddr,
			       bpf_ntohs(sk->__sk_common.skc_dport), rxq, txq, s.uid);
	return 0;
}
