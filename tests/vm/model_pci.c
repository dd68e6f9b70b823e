// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-gpu model: PCI identity, config space, BARs, global registers
 * and BAR0/BAR2/BAR4 access rules, seen through vfio-pci.
 */
#include <linux/pci_regs.h>

#include "model-common.h"

static u32 cfg(struct __test_metadata *_metadata, struct model *m,
	       unsigned int off, unsigned int width)
{
	u32 v = ~0u;

	EXPECT_EQ(0, vfio_config_read(&m->t.vfio, off, &v, width))
		TH_LOG("config read at 0x%x", off);
	return v;
}

static bool is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

static u64 roundup_pow2(u64 v)
{
	u64 p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

TEST_F_TIMEOUT(model, config_identity, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	u32 v;

	ASSERT_EQ(TESSERA_PCI_VENDOR_ID, cfg(_metadata, m, PCI_VENDOR_ID, 2));
	ASSERT_EQ(TESSERA_PCI_DEVICE_ID, cfg(_metadata, m, PCI_DEVICE_ID, 2));
	v = cfg(_metadata, m, PCI_CLASS_REVISION, 4);
	EXPECT_EQ(TESSERA_PCI_REVISION, v & 0xff);
	EXPECT_EQ(TESSERA_PCI_CLASS, v >> 16);
	EXPECT_EQ(0, (v >> 8) & 0xff);	/* programming interface */
	EXPECT_EQ(PCI_HEADER_TYPE_NORMAL,
		  cfg(_metadata, m, PCI_HEADER_TYPE, 1) & 0x7f);
	EXPECT_EQ(1, cfg(_metadata, m, PCI_INTERRUPT_PIN, 1));	/* INTA */
	EXPECT_NE(0, cfg(_metadata, m, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
}

TEST_F_TIMEOUT(model, config_capabilities, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	u32 v, type;
	int pm, msix, exp;

	pm = vfio_pci_find_cap(&m->t.vfio, PCI_CAP_ID_PM);
	msix = vfio_pci_find_cap(&m->t.vfio, PCI_CAP_ID_MSIX);
	exp = vfio_pci_find_cap(&m->t.vfio, PCI_CAP_ID_EXP);
	EXPECT_EQ(TESSERA_PCI_CAP_PM, pm);
	EXPECT_EQ(TESSERA_PCI_CAP_MSIX, msix);
	EXPECT_EQ(TESSERA_PCI_CAP_EXP, exp);
	ASSERT_GT(pm, 0);
	ASSERT_GT(msix, 0);
	ASSERT_GT(exp, 0);

	/* PM: in D0. */
	v = cfg(_metadata, m, pm + PCI_PM_CTRL, 2);
	EXPECT_EQ(0, v & PCI_PM_CTRL_STATE_MASK);

	/* MSI-X: vectors, table and PBA in BAR0 where the header says. */
	v = cfg(_metadata, m, msix + PCI_MSIX_FLAGS, 2);
	EXPECT_EQ(TESSERA_MSIX_VECTORS, (v & PCI_MSIX_FLAGS_QSIZE) + 1);
	v = cfg(_metadata, m, msix + PCI_MSIX_TABLE, 4);
	EXPECT_EQ(TESSERA_BAR_CSR, v & PCI_MSIX_TABLE_BIR);
	EXPECT_EQ(TESSERA_CSR_MSIX_TABLE, v & PCI_MSIX_TABLE_OFFSET);
	v = cfg(_metadata, m, msix + PCI_MSIX_PBA, 4);
	EXPECT_EQ(TESSERA_BAR_CSR, v & PCI_MSIX_PBA_BIR);
	EXPECT_EQ(TESSERA_CSR_MSIX_PBA, v & PCI_MSIX_PBA_OFFSET);

	/* PCIe endpoint (integrated when on the root complex) with FLR. */
	v = cfg(_metadata, m, exp + PCI_EXP_FLAGS, 2);
	type = (v & PCI_EXP_FLAGS_TYPE) >> 4;
	EXPECT_TRUE(type == PCI_EXP_TYPE_ENDPOINT || type == PCI_EXP_TYPE_RC_END)
		TH_LOG("PCIe device/port type %u", type);
	v = cfg(_metadata, m, exp + PCI_EXP_DEVCAP, 4);
	EXPECT_NE(0, v & PCI_EXP_DEVCAP_FLR) TH_LOG("DevCap 0x%08x", v);
}

TEST_F_TIMEOUT(model, bars, TEST_TIMEOUT_S)
{
	struct model *m = &self->m;
	struct vfio_region *r0, *r2, *r4;
	u32 b0, b2, b4;
	u64 db_size;

	b0 = cfg(_metadata, m, PCI_BASE_ADDRESS_0, 4);
	b2 = cfg(_metadata, m, PCI_BASE_ADDRESS_2, 4);
	b4 = cfg(_metadata, m, PCI_BASE_ADDRESS_4, 4);
	/* BAR0: 32-bit memory, not prefetchable. */
	EXPECT_EQ(PCI_BASE_ADDRESS_SPACE_MEMORY, b0 & PCI_BASE_ADDRESS_SPACE);
	EXPECT_EQ(PCI_BASE_ADDRESS_MEM_TYPE_32, b0 & PCI_BASE_ADDRESS_MEM_TYPE_MASK);
	EXPECT_EQ(0, b0 & PCI_BASE_ADDRESS_MEM_PREFETCH);
	/* BAR2: 64-bit prefetchable memory. */
	EXPECT_EQ(PCI_BASE_ADDRESS_SPACE_MEMORY, b2 & PCI_BASE_ADDRESS_SPACE);
	EXPECT_EQ(PCI_BASE_ADDRESS_MEM_TYPE_64, b2 & PCI_BASE_ADDRESS_MEM_TYPE_MASK);
	EXPECT_NE(0, b2 & PCI_BASE_ADDRESS_MEM_PREFETCH);
	/* BAR4: 64-bit memory, not prefetchable. */
	EXPECT_EQ(PCI_BASE_ADDRESS_SPACE_MEMORY, b4 & PCI_BASE_ADDRESS_SPACE);
	EXPECT_EQ(PCI_BASE_ADDRESS_MEM_TYPE_64, b4 & PCI_BASE_ADDRESS_MEM_TYPE_MASK);
	EXPECT_EQ(0, b4 & PCI_BASE_ADDRESS_MEM_PREFETCH);

	r0 = vfio_region_get(&m->t.vfio, TESSERA_BAR_CSR);
	r2 = vfio_region_get(&m->t.vfio, TESSERA_BAR_VRAM);
	r4 = vfio_region_get(&m->t.vfio, TESSERA_BAR_DOORBELL);
	ASSERT_NE(NULL, r0);
	ASSERT_NE(NULL, r2);
	ASSERT_NE(NULL, r4);
	EXPECT_EQ(TESSERA_CSR_BAR_SIZE, r0->size);
	EXPECT_EQ(m->t.vram_size, r2->size);
	EXPECT_TRUE(is_pow2(r2->size));
	db_size = roundup_pow2((u64)m->t.contexts * TESSERA_DOORBELL_PAGE_SIZE);
	EXPECT_EQ(db_size, r4->size);
	/* The upper halves of the 64-bit BARs are no regions of their own. */
	EXPECT_EQ(NULL, vfio_region_get(&m->t.vfio, 3));
	EXPECT_EQ(NULL, vfio_region_get(&m->t.vfio, 5));
	/* Every BAR is readable, writable and mappable. */
	EXPECT_NE(0, r0->flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_NE(0, r2->flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_NE(0, r4->flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_NE(NULL, m->t.csr);
	EXPECT_NE(NULL, m->t.vram);
	EXPECT_NE(NULL, m->t.db);
}

/* BAR sizing through config space (vfio-pci emulates it from the BARs). */
TEST_F_TIMEOUT(model, bar_sizing, TEST_TIMEOUT_S)
{
	static const unsigned int bars[] = {
		PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_2, PCI_BASE_ADDRESS_4
	};
	struct model *m = &self->m;
	u64 want[3];
	unsigned int i;

	want[0] = TESSERA_CSR_BAR_SIZE;
	want[1] = m->t.vram_size;
	want[2] = roundup_pow2((u64)m->t.contexts * TESSERA_DOORBELL_PAGE_SIZE);
	for (i = 0; i < 3; i++) {
		unsigned int off = bars[i];
		u32 lo, hi = 0, slo, shi = ~0u;
		u64 mask;

		lo = cfg(_metadata, m, off, 4);
		if (i)
			hi = cfg(_metadata, m, off + 4, 4);
		ASSERT_EQ(0, vfio_config_write(&m->t.vfio, off, ~0u, 4));
		slo = cfg(_metadata, m, off, 4);
		if (i) {
			ASSERT_EQ(0, vfio_config_write(&m->t.vfio, off + 4, ~0u, 4));
			shi = cfg(_metadata, m, off + 4, 4);
		}
		ASSERT_EQ(0, vfio_config_write(&m->t.vfio, off, lo, 4));
		if (i)
			ASSERT_EQ(0, vfio_config_write(&m->t.vfio, off + 4, hi, 4));
		mask = (u64)shi << 32 | (slo & PCI_BASE_ADDRESS_MEM_MASK);
		EXPECT_EQ(want[i], ~mask + 1)
			TH_LOG("BAR at 0x%x: sizing mask 0x%llx", off,
			       (unsigned long long)mask);
		/* Flags survive sizing. */
		EXPECT_EQ(lo & ~PCI_BASE_ADDRESS_MEM_MASK,
			  slo & ~PCI_BASE_ADDRESS_MEM_MASK);
	}
}

TEST_F_TIMEOUT(model, global_registers, TEST_TIMEOUT_S)
{
	struct tess_dev *t = &self->m.t;
	u32 eng, caps;
	unsigned int e;

	EXPECT_EQ(TESSERA_ID_MAGIC, tess_rd32(t, TESSERA_REG_ID));
	EXPECT_EQ(TESSERA_VERSION_1_0, tess_rd32(t, TESSERA_REG_VERSION));
	caps = tess_rd32(t, TESSERA_REG_CAPS);
	EXPECT_EQ(TESSERA_CAPS_DOORBELLS | TESSERA_CAPS_PREEMPT |
		  TESSERA_CAPS_GART_RO, caps);
	eng = tess_rd32(t, TESSERA_REG_ENGINES);
	EXPECT_EQ(TESSERA_ENGINES_TOTAL(eng),
		  TESSERA_ENGINES_COMPUTE(eng) + TESSERA_ENGINES_COPY(eng));
	EXPECT_GE(TESSERA_MAX_ENGINES, TESSERA_ENGINES_TOTAL(eng));
	EXPECT_EQ(0, eng >> 24);
	EXPECT_LE(1, t->contexts);
	EXPECT_GE(TESSERA_MAX_CONTEXTS, t->contexts);
	EXPECT_LE(1024, t->gart_entries);
	EXPECT_GE(TESSERA_MAX_GART_ENTRIES, t->gart_entries);
	EXPECT_TRUE(is_pow2(t->vram_size));
	EXPECT_LE(64 * MIB, t->vram_size);
	EXPECT_GE(64ULL << 30, t->vram_size);
	EXPECT_EQ(t->vram_size & 0xffffffff, tess_rd32(t, TESSERA_REG_VRAM_SIZE_LO));
	EXPECT_EQ(t->vram_size >> 32, tess_rd32(t, TESSERA_REG_VRAM_SIZE_HI));
	EXPECT_NE(0, tess_rd32(t, TESSERA_REG_STATUS) & TESSERA_STATUS_READY);
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_STATUS));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_INT_ENABLE));

	for (e = 0; e < t->engines; e++) {
		u32 want = e < t->compute ? TESSERA_ENG_CLASS_COMPUTE :
					    TESSERA_ENG_CLASS_COPY;

		EXPECT_EQ(want, TESSERA_ENG_CLASS(tess_eng_rd(t, e, TESSERA_ENG_CAPS)))
			TH_LOG("engine %u", e);
		EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(t, e));
		EXPECT_EQ(0, tess_eng_rd(t, e, TESSERA_ENG_CTX));
		EXPECT_EQ(0, tess_eng_rd(t, e, TESSERA_ENG_INT_MASK));
		EXPECT_EQ(0, tess_eng_rd(t, e, TESSERA_ENG_FAULT_CODE));
	}
}

/* Writable registers keep what is written; read-only ones ignore writes. */
TEST_F_TIMEOUT(model, register_rw_rules, TEST_TIMEOUT_S)
{
	struct tess_dev *t = &self->m.t;

	tess_wr32(t, TESSERA_REG_SCRATCH, 0xa5c3e1f0);
	EXPECT_EQ(0xa5c3e1f0, tess_rd32(t, TESSERA_REG_SCRATCH));
	tess_wr32(t, TESSERA_REG_SCRATCH, 0);
	EXPECT_EQ(0, tess_rd32(t, TESSERA_REG_SCRATCH));

	tess_wr32(t, TESSERA_REG_ID, 0x12345678);
	EXPECT_EQ(TESSERA_ID_MAGIC, tess_rd32(t, TESSERA_REG_ID));
	tess_wr32(t, TESSERA_REG_VERSION, 0);
	EXPECT_EQ(TESSERA_VERSION_1_0, tess_rd32(t, TESSERA_REG_VERSION));
	tess_wr32(t, TESSERA_REG_VRAM_SIZE_LO, 0x1000);
	EXPECT_EQ(t->vram_size, tess_rd64(t, TESSERA_REG_VRAM_SIZE_LO));
	tess_wr32(t, TESSERA_REG_CONTEXTS, 1);
	EXPECT_EQ(t->contexts, tess_rd32(t, TESSERA_REG_CONTEXTS));
	/* A reset value other than the magic is ignored. */
	tess_wr32(t, TESSERA_REG_SCRATCH, 77);
	tess_wr32(t, TESSERA_REG_RESET, TESSERA_RESET_MAGIC + 1);
	EXPECT_EQ(77, tess_rd32(t, TESSERA_REG_SCRATCH));

	/* A context's window registers are plain RW (64-bit pairs too). */
	tess_wr64(t, TESSERA_CTX_REG(5, TESSERA_CTX_VRAM_BASE_LO),
		  0x123456789000ULL);
	EXPECT_EQ(0x123456789000ULL,
		  tess_rd64(t, TESSERA_CTX_REG(5, TESSERA_CTX_VRAM_BASE_LO)));
	EXPECT_EQ(0x89000, tess_ctx_rd(t, 5, TESSERA_CTX_VRAM_BASE_LO) & 0xfffff);
	EXPECT_EQ(0x1234, tess_ctx_rd(t, 5, TESSERA_CTX_VRAM_BASE_HI));

	/* GART entries are 64-bit RW. */
	ASSERT_EQ(0, tess_gart_set(t, 7, 0xfedcba987000ULL,
				   TESSERA_GART_VALID | TESSERA_GART_WRITABLE));
	EXPECT_EQ(0xfedcba987000ULL | TESSERA_GART_VALID | TESSERA_GART_WRITABLE,
		  tess_gart_get(t, 7));
	tess_wr32(t, TESSERA_GART_ENTRY(8), 0x5001);
	tess_wr32(t, TESSERA_GART_ENTRY(8) + 4, 0x77);
	EXPECT_EQ(0x7700005001ULL, tess_gart_get(t, 8));

	/* ENG_CTX is writable while STOPPED. */
	tess_eng_wr(t, 0, TESSERA_ENG_CTX, 3);
	EXPECT_EQ(3, tess_eng_rd(t, 0, TESSERA_ENG_CTX));
	tess_eng_wr(t, 0, TESSERA_ENG_CTX, 0);
}

/*
 * BAR0 takes aligned 4-byte accesses (and 8-byte ones at _LO); other
 * accesses read zero and are ignored. Holes read zero.
 */
TEST_F_TIMEOUT(model, bar0_access_rules, TEST_TIMEOUT_S)
{
	struct tess_dev *t = &self->m.t;
	u8 b;
	u16 h;
	u32 v;

	ASSERT_NE(NULL, t->csr);
	ASSERT_EQ(0, vfio_region_read(&t->vfio, 0, TESSERA_REG_ID, &b, 1));
	EXPECT_EQ(0, b);
	ASSERT_EQ(0, vfio_region_read(&t->vfio, 0, TESSERA_REG_ID + 2, &h, 2));
	EXPECT_EQ(0, h);

	tess_wr32(t, TESSERA_REG_SCRATCH, 0x11223344);
	b = 0xff;
	ASSERT_EQ(0, vfio_region_write(&t->vfio, 0, TESSERA_REG_SCRATCH, &b, 1));
	h = 0xffff;
	ASSERT_EQ(0, vfio_region_write(&t->vfio, 0, TESSERA_REG_SCRATCH + 2, &h, 2));
	EXPECT_EQ(0x11223344, tess_rd32(t, TESSERA_REG_SCRATCH));

	/* Unaligned 4-byte access: reads zero, write ignored. */
	v = 0xdeadbeef;
	ASSERT_EQ(0, vfio_region_read(&t->vfio, 0, TESSERA_REG_SCRATCH + 1, &v, 4));
	EXPECT_EQ(0, v);

	/* Holes. */
	EXPECT_EQ(0, tess_rd32(t, 0x0ffc));
	tess_wr32(t, 0x0ffc, 0xffffffff);
	EXPECT_EQ(0, tess_rd32(t, 0x0ffc));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_CSR_GLOBAL_BASE + 0x100));
	EXPECT_EQ(0, tess_rd32(t, 0x10000));
	tess_wr32(t, 0x10000, 0xffffffff);
	EXPECT_EQ(0, tess_rd32(t, 0x10000));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_CSR_BAR_SIZE - 4));

	/* An engine the device does not have. */
	if (t->engines < TESSERA_MAX_ENGINES) {
		unsigned int e = t->engines;

		tess_eng_wr(t, e, TESSERA_ENG_CTX, 1);
		tess_eng_wr(t, e, TESSERA_ENG_INT_MASK, 0xf);
		tess_eng_wr(t, e, TESSERA_ENG_CTRL, TESSERA_ENG_CTRL_START);
		EXPECT_EQ(0, tess_eng_rd(t, e, TESSERA_ENG_CTX));
		EXPECT_EQ(0, tess_eng_rd(t, e, TESSERA_ENG_STATUS));
		EXPECT_EQ(0, tess_eng_rd(t, e, TESSERA_ENG_INT_MASK));
	}
	/* A context the device does not have. */
	if (t->contexts < TESSERA_MAX_CONTEXTS) {
		unsigned int c = t->contexts;

		tess_ctx_wr(t, c, TESSERA_CTX_VRAM_SIZE_LO, 0x100000);
		tess_ctx_wr(t, c, TESSERA_CTX_CTRL, TESSERA_CTX_CTRL_VALID);
		EXPECT_EQ(0, tess_ctx_rd(t, c, TESSERA_CTX_VRAM_SIZE_LO));
		EXPECT_EQ(0, tess_ctx_rd(t, c, TESSERA_CTX_CTRL));
	}
	/* A GART entry the device does not have. */
	if (t->gart_entries < TESSERA_MAX_GART_ENTRIES) {
		tess_wr64(t, TESSERA_GART_ENTRY(t->gart_entries), 0x1003);
		EXPECT_EQ(0, tess_gart_get(t, t->gart_entries));
	}
	EXPECT_EQ(TESSERA_ID_MAGIC, tess_rd32(t, TESSERA_REG_ID));
}

/* BAR2 is plain memory: any size and alignment. */
TEST_F_TIMEOUT(model, bar2_plain_memory, TEST_TIMEOUT_S)
{
	struct tess_dev *t = &self->m.t;
	u8 buf[67], back[67];
	u64 off = a_vram(DATA_VA) + 3, last = t->vram_size - 8;
	u16 h = 0xbeef;
	u64 q;

	prng_fill(buf, sizeof(buf), 42);
	ASSERT_EQ(0, tess_vram_write(t, off, buf, sizeof(buf)));
	memset(back, 0, sizeof(back));
	ASSERT_EQ(0, tess_vram_read(t, off, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(buf, back, sizeof(buf)));

	ASSERT_EQ(0, vfio_region_write(&t->vfio, 2, off + 1, &h, 2));
	h = 0;
	ASSERT_EQ(0, vfio_region_read(&t->vfio, 2, off + 1, &h, 2));
	EXPECT_EQ(0xbeef, h);

	/* The last bytes of VRAM. */
	q = 0x0123456789abcdefULL;
	ASSERT_EQ(0, tess_vram_write(t, last, &q, 8));
	EXPECT_EQ(0x0123456789abcdefULL, tess_vram_rd64(t, last));
	/* Beyond VRAM is refused by the library, not sent. */
	EXPECT_EQ(-EINVAL, tess_vram_write(t, t->vram_size - 4, &q, 8));
}

/* BAR4: DB_TAIL(e) of page c is the ring tail of context c on engine e. */
TEST_F_TIMEOUT(model, bar4_doorbell_registers, TEST_TIMEOUT_S)
{
	struct tess_dev *t = &self->m.t;
	u64 off;
	u32 v;

	/* Engines are stopped: a doorbell only sets the tail (+ pending). */
	ASSERT_EQ(0, tess_db_write(t, CTX_B, 0, 0x40));
	EXPECT_EQ(0x40, tess_db_read(t, CTX_B, 0));
	EXPECT_EQ(0x40, tess_ringreg_rd(t, CTX_B, 0, TESSERA_RING_TAIL));
	tess_ringreg_wr(t, CTX_B, 0, TESSERA_RING_TAIL, 0x80);
	EXPECT_EQ(0x80, tess_db_read(t, CTX_B, 0));
	EXPECT_EQ(0, tess_db_read(t, CTX_B, 1));

	/* Other offsets of the page read zero and ignore writes. */
	off = CTX_B * TESSERA_DOORBELL_PAGE_SIZE + 4;
	v = 0x44;
	ASSERT_EQ(0, vfio_region_write(&t->vfio, 4, off, &v, 4));
	v = 1;
	ASSERT_EQ(0, vfio_region_read(&t->vfio, 4, off, &v, 4));
	EXPECT_EQ(0, v);
	off = CTX_B * TESSERA_DOORBELL_PAGE_SIZE + 0x800;
	ASSERT_EQ(0, vfio_region_read(&t->vfio, 4, off, &v, 4));
	EXPECT_EQ(0, v);

	/* A doorbell for an engine the device does not have is ignored. */
	if (t->engines < TESSERA_MAX_ENGINES) {
		ASSERT_EQ(0, tess_db_write(t, CTX_B, t->engines, 0x40));
		EXPECT_EQ(0, tess_db_read(t, CTX_B, t->engines));
	}
	tess_ringreg_wr(t, CTX_B, 0, TESSERA_RING_TAIL, 0);
	tess_ringreg_wr(t, CTX_B, 0, TESSERA_RING_HEAD, 0);
	tess_wr32(t, TESSERA_REG_DB_PENDING(0), ~0u);
}

TEST_F_TIMEOUT(model, timestamp_runs, TEST_TIMEOUT_S)
{
	struct tess_dev *t = &self->m.t;
	u64 a, b, lo, hi;

	a = tess_timestamp(t);
	tess_sleep_us(20000);
	b = tess_timestamp(t);
	EXPECT_GT(b, a);
	/* At least most of the 20 ms slept (device time = virtual clock). */
	EXPECT_GE(b - a, 10000000ULL) TH_LOG("delta %llu ns",
					     (unsigned long long)(b - a));
	/* 32-bit reads: LO latches HI. */
	lo = tess_rd32(t, TESSERA_REG_TIMESTAMP_LO);
	hi = tess_rd32(t, TESSERA_REG_TIMESTAMP_HI);
	EXPECT_GE(hi << 32 | lo, b);
}

TEST_HARNESS_MAIN
