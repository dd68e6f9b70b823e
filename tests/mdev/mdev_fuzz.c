// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_fuzz: a hostile guest. Random accesses of random sizes to the
 * config space, BAR0 (biased to the register blocks, the MSI-X table, the
 * context table and the GART), the apertures, engine controls, doorbells
 * and random VFIO ioctls on vGPU A, while vGPU B holds data and keeps
 * running jobs. Afterwards B's data is intact and B works, and A works
 * again after a reset and after reopening.
 */
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "mdev-common.h"

#define OPS	30000

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u64 csr_offset(void)
{
	switch (rnd() % 8) {
	case 0: return rnd() % 0x100;
	case 1: return TESSERA_CSR_ENGINE_BASE + rnd() % 0x900;
	case 2: return TESSERA_CSR_MSIX_TABLE + rnd() % 0x900;
	case 3: return TESSERA_CSR_CTX_BASE + rnd() % 0x200;
	case 4: return TESSERA_CSR_CTX_BASE + rnd() % 0x8000;
	case 5: return TESSERA_CSR_GART_BASE + rnd() % 0x2100;
	case 6: return TESSERA_CSR_GART_BASE + rnd() % 0x200000;
	default: return rnd() % (TESSERA_CSR_BAR_SIZE + 64);
	}
}

static u64 value(void)
{
	switch (rnd() % 6) {
	case 0: return 0;
	case 1: return ~0ull;
	case 2: return rnd() & 0xff;
	case 3: return TESSERA_ENG_CTRL_START;
	case 4: return (rnd() & 0xfffff000) | TESSERA_GART_VALID;
	default: return rnd();
	}
}

static void fuzz_ioctl(int fd)
{
	union {
		struct vfio_irq_set set;
		struct vfio_region_info ri;
		struct vfio_irq_info ii;
		u8 raw[256];
	} u;
	unsigned int i;

	for (i = 0; i < sizeof(u.raw); i++)
		u.raw[i] = rnd();
	switch (rnd() % 4) {
	case 0:
		u.set.argsz = rnd() % 2 ? sizeof(u) : rnd() % 512;
		u.set.index = rnd() % 7;
		u.set.start = rnd() % 3 ? rnd() % 10 : rnd();
		u.set.count = rnd() % 3 ? rnd() % 10 : rnd();
		/* No real fds: random small numbers (mostly not eventfds). */
		for (i = 0; i < 16; i++)
			((int *)u.set.data)[i] = rnd() % 3 ? -1 : (int)(rnd() % 64);
		ioctl(fd, VFIO_DEVICE_SET_IRQS, &u.set);
		break;
	case 1:
		u.ri.argsz = rnd() % 300;
		u.ri.index = rnd() % 12;
		ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &u.ri);
		break;
	case 2:
		u.ii.argsz = rnd() % 40;
		u.ii.index = rnd() % 8;
		ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &u.ii);
		break;
	default:
		ioctl(fd, _IO(VFIO_TYPE, VFIO_BASE + rnd() % 40), &u);
		break;
	}
}

FIXTURE(fuzz) {
	char ua[MDEV_UUID_LEN], ub[MDEV_UUID_LEN];
	struct tess_dev a, b;
	struct tess_ring ra, rb;
	int created;
};

FIXTURE_SETUP(fuzz)
{
	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, self->ua));
	self->created = 1;
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, self->ub));
	self->created = 2;
	ASSERT_EQ(0, tess_open_mdev(&self->a, self->ua));
	ASSERT_EQ(0, tess_open_mdev(&self->b, self->ub));
	ASSERT_EQ(0, vgpu_setup(&self->a, &self->ra, 0, 0));
	ASSERT_EQ(0, vgpu_setup(&self->b, &self->rb, 0, 0));
}

FIXTURE_TEARDOWN(fuzz)
{
	tess_close(&self->a);
	tess_close(&self->b);
	if (self->created > 0)
		mdev_remove(self->ua);
	if (self->created > 1)
		mdev_remove(self->ub);
}

TEST_F_TIMEOUT(fuzz, hostile_guest_harms_nobody_else, 600)
{
	struct tess_dev *a = &self->a, *b = &self->b;
	int fd = a->vfio.device_fd;
	u64 cfg = a->vfio.regions[VFIO_PCI_CONFIG_REGION_INDEX].offset;
	u64 bar0 = a->vfio.regions[0].offset;
	u64 bar2 = a->vfio.regions[2].offset;
	u64 bar4 = a->vfio.regions[4].offset;
	static const size_t sizes[] = { 1, 2, 4, 8, 3, 16, 4, 4, 8 };
	u8 buf[16];
	u64 v;
	int i, k;

	/* B's data, and a job of B in flight during the fuzzing. */
	ASSERT_EQ(0, tess_emit_fill(&self->rb, 0x100000, 1 << 20, 0xb0b0b0b0));
	ASSERT_EQ(0, vgpu_fence_wait(&self->rb, 1));
	ASSERT_EQ(0, tess_emit_busy(&self->rb, 50000000ull));
	ASSERT_EQ(0, tess_emit_fence(&self->rb, 0, 2, 0));
	ASSERT_EQ(0, tess_ring_kick(&self->rb));

	for (i = 0; i < OPS; i++) {
		size_t n = sizes[rnd() % 9];

		v = value();
		memcpy(buf, &v, 8);
		memcpy(buf + 8, &v, 8);
		switch (rnd() % 10) {
		case 0:
			k = rnd() % 2;
			if (k)
				pwrite(fd, buf, n, cfg + rnd() % 4100);
			else
				pread(fd, buf, n, cfg + rnd() % 4100);
			break;
		case 1: case 2: case 3: case 4:
			pwrite(fd, buf, n, bar0 + csr_offset());
			break;
		case 5:
			pread(fd, buf, n, bar0 + csr_offset());
			break;
		case 6:
			tess_eng_wr(a, rnd() % 4, TESSERA_ENG_CTRL,
				    1u << (rnd() % 4));
			break;
		case 7:
			pwrite(fd, buf, 4, bar4 + (rnd() % 4) * 8);
			break;
		case 8:
			pwrite(fd, buf, n, bar2 + rnd() % (a->vram_size + 64));
			break;
		default:
			fuzz_ioctl(fd);
			break;
		}
	}
	/* B is intact and working. */
	ASSERT_EQ(0, tess_ring_wait_fence(&self->rb, 2, TIMEOUT_MS));
	EXPECT_EQ(-1, tess_vram_check32(b, 0x100000, 1 << 20, 0xb0b0b0b0));
	EXPECT_NE(TESSERA_ENG_STATE_FAULTED, tess_eng_state(b, 0));
	ASSERT_EQ(0, tess_emit_fill(&self->rb, 0x10000, 64, 0x12));
	ASSERT_EQ(0, vgpu_fence_wait(&self->rb, 3));
	EXPECT_EQ(0x12, tess_vram_rd32(b, 0x10000));
	EXPECT_EQ(0, mdev_attr_u64(self->ub, "tessera/faults"));

	/* A works after a reset... */
	vfio_irq_disable(&a->vfio);
	ASSERT_EQ(0, vfio_dev_reset(&a->vfio));
	ASSERT_EQ(0, vfio_pci_set_master(&a->vfio, true));
	ASSERT_EQ(0, vgpu_setup(a, &self->ra, 0, 0));
	ASSERT_EQ(0, tess_emit_fill(&self->ra, 0x10000, 64, 0x34));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 1));
	EXPECT_EQ(0x34, tess_vram_rd32(a, 0x10000));
	/* ...and after being closed and reopened. */
	tess_close(a);
	ASSERT_EQ(0, tess_open_mdev(a, self->ua));
	EXPECT_EQ(0, tess_vram_rd32(a, 0x10000));
	ASSERT_EQ(0, vgpu_setup(a, &self->ra, 0, 0));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 1));
}

TEST_HARNESS_MAIN
