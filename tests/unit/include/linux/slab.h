/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/slab.h> for the host unit tests: the
 * allocations of drivers/tessera/lib/ on the C library's heap (where
 * AddressSanitizer watches them).
 */
#ifndef TESSERA_UNIT_LINUX_SLAB_H
#define TESSERA_UNIT_LINUX_SLAB_H

#include <stdlib.h>

#define GFP_KERNEL	0u

static inline void *kvcalloc(size_t n, size_t size, unsigned int gfp)
{
	(void)gfp;
	return calloc(n, size);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

#endif /* TESSERA_UNIT_LINUX_SLAB_H */
