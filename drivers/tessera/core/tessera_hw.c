// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware access layer: the only file of the driver that knows the
 * CSR offsets of <tessera/tessera_regs.h> (Documentation/hw/). Everything
 * the driver does to the device is a function here, named for what it
 * does, in two interfaces:
 *   <tessera/tessera_hw.h>  a physical context's windows, rings and
 *                           status, engine busy time and GART entries,
 *                           and the pass-through of the vGPU's CSR table;
 *                           exported to tessera-vgpu.ko
 *   core/tessera_hw_core.h  identity and reset, the engines' control,
 *                           interrupt and fault registers, the device's
 *                           interrupt enable and status and the doorbell
 *                           pending bits; tessera.ko's alone
 * Where several writes make one change their order matters to the device:
 * a window shrinks to nothing before its base moves, and a ring is emptied
 * before its base and size change, so that no intermediate state of the
 * registers reaches outside the new or the old range.
 *
 * None of the functions takes a lock, and only tessera_hw_reset() sleeps;
 * the callers' locks (the DOC: Locking of tessera_drv.h) say who may
 * program what: eng->lock for an engine's control registers, the
 * context's owner for its windows and rings.
 */
#include <linux/delay.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_gart.h"
#include "tessera_hw_core.h"
#include "tessera_rd64.h"

/* The CSR accessors: no other file accesses a register. */
static inline u32 tessera_rd(struct tessera_device *tdev, u32 reg)
{
	return readl(tdev->csr + reg);
}

static inline void tessera_wr(struct tessera_device *tdev, u32 reg, u32 val)
{
	writel(val, tdev->csr + reg);
}

static inline u32 tessera_rd_half(void *tdev, u32 reg)
{
	return tessera_rd(tdev, reg);
}

/*
 * 64-bit registers: the device accepts one aligned 8-byte access at an
 * 8-byte aligned _LO register (atomic); others (RING_FENCE_LO) take two
 * 32-bit accesses, read as hi/lo/hi so that a carry is not torn, with a
 * bounded number of retries (a client can rewrite its ring fence without
 * end, and this runs under engine and device locks): a read that stayed
 * torn is counted in @torn_reads (debugfs accounting).
 */
static inline u64 tessera_rd64(struct tessera_device *tdev, u32 reg_lo)
{
	bool torn = false;
	u64 v;

#ifdef CONFIG_64BIT
	if (!(reg_lo & 7))
		return readq(tdev->csr + reg_lo);
#endif
	v = tessera_split_rd64(tessera_rd_half, tdev, reg_lo, &torn);
	if (unlikely(torn))
		atomic64_inc(&tdev->torn_reads);
	return v;
}

static inline void tessera_wr64(struct tessera_device *tdev, u32 reg_lo,
				u64 val)
{
#ifdef CONFIG_64BIT
	if (!(reg_lo & 7)) {
		writeq(val, tdev->csr + reg_lo);
		return;
	}
#endif
	writel(upper_32_bits(val), tdev->csr + reg_lo + 4);
	writel(lower_32_bits(val), tdev->csr + reg_lo);
}

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

/**
 * tessera_hw_csr_read() - pass a 32-bit register read through
 * @tdev: device
 * @reg: register offset in BAR0
 *
 * For the vGPU module's CSR table, which forwards the registers of a
 * guest's own context and engines (vgpu/tessera_vgpu_csr.c decides which).
 *
 * Return: the register's value.
 */
u32 tessera_hw_csr_read(struct tessera_device *tdev, u32 reg)
{
	return tessera_rd(tdev, reg);
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_csr_read, TESSERA_NS);

/**
 * tessera_hw_csr_write() - pass a 32-bit register write through
 * @tdev: device
 * @reg: register offset in BAR0
 * @val: value
 */
void tessera_hw_csr_write(struct tessera_device *tdev, u32 reg, u32 val)
{
	tessera_wr(tdev, reg, val);
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_csr_write, TESSERA_NS);

/**
 * tessera_hw_csr_read64() - pass a 64-bit register read through
 * @tdev: device
 * @reg_lo: offset of the register's low half in BAR0
 *
 * Return: the register's value, read without a torn carry where the
 * device allows (see tessera_rd64()).
 */
u64 tessera_hw_csr_read64(struct tessera_device *tdev, u32 reg_lo)
{
	return tessera_rd64(tdev, reg_lo);
}
EXPORT_SYMBOL_NS_GPL(tessera_hw_csr_read64, TESSERA_NS);

/* ---- tessera.ko alone (tessera_hw_core.h) ---- */

/**
 * tessera_hw_reset() - reset the device and wait until it is ready
 * @tdev: device
 *
 * Every engine stops, every context and GART entry is cleared.
 * Context: process; sleeps (at most about 200 ms).
 * Return: 0, or -ETIMEDOUT when the device does not become ready.
 */
int tessera_hw_reset(struct tessera_device *tdev)
{
	int i;

	tessera_wr(tdev, TESSERA_REG_RESET, TESSERA_RESET_MAGIC);
	for (i = 0; i < 1000; i++) {
		if (tessera_rd(tdev, TESSERA_REG_STATUS) & TESSERA_STATUS_READY)
			return 0;
		usleep_range(100, 200);
	}
	return -ETIMEDOUT;
}

/**
 * tessera_hw_identify() - read the device's identity registers
 * @tdev: device
 * @id: filled in, unchecked (the caller validates)
 */
void tessera_hw_identify(struct tessera_device *tdev,
			 struct tessera_hw_ident *id)
{
	u32 e;

	id->id = tessera_rd(tdev, TESSERA_REG_ID);
	id->version = tessera_rd(tdev, TESSERA_REG_VERSION);
	id->caps = tessera_rd(tdev, TESSERA_REG_CAPS);
	id->engines = tessera_rd(tdev, TESSERA_REG_ENGINES);
	id->contexts = tessera_rd(tdev, TESSERA_REG_CONTEXTS);
	id->gart_entries = tessera_rd(tdev, TESSERA_REG_GART_ENTRIES);
	id->vram_size = tessera_rd64(tdev, TESSERA_REG_VRAM_SIZE_LO);
	for (e = 0; e < TESSERA_MAX_ENGINES; e++) {
		u32 reg = TESSERA_ENG_REG(e, TESSERA_ENG_CAPS);

		id->engine_caps[e] = e < TESSERA_ENGINES_TOTAL(id->engines) ?
				     tessera_rd(tdev, reg) : 0;
	}
}

/**
 * tessera_hw_ctx_invalidate() - make a context invalid (CTX_CTRL 0)
 * @tdev: device
 * @ctx: context id, off every engine
 *
 * Its windows stay as they are; START on it faults.
 */
void tessera_hw_ctx_invalidate(struct tessera_device *tdev, u32 ctx)
{
	tessera_wr(tdev, TESSERA_CTX_REG(ctx, TESSERA_CTX_CTRL), 0);
}

/**
 * tessera_hw_ring_head() - a ring's RING_HEAD
 * @tdev: device
 * @ctx: context id
 * @engine: engine
 *
 * Return: the byte offset the engine reads next.
 */
u32 tessera_hw_ring_head(struct tessera_device *tdev, u32 ctx, u32 engine)
{
	return tessera_rd(tdev, TESSERA_CTX_RING_REG(ctx, engine,
						     TESSERA_RING_HEAD));
}

/**
 * tessera_hw_ring_tail() - a ring's RING_TAIL
 * @tdev: device
 * @ctx: context id
 * @engine: engine
 *
 * Return: the byte offset after the last command.
 */
u32 tessera_hw_ring_tail(struct tessera_device *tdev, u32 ctx, u32 engine)
{
	return tessera_rd(tdev, TESSERA_CTX_RING_REG(ctx, engine,
						     TESSERA_RING_TAIL));
}

/**
 * tessera_hw_ring_set_tail() - publish commands: write RING_TAIL
 * @tdev: device
 * @ctx: context id
 * @engine: engine
 * @tail: the byte offset after the last command; the commands are in VRAM
 *        already (the caller orders them before this write)
 */
void tessera_hw_ring_set_tail(struct tessera_device *tdev, u32 ctx,
			      u32 engine, u32 tail)
{
	tessera_wr(tdev, TESSERA_CTX_RING_REG(ctx, engine, TESSERA_RING_TAIL),
		   tail);
}

/**
 * tessera_hw_ring_discard() - drop what is left in a ring (HEAD = TAIL)
 * @tdev: device
 * @ctx: context id, off the engine
 * @engine: engine
 */
void tessera_hw_ring_discard(struct tessera_device *tdev, u32 ctx,
			     u32 engine)
{
	u32 reg = TESSERA_CTX_RING_REG(ctx, engine, 0);

	tessera_wr(tdev, reg + TESSERA_RING_HEAD,
		   tessera_rd(tdev, reg + TESSERA_RING_TAIL));
}

/**
 * tessera_hw_engine_status() - an engine's ENG_STATUS
 * @tdev: device
 * @engine: engine
 *
 * Return: the status; TESSERA_ENG_STATE() of it is the engine's state.
 */
u32 tessera_hw_engine_status(struct tessera_device *tdev, u32 engine)
{
	return tessera_rd(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_STATUS));
}

/**
 * tessera_hw_engine_ctx() - the context an engine runs or ran last
 * @tdev: device
 * @engine: engine
 *
 * Return: ENG_CTX.
 */
u32 tessera_hw_engine_ctx(struct tessera_device *tdev, u32 engine)
{
	return tessera_rd(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_CTX));
}

/**
 * tessera_hw_engine_start() - load a context on a stopped engine and run it
 * @tdev: device
 * @engine: engine
 * @ctx: context id
 */
void tessera_hw_engine_start(struct tessera_device *tdev, u32 engine, u32 ctx)
{
	tessera_wr(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_CTX), ctx);
	tessera_wr(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_CTRL),
		   TESSERA_ENG_CTRL_START);
}

/**
 * tessera_hw_engine_preempt() - ask an engine to stop at its next
 *				 preemption point
 * @tdev: device
 * @engine: engine
 */
void tessera_hw_engine_preempt(struct tessera_device *tdev, u32 engine)
{
	tessera_wr(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_CTRL),
		   TESSERA_ENG_CTRL_PREEMPT);
}

/**
 * tessera_hw_engine_switch() - preempt an engine and switch it to a context
 * @tdev: device
 * @engine: engine
 * @ctx: the context to load once the running one stopped (ENG_NEXT_CTX)
 *
 * Context: any, also hard interrupt (the slice timer).
 */
void tessera_hw_engine_switch(struct tessera_device *tdev, u32 engine,
			      u32 ctx)
{
	tessera_wr(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_NEXT_CTX),
		   TESSERA_ENG_NEXT_VALID | ctx);
	tessera_hw_engine_preempt(tdev, engine);
}

/**
 * tessera_hw_engine_switch_cancel() - withdraw a switch not made yet
 * @tdev: device
 * @engine: engine
 */
void tessera_hw_engine_switch_cancel(struct tessera_device *tdev, u32 engine)
{
	tessera_wr(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_NEXT_CTX), 0);
}

/**
 * tessera_hw_engine_switch_pending() - a switch asked for is not made yet
 * @tdev: device
 * @engine: engine
 *
 * Return: true while ENG_NEXT_CTX is still valid.
 */
bool tessera_hw_engine_switch_pending(struct tessera_device *tdev, u32 engine)
{
	return tessera_rd(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_NEXT_CTX)) &
	       TESSERA_ENG_NEXT_VALID;
}

/**
 * tessera_hw_engine_switch_busy_ns() - engine busy time at the last switch
 * @tdev: device
 * @engine: engine
 *
 * Return: ENG_SWITCH_BUSY_NS, the engine's busy time when the preempted
 * context left it.
 */
u64 tessera_hw_engine_switch_busy_ns(struct tessera_device *tdev, u32 engine)
{
	return tessera_rd64(tdev, TESSERA_ENG_REG(engine,
					TESSERA_ENG_SWITCH_BUSY_NS_LO));
}

/**
 * tessera_hw_engine_reset() - reset an engine (it stops; its context's
 *			       ring state stays)
 * @tdev: device
 * @engine: engine
 */
void tessera_hw_engine_reset(struct tessera_device *tdev, u32 engine)
{
	tessera_wr(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_CTRL),
		   TESSERA_ENG_CTRL_RESET);
}

/**
 * tessera_hw_engine_fault() - read a faulted engine's fault registers
 * @tdev: device
 * @engine: engine
 * @f: filled in
 */
void tessera_hw_engine_fault(struct tessera_device *tdev, u32 engine,
			     struct tessera_hw_fault *f)
{
	u32 reg = TESSERA_ENG_REG(engine, 0);

	f->code = tessera_rd(tdev, reg + TESSERA_ENG_FAULT_CODE);
	f->ctx = tessera_rd(tdev, reg + TESSERA_ENG_FAULT_CTX);
	f->addr = tessera_rd64(tdev, reg + TESSERA_ENG_FAULT_ADDR_LO);
}

/**
 * tessera_hw_engine_int_status() - an engine's raised interrupt causes
 * @tdev: device
 * @engine: engine
 *
 * Return: ENG_INT_STATUS (TESSERA_ENG_INT_* bits, set whatever the mask).
 */
u32 tessera_hw_engine_int_status(struct tessera_device *tdev, u32 engine)
{
	return tessera_rd(tdev, TESSERA_ENG_REG(engine,
						TESSERA_ENG_INT_STATUS));
}

/**
 * tessera_hw_engine_int_ack() - clear an engine's interrupt causes (W1C)
 * @tdev: device
 * @engine: engine
 * @causes: TESSERA_ENG_INT_* bits
 */
void tessera_hw_engine_int_ack(struct tessera_device *tdev, u32 engine,
			       u32 causes)
{
	tessera_wr(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_INT_STATUS),
		   causes);
}

/**
 * tessera_hw_engine_int_enable() - which of an engine's causes interrupt
 * @tdev: device
 * @engine: engine
 * @causes: TESSERA_ENG_INT_* bits that interrupt (ENG_INT_MASK); raised
 *          causes interrupt as soon as they are enabled
 */
void tessera_hw_engine_int_enable(struct tessera_device *tdev, u32 engine,
				  u32 causes)
{
	tessera_wr(tdev, TESSERA_ENG_REG(engine, TESSERA_ENG_INT_MASK), causes);
}

/**
 * tessera_hw_int_status() - the device's interrupt summary
 * @tdev: device
 *
 * Return: INT_STATUS (TESSERA_INT_ENGINE(e), TESSERA_INT_DOORBELL); ~0
 * when the device is gone.
 */
u32 tessera_hw_int_status(struct tessera_device *tdev)
{
	return tessera_rd(tdev, TESSERA_REG_INT_STATUS);
}

/**
 * tessera_hw_int_enable() - which of the device's sources interrupt
 * @tdev: device
 * @sources: TESSERA_INT_ENGINE(e) and TESSERA_INT_DOORBELL bits
 */
void tessera_hw_int_enable(struct tessera_device *tdev, u32 sources)
{
	tessera_wr(tdev, TESSERA_REG_INT_ENABLE, sources);
}

/**
 * tessera_hw_db_take() - read and clear one word of doorbell pending bits
 * @tdev: device
 * @word: word index (contexts 32 * @word ..)
 *
 * Return: the bits that were pending (now cleared); 0 when none, ~0 when
 * the device is gone (then nothing is cleared).
 */
u32 tessera_hw_db_take(struct tessera_device *tdev, u32 word)
{
	u32 v = tessera_rd(tdev, TESSERA_REG_DB_PENDING(word));

	if (v && v != ~0u)
		tessera_wr(tdev, TESSERA_REG_DB_PENDING(word), v);
	return v;
}
