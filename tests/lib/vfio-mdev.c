// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-mdev: mdev sysfs helpers and opening an mdev through VFIO. See
 * vfio-mdev.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vfio-mdev.h"

static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static int write_file(const char *path, const char *val)
{
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int mdev_parent_find(const char *prefix, char *path, size_t len)
{
	char p[PATH_MAX];
	struct dirent *de, *te;
	DIR *d, *td;
	int found = 0;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return -errno;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/mdev_supported_types",
			 de->d_name);
		td = opendir(p);
		if (!td)
			continue;
		while ((te = readdir(td)))
			if (!strncmp(te->d_name, prefix, strlen(prefix))) {
				found = 1;
				break;
			}
		closedir(td);
		if (found)
			snprintf(path, len, "%s", p);
	}
	closedir(d);
	return found ? 0 : -ENOENT;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

int mdev_types(const char *parent, char names[][64], int max)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	d = opendir(parent);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.')
			continue;
		if (strlen(de->d_name) >= 64)
			continue;
		memcpy(names[n++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	qsort(names, n, 64, cmp_names);
	return n;
}

int mdev_type_attr(const char *parent, const char *type, const char *attr,
		   char *buf, size_t len)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s/%s", parent, type, attr);
	return read_file(p, buf, len);
}

int mdev_available(const char *parent, const char *type)
{
	char buf[32];
	int ret;

	ret = mdev_type_attr(parent, type, "available_instances", buf,
			     sizeof(buf));
	return ret ? ret : atoi(buf);
}

void mdev_uuid_gen(char *uuid)
{
	unsigned char b[16];
	int fd, i;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, b, sizeof(b)) != sizeof(b))
		for (i = 0; i < 16; i++)
			b[i] = rand();
	if (fd >= 0)
		close(fd);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(uuid, MDEV_UUID_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

int mdev_create(const char *parent, const char *type, const char *uuid)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s/create", parent, type);
	return write_file(p, uuid);
}

int mdev_remove(const char *uuid)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), MDEV_SYSFS_DEVICES "/%s/remove", uuid);
	return write_file(p, "1");
}

int mdev_attr(const char *uuid, const char *attr, char *buf, size_t len)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), MDEV_SYSFS_DEVICES "/%s/%s", uuid, attr);
	return read_file(p, buf, len);
}

long long mdev_attr_u64(const char *uuid, const char *attr)
{
	char buf[64];
	int ret = mdev_attr(uuid, attr, buf, sizeof(buf));

	return ret ? ret : (long long)strtoull(buf, NULL, 0);
}

static int group_of_mdev(const char *uuid)
{
	char path[PATH_MAX], target[PATH_MAX], *base;
	ssize_t n;

	snprintf(path, sizeof(path), MDEV_SYSFS_DEVICES "/%s/iommu_group",
		 uuid);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	return atoi(base ? base + 1 : target);
}

int vfio_mdev_open(struct vfio_dev *dev, const char *uuid)
{
	int group = group_of_mdev(uuid);

	if (group < 0) {
		memset(dev, 0, sizeof(*dev));
		dev->container_fd = -1;
		dev->group_fd = -1;
		dev->device_fd = -1;
		snprintf(dev->err, sizeof(dev->err),
			 "mdev %s has no IOMMU group: %s", uuid, strerror(-group));
		return group;
	}
	return vfio_dev_open_group(dev, uuid, group);
}

int tess_open_mdev(struct tess_dev *t, const char *uuid)
{
	u32 eng;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = vfio_mdev_open(&t->vfio, uuid);
	if (ret) {
		snprintf(t->err, sizeof(t->err), "opening %s: %s", uuid,
			 t->vfio.err);
		return ret;
	}
	ret = vfio_pci_set_master(&t->vfio, true);
	if (ret) {
		snprintf(t->err, sizeof(t->err), "bus master: %s",
			 strerror(-ret));
		goto fail;
	}
	t->csr = t->vfio.regions[TESSERA_BAR_CSR].map;
	t->vram = t->vfio.regions[TESSERA_BAR_VRAM].map;
	t->db = t->vfio.regions[TESSERA_BAR_DOORBELL].map;
	if (tess_rd32(t, TESSERA_REG_ID) != TESSERA_ID_MAGIC) {
		snprintf(t->err, sizeof(t->err), "%s: bad REG_ID", uuid);
		ret = -ENODEV;
		goto fail;
	}
	eng = tess_rd32(t, TESSERA_REG_ENGINES);
	t->engines = TESSERA_ENGINES_TOTAL(eng);
	t->compute = TESSERA_ENGINES_COMPUTE(eng);
	t->copy = TESSERA_ENGINES_COPY(eng);
	t->contexts = tess_rd32(t, TESSERA_REG_CONTEXTS);
	t->gart_entries = tess_rd32(t, TESSERA_REG_GART_ENTRIES);
	t->vram_size = tess_rd64(t, TESSERA_REG_VRAM_SIZE_LO);
	return 0;
fail:
	tess_close(t);
	return ret;
}
