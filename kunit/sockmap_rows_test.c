// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap_rows_test.c - the sockmap_rows suite: the row of each kind of
 * socket, created in the test kernel and put in the states the rows must
 * tell apart (TCP's queues, retransmits and other end, UDP, UNIX,
 * netlink, packet, a socket without a struct sock).
 */

#include "sockmap_test.h"

/*
 * Rows of real sockets: sockmap_show_socket() prints columns INODE..PEER.
 * The tests read them by name: where each is in a row is looked up in the
 * header's names (sockmap_columns[]), never assumed, so that a column
 * added anywhere breaks no test but those about the header.
 */

static const char * const sockmap_test_field_names[NR_FIELDS] = {
	"INODE", "SOCK", "NETNS", "FAMILY", "TYPE", "PROTO", "STATE", "LOCAL",
	"REMOTE", "RXQ", "TXQ", "CWND", "SSTHRESH", "SRTT_US", "RETRANS",
	"UID", "PEER",
};

struct sockmap_test_row {
	const char *line;	/* as printed, for messages */
	char *field[NR_FIELDS];
};

/* What separates the fields of a row, and ends it. */
static const char sockmap_test_field_seps[] = { ' ', '\n', '\0' };

/* The columns sockmap_show_socket() prints: from INODE up to CGROUP. */
#define SOCKMAP_TEST_SOCKET_COLUMNS	(COL_CGROUP - COL_INODE)

/* Where the header's names put column @name in a whole row, or -1. */
static int sockmap_test_column(const char *name)
{
	int col;

	for (col = 0; col < NR_COLUMNS; col++)
		if (!strcmp(sockmap_columns[col].name, name))
			return col;
	return -1;
}

/*
 * An empty seq_file for @file's row. seq_user_ns() is the reader's: this
 * file, opened by the test.
 */
static struct seq_file *sockmap_test_row_seq(struct kunit *test,
					     struct file *file)
{
	struct seq_file *m = sockmap_test_seq(test);

	m->file = file;
	return m;
}

/*
 * The row sockmap_show_socket() wrote into @m, split on whitespace. Apart
 * from the show, so that a test may show a row while it holds a lock and
 * check it after letting go: a failed assertion ends the test at once,
 * and would leave the lock held.
 */
static struct sockmap_test_row *sockmap_test_split(struct kunit *test,
						   struct seq_file *m)
{
	char *cols[SOCKMAP_TEST_SOCKET_COLUMNS];
	struct sockmap_test_row *row;
	int n = 0, f, col;
	char *s, *tok;

	row = kunit_kzalloc(test, sizeof(*row), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, row);
	row->line = kunit_kstrdup(test, sockmap_test_seq_str(test, m),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, row->line);
	KUNIT_ASSERT_GT(test, m->count, 0);
	KUNIT_EXPECT_EQ_MSG(test, m->buf[m->count - 1], '\n',
			    "a row ends with a newline: %s", row->line);
	s = m->buf;
	while ((tok = strsep(&s, sockmap_test_field_seps))) {
		if (!*tok)
			continue;
		KUNIT_ASSERT_LT_MSG(test, n, SOCKMAP_TEST_SOCKET_COLUMNS,
				    "too many fields: %s", row->line);
		cols[n++] = tok;
	}
	KUNIT_ASSERT_EQ_MSG(test, n, SOCKMAP_TEST_SOCKET_COLUMNS,
			    "fields of: %s", row->line);
	for (f = 0; f < NR_FIELDS; f++) {
		col = sockmap_test_column(sockmap_test_field_names[f]);
		KUNIT_ASSERT_TRUE_MSG(test, col >= COL_INODE && col < COL_CGROUP,
				      "no column %s in the header",
				      sockmap_test_field_names[f]);
		row->field[f] = cols[col - COL_INODE];
	}
	return row;
}

/* Render @file's columns and split them on whitespace. */
static struct sockmap_test_row *sockmap_test_render(struct kunit *test,
						    struct file *file)
{
	struct seq_file *m = sockmap_test_row_seq(test, file);

	sockmap_show_socket(m, file);
	return sockmap_test_split(test, m);
}

/*
 * Expect field @f of @row to read as the printf format @fmt does. A macro,
 * not a function, so that a failure names the line of the caller.
 */
#define EXPECT_FIELD(test, row, f, fmt, ...) do {			\
	struct kunit *__test = (test);					\
	const struct sockmap_test_row *__row = (row);			\
	enum sockmap_test_field __f = (f);				\
									\
	KUNIT_EXPECT_STREQ_MSG(__test, __row->field[__f],		\
			       sockmap_test_fmt(__test, fmt, ##__VA_ARGS__), \
			       "%s of: %s", sockmap_test_field_names[__f], \
			       __row->line);				\
} while (0)

/* INODE .. PROTO, and UID: which socket this is and who owns it. */
static void sockmap_test_expect_identity(struct kunit *test,
					 const struct sockmap_test_row *row,
					 struct file *file, const char *family,
					 const char *type, const char *proto,
					 uid_t uid)
{
	EXPECT_FIELD(test, row, F_INODE, "%lu", sockmap_test_ino(file));
	/* %pK as /proc/net/tcp prints sk: kptr_restrict decides. */
	EXPECT_FIELD(test, row, F_SOCK, "%pK", sockmap_test_sk(file));
	EXPECT_FIELD(test, row, F_NETNS, "%u", init_net.ns.inum);
	EXPECT_FIELD(test, row, F_FAMILY, "%s", family);
	EXPECT_FIELD(test, row, F_TYPE, "%s", type);
	EXPECT_FIELD(test, row, F_PROTO, "%s", proto);
	EXPECT_FIELD(test, row, F_UID, "%u", uid);
}

/*
 * CWND .. RETRANS of a TCP socket, read the way /proc/net/tcp and ss read
 * them: snd_cwnd; snd_ssthresh, -1 while it is still "infinite" (initial
 * slow start); srtt_us, which holds 8 times the smoothed RTT in µs (RFC
 * 6298's fixed point, see include/linux/tcp.h); total_retrans.
 */
static void sockmap_test_expect_tcp_stats(struct kunit *test,
					  const struct sockmap_test_row *row,
					  struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	EXPECT_FIELD(test, row, F_CWND, "%u", tcp_snd_cwnd(tp));
	if (tp->snd_ssthresh >= TCP_INFINITE_SSTHRESH)
		EXPECT_FIELD(test, row, F_SSTHRESH, "-1");
	else
		EXPECT_FIELD(test, row, F_SSTHRESH, "%u", tp->snd_ssthresh);
	EXPECT_FIELD(test, row, F_SRTT_US, "%u", tp->srtt_us >> 3);
	EXPECT_FIELD(test, row, F_RETRANS, "%u", tp->total_retrans);
}

/* CWND .. RETRANS of anything but TCP. */
static void sockmap_test_expect_no_tcp_stats(struct kunit *test,
					     const struct sockmap_test_row *row)
{
	EXPECT_FIELD(test, row, F_CWND, "-");
	EXPECT_FIELD(test, row, F_SSTHRESH, "-");
	EXPECT_FIELD(test, row, F_SRTT_US, "-");
	EXPECT_FIELD(test, row, F_RETRANS, "-");
}

/*
 * A TCP connection over loopback, for each way of addressing it. The
 * formats take a port.
 */
struct sockmap_tcp_case {
	const char *desc;
	int family;
	const char *listen_on;	/* the listener binds this address */
	const char *connect_to;	/* the client connects to this one */
	const char *listener;	/* the listener's LOCAL */
	const char *any;	/* the listener's REMOTE */
	const char *end;	/* either end's LOCAL and REMOTE */
};

static const struct sockmap_tcp_case sockmap_tcp_cases[] = {
	{ "IPv4", AF_INET, "127.0.0.1", "127.0.0.1",
	  "127.0.0.1:%u", "0.0.0.0:0", "127.0.0.1:%u" },
	{ "IPv6", AF_INET6, "::1", "::1",
	  "[::1]:%u", "[::]:0", "[::1]:%u" },
	/* A dual-stack listener on [::] reached over IPv4. */
	{ "IPv4-mapped IPv6", AF_INET6, "::", "::ffff:127.0.0.1",
	  "[::]:%u", "[::]:0", "[::ffff:127.0.0.1]:%u" },
};

KUNIT_ARRAY_PARAM_DESC(sockmap_tcp, sockmap_tcp_cases, desc);

static const char *sockmap_test_inet_family(int family)
{
	return family == AF_INET ? "INET" : "INET6";
}

static void sockmap_test_tcp_rows(struct kunit *test)
{
	const struct sockmap_tcp_case *c = test->param_value;
	const char *family = sockmap_test_inet_family(c->family);
	struct file *listener, *client, *server;
	struct sockmap_test_row *row;
	const u32 *backlog;
	u16 port, client_port;

	/* Arrange: a listener (backlog 5) and a connection in its queue */
	listener = sockmap_test_socket(test, c->family, SOCK_STREAM,
				       IPPROTO_TCP);
	sockmap_test_bind(test, listener, c->family, c->listen_on, 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(listener), 5), 0);
	port = sockmap_test_port(test, listener);
	client = sockmap_test_socket(test, c->family, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_connect(test, client, c->family, c->connect_to, port);
	client_port = sockmap_test_port(test, client);
	backlog = &sockmap_test_sk(listener)->sk_ack_backlog;
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(*backlog) == 1));

	/* Act */
	row = sockmap_test_render(test, listener);

	/* Assert: a listener's queues are its accept queue and limit (ss) */
	sockmap_test_expect_identity(test, row, listener, family, "STREAM",
				     "TCP", 0);
	EXPECT_FIELD(test, row, F_STATE, "LISTEN");
	EXPECT_FIELD(test, row, F_LOCAL, c->listener, port);
	EXPECT_FIELD(test, row, F_REMOTE, "%s", c->any);
	EXPECT_FIELD(test, row, F_RXQ, "1");
	EXPECT_FIELD(test, row, F_TXQ, "5");
	sockmap_test_expect_tcp_stats(test, row, sockmap_test_sk(listener));
	EXPECT_FIELD(test, row, F_PEER, "-");

	/* Arrange: accept it */
	server = sockmap_test_accept(test, listener);

	/* Act */
	row = sockmap_test_render(test, client);

	/* Assert: each end names the other's inode in PEER */
	sockmap_test_expect_identity(test, row, client, family, "STREAM",
				     "TCP", 0);
	EXPECT_FIELD(test, row, F_STATE, "ESTABLISHED");
	EXPECT_FIELD(test, row, F_LOCAL, c->end, client_port);
	EXPECT_FIELD(test, row, F_REMOTE, c->end, port);
	EXPECT_FIELD(test, row, F_RXQ, "0");
	EXPECT_FIELD(test, row, F_TXQ, "0");
	sockmap_test_expect_tcp_stats(test, row, sockmap_test_sk(client));
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(server));

	row = sockmap_test_render(test, server);
	sockmap_test_expect_identity(test, row, server, family, "STREAM",
				     "TCP", 0);
	EXPECT_FIELD(test, row, F_STATE, "ESTABLISHED");
	EXPECT_FIELD(test, row, F_LOCAL, c->end, port);
	EXPECT_FIELD(test, row, F_REMOTE, c->end, client_port);
	EXPECT_FIELD(test, row, F_RXQ, "0");
	EXPECT_FIELD(test, row, F_TXQ, "0");
	sockmap_test_expect_tcp_stats(test, row, sockmap_test_sk(server));
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(client));

	row = sockmap_test_render(test, listener);
	EXPECT_FIELD(test, row, F_RXQ, "0");
}

/*
 * A TCP connection over IPv4 loopback: *@client, connected to a listener
 * (backlog 1), and *@server, the connection that listener accepted. With
 * @ifindex, the listener and the client are bound to that device first
 * (SO_BINDTODEVICE), and the server inherits it from the listener.
 */
static void sockmap_test_tcp_pair_on(struct kunit *test, int ifindex,
				     struct file **client,
				     struct file **server)
{
	struct file *listener;
	u16 port;

	listener = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	*client = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (ifindex) {
		KUNIT_ASSERT_EQ(test, sock_bindtoindex(sockmap_test_sk(listener),
						       ifindex, true), 0);
		KUNIT_ASSERT_EQ(test, sock_bindtoindex(sockmap_test_sk(*client),
						       ifindex, true), 0);
	}
	sockmap_test_bind(test, listener, AF_INET, "127.0.0.1", 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(listener), 1), 0);
	port = sockmap_test_port(test, listener);
	sockmap_test_connect(test, *client, AF_INET, "127.0.0.1", port);
	*server = sockmap_test_accept(test, listener);
}

static void sockmap_test_tcp_pair(struct kunit *test, struct file **client,
				  struct file **server)
{
	sockmap_test_tcp_pair_on(test, 0, client, server);
}

/* What the client of the documents' scenario says. */
static const char sockmap_test_hello[] = "hello i am client";

/*
 * The documents' scenario, from sockmap_test_tcp_pair(): the client has
 * said hello, which the server has received and acknowledged, and not
 * read. Returns the length of the hello.
 */
static u32 sockmap_test_tcp_hello(struct kunit *test, struct file **client,
				  struct file **server)
{
	const u32 len = strlen(sockmap_test_hello);
	const struct tcp_sock *ctp, *stp;

	sockmap_test_tcp_pair(test, client, server);
	sockmap_test_send(test, *client, sockmap_test_hello);
	stp = tcp_sk(sockmap_test_sk(*server));
	ctp = tcp_sk(sockmap_test_sk(*client));
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(stp->rcv_nxt) -
						  READ_ONCE(stp->copied_seq) ==
						  len));
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(ctp->snd_una) ==
						  READ_ONCE(ctp->write_seq)));
	return len;
}

/* The documents' scenario: the client says hello, the server has not read. */
static void sockmap_test_tcp_queues(struct kunit *test)
{
	struct sockmap_test_row *row;
	struct file *client, *server;
	u32 len;

	/* Arrange */
	len = sockmap_test_tcp_hello(test, &client, &server);

	/* Act */
	row = sockmap_test_render(test, server);

	/* Assert: the unread bytes wait in the server's receive queue */
	EXPECT_FIELD(test, row, F_RXQ, "%u", len);
	EXPECT_FIELD(test, row, F_TXQ, "0");
	sockmap_test_expect_tcp_stats(test, row, sockmap_test_sk(server));

	row = sockmap_test_render(test, client);
	EXPECT_FIELD(test, row, F_RXQ, "0");
	EXPECT_FIELD(test, row, F_TXQ, "0");
	sockmap_test_expect_tcp_stats(test, row, sockmap_test_sk(client));
}

/*
 * What an unlocked read of a connection's queues meets now and then, made
 * certain: the two ends of a queue on either side of 2^32 (sequence
 * numbers wrap), and copied_seq past rcv_nxt (the application read data
 * between the reader's two loads). The fields are set under the socket's
 * lock, which keeps TCP from using them meanwhile (a segment that arrives
 * waits in the backlog, a timer defers its work), and put back before it
 * is released.
 */
static void sockmap_test_tcp_queue_edges(struct kunit *test)
{
	struct sockmap_test_row *wrapped, *ahead, *sent;
	u32 rcv_nxt, copied_seq, snd_una, write_seq, len;
	struct seq_file *wrapped_m, *ahead_m, *sent_m;
	struct file *client, *server;
	struct tcp_sock *stp, *ctp;

	/* Arrange: 17 bytes the server has not read, all acknowledged */
	len = sockmap_test_tcp_hello(test, &client, &server);
	stp = tcp_sk(sockmap_test_sk(server));
	ctp = tcp_sk(sockmap_test_sk(client));
	wrapped_m = sockmap_test_row_seq(test, server);
	ahead_m = sockmap_test_row_seq(test, server);
	sent_m = sockmap_test_row_seq(test, client);

	/* Act: the server's unread bytes from 2^32 - 8 to 9 */
	lock_sock(sockmap_test_sk(server));
	rcv_nxt = stp->rcv_nxt;
	copied_seq = stp->copied_seq;
	WRITE_ONCE(stp->copied_seq, (u32)-8);
	WRITE_ONCE(stp->rcv_nxt, (u32)-8 + len);
	sockmap_show_socket(wrapped_m, server);
	/* ... and copied_seq 5 bytes past rcv_nxt */
	WRITE_ONCE(stp->copied_seq, stp->rcv_nxt + 5);
	sockmap_show_socket(ahead_m, server);
	WRITE_ONCE(stp->rcv_nxt, rcv_nxt);
	WRITE_ONCE(stp->copied_seq, copied_seq);
	release_sock(sockmap_test_sk(server));

	/* Act: the client's 17 bytes not acknowledged, from 2^32 - 8 to 9 */
	lock_sock(sockmap_test_sk(client));
	snd_una = ctp->snd_una;
	write_seq = ctp->write_seq;
	WRITE_ONCE(ctp->snd_una, (u32)-8);
	WRITE_ONCE(ctp->write_seq, (u32)-8 + len);
	sockmap_show_socket(sent_m, client);
	WRITE_ONCE(ctp->snd_una, snd_una);
	WRITE_ONCE(ctp->write_seq, write_seq);
	release_sock(sockmap_test_sk(client));

	/* Assert */
	wrapped = sockmap_test_split(test, wrapped_m);
	ahead = sockmap_test_split(test, ahead_m);
	sent = sockmap_test_split(test, sent_m);
	KUNIT_EXPECT_STREQ_MSG(test, wrapped->field[F_RXQ],
			       sockmap_test_fmt(test, "%u", len),
			       "RXQ, rcv_nxt 9 and copied_seq 2^32 - 8 (wrapped): %s",
			       wrapped->line);
	KUNIT_EXPECT_STREQ_MSG(test, ahead->field[F_RXQ], "0",
			       "RXQ, copied_seq 5 past rcv_nxt (unlocked): %s",
			       ahead->line);
	KUNIT_EXPECT_STREQ_MSG(test, sent->field[F_TXQ],
			       sockmap_test_fmt(test, "%u", len),
			       "TXQ, write_seq 9 and snd_una 2^32 - 8 (wrapped): %s",
			       sent->line);
}

/*
 * A SYN that a listener drops: its accept queue is full (backlog 0, one
 * connection not yet accepted), and tcp_conn_request() drops a SYN then
 * without a word. The client stays in SYN_SENT and its retransmit timer
 * sends the SYN again after TCP_TIMEOUT_INIT (1 s), then after 2 s more:
 * every retransmit counts in total_retrans, and the timeout takes the
 * connection out of slow start (tcp_enter_loss() sets a finite ssthresh).
 * Once the queue has room, the next SYN connects, and the ACK of the SYN
 * clears icsk_retransmits (/proc/net/tcp's retrnsmt, the retransmits of
 * the current timeout only) while total_retrans keeps the count.
 */
static void sockmap_test_tcp_retrans(struct kunit *test)
{
	struct sockaddr_storage ss;
	struct sockmap_test_row *row;
	struct file *listener, *queued, *client;
	const struct tcp_sock *tp;
	const u32 *backlog;
	struct sock *sk;
	bool done;
	int len, i;
	u16 port;

	/* Arrange: a listener whose accept queue is full */
	listener = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_bind(test, listener, AF_INET, "127.0.0.1", 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(listener), 0), 0);
	port = sockmap_test_port(test, listener);
	queued = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_connect(test, queued, AF_INET, "127.0.0.1", port);
	backlog = &sockmap_test_sk(listener)->sk_ack_backlog;
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(*backlog) == 1));

	/* Arrange: a client whose SYN it drops, until one is retransmitted */
	client = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	len = sockmap_test_addr(test, AF_INET, "127.0.0.1", port, &ss);
	KUNIT_ASSERT_EQ(test, kernel_connect(sockmap_test_sock(client),
					     (struct sockaddr_unsized *)&ss,
					     len, O_NONBLOCK), -EINPROGRESS);
	sk = sockmap_test_sk(client);
	tp = tcp_sk(sk);
	for (i = 0, done = false; i < 3 && !done; i++)
		done = sockmap_test_wait(READ_ONCE(tp->total_retrans) >= 1);
	KUNIT_ASSERT_TRUE_MSG(test, done, "no SYN was retransmitted in 6 s");
	KUNIT_ASSERT_EQ(test, READ_ONCE(sk->sk_state), TCP_SYN_SENT);

	/* Act */
	row = sockmap_test_render(test, client);

	/* Assert: RETRANS counts the retransmitted SYN */
	EXPECT_FIELD(test, row, F_STATE, "SYN_SENT");
	sockmap_test_expect_tcp_stats(test, row, sk);

	/* Arrange: make room in the queue; the next SYN connects */
	sockmap_test_accept(test, listener);
	for (i = 0, done = false; i < 3 && !done; i++)
		done = sockmap_test_wait(READ_ONCE(sk->sk_state) ==
					 TCP_ESTABLISHED);
	KUNIT_ASSERT_TRUE_MSG(test, done, "the client did not connect in 6 s");
	KUNIT_ASSERT_GE(test, READ_ONCE(tp->total_retrans), 1U);

	/* Act */
	row = sockmap_test_render(test, client);

	/* Assert: still every retransmit of the connection, not 0 */
	EXPECT_FIELD(test, row, F_STATE, "ESTABLISHED");
	sockmap_test_expect_tcp_stats(test, row, sk);
}

/*
 * Rows of @file, @n times: the socket at its other end, @peer, has as many
 * references afterwards as before. A reference the peer lookup takes and
 * does not drop would add @n; a TCP timer may take or drop one meanwhile,
 * hence the margin of 2.
 */
static void sockmap_test_expect_peer_refs_kept(struct kunit *test,
					       struct file *file,
					       struct sock *peer, int n)
{
	int before = refcount_read(&peer->sk_refcnt), i;

	for (i = 0; i < n; i++)
		sockmap_test_render(test, file);
	KUNIT_EXPECT_LE_MSG(test, refcount_read(&peer->sk_refcnt), before + 2,
			    "the peer's sk_refcnt, %d before %d rows of the other end",
			    before, n);
}

/* Finding the other end, TCP's or UNIX's, takes no lasting reference. */
static void sockmap_test_peer_refs(struct kunit *test)
{
	struct file *client, *server, *a, *b;

	/* Arrange: a TCP connection and a UNIX socket pair */
	sockmap_test_tcp_pair(test, &client, &server);
	a = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	b = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	sockmap_test_socketpair(test, a, b);

	/* Act and assert */
	sockmap_test_expect_peer_refs_kept(test, client,
					   sockmap_test_sk(server), 8);
	sockmap_test_expect_peer_refs_kept(test, server,
					   sockmap_test_sk(client), 8);
	sockmap_test_expect_peer_refs_kept(test, a, sockmap_test_sk(b), 8);
	sockmap_test_expect_peer_refs_kept(test, b, sockmap_test_sk(a), 8);
}

/*
 * The server closes first: the client, in CLOSE_WAIT, is still in the
 * established hash, and the lookup of its other end finds what the server
 * left there, a TIME_WAIT socket (inet_timewait_sock, in its FIN_WAIT2
 * substate): no file, no inode, and not a struct sock to read fields of.
 */
static void sockmap_test_tcp_peer_closed(struct kunit *test)
{
	struct sockmap_test_row *row;
	struct file *client, *server;
	struct sock *sk;
	bool closed;

	/* Arrange */
	sockmap_test_tcp_pair(test, &client, &server);
	/* Close the server's end; tcp_time_wait() ends in tcp_done(): CLOSE */
	sk = sockmap_test_sk(server);
	sock_hold(sk);
	kunit_release_action(test, sockmap_test_fput, server);
	closed = sockmap_test_wait(READ_ONCE(sk->sk_state) == TCP_CLOSE);
	sock_put(sk);
	KUNIT_ASSERT_TRUE_MSG(test, closed, "the server's end did not close");
	sk = sockmap_test_sk(client);
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(sk->sk_state) ==
						  TCP_CLOSE_WAIT));

	/* Act */
	row = sockmap_test_render(test, client);

	/* Assert: no other end with an inode */
	EXPECT_FIELD(test, row, F_STATE, "CLOSE_WAIT");
	EXPECT_FIELD(test, row, F_PEER, "-");
}

/*
 * The socket a segment sent by IPv4 TCP socket @sk would be delivered to,
 * found as tcp_v4_rcv() finds it, with a reference (drop it with
 * sock_gen_put()), or NULL: a full socket, a TIME_WAIT one or a request.
 */
static struct sock *sockmap_test_lookup_peer(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct sock *peer;

	rcu_read_lock();
	peer = __inet_lookup_established(sock_net(sk), inet->inet_rcv_saddr,
					 inet->inet_sport, inet->inet_daddr,
					 ntohs(inet->inet_dport),
					 sk->sk_bound_dev_if, 0);
	rcu_read_unlock();
	return peer;
}

/*
 * Rows of @file, whose other end is not a full socket but what the
 * lookup of it finds: the test holds a reference to that, so that its
 * count cannot drop to zero meanwhile, and expects the rows to leave the
 * count as they found it, as sockmap_test_peer_refs() does for full ones.
 * A reference dropped only when the peer is a full socket shows here.
 */
static void sockmap_test_expect_small_peer_refs_kept(struct kunit *test,
						     struct file *file,
						     int state)
{
	struct sockmap_test_row *row;
	struct sock *peer;

	peer = sockmap_test_lookup_peer(sockmap_test_sk(file));
	KUNIT_ASSERT_NOT_NULL(test, peer);
	if (sk_fullsock(peer) || READ_ONCE(peer->sk_state) != state) {
		KUNIT_FAIL(test, "the other end is in state %d, not %d",
			   READ_ONCE(peer->sk_state), state);
		sock_gen_put(peer);
		return;
	}

	sockmap_test_expect_peer_refs_kept(test, file, peer, 8);
	row = sockmap_test_render(test, file);
	EXPECT_FIELD(test, row, F_PEER, "-");

	sock_gen_put(peer);
}

/*
 * The other end is not always a full socket: a TIME_WAIT socket (the
 * server closed first, as in sockmap_test_tcp_peer_closed()) or a request
 * socket (the server's end of a connection whose handshake TCP has not
 * finished for it). Both share sk_refcnt with a full socket through
 * struct sock_common, and finding them takes a reference as well.
 */
static void sockmap_test_peer_refs_not_full(struct kunit *test)
{
	struct file *listener, *client, *server;
	struct sock *sk;
	bool closed;
	u16 port;

	/* Arrange: the server closes first and leaves TIME_WAIT behind */
	sockmap_test_tcp_pair(test, &client, &server);
	sk = sockmap_test_sk(server);
	sock_hold(sk);
	kunit_release_action(test, sockmap_test_fput, server);
	closed = sockmap_test_wait(READ_ONCE(sk->sk_state) == TCP_CLOSE);
	sock_put(sk);
	KUNIT_ASSERT_TRUE_MSG(test, closed, "the server's end did not close");
	sk = sockmap_test_sk(client);
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(sk->sk_state) ==
						  TCP_CLOSE_WAIT));

	/* Act and assert */
	sockmap_test_expect_small_peer_refs_kept(test, client, TCP_TIME_WAIT);

	/*
	 * Arrange: a listener that, like setsockopt(TCP_DEFER_ACCEPT),
	 * drops the bare ACK that ends the handshake (tcp_check_req())
	 * while it has sent fewer than 3 SYN-ACKs: the client is
	 * ESTABLISHED, the server's end is still a request socket.
	 */
	listener = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_bind(test, listener, AF_INET, "127.0.0.1", 0);
	sk = sockmap_test_sk(listener);
	lock_sock(sk);
	WRITE_ONCE(inet_csk(sk)->icsk_accept_queue.rskq_defer_accept, 3);
	release_sock(sk);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(listener), 1), 0);
	port = sockmap_test_port(test, listener);
	client = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_connect(test, client, AF_INET, "127.0.0.1", port);
	KUNIT_ASSERT_EQ(test, READ_ONCE(sockmap_test_sk(client)->sk_state),
			TCP_ESTABLISHED);

	/* Act and assert */
	sockmap_test_expect_small_peer_refs_kept(test, client,
						 TCP_NEW_SYN_RECV);
}

/*
 * Which states have an other end to ask for: those in which the socket is
 * in the established hash. Half-closed, each end still names the other:
 * the server in FIN_WAIT2, the client in CLOSE_WAIT. Reset, the client is
 * in CLOSE, out of the hash, but keeps its 4-tuple; a new connection on
 * the same two ports is then what a lookup on its behalf would find, and
 * it is not its other end.
 */
static void sockmap_test_tcp_peer_states(struct kunit *test)
{
	struct file *listener, *client, *server, *again, *server2;
	struct sockmap_test_row *row;
	struct sock *csk, *ssk;
	u16 port, client_port;

	/* Arrange: a connection whose server shuts down its sending half */
	listener = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_bind(test, listener, AF_INET, "127.0.0.1", 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(listener), 1), 0);
	port = sockmap_test_port(test, listener);
	client = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_connect(test, client, AF_INET, "127.0.0.1", port);
	client_port = sockmap_test_port(test, client);
	server = sockmap_test_accept(test, listener);
	csk = sockmap_test_sk(client);
	ssk = sockmap_test_sk(server);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sockmap_test_sock(server),
						   SHUT_WR), 0);
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(ssk->sk_state) ==
						  TCP_FIN_WAIT2));
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(csk->sk_state) ==
						  TCP_CLOSE_WAIT));

	/* Act and assert: each end names the other */
	row = sockmap_test_render(test, client);
	EXPECT_FIELD(test, row, F_STATE, "CLOSE_WAIT");
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(server));
	row = sockmap_test_render(test, server);
	EXPECT_FIELD(test, row, F_STATE, "FIN_WAIT2");
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(client));

	/* Arrange: the server aborts (SO_LINGER 0): a reset, no TIME_WAIT */
	sock_no_linger(ssk);
	kunit_release_action(test, sockmap_test_fput, server);
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(csk->sk_state) ==
						  TCP_CLOSE));
	/* A new connection from the same port to the same listener */
	again = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_bind(test, again, AF_INET, "127.0.0.1", client_port);
	sockmap_test_connect(test, again, AF_INET, "127.0.0.1", port);
	server2 = sockmap_test_accept(test, listener);

	/* Act */
	row = sockmap_test_render(test, client);

	/* Assert: the reset client has no other end; the new one has */
	EXPECT_FIELD(test, row, F_STATE, "CLOSE");
	EXPECT_FIELD(test, row, F_PEER, "-");
	row = sockmap_test_render(test, again);
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(server2));
}

/*
 * SYN_SENT is in the established hash before anything answered: not
 * connected, and yet a lookup on its behalf finds whatever has its 4-tuple
 * reversed. On loopback that is, at once, a request socket (not full) and
 * then the connection. To have a full socket there while the SYN is
 * unanswered, the other end is made first, in TCP_REPAIR mode (connect()
 * then connects at once and sends nothing, as a checkpoint's restore
 * does), and kept locked while the SYN arrives: the SYN waits in its
 * backlog until the rows are read, and the client stays in SYN_SENT.
 */
static void sockmap_test_tcp_peer_syn_sent(struct kunit *test)
{
	struct sockmap_test_row *row, *other_row;
	struct seq_file *m, *other_m;
	struct sockaddr_storage ss;
	struct file *client, *other;
	struct socket *sock;
	struct sock *osk;
	int on = 1, len;
	u16 port;

	/* Arrange: the other end, connected to the client's port already */
	client = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sockmap_test_bind(test, client, AF_INET, "127.0.0.1", 0);
	other = sockmap_test_socket(test, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	sock = sockmap_test_sock(other);
	KUNIT_ASSERT_EQ(test, sock->ops->setsockopt(sock, SOL_TCP, TCP_REPAIR,
						    KERNEL_SOCKPTR(&on),
						    sizeof(on)), 0);
	sockmap_test_bind(test, other, AF_INET, "127.0.0.1", 0);
	port = sockmap_test_port(test, other);
	sockmap_test_connect(test, other, AF_INET, "127.0.0.1",
			     sockmap_test_port(test, client));
	osk = sockmap_test_sk(other);
	KUNIT_ASSERT_EQ(test, READ_ONCE(osk->sk_state), TCP_ESTABLISHED);
	m = sockmap_test_row_seq(test, client);
	other_m = sockmap_test_row_seq(test, other);

	/*
	 * Arrange: the client's SYN, which waits in the other's backlog.
	 * connect() locks the client inside: another lock of the class.
	 */
	len = sockmap_test_addr(test, AF_INET, "127.0.0.1", port, &ss);
	lock_sock_nested(osk, SINGLE_DEPTH_NESTING);
	KUNIT_EXPECT_EQ(test, kernel_connect(sockmap_test_sock(client),
					     (struct sockaddr_unsized *)&ss,
					     len, O_NONBLOCK), -EINPROGRESS);

	/* Act */
	sockmap_show_socket(m, client);
	sockmap_show_socket(other_m, other);
	release_sock(osk);

	/* Assert: each end in the hash, so each names the other */
	row = sockmap_test_split(test, m);
	other_row = sockmap_test_split(test, other_m);
	EXPECT_FIELD(test, row, F_STATE, "SYN_SENT");
	KUNIT_EXPECT_STREQ_MSG(test, row->field[F_PEER],
			       sockmap_test_fmt(test, "%lu",
						sockmap_test_ino(other)),
			       "PEER of a SYN_SENT socket whose other end is a full socket: %s",
			       row->line);
	EXPECT_FIELD(test, other_row, F_STATE, "ESTABLISHED");
	EXPECT_FIELD(test, other_row, F_PEER, "%lu", sockmap_test_ino(client));
}

/*
 * Both ends bound to the loopback device (SO_BINDTODEVICE "lo"): the
 * established hash matches a socket's sk_bound_dev_if against the
 * lookup's dif, as the receive path asks with the device a segment came
 * in on. Asked with dif 0, neither end would be found; asked with the
 * asking end's sk_bound_dev_if, each finds the other.
 */
static void sockmap_test_tcp_peer_bound_dev(struct kunit *test)
{
	int lo = init_net.loopback_dev->ifindex;
	struct sockmap_test_row *row;
	struct file *end[2];
	int i;

	/* Arrange: the client and the server */
	sockmap_test_tcp_pair_on(test, lo, &end[0], &end[1]);
	KUNIT_ASSERT_EQ(test,
			READ_ONCE(sockmap_test_sk(end[1])->sk_bound_dev_if), lo);

	/* Act and assert: each end names the other */
	for (i = 0; i < ARRAY_SIZE(end); i++) {
		row = sockmap_test_render(test, end[i]);
		KUNIT_EXPECT_STREQ_MSG(test, row->field[F_PEER],
				       sockmap_test_fmt(test, "%lu",
							sockmap_test_ino(end[1 - i])),
				       "PEER of a socket bound to lo, as its other end is: %s",
				       row->line);
	}
}

/*
 * UDP: an unconnected IPv4 socket (CLOSE, as /proc/net/udp's 07) owned by
 * uid 4321, and an IPv6 socket connected to it over a v4-mapped address
 * (ESTABLISHED, 01) that sends it a datagram.
 */
static void sockmap_test_udp_rows(struct kunit *test)
{
	static const char ping[] = "ping";
	struct file *rx, *tx;
	struct sockmap_test_row *row;
	const struct cred *old;
	struct sock *rx_sk;
	u16 rx_port, tx_port;

	/* Arrange: sock_alloc() gives the socket inode the creator's fsuid */
	old = override_creds(sockmap_test_user(test, 4321));
	rx = sockmap_test_socket(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	revert_creds(old);
	sockmap_test_bind(test, rx, AF_INET, "127.0.0.1", 0);
	rx_port = sockmap_test_port(test, rx);
	tx = sockmap_test_socket(test, AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	sockmap_test_connect(test, tx, AF_INET6, "::ffff:127.0.0.1", rx_port);
	tx_port = sockmap_test_port(test, tx);
	sockmap_test_send(test, tx, ping);
	rx_sk = sockmap_test_sk(rx);
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(udp_rqueue_get(rx_sk) > 0));

	/* Act */
	row = sockmap_test_render(test, rx);

	/* Assert: queues as /proc/net/udp computes them */
	sockmap_test_expect_identity(test, row, rx, "INET", "DGRAM", "UDP",
				     4321);
	EXPECT_FIELD(test, row, F_STATE, "CLOSE");
	EXPECT_FIELD(test, row, F_LOCAL, "127.0.0.1:%u", rx_port);
	EXPECT_FIELD(test, row, F_REMOTE, "0.0.0.0:0");
	EXPECT_FIELD(test, row, F_RXQ, "%d", udp_rqueue_get(sockmap_test_sk(rx)));
	EXPECT_FIELD(test, row, F_TXQ, "%d",
		     sk_wmem_alloc_get(sockmap_test_sk(rx)));
	sockmap_test_expect_no_tcp_stats(test, row);
	EXPECT_FIELD(test, row, F_PEER, "-");

	row = sockmap_test_render(test, tx);
	sockmap_test_expect_identity(test, row, tx, "INET6", "DGRAM", "UDP", 0);
	EXPECT_FIELD(test, row, F_STATE, "ESTABLISHED");
	EXPECT_FIELD(test, row, F_LOCAL, "[::ffff:127.0.0.1]:%u", tx_port);
	EXPECT_FIELD(test, row, F_REMOTE, "[::ffff:127.0.0.1]:%u", rx_port);
	EXPECT_FIELD(test, row, F_RXQ, "0");
	EXPECT_FIELD(test, row, F_TXQ, "%d",
		     sk_wmem_alloc_get(sockmap_test_sk(tx)));
	sockmap_test_expect_no_tcp_stats(test, row);
	EXPECT_FIELD(test, row, F_PEER, "-");
}

/* A UNIX stream socketpair: connected, unnamed, each the other's PEER. */
static void sockmap_test_unix_pair_rows(struct kunit *test)
{
	static const char data[] = "hello";
	struct sockmap_test_row *row;
	struct file *a, *b;

	/* Arrange: socketpair(2), then a writes to b */
	a = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	b = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	sockmap_test_socketpair(test, a, b);
	sockmap_test_send(test, a, data);

	/* Act */
	row = sockmap_test_render(test, a);

	/* Assert: queues as ss -x shows them (unix_diag) */
	sockmap_test_expect_identity(test, row, a, "UNIX", "STREAM", "-", 0);
	EXPECT_FIELD(test, row, F_STATE, "CONNECTED");
	EXPECT_FIELD(test, row, F_LOCAL, "-");
	EXPECT_FIELD(test, row, F_REMOTE, "-");
	EXPECT_FIELD(test, row, F_RXQ, "0");
	/* The bytes in flight are charged to the sender's write memory. */
	KUNIT_EXPECT_GT(test, sk_wmem_alloc_get(sockmap_test_sk(a)), 0);
	EXPECT_FIELD(test, row, F_TXQ, "%d",
		     sk_wmem_alloc_get(sockmap_test_sk(a)));
	sockmap_test_expect_no_tcp_stats(test, row);
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(b));

	row = sockmap_test_render(test, b);
	sockmap_test_expect_identity(test, row, b, "UNIX", "STREAM", "-", 0);
	EXPECT_FIELD(test, row, F_STATE, "CONNECTED");
	EXPECT_FIELD(test, row, F_RXQ, "%zu", strlen(data));
	EXPECT_FIELD(test, row, F_TXQ, "0");
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(a));
}

/*
 * A listener on an abstract name with a space and a backslash, a client
 * connected to it, the accepted socket, and an unbound datagram socket.
 */
static void sockmap_test_unix_named_rows(struct kunit *test)
{
	static const char name[] = "\0sockmap kunit\\";
	static const char shown[] = "@sockmap\\040kunit\\134";
	struct file *listener, *client, *server, *dgram;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int len = offsetof(struct sockaddr_un, sun_path) + sizeof(name) - 1;
	struct sockmap_test_row *row;

	/* Arrange: backlog 3, one connection waiting */
	memcpy(sun.sun_path, name, sizeof(name) - 1);
	listener = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	KUNIT_ASSERT_EQ(test, kernel_bind(sockmap_test_sock(listener),
					  (struct sockaddr_unsized *)&sun, len), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(listener), 3), 0);
	client = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	KUNIT_ASSERT_EQ(test, kernel_connect(sockmap_test_sock(client),
					     (struct sockaddr_unsized *)&sun, len, 0),
			0);

	/* Act */
	row = sockmap_test_render(test, listener);

	/* Assert: a listener's queues are its accept queue and limit (ss) */
	sockmap_test_expect_identity(test, row, listener, "UNIX", "STREAM", "-",
				     0);
	EXPECT_FIELD(test, row, F_STATE, "LISTEN");
	EXPECT_FIELD(test, row, F_LOCAL, "%s", shown);
	EXPECT_FIELD(test, row, F_REMOTE, "-");
	EXPECT_FIELD(test, row, F_RXQ, "1");
	EXPECT_FIELD(test, row, F_TXQ, "3");
	EXPECT_FIELD(test, row, F_PEER, "-");

	/* Arrange */
	server = sockmap_test_accept(test, listener);
	dgram = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);

	/* Act + Assert: the client's REMOTE is the name it connected to */
	row = sockmap_test_render(test, client);
	EXPECT_FIELD(test, row, F_STATE, "CONNECTED");
	EXPECT_FIELD(test, row, F_LOCAL, "-");
	EXPECT_FIELD(test, row, F_REMOTE, "%s", shown);
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(server));

	row = sockmap_test_render(test, server);
	EXPECT_FIELD(test, row, F_STATE, "CONNECTED");
	EXPECT_FIELD(test, row, F_LOCAL, "%s", shown);
	EXPECT_FIELD(test, row, F_REMOTE, "-");
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(client));

	row = sockmap_test_render(test, dgram);
	sockmap_test_expect_identity(test, row, dgram, "UNIX", "DGRAM", "-", 0);
	EXPECT_FIELD(test, row, F_STATE, "UNCONNECTED");
	EXPECT_FIELD(test, row, F_LOCAL, "-");
	EXPECT_FIELD(test, row, F_REMOTE, "-");
	EXPECT_FIELD(test, row, F_PEER, "-");

	row = sockmap_test_render(test, listener);
	EXPECT_FIELD(test, row, F_RXQ, "0");
}

/*
 * The longest names a row can hold: two abstract UNIX names of 107 bytes
 * that each need escaping (\040 for every space), as LOCAL and REMOTE of
 * one row, 429 and 426 bytes. row.c makes room for the longest row once;
 * these must come out whole and exact.
 */
static void sockmap_test_unix_longest_names(struct kunit *test)
{
	struct sockaddr_un sun[2] = { { .sun_family = AF_UNIX },
				      { .sun_family = AF_UNIX } };
	int len = sizeof(struct sockaddr_un);
	struct sockmap_test_row *row;
	struct file *a, *b;
	char *want[2];
	int i, j;

	/* Arrange: names NUL + 107 spaces, the second ending in 'x' */
	for (i = 0; i < 2; i++) {
		memset(sun[i].sun_path + 1, ' ', UNIX_PATH_MAX - 1);
		want[i] = kunit_kzalloc(test, SOCKMAP_UNIX_NAME_MAX + 1,
					GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, want[i]);
		want[i][0] = '@';
		for (j = 1; j < UNIX_PATH_MAX; j++)
			strcat(want[i], "\\040");
	}
	sun[1].sun_path[UNIX_PATH_MAX - 1] = 'x';
	strscpy(want[1] + strlen(want[1]) - 4, "x", 2);
	a = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	b = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	KUNIT_ASSERT_EQ(test, kernel_bind(sockmap_test_sock(a),
					  (struct sockaddr_unsized *)&sun[0], len), 0);
	KUNIT_ASSERT_EQ(test, kernel_bind(sockmap_test_sock(b),
					  (struct sockaddr_unsized *)&sun[1], len), 0);
	KUNIT_ASSERT_EQ(test, kernel_connect(sockmap_test_sock(a),
					     (struct sockaddr_unsized *)&sun[1], len, 0),
			0);

	/* Act */
	row = sockmap_test_render(test, a);

	/* Assert */
	KUNIT_EXPECT_EQ(test, strlen(row->field[F_LOCAL]), 1 + 4 * 107);
	KUNIT_EXPECT_STREQ(test, row->field[F_LOCAL], want[0]);
	KUNIT_EXPECT_EQ(test, strlen(row->field[F_REMOTE]), 1 + 4 * 106 + 1);
	KUNIT_EXPECT_STREQ(test, row->field[F_REMOTE], want[1]);
	EXPECT_FIELD(test, row, F_STATE, "CONNECTED");
	EXPECT_FIELD(test, row, F_PEER, "%lu", sockmap_test_ino(b));
}

/* A netlink socket: LOCAL is its port id, as /proc/net/netlink has it. */
static void sockmap_test_netlink_row(struct kunit *test)
{
	struct sockaddr_nl snl = {
		.nl_family = AF_NETLINK,
		.nl_pid = 424242,
	};
	struct sockmap_test_row *row;
	struct file *file;

	/* Arrange */
	file = sockmap_test_socket(test, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	KUNIT_ASSERT_EQ(test, kernel_bind(sockmap_test_sock(file),
					  (struct sockaddr_unsized *)&snl,
					  sizeof(snl)), 0);

	/* Act */
	row = sockmap_test_render(test, file);

	/* Assert */
	sockmap_test_expect_identity(test, row, file, "NETLINK", "RAW",
				     "ROUTE", 0);
	EXPECT_FIELD(test, row, F_STATE, "-");
	EXPECT_FIELD(test, row, F_LOCAL, "%u", snl.nl_pid);
	EXPECT_FIELD(test, row, F_REMOTE, "-");
	EXPECT_FIELD(test, row, F_RXQ, "%d",
		     sk_rmem_alloc_get(sockmap_test_sk(file)));
	EXPECT_FIELD(test, row, F_TXQ, "%d",
		     sk_wmem_alloc_get(sockmap_test_sk(file)));
	sockmap_test_expect_no_tcp_stats(test, row);
	EXPECT_FIELD(test, row, F_PEER, "-");
}

/*
 * Packet sockets: LOCAL is interface:ethertype, "*" for every interface.
 * One listens to everything, one is bound to lo for IPv4.
 */
static void sockmap_test_packet_rows(struct kunit *test)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = init_net.loopback_dev->ifindex,
	};
	struct sockmap_test_row *row;
	struct file *all, *lo;

	/* Arrange */
	all = sockmap_test_socket(test, AF_PACKET, SOCK_RAW,
				  (__force u16)htons(ETH_P_ALL));
	lo = sockmap_test_socket(test, AF_PACKET, SOCK_DGRAM,
				 (__force u16)htons(ETH_P_IP));
	KUNIT_ASSERT_EQ(test, kernel_bind(sockmap_test_sock(lo),
					  (struct sockaddr_unsized *)&sll,
					  sizeof(sll)), 0);

	/* Act */
	row = sockmap_test_render(test, all);

	/* Assert */
	sockmap_test_expect_identity(test, row, all, "PACKET", "RAW", "0x0003",
				     0);
	EXPECT_FIELD(test, row, F_STATE, "-");
	EXPECT_FIELD(test, row, F_LOCAL, "*:0x0003");
	EXPECT_FIELD(test, row, F_REMOTE, "-");
	sockmap_test_expect_no_tcp_stats(test, row);
	EXPECT_FIELD(test, row, F_PEER, "-");

	row = sockmap_test_render(test, lo);
	sockmap_test_expect_identity(test, row, lo, "PACKET", "DGRAM", "0x0800",
				     0);
	EXPECT_FIELD(test, row, F_LOCAL, "%s:0x0800",
		     init_net.loopback_dev->name);
}

/*
 * A socket file whose struct socket has no struct sock: what a row sees
 * when the protocol has let go of it before the file's last reference
 * went (sock_create_lite() makes one without a protocol at all). Only
 * INODE is known; every other column is '-'.
 */
static void sockmap_test_no_sock_row(struct kunit *test)
{
	struct sockmap_test_row *row;
	struct socket *sock;
	struct file *file;
	int f;

	/* Arrange */
	KUNIT_ASSERT_EQ(test, sock_create_lite(AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &sock), 0);
	file = sock_alloc_file(sock, 0, NULL);	/* releases sock on error */
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sockmap_test_fput,
							file), 0);
	KUNIT_ASSERT_NULL(test, sockmap_test_sock(file)->sk);

	/* Act */
	row = sockmap_test_render(test, file);

	/* Assert */
	EXPECT_FIELD(test, row, F_INODE, "%lu", sockmap_test_ino(file));
	for (f = F_SOCK; f < NR_FIELDS; f++)
		EXPECT_FIELD(test, row, f, "-");
}

/*
 * Size of the known transfer of sockmap_test_tcp_bytes(): less than a
 * send buffer holds at first, so that one blocking send returns before
 * the receiver reads.
 */
#define SOCKMAP_TEST_TRANSFER	10000

/* Send @len bytes of @buf on @file, all of them. */
static void sockmap_test_send_all(struct kunit *test, struct file *file,
				  char *buf, size_t len)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {};

	KUNIT_ASSERT_EQ(test, kernel_sendmsg(sockmap_test_sock(file), &msg,
					     &iov, 1, len), (int)len);
}

/* Receive exactly @len bytes on @file into @buf. */
static void sockmap_test_recv_all(struct kunit *test, struct file *file,
				  char *buf, size_t len)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {};

	KUNIT_ASSERT_EQ(test, kernel_recvmsg(sockmap_test_sock(file), &msg,
					     &iov, 1, len, MSG_WAITALL),
			(int)len);
}

/*
 * The row of socket inode @ino in @out, a whole read whose header names
 * the columns, and field @name of it as a string in @buf.
 */
static void sockmap_test_walk_field(struct kunit *test, const char *out,
				    unsigned long ino, const char *name,
				    char *buf, size_t size)
{
	int ino_col = sockmap_test_header_column(test, out, "INODE");
	int col = sockmap_test_header_column(test, out, name);
	const char *line = strchr(out, '\n');

	KUNIT_ASSERT_GE(test, col, 0);
	while (line && *++line) {
		if (sockmap_test_line_number(test, line, ino_col) == ino) {
			KUNIT_ASSERT_TRUE(test,
					  sockmap_test_line_field(line, col,
								  buf, size));
			return;
		}
		line = strchr(line, '\n');
	}
	KUNIT_FAIL(test, "no row of inode %lu", ino);
	buf[0] = '\0';
}

/*
 * Expect TX_BYTES and RX_BYTES of @file's row in @out to be what
 * tcp_get_info() - which ss -ti prints - reads under the socket's lock,
 * and to be @tx and @rx, what the test sent and received.
 */
static void sockmap_test_expect_bytes(struct kunit *test, const char *out,
				      struct file *file, u64 tx, u64 rx)
{
	struct tcp_info info;
	char field[24];

	tcp_get_info(sockmap_test_sk(file), &info);
	KUNIT_EXPECT_EQ(test, info.tcpi_bytes_acked, tx);
	KUNIT_EXPECT_EQ(test, info.tcpi_bytes_received, rx);
	sockmap_test_walk_field(test, out, sockmap_test_ino(file), "TX_BYTES",
				field, sizeof(field));
	KUNIT_EXPECT_STREQ(test, field, sockmap_test_fmt(test, "%llu", tx));
	sockmap_test_walk_field(test, out, sockmap_test_ino(file), "RX_BYTES",
				field, sizeof(field));
	KUNIT_EXPECT_STREQ(test, field, sockmap_test_fmt(test, "%llu", rx));
}

/*
 * TX_BYTES and RX_BYTES after a known transfer: the accepted end sends
 * SOCKMAP_TEST_TRANSFER bytes and the client reads them all. The peer
 * acknowledges sequence space, so the client's TX_BYTES counts its SYN,
 * which the server's SYN-ACK acknowledged: 1 (the server's own SYN-ACK
 * was acknowledged before its socket existed). A UDP socket counts
 * nothing: "-".
 */
static void sockmap_test_tcp_bytes(struct kunit *test)
{
	char *out = sockmap_test_output_buf(test), field[24];
	struct file *client, *server, *udp;
	const struct tcp_sock *tp;
	char *buf;

	/* Arrange: a connection, a transfer, every byte acknowledged */
	buf = kunit_kzalloc(test, SOCKMAP_TEST_TRANSFER, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	sockmap_test_tcp_pair(test, &client, &server);
	sockmap_test_send_all(test, server, buf, SOCKMAP_TEST_TRANSFER);
	sockmap_test_recv_all(test, client, buf, SOCKMAP_TEST_TRANSFER);
	tp = tcp_sk(sockmap_test_sk(server));
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(READ_ONCE(tp->snd_una) ==
						  READ_ONCE(tp->write_seq)));
	udp = sockmap_test_socket(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	sockmap_test_install_fd(test, client);
	sockmap_test_install_fd(test, server);
	sockmap_test_install_fd(test, udp);

	/* Act */
	sockmap_test_read_all(test, sockmap_test_open_own_walk(test), 4096,
			      out);

	/* Assert */
	sockmap_test_expect_bytes(test, out, server, SOCKMAP_TEST_TRANSFER, 0);
	sockmap_test_expect_bytes(test, out, client, 1, SOCKMAP_TEST_TRANSFER);
	sockmap_test_walk_field(test, out, sockmap_test_ino(udp), "TX_BYTES",
				field, sizeof(field));
	KUNIT_EXPECT_STREQ(test, field, "-");
	sockmap_test_walk_field(test, out, sockmap_test_ino(udp), "RX_BYTES",
				field, sizeof(field));
	KUNIT_EXPECT_STREQ(test, field, "-");
}

static struct kunit_case sockmap_rows_cases[] = {
	KUNIT_CASE_PARAM(sockmap_test_tcp_rows, sockmap_tcp_gen_params),
	KUNIT_CASE(sockmap_test_tcp_queues),
	KUNIT_CASE(sockmap_test_tcp_queue_edges),
	KUNIT_CASE(sockmap_test_tcp_retrans),
	KUNIT_CASE(sockmap_test_tcp_bytes),
	KUNIT_CASE(sockmap_test_peer_refs),
	KUNIT_CASE(sockmap_test_tcp_peer_closed),
	KUNIT_CASE(sockmap_test_peer_refs_not_full),
	KUNIT_CASE(sockmap_test_tcp_peer_states),
	KUNIT_CASE(sockmap_test_tcp_peer_syn_sent),
	KUNIT_CASE(sockmap_test_tcp_peer_bound_dev),
	KUNIT_CASE(sockmap_test_udp_rows),
	KUNIT_CASE(sockmap_test_unix_pair_rows),
	KUNIT_CASE(sockmap_test_unix_named_rows),
	KUNIT_CASE(sockmap_test_unix_longest_names),
	KUNIT_CASE(sockmap_test_netlink_row),
	KUNIT_CASE(sockmap_test_packet_rows),
	KUNIT_CASE(sockmap_test_no_sock_row),
	{}
};

static struct kunit_suite sockmap_rows_suite = {
	.name = "sockmap_rows",
	.suite_init = sockmap_test_suite_init,
	.suite_exit = sockmap_test_suite_exit,
	.test_cases = sockmap_rows_cases,
};

kunit_test_suite(sockmap_rows_suite);
