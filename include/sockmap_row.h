/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockmap_row.h - the field writer: the columns of /proc/sockmap and the
 * helpers that write a field at a plain char pointer (with field.c). The
 * layers, each calling only the ones below it:
 *	row.c		makes room for a row in the seq_file and commits it
 *	socket.c	what a row holds, through inet.c, tcp.c, unix.c and
 *			sockname.c
 *	names.c, addr.c	names, escaped names and addresses
 *	field.c, here	the field writer
 * Functions named sockmap_fmt_*() write at a char pointer and return the
 * end; sockmap_show_*() ones commit to the seq_file.
 */
#ifndef SOCKMAP_ROW_H
#define SOCKMAP_ROW_H

#include <linux/compiler.h>
#include <linux/math64.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "sockmap.h"

/*
 * Column widths. A field is left-aligned and padded to its width, and at
 * least one space always follows it, so a wider value shifts the rest of
 * its row but never merges two fields.
 */
enum sockmap_column {
	COL_PID, COL_COMM, COL_FD, COL_INODE, COL_SOCK, COL_NETNS, COL_FAMILY,
	COL_TYPE, COL_PROTO, COL_STATE, COL_LOCAL, COL_REMOTE, COL_RXQ,
	COL_TXQ, COL_CWND, COL_SSTHRESH, COL_SRTT, COL_RETRANS, COL_UID,
	COL_PEER, COL_CGROUP, COL_TX_BYTES, COL_RX_BYTES, NR_COLUMNS
};

/*
 * Defined here rather than in row.c so that every file writing a field
 * pads it with a constant width, as the one row.c did.
 */
static const struct {
	const char *name;
	unsigned int width;
} sockmap_columns[NR_COLUMNS] __maybe_unused = {
	[COL_PID]	= { "PID",	7 },
	[COL_COMM]	= { "COMM",	15 },
	[COL_FD]	= { "FD",	4 },
	[COL_INODE]	= { "INODE",	9 },
	[COL_SOCK]	= { "SOCK",	16 },
	[COL_NETNS]	= { "NETNS",	10 },
	[COL_FAMILY]	= { "FAMILY",	7 },
	[COL_TYPE]	= { "TYPE",	6 },
	[COL_PROTO]	= { "PROTO",	6 },
	[COL_STATE]	= { "STATE",	11 },
	[COL_LOCAL]	= { "LOCAL",	21 },
	[COL_REMOTE]	= { "REMOTE",	21 },
	[COL_RXQ]	= { "RXQ",	7 },
	[COL_TXQ]	= { "TXQ",	7 },
	[COL_CWND]	= { "CWND",	4 },
	[COL_SSTHRESH]	= { "SSTHRESH",	8 },
	[COL_SRTT]	= { "SRTT_US",	7 },
	[COL_RETRANS]	= { "RETRANS",	7 },
	[COL_UID]	= { "UID",	5 },
	[COL_PEER]	= { "PEER",	9 },
	[COL_CGROUP]	= { "CGROUP",	0 },
	[COL_TX_BYTES]	= { "TX_BYTES",	8 },
	[COL_RX_BYTES]	= { "RX_BYTES",	8 },
};

/*
 * Writing a row. sockmap_show_row() asks the seq_file once for room for
 * the longest row there can be (SOCKMAP_ROW_MAX), writes every field at a
 * plain char pointer, which the helpers below take and return, and
 * commits the row once. Under profiling (bench/results.md, and its
 * ablation table) formatting was half of a row's cost, and most of it was
 * bookkeeping: seq_putc(), seq_pad() and friends load and store the
 * seq_file's count and size for every byte or field. Here the pointer
 * stays in a register, padding and short numbers are written a 64-bit
 * word at a time, and nothing but the row is stored. Without the room,
 * the buffer is marked overflowed (count == size) and seq_read_iter()
 * retries the row in an emptied buffer, so the output is the same.
 */

/* The longest number: U64_MAX, or S64_MIN with its sign. */
#define SOCKMAP_NUMBER_MAX	20

/*
 * The longest %pK: 16 hex digits, "(____ptrval____)" or "pK-error". An
 * address in hex has one digit per 4 bits, and %pK pads it with zeros.
 */
#define SOCKMAP_POINTER_MAX	16
#define SOCKMAP_POINTER_DIGITS	(2 * sizeof(void *))

/*
 * The longest row: every column counted as a number or as its padded
 * width (at most 21), with its separator; on top of that the longest
 * command name and two UNIX names (LOCAL and REMOTE); and 8 bytes that a
 * word store of padding may write past the last column.
 */
#define SOCKMAP_ROW_MAX	(NR_COLUMNS * (SOCKMAP_NUMBER_MAX + 2) + \
			 SOCKMAP_COMM_ESCAPED_LEN + \
			 2 * SOCKMAP_UNIX_NAME_MAX + 8)

#define SOCKMAP_SPACES	0x2020202020202020ULL

/* @width bytes of spaces at @p, a word at a time: may write 7 more. */
static __always_inline void row_spaces(char *p, unsigned int width)
{
	unsigned int i;

	for (i = 0; i < width; i += 8)
		put_unaligned_le64(SOCKMAP_SPACES, p + i);
}

/*
 * Open column @col at @p: its padding is written first, and the field
 * over it; col_close() then moves past whichever is longer.
 */
static __always_inline char *col_open(char *p, enum sockmap_column col)
{
	row_spaces(p, sockmap_columns[col].width);
	return p;
}

/* Close the column opened at @start: pad it, then separate or end. */
static __always_inline char *col_close(char *p, char *start,
				       enum sockmap_column col)
{
	if (p < start + sockmap_columns[col].width)
		p = start + sockmap_columns[col].width;
	*p++ = col == NR_COLUMNS - 1 ? '\n' : ' ';
	return p;
}

/*
 * sockmap_fmt_printf - at most @max bytes from a printf format, for the
 * fields only vsnprintf() can write (%pK) or that are rare; returns the
 * end. module/field.c.
 */
__printf(3, 4) char *sockmap_fmt_printf(char *p, size_t max,
					const char *fmt, ...);

/*
 * sockmap_fmt_kptr - @ptr as %pK prints it to a reader for whom
 * sockmap_kptr_mode() answered @mode; returns the end. module/field.c.
 */
char *sockmap_fmt_kptr(char *p, const void *ptr, enum sockmap_kptr mode);

/* A NUL-terminated string; the names are short, so byte by byte. */
static __always_inline char *row_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/* The 8 decimal digits of @v < 10^8, with leading zeros, in one store. */
static __always_inline char *row_8digits(char *p, u32 v)
{
	u64 w = 0;
	int i;

	for (i = 0; i < 8; i++) {
		w = (w << 8) | ('0' + v % 10);
		v /= 10;
	}
	put_unaligned_le64(w, p);
	return p + 8;
}

/*
 * An unsigned number in decimal, as seq_put_decimal_ull() prints it. Most
 * are below 10^8 (one store); inode and namespace numbers below 10^16 take
 * two; the rest, which no row has in practice, a digit at a time.
 */
static __always_inline char *row_ull(char *p, unsigned long long v)
{
	char digits[SOCKMAP_NUMBER_MAX], *d;

	if (likely(v < 100000000))
		return sockmap_fmt_small(p, v);
	if (v < 10000000000000000ULL) {
		p = sockmap_fmt_small(p, div_u64(v, 100000000));
		return row_8digits(p, do_div(v, 100000000));
	}
	d = digits + sizeof(digits);
	do {
		*--d = '0' + do_div(v, 10);
	} while (v);
	while (d < digits + sizeof(digits))
		*p++ = *d++;
	return p;
}

static __always_inline char *row_ll(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		return row_ull(p, -(unsigned long long)v);
	}
	return row_ull(p, v);
}

/* Whole columns: open, field, close. */
static __always_inline char *col_str(char *p, enum sockmap_column col,
				     const char *s)
{
	char *start = col_open(p, col);

	return col_close(row_str(start, s), start, col);
}

static __always_inline char *col_ull(char *p, enum sockmap_column col,
				     unsigned long long v)
{
	char *start = col_open(p, col);

	return col_close(row_ull(start, v), start, col);
}

static inline char *col_ll(char *p, enum sockmap_column col, long long v)
{
	char *start = col_open(p, col);

	return col_close(row_ll(start, v), start, col);
}

/* A "-" in every column from @first to @last. */
static inline char *col_none(char *p, enum sockmap_column first,
			     enum sockmap_column last)
{
	enum sockmap_column col;

	for (col = first; col <= last; col++)
		p = col_str(p, col, "-");
	return p;
}

/* An inode number, or "-" for 0 (no such socket). */
static inline char *col_ino(char *p, enum sockmap_column col,
			    unsigned long ino)
{
	return ino ? col_ull(p, col, ino) : col_str(p, col, "-");
}

struct file;
struct seq_file;
struct sock;
struct socket;
struct sockaddr_storage;

/*
 * What a row says, column by column. Each writes its columns at @p and
 * returns the end; the caller holds a reference to the socket's file,
 * which keeps @sk alive, and no lock.
 *
 * module/socket.c - INODE .. PEER of the socket behind @file, its SOCK as
 * @kptr says.
 */
char *sockmap_fmt_socket(struct seq_file *m, char *p, struct file *file,
			 enum sockmap_kptr kptr);

/* module/inet.c - STATE .. RETRANS of INET and INET6; PEER in *@peer_ino. */
char *sockmap_fmt_inet(char *p, struct sock *sk, unsigned long *peer_ino);

/* module/tcp.c - RXQ and TXQ, and CWND .. RETRANS, of a TCP socket. */
char *sockmap_fmt_tcp_queues(char *p, struct sock *sk, int state);
char *sockmap_fmt_tcp_stats(char *p, struct sock *sk);

/*
 * module/socket.c - TX_BYTES and RX_BYTES of the socket behind @file,
 * ending the row.
 */
char *sockmap_fmt_traffic(char *p, struct file *file);

/* module/inet.c - TX_BYTES and RX_BYTES of INET and INET6. */
char *sockmap_fmt_inet_bytes(char *p, struct sock *sk);

/* module/tcp.c - TX_BYTES and RX_BYTES of a TCP socket. */
char *sockmap_fmt_tcp_bytes(char *p, struct sock *sk);

/*
 * A socket that no file holds (module/netwalk.c), which the caller holds
 * a reference to: module/socket.c - INODE .. PEER, and TX_BYTES and
 * RX_BYTES ending the row; module/inet.c - STATE .. RETRANS of a
 * TIME_WAIT or request socket, which is no full struct sock, and the
 * owner of a request socket.
 */
char *sockmap_fmt_sock(struct seq_file *m, char *p, struct sock *sk,
		       enum sockmap_kptr kptr);
char *sockmap_fmt_sock_traffic(char *p, struct sock *sk);
char *sockmap_fmt_inet_mini(char *p, struct sock *sk);
kuid_t sockmap_inet_req_uid(struct sock *sk);

/* module/unix.c - STATE .. RETRANS of a UNIX socket; PEER in *@peer_ino. */
char *sockmap_fmt_unix(char *p, struct sock *sk, unsigned long *peer_ino);

/*
 * module/sockname.c - netlink and packet sockets, which only
 * getsockname() describes.
 */
bool sockmap_wants_sockname(const struct sock *sk);
void sockmap_getsockname(struct socket *sock, struct sockaddr_storage *ss);
char *sockmap_fmt_other(char *p, struct sock *sk,
			const struct sockaddr_storage *ss);

#endif /* SOCKMAP_ROW_H */
