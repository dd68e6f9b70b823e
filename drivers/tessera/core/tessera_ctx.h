/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_ctx.c: hardware contexts: creation, buffers, fences, teardown.
 */
#ifndef TESSERA_CTX_H
#define TESSERA_CTX_H

#include <linux/types.h>

struct tessera_bo;
struct tessera_ctx;
struct tessera_device;

struct tessera_ctx *tessera_ctx_create(struct tessera_device *tdev);
void tessera_ctx_kill(struct tessera_ctx *ctx);
int tessera_ctx_bo_alloc(struct tessera_ctx *ctx, u64 size,
			 struct tessera_bo **out);
int tessera_ctx_bo_free(struct tessera_ctx *ctx, u32 handle);
int tessera_ctx_fence_status(struct tessera_ctx *ctx, u32 engine, u64 seqno);
bool tessera_ctx_idle(struct tessera_ctx *ctx);

#endif /* TESSERA_CTX_H */
