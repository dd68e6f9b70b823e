// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware contexts: one per client. A context owns a VRAM window (rings
 * and buffers, sub-allocated with tessera_buddy), a GART window (user
 * mappings) and one ring per engine. Context 0 stays with the host and is
 * never handed out.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_guest.h"
#include "tessera_ctx.h"
#include "tessera_gart.h"
#include "tessera_sched.h"
#include "tessera_vram.h"
#include "tessera_hw_core.h"

#define TESSERA_MAX_BO_HANDLE	((1u << 20) - 1)

static void ctx_program(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;
	struct tessera_hw_window w = {
		.vram_base = ctx->vram_base,
		.vram_size = ctx->vram_size,
		.gart_base = ctx->gart_base,
		.gart_entries = ctx->gart_size >> TESSERA_PAGE_SHIFT,
	};
	u32 c = ctx->id, e;

	/* Invalid while its rings are set up, then valid. */
	tessera_hw_ctx_set(tdev, c, &w);
	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_ring *ring = &ctx->rings[e];
		struct tessera_hw_ring r = {
			.base = ring->offset,
			.size = ring->size,
		};

		tessera_hw_ring_set(tdev, c, e, &r);
		ring->fence_base = tessera_hw_ring_fence(tdev, c, e);
	}
	w.valid = true;
	tessera_hw_ctx_set(tdev, c, &w);
}

static int ctx_id_alloc(struct tessera_device *tdev)
{
	unsigned long id;

	id = find_next_zero_bit(tdev->ctx_ids, tdev->num_contexts,
				tessera_guest_first_ctx(tdev));
	if (id >= tdev->num_contexts)
		return -EBUSY;
	set_bit(id, tdev->ctx_ids);
	return id;
}

/**
 * tessera_ctx_create() - allocate and program a hardware context
 * @tdev: device
 *
 * Return: the context, or an ERR_PTR: -EBUSY when all hardware contexts
 * are in use, -ENOSPC when VRAM or GART is exhausted, -ENODEV, -ENOMEM.
 */
struct tessera_ctx *tessera_ctx_create(struct tessera_device *tdev)
{
	u64 vram = tdev->cfg.ctx_vram;

	/*
	 * A GPU smaller than the window (a guest on an 8 MiB vGPU: the
	 * default window is 16 MiB) gives its clients what it has.
	 */
	if (tdev->vram_size >= SZ_64K)
		vram = min_t(u64, vram, rounddown_pow_of_two(tdev->vram_size));
	return tessera_ctx_create_sized(tdev, vram, tdev->cfg.ctx_gart);
}

/**
 * tessera_ctx_create_sized() - tessera_ctx_create() with given window sizes
 * @tdev: device
 * @vram_size: VRAM window bytes (power of two, >= 64 KiB)
 * @gart_size: GART window bytes (power of two multiple of 4 KiB)
 *
 * Used by the vGPU mediation layer, whose partitions depend on the type.
 *
 * Return: as tessera_ctx_create().
 */
struct tessera_ctx *tessera_ctx_create_sized(struct tessera_device *tdev,
					     u64 vram_size, u64 gart_size)
{
	u32 ring_size = tdev->cfg.ring_size;
	struct tessera_ctx *ctx;
	u32 e;
	int ret, id;

	gart_size = min_t(u64, gart_size,
			  rounddown_pow_of_two(tdev->gart_entries) <<
			  TESSERA_PAGE_SHIFT);
	/* Rings of every engine must leave room in a small window. */
	while (ring_size > TESSERA_RING_MIN_SIZE &&
	       (u64)ring_size * TESSERA_MAX_ENGINES * 2 > vram_size)
		ring_size >>= 1;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->tdev = tdev;
	mutex_init(&ctx->lock);
	init_waitqueue_head(&ctx->wq);
	xa_init(&ctx->bos);
	xa_init_flags(&ctx->maps, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&ctx->node);
	ctx->pid = task_tgid_nr(current);
	get_task_comm(ctx->comm, current);

	mutex_lock(&tdev->lock);
	id = tdev->dead ? -ENODEV : ctx_id_alloc(tdev);
	mutex_unlock(&tdev->lock);
	if (id < 0) {
		ret = id;
		goto err_free;
	}
	ctx->id = id;

	ret = tessera_vram_window_alloc(tdev, vram_size, &ctx->vram_base);
	if (ret)
		goto err_id;
	ctx->vram_size = vram_size;
	ret = tessera_gart_window_alloc(tdev, gart_size >> TESSERA_PAGE_SHIFT,
					&ctx->gart_base);
	if (ret)
		goto err_vram;
	ctx->gart_size = gart_size;
	ret = tessera_buddy_init(&ctx->vram_heap, vram_size, TESSERA_PAGE_SHIFT);
	if (ret)
		goto err_gart;
	ret = tessera_buddy_init(&ctx->gart_heap, gart_size, TESSERA_PAGE_SHIFT);
	if (ret)
		goto err_heap;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_ring *ring = &ctx->rings[e];

		ring->ctx = ctx;
		ring->engine = e;
		ring->size = ring_size;
		mutex_init(&ring->lock);
		tessera_sched_entity_init(&ring->ent, ctx->id);
		ret = tessera_buddy_alloc(&ctx->vram_heap, ring_size,
					  &ring->offset);
		if (ret)
			goto err_heaps;
	}
	ctx_program(ctx);

	mutex_lock(&tdev->lock);
	if (tdev->dead) {
		mutex_unlock(&tdev->lock);
		ret = -ENODEV;
		goto err_heaps;
	}
	tdev->ctx_table[ctx->id] = ctx;
	list_add_tail(&ctx->node, &tdev->ctx_list);
	mutex_unlock(&tdev->lock);
	atomic_inc(&tdev->nr_ctx);
	tessera_sched_attach_ctx(ctx);
	return ctx;

err_heaps:
	tessera_buddy_fini(&ctx->gart_heap);
err_heap:
	tessera_buddy_fini(&ctx->vram_heap);
err_gart:
	tessera_gart_window_free(tdev, ctx->gart_base,
				 gart_size >> TESSERA_PAGE_SHIFT);
err_vram:
	tessera_vram_window_free(tdev, ctx->vram_base, vram_size);
err_id:
	mutex_lock(&tdev->lock);
	clear_bit(ctx->id, tdev->ctx_ids);
	mutex_unlock(&tdev->lock);
err_free:
	kfree(ctx);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_create_sized, TESSERA_NS);

/**
 * tessera_ctx_capacity() - how many more contexts of a size fit now
 * @tdev: device
 * @vram_size: VRAM window of each (bytes)
 * @gart_size: GART window of each (bytes)
 *
 * Counts free contexts other than the host's context 0, and free VRAM and
 * GART windows of the sizes (the buddy allocators' capacity).
 *
 * Return: the number of tessera_ctx_create_sized() calls that would
 * succeed if nothing else allocated in between.
 */
u64 tessera_ctx_capacity(struct tessera_device *tdev, u64 vram_size,
			 u64 gart_size)
{
	u64 n;

	mutex_lock(&tdev->lock);
	n = tdev->num_contexts - 1 -
	    bitmap_weight(tdev->ctx_ids, tdev->num_contexts) +
	    test_bit(0, tdev->ctx_ids);
	n = min(n, tessera_buddy_capacity(&tdev->vram_alloc, vram_size));
	n = min(n, tessera_buddy_capacity(&tdev->gart_alloc, gart_size));
	mutex_unlock(&tdev->lock);
	return n;
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_capacity, TESSERA_NS);

static void ctx_release_objects(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;
	struct tessera_gart_mapping *m;
	struct tessera_bo *bo;
	unsigned long idx;

	xa_for_each(&ctx->maps, idx, m) {
		xa_erase(&ctx->maps, idx);
		tessera_gart_unmap(ctx, m, false);
	}
	mutex_lock(&ctx->lock);
	xa_for_each(&ctx->bos, idx, bo) {
		xa_erase(&ctx->bos, idx);
		tessera_buddy_free(&ctx->vram_heap, bo->offset, bo->size);
		ctx->bo_bytes -= bo->alloc_size;
		ida_free(&tdev->handles, bo->handle);
		atomic_dec(&tdev->nr_bos);
		kfree(bo);
	}
	mutex_unlock(&ctx->lock);
}

/**
 * tessera_ctx_kill() - the device is going away: stop using it
 * @ctx: context
 *
 * Revokes the user mappings, DMA-unmaps and unpins the GART mappings and
 * wakes waiters; the file gets -ENODEV from now on and is freed on close.
 * Context: tdev->lock held; the engines are stopped.
 */
void tessera_ctx_kill(struct tessera_ctx *ctx)
{
	struct tessera_gart_mapping *m;
	unsigned long idx;

	lockdep_assert_held(&ctx->tdev->lock);
	mutex_lock(&ctx->lock);
	ctx->dead = true;
	mutex_unlock(&ctx->lock);
	if (ctx->mapping)
		unmap_mapping_range(ctx->mapping, 0, 0, 1);
	xa_for_each(&ctx->maps, idx, m) {
		xa_erase(&ctx->maps, idx);
		tessera_gart_unmap(ctx, m, false);
	}
	wake_up_all(&ctx->wq);
}

/**
 * tessera_ctx_destroy() - take a context off the device and free it
 * @ctx: context; no user mapping of it may exist any more
 */
void tessera_ctx_destroy(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;
	bool dead;
	u32 e;

	mutex_lock(&tdev->lock);
	dead = tdev->dead;
	if (!list_empty(&ctx->node)) {
		list_del_init(&ctx->node);
		tdev->ctx_table[ctx->id] = NULL;
	}
	mutex_unlock(&tdev->lock);

	if (!dead) {
		tessera_sched_quiesce_ctx(ctx);
		tessera_hw_ctx_invalidate(tdev, ctx->id);
	}
	tessera_sched_detach_ctx(ctx);
	ctx_release_objects(ctx);
	for (e = 0; e < tdev->num_engines; e++)
		tessera_buddy_free(&ctx->vram_heap, ctx->rings[e].offset,
				   ctx->rings[e].size);
	tessera_buddy_fini(&ctx->gart_heap);
	tessera_buddy_fini(&ctx->vram_heap);
	tessera_gart_window_free(tdev, ctx->gart_base,
				 ctx->gart_size >> TESSERA_PAGE_SHIFT);
	tessera_vram_window_free(tdev, ctx->vram_base, ctx->vram_size);
	mutex_lock(&tdev->lock);
	clear_bit(ctx->id, tdev->ctx_ids);
	mutex_unlock(&tdev->lock);
	atomic_dec(&tdev->nr_ctx);
	xa_destroy(&ctx->bos);
	xa_destroy(&ctx->maps);
	kfree(ctx);
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_destroy, TESSERA_NS);

/**
 * tessera_ctx_bo_alloc() - allocate a zeroed buffer in the VRAM window
 * @ctx: context
 * @size: bytes, 1 .. window size
 * @out: the buffer
 *
 * Return: 0, -EINVAL, -ENOSPC (window full), -ENODEV, -ENOMEM.
 */
int tessera_ctx_bo_alloc(struct tessera_ctx *ctx, u64 size,
			 struct tessera_bo **out)
{
	struct tessera_device *tdev = ctx->tdev;
	struct tessera_bo *bo;
	int ret, handle;

	if (!size || size > ctx->vram_size)
		return -EINVAL;
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	handle = ida_alloc_range(&tdev->handles, 1, TESSERA_MAX_BO_HANDLE,
				 GFP_KERNEL);
	if (handle < 0) {
		kfree(bo);
		return handle == -ENOSPC ? -ENOSPC : handle;
	}
	bo->handle = handle;
	bo->size = size;
	bo->alloc_size = tessera_buddy_block_size(&ctx->vram_heap, size);

	mutex_lock(&ctx->lock);
	if (ctx->dead) {
		ret = -ENODEV;
		goto err;
	}
	ret = tessera_buddy_alloc(&ctx->vram_heap, size, &bo->offset);
	if (ret)
		goto err;
	ret = xa_err(xa_store(&ctx->bos, handle, bo, GFP_KERNEL));
	if (ret) {
		tessera_buddy_free(&ctx->vram_heap, bo->offset, size);
		goto err;
	}
	tessera_vram_scrub(tdev, ctx->vram_base + bo->offset, bo->alloc_size);
	ctx->bo_bytes += bo->alloc_size;
	mutex_unlock(&ctx->lock);
	atomic_inc(&tdev->nr_bos);
	*out = bo;
	return 0;
err:
	mutex_unlock(&ctx->lock);
	ida_free(&tdev->handles, handle);
	kfree(bo);
	return ret;
}

/**
 * tessera_ctx_bo_free() - free a buffer and revoke its CPU mappings
 * @ctx: context
 * @handle: buffer handle
 *
 * Return: 0 or -ENOENT.
 */
int tessera_ctx_bo_free(struct tessera_ctx *ctx, u32 handle)
{
	struct tessera_device *tdev = ctx->tdev;
	struct tessera_bo *bo;

	mutex_lock(&ctx->lock);
	bo = xa_erase(&ctx->bos, handle);
	mutex_unlock(&ctx->lock);
	if (!bo)
		return -ENOENT;
	/* No new fault can find the buffer; drop the PTEs that exist. */
	if (ctx->mapping)
		unmap_mapping_range(ctx->mapping,
				    (loff_t)bo->handle << TESSERA_BO_MMAP_SHIFT,
				    bo->alloc_size, 1);
	mutex_lock(&ctx->lock);
	tessera_buddy_free(&ctx->vram_heap, bo->offset, bo->size);
	ctx->bo_bytes -= bo->alloc_size;
	mutex_unlock(&ctx->lock);
	ida_free(&tdev->handles, bo->handle);
	atomic_dec(&tdev->nr_bos);
	kfree(bo);
	return 0;
}

/**
 * tessera_ctx_fence_status() - state of a fence of one of the context's rings
 * @ctx: context
 * @engine: engine (checked by the caller)
 * @seqno: fence (checked by the caller: 1 .. last submitted)
 *
 * Uses the completion the scheduler recorded from the ring's fence
 * register (no device access, so it may run in a wait condition).
 *
 * Return: 1 signalled, 0 pending, -EIO discarded by a fault, -ENODEV when
 * the device is gone.
 */
int tessera_ctx_fence_status(struct tessera_ctx *ctx, u32 engine, u64 seqno)
{
	struct tessera_ring *ring = &ctx->rings[engine];
	u64 first = READ_ONCE(ring->err_first);

	if (first && seqno >= first && seqno <= READ_ONCE(ring->err_last))
		return -EIO;
	if (READ_ONCE(ring->completed) >= seqno)
		return 1;
	if (READ_ONCE(ctx->dead))
		return -ENODEV;
	return 0;
}

/**
 * tessera_ctx_idle() - has every submitted job finished (or failed)?
 * @ctx: context
 *
 * Return: true when nothing of the context is pending.
 */
bool tessera_ctx_idle(struct tessera_ctx *ctx)
{
	u32 e;

	for (e = 0; e < ctx->tdev->num_engines; e++) {
		u64 last = READ_ONCE(ctx->rings[e].last_seqno);

		if (last && !tessera_ctx_fence_status(ctx, e, last))
			return false;
	}
	return true;
}
