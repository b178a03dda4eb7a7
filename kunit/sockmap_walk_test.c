// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap_walk_test.c - the sockmap_walk suite: the seq_file walk over
 * every task's fds (module/iter.c): the same output whatever the read
 * size, every socket fd once and in order however the table is laid out,
 * one batch at a time, a shared table shown once, and the reader's
 * permission asked again for every batch.
 */

#include "sockmap_test.h"

/* Report where @b first differs from @a. */
static void sockmap_test_expect_same(struct kunit *test, const char *a,
				     const char *b, size_t chunk)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	KUNIT_EXPECT_TRUE_MSG(test, !a[i] && !b[i],
			      "reading %zu bytes at a time differs at byte %zu: '%.40s' vs '%.40s'",
			      chunk, i, a + i, b + i);
}

struct sockmap_test_fd {
	struct file *file;
	int fd;
	bool seen;
};

/*
 * Check every line: the header first, then rows of one-token fields, as
 * many as the header has, ordered by (PID, FD), then the rows of sockets
 * no file holds, PID and FD "-"; and find our own fds' rows
 * among them, reading PID, COMM, FD, INODE and CGROUP where the header
 * names them. Kernel threads live in the root cgroup: CGROUP is "/" for
 * them.
 */
static void sockmap_test_check_rows(struct kunit *test, char *out,
				    const char *comm,
				    struct sockmap_test_fd *fds, int nr_fds)
{
	long last_pid = -1, last_fd = -1;
	enum { PID, COMM, FD, INODE, CGROUP, NAMED };
	static const char * const names[NAMED] = {
		"PID", "COMM", "FD", "INODE", "CGROUP"
	};
	char *line, *s, *tok, *field[NAMED];
	int n, i, rows = 0, columns = 0, at[NAMED];
	bool holderless = false;
	long pid, fd;

	line = strsep(&out, "\n");
	KUNIT_ASSERT_NOT_NULL(test, line);
	for (i = 0; i < NAMED; i++)
		at[i] = -1;
	for (s = line; (tok = strsep(&s, " ")); ) {
		if (!*tok)
			continue;
		for (i = 0; i < NAMED; i++)
			if (!strcmp(tok, names[i]))
				at[i] = columns;
		columns++;
	}
	for (i = 0; i < NAMED; i++)
		KUNIT_ASSERT_GE_MSG(test, at[i], 0, "no %s in the header",
				    names[i]);
	while ((line = strsep(&out, "\n"))) {
		const char *copy = kunit_kstrdup(test, line, GFP_KERNEL);

		if (!*line) {	/* only after the last newline */
			KUNIT_EXPECT_NULL_MSG(test, out, "an empty line");
			break;
		}

		rows++;
		for (n = 0, s = line; (tok = strsep(&s, " ")); ) {
			if (!*tok)
				continue;
			for (i = 0; i < NAMED; i++)
				if (n == at[i])
					field[i] = tok;
			n++;
		}
		KUNIT_ASSERT_EQ_MSG(test, n, columns, "fields of: %s", copy);
		/* Sockets no file holds come last, with no PID and no FD. */
		if (!strcmp(field[PID], "-") || holderless) {
			KUNIT_EXPECT_STREQ_MSG(test, field[PID], "-",
					       "after a holderless row: %s",
					       copy);
			KUNIT_EXPECT_STREQ_MSG(test, field[FD], "-", "FD of: %s",
					       copy);
			holderless = true;
			continue;
		}
		KUNIT_ASSERT_EQ(test, kstrtol(field[PID], 10, &pid), 0);
		KUNIT_ASSERT_EQ(test, kstrtol(field[FD], 10, &fd), 0);
		KUNIT_EXPECT_TRUE_MSG(test, pid > last_pid ||
				      (pid == last_pid && fd > last_fd),
				      "out of order: %s", copy);
		last_pid = pid;
		last_fd = fd;
		if (pid != task_tgid_nr(current))
			continue;
		for (i = 0; i < nr_fds; i++) {
			const char *ino;

			if (fd != fds[i].fd)
				continue;
			fds[i].seen = true;
			KUNIT_EXPECT_STREQ_MSG(test, field[COMM], comm,
					       "COMM of: %s", copy);
			ino = sockmap_test_fmt(test, "%lu",
					       sockmap_test_ino(fds[i].file));
			KUNIT_EXPECT_STREQ_MSG(test, field[INODE], ino,
					       "INODE of: %s", copy);
			KUNIT_EXPECT_STREQ_MSG(test, field[CGROUP], "/",
					       "CGROUP of: %s", copy);
		}
	}
	KUNIT_EXPECT_GE(test, rows, nr_fds);
	kunit_info(test, "%d rows\n", rows);
	for (i = 0; i < nr_fds; i++)
		KUNIT_EXPECT_TRUE_MSG(test, fds[i].seen, "no row for fd %d",
				      fds[i].fd);
}

/*
 * Install socket fds into this thread's fd table, give the thread a name
 * that needs escaping, and read the walk with read sizes from one byte to
 * more than the whole output, rewinding once: the outputs are identical.
 */
static void sockmap_test_cursor(struct kunit *test)
{
	static const size_t chunks[] = { 1, 7, 4096, 65536, 1 << 20 };
	char *out[ARRAY_SIZE(chunks)], *again;
	struct sockmap_test_fd *fds;
	struct file *sockets[4], *walk;
	int i, attempt;
	bool same;

	fds = kunit_kcalloc(test, SOCKMAP_TEST_CURSOR_FDS, sizeof(*fds),
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fds);

	/*
	 * Arrange: a TCP listener, a UDP socket and a UNIX pair, each on
	 * several fds, so that the rows fill several seq_file buffers.
	 */
	sockets[0] = sockmap_test_socket(test, AF_INET, SOCK_STREAM,
					 IPPROTO_TCP);
	sockmap_test_bind(test, sockets[0], AF_INET, "127.0.0.1", 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sockmap_test_sock(sockets[0]), 1),
			0);
	sockets[1] = sockmap_test_socket(test, AF_INET6, SOCK_DGRAM,
					 IPPROTO_UDP);
	sockets[2] = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	sockets[3] = sockmap_test_socket(test, AF_UNIX, SOCK_STREAM, 0);
	sockmap_test_socketpair(test, sockets[2], sockets[3]);
	for (i = 0; i < SOCKMAP_TEST_CURSOR_FDS; i++)
		fds[i].file = sockets[i % ARRAY_SIZE(sockets)];
	for (i = 0; i < SOCKMAP_TEST_CURSOR_FDS; i++)
		fds[i].fd = sockmap_test_install_fd(test, fds[i].file);
	/*
	 * What set_task_comm() does, which modules cannot call. This thread
	 * is the test case's own and exits when it ends.
	 */
	task_lock(current);
	strscpy_pad(current->comm, "sockmap kunit\\", sizeof(current->comm));
	task_unlock(current);
	for (i = 0; i < ARRAY_SIZE(chunks); i++)
		out[i] = sockmap_test_output_buf(test);
	again = sockmap_test_output_buf(test);

	/*
	 * Act: kernel threads that start or exit between two reads change
	 * the output legitimately; try again a few times before calling a
	 * difference a failure.
	 */
	for (attempt = 1; attempt <= 3; attempt++) {
		for (i = 0; i < ARRAY_SIZE(chunks); i++) {
			walk = sockmap_test_open_own_walk(test);
			sockmap_test_read_all(test, walk, chunks[i], out[i]);
			if (i == 1)	/* rewind the same file and read again */
				sockmap_test_read_all(test, walk, chunks[i],
						      again);
		}
		same = !strcmp(out[1], again);
		for (i = 1; i < ARRAY_SIZE(chunks); i++)
			same = same && !strcmp(out[0], out[i]);
		if (same)
			break;
		kunit_info(test, "outputs differ (attempt %d), reading again\n",
			   attempt);
	}

	/* Assert: several buffers' worth, so every read size had to resume */
	kunit_info(test, "%zu bytes, seq_file buffer %d bytes\n",
		   strlen(out[0]), SOCKMAP_SEQ_BUF_MAX);
	KUNIT_EXPECT_GT_MSG(test, strlen(out[0]), 2 * SOCKMAP_SEQ_BUF_MAX,
			    "too few rows to fill several seq_file buffers");
	for (i = 1; i < ARRAY_SIZE(chunks); i++)
		sockmap_test_expect_same(test, out[0], out[i], chunks[i]);
	sockmap_test_expect_same(test, out[1], again, chunks[1]);
	sockmap_test_check_rows(test, out[0], "sockmap\\040kunit\\134", fds,
				SOCKMAP_TEST_CURSOR_FDS);
}

/*
 * The FD column of this thread group's rows in @out, in the order shown;
 * returns how many there were (at most @max are stored).
 */
static int sockmap_test_our_fds(struct kunit *test, const char *out,
				unsigned int *fds, int max)
{
	const char *line = strchr(out, '\n');	/* skip the header */
	int pid_col = sockmap_test_header_column(test, out, "PID");
	int fd_col = sockmap_test_header_column(test, out, "FD");
	int n = 0;
	unsigned int fd;
	long pid;

	KUNIT_ASSERT_NOT_NULL(test, line);
	while (*++line) {
		pid = sockmap_test_line_number_or_none(test, line, pid_col);
		fd = sockmap_test_line_number_or_none(test, line, fd_col);
		if (pid == task_tgid_nr(current)) {
			if (n < max)
				fds[n] = fd;
			n++;
		}
		line = strchr(line, '\n');
		KUNIT_ASSERT_NOT_NULL(test, line);
	}
	return n;
}

/*
 * The walk takes a task's sockets in batches (module/iter.c). A table with
 * more other files between two sockets than one batch looks at, and more
 * sockets in a row than one batch holds, shows every socket fd once, in
 * order, and no other fd, at every read size (a read that stops inside a
 * batch resumes at the row that did not fit).
 */
static void sockmap_test_sparse_table(struct kunit *test)
{
	static const size_t chunks[] = { 1, 777, 1 << 20 };
	unsigned int want[2 + 2 * SOCKMAP_BATCH], got[ARRAY_SIZE(want)];
	char *out = sockmap_test_output_buf(test);
	struct file *sock, *other;
	int i, n;

	/* Arrange: one socket, a gap of other files, a run of sockets. */
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	other = sockmap_test_file_as(test, NULL);
	want[0] = sockmap_test_install_fd(test, sock);
	for (i = 0; i < SOCKMAP_SCAN_SLOTS * 3 / 2; i++)
		sockmap_test_install_fd(test, other);
	for (i = 1; i < ARRAY_SIZE(want); i++)
		want[i] = sockmap_test_install_fd(test, sock);
	KUNIT_ASSERT_GT(test, want[1] - want[0], SOCKMAP_SCAN_SLOTS);

	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		/* Act */
		sockmap_test_read_all(test, sockmap_test_open_own_walk(test),
				      chunks[i], out);

		/* Assert */
		n = sockmap_test_our_fds(test, out, got, ARRAY_SIZE(got));
		KUNIT_EXPECT_EQ_MSG(test, n, ARRAY_SIZE(want),
				    "rows of this process, %zu-byte reads",
				    chunks[i]);
		KUNIT_EXPECT_MEMEQ_MSG(test, got, want,
				       min_t(size_t, n, ARRAY_SIZE(want)) *
				       sizeof(want[0]),
				       "FDs of this process, %zu-byte reads",
				       chunks[i]);
	}
}

/*
 * Drop the references @take holds, when it took one per socket: @before
 * was the socket's count before the call. Without them, fput() would
 * free a file still in the table; a leak ends the test more quietly.
 */
static void sockmap_test_put_taken(struct kunit *test,
				   const struct sockmap_take *take,
				   struct file *sock, long before)
{
	long refs = file_count(sock) - before;
	unsigned int i;

	KUNIT_EXPECT_EQ_MSG(test, refs, (long)take->len,
			    "%u sockets taken from fd %u on, but the file's count grew by %ld",
			    take->len, take->fd[0], refs);
	if (refs != take->len)
		return;
	for (i = 0; i < take->len; i++)
		fput(take->file[i]);
}

/*
 * One sockmap_take_sockets() call at a time, on what the rows cannot show:
 * it looks at no more than SOCKMAP_SCAN_SLOTS slots however many are
 * open, takes no more than SOCKMAP_BATCH sockets, each with a reference
 * of its own, and leaves scan_fd at the slot after the last one looked
 * at; an exited task, whose files are NULL, has nothing to take. It runs
 * after a pass of the kernel's lock order (task_lock(), then file_lock,
 * as fs/proc/fd.c takes them), so that lockdep reports a call that takes
 * them the other way round.
 */
static void sockmap_test_take_sockets(struct kunit *test)
{
	unsigned int first_other, first_sock, fd, total, calls;
	struct sockmap_take *take;
	struct file *sock, *other;
	long before;
	int i;

	take = kunit_kzalloc(test, sizeof(*take), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, take);
	task_lock(current);
	spin_lock(&current->files->file_lock);
	spin_unlock(&current->files->file_lock);
	task_unlock(current);

	/* Arrange: 384 other files in a row, then BATCH + 1 sockets */
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	other = sockmap_test_file_as(test, NULL);
	first_other = sockmap_test_install_fd(test, other);
	for (i = 1; i < SOCKMAP_SCAN_SLOTS * 3 / 2; i++)
		KUNIT_ASSERT_EQ(test, sockmap_test_install_fd(test, other),
				(int)first_other + i);
	first_sock = first_other + i;
	for (i = 0; i <= SOCKMAP_BATCH; i++)
		KUNIT_ASSERT_EQ(test, sockmap_test_install_fd(test, sock),
				(int)first_sock + i);

	/* Act: a call among the other files, every slot open */
	take->scan_fd = first_other;
	before = file_count(sock);
	KUNIT_ASSERT_EQ(test, sockmap_take_sockets_kunit(current, take), 0);

	/* Assert: it stopped after SOCKMAP_SCAN_SLOTS of them */
	KUNIT_EXPECT_EQ_MSG(test, take->len, 0U,
			    "sockets taken from fd %u, %d slots before the first socket",
			    first_other, SOCKMAP_SCAN_SLOTS * 3 / 2);
	KUNIT_EXPECT_GT_MSG(test, take->scan_fd, first_other,
			    "scan_fd did not move from fd %u", first_other);
	KUNIT_EXPECT_LE_MSG(test, take->scan_fd - first_other,
			    (unsigned int)SOCKMAP_SCAN_SLOTS,
			    "one call looked at slots %u to %u, all open: more than SOCKMAP_SCAN_SLOTS",
			    first_other, take->scan_fd - 1);
	KUNIT_EXPECT_FALSE_MSG(test, take->scan_done,
			       "scan_done after fd %u, with sockets after it",
			       take->scan_fd - 1);
	if (take->len)
		sockmap_test_put_taken(test, take, sock, before);

	/* Act: a call at the run of sockets */
	take->scan_fd = first_sock;
	before = file_count(sock);
	KUNIT_ASSERT_EQ(test, sockmap_take_sockets_kunit(current, take), 0);

	/* Assert: one batch, in fd order, each with a reference */
	KUNIT_EXPECT_EQ_MSG(test, take->len, (unsigned int)SOCKMAP_BATCH,
			    "sockets taken from a run of %d", SOCKMAP_BATCH + 1);
	for (i = 0; i < take->len; i++)
		KUNIT_EXPECT_EQ_MSG(test, take->fd[i], first_sock + i,
				    "batch[%d].fd, in a run of sockets from fd %u",
				    i, first_sock);
	KUNIT_EXPECT_EQ_MSG(test, take->scan_fd, first_sock + take->len,
			    "scan_fd after %u sockets taken from fd %u: the next call starts at the slot after the last socket taken",
			    take->len, first_sock);
	sockmap_test_put_taken(test, take, sock, before);

	/* Act: the calls that follow, to the table's end */
	take->scan_fd = first_sock + SOCKMAP_BATCH;
	for (total = 0, calls = 0; calls < SOCKMAP_TEST_MAX_FDS; calls++) {
		fd = take->scan_fd;
		before = file_count(sock);
		KUNIT_ASSERT_EQ(test, sockmap_take_sockets_kunit(current, take),
				0);
		total += take->len;
		sockmap_test_put_taken(test, take, sock, before);
		if (take->scan_done)
			break;
		KUNIT_ASSERT_GT_MSG(test, take->scan_fd, fd,
				    "scan_fd did not move from fd %u, and scan_done is false",
				    fd);
	}

	/* Assert: the last socket, once, and then the end */
	KUNIT_EXPECT_TRUE_MSG(test, take->scan_done,
			      "scan_done still false after %u calls", calls);
	KUNIT_EXPECT_EQ_MSG(test, total, 1U,
			    "sockets taken from fd %u to the end: only fd %u is one",
			    first_sock + SOCKMAP_BATCH,
			    first_sock + SOCKMAP_BATCH);

	/* Act: a task that has exited */
	take->scan_fd = 0;
	take->len = 1;
	KUNIT_ASSERT_EQ(test,
			sockmap_take_sockets_kunit(sockmap_test_exited_task(test),
						   take), 0);

	/* Assert: nothing taken, and nothing left */
	KUNIT_EXPECT_EQ(test, take->len, 0U);
	KUNIT_EXPECT_TRUE_MSG(test, take->scan_done,
			      "scan_done of an exited task, whose files are NULL");
}

/*
 * A kernel thread's cgroup v2 path is the root's, "/", in the initial
 * cgroup namespace, as its /proc/PID/cgroup says ("0::/").
 */
static void sockmap_test_cgroup_root(struct kunit *test)
{
	struct cgroup *cgrp = sockmap_task_cgroup_get(current);
	char buf[16] = "";

	KUNIT_ASSERT_NOT_NULL(test, cgrp);
	KUNIT_EXPECT_EQ(test, sockmap_cgroup_path(cgrp, &init_cgroup_ns, buf,
						  sizeof(buf)), 1);
	KUNIT_EXPECT_STREQ(test, buf, "/");
	/* No room for the path and its NUL: an error, never a cut path. */
	KUNIT_EXPECT_LT(test, sockmap_cgroup_path(cgrp, &init_cgroup_ns, buf, 1),
			0);
	sockmap_cgroup_put(cgrp);
}

/*
 * A table that tasks of different thread groups share (kernel threads
 * share init_files, as processes made with clone(CLONE_FILES) share
 * theirs) is shown once, not once per holder: otherwise a read would walk
 * it once per holder, at a cost of holders times slots.
 */
static void sockmap_test_shared_table_once(struct kunit *test)
{
	char *out = sockmap_test_output_buf(test);
	struct file *sock;
	int own, others;

	/* Arrange: a socket in a table other kernel threads hold too */
	KUNIT_ASSERT_GT_MSG(test, atomic_read(&current->files->count), 1,
			    "this kernel thread's table is not shared");
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	sockmap_test_install_fd(test, sock);

	/* Act: read as root, who may see every kernel thread */
	sockmap_test_read_all(test, sockmap_test_open_walk(test, NULL), 4096,
			      out);

	/* Assert */
	sockmap_test_count_ino(test, out, sockmap_test_ino(sock), &own,
			       &others);
	KUNIT_EXPECT_EQ_MSG(test, own + others, 1,
			    "rows of one socket in a table held by many");
}

/*
 * procfs as sockmap_test_see_once() plays it: this thread may be seen
 * until it has been asked about once (test->priv counts the questions),
 * no other task at all.
 */
static bool sockmap_test_see_once(struct sockmap_reader *r,
				  struct task_struct *task, int tid)
{
	struct kunit *test = kunit_get_current_test();
	int *asked = test->priv;

	if (task != current)
		return false;
	return (*asked)++ == 0;
}

/*
 * Whether the reader may see a task is asked again for every batch of its
 * sockets: a task that becomes hidden in the middle of one read() (it
 * made itself not dumpable, it exec'd a setuid program) shows no batch
 * taken after that. Here procfs says yes once, then no: one batch of this
 * thread's sockets is shown, out of three.
 */
static void sockmap_test_asks_each_batch(struct kunit *test)
{
	char *out = sockmap_test_output_buf(test);
	struct file *sock;
	int asked = 0, own, others, i;

	/* Arrange */
	sock = sockmap_test_socket(test, AF_UNIX, SOCK_DGRAM, 0);
	for (i = 0; i < 3 * SOCKMAP_BATCH; i++)
		sockmap_test_install_fd(test, sock);
	test->priv = &asked;
	kunit_activate_static_stub(test, sockmap_iter_may_see,
				   sockmap_test_see_once);

	/* Act: one read() takes them all */
	sockmap_test_read_all(test, sockmap_test_open_walk(test, NULL),
			      SOCKMAP_SEQ_BUF_MAX, out);

	/* Assert */
	sockmap_test_count_ino(test, out, sockmap_test_ino(sock), &own,
			       &others);
	KUNIT_EXPECT_EQ_MSG(test, own, SOCKMAP_BATCH,
			    "rows shown of a task that procfs hid after one batch");
	KUNIT_EXPECT_EQ(test, others, 0);
	KUNIT_EXPECT_GE_MSG(test, asked, 2, "questions asked of procfs");
}

static struct kunit_case sockmap_walk_cases[] = {
	KUNIT_CASE(sockmap_test_cursor),
	KUNIT_CASE(sockmap_test_sparse_table),
	KUNIT_CASE(sockmap_test_take_sockets),
	KUNIT_CASE(sockmap_test_shared_table_once),
	KUNIT_CASE(sockmap_test_asks_each_batch),
	KUNIT_CASE(sockmap_test_cgroup_root),
	{}
};

static struct kunit_suite sockmap_walk_suite = {
	.name = "sockmap_walk",
	.suite_init = sockmap_test_suite_init,
	.suite_exit = sockmap_test_suite_exit,
	.test_cases = sockmap_walk_cases,
};

kunit_test_suite(sockmap_walk_suite);
