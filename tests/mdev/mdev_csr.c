// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_csr: the vGPU's virtual BAR0: identity and sizes of the vGPU's
 * share, read-only bits, host-only state unreachable (other contexts,
 * GART outside the slice, absent engines, doorbell-pending bits), the
 * mediated context 0 window checks, REG_RESET.
 */
#include "kselftest_harness.h"
#include "mdev-common.h"
#include "vgpu-fixture.h"

FIXTURE(csr) {
	struct vgpu_fix v;
};

FIXTURE_SETUP(csr)
{
	if (!vgpu_fix_open(_metadata, &self->v))
		return;
}

FIXTURE_TEARDOWN(csr)
{
	vgpu_fix_close(&self->v);
}

TEST_F(csr, identity_is_the_vgpu_share)
{
	struct tess_dev *t = &self->v.t;
	u32 eng = tess_rd32(t, TESSERA_REG_ENGINES);
	u64 a;

	EXPECT_EQ(TESSERA_ID_MAGIC, tess_rd32(t, TESSERA_REG_ID));
	EXPECT_EQ(TESSERA_VERSION_1_0 >> 16, tess_rd32(t, TESSERA_REG_VERSION) >> 16);
	EXPECT_TRUE(tess_rd32(t, TESSERA_REG_CAPS) & TESSERA_CAPS_VIRTUAL);
	EXPECT_TRUE(tess_rd32(t, TESSERA_REG_CAPS) & TESSERA_CAPS_DOORBELLS);
	EXPECT_EQ(1, tess_rd32(t, TESSERA_REG_CONTEXTS));
	EXPECT_EQ(1024, tess_rd32(t, TESSERA_REG_GART_ENTRIES));
	EXPECT_EQ(8ull << 20, tess_rd64(t, TESSERA_REG_VRAM_SIZE_LO));
	EXPECT_EQ(t->vfio.regions[TESSERA_BAR_VRAM].size,
		  tess_rd64(t, TESSERA_REG_VRAM_SIZE_LO));
	EXPECT_GE(TESSERA_ENGINES_TOTAL(eng), 1);
	EXPECT_EQ(TESSERA_ENGINES_TOTAL(eng),
		  TESSERA_ENGINES_COMPUTE(eng) + TESSERA_ENGINES_COPY(eng));
	EXPECT_EQ(TESSERA_STATUS_READY, tess_rd32(t, TESSERA_REG_STATUS));
	EXPECT_EQ(TESSERA_ENG_CLASS_COMPUTE,
		  TESSERA_ENG_CLASS(tess_eng_rd(t, 0, TESSERA_ENG_CAPS)));
	/* The timestamp runs. */
	a = tess_timestamp(t);
	tess_sleep_us(2000);
	EXPECT_GT(tess_timestamp(t), a);
}

TEST_F(csr, read_only_bits)
{
	struct tess_dev *t = &self->v.t;
	unsigned int e;

	tess_wr32(t, TESSERA_REG_ID, 0);
	EXPECT_EQ(TESSERA_ID_MAGIC, tess_rd32(t, TESSERA_REG_ID));
	tess_wr32(t, TESSERA_REG_CONTEXTS, 64);
	EXPECT_EQ(1, tess_rd32(t, TESSERA_REG_CONTEXTS));
	tess_wr32(t, TESSERA_REG_VRAM_SIZE_LO, 0);
	EXPECT_EQ(8u << 20, tess_rd32(t, TESSERA_REG_VRAM_SIZE_LO));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, 0xffffffff);
	EXPECT_EQ(((1u << t->engines) - 1) | TESSERA_INT_DOORBELL,
		  tess_rd32(t, TESSERA_REG_INT_ENABLE));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, 0);
	for (e = 0; e < t->engines; e++) {
		tess_eng_wr(t, e, TESSERA_ENG_INT_MASK, 0xffffffff);
		EXPECT_EQ(TESSERA_ENG_INT_ALL,
			  tess_eng_rd(t, e, TESSERA_ENG_INT_MASK));
		tess_eng_wr(t, e, TESSERA_ENG_STATUS, 0xffffffff);
		EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(t, e));
		tess_eng_wr(t, e, TESSERA_ENG_FAULT_CODE, 5);
		EXPECT_EQ(0, tess_eng_rd(t, e, TESSERA_ENG_FAULT_CODE));
	}
	tess_ctx_wr(t, 0, TESSERA_CTX_CTRL, 0xffffffff);
	EXPECT_EQ(TESSERA_CTX_CTRL_VALID, tess_ctx_rd(t, 0, TESSERA_CTX_CTRL));
	tess_ctx_wr(t, 0, TESSERA_CTX_STATUS, 0xffffffff);
	EXPECT_EQ(0, tess_ctx_rd(t, 0, TESSERA_CTX_STATUS));
	tess_wr32(t, TESSERA_REG_SCRATCH, 0xa5a5a5a5);
	EXPECT_EQ(0xa5a5a5a5, tess_rd32(t, TESSERA_REG_SCRATCH));
}

TEST_F(csr, host_only_state_unreachable)
{
	struct tess_dev *t = &self->v.t;
	unsigned int c, r, bad = 0;

	/* Other contexts do not exist for the guest. */
	for (c = 1; c < 64; c += 7) {
		for (r = 0; r < TESSERA_CSR_CTX_STRIDE; r += 4)
			tess_wr32(t, TESSERA_CTX_REG(c, r), 0xffffffff);
		for (r = 0; r < TESSERA_CSR_CTX_STRIDE; r += 4)
			bad += tess_rd32(t, TESSERA_CTX_REG(c, r)) != 0;
	}
	EXPECT_EQ(0, bad);
	/* Absent engines. */
	for (r = 0; r < TESSERA_CSR_ENGINE_STRIDE; r += 4) {
		tess_wr32(t, TESSERA_ENG_REG(t->engines, r), 0xffffffff);
		EXPECT_EQ(0, tess_rd32(t, TESSERA_ENG_REG(t->engines, r)));
	}
	/* GART beyond the slice. */
	tess_wr64(t, TESSERA_GART_ENTRY(1024), 0x1000 | TESSERA_GART_VALID);
	EXPECT_EQ(0, tess_rd64(t, TESSERA_GART_ENTRY(1024)));
	tess_wr64(t, TESSERA_GART_ENTRY(65535), 0x1000 | TESSERA_GART_VALID);
	EXPECT_EQ(0, tess_rd64(t, TESSERA_GART_ENTRY(65535)));
	/* Doorbell-pending bits of other contexts. */
	for (r = 0, bad = 0; r < TESSERA_DB_PENDING_REGS; r++)
		bad += tess_rd32(t, TESSERA_REG_DB_PENDING(r)) != 0;
	EXPECT_EQ(0, bad);
	/* ENG_CTX other than 0: START faults with BAD_CONTEXT. */
	ASSERT_EQ(0, tess_ctx_setup(t, 0, 0, t->vram_size, 0, 16));
	tess_eng_wr(t, 0, TESSERA_ENG_CTX, 5);
	tess_eng_wr(t, 0, TESSERA_ENG_CTRL, TESSERA_ENG_CTRL_START);
	EXPECT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_state(t, 0));
	EXPECT_EQ(TESSERA_FAULT_BAD_CONTEXT,
		  tess_eng_rd(t, 0, TESSERA_ENG_FAULT_CODE));
	EXPECT_TRUE(tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS) &
		    TESSERA_ENG_INT_FAULT);
	tess_eng_reset(t, 0);
	EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(t, 0));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_FAULT_CODE));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS));
}

TEST_F(csr, context_window_outside_partition_is_refused)
{
	struct tess_dev *t = &self->v.t;
	struct tess_ring r;

	/* Window past the end of the partition. */
	ASSERT_EQ(0, tess_ctx_setup(t, 0, t->vram_size - 4096, 8192, 0, 16));
	/* The guest reads back what it wrote... */
	EXPECT_EQ(t->vram_size - 4096,
		  tess_rd64(t, TESSERA_CTX_REG(0, TESSERA_CTX_VRAM_BASE_LO)));
	/* ...but the context cannot be started. */
	ASSERT_EQ(0, tess_eng_start(t, 0, 0));
	EXPECT_EQ(TESSERA_ENG_STATE_FAULTED, tess_eng_state(t, 0));
	EXPECT_EQ(TESSERA_FAULT_BAD_CONTEXT,
		  tess_eng_rd(t, 0, TESSERA_ENG_FAULT_CODE));
	tess_eng_reset(t, 0);
	/* GART window past the slice. */
	ASSERT_EQ(0, tess_ctx_setup(t, 0, 0, t->vram_size, 1000, 100));
	ASSERT_EQ(0, tess_eng_start(t, 0, 0));
	EXPECT_EQ(TESSERA_FAULT_BAD_CONTEXT,
		  tess_eng_rd(t, 0, TESSERA_ENG_FAULT_CODE));
	tess_eng_reset(t, 0);
	/* Huge sizes that would wrap. */
	ASSERT_EQ(0, tess_ctx_setup(t, 0, 4096, ~0ull & ~0xfffull, 0, 16));
	ASSERT_EQ(0, tess_eng_start(t, 0, 0));
	EXPECT_EQ(TESSERA_FAULT_BAD_CONTEXT,
		  tess_eng_rd(t, 0, TESSERA_ENG_FAULT_CODE));
	tess_eng_reset(t, 0);
	/* A valid one starts. */
	ASSERT_EQ(0, tess_ctx_setup(t, 0, 0, t->vram_size, 0, 1024));
	ASSERT_EQ(0, tess_ring_init(t, &r, 0, 0, 0, 4096));
	ASSERT_EQ(0, tess_eng_start(t, 0, 0));
	EXPECT_EQ(TESSERA_ENG_STATE_WAITING, tess_eng_state(t, 0));
	ASSERT_EQ(0, vgpu_fence_wait(&r, 7));
}

TEST_F(csr, reg_reset)
{
	struct tess_dev *t = &self->v.t;

	tess_wr32(t, TESSERA_REG_SCRATCH, 0x55);
	tess_wr32(t, TESSERA_REG_RESET, 0x12345678);	/* wrong magic */
	EXPECT_EQ(0x55, tess_rd32(t, TESSERA_REG_SCRATCH));
	tess_ctx_wr(t, 0, TESSERA_CTX_GART_BASE, 3);
	ASSERT_EQ(0, tess_device_reset(t, 1000));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_SCRATCH));
	EXPECT_EQ(0, tess_ctx_rd(t, 0, TESSERA_CTX_GART_BASE));
	EXPECT_EQ(TESSERA_STATUS_READY, tess_rd32(t, TESSERA_REG_STATUS));
}

TEST_HARNESS_MAIN
