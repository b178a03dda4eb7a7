// SPDX-License-Identifier: GPL-2.0
/*
 * reader - read /proc/sockmap over and over, for scripts/stress.
 *
 *	reader NAME SECONDS SIZE [reopen] [uid=N] [landlock] [faults]
 *
 * Reads the whole file with read(2) calls of SIZE bytes, again and again,
 * until SECONDS have passed. "reopen" closes the file after every read and
 * opens it again at the offset it had reached (lseek), so every chunk starts
 * a fresh walk in the middle of the file. "uid=N" drops root first.
 *
 * "landlock" opens one UDP socket, then enters a Landlock domain of its own
 * (a ruleset handling only LANDLOCK_ACCESS_FS_MAKE_SOCK, so reads are not
 * affected) before reading. Landlock then hides every other process's
 * /proc/PID/fd, even from root, and so must /proc/sockmap: every complete
 * pass must hold exactly one row, that socket's, under the reader's own
 * PID, and after the deadline one complete pass must follow (retried for
 * 60 s while the module is away). No Landlock in the kernel is an error,
 * not a skip.
 *
 * "faults" reads under allocation faults: the reader starts FAULT_KIDS
 * processes that each open one UDP socket and wait, opens three sockets
 * of its own (UDP, a listening TCP one, UNIX), locks its memory (so that
 * no page fault of its own needs an allocation that could be failed), and
 * sets /proc/self/make-it-fail, so that the failslab and fail_page_alloc
 * settings stress.sh made in debugfs (task-filter=Y) fail some of the
 * kernel's allocations made for it. open(2) and read(2) may then also fail
 * with ENOMEM, a clean failure counted in enomem; any other error is one.
 * Every complete pass must still be well formed and hold the reader's
 * three rows and its processes' one each: a row may not silently go
 * missing because an allocation failed (the per-task visibility check
 * that a read makes for each process, and so under the reader's faults,
 * must not turn ENOMEM into "not visible"; nor may a failure turn into
 * an early EOF). At the deadline it clears make-it-fail and must then
 * read one complete, well-formed pass with all those rows (retrying for
 * 60 s while the module is being reloaded): a fault must not spoil later
 * reads.
 *
 * The module may be unloaded at any time (scripts/stress reloads it in a
 * loop), so these failures are clean and only counted:
 *	open: ENOENT (not loaded)	read: EIO (unloaded since the open)
 *	lseek: EINVAL or EIO, if a read of the same fd then fails with EIO
 *	(procfs says EINVAL to lseek on a removed entry, and EIO to read;
 *	sockmap ends its running walks with EIO when it is being unloaded,
 *	and lseek makes one to reach the offset)
 * Anything else is an error. So is a pass whose text is malformed:
 *	- the first line is the header, which names PID, FD and SOCK (found by
 *	  name, so that a column added anywhere breaks nothing here); every
 *	  other line has as many whitespace-separated fields as the header
 *	  and ends with a newline;
 *	- (PID, FD) strictly increases down the rows (the walk's cursor never
 *	  goes back or repeats a row), and then come the rows of sockets no
 *	  file holds, PID and FD "-";
 *	- without CAP_SYSLOG (uid=N), SOCK (%pK) is all zeros;
 *	- landlocked, only the reader's own row (see above) among the rows
 *	  of fds.
 * A reopen pass is made of chunks of different walks (rows spliced where
 * the file changed between two opens), so only its size and its line count
 * are taken.
 *
 * At the end it prints one line and exits 1 if there was any error:
 *	reader NAME: passes=N rows=N bytes=N cut=N absent=N max_read_ms=N
 *		     enomem=N errors=N
 * (on one line). passes: complete reads up to EOF; rows: rows in them;
 * cut: passes that ended in a clean read failure; absent: opens that found
 * no file; enomem: opens and reads that failed with ENOMEM ("faults");
 * max_read_ms: the longest single read(2), the time one walk spent in the
 * kernel (and waiting for a CPU).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef PROC_SOCKMAP
#define PROC_SOCKMAP "/proc/sockmap"
#endif
#define MAX_FIELDS 64
#define FAULT_KIDS 8

static const char *name;
static long passes, rows, bytes, cut, absent, max_read_ms, enomem, errors;
/*
 * Rows taken from every pass, a cut one's too: each was checked as it
 * came. rows counts only complete passes, which a short run on a busy
 * host may not finish between two unloads.
 */
static long seen;
static int check_lines = 1, unprivileged, faulting;
static long landlocked;	/* the reader's PID, once in its Landlock domain */
/*
 * Rows of the reader's own PID, or of its processes', that every complete
 * pass must hold (own_expected 0: no such check).
 */
static long own_pid, own_expected, kid_pid[FAULT_KIDS];

static void error(const char *fmt, const char *detail)
{
	if (++errors <= 10) {
		fprintf(stderr, "reader %s: ", name);
		fprintf(stderr, fmt, detail);
		fputc('\n', stderr);
	}
}

/* The state of one pass: the line being assembled and the last row's key. */
struct pass {
	char line[4096];
	size_t len;
	long lines;
	long last_pid, last_fd;
	long own;	/* rows of the reader's own PID (own_pid) */
	int bad;
	int holderless;	/* past the rows of fds: PID "-" from here on */
	/* From the header: how many columns, and where PID, FD and SOCK are. */
	int columns, col_pid, col_fd, col_sock;
};

/* split - @line's whitespace-separated fields, at most MAX_FIELDS of them. */
static int split(char *line, char *field[MAX_FIELDS])
{
	char *save;
	int n = 0;

	for (char *tok = strtok_r(line, " \t", &save); tok && n < MAX_FIELDS;
	     tok = strtok_r(NULL, " \t", &save))
		field[n++] = tok;
	return n;
}

/* take_header - the columns of the pass, found by their names. */
static void take_header(struct pass *p)
{
	char *field[MAX_FIELDS];

	p->col_pid = p->col_fd = p->col_sock = -1;
	p->columns = split(p->line, field);
	for (int i = 0; i < p->columns; i++) {
		if (!strcmp(field[i], "PID"))
			p->col_pid = i;
		else if (!strcmp(field[i], "FD"))
			p->col_fd = i;
		else if (!strcmp(field[i], "SOCK"))
			p->col_sock = i;
	}
	if (p->col_pid < 0 || p->col_fd < 0 || p->col_sock < 0) {
		p->bad = 1;
		error("the first line is not the header (PID, FD, SOCK): %.40s",
		      p->columns ? field[0] : "");
	}
}

static void check_row(struct pass *p)
{
	char *field[MAX_FIELDS];
	long pid, fd;
	int n;

	if (p->col_pid < 0)
		return;	/* no header: reported once, by take_header() */
	n = split(p->line, field);
	if (n != p->columns) {
		p->bad = 1;
		error("a row whose fields are not as many as the header's (%s...)",
		      n ? field[0] : "");
		return;
	}
	if (unprivileged && strspn(field[p->col_sock], "0") != 16) {
		p->bad = 1;
		error("an unprivileged reader sees SOCK %s", field[p->col_sock]);
	}
	/*
	 * The sockets no file holds come last, PID and FD "-"; a landlocked
	 * reader sees those of its own network namespace too, as its own
	 * /proc/net/tcp shows them.
	 */
	if (!strcmp(field[p->col_pid], "-") || p->holderless) {
		if (strcmp(field[p->col_pid], "-") || strcmp(field[p->col_fd], "-")) {
			p->bad = 1;
			error("a row with a PID or FD after the holderless rows, or one without the other: PID %s",
			      field[p->col_pid]);
		}
		p->holderless = 1;
		return;
	}
	pid = atol(field[p->col_pid]);
	fd = atol(field[p->col_fd]);
	if (pid < p->last_pid || (pid == p->last_pid && fd <= p->last_fd)) {
		p->bad = 1;
		error("rows out of order at PID %s", field[p->col_pid]);
	}
	p->last_pid = pid;
	p->last_fd = fd;
	if (landlocked && pid != landlocked) {
		p->bad = 1;
		error("a landlocked reader sees a row of PID %s, outside its domain",
		      field[p->col_pid]);
	}
	if (own_pid && pid == own_pid)
		p->own++;
	for (int i = 0; i < FAULT_KIDS && kid_pid[i]; i++)
		if (pid == kid_pid[i])
			p->own++;
}

/* take_line - one complete line (without its newline) in p->line. */
static void take_line(struct pass *p)
{
	p->line[p->len] = '\0';
	if (p->lines++ == 0) {
		take_header(p);
		p->len = 0;
		return;
	}
	seen++;
	if (check_lines)
		check_row(p);
	p->len = 0;
}

static void take(struct pass *p, const char *buf, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			take_line(p);
		} else if (p->len < sizeof(p->line) - 1) {
			p->line[p->len++] = buf[i];
		} else if (!p->bad) {
			p->bad = 1;
			error("a line longer than 4 KiB%s", "");
		}
	}
}

/* removed - did this open file's /proc entry go away with the module? */
static int removed(int fd)
{
	char c;

	return read(fd, &c, 1) < 0 && errno == EIO;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* timed_read - read(2), keeping the longest one in max_read_ms. */
static ssize_t timed_read(int fd, char *buf, size_t size)
{
	long start = now_ms(), ms;
	ssize_t n = read(fd, buf, size);
	int err = errno;

	ms = now_ms() - start;
	if (ms > max_read_ms)
		max_read_ms = ms;
	errno = err;
	return n;
}

/*
 * read_pass - read the file once to EOF. Returns 1 for a complete pass,
 * 0 for a cleanly failed one (counted in absent or cut), -1 on error.
 */
static int read_pass(char *buf, size_t size, int reopen)
{
	struct pass p = { .last_pid = -1, .last_fd = -1 };
	off_t off = 0;
	ssize_t n;
	int fd = -1;

	for (;;) {
		if (fd < 0) {
			fd = open(PROC_SOCKMAP, O_RDONLY);
			if (fd < 0 && errno == ENOENT) {
				absent++;
				return 0;
			}
			if (fd < 0 && errno == ENOMEM && faulting) {
				enomem++;
				return 0;
			}
			if (fd < 0) {
				error("open: %s", strerror(errno));
				return -1;
			}
			if (off && lseek(fd, off, SEEK_SET) != off) {
				int err = errno;

				if ((err == EINVAL || err == EIO) && removed(fd)) {
					cut++;
					close(fd);
					return 0;
				}
				if (err == ENOMEM && faulting) {
					enomem++;
					close(fd);
					return 0;
				}
				error("lseek: %s", strerror(err));
				close(fd);
				return -1;
			}
		}
		n = timed_read(fd, buf, size);
		if (n < 0) {
			int err = errno;

			close(fd);
			if (err == EIO) {
				cut++;
				return 0;
			}
			if (err == ENOMEM && faulting) {
				enomem++;
				return 0;
			}
			error("read: %s", strerror(err));
			return -1;
		}
		if (n == 0)
			break;
		take(&p, buf, n);
		off += n;
		if (reopen) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	if (p.len && check_lines) {
		error("the last line has no newline%s", "");
		return -1;
	}
	if (p.lines == 0) {
		error("an empty file (not even the header)%s", "");
		return -1;
	}
	if (own_expected && check_lines && p.own != own_expected && !p.bad) {
		char own[48];

		snprintf(own, sizeof(own), "%ld, not %ld%s", p.own, own_expected,
			 faulting ? ", under faults" : "");
		error("a complete pass holds the reader's own rows: %s", own);
		return -1;
	}
	if (p.bad)
		return -1;
	passes++;
	rows += p.lines - 1;
	bytes += off;
	return 1;
}

static void become_user(uid_t uid)
{
	if (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0) {
		perror("setuid");
		exit(1);
	}
}

static void landlock_fail(const char *what)
{
	fprintf(stderr, "reader %s: Landlock: %s: %s\n", name, what,
		strerror(errno));
	exit(1);
}

/*
 * enter_landlock - a UDP socket of its own, then a Landlock domain that
 * handles only the creation of socket files. Checks that the domain hides
 * PID 1's /proc/1/fd from this process (EACCES), as /proc/sockmap must.
 */
static void enter_landlock(void)
{
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_SOCK,
	};
	char link[256];
	long abi;
	int fd;

	if (socket(AF_INET, SOCK_DGRAM, 0) < 0)
		landlock_fail("socket");
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
		      LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		landlock_fail("not in this kernel (CONFIG_SECURITY_LANDLOCK, lsm=)");
	fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		landlock_fail("landlock_create_ruleset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		landlock_fail("PR_SET_NO_NEW_PRIVS");
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0)
		landlock_fail("landlock_restrict_self");
	close(fd);
	if (readlink("/proc/1/fd/0", link, sizeof(link)) >= 0) {
		fprintf(stderr, "reader %s: Landlock: the domain does not hide /proc/1/fd/0\n",
			name);
		exit(1);
	}
	if (errno != EACCES)
		landlock_fail("readlink /proc/1/fd/0");
	landlocked = getpid();
	own_pid = landlocked;
	own_expected = 1;
}

static void faults_fail(const char *what)
{
	fprintf(stderr, "reader %s: faults: %s: %s\n", name, what, strerror(errno));
	exit(1);
}

/*
 * make_it_fail - set this task's /proc/self/make-it-fail to ON (0 or 1).
 * The file is opened once, before the faults: an open() under them could
 * itself fail with ENOMEM. Writing it allocates nothing.
 */
static void make_it_fail(int on)
{
	static int fd = -1;

	if (fd < 0)
		fd = open("/proc/self/make-it-fail", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || pwrite(fd, on ? "1" : "0", 1, 0) != 1)
		faults_fail("/proc/self/make-it-fail");
}

/*
 * enter_faults - FAULT_KIDS processes with a UDP socket each, and three
 * sockets of the reader's own, for their rows to be looked for; then
 * memory locked, and the stack touched, so that its own page faults
 * (which could not fail cleanly) need no allocation later; then
 * make-it-fail.
 */
static void enter_faults(void)
{
	struct sockaddr_in any = { .sin_family = AF_INET };
	char stack[64 * 1024];
	pid_t parent = getpid();
	int tcp, ready[2];
	char c;

	if (pipe(ready) < 0)
		faults_fail("pipe");
	for (int i = 0; i < FAULT_KIDS; i++) {
		kid_pid[i] = fork();
		if (kid_pid[i] < 0)
			faults_fail("fork");
		if (kid_pid[i] == 0) {
			/* Gone with the reader, whenever it ends. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent || socket(AF_INET, SOCK_DGRAM, 0) < 0 ||
			    write(ready[1], "", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	/* Every process has its socket before the first pass. */
	for (int i = 0; i < FAULT_KIDS; i++)
		if (read(ready[0], &c, 1) != 1)
			faults_fail("a process for rows did not start");
	close(ready[0]);
	close(ready[1]);
	if (socket(AF_INET, SOCK_DGRAM, 0) < 0 || socket(AF_UNIX, SOCK_DGRAM, 0) < 0)
		faults_fail("socket");
	tcp = socket(AF_INET, SOCK_STREAM, 0);
	if (tcp < 0 || bind(tcp, (struct sockaddr *)&any, sizeof(any)) < 0 ||
	    listen(tcp, 1) < 0)
		faults_fail("a listening TCP socket");
	own_pid = getpid();
	own_expected = 3 + FAULT_KIDS;
	/* The compiler may not drop the writes: the barrier reads stack. */
	memset(stack, 0, sizeof(stack));
	__asm__ __volatile__("" : : "r"(stack) : "memory");
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		faults_fail("mlockall");
	faulting = 1;
	make_it_fail(1);
}

/*
 * final_pass - after the deadline, one complete pass must follow, retried
 * while the module is away (reloads go on until the same deadline). Used
 * where a complete pass carries a check that rows of cut passes cannot:
 * under faults, that a fault spoiled no later read; landlocked, that the
 * pass holds exactly the reader's own row. A landlocked pass is one
 * read(2) over every task, which on a loaded host can take longer than
 * the gaps between reloads, so without this it might never complete.
 */
static void final_pass(char *buf, size_t size, int reopen, const char *after)
{
	time_t give_up = time(NULL) + 60;
	int rc;

	while ((rc = read_pass(buf, size, reopen)) == 0 && time(NULL) < give_up)
		usleep(10000);
	if (rc != 1)
		error("no complete pass %s", after);
}

int main(int argc, char **argv)
{
	int reopen = 0, i;
	size_t size;
	time_t deadline;
	char *buf;

	if (argc < 4) {
		fprintf(stderr,
			"usage: reader NAME SECONDS SIZE [reopen] [uid=N] [landlock] [faults]\n");
		return 2;
	}
	name = argv[1];
	deadline = time(NULL) + atoi(argv[2]);
	size = strtoul(argv[3], NULL, 0);
	for (i = 4; i < argc; i++) {
		if (strcmp(argv[i], "reopen") == 0) {
			reopen = 1;
			check_lines = 0;
		} else if (strncmp(argv[i], "uid=", 4) == 0) {
			become_user(atoi(argv[i] + 4));
			unprivileged = 1;
		} else if (strcmp(argv[i], "landlock") == 0) {
			enter_landlock();
		} else if (strcmp(argv[i], "faults") == 0) {
			faulting = 1;
		} else {
			fprintf(stderr, "reader: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	buf = malloc(size);
	if (!size || !buf) {
		fprintf(stderr, "reader: bad size %s\n", argv[3]);
		return 2;
	}
	memset(buf, 0, size);	/* its pages in place before mlockall */
	if (faulting)
		enter_faults();

	while (time(NULL) < deadline) {
		if (read_pass(buf, size, reopen) == 0)
			usleep(10000);	/* unloaded: let insmod come back */
	}
	if (faulting) {
		make_it_fail(0);
		faulting = 0;
		final_pass(buf, size, reopen, "after the faults stopped");
		for (i = 0; i < FAULT_KIDS; i++)
			kill(kid_pid[i], SIGKILL);
	}
	if (landlocked)
		final_pass(buf, size, reopen, "in the Landlock domain after the deadline");
	printf("reader %s: passes=%ld rows=%ld bytes=%ld cut=%ld absent=%ld max_read_ms=%ld",
	       name, passes, rows, bytes, cut, absent, max_read_ms);
	printf(" enomem=%ld seen=%ld errors=%ld\n", enomem, seen, errors);
	return errors ? 1 : 0;
}
