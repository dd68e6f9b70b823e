// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-gpu model: faults and hostile programming. Window violations,
 * GART faults, bad commands, bad contexts and rings, with sentinels (VRAM
 * around the windows, system memory pages next to the GART window)
 * proving that nothing outside the windows is written, and checks that
 * the other engines and contexts go on and the device works afterwards.
 */
#include "model-common.h"

#define SRC_VA		(DATA_VA)
#define DST_VA		(DATA_VA + 8 * MIB)
/* Address = the faulting command's own GPU VA. */
#define AT_CMD		(~0ULL)
/* System memory pages mapped by the GART entries around A's window. */
#define OUT_IOVA	(SYS_IOVA + 0x1000000)
#define OUT_PAGES	4
#define OUT_PATTERN	0x0f

struct out_pages {
	struct vfio_dma_buf buf;
};

/*
 * Map OUT_PAGES sentinel pages, writable, in the GART entries just below
 * and just above context A's GART window.
 */
static int out_pages_setup(struct model *m, struct out_pages *o)
{
	int ret, i;

	ret = vfio_dma_alloc(&m->t.vfio, &o->buf, OUT_PAGES * PAGE, OUT_IOVA);
	if (ret)
		return ret;
	memset(o->buf.vaddr, OUT_PATTERN, o->buf.size);
	for (i = 0; i < OUT_PAGES / 2 && !ret; i++) {
		ret = tess_gart_set(&m->t, A_GART_BASE - 1 - i,
				    OUT_IOVA + i * PAGE,
				    TESSERA_GART_VALID | TESSERA_GART_WRITABLE);
		if (!ret)
			ret = tess_gart_set(&m->t, A_GART_BASE + A_GART_SIZE + i,
					    OUT_IOVA + (OUT_PAGES / 2 + i) * PAGE,
					    TESSERA_GART_VALID |
					    TESSERA_GART_WRITABLE);
	}
	return ret;
}

static bool out_pages_intact(struct out_pages *o)
{
	const u8 *p = o->buf.vaddr;
	size_t i;

	for (i = 0; i < o->buf.size; i++)
		if (p[i] != OUT_PATTERN)
			return false;
	return true;
}

/* Run a FILL + FENCE on @r and check that it worked. */
static void check_works(struct __test_metadata *_metadata, struct model *m,
			struct tess_ring *r, u32 pattern)
{
	u64 va = DST_VA + 4 * MIB + r->eng * 0x1000;
	u64 base = r->ctx == CTX_A ? A_VRAM_BASE : B_VRAM_BASE;
	static u64 fence = 1000;

	if (r->ctx == CTX_B)
		va = DATA_VA + r->eng * 0x1000;
	fence++;
	ASSERT_EQ(0, tess_emit_fill(r, va, 0x1000, pattern));
	ASSERT_EQ(0, tess_emit_fence(r, 0, fence, 0));
	ASSERT_RUN(r);
	EXPECT_EQ(-1, tess_vram_check32(&m->t, base + va, 0x1000, pattern));
	EXPECT_EQ(fence, tess_rd64(&m->t,
				   TESSERA_CTX_RING_REG(r->ctx, r->eng,
							TESSERA_RING_FENCE_LO)));
}

/* Discard a faulted ring's work and restart its engine (it goes WAITING). */
static void recover_discard(struct __test_metadata *_metadata,
			    struct model *m, struct tess_ring *r)
{
	struct tess_dev *t = &m->t;

	ASSERT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_state(t, r->eng));
	tess_ringreg_wr(t, r->ctx, r->eng, TESSERA_RING_HEAD, r->tail);
	ASSERT_EQ(r->tail, tess_ring_head(r));
	ASSERT_EQ(0, tess_eng_start(t, r->eng, r->ctx));
	ASSERT_EQ(0, tess_eng_wait_state(t, r->eng, TESSERA_ENG_STATE_WAITING,
					 TMO_MS));
	tess_eng_wr(t, r->eng, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
}

/*
 * Emit @dw on engine @e's ring of context A, expect a fault @code at @addr
 * (AT_CMD: the command's VA) with the head left at the command, then
 * recover and check that the engine works.
 */
static void expect_fault(struct __test_metadata *_metadata, struct model *m,
			 unsigned int e, const char *name, const u32 *dw,
			 unsigned int n, u32 code, u64 addr)
{
	struct tess_ring *r = &m->a[e];
	u32 pos = r->tail;
	u64 want = addr == AT_CMD ? r->va + pos : addr;

	TH_LOG("case %s", name);
	ASSERT_EQ(pos, tess_ring_head(r));
	ASSERT_EQ(0, tess_ring_emit(r, dw, n));
	ASSERT_EQ(0, ring_go(r));
	ASSERT_FAULT(m, e, code, CTX_A, want);
	EXPECT_EQ(pos, tess_ring_head(r));
	EXPECT_NE(0, tess_eng_rd(&m->t, e, TESSERA_ENG_INT_STATUS) &
		     TESSERA_ENG_INT_FAULT);
	EXPECT_EQ(0, tess_ctx_rd(&m->t, CTX_A, TESSERA_CTX_STATUS) &
		     TESSERA_CTX_STATUS_LOADED(e));
	recover_discard(_metadata, m, r);
	check_works(_metadata, m, r, 0xc0de0000 | e);
}

#define CASE(name, code, addr, ...) do {				\
	u32 __dw[16];							\
	unsigned int __n = 0;						\
	__VA_ARGS__;							\
	expect_fault(_metadata, m, e, name, __dw, __n, code, addr);	\
} while (0)
#define ENC(fn, ...)	(__n += fn(__dw + __n, ##__VA_ARGS__))
#define RAW(v)		(__dw[__n++] = (v))

/* Operands outside the windows: range faults, nothing written outside. */
TEST_F_TIMEOUT(model, window_violations, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *other = &m->b[1 % t->engines];
	const u64 end = A_VRAM_SIZE, gend = tess_gart_va(A_GART_SIZE, 0);
	struct out_pages o = { 0 };
	unsigned int e = 0;

	ASSERT_EQ(0, out_pages_setup(m, &o));
	/* Context B works on another engine meanwhile. */
	if (t->engines > 1) {
		ASSERT_EQ(0, tess_emit_busy(other, 300000000ULL));
		ASSERT_EQ(0, tess_emit_fill(other, DATA_VA, 0x10000, 0xb1b1b1b1));
		ASSERT_EQ(0, ring_go(other));
	}

	CASE("fill across the VRAM window end", TESSERA_FAULT_VRAM_RANGE,
	     end - 4096, ENC(tess_enc_fill, end - 4096, 8192, 0xbad));
	CASE("fill at the VRAM window end", TESSERA_FAULT_VRAM_RANGE, end,
	     ENC(tess_enc_fill, end, 4, 0xbad));
	CASE("copy source across the end", TESSERA_FAULT_VRAM_RANGE, end - 16,
	     ENC(tess_enc_copy, DST_VA, end - 16, 32));
	CASE("copy destination across the end", TESSERA_FAULT_VRAM_RANGE,
	     end - 16, ENC(tess_enc_copy, end - 16, SRC_VA, 32));
	CASE("fence write beyond the window", TESSERA_FAULT_VRAM_RANGE, end,
	     ENC(tess_enc_fence, TESSERA_FENCE_WRITE, 1, end));
	CASE("axpy y across the end", TESSERA_FAULT_VRAM_RANGE, end - 8,
	     ENC(tess_enc_axpy, end - 8, SRC_VA, 4, 3));
	CASE("axpy x across the end", TESSERA_FAULT_VRAM_RANGE, end - 8,
	     ENC(tess_enc_axpy, DST_VA, end - 8, 4, 3));
	CASE("checksum destination beyond", TESSERA_FAULT_VRAM_RANGE, end,
	     ENC(tess_enc_checksum, end, SRC_VA, 16));
	CASE("VA between the windows", TESSERA_FAULT_VRAM_RANGE, 1ULL << 39,
	     ENC(tess_enc_fill, 1ULL << 39, 4, 0xbad));
	CASE("batch beyond the window", TESSERA_FAULT_VRAM_RANGE, end - 8,
	     ENC(tess_enc_batch_call, end - 8, 16));
	CASE("fill across the GART window end", TESSERA_FAULT_GART_RANGE,
	     gend - 4096, ENC(tess_enc_fill, gend - 4096, 8192, 0xbad));
	CASE("copy from beyond the GART window", TESSERA_FAULT_GART_RANGE, gend,
	     ENC(tess_enc_copy, DST_VA, gend, 4));
	CASE("copy to beyond the GART window", TESSERA_FAULT_GART_RANGE, gend,
	     ENC(tess_enc_copy, gend, SRC_VA, 4096));
	CASE("fill wrapping the address space", TESSERA_FAULT_GART_RANGE,
	     0xfffffffffffff000ULL,
	     ENC(tess_enc_fill, 0xfffffffffffff000ULL, 8192, 0xbad));
	CASE("copy from the top of the address space", TESSERA_FAULT_GART_RANGE,
	     0xfffffffffffffffeULL,
	     ENC(tess_enc_copy, DST_VA, 0xfffffffffffffffeULL, 4));

	EXPECT_EQ(-1, model_check_sentinels(m));
	EXPECT_TRUE(out_pages_intact(&o));
	if (t->engines > 1) {
		ASSERT_IDLE(other);
		EXPECT_EQ(-1, tess_vram_check32(t, b_vram(DATA_VA), 0x10000,
						0xb1b1b1b1));
	}
	vfio_dma_free(&t->vfio, &o.buf);
}

/* Malformed commands: documented faults at the command's address. */
TEST_F_TIMEOUT(model, bad_commands, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	unsigned int e = 0;

	CASE("unknown opcode 0x7f", TESSERA_FAULT_BAD_OPCODE, AT_CMD,
	     RAW(TESSERA_CMD(0x7f, 0, 1)));
	CASE("unknown opcode 0xff", TESSERA_FAULT_BAD_OPCODE, AT_CMD,
	     RAW(TESSERA_CMD(0xff, 0, 4)); RAW(0); RAW(0); RAW(0));
	CASE("all-ones dword", TESSERA_FAULT_BAD_OPCODE, AT_CMD, RAW(~0u));
	CASE("unknown FILL flag", TESSERA_FAULT_BAD_OPCODE, AT_CMD,
	     ENC(tess_enc_fill, DST_VA, 4, 0); __dw[0] |= 1u << 16);
	CASE("unknown FENCE flag", TESSERA_FAULT_BAD_OPCODE, AT_CMD,
	     ENC(tess_enc_fence, 0, 1, 0); __dw[0] |= 0x80u << 16);
	CASE("COPY of length 5", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     RAW(TESSERA_CMD(TESSERA_OP_COPY, 0, 5));
	     RAW(0); RAW(0); RAW(0); RAW(0));
	CASE("NOP of length 0", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     RAW(TESSERA_CMD(TESSERA_OP_NOP, 0, 0)));
	CASE("FENCE of length 6", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_fence, 0, 1, 0); RAW(0); __dw[0]++);
	CASE("BATCH_END of length 2 in the ring", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_nop, 2); __dw[0] = TESSERA_CMD(TESSERA_OP_BATCH_END, 0, 2));
	CASE("command beyond the tail", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_fill, DST_VA, 4, 0); __n = 3);
	CASE("COPY above MAX_COPY_BYTES", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_copy, DST_VA, SRC_VA, TESSERA_MAX_COPY_BYTES + 1));
	CASE("FILL of 4 GiB - 4", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_fill, DST_VA, 0xfffffffc, 0));
	CASE("AXPY above MAX_AXPY_COUNT", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_axpy, DST_VA, SRC_VA, TESSERA_MAX_AXPY_COUNT + 1, 1));
	CASE("AXPY of 2^32 - 1 elements", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_axpy, DST_VA, SRC_VA, 0xffffffff, 1));
	CASE("CHECKSUM of 4 GiB - 1", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_checksum, DST_VA, SRC_VA, 0xffffffff));
	CASE("BUSY above MAX_BUSY_NS", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_busy, TESSERA_MAX_BUSY_NS + 1));
	CASE("BUSY of 2^64 - 1 ns", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_busy, ~0ULL));
	CASE("batch above MAX_BATCH_BYTES", TESSERA_FAULT_BAD_LENGTH, AT_CMD,
	     ENC(tess_enc_batch_call, SRC_VA, TESSERA_MAX_BATCH_BYTES + 4));
	CASE("FILL misaligned destination", TESSERA_FAULT_BAD_ALIGN, AT_CMD,
	     ENC(tess_enc_fill, DST_VA + 2, 8, 0));
	CASE("FILL misaligned size", TESSERA_FAULT_BAD_ALIGN, AT_CMD,
	     ENC(tess_enc_fill, DST_VA, 6, 0));
	CASE("AXPY misaligned x", TESSERA_FAULT_BAD_ALIGN, AT_CMD,
	     ENC(tess_enc_axpy, DST_VA, SRC_VA + 1, 4, 1));
	CASE("AXPY misaligned y", TESSERA_FAULT_BAD_ALIGN, AT_CMD,
	     ENC(tess_enc_axpy, DST_VA + 2, SRC_VA, 4, 1));
	CASE("CHECKSUM misaligned destination", TESSERA_FAULT_BAD_ALIGN, AT_CMD,
	     ENC(tess_enc_checksum, DST_VA + 2, SRC_VA, 4));
	CASE("FENCE write misaligned", TESSERA_FAULT_BAD_ALIGN, AT_CMD,
	     ENC(tess_enc_fence, TESSERA_FENCE_WRITE, 1, DST_VA + 4));
	CASE("BATCH_CALL misaligned", TESSERA_FAULT_BAD_ALIGN, AT_CMD,
	     ENC(tess_enc_batch_call, SRC_VA + 2, 16));
	CASE("BATCH_END in the ring", TESSERA_FAULT_BAD_NESTING, AT_CMD,
	     ENC(tess_enc_batch_end));
	CASE("BATCH_JUMP in the ring", TESSERA_FAULT_BAD_NESTING, AT_CMD,
	     ENC(tess_enc_batch_jump, SRC_VA, 16));

	/* The copy engines lack AXPY and CHECKSUM. */
	if (t->copy) {
		e = t->compute;
		CASE("AXPY on a copy engine", TESSERA_FAULT_BAD_OPCODE, AT_CMD,
		     ENC(tess_enc_axpy, DST_VA, SRC_VA, 4, 1));
		CASE("CHECKSUM on a copy engine", TESSERA_FAULT_BAD_OPCODE,
		     AT_CMD, ENC(tess_enc_checksum, DST_VA, SRC_VA, 4));
	}
	EXPECT_EQ(-1, model_check_sentinels(m));
}

/* Faults inside a batch: head stays at BATCH_CALL, address in the batch. */
TEST_F_TIMEOUT(model, batch_faults, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u64 b = SRC_VA + 0x100000;
	u32 c[32];
	unsigned int n, i;
	struct {
		const char *name;
		u32 code;
		u64 addr;	/* offset in the batch, or absolute */
		bool abs;
	} cases[] = {
		{ "bad opcode in a batch", TESSERA_FAULT_BAD_OPCODE, 8, false },
		{ "BATCH_CALL in a batch", TESSERA_FAULT_BAD_NESTING, 8, false },
		{ "range fault in a batch", TESSERA_FAULT_VRAM_RANGE,
		  A_VRAM_SIZE, true },
		{ "batch command beyond its end", TESSERA_FAULT_BAD_LENGTH, 8,
		  false },
	};

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 pos = r->tail, blen;
		u64 want;

		n = tess_enc_nop(c, 2);
		switch (i) {
		case 0:
			c[n++] = TESSERA_CMD(0x42, 0, 1);
			break;
		case 1:
			n += tess_enc_batch_call(c + n, b, 16);
			break;
		case 2:
			n += tess_enc_fill(c + n, A_VRAM_SIZE, 4, 0);
			break;
		case 3:
			n += tess_enc_fill(c + n, DST_VA, 4, 0);
			break;
		}
		blen = i == 3 ? n * 4 - 4 : n * 4;
		n += tess_enc_batch_end(c + n);
		ASSERT_EQ(0, tess_vram_write(t, a_vram(b), c, n * 4));
		ASSERT_EQ(0, tess_emit_batch_call(r, b, blen));
		TH_LOG("case %s", cases[i].name);
		ASSERT_EQ(0, ring_go(r));
		want = cases[i].addr;
		if (!cases[i].abs)
			want += b;
		ASSERT_FAULT(m, 0, cases[i].code, CTX_A, want);
		EXPECT_EQ(pos, tess_ring_head(r));
		recover_discard(_metadata, m, r);
		/* The discarded batch left no batch state behind. */
		EXPECT_EQ(0, tess_ringreg_rd(t, CTX_A, 0, TESSERA_RING_STATE));
		check_works(_metadata, m, r, 0xba7c0000 | i);
	}
	EXPECT_EQ(-1, model_check_sentinels(m));
}

/* GART: invalid entry, read-only entry, fix and retry. */
TEST_F_TIMEOUT(model, gart_faults, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const unsigned int pg = 5;
	const u64 va = tess_gart_va(pg, 0x100);
	const u64 iova = SYS_IOVA + (u64)sys_perm(pg) * PAGE;
	struct out_pages o = { 0 };
	u32 *p = sys_ptr(m, pg, 0x100);
	unsigned int e = 0;

	ASSERT_EQ(0, out_pages_setup(m, &o));

	/* Invalid entry: writes and reads fault. */
	ASSERT_EQ(0, tess_gart_set(t, A_GART_BASE + pg, iova, 0));
	CASE("write through an invalid entry", TESSERA_FAULT_GART_INVALID, va,
	     ENC(tess_enc_fill, va, 16, 0xbad));
	CASE("read through an invalid entry", TESSERA_FAULT_GART_INVALID, va,
	     ENC(tess_enc_copy, DST_VA, va, 16));
	/* Valid but not writable: reads work, writes fault. */
	ASSERT_EQ(0, tess_gart_set(t, A_GART_BASE + pg, iova, TESSERA_GART_VALID));
	p[0] = 0x12345678;
	ASSERT_EQ(0, tess_emit_copy(r, DST_VA, va, 4));
	ASSERT_RUN(r);
	EXPECT_EQ(0x12345678, tess_vram_rd32(t, a_vram(DST_VA)));
	CASE("fill a read-only page", TESSERA_FAULT_GART_READONLY, va,
	     ENC(tess_enc_fill, va, 16, 0xbad));
	CASE("fence to a read-only page", TESSERA_FAULT_GART_READONLY, va,
	     ENC(tess_enc_fence, TESSERA_FENCE_WRITE, 1, va));
	CASE("copy to a read-only page", TESSERA_FAULT_GART_READONLY, va,
	     ENC(tess_enc_copy, va, SRC_VA, 4));
	EXPECT_EQ(0x12345678, p[0]);
	EXPECT_EQ(0, p[1]);

	/* A multi-page fill faults at the invalid page. */
	ASSERT_EQ(0, tess_gart_set(t, A_GART_BASE + pg, iova, 0));
	CASE("fill over an invalid middle page", TESSERA_FAULT_GART_INVALID,
	     tess_gart_va(pg, 0),
	     ENC(tess_enc_fill, tess_gart_va(pg - 1, 0x800), 2 * PAGE, 0x77));

	/* Fix the cause and START again: the command is retried. */
	ASSERT_EQ(0, tess_emit_fill(r, va, 16, 0x600d600d));
	ASSERT_EQ(0, ring_go(r));
	ASSERT_FAULT(m, 0, TESSERA_FAULT_GART_INVALID, CTX_A, va);
	ASSERT_EQ(0, tess_gart_set(t, A_GART_BASE + pg, iova,
				   TESSERA_GART_VALID | TESSERA_GART_WRITABLE));
	ASSERT_EQ(0, tess_eng_start(t, 0, CTX_A));
	ASSERT_IDLE(r);
	EXPECT_EQ(0x600d600d, p[0]);
	EXPECT_EQ(0x600d600d, p[3]);
	EXPECT_EQ(0, p[4]);

	EXPECT_TRUE(out_pages_intact(&o));
	EXPECT_EQ(-1, model_check_sentinels(m));
	vfio_dma_free(&t->vfio, &o.buf);
}

/* Bus mastering off: system memory accesses fail with FAULT_DMA_ERROR. */
TEST_F_TIMEOUT(model, dma_error_no_bus_master, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	const u64 va = tess_gart_va(3, 0x40);
	unsigned int e = 0;

	*(u32 *)sys_ptr(m, 3, 0x40) = 0x1234;
	ASSERT_EQ(0, vfio_pci_set_master(&t->vfio, false));
	CASE("write with bus mastering off", TESSERA_FAULT_DMA_ERROR, va,
	     ENC(tess_enc_fill, va, 16, 0xbad));
	CASE("read with bus mastering off", TESSERA_FAULT_DMA_ERROR, va,
	     ENC(tess_enc_copy, DST_VA, va, 16));
	EXPECT_EQ(0x1234, *(u32 *)sys_ptr(m, 3, 0x40));
	/* On again: it works. */
	ASSERT_EQ(0, vfio_pci_set_master(&t->vfio, true));
	ASSERT_EQ(0, tess_emit_fill(&m->a[0], va, 16, 0x600d));
	ASSERT_RUN(&m->a[0]);
	EXPECT_EQ(0x600d, *(u32 *)sys_ptr(m, 3, 0x40));
}

/*
 * A GART entry with a bus address the IOMMU does not map: FAULT_DMA_ERROR.
 * The guest kernel logs a DMAR fault, which the VM rig counts as a splat
 * unless told otherwise: opt in with TESSERA_ALLOW_DMAR_FAULT=1.
 */
TEST_F_TIMEOUT(model, gart_dma_error, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	const unsigned int pg = 7;
	const u64 va = tess_gart_va(pg, 0);
	unsigned int e = 0;

	if (!getenv("TESSERA_ALLOW_DMAR_FAULT"))
		SKIP(return, "%s",
		     "set TESSERA_ALLOW_DMAR_FAULT=1 and vm-run.sh --allow-splat DMAR:");
	ASSERT_EQ(0, tess_gart_set(t, A_GART_BASE + pg, 0x3f00000000ULL,
				   TESSERA_GART_VALID | TESSERA_GART_WRITABLE));
	CASE("write to an unmapped IOVA", TESSERA_FAULT_DMA_ERROR, va,
	     ENC(tess_enc_fill, va, 16, 0xbad));
	CASE("read from an unmapped IOVA", TESSERA_FAULT_DMA_ERROR, va,
	     ENC(tess_enc_copy, DST_VA, va, 16));
}

/* START with a bad ENG_CTX or a bad context: FAULT_BAD_CONTEXT. */
TEST_F_TIMEOUT(model, bad_contexts, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	const unsigned int c = 3, e = 0;
	struct {
		const char *name;
		u32 ctx;
		u64 vbase, vsize;
		u32 gbase, gsize, ctrl;
	} cases[] = {
		{ "ENG_CTX = contexts", t->contexts, 0, 0, 0, 0, 0 },
		{ "ENG_CTX = 0xffffffff", 0xffffffff, 0, 0, 0, 0, 0 },
		{ "context not valid", c, 0, MIB, 0, 0, 0 },
		{ "VRAM window beyond VRAM", c, t->vram_size - PAGE, 2 * PAGE,
		  0, 0, TESSERA_CTX_CTRL_VALID },
		{ "VRAM window base misaligned", c, 0x800, MIB, 0, 0,
		  TESSERA_CTX_CTRL_VALID },
		{ "VRAM window size misaligned", c, 0, MIB + 8, 0, 0,
		  TESSERA_CTX_CTRL_VALID },
		{ "VRAM window wrapping", c, 0xfffffffffffff000ULL, 0x2000, 0, 0,
		  TESSERA_CTX_CTRL_VALID },
		{ "GART window beyond the GART", c, 0, MIB,
		  t->gart_entries - 4, 8, TESSERA_CTX_CTRL_VALID },
		{ "GART window wrapping", c, 0, MIB, 0xffffffff, 2,
		  TESSERA_CTX_CTRL_VALID },
	};
	struct tess_fault f;
	char buf[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		TH_LOG("case %s", cases[i].name);
		ASSERT_EQ(0, tess_ctx_setup(t, c, cases[i].vbase, cases[i].vsize,
					    cases[i].gbase, cases[i].gsize));
		tess_ctx_wr(t, c, TESSERA_CTX_CTRL, cases[i].ctrl);
		ASSERT_EQ(0, tess_eng_start(t, e, cases[i].ctx));
		ASSERT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_wait_halted(t, e, TMO_MS));
		tess_eng_fault(t, e, &f);
		EXPECT_EQ(TESSERA_FAULT_BAD_CONTEXT, f.code)
			TH_LOG("got %s", fault_str(&f, buf, sizeof(buf)));
		EXPECT_EQ(cases[i].ctx, f.ctx);
		/* Engine reset: STOPPED, fault registers cleared. */
		ASSERT_EQ(0, tess_eng_reset(t, e));
		ASSERT_EQ(0, tess_eng_wait_state(t, e, TESSERA_ENG_STATE_STOPPED, TMO_MS));
		tess_eng_fault(t, e, &f);
		EXPECT_EQ(0, f.code);
		EXPECT_EQ(0, f.addr);
		EXPECT_EQ(0, tess_eng_rd(t, e, TESSERA_ENG_INT_STATUS));
	}
	tess_ctx_clear(t, c);
	check_works(_metadata, m, &m->a[e], 0x0c7c0c7c);
	if (t->engines > 1)
		check_works(_metadata, m, &m->b[1], 0x0c7c0c7d);
}

/* START or a doorbell on an invalid ring: FAULT_BAD_RING. */
TEST_F_TIMEOUT(model, bad_rings, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	const unsigned int c = CTX_A, e = 0;
	struct {
		const char *name;
		u64 base;
		u32 size, head, tail;
	} cases[] = {
		{ "size 0", 0x80000, 0, 0, 0 },
		{ "size not a power of two", 0x80000, 12288, 0, 0 },
		{ "size below the minimum", 0x80000, 2048, 0, 0 },
		{ "size above the maximum", 0x80000, 2 << 20, 0, 0 },
		{ "base misaligned", 0x80800, 4096, 0, 0 },
		{ "tail misaligned", 0x80000, 4096, 0, 6 },
		{ "tail beyond size", 0x80000, 4096, 0, 4096 },
		{ "head beyond size", 0x80000, 4096, 8192, 0 },
	};
	struct tess_ring *r = &m->a[e];
	struct tess_fault f;
	char buf[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		TH_LOG("case %s", cases[i].name);
		tess_ringreg_wr(t, c, e, TESSERA_RING_BASE_LO, (u32)cases[i].base);
		tess_ringreg_wr(t, c, e, TESSERA_RING_BASE_HI, cases[i].base >> 32);
		tess_ringreg_wr(t, c, e, TESSERA_RING_SIZE, cases[i].size);
		tess_ringreg_wr(t, c, e, TESSERA_RING_TAIL, cases[i].tail);
		tess_ringreg_wr(t, c, e, TESSERA_RING_HEAD, cases[i].head);
		ASSERT_EQ(0, tess_eng_start(t, e, c));
		ASSERT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_wait_halted(t, e, TMO_MS));
		tess_eng_fault(t, e, &f);
		EXPECT_EQ(TESSERA_FAULT_BAD_RING, f.code)
			TH_LOG("got %s", fault_str(&f, buf, sizeof(buf)));
		EXPECT_EQ(c, f.ctx);
		ASSERT_EQ(0, tess_eng_reset(t, e));
	}

	/* A ring outside the VRAM window: the command fetch faults. */
	tess_ringreg_wr(t, c, e, TESSERA_RING_BASE_LO, (u32)A_VRAM_SIZE);
	tess_ringreg_wr(t, c, e, TESSERA_RING_BASE_HI, A_VRAM_SIZE >> 32);
	tess_ringreg_wr(t, c, e, TESSERA_RING_SIZE, 4096);
	tess_ringreg_wr(t, c, e, TESSERA_RING_TAIL, 20);
	tess_ringreg_wr(t, c, e, TESSERA_RING_HEAD, 0);
	ASSERT_EQ(0, tess_eng_start(t, e, c));
	ASSERT_FAULT(m, e, TESSERA_FAULT_VRAM_RANGE, c, A_VRAM_SIZE);
	ASSERT_EQ(0, tess_eng_reset(t, e));

	/* A valid ring; then an invalid tail through the doorbell. */
	ASSERT_EQ(0, tess_ring_init(t, r, c, e, RING_VA(e), RING_BYTES));
	ASSERT_EQ(0, tess_eng_start(t, e, c));
	ASSERT_EQ(0, tess_eng_wait_state(t, e, TESSERA_ENG_STATE_WAITING, TMO_MS));
	ASSERT_EQ(0, tess_db_write(t, c, e, 6));
	ASSERT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_wait_halted(t, e, TMO_MS));
	tess_eng_fault(t, e, &f);
	EXPECT_EQ(TESSERA_FAULT_BAD_RING, f.code)
		TH_LOG("got %s", fault_str(&f, buf, sizeof(buf)));
	ASSERT_EQ(0, tess_eng_reset(t, e));

	/* Back to a good ring: everything works. */
	ASSERT_EQ(0, tess_ring_init(t, r, c, e, RING_VA(e), RING_BYTES));
	check_works(_metadata, m, r, 0x41414141);
	EXPECT_EQ(-1, model_check_sentinels(m));
}

/*
 * Random commands (mutated valid ones and garbage) on context A: whatever
 * happens, nothing outside A's windows is written, a stuck engine is reset,
 * and afterwards every engine works.
 */
TEST_F_TIMEOUT(model, fuzz_commands, 900)
{
	static const u64 vas[] = {
		0, 4, DATA_VA, A_VRAM_SIZE - 4096, A_VRAM_SIZE - 4, A_VRAM_SIZE,
		A_VRAM_SIZE + 4096, 1ULL << 39, TESSERA_VA_GART,
		TESSERA_VA_GART - 4, TESSERA_VA_GART + A_GART_SIZE * PAGE - 8,
		TESSERA_VA_GART + A_GART_SIZE * PAGE, ~0ULL - 3, 1ULL << 63,
	};
	static const u32 sizes[] = {
		0, 1, 4, 8, 4096, 65536, 1 << 20, TESSERA_MAX_COPY_BYTES,
		TESSERA_MAX_COPY_BYTES + 4, 0xfffffffc, 0xffffffff,
	};
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct out_pages o = { 0 };
	const char *env = getenv("TESSERA_FUZZ_ITERS");
	unsigned int iters = env ? (unsigned int)atoi(env) : 300;
	unsigned int i, k, e, faults = 0, resets = 0;
	u32 seed = 0x7e55f022;

	ASSERT_EQ(0, out_pages_setup(m, &o));
	for (i = 0; i < iters; i++) {
		struct tess_ring *r;
		u32 dw[8];
		unsigned int n, op;
		int st;

		e = prng(&seed) % t->engines;
		r = &m->a[e];
		op = prng(&seed) % 12;
		for (k = 0; k < 8; k++)
			dw[k] = prng(&seed);
		switch (prng(&seed) % 4) {
		case 0:		/* garbage */
			n = 1 + prng(&seed) % 8;
			break;
		default: {	/* a command with chosen operands */
			static const unsigned int len[12] = {
				1, TESSERA_FENCE_LEN, TESSERA_COPY_LEN,
				TESSERA_FILL_LEN, TESSERA_AXPY_LEN,
				TESSERA_CHECKSUM_LEN, TESSERA_BATCH_CALL_LEN,
				TESSERA_BATCH_JUMP_LEN, 1, TESSERA_BUSY_LEN, 3, 2,
			};
			u64 a = vas[prng(&seed) % (ARRAY_SIZE(vas))];
			u64 b = vas[prng(&seed) % (ARRAY_SIZE(vas))];
			u32 s = sizes[prng(&seed) % (ARRAY_SIZE(sizes))];

			n = len[op];
			if (prng(&seed) % 8 == 0)
				a += prng(&seed) % 64;
			dw[0] = TESSERA_CMD(op, prng(&seed) % 16 ? 0 :
					    prng(&seed) & 0xff, n);
			dw[1] = (u32)a;
			dw[2] = a >> 32;
			dw[3] = (u32)b;
			dw[4] = b >> 32;
			dw[5] = s;
			if (op == TESSERA_OP_FILL || op == TESSERA_OP_BATCH_CALL ||
			    op == TESSERA_OP_BATCH_JUMP)
				dw[3] = s;
			if (op == TESSERA_OP_FENCE)
				dw[0] |= (prng(&seed) % 4) << 16;
			if (op == TESSERA_OP_BUSY) {
				dw[1] = prng(&seed) % 2000000;
				dw[2] = prng(&seed) % 32 ? 0 : prng(&seed);
			}
			break;
		}
		}
		ASSERT_EQ(0, tess_ring_emit(r, dw, n));
		ASSERT_EQ(0, ring_go(r));
		st = tess_ring_wait_idle(r, 3000);
		if (st == -EFAULT) {
			faults++;
			tess_ringreg_wr(t, CTX_A, e, TESSERA_RING_HEAD, r->tail);
			tess_eng_wr(t, e, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
			ASSERT_EQ(0, tess_eng_start(t, e, CTX_A));
		} else if (st) {
			/* Stuck (a long BUSY, a self-jumping batch): reset. */
			resets++;
			ASSERT_EQ(0, tess_eng_reset(t, e));
			ASSERT_EQ(0, tess_eng_wait_state(t, e, TESSERA_ENG_STATE_STOPPED,
							 TMO_MS));
			tess_ringreg_wr(t, CTX_A, e, TESSERA_RING_HEAD, r->tail);
			ASSERT_EQ(r->tail, tess_ring_head(r));
		}
		/* Commands may have changed the GART window's pages: fine. */
		if (i % 50 == 49) {
			ASSERT_EQ(-1, model_check_sentinels(m)) TH_LOG("iteration %u", i);
			ASSERT_TRUE(out_pages_intact(&o)) TH_LOG("iteration %u", i);
		}
	}
	TH_LOG("%u iterations: %u faults, %u engine resets", iters, faults, resets);
	EXPECT_EQ(-1, model_check_sentinels(m));
	EXPECT_TRUE(out_pages_intact(&o));
	for (e = 0; e < t->engines; e++) {
		tess_eng_reset(t, e);
		ASSERT_EQ(0, tess_eng_wait_state(t, e, TESSERA_ENG_STATE_STOPPED, TMO_MS));
		ASSERT_EQ(0, tess_ring_set_pos(&m->a[e], 0));
		check_works(_metadata, m, &m->a[e], 0xf0220000 | e);
		tess_eng_reset(t, e);
		check_works(_metadata, m, &m->b[e], 0xf0230000 | e);
	}
	vfio_dma_free(&t->vfio, &o.buf);
}

TEST_HARNESS_MAIN
