// SPDX-License-Identifier: GPL-2.0
/*
 * What a mediator may see of a device, a context and its rings: the part
 * of the core API (<tessera/tessera_core.h>) that lets tessera-vgpu.ko
 * work without the core's structures (core/tessera_drv.h), which stay
 * private to tessera.ko.
 *
 * - the device's fixed shape (tessera_dev_get_info()) and a context's
 *   windows (tessera_ctx_get_info()), copied out: both are fixed while the
 *   mediator is attached, for the device, and for the context's life;
 * - a context's rings (tessera_ctx_ring()) and their statistics, read
 *   locklessly as "DOC: Locking" in tessera_drv.h allows
 *   (tessera_ring_get_stats());
 * - the context's fault record, its irq_storms count and its name, with
 *   the locking the core documents for them (ctx->lock for the fault
 *   record: the mediator takes none of the core's locks itself);
 * - copies to and from a context's VRAM window (BAR2), bounded by it.
 *
 * No register is accessed here: that is the hardware access layer's
 * (tessera_hw.c; a mediator's CSR pass-through: tessera_hw_csr_read()).
 *
 * Everything here is exported in the TESSERA namespace (tessera_compat.h).
 */
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "tessera_compat.h"
#include "tessera_drv.h"

/**
 * tessera_dev_get_info() - the fixed shape of a device
 * @tdev: device (bound: between the mediator's attach and detach)
 * @info: filled in
 *
 * Nothing of it changes while the device is bound, so a mediator may copy
 * it once at attach. @info->dev and @info->name stay valid until the
 * mediator's detach returns.
 *
 * Context: any; takes no lock.
 */
void tessera_dev_get_info(struct tessera_device *tdev,
			  struct tessera_dev_info *info)
{
	info->dev = &tdev->pdev->dev;
	info->name = tdev->name;
	info->hw_version = tdev->hw_version;
	info->caps = tdev->caps;
	info->is_virtual = tdev->is_virtual;
	info->num_engines = tdev->num_engines;
	info->num_compute = tdev->num_compute;
	info->num_copy = tdev->num_copy;
	info->vram_size = tdev->vram_size;
	info->vram_phys = tdev->vram_phys;
	info->db_phys = tdev->db_phys;
}
EXPORT_SYMBOL_NS_GPL(tessera_dev_get_info, TESSERA_NS);

/**
 * tessera_ctx_get_info() - a context's hardware number and windows
 * @ctx: context (from tessera_ctx_create_sized())
 * @info: filled in
 *
 * Fixed from the context's creation to its tessera_ctx_destroy().
 *
 * Context: any; takes no lock.
 */
void tessera_ctx_get_info(struct tessera_ctx *ctx,
			  struct tessera_ctx_info *info)
{
	info->id = ctx->id;
	info->vram_base = ctx->vram_base;
	info->vram_size = ctx->vram_size;
	info->gart_base = ctx->gart_base;
	info->gart_size = ctx->gart_size;
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_get_info, TESSERA_NS);

/**
 * tessera_ctx_set_name() - name a context's owner (debugfs "clients")
 * @ctx: context, just created
 * @fmt: printf format of the name (truncated to the core's 15 characters)
 *
 * Replaces the name of the task that created it. Written without a lock,
 * as the core does at creation: call it before the context is in use.
 */
void tessera_ctx_set_name(struct tessera_ctx *ctx, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(ctx->comm, sizeof(ctx->comm), fmt, args);
	va_end(args);
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_set_name, TESSERA_NS);

/**
 * tessera_ctx_ring() - a context's ring on an engine
 * @ctx: context
 * @engine: engine number
 *
 * Return: the ring (the context's for its life), or NULL if the device
 * has no engine @engine.
 */
struct tessera_ring *tessera_ctx_ring(struct tessera_ctx *ctx, u32 engine)
{
	if (engine >= ctx->tdev->num_engines)
		return NULL;
	return &ctx->rings[engine];
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_ring, TESSERA_NS);

/**
 * tessera_ring_get_stats() - a ring's scheduling statistics
 * @ring: ring (tessera_ctx_ring())
 * @st: filled in
 *
 * The scheduler writes them under the engine's lock; they are read here
 * without it, each with READ_ONCE() ("DOC: Locking"), so the fields are
 * not a snapshot of one instant. @st->loads is read first: a caller that
 * orders it before tessera_sched_ring_loaded() with smp_rmb(), as
 * tessera_ring.loads describes, may do so after this call.
 *
 * Context: any (also a wait-queue wake function); takes no lock.
 */
void tessera_ring_get_stats(const struct tessera_ring *ring,
			    struct tessera_ring_stats *st)
{
	st->loads = READ_ONCE(ring->loads);
	st->runtime_ns = READ_ONCE(ring->ent.runtime_ns);
	st->weight = READ_ONCE(ring->ent.weight);
}
EXPORT_SYMBOL_NS_GPL(tessera_ring_get_stats, TESSERA_NS);

/**
 * tessera_ctx_fault_count() - faults of a context so far
 * @ctx: context
 *
 * Context: process context; takes ctx->lock.
 * Return: the count of its fault record (tessera_fault_rec.count).
 */
u64 tessera_ctx_fault_count(struct tessera_ctx *ctx)
{
	u64 count;

	mutex_lock(&ctx->lock);
	count = ctx->fault.count;
	mutex_unlock(&ctx->lock);
	return count;
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_fault_count, TESSERA_NS);

/**
 * tessera_ctx_fault_take() - a context's last fault, if one came since
 * @ctx: context
 * @seen: the fault count the caller has seen
 * @f: filled in: @f->count always; the rest only if the function returns
 *     true
 *
 * Reads the context's fault record under ctx->lock and, if its count is
 * not @seen, copies the last fault and marks it read (as the owner's
 * TESSERA_IOCTL_GET_FAULT does).
 *
 * Context: process context; takes ctx->lock.
 * Return: true if the count moved away from @seen.
 */
bool tessera_ctx_fault_take(struct tessera_ctx *ctx, u64 seen,
			    struct tessera_ctx_fault *f)
{
	bool moved;

	mutex_lock(&ctx->lock);
	f->count = ctx->fault.count;
	moved = f->count != seen;
	if (moved) {
		f->engine = ctx->fault.engine;
		f->code = ctx->fault.code;
		f->addr = ctx->fault.addr;
		ctx->fault.unread = false;
	}
	mutex_unlock(&ctx->lock);
	return moved;
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_fault_take, TESSERA_NS);

/**
 * tessera_ctx_irq_storms() - slices in which a context went over the
 *	engine interrupt budget
 * @ctx: context
 *
 * Context: any; takes no lock.
 * Return: the count so far.
 */
u64 tessera_ctx_irq_storms(struct tessera_ctx *ctx)
{
	return atomic64_read(&ctx->irq_storms);
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_irq_storms, TESSERA_NS);

static bool ctx_vram_range_ok(const struct tessera_ctx *ctx, u64 offset,
			      size_t len)
{
	return !WARN_ON_ONCE(offset > ctx->vram_size ||
			     len > ctx->vram_size - offset);
}

/**
 * tessera_ctx_vram_read() - copy from a context's VRAM window
 * @ctx: context
 * @offset: offset in the window (bytes)
 * @buf: kernel buffer
 * @len: bytes
 *
 * memcpy_fromio() from the device's VRAM mapping (BAR2, write-combined);
 * no ordering with the engines beyond that. A range outside the window is
 * a caller's bug: it warns once and reads zeroes.
 *
 * Context: any; takes no lock (the caller keeps the context alive).
 */
void tessera_ctx_vram_read(struct tessera_ctx *ctx, u64 offset, void *buf,
			   size_t len)
{
	if (!ctx_vram_range_ok(ctx, offset, len)) {
		memset(buf, 0, len);
		return;
	}
	memcpy_fromio(buf, ctx->tdev->vram + ctx->vram_base + offset, len);
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_vram_read, TESSERA_NS);

/**
 * tessera_ctx_vram_write() - copy into a context's VRAM window
 * @ctx: context
 * @offset: offset in the window (bytes)
 * @buf: kernel buffer
 * @len: bytes
 *
 * memcpy_toio() to the device's VRAM mapping (BAR2, write-combined): a
 * caller that must have the data in VRAM before telling the device (a
 * ring tail) issues wmb() after it. A range outside the window is a
 * caller's bug: it warns once and writes nothing.
 *
 * Context: any; takes no lock (the caller keeps the context alive).
 */
void tessera_ctx_vram_write(struct tessera_ctx *ctx, u64 offset,
			    const void *buf, size_t len)
{
	if (!ctx_vram_range_ok(ctx, offset, len))
		return;
	memcpy_toio(ctx->tdev->vram + ctx->vram_base + offset, buf, len);
}
EXPORT_SYMBOL_NS_GPL(tessera_ctx_vram_write, TESSERA_NS);
