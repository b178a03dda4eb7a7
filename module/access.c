// SPDX-License-Identifier: GPL-2.0
/*
 * access.c - who may see which task's rows: exactly whom /proc lets see
 * that task's fds.
 *
 * A reader may see a task's socket fds when it could readlink
 * /proc/TID/fd/N. procfs decides that in three places on the way:
 *
 *   1. the lookup of TID in the procfs instance (proc_pid_lookup(): the
 *      hidepid= and gid= mount options, which ask ptrace_may_access());
 *   2. search permission on /proc/TID and /proc/TID/fd (proc_pid_permission()
 *      and proc_fd_permission(): the owner of fd/, which is root for a task
 *      that is not dumpable, CAP_DAC_READ_SEARCH, the reader's own process);
 *   3. the link itself: ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS),
 *      with the same-ids and CAP_SYS_PTRACE rules, dumpability, and every
 *      LSM's ptrace hook (Landlock, Yama, SELinux, AppArmor, Smack).
 *
 * ptrace_may_access() is not exported, and restating those rules was never
 * exact (an LSM's hook cannot be called). So sockmap asks procfs itself,
 * through exported VFS calls on the very procfs instance /proc/sockmap was
 * opened in, under the opener's credentials: it walks "TID/fd/../ns/mnt",
 * which passes 1 and 2 exactly as a walk to /proc/TID/fd/N does, and
 * follows that last link, which runs ptrace_may_access(task,
 * PTRACE_MODE_READ_FSCREDS) (proc_ns_get_link(), the same check as
 * proc_fd_access_allowed() makes for fd/N) and, when allowed, ends in the
 * task's mount namespace on nsfs. ns/mnt is used rather than fd/N because
 * a task has it whatever fds it has open, and because where it leads is a
 * kernel-internal filesystem: following cwd or fd/N could end on a network
 * filesystem, whose revalidation may wait for a server.
 *
 * (A walk through /proc/TID/fdinfo would need no link, but fdinfo's
 * ->permission() checks ptrace only since a 2024 fix, "move fdinfo
 * PTRACE_MODE_READ check into the inode .permission operation", and the
 * stable kernels it was backported to; before it, fdinfo checked at
 * open(), and before 5.14 not at all. The ns links have checked it all
 * along.)
 *
 * Following the link makes nsfs find, or make, the dentry of the task's
 * mount namespace; nsfs frees it when its last reference goes. The reader
 * keeps the last one it reached (r->ns_path) until the next check or the
 * end of the read, so that the next task in the same mount namespace -
 * most tasks - finds it made.
 *
 * As for /proc itself, the decision is taken on the credentials the check
 * runs with - here the opener's (file->f_cred), so an fd passed to another
 * process never shows more than its opener could see - and the reader's
 * own process is always visible to itself (ptrace's same-thread-group
 * exemption, and proc_fd_permission()'s).
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "sockmap.h"

/*
 * sockmap_proc_lookup - walk @name from the root of @r's procfs instance,
 * following the last link; on success, @path holds a reference to where
 * the walk ended. In a kernel built with the KUnit suite it is a function
 * the suite can stand in for, to make a walk end off nsfs as some kernels'
 * do (see sockmap_procfs_walk()); elsewhere, vfs_path_lookup() itself.
 */
#if IS_ENABLED(CONFIG_SOCKMAP_KUNIT_TEST)
int sockmap_proc_lookup(const struct sockmap_reader *r, const char *name,
			struct path *path)
{
	SOCKMAP_STATIC_STUB_REDIRECT(sockmap_proc_lookup, r, name, path);
	return vfs_path_lookup(r->proc_root.dentry, r->proc_root.mnt, name,
			       LOOKUP_FOLLOW, path);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_proc_lookup);
#else
static inline int sockmap_proc_lookup(const struct sockmap_reader *r,
				      const char *name, struct path *path)
{
	return vfs_path_lookup(r->proc_root.dentry, r->proc_root.mnt, name,
			       LOOKUP_FOLLOW, path);
}
#endif

/* The longest path asked for: a tid of 10 digits. */
#define SOCKMAP_ACCESS_PATH_MAX	sizeof("2147483647/fd/../ns/mnt")

/*
 * sockmap_task_is_on - does @tid still name @task in the pid namespace of
 * @r's procfs instance, and does @task still hold its fd table? A task
 * lets go of its table (exit_files()) before its namespaces, and procfs
 * finds a task by its number until it is reaped.
 */
static bool sockmap_task_is_on(const struct sockmap_reader *r,
			       struct task_struct *task, int tid)
{
	struct pid_namespace *ns = proc_pid_ns(r->proc_root.dentry->d_sb);
	bool on;

	rcu_read_lock();
	on = pid_task(find_pid_ns(tid, ns), PIDTYPE_PID) == task &&
	     READ_ONCE(task->files);
	rcu_read_unlock();
	return on;
}

/*
 * sockmap_instance_hides - does @r's procfs instance hide from a reader
 * the tasks it may not ptrace, saying -ENOENT for them (hidepid=invisible
 * and hidepid=ptraceable)?
 */
static bool sockmap_instance_hides(const struct sockmap_reader *r)
{
	enum proc_hidepid hide = proc_sb_info(r->proc_root.dentry->d_sb)->hide_pid;

	return hide == HIDEPID_INVISIBLE || hide == HIDEPID_NOT_PTRACEABLE;
}

/*
 * sockmap_lookup_failed - what a walk of @r's procfs for @task (number
 * @tid) that failed with @err says: no, when procfs said the task is gone
 * or not for this reader; nothing, when the walk itself failed, and then
 * @r->err makes the read fail rather than leave the task's rows out as if
 * it were hidden. Returns false: the task is not shown either way.
 *
 * -ESRCH, -EACCES and -EPERM are answers. -ENOENT is procfs's answer for
 * a task that is gone, or hidden (see sockmap_instance_hides()), but also
 * what it says when it could not allocate an inode on the way
 * (proc_pid_instantiate(), proc_pident_instantiate(), proc_ns_instantiate()).
 * For a task that is still on, in an instance that hides no task, it can
 * only be the latter. In an instance that hides tasks procfs gives the
 * two the same answer, and so does sockmap: the task is not shown.
 */
static bool sockmap_lookup_failed(struct sockmap_reader *r,
				  struct task_struct *task, int tid, int err)
{
	if (err == -ESRCH || err == -EACCES || err == -EPERM)
		return false;
	if (err == -ENOENT) {
		if (sockmap_instance_hides(r) || !sockmap_task_is_on(r, task, tid))
			return false;
		err = -ENOMEM;
	}
	r->err = err;
	return false;
}

/*
 * sockmap_procfs_walk - ask procfs whether the current task, with the
 * credentials it runs with now, may readlink /proc/@tid/fd/N in the
 * instance of @r. Sleeps (a path walk). Returns 0 when allowed: the walk's
 * result, a reference to the task's mount namespace on nsfs, then
 * replaces the one @r held (see above); sockmap_reader_put() drops it.
 * Otherwise the walk's error, or -EACCES where procfs said no without one.
 */
static int sockmap_procfs_walk(struct sockmap_reader *r, int tid)
{
	char name[SOCKMAP_ACCESS_PATH_MAX];
	struct path ns;
	int err;

	snprintf(name, sizeof(name), "%d/fd/../ns/mnt", tid);
	err = sockmap_proc_lookup(r, name, &ns);
	if (err)	/* gone, not for this reader, or no answer */
		return err;
	/*
	 * Allowed, the walk ends on nsfs. Some kernels (Debian's 5.10) say
	 * no without an error: their proc_ns_get_link() returns ERR_PTR(0)
	 * when ptrace_may_access() fails, and the walk then ends where it
	 * stood, in the procfs directory TID/ns. Where it ended decides.
	 */
	if (ns.dentry->d_sb->s_magic != NSFS_MAGIC) {
		path_put(&ns);
		return -EACCES;
	}
	sockmap_reader_put(r);
	r->ns_path = ns;
	return 0;
}

/*
 * sockmap_reader_put - drop the nsfs path that sockmap_procfs_walk()
 * kept; safe to repeat.
 */
void sockmap_reader_put(struct sockmap_reader *r)
{
	if (r->ns_path.dentry) {
		path_put(&r->ns_path);
		r->ns_path.dentry = NULL;
		r->ns_path.mnt = NULL;
	}
}

/*
 * sockmap_may_see - may the reader @r see the fds of @task, which has
 * number @tid in the pid namespace of @r's procfs instance?
 *
 * The caller holds a reference to @task and no lock: the check sleeps.
 * It may leave @r holding an nsfs path: see sockmap_reader_put().
 * procfs judges whichever task has number @tid; that is @task if, after
 * the check, @tid still names it (a number is not reused while its task
 * lives), so a task that exits meanwhile and whose number is taken by
 * another is never judged by the other's permissions.
 */
bool sockmap_may_see(struct sockmap_reader *r, struct task_struct *task,
		     int tid)
{
	struct pid_namespace *ns = proc_pid_ns(r->proc_root.dentry->d_sb);
	const struct cred *old;
	bool ok;
	int err;

	old = override_creds(r->cred);
	err = sockmap_procfs_walk(r, tid);
	revert_creds(old);
	if (err)
		return sockmap_lookup_failed(r, task, tid, err);

	rcu_read_lock();
	ok = pid_task(find_pid_ns(tid, ns), PIDTYPE_PID) == task;
	rcu_read_unlock();
	return ok;
}

/* The longest path sockmap_may_see_net() asks for. */
#define SOCKMAP_NET_PATH_MAX	sizeof("2147483647/net/tcp")

/*
 * sockmap_may_see_net - may the reader @r read /proc/@tid/net/tcp, the
 * sockets of @task's network namespace, in the instance of @r? procfs
 * makes no ptrace check there: the lookup of @tid (hidepid=, gid=), search
 * permission on /proc/@tid and on its net/, and net/ is there while the
 * task has its namespaces. So the walk to that file, with the opener's
 * credentials, is the whole question, as in sockmap_may_see().
 *
 * The caller holds a reference to @task and no lock: the check sleeps.
 * What a failed walk says is sockmap_lookup_failed()'s to judge; a task
 * still holding its fd table still has its namespaces (exit_files() comes
 * first), so its -ENOENT is no answer there either.
 */
bool sockmap_may_see_net(struct sockmap_reader *r, struct task_struct *task,
			 int tid)
{
	struct pid_namespace *ns = proc_pid_ns(r->proc_root.dentry->d_sb);
	char name[SOCKMAP_NET_PATH_MAX];
	const struct cred *old;
	struct path path;
	bool ok;
	int err;

	snprintf(name, sizeof(name), "%d/net/tcp", tid);
	old = override_creds(r->cred);
	err = sockmap_proc_lookup(r, name, &path);
	revert_creds(old);
	if (err)
		return sockmap_lookup_failed(r, task, tid, err);
	path_put(&path);

	rcu_read_lock();
	ok = pid_task(find_pid_ns(tid, ns), PIDTYPE_PID) == task;
	rcu_read_unlock();
	return ok;
}
