/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_debugfs.c: the debugfs files.
 */
#ifndef TESSERA_DEBUGFS_H
#define TESSERA_DEBUGFS_H

#include <linux/types.h>

struct tessera_device;

void tessera_debugfs_module_init(void);
void tessera_debugfs_module_exit(void);
void tessera_debugfs_init(struct tessera_device *tdev);
void tessera_debugfs_fini(struct tessera_device *tdev);

#endif /* TESSERA_DEBUGFS_H */
