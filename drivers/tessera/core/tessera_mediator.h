/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_mediator.c: the registration of the vGPU module's mediator
 * (<tessera/tessera_core.h>), as the probe and remove of a GPU see it.
 */
#ifndef TESSERA_MEDIATOR_H
#define TESSERA_MEDIATOR_H

#include <linux/types.h>

struct tessera_device;

void tessera_mediator_add(struct tessera_device *tdev);
void tessera_mediator_remove(struct tessera_device *tdev);

#endif /* TESSERA_MEDIATOR_H */
