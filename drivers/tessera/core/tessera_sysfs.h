/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_sysfs.c: the device's sysfs attributes.
 */
#ifndef TESSERA_SYSFS_H
#define TESSERA_SYSFS_H

#include <linux/types.h>

struct attribute_group;

extern const struct attribute_group *tessera_dev_groups[];

#endif /* TESSERA_SYSFS_H */
