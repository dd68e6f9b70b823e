/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_guest.c: guest mode, the decisions that differ when the device
 * tessera.ko binds is itself a vGPU (TESSERA_CAPS_VIRTUAL), as i915_vgpu.c
 * keeps i915's. Everywhere else the core drives a vGPU as it drives a
 * physical GPU, within what the vGPU exposes.
 */
#ifndef TESSERA_GUEST_H
#define TESSERA_GUEST_H

#include <linux/types.h>

struct tessera_device;

void tessera_guest_detect(struct tessera_device *tdev);
u32 tessera_guest_first_ctx(const struct tessera_device *tdev);
u32 tessera_guest_min_contexts(const struct tessera_device *tdev);
bool tessera_guest_has_next_port(const struct tessera_device *tdev);

#endif /* TESSERA_GUEST_H */
