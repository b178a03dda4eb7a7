// SPDX-License-Identifier: GPL-2.0
/*
 * holderless - TCP sockets that /proc/net/tcp{,6} lists but no fd holds,
 * for the end-to-end checks of sockmap's holderless rows
 * (tests/guest/e2e/netwalk.sh). In the network namespace it runs in it
 * makes, over loopback:
 *
 *	TIME_WAIT	connections closed by the client first (it keeps the
 *			TIME_WAIT), over IPv4 and IPv6, and one closed by the
 *			accepted end first (TIME_WAIT on the listener's port)
 *	FIN_WAIT2	a timewait socket: our end closed first, the peer
 *			keeps its end (CLOSE_WAIT, held)
 *	ESTABLISHED	children in a listener's accept queue, never
 *			accept()ed (inode 0), IPv4 and IPv6
 *	SYN_RECV	request sockets: clients of a TCP_DEFER_ACCEPT
 *			listener that send nothing; the final ACK only marks
 *			the request acked, which stays a request
 *	FIN_WAIT1	an orphan: its peer, with a small SO_RCVBUF, never
 *			reads; our end fills its window and its own send
 *			buffer, then closes its fd, and the FIN waits behind
 *			the unsent bytes
 *
 * then prints "holderless ready pid=P ..." and waits to be killed.
 *
 * "holderless timewait N" makes N TIME_WAIT sockets and nothing else, for
 * the bounds on a read (tests/guest/e2e/bounds.sh), prints "holderless
 * timewait N" and exits: the sockets outlive it. Its clients take
 * 127.0.0.2 to 127.0.0.9 in turn, so that N may exceed one address's
 * ephemeral ports; tcp_max_tw_buckets must allow N. Every
 * end that stays open (the peers, the clients, the listeners) is held by
 * this process. TIME_WAIT and FIN_WAIT2 last 60 s (TCP_TIMEWAIT_LEN,
 * tcp_fin_timeout): a check reads them within that time. Build it static
 * (tests/vm/vm.sh's vm_build_workloads does):
 *
 *	gcc -O2 -Wall -static -pthread -o holderless holderless.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Fixed listener ports, so that a person reading the rows finds them. */
#define PORT_TW		28101	/* TIME_WAIT, client side and server side */
#define PORT_FW2	28102	/* the FIN_WAIT2 timewait socket */
#define PORT_QUEUE	28103	/* children never accept()ed */
#define PORT_DEFER	28104	/* request sockets (SYN_RECV) */
#define PORT_ORPHAN	28105	/* the FIN_WAIT1 orphan */
#define PORT_MANY	28106	/* "timewait N" */

#define N_TW4		3	/* client-side TIME_WAIT over IPv4 */
#define N_QUEUE4	2	/* children in the IPv4 accept queue */
#define N_DEFER		2	/* request sockets */

static void die(const char *what)
{
	fprintf(stderr, "holderless: %s: %s\n", what, strerror(errno));
	exit(1);
}

static socklen_t make_addr(struct sockaddr_storage *sa, int family, int port)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (family == AF_INET) {
		in4->sin_family = AF_INET;
		in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		in4->sin_port = htons(port);
		return sizeof(*in4);
	}
	in6->sin6_family = AF_INET6;
	in6->sin6_addr = in6addr_loopback;
	in6->sin6_port = htons(port);
	return sizeof(*in6);
}

/* A listener on loopback:PORT; RCVBUF > 0 sets its (children's) SO_RCVBUF. */
static int listener(int family, int port, int backlog, int rcvbuf)
{
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, family, port);
	int fd = socket(family, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket");
	/* Earlier runs' TIME_WAIT sockets may hold the port. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		die("SO_RCVBUF");
	if (bind(fd, (struct sockaddr *)&sa, len) < 0)
		die("bind");
	if (listen(fd, backlog) < 0)
		die("listen");
	return fd;
}

static int client(int family, int port)
{
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, family, port);
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sa, len) < 0)
		die("connect");
	return fd;
}

static int xaccept(int fd)
{
	int conn = accept(fd, NULL, NULL);

	if (conn < 0)
		die("accept");
	return conn;
}

/* Wait until the peer's FIN reached FD: read() returns 0. */
static void wait_eof(int fd)
{
	char c;

	if (read(fd, &c, 1) != 0)
		die("read (EOF expected)");
}

/*
 * One connection to LISTENER (on loopback:PORT) closed by the side that
 * should keep TIME_WAIT: the client when CLIENT_FIRST, else the accepted
 * end. The other end closes after it has seen the FIN, so the first
 * moves on from FIN_WAIT2 to TIME_WAIT.
 */
static void time_wait(int lfd, int family, int port, int client_first)
{
	int c = client(family, port), s = xaccept(lfd);
	int first = client_first ? c : s, second = client_first ? s : c;

	close(first);
	wait_eof(second);
	close(second);
}

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS");
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			die("SIOCSIFFLAGS lo");
	}
	close(fd);
}

/*
 * The FIN_WAIT1 orphan: the peer (accepted from a listener whose
 * SO_RCVBUF is small) never reads; we send until our small send buffer is
 * full too, then close. The FIN waits behind the unsent bytes and the
 * peer's zero window answers our probes, so the orphan stays.
 */
static void fin_wait1(void)
{
	int lfd = listener(AF_INET, PORT_ORPHAN, 1, 4096);
	int small = 4096, c = client(AF_INET, PORT_ORPHAN);
	char buf[1024];

	setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	xaccept(lfd);			/* the peer: held, never read */
	memset(buf, 'h', sizeof(buf));
	fcntl(c, F_SETFL, O_NONBLOCK);
	while (send(c, buf, sizeof(buf), 0) > 0 || errno == EINTR)
		;
	if (errno != EAGAIN)
		die("send");
	/* Let the window close before the FIN is queued behind the data. */
	usleep(200 * 1000);
	close(c);
}

/*
 * timewait_only - @n connections to a listener on 127.0.0.1, each closed
 * by its client first, which keeps the TIME_WAIT: the client from
 * 127.0.0.2 .. 127.0.0.9 in turn.
 */
static int timewait_only(long n)
{
	struct sockaddr_in from = { .sin_family = AF_INET };
	struct sockaddr_storage to;
	socklen_t len = make_addr(&to, AF_INET, PORT_MANY);
	int lfd, c, s;
	long i;

	lo_up();
	lfd = listener(AF_INET, PORT_MANY, 64, 0);
	for (i = 0; i < n; i++) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0)
			die("socket");
		from.sin_addr.s_addr = htonl(0x7f000002 + i % 8);
		if (bind(c, (struct sockaddr *)&from, sizeof(from)) < 0)
			die("bind");
		if (connect(c, (struct sockaddr *)&to, len) < 0)
			die("connect");
		s = xaccept(lfd);
		close(c);
		wait_eof(s);
		close(s);
	}
	printf("holderless timewait %ld\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	int lfd, lfd6, i, defer = 3600;

	if (argc == 3 && !strcmp(argv[1], "timewait"))
		return timewait_only(atol(argv[2]));
	lo_up();

	/* TIME_WAIT: clients closing first, and one accepted end first. */
	lfd = listener(AF_INET, PORT_TW, 8, 0);
	lfd6 = listener(AF_INET6, PORT_TW, 8, 0);
	for (i = 0; i < N_TW4; i++)
		time_wait(lfd, AF_INET, PORT_TW, 1);
	time_wait(lfd, AF_INET, PORT_TW, 0);
	time_wait(lfd6, AF_INET6, PORT_TW, 1);

	/* FIN_WAIT2: the client closes, the accepted end stays open. */
	lfd = listener(AF_INET, PORT_FW2, 1, 0);
	close(client(AF_INET, PORT_FW2));
	wait_eof(xaccept(lfd));

	/* Children in accept queues: the listeners never accept(). */
	listener(AF_INET, PORT_QUEUE, 8, 0);
	listener(AF_INET6, PORT_QUEUE, 8, 0);
	for (i = 0; i < N_QUEUE4; i++)
		client(AF_INET, PORT_QUEUE);
	client(AF_INET6, PORT_QUEUE);

	/* Request sockets: TCP_DEFER_ACCEPT, and clients that send nothing. */
	lfd = listener(AF_INET, PORT_DEFER, 8, 0);
	if (setsockopt(lfd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer,
		       sizeof(defer)))
		die("TCP_DEFER_ACCEPT");
	for (i = 0; i < N_DEFER; i++)
		client(AF_INET, PORT_DEFER);

	fin_wait1();

	/* The last FINs and ACKs of the closes above, over loopback. */
	usleep(200 * 1000);
	printf("holderless ready pid=%d timewait=%d finwait2=1 queued=%d synrecv=%d orphan=1\n",
	       getpid(), N_TW4 + 2, N_QUEUE4 + 1, N_DEFER);
	fflush(stdout);
	for (;;)
		pause();
}
