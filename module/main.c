// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap - /proc/sockmap: one decoded row per socket fd of every task.
 *
 * This file only wires the walk (iter.c) to procfs. Unloading is safe while
 * a reader is inside: remove_proc_entry() waits for every running
 * ->proc_read_iter() to return and closes the files still open, and a later
 * read() on such a file fails with -EIO. The running reads are told to end
 * first (sockmap_iter_end_all()), so that the wait is short.
 */

#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "sockmap.h"

/*
 * Writing is refused at open(), even for root, who could otherwise open
 * the 0444 file for writing: there is nothing to write.
 */
static int sockmap_proc_open(struct inode *inode, struct file *file)
{
	/*
	 * The root of the procfs instance the file was opened in, however
	 * it was reached (a bind mount of the file itself has the file as
	 * its mount's root): PIDs are shown as that instance numbers them,
	 * and who may see which task is asked of it (module/access.c).
	 * @file holds the mount, and the mount its superblock.
	 */
	const struct path proc_root = {
		.mnt = file->f_path.mnt,
		.dentry = inode->i_sb->s_root,
	};

	if (file->f_mode & FMODE_WRITE)
		return -EACCES;
	return sockmap_iter_open(file, &proc_root);
}

static const struct proc_ops sockmap_proc_ops = {
	.proc_open	= sockmap_proc_open,
	.proc_read_iter	= sockmap_iter_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= sockmap_iter_release,
};

static int __init sockmap_init(void)
{
	if (!proc_create("sockmap", 0444, NULL, &sockmap_proc_ops))
		return -ENOMEM;
	return 0;
}

static void __exit sockmap_exit(void)
{
	sockmap_iter_end_all();
	remove_proc_entry("sockmap", NULL);
}

module_init(sockmap_init);
module_exit(sockmap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("/proc/sockmap: every socket fd of every task, decoded");
