/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/list.h> for the host unit tests: the part of
 * the kernel's doubly linked list that drivers/tessera/lib/ uses, with the
 * kernel's semantics.
 */
#ifndef TESSERA_UNIT_LINUX_LIST_H
#define TESSERA_UNIT_LINUX_LIST_H

#include <linux/types.h>

struct list_head {
	struct list_head *next, *prev;
};

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del_init(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	INIT_LIST_HEAD(n);
}

#endif /* TESSERA_UNIT_LINUX_LIST_H */
