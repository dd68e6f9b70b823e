// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_migration: the test plays the VMM of VFIO migration v2 (no VM).
 * vGPU A runs checked jobs, goes RUNNING -> PRE_COPY -> STOP_COPY -> STOP
 * while its data is read; vGPU B goes RESUMING, takes the data, then
 * RUNNING: the jobs finish on B with the results they have on A, A's VRAM
 * equals B's, B's interrupts keep coming. Streams cut short, of another
 * type, with a corrupted header or sections are refused with a clear
 * errno and the destination stays usable; invalid arcs fail with EINVAL.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mdev-common.h"

#define DATA_VA		0x100000ull	/* jobs' regions: 1..5 MiB */
#define REGION		0x10000u	/* 64 KiB per job region */
#define NREG		16
#define NJOBS		48
#define CPU_OFF		0x700000ull	/* written by the CPU in PRE_COPY */
#define OTHER_TYPE	"tessera-32m"
#define BUSY_NS		20000000ull	/* per queued job: work in flight */

/*
 * PRE_COPY came with Linux 6.2; the libc's <linux/vfio.h> may be older
 * (Debian 12's is 6.1). Values of the kernel's uapi.
 */
#define MIG_PRE_COPY		6	/* VFIO_DEVICE_STATE_PRE_COPY */
#define MIG_PRE_COPY_P2P	7	/* VFIO_DEVICE_STATE_PRE_COPY_P2P */
#define MIG_FLAG_PRE_COPY	4	/* VFIO_MIGRATION_PRE_COPY */
struct mig_precopy_info {		/* struct vfio_precopy_info */
	u32 argsz;
	u32 flags;
	u64 initial_bytes;
	u64 dirty_bytes;
};

#define MIG_GET_PRECOPY_INFO	_IO(VFIO_TYPE, VFIO_BASE + 21)
#define MIG_FEATURE_DATA_SIZE	9	/* VFIO_DEVICE_FEATURE_MIG_DATA_SIZE */

/* Stream layout (Documentation/dev/migration.rst). */
#define HDR_SIZE	96
#define SEC_SIZE	16

static int mig_set(struct tess_dev *t, u32 state)
{
	u64 buf[(sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_feature_mig_state) + 7) / 8];
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_mig_state *ms = (void *)f->data;

	memset(buf, 0, sizeof(buf));
	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_SET |
		   VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	ms->device_state = state;
	ms->data_fd = -1;
	if (ioctl(t->vfio.device_fd, VFIO_DEVICE_FEATURE, f))
		return -errno;
	return ms->data_fd >= 0 ? ms->data_fd : 0;	/* 0: no file */
}

static int mig_get(struct tess_dev *t)
{
	u64 buf[(sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_feature_mig_state) + 7) / 8];
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_mig_state *ms = (void *)f->data;

	memset(buf, 0, sizeof(buf));
	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_GET |
		   VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	if (ioctl(t->vfio.device_fd, VFIO_DEVICE_FEATURE, f))
		return -errno;
	return ms->device_state;
}

static int mig_flags(struct tess_dev *t, u64 *flags)
{
	u64 buf[(sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_feature_migration) + 7) / 8];
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_migration *m = (void *)f->data;

	memset(buf, 0, sizeof(buf));
	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION;
	if (ioctl(t->vfio.device_fd, VFIO_DEVICE_FEATURE, f))
		return -errno;
	*flags = m->flags;
	return 0;
}

/* VFIO_DEVICE_FEATURE_MIG_DATA_SIZE: the VMM's STOP_COPY estimate. */
static int mig_data_size(struct tess_dev *t, u64 *len)
{
	u64 buf[(sizeof(struct vfio_device_feature) + sizeof(u64) + 7) / 8];
	struct vfio_device_feature *f = (void *)buf;

	memset(buf, 0, sizeof(buf));
	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_GET | MIG_FEATURE_DATA_SIZE;
	if (ioctl(t->vfio.device_fd, VFIO_DEVICE_FEATURE, f))
		return -errno;
	memcpy(len, f->data, sizeof(*len));
	return 0;
}

static int precopy_info(int fd, u64 *initial, u64 *dirty)
{
	struct mig_precopy_info info = { .argsz = sizeof(info) };

	if (ioctl(fd, MIG_GET_PRECOPY_INFO, &info))
		return -errno;
	*initial = info.initial_bytes;
	*dirty = info.dirty_bytes;
	return 0;
}

struct stream {
	char *buf;
	size_t len, cap;
};

/* Read until EOF (STOP_COPY) or ENOMSG (PRE_COPY); 0 or -errno. */
static int stream_read(int fd, struct stream *s, int *enomsg)
{
	ssize_t n;

	for (;;) {
		if (s->cap - s->len < (1 << 20)) {
			s->cap = s->cap ? s->cap * 2 : 16 << 20;
			s->buf = realloc(s->buf, s->cap);
			if (!s->buf)
				return -ENOMEM;
		}
		n = read(fd, s->buf + s->len, 1 << 20);
		if (n < 0) {
			if (errno == ENOMSG && enomsg) {
				*enomsg = 1;
				return 0;
			}
			return -errno;
		}
		if (!n)
			return 0;
		s->len += n;
	}
}

static int stream_write(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len > (1 << 20) ? 1 << 20 : len);
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* Read what MIG_GET_PRECOPY_INFO calls initial; 0 or -errno. */
static int precopy_initial(int fd, struct stream *s)
{
	u64 initial = 0, dirty = 0;
	ssize_t n;
	int ret;

	for (;;) {
		ret = precopy_info(fd, &initial, &dirty);
		if (ret || !initial)
			return ret;
		if (initial > 1 << 20)
			initial = 1 << 20;
		if (s->cap - s->len < initial) {
			s->cap = s->cap ? s->cap * 2 : 16 << 20;
			s->buf = realloc(s->buf, s->cap);
			if (!s->buf)
				return -ENOMEM;
		}
		n = read(fd, s->buf + s->len, initial);
		if (n <= 0)
			return n ? -errno : -EIO;
		s->len += n;
	}
}

/* Offset of the first section @id of a stream, or 0. */
static size_t find_sec(const char *p, size_t len, u32 id)
{
	size_t off = HDR_SIZE;
	u32 sid;
	u64 slen;

	while (off + SEC_SIZE <= len) {
		memcpy(&sid, p + off, 4);
		memcpy(&slen, p + off + 8, 8);
		if (sid == id)
			return off;
		off += SEC_SIZE + slen;
	}
	return 0;
}

/* The whole stream of a device that is RUNNING, leaving it in STOP. */
static int save_stopped(struct tess_dev *t, struct stream *s)
{
	int fd, ret;

	fd = mig_set(t, VFIO_DEVICE_STATE_STOP_COPY);
	if (fd <= 0)
		return fd ? fd : -EBADF;
	ret = stream_read(fd, s, NULL);
	close(fd);
	if (!ret && mig_set(t, VFIO_DEVICE_STATE_STOP) < 0)
		ret = -EIO;
	return ret;
}

/* Feed @len bytes of @p to @t in RESUMING; returns the write's -errno. */
static int resume_feed(struct tess_dev *t, const char *p, size_t len,
		       int *fdp)
{
	int fd = mig_set(t, VFIO_DEVICE_STATE_RESUMING);

	if (fd <= 0)
		return fd ? fd : -EBADF;
	*fdp = fd;
	return stream_write(fd, p, len);
}

/* Expected content of job region @k after jobs 1..@n. */
static u32 region_pattern(unsigned int k, unsigned int n)
{
	unsigned int i, last = 0;

	for (i = 1; i <= n; i++)
		if (i % NREG == k)
			last = i;
	return last ? 0x5a000000 + last : 0;
}

/* Job @i: FILL a region, COPY it to another, some device time, FENCE. */
static int emit_job(struct tess_ring *r, unsigned int i, u64 busy_ns)
{
	u64 src = DATA_VA + (u64)(i % NREG) * REGION;
	u64 dst = DATA_VA + (u64)(NREG + i % NREG) * REGION;
	int ret;

	ret = tess_emit_fill(r, src, REGION, 0x5a000000 + i);
	if (!ret && busy_ns)
		ret = tess_emit_busy(r, busy_ns);
	if (!ret)
		ret = tess_emit_copy(r, dst, src, REGION);
	if (!ret)
		ret = tess_emit_fence(r, TESSERA_FENCE_IRQ, i, 0);
	return ret;
}

/* Every job's two regions hold what jobs 1..@n leave; -1 or a region. */
static int check_jobs(struct tess_dev *t, unsigned int n)
{
	unsigned int k;
	u32 want;

	for (k = 0; k < NREG; k++) {
		want = region_pattern(k, n);
		if (tess_vram_check32(t, DATA_VA + (u64)k * REGION, REGION,
				      want) != -1)
			return k;
		if (tess_vram_check32(t, DATA_VA + (u64)(NREG + k) * REGION,
				      REGION, want) != -1)
			return NREG + k;
	}
	return -1;
}

FIXTURE(mig) {
	char ua[MDEV_UUID_LEN], ub[MDEV_UUID_LEN];
	struct tess_dev a, b;
	struct tess_ring ra;
	int created;
	int kmsg;
};

FIXTURE_SETUP(mig)
{
	char desc[256];
	u64 flags = 0;

	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	/* Before any vGPU exists: a skipped setup gets no teardown. */
	if (!mdev_type_attr(mdev_parent(), SMALL_TYPE, "description", desc,
			    sizeof(desc)) && strstr(desc, "migration=none"))
		SKIP(return, "no VFIO migration on this kernel (needs 6.3)");
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, self->ua));
	self->created = 1;
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, self->ub));
	self->created = 2;
	ASSERT_EQ(0, tess_open_mdev(&self->a, self->ua)) {
		TH_LOG("%s", self->a.err);
	}
	ASSERT_EQ(0, tess_open_mdev(&self->b, self->ub)) {
		TH_LOG("%s", self->b.err);
	}
	ASSERT_EQ(0, mig_flags(&self->a, &flags));
	ASSERT_EQ(VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |
		  MIG_FLAG_PRE_COPY, flags);
	ASSERT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(&self->a));
	ASSERT_EQ(0, vgpu_setup(&self->a, &self->ra, 0, 0));
	self->kmsg = kmsg_mark();
}

FIXTURE_TEARDOWN(mig)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
	tess_close(&self->a);
	tess_close(&self->b);
	if (self->created > 0)
		mdev_remove(self->ua);
	if (self->created > 1)
		mdev_remove(self->ub);
}

TEST_F(mig, version_is_visible_before_migrating)
{
	char buf[256];

	ASSERT_EQ(0, mdev_type_attr(mdev_parent(), SMALL_TYPE, "description",
				    buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "migration=v1"));
	EXPECT_EQ(1, mdev_attr_u64(self->ua, "tessera/migration_version"));
}

TEST_F(mig, running_jobs_move_from_a_to_b)
{
	struct tess_dev *a = &self->a, *b = &self->b;
	struct stream s = {};
	struct tess_ring rb;
	u64 initial = 0, dirty = 0, initial0 = 0;
	unsigned int i, e0 = TESSERA_MSIX_VECTOR_ENGINE(0);
	int fd, bfd, n, got;
	char *va, *vb;

	/* The guest's interrupt setup: fence interrupts of engine 0. */
	ASSERT_EQ(0, vfio_irq_enable(&a->vfio, VFIO_PCI_MSIX_IRQ_INDEX,
				     1 + a->engines));
	tess_eng_wr(a, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	tess_wr32(a, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	/* A first batch completes on A. */
	for (i = 1; i <= 8; i++)
		ASSERT_EQ(0, emit_job(&self->ra, i, 0));
	ASSERT_EQ(0, tess_ring_kick(&self->ra));
	ASSERT_EQ(0, tess_ring_wait_fence(&self->ra, 8, TIMEOUT_MS));
	EXPECT_EQ(-1, check_jobs(a, 8));
	EXPECT_GT(vfio_irq_wait(&a->vfio, e0, 1000), 0);

	/* More work queued, then pre-copy starts while it runs. */
	for (i = 9; i <= NJOBS; i++)
		ASSERT_EQ(0, emit_job(&self->ra, i, BUSY_NS));
	ASSERT_EQ(0, tess_ring_kick(&self->ra));

	fd = mig_set(a, MIG_PRE_COPY);
	ASSERT_LT(0, fd) {
		TH_LOG("PRE_COPY: %s", strerror(-fd));
	}
	ASSERT_EQ(0, precopy_info(fd, &initial0, &dirty));
	EXPECT_GE(initial0, a->vram_size);
	/* As QEMU does: read the initial data, then stop. */
	ASSERT_EQ(0, precopy_initial(fd, &s));
	EXPECT_EQ(initial0, s.len);
	ASSERT_EQ(0, precopy_info(fd, &initial, &dirty));
	EXPECT_EQ(0, initial);
	TH_LOG("pre-copy: %zu bytes initial, then %llu dirty",
	       s.len, (unsigned long long)dirty);

	/* The CPU writes the partition during pre-copy: it must arrive. */
	va = a->vram;
	ASSERT_NE(NULL, va);
	memset(va + CPU_OFF, 0xc5, 8192);
	ASSERT_EQ(0, precopy_info(fd, &initial, &dirty));
	EXPECT_GE(dirty, 8192);

	/* Stop: the rest of the state. */
	ASSERT_EQ(0, mig_set(a, VFIO_DEVICE_STATE_STOP_COPY));
	EXPECT_EQ(VFIO_DEVICE_STATE_STOP_COPY, mig_get(a));
	EXPECT_EQ(-EINVAL, precopy_info(fd, &initial, &dirty));
	ASSERT_EQ(0, stream_read(fd, &s, NULL));
	ASSERT_EQ(0, mig_set(a, VFIO_DEVICE_STATE_STOP));
	close(fd);
	TH_LOG("stream: %zu bytes, fence at the stop %llu of %u",
	       s.len, (unsigned long long)tess_rd64(a,
			TESSERA_ENG_REG(0, TESSERA_ENG_FENCE_LO)), NJOBS);

	/* B takes it. */
	ASSERT_EQ(0, resume_feed(b, s.buf, s.len, &bfd));
	ASSERT_EQ(0, mig_set(b, VFIO_DEVICE_STATE_STOP));
	close(bfd);
	/* What arrived is A's partition, byte for byte. */
	vb = b->vram;
	ASSERT_NE(NULL, vb);
	EXPECT_EQ(0, memcmp(va, vb, a->vram_size));
	EXPECT_EQ(0xc5c5c5c5, tess_vram_rd32(b, CPU_OFF + 4096));

	/* The VMM connects B's interrupts, then runs it. */
	ASSERT_EQ(0, vfio_irq_enable(&b->vfio, VFIO_PCI_MSIX_IRQ_INDEX,
				     1 + b->engines));
	ASSERT_EQ(0, mig_set(b, VFIO_DEVICE_STATE_RUNNING));
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(b));
	rb = self->ra;
	rb.t = b;
	ASSERT_EQ(0, tess_ring_wait_fence(&rb, NJOBS, TIMEOUT_MS));
	EXPECT_EQ(-1, check_jobs(b, NJOBS));

	/* A, resumed, finishes them too: the same partition. */
	ASSERT_EQ(0, mig_set(a, VFIO_DEVICE_STATE_RUNNING));
	ASSERT_EQ(0, tess_ring_wait_fence(&self->ra, NJOBS, TIMEOUT_MS));
	EXPECT_EQ(-1, check_jobs(a, NJOBS));
	EXPECT_EQ(0, memcmp(va, vb, a->vram_size));

	/* B's interrupts keep coming for new work. */
	tess_eng_wr(b, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	while (vfio_irq_wait(&b->vfio, e0, 50) > 0)
		;
	got = 0;
	for (i = 1; i <= 3; i++) {
		ASSERT_EQ(0, emit_job(&rb, NJOBS + i, 0));
		ASSERT_EQ(0, tess_ring_kick(&rb));
		ASSERT_EQ(0, tess_ring_wait_fence(&rb, NJOBS + i, TIMEOUT_MS));
		n = vfio_irq_wait(&b->vfio, e0, 5000);
		EXPECT_GT(n, 0);
		if (n > 0)
			got += n;
		tess_eng_wr(b, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	}
	EXPECT_GE(got, 3);
	EXPECT_EQ(-1, check_jobs(b, NJOBS + 3));
	EXPECT_EQ(0, kmsg_count(self->kmsg, "refused"));
	vfio_irq_disable(&a->vfio);
	vfio_irq_disable(&b->vfio);
	free(s.buf);
}

/*
 * The STOP_COPY estimate (what QEMU plans its downtime with): the whole
 * partition while nothing was sent; during pre-copy, once the initial
 * copy is read, only the device state and what was dirtied since.
 */
TEST_F(mig, data_size_counts_only_what_pre_copy_left)
{
	struct tess_dev *a = &self->a;
	u64 full = 0, idle = 0, after = 0, again = 0;
	char buf[128], want[128];
	struct stream s = {};
	int fd;

	ASSERT_EQ(0, mig_data_size(a, &full));
	EXPECT_GT(full, a->vram_size);
	fd = mig_set(a, MIG_PRE_COPY);
	ASSERT_LT(0, fd);
	ASSERT_EQ(0, precopy_initial(fd, &s));
	ASSERT_EQ(0, mig_data_size(a, &idle));
	/* What was read so far is counted as pre-copy (sysfs). */
	ASSERT_EQ(0, mdev_attr(self->ua, "tessera/migration_bytes", buf,
			       sizeof(buf)));
	snprintf(want, sizeof(want), "precopy %zu stop_copy 0", s.len);
	EXPECT_STREQ(want, buf);
	/* No ring ran, no CPU write: state sections only. */
	EXPECT_LT(idle, a->vram_size / 8);
	EXPECT_GT(idle, 0);
	ASSERT_NE(NULL, a->vram);
	memset((char *)a->vram + CPU_OFF, 0x3c, 3 * 4096);
	ASSERT_EQ(0, mig_data_size(a, &after));
	EXPECT_GE(after, idle + 3 * 4096);
	TH_LOG("estimate: %llu full, %llu after the initial copy, %llu after 3 pages",
	       (unsigned long long)full, (unsigned long long)idle,
	       (unsigned long long)after);
	ASSERT_EQ(0, mig_set(a, VFIO_DEVICE_STATE_RUNNING));
	close(fd);
	ASSERT_EQ(0, mig_data_size(a, &again));
	EXPECT_EQ(full, again);
	free(s.buf);
}

/* A stream refused at RESUMING leaves B in ERROR until reset, usable. */
static void expect_refused(struct __test_metadata *_metadata,
			   struct tess_dev *b, const char *p, size_t len,
			   int write_err, int stop_err)
{
	struct tess_ring r;
	int fd = -1;

	EXPECT_EQ(write_err, resume_feed(b, p, len, &fd));
	EXPECT_EQ(stop_err, mig_set(b, VFIO_DEVICE_STATE_STOP));
	EXPECT_EQ(VFIO_DEVICE_STATE_ERROR, mig_get(b));
	EXPECT_EQ(-EINVAL, mig_set(b, VFIO_DEVICE_STATE_RUNNING));
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(0, vfio_dev_reset(&b->vfio));
	ASSERT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(b));
	/* Usable: a job runs, from a clean partition. */
	EXPECT_EQ(0, tess_vram_rd32(b, CPU_OFF));
	ASSERT_EQ(0, vgpu_setup(b, &r, 0, 0));
	ASSERT_EQ(0, tess_emit_fill(&r, DATA_VA, 4096, 0x77));
	ASSERT_EQ(0, vgpu_fence_wait(&r, 1));
	EXPECT_EQ(-1, tess_vram_check32(b, DATA_VA, 4096, 0x77));
}

TEST_F(mig, stream_cut_short_is_refused)
{
	struct stream s = {};

	tess_vram_wr32(&self->a, CPU_OFF, 0x1234);
	ASSERT_EQ(0, save_stopped(&self->a, &s));
	ASSERT_GT(s.len, self->a.vram_size);
	expect_refused(_metadata, &self->b, s.buf, s.len / 2, 0, -ENODATA);
	/* Only the END section missing. */
	expect_refused(_metadata, &self->b, s.buf, s.len - SEC_SIZE, 0,
		       -ENODATA);
	EXPECT_GE(kmsg_count(self->kmsg, "cut short"), 1);
	free(s.buf);
}

TEST_F(mig, stream_of_another_type_is_refused)
{
	struct stream s = {};
	char uc[MDEV_UUID_LEN];
	struct tess_dev c;

	ASSERT_EQ(0, vgpu_create(OTHER_TYPE, uc));
	ASSERT_EQ(0, tess_open_mdev(&c, uc));
	ASSERT_EQ(0, save_stopped(&c, &s));
	tess_close(&c);
	mdev_remove(uc);
	expect_refused(_metadata, &self->b, s.buf, s.len, -EINVAL, -EINVAL);
	EXPECT_GE(kmsg_count(self->kmsg, "another vGPU type"), 1);
	free(s.buf);
}

TEST_F(mig, corrupted_header_and_sections_are_refused)
{
	struct stream s = {};
	size_t off;
	u32 *w;
	char *c;

	ASSERT_EQ(0, save_stopped(&self->a, &s));
	c = malloc(s.len);
	ASSERT_NE(NULL, c);
	w = (u32 *)c;

	memcpy(c, s.buf, s.len);
	w[0] ^= 0xff;				/* magic */
	expect_refused(_metadata, &self->b, c, s.len, -EINVAL, -EINVAL);

	memcpy(c, s.buf, s.len);
	w[1] += 1;				/* newer format version */
	expect_refused(_metadata, &self->b, c, s.len, -EPROTONOSUPPORT,
		       -EPROTONOSUPPORT);
	memcpy(c, s.buf, s.len);
	w[1] = 0;				/* older format version */
	expect_refused(_metadata, &self->b, c, s.len, -EPROTONOSUPPORT,
		       -EPROTONOSUPPORT);

	memcpy(c, s.buf, s.len);
	w[3] = 1;				/* flags */
	expect_refused(_metadata, &self->b, c, s.len, -EINVAL, -EINVAL);

	memcpy(c, s.buf, s.len);
	w[17] += 1;				/* num_engines */
	expect_refused(_metadata, &self->b, c, s.len, -EINVAL, -EINVAL);

	memcpy(c, s.buf, s.len);
	w[HDR_SIZE / 4] = 99;			/* unknown section id */
	expect_refused(_metadata, &self->b, c, s.len, -EPROTO, -EPROTO);

	/* STATE section oversized, then short. */
	off = find_sec(s.buf, s.len, 1);
	ASSERT_NE(0, off);
	memcpy(c, s.buf, s.len);
	*(u64 *)(c + off + 8) = 1ull << 40;
	expect_refused(_metadata, &self->b, c, s.len, -EPROTO, -EPROTO);
	memcpy(c, s.buf, s.len);
	*(u64 *)(c + off + 8) -= 1;
	expect_refused(_metadata, &self->b, c, s.len, -EPROTO, -EPROTO);

	/* A VRAM section outside the partition, then too long. */
	off = find_sec(s.buf, s.len, 4);
	ASSERT_NE(0, off);
	memcpy(c, s.buf, s.len);
	*(u64 *)(c + off + SEC_SIZE) = self->a.vram_size;
	expect_refused(_metadata, &self->b, c, s.len, -EPROTO, -EPROTO);
	memcpy(c, s.buf, s.len);
	*(u64 *)(c + off + 8) = 8 + (16ull << 20);
	expect_refused(_metadata, &self->b, c, s.len, -EPROTO, -EPROTO);

	/* Two streams in a row: data after END. */
	c = realloc(c, 2 * s.len);
	ASSERT_NE(NULL, c);
	memcpy(c, s.buf, s.len);
	memcpy(c + s.len, s.buf, s.len);
	expect_refused(_metadata, &self->b, c, 2 * s.len, -EPROTO, -EPROTO);

	/* One line per refusal, rate-limited: at least one. */
	EXPECT_GE(kmsg_count(self->kmsg, "migration stream refused"), 1);
	free(c);
	free(s.buf);
}

TEST_F(mig, resume_into_a_vgpu_that_ran_other_work)
{
	struct tess_dev *a = &self->a, *b = &self->b;
	struct stream s = {};
	struct tess_ring r, rb;
	int fd;

	/* A: one job done, its fence 7. */
	ASSERT_EQ(0, tess_emit_fill(&self->ra, DATA_VA, REGION, 0xa1));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 7));
	/* B: other work everywhere, fence 1000, on engine 0 and the last. */
	ASSERT_EQ(0, vgpu_setup(b, &r, 0, 0));
	memset(b->vram, 0xbb, b->vram_size / 2);
	ASSERT_EQ(0, tess_emit_fill(&r, DATA_VA + REGION, REGION, 0xb2));
	ASSERT_EQ(0, vgpu_fence_wait(&r, 1000));

	ASSERT_EQ(0, save_stopped(a, &s));
	ASSERT_EQ(0, resume_feed(b, s.buf, s.len, &fd));
	ASSERT_EQ(0, mig_set(b, VFIO_DEVICE_STATE_RUNNING));
	close(fd);
	EXPECT_EQ(0, memcmp(a->vram, b->vram, a->vram_size));
	EXPECT_EQ(7, tess_rd64(b, TESSERA_ENG_REG(0, TESSERA_ENG_FENCE_LO)));
	EXPECT_EQ(TESSERA_ENG_STATE_WAITING, tess_eng_state(b, 0));
	/* B continues A's ring. */
	rb = self->ra;
	rb.t = b;
	ASSERT_EQ(0, tess_emit_fill(&rb, DATA_VA + REGION, REGION, 0xa2));
	ASSERT_EQ(0, vgpu_fence_wait(&rb, 8));
	EXPECT_EQ(-1, tess_vram_check32(b, DATA_VA, REGION, 0xa1));
	EXPECT_EQ(-1, tess_vram_check32(b, DATA_VA + REGION, REGION, 0xa2));
	free(s.buf);
}

TEST_F(mig, state_machine_errors)
{
	struct tess_dev *a = &self->a;
	struct stream s = {};
	int fd, enomsg = 0;
	u64 i = 0, d = 0;
	char c;

	EXPECT_EQ(-EINVAL, mig_set(a, VFIO_DEVICE_STATE_ERROR));
	EXPECT_EQ(-EINVAL, mig_set(a, 42));
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(a));
	/* Every state reachable from RUNNING and back. */
	EXPECT_EQ(0, mig_set(a, VFIO_DEVICE_STATE_RUNNING_P2P));
	fd = mig_set(a, MIG_PRE_COPY_P2P);
	ASSERT_LT(0, fd);
	EXPECT_EQ(0, precopy_info(fd, &i, &d));
	EXPECT_GE(i, a->vram_size);
	/* Stopped device: after the initial data, a temporary end. */
	ASSERT_EQ(0, stream_read(fd, &s, &enomsg));
	EXPECT_EQ(1, enomsg);
	EXPECT_EQ(i, s.len);
	EXPECT_EQ(0, precopy_info(fd, &i, &d));
	EXPECT_EQ(0, i);
	EXPECT_EQ(0, d);
	s.len = 0;
	EXPECT_EQ(0, mig_set(a, MIG_PRE_COPY));
	EXPECT_EQ(0, mig_set(a, VFIO_DEVICE_STATE_RUNNING));
	/* The session ended: its file is dead. */
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
	fd = mig_set(a, VFIO_DEVICE_STATE_STOP_COPY);
	ASSERT_LT(0, fd);
	/* STOP_COPY -> PRE_COPY is no arc. */
	EXPECT_EQ(-EINVAL, mig_set(a, MIG_PRE_COPY));
	EXPECT_EQ(-EINVAL, mig_set(a, MIG_PRE_COPY_P2P));
	EXPECT_EQ(-EINVAL, precopy_info(fd, &i, &d));
	ASSERT_EQ(0, stream_read(fd, &s, NULL));
	close(fd);
	EXPECT_EQ(0, mig_set(a, VFIO_DEVICE_STATE_STOP));
	/* The resuming file is write-only; ERROR is no target. */
	fd = mig_set(a, VFIO_DEVICE_STATE_RESUMING);
	ASSERT_LT(0, fd);
	EXPECT_EQ(-EINVAL, mig_set(a, VFIO_DEVICE_STATE_ERROR));
	EXPECT_EQ(VFIO_DEVICE_STATE_RESUMING, mig_get(a));
	EXPECT_EQ(-1, read(fd, &c, 1));
	close(fd);
	/* Reset: RUNNING again, and the vGPU works. */
	ASSERT_EQ(0, vfio_dev_reset(&a->vfio));
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(a));
	ASSERT_EQ(0, vgpu_setup(a, &self->ra, 0, 0));
	ASSERT_EQ(0, vgpu_fence_wait(&self->ra, 3));
	free(s.buf);
}

TEST_HARNESS_MAIN
