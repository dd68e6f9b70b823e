// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-gpu model: MSI-X interrupts (engine vectors, global doorbell
 * vector) through VFIO eventfds, doorbells through BAR4, engine reset and
 * device reset (REG_RESET and VFIO_DEVICE_RESET, i.e. FLR).
 */
#include <sys/ioctl.h>
#include <linux/pci_regs.h>

#include "model-common.h"

#define IRQ_WAIT_MS	TMO_MS
#define NO_IRQ_MS	500	/* how long "no interrupt" is watched */

static int msix_on(struct model *m)
{
	return vfio_irq_enable(&m->t.vfio, VFIO_PCI_MSIX_IRQ_INDEX,
			       TESSERA_MSIX_VECTOR_ENGINE(m->t.engines - 1) + 1);
}

static void drain_all(struct model *m)
{
	unsigned int v;

	for (v = 0; v < m->t.vfio.nr_irqfds; v++)
		vfio_irq_drain(&m->t.vfio, v);
}

/* FENCE_IRQ fires the engine's vector; W1C re-arms it; the mask gates it. */
TEST_F_TIMEOUT(model, fence_irq_vectors, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	unsigned int e, v;

	ASSERT_EQ(0, msix_on(m));
	for (e = 0; e < t->engines; e++) {
		struct tess_ring *r = &m->a[e];
		unsigned int vec = TESSERA_MSIX_VECTOR_ENGINE(e);

		TH_LOG("engine %u", e);
		tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(e));
		tess_eng_wr(t, e, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
		drain_all(m);
		ASSERT_EQ(0, tess_emit_fence(r, TESSERA_FENCE_IRQ, 10 + e, 0));
		ASSERT_RUN(r);
		EXPECT_LT(0, vfio_irq_wait(&t->vfio, vec, IRQ_WAIT_MS));
		EXPECT_NE(0, tess_eng_rd(t, e, TESSERA_ENG_INT_STATUS) &
			     TESSERA_ENG_INT_FENCE);
		EXPECT_EQ(TESSERA_INT_ENGINE(e), tess_rd32(t, TESSERA_REG_INT_STATUS));
		/* No other vector fired. */
		for (v = 0; v < t->vfio.nr_irqfds; v++)
			if (v != vec)
				EXPECT_EQ(0, vfio_irq_drain(&t->vfio, v))
					TH_LOG("vector %u", v);

		/* Acknowledge; the next fence fires again. */
		tess_eng_wr(t, e, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
		EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_STATUS));
		ASSERT_EQ(0, tess_emit_fence(r, TESSERA_FENCE_IRQ, 20 + e, 0));
		ASSERT_RUN(r);
		EXPECT_LT(0, vfio_irq_wait(&t->vfio, vec, IRQ_WAIT_MS));
		tess_eng_wr(t, e, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);

		/* A fence without FENCE_IRQ does not fire. */
		ASSERT_EQ(0, tess_emit_fence(r, 0, 30 + e, 0));
		ASSERT_RUN(r);
		EXPECT_EQ(-ETIMEDOUT, vfio_irq_wait(&t->vfio, vec, NO_IRQ_MS));

		/* Masked out: the status bit is set, no interrupt. */
		tess_eng_wr(t, e, TESSERA_ENG_INT_MASK, 0);
		ASSERT_EQ(0, tess_emit_fence(r, TESSERA_FENCE_IRQ, 40 + e, 0));
		ASSERT_RUN(r);
		EXPECT_NE(0, tess_eng_rd(t, e, TESSERA_ENG_INT_STATUS) &
			     TESSERA_ENG_INT_FENCE);
		EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_STATUS));
		EXPECT_EQ(-ETIMEDOUT, vfio_irq_wait(&t->vfio, vec, NO_IRQ_MS));
		tess_eng_wr(t, e, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);

		/* Not enabled in REG_INT_ENABLE: no interrupt either. */
		tess_eng_wr(t, e, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
		tess_wr32(t, TESSERA_REG_INT_ENABLE, 0);
		ASSERT_EQ(0, tess_emit_fence(r, TESSERA_FENCE_IRQ, 50 + e, 0));
		ASSERT_RUN(r);
		EXPECT_EQ(TESSERA_INT_ENGINE(e), tess_rd32(t, TESSERA_REG_INT_STATUS));
		EXPECT_EQ(-ETIMEDOUT, vfio_irq_wait(&t->vfio, vec, NO_IRQ_MS));
		tess_eng_wr(t, e, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
		tess_eng_wr(t, e, TESSERA_ENG_INT_MASK, 0);
	}
}

/* IDLE, FAULT and PREEMPTED raise the engine vector when masked in. */
TEST_F_TIMEOUT(model, other_engine_irqs, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	const unsigned int vec = TESSERA_MSIX_VECTOR_ENGINE(0);
	u32 bad = TESSERA_CMD(0x66, 0, 1);

	ASSERT_EQ(0, msix_on(m));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));

	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_IDLE);
	ASSERT_EQ(0, tess_emit_nop(r, 1));
	ASSERT_RUN(r);
	EXPECT_LT(0, vfio_irq_wait(&t->vfio, vec, IRQ_WAIT_MS)) TH_LOG("IDLE");
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);

	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_PREEMPTED);
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	EXPECT_LT(0, vfio_irq_wait(&t->vfio, vec, IRQ_WAIT_MS)) TH_LOG("PREEMPTED");
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED, TMO_MS));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);

	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FAULT);
	ASSERT_EQ(0, tess_ring_emit(r, &bad, 1));
	ASSERT_EQ(0, ring_go(r));
	EXPECT_LT(0, vfio_irq_wait(&t->vfio, vec, IRQ_WAIT_MS)) TH_LOG("FAULT");
	EXPECT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_wait_halted(t, 0, TMO_MS));
	EXPECT_NE(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS) &
		     TESSERA_ENG_INT_FAULT);
	/* Engine reset clears ENG_INT_STATUS (and so the summary). */
	ASSERT_EQ(0, tess_eng_reset(t, 0));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_STATUS));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, 0);
}

/* A doorbell for a loaded context is picked up by the engine directly. */
TEST_F_TIMEOUT(model, doorbell_loaded_context, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0];
	unsigned int n;

	ASSERT_EQ(0, msix_on(m));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_DOORBELL);
	ASSERT_EQ(0, tess_eng_start(t, 0, CTX_A));
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_WAITING, TMO_MS));
	drain_all(m);

	/* WAITING: the doorbell wakes it. */
	ASSERT_EQ(0, tess_emit_fill(r, DATA_VA, 0x1000, 0xd00bd00b));
	ASSERT_EQ(0, tess_emit_fence(r, 0, 0xd1, 0));
	ASSERT_EQ(0, tess_ring_kick(r));
	EXPECT_EQ(r->tail, tess_db_read(t, CTX_A, 0));
	ASSERT_EQ(0, tess_ring_wait_fence(r, 0xd1, TMO_MS));
	ASSERT_IDLE(r);
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DATA_VA), 0x1000, 0xd00bd00b));

	/* RUNNING: more work rung in while it runs, several times. */
	ASSERT_EQ(0, tess_emit_busy(r, 200000000ULL));
	ASSERT_EQ(0, tess_ring_kick(r));
	for (n = 0; n < 5; n++) {
		ASSERT_EQ(0, tess_emit_fence(r, 0, 0xe0 + n, 0));
		ASSERT_EQ(0, tess_ring_kick(r));
	}
	ASSERT_EQ(0, tess_ring_wait_fence(r, 0xe4, TMO_MS));
	ASSERT_IDLE(r);

	/* No doorbell was pending, no global interrupt. */
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_DB_PENDING(0)));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_STATUS) & TESSERA_INT_DOORBELL);
	EXPECT_EQ(-ETIMEDOUT, vfio_irq_wait(&t->vfio, TESSERA_MSIX_VECTOR_GLOBAL,
					    NO_IRQ_MS));
}

/*
 * A doorbell for a context no engine has loaded sets DB_PENDING and fires
 * the global vector; the work runs when software starts the context.
 */
TEST_F_TIMEOUT(model, doorbell_pending_context, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	const unsigned int e = t->engines > 1 ? 1 : 0;
	struct tess_ring *rb = &m->b[e], *ra = &m->a[e];
	const unsigned int glob = TESSERA_MSIX_VECTOR_GLOBAL;

	ASSERT_EQ(0, msix_on(m));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_DOORBELL);
	/* The engine runs context A: B is not loaded on it. */
	ASSERT_EQ(0, tess_eng_start(t, e, CTX_A));
	ASSERT_EQ(0, tess_eng_wait_state(t, e, TESSERA_ENG_STATE_WAITING, TMO_MS));
	drain_all(m);

	ASSERT_EQ(0, tess_emit_fill(rb, DATA_VA, 0x1000, 0xdbdbdbdb));
	ASSERT_EQ(0, tess_emit_fence(rb, 0, 0xb1, 0));
	ASSERT_EQ(0, tess_ring_kick(rb));
	EXPECT_LT(0, vfio_irq_wait(&t->vfio, glob, IRQ_WAIT_MS));
	EXPECT_EQ(1u << CTX_B, tess_rd32(t, TESSERA_REG_DB_PENDING(0)));
	EXPECT_NE(0, tess_rd32(t, TESSERA_REG_INT_STATUS) & TESSERA_INT_DOORBELL);
	EXPECT_NE(0, tess_ctx_rd(t, CTX_B, TESSERA_CTX_STATUS) &
		     TESSERA_CTX_STATUS_PENDING(e));
	EXPECT_EQ(0, tess_ctx_rd(t, CTX_B, TESSERA_CTX_STATUS) &
		     TESSERA_CTX_STATUS_LOADED(e));
	EXPECT_EQ(rb->tail, tess_ringreg_rd(t, CTX_B, e, TESSERA_RING_TAIL));
	EXPECT_EQ(0, tess_ring_head(rb));
	EXPECT_EQ(TESSERA_ENG_STATE_WAITING, tess_eng_state(t, e));

	/* Still pending: a second doorbell does not fire again. */
	ASSERT_EQ(0, tess_ring_kick(rb));
	EXPECT_EQ(-ETIMEDOUT, vfio_irq_wait(&t->vfio, glob, NO_IRQ_MS));

	/* Acknowledge (W1C), switch the engine to B: the work runs. */
	tess_wr32(t, TESSERA_REG_DB_PENDING(0), 1u << CTX_B);
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_DB_PENDING(0)));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_STATUS) & TESSERA_INT_DOORBELL);
	ASSERT_EQ(0, tess_eng_preempt(t, e));
	ASSERT_EQ(0, tess_eng_wait_state(t, e, TESSERA_ENG_STATE_STOPPED, TMO_MS));
	ASSERT_EQ(0, tess_eng_start(t, e, CTX_B));
	ASSERT_IDLE(rb);
	EXPECT_EQ(-1, tess_vram_check32(t, b_vram(DATA_VA), 0x1000, 0xdbdbdbdb));

	/* Pending again (A is not loaded now), with the interrupt disabled. */
	tess_wr32(t, TESSERA_REG_INT_ENABLE, 0);
	drain_all(m);
	ASSERT_EQ(0, tess_emit_fence(ra, 0, 0xa1, 0));
	ASSERT_EQ(0, tess_ring_kick(ra));
	EXPECT_EQ(1u << CTX_A, tess_rd32(t, TESSERA_REG_DB_PENDING(0)));
	EXPECT_EQ(-ETIMEDOUT, vfio_irq_wait(&t->vfio, glob, NO_IRQ_MS));
	tess_wr32(t, TESSERA_REG_DB_PENDING(0), ~0u);
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_DB_PENDING(0)));

	/* A context in another DB_PENDING word. */
	if (t->contexts > 40) {
		ASSERT_EQ(0, tess_ctx_setup(t, 40, B_VRAM_BASE, B_VRAM_SIZE, 0, 0));
		ASSERT_EQ(0, tess_db_write(t, 40, 0, 0));
		EXPECT_EQ(1u << 8, tess_rd32(t, TESSERA_REG_DB_PENDING(1)));
		tess_wr32(t, TESSERA_REG_DB_PENDING(1), 1u << 8);
		EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_DB_PENDING(1)));
	}
}

/* Engine reset abandons a long BUSY at once; the others are unaffected. */
TEST_F_TIMEOUT(model, engine_reset, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	struct tess_ring *r = &m->a[0], *o = &m->b[t->engines - 1];
	const unsigned int oe = t->engines - 1;
	u64 busy0, gart, vbase;
	u32 pos = r->tail;
	u64 start;

	if (t->engines < 2)
		SKIP(return, "needs two engines");
	ASSERT_EQ(0, tess_emit_busy(r, 8000000000ULL));
	ASSERT_EQ(0, tess_emit_fence(r, 0, 0x99, 0));
	ASSERT_EQ(0, tess_emit_busy(o, 300000000ULL));
	ASSERT_EQ(0, tess_emit_fill(o, DATA_VA, 0x8000, 0x0e0e0e0e));
	ASSERT_EQ(0, tess_emit_fence(o, 0, 0x0e, 0));
	ASSERT_EQ(0, ring_go(r));
	ASSERT_EQ(0, ring_go(o));
	tess_sleep_us(100000);
	ASSERT_EQ(TESSERA_ENG_STATE_RUNNING, tess_eng_state(t, 0));
	busy0 = tess_eng_busy_ns(t, 0);
	gart = tess_gart_get(t, A_GART_BASE);
	vbase = tess_rd64(t, TESSERA_CTX_REG(CTX_A, TESSERA_CTX_VRAM_BASE_LO));

	start = tess_now_ms();
	ASSERT_EQ(0, tess_eng_reset(t, 0));
	ASSERT_EQ(0, tess_eng_wait_state(t, 0, TESSERA_ENG_STATE_STOPPED, TMO_MS));
	/* "At once": far sooner than the 8 s BUSY (generous for TCG). */
	EXPECT_GT(4000, tess_now_ms() - start);
	EXPECT_EQ(pos, tess_ring_head(r));
	EXPECT_EQ(0, tess_ringreg_rd(t, CTX_A, 0, TESSERA_RING_STATE));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_FAULT_CODE));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS));
	EXPECT_NE(0x99, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_A, 0,
							  TESSERA_RING_FENCE_LO)));
	/* ENG_BUSY_NS is cleared by device reset only. */
	EXPECT_LE(busy0, tess_eng_busy_ns(t, 0));
	/* The context table and the GART are untouched. */
	EXPECT_EQ(gart, tess_gart_get(t, A_GART_BASE));
	EXPECT_EQ(vbase, tess_rd64(t, TESSERA_CTX_REG(CTX_A, TESSERA_CTX_VRAM_BASE_LO)));
	EXPECT_NE(0, tess_ctx_rd(t, CTX_A, TESSERA_CTX_CTRL) & TESSERA_CTX_CTRL_VALID);

	/* The other engine finishes its work. */
	ASSERT_IDLE(o);
	EXPECT_EQ(-1, tess_vram_check32(t, b_vram(DATA_VA), 0x8000, 0x0e0e0e0e));
	EXPECT_EQ(0x0e, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_B, oe,
							  TESSERA_RING_FENCE_LO)));

	/* Restart without the BUSY: the fence after it runs. */
	tess_ringreg_wr(t, CTX_A, 0, TESSERA_RING_HEAD, pos + 4 * TESSERA_BUSY_LEN);
	ASSERT_EQ(0, tess_eng_start(t, 0, CTX_A));
	ASSERT_IDLE(r);
	EXPECT_EQ(0x99, tess_rd64(t, TESSERA_CTX_RING_REG(CTX_A, 0,
							  TESSERA_RING_FENCE_LO)));
}

/* Put state everywhere; return the VRAM offset of a pattern to keep. */
static void dirty_device(struct __test_metadata *_metadata, struct model *m)
{
	struct tess_dev *t = &m->t;
	unsigned int e;

	tess_wr32(t, TESSERA_REG_SCRATCH, 0x5c5c5c5c);
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_DOORBELL |
		  TESSERA_INT_ENGINE(0));
	ASSERT_EQ(0, tess_vram_fill32(t, a_vram(DATA_VA), 0x10000, 0x7a7a7a7a));
	for (e = 0; e < t->engines; e++) {
		tess_eng_wr(t, e, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_ALL);
		ASSERT_EQ(0, tess_emit_fence(&m->a[e], 0, 0xf0 + e, 0));
		ASSERT_EQ(0, tess_emit_busy(&m->a[e], 8000000000ULL));
		ASSERT_EQ(0, ring_go(&m->a[e]));
	}
	ASSERT_EQ(0, tess_ring_wait_fence(&m->a[0], 0xf0, TMO_MS));
	/* A pending doorbell (B is loaded nowhere). */
	ASSERT_EQ(0, tess_emit_nop(&m->b[0], 1));
	ASSERT_EQ(0, tess_ring_kick(&m->b[0]));
	ASSERT_NE(0, tess_rd32(t, TESSERA_REG_DB_PENDING(0)));
	ASSERT_EQ(TESSERA_ENG_STATE_RUNNING, tess_eng_state(t, 0));
	ASSERT_NE(0, tess_eng_busy_ns(t, 0));
	tess_sleep_us(1000000);
}

static void check_clean(struct __test_metadata *_metadata, struct model *m,
			u64 ts_before)
{
	struct tess_dev *t = &m->t;
	unsigned int e, c, i, reg;

	EXPECT_NE(0, tess_rd32(t, TESSERA_REG_STATUS) & TESSERA_STATUS_READY);
	EXPECT_EQ(TESSERA_ID_MAGIC, tess_rd32(t, TESSERA_REG_ID));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_SCRATCH));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_ENABLE));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_STATUS));
	for (i = 0; i < TESSERA_DB_PENDING_REGS; i++)
		EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_DB_PENDING(i)));
	/* The timestamp restarted (it had at least the 1 s slept). */
	EXPECT_GT(ts_before, tess_timestamp(t));
	for (e = 0; e < t->engines; e++) {
		EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(t, e));
		for (reg = TESSERA_ENG_CTX; reg <= TESSERA_ENG_RING_TAIL; reg += 4) {
			if (reg == TESSERA_ENG_CTRL)
				continue;
			EXPECT_EQ(0, tess_eng_rd(t, e, reg))
				TH_LOG("engine %u reg 0x%x", e, reg);
		}
	}
	for (c = 0; c < t->contexts; c++)
		for (reg = 0; reg < TESSERA_CTX_RING_BASE +
		     t->engines * TESSERA_CTX_RING_STRIDE; reg += 4)
			if (tess_ctx_rd(t, c, reg)) {
				EXPECT_EQ(0, tess_ctx_rd(t, c, reg))
					TH_LOG("context %u reg 0x%x", c, reg);
				break;
			}
	for (i = 0; i < t->gart_entries; i += 1 + i / 64)
		if (tess_gart_get(t, i)) {
			EXPECT_EQ(0, tess_gart_get(t, i)) TH_LOG("GART entry %u", i);
			break;
		}
	for (i = A_GART_BASE; i < A_GART_BASE + A_GART_SIZE; i++)
		EXPECT_EQ(0, tess_gart_get(t, i));
	/* VRAM is not cleared. */
	EXPECT_EQ(-1, tess_vram_check32(t, a_vram(DATA_VA), 0x10000, 0x7a7a7a7a));
	EXPECT_EQ(-1, model_check_sentinels(m));
}

/* After a reset, program everything again and check the device works. */
static void check_works_again(struct __test_metadata *_metadata,
			      struct model *m)
{
	struct tess_dev *t = &m->t;
	unsigned int e;

	ASSERT_EQ(0, model_program(m));
	for (e = 0; e < t->engines; e++) {
		ASSERT_EQ(0, tess_emit_fill(&m->a[e], DATA_VA + 0x10000 + e * 0x1000,
					    0x1000, 0x3e3e0000 | e));
		ASSERT_EQ(0, tess_emit_copy(&m->a[e], tess_gart_va(e, 0),
					    DATA_VA + 0x10000 + e * 0x1000, 0x1000));
		ASSERT_RUN(&m->a[e]);
		EXPECT_EQ(0x3e3e0000 | e, *(u32 *)sys_ptr(m, e, 0xffc));
	}
}

TEST_F_TIMEOUT(model, device_reset_register, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;

	u64 ts;

	dirty_device(_metadata, m);
	ts = tess_timestamp(&m->t);
	ASSERT_EQ(0, tess_device_reset(&m->t, TMO_MS));
	check_clean(_metadata, m, ts);
	check_works_again(_metadata, m);
}

/* VFIO_DEVICE_RESET: a PCIe FLR (the device has FLR in DevCap). */
TEST_F_TIMEOUT(model, device_reset_flr, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct tess_dev *t = &m->t;
	const unsigned int vec = TESSERA_MSIX_VECTOR_ENGINE(0);
	struct vfio_device_info di = { .argsz = sizeof(di) };
	u32 cmd;
	u64 ts;

	ASSERT_EQ(0, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_INFO, &di));
	ASSERT_NE(0, di.flags & VFIO_DEVICE_FLAGS_RESET);
	ASSERT_EQ(0, msix_on(m));
	dirty_device(_metadata, m);
	ts = tess_timestamp(t);
	ASSERT_EQ(0, vfio_dev_reset(&t->vfio));
	check_clean(_metadata, m, ts);
	/* vfio-pci restored the command register: BARs decode, DMA on. */
	ASSERT_EQ(0, vfio_config_read(&t->vfio, PCI_COMMAND, &cmd, 2));
	EXPECT_NE(0, cmd & PCI_COMMAND_MEMORY);
	EXPECT_NE(0, cmd & PCI_COMMAND_MASTER);
	ASSERT_EQ(0, vfio_pci_set_master(&t->vfio, true));
	check_works_again(_metadata, m);

	/* MSI-X still works after the FLR. */
	drain_all(m);
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	ASSERT_EQ(0, tess_emit_fence(&m->a[0], TESSERA_FENCE_IRQ, 1, 0));
	ASSERT_RUN(&m->a[0]);
	EXPECT_LT(0, vfio_irq_wait(&t->vfio, vec, IRQ_WAIT_MS));
}

TEST_HARNESS_MAIN
