// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - from the parsed sockets to the text format: the cgroup
 * labels with the most sockets are kept, the rest fold into "other", and
 * each metric is a count or a sum over the sockets of a label.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "exporter.h"

static const struct str other = { (char *)"other", 5 };

/* A label after folding: a kept one's rank, or OTHER. */
static const struct str *label_of(const struct state *st, uint32_t out)
{
	return out == OTHER ? &other : &st->cgroups.v[st->order[out]];
}

static int cmp_str(const struct str *a, const struct str *b)
{
	int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Labels by sockets, most first; ties by name, for a stable choice. */
static int by_sockets(const void *a, const void *b, void *arg)
{
	const struct table *t = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (t->sockets[x] != t->sockets[y])
		return t->sockets[x] > t->sockets[y] ? -1 : 1;
	return cmp_str(&t->v[x], &t->v[y]);
}

/* Output order: by label name, "other" last. */
static int cmp_label(const struct state *st, uint32_t x, uint32_t y)
{
	if (x == y)
		return 0;
	if (x == OTHER || y == OTHER)
		return x == OTHER ? 1 : -1;
	return cmp_str(label_of(st, x), label_of(st, y));
}

static int by_label_inode(const void *a, const void *b, void *st)
{
	const struct sock *x = a, *y = b;
	int c = cmp_label(st, x->out, y->out);

	if (c)
		return c;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* By label, then FAMILY, PROTO and STATE: one sockmap_sockets series a run. */
static int by_label_kind(const void *a, const void *b, void *arg)
{
	const struct sock *x = a, *y = b;
	const struct state *st = arg;
	int c = cmp_label(st, x->out, y->out), i;

	for (i = 0; !c && i < 3; i++)
		c = cmp_str(&st->names[i].v[x->name[i]],
			    &st->names[i].v[y->name[i]]);
	return c;
}

/*
 * Sockets folded into "other" from two labels may be one socket: count
 * it once there too (not INODE 0: see add_sock()). Sorting by (label,
 * INODE) makes such twins adjacent.
 */
static void dedupe_other(struct state *st)
{
	size_t i, n = 0;

	qsort_r(st->socks, st->nsocks, sizeof(*st->socks), by_label_inode, st);
	for (i = 0; i < st->nsocks; i++) {
		if (n && st->socks[i].out == OTHER &&
		    st->socks[n - 1].out == OTHER && st->socks[i].inode &&
		    st->socks[n - 1].inode == st->socks[i].inode)
			continue;
		st->socks[n++] = st->socks[i];
	}
	st->nsocks = n;
}

/*
 * Keep the --max-cgroups labels that hold the most sockets; the others
 * fold into "other", which bounds the series a host exports however many
 * containers it runs. Sets each socket's out. -1 on ENOMEM.
 */
int fold(struct state *st)
{
	size_t n = st->cgroups.n, i;
	uint32_t *rank;

	st->order = calloc(n ? n : 1, sizeof(*st->order));
	rank = calloc(n ? n : 1, sizeof(*rank));
	if (!st->order || !rank) {
		free(rank);
		return -1;
	}
	for (i = 0; i < n; i++)
		st->order[i] = i;
	qsort_r(st->order, n, sizeof(*st->order), by_sockets, &st->cgroups);
	st->kept = n < st->o->max_cgroups ? n : st->o->max_cgroups;
	st->folded = n - st->kept;
	for (i = 0; i < n; i++)
		rank[st->order[i]] = i < st->kept ? i : OTHER;
	for (i = 0; i < st->nsocks; i++)
		st->socks[i].out = rank[st->socks[i].cgroup];
	free(rank);
	dedupe_other(st);
	return 0;
}

/* A label value in the text format: \, " and newline escaped, valid UTF-8. */
static void put_label(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n, i;
	uint32_t cp;

	while (p < end) {
		n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		cp = n == 1 ? *p : n ? *p & (0x7f >> n) : 0;
		for (i = 1; n && i < n; i++) {
			if (p + i >= end || (p[i] & 0xc0) != 0x80)
				n = 0;
			else
				cp = cp << 6 | (p[i] & 0x3f);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF, NUL: invalid. */
		if (!n || !cp || (n == 2 && cp < 0x80) ||
		    (n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
		    (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
			fputs("\xef\xbf\xbd", f);	/* U+FFFD */
			p++;
			continue;
		}
		if (*p == '\\' || *p == '"')
			fputc('\\', f);
		if (*p == '\n')
			fputs("\\n", f);
		else
			fwrite(p, 1, n, f);
		p += n;
	}
}

static void help(FILE *f, const char *name, const char *text)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, text, name);
}

static void put_cgroup(FILE *f, const struct state *st, uint32_t out)
{
	const struct str *l = label_of(st, out);

	fputs("cgroup=\"", f);
	put_label(f, l->s, l->len);
	fputc('"', f);
}

/* sockmap_sockets: sockets by (label, family, protocol, state). */
static void put_sockets(FILE *f, struct state *st)
{
	static const char *const key[3] = { "family", "protocol", "state" };
	size_t i, j, n;
	int k;

	help(f, "sockmap_sockets", "Sockets open now, each counted once per cgroup label.");
	qsort_r(st->socks, st->nsocks, sizeof(*st->socks), by_label_kind, st);
	for (i = 0; i < st->nsocks; i = j) {
		for (j = i + 1, n = 1; j < st->nsocks &&
		     !by_label_kind(&st->socks[i], &st->socks[j], st); j++)
			n++;
		fputs("sockmap_sockets{", f);
		for (k = 0; k < 3; k++) {
			const struct str *v = &st->names[k].v[st->socks[i].name[k]];

			fprintf(f, "%s=\"", key[k]);
			put_label(f, v->s, v->len);
			fputs("\",", f);
		}
		put_cgroup(f, st, st->socks[i].out);
		fprintf(f, "} %zu\n", n);
	}
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* What one per-cgroup sum adds up, for a socket. */
enum sum { S_ACKED, S_RECEIVED, S_RETRANS, S_RXQ, S_TXQ, S_ACCEPTQ, NR_SUMS };

static const struct {
	const char *name, *help;
} sums[NR_SUMS] = {
	{ "sockmap_tcp_acked_bytes", "Bytes the peer acked, summed over the TCP sockets open now (TX_BYTES)." },
	{ "sockmap_tcp_received_bytes", "Bytes received, summed over the TCP sockets open now (RX_BYTES)." },
	{ "sockmap_tcp_retransmits", "Retransmitted segments, summed over the TCP sockets open now (RETRANS)." },
	{ "sockmap_receive_queue_bytes", "Bytes queued to be read, over the sockets not listening (RXQ)." },
	{ "sockmap_send_queue_bytes", "Bytes queued to be sent, over the sockets not listening (TXQ)." },
	{ "sockmap_tcp_accept_queue", "Connections waiting for accept(), over the TCP sockets listening (RXQ)." },
};

static uint64_t sum_of(const struct state *st, const struct sock *s, int which)
{
	bool tcp = !strcmp(st->names[1].v[s->name[1]].s, "TCP");
	bool listen = !strcmp(st->names[2].v[s->name[2]].s, "LISTEN");

	switch (which) {
	case S_ACKED:		return tcp ? s->tx_bytes : 0;
	case S_RECEIVED:	return tcp ? s->rx_bytes : 0;
	case S_RETRANS:		return tcp ? s->retrans : 0;
	case S_RXQ:		return listen ? 0 : s->rxq;
	case S_TXQ:		return listen ? 0 : s->txq;
	default:		return tcp && listen ? s->rxq : 0;
	}
}

/* The per-cgroup sums; the sockets are sorted by label already. */
static void put_sums(FILE *f, const struct state *st)
{
	size_t i, j;
	uint64_t v;
	int w;

	for (w = 0; w < NR_SUMS; w++) {
		help(f, sums[w].name, sums[w].help);
		for (i = 0; i < st->nsocks; i = j) {
			v = 0;
			for (j = i; j < st->nsocks && st->socks[j].out == st->socks[i].out; j++)
				v = sat_add(v, sum_of(st, &st->socks[j], w));
			fprintf(f, "%s{", sums[w].name);
			put_cgroup(f, st, st->socks[i].out);
			fprintf(f, "} %llu\n", (unsigned long long)v);
		}
	}
}

void put_metrics(FILE *f, struct state *st, bool up)
{
	help(f, "sockmap_up", "1 if /proc/sockmap was read and parsed, else 0.");
	fprintf(f, "sockmap_up %d\n", up);
	if (!up)
		return;
	put_sockets(f, st);
	put_sums(f, st);
	help(f, "sockmap_rows", "Rows read: one per file descriptor holding a socket.");
	fprintf(f, "sockmap_rows %llu\n", (unsigned long long)st->rows);
	help(f, "sockmap_cgroups_folded", "Distinct cgroup labels folded into cgroup=\"other\".");
	fprintf(f, "sockmap_cgroups_folded %llu\n", (unsigned long long)st->folded);
	help(f, "sockmap_read_duration_seconds", "Time taken to read and parse the input.");
	fprintf(f, "sockmap_read_duration_seconds %.6f\n", st->seconds);
}

