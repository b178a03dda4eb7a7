// SPDX-License-Identifier: GPL-2.0
/*
 * twfarm - the benchmark's TIME_WAIT workload: N TCP sockets in TIME_WAIT
 * on loopback, which no process holds, and then exit.
 *
 *	twfarm N [W]
 *
 * W workers (2 unless given; one per vCPU of the benchmark's guest) each
 * make N/W loopback connections to a listener of their own on 127.0.0.1
 * and end each one the same way: the server's end is closed first, the
 * client waits for that FIN (read() returns 0) and then closes its own.
 * The server's end, which closed first, is left in TIME_WAIT; the client's
 * goes through LAST_ACK to CLOSED and frees its port. So N connections
 * leave exactly N TIME_WAIT sockets, each for a minute
 * (TCP_TIMEWAIT_LEN), and a read of /proc/sockmap meanwhile shows N rows
 * that only the walk of TCP's established hash finds.
 *
 * Every connection has a 4-tuple of its own, so that no new SYN meets an
 * old TIME_WAIT socket of the same tuple (which would end it early): the
 * client of connection i of worker w binds 127.1.w.(1 + i / 60000), port
 * 2000 + i % 60000, and a port taken by something else is passed over.
 * The kernel keeps at most net.ipv4.tcp_max_tw_buckets of them (half the
 * established hash's buckets by default); the benchmark raises it.
 *
 * When every worker is done it prints "twfarm done N=... workers=...
 * secs=..." and exits; it does not wait for the minute to pass.
 * Build it static, for the bare initramfs:
 *
 *	gcc -O2 -Wall -static -o twfarm twfarm.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PORTS_PER_ADDR	60000
#define FIRST_PORT	2000

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "twfarm[%d]: %s: %s\n", getpid(), what,
		strerror(errno));
	exit(1);
}

static struct sockaddr_in ipv4(in_addr_t addr, in_port_t port)
{
	struct sockaddr_in in = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(addr),
		.sin_port = htons(port),
	};

	return in;
}

/* A listener on 127.0.0.1, on a port the kernel picks. */
static int listener(struct sockaddr_in *where)
{
	socklen_t len = sizeof(*where);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	*where = ipv4(INADDR_LOOPBACK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)where, len) < 0 ||
	    listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)where, &len) < 0)
		die("listener");
	return fd;
}

/*
 * The client end of connection @i of worker @w, bound to its own address
 * and port; -1 when that port is taken (the caller moves on to the next).
 */
static int client(int w, unsigned int i)
{
	struct sockaddr_in in = ipv4((127u << 24) | (1u << 16) | (w << 8) |
				     (1 + i / PORTS_PER_ADDR),
				     FIRST_PORT + i % PORTS_PER_ADDR);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&in, sizeof(in)) == 0)
		return fd;
	if (errno != EADDRINUSE)
		die("bind");
	close(fd);
	return -1;
}

/* One connection, ended so that the server's end is left in TIME_WAIT. */
static void time_wait_one(int l, const struct sockaddr_in *srv, int c)
{
	char byte;
	int s;

	if (connect(c, (const struct sockaddr *)srv, sizeof(*srv)) < 0)
		die("connect");
	s = accept(l, NULL, NULL);
	if (s < 0)
		die("accept");
	close(s);			/* FIN from the server: it closes first */
	if (read(c, &byte, 1) != 0)	/* the client has seen that FIN */
		die("read: want end of file");
	close(c);			/* its FIN puts the server's end in TIME_WAIT */
}

/* Worker @w: @n connections, then exit. */
static void __attribute__((noreturn)) worker(int w, unsigned int n)
{
	struct sockaddr_in srv;
	unsigned int i, made = 0;
	int l = listener(&srv), c;

	for (i = 0; made < n; i++) {
		if (i / PORTS_PER_ADDR >= 254) {
			errno = EADDRNOTAVAIL;
			die("out of client addresses");
		}
		c = client(w, i);
		if (c < 0)
			continue;
		time_wait_one(l, &srv, c);
		made++;
	}
	exit(0);
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	int workers, w, status;
	unsigned long n;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: twfarm N [WORKERS]\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	workers = argc > 2 ? atoi(argv[2]) : 2;
	if (!n || n > 10000000 || workers < 1 || workers > 255) {
		fprintf(stderr, "twfarm: want 0 < N <= 10,000,000 and 1 to 255 workers\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (w = 0; w < workers; w++) {
		switch (fork()) {
		case -1:
			die("fork");
		case 0:
			worker(w, n / workers + (w < (int)(n % workers)));
		}
	}
	for (w = 0; w < workers; w++) {
		if (wait(&status) < 0)
			die("wait");
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "twfarm: a worker failed\n");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("twfarm done N=%lu workers=%d secs=%.1f\n", n, workers,
	       (double)(t1.tv_sec - t0.tv_sec) +
	       (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
