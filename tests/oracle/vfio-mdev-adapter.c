// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-mdev-adapter.c - lets the kernel's VFIO selftests
 * (tools/testing/selftests/vfio, taken from Debian's linux-source at build
 * time by scripts/fetch-vfio-selftests.sh) open a vGPU (an mdev named by
 * its UUID) where they take a PCI device named by its BDF.
 *
 * Linked into every selftest in place of three functions of their lib,
 * which tests/oracle/Makefile renames at compile time (-D...=vfio_upstream_...)
 * so that these definitions are the ones the tests and the lib call:
 *
 *  vfio_selftests_get_bdfs()/vfio_selftests_get_bdf(): the device
 *	arguments (trailing argv, or $VFIO_SELFTESTS_BDF) may be mdev UUIDs as
 *	well as BDFs; the lib then passes the UUID on to
 *	VFIO_GROUP_GET_DEVICE_FD, which takes an mdev's name.
 *  sysfs_iommu_group_get(): an mdev's group is
 *	/sys/bus/mdev/devices/UUID/iommu_group.
 *  iommu_iova_ranges(): a type1 container whose groups are all emulated
 *	(mdevs) has an empty IOVA list, so VFIO_IOMMU_GET_INFO carries no
 *	VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, and type1 takes any IOVA
 *	(vfio_iommu_iova_dma_valid(): "a container with a single mdev
 *	device will have an empty list"). The lib asserts that the cap is
 *	there; the adapter answers what type1 means by its absence, one
 *	range [0, 2^64 - 1], and the lib's answer whenever the cap exists.
 *
 * And one addition, vfio_oracle_pci_id(), which the patch
 * patches/vfio_pci_device_test-mdev-ids.patch makes vfio_pci_device_test
 * call where it reads a PCI device's vendor/device from sysfs: an mdev has
 * no such file (no sysfs file carries the IDs a vGPU presents), so the
 * answer for an mdev is what the vGPU is documented to present
 * (TESSERA_PCI_VENDOR_ID, TESSERA_PCI_VGPU_DEVICE_ID in tessera_regs.h).
 *
 * A constructor sets the lib's default IOMMU mode (the tests that do not
 * iterate over modes use it) to $VFIO_ORACLE_IOMMU_MODE, or to
 * "vfio_type1_iommu" when the kernel has no IOMMUFD (/dev/iommu): the lib's
 * default, "iommufd", cannot work on Debian's 6.12 (CONFIG_IOMMUFD off).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/ioctl.h>

#include <linux/vfio.h>

#include <libvfio.h>

#include <tessera/tessera_regs.h>

#include "vfio-mdev-adapter.h"

/* 8-4-4-4-12 hex digits, as mdev names are (uuid_parse() would also
 * take upper case; sysfs names are lower case).
 */
static bool is_uuid(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

/* The lib's own test (static in libvfio.c). */
static bool is_bdf(const char *str)
{
	unsigned int s, b, d, f;
	int length, count;

	count = sscanf(str, "%4x:%2x:%2x.%2x%n", &s, &b, &d, &f, &length);
	return count == 4 && length == (int)strlen(str);
}

bool vfio_oracle_is_mdev(const char *name)
{
	char path[PATH_MAX];

	if (!is_uuid(name))
		return false;
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", name);
	return access(path, F_OK) == 0;
}

char **vfio_selftests_get_bdfs(int *argc, char *argv[], int *nr_bdfs)
{
	static char *env_dev;
	bool any_uuid = false;
	int i;

	for (i = *argc - 1; i > 0 && (is_bdf(argv[i]) || is_uuid(argv[i])); i--)
		any_uuid |= is_uuid(argv[i]);
	i++;
	if (any_uuid) {
		*nr_bdfs = *argc - i;
		*argc -= *nr_bdfs;
		return &argv[i];
	}
	if (i == *argc) {
		env_dev = getenv("VFIO_SELFTESTS_BDF");
		if (env_dev && is_uuid(env_dev)) {
			*nr_bdfs = 1;
			return &env_dev;
		}
	}
	/* BDFs only (or nothing): the lib's own parsing and messages. */
	return vfio_upstream_get_bdfs(argc, argv, nr_bdfs);
}

const char *vfio_selftests_get_bdf(int *argc, char *argv[])
{
	int nr_bdfs;

	return vfio_selftests_get_bdfs(argc, argv, &nr_bdfs)[0];
}

int sysfs_iommu_group_get(const char *dev)
{
	char path[PATH_MAX], link[PATH_MAX];
	char *end;
	long group;
	ssize_t n;

	if (!is_uuid(dev))
		return vfio_upstream_sysfs_iommu_group_get(dev);

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group", dev);
	n = readlink(path, link, sizeof(link) - 1);
	VFIO_ASSERT_GT(n, 0, "readlink(%s) failed (no such vGPU?)\n", path);
	link[n] = '\0';
	errno = 0;
	group = strtol(basename(link), &end, 10);
	VFIO_ASSERT_TRUE(!errno && !*end && group >= 0 && group <= INT_MAX,
			 "%s -> %s names no group\n", path, link);
	return (int)group;
}

/* Does the type1 container @fd report its IOVA ranges? */
static bool type1_has_iova_ranges(int fd)
{
	struct vfio_iommu_type1_info *info;
	struct vfio_info_cap_header *hdr;
	uint32_t off, hops = 0;
	bool found = false;

	info = calloc_assert(1, sizeof(*info));
	info->argsz = sizeof(*info);
	ioctl_assert(fd, VFIO_IOMMU_GET_INFO, info);
	if (info->argsz > sizeof(*info)) {
		uint32_t argsz = info->argsz;

		free(info);
		info = calloc_assert(1, argsz);
		info->argsz = argsz;
		ioctl_assert(fd, VFIO_IOMMU_GET_INFO, info);
	}
	off = (info->flags & VFIO_IOMMU_INFO_CAPS) ? info->cap_offset : 0;
	while (off && off + sizeof(*hdr) <= info->argsz && hops++ < 64) {
		hdr = (struct vfio_info_cap_header *)((char *)info + off);
		if (hdr->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			found = true;
			break;
		}
		off = hdr->next;
	}
	free(info);
	return found;
}

struct iommu_iova_range *iommu_iova_ranges(struct iommu *iommu, u32 *nranges)
{
	struct iommu_iova_range *range;

	if (iommu->iommufd || type1_has_iova_ranges(iommu->container_fd))
		return vfio_upstream_iommu_iova_ranges(iommu, nranges);

	/* Emulated IOMMU groups only: type1 takes any IOVA. */
	printf("vfio-mdev-adapter: no IOVA ranges in the type1 container: [0, 2^64 - 1]\n");
	range = calloc_assert(1, sizeof(*range));
	range->start = 0;
	range->last = UINT64_MAX;
	*nranges = 1;
	return range;
}

uint16_t vfio_oracle_pci_id(const char *dev, const char *file)
{
	char path[PATH_MAX], buf[32];
	ssize_t n;
	int fd;

	if (is_uuid(dev)) {
		if (!strcmp(file, "vendor"))
			return TESSERA_PCI_VENDOR_ID;
		if (!strcmp(file, "device"))
			return TESSERA_PCI_VGPU_DEVICE_ID;
		VFIO_FAIL("no documented value of %s for an mdev\n", file);
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", dev, file);
	fd = open(path, O_RDONLY);
	VFIO_ASSERT_GE(fd, 0, "open(%s) failed\n", path);
	n = read(fd, buf, sizeof(buf) - 1);
	VFIO_ASSERT_GT(n, 0);
	buf[n] = '\0';
	VFIO_ASSERT_EQ(close(fd), 0);
	return (uint16_t)strtoul(buf, NULL, 0);
}

__attribute__((constructor))
static void vfio_oracle_default_mode(void)
{
	const char *mode = getenv("VFIO_ORACLE_IOMMU_MODE");

	if (mode && *mode)
		default_iommu_mode = mode;
	else if (access("/dev/iommu", F_OK))
		default_iommu_mode = MODE_VFIO_TYPE1_IOMMU;
}
