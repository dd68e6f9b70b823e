/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sched-sysfs: the time-slice scheduler of one Tessera GPU as the in-VM
 * tests see it: the knobs in <PCI device>/sched/ and the per-client
 * statistics in debugfs tessera/<PCI address>/sched
 * (Documentation/dev/scheduler.rst). One GPU per test program.
 *
 * Every function returns 0 (or a non-negative value) on success and a
 * negative errno on failure.
 */
#ifndef TESSERA_TESTS_SCHED_SYSFS_H
#define TESSERA_TESTS_SCHED_SYSFS_H

#include <stddef.h>

/* One client's line of the debugfs statistics, for one engine. */
struct sched_stat {
	unsigned long long busy;	/* device busy time, ns */
	unsigned long long slices, preempts, resets, hangs;
	unsigned long long wait, maxwait;	/* queue wait, ns */
	unsigned long long charged;	/* engine time held (policy), ns */
};

/**
 * sched_sysfs_init() - pick the GPU whose scheduler the tests use
 * @pci_dev: its sysfs directory (/sys/bus/pci/devices/ADDR or a path
 *	resolving there), or NULL for the first device bound to tessera
 *
 * Mounts debugfs if needed.
 *
 * Return: 0, or -ENOENT without the knobs or the statistics.
 */
int sched_sysfs_init(const char *pci_dev);

/** sched_knob_write() - write @val to knob @name */
int sched_knob_write(const char *name, const char *val);

/** sched_knob_read() - read knob @name (trailing newline cut) */
int sched_knob_read(const char *name, char *buf, size_t len);

/**
 * sched_client_stat() - the statistics of hardware context @ctx on @engine
 * @ctx: hardware context id (a vGPU's: its mdev attribute
 *	tessera/hw_context)
 * @engine: engine index
 * @s: filled in
 *
 * Return: 0, or -ENOENT when the client is not listed.
 */
int sched_client_stat(unsigned int ctx, unsigned int engine,
		      struct sched_stat *s);

/**
 * sched_client_stats() - the statistics of @n contexts, from one read
 * @ctx: hardware context ids
 * @n: how many
 * @engine: engine index
 * @s: @n entries, filled in (those not listed are left alone)
 *
 * One read of the statistics, so that all clients are sampled together.
 *
 * Return: 0, or -ENOENT when some client is not listed.
 */
int sched_client_stats(const unsigned int *ctx, int n, unsigned int engine,
		       struct sched_stat *s);

/**
 * sched_engine_storms() - slices in which a client on @engine went over
 *	the interrupt budget (the engine line's "storms")
 * @engine: engine index
 *
 * Return: the count, or -1.
 */
long long sched_engine_storms(unsigned int engine);

/**
 * sched_host_irqs() - host interrupts taken on the Tessera GPUs' vectors
 * @vector: a part of the vector's name in /proc/interrupts ("-global",
 *	"-eng1"), or "" for every Tessera vector
 *
 * Summed over CPUs and over the Tessera GPUs, from /proc/interrupts.
 *
 * Return: the count, or -1 when no such line is listed.
 */
long long sched_host_irqs(const char *vector);

/**
 * sched_debug_kernel() - is this the rig's debug kernel?
 *
 * scripts/build-debug-kernel.sh's (KASAN, lockdep: every scheduler pass
 * several times slower, so shares of short slices shift by several points).
 *
 * Return: non-zero on the debug kernel.
 */
int sched_debug_kernel(void);

#endif
