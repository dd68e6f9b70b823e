// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera GPU model, register file: BAR0 CSR and BAR4 doorbell decode,
 * configuration and reset, the context windows, the GART, interrupt source
 * tracking and the engine state machine (START, PREEMPT, faults). Command
 * execution is in tessera-core-exec.c. See tessera-core.h and
 * Documentation/hw/tessera-gpu.rst. No QEMU headers on purpose: this file
 * is also built into the host unit tests.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tessera-core-priv.h"

/* ------------------------------------------------------------- helpers */

static inline uint64_t gart_load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void gart_store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

bool tcore_ring_valid(const struct tcore_ring *r)
{
	return !(r->base & (TESSERA_PAGE_SIZE - 1)) && is_pow2(r->size) &&
	       r->size >= TESSERA_RING_MIN_SIZE &&
	       r->size <= TESSERA_RING_MAX_SIZE &&
	       !(r->head & 3) && r->head < r->size &&
	       !(r->tail & 3) && r->tail < r->size;
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

void tcore_set_hooks(struct tcore_dev *d, const struct tcore_hooks *hooks,
		     void *opaque)
{
	d->hooks = hooks;
	d->hooks_opaque = opaque;
}

void tcore_guest_error(const struct tcore_dev *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->hooks || !d->hooks->guest_error)
		return;
	va_start(ap, fmt);
	d->hooks->guest_error(d->hooks_opaque, fmt, ap);
	va_end(ap);
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

void tcore_eng_raise(struct tcore_dev *d, unsigned int e, uint32_t bits)
{
	d->eng[e].int_status |= bits;
	if (d->hooks && d->hooks->eng_irq)
		d->hooks->eng_irq(d->hooks_opaque, e, bits);
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

void tcore_eng_fault(struct tcore_dev *d, unsigned int e, uint32_t code,
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
	if (d->hooks && d->hooks->fault)
		d->hooks->fault(d->hooks_opaque, e, code, ctx, addr);
	tcore_eng_raise(d, e, TESSERA_ENG_INT_FAULT);
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
		tcore_eng_fault(d, e, TESSERA_FAULT_BAD_CONTEXT, c, 0, false);
		return 0;
	}
	r = &d->ctx[c].ring[e];
	if (!tcore_ring_valid(r)) {
		tcore_eng_fault(d, e, TESSERA_FAULT_BAD_RING, c, r->base,
				false);
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
uint32_t tcore_eng_preempted(struct tcore_dev *d, unsigned int e,
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
	tcore_eng_raise(d, e, TESSERA_ENG_INT_PREEMPTED);
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
		else
			tcore_guest_error(d, "REG_RESET <- 0x%08x, not the magic: ignored",
					  v);
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
		else
			tcore_guest_error(d, "engine %u: ENG_CTX written while loaded: ignored",
					  e);
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
				return tcore_eng_preempted(d, e, now);
			return 0;
		case TESSERA_ENG_CTRL_RESET:
			/* the caller has parked the engine's worker */
			tcore_engine_reset(d, e);
			return 1u << e;
		}
		tcore_guest_error(d, "engine %u: unknown ENG_CTRL 0x%08x: ignored",
				  e, v);
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
		if (ring_loaded(d, c, e)) {
			tcore_guest_error(d, "ring %u/%u: RING_HEAD written while loaded: ignored",
					  c, e);
			return 0;
		}
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

/*
 * A write to an engine, context or GART entry this configuration does not
 * have, or to an offset no register occupies: ignored (spec), but a guest
 * doing it has its numbering wrong.
 */
static uint32_t absent_write(const struct tcore_dev *d, uint32_t off,
			     uint32_t v, const char *what)
{
	tcore_guest_error(d, "BAR0 write of 0x%08x at 0x%05x: %s: ignored",
			  v, off, what);
	return 0;
}

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
			return absent_write(d, off, v, "no such engine");
		return engine_write(d, e,
			(off - TESSERA_CSR_ENGINE_BASE) % TESSERA_CSR_ENGINE_STRIDE,
			v, now);
	}
	if (off >= TESSERA_CSR_CTX_BASE &&
	    off < TESSERA_CSR_CTX_BASE +
		  TESSERA_MAX_CONTEXTS * TESSERA_CSR_CTX_STRIDE) {
		c = (off - TESSERA_CSR_CTX_BASE) / TESSERA_CSR_CTX_STRIDE;
		if (c >= d->contexts)
			return absent_write(d, off, v, "no such context");
		return ctx_write(d, c,
			(off - TESSERA_CSR_CTX_BASE) % TESSERA_CSR_CTX_STRIDE,
			v, now);
	}
	if (off >= TESSERA_CSR_GART_BASE && off < TESSERA_CSR_BAR_SIZE) {
		i = (off - TESSERA_CSR_GART_BASE) / 8;
		if (i >= d->gart_entries)
			return absent_write(d, off, v, "no such GART entry");
		ent = gart_load(&d->gart[i]);
		ent = (off & 4) ? set_hi(ent, v) : set_lo(ent, v);
		gart_store(&d->gart[i], ent & GART_STORE_MASK);
		return 0;
	}
	return absent_write(d, off, v, "no register there");
}

/* BAR0 access of a size or alignment the spec does not accept. */
static void bad_csr_access(const struct tcore_dev *d, const char *dir,
			   uint64_t off, unsigned int size)
{
	tcore_guest_error(d, "BAR0 %s of %u bytes at 0x%05llx: bad size or alignment: %s",
			  dir, size, (unsigned long long)off,
			  dir[0] == 'r' ? "reads zero" : "ignored");
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
	bad_csr_access(d, "read", off, size);
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
			if (i >= d->gart_entries)
				return absent_write(d, off, lo32(val),
						    "no such GART entry");
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
	bad_csr_access(d, "write", off, size);
	return 0;
}

uint64_t tcore_db_read(struct tcore_dev *d, uint64_t off, unsigned int size)
{
	uint64_t c = off / TESSERA_DOORBELL_PAGE_SIZE;
	uint32_t o = off % TESSERA_DOORBELL_PAGE_SIZE;

	if (size != 4 || (o & 7) || c >= d->contexts ||
	    o / 8 >= d->engines) {
		tcore_guest_error(d, "BAR4 read of %u bytes at 0x%llx: no such DB_TAIL: reads zero",
				  size, (unsigned long long)off);
		return 0;
	}
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
	    o / 8 >= d->engines) {
		tcore_guest_error(d, "BAR4 write of %u bytes at 0x%llx: no such DB_TAIL: ignored",
				  size, (unsigned long long)off);
		return 0;
	}
	wake = ring_set_tail(d, c, o / 8, val, now, &loaded);
	if (!loaded) {
		d->db_pending[c / 32] |= 1u << (c % 32);
		irq_sync(d);
	}
	return wake;
}
