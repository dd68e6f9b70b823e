// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera buddy allocator (see tessera_buddy.h). Lowest-address-first
 * within the smallest sufficient order, so that long-lived blocks gather at
 * the bottom of the range and large blocks stay available at the top.
 */
#include "tessera_buddy.h"

static inline bool bit_test(const u64 *map, u64 i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static inline void bit_set(u64 *map, u64 i)
{
	map[i / 64] |= 1ULL << (i % 64);
}

static inline void bit_clear(u64 *map, u64 i)
{
	map[i / 64] &= ~(1ULL << (i % 64));
}

/* True when any bit in [from, to) is set. */
static bool bits_any(const u64 *map, u64 from, u64 to)
{
	while (from < to) {
		if (!(from % 64) && to - from >= 64) {
			if (map[from / 64])
				return true;
			from += 64;
			continue;
		}
		if (bit_test(map, from))
			return true;
		from++;
	}
	return false;
}

static u64 nbits(const struct tessera_buddy *b, unsigned int order)
{
	return b->units >> order;
}

static unsigned int order_for(const struct tessera_buddy *b, u64 size)
{
	u64 units = (size + (1ULL << b->unit_shift) - 1) >> b->unit_shift;
	unsigned int order = 0;

	while ((1ULL << order) < units && order < 63)
		order++;
	return order;
}

/**
 * tessera_buddy_init() - set up an allocator over [0, size)
 * @b: allocator
 * @size: bytes managed; a non-zero multiple of the unit
 * @unit_shift: log2 of the smallest block, 12..30
 *
 * Return: 0, -EINVAL on a bad geometry, -ENOMEM.
 */
int tessera_buddy_init(struct tessera_buddy *b, u64 size,
		       unsigned int unit_shift)
{
	unsigned int k;
	u64 off;

	memset(b, 0, sizeof(*b));
	if (unit_shift < 12 || unit_shift > 30 || !size ||
	    size & ((1ULL << unit_shift) - 1))
		return -EINVAL;
	b->size = size;
	b->unit_shift = unit_shift;
	b->units = size >> unit_shift;
	while (b->max_order < TESSERA_BUDDY_MAX_ORDER &&
	       (2ULL << b->max_order) <= b->units)
		b->max_order++;
	for (k = 0; k <= b->max_order; k++) {
		b->map[k] = kvcalloc(nbits(b, k) / 64 + 1, sizeof(u64), GFP_KERNEL);
		if (!b->map[k]) {
			tessera_buddy_fini(b);
			return -ENOMEM;
		}
	}
	/* Seed with the largest aligned blocks that fit. */
	for (off = 0; off < b->units; off += 1ULL << k) {
		k = b->max_order;
		while (k && ((off & ((1ULL << k) - 1)) ||
			     off + (1ULL << k) > b->units))
			k--;
		bit_set(b->map[k], off >> k);
		b->nfree[k]++;
	}
	b->free_units = b->units;
	return 0;
}

/**
 * tessera_buddy_fini() - release the allocator's bitmaps
 * @b: allocator (may be partly initialised or zeroed)
 */
void tessera_buddy_fini(struct tessera_buddy *b)
{
	unsigned int k;

	for (k = 0; k <= TESSERA_BUDDY_MAX_ORDER; k++) {
		kvfree(b->map[k]);
		b->map[k] = NULL;
	}
	b->units = 0;
}

/**
 * tessera_buddy_block_size() - bytes actually taken by an allocation
 * @b: allocator
 * @size: requested bytes
 *
 * Return: @size rounded up to a power-of-two number of units.
 */
u64 tessera_buddy_block_size(const struct tessera_buddy *b, u64 size)
{
	return (1ULL << order_for(b, size)) << b->unit_shift;
}

/**
 * tessera_buddy_alloc() - allocate a naturally aligned block
 * @b: allocator
 * @size: bytes wanted (rounded up, see tessera_buddy_block_size())
 * @offset: out, the block's offset
 *
 * Return: 0, -EINVAL for size 0, -ENOSPC when no block is large enough.
 */
int tessera_buddy_alloc(struct tessera_buddy *b, u64 size, u64 *offset)
{
	unsigned int order, j;
	u64 w, i, words;

	if (!size || !b->units)
		return -EINVAL;
	if (size > b->size)
		return -ENOSPC;
	order = order_for(b, size);
	if (order > b->max_order)
		return -ENOSPC;
	for (j = order; j <= b->max_order && !b->nfree[j]; j++)
		;
	if (j > b->max_order)
		return -ENOSPC;
	words = nbits(b, j) / 64 + 1;
	for (w = 0; w < words && !b->map[j][w]; w++)
		;
	if (w == words)
		return -ENOSPC;	/* counters corrupted; never expected */
	i = w * 64 + __builtin_ctzll(b->map[j][w]);
	bit_clear(b->map[j], i);
	b->nfree[j]--;
	while (j > order) {
		j--;
		i <<= 1;
		bit_set(b->map[j], i + 1);
		b->nfree[j]++;
	}
	b->free_units -= 1ULL << order;
	*offset = (i << order) << b->unit_shift;
	return 0;
}

/**
 * tessera_buddy_free() - return a block and coalesce it with its buddies
 * @b: allocator
 * @offset: offset returned by tessera_buddy_alloc()
 * @size: the size passed to tessera_buddy_alloc()
 *
 * Return: 0, or -EINVAL when the block was not allocated (double free, bad
 * offset or size); the allocator is unchanged then.
 */
int tessera_buddy_free(struct tessera_buddy *b, u64 offset, u64 size)
{
	unsigned int order, k;
	u64 i, n;

	if (!size || !b->units || offset & ((1ULL << b->unit_shift) - 1) ||
	    size > b->size)
		return -EINVAL;
	order = order_for(b, size);
	if (order > b->max_order)
		return -EINVAL;
	i = offset >> b->unit_shift;
	if (i & ((1ULL << order) - 1))
		return -EINVAL;
	i >>= order;
	if (i >= nbits(b, order))
		return -EINVAL;
	/* Already free, or inside a free block? */
	for (k = order; k <= b->max_order; k++)
		if (bit_test(b->map[k], i >> (k - order)))
			return -EINVAL;
	/* Part of it free at a smaller order (wrong size)? */
	for (k = 0; k < order; k++) {
		n = 1ULL << (order - k);
		if (bits_any(b->map[k], i * n, i * n + n))
			return -EINVAL;
	}
	b->free_units += 1ULL << order;
	while (order < b->max_order) {
		u64 buddy = i ^ 1;

		if (buddy >= nbits(b, order) || !bit_test(b->map[order], buddy))
			break;
		bit_clear(b->map[order], buddy);
		b->nfree[order]--;
		i >>= 1;
		order++;
	}
	bit_set(b->map[order], i);
	b->nfree[order]++;
	return 0;
}

/**
 * tessera_buddy_free_bytes() - bytes not allocated
 * @b: allocator
 *
 * Return: free bytes.
 */
u64 tessera_buddy_free_bytes(const struct tessera_buddy *b)
{
	return b->free_units << b->unit_shift;
}

/**
 * tessera_buddy_capacity() - how many blocks of a size can still be had
 * @b: allocator
 * @size: bytes of each (rounded up, see tessera_buddy_block_size())
 *
 * Exact: every free block of the size's order or larger splits into
 * blocks of that order.
 *
 * Return: the number of tessera_buddy_alloc(@b, @size) calls that would
 * succeed in a row; 0 for size 0.
 */
u64 tessera_buddy_capacity(const struct tessera_buddy *b, u64 size)
{
	unsigned int order, o;
	u64 n = 0;

	if (!size || !b->units || size > b->size)
		return 0;
	order = order_for(b, size);
	for (o = order; o <= b->max_order; o++)
		n += b->nfree[o] << (o - order);
	return n;
}

/**
 * tessera_buddy_largest_free() - size of the largest free block
 * @b: allocator
 *
 * Return: bytes, 0 when full.
 */
u64 tessera_buddy_largest_free(const struct tessera_buddy *b)
{
	int k;

	if (!b->units)
		return 0;
	for (k = b->max_order; k >= 0; k--)
		if (b->nfree[k])
			return (1ULL << k) << b->unit_shift;
	return 0;
}
