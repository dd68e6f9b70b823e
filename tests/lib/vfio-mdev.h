/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio-mdev: mediated devices (mdev) for Tessera's in-VM tests: find the
 * parent, create/remove vGPUs through sysfs, and open one through its IOMMU
 * group (VFIO group/container API, type1 IOMMU) into a struct vfio_dev or
 * a struct tess_dev, so that vfio-dev.h and tessera-hw.h work on it.
 *
 * Every function returns 0 (or a non-negative value) on success and a
 * negative errno on failure.
 */
#ifndef TESSERA_TESTS_VFIO_MDEV_H
#define TESSERA_TESTS_VFIO_MDEV_H

#include "vfio-dev.h"
#include "tessera-hw.h"

#define MDEV_SYSFS_DEVICES	"/sys/bus/mdev/devices"
#define MDEV_UUID_LEN		37

/**
 * mdev_parent_find() - first PCI device offering types named @prefix*
 * @prefix: type directory prefix, e.g. "tessera-"
 * @path: buffer for .../mdev_supported_types
 * @len: size of @path
 *
 * Return: 0 or -ENOENT.
 */
int mdev_parent_find(const char *prefix, char *path, size_t len);

/**
 * mdev_types() - list the type directories of a parent
 * @parent: .../mdev_supported_types
 * @names: filled with type names (sorted)
 * @max: capacity of @names
 *
 * Return: the number of types, or a negative errno.
 */
int mdev_types(const char *parent, char names[][64], int max);

/** mdev_available() - available_instances of a type, or a negative errno */
int mdev_available(const char *parent, const char *type);

/** mdev_type_attr() - read a type attribute (name, description, ...) */
int mdev_type_attr(const char *parent, const char *type, const char *attr,
		   char *buf, size_t len);

/**
 * mdev_uuid_gen() - a random UUID string
 * @uuid: buffer of MDEV_UUID_LEN bytes
 */
void mdev_uuid_gen(char *uuid);

/**
 * mdev_create() - write @uuid to the type's create file
 * @parent: .../mdev_supported_types
 * @type: type directory name
 * @uuid: UUID string
 *
 * Return: 0 or the negative errno of the write (e.g. -ENOSPC, -EEXIST).
 */
int mdev_create(const char *parent, const char *type, const char *uuid);

/** mdev_remove() - write 1 to the mdev's remove file */
int mdev_remove(const char *uuid);

/** mdev_attr() - read /sys/bus/mdev/devices/UUID/@attr (trailing \n cut) */
int mdev_attr(const char *uuid, const char *attr, char *buf, size_t len);

/** mdev_attr_u64() - mdev_attr() parsed as a number (strtoull base 0) */
long long mdev_attr_u64(const char *uuid, const char *attr);

/**
 * vfio_mdev_open() - open an mdev through its group (own container)
 * @dev: filled in (as vfio_dev_open() does, @dev->bdf = the UUID)
 * @uuid: the mdev
 *
 * Return: 0 or a negative errno (@dev->err says why).
 */
int vfio_mdev_open(struct vfio_dev *dev, const char *uuid);

/**
 * tess_open_mdev() - open a Tessera vGPU like tess_open() opens a GPU
 * @t: filled in
 * @uuid: the mdev
 *
 * Return: 0 or a negative errno (@t->err says why).
 */
int tess_open_mdev(struct tess_dev *t, const char *uuid);

#endif /* TESSERA_TESTS_VFIO_MDEV_H */
