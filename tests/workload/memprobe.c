// SPDX-License-Identifier: GPL-2.0
/*
 * memprobe - does reading a file allocate memory that grows with its size?
 *
 *	memprobe FILE
 *
 * Reads FILE to the end in 4 KiB read()s, the way a small-buffered reader
 * would, and samples /proc/meminfo before opening it, every 256 reads
 * (1 MiB) while it is open, and after closing it. Prints one line:
 *
 *	memprobe bytes=B samples=S slab_kB=BEFORE slab_max_growth_kB=G
 *	         slab_after_kB=A avail_max_drop_kB=D avail_after_drop_kB=E
 *
 * Slab is the kernel's slab memory (where sockets, files and seq_file
 * buffers live); MemAvailable drops for any allocation at all. Both move by
 * a few hundred kB on an idle system (per-CPU caches); an allocation per
 * row would move them by megabytes at 100,000 rows.
 *
 *	gcc -O2 -Wall -static -o memprobe memprobe.c
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sample {
	long slab;	/* kB */
	long avail;	/* kB */
};

static void sample(struct sample *s)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	s->slab = s->avail = -1;
	if (!f) {
		perror("memprobe: /proc/meminfo");
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Slab: %ld", &s->slab);
		sscanf(line, "MemAvailable: %ld", &s->avail);
	}
	fclose(f);
	if (s->slab < 0 || s->avail < 0) {
		fprintf(stderr, "memprobe: no Slab/MemAvailable in /proc/meminfo\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct sample before, now, after;
	long slab_growth = 0, avail_drop = 0;
	long long bytes = 0;
	static char buf[4096];
	int fd, samples = 0;
	ssize_t n;
	long reads = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: memprobe FILE\n");
		return 2;
	}
	sample(&before);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		bytes += n;
		if (++reads % 256)
			continue;
		sample(&now);
		samples++;
		if (now.slab - before.slab > slab_growth)
			slab_growth = now.slab - before.slab;
		if (before.avail - now.avail > avail_drop)
			avail_drop = before.avail - now.avail;
	}
	if (n < 0) {
		perror(argv[1]);
		return 1;
	}
	close(fd);
	sample(&after);
	printf("memprobe bytes=%lld samples=%d slab_kB=%ld slab_max_growth_kB=%ld slab_after_kB=%ld avail_max_drop_kB=%ld avail_after_drop_kB=%ld\n",
	       bytes, samples, before.slab, slab_growth, after.slab,
	       avail_drop, before.avail - after.avail);
	return 0;
}
