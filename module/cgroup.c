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
#include <net/sock.h>

#include "sockmap.h"

#ifdef CONFIG_CGROUPS
/*
 * sockmap_task_cgroup_get - @task's cgroup on the v2 hierarchy, with a
 * reference the caller drops with sockmap_cgroup_put(). RCU keeps @task's
 * css_set, and so its cgroup, alive while the reference is taken; the
 * caller holds a reference to @task.
 */
struct cgroup *sockmap_task_cgroup_get(struct task_struct *task)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(task);
	cgroup_get(cgrp);
	rcu_read_unlock();
	return cgrp;
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_task_cgroup_get);

/*
 * sockmap_sock_cgroup_get - the cgroup @sk was made in, on the v2
 * hierarchy (what ss --cgroup shows), with a reference the caller drops
 * with sockmap_cgroup_put(); NULL when the kernel keeps none for sockets.
 * @sk holds its own reference to it; the caller holds one to @sk, a full
 * socket.
 */
struct cgroup *sockmap_sock_cgroup_get(struct sock *sk)
{
#ifdef CONFIG_SOCK_CGROUP_DATA
	struct cgroup *cgrp = sock_cgroup_ptr(&sk->sk_cgrp_data);

	if (cgrp)
		cgroup_get(cgrp);
	return cgrp;
#else
	return NULL;
#endif
}

/*
 * Drop a reference from sockmap_task_cgroup_get() or
 * sockmap_sock_cgroup_get(); NULL is none.
 */
void sockmap_cgroup_put(struct cgroup *cgrp)
{
	if (cgrp)
		cgroup_put(cgrp);
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_cgroup_put);

/* Whether @cgrp has been removed (rmdir) since. */
bool sockmap_cgroup_is_dead(struct cgroup *cgrp)
{
	return !(READ_ONCE(cgrp->self.flags) & CSS_ONLINE);
}

/*
 * sockmap_cgroup_path - @cgrp's path relative to @ns, and " (deleted)"
 * after it when it is dead, written to @buf (@size bytes, NUL-terminated);
 * returns its length, or a negative errno when it does not fit. Sleeps
 * (cgroup_mutex). The caller holds references to @cgrp and @ns.
 */
int sockmap_cgroup_path(struct cgroup *cgrp, struct cgroup_namespace *ns,
			char *buf, size_t size)
{
	static const char deleted[] = " (deleted)";
	int len;

	len = cgroup_path_ns(cgrp, buf, size, ns);
	if (len < 0 || len >= size)
		return -ENAMETOOLONG;
	if (sockmap_cgroup_is_dead(cgrp)) {
		if (len + sizeof(deleted) > size)
			return -ENAMETOOLONG;
		memcpy(buf + len, deleted, sizeof(deleted));
		len += sizeof(deleted) - 1;
	}
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(sockmap_cgroup_path);
#else
struct cgroup *sockmap_task_cgroup_get(struct task_struct *task)
{
	return NULL;
}

struct cgroup *sockmap_sock_cgroup_get(struct sock *sk)
{
	return NULL;
}

void sockmap_cgroup_put(struct cgroup *cgrp)
{
}

bool sockmap_cgroup_is_dead(struct cgroup *cgrp)
{
	return false;
}

int sockmap_cgroup_path(struct cgroup *cgrp, struct cgroup_namespace *ns,
			char *buf, size_t size)
{
	return -EOPNOTSUPP;
}
#endif
