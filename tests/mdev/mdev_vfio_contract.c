// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_vfio_contract: a Tessera vGPU against the vfio-pci contract.
 *
 * Every test asserts one or a few rows of the table "The vfio-pci
 * contract" in Documentation/dev/mediation.rst. The expectations come from
 * include/uapi/linux/vfio.h and from what drivers/vfio/pci/ (Linux 6.12)
 * does for a physical PCIe function, never from Tessera's own code: the
 * test is an outside oracle of how a VMM (QEMU's hw/vfio/pci.c) sees a
 * vfio-pci device. Where the vGPU deliberately differs (no PCI bus, a
 * trapped BAR0) the table says why and the test asserts the vGPU's side.
 *
 * Region and capability layout is found the way a VMM finds it: region
 * infos, the capability list and the MSI-X capability's table/PBA
 * pointers. Only the programming model of the GPU (rings, fences,
 * REG_INT_ENABLE, ENG_INT_MASK, the engine's MSI-X vector) comes from
 * Documentation/hw/tessera-gpu.rst.
 */
#include <linux/pci_regs.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mdev-common.h"

#define JOB_TIMEOUT_S	120	/* per-test harness timeout for job tests */
#define FIRE_MS		5000	/* an interrupt that must come */
#define QUIET_MS	500	/* an interrupt that must not come */
/*
 * vfio-pci's region layout, index << 40. Before 6.10 every VFIO device
 * file shares one inode and each vGPU's offsets also carry its own tag
 * (Documentation/dev/mediation.rst, "VFIO device"): region_base, read
 * from REGION_INFO by the fixture, is 0 from 6.10 on (region_info_config).
 */
static u64 region_base;
#define REGION_OFF(i)	(region_base | (u64)(i) << 40)
#define TAG_SHIFT	48
#define NO_REGION	VFIO_PCI_NUM_REGIONS
#define CLASS_VGA	0x0300	/* PCI_CLASS_DISPLAY_VGA */

/* ---- ioctl helpers: return 0 or -errno, never interpret ---- */

static int dev_ioctl(struct tess_dev *t, unsigned long req, void *arg)
{
	return ioctl(t->vfio.device_fd, req, arg) ? -errno : 0;
}

static int irq_info(struct tess_dev *t, u32 index, struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return dev_ioctl(t, VFIO_DEVICE_GET_IRQ_INFO, info);
}

static int region_info(struct tess_dev *t, u32 index,
		       struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return dev_ioctl(t, VFIO_DEVICE_GET_REGION_INFO, info);
}

/* VFIO_DEVICE_SET_IRQS with @len bytes of data after the header. */
static int set_irqs_raw(struct tess_dev *t, u32 argsz, u32 flags, u32 index,
			u32 start, u32 count, const void *data, size_t len)
{
	struct {
		struct vfio_irq_set s;
		u8 data[512];
	} b;

	memset(&b, 0, sizeof(b));
	if (len > sizeof(b.data))
		return -E2BIG;
	b.s.argsz = argsz;
	b.s.flags = flags;
	b.s.index = index;
	b.s.start = start;
	b.s.count = count;
	if (len)
		memcpy(b.data, data, len);
	return dev_ioctl(t, VFIO_DEVICE_SET_IRQS, &b);
}

static int set_irqs(struct tess_dev *t, u32 flags, u32 index, u32 start,
		    u32 count, const void *data, size_t len)
{
	return set_irqs_raw(t, sizeof(struct vfio_irq_set) + len, flags, index,
			    start, count, data, len);
}

static int set_fds(struct tess_dev *t, u32 action, u32 index, u32 start,
		   u32 count, const int *fds)
{
	return set_irqs(t, VFIO_IRQ_SET_DATA_EVENTFD | action, index, start,
			count, fds, count * sizeof(int));
}

static int set_fd(struct tess_dev *t, u32 action, u32 index, u32 start, int fd)
{
	return set_fds(t, action, index, start, 1, &fd);
}

static int set_none(struct tess_dev *t, u32 action, u32 index, u32 start,
		    u32 count)
{
	return set_irqs(t, VFIO_IRQ_SET_DATA_NONE | action, index, start,
			count, NULL, 0);
}

static int set_bool(struct tess_dev *t, u32 action, u32 index, u32 start,
		    u32 count, const u8 *b)
{
	return set_irqs(t, VFIO_IRQ_SET_DATA_BOOL | action, index, start,
			count, b, count);
}

#define TRIG	VFIO_IRQ_SET_ACTION_TRIGGER
#define MASK	VFIO_IRQ_SET_ACTION_MASK
#define UNMASK	VFIO_IRQ_SET_ACTION_UNMASK
#define INTX	VFIO_PCI_INTX_IRQ_INDEX
#define MSI	VFIO_PCI_MSI_IRQ_INDEX
#define MSIX	VFIO_PCI_MSIX_IRQ_INDEX
#define ERR	VFIO_PCI_ERR_IRQ_INDEX
#define REQ	VFIO_PCI_REQ_IRQ_INDEX

/* ---- eventfds ---- */

static int efd_new(void)
{
	return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

/* Signals counted on @fd within @ms (0 if none); the counter is consumed. */
static int efd_wait(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	u64 v;
	int ret;

	do {
		ret = poll(&p, 1, ms);
	} while (ret < 0 && errno == EINTR);
	if (ret != 1)
		return 0;
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v > 1000 ? 1000 : (int)v;
}

static void efd_kick(int fd)
{
	u64 one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		perror("eventfd write");
}

/* ---- raw region access through the device fd ---- */

static ssize_t rd(struct tess_dev *t, u32 index, u64 off, void *buf, size_t n)
{
	ssize_t r = pread(t->vfio.device_fd, buf, n, REGION_OFF(index) + off);

	return r < 0 ? -errno : r;
}

static ssize_t wr(struct tess_dev *t, u32 index, u64 off, const void *buf,
		  size_t n)
{
	ssize_t r = pwrite(t->vfio.device_fd, buf, n, REGION_OFF(index) + off);

	return r < 0 ? -errno : r;
}

static u32 cfg(struct tess_dev *t, unsigned int off, unsigned int w)
{
	u32 v = 0;

	if (vfio_config_read(&t->vfio, off, &v, w))
		return ~0u;
	return v;
}

static int cfg_wr(struct tess_dev *t, unsigned int off, u32 v, unsigned int w)
{
	return vfio_config_write(&t->vfio, off, v, w);
}

static u32 bar_rd32(struct tess_dev *t, u32 bar, u64 off)
{
	u32 v = 0;

	if (rd(t, bar, off, &v, 4) != 4)
		return 0xdeadbeef;
	return v;
}

/* ---- what a VMM reads from the capabilities ---- */

struct msix_layout {
	int cap;		/* config offset of the MSI-X capability */
	unsigned int size;	/* table entries */
	unsigned int tbar;	/* table BIR */
	u32 toff;		/* table offset in that BAR */
	unsigned int pbar;	/* PBA BIR */
	u32 poff;		/* PBA offset in that BAR */
};

static int msix_layout(struct tess_dev *t, struct msix_layout *m)
{
	u32 v;

	m->cap = vfio_pci_find_cap(&t->vfio, PCI_CAP_ID_MSIX);
	if (m->cap <= 0)
		return -ENOENT;
	m->size = (cfg(t, m->cap + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_QSIZE) + 1;
	v = cfg(t, m->cap + PCI_MSIX_TABLE, 4);
	m->tbar = v & PCI_MSIX_TABLE_BIR;
	m->toff = v & PCI_MSIX_TABLE_OFFSET;
	v = cfg(t, m->cap + PCI_MSIX_PBA, 4);
	m->pbar = v & PCI_MSIX_PBA_BIR;
	m->poff = v & PCI_MSIX_PBA_OFFSET;
	return 0;
}

/* Bit @vec of the MSI-X PBA, read through the region (-1 on error). */
static int pba_bit(struct tess_dev *t, struct msix_layout *m, unsigned int vec)
{
	u64 q = 0;

	if (rd(t, m->pbar, m->poff + (vec / 64) * 8, &q, 8) != 8)
		return -1;
	return (q >> (vec % 64)) & 1;
}

/* Wait up to @ms for PBA bit @vec to read @want; returns the last value. */
static int wait_pba(struct tess_dev *t, struct msix_layout *m,
		    unsigned int vec, int want, int ms)
{
	u64 deadline = tess_now_ms() + ms;
	int v;

	while ((v = pba_bit(t, m, vec)) != want && tess_now_ms() < deadline)
		tess_sleep_us(1000);
	return v;
}

/* Wait up to @ms for Status.Interrupt to read @want (0/1); returns it. */
static int wait_intx_status(struct tess_dev *t, int want, int ms)
{
	u64 deadline = tess_now_ms() + ms;
	u32 st;
	int v;

	for (;;) {
		if (vfio_config_read(&t->vfio, PCI_STATUS, &st, 2))
			return -1;
		v = !!(st & PCI_STATUS_INTERRUPT);
		if (v == want || tess_now_ms() >= deadline)
			return v;
		tess_sleep_us(1000);
	}
}

/*
 * BAR size from config space sizing (write all-ones, read the mask back,
 * restore), as the PCI core sizes the resource that vfio-pci reports.
 * *is64 tells whether the BAR takes the next slot too.
 */
static u64 bar_size_cfg(struct tess_dev *t, unsigned int bar, bool *is64)
{
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * bar;
	u32 lo = cfg(t, off, 4), hi = 0, mlo, mhi = 0;
	u64 mask;

	*is64 = !(lo & PCI_BASE_ADDRESS_SPACE_IO) &&
		(lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64;
	cfg_wr(t, off, ~0u, 4);
	mlo = cfg(t, off, 4);
	cfg_wr(t, off, lo, 4);
	if (*is64 && bar < 5) {
		hi = cfg(t, off + 4, 4);
		cfg_wr(t, off + 4, ~0u, 4);
		mhi = cfg(t, off + 4, 4);
		cfg_wr(t, off + 4, hi, 4);
	}
	if (lo & PCI_BASE_ADDRESS_SPACE_IO) {
		mask = mlo & PCI_BASE_ADDRESS_IO_MASK;
		return mask ? (~mask & 0xffff) + 1 : 0;
	}
	if (!(mlo & PCI_BASE_ADDRESS_MEM_MASK) && !mhi)
		return 0;
	mask = ((u64)mhi << 32) | (mlo & PCI_BASE_ADDRESS_MEM_MASK);
	if (!*is64)
		mask |= 0xffffffff00000000ull;
	return ~mask + 1;
}

/* ---- the fixture: one vGPU, context 0 and a ring on engine 0 ---- */

FIXTURE(vc) {
	char uuid[MDEV_UUID_LEN];
	struct tess_dev t;
	struct tess_ring r;
	struct msix_layout m;
	u64 fence;
	pid_t owner;	/* the process that opened the device */
	bool created;
};

FIXTURE_SETUP(vc)
{
	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	ASSERT_EQ(0, vgpu_create(SMALL_TYPE, self->uuid));
	self->created = true;
	self->owner = getpid();
	ASSERT_EQ(0, tess_open_mdev(&self->t, self->uuid)) {
		TH_LOG("%s", self->t.err);
	}
	ASSERT_EQ(0, vgpu_setup(&self->t, &self->r, 0, 0));
	ASSERT_EQ(0, msix_layout(&self->t, &self->m));
	ASSERT_LE(self->m.size, 64);
	region_base = self->t.vfio.regions[VFIO_PCI_CONFIG_REGION_INDEX].offset &
		      ~((1ull << TAG_SHIFT) - 1);
}

/*
 * The 6.12 harness built with -O2 loses track, after a failed ASSERT's
 * longjmp, of which process it is in (its "child" local is clobbered): a
 * child-side teardown is then skipped (the vGPU would be left behind) and
 * a parent-side one may run in the test's own process. So tear down in
 * the parent, exactly once (the harness guarantees that), and close the
 * device first if this is the process that holds it: removing an mdev
 * that the remover itself holds open never returns.
 */
FIXTURE_TEARDOWN_PARENT(vc)
{
	if (getpid() == self->owner)
		tess_close(&self->t);
	if (self->created)
		mdev_remove(self->uuid);
}

/*
 * MSI-X vectors to enable in rows that are about something else (resets,
 * delivery): what GET_IRQ_INFO offers, so that those rows do not fail on
 * the count row (irq_info_msix).
 */
static unsigned int msix_nvec(struct tess_dev *t)
{
	struct vfio_irq_info ii;

	if (irq_info(t, MSIX, &ii) || !ii.count)
		return 0;
	return ii.count > 64 ? 64 : ii.count;
}

/* Engine 0's fence interrupt on (hw spec: ENG_INT_MASK, REG_INT_ENABLE). */
static void eng0_irq_on(struct tess_dev *t)
{
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
}

/* Acknowledge (W1C) engine 0's interrupt status: the source goes low. */
static void eng0_ack(struct tess_dev *t)
{
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
}

/* A FENCE|IRQ job on engine 0, waited for by its fence value. */
#define JOB_IRQ() ASSERT_EQ(0, vgpu_fence_wait(&self->r, ++self->fence))

#define ENG0_VEC	TESSERA_MSIX_VECTOR_ENGINE(0)

static void close_fds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* =================== device info =================== */

TEST_F(vc, get_info)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };

	ASSERT_EQ(0, dev_ioctl(&self->t, VFIO_DEVICE_GET_INFO, &di));
	EXPECT_TRUE(di.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_TRUE(di.flags & VFIO_DEVICE_FLAGS_RESET);
	EXPECT_EQ(VFIO_PCI_NUM_REGIONS, di.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, di.num_irqs);
	/* argsz below the end of num_irqs: EINVAL */
	di.argsz = offsetof(struct vfio_device_info, num_irqs);
	EXPECT_EQ(-EINVAL, dev_ioctl(&self->t, VFIO_DEVICE_GET_INFO, &di));
}

TEST_F(vc, unknown_and_absent_ioctls)
{
	struct vfio_pci_hot_reset_info hri = { .argsz = sizeof(hri) };
	struct vfio_pci_hot_reset hr = { .argsz = sizeof(hr) };
	struct vfio_device_ioeventfd ioe = {
		.argsz = sizeof(ioe), .flags = VFIO_DEVICE_IOEVENTFD_32,
		.offset = 0, .data = 0, .fd = -1,
	};
	u32 dummy[16] = { 64 };

	/* An mdev has no PCI bus: no hot reset (vGPU side of the table). */
	EXPECT_EQ(-ENOTTY, dev_ioctl(&self->t,
				     VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &hri));
	EXPECT_EQ(-ENOTTY, dev_ioctl(&self->t, VFIO_DEVICE_PCI_HOT_RESET, &hr));
	/* No ioeventfd acceleration of BAR0 writes. */
	EXPECT_EQ(-ENOTTY, dev_ioctl(&self->t, VFIO_DEVICE_IOEVENTFD, &ioe));
	/* Not a VFIO device ioctl at all. */
	EXPECT_EQ(-ENOTTY, dev_ioctl(&self->t, _IOWR(';', 100 + 60, u32[16]),
				     dummy));
}

/* =================== region infos =================== */

TEST_F(vc, region_info_config)
{
	struct vfio_region_info ri;

	ASSERT_EQ(0, region_info(&self->t, VFIO_PCI_CONFIG_REGION_INDEX, &ri));
	EXPECT_EQ(4096, ri.size);	/* PCIe: extended config space */
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  ri.flags & ~VFIO_REGION_INFO_FLAG_CAPS);
	EXPECT_EQ(REGION_OFF(VFIO_PCI_CONFIG_REGION_INDEX), ri.offset);
	/* vfio-pci's offsets exactly, where device files have own inodes. */
	EXPECT_EQ(kernel_at_least(6, 10), region_base == 0) {
		TH_LOG("region offsets carry 0x%llx",
		       (unsigned long long)region_base);
	}
}

TEST_F(vc, region_info_bars)
{
	struct tess_dev *t = &self->t;
	struct vfio_region_info ri;
	unsigned int bar;
	bool is64, upper = false;
	u64 size;

	for (bar = 0; bar <= 5; bar++) {
		ASSERT_EQ(0, region_info(t, VFIO_PCI_BAR0_REGION_INDEX + bar, &ri));
		EXPECT_EQ(REGION_OFF(bar), ri.offset);
		if (upper) {
			/* The upper half of a 64-bit BAR: no resource. */
			EXPECT_EQ(0, ri.size) TH_LOG("BAR%u", bar);
			EXPECT_EQ(0, ri.flags) TH_LOG("BAR%u", bar);
			upper = false;
			continue;
		}
		size = bar_size_cfg(t, bar, &is64);
		upper = is64;
		EXPECT_EQ(size, ri.size) TH_LOG("BAR%u", bar);
		if (!size) {
			EXPECT_EQ(0, ri.flags) TH_LOG("BAR%u", bar);
			continue;
		}
		EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
			  ri.flags & (VFIO_REGION_INFO_FLAG_READ |
				      VFIO_REGION_INFO_FLAG_WRITE))
			TH_LOG("BAR%u", bar);
		/* vGPU: BAR0 trapped (no mmap); VRAM and doorbells mmapped. */
		if (bar == TESSERA_BAR_CSR) {
			EXPECT_FALSE(ri.flags & VFIO_REGION_INFO_FLAG_MMAP);
		} else {
			EXPECT_TRUE(ri.flags & VFIO_REGION_INFO_FLAG_MMAP)
				TH_LOG("BAR%u", bar);
		}
	}
}

TEST_F(vc, region_info_rom_vga_past_end)
{
	struct tess_dev *t = &self->t;
	struct vfio_region_info ri;
	u32 rom;

	/* No expansion ROM: size 0, no flags, not an error. */
	cfg_wr(t, PCI_ROM_ADDRESS, PCI_ROM_ADDRESS_MASK, 4);
	rom = cfg(t, PCI_ROM_ADDRESS, 4);
	cfg_wr(t, PCI_ROM_ADDRESS, 0, 4);
	EXPECT_EQ(0, rom & PCI_ROM_ADDRESS_MASK);
	ASSERT_EQ(0, region_info(t, VFIO_PCI_ROM_REGION_INDEX, &ri));
	EXPECT_EQ(0, ri.size);
	EXPECT_EQ(0, ri.flags);
	/* Not a VGA device (class 0x0302): the VGA region does not exist. */
	EXPECT_NE(CLASS_VGA, cfg(t, PCI_CLASS_DEVICE, 2));
	EXPECT_EQ(-EINVAL, region_info(t, VFIO_PCI_VGA_REGION_INDEX, &ri));
	/* Past the last region. */
	EXPECT_EQ(-EINVAL, region_info(t, VFIO_PCI_NUM_REGIONS, &ri));
	EXPECT_EQ(-EINVAL, region_info(t, 0xffffffffu, &ri));
}

TEST_F(vc, region_info_argsz_small)
{
	struct vfio_region_info ri = {
		.argsz = offsetof(struct vfio_region_info, offset),
		.index = VFIO_PCI_CONFIG_REGION_INDEX,
	};

	EXPECT_EQ(-EINVAL, dev_ioctl(&self->t, VFIO_DEVICE_GET_REGION_INFO, &ri));
}

/* =================== region access =================== */

TEST_F(vc, config_any_size_and_alignment)
{
	struct tess_dev *t = &self->t;
	u8 whole[64], part[64];
	static const unsigned int sizes[] = { 1, 2, 3, 4, 5, 7, 8, 13, 64 };
	unsigned int i, off;

	ASSERT_EQ(64, rd(t, VFIO_PCI_CONFIG_REGION_INDEX, 0, whole, 64));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (off = 0; off + sizes[i] <= 64; off += 7) {
			memset(part, 0x5a, sizeof(part));
			ASSERT_EQ(sizes[i], rd(t, VFIO_PCI_CONFIG_REGION_INDEX,
					       off, part, sizes[i]));
			/* BARs and status bits are stable: same bytes. */
			EXPECT_EQ(0, memcmp(whole + off, part, sizes[i]))
				TH_LOG("size %u at %u", sizes[i], off);
		}
	}
	/* A write of odd size at odd offset is accepted whole. */
	ASSERT_EQ(3, wr(t, VFIO_PCI_CONFIG_REGION_INDEX, PCI_CACHE_LINE_SIZE,
			whole + PCI_CACHE_LINE_SIZE, 3));
}

TEST_F(vc, config_past_end_efault)
{
	struct tess_dev *t = &self->t;
	u8 b[8] = { 0 };

	EXPECT_EQ(1, rd(t, VFIO_PCI_CONFIG_REGION_INDEX, 4095, b, 1));
	EXPECT_EQ(-EFAULT, rd(t, VFIO_PCI_CONFIG_REGION_INDEX, 4096, b, 4));
	EXPECT_EQ(-EFAULT, rd(t, VFIO_PCI_CONFIG_REGION_INDEX, 4094, b, 4));
	EXPECT_EQ(-EFAULT, rd(t, VFIO_PCI_CONFIG_REGION_INDEX, 0x10000, b, 1));
	EXPECT_EQ(-EFAULT, wr(t, VFIO_PCI_CONFIG_REGION_INDEX, 4096, b, 4));
	EXPECT_EQ(-EFAULT, wr(t, VFIO_PCI_CONFIG_REGION_INDEX, 4093, b, 4));
}

TEST_F(vc, bar_access_shortened_at_end)
{
	struct tess_dev *t = &self->t;
	static const unsigned int bars[] = { TESSERA_BAR_CSR, TESSERA_BAR_VRAM,
					     TESSERA_BAR_DOORBELL };
	struct vfio_region_info ri;
	unsigned int i;
	u8 b[16];

	for (i = 0; i < ARRAY_SIZE(bars); i++) {
		ASSERT_EQ(0, region_info(t, bars[i], &ri));
		ASSERT_GT(ri.size, 8);
		memset(b, 0, sizeof(b));
		/* Crossing the end: done up to the end, count returned. */
		EXPECT_EQ(4, rd(t, bars[i], ri.size - 4, b, 8)) TH_LOG("BAR%u", bars[i]);
		EXPECT_EQ(4, wr(t, bars[i], ri.size - 4, b, 8)) TH_LOG("BAR%u", bars[i]);
		EXPECT_EQ(1, rd(t, bars[i], ri.size - 1, b, 16)) TH_LOG("BAR%u", bars[i]);
		/* At or past the end: EINVAL. */
		EXPECT_EQ(-EINVAL, rd(t, bars[i], ri.size, b, 4)) TH_LOG("BAR%u", bars[i]);
		EXPECT_EQ(-EINVAL, wr(t, bars[i], ri.size, b, 4)) TH_LOG("BAR%u", bars[i]);
		EXPECT_EQ(-EINVAL, rd(t, bars[i], ri.size + 4096, b, 4))
			TH_LOG("BAR%u", bars[i]);
	}
}

TEST_F(vc, bar_unaligned_and_odd_sizes)
{
	struct tess_dev *t = &self->t;
	u8 b[16], c[16];
	u64 q = 0;
	u32 id, ver;

	/* BAR0: every size and alignment is accepted whole. */
	EXPECT_EQ(1, rd(t, TESSERA_BAR_CSR, 1, b, 1));
	EXPECT_EQ(2, rd(t, TESSERA_BAR_CSR, 2, b, 2));
	EXPECT_EQ(3, rd(t, TESSERA_BAR_CSR, 1, b, 3));
	EXPECT_EQ(6, rd(t, TESSERA_BAR_CSR, 2, b, 6));
	EXPECT_EQ(16, rd(t, TESSERA_BAR_CSR, 0, b, 16));
	EXPECT_EQ(3, wr(t, TESSERA_BAR_CSR, TESSERA_REG_SCRATCH + 1, b, 3));
	/* An aligned 8-byte read: the two dwords (hw: low, then high). */
	id = bar_rd32(t, TESSERA_BAR_CSR, TESSERA_REG_ID);
	ver = bar_rd32(t, TESSERA_BAR_CSR, TESSERA_REG_ID + 4);
	EXPECT_EQ(8, rd(t, TESSERA_BAR_CSR, TESSERA_REG_ID, &q, 8));
	EXPECT_EQ(((u64)ver << 32) | id, q);
	/* BAR2 is memory: odd accesses read back what was written. */
	memcpy(b, "\x11\x22\x33\x44\x55\x66\x77", 7);
	EXPECT_EQ(7, wr(t, TESSERA_BAR_VRAM, 0x1001, b, 7));
	memset(c, 0, sizeof(c));
	EXPECT_EQ(7, rd(t, TESSERA_BAR_VRAM, 0x1001, c, 7));
	EXPECT_EQ(0, memcmp(b, c, 7));
	EXPECT_EQ(3, rd(t, TESSERA_BAR_VRAM, 0x1002, c, 3));
	EXPECT_EQ(0, memcmp(b + 1, c, 3));
}

TEST_F(vc, absent_region_access_einval)
{
	struct tess_dev *t = &self->t;
	struct vfio_region_info ri;
	unsigned int i;
	u8 b[4] = { 0 };

	for (i = VFIO_PCI_BAR0_REGION_INDEX; i <= VFIO_PCI_ROM_REGION_INDEX; i++) {
		ASSERT_EQ(0, region_info(t, i, &ri));
		if (ri.size)
			continue;
		EXPECT_EQ(-EINVAL, rd(t, i, 0, b, 4)) TH_LOG("region %u", i);
		EXPECT_EQ(-EINVAL, wr(t, i, 0, b, 4)) TH_LOG("region %u", i);
	}
	EXPECT_EQ(-EINVAL, rd(t, VFIO_PCI_VGA_REGION_INDEX, 0xa0000, b, 1));
	EXPECT_EQ(-EINVAL, wr(t, VFIO_PCI_VGA_REGION_INDEX, 0xa0000, b, 1));
	EXPECT_EQ(-EINVAL, rd(t, NO_REGION, 0, b, 4));
	EXPECT_EQ(-EINVAL, wr(t, NO_REGION, 0, b, 4));
	EXPECT_EQ(-EINVAL, rd(t, 0xfffff, 0, b, 4));
}

TEST_F(vc, bar_access_with_memory_decode_off)
{
	struct tess_dev *t = &self->t;
	u32 cmd = cfg(t, PCI_COMMAND, 2), v = 0;

	ASSERT_EQ(0, cfg_wr(t, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY, 2));
	EXPECT_EQ(-EIO, rd(t, TESSERA_BAR_CSR, TESSERA_REG_ID, &v, 4));
	EXPECT_EQ(-EIO, wr(t, TESSERA_BAR_CSR, TESSERA_REG_SCRATCH, &v, 4));
	ASSERT_EQ(0, cfg_wr(t, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY, 2));
	EXPECT_EQ(4, rd(t, TESSERA_BAR_CSR, TESSERA_REG_ID, &v, 4));
	EXPECT_EQ(TESSERA_ID_MAGIC, v);
}

TEST_F(vc, mmap_rules)
{
	struct tess_dev *t = &self->t;
	struct vfio_region_info ri;
	int fd = t->vfio.device_fd;
	void *p;

	/* No MMAP flag (BAR0, config, ROM): EINVAL. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 REGION_OFF(TESSERA_BAR_CSR));
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 REGION_OFF(VFIO_PCI_CONFIG_REGION_INDEX));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 REGION_OFF(VFIO_PCI_ROM_REGION_INDEX));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, REGION_OFF(NO_REGION));
	EXPECT_EQ(MAP_FAILED, p);
	/* MMAP region: shared only, inside the region only. */
	ASSERT_EQ(0, region_info(t, TESSERA_BAR_DOORBELL, &ri));
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, ri.offset);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, ri.size + 4096, PROT_READ, MAP_SHARED, fd, ri.offset);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, ri.offset);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* =================== MSI-X table and PBA in BAR0 =================== */

static unsigned int not_ones(const u8 *b, size_t n)
{
	unsigned int bad = 0;

	while (n--)
		bad += *b++ != 0xff;
	return bad;
}

TEST_F(vc, msix_table_reads_ones_drops_writes)
{
	struct tess_dev *t = &self->t;
	struct msix_layout *m = &self->m;
	u32 len = m->size * 16, i;
	u8 buf[64 * 16];
	u32 entry[4] = { 0xfee00000, 0, 0x4041, 0 };	/* unmasked */
	u64 q = 0;

	ASSERT_LE(len, sizeof(buf));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(len, rd(t, m->tbar, m->toff, buf, len));
	EXPECT_EQ(0, not_ones(buf, len)) TH_LOG("table bytes not 0xff");
	/* Dword and odd accesses inside the table: all-ones too. */
	EXPECT_EQ(0xffffffffu, bar_rd32(t, m->tbar, m->toff + 12));
	EXPECT_EQ(3, rd(t, m->tbar, m->toff + 5, buf, 3));
	EXPECT_EQ(0xff, buf[0]);
	EXPECT_EQ(0xff, buf[2]);
	/* Writes are dropped: the entry still reads all-ones. */
	for (i = 0; i < m->size; i++)
		EXPECT_EQ(16, wr(t, m->tbar, m->toff + i * 16, entry, 16));
	EXPECT_EQ(len, rd(t, m->tbar, m->toff, buf, len));
	EXPECT_EQ(0, not_ones(buf, len)) TH_LOG("after writes to the table");
	/* An access straddling the table's end: the table part is ones. */
	EXPECT_EQ(8, rd(t, m->tbar, m->toff + len - 4, &q, 8));
	EXPECT_EQ(0xffffffffu, (u32)q);
}

TEST_F(vc, msix_pba_read_only)
{
	struct tess_dev *t = &self->t;
	struct msix_layout *m = &self->m;
	u64 ones = ~0ull, q = ~0ull;

	/* Nothing enabled, nothing pending: 0; writes do not set bits. */
	EXPECT_EQ(8, rd(t, m->pbar, m->poff, &q, 8));
	EXPECT_EQ(0, q);
	EXPECT_EQ(8, wr(t, m->pbar, m->poff, &ones, 8));
	EXPECT_EQ(8, rd(t, m->pbar, m->poff, &q, 8));
	EXPECT_EQ(0, q);
}

/* =================== GET_IRQ_INFO =================== */

TEST_F(vc, irq_info_intx)
{
	struct vfio_irq_info ii;
	u32 pin = cfg(&self->t, PCI_INTERRUPT_PIN, 1);

	ASSERT_EQ(0, irq_info(&self->t, INTX, &ii));
	EXPECT_EQ(pin ? 1 : 0, ii.count);
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
		  VFIO_IRQ_INFO_AUTOMASKED, ii.flags);
	EXPECT_NE(0, pin);	/* the GPU has INTA */
}

TEST_F(vc, irq_info_msi)
{
	struct vfio_irq_info ii;
	int cap = vfio_pci_find_cap(&self->t.vfio, PCI_CAP_ID_MSI);
	u32 fl;

	ASSERT_GT(cap, 0);
	fl = cfg(&self->t, cap + PCI_MSI_FLAGS, 2);
	ASSERT_EQ(0, irq_info(&self->t, MSI, &ii));
	EXPECT_EQ(1u << ((fl & PCI_MSI_FLAGS_QMASK) >> 1), ii.count);
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, ii.flags);
}

TEST_F(vc, irq_info_msix)
{
	struct vfio_irq_info ii;

	ASSERT_EQ(0, irq_info(&self->t, MSIX, &ii));
	EXPECT_EQ(self->m.size, ii.count);
	/* vfio-pci with dynamic MSI-X allocation (has_dyn_msix): no NORESIZE */
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD, ii.flags);
}

/*
 * Without NORESIZE a user may add vectors to an enabled MSI-X index one at
 * a time (vfio_msi_set_vector_signal -> vfio_msi_alloc_irq ->
 * pci_msix_alloc_irq_at; QEMU 8+ vfio_msix_vector_do_use does so).
 */
TEST_F(vc, msix_vectors_added_while_enabled)
{
	struct tess_dev *t = &self->t;
	unsigned int last = self->m.size - 1;
	int a = efd_new(), b = efd_new();

	ASSERT_EQ(0, set_fd(t, TRIG, MSIX, 0, a));
	EXPECT_EQ(0, set_fd(t, TRIG, MSIX, last, b));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, last, 1));
	EXPECT_EQ(1, efd_wait(b, 1000));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 1));
	EXPECT_EQ(1, efd_wait(a, 1000));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	close(a);
	close(b);
}

TEST_F(vc, irq_info_err_req)
{
	struct vfio_irq_info ii;

	ASSERT_GT(vfio_pci_find_cap(&self->t.vfio, PCI_CAP_ID_EXP), 0);
	ASSERT_EQ(0, irq_info(&self->t, ERR, &ii));
	EXPECT_EQ(1, ii.count);
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, ii.flags);
	ASSERT_EQ(0, irq_info(&self->t, REQ, &ii));
	EXPECT_EQ(1, ii.count);
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, ii.flags);
}

TEST_F(vc, irq_info_errors)
{
	struct vfio_irq_info ii;

	EXPECT_EQ(-EINVAL, irq_info(&self->t, VFIO_PCI_NUM_IRQS, &ii));
	EXPECT_EQ(-EINVAL, irq_info(&self->t, 0xffffffffu, &ii));
	ii.argsz = offsetof(struct vfio_irq_info, count);
	ii.index = MSIX;
	EXPECT_EQ(-EINVAL, dev_ioctl(&self->t, VFIO_DEVICE_GET_IRQ_INFO, &ii));
}

/* =================== SET_IRQS header validation =================== */

TEST_F(vc, set_irqs_header_errors)
{
	struct tess_dev *t = &self->t;
	int fd = efd_new(), fds[2] = { fd, fd };

	ASSERT_GE(fd, 0);
	/* argsz below the end of count */
	EXPECT_EQ(-EINVAL, set_irqs_raw(t, offsetof(struct vfio_irq_set, count),
					VFIO_IRQ_SET_DATA_NONE | TRIG, MSIX, 0, 1,
					NULL, 0));
	/* argsz too small for count eventfds */
	EXPECT_EQ(-EINVAL, set_irqs_raw(t, sizeof(struct vfio_irq_set) + 4,
					VFIO_IRQ_SET_DATA_EVENTFD | TRIG, MSIX,
					0, 2, fds, 8));
	/* unknown flag bits */
	EXPECT_EQ(-EINVAL, set_irqs(t, VFIO_IRQ_SET_DATA_NONE | TRIG | (1u << 6),
				    MSIX, 0, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, set_irqs(t, VFIO_IRQ_SET_DATA_NONE | TRIG | (1u << 31),
				    INTX, 0, 1, NULL, 0));
	/* two data types at once */
	EXPECT_EQ(-EINVAL, set_irqs(t, VFIO_IRQ_SET_DATA_NONE |
				    VFIO_IRQ_SET_DATA_BOOL | TRIG, MSIX, 0, 1,
				    "\1", 1));
	/* two actions at once: no handler (vfio-pci dispatch) */
	EXPECT_EQ(-ENOTTY, set_none(t, MASK | TRIG, INTX, 0, 1));
	/* no action at all */
	EXPECT_EQ(-ENOTTY, set_none(t, 0, INTX, 0, 1));
	/* index past the last one */
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, VFIO_PCI_NUM_IRQS, 0, fd));
	/* start/count beyond the index's count */
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, MSIX, self->m.size, fd));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSIX, 0, self->m.size + 1));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSIX, 1, 0xffffffffu));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, INTX, 1, fd));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, MSI, 1, fd));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, ERR, 1, fd));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, REQ, 1, fd));
	/* nothing got enabled by any of it */
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSIX, 0, 0));
	close(fd);
}

/* =================== INTx =================== */

TEST_F(vc, intx_trigger_enable_disable)
{
	struct tess_dev *t = &self->t;
	int fd = efd_new(), fd2 = efd_new();

	/* disable when not enabled */
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, INTX, 0, 0));
	ASSERT_EQ(0, set_fd(t, TRIG, INTX, 0, fd));
	/* a new eventfd while enabled: swapped */
	EXPECT_EQ(0, set_fd(t, TRIG, INTX, 0, fd2));
	/* fd -1 while enabled: trigger released, INTx stays enabled */
	EXPECT_EQ(0, set_fd(t, TRIG, INTX, 0, -1));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, MSIX, 0, fd));
	EXPECT_EQ(0, set_none(t, TRIG, INTX, 0, 0));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, INTX, 0, 0));
	/* fd -1 when disabled: INTx enabled without a trigger */
	EXPECT_EQ(0, set_fd(t, TRIG, INTX, 0, -1));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, MSI, 0, fd));
	EXPECT_EQ(0, set_none(t, TRIG, INTX, 0, 0));
	/* now MSI-X can be enabled: INTx is off */
	EXPECT_EQ(0, set_fd(t, TRIG, MSIX, 0, fd));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	close(fd);
	close(fd2);
}

TEST_F(vc, intx_trigger_loopback)
{
	struct tess_dev *t = &self->t;
	int fd = efd_new();
	u8 one = 1, zero = 0;

	EXPECT_EQ(-EINVAL, set_none(t, TRIG, INTX, 0, 1));
	EXPECT_EQ(-EINVAL, set_bool(t, TRIG, INTX, 0, 1, &one));
	ASSERT_EQ(0, set_fd(t, TRIG, INTX, 0, fd));
	EXPECT_EQ(0, set_none(t, TRIG, INTX, 0, 1));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	EXPECT_EQ(0, set_bool(t, TRIG, INTX, 0, 1, &one));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	EXPECT_EQ(0, set_bool(t, TRIG, INTX, 0, 1, &zero));
	EXPECT_EQ(0, efd_wait(fd, 200));
	EXPECT_EQ(0, set_none(t, TRIG, INTX, 0, 0));
	close(fd);
}

TEST_F(vc, intx_mask_unmask_rules)
{
	struct tess_dev *t = &self->t;
	int fd = efd_new(), rfd = efd_new();
	u8 one = 1;

	/* INTx not enabled: EINVAL for every mask/unmask */
	EXPECT_EQ(-EINVAL, set_none(t, MASK, INTX, 0, 1));
	EXPECT_EQ(-EINVAL, set_none(t, UNMASK, INTX, 0, 1));
	EXPECT_EQ(-EINVAL, set_bool(t, MASK, INTX, 0, 1, &one));
	EXPECT_EQ(-EINVAL, set_bool(t, UNMASK, INTX, 0, 1, &one));
	EXPECT_EQ(-EINVAL, set_fd(t, UNMASK, INTX, 0, rfd));
	ASSERT_EQ(0, set_fd(t, TRIG, INTX, 0, fd));
	EXPECT_EQ(0, set_none(t, MASK, INTX, 0, 1));
	EXPECT_EQ(0, set_bool(t, MASK, INTX, 0, 1, &one));
	EXPECT_EQ(-EINVAL, set_none(t, MASK, INTX, 0, 0));	/* count != 1 */
	EXPECT_EQ(-ENOTTY, set_fd(t, MASK, INTX, 0, rfd));	/* no mask fd */
	EXPECT_EQ(0, set_none(t, UNMASK, INTX, 0, 1));
	EXPECT_EQ(0, set_bool(t, UNMASK, INTX, 0, 1, &one));
	EXPECT_EQ(-EINVAL, set_none(t, UNMASK, INTX, 0, 0));
	/* unmask eventfd: one at a time; -1 removes it */
	EXPECT_EQ(0, set_fd(t, UNMASK, INTX, 0, rfd));
	EXPECT_EQ(-EBUSY, set_fd(t, UNMASK, INTX, 0, fd));
	EXPECT_EQ(0, set_fd(t, UNMASK, INTX, 0, -1));
	EXPECT_EQ(0, set_fd(t, UNMASK, INTX, 0, rfd));
	EXPECT_EQ(0, set_none(t, TRIG, INTX, 0, 0));
	close(fd);
	close(rfd);
}

TEST_F_TIMEOUT(vc, intx_mask_holds_level, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	int fd = efd_new();

	ASSERT_EQ(0, set_fd(t, TRIG, INTX, 0, fd));
	eng0_irq_on(t);
	ASSERT_EQ(0, set_none(t, MASK, INTX, 0, 1));
	JOB_IRQ();
	EXPECT_EQ(0, efd_wait(fd, QUIET_MS));
	EXPECT_EQ(1, wait_intx_status(t, 1, FIRE_MS));
	/* unmask with the level still asserted: it fires */
	ASSERT_EQ(0, set_none(t, UNMASK, INTX, 0, 1));
	EXPECT_EQ(1, efd_wait(fd, FIRE_MS));
	/* acknowledged while auto-masked: unmask is quiet */
	eng0_ack(t);
	EXPECT_EQ(0, wait_intx_status(t, 0, FIRE_MS));
	ASSERT_EQ(0, set_none(t, UNMASK, INTX, 0, 1));
	EXPECT_EQ(0, efd_wait(fd, QUIET_MS));
	EXPECT_EQ(0, set_none(t, TRIG, INTX, 0, 0));
	close(fd);
}

TEST_F_TIMEOUT(vc, intx_resample, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	int fd = efd_new(), rfd = efd_new();

	ASSERT_EQ(0, set_fd(t, TRIG, INTX, 0, fd));
	/* QEMU's vfio_intx_enable_kvm: UNMASK through a resample eventfd */
	ASSERT_EQ(0, set_fd(t, UNMASK, INTX, 0, rfd));
	eng0_irq_on(t);
	JOB_IRQ();
	EXPECT_EQ(1, efd_wait(fd, FIRE_MS));
	/* auto-masked: the next job adds no signal */
	JOB_IRQ();
	EXPECT_EQ(0, efd_wait(fd, QUIET_MS));
	/* resample with the level still asserted: fires again */
	efd_kick(rfd);
	EXPECT_EQ(1, efd_wait(fd, FIRE_MS));
	/* status cleared, then resample: unmasked and quiet */
	eng0_ack(t);
	efd_kick(rfd);
	EXPECT_EQ(0, efd_wait(fd, QUIET_MS));
	/* unmasked: the next job fires once */
	JOB_IRQ();
	EXPECT_EQ(1, efd_wait(fd, FIRE_MS));
	eng0_ack(t);
	/* resample fd removed: writing it unmasks nothing */
	ASSERT_EQ(0, set_fd(t, UNMASK, INTX, 0, -1));
	JOB_IRQ();
	efd_kick(rfd);
	EXPECT_EQ(0, efd_wait(fd, QUIET_MS));
	ASSERT_EQ(0, set_none(t, UNMASK, INTX, 0, 1));
	EXPECT_EQ(1, efd_wait(fd, FIRE_MS));
	EXPECT_EQ(0, set_none(t, TRIG, INTX, 0, 0));
	close(fd);
	close(rfd);
}

TEST_F_TIMEOUT(vc, intx_command_disable_bit, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	u32 cmd = cfg(t, PCI_COMMAND, 2);
	int fd = efd_new();

	ASSERT_EQ(0, set_fd(t, TRIG, INTX, 0, fd));
	eng0_irq_on(t);
	ASSERT_EQ(0, cfg_wr(t, PCI_COMMAND, cmd | PCI_COMMAND_INTX_DISABLE, 2));
	EXPECT_TRUE(cfg(t, PCI_COMMAND, 2) & PCI_COMMAND_INTX_DISABLE);
	JOB_IRQ();
	EXPECT_EQ(0, efd_wait(fd, QUIET_MS));
	/* Interrupt Status shows the device's line even when disabled */
	EXPECT_EQ(1, wait_intx_status(t, 1, FIRE_MS));
	/* clearing the bit lets the asserted level through */
	ASSERT_EQ(0, cfg_wr(t, PCI_COMMAND, cmd & ~PCI_COMMAND_INTX_DISABLE, 2));
	EXPECT_EQ(1, efd_wait(fd, FIRE_MS));
	EXPECT_EQ(0, set_none(t, TRIG, INTX, 0, 0));
	close(fd);
}

/* =================== MSI =================== */

TEST_F_TIMEOUT(vc, msi_trigger_rules, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	int fd = efd_new();
	u8 one = 1;

	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSI, 0, 0));	/* not enabled */
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSI, 0, 1));
	EXPECT_EQ(-EINVAL, set_bool(t, TRIG, MSI, 0, 1, &one));
	EXPECT_EQ(-ENOTTY, set_none(t, MASK, MSI, 0, 1));
	EXPECT_EQ(-ENOTTY, set_none(t, UNMASK, MSI, 0, 1));
	ASSERT_EQ(0, set_fd(t, TRIG, MSI, 0, fd));
	EXPECT_EQ(-ENOTTY, set_none(t, MASK, MSI, 0, 1));
	EXPECT_EQ(-ENOTTY, set_bool(t, UNMASK, MSI, 0, 1, &one));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, INTX, 0, fd));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, MSIX, 0, fd));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSIX, 0, 0));
	/* loopback */
	EXPECT_EQ(0, set_none(t, TRIG, MSI, 0, 1));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	EXPECT_EQ(0, set_bool(t, TRIG, MSI, 0, 1, &one));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	/* a device interrupt */
	eng0_irq_on(t);
	JOB_IRQ();
	EXPECT_GE(efd_wait(fd, FIRE_MS), 1);
	EXPECT_EQ(0, set_none(t, TRIG, MSI, 0, 0));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSI, 0, 0));
	close(fd);
}

/* =================== MSI-X =================== */

TEST_F(vc, msix_trigger_rules)
{
	struct tess_dev *t = &self->t;
	unsigned int n = self->m.size, i;
	int fds[64], fd = efd_new();
	u8 bools[64] = { 0 };

	for (i = 0; i < n; i++)
		fds[i] = efd_new();
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSIX, 0, 0));	/* not enabled */
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSIX, 0, 1));
	EXPECT_EQ(-ENOTTY, set_none(t, MASK, MSIX, 0, 1));
	EXPECT_EQ(-ENOTTY, set_none(t, UNMASK, MSIX, 0, 1));
	/* every table entry */
	ASSERT_EQ(0, set_fds(t, TRIG, MSIX, 0, n, fds));
	EXPECT_EQ(-ENOTTY, set_none(t, MASK, MSIX, 1, 1));
	EXPECT_EQ(-ENOTTY, set_fd(t, UNMASK, MSIX, 1, fd));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, INTX, 0, fd));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, MSI, 0, fd));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, INTX, 0, 0));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSI, 0, 0));
	/* loopback: NONE on a range, BOOL per vector */
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 1, 2));
	EXPECT_EQ(0, efd_wait(fds[0], 100));
	EXPECT_EQ(1, efd_wait(fds[1], 1000));
	EXPECT_EQ(1, efd_wait(fds[2], 1000));
	bools[n - 1] = 1;
	EXPECT_EQ(0, set_bool(t, TRIG, MSIX, 0, n, bools));
	EXPECT_EQ(1, efd_wait(fds[n - 1], 1000));
	EXPECT_EQ(0, efd_wait(fds[0], 100));
	/* a vector's eventfd swapped while enabled */
	EXPECT_EQ(0, set_fd(t, TRIG, MSIX, 2, fd));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 2, 1));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	EXPECT_EQ(0, efd_wait(fds[2], 100));
	/* a released vector: loopback skips it */
	EXPECT_EQ(0, set_fd(t, TRIG, MSIX, 2, -1));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 2, 1));
	EXPECT_EQ(0, efd_wait(fd, 200));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSIX, 0, 0));
	close_fds(fds, n);
	close(fd);
}

TEST_F(vc, msix_enable_without_vectors)
{
	struct tess_dev *t = &self->t;
	int fd = efd_new();

	/* QEMU: MSI-X enabled with vector 0 only, no eventfd */
	ASSERT_EQ(0, set_fd(t, TRIG, MSIX, 0, -1));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, INTX, 0, fd));	/* MSI-X is on */
	EXPECT_EQ(0, set_fd(t, TRIG, MSIX, 0, fd));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 1));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	close(fd);
}

TEST_F(vc, msix_bad_eventfd)
{
	struct tess_dev *t = &self->t;
	int fds[2] = { efd_new(), -1 };
	int notefd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int closed = dup(notefd);

	ASSERT_GE(notefd, 0);
	ASSERT_GE(closed, 0);
	close(closed);	/* a descriptor number that is surely not open */
	/* not an eventfd: EINVAL; closed descriptor: EBADF */
	fds[1] = notefd;
	EXPECT_EQ(-EINVAL, set_fds(t, TRIG, MSIX, 0, 2, fds));
	fds[1] = closed;
	EXPECT_EQ(-EBADF, set_fds(t, TRIG, MSIX, 0, 2, fds));
	/* a failed enable leaves MSI-X disabled */
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, MSIX, 0, 0));
	EXPECT_EQ(-EBADF, set_fd(t, TRIG, INTX, 0, closed));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, INTX, 0, 0));
	EXPECT_EQ(-EBADF, set_fd(t, TRIG, ERR, 0, closed));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, REQ, 0, notefd));
	close(fds[0]);
	close(notefd);
}

/*
 * Decision (a) of the table: interrupts go to the eventfds SET_IRQS
 * assigned, whatever the virtual MSI-X Enable / Function Mask bits say.
 */
TEST_F_TIMEOUT(vc, msix_delivery_ignores_config_bits, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	unsigned int n = msix_nvec(&self->t), cap = self->m.cap;
	u32 ctrl = cfg(t, cap + PCI_MSIX_FLAGS, 2);
	int fds[64], i;

	ASSERT_GT(n, ENG0_VEC);
	for (i = 0; i < (int)n; i++)
		fds[i] = efd_new();
	ASSERT_EQ(0, set_fds(t, TRIG, MSIX, 0, n, fds));
	eng0_irq_on(t);
	/* Enable never written, Function Mask clear */
	JOB_IRQ();
	EXPECT_GE(efd_wait(fds[ENG0_VEC], FIRE_MS), 1);
	eng0_ack(t);
	/* Enable | Function Mask */
	ASSERT_EQ(0, cfg_wr(t, cap + PCI_MSIX_FLAGS, ctrl | PCI_MSIX_FLAGS_ENABLE |
			    PCI_MSIX_FLAGS_MASKALL, 2));
	JOB_IRQ();
	EXPECT_GE(efd_wait(fds[ENG0_VEC], FIRE_MS), 1);
	eng0_ack(t);
	/* Enable only */
	ASSERT_EQ(0, cfg_wr(t, cap + PCI_MSIX_FLAGS, ctrl | PCI_MSIX_FLAGS_ENABLE, 2));
	JOB_IRQ();
	EXPECT_GE(efd_wait(fds[ENG0_VEC], FIRE_MS), 1);
	eng0_ack(t);
	/* Enable cleared again */
	ASSERT_EQ(0, cfg_wr(t, cap + PCI_MSIX_FLAGS, ctrl & ~PCI_MSIX_FLAGS_ENABLE, 2));
	JOB_IRQ();
	EXPECT_GE(efd_wait(fds[ENG0_VEC], FIRE_MS), 1);
	EXPECT_EQ(0, efd_wait(fds[0], 100));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	close_fds(fds, n);
}

/*
 * QEMU's hw/vfio/pci.c driving a vGPU for a Linux guest, call by call:
 * the guest's msix_capability_init() writes Enable|Function Mask (QEMU
 * forwards every config write), vfio_msix_enable() with no vector in use
 * enables vector 0 without an eventfd (vfio_enable_msix_no_vec), the guest
 * clears Function Mask, request_irq() on the vectors makes
 * vfio_msix_vector_do_use() disable the index and re-enable it with every
 * vector (QEMU 7.2 always does; later ones when NORESIZE is set). QEMU
 * emulates the table and PBA itself: BAR0's table
 * is never touched. A guest mask of a vector is an eventfd swap.
 */
TEST_F_TIMEOUT(vc, qemu_msix_sequence, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	struct msix_layout *m = &self->m;
	unsigned int n = m->size, i, others;
	u32 ctrl = cfg(t, m->cap + PCI_MSIX_FLAGS, 2);
	struct vfio_irq_info ii;
	int fds[64];

	ASSERT_EQ(0, irq_info(t, MSIX, &ii));
	ASSERT_EQ(n, ii.count);
	ASSERT_GT(n, ENG0_VEC);
	for (i = 0; i < n; i++)
		fds[i] = efd_new();

	ASSERT_EQ(0, cfg_wr(t, m->cap + PCI_MSIX_FLAGS, ctrl | PCI_MSIX_FLAGS_ENABLE |
			    PCI_MSIX_FLAGS_MASKALL, 2));
	ASSERT_EQ(0, set_fd(t, TRIG, MSIX, 0, -1));
	ASSERT_EQ(0, cfg_wr(t, m->cap + PCI_MSIX_FLAGS,
			    (ctrl | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL, 2));
	ASSERT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	ASSERT_EQ(0, set_fds(t, TRIG, MSIX, 0, n, fds));

	eng0_irq_on(t);
	JOB_IRQ();
	EXPECT_EQ(1, efd_wait(fds[ENG0_VEC], FIRE_MS)) {
		TH_LOG("no MSI-X interrupt on vector %u for a FENCE|IRQ job",
		       ENG0_VEC);
	}
	for (i = 0, others = 0; i < n; i++)
		if (i != ENG0_VEC)
			others += efd_wait(fds[i], 0);
	EXPECT_EQ(0, others);	/* no other vector fired */
	eng0_ack(t);

	/* guest masks the vector: QEMU takes its eventfd away */
	ASSERT_EQ(0, set_fd(t, TRIG, MSIX, ENG0_VEC, -1));
	JOB_IRQ();
	EXPECT_EQ(0, efd_wait(fds[ENG0_VEC], QUIET_MS));
	EXPECT_EQ(1, wait_pba(t, m, ENG0_VEC, 1, FIRE_MS));	/* held pending */
	/* guest unmasks: eventfd back, the held interrupt arrives */
	ASSERT_EQ(0, set_fd(t, TRIG, MSIX, ENG0_VEC, fds[ENG0_VEC]));
	EXPECT_EQ(1, efd_wait(fds[ENG0_VEC], FIRE_MS));
	EXPECT_EQ(0, pba_bit(t, m, ENG0_VEC));
	eng0_ack(t);
	/* and the vector keeps working */
	JOB_IRQ();
	EXPECT_EQ(1, efd_wait(fds[ENG0_VEC], FIRE_MS));
	/* the table in BAR0 still reads all-ones: never emulated twice */
	EXPECT_EQ(0xffffffffu, bar_rd32(t, m->tbar, m->toff + ENG0_VEC * 16 + 12));
	ASSERT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	close_fds(fds, n);
}

/*
 * MASK and UNMASK exist for INTx only: every other index answers ENOTTY
 * for every data type, enabled or not (vfio_pci_set_irqs_ioctl has no
 * handler for them).
 */
TEST_F(vc, mask_unmask_enotty_matrix)
{
	static const u32 idx[] = { MSI, MSIX, ERR, REQ };
	static const u32 act[] = { MASK, UNMASK };
	struct tess_dev *t = &self->t;
	int fd = efd_new(), pass;
	unsigned int i, a;
	u8 one = 1;

	ASSERT_GE(fd, 0);
	for (pass = 0; pass < 2; pass++) {
		/* pass 1: MSI-X enabled, ERR and REQ eventfds set */
		if (pass == 1) {
			ASSERT_EQ(0, set_fd(t, TRIG, MSIX, 0, fd));
			set_fd(t, TRIG, ERR, 0, fd);
			ASSERT_EQ(0, set_fd(t, TRIG, REQ, 0, fd));
		}
		for (i = 0; i < ARRAY_SIZE(idx); i++) {
			for (a = 0; a < ARRAY_SIZE(act); a++) {
				EXPECT_EQ(-ENOTTY, set_none(t, act[a], idx[i], 0, 1))
					TH_LOG("index %u action %#x NONE", idx[i], act[a]);
				EXPECT_EQ(-ENOTTY, set_bool(t, act[a], idx[i], 0, 1, &one))
					TH_LOG("index %u action %#x BOOL", idx[i], act[a]);
				EXPECT_EQ(-ENOTTY, set_fd(t, act[a], idx[i], 0, fd))
					TH_LOG("index %u action %#x EVENTFD", idx[i], act[a]);
			}
		}
	}
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	close(fd);
}

/* =================== ERR and REQ =================== */

static void single_trigger_rules(struct __test_metadata *_metadata,
				 struct tess_dev *t, u32 index)
{
	int fd = efd_new();
	u8 one = 1;

	/* no eventfd yet */
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, index, 0, 1));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, index, 0, 0));
	EXPECT_EQ(0, set_bool(t, TRIG, index, 0, 1, &one));
	EXPECT_EQ(0, set_fd(t, TRIG, index, 0, -1));
	/* count 0 with data, fd < -1 */
	EXPECT_EQ(-EINVAL, set_bool(t, TRIG, index, 0, 0, &one));
	EXPECT_EQ(-EINVAL, set_irqs(t, VFIO_IRQ_SET_DATA_EVENTFD | TRIG, index,
				    0, 0, &fd, sizeof(fd)));
	EXPECT_EQ(-EINVAL, set_fd(t, TRIG, index, 0, -2));
	/* no mask/unmask */
	EXPECT_EQ(-ENOTTY, set_none(t, MASK, index, 0, 1));
	EXPECT_EQ(-ENOTTY, set_none(t, UNMASK, index, 0, 1));
	/* set, loopback, release */
	ASSERT_EQ(0, set_fd(t, TRIG, index, 0, fd));
	EXPECT_EQ(0, set_none(t, TRIG, index, 0, 1));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	EXPECT_EQ(0, set_bool(t, TRIG, index, 0, 1, &one));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	EXPECT_EQ(0, set_fd(t, TRIG, index, 0, -1));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, index, 0, 1));
	EXPECT_EQ(0, efd_wait(fd, 100));
	/* release with DATA_NONE count 0 */
	ASSERT_EQ(0, set_fd(t, TRIG, index, 0, fd));
	EXPECT_EQ(0, set_none(t, TRIG, index, 0, 0));
	EXPECT_EQ(-EINVAL, set_none(t, TRIG, index, 0, 1));
	/* independent of the interrupt type in use */
	ASSERT_EQ(0, set_fd(t, TRIG, MSIX, 0, -1));
	EXPECT_EQ(0, set_fd(t, TRIG, index, 0, fd));
	EXPECT_EQ(0, set_none(t, TRIG, index, 0, 1));
	EXPECT_EQ(1, efd_wait(fd, 1000));
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	EXPECT_EQ(0, set_fd(t, TRIG, index, 0, -1));
	close(fd);
}

TEST_F(vc, err_irq)
{
	struct vfio_irq_info ii;

	ASSERT_EQ(0, irq_info(&self->t, ERR, &ii));
	ASSERT_EQ(1, ii.count);
	single_trigger_rules(_metadata, &self->t, ERR);
}

TEST_F(vc, req_irq)
{
	single_trigger_rules(_metadata, &self->t, REQ);
}

/* =================== resets =================== */

static void dirty_state(struct tess_dev *t)
{
	tess_wr32(t, TESSERA_REG_SCRATCH, 0x5ca1ab1e);
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_ALL);
}

TEST_F_TIMEOUT(vc, reset_device_reset, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	unsigned int n = msix_nvec(&self->t), cap = self->m.cap;
	u32 cmd, bar0, ctrl;
	int fds[64], i;

	ASSERT_GT(n, ENG0_VEC);
	for (i = 0; i < (int)n; i++)
		fds[i] = efd_new();
	ASSERT_EQ(0, set_fds(t, TRIG, MSIX, 0, n, fds));
	ASSERT_EQ(0, cfg_wr(t, cap + PCI_MSIX_FLAGS, cfg(t, cap + PCI_MSIX_FLAGS, 2) |
			    PCI_MSIX_FLAGS_ENABLE, 2));
	JOB_IRQ();
	dirty_state(t);
	cmd = cfg(t, PCI_COMMAND, 2);
	bar0 = cfg(t, PCI_BASE_ADDRESS_0, 4);
	ctrl = cfg(t, cap + PCI_MSIX_FLAGS, 2);

	ASSERT_EQ(0, dev_ioctl(t, VFIO_DEVICE_RESET, NULL));
	/* the function is at power-on */
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_SCRATCH));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_ENABLE));
	EXPECT_EQ(0, tess_eng_rd(t, 0, TESSERA_ENG_INT_MASK));
	EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(t, 0));
	/* config space as the user left it (saved and restored) */
	EXPECT_EQ(cmd, cfg(t, PCI_COMMAND, 2));
	EXPECT_EQ(bar0, cfg(t, PCI_BASE_ADDRESS_0, 4));
	EXPECT_EQ(ctrl, cfg(t, cap + PCI_MSIX_FLAGS, 2));
	/* eventfds stay: a job after reprogramming interrupts */
	self->fence = 0;
	ASSERT_EQ(0, vgpu_setup(t, &self->r, 0, 0));
	eng0_irq_on(t);
	JOB_IRQ();
	EXPECT_GE(efd_wait(fds[ENG0_VEC], FIRE_MS), 1);
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	close_fds(fds, n);
}

TEST_F_TIMEOUT(vc, reset_flr_via_config, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	unsigned int n = msix_nvec(&self->t);
	int exp = vfio_pci_find_cap(&t->vfio, PCI_CAP_ID_EXP);
	u32 cmd, bar0, devctl;
	int fds[64], i;

	ASSERT_GT(n, ENG0_VEC);
	ASSERT_GT(exp, 0);
	ASSERT_TRUE(cfg(t, exp + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	for (i = 0; i < (int)n; i++)
		fds[i] = efd_new();
	ASSERT_EQ(0, set_fds(t, TRIG, MSIX, 0, n, fds));
	dirty_state(t);
	cmd = cfg(t, PCI_COMMAND, 2);
	bar0 = cfg(t, PCI_BASE_ADDRESS_0, 4);
	devctl = cfg(t, exp + PCI_EXP_DEVCTL, 2);

	ASSERT_EQ(0, cfg_wr(t, exp + PCI_EXP_DEVCTL,
			    devctl | PCI_EXP_DEVCTL_BCR_FLR, 2));
	EXPECT_FALSE(cfg(t, exp + PCI_EXP_DEVCTL, 2) & PCI_EXP_DEVCTL_BCR_FLR);
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_SCRATCH));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_ENABLE));
	EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(t, 0));
	/* vfio-pci: pci_try_reset_function(), config saved and restored */
	EXPECT_EQ(cmd, cfg(t, PCI_COMMAND, 2));
	EXPECT_EQ(bar0, cfg(t, PCI_BASE_ADDRESS_0, 4));
	self->fence = 0;
	ASSERT_EQ(0, vgpu_setup(t, &self->r, 0, 0));
	eng0_irq_on(t);
	JOB_IRQ();
	EXPECT_GE(efd_wait(fds[ENG0_VEC], FIRE_MS), 1);
	EXPECT_EQ(0, set_none(t, TRIG, MSIX, 0, 0));
	close_fds(fds, n);
}

TEST_F_TIMEOUT(vc, reset_on_close, JOB_TIMEOUT_S)
{
	struct tess_dev *t = &self->t;
	unsigned int n = msix_nvec(&self->t), cap = self->m.cap;
	struct tess_dev u;
	int fds[64], efd = efd_new(), i;
	u32 v = 0;

	ASSERT_GT(n, ENG0_VEC);
	for (i = 0; i < (int)n; i++)
		fds[i] = efd_new();
	ASSERT_EQ(0, set_fds(t, TRIG, MSIX, 0, n, fds));
	ASSERT_EQ(0, set_fd(t, TRIG, REQ, 0, efd));
	ASSERT_EQ(0, cfg_wr(t, cap + PCI_MSIX_FLAGS, cfg(t, cap + PCI_MSIX_FLAGS, 2) |
			    PCI_MSIX_FLAGS_ENABLE, 2));
	dirty_state(t);
	tess_close(t);
	/* the old eventfds are not signalled by the close */
	EXPECT_EQ(0, efd_wait(efd, 100));

	/* reopen raw, without the library setting bus master */
	memset(&u, 0, sizeof(u));
	ASSERT_EQ(0, vfio_mdev_open(&u.vfio, self->uuid)) {
		TH_LOG("%s", u.vfio.err);
	}
	/* Bus Master was on before the close: off now */
	EXPECT_FALSE(cfg(&u, PCI_COMMAND, 2) & PCI_COMMAND_MASTER);
	/* memory decode on to read BAR0 */
	ASSERT_EQ(0, cfg_wr(&u, PCI_COMMAND, (cfg(&u, PCI_COMMAND, 2) &
					     ~PCI_COMMAND_MASTER) |
			    PCI_COMMAND_MEMORY, 2));
	EXPECT_EQ(0, vfio_region_read(&u.vfio, TESSERA_BAR_CSR,
				      TESSERA_REG_SCRATCH, &v, 4));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, vfio_region_read(&u.vfio, TESSERA_BAR_CSR,
				      TESSERA_REG_INT_ENABLE, &v, 4));
	EXPECT_EQ(0, v);
	/* config space back to its initial state */
	EXPECT_FALSE(cfg(&u, cap + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_ENABLE);
	/* interrupts disabled, ERR/REQ triggers released */
	EXPECT_EQ(-EINVAL, set_none(&u, TRIG, MSIX, 0, 0));
	EXPECT_EQ(-EINVAL, set_none(&u, TRIG, REQ, 0, 1));
	EXPECT_EQ(0, set_fd(&u, TRIG, INTX, 0, efd));
	EXPECT_EQ(0, set_none(&u, TRIG, INTX, 0, 0));
	vfio_dev_close(&u.vfio);
	close_fds(fds, n);
	close(efd);
}

TEST_HARNESS_MAIN
