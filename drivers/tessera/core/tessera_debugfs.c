// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/tessera/<pci address>/
 *   accounting  resources in use (contexts, VRAM, GART, pinned pages, ...);
 *               all zero when no file is open: the leak check of the tests
 *   contexts    per-context state
 *   engines     per-engine state and scheduler counters
 *   fences      per engine, fences completed by interrupt, by the timer's
 *               passes and by other passes (enum tessera_pass)
 *   doorbells   doorbell interrupts, work passes, and passes after which
 *               the unmask waited a tick (tessera_doorbell.c)
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "tessera_drv.h"
#include "tessera_debugfs.h"
#include "tessera_sched_ts.h"
#include "tessera_hw_core.h"

static struct dentry *tessera_debugfs_root;

static int accounting_show(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = m->private;

	seq_printf(m, "contexts %d\n", atomic_read(&tdev->nr_ctx));
	seq_printf(m, "vram_bytes %lld\n",
		   (long long)atomic64_read(&tdev->vram_used));
	seq_printf(m, "gart_entries %lld\n",
		   (long long)atomic64_read(&tdev->gart_used));
	seq_printf(m, "pinned_pages %lld\n",
		   (long long)atomic64_read(&tdev->pinned_pages));
	seq_printf(m, "buffers %d\n", atomic_read(&tdev->nr_bos));
	seq_printf(m, "gart_maps %d\n", atomic_read(&tdev->nr_maps));
	/* Not a resource: a count of events since the probe. */
	seq_printf(m, "torn_reads %lld\n",
		   (long long)atomic64_read(&tdev->torn_reads));
	mutex_lock(&tdev->lock);
	seq_printf(m, "vram_free %llu\n",
		   tessera_buddy_free_bytes(&tdev->vram_alloc));
	seq_printf(m, "vram_largest_free %llu\n",
		   tessera_buddy_largest_free(&tdev->vram_alloc));
	seq_printf(m, "gart_free_entries %llu\n",
		   tessera_buddy_free_bytes(&tdev->gart_alloc) >>
		   TESSERA_PAGE_SHIFT);
	mutex_unlock(&tdev->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(accounting);

static int doorbells_show(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = m->private;

	seq_printf(m, "irqs %lld\n", (long long)atomic64_read(&tdev->db_irqs));
	seq_printf(m, "passes %lld\n",
		   (long long)atomic64_read(&tdev->db_passes));
	seq_printf(m, "throttled %lld\n",
		   (long long)atomic64_read(&tdev->db_throttled));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(doorbells);

static int contexts_show(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = m->private;
	struct tessera_ctx *ctx;
	u32 e;

	mutex_lock(&tdev->lock);
	list_for_each_entry(ctx, &tdev->ctx_list, node) {
		seq_printf(m, "ctx %u pid %d comm %s vram 0x%llx+0x%llx gart %u+%llu bo_bytes %llu pinned %llu submits %llu faults %llu%s\n",
			   ctx->id, ctx->pid, ctx->comm, ctx->vram_base,
			   ctx->vram_size, ctx->gart_base,
			   ctx->gart_size >> TESSERA_PAGE_SHIFT, ctx->bo_bytes,
			   ctx->pinned_pages, ctx->submits, ctx->fault.count,
			   ctx->dead ? " dead" : "");
		for (e = 0; e < tdev->num_engines; e++) {
			struct tessera_ring *r = &ctx->rings[e];

			seq_printf(m, "  ring %u: tail 0x%x submitted %llu completed %llu error %llu..%llu runtime_ns %llu slices %llu\n",
				   e, r->tail, r->last_seqno, r->completed,
				   r->err_first, r->err_last, r->ent.runtime_ns,
				   r->ent.slices);
		}
	}
	mutex_unlock(&tdev->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(contexts);

static const char *const state_names[] = {
	"stopped", "running", "waiting", "faulted"
};

static int engines_show(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = m->private;
	u32 e, st;

	down_read(&tdev->hw_sem);
	for (e = 0; e < tdev->num_engines && !tdev->dead; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		mutex_lock(&eng->lock);
		st = tessera_hw_engine_status(tdev, e);
		seq_printf(m, "engine %u class %s state %s%s ctx %u current %d queued %u busy_ns %llu irqs %lld switches %llu preempts %llu faults %llu resets %llu\n",
			   e, eng->class == TESSERA_ENG_CLASS_COMPUTE ?
			   "compute" : "copy",
			   TESSERA_ENG_STATE(st) < ARRAY_SIZE(state_names) ?
			   state_names[TESSERA_ENG_STATE(st)] : "?",
			   st & TESSERA_ENG_STATUS_PREEMPT_PENDING ?
			   "+preempting" : "",
			   tessera_hw_engine_ctx(tdev, e),
			   eng->cur ? (int)eng->cur->ctx->id : -1,
			   eng->rq.nr_queued,
			   tessera_hw_engine_busy_ns(tdev, e),
			   (long long)atomic64_read(&eng->irqs), eng->switches,
			   eng->preempts, eng->faults, eng->resets);
		mutex_unlock(&eng->lock);
	}
	up_read(&tdev->hw_sem);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(engines);

/*
 * "engine N irq A timer B other C" per engine, then "total irq A timer B
 * other C": fences by the kind of pass that saw them complete first
 * (enum tessera_pass). Since the device was probed.
 */
static int fences_show(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = m->private;
	u64 tot[TESSERA_PASS_NR] = { 0 }, by[TESSERA_PASS_NR];
	u32 e, k;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		mutex_lock(&eng->lock);
		memcpy(by, eng->fences_by, sizeof(by));
		mutex_unlock(&eng->lock);
		for (k = 0; k < TESSERA_PASS_NR; k++)
			tot[k] += by[k];
		seq_printf(m, "engine %u irq %llu timer %llu other %llu\n", e,
			   by[TESSERA_PASS_IRQ], by[TESSERA_PASS_TIMER],
			   by[TESSERA_PASS_OTHER]);
	}
	seq_printf(m, "total irq %llu timer %llu other %llu\n",
		   tot[TESSERA_PASS_IRQ], tot[TESSERA_PASS_TIMER],
		   tot[TESSERA_PASS_OTHER]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fences);

/**
 * tessera_debugfs_module_init() - create /sys/kernel/debug/tessera
 */
void tessera_debugfs_module_init(void)
{
	tessera_debugfs_root = debugfs_create_dir(TESSERA_DRV_NAME, NULL);
}

/**
 * tessera_debugfs_module_exit() - remove /sys/kernel/debug/tessera
 */
void tessera_debugfs_module_exit(void)
{
	debugfs_remove_recursive(tessera_debugfs_root);
	tessera_debugfs_root = NULL;
}

/**
 * tessera_debugfs_init() - create the device's debugfs directory
 * @tdev: device
 */
void tessera_debugfs_init(struct tessera_device *tdev)
{
	tdev->debugfs = debugfs_create_dir(pci_name(tdev->pdev),
					   tessera_debugfs_root);
	debugfs_create_file("accounting", 0444, tdev->debugfs, tdev,
			    &accounting_fops);
	debugfs_create_file("contexts", 0444, tdev->debugfs, tdev,
			    &contexts_fops);
	debugfs_create_file("engines", 0444, tdev->debugfs, tdev,
			    &engines_fops);
	debugfs_create_file("fences", 0444, tdev->debugfs, tdev,
			    &fences_fops);
	debugfs_create_file("doorbells", 0444, tdev->debugfs, tdev,
			    &doorbells_fops);
	tessera_sched_debugfs_init(tdev);
}

/**
 * tessera_debugfs_fini() - remove the device's debugfs directory
 * @tdev: device
 */
void tessera_debugfs_fini(struct tessera_device *tdev)
{
	debugfs_remove_recursive(tdev->debugfs);
	tdev->debugfs = NULL;
}
