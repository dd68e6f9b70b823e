// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual BAR0 of a vGPU: the CSR table.
 *
 * The guest sees a Tessera GPU with one hardware context (its context 0),
 * the physical engines, its VRAM partition as VRAM and its GART slice as
 * GART, with TESSERA_CAPS_VIRTUAL set. Every register is trapped:
 *
 *  - identity and sizes are constants of the vGPU;
 *  - context 0's windows are checked against the partition/slice and
 *    written, relocated, into the vGPU's physical context;
 *  - ring registers of context 0 are context-relative and go straight to
 *    the physical context's ring registers;
 *  - ENG_CTRL never reaches the engine: START means "my ring has work"
 *    (the host scheduler time-slices the physical engine), PREEMPT and
 *    RESET take the vGPU's ring off the engine;
 *  - engine status, faults, fences and interrupt status are virtual,
 *    derived from the events of the vGPU's context only;
 *  - the MSI-X table is emulated, GART entries are shadowed
 *    (tessera_vgpu_gart.c);
 *  - other contexts, global reset, doorbell-pending bits of others and the
 *    GART outside the slice do not exist for the guest (read 0, writes
 *    ignored).
 *
 * Each register is one row of a table: offset, read-only bit mask, read
 * and write handler. Accesses follow the hardware rules: aligned 4-byte
 * accesses, and aligned 8-byte ones (done as low then high dword, except
 * GART entries which are updated at once); anything else reads 0 and is
 * ignored.
 */
#include <linux/delay.h>

#include "tessera_vgpu.h"

struct vcsr {
	u32 off;
	u32 ro;		/* bits the guest cannot change */
	u32 (*rd)(struct tessera_vgpu *vgpu, u32 idx, u32 off);
	void (*wr)(struct tessera_vgpu *vgpu, u32 idx, u32 off, u32 val);
};

#define RO_ALL	0xffffffffu

static u32 pctx(struct tessera_vgpu *vgpu)
{
	return vgpu->ctx_info.id;
}

static u32 phys_rd(struct tessera_vgpu *vgpu, u32 reg)
{
	return tessera_hw_csr_read(vgpu->tdev, reg);
}

static void phys_wr(struct tessera_vgpu *vgpu, u32 reg, u32 val)
{
	tessera_hw_csr_write(vgpu->tdev, reg, val);
}

/* ------------------------------------------------------------ global */

static u32 g_rd(struct tessera_vgpu *vgpu, u32 idx, u32 off)
{
	const struct tessera_dev_info *info = vgpu->info;
	u32 v = 0, e;

	switch (off) {
	case TESSERA_REG_ID:
		return TESSERA_ID_MAGIC;
	case TESSERA_REG_VERSION:
		return info->hw_version;
	case TESSERA_REG_CAPS:
		return info->caps | TESSERA_CAPS_VIRTUAL;
	case TESSERA_REG_ENGINES:
		return info->num_engines | info->num_compute << 8 |
		       info->num_copy << 16;
	case TESSERA_REG_CONTEXTS:
		return 1;
	case TESSERA_REG_GART_ENTRIES:
		return vgpu->gart_entries;
	case TESSERA_REG_VRAM_SIZE_LO:
		return lower_32_bits(vgpu->vram_size);
	case TESSERA_REG_VRAM_SIZE_HI:
		return upper_32_bits(vgpu->vram_size);
	case TESSERA_REG_TIMESTAMP_LO:
	case TESSERA_REG_TIMESTAMP_HI:
		return phys_rd(vgpu, off);
	case TESSERA_REG_INT_STATUS:
		for (e = 0; e < info->num_engines; e++)
			if (vgpu->s.eng[e].int_status & vgpu->s.eng[e].int_mask)
				v |= TESSERA_INT_ENGINE(e);
		return v;
	case TESSERA_REG_INT_ENABLE:
		return vgpu->s.int_enable;
	case TESSERA_REG_STATUS:
		return TESSERA_STATUS_READY;
	case TESSERA_REG_SCRATCH:
		return vgpu->s.scratch;
	default:
		return 0;	/* RESET (WO), DB_PENDING: nothing pending */
	}
}

static void g_wr(struct tessera_vgpu *vgpu, u32 idx, u32 off, u32 val)
{
	switch (off) {
	case TESSERA_REG_INT_ENABLE:
		vgpu->s.int_enable = val;
		tessera_vgpu_irq_update(vgpu);
		break;
	case TESSERA_REG_RESET:
		if (val == TESSERA_RESET_MAGIC)
			tessera_vgpu_reset(vgpu, false);
		break;
	case TESSERA_REG_SCRATCH:
		vgpu->s.scratch = val;
		break;
	}
}

static const struct vcsr global_regs[] = {
	{ TESSERA_REG_ID,		RO_ALL, g_rd, NULL },
	{ TESSERA_REG_VERSION,		RO_ALL, g_rd, NULL },
	{ TESSERA_REG_CAPS,		RO_ALL, g_rd, NULL },
	{ TESSERA_REG_ENGINES,		RO_ALL, g_rd, NULL },
	{ TESSERA_REG_CONTEXTS,		RO_ALL, g_rd, NULL },
	{ TESSERA_REG_GART_ENTRIES,	RO_ALL, g_rd, NULL },
	{ TESSERA_REG_VRAM_SIZE_LO,	RO_ALL, g_rd, NULL },
	{ TESSERA_REG_VRAM_SIZE_HI,	RO_ALL, g_rd, NULL },
	{ TESSERA_REG_TIMESTAMP_LO,	RO_ALL, g_rd, NULL },
	{ TESSERA_REG_TIMESTAMP_HI,	RO_ALL, g_rd, NULL },
	{ TESSERA_REG_INT_STATUS,	RO_ALL, g_rd, NULL },
	/* bits of absent engines are masked in csr_wr32() */
	{ TESSERA_REG_INT_ENABLE,	0,	g_rd, g_wr },
	{ TESSERA_REG_RESET,		0,	g_rd, g_wr },
	{ TESSERA_REG_STATUS,		RO_ALL, g_rd, NULL },
	{ TESSERA_REG_SCRATCH,		0,	g_rd, g_wr },
	{ TESSERA_REG_DB_PENDING(0),	RO_ALL, g_rd, NULL },
};

/* ------------------------------------------------------------ engines */

static u64 ring_fence(struct tessera_vgpu *vgpu, u32 e)
{
	u64 v = tessera_hw_csr_read64(vgpu->tdev,
				      TESSERA_CTX_RING_REG(pctx(vgpu), e,
							   TESSERA_RING_FENCE_LO));

	if (v != vgpu->s.reset_fence[e])
		vgpu->s.fence_moved |= BIT(e);
	return vgpu->s.fence_moved & BIT(e) ? v : 0;
}

/**
 * tessera_vgpu_eng_status() - virtual ENG_STATUS of an engine
 * @vgpu: vGPU (lock held)
 * @e: engine
 *
 * Return: the status word the guest reads.
 */
u32 tessera_vgpu_eng_status(struct tessera_vgpu *vgpu, u32 e)
{
	u32 st;

	switch (vgpu->s.eng[e].state) {
	case TESSERA_VENG_FAULTED:
		return TESSERA_ENG_STATE_FAULTED;
	case TESSERA_VENG_STARTED:
		st = phys_rd(vgpu, TESSERA_CTX_REG(pctx(vgpu),
						   TESSERA_CTX_STATUS));
		return st & TESSERA_CTX_STATUS_PENDING(e) ?
		       TESSERA_ENG_STATE_RUNNING : TESSERA_ENG_STATE_WAITING;
	default:
		return TESSERA_ENG_STATE_STOPPED;
	}
}

static u32 e_rd(struct tessera_vgpu *vgpu, u32 e, u32 off)
{
	struct tessera_vgpu_eng *ve = &vgpu->s.eng[e];
	u64 rt;

	switch (off) {
	case TESSERA_ENG_CAPS:
		return phys_rd(vgpu, TESSERA_ENG_REG(e, TESSERA_ENG_CAPS));
	case TESSERA_ENG_CTX:
		return ve->ctx;
	case TESSERA_ENG_STATUS:
		return tessera_vgpu_eng_status(vgpu, e);
	case TESSERA_ENG_FAULT_CODE:
		return ve->fault_code;
	case TESSERA_ENG_FAULT_CTX:
		return 0;
	case TESSERA_ENG_FAULT_ADDR_LO:
		return lower_32_bits(ve->fault_addr);
	case TESSERA_ENG_FAULT_ADDR_HI:
		return upper_32_bits(ve->fault_addr);
	case TESSERA_ENG_FENCE_LO:
		return lower_32_bits(ring_fence(vgpu, e));
	case TESSERA_ENG_FENCE_HI:
		return upper_32_bits(ring_fence(vgpu, e));
	case TESSERA_ENG_FENCE_CTX:
		return 0;
	case TESSERA_ENG_INT_STATUS:
		return ve->int_status;
	case TESSERA_ENG_INT_MASK:
		return ve->int_mask;
	case TESSERA_ENG_BUSY_NS_LO:
		rt = tessera_vgpu_ring_stats(vgpu, e).runtime_ns;
		return lower_32_bits(rt);
	case TESSERA_ENG_BUSY_NS_HI:
		rt = tessera_vgpu_ring_stats(vgpu, e).runtime_ns;
		return upper_32_bits(rt);
	case TESSERA_ENG_RING_BASE_LO:
	case TESSERA_ENG_RING_BASE_HI:
	case TESSERA_ENG_RING_SIZE:
	case TESSERA_ENG_RING_HEAD:
	case TESSERA_ENG_RING_TAIL:
		if (ve->ctx != 0)
			return 0;
		return phys_rd(vgpu, TESSERA_CTX_RING_REG(pctx(vgpu), e,
			       off - TESSERA_ENG_RING_BASE_LO));
	default:
		return 0;
	}
}

static bool ctx_windows_ok(struct tessera_vgpu *vgpu)
{
	struct tessera_vgpu_state *s = &vgpu->s;

	return !(s->ctx_vram_base & (TESSERA_PAGE_SIZE - 1)) &&
	       !(s->ctx_vram_size & (TESSERA_PAGE_SIZE - 1)) &&
	       s->ctx_vram_base <= vgpu->vram_size &&
	       s->ctx_vram_size <= vgpu->vram_size - s->ctx_vram_base &&
	       (u64)s->ctx_gart_base + s->ctx_gart_size <= vgpu->gart_entries;
}

static void eng_fault(struct tessera_vgpu *vgpu, u32 e, u32 code, u64 addr)
{
	struct tessera_vgpu_eng *ve = &vgpu->s.eng[e];

	ve->state = TESSERA_VENG_FAULTED;
	ve->fault_code = code;
	ve->fault_addr = addr;
	ve->int_status |= TESSERA_ENG_INT_FAULT;
	vgpu->faults++;
}

static void eng_ctrl(struct tessera_vgpu *vgpu, u32 e, u32 val)
{
	struct tessera_vgpu_eng *ve = &vgpu->s.eng[e];

	switch (val) {
	case TESSERA_ENG_CTRL_START:
		if (ve->state == TESSERA_VENG_STARTED)
			break;
		if (ve->ctx != 0 || !(vgpu->s.ctx_ctrl & TESSERA_CTX_CTRL_VALID) ||
		    !ctx_windows_ok(vgpu)) {
			eng_fault(vgpu, e, TESSERA_FAULT_BAD_CONTEXT, 0);
			break;
		}
		ve->state = TESSERA_VENG_STARTED;
		ve->was_pending = 1;
		/* "My ring has work": the host scheduler runs it. */
		tessera_vgpu_ring_block(vgpu, e, false);
		break;
	case TESSERA_ENG_CTRL_PREEMPT:
		if (ve->state != TESSERA_VENG_STARTED)
			break;
		tessera_vgpu_ring_block(vgpu, e, true);
		ve->state = TESSERA_VENG_STOPPED;
		ve->int_status |= TESSERA_ENG_INT_PREEMPTED;
		break;
	case TESSERA_ENG_CTRL_RESET:
		tessera_vgpu_ring_block(vgpu, e, true);
		ve->state = TESSERA_VENG_STOPPED;
		ve->fault_code = 0;
		ve->fault_addr = 0;
		ve->int_status = 0;
		break;
	default:
		return;	/* several bits or none: ignored */
	}
	tessera_vgpu_irq_update(vgpu);
}

static void e_wr(struct tessera_vgpu *vgpu, u32 e, u32 off, u32 val)
{
	struct tessera_vgpu_eng *ve = &vgpu->s.eng[e];

	switch (off) {
	case TESSERA_ENG_CTX:
		if (ve->state != TESSERA_VENG_STARTED)
			ve->ctx = val;
		break;
	case TESSERA_ENG_CTRL:
		eng_ctrl(vgpu, e, val);
		break;
	case TESSERA_ENG_INT_STATUS:
		ve->int_status &= ~val;
		tessera_vgpu_irq_update(vgpu);
		break;
	case TESSERA_ENG_INT_MASK:
		ve->int_mask = val & TESSERA_ENG_INT_ALL;
		tessera_vgpu_irq_update(vgpu);
		break;
	}
}

static const struct vcsr engine_regs[] = {
	{ TESSERA_ENG_CAPS,		RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_CTX,		0,	e_rd, e_wr },
	{ TESSERA_ENG_CTRL,		0,	NULL, e_wr },
	{ TESSERA_ENG_STATUS,		RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_FAULT_CODE,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_FAULT_CTX,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_FAULT_ADDR_LO,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_FAULT_ADDR_HI,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_FENCE_LO,		RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_FENCE_HI,		RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_FENCE_CTX,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_INT_STATUS,	~TESSERA_ENG_INT_ALL, e_rd, e_wr },
	{ TESSERA_ENG_INT_MASK,		~TESSERA_ENG_INT_ALL, e_rd, e_wr },
	{ TESSERA_ENG_BUSY_NS_LO,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_BUSY_NS_HI,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_RING_BASE_LO,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_RING_BASE_HI,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_RING_SIZE,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_RING_HEAD,	RO_ALL, e_rd, NULL },
	{ TESSERA_ENG_RING_TAIL,	RO_ALL, e_rd, NULL },
};

/* ----------------------------------------------------------- context 0 */

/**
 * tessera_vgpu_ctx_apply() - program the physical context from context 0
 * @vgpu: vGPU (lock held)
 *
 * The windows are relocated into the partition and slice. A window the
 * partition or slice cannot hold leaves the physical context invalid (so
 * that START faults with BAD_CONTEXT, as on hardware) with empty windows.
 * Sizes are cleared before bases move, so that no intermediate state of
 * the physical registers ever reaches outside the partition or slice.
 */
void tessera_vgpu_ctx_apply(struct tessera_vgpu *vgpu)
{
	struct tessera_vgpu_state *s = &vgpu->s;
	struct tessera_hw_window w = {
		.vram_base = vgpu->ctx_info.vram_base,
		.gart_base = vgpu->ctx_info.gart_base,
	};

	if (ctx_windows_ok(vgpu)) {
		w.vram_base += s->ctx_vram_base;
		w.vram_size = s->ctx_vram_size;
		w.gart_base += s->ctx_gart_base;
		w.gart_entries = s->ctx_gart_size;
		w.valid = s->ctx_ctrl & TESSERA_CTX_CTRL_VALID;
	}
	tessera_hw_ctx_set(vgpu->tdev, vgpu->ctx_info.id, &w);
}

static u32 c_rd(struct tessera_vgpu *vgpu, u32 idx, u32 off)
{
	struct tessera_vgpu_state *s = &vgpu->s;
	u32 st, v = 0, e;

	switch (off) {
	case TESSERA_CTX_VRAM_BASE_LO:
		return lower_32_bits(s->ctx_vram_base);
	case TESSERA_CTX_VRAM_BASE_HI:
		return upper_32_bits(s->ctx_vram_base);
	case TESSERA_CTX_VRAM_SIZE_LO:
		return lower_32_bits(s->ctx_vram_size);
	case TESSERA_CTX_VRAM_SIZE_HI:
		return upper_32_bits(s->ctx_vram_size);
	case TESSERA_CTX_GART_BASE:
		return s->ctx_gart_base;
	case TESSERA_CTX_GART_SIZE:
		return s->ctx_gart_size;
	case TESSERA_CTX_CTRL:
		return s->ctx_ctrl;
	case TESSERA_CTX_STATUS:
		st = phys_rd(vgpu, TESSERA_CTX_REG(pctx(vgpu),
						   TESSERA_CTX_STATUS));
		for (e = 0; e < vgpu->info->num_engines; e++) {
			v |= st & TESSERA_CTX_STATUS_PENDING(e);
			if (s->eng[e].state == TESSERA_VENG_STARTED)
				v |= TESSERA_CTX_STATUS_LOADED(e);
		}
		return v;
	default:
		return 0;
	}
}

static void set_lo(u64 *p, u32 v) { *p = (*p & ~0xffffffffULL) | v; }
static void set_hi(u64 *p, u32 v) { *p = (*p & 0xffffffffULL) | (u64)v << 32; }

static void c_wr(struct tessera_vgpu *vgpu, u32 idx, u32 off, u32 val)
{
	struct tessera_vgpu_state *s = &vgpu->s;

	switch (off) {
	case TESSERA_CTX_VRAM_BASE_LO:
		set_lo(&s->ctx_vram_base, val);
		break;
	case TESSERA_CTX_VRAM_BASE_HI:
		set_hi(&s->ctx_vram_base, val);
		break;
	case TESSERA_CTX_VRAM_SIZE_LO:
		set_lo(&s->ctx_vram_size, val);
		break;
	case TESSERA_CTX_VRAM_SIZE_HI:
		set_hi(&s->ctx_vram_size, val);
		break;
	case TESSERA_CTX_GART_BASE:
		s->ctx_gart_base = val;
		break;
	case TESSERA_CTX_GART_SIZE:
		s->ctx_gart_size = val;
		break;
	case TESSERA_CTX_CTRL:
		s->ctx_ctrl = val & TESSERA_CTX_CTRL_VALID;
		break;
	default:
		return;
	}
	tessera_vgpu_ctx_apply(vgpu);
}

static const struct vcsr ctx_regs[] = {
	{ TESSERA_CTX_VRAM_BASE_LO,	0,	c_rd, c_wr },
	{ TESSERA_CTX_VRAM_BASE_HI,	0,	c_rd, c_wr },
	{ TESSERA_CTX_VRAM_SIZE_LO,	0,	c_rd, c_wr },
	{ TESSERA_CTX_VRAM_SIZE_HI,	0,	c_rd, c_wr },
	{ TESSERA_CTX_GART_BASE,	0,	c_rd, c_wr },
	{ TESSERA_CTX_GART_SIZE,	0,	c_rd, c_wr },
	{ TESSERA_CTX_CTRL,		~TESSERA_CTX_CTRL_VALID, c_rd, c_wr },
	{ TESSERA_CTX_STATUS,		RO_ALL, c_rd, NULL },
};

/* Ring registers of context 0: context-relative, passed through. */
static u32 r_rd(struct tessera_vgpu *vgpu, u32 e, u32 off)
{
	switch (off) {
	case TESSERA_RING_FENCE_LO:
		return lower_32_bits(ring_fence(vgpu, e));
	case TESSERA_RING_FENCE_HI:
		return upper_32_bits(ring_fence(vgpu, e));
	default:
		return phys_rd(vgpu, TESSERA_CTX_RING_REG(pctx(vgpu), e, off));
	}
}

static void r_wr(struct tessera_vgpu *vgpu, u32 e, u32 off, u32 val)
{
	phys_wr(vgpu, TESSERA_CTX_RING_REG(pctx(vgpu), e, off), val);
	if (off == TESSERA_RING_TAIL &&
	    vgpu->s.eng[e].state == TESSERA_VENG_STARTED)
		tessera_sched_ring_ready(tessera_ctx_ring(vgpu->ctx, e));
}

static const struct vcsr ring_regs[] = {
	{ TESSERA_RING_BASE_LO,		0xfff,	r_rd, r_wr },
	{ TESSERA_RING_BASE_HI,		0,	r_rd, r_wr },
	{ TESSERA_RING_SIZE,		0,	r_rd, r_wr },
	{ TESSERA_RING_HEAD,		0,	r_rd, r_wr },
	{ TESSERA_RING_TAIL,		0,	r_rd, r_wr },
	{ TESSERA_RING_FENCE_LO,	RO_ALL, r_rd, NULL },
	{ TESSERA_RING_FENCE_HI,	RO_ALL, r_rd, NULL },
	{ TESSERA_RING_STATE,		RO_ALL, r_rd, NULL },
};

/* ------------------------------------------------------------ dispatch */

static const struct vcsr *lookup(const struct vcsr *t, size_t n, u32 off)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].off == off)
			return &t[i];
	return NULL;
}

/* Which table and instance an offset belongs to; NULL: nothing there. */
static const struct vcsr *find_reg(struct tessera_vgpu *vgpu, u32 off,
				   u32 *idx, u32 *roff)
{
	u32 ne = vgpu->info->num_engines;
	u32 ctx_end = TESSERA_CTX_REG(1, 0);
	u32 rel;

	*idx = 0;
	if (off < TESSERA_CSR_ENGINE_BASE) {
		*roff = off;
		return lookup(global_regs, ARRAY_SIZE(global_regs), off);
	}
	if (off < TESSERA_ENG_REG(ne, 0)) {
		rel = off - TESSERA_CSR_ENGINE_BASE;
		*idx = rel / TESSERA_CSR_ENGINE_STRIDE;
		*roff = rel % TESSERA_CSR_ENGINE_STRIDE;
		return lookup(engine_regs, ARRAY_SIZE(engine_regs), *roff);
	}
	if (off >= TESSERA_CSR_CTX_BASE && off < ctx_end) {
		rel = off - TESSERA_CSR_CTX_BASE;
		if (rel < TESSERA_CTX_RING_BASE) {
			*roff = rel;
			return lookup(ctx_regs, ARRAY_SIZE(ctx_regs), rel);
		}
		rel -= TESSERA_CTX_RING_BASE;
		*idx = rel / TESSERA_CTX_RING_STRIDE;
		if (*idx >= ne)
			return NULL;
		*roff = rel % TESSERA_CTX_RING_STRIDE;
		return lookup(ring_regs, ARRAY_SIZE(ring_regs), *roff);
	}
	/* Other contexts, other engines: host-only or absent. */
	return NULL;
}

/* MSI-X table of BAR0 (the VMM's, as under vfio-pci) and the PBA. */
#define MSIX_TABLE_END	(TESSERA_CSR_MSIX_TABLE + \
			 TESSERA_MSIX_VECTORS * PCI_MSIX_ENTRY_SIZE)
#define MSIX_PBA_END	(TESSERA_CSR_MSIX_PBA + 0x800)

/* PBA: read-only; bit v pending while vector v has no eventfd. */
static u32 pba_rd(struct tessera_vgpu *vgpu, u32 off)
{
	return off == TESSERA_CSR_MSIX_PBA ? vgpu->s.msix_pba : 0;
}

static u32 csr_rd32(struct tessera_vgpu *vgpu, u32 off)
{
	const struct vcsr *r;
	u32 idx, roff;

	if (off >= TESSERA_CSR_MSIX_PBA && off < MSIX_PBA_END)
		return pba_rd(vgpu, off);
	r = find_reg(vgpu, off, &idx, &roff);
	return r && r->rd ? r->rd(vgpu, idx, roff) : 0;
}

static void csr_wr32(struct tessera_vgpu *vgpu, u32 off, u32 val)
{
	const struct vcsr *r;
	u32 idx, roff;

	if (off >= TESSERA_CSR_MSIX_PBA && off < MSIX_PBA_END)
		return;
	r = find_reg(vgpu, off, &idx, &roff);
	if (!r || !r->wr || r->ro == RO_ALL)
		return;
	if (r->rd && r->ro)
		val = (r->rd(vgpu, idx, roff) & r->ro) | (val & ~r->ro);
	if (r->wr == g_wr && roff == TESSERA_REG_INT_ENABLE)
		val &= GENMASK(vgpu->info->num_engines - 1, 0) |
		       TESSERA_INT_DOORBELL;
	r->wr(vgpu, idx, roff, val);
}

/* One hardware access: aligned 4 or 8 bytes; anything else reads 0. */
static void csr_access(struct tessera_vgpu *vgpu, char *buf, u32 count,
		       u32 off, bool write)
{
	u32 gi;
	u64 v;

	tessera_vgpu_gart_settle(vgpu, off >= TESSERA_CSR_GART_BASE ?
				 (off - TESSERA_CSR_GART_BASE) / 8 : -1);
	if (!((count == 4 && !(off & 3)) || (count == 8 && !(off & 7)))) {
		/* Not an access the hardware takes: reads 0, writes ignored. */
		if (!write)
			memset(buf, 0, count);
		return;
	}

	if (off >= TESSERA_CSR_GART_BASE) {
		gi = (off - TESSERA_CSR_GART_BASE) / 8;
		if (gi >= vgpu->gart_entries) {
			if (!write)
				memset(buf, 0, count);
			return;
		}
		v = vgpu->gart[gi].gentry;
		if (!write) {
			if (count == 8)
				put_unaligned_le64(v, buf);
			else
				put_unaligned_le32(off & 4 ? upper_32_bits(v) :
						   lower_32_bits(v), buf);
			return;
		}
		if (count == 8)
			v = get_unaligned_le64(buf);
		else if (off & 4)
			set_hi(&v, get_unaligned_le32(buf));
		else
			set_lo(&v, get_unaligned_le32(buf));
		tessera_vgpu_gart_write(vgpu, gi, v, count == 4);
		return;
	}

	if (count == 8 && !write && off == TESSERA_REG_TIMESTAMP_LO) {
		v = tessera_hw_csr_read64(vgpu->tdev, TESSERA_REG_TIMESTAMP_LO);
		put_unaligned_le64(v, buf);
		return;
	}
	if (write) {
		csr_wr32(vgpu, off, get_unaligned_le32(buf));
		if (count == 8)
			csr_wr32(vgpu, off + 4, get_unaligned_le32(buf + 4));
	} else {
		put_unaligned_le32(csr_rd32(vgpu, off), buf);
		if (count == 8)
			put_unaligned_le32(csr_rd32(vgpu, off + 4), buf + 4);
	}
}

/**
 * tessera_vgpu_csr_rw() - access the virtual BAR0
 * @vgpu: vGPU (lock held)
 * @buf: kernel buffer
 * @count: bytes (the caller keeps the access inside BAR0)
 * @pos: offset in BAR0
 * @write: direction
 *
 * Split as vfio_pci_core_do_io_rw() splits an access to a physical BAR:
 * naturally aligned pieces of 8, 4, 2 or 1 bytes, each one hardware
 * access; the MSI-X table reads as all-ones bytes and drops writes.
 *
 * Return: @count, or -EINVAL when the access leaves BAR0.
 */
ssize_t tessera_vgpu_csr_rw(struct tessera_vgpu *vgpu, char *buf,
			    size_t count, loff_t pos, bool write)
{
	size_t done, fill, n;
	u32 off;

	if (pos < 0 || pos >= TESSERA_CSR_BAR_SIZE ||
	    count > TESSERA_CSR_BAR_SIZE - pos)
		return -EINVAL;
	vgpu->csr_traps++;
	for (done = 0; done < count; done += n) {
		off = pos + done;
		if (off < TESSERA_CSR_MSIX_TABLE)
			fill = min_t(size_t, count - done,
				     TESSERA_CSR_MSIX_TABLE - off);
		else if (off >= MSIX_TABLE_END)
			fill = count - done;
		else
			fill = 0;
		if (!fill) {
			n = min_t(size_t, count - done, MSIX_TABLE_END - off);
			if (!write)
				memset(buf + done, 0xff, n);
			continue;
		}
		if (fill >= 8 && !(off % 8))
			n = 8;
		else if (fill >= 4 && !(off % 4))
			n = 4;
		else if (fill >= 2 && !(off % 2))
			n = 2;
		else
			n = 1;
		csr_access(vgpu, buf + done, n, off, write);
	}
	return count;
}

/**
 * tessera_vgpu_ring_block() - take the vGPU's ring off an engine, or not
 * @vgpu: vGPU (lock held)
 * @e: engine
 * @block: true: stop scheduling it (and preempt it if loaded); false: let
 *         the scheduler run it whenever it has work
 */
void tessera_vgpu_ring_block(struct tessera_vgpu *vgpu, u32 e, bool block)
{
	struct tessera_ring *ring = tessera_ctx_ring(vgpu->ctx, e);
	u32 o;

	/* Stopped for migration: runs again when the device does. */
	if (!block && vgpu->frozen)
		return;
	if (!tessera_sched_ring_block(ring, block) || !block)
		return;
	/* The scheduler preempts a blocked ring that is loaded. */
	if (tessera_sched_ring_off(ring, HZ / 5))
		return;
	/* Did not stop in time: take the whole context off, engine reset
	 * if needed, then give back the other engines.
	 */
	tessera_sched_quiesce_ctx(vgpu->ctx);
	for (o = 0; o < vgpu->info->num_engines; o++)
		if (o != e && vgpu->s.eng[o].state == TESSERA_VENG_STARTED)
			tessera_vgpu_ring_block(vgpu, o, false);
}
