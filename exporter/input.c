// SPDX-License-Identifier: GPL-2.0
/*
 * input.c - reading /proc/sockmap: the header names the columns (their
 * order is not assumed, unknown ones are skipped), each row's cgroup is
 * cut to a label, and a socket is kept once per (label, INODE), since a
 * socket appears once per fd that holds it, in every task that holds it
 * (but for INODE 0: the sockets no file holds, a row each).
 *
 * The input is untrusted text: every line, field and number is bounded,
 * and anything that does not parse makes the whole read bad.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"

/* Bounds on hostile input; real rows are far below them. */
#define LINE_MAX_BYTES	(1 << 20)	/* a row with a PATH_MAX cgroup, escaped: 16 KiB */
#define COLUMNS_MAX	256
#define NAME_MAX_BYTES	64		/* FAMILY, PROTO, STATE values */
#define NAMES_MAX	64		/* distinct values of each of those */

static const char *const required[NR_REQUIRED] = {
	"INODE", "FAMILY", "PROTO", "STATE", "RXQ", "TXQ", "RETRANS",
	"CGROUP", "TX_BYTES", "RX_BYTES",
};

/* Record why the read failed; returns -1 for the callers to pass up. */
int bad(struct state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (len--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	return x ^ (x >> 33);
}

/* Grow an array of @size-byte items to hold @need; false on ENOMEM. */
static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	p = reallocarray(*v, n, size);
	if (!p)
		return false;
	*v = p;
	*cap = n;
	return true;
}

static bool table_rehash(struct table *t)
{
	size_t nslot = t->nslot ? t->nslot * 2 : 64, i, h;
	uint32_t *slot = calloc(nslot, sizeof(*slot));

	if (!slot)
		return false;
	for (i = 0; i < t->n; i++) {
		h = hash_bytes(t->v[i].s, t->v[i].len) & (nslot - 1);
		while (slot[h])
			h = (h + 1) & (nslot - 1);
		slot[h] = i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return true;
}

/* The index of @s in @t, added if new; -1 on ENOMEM. */
static long table_intern(struct table *t, const char *s, size_t len)
{
	size_t h, cap = t->n;
	struct str *e;

	/* Half full at most, so that a probe ends soon. */
	if (2 * (t->n + 1) > t->nslot && !table_rehash(t))
		return -1;
	for (h = hash_bytes(s, len) & (t->nslot - 1); t->slot[h];
	     h = (h + 1) & (t->nslot - 1)) {
		e = &t->v[t->slot[h] - 1];
		if (e->len == len && !memcmp(e->s, s, len))
			return t->slot[h] - 1;
	}
	if (!grow((void **)&t->v, &cap, t->n + 1, sizeof(*t->v)))
		return -1;
	cap = t->n;
	if (!grow((void **)&t->sockets, &cap, t->n + 1, sizeof(*t->sockets)))
		return -1;
	t->v[t->n].s = malloc(len + 1);
	if (!t->v[t->n].s)
		return -1;
	memcpy(t->v[t->n].s, s, len);
	t->v[t->n].s[len] = '\0';
	t->v[t->n].len = len;
	t->sockets[t->n] = 0;
	t->slot[h] = ++t->n;
	return t->n - 1;
}

static uint64_t seen_hash(const struct sock *s)
{
	return hash_u64(s->inode ^ ((uint64_t)s->cgroup << 40 | s->cgroup));
}

static bool seen_rehash(struct state *st)
{
	size_t nslot = st->seen.nslot ? st->seen.nslot * 2 : 1024, i, h;
	uint32_t *slot = calloc(nslot, sizeof(*slot));

	if (!slot)
		return false;
	for (i = 0; i < st->nsocks; i++) {
		for (h = seen_hash(&st->socks[i]) & (nslot - 1); slot[h];
		     h = (h + 1) & (nslot - 1))
			;
		slot[h] = i + 1;
	}
	free(st->seen.slot);
	st->seen.slot = slot;
	st->seen.nslot = nslot;
	return true;
}

/*
 * Keep @s unless its (cgroup label, INODE) was seen: the same socket held
 * by several fds, or tasks, of one label counts once. INODE 0 is a socket
 * that no file holds (TIME_WAIT, a request, an orphan, a child not yet
 * accepted): each has one row, and all share that number, so each is
 * kept. -1 on ENOMEM.
 */
static int add_sock(struct state *st, const struct sock *s)
{
	size_t h, mask;
	struct sock *o;

	if (2 * (st->nsocks + 1) > st->seen.nslot && !seen_rehash(st))
		return -1;
	mask = st->seen.nslot - 1;
	for (h = seen_hash(s) & mask; st->seen.slot[h]; h = (h + 1) & mask) {
		o = &st->socks[st->seen.slot[h] - 1];
		if (s->inode && o->inode == s->inode && o->cgroup == s->cgroup)
			return 0;
	}
	if (!grow((void **)&st->socks, &st->capsocks, st->nsocks + 1,
		  sizeof(*st->socks)))
		return -1;
	st->socks[st->nsocks] = *s;
	st->seen.slot[h] = ++st->nsocks;
	st->cgroups.sockets[s->cgroup]++;
	return 0;
}

/* A decimal number that fits in 64 bits; "-" (none) is 0. */
bool parse_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;

	if (!strcmp(s, "-")) {
		*v = 0;
		return true;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' ||
		    n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*v = n;
	return true;
}

/* Split @line in place on blanks into at most @max fields; returns how many. */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return max + 1;
		f[n++] = tok;
	}
	return n;
}

static int parse_header(struct state *st, char *line)
{
	char *f[COLUMNS_MAX];
	size_t n = split(line, f, COLUMNS_MAX), i, r;

	if (n > COLUMNS_MAX)
		return bad(st, "the header has more than %d columns", COLUMNS_MAX);
	for (r = 0; r < NR_REQUIRED; r++)
		st->col[r] = -1;
	for (i = 0; i < n; i++) {
		for (r = 0; r < NR_REQUIRED; r++) {
			if (strcmp(f[i], required[r]))
				continue;
			if (st->col[r] >= 0)
				return bad(st, "the header names %s twice", required[r]);
			st->col[r] = i;
		}
	}
	for (r = 0; r < NR_REQUIRED; r++)
		if (st->col[r] < 0)
			return bad(st, "the header has no %s column (not sockmap's, or too old a sockmap?)",
				   required[r]);
	st->ncols = n;
	return 0;
}

static int octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/* Undo /proc/sockmap's \ooo escapes in place; returns the new length. */
static size_t unescape(char *s)
{
	char *in = s, *out = s;
	int v;

	while (*in) {
		if (in[0] == '\\' && octal(in[1]) >= 0 && octal(in[2]) >= 0 &&
		    octal(in[3]) >= 0) {
			v = octal(in[1]) << 6 | octal(in[2]) << 3 | octal(in[3]);
			if (v <= 0xff) {
				*out++ = (char)v;
				in += 4;
				continue;
			}
		}
		*out++ = *in++;
	}
	return out - s;
}

/*
 * The cgroup label of a CGROUP field: unescaped and cut to its first
 * --cgroup-depth components, so that the label names a service or a
 * container rather than every process's own cgroup. "-" stays "-".
 * Anything else that is not a path is bad input: it could clash with
 * "other".
 */
static long cgroup_label(struct state *st, char *field)
{
	size_t len = unescape(field), i = 0, out = 0, depth = 0;

	if (len == 1 && field[0] == '-')
		return table_intern(&st->cgroups, field, len);
	if (field[0] != '/')
		return -2;
	while (i < len && depth < st->o->depth) {
		while (i < len && field[i] == '/')
			i++;
		if (i == len)
			break;
		field[out++] = '/';
		while (i < len && field[i] != '/')
			field[out++] = field[i++];
		depth++;
	}
	if (!out)
		field[out++] = '/';
	return table_intern(&st->cgroups, field, out);
}

/* FAMILY, PROTO or STATE (@which 0..2) as its index among that column's values. */
static long name_id(struct state *st, int which, const char *s)
{
	size_t len = strlen(s);
	struct table *t = &st->names[which];
	size_t before = t->n;
	long id;

	if (len > NAME_MAX_BYTES)
		return -2;
	id = table_intern(t, s, len);
	if (id >= 0 && t->n > before && t->n > NAMES_MAX)
		return -2;
	return id;
}

static int parse_row(struct state *st, char *line, uint64_t lineno)
{
	static const char *const names[3] = { "FAMILY", "PROTO", "STATE" };
	char *f[COLUMNS_MAX + 1];
	struct sock s = { 0 };
	uint64_t *num[NR_REQUIRED] = {
		[C_INODE] = &s.inode, [C_RXQ] = &s.rxq, [C_TXQ] = &s.txq,
		[C_RETRANS] = &s.retrans, [C_TX_BYTES] = &s.tx_bytes,
		[C_RX_BYTES] = &s.rx_bytes,
	};
	size_t n = split(line, f, st->ncols);
	long id;
	int r, i;

	if (n != st->ncols)
		return bad(st, "line %llu: %s fields than the header's %zu",
			   (unsigned long long)lineno,
			   n > st->ncols ? "more" : "fewer", st->ncols);
	for (r = 0; r < NR_REQUIRED; r++) {
		if (num[r] && !parse_u64(f[st->col[r]], num[r]))
			return bad(st, "line %llu: %s is not a 64-bit number: '%.40s'",
				   (unsigned long long)lineno, required[r],
				   f[st->col[r]]);
	}
	if (!strcmp(f[st->col[C_INODE]], "-"))
		return bad(st, "line %llu: a socket without an INODE",
			   (unsigned long long)lineno);
	for (i = 0; i < 3; i++) {
		id = name_id(st, i, f[st->col[C_FAMILY + i]]);
		if (id == -2)
			return bad(st, "line %llu: %s: more than %d distinct values, or one over %d bytes",
				   (unsigned long long)lineno, names[i],
				   NAMES_MAX, NAME_MAX_BYTES);
		if (id < 0)
			return bad(st, "%s", strerror(ENOMEM));
		s.name[i] = id;
	}
	id = cgroup_label(st, f[st->col[C_CGROUP]]);
	if (id == -2)
		return bad(st, "line %llu: CGROUP is neither a path nor -",
			   (unsigned long long)lineno);
	if (id < 0 || (s.cgroup = id, add_sock(st, &s)) < 0)
		return bad(st, "%s", strerror(ENOMEM));
	st->rows++;
	return 0;
}

/*
 * One line of @f into @buf, without its newline; 1 for a line, 0 at the
 * end, -1 when it is over LINE_MAX_BYTES, holds a NUL, or reading failed
 * (errno set).
 */
static int read_line(FILE *f, struct str *buf, size_t *cap, bool *toolong,
		     bool *nul)
{
	int c;

	buf->len = 0;
	*toolong = *nul = false;
	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (buf->len + 1 >= LINE_MAX_BYTES) {
			*toolong = true;
			return -1;
		}
		if (!grow((void **)&buf->s, cap, buf->len + 2, 1))
			return -1;
		if (!c)
			*nul = true;
		buf->s[buf->len++] = (char)c;
	}
	if (c == EOF && (ferror(f) || !buf->len))
		return ferror(f) ? -1 : 0;
	if (!grow((void **)&buf->s, cap, buf->len + 1, 1))
		return -1;
	buf->s[buf->len] = '\0';
	return *nul ? -1 : 1;
}

/* Read and parse the whole input; -1 with st->err set when it is bad. */
int read_input(struct state *st, FILE *f)
{
	struct str line = { 0 };
	size_t cap = 0;
	uint64_t lineno = 0;
	bool toolong, nul;
	int r, rc = 0;

	while ((r = read_line(f, &line, &cap, &toolong, &nul)) != 0) {
		lineno++;
		if (r < 0) {
			if (toolong)
				rc = bad(st, "line %llu: longer than %d bytes",
					 (unsigned long long)lineno, LINE_MAX_BYTES);
			else if (nul)
				rc = bad(st, "line %llu: a NUL byte",
					 (unsigned long long)lineno);
			else
				rc = bad(st, "%s", strerror(errno));
			break;
		}
		rc = lineno == 1 ? parse_header(st, line.s) :
				   parse_row(st, line.s, lineno);
		if (rc)
			break;
	}
	if (!rc && !lineno)
		rc = bad(st, "empty: no header");
	free(line.s);
	return rc;
}
