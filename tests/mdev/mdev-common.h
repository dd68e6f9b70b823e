/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the vGPU mediation tests (tests/mdev): find the mdev
 * parent, create and open vGPUs, program a vGPU's context 0 and a ring,
 * look for kernel log lines.
 */
#ifndef TESSERA_TESTS_MDEV_COMMON_H
#define TESSERA_TESTS_MDEV_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "vfio-mdev.h"

#define SMALL_TYPE	"tessera-8m"
#define TIMEOUT_MS	10000

/* The parent: $TESSERA_MDEV_PARENT (a PCI address), else the first one. */
static inline const char *mdev_parent(void)
{
	static char path[512];
	const char *bdf = getenv("TESSERA_MDEV_PARENT");

	if (!path[0] && bdf && *bdf) {
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/mdev_supported_types", bdf);
		if (access(path, F_OK))
			path[0] = '\0';
		return path[0] ? path : NULL;
	}
	if (!path[0] && mdev_parent_find("tessera-", path, sizeof(path)))
		return NULL;
	return path;
}

/* Create a vGPU of @type; 0 or -errno. */
static inline int vgpu_create(const char *type, char *uuid)
{
	mdev_uuid_gen(uuid);
	return mdev_create(mdev_parent(), type, uuid);
}

/* Whether the mdev @uuid exists. */
static inline bool mdev_exists(const char *uuid)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), MDEV_SYSFS_DEVICES "/%s", uuid);
	return !stat(p, &st);
}

/* /dev/kmsg positioned at the end: later reads see only new lines. */
static inline int kmsg_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Count new kernel log lines containing @needle since kmsg_mark(). */
static inline int kmsg_count(int fd, const char *needle)
{
	char rec[2048];
	ssize_t n;
	int cnt = 0;

	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0) {
			if (errno == EPIPE)
				continue;
			break;
		}
		rec[n] = '\0';
		if (strstr(rec, needle))
			cnt++;
	}
	return cnt;
}

/*
 * Context 0 over the whole partition and GART slice, a 4 KiB ring at VA
 * @ring_va on engine @e, engine started.
 */
static inline int vgpu_setup(struct tess_dev *t, struct tess_ring *r,
			     unsigned int e, u64 ring_va)
{
	int ret;

	ret = tess_ctx_setup(t, 0, 0, t->vram_size, 0, t->gart_entries);
	if (ret)
		return ret;
	ret = tess_ring_init(t, r, 0, e, ring_va, 4096);
	if (ret)
		return ret;
	return tess_eng_start(t, e, 0);
}

/* Emit a fence with @value and kick through the doorbell; wait for it. */
static inline int vgpu_fence_wait(struct tess_ring *r, u64 value)
{
	int ret = tess_emit_fence(r, TESSERA_FENCE_IRQ, value, 0);

	if (ret)
		return ret;
	ret = tess_ring_kick(r);
	if (ret)
		return ret;
	return tess_ring_wait_fence(r, value, TIMEOUT_MS);
}

/* The running kernel is at least @maj.@min. */
static inline int kernel_at_least(int maj, int min)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return 0;
	return a > maj || (a == maj && b >= min);
}

/*
 * The host driver's accounting of the parent GPU (debugfs
 * tessera/<bdf>/accounting): what every vGPU and client holds. A test
 * that creates and removes vGPUs expects it back where it started.
 */
#define VGPU_NR_ACCT	6
static const char *const vgpu_acct_keys[VGPU_NR_ACCT] = {
	"contexts", "vram_bytes", "gart_entries", "pinned_pages", "buffers",
	"gart_maps",
};

/*
 * Open the parent GPU's debugfs file @name (tessera/<bdf>/@name), mounting
 * debugfs if need be; NULL if there is none.
 */
static inline FILE *vgpu_debugfs_open(const char *name)
{
	const char *parent = mdev_parent();
	char path[600], bdf[64];
	const char *s, *e;

	if (!parent)
		return NULL;
	e = strrchr(parent, '/');
	for (s = e - 1; s > parent && *s != '/'; s--)
		;
	snprintf(bdf, sizeof(bdf), "%.*s", (int)(e - s - 1), s + 1);
	mount("none", "/sys/kernel/debug", "debugfs", 0, NULL);
	snprintf(path, sizeof(path), "/sys/kernel/debug/tessera/%s/%s", bdf,
		 name);
	return fopen(path, "r");
}

/*
 * Read "key value" lines of the parent's debugfs file @name into @v for
 * the @n @keys; 0 when all were found, else -1.
 */
static inline int vgpu_debugfs_keys(const char *name,
				    const char *const *keys, int n,
				    long long *v)
{
	char line[128], key[64];
	int i, found = 0;
	long long x;
	FILE *fp = vgpu_debugfs_open(name);

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%63s %lld", key, &x) != 2)
			continue;
		for (i = 0; i < n; i++)
			if (!strcmp(key, keys[i])) {
				v[i] = x;
				found++;
			}
	}
	fclose(fp);
	return found == n ? 0 : -1;
}

/* The parent's debugfs accounting; 0, or -1 if unreadable. */
static inline int vgpu_accounting(long long v[VGPU_NR_ACCT])
{
	return vgpu_debugfs_keys("accounting", vgpu_acct_keys, VGPU_NR_ACCT, v);
}

#endif /* TESSERA_TESTS_MDEV_COMMON_H */
