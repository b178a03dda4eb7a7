// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup.c - the CGROUP column: which service or container a task belongs
 * to, as the cgroup v2 path that its /proc/PID/cgroup shows on the "0::"
 * line: /system.slice/nginx.service, /system.slice/docker-<id>.scope,
 * /kubepods.slice/... .
 *
 * As procfs does (proc_cgroup_show()), the path is relative to a cgroup
 * namespace - here the one of whoever opened /proc/sockmap, captured at
 * open like the credentials - with "/.." components for a task outside
 * it, and " (deleted)" after the path of a cgroup that has been removed
 * while the task (a zombie) still points at it. cgroup_path_ns() does the
 * walk, under cgroup_mutex, as for /proc/PID/cgroup.
 */

#include <linux/cgroup.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "sockmap.h"

#ifdef CONFIG_CGROUPS
/*
 * sockmap_task_cgroup - @task's cgroup v2 path relative to @ns, written to
 * @buf (@size bytes, NUL-terminated); returns its length, or a negative
 * errno when it does not fit. Sleeps (cgroup_mutex).
 *
 * References: RCU keeps @task's css_set, and so its cgroup, alive while a
 * reference to the cgroup is taken; that reference keeps it alive while
 * the path is read, and is dropped before returning. The caller holds a
 * reference to @task and to @ns.
 */
int sockmap_task_cgroup(struct task_struct *task, struct cgroup_namespace *ns,
			char *buf, size_t size)
{
	static const char deleted[] = " (deleted)";
	struct cgroup *cgrp;
	bool dead;
	int len;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(task);
	cgroup_get(cgrp);
	rcu_read_unlock();

	len = cgroup_path_ns(cgrp, buf, size, ns);
	dead = !(READ_ONCE(cgrp->self.flags) & CSS_ONLINE);
	cgroup_put(cgrp);

	if (len < 0 || len >= size)
		return -ENAMETOOLONG;
	if (dead) {
		if (len + sizeof(deleted) > size)
			return -ENAMETOOLONG;
		memcpy(buf + len, deleted, sizeof(deleted));
		len += sizeof(deleted) - 1;
	}
	return len;
}
#else
int sockmap_task_cgroup(struct task_struct *task, struct cgroup_namespace *ns,
			char *buf, size_t size)
{
	return -EOPNOTSUPP;
}
#endif
EXPORT_SYMBOL_IF_KUNIT(sockmap_task_cgroup);
