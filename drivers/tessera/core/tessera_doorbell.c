// SPDX-License-Identifier: GPL-2.0
/*
 * Doorbells: each context owns one page of BAR4. A write there sets a ring
 * tail without a system call; when the context is not loaded on that
 * engine the device flags it in DB_PENDING and raises the global
 * interrupt, and the doorbell work hands the context to the scheduler.
 *
 * The handler masks the doorbell interrupt and the work acknowledges,
 * serves and unmasks, at most TESSERA_DB_PASSES_PER_MS times a
 * millisecond (then a tick later): doorbells coalesce into work passes,
 * and a storm of them is bounded.
 */
#include <linux/ktime.h>
#include <linux/mm.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_doorbell.h"
#include "tessera_irq.h"
#include "tessera_hw_core.h"

/* Acknowledge (W1C) what rang and note it in db_pending. */
static void db_collect(struct tessera_device *tdev)
{
	u32 n, v, regs = DIV_ROUND_UP(tdev->num_contexts, 32);

	for (n = 0; n < regs; n++) {
		v = tessera_hw_db_take(tdev, n);
		if (!v || v == ~0u)
			continue;
		while (v) {
			set_bit(n * 32 + __ffs(v), tdev->db_pending);
			v &= v - 1;
		}
	}
}

/*
 * Unmask the doorbell interrupt: at once, or a tick later if the work ran
 * more than TESSERA_DB_PASSES_PER_MS times in the current millisecond. A
 * tenant hammering its doorbell for an engine it is not loaded on then
 * costs the host at most that many interrupts and passes per millisecond,
 * each pass serving every context that rang meanwhile, instead of one
 * interrupt per write.
 */
static void db_rearm(struct tessera_device *tdev)
{
	u64 now = ktime_get_ns();

	if (now - tdev->db_window >= NSEC_PER_MSEC) {
		tdev->db_window = now;
		tdev->db_window_passes = 0;
	}
	if (++tdev->db_window_passes <= TESSERA_DB_PASSES_PER_MS) {
		tessera_irq_mask_doorbell(tdev, false);
		return;
	}
	atomic64_inc(&tdev->db_throttled);
	dev_warn_ratelimited(&tdev->pdev->dev,
			     "doorbell storm: interrupts held for a tick (%lld times so far)\n",
			     (long long)atomic64_read(&tdev->db_throttled));
	queue_delayed_work(tdev->wq, &tdev->db_rearm, 1);
}

static void tessera_doorbell_work(struct work_struct *work)
{
	struct tessera_device *tdev = container_of(work, struct tessera_device,
						   db_work);
	unsigned long id;
	u32 e;

	atomic64_inc(&tdev->db_passes);
	mutex_lock(&tdev->lock);
	if (!tdev->dead)
		db_collect(tdev);
	for_each_set_bit(id, tdev->db_pending, TESSERA_MAX_CONTEXTS) {
		struct tessera_ctx *ctx;

		clear_bit(id, tdev->db_pending);
		ctx = id < tdev->num_contexts ? tdev->ctx_table[id] : NULL;
		if (!ctx || tdev->dead)
			continue;
		for (e = 0; e < tdev->num_engines; e++)
			tessera_sched_ring_ready(&ctx->rings[e]);
	}
	if (!tdev->dead)
		db_rearm(tdev);
	mutex_unlock(&tdev->lock);
}

static void tessera_doorbell_rearm_work(struct work_struct *work)
{
	struct tessera_device *tdev = container_of(to_delayed_work(work),
						   struct tessera_device,
						   db_rearm);

	tessera_irq_mask_doorbell(tdev, false);
}

/**
 * tessera_doorbell_init() - set up doorbell handling
 * @tdev: device
 */
void tessera_doorbell_init(struct tessera_device *tdev)
{
	spin_lock_init(&tdev->int_lock);
	INIT_WORK(&tdev->db_work, tessera_doorbell_work);
	INIT_DELAYED_WORK(&tdev->db_rearm, tessera_doorbell_rearm_work);
}

/**
 * tessera_doorbell_irq() - a doorbell rang: mask and hand over
 * @tdev: device
 *
 * The doorbell interrupt stays masked until the doorbell work has
 * acknowledged the DB_PENDING bits and served their contexts; doorbells
 * meanwhile only set bits, and the unmask raises the interrupt again if
 * any did.
 *
 * Context: hard interrupt.
 * Return: false if the doorbell interrupt was masked already (not ours:
 * on a shared line, the status bit stays set while the work is on its way).
 */
bool tessera_doorbell_irq(struct tessera_device *tdev)
{
	if (!tessera_irq_mask_doorbell(tdev, true))
		return false;
	atomic64_inc(&tdev->db_irqs);
	if (!READ_ONCE(tdev->dead))
		queue_work(tdev->wq, &tdev->db_work);
	return true;
}

/**
 * tessera_doorbell_quiesce() - wait for the doorbell work and its unmask
 * @tdev: device, interrupts disabled (tessera_irq_disable())
 */
void tessera_doorbell_quiesce(struct tessera_device *tdev)
{
	cancel_work_sync(&tdev->db_work);
	cancel_delayed_work_sync(&tdev->db_rearm);
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
