// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap_test_util.c - the helpers the KUnit suites for sockmap share
 * (sockmap_test.h), and what the module's suites have once: the namespace
 * import and the module's description.
 */

#include "sockmap_test.h"

SOCKMAP_IMPORT_KUNIT_NS();

/* For kunit_add_action(): fput() and kvfree() as actions. */
void sockmap_test_fput(void *file)
{
	fput(file);
}

void sockmap_test_kvfree(void *p)
{
	kvfree(p);
}

static void sockmap_test_put_cred(void *cred)
{
	put_cred(cred);
}

static void sockmap_test_close_fd(void *fd)
{
	close_fd((uintptr_t)fd);
}

/* An empty seq_file writing into a test-managed page, as ->show() sees it. */
struct seq_file *sockmap_test_seq(struct kunit *test)
{
	struct seq_file *m;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = PAGE_SIZE;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	return m;
}

/*
 * What was written into @m, as a string. Only the first m->count bytes of
 * the buffer are output; what lies past them (row.c's word stores may
 * leave padding there) is not, so the string ends at m->count.
 */
const char *sockmap_test_seq_str(struct kunit *test, struct seq_file *m)
{
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	m->buf[m->count] = '\0';
	return m->buf;
}

char *sockmap_test_field_buf(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, SOCKMAP_TEST_FIELD_MAX + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

/*
 * The field a sockmap_fmt_*() function wrote from @buf to @end, as a
 * string: what a row shows in that column.
 */
const char *sockmap_test_field(struct kunit *test, char *buf,
			       char *end)
{
	KUNIT_ASSERT_TRUE(test, end >= buf);
	KUNIT_ASSERT_LE(test, end - buf, SOCKMAP_UNIX_NAME_MAX);
	*end = '\0';
	return buf;
}

/* A test-managed string from a printf format. */
__printf(2, 3)
const char *sockmap_test_fmt(struct kunit *test, const char *fmt, ...)
{
	char *s;
	va_list ap;

	s = kunit_kzalloc(test, SOCKMAP_TEST_STR_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	va_start(ap, fmt);
	vsnprintf(s, SOCKMAP_TEST_STR_MAX, fmt, ap);
	va_end(ap);
	return s;
}

/*
 * A socket created in the initial network namespace, with a struct file
 * as a socket(2) fd would have. The file is released when the test ends.
 */
struct file *sockmap_test_socket(struct kunit *test, int family,
				 int type, int protocol)
{
	struct socket *sock;
	struct file *file;
	int err;

	err = sock_create_kern(&init_net, family, type, protocol, &sock);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "socket(%d, %d, %d)", family, type,
			    protocol);
	file = sock_alloc_file(sock, 0, NULL);	/* releases sock on error */
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sockmap_test_fput,
							file), 0);
	return file;
}

struct socket *sockmap_test_sock(struct file *file)
{
	return sock_from_file(file);
}

struct sock *sockmap_test_sk(struct file *file)
{
	return sock_from_file(file)->sk;
}

unsigned long sockmap_test_ino(struct file *file)
{
	return file_inode(file)->i_ino;
}

/* Accept a pending connection and give the new socket a file. */
struct file *sockmap_test_accept(struct kunit *test,
				 struct file *listener)
{
	struct socket *sock;
	struct file *file;

	KUNIT_ASSERT_EQ(test, kernel_accept(sockmap_test_sock(listener), &sock,
					    0), 0);
	file = sock_alloc_file(sock, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sockmap_test_fput,
							file), 0);
	return file;
}

/* Parse @addr ("127.0.0.1", "::1") into an INET or INET6 socket address. */
int sockmap_test_addr(struct kunit *test, int family, const char *addr,
		      u16 port, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		KUNIT_ASSERT_EQ(test, in4_pton(addr, -1, (u8 *)&sin->sin_addr,
					       -1, NULL), 1);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	KUNIT_ASSERT_EQ(test, in6_pton(addr, -1, sin6->sin6_addr.s6_addr, -1,
				       NULL), 1);
	return sizeof(*sin6);
}

void sockmap_test_bind(struct kunit *test, struct file *file,
		       int family, const char *addr, u16 port)
{
	struct sockaddr_storage ss;
	int len = sockmap_test_addr(test, family, addr, port, &ss);

	KUNIT_ASSERT_EQ(test, kernel_bind(sockmap_test_sock(file),
					  (struct sockaddr_unsized *)&ss, len), 0);
}

void sockmap_test_connect(struct kunit *test, struct file *file,
			  int family, const char *addr, u16 port)
{
	struct sockaddr_storage ss;
	int len = sockmap_test_addr(test, family, addr, port, &ss);

	KUNIT_ASSERT_EQ(test, kernel_connect(sockmap_test_sock(file),
					     (struct sockaddr_unsized *)&ss, len, 0), 0);
}

/* The local port of an INET or INET6 socket, from getsockname(). */
u16 sockmap_test_port(struct kunit *test, struct file *file)
{
	struct sockaddr_storage ss = {};

	KUNIT_ASSERT_GE(test, kernel_getsockname(sockmap_test_sock(file),
						 (struct sockaddr *)&ss), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	KUNIT_ASSERT_EQ(test, ss.ss_family, AF_INET6);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

void sockmap_test_send(struct kunit *test, struct file *file,
		       const char *data)
{
	struct kvec iov = { .iov_base = (void *)data, .iov_len = strlen(data) };
	struct msghdr msg = {};

	KUNIT_ASSERT_EQ(test, kernel_sendmsg(sockmap_test_sock(file), &msg,
					     &iov, 1, iov.iov_len),
			(int)iov.iov_len);
}

/* Connect two fresh UNIX sockets to each other, as socketpair(2) does. */
void sockmap_test_socketpair(struct kunit *test, struct file *a,
			     struct file *b)
{
	struct socket *sa = sockmap_test_sock(a), *sb = sockmap_test_sock(b);

	KUNIT_ASSERT_EQ(test, sa->ops->socketpair(sa, sb), 0);
}

/*
 * Install @file at a new fd of this thread's table, as socket(2) would;
 * the fd is closed when the test ends.
 */
int sockmap_test_install_fd(struct kunit *test, struct file *file)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);

	KUNIT_ASSERT_GE(test, fd, 0);
	fd_install(fd, get_file(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_close_fd,
							(void *)(uintptr_t)fd),
			0);
	return fd;
}

struct cred *sockmap_test_creds(struct kunit *test,
				const struct sockmap_test_ids *ids)
{
	struct cred *cred = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, cred);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_put_cred,
							cred), 0);
	cred->uid = make_kuid(&init_user_ns, ids->uid);
	cred->euid = make_kuid(&init_user_ns, ids->euid);
	cred->suid = make_kuid(&init_user_ns, ids->suid);
	cred->fsuid = make_kuid(&init_user_ns, ids->fsuid);
	cred->gid = make_kgid(&init_user_ns, ids->gid);
	cred->egid = cred->gid;
	cred->sgid = cred->gid;
	cred->fsgid = cred->gid;
	cap_clear(cred->cap_inheritable);
	cap_clear(cred->cap_permitted);
	cap_clear(cred->cap_effective);
	cap_clear(cred->cap_ambient);
	if (ids->ptrace_effective)
		cap_raise(cred->cap_effective, CAP_SYS_PTRACE);
	if (ids->ptrace_effective || ids->ptrace_permitted)
		cap_raise(cred->cap_permitted, CAP_SYS_PTRACE);
	if (ids->dac_read_search) {
		cap_raise(cred->cap_effective, CAP_DAC_READ_SEARCH);
		cap_raise(cred->cap_permitted, CAP_DAC_READ_SEARCH);
	}
	return cred;
}

/* A plain user: uid = gid = @uid, no capabilities. */
struct cred *sockmap_test_user(struct kunit *test, uid_t uid)
{
	const struct sockmap_test_ids ids = {
		.uid = uid, .euid = uid, .suid = uid, .fsuid = uid, .gid = uid,
	};

	return sockmap_test_creds(test, &ids);
}

/*
 * The stand-in for an open /proc/sockmap: the same read/lseek/release as
 * module/main.c's proc_ops. sockmap_iter_open() fills private_data; a file
 * it failed on has none to release.
 */
static int sockmap_test_release(struct inode *inode, struct file *file)
{
	return file->private_data ? sockmap_iter_release(inode, file) : 0;
}

static const struct file_operations sockmap_test_fops = {
	.owner		= THIS_MODULE,
	.read_iter	= sockmap_iter_read,
	.llseek		= seq_lseek,
	.release	= sockmap_test_release,
};

/*
 * A file opened with credentials @cred (NULL: the test's own, root), as
 * open() would capture them in f_cred. Released when the test ends.
 */
struct file *sockmap_test_file_as(struct kunit *test,
				  const struct cred *cred)
{
	const struct cred *old = NULL;
	struct file *file;

	if (cred)
		old = override_creds(cred);
	file = anon_inode_getfile("[sockmap-kunit]", &sockmap_test_fops, NULL,
				  O_RDONLY);
	if (cred)
		revert_creds(old);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sockmap_test_fput,
							file), 0);
	return file;
}

/* The whole output of @file, read @chunk bytes at a time from offset 0. */
size_t sockmap_test_read_all(struct kunit *test, struct file *file,
			     size_t chunk, char *buf)
{
	size_t len = 0;
	loff_t pos = 0;
	ssize_t n;

	do {
		n = kernel_read(file, buf + len,
				min_t(size_t, chunk,
				      SOCKMAP_TEST_OUTPUT_MAX - 1 - len), &pos);
		KUNIT_ASSERT_GE_MSG(test, n, 0, "read of %zu bytes", chunk);
		len += n;
		KUNIT_ASSERT_LT_MSG(test, len, SOCKMAP_TEST_OUTPUT_MAX - 1,
				    "/proc/sockmap output too large for the test");
	} while (n > 0);
	buf[len] = '\0';
	return len;
}

/*
 * The procfs instance the walks are read through, mounted by the suite:
 * the tests run before userspace has mounted /proc.
 */
struct vfsmount *sockmap_test_procfs;

/*
 * A walk over every task in the test procfs instance's pid namespace (our
 * own), as opened by @cred.
 */
struct file *sockmap_test_open_walk(struct kunit *test,
				    const struct cred *cred)
{
	struct file *file = sockmap_test_file_as(test, cred);
	const struct path root = {
		.mnt = sockmap_test_procfs,
		.dentry = sockmap_test_procfs->mnt_root,
	};

	KUNIT_ASSERT_EQ(test, sockmap_iter_open(file, &root), 0);
	return file;
}

/*
 * A walk opened by uid 1000, which may see this thread and no other kernel
 * thread: the table they share is then shown under this thread's PID.
 */
struct file *sockmap_test_open_own_walk(struct kunit *test)
{
	return sockmap_test_open_walk(test, sockmap_test_user(test, 1000));
}

char *sockmap_test_output_buf(struct kunit *test)
{
	char *buf = kvzalloc(SOCKMAP_TEST_OUTPUT_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_kvfree,
							buf), 0);
	return buf;
}

static int sockmap_test_exit_at_once(void *unused)
{
	return 0;
}

KUNIT_DEFINE_ACTION_WRAPPER(sockmap_test_put_task, put_task_struct,
			    struct task_struct *);

/*
 * A task that has exited: exit_files() has let go of its table, and
 * task->files is NULL. Its task_struct is kept until the test ends.
 */
struct task_struct *sockmap_test_exited_task(struct kunit *test)
{
	struct task_struct *task;

	task = kthread_create(sockmap_test_exit_at_once, NULL, "sockmap-exit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sockmap_test_put_task,
							task), 0);
	kthread_stop(task);	/* never woken: it exits without running */
	KUNIT_ASSERT_TRUE(test, sockmap_test_wait(!READ_ONCE(task->files)));
	return task;
}

/*
 * Field @col (0 for the first) of @line, up to its newline, in @buf of
 * @size bytes; false when the line has no such field or it is too long.
 */
bool sockmap_test_line_field(const char *line, int col, char *buf,
			     size_t size)
{
	const char *p = line, *start;
	int i = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return false;
		start = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		if (i++ != col)
			continue;
		if (p - start >= size)
			return false;
		memcpy(buf, start, p - start);
		buf[p - start] = '\0';
		return true;
	}
}

/* Where the header (the first line of @out) names column @name. */
int sockmap_test_header_column(struct kunit *test, const char *out,
			       const char *name)
{
	char field[16];
	int col;

	for (col = 0; sockmap_test_line_field(out, col, field, sizeof(field));
	     col++)
		if (!strcmp(field, name))
			return col;
	KUNIT_FAIL(test, "no %s in the header: %.60s", name, out);
	return -1;
}

/* Field @col of @line as a number, or fail. */
long sockmap_test_line_number(struct kunit *test, const char *line,
			      int col)
{
	char field[24];
	long v;

	KUNIT_ASSERT_TRUE_MSG(test, col >= 0 &&
			      sockmap_test_line_field(line, col, field,
						      sizeof(field)),
			      "row: %.60s", line);
	KUNIT_ASSERT_EQ_MSG(test, kstrtol(field, 10, &v), 0, "row: %.60s",
			    line);
	return v;
}

/*
 * Field @col of @line as a number, or -1 where it is "-" (the PID and FD
 * of a socket no file holds), or fail.
 */
long sockmap_test_line_number_or_none(struct kunit *test, const char *line,
				      int col)
{
	char field[24];

	if (sockmap_test_line_field(line, col, field, sizeof(field)) &&
	    !strcmp(field, "-"))
		return -1;
	return sockmap_test_line_number(test, line, col);
}

/*
 * Count the rows of socket inode @ino in @out: under this thread's PID in
 * *@own, under any other, or under none (PID "-"), in *@others.
 */
void sockmap_test_count_ino(struct kunit *test, const char *out,
			    unsigned long ino, int *own, int *others)
{
	const char *line = strchr(out, '\n');	/* skip the header */
	int pid_col = sockmap_test_header_column(test, out, "PID");
	int ino_col = sockmap_test_header_column(test, out, "INODE");
	unsigned long row_ino;
	long pid;

	*own = 0;
	*others = 0;
	KUNIT_ASSERT_NOT_NULL(test, line);
	while (*++line) {
		pid = sockmap_test_line_number_or_none(test, line, pid_col);
		row_ino = sockmap_test_line_number(test, line, ino_col);
		if (row_ino == ino) {
			if (pid == task_pid_nr(current))
				++*own;
			else
				++*others;
		}
		line = strchr(line, '\n');
		KUNIT_ASSERT_NOT_NULL(test, line);
	}
}

/*
 * UML boots with lo down; the loopback tests need it up (and ::1 on it).
 * The walks need a procfs instance to ask who may see what.
 */
int sockmap_test_suite_init(struct kunit_suite *suite)
{
	struct net_device *lo = init_net.loopback_dev;
	struct file_system_type *proc = get_fs_type("proc");
	int err;

	if (!proc)
		return -ENODEV;
	sockmap_test_procfs = kern_mount(proc);
	if (IS_ERR(sockmap_test_procfs))
		return PTR_ERR(sockmap_test_procfs);

	rtnl_lock();
	err = dev_change_flags(lo, lo->flags | IFF_UP, NULL);
	rtnl_unlock();
	return err;
}

void sockmap_test_suite_exit(struct kunit_suite *suite)
{
	if (!IS_ERR_OR_NULL(sockmap_test_procfs))
		kern_unmount(sockmap_test_procfs);
}

MODULE_DESCRIPTION("KUnit tests for /proc/sockmap");
MODULE_LICENSE("GPL");
