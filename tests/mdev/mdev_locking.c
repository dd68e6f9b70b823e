// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_locking: BAR2 mmaps racing with GART writes of the same vGPU in
 * the same process, as QEMU does (it mmaps the BARs, the guest writes
 * GART entries later, both in one address space).
 *
 * mmap() runs under the mm's mmap_lock (write); a GART write pins the
 * guest page with vfio_pin_pages(), which takes that mmap_lock for
 * reading. If the vGPU's mmap takes a lock that the GART write holds
 * around the pin, the two threads deadlock (ABBA); a lockdep kernel (the
 * debug stage of make check) reports the cycle even when the timing
 * spares us.
 *
 * The second test races the user's VFIO_IOMMU_UNMAP_DMA against guest
 * rewrites of GART entries that point into the range. type1 calls the
 * vGPU's dma_unmap under its device_list_lock and retries while pages of
 * the range stay pinned (BUG_ON after 10 retries); the vGPU must neither
 * take a lock there that it holds across vfio_pin_pages() (lockdep cycle
 * through iommu->lock), nor pin the range again while it is being unmapped.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mdev-common.h"

#define IOVA_BASE	0x1000000ull
#define NPAGES		16
#define ROUNDS		200

FIXTURE(lk) {
	char uuid[MDEV_UUID_LEN];
	struct tess_dev t;
	int created;
};

FIXTURE_SETUP(lk)
{
	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, self->uuid));
	self->created = 1;
	ASSERT_EQ(0, tess_open_mdev(&self->t, self->uuid)) {
		TH_LOG("%s", self->t.err);
	}
	ASSERT_EQ(0, tess_ctx_setup(&self->t, 0, 0, self->t.vram_size, 0,
				    self->t.gart_entries));
}

FIXTURE_TEARDOWN(lk)
{
	tess_close(&self->t);
	if (self->created)
		mdev_remove(self->uuid);
}

struct mapper {
	int fd;
	u64 offset;
	int failures;
};

static void *map_bar2(void *arg)
{
	struct mapper *m = arg;
	volatile u32 *p;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			 m->fd, m->offset);
		if (p == MAP_FAILED) {
			m->failures++;
			continue;
		}
		p[i % 1024] = i;	/* fault it in */
		munmap((void *)p, 4096);
	}
	return NULL;
}

TEST_F(lk, bar2_mmap_races_gart_writes)
{
	struct tess_dev *t = &self->t;
	struct vfio_region *r = vfio_region_get(&t->vfio, TESSERA_BAR_VRAM);
	struct vfio_dma_buf buf;
	struct mapper m;
	pthread_t th;
	int i, bad = 0;

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, vfio_dma_alloc(&t->vfio, &buf, NPAGES * 4096, IOVA_BASE));
	m.fd = t->vfio.device_fd;
	m.offset = r->offset;
	m.failures = 0;
	ASSERT_EQ(0, pthread_create(&th, NULL, map_bar2, &m));
	/* Each write of a new address pins (and unpins the old page). */
	for (i = 0; i < ROUNDS; i++) {
		u32 e = i % NPAGES;
		u64 iova = IOVA_BASE + ((e + i / NPAGES) % NPAGES) * 4096;

		bad += tess_gart_set(t, e, iova, TESSERA_GART_VALID |
				     TESSERA_GART_WRITABLE) != 0;
	}
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, m.failures);
	EXPECT_EQ(NPAGES, mdev_attr_u64(self->uuid, "tessera/gart_pinned"));
	EXPECT_EQ(0, mdev_attr_u64(self->uuid, "tessera/gart_errors"));
	for (i = 0; i < NPAGES; i++)
		ASSERT_EQ(0, tess_gart_set(t, i, 0, 0));
	EXPECT_EQ(0, mdev_attr_u64(self->uuid, "tessera/gart_pinned"));
	EXPECT_EQ(0, vfio_dma_free(&t->vfio, &buf));
}

struct rewriter {
	struct tess_dev *t;
	atomic_int stop;
	long writes;
};

/* Guest side: keep pointing entries 0..3 at pages of the range, anew. */
static void *rewrite_gart(void *arg)
{
	struct rewriter *w = arg;
	long i;

	for (i = 0; !atomic_load(&w->stop); i++) {
		u32 e = i % 4;
		u64 iova = IOVA_BASE + ((e + i / 4) % NPAGES) * 4096;

		tess_gart_set(w->t, e, iova, TESSERA_GART_VALID |
			      TESSERA_GART_WRITABLE);
		w->writes++;
	}
	return NULL;
}

TEST_F_TIMEOUT(lk, dma_unmap_races_gart_rewrites, 300)
{
	struct tess_dev *t = &self->t;
	struct rewriter w = { .t = t };
	struct vfio_dma_buf buf;
	struct timespec t0, now;
	pthread_t th;
	int i, unmap_failures = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, pthread_create(&th, NULL, rewrite_gart, &w));
	/* 50 rounds, or as many as fit in 60 s on a slow (TCG) machine. */
	for (i = 0; i < ROUNDS / 4; i++) {
		ASSERT_EQ(0, vfio_dma_alloc(&t->vfio, &buf, NPAGES * 4096,
					    IOVA_BASE));
		usleep(2000);	/* the rewriter pins pages of it */
		unmap_failures += vfio_dma_free(&t->vfio, &buf) != 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > 60)
			break;
	}
	atomic_store(&w.stop, 1);
	ASSERT_EQ(0, pthread_join(th, NULL));
	TH_LOG("%ld GART writes during %d map/unmap rounds, %llu unmap retries",
	       w.writes, i,
	       (unsigned long long)mdev_attr_u64(self->uuid,
						 "tessera/unmap_retries"));
	EXPECT_EQ(0, unmap_failures);
	EXPECT_LE(5, i);
	/* Nothing stays pinned in an unmapped range. */
	EXPECT_EQ(0, mdev_attr_u64(self->uuid, "tessera/gart_pinned"));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, tess_gart_set(t, i, 0, 0));
	EXPECT_EQ(0, mdev_attr_u64(self->uuid, "tessera/gart_pinned"));
}

TEST_HARNESS_MAIN
