// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the Tessera GPU model's core (qemu/tessera-core-regs.c and
 * qemu/tessera-core-exec.c): the register file, address translation, every
 * command and fault, preemption and resume, cost accounting, interrupts and
 * hostile command streams.
 *
 * The "device" here is a tcore_dev with small VRAM and a fake system
 * memory; everything outside the buffers is an error (FAULT_DMA_ERROR), and
 * guard bytes around the context windows catch stray writes.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tessera-core.h"

#define VRAM_SIZE	(4u * 1024 * 1024)	/* 4 MiB of "VRAM" */
#define SYS_BASE	0x100000000ULL		/* fake system memory */
#define SYS_SIZE	(1024u * 1024)
#define NCTX		8
#define NGART		1024
#define GUARD		0xa5
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static struct env {
	struct tcore_dev d;
	struct tcore_ctx ctx[NCTX];
	uint64_t gart[NGART];
	uint8_t *vram;
	uint8_t *sys;
	int64_t now;
	uint32_t tail[NCTX][TESSERA_MAX_ENGINES];
	unsigned int dma_calls;
	unsigned int max_step_cost_violations;
	uint64_t steps;
	/* what the core reported through its hooks */
	unsigned int guest_errors;
	char guest_error_msg[256];
	unsigned int faults;
	uint32_t fault_code;
	uint64_t fault_addr;
	uint32_t irq_bits[TESSERA_MAX_ENGINES];
} E;

/* ------------------------------------------------------ memory callbacks */

static int m_read_vram(void *o, uint64_t off, void *buf, uint32_t len)
{
	(void)o;
	if (off > VRAM_SIZE || len > VRAM_SIZE - off || len > 4096)
		abort();	/* the core must never ask for this */
	memcpy(buf, E.vram + off, len);
	return 0;
}

static int m_write_vram(void *o, uint64_t off, const void *buf, uint32_t len)
{
	(void)o;
	if (off > VRAM_SIZE || len > VRAM_SIZE - off || len > 4096)
		abort();
	memcpy(E.vram + off, buf, len);
	return 0;
}

static int m_dma(uint64_t a, uint32_t len, uint8_t **p)
{
	E.dma_calls++;
	if (len > 4096 || ((a ^ (a + len - 1)) & ~0xfffULL))
		abort();	/* never crosses a page */
	if (a < SYS_BASE || a - SYS_BASE > SYS_SIZE ||
	    len > SYS_SIZE - (a - SYS_BASE))
		return TCORE_MEM_ERROR;
	*p = E.sys + (a - SYS_BASE);
	return 0;
}

static int m_dma_read(void *o, uint64_t a, void *buf, uint32_t len)
{
	uint8_t *p;

	(void)o;
	if (m_dma(a, len, &p))
		return TCORE_MEM_ERROR;
	memcpy(buf, p, len);
	return 0;
}

static int m_dma_write(void *o, uint64_t a, const void *buf, uint32_t len)
{
	uint8_t *p;

	(void)o;
	if (m_dma(a, len, &p))
		return TCORE_MEM_ERROR;
	memcpy(p, buf, len);
	return 0;
}

static int m_gart(void *o, uint32_t i, uint64_t *ent)
{
	(void)o;
	if (i >= NGART)
		abort();
	*ent = E.gart[i];
	return 0;
}

static const struct tcore_mem_ops OPS = {
	m_read_vram, m_write_vram, m_dma_read, m_dma_write, m_gart,
};

/* ---------------------------------------------------------- core hooks */

static void h_guest_error(void *o, const char *fmt, va_list ap)
{
	(void)o;
	E.guest_errors++;
	vsnprintf(E.guest_error_msg, sizeof(E.guest_error_msg), fmt, ap);
}

static void h_fault(void *o, unsigned int e, uint32_t code, uint32_t ctx,
		    uint64_t addr)
{
	(void)o;
	(void)ctx;
	if (e >= TESSERA_MAX_ENGINES)
		abort();
	E.faults++;
	E.fault_code = code;
	E.fault_addr = addr;
}

static void h_eng_irq(void *o, unsigned int e, uint32_t bits)
{
	(void)o;
	if (e >= TESSERA_MAX_ENGINES)
		abort();
	E.irq_bits[e] |= bits;
}

static const struct tcore_hooks HOOKS = {
	h_guest_error, h_fault, h_eng_irq,
};

/* ---------------------------------------------------------------- env */

static void env_init(uint32_t compute, uint32_t copy)
{
	if (!E.vram) {
		E.vram = malloc(VRAM_SIZE);
		E.sys = malloc(SYS_SIZE);
	}
	memset(E.vram, GUARD, VRAM_SIZE);
	memset(E.sys, GUARD, SYS_SIZE);
	memset(E.tail, 0, sizeof(E.tail));
	E.now = 0;
	E.dma_calls = 0;
	E.max_step_cost_violations = 0;
	E.guest_errors = 0;
	E.guest_error_msg[0] = 0;
	E.faults = 0;
	E.fault_code = 0;
	E.fault_addr = 0;
	memset(E.irq_bits, 0, sizeof(E.irq_bits));
	tcore_init(&E.d, VRAM_SIZE, NCTX, NGART, compute, copy, E.ctx, E.gart);
	/* every test runs with the hooks: they must not change behaviour */
	tcore_set_hooks(&E.d, &HOOKS, NULL);
}

static uint64_t rd(uint64_t off)
{
	return tcore_csr_read(&E.d, off, 4, E.now);
}

static uint64_t rd64(uint64_t off)
{
	return tcore_csr_read(&E.d, off, 8, E.now);
}

static void wr(uint64_t off, uint64_t v)
{
	tcore_csr_write(&E.d, off, v, 4, E.now);
}

static void wr64(uint64_t off, uint64_t v)
{
	tcore_csr_write(&E.d, off, v, 8, E.now);
}

#define ENG(e, r)	TESSERA_ENG_REG(e, TESSERA_ENG_##r)
#define CTX(c, r)	TESSERA_CTX_REG(c, TESSERA_CTX_##r)
#define RING(c, e, r)	TESSERA_CTX_RING_REG(c, e, TESSERA_RING_##r)

static uint32_t state(unsigned int e)
{
	return TESSERA_ENG_STATE(rd(ENG(e, STATUS)));
}

/* Context @c: VRAM window [vb, vb + vs), GART window [gb, gb + gs). */
static void ctx_setup(uint32_t c, uint64_t vb, uint64_t vs, uint32_t gb,
		      uint32_t gs)
{
	wr64(CTX(c, VRAM_BASE_LO), vb);
	wr64(CTX(c, VRAM_SIZE_LO), vs);
	wr(CTX(c, GART_BASE), gb);
	wr(CTX(c, GART_SIZE), gs);
	wr(CTX(c, CTRL), TESSERA_CTX_CTRL_VALID);
}

static void ring_setup(uint32_t c, unsigned int e, uint64_t base,
		       uint32_t size)
{
	wr64(RING(c, e, BASE_LO), base);
	wr(RING(c, e, SIZE), size);
	wr(RING(c, e, HEAD), 0);
	wr(RING(c, e, TAIL), 0);
	E.tail[c][e] = 0;
}

/* Host pointer of context VA (VRAM window only, for test set-up). */
static uint8_t *vptr(uint32_t c, uint64_t va)
{
	return E.vram + E.ctx[c].vram_base + va;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* tests run on little-endian hosts */
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Append dwords to ring (c, e) (ring in the VRAM window), no submit. */
static void emit(uint32_t c, unsigned int e, unsigned int n,
		 const uint32_t *dw)
{
	struct tcore_ring *r = &E.ctx[c].ring[e];
	unsigned int i;

	for (i = 0; i < n; i++) {
		put32(vptr(c, r->base + E.tail[c][e]), dw[i]);
		E.tail[c][e] = (E.tail[c][e] + 4) & (r->size - 1);
	}
}

#define EMIT(c, e, ...) do {						\
	const uint32_t _dw[] = { __VA_ARGS__ };				\
	emit(c, e, sizeof(_dw) / 4, _dw);				\
} while (0)

static void submit(uint32_t c, unsigned int e)
{
	wr(RING(c, e, TAIL), E.tail[c][e]);
}

static void start(unsigned int e, uint32_t c)
{
	wr(ENG(e, CTX), c);
	wr(ENG(e, CTRL), TESSERA_ENG_CTRL_START);
}

/*
 * Run engine @e like the QEMU worker does, at most @max steps (0 = until
 * it parks). Device time follows the engine (no pacing wait). Returns the
 * number of steps executed.
 */
static uint64_t run(unsigned int e, uint64_t max)
{
	struct tcore_exec x;
	enum tcore_step_rc rc;
	uint64_t n = 0;

	while (!max || n < max) {
		if (tcore_engine_prepare(&E.d, e, E.now, &x) != TCORE_PREP_RUN)
			break;
		rc = tcore_exec_step(&x, &OPS, NULL);
		if (x.cost_ns > TCORE_MAX_STEP_COST_NS)
			E.max_step_cost_violations++;
		tcore_engine_finish(&E.d, e, &x, rc, E.now);
		if (E.now < E.d.eng[e].clock)
			E.now = E.d.eng[e].clock;
		n++;
		E.steps++;
	}
	return n;
}

static uint64_t busy_ns(unsigned int e)
{
	return rd64(ENG(e, BUSY_NS_LO));
}

/*
 * Standard set-up: ctx 1 with VRAM window [1 MiB, 3 MiB), GART window
 * entries [16, 16 + 64), ring on engine e at VA 0 (4 KiB).
 */
#define VB	(1024u * 1024)
#define VS	(2u * 1024 * 1024)
#define GB	16
#define GS	64
#define VAG	TESSERA_VA_GART

static void std_setup(unsigned int e)
{
	ctx_setup(1, VB, VS, GB, GS);
	ring_setup(1, e, 0, 4096);
}

/* Map GART window page i of ctx 1 to system memory page p. */
static void gmap(uint32_t i, uint32_t p, uint64_t flags)
{
	wr64(TESSERA_GART_ENTRY(GB + i), (SYS_BASE + p * 4096ULL) | flags);
}

#define RW	(TESSERA_GART_VALID | TESSERA_GART_WRITABLE)
#define RO	TESSERA_GART_VALID

/* Nothing outside ctx 1's VRAM window changed. */
static int vram_outside_untouched(void)
{
	uint32_t i;

	for (i = 0; i < VRAM_SIZE; i++) {
		if (i == VB)
			i = VB + VS;
		if (i < VRAM_SIZE && E.vram[i] != GUARD)
			return 0;
	}
	return 1;
}

#define CMD	TESSERA_CMD
#define LO(v)	((uint32_t)(uint64_t)(v))
#define HI(v)	((uint32_t)((uint64_t)(v) >> 32))

/* ------------------------------------------------------------ registers */

static void test_global_regs(void)
{
	env_init(2, 1);
	TAP_CHECK_EQ(rd(TESSERA_REG_ID), TESSERA_ID_MAGIC);
	TAP_CHECK_EQ(rd(TESSERA_REG_VERSION), TESSERA_VERSION_1_0);
	TAP_CHECK_EQ(rd(TESSERA_REG_CAPS), TESSERA_CAPS_DOORBELLS |
		     TESSERA_CAPS_PREEMPT | TESSERA_CAPS_GART_RO);
	TAP_CHECK_EQ(rd(TESSERA_REG_ENGINES), 3 | 2 << 8 | 1 << 16);
	TAP_CHECK_EQ(rd(TESSERA_REG_CONTEXTS), NCTX);
	TAP_CHECK_EQ(rd(TESSERA_REG_GART_ENTRIES), NGART);
	TAP_CHECK_EQ(rd64(TESSERA_REG_VRAM_SIZE_LO), VRAM_SIZE);
	TAP_CHECK_EQ(rd(TESSERA_REG_STATUS), TESSERA_STATUS_READY);
	TAP_CHECK_EQ(rd(ENG(0, CAPS)), TESSERA_ENG_CLASS_COMPUTE);
	TAP_CHECK_EQ(rd(ENG(1, CAPS)), TESSERA_ENG_CLASS_COMPUTE);
	TAP_CHECK_EQ(rd(ENG(2, CAPS)), TESSERA_ENG_CLASS_COPY);

	/* timestamp: LO latches HI; 8-byte read is consistent */
	E.now = 0x123456789aLL;
	TAP_CHECK_EQ(rd(TESSERA_REG_TIMESTAMP_LO), 0x3456789a);
	E.now = 0x223456789aLL;
	TAP_CHECK_EQ(rd(TESSERA_REG_TIMESTAMP_HI), 0x12);
	TAP_CHECK_EQ(rd64(TESSERA_REG_TIMESTAMP_LO), 0x223456789aULL);

	/* scratch, RO registers, bad sizes and alignment */
	wr(TESSERA_REG_SCRATCH, 0xcafe);
	TAP_CHECK_EQ(rd(TESSERA_REG_SCRATCH), 0xcafe);
	wr(TESSERA_REG_ID, 0);
	TAP_CHECK_EQ(rd(TESSERA_REG_ID), TESSERA_ID_MAGIC);
	TAP_CHECK_EQ(tcore_csr_read(&E.d, TESSERA_REG_ID, 2, 0), 0);
	TAP_CHECK_EQ(tcore_csr_read(&E.d, TESSERA_REG_ID, 1, 0), 0);
	TAP_CHECK_EQ(tcore_csr_read(&E.d, TESSERA_REG_ID + 1, 4, 0), 0);
	TAP_CHECK_EQ(tcore_csr_read(&E.d, TESSERA_REG_ID, 8, 0), 0);
	TAP_CHECK_EQ(tcore_csr_read(&E.d, TESSERA_REG_VRAM_SIZE_HI, 8, 0), 0);
	tcore_csr_write(&E.d, TESSERA_REG_SCRATCH, 1, 2, 0);
	tcore_csr_write(&E.d, TESSERA_REG_SCRATCH + 2, 1, 4, 0);
	tcore_csr_write(&E.d, TESSERA_REG_SCRATCH, 1, 8, 0);
	TAP_CHECK_EQ(rd(TESSERA_REG_SCRATCH), 0xcafe);
	TAP_CHECK_EQ(tcore_csr_read(&E.d, TESSERA_CSR_BAR_SIZE, 4, 0), 0);
	TAP_CHECK_EQ(tcore_csr_read(&E.d, ~0ULL - 3, 4, 0), 0);
	tcore_csr_write(&E.d, ~0ULL - 3, 1, 4, 0);

	/* engines, contexts and GART entries that do not exist */
	TAP_CHECK_EQ(rd(ENG(3, CAPS)), 0);
	wr(ENG(3, CTRL), TESSERA_ENG_CTRL_START);
	TAP_CHECK_EQ(rd(ENG(3, STATUS)), 0);
	wr(CTX(NCTX, CTRL), 1);
	TAP_CHECK_EQ(rd(CTX(NCTX, CTRL)), 0);
	wr(CTX(NCTX + 100, CTRL), 1);
	wr(TESSERA_GART_ENTRY(NGART), 0x1001);
	TAP_CHECK_EQ(rd(TESSERA_GART_ENTRY(NGART)), 0);
	wr(RING(0, 3, SIZE), 4096);
	TAP_CHECK_EQ(rd(RING(0, 3, SIZE)), 0);

	/* GART: halves, 8-byte, reserved bits dropped */
	wr(TESSERA_GART_ENTRY(5), 0x12345fff);
	wr(TESSERA_GART_ENTRY(5) + 4, 0xabc);
	TAP_CHECK_EQ(rd64(TESSERA_GART_ENTRY(5)), 0xabc12345003ULL);
	wr64(TESSERA_GART_ENTRY(6), 0xfedcba9876543fffULL);
	TAP_CHECK_EQ(rd64(TESSERA_GART_ENTRY(6)), 0xfedcba9876543003ULL);

	/* context window pairs */
	wr64(CTX(2, VRAM_BASE_LO), 0x1122334455667000ULL);
	TAP_CHECK_EQ(rd(CTX(2, VRAM_BASE_HI)), 0x11223344);
	wr(CTX(2, VRAM_SIZE_HI), 7);
	TAP_CHECK_EQ(rd64(CTX(2, VRAM_SIZE_LO)), 7ULL << 32);
	wr(CTX(2, CTRL), 0xffffffff);
	TAP_CHECK_EQ(rd(CTX(2, CTRL)), TESSERA_CTX_CTRL_VALID);

	/* INT_ENABLE keeps only existing sources */
	wr(TESSERA_REG_INT_ENABLE, 0xffffffff);
	TAP_CHECK_EQ(rd(TESSERA_REG_INT_ENABLE), 0x7 | TESSERA_INT_DOORBELL);

	/* config checks */
	TAP_CHECK(!tcore_check_config(512ULL << 20, 64, 65536, 2, 1));
	TAP_CHECK(tcore_check_config(100ULL << 20, 64, 65536, 2, 1));
	TAP_CHECK(tcore_check_config(32ULL << 20, 64, 65536, 2, 1));
	TAP_CHECK(tcore_check_config(128ULL << 30, 64, 65536, 2, 1));
	TAP_CHECK(!tcore_check_config(64ULL << 30, 256, 262144, 8, 0));
	TAP_CHECK(tcore_check_config(512ULL << 20, 0, 65536, 2, 1));
	TAP_CHECK(tcore_check_config(512ULL << 20, 257, 65536, 2, 1));
	TAP_CHECK(tcore_check_config(512ULL << 20, 64, 1023, 2, 1));
	TAP_CHECK(tcore_check_config(512ULL << 20, 64, 262145, 2, 1));
	TAP_CHECK(tcore_check_config(512ULL << 20, 64, 65536, 0, 0));
	TAP_CHECK(tcore_check_config(512ULL << 20, 64, 65536, 8, 1));
	TAP_CHECK(tcore_check_config(512ULL << 20, 64, 65536, 0xffffffff, 2));
	TAP_CHECK(!tcore_check_config(512ULL << 20, 64, 65536, 0, 1));
	TAP_CHECK_EQ(tcore_doorbell_bar_size(1), 4096);
	TAP_CHECK_EQ(tcore_doorbell_bar_size(64), 64 * 4096);
	TAP_CHECK_EQ(tcore_doorbell_bar_size(65), 128 * 4096);
}

/* -------------------------------------------------------------- commands */

static void test_nop_fence(void)
{
	env_init(2, 1);
	std_setup(0);
	wr(ENG(0, INT_MASK), TESSERA_ENG_INT_ALL);
	EMIT(1, 0, CMD(TESSERA_OP_NOP, 0, 1),
	     CMD(TESSERA_OP_NOP, 0, 3), 0xdead, 0xbeef,
	     CMD(TESSERA_OP_FENCE, TESSERA_FENCE_WRITE | TESSERA_FENCE_IRQ, 5),
	     0x11112222, 0x33334444, 0x1000, 0,
	     CMD(TESSERA_OP_FENCE, 0, 5), 7, 0, 0xdeadbeef, 0xffffffff);
	submit(1, 0);
	start(0, 1);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	TAP_CHECK_EQ(rd(CTX(1, STATUS)), TESSERA_CTX_STATUS_PENDING(0) |
		     TESSERA_CTX_STATUS_LOADED(0));
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(CTX(1, STATUS)), TESSERA_CTX_STATUS_LOADED(0));
	TAP_CHECK_EQ(get64(vptr(1, 0x1000)), 0x3333444411112222ULL);
	TAP_CHECK_EQ(rd64(ENG(0, FENCE_LO)), 7);
	TAP_CHECK_EQ(rd(ENG(0, FENCE_CTX)), 1);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 7);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_HI)), 0);
	TAP_CHECK_EQ(rd(RING(1, 0, HEAD)), E.tail[1][0]);
	TAP_CHECK_EQ(rd(ENG(0, INT_STATUS)),
		     TESSERA_ENG_INT_FENCE | TESSERA_ENG_INT_IDLE);
	TAP_CHECK_EQ(busy_ns(0), 4 * TESSERA_COST_ISSUE_NS);
	TAP_CHECK_EQ(rd(ENG(0, RING_HEAD)), E.tail[1][0]);
	TAP_CHECK_EQ(rd(ENG(0, RING_SIZE)), 4096);
	TAP_CHECK(vram_outside_untouched());
}

static void test_copy_fill(void)
{
	uint32_t i, ok = 1;

	env_init(2, 1);
	std_setup(2);		/* the copy engine does COPY and FILL */
	for (i = 0; i < 4; i++)
		gmap(i, 10 + 3 * i, RW);	/* scattered pages */
	for (i = 0; i < 20000; i++)
		vptr(1, 0x10000)[i] = i * 7 + 1;
	/* VRAM -> GART (unaligned, crossing pages), GART -> VRAM */
	EMIT(1, 2, CMD(TESSERA_OP_COPY, 0, 6), LO(VAG + 5), HI(VAG + 5),
	     0x10000, 0, 9000);
	EMIT(1, 2, CMD(TESSERA_OP_COPY, 0, 6), 0x40003, 0, LO(VAG + 5),
	     HI(VAG + 5), 9000);
	EMIT(1, 2, CMD(TESSERA_OP_FILL, 0, 5), 0x50000, 0, 12, 0x04030201);
	EMIT(1, 2, CMD(TESSERA_OP_FILL, 0, 5), 0x60000, 0, 0, 0x1);
	EMIT(1, 2, CMD(TESSERA_OP_COPY, 0, 6), 0x60000, 0, 0x10000, 0, 0);
	submit(1, 2);
	start(2, 1);
	run(2, 0);
	TAP_CHECK_EQ(state(2), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(ENG(2, FAULT_CODE)), 0);
	for (i = 0; i < 9000; i++) {
		uint32_t va = 5 + i;
		uint8_t *sp = E.sys + (10 + 3 * (va / 4096)) * 4096 + va % 4096;

		if (*sp != (uint8_t)(i * 7 + 1) ||
		    vptr(1, 0x40003)[i] != (uint8_t)(i * 7 + 1))
			ok = 0;
	}
	TAP_CHECK(ok);
	TAP_CHECK_EQ(E.sys[10 * 4096 + 4], GUARD);	/* before dst */
	TAP_CHECK_EQ(vptr(1, 0x40003)[9000], GUARD);	/* after dst */
	TAP_CHECK_EQ(vptr(1, 0x40002)[0], GUARD);
	for (i = 0; i < 12; i++)
		TAP_CHECK_EQ(vptr(1, 0x50000)[i], i % 4 + 1);
	TAP_CHECK_EQ(vptr(1, 0x50000)[12], GUARD);
	TAP_CHECK_EQ(vptr(1, 0x60000)[0], GUARD);
	TAP_CHECK_EQ(busy_ns(2),
		     2 * tessera_cmd_cost_ns(TESSERA_OP_COPY, 9000) +
		     tessera_cmd_cost_ns(TESSERA_OP_FILL, 12) +
		     tessera_cmd_cost_ns(TESSERA_OP_FILL, 0) +
		     tessera_cmd_cost_ns(TESSERA_OP_COPY, 0));
	TAP_CHECK(vram_outside_untouched());
}

static void test_axpy_checksum(void)
{
	uint32_t i, n = 3000, ok = 1, h;

	env_init(2, 1);
	std_setup(1);
	for (i = 0; i < n; i++) {
		put32(vptr(1, 0x10000 + 4 * i), i * 3 + 0x80000000u);
		put32(vptr(1, 0x20000 + 4 * i), 0xffffffffu - i);
	}
	EMIT(1, 1, CMD(TESSERA_OP_AXPY, 0, 7), 0x20000, 0, 0x10000, 0, n, 5);
	EMIT(1, 1, CMD(TESSERA_OP_CHECKSUM, 0, 6), 0x30000, 0, 0x20000, 0,
	     4 * n - 1);
	EMIT(1, 1, CMD(TESSERA_OP_CHECKSUM, 0, 6), 0x30004, 0, 0, 0, 0);
	EMIT(1, 1, CMD(TESSERA_OP_AXPY, 0, 7), 0x20000, 0, 0x10000, 0, 0, 5);
	submit(1, 1);
	start(1, 1);
	run(1, 0);
	TAP_CHECK_EQ(state(1), TESSERA_ENG_STATE_WAITING);
	for (i = 0; i < n; i++)
		if (get32(vptr(1, 0x20000 + 4 * i)) !=
		    (uint32_t)(5u * (i * 3 + 0x80000000u) + 0xffffffffu - i))
			ok = 0;
	TAP_CHECK(ok);
	TAP_CHECK_EQ(vptr(1, 0x20000 + 4 * n)[0], GUARD);
	h = tcore_fnv1a(TESSERA_FNV1A_INIT, vptr(1, 0x20000), 4 * n - 1);
	TAP_CHECK_EQ(get32(vptr(1, 0x30000)), h);
	TAP_CHECK_EQ(get32(vptr(1, 0x30004)), TESSERA_FNV1A_INIT);
	/* FNV-1a reference values */
	TAP_CHECK_EQ(tcore_fnv1a(TESSERA_FNV1A_INIT, "", 0), 0x811c9dc5);
	TAP_CHECK_EQ(tcore_fnv1a(TESSERA_FNV1A_INIT, "a", 1), 0xe40c292c);
	TAP_CHECK_EQ(tcore_fnv1a(TESSERA_FNV1A_INIT, "foobar", 6), 0xbf9cf968);
	TAP_CHECK_EQ(busy_ns(1),
		     tessera_cmd_cost_ns(TESSERA_OP_AXPY, n) +
		     tessera_cmd_cost_ns(TESSERA_OP_CHECKSUM, 4 * n - 1) +
		     tessera_cmd_cost_ns(TESSERA_OP_CHECKSUM, 0) +
		     tessera_cmd_cost_ns(TESSERA_OP_AXPY, 0));
	TAP_CHECK(vram_outside_untouched());
}

static void test_busy(void)
{
	env_init(2, 1);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, 0, 3), 123456, 0,
	     CMD(TESSERA_OP_BUSY, 0, 3), 0, 0,
	     CMD(TESSERA_OP_BUSY, 0, 3), 999, 0);
	submit(1, 0);
	start(0, 1);
	TAP_CHECK_EQ(run(0, 0), 124 + 1 + 1);	/* 1 us chunks */
	TAP_CHECK_EQ(busy_ns(0), tessera_cmd_cost_ns(TESSERA_OP_BUSY, 123456) +
		     tessera_cmd_cost_ns(TESSERA_OP_BUSY, 0) +
		     tessera_cmd_cost_ns(TESSERA_OP_BUSY, 999));
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(E.max_step_cost_violations, 0);

	/* pacing: at most the slack ahead */
	E.now = 1000000;
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, 0, 3), 10000000, 0);
	submit(1, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	TAP_CHECK_EQ(tcore_engine_pace_ns(&E.d, 0, E.now), 0);
	{
		struct tcore_exec x;
		uint64_t n = 0;
		enum tcore_step_rc rc;

		while (!tcore_engine_pace_ns(&E.d, 0, E.now) && n < 1000) {
			TAP_CHECK(tcore_engine_prepare(&E.d, 0, E.now, &x) ==
				  TCORE_PREP_RUN);
			rc = tcore_exec_step(&x, &OPS, NULL);
			tcore_engine_finish(&E.d, 0, &x, rc, E.now);
			n++;
		}
		TAP_CHECK(n < 1000 && n > 20);
		TAP_CHECK(E.d.eng[0].clock <= E.now + TCORE_PACE_SLACK_NS);
		TAP_CHECK(E.d.eng[0].clock > E.now + TCORE_PACE_RESUME_NS);
	}
}

/*
 * A BUSY that starts when the engine is behind device time: the engine
 * clock is re-synchronised, so the BUSY is not shortened.
 */
static void test_busy_clamp(void)
{
	env_init(1, 0);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, 0, 3), 5000, 0);
	submit(1, 0);
	start(0, 1);
	E.now = 10000000;	/* device time moved on: engine behind */
	run(0, 1);
	TAP_CHECK(E.d.eng[0].clock >= 10000000);
	run(0, 0);
	TAP_CHECK_EQ(E.d.eng[0].clock, 10000000 + 5050);
}

/*
 * BUSY_ATOMIC has no preemption point: a PREEMPT waits for the end of the
 * command (and the pacing does not hurry it), then takes effect. Engine
 * reset abandons it. Other flags are refused.
 */
static void test_busy_atomic(void)
{
	env_init(1, 0);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, TESSERA_BUSY_ATOMIC, 3), 20000, 0,
	     CMD(TESSERA_OP_BUSY, 0, 3), 20000, 0);
	submit(1, 0);
	start(0, 1);
	run(0, 3);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	TAP_CHECK(tcore_engine_pace_ns(&E.d, 0, E.now - 100000) > 0);
	run(0, 10);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	run(0, 0);	/* the atomic BUSY's 20 chunks, then the preemption */
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);
	TAP_CHECK_EQ(busy_ns(0), tessera_cmd_cost_ns(TESSERA_OP_BUSY, 20000));
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), 0);
	/* the second BUSY is preemptible again */
	start(0, 1);
	run(0, 3);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	TAP_CHECK_EQ(run(0, 0), 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);

	/* reset abandons an atomic BUSY */
	env_init(1, 0);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, TESSERA_BUSY_ATOMIC, 3), 20000, 0);
	submit(1, 0);
	start(0, 1);
	run(0, 3);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_RESET);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), 0);

	env_init(1, 0);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, 2, 3), 1000, 0);
	submit(1, 0);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_OPCODE);
}

/*
 * A paced engine may charge a running BUSY its whole budget in one step
 * (whole chunks; the first step of a BUSY stays one chunk): the same
 * device time, far fewer steps. The budget follows the pacing clock.
 */
static void test_busy_budget(void)
{
	struct tcore_exec x;
	enum tcore_step_rc rc;
	int i;

	env_init(1, 0);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, 0, 3), 100000, 0);
	submit(1, 0);
	start(0, 1);
	for (i = 0; i < 3; i++) {
		TAP_CHECK(tcore_engine_prepare(&E.d, 0, E.now, &x) ==
			  TCORE_PREP_RUN);
		x.budget_ns = 30500;
		rc = tcore_exec_step(&x, &OPS, NULL);
		tcore_engine_finish(&E.d, 0, &x, rc, E.now);
	}
	TAP_CHECK_EQ(busy_ns(0), TESSERA_COST_ISSUE_NS + 1000 + 2 * 30000);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), TESSERA_RING_STATE_MIDCMD);
	run(0, 0);
	TAP_CHECK_EQ(busy_ns(0), tessera_cmd_cost_ns(TESSERA_OP_BUSY, 100000));
	E.now = 1000000;
	E.d.eng[0].clock = E.now + 20000;
	TAP_CHECK_EQ(tcore_engine_budget_ns(&E.d, 0, E.now),
		     TCORE_PACE_SLACK_NS - 20000);
	E.d.eng[0].clock = E.now + TCORE_PACE_SLACK_NS + 1;
	TAP_CHECK_EQ(tcore_engine_budget_ns(&E.d, 0, E.now), 0);
}

/*
 * Pacing debt: device time the emulation was behind on when a context was
 * preempted is caught up at its next START (bounded by TCORE_LAG_MAX_NS),
 * so preemption does not lose device time to host latency.
 */
static void test_preempt_keeps_lag(void)
{
	env_init(1, 0);
	std_setup(0);
	ring_setup(2, 0, 0, 4096);
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, 0, 3), 10000000, 0);
	submit(1, 0);
	start(0, 1);
	E.now = 1000000;
	run(0, 2);		/* BUSY started: clock synced to now */
	E.now += 300000;	/* the engine thread was held up 300 us */
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);
	TAP_CHECK(E.ctx[1].ring[0].lag >= 290000 &&
		  E.ctx[1].ring[0].lag <= 300000);
	E.now += 5000000;	/* others ran */
	start(0, 1);
	TAP_CHECK(E.d.eng[0].clock <= E.now - 290000);
	TAP_CHECK_EQ(E.ctx[1].ring[0].lag, 0);
	/* bounded */
	run(0, 2);
	E.now += 50000000;
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	run(0, 0);
	TAP_CHECK_EQ(E.ctx[1].ring[0].lag, TCORE_LAG_MAX_NS);
}

/* ------------------------------------------------------------- batches */

static void test_batch(void)
{
	uint32_t b1 = 0x8000, b2 = 0x9000;

	env_init(2, 1);
	std_setup(0);
	/* batch 1: FILL, JUMP to batch 2; batch 2: FENCE, END, junk */
	put32(vptr(1, b1 + 0), CMD(TESSERA_OP_FILL, 0, 5));
	put32(vptr(1, b1 + 4), 0x20000);
	put32(vptr(1, b1 + 8), 0);
	put32(vptr(1, b1 + 12), 8);
	put32(vptr(1, b1 + 16), 0x77777777);
	put32(vptr(1, b1 + 20), CMD(TESSERA_OP_BATCH_JUMP, 0, 4));
	put32(vptr(1, b1 + 24), b2);
	put32(vptr(1, b1 + 28), 0);
	put32(vptr(1, b1 + 32), 64);
	put32(vptr(1, b2 + 0), CMD(TESSERA_OP_FENCE, 0, 5));
	put32(vptr(1, b2 + 4), 99);
	put32(vptr(1, b2 + 8), 0);
	put32(vptr(1, b2 + 12), 0);
	put32(vptr(1, b2 + 16), 0);
	put32(vptr(1, b2 + 20), CMD(TESSERA_OP_BATCH_END, 0, 1));
	put32(vptr(1, b2 + 24), 0xffffffff);	/* never executed */
	/* batch 3: ends at the end of its range (no BATCH_END) */
	put32(vptr(1, 0xa000), CMD(TESSERA_OP_FENCE, 0, 5));
	put32(vptr(1, 0xa004), 100);
	memset(vptr(1, 0xa008), 0, 12);
	EMIT(1, 0, CMD(TESSERA_OP_BATCH_CALL, 0, 4), b1, 0, 36,
	     CMD(TESSERA_OP_BATCH_CALL, 0, 4), 0, 0, 0,	/* empty */
	     CMD(TESSERA_OP_BATCH_CALL, 0, 4), 0xa000, 0, 20,
	     CMD(TESSERA_OP_FENCE, 0, 5), 101, 0, 0, 0);
	submit(1, 0);
	start(0, 1);
	run(0, 5);	/* CALL, FILL, JUMP, FENCE, END */
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 99);
	TAP_CHECK_EQ(get32(vptr(1, 0x20004)), 0x77777777);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 101);
	TAP_CHECK_EQ(rd(RING(1, 0, HEAD)), E.tail[1][0]);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), 0);
	/* 3 CALL, JUMP, END, 3 FENCE: the end of a range costs nothing */
	TAP_CHECK_EQ(busy_ns(0), 8 * TESSERA_COST_ISSUE_NS +
		     tessera_cmd_cost_ns(TESSERA_OP_FILL, 8));
}

/* A batch in system memory through the GART. */
static void test_batch_gart(void)
{
	uint8_t *p;

	env_init(2, 1);
	std_setup(0);
	gmap(0, 0, RO);
	p = E.sys;
	put32(p + 0, CMD(TESSERA_OP_FENCE, 0, 5));
	put32(p + 4, 55);
	memset(p + 8, 0, 12);
	put32(p + 20, CMD(TESSERA_OP_BATCH_END, 0, 1));
	EMIT(1, 0, CMD(TESSERA_OP_BATCH_CALL, 0, 4), LO(VAG), HI(VAG), 4096);
	submit(1, 0);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 55);
}

/* ---------------------------------------------------------- translation */

static void test_translation(void)
{
	uint32_t i;

	env_init(2, 1);
	std_setup(0);
	gmap(0, 2, RW);
	gmap(1, 7, RO);
	/* GART window page 2 left invalid */
	memset(E.sys + 7 * 4096, 0x3c, 4096);
	/* GART RO page -> VRAM; VRAM -> GART page 0 at an offset */
	EMIT(1, 0, CMD(TESSERA_OP_COPY, 0, 6), 0x1000, 0, LO(VAG + 4096),
	     HI(VAG + 4096), 4096,
	     CMD(TESSERA_OP_FILL, 0, 5), LO(VAG + 0x800), HI(VAG + 0x800), 16,
	     0xa1b2c3d4,
	     /* last byte of the VRAM window */
	     CMD(TESSERA_OP_FILL, 0, 5), VS - 4, 0, 4, 0x99999999);
	submit(1, 0);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	for (i = 0; i < 4096; i++)
		if (vptr(1, 0x1000)[i] != 0x3c)
			break;
	TAP_CHECK_EQ(i, 4096);
	TAP_CHECK_EQ(get32(E.sys + 2 * 4096 + 0x800), 0xa1b2c3d4);
	TAP_CHECK_EQ(get32(E.sys + 2 * 4096 + 0x810), 0xa5a5a5a5);
	TAP_CHECK_EQ(get32(E.vram + VB + VS - 4), 0x99999999);
	TAP_CHECK(vram_outside_untouched());
	/* a context with its VRAM window at offset 0, another at the end */
	ctx_setup(2, 0, 8192, 0, 0);
	ctx_setup(3, VRAM_SIZE - 8192, 8192, 0, 0);
	ring_setup(2, 1, 0, 4096);
	ring_setup(3, 2, 4096, 4096);
	EMIT(2, 1, CMD(TESSERA_OP_FILL, 0, 5), 4096, 0, 4096, 0x12121212);
	EMIT(3, 2, CMD(TESSERA_OP_FILL, 0, 5), 0, 0, 4096, 0x34343434);
	submit(2, 1);
	submit(3, 2);
	start(1, 2);
	start(2, 3);
	run(1, 0);
	run(2, 0);
	TAP_CHECK_EQ(get32(E.vram + 4096), 0x12121212);
	TAP_CHECK_EQ(get32(E.vram + 8188), 0x12121212);
	TAP_CHECK_EQ(get32(E.vram + VRAM_SIZE - 8192), 0x34343434);
	TAP_CHECK_EQ(E.vram[VRAM_SIZE - 4096 - 1 - 0], 0x34);
	TAP_CHECK_EQ(state(1), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(state(2), TESSERA_ENG_STATE_WAITING);
}

/* ---------------------------------------------------------------- faults */

struct fault_case {
	const char *name;
	unsigned int engine;
	uint32_t dw[8];
	unsigned int len;
	uint32_t code;
	uint64_t addr;		/* ~0: the command's VA (0) */
};

#define F(...)	{ __VA_ARGS__ }
static const struct fault_case fault_cases[] = {
	{ "unknown opcode", 0, F(CMD(0x0a, 0, 1)), 1,
	  TESSERA_FAULT_BAD_OPCODE, ~0ULL },
	{ "opcode 0xff", 0, F(CMD(0xff, 0, 6)), 6,
	  TESSERA_FAULT_BAD_OPCODE, ~0ULL },
	{ "NOP flags", 0, F(CMD(TESSERA_OP_NOP, 1, 1)), 1,
	  TESSERA_FAULT_BAD_OPCODE, ~0ULL },
	{ "FENCE unknown flag", 0,
	  F(CMD(TESSERA_OP_FENCE, 4, 5), 0, 0, 0, 0), 5,
	  TESSERA_FAULT_BAD_OPCODE, ~0ULL },
	{ "AXPY on copy engine", 2,
	  F(CMD(TESSERA_OP_AXPY, 0, 7), 0, 0, 0, 0, 0, 1), 7,
	  TESSERA_FAULT_BAD_OPCODE, ~0ULL },
	{ "CHECKSUM on copy engine", 2,
	  F(CMD(TESSERA_OP_CHECKSUM, 0, 6), 0, 0, 0, 0, 0), 6,
	  TESSERA_FAULT_BAD_OPCODE, ~0ULL },
	{ "NOP len 0", 0, F(CMD(TESSERA_OP_NOP, 0, 0)), 1,
	  TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "COPY len 5", 0, F(CMD(TESSERA_OP_COPY, 0, 5), 0, 0, 0, 0), 5,
	  TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "FENCE len 6", 0, F(CMD(TESSERA_OP_FENCE, 0, 6), 0, 0, 0, 0, 0), 6,
	  TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "BATCH_END len 2 on ring", 0, F(CMD(TESSERA_OP_BATCH_END, 0, 2), 0),
	  2, TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "beyond tail", 0, F(CMD(TESSERA_OP_FENCE, 0, 5), 0, 0, 0), 4,
	  TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "NOP beyond tail", 0, F(CMD(TESSERA_OP_NOP, 0, 0xffff)), 1,
	  TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "COPY too big", 0,
	  F(CMD(TESSERA_OP_COPY, 0, 6), 0, 0, 0, 0,
	    TESSERA_MAX_COPY_BYTES + 1), 6, TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "FILL too big", 0,
	  F(CMD(TESSERA_OP_FILL, 0, 5), 0, 0, 0xfffffffc, 0), 5,
	  TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "AXPY too big", 0,
	  F(CMD(TESSERA_OP_AXPY, 0, 7), 0, 0, 0, 0,
	    TESSERA_MAX_AXPY_COUNT + 1, 1), 7, TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "CHECKSUM too big", 0,
	  F(CMD(TESSERA_OP_CHECKSUM, 0, 6), 0, 0, 0, 0, 0xffffffff), 6,
	  TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "BUSY too long", 0,
	  F(CMD(TESSERA_OP_BUSY, 0, 3), LO(TESSERA_MAX_BUSY_NS + 1),
	    HI(TESSERA_MAX_BUSY_NS + 1)), 3, TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "BATCH_CALL too big", 0,
	  F(CMD(TESSERA_OP_BATCH_CALL, 0, 4), 0, 0,
	    TESSERA_MAX_BATCH_BYTES + 4), 4, TESSERA_FAULT_BAD_LENGTH, ~0ULL },
	{ "FILL dst misaligned", 0,
	  F(CMD(TESSERA_OP_FILL, 0, 5), 2, 0, 4, 0), 5,
	  TESSERA_FAULT_BAD_ALIGN, ~0ULL },
	{ "FILL bytes misaligned", 0,
	  F(CMD(TESSERA_OP_FILL, 0, 5), 0x100, 0, 6, 0), 5,
	  TESSERA_FAULT_BAD_ALIGN, ~0ULL },
	{ "AXPY x misaligned", 0,
	  F(CMD(TESSERA_OP_AXPY, 0, 7), 0x100, 0, 0x201, 0, 1, 1), 7,
	  TESSERA_FAULT_BAD_ALIGN, ~0ULL },
	{ "AXPY y misaligned", 0,
	  F(CMD(TESSERA_OP_AXPY, 0, 7), 0x102, 0, 0x200, 0, 0, 1), 7,
	  TESSERA_FAULT_BAD_ALIGN, ~0ULL },
	{ "CHECKSUM dst misaligned", 0,
	  F(CMD(TESSERA_OP_CHECKSUM, 0, 6), 0x101, 0, 0x200, 0, 1), 6,
	  TESSERA_FAULT_BAD_ALIGN, ~0ULL },
	{ "FENCE addr misaligned", 0,
	  F(CMD(TESSERA_OP_FENCE, TESSERA_FENCE_WRITE, 5), 0, 0, 0x104, 0), 5,
	  TESSERA_FAULT_BAD_ALIGN, ~0ULL },
	{ "BATCH_CALL addr misaligned", 0,
	  F(CMD(TESSERA_OP_BATCH_CALL, 0, 4), 0x102, 0, 8), 4,
	  TESSERA_FAULT_BAD_ALIGN, ~0ULL },
	{ "BATCH_CALL bytes misaligned", 0,
	  F(CMD(TESSERA_OP_BATCH_CALL, 0, 4), 0x100, 0, 6), 4,
	  TESSERA_FAULT_BAD_ALIGN, ~0ULL },
	{ "BATCH_JUMP on ring", 0,
	  F(CMD(TESSERA_OP_BATCH_JUMP, 0, 4), 0x100, 0, 8), 4,
	  TESSERA_FAULT_BAD_NESTING, ~0ULL },
	{ "BATCH_END on ring", 0, F(CMD(TESSERA_OP_BATCH_END, 0, 1)), 1,
	  TESSERA_FAULT_BAD_NESTING, ~0ULL },
	{ "COPY src beyond VRAM window", 0,
	  F(CMD(TESSERA_OP_COPY, 0, 6), 0x100, 0, VS - 8, 0, 9), 6,
	  TESSERA_FAULT_VRAM_RANGE, VS - 8 },
	{ "COPY dst beyond VRAM window", 0,
	  F(CMD(TESSERA_OP_COPY, 0, 6), VS, 0, 0x100, 0, 1), 6,
	  TESSERA_FAULT_VRAM_RANGE, VS },
	{ "FILL straddling into GART space", 0,
	  F(CMD(TESSERA_OP_FILL, 0, 5), LO(VAG - 4), HI(VAG - 4), 8, 0), 5,
	  TESSERA_FAULT_VRAM_RANGE, VAG - 4 },
	{ "FENCE write far VA", 0,
	  F(CMD(TESSERA_OP_FENCE, TESSERA_FENCE_WRITE, 5), 0, 0, 0, 0x80), 5,
	  TESSERA_FAULT_VRAM_RANGE, 0x80ULL << 32 },
	{ "FILL beyond GART window", 0,
	  F(CMD(TESSERA_OP_FILL, 0, 5), LO(VAG + GS * 4096ULL - 4),
	    HI(VAG + GS * 4096ULL - 4), 8, 0), 5,
	  TESSERA_FAULT_GART_RANGE, VAG + GS * 4096ULL - 4 },
	{ "COPY at top of VA space", 0,
	  F(CMD(TESSERA_OP_COPY, 0, 6), 0x100, 0, 0xfffffff0, 0xffffffff,
	    0x100), 6, TESSERA_FAULT_GART_RANGE, 0xfffffffffffffff0ULL },
	{ "FILL through invalid GART entry", 0,
	  F(CMD(TESSERA_OP_FILL, 0, 5), LO(VAG + 2 * 4096), HI(VAG), 4, 0), 5,
	  TESSERA_FAULT_GART_INVALID, VAG + 2 * 4096 },
	{ "COPY across into invalid GART page", 0,
	  F(CMD(TESSERA_OP_COPY, 0, 6), 0x100, 0, LO(VAG + 4096 + 4000),
	    HI(VAG), 200), 6, TESSERA_FAULT_GART_INVALID, VAG + 2 * 4096 },
	{ "FILL read-only GART page", 0,
	  F(CMD(TESSERA_OP_FILL, 0, 5), LO(VAG + 4096), HI(VAG), 4, 0), 5,
	  TESSERA_FAULT_GART_READONLY, VAG + 4096 },
	{ "CHECKSUM dst read-only", 0,
	  F(CMD(TESSERA_OP_CHECKSUM, 0, 6), LO(VAG + 4096), HI(VAG), 0x100, 0,
	    16), 6, TESSERA_FAULT_GART_READONLY, VAG + 4096 },
	{ "FILL via GART to nowhere", 0,
	  F(CMD(TESSERA_OP_FILL, 0, 5), LO(VAG + 3 * 4096), HI(VAG), 4, 0), 5,
	  TESSERA_FAULT_DMA_ERROR, VAG + 3 * 4096 },
	{ "BATCH_CALL outside windows", 0,
	  F(CMD(TESSERA_OP_BATCH_CALL, 0, 4), VS - 4, 0, 8), 4,
	  TESSERA_FAULT_VRAM_RANGE, VS - 4 },
};

static void set_fault_env(void)
{
	env_init(2, 1);
	ctx_setup(1, VB, VS, GB, GS);
	gmap(0, 0, RW);
	gmap(1, 1, RO);
	/* page 2 invalid; page 3 points outside system memory */
	wr64(TESSERA_GART_ENTRY(GB + 3), 0x7000000000ULL | RW);
}

static void test_faults(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fault_cases); i++) {
		const struct fault_case *fc = &fault_cases[i];
		unsigned int e = fc->engine;
		uint64_t addr = fc->addr == ~0ULL ? 0x2000 : fc->addr;

		set_fault_env();
		ring_setup(1, e, 0x2000, 4096);
		wr(ENG(e, INT_MASK), TESSERA_ENG_INT_ALL);
		emit(1, e, fc->len, fc->dw);
		EMIT(1, e, CMD(TESSERA_OP_FENCE, 0, 5), 1, 0, 0, 0);
		if (!strcmp(fc->name, "beyond tail") ||
		    !strcmp(fc->name, "NOP beyond tail")) {
			E.tail[1][e] = fc->len * 4;
		}
		submit(1, e);
		start(e, 1);
		run(e, 0);
		TAP_CHECK_EQ(state(e), TESSERA_ENG_STATE_FAULTED);
		if (rd(ENG(e, FAULT_CODE)) != fc->code ||
		    rd64(ENG(e, FAULT_ADDR_LO)) != addr)
			printf("#   case '%s': code %llu addr 0x%llx\n", fc->name,
			       (unsigned long long)rd(ENG(e, FAULT_CODE)),
			       (unsigned long long)rd64(ENG(e, FAULT_ADDR_LO)));
		TAP_CHECK_EQ(rd(ENG(e, FAULT_CODE)), fc->code);
		TAP_CHECK_EQ(rd64(ENG(e, FAULT_ADDR_LO)), addr);
		TAP_CHECK_EQ(rd(ENG(e, FAULT_CTX)), 1);
		TAP_CHECK_EQ(rd(RING(1, e, HEAD)), 0);
		TAP_CHECK_EQ(rd(RING(1, e, STATE)), 0);
		TAP_CHECK_EQ(rd(ENG(e, INT_STATUS)), TESSERA_ENG_INT_FAULT);
		TAP_CHECK_EQ(rd(RING(1, e, FENCE_LO)), 0);
		TAP_CHECK(vram_outside_untouched());
		/* recovery: discard the ring's work, start again */
		wr(RING(1, e, HEAD), E.tail[1][e]);
		start(e, 1);
		run(e, 0);
		TAP_CHECK_EQ(state(e), TESSERA_ENG_STATE_WAITING);
		TAP_CHECK_EQ(rd(ENG(e, FAULT_CODE)), fc->code);	/* kept */
	}
}

/*
 * A fault inside a batch leaves the head at the BATCH_CALL; fixing the
 * cause and restarting retries the BATCH_CALL. Partial writes stay inside
 * the window.
 */
static void test_fault_in_batch_and_retry(void)
{
	set_fault_env();
	ring_setup(1, 0, 0, 4096);
	put32(vptr(1, 0x8000), CMD(TESSERA_OP_FENCE, 0, 5));
	put32(vptr(1, 0x8004), 3);
	memset(vptr(1, 0x8008), 0, 12);
	/* COPY 8 KiB into GART pages 0 (RW) and 1 (RO) */
	put32(vptr(1, 0x8014), CMD(TESSERA_OP_COPY, 0, 6));
	put32(vptr(1, 0x8018), LO(VAG));
	put32(vptr(1, 0x801c), HI(VAG));
	put32(vptr(1, 0x8020), 0x10000);
	put32(vptr(1, 0x8024), 0);
	put32(vptr(1, 0x8028), 8192);
	memset(vptr(1, 0x10000), 0x5a, 8192);
	EMIT(1, 0, CMD(TESSERA_OP_NOP, 0, 1),
	     CMD(TESSERA_OP_BATCH_CALL, 0, 4), 0x8000, 0, 0x2c,
	     CMD(TESSERA_OP_FENCE, 0, 5), 4, 0, 0, 0);
	submit(1, 0);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_GART_READONLY);
	TAP_CHECK_EQ(rd64(ENG(0, FAULT_ADDR_LO)), VAG + 4096);
	TAP_CHECK_EQ(rd(RING(1, 0, HEAD)), 4);		/* at BATCH_CALL */
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), 0);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 3);
	TAP_CHECK_EQ(E.sys[0], 0x5a);			/* page 0 written */
	TAP_CHECK_EQ(E.sys[4095], 0x5a);
	TAP_CHECK_EQ(E.sys[4096], GUARD);		/* page 1 not */
	TAP_CHECK_EQ(rd(CTX(1, STATUS)), TESSERA_CTX_STATUS_PENDING(0));
	/* fix the GART entry; START retries the BATCH_CALL */
	gmap(1, 1, RW);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 4);
	TAP_CHECK_EQ(E.sys[8191], 0x5a);
	TAP_CHECK_EQ(E.sys[8192], GUARD);
}

static void test_bad_context_and_ring(void)
{
	env_init(2, 1);
	wr(ENG(0, INT_MASK), TESSERA_ENG_INT_ALL);
	/* out of range */
	start(0, NCTX);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CTX)), NCTX);
	start(0, 0xffffffff);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CTX)), 0xffffffff);
	/* not valid */
	ring_setup(1, 0, 0, 4096);
	wr64(CTX(1, VRAM_SIZE_LO), 0x10000);
	start(0, 1);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	/* windows: unaligned, beyond VRAM, overflowing, GART beyond */
	wr(CTX(1, CTRL), 1);
	wr64(CTX(1, VRAM_BASE_LO), 0x800);
	start(0, 1);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	wr64(CTX(1, VRAM_BASE_LO), 0);
	wr64(CTX(1, VRAM_SIZE_LO), 0x10800);
	start(0, 1);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	wr64(CTX(1, VRAM_BASE_LO), VRAM_SIZE - 4096);
	wr64(CTX(1, VRAM_SIZE_LO), 8192);
	start(0, 1);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	wr64(CTX(1, VRAM_BASE_LO), 0xfffffffffffff000ULL);
	wr64(CTX(1, VRAM_SIZE_LO), 0x2000);
	start(0, 1);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	wr64(CTX(1, VRAM_BASE_LO), 0);
	wr64(CTX(1, VRAM_SIZE_LO), 0x10000);
	wr(CTX(1, GART_BASE), NGART - 4);
	wr(CTX(1, GART_SIZE), 5);
	start(0, 1);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	wr(CTX(1, GART_BASE), 0xffffffff);
	wr(CTX(1, GART_SIZE), 2);
	start(0, 1);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	wr(CTX(1, GART_BASE), NGART - 4);
	wr(CTX(1, GART_SIZE), 4);
	start(0, 1);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);

	/* rings */
	{
		static const struct { uint64_t base; uint32_t size, head, tail; }
		bad[] = {
			{ 0x800, 4096, 0, 0 }, { 0, 0, 0, 0 },
			{ 0, 2048, 0, 0 }, { 0, 6144, 0, 0 },
			{ 0, 2u << 20, 0, 0 }, { 0, 4096, 2, 2 },
			{ 0, 4096, 4096, 0 }, { 0, 4096, 0, 4096 },
			{ 0, 4096, 0, 5 },
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			wr64(RING(1, 0, BASE_LO), bad[i].base);
			wr(RING(1, 0, SIZE), bad[i].size);
			wr(RING(1, 0, HEAD), bad[i].head);
			wr(RING(1, 0, TAIL), bad[i].tail);
			start(0, 1);
			TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
			TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)),
				     TESSERA_FAULT_BAD_RING);
			TAP_CHECK_EQ(rd64(ENG(0, FAULT_ADDR_LO)), bad[i].base);
		}
	}
	/* invalid tail through the doorbell while WAITING */
	ring_setup(1, 0, 0, 4096);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	tcore_db_write(&E.d, 1 * 4096 + TESSERA_DB_TAIL(0), 4097, 4, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_RING);
	/* a ring at the top of the address space */
	wr(CTX(1, GART_BASE), 0);
	wr(CTX(1, GART_SIZE), 0);
	wr64(RING(1, 0, BASE_LO), 0xfffffffffffff000ULL);
	wr(RING(1, 0, SIZE), 1 << 20);
	wr(RING(1, 0, HEAD), 0xfff00);
	wr(RING(1, 0, TAIL), 0x10);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_GART_RANGE);
	TAP_CHECK_EQ(rd64(ENG(0, FAULT_ADDR_LO)), 0xfffffffffffff000ULL);
	/* ENG_CTX is writable when FAULTED, ignored when RUNNING */
	wr(ENG(0, CTX), 3);
	TAP_CHECK_EQ(rd(ENG(0, CTX)), 3);
}

/* Windows changed under a running engine: the next access sees them. */
static void test_window_change_while_running(void)
{
	env_init(2, 1);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_FILL, 0, 5), 0x10000, 0, 16384, 0x1);
	submit(1, 0);
	start(0, 1);
	run(0, 2);
	/* window now beyond VRAM: the next chunk faults, nothing written */
	wr64(CTX(1, VRAM_BASE_LO), VRAM_SIZE - 4096);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	/* window shrunk: VRAM_RANGE */
	env_init(2, 1);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_FILL, 0, 5), 0x10000, 0, 16384, 0x1);
	submit(1, 0);
	start(0, 1);
	run(0, 2);
	wr64(CTX(1, VRAM_SIZE_LO), 0x11000);
	run(0, 0);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_VRAM_RANGE);
	TAP_CHECK_EQ(rd64(ENG(0, FAULT_ADDR_LO)), 0x12000);
	TAP_CHECK_EQ(get32(vptr(1, 0x11ffc)), 1);
	TAP_CHECK_EQ(get32(vptr(1, 0x12000)), 0xa5a5a5a5);
}

/* ------------------------------------------------------------ preemption */

/* A workload exercising every chunked command, in the ring and a batch. */
static void load_workload(unsigned int e)
{
	uint32_t i;
	uint32_t *b;

	std_setup(e);
	gmap(0, 0, RW);
	gmap(1, 5, RW);
	gmap(2, 9, RW);
	for (i = 0; i < 0x6000; i++)
		vptr(1, 0x10000)[i] = (uint8_t)(i * 13 + (i >> 8));
	for (i = 0; i < 3 * 4096; i++)
		E.sys[i] = (uint8_t)(i * 5);
	/* batch at 0x9000: CHECKSUM, AXPY, END */
	b = (uint32_t *)vptr(1, 0x9000);
	b[0] = CMD(TESSERA_OP_CHECKSUM, 0, 6);
	b[1] = 0x30000; b[2] = 0; b[3] = 0x10001; b[4] = 0; b[5] = 0x5003;
	b[6] = CMD(TESSERA_OP_AXPY, 0, 7);
	b[7] = 0x20000; b[8] = 0; b[9] = 0x10000; b[10] = 0; b[11] = 2500;
	b[12] = 3;
	b[13] = CMD(TESSERA_OP_BATCH_END, 0, 1);
	EMIT(1, e, CMD(TESSERA_OP_COPY, 0, 6), LO(VAG + 100), HI(VAG + 100),
	     0x10000, 0, 10000,
	     CMD(TESSERA_OP_FILL, 0, 5), 0x20000, 0, 12300, 0x01020304,
	     CMD(TESSERA_OP_BATCH_CALL, 0, 4), 0x9000, 0, 14 * 4,
	     CMD(TESSERA_OP_AXPY, 0, 7), LO(VAG + 0x1000), HI(VAG + 0x1000),
	     0x20000, 0, 2047, 0xfffffff1,
	     CMD(TESSERA_OP_BUSY, 0, 3), 3500, 0,
	     CMD(TESSERA_OP_CHECKSUM, 0, 6), 0x30004, 0, LO(VAG), HI(VAG),
	     3 * 4096,
	     CMD(TESSERA_OP_FENCE, TESSERA_FENCE_WRITE, 5), 0xabc, 0, 0x30008,
	     0);
	submit(1, e);
}

static uint64_t workload_cost(void)
{
	return tessera_cmd_cost_ns(TESSERA_OP_COPY, 10000) +
	       tessera_cmd_cost_ns(TESSERA_OP_FILL, 12300) +
	       TESSERA_COST_ISSUE_NS +	/* BATCH_CALL */
	       tessera_cmd_cost_ns(TESSERA_OP_CHECKSUM, 0x5003) +
	       tessera_cmd_cost_ns(TESSERA_OP_AXPY, 2500) +
	       TESSERA_COST_ISSUE_NS +	/* BATCH_END */
	       tessera_cmd_cost_ns(TESSERA_OP_AXPY, 2047) +
	       tessera_cmd_cost_ns(TESSERA_OP_BUSY, 3500) +
	       tessera_cmd_cost_ns(TESSERA_OP_CHECKSUM, 3 * 4096) +
	       TESSERA_COST_ISSUE_NS;	/* FENCE */
}

static void test_preempt_every_chunk(void)
{
	static uint8_t ref_vram[VS], ref_sys[SYS_SIZE];
	uint64_t ref_steps, ref_busy, k;
	unsigned int bad = 0, midcmd_seen = 0, batch_seen = 0;
	unsigned int e = 0;

	env_init(2, 1);
	load_workload(e);
	start(e, 1);
	ref_steps = run(e, 0);
	TAP_CHECK_EQ(state(e), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(ENG(e, FAULT_CODE)), 0);
	ref_busy = busy_ns(e);
	TAP_CHECK_EQ(ref_busy, workload_cost());
	TAP_CHECK_EQ(rd(RING(1, e, FENCE_LO)), 0xabc);
	memcpy(ref_vram, E.vram + VB, VS);
	memcpy(ref_sys, E.sys, SYS_SIZE);
	TAP_CHECK_EQ(ref_steps, 28);

	for (k = 1; k < ref_steps; k++) {
		uint64_t n;
		uint32_t rs;

		env_init(2, 1);
		wr(ENG(e, INT_MASK), TESSERA_ENG_INT_ALL);
		load_workload(e);
		start(e, 1);
		n = run(e, k);
		wr(ENG(e, CTRL), TESSERA_ENG_CTRL_PREEMPT);
		if (!(rd(ENG(e, STATUS)) & TESSERA_ENG_STATUS_PREEMPT_PENDING))
			bad++;
		run(e, 0);	/* stops at the preemption point at once */
		if (state(e) != TESSERA_ENG_STATE_STOPPED || n != k ||
		    !(rd(ENG(e, INT_STATUS)) & TESSERA_ENG_INT_PREEMPTED))
			bad++;
		rs = rd(RING(1, e, STATE));
		midcmd_seen += !!(rs & TESSERA_RING_STATE_MIDCMD);
		batch_seen += !!(rs & TESSERA_RING_STATE_IN_BATCH);
		if (!(rd(CTX(1, STATUS)) & TESSERA_CTX_STATUS_PENDING(e)) ||
		    (rd(CTX(1, STATUS)) & TESSERA_CTX_STATUS_LOADED(e)))
			bad++;
		/* preempt twice more along the way, and resume */
		start(e, 1);
		run(e, 3);
		wr(ENG(e, CTRL), TESSERA_ENG_CTRL_PREEMPT);
		run(e, 0);
		start(e, 1);
		run(e, 0);
		if (state(e) != TESSERA_ENG_STATE_WAITING ||
		    rd(ENG(e, FAULT_CODE)) != 0 ||
		    memcmp(ref_vram, E.vram + VB, VS) ||
		    memcmp(ref_sys, E.sys, SYS_SIZE) ||
		    busy_ns(e) != ref_busy ||
		    rd(RING(1, e, FENCE_LO)) != 0xabc) {
			if (bad < 5)
				printf("#   preempt after %llu steps differs\n",
				       (unsigned long long)k);
			bad++;
		}
	}
	TAP_CHECK_EQ(bad, 0);
	TAP_CHECK(midcmd_seen > 10);
	TAP_CHECK(batch_seen > 5);
	TAP_CHECK_EQ(E.max_step_cost_violations, 0);
}

/*
 * ENG_NEXT_CTX: when a preemption completes the engine switches to the
 * next context instead of stopping, from RUNNING (mid-command) and from
 * WAITING; ENG_SWITCH_BUSY_NS latches the busy time at the switch; the
 * preempted context resumes exactly later; an invalid next context faults
 * at the switch; a reset forgets NEXT.
 */
static void test_next_ctx_switch(void)
{
	uint64_t b;

	env_init(3, 0);
	std_setup(0);
	ctx_setup(2, VB + VS, 0x40000, GB + GS, GS);
	ring_setup(2, 0, 0, 4096);
	wr(ENG(0, INT_MASK), TESSERA_ENG_INT_ALL);
	EMIT(1, 0, CMD(TESSERA_OP_BUSY, 0, 3), 50000, 0,
	     CMD(TESSERA_OP_FENCE, 0, 5), 11, 0, 0, 0);
	EMIT(2, 0, CMD(TESSERA_OP_BUSY, 0, 3), 3000, 0,
	     CMD(TESSERA_OP_FENCE, 0, 5), 22, 0, 0, 0);
	submit(1, 0);
	submit(2, 0);
	start(0, 1);
	run(0, 10);
	wr(ENG(0, NEXT_CTX), TESSERA_ENG_NEXT_VALID | 2);
	TAP_CHECK_EQ(rd(ENG(0, NEXT_CTX)), TESSERA_ENG_NEXT_VALID | 2);
	run(0, 5);			/* NEXT alone changes nothing */
	TAP_CHECK_EQ(rd(ENG(0, CTX)), 1);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	b = busy_ns(0);
	run(0, 1);			/* the preemption point: switch */
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	TAP_CHECK_EQ(rd(ENG(0, CTX)), 2);
	TAP_CHECK_EQ(rd(ENG(0, NEXT_CTX)), 0);
	TAP_CHECK_EQ(rd64(ENG(0, SWITCH_BUSY_NS_LO)), b);
	TAP_CHECK(rd(ENG(0, INT_STATUS)) & TESSERA_ENG_INT_PREEMPTED);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), TESSERA_RING_STATE_MIDCMD);
	TAP_CHECK(!(rd(CTX(1, STATUS)) & TESSERA_CTX_STATUS_LOADED(0)));
	TAP_CHECK(rd(CTX(2, STATUS)) & TESSERA_CTX_STATUS_LOADED(0));
	run(0, 0);			/* ctx 2 to completion */
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(RING(2, 0, FENCE_LO)), 22);
	/* from WAITING: switch back at once, ctx 1 resumes */
	wr(ENG(0, NEXT_CTX), TESSERA_ENG_NEXT_VALID | 1);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	TAP_CHECK_EQ(rd(ENG(0, CTX)), 1);
	run(0, 0);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 11);
	TAP_CHECK_EQ(busy_ns(0),
		     tessera_cmd_cost_ns(TESSERA_OP_BUSY, 50000) +
		     tessera_cmd_cost_ns(TESSERA_OP_BUSY, 3000) +
		     2 * tessera_cmd_cost_ns(TESSERA_OP_FENCE, 0));
	/* an invalid next context faults at the switch */
	wr(ENG(0, NEXT_CTX), TESSERA_ENG_NEXT_VALID | 0);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_CONTEXT);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CTX)), 0);
	/* reset forgets NEXT; START ignores it */
	wr(ENG(0, NEXT_CTX), TESSERA_ENG_NEXT_VALID | 2);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_RESET);
	TAP_CHECK_EQ(rd(ENG(0, NEXT_CTX)), 0);
	wr(ENG(0, NEXT_CTX), TESSERA_ENG_NEXT_VALID | 0x12345);
	TAP_CHECK_EQ(rd(ENG(0, NEXT_CTX)), TESSERA_ENG_NEXT_VALID | 0x2345);
}

/* Preemption while WAITING, RING_HEAD rules, engine reset. */
static void test_preempt_waiting_and_reset(void)
{
	env_init(2, 1);
	std_setup(0);
	wr(ENG(0, INT_MASK), TESSERA_ENG_INT_ALL);
	start(0, 1);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(ENG(0, INT_STATUS)), TESSERA_ENG_INT_IDLE);
	/* RING_HEAD is not writable while loaded; ENG_CTX neither */
	wr(RING(1, 0, HEAD), 8);
	TAP_CHECK_EQ(rd(RING(1, 0, HEAD)), 0);
	wr(ENG(0, CTX), 2);
	TAP_CHECK_EQ(rd(ENG(0, CTX)), 1);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_START);	/* ignored */
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_START | TESSERA_ENG_CTRL_PREEMPT);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);	/* 2 bits */
	wr(ENG(0, CTRL), 0x10);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);
	TAP_CHECK(rd(ENG(0, INT_STATUS)) & TESSERA_ENG_INT_PREEMPTED);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);	/* ignored */
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);
	TAP_CHECK_EQ(rd(ENG(0, STATUS)), TESSERA_ENG_STATE_STOPPED);

	/* engine reset mid-command discards the progress */
	EMIT(1, 0, CMD(TESSERA_OP_FILL, 0, 5), 0x10000, 0, 40000, 0x1);
	submit(1, 0);
	start(0, 1);
	run(0, 3);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), TESSERA_RING_STATE_MIDCMD);
	wr(ENG(0, INT_MASK), TESSERA_ENG_INT_ALL);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_RESET);
	TAP_CHECK_EQ(rd(ENG(0, STATUS)), TESSERA_ENG_STATE_STOPPED);
	TAP_CHECK_EQ(rd(ENG(0, INT_STATUS)), 0);
	TAP_CHECK_EQ(rd(ENG(0, INT_MASK)), TESSERA_ENG_INT_ALL);
	TAP_CHECK_EQ(rd(ENG(0, CTX)), 1);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), 0);
	TAP_CHECK_EQ(rd(RING(1, 0, HEAD)), 0);
	TAP_CHECK(busy_ns(0) > 0);		/* kept */
	/* preempted progress is discarded by a RING_HEAD write */
	start(0, 1);
	run(0, 2);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	run(0, 0);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), TESSERA_RING_STATE_MIDCMD);
	wr(RING(1, 0, HEAD), 0);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), 0);
	wr(RING(1, 0, HEAD), E.tail[1][0]);
	TAP_CHECK_EQ(rd(CTX(1, STATUS)), 0);

	/* engine reset while FAULTED clears the fault registers */
	EMIT(1, 0, CMD(0x33, 0, 1));
	submit(1, 0);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_RESET);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), 0);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CTX)), 0);
	TAP_CHECK_EQ(rd64(ENG(0, FAULT_ADDR_LO)), 0);
}

static void test_device_reset(void)
{
	uint32_t i;

	env_init(2, 1);
	load_workload(1);
	start(1, 1);
	run(1, 5);
	wr(TESSERA_REG_SCRATCH, 5);
	wr(TESSERA_REG_INT_ENABLE, 3);
	tcore_db_write(&E.d, 3 * 4096, 8, 4, 0);
	memset(E.sys, 0x11, 64);
	TAP_CHECK_EQ(tcore_csr_classify_write(&E.d, TESSERA_REG_RESET, 1, 4,
					      &i), TCORE_WR_NORMAL);
	TAP_CHECK_EQ(tcore_csr_classify_write(&E.d, TESSERA_REG_RESET,
					      TESSERA_RESET_MAGIC, 4, &i),
		     TCORE_WR_DEV_RESET);
	TAP_CHECK_EQ(tcore_csr_classify_write(&E.d, ENG(2, CTRL),
					      TESSERA_ENG_CTRL_RESET, 4, &i),
		     TCORE_WR_ENG_RESET);
	TAP_CHECK_EQ(i, 2);
	TAP_CHECK_EQ(tcore_csr_classify_write(&E.d, ENG(3, CTRL),
					      TESSERA_ENG_CTRL_RESET, 4, &i),
		     TCORE_WR_NORMAL);
	wr(TESSERA_REG_RESET, 0x12345678);
	TAP_CHECK_EQ(rd(TESSERA_REG_SCRATCH), 5);
	wr(TESSERA_REG_RESET, TESSERA_RESET_MAGIC);
	TAP_CHECK_EQ(rd(TESSERA_REG_SCRATCH), 0);
	TAP_CHECK_EQ(rd(TESSERA_REG_INT_ENABLE), 0);
	TAP_CHECK_EQ(rd(TESSERA_REG_DB_PENDING(0)), 0);
	TAP_CHECK_EQ(rd(ENG(1, STATUS)), 0);
	TAP_CHECK_EQ(rd(ENG(1, CTX)), 0);
	TAP_CHECK_EQ(busy_ns(1), 0);
	TAP_CHECK_EQ(rd(CTX(1, CTRL)), 0);
	TAP_CHECK_EQ(rd64(CTX(1, VRAM_BASE_LO)), 0);
	TAP_CHECK_EQ(rd(RING(1, 1, TAIL)), 0);
	TAP_CHECK_EQ(rd(RING(1, 1, STATE)), 0);
	for (i = 0; i < NGART; i++)
		if (E.gart[i])
			break;
	TAP_CHECK_EQ(i, NGART);
	TAP_CHECK_EQ(E.vram[VB + 0x10000], (uint8_t)0);	/* VRAM kept */
	TAP_CHECK_EQ(tcore_take_vectors(&E.d), 0);
	TAP_CHECK(!tcore_intx_level(&E.d));
}

/* ----------------------------------------------- doorbells, interrupts */

static void test_doorbells(void)
{
	env_init(2, 1);
	std_setup(0);
	ctx_setup(2, 0, 0x10000, 0, 0);
	ring_setup(2, 1, 0, 4096);
	/* not loaded: DB_PENDING, global vector only if enabled */
	EMIT(2, 1, CMD(TESSERA_OP_NOP, 0, 1));
	tcore_db_write(&E.d, 2 * 4096 + TESSERA_DB_TAIL(1), 4, 4, 0);
	TAP_CHECK_EQ(rd(RING(2, 1, TAIL)), 4);
	TAP_CHECK_EQ(rd(TESSERA_REG_DB_PENDING(0)), 1 << 2);
	TAP_CHECK_EQ(rd(TESSERA_REG_INT_STATUS), TESSERA_INT_DOORBELL);
	TAP_CHECK_EQ(tcore_take_vectors(&E.d), 0);
	TAP_CHECK(!tcore_intx_level(&E.d));
	wr(TESSERA_REG_INT_ENABLE, TESSERA_INT_DOORBELL);
	/* enabling a pending source is an edge */
	TAP_CHECK_EQ(tcore_take_vectors(&E.d),
		     1u << TESSERA_MSIX_VECTOR_GLOBAL);
	TAP_CHECK(tcore_intx_level(&E.d));
	tcore_db_write(&E.d, 2 * 4096 + TESSERA_DB_TAIL(1), 4, 4, 0);
	TAP_CHECK_EQ(tcore_take_vectors(&E.d), 0);	/* still pending */
	tcore_db_write(&E.d, 5 * 4096 + TESSERA_DB_TAIL(0), 0, 4, 0);
	TAP_CHECK_EQ(tcore_take_vectors(&E.d),
		     1u << TESSERA_MSIX_VECTOR_GLOBAL);	/* new bit */
	TAP_CHECK_EQ(rd64(TESSERA_REG_DB_PENDING(0)), 0);	/* not a pair */
	wr(TESSERA_REG_DB_PENDING(0), 1 << 2);
	TAP_CHECK_EQ(rd(TESSERA_REG_DB_PENDING(0)), 1 << 5);
	wr(TESSERA_REG_DB_PENDING(0), 0xffffffff);
	TAP_CHECK(!tcore_intx_level(&E.d));
	/* ignored: bad engine, bad context, bad size/offset */
	tcore_db_write(&E.d, 2 * 4096 + TESSERA_DB_TAIL(3), 8, 4, 0);
	tcore_db_write(&E.d, NCTX * 4096ULL, 8, 4, 0);
	tcore_db_write(&E.d, ~0ULL - 3, 8, 4, 0);
	tcore_db_write(&E.d, 2 * 4096 + 4, 8, 4, 0);
	tcore_db_write(&E.d, 2 * 4096 + TESSERA_DB_TAIL(1), 8, 8, 0);
	tcore_db_write(&E.d, 2 * 4096 + TESSERA_DB_TAIL(1), 8, 2, 0);
	TAP_CHECK_EQ(rd(TESSERA_REG_DB_PENDING(0)), 0);
	TAP_CHECK_EQ(rd(RING(2, 1, TAIL)), 4);
	TAP_CHECK_EQ(tcore_db_read(&E.d, 2 * 4096 + TESSERA_DB_TAIL(1), 4), 4);
	TAP_CHECK_EQ(tcore_db_read(&E.d, 2 * 4096 + TESSERA_DB_TAIL(1), 8), 0);
	TAP_CHECK_EQ(tcore_db_read(&E.d, NCTX * 4096ULL, 4), 0);
	/* loaded and WAITING: the engine picks the tail up, no DB_PENDING */
	start(1, 2);
	run(1, 0);
	TAP_CHECK_EQ(state(1), TESSERA_ENG_STATE_WAITING);
	EMIT(2, 1, CMD(TESSERA_OP_FENCE, 0, 5), 9, 0, 0, 0);
	tcore_db_write(&E.d, 2 * 4096 + TESSERA_DB_TAIL(1), E.tail[2][1], 4, 0);
	TAP_CHECK_EQ(state(1), TESSERA_ENG_STATE_RUNNING);
	TAP_CHECK_EQ(rd(TESSERA_REG_DB_PENDING(0)), 0);
	run(1, 0);
	TAP_CHECK_EQ(rd(ENG(1, FENCE_LO)), 9);
	/* doorbell with the same tail while WAITING: stays WAITING */
	tcore_db_write(&E.d, 2 * 4096 + TESSERA_DB_TAIL(1), E.tail[2][1], 4, 0);
	TAP_CHECK_EQ(state(1), TESSERA_ENG_STATE_WAITING);
	/* the ring of the same ctx on another engine is not loaded */
	tcore_db_write(&E.d, 2 * 4096 + TESSERA_DB_TAIL(0), 0, 4, 0);
	TAP_CHECK_EQ(rd(TESSERA_REG_DB_PENDING(0)), 1 << 2);
}

static void test_interrupts(void)
{
	env_init(2, 1);
	std_setup(0);
	EMIT(1, 0, CMD(TESSERA_OP_FENCE, TESSERA_FENCE_IRQ, 5), 1, 0, 0, 0);
	submit(1, 0);
	start(0, 1);
	run(0, 1);
	/* status set whatever the mask; no delivery while masked */
	TAP_CHECK_EQ(rd(ENG(0, INT_STATUS)), TESSERA_ENG_INT_FENCE);
	TAP_CHECK_EQ(rd(TESSERA_REG_INT_STATUS), 0);
	TAP_CHECK_EQ(tcore_take_vectors(&E.d), 0);
	wr(ENG(0, INT_MASK), 0xffffffff);
	TAP_CHECK_EQ(rd(ENG(0, INT_MASK)), TESSERA_ENG_INT_ALL);
	TAP_CHECK_EQ(rd(TESSERA_REG_INT_STATUS), TESSERA_INT_ENGINE(0));
	TAP_CHECK_EQ(tcore_take_vectors(&E.d), 0);	/* not enabled */
	TAP_CHECK(!tcore_intx_level(&E.d));
	wr(TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	TAP_CHECK_EQ(tcore_take_vectors(&E.d),
		     1u << TESSERA_MSIX_VECTOR_ENGINE(0));
	TAP_CHECK(tcore_intx_level(&E.d));
	/* IDLE is a new bit: fires again */
	run(0, 0);
	TAP_CHECK_EQ(rd(ENG(0, INT_STATUS)),
		     TESSERA_ENG_INT_FENCE | TESSERA_ENG_INT_IDLE);
	TAP_CHECK_EQ(tcore_take_vectors(&E.d),
		     1u << TESSERA_MSIX_VECTOR_ENGINE(0));
	/* W1C one bit: the other still pending, no new edge */
	wr(ENG(0, INT_STATUS), TESSERA_ENG_INT_FENCE);
	TAP_CHECK_EQ(rd(ENG(0, INT_STATUS)), TESSERA_ENG_INT_IDLE);
	TAP_CHECK_EQ(tcore_take_vectors(&E.d), 0);
	TAP_CHECK(tcore_intx_level(&E.d));
	wr(ENG(0, INT_STATUS), 0xffffffff);
	TAP_CHECK(!tcore_intx_level(&E.d));
	TAP_CHECK_EQ(rd(TESSERA_REG_INT_STATUS), 0);
	/* a fault on engine 2 fires engine 2's vector when enabled */
	wr(ENG(2, INT_MASK), TESSERA_ENG_INT_FAULT);
	wr(TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(2));
	start(2, 7);
	TAP_CHECK_EQ(tcore_take_vectors(&E.d),
		     1u << TESSERA_MSIX_VECTOR_ENGINE(2));
	TAP_CHECK_EQ(rd(TESSERA_REG_INT_STATUS), TESSERA_INT_ENGINE(2));
}

/* ------------------------------------------------------ hostile streams */

static void test_ring_wrap(void)
{
	env_init(2, 1);
	std_setup(0);
	/* start near the end so that commands wrap around */
	wr(RING(1, 0, HEAD), 4096 - 8);
	E.tail[1][0] = 4096 - 8;
	EMIT(1, 0, CMD(TESSERA_OP_FENCE, 0, 5), 0x77, 0, 0, 0,
	     CMD(TESSERA_OP_NOP, 0, 3), 0, 0,
	     CMD(TESSERA_OP_FENCE, 0, 5), 0x78, 0, 0, 0);
	submit(1, 0);
	start(0, 1);
	run(0, 1);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 0x77);
	TAP_CHECK_EQ(rd(RING(1, 0, HEAD)), 12);
	run(0, 0);
	TAP_CHECK_EQ(rd(RING(1, 0, FENCE_LO)), 0x78);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
	TAP_CHECK_EQ(rd(RING(1, 0, HEAD)), 44);
	/* a ring of 1 MiB is fine, a NOP as long as the ring minus one */
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	ring_setup(1, 0, 0, 1 << 20);
	put32(vptr(1, 0), CMD(TESSERA_OP_NOP, 0, 0xffff));
	wr(RING(1, 0, TAIL), 0xffff * 4);
	start(0, 1);
	TAP_CHECK_EQ(run(0, 0), 1);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
}

static void test_nesting_and_loops(void)
{
	uint32_t *b;
	uint64_t n;

	env_init(2, 1);
	std_setup(0);
	wr(ENG(0, INT_MASK), TESSERA_ENG_INT_ALL);
	/* nested BATCH_CALL */
	b = (uint32_t *)vptr(1, 0x8000);
	b[0] = CMD(TESSERA_OP_BATCH_CALL, 0, 4);
	b[1] = 0x8000; b[2] = 0; b[3] = 16;
	EMIT(1, 0, CMD(TESSERA_OP_BATCH_CALL, 0, 4), 0x8000, 0, 16);
	submit(1, 0);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_NESTING);
	TAP_CHECK_EQ(rd64(ENG(0, FAULT_ADDR_LO)), 0x8000);
	TAP_CHECK_EQ(rd(RING(1, 0, HEAD)), 0);
	/* a command running off the end of the batch */
	b[0] = CMD(TESSERA_OP_FENCE, 0, 5);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(rd(ENG(0, FAULT_CODE)), TESSERA_FAULT_BAD_LENGTH);
	/* a jump to itself loops until preempted; every jump is charged */
	b[0] = CMD(TESSERA_OP_BATCH_JUMP, 0, 4);
	start(0, 1);
	n = run(0, 100000);
	TAP_CHECK_EQ(n, 100000);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_RUNNING);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), TESSERA_RING_STATE_IN_BATCH);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
	TAP_CHECK_EQ(run(0, 0), 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), TESSERA_RING_STATE_IN_BATCH);
	TAP_CHECK(busy_ns(0) >= 100000 * TESSERA_COST_ISSUE_NS);
	/* resume the loop, then an engine reset gets out of it */
	start(0, 1);
	TAP_CHECK_EQ(run(0, 10), 10);
	wr(ENG(0, CTRL), TESSERA_ENG_CTRL_RESET);
	TAP_CHECK_EQ(rd(RING(1, 0, STATE)), 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_STOPPED);
	/* a jump with 0 bytes ends the batch */
	b[3] = 0;
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/*
 * Plausible but random commands: opcodes, lengths, addresses near the
 * window edges, random flags. Only checks "no crash, no write outside".
 */
static uint32_t rnd_addr_lo(void)
{
	static const uint32_t base[] = { 0, 0x1000, VS - 64, VS, 0x8000, 0 };
	return base[rnd() % 6] + (rnd() % 128) - (rnd() % 2 ? 64 : 0);
}

static void test_fuzz(void)
{
	unsigned int iter, i, bad = 0;

	for (iter = 0; iter < 300; iter++) {
		unsigned int e = iter % 3;

		env_init(2, 1);
		std_setup(e);
		gmap(0, 0, RW);
		gmap(1, 1, RO);
		gmap(2, 2, 0);
		wr64(TESSERA_GART_ENTRY(GB + 3), 0xfffffffffffff000ULL | RW);
		/* random batch buffer too */
		for (i = 0; i < 64; i++)
			put32(vptr(1, 0x8000 + 4 * i),
			      rnd() % 3 ? CMD(rnd() % 11, rnd() % 4 ? 0 : rnd(),
					      rnd() % 8) : rnd_addr_lo());
		for (i = 0; i < 200; i++) {
			uint32_t r = rnd() % 10;

			if (r < 6)
				EMIT(1, e, CMD(rnd() % 11,
					       rnd() % 8 ? 0 : rnd() % 4,
					       rnd() % 8 ? 1 + rnd() % 7
							 : rnd()));
			else if (r < 9)
				EMIT(1, e, rnd_addr_lo());
			else
				EMIT(1, e, rnd() % 2 ? HI(VAG) : rnd());
		}
		submit(1, e);
		start(e, 1);
		for (i = 0; i < 50; i++) {
			run(e, 5000);
			if (state(e) == TESSERA_ENG_STATE_FAULTED) {
				/* skip the faulting dword, go on */
				uint32_t h = rd(RING(1, e, HEAD));

				wr(RING(1, e, HEAD), (h + 4) & 4095);
				start(e, 1);
			} else if (state(e) == TESSERA_ENG_STATE_RUNNING) {
				wr(ENG(e, CTRL), TESSERA_ENG_CTRL_PREEMPT);
				run(e, 0);
				if (state(e) != TESSERA_ENG_STATE_STOPPED)
					bad++;
				if (i % 2)
					wr(ENG(e, CTRL),
					   TESSERA_ENG_CTRL_RESET);
				wr(RING(1, e, HEAD),
				   (rd(RING(1, e, HEAD)) + 4) & 4095);
				start(e, 1);
			} else {
				break;
			}
		}
		if (!vram_outside_untouched())
			bad++;
		if (E.max_step_cost_violations)
			bad++;
	}
	TAP_CHECK_EQ(bad, 0);
}

/* Cost accounting over many sizes, with preemption in the middle. */
static void test_costs(void)
{
	static const uint32_t sizes[] = { 0, 1, 15, 16, 17, 31, 32, 33, 4095,
					  4096, 4097, 8191, 12345, 65536 };
	unsigned int i, op;
	uint64_t want;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint32_t s = sizes[i], s4 = s & ~3u;

		for (op = 0; op < 5; op++) {
			env_init(2, 1);
			std_setup(0);
			switch (op) {
			case 0:
				EMIT(1, 0, CMD(TESSERA_OP_COPY, 0, 6), 0x20000,
				     0, 0x40000, 0, s);
				want = tessera_cmd_cost_ns(TESSERA_OP_COPY, s);
				break;
			case 1:
				EMIT(1, 0, CMD(TESSERA_OP_FILL, 0, 5), 0x20000,
				     0, s4, 7);
				want = tessera_cmd_cost_ns(TESSERA_OP_FILL, s4);
				break;
			case 2:
				EMIT(1, 0, CMD(TESSERA_OP_AXPY, 0, 7), 0x20000,
				     0, 0x80000, 0, s, 7);
				want = tessera_cmd_cost_ns(TESSERA_OP_AXPY, s);
				break;
			case 3:
				EMIT(1, 0, CMD(TESSERA_OP_CHECKSUM, 0, 6),
				     0x20000, 0, 0x40000, 0, s);
				want = tessera_cmd_cost_ns(TESSERA_OP_CHECKSUM,
							   s);
				break;
			default:
				EMIT(1, 0, CMD(TESSERA_OP_BUSY, 0, 3), s, 0);
				want = tessera_cmd_cost_ns(TESSERA_OP_BUSY, s);
				break;
			}
			submit(1, 0);
			start(0, 1);
			run(0, 2);
			wr(ENG(0, CTRL), TESSERA_ENG_CTRL_PREEMPT);
			run(0, 0);
			start(0, 1);
			run(0, 0);
			TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_WAITING);
			TAP_CHECK_EQ(busy_ns(0), want);
		}
	}
}

/*
 * The hooks: guest mistakes the spec ignores are reported (and still
 * ignored), faults with their code, raised interrupt bits; correct use
 * reports nothing.
 */
#define DB(c, e)	((c) * TESSERA_DOORBELL_PAGE_SIZE + TESSERA_DB_TAIL(e))

static void test_hooks(void)
{
	env_init(1, 1);
	std_setup(0);
	wr(ENG(0, INT_MASK), TESSERA_ENG_INT_ALL);
	rd(ENG(1, STATUS));
	rd64(TESSERA_REG_TIMESTAMP_LO);
	tcore_db_read(&E.d, DB(1, 0), 4);
	TAP_CHECK_EQ(E.guest_errors, 0);
	/* size and alignment */
	TAP_CHECK_EQ(tcore_csr_read(&E.d, TESSERA_REG_SCRATCH + 2, 4, E.now),
		     0);
	TAP_CHECK_EQ(E.guest_errors, 1);
	tcore_csr_write(&E.d, TESSERA_REG_SCRATCH, 0x55, 2, E.now);
	TAP_CHECK_EQ(E.guest_errors, 2);
	TAP_CHECK_EQ(rd(TESSERA_REG_SCRATCH), 0);
	TAP_CHECK(strstr(E.guest_error_msg, "BAR0 write of 2 bytes"));
	/* numbering: an engine and a context the device lacks */
	wr(ENG(2, CTRL), TESSERA_ENG_CTRL_START);
	TAP_CHECK_EQ(E.guest_errors, 3);
	wr(CTX(NCTX, CTRL), TESSERA_CTX_CTRL_VALID);
	TAP_CHECK_EQ(E.guest_errors, 4);
	TAP_CHECK(strstr(E.guest_error_msg, "no such context"));
	/* writes the state refuses */
	wr(TESSERA_REG_RESET, 0);
	TAP_CHECK_EQ(E.guest_errors, 5);
	TAP_CHECK_EQ(rd(CTX(1, CTRL)), TESSERA_CTX_CTRL_VALID);
	wr(ENG(0, CTRL), 0);
	TAP_CHECK_EQ(E.guest_errors, 6);
	/* doorbells: misaligned, absent engine */
	TAP_CHECK_EQ(tcore_db_write(&E.d, DB(1, 0) + 4, 8, 4, E.now), 0);
	TAP_CHECK_EQ(tcore_db_read(&E.d, DB(1, 2), 4), 0);
	TAP_CHECK_EQ(E.guest_errors, 8);
	TAP_CHECK(strstr(E.guest_error_msg, "BAR4 read"));
	TAP_CHECK_EQ(E.faults, 0);
	/* a fault at START, then one in a command */
	start(0, NCTX);
	TAP_CHECK_EQ(E.faults, 1);
	TAP_CHECK_EQ(E.fault_code, TESSERA_FAULT_BAD_CONTEXT);
	TAP_CHECK_EQ(E.irq_bits[0], TESSERA_ENG_INT_FAULT);
	EMIT(1, 0, CMD(TESSERA_OP_NOP, 0, 1), CMD(0x7f, 0, 1));
	submit(1, 0);
	start(0, 1);
	run(0, 0);
	TAP_CHECK_EQ(state(0), TESSERA_ENG_STATE_FAULTED);
	TAP_CHECK_EQ(E.faults, 2);
	TAP_CHECK_EQ(E.fault_code, TESSERA_FAULT_BAD_OPCODE);
	TAP_CHECK_EQ(E.fault_addr, 4);
	TAP_CHECK_EQ(E.guest_errors, 8);
}

int main(void)
{
	TAP_RUN(test_global_regs);
	TAP_RUN(test_nop_fence);
	TAP_RUN(test_copy_fill);
	TAP_RUN(test_axpy_checksum);
	TAP_RUN(test_busy);
	TAP_RUN(test_busy_clamp);
	TAP_RUN(test_busy_atomic);
	TAP_RUN(test_busy_budget);
	TAP_RUN(test_preempt_keeps_lag);
	TAP_RUN(test_batch);
	TAP_RUN(test_batch_gart);
	TAP_RUN(test_translation);
	TAP_RUN(test_faults);
	TAP_RUN(test_fault_in_batch_and_retry);
	TAP_RUN(test_bad_context_and_ring);
	TAP_RUN(test_window_change_while_running);
	TAP_RUN(test_preempt_every_chunk);
	TAP_RUN(test_next_ctx_switch);
	TAP_RUN(test_preempt_waiting_and_reset);
	TAP_RUN(test_device_reset);
	TAP_RUN(test_doorbells);
	TAP_RUN(test_interrupts);
	TAP_RUN(test_ring_wrap);
	TAP_RUN(test_nesting_and_loops);
	TAP_RUN(test_fuzz);
	TAP_RUN(test_costs);
	TAP_RUN(test_hooks);
	free(E.vram);
	free(E.sys);
	return tap_done();
}
