/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera host driver: the device, its engines, contexts and rings as the
 * core's files share them, and the core's locking (DOC: Locking). Each
 * core file's functions are declared in its own header (tessera_X.c:
 * tessera_X.h); what the vGPU module may call, in <tessera/tessera_core.h>.
 */
#ifndef TESSERA_DRV_H
#define TESSERA_DRV_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/io.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <tessera/tessera_core.h>
#include <tessera/tessera_regs.h>
#include "tessera_buddy.h"
#include "tessera_sched_policy.h"

/**
 * DOC: Locking
 *
 * The core's locks, outermost first. A path takes a lock only while it
 * holds none listed below it; many paths start further down (the engine
 * work takes only eng->lock and what is under it).
 *
 *   mm->mmap_lock (the user's, not the core's)
 *	tessera_vm_fault() runs under it and takes hw_sem: so nothing
 *	under hw_sem or any lock below may take mmap_lock or fault on user
 *	memory (no copy_{from,to}_user(), pin_user_pages*() or
 *	account_locked_vm(): tessera_cdev.c, tessera_gart.c).
 *
 *   tdev->hw_sem (rw_semaphore)
 *	Read around every device access on behalf of a file (the ioctls
 *	but WAIT, open, release, the mmap fault, the device part of a GART
 *	map; debugfs "engines", sysfs engine_busy_ns); written only by
 *	removal, to set tdev->dead, so removal waits for every such access
 *	before it stops the engines and takes the contexts' resources.
 *	Never taken twice for reading on one path: a down_write() queued
 *	in between deadlocks.
 *
 *   tdev->lock (mutex)
 *	tdev->vram_alloc, ->gart_alloc, ->ctx_table, ->ctx_list,
 *	->ctx_ids, and ->dead (written under hw_sem for writing as well;
 *	read under either, or with READ_ONCE() where neither is held).
 *	Held across the doorbell work (->db_pending, ->db_window,
 *	->db_window_passes) and, at removal, across tessera_ctx_kill() of
 *	every context. Taken under it: eng->lock (doorbell work, sysfs
 *	sched/weights), ctx->lock (tessera_ctx_kill()), tdev->int_lock.
 *
 *   eng->lock (mutex; one engine at a time)
 *	The engine's control registers (ENG_CTX, ENG_CTRL, ENG_NEXT_CTX,
 *	ENG_INT_MASK) and scheduler state: ->rq with every ring's ->ent,
 *	->cur, ->hw_next, ->cur_start, ->cur_busy, ->cur_hung, ->check_at,
 *	->preempt_at, ->preempt_busy, ->preempt_due, ->out_reason,
 *	->contended_at, ->pass, ->pass_classified, ->fences_by,
 *	->budget_start, ->irqs_throttled, ->storms, ->switches,
 *	->preempts, ->faults, ->resets; of each ring on the engine
 *	->completed, ->blocked, ->held and ->loads. Lockless readers
 *	(the timer, fence waits, the vGPU module through
 *	tessera_ring_get_stats()) use READ_ONCE() on ->contended_at, ->cur,
 *	->completed and ->loads (and ->ent.runtime_ns, ->ent.weight). The
 *	engine work runs under it, and it is held while waiting for the
 *	engine to stop (eng_wait_stopped() sleeps).
 *
 *   ring->lock (mutex), ctx->lock (mutex): never held together
 *	ring->lock serialises the core's submissions to the ring: ->tail,
 *	->last_seqno, ->err_first, ->err_last (written under it, read
 *	locklessly), the ring's RING_HEAD/RING_TAIL and its VRAM.
 *	ctx->lock: ->vram_heap, ->gart_heap, ->bos, ->maps (removal and
 *	release erase without it, when no file operation can race them),
 *	->fault, ->dead (also read with READ_ONCE()), ->bo_bytes,
 *	->pinned_pages and the GART entries of the core's mappings in the
 *	context's window. Both are taken under eng->lock when a fault or a
 *	hang is reported (sched_report_client(): ring->lock, then
 *	ctx->lock, each released before the next is taken).
 *
 *   eng->timer_lock (spinlock), tdev->int_lock (spinlock): innermost,
 *   never held together, nothing is taken under either
 *	eng->timer_lock: ->timer_may_preempt, ->timer_next,
 *	->timer_next_ctx, ->timer_preempted, ->timer_preempt_ns,
 *	->timer_preempt_busy, ->timer_preempt_due, ->slice_end (written
 *	under eng->lock as well) and the timer's own ENG_NEXT_CTX and
 *	ENG_CTRL writes, allowed only while ->timer_may_preempt: an
 *	eng->lock holder that drives the engine first clears it
 *	(sched_timer_sync()) or cancels the timer (removal). Taken by the
 *	hrtimer callback, and under eng->lock by everybody else.
 *	tdev->int_lock: REG_INT_ENABLE, ->irq_on, ->db_masked; taken in
 *	hard interrupt context (the doorbell), by the doorbell work (under
 *	tdev->lock) and its delayed unmask, by tessera_irq_enable() and
 *	tessera_irq_disable().
 *
 * Rules:
 *
 * - Interrupt and timer context take no lock of the core but the two
 *   spinlocks, and both are always taken with interrupts disabled
 *   (_irqsave, or _irq in process context): the engine interrupt
 *   handler takes none at all (atomics, ->kicked, tessera_sched_kick(),
 *   wake-ups), the doorbell one tdev->int_lock, the slice timer
 *   eng->timer_lock. Nothing that sleeps under a spinlock.
 * - The mutexes and hw_sem are process context only and may be held
 *   while sleeping (eng->lock across engine stops and resets, ctx->lock
 *   across VRAM scrubbing and GART writes with cond_resched()).
 * - Faults: the CPU fault handler, tessera_vm_fault(), holds mmap_lock
 *   and takes hw_sem for reading, then ctx->lock. An engine fault is
 *   handled by the engine's work under eng->lock (sched_handle_fault()),
 *   which takes ring->lock, then ctx->lock, as above.
 * - A work is not flushed holding the lock it takes:
 *   tessera_sched_fini() (the engine work takes eng->lock) runs without
 *   eng->lock, tessera_irq_disable() (the doorbell work takes
 *   tdev->lock) without tdev->lock.
 * - eng->fence_wq is woken holding no lock of the core (after the work
 *   drops eng->lock, or in the interrupt handler): the vGPU module
 *   hooks a wake function on it (vgpu_wake(), lockless).
 * - tessera_mediator_lock (tessera_mediator.c) sits outside all of the
 *   core's locks (device_lock(&pdev->dev), then it, then whatever the
 *   mediator's attach and detach take); the core never takes it holding
 *   a lock of its own.
 * - The vGPU module's locks, "Locking of a vGPU" in
 *   drivers/tessera/vgpu/tessera_vgpu.h (the migration lock, vgpu->lock,
 *   vgpu->gart_lock, mm->mmap_lock, vgpu->mem_sem), all sit outside the
 *   core's: it calls the core API (<tessera/tessera_core.h>), possibly
 *   holding them, and takes none of the core's locks itself (the core's
 *   structures are opaque to it: tessera_view.c reads them for it, e.g.
 *   the fault record under ctx->lock); the core never takes a lock of the
 *   vGPU module, nor calls into it holding one of its own.
 */

#define TESSERA_DRV_NAME	"tessera"

/**
 * struct tessera_config - a device's settings, copied from the module
 * parameters (tessera_drv.c) at probe, so that no other file reads them
 * @ctx_vram: VRAM window of a native context, bytes (power of two)
 * @ctx_gart: GART window of a native context, bytes (power of two)
 * @ring_size: ring size of each context and engine, bytes (power of two)
 * @timeslice_ns: the scheduler's time slice
 */
struct tessera_config {
	u64 ctx_vram;
	u64 ctx_gart;
	u32 ring_size;
	u64 timeslice_ns;
};

struct tessera_device;
struct tessera_ctx;

/**
 * struct tessera_ring - one context's ring on one engine
 * @ctx: owner
 * @engine: engine number
 * @offset: GPU VA (= VRAM window offset) of the ring
 * @size: bytes
 * @tail: next byte to write (software copy of RING_TAIL)
 * @last_seqno: last fence submitted
 * @completed: last fence seen completed (from RING_FENCE, by the scheduler)
 * @fence_base: RING_FENCE when the context was created (the register keeps
 *              the previous owner's value; fences are relative to it)
 * @err_first: first fence discarded by the last fault (0: none)
 * @err_last: last fence discarded by the last fault
 * @blocked: quiesced, not to be scheduled
 * @held: holds of tessera_sched_hold_ctx(): not to be scheduled either
 * @loads: times the scheduler loaded the ring onto the engine (written
 *         under the engine's lock, read locklessly): its fence and
 *         status move only while it is loaded, so an observer that saw
 *         it unloaded with the same count has nothing new to read
 * @ent: scheduling entity (tessera_sched_policy.h)
 * @lock: serialises submissions to this ring
 */
struct tessera_ring {
	struct tessera_ctx *ctx;
	u32 engine;
	u64 offset;
	u32 size;
	u32 tail;
	u64 last_seqno;
	u64 completed;
	u64 fence_base;
	u64 err_first;
	u64 err_last;
	bool blocked;
	u32 held;
	u64 loads;
	struct tessera_sched_entity ent;
	struct mutex lock; /* submissions to this ring */
};

/**
 * struct tessera_fault_rec - a context's last fault
 * @valid: a fault was recorded
 * @unread: not yet read by the owner
 * @engine: engine
 * @code: TESSERA_FAULT_*
 * @addr: GPU VA
 * @count: faults so far
 * @first_fence: first fence discarded
 * @last_fence: last fence discarded
 */
struct tessera_fault_rec {
	bool valid;
	bool unread;
	u32 engine;
	u32 code;
	u64 addr;
	u64 count;
	u64 first_fence;
	u64 last_fence;
};

/**
 * struct tessera_bo - a VRAM buffer inside a context's window
 * @handle: device-wide unique id; mmap offset is handle << 32
 * @offset: offset in the context's window (= GPU VA)
 * @size: bytes requested
 * @alloc_size: bytes reserved (power of two pages)
 */
struct tessera_bo {
	u32 handle;
	u64 offset;
	u64 size;
	u64 alloc_size;
};

#define TESSERA_BO_MMAP_SHIFT	32	/* mmap offset = handle << 32 */

/**
 * struct tessera_gart_mapping - user pages mapped in a context's GART window
 * @handle: id within the context
 * @offset: byte offset in the GART window
 * @npages: pages
 * @window_size: bytes reserved in the window
 * @writable: engines may write
 * @pages: pinned pages
 * @sgt: DMA mapping
 * @mm: the mm charged for the pinned pages
 */
struct tessera_gart_mapping {
	u32 handle;
	u64 offset;
	unsigned long npages;
	u64 window_size;
	bool writable;
	struct page **pages;
	struct sg_table sgt;
	struct mm_struct *mm;
};

/**
 * struct tessera_ctx - a hardware context and its owner's resources
 * @tdev: device
 * @id: hardware context number (never 0: context 0 is the host's)
 * @node: on tdev->ctx_list
 * @lock: protects the heaps, @bos, @maps, @fault, @dead, @bo_bytes and
 *	@pinned_pages (DOC: Locking)
 * @dead: the device went away; only release is allowed
 * @vram_base: VRAM offset of the window
 * @vram_size: window bytes
 * @vram_heap: sub-allocator of the window (rings, buffers)
 * @gart_base: first GART entry of the window
 * @gart_size: window bytes (entries * 4 KiB)
 * @gart_heap: sub-allocator of the GART window
 * @bos: buffers by handle
 * @maps: GART mappings by handle
 * @rings: one per engine
 * @fault: last fault
 * @wq: woken on faults and on device removal
 * @mapping: the address space the file's mmaps live in (for revocation)
 * @pid: owner's pid (for debugfs)
 * @comm: owner's name (for debugfs)
 * @bo_bytes: bytes in buffers
 * @pinned_pages: pages pinned for GART mappings
 * @submits: jobs submitted
 * @irq_storms: slices in which this context went over the engine
 *	interrupt budget (an adverse event)
 */
struct tessera_ctx {
	struct tessera_device *tdev;
	u32 id;
	struct list_head node;
	struct mutex lock; /* heaps, bos, maps, fault, dead */
	bool dead;
	u64 vram_base;
	u64 vram_size;
	struct tessera_buddy vram_heap;
	u32 gart_base;
	u64 gart_size;
	struct tessera_buddy gart_heap;
	struct xarray bos;
	struct xarray maps;
	struct tessera_ring rings[TESSERA_MAX_ENGINES];
	struct tessera_fault_rec fault;
	wait_queue_head_t wq;
	struct address_space *mapping;
	pid_t pid;
	char comm[16];
	u64 bo_bytes;
	u64 pinned_pages;
	u64 submits;
	atomic64_t irq_storms;
};

/* No hardware context (ENG_NEXT_CTX unused). */
#define TESSERA_NO_CTX	U32_MAX

/**
 * enum tessera_pass - what made the engine's scheduler work run
 * @TESSERA_PASS_OTHER: a submission, a doorbell, a knob change, a quiesce,
 *	removal: anything but the two below
 * @TESSERA_PASS_TIMER: the engine's slice/timeout timer (and no interrupt)
 * @TESSERA_PASS_IRQ: an engine interrupt (fence, idle, preemption, fault),
 *	or a timer pass that found the fence interrupt raised and not yet
 *	handled (ENG_INT_STATUS)
 * @TESSERA_PASS_NR: number of kinds
 *
 * A fence is counted as completed by the kind of the pass that first saw
 * it complete (tessera_engine.fences_by, debugfs "fences"): a fence seen by
 * a timer pass before its interrupt was raised, or by another pass before
 * its interrupt was handled, counts as polled, so the share of
 * TESSERA_PASS_IRQ says how well interrupts reach the driver (a vGPU whose
 * MSI-X never fires completes fences only by its timer passes).
 */
enum tessera_pass {
	TESSERA_PASS_OTHER,
	TESSERA_PASS_TIMER,
	TESSERA_PASS_IRQ,
	TESSERA_PASS_NR
};

/**
 * struct tessera_engine - one engine and its scheduler state
 * @tdev: device
 * @idx: engine number
 * @class: TESSERA_ENG_CLASS_*
 * @lock: protects @rq, @cur and the engine's registers
 * @work: runs the scheduler for this engine
 * @rq: run queue (policy)
 * @cur: ring loaded on the engine, or NULL
 * @cur_start: when @cur was started (ktime ns)
 * @cur_busy: ENG_BUSY_NS when @cur was started
 * @check_at: run time of @cur at its next progress check (ns)
 * @preempt_at: when the pending preemption was requested (ktime ns), or 0
 * @preempt_busy: ENG_BUSY_NS when it was requested
 * @preempt_due: when it became due (slice end, or a later arrival)
 * @slice_end: when @cur's current slice ends (ktime ns)
 * @contended_at: when the run queue last became non-empty (ktime ns)
 * @out_reason: why @cur is being switched out (enum tessera_sched_reason)
 * @timer: slice, preemption-timeout and eligibility timer
 * @cur_hung: the progress check at @cur's last slice end found it hung
 * @hw_next: the ring the timer handed the engine in ENG_NEXT_CTX
 * @timer_lock: serialises the timer's own preemption with the work
 * @timer_may_preempt: the timer may preempt @cur at @slice_end
 * @timer_next: the ring it hands the engine then, or NULL
 * @timer_next_ctx: its hardware context (TESSERA_NO_CTX: none)
 * @timer_preempted: it did, at @timer_preempt_ns with ENG_BUSY_NS at
 *	@timer_preempt_busy (taken over by the work)
 * @timer_preempt_ns: see @timer_preempted
 * @timer_preempt_busy: see @timer_preempted
 * @timer_preempt_due: see @timer_preempted
 * @fence_wq: woken on fence, idle, fault and preemption interrupts
 * @irq: Linux IRQ of the engine's vector (0 when shared)
 * @irqs: interrupts handled
 * @kicked: bits BIT(TESSERA_PASS_IRQ) and BIT(TESSERA_PASS_TIMER): an
 *	interrupt or the timer asked for a pass since the last one began
 * @pass: enum tessera_pass of the running pass (TESSERA_PASS_OTHER outside
 *	the work), under @lock
 * @pass_classified: a timer @pass was told from an interrupt's (by the
 *	fence status bit, at its first completed fence), under @lock
 * @fences_by: fences completed, by the kind of pass that saw them complete
 *	first (enum tessera_pass), under @lock
 * @slice_irqs: fence and idle interrupts since @budget_start (counted by
 *	the handler)
 * @budget_start: start of the current interrupt-budget period (a slice
 *	length; restarted when a client starts), under @lock
 * @irqs_throttled: ENG_INT_FENCE and ENG_INT_IDLE are masked for the rest
 *	of the slice: @cur went over the interrupt budget (under @lock)
 * @storms: slices in which a client went over the budget
 * @switches: context switches
 * @preempts: preemptions requested
 * @faults: faults handled
 * @resets: engine resets
 */
struct tessera_engine {
	struct tessera_device *tdev;
	u32 idx;
	u32 class;
	struct mutex lock; /* rq, cur, engine registers */
	struct delayed_work work;
	struct tessera_rq rq;
	struct tessera_ring *cur;
	u64 cur_start;
	u64 cur_busy;
	u64 check_at;
	u64 preempt_at;
	u64 preempt_busy;
	u64 preempt_due;
	u64 slice_end;
	u64 contended_at;
	u32 out_reason;
	struct hrtimer timer;
	bool cur_hung;
	struct tessera_ring *hw_next;
	spinlock_t timer_lock; /* the seven below */
	bool timer_may_preempt;
	struct tessera_ring *timer_next;
	u32 timer_next_ctx;
	bool timer_preempted;
	u64 timer_preempt_ns;
	u64 timer_preempt_busy;
	u64 timer_preempt_due;
	wait_queue_head_t fence_wq;
	int irq;
	atomic64_t irqs;
	atomic_t slice_irqs;
	u64 budget_start;
	bool irqs_throttled;
	u64 storms;
	unsigned long kicked;
	u32 pass;
	bool pass_classified;
	u64 fences_by[TESSERA_PASS_NR];
	u64 switches;
	u64 preempts;
	u64 faults;
	u64 resets;
};

/**
 * struct tessera_device - one Tessera GPU (physical, or a vGPU in a guest)
 * @pdev: PCI device
 * @kref: held by the driver binding and by each open file
 * @index: N of /dev/tesseraN
 * @name: "tesseraN"
 * @csr: BAR0
 * @vram: BAR2, write-combined
 * @vram_phys: BAR2 bus address
 * @vram_bar_size: BAR2 length
 * @db_phys: BAR4 bus address
 * @db_bar_size: BAR4 length
 * @hw_version: REG_VERSION
 * @caps: REG_CAPS
 * @is_virtual: TESSERA_CAPS_VIRTUAL (driving a vGPU)
 * @num_engines: engines
 * @num_compute: compute engines
 * @num_copy: copy engines
 * @num_contexts: hardware contexts
 * @gart_entries: GART entries
 * @vram_size: usable VRAM bytes
 * @engines: engines
 * @preempt_timeout_us: a preemption not done by then resets the client
 * @hang_slices: slices without ring progress after which a client is hung
 * @irq_budget: engine interrupts a client may cause per slice before its
 *	fence and idle interrupts are masked until the slice ends (0: no limit)
 * @wq: scheduler and doorbell work
 * @db_work: handles doorbell interrupts
 * @db_pending: contexts whose doorbell rang (bitmap)
 * @int_lock: protects REG_INT_ENABLE, @irq_on and @db_masked; innermost,
 *	taken in hard interrupt context
 * @irq_on: interrupts are enabled (tessera_irq_enable() .. _disable())
 * @db_masked: the doorbell interrupt is masked until the doorbell work has
 *	acknowledged what rang (tessera_doorbell.c)
 * @db_rearm: unmasks the doorbell interrupt a tick later when the work
 *	ran more than TESSERA_DB_PASSES_PER_MS times in the last millisecond
 * @db_window: start of that millisecond (ktime, ns); doorbell work only
 * @db_window_passes: doorbell work passes in it; doorbell work only
 * @db_irqs: doorbell interrupts taken
 * @db_passes: doorbell work passes
 * @db_throttled: passes after which the unmask waited a tick
 * @nvec: interrupt vectors in use
 * @shared_irq: one vector serves everything
 * @irq_names: names of the requested interrupts
 * @hw_sem: held for reading by every path that touches the device on
 *          behalf of a file, for writing by removal to set @dead
 * @lock: protects the allocators, @ctx_table, @ctx_list, @ctx_ids and
 *	@dead (DOC: Locking)
 * @dead: removed; files still open get -ENODEV
 * @vram_alloc: global VRAM allocator (context windows)
 * @gart_alloc: global GART allocator (context windows)
 * @ctx_table: contexts by hardware number
 * @ctx_list: open contexts
 * @ctx_ids: bitmap of hardware contexts in use
 * @handles: device-wide buffer handles
 * @misc: /dev/tesseraN
 * @misc_registered: @misc is live
 * @debugfs: debugfs directory
 * @nr_ctx: contexts in use (accounting)
 * @vram_used: bytes of VRAM in context windows (accounting)
 * @gart_used: GART entries in context windows (accounting)
 * @gart_live: GART entries that may be non-zero: set when an entry is
 *             written valid, cleared when it is written 0; a device reset
 *             clears them all, so a new window clears only these (on a
 *             vGPU every entry write is a trapped MMIO access)
 * @pinned_pages: pages pinned for GART mappings (accounting)
 * @nr_bos: buffers (accounting)
 * @nr_maps: GART mappings (accounting)
 * @torn_reads: 64-bit register reads that stayed torn (tessera_hw.c)
 * @cfg: settings from the module parameters, fixed at probe
 * @mediator_node: in the list of bound GPUs (tessera_mediator.c)
 * @mediated: the mediator's attach succeeded on this GPU; both under the
 *            mediator mutex
 */
struct tessera_device {
	struct pci_dev *pdev;
	struct kref kref;
	int index;
	char name[24];
	void __iomem *csr;
	void __iomem *vram;
	resource_size_t vram_phys;
	resource_size_t vram_bar_size;
	resource_size_t db_phys;
	resource_size_t db_bar_size;
	u32 hw_version;
	u32 caps;
	bool is_virtual;
	u32 num_engines;
	u32 num_compute;
	u32 num_copy;
	u32 num_contexts;
	u32 gart_entries;
	u64 vram_size;
	struct tessera_engine engines[TESSERA_MAX_ENGINES];
	u32 preempt_timeout_us;
	u32 hang_slices;
	u32 irq_budget;
	struct workqueue_struct *wq;
	struct work_struct db_work;
	unsigned long db_pending[BITS_TO_LONGS(TESSERA_MAX_CONTEXTS)];
	spinlock_t int_lock;		/* REG_INT_ENABLE, irq_on, db_masked */
	bool irq_on;
	bool db_masked;
	struct delayed_work db_rearm;
	u64 db_window;
	u32 db_window_passes;
	atomic64_t db_irqs;
	atomic64_t db_passes;
	atomic64_t db_throttled;
	int nvec;
	bool shared_irq;
	char irq_names[TESSERA_MSIX_VECTORS][40];
	struct rw_semaphore hw_sem;
	struct mutex lock; /* allocators, ctx table and list, dead */
	bool dead;
	struct tessera_buddy vram_alloc;
	struct tessera_buddy gart_alloc;
	struct tessera_ctx *ctx_table[TESSERA_MAX_CONTEXTS];
	struct list_head ctx_list;
	unsigned long ctx_ids[BITS_TO_LONGS(TESSERA_MAX_CONTEXTS)];
	struct ida handles;
	struct miscdevice misc;
	bool misc_registered;
	struct dentry *debugfs;
	atomic_t nr_ctx;
	atomic64_t vram_used;
	atomic64_t gart_used;
	unsigned long *gart_live;
	atomic64_t pinned_pages;
	atomic_t nr_bos;
	atomic_t nr_maps;
	atomic64_t torn_reads;
	struct tessera_config cfg;
	struct list_head mediator_node;
	bool mediated;
};

/* tessera_drv.c: the device's lifetime */
void tessera_device_put(struct tessera_device *tdev);

#endif /* TESSERA_DRV_H */
