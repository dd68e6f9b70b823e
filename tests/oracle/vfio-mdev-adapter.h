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

/* The selftests' lib functions, renamed at compile time (Makefile). */
char **vfio_upstream_get_bdfs(int *argc, char *argv[], int *nr_bdfs);
int vfio_upstream_sysfs_iommu_group_get(const char *bdf);
struct iommu;
struct iommu_iova_range *vfio_upstream_iommu_iova_ranges(struct iommu *iommu,
							 uint32_t *nranges);

#endif
