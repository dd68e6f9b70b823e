/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Portability shim for Tessera's pure logic (allocators, scheduling policy,
 * command validation): the same source compiles in the kernel and in
 * userspace (tests/unit). Only this header differs between the two.
 */
#ifndef TESSERA_PURE_H
#define TESSERA_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mm.h>

#include "tessera_compat.h"	/* TESSERA_NS */

#define tpure_zalloc(n)		kvzalloc((n), GFP_KERNEL)
#define tpure_free(p)		kvfree(p)
#else
#include <linux/types.h>
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#define tpure_zalloc(n)		calloc(1, (n))
#define tpure_free(p)		free(p)
#endif

/* Minimal intrusive doubly linked list usable on both sides. */
struct tpure_node {
	struct tpure_node *next, *prev;
};

static inline void tpure_list_init(struct tpure_node *h)
{
	h->next = h;
	h->prev = h;
}

static inline bool tpure_list_empty(const struct tpure_node *h)
{
	return h->next == h;
}

static inline void tpure_list_add_tail(struct tpure_node *n,
				       struct tpure_node *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void tpure_list_del(struct tpure_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n;
	n->prev = n;
}

#define tpure_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#endif /* TESSERA_PURE_H */
