/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio-dev: a small userspace VFIO (group/container, type1 IOMMU) library
 * for Tessera's in-VM tests, benchmarks and fuzzers.
 *
 * Every function returns 0 (or a non-negative value) on success and a
 * negative errno on failure; none of them exits or prints except
 * vfio_dev_open(), which keeps a human-readable reason in dev->err.
 */
#ifndef TESSERA_TESTS_VFIO_DEV_H
#define TESSERA_TESTS_VFIO_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/vfio.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define VFIO_DEV_MAX_IRQS	32

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * MMIO through a BAR mapping: one access of exactly the given width that
 * the compiler may neither drop, merge nor split (relaxed atomics).
 */
static inline u8 mmio_rd8(const void *p)
{
	return __atomic_load_n((const u8 *)p, __ATOMIC_RELAXED);
}

static inline u16 mmio_rd16(const void *p)
{
	return __atomic_load_n((const u16 *)p, __ATOMIC_RELAXED);
}

static inline u32 mmio_rd32(const void *p)
{
	return __atomic_load_n((const u32 *)p, __ATOMIC_RELAXED);
}

static inline u64 mmio_rd64(const void *p)
{
	return __atomic_load_n((const u64 *)p, __ATOMIC_RELAXED);
}

static inline void mmio_wr8(void *p, u8 v)
{
	__atomic_store_n((u8 *)p, v, __ATOMIC_RELAXED);
}

static inline void mmio_wr16(void *p, u16 v)
{
	__atomic_store_n((u16 *)p, v, __ATOMIC_RELAXED);
}

static inline void mmio_wr32(void *p, u32 v)
{
	__atomic_store_n((u32 *)p, v, __ATOMIC_RELAXED);
}

static inline void mmio_wr64(void *p, u64 v)
{
	__atomic_store_n((u64 *)p, v, __ATOMIC_RELAXED);
}

/**
 * struct vfio_region - one region of a VFIO device
 * @index: VFIO_PCI_*_REGION_INDEX
 * @flags: VFIO_REGION_INFO_FLAG_*
 * @size: bytes
 * @offset: offset of the region in the device fd
 * @map: the region's mmap, or NULL (access goes through pread/pwrite)
 */
struct vfio_region {
	unsigned int index;
	u32 flags;
	u64 size;
	u64 offset;
	void *map;
};

/**
 * struct vfio_dev - an open VFIO PCI device
 * @bdf: PCI address, "dddd:bb:dd.f"
 * @group_id: IOMMU group number
 * @container_fd: /dev/vfio/vfio
 * @group_fd: /dev/vfio/<group>
 * @device_fd: from VFIO_GROUP_GET_DEVICE_FD
 * @num_regions: from VFIO_DEVICE_GET_INFO
 * @num_irqs: from VFIO_DEVICE_GET_INFO
 * @regions: config space and BAR regions (VFIO_PCI_NUM_REGIONS)
 * @irq_index: IRQ index the eventfds are attached to, -1 if none
 * @nr_irqfds: number of eventfds in @irqfd
 * @irqfd: one eventfd per vector
 * @err: reason of the last failure of vfio_dev_open()
 */
struct vfio_dev {
	char bdf[32];
	int group_id;
	int container_fd;
	int group_fd;
	int device_fd;
	unsigned int num_regions;
	unsigned int num_irqs;
	struct vfio_region regions[VFIO_PCI_NUM_REGIONS];
	int irq_index;
	unsigned int nr_irqfds;
	int irqfd[VFIO_DEV_MAX_IRQS];
	char err[256];
};

/**
 * struct vfio_dma_buf - system memory mapped for device DMA
 * @vaddr: the process's mapping
 * @iova: the device's (bus) address
 * @size: bytes, a multiple of the page size
 */
struct vfio_dma_buf {
	void *vaddr;
	u64 iova;
	size_t size;
};

/**
 * vfio_pci_find() - find a PCI device by IDs in sysfs
 * @vendor: vendor ID
 * @device: device ID
 * @n: which match (0 = first, in sysfs name order)
 * @bdf: buffer for the "dddd:bb:dd.f" address
 * @len: size of @bdf
 *
 * Return: 0, or -ENOENT if there is no such device.
 */
int vfio_pci_find(u16 vendor, u16 device, unsigned int n, char *bdf,
		  size_t len);

/**
 * vfio_pci_bind() - bind a PCI device to vfio-pci
 * @bdf: PCI address
 *
 * Loads vfio-pci if needed (modprobe), sets driver_override, unbinds the
 * current driver and reprobes. A device already on vfio-pci is left alone.
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_bind(const char *bdf);

/**
 * vfio_pci_driver() - name of the driver a PCI device is bound to
 * @bdf: PCI address
 * @buf: buffer for the name ("" if none)
 * @len: size of @buf
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_driver(const char *bdf, char *buf, size_t len);

/**
 * vfio_dev_open() - open a vfio-pci device through its group
 * @dev: filled in
 * @bdf: PCI address; the device must be bound to vfio-pci
 *
 * Opens the container and the group, sets the type1 IOMMU, gets the device
 * fd and the infos of its config and BAR regions, and mmaps every BAR that
 * allows it. On failure everything is undone and @dev->err says why.
 *
 * Return: 0 or a negative errno.
 */
int vfio_dev_open(struct vfio_dev *dev, const char *bdf);

/**
 * vfio_dev_open_group() - open a VFIO PCI device of a known IOMMU group
 * @dev: filled in
 * @name: the device's name in the group (PCI address, or an mdev's UUID)
 * @group: IOMMU group number (/dev/vfio/@group)
 *
 * As vfio_dev_open(), for devices that are not found by PCI address.
 * Return: 0 or a negative errno (message in @dev->err).
 */
int vfio_dev_open_group(struct vfio_dev *dev, const char *name, int group);

/**
 * vfio_dev_close() - undo vfio_dev_open()
 * @dev: the device (may be partially opened or zeroed)
 */
void vfio_dev_close(struct vfio_dev *dev);

/**
 * vfio_dev_reset() - VFIO_DEVICE_RESET (FLR or another function reset)
 * @dev: the device
 *
 * Return: 0 or a negative errno.
 */
int vfio_dev_reset(struct vfio_dev *dev);

/**
 * vfio_region_get() - a region of the device
 * @dev: the device
 * @index: VFIO_PCI_*_REGION_INDEX
 *
 * Return: the region, or NULL if @index is out of range or the region is
 * absent (size 0).
 */
struct vfio_region *vfio_region_get(struct vfio_dev *dev, unsigned int index);

/**
 * vfio_region_read() - read from a region
 * @dev: the device
 * @index: region
 * @off: offset in the region
 * @buf: destination
 * @len: bytes; 1, 2, 4 or 8 at a naturally aligned offset are done as one
 *       access of that width, anything else as a byte copy
 *
 * Uses the mmap when there is one, else pread() on the device fd.
 *
 * Return: 0 or a negative errno (-EINVAL out of range).
 */
int vfio_region_read(struct vfio_dev *dev, unsigned int index, u64 off,
		     void *buf, size_t len);

/**
 * vfio_region_write() - write to a region
 * @dev: the device
 * @index: region
 * @off: offset in the region
 * @buf: source
 * @len: bytes, as for vfio_region_read()
 *
 * Return: 0 or a negative errno.
 */
int vfio_region_write(struct vfio_dev *dev, unsigned int index, u64 off,
		      const void *buf, size_t len);

/**
 * vfio_config_read() - read PCI config space (as vfio-pci presents it)
 * @dev: the device
 * @off: offset
 * @val: the value read, zero-extended
 * @width: 1, 2 or 4 bytes
 *
 * Return: 0 or a negative errno.
 */
int vfio_config_read(struct vfio_dev *dev, unsigned int off, u32 *val,
		     unsigned int width);

/**
 * vfio_config_write() - write PCI config space
 * @dev: the device
 * @off: offset
 * @val: value
 * @width: 1, 2 or 4 bytes
 *
 * Return: 0 or a negative errno.
 */
int vfio_config_write(struct vfio_dev *dev, unsigned int off, u32 val,
		      unsigned int width);

/**
 * vfio_pci_find_cap() - walk the standard capability list
 * @dev: the device
 * @cap_id: PCI_CAP_ID_*
 *
 * Return: the capability's offset, 0 if absent, or a negative errno.
 */
int vfio_pci_find_cap(struct vfio_dev *dev, u8 cap_id);

/**
 * vfio_pci_set_master() - set or clear Bus Master Enable in PCI_COMMAND
 * @dev: the device
 * @on: enable (true) or disable (false)
 *
 * vfio-pci does not enable bus mastering: a userspace driver must, else the
 * device's DMA and MSI-X messages go nowhere.
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_set_master(struct vfio_dev *dev, bool on);

/**
 * vfio_dma_alloc() - allocate system memory and map it for device DMA
 * @dev: the device
 * @buf: filled in
 * @size: bytes (rounded up to the page size)
 * @iova: bus address to map it at (page aligned)
 *
 * The memory is anonymous, zeroed, and mapped with VFIO_IOMMU_MAP_DMA
 * readable and writable by the device.
 *
 * Return: 0 or a negative errno.
 */
int vfio_dma_alloc(struct vfio_dev *dev, struct vfio_dma_buf *buf,
		   size_t size, u64 iova);

/**
 * vfio_dma_free() - unmap and free a DMA buffer
 * @dev: the device
 * @buf: the buffer (a zeroed one is ignored)
 *
 * Return: 0 or a negative errno (the memory is freed in any case).
 */
int vfio_dma_free(struct vfio_dev *dev, struct vfio_dma_buf *buf);

/**
 * vfio_irq_enable() - attach one eventfd per vector to an IRQ index
 * @dev: the device
 * @index: VFIO_PCI_MSIX_IRQ_INDEX (or MSI/INTX)
 * @count: vectors, <= VFIO_DEV_MAX_IRQS and <= the index's count
 *
 * Return: 0 or a negative errno.
 */
int vfio_irq_enable(struct vfio_dev *dev, unsigned int index,
		    unsigned int count);

/**
 * vfio_irq_disable() - detach the eventfds and disable the IRQ index
 * @dev: the device
 *
 * Return: 0 or a negative errno.
 */
int vfio_irq_disable(struct vfio_dev *dev);

/**
 * vfio_irq_wait() - wait for a vector's eventfd
 * @dev: the device
 * @vector: vector number
 * @timeout_ms: how long to wait (>= 0)
 *
 * Return: the number of interrupts counted since the last wait or drain
 * (> 0), -ETIMEDOUT if none came in time, or another negative errno.
 */
int vfio_irq_wait(struct vfio_dev *dev, unsigned int vector, int timeout_ms);

/**
 * vfio_irq_drain() - forget interrupts counted on a vector so far
 * @dev: the device
 * @vector: vector number
 *
 * Return: the number forgotten (>= 0) or a negative errno.
 */
int vfio_irq_drain(struct vfio_dev *dev, unsigned int vector);

#endif /* TESSERA_TESTS_VFIO_DEV_H */
