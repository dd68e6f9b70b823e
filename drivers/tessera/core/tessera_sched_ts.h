/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tessera_sched_ts.c: the scheduler's time-slice knobs (sysfs) and
 * statistics (debugfs).
 */
#ifndef TESSERA_SCHED_TS_H
#define TESSERA_SCHED_TS_H

#include <linux/types.h>

struct attribute_group;
struct tessera_device;

enum tessera_sched_reason {
	TESSERA_OUT_PREEMPT,	/* slice over */
	TESSERA_OUT_DRAINED,	/* ring empty, engine handed over */
	TESSERA_OUT_FAULT,	/* device fault */
	TESSERA_OUT_HANG,	/* no progress: reset */
	TESSERA_OUT_TIMEOUT,	/* preemption timed out: reset */
	TESSERA_OUT_QUIESCE,	/* taken off by the driver */
};

#define TESSERA_DEFAULT_PREEMPT_TIMEOUT_US	640000
#define TESSERA_DEFAULT_HANG_SLICES		2500
/*
 * Engine interrupts per client and slice (2 ms by default: 32k/s) before
 * the client's fence and idle interrupts are masked for the slice's rest.
 */
#define TESSERA_DEFAULT_IRQ_BUDGET		64
#define TESSERA_IRQ_BUDGET_MAX			65536
extern const struct attribute_group tessera_sched_attr_group;
void tessera_sched_debugfs_init(struct tessera_device *tdev);

#endif /* TESSERA_SCHED_TS_H */
