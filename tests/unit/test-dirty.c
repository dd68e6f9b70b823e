// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pure parts of the vGPU's DMA dirty logging
 * (drivers/tessera/lib/tessera_dirty_pages.h): the lookup of a page in the
 * logged ranges and the overflow interval, which must never lose a page.
 */
#include "tap.h"
#include "tessera_dirty_pages.h"

static void test_ranges(void)
{
	static const struct tessera_pfn_range r[] = {
		{ 0x10, 0x1f }, { 0x40, 0x40 }, { 0x100, 0x1ff },
	};

	TAP_CHECK(!tessera_pfn_ranges_find(r, 3, 0));
	TAP_CHECK(tessera_pfn_ranges_find(r, 3, 0x10));
	TAP_CHECK(tessera_pfn_ranges_find(r, 3, 0x1f));
	TAP_CHECK(!tessera_pfn_ranges_find(r, 3, 0x20));
	TAP_CHECK(tessera_pfn_ranges_find(r, 3, 0x40));
	TAP_CHECK(!tessera_pfn_ranges_find(r, 3, 0x41));
	TAP_CHECK(tessera_pfn_ranges_find(r, 3, 0x1ff));
	TAP_CHECK(!tessera_pfn_ranges_find(r, 3, 0x200));
	TAP_CHECK(!tessera_pfn_ranges_find(r, 0, 0x10));
}

static void test_iv_grows(void)
{
	struct tessera_dirty_iv iv = { 0, 0 };

	TAP_CHECK(!tessera_dirty_iv_has(&iv, 0));
	tessera_dirty_iv_add(&iv, 7);
	TAP_CHECK(tessera_dirty_iv_has(&iv, 7));
	TAP_CHECK(!tessera_dirty_iv_has(&iv, 8));
	tessera_dirty_iv_add(&iv, 3);
	tessera_dirty_iv_add(&iv, 20);
	TAP_CHECK_EQ(iv.first, 3);
	TAP_CHECK_EQ(iv.end, 21);
	tessera_dirty_iv_add(&iv, 10);
	TAP_CHECK_EQ(iv.first, 3);
	TAP_CHECK_EQ(iv.end, 21);
}

static void test_iv_take(void)
{
	struct tessera_dirty_iv iv = { 10, 30 };
	u64 a = 0, b = 0;

	/* Outside: nothing. */
	TAP_CHECK_EQ(tessera_dirty_iv_take(&iv, 0, 10, &a, &b), 0);
	TAP_CHECK_EQ(tessera_dirty_iv_take(&iv, 30, 40, &a, &b), 0);
	/* Strictly inside: reported, kept. */
	TAP_CHECK_EQ(tessera_dirty_iv_take(&iv, 15, 20, &a, &b), 5);
	TAP_CHECK_EQ(a, 15);
	TAP_CHECK_EQ(b, 20);
	TAP_CHECK_EQ(iv.first, 10);
	TAP_CHECK_EQ(iv.end, 30);
	/* Its low end: shrinks from below. */
	TAP_CHECK_EQ(tessera_dirty_iv_take(&iv, 0, 12, &a, &b), 2);
	TAP_CHECK_EQ(a, 10);
	TAP_CHECK_EQ(b, 12);
	TAP_CHECK_EQ(iv.first, 12);
	/* Its high end: shrinks from above. */
	TAP_CHECK_EQ(tessera_dirty_iv_take(&iv, 25, 100, &a, &b), 5);
	TAP_CHECK_EQ(iv.end, 25);
	/* All of it: empty. */
	TAP_CHECK_EQ(tessera_dirty_iv_take(&iv, 0, 100, &a, &b), 13);
	TAP_CHECK_EQ(a, 12);
	TAP_CHECK_EQ(b, 25);
	TAP_CHECK(!tessera_dirty_iv_has(&iv, 12));
	TAP_CHECK_EQ(tessera_dirty_iv_take(&iv, 0, 100, &a, &b), 0);
}

/*
 * Never lost: pages added at random, reported by random chunks, each page
 * is reported at least once after it was added.
 */
static void test_iv_never_loses(void)
{
	struct tessera_dirty_iv iv = { 0, 0 };
	static unsigned char want[256], seen[256];
	u64 x = 0x9e3779b97f4a7c15ull, a, b, p;
	int round, i, lost = 0;

	for (round = 0; round < 2000; round++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (x & 1) {
			p = (x >> 8) & 255;
			tessera_dirty_iv_add(&iv, p);
			want[p] = 1;
			seen[p] = 0;
			continue;
		}
		a = (x >> 8) & 255;
		b = a + ((x >> 16) & 63) + 1;
		if (!tessera_dirty_iv_take(&iv, a, b, &a, &b))
			continue;
		for (p = a; p < b && p < 256; p++)
			seen[p] = 1;
		/* Whatever left the interval was reported. */
		for (i = 0; i < 256; i++)
			if (want[i] && !seen[i] && !tessera_dirty_iv_has(&iv, i))
				lost++;
		for (i = 0; i < 256; i++)
			if (seen[i] && !tessera_dirty_iv_has(&iv, i))
				want[i] = 0;
	}
	TAP_CHECK_EQ(lost, 0);
}

int main(void)
{
	TAP_RUN(test_ranges);
	TAP_RUN(test_iv_grows);
	TAP_RUN(test_iv_take);
	TAP_RUN(test_iv_never_loses);
	return tap_done();
}
