/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of the kernel headers the driver's pure logic
 * (drivers/tessera/lib/) includes, for the host unit tests (tests/unit):
 * the system's uapi <linux/types.h> plus the kernel's short type names.
 */
#ifndef TESSERA_UNIT_LINUX_TYPES_H
#define TESSERA_UNIT_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#endif /* TESSERA_UNIT_LINUX_TYPES_H */
