// SPDX-License-Identifier: GPL-2.0
/*
 * Straight-through apertures of a vGPU.
 *
 * BAR2 is exactly the vGPU's VRAM partition of the physical BAR2 and BAR4
 * is its context's doorbell page of the physical BAR4. Both can be
 * mmapped (a sparse-mmap area covering the whole BAR): pages are inserted
 * on fault (vmf_insert_pfn), so that unmap_mapping_range() revokes them on
 * reset and removal. Both can also be accessed through read/write on the
 * region; BAR0 never can be mmapped (every register is trapped).
 *
 * Revoking zaps the vGPU's ranges of the device file's address space. From
 * 6.10 that address space is the VFIO device's own inode's. Before, every
 * VFIO device file shares the anonymous inode, and with vfio-pci's offsets
 * (index << 40) one vGPU's reset would zap every vGPU's mappings: there
 * each vGPU's offsets carry a tag of its own (TESSERA_VGPU_TAG_SHIFT),
 * which REGION_INFO reports and every access checks.
 */
#include <linux/idr.h>
#include <linux/mm.h>

#include "tessera_compat.h"
#include "tessera_vgpu.h"

/**
 * tessera_vgpu_bar_size() - size of a virtual BAR
 * @vgpu: vGPU
 * @bar: BAR number
 *
 * Return: bytes, 0 for an unimplemented BAR.
 */
u64 tessera_vgpu_bar_size(struct tessera_vgpu *vgpu, u32 bar)
{
	switch (bar) {
	case TESSERA_BAR_CSR:
		return TESSERA_CSR_BAR_SIZE;
	case TESSERA_BAR_VRAM:
		return vgpu->vram_size;
	case TESSERA_BAR_DOORBELL:
		return TESSERA_DOORBELL_PAGE_SIZE;
	default:
		return 0;
	}
}

/**
 * tessera_vgpu_aperture_rw() - read/write BAR2 or BAR4 through the region
 * @vgpu: vGPU (lock held)
 * @bar: TESSERA_BAR_VRAM or TESSERA_BAR_DOORBELL
 * @buf: kernel buffer
 * @count: bytes
 * @pos: offset in the BAR
 * @write: direction
 *
 * Return: @count or -EINVAL when the access leaves the BAR (the caller
 * has shortened accesses that cross the end).
 */
ssize_t tessera_vgpu_aperture_rw(struct tessera_vgpu *vgpu, u32 bar,
				 char *buf, size_t count, loff_t pos,
				 bool write)
{
	u64 size = tessera_vgpu_bar_size(vgpu, bar);
	u32 e;

	if (pos < 0 || pos >= size || count > size - pos)
		return -EINVAL;
	if (bar == TESSERA_BAR_VRAM) {
		if (write) {
			tessera_vgpu_mig_mark(vgpu, pos, count);
			tessera_ctx_vram_write(vgpu->ctx, pos, buf, count);
		} else {
			tessera_ctx_vram_read(vgpu->ctx, pos, buf, count);
		}
		return count;
	}
	/* Doorbell page: 4-byte accesses at DB_TAIL(e) of existing engines. */
	e = pos / TESSERA_DB_TAIL(1);
	if (count != 4 || pos % TESSERA_DB_TAIL(1) ||
	    e >= vgpu->info->num_engines) {
		if (!write)
			memset(buf, 0, count);
		return count;
	}
	if (write)
		writel(get_unaligned_le32(buf), vgpu->db + pos);
	else
		put_unaligned_le32(readl(vgpu->db + pos), buf);
	return count;
}

static vm_fault_t tessera_vgpu_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct tessera_vgpu *vgpu = vma->vm_private_data;
	u64 off = (u64)vmf->pgoff << PAGE_SHIFT;
	u32 bar = TESSERA_VGPU_OFF_INDEX(off);	/* tag checked at mmap */
	u64 pos = off & TESSERA_VGPU_OFF_MASK;
	unsigned long pfn;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	/* A reset or a memory-decoding change holds faults off until done. */
	down_read(&vgpu->mem_sem);
	if (pos >= tessera_vgpu_bar_size(vgpu, bar) || !vgpu->ctx ||
	    !vgpu->mem_on)
		goto out;
	if (bar == TESSERA_BAR_VRAM) {
		pfn = PHYS_PFN(vgpu->info->vram_phys +
			       vgpu->ctx_info.vram_base + pos);
	} else if (bar == TESSERA_BAR_DOORBELL) {
		pfn = tessera_doorbell_pfn(vgpu->ctx);
	} else {
		goto out;
	}
	ret = vmf_insert_pfn(vma, vmf->address, pfn);
	/*
	 * Mapped (again, after a revocation): may be written from now on.
	 * Read and write faults are not told apart. Marked after the
	 * insertion, so that a migration sweep (revoke, then collect the
	 * bits) never misses a write through this mapping.
	 */
	if (bar == TESSERA_BAR_VRAM)
		tessera_vgpu_mig_mark(vgpu, pos, PAGE_SIZE);
	if (ret == VM_FAULT_NOPAGE)
		atomic64_inc(&vgpu->mmap_faults);
out:
	up_read(&vgpu->mem_sem);
	return ret;
}

static const struct vm_operations_struct tessera_vgpu_vm_ops = {
	.fault = tessera_vgpu_fault,
};

/**
 * tessera_vgpu_mmap() - map BAR2 (VRAM partition) or BAR4 (doorbell page)
 * @vdev: VFIO device
 * @vma: the mapping; offset selects the region
 *
 * Return: 0, -EINVAL (not a mappable region, out of range, not shared).
 */
int tessera_vgpu_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	u64 size, pos;
	u32 bar;

	if (vma->vm_pgoff > (U64_MAX >> PAGE_SHIFT) ||
	    tessera_vgpu_region_decode(vgpu, off, &bar, &pos))
		return -EINVAL;
	if (bar != TESSERA_BAR_VRAM && bar != TESSERA_BAR_DOORBELL)
		return -EINVAL;
	size = tessera_vgpu_bar_size(vgpu, bar);
	if (pos >= size || len > size - pos)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (bar == TESSERA_BAR_VRAM)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	else
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	tessera_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
			     VM_DONTDUMP);
	vma->vm_private_data = vgpu;
	vma->vm_ops = &tessera_vgpu_vm_ops;
	/*
	 * Not under vgpu->lock: mmap runs under mmap_lock (write), and a
	 * GART write holds vgpu->lock around vfio_pin_pages, which takes
	 * mmap_lock (read) -- an ABBA deadlock between QEMU's BAR mmaps and
	 * the guest's GART writes. The address space is the device file's
	 * and outlives every mapping of it.
	 */
	WRITE_ONCE(vgpu->mapping, vma->vm_file->f_mapping);
	return 0;
}

/* Tags of the vGPUs' region offsets, unique among all vGPUs (all GPUs). */
static DEFINE_IDA(tessera_vgpu_tags);

/**
 * tessera_vgpu_offsets_init() - give a new vGPU its region offsets
 * @vgpu: vGPU, not yet registered
 *
 * vfio-pci's layout where each VFIO device file has its own inode; a
 * unique tag in the offsets where all share one (TESSERA_VFIO_SHARED_INODE).
 *
 * Return: 0, or -ENOSPC when every tag is in use.
 */
int tessera_vgpu_offsets_init(struct tessera_vgpu *vgpu)
{
	int tag;

	vgpu->off_base = 0;
	if (!TESSERA_VFIO_SHARED_INODE)
		return 0;
	tag = ida_alloc_range(&tessera_vgpu_tags, 1, TESSERA_VGPU_TAG_MAX,
			      GFP_KERNEL);
	if (tag < 0)
		return tag == -ENOMEM ? -ENOMEM : -ENOSPC;
	vgpu->off_base = (u64)tag << TESSERA_VGPU_TAG_SHIFT;
	return 0;
}

/**
 * tessera_vgpu_offsets_fini() - release a vGPU's offset tag
 * @vgpu: vGPU, unregistered: its device file and every mapping of it
 *	  are gone
 */
void tessera_vgpu_offsets_fini(struct tessera_vgpu *vgpu)
{
	if (vgpu->off_base)
		ida_free(&tessera_vgpu_tags,
			 vgpu->off_base >> TESSERA_VGPU_TAG_SHIFT);
	vgpu->off_base = 0;
}
