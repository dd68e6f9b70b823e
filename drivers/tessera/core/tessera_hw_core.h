/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of the hardware access layer (tessera_hw.c) that only
 * tessera.ko uses: identity and reset, the engines' control, interrupt and
 * fault registers, the device's interrupt enable and status, and the
 * doorbell pending bits. Not exported. The part the vGPU module may use is
 * <tessera/tessera_hw.h>.
 */
#ifndef TESSERA_HW_CORE_H
#define TESSERA_HW_CORE_H

#include <linux/types.h>

#include <tessera/tessera_hw.h>
#include <tessera/tessera_regs.h>

struct tessera_device;

/**
 * struct tessera_hw_ident - the identity registers, as read
 * @id: REG_ID (TESSERA_ID_MAGIC)
 * @version: REG_VERSION (major << 16 | minor)
 * @caps: REG_CAPS (TESSERA_CAPS_*)
 * @engines: REG_ENGINES (TESSERA_ENGINES_TOTAL() and the class counts)
 * @contexts: REG_CONTEXTS
 * @gart_entries: REG_GART_ENTRIES
 * @vram_size: REG_VRAM_SIZE (bytes)
 * @engine_caps: ENG_CAPS of each engine (TESSERA_ENG_CLASS()); 0 past
 *               TESSERA_ENGINES_TOTAL(@engines)
 */
struct tessera_hw_ident {
	u32 id;
	u32 version;
	u32 caps;
	u32 engines;
	u32 contexts;
	u32 gart_entries;
	u64 vram_size;
	u32 engine_caps[TESSERA_MAX_ENGINES];
};

/**
 * struct tessera_hw_fault - a faulted engine's fault registers
 * @code: ENG_FAULT_CODE (TESSERA_FAULT_*)
 * @ctx: ENG_FAULT_CTX, the context that faulted
 * @addr: ENG_FAULT_ADDR
 */
struct tessera_hw_fault {
	u32 code;
	u32 ctx;
	u64 addr;
};

int tessera_hw_reset(struct tessera_device *tdev);
void tessera_hw_identify(struct tessera_device *tdev,
			 struct tessera_hw_ident *id);
void tessera_hw_ctx_invalidate(struct tessera_device *tdev, u32 ctx);

u32 tessera_hw_ring_head(struct tessera_device *tdev, u32 ctx, u32 engine);
u32 tessera_hw_ring_tail(struct tessera_device *tdev, u32 ctx, u32 engine);
void tessera_hw_ring_set_tail(struct tessera_device *tdev, u32 ctx,
			      u32 engine, u32 tail);
void tessera_hw_ring_discard(struct tessera_device *tdev, u32 ctx,
			     u32 engine);

u32 tessera_hw_engine_status(struct tessera_device *tdev, u32 engine);
u32 tessera_hw_engine_ctx(struct tessera_device *tdev, u32 engine);
void tessera_hw_engine_start(struct tessera_device *tdev, u32 engine,
			     u32 ctx);
void tessera_hw_engine_preempt(struct tessera_device *tdev, u32 engine);
void tessera_hw_engine_switch(struct tessera_device *tdev, u32 engine,
			      u32 ctx);
void tessera_hw_engine_switch_cancel(struct tessera_device *tdev,
				     u32 engine);
bool tessera_hw_engine_switch_pending(struct tessera_device *tdev,
				      u32 engine);
u64 tessera_hw_engine_switch_busy_ns(struct tessera_device *tdev,
				     u32 engine);
void tessera_hw_engine_reset(struct tessera_device *tdev, u32 engine);
void tessera_hw_engine_fault(struct tessera_device *tdev, u32 engine,
			     struct tessera_hw_fault *f);
u32 tessera_hw_engine_int_status(struct tessera_device *tdev, u32 engine);
void tessera_hw_engine_int_ack(struct tessera_device *tdev, u32 engine,
			       u32 causes);
void tessera_hw_engine_int_enable(struct tessera_device *tdev, u32 engine,
				  u32 causes);

u32 tessera_hw_int_status(struct tessera_device *tdev);
void tessera_hw_int_enable(struct tessera_device *tdev, u32 sources);
u32 tessera_hw_db_take(struct tessera_device *tdev, u32 word);

#endif /* TESSERA_HW_CORE_H */
