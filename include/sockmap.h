/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockmap: the interfaces between the files in module/, also used by the
 * KUnit suite in kunit/. Nothing here is an ABI; /proc/sockmap is.
 */
#ifndef SOCKMAP_H
#define SOCKMAP_H

#include <linux/path.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/un.h>
#include <linux/xarray.h>

/*
 * module/iter.c takes a task's sockets from its fd table in batches: up to
 * SOCKMAP_BATCH sockets from up to SOCKMAP_SCAN_SLOTS fd slots per lock.
 * Whether the reader may see the task is asked of procfs once per batch, a
 * path walk: a batch holds as many sockets as a process of an ordinary
 * system has, so that asking per batch costs about what asking once per
 * task and read did.
 */
#define SOCKMAP_BATCH		128
#define SOCKMAP_SCAN_SLOTS	256

/*
 * An escaped command name: up to four bytes per character ("-" for none,
 * see sockmap_fmt_name()), and a NUL.
 */
#define SOCKMAP_COMM_ESCAPED_LEN (4 * (TASK_COMM_LEN - 1) + 1)

struct cred;
struct file;
struct in6_addr;
struct sock;
struct task_struct;

/*
 * module/names.c - symbolic names for numbers the kernel keeps in struct
 * sock. Each *_name() returns NULL when the value has no name; the
 * sockmap_fmt_*() fields, which rows print, then write the number instead,
 * so a field is never empty. They write at @p, as the address fields below
 * do, and return the end.
 */
const char *sockmap_family_name(int family);
const char *sockmap_type_name(int type);
const char *sockmap_proto_name(int family, int protocol);
const char *sockmap_tcp_state_name(int state);
char *sockmap_fmt_family(char *p, int family);
char *sockmap_fmt_type(char *p, int type);
char *sockmap_fmt_proto(char *p, int family, int protocol);
char *sockmap_fmt_tcp_state(char *p, int state);

/*
 * sockmap_fmt_small - @v < 10^8 in decimal at @p, in one word store;
 * returns the end of the digits. They are shifted in at the bottom of a
 * word of spaces, most significant first in memory (the word is stored
 * little-endian), so @p must have room for 8 bytes; the spaces after the
 * digits are overwritten by what follows or are the field's padding.
 * Numbers are on every row (sockmap_row.h), and so are ports (addr.c).
 */
static inline char *sockmap_fmt_small(char *p, u32 v)
{
	u64 w = 0x2020202020202020ULL;
	unsigned int len = 0;

	do {
		w = (w << 8) | ('0' + v % 10);
		v /= 10;
		len++;
	} while (v);
	put_unaligned_le64(w, p);
	return p + len;
}

/*
 * module/addr.c (addresses) and module/names.c (names) - address and name
 * fields. None of them ever writes whitespace or an empty field. The
 * sockmap_fmt_*() ones write at @p, which must have room for the longest
 * such field, and return the end: at most 53 bytes for an INET or INET6
 * address, SOCKMAP_UNIX_NAME_MAX for a UNIX name (every byte of sun_path
 * escaped as \ooo), 4 * @len for a name.
 *
 * Names (COMM, UNIX names, interface names) come from users and may hold
 * any byte. Every byte that is not printable ASCII - controls, space,
 * DEL, every byte of a UTF-8 sequence - and the backslash are written as
 * a three-digit octal escape (\040), so that a row splits into the same
 * fields under any whitespace rule (C, Python, Go, Rust) and nothing
 * reaches a terminal but printable ASCII. "-" stands for "none"; a name
 * that is "-" itself is written \055, and an empty one "-".
 */
#define SOCKMAP_UNIX_NAME_MAX	(4 * UNIX_PATH_MAX)
char *sockmap_fmt_name(char *p, const char *s, size_t len);
char *sockmap_fmt_inet4(char *p, __be32 addr, __be16 port);
char *sockmap_fmt_inet6(char *p, const struct in6_addr *addr, __be16 port);
char *sockmap_fmt_unix_path(char *p, const char *sun_path, int len);

/*
 * module/field.c - what SOCK shows this reader. It is printed as %pK prints
 * it, as /proc/net/tcp does, and %pK's answer depends only on
 * kptr_restrict and on the reader's credentials. Neither changes during
 * one read(): a task's credentials change only by its own commit_creds(),
 * and a kptr_restrict written meanwhile applies from the next read(), as
 * if this one had started a moment earlier. So sockmap_kptr_mode() asks
 * vsnprintf() once per read() (iter.c's ->start()), and the rows replay
 * the answer: the address itself, zeros, or, when %pK hashes
 * (kptr_restrict=0) or says anything else, %pK again for each row.
 * Asking vsnprintf() for every row was a third of a row's cost
 * (bench/results.md, step 9).
 */
enum sockmap_kptr {
	SOCKMAP_KPTR_PRINTF,	/* ask %pK for each pointer */
	SOCKMAP_KPTR_RAW,	/* %pK shows this reader addresses as they are */
	SOCKMAP_KPTR_ZERO,	/* %pK shows this reader zeros */
};

enum sockmap_kptr sockmap_kptr_mode(void);

/*
 * module/row.c - one row of /proc/sockmap: the task's PID, escaped COMM and
 * escaped CGROUP (@cgroup_len bytes), the FD and the socket behind it
 * (module/socket.c and the files it hands each family to; the columns and
 * the field writer are in sockmap_row.h), its SOCK as @kptr says.
 */
void sockmap_show_header(struct seq_file *m);
void sockmap_show_row(struct seq_file *m, int pid, const char *comm,
		      unsigned int fd, struct file *file, const char *cgroup,
		      unsigned int cgroup_len, enum sockmap_kptr kptr);
void sockmap_show_socket(struct seq_file *m, struct file *file);
void sockmap_show_holderless(struct seq_file *m, struct sock *sk,
			     const char *cgroup, unsigned int cgroup_len,
			     enum sockmap_kptr kptr);

/*
 * module/cgroup.c - the cgroup v2 path of a task, as /proc/PID/cgroup shows
 * it; escaped, at most SOCKMAP_CGROUP_ESCAPED_MAX bytes. Without
 * CONFIG_CGROUPS a task has no cgroup (NULL) and no path (-EOPNOTSUPP).
 */
struct cgroup;
struct cgroup_namespace;
#define SOCKMAP_CGROUP_ESCAPED_MAX	(4 * PATH_MAX)
struct cgroup *sockmap_task_cgroup_get(struct task_struct *task);
struct cgroup *sockmap_sock_cgroup_get(struct sock *sk);
void sockmap_cgroup_put(struct cgroup *cgrp);
bool sockmap_cgroup_is_dead(struct cgroup *cgrp);
int sockmap_cgroup_path(struct cgroup *cgrp, struct cgroup_namespace *ns,
			char *buf, size_t size);

/* module/peer.c - the socket at the other end of a local connection. */
unsigned long sockmap_sock_ino(struct sock *sk);
unsigned long sockmap_tcp_peer_ino(struct sock *sk, int state);

/*
 * module/access.c - who may see which task's rows: whoever reads through
 * the procfs instance whose root is @proc_root, with the credentials
 * @cred of the opener. The open file keeps both alive. @ns_path is a
 * reference that sockmap_may_see() may leave, for the next check to
 * reuse; sockmap_reader_put() drops it.
 */
struct sockmap_reader {
	const struct cred *cred;
	struct path proc_root;
	struct path ns_path;
	int err;	/* why procfs gave no answer; the read fails with it */
};

bool sockmap_may_see(struct sockmap_reader *r, struct task_struct *task,
		     int tid);
void sockmap_reader_put(struct sockmap_reader *r);

bool sockmap_may_see_net(struct sockmap_reader *r, struct task_struct *task,
			 int tid);

/*
 * module/netwalk.c - the sockets that /proc/net's inet files list and no
 * file holds (TIME_WAIT, request sockets, a listener's children not yet
 * accepted, orphans, the kernel's own sockets), shown after the rows of
 * the fd tables. Which network namespaces: the opener's, and that of
 * every task whose /proc/TID/net procfs lets the opener read (@seen,
 * noted during the walk of the tasks). What outlives a read holds no
 * reference but @own: @seen's witnesses are task numbers, asked again at
 * each read, and the cursor is a position.
 */
struct net;
struct sock;
struct pid_namespace;

struct sockmap_netwalk {
	struct net *own;	/* the opener's, held while the file is open */
	struct xarray seen;	/* namespace inode -> xa_mk_value(witness tid) */

	/* The cursor: the table, whose, the bucket, the place in it. */
	unsigned int kind;
	unsigned int owner;
	unsigned int bucket;
	unsigned int offset;

	/* For one read: the namespaces seen, held, by inode; the batch. */
	struct net **nets;
	unsigned int nr_nets;
	struct sockmap_netslot {
		struct sock *sk;
		unsigned int offset;	/* its place in its bucket */
	} *batch;
	unsigned int batch_bucket;
	unsigned int pos;	/* batch[pos] is the current row's */
	unsigned int len;	/* batch[pos..len) hold references */
};

void sockmap_netwalk_open(struct sockmap_netwalk *w);
void sockmap_netwalk_release(struct sockmap_netwalk *w);
int sockmap_netwalk_rewind(struct sockmap_netwalk *w);
int sockmap_netwalk_note(struct sockmap_netwalk *w, struct sockmap_reader *r,
			 struct task_struct *task, int tid);
int sockmap_netwalk_start(struct sockmap_netwalk *w, struct sockmap_reader *r,
			  struct pid_namespace *ns);
struct sock *sockmap_netwalk_next(struct sockmap_netwalk *w);
void sockmap_netwalk_shown(struct sockmap_netwalk *w);
void sockmap_netwalk_stop(struct sockmap_netwalk *w);
int sockmap_walk_must_end(void);

/*
 * module/iter.c - the seq_file walk over (task, fd). One read() fills at
 * most SOCKMAP_SEQ_BUF_MAX bytes of rows.
 */
#define SOCKMAP_SEQ_BUF_MAX	(64 * 1024)
struct kiocb;
struct iov_iter;
int sockmap_iter_open(struct file *file, const struct path *proc_root);
ssize_t sockmap_iter_read(struct kiocb *iocb, struct iov_iter *to);
int sockmap_iter_release(struct inode *inode, struct file *file);
void sockmap_iter_end_all(void);
#if IS_ENABLED(CONFIG_KUNIT)
bool sockmap_iter_may_see(struct sockmap_reader *r, struct task_struct *task,
			  int tid);
#endif

#if IS_ENABLED(CONFIG_SOCKMAP_KUNIT_TEST)
/*
 * What one sockmap_take_sockets() call did with a task's fd table, from
 * slot @scan_fd on (in and out): @scan_done when no slot is left, and
 * @len sockets taken, each a reference for the caller to fput().
 */
struct sockmap_take {
	unsigned int scan_fd;
	bool scan_done;
	unsigned int len;
	unsigned int fd[SOCKMAP_BATCH];
	struct file *file[SOCKMAP_BATCH];
};

int sockmap_take_sockets_kunit(struct task_struct *task,
			       struct sockmap_take *take);
int sockmap_proc_lookup(const struct sockmap_reader *r, const char *name,
			struct path *path);
#endif

#endif /* SOCKMAP_H */
