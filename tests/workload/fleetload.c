// SPDX-License-Identifier: GPL-2.0
/*
 * fleetload - the known workload of the fleet test (tests/guest/fleet.sh):
 * TCP and UDP sockets whose numbers are fixed once it is ready, so that
 * what the guest reads from /proc/sockmap and what Prometheus scraped a
 * moment later agree to the byte.
 *
 *   fleetload server PORT OUT IN READY
 *	TCP: listen on 127.0.0.1:PORT and on PORT+1; UDP: bind PORT. Accept
 *	one connection on PORT, read IN bytes, send OUT bytes; never accept
 *	on PORT+1, so what connects there waits in its accept queue.
 *   fleetload client PORT OUT IN READY
 *	TCP: connect to PORT, send OUT bytes, read IN bytes; connect to
 *	PORT+1 and send nothing. UDP: send one 100-byte datagram to PORT,
 *	which the server never reads.
 *
 * Each side, once its transfer is done and everything it sent has been
 * acknowledged (SIOCOUTQ is 0: bytes_acked is final), creates the file
 * READY and then sleeps until it is killed: no timer of its own, no
 * traffic, nothing that moves a counter. Build: gcc -static -O2.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int listener(int port)
{
	struct sockaddr_in a = loopback(port);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8))
		die("listen");
	return fd;
}

/* Connect, waiting up to 10 s for the server to listen. */
static int connect_to(int type, int port)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct sockaddr_in a = loopback(port);
	int fd, i;

	for (i = 0; i < 1000; i++) {
		fd = socket(AF_INET, type, 0);
		if (fd < 0)
			die("socket");
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
			return fd;
		close(fd);
		nanosleep(&tick, NULL);
	}
	die("connect");
	return -1;
}

static void send_bytes(int fd, long n)
{
	char buf[8192];
	ssize_t w;

	memset(buf, 'x', sizeof(buf));
	while (n > 0) {
		w = write(fd, buf, n < (long)sizeof(buf) ? n : (long)sizeof(buf));
		if (w <= 0)
			die("write");
		n -= w;
	}
}

static void recv_bytes(int fd, long n)
{
	char buf[8192];
	ssize_t r;

	while (n > 0) {
		r = read(fd, buf, n < (long)sizeof(buf) ? n : (long)sizeof(buf));
		if (r <= 0)
			die("read");
		n -= r;
	}
}

/* Wait until the peer has acknowledged all that @fd sent (10 s at most). */
static void drain(int fd)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int outq, i;

	for (i = 0; i < 1000; i++) {
		if (ioctl(fd, SIOCOUTQ, &outq))
			die("SIOCOUTQ");
		if (outq == 0)
			return;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "fleetload: %d bytes still unacknowledged\n", outq);
	exit(1);
}

static void ready(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die(path);
	close(fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	char dgram[100];
	long out, in;
	int port, lfd, fd, ufd;

	if (argc != 6) {
		fprintf(stderr, "usage: fleetload server|client PORT OUT IN READY\n");
		return 2;
	}
	port = atoi(argv[2]);
	out = atol(argv[3]);
	in = atol(argv[4]);
	if (!strcmp(argv[1], "server")) {
		/* UDP first: once the client can connect, its datagram lands. */
		a = loopback(port);
		ufd = socket(AF_INET, SOCK_DGRAM, 0);
		if (ufd < 0 || bind(ufd, (struct sockaddr *)&a, sizeof(a)))
			die("udp bind");
		lfd = listener(port);
		listener(port + 1);
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		recv_bytes(fd, in);
		send_bytes(fd, out);
	} else {
		fd = connect_to(SOCK_STREAM, port);
		connect_to(SOCK_STREAM, port + 1);
		ufd = connect_to(SOCK_DGRAM, port);
		memset(dgram, 'u', sizeof(dgram));
		if (write(ufd, dgram, sizeof(dgram)) != sizeof(dgram))
			die("udp send");
		send_bytes(fd, out);
		recv_bytes(fd, in);
	}
	drain(fd);
	ready(argv[5]);
	return 0;
}
