/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera buddy allocator: power-of-two blocks of a linear range (VRAM,
 * GART entries), one free bitmap per order, no per-block allocations, so
 * long create/destroy cycles never fragment it beyond what the buddy
 * scheme implies (freed buddies always coalesce). Pure logic: compiles in
 * userspace (tests/unit/test-buddy.c). Not locked: callers serialise.
 */
#ifndef TESSERA_BUDDY_H
#define TESSERA_BUDDY_H

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#define TESSERA_BUDDY_MAX_ORDER	40

struct tessera_buddy {
	u64 size;			/* bytes managed */
	u64 units;			/* size >> unit_shift */
	unsigned int unit_shift;	/* log2 of the smallest block */
	unsigned int max_order;		/* largest block: units << max_order */
	u64 free_units;
	u64 nfree[TESSERA_BUDDY_MAX_ORDER + 1];
	u64 *map[TESSERA_BUDDY_MAX_ORDER + 1];	/* bit i: block i free */
};

int tessera_buddy_init(struct tessera_buddy *b, u64 size,
		       unsigned int unit_shift);
void tessera_buddy_fini(struct tessera_buddy *b);
u64 tessera_buddy_block_size(const struct tessera_buddy *b, u64 size);
int tessera_buddy_alloc(struct tessera_buddy *b, u64 size, u64 *offset);
int tessera_buddy_free(struct tessera_buddy *b, u64 offset, u64 size);
u64 tessera_buddy_free_bytes(const struct tessera_buddy *b);
u64 tessera_buddy_largest_free(const struct tessera_buddy *b);
u64 tessera_buddy_capacity(const struct tessera_buddy *b, u64 size);

#endif /* TESSERA_BUDDY_H */
