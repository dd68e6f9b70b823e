/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/string.h> for the host unit tests. */
#ifndef TESSERA_UNIT_LINUX_STRING_H
#define TESSERA_UNIT_LINUX_STRING_H

#include <string.h>

#endif /* TESSERA_UNIT_LINUX_STRING_H */
