// SPDX-License-Identifier: GPL-2.0
/* Unit tests of ring command validation (tessera_cmd.c). */
#include "tap.h"
#include "tessera_cmd.h"
#include <tessera/tessera_regs.h>

static const struct tessera_cmd_limits lim = {
	.vram_size = 1 << 20, .gart_size = 1 << 16, .compute = true,
};

static const struct tessera_cmd_limits lim_copy = {
	.vram_size = 1 << 20, .gart_size = 1 << 16, .compute = false,
};

static int v(const u32 *dw, u32 n, const struct tessera_cmd_limits *l,
	     enum tessera_cmd_error *why)
{
	return tessera_cmd_validate(dw, n, l, NULL, why);
}

static void test_valid_stream(void)
{
	u64 g = TESSERA_VA_GART;
	u32 c[] = {
		TESSERA_CMD(TESSERA_OP_NOP, 0, 1),
		TESSERA_CMD(TESSERA_OP_NOP, 0, 2), 0xffffffff,
		TESSERA_CMD(TESSERA_OP_FILL, 0, 5), 0, 0, 4096, 7,
		TESSERA_CMD(TESSERA_OP_COPY, 0, 6), (u32)g, (u32)(g >> 32), 0, 0, 4096,
		TESSERA_CMD(TESSERA_OP_AXPY, 0, 7), 0, 0, 64, 0, 16, 3,
		TESSERA_CMD(TESSERA_OP_CHECKSUM, 0, 6), 8, 0, 0, 0, 100,
		TESSERA_CMD(TESSERA_OP_FENCE, TESSERA_FENCE_WRITE, 5), 1, 0, 8, 0,
		TESSERA_CMD(TESSERA_OP_BATCH_CALL, 0, 4), 4096, 0, 4096,
		TESSERA_CMD(TESSERA_OP_BUSY, 0, 3), 1000, 0,
		TESSERA_CMD(TESSERA_OP_BUSY, TESSERA_BUSY_ATOMIC, 3), 1000, 0,
		TESSERA_CMD(TESSERA_OP_COPY, 0, 6), 0xfffffff0, 0xffffffff, 0, 0, 0,
	};
	enum tessera_cmd_error why;

	TAP_CHECK_EQ(v(c, sizeof(c) / 4, &lim, &why), 0);
	TAP_CHECK_EQ(why, TESSERA_CMD_OK);
}

static void test_rejects(void)
{
	enum tessera_cmd_error why;
	u32 bad_at;
	u32 c[8];

#define R(reason, l, ...) do {						\
	u32 x[] = { __VA_ARGS__ };					\
	TAP_CHECK_EQ(v(x, sizeof(x) / 4, l, &why), -EINVAL);		\
	TAP_CHECK_EQ(why, reason);					\
} while (0)
	R(TESSERA_CMD_ERR_OPCODE, &lim, TESSERA_CMD(0x42, 0, 1));
	R(TESSERA_CMD_ERR_OPCODE, &lim, TESSERA_CMD(TESSERA_OP_BATCH_END, 0, 1));
	R(TESSERA_CMD_ERR_OPCODE, &lim, TESSERA_CMD(TESSERA_OP_BATCH_JUMP, 0, 4), 0, 0, 4);
	R(TESSERA_CMD_ERR_LENGTH, &lim, TESSERA_CMD(TESSERA_OP_NOP, 0, 0));
	R(TESSERA_CMD_ERR_TRUNCATED, &lim, TESSERA_CMD(TESSERA_OP_FILL, 0, 5), 0, 0);
	R(TESSERA_CMD_ERR_LENGTH, &lim, TESSERA_CMD(TESSERA_OP_FILL, 0, 4), 0, 0, 4);
	R(TESSERA_CMD_ERR_FLAGS, &lim, TESSERA_CMD(TESSERA_OP_FILL, 1, 5), 0, 0, 4, 0);
	R(TESSERA_CMD_ERR_FLAGS, &lim, TESSERA_CMD(TESSERA_OP_FENCE, TESSERA_FENCE_IRQ, 5),
	  0, 0, 0, 0);
	/* Without FENCE_WRITE a fence would set the ring's (kernel-owned) fence. */
	R(TESSERA_CMD_ERR_FLAGS, &lim, TESSERA_CMD(TESSERA_OP_FENCE, 0, 5), 1, 0, 0, 0);
	R(TESSERA_CMD_ERR_FLAGS, &lim, TESSERA_CMD(TESSERA_OP_FENCE, 0, 5), ~0u, ~0u, 8, 0);
	R(TESSERA_CMD_ERR_ALIGN, &lim, TESSERA_CMD(TESSERA_OP_FILL, 0, 5), 2, 0, 4, 0);
	R(TESSERA_CMD_ERR_ALIGN, &lim, TESSERA_CMD(TESSERA_OP_FILL, 0, 5), 0, 0, 3, 0);
	R(TESSERA_CMD_ERR_RANGE, &lim, TESSERA_CMD(TESSERA_OP_FILL, 0, 5), 0xffffc, 0, 8, 0);
	R(TESSERA_CMD_ERR_RANGE, &lim, TESSERA_CMD(TESSERA_OP_FILL, 0, 5),
	  0xfffffffc, 0xffffffff, 8, 0);
	R(TESSERA_CMD_ERR_RANGE, &lim, TESSERA_CMD(TESSERA_OP_FILL, 0, 5), 0xfffc, 0x100, 8, 0);
	R(TESSERA_CMD_ERR_SIZE, &lim, TESSERA_CMD(TESSERA_OP_COPY, 0, 6),
	  0, 0, 0, 0, TESSERA_MAX_COPY_BYTES + 1);
	R(TESSERA_CMD_ERR_ENGINE, &lim_copy, TESSERA_CMD(TESSERA_OP_AXPY, 0, 7), 0, 0, 0, 0, 1, 1);
	R(TESSERA_CMD_ERR_ENGINE, &lim_copy, TESSERA_CMD(TESSERA_OP_CHECKSUM, 0, 6), 0, 0, 0, 0, 1);
	R(TESSERA_CMD_ERR_SIZE, &lim, TESSERA_CMD(TESSERA_OP_AXPY, 0, 7),
	  0, 0, 0, 0, TESSERA_MAX_AXPY_COUNT + 1, 1);
	R(TESSERA_CMD_ERR_SIZE, &lim, TESSERA_CMD(TESSERA_OP_BUSY, 0, 3), 0xffffffff, 0xffffffff);
	R(TESSERA_CMD_ERR_FLAGS, &lim, TESSERA_CMD(TESSERA_OP_BUSY, 2, 3), 1000, 0);
	R(TESSERA_CMD_ERR_SIZE, &lim, TESSERA_CMD(TESSERA_OP_BATCH_CALL, 0, 4),
	  0, 0, TESSERA_MAX_BATCH_BYTES + 4);
	R(TESSERA_CMD_ERR_ALIGN, &lim, TESSERA_CMD(TESSERA_OP_FENCE, TESSERA_FENCE_WRITE, 5),
	  0, 0, 4, 0);
#undef R
	c[0] = TESSERA_CMD(TESSERA_OP_NOP, 0, 1);
	c[1] = TESSERA_CMD(TESSERA_OP_NOP, 0, 1);
	c[2] = TESSERA_CMD(0x99, 0, 1);
	TAP_CHECK_EQ(tessera_cmd_validate(c, 3, &lim, &bad_at, &why), -EINVAL);
	TAP_CHECK_EQ(bad_at, 2);
}

int main(void)
{
	TAP_RUN(test_valid_stream);
	TAP_RUN(test_rejects);
	return tap_done();
}
