// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware access layer (<tessera/tessera_hw.h>): a physical context's
 * windows and rings, its status, engine busy time and GART entries, as
 * register sequences in one place. The orders matter to the device
 * (Documentation/hw/): a window shrinks to nothing before its base moves,
 * and a ring is emptied before its base and size change, so that no
 * intermediate state of the registers reaches outside the new or the old
 * range.
 */
#include "tessera_compat.h"
#include "tessera_drv.h"

/**
 * tessera_hw_ctx_set() - program a context's windows and validity
 * @tdev: device
 * @ctx: context id
 * @w: windows; !@w->valid leaves the context invalid (START on it faults)
 *
 * A valid context stays valid through the change (with empty windows in
 * between); an invalid one is made invalid before its windows move.
 */
void tessera_hw_ctx_set(struct tessera_device *tdev, u32 ctx,
			const struct tessera_hw_window *w)
{
	tessera_wr64(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_VRAM_SIZE_LO), 0);
	tessera_wr(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_GART_SIZE), 0);
	if (!w->valid)
		tessera_wr(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_CTRL), 0);
	tessera_wr64(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_VRAM_BASE_LO),
		     w->vram_base);
	tessera_wr(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_GART_BASE),
		   w->gart_base);
	tessera_wr64(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_VRAM_SIZE_LO),
		     w->vram_size);
	tessera_wr(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_GART_SIZE),
		   w->gart_entries);
	if (w->valid)
		tessera_wr(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_CTRL),
			   TESSERA_CTX_CTRL_VALID);
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_ctx_set, TESSERA_NS);

/**
 * tessera_hw_ctx_status() - a context's CTX_STATUS
 * @tdev: device
 * @ctx: context id
 *
 * Return: TESSERA_CTX_STATUS_PENDING(e) and TESSERA_CTX_STATUS_LOADED(e)
 * bits.
 */
u32 tessera_hw_ctx_status(struct tessera_device *tdev, u32 ctx)
{
	return tessera_rd(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_STATUS));
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_ctx_status, TESSERA_NS);

/**
 * tessera_hw_ring_get() - read a context's ring registers on one engine
 * @tdev: device
 * @ctx: context id
 * @engine: engine
 * @r: filled in
 */
void tessera_hw_ring_get(struct tessera_device *tdev, u32 ctx, u32 engine,
			 struct tessera_hw_ring *r)
{
	u32 reg = TESSERA_CTX_RING_REG(ctx, engine, 0);

	r->base = tessera_rd64(tdev, reg + TESSERA_RING_BASE_LO);
	r->size = tessera_rd(tdev, reg + TESSERA_RING_SIZE);
	r->head = tessera_rd(tdev, reg + TESSERA_RING_HEAD);
	r->tail = tessera_rd(tdev, reg + TESSERA_RING_TAIL);
	r->state = tessera_rd(tdev, reg + TESSERA_RING_STATE);
	r->fence = tessera_rd64(tdev, reg + TESSERA_RING_FENCE_LO);
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_ring_get, TESSERA_NS);

/**
 * tessera_hw_ring_set() - program a context's ring on one engine
 * @tdev: device
 * @ctx: context id (off the engine)
 * @engine: engine
 * @r: base, size, head and tail (state and fence are read only)
 *
 * Empties the ring first (tail, then head, to 0), then sets base and size,
 * then head and tail: every intermediate state is an empty ring.
 */
void tessera_hw_ring_set(struct tessera_device *tdev, u32 ctx, u32 engine,
			 const struct tessera_hw_ring *r)
{
	u32 reg = TESSERA_CTX_RING_REG(ctx, engine, 0);

	tessera_wr(tdev, reg + TESSERA_RING_TAIL, 0);
	tessera_wr(tdev, reg + TESSERA_RING_HEAD, 0);
	tessera_wr64(tdev, reg + TESSERA_RING_BASE_LO, r->base);
	tessera_wr(tdev, reg + TESSERA_RING_SIZE, r->size);
	if (r->head)
		tessera_wr(tdev, reg + TESSERA_RING_HEAD, r->head);
	if (r->tail)
		tessera_wr(tdev, reg + TESSERA_RING_TAIL, r->tail);
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_ring_set, TESSERA_NS);

/**
 * tessera_hw_ring_fence() - a context's RING_FENCE on one engine
 * @tdev: device
 * @ctx: context id
 * @engine: engine
 *
 * Return: the last fence value the ring wrote.
 */
u64 tessera_hw_ring_fence(struct tessera_device *tdev, u32 ctx, u32 engine)
{
	return tessera_rd64(tdev, TESSERA_CTX_RING_REG(ctx, engine,
						       TESSERA_RING_FENCE_LO));
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_ring_fence, TESSERA_NS);

/**
 * tessera_hw_engine_busy_ns() - an engine's ENG_BUSY_NS
 * @tdev: device
 * @engine: engine
 *
 * Return: the engine's busy time so far; it moves with every command the
 * engine finishes.
 */
u64 tessera_hw_engine_busy_ns(struct tessera_device *tdev, u32 engine)
{
	return tessera_rd64(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_BUSY_NS_LO));
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_engine_busy_ns, TESSERA_NS);

/**
 * tessera_hw_gart_set() - write one physical GART entry
 * @tdev: device
 * @entry: entry index
 * @val: entry value (TESSERA_GART_* bits)
 *
 * One 64-bit store where the CPU has one; the entry is noted for the
 * core's GART bookkeeping (tessera_gart_note()). The write may be posted:
 * tessera_hw_gart_flush() makes it reach the device.
 */
void tessera_hw_gart_set(struct tessera_device *tdev, u32 entry, u64 val)
{
	tessera_wr64(tdev, TESSERA_GART_ENTRY(entry), val);
	tessera_gart_note(tdev, entry, val);
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_gart_set, TESSERA_NS);

/**
 * tessera_hw_gart_flush() - make posted GART writes reach the device
 * @tdev: device
 */
void tessera_hw_gart_flush(struct tessera_device *tdev)
{
	tessera_rd(tdev, TESSERA_REG_STATUS);
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_gart_flush, TESSERA_NS);
