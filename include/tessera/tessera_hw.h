/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware access layer of tessera.ko (drivers/tessera/core/tessera_hw.c),
 * as far as tessera-vgpu.ko uses it: programming a physical context's
 * windows and rings, reading its status and ring state, setting GART
 * entries, and passing the accesses of the vGPU's CSR table through.
 * Register offsets are those of <tessera/tessera_regs.h> (Documentation/hw/);
 * callers need none but the CSR table's. Part of the core API
 * (<tessera/tessera_core.h>), exported in the TESSERA namespace. None of
 * them sleeps or takes a lock: the caller owns the context (it is off
 * every engine while it is programmed).
 */
#ifndef TESSERA_HW_H
#define TESSERA_HW_H

#include <linux/types.h>

struct tessera_device;

/**
 * struct tessera_hw_window - a context's windows (CTX_* registers)
 * @vram_base: VRAM window base (bytes)
 * @vram_size: VRAM window size (bytes)
 * @gart_base: first GART entry of the window
 * @gart_entries: GART window size in entries
 * @valid: the context is valid (CTX_CTRL.VALID)
 */
struct tessera_hw_window {
	u64 vram_base;
	u64 vram_size;
	u32 gart_base;
	u32 gart_entries;
	bool valid;
};

/**
 * struct tessera_hw_ring - a context's ring on one engine (RING_* registers)
 * @base: ring base in the context's VRAM window
 * @size: ring size in bytes (0: no ring)
 * @head: byte offset the engine reads next
 * @tail: byte offset after the last command
 * @state: RING_STATE (read only; TESSERA_RING_STATE_MIDCMD: stopped in
 *         the middle of a command)
 * @fence: RING_FENCE (read only)
 */
struct tessera_hw_ring {
	u64 base;
	u32 size;
	u32 head;
	u32 tail;
	u32 state;
	u64 fence;
};

void tessera_hw_ctx_set(struct tessera_device *tdev, u32 ctx,
			const struct tessera_hw_window *w);
u32 tessera_hw_ctx_status(struct tessera_device *tdev, u32 ctx);
void tessera_hw_ring_get(struct tessera_device *tdev, u32 ctx, u32 engine,
			 struct tessera_hw_ring *r);
void tessera_hw_ring_set(struct tessera_device *tdev, u32 ctx, u32 engine,
			 const struct tessera_hw_ring *r);
u64 tessera_hw_ring_fence(struct tessera_device *tdev, u32 ctx, u32 engine);
u64 tessera_hw_engine_busy_ns(struct tessera_device *tdev, u32 engine);
void tessera_hw_gart_set(struct tessera_device *tdev, u32 entry, u64 val);
void tessera_hw_gart_flush(struct tessera_device *tdev);

/* The vGPU CSR table's pass-through of a guest's own registers. */
u32 tessera_hw_csr_read(struct tessera_device *tdev, u32 reg);
void tessera_hw_csr_write(struct tessera_device *tdev, u32 reg, u32 val);
u64 tessera_hw_csr_read64(struct tessera_device *tdev, u32 reg_lo);

#endif /* TESSERA_HW_H */
