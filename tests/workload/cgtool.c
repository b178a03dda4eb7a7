// SPDX-License-Identifier: GPL-2.0
/*
 * cgtool - what the CGROUP checks of e2e.sh need and busybox lacks.
 *
 *   cgtool nscgroup CMD [ARG...]
 *	unshare(CLONE_NEWCGROUP), then exec CMD: CMD and its children see
 *	cgroup paths relative to the cgroup this process was in.
 *   cgtool reread PATH
 *	open PATH, copy all of it to stdout, print "@@reread@@", wait for a
 *	line on stdin, lseek() back to 0 and copy all of it again: the same
 *	open file, read twice.
 *
 * Build: gcc -static -O2.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int copy_out(int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, n, stdout) != (size_t)n)
			return -1;
	fflush(stdout);
	return n < 0 ? -1 : 0;
}

static int reread(const char *path)
{
	char line[64];
	int fd = open(path, O_RDONLY);

	if (fd < 0 || copy_out(fd) < 0) {
		perror(path);
		return 1;
	}
	printf("@@reread@@\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	if (lseek(fd, 0, SEEK_SET) != 0 || copy_out(fd) < 0) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "nscgroup")) {
		if (unshare(CLONE_NEWCGROUP) < 0) {
			perror("unshare(CLONE_NEWCGROUP)");
			return 1;
		}
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "reread"))
		return reread(argv[2]);
	fprintf(stderr, "usage: cgtool nscgroup CMD [ARG...] | reread PATH\n");
	return 2;
}
