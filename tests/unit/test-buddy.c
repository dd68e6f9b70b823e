// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the buddy allocator (drivers/tessera/lib/tessera_buddy.c). */
#include <stdint.h>
#include "tap.h"
#include "tessera_buddy.h"

#define MIB 0x100000ULL

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static void test_init_geometry(void)
{
	struct tessera_buddy b;

	TAP_CHECK_EQ(tessera_buddy_init(&b, 0, 12), -EINVAL);
	TAP_CHECK_EQ(tessera_buddy_init(&b, 4097, 12), -EINVAL);
	TAP_CHECK_EQ(tessera_buddy_init(&b, 4096, 11), -EINVAL);
	TAP_CHECK_EQ(tessera_buddy_init(&b, 512 * MIB, 16), 0);
	TAP_CHECK_EQ(tessera_buddy_free_bytes(&b), 512 * MIB);
	TAP_CHECK_EQ(tessera_buddy_largest_free(&b), 512 * MIB);
	tessera_buddy_fini(&b);
	/* Not a power of two: 3 units + 1 unit. */
	TAP_CHECK_EQ(tessera_buddy_init(&b, 5 * 4096, 12), 0);
	TAP_CHECK_EQ(tessera_buddy_free_bytes(&b), 5 * 4096);
	TAP_CHECK_EQ(tessera_buddy_largest_free(&b), 4 * 4096);
	tessera_buddy_fini(&b);
}

static void test_alloc_free_coalesce(void)
{
	struct tessera_buddy b;
	u64 o1, o2, o3;

	TAP_CHECK_EQ(tessera_buddy_init(&b, 16 * 4096, 12), 0);
	TAP_CHECK_EQ(tessera_buddy_alloc(&b, 1, &o1), 0);
	TAP_CHECK_EQ(o1, 0);
	TAP_CHECK_EQ(tessera_buddy_alloc(&b, 4096 * 3, &o2), 0);
	TAP_CHECK_EQ(o2, 4 * 4096);	/* 4-page block, naturally aligned */
	TAP_CHECK_EQ(tessera_buddy_block_size(&b, 4096 * 3), 4 * 4096);
	TAP_CHECK_EQ(tessera_buddy_alloc(&b, 8 * 4096, &o3), 0);
	TAP_CHECK_EQ(o3, 8 * 4096);
	TAP_CHECK_EQ(tessera_buddy_free_bytes(&b), 3 * 4096);
	TAP_CHECK_EQ(tessera_buddy_free(&b, 0, 1), 0);
	TAP_CHECK_EQ(tessera_buddy_free(&b, o2, 4096 * 3), 0);
	TAP_CHECK_EQ(tessera_buddy_largest_free(&b), 8 * 4096);
	TAP_CHECK_EQ(tessera_buddy_free(&b, o3, 8 * 4096), 0);
	TAP_CHECK_EQ(tessera_buddy_largest_free(&b), 16 * 4096);
	tessera_buddy_fini(&b);
}

static void test_errors(void)
{
	struct tessera_buddy b;
	u64 o;

	TAP_CHECK_EQ(tessera_buddy_init(&b, 16 * 4096, 12), 0);
	TAP_CHECK_EQ(tessera_buddy_alloc(&b, 0, &o), -EINVAL);
	TAP_CHECK_EQ(tessera_buddy_alloc(&b, 17 * 4096, &o), -ENOSPC);
	TAP_CHECK_EQ(tessera_buddy_alloc(&b, ~0ULL, &o), -ENOSPC);
	TAP_CHECK_EQ(tessera_buddy_alloc(&b, 4096, &o), 0);
	TAP_CHECK_EQ(tessera_buddy_free(&b, o, 4096), 0);
	TAP_CHECK_EQ(tessera_buddy_free(&b, o, 4096), -EINVAL);	/* double */
	TAP_CHECK_EQ(tessera_buddy_alloc(&b, 4096, &o), 0);
	TAP_CHECK_EQ(tessera_buddy_free(&b, o, 8192), -EINVAL);	/* wrong size */
	TAP_CHECK_EQ(tessera_buddy_free(&b, o + 1, 4096), -EINVAL);
	TAP_CHECK_EQ(tessera_buddy_free(&b, 64 * 4096, 4096), -EINVAL);
	TAP_CHECK_EQ(tessera_buddy_free(&b, o, 4096), 0);
	TAP_CHECK_EQ(tessera_buddy_free_bytes(&b), 16 * 4096);
	TAP_CHECK_EQ(tessera_buddy_largest_free(&b), 16 * 4096);
	tessera_buddy_fini(&b);
}

/* Long random create/destroy cycles: no overlap, full coalescing after. */
static void test_random_cycles(void)
{
	enum { N = 256 };
	struct tessera_buddy b;
	u64 off[N], sz[N];
	unsigned int seed = 12345, i, j, round;
	int used[N] = { 0 };
	const u64 total = 64 * MIB;

	TAP_CHECK_EQ(tessera_buddy_init(&b, total, 12), 0);
	for (round = 0; round < 20000; round++) {
		seed = seed * 1103515245 + 12345;
		i = (seed >> 8) % N;
		if (used[i]) {
			TAP_CHECK_EQ(tessera_buddy_free(&b, off[i], sz[i]), 0);
			used[i] = 0;
			continue;
		}
		sz[i] = 1 + (seed >> 4) % (2 * MIB);
		if (tessera_buddy_alloc(&b, sz[i], &off[i]))
			continue;
		used[i] = 1;
		TAP_CHECK(off[i] % tessera_buddy_block_size(&b, sz[i]) == 0);
		TAP_CHECK(off[i] + sz[i] <= total);
		for (j = 0; j < N; j++) {
			u64 e1, e2;

			if (j == i || !used[j])
				continue;
			e1 = off[i] + tessera_buddy_block_size(&b, sz[i]);
			e2 = off[j] + tessera_buddy_block_size(&b, sz[j]);
			if (off[i] < e2 && off[j] < e1) {
				TAP_CHECK(!"overlap");
				break;
			}
		}
	}
	for (i = 0; i < N; i++)
		if (used[i])
			TAP_CHECK_EQ(tessera_buddy_free(&b, off[i], sz[i]), 0);
	TAP_CHECK_EQ(tessera_buddy_free_bytes(&b), total);
	TAP_CHECK_EQ(tessera_buddy_largest_free(&b), total);
	tessera_buddy_fini(&b);
}

/* Context windows: fill VRAM with windows, free every other, refill. */
static void test_window_churn(void)
{
	struct tessera_buddy b;
	u64 w[32], o;
	unsigned int i, r;

	TAP_CHECK_EQ(tessera_buddy_init(&b, 512 * MIB, 16), 0);
	for (r = 0; r < 100; r++) {
		for (i = 0; i < 32; i++)
			TAP_CHECK_EQ(tessera_buddy_alloc(&b, 16 * MIB, &w[i]), 0);
		TAP_CHECK_EQ(tessera_buddy_alloc(&b, 16 * MIB, &o), -ENOSPC);
		for (i = 0; i < 32; i += 2)
			TAP_CHECK_EQ(tessera_buddy_free(&b, w[i], 16 * MIB), 0);
		for (i = 0; i < 32; i += 2)
			TAP_CHECK_EQ(tessera_buddy_alloc(&b, 16 * MIB, &w[i]), 0);
		for (i = 0; i < 32; i++)
			TAP_CHECK_EQ(tessera_buddy_free(&b, w[i], 16 * MIB), 0);
		TAP_CHECK_EQ(tessera_buddy_largest_free(&b), 512 * MIB);
	}
	tessera_buddy_fini(&b);
}

/*
 * tessera_buddy_capacity() is exact: on a fragmented allocator, exactly
 * that many allocations of the size succeed in a row, and the next fails.
 */
static void test_capacity(void)
{
	static const u64 sizes[] = { 1, 4096, 3 * 4096, 4 * 4096, 8 * 4096,
				     64 * 4096, 65 * 4096 };
	struct tessera_buddy b;
	u64 held[64], got[64], o, cap;
	unsigned int i, k, n = 0, m;

	TAP_CHECK_EQ(tessera_buddy_init(&b, 64 * 4096, 12), 0);
	TAP_CHECK_EQ(tessera_buddy_capacity(&b, 0), 0);
	TAP_CHECK_EQ(tessera_buddy_capacity(&b, 4096), 64);
	/* Fragment: every third page taken. */
	for (i = 0; i < 64; i++) {
		TAP_CHECK_EQ(tessera_buddy_alloc(&b, 4096, &o), 0);
		held[n++] = o;
	}
	for (i = 0; i < n; i++)
		if (held[i] % (3 * 4096))
			TAP_CHECK_EQ(tessera_buddy_free(&b, held[i], 4096), 0);
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		cap = tessera_buddy_capacity(&b, sizes[k]);
		for (m = 0; m < cap; m++)
			TAP_CHECK_EQ(tessera_buddy_alloc(&b, sizes[k], &got[m]), 0);
		TAP_CHECK_EQ(tessera_buddy_alloc(&b, sizes[k], &o), -ENOSPC);
		TAP_CHECK_EQ(tessera_buddy_capacity(&b, sizes[k]), 0);
		for (m = 0; m < cap; m++)
			TAP_CHECK_EQ(tessera_buddy_free(&b, got[m], sizes[k]), 0);
	}
	/* 22 pages taken (0, 3, ..., 63): 42 single pages, no 8-page block. */
	TAP_CHECK_EQ(tessera_buddy_capacity(&b, 4096), 42);
	TAP_CHECK_EQ(tessera_buddy_capacity(&b, 8 * 4096), 0);
	tessera_buddy_fini(&b);
}

int main(void)
{
	TAP_RUN(test_init_geometry);
	TAP_RUN(test_alloc_free_coalesce);
	TAP_RUN(test_errors);
	TAP_RUN(test_random_cycles);
	TAP_RUN(test_window_churn);
	TAP_RUN(test_capacity);
	return tap_done();
}
