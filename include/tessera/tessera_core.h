/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core API: what tessera-vgpu.ko (drivers/tessera/vgpu/) may call in
 * tessera.ko (drivers/tessera/core/, lib/). Every function declared here
 * and in <tessera/tessera_hw.h> (the hardware access layer) is exported
 * with EXPORT_SYMBOL_NS_GPL(sym, TESSERA_NS) (tessera_compat.h); the vGPU
 * module imports the namespace. See Documentation/dev/architecture.rst.
 *
 * The vGPU module programs its physical context, GART entries and
 * scheduling only through these; only its CSR table
 * (vgpu/tessera_vgpu_csr.c) accesses registers itself, through
 * tessera_hw_csr_read() and friends, to pass a guest's accesses through.
 * The core's structures are opaque to it: what it sees of a device, a
 * context and its rings comes from the accessors of tessera_view.c below,
 * and it includes no header of drivers/tessera/core/
 * (scripts/check-modules.sh checks all three).
 */
#ifndef TESSERA_CORE_H
#define TESSERA_CORE_H

#include <linux/compiler_attributes.h>
#include <linux/types.h>

#include <tessera/tessera_hw.h>

struct device;
struct wait_queue_entry;
struct tessera_device;
struct tessera_ctx;
struct tessera_ring;

/**
 * struct tessera_mediator_ops - a mediator of the GPUs bound by tessera.ko
 * @attach: a GPU is bound (or was, when the mediator registers): offer
 *          what the mediator offers on it. Return: 0 or a negative errno;
 *          on an error the GPU goes on without the mediator (a warning is
 *          logged) and @detach is not called for it.
 * @detach: a GPU that @attach succeeded on is about to be removed, or the
 *          mediator unregisters: take back everything it offers on it and
 *          wait for its users. The core's teardown of the GPU begins only
 *          after @detach returns.
 *
 * Both are called in process context under the core's mediator mutex,
 * which serialises them with each other, with the registration of the
 * mediator and with probe and remove of every GPU (which hold the PCI
 * device lock outside the mutex). They may sleep; they must not take the
 * PCI device lock of a Tessera GPU nor call tessera_register_mediator() or
 * tessera_unregister_mediator().
 */
struct tessera_mediator_ops {
	int (*attach)(struct tessera_device *tdev);
	void (*detach)(struct tessera_device *tdev);
};

/* tessera_mediator.c */
int tessera_register_mediator(const struct tessera_mediator_ops *ops);
void tessera_unregister_mediator(const struct tessera_mediator_ops *ops);

/* tessera_vram.c */
void tessera_vram_scrub(struct tessera_device *tdev, u64 offset, u64 size);

/* tessera_ctx.c */
struct tessera_ctx *tessera_ctx_create_sized(struct tessera_device *tdev,
					     u64 vram_size, u64 gart_size);
void tessera_ctx_destroy(struct tessera_ctx *ctx);
u64 tessera_ctx_capacity(struct tessera_device *tdev, u64 vram_size,
			 u64 gart_size);

/* tessera_sched.c */
void tessera_sched_ring_ready(struct tessera_ring *ring);
void tessera_sched_quiesce_ctx(struct tessera_ctx *ctx);
void tessera_sched_hold_ctx(struct tessera_ctx *ctx);
void tessera_sched_release_ctx(struct tessera_ctx *ctx);
bool tessera_sched_ctx_active(struct tessera_ctx *ctx);
bool tessera_sched_ring_block(struct tessera_ring *ring, bool block);
bool tessera_sched_ring_off(struct tessera_ring *ring, long timeout);
bool tessera_sched_ring_loaded(const struct tessera_ring *ring);
void tessera_sched_ring_weight(struct tessera_ring *ring, u32 weight);
void tessera_sched_watch(struct tessera_device *tdev, u32 engine,
			 struct wait_queue_entry *wait);
void tessera_sched_unwatch(struct tessera_device *tdev, u32 engine,
			   struct wait_queue_entry *wait);

/* tessera_doorbell.c */
unsigned long tessera_doorbell_pfn(struct tessera_ctx *ctx);

/**
 * struct tessera_dev_info - the fixed shape of a device
 *	(tessera_dev_get_info())
 * @dev: the device of its PCI function (for DMA mapping and messages)
 * @name: "tesseraN"
 * @hw_version: REG_VERSION
 * @caps: REG_CAPS
 * @is_virtual: TESSERA_CAPS_VIRTUAL: the device is itself a vGPU
 * @num_engines: engines
 * @num_compute: compute engines
 * @num_copy: copy engines
 * @vram_size: usable VRAM bytes
 * @vram_phys: bus address of its VRAM BAR (BAR2)
 * @db_phys: bus address of its doorbell BAR (BAR4)
 */
struct tessera_dev_info {
	struct device *dev;
	const char *name;
	u32 hw_version;
	u32 caps;
	bool is_virtual;
	u32 num_engines;
	u32 num_compute;
	u32 num_copy;
	u64 vram_size;
	resource_size_t vram_phys;
	resource_size_t db_phys;
};

/**
 * struct tessera_ctx_info - a context's hardware number and windows
 *	(tessera_ctx_get_info())
 * @id: hardware context number
 * @vram_base: VRAM offset of its window
 * @vram_size: window bytes
 * @gart_base: first GART entry of its window
 * @gart_size: GART window bytes (entries * 4 KiB)
 */
struct tessera_ctx_info {
	u32 id;
	u64 vram_base;
	u64 vram_size;
	u32 gart_base;
	u64 gart_size;
};

/**
 * struct tessera_ring_stats - a ring's scheduling statistics
 *	(tessera_ring_get_stats())
 * @loads: times the scheduler loaded the ring onto its engine (see
 *	tessera_ring.loads in core/tessera_drv.h)
 * @runtime_ns: device busy time of the ring so far
 * @weight: its scheduling weight
 */
struct tessera_ring_stats {
	u64 loads;
	u64 runtime_ns;
	u32 weight;
};

/**
 * struct tessera_ctx_fault - a context's last fault
 *	(tessera_ctx_fault_take())
 * @count: faults so far
 * @engine: engine of the last one
 * @code: its TESSERA_FAULT_* code
 * @addr: its GPU VA
 */
struct tessera_ctx_fault {
	u64 count;
	u32 engine;
	u32 code;
	u64 addr;
};

/* tessera_view.c: what a mediator may see of a device, context, ring */
void tessera_dev_get_info(struct tessera_device *tdev,
			  struct tessera_dev_info *info);
void tessera_ctx_get_info(struct tessera_ctx *ctx,
			  struct tessera_ctx_info *info);
__printf(2, 3)
void tessera_ctx_set_name(struct tessera_ctx *ctx, const char *fmt, ...);
struct tessera_ring *tessera_ctx_ring(struct tessera_ctx *ctx, u32 engine);
void tessera_ring_get_stats(const struct tessera_ring *ring,
			    struct tessera_ring_stats *st);
u64 tessera_ctx_fault_count(struct tessera_ctx *ctx);
bool tessera_ctx_fault_take(struct tessera_ctx *ctx, u64 seen,
			    struct tessera_ctx_fault *f);
u64 tessera_ctx_irq_storms(struct tessera_ctx *ctx);
void tessera_ctx_vram_read(struct tessera_ctx *ctx, u64 offset, void *buf,
			   size_t len);
void tessera_ctx_vram_write(struct tessera_ctx *ctx, u64 offset,
			    const void *buf, size_t len);

#endif /* TESSERA_CORE_H */
