// SPDX-License-Identifier: GPL-2.0
/*
 * sockzoo - a workload for sockmap's end-to-end checks.
 *
 * It opens sockets of every kind /proc/sockmap has to describe, prints one
 * "sockzoo ready ..." line and then waits until it is killed. Build it
 * static so that it runs in a bare initramfs:
 *
 *	gcc -O2 -Wall -static -pthread -o sockzoo sockzoo.c
 *
 * (vm_build_workloads in tests/vm/vm.sh does that.)
 *
 * Modes:
 *	sockzoo zoo		every kind of socket (needs root: netns, raw)
 *	sockzoo basic		a TCP pair, a UDP and a UNIX pair, and a
 *				non-dumpable child with a socket (any uid)
 *	sockzoo many N		N UNIX socketpairs, i.e. 2*N socket fds
 *	sockzoo readas UID FILE	open FILE with UID's credentials, then read
 *				it back as root (who opened it must decide)
 *
 * The ready line names the helper tasks the checks look for:
 *	sockzoo ready pid=P worker=W netns=N thread=T sharer=S orphan=O	(zoo)
 *	sockzoo ready pid=P nodump=D				(basic)
 * Children die with the parent (PR_SET_PDEATHSIG), so killing P is enough.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/sockios.h>

/* Fixed ports, so that a person reading /proc/sockmap can find them. */
#define PORT_V4		22222	/* the documents' echo server */
#define PORT_V4_CLIENT	22223	/* fixed, so the netns twin has the same 4-tuple */
#define PORT_BACKLOG	22224	/* a listener with a connection never accepted */
#define PORT_V6		23333
#define PORT_DUAL	24444	/* [::] listener reached over IPv4: v4-mapped */
#define PORT_FULL	25555	/* receiver never reads: RXQ>0 and TXQ>0 */
#define PORT_COUNTED	25556	/* a known transfer: TX_BYTES, RX_BYTES */
#define PORT_MPTCP	25557	/* the same over MPTCP, where the kernel has it */
#define PORT_UDP4	26666
#define PORT_UDP6	26667
#define PORT_UDP6_PEER	26668
#define PORT_THREAD	27777
#define ZOO_TRANSFER	100000	/* what it moves (ZOO_TRANSFER in e2e/lib.sh) */
#define ETHERTYPE_ZOO	0x88b5	/* IEEE local experimental: nothing sends it */

#define PATH_SPACE	"/tmp/zoo sock"
#define PATH_BACKSLASH	"/tmp/zoo\\sock"
#define ABSTRACT_NAME	"sockzoo-abstract"

static void die(const char *what)
{
	fprintf(stderr, "sockzoo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int xsocket(int domain, int type, int protocol)
{
	int fd = socket(domain, type, protocol);

	if (fd < 0)
		die("socket");
	return fd;
}

/* Fill *sa with IP:PORT (IPv4 or IPv6, by the address's syntax). */
static socklen_t make_addr(struct sockaddr_storage *sa, const char *ip,
			   int port)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, ip, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		return sizeof(*in4);
	}
	if (inet_pton(AF_INET6, ip, &in6->sin6_addr) != 1) {
		fprintf(stderr, "sockzoo: bad address %s\n", ip);
		exit(1);
	}
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(port);
	return sizeof(*in6);
}

static void xbind(int fd, const char *ip, int port)
{
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, ip, port);
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, len) < 0)
		die(ip);
}

static void xconnect(int fd, const char *ip, int port)
{
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, ip, port);

	if (connect(fd, (struct sockaddr *)&sa, len) < 0)
		die("connect");
}

static int family_of(const char *ip)
{
	return strchr(ip, ':') ? AF_INET6 : AF_INET;
}

static int tcp_listener(const char *ip, int port, int backlog, int v6only)
{
	int fd = xsocket(family_of(ip), SOCK_STREAM, 0);

	if (family_of(ip) == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)))
		die("IPV6_V6ONLY");
	xbind(fd, ip, port);
	if (listen(fd, backlog) < 0)
		die("listen");
	return fd;
}

/* A client connected to IP:PORT, from CLIENT_PORT when it is not 0. */
static int tcp_client(const char *ip, int port, int client_port)
{
	int fd = xsocket(family_of(ip), SOCK_STREAM, 0);

	if (client_port)
		xbind(fd, ip, client_port);
	xconnect(fd, ip, port);
	return fd;
}

static int xaccept(int listener)
{
	int fd = accept(listener, NULL, NULL);

	if (fd < 0)
		die("accept");
	return fd;
}

/* Connect a client to LISTENER (IPv4) and accept it; returns the client. */
static int xaccept_from(int listener)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int client;

	if (getsockname(listener, (struct sockaddr *)&sin, &len) < 0)
		die("getsockname");
	client = tcp_client("127.0.0.1", ntohs(sin.sin_port), 0);
	xaccept(listener);
	return client;
}

static int udp_socket(const char *ip, int port)
{
	int fd = xsocket(family_of(ip), SOCK_DGRAM, 0);

	xbind(fd, ip, port);
	return fd;
}

/* Bind a UNIX socket to PATH, or to an abstract NAME when path is NULL. */
static int unix_bound(int type, const char *path, const char *abstract)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = xsocket(AF_UNIX, type, 0);
	socklen_t len;

	if (path) {
		unlink(path);
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
		len = sizeof(sun);
	} else {
		snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "%s",
			 abstract);
		len = offsetof(struct sockaddr_un, sun_path) + 1 +
		      strlen(abstract);
	}
	if (bind(fd, (struct sockaddr *)&sun, len) < 0)
		die(path ? path : abstract);
	return fd;
}

static void xsocketpair(int type, int sv[2])
{
	if (socketpair(AF_UNIX, type, 0, sv) < 0)
		die("socketpair");
}

static void send_all(int fd, const char *msg)
{
	if (send(fd, msg, strlen(msg), 0) != (ssize_t)strlen(msg))
		die("send");
}

static void wait_forever(void)
{
	for (;;)
		pause();
}

/* Close every fd above stderr except KEEP (-1 for none). */
static void close_all_but(int keep)
{
	int fd;

	for (fd = 3; fd < 1024; fd++)
		if (fd != keep)
			close(fd);
}

/* Fork a child that dies with us; returns 0 in the child, like fork(). */
static pid_t fork_child(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0 && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("PR_SET_PDEATHSIG");
	return pid;
}

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = xsocket(AF_INET, SOCK_DGRAM, 0);

	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("SIOCSIFFLAGS");
	close(fd);
}

/*
 * The TCP pair of the documents' scenario: 127.0.0.1:22222 and a client on
 * 127.0.0.1:22223. Made in two network namespaces, it gives two connections
 * with the same 4-tuple, so PEER has to stay inside its own namespace.
 */
static void scenario_pair(void)
{
	int listener = tcp_listener("127.0.0.1", PORT_V4, 8, 0);

	tcp_client("127.0.0.1", PORT_V4, PORT_V4_CLIENT);
	xaccept(listener);
}

/* A child in a new network namespace, holding only sockets made there. */
static pid_t netns_child(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready) < 0)
		die("pipe");
	pid = fork_child();
	if (pid == 0) {
		close_all_but(ready[1]);
		prctl(PR_SET_NAME, "zoo\tnetns");	/* a tab: \011 */
		if (unshare(CLONE_NEWNET) < 0)
			die("unshare(CLONE_NEWNET)");
		lo_up();
		scenario_pair();
		udp_socket("0.0.0.0", PORT_UDP4);
		if (write(ready[1], "x", 1) != 1)
			die("write");
		close(ready[1]);
		wait_forever();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "sockzoo: the netns child failed\n");
		exit(1);
	}
	close(ready[0]);
	return pid;
}

static int thread_ready[2];

/* A thread with its own fd table: its socket is not in the leader's table. */
static void *unshared_thread(void *arg)
{
	pid_t tid = syscall(SYS_gettid);

	(void)arg;
	prctl(PR_SET_NAME, "zoo\\thread");
	if (unshare(CLONE_FILES) < 0)
		die("unshare(CLONE_FILES)");
	udp_socket("127.0.0.1", PORT_THREAD);
	if (write(thread_ready[1], &tid, sizeof(tid)) != sizeof(tid))
		die("write");
	wait_forever();
	return NULL;
}

/* A thread sharing the leader's fd table: it must not get rows. */
static void *sharing_thread(void *arg)
{
	pid_t tid = syscall(SYS_gettid);

	(void)arg;
	prctl(PR_SET_NAME, "zoo-sharer");
	if (write(thread_ready[1], &tid, sizeof(tid)) != sizeof(tid))
		die("write");
	wait_forever();
	return NULL;
}

static pid_t start_thread(void *(*fn)(void *))
{
	pthread_t thread;
	pid_t tid;

	if (!thread_ready[1] && pipe(thread_ready) < 0)
		die("pipe");
	errno = pthread_create(&thread, NULL, fn, NULL);
	if (errno)
		die("pthread_create");
	if (read(thread_ready[0], &tid, sizeof(tid)) != sizeof(tid))
		die("read");
	return tid;
}

/*
 * A connection whose receiver never reads: the receiver holds unread bytes
 * (RXQ > 0) and the sender, blocked by the closed window, unsent ones
 * (TXQ > 0).
 */
static void full_pair(void)
{
	int small = 4096, listener, sender, chunk = 1024;
	char buf[1024];

	memset(buf, 'z', sizeof(buf));
	listener = xsocket(AF_INET, SOCK_STREAM, 0);
	setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	xbind(listener, "127.0.0.1", PORT_FULL);
	if (listen(listener, 1) < 0)
		die("listen");
	sender = tcp_client("127.0.0.1", PORT_FULL, 0);
	setsockopt(sender, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	xaccept(listener);
	fcntl(sender, F_SETFL, O_NONBLOCK);
	while (send(sender, buf, chunk, 0) > 0 || errno == EINTR)
		;
	if (errno != EAGAIN)
		die("send");
	/* Let the last segments reach the receiver before we say "ready". */
	usleep(200 * 1000);
}

/*
 * A connection of @protocol (TCP or MPTCP) on @port that has moved a known
 * number of bytes: the accepted end sends ZOO_TRANSFER, the client reads
 * them all, and the sender waits until the last is acknowledged
 * (SIOCOUTQ, the bytes not yet acknowledged, is 0; a kernel whose MPTCP
 * lacks that ioctl gets a moment instead). Then both are idle: TX_BYTES of
 * the sender and RX_BYTES of the client are exactly ZOO_TRANSFER. Both
 * ends are non-blocking, so that neither waits for the other in one
 * thread.
 */
static void counted_pair(int protocol, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int listener, client, server, tries, unacked = 0;
	size_t sent = 0, received = 0;
	char buf[8192];
	ssize_t n;

	memset(buf, 'c', sizeof(buf));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listener = xsocket(AF_INET, SOCK_STREAM, protocol);
	if (bind(listener, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind");
	if (listen(listener, 1) < 0)
		die("listen");
	client = xsocket(AF_INET, SOCK_STREAM, protocol);
	if (connect(client, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("connect");
	server = xaccept(listener);
	fcntl(client, F_SETFL, O_NONBLOCK);
	fcntl(server, F_SETFL, O_NONBLOCK);
	while (received < ZOO_TRANSFER) {
		size_t want = ZOO_TRANSFER - sent;

		if (want > sizeof(buf))
			want = sizeof(buf);
		n = want ? send(server, buf, want, 0) : 0;
		if (n > 0)
			sent += n;
		else if (n < 0 && errno != EAGAIN && errno != EINTR)
			die("send");
		n = recv(client, buf, sizeof(buf), 0);
		if (n > 0)
			received += n;
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			die("recv");
	}
	for (tries = 0; tries < 500; tries++) {
		if (ioctl(server, SIOCOUTQ, &unacked) < 0) {
			usleep(300 * 1000);
			return;
		}
		if (!unacked)
			return;
		usleep(10 * 1000);
	}
	fprintf(stderr, "sockzoo: %d bytes still unacknowledged\n", unacked);
	exit(1);
}

/* The counted pair over MPTCP, on a kernel that has MPTCP enabled. */
static void mptcp_counted_pair(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);

	if (fd < 0)
		return;
	close(fd);
	counted_pair(IPPROTO_MPTCP, PORT_MPTCP);
}

static void inet_sockets(void)
{
	int listener, udp4, client;

	scenario_pair();

	/* One handshake completed, never accepted: listener RXQ is 1. */
	listener = tcp_listener("127.0.0.1", PORT_BACKLOG, 7, 0);
	tcp_client("127.0.0.1", PORT_BACKLOG, 0);

	listener = tcp_listener("::1", PORT_V6, 8, 1);
	tcp_client("::1", PORT_V6, 0);
	xaccept(listener);

	listener = tcp_listener("::", PORT_DUAL, 8, 0);
	tcp_client("127.0.0.1", PORT_DUAL, 0);
	xaccept(listener);

	full_pair();
	counted_pair(IPPROTO_TCP, PORT_COUNTED);
	mptcp_counted_pair();

	/* UDP: one unconnected with a datagram waiting, and connected ones. */
	udp4 = udp_socket("127.0.0.1", PORT_UDP4);
	client = xsocket(AF_INET, SOCK_DGRAM, 0);
	xconnect(client, "127.0.0.1", PORT_UDP4);
	send_all(client, "hello i am client");
	(void)udp4;
	udp_socket("::1", PORT_UDP6_PEER);
	client = udp_socket("::1", PORT_UDP6);
	xconnect(client, "::1", PORT_UDP6_PEER);
}

static void unix_sockets(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX,
				   .sun_path = PATH_SPACE };
	int sv[2], listener, client;

	xsocketpair(SOCK_STREAM, sv);
	send_all(sv[0], "hello");		/* Recv-Q 5 at sv[1] */
	xsocketpair(SOCK_DGRAM, sv);
	send_all(sv[1], "hello");
	xsocketpair(SOCK_SEQPACKET, sv);

	/* A listener at a path with a space, one client accepted. */
	listener = unix_bound(SOCK_STREAM, PATH_SPACE, NULL);
	if (listen(listener, 4) < 0)
		die("listen");
	client = xsocket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(client, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die("connect " PATH_SPACE);
	xaccept(listener);
	unix_bound(SOCK_DGRAM, PATH_BACKSLASH, NULL);
	listener = unix_bound(SOCK_STREAM, NULL, ABSTRACT_NAME);
	if (listen(listener, 4) < 0)
		die("listen");
	xsocket(AF_UNIX, SOCK_STREAM, 0);	/* unbound */
}

static void other_sockets(void)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETHERTYPE_ZOO),
		.sll_ifindex = if_nametoindex("lo"),
	};
	int fd;

	fd = xsocket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (bind(fd, (struct sockaddr *)&nl, sizeof(nl)) < 0)
		die("bind netlink");
	xsocket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	xsocket(AF_PACKET, SOCK_DGRAM, htons(ETHERTYPE_ZOO));	/* any ifc */
	fd = xsocket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE_ZOO));
	if (bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		die("bind packet");
}

/* A thread of orphaned_table()'s child; threads have their own pdeath signal. */
static void *orphan_thread(void *arg)
{
	(void)arg;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("PR_SET_PDEATHSIG");
	wait_forever();
	return NULL;
}

/* Whether process @pid is a zombie: for a thread group, its leader exited. */
static int is_zombie(pid_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

/*
 * A child whose main thread exits (pthread_exit()) while two threads that
 * share its fd table live on: the leader has no table any more, and the one
 * the threads share, holding a UNIX pair, must be shown once, not once per
 * thread. Returns when the leader has exited.
 */
static pid_t orphaned_table(void)
{
	pthread_t thread;
	int i, sv[2];
	pid_t pid = fork_child();

	if (pid) {
		for (i = 0; i < 500 && !is_zombie(pid); i++)
			usleep(10000);
		if (!is_zombie(pid))
			die("orphaned_table: the leader did not exit");
		return pid;
	}
	prctl(PR_SET_NAME, "zoo-orphan");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	for (i = 0; i < 2; i++) {
		errno = pthread_create(&thread, NULL, orphan_thread, NULL);
		if (errno)
			die("pthread_create");
	}
	pthread_exit(NULL);
}

/* A TCP connection held by us and by a forked child named "zoo worker". */
static pid_t shared_socket(void)
{
	int shared = xaccept_from(tcp_listener("127.0.0.1", 0, 1, 0));
	pid_t pid;

	pid = fork_child();
	if (pid == 0) {
		close_all_but(shared);
		prctl(PR_SET_NAME, "zoo worker");
		wait_forever();
	}
	return pid;
}

static int zoo(void)
{
	pid_t netns, thread, sharer, worker, orphan;

	/* Before anything else, so their fd tables hold no copies. */
	netns = netns_child();
	orphan = orphaned_table();
	thread = start_thread(unshared_thread);
	sharer = start_thread(sharing_thread);

	inet_sockets();
	unix_sockets();
	other_sockets();
	worker = shared_socket();

	printf("sockzoo ready pid=%d worker=%d netns=%d thread=%d sharer=%d orphan=%d\n",
	       getpid(), worker, netns, thread, sharer, orphan);
	fflush(stdout);
	wait_forever();
	return 0;
}

/*
 * A child that made itself non-dumpable: only CAP_SYS_PTRACE may see its
 * fds now, not even its own uid.
 */
static pid_t nodump_child(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready) < 0)
		die("pipe");
	pid = fork_child();
	if (pid == 0) {
		close_all_but(ready[1]);
		prctl(PR_SET_NAME, "zoo-nodump");
		if (prctl(PR_SET_DUMPABLE, 0) < 0)
			die("PR_SET_DUMPABLE");
		udp_socket("127.0.0.1", 0);
		if (write(ready[1], "x", 1) != 1)
			die("write");
		close(ready[1]);
		wait_forever();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "sockzoo: the non-dumpable child failed\n");
		exit(1);
	}
	close(ready[0]);
	return pid;
}

static int basic(void)
{
	pid_t nodump = nodump_child();
	int listener = tcp_listener("127.0.0.1", 0, 4, 0);
	int sv[2];

	xaccept_from(listener);
	udp_socket("127.0.0.1", 0);
	xsocketpair(SOCK_STREAM, sv);
	printf("sockzoo ready pid=%d nodump=%d\n", getpid(), nodump);
	fflush(stdout);
	wait_forever();
	return 0;
}

static int many(int pairs)
{
	struct rlimit rl = { 2 * pairs + 64, 2 * pairs + 64 };
	int sv[2], i;

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("RLIMIT_NOFILE");
	for (i = 0; i < pairs; i++)
		xsocketpair(SOCK_STREAM, sv);
	printf("sockzoo ready pid=%d sockets=%d\n", getpid(), 2 * pairs);
	fflush(stdout);
	wait_forever();
	return 0;
}

/*
 * Open FILE as UID (saved uid stays 0), become root again and copy FILE to
 * stdout: what we see must be what UID may see, not what root may.
 */
static int readas(uid_t uid, const char *file)
{
	char buf[65536];
	ssize_t n;
	int fd;

	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, 0) < 0 ||
	    setresuid(uid, uid, 0) < 0)
		die("drop privileges");
	fd = open(file, O_RDONLY);
	if (fd < 0)
		die(file);
	if (setresuid(0, 0, 0) < 0 || setresgid(0, 0, 0) < 0 || geteuid())
		die("regain root");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			die("write");
	if (n < 0)
		die("read");
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: sockzoo zoo|basic|many N|readas UID FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "zoo"))
		return zoo();
	if (argc == 2 && !strcmp(argv[1], "basic"))
		return basic();
	if (argc == 3 && !strcmp(argv[1], "many"))
		return many(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "readas"))
		return readas(atoi(argv[2]), argv[3]);
	return usage();
}
