// SPDX-License-Identifier: GPL-2.0
/*
 * loadfail - load a module with one of the kernel's allocations for it
 * failed, for scripts/stress.
 *
 *	loadfail KO count	load KO cleanly; print how many allocations
 *				the load asked the fault injection about
 *	loadfail KO N		load KO with the Nth of them failed
 *
 * It loads with finit_module(2), as kmod's insmod does, after writing N to
 * /proc/self/fail-nth: the kernel then fails the Nth call of this task
 * into failslab or fail_page_alloc (with the settings stress.sh made in
 * debugfs: which allocations count at all), whatever their probability
 * and task filter say. Reading the file back afterwards tells whether the
 * fault was injected (0) or how many calls were left. With N counting down
 * from the clean load's count, the last allocations of the load, those of
 * the module's own init, are failed first.
 *
 * It prints one line:
 *	loadfail: n=N calls=N injected=0|1 loaded=0|1 err=ERRNO-NAME
 * and exits 0 if the module is loaded, 1 if the load failed cleanly
 * (ENOMEM, and neither the module nor its /proc file is left behind), 2 on
 * anything else: a load that failed without a fault, failed with another
 * error, or left something behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define COUNT_FROM 1000000000u
#define MODULE_NAME "sockmap"
#define PROC_FILE "/proc/sockmap"

static int fail_nth_fd;

static void die(const char *what)
{
	printf("loadfail: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void set_fail_nth(unsigned int n)
{
	char num[16];
	int len = snprintf(num, sizeof(num), "%u", n);

	if (pwrite(fail_nth_fd, num, len, 0) != len)
		die("write /proc/self/fail-nth");
}

static unsigned int get_fail_nth(void)
{
	char num[16] = "";

	if (pread(fail_nth_fd, num, sizeof(num) - 1, 0) <= 0)
		die("read /proc/self/fail-nth");
	return strtoul(num, NULL, 10);
}

/* module_listed - whether /proc/modules has a line for the module. */
static int module_listed(void)
{
	char line[512];
	FILE *f = fopen("/proc/modules", "r");
	int found = 0;

	if (!f)
		die("/proc/modules");
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, MODULE_NAME " ", strlen(MODULE_NAME) + 1) == 0)
			found = 1;
	fclose(f);
	return found;
}

int main(int argc, char **argv)
{
	unsigned int n, left;
	int ko, rc, err, counting, injected, listed;
	struct stat st;

	if (argc != 3) {
		fprintf(stderr, "usage: loadfail KO count|N\n");
		return 2;
	}
	counting = strcmp(argv[2], "count") == 0;
	n = counting ? COUNT_FROM : strtoul(argv[2], NULL, 10);
	if (!n) {
		fprintf(stderr, "loadfail: N counts from 1\n");
		return 2;
	}
	ko = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (ko < 0)
		die(argv[1]);
	fail_nth_fd = open("/proc/self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fail_nth_fd < 0)
		die("/proc/self/fail-nth (CONFIG_FAULT_INJECTION?)");

	/* Nothing else between these: every counted call is the load's. */
	set_fail_nth(n);
	rc = syscall(SYS_finit_module, ko, "", 0);
	err = errno;
	left = get_fail_nth();
	/* What was not used up must not fail a later call of this task. */
	set_fail_nth(0);

	injected = !counting && left == 0;
	listed = module_listed();
	printf("loadfail: n=%u calls=%u injected=%d loaded=%d err=%s\n",
	       counting ? 0 : n, n - left, injected, rc == 0,
	       rc == 0 ? "0" : strerrorname_np(err));
	if (rc == 0)
		return listed ? 0 : 2;
	if (counting || !injected) {
		printf("loadfail: the load failed with no fault injected\n");
		return 2;
	}
	if (err != ENOMEM) {
		printf("loadfail: an allocation failure made the load fail with %s, not ENOMEM\n",
		       strerrorname_np(err));
		return 2;
	}
	if (listed || stat(PROC_FILE, &st) == 0) {
		printf("loadfail: the failed load left %s behind\n",
		       listed ? "the module listed" : PROC_FILE);
		return 2;
	}
	return 1;
}
