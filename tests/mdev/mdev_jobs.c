// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_jobs: two vGPUs run jobs through their own rings and doorbells;
 * BAR2 mmaps are isolated; a fault in one vGPU stays there; GART shadow
 * of memory mapped with VFIO_IOMMU_MAP_DMA, dropped on UNMAP_DMA; a GART
 * entry pointing at memory the vGPU does not own; MSI-X per fence; reset
 * drops all state and revokes only the vGPU's own mappings; a doorbell
 * storm is coalesced; a fresh vGPU's VRAM reads zeros.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mdev-common.h"
#include "vgpu-fixture.h"
#include "sched-sysfs.h"

#define DATA_VA		0x10000ull
#define IOVA_BASE	0x1000000ull

FIXTURE(jobs) {
	struct vgpu_fix va, vb;
	struct tess_ring ra, rb;
};

FIXTURE_SETUP(jobs)
{
	if (!vgpu_fix_open(_metadata, &self->va) ||
	    !vgpu_fix_open(_metadata, &self->vb))
		return;
	ASSERT_EQ(0, vgpu_setup(&self->va.t, &self->ra, 0, 0));
	ASSERT_EQ(0, vgpu_setup(&self->vb.t, &self->rb, 0, 0));
}

FIXTURE_TEARDOWN(jobs)
{
	vgpu_fix_close(&self->va);
	vgpu_fix_close(&self->vb);
}

static u32 vram32(struct tess_dev *t, u64 off)
{
	return tess_vram_rd32(t, off);
}

TEST_F(jobs, two_vgpus_run_jobs_through_rings_and_doorbells)
{
	struct tess_dev *a = &self->va.t, *b = &self->vb.t;
	struct tess_ring ca, cb;
	unsigned int ce = a->engines - 1;
	int i;

	ASSERT_NE(NULL, a->db);	/* doorbell page mmapped: zero-trap */
	for (i = 1; i <= 4; i++) {
		ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA, 4096, 0xaaaa0000 + i));
		ASSERT_EQ(0, tess_emit_fence(&self->ra, 0, i, 0));
		ASSERT_EQ(0, tess_ring_kick(&self->ra));
		ASSERT_EQ(0, tess_emit_fill(&self->rb, DATA_VA, 4096, 0xbbbb0000 + i));
		ASSERT_EQ(0, tess_emit_fence(&self->rb, 0, i, 0));
		ASSERT_EQ(0, tess_ring_kick(&self->rb));
	}
	ASSERT_EQ(0, tess_ring_wait_fence(&self->ra, 4, TIMEOUT_MS));
	ASSERT_EQ(0, tess_ring_wait_fence(&self->rb, 4, TIMEOUT_MS));
	EXPECT_EQ(-1, tess_vram_check32(a, DATA_VA, 4096, 0xaaaa0004));
	EXPECT_EQ(-1, tess_vram_check32(b, DATA_VA, 4096, 0xbbbb0004));

	/* A second ring of each on the last (copy) engine. */
	ASSERT_EQ(0, tess_ring_init(a, &ca, 0, ce, 0x8000, 4096));
	ASSERT_EQ(0, tess_ring_init(b, &cb, 0, ce, 0x8000, 4096));
	ASSERT_EQ(0, tess_eng_start(a, ce, 0));
	ASSERT_EQ(0, tess_eng_start(b, ce, 0));
	ASSERT_EQ(0, tess_emit_copy(&ca, DATA_VA + 0x10000, DATA_VA, 4096));
	ASSERT_EQ(0, tess_emit_copy(&cb, DATA_VA + 0x10000, DATA_VA, 4096));
	ASSERT_EQ(0, vgpu_fence_wait(&ca, 99));
	ASSERT_EQ(0, vgpu_fence_wait(&cb, 99));
	EXPECT_EQ(-1, tess_vram_check32(a, DATA_VA + 0x10000, 4096, 0xaaaa0004));
	EXPECT_EQ(-1, tess_vram_check32(b, DATA_VA + 0x10000, 4096, 0xbbbb0004));
	/* Ring tails through the BAR0 register path too. */
	ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA, 64, 0x5));
	ASSERT_EQ(0, tess_emit_fence(&self->ra, 0, 5, 0));
	ASSERT_EQ(0, tess_ring_submit(&self->ra));
	ASSERT_EQ(0, tess_ring_wait_fence(&self->ra, 5, TIMEOUT_MS));
	EXPECT_EQ(5, vram32(a, DATA_VA));
	EXPECT_EQ(TESSERA_ENG_STATE_WAITING, tess_eng_state(a, 0));
	EXPECT_EQ(5, tess_rd64(a, TESSERA_ENG_REG(0, TESSERA_ENG_FENCE_LO)));
}

/*
 * The zero-trap submission path: commands written into the ring through the
 * BAR2 mapping, the tail published through the doorbell page, completion
 * seen as a fence value in VRAM. The mediator must trap (emulate) no BAR0
 * access for any of it: its csr_traps counter does not move.
 */
TEST_F(jobs, doorbell_path_traps_nothing)
{
	struct tess_dev *a = &self->va.t;
	struct tess_ring *r = &self->ra;
	const u64 fence_va = DATA_VA + 0x20000;
	const unsigned int jobs = 16;
	long long before, after;
	unsigned int i, k, n;
	u64 deadline;
	u32 c[16];

	ASSERT_NE(NULL, a->db);
	tess_vram_wr32(a, fence_va, 0);
	before = mdev_attr_u64(self->va.uuid, "tessera/csr_traps");
	ASSERT_LE(0, before);
	for (i = 1; i <= jobs; i++) {
		n = tess_enc_fill(c, DATA_VA, 4096, i);
		n += tess_enc_fence(c + n, TESSERA_FENCE_WRITE, i, fence_va);
		for (k = 0; k < n; k++) {
			tess_vram_wr32(a, r->vram_off + r->tail, c[k]);
			r->tail = (r->tail + 4) & (r->size - 1);
		}
		ASSERT_EQ(0, tess_ring_kick(r));
		deadline = tess_now_ms() + TIMEOUT_MS;
		while (tess_vram_rd32(a, fence_va) != i && tess_now_ms() < deadline)
			tess_sleep_us(100);
		ASSERT_EQ(i, tess_vram_rd32(a, fence_va));
	}
	after = mdev_attr_u64(self->va.uuid, "tessera/csr_traps");
	TH_LOG("trapped CSR accesses per job on the doorbell path: %.2f",
	       (double)(after - before) / jobs);
	EXPECT_EQ(before, after);
	EXPECT_EQ(-1, tess_vram_check32(a, DATA_VA, 4096, jobs));
}

TEST_F(jobs, bar2_mmap_is_the_partition_only)
{
	struct tess_dev *a = &self->va.t, *b = &self->vb.t;
	struct vfio_region *r = vfio_region_get(&a->vfio, TESSERA_BAR_VRAM);
	u64 size = a->vram_size, off, hits = 0;
	const u32 *pb;
	void *p;
	char buf[8];

	ASSERT_NE(NULL, r);
	ASSERT_EQ(size, r->size);
	EXPECT_NE(mdev_attr_u64(self->va.uuid, "tessera/vram_base"),
		  mdev_attr_u64(self->vb.uuid, "tessera/vram_base"));
	/* A fills its whole partition from the CPU. */
	memset(a->vram, 0xa5, size);
	/* B sees none of it anywhere in its BAR2. */
	pb = b->vram;
	for (off = 0; off < size / 4; off++)
		hits += pb[off] == 0xa5a5a5a5;
	EXPECT_EQ(0, hits);
	/* No mapping, read or write beyond the partition. */
	p = mmap(NULL, size + 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		 a->vfio.device_fd, r->offset);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		 a->vfio.device_fd, r->offset + size);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		 a->vfio.device_fd, r->offset);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(-1, pread(a->vfio.device_fd, buf, 4, r->offset + size));
	EXPECT_EQ(EINVAL, errno);
	/* Region read/write works and matches the mmap. */
	ASSERT_EQ(4, pread(a->vfio.device_fd, buf, 4, r->offset + size - 4));
	EXPECT_EQ(0xa5a5a5a5, *(u32 *)buf);
	/* Across the end: shortened to the BAR, as vfio_pci_bar_rw(). */
	memset(buf, 0x5a, 8);
	EXPECT_EQ(4, pwrite(a->vfio.device_fd, buf, 8, r->offset + size - 4));
	ASSERT_EQ(4, pread(a->vfio.device_fd, buf, 8, r->offset + size - 4));
	EXPECT_EQ(0x5a5a5a5a, *(u32 *)buf);
	/* BAR0 cannot be mmapped. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, a->vfio.device_fd,
		 a->vfio.regions[0].offset);
	EXPECT_EQ(MAP_FAILED, p);
}

TEST_F(jobs, fault_in_one_vgpu_stays_there)
{
	struct tess_dev *a = &self->va.t, *b = &self->vb.t;
	struct tess_fault f;

	ASSERT_EQ(0, tess_emit_fill(&self->ra, a->vram_size, 4096, 0xdead));
	ASSERT_EQ(0, tess_emit_fence(&self->ra, 0, 1, 0));
	ASSERT_EQ(0, tess_ring_kick(&self->ra));
	ASSERT_EQ(0, vgpu_fence_wait(&self->rb, 1));
	ASSERT_EQ(TESSERA_ENG_STATE_FAULTED,
		  tess_eng_wait_halted(a, 0, TIMEOUT_MS));
	tess_eng_fault(a, 0, &f);
	EXPECT_EQ(TESSERA_FAULT_VRAM_RANGE, f.code);
	EXPECT_EQ(a->vram_size, f.addr);
	EXPECT_EQ(0, f.ctx);
	EXPECT_TRUE(tess_eng_rd(a, 0, TESSERA_ENG_INT_STATUS) & TESSERA_ENG_INT_FAULT);
	EXPECT_GE(mdev_attr_u64(self->va.uuid, "tessera/faults"), 1);
	/* B is untouched and keeps working. */
	EXPECT_NE(TESSERA_ENG_STATE_FAULTED, tess_eng_state(b, 0));
	EXPECT_EQ(0, mdev_attr_u64(self->vb.uuid, "tessera/faults"));
	ASSERT_EQ(0, tess_emit_fill(&self->rb, DATA_VA, 64, 0x77));
	ASSERT_EQ(0, vgpu_fence_wait(&self->rb, 2));
	EXPECT_EQ(0x77, vram32(b, DATA_VA));
	/* A recovers: engine reset, discard, start again. */
	ASSERT_EQ(0, tess_eng_reset(a, 0));
	EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(a, 0));
	ASSERT_EQ(0, tess_ring_set_pos(&self->ra, self->ra.tail));
	ASSERT_EQ(0, tess_eng_start(a, 0, 0));
	ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA, 64, 0x88));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 3));
	EXPECT_EQ(0x88, vram32(a, DATA_VA));
}

TEST_F(jobs, gart_shadow_copy_and_unmap)
{
	struct tess_dev *a = &self->va.t;
	struct vfio_dma_buf buf;
	struct tess_fault f;
	u32 *p;
	unsigned int i;

	ASSERT_EQ(0, vfio_dma_alloc(&a->vfio, &buf, 4 * 4096, IOVA_BASE));
	p = buf.vaddr;
	for (i = 0; i < 4 * 1024; i++)
		p[i] = 0x1000000 + i;
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, tess_gart_set(a, i, IOVA_BASE + i * 4096,
					   TESSERA_GART_VALID |
					   TESSERA_GART_WRITABLE));
	EXPECT_EQ(4, mdev_attr_u64(self->va.uuid, "tessera/gart_pinned"));
	EXPECT_EQ(IOVA_BASE | TESSERA_GART_VALID | TESSERA_GART_WRITABLE,
		  tess_gart_get(a, 0));
	/* System memory -> VRAM. */
	ASSERT_EQ(0, tess_emit_copy(&self->ra, DATA_VA, tess_gart_va(0, 0),
				    4 * 4096));
	/* VRAM -> system memory (pages 2, 3). */
	ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA + 0x10000, 8192,
				    0x12345678));
	ASSERT_EQ(0, tess_emit_copy(&self->ra, tess_gart_va(2, 0),
				    DATA_VA + 0x10000, 8192));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 1));
	for (i = 0; i < 4 * 1024; i += 97)
		ASSERT_EQ(0x1000000 + i, vram32(a, DATA_VA + i * 4));
	for (i = 2048; i < 4096; i++)
		ASSERT_EQ(0x12345678, p[i]);
	EXPECT_EQ(0x1000000 + 5, p[5]);

	/* Unmap: the shadow goes, the guest's entry stays, jobs fault. */
	ASSERT_EQ(0, vfio_dma_free(&a->vfio, &buf));
	EXPECT_EQ(0, mdev_attr_u64(self->va.uuid, "tessera/gart_pinned"));
	EXPECT_EQ(IOVA_BASE | TESSERA_GART_VALID | TESSERA_GART_WRITABLE,
		  tess_gart_get(a, 0));
	ASSERT_EQ(0, tess_emit_copy(&self->ra, DATA_VA, tess_gart_va(0, 0), 64));
	ASSERT_EQ(0, tess_emit_fence(&self->ra, 0, 2, 0));
	ASSERT_EQ(0, tess_ring_kick(&self->ra));
	ASSERT_EQ(TESSERA_ENG_STATE_FAULTED,
		  tess_eng_wait_halted(a, 0, TIMEOUT_MS));
	tess_eng_fault(a, 0, &f);
	EXPECT_EQ(TESSERA_FAULT_GART_INVALID, f.code);
	EXPECT_EQ(tess_gart_va(0, 0), f.addr);
}

TEST_F(jobs, gart_entry_to_memory_not_owned)
{
	struct tess_dev *a = &self->va.t;
	struct tess_fault f;
	char st[32];

	ASSERT_EQ(0, tess_gart_set(a, 0, 0x70000000, TESSERA_GART_VALID));
	EXPECT_EQ(1, mdev_attr_u64(self->va.uuid, "tessera/gart_errors"));
	EXPECT_EQ(0, mdev_attr_u64(self->va.uuid, "tessera/gart_pinned"));
	EXPECT_EQ(0, mdev_attr(self->va.uuid, "tessera/state", st, sizeof(st)));
	EXPECT_STREQ("error", st);
	ASSERT_EQ(0, tess_emit_copy(&self->ra, DATA_VA, tess_gart_va(0, 0), 64));
	ASSERT_EQ(0, tess_emit_fence(&self->ra, 0, 1, 0));
	ASSERT_EQ(0, tess_ring_kick(&self->ra));
	ASSERT_EQ(TESSERA_ENG_STATE_FAULTED,
		  tess_eng_wait_halted(a, 0, TIMEOUT_MS));
	tess_eng_fault(a, 0, &f);
	EXPECT_EQ(TESSERA_FAULT_GART_INVALID, f.code);
	/* Reset clears the error state. */
	ASSERT_EQ(0, vfio_dev_reset(&a->vfio));
	EXPECT_EQ(0, mdev_attr(self->va.uuid, "tessera/state", st, sizeof(st)));
	EXPECT_STREQ("open", st);
}

/*
 * A 32-bit client writes a GART entry in two halves; the intermediate
 * value (new low | old high) names an IOVA nobody mapped. That must not put
 * the vGPU into its error state: only an entry the guest leaves bad does.
 */
TEST_F(jobs, gart_half_writes_pin_only_the_final_entry)
{
	struct tess_dev *a = &self->va.t;
	u64 iova = (1ull << 32) | IOVA_BASE;
	u64 lo = (iova & 0xffffffffull) | TESSERA_GART_VALID |
		 TESSERA_GART_WRITABLE;
	struct vfio_dma_buf buf;
	char st[32];
	u32 *p;

	ASSERT_EQ(0, vfio_dma_alloc(&a->vfio, &buf, 4096, iova));
	p = buf.vaddr;
	p[0] = 0xc0ffee;
	tess_wr32(a, TESSERA_GART_ENTRY(0), lo);
	tess_wr32(a, TESSERA_GART_ENTRY(0) + 4, iova >> 32);
	EXPECT_EQ(iova | TESSERA_GART_VALID | TESSERA_GART_WRITABLE,
		  tess_gart_get(a, 0));
	EXPECT_EQ(0, mdev_attr_u64(self->va.uuid, "tessera/gart_errors"));
	EXPECT_EQ(1, mdev_attr_u64(self->va.uuid, "tessera/gart_pinned"));
	EXPECT_EQ(0, mdev_attr(self->va.uuid, "tessera/state", st, sizeof(st)));
	EXPECT_STREQ("open", st);
	ASSERT_EQ(0, tess_emit_copy(&self->ra, DATA_VA, tess_gart_va(0, 0), 64));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 1));
	EXPECT_EQ(0xc0ffee, vram32(a, DATA_VA));
	/* The same halves the other way round. */
	tess_wr32(a, TESSERA_GART_ENTRY(1) + 4, iova >> 32);
	tess_wr32(a, TESSERA_GART_ENTRY(1), lo);
	EXPECT_EQ(0, mdev_attr_u64(self->va.uuid, "tessera/gart_errors"));
	EXPECT_EQ(2, mdev_attr_u64(self->va.uuid, "tessera/gart_pinned"));
	/* A half left bad is an error once the guest moves on. */
	tess_wr32(a, TESSERA_GART_ENTRY(2), 0x7000000 | TESSERA_GART_VALID);
	tess_rd32(a, TESSERA_REG_SCRATCH);
	EXPECT_EQ(1, mdev_attr_u64(self->va.uuid, "tessera/gart_errors"));
	EXPECT_EQ(0, mdev_attr(self->va.uuid, "tessera/state", st, sizeof(st)));
	EXPECT_STREQ("error", st);
	ASSERT_EQ(0, vfio_dev_reset(&a->vfio));
	ASSERT_EQ(0, vfio_dma_free(&a->vfio, &buf));
}

/*
 * The guest rewrites a GART entry while its copies into that page run: the
 * old page is released only once no access of the context through the old
 * entry can be in flight, so nothing lands in it after the rewrite (and,
 * with the rig's strict vIOMMU, nothing faults on its unmapped IOVA).
 */
TEST_F(jobs, gart_rewrite_under_running_copies_spares_the_old_page)
{
	struct tess_dev *a = &self->va.t;
	struct vfio_dma_buf pa, pb;
	u32 *old, *cur;
	long long drains = mdev_attr_u64(self->va.uuid, "tessera/gart_drains");
	unsigned int i, flips;

	ASSERT_EQ(0, vfio_dma_alloc(&a->vfio, &pa, 4096, IOVA_BASE));
	ASSERT_EQ(0, vfio_dma_alloc(&a->vfio, &pb, 4096, IOVA_BASE + 0x10000));
	ASSERT_EQ(0, tess_gart_set(a, 0, IOVA_BASE, TESSERA_GART_VALID |
				   TESSERA_GART_WRITABLE));
	/* Copies interleaved with short waits (the flips meet copies in
	 * flight), then a long wait (the last flip is done by then), then
	 * copies that must all land in the last page.
	 */
	ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA, 4096, 0x5eed));
	for (i = 0; i < 80; i++) {
		if (!(i % 16))
			ASSERT_EQ(0, tess_emit_busy(&self->ra, 20000000ull));
		ASSERT_EQ(0, tess_emit_copy(&self->ra, tess_gart_va(0, 0),
					    DATA_VA, 4096));
	}
	ASSERT_EQ(0, tess_emit_busy(&self->ra, 3000000000ull));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, tess_emit_copy(&self->ra, tess_gart_va(0, 0),
					    DATA_VA, 4096));
	ASSERT_EQ(0, tess_emit_fence(&self->ra, 0, 11, 0));
	ASSERT_EQ(0, tess_ring_kick(&self->ra));
	usleep(20000);
	/* Flip the entry between the pages while the copies run. */
	for (flips = 1; flips <= 41; flips++)
		ASSERT_EQ(0, tess_gart_set(a, 0, flips & 1 ?
					   IOVA_BASE + 0x10000 : IOVA_BASE,
					   TESSERA_GART_VALID |
					   TESSERA_GART_WRITABLE));
	/* Last value: page B. Page A must not be written from now on. */
	old = pa.vaddr;
	cur = pb.vaddr;
	memset(old, 0, 4096);
	ASSERT_EQ(0, tess_ring_wait_fence(&self->ra, 11, TIMEOUT_MS));
	for (i = 0; i < 1024 && !old[i]; i++)
		;
	EXPECT_EQ(1024, i);
	EXPECT_EQ(0x5eed, cur[0]);
	EXPECT_EQ(0x5eed, cur[1023]);
	EXPECT_GT(mdev_attr_u64(self->va.uuid, "tessera/gart_drains"), drains);
	EXPECT_EQ(TESSERA_ENG_STATE_WAITING, tess_eng_state(a, 0));
	ASSERT_EQ(0, vfio_dma_free(&a->vfio, &pb));
	ASSERT_EQ(0, vfio_dma_free(&a->vfio, &pa));
}

TEST_F(jobs, msix_eventfd_fires_per_fence)
{
	struct tess_dev *a = &self->va.t;
	int i, n, total = 0;

	ASSERT_EQ(0, vfio_irq_enable(&a->vfio, VFIO_PCI_MSIX_IRQ_INDEX,
				     1 + a->engines));
	tess_eng_wr(a, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	/* Not enabled yet: nothing. */
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 100));
	EXPECT_EQ(-ETIMEDOUT, vfio_irq_wait(&a->vfio, 1, 300));
	tess_eng_wr(a, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	tess_wr32(a, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	for (i = 1; i <= 5; i++) {
		ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA, 64, i));
		ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 100 + i));
		n = vfio_irq_wait(&a->vfio, TESSERA_MSIX_VECTOR_ENGINE(0), 5000);
		ASSERT_GT(n, 0);
		total += n;
		EXPECT_TRUE(tess_eng_rd(a, 0, TESSERA_ENG_INT_STATUS) &
			    TESSERA_ENG_INT_FENCE);
		EXPECT_TRUE(tess_rd32(a, TESSERA_REG_INT_STATUS) &
			    TESSERA_INT_ENGINE(0));
		tess_eng_wr(a, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
		EXPECT_EQ(0, tess_rd32(a, TESSERA_REG_INT_STATUS));
	}
	EXPECT_EQ(5, total);
	EXPECT_EQ(-ETIMEDOUT, vfio_irq_wait(&a->vfio, 0, 100));
	EXPECT_GE(mdev_attr_u64(self->va.uuid, "tessera/irqs"), 5);
	ASSERT_EQ(0, vfio_irq_disable(&a->vfio));
}

/*
 * A doorbell storm: A writes its doorbell for an engine it is not loaded
 * on (engine 1: never started there) as fast as it can for 2 s. Each
 * write sets A's DB_PENDING bit; the host takes at most
 * TESSERA_DB_PASSES_PER_MS (4) doorbell interrupts a millisecond, plus
 * one delayed unmask per tick (Documentation/dev/scheduler.rst,
 * "Doorbells"): here at most 8 per millisecond are allowed, where
 * one interrupt per write would give some hundreds. Meanwhile B's
 * jobs, which share engine 0 with A's idle ring, keep completing.
 */
TEST_F(jobs, doorbell_storm_is_coalesced)
{
	static const char *const keys[] = { "irqs", "passes", "throttled" };
	long long v0[3] = { 0 }, v1[3] = { 0 }, irq0, irqs;
	volatile u32 *db;
	u64 t0;
	double ms;
	long writes = 0;
	int jobs = 0;

	if (self->va.t.engines < 2)
		SKIP(return, "one engine");
	irq0 = sched_host_irqs("-global");
	if (irq0 < 0)
		SKIP(return, "no MSI-X global vector in /proc/interrupts");
	vgpu_debugfs_keys("doorbells", keys, 3, v0);
	ASSERT_NE(NULL, self->va.t.db);
	db = (volatile u32 *)((char *)self->va.t.db + TESSERA_DB_TAIL(1));
	t0 = tess_now_ms();
	while (tess_now_ms() - t0 < 2000) {
		int k;

		for (k = 0; k < 1000; k++)
			*db = 0;
		writes += 1000;
		/* B's job goes through its own doorbell, held by the storm. */
		if (writes % 20000 == 0) {
			ASSERT_EQ(0, tess_emit_fill(&self->rb, DATA_VA, 64,
						    0xdb000000u + jobs));
			ASSERT_EQ(0, vgpu_fence_wait(&self->rb, 1000 + jobs));
			jobs++;
		}
	}
	ms = tess_now_ms() - t0;
	irqs = sched_host_irqs("-global") - irq0;
	/* The last interrupt's pass is queued work: it may still be to run
	 * when the storm stops (1322 passes of 1323 interrupts read in CI).
	 */
	t0 = tess_now_ms();
	do {
		EXPECT_EQ(0, vgpu_debugfs_keys("doorbells", keys, 3, v1));
		if (v1[1] - v0[1] >= v1[0] - v0[0])
			break;
		tess_sleep_us(10000);
	} while (tess_now_ms() - t0 < 1000);
	TH_LOG("%ld doorbell writes in %.0f ms: %lld host interrupts",
	       writes, ms, irqs);
	TH_LOG("driver: %lld interrupts, %lld passes", v1[0] - v0[0],
	       v1[1] - v0[1]);
	TH_LOG("%lld passes throttled; B ran %d jobs", v1[2] - v0[2], jobs);
	EXPECT_LT(0, irqs);
	EXPECT_LE(irqs, (long long)(8 * ms) + 10);
	EXPECT_GE(v1[1] - v0[1], v1[0] - v0[0]);
	EXPECT_LT(0, jobs);
	EXPECT_EQ(0xdb000000u + jobs - 1, vram32(&self->vb.t, DATA_VA));
}

/* Touch one page of each mmapped aperture of @t: faults it in if revoked. */
static void touch_apertures(struct tess_dev *t)
{
	(void)*(volatile u32 *)t->vram;
	(void)*(volatile u32 *)t->db;
}

/*
 * A reset revokes the vGPU's own BAR2/BAR4 mappings and nobody else's.
 * Before 6.10 all VFIO device files share one inode: with the same region
 * offsets in every vGPU, A's unmap_mapping_range() would zap B's pages
 * too, and B would fault them in again (mmap_faults counts).
 */
TEST_F(jobs, reset_revokes_only_own_mappings)
{
	long long fa, fb;

	ASSERT_NE(NULL, self->va.t.vram);
	ASSERT_NE(NULL, self->va.t.db);
	ASSERT_NE(NULL, self->vb.t.vram);
	ASSERT_NE(NULL, self->vb.t.db);
	touch_apertures(&self->va.t);
	touch_apertures(&self->vb.t);
	fa = mdev_attr_u64(self->va.uuid, "tessera/mmap_faults");
	fb = mdev_attr_u64(self->vb.uuid, "tessera/mmap_faults");
	ASSERT_LE(2, fa);
	ASSERT_LE(2, fb);
	/* Mapped: touching again faults nothing. */
	touch_apertures(&self->va.t);
	touch_apertures(&self->vb.t);
	EXPECT_EQ(fa, mdev_attr_u64(self->va.uuid, "tessera/mmap_faults"));
	EXPECT_EQ(fb, mdev_attr_u64(self->vb.uuid, "tessera/mmap_faults"));
	ASSERT_EQ(0, vfio_dev_reset(&self->va.t.vfio));
	touch_apertures(&self->va.t);
	touch_apertures(&self->vb.t);
	/* A's two pages came back through the fault handler; B kept its. */
	EXPECT_EQ(fa + 2, mdev_attr_u64(self->va.uuid, "tessera/mmap_faults"));
	EXPECT_EQ(fb, mdev_attr_u64(self->vb.uuid, "tessera/mmap_faults"));
	/* And the other way round. */
	ASSERT_EQ(0, vfio_dev_reset(&self->vb.t.vfio));
	touch_apertures(&self->va.t);
	touch_apertures(&self->vb.t);
	EXPECT_EQ(fa + 2, mdev_attr_u64(self->va.uuid, "tessera/mmap_faults"));
	EXPECT_EQ(fb + 2, mdev_attr_u64(self->vb.uuid, "tessera/mmap_faults"));
}

TEST_F(jobs, reset_drops_all_state)
{
	struct tess_dev *a = &self->va.t;
	struct vfio_dma_buf buf;

	ASSERT_EQ(0, vfio_dma_alloc(&a->vfio, &buf, 4096, IOVA_BASE));
	ASSERT_EQ(0, tess_gart_set(a, 3, IOVA_BASE, TESSERA_GART_VALID));
	EXPECT_EQ(1, mdev_attr_u64(self->va.uuid, "tessera/gart_pinned"));
	tess_wr32(a, TESSERA_REG_SCRATCH, 0x99);
	tess_wr32(a, TESSERA_REG_INT_ENABLE, 1);
	tess_eng_wr(a, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_ALL);
	ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA, 65536, 0x3c3c3c3c));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 1));
	ASSERT_EQ(0x3c3c3c3c, vram32(a, DATA_VA + 65532));

	ASSERT_EQ(0, vfio_dev_reset(&a->vfio));

	EXPECT_EQ(0, tess_rd32(a, TESSERA_REG_SCRATCH));
	EXPECT_EQ(0, tess_rd32(a, TESSERA_REG_INT_ENABLE));
	EXPECT_EQ(0, tess_eng_rd(a, 0, TESSERA_ENG_INT_MASK));
	EXPECT_EQ(0, tess_eng_rd(a, 0, TESSERA_ENG_INT_STATUS));
	EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(a, 0));
	EXPECT_EQ(0, tess_ctx_rd(a, 0, TESSERA_CTX_CTRL));
	EXPECT_EQ(0, tess_rd64(a, TESSERA_CTX_REG(0, TESSERA_CTX_VRAM_SIZE_LO)));
	EXPECT_EQ(0, tess_ringreg_rd(a, 0, 0, TESSERA_RING_SIZE));
	EXPECT_EQ(0, tess_ringreg_rd(a, 0, 0, TESSERA_RING_HEAD));
	EXPECT_EQ(0, tess_rd64(a, TESSERA_CTX_RING_REG(0, 0, TESSERA_RING_FENCE_LO)));
	EXPECT_EQ(0, tess_gart_get(a, 3));
	EXPECT_EQ(0, mdev_attr_u64(self->va.uuid, "tessera/gart_pinned"));
	/* VRAM scrubbed (the mmap faults back in). */
	EXPECT_EQ(-1, tess_vram_check32(a, 0, 0x20000, 0));
	EXPECT_EQ(0, vram32(a, a->vram_size - 4));
	/* And the vGPU works again after reprogramming. */
	ASSERT_EQ(0, vgpu_setup(a, &self->ra, 0, 0));
	ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA, 64, 0x42));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 1));
	EXPECT_EQ(0x42, vram32(a, DATA_VA));
	vfio_dma_free(&a->vfio, &buf);
}

TEST_F(jobs, fresh_vgpu_vram_reads_zero)
{
	char uc[MDEV_UUID_LEN];
	struct tess_dev c;
	long long base;
	u64 i, bad = 0;
	const u64 *p;

	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, uc));
	ASSERT_EQ(0, tess_open_mdev(&c, uc));
	base = mdev_attr_u64(uc, "tessera/vram_base");
	memset(c.vram, 0xcc, c.vram_size);
	tess_close(&c);
	ASSERT_EQ(0, mdev_remove(uc));

	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, uc));
	ASSERT_EQ(0, tess_open_mdev(&c, uc));
	TH_LOG("old partition 0x%llx, new 0x%llx", base,
	       mdev_attr_u64(uc, "tessera/vram_base"));
	p = c.vram;
	for (i = 0; i < c.vram_size / 8; i++)
		bad += p[i] != 0;
	EXPECT_EQ(0, bad);
	tess_close(&c);
	ASSERT_EQ(0, mdev_remove(uc));
}

TEST_HARNESS_MAIN
