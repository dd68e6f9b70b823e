/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_irq.c: interrupt vectors and their handlers.
 */
#ifndef TESSERA_IRQ_H
#define TESSERA_IRQ_H

#include <linux/types.h>

struct tessera_device;

int tessera_irq_init(struct tessera_device *tdev);
void tessera_irq_fini(struct tessera_device *tdev);
void tessera_irq_enable(struct tessera_device *tdev);
void tessera_irq_disable(struct tessera_device *tdev);
bool tessera_irq_mask_doorbell(struct tessera_device *tdev, bool mask);

#endif /* TESSERA_IRQ_H */
