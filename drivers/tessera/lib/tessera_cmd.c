// SPDX-License-Identifier: GPL-2.0
/*
 * Command stream validation for ring submissions. The device checks every
 * access itself (a bad command faults the context, nothing else); this
 * check rejects what is statically wrong before it reaches a ring, so that
 * a process gets -EINVAL instead of a fault, and so that commands which
 * would disturb the kernel's own bookkeeping (interrupting fences,
 * batch-only opcodes) never enter a ring. Batches live in the context's
 * memory and are checked by the device only.
 */
#include "tessera_cmd.h"
#include <tessera/tessera_regs.h>

static inline u64 qw(const u32 *dw, u32 i)
{
	return (u64)dw[i] | ((u64)dw[i + 1] << 32);
}

/**
 * tessera_cmd_range_ok() - is [va, va + bytes) inside one window?
 * @lim: the context's windows
 * @va: GPU virtual address
 * @bytes: length; 0 is always accepted (the device treats it as a no-op)
 *
 * Return: true when the range lies in the VRAM or in the GART window.
 */
bool tessera_cmd_range_ok(const struct tessera_cmd_limits *lim, u64 va,
			  u64 bytes)
{
	if (!bytes)
		return true;
	if (va + bytes < va)
		return false;
	if (va + bytes <= lim->vram_size)
		return true;
	if (va >= TESSERA_VA_GART &&
	    va - TESSERA_VA_GART + bytes <= lim->gart_size)
		return true;
	return false;
}

static enum tessera_cmd_error check_one(const u32 *dw, u32 len,
					const struct tessera_cmd_limits *lim)
{
	u32 hdr = dw[0];
	u32 op = TESSERA_CMD_OP(hdr), flags = TESSERA_CMD_FLAGS(hdr);
	u64 a, b, n;

	switch (op) {
	case TESSERA_OP_NOP:
		return flags ? TESSERA_CMD_ERR_FLAGS : TESSERA_CMD_OK;
	case TESSERA_OP_FENCE:
		/*
		 * The kernel owns the ring's fence and its interrupts: a
		 * client's fence only writes memory (FENCE_WRITE, required
		 * by the UAPI). Without it the command would set the ring
		 * fence and could claim that jobs completed which never ran.
		 */
		if (len != TESSERA_FENCE_LEN)
			return TESSERA_CMD_ERR_LENGTH;
		if (flags != TESSERA_FENCE_WRITE)
			return TESSERA_CMD_ERR_FLAGS;
		a = qw(dw, 3);
		if (a & 7)
			return TESSERA_CMD_ERR_ALIGN;
		return tessera_cmd_range_ok(lim, a, 8) ? TESSERA_CMD_OK :
		       TESSERA_CMD_ERR_RANGE;
	case TESSERA_OP_COPY:
	case TESSERA_OP_CHECKSUM:
		if (len != TESSERA_COPY_LEN)
			return TESSERA_CMD_ERR_LENGTH;
		if (flags)
			return TESSERA_CMD_ERR_FLAGS;
		if (op == TESSERA_OP_CHECKSUM && !lim->compute)
			return TESSERA_CMD_ERR_ENGINE;
		a = qw(dw, 1);
		b = qw(dw, 3);
		n = dw[5];
		if (n > TESSERA_MAX_COPY_BYTES)
			return TESSERA_CMD_ERR_SIZE;
		if (op == TESSERA_OP_CHECKSUM) {
			if (a & 3)
				return TESSERA_CMD_ERR_ALIGN;
			if (!tessera_cmd_range_ok(lim, a, 4))
				return TESSERA_CMD_ERR_RANGE;
		} else if (!tessera_cmd_range_ok(lim, a, n)) {
			return TESSERA_CMD_ERR_RANGE;
		}
		return tessera_cmd_range_ok(lim, b, n) ? TESSERA_CMD_OK :
		       TESSERA_CMD_ERR_RANGE;
	case TESSERA_OP_FILL:
		if (len != TESSERA_FILL_LEN)
			return TESSERA_CMD_ERR_LENGTH;
		if (flags)
			return TESSERA_CMD_ERR_FLAGS;
		a = qw(dw, 1);
		n = dw[3];
		if (n > TESSERA_MAX_COPY_BYTES)
			return TESSERA_CMD_ERR_SIZE;
		if ((a | n) & 3)
			return TESSERA_CMD_ERR_ALIGN;
		return tessera_cmd_range_ok(lim, a, n) ? TESSERA_CMD_OK :
		       TESSERA_CMD_ERR_RANGE;
	case TESSERA_OP_AXPY:
		if (len != TESSERA_AXPY_LEN)
			return TESSERA_CMD_ERR_LENGTH;
		if (flags)
			return TESSERA_CMD_ERR_FLAGS;
		if (!lim->compute)
			return TESSERA_CMD_ERR_ENGINE;
		a = qw(dw, 1);
		b = qw(dw, 3);
		n = dw[5];
		if (n > TESSERA_MAX_AXPY_COUNT)
			return TESSERA_CMD_ERR_SIZE;
		if ((a | b) & 3)
			return TESSERA_CMD_ERR_ALIGN;
		if (!tessera_cmd_range_ok(lim, a, n * 4) ||
		    !tessera_cmd_range_ok(lim, b, n * 4))
			return TESSERA_CMD_ERR_RANGE;
		return TESSERA_CMD_OK;
	case TESSERA_OP_BATCH_CALL:
		if (len != TESSERA_BATCH_CALL_LEN)
			return TESSERA_CMD_ERR_LENGTH;
		if (flags)
			return TESSERA_CMD_ERR_FLAGS;
		a = qw(dw, 1);
		n = dw[3];
		if (n > TESSERA_MAX_BATCH_BYTES)
			return TESSERA_CMD_ERR_SIZE;
		if ((a | n) & 3)
			return TESSERA_CMD_ERR_ALIGN;
		return tessera_cmd_range_ok(lim, a, n) ? TESSERA_CMD_OK :
		       TESSERA_CMD_ERR_RANGE;
	case TESSERA_OP_BUSY:
		if (len != TESSERA_BUSY_LEN)
			return TESSERA_CMD_ERR_LENGTH;
		/* atomic BUSY is bounded by the preemption timeout */
		if (flags & ~TESSERA_BUSY_ATOMIC)
			return TESSERA_CMD_ERR_FLAGS;
		return qw(dw, 1) > TESSERA_MAX_BUSY_NS ? TESSERA_CMD_ERR_SIZE :
		       TESSERA_CMD_OK;
	default:
		/* BATCH_JUMP / BATCH_END are batch-only; the rest unknown. */
		return TESSERA_CMD_ERR_OPCODE;
	}
}

/**
 * tessera_cmd_validate() - check a command stream bound for a ring
 * @dw: the commands (little-endian dwords, already in CPU order)
 * @ndw: number of dwords
 * @lim: the target context's windows and engine class
 * @bad_dword: out (optional), index of the first rejected command
 * @why: out (optional), the reason
 *
 * Return: 0 when every command is well formed and inside the context's
 * windows, else -EINVAL.
 */
int tessera_cmd_validate(const u32 *dw, u32 ndw,
			 const struct tessera_cmd_limits *lim,
			 u32 *bad_dword, enum tessera_cmd_error *why)
{
	enum tessera_cmd_error err = TESSERA_CMD_OK;
	u32 i = 0, len = 0;

	while (i < ndw) {
		len = TESSERA_CMD_LEN(dw[i]);
		if (!len) {
			err = TESSERA_CMD_ERR_LENGTH;
			break;
		}
		if (len > ndw - i) {
			err = TESSERA_CMD_ERR_TRUNCATED;
			break;
		}
		err = check_one(&dw[i], len, lim);
		if (err)
			break;
		i += len;
	}
	if (bad_dword)
		*bad_dword = i;
	if (why)
		*why = err;
	return err ? -EINVAL : 0;
}
