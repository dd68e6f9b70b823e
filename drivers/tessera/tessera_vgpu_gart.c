// SPDX-License-Identifier: GPL-2.0
/*
 * GART shadow of a vGPU.
 *
 * The guest writes GART entries of its slice with guest-physical
 * addresses: IOVAs of the VFIO container. Each valid entry is shadowed:
 * the page is pinned (vfio_pin_pages), mapped for the physical GPU with
 * the DMA API, and the DMA address goes into the physical GART entry
 * slice_base + i. The physical entry is always invalidated before the old
 * page is released, and the shadow is dropped on the vfio dma_unmap
 * callback for the range, on reset and on close.
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

/* Drop the pin and DMA mapping of an entry already invalid in hardware. */
static void ent_release(struct tessera_vgpu *vgpu, u32 i)
{
	struct tessera_vgpu_gart_ent *g = &vgpu->gart[i];

	if (!g->page)
		return;
	dma_unmap_page(&vgpu->tdev->pdev->dev, g->dma, PAGE_SIZE,
		       g->gentry & TESSERA_GART_WRITABLE ? DMA_BIDIRECTIONAL :
		       DMA_TO_DEVICE);
	vfio_unpin_pages(&vgpu->vdev, g->gentry & TESSERA_GART_ADDR_MASK, 1);
	g->page = NULL;
	g->dma = 0;
	vgpu->gart_pinned--;
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
	struct device *dev = &vgpu->tdev->pdev->dev;
	bool writable = val & TESSERA_GART_WRITABLE;
	u64 iova = val & TESSERA_GART_ADDR_MASK;
	struct page *page;
	dma_addr_t dma;
	int ret;

	val &= GENTRY_BITS;
	/* Unchanged: nothing to do, unless the shadow was dropped by an
	 * unmap and the guest asks again (not after a failed pin).
	 */
	if (val == g->gentry &&
	    (g->page || g->failed || !(val & TESSERA_GART_VALID)))
		return;
	/* The device must stop using the old page before it is released. */
	phys_gart_write(vgpu, idx, 0);
	phys_gart_flush(vgpu);
	ent_release(vgpu, idx);
	g->gentry = val;
	g->failed = false;
	if (vgpu->gart_provisional == idx + 1)
		vgpu->gart_provisional = 0;
	if (!(val & TESSERA_GART_VALID) || !vgpu->open)
		return;

	ret = vfio_pin_pages(&vgpu->vdev, iova, 1,
			     IOMMU_READ | (writable ? IOMMU_WRITE : 0), &page);
	if (ret != 1) {
		g->failed = true;
		if (half)
			vgpu->gart_provisional = idx + 1;
		else
			gart_error(vgpu, idx, iova, ret);
		return;
	}
	dma = dma_map_page(dev, page, 0, PAGE_SIZE,
			   writable ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE);
	if (dma_mapping_error(dev, dma)) {
		vfio_unpin_pages(&vgpu->vdev, iova, 1);
		g->failed = true;
		vgpu->gart_errors++;
		vgpu->error = true;
		dev_warn_ratelimited(&vgpu->mdev->dev,
				     "GART entry %u: DMA mapping failed; entry left invalid\n",
				     idx);
		return;
	}
	g->page = page;
	g->dma = dma;
	vgpu->gart_pinned++;
	phys_gart_write(vgpu, idx, (dma & TESSERA_GART_ADDR_MASK) |
			TESSERA_GART_VALID |
			(writable ? TESSERA_GART_WRITABLE : 0));
	phys_gart_flush(vgpu);
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
		for (i = 0; i < vgpu->gart_entries; i++) {
			u64 a = vgpu->gart[i].gentry & TESSERA_GART_ADDR_MASK;

			if (vgpu->gart[i].page && a >= iova && a < end)
				ent_release(vgpu, i);
		}
	}
	mutex_unlock(&vgpu->lock);
}
