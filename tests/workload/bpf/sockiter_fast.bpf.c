// SPDX-License-Identifier: GPL-2.0
/*
 * sockiter_fast - sockiter.bpf.c's rows, byte for byte, from the fastest
 * BPF program we know how to write: the same iter/task_file walk and the
 * same fields, but no bpf_seq_printf(). At 100,000 sockets 82 % of
 * sockiter's time is bpf_seq_printf() and its format_decode(): every call
 * checks and copies its arguments, pre-formats each %pI4/%pI6 into a
 * buffer and then parses the format string again. Here every number, name
 * and address is written by hand into a per-CPU buffer and each row leaves
 * with one bpf_seq_write(). scripts/bench pins it as /sys/fs/bpf/sockiter_fast
 * and times it as the peer "bpf-fast", beside "bpf" (sockiter.bpf.c); the
 * guest checks that the two print the same bytes before timing either.
 *
 * What it cannot do is what sockiter cannot do (see there): no TCP PEER,
 * no CGROUP, no procfs visibility, names unescaped, IPv6 uncompressed.
 *
 * How it is kept cheap to verify: the formatters are global functions,
 * which the verifier checks once each, not once per call site, and whose
 * return value (the new length of the row) it knows nothing about. Every
 * store masks that length with ROW_MASK, which is what keeps it inside the
 * buffer; a row is at most about 450 bytes (two 107-byte UNIX names), far
 * below ROW_MASK. The socket's address for SOCK is stored as a number into
 * the buffer and read back as one: the verifier allows that (it leaks a
 * kernel address into a map) only to a program loaded with CAP_PERFMON,
 * and so does %pK print it only to a reader with CAP_SYSLOG.
 */
#include "sockiter.h"

char LICENSE[] SEC("license") = "GPL";

#define ROW_MASK	1023
/* A UNIX name is copied whole at a masked offset: room for one past the end. */
#define ROW_SLACK	128

struct row {
	char b[ROW_MASK + 1 + ROW_SLACK];
	__u64 ptr;		/* SOCK, as a number */
	__u8 ip[16];		/* the address put_ip6() writes */
	char comm[16];		/* a copy of task->comm */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct row);
} rows SEC(".maps");

/* A literal copied into the row at @off; the new length. */
static __always_inline __u32 put_lit(struct row *r, __u32 off, const char *s, __u32 len)
{
	__builtin_memcpy(&r->b[off & ROW_MASK], s, len);
	return off + len;
}

#define PUT_LIT(r, off, s) put_lit(r, off, s, sizeof(s) - 1)

/* Spaces from @off up to @end (at most 32), then one more; the new length. */
__noinline int put_pad(struct row *r, __u32 off, __u32 end)
{
	if (!r)
		return off;
	for (int i = 0; i < 32 && off < end; i++)
		r->b[off++ & ROW_MASK] = ' ';
	r->b[off++ & ROW_MASK] = ' ';
	return off;
}

/* @v (at least 2^32) in decimal: divisions by 10, the slow way. */
static __always_inline __u32 put_dec64(struct row *r, __u32 off, __u64 v)
{
	__u64 t = v;
	__u32 n = 1;

	for (int i = 0; i < 19 && t >= 10; i++) {
		t /= 10;
		n++;
	}
	for (int i = 0; i < 20; i++) {
		r->b[(off + n - 1 - i) & ROW_MASK] = '0' + v % 10;
		v /= 10;
		if (!v)
			break;
	}
	return off + n;
}

/*
 * @v in decimal, left-justified in @w columns and a space; the new length.
 * Below 2^32 (every number of a row but an inode's, in practice) without a
 * division: x / 10 is (x * 0xcccccccd) >> 35 for every 32-bit x, a
 * multiplication where the JIT would emit a div.
 */
__noinline int put_dec(struct row *r, __u32 off, __u64 v, __u32 w)
{
	__u32 n, end, start = off;
	__u64 x = v, q;

	if (!r)
		return off;
	if (v >> 32) {
		end = put_dec64(r, off, v);
	} else {
		n = 1 + (x >= 10) + (x >= 100) + (x >= 1000) + (x >= 10000) +
		    (x >= 100000) + (x >= 1000000) + (x >= 10000000) +
		    (x >= 100000000) + (x >= 1000000000);
		end = off + n;
		for (int i = 0; i < 10; i++) {
			q = (x * 0xcccccccdULL) >> 35;
			r->b[(end - 1 - i) & ROW_MASK] = '0' + (x - q * 10);
			x = q;
			if (!x)
				break;
		}
	}
	return put_pad(r, end, start + w);
}

/* Name @id of sockiter_names[], left-justified in @w columns and a space. */
__noinline int put_name(struct row *r, __u32 off, __u32 id, __u32 w)
{
	__u32 start = off;

	if (!r)
		return off;
	id &= SOCKITER_NAMES - 1;
	for (int i = 0; i < 16 && sockiter_names[id][i]; i++)
		r->b[off++ & ROW_MASK] = sockiter_names[id][i];
	return put_pad(r, off, start + w);
}

/* r->comm (NUL-terminated or 16 bytes), in 15 columns and a space. */
__noinline int put_comm(struct row *r, __u32 off)
{
	__u32 start = off;

	if (!r)
		return off;
	for (int i = 0; i < 16 && r->comm[i]; i++)
		r->b[off++ & ROW_MASK] = r->comm[i];
	return put_pad(r, off, start + 15);
}

/* r->ptr as %pK prints it to a privileged reader: 16 hex digits, a space. */
__noinline int put_ptr(struct row *r, __u32 off)
{
	__u64 v;

	if (!r)
		return off;
	v = r->ptr;
	for (int i = 15; i >= 0; i--) {
		r->b[(off + i) & ROW_MASK] = "0123456789abcdef"[v & 15];
		v >>= 4;
	}
	r->b[(off + 16) & ROW_MASK] = ' ';
	return off + 17;
}

/* @v (0 to 65535) in decimal, no padding. */
static __always_inline __u32 put_port(struct row *r, __u32 off, __u32 v)
{
	return put_dec(r, off, v, 0) - 1;
}

/* %pI4:%u and a space: @addr as it lies in memory (network order). */
__noinline int put_ip4(struct row *r, __u32 off, __u32 addr, __u32 port)
{
	const __u8 *a = (const __u8 *)&addr;

	if (!r)
		return off;
	for (int i = 0; i < 4; i++) {
		__u32 v = a[i];

		if (v >= 100)
			r->b[off++ & ROW_MASK] = '0' + v / 100;
		if (v >= 10)
			r->b[off++ & ROW_MASK] = '0' + v / 10 % 10;
		r->b[off++ & ROW_MASK] = '0' + v % 10;
		r->b[off++ & ROW_MASK] = i < 3 ? '.' : ':';
	}
	off = put_port(r, off, port);
	r->b[off++ & ROW_MASK] = ' ';
	return off;
}

/* [%pI6]:%u and a space, of r->ip: eight groups of four hex digits. */
__noinline int put_ip6(struct row *r, __u32 off, __u32 port)
{
	if (!r)
		return off;
	r->b[off++ & ROW_MASK] = '[';
	for (int i = 0; i < 16; i++) {
		__u8 v = r->ip[i];

		r->b[off++ & ROW_MASK] = "0123456789abcdef"[v >> 4];
		r->b[off++ & ROW_MASK] = "0123456789abcdef"[v & 15];
		if (i & 1 && i < 15)
			r->b[off++ & ROW_MASK] = ':';
	}
	r->b[off++ & ROW_MASK] = ']';
	r->b[off++ & ROW_MASK] = ':';
	off = put_port(r, off, port);
	r->b[off++ & ROW_MASK] = ' ';
	return off;
}

/*
 * The end of a row that has no TCP numbers: RXQ TXQ, four dashes, UID and
 * PEER (@peer_ino, or "-" for 0); then the row goes out in one write.
 */
static __always_inline void end_row(struct seq_file *seq, struct row *r, __u32 off,
				    __u32 rxq, __u32 txq, __u32 uid, __u64 peer_ino)
{
	off = put_dec(r, off, rxq, 7);
	off = put_dec(r, off, txq, 7);
	off = PUT_LIT(r, off, "-    -        -       -       ");
	off = put_dec(r, off, uid, 5);
	if (peer_ino)
		off = put_dec(r, off, peer_ino, 0) - 1;
	else
		off = PUT_LIT(r, off, "-");
	off = PUT_LIT(r, off, "\n");
	bpf_seq_write(seq, r->b, off & ROW_MASK);
}

/*
 * The name a UNIX socket is bound to, as sockiter prints it ("%s%-20s " of
 * a prefix and a name): a path, "@" and an abstract name, or "-".
 */
static __always_inline __u32 put_unix_name(struct row *r, __u32 off, struct sock *sk)
{
	struct unix_address *addr = AS(unix_sock, sk)->addr;
	const char *name;
	__u32 start;
	long len;

	if (!addr || addr->len <= 2)
		return put_name(r, off, N_DASH, 20);
	name = addr->name[0].sun_path;
	if (!name[0]) {
		r->b[off++ & ROW_MASK] = '@';
		name++;
	}
	start = off;
	len = bpf_probe_read_kernel_str(&r->b[off & ROW_MASK], ROW_SLACK, name);
	if (len > 1)
		off += len - 1;
	return put_pad(r, off, start + 20);
}

SEC("iter/task_file")
int sockiter_fast(struct bpf_iter__task_file *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	__u32 rxq, txq, off, zero = 0;
	struct sockiter_sock s;
	struct sock *sk;
	struct row *r;

	if (!task || !file)
		return 0;
	if (ctx->meta->seq_num == 0)
		bpf_seq_write(seq, SOCKITER_HEADER, sizeof(SOCKITER_HEADER) - 1);
	if (!sockiter_sock(file, &s))
		return 0;
	sk = s.sk;
	r = bpf_map_lookup_elem(&rows, &zero);
	if (!r)
		return 0;

	/* The columns every row has, up to STATE. */
	__builtin_memcpy(r->comm, task->comm, sizeof(r->comm));
	/* put_ptr() reads it back: the store stays. */
	r->ptr = (__u64)sk;
	off = put_dec(r, 0, task->tgid, 7);
	off = put_comm(r, off);
	off = put_dec(r, off, ctx->fd, 4);
	off = put_dec(r, off, s.inode->i_ino, 9);
	off = put_ptr(r, off);
	off = put_dec(r, off, sk->__sk_common.skc_net.net->ns.inum, 10);
	off = put_name(r, off, family_id(s.family), 7);
	off = put_name(r, off, type_id(s.type), 6);
	off = put_name(r, off, proto_id(s.family, s.proto), 6);

	if (s.family == AF_UNIX) {
		struct unix_sock *u = AS(unix_sock, sk);
		struct sock *peer = u->peer;
		__u64 peer_ino = 0;

		off = put_name(r, off, unix_state_id(s.st, peer), 11);
		off = put_unix_name(r, off, sk);
		if (peer) {
			struct socket *ps = peer->sk_socket;

			off = put_unix_name(r, off, peer);
			if (ps)
				peer_ino = AS(socket_alloc, ps)->vfs_inode.i_ino;
		} else {
			off = put_name(r, off, N_DASH, 20);
		}
		unix_queues(sk, s.type, s.st, &rxq, &txq);
		end_row(seq, r, off, rxq, txq, s.uid, peer_ino);
		return 0;
	}

	off = put_name(r, off, state_id(s.family, s.st), 11);

	if (s.family != AF_INET && s.family != AF_INET6) {
		/* No protocol number of these families is UDP's. */
		mem_queues(sk, 0, &rxq, &txq);
		off = PUT_LIT(r, off, "-                     -                     ");
		end_row(seq, r, off, rxq, txq, s.uid, 0);
		return 0;
	}

	if (s.family == AF_INET) {
		off = put_ip4(r, off, sk->__sk_common.skc_rcv_saddr,
			      sk->__sk_common.skc_num);
		off = put_ip4(r, off, sk->__sk_common.skc_daddr,
			      bpf_ntohs(sk->__sk_common.skc_dport));
	} else {
		__builtin_memcpy(r->ip, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		off = put_ip6(r, off, sk->__sk_common.skc_num);
		__builtin_memcpy(r->ip, &sk->__sk_common.skc_v6_daddr, 16);
		off = put_ip6(r, off, bpf_ntohs(sk->__sk_common.skc_dport));
	}

	if (s.proto == IPPROTO_TCP && s.type == SOCK_STREAM) {
		struct tcp_sock *tp = AS(tcp_sock, sk);
		__u32 ssthresh = tp->snd_ssthresh;

		tcp_queues(sk, s.st, &rxq, &txq);
		off = put_dec(r, off, rxq, 7);
		off = put_dec(r, off, txq, 7);
		off = put_dec(r, off, tp->snd_cwnd, 4);
		if (ssthresh >= TCP_INFINITE_SSTHRESH)
			off = put_name(r, off, N_MINUS1, 8);
		else
			off = put_dec(r, off, ssthresh, 8);
		off = put_dec(r, off, tp->srtt_us >> 3, 7);
		off = put_dec(r, off, tp->total_retrans, 7);
		off = put_dec(r, off, s.uid, 5);
		off = PUT_LIT(r, off, "-\n");
		bpf_seq_write(seq, r->b, off & ROW_MASK);
		return 0;
	}

	mem_queues(sk, s.proto, &rxq, &txq);
	end_row(seq, r, off, rxq, txq, s.uid, 0);
	return 0;
}
