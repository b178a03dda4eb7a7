// SPDX-License-Identifier: GPL-2.0
/*
 * corner - corner cases for sockmap's end-to-end checks of the walk: each
 * mode sets one up, prints one "corner ready pid=P ..." line and waits
 * until it is killed (children die with it).
 *
 *	corner names DIR	children named "", "\e[7m", "\x1c\x1d\x1e\x1f",
 *				"\xc2\xa0" (U+00A0), "\xe2\x80\xa8" (U+2028),
 *				"-" and "a b\c", each holding a UNIX socket
 *				bound to DIR/<i><name> and one bound to the
 *				abstract name "n<i><name>"; one more, named
 *				"corner-edge", holds UNIX sockets bound to the
 *				relative path "-" (in DIR) and to the abstract
 *				names "" and "-". Prints "child PID I" for
 *				each (I = 0..6 as listed, "edge" for the last).
 *	corner stalepeer	a TCP client A from a fixed port to a listener,
 *				reset by the server (SO_LINGER 0) so that A is
 *				CLOSE but open; then a client C from the same
 *				port to the same listener, accepted as D. The
 *				ready line names their fds: a=, c=, d=.
 *	corner packet IFNAME	a packet socket (ethertype 0x88b5) bound to
 *				IFNAME; the ready line names its fd=.
 *	corner opens N PATH [SIZE]
 *				raise RLIMIT_NOFILE to its hard limit, open
 *				PATH N times, read SIZE bytes once from each
 *				(by default none), and hold the fds; the ready
 *				line gives MemAvailable (KiB) before and after:
 *				before= after=.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <netinet/tcp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define ETHERTYPE_CORNER	0x88b5	/* IEEE local experimental */

static void die(const char *what)
{
	fprintf(stderr, "corner: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void wait_forever(void)
{
	for (;;)
		pause();
}

static int xsocket(int domain, int type, int protocol)
{
	int fd = socket(domain, type, protocol);

	if (fd < 0)
		die("socket");
	return fd;
}

/*
 * A UNIX datagram socket bound to @len bytes of @name: a path, or an
 * abstract name when @name starts with a NUL.
 */
static void unix_bound(const char *name, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = xsocket(AF_UNIX, SOCK_DGRAM, 0);

	memcpy(sun.sun_path, name, len);
	if (name[0])
		unlink(name);
	if (bind(fd, (struct sockaddr *)&sun,
		 offsetof(struct sockaddr_un, sun_path) + len) < 0)
		die("bind");
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

/* Run @fn(@arg) in a child named @comm and wait until it is set up. */
static pid_t named_child(const char *comm, void (*fn)(const char *, int),
			 const char *dir, int i)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready) < 0)
		die("pipe");
	pid = fork_child();
	if (pid == 0) {
		close(ready[0]);
		if (prctl(PR_SET_NAME, comm) < 0)
			die("PR_SET_NAME");
		fn(dir, i);
		if (write(ready[1], "x", 1) != 1)
			die("write");
		close(ready[1]);
		wait_forever();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "corner: child %d failed\n", i);
		exit(1);
	}
	close(ready[0]);
	return pid;
}

static const char *const names[] = {
	"", "\x1b[7m", "\x1c\x1d\x1e\x1f", "\xc2\xa0", "\xe2\x80\xa8", "-",
	"a b\\c",
};

/* Child @i: DIR/<i><name> and the abstract n<i><name>. */
static void name_sockets(const char *dir, int i)
{
	char path[108];
	int len;

	len = snprintf(path, sizeof(path), "%s/%d%s", dir, i, names[i]);
	unix_bound(path, len);
	len = snprintf(path, sizeof(path), "%cn%d%s", 0, i, names[i]);
	unix_bound(path, len);
}

/* The edge child: the path "-" and the abstract names "" and "-". */
static void edge_sockets(const char *dir, int i)
{
	(void)i;
	if (chdir(dir) < 0)
		die(dir);
	unix_bound("-", 1);
	unix_bound("\0", 1);
	unix_bound("\0-", 2);
}

static int names_mode(const char *dir)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		printf("child %d %u\n", named_child(names[i], name_sockets, dir, i), i);
	printf("child %d edge\n", named_child("corner-edge", edge_sockets, dir, 0));
	printf("corner ready pid=%d\n", getpid());
	fflush(stdout);
	wait_forever();
	return 0;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	return sin;
}

/* A TCP socket bound to 127.0.0.1:@port (SO_REUSEADDR), not connected. */
static int tcp_bound(int port)
{
	struct sockaddr_in sin = loopback(port);
	int fd = xsocket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind");
	return fd;
}

static void tcp_connect(int fd, int port)
{
	struct sockaddr_in sin = loopback(port);

	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("connect");
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		die("TCP_INFO");
	return ti.tcpi_state;
}

#define PORT_LISTENER	28888
#define PORT_CLIENT	28889

static int stalepeer_mode(void)
{
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	int listener = tcp_bound(PORT_LISTENER), a, c, d, i;

	if (listen(listener, 4) < 0)
		die("listen");
	a = tcp_bound(PORT_CLIENT);
	tcp_connect(a, PORT_LISTENER);
	d = accept(listener, NULL, NULL);
	if (d < 0)
		die("accept");
	/* Reset A: close the accepted end with a zero linger. */
	if (setsockopt(d, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin)) < 0)
		die("SO_LINGER");
	close(d);
	for (i = 0; i < 500 && tcp_state(a) != TCP_CLOSE; i++)
		usleep(10000);
	if (tcp_state(a) != TCP_CLOSE) {
		fprintf(stderr, "corner: A is in state %d, not CLOSE\n", tcp_state(a));
		return 1;
	}
	/* The same 4-tuple again: A no longer holds it in the hash. */
	c = tcp_bound(PORT_CLIENT);
	tcp_connect(c, PORT_LISTENER);
	d = accept(listener, NULL, NULL);
	if (d < 0)
		die("accept");
	printf("corner ready pid=%d a=%d c=%d d=%d\n", getpid(), a, c, d);
	fflush(stdout);
	wait_forever();
	return 0;
}

static int packet_mode(const char *ifname)
{
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETHERTYPE_CORNER),
		.sll_ifindex = if_nametoindex(ifname),
	};
	int fd = xsocket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE_CORNER));

	if (!ll.sll_ifindex)
		die(ifname);
	if (bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		die("bind packet");
	printf("corner ready pid=%d fd=%d\n", getpid(), fd);
	fflush(stdout);
	wait_forever();
	return 0;
}

/* MemAvailable from /proc/meminfo, in KiB. */
static long mem_available(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1)
			break;
	fclose(f);
	if (kib < 0) {
		fprintf(stderr, "corner: no MemAvailable in /proc/meminfo\n");
		exit(1);
	}
	return kib;
}

static int opens_mode(int n, const char *path, size_t size)
{
	static char buf[65536];
	struct rlimit rl;
	long before, after;
	int i, fd;

	if (size > sizeof(buf))
		size = sizeof(buf);

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit");
	/* Grow the fd table first, so that its growth is not counted. */
	if (dup2(0, n + 16) < 0)
		die("dup2");
	close(n + 16);
	before = mem_available();
	for (i = 0; i < n; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die(path);
		if (size && read(fd, buf, size) < 0)
			die("read");
	}
	after = mem_available();
	printf("corner ready pid=%d opened=%d before=%ld after=%ld\n", getpid(),
	       n, before, after);
	fflush(stdout);
	wait_forever();
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: corner names DIR | stalepeer | packet IFNAME | opens N PATH [SIZE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "names"))
		return names_mode(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "stalepeer"))
		return stalepeer_mode();
	if (argc == 3 && !strcmp(argv[1], "packet"))
		return packet_mode(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "opens"))
		return opens_mode(atoi(argv[2]), argv[3], 0);
	if (argc == 5 && !strcmp(argv[1], "opens"))
		return opens_mode(atoi(argv[2]), argv[3], atoi(argv[4]));
	return usage();
}
