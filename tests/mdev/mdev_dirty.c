// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_dirty: device dirty tracking of guest memory (vfio_log_ops, the
 * VFIO_DEVICE_FEATURE_DMA_LOGGING_* features), the test playing the VMM.
 * The vGPU offers it exactly when the kernel can report (sysfs dirty_log
 * "supported"; Documentation/dev/migration.rst); then a page a writable
 * GART entry maps is reported dirty once the context has run (and again
 * only after it ran again), a page whose entry goes away is reported, a
 * read-only or unlogged page never is; START twice, a bad page size and a
 * report without START fail with a clear errno; close stops logging.
 */
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "mdev-common.h"

#define IOVA_BASE	0x1000000ull	/* 16 MiB: the logged range */
#define NPAGES		8
#define OUTSIDE		0x3000000ull	/* mapped, not logged */
#define DATA_VA		0x100000ull
#define PG		4096ull
#define NO_DLOG		"the vGPU offers no DMA logging on this kernel (it needs migration, 6.3, and iova_bitmap: < 6.7 or CONFIG_IOMMUFD_DRIVER)"

/* One VFIO_DEVICE_FEATURE call; 0 or -errno. */
static int feature(struct tess_dev *t, u32 flags, const void *data,
		   size_t len)
{
	u64 buf[(sizeof(struct vfio_device_feature) + 64 + 7) / 8];
	struct vfio_device_feature *f = (void *)buf;

	memset(buf, 0, sizeof(buf));
	f->argsz = sizeof(*f) + len;
	f->flags = flags;
	if (len)
		memcpy(f->data, data, len);
	return ioctl(t->vfio.device_fd, VFIO_DEVICE_FEATURE, f) ? -errno : 0;
}

/* DMA_LOGGING_START over [iova, iova + len) with @page_size; 0 or -errno. */
static int log_start(struct tess_dev *t, u64 iova, u64 len, u64 page_size)
{
	struct vfio_device_feature_dma_logging_range r = {
		.iova = iova, .length = len,
	};
	struct vfio_device_feature_dma_logging_control c = {
		.page_size = page_size, .num_ranges = 1,
		.ranges = (uintptr_t)&r,
	};

	return feature(t, VFIO_DEVICE_FEATURE_SET |
		       VFIO_DEVICE_FEATURE_DMA_LOGGING_START, &c, sizeof(c));
}

static int log_stop(struct tess_dev *t)
{
	return feature(t, VFIO_DEVICE_FEATURE_SET |
		       VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP, NULL, 0);
}

/*
 * DMA_LOGGING_REPORT of [iova, iova + npages * PG) in 4 KiB pages:
 * the bitmap's first word in @bits; 0 or -errno.
 */
static int log_report(struct tess_dev *t, u64 iova, unsigned int npages,
		      u64 *bits)
{
	struct vfio_device_feature_dma_logging_report r = {
		.iova = iova, .length = npages * PG, .page_size = PG,
		.bitmap = (uintptr_t)bits,
	};

	*bits = 0;
	return feature(t, VFIO_DEVICE_FEATURE_GET |
		       VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT, &r, sizeof(r));
}

/*
 * Reports of the whole range until one comes back empty (three at most):
 * the union of their bits, or ~0 if the third was not empty. A ring that
 * stays loaded after a run may have its runtime accounted a look later,
 * which counts as a run once more.
 */
static u64 drain_reports(struct tess_dev *t)
{
	u64 all = 0, bits;
	int i;

	for (i = 0; i < 3; i++) {
		if (log_report(t, IOVA_BASE, NPAGES, &bits))
			return ~0ull;
		if (!bits)
			return all;
		all |= bits;
	}
	return ~0ull;
}

static int dlog_supported(const char *uuid)
{
	char buf[256];
	int s = -1;

	if (mdev_attr(uuid, "tessera/dirty_log", buf, sizeof(buf)) ||
	    sscanf(buf, "supported %d", &s) != 1)
		return -1;
	return s;
}

/* Field @name of tessera/dirty_log, or -1. */
static long long dlog_field(const char *uuid, const char *name)
{
	char buf[256], *p;

	if (mdev_attr(uuid, "tessera/dirty_log", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, name);
	return p ? strtoll(p + strlen(name) + 1, NULL, 0) : -1;
}

FIXTURE(dlog) {
	char ua[MDEV_UUID_LEN];
	struct tess_dev a;
	struct tess_ring ra;
	struct vfio_dma_buf buf, out;
	int created;
	u64 fence;
};

FIXTURE_SETUP(dlog)
{
	unsigned int i;

	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, self->ua));
	self->created = 1;
	ASSERT_EQ(0, tess_open_mdev(&self->a, self->ua)) {
		TH_LOG("%s", self->a.err);
	}
	ASSERT_EQ(0, vgpu_setup(&self->a, &self->ra, 0, 0));
	ASSERT_EQ(0, vfio_dma_alloc(&self->a.vfio, &self->buf, NPAGES * PG,
				    IOVA_BASE));
	ASSERT_EQ(0, vfio_dma_alloc(&self->a.vfio, &self->out, PG, OUTSIDE));
	/* Entries 0-3 writable, 4-5 read-only, 6-7 unused; 8 writable,
	 * outside the logged range.
	 */
	for (i = 0; i < 6; i++)
		ASSERT_EQ(0, tess_gart_set(&self->a, i, IOVA_BASE + i * PG,
					   TESSERA_GART_VALID |
					   (i < 4 ? TESSERA_GART_WRITABLE : 0)));
	ASSERT_EQ(0, tess_gart_set(&self->a, 8, OUTSIDE, TESSERA_GART_VALID |
				   TESSERA_GART_WRITABLE));
}

FIXTURE_TEARDOWN(dlog)
{
	tess_close(&self->a);
	if (self->created)
		mdev_remove(self->ua);
}

/* A job that writes GART page @page (VRAM -> system memory). */
static int write_page(struct tess_ring *r, u64 *fence, u32 page,
		      u32 pattern)
{
	int ret = tess_emit_fill(r, DATA_VA, PG, pattern);

	if (!ret)
		ret = tess_emit_copy(r, tess_gart_va(page, 0), DATA_VA, PG);
	if (!ret)
		ret = vgpu_fence_wait(r, ++*fence);
	return ret;
}

TEST_F(dlog, offered_exactly_when_the_kernel_can_report)
{
	int s = dlog_supported(self->ua);
	int probe = feature(&self->a, VFIO_DEVICE_FEATURE_PROBE |
			    VFIO_DEVICE_FEATURE_SET |
			    VFIO_DEVICE_FEATURE_DMA_LOGGING_START, NULL, 0);

	ASSERT_NE(-1, s);
	TH_LOG("DMA logging %s on this kernel", s ? "offered" : "not offered");
	if (s) {
		EXPECT_EQ(0, probe);
	} else {
		EXPECT_EQ(-ENOTTY, probe);
		EXPECT_EQ(-ENOTTY, log_start(&self->a, IOVA_BASE,
					     NPAGES * PG, PG));
	}
}

TEST_F(dlog, written_pages_are_reported_once_per_run)
{
	u32 *p = self->buf.vaddr;
	u64 bits, out;

	if (dlog_supported(self->ua) != 1)
		SKIP(return, NO_DLOG);
	ASSERT_EQ(0, log_start(&self->a, IOVA_BASE, NPAGES * PG, PG));
	EXPECT_EQ(1, dlog_field(self->ua, "active"));
	/* Nothing ran since START: nothing is dirty. */
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(0, bits);
	/* The device writes page 1: every writable page is reported (the
	 * rule is per run, not per write), the read-only ones are not.
	 */
	ASSERT_EQ(0, write_page(&self->ra, &self->fence, 1, 0x5eed0001));
	EXPECT_EQ(0x5eed0001, p[PG / 4]);
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(0xfull, bits);
	/* Reported and cleared: idle, nothing more soon. */
	EXPECT_EQ(0, drain_reports(&self->a) & ~0xfull);
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(0, bits);
	/* The entry outside the logged range is never reported. */
	ASSERT_EQ(0, write_page(&self->ra, &self->fence, 8, 0x5eed0008));
	ASSERT_EQ(0, log_report(&self->a, OUTSIDE, 1, &out));
	EXPECT_EQ(0, out);
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(0xfull, bits);
	EXPECT_EQ(0, drain_reports(&self->a) & ~0xfull);
	/* A report of part of the range clears only that part. */
	ASSERT_EQ(0, write_page(&self->ra, &self->fence, 3, 0x5eed0003));
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, 2, &bits));
	EXPECT_EQ(0x3ull, bits);
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(0xcull, bits & ~0x3ull);
	EXPECT_EQ(0, drain_reports(&self->a) & ~0xfull);
	ASSERT_EQ(0, log_stop(&self->a));
	EXPECT_EQ(0, dlog_field(self->ua, "active"));
	EXPECT_EQ(-EINVAL, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
}

TEST_F(dlog, a_page_whose_entry_goes_away_is_reported)
{
	u64 bits;

	if (dlog_supported(self->ua) != 1)
		SKIP(return, NO_DLOG);
	ASSERT_EQ(0, log_start(&self->a, IOVA_BASE, NPAGES * PG, PG));
	/* Entry 2 moves to page 6, read-only entry 4 to page 7: only the
	 * writable one's old page is dirty (the context has not run).
	 */
	ASSERT_EQ(0, tess_gart_set(&self->a, 2, IOVA_BASE + 6 * PG,
				   TESSERA_GART_VALID | TESSERA_GART_WRITABLE));
	ASSERT_EQ(0, tess_gart_set(&self->a, 4, IOVA_BASE + 7 * PG,
				   TESSERA_GART_VALID));
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(1ull << 2, bits);
	/* After a run: the live writable pages 0, 1, 3 and 6. */
	ASSERT_EQ(0, write_page(&self->ra, &self->fence, 2, 0x5eed0002));
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(0x4bull, bits);
	EXPECT_EQ(0, drain_reports(&self->a) & ~0x4bull);
	/* Unmapping the memory takes the entries' pins: reported once. */
	ASSERT_EQ(0, vfio_dma_free(&self->a.vfio, &self->buf));
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(0x4bull, bits);
	ASSERT_EQ(0, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	EXPECT_EQ(0, bits);
	EXPECT_GE(dlog_field(self->ua, "pages"), 9);
}

TEST_F(dlog, bad_requests_get_a_clear_errno)
{
	u64 bits;
	struct vfio_device_feature_dma_logging_report big = {
		.iova = IOVA_BASE, .length = 2 << 20, .page_size = 2 << 20,
		.bitmap = (uintptr_t)&bits,
	};

	if (dlog_supported(self->ua) != 1)
		SKIP(return, NO_DLOG);
	/* Stop without start is no error; report without start is. */
	EXPECT_EQ(0, log_stop(&self->a));
	EXPECT_EQ(-EINVAL, log_report(&self->a, IOVA_BASE, NPAGES, &bits));
	/* Page sizes: not a power of two, beyond 1 GiB. */
	EXPECT_EQ(-EINVAL, log_start(&self->a, 0, 3 * PG * 4, 3 * PG));
	EXPECT_EQ(-EINVAL, log_start(&self->a, 0, 1ull << 31, 1ull << 31));
	/* Started once, not twice; again after a stop. */
	ASSERT_EQ(0, log_start(&self->a, IOVA_BASE, NPAGES * PG, PG));
	EXPECT_EQ(-EBUSY, log_start(&self->a, IOVA_BASE, NPAGES * PG, PG));
	ASSERT_EQ(0, log_stop(&self->a));
	ASSERT_EQ(0, log_start(&self->a, IOVA_BASE, NPAGES * PG, PG));
	/* A bigger page size: one bit covers the whole range. */
	ASSERT_EQ(0, log_stop(&self->a));
	ASSERT_EQ(0, log_start(&self->a, IOVA_BASE, 2 << 20, 2 << 20));
	ASSERT_EQ(0, write_page(&self->ra, &self->fence, 0, 0x5eed0010));
	bits = 0;
	ASSERT_EQ(0, feature(&self->a, VFIO_DEVICE_FEATURE_GET |
			     VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
			     &big, sizeof(big)));
	EXPECT_EQ(1, bits);
}

TEST_F(dlog, close_stops_logging)
{
	if (dlog_supported(self->ua) != 1)
		SKIP(return, NO_DLOG);
	ASSERT_EQ(0, log_start(&self->a, IOVA_BASE, NPAGES * PG, PG));
	ASSERT_EQ(0, write_page(&self->ra, &self->fence, 0, 0x5eed0020));
	EXPECT_EQ(1, dlog_field(self->ua, "active"));
	ASSERT_EQ(0, vfio_dma_free(&self->a.vfio, &self->out));
	tess_close(&self->a);
	EXPECT_EQ(0, dlog_field(self->ua, "active"));
	/* Open again: a fresh START is accepted. */
	ASSERT_EQ(0, tess_open_mdev(&self->a, self->ua));
	EXPECT_EQ(0, log_start(&self->a, IOVA_BASE, NPAGES * PG, PG));
}

TEST_HARNESS_MAIN
