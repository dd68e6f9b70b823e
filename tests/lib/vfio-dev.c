// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-dev: a small userspace VFIO library for Tessera's in-VM tests.
 * See vfio-dev.h for the interface.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/pci_regs.h>

#include "vfio-dev.h"

#define SYSFS_PCI	"/sys/bus/pci"

static void set_err(struct vfio_dev *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->err, sizeof(dev->err), fmt, ap);
	va_end(ap);
}

static int read_sysfs(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static int write_sysfs(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

static int read_sysfs_hex(const char *bdf, const char *attr, unsigned long *val)
{
	char path[PATH_MAX], buf[64], *end;
	int ret;

	snprintf(path, sizeof(path), SYSFS_PCI "/devices/%s/%s", bdf, attr);
	ret = read_sysfs(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtoul(buf, &end, 16);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

int vfio_pci_find(u16 vendor, u16 device, unsigned int n, char *bdf,
		  size_t len)
{
	struct dirent **names;
	unsigned long v, d;
	int i, count, ret = -ENOENT;

	count = scandir(SYSFS_PCI "/devices", &names, NULL, alphasort);
	if (count < 0)
		return -errno;
	for (i = 0; i < count; i++) {
		const char *name = names[i]->d_name;

		if (ret == -ENOENT && name[0] != '.' &&
		    !read_sysfs_hex(name, "vendor", &v) &&
		    !read_sysfs_hex(name, "device", &d) &&
		    v == vendor && d == device) {
			if (n == 0) {
				snprintf(bdf, len, "%s", name);
				ret = 0;
			} else {
				n--;
			}
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int vfio_pci_driver(const char *bdf, char *buf, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), SYSFS_PCI "/devices/%s/driver", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		if (errno != ENOENT)
			return -errno;
		snprintf(buf, len, "%s", "");
		return 0;
	}
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(buf, len, "%s", base ? base + 1 : target);
	return 0;
}

static int run_modprobe(const char *module)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("modprobe", "modprobe", module, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ENOENT;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int vfio_pci_bind(const char *bdf)
{
	char path[PATH_MAX], drv[64];
	struct stat st;
	int ret, i;

	ret = vfio_pci_driver(bdf, drv, sizeof(drv));
	if (ret)
		return ret;
	if (!strcmp(drv, "vfio-pci"))
		return 0;

	if (stat(SYSFS_PCI "/drivers/vfio-pci", &st)) {
		ret = run_modprobe("vfio-pci");
		if (ret)
			return ret;
		if (stat(SYSFS_PCI "/drivers/vfio-pci", &st))
			return -ENOENT;
	}

	snprintf(path, sizeof(path), SYSFS_PCI "/devices/%s/driver_override", bdf);
	ret = write_sysfs(path, "vfio-pci");
	if (ret)
		return ret;
	if (drv[0]) {
		snprintf(path, sizeof(path), SYSFS_PCI "/devices/%s/driver/unbind",
			 bdf);
		ret = write_sysfs(path, bdf);
		if (ret)
			return ret;
	}
	/* drivers_probe fails harmlessly if the device is already bound. */
	write_sysfs(SYSFS_PCI "/drivers_probe", bdf);

	for (i = 0; i < 100; i++) {
		ret = vfio_pci_driver(bdf, drv, sizeof(drv));
		if (ret)
			return ret;
		if (!strcmp(drv, "vfio-pci"))
			return 0;
		sleep_ms(50);
	}
	return -ENODEV;
}

static int group_of(const char *bdf)
{
	char path[PATH_MAX], target[PATH_MAX], *base, *end;
	ssize_t n;
	long id;

	snprintf(path, sizeof(path), SYSFS_PCI "/devices/%s/iommu_group", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	id = strtol(base, &end, 10);
	if (end == base || *end || id < 0)
		return -EINVAL;
	return (int)id;
}

static int open_retry(const char *path, int flags)
{
	int fd, i;

	/* The node may appear a little after the bind (devtmpfs/udev). */
	for (i = 0; i < 100; i++) {
		fd = open(path, flags);
		if (fd >= 0 || errno != ENOENT)
			return fd;
		sleep_ms(50);
	}
	return -1;
}

static int get_regions(struct vfio_dev *dev)
{
	unsigned int i;

	for (i = 0; i < VFIO_PCI_NUM_REGIONS && i < dev->num_regions; i++) {
		struct vfio_region_info info = {
			.argsz = sizeof(info),
			.index = i,
		};
		struct vfio_region *r = &dev->regions[i];

		r->index = i;
		if (ioctl(dev->device_fd, VFIO_DEVICE_GET_REGION_INFO, &info)) {
			/* Absent regions (e.g. VGA) may fail: treat as size 0. */
			if (errno == EINVAL)
				continue;
			set_err(dev, "VFIO_DEVICE_GET_REGION_INFO %u: %s", i,
				strerror(errno));
			return -errno;
		}
		r->flags = info.flags;
		r->size = info.size;
		r->offset = info.offset;
		if (i > VFIO_PCI_BAR5_REGION_INDEX || !r->size ||
		    !(r->flags & VFIO_REGION_INFO_FLAG_MMAP))
			continue;
		r->map = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED,
			      dev->device_fd, r->offset);
		if (r->map == MAP_FAILED)
			r->map = NULL;	/* fall back to pread/pwrite */
	}
	return 0;
}

static void dev_init(struct vfio_dev *dev, const char *name)
{
	memset(dev, 0, sizeof(*dev));
	dev->container_fd = -1;
	dev->group_fd = -1;
	dev->device_fd = -1;
	dev->irq_index = -1;
	snprintf(dev->bdf, sizeof(dev->bdf), "%s", name);
}

int vfio_dev_open(struct vfio_dev *dev, const char *bdf)
{
	int group = group_of(bdf);

	if (group < 0) {
		dev_init(dev, bdf);
		set_err(dev, "%s has no IOMMU group (%s): is an IOMMU enabled?",
			bdf, strerror(-group));
		return group;
	}
	return vfio_dev_open_group(dev, bdf, group);
}

int vfio_dev_open_group(struct vfio_dev *dev, const char *name, int group)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_device_info di = { .argsz = sizeof(di) };
	char path[64];
	int ret, type;

	dev_init(dev, name);
	dev->group_id = group;
	dev->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (dev->container_fd < 0) {
		ret = -errno;
		set_err(dev, "open /dev/vfio/vfio: %s", strerror(errno));
		goto fail;
	}
	if (ioctl(dev->container_fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		ret = -EINVAL;
		set_err(dev, "VFIO API version mismatch");
		goto fail;
	}
	if (ioctl(dev->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0) {
		type = VFIO_TYPE1v2_IOMMU;
	} else if (ioctl(dev->container_fd, VFIO_CHECK_EXTENSION,
			 VFIO_TYPE1_IOMMU) > 0) {
		type = VFIO_TYPE1_IOMMU;
	} else {
		ret = -ENODEV;
		set_err(dev, "no VFIO type1 IOMMU support");
		goto fail;
	}

	snprintf(path, sizeof(path), "/dev/vfio/%d", dev->group_id);
	dev->group_fd = open_retry(path, O_RDWR | O_CLOEXEC);
	if (dev->group_fd < 0) {
		ret = -errno;
		set_err(dev, "open %s: %s", path, strerror(errno));
		goto fail;
	}
	if (ioctl(dev->group_fd, VFIO_GROUP_GET_STATUS, &gs)) {
		ret = -errno;
		set_err(dev, "VFIO_GROUP_GET_STATUS: %s", strerror(errno));
		goto fail;
	}
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		ret = -EBUSY;
		set_err(dev, "group %d not viable (bind all its devices to vfio-pci)",
			dev->group_id);
		goto fail;
	}
	if (ioctl(dev->group_fd, VFIO_GROUP_SET_CONTAINER, &dev->container_fd)) {
		ret = -errno;
		set_err(dev, "VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
		goto fail;
	}
	if (ioctl(dev->container_fd, VFIO_SET_IOMMU, type)) {
		ret = -errno;
		set_err(dev, "VFIO_SET_IOMMU: %s%s", strerror(errno),
			errno == EPERM ?
			" (no interrupt remapping? see vfio_iommu_type1.allow_unsafe_interrupts)" :
			"");
		goto fail;
	}
	dev->device_fd = ioctl(dev->group_fd, VFIO_GROUP_GET_DEVICE_FD, name);
	if (dev->device_fd < 0) {
		ret = -errno;
		set_err(dev, "VFIO_GROUP_GET_DEVICE_FD %s: %s", name,
			strerror(errno));
		goto fail;
	}
	if (ioctl(dev->device_fd, VFIO_DEVICE_GET_INFO, &di)) {
		ret = -errno;
		set_err(dev, "VFIO_DEVICE_GET_INFO: %s", strerror(errno));
		goto fail;
	}
	if (!(di.flags & VFIO_DEVICE_FLAGS_PCI)) {
		ret = -ENODEV;
		set_err(dev, "%s is not a VFIO PCI device", name);
		goto fail;
	}
	dev->num_regions = di.num_regions;
	dev->num_irqs = di.num_irqs;
	ret = get_regions(dev);
	if (ret)
		goto fail;
	return 0;

fail:
	{
		char err[sizeof(dev->err)];

		memcpy(err, dev->err, sizeof(err));
		vfio_dev_close(dev);
		memcpy(dev->err, err, sizeof(err));
	}
	return ret;
}

void vfio_dev_close(struct vfio_dev *dev)
{
	unsigned int i;

	if (dev->irq_index >= 0 || dev->nr_irqfds)
		vfio_irq_disable(dev);
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		if (dev->regions[i].map)
			munmap(dev->regions[i].map, dev->regions[i].size);
		dev->regions[i].map = NULL;
	}
	if (dev->device_fd >= 0)
		close(dev->device_fd);
	if (dev->group_fd >= 0) {
		ioctl(dev->group_fd, VFIO_GROUP_UNSET_CONTAINER);
		close(dev->group_fd);
	}
	if (dev->container_fd >= 0)
		close(dev->container_fd);
	dev->device_fd = -1;
	dev->group_fd = -1;
	dev->container_fd = -1;
	dev->irq_index = -1;
}

int vfio_dev_reset(struct vfio_dev *dev)
{
	if (dev->device_fd < 0)
		return -EBADF;
	if (ioctl(dev->device_fd, VFIO_DEVICE_RESET))
		return -errno;
	return 0;
}

struct vfio_region *vfio_region_get(struct vfio_dev *dev, unsigned int index)
{
	if (index >= VFIO_PCI_NUM_REGIONS || !dev->regions[index].size)
		return NULL;
	return &dev->regions[index];
}

static bool natural(u64 off, size_t len)
{
	return (len == 1 || len == 2 || len == 4 || len == 8) && !(off & (len - 1));
}

static void mmio_read(void *src, void *dst, size_t len)
{
	switch (len) {
	case 1:
		*(u8 *)dst = mmio_rd8(src);
		break;
	case 2:
		*(u16 *)dst = mmio_rd16(src);
		break;
	case 4:
		*(u32 *)dst = mmio_rd32(src);
		break;
	case 8:
		*(u64 *)dst = mmio_rd64(src);
		break;
	}
}

static void mmio_write(void *dst, const void *src, size_t len)
{
	switch (len) {
	case 1:
		mmio_wr8(dst, *(const u8 *)src);
		break;
	case 2:
		mmio_wr16(dst, *(const u16 *)src);
		break;
	case 4:
		mmio_wr32(dst, *(const u32 *)src);
		break;
	case 8:
		mmio_wr64(dst, *(const u64 *)src);
		break;
	}
}

/* Bulk copy from/to a mapping: 8-byte accesses where aligned, else bytes. */
static void mmio_copy_from(u8 *src, u8 *dst, size_t len)
{
	while (len && ((unsigned long)src & 7)) {
		*dst++ = mmio_rd8(src++);
		len--;
	}
	while (len >= 8) {
		u64 v = mmio_rd64(src);

		memcpy(dst, &v, 8);
		src += 8;
		dst += 8;
		len -= 8;
	}
	while (len--)
		*dst++ = mmio_rd8(src++);
}

static void mmio_copy_to(u8 *dst, const u8 *src, size_t len)
{
	while (len && ((unsigned long)dst & 7)) {
		mmio_wr8(dst++, *src++);
		len--;
	}
	while (len >= 8) {
		u64 v;

		memcpy(&v, src, 8);
		mmio_wr64(dst, v);
		src += 8;
		dst += 8;
		len -= 8;
	}
	while (len--)
		mmio_wr8(dst++, *src++);
}

static int region_check(struct vfio_dev *dev, unsigned int index, u64 off,
			size_t len, struct vfio_region **rp)
{
	struct vfio_region *r = vfio_region_get(dev, index);

	if (!r || dev->device_fd < 0)
		return -ENODEV;
	if (off > r->size || len > r->size - off)
		return -EINVAL;
	*rp = r;
	return 0;
}

int vfio_region_read(struct vfio_dev *dev, unsigned int index, u64 off,
		     void *buf, size_t len)
{
	struct vfio_region *r;
	ssize_t n;
	int ret;

	ret = region_check(dev, index, off, len, &r);
	if (ret)
		return ret;
	if (r->map) {
		if (natural(off, len))
			mmio_read((u8 *)r->map + off, buf, len);
		else
			mmio_copy_from((u8 *)r->map + off, buf, len);
		return 0;
	}
	n = pread(dev->device_fd, buf, len, r->offset + off);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vfio_region_write(struct vfio_dev *dev, unsigned int index, u64 off,
		      const void *buf, size_t len)
{
	struct vfio_region *r;
	ssize_t n;
	int ret;

	ret = region_check(dev, index, off, len, &r);
	if (ret)
		return ret;
	if (r->map) {
		if (natural(off, len))
			mmio_write((u8 *)r->map + off, buf, len);
		else
			mmio_copy_to((u8 *)r->map + off, buf, len);
		return 0;
	}
	n = pwrite(dev->device_fd, buf, len, r->offset + off);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vfio_config_read(struct vfio_dev *dev, unsigned int off, u32 *val,
		     unsigned int width)
{
	struct vfio_region *r = &dev->regions[VFIO_PCI_CONFIG_REGION_INDEX];
	u8 b[4] = { 0 };
	ssize_t n;

	if (width != 1 && width != 2 && width != 4)
		return -EINVAL;
	if (dev->device_fd < 0)
		return -EBADF;
	n = pread(dev->device_fd, b, width, r->offset + off);
	if (n < 0)
		return -errno;
	if (n != (ssize_t)width)
		return -EIO;
	*val = b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
	return 0;
}

int vfio_config_write(struct vfio_dev *dev, unsigned int off, u32 val,
		      unsigned int width)
{
	struct vfio_region *r = &dev->regions[VFIO_PCI_CONFIG_REGION_INDEX];
	u8 b[4] = { val, val >> 8, val >> 16, val >> 24 };
	ssize_t n;

	if (width != 1 && width != 2 && width != 4)
		return -EINVAL;
	if (dev->device_fd < 0)
		return -EBADF;
	n = pwrite(dev->device_fd, b, width, r->offset + off);
	if (n < 0)
		return -errno;
	return n == (ssize_t)width ? 0 : -EIO;
}

int vfio_pci_find_cap(struct vfio_dev *dev, u8 cap_id)
{
	u32 status, pos, id;
	int ret, guard;

	ret = vfio_config_read(dev, PCI_STATUS, &status, 2);
	if (ret)
		return ret;
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;
	ret = vfio_config_read(dev, PCI_CAPABILITY_LIST, &pos, 1);
	if (ret)
		return ret;
	for (guard = 0; guard < 48 && pos >= 0x40; guard++) {
		pos &= ~3u;
		ret = vfio_config_read(dev, pos + PCI_CAP_LIST_ID, &id, 1);
		if (ret)
			return ret;
		if (id == cap_id)
			return pos;
		ret = vfio_config_read(dev, pos + PCI_CAP_LIST_NEXT, &pos, 1);
		if (ret)
			return ret;
	}
	return 0;
}

int vfio_pci_set_master(struct vfio_dev *dev, bool on)
{
	u32 cmd = 0;
	int ret;

	ret = vfio_config_read(dev, PCI_COMMAND, &cmd, 2);
	if (ret)
		return ret;
	if (on)
		cmd |= PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY;
	else
		cmd &= ~PCI_COMMAND_MASTER;
	return vfio_config_write(dev, PCI_COMMAND, cmd, 2);
}

int vfio_dma_alloc(struct vfio_dev *dev, struct vfio_dma_buf *buf,
		   size_t size, u64 iova)
{
	long page = sysconf(_SC_PAGESIZE);
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	void *p;
	int ret;

	memset(buf, 0, sizeof(*buf));
	if (!size || (iova & (page - 1)))
		return -EINVAL;
	size = (size + page - 1) & ~(size_t)(page - 1);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (unsigned long)p;
	map.iova = iova;
	map.size = size;
	if (ioctl(dev->container_fd, VFIO_IOMMU_MAP_DMA, &map)) {
		ret = -errno;
		munmap(p, size);
		return ret;
	}
	buf->vaddr = p;
	buf->iova = iova;
	buf->size = size;
	return 0;
}

int vfio_dma_free(struct vfio_dev *dev, struct vfio_dma_buf *buf)
{
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	int ret = 0;

	if (!buf->vaddr)
		return 0;
	unmap.iova = buf->iova;
	unmap.size = buf->size;
	if (dev->container_fd >= 0 &&
	    ioctl(dev->container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap))
		ret = -errno;
	munmap(buf->vaddr, buf->size);
	memset(buf, 0, sizeof(*buf));
	return ret;
}

int vfio_irq_enable(struct vfio_dev *dev, unsigned int index,
		    unsigned int count)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = index };
	struct vfio_irq_set *set;
	size_t sz = sizeof(*set) + count * sizeof(int);
	unsigned int i;
	int ret;

	if (!count || count > VFIO_DEV_MAX_IRQS)
		return -EINVAL;
	if (dev->irq_index >= 0)
		return -EBUSY;
	if (ioctl(dev->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &info))
		return -errno;
	if (info.count < count || !(info.flags & VFIO_IRQ_INFO_EVENTFD))
		return -EINVAL;
	set = calloc(1, sz);
	if (!set)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		dev->irqfd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (dev->irqfd[i] < 0) {
			ret = -errno;
			goto fail;
		}
		dev->nr_irqfds = i + 1;
	}
	set->argsz = sz;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->start = 0;
	set->count = count;
	memcpy(set->data, dev->irqfd, count * sizeof(int));
	if (ioctl(dev->device_fd, VFIO_DEVICE_SET_IRQS, set)) {
		ret = -errno;
		goto fail;
	}
	free(set);
	dev->irq_index = index;
	return 0;

fail:
	free(set);
	for (i = 0; i < dev->nr_irqfds; i++)
		close(dev->irqfd[i]);
	dev->nr_irqfds = 0;
	return ret;
}

int vfio_irq_disable(struct vfio_dev *dev)
{
	struct vfio_irq_set set = { .argsz = sizeof(set) };
	unsigned int i;
	int ret = 0;

	if (dev->irq_index >= 0 && dev->device_fd >= 0) {
		set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
		set.index = dev->irq_index;
		set.start = 0;
		set.count = 0;
		if (ioctl(dev->device_fd, VFIO_DEVICE_SET_IRQS, &set))
			ret = -errno;
	}
	for (i = 0; i < dev->nr_irqfds; i++)
		close(dev->irqfd[i]);
	dev->nr_irqfds = 0;
	dev->irq_index = -1;
	return ret;
}

int vfio_irq_wait(struct vfio_dev *dev, unsigned int vector, int timeout_ms)
{
	struct pollfd pfd;
	u64 cnt;
	int ret;

	if (vector >= dev->nr_irqfds)
		return -EINVAL;
	pfd.fd = dev->irqfd[vector];
	pfd.events = POLLIN;
	do {
		ret = poll(&pfd, 1, timeout_ms < 0 ? 0 : timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	if (read(pfd.fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	return cnt > INT_MAX ? INT_MAX : (int)cnt;
}

int vfio_irq_drain(struct vfio_dev *dev, unsigned int vector)
{
	u64 cnt;

	if (vector >= dev->nr_irqfds)
		return -EINVAL;
	if (read(dev->irqfd[vector], &cnt, sizeof(cnt)) != sizeof(cnt))
		return errno == EAGAIN ? 0 : -errno;
	return cnt > INT_MAX ? INT_MAX : (int)cnt;
}
