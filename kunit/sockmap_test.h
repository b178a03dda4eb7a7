/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockmap_test.h - what the KUnit suites for sockmap share: the kernel's
 * headers they use, the limits and the polling macro, a row's fields, and
 * the helpers of sockmap_test_util.c (seq_files in memory, strings,
 * sockets, files, credentials, walks of /proc/sockmap, a task that has
 * exited, and the suites' setup). Run the suites with scripts/kunit.
 *
 * The suites, by kind: sockmap_fields (names and formatted fields,
 * sockmap_fields_test.c), sockmap_rows (rows of real sockets,
 * sockmap_rows_test.c), sockmap_walk (the seq_file walk over every task's
 * fds, sockmap_walk_test.c) and sockmap_access (who may see whom,
 * sockmap_access_test.c).
 *
 * Every expected value comes from somewhere sockmap does not: the RFCs and
 * the kernel's own definitions for the formatting tables, and the fields
 * of the sockets the test itself created (their getsockname(), the bytes
 * it sent, the tcp_sock fields /proc/net/tcp prints) for the rows.
 *
 * The tests run in a kernel thread. Kernel threads share one fd table
 * (init_files), as processes made with clone(CLONE_FILES) do: the table
 * is shown once, under the first of them the reader may see.
 */
#ifndef SOCKMAP_TEST_H
#define SOCKMAP_TEST_H

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/magic.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/pid_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <linux/un.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "sockmap.h"
#include "sockmap_row.h"

/* Longest field or expected string the tests build. */
#define SOCKMAP_TEST_STR_MAX	256

/* A whole /proc/sockmap read must fit in this. */
#define SOCKMAP_TEST_OUTPUT_MAX	(4 << 20)

/*
 * Socket fds the cursor test installs: 900 rows of some 200 bytes fill
 * several seq_file buffers (SOCKMAP_SEQ_BUF_MAX). A kernel thread may
 * have SOCKMAP_TEST_MAX_FDS fds open (RLIMIT_NOFILE).
 */
#define SOCKMAP_TEST_CURSOR_FDS	900
#define SOCKMAP_TEST_MAX_FDS	1024

/*
 * Room for one field, as a row makes it: the longest field (a UNIX name,
 * every byte escaped), and the 8 bytes a word store of a number or of
 * padding may write past it.
 */
#define SOCKMAP_TEST_FIELD_MAX	(SOCKMAP_UNIX_NAME_MAX + 8)

/*
 * Poll @cond for up to two seconds. Loopback delivers in softirq context,
 * usually before the sender's call returns; the poll makes it certain.
 * The value is @cond's last evaluation.
 */
#define sockmap_test_wait(cond) ({				\
	int __tries = 100;					\
	bool __done;						\
								\
	for (;;) {						\
		__done = (cond);				\
		if (__done || !--__tries)			\
			break;					\
		msleep(20);					\
	}							\
	__done;							\
})

/*
 * Credentials for a reader or a task: @uid as real, effective, saved and
 * filesystem uid (@fsuid differs only where a case says so), @gid for all
 * gids, no capabilities but those asked for. Put when the test ends.
 */
struct sockmap_test_ids {
	uid_t uid, euid, suid, fsuid;
	gid_t gid;
	bool ptrace_effective;	/* CAP_SYS_PTRACE in the effective set */
	bool ptrace_permitted;	/* ... and/or only in the permitted set */
	bool dac_read_search;	/* CAP_DAC_READ_SEARCH, effective */
};

/*
 * The columns of a row the tests read, INODE..PEER, by name: each is found
 * where the header puts it (sockmap_rows_test.c).
 */
enum sockmap_test_field {
	F_INODE, F_SOCK, F_NETNS, F_FAMILY, F_TYPE, F_PROTO, F_STATE, F_LOCAL,
	F_REMOTE, F_RXQ, F_TXQ, F_CWND, F_SSTHRESH, F_SRTT_US, F_RETRANS,
	F_UID, F_PEER, NR_FIELDS
};

/*
 * The procfs instance the walks are read through, mounted by the suites
 * that need it (sockmap_test_suite_init()).
 */
extern struct vfsmount *sockmap_test_procfs;

void sockmap_test_fput(void *file);
void sockmap_test_kvfree(void *p);
struct seq_file *sockmap_test_seq(struct kunit *test);
const char *sockmap_test_seq_str(struct kunit *test, struct seq_file *m);
char *sockmap_test_field_buf(struct kunit *test);
const char *sockmap_test_field(struct kunit *test, char *buf,
			       char *end);
__printf(2, 3)
const char *sockmap_test_fmt(struct kunit *test, const char *fmt, ...);
struct file *sockmap_test_socket(struct kunit *test, int family,
				 int type, int protocol);
struct socket *sockmap_test_sock(struct file *file);
struct sock *sockmap_test_sk(struct file *file);
unsigned long sockmap_test_ino(struct file *file);
struct file *sockmap_test_accept(struct kunit *test,
				 struct file *listener);
int sockmap_test_addr(struct kunit *test, int family, const char *addr,
		      u16 port, struct sockaddr_storage *ss);
void sockmap_test_bind(struct kunit *test, struct file *file,
		       int family, const char *addr, u16 port);
void sockmap_test_connect(struct kunit *test, struct file *file,
			  int family, const char *addr, u16 port);
u16 sockmap_test_port(struct kunit *test, struct file *file);
void sockmap_test_send(struct kunit *test, struct file *file,
		       const char *data);
void sockmap_test_socketpair(struct kunit *test, struct file *a,
			     struct file *b);
int sockmap_test_install_fd(struct kunit *test, struct file *file);
struct cred *sockmap_test_creds(struct kunit *test,
				const struct sockmap_test_ids *ids);
struct cred *sockmap_test_user(struct kunit *test, uid_t uid);
struct file *sockmap_test_file_as(struct kunit *test,
				  const struct cred *cred);
size_t sockmap_test_read_all(struct kunit *test, struct file *file,
			     size_t chunk, char *buf);
struct file *sockmap_test_open_walk(struct kunit *test,
				    const struct cred *cred);
struct file *sockmap_test_open_own_walk(struct kunit *test);
char *sockmap_test_output_buf(struct kunit *test);
struct task_struct *sockmap_test_exited_task(struct kunit *test);
bool sockmap_test_line_field(const char *line, int col, char *buf,
			     size_t size);
int sockmap_test_header_column(struct kunit *test, const char *out,
			       const char *name);
long sockmap_test_line_number(struct kunit *test, const char *line,
			      int col);
long sockmap_test_line_number_or_none(struct kunit *test, const char *line,
				      int col);
void sockmap_test_count_ino(struct kunit *test, const char *out,
			    unsigned long ino, int *own, int *others);
int sockmap_test_suite_init(struct kunit_suite *suite);
void sockmap_test_suite_exit(struct kunit_suite *suite);

#endif /* SOCKMAP_TEST_H */
