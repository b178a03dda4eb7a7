// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap_access_test.c - the sockmap_access suite: who may see whose
 * rows (module/access.c), asked of procfs with the opener's credentials.
 */

#include <linux/proc_fs.h>

#include "sockmap_test.h"

/*
 * Who may see whom: exactly whom procfs lets readlink /proc/TID/fd/N, with
 * the opener's credentials (module/access.c). Kernel threads, this test's
 * among them, share one fd table: a socket installed in it has one row,
 * under the first kernel thread the reader may see (kthreadd, which has a
 * lower PID than this thread, when it may see every one). They are
 * root's, have no mm (so they are not dumpable: only CAP_SYS_PTRACE passes
 * ptrace's check), and their fd/ directories are root's, mode 0500 (so
 * only root or CAP_DAC_READ_SEARCH may search them). Whatever the opener,
 * this thread reads its own rows, as a process always may in /proc: the
 * row is under it when the reader may see no other kernel thread.
 */
struct sockmap_see_case {
	const char *desc;
	struct sockmap_test_ids reader;	/* the opener */
	bool all;	/* sees other kernel threads, not only this one */
};

#define SEE_IDS_0	.uid = 0, .euid = 0, .suid = 0, .fsuid = 0, .gid = 0
#define SEE_IDS_1000	.uid = 1000, .euid = 1000, .suid = 1000, \
			.fsuid = 1000, .gid = 1000

static const struct sockmap_see_case sockmap_see_cases[] = {
	{ "uid 1000", { SEE_IDS_1000 }, false },
	{ "uid 0 without capabilities (the threads are not dumpable)",
	  { SEE_IDS_0 }, false },
	{ "uid 0 with CAP_SYS_PTRACE",
	  { SEE_IDS_0, .ptrace_effective = true }, true },
	{ "uid 1000 with CAP_SYS_PTRACE (may not search fd/)",
	  { SEE_IDS_1000, .ptrace_effective = true }, false },
	{ "uid 1000 with CAP_DAC_READ_SEARCH (no ptrace)",
	  { SEE_IDS_1000, .dac_read_search = true }, false },
	{ "uid 1000 with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH",
	  { SEE_IDS_1000, .ptrace_effective = true, .dac_read_search = true },
	  true },
	{ "CAP_SYS_PTRACE only permitted, not effective",
	  { SEE_IDS_1000, .ptrace_permitted = true, .dac_read_search = true },
	  false },
	/* /proc/PID/fd uses PTRACE_MODE_READ_FSCREDS: fsuid decides. */
	{ "fsuid 0 decides, not uid 1000",
	  { .uid = 1000, .euid = 1000, .suid = 1000, .fsuid = 0, .gid = 0,
	    .ptrace_effective = true }, true },
};

KUNIT_ARRAY_PARAM_DESC(sockmap_see, sockmap_see_cases, desc);

static void sockmap_test_may_see(struct kunit *test)
{
	const struct sockmap_see_case *c = test->param_value;
	char *out = sockmap_test_output_buf(test);
	int own, others;
	struct file *sock, *walk;

	/* Arrange: a socket fd in the kernel threads' table */
	sock = sockmap_test_socket(test, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	sockmap_test_install_fd(test, sock);
	walk = sockmap_test_open_walk(test,
				      sockmap_test_creds(test, &c->reader));

	/* Act: this thread (root) reads what the opener may see */
	sockmap_test_read_all(test, walk, 4096, out);

	/* Assert */
	sockmap_test_count_ino(test, out, sockmap_test_ino(sock), &own,
			       &others);
	KUNIT_EXPECT_EQ_MSG(test, own, c->all ? 0 : 1,
			    "rows under this thread's own PID");
	KUNIT_EXPECT_EQ_MSG(test, others, c->all ? 1 : 0,
			    "rows under other kernel threads");
}

/*
 * The walk judges visibility on the credentials of whoever opened the
 * file, not of whoever reads it: this thread is root, with every
 * capability, yet a file opened by uid 1000 shows it only its own rows
 * (sockmap_test_may_see()); and one opened by root shows a reader whose
 * own credentials are uid 1000's the kernel threads' table under the
 * first of them, as root sees it.
 */
static void sockmap_test_walk_uses_opener_creds(struct kunit *test)
{
	char *out = sockmap_test_output_buf(test);
	const struct cred *old;
	struct file *sock, *walk;
	int own, others;

	/* Arrange */
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	sockmap_test_install_fd(test, sock);
	walk = sockmap_test_open_walk(test, NULL);

	/* Act: read as uid 1000 */
	old = override_creds(sockmap_test_user(test, 1000));
	sockmap_test_read_all(test, walk, 4096, out);
	revert_creds(old);

	/* Assert */
	sockmap_test_count_ino(test, out, sockmap_test_ino(sock), &own,
			       &others);
	KUNIT_EXPECT_EQ(test, own, 0);
	KUNIT_EXPECT_EQ_MSG(test, others, 1,
			    "a root-opened file shows uid 1000 too little");
}

KUNIT_DEFINE_ACTION_WRAPPER(sockmap_test_reader_put, sockmap_reader_put,
			    struct sockmap_reader *);

/*
 * A reader opened by root in the suite's procfs instance, for calls of
 * sockmap_may_see() itself; its nsfs path is put when the test ends.
 */
static struct sockmap_reader *sockmap_test_reader(struct kunit *test)
{
	struct sockmap_reader *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->cred = current_cred();
	r->proc_root.mnt = sockmap_test_procfs;
	r->proc_root.dentry = sockmap_test_procfs->mnt_root;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_reader_put,
							r), 0);
	return r;
}

/*
 * What some kernels' walk returns when ptrace_may_access() refuses (Debian
 * 5.10's proc_ns_get_link() returns ERR_PTR(0)): success, where the walk
 * stood, on procfs. The 6.12 and newer kernels the suite runs on return
 * an error instead.
 */
static int sockmap_test_lookup_off_nsfs(const struct sockmap_reader *r,
					const char *name, struct path *path)
{
	*path = r->proc_root;
	path_get(path);
	return 0;
}

/*
 * sockmap_may_see() on what a walk's rows do not show: the answer is about
 * the task, not only its number (one that has exited is not seen through
 * the number of another); the nsfs path of the last walk is kept, one
 * reference at a time; a walk that succeeds off nsfs is a no, and its
 * path is put; and a walk that fails for another reason than
 * procfs's no (here -ENOTDIR: it starts from a file) is no answer, kept
 * in r->err.
 */
static void sockmap_test_may_see_calls(struct kunit *test)
{
	struct sockmap_reader *r = sockmap_test_reader(test);
	struct task_struct *exited = sockmap_test_exited_task(test);
	int tid = task_pid_nr(current);
	struct dentry *ns;
	unsigned int refs;
	struct path file;
	bool seen;

	/* Act and assert: root may see this thread, by its number */
	KUNIT_ASSERT_TRUE_MSG(test, sockmap_may_see(r, current, tid),
			      "root may not see the test's own thread");
	ns = r->ns_path.dentry;
	KUNIT_ASSERT_NOT_NULL_MSG(test, ns,
				  "r->ns_path is empty after a walk that allowed");
	KUNIT_EXPECT_EQ_MSG(test, ns->d_sb->s_magic, NSFS_MAGIC,
			    "r->ns_path is not on nsfs");
	refs = d_count(ns);
	KUNIT_EXPECT_TRUE(test, sockmap_may_see(r, current, tid));
	KUNIT_EXPECT_PTR_EQ(test, r->ns_path.dentry, ns);
	KUNIT_EXPECT_EQ_MSG(test, d_count(ns), refs,
			    "references to the nsfs dentry after a second walk: the path held before must be put, once");

	/* Act and assert: this thread's number, another task */
	seen = sockmap_may_see(r, exited, tid);
	KUNIT_EXPECT_FALSE_MSG(test, seen,
			       "an exited task seen through the number %d of another",
			       tid);

	/* Act: a walk that ends off nsfs, as Debian 5.10's refusal does */
	refs = d_count(r->proc_root.dentry);
	kunit_activate_static_stub(test, sockmap_proc_lookup,
				   sockmap_test_lookup_off_nsfs);
	seen = sockmap_may_see(r, current, tid);
	kunit_deactivate_static_stub(test, sockmap_proc_lookup);

	/* Assert: no, and the path it returned is put */
	KUNIT_EXPECT_FALSE_MSG(test, seen,
			       "a walk that succeeded but ended off nsfs (on procfs) allowed");
	KUNIT_EXPECT_EQ_MSG(test, d_count(r->proc_root.dentry), refs,
			    "references to where a walk ended off nsfs: path_put() it");

	/* Act: a walk that cannot be made, from a file of procfs */
	KUNIT_ASSERT_EQ(test, vfs_path_lookup(r->proc_root.dentry,
					      r->proc_root.mnt, "uptime", 0,
					      &file), 0);
	r->proc_root = file;
	seen = sockmap_may_see(r, current, tid);
	r->proc_root.mnt = sockmap_test_procfs;
	r->proc_root.dentry = sockmap_test_procfs->mnt_root;
	path_put(&file);

	/* Assert */
	KUNIT_EXPECT_FALSE(test, seen);
	KUNIT_EXPECT_EQ_MSG(test, r->err, -ENOTDIR,
			    "r->err after a walk that failed with -ENOTDIR, no answer of procfs's");
}

/* A walk that procfs ends with -ENOENT, however the task stands. */
static int sockmap_test_lookup_enoent(const struct sockmap_reader *r,
				      const char *name, struct path *path)
{
	return -ENOENT;
}

/*
 * procfs says -ENOENT for a task that is gone, for one hidepid=invisible
 * or hidepid=ptraceable hides, and when it could not allocate an inode on
 * the way. For a task that is still on, in an instance that hides none, it
 * is the failed allocation: no answer (r->err, -ENOMEM), never a silent no.
 * For a task gone (an exited one, whose number now names another), or in
 * an instance that hides tasks, it is procfs's no. The suite's own procfs
 * instance stands for one that hides while its hide_pid says so: the
 * stubbed walk never reads it.
 */
static void sockmap_test_enoent(struct kunit *test)
{
	struct sockmap_reader *r = sockmap_test_reader(test);
	struct task_struct *exited = sockmap_test_exited_task(test);
	struct proc_fs_info *fs_info = proc_sb_info(r->proc_root.dentry->d_sb);
	enum proc_hidepid hide = fs_info->hide_pid;
	int tid = task_pid_nr(current);
	bool live, gone, hidden;
	int live_err, gone_err, hidden_err;

	/* Act */
	kunit_activate_static_stub(test, sockmap_proc_lookup,
				   sockmap_test_lookup_enoent);
	live = sockmap_may_see(r, current, tid);
	live_err = r->err;
	r->err = 0;
	gone = sockmap_may_see(r, exited, tid);
	gone_err = r->err;
	r->err = 0;
	fs_info->hide_pid = HIDEPID_INVISIBLE;
	hidden = sockmap_may_see(r, current, tid);
	fs_info->hide_pid = hide;
	hidden_err = r->err;
	kunit_deactivate_static_stub(test, sockmap_proc_lookup);

	/* Assert */
	KUNIT_EXPECT_FALSE(test, live);
	KUNIT_EXPECT_EQ_MSG(test, live_err, -ENOMEM,
			    "-ENOENT for a task that is on, in an instance that hides none, taken as procfs's no");
	KUNIT_EXPECT_FALSE(test, gone);
	KUNIT_EXPECT_EQ_MSG(test, gone_err, 0,
			    "-ENOENT for a task gone taken as no answer");
	KUNIT_EXPECT_FALSE(test, hidden);
	KUNIT_EXPECT_EQ_MSG(test, hidden_err, 0,
			    "-ENOENT under hidepid=invisible taken as no answer");
}

static struct kunit_case sockmap_access_cases[] = {
	KUNIT_CASE_PARAM(sockmap_test_may_see, sockmap_see_gen_params),
	KUNIT_CASE(sockmap_test_walk_uses_opener_creds),
	KUNIT_CASE(sockmap_test_may_see_calls),
	KUNIT_CASE(sockmap_test_enoent),
	{}
};

static struct kunit_suite sockmap_access_suite = {
	.name = "sockmap_access",
	.suite_init = sockmap_test_suite_init,
	.suite_exit = sockmap_test_suite_exit,
	.test_cases = sockmap_access_cases,
};

kunit_test_suite(sockmap_access_suite);
