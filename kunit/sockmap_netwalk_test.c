// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap_netwalk_test.c - the sockmap_netwalk suite: the rows of sockets
 * that /proc/net lists and no fd holds ("holderless"), after the fd rows
 * of a whole read: TIME_WAIT and FIN_WAIT2 timewait sockets, request
 * sockets, children in a listener's accept queue, orphans, and kernel
 * sockets without a file; and a socket an fd holds, which is never one.
 *
 * Each case makes its sockets over loopback in init_net, finds them in a
 * whole walk by their 4-tuple, and expects exactly one row each. What it
 * expects comes from the sockets it made (getsockname(), getpeername(),
 * the socket inode) and from what the established hash holds for the
 * 4-tuple (the state it waited for, the pointer /proc/net/tcp prints), as
 * tcp4_seq_show() and udp4_seq_show() read them; never from sockmap.
 */

#include <linux/sched/signal.h>

#include "sockmap_test.h"

#include <net/inet6_hashtables.h>
#include <net/inet_timewait_sock.h>

/* A row of a whole read, split on whitespace, each column by its name. */
struct sockmap_nw_row {
	const char *line;	/* as printed, for messages */
	const char *col[NR_COLUMNS];
};

struct sockmap_nw_walk {
	struct sockmap_nw_row *rows;
	int nr;
};

/*
 * A connection's 4-tuple as one end sees it (getsockname() and
 * getpeername()), and as the rows print it.
 */
struct sockmap_nw_tuple {
	struct sockaddr_storage local, remote;
	const char *local_str, *remote_str;
};

/* Split @line on spaces into at most @max tokens; how many there were. */
static int sockmap_nw_split(char *line, char **tok, int max)
{
	char *s = line, *t;
	int n = 0;

	while ((t = strsep(&s, " "))) {
		if (!*t)
			continue;
		if (n < max)
			tok[n] = t;
		n++;
	}
	return n;
}

/*
 * A whole read of /proc/sockmap through the real iterator, opened by uid
 * 1000 (which sees this thread's table under this thread's PID, and the
 * holderless rows of its own network namespace), split into rows whose
 * columns are found where the header names them.
 */
static struct sockmap_nw_walk *sockmap_nw_read(struct kunit *test)
{
	char *out = sockmap_test_output_buf(test), *line, *s;
	char *tok[NR_COLUMNS + 1];
	struct sockmap_nw_walk *w;
	int at[NR_COLUMNS], lines = 0, n, i, c;

	sockmap_test_read_all(test, sockmap_test_open_own_walk(test), 4096,
			      out);
	for (s = out; *s; s++)
		lines += *s == '\n';
	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->rows = kunit_kcalloc(test, max(lines, 1), sizeof(*w->rows),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->rows);

	s = out;
	line = strsep(&s, "\n");
	n = sockmap_nw_split(line, tok, ARRAY_SIZE(tok));
	KUNIT_ASSERT_EQ_MSG(test, n, NR_COLUMNS, "columns in the header");
	for (c = 0; c < NR_COLUMNS; c++) {
		at[c] = -1;
		for (i = 0; i < n; i++)
			if (!strcmp(tok[i], sockmap_columns[c].name))
				at[c] = i;
		KUNIT_ASSERT_GE_MSG(test, at[c], 0, "no %s in the header",
				    sockmap_columns[c].name);
	}
	while ((line = strsep(&s, "\n")) && *line) {
		struct sockmap_nw_row *row = &w->rows[w->nr++];

		row->line = kunit_kstrdup(test, line, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, row->line);
		n = sockmap_nw_split(line, tok, ARRAY_SIZE(tok));
		KUNIT_ASSERT_EQ_MSG(test, n, NR_COLUMNS, "fields of: %s",
				    row->line);
		for (c = 0; c < NR_COLUMNS; c++)
			row->col[c] = tok[at[c]];
	}
	return w;
}

/* "ADDRESS:PORT" as a row prints @ss: 127.0.0.1:80, [::1]:80. */
static const char *sockmap_nw_addr(struct kunit *test,
				   const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

	if (ss->ss_family == AF_INET)
		return sockmap_test_fmt(test, "%pI4:%u", &sin->sin_addr,
					ntohs(sin->sin_port));
	KUNIT_ASSERT_EQ(test, ss->ss_family, AF_INET6);
	return sockmap_test_fmt(test, "[%pI6c]:%u", &sin6->sin6_addr,
				ntohs(sin6->sin6_port));
}

/*
 * @sock's 4-tuple, from getsockname() and getpeername(). An unconnected
 * socket's remote end is the wildcard address, port 0, of its family.
 */
static void sockmap_nw_tuple(struct kunit *test, struct socket *sock,
			     struct sockmap_nw_tuple *t)
{
	memset(t, 0, sizeof(*t));
	KUNIT_ASSERT_GE(test, kernel_getsockname(sock,
						 (struct sockaddr *)&t->local),
			0);
	if (kernel_getpeername(sock, (struct sockaddr *)&t->remote) < 0)
		t->remote.ss_family = t->local.ss_family;
	t->local_str = sockmap_nw_addr(test, &t->local);
	t->remote_str = sockmap_nw_addr(test, &t->remote);
}

/* The 4-tuple of the other end of @t's connection. */
static void sockmap_nw_reverse(const struct sockmap_nw_tuple *t,
			       struct sockmap_nw_tuple *r)
{
	r->local = t->remote;
	r->remote = t->local;
	r->local_str = t->remote_str;
	r->remote_str = t->local_str;
}

/*
 * What TCP's established hash holds for @t in init_net, found as
 * tcp_v4_rcv() finds a segment's socket (saddr is the remote end): a full
 * socket, a timewait one or a request, with a reference the caller drops
 * with sock_gen_put(); or NULL.
 */
static struct sock *sockmap_nw_lookup(const struct sockmap_nw_tuple *t)
{
	const struct sockaddr_in6 *l6 = (const struct sockaddr_in6 *)&t->local;
	const struct sockaddr_in6 *r6 = (const struct sockaddr_in6 *)&t->remote;
	const struct sockaddr_in *l4 = (const struct sockaddr_in *)&t->local;
	const struct sockaddr_in *r4 = (const struct sockaddr_in *)&t->remote;
	struct sock *sk;

	rcu_read_lock();
	if (t->local.ss_family == AF_INET)
		sk = __inet_lookup_established(&init_net, r4->sin_addr.s_addr,
					       r4->sin_port,
					       l4->sin_addr.s_addr,
					       ntohs(l4->sin_port), 0, 0);
	else
		sk = __inet6_lookup_established(&init_net, &r6->sin6_addr,
						r6->sin6_port, &l6->sin6_addr,
						ntohs(l6->sin6_port), 0, 0);
	rcu_read_unlock();
	return sk;
}

/*
 * The state /proc/net/tcp prints for what the hash holds: a timewait
 * socket's substate (TIME_WAIT, or FIN_WAIT2), SYN_RECV for a request.
 */
static int sockmap_nw_st(const struct sock *sk)
{
	if (sk->sk_state == TCP_TIME_WAIT)
		return READ_ONCE(inet_twsk(sk)->tw_substate);
	if (sk->sk_state == TCP_NEW_SYN_RECV)
		return TCP_SYN_RECV;
	return READ_ONCE(sk->sk_state);
}

/*
 * Whether the hash holds @t in state @st (-1: holds nothing for it) and,
 * for a full socket, with no struct socket: holderless. The reference
 * the lookup took is dropped before returning.
 */
static bool sockmap_nw_in_state(const struct sockmap_nw_tuple *t, int st)
{
	struct sock *sk = sockmap_nw_lookup(t);
	bool ok;

	if (!sk)
		return st < 0;
	ok = sockmap_nw_st(sk) == st &&
	     (!sk_fullsock(sk) || !READ_ONCE(sk->sk_socket));
	sock_gen_put(sk);
	return ok;
}

/*
 * "%pK" of what the hash holds for @t, as /proc/net/tcp prints it. The
 * lookup's reference is held while the pointer is printed, then dropped.
 */
static const char *sockmap_nw_sock_ptr(struct kunit *test,
				       const struct sockmap_nw_tuple *t)
{
	struct sock *sk = sockmap_nw_lookup(t);
	const char *s;

	KUNIT_ASSERT_NOT_NULL_MSG(test, sk, "nothing in the hash for %s %s",
				  t->local_str, t->remote_str);
	s = sockmap_test_fmt(test, "%pK", sk);
	sock_gen_put(sk);
	return s;
}

/*
 * /proc/net/tcp's uid column of what the hash holds for @t: a full
 * socket's owner, a request's listener's, 0 for a timewait socket. The
 * lookup's reference is dropped before returning.
 */
static uid_t sockmap_nw_uid(struct kunit *test,
			    const struct sockmap_nw_tuple *t)
{
	struct sock *sk = sockmap_nw_lookup(t);
	uid_t uid = 0;

	KUNIT_ASSERT_NOT_NULL(test, sk);
	if (sk->sk_state == TCP_NEW_SYN_RECV)
		uid = from_kuid_munged(&init_user_ns,
				       sockmap_sk_uid(inet_reqsk(sk)->rsk_listener));
	else if (sk_fullsock(sk))
		uid = from_kuid_munged(&init_user_ns, sockmap_sk_uid(sk));
	sock_gen_put(sk);
	return uid;
}

/*
 * Take @t's timewait socket out of the hash and free it, as a SYN that
 * reuses its 4-tuple would (tcp_v4_rcv(), TCP_TW_SYN), instead of leaving
 * it for a minute: the lookup's reference is the one
 * inet_twsk_deschedule_put() drops, with the timer's. BHs off, as
 * inet_twsk_purge() calls it: the hash's bucket lock is a softirq's too.
 */
static void sockmap_nw_kill_timewait(struct kunit *test,
				     const struct sockmap_nw_tuple *t)
{
	struct sock *sk = sockmap_nw_lookup(t);

	if (!sk)
		return;
	if (sk->sk_state != TCP_TIME_WAIT) {
		sock_gen_put(sk);
		KUNIT_FAIL(test, "%s %s is in state %d, not a timewait socket",
			   t->local_str, t->remote_str, sk->sk_state);
		return;
	}
	local_bh_disable();
	inet_twsk_deschedule_put(inet_twsk(sk));
	local_bh_enable();
}

KUNIT_DEFINE_ACTION_WRAPPER(sockmap_nw_release, sock_release,
			    struct socket *);

/*
 * A socket with no file, as sock_create_kern() makes them for tunnels:
 * released (sock_release()) when the test ends, unless a case releases it
 * first (kunit_release_action()).
 */
static struct socket *sockmap_nw_kern_socket(struct kunit *test, int family,
					     int type, int protocol)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, family, type,
					       protocol, &sock), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_nw_release,
							sock), 0);
	return sock;
}

static void sockmap_nw_bind(struct kunit *test, struct socket *sock,
			    int family, const char *addr, u16 port)
{
	struct sockaddr_storage ss;
	int len = sockmap_test_addr(test, family, addr, port, &ss);

	KUNIT_ASSERT_EQ(test, kernel_bind(sock, (struct sockaddr_unsized *)&ss,
					  len), 0);
}

static void sockmap_nw_connect(struct kunit *test, struct socket *sock,
			       int family, const char *addr, u16 port)
{
	struct sockaddr_storage ss;
	int len = sockmap_test_addr(test, family, addr, port, &ss);

	KUNIT_ASSERT_EQ(test, kernel_connect(sock,
					     (struct sockaddr_unsized *)&ss,
					     len, 0), 0);
}

/*
 * A TCP listener on @addr, port 0, backlog 1, with a file and no fd (shown
 * nowhere), created with the credentials of uid @uid: sock_alloc() gives
 * the socket inode, and so sk_uid, the creator's fsuid.
 */
static struct file *sockmap_nw_listener(struct kunit *test, int family,
					const char *addr, uid_t uid)
{
	const struct cred *old;
	struct file *listener;

	old = override_creds(sockmap_test_user(test, uid));
	listener = sockmap_test_socket(test, family, SOCK_STREAM, IPPROTO_TCP);
	revert_creds(old);
	sockmap_test_bind(test, listener, family, addr, 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(listener), 1), 0);
	return listener;
}

/*
 * A TCP client with a file and no fd, connected to @listener over IPv4
 * loopback; its 4-tuple in *@t.
 */
static struct file *sockmap_nw_client(struct kunit *test,
				      struct file *listener,
				      struct sockmap_nw_tuple *t)
{
	struct file *client;

	client = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_connect(test, client, AF_INET, "127.0.0.1",
			     sockmap_test_port(test, listener));
	sockmap_nw_tuple(test, sockmap_test_sock(client), t);
	return client;
}

/* Wait until the hash holds @t in state @st, holderless, or fail. */
static void sockmap_nw_wait(struct kunit *test,
			    const struct sockmap_nw_tuple *t, int st)
{
	KUNIT_ASSERT_TRUE_MSG(test, sockmap_test_wait(sockmap_nw_in_state(t, st)),
			      "no holderless socket in state %d for %s -> %s",
			      st, t->local_str, t->remote_str);
}

/*
 * The rows of @w whose PROTO, LOCAL and REMOTE are @proto and @t's, in
 * any state; the last of them in *@found.
 */
static int sockmap_nw_count(const struct sockmap_nw_walk *w,
			    const char *proto,
			    const struct sockmap_nw_tuple *t,
			    const struct sockmap_nw_row **found)
{
	int i, n = 0;

	*found = NULL;
	for (i = 0; i < w->nr; i++) {
		const struct sockmap_nw_row *row = &w->rows[i];

		if (!strcmp(row->col[COL_PROTO], proto) &&
		    !strcmp(row->col[COL_LOCAL], t->local_str) &&
		    !strcmp(row->col[COL_REMOTE], t->remote_str)) {
			*found = row;
			n++;
		}
	}
	return n;
}

/*
 * The one row of @t in @w, in state @state: fails the case unless there
 * is exactly one row of that 4-tuple, whatever its state.
 */
static const struct sockmap_nw_row *
sockmap_nw_only(struct kunit *test, const struct sockmap_nw_walk *w,
		const char *proto, const struct sockmap_nw_tuple *t,
		const char *state)
{
	const struct sockmap_nw_row *row;
	int n = sockmap_nw_count(w, proto, t, &row);

	KUNIT_ASSERT_EQ_MSG(test, n, 1,
			    "rows of %s %s -> %s (%s), in a walk of %d rows%s%s",
			    proto, t->local_str, t->remote_str, state, w->nr,
			    row ? "; the last: " : "", row ? row->line : "");
	KUNIT_EXPECT_STREQ_MSG(test, row->col[COL_STATE], state, "STATE of: %s",
			       row->line);
	return row;
}

/*
 * Expect column @c of @row to read as the printf format @fmt does. A
 * macro, not a function, so that a failure names the line of the caller.
 */
#define EXPECT_COL(test, row, c, fmt, ...) do {				\
	struct kunit *__test = (test);					\
	const struct sockmap_nw_row *__row = (row);			\
	int __c = (c);							\
									\
	KUNIT_EXPECT_STREQ_MSG(__test, __row->col[__c],			\
			       sockmap_test_fmt(__test, fmt, ##__VA_ARGS__), \
			       "%s of: %s", sockmap_columns[__c].name,	\
			       __row->line);				\
} while (0)

/*
 * What every holderless row shows: no PID, COMM or FD; INODE @ino (0
 * exactly where /proc/net prints 0); SOCK @sock_ptr; the reader's network
 * namespace, init_net; the socket's family, type and protocol.
 */
static void sockmap_nw_expect_holderless(struct kunit *test,
					 const struct sockmap_nw_row *row,
					 unsigned long ino,
					 const char *sock_ptr,
					 const char *family, const char *type)
{
	EXPECT_COL(test, row, COL_PID, "-");
	EXPECT_COL(test, row, COL_COMM, "-");
	EXPECT_COL(test, row, COL_FD, "-");
	EXPECT_COL(test, row, COL_INODE, "%lu", ino);
	EXPECT_COL(test, row, COL_SOCK, "%s", sock_ptr);
	EXPECT_COL(test, row, COL_NETNS, "%u", init_net.ns.inum);
	EXPECT_COL(test, row, COL_FAMILY, "%s", family);
	EXPECT_COL(test, row, COL_TYPE, "%s", type);
}

/*
 * The one row of @t, a TCP socket in the hash, in @w: holderless, in
 * state @state, with inode @ino, and the pointer the hash holds for it.
 */
static const struct sockmap_nw_row *
sockmap_nw_tcp_row(struct kunit *test, const struct sockmap_nw_walk *w,
		   const struct sockmap_nw_tuple *t, const char *state,
		   unsigned long ino)
{
	const struct sockmap_nw_row *row;

	row = sockmap_nw_only(test, w, "TCP", t, state);
	sockmap_nw_expect_holderless(test, row, ino,
				     sockmap_nw_sock_ptr(test, t),
				     t->local.ss_family == AF_INET ?
				     "INET" : "INET6", "STREAM");
	return row;
}

/*
 * The columns of a timewait or request socket, which has no struct sock
 * fields to show: empty queues, no TCP state, no PEER, cgroup or bytes.
 */
static void sockmap_nw_expect_mini(struct kunit *test,
				   const struct sockmap_nw_row *row, uid_t uid)
{
	EXPECT_COL(test, row, COL_RXQ, "0");
	EXPECT_COL(test, row, COL_TXQ, "0");
	EXPECT_COL(test, row, COL_CWND, "-");
	EXPECT_COL(test, row, COL_SSTHRESH, "-");
	EXPECT_COL(test, row, COL_SRTT, "-");
	EXPECT_COL(test, row, COL_RETRANS, "-");
	EXPECT_COL(test, row, COL_UID, "%u", uid);
	EXPECT_COL(test, row, COL_PEER, "-");
	EXPECT_COL(test, row, COL_CGROUP, "-");
	EXPECT_COL(test, row, COL_TX_BYTES, "-");
	EXPECT_COL(test, row, COL_RX_BYTES, "-");
}

/* Expect nothing in the hash for @t any more: the case leaked nothing. */
static void sockmap_nw_expect_gone(struct kunit *test,
				   const struct sockmap_nw_tuple *t)
{
	KUNIT_EXPECT_TRUE_MSG(test, sockmap_test_wait(sockmap_nw_in_state(t, -1)),
			      "%s -> %s is still in the hash after the cleanup",
			      t->local_str, t->remote_str);
}

struct sockmap_nw_family {
	const char *desc;
	int family;
	const char *addr;	/* loopback */
};

static const struct sockmap_nw_family sockmap_nw_families[] = {
	{ "IPv4", AF_INET, "127.0.0.1" },
	{ "IPv6", AF_INET6, "::1" },
};

KUNIT_ARRAY_PARAM_DESC(sockmap_nw_family, sockmap_nw_families, desc);

/*
 * A connection whose client, a kernel socket with no file, closes first:
 * shutdown(SHUT_WR), acknowledged (FIN_WAIT2), then released. tcp_close()
 * makes it a timewait socket in the FIN_WAIT2 substate (TCP_FIN_WAIT2's
 * timeout is no longer than TIME_WAIT's); the server's FIN then moves it
 * to TIME_WAIT. Each is one row, with the state /proc/net/tcp prints, no
 * inode, and its 4-tuple.
 */
static void sockmap_test_timewait(struct kunit *test)
{
	const struct sockmap_nw_family *f = test->param_value;
	struct sockmap_nw_tuple t, back;
	const struct sockmap_nw_row *row;
	struct sockmap_nw_walk *w;
	struct file *listener, *server;
	struct socket *client;
	struct sock *csk;

	/* Arrange: a connection, and the client's half-close */
	listener = sockmap_nw_listener(test, f->family, f->addr, 0);
	client = sockmap_nw_kern_socket(test, f->family, SOCK_STREAM,
					IPPROTO_TCP);
	sockmap_nw_connect(test, client, f->family, f->addr,
			   sockmap_test_port(test, listener));
	server = sockmap_test_accept(test, listener);
	sockmap_nw_tuple(test, client, &t);
	sockmap_nw_reverse(&t, &back);
	csk = client->sk;
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(client, SHUT_WR), 0);
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(csk->sk_state) ==
						  TCP_FIN_WAIT2));

	/* Arrange: release it: a timewait socket in FIN_WAIT2 */
	kunit_release_action(test, sockmap_nw_release, client);
	sockmap_nw_wait(test, &t, TCP_FIN_WAIT2);

	/* Act */
	w = sockmap_nw_read(test);

	/* Assert */
	row = sockmap_nw_tcp_row(test, w, &t, "FIN_WAIT2", 0);
	sockmap_nw_expect_mini(test, row, 0);

	/* Arrange: the server's FIN: TIME_WAIT */
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sockmap_test_sock(server),
						   SHUT_WR), 0);
	sockmap_nw_wait(test, &t, TCP_TIME_WAIT);

	/* Act */
	w = sockmap_nw_read(test);

	/* Assert */
	row = sockmap_nw_tcp_row(test, w, &t, "TIME_WAIT", 0);
	sockmap_nw_expect_mini(test, row, sockmap_nw_uid(test, &t));
	KUNIT_EXPECT_EQ(test, sockmap_nw_uid(test, &t), 0);

	/* Cleanup: the timewait socket now, not in a minute */
	sockmap_nw_kill_timewait(test, &t);
	kunit_release_action(test, sockmap_test_fput, server);
	kunit_release_action(test, sockmap_test_fput, listener);
	sockmap_nw_expect_gone(test, &t);
	sockmap_nw_expect_gone(test, &back);
}

/*
 * A request socket: a listener with TCP_DEFER_ACCEPT drops the bare ACK
 * that ends the handshake (tcp_check_req()) while it waits for data; the
 * client, which sends nothing, is ESTABLISHED, the server's end a request
 * in the hash: SYN_RECV, inode 0, the listener's uid.
 */
static void sockmap_test_request(struct kunit *test)
{
	struct sockmap_nw_tuple t, req;
	const struct sockmap_nw_row *row;
	struct sockmap_nw_walk *w;
	struct file *listener, *client;
	struct socket *lsock;
	int secs = 30;

	/* Arrange */
	listener = sockmap_nw_listener(test, AF_INET, "127.0.0.1", 4321);
	lsock = sockmap_test_sock(listener);
	KUNIT_ASSERT_EQ(test, lsock->ops->setsockopt(lsock, SOL_TCP,
						     TCP_DEFER_ACCEPT,
						     KERNEL_SOCKPTR(&secs),
						     sizeof(secs)), 0);
	client = sockmap_nw_client(test, listener, &t);
	sockmap_nw_reverse(&t, &req);
	sockmap_nw_wait(test, &req, TCP_SYN_RECV);

	/* Act */
	w = sockmap_nw_read(test);

	/* Assert */
	row = sockmap_nw_tcp_row(test, w, &req, "SYN_RECV", 0);
	sockmap_nw_expect_mini(test, row, sockmap_nw_uid(test, &req));
	KUNIT_EXPECT_EQ(test, sockmap_nw_uid(test, &req), 4321);

	/*
	 * Cleanup: the listener first; the client's FIN then finds a
	 * request whose listener is closed, and drops it.
	 */
	kunit_release_action(test, sockmap_test_fput, listener);
	kunit_release_action(test, sockmap_test_fput, client);
	sockmap_nw_expect_gone(test, &req);
}

/*
 * A connection the listener never accept()s: the child in its accept
 * queue is a full socket in the hash, ESTABLISHED, with no struct socket
 * (inode 0) and the listener's uid; its other end is the client.
 */
static void sockmap_test_accept_queue(struct kunit *test)
{
	struct sockmap_nw_tuple t, child;
	const struct sockmap_nw_row *row;
	struct sockmap_nw_walk *w;
	struct file *listener, *client;
	const u32 *backlog;

	/* Arrange */
	listener = sockmap_nw_listener(test, AF_INET, "127.0.0.1", 4321);
	client = sockmap_nw_client(test, listener, &t);
	sockmap_nw_reverse(&t, &child);
	backlog = &sockmap_test_sk(listener)->sk_ack_backlog;
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(*backlog) == 1));
	sockmap_nw_wait(test, &child, TCP_ESTABLISHED);

	/* Act */
	w = sockmap_nw_read(test);

	/* Assert */
	row = sockmap_nw_tcp_row(test, w, &child, "ESTABLISHED", 0);
	EXPECT_COL(test, row, COL_UID, "%u", sockmap_nw_uid(test, &child));
	EXPECT_COL(test, row, COL_PEER, "%lu", sockmap_test_ino(client));

	/* Cleanup: closing the listener resets and frees the child */
	kunit_release_action(test, sockmap_test_fput, listener);
	sockmap_nw_expect_gone(test, &child);
}

/* Bytes the orphan case sends per call, and at most in all. */
#define SOCKMAP_NW_CHUNK	16384
#define SOCKMAP_NW_FILL_MAX	(16 << 20)

/*
 * An orphan: the client fills the connection (the server reads nothing,
 * its window closes, and what is left waits in the client's write queue),
 * then is released. tcp_close() queues the FIN behind that data, which
 * cannot go: FIN_WAIT1, no struct socket, inode 0, for as long as the
 * window stays shut.
 */
static void sockmap_test_orphan(struct kunit *test)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	const struct sockmap_nw_row *row;
	struct sockmap_nw_tuple t, back;
	struct file *listener, *client, *server;
	const struct tcp_sock *tp;
	struct sockmap_nw_walk *w;
	size_t sent = 0;
	struct kvec iov;
	char *buf;
	int n;

	/* Arrange: a connection, filled until the client may send no more */
	buf = kunit_kzalloc(test, SOCKMAP_NW_CHUNK, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	listener = sockmap_nw_listener(test, AF_INET, "127.0.0.1", 0);
	client = sockmap_nw_client(test, listener, &t);
	server = sockmap_test_accept(test, listener);
	sockmap_nw_reverse(&t, &back);
	do {
		iov.iov_base = buf;
		iov.iov_len = SOCKMAP_NW_CHUNK;
		n = kernel_sendmsg(sockmap_test_sock(client), &msg, &iov, 1,
				   iov.iov_len);
		if (n > 0)
			sent += n;
	} while (n > 0 && sent < SOCKMAP_NW_FILL_MAX);
	KUNIT_ASSERT_EQ_MSG(test, n, -EAGAIN, "after %zu bytes sent", sent);
	/* Nothing in flight, and data left: the window is shut */
	tp = tcp_sk(sockmap_test_sk(client));
	KUNIT_ASSERT_TRUE_MSG(test,
			      sockmap_test_wait(READ_ONCE(tp->snd_una) ==
						READ_ONCE(tp->snd_nxt) &&
						READ_ONCE(tp->write_seq) !=
						READ_ONCE(tp->snd_nxt)),
			      "the client's window did not shut after %zu bytes",
			      sent);

	/* Arrange: close the client */
	kunit_release_action(test, sockmap_test_fput, client);
	sockmap_nw_wait(test, &t, TCP_FIN_WAIT1);

	/* Act */
	w = sockmap_nw_read(test);

	/* Assert */
	row = sockmap_nw_tcp_row(test, w, &t, "FIN_WAIT1", 0);
	EXPECT_COL(test, row, COL_UID, "%u", sockmap_nw_uid(test, &t));
	EXPECT_COL(test, row, COL_PEER, "%lu", sockmap_test_ino(server));

	/*
	 * Cleanup: the server closes with data unread, which resets the
	 * connection (RFC 2525's 2.17), and the orphan with it.
	 */
	kunit_release_action(test, sockmap_test_fput, server);
	kunit_release_action(test, sockmap_test_fput, listener);
	sockmap_nw_expect_gone(test, &t);
	sockmap_nw_expect_gone(test, &back);
}

/*
 * Kernel sockets (sock_create_kern(), no file), as tunnels hold them: UDP
 * over IPv4 and IPv6 bound to loopback, a TCP connection's client, a TCP
 * listener, as an in-kernel server holds one, a raw socket and, where the
 * kernel has it, a UDP-Lite one. Each is one row, with
 * its socket inode; the TCP client names the server, its other end, in
 * PEER.
 */
static void sockmap_test_kernel_sockets(struct kunit *test)
{
	struct sockmap_nw_tuple u4, u6, tt, tl, tr, tu;
	struct socket *udp4, *udp6, *tcp, *klisten, *raw, *udplite;
	const struct sockmap_nw_row *row;
	struct file *listener, *server;
	struct sockmap_nw_walk *w;

	/* Arrange */
	udp4 = sockmap_nw_kern_socket(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	sockmap_nw_bind(test, udp4, AF_INET, "127.0.0.1", 0);
	sockmap_nw_tuple(test, udp4, &u4);
	udp6 = sockmap_nw_kern_socket(test, AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	sockmap_nw_bind(test, udp6, AF_INET6, "::1", 0);
	sockmap_nw_tuple(test, udp6, &u6);
	listener = sockmap_nw_listener(test, AF_INET, "127.0.0.1", 0);
	tcp = sockmap_nw_kern_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_nw_connect(test, tcp, AF_INET, "127.0.0.1",
			   sockmap_test_port(test, listener));
	server = sockmap_test_accept(test, listener);
	sockmap_nw_tuple(test, tcp, &tt);
	/* An in-kernel server's listener: in TCP's listening hash, no file */
	klisten = sockmap_nw_kern_socket(test, AF_INET6, SOCK_STREAM,
					 IPPROTO_TCP);
	sockmap_nw_bind(test, klisten, AF_INET6, "::1", 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(klisten, 7), 0);
	sockmap_nw_tuple(test, klisten, &tl);
	/* Raw: hashed when made; bound to 127.0.0.13, its row is its own */
	raw = sockmap_nw_kern_socket(test, AF_INET, SOCK_RAW, IPPROTO_ICMP);
	sockmap_nw_bind(test, raw, AF_INET, "127.0.0.13", 0);
	sockmap_nw_tuple(test, raw, &tr);
	/* UDP-Lite, where the kernel has it (7.3 has not) */
	udplite = NULL;
	if (sockmap_udplite_table()) {
		udplite = sockmap_nw_kern_socket(test, AF_INET, SOCK_DGRAM,
						 IPPROTO_UDPLITE);
		sockmap_nw_bind(test, udplite, AF_INET, "127.0.0.1", 0);
		sockmap_nw_tuple(test, udplite, &tu);
	}

	/* Act */
	w = sockmap_nw_read(test);

	/* Assert: UDP, unconnected, as /proc/net/udp shows them */
	row = sockmap_nw_only(test, w, "UDP", &u4, "CLOSE");
	sockmap_nw_expect_holderless(test, row, SOCK_INODE(udp4)->i_ino,
				     sockmap_test_fmt(test, "%pK", udp4->sk),
				     "INET", "DGRAM");
	EXPECT_COL(test, row, COL_REMOTE, "0.0.0.0:0");
	row = sockmap_nw_only(test, w, "UDP", &u6, "CLOSE");
	sockmap_nw_expect_holderless(test, row, SOCK_INODE(udp6)->i_ino,
				     sockmap_test_fmt(test, "%pK", udp6->sk),
				     "INET6", "DGRAM");
	EXPECT_COL(test, row, COL_REMOTE, "[::]:0");

	/* Assert: raw, bound to an address of its own, and UDP-Lite */
	row = sockmap_nw_only(test, w, "ICMP", &tr, "CLOSE");
	sockmap_nw_expect_holderless(test, row, SOCK_INODE(raw)->i_ino,
				     sockmap_test_fmt(test, "%pK", raw->sk),
				     "INET", "RAW");
	if (udplite) {
		row = sockmap_nw_only(test, w, "UDPLITE", &tu, "CLOSE");
		sockmap_nw_expect_holderless(test, row,
					     SOCK_INODE(udplite)->i_ino,
					     sockmap_test_fmt(test, "%pK",
							      udplite->sk),
					     "INET", "DGRAM");
	}

	/* Assert: the listener, its accept queue (none) and backlog (7) */
	row = sockmap_nw_only(test, w, "TCP", &tl, "LISTEN");
	sockmap_nw_expect_holderless(test, row, SOCK_INODE(klisten)->i_ino,
				     sockmap_test_fmt(test, "%pK", klisten->sk),
				     "INET6", "STREAM");
	EXPECT_COL(test, row, COL_REMOTE, "[::]:0");
	EXPECT_COL(test, row, COL_RXQ, "0");
	EXPECT_COL(test, row, COL_TXQ, "7");

	/* Assert: TCP, whose other end is the accepted server */
	row = sockmap_nw_tcp_row(test, w, &tt, "ESTABLISHED",
				 SOCK_INODE(tcp)->i_ino);
	EXPECT_COL(test, row, COL_PEER, "%lu", sockmap_test_ino(server));

	/* Cleanup: the connection is reset, not left in TIME_WAIT */
	sock_no_linger(tcp->sk);
	kunit_release_action(test, sockmap_nw_release, tcp);
	sockmap_nw_expect_gone(test, &tt);
}

/*
 * A socket an fd holds is shown under its holder, and never as well with
 * PID "-"; a socket with a file and no fd (as one in flight in
 * SCM_RIGHTS) is shown nowhere. Here both ends of a connection: the
 * client on an fd of this thread's table, the server with a file only;
 * and a UDP socket on an fd.
 */
static void sockmap_test_held(struct kunit *test)
{
	struct file *listener, *client, *server, *udp;
	struct sockmap_nw_tuple t, back, u;
	const struct sockmap_nw_row *row;
	struct sockmap_nw_walk *w;
	int cfd, ufd, i, n, holderless;
	const char *inos[3];

	/* Arrange */
	listener = sockmap_nw_listener(test, AF_INET, "127.0.0.1", 0);
	client = sockmap_nw_client(test, listener, &t);
	server = sockmap_test_accept(test, listener);
	udp = sockmap_test_socket(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	sockmap_test_bind(test, udp, AF_INET, "127.0.0.1", 0);
	sockmap_nw_reverse(&t, &back);
	sockmap_nw_tuple(test, sockmap_test_sock(udp), &u);
	cfd = sockmap_test_install_fd(test, client);
	ufd = sockmap_test_install_fd(test, udp);

	/* Act */
	w = sockmap_nw_read(test);

	/* Assert: the held ones, once each, under this thread */
	row = sockmap_nw_only(test, w, "TCP", &t, "ESTABLISHED");
	EXPECT_COL(test, row, COL_PID, "%d", task_tgid_nr(current));
	EXPECT_COL(test, row, COL_FD, "%d", cfd);
	EXPECT_COL(test, row, COL_INODE, "%lu", sockmap_test_ino(client));
	row = sockmap_nw_only(test, w, "UDP", &u, "CLOSE");
	EXPECT_COL(test, row, COL_PID, "%d", task_tgid_nr(current));
	EXPECT_COL(test, row, COL_FD, "%d", ufd);

	/* Assert: no row with PID "-" has their inodes; the server none */
	inos[0] = sockmap_test_fmt(test, "%lu", sockmap_test_ino(client));
	inos[1] = sockmap_test_fmt(test, "%lu", sockmap_test_ino(udp));
	inos[2] = sockmap_test_fmt(test, "%lu", sockmap_test_ino(server));
	for (i = 0, holderless = 0; i < w->nr; i++) {
		const struct sockmap_nw_row *r = &w->rows[i];

		if (strcmp(r->col[COL_PID], "-"))
			continue;
		holderless++;
		for (n = 0; n < ARRAY_SIZE(inos); n++)
			KUNIT_EXPECT_STRNEQ_MSG(test, r->col[COL_INODE], inos[n],
						"a socket with a file shown with PID \"-\": %s",
						r->line);
	}
	n = sockmap_nw_count(w, "TCP", &back, &row);
	KUNIT_EXPECT_EQ_MSG(test, n, 0,
			    "rows of a socket with a file and no fd%s%s",
			    row ? ": " : "", row ? row->line : "");
	kunit_info(test, "%d rows, %d of them holderless\n", w->nr,
		   holderless);
}

/* Undo sockmap_test_killed()'s SIGKILL, whatever the case's outcome. */
static void sockmap_nw_unkill(void *unused)
{
	flush_signals(current);
	disallow_signal(SIGKILL);
}

/*
 * A reader sent SIGKILL while the walk is in the socket tables ends at the
 * next batch with -EINTR, as in the walk of the tasks: a table of many
 * sockets no file holds (an unprivileged user's TIME_WAIT sockets, say)
 * must not keep a killed reader. Read a byte at a time, which makes
 * seq_file produce one row per fill, to the first byte of the first row of
 * a socket no file holds; then SIGKILL this thread. What seq_file has made
 * already may still come (the rest of that row, and the next row, which
 * seq_file makes when a read empties its buffer); then a read fails with
 * -EINTR, before the output's end: a third socket waits.
 */
static void sockmap_test_killed(struct kunit *test)
{
	struct socket *udp[3];
	int i, rows_after = 0;
	char prev, c = '\n';
	struct file *walk;
	loff_t pos = 0;
	ssize_t n;

	/* Arrange: sockets no file holds, and a walk read up to the first */
	for (i = 0; i < ARRAY_SIZE(udp); i++) {
		udp[i] = sockmap_nw_kern_socket(test, AF_INET, SOCK_DGRAM,
						IPPROTO_UDP);
		sockmap_nw_bind(test, udp[i], AF_INET, "127.0.0.1", 0);
	}
	walk = sockmap_test_open_own_walk(test);
	do {
		prev = c;
		n = kernel_read(walk, &c, 1, &pos);
		KUNIT_ASSERT_EQ_MSG(test, n, 1,
				    "the output ended before a holderless row");
	} while (!(prev == '\n' && c == '-'));
	allow_signal(SIGKILL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sockmap_nw_unkill,
							NULL), 0);

	/* Act */
	send_sig(SIGKILL, current, 1);
	while ((n = kernel_read(walk, &c, 1, &pos)) == 1)
		rows_after += c == '\n';

	/* Assert */
	KUNIT_EXPECT_EQ_MSG(test, n, -EINTR,
			    "a read after SIGKILL, in the socket tables");
	KUNIT_EXPECT_LE_MSG(test, rows_after, 2,
			    "rows ended after SIGKILL: that row and one more");
}

static struct kunit_case sockmap_netwalk_cases[] = {
	KUNIT_CASE_PARAM(sockmap_test_timewait, sockmap_nw_family_gen_params),
	KUNIT_CASE(sockmap_test_request),
	KUNIT_CASE(sockmap_test_accept_queue),
	KUNIT_CASE(sockmap_test_orphan),
	KUNIT_CASE(sockmap_test_kernel_sockets),
	KUNIT_CASE(sockmap_test_held),
	KUNIT_CASE(sockmap_test_killed),
	{}
};

static struct kunit_suite sockmap_netwalk_suite = {
	.name = "sockmap_netwalk",
	.suite_init = sockmap_test_suite_init,
	.suite_exit = sockmap_test_suite_exit,
	.test_cases = sockmap_netwalk_cases,
};

kunit_test_suite(sockmap_netwalk_suite);
