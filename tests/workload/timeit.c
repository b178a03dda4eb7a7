// SPDX-License-Identifier: GPL-2.0
/*
 * timeit - wall-clock time of a command, with microsecond resolution
 * (busybox's `time` only has 10 ms).
 *
 *	timeit [-l SECS] [-c] REPS CMD [ARG...]
 *
 * Runs CMD REPS times, one after the other, with its standard output sent
 * to /dev/null, and prints one line: "us T1 T2 ..." with the wall time of
 * each run in microseconds (CLOCK_MONOTONIC around fork, exec and wait).
 * With -c the line goes on with " cpu_us C1 C2 ...": the CPU time each run
 * took, user plus system, of the child alone (its rusage from wait4()), so
 * that a program's own work can be told from the time it waited.
 * Exits non-zero, without that line, if any run fails: a timing of a
 * failed command is not a timing. With -l (0: no limit), a run still going after SECS
 * seconds is killed (its process group) and timeit exits 3 with
 * "timeit: CMD stopped after SECS s" on standard error.
 *
 *	gcc -O2 -Wall -static -o timeit timeit.c
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/*
 * Wait for @pid for at most @limit seconds (0: no limit), its resource
 * usage in @ru. Returns 0, or -2 after killing its process group when the
 * limit passed first.
 */
static int wait_limited(pid_t pid, int *status, int limit, struct rusage *ru)
{
	long long deadline = now_us() + limit * 1000000LL, left;
	struct timespec ts;
	sigset_t chld;

	if (!limit)
		return wait4(pid, status, 0, ru) < 0 ? -1 : 0;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	while (wait4(pid, status, WNOHANG, ru) != pid) {
		left = deadline - now_us();
		if (left <= 0) {
			kill(-pid, SIGKILL);
			wait4(pid, status, 0, ru);
			return -2;
		}
		ts.tv_sec = left / 1000000;
		ts.tv_nsec = left % 1000000 * 1000;
		sigtimedwait(&chld, NULL, &ts);
	}
	return 0;
}

static long long tv_us(const struct timeval *tv)
{
	return tv->tv_sec * 1000000LL + tv->tv_usec;
}

/*
 * One run of argv[0..]; returns its wall time in µs, -1 if it failed, -2
 * if it was stopped after @limit seconds. Its CPU time (user + system, in
 * µs) goes to @cpu.
 */
static long long run_once(char **argv, int limit, long long *cpu)
{
	long long t0 = now_us(), t1;
	struct rusage ru;
	int status, null, rc;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	rc = wait_limited(pid, &status, limit, &ru);
	if (rc < 0) {
		if (rc == -2)
			fprintf(stderr, "timeit: %s stopped after %d s\n",
				argv[0], limit);
		return rc;
	}
	t1 = now_us();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "timeit: %s failed (status 0x%x)\n", argv[0],
			status);
		return -1;
	}
	*cpu = tv_us(&ru.ru_utime) + tv_us(&ru.ru_stime);
	return t1 - t0;
}

int main(int argc, char **argv)
{
	int reps, limit = 0, cpu = 0, i;
	long long *t, *c;
	sigset_t chld;

	if (argc > 2 && !strcmp(argv[1], "-l")) {
		limit = atoi(argv[2]);
		argc -= 2;
		argv += 2;
		if (limit < 0)
			argc = 0;
	}
	if (argc > 1 && !strcmp(argv[1], "-c")) {
		cpu = 1;
		argc--;
		argv++;
	}
	reps = argc > 2 ? atoi(argv[1]) : 0;
	if (reps <= 0) {
		fprintf(stderr, "usage: timeit [-l SECS] [-c] REPS CMD [ARG...]\n");
		return 2;
	}
	/* SIGCHLD blocked, so that sigtimedwait() can take it. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	t = calloc(reps, sizeof(*t));
	c = calloc(reps, sizeof(*c));
	if (!t || !c)
		return 1;
	for (i = 0; i < reps; i++) {
		t[i] = run_once(argv + 2, limit, &c[i]);
		if (t[i] < 0)
			return t[i] == -2 ? 3 : 1;
	}
	printf("us");
	for (i = 0; i < reps; i++)
		printf(" %lld", t[i]);
	if (cpu) {
		printf(" cpu_us");
		for (i = 0; i < reps; i++)
			printf(" %lld", c[i]);
	}
	printf("\n");
	return 0;
}
