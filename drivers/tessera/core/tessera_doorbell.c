// SPDX-License-Identifier: GPL-2.0
/*
 * Doorbells: each context owns one page of BAR4. A write there sets a ring
 * tail without a system call; when the context is not loaded on that
 * engine the device flags it in DB_PENDING and raises the global
 * interrupt, and the doorbell work hands the context to the scheduler.
 */
#include <linux/mm.h>

#include "tessera_compat.h"
#include "tessera_drv.h"

static void tessera_doorbell_work(struct work_struct *work)
{
	struct tessera_device *tdev = container_of(work, struct tessera_device,
						   db_work);
	unsigned long id;
	u32 e;

	mutex_lock(&tdev->lock);
	for_each_set_bit(id, tdev->db_pending, TESSERA_MAX_CONTEXTS) {
		struct tessera_ctx *ctx;

		clear_bit(id, tdev->db_pending);
		ctx = id < tdev->num_contexts ? tdev->ctx_table[id] : NULL;
		if (!ctx || tdev->dead)
			continue;
		for (e = 0; e < tdev->num_engines; e++)
			tessera_sched_ring_ready(&ctx->rings[e]);
	}
	mutex_unlock(&tdev->lock);
}

/**
 * tessera_doorbell_init() - set up doorbell handling
 * @tdev: device
 */
void tessera_doorbell_init(struct tessera_device *tdev)
{
	INIT_WORK(&tdev->db_work, tessera_doorbell_work);
}

/**
 * tessera_doorbell_irq() - acknowledge pending doorbells
 * @tdev: device
 *
 * Context: hard interrupt.
 */
void tessera_doorbell_irq(struct tessera_device *tdev)
{
	u32 n, v, regs = DIV_ROUND_UP(tdev->num_contexts, 32);
	bool any = false;

	for (n = 0; n < regs; n++) {
		v = tessera_rd(tdev, TESSERA_REG_DB_PENDING(n));
		if (!v)
			continue;
		tessera_wr(tdev, TESSERA_REG_DB_PENDING(n), v);
		while (v) {
			set_bit(n * 32 + __ffs(v), tdev->db_pending);
			v &= v - 1;
		}
		any = true;
	}
	if (any && !READ_ONCE(tdev->dead))
		queue_work(tdev->wq, &tdev->db_work);
}

/**
 * tessera_doorbell_pfn() - page frame of a context's doorbell page
 * @ctx: context
 *
 * Return: the PFN in BAR4.
 */
unsigned long tessera_doorbell_pfn(struct tessera_ctx *ctx)
{
	return (ctx->tdev->db_phys +
		(u64)ctx->id * TESSERA_DOORBELL_PAGE_SIZE) >> PAGE_SHIFT;
}
EXPORT_SYMBOL_NS_GPL(tessera_doorbell_pfn, TESSERA_NS);
