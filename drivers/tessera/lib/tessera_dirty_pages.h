/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parts of the vGPU's DMA dirty logging (vgpu/tessera_vgpu_dirty.c):
 * the lookup of a guest page in the logged ranges, and the overflow
 * interval that stands in for marks that could not be kept one by one.
 * The same code runs in the kernel and in tests/unit/test-dirty.c.
 */
#ifndef TESSERA_DIRTY_PAGES_H
#define TESSERA_DIRTY_PAGES_H

#include <linux/errno.h>
#include <linux/types.h>

/**
 * struct tessera_pfn_range - a range of guest page numbers
 * @first: first page
 * @last: last page (inclusive)
 */
struct tessera_pfn_range {
	u64 first;
	u64 last;
};

/**
 * tessera_pfn_ranges_find() - is @pfn in one of @n sorted ranges?
 * @r: ranges, ascending and not overlapping
 * @n: entries of @r
 * @pfn: guest page number
 *
 * Return: true if a range holds @pfn.
 */
static inline bool tessera_pfn_ranges_find(const struct tessera_pfn_range *r,
					   u32 n, u64 pfn)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (pfn < r[mid].first)
			hi = mid;
		else if (pfn > r[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/**
 * struct tessera_dirty_iv - pages dirty as a whole: [@first, @end)
 * @first: first page
 * @end: one past the last page; the interval is empty unless above @first
 */
struct tessera_dirty_iv {
	u64 first;
	u64 end;
};

/** tessera_dirty_iv_has() - Return: @pfn is in @iv */
static inline bool tessera_dirty_iv_has(const struct tessera_dirty_iv *iv,
					u64 pfn)
{
	return iv->end > iv->first && pfn >= iv->first && pfn < iv->end;
}

/**
 * tessera_dirty_iv_add() - make @iv cover @pfn too
 * @iv: interval (grows to the smallest one holding it and @pfn)
 * @pfn: guest page number (below U64_MAX)
 */
static inline void tessera_dirty_iv_add(struct tessera_dirty_iv *iv, u64 pfn)
{
	if (iv->end <= iv->first) {
		iv->first = pfn;
		iv->end = pfn + 1;
		return;
	}
	if (pfn < iv->first)
		iv->first = pfn;
	if (pfn + 1 > iv->end)
		iv->end = pfn + 1;
}

/**
 * tessera_dirty_iv_take() - report the part of @iv in [@first, @end)
 * @iv: interval; it shrinks by the part reported when that part is at one
 *	of its ends (a part strictly inside stays: reported again later,
 *	which is conservative, never lost)
 * @first: first page of the report
 * @end: one past its last page
 * @a: set to the first page of the part
 * @b: set to one past its last page
 *
 * Return: pages in the part (0: nothing of @iv in the report).
 */
static inline u64 tessera_dirty_iv_take(struct tessera_dirty_iv *iv, u64 first,
					u64 end, u64 *a, u64 *b)
{
	u64 lo = first > iv->first ? first : iv->first;
	u64 hi = end < iv->end ? end : iv->end;

	if (iv->end <= iv->first || lo >= hi)
		return 0;
	*a = lo;
	*b = hi;
	if (lo == iv->first)
		iv->first = hi;
	else if (hi == iv->end)
		iv->end = lo;
	return hi - lo;
}

#endif /* TESSERA_DIRTY_PAGES_H */
