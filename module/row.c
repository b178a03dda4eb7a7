// SPDX-License-Identifier: GPL-2.0
/*
 * row.c - a row of /proc/sockmap committed to the seq_file: room for it in
 * the seq_file's buffer, the header, and a row's PID, COMM, FD and CGROUP
 * around the columns of its socket (socket.c). The columns and the
 * helpers that write a field are in sockmap_row.h and field.c.
 */

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "sockmap.h"
#include "sockmap_compat.h"
#include "sockmap_row.h"

/*
 * sockmap_row_begin - room for a whole row with @extra more bytes (a
 * CGROUP path) at the end of @m's buffer, or NULL when there is not: the
 * buffer is then marked overflowed, and seq_read_iter() shows the row
 * again in an emptied buffer (a larger one, if an empty one was too small).
 */
static char *sockmap_row_begin(struct seq_file *m, size_t extra)
{
	char *start;

	if (seq_get_buf(m, &start) < SOCKMAP_ROW_MAX + extra) {
		seq_commit(m, -1);
		return NULL;
	}
	return start;
}

/* Commit the row written from @start to @end. */
static void sockmap_row_end(struct seq_file *m, char *start, char *end)
{
	seq_commit(m, end - start);
}

void sockmap_show_header(struct seq_file *m)
{
	char *start = sockmap_row_begin(m, 0), *p = start;
	enum sockmap_column col;

	if (!start)
		return;
	for (col = 0; col < NR_COLUMNS; col++)
		p = col_str(p, col, sockmap_columns[col].name);
	sockmap_row_end(m, start, p);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_show_header);

/*
 * sockmap_show_socket - columns INODE .. PEER for @file, which must be a
 * socket, ended by a newline, as the current task may see them. The
 * caller holds a reference to @file.
 */
void sockmap_show_socket(struct seq_file *m, struct file *file)
{
	char *start = sockmap_row_begin(m, 0), *end;

	if (!start)
		return;
	end = sockmap_fmt_socket(m, start, file, sockmap_kptr_mode());
	end[-1] = '\n';	/* instead of the separator before CGROUP */
	sockmap_row_end(m, start, end);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_show_socket);

/*
 * sockmap_show_row - a whole row: the task's PID and escaped COMM, the FD,
 * the socket behind it (its SOCK as @kptr says), the task's escaped
 * CGROUP path (@cgroup_len bytes, already escaped), and the socket's
 * byte counters. The caller holds a reference to @file.
 */
void sockmap_show_row(struct seq_file *m, int pid, const char *comm,
		      unsigned int fd, struct file *file, const char *cgroup,
		      unsigned int cgroup_len, enum sockmap_kptr kptr)
{
	char *start = sockmap_row_begin(m, cgroup_len), *p = start;

	if (!start)
		return;
	p = col_ull(p, COL_PID, pid);
	p = col_str(p, COL_COMM, comm);
	p = col_ull(p, COL_FD, fd);
	p = sockmap_fmt_socket(m, p, file, kptr);
	memcpy(p, cgroup, cgroup_len);
	p += cgroup_len;
	*p++ = ' ';
	p = sockmap_fmt_traffic(p, file);
	sockmap_row_end(m, start, p);
}

/*
 * sockmap_show_holderless - a whole row for @sk, a socket that no file
 * holds: no PID, COMM or FD, the socket's columns as /proc/net shows it
 * (SOCK as @kptr says), the escaped CGROUP path of the socket itself
 * (@cgroup_len bytes, or "-"), and its byte counters. The caller holds a
 * reference to @sk.
 */
void sockmap_show_holderless(struct seq_file *m, struct sock *sk,
			     const char *cgroup, unsigned int cgroup_len,
			     enum sockmap_kptr kptr)
{
	char *start = sockmap_row_begin(m, cgroup_len), *p = start;

	if (!start)
		return;
	p = col_str(p, COL_PID, "-");
	p = col_str(p, COL_COMM, "-");
	p = col_str(p, COL_FD, "-");
	p = sockmap_fmt_sock(m, p, sk, kptr);
	memcpy(p, cgroup, cgroup_len);
	p += cgroup_len;
	*p++ = ' ';
	p = sockmap_fmt_sock_traffic(p, sk);
	sockmap_row_end(m, start, p);
}
