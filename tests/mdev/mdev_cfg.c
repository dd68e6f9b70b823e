// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_cfg: the vGPU's virtual PCI config space and VFIO regions: IDs,
 * BAR sizing, capability chain, read-only and W1C bits, access sizes and
 * bounds, PM, the emulated MSI-X table, FLR, region and IRQ infos.
 */
#include <linux/pci_regs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "mdev-common.h"
#include "vgpu-fixture.h"

FIXTURE(cfg) {
	struct vgpu_fix v;
};

FIXTURE_SETUP(cfg)
{
	if (!vgpu_fix_open(_metadata, &self->v))
		return;
}

FIXTURE_TEARDOWN(cfg)
{
	vgpu_fix_close(&self->v);
}

static u32 cfg_rd(struct tess_dev *t, unsigned int off, unsigned int w)
{
	u32 v = 0xdeadbeef;

	if (vfio_config_read(&t->vfio, off, &v, w))
		return 0xdeadbeef;
	return v;
}

static int cfg_wr(struct tess_dev *t, unsigned int off, u32 v, unsigned int w)
{
	return vfio_config_write(&t->vfio, off, v, w);
}

TEST_F(cfg, identity)
{
	struct tess_dev *t = &self->v.t;

	EXPECT_EQ(TESSERA_PCI_VENDOR_ID, cfg_rd(t, PCI_VENDOR_ID, 2));
	EXPECT_EQ(TESSERA_PCI_VGPU_DEVICE_ID, cfg_rd(t, PCI_DEVICE_ID, 2));
	EXPECT_EQ(0x030200, cfg_rd(t, PCI_CLASS_REVISION, 4) >> 8);
	EXPECT_EQ(TESSERA_PCI_REVISION, cfg_rd(t, PCI_REVISION_ID, 1));
	EXPECT_EQ(TESSERA_PCI_VENDOR_ID, cfg_rd(t, PCI_SUBSYSTEM_VENDOR_ID, 2));
	/* Subsystem ID 0x01nn names the type: the 8m type is the first. */
	EXPECT_EQ(0x0101, cfg_rd(t, PCI_SUBSYSTEM_ID, 2));
	EXPECT_EQ(0, cfg_rd(t, PCI_HEADER_TYPE, 1));
	EXPECT_EQ(1, cfg_rd(t, PCI_INTERRUPT_PIN, 1));
	EXPECT_TRUE(cfg_rd(t, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	/* Extended config space: no capabilities, reads 0. */
	EXPECT_EQ(0, cfg_rd(t, 0x100, 4));
	EXPECT_EQ(0, cfg_rd(t, 0xffc, 4));
}

TEST_F(cfg, bar_sizing)
{
	struct tess_dev *t = &self->v.t;
	u64 vram = self->v.t.vram_size;
	u32 lo, hi;

	ASSERT_EQ(8ull << 20, vram);
	/* BAR0: 32-bit, 4 MiB. */
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_0, 0xffffffff, 4));
	EXPECT_EQ((u32)~(TESSERA_CSR_BAR_SIZE - 1), cfg_rd(t, PCI_BASE_ADDRESS_0, 4));
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_0, 0xfe000000, 4));
	EXPECT_EQ(0xfe000000, cfg_rd(t, PCI_BASE_ADDRESS_0, 4));
	/* BAR1: absent. */
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_1, 0xffffffff, 4));
	EXPECT_EQ(0, cfg_rd(t, PCI_BASE_ADDRESS_1, 4));
	/* BAR2: 64-bit prefetchable, the partition size. */
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_2, 0xffffffff, 4));
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_3, 0xffffffff, 4));
	lo = cfg_rd(t, PCI_BASE_ADDRESS_2, 4);
	hi = cfg_rd(t, PCI_BASE_ADDRESS_3, 4);
	EXPECT_EQ(PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
		  lo & 0xf);
	EXPECT_EQ(vram, ~(((u64)hi << 32) | (lo & ~0xfu)) + 1);
	/* BAR4: 64-bit, one doorbell page. */
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_4, 0xffffffff, 4));
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_5, 0xffffffff, 4));
	lo = cfg_rd(t, PCI_BASE_ADDRESS_4, 4);
	hi = cfg_rd(t, PCI_BASE_ADDRESS_5, 4);
	EXPECT_EQ(PCI_BASE_ADDRESS_MEM_TYPE_64, lo & 0xf);
	EXPECT_EQ(TESSERA_DOORBELL_PAGE_SIZE,
		  ~(((u64)hi << 32) | (lo & ~0xfu)) + 1);
	/* Byte writes to a BAR follow the mask too. */
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_4, 0xff, 1));
	EXPECT_EQ(PCI_BASE_ADDRESS_MEM_TYPE_64, cfg_rd(t, PCI_BASE_ADDRESS_4, 1));
	/* No expansion ROM. */
	ASSERT_EQ(0, cfg_wr(t, PCI_ROM_ADDRESS, 0xffffffff, 4));
	EXPECT_EQ(0, cfg_rd(t, PCI_ROM_ADDRESS, 4));
}

TEST_F(cfg, capability_chain)
{
	struct tess_dev *t = &self->v.t;
	const u8 want[] = { PCI_CAP_ID_PM, PCI_CAP_ID_MSI, PCI_CAP_ID_MSIX,
			    PCI_CAP_ID_EXP };
	unsigned int pos, n = 0, msix = 0, exp = 0;

	pos = cfg_rd(t, PCI_CAPABILITY_LIST, 1);
	while (pos && n < 48) {
		ASSERT_GE(pos, 0x40);
		ASSERT_EQ(0, pos & 3);
		ASSERT_LT(n, sizeof(want));
		EXPECT_EQ(want[n], cfg_rd(t, pos, 1));
		if (want[n] == PCI_CAP_ID_MSIX)
			msix = pos;
		if (want[n] == PCI_CAP_ID_EXP)
			exp = pos;
		pos = cfg_rd(t, pos + 1, 1);
		n++;
	}
	EXPECT_EQ(sizeof(want), n);
	ASSERT_NE(0, msix);
	ASSERT_NE(0, exp);
	EXPECT_EQ(TESSERA_MSIX_VECTORS - 1,
		  cfg_rd(t, msix + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_QSIZE);
	EXPECT_EQ(TESSERA_CSR_MSIX_TABLE | TESSERA_BAR_CSR,
		  cfg_rd(t, msix + PCI_MSIX_TABLE, 4));
	EXPECT_EQ(TESSERA_CSR_MSIX_PBA | TESSERA_BAR_CSR,
		  cfg_rd(t, msix + PCI_MSIX_PBA, 4));
	EXPECT_TRUE(cfg_rd(t, exp + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR);
	EXPECT_EQ(PCI_EXP_TYPE_ENDPOINT,
		  (cfg_rd(t, exp + PCI_EXP_FLAGS, 2) & PCI_EXP_FLAGS_TYPE) >> 4);
	EXPECT_EQ(msix, vfio_pci_find_cap(&t->vfio, PCI_CAP_ID_MSIX));
}

TEST_F(cfg, read_only_and_w1c_bits)
{
	struct tess_dev *t = &self->v.t;
	u32 cmd_rw = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		     PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
		     PCI_COMMAND_INTX_DISABLE;
	u32 before;

	ASSERT_EQ(0, cfg_wr(t, PCI_VENDOR_ID, 0, 4));
	EXPECT_EQ(TESSERA_PCI_VENDOR_ID, cfg_rd(t, PCI_VENDOR_ID, 2));
	EXPECT_EQ(TESSERA_PCI_VGPU_DEVICE_ID, cfg_rd(t, PCI_DEVICE_ID, 2));
	ASSERT_EQ(0, cfg_wr(t, PCI_CLASS_REVISION, 0, 4));
	EXPECT_EQ(0x030200, cfg_rd(t, PCI_CLASS_REVISION, 4) >> 8);
	ASSERT_EQ(0, cfg_wr(t, PCI_COMMAND, 0xffff, 2));
	EXPECT_EQ(cmd_rw, cfg_rd(t, PCI_COMMAND, 2));
	/* Status: RO and W1C bits; nothing the guest writes sets a bit. */
	before = cfg_rd(t, PCI_STATUS, 2);
	ASSERT_EQ(0, cfg_wr(t, PCI_STATUS, 0xffff, 2));
	EXPECT_EQ(before & ~0xf900u, cfg_rd(t, PCI_STATUS, 2));
	EXPECT_TRUE(cfg_rd(t, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	/* Capability pointer and IDs are read-only. */
	ASSERT_EQ(0, cfg_wr(t, PCI_CAPABILITY_LIST, 0, 1));
	EXPECT_EQ(0x40, cfg_rd(t, PCI_CAPABILITY_LIST, 1));
	ASSERT_EQ(0, cfg_wr(t, 0x40, 0, 2));
	EXPECT_EQ(PCI_CAP_ID_PM, cfg_rd(t, 0x40, 1));
	ASSERT_EQ(0, cfg_wr(t, PCI_INTERRUPT_PIN, 0, 1));
	EXPECT_EQ(1, cfg_rd(t, PCI_INTERRUPT_PIN, 1));
	ASSERT_EQ(0, cfg_wr(t, PCI_INTERRUPT_LINE, 0x5a, 1));
	EXPECT_EQ(0x5a, cfg_rd(t, PCI_INTERRUPT_LINE, 1));
	ASSERT_EQ(0, cfg_wr(t, PCI_COMMAND, PCI_COMMAND_MEMORY |
			    PCI_COMMAND_MASTER, 2));
}

TEST_F(cfg, access_sizes_and_bounds)
{
	struct tess_dev *t = &self->v.t;
	struct vfio_region *r = vfio_region_get(&t->vfio,
						VFIO_PCI_CONFIG_REGION_INDEX);
	u8 buf[8], all[8];
	void *bad;

	ASSERT_NE(NULL, r);
	ASSERT_EQ(4096, r->size);
	/* Odd sizes and alignments give the same bytes. */
	ASSERT_EQ(8, pread(t->vfio.device_fd, all, 8, r->offset));
	ASSERT_EQ(3, pread(t->vfio.device_fd, buf, 3, r->offset + 1));
	EXPECT_EQ(0, memcmp(buf, all + 1, 3));
	ASSERT_EQ(1, pread(t->vfio.device_fd, buf, 1, r->offset + 3));
	EXPECT_EQ(all[3], buf[0]);
	/* Out of range: EFAULT, nothing partial (vfio_pci_config_rw). */
	EXPECT_EQ(-1, pread(t->vfio.device_fd, buf, 4, r->offset + 4094));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, pread(t->vfio.device_fd, buf, 4, r->offset + 4096));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, pwrite(t->vfio.device_fd, buf, 8, r->offset + 4092));
	EXPECT_EQ(EFAULT, errno);
	/* Bad user pointer: EFAULT. */
	bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, bad);
	EXPECT_EQ(-1, pread(t->vfio.device_fd, bad, 4, r->offset));
	EXPECT_EQ(EFAULT, errno);
	munmap(bad, 4096);
	/* Regions beyond the last: EINVAL. */
	EXPECT_EQ(-1, pread(t->vfio.device_fd, buf, 4, 20ull << 40));
	EXPECT_EQ(EINVAL, errno);
	/* BAR0 beyond its end: EINVAL; across it: shortened
	 * (vfio_pci_bar_rw).
	 */
	EXPECT_EQ(-1, pread(t->vfio.device_fd, buf, 4,
			    t->vfio.regions[0].offset + TESSERA_CSR_BAR_SIZE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(4, pread(t->vfio.device_fd, buf, 8,
			   t->vfio.regions[0].offset + TESSERA_CSR_BAR_SIZE - 4));
	/* BAR0 odd access: reads zero (hardware rule). */
	memset(buf, 0xff, sizeof(buf));
	ASSERT_EQ(2, pread(t->vfio.device_fd, buf, 2, t->vfio.regions[0].offset));
	EXPECT_EQ(0, buf[0] | buf[1]);
}

/* As vfio-pci: memory decoding is on at open; off (or D3hot), the BARs
 * answer EIO to region accesses.
 */
TEST_F(cfg, bar_access_needs_memory_decoding)
{
	struct tess_dev *t = &self->v.t;
	unsigned int pm = vfio_pci_find_cap(&t->vfio, PCI_CAP_ID_PM);
	u64 bar0 = t->vfio.regions[0].offset + TESSERA_REG_SCRATCH;
	u32 cmd = cfg_rd(t, PCI_COMMAND, 2), v = 0;

	EXPECT_TRUE(cmd & PCI_COMMAND_MEMORY);
	ASSERT_EQ(0, cfg_wr(t, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY, 2));
	EXPECT_EQ(-1, pread(t->vfio.device_fd, &v, 4, bar0));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, pwrite(t->vfio.device_fd, &v, 4,
			     t->vfio.regions[2].offset));
	EXPECT_EQ(EIO, errno);
	/* Config space stays accessible. */
	EXPECT_EQ(TESSERA_PCI_VENDOR_ID, cfg_rd(t, PCI_VENDOR_ID, 2));
	ASSERT_EQ(0, cfg_wr(t, PCI_COMMAND, cmd, 2));
	EXPECT_EQ(4, pread(t->vfio.device_fd, &v, 4, bar0));
	/* D3hot: the same. */
	ASSERT_NE(0, pm);
	ASSERT_EQ(0, cfg_wr(t, pm + PCI_PM_CTRL, 3, 2));
	EXPECT_EQ(-1, pread(t->vfio.device_fd, &v, 4, bar0));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, cfg_wr(t, pm + PCI_PM_CTRL, 0, 2));
	EXPECT_EQ(4, pread(t->vfio.device_fd, &v, 4, bar0));
}

TEST_F(cfg, power_management)
{
	struct tess_dev *t = &self->v.t;
	unsigned int pm = vfio_pci_find_cap(&t->vfio, PCI_CAP_ID_PM);

	ASSERT_NE(0, pm);
	EXPECT_EQ(0, cfg_rd(t, pm + PCI_PM_CTRL, 2) & PCI_PM_CTRL_STATE_MASK);
	ASSERT_EQ(0, cfg_wr(t, pm + PCI_PM_CTRL, 3, 2));
	EXPECT_EQ(3, cfg_rd(t, pm + PCI_PM_CTRL, 2) & PCI_PM_CTRL_STATE_MASK);
	ASSERT_EQ(0, cfg_wr(t, pm + PCI_PM_CTRL, 1, 2));	/* no D1 */
	EXPECT_EQ(3, cfg_rd(t, pm + PCI_PM_CTRL, 2) & PCI_PM_CTRL_STATE_MASK);
	ASSERT_EQ(0, cfg_wr(t, pm + PCI_PM_CTRL, 0, 2));
	EXPECT_EQ(0, cfg_rd(t, pm + PCI_PM_CTRL, 2) & PCI_PM_CTRL_STATE_MASK);
}

/*
 * The MSI-X table belongs to the VMM's emulation, as under vfio-pci
 * (vfio_pci_bar_rw() excludes it): all-ones bytes, writes dropped, at any
 * access size. The PBA is read-only.
 */
TEST_F(cfg, msix_table_reads_ones_and_drops_writes)
{
	struct tess_dev *t = &self->v.t;
	u64 off = t->vfio.regions[0].offset;
	u8 buf[16];
	u32 v;

	for (v = 0; v < TESSERA_MSIX_VECTORS; v++) {
		u32 e = TESSERA_CSR_MSIX_TABLE + v * 16;

		tess_wr32(t, e + 8, 0x40 + v);
		tess_wr32(t, e + 12, 0);
		EXPECT_EQ(0xffffffff, tess_rd32(t, e + 8));
		EXPECT_EQ(0xffffffff, tess_rd32(t, e + 12));
	}
	ASSERT_EQ(1, pread(t->vfio.device_fd, buf, 1,
			   off + TESSERA_CSR_MSIX_TABLE + 5));
	EXPECT_EQ(0xff, buf[0]);
	/* An access straddling the table's end: ones, then the register. */
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(8, pread(t->vfio.device_fd, buf, 8,
			   off + TESSERA_CSR_MSIX_TABLE +
			   TESSERA_MSIX_VECTORS * 16 - 4));
	memcpy(&v, buf, 4);
	EXPECT_EQ(0xffffffff, v);
	memcpy(&v, buf + 4, 4);
	EXPECT_EQ(0, v);
	/* PBA is read-only. */
	tess_wr32(t, TESSERA_CSR_MSIX_PBA, 0xffffffff);
	EXPECT_EQ(0, tess_rd32(t, TESSERA_CSR_MSIX_PBA));
}

TEST_F(cfg, flr_resets_the_vgpu)
{
	struct tess_dev *t = &self->v.t;
	unsigned int exp = vfio_pci_find_cap(&t->vfio, PCI_CAP_ID_EXP);
	long long resets = mdev_attr_u64(self->v.uuid, "tessera/resets");
	u32 cmd = cfg_rd(t, PCI_COMMAND, 2);

	ASSERT_NE(0, exp);
	tess_wr32(t, TESSERA_REG_SCRATCH, 0x1234);
	tess_ctx_wr(t, 0, TESSERA_CTX_GART_SIZE, 16);
	ASSERT_EQ(0x1234, tess_rd32(t, TESSERA_REG_SCRATCH));
	ASSERT_EQ(0, cfg_wr(t, PCI_BASE_ADDRESS_0, 0xfe000000, 4));
	ASSERT_EQ(0, cfg_wr(t, exp + PCI_EXP_DEVCTL,
			    cfg_rd(t, exp + PCI_EXP_DEVCTL, 2) |
			    PCI_EXP_DEVCTL_BCR_FLR, 2));
	EXPECT_EQ(0, cfg_rd(t, exp + PCI_EXP_DEVCTL, 2) & PCI_EXP_DEVCTL_BCR_FLR);
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_SCRATCH));
	EXPECT_EQ(0, tess_ctx_rd(t, 0, TESSERA_CTX_GART_SIZE));
	/* Config space stays as the user left it: vfio-pci saves and
	 * restores it around the function reset.
	 */
	EXPECT_EQ(cmd, cfg_rd(t, PCI_COMMAND, 2));
	EXPECT_EQ(0xfe000000, cfg_rd(t, PCI_BASE_ADDRESS_0, 4));
	EXPECT_EQ(resets + 1, mdev_attr_u64(self->v.uuid, "tessera/resets"));
}

TEST_F(cfg, region_and_irq_info)
{
	struct tess_dev *t = &self->v.t;
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	struct {
		struct vfio_region_info info;
		char caps[256];
	} ri;

	EXPECT_EQ(TESSERA_CSR_BAR_SIZE, t->vfio.regions[0].size);
	EXPECT_FALSE(t->vfio.regions[0].flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_EQ(0, t->vfio.regions[1].size);
	EXPECT_EQ(8ull << 20, t->vfio.regions[2].size);
	EXPECT_TRUE(t->vfio.regions[2].flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_EQ(4096, t->vfio.regions[4].size);
	EXPECT_NE(NULL, t->vram);
	EXPECT_NE(NULL, t->db);
	EXPECT_EQ(NULL, t->csr);

	/* As vfio-pci's BARs without an MSI-X table: no capabilities. */
	memset(&ri, 0, sizeof(ri));
	ri.info.argsz = sizeof(ri);
	ri.info.index = VFIO_PCI_BAR2_REGION_INDEX;
	ASSERT_EQ(0, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri));
	EXPECT_FALSE(ri.info.flags & VFIO_REGION_INFO_FLAG_CAPS);
	/* No VGA region: EINVAL; no ROM: size 0. */
	ri.info.index = VFIO_PCI_VGA_REGION_INDEX;
	EXPECT_EQ(-1, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri));
	EXPECT_EQ(EINVAL, errno);
	ri.info.index = VFIO_PCI_ROM_REGION_INDEX;
	ASSERT_EQ(0, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri));
	EXPECT_EQ(0, ri.info.size);
	ri.info.index = 9;
	EXPECT_EQ(-1, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri));

	irq.index = VFIO_PCI_MSIX_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	/* The table's size, as vfio-pci; vectors can be added (no NORESIZE,
	 * as vfio-pci with dynamic MSI-X).
	 */
	EXPECT_EQ(TESSERA_MSIX_VECTORS, irq.count);
	EXPECT_TRUE(irq.flags & VFIO_IRQ_INFO_EVENTFD);
	EXPECT_FALSE(irq.flags & VFIO_IRQ_INFO_NORESIZE);
	irq.index = VFIO_PCI_INTX_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(1, irq.count);
	EXPECT_TRUE(irq.flags & VFIO_IRQ_INFO_MASKABLE);
	/* A PCI Express function has an error IRQ (vfio-pci). */
	irq.index = VFIO_PCI_ERR_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_IRQ_INFO, &irq));
	EXPECT_EQ(1, irq.count);
	irq.index = VFIO_PCI_NUM_IRQS;
	EXPECT_EQ(-1, ioctl(t->vfio.device_fd, VFIO_DEVICE_GET_IRQ_INFO, &irq));
}

TEST_HARNESS_MAIN
