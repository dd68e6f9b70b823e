/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio-mdev-adapter.h - what the patched kernel VFIO selftests call in the
 * build-time adapter (vfio-mdev-adapter.c).
 */
#ifndef TESSERA_VFIO_MDEV_ADAPTER_H
#define TESSERA_VFIO_MDEV_ADAPTER_H

#include <stdbool.h>
#include <stdint.h>

bool vfio_oracle_is_mdev(const char *name);
uint16_t vfio_oracle_pci_id(const char *dev, const char *file);

#endif
