// SPDX-License-Identifier: GPL-2.0
/*
 * layout - thread layouts for sockmap's end-to-end checks (fd tables that
 * threads unshare, and tables no group leader holds): a process arranges its threads and fd tables as an
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
 *	layout bigshare M S	one thread unshares, opens S sockets and starts
 *				M threads that share its table; the main thread
 *				stays
 *	layout procs N SLOTS	N processes made with clone(CLONE_VM |
 *				CLONE_FILES) without CLONE_THREAD, each its own
 *				group leader, sharing the main process's table,
 *				grown to SLOTS slots and holding one socket, at
 *				its last slot (the hard NOFILE is raised to
 *				SLOTS if it is lower: run as root)
 *	layout readtime PATH R [SIZE]
 *				read PATH R times, SIZE bytes (64 KiB) at a
 *				time, and print the fastest read in microseconds
 *	layout killtime PATH R	R times: a child reads PATH over and over, 64 KiB
 *				at a time; 0.2 s later it is sent SIGKILL. Print
 *				the longest time from the kill until the child
 *				was reaped, in microseconds
 *	layout reuse PATH K	a child A holds K sockets; PATH (/proc/sockmap)
 *				is read a byte at a time up to A's row of its
 *				socket in the middle; A exits and a child B is
 *				made with A's pid (ns_last_pid: run as root)
 *				holding K sockets at the same fds; the rest is
 *				read. Prints "layout ready pid=P tid=A
 *				shown=N expected=K": N rows under A's pid with
 *				B's sockets' inodes
 *	layout rejoin PATH K	a thread X of a child process unshares its table
 *				and opens K sockets; PATH is read up to X's row
 *				of its socket in the middle; X starts a thread
 *				that shares its table, with the tid of a thread
 *				that has exited, lower than X's; the rest is
 *				read. Prints "layout ready pid=P tid=X
 *				joined=J shown=N expected=K": N rows with X's
 *				sockets' inodes, J the new thread's tid
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
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
static int owner_sockets = 1;	/* how many sockets the last unsharer opens */

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
	int i, *fds;

	(void)arg;
	if (unshare(CLONE_FILES) < 0)
		die("unshare(CLONE_FILES)");
	fds = calloc(owner_sockets, sizeof(*fds));
	tids = calloc(sharers, sizeof(*tids));
	if (!tids || !fds)
		die("calloc");
	for (i = 0; i < owner_sockets; i++)
		fds[i] = new_socket();
	for (i = 0; i < sharers; i++)
		start_thread(idle_thread, &tids[i]);
	for (i = 0; i < sharers; i++)
		while (sem_wait(&sharers_started) < 0)
			;
	for (i = 0; i < sharers; i++)
		if (tids[i] < low)
			low = tids[i];
	for (i = 0; i < owner_sockets; i++)
		record(low, fds[i]);
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

/* A process of procs_layout(): it holds the shared table until killed. */
static int procs_child(void *arg)
{
	(void)arg;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		pause();
	return 0;
}

/* procs: N processes sharing one table of SLOTS slots and one socket. */
static int procs_layout(int n, int slots)
{
	pid_t me = gettid_();
	char *stack;
	int i, fd;

	fd = new_socket();
	if (dup2(fd, slots - 1) < 0)
		die("dup2");
	close(fd);
	record(me, slots - 1);
	nr_tables = 1;
	for (i = 0; i < n; i++) {
		stack = malloc(STACK_SIZE);
		if (!stack)
			die("malloc");
		if (clone(procs_child, stack + STACK_SIZE,
			  CLONE_VM | CLONE_FILES | SIGCHLD, NULL) < 0)
			die("clone");
	}
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

/*
 * The fastest of @reps whole reads of @path, @size bytes at a time, in
 * microseconds.
 */
static int readtime(const char *path, int reps, size_t size)
{
	static char buf[65536];
	long long best = -1, t;
	ssize_t n;
	int fd;

	if (size < 1 || size > sizeof(buf))
		size = sizeof(buf);
	while (reps-- > 0) {
		t = now_us();
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die(path);
		while ((n = read(fd, buf, size)) > 0)
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

/*
 * The longest of @reps times from SIGKILL to the reaping of a child that
 * reads @path over and over, in microseconds.
 */
static int killtime(const char *path, int reps)
{
	static char buf[65536];
	long long worst = 0, t;
	pid_t pid;
	int fd;

	while (reps-- > 0) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			for (;;) {
				fd = open(path, O_RDONLY);
				if (fd < 0)
					die(path);
				while (read(fd, buf, sizeof(buf)) > 0)
					;
				close(fd);
			}
		}
		usleep(200000);
		t = now_us();
		if (kill(pid, SIGKILL) < 0)
			die("kill");
		if (waitpid(pid, NULL, 0) < 0)
			die("waitpid");
		t = now_us() - t;
		if (t > worst)
			worst = t;
	}
	printf("%lld\n", worst);
	return 0;
}

/* ---- reuse and rejoin: a tid reused in the middle of a read ---- */

/* Sockets a child of reuse_layout() or a thread of rejoin opened. */
static unsigned long reuse_ino[4096];

/* Make the next task created get pid @pid, if it is free. */
static void set_last_pid(pid_t pid)
{
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");

	if (!f || fprintf(f, "%d", pid - 1) < 0 || fclose(f))
		die("/proc/sys/kernel/ns_last_pid");
}

/*
 * Open @k sockets at the lowest free fds and note their inodes; then say
 * so on @ready.
 */
static void open_sockets(int k, int ready)
{
	struct stat st;
	int i, fd;

	for (i = 0; i < k; i++) {
		fd = new_socket();
		if (fstat(fd, &st) < 0)
			die("fstat");
		reuse_ino[i] = st.st_ino;
	}
	if (write(ready, reuse_ino, k * sizeof(reuse_ino[0])) < 0)
		die("write");
}

/*
 * The fields of PID and INODE in a row, counted from 0: found by name in
 * the header, the file's first line, so that a new column moves nothing.
 */
static int pid_field = -1, ino_field = -1;

/* Split @line at blanks into at most @max fields; returns how many. */
static int split_fields(char *line, char **field, int max)
{
	char *save, *tok;
	int n = 0;

	for (tok = strtok_r(line, " ", &save); tok && n < max;
	     tok = strtok_r(NULL, " ", &save))
		field[n++] = tok;
	return n;
}

/* Learn pid_field and ino_field from the @n fields of the header. */
static void read_header(char **field, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(field[i], "PID"))
			pid_field = i;
		if (!strcmp(field[i], "INODE"))
			ino_field = i;
	}
	if (pid_field < 0 || ino_field < 0) {
		fprintf(stderr, "layout: no PID or INODE in the header\n");
		exit(1);
	}
}

/*
 * Read the rows of @fd one byte at a time (so that none is made ahead of
 * what was read but the next) until the row of @tid with inode @stop has
 * been read whole, or to the end when @tid is 0. Count the rows whose
 * inode is one of the @k in reuse_ino[]. The first call must start at
 * the header.
 */
static int read_rows(int fd, pid_t tid, unsigned long stop, int k)
{
	char line[4096], *field[64];
	unsigned long ino;
	size_t len = 0;
	int shown = 0, i, pid, nf;
	ssize_t n;

	while ((n = read(fd, line + len, 1)) > 0) {
		if (line[len] != '\n') {
			if (len < sizeof(line) - 2)
				len++;
			continue;
		}
		line[len] = '\0';
		len = 0;
		nf = split_fields(line, field, 64);
		if (pid_field < 0) {
			read_header(field, nf);
			continue;
		}
		if (nf <= pid_field || nf <= ino_field)
			continue;
		pid = atoi(field[pid_field]);
		ino = strtoul(field[ino_field], NULL, 10);
		for (i = 0; i < k; i++)
			shown += ino == reuse_ino[i];
		if (tid && pid == tid && ino == stop)
			return shown;
	}
	if (n < 0)
		die("read");
	return shown;
}

/* A child that holds @k sockets, at fds 3 and up, until killed. */
static pid_t socket_child(int k, int ready, pid_t want)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		die("fork");
	if (pid)
		return pid;
	if (want && getpid() != want)
		_exit(0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (fd = 3; fd < 1000; fd++)
		if (fd != ready)
			close(fd);
	open_sockets(k, ready);
	wait_forever();
	_exit(0);
}

static int reuse_layout(const char *path, int k)
{
	int pipefd[2], fd, shown, tries;
	pid_t a, b = 0;

	if (pipe(pipefd) < 0 || dup2(pipefd[1], 1000) < 0 ||
	    dup2(pipefd[0], 1001) < 0)
		die("pipe");
	close(pipefd[0]);
	close(pipefd[1]);
	a = socket_child(k, 1000, 0);
	if (read(1001, reuse_ino, k * sizeof(reuse_ino[0])) <= 0)
		die("read");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	read_rows(fd, a, reuse_ino[k / 2], 0);

	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	for (tries = 0; tries < 20 && b != a; tries++) {
		set_last_pid(a);
		b = socket_child(k, 1000, a);
		if (b != a)
			waitpid(b, NULL, 0);
	}
	if (b != a) {
		fprintf(stderr, "layout: pid %d was not given again\n", a);
		exit(1);
	}
	if (read(1001, reuse_ino, k * sizeof(reuse_ino[0])) <= 0)
		die("read");
	shown = read_rows(fd, 0, 0, k);
	kill(b, SIGKILL);
	waitpid(b, NULL, 0);
	printf("layout ready pid=%d tid=%d shown=%d expected=%d\n", getpid(),
	       a, shown, k);
	return 0;
}

static int rejoin_k, rejoin_go[2], rejoin_ready[2];
static pid_t rejoin_dead;

static void *rejoin_dead_thread(void *arg)
{
	(void)arg;
	rejoin_dead = gettid_();
	return NULL;
}

static void *rejoin_joiner(void *arg)
{
	(void)arg;
	if (write(rejoin_ready[1], (pid_t[]){ gettid_() }, sizeof(pid_t)) < 0)
		die("write");
	return wait_forever();
}

/* X: unshare, open the sockets, and on the word start a sharer. */
static void *rejoin_x(void *arg)
{
	pthread_t t;
	char c;

	(void)arg;
	if (unshare(CLONE_FILES) < 0)
		die("unshare(CLONE_FILES)");
	if (write(rejoin_ready[1], (pid_t[]){ gettid_() }, sizeof(pid_t)) < 0)
		die("write");
	open_sockets(rejoin_k, rejoin_ready[1]);
	if (read(rejoin_go[0], &c, 1) <= 0)
		die("read");
	set_last_pid(rejoin_dead);
	errno = pthread_create(&t, NULL, rejoin_joiner, NULL);
	if (errno)
		die("pthread_create");
	return wait_forever();
}

static int rejoin_layout(const char *path, int k)
{
	pthread_t t;
	int fd, shown;
	pid_t p, x, joined;

	rejoin_k = k;
	if (pipe(rejoin_go) < 0 || pipe(rejoin_ready) < 0)
		die("pipe");
	p = fork();
	if (p < 0)
		die("fork");
	if (!p) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* A thread whose tid will be free, lower than X's. */
		errno = pthread_create(&t, NULL, rejoin_dead_thread, NULL);
		if (errno || (errno = pthread_join(t, NULL)))
			die("pthread_create");
		errno = pthread_create(&t, NULL, rejoin_x, NULL);
		if (errno)
			die("pthread_create");
		wait_forever();
	}
	if (read(rejoin_ready[0], &x, sizeof(x)) != sizeof(x) ||
	    read(rejoin_ready[0], reuse_ino, k * sizeof(reuse_ino[0])) <= 0)
		die("read");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	shown = read_rows(fd, x, reuse_ino[k / 2], k);
	if (write(rejoin_go[1], "g", 1) < 0 ||
	    read(rejoin_ready[0], &joined, sizeof(joined)) != sizeof(joined))
		die("rejoin");
	shown += read_rows(fd, 0, 0, k);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	printf("layout ready pid=%d tid=%d joined=%d shown=%d expected=%d\n",
	       getpid(), x, joined, shown, k);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: layout hostile|shared|ordinary N M | bigshare M S | procs N SLOTS | readtime PATH REPS [SIZE] | killtime PATH REPS | reuse|rejoin PATH K\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	int n, m;

	if (argc == 5 && !strcmp(argv[1], "readtime"))
		return readtime(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc != 4)
		return usage();
	if (!strcmp(argv[1], "readtime"))
		return readtime(argv[2], atoi(argv[3]), 0);
	if (!strcmp(argv[1], "killtime"))
		return killtime(argv[2], atoi(argv[3]));
	if (!strcmp(argv[1], "reuse") || !strcmp(argv[1], "rejoin")) {
		n = atoi(argv[3]);
		if (n < 2 || n > (int)(sizeof(reuse_ino) / sizeof(reuse_ino[0])))
			return usage();
		if (!strcmp(argv[1], "reuse"))
			return reuse_layout(argv[2], n);
		return rejoin_layout(argv[2], n);
	}
	n = atoi(argv[2]);
	m = atoi(argv[3]);
	if (n < 0 || m < 0)
		return usage();
	/*
	 * The ordinary layout holds N + 1 sockets in one table, bigshare M,
	 * procs a table of M slots: raise the hard limit to that if we may.
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit");
	if (rl.rlim_max < (rlim_t)m + 64 || rl.rlim_max < (rlim_t)n + 64) {
		struct rlimit more = rl;

		more.rlim_max = (rlim_t)(m > n ? m : n) + 64;
		more.rlim_cur = more.rlim_max;
		if (!setrlimit(RLIMIT_NOFILE, &more))
			rl = more;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit");
	if (!strcmp(argv[1], "procs")) {
		socks = calloc(1, sizeof(*socks));
		if (!socks)
			die("calloc");
		return procs_layout(n, m);
	}
	if (!strcmp(argv[1], "bigshare")) {
		socks = calloc(m + 2, sizeof(*socks));
		if (!socks || sem_init(&started, 0, 0) < 0 ||
		    sem_init(&sharers_started, 0, 0) < 0)
			die("setup");
		owner_sockets = m;
		return unshared_layout(0, n, 0);
	}
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
