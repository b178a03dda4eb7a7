// SPDX-License-Identifier: GPL-2.0
/*
 * timeit - wall-clock time of a command, with microsecond resolution
 * (busybox's `time` only has 10 ms).
 *
 *	timeit REPS CMD [ARG...]
 *
 * Runs CMD REPS times, one after the other, with its standard output sent
 * to /dev/null, and prints one line: "us T1 T2 ..." with the wall time of
 * each run in microseconds (CLOCK_MONOTONIC around fork, exec and wait).
 * Exits non-zero, without that line, if any run fails: a timing of a
 * failed command is not a timing.
 *
 *	gcc -O2 -Wall -static -o timeit timeit.c
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* One run of argv[0..]; returns its wall time in µs, or -1 if it failed. */
static long long run_once(char **argv)
{
	long long t0 = now_us(), t1;
	int status, null;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	t1 = now_us();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "timeit: %s failed (status 0x%x)\n", argv[0],
			status);
		return -1;
	}
	return t1 - t0;
}

int main(int argc, char **argv)
{
	int reps = argc > 2 ? atoi(argv[1]) : 0;
	long long *t;
	int i;

	if (reps <= 0) {
		fprintf(stderr, "usage: timeit REPS CMD [ARG...]\n");
		return 2;
	}
	t = calloc(reps, sizeof(*t));
	if (!t)
		return 1;
	for (i = 0; i < reps; i++) {
		t[i] = run_once(argv + 2);
		if (t[i] < 0)
			return 1;
	}
	printf("us");
	for (i = 0; i < reps; i++)
		printf(" %lld", t[i]);
	printf("\n");
	return 0;
}
