// SPDX-License-Identifier: GPL-2.0
/*
 * Guest mode: a vGPU (TESSERA_CAPS_VIRTUAL, Documentation/dev/mediation.rst)
 * driven by tessera.ko inside a VM. A vGPU shows one context (its own,
 * number 0), and its engines have no second submission port
 * (ENG_NEXT_CTX reads 0). These functions are the only places the core
 * decides by that; the rest drives a vGPU as a physical GPU.
 */
#include <linux/device.h>

#include "tessera_drv.h"
#include "tessera_guest.h"

/**
 * tessera_guest_detect() - note whether the device is a vGPU
 * @tdev: device, its caps read
 *
 * Sets @tdev->is_virtual from TESSERA_CAPS_VIRTUAL; the vGPU PCI device
 * id without the capability is logged (and driven as a physical GPU).
 */
void tessera_guest_detect(struct tessera_device *tdev)
{
	tdev->is_virtual = !!(tdev->caps & TESSERA_CAPS_VIRTUAL);
	if (tdev->pdev->device == TESSERA_PCI_VGPU_DEVICE_ID &&
	    !tdev->is_virtual)
		dev_warn(&tdev->pdev->dev,
			 "vGPU device id without TESSERA_CAPS_VIRTUAL\n");
}

/**
 * tessera_guest_first_ctx() - the first context the core hands out
 * @tdev: device
 *
 * Return: 1 on a physical GPU, whose context 0 stays with the host; 0 on
 * a vGPU, which has no other.
 */
u32 tessera_guest_first_ctx(const struct tessera_device *tdev)
{
	return tdev->is_virtual ? 0 : 1;
}

/**
 * tessera_guest_min_contexts() - the fewest contexts the core can use
 * @tdev: device
 *
 * Return: tessera_guest_first_ctx() + 1.
 */
u32 tessera_guest_min_contexts(const struct tessera_device *tdev)
{
	return tessera_guest_first_ctx(tdev) + 1;
}

/**
 * tessera_guest_has_next_port() - the engines take a context to switch to
 * @tdev: device
 *
 * Return: false on a vGPU: its ENG_NEXT_CTX reads 0, so the scheduler's
 * work switches clients itself instead of handing the engine the next one
 * with the preemption.
 */
bool tessera_guest_has_next_port(const struct tessera_device *tdev)
{
	return !tdev->is_virtual;
}
