/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera GPU model: the device's pure logic (no QEMU headers).
 *
 * This is the interface of everything the device does that does not depend
 * on QEMU. tessera-core-regs.c is the register file (BAR0 CSRs and BAR4
 * doorbells), the context windows and GART, interrupt source tracking and
 * the engine state machine; tessera-core-exec.c is command decode and
 * validation, address translation, the execution of one preemption step of
 * a command, cost accounting and pacing. tessera-core-priv.h is what the
 * two share and nobody else uses. The QEMU glue (tessera-gpu.c) supplies
 * memory accessors, threads, locking and interrupt delivery; the host unit
 * test (tests/unit/test-core.c) supplies plain buffers.
 *
 * Locking model (enforced by the caller, not here): every function taking a
 * struct tcore_dev runs under the device lock, except tcore_exec_step(),
 * which works on a private snapshot (struct tcore_exec) and must run with
 * the lock dropped because it performs memory accesses (DMA).
 *
 *	lock;   r = tcore_engine_prepare(dev, e, now, &x);   unlock;
 *	if (r == TCORE_PREP_RUN) {
 *		rc = tcore_exec_step(&x, ops, opaque);
 *		lock; tcore_engine_finish(dev, e, &x, rc); unlock;
 *	}
 *
 * A step performs at most one preemption chunk, so the engine is at a
 * preemption point between any two steps.
 *
 * All state lives in plain structs of fixed-size integers (no pointers
 * other than the two arrays and the hooks in struct tcore_dev, none of them
 * device state) so that it can be described for migration.
 */
#ifndef TESSERA_CORE_H
#define TESSERA_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "tessera/tessera_regs.h"

/* Engines are paced to be at most this far ahead of device time. */
#define TCORE_PACE_SLACK_NS		50000LL
/*
 * A paced engine waits until it is at most this far ahead, so that its next
 * steps have SLACK - RESUME of budget (not one chunk after each wait).
 */
#define TCORE_PACE_RESUME_NS		(TCORE_PACE_SLACK_NS / 2)
/* At most this much device time owed to a preempted context is caught up. */
#define TCORE_LAG_MAX_NS		2000000LL
/* Upper bound of the device time charged by one step. */
#define TCORE_MAX_STEP_COST_NS		(TESSERA_COST_ISSUE_NS + 1100ULL)

/* Return codes of the memory callbacks. */
#define TCORE_MEM_OK			0
#define TCORE_MEM_ERROR			(-1)	/* becomes FAULT_DMA_ERROR */

/*
 * Memory accessors. Lengths never exceed TESSERA_PAGE_SIZE and a GART
 * access never crosses a 4 KiB page. VRAM accesses are already checked to
 * be inside VRAM (off + len <= vram_size); implementations should check
 * again anyway.
 */
struct tcore_mem_ops {
	int (*read_vram)(void *opaque, uint64_t off, void *buf, uint32_t len);
	int (*write_vram)(void *opaque, uint64_t off, const void *buf,
			  uint32_t len);
	int (*dma_read)(void *opaque, uint64_t bus_addr, void *buf,
			uint32_t len);
	int (*dma_write)(void *opaque, uint64_t bus_addr, const void *buf,
			 uint32_t len);
	/* Entry @index (< gart_entries) of the GART. */
	int (*read_gart_entry)(void *opaque, uint32_t index, uint64_t *entry);
};

/*
 * Notifications from the core to its host, for diagnostics only: they must
 * not change the device's behaviour. All are optional (NULL: not wanted)
 * and all are called under the device lock. The core has no QEMU headers,
 * so the QEMU glue turns them into qemu_log_mask(LOG_GUEST_ERROR) and trace
 * points; the unit test counts them.
 */
struct tcore_hooks {
	/*
	 * The guest did something the spec calls undefined or ignores (a bad
	 * access size, an absent engine or context, a write the state
	 * refuses): the device carries on as the spec says, but whoever
	 * debugs the guest wants to know. @fmt has no trailing newline.
	 */
	void (*guest_error)(void *opaque, const char *fmt, va_list ap);
	/* Engine @e faulted: FAULTED with @code at @addr in context @ctx. */
	void (*fault)(void *opaque, unsigned int e, uint32_t code,
		      uint32_t ctx, uint64_t addr);
	/* ENG_INT_STATUS bits @bits of engine @e were raised. */
	void (*eng_irq)(void *opaque, unsigned int e, uint32_t bits);
};

/* ------------------------------------------------------------- state */

/* Saved progress of a ring (RING_STATE); flags: */
#define TCORE_PROG_MIDCMD	TESSERA_RING_STATE_MIDCMD
#define TCORE_PROG_IN_BATCH	TESSERA_RING_STATE_IN_BATCH

#define TCORE_CMD_MAX_DWORDS	8

struct tcore_progress {
	uint32_t flags;			/* TCORE_PROG_* */
	uint32_t hash;			/* CHECKSUM: running FNV-1a */
	uint64_t batch_pos;		/* IN_BATCH: VA of the next command */
	uint64_t batch_end;		/* IN_BATCH: VA one past the segment */
	uint64_t done;			/* MIDCMD: bytes / elements / ns done */
	uint32_t cmd[TCORE_CMD_MAX_DWORDS]; /* MIDCMD: the command */
};

struct tcore_ring {
	uint64_t base;			/* RING_BASE (raw as written) */
	uint32_t size;			/* RING_SIZE (raw) */
	uint32_t head;			/* RING_HEAD */
	uint32_t tail;			/* RING_TAIL (raw) */
	uint32_t pad;
	uint64_t fence;			/* RING_FENCE */
	struct tcore_progress prog;
	int64_t lag;			/* pacing debt at the last preemption */
};

struct tcore_ctx {
	uint64_t vram_base;
	uint64_t vram_size;
	uint32_t gart_base;
	uint32_t gart_size;
	uint32_t ctrl;			/* CTX_CTRL_VALID */
	uint32_t pad;
	struct tcore_ring ring[TESSERA_MAX_ENGINES];
};

struct tcore_engine {
	uint32_t ctx;			/* ENG_CTX (raw as written) */
	uint32_t state;			/* TESSERA_ENG_STATE_* */
	uint32_t preempt_pending;
	uint32_t fault_code;
	uint32_t fault_ctx;
	uint32_t fence_ctx;
	uint64_t fault_addr;
	uint64_t fence;
	uint32_t int_status;
	uint32_t int_mask;
	uint64_t busy_ns;
	uint64_t switch_busy_ns;	/* ENG_SWITCH_BUSY_NS */
	uint32_t next_ctx;		/* ENG_NEXT_CTX (raw) */
	uint32_t pad2;
	int64_t clock;			/* pacing: the engine's device time */
	uint32_t irq_seen;		/* interrupt edge tracking */
	uint32_t pad;
};

struct tcore_dev {
	/* configuration (properties); not changed by reset */
	uint64_t vram_size;
	uint32_t contexts;
	uint32_t gart_entries;
	uint32_t compute_engines;
	uint32_t copy_engines;
	uint32_t engines;

	/* global registers */
	uint32_t int_enable;
	uint32_t scratch;
	uint32_t ts_hi_latch;
	uint32_t db_pending[TESSERA_DB_PENDING_REGS];
	uint32_t db_seen[TESSERA_DB_PENDING_REGS];
	uint32_t fire_vectors;		/* MSI-X vectors to notify */
	uint32_t pad;

	struct tcore_engine eng[TESSERA_MAX_ENGINES];
	struct tcore_ctx *ctx;		/* [contexts], caller-allocated */
	uint64_t *gart;			/* [gart_entries], caller-allocated */

	/* the host's notifications (tcore_set_hooks()); not device state */
	const struct tcore_hooks *hooks;
	void *hooks_opaque;
};

/* --------------------------------------------------------- configuration */

/*
 * Check a configuration; returns NULL if fine, else a message naming the
 * bad value. Does not touch @d's arrays.
 */
const char *tcore_check_config(uint64_t vram_size, uint32_t contexts,
			       uint32_t gart_entries, uint32_t compute,
			       uint32_t copy);
/* Set the configuration (already checked) and reset the state. */
void tcore_init(struct tcore_dev *d, uint64_t vram_size, uint32_t contexts,
		uint32_t gart_entries, uint32_t compute, uint32_t copy,
		struct tcore_ctx *ctx_array, uint64_t *gart_array);
/* Doorbell BAR size: contexts pages rounded up to a power of two. */
uint64_t tcore_doorbell_bar_size(uint32_t contexts);
/*
 * Install the host's notifications (after tcore_init(), which clears
 * them; resets keep them). @hooks must outlive @d.
 */
void tcore_set_hooks(struct tcore_dev *d, const struct tcore_hooks *hooks,
		     void *opaque);

/*
 * Device reset: every register to its reset value. Engines must be idle
 * (no step in flight).
 */
void tcore_dev_reset(struct tcore_dev *d);
/* Engine reset (ENG_CTRL_RESET). The engine must not be in a step. */
void tcore_engine_reset(struct tcore_dev *d, unsigned int e);

/* --------------------------------------------------------- registers */

/* What a CSR write needs from the caller before tcore_csr_write(). */
enum tcore_wr_kind {
	TCORE_WR_NORMAL = 0,
	TCORE_WR_DEV_RESET,	/* caller: park all engines, tcore_dev_reset() */
	TCORE_WR_ENG_RESET,	/* caller: park *engine, tcore_engine_reset() */
};

enum tcore_wr_kind tcore_csr_classify_write(const struct tcore_dev *d,
					    uint64_t off, uint64_t val,
					    unsigned int size,
					    unsigned int *engine);

/* BAR0 read of @size bytes at @off; @now is device time (ns). */
uint64_t tcore_csr_read(struct tcore_dev *d, uint64_t off, unsigned int size,
			int64_t now);
/*
 * BAR0 write (not the resets: see tcore_csr_classify_write()). Returns the
 * mask of engines whose worker must be woken.
 */
uint32_t tcore_csr_write(struct tcore_dev *d, uint64_t off, uint64_t val,
			 unsigned int size, int64_t now);

/* BAR4 (doorbells). */
uint64_t tcore_db_read(struct tcore_dev *d, uint64_t off, unsigned int size);
uint32_t tcore_db_write(struct tcore_dev *d, uint64_t off, uint64_t val,
			unsigned int size, int64_t now);

/* --------------------------------------------------------- interrupts */

/* REG_INT_STATUS. */
uint32_t tcore_int_status(const struct tcore_dev *d);
/* INTx level: REG_INT_STATUS & REG_INT_ENABLE != 0. */
bool tcore_intx_level(const struct tcore_dev *d);
/* Take (and clear) the MSI-X vectors that have an edge to deliver. */
uint32_t tcore_take_vectors(struct tcore_dev *d);

/* ---------------------------------------------------------- execution */

/* Snapshot an engine works on during one step, without the device lock. */
struct tcore_exec {
	/* inputs */
	uint64_t dev_vram_size;
	uint32_t dev_gart_entries;
	uint32_t ctx;
	uint32_t engine_class;		/* TESSERA_ENG_CLASS_* */
	uint32_t ring_size;
	uint64_t ring_base;
	uint32_t ring_head;		/* in/out */
	uint32_t ring_tail;
	uint64_t vram_base, vram_size;	/* the context's windows */
	uint32_t gart_base, gart_size;
	struct tcore_progress prog;	/* in/out */
	uint64_t budget_ns;		/* BUSY may charge this much (0: a chunk) */
	/* outputs */
	uint64_t cost_ns;		/* device time charged by this step */
	uint32_t events;		/* TCORE_EV_* */
	uint32_t fault_code;
	uint64_t fault_addr;
	uint64_t fence;
	/* for tracing: the command this step worked on (0: none decoded) */
	uint32_t cmd_hdr;		/* its header dword */
	uint64_t cmd_va;		/* its GPU VA */
};

#define TCORE_EV_FENCE		TESSERA_BIT(0)	/* fence executed */
#define TCORE_EV_FENCE_IRQ	TESSERA_BIT(1)	/* ... with FENCE_IRQ */
#define TCORE_EV_CMD_DONE	TESSERA_BIT(2)	/* a command completed */
#define TCORE_EV_CLAMP		TESSERA_BIT(3)	/* a BUSY started: sync clock */
#define TCORE_EV_CMD_START	TESSERA_BIT(4)	/* a command began */

enum tcore_step_rc {
	TCORE_STEP_OK = 0,	/* progress made (maybe nothing left) */
	TCORE_STEP_IDLE,	/* ring drained, nothing to do */
	TCORE_STEP_FAULT,	/* fault_code / fault_addr set */
};

/* Execute one step (one command, or one chunk of a long one). */
enum tcore_step_rc tcore_exec_step(struct tcore_exec *x,
				   const struct tcore_mem_ops *ops,
				   void *opaque);

enum tcore_prep_rc {
	TCORE_PREP_PARK = 0,	/* nothing to run (state changed maybe) */
	TCORE_PREP_RUN,		/* @x is ready: run tcore_exec_step() */
};

/*
 * Under the lock, at a preemption point: honour a pending preemption,
 * check the ring, go WAITING when drained, else snapshot into @x. @now is
 * the device time (for the pacing debt a preempted context keeps).
 */
enum tcore_prep_rc tcore_engine_prepare(struct tcore_dev *d, unsigned int e,
					int64_t now, struct tcore_exec *x);
/* Under the lock: commit the result of a step. */
void tcore_engine_finish(struct tcore_dev *d, unsigned int e,
			 const struct tcore_exec *x, enum tcore_step_rc rc,
			 int64_t step_start);
/*
 * Pacing: how long (ns of device time) engine @e must wait before its next
 * step so as not to run more than TCORE_PACE_SLACK_NS ahead; 0 = go.
 */
int64_t tcore_engine_pace_ns(const struct tcore_dev *d, unsigned int e,
			     int64_t now);
/*
 * Pacing: how much device time engine @e may charge in its next step and
 * stay within TCORE_PACE_SLACK_NS of @now (for tcore_exec.budget_ns: a
 * running BUSY then advances in one step instead of one per chunk, which
 * is the same device behaviour at a fraction of the host CPU).
 */
uint64_t tcore_engine_budget_ns(const struct tcore_dev *d, unsigned int e,
				int64_t now);

/* -------------------------------------------------------- helpers */

uint32_t tcore_fnv1a(uint32_t h, const void *buf, uint64_t len);
bool tcore_ring_valid(const struct tcore_ring *r);
/* Validity of a context's windows against the device (START check). */
bool tcore_ctx_windows_valid(const struct tcore_dev *d,
			     const struct tcore_ctx *c);
/* Engine class of engine @e. */
uint32_t tcore_engine_class(const struct tcore_dev *d, unsigned int e);

#endif /* TESSERA_CORE_H */
