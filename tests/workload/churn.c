// SPDX-License-Identifier: GPL-2.0
/*
 * churn - keep changing the things /proc/sockmap walks, for scripts/stress.
 *
 *	churn SECONDS
 *
 * Starts one process per activity below, lets them run for SECONDS, then
 * prints one line of totals:
 *
 *	churn: fork=N zoo=N zoo1000=N tcp=N threads=N netns=N scm=N layout=N
 *	       ops=N layout_threads=N layout_ms=N errors=N
 *
 * (on one line). Each activity's N counts its operations; layout's counts
 * the layouts that stood their whole time under the readers,
 * layout_threads the threads started for them, layout_ms the longest time
 * one took to build.
 *
 * The activities (each a loop until the deadline):
 *	fork     processes that open a few sockets and exit at once
 *	zoo      sockets of every family and type opened, bound, dup'ed,
 *		 dup2'ed over each other, moved to high fd numbers, closed
 *	zoo1000  the same as uid 1000, so the unprivileged reader has rows
 *	tcp      TCP pairs (IPv4, IPv6, v4-mapped) connecting over loopback,
 *		 exchanging data and closing (the client closes first, so
 *		 it goes through TIME_WAIT)
 *	threads  threads that unshare(CLONE_FILES) and open sockets in
 *		 their own fd table, next to threads sharing the leader's
 *	netns    processes that enter a new network namespace and open a
 *		 TCP pair and a UDP socket there
 *	scm      sockets passed over a UNIX socket (SCM_RIGHTS) to another
 *		 process, and UNIX sockets sent over themselves (left for the
 *		 UNIX garbage collector)
 *	layout   as uid 1000 (no privilege), over and over, a process laid out
 *		 as in the one that once made a read a soft lockup:
 *		 LAYOUT_OWN threads that each unshare(CLONE_FILES) and open
 *		 a socket, one more that does the same and starts
 *		 LAYOUT_SHARING threads sharing its table, and
 *		 a leader that then calls pthread_exit(). It stands for
 *		 LAYOUT_HOLD_MS under the readers, then every thread ends.
 *
 * Everything stays on loopback and is bounded: each loop closes what it
 * opened. Errors that only mean "not allowed here" (EPERM for raw sockets
 * as uid 1000, a protocol the kernel lacks) are skipped; any other failed
 * call counts as an error, is printed, and makes churn exit 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

enum activity {
	FORK, ZOO, ZOO1000, TCP, THREADS, NETNS, SCM, LAYOUT, NR_ACTIVITIES
};

static const char *const activity_name[NR_ACTIVITIES] = {
	"fork", "zoo", "zoo1000", "tcp", "threads", "netns", "scm", "layout",
};

/* Shared by every churn process (MAP_SHARED), updated atomically. */
struct totals {
	long ops[NR_ACTIVITIES];
	long layout_threads;
	long layout_ms;		/* the longest time a layout took to build */
	long errors;
};

static struct totals *totals;
static enum activity me;
static time_t deadline;

static int running(void)
{
	return time(NULL) < deadline;
}

static void count(void)
{
	__atomic_add_fetch(&totals->ops[me], 1, __ATOMIC_RELAXED);
}

/* error - a call failed for no good reason: report it (the first few). */
static void error(const char *what)
{
	long n = __atomic_add_fetch(&totals->errors, 1, __ATOMIC_RELAXED);

	if (n <= 20)
		fprintf(stderr, "churn %s: %s: %s\n", activity_name[me], what,
			strerror(errno));
}

/* skippable - errnos that mean "this socket kind is not for us here". */
static int skippable(int err)
{
	return err == EPERM || err == EACCES || err == EAFNOSUPPORT ||
	       err == EPROTONOSUPPORT || err == ESOCKTNOSUPPORT;
}

/* open_socket - socket(), an error if it fails for a reason not skippable. */
static int open_socket(int family, int type, int protocol)
{
	int fd = socket(family, type, protocol);

	if (fd < 0 && !skippable(errno))
		error("socket");
	return fd;
}

/* must_fork - fork(), or count the error and end this activity. */
static pid_t must_fork(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		error("fork");
		exit(1);
	}
	return pid;
}

static void close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* ---- zoo: one socket of every kind, then dup/dup2 games ---- */

static const struct kind {
	int family, type, protocol;
} kinds[] = {
	{ AF_INET, SOCK_STREAM, IPPROTO_TCP },
	{ AF_INET, SOCK_DGRAM, IPPROTO_UDP },
	{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE },
	{ AF_INET, SOCK_DGRAM, IPPROTO_ICMP },	/* ping socket */
	{ AF_INET, SOCK_RAW, IPPROTO_ICMP },
	{ AF_INET, SOCK_RAW, IPPROTO_RAW },
	{ AF_INET6, SOCK_STREAM, IPPROTO_TCP },
	{ AF_INET6, SOCK_DGRAM, IPPROTO_UDP },
	{ AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE },
	{ AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6 },
	{ AF_INET6, SOCK_RAW, IPPROTO_ICMPV6 },
	{ AF_UNIX, SOCK_STREAM, 0 },
	{ AF_UNIX, SOCK_DGRAM, 0 },
	{ AF_UNIX, SOCK_SEQPACKET, 0 },
	{ AF_NETLINK, SOCK_RAW, NETLINK_ROUTE },
	{ AF_NETLINK, SOCK_DGRAM, NETLINK_GENERIC },
	{ AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG },
	{ AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT },
	{ AF_PACKET, SOCK_RAW, 0x0300 },	/* htons(ETH_P_ALL) */
	{ AF_PACKET, SOCK_DGRAM, 0x0008 },	/* htons(ETH_P_IP) */
};

#define NR_KINDS (int)(sizeof(kinds) / sizeof(kinds[0]))

/* bind_somewhere - give some sockets a local address to print. */
static void bind_somewhere(int fd, const struct kind *k, int i)
{
	static unsigned int serial;
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	socklen_t len;
	int ret = 0;

	switch (k->family) {
	case AF_INET:
		if (k->type == SOCK_RAW)
			return;
		in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ret = bind(fd, (struct sockaddr *)&in4, sizeof(in4));
		break;
	case AF_INET6:
		if (k->type == SOCK_RAW)
			return;
		in6.sin6_addr = in6addr_loopback;
		ret = bind(fd, (struct sockaddr *)&in6, sizeof(in6));
		break;
	case AF_UNIX:
		/* Alternate: a path with a space in it, abstract, unbound. */
		serial++;
		if (i % 3 == 0) {
			snprintf(un.sun_path, sizeof(un.sun_path),
				 "/tmp/churn zoo %d.%u", getpid(), serial);
			len = sizeof(un);
		} else if (i % 3 == 1) {
			len = offsetof(struct sockaddr_un, sun_path) + 1 +
			      snprintf(un.sun_path + 1, sizeof(un.sun_path) - 1,
				       "churn-%d.%u", getpid(), serial);
		} else {
			return;
		}
		ret = bind(fd, (struct sockaddr *)&un, len);
		if (ret == 0 && un.sun_path[0])
			unlink(un.sun_path);	/* the socket keeps its name */
		break;
	}
	if (ret < 0)
		error("bind");
}

static void zoo_round(void)
{
	int fds[NR_KINDS + 4], n = 0, i, hi;

	for (i = 0; i < NR_KINDS; i++) {
		fds[n] = open_socket(kinds[i].family, kinds[i].type,
				     kinds[i].protocol);
		if (fds[n] < 0)
			continue;
		bind_somewhere(fds[n], &kinds[i], i);
		n++;
		count();
	}
	if (n < 2)
		return;

	/* dup: the same socket under two fds. */
	fds[n] = dup(fds[0]);
	if (fds[n] < 0)
		error("dup");
	n++;
	/* dup2 over another socket: that one closes under the walk. */
	for (i = 1; i + 1 < n; i += 2) {
		if (dup2(fds[i], fds[i + 1]) < 0)
			error("dup2");
		count();
	}
	/* A high fd number: the fd table grows, the walk skips a gap. */
	hi = fcntl(fds[n - 1], F_DUPFD, 600 + rand() % 300);
	if (hi < 0)
		error("F_DUPFD");
	fds[n++] = hi;

	usleep(rand() % 2000);
	close_all(fds, n);
	count();
}

static void zoo(void)
{
	while (running())
		zoo_round();
}

/* ---- fork: short-lived processes with sockets ---- */

static void fork_exit(void)
{
	while (running()) {
		pid_t pid = fork();

		if (pid < 0) {
			error("fork");
			sleep(1);
			continue;
		}
		if (pid == 0) {
			int sv[2];

			socket(AF_INET, SOCK_DGRAM, 0);
			socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
			if (rand() % 2)
				usleep(rand() % 3000);
			_exit(0);	/* exit closes them */
		}
		waitpid(pid, NULL, 0);
		count();
	}
}

/* ---- tcp: loopback connections through their whole life ---- */

union addr {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

static int tcp_listener(int family, union addr *a, socklen_t *len)
{
	int fd = socket(family, SOCK_STREAM, 0);

	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->in4.sin_family = AF_INET;
		a->in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(a->in4);
	} else {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_addr = in6addr_any;	/* v4-mapped clients too */
		*len = sizeof(a->in6);
	}
	if (fd < 0 || bind(fd, &a->sa, *len) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, &a->sa, len) < 0) {
		error("tcp listener");
		exit(1);
	}
	return fd;
}

/*
 * tcp_pair - connect to the listener, exchange a message, close. The client
 * usually closes first (its socket lingers in TIME_WAIT); sometimes the
 * server does, with unread data queued.
 */
static void tcp_pair(int lfd, int family, union addr *to, socklen_t len)
{
	static const char msg[] = "hello i am client";
	char buf[sizeof(msg)];
	int c, s;

	c = socket(family, SOCK_STREAM, 0);
	if (c < 0) {
		error("tcp socket");
		return;
	}
	if (connect(c, &to->sa, len) < 0) {
		error("connect");
		close(c);
		return;
	}
	s = accept(lfd, NULL, NULL);
	if (s < 0) {
		error("accept");
		close(c);
		return;
	}
	if (write(c, msg, sizeof(msg)) != sizeof(msg) ||
	    read(s, buf, sizeof(buf)) <= 0 ||
	    write(s, buf, sizeof(buf)) != sizeof(buf))
		error("tcp exchange");
	usleep(rand() % 2000);
	if (rand() % 4) {
		if (read(c, buf, sizeof(buf)) <= 0)
			error("tcp echo");
		close(c);
		close(s);
	} else {
		if (write(c, msg, sizeof(msg)) != sizeof(msg))
			error("tcp write");
		close(s);	/* unread data: the server sends a RST */
		close(c);
	}
	count();
}

static void tcp(void)
{
	union addr a4, a6, mapped;
	socklen_t l4, l6;
	int fd4 = tcp_listener(AF_INET, &a4, &l4);
	int fd6 = tcp_listener(AF_INET6, &a6, &l6);

	/* Clients of the IPv6 listener: [::1] and IPv4 (seen as v4-mapped). */
	a6.in6.sin6_addr = in6addr_loopback;
	memset(&mapped, 0, sizeof(mapped));
	mapped.in4.sin_family = AF_INET;
	mapped.in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	mapped.in4.sin_port = a6.in6.sin6_port;

	while (running()) {
		tcp_pair(fd4, AF_INET, &a4, l4);
		tcp_pair(fd6, AF_INET6, &a6, l6);
		tcp_pair(fd6, AF_INET, &mapped, sizeof(mapped.in4));
	}
	close(fd4);
	close(fd6);
}

/* ---- threads: private fd tables (unshare(CLONE_FILES)) ---- */

static void *thread_body(void *unshare_files)
{
	int fds[4], i;

	if (unshare_files && unshare(CLONE_FILES) < 0) {
		error("unshare(CLONE_FILES)");
		return NULL;
	}
	for (i = 0; i < 4; i++)
		fds[i] = open_socket(i % 2 ? AF_INET6 : AF_INET,
				     i < 2 ? SOCK_DGRAM : SOCK_STREAM, 0);
	/* Give the readers a chance to see this thread's own rows. */
	usleep(1000 + rand() % 5000);
	close_all(fds, 4);
	count();
	return NULL;
}

static void threads(void)
{
	while (running()) {
		pthread_t t[4];
		int i, err;

		for (i = 0; i < 4; i++) {
			err = pthread_create(&t[i], NULL, thread_body,
					     (void *)(long)(i % 2));
			if (err) {
				errno = err;
				error("pthread_create");
				t[i] = 0;
			}
		}
		for (i = 0; i < 4; i++)
			if (t[i])
				pthread_join(t[i], NULL);
	}
}

/* ---- netns: processes in fresh network namespaces ---- */

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		error("SIOCGIFFLAGS lo");
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			error("SIOCSIFFLAGS lo");
	}
	if (fd >= 0)
		close(fd);
}

static void netns_child(void)
{
	union addr a;
	socklen_t len;
	int lfd, udp;

	if (unshare(CLONE_NEWNET) < 0) {
		error("unshare(CLONE_NEWNET)");
		_exit(1);
	}
	lo_up();
	/* Same port numbers in every namespace: NETNS tells them apart. */
	lfd = tcp_listener(AF_INET, &a, &len);
	udp = open_socket(AF_INET, SOCK_DGRAM, 0);
	tcp_pair(lfd, AF_INET, &a, len);
	usleep(rand() % 20000);
	close(udp);
	close(lfd);
	_exit(0);
}

static void netns(void)
{
	while (running()) {
		pid_t pid = fork();

		if (pid < 0) {
			error("fork");
			sleep(1);
			continue;
		}
		if (pid == 0)
			netns_child();
		waitpid(pid, NULL, 0);
		count();
		/* Namespaces die asynchronously (cleanup_net): don't outrun. */
		usleep(20000);
	}
}

/* ---- scm: fds passed over a UNIX socket ---- */

static int send_fd(int via, int fd)
{
	char byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(via, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int via)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(via, &msg, 0) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/* The receiving process keeps the last 8 fds it got, then closes them. */
static void scm_receiver(int via)
{
	int ring[8], i = 0, fd;

	for (fd = 0; fd < 8; fd++)
		ring[fd] = -1;
	while ((fd = recv_fd(via)) >= 0) {
		if (ring[i] >= 0)
			close(ring[i]);
		ring[i] = fd;
		i = (i + 1) % 8;
	}
	close_all(ring, 8);
	_exit(0);
}

/* A UNIX socket in flight inside itself: only the UNIX GC can free it. */
static void scm_cycle(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0) {
		error("socketpair");
		return;
	}
	if (send_fd(sv[0], sv[1]) < 0)
		error("sendmsg cycle");
	close(sv[0]);
	close(sv[1]);
}

static void scm(void)
{
	int sv[2], fd, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		error("socketpair");
		exit(1);
	}
	pid = must_fork();
	if (pid == 0) {
		close(sv[0]);
		scm_receiver(sv[1]);
	}
	close(sv[1]);
	while (running()) {
		fd = open_socket(rand() % 2 ? AF_INET : AF_INET6,
				 rand() % 2 ? SOCK_STREAM : SOCK_DGRAM, 0);
		if (fd < 0)
			continue;
		if (send_fd(sv[0], fd) < 0)
			error("sendmsg");
		close(fd);	/* now only the receiver holds it */
		if (rand() % 8 == 0)
			scm_cycle();
		count();
		usleep(rand() % 1000);
	}
	close(sv[0]);		/* the receiver sees EOF and exits */
	waitpid(pid, &status, 0);
}

/* ---- layout: the hostile thread layout, as uid 1000 ---- */

/*
 * The sizes. The soft lockup was measured at N = M = 3,000 on a native
 * CPU (1.2-1.6 s per read with the walk that went back to the thread
 * list's head for every thread). Here the kernel is a KASAN + lockdep build under TCG, where a
 * thread costs about 13 ms to start in an idle guest (300 in 4 s) and 60-70
 * ms under the whole stress load (2 x 150 took 21 s, 2 x 300 took 35 s),
 * several times that when the host is busy too. So a round is 129 threads,
 * built in well under 15 s even then, started at a higher priority
 * (LAYOUT_NICE, set while still root) so that the other activities do not
 * starve it: one or a few rounds in a 30 s run, hundreds of threads each
 * minute. LAYOUT_HOLD_MS lets every reader walk the whole layout at least
 * once while it stands.
 */
#define LAYOUT_OWN	64	/* threads with a table each */
#define LAYOUT_SHARING	64	/* threads sharing one more thread's table */
#define LAYOUT_HOLD_MS	2000
#define LAYOUT_NICE	-10
#define LAYOUT_STACK	(64 * 1024)

static int layout_release;	/* a pipe's read end: EOF ends every thread */
static sem_t layout_started;	/* one post per thread in place */
static pthread_attr_t layout_attr;

/* layout_wait - block until the churn process lets the layout go. */
static void layout_wait(void)
{
	char c;

	while (read(layout_release, &c, 1) < 0 && errno == EINTR)
		;
}

static void layout_thread(void *(*fn)(void *))
{
	pthread_t t;
	int err = pthread_create(&t, &layout_attr, fn, NULL);

	if (err) {
		errno = err;
		error("pthread_create");
		_exit(1);
	}
	__atomic_add_fetch(&totals->layout_threads, 1, __ATOMIC_RELAXED);
}

/* In the table of the thread that started it: nothing of its own. */
static void *layout_sharer(void *unused)
{
	(void)unused;
	sem_post(&layout_started);
	layout_wait();
	return NULL;
}

/* A thread with a table of its own, holding one socket. */
static void *layout_owner(void *starts_sharers)
{
	int fd, i;

	if (unshare(CLONE_FILES) < 0) {
		error("unshare(CLONE_FILES)");
		_exit(1);
	}
	fd = open_socket(AF_INET, SOCK_DGRAM, 0);
	if (starts_sharers)
		for (i = 0; i < LAYOUT_SHARING; i++)
			layout_thread(layout_sharer);
	sem_post(&layout_started);
	layout_wait();
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *layout_first_owner(void *unused)
{
	(void)unused;
	return layout_owner((void *)1);
}

static void *layout_other_owner(void *unused)
{
	(void)unused;
	return layout_owner(NULL);
}

/*
 * layout_process - the process under the readers: build the layout, say so
 * on @ready, and leave it to its threads (the leader exits first). Every
 * thread returns when @release reaches EOF; the last one ends the process.
 */
static void layout_process(int release, int ready)
{
	int i, n = LAYOUT_OWN + 1 + LAYOUT_SHARING;

	layout_release = release;
	if (sem_init(&layout_started, 0, 0) < 0 ||
	    pthread_attr_init(&layout_attr) ||
	    pthread_attr_setstacksize(&layout_attr, LAYOUT_STACK) ||
	    pthread_attr_setdetachstate(&layout_attr, PTHREAD_CREATE_DETACHED)) {
		error("thread attributes");
		_exit(1);
	}
	for (i = 0; i < LAYOUT_OWN; i++)
		layout_thread(layout_other_owner);
	layout_thread(layout_first_owner);
	for (i = 0; i < n; i++)
		while (sem_wait(&layout_started) < 0)
			if (errno != EINTR) {
				error("sem_wait");
				_exit(1);
			}
	if (write(ready, "x", 1) != 1) {
		error("layout ready");
		_exit(1);
	}
	close(ready);
	pthread_exit(NULL);	/* the leader goes; its threads stay */
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void layout_round(void)
{
	int release[2], ready[2], status;
	long start, wait_ms, built_ms;
	pid_t pid;
	char c;

	if (pipe(release) < 0 || pipe(ready) < 0) {
		error("pipe");
		exit(1);
	}
	pid = must_fork();
	if (pid == 0) {
		close(release[1]);
		close(ready[0]);
		layout_process(release[0], ready[1]);
	}
	close(release[0]);
	close(ready[1]);
	/*
	 * A round counts only if its layout stood LAYOUT_HOLD_MS while the
	 * readers still read: one not built by then is killed, uncounted.
	 */
	start = now_ms();
	wait_ms = (deadline - time(NULL)) * 1000L - LAYOUT_HOLD_MS;
	if (wait_ms > 0 &&
	    poll(&(struct pollfd){ .fd = ready[0], .events = POLLIN }, 1,
		 wait_ms) == 1 && read(ready[0], &c, 1) == 1) {
		built_ms = now_ms() - start;
		if (built_ms > totals->layout_ms)
			totals->layout_ms = built_ms;
		usleep(LAYOUT_HOLD_MS * 1000);
		count();
	} else {
		kill(pid, SIGKILL);
	}
	close(release[1]);	/* EOF: every thread returns */
	close(ready[0]);
	if (waitpid(pid, &status, 0) < 0 ||
	    (WIFEXITED(status) && WEXITSTATUS(status)) ||
	    (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL))
		error("layout process ended badly");
}

static void layout(void)
{
	while (running())
		layout_round();
}

/* ---- the main process: start, wait, add up ---- */

/*
 * become_user - drop root. Changing uid makes a process non-dumpable, and
 * then only root may see its fds: make it dumpable again, as a process that
 * uid 1000 started itself would be, so that the uid 1000 reader sees it.
 */
static void become_user(uid_t uid)
{
	if (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0 ||
	    prctl(PR_SET_DUMPABLE, 1) < 0) {
		error("setuid");
		exit(1);
	}
}

static void (*const body[NR_ACTIVITIES])(void) = {
	[FORK] = fork_exit, [ZOO] = zoo, [ZOO1000] = zoo, [TCP] = tcp,
	[THREADS] = threads, [NETNS] = netns, [SCM] = scm, [LAYOUT] = layout,
};

int main(int argc, char **argv)
{
	pid_t pids[NR_ACTIVITIES];
	long sum = 0;
	int i, status, bad = 0;

	if (argc != 2 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: churn SECONDS\n");
		return 2;
	}
	deadline = time(NULL) + atoi(argv[1]);
	totals = mmap(NULL, sizeof(*totals), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (totals == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);

	for (i = 0; i < NR_ACTIVITIES; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			return 1;
		}
		if (pids[i] == 0) {
			me = i;
			srand(getpid());
			if (i == LAYOUT && setpriority(PRIO_PROCESS, 0,
						       LAYOUT_NICE) < 0)
				error("setpriority");
			if (i == ZOO1000 || i == LAYOUT)
				become_user(1000);
			body[i]();
			exit(0);
		}
	}
	for (i = 0; i < NR_ACTIVITIES; i++) {
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "churn %s: ended badly (status %#x)\n",
				activity_name[i], status);
			bad = 1;
		}
	}

	printf("churn:");
	for (i = 0; i < NR_ACTIVITIES; i++) {
		printf(" %s=%ld", activity_name[i], totals->ops[i]);
		sum += totals->ops[i];
	}
	printf(" ops=%ld layout_threads=%ld layout_ms=%ld errors=%ld\n", sum,
	       totals->layout_threads, totals->layout_ms, totals->errors);
	return bad || totals->errors ? 1 : 0;
}
