// SPDX-License-Identifier: GPL-2.0
/*
 * layout - thread layouts for sockmap's end-to-end checks (issue 11, items
 * 1 and 2): a process arranges its threads and fd tables as an
 * unprivileged user may, and /proc/sockmap must show each table once, at a
 * cost linear in the threads.
 *
 *	layout hostile N M	N threads each unshare(CLONE_FILES) and open
 *				one socket; one more thread unshares, opens one
 *				and starts M threads that share its table; then
 *				the main thread exits (pthread_exit())
 *	layout shared N M	the same, but the main thread stays
 *	layout ordinary N M	N + 1 + M threads sharing the main thread's
 *				table, which holds N + 1 sockets
 *	layout readtime PATH R	read PATH R times, 64 KiB at a time, and print
 *				the fastest read in microseconds
 *
 * Before it is ready a layout prints one line per socket,
 *	socket TID FD INODE
 * where TID is the lowest thread id among the threads that hold the
 * socket's table (the task /proc/sockmap must show it under), then
 *	layout ready pid=P tables=T sockets=S
 * and waits until it is killed. The sockets are unbound UNIX datagram
 * sockets: cheap, and needing no privilege.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define STACK_SIZE	(64 * 1024)

/* One socket and the thread it is shown under. */
struct sock_rec {
	pid_t tid;
	int fd;
	unsigned long ino;
};

static struct sock_rec *socks;
static int nr_socks, nr_tables;
static pthread_mutex_t socks_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t started, sharers_started;
static int sharers;	/* how many threads the last unsharer starts */
static int main_exits;	/* the main thread exits once all are started */

static void die(const char *what)
{
	fprintf(stderr, "layout: %s: %s\n", what, strerror(errno));
	exit(1);
}

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

static int new_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

/* Note socket @fd, in the calling thread's table, to be shown under @tid. */
static void record(pid_t tid, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat");
	pthread_mutex_lock(&socks_lock);
	socks[nr_socks].ino = st.st_ino;
	socks[nr_socks].tid = tid;
	socks[nr_socks].fd = fd;
	nr_socks++;
	pthread_mutex_unlock(&socks_lock);
}

static void start_thread(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t thread;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	errno = pthread_create(&thread, &attr, fn, arg);
	if (errno)
		die("pthread_create");
	pthread_attr_destroy(&attr);
}

static void *wait_forever(void)
{
	for (;;)
		pause();
	return NULL;
}

/*
 * A thread that holds whatever table it was started with. A sharer
 * (@arg: where to put its tid) tells table_owner() it started; others
 * tell the main thread.
 */
static void *idle_thread(void *arg)
{
	pid_t *tid = arg;

	if (tid) {
		*tid = gettid_();
		sem_post(&sharers_started);
	} else {
		sem_post(&started);
	}
	return wait_forever();
}

/* A thread with a table of its own, holding one socket. */
static void *unshared_thread(void *arg)
{
	(void)arg;
	if (unshare(CLONE_FILES) < 0)
		die("unshare(CLONE_FILES)");
	record(gettid_(), new_socket());
	sem_post(&started);
	return wait_forever();
}

/* Whether our main thread has exited: the process is then a zombie. */
static int main_is_zombie(void)
{
	char path[64], line[128];
	int zombie = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	f = fopen(path, "r");
	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "State:", 6))
			zombie = strchr(line, 'Z') != NULL;
	fclose(f);
	return zombie;
}

static void print_ready(void)
{
	int i;

	for (i = 0; i < nr_socks; i++)
		printf("socket %d %d %lu\n", socks[i].tid, socks[i].fd,
		       socks[i].ino);
	printf("layout ready pid=%d tables=%d sockets=%d\n", getpid(),
	       nr_tables, nr_socks);
	fflush(stdout);
}

/*
 * The thread that unshares, opens a socket and starts the sharers. Its
 * table is shown under the lowest tid holding it: its own, as the sharers
 * are started after it. Once all are started, and the main thread has
 * exited if it is to, it says the layout is ready.
 */
static void *table_owner(void *arg)
{
	pid_t me = gettid_(), low = me, *tids;
	int i, fd;

	(void)arg;
	if (unshare(CLONE_FILES) < 0)
		die("unshare(CLONE_FILES)");
	fd = new_socket();
	tids = calloc(sharers, sizeof(*tids));
	if (!tids)
		die("calloc");
	for (i = 0; i < sharers; i++)
		start_thread(idle_thread, &tids[i]);
	for (i = 0; i < sharers; i++)
		while (sem_wait(&sharers_started) < 0)
			;
	for (i = 0; i < sharers; i++)
		if (tids[i] < low)
			low = tids[i];
	record(low, fd);
	sem_post(&started);
	if (main_exits) {
		for (i = 0; i < 3000 && !main_is_zombie(); i++)
			usleep(10000);
		if (!main_is_zombie()) {
			fprintf(stderr, "layout: the main thread did not exit\n");
			exit(1);
		}
		print_ready();
	}
	return wait_forever();
}

static void wait_started(int n)
{
	while (n-- > 0)
		while (sem_wait(&started) < 0)
			;
}

/* hostile and shared: N + 1 tables of one socket each. */
static int unshared_layout(int n, int m, int exits)
{
	int i;

	sharers = m;
	main_exits = exits;
	nr_tables = n + 1;
	for (i = 0; i < n; i++)
		start_thread(unshared_thread, NULL);
	wait_started(n);
	start_thread(table_owner, NULL);
	wait_started(1);
	if (exits) {
		fflush(stdout);
		pthread_exit(NULL);
	}
	print_ready();
	wait_forever();
	return 0;
}

/* ordinary: as many threads and sockets, all in the main thread's table. */
static int ordinary_layout(int n, int m)
{
	pid_t me = gettid_();
	int i;

	nr_tables = 1;
	for (i = 0; i < n + 1; i++)
		record(me, new_socket());
	for (i = 0; i < n + 1 + m; i++)
		start_thread(idle_thread, NULL);
	wait_started(n + 1 + m);
	print_ready();
	wait_forever();
	return 0;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* The fastest of @reps whole reads of @path, in microseconds. */
static int readtime(const char *path, int reps)
{
	static char buf[65536];
	long long best = -1, t;
	ssize_t n;
	int fd;

	while (reps-- > 0) {
		t = now_us();
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die(path);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		if (n < 0)
			die("read");
		close(fd);
		t = now_us() - t;
		if (best < 0 || t < best)
			best = t;
	}
	printf("%lld\n", best);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: layout hostile|shared|ordinary N M | readtime PATH REPS\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	int n, m;

	if (argc != 4)
		return usage();
	if (!strcmp(argv[1], "readtime"))
		return readtime(argv[2], atoi(argv[3]));
	n = atoi(argv[2]);
	m = atoi(argv[3]);
	if (n < 0 || m < 0)
		return usage();
	/* The ordinary layout holds N + 1 sockets in one table. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit");
	socks = calloc(n + 2, sizeof(*socks));
	if (!socks || sem_init(&started, 0, 0) < 0 ||
	    sem_init(&sharers_started, 0, 0) < 0)
		die("setup");
	if (!strcmp(argv[1], "hostile"))
		return unshared_layout(n, m, 1);
	if (!strcmp(argv[1], "shared"))
		return unshared_layout(n, m, 0);
	if (!strcmp(argv[1], "ordinary"))
		return ordinary_layout(n, m);
	return usage();
}
