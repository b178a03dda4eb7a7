// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap-exporter - /proc/sockmap as Prometheus metrics, in a .prom file
 * for node_exporter's textfile collector (docs/exporter.md).
 *
 * Three steps: read and parse the input (input.c), fold the cgroup
 * labels and write the metrics (metrics.c) into a file that replaces the
 * output atomically (here). A bad read still writes a file, one that
 * says only sockmap_up 0: a stale file would go on reporting sockets that
 * are gone, and sockmap_up == 0 is what an alert can watch.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exporter.h"

#define PROG "sockmap-exporter"

/* Finish writing @f (a temporary file), fsync and close it; false on error. */
static bool close_synced(FILE *f)
{
	bool ok = fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
	int e = errno;

	if (fclose(f) && ok)
		return false;
	errno = e;
	return ok;
}

/*
 * Replace @path atomically: write a temporary file beside it, named so
 * that the textfile collector (which reads only *.prom) never reads it
 * half-written, then rename() it over @path. On any failure the old
 * file stays as it was. False with errno set.
 */
static bool write_atomic(const char *path, struct state *st, bool up)
{
	char *dir = strdup(path), *slash, *tmp = NULL;
	int fd = -1, e;
	FILE *f;

	if (!dir)
		return false;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (asprintf(&tmp, "%s/.%s.XXXXXX", slash ? dir : ".",
		     slash ? slash + 1 : path) < 0) {
		tmp = NULL;
		goto fail;
	}
	fd = mkstemp(tmp);
	/* mkstemp makes it 0600; node_exporter reads it as another user. */
	if (fd < 0 || fchmod(fd, 0644))
		goto fail;
	f = fdopen(fd, "w");
	if (!f)
		goto fail;
	fd = -1;
	put_metrics(f, st, up);
	if (!close_synced(f) || rename(tmp, path))
		goto fail;
	free(tmp);
	free(dir);
	return true;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dir);
	errno = e;
	return false;
}

static bool write_output(const struct opts *o, struct state *st, bool up)
{
	if (strcmp(o->output, "-"))
		return write_atomic(o->output, st, up);
	put_metrics(stdout, st, up);
	return fflush(stdout) == 0 && !ferror(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Open, read and parse the input; -1 with st->err set when it fails. */
static int load(struct state *st)
{
	const char *in = st->o->input;
	double t0 = now();
	FILE *f = fopen(in, "re");
	int rc;

	if (!f) {
		return bad(st, "%s%s", strerror(errno),
			   errno == ENOENT && !strcmp(in, "/proc/sockmap") ?
			   " (is the sockmap module loaded?)" : "");
	}
	/* /proc/sockmap fills whatever buffer it is read into: take it big. */
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	rc = read_input(st, f);
	fclose(f);
	st->seconds = now() - t0;
	if (rc)
		return rc;
	if (fold(st))
		return bad(st, "%s", strerror(ENOMEM));
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: " PROG " [--input PATH] [--output FILE|-] [--cgroup-depth N] [--max-cgroups N]\n"
	      "  --input PATH       what to read (default /proc/sockmap)\n"
	      "  --output FILE      the .prom file to replace atomically, or - for stdout\n"
	      "                     (default /var/lib/prometheus/node-exporter/sockmap.prom)\n"
	      "  --cgroup-depth N   cut cgroup paths to N components (default 2; 0 = /)\n"
	      "  --max-cgroups N    at most N cgroup labels, the rest as \"other\" (default 50)\n",
	      f);
}

static bool parse_count(const char *s, unsigned long max, unsigned long *v)
{
	uint64_t n;

	if (!parse_u64(s, &n) || !strcmp(s, "-") || n > max)
		return false;
	*v = n;
	return true;
}

/* Command-line errors exit 2: like a failed write, nothing was written. */
static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "cgroup-depth", required_argument, NULL, 'd' },
		{ "max-cgroups", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'i': o->input = optarg; break;
		case 'o': o->output = optarg; break;
		case 'd':
			if (!parse_count(optarg, 4096, &o->depth)) {
				fprintf(stderr, PROG ": --cgroup-depth: want 0..4096, got '%s'\n", optarg);
				exit(2);
			}
			break;
		case 'm':
			if (!parse_count(optarg, 100000, &o->max_cgroups)) {
				fprintf(stderr, PROG ": --max-cgroups: want 0..100000, got '%s'\n", optarg);
				exit(2);
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		exit(2);
	}
	if (!*o->input || !*o->output) {
		fprintf(stderr, PROG ": empty --input or --output\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct opts o = {
		.input = "/proc/sockmap",
		.output = "/var/lib/prometheus/node-exporter/sockmap.prom",
		.depth = 2, .max_cgroups = 50,
	};
	static struct state st;
	bool up;

	parse_args(argc, argv, &o);
	st.o = &o;
	up = load(&st) == 0;
	if (!up)
		fprintf(stderr, PROG ": %s: %s\n", o.input, st.err);
	if (!write_output(&o, &st, up)) {
		fprintf(stderr, PROG ": %s: cannot write: %s\n", o.output,
			strerror(errno));
		return 2;
	}
	return up ? 0 : 1;
}
