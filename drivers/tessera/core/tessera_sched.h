/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_sched.c: the scheduler's mechanism: engines, rings, submission.
 */
#ifndef TESSERA_SCHED_H
#define TESSERA_SCHED_H

#include <linux/types.h>

struct tessera_ctx;
struct tessera_device;
struct tessera_engine;
struct tessera_ring;

void tessera_sched_kick(struct tessera_engine *eng);
void tessera_sched_init(struct tessera_device *tdev);
void tessera_sched_fini(struct tessera_device *tdev);
void tessera_sched_resume_ctx(struct tessera_ctx *ctx);
void tessera_sched_stop_all(struct tessera_device *tdev);
int tessera_sched_submit(struct tessera_ring *ring, const u32 *cmds,
			 u32 ndw, u64 *fence);
void tessera_sched_attach_ctx(struct tessera_ctx *ctx);
void tessera_sched_detach_ctx(struct tessera_ctx *ctx);

#endif /* TESSERA_SCHED_H */
