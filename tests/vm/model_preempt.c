// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-gpu model: preemption. Mid-command preemption of long COPY,
 * FILL, AXPY, CHECKSUM and BUSY commands (in the ring and in a batch)
 * gives the result and the ENG_BUSY_NS charge of an unpreempted run;
 * preemption of a WAITING engine; context switches on one engine.
 */
#include "model-common.h"

#define SRC_VA		(DATA_VA)
#define DST_VA		(DATA_VA + 18 * MIB)
#define REF_VA		(DATA_VA + 36 * MIB)	/* 2 MiB: checksum refs */
#define BIG		(16u << 20)

static u32 ring_state(struct tess_ring *r)
{
	return tess_ringreg_rd(r->t, r->ctx, r->eng, TESSERA_RING_STATE);
}

/*
 * Start @r's engine and preempt it again and again, after @delay_us, until
 * its ring drains. Return: the number of preemptions that landed inside a
 * command (RING_STATE_MIDCMD), or a negative errno.
 */
static int preempt_until_done(struct tess_ring *r, unsigned int delay_us,
			      unsigned int max_rounds, unsigned int *rounds)
{
	struct tess_dev *t = r->t;
	unsigned int i;
	int mid = 0, st;

	for (i = 0; i < max_rounds; i++) {
		if (tess_eng_start(t, r->eng, r->ctx))
			return -EIO;
		if (delay_us)
			tess_sleep_us(delay_us);
		tess_eng_preempt(t, r->eng);
		st = tess_eng_wait_halted(t, r->eng, TMO_MS);
		if (st != TESSERA_ENG_STATE_STOPPED)
			return st < 0 ? st : -EFAULT;
		if (!(tess_eng_rd(t, r->eng, TESSERA_ENG_INT_STATUS) &
		      TESSERA_ENG_INT_PREEMPTED))
			return -EPROTO;
		tess_eng_wr(t, r->eng, TESSERA_ENG_INT_STATUS,
			    TESSERA_ENG_INT_ALL);
		if (ring_state(r) & TESSERA_RING_STATE_MIDCMD)
			mid++;
		else if (tess_ring_head(r) == r->tail)
			break;
		/* Back off a little now and then so that it does finish. */
		if (i % 4 == 3 && delay_us < 200000)
			delay_us = delay_us * 2 + 100;
	}
	*rounds = i + 1;
	return i == max_rounds ? -ETIMEDOUT : mid;
}

enum { P_COPY, P_FILL, P_AXPY, P_CHECKSUM, P_BUSY };

/* The mid-command tests run once per long opcode. */
FIXTURE(preempt) {
	struct model m;
};

FIXTURE_VARIANT(preempt) {
	unsigned int op;
};

FIXTURE_VARIANT_ADD(preempt, copy) { .op = P_COPY };
FIXTURE_VARIANT_ADD(preempt, fill) { .op = P_FILL };
FIXTURE_VARIANT_ADD(preempt, axpy) { .op = P_AXPY };
FIXTURE_VARIANT_ADD(preempt, checksum) { .op = P_CHECKSUM };
FIXTURE_VARIANT_ADD(preempt, busy) { .op = P_BUSY };

FIXTURE_SETUP(preempt)
{
	model_setup_or_skip(_metadata, &self->m);
}

FIXTURE_TEARDOWN(preempt)
{
	EXPECT_EQ(0, self->m.t.io_errors);
	model_release(&self->m);
}

static u32 emit_op(struct tess_ring *r, unsigned int op, u64 dst, u32 seed)
{
	switch (op) {
	case P_COPY:
		tess_emit_copy(r, dst, SRC_VA, BIG);
		return TESSERA_OP_COPY;
	case P_FILL:
		tess_emit_fill(r, dst, BIG, 0xf111f000 | seed);
		return TESSERA_OP_FILL;
	case P_AXPY:
		tess_emit_axpy(r, dst, SRC_VA, BIG / 4, 0x01000193 + seed);
		return TESSERA_OP_AXPY;
	case P_CHECKSUM:
		tess_emit_checksum(r, dst, SRC_VA + 1, BIG - 1);
		return TESSERA_OP_CHECKSUM;
	default:
		tess_emit_busy(r, 300000000ULL);
		return TESSERA_OP_BUSY;
	}
}

static u64 op_size(unsigned int op)
{
	switch (op) {
	case P_AXPY:
		return BIG / 4;
	case P_CHECKSUM:
		return BIG - 1;
	case P_BUSY:
		return 300000000ULL;
	default:
		return BIG;
	}
}

/*
 * A long command preempted many times mid-way gives exactly the result of
 * the same command run without preemption, and the same ENG_BUSY_NS.
 */
TEST_F_TIMEOUT(preempt, midcmd_identical, 900)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const unsigned int op = variant->op;
	const u64 ref = op == P_CHECKSUM ? REF_VA : DST_VA;
	const u64 dst = op == P_CHECKSUM ? REF_VA + 4 : DST_VA;
	unsigned int attempt, rounds = 0, hits = 0;
	u8 *src = NULL, *y0 = NULL, *want = NULL, *got = NULL;
	u32 hw_op = 0, h = 0;
	u64 b0, cost;
	int mid;

	if (op != P_BUSY) {
		src = malloc(BIG);
		y0 = malloc(BIG);
		want = malloc(BIG);
		got = malloc(BIG);
		ASSERT_TRUE(src && y0 && want && got);
		prng_fill(src, BIG, 0x5eed);
		prng_fill(y0, BIG, 0x5eee);
		ASSERT_EQ(0, tess_vram_write(t, a_vram(SRC_VA), src, BIG));
	}

	/* The reference: an unpreempted run (into DST, or REF for checksum). */
	if (op == P_AXPY || op == P_COPY || op == P_FILL)
		ASSERT_EQ(0, tess_vram_write(t, a_vram(DST_VA), y0, BIG));
	b0 = tess_eng_busy_ns(t, 0);
	hw_op = emit_op(r, op, ref, 1);
	ASSERT_RUN(r);
	cost = tessera_cmd_cost_ns(hw_op, op_size(op));
	EXPECT_EQ(cost, tess_eng_busy_ns(t, 0) - b0);
	if (op != P_BUSY)
		ASSERT_EQ(0, tess_vram_read(t, a_vram(ref), want,
					    op == P_CHECKSUM ? 4 : BIG));
	if (op == P_CHECKSUM) {
		memcpy(&h, want, 4);
		EXPECT_EQ(tess_fnv1a(src + 1, BIG - 1), h);
	}
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED, TMO_MS));

	/* Preempted runs, with growing delays until one lands mid-command. */
	for (attempt = 0; attempt < 6 && !hits; attempt++) {
		if (op == P_AXPY || op == P_COPY || op == P_FILL)
			ASSERT_EQ(0, tess_vram_write(t, a_vram(DST_VA), y0, BIG));
		if (op == P_CHECKSUM)
			tess_vram_wr32(t, a_vram(dst), 0);
		b0 = tess_eng_busy_ns(t, 0);
		emit_op(r, op, dst, 1);
		ASSERT_EQ(0, tess_ring_submit(r));
		mid = preempt_until_done(r, attempt ? 50u << attempt : 0,
					 op == P_BUSY ? 5000 : 2000, &rounds);
		ASSERT_LE(0, mid) TH_LOG("attempt %u: %s", attempt, strerror(-mid));
		hits += mid;
		TH_LOG("attempt %u: %u preemptions, %d mid-command", attempt,
		       rounds, mid);
		/* Resume to the end (a last START after the final STOPPED). */
		ASSERT_EQ(0, tess_eng_start(t, 0, CTX_A));
		ASSERT_IDLE(r);
		EXPECT_EQ(0, ring_state(r));
		EXPECT_EQ(cost, tess_eng_busy_ns(t, 0) - b0)
			TH_LOG("preempted run charged differently");
		if (op == P_BUSY) {
			/* nothing to compare */
		} else if (op == P_CHECKSUM) {
			EXPECT_EQ(h, tess_vram_rd32(t, a_vram(dst)));
		} else {
			ASSERT_EQ(0, tess_vram_read(t, a_vram(dst), got, BIG));
			EXPECT_EQ(0, memcmp(want, got, BIG));
		}
		ASSERT_EQ(0, tess_eng_preempt(t, 0));
		ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED,
						 TMO_MS));
	}
	EXPECT_LT(0, hits) TH_LOG("no preemption landed inside the command");

	/* Cross-check the reference itself against userspace. */
	if (op == P_COPY) {
		EXPECT_EQ(0, memcmp(src, want, BIG));
	} else if (op == P_FILL) {
		u32 v;

		memcpy(&v, want + BIG - 4, 4);
		EXPECT_EQ(0xf111f001, v);
	} else if (op == P_AXPY) {
		u32 i, *x = (u32 *)src, *y = (u32 *)y0, *w = (u32 *)want;

		for (i = 0; i < BIG / 4; i++)
			if (w[i] != 0x01000194 * x[i] + y[i])
				break;
		EXPECT_EQ(BIG / 4, i);
	}
	EXPECT_EQ(-1, model_check_sentinels(m));
	free(src);
	free(y0);
	free(want);
	free(got);
}

/* One long BUSY: preempt, check the saved state, resume. */
TEST_F_TIMEOUT(model, preempt_busy_state, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u64 ns = 2000000000ULL;
	u64 b0, t0, t1;
	u32 pos = r->tail, st;

	b0 = tess_eng_busy_ns(t, 0);
	t0 = tess_timestamp(t);
	ASSERT_EQ(0, tess_emit_busy(r, ns));
	ASSERT_EQ(0, tess_emit_fence(r, 0, 77, 0));
	ASSERT_EQ(0, ring_go(r));
	tess_sleep_us(100000);
	ASSERT_EQ(TESSERA_ENG_STATE_RUNNING, tess_eng_state(t, 0));
	/* START and ENG_CTX writes are ignored while RUNNING. */
	tess_eng_wr(t, 0, TESSERA_ENG_CTX, CTX_B);
	EXPECT_EQ(CTX_A, tess_eng_rd(t, 0, TESSERA_ENG_CTX));
	tess_eng_wr(t, 0, TESSERA_ENG_CTRL, TESSERA_ENG_CTRL_START);
	EXPECT_EQ(TESSERA_ENG_STATE_RUNNING, tess_eng_state(t, 0));
	EXPECT_NE(0, tess_ctx_rd(t, CTX_A, TESSERA_CTX_STATUS) &
		     TESSERA_CTX_STATUS_LOADED(0));
	/* Several bits at once: ignored. */
	tess_eng_wr(t, 0, TESSERA_ENG_CTRL,
		    TESSERA_ENG_CTRL_PREEMPT | TESSERA_ENG_CTRL_RESET);
	EXPECT_EQ(TESSERA_ENG_STATE_RUNNING, tess_eng_state(t, 0));

	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED, TMO_MS));
	st = tess_eng_rd(t, 0, TESSERA_ENG_STATUS);
	EXPECT_EQ(0, st & TESSERA_ENG_STATUS_PREEMPT_PENDING);
	EXPECT_NE(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS) &
		     TESSERA_ENG_INT_PREEMPTED);
	EXPECT_EQ(TESSERA_RING_STATE_MIDCMD, ring_state(r));
	EXPECT_EQ(pos, tess_ring_head(r));
	EXPECT_EQ(0, tess_ctx_rd(t, CTX_A, TESSERA_CTX_STATUS) &
		     TESSERA_CTX_STATUS_LOADED(0));
	EXPECT_NE(0, tess_ctx_rd(t, CTX_A, TESSERA_CTX_STATUS) &
		     TESSERA_CTX_STATUS_PENDING(0));
	EXPECT_LT(tess_eng_busy_ns(t, 0) - b0,
		  tessera_cmd_cost_ns(TESSERA_OP_BUSY, ns));
	/* While preempted, PREEMPT is ignored. */
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	tess_sleep_us(10000);
	EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(t, 0));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS));

	/* Another context runs on the engine meanwhile. */
	ASSERT_EQ(0, tess_emit_fill(&m->b[0], DATA_VA, 0x1000, 0xc0c0c0c0));
	ASSERT_RUN(&m->b[0]);
	EXPECT_EQ(-1, tess_vram_check32(t, b_vram(DATA_VA), 0x1000, 0xc0c0c0c0));
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED, TMO_MS));
	EXPECT_EQ(TESSERA_RING_STATE_MIDCMD, ring_state(r));

	/* Resume: the BUSY finishes, then the fence. */
	b0 += tessera_cmd_cost_ns(TESSERA_OP_BUSY, ns) +
	      tessera_cmd_cost_ns(TESSERA_OP_FENCE, 0) +
	      tessera_cmd_cost_ns(TESSERA_OP_FILL, 0x1000);
	ASSERT_EQ(0, tess_eng_start(t, 0, CTX_A));
	ASSERT_IDLE(r);
	t1 = tess_timestamp(t);
	EXPECT_EQ(0, ring_state(r));
	EXPECT_EQ(77, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_A, 0,
							TESSERA_RING_FENCE_LO)));
	EXPECT_EQ(b0, tess_eng_busy_ns(t, 0));
	EXPECT_GE(t1 - t0, ns - 50000);
}

/* Preemption inside a batch: MIDCMD | IN_BATCH, resumes in the batch. */
TEST_F_TIMEOUT(model, preempt_in_batch, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u64 b = DST_VA + 0x10000;
	u64 busy0, deadline;
	u32 c[16];
	unsigned int n = 0;

	n += tess_enc_busy(c + n, 1000000000ULL);
	n += tess_enc_fill(c + n, DST_VA, 256, 0xbbbbbbbb);
	n += tess_enc_batch_end(c + n);
	ASSERT_EQ(0, tess_vram_write(t, a_vram(b), c, n * 4));
	ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DST_VA), 512, 0));
	ASSERT_EQ(0, tess_emit_batch_call(r, b, n * 4));
	ASSERT_EQ(0, tess_emit_fill(r, DST_VA + 256, 256, 0xaaaaaaaa));
	busy0 = tess_eng_busy_ns(t, 0);
	ASSERT_EQ(0, ring_go(r));
	/*
	 * Preempt only once the engine is inside the batch's BUSY (it charges
	 * BUSY_NS as it goes): a fixed sleep races with a loaded host.
	 */
	deadline = tess_now_ms() + TMO_MS;
	while (tess_eng_busy_ns(t, 0) < busy0 + 2 * TESSERA_COST_ISSUE_NS +
	       TESSERA_PREEMPT_CHUNK_NS && tess_now_ms() < deadline)
		tess_sleep_us(1000);
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED, TMO_MS));
	EXPECT_EQ(TESSERA_RING_STATE_MIDCMD | TESSERA_RING_STATE_IN_BATCH,
		  ring_state(r));
	EXPECT_EQ(0, tess_ring_head(r));
	EXPECT_EQ(0, tess_vram_rd32(t, a_vram(DST_VA)));
	ASSERT_EQ(0, tess_eng_start(t, 0, CTX_A));
	ASSERT_IDLE(r);
	EXPECT_EQ(0, ring_state(r));
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA), 256, 0xbbbbbbbb));
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DST_VA + 256), 256, 0xaaaaaaaa));
}

/* PREEMPT of a WAITING engine stops it at once; of a FAULTED one: ignored. */
TEST_F_TIMEOUT(model, preempt_waiting_and_faulted, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	u32 bad;

	ASSERT_EQ(0, tess_emit_nop(r, 1));
	ASSERT_RUN(r);
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED, TMO_MS));
	EXPECT_EQ(TESSERA_ENG_INT_PREEMPTED, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS));
	EXPECT_EQ(0, ring_state(r));

	/* A fault, then PREEMPT: still FAULTED, no PREEMPTED. */
	bad = TESSERA_CMD(0x55, 0, 1);
	ASSERT_EQ(0, tess_ring_emit(r, &bad, 1));
	ASSERT_EQ(0, ring_go(r));
	ASSERT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_wait_halted(t, 0, TMO_MS));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	tess_sleep_us(10000);
	EXPECT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_state(t, 0));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS) &
		     TESSERA_ENG_INT_PREEMPTED);
	ASSERT_EQ(0, tess_eng_reset(t, 0));
}

/* Writing RING_HEAD discards saved progress: the command starts over. */
TEST_F_TIMEOUT(model, head_write_discards_progress, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const u64 ns = 400000000ULL;
	u64 b0, partial;
	u32 pos = r->tail;

	b0 = tess_eng_busy_ns(t, 0);
	ASSERT_EQ(0, tess_emit_busy(r, ns));
	ASSERT_EQ(0, ring_go(r));
	tess_sleep_us(100000);
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED, TMO_MS));
	ASSERT_EQ(TESSERA_RING_STATE_MIDCMD, ring_state(r));
	partial = tess_eng_busy_ns(t, 0) - b0;
	EXPECT_GT(partial, 0);
	tess_ringreg_wr(t, CTX_A, 0, TESSERA_RING_HEAD, pos);
	EXPECT_EQ(0, ring_state(r));
	ASSERT_EQ(0, tess_eng_start(t, 0, CTX_A));
	ASSERT_IDLE(r);
	EXPECT_EQ(partial + tessera_cmd_cost_ns(TESSERA_OP_BUSY, ns),
		  tess_eng_busy_ns(t, 0) - b0);
}

TEST_HARNESS_MAIN
