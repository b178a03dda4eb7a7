// SPDX-License-Identifier: GPL-2.0
/*
 * sockfarm - the benchmark's workload: N open sockets spread over N/100
 * processes (or over P), a mix of what a busy host holds.
 *
 *	sockfarm N [P]
 *
 * Each worker process opens exactly 100 sockets (the last one fewer when N
 * is not a multiple of 100); with P, each of P workers opens N/P, as blocks
 * of 100 like the one below (P = 1: one process holds all N fds, its
 * RLIMIT_NOFILE raised to fit). A block is, in this order:
 *	 2  TCP listeners, one on 127.0.0.1 and one on [::1]
 *	40  TCP connections over loopback, both ends in this process:
 *	    10 IPv4 and 10 IPv6 pairs (connect + accept)
 *	20  UDP sockets, 10 bound to 127.0.0.1 and 10 to [::1]
 *	38  UNIX stream socketpairs (19 pairs)
 * so N = 100,000 is 1,000 processes, 2,000 listeners, 40,000 TCP, 20,000
 * UDP and 38,000 UNIX sockets.
 *
 * So that a million sockets fit in loopback's port space: block B's two
 * listeners bind port 1024 + B (below the ephemeral range, which the
 * connections' own ends use; the kernel picks one if that port is taken),
 * and UDP sockets set SO_REUSEADDR, so that the kernel's choice of a port
 * never runs out (28,232 ephemeral ports per address; 1,000,000 sockets
 * have 100,000 UDP sockets on each of 127.0.0.1 and [::1]).
 * Connected TCP sockets get SO_LINGER 0: when
 * the farm is killed they reset instead of lingering in TIME_WAIT, where
 * they would still show up in /proc/net/tcp for the next, bigger N.
 *
 * When every worker is ready the parent prints "sockfarm ready N=... procs=..."
 * and waits for SIGTERM or SIGINT; it then kills its workers, reaps them
 * and exits. Workers also die with the parent (PR_SET_PDEATHSIG).
 * Build it static, for the bare initramfs:
 *
 *	gcc -O2 -Wall -static -o sockfarm sockfarm.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PER_PROC 100

static void die(const char *what)
{
	fprintf(stderr, "sockfarm[%d]: %s: %s\n", getpid(), what,
		strerror(errno));
	exit(1);
}

/* Loopback of @family with port @port (network order). */
static socklen_t loopback(struct sockaddr_storage *ss, int family,
			  in_port_t port)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		in4->sin_family = AF_INET;
		in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		in4->sin_port = port;
		return sizeof(*in4);
	}
	in6->sin6_family = AF_INET6;
	in6->sin6_addr = in6addr_loopback;
	in6->sin6_port = port;
	return sizeof(*in6);
}

/*
 * A socket of @family/@type bound to loopback: to @port if it is free,
 * else (or with @port 0) to one the kernel picks.
 */
static int bound_socket(int family, int type, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(&ss, family, htons(port));
	int fd = socket(family, type, 0), one = 1;

	if (fd < 0)
		die("socket");
	if (type == SOCK_DGRAM &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&ss, len) == 0)
		return fd;
	if (!port || errno != EADDRINUSE)
		die("bind");
	len = loopback(&ss, family, 0);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind");
	return fd;
}

static in_port_t port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		die("getsockname");
	return ss.ss_family == AF_INET ?
	       ((struct sockaddr_in *)&ss)->sin_port :
	       ((struct sockaddr_in6 *)&ss)->sin6_port;
}

static void no_time_wait(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		die("SO_LINGER");
}

/* One loopback TCP connection to @listener: both ends stay open here. */
static void tcp_pair(int listener, int family)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(&ss, family, port_of(listener));
	int c, s;

	c = socket(family, SOCK_STREAM, 0);
	if (c < 0)
		die("socket");
	if (connect(c, (struct sockaddr *)&ss, len) < 0)
		die("connect");
	s = accept(listener, NULL, NULL);
	if (s < 0)
		die("accept");
	no_time_wait(c);
	no_time_wait(s);
}

/*
 * Open @n (at most PER_PROC) sockets in the order of the table above, as
 * block @block of the farm.
 */
static void open_block(int n, int block)
{
	int port = block < 30000 ? 1024 + block : 0;
	int l4, l6, sv[2], i;

	if (n < 2)
		die("fewer than 2 sockets per process");
	l4 = bound_socket(AF_INET, SOCK_STREAM, port);
	l6 = bound_socket(AF_INET6, SOCK_STREAM, port);
	if (listen(l4, 16) < 0 || listen(l6, 16) < 0)
		die("listen");
	n -= 2;
	for (i = 0; i < 20 && n >= 2; i++, n -= 2)
		tcp_pair(i % 2 ? l6 : l4, i % 2 ? AF_INET6 : AF_INET);
	for (i = 0; i < 20 && n >= 1; i++, n--)
		bound_socket(i % 2 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
	for (; n >= 2; n -= 2)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			die("socketpair");
	if (n)
		bound_socket(AF_INET, SOCK_DGRAM, 0);
}

/* Open @n sockets as blocks of PER_PROC, the first being block @block. */
static void open_sockets(int n, int block)
{
	struct rlimit rl;

	if (n + 16 > 1024) {
		rl.rlim_cur = rl.rlim_max = n + 16;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			die("RLIMIT_NOFILE");
	}
	for (; n > 0; n -= PER_PROC, block++)
		open_block(n < PER_PROC ? n : PER_PROC, block);
}

/* A worker: open its sockets, report on @ready, then wait to be killed. */
static void worker(int n, int block, int ready)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("PR_SET_PDEATHSIG");
	if (getppid() == 1)
		exit(1);
	open_sockets(n, block);
	if (write(ready, "+", 1) != 1)
		die("write");
	close(ready);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int n = argc >= 2 && argc <= 3 ? atoi(argv[1]) : 0;
	int procs = argc == 3 ? atoi(argv[2]) : (n + PER_PROC - 1) / PER_PROC;
	int per, pipefd[2], i, sig, got = 0;
	pid_t *pids;
	sigset_t set;
	char c;

	if (n <= 0 || procs <= 0 || procs > n) {
		fprintf(stderr, "usage: sockfarm N [PROCS]\n");
		return 2;
	}
	/* Sockets per worker, whole blocks but for the last worker's. */
	per = (n + procs - 1) / procs;
	per = (per + PER_PROC - 1) / PER_PROC * PER_PROC;
	procs = (n + per - 1) / per;
	pids = calloc(procs, sizeof(*pids));
	if (!pids || pipe(pipefd) < 0)
		die("setup");

	/* Block the stop signals first: sigwait() below takes them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			close(pipefd[0]);
			worker(i < procs - 1 ? per : n - i * per,
			       i * (per / PER_PROC), pipefd[1]);
		}
	}
	close(pipefd[1]);

	/* Every worker writes one byte; EOF early means one of them died. */
	while (got < procs && read(pipefd[0], &c, 1) == 1)
		got++;
	if (got < procs) {
		fprintf(stderr, "sockfarm: only %d of %d workers ready\n",
			got, procs);
		for (i = 0; i < procs; i++)
			kill(pids[i], SIGKILL);
		return 1;
	}
	printf("sockfarm ready N=%d procs=%d\n", n, procs);
	fflush(stdout);

	sigwait(&set, &sig);
	for (i = 0; i < procs; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < procs; i++)
		waitpid(pids[i], NULL, 0);
	return 0;
}
