// SPDX-License-Identifier: GPL-2.0
/*
 * Device dirty tracking of guest memory (vfio_log_ops, the
 * VFIO_DEVICE_FEATURE_DMA_LOGGING_* features).
 *
 * The vGPU writes guest memory only through its GART: an engine running
 * the vGPU's context writes a page that a writable, shadowed (pinned)
 * entry maps. While logging is on, such a page counts as dirty when
 *   - its entry was there while the context ran: at every report the
 *     context is looked at (tessera_vgpu_ctx_ran(): ring runtimes, pending
 *     work, a loaded ring on an engine that worked); if it ran since the
 *     last look, every writable shadowed entry's page is marked; or
 *   - its entry went away (guest rewrite, dma_unmap, reset, close) while
 *     logging was on.
 * Marked pages wait in @dlog.marks (an xarray of guest page numbers)
 * until a report covers them; past DLOG_MAX_MARKS, or when a mark
 * cannot be allocated, pages go into one overflow interval that reports
 * dirty whole and shrinks as reports cover its ends. Only pages inside
 * the ranges given to DMA_LOGGING_START are marked. The rule is
 * conservative (a COPY that only read a writable page still marks it) but
 * never misses a device write: an idle guest's pages stop being reported
 * once they have been reported, so pre-copy converges.
 *
 * Locking: @dlog is protected by vgpu->gart_lock, the lock of the entries
 * it looks at; the hooks from the GART paths run under it (and the
 * dma_unmap one under type1's locks, so they never sleep: GFP_NOWAIT).
 * Start, stop and report take vgpu->lock then vgpu->gart_lock.
 */
#include <linux/interval_tree.h>
#include <linux/iova_bitmap.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "tessera_vgpu.h"

#ifdef TESSERA_HAS_DMA_LOGGING

#ifdef TESSERA_IOVA_BITMAP_NS
MODULE_IMPORT_NS(TESSERA_IOVA_BITMAP_NS);
#endif

#define DLOG_MAX_MARKS		65536	/* pages (256 MiB) before overflow */
#define DLOG_MAX_PAGE_SIZE	SZ_1G

/* Mark guest page @pfn dirty (gart_lock held; never sleeps). */
static void dlog_mark(struct tessera_vgpu *vgpu, u64 pfn)
{
	struct tessera_vgpu_dlog *d = &vgpu->dlog;
	void *old;

	lockdep_assert_held(&vgpu->gart_lock);
	if (!tessera_pfn_ranges_find(d->ranges, d->nranges, pfn) ||
	    tessera_dirty_iv_has(&d->overflow, pfn))
		return;
	if (d->nmarks < DLOG_MAX_MARKS) {
		old = xa_store(&d->marks, pfn, xa_mk_value(1),
			       GFP_NOWAIT | __GFP_NOWARN);
		if (!xa_is_err(old)) {
			if (!old)
				d->nmarks++;
			return;
		}
	}
	/* No room for one more mark: the overflow interval grows. */
	tessera_dirty_iv_add(&d->overflow, pfn);
	d->overflows++;
}

/* A writable entry whose page the device can write now. */
static bool dlog_entry_live(const struct tessera_vgpu_gart_ent *g)
{
	return g->page && (g->gentry & TESSERA_GART_WRITABLE);
}

/*
 * If the context ran since the last look, mark the pages of every live
 * writable entry (vgpu->lock and gart_lock held).
 */
static void dlog_sweep(struct tessera_vgpu *vgpu)
{
	u32 i;

	lockdep_assert_held(&vgpu->lock);
	lockdep_assert_held(&vgpu->gart_lock);
	if (!tessera_vgpu_ctx_ran(vgpu, &vgpu->dlog.look))
		return;
	for (i = 0; i < vgpu->gart_entries; i++)
		if (dlog_entry_live(&vgpu->gart[i]))
			dlog_mark(vgpu, (vgpu->gart[i].gentry &
					 TESSERA_GART_ADDR_MASK) >> PAGE_SHIFT);
}

/**
 * tessera_vgpu_dlog_retire() - a writable shadowed entry is going away
 * @vgpu: vGPU (gart_lock held)
 * @gentry: the guest value the entry was pinned for
 *
 * Its page is marked while logging is on: the device may have written it
 * since the last look, and the next sweep will no longer see the entry.
 */
void tessera_vgpu_dlog_retire(struct tessera_vgpu *vgpu, u64 gentry)
{
	lockdep_assert_held(&vgpu->gart_lock);
	if (!vgpu->dlog.active || !(gentry & TESSERA_GART_WRITABLE))
		return;
	dlog_mark(vgpu, (gentry & TESSERA_GART_ADDR_MASK) >> PAGE_SHIFT);
}

/* Forget every mark and range (gart_lock held). */
static void dlog_clear(struct tessera_vgpu *vgpu)
{
	struct tessera_vgpu_dlog *d = &vgpu->dlog;

	lockdep_assert_held(&vgpu->gart_lock);
	xa_destroy(&d->marks);
	d->nmarks = 0;
	d->overflow.first = 0;
	d->overflow.end = 0;
	d->active = false;
	kfree(d->ranges);
	d->ranges = NULL;
	d->nranges = 0;
}

static int dlog_start(struct vfio_device *vdev, struct rb_root_cached *ranges,
		      u32 nnodes, u64 *page_size)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);
	struct tessera_vgpu_dlog *d = &vgpu->dlog;
	struct tessera_pfn_range *r;
	struct interval_tree_node *node;
	u32 n = 0;
	int ret = 0;

	if (*page_size < SZ_4K || *page_size > DLOG_MAX_PAGE_SIZE ||
	    !is_power_of_2(*page_size)) {
		dev_info_ratelimited(&vgpu->mdev->dev,
				     "DMA logging: page size %llu not supported\n",
				     *page_size);
		return -EINVAL;
	}
	r = kcalloc(nnodes, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	/* In ascending order of start, and not overlapping (vfio core). */
	for (node = interval_tree_iter_first(ranges, 0, ULONG_MAX);
	     node && n < nnodes;
	     node = interval_tree_iter_next(node, 0, ULONG_MAX), n++) {
		r[n].first = node->start >> PAGE_SHIFT;
		r[n].last = node->last >> PAGE_SHIFT;
	}
	mutex_lock(&vgpu->lock);
	mutex_lock(&vgpu->gart_lock);
	if (d->active) {
		ret = -EBUSY;
		goto out;
	}
	d->ranges = r;
	d->nranges = n;
	r = NULL;
	d->page_size = *page_size;
	d->active = true;
	d->starts++;
	/* Whatever the device wrote before now, the VMM copies anyway. */
	tessera_vgpu_look_init(vgpu, &d->look);
out:
	mutex_unlock(&vgpu->gart_lock);
	mutex_unlock(&vgpu->lock);
	kfree(r);
	if (ret)
		dev_info_ratelimited(&vgpu->mdev->dev,
				     "DMA logging already started\n");
	return ret;
}

/**
 * tessera_vgpu_dlog_stop() - stop DMA logging, forget its state
 * @vgpu: vGPU (no lock held)
 *
 * Also on close: a VMM that goes away leaves no logging behind. Stopping
 * when logging is off is not an error.
 */
void tessera_vgpu_dlog_stop(struct tessera_vgpu *vgpu)
{
	if (!vgpu->vdev.log_ops)
		return;
	mutex_lock(&vgpu->lock);
	mutex_lock(&vgpu->gart_lock);
	dlog_clear(vgpu);
	mutex_unlock(&vgpu->gart_lock);
	mutex_unlock(&vgpu->lock);
}

static int dlog_stop(struct vfio_device *vdev)
{
	tessera_vgpu_dlog_stop(vdev_to_vgpu(vdev));
	return 0;
}

/* Report and clear the overflow interval's part in [first, end). */
static void dlog_report_overflow(struct tessera_vgpu *vgpu, u64 first,
				 u64 end, struct iova_bitmap *dirty)
{
	struct tessera_vgpu_dlog *d = &vgpu->dlog;
	u64 a, b, n;

	n = tessera_dirty_iv_take(&d->overflow, first, end, &a, &b);
	if (!n)
		return;
	iova_bitmap_set(dirty, a << PAGE_SHIFT, n << PAGE_SHIFT);
	d->reported += n;
}

static int dlog_read_and_clear(struct vfio_device *vdev, unsigned long iova,
			       unsigned long length,
			       struct iova_bitmap *dirty)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);
	struct tessera_vgpu_dlog *d = &vgpu->dlog;
	/* The vfio core checked iova + length <= ULONG_MAX. */
	u64 first = iova >> PAGE_SHIFT;
	u64 last = (iova + (u64)length - 1) >> PAGE_SHIFT;
	unsigned long pfn;
	void *entry;
	int ret = 0;

	if (!length)
		return 0;
	mutex_lock(&vgpu->lock);
	mutex_lock(&vgpu->gart_lock);
	if (!d->active) {
		ret = -EINVAL;
		goto out;
	}
	dlog_sweep(vgpu);
	xa_for_each_range(&d->marks, pfn, entry, first, last) {
		iova_bitmap_set(dirty, (u64)pfn << PAGE_SHIFT, PAGE_SIZE);
		xa_erase(&d->marks, pfn);
		d->nmarks--;
		d->reported++;
	}
	dlog_report_overflow(vgpu, first, last + 1, dirty);
	d->reports++;
out:
	mutex_unlock(&vgpu->gart_lock);
	mutex_unlock(&vgpu->lock);
	if (ret)
		dev_info_ratelimited(&vgpu->mdev->dev,
				     "DMA logging report while logging is off\n");
	return ret;
}

static const struct vfio_log_ops tessera_vgpu_log_ops = {
	.log_start = dlog_start,
	.log_stop = dlog_stop,
	.log_read_and_clear = dlog_read_and_clear,
};

/**
 * tessera_vgpu_dlog_init() - offer DMA logging on a new vGPU
 * @vgpu: vGPU, not yet registered
 */
void tessera_vgpu_dlog_init(struct tessera_vgpu *vgpu)
{
	xa_init(&vgpu->dlog.marks);
	vgpu->vdev.log_ops = &tessera_vgpu_log_ops;
}

/**
 * tessera_vgpu_dlog_supported() - does the vGPU offer DMA logging here?
 *
 * Return: true where the kernel can report (TESSERA_HAS_DMA_LOGGING).
 */
bool tessera_vgpu_dlog_supported(void)
{
	return true;
}

#else /* !TESSERA_HAS_DMA_LOGGING */

void tessera_vgpu_dlog_retire(struct tessera_vgpu *vgpu, u64 gentry)
{
}

void tessera_vgpu_dlog_stop(struct tessera_vgpu *vgpu)
{
}

void tessera_vgpu_dlog_init(struct tessera_vgpu *vgpu)
{
}

bool tessera_vgpu_dlog_supported(void)
{
	return false;
}

#endif /* TESSERA_HAS_DMA_LOGGING */
