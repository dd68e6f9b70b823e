// SPDX-License-Identifier: GPL-2.0
/*
 * GART shadow of a vGPU.
 *
 * The guest writes GART entries of its slice with guest-physical
 * addresses: IOVAs of the VFIO container. Each valid entry is shadowed:
 * the page is pinned (vfio_pin_pages), mapped for the physical GPU with
 * the DMA API, and the DMA address goes into the physical GART entry
 * slice_base + i. The physical entry is always invalidated before the old
 * page is released, and, when the vGPU's context may be running, the
 * context is taken off the engines in between (gart_drain()), as the
 * native path does; the shadow is dropped on the vfio dma_unmap callback
 * for the range, on reset and on close (context already off the engines).
 *
 * An entry the guest points at memory it does not own (pin fails) stays
 * invalid in the physical GART, so a job using it faults with
 * FAULT_GART_INVALID in the vGPU's own context; the vGPU is flagged as in
 * error (sysfs state "error") until its next reset.
 *
 * A 32-bit client writes an entry in two halves, and between them the
 * entry holds a mix of the old and the new value (new low | old high). A
 * pin failure of such an intermediate value is provisional: it becomes an
 * error only once the guest goes on to another BAR0 access without
 * writing the entry again (tessera_vgpu_gart_settle()).
 *
 * Locking: the guest's side (tessera_vgpu_gart_write(), reset, close,
 * migration) runs under vgpu->lock and pins under it. The dma_unmap
 * callback must not take vgpu->lock: type1 calls it under its
 * device_list_lock, and its pin and unpin take iommu->lock, which type1
 * orders against device_list_lock (the lockdep cycle of
 * Documentation/dev/test-rig.rst, "The debug kernel"). So the shadow has its
 * own lock, vgpu->gart_lock, inside vgpu->lock, which both sides take and
 * which is never held across vfio_pin_pages() or vfio_unpin_pages(): a
 * pin is made with no GART lock held and installed afterwards, and a pin
 * that an unmap took away from its entry (into the entry's zap slot) is
 * released by the unmap path alone. While an unmap of a range is in
 * progress (and for a moment after type1 had to retry it), pins of that
 * range are refused and a pin that raced with it is given back at once,
 * so type1's unmap retries see the range free.
 */
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "tessera_vgpu.h"

#define GENTRY_BITS	(TESSERA_GART_ADDR_MASK | TESSERA_GART_VALID | \
			 TESSERA_GART_WRITABLE)

static void phys_gart_write(struct tessera_vgpu *vgpu, u32 i, u64 val)
{
	lockdep_assert_held(&vgpu->gart_lock);
	tessera_hw_gart_set(vgpu->tdev, vgpu->ctx_info.gart_base + i, val);
}

static void phys_gart_flush(struct tessera_vgpu *vgpu)
{
	tessera_hw_gart_flush(vgpu->tdev);
}

/*
 * The physical entries just invalidated (and flushed) may still be in use
 * by an access in flight of the vGPU's context on an engine (a COPY that
 * translated the page before the write). When the context may be running,
 * hold it off the engines for a moment, so that nothing is in flight when
 * the pages are released (the hold leaves the rings' own state alone, so
 * it needs no vgpu->lock).
 */
static void gart_drain(struct tessera_vgpu *vgpu)
{
	if (!tessera_sched_ctx_active(vgpu->ctx))
		return;
	tessera_sched_hold_ctx(vgpu->ctx);
	tessera_sched_release_ctx(vgpu->ctx);
	atomic64_inc(&vgpu->gart_drains);
}

/* Drop a pin and DMA mapping that no physical entry names any more. */
static void pin_release(struct tessera_vgpu *vgpu, u64 gentry,
			struct page *page, dma_addr_t dma)
{
	if (!page)
		return;
	dma_unmap_page(vgpu->info->dev, dma, PAGE_SIZE,
		       gentry & TESSERA_GART_WRITABLE ? DMA_BIDIRECTIONAL :
		       DMA_TO_DEVICE);
	vfio_unpin_pages(&vgpu->vdev, gentry & TESSERA_GART_ADDR_MASK, 1);
	atomic_dec(&vgpu->gart_pinned);
}

/* Pin and DMA-map the page of a valid guest entry; 0 or a negative errno. */
static int pin_entry(struct tessera_vgpu *vgpu, u64 val, struct page **page,
		     dma_addr_t *dma)
{
	struct device *dev = vgpu->info->dev;
	bool writable = val & TESSERA_GART_WRITABLE;
	u64 iova = val & TESSERA_GART_ADDR_MASK;
	int ret;

	ret = vfio_pin_pages(&vgpu->vdev, iova, 1,
			     IOMMU_READ | (writable ? IOMMU_WRITE : 0), page);
	if (ret != 1)
		return ret < 0 ? ret : -EFAULT;
	*dma = dma_map_page(dev, *page, 0, PAGE_SIZE,
			    writable ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE);
	if (dma_mapping_error(dev, *dma)) {
		vfio_unpin_pages(&vgpu->vdev, iova, 1);
		*page = NULL;
		return -ENOMEM;
	}
	atomic_inc(&vgpu->gart_pinned);
	return 0;
}

/*
 * How long the range of an unmap that type1 had to retry stays closed to
 * pins after the retry (type1 retries at once, with no wait; this only
 * has to outlast a preempted thread).
 */
#define UNMAP_HOLD	(HZ / 20)

/*
 * May @iova not be pinned now (gart_lock held)? While an unmap of its
 * range is in progress, and for UNMAP_HOLD after a retried one: type1
 * retries the unmap of a mapping as long as pages of it stay pinned and
 * gives up with BUG_ON() after ten rounds, so a guest that keeps pointing
 * entries into the range must not win the race between our callback's
 * return and type1's next look.
 */
static bool in_unmap(struct tessera_vgpu *vgpu, u64 iova)
{
	lockdep_assert_held(&vgpu->gart_lock);
	if (vgpu->unmap_end > vgpu->unmap_iova &&
	    iova >= vgpu->unmap_iova && iova < vgpu->unmap_end)
		return true;
	return vgpu->unmap_hold && time_before(jiffies, vgpu->unmap_hold_until) &&
	       iova >= vgpu->unmap_last_iova && iova < vgpu->unmap_last_end;
}

/*
 * The guest side holds pins that no entry records for a moment (a new one
 * before it is installed, an old one until it is released). A dma_unmap
 * must not return while such a pin of its range is held, or type1, which
 * retries at once, may find it ten times and BUG. The guest side is
 * serialised by vgpu->lock: each of its operations takes a ticket
 * (@gart_seq) when it starts and marks it done (@gart_done) when it holds
 * no unrecorded pin any more.
 */
static u64 guest_op_begin(struct tessera_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->gart_lock);
	return ++vgpu->gart_seq;
}

static void guest_op_end(struct tessera_vgpu *vgpu, u64 ticket)
{
	/* Pairs with the acquire in dma_unmap: our unpins happen before. */
	smp_store_release(&vgpu->gart_done, ticket);
	wake_up_all(&vgpu->gart_wq);
}

/* Is every guest operation up to @target done? */
static bool guest_ops_done(struct tessera_vgpu *vgpu, u64 target)
{
	/* Pairs with guest_op_end()'s release: its unpins happened before. */
	return (s64)(smp_load_acquire(&vgpu->gart_done) - target) >= 0;
}

/**
 * tessera_vgpu_gart_init() - allocate the shadow
 * @vgpu: vGPU
 *
 * Return: 0 or -ENOMEM.
 */
int tessera_vgpu_gart_init(struct tessera_vgpu *vgpu)
{
	mutex_init(&vgpu->gart_lock);
	init_waitqueue_head(&vgpu->gart_wq);
	vgpu->gart = kvcalloc(vgpu->gart_entries, sizeof(*vgpu->gart),
			      GFP_KERNEL);
	return vgpu->gart ? 0 : -ENOMEM;
}

/**
 * tessera_vgpu_gart_fini() - drop and free the shadow
 * @vgpu: vGPU
 */
void tessera_vgpu_gart_fini(struct tessera_vgpu *vgpu)
{
	if (!vgpu->gart)
		return;
	tessera_vgpu_gart_drop_all(vgpu);
	kvfree(vgpu->gart);
	vgpu->gart = NULL;
	mutex_destroy(&vgpu->gart_lock);
}

/**
 * tessera_vgpu_gart_drop_all() - invalidate the slice and unpin everything
 * @vgpu: vGPU (lock held, or not yet/no longer visible to the user; the
 *	context is off the engines)
 *
 * The guest's entries are forgotten too (power-on state). Pins an unmap in
 * progress took over are its own to release.
 */
void tessera_vgpu_gart_drop_all(struct tessera_vgpu *vgpu)
{
	struct tessera_vgpu_gart_ent *g;
	struct page *page;
	dma_addr_t dma;
	u64 gentry;
	u32 i;

	u64 ticket;

	mutex_lock(&vgpu->gart_lock);
	ticket = guest_op_begin(vgpu);
	for (i = 0; i < vgpu->gart_entries; i++)
		phys_gart_write(vgpu, i, 0);
	phys_gart_flush(vgpu);
	mutex_unlock(&vgpu->gart_lock);
	for (i = 0; i < vgpu->gart_entries; i++) {
		g = &vgpu->gart[i];
		mutex_lock(&vgpu->gart_lock);
		gentry = g->gentry;
		page = g->page;
		dma = g->dma;
		if (page)
			tessera_vgpu_dlog_retire(vgpu, gentry);
		g->page = NULL;
		g->dma = 0;
		g->gentry = 0;
		g->failed = false;
		mutex_unlock(&vgpu->gart_lock);
		pin_release(vgpu, gentry, page, dma);
	}
	guest_op_end(vgpu, ticket);
	vgpu->gart_provisional = 0;
}

/**
 * tessera_vgpu_gart_set_guest() - set the guest's value of an entry, unpinned
 * @vgpu: vGPU (lock held; the entry holds no pin: after drop_all)
 * @idx: entry
 * @val: the guest's value (pinned later by tessera_vgpu_gart_write())
 */
void tessera_vgpu_gart_set_guest(struct tessera_vgpu *vgpu, u32 idx, u64 val)
{
	lockdep_assert_held(&vgpu->lock);
	mutex_lock(&vgpu->gart_lock);
	vgpu->gart[idx].gentry = val & GENTRY_BITS;
	vgpu->gart[idx].failed = false;
	mutex_unlock(&vgpu->gart_lock);
}

/* An entry the guest left pointing at memory it does not own. */
static void gart_error(struct tessera_vgpu *vgpu, u32 idx, u64 iova, int err)
{
	vgpu->gart_errors++;
	vgpu->error = true;
	dev_warn_ratelimited(&vgpu->mdev->dev,
			     "GART entry %u: guest address 0x%llx is not mapped for this vGPU (%d); entry left invalid\n",
			     idx, iova, err);
}

/**
 * tessera_vgpu_gart_settle() - decide a provisional pin failure
 * @vgpu: vGPU (lock held)
 * @entry: GART entry the current BAR0 access touches, or -1
 *
 * Called before every BAR0 access. A provisional failure (from a 32-bit
 * half write) of an entry other than @entry becomes an error now.
 */
void tessera_vgpu_gart_settle(struct tessera_vgpu *vgpu, s64 entry)
{
	struct tessera_vgpu_gart_ent *g;
	u32 i;

	lockdep_assert_held(&vgpu->lock);
	if (!vgpu->gart_provisional)
		return;
	i = vgpu->gart_provisional - 1;
	if (i == entry)
		return;
	vgpu->gart_provisional = 0;
	g = &vgpu->gart[i];
	if (g->failed)
		gart_error(vgpu, i, g->gentry & TESSERA_GART_ADDR_MASK, -EFAULT);
}

/**
 * tessera_vgpu_gart_write() - the guest wrote GART entry @idx
 * @vgpu: vGPU (lock held)
 * @idx: entry in the slice (checked by the caller)
 * @val: the new entry
 * @half: only one 32-bit half of it was written (the value may be an
 *	intermediate one)
 */
void tessera_vgpu_gart_write(struct tessera_vgpu *vgpu, u32 idx, u64 val,
			     bool half)
{
	struct tessera_vgpu_gart_ent *g = &vgpu->gart[idx];
	struct page *page = NULL, *old_page;
	dma_addr_t dma = 0, old_dma;
	u64 old_gentry, iova, phys = 0;
	bool want_pin, raced;
	u64 gen, ticket;
	int ret = 0;

	lockdep_assert_held(&vgpu->lock);
	val &= GENTRY_BITS;
	iova = val & TESSERA_GART_ADDR_MASK;
	mutex_lock(&vgpu->gart_lock);
	/* Unchanged: nothing to do, unless the shadow was dropped by an
	 * unmap and the guest asks again (not after a failed pin).
	 */
	if (val == g->gentry &&
	    (g->page || g->failed || !(val & TESSERA_GART_VALID))) {
		mutex_unlock(&vgpu->gart_lock);
		return;
	}
	ticket = guest_op_begin(vgpu);
	/* A range being unmapped is not pinned again (type1 retries). */
	want_pin = (val & TESSERA_GART_VALID) && vgpu->open &&
		   !in_unmap(vgpu, iova);
	gen = vgpu->unmap_gen;
	mutex_unlock(&vgpu->gart_lock);
	if (vgpu->gart_provisional == idx + 1)
		vgpu->gart_provisional = 0;
	if (want_pin)
		ret = pin_entry(vgpu, val, &page, &dma);

	mutex_lock(&vgpu->gart_lock);
	/* An unmap of this page began or ended while we pinned it. */
	raced = page && (in_unmap(vgpu, iova) ||
			 (vgpu->unmap_gen != gen &&
			  iova >= vgpu->unmap_last_iova &&
			  iova < vgpu->unmap_last_end));
	if (!ret && page && !raced)
		phys = (dma & TESSERA_GART_ADDR_MASK) | TESSERA_GART_VALID |
		       (val & TESSERA_GART_WRITABLE);
	/*
	 * The new page first, then one write of the physical entry: as on
	 * hardware, an access through the entry sees the old or the new
	 * page, never an invalid entry in between.
	 */
	phys_gart_write(vgpu, idx, phys);
	phys_gart_flush(vgpu);
	old_gentry = g->gentry;
	old_page = g->page;
	old_dma = g->dma;
	if (old_page)
		tessera_vgpu_dlog_retire(vgpu, old_gentry);
	g->gentry = val;
	g->page = phys ? page : NULL;
	g->dma = phys ? dma : 0;
	g->failed = ret != 0;
	mutex_unlock(&vgpu->gart_lock);
	if (raced)
		pin_release(vgpu, val, page, dma);
	/* The old page goes once nothing can be using it any more. */
	if (old_page) {
		gart_drain(vgpu);
		pin_release(vgpu, old_gentry, old_page, old_dma);
	}
	guest_op_end(vgpu, ticket);
	if (!ret)
		return;
	if (half)
		vgpu->gart_provisional = idx + 1;
	else
		gart_error(vgpu, idx, iova, ret);
}

/**
 * tessera_vgpu_gart_dma_unmap() - the user unmapped [iova, iova + length)
 * @vgpu: vGPU (no lock held: called by type1 under its device_list_lock)
 * @iova: start
 * @length: bytes
 *
 * Every shadowed entry in the range is invalidated and unpinned; the
 * guest's entry is kept, so a job using it now faults. Takes only
 * vgpu->gart_lock, and never across the unpin.
 */
void tessera_vgpu_gart_dma_unmap(struct tessera_vgpu *vgpu, u64 iova,
				 u64 length)
{
	struct tessera_vgpu_gart_ent *g;
	u64 end = iova + length, target;
	bool any = false;
	u32 i;

	if (end < iova)
		end = U64_MAX;
	mutex_lock(&vgpu->gart_lock);
	/* The same mapping again: type1 retries, a pin raced with us. */
	if (iova == vgpu->unmap_last_iova && end == vgpu->unmap_last_end) {
		vgpu->unmap_hold = true;
		vgpu->unmap_hold_until = jiffies + UNMAP_HOLD;
		vgpu->unmap_retries++;
	}
	vgpu->unmap_iova = iova;
	vgpu->unmap_end = end;
	vgpu->unmap_gen++;
	for (i = 0; i < vgpu->gart_entries; i++) {
		u64 a;

		g = &vgpu->gart[i];
		a = g->gentry & TESSERA_GART_ADDR_MASK;
		if (!g->page || a < iova || a >= end)
			continue;
		phys_gart_write(vgpu, i, 0);
		tessera_vgpu_dlog_retire(vgpu, g->gentry);
		/* Ours now: the guest side no longer sees the pin. */
		g->zap_page = g->page;
		g->zap_dma = g->dma;
		g->zap_gentry = g->gentry;
		g->page = NULL;
		g->dma = 0;
		any = true;
	}
	if (any)
		phys_gart_flush(vgpu);
	target = vgpu->gart_seq;
	mutex_unlock(&vgpu->gart_lock);
	if (any) {
		gart_drain(vgpu);
		for (i = 0; i < vgpu->gart_entries; i++) {
			struct page *page;
			dma_addr_t dma;
			u64 gentry;

			g = &vgpu->gart[i];
			mutex_lock(&vgpu->gart_lock);
			page = g->zap_page;
			dma = g->zap_dma;
			gentry = g->zap_gentry;
			g->zap_page = NULL;
			mutex_unlock(&vgpu->gart_lock);
			pin_release(vgpu, gentry, page, dma);
		}
	}
	/*
	 * Guest operations that began before the zap may hold unrecorded pins
	 * of the range; later ones pin nothing in it. Bounded: on a stock
	 * type1 a device registration holding iommu->lock can wait for our
	 * caller's device_list_lock while a guest operation waits for
	 * iommu->lock.
	 */
	if (!wait_event_timeout(vgpu->gart_wq, guest_ops_done(vgpu, target),
				HZ))
		dev_warn_ratelimited(&vgpu->mdev->dev,
				     "dma_unmap: a GART update did not finish in 1 s\n");
	mutex_lock(&vgpu->gart_lock);
	vgpu->unmap_last_iova = iova;
	vgpu->unmap_last_end = end;
	vgpu->unmap_iova = 0;
	vgpu->unmap_end = 0;
	vgpu->unmap_gen++;
	mutex_unlock(&vgpu->gart_lock);
}
