// SPDX-License-Identifier: GPL-2.0
/*
 * echo - the experiment sockmap grew from (see README), in C because the
 * test VM has no Python. Each mode creates sockets and keeps them open
 * until it is killed, so that /proc/sockmap has something to show.
 *
 *   echo server ADDR PORT  TCP: bind, listen(1), accept one connection and
 *                          echo what it receives (recv 100, send it all).
 *   echo client ADDR PORT  TCP: connect, then every second send
 *                          "hello i am client" and read the echo; prints
 *                          "echoed N: ..." after each round trip.
 *   echo udp ADDR PORT     UDP: bind and echo every datagram back.
 *   echo pair              UNIX: socketpair(), both ends held by this
 *                          process; a line goes through it once a second.
 *
 * ADDR is IPv4 or IPv6 (127.0.0.1, ::1). Build: gcc -static -O2 -pthread.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MESSAGE "hello i am client"

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Fill @ss with ADDR:PORT; returns its length. */
static socklen_t parse_addr(const char *addr, const char *port,
			    struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(atoi(port));
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(atoi(port));
		return sizeof(*sin6);
	}
	fprintf(stderr, "echo: bad address %s\n", addr);
	exit(2);
}

/* A socket of @type bound to ADDR:PORT (SO_REUSEADDR, as servers do). */
static int bound_socket(int type, const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int one = 1;
	int fd;

	fd = socket(ss.ss_family, type, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt");
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind");
	return fd;
}

/* send() all of @buf, however many calls that takes. */
static void send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, 0);

		if (n < 0)
			die("send");
		buf += n;
		len -= n;
	}
}

/* The Python server of the documents: listen(1), accept once, echo. */
static void run_server(const char *addr, const char *port)
{
	int lfd = bound_socket(SOCK_STREAM, addr, port);
	char buf[100];
	ssize_t n;
	int cfd;

	if (listen(lfd, 1) < 0)
		die("listen");
	printf("listening on %s:%s\n", addr, port);
	cfd = accept(lfd, NULL, NULL);
	if (cfd < 0)
		die("accept");
	printf("accepted a connection\n");
	while ((n = recv(cfd, buf, sizeof(buf), 0)) > 0)
		send_all(cfd, buf, n);
	if (n < 0)
		die("recv");
	printf("client closed the connection\n");
	/* Keep the listener open, as the documents' server did. */
	pause();
}

/* The client: send the message every second and read the echo back. */
static void run_client(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	char buf[sizeof(MESSAGE)];
	unsigned long round;
	int fd;

	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		die("connect");
	for (round = 1; ; round++) {
		size_t got = 0;

		send_all(fd, MESSAGE, strlen(MESSAGE));
		while (got < strlen(MESSAGE)) {
			ssize_t n = recv(fd, buf + got, strlen(MESSAGE) - got, 0);

			if (n <= 0)
				die("recv");
			got += n;
		}
		buf[got] = '\0';
		printf("echoed %lu: %s\n", round, buf);
		sleep(1);
	}
}

/* A UDP socket that echoes each datagram to its sender. */
static void run_udp(const char *addr, const char *port)
{
	int fd = bound_socket(SOCK_DGRAM, addr, port);
	struct sockaddr_storage from;
	socklen_t len;
	char buf[100];
	ssize_t n;

	printf("udp on %s:%s\n", addr, port);
	for (;;) {
		len = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &len);
		if (n < 0)
			die("recvfrom");
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&from, len) < 0)
			die("sendto");
	}
}

/* Two connected UNIX sockets in one process: each is the other's peer. */
static void run_pair(void)
{
	char buf[sizeof(MESSAGE)];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	printf("unix pair: fd %d <-> fd %d\n", sv[0], sv[1]);
	for (;;) {
		send_all(sv[0], MESSAGE, strlen(MESSAGE));
		if (recv(sv[1], buf, strlen(MESSAGE), MSG_WAITALL) < 0)
			die("recv");
		sleep(1);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: echo server|client|udp ADDR PORT\n"
			"       echo pair\n");
	exit(2);
}

int main(int argc, char **argv)
{
	/* One line per event, even when stdout is a file someone polls. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc == 2 && !strcmp(argv[1], "pair"))
		run_pair();
	else if (argc == 4 && !strcmp(argv[1], "server"))
		run_server(argv[2], argv[3]);
	else if (argc == 4 && !strcmp(argv[1], "client"))
		run_client(argv[2], argv[3]);
	else if (argc == 4 && !strcmp(argv[1], "udp"))
		run_udp(argv[2], argv[3]);
	else
		usage();
	return 0;
}
