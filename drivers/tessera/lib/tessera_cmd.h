/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of command streams that userspace submits to a ring. Pure
 * logic: compiles in userspace (tests/unit/test-cmd.c).
 */
#ifndef TESSERA_CMD_H
#define TESSERA_CMD_H

#include <linux/errno.h>
#include <linux/types.h>

/**
 * struct tessera_cmd_limits - what a submission may address and use
 * @vram_size: bytes of the context's VRAM window (GPU VA [0, vram_size))
 * @gart_size: bytes of the context's GART window, at TESSERA_VA_GART
 * @compute: the target engine is a compute engine (AXPY, CHECKSUM)
 */
struct tessera_cmd_limits {
	u64 vram_size;
	u64 gart_size;
	bool compute;
};

/* Why a stream was rejected (reported through @why, for logs/tests). */
enum tessera_cmd_error {
	TESSERA_CMD_OK = 0,
	TESSERA_CMD_ERR_TRUNCATED,	/* command runs past the end */
	TESSERA_CMD_ERR_OPCODE,		/* unknown / not allowed here */
	TESSERA_CMD_ERR_LENGTH,		/* wrong length field */
	TESSERA_CMD_ERR_FLAGS,		/* flags not allowed */
	TESSERA_CMD_ERR_ENGINE,		/* opcode needs a compute engine */
	TESSERA_CMD_ERR_SIZE,		/* operand size over the limit */
	TESSERA_CMD_ERR_ALIGN,		/* misaligned operand */
	TESSERA_CMD_ERR_RANGE,		/* operand outside the windows */
};

int tessera_cmd_validate(const u32 *dw, u32 ndw,
			 const struct tessera_cmd_limits *lim,
			 u32 *bad_dword, enum tessera_cmd_error *why);
bool tessera_cmd_range_ok(const struct tessera_cmd_limits *lim, u64 va,
			  u64 bytes);

#endif /* TESSERA_CMD_H */
