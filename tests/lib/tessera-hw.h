/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera-hw: helpers to program a Tessera GPU (the QEMU model
 * tessera-gpu) from userspace through VFIO: register access, contexts,
 * rings, command encoding, waits with deadlines, faults.
 *
 * Registers, opcodes and constants all come from
 * include/tessera/tessera_regs.h; nothing here redefines them.
 *
 * Functions returning int return 0 (or a count) on success and a negative
 * errno on failure. Register reads cannot report errors by value: a failed
 * access counts in tess_dev.io_errors and reads as all ones.
 */
#ifndef TESSERA_TESTS_TESSERA_HW_H
#define TESSERA_TESTS_TESSERA_HW_H

#include "vfio-dev.h"
#include <tessera/tessera_regs.h>

/**
 * struct tess_dev - an open Tessera GPU
 * @vfio: the VFIO device
 * @csr: BAR0 mapping or NULL; @vram: BAR2 mapping or NULL;
 * @db: BAR4 mapping or NULL (NULL means pread/pwrite is used)
 * @vram_size: REG_VRAM_SIZE
 * @engines: REG_ENGINES total; @compute and @copy: its split
 * @contexts: REG_CONTEXTS
 * @gart_entries: REG_GART_ENTRIES
 * @io_errors: failed register accesses so far
 * @err: reason of the last failure of tess_open()
 */
struct tess_dev {
	struct vfio_dev vfio;
	void *csr;
	void *vram;
	void *db;
	u64 vram_size;
	unsigned int engines;
	unsigned int compute;
	unsigned int copy;
	unsigned int contexts;
	unsigned int gart_entries;
	unsigned int io_errors;
	char err[320];
};

/**
 * struct tess_ring - software view of one context's ring on one engine
 * @t: the device
 * @ctx: hardware context
 * @eng: engine
 * @va: GPU VA of the ring (inside the context's VRAM window)
 * @vram_off: VRAM offset of the ring (BAR2 offset), for the CPU
 * @size: bytes
 * @tail: software tail: where the next command is written
 */
struct tess_ring {
	struct tess_dev *t;
	unsigned int ctx;
	unsigned int eng;
	u64 va;
	u64 vram_off;
	u32 size;
	u32 tail;
};

/**
 * struct tess_fault - an engine's fault registers
 * @code: ENG_FAULT_CODE (TESSERA_FAULT_*)
 * @ctx: ENG_FAULT_CTX
 * @addr: ENG_FAULT_ADDR
 */
struct tess_fault {
	u32 code;
	u32 ctx;
	u64 addr;
};

/* ------------------------------------------------------------ device */

/**
 * tess_open() - find, bind and open a Tessera GPU through vfio-pci
 * @t: filled in
 * @bdf: PCI address, or NULL for $TESSERA_BDF or else the first device
 *       with IDs TESSERA_PCI_VENDOR_ID:TESSERA_PCI_DEVICE_ID
 *
 * Binds the device to vfio-pci if needed, opens it, enables bus mastering
 * (DMA and MSI-X), maps its BARs, checks REG_ID and reads the size
 * registers. @t->err says why on failure.
 *
 * Return: 0, -ENOENT if there is no such device, or a negative errno.
 */
int tess_open(struct tess_dev *t, const char *bdf);

/**
 * tess_close() - close the device (disables interrupts, unmaps)
 * @t: the device (zeroed or opened)
 */
void tess_close(struct tess_dev *t);

/**
 * tess_device_reset() - whole-device reset through REG_RESET
 * @t: the device
 * @timeout_ms: how long to wait for STATUS_READY
 *
 * Return: 0, -ETIMEDOUT, or -EIO if an access failed.
 */
int tess_device_reset(struct tess_dev *t, int timeout_ms);

/* 32/64-bit BAR0 access; 64-bit uses one aligned 8-byte access. */
u32 tess_rd32(struct tess_dev *t, u32 off);
void tess_wr32(struct tess_dev *t, u32 off, u32 val);
u64 tess_rd64(struct tess_dev *t, u32 off);
void tess_wr64(struct tess_dev *t, u32 off, u64 val);

/* Shorthands for the engine, context and ring register blocks. */
u32 tess_eng_rd(struct tess_dev *t, unsigned int e, u32 reg);
void tess_eng_wr(struct tess_dev *t, unsigned int e, u32 reg, u32 val);
u32 tess_ctx_rd(struct tess_dev *t, unsigned int c, u32 reg);
void tess_ctx_wr(struct tess_dev *t, unsigned int c, u32 reg, u32 val);
u32 tess_ringreg_rd(struct tess_dev *t, unsigned int c, unsigned int e,
		    u32 reg);
void tess_ringreg_wr(struct tess_dev *t, unsigned int c, unsigned int e,
		     u32 reg, u32 val);

/**
 * tess_timestamp() - REG_TIMESTAMP (one 8-byte read)
 * @t: the device
 *
 * Return: device time in ns.
 */
u64 tess_timestamp(struct tess_dev *t);

/* --------------------------------------------------- VRAM, doorbells */

/**
 * tess_vram_write() - CPU write to VRAM through BAR2
 * @t: the device
 * @off: VRAM offset
 * @buf: source
 * @len: bytes
 *
 * Return: 0 or a negative errno (-EINVAL beyond VRAM).
 */
int tess_vram_write(struct tess_dev *t, u64 off, const void *buf, size_t len);

/**
 * tess_vram_read() - CPU read of VRAM through BAR2
 * @t: the device
 * @off: VRAM offset
 * @buf: destination
 * @len: bytes
 *
 * Return: 0 or a negative errno.
 */
int tess_vram_read(struct tess_dev *t, u64 off, void *buf, size_t len);

/**
 * tess_vram_fill32() - CPU fill of VRAM with a u32 pattern
 * @t: the device
 * @off: VRAM offset, 4-aligned
 * @len: bytes, multiple of 4
 * @pattern: value
 *
 * Return: 0 or a negative errno.
 */
int tess_vram_fill32(struct tess_dev *t, u64 off, size_t len, u32 pattern);

/**
 * tess_vram_check32() - check that VRAM holds a u32 pattern
 * @t: the device
 * @off: VRAM offset, 4-aligned
 * @len: bytes, multiple of 4
 * @pattern: expected value
 *
 * Return: -1 if every word matches, else the byte offset (from @off) of
 * the first mismatching word; a read failure counts as a mismatch at 0.
 */
long tess_vram_check32(struct tess_dev *t, u64 off, size_t len, u32 pattern);

u32 tess_vram_rd32(struct tess_dev *t, u64 off);
void tess_vram_wr32(struct tess_dev *t, u64 off, u32 val);
u64 tess_vram_rd64(struct tess_dev *t, u64 off);

/**
 * tess_db_write() - write a ring tail through a context's doorbell page
 * @t: the device
 * @ctx: context (BAR4 page)
 * @eng: engine (DB_TAIL(eng) in the page)
 * @tail: new tail
 *
 * Return: 0 or a negative errno.
 */
int tess_db_write(struct tess_dev *t, unsigned int ctx, unsigned int eng,
		  u32 tail);

/**
 * tess_db_read() - read DB_TAIL(eng) of a context's doorbell page
 * @t: the device
 * @ctx: context
 * @eng: engine
 *
 * Return: the value (all ones on an access failure).
 */
u32 tess_db_read(struct tess_dev *t, unsigned int ctx, unsigned int eng);

/* ------------------------------------------------- contexts and GART */

/**
 * tess_ctx_setup() - program a context's windows and mark it valid
 * @t: the device
 * @ctx: context
 * @vram_base: VRAM offset of the VRAM window (4 KiB aligned)
 * @vram_size: bytes (4 KiB multiple; 0 = none)
 * @gart_base: first GART entry of the GART window
 * @gart_size: entries (0 = none)
 *
 * Return: 0, -EINVAL if @ctx is out of range, or -EIO.
 */
int tess_ctx_setup(struct tess_dev *t, unsigned int ctx, u64 vram_base,
		   u64 vram_size, u32 gart_base, u32 gart_size);

/**
 * tess_ctx_clear() - zero a context's registers (invalidates it)
 * @t: the device
 * @ctx: context
 *
 * Return: 0 or a negative errno.
 */
int tess_ctx_clear(struct tess_dev *t, unsigned int ctx);

/**
 * tess_gart_set() - write a GART entry
 * @t: the device
 * @idx: entry
 * @bus_addr: page bus address (IOVA), 4 KiB aligned
 * @flags: TESSERA_GART_VALID | TESSERA_GART_WRITABLE, or 0
 *
 * Return: 0, -EINVAL, or -EIO.
 */
int tess_gart_set(struct tess_dev *t, u32 idx, u64 bus_addr, u64 flags);

/**
 * tess_gart_get() - read a GART entry
 * @t: the device
 * @idx: entry
 *
 * Return: the entry.
 */
u64 tess_gart_get(struct tess_dev *t, u32 idx);

/**
 * tess_gart_va() - GPU VA of a page of a context's GART window
 * @page: page index in the window
 * @off: byte offset in the page
 *
 * Return: the GPU VA.
 */
static inline u64 tess_gart_va(u32 page, u64 off)
{
	return TESSERA_VA_GART + ((u64)page << TESSERA_PAGE_SHIFT) + off;
}

/* ------------------------------------------------------------ rings */

/**
 * tess_ring_init() - program a ring for a context on an engine
 * @t: the device
 * @r: filled in
 * @ctx: context (its VRAM window must already be programmed)
 * @eng: engine
 * @va: GPU VA of the ring in the VRAM window (4 KiB aligned)
 * @size: bytes, power of two in [RING_MIN_SIZE, RING_MAX_SIZE]
 *
 * Writes RING_BASE/SIZE and HEAD = TAIL = 0, and fills the ring with
 * zeroes. The ring must not be loaded on an engine.
 *
 * Return: 0, -EINVAL if the ring does not fit the window, or -EIO.
 */
int tess_ring_init(struct tess_dev *t, struct tess_ring *r, unsigned int ctx,
		   unsigned int eng, u64 va, u32 size);

/**
 * tess_ring_emit() - copy a command into the ring at the software tail
 * @r: the ring
 * @dw: dwords
 * @n: number of dwords
 *
 * Wraps around the end of the ring. Does not submit.
 *
 * Return: 0, or -ENOSPC if the ring (against the hardware head) lacks room.
 */
int tess_ring_emit(struct tess_ring *r, const u32 *dw, unsigned int n);

/**
 * tess_ring_submit() - publish the software tail through RING_TAIL
 * @r: the ring
 *
 * Return: 0 or -EIO.
 */
int tess_ring_submit(struct tess_ring *r);

/**
 * tess_ring_kick() - publish the software tail through the doorbell page
 * @r: the ring
 *
 * Return: 0 or a negative errno.
 */
int tess_ring_kick(struct tess_ring *r);

/**
 * tess_ring_head() - the hardware RING_HEAD of the ring
 * @r: the ring
 *
 * Return: RING_HEAD.
 */
u32 tess_ring_head(struct tess_ring *r);

/**
 * tess_ring_set_pos() - set RING_HEAD and RING_TAIL (ring not loaded)
 * @r: the ring
 * @pos: byte offset for both; also becomes the software tail
 *
 * Return: 0 or -EIO.
 */
int tess_ring_set_pos(struct tess_ring *r, u32 pos);

/* ------------------------------------------------ command encoding */
/*
 * tess_enc_*() write one command into @p and return its length in dwords;
 * tess_emit_*() emit it into a ring (0 or -ENOSPC).
 */
unsigned int tess_enc_nop(u32 *p, unsigned int len);
unsigned int tess_enc_fence(u32 *p, u32 flags, u64 value, u64 addr);
unsigned int tess_enc_copy(u32 *p, u64 dst, u64 src, u32 bytes);
unsigned int tess_enc_fill(u32 *p, u64 dst, u32 bytes, u32 pattern);
unsigned int tess_enc_axpy(u32 *p, u64 y, u64 x, u32 count, u32 a);
unsigned int tess_enc_checksum(u32 *p, u64 dst, u64 src, u32 bytes);
unsigned int tess_enc_batch_call(u32 *p, u64 addr, u32 bytes);
unsigned int tess_enc_batch_jump(u32 *p, u64 addr, u32 bytes);
unsigned int tess_enc_batch_end(u32 *p);
unsigned int tess_enc_busy(u32 *p, u64 ns);

int tess_emit_nop(struct tess_ring *r, unsigned int len);
int tess_emit_fence(struct tess_ring *r, u32 flags, u64 value, u64 addr);
int tess_emit_copy(struct tess_ring *r, u64 dst, u64 src, u32 bytes);
int tess_emit_fill(struct tess_ring *r, u64 dst, u32 bytes, u32 pattern);
int tess_emit_axpy(struct tess_ring *r, u64 y, u64 x, u32 count, u32 a);
int tess_emit_checksum(struct tess_ring *r, u64 dst, u64 src, u32 bytes);
int tess_emit_batch_call(struct tess_ring *r, u64 addr, u32 bytes);
int tess_emit_busy(struct tess_ring *r, u64 ns);

/* ---------------------------------------------------------- engines */

/**
 * tess_eng_start() - ENG_CTX := @ctx, then ENG_CTRL_START
 * @t: the device
 * @e: engine
 * @ctx: context
 *
 * Return: 0 or -EIO.
 */
int tess_eng_start(struct tess_dev *t, unsigned int e, unsigned int ctx);

/* ENG_CTRL_PREEMPT / ENG_CTRL_RESET; 0 or -EIO. */
int tess_eng_preempt(struct tess_dev *t, unsigned int e);
int tess_eng_reset(struct tess_dev *t, unsigned int e);

/**
 * tess_eng_state() - ENG_STATE() of ENG_STATUS
 * @t: the device
 * @e: engine
 *
 * Return: TESSERA_ENG_STATE_*.
 */
u32 tess_eng_state(struct tess_dev *t, unsigned int e);

/**
 * tess_eng_wait_state() - wait until an engine is in a state
 * @t: the device
 * @e: engine
 * @state: TESSERA_ENG_STATE_*
 * @timeout_ms: deadline
 *
 * Return: 0 or -ETIMEDOUT.
 */
int tess_eng_wait_state(struct tess_dev *t, unsigned int e, u32 state,
			int timeout_ms);

/**
 * tess_eng_wait_halted() - wait for STOPPED or FAULTED
 * @t: the device
 * @e: engine
 * @timeout_ms: deadline
 *
 * Return: the state reached, or -ETIMEDOUT.
 */
int tess_eng_wait_halted(struct tess_dev *t, unsigned int e, int timeout_ms);

/**
 * tess_ring_wait_idle() - wait until a ring's work is done
 * @r: the ring
 * @timeout_ms: deadline
 *
 * Done means: RING_HEAD equals the software tail and the engine is
 * WAITING with the ring's context.
 *
 * Return: 0, -EFAULT if the engine faulted, -ESRCH if it stopped,
 * -ETIMEDOUT.
 */
int tess_ring_wait_idle(struct tess_ring *r, int timeout_ms);

/**
 * tess_ring_wait_fence() - wait until RING_FENCE equals a value
 * @r: the ring
 * @value: fence value
 * @timeout_ms: deadline
 *
 * Return: 0, -EFAULT if the engine faulted first, -ETIMEDOUT.
 */
int tess_ring_wait_fence(struct tess_ring *r, u64 value, int timeout_ms);

/**
 * tess_eng_fault() - read an engine's fault registers
 * @t: the device
 * @e: engine
 * @f: filled in
 */
void tess_eng_fault(struct tess_dev *t, unsigned int e, struct tess_fault *f);

/**
 * tess_eng_busy_ns() - ENG_BUSY_NS of an engine
 * @t: the device
 * @e: engine
 *
 * Return: ns.
 */
u64 tess_eng_busy_ns(struct tess_dev *t, unsigned int e);

/* ---------------------------------------------------------- helpers */

/**
 * tess_fnv1a() - the 32-bit FNV-1a hash that OP_CHECKSUM computes
 * @buf: data
 * @len: bytes
 *
 * Return: the hash.
 */
u32 tess_fnv1a(const void *buf, size_t len);

/**
 * tess_now_ms() - CLOCK_MONOTONIC in ms, for deadlines
 *
 * Return: ms.
 */
u64 tess_now_ms(void);

/**
 * tess_sleep_us() - sleep
 * @us: microseconds
 */
void tess_sleep_us(unsigned int us);

/**
 * tess_fault_name() - name of a fault code, for messages
 * @code: TESSERA_FAULT_*
 *
 * Return: a static string.
 */
const char *tess_fault_name(u32 code);

#endif /* TESSERA_TESTS_TESSERA_HW_H */
