// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera GPU model: the device's pure logic. See tessera-core.h and
 * Documentation/hw/tessera-gpu.rst. No QEMU headers on purpose: this file
 * is also built into the host unit tests.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tessera-core.h"

#define PAGE		((uint32_t)TESSERA_PAGE_SIZE)
#define PAGE_MASK_LO	(PAGE - 1)

/* ------------------------------------------------------------- helpers */

static inline uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void st32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline int64_t min_i64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static inline uint64_t div_up(uint64_t v, uint64_t d)
{
	return v / d + (v % d != 0);
}

static inline uint64_t gart_load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void gart_store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

uint32_t tcore_fnv1a(uint32_t h, const void *buf, uint64_t len)
{
	const uint8_t *p = buf;
	uint64_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= TESSERA_FNV1A_PRIME;
	}
	return h;
}

bool tcore_ring_valid(const struct tcore_ring *r)
{
	return !(r->base & (TESSERA_PAGE_SIZE - 1)) && is_pow2(r->size) &&
	       r->size >= TESSERA_RING_MIN_SIZE &&
	       r->size <= TESSERA_RING_MAX_SIZE &&
	       !(r->head & 3) && r->head < r->size &&
	       !(r->tail & 3) && r->tail < r->size;
}

static bool vram_window_valid(uint64_t dev_vram, uint64_t base, uint64_t size)
{
	return !(base & (TESSERA_PAGE_SIZE - 1)) &&
	       !(size & (TESSERA_PAGE_SIZE - 1)) &&
	       base <= dev_vram && size <= dev_vram - base;
}

static bool gart_window_valid(uint32_t dev_gart, uint32_t base, uint32_t size)
{
	return (uint64_t)base + size <= dev_gart;
}

bool tcore_ctx_windows_valid(const struct tcore_dev *d,
			     const struct tcore_ctx *c)
{
	return vram_window_valid(d->vram_size, c->vram_base, c->vram_size) &&
	       gart_window_valid(d->gart_entries, c->gart_base, c->gart_size);
}

uint32_t tcore_engine_class(const struct tcore_dev *d, unsigned int e)
{
	return e < d->compute_engines ? TESSERA_ENG_CLASS_COMPUTE :
					TESSERA_ENG_CLASS_COPY;
}

/* ------------------------------------------------------- configuration */

const char *tcore_check_config(uint64_t vram_size, uint32_t contexts,
			       uint32_t gart_entries, uint32_t compute,
			       uint32_t copy)
{
	if (!is_pow2(vram_size) || vram_size < (64ULL << 20) ||
	    vram_size > (64ULL << 30))
		return "vram-size must be a power of two between 64 MiB and 64 GiB";
	if (contexts < 1 || contexts > TESSERA_MAX_CONTEXTS)
		return "contexts must be between 1 and 256";
	if (gart_entries < 1024 || gart_entries > TESSERA_MAX_GART_ENTRIES)
		return "gart-entries must be between 1024 and 262144";
	if (compute > TESSERA_MAX_ENGINES || copy > TESSERA_MAX_ENGINES ||
	    compute + copy < 1 || compute + copy > TESSERA_MAX_ENGINES)
		return "compute-engines + copy-engines must be between 1 and 8";
	return NULL;
}

uint64_t tcore_doorbell_bar_size(uint32_t contexts)
{
	uint64_t sz = TESSERA_DOORBELL_PAGE_SIZE;

	while (sz < (uint64_t)contexts * TESSERA_DOORBELL_PAGE_SIZE)
		sz <<= 1;
	return sz;
}

void tcore_init(struct tcore_dev *d, uint64_t vram_size, uint32_t contexts,
		uint32_t gart_entries, uint32_t compute, uint32_t copy,
		struct tcore_ctx *ctx_array, uint64_t *gart_array)
{
	memset(d, 0, sizeof(*d));
	d->vram_size = vram_size;
	d->contexts = contexts;
	d->gart_entries = gart_entries;
	d->compute_engines = compute;
	d->copy_engines = copy;
	d->engines = compute + copy;
	d->ctx = ctx_array;
	d->gart = gart_array;
	tcore_dev_reset(d);
}

void tcore_dev_reset(struct tcore_dev *d)
{
	uint32_t i;

	d->int_enable = 0;
	d->scratch = 0;
	d->ts_hi_latch = 0;
	memset(d->db_pending, 0, sizeof(d->db_pending));
	memset(d->db_seen, 0, sizeof(d->db_seen));
	d->fire_vectors = 0;
	memset(d->eng, 0, sizeof(d->eng));
	memset(d->ctx, 0, sizeof(*d->ctx) * d->contexts);
	for (i = 0; i < d->gart_entries; i++)
		gart_store(&d->gart[i], 0);
}

/* --------------------------------------------------------- interrupts */

static void irq_sync(struct tcore_dev *d)
{
	uint32_t e, n, cur;

	for (e = 0; e < d->engines; e++) {
		struct tcore_engine *eng = &d->eng[e];

		cur = (d->int_enable & TESSERA_INT_ENGINE(e)) ?
		      eng->int_status & eng->int_mask : 0;
		if (cur & ~eng->irq_seen)
			d->fire_vectors |= 1u << TESSERA_MSIX_VECTOR_ENGINE(e);
		eng->irq_seen = cur;
	}
	for (n = 0; n < TESSERA_DB_PENDING_REGS; n++) {
		cur = (d->int_enable & TESSERA_INT_DOORBELL) ? d->db_pending[n] : 0;
		if (cur & ~d->db_seen[n])
			d->fire_vectors |= 1u << TESSERA_MSIX_VECTOR_GLOBAL;
		d->db_seen[n] = cur;
	}
}

uint32_t tcore_int_status(const struct tcore_dev *d)
{
	uint32_t v = 0, e, n;

	for (e = 0; e < d->engines; e++)
		if (d->eng[e].int_status & d->eng[e].int_mask)
			v |= TESSERA_INT_ENGINE(e);
	for (n = 0; n < TESSERA_DB_PENDING_REGS; n++)
		if (d->db_pending[n])
			v |= TESSERA_INT_DOORBELL;
	return v;
}

bool tcore_intx_level(const struct tcore_dev *d)
{
	return (tcore_int_status(d) & d->int_enable) != 0;
}

uint32_t tcore_take_vectors(struct tcore_dev *d)
{
	uint32_t v = d->fire_vectors;

	d->fire_vectors = 0;
	return v;
}

static void eng_raise(struct tcore_dev *d, unsigned int e, uint32_t bits)
{
	d->eng[e].int_status |= bits;
	irq_sync(d);
}

/* ------------------------------------------------------ engine control */

static bool eng_loaded(const struct tcore_engine *eng)
{
	return eng->state == TESSERA_ENG_STATE_RUNNING ||
	       eng->state == TESSERA_ENG_STATE_WAITING;
}

/* Is ring (c, e) loaded on engine e? */
static bool ring_loaded(const struct tcore_dev *d, uint32_t c, unsigned int e)
{
	return e < d->engines && eng_loaded(&d->eng[e]) && d->eng[e].ctx == c;
}

static void eng_fault(struct tcore_dev *d, unsigned int e, uint32_t code,
		      uint32_t ctx, uint64_t addr, bool discard_progress)
{
	struct tcore_engine *eng = &d->eng[e];

	if (discard_progress && ctx < d->contexts)
		memset(&d->ctx[ctx].ring[e].prog, 0,
		       sizeof(d->ctx[ctx].ring[e].prog));
	eng->state = TESSERA_ENG_STATE_FAULTED;
	eng->preempt_pending = 0;
	eng->fault_code = code;
	eng->fault_ctx = ctx;
	eng->fault_addr = addr;
	eng_raise(d, e, TESSERA_ENG_INT_FAULT);
}

/*
 * The engine runs from @now. Its pacing clock restarts at @now less the
 * device time the emulation still owed the context when it was last
 * preempted (@lag, see tcore_engine_prepare()): that work is caught up
 * instead of lost to host scheduling latency.
 */
static void eng_run(struct tcore_engine *eng, int64_t now, int64_t lag)
{
	eng->state = TESSERA_ENG_STATE_RUNNING;
	if (eng->clock < now - lag)
		eng->clock = now - lag;
}

static uint32_t eng_start(struct tcore_dev *d, unsigned int e, int64_t now)
{
	struct tcore_engine *eng = &d->eng[e];
	uint32_t c = eng->ctx;
	struct tcore_ring *r;

	if (eng->state != TESSERA_ENG_STATE_STOPPED &&
	    eng->state != TESSERA_ENG_STATE_FAULTED)
		return 0;
	eng->preempt_pending = 0;
	if (c >= d->contexts || !(d->ctx[c].ctrl & TESSERA_CTX_CTRL_VALID) ||
	    !tcore_ctx_windows_valid(d, &d->ctx[c])) {
		eng_fault(d, e, TESSERA_FAULT_BAD_CONTEXT, c, 0, false);
		return 0;
	}
	r = &d->ctx[c].ring[e];
	if (!tcore_ring_valid(r)) {
		eng_fault(d, e, TESSERA_FAULT_BAD_RING, c, r->base, false);
		return 0;
	}
	eng_run(eng, now, r->lag);
	r->lag = 0;
	return 1u << e;
}

/*
 * A preemption completes (at a preemption point, or at once from WAITING):
 * a running context keeps the device time the emulation still owed it as
 * its pacing debt. With ENG_NEXT_CTX valid the engine then loads that
 * context as START would (no stop, no software round trip), else it
 * stops. Either way ENG_INT_PREEMPTED. Returns the engines to wake.
 */
static uint32_t eng_preempted(struct tcore_dev *d, unsigned int e,
			      int64_t now)
{
	struct tcore_engine *eng = &d->eng[e];
	uint32_t next = eng->next_ctx;

	if (eng->state == TESSERA_ENG_STATE_RUNNING &&
	    eng->ctx < d->contexts && now > eng->clock)
		d->ctx[eng->ctx].ring[e].lag = min_i64(now - eng->clock,
						       TCORE_LAG_MAX_NS);
	eng->preempt_pending = 0;
	eng->state = TESSERA_ENG_STATE_STOPPED;
	eng_raise(d, e, TESSERA_ENG_INT_PREEMPTED);
	if (!(next & TESSERA_ENG_NEXT_VALID))
		return 0;
	eng->next_ctx = 0;
	eng->switch_busy_ns = eng->busy_ns;
	eng->ctx = next & TESSERA_ENG_NEXT_CTX_MASK;
	return eng_start(d, e, now);
}

void tcore_engine_reset(struct tcore_dev *d, unsigned int e)
{
	struct tcore_engine *eng;

	if (e >= d->engines)
		return;
	eng = &d->eng[e];
	if (eng->state != TESSERA_ENG_STATE_STOPPED && eng->ctx < d->contexts) {
		memset(&d->ctx[eng->ctx].ring[e].prog, 0,
		       sizeof(d->ctx[eng->ctx].ring[e].prog));
		d->ctx[eng->ctx].ring[e].lag = 0;
	}
	eng->state = TESSERA_ENG_STATE_STOPPED;
	eng->preempt_pending = 0;
	eng->next_ctx = 0;
	eng->fault_code = 0;
	eng->fault_ctx = 0;
	eng->fault_addr = 0;
	eng->int_status = 0;
	irq_sync(d);
}

/*
 * RING_TAIL := val (CSR or doorbell). Returns engines to wake; *loaded says
 * whether the ring is loaded on its engine.
 */
static uint32_t ring_set_tail(struct tcore_dev *d, uint32_t c, unsigned int e,
			      uint32_t val, int64_t now, bool *loaded)
{
	struct tcore_ring *r = &d->ctx[c].ring[e];
	struct tcore_engine *eng = &d->eng[e];

	r->tail = val;
	*loaded = ring_loaded(d, c, e);
	if (!*loaded)
		return 0;
	if (eng->state == TESSERA_ENG_STATE_WAITING) {
		if (r->tail == r->head && tcore_ring_valid(r) && !r->prog.flags)
			return 0;
		eng_run(eng, now, 0);
	}
	return 1u << e;
}

/* ---------------------------------------------------------- registers */

static bool csr_is_pair_lo(const struct tcore_dev *d, uint32_t off)
{
	uint32_t r;

	(void)d;
	if (off & 7)
		return false;
	if (off < TESSERA_CSR_ENGINE_BASE)
		return off == TESSERA_REG_VRAM_SIZE_LO ||
		       off == TESSERA_REG_TIMESTAMP_LO;
	if (off < TESSERA_CSR_ENGINE_BASE +
		  TESSERA_MAX_ENGINES * TESSERA_CSR_ENGINE_STRIDE) {
		r = (off - TESSERA_CSR_ENGINE_BASE) % TESSERA_CSR_ENGINE_STRIDE;
		return r == TESSERA_ENG_FAULT_ADDR_LO ||
		       r == TESSERA_ENG_FENCE_LO ||
		       r == TESSERA_ENG_BUSY_NS_LO ||
		       r == TESSERA_ENG_RING_BASE_LO ||
		       r == TESSERA_ENG_SWITCH_BUSY_NS_LO;
	}
	if (off >= TESSERA_CSR_CTX_BASE &&
	    off < TESSERA_CSR_CTX_BASE +
		  TESSERA_MAX_CONTEXTS * TESSERA_CSR_CTX_STRIDE) {
		r = (off - TESSERA_CSR_CTX_BASE) % TESSERA_CSR_CTX_STRIDE;
		if (r == TESSERA_CTX_VRAM_BASE_LO || r == TESSERA_CTX_VRAM_SIZE_LO)
			return true;
		if (r >= TESSERA_CTX_RING_BASE &&
		    r < TESSERA_CTX_RING_BASE +
			TESSERA_MAX_ENGINES * TESSERA_CTX_RING_STRIDE) {
			r = (r - TESSERA_CTX_RING_BASE) % TESSERA_CTX_RING_STRIDE;
			/* RING_FENCE_LO (0x14) is never 8-byte aligned */
			return r == TESSERA_RING_BASE_LO;
		}
		return false;
	}
	if (off >= TESSERA_CSR_GART_BASE && off < TESSERA_CSR_BAR_SIZE)
		return true;
	return false;
}

static uint32_t lo32(uint64_t v)
{
	return (uint32_t)v;
}

static uint32_t hi32(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

static uint64_t set_lo(uint64_t v, uint32_t lo)
{
	return (v & 0xffffffff00000000ULL) | lo;
}

static uint64_t set_hi(uint64_t v, uint32_t hi)
{
	return (v & 0xffffffffULL) | (uint64_t)hi << 32;
}

static uint32_t global_read(struct tcore_dev *d, uint32_t r, int64_t now)
{
	uint64_t ts = now > 0 ? (uint64_t)now : 0;

	switch (r) {
	case TESSERA_REG_ID:
		return TESSERA_ID_MAGIC;
	case TESSERA_REG_VERSION:
		return TESSERA_VERSION_1_0;
	case TESSERA_REG_CAPS:
		return TESSERA_CAPS_DOORBELLS | TESSERA_CAPS_PREEMPT |
		       TESSERA_CAPS_GART_RO;
	case TESSERA_REG_ENGINES:
		return d->engines | d->compute_engines << 8 |
		       d->copy_engines << 16;
	case TESSERA_REG_CONTEXTS:
		return d->contexts;
	case TESSERA_REG_GART_ENTRIES:
		return d->gart_entries;
	case TESSERA_REG_VRAM_SIZE_LO:
		return lo32(d->vram_size);
	case TESSERA_REG_VRAM_SIZE_HI:
		return hi32(d->vram_size);
	case TESSERA_REG_TIMESTAMP_LO:
		d->ts_hi_latch = hi32(ts);
		return lo32(ts);
	case TESSERA_REG_TIMESTAMP_HI:
		return d->ts_hi_latch;
	case TESSERA_REG_INT_STATUS:
		return tcore_int_status(d);
	case TESSERA_REG_INT_ENABLE:
		return d->int_enable;
	case TESSERA_REG_STATUS:
		return TESSERA_STATUS_READY;
	case TESSERA_REG_SCRATCH:
		return d->scratch;
	}
	if (r >= TESSERA_REG_DB_PENDING(0) &&
	    r < TESSERA_REG_DB_PENDING(TESSERA_DB_PENDING_REGS))
		return d->db_pending[(r - TESSERA_REG_DB_PENDING(0)) / 4];
	return 0;
}

static uint32_t int_enable_mask(const struct tcore_dev *d)
{
	return ((1u << d->engines) - 1) | TESSERA_INT_DOORBELL;
}

static void global_write(struct tcore_dev *d, uint32_t r, uint32_t v)
{
	uint32_t n;

	switch (r) {
	case TESSERA_REG_INT_ENABLE:
		d->int_enable = v & int_enable_mask(d);
		irq_sync(d);
		return;
	case TESSERA_REG_RESET:
		if (v == TESSERA_RESET_MAGIC)
			tcore_dev_reset(d);
		return;
	case TESSERA_REG_SCRATCH:
		d->scratch = v;
		return;
	}
	if (r >= TESSERA_REG_DB_PENDING(0) &&
	    r < TESSERA_REG_DB_PENDING(TESSERA_DB_PENDING_REGS)) {
		n = (r - TESSERA_REG_DB_PENDING(0)) / 4;
		d->db_pending[n] &= ~v;
		irq_sync(d);
	}
}

static uint32_t engine_read(struct tcore_dev *d, unsigned int e, uint32_t r)
{
	struct tcore_engine *eng = &d->eng[e];
	struct tcore_ring *ring = NULL;

	if (eng->ctx < d->contexts)
		ring = &d->ctx[eng->ctx].ring[e];
	switch (r) {
	case TESSERA_ENG_CAPS:
		return tcore_engine_class(d, e);
	case TESSERA_ENG_CTX:
		return eng->ctx;
	case TESSERA_ENG_STATUS:
		return eng->state | (eng->preempt_pending ?
				     TESSERA_ENG_STATUS_PREEMPT_PENDING : 0);
	case TESSERA_ENG_FAULT_CODE:
		return eng->fault_code;
	case TESSERA_ENG_FAULT_CTX:
		return eng->fault_ctx;
	case TESSERA_ENG_FAULT_ADDR_LO:
		return lo32(eng->fault_addr);
	case TESSERA_ENG_FAULT_ADDR_HI:
		return hi32(eng->fault_addr);
	case TESSERA_ENG_FENCE_LO:
		return lo32(eng->fence);
	case TESSERA_ENG_FENCE_HI:
		return hi32(eng->fence);
	case TESSERA_ENG_FENCE_CTX:
		return eng->fence_ctx;
	case TESSERA_ENG_INT_STATUS:
		return eng->int_status;
	case TESSERA_ENG_INT_MASK:
		return eng->int_mask;
	case TESSERA_ENG_BUSY_NS_LO:
		return lo32(eng->busy_ns);
	case TESSERA_ENG_BUSY_NS_HI:
		return hi32(eng->busy_ns);
	case TESSERA_ENG_RING_BASE_LO:
		return ring ? lo32(ring->base) : 0;
	case TESSERA_ENG_RING_BASE_HI:
		return ring ? hi32(ring->base) : 0;
	case TESSERA_ENG_RING_SIZE:
		return ring ? ring->size : 0;
	case TESSERA_ENG_RING_HEAD:
		return ring ? ring->head : 0;
	case TESSERA_ENG_RING_TAIL:
		return ring ? ring->tail : 0;
	case TESSERA_ENG_NEXT_CTX:
		return eng->next_ctx;
	case TESSERA_ENG_SWITCH_BUSY_NS_LO:
		return lo32(eng->switch_busy_ns);
	case TESSERA_ENG_SWITCH_BUSY_NS_HI:
		return hi32(eng->switch_busy_ns);
	}
	return 0;
}

static uint32_t engine_write(struct tcore_dev *d, unsigned int e, uint32_t r,
			     uint32_t v, int64_t now)
{
	struct tcore_engine *eng = &d->eng[e];

	switch (r) {
	case TESSERA_ENG_CTX:
		if (eng->state == TESSERA_ENG_STATE_STOPPED ||
		    eng->state == TESSERA_ENG_STATE_FAULTED)
			eng->ctx = v;
		return 0;
	case TESSERA_ENG_CTRL:
		switch (v) {
		case TESSERA_ENG_CTRL_START:
			return eng_start(d, e, now);
		case TESSERA_ENG_CTRL_PREEMPT:
			if (eng->state == TESSERA_ENG_STATE_RUNNING) {
				eng->preempt_pending = 1;
				return 1u << e;
			}
			if (eng->state == TESSERA_ENG_STATE_WAITING)
				return eng_preempted(d, e, now);
			return 0;
		case TESSERA_ENG_CTRL_RESET:
			/* the caller has parked the engine's worker */
			tcore_engine_reset(d, e);
			return 1u << e;
		}
		return 0;
	case TESSERA_ENG_INT_STATUS:
		eng->int_status &= ~v;
		irq_sync(d);
		return 0;
	case TESSERA_ENG_INT_MASK:
		eng->int_mask = v & TESSERA_ENG_INT_ALL;
		irq_sync(d);
		return 0;
	case TESSERA_ENG_NEXT_CTX:
		eng->next_ctx = v & (TESSERA_ENG_NEXT_VALID |
				     TESSERA_ENG_NEXT_CTX_MASK);
		return 0;
	}
	return 0;
}

static uint32_t ctx_status(const struct tcore_dev *d, uint32_t c)
{
	uint32_t v = 0, e;

	for (e = 0; e < d->engines; e++) {
		const struct tcore_ring *r = &d->ctx[c].ring[e];

		if (r->head != r->tail || r->prog.flags)
			v |= TESSERA_CTX_STATUS_PENDING(e);
		if (ring_loaded(d, c, e))
			v |= TESSERA_CTX_STATUS_LOADED(e);
	}
	return v;
}

static uint32_t ctx_read(struct tcore_dev *d, uint32_t c, uint32_t r)
{
	struct tcore_ctx *cx = &d->ctx[c];
	struct tcore_ring *ring;
	uint32_t e;

	switch (r) {
	case TESSERA_CTX_VRAM_BASE_LO:
		return lo32(cx->vram_base);
	case TESSERA_CTX_VRAM_BASE_HI:
		return hi32(cx->vram_base);
	case TESSERA_CTX_VRAM_SIZE_LO:
		return lo32(cx->vram_size);
	case TESSERA_CTX_VRAM_SIZE_HI:
		return hi32(cx->vram_size);
	case TESSERA_CTX_GART_BASE:
		return cx->gart_base;
	case TESSERA_CTX_GART_SIZE:
		return cx->gart_size;
	case TESSERA_CTX_CTRL:
		return cx->ctrl;
	case TESSERA_CTX_STATUS:
		return ctx_status(d, c);
	}
	if (r < TESSERA_CTX_RING_BASE)
		return 0;
	e = (r - TESSERA_CTX_RING_BASE) / TESSERA_CTX_RING_STRIDE;
	if (e >= d->engines)
		return 0;
	ring = &cx->ring[e];
	switch ((r - TESSERA_CTX_RING_BASE) % TESSERA_CTX_RING_STRIDE) {
	case TESSERA_RING_BASE_LO:
		return lo32(ring->base);
	case TESSERA_RING_BASE_HI:
		return hi32(ring->base);
	case TESSERA_RING_SIZE:
		return ring->size;
	case TESSERA_RING_HEAD:
		return ring->head;
	case TESSERA_RING_TAIL:
		return ring->tail;
	case TESSERA_RING_FENCE_LO:
		return lo32(ring->fence);
	case TESSERA_RING_FENCE_HI:
		return hi32(ring->fence);
	case TESSERA_RING_STATE:
		return ring->prog.flags &
		       (TESSERA_RING_STATE_MIDCMD | TESSERA_RING_STATE_IN_BATCH);
	}
	return 0;
}

static uint32_t ctx_write(struct tcore_dev *d, uint32_t c, uint32_t r,
			  uint32_t v, int64_t now)
{
	struct tcore_ctx *cx = &d->ctx[c];
	struct tcore_ring *ring;
	uint32_t e;
	bool loaded;

	switch (r) {
	case TESSERA_CTX_VRAM_BASE_LO:
		cx->vram_base = set_lo(cx->vram_base, v);
		return 0;
	case TESSERA_CTX_VRAM_BASE_HI:
		cx->vram_base = set_hi(cx->vram_base, v);
		return 0;
	case TESSERA_CTX_VRAM_SIZE_LO:
		cx->vram_size = set_lo(cx->vram_size, v);
		return 0;
	case TESSERA_CTX_VRAM_SIZE_HI:
		cx->vram_size = set_hi(cx->vram_size, v);
		return 0;
	case TESSERA_CTX_GART_BASE:
		cx->gart_base = v;
		return 0;
	case TESSERA_CTX_GART_SIZE:
		cx->gart_size = v;
		return 0;
	case TESSERA_CTX_CTRL:
		cx->ctrl = v & TESSERA_CTX_CTRL_VALID;
		return 0;
	}
	if (r < TESSERA_CTX_RING_BASE)
		return 0;
	e = (r - TESSERA_CTX_RING_BASE) / TESSERA_CTX_RING_STRIDE;
	if (e >= d->engines)
		return 0;
	ring = &cx->ring[e];
	switch ((r - TESSERA_CTX_RING_BASE) % TESSERA_CTX_RING_STRIDE) {
	case TESSERA_RING_BASE_LO:
		ring->base = set_lo(ring->base, v);
		return 0;
	case TESSERA_RING_BASE_HI:
		ring->base = set_hi(ring->base, v);
		return 0;
	case TESSERA_RING_SIZE:
		ring->size = v;
		return 0;
	case TESSERA_RING_HEAD:
		if (ring_loaded(d, c, e))
			return 0;
		ring->head = v;
		memset(&ring->prog, 0, sizeof(ring->prog));
		return 0;
	case TESSERA_RING_TAIL:
		return ring_set_tail(d, c, e, v, now, &loaded);
	}
	return 0;
}

static uint32_t csr_read32(struct tcore_dev *d, uint32_t off, int64_t now)
{
	uint32_t e, c, i;

	if (off < TESSERA_CSR_ENGINE_BASE)
		return global_read(d, off, now);
	if (off < TESSERA_CSR_ENGINE_BASE +
		  TESSERA_MAX_ENGINES * TESSERA_CSR_ENGINE_STRIDE) {
		e = (off - TESSERA_CSR_ENGINE_BASE) / TESSERA_CSR_ENGINE_STRIDE;
		if (e >= d->engines)
			return 0;
		return engine_read(d, e,
			(off - TESSERA_CSR_ENGINE_BASE) % TESSERA_CSR_ENGINE_STRIDE);
	}
	if (off >= TESSERA_CSR_CTX_BASE &&
	    off < TESSERA_CSR_CTX_BASE +
		  TESSERA_MAX_CONTEXTS * TESSERA_CSR_CTX_STRIDE) {
		c = (off - TESSERA_CSR_CTX_BASE) / TESSERA_CSR_CTX_STRIDE;
		if (c >= d->contexts)
			return 0;
		return ctx_read(d, c,
			(off - TESSERA_CSR_CTX_BASE) % TESSERA_CSR_CTX_STRIDE);
	}
	if (off >= TESSERA_CSR_GART_BASE && off < TESSERA_CSR_BAR_SIZE) {
		i = (off - TESSERA_CSR_GART_BASE) / 8;
		if (i >= d->gart_entries)
			return 0;
		return (off & 4) ? hi32(gart_load(&d->gart[i])) :
				   lo32(gart_load(&d->gart[i]));
	}
	return 0;
}

#define GART_STORE_MASK	(TESSERA_GART_ADDR_MASK | TESSERA_GART_VALID | \
			 TESSERA_GART_WRITABLE)

static uint32_t csr_write32(struct tcore_dev *d, uint32_t off, uint32_t v,
			    int64_t now)
{
	uint32_t e, c, i;
	uint64_t ent;

	if (off < TESSERA_CSR_ENGINE_BASE) {
		global_write(d, off, v);
		return 0;
	}
	if (off < TESSERA_CSR_ENGINE_BASE +
		  TESSERA_MAX_ENGINES * TESSERA_CSR_ENGINE_STRIDE) {
		e = (off - TESSERA_CSR_ENGINE_BASE) / TESSERA_CSR_ENGINE_STRIDE;
		if (e >= d->engines)
			return 0;
		return engine_write(d, e,
			(off - TESSERA_CSR_ENGINE_BASE) % TESSERA_CSR_ENGINE_STRIDE,
			v, now);
	}
	if (off >= TESSERA_CSR_CTX_BASE &&
	    off < TESSERA_CSR_CTX_BASE +
		  TESSERA_MAX_CONTEXTS * TESSERA_CSR_CTX_STRIDE) {
		c = (off - TESSERA_CSR_CTX_BASE) / TESSERA_CSR_CTX_STRIDE;
		if (c >= d->contexts)
			return 0;
		return ctx_write(d, c,
			(off - TESSERA_CSR_CTX_BASE) % TESSERA_CSR_CTX_STRIDE,
			v, now);
	}
	if (off >= TESSERA_CSR_GART_BASE && off < TESSERA_CSR_BAR_SIZE) {
		i = (off - TESSERA_CSR_GART_BASE) / 8;
		if (i >= d->gart_entries)
			return 0;
		ent = gart_load(&d->gart[i]);
		ent = (off & 4) ? set_hi(ent, v) : set_lo(ent, v);
		gart_store(&d->gart[i], ent & GART_STORE_MASK);
	}
	return 0;
}

enum tcore_wr_kind tcore_csr_classify_write(const struct tcore_dev *d,
					    uint64_t off, uint64_t val,
					    unsigned int size,
					    unsigned int *engine)
{
	uint32_t e;

	if (size != 4 || (off & 3))
		return TCORE_WR_NORMAL;
	if (off == TESSERA_REG_RESET && val == TESSERA_RESET_MAGIC)
		return TCORE_WR_DEV_RESET;
	if (off >= TESSERA_CSR_ENGINE_BASE &&
	    off < TESSERA_CSR_ENGINE_BASE +
		  TESSERA_MAX_ENGINES * TESSERA_CSR_ENGINE_STRIDE &&
	    (off - TESSERA_CSR_ENGINE_BASE) % TESSERA_CSR_ENGINE_STRIDE ==
		  TESSERA_ENG_CTRL &&
	    val == TESSERA_ENG_CTRL_RESET) {
		e = (off - TESSERA_CSR_ENGINE_BASE) / TESSERA_CSR_ENGINE_STRIDE;
		if (e < d->engines) {
			*engine = e;
			return TCORE_WR_ENG_RESET;
		}
	}
	return TCORE_WR_NORMAL;
}

uint64_t tcore_csr_read(struct tcore_dev *d, uint64_t off, unsigned int size,
			int64_t now)
{
	uint64_t ts;

	if (off >= TESSERA_CSR_BAR_SIZE)
		return 0;
	if (size == 4 && !(off & 3))
		return csr_read32(d, off, now);
	if (size == 8 && csr_is_pair_lo(d, off)) {
		if (off == TESSERA_REG_TIMESTAMP_LO) {
			ts = now > 0 ? (uint64_t)now : 0;
			d->ts_hi_latch = hi32(ts);
			return ts;
		}
		return csr_read32(d, off, now) |
		       (uint64_t)csr_read32(d, off + 4, now) << 32;
	}
	return 0;
}

uint32_t tcore_csr_write(struct tcore_dev *d, uint64_t off, uint64_t val,
			 unsigned int size, int64_t now)
{
	uint32_t i;

	if (off >= TESSERA_CSR_BAR_SIZE)
		return 0;
	if (size == 4 && !(off & 3))
		return csr_write32(d, off, val, now);
	if (size == 8 && csr_is_pair_lo(d, off)) {
		if (off >= TESSERA_CSR_GART_BASE) {
			/* one atomic update of the entry */
			i = (off - TESSERA_CSR_GART_BASE) / 8;
			if (i < d->gart_entries)
				gart_store(&d->gart[i], val & GART_STORE_MASK);
			return 0;
		}
		/*
		 * writable pairs (context windows, ring base) have no side
		 * effects: two 32-bit writes under the same lock are atomic
		 */
		return csr_write32(d, off, lo32(val), now) |
		       csr_write32(d, off + 4, hi32(val), now);
	}
	return 0;
}

uint64_t tcore_db_read(struct tcore_dev *d, uint64_t off, unsigned int size)
{
	uint64_t c = off / TESSERA_DOORBELL_PAGE_SIZE;
	uint32_t o = off % TESSERA_DOORBELL_PAGE_SIZE;

	if (size != 4 || (o & 7) || c >= d->contexts ||
	    o / 8 >= d->engines)
		return 0;
	return d->ctx[c].ring[o / 8].tail;
}

uint32_t tcore_db_write(struct tcore_dev *d, uint64_t off, uint64_t val,
			unsigned int size, int64_t now)
{
	uint64_t c = off / TESSERA_DOORBELL_PAGE_SIZE;
	uint32_t o = off % TESSERA_DOORBELL_PAGE_SIZE;
	uint32_t wake;
	bool loaded;

	if (size != 4 || (o & 7) || c >= d->contexts ||
	    o / 8 >= d->engines)
		return 0;
	wake = ring_set_tail(d, c, o / 8, val, now, &loaded);
	if (!loaded) {
		d->db_pending[c / 32] |= 1u << (c % 32);
		irq_sync(d);
	}
	return wake;
}

/* ---------------------------------------------------- memory accesses */

struct xctx {
	struct tcore_exec *x;
	const struct tcore_mem_ops *ops;
	void *opaque;
};

static enum tcore_step_rc fault(struct tcore_exec *x, uint32_t code,
				uint64_t addr)
{
	x->fault_code = code;
	x->fault_addr = addr;
	return TCORE_STEP_FAULT;
}

/* Is [va, va + n) (n >= 1) inside one window of the context? */
static uint32_t check_range(const struct tcore_exec *x, uint64_t va,
			    uint64_t n)
{
	uint64_t off;

	if (va < TESSERA_VA_GART) {
		if (!vram_window_valid(x->dev_vram_size, x->vram_base,
				       x->vram_size))
			return TESSERA_FAULT_BAD_CONTEXT;
		if (n > x->vram_size || va > x->vram_size - n)
			return TESSERA_FAULT_VRAM_RANGE;
		return 0;
	}
	if (!gart_window_valid(x->dev_gart_entries, x->gart_base,
			       x->gart_size))
		return TESSERA_FAULT_BAD_CONTEXT;
	off = va - TESSERA_VA_GART;
	if (n - 1 > UINT64_MAX - off)
		return TESSERA_FAULT_GART_RANGE;
	if ((off + n - 1) >> TESSERA_PAGE_SHIFT >= x->gart_size)
		return TESSERA_FAULT_GART_RANGE;
	return 0;
}

/* Check a whole operand (n may be 0: nothing to check). */
static enum tcore_step_rc check_operand(struct tcore_exec *x, uint64_t va,
					uint64_t n)
{
	uint32_t f;

	if (!n)
		return TCORE_STEP_OK;
	f = check_range(x, va, n);
	return f ? fault(x, f, va) : TCORE_STEP_OK;
}

/*
 * Read or write [va, va + n) of the context's address space, n <= 2 pages.
 * Checks the window first, then each GART page before touching it.
 */
static enum tcore_step_rc mem_rw(struct xctx *xc, uint64_t va, void *buf,
				 uint32_t n, bool write)
{
	struct tcore_exec *x = xc->x;
	const struct tcore_mem_ops *ops = xc->ops;
	uint8_t *p = buf;
	uint32_t f, piece, in_page;
	uint64_t ent, bus, page;
	int rc;

	if (!n)
		return TCORE_STEP_OK;
	f = check_range(x, va, n);
	if (f)
		return fault(x, f, va);
	while (n) {
		in_page = va & PAGE_MASK_LO;
		piece = (uint32_t)min_u64(n, PAGE - in_page);
		if (va < TESSERA_VA_GART) {
			uint64_t off = x->vram_base + va;

			if (off > x->dev_vram_size ||
			    piece > x->dev_vram_size - off)
				return fault(x, TESSERA_FAULT_VRAM_RANGE, va);
			rc = write ? ops->write_vram(xc->opaque, off, p, piece) :
				     ops->read_vram(xc->opaque, off, p, piece);
		} else {
			page = (va - TESSERA_VA_GART) >> TESSERA_PAGE_SHIFT;
			if (ops->read_gart_entry(xc->opaque,
						 (uint32_t)(x->gart_base + page),
						 &ent))
				return fault(x, TESSERA_FAULT_DMA_ERROR, va);
			if (!(ent & TESSERA_GART_VALID))
				return fault(x, TESSERA_FAULT_GART_INVALID, va);
			if (write && !(ent & TESSERA_GART_WRITABLE))
				return fault(x, TESSERA_FAULT_GART_READONLY, va);
			bus = (ent & TESSERA_GART_ADDR_MASK) + in_page;
			rc = write ? ops->dma_write(xc->opaque, bus, p, piece) :
				     ops->dma_read(xc->opaque, bus, p, piece);
		}
		if (rc)
			return fault(x, TESSERA_FAULT_DMA_ERROR, va);
		va += piece;
		p += piece;
		n -= piece;
	}
	return TCORE_STEP_OK;
}

/* ----------------------------------------------------------- commands */

struct cmd {
	uint32_t dw[TCORE_CMD_MAX_DWORDS];
	uint32_t len;		/* dwords */
	uint64_t va;		/* the command's GPU VA */
	bool in_batch;
	bool first;		/* first step of this command */
};

static uint64_t dw64(const struct cmd *c, unsigned int i)
{
	return (uint64_t)c->dw[i] | (uint64_t)c->dw[i + 1] << 32;
}

static void complete(struct tcore_exec *x, const struct cmd *c)
{
	if (c->in_batch)
		x->prog.batch_pos += (uint64_t)c->len * 4;
	else
		x->ring_head = (x->ring_head + c->len * 4) & (x->ring_size - 1);
	x->prog.flags &= ~TCORE_PROG_MIDCMD;
	x->prog.done = 0;
	x->prog.hash = 0;
	memset(x->prog.cmd, 0, sizeof(x->prog.cmd));
	x->events |= TCORE_EV_CMD_DONE;
}

static void leave_batch(struct tcore_exec *x)
{
	x->prog.flags &= ~(TCORE_PROG_IN_BATCH | TCORE_PROG_MIDCMD);
	x->prog.batch_pos = 0;
	x->prog.batch_end = 0;
	x->ring_head = (x->ring_head + TESSERA_BATCH_CALL_LEN * 4) &
		       (x->ring_size - 1);
	x->events |= TCORE_EV_CMD_DONE;
}

static void save_midcmd(struct tcore_exec *x, const struct cmd *c)
{
	x->prog.flags |= TCORE_PROG_MIDCMD;
	memcpy(x->prog.cmd, c->dw, sizeof(x->prog.cmd));
}

/*
 * Charge the chunk [done, done + n) of a command whose cost is
 * ISSUE + ceil(size / per_ns). The chunks add up to the command's cost.
 */
static void charge(struct tcore_exec *x, const struct cmd *c, uint64_t done,
		   uint64_t n, uint64_t per_ns)
{
	if (c->first)
		x->cost_ns += TESSERA_COST_ISSUE_NS;
	x->cost_ns += div_up(done + n, per_ns) - div_up(done, per_ns);
}

/*
 * The end of every step of a chunked command: charge the chunk
 * [done, done + n) of a command of @total units (bytes, elements, ns),
 * then either complete the command or keep it in RING_STATE for the next
 * step (a preemption point lies between the two).
 */
static enum tcore_step_rc advance(struct tcore_exec *x, const struct cmd *c,
				  uint64_t done, uint64_t n, uint64_t total,
				  uint64_t per_ns)
{
	charge(x, c, done, n, per_ns);
	x->prog.done = done + n;
	if (x->prog.done == total)
		complete(x, c);
	else
		save_midcmd(x, c);
	return TCORE_STEP_OK;
}

/* COPY and CHECKSUM read in chunks of this many bytes. */
#define CHUNK	TESSERA_PREEMPT_CHUNK_BYTES

static enum tcore_step_rc op_copy(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t dst = dw64(c, 1), src = dw64(c, 3), bytes = c->dw[5];
	uint64_t done = x->prog.done, n;
	uint8_t buf[CHUNK];
	enum tcore_step_rc rc;

	if (c->first) {
		if (bytes > TESSERA_MAX_COPY_BYTES)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		rc = check_operand(x, src, bytes);
		if (!rc)
			rc = check_operand(x, dst, bytes);
		if (rc)
			return rc;
	}
	n = min_u64(CHUNK, bytes - done);
	rc = mem_rw(xc, src + done, buf, n, false);
	if (!rc)
		rc = mem_rw(xc, dst + done, buf, n, true);
	if (rc)
		return rc;
	return advance(x, c, done, n, bytes, TESSERA_COPY_BYTES_PER_NS);
}

static enum tcore_step_rc op_fill(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t dst = dw64(c, 1), bytes = c->dw[3];
	uint32_t pattern = c->dw[4];
	uint64_t done = x->prog.done, n, i;
	uint8_t buf[CHUNK];
	enum tcore_step_rc rc;

	if (c->first) {
		if (bytes > TESSERA_MAX_COPY_BYTES)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		if ((dst & 3) || (bytes & 3))
			return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
		rc = check_operand(x, dst, bytes);
		if (rc)
			return rc;
	}
	n = min_u64(CHUNK, bytes - done);
	for (i = 0; i < n; i += 4)
		st32(buf + i, pattern);
	rc = mem_rw(xc, dst + done, buf, n, true);
	if (rc)
		return rc;
	return advance(x, c, done, n, bytes, TESSERA_FILL_BYTES_PER_NS);
}

static enum tcore_step_rc op_axpy(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t y = dw64(c, 1), xs = dw64(c, 3), count = c->dw[5];
	uint32_t a = c->dw[6];
	uint64_t done = x->prog.done, m, i;
	uint8_t bx[TESSERA_PREEMPT_CHUNK_ELEMS * 4];
	uint8_t by[TESSERA_PREEMPT_CHUNK_ELEMS * 4];
	enum tcore_step_rc rc;

	if (c->first) {
		if (count > TESSERA_MAX_AXPY_COUNT)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		if ((y & 3) || (xs & 3))
			return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
		rc = check_operand(x, xs, count * 4);
		if (!rc)
			rc = check_operand(x, y, count * 4);
		if (rc)
			return rc;
	}
	m = min_u64(TESSERA_PREEMPT_CHUNK_ELEMS, count - done);
	rc = mem_rw(xc, xs + done * 4, bx, m * 4, false);
	if (!rc)
		rc = mem_rw(xc, y + done * 4, by, m * 4, false);
	if (rc)
		return rc;
	for (i = 0; i < m; i++)
		st32(by + 4 * i, a * ld32(bx + 4 * i) + ld32(by + 4 * i));
	rc = mem_rw(xc, y + done * 4, by, m * 4, true);
	if (rc)
		return rc;
	return advance(x, c, done, m, count, TESSERA_AXPY_ELEMS_PER_NS);
}

static enum tcore_step_rc op_checksum(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t dst = dw64(c, 1), src = dw64(c, 3), bytes = c->dw[5];
	uint64_t done = x->prog.done, n;
	uint32_t h;
	uint8_t buf[CHUNK];
	enum tcore_step_rc rc;

	if (c->first) {
		if (bytes > TESSERA_MAX_COPY_BYTES)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		if (dst & 3)
			return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
		rc = check_operand(x, src, bytes);
		if (!rc)
			rc = check_operand(x, dst, 4);
		if (rc)
			return rc;
		x->prog.hash = TESSERA_FNV1A_INIT;
	}
	n = min_u64(CHUNK, bytes - done);
	rc = mem_rw(xc, src + done, buf, n, false);
	if (rc)
		return rc;
	h = tcore_fnv1a(x->prog.hash, buf, n);
	if (done + n == bytes) {
		uint8_t out[4];

		st32(out, h);
		rc = mem_rw(xc, dst, out, 4, true);
		if (rc)
			return rc;
	}
	x->prog.hash = h;	/* complete() clears it again */
	return advance(x, c, done, n, bytes, TESSERA_COPY_BYTES_PER_NS);
}

static enum tcore_step_rc op_busy(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t ns = dw64(c, 1), done = x->prog.done, m;

	if (c->first) {
		if (ns > TESSERA_MAX_BUSY_NS)
			return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
		x->events |= TCORE_EV_CLAMP;
	}
	m = min_u64(TESSERA_PREEMPT_CHUNK_NS, ns - done);
	/* whole chunks the pacing allows at once (not the first: it clamps) */
	if (!c->first && x->budget_ns > m)
		m = min_u64(x->budget_ns - x->budget_ns % TESSERA_PREEMPT_CHUNK_NS,
			    ns - done);
	return advance(x, c, done, m, ns, 1);
}

static enum tcore_step_rc op_fence(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint32_t flags = TESSERA_CMD_FLAGS(c->dw[0]);
	uint64_t value = dw64(c, 1), addr = dw64(c, 3);
	enum tcore_step_rc rc;

	if (flags & TESSERA_FENCE_WRITE) {
		uint8_t buf[8];

		if (addr & 7)
			return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
		st32(buf, lo32(value));
		st32(buf + 4, hi32(value));
		rc = mem_rw(xc, addr, buf, 8, true);
		if (rc)
			return rc;
	}
	x->cost_ns += TESSERA_COST_ISSUE_NS;
	x->fence = value;
	x->events |= TCORE_EV_FENCE;
	if (flags & TESSERA_FENCE_IRQ)
		x->events |= TCORE_EV_FENCE_IRQ;
	complete(x, c);
	return TCORE_STEP_OK;
}

/* BATCH_CALL / BATCH_JUMP: enter [addr, addr + bytes). */
static enum tcore_step_rc op_batch(struct xctx *xc, struct cmd *c)
{
	struct tcore_exec *x = xc->x;
	uint64_t addr = dw64(c, 1), bytes = c->dw[3];
	enum tcore_step_rc rc;

	if (bytes > TESSERA_MAX_BATCH_BYTES)
		return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
	if ((addr & 3) || (bytes & 3))
		return fault(x, TESSERA_FAULT_BAD_ALIGN, c->va);
	rc = check_operand(x, addr, bytes);
	if (rc)
		return rc;
	x->cost_ns += TESSERA_COST_ISSUE_NS;
	if (TESSERA_CMD_OP(c->dw[0]) == TESSERA_OP_BATCH_CALL && !bytes) {
		complete(x, c);		/* empty batch */
		return TCORE_STEP_OK;
	}
	x->prog.flags |= TCORE_PROG_IN_BATCH;
	x->prog.batch_pos = addr;
	x->prog.batch_end = addr + bytes;
	return TCORE_STEP_OK;
}

static enum tcore_step_rc run_cmd(struct xctx *xc, struct cmd *c)
{
	switch (TESSERA_CMD_OP(c->dw[0])) {
	case TESSERA_OP_NOP:
		xc->x->cost_ns += TESSERA_COST_ISSUE_NS;
		complete(xc->x, c);
		return TCORE_STEP_OK;
	case TESSERA_OP_FENCE:
		return op_fence(xc, c);
	case TESSERA_OP_COPY:
		return op_copy(xc, c);
	case TESSERA_OP_FILL:
		return op_fill(xc, c);
	case TESSERA_OP_AXPY:
		return op_axpy(xc, c);
	case TESSERA_OP_CHECKSUM:
		return op_checksum(xc, c);
	case TESSERA_OP_BATCH_CALL:
	case TESSERA_OP_BATCH_JUMP:
		return op_batch(xc, c);
	case TESSERA_OP_BATCH_END:
		xc->x->cost_ns += TESSERA_COST_ISSUE_NS;
		leave_batch(xc->x);
		return TCORE_STEP_OK;
	case TESSERA_OP_BUSY:
		return op_busy(xc, c);
	}
	/* not reached: decode() rejected unknown opcodes */
	return fault(xc->x, TESSERA_FAULT_BAD_OPCODE, c->va);
}

/* Fixed length of each opcode (0: unknown opcode; NOP: any >= 1). */
static uint32_t op_len(uint32_t op)
{
	switch (op) {
	case TESSERA_OP_NOP:		return 1;
	case TESSERA_OP_FENCE:		return TESSERA_FENCE_LEN;
	case TESSERA_OP_COPY:		return TESSERA_COPY_LEN;
	case TESSERA_OP_FILL:		return TESSERA_FILL_LEN;
	case TESSERA_OP_AXPY:		return TESSERA_AXPY_LEN;
	case TESSERA_OP_CHECKSUM:	return TESSERA_CHECKSUM_LEN;
	case TESSERA_OP_BATCH_CALL:	return TESSERA_BATCH_CALL_LEN;
	case TESSERA_OP_BATCH_JUMP:	return TESSERA_BATCH_JUMP_LEN;
	case TESSERA_OP_BATCH_END:	return 1;
	case TESSERA_OP_BUSY:		return TESSERA_BUSY_LEN;
	}
	return 0;
}

/*
 * VA of ring offset @off; false if the ring crosses the top of the VA
 * space (then it is outside the GART window).
 */
static bool ring_va(const struct tcore_exec *x, uint32_t off, uint64_t *va)
{
	if (x->ring_base > UINT64_MAX - off)
		return false;
	*va = x->ring_base + off;
	return true;
}

/* Read dword @k of the command at ring offset / batch VA. */
static enum tcore_step_rc fetch_dw(struct xctx *xc, const struct cmd *c,
				   uint32_t k, uint32_t *out)
{
	struct tcore_exec *x = xc->x;
	uint64_t va;
	uint8_t b[4];
	enum tcore_step_rc rc;

	if (c->in_batch) {
		va = c->va + 4ULL * k;
	} else if (!ring_va(x, (x->ring_head + 4 * k) & (x->ring_size - 1),
			    &va)) {
		return fault(x, TESSERA_FAULT_GART_RANGE, x->ring_base);
	}
	rc = mem_rw(xc, va, b, 4, false);
	if (rc)
		return rc;
	*out = ld32(b);
	return TCORE_STEP_OK;
}

/* Fetch and validate the command at the head of the ring / batch. */
static enum tcore_step_rc decode(struct xctx *xc, struct cmd *c,
				 uint64_t avail)
{
	struct tcore_exec *x = xc->x;
	uint32_t hdr, op, flags, want, k, allowed = 0;
	enum tcore_step_rc rc;

	rc = fetch_dw(xc, c, 0, &hdr);
	if (rc)
		return rc;
	c->dw[0] = hdr;
	op = TESSERA_CMD_OP(hdr);
	flags = TESSERA_CMD_FLAGS(hdr);
	c->len = TESSERA_CMD_LEN(hdr);
	want = op_len(op);
	if (!want)
		return fault(x, TESSERA_FAULT_BAD_OPCODE, c->va);
	if (op == TESSERA_OP_NOP ? c->len < 1 : c->len != want)
		return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
	if ((uint64_t)c->len * 4 > avail)
		return fault(x, TESSERA_FAULT_BAD_LENGTH, c->va);
	if (op == TESSERA_OP_FENCE)
		allowed = TESSERA_FENCE_IRQ | TESSERA_FENCE_WRITE;
	if (op == TESSERA_OP_BUSY)
		allowed = TESSERA_BUSY_ATOMIC;
	if (flags & ~allowed)
		return fault(x, TESSERA_FAULT_BAD_OPCODE, c->va);
	if ((op == TESSERA_OP_AXPY || op == TESSERA_OP_CHECKSUM) &&
	    x->engine_class != TESSERA_ENG_CLASS_COMPUTE)
		return fault(x, TESSERA_FAULT_BAD_OPCODE, c->va);
	if (op == TESSERA_OP_BATCH_CALL && c->in_batch)
		return fault(x, TESSERA_FAULT_BAD_NESTING, c->va);
	if ((op == TESSERA_OP_BATCH_JUMP || op == TESSERA_OP_BATCH_END) &&
	    !c->in_batch)
		return fault(x, TESSERA_FAULT_BAD_NESTING, c->va);
	/* NOP padding is not read */
	if (op == TESSERA_OP_NOP)
		return TCORE_STEP_OK;
	for (k = 1; k < c->len; k++) {
		rc = fetch_dw(xc, c, k, &c->dw[k]);
		if (rc)
			return rc;
	}
	return TCORE_STEP_OK;
}

enum tcore_step_rc tcore_exec_step(struct tcore_exec *x,
				   const struct tcore_mem_ops *ops,
				   void *opaque)
{
	struct xctx xc = { .x = x, .ops = ops, .opaque = opaque };
	struct tcore_ring ring = {
		.base = x->ring_base, .size = x->ring_size,
		.head = x->ring_head, .tail = x->ring_tail,
	};
	struct cmd c;
	uint64_t avail;
	enum tcore_step_rc rc;

	x->cost_ns = 0;
	x->events = 0;
	x->fault_code = 0;
	x->fault_addr = 0;
	memset(&c, 0, sizeof(c));
	c.in_batch = x->prog.flags & TCORE_PROG_IN_BATCH;

	if (!tcore_ring_valid(&ring))
		return fault(x, TESSERA_FAULT_BAD_RING, x->ring_base);
	if (c.in_batch && (x->prog.batch_pos > x->prog.batch_end ||
			   (x->prog.batch_pos & 3))) {
		/* cannot happen with state written by this file */
		memset(&x->prog, 0, sizeof(x->prog));
		return fault(x, TESSERA_FAULT_BAD_NESTING, x->ring_base);
	}
	if (c.in_batch)
		c.va = x->prog.batch_pos;
	else if (!ring_va(x, x->ring_head, &c.va))
		return fault(x, TESSERA_FAULT_GART_RANGE, x->ring_base);

	if (x->prog.flags & TCORE_PROG_MIDCMD) {
		/* resume a preempted command from its saved copy */
		memcpy(c.dw, x->prog.cmd, sizeof(c.dw));
		c.len = TESSERA_CMD_LEN(c.dw[0]);
		c.first = false;
		return run_cmd(&xc, &c);
	}

	if (c.in_batch) {
		if (x->prog.batch_pos == x->prog.batch_end) {
			leave_batch(x);		/* end of the range */
			return TCORE_STEP_OK;
		}
		avail = x->prog.batch_end - x->prog.batch_pos;
	} else {
		if (x->ring_head == x->ring_tail)
			return TCORE_STEP_IDLE;
		avail = (x->ring_tail - x->ring_head) & (x->ring_size - 1);
	}
	rc = decode(&xc, &c, avail);
	if (rc)
		return rc;
	c.first = true;
	x->prog.done = 0;
	x->prog.hash = 0;
	return run_cmd(&xc, &c);
}

/* --------------------------------------------------- engine stepping */

/* The ring's command in progress has no preemption point (BUSY_ATOMIC). */
static bool prog_atomic(const struct tcore_progress *p)
{
	return (p->flags & TCORE_PROG_MIDCMD) &&
	       TESSERA_CMD_OP(p->cmd[0]) == TESSERA_OP_BUSY &&
	       (TESSERA_CMD_FLAGS(p->cmd[0]) & TESSERA_BUSY_ATOMIC);
}

/* A PREEMPT is pending and the engine is at a preemption point. */
static bool preempt_due(const struct tcore_dev *d, unsigned int e)
{
	const struct tcore_engine *eng = &d->eng[e];

	if (!eng->preempt_pending)
		return false;
	if (eng->ctx >= d->contexts)
		return true;
	return !prog_atomic(&d->ctx[eng->ctx].ring[e].prog);
}

enum tcore_prep_rc tcore_engine_prepare(struct tcore_dev *d, unsigned int e,
					int64_t now, struct tcore_exec *x)
{
	struct tcore_engine *eng;
	struct tcore_ctx *cx;
	struct tcore_ring *r;

	if (e >= d->engines)
		return TCORE_PREP_PARK;
	eng = &d->eng[e];
	if (eng->state != TESSERA_ENG_STATE_RUNNING)
		return TCORE_PREP_PARK;
	if (preempt_due(d, e)) {
		eng_preempted(d, e, now);
		return TCORE_PREP_PARK;	/* the caller looks again */
	}
	if (eng->ctx >= d->contexts) {		/* cannot happen */
		eng_fault(d, e, TESSERA_FAULT_BAD_CONTEXT, eng->ctx, 0, false);
		return TCORE_PREP_PARK;
	}
	cx = &d->ctx[eng->ctx];
	r = &cx->ring[e];
	if (!tcore_ring_valid(r)) {
		eng_fault(d, e, TESSERA_FAULT_BAD_RING, eng->ctx, r->base, false);
		return TCORE_PREP_PARK;
	}
	if (r->head == r->tail && !r->prog.flags) {
		eng->state = TESSERA_ENG_STATE_WAITING;
		eng_raise(d, e, TESSERA_ENG_INT_IDLE);
		return TCORE_PREP_PARK;
	}
	memset(x, 0, sizeof(*x));
	x->dev_vram_size = d->vram_size;
	x->dev_gart_entries = d->gart_entries;
	x->ctx = eng->ctx;
	x->engine_class = tcore_engine_class(d, e);
	x->ring_base = r->base;
	x->ring_size = r->size;
	x->ring_head = r->head;
	x->ring_tail = r->tail;
	x->vram_base = cx->vram_base;
	x->vram_size = cx->vram_size;
	x->gart_base = cx->gart_base;
	x->gart_size = cx->gart_size;
	x->prog = r->prog;
	return TCORE_PREP_RUN;
}

void tcore_engine_finish(struct tcore_dev *d, unsigned int e,
			 const struct tcore_exec *x, enum tcore_step_rc rc,
			 int64_t step_start)
{
	struct tcore_engine *eng;
	struct tcore_ring *r;

	if (e >= d->engines || x->ctx >= d->contexts)
		return;
	eng = &d->eng[e];
	r = &d->ctx[x->ctx].ring[e];
	if (eng->state != TESSERA_ENG_STATE_RUNNING || eng->ctx != x->ctx)
		return;		/* reset under our feet (self-DMA): drop */
	if ((x->events & TCORE_EV_CLAMP) && eng->clock < step_start)
		eng->clock = step_start;
	eng->clock += x->cost_ns;
	eng->busy_ns += x->cost_ns;
	switch (rc) {
	case TCORE_STEP_FAULT:
		eng_fault(d, e, x->fault_code, x->ctx, x->fault_addr, true);
		return;
	case TCORE_STEP_IDLE:
		return;		/* the next prepare goes WAITING */
	case TCORE_STEP_OK:
		break;
	}
	r->head = x->ring_head;
	r->prog = x->prog;
	if (x->events & TCORE_EV_FENCE) {
		r->fence = x->fence;
		eng->fence = x->fence;
		eng->fence_ctx = x->ctx;
		if (x->events & TCORE_EV_FENCE_IRQ)
			eng_raise(d, e, TESSERA_ENG_INT_FENCE);
	}
}

/* A step resumed at RESUME never takes the engine past SLACK. */
static_assert(TCORE_MAX_STEP_COST_NS <=
	      TCORE_PACE_SLACK_NS - TCORE_PACE_RESUME_NS, "pacing slack");

uint64_t tcore_engine_budget_ns(const struct tcore_dev *d, unsigned int e,
				int64_t now)
{
	int64_t b;

	if (e >= d->engines)
		return 0;
	b = now + TCORE_PACE_SLACK_NS - d->eng[e].clock;
	return b > 0 ? (uint64_t)b : 0;
}

int64_t tcore_engine_pace_ns(const struct tcore_dev *d, unsigned int e,
			     int64_t now)
{
	int64_t ahead;

	if (e >= d->engines || preempt_due(d, e))
		return 0;	/* a preemption point is due now */
	ahead = d->eng[e].clock - TCORE_PACE_RESUME_NS - now;
	return ahead > 0 ? ahead : 0;
}
