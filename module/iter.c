// SPDX-License-Identifier: GPL-2.0
/*
 * iter.c - the seq_file walk over every (task, fd) whose file is a socket,
 * then over the sockets that no file holds (module/netwalk.c).
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
 * of the current batch that ->show() has not finished with (past the last
 * task: one to each socket of the netwalk's batch, and to the namespace
 * whose own table it is in); and, as caches, one to the cgroup whose path
 * it holds (it->cgroup_of) and one to the last nsfs path procfs led it to
 * (module/access.c). ->stop() drops them all: nothing is held from
 * ->stop() to the next ->start(), and ->show() runs with no lock held, so
 * it may sleep. What outlives a ->stop() holds no reference: the cursors,
 * the shared fd tables shown so far in this pass over the output
 * (it->shown), by address, checked against a task that still holds each
 * before it is trusted, and the network namespaces noted, by number and
 * cookie. The file holds the opener's namespace while it is open.
 *
 * A read costs O(tasks + open fds + rows, and the sockets and buckets of
 * the socket tables), whatever the layout and the
 * read size: each task is visited once per pass (and the current one again
 * at each ->start()), each fd table is walked once however many tasks
 * share it, only over its open fds, and every loop leaves the CPU
 * (cond_resched()) at bounded intervals and ends the read when the reader
 * has been sent SIGKILL or sockmap is being unloaded
 * (sockmap_walk_must_end()).
 */

#include <linux/bitops.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/cgroup.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "sockmap.h"

/*
 * A shared fd table that this pass has shown (see sockmap_shows_table()):
 * @files, compared, never read, and the number of the task it was shown
 * under.
 */
struct sockmap_shown {
	const struct files_struct *files;
	int tid;
};

struct sockmap_iter {
	struct sockmap_reader reader;	/* who may see what */
	struct pid_namespace *ns;	/* PIDs are numbered as in this namespace */

	/* What %pK shows the reader: asked at each ->start(), see field.c. */
	enum sockmap_kptr kptr;

	/*
	 * The cursor: the row most recently handed to ->show(), and when its
	 * task started, which tells it from a later task given the same tid.
	 */
	int tid;
	unsigned int fd;
	u64 start_time;

	/*
	 * Held between calls: see the comment at the top of this file. The
	 * batch (SOCKMAP_BATCH entries) is allocated at ->start() and freed
	 * at ->stop(), so that a file between reads does not keep it.
	 */
	struct task_struct *task;
	struct sockmap_slot {
		unsigned int fd;
		struct file *file;
	} *batch;
	unsigned int pos;	/* batch[pos] is the current row's */
	unsigned int len;	/* batch[pos..len) hold references */

	/* The first fd slot of @task not yet looked at, and whether any is left. */
	unsigned int scan_fd;
	bool scan_done;

	/*
	 * Whether the reader may see @task, asked just before the next batch
	 * is taken (then the batch needs no other question), and whether
	 * @comm and @cgroup are @task's.
	 */
	bool asked;
	bool named;

	/* Facts about @task, read once per task rather than once per row. */
	char comm[SOCKMAP_COMM_ESCAPED_LEN];
	const char *cgroup;		/* escaped, not NUL-terminated */
	unsigned int cgroup_len;

	/*
	 * CGROUP paths are relative to the opener's cgroup namespace. The
	 * buffers live from the first task shown to ->stop().
	 */
	struct cgroup_namespace *cgroup_ns;
	char *cgroup_path;		/* PATH_MAX, for cgroup_path_ns() */
	char *cgroup_escaped;		/* SOCKMAP_CGROUP_ESCAPED_MAX */
	/*
	 * Whose path @cgroup holds, with a reference, and whether it was dead
	 * then; NULL: none (no cgroup, or not read since ->start()).
	 */
	struct cgroup *cgroup_of;
	bool cgroup_dead;

	/*
	 * The shared tables shown since the header, an open-addressing hash
	 * of @shown_cap (a power of two, or 0) slots, @shown_nr used. Kept
	 * across reads, so that which task shows a table is decided once per
	 * pass whatever the read size; freed at the end of the output.
	 */
	struct sockmap_shown *shown;
	unsigned int shown_nr;
	unsigned int shown_cap;

	/*
	 * After the last task, the sockets no file holds (netwalk.c): the
	 * cursor is then @netwalk's.
	 */
	bool in_net;
	struct sockmap_netwalk netwalk;
};

/*
 * How often sockmap_find_task() leaves its RCU read-side section to let
 * others run, in pids passed over: a process of many threads that share
 * one table is skipped thread by thread.
 */
#define SOCKMAP_FIND_BATCH	64

/* Set once, at unload: see sockmap_iter_end_all(). */
static bool sockmap_unloading;

/*
 * sockmap_iter_end_all - called at unload, before remove_proc_entry(),
 * which waits for every read running in the module. A read over many
 * tasks that shows few rows (a landlocked reader's, or one under hidepid)
 * makes a whole pass in one read(): seconds on a large or hostile host,
 * and rmmod would wait for all of it. Each running walk ends at its next
 * step instead, with the -EIO that procfs gives a read after the removal.
 */
void sockmap_iter_end_all(void)
{
	WRITE_ONCE(sockmap_unloading, true);
}

/*
 * sockmap_walk_must_end - asked between two steps of a long walk: -EINTR
 * when the reader has been sent SIGKILL, -EIO when sockmap is being
 * unloaded, 0 to go on. An error ends the read (seq_read_iter() returns
 * it unless some output was made; the next read returns it then).
 */
int sockmap_walk_must_end(void)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	if (READ_ONCE(sockmap_unloading))
		return -EIO;
	return 0;
}

/*
 * sockmap_find_task - the first task whose number in it->ns is at least
 * it->tid and that may have a table to show: threads that share their
 * group leader's table, and tasks that have none left, are passed over
 * here (the leader shows it). Moves it->tid to its number, and it->fd to 0
 * when that is another task than the cursor's: one that another number,
 * or the same number reused, names.
 * A non-NULL return holds a reference to the task; NULL holds none, and
 * an ERR_PTR() says why the walk must end (sockmap_walk_must_end()).
 */
static struct task_struct *sockmap_find_task(struct sockmap_iter *it)
{
	struct task_struct *task = NULL;
	unsigned int budget = SOCKMAP_FIND_BATCH;
	struct files_struct *files;
	struct pid *pid;
	int nr, err;

	rcu_read_lock();
	for (;; it->tid++, it->fd = 0) {
		pid = find_ge_pid(it->tid, it->ns);
		if (!pid)
			break;
		nr = pid_nr_ns(pid, it->ns);
		if (nr != it->tid) {
			it->tid = nr;
			it->fd = 0;
		}
		task = pid_task(pid, PIDTYPE_PID);
		/* Only pointers are compared: RCU keeps the tasks walkable. */
		files = task ? READ_ONCE(task->files) : NULL;
		if (files && (thread_group_leader(task) ||
			      files != READ_ONCE(task->group_leader->files))) {
			if (task->start_time != it->start_time)
				it->fd = 0;	/* the number was reused */
			it->start_time = task->start_time;
			get_task_struct(task);
			break;
		}
		task = NULL;
		if (!--budget) {
			rcu_read_unlock();
			err = sockmap_walk_must_end();
			if (err)
				return ERR_PTR(err);
			cond_resched();
			rcu_read_lock();
			budget = SOCKMAP_FIND_BATCH;
		}
	}
	rcu_read_unlock();
	return task;
}

/* The slot of @files in it->shown: where it is, or the free one to use. */
static struct sockmap_shown *sockmap_shown_slot(struct sockmap_iter *it,
						const struct files_struct *files)
{
	unsigned int mask = it->shown_cap - 1;
	unsigned int i = hash_ptr(files, ilog2(it->shown_cap));

	while (it->shown[i].files && it->shown[i].files != files)
		i = (i + 1) & mask;
	return &it->shown[i];
}

/*
 * sockmap_note_shown - note that @files is shown under it->tid. The table
 * doubles when half full; if it cannot, the note is not made, and the
 * table will be shown again under its next holder: once too often rather
 * than not at all.
 */
static void sockmap_note_shown(struct sockmap_iter *it,
			       const struct files_struct *files)
{
	struct sockmap_shown *old = it->shown, *slot;
	unsigned int i, cap = it->shown_cap;

	if (2 * (it->shown_nr + 1) > cap) {
		cap = max(2 * cap, 64U);
		it->shown = kvcalloc(cap, sizeof(*it->shown),
				     GFP_KERNEL_ACCOUNT);
		if (!it->shown) {
			it->shown = old;
			return;
		}
		swap(cap, it->shown_cap);
		for (i = 0; i < cap; i++)
			if (old[i].files)
				*sockmap_shown_slot(it, old[i].files) = old[i];
		kvfree(old);
	}
	slot = sockmap_shown_slot(it, files);
	if (!slot->files)
		it->shown_nr++;
	slot->files = files;
	slot->tid = it->tid;
}

/* sockmap_forget_shown - the pass is over, or starts again: forget it. */
static void sockmap_forget_shown(struct sockmap_iter *it)
{
	kvfree(it->shown);
	it->shown = NULL;
	it->shown_nr = 0;
	it->shown_cap = 0;
}

/*
 * sockmap_shown_before - whether @files was shown under another task
 * earlier in this pass, which still holds it. That task's holding it is
 * what tells that @files is the same table, not another one made at the
 * same address since; if it let go of it, the table is shown again (once
 * too often rather than not at all).
 */
static bool sockmap_shown_before(struct sockmap_iter *it,
				 const struct files_struct *files)
{
	struct sockmap_shown *slot;
	struct task_struct *t;
	bool held;

	if (!it->shown_cap)
		return false;
	slot = sockmap_shown_slot(it, files);
	if (!slot->files || slot->tid == it->tid)
		return false;
	rcu_read_lock();
	t = pid_task(find_pid_ns(slot->tid, it->ns), PIDTYPE_PID);
	held = t && READ_ONCE(t->files) == files;
	rcu_read_unlock();
	return held;
}

/*
 * sockmap_iter_may_see - whether the reader may see it->task now, asked
 * of procfs (module/access.c); the KUnit suite may stand in for it.
 * Sleeps; the caller holds a reference to @task and no lock.
 */
VISIBLE_IF_KUNIT bool sockmap_iter_may_see(struct sockmap_reader *r,
					   struct task_struct *task, int tid)
{
	SOCKMAP_STATIC_STUB_REDIRECT(sockmap_iter_may_see, r, task, tid);
	return sockmap_may_see(r, task, tid);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_iter_may_see);

/*
 * sockmap_shows_table - whether it->task's fd table is shown under it.
 * Every table is shown once per pass, under the first task in the walk's
 * order (the lowest number) that holds it and that the reader may see,
 * whatever the holders are to each other: threads that share their
 * leader's table are skipped (sockmap_find_task()) and the leader shows
 * it; a table that other tasks hold too - threads that unshared and
 * started more, processes made with clone(CLONE_FILES) - is noted in
 * it->shown when first shown, and its other holders skip it at the cost
 * of a lookup. So a table is walked once however many tasks share it.
 *
 * The reader is asked about a task that holds a shared table before the
 * table is noted: a holder it may not see leaves the table to the next.
 * task_lock() keeps it->task's table from being released while its
 * reference count is read. Sleeps.
 */
static bool sockmap_shows_table(struct sockmap_iter *it)
{
	struct task_struct *task = it->task;
	struct files_struct *files;
	bool alone;

	task_lock(task);
	files = task->files;
	alone = files && atomic_read(&files->count) == 1;
	task_unlock(task);
	if (!files)
		return false;
	if (alone)
		return true;
	/* Only compared from here: @files may go, its address is a key. */
	if (sockmap_shown_before(it, files) ||
	    !sockmap_iter_may_see(&it->reader, task, it->tid))
		return false;
	it->asked = true;
	sockmap_note_shown(it, files);
	return true;
}

/*
 * sockmap_grab_task - make it->task the first task at or after the cursor
 * whose table is shown under it. Whether the reader may see it is asked
 * at its first batch of sockets (sockmap_next_socket()) unless
 * sockmap_shows_table() asked: most tasks have none, and looking at their
 * tables is cheaper than asking procfs.
 * Each task's network namespace is noted on the way, for the sockets
 * that no file holds (sockmap_netwalk_note()).
 * Returns 1 holding a reference to it->task; 0, the error of
 * sockmap_walk_must_end() or the one that kept procfs from answering
 * (it->reader.err) hold none.
 */
static int sockmap_grab_task(struct sockmap_iter *it)
{
	struct task_struct *task;
	int err;

	for (;; it->tid++, it->fd = 0) {
		/* A walk over many tasks must not hog the CPU... */
		cond_resched();
		/* ...nor keep a killed reader, or rmmod. */
		err = sockmap_walk_must_end();
		if (err)
			return err;
		it->asked = false;
		task = sockmap_find_task(it);
		if (IS_ERR_OR_NULL(task))
			return PTR_ERR(task);
		it->task = task;
		err = sockmap_netwalk_note(&it->netwalk, &it->reader, task,
					   it->tid);
		if (err) {
			put_task_struct(task);
			it->task = NULL;
			return err;
		}
		if (sockmap_shows_table(it))
			break;
		put_task_struct(it->task);
		it->task = NULL;
		if (it->reader.err)	/* procfs gave no answer: fail */
			return it->reader.err;
	}
	it->pos = 0;
	it->len = 0;
	it->scan_fd = it->fd;
	it->scan_done = false;
	it->named = false;
	return 1;
}

/*
 * sockmap_read_cgroup - the path of @cgrp (it->task's, or a socket's),
 * escaped, for its rows; "-" when there is none to show (no cgroups, a
 * path too long, no memory). Takes over the caller's reference to @cgrp,
 * which may be NULL. The
 * buffers are allocated at the first task shown and freed at ->stop(), so
 * that a file between reads holds no more than /proc/net/tcp's does.
 * Most tasks are in the cgroup of the task before them: then the path
 * already made is kept, and costs a comparison (it->cgroup_of holds that
 * cgroup until ->stop(), so its address is not reused meanwhile).
 * Sleeps (cgroup_mutex).
 */
static void sockmap_read_cgroup(struct sockmap_iter *it, struct cgroup *cgrp)
{
	int len = -ENOMEM;

	if (cgrp && cgrp == it->cgroup_of &&
	    sockmap_cgroup_is_dead(cgrp) == it->cgroup_dead) {
		sockmap_cgroup_put(cgrp);
		return;
	}
	sockmap_cgroup_put(it->cgroup_of);
	it->cgroup_of = cgrp;
	it->cgroup_dead = cgrp && sockmap_cgroup_is_dead(cgrp);

	/* Each on its own: one may have been made when the other failed. */
	if (!it->cgroup_path)
		it->cgroup_path = kvmalloc(PATH_MAX, GFP_KERNEL_ACCOUNT);
	if (!it->cgroup_escaped)
		it->cgroup_escaped = kvmalloc(SOCKMAP_CGROUP_ESCAPED_MAX,
					      GFP_KERNEL_ACCOUNT);
	if (cgrp && it->cgroup_path && it->cgroup_escaped)
		len = sockmap_cgroup_path(cgrp, it->cgroup_ns, it->cgroup_path,
					  PATH_MAX);
	if (len < 0) {
		it->cgroup = "-";
		it->cgroup_len = 1;
		return;
	}
	it->cgroup = it->cgroup_escaped;
	it->cgroup_len = sockmap_fmt_name(it->cgroup_escaped, it->cgroup_path,
					  len) - it->cgroup_escaped;
}

/*
 * Drop the cgroup sockmap_read_cgroup() kept, and free its buffers; safe
 * to repeat.
 */
static void sockmap_forget_cgroup(struct sockmap_iter *it)
{
	sockmap_cgroup_put(it->cgroup_of);
	it->cgroup_of = NULL;
	kvfree(it->cgroup_path);
	it->cgroup_path = NULL;
	kvfree(it->cgroup_escaped);
	it->cgroup_escaped = NULL;
}

/*
 * sockmap_reader_sees - whether the reader may see the batch just taken
 * from it->task: asked of procfs for every batch (module/access.c), after
 * it was taken, unless it was asked just before; so a task that becomes
 * hidden (not dumpable, a setuid exec) during a read shows no batch taken
 * after that. At the task's first batch shown, its command name and cgroup
 * are read and escaped for its rows.
 * Sleeps; the caller holds references to it->task and its batch, and no
 * lock.
 */
static bool sockmap_reader_sees(struct sockmap_iter *it)
{
	char comm[TASK_COMM_LEN];

	if (!it->asked &&
	    !sockmap_iter_may_see(&it->reader, it->task, it->tid))
		return false;
	it->asked = false;
	if (it->named)
		return true;
	get_task_comm(comm, it->task);
	*sockmap_fmt_name(it->comm, comm, strnlen(comm, sizeof(comm))) = '\0';
	sockmap_read_cgroup(it, sockmap_task_cgroup_get(it->task));
	it->named = true;
	return true;
}

/*
 * sockmap_take_sockets - fill it->batch with it->task's sockets at fd
 * it->scan_fd and above: at most SOCKMAP_BATCH of them, from at most
 * SOCKMAP_SCAN_SLOTS open fds found in at most SOCKMAP_SCAN_SLOTS words
 * of the open_fds bitmap, so that the locks are held briefly however large
 * the table. Empty slots are passed over a word at a time, as
 * iterate_fd() does, so a table costs its open fds, not its size. Moves
 * it->scan_fd past the slots looked at.
 *
 * Locking and references, as fs/proc/fd.c's seq_show(): task_lock() keeps
 * task->files from being released or replaced, and files->file_lock keeps
 * every file in the table alive (the table holds a reference to each), so
 * get_file() may take a reference to it. Each socket in the batch leaves
 * with one; sockmap_seq_next() and sockmap_drop_sockets() drop them.
 * Other files are only looked at.
 */
static void sockmap_take_sockets(struct sockmap_iter *it)
{
	unsigned int fd = it->scan_fd, end, max, looked = 0;
	struct files_struct *files;
	struct fdtable *fdt;
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
	fdt = files_fdtable(files);
	max = fdt->max_fds;
	end = fd < max ? min(max, fd + SOCKMAP_SCAN_SLOTS * BITS_PER_LONG) : fd;
	for (; it->len < SOCKMAP_BATCH && looked < SOCKMAP_SCAN_SLOTS; fd++) {
		fd = find_next_bit(fdt->open_fds, end, fd);
		if (fd >= end)
			break;
		looked++;
		file = files_lookup_fd_locked(files, fd);
		if (!file || !sock_from_file(file))
			continue;
		it->batch[it->len].fd = fd;
		it->batch[it->len].file = get_file(file);
		it->len++;
	}
	it->scan_done = fd >= max;
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

#if IS_ENABLED(CONFIG_SOCKMAP_KUNIT_TEST)
/*
 * sockmap_take_sockets_kunit - one sockmap_take_sockets() call on @task's
 * fd table from slot @take->scan_fd, for the KUnit suite, which checks
 * what a walk's output cannot show: how many slots one call looked at,
 * and that each socket taken carries a reference of its own. The caller
 * holds a reference to @task and no lock. The references to the files
 * taken pass to the caller, in @take->file[0 .. @take->len): it must
 * fput() each.
 */
int sockmap_take_sockets_kunit(struct task_struct *task,
			       struct sockmap_take *take)
{
	struct sockmap_iter *it;
	unsigned int i;

	it = kzalloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	/* As sockmap_seq_start() makes it: no room past SOCKMAP_BATCH. */
	it->batch = kmalloc_array(SOCKMAP_BATCH, sizeof(*it->batch),
				  GFP_KERNEL);
	if (!it->batch) {
		kfree(it);
		return -ENOMEM;
	}
	it->task = task;
	it->scan_fd = take->scan_fd;
	sockmap_take_sockets(it);
	take->scan_fd = it->scan_fd;
	take->scan_done = it->scan_done;
	take->len = min_t(unsigned int, it->len, SOCKMAP_BATCH);
	for (i = 0; i < take->len; i++) {
		take->fd[i] = it->batch[i].fd;
		take->file[i] = it->batch[i].file;
	}
	kfree(it->batch);
	kfree(it);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_take_sockets_kunit);
#endif

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
 * at fd it->fd or above, taking another batch when this one is used up,
 * if the reader may see it (sockmap_reader_sees()); moves it->fd to its
 * fd. Returns 1 then; 0 when the task has no more the reader may see; or
 * the error of sockmap_walk_must_end(), or the one that kept procfs from
 * answering (-ENOMEM): the batch is then empty and holds nothing.
 */
static int sockmap_next_socket(struct sockmap_iter *it)
{
	int err;

	while (it->pos == it->len) {
		if (it->scan_done)
			return 0;
		/* A table of many files and few sockets takes many batches. */
		cond_resched();
		err = sockmap_walk_must_end();
		if (err)
			return err;
		sockmap_take_sockets(it);
		if (!it->len) {
			/* An answer is for the batch that follows it. */
			it->asked = false;
			continue;
		}
		if (!sockmap_reader_sees(it)) {
			sockmap_drop_sockets(it);
			/* No answer is no "no": fail; the next read asks. */
			return it->reader.err ?: 0;
		}
	}
	it->fd = it->batch[it->pos].fd;
	return 1;
}

/* The file of the current row; the batch holds a reference to it. */
static struct file *sockmap_row_file(const struct sockmap_iter *it)
{
	return it->batch[it->pos].file;
}

/*
 * sockmap_get_holderless - move to the first socket that no file holds at
 * or after the netwalk's cursor (netwalk.c). Returns @it, the batch holding a
 * reference to the current socket; NULL at the end of the output, where
 * the namespaces noted are forgotten; or an ERR_PTR() that ends the read.
 */
static struct sockmap_iter *sockmap_get_holderless(struct sockmap_iter *it)
{
	struct sock *sk;
	int err;

	if (!it->netwalk.batch) {
		err = sockmap_netwalk_start(&it->netwalk);
		if (err)
			return ERR_PTR(err);
	}
	sk = sockmap_netwalk_next(&it->netwalk);
	if (IS_ERR(sk))
		return ERR_CAST(sk);
	if (!sk) {
		sockmap_netwalk_forget(&it->netwalk);
		return NULL;
	}
	return it;
}

/*
 * sockmap_get_next - move to the first row at or after the cursor: the
 * fd tables' rows, then the sockets no file holds.
 * Returns @it holding references to it->task and to the current row's file
 * (with the rest of its batch), or, past the last task, to the current
 * socket; NULL at the end of the output, where what the pass noted is
 * freed; or an ERR_PTR() that ends the read
 * (sockmap_walk_must_end(), or procfs gave no answer), which
 * seq_read_iter() returns unless some output was made.
 * Neither holds anything that ->stop() does not drop.
 */
static struct sockmap_iter *sockmap_get_next(struct sockmap_iter *it)
{
	int ret;

	while (!it->in_net) {
		if (!it->task) {
			ret = sockmap_grab_task(it);
			if (ret < 0)
				return ERR_PTR(ret);
			if (!ret) {
				sockmap_forget_shown(it);
				it->in_net = true;
				break;
			}
		}
		ret = sockmap_next_socket(it);
		if (ret < 0)
			return ERR_PTR(ret);
		if (ret)
			return it;
		sockmap_drop_task(it);
		it->tid++;
		it->fd = 0;
	}
	return sockmap_get_holderless(it);
}

/*
 * sockmap_put_row - drop what sockmap_get_next() took, and what it
 * cached for this read; safe to repeat. The cursor stays on the current
 * row, so the next ->start() takes a new batch from its fd on (the files
 * of the old one may have been closed) and asks again who may see what.
 * The shared tables noted (it->shown) hold no reference and are kept.
 */
static void sockmap_put_row(struct sockmap_iter *it)
{
	if (it->task)
		sockmap_drop_task(it);
	kfree(it->batch);
	it->batch = NULL;
	sockmap_netwalk_stop(&it->netwalk);
	sockmap_forget_cgroup(it);
	sockmap_reader_put(&it->reader);
}

static void *sockmap_seq_start(struct seq_file *m, loff_t *pos)
{
	struct sockmap_iter *it = m->private;

	/* In read(): the reader is current, as %pK needs. */
	it->kptr = sockmap_kptr_mode();
	/* What procfs could not answer last time is asked again. */
	it->reader.err = 0;

	it->batch = kmalloc_array(SOCKMAP_BATCH, sizeof(*it->batch),
				  GFP_KERNEL_ACCOUNT);
	if (!it->batch)
		return ERR_PTR(-ENOMEM);

	/* Position 0 is the header, and a read from it starts over. */
	if (*pos == 0) {
		int err = sockmap_netwalk_rewind(&it->netwalk);

		if (err)
			return ERR_PTR(err);
		it->tid = 0;
		it->fd = 0;
		it->start_time = 0;
		it->in_net = false;
		sockmap_forget_shown(it);
		return SEQ_START_TOKEN;
	}
	/* Otherwise resume at the cursor: the row that did not fit last time. */
	return sockmap_get_next(it);
}

static void *sockmap_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct sockmap_iter *it = m->private;

	++*pos;
	if (v != SEQ_START_TOKEN && it->in_net) {
		sockmap_netwalk_shown(&it->netwalk);
	} else if (v != SEQ_START_TOKEN) {
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

/*
 * sockmap_show_net_row - the row of the current socket that no file holds:
 * under the path of its own cgroup, when it is a full socket (a TIME_WAIT
 * or request socket has none). The batch holds a reference to it.
 */
static void sockmap_show_net_row(struct seq_file *m, struct sockmap_iter *it)
{
	struct sock *sk = it->netwalk.batch[it->netwalk.pos].sk;

	if (!sk_fullsock(sk)) {
		sockmap_show_holderless(m, sk, "-", 1, it->kptr);
		return;
	}
	sockmap_read_cgroup(it, sockmap_sock_cgroup_get(sk));
	sockmap_show_holderless(m, sk, it->cgroup, it->cgroup_len, it->kptr);
}

static int sockmap_seq_show(struct seq_file *m, void *v)
{
	struct sockmap_iter *it = v;

	if (v == SEQ_START_TOKEN)
		sockmap_show_header(m);
	else if (it->in_net)
		sockmap_show_net_row(m, it);
	else
		sockmap_show_row(m, it->tid, it->comm, it->fd,
				 sockmap_row_file(it), it->cgroup,
				 it->cgroup_len, it->kptr);
	return 0;
}

static const struct seq_operations sockmap_seq_ops = {
	.start	= sockmap_seq_start,
	.next	= sockmap_seq_next,
	.stop	= sockmap_seq_stop,
	.show	= sockmap_seq_show,
};

/*
 * The seq_file buffer (SOCKMAP_SEQ_BUF_MAX), for the length of one read().
 * seq_read_iter() would allocate one page: then a read of more than 4 KiB
 * would stop after 20 rows, and cat's sendfile() would fill a pipe 4 KiB
 * per ->start(). 64 KiB is what a pipe holds. It is charged to the
 * reader's memory cgroup.
 *
 * Between reads a file keeps only what the last one made and did not hand
 * out - the rest of one row, when the reader asked for less than it made -
 * in a buffer of at most a page, or of that size if it is more: so any
 * user may hold as many files open and read as its fd limit allows at
 * about the cost of /proc/net/tcp's (a page each), and opens without a
 * read pin about 1 KiB each. A read that what is left covers (a reader of
 * a few bytes at a time) takes no new buffer.
 */

/*
 * sockmap_seq_buf_resize - give @m a buffer of @size bytes holding what
 * the old one had left to hand out (or none, for @size 0). If @size cannot
 * be had, @m keeps the buffer it has: seq_read_iter() copes with any size,
 * and allocates a page itself when there is none. The caller holds
 * m->lock.
 */
static void sockmap_seq_buf_resize(struct seq_file *m, size_t size)
{
	char *buf = NULL;

	if (size) {
		buf = kvmalloc(size, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return;
		if (m->count)
			memcpy(buf, m->buf + m->from, m->count);
	}
	kvfree(m->buf);
	m->buf = buf;
	m->size = size;
	m->from = 0;
}

/*
 * sockmap_iter_read - ->read_iter(): seq_read_iter() with a buffer of
 * SOCKMAP_SEQ_BUF_MAX made for it, and cut down to what is left after it.
 * m->lock orders this against a concurrent read of the same file.
 */
ssize_t sockmap_iter_read(struct kiocb *iocb, struct iov_iter *to)
{
	struct seq_file *m = iocb->ki_filp->private_data;
	ssize_t ret;

	mutex_lock(&m->lock);
	if (m->size < SOCKMAP_SEQ_BUF_MAX && m->count < iov_iter_count(to))
		sockmap_seq_buf_resize(m, SOCKMAP_SEQ_BUF_MAX);
	mutex_unlock(&m->lock);

	ret = seq_read_iter(iocb, to);

	mutex_lock(&m->lock);
	if (!m->count || (m->size > PAGE_SIZE && m->count < m->size))
		sockmap_seq_buf_resize(m, m->count);
	mutex_unlock(&m->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_iter_read);

/*
 * sockmap_iter_open - set up the walk on @file, an open of /proc/sockmap
 * in the procfs instance whose root is @proc_root (in the KUnit suite, a
 * file standing in for it, and a procfs the suite mounted). The caller
 * keeps @proc_root alive for as long as @file is open: /proc/sockmap's
 * own file holds its mount. Takes a reference to the instance's pid
 * namespace and to the opener's cgroup namespace, which
 * sockmap_iter_release() drops. Visibility is judged on @file's
 * credentials, those of the opener, for as long as it is open.
 */
int sockmap_iter_open(struct file *file, const struct path *proc_root)
{
	struct sockmap_iter *it;

	it = __seq_open_private(file, &sockmap_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->reader.cred = file->f_cred;
	it->reader.proc_root = *proc_root;
	it->ns = get_pid_ns(proc_pid_ns(proc_root->dentry->d_sb));
	it->cgroup_ns = current->nsproxy->cgroup_ns;
	get_cgroup_ns(it->cgroup_ns);
	sockmap_netwalk_open(&it->netwalk);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_iter_open);

/*
 * ->release(): between reads the iterator holds only the namespaces and,
 * in the middle of the output, the shared tables it noted.
 */
int sockmap_iter_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct sockmap_iter *it = m->private;

	sockmap_forget_shown(it);
	sockmap_netwalk_release(&it->netwalk);
	put_cgroup_ns(it->cgroup_ns);
	put_pid_ns(it->ns);
	return seq_release_private(inode, file);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_iter_release);
