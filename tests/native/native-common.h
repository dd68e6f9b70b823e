/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the native interface kselftests (tests/native).
 */
#ifndef TESSERA_NATIVE_COMMON_H
#define TESSERA_NATIVE_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libtessera.h"

#define SEC_NS		1000000000LL
/*
 * Generous: the same tests run in an L2 guest (TCG inside TCG) beside a
 * second tenant saturating the engine; they assert behaviour, not speed.
 */
#define WAIT_NS		(60 * SEC_NS)
#define TEST_TIMEOUT_S	300

static inline const char *native_dev_path(void)
{
	const char *p = getenv("TESSERA_DEV");

	return p ? p : "/dev/tessera0";
}

static inline int native_open(struct tsr_dev *d)
{
	return tsr_open(d, native_dev_path());
}

/*
 * Hardware contexts the device hands out to files: all but the host's
 * context 0 on a physical GPU, the one context of a vGPU (guest mode).
 * Opens (and closes) a file: call it with no file of the test open, or
 * use native_ctx_avail() on an open one. 0 if the device does not open.
 */
static inline unsigned int native_ctx_avail(const struct tessera_info *i)
{
	return i->flags & TESSERA_INFO_VIRTUAL ? i->num_contexts :
	       i->num_contexts - 1;
}

static inline unsigned int native_contexts(void)
{
	struct tsr_dev d;
	unsigned int n;

	if (native_open(&d))
		return 0;
	n = native_ctx_avail(&d.info);
	tsr_close(&d);
	return n;
}

/* ioctl that returns -errno. */
static inline int raw_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static inline int raw_submit(int fd, uint32_t engine, const void *cmds,
			     uint32_t bytes, uint64_t *fence)
{
	struct tessera_submit s = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmds_bytes = bytes,
		.engine = engine,
	};
	int ret = raw_ioctl(fd, TESSERA_IOCTL_SUBMIT, &s);

	if (!ret && fence)
		*fence = s.fence;
	return ret;
}

/* Does touching @p raise SIGBUS/SIGSEGV? (in a child) */
static inline int access_faults(volatile uint32_t *p)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		(void)*p;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) &&
	       (WTERMSIG(st) == SIGBUS || WTERMSIG(st) == SIGSEGV);
}

#endif /* TESSERA_NATIVE_COMMON_H */
