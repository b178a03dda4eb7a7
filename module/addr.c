// SPDX-License-Identifier: GPL-2.0
/*
 * addr.c - addresses decoded for people: what /proc/net/tcp shows as
 * 0100007F:56CE is printed here as 127.0.0.1:22222.
 *
 * The kernel keeps addresses and ports in network byte order (__be32,
 * __be16); /proc/net/tcp prints the raw 32-bit word in hex, which on a
 * little-endian machine reverses the bytes. Here they are decoded once.
 */

#include <linux/in6.h>
#include <linux/kernel.h>
#include <net/addrconf.h>
#include <net/ipv6.h>

#include "sockmap.h"

/*
 * Addresses are on every row, so they are formatted here by hand rather
 * than with a seq_printf() whose format string vsnprintf() would parse
 * again for every row (the benchmark's profile, bench/results.md). The
 * sockmap_fmt_*() functions write at a plain pointer into room the caller
 * has made sure of (row.c makes room for a whole row at once) and return
 * the end.
 */

#define SOCKMAP_INET4_MAX	sizeof("255.255.255.255:65535")
#define SOCKMAP_INET6_MAX	\
	sizeof("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535")

/* The dotted quad of the 4 bytes at @b: 127.0.0.1. */
static char *sockmap_fmt_ip4(char *p, const u8 *b)
{
	p = sockmap_fmt_small(p, b[0]);
	*p++ = '.';
	p = sockmap_fmt_small(p, b[1]);
	*p++ = '.';
	p = sockmap_fmt_small(p, b[2]);
	*p++ = '.';
	return sockmap_fmt_small(p, b[3]);
}

/* 127.0.0.1:22222, at most SOCKMAP_INET4_MAX - 1 bytes. */
char *sockmap_fmt_inet4(char *p, __be32 addr, __be16 port)
{
	p = sockmap_fmt_ip4(p, (const u8 *)&addr);
	*p++ = ':';
	return sockmap_fmt_small(p, ntohs(port));
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_inet4);

/* One 16-bit word in lowercase hex without leading zeros: 0, 1, ffff. */
static char *sockmap_fmt_hex16(char *p, unsigned int w)
{
	int shift = 12;

	while (shift && !(w >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = hex_asc[(w >> shift) & 0xf];
	return p;
}

/*
 * sockmap_fmt_ip6 - @a exactly as printk's %pI6c prints it (RFC 5952; see
 * ip6_compressed_string() in lib/vsprintf.c, which this follows step by
 * step): the first longest run of two or more zero words becomes "::",
 * and a v4-mapped or ISATAP address ends in a dotted quad.
 */
static char *sockmap_fmt_ip6(char *p, const struct in6_addr *a)
{
	bool v4 = ipv6_addr_v4mapped(a) || ipv6_addr_is_isatap(a);
	int words = v4 ? 6 : 8;
	int i, run, longest = 1, colonpos = -1;
	bool needcolon = false;

	for (i = 0; i < words; i += run ? run : 1) {
		for (run = 0; i + run < words && !a->s6_addr16[i + run]; run++)
			;
		if (run > longest) {
			longest = run;
			colonpos = i;
		}
	}
	for (i = 0; i < words; i++) {
		if (i == colonpos) {
			if (needcolon || i == 0)
				*p++ = ':';
			*p++ = ':';
			needcolon = false;
			i += longest - 1;
			continue;
		}
		if (needcolon)
			*p++ = ':';
		p = sockmap_fmt_hex16(p, ntohs(a->s6_addr16[i]));
		needcolon = true;
	}
	if (v4) {
		if (needcolon)
			*p++ = ':';
		p = sockmap_fmt_ip4(p, &a->s6_addr[12]);
	}
	return p;
}

/*
 * [::1]:22222, and a v4-mapped address as [::ffff:127.0.0.1]:22222; at
 * most SOCKMAP_INET6_MAX - 1 bytes.
 */
char *sockmap_fmt_inet6(char *p, const struct in6_addr *addr, __be16 port)
{
	*p++ = '[';
	p = sockmap_fmt_ip6(p, addr);
	*p++ = ']';
	*p++ = ':';
	return sockmap_fmt_small(p, ntohs(port));
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_fmt_inet6);
