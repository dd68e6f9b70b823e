/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera vGPU mediation layer: shared types of the mdev parent, the vGPU
 * vfio_device and its emulated pieces (config space, BAR0 CSRs, GART
 * shadow, apertures, interrupts). See Documentation/dev/mediation.rst.
 *
 * Everything a vGPU's guest can observe lives in struct tessera_vgpu_state
 * (plain integers, no pointers) so that it can be serialised for live
 * migration; the rest of struct tessera_vgpu is host bookkeeping.
 *
 * Locking of a vGPU, outermost first:
 *
 *   vgpu->lock (mutex)   every emulated access, SET_IRQS, reset, the guest
 *                        side of the GART shadow; held around
 *                        vfio_pin_pages(), which takes the user's mmap_lock
 *                        and type1's iommu->lock, so nothing under
 *                        mmap_lock (mmap, faults) or under type1's locks
 *                        (the dma_unmap callback) may take it
 *   vgpu->gart_lock      the shadow entries and the physical GART slice,
 *                        the DMA dirty log (vgpu->dlog);
 *                        taken by the guest side and by dma_unmap (under
 *                        type1's device_list_lock); never held across
 *                        vfio_pin_pages()/vfio_unpin_pages()
 *   mm->mmap_lock        (the user's; faults of BAR2/BAR4 hold it)
 *   vgpu->mem_sem (rw)   the BAR mappings: faults read, a reset or a
 *                        memory-decoding change writes (revokes, then
 *                        works on VRAM and doorbells with faults held off);
 *                        never held across vfio_(un)pin_pages()
 *   the core's locks, taken only inside the core API it calls (it
 *   takes none of them itself)
 */
#ifndef TESSERA_VGPU_H
#define TESSERA_VGPU_H

#include <linux/eventfd.h>
#include <linux/io.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/vfio.h>
#include "tessera_compat.h"
#include <linux/rwsem.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <tessera/tessera_core.h>
#include <tessera/tessera_regs.h>
#include "tessera_dirty_pages.h"
#include "tessera_sched_policy.h"

#define TESSERA_VGPU_MAX		63	/* one context stays with the host */

/*
 * VFIO region offsets, as vfio-pci: index << 40, plus, on kernels whose
 * VFIO device files share one inode (TESSERA_VFIO_SHARED_INODE), the
 * vGPU's tag << 48 (vgpu->off_base), so that no two vGPUs' mappings share
 * an offset of that inode's address space.
 */
#define TESSERA_VGPU_OFFSET_SHIFT	40
#define TESSERA_VGPU_OFFSET(idx)	((u64)(idx) << TESSERA_VGPU_OFFSET_SHIFT)
#define TESSERA_VGPU_OFF_MASK		(TESSERA_VGPU_OFFSET(1) - 1)
#define TESSERA_VGPU_TAG_SHIFT		48
#define TESSERA_VGPU_TAG_MAX		0x3fff	/* offsets stay below 2^62 */
#define TESSERA_VGPU_OFF_INDEX(off) \
	(((off) >> TESSERA_VGPU_OFFSET_SHIFT) & \
	 ((1u << (TESSERA_VGPU_TAG_SHIFT - TESSERA_VGPU_OFFSET_SHIFT)) - 1))
#define TESSERA_VGPU_OFF_BASE(off) \
	((off) & ~((1ull << TESSERA_VGPU_TAG_SHIFT) - 1))

/* Virtual config space: size and capability layout (vGPU-specific). */
#define TESSERA_VGPU_CFG_SIZE		4096
#define TESSERA_VGPU_CAP_PM		0x40
#define TESSERA_VGPU_CAP_MSI		0x48
#define TESSERA_VGPU_CAP_MSIX		0x60
#define TESSERA_VGPU_CAP_EXP		0x70
#define TESSERA_VGPU_CAP_EXP_SIZE	0x3c

/* Virtual engine states (what ENG_STATUS reports is derived from it). */
enum tessera_vgpu_eng_state {
	TESSERA_VENG_STOPPED = 0,
	TESSERA_VENG_STARTED,	/* RUNNING or WAITING, per the ring */
	TESSERA_VENG_FAULTED,
};

/* Bits of tessera_vgpu.ev_flags. */
#define TESSERA_VGPU_EV_UNMASK		0	/* INTx unmask eventfd fired */

enum tessera_vgpu_irq_type {
	TESSERA_VIRQ_NONE = 0,
	TESSERA_VIRQ_INTX,
	TESSERA_VIRQ_MSI,
	TESSERA_VIRQ_MSIX,
};

/**
 * struct tessera_vgpu_type - a vGPU type offered by every parent
 * @sysfs_name: directory suffix in mdev_supported_types
 * @pretty_name: the type's `name` attribute
 * @vram_mb: VRAM partition, MiB (power of two)
 * @gart_entries: GART slice, entries (power of two)
 * @weight: scheduler weight relative to the smallest type
 */
struct tessera_vgpu_type {
	const char *sysfs_name;
	const char *pretty_name;
	u32 vram_mb;
	u32 gart_entries;
	u32 weight;
};

/**
 * struct tessera_mdev_parent - mdev parent of one physical GPU
 * @parent: mdev core state
 * @types: one mdev_type per tessera_vgpu_type
 * @type_ptrs: pointers for mdev_register_parent()
 * @tdev: the GPU
 * @info: its shape, copied at attach (tessera_dev_get_info())
 * @node: on the global list of parents
 * @lock: protects @vgpus and @nr_vgpus
 * @vgpus: vGPUs of this parent
 * @nr_vgpus: entries on @vgpus
 */
struct tessera_mdev_parent {
	struct mdev_parent parent;
	struct mdev_type *types;
	struct mdev_type **type_ptrs;
	struct tessera_device *tdev;
	struct tessera_dev_info info;
	struct list_head node;
	struct mutex lock; /* vgpus */
	struct list_head vgpus;
	u32 nr_vgpus;
};

/**
 * struct tessera_vgpu_eng - guest-visible state of one virtual engine
 * @state: enum tessera_vgpu_eng_state
 * @ctx: ENG_CTX as written by the guest
 * @fault_code: ENG_FAULT_CODE
 * @fault_addr: ENG_FAULT_ADDR
 * @fence: ENG_FENCE (last fence value seen on the vGPU's ring)
 * @int_status: ENG_INT_STATUS
 * @int_mask: ENG_INT_MASK
 * @was_pending: ring had work at the last event check (for IDLE)
 */
struct tessera_vgpu_eng {
	u32 state;
	u32 ctx;
	u32 fault_code;
	u64 fault_addr;
	u64 fence;
	u32 int_status;
	u32 int_mask;
	u32 was_pending;
};

/**
 * struct tessera_vgpu_state - everything the guest can observe (serialisable)
 * @cfg: config space bytes
 * @int_enable: REG_INT_ENABLE
 * @scratch: REG_SCRATCH
 * @eng: virtual engines
 * @ctx_vram_base: context 0 VRAM window base (in the partition)
 * @ctx_vram_size: context 0 VRAM window size
 * @ctx_gart_base: context 0 GART window base (in the slice)
 * @ctx_gart_size: context 0 GART window entries
 * @ctx_ctrl: context 0 CTX_CTRL
 * @msix_pba: pending bits of MSI-X vectors that have no eventfd
 * @intx_level: INTx asserted (as last signalled)
 * @intx_masked: INTx masked by VFIO (auto-mask or MASK action; VFIO
 *	interrupt state, not device state: a device reset keeps it)
 * @fault_seen: the context's fault count already reported
 *	(tessera_ctx_fault_take())
 * @phys_fence: last RING_FENCE read per engine (event detection)
 * @reset_fence: RING_FENCE at the last reset (reads 0 until it moves)
 * @fence_moved: bit e: RING_FENCE of engine e moved since the reset
 * @line_level: bit v: MSI-X vector v asserted; bit 31: MSI/INTx line
 */
struct tessera_vgpu_state {
	u8 cfg[TESSERA_VGPU_CFG_SIZE];
	u32 int_enable;
	u32 scratch;
	struct tessera_vgpu_eng eng[TESSERA_MAX_ENGINES];
	u64 ctx_vram_base;
	u64 ctx_vram_size;
	u32 ctx_gart_base;
	u32 ctx_gart_size;
	u32 ctx_ctrl;
	u32 msix_pba;
	u32 intx_level;
	u32 intx_masked;
	u64 fault_seen;
	u64 phys_fence[TESSERA_MAX_ENGINES];
	u64 reset_fence[TESSERA_MAX_ENGINES];
	u32 fence_moved;
	u32 line_level;
};

/**
 * struct tessera_vgpu_gart_ent - shadow of one guest GART entry
 * @gentry: the entry as the guest wrote it (IOVA | flags)
 * @page: pinned page, or NULL
 * @dma: its DMA address for the physical GPU
 * @failed: pinning @gentry failed (not retried until the guest changes it)
 * @zap_page: a pin an unmap in progress took from the entry (released by
 *	the unmap path only), or NULL
 * @zap_dma: its DMA address
 * @zap_gentry: the guest value it was pinned for
 *
 * @gentry is written under vgpu->lock and vgpu->gart_lock (read under
 * either); the rest under vgpu->gart_lock.
 */
struct tessera_vgpu_gart_ent {
	u64 gentry;
	struct page *page;
	dma_addr_t dma;
	bool failed;
	struct page *zap_page;
	dma_addr_t zap_dma;
	u64 zap_gentry;
};

struct tessera_mig_file;

/**
 * struct tessera_vgpu_look - what tessera_vgpu_ctx_ran() saw last time
 * @runtime: per engine, the context's ring runtime
 * @busy: per engine, ENG_BUSY_NS
 * @loaded: the context's CTX_STATUS_LOADED bits
 */
struct tessera_vgpu_look {
	u64 runtime[TESSERA_MAX_ENGINES];
	u64 busy[TESSERA_MAX_ENGINES];
	u32 loaded;
};

/**
 * struct tessera_vgpu_mig - VFIO migration v2 state of a vGPU
 * @lock: serialises the state machine and the migration files (taken
 *	before &tessera_vgpu.lock)
 * @state: enum vfio_device_mig_state
 * @saving: the saving file (PRE_COPY, PRE_COPY_P2P, STOP_COPY), or NULL
 * @resuming: the resuming file (RESUMING), or NULL
 * @dirty: one bit per 4 KiB page of the partition written since the last
 *	sweep (set lock-free by the BAR2 fault and write paths)
 * @npages: bits in @dirty
 * @tracking: @dirty is being maintained (PRE_COPY phases)
 * @look: the context at the last sweep (device-write tracking)
 * @gart_repin: saved guest GART values wait for the resume arc
 * @sent_precopy: bytes of the last saving stream read before STOP_COPY
 * @sent_stopcopy: bytes of it read in STOP_COPY (sysfs migration_bytes)
 */
struct tessera_vgpu_mig {
	struct mutex lock; /* state, files */
	u32 state;
	struct tessera_mig_file *saving;
	struct tessera_mig_file *resuming;
	unsigned long *dirty;
	u64 npages;
	bool tracking;
	struct tessera_vgpu_look look;
	bool gart_repin;
	atomic64_t sent_precopy;
	atomic64_t sent_stopcopy;
};

/**
 * struct tessera_vgpu_dlog - device dirty tracking of guest memory
 *	(tessera_vgpu_dirty.c; everything under &tessera_vgpu.gart_lock)
 * @active: DMA logging is on
 * @page_size: the VMM's bitmap page size
 * @ranges: the logged ranges (guest page numbers), ascending
 * @nranges: entries of @ranges
 * @marks: guest page numbers dirty since they were last reported
 * @nmarks: entries of @marks
 * @overflow: pages dirty as a whole, past what @marks can hold
 * @look: the context at the last look (tessera_vgpu_ctx_ran())
 * @starts: DMA_LOGGING_START accepted (sysfs dirty_log)
 * @reports: report chunks served
 * @reported: pages reported dirty
 * @overflows: marks that went into the overflow interval
 */
struct tessera_vgpu_dlog {
	bool active;
	u64 page_size;
	struct tessera_pfn_range *ranges;
	u32 nranges;
	struct xarray marks;
	u64 nmarks;
	struct tessera_dirty_iv overflow;
	struct tessera_vgpu_look look;
	u64 starts;
	u64 reports;
	u64 reported;
	u64 overflows;
};

/**
 * struct tessera_vgpu - one mediated vGPU
 * @vdev: the VFIO device (first: vfio_alloc_device)
 * @mdev: its mdev
 * @mp: parent
 * @tdev: physical GPU
 * @info: its shape (&@mp->info)
 * @type: vGPU type
 * @type_idx: index of @type
 * @node: on @mp->vgpus
 * @lock: serialises every access to the emulated state and the shadow
 * @ctx: the physical hardware context backing the vGPU
 * @ctx_info: its number and windows (tessera_ctx_get_info())
 * @vram_size: partition bytes (= @ctx_info.vram_size)
 * @gart_entries: slice entries
 * @db: the context's doorbell page (BAR4 of the GPU)
 * @s: guest-visible state
 * @gart_lock: the shadow entries, the physical slice and the unmap range
 *	(tessera_vgpu_gart.c, "Locking")
 * @gart: shadow entries, @gart_entries of them
 * @unmap_iova: start of the range a dma_unmap is working on
 * @unmap_end: its end (0: none in progress)
 * @unmap_last_iova: start of the range the last dma_unmap worked on
 * @unmap_last_end: its end
 * @unmap_gen: bumped when a dma_unmap starts and ends
 * @unmap_hold: @unmap_hold_until is set
 * @unmap_hold_until: until then (jiffies) the last range stays closed to
 *	pins (type1 had to retry its unmap)
 * @unmap_retries: dma_unmap callbacks for the same range as the one
 *	before: type1 retries, or the range unmapped again (sysfs)
 * @gart_seq: tickets of guest-side shadow operations begun (gart_lock)
 * @gart_done: the last ticket done (no unrecorded pin held any more)
 * @gart_wq: dma_unmap waits there for @gart_done
 * @gart_pinned: pages currently pinned
 * @gart_errors: entries the guest pointed at memory it does not own
 * @gart_drains: times a GART change took the running context off the
 *	engines before releasing pages
 * @gart_provisional: 1 + the entry whose pin failed after a 32-bit half
 *	write, 0 if none (tessera_vgpu_gart_settle())
 * @open: the device is open
 * @mem_on: BAR accesses allowed (tessera_vgpu_cfg_mem_enabled(), for the
 *	mmap fault path; written under @mem_sem and @lock)
 * @mem_sem: keeps mmap faults out while the mappings are revoked and the
 *	partition or doorbells are worked on (reset, memory decoding off)
 * @error: a pin failure put the vGPU in its error state (until reset)
 * @resets: resets done
 * @faults: faults reported to the guest
 * @irqs: interrupts signalled
 * @csr_traps: guest accesses to BAR0 the mediator emulated (trapped MMIO)
 * @irq_type: enum tessera_vgpu_irq_type in use
 * @trigger: eventfds, one per vector of @irq_type
 * @intx_unmask: virqfd of the INTx unmask eventfd (KVM resampling)
 * @ev_flags: TESSERA_VGPU_EV_* work for @event_work from atomic or
 *	lock-free contexts
 * @req_trigger: eventfd of the request IRQ
 * @err_trigger: eventfd of the error IRQ (never signalled by the device:
 *	a vGPU has no AER errors; loopback only)
 * @waits: entries woken by the engines' events (tessera_sched_watch())
 * @loads_seen: per engine, the ring's loads (tessera_ring_get_stats()) when
 *	@event_work last read its fence with the ring off the engine; a
 *	wake of an engine whose ring is not loaded and has the same count
 *	does not queue @event_work (another tenant's fences and storms
 *	cost this vGPU nothing)
 * @loads_looked: per engine, the ring's loads at the event work's
 *	last look (under @lock)
 * @event_work: turns physical events into virtual ones
 * @mmap_faults: BAR2/BAR4 pages the fault handler mapped (sysfs)
 * @mapping: address space of the user's mmaps (for revocation); set by
 *           mmap without @lock (mmap runs under mmap_lock, and @lock is
 *           held around vfio_pin_pages, which takes mmap_lock), so read
 *           and written with READ_ONCE/WRITE_ONCE
 * @off_base: the vGPU's tag in its region offsets (TESSERA_VGPU_OFFSET,
 *	on kernels with TESSERA_VFIO_SHARED_INODE; 0 otherwise)
 * @frozen: migration stopped the device (RUNNING_P2P, STOP and the
 *	states after them): rings stay off the engines whatever the guest
 *	writes, until the device runs again
 * @mig: migration state
 * @dlog: device dirty tracking of guest memory (vfio_log_ops)
 */
struct tessera_vgpu {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	struct tessera_mdev_parent *mp;
	struct tessera_device *tdev;
	const struct tessera_dev_info *info;
	const struct tessera_vgpu_type *type;
	u32 type_idx;
	struct list_head node;
	struct mutex lock; /* emulated state, shadow, irq */
	struct tessera_ctx *ctx;
	struct tessera_ctx_info ctx_info;
	u64 vram_size;
	u32 gart_entries;
	void __iomem *db;
	struct tessera_vgpu_state s;
	struct mutex gart_lock; /* shadow entries, physical slice, unmap */
	struct tessera_vgpu_gart_ent *gart;
	u64 unmap_iova;
	u64 unmap_end;
	u64 unmap_last_iova;
	u64 unmap_last_end;
	u64 unmap_gen;
	bool unmap_hold;
	unsigned long unmap_hold_until;
	u64 unmap_retries;
	u64 gart_seq;
	u64 gart_done;
	wait_queue_head_t gart_wq;
	atomic_t gart_pinned;
	u64 gart_errors;
	u32 gart_provisional;
	atomic64_t gart_drains;
	bool open;
	bool mem_on;
	struct rw_semaphore mem_sem;
	bool error;
	u64 resets;
	u64 faults;
	u64 irqs;
	u64 csr_traps;
	atomic64_t mmap_faults;		/* pages mapped in by the fault handler */
	u32 irq_type;
	struct eventfd_ctx *trigger[TESSERA_MSIX_VECTORS];
	struct virqfd *intx_unmask;
	unsigned long ev_flags;
	struct eventfd_ctx *req_trigger;
	struct eventfd_ctx *err_trigger;
	struct wait_queue_entry waits[TESSERA_MAX_ENGINES];
	u64 loads_seen[TESSERA_MAX_ENGINES];
	u64 loads_looked[TESSERA_MAX_ENGINES];
	struct work_struct event_work;
	struct address_space *mapping;
	u64 off_base;
	bool frozen;
	struct tessera_vgpu_mig mig;
	struct tessera_vgpu_dlog dlog;
};

extern const struct tessera_vgpu_type tessera_vgpu_types[];
extern const unsigned int tessera_vgpu_nr_types;

static inline struct tessera_vgpu *vdev_to_vgpu(struct vfio_device *vdev)
{
	return container_of(vdev, struct tessera_vgpu, vdev);
}

/**
 * tessera_vgpu_ring_stats() - statistics of the vGPU's ring on an engine
 * @vgpu: vGPU (no lock needed: tessera_ring_get_stats())
 * @e: engine, below @vgpu->info->num_engines
 *
 * Return: the ring's loads, runtime and weight.
 */
static inline struct tessera_ring_stats
tessera_vgpu_ring_stats(struct tessera_vgpu *vgpu, u32 e)
{
	struct tessera_ring_stats st;

	tessera_ring_get_stats(tessera_ctx_ring(vgpu->ctx, e), &st);
	return st;
}

/* tessera_vgpu.c */
extern const struct vfio_device_ops tessera_vgpu_ops;
void tessera_vgpu_reset(struct tessera_vgpu *vgpu, bool cfg);
void tessera_vgpu_init_state(struct tessera_vgpu *vgpu);
void tessera_vgpu_revoke_mmaps(struct tessera_vgpu *vgpu);
void tessera_vgpu_fence_set(struct tessera_vgpu *vgpu, const u64 *want);

/* tessera_vgpu_cfg.c */
void tessera_vgpu_cfg_init(struct tessera_vgpu *vgpu);
ssize_t tessera_vgpu_cfg_rw(struct tessera_vgpu *vgpu, char *buf,
			    size_t count, loff_t pos, bool write);
bool tessera_vgpu_cfg_mem_enabled(struct tessera_vgpu *vgpu);
void tessera_vgpu_cfg_open(struct tessera_vgpu *vgpu);
void tessera_vgpu_cfg_restore(struct tessera_vgpu *vgpu, const u8 *saved);

/* tessera_vgpu_csr.c */
ssize_t tessera_vgpu_csr_rw(struct tessera_vgpu *vgpu, char *buf,
			    size_t count, loff_t pos, bool write);
void tessera_vgpu_ctx_apply(struct tessera_vgpu *vgpu);
void tessera_vgpu_ring_block(struct tessera_vgpu *vgpu, u32 e, bool block);
u32 tessera_vgpu_eng_status(struct tessera_vgpu *vgpu, u32 e);

/* tessera_vgpu_gart.c */
int tessera_vgpu_gart_init(struct tessera_vgpu *vgpu);
void tessera_vgpu_gart_fini(struct tessera_vgpu *vgpu);
void tessera_vgpu_gart_write(struct tessera_vgpu *vgpu, u32 idx, u64 val,
			     bool half);
void tessera_vgpu_gart_settle(struct tessera_vgpu *vgpu, s64 entry);
void tessera_vgpu_gart_drop_all(struct tessera_vgpu *vgpu);
void tessera_vgpu_gart_set_guest(struct tessera_vgpu *vgpu, u32 idx, u64 val);
void tessera_vgpu_gart_dma_unmap(struct tessera_vgpu *vgpu, u64 iova,
				 u64 length);

/* tessera_vgpu_aperture.c */
u64 tessera_vgpu_bar_size(struct tessera_vgpu *vgpu, u32 bar);
ssize_t tessera_vgpu_aperture_rw(struct tessera_vgpu *vgpu, u32 bar,
				 char *buf, size_t count, loff_t pos,
				 bool write);
int tessera_vgpu_mmap(struct vfio_device *vdev, struct vm_area_struct *vma);
int tessera_vgpu_offsets_init(struct tessera_vgpu *vgpu);
void tessera_vgpu_offsets_fini(struct tessera_vgpu *vgpu);

/**
 * tessera_vgpu_region_offset() - where a region starts in the device file
 * @vgpu: vGPU
 * @index: VFIO region index
 *
 * Return: the offset REGION_INFO reports.
 */
static inline u64 tessera_vgpu_region_offset(const struct tessera_vgpu *vgpu,
					     u32 index)
{
	return vgpu->off_base | TESSERA_VGPU_OFFSET(index);
}

/**
 * tessera_vgpu_region_decode() - split a device-file offset
 * @vgpu: vGPU
 * @off: offset (of read/write/mmap)
 * @index: the region index
 * @pos: the position inside the region
 *
 * Return: 0, or -EINVAL if @off is negative or carries another tag.
 */
static inline int tessera_vgpu_region_decode(const struct tessera_vgpu *vgpu,
					     loff_t off, u32 *index, u64 *pos)
{
	if (off < 0 || TESSERA_VGPU_OFF_BASE((u64)off) != vgpu->off_base)
		return -EINVAL;
	*index = TESSERA_VGPU_OFF_INDEX((u64)off);
	*pos = (u64)off & TESSERA_VGPU_OFF_MASK;
	return 0;
}

/* tessera_vgpu_irq.c */
int tessera_vgpu_get_irq_info(struct tessera_vgpu *vgpu,
			      struct vfio_irq_info *info);
int tessera_vgpu_set_irqs(struct tessera_vgpu *vgpu, unsigned long arg);
void tessera_vgpu_irq_update(struct tessera_vgpu *vgpu);
void tessera_vgpu_irq_fire_vector(struct tessera_vgpu *vgpu, u32 vector);
void tessera_vgpu_irq_release(struct tessera_vgpu *vgpu);
void tessera_vgpu_events(struct work_struct *work);
bool tessera_vgpu_ring_moved(struct tessera_vgpu *vgpu, u32 e);

/* tessera_vgpu_migration.c */
#define TESSERA_MIG_VERSION		1	/* stream format version */
int tessera_vgpu_mig_init(struct tessera_vgpu *vgpu);
void tessera_vgpu_mig_fini(struct tessera_vgpu *vgpu);
void tessera_vgpu_mig_reset(struct tessera_vgpu *vgpu);
bool tessera_vgpu_mig_supported(void);
void tessera_vgpu_look_init(struct tessera_vgpu *vgpu,
			    struct tessera_vgpu_look *look);
bool tessera_vgpu_ctx_ran(struct tessera_vgpu *vgpu,
			  struct tessera_vgpu_look *look);

/* tessera_vgpu_dirty.c */
void tessera_vgpu_dlog_init(struct tessera_vgpu *vgpu);
void tessera_vgpu_dlog_stop(struct tessera_vgpu *vgpu);
void tessera_vgpu_dlog_retire(struct tessera_vgpu *vgpu, u64 gentry);
bool tessera_vgpu_dlog_supported(void);

/**
 * tessera_vgpu_mig_mark() - note CPU writes to the partition
 * @vgpu: vGPU (any context, no lock needed)
 * @pos: offset in the partition
 * @len: bytes
 */
static inline void tessera_vgpu_mig_mark(struct tessera_vgpu *vgpu, u64 pos,
					 u64 len)
{
	u64 p, end;

	if (!vgpu->mig.dirty || !len || pos >= vgpu->vram_size)
		return;
	end = min(pos + len, vgpu->vram_size);
	for (p = pos >> TESSERA_PAGE_SHIFT;
	     p <= (end - 1) >> TESSERA_PAGE_SHIFT; p++)
		set_bit(p, vgpu->mig.dirty);
}

#endif /* TESSERA_VGPU_H */
