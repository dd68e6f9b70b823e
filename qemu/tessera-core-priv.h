/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera GPU model: what the two halves of the core share and nothing
 * else uses (the interface is tessera-core.h). tessera-core-regs.c is the
 * register file and the engine state machine; tessera-core-exec.c executes
 * commands and accounts for their cost. No QEMU headers: both are also
 * built into the host unit tests.
 */
#ifndef TESSERA_CORE_PRIV_H
#define TESSERA_CORE_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "tessera-core.h"

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

static inline uint32_t lo32(uint64_t v)
{
	return (uint32_t)v;
}

static inline uint32_t hi32(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

static inline bool vram_window_valid(uint64_t dev_vram, uint64_t base,
				     uint64_t size)
{
	return !(base & (TESSERA_PAGE_SIZE - 1)) &&
	       !(size & (TESSERA_PAGE_SIZE - 1)) &&
	       base <= dev_vram && size <= dev_vram - base;
}

static inline bool gart_window_valid(uint32_t dev_gart, uint32_t base,
				     uint32_t size)
{
	return (uint64_t)base + size <= dev_gart;
}

/* Report a guest mistake through the host's guest_error hook, if any. */
void tcore_guest_error(const struct tcore_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Engine state changes that both the register file and the engine stepping
 * make (tessera-core-regs.c), under the device lock.
 */
/* Set ENG_INT_STATUS @bits and recompute the interrupt edges. */
void tcore_eng_raise(struct tcore_dev *d, unsigned int e, uint32_t bits);
/*
 * The engine faults with @code at @addr in context @ctx; with
 * @discard_progress the ring's saved mid-command state is dropped.
 */
void tcore_eng_fault(struct tcore_dev *d, unsigned int e, uint32_t code,
		     uint32_t ctx, uint64_t addr, bool discard_progress);
/* A preemption completes; returns the engines to wake. */
uint32_t tcore_eng_preempted(struct tcore_dev *d, unsigned int e,
			     int64_t now);

#endif /* TESSERA_CORE_PRIV_H */
