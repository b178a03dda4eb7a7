// SPDX-License-Identifier: GPL-2.0
/*
 * sockname.c - the families that only getsockname() describes: a
 * netlink socket's port id, a packet socket's interface and ethertype.
 */

#include <linux/if_packet.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/socket.h>
#include <net/sock.h>

#include "sockmap.h"
#include "sockmap_row.h"

/*
 * sockmap_getsockname - what getsockname() says of @sock: the only view of
 * a netlink or packet socket, whose socket structs are private to their
 * families. Leaves AF_UNSPEC in @ss when there is nothing to say (the
 * obsolete SOCK_PACKET answers in a format of its own).
 */
void sockmap_getsockname(struct socket *sock, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (sock->type == SOCK_PACKET ||
	    kernel_getsockname(sock, (struct sockaddr *)ss) < 0)
		ss->ss_family = AF_UNSPEC;
}

/*
 * The name of the interface a packet socket is bound to: "*" for every
 * interface (index 0), "-" for one that no longer exists (af_packet sets
 * the index to -1 when its device goes away), else the name, escaped.
 * At most 4 * (IFNAMSIZ - 1) bytes.
 */
static char *sockmap_fmt_ifname(char *p, struct sock *sk, int ifindex)
{
	char ifname[IFNAMSIZ];
	struct net_device *dev;
	ssize_t len = 0;

	if (!ifindex) {
		*p++ = '*';
		return p;
	}
	rcu_read_lock();
	dev = ifindex > 0 ? dev_get_by_index_rcu(sock_net(sk), ifindex) : NULL;
	if (dev)
		len = strscpy(ifname, dev->name, sizeof(ifname));
	rcu_read_unlock();
	return sockmap_fmt_name(p, ifname, max_t(ssize_t, len, 0));
}

/*
 * LOCAL of a netlink socket (its port id) or a packet socket (interface
 * and ethertype it is bound to), from sockmap_getsockname(): at most
 * 4 * (IFNAMSIZ - 1) + 7 bytes.
 */
static char *sockmap_fmt_sockname(char *p, struct sock *sk,
				  const struct sockaddr_storage *ss)
{
	const struct sockaddr_ll *sll = (const struct sockaddr_ll *)ss;
	const struct sockaddr_nl *snl = (const struct sockaddr_nl *)ss;

	if (ss->ss_family == AF_NETLINK)
		return row_ull(p, snl->nl_pid);
	if (ss->ss_family != AF_PACKET)
		return row_str(p, "-");
	p = sockmap_fmt_ifname(p, sk, sll->sll_ifindex);
	return sockmap_fmt_printf(p, 7, ":0x%04x", ntohs(sll->sll_protocol));
}

/* STATE .. RETRANS of any other family; there is never a PEER. */
char *sockmap_fmt_other(char *p, struct sock *sk,
			const struct sockaddr_storage *ss)
{
	char *start;

	p = col_str(p, COL_STATE, "-");
	start = col_open(p, COL_LOCAL);
	p = col_close(sockmap_fmt_sockname(start, sk, ss), start, COL_LOCAL);
	p = col_str(p, COL_REMOTE, "-");
	p = col_ull(p, COL_RXQ, sk_rmem_alloc_get(sk));
	p = col_ull(p, COL_TXQ, sk_wmem_alloc_get(sk));
	return col_none(p, COL_CWND, COL_RETRANS);
}

/*
 * Families whose LOCAL (and, for PACKET, PROTO) only getsockname() knows.
 * No other family is asked: some getname()s take the socket's lock.
 */
bool sockmap_wants_sockname(const struct sock *sk)
{
	return sk->sk_family == AF_NETLINK || sk->sk_family == AF_PACKET;
}

