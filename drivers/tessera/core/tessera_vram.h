/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_vram.c: the VRAM allocator: context windows in the device's VRAM.
 */
#ifndef TESSERA_VRAM_H
#define TESSERA_VRAM_H

#include <linux/types.h>

struct tessera_device;

int tessera_vram_init(struct tessera_device *tdev);
void tessera_vram_fini(struct tessera_device *tdev);
int tessera_vram_window_alloc(struct tessera_device *tdev, u64 size,
			      u64 *base);
void tessera_vram_window_free(struct tessera_device *tdev, u64 base,
			      u64 size);

#endif /* TESSERA_VRAM_H */
