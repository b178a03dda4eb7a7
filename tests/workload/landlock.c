// SPDX-License-Identifier: GPL-2.0
/*
 * landlock - run a command inside a new Landlock domain, for sockmap's
 * end-to-end checks of who may see what under an LSM.
 *
 *	landlock CMD [ARG...]
 *
 * The ruleset handles only LANDLOCK_ACCESS_FS_MAKE_SOCK (creating a UNIX
 * socket file), with no rule allowing it anywhere: files are read, written
 * and executed as before, but the command and its children live in a
 * domain of their own, and Landlock's ptrace hook forbids them to inspect
 * (readlink /proc/PID/fd/N, ptrace) any process outside it. No privilege
 * is needed (PR_SET_NO_NEW_PRIVS).
 *
 * When Landlock is missing or disabled the command is not run: landlock
 * says so on stderr and exits 1, so a check that relies on the domain
 * fails instead of passing without one; or 77 when the kernel predates
 * Landlock (5.13: no such system call), so that the check can say it does
 * not apply to that kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "landlock: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_SOCK,
	};
	long abi;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: landlock CMD [ARG...]\n");
		return 2;
	}
	abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
		      LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1 && errno == ENOSYS) {
		fprintf(stderr, "landlock: this kernel predates Landlock (5.13)\n");
		return 77;
	}
	if (abi < 1)
		return fail("Landlock is unavailable (not built in, or not in lsm=)");
	fd = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return fail("landlock_create_ruleset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return fail("PR_SET_NO_NEW_PRIVS");
	if (syscall(__NR_landlock_restrict_self, fd, 0))
		return fail("landlock_restrict_self");
	close(fd);
	execvp(argv[1], argv + 1);
	return fail(argv[1]);
}
