// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera GPU model, execution: command fetch, decode and validation, the
 * execution of one preemption step of a command through the context's
 * windows and GART, cost accounting and the pacing of engines against
 * device time. The register file is in tessera-core-regs.c. See
 * tessera-core.h and Documentation/hw/tessera-gpu.rst. No QEMU headers on
 * purpose: this file is also built into the host unit tests.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tessera-core-priv.h"

#define PAGE		((uint32_t)TESSERA_PAGE_SIZE)
#define PAGE_MASK_LO	(PAGE - 1)

uint32_t tcore_fnv1a(uint32_t h, const void *buf, uint64_t len)
{
	const uint8_t *p = buf;
	uint64_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= TESSERA_FNV1A_PRIME;
	}
	return h;
}

/* ---------------------------------------------------- memory accesses */

struct xctx {
	struct tcore_exec *x;
	const struct tcore_mem_ops *ops;
	void *opaque;
};

static enum tcore_step_rc fault(struct tcore_exec *x, uint32_t code,
				uint64_t addr)
{
	x->fault_code = code;
	x->fault_addr = addr;
	return TCORE_STEP_FAULT;
}

/* Is [va, va + n) (n >= 1) inside one window of the context? */
static uint32_t check_range(const struct tcore_exec *x, uint64_t va,
			    uint64_t n)
{
	uint64_t off;

	if (va < TESSERA_VA_GART) {
		if (!vram_window_valid(x->dev_vram_size, x->vram_base,
				       x->vram_size))
			return TESSERA_FAULT_BAD_CONTEXT;
		if (n > x->vram_size || va > x->vram_size - n)
			return TESSERA_FAULT_VRAM_RANGE;
		return 0;
	}
	if (!gart_window_valid(x->dev_gart_entries, x->gart_base,
			       x->gart_size))
		return TESSERA_FAULT_BAD_CONTEXT;
	off = va - TESSERA_VA_GART;
	if (n - 1 > UINT64_MAX - off)
		return TESSERA_FAULT_GART_RANGE;
	if ((off + n - 1) >> TESSERA_PAGE_SHIFT >= x->gart_size)
		return TESSERA_FAULT_GART_RANGE;
	return 0;
}

/* Check a whole operand (n may be 0: nothing to check). */
static enum tcore_step_rc check_operand(struct tcore_exec *x, uint64_t va,
					uint64_t n)
{
	uint32_t f;

	if (!n)
		return TCORE_STEP_OK;
	f = check_range(x, va, n);
	return f ? fault(x, f, va) : TCORE_STEP_OK;
}

/*
 * Read or write [va, va + n) of the context's address space, n <= 2 pages.
 * Checks the window first, then each GART page before touching it.
 */
static enum tcore_step_rc mem_rw(struct xctx *xc, uint64_t va, void *buf,
				 uint32_t n, bool write)
{
	struct tcore_exec *x = xc->x;
	const struct tcore_mem_ops *ops = xc->ops;
	uint8_t *p = buf;
	uint32_t f, piece, in_page;
	uint64_t ent, bus, page;
	int rc;

	if (!n)
		return TCORE_STEP_OK;
	f = check_range(x, va, n);
	if (f)
		return fault(x, f, va);
	while (n) {
		in_page = va & PAGE_MASK_LO;
		piece = (uint32_t)min_u64(n, PAGE - in_page);
		if (va < TESSERA_VA_GART) {
			uint64_t off = x->vram_base + va;

			if (off > x->dev_vram_size ||
			    piece > x->dev_vram_size - off)
				return fault(x, TESSERA_FAULT_VRAM_RANGE, va);
			rc = write ? ops->write_vram(xc->opaque, off, p, piece) :
				     ops->read_vram(xc->opaque, off, p, piece);
		} else {
			page = (va - TESSERA_VA_GART) >> TESSERA_PAGE_SHIFT;
			if (ops->read_gart_entry(xc->opaque,
						 (uint32_t)(x->gart_base + page),
						 &ent))
				return fault(x, TESSERA_FAULT_DMA_ERROR, va);
			if (!(ent & TESSERA_GART_VALID))
				return fault(x, TESSERA_FAULT_GART_INVALID, va);
			if (write && !(ent & TESSERA_GART_WRITABLE))
				return fault(x, TESSERA_FAULT_GART_READONLY, va);
			bus = (ent & TESSERA_GART_ADDR_MASK) + in_page;
			rc = write ? ops->dma_write(xc->opaque, bus, p, piece) :
				     ops->dma_read(xc->opaque, bus, p, piece);
		}
		if (rc)
			return fault(x, TESSERA_FAULT_DMA_ERROR, va);
		va += piece;
		p += piece;
		n -= piece;
	}
	return TCORE_STEP_OK;
}

/* ----------------------------------------------------------- commands */

struct cmd {
	uint32_t dw[TCORE_CMD_MAX_DWORDS];
	uint32_t len;		/* dwords */
	uint64_t va;		/* the command's GPU VA */
	bool in_batch;
	bool first;		/* first step of this command */
};

static uint64_t dw64(const struct cmd *c, unsigned int i)
{
	return (uint64_t)c->dw[i] | (uint64_t)c->dw[i + 1] << 32;
}

static void complete(struct tcore_exec *x, const struct cmd *c)
{
	if (c->in_batch)
		x->prog.batch_pos += (uint64_t)c->len * 4;
	else
		x->ring_head = (x->ring_head + c->len * 4) & (x->ring_size - 1);
	x->prog.flags &= ~TCORE_PROG_MIDCMD;
	x->prog.done = 0;
	x->prog.hash = 0;
	memset(x->prog.cmd, 0, sizeof(x->prog.cmd));
	x->events |= TCORE_EV_CMD_DONE;
}

static void leave_batch(struct tcore_exec *x)
{
	x->prog.flags &= ~(TCORE_PROG_IN_BATCH | TCORE_PROG_MIDCMD);
	x->prog.batch_pos = 0;
	x->prog.batch_end = 0;
	x->ring_head = (x->ring_head + TESSERA_BATCH_CALL_LEN * 4) &
		       (x->ring_size - 1);
	x->events |= TCORE_EV_CMD_DONE;
}

static void save_midcmd(struct tcore_exec *x, const struct cmd *c)
{
	x->prog.flags |= TCORE_PROG_MIDCMD;
	memcpy(x->prog.cmd, c->dw, sizeof(x->prog.cmd));
}

/*
 * Charge the chunk [done, done + n) of a command whose cost is
 * ISSUE + ceil(size / per_ns). The chunks add up to the command's cost.
 */
static void charge(struct tcore_exec *x, const struct cmd *c, uint64_t done,
		   uint64_t n, uint64_t per_ns)
{
	if (c->first)
		x->cost_ns += TESSERA_COST_ISSUE_NS;
	x->cost_ns += div_up(done + n, per_ns) - div_up(done, per_ns);
}

/*
 * The end of every step of a chunked command: charge the chunk
 * [done, done + n) of a command of @total units (bytes, elements, ns),
 * then either complete the command or keep it in RING_STATE for the next
 * step (a preemption point lies between the two).
 */
static enum tcore_step_rc advance(struct tcore_exec *x, const struct cmd *c,
				  uint64_t done, uint64_t n, uint64_t total,
				  uint64_t per_ns)
{
	charge(x, c, done, n, per_ns);
	x->prog.done = done + n;
	if (x->prog.done == total)
		complete(x, c);
	else
		save_midcmd(x, c);
	return TCORE_STEP_OK;
}

/* COPY and CHECKSUM read in chunks of this many bytes. */
#define CHUNK	TESSERA_PREEMPT_CHUNK_BYTES

static enum tcore_step_rc op_copy(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t dst = dw64(c, 1), src = dw64(c, 3), bytes = c->dw[5];
	uint64_t done = x->prog.done, n;
	uint8_t buf[CHUNK];
	enum tcore_step_rc rc;

	if (c->first) {
		if (bytes > TESSERA_MAX_COPY_BYTES)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		rc = check_operand(x, src, bytes);
		if (!rc)
			rc = check_operand(x, dst, bytes);
		if (rc)
			return rc;
	}
	n = min_u64(CHUNK, bytes - done);
	rc = mem_rw(xc, src + done, buf, n, false);
	if (!rc)
		rc = mem_rw(xc, dst + done, buf, n, true);
	if (rc)
		return rc;
	return advance(x, c, done, n, bytes, TESSERA_COPY_BYTES_PER_NS);
}

static enum tcore_step_rc op_fill(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t dst = dw64(c, 1), bytes = c->dw[3];
	uint32_t pattern = c->dw[4];
	uint64_t done = x->prog.done, n, i;
	uint8_t buf[CHUNK];
	enum tcore_step_rc rc;

	if (c->first) {
		if (bytes > TESSERA_MAX_COPY_BYTES)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		if ((dst & 3) || (bytes & 3))
			return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
		rc = check_operand(x, dst, bytes);
		if (rc)
			return rc;
	}
	n = min_u64(CHUNK, bytes - done);
	for (i = 0; i < n; i += 4)
		st32(buf + i, pattern);
	rc = mem_rw(xc, dst + done, buf, n, true);
	if (rc)
		return rc;
	return advance(x, c, done, n, bytes, TESSERA_FILL_BYTES_PER_NS);
}

static enum tcore_step_rc op_axpy(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t y = dw64(c, 1), xs = dw64(c, 3), count = c->dw[5];
	uint32_t a = c->dw[6];
	uint64_t done = x->prog.done, m, i;
	uint8_t bx[TESSERA_PREEMPT_CHUNK_ELEMS * 4];
	uint8_t by[TESSERA_PREEMPT_CHUNK_ELEMS * 4];
	enum tcore_step_rc rc;

	if (c->first) {
		if (count > TESSERA_MAX_AXPY_COUNT)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		if ((y & 3) || (xs & 3))
			return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
		rc = check_operand(x, xs, count * 4);
		if (!rc)
			rc = check_operand(x, y, count * 4);
		if (rc)
			return rc;
	}
	m = min_u64(TESSERA_PREEMPT_CHUNK_ELEMS, count - done);
	rc = mem_rw(xc, xs + done * 4, bx, m * 4, false);
	if (!rc)
		rc = mem_rw(xc, y + done * 4, by, m * 4, false);
	if (rc)
		return rc;
	for (i = 0; i < m; i++)
		st32(by + 4 * i, a * ld32(bx + 4 * i) + ld32(by + 4 * i));
	rc = mem_rw(xc, y + done * 4, by, m * 4, true);
	if (rc)
		return rc;
	return advance(x, c, done, m, count, TESSERA_AXPY_ELEMS_PER_NS);
}

static enum tcore_step_rc op_checksum(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t dst = dw64(c, 1), src = dw64(c, 3), bytes = c->dw[5];
	uint64_t done = x->prog.done, n;
	uint32_t h;
	uint8_t buf[CHUNK];
	enum tcore_step_rc rc;

	if (c->first) {
		if (bytes > TESSERA_MAX_COPY_BYTES)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		if (dst & 3)
			return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
		rc = check_operand(x, src, bytes);
		if (!rc)
			rc = check_operand(x, dst, 4);
		if (rc)
			return rc;
		x->prog.hash = TESSERA_FNV1A_INIT;
	}
	n = min_u64(CHUNK, bytes - done);
	rc = mem_rw(xc, src + done, buf, n, false);
	if (rc)
		return rc;
	h = tcore_fnv1a(x->prog.hash, buf, n);
	if (done + n == bytes) {
		uint8_t out[4];

		st32(out, h);
		rc = mem_rw(xc, dst, out, 4, true);
		if (rc)
			return rc;
	}
	x->prog.hash = h;	/* complete() clears it again */
	return advance(x, c, done, n, bytes, TESSERA_COPY_BYTES_PER_NS);
}

static enum tcore_step_rc op_busy(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t ns = dw64(c, 1), done = x->prog.done, m;

	if (c->first) {
		if (ns > TESSERA_MAX_BUSY_NS)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		x->events |= TCORE_EV_CLAMP;
	}
	m = min_u64(TESSERA_PREEMPT_CHUNK_NS, ns - done);
	/* whole chunks the pacing allows at once (not the first: it clamps) */
	if (!c->first && x->budget_ns > m)
		m = min_u64(x->budget_ns - x->budget_ns % TESSERA_PREEMPT_CHUNK_NS,
			    ns - done);
	return advance(x, c, done, m, ns, 1);
}

static enum tcore_step_rc op_fence(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint32_t flags = TESSERA_CMD_FLAGS(c->dw[0]);
	uint64_t value = dw64(c, 1), addr = dw64(c, 3);
	enum tcore_step_rc rc;

	if (flags & TESSERA_FENCE_WRITE) {
		uint8_t buf[8];

		if (addr & 7)
			return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
		st32(buf, lo32(value));
		st32(buf + 4, hi32(value));
		rc = mem_rw(xc, addr, buf, 8, true);
		if (rc)
			return rc;
	}
	x->cost_ns += TESSERA_COST_ISSUE_NS;
	x->fence = value;
	x->events |= TCORE_EV_FENCE;
	if (flags & TESSERA_FENCE_IRQ)
		x->events |= TCORE_EV_FENCE_IRQ;
	complete(x, c);
	return TCORE_STEP_OK;
}

/* BATCH_CALL / BATCH_JUMP: enter [addr, addr + bytes). */
static enum tcore_step_rc op_batch(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t addr = dw64(c, 1), bytes = c->dw[3];
	enum tcore_step_rc rc;

	if (bytes > TESSERA_MAX_BATCH_BYTES)
		return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
	if ((addr & 3) || (bytes & 3))
		return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
	rc = check_operand(x, addr, bytes);
	if (rc)
		return rc;
	x->cost_ns += TESSERA_COST_ISSUE_NS;
	if (TESSERA_CMD_OP(c->dw[0]) == TESSERA_OP_BATCH_CALL && !bytes) {
		complete(x, c);		/* empty batch */
		return TCORE_STEP_OK;
	}
	x->prog.flags |= TCORE_PROG_IN_BATCH;
	x->prog.batch_pos = addr;
	x->prog.batch_end = addr + bytes;
	return TCORE_STEP_OK;
}

static enum tcore_step_rc run_cmd(struct xctx *xc, struct cmd *c)
{
	switch (TESSERA_CMD_OP(c->dw[0])) {
	case TESSERA_OP_NOP:
		xc->x->cost_ns += TESSERA_COST_ISSUE_NS;
		complete(xc->x, c);
		return TCORE_STEP_OK;
	case TESSERA_OP_FENCE:
		return op_fence(xc, c);
	case TESSERA_OP_COPY:
		return op_copy(xc, c);
	case TESSERA_OP_FILL:
		return op_fill(xc, c);
	case TESSERA_OP_AXPY:
		return op_axpy(xc, c);
	case TESSERA_OP_CHECKSUM:
		return op_checksum(xc, c);
	case TESSERA_OP_BATCH_CALL:
	case TESSERA_OP_BATCH_JUMP:
		return op_batch(xc, c);
	case TESSERA_OP_BATCH_END:
		xc->x->cost_ns += TESSERA_COST_ISSUE_NS;
		leave_batch(xc->x);
		return TCORE_STEP_OK;
	case TESSERA_OP_BUSY:
		return op_busy(xc, c);
	}
	/* not reached: decode() rejected unknown opcodes */
	return fault(xc->x, TESSERA_FAULT_BAD_OPCODE, c->va);
}

/* Fixed length of each opcode (0: unknown opcode; NOP: any >= 1). */
static uint32_t op_len(uint32_t op)
{
	switch (op) {
	case TESSERA_OP_NOP:		return 1;
	case TESSERA_OP_FENCE:		return TESSERA_FENCE_LEN;
	case TESSERA_OP_COPY:		return TESSERA_COPY_LEN;
	case TESSERA_OP_FILL:		return TESSERA_FILL_LEN;
	case TESSERA_OP_AXPY:		return TESSERA_AXPY_LEN;
	case TESSERA_OP_CHECKSUM:	return TESSERA_CHECKSUM_LEN;
	case TESSERA_OP_BATCH_CALL:	return TESSERA_BATCH_CALL_LEN;
	case TESSERA_OP_BATCH_JUMP:	return TESSERA_BATCH_JUMP_LEN;
	case TESSERA_OP_BATCH_END:	return 1;
	case TESSERA_OP_BUSY:		return TESSERA_BUSY_LEN;
	}
	return 0;
}

/*
 * VA of ring offset @off; false if the ring crosses the top of the VA
 * space (then it is outside the GART window).
 */
static bool ring_va(const struct tcore_exec *x, uint32_t off, uint64_t *va)
{
	if (x->ring_base > UINT64_MAX - off)
		return false;
	*va = x->ring_base + off;
	return true;
}

/* Read dword @k of the command at ring offset / batch VA. */
static enum tcore_step_rc fetch_dw(struct xctx *xc, const struct cmd *c,
				   uint32_t k, uint32_t *out)
{
	struct tcore_exec *x = xc->x;
	uint64_t va;
	uint8_t b[4];
	enum tcore_step_rc rc;

	if (c->in_batch) {
		va = c->va + 4ULL * k;
	} else if (!ring_va(x, (x->ring_head + 4 * k) & (x->ring_size - 1),
			    &va)) {
		return fault(x, TESSERA_FAULT_GART_RANGE, x->ring_base);
	}
	rc = mem_rw(xc, va, b, 4, false);
	if (rc)
		return rc;
	*out = ld32(b);
	return TCORE_STEP_OK;
}

/* Fetch and validate the command at the head of the ring / batch. */
static enum tcore_step_rc decode(struct xctx *xc, struct cmd *c,
				 uint64_t avail)
{
	struct tcore_exec *x = xc->x;
	uint32_t hdr, op, flags, want, k, allowed = 0;
	enum tcore_step_rc rc;

	rc = fetch_dw(xc, c, 0, &hdr);
	if (rc)
		return rc;
	c->dw[0] = hdr;
	op = TESSERA_CMD_OP(hdr);
	flags = TESSERA_CMD_FLAGS(hdr);
	c->len = TESSERA_CMD_LEN(hdr);
	want = op_len(op);
	if (!want)
		return fault(x, TESSERA_FAULT_BAD_OPCODE, c->va);
	if (op == TESSERA_OP_NOP ? c->len < 1 : c->len != want)
		return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
	if ((uint64_t)c->len * 4 > avail)
		return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
	if (op == TESSERA_OP_FENCE)
		allowed = TESSERA_FENCE_IRQ | TESSERA_FENCE_WRITE;
	if (op == TESSERA_OP_BUSY)
		allowed = TESSERA_BUSY_ATOMIC;
	if (flags & ~allowed)
		return fault(x, TESSERA_FAULT_BAD_OPCODE, c->va);
	if ((op == TESSERA_OP_AXPY || op == TESSERA_OP_CHECKSUM) &&
	    x->engine_class != TESSERA_ENG_CLASS_COMPUTE)
		return fault(x, TESSERA_FAULT_BAD_OPCODE, c->va);
	if (op == TESSERA_OP_BATCH_CALL && c->in_batch)
		return fault(x, TESSERA_FAULT_BAD_NESTING, c->va);
	if ((op == TESSERA_OP_BATCH_JUMP || op == TESSERA_OP_BATCH_END) &&
	    !c->in_batch)
		return fault(x, TESSERA_FAULT_BAD_NESTING, c->va);
	/* NOP padding is not read */
	if (op == TESSERA_OP_NOP)
		return TCORE_STEP_OK;
	for (k = 1; k < c->len; k++) {
		rc = fetch_dw(xc, c, k, &c->dw[k]);
		if (rc)
			return rc;
	}
	return TCORE_STEP_OK;
}

enum tcore_step_rc tcore_exec_step(struct tcore_exec *x,
				   const struct tcore_mem_ops *ops,
				   void *opaque)
{
	struct xctx xc = { .x = x, .ops = ops, .opaque = opaque };
	struct tcore_ring ring = {
		.base = x->ring_base, .size = x->ring_size,
		.head = x->ring_head, .tail = x->ring_tail,
	};
	struct cmd c;
	uint64_t avail;
	enum tcore_step_rc rc;

	x->cost_ns = 0;
	x->events = 0;
	x->fault_code = 0;
	x->fault_addr = 0;
	x->cmd_hdr = 0;
	x->cmd_va = 0;
	memset(&c, 0, sizeof(c));
	c.in_batch = x->prog.flags & TCORE_PROG_IN_BATCH;

	if (!tcore_ring_valid(&ring))
		return fault(x, TESSERA_FAULT_BAD_RING, x->ring_base);
	if (c.in_batch && (x->prog.batch_pos > x->prog.batch_end ||
			   (x->prog.batch_pos & 3))) {
		/* cannot happen with state written by this file */
		memset(&x->prog, 0, sizeof(x->prog));
		return fault(x, TESSERA_FAULT_BAD_NESTING, x->ring_base);
	}
	if (c.in_batch)
		c.va = x->prog.batch_pos;
	else if (!ring_va(x, x->ring_head, &c.va))
		return fault(x, TESSERA_FAULT_GART_RANGE, x->ring_base);

	if (x->prog.flags & TCORE_PROG_MIDCMD) {
		/* resume a preempted command from its saved copy */
		memcpy(c.dw, x->prog.cmd, sizeof(c.dw));
		c.len = TESSERA_CMD_LEN(c.dw[0]);
		c.first = false;
		x->cmd_hdr = c.dw[0];
		x->cmd_va = c.va;
		return run_cmd(&xc, &c);
	}

	if (c.in_batch) {
		if (x->prog.batch_pos == x->prog.batch_end) {
			leave_batch(x);		/* end of the range */
			return TCORE_STEP_OK;
		}
		avail = x->prog.batch_end - x->prog.batch_pos;
	} else {
		if (x->ring_head == x->ring_tail)
			return TCORE_STEP_IDLE;
		avail = (x->ring_tail - x->ring_head) & (x->ring_size - 1);
	}
	rc = decode(&xc, &c, avail);
	if (rc)
		return rc;
	c.first = true;
	x->prog.done = 0;
	x->prog.hash = 0;
	x->cmd_hdr = c.dw[0];
	x->cmd_va = c.va;
	x->events |= TCORE_EV_CMD_START;
	return run_cmd(&xc, &c);
}

/* --------------------------------------------------- engine stepping */

/* The ring's command in progress has no preemption point (BUSY_ATOMIC). */
static bool prog_atomic(const struct tcore_progress *p)
{
	return (p->flags & TCORE_PROG_MIDCMD) &&
	       TESSERA_CMD_OP(p->cmd[0]) == TESSERA_OP_BUSY &&
	       (TESSERA_CMD_FLAGS(p->cmd[0]) & TESSERA_BUSY_ATOMIC);
}

/* A PREEMPT is pending and the engine is at a preemption point. */
static bool preempt_due(const struct tcore_dev *d, unsigned int e)
{
	const struct tcore_engine *eng = &d->eng[e];

	if (!eng->preempt_pending)
		return false;
	if (eng->ctx >= d->contexts)
		return true;
	return !prog_atomic(&d->ctx[eng->ctx].ring[e].prog);
}

enum tcore_prep_rc tcore_engine_prepare(struct tcore_dev *d, unsigned int e,
					int64_t now, struct tcore_exec *x)
{
	struct tcore_engine *eng;
	struct tcore_ctx *cx;
	struct tcore_ring *r;

	if (e >= d->engines)
		return TCORE_PREP_PARK;
	eng = &d->eng[e];
	if (eng->state != TESSERA_ENG_STATE_RUNNING)
		return TCORE_PREP_PARK;
	if (preempt_due(d, e)) {
		tcore_eng_preempted(d, e, now);
		return TCORE_PREP_PARK;	/* the caller looks again */
	}
	if (eng->ctx >= d->contexts) {		/* cannot happen */
		tcore_eng_fault(d, e, TESSERA_FAULT_BAD_CONTEXT, eng->ctx, 0,
				false);
		return TCORE_PREP_PARK;
	}
	cx = &d->ctx[eng->ctx];
	r = &cx->ring[e];
	if (!tcore_ring_valid(r)) {
		tcore_eng_fault(d, e, TESSERA_FAULT_BAD_RING, eng->ctx, r->base,
				false);
		return TCORE_PREP_PARK;
	}
	if (r->head == r->tail && !r->prog.flags) {
		eng->state = TESSERA_ENG_STATE_WAITING;
		tcore_eng_raise(d, e, TESSERA_ENG_INT_IDLE);
		return TCORE_PREP_PARK;
	}
	memset(x, 0, sizeof(*x));
	x->dev_vram_size = d->vram_size;
	x->dev_gart_entries = d->gart_entries;
	x->ctx = eng->ctx;
	x->engine_class = tcore_engine_class(d, e);
	x->ring_base = r->base;
	x->ring_size = r->size;
	x->ring_head = r->head;
	x->ring_tail = r->tail;
	x->vram_base = cx->vram_base;
	x->vram_size = cx->vram_size;
	x->gart_base = cx->gart_base;
	x->gart_size = cx->gart_size;
	x->prog = r->prog;
	return TCORE_PREP_RUN;
}

void tcore_engine_finish(struct tcore_dev *d, unsigned int e,
			 const struct tcore_exec *x, enum tcore_step_rc rc,
			 int64_t step_start)
{
	struct tcore_engine *eng;
	struct tcore_ring *r;

	if (e >= d->engines || x->ctx >= d->contexts)
		return;
	eng = &d->eng[e];
	r = &d->ctx[x->ctx].ring[e];
	if (eng->state != TESSERA_ENG_STATE_RUNNING || eng->ctx != x->ctx)
		return;		/* reset under our feet (self-DMA): drop */
	if ((x->events & TCORE_EV_CLAMP) && eng->clock < step_start)
		eng->clock = step_start;
	eng->clock += x->cost_ns;
	eng->busy_ns += x->cost_ns;
	switch (rc) {
	case TCORE_STEP_FAULT:
		tcore_eng_fault(d, e, x->fault_code, x->ctx, x->fault_addr,
				true);
		return;
	case TCORE_STEP_IDLE:
		return;		/* the next prepare goes WAITING */
	case TCORE_STEP_OK:
		break;
	}
	r->head = x->ring_head;
	r->prog = x->prog;
	if (x->events & TCORE_EV_FENCE) {
		r->fence = x->fence;
		eng->fence = x->fence;
		eng->fence_ctx = x->ctx;
		if (x->events & TCORE_EV_FENCE_IRQ)
			tcore_eng_raise(d, e, TESSERA_ENG_INT_FENCE);
	}
}

/* A step resumed at RESUME never takes the engine past SLACK. */
static_assert(TCORE_MAX_STEP_COST_NS <=
	      TCORE_PACE_SLACK_NS - TCORE_PACE_RESUME_NS, "pacing slack");

uint64_t tcore_engine_budget_ns(const struct tcore_dev *d, unsigned int e,
				int64_t now)
{
	int64_t b;

	if (e >= d->engines)
		return 0;
	b = now + TCORE_PACE_SLACK_NS - d->eng[e].clock;
	return b > 0 ? (uint64_t)b : 0;
}

int64_t tcore_engine_pace_ns(const struct tcore_dev *d, unsigned int e,
			     int64_t now)
{
	int64_t ahead;

	if (e >= d->engines || preempt_due(d, e))
		return 0;	/* a preemption point is due now */
	ahead = d->eng[e].clock - TCORE_PACE_RESUME_NS - now;
	return ahead > 0 ? ahead : 0;
}
