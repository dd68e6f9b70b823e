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
	u32 reg = TESSERA_GART_ENTRY(vgpu->ctx->gart_base + i);

#ifdef CONFIG_64BIT
	writeq(val, vgpu->tdev->csr + reg);
#else
	tessera_wr64(vgpu->tdev, reg, val);
#endif
}

static void phys_gart_flush(struct tessera_vgpu *vgpu)
{
	tessera_rd(vgpu->tdev, TESSERA_REG_STATUS);
}

/*
 * The physical entries just invalidated (and flushed) may still be in use
 * by an access in flight of the vGPU's context on an engine (a COPY that
 * translated the page before the write). Take the context off the engines
 * when it may be running, so that nothing is in flight when the pages are
 * released, then give the started virtual engines their rings back.
 */
static void gart_drain(struct tessera_vgpu *vgpu)
{
	u32 e;

	lockdep_assert_held(&vgpu->lock);
	if (!tessera_sched_ctx_active(vgpu->ctx))
		return;
	tessera_sched_quiesce_ctx(vgpu->ctx);
	for (e = 0; e < vgpu->tdev->num_engines; e++)
		if (vgpu->s.eng[e].state == TESSERA_VENG_STARTED)
			tessera_vgpu_ring_block(vgpu, e, false);
	vgpu->gart_drains++;
}

/* Drop a pin and DMA mapping that no physical entry names any more. */
static void pin_release(struct tessera_vgpu *vgpu, u64 gentry,
			struct page *page, dma_addr_t dma)
{
	if (!page)
		return;
	dma_unmap_page(&vgpu->tdev->pdev->dev, dma, PAGE_SIZE,
		       gentry & TESSERA_GART_WRITABLE ? DMA_BIDIRECTIONAL :
		       DMA_TO_DEVICE);
	vfio_unpin_pages(&vgpu->vdev, gentry & TESSERA_GART_ADDR_MASK, 1);
	vgpu->gart_pinned--;
}

/* Drop the pin and DMA mapping of an entry already invalid in hardware. */
static void ent_release(struct tessera_vgpu *vgpu, u32 i)
{
	struct tessera_vgpu_gart_ent *g = &vgpu->gart[i];

	pin_release(vgpu, g->gentry, g->page, g->dma);
	g->page = NULL;
	g->dma = 0;
}

/* Pin and DMA-map the page of a valid guest entry; 0 or a negative errno. */
static int pin_entry(struct tessera_vgpu *vgpu, u64 val, struct page **page,
		     dma_addr_t *dma)
{
	struct device *dev = &vgpu->tdev->pdev->dev;
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
		return -ENOMEM;
	}
	vgpu->gart_pinned++;
	return 0;
}

/**
 * tessera_vgpu_gart_init() - allocate the shadow
 * @vgpu: vGPU
 *
 * Return: 0 or -ENOMEM.
 */
int tessera_vgpu_gart_init(struct tessera_vgpu *vgpu)
{
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
}

/**
 * tessera_vgpu_gart_drop_all() - invalidate the slice and unpin everything
 * @vgpu: vGPU (lock held, or not yet/no longer visible to the user)
 *
 * The guest's entries are forgotten too (power-on state).
 */
void tessera_vgpu_gart_drop_all(struct tessera_vgpu *vgpu)
{
	u32 i;

	for (i = 0; i < vgpu->gart_entries; i++)
		phys_gart_write(vgpu, i, 0);
	phys_gart_flush(vgpu);
	for (i = 0; i < vgpu->gart_entries; i++) {
		ent_release(vgpu, i);
		vgpu->gart[i].gentry = 0;
		vgpu->gart[i].failed = false;
	}
	vgpu->gart_provisional = 0;
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
	struct tessera_vgpu_gart_ent old = *g;
	struct page *page = NULL;
	dma_addr_t dma = 0;
	u64 phys = 0;
	int ret = 0;

	lockdep_assert_held(&vgpu->lock);
	val &= GENTRY_BITS;
	/* Unchanged: nothing to do, unless the shadow was dropped by an
	 * unmap and the guest asks again (not after a failed pin).
	 */
	if (val == g->gentry &&
	    (g->page || g->failed || !(val & TESSERA_GART_VALID)))
		return;
	if (vgpu->gart_provisional == idx + 1)
		vgpu->gart_provisional = 0;
	/*
	 * The new page first, then one write of the physical entry: as on
	 * hardware, an access through the entry sees the old or the new
	 * page, never an invalid entry in between.
	 */
	if ((val & TESSERA_GART_VALID) && vgpu->open) {
		ret = pin_entry(vgpu, val, &page, &dma);
		if (!ret)
			phys = (dma & TESSERA_GART_ADDR_MASK) | TESSERA_GART_VALID |
			       (val & TESSERA_GART_WRITABLE);
	}
	phys_gart_write(vgpu, idx, phys);
	phys_gart_flush(vgpu);
	g->gentry = val;
	g->page = page;
	g->dma = dma;
	g->failed = ret != 0;
	/* The old page goes once nothing can be using it any more. */
	if (old.page) {
		gart_drain(vgpu);
		pin_release(vgpu, old.gentry, old.page, old.dma);
	}
	if (!ret)
		return;
	if (half)
		vgpu->gart_provisional = idx + 1;
	else
		gart_error(vgpu, idx, val & TESSERA_GART_ADDR_MASK, ret);
}

/**
 * tessera_vgpu_gart_dma_unmap() - the user unmapped [iova, iova + length)
 * @vgpu: vGPU
 * @iova: start
 * @length: bytes
 *
 * Every shadowed entry in the range is invalidated and unpinned; the
 * guest's entry is kept, so a job using it now faults.
 */
void tessera_vgpu_gart_dma_unmap(struct tessera_vgpu *vgpu, u64 iova,
				 u64 length)
{
	u64 end = iova + length;
	bool any = false;
	u32 i;

	if (end < iova)
		end = U64_MAX;
	mutex_lock(&vgpu->lock);
	for (i = 0; i < vgpu->gart_entries; i++) {
		u64 a = vgpu->gart[i].gentry & TESSERA_GART_ADDR_MASK;

		if (!vgpu->gart[i].page || a < iova || a >= end)
			continue;
		phys_gart_write(vgpu, i, 0);
		any = true;
	}
	if (any) {
		phys_gart_flush(vgpu);
		gart_drain(vgpu);
		for (i = 0; i < vgpu->gart_entries; i++) {
			u64 a = vgpu->gart[i].gentry & TESSERA_GART_ADDR_MASK;

			if (vgpu->gart[i].page && a >= iova && a < end)
				ent_release(vgpu, i);
		}
	}
	mutex_unlock(&vgpu->lock);
}
