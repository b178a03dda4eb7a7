// SPDX-License-Identifier: GPL-2.0
/*
 * names.c - names in a row. The names of the numbers a struct sock
 * carries: address family, socket type, protocol and TCP state. Every
 * lookup answers NULL for a number it has no name for, and the
 * sockmap_fmt_*() fields then print the number itself, so that a new
 * kernel never makes a field empty. Then the names users choose (COMM,
 * UNIX socket names, interface and cgroup names), escaped so that a row
 * always splits into the same fields (see sockmap.h).
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/un.h>
#include <net/tcp_states.h>

#include "sockmap.h"
#include "sockmap_row.h"

static const char * const sockmap_families[] = {
	[AF_UNSPEC]	= "UNSPEC",
	[AF_UNIX]	= "UNIX",
	[AF_INET]	= "INET",
	[AF_AX25]	= "AX25",
	[AF_IPX]	= "IPX",
	[AF_APPLETALK]	= "APPLETALK",
	[AF_NETROM]	= "NETROM",
	[AF_BRIDGE]	= "BRIDGE",
	[AF_ATMPVC]	= "ATMPVC",
	[AF_X25]	= "X25",
	[AF_INET6]	= "INET6",
	[AF_ROSE]	= "ROSE",
	[AF_DECnet]	= "DECNET",
	[AF_NETBEUI]	= "NETBEUI",
	[AF_SECURITY]	= "SECURITY",
	[AF_KEY]	= "KEY",
	[AF_NETLINK]	= "NETLINK",
	[AF_PACKET]	= "PACKET",
	[AF_ASH]	= "ASH",
	[AF_ECONET]	= "ECONET",
	[AF_ATMSVC]	= "ATMSVC",
	[AF_RDS]	= "RDS",
	[AF_SNA]	= "SNA",
	[AF_IRDA]	= "IRDA",
	[AF_PPPOX]	= "PPPOX",
	[AF_WANPIPE]	= "WANPIPE",
	[AF_LLC]	= "LLC",
	[AF_IB]		= "IB",
	[AF_MPLS]	= "MPLS",
	[AF_CAN]	= "CAN",
	[AF_TIPC]	= "TIPC",
	[AF_BLUETOOTH]	= "BLUETOOTH",
	[AF_IUCV]	= "IUCV",
	[AF_RXRPC]	= "RXRPC",
	[AF_ISDN]	= "ISDN",
	[AF_PHONET]	= "PHONET",
	[AF_IEEE802154]	= "IEEE802154",
	[AF_CAIF]	= "CAIF",
	[AF_ALG]	= "ALG",
	[AF_NFC]	= "NFC",
	[AF_VSOCK]	= "VSOCK",
	[AF_KCM]	= "KCM",
	[AF_QIPCRTR]	= "QIPCRTR",
	[AF_SMC]	= "SMC",
	[AF_XDP]	= "XDP",
	[AF_MCTP]	= "MCTP",
};

static const char * const sockmap_types[] = {
	[SOCK_STREAM]		= "STREAM",
	[SOCK_DGRAM]		= "DGRAM",
	[SOCK_RAW]		= "RAW",
	[SOCK_RDM]		= "RDM",
	[SOCK_SEQPACKET]	= "SEQPACKET",
	[SOCK_DCCP]		= "DCCP",
	[SOCK_PACKET]		= "PACKET",
};

/* As /usr/include/linux/netlink.h names them, without the NETLINK_ prefix. */
static const char * const sockmap_netlink_protos[MAX_LINKS] = {
	[NETLINK_ROUTE]		 = "ROUTE",
	[NETLINK_UNUSED]	 = "UNUSED",
	[NETLINK_USERSOCK]	 = "USERSOCK",
	[NETLINK_FIREWALL]	 = "FIREWALL",
	[NETLINK_SOCK_DIAG]	 = "SOCK_DIAG",
	[NETLINK_NFLOG]		 = "NFLOG",
	[NETLINK_XFRM]		 = "XFRM",
	[NETLINK_SELINUX]	 = "SELINUX",
	[NETLINK_ISCSI]		 = "ISCSI",
	[NETLINK_AUDIT]		 = "AUDIT",
	[NETLINK_FIB_LOOKUP]	 = "FIB_LOOKUP",
	[NETLINK_CONNECTOR]	 = "CONNECTOR",
	[NETLINK_NETFILTER]	 = "NETFILTER",
	[NETLINK_IP6_FW]	 = "IP6_FW",
	[NETLINK_DNRTMSG]	 = "DNRTMSG",
	[NETLINK_KOBJECT_UEVENT] = "KOBJECT_UEVENT",
	[NETLINK_GENERIC]	 = "GENERIC",
	[NETLINK_SCSITRANSPORT]	 = "SCSITRANSPORT",
	[NETLINK_ECRYPTFS]	 = "ECRYPTFS",
	[NETLINK_RDMA]		 = "RDMA",
	[NETLINK_CRYPTO]	 = "CRYPTO",
	[NETLINK_SMC]		 = "SMC",
};

/* The names /proc/net/tcp's "st" column stands for (include/net/tcp_states.h). */
static const char * const sockmap_tcp_states[TCP_MAX_STATES] = {
	[TCP_ESTABLISHED]	= "ESTABLISHED",
	[TCP_SYN_SENT]		= "SYN_SENT",
	[TCP_SYN_RECV]		= "SYN_RECV",
	[TCP_FIN_WAIT1]		= "FIN_WAIT1",
	[TCP_FIN_WAIT2]		= "FIN_WAIT2",
	[TCP_TIME_WAIT]		= "TIME_WAIT",
	[TCP_CLOSE]		= "CLOSE",
	[TCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_LAST_ACK]		= "LAST_ACK",
	[TCP_LISTEN]		= "LISTEN",
	[TCP_CLOSING]		= "CLOSING",
	[TCP_NEW_SYN_RECV]	= "NEW_SYN_RECV",
};

/* The entry @i of a sparse table of @n names, or NULL. */
static const char *sockmap_lookup(const char * const *table, size_t n, int i)
{
	return i >= 0 && i < n ? table[i] : NULL;
}

const char *sockmap_family_name(int family)
{
	return sockmap_lookup(sockmap_families, ARRAY_SIZE(sockmap_families),
			      family);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_family_name);

const char *sockmap_type_name(int type)
{
	return sockmap_lookup(sockmap_types, ARRAY_SIZE(sockmap_types), type);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_type_name);

static const char *sockmap_inet_proto_name(int protocol)
{
	switch (protocol) {
	case IPPROTO_ICMP:	return "ICMP";
	case IPPROTO_IGMP:	return "IGMP";
	case IPPROTO_TCP:	return "TCP";
	case IPPROTO_UDP:	return "UDP";
	case IPPROTO_GRE:	return "GRE";
	case IPPROTO_ESP:	return "ESP";
	case IPPROTO_AH:	return "AH";
	case IPPROTO_ICMPV6:	return "ICMPV6";
	case IPPROTO_SCTP:	return "SCTP";
	case IPPROTO_UDPLITE:	return "UDPLITE";
	case IPPROTO_RAW:	return "RAW";
	case IPPROTO_MPTCP:	return "MPTCP";
	default:		return NULL;
	}
}

/*
 * sockmap_proto_name - the name of sk_protocol, which means something
 * different in each family: an IP protocol for INET/INET6, a netlink
 * family for NETLINK. UNIX sockets have no protocol ("-"); PACKET's is an
 * ethertype, which sockmap_fmt_proto() prints in hex.
 */
const char *sockmap_proto_name(int family, int protocol)
{
	switch (family) {
	case AF_INET:
	case AF_INET6:
		return sockmap_inet_proto_name(protocol);
	case AF_NETLINK:
		return sockmap_lookup(sockmap_netlink_protos,
				      ARRAY_SIZE(sockmap_netlink_protos),
				      protocol);
	case AF_UNIX:
		return "-";
	default:
		return NULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_proto_name);

const char *sockmap_tcp_state_name(int state)
{
	return sockmap_lookup(sockmap_tcp_states,
			      ARRAY_SIZE(sockmap_tcp_states), state);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_tcp_state_name);

/*
 * The fields: a name, or the number when there is none. They write at @p
 * and return the end (the field writer's helpers, sockmap_row.h): at most
 * SOCKMAP_NUMBER_MAX bytes, or the longest name.
 */
static char *sockmap_fmt_named(char *p, const char *name, int nr)
{
	return name ? row_str(p, name) : row_ll(p, nr);
}

char *sockmap_fmt_family(char *p, int family)
{
	return sockmap_fmt_named(p, sockmap_family_name(family), family);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_family);

char *sockmap_fmt_type(char *p, int type)
{
	return sockmap_fmt_named(p, sockmap_type_name(type), type);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_type);

char *sockmap_fmt_proto(char *p, int family, int protocol)
{
	/* A packet socket's protocol is an ethertype, in network order. */
	if (family == AF_PACKET)
		return sockmap_fmt_printf(p, 6, "0x%04x",
					  ntohs((__force __be16)protocol));
	return sockmap_fmt_named(p, sockmap_proto_name(family, protocol),
				 protocol);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_proto);

char *sockmap_fmt_tcp_state(char *p, int state)
{
	return sockmap_fmt_named(p, sockmap_tcp_state_name(state), state);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_tcp_state);

/* Bytes written raw: printable ASCII but the backslash (see sockmap.h). */
static bool sockmap_is_plain(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '\\';
}

/* One byte as a backslash and three octal digits: \055. */
static char *sockmap_fmt_octal(char *p, unsigned char c)
{
	*p++ = '\\';
	*p++ = '0' + (c >> 6);
	*p++ = '0' + ((c >> 3) & 7);
	*p++ = '0' + (c & 7);
	return p;
}

/*
 * sockmap_fmt_escaped - @len bytes of @s, every byte that is not plain
 * written as \ooo: at most 4 * @len bytes. The caller sees to it that
 * the result is not empty and not "-" (sockmap_fmt_name()).
 */
static char *sockmap_fmt_escaped(char *p, const char *s, size_t len)
{
	const unsigned char *c = (const unsigned char *)s;
	const unsigned char *end = c + len;

	for (; c < end; c++) {
		if (likely(sockmap_is_plain(*c)))
			*p++ = *c;
		else
			p = sockmap_fmt_octal(p, *c);
	}
	return p;
}

/*
 * sockmap_fmt_name - a name as a field of its own, at most 4 * @len bytes
 * (and at least one): escaped, "-" when empty, and \055 when it is "-",
 * which means "none" in every column.
 */
char *sockmap_fmt_name(char *p, const char *s, size_t len)
{
	if (!len) {
		*p++ = '-';
		return p;
	}
	if (len == 1 && s[0] == '-')
		return sockmap_fmt_octal(p, '-');
	return sockmap_fmt_escaped(p, s, len);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_name);

/*
 * sockmap_fmt_unix_path - a UNIX socket's name: @len bytes of sun_path,
 * at most SOCKMAP_UNIX_NAME_MAX bytes. A path name is NUL-terminated
 * within @len; an abstract name starts with a NUL byte, shown as '@' as
 * /proc/net/unix and ss do, and may contain any byte after it. No name at
 * all (@len <= 0) is "-".
 */
char *sockmap_fmt_unix_path(char *p, const char *sun_path, int len)
{
	len = min_t(int, len, UNIX_PATH_MAX);
	if (len <= 0) {
		*p++ = '-';
		return p;
	}
	if (sun_path[0] == '\0') {
		*p++ = '@';
		return sockmap_fmt_escaped(p, sun_path + 1, len - 1);
	}
	return sockmap_fmt_name(p, sun_path, strnlen(sun_path, len));
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_unix_path);

