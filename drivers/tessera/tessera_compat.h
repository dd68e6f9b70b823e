/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place with kernel version differences, for both modules
 * (tessera.ko, tessera-vgpu.ko). Supported: Debian 6.1 and 6.12 (and what
 * lies between); compiled against the newest Debian ships (7.x, make
 * modules-newest).
 */
#ifndef TESSERA_COMPAT_H
#define TESSERA_COMPAT_H

#include <linux/version.h>
#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>

/*
 * The symbol namespace of the core API (include/tessera/tessera_core.h):
 * EXPORT_SYMBOL_NS_GPL(sym, TESSERA_NS) in tessera.ko,
 * MODULE_IMPORT_NS(TESSERA_NS) in tessera-vgpu.ko. Up to 6.12 the macros
 * take an identifier (and stringify it), from 6.13 a string literal.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define TESSERA_NS	"TESSERA"
#else
#define TESSERA_NS	TESSERA
#endif

/* vm_flags became read-only with accessors in 6.3. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void tessera_vm_flags_set(struct vm_area_struct *vma,
					unsigned long flags)
{
	vma->vm_flags |= flags;
}

static inline void tessera_vm_flags_clear(struct vm_area_struct *vma,
					  unsigned long flags)
{
	vma->vm_flags &= ~flags;
}
#else
static inline void tessera_vm_flags_set(struct vm_area_struct *vma,
					vm_flags_t flags)
{
	vm_flags_set(vma, flags);
}

static inline void tessera_vm_flags_clear(struct vm_area_struct *vma,
					  vm_flags_t flags)
{
	vm_flags_clear(vma, flags);
}
#endif

/*
 * hrtimer_setup() (6.13) initialises a timer with its callback;
 * hrtimer_init() is gone from 6.16.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void
tessera_hrtimer_setup(struct hrtimer *timer,
		      enum hrtimer_restart (*fn)(struct hrtimer *),
		      clockid_t clock, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
}
#else
#define tessera_hrtimer_setup(timer, fn, clock, mode) \
	hrtimer_setup(timer, fn, clock, mode)
#endif

/*
 * pcim_request_all_regions() came with the PCI devres rework of 6.11;
 * before it, pci_request_regions() on a device enabled with
 * pcim_enable_device() was managed itself.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define tessera_pcim_request_regions(pdev, name) \
	pcim_request_all_regions(pdev, name)
#else
#define tessera_pcim_request_regions(pdev, name) \
	pci_request_regions(pdev, name)
#endif

/* PCI_IRQ_LEGACY was renamed PCI_IRQ_INTX in 6.8. */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/* asm/unaligned.h moved to linux/unaligned.h in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* eventfd_signal() lost its count argument in 6.8. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#define tessera_eventfd_signal(ctx)	eventfd_signal((ctx), 1)
#else
#define tessera_eventfd_signal(ctx)	eventfd_signal(ctx)
#endif

/* vfio_device_ops gained the iommufd callbacks in 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define TESSERA_VFIO_HAS_IOMMUFD_OPS	1
#endif

/*
 * Up to 6.1 every vfio_device_ops must have @release, which frees the
 * device (vfio_free_device()); from 6.2 VFIO frees it and @release is
 * optional.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define TESSERA_VFIO_NEEDS_RELEASE	1
#endif

/*
 * VFIO migration v2 with PRE_COPY (6.2), VFIO_MIG_GET_PRECOPY_INFO (6.2)
 * and migration_get_data_size (6.3): the vGPU migrates from 6.3 on.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define TESSERA_VFIO_HAS_MIGRATION	1
#endif

/*
 * Device DMA dirty logging (vfio_log_ops) needs the iova_bitmap helpers
 * that VFIO's DMA_LOGGING_REPORT hands the driver. Up to 6.6 they are part
 * of vfio.ko; from 6.7 they live in iommufd (namespace IOMMUFD) and exist
 * only with CONFIG_IOMMUFD_DRIVER (selected by CONFIG_IOMMUFD): without it
 * include/linux/iova_bitmap.h has stubs and every REPORT fails with
 * EOPNOTSUPP, so a driver that offered log ops there would make the VMM
 * start a migration that cannot finish. Debian bookworm's 6.12 has no
 * IOMMUFD: the vGPU offers no log ops there (Documentation/dev/migration.rst).
 */
#if defined(TESSERA_VFIO_HAS_MIGRATION) && \
	(LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0) || \
	 IS_ENABLED(CONFIG_IOMMUFD_DRIVER))
#define TESSERA_HAS_DMA_LOGGING		1
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define TESSERA_IOVA_BITMAP_NS		"IOMMUFD"
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define TESSERA_IOVA_BITMAP_NS		IOMMUFD
#endif
#endif

/*
 * Since 6.10 every VFIO device file maps through its device's own inode
 * (vfio_fs_type). Before, all of them shared the anonymous inode, so one
 * device's unmap_mapping_range() zapped every device's mappings at the
 * same offsets: the vGPUs' region offsets then carry a per-vGPU tag
 * (tessera_vgpu_aperture.c).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#define TESSERA_VFIO_SHARED_INODE	1
#else
#define TESSERA_VFIO_SHARED_INODE	0
#endif

#endif /* TESSERA_COMPAT_H */
