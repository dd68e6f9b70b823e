// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-gpu model: every command's result, GART translation, batches,
 * ring wrap-around, the timing model (ENG_BUSY_NS, TIMESTAMP).
 */
#include "model-common.h"

#define SRC_VA		(DATA_VA)
#define DST_VA		(DATA_VA + 8 * MIB)
#define AUX_VA		(DATA_VA + 16 * MIB)
#define GUARD		64

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		abort();
	return p;
}

/* Read @len bytes at VRAM offset @off and compare them with @want. */
static long vram_diff(struct tess_dev *t, u64 off, const void *want,
		      size_t len)
{
	u8 *got = xmalloc(len);
	long bad = -1;
	size_t i;

	if (tess_vram_read(t, off, got, len)) {
		free(got);
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (got[i] != ((const u8 *)want)[i]) {
			bad = (long)i;
			break;
		}
	}
	free(got);
	return bad;
}

/* Copy @len bytes of context A's GART window, from @va, out of sysmem. */
static void gart_gather(struct model *m, u64 va, void *buf, size_t len)
{
	u64 off = va - TESSERA_VA_GART;
	u8 *p = buf;

	while (len) {
		u64 in = off & (PAGE - 1);
		size_t n = PAGE - in < len ? PAGE - in : len;

		memcpy(p, sys_ptr(m, off / PAGE, in), n);
		p += n;
		off += n;
		len -= n;
	}
}

static void gart_scatter(struct model *m, u64 va, const void *buf, size_t len)
{
	u64 off = va - TESSERA_VA_GART;
	const u8 *p = buf;

	while (len) {
		u64 in = off & (PAGE - 1);
		size_t n = PAGE - in < len ? PAGE - in : len;

		memcpy(sys_ptr(m, off / PAGE, in), p, n);
		p += n;
		off += n;
		len -= n;
	}
}

TEST_F_TIMEOUT(model, nop_and_fence, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u64 v1 = 0x1111222233334444ULL, v2 = 0xfeedface00c0ffeeULL;
	const u64 v3 = 0x0123456789abcdefULL;
	u64 got;

	ASSERT_EQ(0, tess_emit_nop(r, 1));
	ASSERT_EQ(0, tess_emit_nop(r, 7));
	ASSERT_EQ(0, tess_emit_fence(r, 0, v1, 0));
	ASSERT_RUN(r);
	EXPECT_EQ(v1, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_A, 0,
							TESSERA_RING_FENCE_LO)));
	EXPECT_EQ(v1, tess_rd64(t, TESSERA_ENG_REG(0, TESSERA_ENG_FENCE_LO)));
	EXPECT_EQ(CTX_A, tess_eng_rd(t, 0, TESSERA_ENG_FENCE_CTX));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS) &
		     TESSERA_ENG_INT_FENCE);
	/* Entering WAITING raised IDLE. */
	EXPECT_NE(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS) &
		     TESSERA_ENG_INT_IDLE);
	EXPECT_EQ(TESSERA_ENG_STATE_WAITING, tess_eng_state(t, 0));
	EXPECT_NE(0, tess_ctx_rd(t, CTX_A, TESSERA_CTX_STATUS) &
		     TESSERA_CTX_STATUS_LOADED(0));
	EXPECT_EQ(0, tess_ctx_rd(t, CTX_A, TESSERA_CTX_STATUS) &
		     TESSERA_CTX_STATUS_PENDING(0));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS));

	/* FENCE_WRITE to VRAM, FENCE_WRITE | FENCE_IRQ to system memory. */
	tess_vram_fill32(t, a_vram(DST_VA), 32, 0);
	ASSERT_EQ(0, tess_emit_fence(r, TESSERA_FENCE_WRITE, v2, DST_VA + 8));
	ASSERT_EQ(0, tess_emit_fence(r, TESSERA_FENCE_WRITE | TESSERA_FENCE_IRQ,
				     v3, tess_gart_va(3, 0x10)));
	ASSERT_RUN(r);
	EXPECT_EQ(v2, tess_vram_rd64(t, a_vram(DST_VA + 8)));
	EXPECT_EQ(0, tess_vram_rd64(t, a_vram(DST_VA)));
	EXPECT_EQ(0, tess_vram_rd64(t, a_vram(DST_VA + 16)));
	memcpy(&got, sys_ptr(m, 3, 0x10), 8);
	EXPECT_EQ(v3, got);
	EXPECT_EQ(v3, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_A, 0,
							TESSERA_RING_FENCE_LO)));
	EXPECT_NE(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS) &
		     TESSERA_ENG_INT_FENCE);
	/* Nothing else was written in the sysmem page. */
	memcpy(&got, sys_ptr(m, 3, 0x8), 8);
	EXPECT_EQ(0, got);
	memcpy(&got, sys_ptr(m, 3, 0x18), 8);
	EXPECT_EQ(0, got);
	EXPECT_EQ(-1, model_check_sentinels(m));
}

TEST_F_TIMEOUT(model, copy_vram_to_vram, TEST_TIMEOUT_S)
{
	static const struct { u64 soff, doff; u32 len; } cases[] = {
		{ 0, 0, 4 },
		{ 3, 7, 12345 },
		{ 4096, 8192, 1 << 20 },
		{ 1, 0, 1 },
	};
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 len = cases[i].len;
		u64 src = SRC_VA + cases[i].soff, dst = DST_VA + cases[i].doff;
		u8 *data = xmalloc(len);
		long bad;

		prng_fill(data, len, 100 + i);
		ASSERT_EQ(0, tess_vram_write(t, a_vram(src), data, len));
		ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DST_VA), 2 * MIB, 0xcdcdcdcd));
		ASSERT_EQ(0, tess_emit_copy(r, dst, src, len));
		TH_LOG("case %u", i);
		ASSERT_RUN(r);
		bad = vram_diff(t, a_vram(dst), data, len);
		EXPECT_EQ(-1, bad) TH_LOG("case %u: byte %ld differs", i, bad);
		/* Nothing written around the destination. */
		memset(data, 0xcd, len < GUARD ? len : GUARD);
		if (cases[i].doff >= GUARD)
			EXPECT_EQ(-1, vram_diff(t, a_vram(dst - GUARD), data, GUARD));
		EXPECT_EQ(-1, vram_diff(t, a_vram(dst + len), data,
					len < GUARD ? len : GUARD))
			TH_LOG("case %u: written past the end", i);
		free(data);
	}
	EXPECT_EQ(-1, model_check_sentinels(m));
}

/* VRAM -> system memory -> VRAM through several non-contiguous GART pages. */
TEST_F_TIMEOUT(model, copy_through_gart, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[1];
	const u32 len = 5 * PAGE - 0x300;
	const u64 gva = tess_gart_va(2, 0x234);
	const u64 gva2 = tess_gart_va(20, 0x10);
	u8 *data = xmalloc(len), *back = xmalloc(len);
	long bad;

	/* The pages really are scattered. */
	ASSERT_NE(sys_perm(2) + 1, sys_perm(3));
	memset(m->sys.vaddr, 0xee, m->sys.size);
	prng_fill(data, len, 7);
	ASSERT_EQ(0, tess_vram_write(t, a_vram(SRC_VA), data, len));

	ASSERT_EQ(0, tess_emit_copy(r, gva, SRC_VA, len));
	ASSERT_RUN(r);
	gart_gather(m, gva, back, len);
	EXPECT_EQ(0, memcmp(data, back, len));
	/* Bytes around the destination in the first and last page intact. */
	EXPECT_EQ(0xee, *(u8 *)sys_ptr(m, 2, 0x233));
	EXPECT_EQ(0xee, *(u8 *)sys_ptr(m, 6, 0x234 + len - 4 * PAGE));

	/* System memory -> system memory (GART to GART). */
	ASSERT_EQ(0, tess_emit_copy(r, gva2, gva, len));
	ASSERT_RUN(r);
	memset(back, 0, len);
	gart_gather(m, gva2, back, len);
	EXPECT_EQ(0, memcmp(data, back, len));

	/* System memory -> VRAM. */
	prng_fill(data, len, 8);
	gart_scatter(m, gva, data, len);
	ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DST_VA), len + GUARD + 4, 0));
	ASSERT_EQ(0, tess_emit_copy(r, DST_VA, gva, len));
	ASSERT_RUN(r);
	bad = vram_diff(t, a_vram(DST_VA), data, len);
	EXPECT_EQ(-1, bad) TH_LOG("byte %ld differs", bad);
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA + len), GUARD, 0));
	EXPECT_EQ(-1, model_check_sentinels(m));
	free(data);
	free(back);
}

TEST_F_TIMEOUT(model, fill, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[2 % m->t.engines];
	const u64 gva = tess_gart_va(9, 0xff8);
	const u32 glen = 3 * PAGE;
	u32 *g = xmalloc(glen), i;

	ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DST_VA), 2 * MIB, 0));
	ASSERT_EQ(0, tess_emit_fill(r, DST_VA + 4, 4, 0x11111111));
	ASSERT_EQ(0, tess_emit_fill(r, DST_VA + 64, 12340, 0xa1b2c3d4));
	ASSERT_EQ(0, tess_emit_fill(r, DST_VA + MIB, MIB, 0x5a5a0001));
	ASSERT_EQ(0, tess_emit_fill(r, DST_VA + 32, 0, 0xffffffff));
	ASSERT_EQ(0, tess_emit_fill(r, gva, glen, 0x600df00d));
	ASSERT_RUN(r);

	EXPECT_EQ(0, tess_vram_rd32(t, a_vram(DST_VA)));
	EXPECT_EQ(0x11111111, tess_vram_rd32(t, a_vram(DST_VA + 4)));
	EXPECT_EQ(0, tess_vram_rd32(t, a_vram(DST_VA + 8)));
	EXPECT_EQ(0, tess_vram_rd32(t, a_vram(DST_VA + 32)));
	EXPECT_EQ(0, tess_vram_rd32(t, a_vram(DST_VA + 60)));
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA + 64), 12340,
					0xa1b2c3d4));
	EXPECT_EQ(0, tess_vram_rd32(t, a_vram(DST_VA + 64 + 12340)));
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA + MIB), MIB,
					0x5a5a0001));
	gart_gather(m, gva, g, glen);
	for (i = 0; i < glen / 4; i++)
		if (g[i] != 0x600df00d)
			break;
	EXPECT_EQ(glen / 4, i);
	EXPECT_EQ(0, *(u32 *)sys_ptr(m, 9, 0xff4));
	EXPECT_EQ(0, *(u32 *)sys_ptr(m, 12, 0xff8));
	EXPECT_EQ(-1, model_check_sentinels(m));
	free(g);
}

TEST_F_TIMEOUT(model, axpy, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u32 n = 30001, a = 0x9e3779b9, gn = 2000;
	const u64 gy = tess_gart_va(30, 0x100);
	u32 *x = xmalloc(n * 4), *y = xmalloc(n * 4), *want = xmalloc(n * 4);
	u32 *got = xmalloc(n * 4), i;

	ASSERT_GT(t->compute, 0);
	prng_fill(x, n * 4, 21);
	prng_fill(y, n * 4, 22);
	for (i = 0; i < n; i++)
		want[i] = a * x[i] + y[i];
	ASSERT_EQ(0, tess_vram_write(t, a_vram(SRC_VA), x, n * 4));
	ASSERT_EQ(0, tess_vram_write(t, a_vram(DST_VA), y, n * 4));
	tess_vram_wr32(t, a_vram(DST_VA + n * 4), 0x77777777);
	ASSERT_EQ(0, tess_emit_axpy(r, DST_VA, SRC_VA, n, a));
	/* y in system memory, x in VRAM. */
	gart_scatter(m, gy, y, gn * 4);
	ASSERT_EQ(0, tess_emit_axpy(r, gy, SRC_VA, gn, a));
	ASSERT_EQ(0, tess_emit_axpy(r, DST_VA + 4 * MIB, SRC_VA, 0, 5));
	ASSERT_RUN(r);
	ASSERT_EQ(0, tess_vram_read(t, a_vram(DST_VA), got, n * 4));
	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			break;
	EXPECT_EQ(n, i) TH_LOG("y[%u] = 0x%08x, want 0x%08x", i,
			       i < n ? got[i] : 0, i < n ? want[i] : 0);
	EXPECT_EQ(0x77777777, tess_vram_rd32(t, a_vram(DST_VA + n * 4)));
	gart_gather(m, gy, got, gn * 4);
	EXPECT_EQ(0, memcmp(got, want, gn * 4));
	EXPECT_EQ(-1, model_check_sentinels(m));
	free(x);
	free(y);
	free(want);
	free(got);
}

TEST_F_TIMEOUT(model, checksum, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u32 n = 100001, gn = 3 * PAGE - 5;
	const u64 gsrc = tess_gart_va(40, 0x5);
	u8 *data = xmalloc(n);

	prng_fill(data, n, 33);
	ASSERT_EQ(0, tess_vram_write(t, a_vram(SRC_VA + 1), data, n));
	ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DST_VA), 64, 0xabababab));
	gart_scatter(m, gsrc, data + 17, gn);
	ASSERT_EQ(0, tess_emit_checksum(r, DST_VA + 4, SRC_VA + 1, n));
	ASSERT_EQ(0, tess_emit_checksum(r, DST_VA + 8, gsrc, gn));
	ASSERT_EQ(0, tess_emit_checksum(r, tess_gart_va(50, 0x40), SRC_VA + 1, 1));
	ASSERT_RUN(r);
	EXPECT_EQ(tess_fnv1a(data, n), tess_vram_rd32(t, a_vram(DST_VA + 4)));
	EXPECT_EQ(tess_fnv1a(data + 17, gn), tess_vram_rd32(t, a_vram(DST_VA + 8)));
	EXPECT_EQ(tess_fnv1a(data, 1), *(u32 *)sys_ptr(m, 50, 0x40));
	/* Check the userspace FNV-1a itself against a known vector. */
	EXPECT_EQ(0xe40c292cu, tess_fnv1a("a", 1));
	EXPECT_EQ(TESSERA_FNV1A_INIT, tess_fnv1a("", 0));
	EXPECT_EQ(0xabababab, tess_vram_rd32(t, a_vram(DST_VA)));
	EXPECT_EQ(0xabababab, tess_vram_rd32(t, a_vram(DST_VA + 12)));
	free(data);
}

/* BATCH_CALL / BATCH_JUMP / BATCH_END, batches in VRAM and in sysmem. */
TEST_F_TIMEOUT(model, batches, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u64 b1 = AUX_VA, b2 = AUX_VA + 0x3000, b3 = AUX_VA + 0x5000;
	const u64 gb = tess_gart_va(60, 0);
	u32 c1[32], c2[32], c3[32], c4[32];
	unsigned int n1 = 0, n2 = 0, n3 = 0, n4 = 0;

	ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DST_VA), 0x4000, 0));
	/* b1: fill d0, jump to b2; what follows the jump never runs. */
	n1 += tess_enc_fill(c1 + n1, DST_VA, 256, 0x11111111);
	n1 += tess_enc_batch_jump(c1 + n1, b2, 0);	/* patched below */
	n1 += tess_enc_fill(c1 + n1, DST_VA + 0x1000, 256, 0xbad00001);
	/* b2: fill d1, end; what follows the end never runs. */
	n2 += tess_enc_fill(c2 + n2, DST_VA + 0x400, 256, 0x22222222);
	n2 += tess_enc_batch_end(c2 + n2);
	n2 += tess_enc_fill(c2 + n2, DST_VA + 0x1000, 256, 0xbad00002);
	c1[TESSERA_FILL_LEN + 3] = n2 * 4;
	/* b3: no BATCH_END, ends with its range. */
	n3 += tess_enc_fill(c3 + n3, DST_VA + 0x800, 256, 0x33333333);
	n3 += tess_enc_nop(c3 + n3, 2);
	/* gb: a batch in system memory. */
	n4 += tess_enc_fill(c4 + n4, DST_VA + 0xc00, 256, 0x44444444);
	n4 += tess_enc_fence(c4 + n4, TESSERA_FENCE_WRITE, 0x4444, DST_VA + 0xd00);
	n4 += tess_enc_batch_end(c4 + n4);
	ASSERT_EQ(0, tess_vram_write(t, a_vram(b1), c1, n1 * 4));
	ASSERT_EQ(0, tess_vram_write(t, a_vram(b2), c2, n2 * 4));
	ASSERT_EQ(0, tess_vram_write(t, a_vram(b3), c3, n3 * 4));
	memcpy(sys_ptr(m, 60, 0), c4, n4 * 4);

	ASSERT_EQ(0, tess_emit_batch_call(r, b1, n1 * 4));
	ASSERT_EQ(0, tess_emit_fence(r, 0, 1, 0));
	ASSERT_EQ(0, tess_emit_batch_call(r, b3, n3 * 4));
	ASSERT_EQ(0, tess_emit_batch_call(r, gb, n4 * 4));
	ASSERT_EQ(0, tess_emit_fence(r, TESSERA_FENCE_WRITE, 2, DST_VA + 0xe00));
	ASSERT_RUN(r);

	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA), 256, 0x11111111));
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA + 0x400), 256, 0x22222222));
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA + 0x800), 256, 0x33333333));
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA + 0xc00), 256, 0x44444444));
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA + 0x1000), 256, 0));
	EXPECT_EQ(0x4444, tess_vram_rd64(t, a_vram(DST_VA + 0xd00)));
	EXPECT_EQ(2, tess_vram_rd64(t, a_vram(DST_VA + 0xe00)));
	EXPECT_EQ(0, tess_ringreg_rd(t, CTX_A, 0, TESSERA_RING_STATE));
	EXPECT_EQ(2, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_A, 0,
						       TESSERA_RING_FENCE_LO)));
}

/* Commands wrap around the end of the ring, many times over. */
TEST_F_TIMEOUT(model, ring_wrap_around, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring r;
	unsigned int round, i;
	u64 val = 0;

	/* A minimum-size ring in context B, engine 0. */
	ASSERT_EQ(0, tess_ring_init(t, &r, CTX_B, 0, 0x80000, TESSERA_RING_MIN_SIZE));
	ASSERT_EQ(0, tess_vram_fill32(t, b_vram(DATA_VA), 0x10000, 0));
	/* Start two dwords before the end: the FILL straddles it. */
	ASSERT_EQ(0, tess_ring_set_pos(&r, TESSERA_RING_MIN_SIZE - 8));
	ASSERT_EQ(0, tess_emit_fill(&r, DATA_VA, 64, 0x0b0b0b0b));
	ASSERT_RUN(&r);
	EXPECT_EQ(-1, tess_vram_check32(t, b_vram(DATA_VA), 64, 0x0b0b0b0b));
	EXPECT_EQ(12, tess_ring_head(&r));

	/* 1000 commands: the ring wraps about seven times. */
	for (round = 0; round < 10; round++) {
		for (i = 0; i < 100; i++) {
			int ret;

			val++;
			if (i % 10 == 9)
				ret = tess_emit_fill(&r, DATA_VA + 0x1000 + val * 4,
						     4, (u32)val);
			else
				ret = tess_emit_fence(&r, TESSERA_FENCE_WRITE, val,
						      DATA_VA + 0x8000 + (val % 64) * 8);
			ASSERT_EQ(0, ret);
			/* Keep a little room: flush when the ring fills. */
			if ((i & 31) == 31)
				ASSERT_RUN(&r);
		}
		ASSERT_RUN(&r);
	}
	for (val = 1; val <= 1000; val++) {
		if ((val - 1) % 10 == 9)
			EXPECT_EQ((u32)val, tess_vram_rd32(t, b_vram(DATA_VA + 0x1000 + val * 4)));
	}
	EXPECT_EQ(999, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_B, 0,
							 TESSERA_RING_FENCE_LO)));
	EXPECT_EQ(999, tess_vram_rd64(t, b_vram(DATA_VA + 0x8000 + (999 % 64) * 8)));
	EXPECT_EQ(-1, model_check_sentinels(m));
}

/* Every engine at once, two contexts; the copy engine does its ops. */
TEST_F_TIMEOUT(model, all_engines_together, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	unsigned int e;

	ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DST_VA), 2 * MIB, 0));
	ASSERT_EQ(0, tess_vram_fill32(t, b_vram(DATA_VA), 2 * MIB, 0));
	for (e = 0; e < t->engines; e++) {
		u64 d = DST_VA + e * 0x40000;

		ASSERT_EQ(0, tess_emit_fill(&m->a[e], d, 0x20000, 0xe0e00000 | e));
		ASSERT_EQ(0, tess_emit_copy(&m->a[e], d + 0x20000, d, 0x20000));
		ASSERT_EQ(0, tess_emit_busy(&m->a[e], 100000));
		ASSERT_EQ(0, tess_emit_fence(&m->a[e], 0, 100 + e, 0));
		ASSERT_EQ(0, tess_emit_fill(&m->b[e], DATA_VA + e * 0x1000, 0x1000,
					    0xb0b00000 | e));
		ASSERT_EQ(0, tess_emit_fence(&m->b[e], 0, 200 + e, 0));
	}
	for (e = 0; e < t->engines; e++)
		ASSERT_EQ(0, ring_go(&m->a[e]));
	for (e = 0; e < t->engines; e++) {
		ASSERT_IDLE(&m->a[e]);
		/* Context B on the same engines afterwards. */
		ASSERT_EQ(TESSERA_ENG_STATE_WAITING, tess_eng_state(t, e));
		ASSERT_EQ(0, tess_eng_preempt(t, e));
		ASSERT_EQ(0, tess_eng_wait_state(t, e, TESSERA_ENG_STATE_STOPPED, TMO_MS));
		ASSERT_EQ(0, ring_go(&m->b[e]));
	}
	for (e = 0; e < t->engines; e++) {
		u64 d = DST_VA + e * 0x40000;

		ASSERT_IDLE(&m->b[e]);
		EXPECT_EQ(-1, tess_vram_check32(t, a_vram(d), 0x40000, 0xe0e00000 | e));
		EXPECT_EQ(-1, tess_vram_check32(t, b_vram(DATA_VA + e * 0x1000), 0x1000,
						0xb0b00000 | e));
		EXPECT_EQ(100 + e,
			  tess_rd64(t, TESSERA_CTX_RING_REG(CTX_A, e, TESSERA_RING_FENCE_LO)));
		EXPECT_EQ(200 + e,
			  tess_rd64(t, TESSERA_CTX_RING_REG(CTX_B, e, TESSERA_RING_FENCE_LO)));
		EXPECT_EQ(200 + e, tess_rd64(t, TESSERA_ENG_REG(e, TESSERA_ENG_FENCE_LO)));
		EXPECT_EQ(CTX_B, tess_eng_rd(t, e, TESSERA_ENG_FENCE_CTX));
	}
	EXPECT_EQ(-1, model_check_sentinels(m));
}

/* ENG_BUSY_NS accumulates exactly tessera_cmd_cost_ns() of each command. */
TEST_F_TIMEOUT(model, busy_ns_accounting, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	u64 before, other = 0, want;

	before = tess_eng_busy_ns(t, 0);
	if (t->engines > 1)
		other = tess_eng_busy_ns(t, 1);
	want = tessera_cmd_cost_ns(TESSERA_OP_NOP, 0) +
	       tessera_cmd_cost_ns(TESSERA_OP_FENCE, 0) +
	       tessera_cmd_cost_ns(TESSERA_OP_COPY, 12345) +
	       tessera_cmd_cost_ns(TESSERA_OP_FILL, 4100) +
	       tessera_cmd_cost_ns(TESSERA_OP_AXPY, 1000) +
	       tessera_cmd_cost_ns(TESSERA_OP_CHECKSUM, 777) +
	       tessera_cmd_cost_ns(TESSERA_OP_BUSY, 12345);
	ASSERT_EQ(0, tess_emit_nop(r, 3));
	ASSERT_EQ(0, tess_emit_fence(r, 0, 5, 0));
	ASSERT_EQ(0, tess_emit_copy(r, DST_VA, SRC_VA, 12345));
	ASSERT_EQ(0, tess_emit_fill(r, DST_VA + 0x10000, 4100, 1));
	ASSERT_EQ(0, tess_emit_axpy(r, DST_VA + 0x20000, SRC_VA, 1000, 3));
	ASSERT_EQ(0, tess_emit_checksum(r, DST_VA + 0x30000, SRC_VA, 777));
	ASSERT_EQ(0, tess_emit_busy(r, 12345));
	ASSERT_RUN(r);
	EXPECT_EQ(want, tess_eng_busy_ns(t, 0) - before);
	/* Another engine was not charged. */
	if (t->engines > 1)
		EXPECT_EQ(other, tess_eng_busy_ns(t, 1));
}

/* BUSY of N ns: ENG_BUSY_NS grows by exactly its cost; device time >= N - slack. */
TEST_F_TIMEOUT(model, busy_device_time, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u64 ns = 200000000ULL;	/* 200 ms */
	const u64 slack = 50000ULL;
	u64 b0, t0, t1, b1;

	b0 = tess_eng_busy_ns(t, 0);
	ASSERT_EQ(0, tess_emit_busy(r, ns));
	t0 = tess_timestamp(t);
	ASSERT_RUN(r);
	t1 = tess_timestamp(t);
	b1 = tess_eng_busy_ns(t, 0);
	EXPECT_EQ(tessera_cmd_cost_ns(TESSERA_OP_BUSY, ns), b1 - b0);
	EXPECT_GE(t1 - t0, ns - slack) TH_LOG("device time %llu ns for BUSY %llu",
					      (unsigned long long)(t1 - t0),
					      (unsigned long long)ns);
	/* Generous: behaviour, not speed. */
	EXPECT_LT(t1 - t0, ns + 15000000000ULL);
}

/* Zero-size operands are valid no-ops. */
TEST_F_TIMEOUT(model, zero_sizes, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];

	ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DST_VA), 64, 0x99999999));
	ASSERT_EQ(0, tess_emit_copy(r, DST_VA, SRC_VA, 0));
	ASSERT_EQ(0, tess_emit_fill(r, DST_VA, 0, 0));
	ASSERT_EQ(0, tess_emit_axpy(r, DST_VA, SRC_VA, 0, 7));
	ASSERT_EQ(0, tess_emit_fence(r, 0, 9, 0));
	ASSERT_RUN(r);
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA), 64, 0x99999999));
	EXPECT_EQ(9, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_A, 0,
						       TESSERA_RING_FENCE_LO)));
}

TEST_HARNESS_MAIN
