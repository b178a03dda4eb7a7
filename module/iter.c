// SPDX-License-Identifier: GPL-2.0
/*
 * iter.c - the seq_file walk over every (task, fd) whose file is a socket.
 *
 * The resume point is a (tid, fd) cursor in the iterator's private state,
 * as in kernel/bpf/task_iter.c: after each buffer fill, ->start() finds the
 * task at or after the cursor's tid with find_ge_pid() and the file at or
 * after its fd, so a read that resumes never rescans from the beginning and
 * the whole walk is linear in the number of tasks and fds.
 *
 * A task's sockets are taken from its fd table a batch at a time, under one
 * task_lock() and one files->file_lock for up to SOCKMAP_BATCH sockets,
 * rather than one lock round trip per fd (bench/results.md).
 *
 * References: between ->start()/->next() and the following ->next()/->stop()
 * the iterator holds one reference to the current task and one to each file
 * of the current batch that ->show() has not finished with. Nothing else is
 * held across calls, and ->show() runs with no lock held, so it may sleep.
 */

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <kunit/visibility.h>

#include "sockmap.h"

struct sockmap_iter {
	const struct file *reader;	/* whose credentials decide visibility */
	struct pid_namespace *ns;	/* PIDs are numbered as in this namespace */

	/* The cursor: the row most recently handed to ->show(). */
	int tid;
	unsigned int fd;

	/* Held between calls: see the comment at the top of this file. */
	struct task_struct *task;
	struct {
		unsigned int fd;
		struct file *file;
	} batch[SOCKMAP_BATCH];
	unsigned int pos;	/* batch[pos] is the current row's */
	unsigned int len;	/* batch[pos..len) hold references */

	/* The first fd slot of @task not yet looked at, and whether any is left. */
	unsigned int scan_fd;
	bool scan_done;

	/* Facts about @task, read once per task rather than once per row. */
	char comm[SOCKMAP_COMM_ESCAPED_LEN];
};

/*
 * sockmap_repeats_a_table - whether @task's fd table is shown under another
 * task of its thread group. Threads normally share their group leader's
 * table and are skipped; a thread that unshared it (unshare(CLONE_FILES))
 * gets rows of its own. When the leader has exited (exit_files() left it
 * without a table) while its threads live on, the table they share is shown
 * once, under the first of them. Called under RCU, which keeps the thread
 * list walkable; only pointers are compared, so no lock is needed.
 */
static bool sockmap_repeats_a_table(struct task_struct *task)
{
	struct files_struct *files = READ_ONCE(task->files);
	struct files_struct *leader_files;
	struct task_struct *t;

	if (thread_group_leader(task))
		return false;
	leader_files = READ_ONCE(task->group_leader->files);
	if (files == leader_files)
		return true;
	if (leader_files)
		return false;
	for_each_thread(task, t) {
		if (t == task)
			return false;
		if (READ_ONCE(t->files) == files)
			return true;
	}
	return false;
}

/*
 * sockmap_find_task - the first task whose number in it->ns is at least
 * it->tid and that has a table of its own; moves it->tid to its number
 * (and it->fd to 0 when that moved the cursor to another task).
 * A non-NULL return holds a reference to the task; NULL holds none.
 */
static struct task_struct *sockmap_find_task(struct sockmap_iter *it)
{
	struct task_struct *task;
	struct pid *pid;
	int nr;

	rcu_read_lock();
	for (;; it->tid++, it->fd = 0) {
		pid = find_ge_pid(it->tid, it->ns);
		if (!pid) {
			task = NULL;
			break;
		}
		nr = pid_nr_ns(pid, it->ns);
		if (nr != it->tid) {
			it->tid = nr;
			it->fd = 0;
		}
		task = pid_task(pid, PIDTYPE_PID);
		if (task && !sockmap_repeats_a_table(task)) {
			get_task_struct(task);
			break;
		}
	}
	rcu_read_unlock();
	return task;
}

/*
 * sockmap_grab_task - make it->task the first task at or after the cursor
 * whose fds the reader may see, and cache its command name.
 * Returns true holding a reference to it->task; false holds none.
 */
static bool sockmap_grab_task(struct sockmap_iter *it)
{
	char comm[TASK_COMM_LEN];
	struct task_struct *task;
	int len;

	for (;; it->tid++, it->fd = 0) {
		/* A reader who may see few of many tasks must not hog the CPU. */
		cond_resched();
		task = sockmap_find_task(it);
		if (!task)
			return false;
		if (sockmap_may_see(it->reader, task))
			break;
		put_task_struct(task);
	}

	get_task_comm(comm, task);
	len = string_escape_str(comm, it->comm, sizeof(it->comm) - 1,
				ESCAPE_OCTAL, SOCKMAP_ESCAPE);
	it->comm[min_t(int, len, sizeof(it->comm) - 1)] = '\0';
	it->task = task;
	it->pos = 0;
	it->len = 0;
	it->scan_fd = it->fd;
	it->scan_done = false;
	return true;
}

/*
 * sockmap_take_sockets - fill it->batch with it->task's sockets at fd
 * it->scan_fd and above: at most SOCKMAP_BATCH of them, from at most
 * SOCKMAP_SCAN_SLOTS fd slots, so that the locks are held briefly however
 * large the table. Moves it->scan_fd past the slots looked at.
 *
 * Locking and references, as fs/proc/fd.c's seq_show(): task_lock() keeps
 * task->files from being released or replaced, and files->file_lock keeps
 * every file in the table alive (the table holds a reference to each), so
 * get_file() may take a reference to it. Each socket in the batch leaves
 * with one; sockmap_next_row() and sockmap_drop_sockets() drop them.
 * Other files are only looked at.
 */
static void sockmap_take_sockets(struct sockmap_iter *it)
{
	unsigned int fd = it->scan_fd, end;
	struct files_struct *files;
	struct file *file;

	it->pos = 0;
	it->len = 0;
	task_lock(it->task);
	files = it->task->files;
	if (!files) {
		/* Exited: exit_files() has let go of the table. */
		task_unlock(it->task);
		it->scan_done = true;
		return;
	}
	spin_lock(&files->file_lock);
	end = files_fdtable(files)->max_fds;
	if (fd < end)
		end = min(end, fd + SOCKMAP_SCAN_SLOTS);
	for (; fd < end && it->len < SOCKMAP_BATCH; fd++) {
		file = files_lookup_fd_locked(files, fd);
		if (!file || !sock_from_file(file))
			continue;
		it->batch[it->len].fd = fd;
		it->batch[it->len].file = get_file(file);
		it->len++;
	}
	it->scan_done = fd >= files_fdtable(files)->max_fds;
	spin_unlock(&files->file_lock);
	task_unlock(it->task);
	it->scan_fd = fd;
}

/*
 * sockmap_drop_sockets - drop the references to the files of the batch
 * that have not been shown (including the current row's). Safe to repeat.
 */
static void sockmap_drop_sockets(struct sockmap_iter *it)
{
	while (it->pos < it->len)
		fput(it->batch[it->pos++].file);
}

/*
 * sockmap_drop_task - drop the batch and the reference to the task that
 * sockmap_grab_task() took.
 */
static void sockmap_drop_task(struct sockmap_iter *it)
{
	sockmap_drop_sockets(it);
	put_task_struct(it->task);
	it->task = NULL;
}

/*
 * sockmap_next_socket - make the current row the first socket of it->task
 * at fd it->fd or above, taking another batch when this one is used up;
 * moves it->fd to its fd. Returns false when the task has no more: the
 * batch is then empty and holds nothing.
 */
static bool sockmap_next_socket(struct sockmap_iter *it)
{
	while (it->pos == it->len) {
		if (it->scan_done)
			return false;
		/* A table of many files and few sockets takes many batches. */
		cond_resched();
		sockmap_take_sockets(it);
	}
	it->fd = it->batch[it->pos].fd;
	return true;
}

/* The file of the current row; the batch holds a reference to it. */
static struct file *sockmap_row_file(const struct sockmap_iter *it)
{
	return it->batch[it->pos].file;
}

/*
 * sockmap_get_next - move to the first row at or after the cursor.
 * A non-NULL return holds references to it->task and to the current row's
 * file (with the rest of its batch); NULL holds none.
 */
static struct sockmap_iter *sockmap_get_next(struct sockmap_iter *it)
{
	for (;;) {
		if (!it->task && !sockmap_grab_task(it))
			return NULL;
		if (sockmap_next_socket(it))
			return it;
		sockmap_drop_task(it);
		it->tid++;
		it->fd = 0;
	}
}

/*
 * sockmap_put_row - drop what sockmap_get_next() took; safe to repeat.
 * The cursor stays on the current row, so the next ->start() takes a new
 * batch from its fd on: the files of the old one may have been closed.
 */
static void sockmap_put_row(struct sockmap_iter *it)
{
	if (it->task)
		sockmap_drop_task(it);
}

static void *sockmap_seq_start(struct seq_file *m, loff_t *pos)
{
	struct sockmap_iter *it = m->private;

	/* Position 0 is the header, and a read from it starts over. */
	if (*pos == 0) {
		it->tid = 0;
		it->fd = 0;
		return SEQ_START_TOKEN;
	}
	/* Otherwise resume at the cursor: the row that did not fit last time. */
	return sockmap_get_next(it);
}

static void *sockmap_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct sockmap_iter *it = m->private;

	++*pos;
	if (v != SEQ_START_TOKEN) {
		/* Keep the task and the batch: the next row is likely in it. */
		fput(sockmap_row_file(it));
		it->pos++;
		it->fd++;
	}
	return sockmap_get_next(it);
}

static void sockmap_seq_stop(struct seq_file *m, void *v)
{
	sockmap_put_row(m->private);
}

static int sockmap_seq_show(struct seq_file *m, void *v)
{
	struct sockmap_iter *it = v;

	if (v == SEQ_START_TOKEN)
		sockmap_show_header(m);
	else
		sockmap_show_row(m, it->tid, it->comm, it->fd,
				 sockmap_row_file(it));
	return 0;
}

static const struct seq_operations sockmap_seq_ops = {
	.start	= sockmap_seq_start,
	.next	= sockmap_seq_next,
	.stop	= sockmap_seq_stop,
	.show	= sockmap_seq_show,
};

/*
 * The seq_file buffer. seq_read_iter() would allocate one page on the first
 * read, and one read() fills at most one buffer: with 4 KiB, every 20 rows
 * would cost a ->stop() and ->start() (a fresh task lookup), a row
 * formatted twice (the one that no longer fit) and, for cat's sendfile(),
 * a pipe's worth of freshly zeroed pages. 64 KiB is what a pipe holds.
 * Allocated at open as single_open_size() does; without it, seq_file falls
 * back to its page.
 */
#define SOCKMAP_SEQ_BUF_SIZE	(64 * 1024)

/*
 * sockmap_iter_open - set up the walk on @file, an open of /proc/sockmap
 * (or, in the KUnit suite, a file standing in for it). Takes a reference
 * to @ns, which sockmap_iter_release() drops. Visibility is judged on
 * @file's credentials, those of the opener, for as long as it is open.
 */
int sockmap_iter_open(struct file *file, struct pid_namespace *ns)
{
	struct sockmap_iter *it;
	struct seq_file *m;

	it = __seq_open_private(file, &sockmap_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	m = file->private_data;
	m->buf = kvmalloc(SOCKMAP_SEQ_BUF_SIZE, GFP_KERNEL_ACCOUNT);
	if (m->buf)
		m->size = SOCKMAP_SEQ_BUF_SIZE;
	it->reader = file;
	it->ns = get_pid_ns(ns);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_iter_open);

int sockmap_iter_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct sockmap_iter *it = m->private;

	put_pid_ns(it->ns);
	return seq_release_private(inode, file);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_iter_release);
