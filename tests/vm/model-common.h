/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Common fixture of the tessera-gpu model tests: opens the first Tessera
 * GPU through vfio-pci, resets it and lays out two contexts.
 *
 * VRAM layout (fits the minimum VRAM of 64 MiB):
 *
 *   [ 4 MiB,  8 MiB)  sentinel below context A
 *   [ 8 MiB, 48 MiB)  context A's VRAM window (VA 0 .. 40 MiB)
 *   [48 MiB, 52 MiB)  sentinel between A and B
 *   [52 MiB, 60 MiB)  context B's VRAM window (VA 0 .. 8 MiB)
 *   [60 MiB, 64 MiB)  sentinel above context B
 *
 * In each window the ring of engine e is at VA RING_VA(e) and data starts
 * at DATA_VA. Context A's GART window (A_GART_SIZE entries from
 * A_GART_BASE) maps page i to page sys_perm(i) of a DMA buffer of
 * SYS_PAGES pages at SYS_IOVA: the pages are deliberately non-contiguous.
 */
#ifndef TESSERA_TESTS_MODEL_COMMON_H
#define TESSERA_TESTS_MODEL_COMMON_H

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "tessera-hw.h"

#define MIB			0x100000ULL
#define CTX_A			1
#define CTX_B			2
#define A_VRAM_BASE		(8 * MIB)
#define A_VRAM_SIZE		(40 * MIB)
#define B_VRAM_BASE		(52 * MIB)
#define B_VRAM_SIZE		(8 * MIB)
#define SENTINEL_LO		(4 * MIB)
#define SENTINEL_HI		(64 * MIB)
#define SENTINEL_PATTERN	0x5e5e5e5eu
#define A_GART_BASE		16
#define A_GART_SIZE		64
#define B_GART_BASE		256
#define B_GART_SIZE		16
#define RING_BYTES		16384
#define RING_VA(e)		((u64)(e) * 0x10000)
#define DATA_VA			(1 * MIB)
#define SYS_IOVA		0x100000000ULL
#define SYS_PAGES		A_GART_SIZE
#define PAGE			TESSERA_PAGE_SIZE

/* Generous: TCG is slow. Waits never exceed these. */
#define TMO_MS			20000
#define TEST_TIMEOUT_S		240

struct model {
	struct tess_dev t;
	struct vfio_dma_buf sys;
	struct tess_ring a[TESSERA_MAX_ENGINES];
	struct tess_ring b[TESSERA_MAX_ENGINES];
	bool open;
};

/* GART window page i of context A -> page sys_perm(i) of the DMA buffer. */
static inline unsigned int sys_perm(unsigned int i)
{
	return (i * 37 + 11) % SYS_PAGES;
}

/* CPU pointer to byte @off of GART window page @page of context A. */
static inline void *sys_ptr(struct model *m, unsigned int page, u64 off)
{
	return (u8 *)m->sys.vaddr + (u64)sys_perm(page) * PAGE + off;
}

static inline u64 a_vram(u64 va)
{
	return A_VRAM_BASE + va;
}

static inline u64 b_vram(u64 va)
{
	return B_VRAM_BASE + va;
}

static inline int model_fill_sentinels(struct model *m)
{
	int ret;

	ret = tess_vram_fill32(&m->t, SENTINEL_LO, A_VRAM_BASE - SENTINEL_LO,
			       SENTINEL_PATTERN);
	if (!ret)
		ret = tess_vram_fill32(&m->t, A_VRAM_BASE + A_VRAM_SIZE,
				       B_VRAM_BASE - (A_VRAM_BASE + A_VRAM_SIZE),
				       SENTINEL_PATTERN);
	if (!ret)
		ret = tess_vram_fill32(&m->t, B_VRAM_BASE + B_VRAM_SIZE,
				       SENTINEL_HI - (B_VRAM_BASE + B_VRAM_SIZE),
				       SENTINEL_PATTERN);
	return ret;
}

/* Return: -1 if every sentinel is intact, else the VRAM offset spoilt. */
static inline long long model_check_sentinels(struct model *m)
{
	static const u64 rng[3][2] = {
		{ SENTINEL_LO, A_VRAM_BASE },
		{ A_VRAM_BASE + A_VRAM_SIZE, B_VRAM_BASE },
		{ B_VRAM_BASE + B_VRAM_SIZE, SENTINEL_HI },
	};
	long bad;
	int i;

	for (i = 0; i < 3; i++) {
		bad = tess_vram_check32(&m->t, rng[i][0], rng[i][1] - rng[i][0],
					SENTINEL_PATTERN);
		if (bad >= 0)
			return (long long)(rng[i][0] + bad);
	}
	return -1;
}

/**
 * model_program() - program contexts A and B, their rings and A's GART
 * @m: opened fixture data (after a device reset, say)
 *
 * Return: 0 or a negative errno.
 */
static inline int model_program(struct model *m)
{
	unsigned int e, i;
	int ret;

	ret = tess_ctx_setup(&m->t, CTX_A, A_VRAM_BASE, A_VRAM_SIZE,
			     A_GART_BASE, A_GART_SIZE);
	if (!ret)
		ret = tess_ctx_setup(&m->t, CTX_B, B_VRAM_BASE, B_VRAM_SIZE,
				     B_GART_BASE, B_GART_SIZE);
	for (e = 0; !ret && e < m->t.engines; e++) {
		ret = tess_ring_init(&m->t, &m->a[e], CTX_A, e, RING_VA(e),
				     RING_BYTES);
		if (!ret)
			ret = tess_ring_init(&m->t, &m->b[e], CTX_B, e,
					     RING_VA(e), RING_BYTES);
	}
	for (i = 0; !ret && i < A_GART_SIZE; i++)
		ret = tess_gart_set(&m->t, A_GART_BASE + i,
				    SYS_IOVA + (u64)sys_perm(i) * PAGE,
				    TESSERA_GART_VALID | TESSERA_GART_WRITABLE);
	return ret;
}

/**
 * model_layout() - open, reset and lay out the device
 * @m: zeroed fixture data
 * @why: message on failure
 * @len: size of @why
 *
 * Return: 0, -ENOENT if there is no Tessera GPU, or a negative errno.
 */
static inline int model_layout(struct model *m, char *why, size_t len)
{
	int ret;

	ret = tess_open(&m->t, NULL);
	if (ret) {
		snprintf(why, len, "%s", m->t.err);
		return ret;
	}
	m->open = true;
	ret = tess_device_reset(&m->t, TMO_MS);
	if (ret) {
		snprintf(why, len, "device reset: %s", strerror(-ret));
		return ret;
	}
	if (m->t.vram_size < SENTINEL_HI || m->t.contexts <= CTX_B ||
	    m->t.gart_entries < B_GART_BASE + B_GART_SIZE) {
		snprintf(why, len, "device too small for the test layout");
		return -ENOSPC;
	}
	ret = vfio_dma_alloc(&m->t.vfio, &m->sys, SYS_PAGES * PAGE, SYS_IOVA);
	if (ret) {
		snprintf(why, len, "DMA buffer: %s", strerror(-ret));
		return ret;
	}
	ret = model_program(m);
	if (ret) {
		snprintf(why, len, "contexts/rings/GART: %s", strerror(-ret));
		return ret;
	}
	ret = model_fill_sentinels(m);
	if (ret) {
		snprintf(why, len, "sentinels: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

static inline void model_release(struct model *m)
{
	unsigned int e;

	if (!m->open)
		return;
	for (e = 0; e < m->t.engines; e++)
		tess_eng_reset(&m->t, e);
	tess_device_reset(&m->t, TMO_MS);
	vfio_dma_free(&m->t.vfio, &m->sys);
	tess_close(&m->t);
	m->open = false;
}

/* Fixture setup: lay out the device; SKIP if there is none. */
static inline void model_setup_or_skip(struct __test_metadata *_metadata,
				       struct model *m)
{
	char why[512] = "";
	int ret = model_layout(m, why, sizeof(why));

	if (ret == -ENOENT) {
		model_release(m);
		SKIP(return, "%s", why);
	}
	if (ret) {
		TH_LOG("setup failed: %s", why);
		model_release(m);
	}
	ASSERT_EQ(0, ret);
}

/* Submit a ring's commands and start its engine on its context. */
static inline int ring_go(struct tess_ring *r)
{
	u32 s = tess_eng_state(r->t, r->eng);
	int ret;

	ret = tess_ring_submit(r);
	if (ret)
		return ret;
	if (s == TESSERA_ENG_STATE_STOPPED || s == TESSERA_ENG_STATE_FAULTED)
		ret = tess_eng_start(r->t, r->eng, r->ctx);
	return ret;
}

/* ring_go() then wait for the ring to drain. */
static inline int ring_run(struct tess_ring *r)
{
	int ret = ring_go(r);

	return ret ? ret : tess_ring_wait_idle(r, TMO_MS);
}

/* Deterministic pseudo-random data. */
static inline u32 prng(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static inline void prng_fill(void *buf, size_t len, u32 seed)
{
	u8 *p = buf;
	u32 s = seed | 1, v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i & 3))
			v = prng(&s);
		p[i] = v >> (8 * (i & 3));
	}
}

/* A fault as text, for failure messages. */
static inline const char *fault_str(const struct tess_fault *f, char *buf,
				    size_t len)
{
	snprintf(buf, len, "fault %u (%s) ctx %u addr 0x%llx", f->code,
		 tess_fault_name(f->code), f->ctx, (unsigned long long)f->addr);
	return buf;
}

/* Wait for engine @e to fault and check code, context and address. */
static inline void assert_fault(struct __test_metadata *_metadata,
				struct model *m, unsigned int e, u32 code,
				u32 ctx, u64 addr)
{
	struct tess_fault f;
	char buf[128];
	int st = tess_eng_wait_halted(&m->t, e, TMO_MS);

	tess_eng_fault(&m->t, e, &f);
	ASSERT_EQ(TESSERA_ENG_STATE_FAULTED, st)
		TH_LOG("engine %u state %d, %s", e, st, fault_str(&f, buf, sizeof(buf)));
	ASSERT_EQ(code, f.code)
		TH_LOG("want %s, got %s", tess_fault_name(code),
		       fault_str(&f, buf, sizeof(buf)));
	ASSERT_EQ(ctx, f.ctx);
	ASSERT_EQ(addr, f.addr)
		TH_LOG("want addr 0x%llx, got %s", (unsigned long long)addr,
		       fault_str(&f, buf, sizeof(buf)));
}

#define ASSERT_FAULT(m, e, code, ctx, addr) \
	assert_fault(_metadata, m, e, code, ctx, addr)

/* The fixture every model test uses: self->m, set up and torn down. */
FIXTURE(model) {
	struct model m;
};

FIXTURE_SETUP(model)
{
	model_setup_or_skip(_metadata, &self->m);
}

FIXTURE_TEARDOWN(model)
{
	EXPECT_EQ(0, self->m.t.io_errors);
	model_release(&self->m);
}

static inline void ring_log(struct __test_metadata *_metadata,
			    struct tess_ring *r, int err)
{
	struct tess_fault f;
	char buf[128];

	tess_eng_fault(r->t, r->eng, &f);
	TH_LOG("ctx %u engine %u: %s, state %u, head 0x%x tail 0x%x, %s",
	       r->ctx, r->eng, strerror(-err), tess_eng_state(r->t, r->eng),
	       tess_ring_head(r), r->tail, fault_str(&f, buf, sizeof(buf)));
}

/* ring_run() / tess_ring_wait_idle() that log the fault when one happens. */
#define ASSERT_RING_OK(r, expr) do {					\
	struct tess_ring *__r = (r);					\
	int __rr = (expr);						\
	if (__rr)							\
		ring_log(_metadata, __r, __rr);				\
	ASSERT_EQ(0, __rr);						\
} while (0)
#define ASSERT_RUN(r)		ASSERT_RING_OK(r, ring_run(__r))
#define ASSERT_IDLE(r)		ASSERT_RING_OK(r, tess_ring_wait_idle(__r, TMO_MS))

#endif /* TESSERA_TESTS_MODEL_COMMON_H */
