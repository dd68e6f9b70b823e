// SPDX-License-Identifier: GPL-2.0
/*
 * sched-sysfs: the scheduler's knobs and statistics for the in-VM tests
 * (see sched-sysfs.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sched-sysfs.h"

static char sched_dir[PATH_MAX + 8];
static char dbg_file[PATH_MAX + 64];

int sched_sysfs_init(const char *pci_dev)
{
	char dev[PATH_MAX];
	const char *addr;
	glob_t g;

	if (pci_dev) {
		if (!realpath(pci_dev, dev))
			return -errno;
	} else {
		if (glob("/sys/bus/pci/drivers/tessera/0000:*", 0, NULL, &g))
			return -ENOENT;
		if (!g.gl_pathc || !realpath(g.gl_pathv[0], dev)) {
			globfree(&g);
			return -ENOENT;
		}
		globfree(&g);
	}
	addr = strrchr(dev, '/');
	addr = addr ? addr + 1 : dev;
	snprintf(sched_dir, sizeof(sched_dir), "%s/sched", dev);
	snprintf(dbg_file, sizeof(dbg_file),
		 "/sys/kernel/debug/tessera/%s/sched", addr);
	if (access(dbg_file, R_OK))
		mount("none", "/sys/kernel/debug", "debugfs", 0, NULL);
	return access(sched_dir, F_OK) || access(dbg_file, R_OK) ? -ENOENT : 0;
}

int sched_knob_write(const char *name, const char *val)
{
	char path[PATH_MAX + 80];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", sched_dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int sched_knob_read(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 80];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sched_dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

int sched_client_stats(const unsigned int *ctx, int n, unsigned int engine,
		       struct sched_stat *s)
{
	FILE *f = fopen(dbg_file, "r");
	unsigned int c, e, w;
	struct sched_stat v;
	int i, found = 0;
	char line[512];

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line,
			   "%u %u %u %llu %llu %llu %llu %llu %llu %llu %llu",
			   &c, &e, &w, &v.busy, &v.slices, &v.preempts,
			   &v.resets, &v.hangs, &v.wait, &v.maxwait,
			   &v.charged) != 11 || e != engine)
			continue;
		for (i = 0; i < n; i++)
			if (ctx[i] == c) {
				s[i] = v;
				found++;
			}
	}
	fclose(f);
	return found == n ? 0 : -ENOENT;
}

int sched_client_stat(unsigned int ctx, unsigned int engine,
		      struct sched_stat *s)
{
	return sched_client_stats(&ctx, 1, engine, s);
}

long long sched_engine_storms(unsigned int engine)
{
	FILE *f = fopen(dbg_file, "r");
	long long storms = -1;
	char line[512], *p;
	unsigned int e;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "engine %u ", &e) != 1 || e != engine)
			continue;
		p = strstr(line, " storms ");
		if (p && sscanf(p, " storms %lld", &storms) != 1)
			storms = -1;
		break;
	}
	fclose(f);
	return storms;
}

long long sched_host_irqs(const char *vector)
{
	char line[1024], *p, *end;
	long long sum = -1, n;
	FILE *fp = fopen("/proc/interrupts", "r");

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		if (!strstr(line, "tessera") || !strstr(line, vector))
			continue;
		p = strchr(line, ':');
		if (!p)
			continue;
		if (sum < 0)
			sum = 0;
		/* the per-CPU counts, up to the chip's name */
		for (p++;; p = end) {
			n = strtoll(p, &end, 10);
			if (end == p)
				break;
			sum += n;
		}
	}
	fclose(fp);
	return sum;
}

int sched_debug_kernel(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.release, "-tessera-debug");
}
