// SPDX-License-Identifier: GPL-2.0
/*
 * access.c - who may see which task's rows.
 *
 * A reader sees a task's sockets exactly when it could read /proc/PID/fd,
 * which procfs decides with ptrace_may_access(task,
 * PTRACE_MODE_READ_FSCREDS). That function is not exported to modules, so
 * this file restates its rules with exported helpers, judged on the
 * credentials captured when /proc/sockmap was opened (file->f_cred): an
 * fd passed to another process never shows more than its opener could see.
 *
 * What differs from ptrace_may_access() (README, "Security model"): the LSM
 * hook security_ptrace_access_check() (SELinux, AppArmor, Smack policies on
 * ptrace "read") is not consulted, denials are audited like any capability
 * check, and a task's own process gets no exemption of its own.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <kunit/visibility.h>

#include "sockmap.h"

/* The reader's filesystem ids equal all of the task's real/effective/saved ids. */
static bool sockmap_same_ids(const struct cred *reader, const struct cred *tcred)
{
	return uid_eq(reader->fsuid, tcred->euid) &&
	       uid_eq(reader->fsuid, tcred->suid) &&
	       uid_eq(reader->fsuid, tcred->uid) &&
	       gid_eq(reader->fsgid, tcred->egid) &&
	       gid_eq(reader->fsgid, tcred->sgid) &&
	       gid_eq(reader->fsgid, tcred->gid);
}

/*
 * sockmap_creds_may_see - the decision of sockmap_may_see(), on plain
 * values so that it can be tested: may the opener of @reader see the fds of
 * a task whose credentials are @tcred and that is @dumpable, as judged in
 * @mm_user_ns (NULL: there is no dumpability to check)?
 *
 * As in __ptrace_may_access(): the same ids, or CAP_SYS_PTRACE over the
 * task's user namespace; and a task that is not dumpable (setuid, or
 * prctl(PR_SET_DUMPABLE, 0)) additionally needs CAP_SYS_PTRACE over
 * @mm_user_ns.
 */
bool sockmap_creds_may_see(const struct file *reader,
			   const struct cred *tcred,
			   struct user_namespace *mm_user_ns, bool dumpable)
{
	if (!sockmap_same_ids(reader->f_cred, tcred) &&
	    !file_ns_capable(reader, tcred->user_ns, CAP_SYS_PTRACE))
		return false;
	if (mm_user_ns && !dumpable &&
	    !file_ns_capable(reader, mm_user_ns, CAP_SYS_PTRACE))
		return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_creds_may_see);

/*
 * sockmap_may_see - may the opener of @reader see @task's fds?
 *
 * The caller holds a reference to @task. task_lock() keeps task->mm from
 * changing under us (as in ptrace_may_access()) and RCU keeps the task's
 * credentials alive while we look at them; neither sleeps.
 *
 * The credentials are read before the dumpability, as ptrace does: a task
 * that drops privileges (setresuid()) becomes non-dumpable first and
 * publishes its new credentials after an smp_wmb() in commit_creds(), so
 * whoever sees the new ids also sees that it is no longer dumpable.
 */
bool sockmap_may_see(const struct file *reader, struct task_struct *task)
{
	struct user_namespace *mm_user_ns;
	const struct cred *tcred;
	struct mm_struct *mm;
	bool dumpable;
	bool ok;

	task_lock(task);
	rcu_read_lock();
	tcred = __task_cred(task);
	smp_rmb(); /* Pairs with the smp_wmb() in commit_creds(). */
	mm = task->mm;
	if (mm) {
		mm_user_ns = mm->user_ns;
		dumpable = get_dumpable(mm) == SUID_DUMP_USER;
	} else {
		/* A kernel thread, or a task past exit_mm(): task_still_dumpable(). */
		mm_user_ns = &init_user_ns;
		dumpable = sockmap_task_user_dumpable(task);
	}
	ok = sockmap_creds_may_see(reader, tcred, mm_user_ns, dumpable);
	rcu_read_unlock();
	task_unlock(task);
	return ok;
}
