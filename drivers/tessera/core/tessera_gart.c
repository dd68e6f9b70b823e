// SPDX-License-Identifier: GPL-2.0
/*
 * GART management: the device-wide allocator of context GART windows and
 * the mapping of user memory into a context's window (pin_user_pages, then
 * the DMA API, so that with an IOMMU every entry holds an IOVA).
 */
#include <linux/capability.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_gart.h"
#include "tessera_sched.h"

/*
 * Entries between chances to reschedule in loops over a window: on a vGPU
 * every entry write is a trapped MMIO access, and under nested
 * virtualisation a window of thousands of entries takes seconds (a soft
 * lockup without them).
 */
#define GART_RESCHED_ENTRIES	256

/**
 * tessera_gart_init() - set up the GART window allocator
 * @tdev: device
 *
 * Return: 0 or a negative errno.
 */
int tessera_gart_init(struct tessera_device *tdev)
{
	int ret;

	/* The device was just reset: every entry is 0. */
	tdev->gart_live = bitmap_zalloc(tdev->gart_entries, GFP_KERNEL);
	if (!tdev->gart_live)
		return -ENOMEM;
	ret = tessera_buddy_init(&tdev->gart_alloc,
				 (u64)tdev->gart_entries * TESSERA_PAGE_SIZE,
				 TESSERA_PAGE_SHIFT);
	if (ret) {
		dev_err(&tdev->pdev->dev, "GART allocator: %d\n", ret);
		bitmap_free(tdev->gart_live);
		tdev->gart_live = NULL;
	}
	return ret;
}

/**
 * tessera_gart_fini() - tear down the GART window allocator
 * @tdev: device
 */
void tessera_gart_fini(struct tessera_device *tdev)
{
	tessera_buddy_fini(&tdev->gart_alloc);
	bitmap_free(tdev->gart_live);
	tdev->gart_live = NULL;
}

/**
 * tessera_gart_note() - record what was written to a GART entry
 * @tdev: device
 * @entry: entry number
 * @val: the value written
 *
 * Every writer of physical GART entries calls this, so that a new window
 * needs to clear only the entries that may still hold a value.
 */
void tessera_gart_note(struct tessera_device *tdev, u32 entry, u64 val)
{
	if (val)
		set_bit(entry, tdev->gart_live);
	else
		clear_bit(entry, tdev->gart_live);
}

/**
 * tessera_gart_window_alloc() - allocate a context's GART window
 * @tdev: device
 * @entries: number of entries (a power of two)
 * @base: out, first entry
 *
 * The window's entries are invalid on return: those that may hold a
 * value (@tdev->gart_live; a context that died with the device kept its
 * entries) are cleared, the others are 0 since the last device reset.
 *
 * Return: 0 or -ENOSPC.
 */
int tessera_gart_window_alloc(struct tessera_device *tdev, u32 entries,
			      u32 *base)
{
	unsigned long i, n = 0;
	u64 off;
	int ret;

	mutex_lock(&tdev->lock);
	ret = tessera_buddy_alloc(&tdev->gart_alloc,
				  (u64)entries << TESSERA_PAGE_SHIFT, &off);
	mutex_unlock(&tdev->lock);
	if (ret)
		return ret;
	*base = off >> TESSERA_PAGE_SHIFT;
	i = *base;
	for_each_set_bit_from(i, tdev->gart_live, *base + entries) {
		tessera_hw_gart_set(tdev, i, 0);
		if (!(++n % GART_RESCHED_ENTRIES))
			cond_resched();
	}
	if (n)
		tessera_hw_gart_flush(tdev);
	atomic64_add(entries, &tdev->gart_used);
	return 0;
}

/**
 * tessera_gart_window_free() - return a context's GART window
 * @tdev: device
 * @base: first entry
 * @entries: number of entries
 */
void tessera_gart_window_free(struct tessera_device *tdev, u32 base,
			      u32 entries)
{
	int ret;

	mutex_lock(&tdev->lock);
	ret = tessera_buddy_free(&tdev->gart_alloc,
				 (u64)base << TESSERA_PAGE_SHIFT,
				 (u64)entries << TESSERA_PAGE_SHIFT);
	mutex_unlock(&tdev->lock);
	if (ret)
		dev_err(&tdev->pdev->dev, "GART free of %u+%u: %d\n",
			base, entries, ret);
	else
		atomic64_sub(entries, &tdev->gart_used);
}

/*
 * Long-term pins are charged to mm->pinned_vm against RLIMIT_MEMLOCK, as
 * RDMA's ib_umem and io_uring do, and not with account_locked_vm(): that
 * takes mmap_write_lock, and the release runs under tdev->hw_sem (an
 * unmap ioctl, a file's release), which tessera_vm_fault takes under
 * mmap_lock: an ABBA that lockdep reports and a queued down_write makes
 * real. (The device's removal releases under tdev->lock instead, which
 * must not take mmap_lock either: DOC: Locking in tessera_drv.h.)
 */
static int gart_account_pinned(struct mm_struct *mm, unsigned long npages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	s64 pinned = atomic64_add_return(npages, &mm->pinned_vm);

	if (pinned > limit && !capable(CAP_IPC_LOCK)) {
		atomic64_sub(npages, &mm->pinned_vm);
		return -ENOMEM;
	}
	return 0;
}

static void gart_unaccount_pinned(struct mm_struct *mm, unsigned long npages)
{
	atomic64_sub(npages, &mm->pinned_vm);
}

static void gart_release_pages(struct tessera_ctx *ctx,
			       struct tessera_gart_mapping *m, bool dma_mapped)
{
	struct tessera_device *tdev = ctx->tdev;

	if (dma_mapped)
		dma_unmap_sgtable(&tdev->pdev->dev, &m->sgt,
				  m->writable ? DMA_BIDIRECTIONAL :
				  DMA_TO_DEVICE, 0);
	sg_free_table(&m->sgt);
	unpin_user_pages_dirty_lock(m->pages, m->npages, m->writable);
	gart_unaccount_pinned(m->mm, m->npages);
	mmdrop(m->mm);
	kvfree(m->pages);
	atomic64_sub(m->npages, &tdev->pinned_pages);
}

/**
 * tessera_gart_map_user() - pin user memory and map it in the GART window
 * @ctx: context (its lock is taken)
 * @uaddr: page-aligned user address
 * @size: bytes, a non-zero multiple of the page size
 * @writable: engines may write
 * @out: the new mapping (also inserted in @ctx->maps)
 *
 * Context: process, without tdev->hw_sem: the pages are pinned first
 * (which takes mmap_lock and may fault), then hw_sem is taken for the
 * DMA mapping and the GART entries.
 *
 * Return: 0, -EINVAL on bad arguments, -EFAULT when the memory cannot be
 * pinned, -ENOSPC when the window is full, -ENODEV once the device or the
 * context is gone, -ENOMEM.
 */
int tessera_gart_map_user(struct tessera_ctx *ctx, u64 uaddr, u64 size,
			  bool writable, struct tessera_gart_mapping **out)
{
	struct tessera_device *tdev = ctx->tdev;
	enum dma_data_direction dir = writable ? DMA_BIDIRECTIONAL :
					DMA_TO_DEVICE;
	struct tessera_gart_mapping *m;
	struct sg_dma_page_iter iter;
	unsigned long i;
	long pinned;
	u32 id;
	int ret;

	if (!size || (uaddr | size) & (PAGE_SIZE - 1) || uaddr + size < uaddr ||
	    size > ctx->gart_size)
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(uaddr), size))
		return -EFAULT;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->npages = size >> PAGE_SHIFT;
	m->writable = writable;
	m->pages = kvmalloc_array(m->npages, sizeof(*m->pages), GFP_KERNEL);
	if (!m->pages) {
		ret = -ENOMEM;
		goto err_free;
	}

	ret = gart_account_pinned(current->mm, m->npages);
	if (ret)
		goto err_free;
	m->mm = current->mm;
	mmgrab(m->mm);

	pinned = pin_user_pages_fast(uaddr, m->npages,
				     FOLL_LONGTERM | (writable ? FOLL_WRITE : 0),
				     m->pages);
	if (pinned != m->npages) {
		if (pinned > 0)
			unpin_user_pages(m->pages, pinned);
		ret = pinned < 0 ? (int)pinned : -EFAULT;
		gart_unaccount_pinned(m->mm, m->npages);
		mmdrop(m->mm);
		goto err_free;
	}
	atomic64_add(m->npages, &tdev->pinned_pages);

	down_read(&tdev->hw_sem);
	if (tdev->dead || READ_ONCE(ctx->dead)) {
		ret = -ENODEV;
		goto err_pages;
	}
	ret = sg_alloc_table_from_pages(&m->sgt, m->pages, m->npages, 0, size,
					GFP_KERNEL);
	if (ret) {
		m->sgt.sgl = NULL;
		goto err_pages;
	}
	ret = dma_map_sgtable(&tdev->pdev->dev, &m->sgt, dir, 0);
	if (ret)
		goto err_pages;

	mutex_lock(&ctx->lock);
	if (ctx->dead) {
		ret = -ENODEV;
		goto err_unlock;
	}
	ret = tessera_buddy_alloc(&ctx->gart_heap, size, &m->offset);
	if (ret)
		goto err_unlock;
	m->window_size = tessera_buddy_block_size(&ctx->gart_heap, size);
	ret = xa_alloc(&ctx->maps, &id, m, xa_limit_31b, GFP_KERNEL);
	if (ret) {
		tessera_buddy_free(&ctx->gart_heap, m->offset, size);
		goto err_unlock;
	}
	m->handle = id;
	i = ctx->gart_base + (m->offset >> TESSERA_PAGE_SHIFT);
	for_each_sgtable_dma_page(&m->sgt, &iter, 0) {
		u64 e = sg_page_iter_dma_address(&iter) & TESSERA_GART_ADDR_MASK;

		e |= TESSERA_GART_VALID;
		if (writable)
			e |= TESSERA_GART_WRITABLE;
		tessera_hw_gart_set(tdev, i++, e);
		if (!(i % GART_RESCHED_ENTRIES))
			cond_resched();
	}
	tessera_hw_gart_flush(tdev);
	ctx->pinned_pages += m->npages;
	mutex_unlock(&ctx->lock);
	atomic_inc(&tdev->nr_maps);
	up_read(&tdev->hw_sem);
	*out = m;
	return 0;

err_unlock:
	mutex_unlock(&ctx->lock);
	gart_release_pages(ctx, m, true);
	up_read(&tdev->hw_sem);
	kfree(m);
	return ret;
err_pages:
	gart_release_pages(ctx, m, false);
	up_read(&tdev->hw_sem);
	kfree(m);
	return ret;
err_free:
	kvfree(m->pages);
	kfree(m);
	return ret;
}

/**
 * tessera_gart_unmap() - invalidate, DMA-unmap and unpin a mapping
 * @ctx: context; @m must already be removed from @ctx->maps
 * @m: mapping (freed)
 * @quiesce: take the context off the engines before the DMA unmap (not
 *           needed when the caller already did)
 *
 * The entries are invalidated first, then the context is taken off the
 * engines (so that no access through an old entry is in flight), and only
 * then are the pages DMA-unmapped and unpinned.
 */
void tessera_gart_unmap(struct tessera_ctx *ctx, struct tessera_gart_mapping *m,
			bool quiesce)
{
	struct tessera_device *tdev = ctx->tdev;
	unsigned long i, first;

	mutex_lock(&ctx->lock);
	if (!ctx->dead) {
		first = ctx->gart_base + (m->offset >> TESSERA_PAGE_SHIFT);
		for (i = 0; i < m->npages; i++) {
			tessera_hw_gart_set(tdev, first + i, 0);
			if (!((i + 1) % GART_RESCHED_ENTRIES))
				cond_resched();
		}
		tessera_hw_gart_flush(tdev);
	}
	tessera_buddy_free(&ctx->gart_heap, m->offset, m->npages << PAGE_SHIFT);
	ctx->pinned_pages -= m->npages;
	mutex_unlock(&ctx->lock);

	if (quiesce && !READ_ONCE(ctx->dead)) {
		tessera_sched_quiesce_ctx(ctx);
		tessera_sched_resume_ctx(ctx);
	}
	gart_release_pages(ctx, m, true);
	atomic_dec(&tdev->nr_maps);
	kfree(m);
}
