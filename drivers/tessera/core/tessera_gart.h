/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_gart.c: the GART allocator and the GART mappings of user memory.
 */
#ifndef TESSERA_GART_H
#define TESSERA_GART_H

#include <linux/types.h>

struct tessera_ctx;
struct tessera_device;
struct tessera_gart_mapping;

void tessera_gart_note(struct tessera_device *tdev, u32 entry, u64 val);
int tessera_gart_init(struct tessera_device *tdev);
void tessera_gart_fini(struct tessera_device *tdev);
int tessera_gart_window_alloc(struct tessera_device *tdev, u32 entries,
			      u32 *base);
void tessera_gart_window_free(struct tessera_device *tdev, u32 base,
			      u32 entries);
int tessera_gart_map_user(struct tessera_ctx *ctx, u64 uaddr, u64 size,
			  bool writable, struct tessera_gart_mapping **out);
void tessera_gart_unmap(struct tessera_ctx *ctx,
			struct tessera_gart_mapping *m, bool quiesce);

#endif /* TESSERA_GART_H */
