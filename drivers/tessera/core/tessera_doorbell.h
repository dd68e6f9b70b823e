/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_doorbell.c: doorbell interrupts and the doorbell work.
 */
#ifndef TESSERA_DOORBELL_H
#define TESSERA_DOORBELL_H

#include <linux/types.h>

struct tessera_device;

#define TESSERA_DB_PASSES_PER_MS	4	/* then the unmask waits a tick */
void tessera_doorbell_init(struct tessera_device *tdev);
bool tessera_doorbell_irq(struct tessera_device *tdev);
void tessera_doorbell_quiesce(struct tessera_device *tdev);

#endif /* TESSERA_DOORBELL_H */
