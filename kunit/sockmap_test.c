// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap_test.c - the KUnit suite for sockmap. Run it with scripts/kunit.
 *
 * Every expected value comes from somewhere sockmap does not: the RFCs and
 * the kernel's own definitions for the formatting tables, and the fields
 * of the sockets the test itself created (their getsockname(), the bytes
 * it sent, the tcp_sock fields /proc/net/tcp prints) for the rows.
 *
 * The tests run in a kernel thread. Kernel threads share one fd table
 * (init_files), as processes made with clone(CLONE_FILES) do: the table
 * is shown once, under the first of them the reader may see.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/magic.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/pid_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <linux/un.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "sockmap.h"
#include "sockmap_row.h"

SOCKMAP_IMPORT_KUNIT_NS();

/* Longest field or expected string the tests build. */
#define SOCKMAP_TEST_STR_MAX	256

/* A whole /proc/sockmap read must fit in this. */
#define SOCKMAP_TEST_OUTPUT_MAX	(4 << 20)

/*
 * Socket fds the cursor test installs: 900 rows of some 200 bytes fill
 * several seq_file buffers (SOCKMAP_SEQ_BUF_MAX). A kernel thread may
 * have SOCKMAP_TEST_MAX_FDS fds open (RLIMIT_NOFILE).
 */
#define SOCKMAP_TEST_CURSOR_FDS	900
#define SOCKMAP_TEST_MAX_FDS	1024

/* ---------------------------------------------------------------------- */
/* Helpers: seq_files in memory, strings, sockets, files and credentials. */

KUNIT_DEFINE_ACTION_WRAPPER(sockmap_test_fput, fput, struct file *);
KUNIT_DEFINE_ACTION_WRAPPER(sockmap_test_kvfree, kvfree, void *);

static void sockmap_test_put_cred(void *cred)
{
	put_cred(cred);
}

static void sockmap_test_close_fd(void *fd)
{
	close_fd((uintptr_t)fd);
}

/* An empty seq_file writing into a test-managed page, as ->show() sees it. */
static struct seq_file *sockmap_test_seq(struct kunit *test)
{
	struct seq_file *m;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = PAGE_SIZE;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	return m;
}

/*
 * What was written into @m, as a string. Only the first m->count bytes of
 * the buffer are output; what lies past them (row.c's word stores may
 * leave padding there) is not, so the string ends at m->count.
 */
static const char *sockmap_test_seq_str(struct kunit *test, struct seq_file *m)
{
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	m->buf[m->count] = '\0';
	return m->buf;
}

/*
 * Room for one field, as a row makes it: the longest field (a UNIX name,
 * every byte escaped), and the 8 bytes a word store of a number or of
 * padding may write past it.
 */
#define SOCKMAP_TEST_FIELD_MAX	(SOCKMAP_UNIX_NAME_MAX + 8)

static char *sockmap_test_field_buf(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, SOCKMAP_TEST_FIELD_MAX + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

/*
 * The field a sockmap_fmt_*() function wrote from @buf to @end, as a
 * string: what a row shows in that column.
 */
static const char *sockmap_test_field(struct kunit *test, char *buf,
				      char *end)
{
	KUNIT_ASSERT_TRUE(test, end >= buf);
	KUNIT_ASSERT_LE(test, end - buf, SOCKMAP_UNIX_NAME_MAX);
	*end = '\0';
	return buf;
}

/* A test-managed string from a printf format. */
static __printf(2, 3)
const char *sockmap_test_fmt(struct kunit *test, const char *fmt, ...)
{
	char *s;
	va_list ap;

	s = kunit_kzalloc(test, SOCKMAP_TEST_STR_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	va_start(ap, fmt);
	vsnprintf(s, SOCKMAP_TEST_STR_MAX, fmt, ap);
	va_end(ap);
	return s;
}

/*
 * Poll @cond for up to two seconds. Loopback delivers in softirq context,
 * usually before the sender's call returns; the poll makes it certain.
 * The value is @cond's last evaluation.
 */
#define sockmap_test_wait(cond) ({				\
	int __tries = 100;					\
	bool __done;						\
								\
	for (;;) {						\
		__done = (cond);				\
		if (__done || !--__tries)			\
			break;					\
		msleep(20);					\
	}							\
	__done;							\
})

/*
 * A socket created in the initial network namespace, with a struct file
 * as a socket(2) fd would have. The file is released when the test ends.
 */
static struct file *sockmap_test_socket(struct kunit *test, int family,
					int type, int protocol)
{
	struct socket *sock;
	struct file *file;
	int err;

	err = sock_create_kern(&init_net, family, type, protocol, &sock);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "socket(%d, %d, %d)", family, type,
			    protocol);
	file = sock_alloc_file(sock, 0, NULL);	/* releases sock on error */
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sockmap_test_fput,
							file), 0);
	return file;
}

static struct socket *sockmap_test_sock(struct file *file)
{
	return sock_from_file(file);
}

static struct sock *sockmap_test_sk(struct file *file)
{
	return sock_from_file(file)->sk;
}

static unsigned long sockmap_test_ino(struct file *file)
{
	return file_inode(file)->i_ino;
}

/* Accept a pending connection and give the new socket a file. */
static struct file *sockmap_test_accept(struct kunit *test,
					struct file *listener)
{
	struct socket *sock;
	struct file *file;

	KUNIT_ASSERT_EQ(test, kernel_accept(sockmap_test_sock(listener), &sock,
					    0), 0);
	file = sock_alloc_file(sock, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sockmap_test_fput,
							file), 0);
	return file;
}

/* Parse @addr ("127.0.0.1", "::1") into an INET or INET6 socket address. */
static int sockmap_test_addr(struct kunit *test, int family, const char *addr,
			     u16 port, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		KUNIT_ASSERT_EQ(test, in4_pton(addr, -1, (u8 *)&sin->sin_addr,
					       -1, NULL), 1);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	KUNIT_ASSERT_EQ(test, in6_pton(addr, -1, sin6->sin6_addr.s6_addr, -1,
				       NULL), 1);
	return sizeof(*sin6);
}

static void sockmap_test_bind(struct kunit *test, struct file *file,
			      int family, const char *addr, u16 port)
{
	struct sockaddr_storage ss;
	int len = sockmap_test_addr(test, family, addr, port, &ss);

	KUNIT_ASSERT_EQ(test, kernel_bind(sockmap_test_sock(file),
					  (struct sockaddr_unsized *)&ss, len), 0);
}

static void sockmap_test_connect(struct kunit *test, struct file *file,
				 int family, const char *addr, u16 port)
{
	struct sockaddr_storage ss;
	int len = sockmap_test_addr(test, family, addr, port, &ss);

	KUNIT_ASSERT_EQ(test, kernel_connect(sockmap_test_sock(file),
					     (struct sockaddr_unsized *)&ss, len, 0), 0);
}

/* The local port of an INET or INET6 socket, from getsockname(). */
static u16 sockmap_test_port(struct kunit *test, struct file *file)
{
	struct sockaddr_storage ss = {};

	KUNIT_ASSERT_GE(test, kernel_getsockname(sockmap_test_sock(file),
						 (struct sockaddr *)&ss), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	KUNIT_ASSERT_EQ(test, ss.ss_family, AF_INET6);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static void sockmap_test_send(struct kunit *test, struct file *file,
			      const char *data)
{
	struct kvec iov = { .iov_base = (void *)data, .iov_len = strlen(data) };
	struct msghdr msg = {};

	KUNIT_ASSERT_EQ(test, kernel_sendmsg(sockmap_test_sock(file), &msg,
					     &iov, 1, iov.iov_len),
			(int)iov.iov_len);
}

/* Connect two fresh UNIX sockets to each other, as socketpair(2) does. */
static void sockmap_test_socketpair(struct kunit *test, struct file *a,
				    struct file *b)
{
	struct socket *sa = sockmap_test_sock(a), *sb = sockmap_test_sock(b);

	KUNIT_ASSERT_EQ(test, sa->ops->socketpair(sa, sb), 0);
}

/*
 * Install @file at a new fd of this thread's table, as socket(2) would;
 * the fd is closed when the test ends.
 */
static int sockmap_test_install_fd(struct kunit *test, struct file *file)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);

	KUNIT_ASSERT_GE(test, fd, 0);
	fd_install(fd, get_file(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_close_fd,
							(void *)(uintptr_t)fd),
			0);
	return fd;
}

/*
 * Credentials for a reader or a task: @uid as real, effective, saved and
 * filesystem uid (@fsuid differs only where a case says so), @gid for all
 * gids, no capabilities but those asked for. Put when the test ends.
 */
struct sockmap_test_ids {
	uid_t uid, euid, suid, fsuid;
	gid_t gid;
	bool ptrace_effective;	/* CAP_SYS_PTRACE in the effective set */
	bool ptrace_permitted;	/* ... and/or only in the permitted set */
	bool dac_read_search;	/* CAP_DAC_READ_SEARCH, effective */
};

static struct cred *sockmap_test_creds(struct kunit *test,
				       const struct sockmap_test_ids *ids)
{
	struct cred *cred = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, cred);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_put_cred,
							cred), 0);
	cred->uid = make_kuid(&init_user_ns, ids->uid);
	cred->euid = make_kuid(&init_user_ns, ids->euid);
	cred->suid = make_kuid(&init_user_ns, ids->suid);
	cred->fsuid = make_kuid(&init_user_ns, ids->fsuid);
	cred->gid = make_kgid(&init_user_ns, ids->gid);
	cred->egid = cred->gid;
	cred->sgid = cred->gid;
	cred->fsgid = cred->gid;
	cap_clear(cred->cap_inheritable);
	cap_clear(cred->cap_permitted);
	cap_clear(cred->cap_effective);
	cap_clear(cred->cap_ambient);
	if (ids->ptrace_effective)
		cap_raise(cred->cap_effective, CAP_SYS_PTRACE);
	if (ids->ptrace_effective || ids->ptrace_permitted)
		cap_raise(cred->cap_permitted, CAP_SYS_PTRACE);
	if (ids->dac_read_search) {
		cap_raise(cred->cap_effective, CAP_DAC_READ_SEARCH);
		cap_raise(cred->cap_permitted, CAP_DAC_READ_SEARCH);
	}
	return cred;
}

/* A plain user: uid = gid = @uid, no capabilities. */
static struct cred *sockmap_test_user(struct kunit *test, uid_t uid)
{
	const struct sockmap_test_ids ids = {
		.uid = uid, .euid = uid, .suid = uid, .fsuid = uid, .gid = uid,
	};

	return sockmap_test_creds(test, &ids);
}

/*
 * The stand-in for an open /proc/sockmap: the same read/lseek/release as
 * module/main.c's proc_ops. sockmap_iter_open() fills private_data; a file
 * it failed on has none to release.
 */
static int sockmap_test_release(struct inode *inode, struct file *file)
{
	return file->private_data ? sockmap_iter_release(inode, file) : 0;
}

static const struct file_operations sockmap_test_fops = {
	.owner		= THIS_MODULE,
	.read_iter	= sockmap_iter_read,
	.llseek		= seq_lseek,
	.release	= sockmap_test_release,
};

/*
 * A file opened with credentials @cred (NULL: the test's own, root), as
 * open() would capture them in f_cred. Released when the test ends.
 */
static struct file *sockmap_test_file_as(struct kunit *test,
					 const struct cred *cred)
{
	const struct cred *old = NULL;
	struct file *file;

	if (cred)
		old = override_creds(cred);
	file = anon_inode_getfile("[sockmap-kunit]", &sockmap_test_fops, NULL,
				  O_RDONLY);
	if (cred)
		revert_creds(old);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sockmap_test_fput,
							file), 0);
	return file;
}

/* ---------------------------------------------------------------------- */
/* Names: family, type, protocol, TCP state. */

/*
 * A name is the kernel constant's name without its prefix (AF_INET6 is
 * INET6, NETLINK_SOCK_DIAG is SOCK_DIAG, TCP_FIN_WAIT1 is FIN_WAIT1), in
 * upper case; a number without a constant is printed as the number
 * (expected == NULL below).
 */
struct sockmap_name_case {
	const char *desc;
	int family;		/* for protocols: what the number means */
	int value;
	const char *expected;
};

#define CASE_NAME(prefix, name) { #prefix #name, 0, prefix##name, #name }
#define CASE_NUMBER(nr) { "unknown " #nr, 0, nr, NULL }

static const struct sockmap_name_case sockmap_family_cases[] = {
	CASE_NAME(AF_, UNIX), CASE_NAME(AF_, INET), CASE_NAME(AF_, INET6),
	CASE_NAME(AF_, NETLINK), CASE_NAME(AF_, PACKET),
	CASE_NAME(AF_, UNSPEC), CASE_NAME(AF_, BLUETOOTH), CASE_NAME(AF_, CAN),
	CASE_NAME(AF_, VSOCK), CASE_NAME(AF_, ALG), CASE_NAME(AF_, XDP),
	CASE_NAME(AF_, TIPC), CASE_NAME(AF_, KEY), CASE_NAME(AF_, SMC),
	CASE_NAME(AF_, MCTP),
	/* The one mixed-case constant: its name is upper-cased too. */
	{ "AF_DECnet", 0, AF_DECnet, "DECNET" },
	CASE_NUMBER(AF_MAX), CASE_NUMBER(-1), CASE_NUMBER(255),
};

static const struct sockmap_name_case sockmap_type_cases[] = {
	CASE_NAME(SOCK_, STREAM), CASE_NAME(SOCK_, DGRAM),
	CASE_NAME(SOCK_, RAW), CASE_NAME(SOCK_, RDM),
	CASE_NAME(SOCK_, SEQPACKET), CASE_NAME(SOCK_, PACKET),
	CASE_NAME(SOCK_, DCCP), CASE_NUMBER(0), CASE_NUMBER(SOCK_PACKET + 1),
	CASE_NUMBER(-1),
};

/* Every state of include/net/tcp_states.h that /proc/net/tcp can show. */
static const struct sockmap_name_case sockmap_state_cases[] = {
	CASE_NAME(TCP_, ESTABLISHED), CASE_NAME(TCP_, SYN_SENT),
	CASE_NAME(TCP_, SYN_RECV), CASE_NAME(TCP_, FIN_WAIT1),
	CASE_NAME(TCP_, FIN_WAIT2), CASE_NAME(TCP_, TIME_WAIT),
	CASE_NAME(TCP_, CLOSE), CASE_NAME(TCP_, CLOSE_WAIT),
	CASE_NAME(TCP_, LAST_ACK), CASE_NAME(TCP_, LISTEN),
	CASE_NAME(TCP_, CLOSING), CASE_NAME(TCP_, NEW_SYN_RECV),
	CASE_NUMBER(0), CASE_NUMBER(TCP_MAX_STATES), CASE_NUMBER(-1),
};

#define CASE_PROTO(fam, prefix, name) \
	{ #fam " " #prefix #name, fam, prefix##name, #name }
#define CASE_PROTO_NUMBER(fam, nr) { #fam " unknown " #nr, fam, nr, NULL }

static const struct sockmap_name_case sockmap_proto_cases[] = {
	CASE_PROTO(AF_INET, IPPROTO_, TCP),
	CASE_PROTO(AF_INET, IPPROTO_, UDP),
	CASE_PROTO(AF_INET, IPPROTO_, UDPLITE),
	CASE_PROTO(AF_INET, IPPROTO_, ICMP),
	CASE_PROTO(AF_INET, IPPROTO_, RAW),
	CASE_PROTO(AF_INET, IPPROTO_, SCTP),
	CASE_PROTO(AF_INET, IPPROTO_, MPTCP),
	CASE_PROTO(AF_INET6, IPPROTO_, TCP),
	CASE_PROTO(AF_INET6, IPPROTO_, UDP),
	CASE_PROTO(AF_INET6, IPPROTO_, UDPLITE),
	CASE_PROTO(AF_INET6, IPPROTO_, ICMPV6),
	CASE_PROTO(AF_INET6, IPPROTO_, RAW),
	CASE_PROTO(AF_INET6, IPPROTO_, SCTP),
	CASE_PROTO(AF_INET6, IPPROTO_, MPTCP),
	CASE_PROTO(AF_NETLINK, NETLINK_, ROUTE),
	CASE_PROTO(AF_NETLINK, NETLINK_, AUDIT),
	CASE_PROTO(AF_NETLINK, NETLINK_, SOCK_DIAG),
	CASE_PROTO(AF_NETLINK, NETLINK_, GENERIC),
	CASE_PROTO(AF_NETLINK, NETLINK_, KOBJECT_UEVENT),
	CASE_PROTO(AF_NETLINK, NETLINK_, NETFILTER),
	CASE_PROTO(AF_NETLINK, NETLINK_, XFRM),
	CASE_PROTO(AF_NETLINK, NETLINK_, CRYPTO),
	/* UNIX sockets have no protocol. */
	{ "AF_UNIX 0", AF_UNIX, 0, "-" },
	/*
	 * A packet socket's protocol is an ethertype in network byte order, as
	 * given to socket(AF_PACKET, type, htons(ETH_P_ALL)).
	 */
	{ "AF_PACKET ETH_P_ALL", AF_PACKET, (__force u16)htons(ETH_P_ALL),
	  "0x0003" },
	{ "AF_PACKET ETH_P_IP", AF_PACKET, (__force u16)htons(ETH_P_IP),
	  "0x0800" },
	{ "AF_PACKET ETH_P_IPV6", AF_PACKET, (__force u16)htons(ETH_P_IPV6),
	  "0x86dd" },
	CASE_PROTO_NUMBER(AF_INET, 200), CASE_PROTO_NUMBER(AF_INET6, 200),
	CASE_PROTO_NUMBER(AF_NETLINK, 23), CASE_PROTO_NUMBER(AF_NETLINK, MAX_LINKS),
	CASE_PROTO_NUMBER(AF_VSOCK, 0),
};

KUNIT_ARRAY_PARAM_DESC(sockmap_family, sockmap_family_cases, desc);
KUNIT_ARRAY_PARAM_DESC(sockmap_type, sockmap_type_cases, desc);
KUNIT_ARRAY_PARAM_DESC(sockmap_state, sockmap_state_cases, desc);
KUNIT_ARRAY_PARAM_DESC(sockmap_proto, sockmap_proto_cases, desc);

/* The expected field of a name case: the upper-cased name, or the number. */
static const char *sockmap_test_expected_name(struct kunit *test,
					      const struct sockmap_name_case *c)
{
	char *s;

	if (!c->expected)
		return sockmap_test_fmt(test, "%d", c->value);
	s = (char *)sockmap_test_fmt(test, "%s", c->expected);
	string_upper(s, s);
	return s;
}

/*
 * Check a name lookup and the field a row prints: the lookup gives the
 * name or NULL, the field the name or the number.
 */
static void sockmap_test_expect_name(struct kunit *test,
				     const struct sockmap_name_case *c,
				     const char *name, const char *field)
{
	const char *expected = sockmap_test_expected_name(test, c);

	KUNIT_EXPECT_STREQ(test, field, expected);
	if (c->expected)
		KUNIT_EXPECT_STREQ(test, name, expected);
	else
		KUNIT_EXPECT_NULL(test, name);
}

static void sockmap_test_family_name(struct kunit *test)
{
	const struct sockmap_name_case *c = test->param_value;
	char *buf = sockmap_test_field_buf(test);
	const char *field;

	/* Act */
	field = sockmap_test_field(test, buf, sockmap_fmt_family(buf, c->value));

	/* Assert */
	sockmap_test_expect_name(test, c, sockmap_family_name(c->value), field);
}

static void sockmap_test_type_name(struct kunit *test)
{
	const struct sockmap_name_case *c = test->param_value;
	char *buf = sockmap_test_field_buf(test);
	const char *field;

	field = sockmap_test_field(test, buf, sockmap_fmt_type(buf, c->value));

	sockmap_test_expect_name(test, c, sockmap_type_name(c->value), field);
}

static void sockmap_test_state_name(struct kunit *test)
{
	const struct sockmap_name_case *c = test->param_value;
	char *buf = sockmap_test_field_buf(test);
	const char *field;

	field = sockmap_test_field(test, buf,
				   sockmap_fmt_tcp_state(buf, c->value));

	sockmap_test_expect_name(test, c, sockmap_tcp_state_name(c->value),
				 field);
}

/* PACKET's protocol is printed in hex by sockmap_fmt_proto() alone. */
static void sockmap_test_proto_name(struct kunit *test)
{
	const struct sockmap_name_case *c = test->param_value;
	char *buf = sockmap_test_field_buf(test);
	const char *field;

	field = sockmap_test_field(test, buf,
				   sockmap_fmt_proto(buf, c->family, c->value));

	if (c->family == AF_PACKET)
		KUNIT_EXPECT_STREQ(test, field, c->expected);
	else
		sockmap_test_expect_name(test, c,
					 sockmap_proto_name(c->family, c->value),
					 field);
}

/* Every field must be one token: not empty, no whitespace. */
static void sockmap_test_expect_token(struct kunit *test, const char *s,
				      const char *what)
{
	KUNIT_EXPECT_GT_MSG(test, strlen(s), 0, "%s is empty", what);
	KUNIT_EXPECT_EQ_MSG(test, strcspn(s, " \t\n\v\f\r"), strlen(s),
			    "%s has whitespace: '%s'", what, s);
}

/* Whatever the kernel adds later, every family prints as one token. */
static void sockmap_test_all_families_are_tokens(struct kunit *test)
{
	int family;

	for (family = -1; family <= AF_MAX + 1; family++) {
		char *buf = sockmap_test_field_buf(test);

		sockmap_test_expect_token(test,
					  sockmap_test_field(test, buf,
							     sockmap_fmt_family(buf, family)),
					  sockmap_test_fmt(test, "family %d",
							   family));
	}
}

/* ---------------------------------------------------------------------- */
/* Addresses. */

struct sockmap_inet4_case {
	const char *desc;
	u32 addr;		/* host order */
	u16 port;		/* host order */
	const char *expected;
};

static const struct sockmap_inet4_case sockmap_inet4_cases[] = {
	/* /proc/net/tcp shows it as 0100007F:56CE on a little-endian host. */
	{ "loopback", 0x7f000001, 22222, "127.0.0.1:22222" },
	{ "unspecified", 0, 0, "0.0.0.0:0" },
	{ "broadcast, highest port", 0xffffffff, 65535,
	  "255.255.255.255:65535" },
	/* Distinct bytes: a swapped address or port shows at once. */
	{ "byte order", 0x01020304, 0x0102, "1.2.3.4:258" },
	{ "private", 0xc0a80001, 80, "192.168.0.1:80" },
};

/*
 * IPv6 addresses go in fully written out and must come out in RFC 5952's
 * canonical text form, in brackets (RFC 3986) before the port.
 */
struct sockmap_inet6_case {
	const char *desc;
	const char *addr;
	u16 port;
	const char *expected;
};

static const struct sockmap_inet6_case sockmap_inet6_cases[] = {
	{ "loopback", "0000:0000:0000:0000:0000:0000:0000:0001", 22222,
	  "[::1]:22222" },
	{ "unspecified", "0000:0000:0000:0000:0000:0000:0000:0000", 0,
	  "[::]:0" },
	/* RFC 5952 section 5: the IPv4 part in dotted decimal. */
	{ "v4-mapped", "0000:0000:0000:0000:0000:ffff:7f00:0001", 22222,
	  "[::ffff:127.0.0.1]:22222" },
	/* 4.1: leading zeros dropped; 4.2.1: the longest run of zeros. */
	{ "documentation", "2001:0db8:0000:0000:0000:0000:0000:0001", 443,
	  "[2001:db8::1]:443" },
	/* 4.2.2: a single zero field is not shortened to "::". */
	{ "single zero field", "2001:0db8:0000:0001:0001:0001:0001:0001", 1,
	  "[2001:db8:0:1:1:1:1:1]:1" },
	/* 4.2.3: of two equally long runs, the first is shortened. */
	{ "first of equal runs", "2001:0db8:0000:0000:0001:0000:0000:0001", 2,
	  "[2001:db8::1:0:0:1]:2" },
	/* 4.3: lower case. */
	{ "lower case", "2001:0DB8:0000:0000:0000:0000:ABCD:00EF", 65535,
	  "[2001:db8::abcd:ef]:65535" },
	{ "trailing run", "2001:0db8:0000:0000:0000:0000:0000:0000", 53,
	  "[2001:db8::]:53" },
	{ "link-local", "fe80:0000:0000:0000:0000:0000:0000:0001", 546,
	  "[fe80::1]:546" },
	{ "no zeros", "2001:0db8:0001:0002:0003:0004:0005:0006", 258,
	  "[2001:db8:1:2:3:4:5:6]:258" },
	/*
	 * RFC 5952 section 5 again: ISATAP (RFC 5214) interface IDs,
	 * 0000:5efe or 0200:5efe before an IPv4 address, as %pI6c prints
	 * them (ipv6_addr_is_isatap()); any other word before 5efe is not.
	 */
	{ "ISATAP", "fe80:0000:0000:0000:0000:5efe:c000:0201", 80,
	  "[fe80::5efe:192.0.2.1]:80" },
	{ "ISATAP, global", "2001:0db8:0000:0000:0200:5efe:c000:0201", 80,
	  "[2001:db8::200:5efe:192.0.2.1]:80" },
	{ "not ISATAP", "fe80:0000:0000:0000:0100:5efe:c000:0201", 80,
	  "[fe80::100:5efe:c000:201]:80" },
};

KUNIT_ARRAY_PARAM_DESC(sockmap_inet4, sockmap_inet4_cases, desc);
KUNIT_ARRAY_PARAM_DESC(sockmap_inet6, sockmap_inet6_cases, desc);

/*
 * The longest address field, and how far past a field's end a word store
 * may write (sockmap_fmt_small() stores 8 bytes, at least one of them a
 * digit). Beyond that, an address field's buffer keeps what was there.
 */
#define SOCKMAP_TEST_ADDR_MAX	\
	(sizeof("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535") - 1)
#define SOCKMAP_TEST_STORE_PAST	7
#define SOCKMAP_TEST_UNTOUCHED	0xa5

/* A field buffer filled with SOCKMAP_TEST_UNTOUCHED. */
static char *sockmap_test_addr_buf(struct kunit *test)
{
	char *buf = sockmap_test_field_buf(test);

	memset(buf, SOCKMAP_TEST_UNTOUCHED, SOCKMAP_TEST_FIELD_MAX);
	return buf;
}

/*
 * The address field from @buf to @end, checked for its length and for
 * bytes written past it.
 */
static const char *sockmap_test_addr_field(struct kunit *test, char *buf,
					   char *end)
{
	const char *limit = buf + SOCKMAP_TEST_FIELD_MAX, *q;

	KUNIT_ASSERT_TRUE(test, end >= buf);
	KUNIT_EXPECT_LE_MSG(test, end - buf, SOCKMAP_TEST_ADDR_MAX,
			    "an address field of %td bytes", end - buf);
	q = end + SOCKMAP_TEST_STORE_PAST;
	while (q < limit && *q == (char)SOCKMAP_TEST_UNTOUCHED)
		q++;
	KUNIT_EXPECT_PTR_EQ_MSG(test, q, limit,
				"a byte written %td bytes past the field's end: only a word store's %d may be",
				q - end, SOCKMAP_TEST_STORE_PAST);
	return sockmap_test_field(test, buf, end);
}

/*
 * Addresses are formatted for every row, in the middle of writing it: the
 * calls below run with preemption off, so that a formatter that sleeps
 * (an allocation that may wait, a mutex) is reported.
 */
static void sockmap_test_inet4(struct kunit *test)
{
	const struct sockmap_inet4_case *c = test->param_value;
	char *buf = sockmap_test_addr_buf(test);
	char *end;

	/* Act: the kernel keeps both in network byte order */
	preempt_disable();
	end = sockmap_fmt_inet4(buf, htonl(c->addr), htons(c->port));
	preempt_enable();

	/* Assert */
	KUNIT_EXPECT_STREQ(test, sockmap_test_addr_field(test, buf, end),
			   c->expected);
}

static void sockmap_test_inet6(struct kunit *test)
{
	const struct sockmap_inet6_case *c = test->param_value;
	char *buf = sockmap_test_addr_buf(test);
	struct in6_addr addr;
	char *end;

	/* Arrange */
	KUNIT_ASSERT_EQ(test, in6_pton(c->addr, -1, addr.s6_addr, -1, NULL), 1);

	/* Act */
	preempt_disable();
	end = sockmap_fmt_inet6(buf, &addr, htons(c->port));
	preempt_enable();

	/* Assert */
	KUNIT_EXPECT_STREQ(test, sockmap_test_addr_field(test, buf, end),
			   c->expected);
}

/*
 * UNIX names as the kernel stores them: @len bytes of sun_path, that is
 * unix_address.len - offsetof(struct sockaddr_un, sun_path). A path name
 * keeps its terminating NUL in @len (unix_mkname_bsd()); an abstract name
 * starts with a NUL and is exactly @len bytes. Escaped like /proc/mounts:
 * space \040, tab \011, newline \012, backslash \134.
 */
struct sockmap_unix_case {
	const char *desc;
	const char *path;
	int len;
	const char *expected;
};

#define CASE_UNIX_PATH(d, p, e) { d, p, sizeof(p), e }	/* with its NUL */
#define CASE_UNIX_ABSTRACT(d, p, e) { d, p, sizeof(p) - 1, e }

static const struct sockmap_unix_case sockmap_unix_cases[] = {
	{ "unbound", "", 0, "-" },
	CASE_UNIX_PATH("path", "/run/sockmap.sock", "/run/sockmap.sock"),
	CASE_UNIX_PATH("space", "/tmp/a b", "/tmp/a\\040b"),
	CASE_UNIX_PATH("tab", "/tmp/a\tb", "/tmp/a\\011b"),
	CASE_UNIX_PATH("newline", "/tmp/a\nb", "/tmp/a\\012b"),
	CASE_UNIX_PATH("backslash", "/tmp/a\\b", "/tmp/a\\134b"),
	CASE_UNIX_PATH("all four", "/tmp/ \t\n\\", "/tmp/\\040\\011\\012\\134"),
	CASE_UNIX_PATH("octal-looking text", "/tmp/\\040", "/tmp/\\134040"),
	CASE_UNIX_ABSTRACT("abstract", "\0sockmap", "@sockmap"),
	CASE_UNIX_ABSTRACT("abstract with space", "\0my sock", "@my\\040sock"),
	CASE_UNIX_ABSTRACT("abstract with newline and backslash", "\0a\n\\",
			   "@a\\012\\134"),
	CASE_UNIX_PATH("a path named -", "-", "\\055"),
	CASE_UNIX_PATH("control and UTF-8 bytes", "/tmp/\x1b\xe2\x80\xa8",
		       "/tmp/\\033\\342\\200\\250"),
	CASE_UNIX_ABSTRACT("abstract -", "\0-", "@-"),
	CASE_UNIX_ABSTRACT("abstract, empty", "\0", "@"),
};

KUNIT_ARRAY_PARAM_DESC(sockmap_unix, sockmap_unix_cases, desc);

static void sockmap_test_unix_path(struct kunit *test)
{
	const struct sockmap_unix_case *c = test->param_value;
	char *buf = sockmap_test_field_buf(test);
	char *end;

	/* Act */
	end = sockmap_fmt_unix_path(buf, c->path, c->len);

	/* Assert */
	KUNIT_EXPECT_STREQ(test, sockmap_test_field(test, buf, end),
			   c->expected);
}

struct sockmap_escape_case {
	const char *desc;
	const char *in;
	const char *expected;
};

/*
 * Names (COMM, UNIX and interface names): printable ASCII but the
 * backslash stays; every other byte becomes \ooo (its octal value, from
 * the byte itself, not from sockmap); "-" means none.
 */
static const struct sockmap_escape_case sockmap_escape_cases[] = {
	{ "plain", "sshd", "sshd" },
	{ "space", "my server", "my\\040server" },
	{ "tab", "a\tb", "a\\011b" },
	{ "newline", "a\nb", "a\\012b" },
	{ "backslash", "a\\b", "a\\134b" },
	{ "only escapes", " \t\n\\", "\\040\\011\\012\\134" },
	{ "other punctuation stays", "[x]:@-_.~", "[x]:@-_.~" },
	{ "vertical tab, form feed, return", "\v\f\r", "\\013\\014\\015" },
	{ "terminal escape", "\x1b[7mX", "\\033[7mX" },
	{ "separators \\x1c-\\x1f", "a\034\035\036\037b", "a\\034\\035\\036\\037b" },
	{ "DEL", "\x7f", "\\177" },
	{ "no-break space (UTF-8)", "a\302\240b", "a\\302\\240b" },
	{ "line separator (UTF-8)", "\xe2\x80\xa8", "\\342\\200\\250" },
	{ "empty is none", "", "-" },
	{ "a dash is not none", "-", "\\055" },
	{ "dashes", "--", "--" },
};

KUNIT_ARRAY_PARAM_DESC(sockmap_escape, sockmap_escape_cases, desc);

static void sockmap_test_escape(struct kunit *test)
{
	const struct sockmap_escape_case *c = test->param_value;
	char *buf = sockmap_test_field_buf(test);
	char *end;

	end = sockmap_fmt_name(buf, c->in, strlen(c->in));

	KUNIT_EXPECT_STREQ(test, sockmap_test_field(test, buf, end),
			   c->expected);
}

/*
 * SOCK: sockmap_kptr_mode() asks %pK once per read, and the rows replay
 * its answer (module/row.c). For each kptr_restrict and reader, the mode
 * must be the one printk-formats.rst documents, and what the rows write
 * must be what %pK writes, for the same reader.
 */
struct sockmap_kptr_case {
	const char *desc;
	int kptr_restrict;
	bool same_ids;		/* euid == uid: %pK's check at read time */
	enum sockmap_kptr expected;
};

static const struct sockmap_kptr_case sockmap_kptr_cases[] = {
	{ "kptr_restrict=0: hashed, asked per row", 0, true,
	  SOCKMAP_KPTR_PRINTF },
	{ "kptr_restrict=1, root: the address", 1, true, SOCKMAP_KPTR_RAW },
	{ "kptr_restrict=1, euid != uid: zeros", 1, false, SOCKMAP_KPTR_ZERO },
	{ "kptr_restrict=2: zeros", 2, true, SOCKMAP_KPTR_ZERO },
};

KUNIT_ARRAY_PARAM_DESC(sockmap_kptr, sockmap_kptr_cases, desc);

/*
 * Set kptr_restrict for this test, restored when it ends. It is not
 * exported to modules: a modular suite skips the cases that set it.
 */
#if IS_BUILTIN(CONFIG_SOCKMAP_KUNIT_TEST)
static void sockmap_test_restore_kptr_restrict(void *old)
{
	kptr_restrict = (uintptr_t)old;
}

static void sockmap_test_set_kptr_restrict(struct kunit *test, int value)
{
	void *old = (void *)(uintptr_t)kptr_restrict;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_restore_kptr_restrict,
							old), 0);
	kptr_restrict = value;
}
#else
static void sockmap_test_set_kptr_restrict(struct kunit *test, int value)
{
	kunit_skip(test, "sets kptr_restrict: only when built in");
}
#endif

static void sockmap_test_kptr(struct kunit *test)
{
	const struct sockmap_kptr_case *c = test->param_value;
	/* a reader that changed its euid: setuid root, run by uid 1000 */
	const struct sockmap_test_ids setuid_ids = {
		.uid = 1000, .euid = 0, .suid = 0, .fsuid = 0, .gid = 0,
	};
	const void *ptrs[] = { test, &sockmap_kptr_cases, NULL };
	const struct cred *old = NULL;
	enum sockmap_kptr mode;
	char *buf, *end;
	int i;

	/* Arrange */
	sockmap_test_set_kptr_restrict(test, c->kptr_restrict);
	if (!c->same_ids)
		old = override_creds(sockmap_test_creds(test, &setuid_ids));

	/* Act and assert, as that reader */
	mode = sockmap_kptr_mode();
	KUNIT_EXPECT_EQ(test, mode, c->expected);
	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		buf = sockmap_test_field_buf(test);
		end = sockmap_fmt_kptr(buf, ptrs[i], mode);
		KUNIT_EXPECT_STREQ(test, sockmap_test_field(test, buf, end),
				   sockmap_test_fmt(test, "%pK", ptrs[i]));
	}
	if (old)
		revert_creds(old);
}

/* The modes write what they say, whatever the reader. */
static void sockmap_test_kptr_fmt(struct kunit *test)
{
	const void *ptr = test;
	char *buf = sockmap_test_field_buf(test);
	char *end;

	end = sockmap_fmt_kptr(buf, ptr, SOCKMAP_KPTR_RAW);
	KUNIT_EXPECT_STREQ(test, sockmap_test_field(test, buf, end),
			   sockmap_test_fmt(test, "%0*lx",
					    (int)(2 * sizeof(ptr)),
					    (unsigned long)ptr));
	end = sockmap_fmt_kptr(buf, ptr, SOCKMAP_KPTR_ZERO);
	KUNIT_EXPECT_STREQ(test, sockmap_test_field(test, buf, end),
			   sockmap_test_fmt(test, "%0*d",
					    (int)(2 * sizeof(ptr)), 0));
	end = sockmap_fmt_kptr(buf, ptr, SOCKMAP_KPTR_PRINTF);
	KUNIT_EXPECT_STREQ(test, sockmap_test_field(test, buf, end),
			   sockmap_test_fmt(test, "%pK", ptr));
}

/* ---------------------------------------------------------------------- */
/* Rows of real sockets: sockmap_show_socket() prints columns INODE..PEER. */

enum sockmap_test_field {
	F_INODE, F_SOCK, F_NETNS, F_FAMILY, F_TYPE, F_PROTO, F_STATE, F_LOCAL,
	F_REMOTE, F_RXQ, F_TXQ, F_CWND, F_SSTHRESH, F_SRTT_US, F_RETRANS,
	F_UID, F_PEER, NR_FIELDS
};

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

/* Render @file's columns and split them on whitespace. */
static struct sockmap_test_row *sockmap_test_render(struct kunit *test,
						    struct file *file)
{
	struct sockmap_test_row *row;
	struct seq_file *m;
	char *s, *tok;
	int n = 0;

	row = kunit_kzalloc(test, sizeof(*row), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, row);
	m = sockmap_test_seq(test);
	/* seq_user_ns() is the reader's: this file, opened by the test. */
	m->file = file;

	sockmap_show_socket(m, file);

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
		KUNIT_ASSERT_LT_MSG(test, n, NR_FIELDS, "too many fields: %s",
				    row->line);
		row->field[n++] = tok;
	}
	KUNIT_ASSERT_EQ_MSG(test, n, NR_FIELDS, "fields of: %s", row->line);
	return row;
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
	struct file *client, *server;
	struct tcp_sock *stp, *ctp;

	/* Arrange: 17 bytes the server has not read, all acknowledged */
	len = sockmap_test_tcp_hello(test, &client, &server);
	stp = tcp_sk(sockmap_test_sk(server));
	ctp = tcp_sk(sockmap_test_sk(client));

	/* Act: the server's unread bytes from 2^32 - 8 to 9 */
	lock_sock(sockmap_test_sk(server));
	rcv_nxt = stp->rcv_nxt;
	copied_seq = stp->copied_seq;
	WRITE_ONCE(stp->copied_seq, (u32)-8);
	WRITE_ONCE(stp->rcv_nxt, (u32)-8 + len);
	wrapped = sockmap_test_render(test, server);
	/* ... and copied_seq 5 bytes past rcv_nxt */
	WRITE_ONCE(stp->copied_seq, stp->rcv_nxt + 5);
	ahead = sockmap_test_render(test, server);
	WRITE_ONCE(stp->rcv_nxt, rcv_nxt);
	WRITE_ONCE(stp->copied_seq, copied_seq);
	release_sock(sockmap_test_sk(server));

	/* Act: the client's 17 bytes not acknowledged, from 2^32 - 8 to 9 */
	lock_sock(sockmap_test_sk(client));
	snd_una = ctp->snd_una;
	write_seq = ctp->write_seq;
	WRITE_ONCE(ctp->snd_una, (u32)-8);
	WRITE_ONCE(ctp->write_seq, (u32)-8 + len);
	sent = sockmap_test_render(test, client);
	WRITE_ONCE(ctp->snd_una, snd_una);
	WRITE_ONCE(ctp->write_seq, write_seq);
	release_sock(sockmap_test_sk(client));

	/* Assert */
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

	/*
	 * Arrange: the client's SYN, which waits in the other's backlog.
	 * connect() locks the client inside: another lock of the class.
	 */
	lock_sock_nested(osk, SINGLE_DEPTH_NESTING);
	len = sockmap_test_addr(test, AF_INET, "127.0.0.1", port, &ss);
	KUNIT_EXPECT_EQ(test, kernel_connect(sockmap_test_sock(client),
					     (struct sockaddr_unsized *)&ss,
					     len, O_NONBLOCK), -EINPROGRESS);

	/* Act */
	row = sockmap_test_render(test, client);
	other_row = sockmap_test_render(test, other);
	release_sock(osk);

	/* Assert: each end in the hash, so each names the other */
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

/* ---------------------------------------------------------------------- */
/* The walk: the same output whatever the read size. */

/* The whole output of @file, read @chunk bytes at a time from offset 0. */
static size_t sockmap_test_read_all(struct kunit *test, struct file *file,
				    size_t chunk, char *buf)
{
	size_t len = 0;
	loff_t pos = 0;
	ssize_t n;

	do {
		n = kernel_read(file, buf + len,
				min_t(size_t, chunk,
				      SOCKMAP_TEST_OUTPUT_MAX - 1 - len), &pos);
		KUNIT_ASSERT_GE_MSG(test, n, 0, "read of %zu bytes", chunk);
		len += n;
		KUNIT_ASSERT_LT_MSG(test, len, SOCKMAP_TEST_OUTPUT_MAX - 1,
				    "/proc/sockmap output too large for the test");
	} while (n > 0);
	buf[len] = '\0';
	return len;
}

/*
 * The procfs instance the walks are read through, mounted by the suite:
 * the tests run before userspace has mounted /proc.
 */
static struct vfsmount *sockmap_test_procfs;

/*
 * A walk over every task in the test procfs instance's pid namespace (our
 * own), as opened by @cred.
 */
static struct file *sockmap_test_open_walk(struct kunit *test,
					   const struct cred *cred)
{
	struct file *file = sockmap_test_file_as(test, cred);
	const struct path root = {
		.mnt = sockmap_test_procfs,
		.dentry = sockmap_test_procfs->mnt_root,
	};

	KUNIT_ASSERT_EQ(test, sockmap_iter_open(file, &root), 0);
	return file;
}

/*
 * A walk opened by uid 1000, which may see this thread and no other kernel
 * thread: the table they share is then shown under this thread's PID.
 */
static struct file *sockmap_test_open_own_walk(struct kunit *test)
{
	return sockmap_test_open_walk(test, sockmap_test_user(test, 1000));
}

static char *sockmap_test_output_buf(struct kunit *test)
{
	char *buf = kvzalloc(SOCKMAP_TEST_OUTPUT_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_kvfree,
							buf), 0);
	return buf;
}

/* Report where @b first differs from @a. */
static void sockmap_test_expect_same(struct kunit *test, const char *a,
				     const char *b, size_t chunk)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	KUNIT_EXPECT_TRUE_MSG(test, !a[i] && !b[i],
			      "reading %zu bytes at a time differs at byte %zu: '%.40s' vs '%.40s'",
			      chunk, i, a + i, b + i);
}

struct sockmap_test_fd {
	struct file *file;
	int fd;
	bool seen;
};

/*
 * Check every line: the header first, then rows of 21 one-token fields,
 * ordered by (PID, FD); and find our own fds' rows among them. Kernel
 * threads live in the root cgroup: CGROUP is "/" for them.
 */
static void sockmap_test_check_rows(struct kunit *test, char *out,
				    const char *comm,
				    struct sockmap_test_fd *fds, int nr_fds)
{
	long last_pid = -1, last_fd = -1;
	char *line, *s, *tok, *field[4], *last;
	int n, i, rows = 0;
	long pid, fd;

	line = strsep(&out, "\n");
	KUNIT_ASSERT_NOT_NULL(test, line);
	KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(line, "PID"),
			      "header: %s", line);
	while ((line = strsep(&out, "\n"))) {
		const char *copy = kunit_kstrdup(test, line, GFP_KERNEL);

		if (!*line) {	/* only after the last newline */
			KUNIT_EXPECT_NULL_MSG(test, out, "an empty line");
			break;
		}

		rows++;
		for (n = 0, s = line; (tok = strsep(&s, " ")); ) {
			if (!*tok)
				continue;
			if (n < ARRAY_SIZE(field))
				field[n] = tok;
			last = tok;
			n++;
		}
		KUNIT_ASSERT_EQ_MSG(test, n, 4 + NR_FIELDS, "fields of: %s",
				    copy);
		KUNIT_ASSERT_EQ(test, kstrtol(field[0], 10, &pid), 0);
		KUNIT_ASSERT_EQ(test, kstrtol(field[2], 10, &fd), 0);
		KUNIT_EXPECT_TRUE_MSG(test, pid > last_pid ||
				      (pid == last_pid && fd > last_fd),
				      "out of order: %s", copy);
		last_pid = pid;
		last_fd = fd;
		if (pid != task_tgid_nr(current))
			continue;
		for (i = 0; i < nr_fds; i++) {
			const char *ino;

			if (fd != fds[i].fd)
				continue;
			fds[i].seen = true;
			KUNIT_EXPECT_STREQ_MSG(test, field[1], comm, "COMM of: %s",
					       copy);
			ino = sockmap_test_fmt(test, "%lu",
					       sockmap_test_ino(fds[i].file));
			KUNIT_EXPECT_STREQ_MSG(test, field[3], ino,
					       "INODE of: %s", copy);
			KUNIT_EXPECT_STREQ_MSG(test, last, "/", "CGROUP of: %s",
					       copy);
		}
	}
	KUNIT_EXPECT_GE(test, rows, nr_fds);
	kunit_info(test, "%d rows\n", rows);
	for (i = 0; i < nr_fds; i++)
		KUNIT_EXPECT_TRUE_MSG(test, fds[i].seen, "no row for fd %d",
				      fds[i].fd);
}

/*
 * Install socket fds into this thread's fd table, give the thread a name
 * that needs escaping, and read the walk with read sizes from one byte to
 * more than the whole output, rewinding once: the outputs are identical.
 */
static void sockmap_test_cursor(struct kunit *test)
{
	static const size_t chunks[] = { 1, 7, 4096, 65536, 1 << 20 };
	char *out[ARRAY_SIZE(chunks)], *again;
	struct sockmap_test_fd *fds;
	struct file *sockets[4], *walk;
	int i, attempt;
	bool same;

	fds = kunit_kcalloc(test, SOCKMAP_TEST_CURSOR_FDS, sizeof(*fds),
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fds);

	/*
	 * Arrange: a TCP listener, a UDP socket and a UNIX pair, each on
	 * several fds, so that the rows fill several seq_file buffers.
	 */
	sockets[0] = sockmap_test_socket(test, AF_INET, SOCK_STREAM,
					 IPPROTO_TCP);
	sockmap_test_bind(test, sockets[0], AF_INET, "127.0.0.1", 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(sockets[0]), 1),
			0);
	sockets[1] = sockmap_test_socket(test, AF_INET6, SOCK_DGRAM,
					 IPPROTO_UDP);
	sockets[2] = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	sockets[3] = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	sockmap_test_socketpair(test, sockets[2], sockets[3]);
	for (i = 0; i < SOCKMAP_TEST_CURSOR_FDS; i++)
		fds[i].file = sockets[i % ARRAY_SIZE(sockets)];
	for (i = 0; i < SOCKMAP_TEST_CURSOR_FDS; i++)
		fds[i].fd = sockmap_test_install_fd(test, fds[i].file);
	/*
	 * What set_task_comm() does, which modules cannot call. This thread
	 * is the test case's own and exits when it ends.
	 */
	task_lock(current);
	strscpy_pad(current->comm, "sockmap kunit\\", sizeof(current->comm));
	task_unlock(current);
	for (i = 0; i < ARRAY_SIZE(chunks); i++)
		out[i] = sockmap_test_output_buf(test);
	again = sockmap_test_output_buf(test);

	/*
	 * Act: kernel threads that start or exit between two reads change
	 * the output legitimately; try again a few times before calling a
	 * difference a failure.
	 */
	for (attempt = 1; attempt <= 3; attempt++) {
		for (i = 0; i < ARRAY_SIZE(chunks); i++) {
			walk = sockmap_test_open_own_walk(test);
			sockmap_test_read_all(test, walk, chunks[i], out[i]);
			if (i == 1)	/* rewind the same file and read again */
				sockmap_test_read_all(test, walk, chunks[i],
						      again);
		}
		same = !strcmp(out[1], again);
		for (i = 1; i < ARRAY_SIZE(chunks); i++)
			same = same && !strcmp(out[0], out[i]);
		if (same)
			break;
		kunit_info(test, "outputs differ (attempt %d), reading again\n",
			   attempt);
	}

	/* Assert: several buffers' worth, so every read size had to resume */
	kunit_info(test, "%zu bytes, seq_file buffer %d bytes\n",
		   strlen(out[0]), SOCKMAP_SEQ_BUF_MAX);
	KUNIT_EXPECT_GT_MSG(test, strlen(out[0]), 2 * SOCKMAP_SEQ_BUF_MAX,
			    "too few rows to fill several seq_file buffers");
	for (i = 1; i < ARRAY_SIZE(chunks); i++)
		sockmap_test_expect_same(test, out[0], out[i], chunks[i]);
	sockmap_test_expect_same(test, out[1], again, chunks[1]);
	sockmap_test_check_rows(test, out[0], "sockmap\\040kunit\\134", fds,
				SOCKMAP_TEST_CURSOR_FDS);
}

/*
 * The FD column of this thread group's rows in @out, in the order shown;
 * returns how many there were (at most @max are stored).
 */
static int sockmap_test_our_fds(struct kunit *test, const char *out,
				unsigned int *fds, int max)
{
	const char *line = strchr(out, '\n');	/* skip the header */
	int n = 0, parsed;
	unsigned int fd;
	long pid;

	KUNIT_ASSERT_NOT_NULL(test, line);
	while (*++line) {
		parsed = sscanf(line, "%ld %*s %u", &pid, &fd);
		KUNIT_ASSERT_EQ_MSG(test, parsed, 2, "row: %.60s", line);
		if (pid == task_tgid_nr(current)) {
			if (n < max)
				fds[n] = fd;
			n++;
		}
		line = strchr(line, '\n');
		KUNIT_ASSERT_NOT_NULL(test, line);
	}
	return n;
}

/*
 * The walk takes a task's sockets in batches (module/iter.c). A table with
 * more other files between two sockets than one batch looks at, and more
 * sockets in a row than one batch holds, shows every socket fd once, in
 * order, and no other fd, at every read size (a read that stops inside a
 * batch resumes at the row that did not fit).
 */
static void sockmap_test_sparse_table(struct kunit *test)
{
	static const size_t chunks[] = { 1, 777, 1 << 20 };
	unsigned int want[2 + 2 * SOCKMAP_BATCH], got[ARRAY_SIZE(want)];
	char *out = sockmap_test_output_buf(test);
	struct file *sock, *other;
	int i, n;

	/* Arrange: one socket, a gap of other files, a run of sockets. */
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	other = sockmap_test_file_as(test, NULL);
	want[0] = sockmap_test_install_fd(test, sock);
	for (i = 0; i < SOCKMAP_SCAN_SLOTS * 3 / 2; i++)
		sockmap_test_install_fd(test, other);
	for (i = 1; i < ARRAY_SIZE(want); i++)
		want[i] = sockmap_test_install_fd(test, sock);
	KUNIT_ASSERT_GT(test, want[1] - want[0], SOCKMAP_SCAN_SLOTS);

	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		/* Act */
		sockmap_test_read_all(test, sockmap_test_open_own_walk(test),
				      chunks[i], out);

		/* Assert */
		n = sockmap_test_our_fds(test, out, got, ARRAY_SIZE(got));
		KUNIT_EXPECT_EQ_MSG(test, n, ARRAY_SIZE(want),
				    "rows of this process, %zu-byte reads",
				    chunks[i]);
		KUNIT_EXPECT_MEMEQ_MSG(test, got, want,
				       min_t(size_t, n, ARRAY_SIZE(want)) *
				       sizeof(want[0]),
				       "FDs of this process, %zu-byte reads",
				       chunks[i]);
	}
}

static int sockmap_test_exit_at_once(void *unused)
{
	return 0;
}

KUNIT_DEFINE_ACTION_WRAPPER(sockmap_test_put_task, put_task_struct,
			    struct task_struct *);

/*
 * A task that has exited: exit_files() has let go of its table, and
 * task->files is NULL. Its task_struct is kept until the test ends.
 */
static struct task_struct *sockmap_test_exited_task(struct kunit *test)
{
	struct task_struct *task;

	task = kthread_create(sockmap_test_exit_at_once, NULL, "sockmap-exit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_put_task,
							task), 0);
	kthread_stop(task);	/* never woken: it exits without running */
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(!READ_ONCE(task->files)));
	return task;
}

/*
 * Drop the references @take holds, when it took one per socket: @before
 * was the socket's count before the call. Without them, fput() would
 * free a file still in the table; a leak ends the test more quietly.
 */
static void sockmap_test_put_taken(struct kunit *test,
				   const struct sockmap_take *take,
				   struct file *sock, long before)
{
	long refs = file_count(sock) - before;
	unsigned int i;

	KUNIT_EXPECT_EQ_MSG(test, refs, (long)take->len,
			    "%u sockets taken from fd %u on, but the file's count grew by %ld",
			    take->len, take->fd[0], refs);
	if (refs != take->len)
		return;
	for (i = 0; i < take->len; i++)
		fput(take->file[i]);
}

/*
 * One sockmap_take_sockets() call at a time, on what the rows cannot show:
 * it looks at no more than SOCKMAP_SCAN_SLOTS slots however many are
 * open, takes no more than SOCKMAP_BATCH sockets, each with a reference
 * of its own, and leaves scan_fd at the slot after the last one looked
 * at; an exited task, whose files are NULL, has nothing to take. It runs
 * after a pass of the kernel's lock order (task_lock(), then file_lock,
 * as fs/proc/fd.c takes them), so that lockdep reports a call that takes
 * them the other way round.
 */
static void sockmap_test_take_sockets(struct kunit *test)
{
	unsigned int first_other, first_sock, fd, total, calls;
	struct sockmap_take *take;
	struct file *sock, *other;
	long before;
	int i;

	take = kunit_kzalloc(test, sizeof(*take), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, take);
	task_lock(current);
	spin_lock(&current->files->file_lock);
	spin_unlock(&current->files->file_lock);
	task_unlock(current);

	/* Arrange: 384 other files in a row, then BATCH + 1 sockets */
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	other = sockmap_test_file_as(test, NULL);
	first_other = sockmap_test_install_fd(test, other);
	for (i = 1; i < SOCKMAP_SCAN_SLOTS * 3 / 2; i++)
		KUNIT_ASSERT_EQ(test, sockmap_test_install_fd(test, other),
				(int)first_other + i);
	first_sock = first_other + i;
	for (i = 0; i <= SOCKMAP_BATCH; i++)
		KUNIT_ASSERT_EQ(test, sockmap_test_install_fd(test, sock),
				(int)first_sock + i);

	/* Act: a call among the other files, every slot open */
	take->scan_fd = first_other;
	before = file_count(sock);
	KUNIT_ASSERT_EQ(test, sockmap_take_sockets_kunit(current, take), 0);

	/* Assert: it stopped after SOCKMAP_SCAN_SLOTS of them */
	KUNIT_EXPECT_EQ_MSG(test, take->len, 0U,
			    "sockets taken from fd %u, %d slots before the first socket",
			    first_other, SOCKMAP_SCAN_SLOTS * 3 / 2);
	KUNIT_EXPECT_GT_MSG(test, take->scan_fd, first_other,
			    "scan_fd did not move from fd %u", first_other);
	KUNIT_EXPECT_LE_MSG(test, take->scan_fd - first_other,
			    (unsigned int)SOCKMAP_SCAN_SLOTS,
			    "one call looked at slots %u to %u, all open: more than SOCKMAP_SCAN_SLOTS",
			    first_other, take->scan_fd - 1);
	KUNIT_EXPECT_FALSE_MSG(test, take->scan_done,
			       "scan_done after fd %u, with sockets after it",
			       take->scan_fd - 1);
	if (take->len)
		sockmap_test_put_taken(test, take, sock, before);

	/* Act: a call at the run of sockets */
	take->scan_fd = first_sock;
	before = file_count(sock);
	KUNIT_ASSERT_EQ(test, sockmap_take_sockets_kunit(current, take), 0);

	/* Assert: one batch, in fd order, each with a reference */
	KUNIT_EXPECT_EQ_MSG(test, take->len, (unsigned int)SOCKMAP_BATCH,
			    "sockets taken from a run of %d", SOCKMAP_BATCH + 1);
	for (i = 0; i < take->len; i++)
		KUNIT_EXPECT_EQ_MSG(test, take->fd[i], first_sock + i,
				    "batch[%d].fd, in a run of sockets from fd %u",
				    i, first_sock);
	KUNIT_EXPECT_EQ_MSG(test, take->scan_fd, first_sock + take->len,
			    "scan_fd after %u sockets taken from fd %u: the next call starts at the slot after the last socket taken",
			    take->len, first_sock);
	sockmap_test_put_taken(test, take, sock, before);

	/* Act: the calls that follow, to the table's end */
	take->scan_fd = first_sock + SOCKMAP_BATCH;
	for (total = 0, calls = 0; calls < SOCKMAP_TEST_MAX_FDS; calls++) {
		fd = take->scan_fd;
		before = file_count(sock);
		KUNIT_ASSERT_EQ(test, sockmap_take_sockets_kunit(current, take),
				0);
		total += take->len;
		sockmap_test_put_taken(test, take, sock, before);
		if (take->scan_done)
			break;
		KUNIT_ASSERT_GT_MSG(test, take->scan_fd, fd,
				    "scan_fd did not move from fd %u, and scan_done is false",
				    fd);
	}

	/* Assert: the last socket, once, and then the end */
	KUNIT_EXPECT_TRUE_MSG(test, take->scan_done,
			      "scan_done still false after %u calls", calls);
	KUNIT_EXPECT_EQ_MSG(test, total, 1U,
			    "sockets taken from fd %u to the end: only fd %u is one",
			    first_sock + SOCKMAP_BATCH,
			    first_sock + SOCKMAP_BATCH);

	/* Act: a task that has exited */
	take->scan_fd = 0;
	take->len = 1;
	KUNIT_ASSERT_EQ(test,
			sockmap_take_sockets_kunit(sockmap_test_exited_task(test),
						   take), 0);

	/* Assert: nothing taken, and nothing left */
	KUNIT_EXPECT_EQ(test, take->len, 0U);
	KUNIT_EXPECT_TRUE_MSG(test, take->scan_done,
			      "scan_done of an exited task, whose files are NULL");
}

/* ---------------------------------------------------------------------- */
/*
 * Who may see whom: exactly whom procfs lets readlink /proc/TID/fd/N, with
 * the opener's credentials (module/access.c). Kernel threads, this test's
 * among them, share one fd table: a socket installed in it has one row,
 * under the first kernel thread the reader may see (kthreadd, which has a
 * lower PID than this thread, when it may see every one). They are
 * root's, have no mm (so they are not dumpable: only CAP_SYS_PTRACE passes
 * ptrace's check), and their fd/ directories are root's, mode 0500 (so
 * only root or CAP_DAC_READ_SEARCH may search them). Whatever the opener,
 * this thread reads its own rows, as a process always may in /proc: the
 * row is under it when the reader may see no other kernel thread.
 */
struct sockmap_see_case {
	const char *desc;
	struct sockmap_test_ids reader;	/* the opener */
	bool all;	/* sees other kernel threads, not only this one */
};

#define SEE_IDS_0	.uid = 0, .euid = 0, .suid = 0, .fsuid = 0, .gid = 0
#define SEE_IDS_1000	.uid = 1000, .euid = 1000, .suid = 1000, \
			.fsuid = 1000, .gid = 1000

static const struct sockmap_see_case sockmap_see_cases[] = {
	{ "uid 1000", { SEE_IDS_1000 }, false },
	{ "uid 0 without capabilities (the threads are not dumpable)",
	  { SEE_IDS_0 }, false },
	{ "uid 0 with CAP_SYS_PTRACE",
	  { SEE_IDS_0, .ptrace_effective = true }, true },
	{ "uid 1000 with CAP_SYS_PTRACE (may not search fd/)",
	  { SEE_IDS_1000, .ptrace_effective = true }, false },
	{ "uid 1000 with CAP_DAC_READ_SEARCH (no ptrace)",
	  { SEE_IDS_1000, .dac_read_search = true }, false },
	{ "uid 1000 with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH",
	  { SEE_IDS_1000, .ptrace_effective = true, .dac_read_search = true },
	  true },
	{ "CAP_SYS_PTRACE only permitted, not effective",
	  { SEE_IDS_1000, .ptrace_permitted = true, .dac_read_search = true },
	  false },
	/* /proc/PID/fd uses PTRACE_MODE_READ_FSCREDS: fsuid decides. */
	{ "fsuid 0 decides, not uid 1000",
	  { .uid = 1000, .euid = 1000, .suid = 1000, .fsuid = 0, .gid = 0,
	    .ptrace_effective = true }, true },
};

KUNIT_ARRAY_PARAM_DESC(sockmap_see, sockmap_see_cases, desc);

/*
 * Count the rows of socket inode @ino in @out: under this thread's PID in
 * *@own, under any other in *@others.
 */
static void sockmap_test_count_ino(struct kunit *test, const char *out,
				   unsigned long ino, int *own, int *others)
{
	const char *line = strchr(out, '\n');	/* skip the header */
	unsigned long row_ino;
	int parsed;
	long pid;

	*own = 0;
	*others = 0;
	KUNIT_ASSERT_NOT_NULL(test, line);
	while (*++line) {
		parsed = sscanf(line, "%ld %*s %*u %lu", &pid, &row_ino);
		KUNIT_ASSERT_EQ_MSG(test, parsed, 2, "row: %.60s", line);
		if (row_ino == ino) {
			if (pid == task_pid_nr(current))
				++*own;
			else
				++*others;
		}
		line = strchr(line, '\n');
		KUNIT_ASSERT_NOT_NULL(test, line);
	}
}

static void sockmap_test_may_see(struct kunit *test)
{
	const struct sockmap_see_case *c = test->param_value;
	char *out = sockmap_test_output_buf(test);
	int own, others;
	struct file *sock, *walk;

	/* Arrange: a socket fd in the kernel threads' table */
	sock = sockmap_test_socket(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	sockmap_test_install_fd(test, sock);
	walk = sockmap_test_open_walk(test,
				      sockmap_test_creds(test, &c->reader));

	/* Act: this thread (root) reads what the opener may see */
	sockmap_test_read_all(test, walk, 4096, out);

	/* Assert */
	sockmap_test_count_ino(test, out, sockmap_test_ino(sock), &own,
			       &others);
	KUNIT_EXPECT_EQ_MSG(test, own, c->all ? 0 : 1,
			    "rows under this thread's own PID");
	KUNIT_EXPECT_EQ_MSG(test, others, c->all ? 1 : 0,
			    "rows under other kernel threads");
}

/*
 * A kernel thread's cgroup v2 path is the root's, "/", in the initial
 * cgroup namespace, as its /proc/PID/cgroup says ("0::/").
 */
static void sockmap_test_cgroup_root(struct kunit *test)
{
	struct cgroup *cgrp = sockmap_task_cgroup_get(current);
	char buf[16] = "";

	KUNIT_ASSERT_NOT_NULL(test, cgrp);
	KUNIT_EXPECT_EQ(test, sockmap_cgroup_path(cgrp, &init_cgroup_ns, buf,
						  sizeof(buf)), 1);
	KUNIT_EXPECT_STREQ(test, buf, "/");
	/* No room for the path and its NUL: an error, never a cut path. */
	KUNIT_EXPECT_LT(test, sockmap_cgroup_path(cgrp, &init_cgroup_ns, buf, 1),
			0);
	sockmap_cgroup_put(cgrp);
}

/*
 * The walk judges visibility on the credentials of whoever opened the
 * file, not of whoever reads it: this thread is root, with every
 * capability, yet a file opened by uid 1000 shows it only its own rows
 * (sockmap_test_may_see()); and one opened by root shows a reader whose
 * own credentials are uid 1000's the kernel threads' table under the
 * first of them, as root sees it.
 */
static void sockmap_test_walk_uses_opener_creds(struct kunit *test)
{
	char *out = sockmap_test_output_buf(test);
	const struct cred *old;
	struct file *sock, *walk;
	int own, others;

	/* Arrange */
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	sockmap_test_install_fd(test, sock);
	walk = sockmap_test_open_walk(test, NULL);

	/* Act: read as uid 1000 */
	old = override_creds(sockmap_test_user(test, 1000));
	sockmap_test_read_all(test, walk, 4096, out);
	revert_creds(old);

	/* Assert */
	sockmap_test_count_ino(test, out, sockmap_test_ino(sock), &own,
			       &others);
	KUNIT_EXPECT_EQ(test, own, 0);
	KUNIT_EXPECT_EQ_MSG(test, others, 1,
			    "a root-opened file shows uid 1000 too little");
}

KUNIT_DEFINE_ACTION_WRAPPER(sockmap_test_reader_put, sockmap_reader_put,
			    struct sockmap_reader *);

/*
 * A reader opened by root in the suite's procfs instance, for calls of
 * sockmap_may_see() itself; its nsfs path is put when the test ends.
 */
static struct sockmap_reader *sockmap_test_reader(struct kunit *test)
{
	struct sockmap_reader *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->cred = current_cred();
	r->proc_root.mnt = sockmap_test_procfs;
	r->proc_root.dentry = sockmap_test_procfs->mnt_root;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_reader_put,
							r), 0);
	return r;
}

/*
 * What some kernels' walk returns when ptrace_may_access() refuses (Debian
 * 5.10's proc_ns_get_link() returns ERR_PTR(0)): success, where the walk
 * stood, on procfs. The 6.12 and newer kernels the suite runs on return
 * an error instead.
 */
static int sockmap_test_lookup_off_nsfs(const struct sockmap_reader *r,
					const char *name, struct path *path)
{
	*path = r->proc_root;
	path_get(path);
	return 0;
}

/*
 * sockmap_may_see() on what a walk's rows do not show: the answer is about
 * the task, not only its number (one that has exited is not seen through
 * the number of another); the nsfs path of the last walk is kept, one
 * reference at a time; a walk that succeeds off nsfs is a no, and its
 * path is put; and a walk that fails for another reason than
 * procfs's no (here -ENOTDIR: it starts from a file) is no answer, kept
 * in r->err.
 */
static void sockmap_test_may_see_calls(struct kunit *test)
{
	struct sockmap_reader *r = sockmap_test_reader(test);
	struct task_struct *exited = sockmap_test_exited_task(test);
	int tid = task_pid_nr(current);
	struct dentry *ns;
	unsigned int refs;
	struct path file;
	bool seen;

	/* Act and assert: root may see this thread, by its number */
	KUNIT_ASSERT_TRUE_MSG(test, sockmap_may_see(r, current, tid),
			      "root may not see the test's own thread");
	ns = r->ns_path.dentry;
	KUNIT_ASSERT_NOT_NULL_MSG(test, ns,
				  "r->ns_path is empty after a walk that allowed");
	KUNIT_EXPECT_EQ_MSG(test, ns->d_sb->s_magic, NSFS_MAGIC,
			    "r->ns_path is not on nsfs");
	refs = d_count(ns);
	KUNIT_EXPECT_TRUE(test, sockmap_may_see(r, current, tid));
	KUNIT_EXPECT_PTR_EQ(test, r->ns_path.dentry, ns);
	KUNIT_EXPECT_EQ_MSG(test, d_count(ns), refs,
			    "references to the nsfs dentry after a second walk: the path held before must be put, once");

	/* Act and assert: this thread's number, another task */
	seen = sockmap_may_see(r, exited, tid);
	KUNIT_EXPECT_FALSE_MSG(test, seen,
			       "an exited task seen through the number %d of another",
			       tid);

	/* Act: a walk that ends off nsfs, as Debian 5.10's refusal does */
	refs = d_count(r->proc_root.dentry);
	kunit_activate_static_stub(test, sockmap_proc_lookup,
				   sockmap_test_lookup_off_nsfs);
	seen = sockmap_may_see(r, current, tid);
	kunit_deactivate_static_stub(test, sockmap_proc_lookup);

	/* Assert: no, and the path it returned is put */
	KUNIT_EXPECT_FALSE_MSG(test, seen,
			       "a walk that succeeded but ended off nsfs (on procfs) allowed");
	KUNIT_EXPECT_EQ_MSG(test, d_count(r->proc_root.dentry), refs,
			    "references to where a walk ended off nsfs: path_put() it");

	/* Act: a walk that cannot be made, from a file of procfs */
	KUNIT_ASSERT_EQ(test, vfs_path_lookup(r->proc_root.dentry,
					      r->proc_root.mnt, "uptime", 0,
					      &file), 0);
	r->proc_root = file;
	seen = sockmap_may_see(r, current, tid);
	r->proc_root.mnt = sockmap_test_procfs;
	r->proc_root.dentry = sockmap_test_procfs->mnt_root;
	path_put(&file);

	/* Assert */
	KUNIT_EXPECT_FALSE(test, seen);
	KUNIT_EXPECT_EQ_MSG(test, r->err, -ENOTDIR,
			    "r->err after a walk that failed with -ENOTDIR, no answer of procfs's");
}

/*
 * A table that tasks of different thread groups share (kernel threads
 * share init_files, as processes made with clone(CLONE_FILES) share
 * theirs) is shown once, not once per holder: otherwise a read would walk
 * it once per holder, at a cost of holders times slots.
 */
static void sockmap_test_shared_table_once(struct kunit *test)
{
	char *out = sockmap_test_output_buf(test);
	struct file *sock;
	int own, others;

	/* Arrange: a socket in a table other kernel threads hold too */
	KUNIT_ASSERT_GT_MSG(test, atomic_read(&current->files->count), 1,
			    "this kernel thread's table is not shared");
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	sockmap_test_install_fd(test, sock);

	/* Act: read as root, who may see every kernel thread */
	sockmap_test_read_all(test, sockmap_test_open_walk(test, NULL), 4096,
			      out);

	/* Assert */
	sockmap_test_count_ino(test, out, sockmap_test_ino(sock), &own,
			       &others);
	KUNIT_EXPECT_EQ_MSG(test, own + others, 1,
			    "rows of one socket in a table held by many");
}

/*
 * procfs as sockmap_test_see_once() plays it: this thread may be seen
 * until it has been asked about once (test->priv counts the questions),
 * no other task at all.
 */
static bool sockmap_test_see_once(struct sockmap_reader *r,
				  struct task_struct *task, int tid)
{
	struct kunit *test = kunit_get_current_test();
	int *asked = test->priv;

	if (task != current)
		return false;
	return (*asked)++ == 0;
}

/*
 * Whether the reader may see a task is asked again for every batch of its
 * sockets: a task that becomes hidden in the middle of one read() (it
 * made itself not dumpable, it exec'd a setuid program) shows no batch
 * taken after that. Here procfs says yes once, then no: one batch of this
 * thread's sockets is shown, out of three.
 */
static void sockmap_test_asks_each_batch(struct kunit *test)
{
	char *out = sockmap_test_output_buf(test);
	struct file *sock;
	int asked = 0, own, others, i;

	/* Arrange */
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	for (i = 0; i < 3 * SOCKMAP_BATCH; i++)
		sockmap_test_install_fd(test, sock);
	test->priv = &asked;
	kunit_activate_static_stub(test, sockmap_iter_may_see,
				   sockmap_test_see_once);

	/* Act: one read() takes them all */
	sockmap_test_read_all(test, sockmap_test_open_walk(test, NULL),
			      SOCKMAP_SEQ_BUF_MAX, out);

	/* Assert */
	sockmap_test_count_ino(test, out, sockmap_test_ino(sock), &own,
			       &others);
	KUNIT_EXPECT_EQ_MSG(test, own, SOCKMAP_BATCH,
			    "rows shown of a task that procfs hid after one batch");
	KUNIT_EXPECT_EQ(test, others, 0);
	KUNIT_EXPECT_GE_MSG(test, asked, 2, "questions asked of procfs");
}

/* ---------------------------------------------------------------------- */

/*
 * UML boots with lo down; the loopback tests need it up (and ::1 on it).
 * The walks need a procfs instance to ask who may see what.
 */
static int sockmap_test_suite_init(struct kunit_suite *suite)
{
	struct net_device *lo = init_net.loopback_dev;
	struct file_system_type *proc = get_fs_type("proc");
	int err;

	if (!proc)
		return -ENODEV;
	sockmap_test_procfs = kern_mount(proc);
	if (IS_ERR(sockmap_test_procfs))
		return PTR_ERR(sockmap_test_procfs);

	rtnl_lock();
	err = dev_change_flags(lo, lo->flags | IFF_UP, NULL);
	rtnl_unlock();
	return err;
}

static void sockmap_test_suite_exit(struct kunit_suite *suite)
{
	if (!IS_ERR_OR_NULL(sockmap_test_procfs))
		kern_unmount(sockmap_test_procfs);
}

static struct kunit_case sockmap_test_cases[] = {
	KUNIT_CASE_PARAM(sockmap_test_family_name, sockmap_family_gen_params),
	KUNIT_CASE_PARAM(sockmap_test_type_name, sockmap_type_gen_params),
	KUNIT_CASE_PARAM(sockmap_test_proto_name, sockmap_proto_gen_params),
	KUNIT_CASE_PARAM(sockmap_test_state_name, sockmap_state_gen_params),
	KUNIT_CASE(sockmap_test_all_families_are_tokens),
	KUNIT_CASE_PARAM(sockmap_test_inet4, sockmap_inet4_gen_params),
	KUNIT_CASE_PARAM(sockmap_test_inet6, sockmap_inet6_gen_params),
	KUNIT_CASE_PARAM(sockmap_test_unix_path, sockmap_unix_gen_params),
	KUNIT_CASE_PARAM(sockmap_test_escape, sockmap_escape_gen_params),
	KUNIT_CASE_PARAM(sockmap_test_kptr, sockmap_kptr_gen_params),
	KUNIT_CASE(sockmap_test_kptr_fmt),
	KUNIT_CASE_PARAM(sockmap_test_tcp_rows, sockmap_tcp_gen_params),
	KUNIT_CASE(sockmap_test_tcp_queues),
	KUNIT_CASE(sockmap_test_tcp_queue_edges),
	KUNIT_CASE(sockmap_test_tcp_retrans),
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
	KUNIT_CASE(sockmap_test_cursor),
	KUNIT_CASE(sockmap_test_sparse_table),
	KUNIT_CASE(sockmap_test_take_sockets),
	KUNIT_CASE_PARAM(sockmap_test_may_see, sockmap_see_gen_params),
	KUNIT_CASE(sockmap_test_walk_uses_opener_creds),
	KUNIT_CASE(sockmap_test_may_see_calls),
	KUNIT_CASE(sockmap_test_shared_table_once),
	KUNIT_CASE(sockmap_test_asks_each_batch),
	KUNIT_CASE(sockmap_test_cgroup_root),
	{}
};

static struct kunit_suite sockmap_test_suite = {
	.name = "sockmap",
	.suite_init = sockmap_test_suite_init,
	.suite_exit = sockmap_test_suite_exit,
	.test_cases = sockmap_test_cases,
};

kunit_test_suite(sockmap_test_suite);

MODULE_DESCRIPTION("KUnit tests for /proc/sockmap");
MODULE_LICENSE("GPL");
