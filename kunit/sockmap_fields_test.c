// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap_fields_test.c - the sockmap_fields suite: the names of family,
 * type, protocol and TCP state numbers, and the fields rows are made of
 * (addresses, UNIX names, escaped names, kernel pointers), each on its
 * own, table-driven.
 */

#include "sockmap_test.h"

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
				"byte %td past the field's end was written: a word store may write bytes 0 to %d past it, no further",
				q - end, SOCKMAP_TEST_STORE_PAST - 1);
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
 * its answer (module/field.c). For each kptr_restrict and reader, the mode
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

static struct kunit_case sockmap_fields_cases[] = {
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
	{}
};

static struct kunit_suite sockmap_fields_suite = {
	.name = "sockmap_fields",
	.test_cases = sockmap_fields_cases,
};

kunit_test_suite(sockmap_fields_suite);
