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
 * (vgpu/tessera_vgpu_csr.c) accesses registers itself, to pass a guest's
 * accesses through (scripts/check-modules.sh checks both). It still reads
 * the core's structures (core/tessera_drv.h) for the device's shape and
 * the context's windows.
 */
#ifndef TESSERA_CORE_H
#define TESSERA_CORE_H

#include <linux/types.h>

#include <tessera/tessera_hw.h>

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

#endif /* TESSERA_CORE_H */
