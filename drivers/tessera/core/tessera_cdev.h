/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_cdev.c: the native device file, /dev/tesseraN.
 */
#ifndef TESSERA_CDEV_H
#define TESSERA_CDEV_H

#include <linux/types.h>

struct tessera_device;

int tessera_cdev_register(struct tessera_device *tdev);
void tessera_cdev_unregister(struct tessera_device *tdev);

#endif /* TESSERA_CDEV_H */
