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
#include <linux/seq_file.h>
#include <linux/string_helpers.h>
#include <net/ipv6.h>
#include <kunit/visibility.h>

#include "sockmap.h"

/* 127.0.0.1:22222. The dotted quad is built by hand: it is on every row. */
void sockmap_put_inet4(struct seq_file *m, __be32 addr, __be16 port)
{
	const u8 *b = (const u8 *)&addr;

	seq_put_decimal_ull(m, "", b[0]);
	seq_put_decimal_ull(m, ".", b[1]);
	seq_put_decimal_ull(m, ".", b[2]);
	seq_put_decimal_ull(m, ".", b[3]);
	seq_put_decimal_ull(m, ":", ntohs(port));
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_put_inet4);

/*
 * [::1]:22222, in RFC 5952's compressed form (%pI6c), which also prints a
 * v4-mapped address as [::ffff:127.0.0.1].
 */
void sockmap_put_inet6(struct seq_file *m, const struct in6_addr *addr,
		       __be16 port)
{
	seq_printf(m, "[%pI6c]:%u", addr, ntohs(port));
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_put_inet6);

/* @len bytes of @s, with the bytes of SOCKMAP_ESCAPE (and NUL) escaped. */
void sockmap_put_escaped(struct seq_file *m, const char *s, size_t len)
{
	seq_escape_mem(m, s, len, ESCAPE_OCTAL, SOCKMAP_ESCAPE);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_put_escaped);

/*
 * sockmap_put_unix_path - a UNIX socket's name: @len bytes of sun_path.
 * A path name is NUL-terminated within @len; an abstract name starts with
 * a NUL byte, shown as '@' as /proc/net/unix and ss do, and may contain
 * any byte after it. No name at all (@len <= 0) is "-".
 */
void sockmap_put_unix_path(struct seq_file *m, const char *sun_path, int len)
{
	if (len <= 0) {
		seq_putc(m, '-');
	} else if (sun_path[0] == '\0') {
		seq_putc(m, '@');
		sockmap_put_escaped(m, sun_path + 1, len - 1);
	} else {
		sockmap_put_escaped(m, sun_path, strnlen(sun_path, len));
	}
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_put_unix_path);
