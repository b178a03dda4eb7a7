// SPDX-License-Identifier: GPL-2.0
/*
 * netwalk.c - the sockets that /proc/net's inet files list and no file
 * holds: TIME_WAIT and request sockets, a listener's children that no
 * accept() has taken yet, orphans after close(), and the kernel's own
 * sockets (a struct socket without a file, as a UDP tunnel's or an
 * in-kernel server's listener). iter.c
 * shows them after the rows of the fd tables, one row each.
 *
 * The tables are the ones /proc/net's files walk: TCP's listening and
 * established hashes (net->ipv4.tcp_death_row.hashinfo), UDP's and
 * UDP-Lite's port hash, and the two raw tables. Most network namespaces share one of each (the one
 * init_net uses); a namespace made with tcp_child_ehash_entries or
 * udp_child_hash_entries set has a TCP or UDP table of its own. Each table
 * is walked once, bucket by bucket, and a socket is shown when its
 * namespace is one the reader may see and no file holds it.
 *
 * Which namespaces: those whose sockets procfs lets the reader list. The
 * opener's own, as for /proc/net/tcp, and that of every task whose
 * /proc/TID/net/tcp procfs lets the opener read (sockmap_may_see_net()).
 * The walk of the tasks, which comes first in each pass, notes each
 * namespace it meets that a task lets the reader in (sockmap_netwalk_note())
 * by its inode number and its cookie; the decision is as old as the pass,
 * as the choice of which task shows a shared fd table is. A socket is
 * shown when its namespace's number leads to that namespace's cookie:
 * cookies are never reused, so a namespace made since with a freed
 * number is not taken for the one noted. The notes hold no reference.
 *
 * Locking and references, as the BPF TCP iterator does
 * (bpf_iter_tcp_batch()): a batch of sockets is taken from one bucket
 * under its lock, each with a reference (refcount_inc_not_zero(), since a
 * socket in the table may be on its way out), and shown with no lock
 * held; sock_gen_put() drops each, whatever its kind. The cursor - table,
 * whose, bucket, place in the bucket - is a position: a read that resumes
 * finds the bucket again and passes over the sockets before its place, as
 * /proc/net/tcp does, so a bucket that changed meanwhile may show a socket
 * twice or not at all, as there.
 *
 * "No file holds it": no struct socket, or one without a file. A socket
 * whose file is held only by an fd in flight (SCM_RIGHTS) or by io_uring's
 * fixed files has a file and no fd: it is in no row.
 */

#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>
#include <net/raw.h>
#include <net/rawv6.h>
#include <net/sock.h>
#include <net/udp.h>

#include "sockmap.h"

/* The tables, in the order they are walked. */
enum sockmap_table_kind {
	SOCKMAP_TABLE_TCP_LISTEN,
	SOCKMAP_TABLE_TCP,
	SOCKMAP_TABLE_UDP,
	SOCKMAP_TABLE_UDPLITE,
	SOCKMAP_TABLE_RAW4,
	SOCKMAP_TABLE_RAW6,
	SOCKMAP_NR_TABLES
};

/*
 * How many buckets one batch may look at before it leaves the CPU and asks
 * whether to end: most buckets of a large table are empty.
 */
#define SOCKMAP_NET_BUCKETS	256

/* sockmap_netwalk_open - at open(): the opener's namespace, held. */
void sockmap_netwalk_open(struct sockmap_netwalk *w)
{
	w->own = get_net(current->nsproxy->net_ns);
	xa_init(&w->seen);
}

/* sockmap_netwalk_release - at the file's release: drop the namespace. */
void sockmap_netwalk_release(struct sockmap_netwalk *w)
{
	xa_destroy(&w->seen);
	put_net(w->own);
}

/*
 * sockmap_netwalk_rewind - a pass over the output starts: forget what the
 * last one noted, note the opener's own namespace, and put the cursor at
 * the first table. -ENOMEM if that note cannot be made.
 */
int sockmap_netwalk_rewind(struct sockmap_netwalk *w)
{
	xa_destroy(&w->seen);
	w->kind = 0;
	w->owner = 0;
	w->bucket = 0;
	w->offset = 0;
	return xa_err(xa_store(&w->seen, w->own->ns.inum,
			       xa_mk_value(sockmap_net_cookie(w->own)),
			       GFP_KERNEL_ACCOUNT));
}

/* sockmap_netwalk_forget - the output has ended: free the notes. */
void sockmap_netwalk_forget(struct sockmap_netwalk *w)
{
	xa_destroy(&w->seen);
}

/*
 * sockmap_netwalk_note - during the walk of the tasks: if @task (number
 * @tid) is in a namespace not noted yet in this pass, and the reader may
 * read its /proc/@tid/net/tcp, note that namespace: its sockets are shown.
 * Returns 0, or the error that ends the read: procfs gave no answer
 * (@r->err), or no memory for the note. Sleeps; the caller holds a
 * reference to @task and no lock.
 */
int sockmap_netwalk_note(struct sockmap_netwalk *w, struct sockmap_reader *r,
			 struct task_struct *task, int tid)
{
	unsigned int inum = 0;
	u64 cookie = 0;
	void *entry;

	/* task->nsproxy holds the namespace while task_lock() is held. */
	task_lock(task);
	if (task->nsproxy) {
		inum = task->nsproxy->net_ns->ns.inum;
		cookie = sockmap_net_cookie(task->nsproxy->net_ns);
	}
	task_unlock(task);
	if (!inum)
		return 0;
	entry = xa_load(&w->seen, inum);
	if (entry && xa_to_value(entry) == cookie)
		return 0;
	if (!sockmap_may_see_net(r, task, tid))
		return r->err;
	return xa_err(xa_store(&w->seen, inum, xa_mk_value(cookie),
			       GFP_KERNEL_ACCOUNT));
}

/*
 * sockmap_netwalk_start - at a read that shows holderless rows: the
 * batch. Returns 0 or -ENOMEM; sockmap_netwalk_stop() frees it.
 */
int sockmap_netwalk_start(struct sockmap_netwalk *w)
{
	w->batch = kmalloc_array(SOCKMAP_BATCH, sizeof(*w->batch),
				 GFP_KERNEL_ACCOUNT);
	return w->batch ? 0 : -ENOMEM;
}

/*
 * Drop the reference to the namespace whose own table the cursor was in
 * (sockmap_next_owner() took it), if any.
 */
static void sockmap_netwalk_put_owner(struct sockmap_netwalk *w)
{
	if (w->owner_net)
		put_net(w->owner_net);
	w->owner_net = NULL;
}

/*
 * sockmap_netwalk_stop - at the end of a read: drop the sockets of the
 * batch not shown yet, keeping the current one's place for the next read,
 * and the namespace held. Safe to repeat.
 */
void sockmap_netwalk_stop(struct sockmap_netwalk *w)
{
	if (w->pos < w->len) {
		w->bucket = w->batch_bucket;
		w->offset = w->batch[w->pos].offset;
	}
	while (w->pos < w->len)
		sock_gen_put(w->batch[w->pos++].sk);
	w->pos = 0;
	w->len = 0;
	kfree(w->batch);
	w->batch = NULL;
	sockmap_netwalk_put_owner(w);
}

/*
 * sockmap_netwalk_sees - whether @net is the opener's namespace or one
 * noted in this pass: its number leads to its cookie. The caller keeps
 * @net alive (a socket in it, or a reference).
 */
static bool sockmap_netwalk_sees(struct sockmap_netwalk *w,
				 const struct net *net)
{
	void *entry;

	if (net == w->own)
		return true;
	entry = xa_load(&w->seen, net->ns.inum);
	return entry && xa_to_value(entry) == sockmap_net_cookie(net);
}

/*
 * sockmap_sock_has_file - whether a file holds @sk: then a row under an fd
 * shows it, or, when no fd holds that file (in flight, io_uring), none.
 * A struct socket is freed after an RCU grace period (sockfs'
 * ->free_inode()), and sk->sk_socket is cleared first (sock_orphan()); the
 * caller is in an RCU read-side section (a bucket lock with bottom halves
 * off, or rcu_read_lock()).
 */
static bool sockmap_sock_has_file(const struct sock *sk)
{
	struct socket *sock;

	if (!sk_fullsock(sk))
		return false;
	sock = READ_ONCE(sk->sk_socket);
	return sock && READ_ONCE(sock->file);
}

/*
 * sockmap_netwalk_shows - whether @sk is a row of this walk: in a
 * namespace the reader sees, and held by no file. The caller is in an RCU
 * read-side section, as for sockmap_sock_has_file().
 */
static bool sockmap_netwalk_shows(struct sockmap_netwalk *w,
				  const struct sock *sk)
{
	return sockmap_netwalk_sees(w, sock_net(sk)) &&
	       !sockmap_sock_has_file(sk);
}

/*
 * sockmap_netwalk_take - under the lock of the bucket being walked: put
 * @sk, the @offset-th socket of that bucket, into the batch if it is
 * shown, with a reference. Returns false when the batch is full.
 */
static bool sockmap_netwalk_take(struct sockmap_netwalk *w, struct sock *sk,
				 unsigned int offset)
{
	if (!sockmap_netwalk_shows(w, sk) ||
	    !refcount_inc_not_zero(&sk->sk_refcnt))
		return true;
	w->batch[w->len].sk = sk;
	w->batch[w->len].offset = offset;
	return ++w->len < SOCKMAP_BATCH;
}

/*
 * The take_*() functions fill the batch from bucket w->bucket of a table,
 * from place w->offset on, under the bucket's lock, as /proc/net's own
 * file for that table takes it; they move the cursor past what they
 * looked at: to the next bucket, or, when the batch filled first, to the
 * next place in this one. An empty bucket is passed over without its
 * lock, as /proc/net/tcp does.
 */
static void sockmap_netwalk_taken(struct sockmap_netwalk *w, bool full,
				  unsigned int offset)
{
	w->batch_bucket = w->bucket;
	if (full) {
		w->offset = offset + 1;
	} else {
		w->bucket++;
		w->offset = 0;
	}
}

/*
 * A TCP bucket's chain (a nulls list); the caller holds its lock, within
 * sockmap_netwalk_fill()'s RCU read-side section.
 */
static void sockmap_take_nulls(struct sockmap_netwalk *w,
			       struct hlist_nulls_head *chain)
{
	struct hlist_nulls_node *node;
	unsigned int offset = 0;
	bool full = false;
	struct sock *sk;

	sk_nulls_for_each(sk, node, chain) {
		if (offset >= w->offset && !sockmap_netwalk_take(w, sk, offset)) {
			full = true;
			break;
		}
		offset++;
	}
	sockmap_netwalk_taken(w, full, offset);
}

/*
 * A UDP or raw bucket's chain; the caller holds its lock, within
 * sockmap_netwalk_fill()'s RCU read-side section.
 */
static void sockmap_take_list(struct sockmap_netwalk *w,
			      struct hlist_head *chain)
{
	unsigned int offset = 0;
	bool full = false;
	struct sock *sk;

	sk_for_each(sk, chain) {
		if (offset >= w->offset && !sockmap_netwalk_take(w, sk, offset)) {
			full = true;
			break;
		}
		offset++;
	}
	sockmap_netwalk_taken(w, full, offset);
}

static void sockmap_take_listen(struct sockmap_netwalk *w,
				struct inet_hashinfo *h)
{
	struct inet_listen_hashbucket *ilb = sockmap_listen_bucket(h, w->bucket);

	if (hlist_nulls_empty(&ilb->nulls_head)) {
		sockmap_netwalk_taken(w, false, 0);
		return;
	}
	spin_lock(&ilb->lock);
	sockmap_take_nulls(w, &ilb->nulls_head);
	spin_unlock(&ilb->lock);
}

/*
 * sockmap_ehash_may_show - whether chain @bucket of TCP's established hash
 * may hold a socket to show: a look under RCU without the bucket's lock,
 * as the receive path looks, so that a bucket of held sockets only (the
 * common case) costs no lock. TCP's sockets are SLAB_TYPESAFE_BY_RCU: one
 * freed and reused meanwhile may lead the look onto another chain, which
 * then ends on another bucket's nulls value; that says "may", and the
 * bucket is taken under its lock. The caller is in an RCU read-side
 * section.
 */
static bool sockmap_ehash_may_show(struct sockmap_netwalk *w,
				   struct hlist_nulls_head *chain,
				   unsigned int bucket)
{
	const struct hlist_nulls_node *node;
	struct sock *sk;

	sk_nulls_for_each_rcu(sk, node, chain)
		if (sockmap_netwalk_shows(w, sk))
			return true;
	return get_nulls_value(node) != bucket;
}

static void sockmap_take_tcp(struct sockmap_netwalk *w,
			     struct inet_hashinfo *h)
{
	struct inet_ehash_bucket *head = &h->ehash[w->bucket];
	spinlock_t *lock = inet_ehash_lockp(h, w->bucket);

	if (!sockmap_ehash_may_show(w, &head->chain, w->bucket)) {
		sockmap_netwalk_taken(w, false, 0);
		return;
	}
	spin_lock_bh(lock);
	sockmap_take_nulls(w, &head->chain);
	spin_unlock_bh(lock);
}

/*
 * sockmap_list_may_show - as sockmap_ehash_may_show(), for a UDP bucket:
 * UDP's sockets are freed after a grace period (SOCK_RCU_FREE), so a look
 * under RCU stays on its chain.
 */
static bool sockmap_list_may_show(struct sockmap_netwalk *w,
				  struct hlist_head *chain)
{
	struct sock *sk;

	sk_for_each_rcu(sk, chain)
		if (sockmap_netwalk_shows(w, sk))
			return true;
	return false;
}

static void sockmap_take_udp(struct sockmap_netwalk *w, struct udp_table *t)
{
	struct udp_hslot *hslot = &t->hash[w->bucket];

	if (!sockmap_list_may_show(w, &hslot->head)) {
		sockmap_netwalk_taken(w, false, 0);
		return;
	}
	spin_lock_bh(&hslot->lock);
	sockmap_take_list(w, &hslot->head);
	spin_unlock_bh(&hslot->lock);
}

static void sockmap_take_raw(struct sockmap_netwalk *w,
			     struct raw_hashinfo *h)
{
	struct hlist_head *head = &h->ht[w->bucket];

	if (hlist_empty(head)) {
		sockmap_netwalk_taken(w, false, 0);
		return;
	}
	sockmap_raw_lock(h);
	sockmap_take_list(w, head);
	sockmap_raw_unlock(h);
}

/* The table of kind @kind that @net uses; NULL when the kernel has none. */
static void *sockmap_table_of(const struct net *net, unsigned int kind)
{
	switch (kind) {
	case SOCKMAP_TABLE_TCP_LISTEN:
	case SOCKMAP_TABLE_TCP:
		return net->ipv4.tcp_death_row.hashinfo;
	case SOCKMAP_TABLE_UDP:
		return sockmap_udp_table(net);
	case SOCKMAP_TABLE_UDPLITE:
		return sockmap_udplite_table();
	case SOCKMAP_TABLE_RAW4:
		return &raw_v4_hashinfo;
#if IS_ENABLED(CONFIG_IPV6)
	case SOCKMAP_TABLE_RAW6:
		return &raw_v6_hashinfo;
#endif
	}
	return NULL;
}

/* The number of buckets of @table, of kind @kind. */
static unsigned int sockmap_table_buckets(void *table, unsigned int kind)
{
	switch (kind) {
	case SOCKMAP_TABLE_TCP_LISTEN:
		return sockmap_listen_buckets((struct inet_hashinfo *)table);
	case SOCKMAP_TABLE_TCP:
		return ((struct inet_hashinfo *)table)->ehash_mask + 1;
	case SOCKMAP_TABLE_UDP:
	case SOCKMAP_TABLE_UDPLITE:
		return ((struct udp_table *)table)->mask + 1;
	default:
		return ARRAY_SIZE(((struct raw_hashinfo *)table)->ht);
	}
}

/* Take from bucket w->bucket of @table, of kind w->kind. */
static void sockmap_take_bucket(struct sockmap_netwalk *w, void *table)
{
	switch (w->kind) {
	case SOCKMAP_TABLE_TCP_LISTEN:
		sockmap_take_listen(w, table);
		break;
	case SOCKMAP_TABLE_TCP:
		sockmap_take_tcp(w, table);
		break;
	case SOCKMAP_TABLE_UDP:
	case SOCKMAP_TABLE_UDPLITE:
		sockmap_take_udp(w, table);
		break;
	default:
		sockmap_take_raw(w, table);
		break;
	}
}

/*
 * sockmap_next_owner - the namespace with the lowest cookie at or above
 * w->owner that the reader may see and that has a table of kind w->kind
 * of its own (not @shared), with a reference; NULL when there is none.
 * One pass over the namespaces under RCU for each; a namespace on its way
 * out (maybe_get_net() fails) is passed over, moving w->owner past it.
 */
static struct net *sockmap_next_owner(struct sockmap_netwalk *w, void *shared)
{
	struct net *net, *best, *held = NULL;

	rcu_read_lock();
	do {
		best = NULL;
		for_each_net_rcu(net) {
			if (sockmap_net_cookie(net) < w->owner ||
			    (best && sockmap_net_cookie(net) >=
				     sockmap_net_cookie(best)) ||
			    sockmap_table_of(net, w->kind) == shared ||
			    !sockmap_netwalk_sees(w, net))
				continue;
			best = net;
		}
		if (best) {
			held = maybe_get_net(best);
			if (!held)
				w->owner = sockmap_net_cookie(best) + 1;
		}
	} while (best && !held);
	rcu_read_unlock();
	return held;
}

/*
 * sockmap_netwalk_table - the table the cursor is in, moving it to the
 * next one there is when its own is not: NULL past the last. For each
 * kind, the table most namespaces share, init_net's, comes first (owner
 * 0); then each namespace's own, if the reader may see it, in the order
 * of their cookies (owner: the cookie). That namespace is held until the
 * end of the read or of its table; one that has gone since takes its table
 * with it, and the cursor moves on to the next.
 */
static void *sockmap_netwalk_table(struct sockmap_netwalk *w)
{
	void *shared;
	struct net *net;

	for (; w->kind < SOCKMAP_NR_TABLES;
	     w->kind++, w->owner = 0, w->bucket = 0, w->offset = 0) {
		shared = sockmap_table_of(&init_net, w->kind);
		if (!shared)
			continue;
		if (!w->owner)
			return shared;
		if (w->owner_net)
			return sockmap_table_of(w->owner_net, w->kind);
		net = sockmap_next_owner(w, shared);
		if (net) {
			if (sockmap_net_cookie(net) != w->owner) {
				w->owner = sockmap_net_cookie(net);
				w->bucket = 0;
				w->offset = 0;
			}
			w->owner_net = net;
			return sockmap_table_of(net, w->kind);
		}
	}
	return NULL;
}

/*
 * sockmap_netwalk_fill - fill the batch from the cursor on: from the
 * buckets of the table it is in, at most SOCKMAP_NET_BUCKETS of them, or
 * move it to the next table. The batch may come back empty, with the
 * cursor further on.
 */
static void sockmap_netwalk_fill(struct sockmap_netwalk *w)
{
	unsigned int looked;
	void *table;

	w->pos = 0;
	w->len = 0;
	table = sockmap_netwalk_table(w);
	if (!table)
		return;
	/*
	 * One RCU read-side section for up to SOCKMAP_NET_BUCKETS buckets:
	 * the looks without a lock need it, and sockmap_sock_has_file().
	 */
	rcu_read_lock();
	for (looked = 0; looked < SOCKMAP_NET_BUCKETS && !w->len; looked++) {
		if (w->bucket >= sockmap_table_buckets(table, w->kind)) {
			/* Past its last bucket: the next owner's, or kind. */
			sockmap_netwalk_put_owner(w);
			w->owner++;
			w->bucket = 0;
			w->offset = 0;
			break;
		}
		sockmap_take_bucket(w, table);
	}
	rcu_read_unlock();
}

/*
 * sockmap_netwalk_next - the current socket: the first one the cursor
 * leads to, taking batches as needed; the batch holds a reference to it.
 * NULL past the last table; an ERR_PTR() from sockmap_walk_must_end().
 */
struct sock *sockmap_netwalk_next(struct sockmap_netwalk *w)
{
	int err;

	while (w->pos == w->len) {
		if (w->kind >= SOCKMAP_NR_TABLES)
			return NULL;
		/* A large table is mostly empty buckets: a long loop. */
		cond_resched();
		err = sockmap_walk_must_end();
		if (err)
			return ERR_PTR(err);
		sockmap_netwalk_fill(w);
	}
	return w->batch[w->pos].sk;
}

/* sockmap_netwalk_shown - the current socket is shown: drop it, move on. */
void sockmap_netwalk_shown(struct sockmap_netwalk *w)
{
	sock_gen_put(w->batch[w->pos++].sk);
}
