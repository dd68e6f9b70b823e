// SPDX-License-Identifier: GPL-2.0
/*
 * VRAM management: the device-wide allocator of context windows (a buddy
 * allocator, tessera_buddy.c) and scrubbing. VRAM keeps its contents over
 * device reset, so every range is scrubbed before a new owner gets it.
 */
#include <linux/sched.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_vram.h"

#define TESSERA_VRAM_UNIT_SHIFT	16	/* windows are multiples of 64 KiB */
#define TESSERA_SCRUB_CHUNK	BIT_ULL(20)

/**
 * tessera_vram_init() - set up the VRAM window allocator
 * @tdev: device
 *
 * Return: 0 or a negative errno.
 */
int tessera_vram_init(struct tessera_device *tdev)
{
	u64 size = tdev->vram_size & ~((1ULL << TESSERA_VRAM_UNIT_SHIFT) - 1);
	int ret;

	ret = tessera_buddy_init(&tdev->vram_alloc, size,
				 TESSERA_VRAM_UNIT_SHIFT);
	if (ret)
		dev_err(&tdev->pdev->dev, "VRAM allocator: %d\n", ret);
	return ret;
}

/**
 * tessera_vram_fini() - tear down the VRAM window allocator
 * @tdev: device
 */
void tessera_vram_fini(struct tessera_device *tdev)
{
	tessera_buddy_fini(&tdev->vram_alloc);
}

/**
 * tessera_vram_scrub() - zero a VRAM range through BAR2
 * @tdev: device
 * @offset: VRAM offset
 * @size: bytes
 *
 * Context: process context, may sleep.
 */
void tessera_vram_scrub(struct tessera_device *tdev, u64 offset, u64 size)
{
	while (size) {
		u64 n = min(size, TESSERA_SCRUB_CHUNK);

		memset_io(tdev->vram + offset, 0, n);
		offset += n;
		size -= n;
		cond_resched();
	}
	/* Push write-combined stores out before the range is handed over. */
	wmb();
}
EXPORT_SYMBOL_NS_GPL(tessera_vram_scrub, TESSERA_NS);

/**
 * tessera_vram_window_alloc() - allocate and scrub a context's VRAM window
 * @tdev: device
 * @size: bytes (a power of two multiple of 64 KiB)
 * @base: out, VRAM offset
 *
 * Return: 0, -ENOSPC when VRAM is exhausted or too fragmented.
 */
int tessera_vram_window_alloc(struct tessera_device *tdev, u64 size,
			      u64 *base)
{
	int ret;

	mutex_lock(&tdev->lock);
	ret = tessera_buddy_alloc(&tdev->vram_alloc, size, base);
	mutex_unlock(&tdev->lock);
	if (ret)
		return ret;
	tessera_vram_scrub(tdev, *base, size);
	atomic64_add(size, &tdev->vram_used);
	return 0;
}

/**
 * tessera_vram_window_free() - return a context's VRAM window
 * @tdev: device
 * @base: VRAM offset from tessera_vram_window_alloc()
 * @size: its size
 */
void tessera_vram_window_free(struct tessera_device *tdev, u64 base, u64 size)
{
	int ret;

	mutex_lock(&tdev->lock);
	ret = tessera_buddy_free(&tdev->vram_alloc, base, size);
	mutex_unlock(&tdev->lock);
	if (ret)
		dev_err(&tdev->pdev->dev, "VRAM free of %llx+%llx: %d\n",
			base, size, ret);
	else
		atomic64_sub(size, &tdev->vram_used);
}
