// SPDX-License-Identifier: GPL-2.0
/*
 * exporter.h - what sockmap-exporter's parts share: the parsed input
 * (struct state) and the three steps over it. input.c reads and parses
 * the input, metrics.c folds the cgroup labels and writes the metrics,
 * sockmap-exporter.c runs them and replaces the output file.
 */
#ifndef SOCKMAP_EXPORTER_H
#define SOCKMAP_EXPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The columns read, in the order of input.c's names for them. */
enum col { C_INODE, C_FAMILY, C_PROTO, C_STATE, C_RXQ, C_TXQ, C_RETRANS,
	   C_CGROUP, C_TX_BYTES, C_RX_BYTES, NR_REQUIRED };

/* A byte string that may hold NULs (an unescaped \000). */
struct str {
	char *s;
	size_t len;
};

/* Interned strings: the cgroup labels, and the names of each column. */
struct table {
	struct str *v;
	uint64_t *sockets;	/* per cgroup label: sockets that hold it */
	size_t n, cap;
	uint32_t *slot;		/* open addressing: index + 1, 0 = empty */
	size_t nslot;
};

/* One socket under one cgroup label, with its first row's values. */
struct sock {
	uint64_t inode, rxq, txq, retrans, tx_bytes, rx_bytes;
	uint32_t cgroup, name[3];	/* name: FAMILY, PROTO, STATE */
	uint32_t out;		/* its label after folding: a rank, or OTHER */
};

/* (cgroup label, INODE) pairs seen: open addressing, index + 1 */
struct seen {
	uint32_t *slot;
	size_t nslot;
};

struct opts {
	const char *input, *output;
	unsigned long depth, max_cgroups;
};

struct state {
	const struct opts *o;
	int col[NR_REQUIRED];
	size_t ncols;
	uint64_t rows;
	struct table cgroups, names[3];	/* FAMILY, PROTO, STATE */
	struct sock *socks;
	size_t nsocks, capsocks;
	struct seen seen;
	uint32_t *order;	/* the labels by sockets, most first */
	uint32_t kept;		/* how many of them are kept; the rest are "other" */
	uint64_t folded;
	double seconds;
	char err[512];		/* why the read failed, when it did */
};

/* struct sock.out of a socket whose label was folded */
#define OTHER UINT32_MAX

int bad(struct state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool parse_u64(const char *s, uint64_t *v);
int read_input(struct state *st, FILE *f);
int fold(struct state *st);
void put_metrics(FILE *f, struct state *st, bool up);

#endif
