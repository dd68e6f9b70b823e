// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of tessera_split_rd64() (drivers/tessera/lib/tessera_rd64.h): a
 * 64-bit register read as HI, LO, HI with a bounded number of retries.
 */
#include <stdbool.h>
#include <stdint.h>

#include "tap.h"
#include "tessera_rd64.h"

/*
 * A simulated 64-bit register at offset 0x10: @value, plus @step added
 * after every read (a running counter), or HI rewritten on every read of
 * HI (a ring that keeps rewriting its own fence). Gives up after 1000
 * reads so that an unbounded reader fails instead of hanging the test.
 */
struct reg {
	uint64_t value;
	uint64_t step;
	bool hi_flips;
	unsigned int reads;
	bool bad_offset;
};

#define REG_LO 0x10
#define MAX_READS 1000

static u32 rd(void *arg, u32 off)
{
	struct reg *r = arg;
	u32 v;

	if (off != REG_LO && off != REG_LO + 4)
		r->bad_offset = true;
	if (++r->reads > MAX_READS)
		return off == REG_LO ? (u32)r->value : (u32)(r->value >> 32);
	v = off == REG_LO ? (u32)r->value : (u32)(r->value >> 32);
	if (r->hi_flips && off == REG_LO + 4)
		r->value += 1ULL << 32;
	r->value += r->step;
	return v;
}

static void test_stable(void)
{
	struct reg r = { .value = 0x123456789abcdef0ULL };
	bool torn = false;

	TAP_CHECK_EQ(tessera_split_rd64(rd, &r, REG_LO, &torn), 0x123456789abcdef0ULL);
	TAP_CHECK_EQ(r.reads, 3);
	TAP_CHECK(!torn);
	TAP_CHECK(!r.bad_offset);
}

/* LO carries into HI between the first HI and LO: one retry, exact. */
static void test_carry(void)
{
	struct reg r = { .value = 0x00000005ffffffffULL, .step = 1 };
	bool torn = false;
	u64 v = tessera_split_rd64(rd, &r, REG_LO, &torn);

	TAP_CHECK(!torn);
	TAP_CHECK_EQ(v >> 32, 6);
	TAP_CHECK(v <= r.value && v > 0x00000005ffffffffULL);
	TAP_CHECK_EQ(r.reads, 5);
}

/*
 * HI changes on every read: the reader must give up after a bounded
 * number of reads, say so, and return a value built from what it read.
 */
static void test_livelock_bounded(void)
{
	struct reg r = { .value = 0x0000000100000010ULL, .hi_flips = true };
	bool torn = false;
	u64 v = tessera_split_rd64(rd, &r, REG_LO, &torn);

	TAP_CHECK(r.reads <= 1 + 2 * TESSERA_RD64_TRIES);
	TAP_CHECK(torn);
	TAP_CHECK_EQ((u32)v, 0x10);
	TAP_CHECK(v >> 32 >= 1 && v >> 32 <= 1 + 2 * TESSERA_RD64_TRIES);
}

/*
 * Torn on every try by a fast counter: LO's top bit tells which side of
 * the carry it was read on; the result is then a value the counter held
 * between the first and the last read.
 */
static void test_torn_counter(void)
{
	struct reg r = { .value = 0x00000007fffffff0ULL, .hi_flips = true };
	u64 before = r.value;
	bool torn = false;
	u64 v = tessera_split_rd64(rd, &r, REG_LO, &torn);

	TAP_CHECK(torn);
	TAP_CHECK(v >= before && v <= r.value);
	TAP_CHECK(r.reads <= 1 + 2 * TESSERA_RD64_TRIES);
}

int main(void)
{
	TAP_RUN(test_stable);
	TAP_RUN(test_carry);
	TAP_RUN(test_livelock_bounded);
	TAP_RUN(test_torn_counter);
	return tap_done();
}
