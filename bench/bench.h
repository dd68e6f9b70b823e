/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h - what the scheduler benchmark's two clients share:
 * bench/sched_bench.c (host contexts through /dev/tesseraN) and
 * bench/vgpu_bench.c (vGPUs through VFIO, the program acting as the
 * guest). One definition of the workloads, of the measurement windows, of
 * the scheduler statistics (debugfs) and of the "key value" / "client ..."
 * lines that bench/analyze.py reads.
 */
#ifndef TESSERA_BENCH_H
#define TESSERA_BENCH_H

#include <sys/types.h>

#define BENCH_MAXC		128
/* stream: the ring kept full of 1 ms BUSY jobs (device bound) */
#define BENCH_STREAM_JOB_NS	1000000ull
/* pingpong: one BUSY 20 us + FENCE job at a time (submission bound) */
#define BENCH_PINGPONG_JOB_NS	20000ull
/* work done before a window opens: rings full, caches and paths warm */
#define BENCH_WARMUP_US		500000
/* latencies kept for the percentiles (the first ones of a window) */
#define BENCH_MAX_LAT		65536
/* a job that has not completed after this long is an error */
#define BENCH_JOB_TIMEOUT_NS	60000000000ll

/*
 * Heavy (saturating) job length, BENCH_JOB_US (default 16 ms): long jobs
 * mean few fence interrupts and few wake-ups, which with 64 clients would
 * otherwise load the emulated guest more than the scheduler does.
 */
extern unsigned long long bench_heavy_job_ns;

/* One client's engine-0 counters from debugfs (ns). */
struct bench_cstat {
	unsigned long long busy;
	unsigned long long charged;
};

/**
 * struct bench_client - one client of a rate measurement (stream,
 * pingpong); every callback returns 0 or a negative errno
 * @submit: queue one stream job; blocks while the ring is full
 * @run: submit one pingpong job and wait for its completion
 * @traps: trapped CSR accesses so far, or NULL if not counted
 * @arg: the callbacks' argument
 * @wait: how completion is waited for (printed as "wait ...")
 */
struct bench_client {
	int (*submit)(void *arg);
	int (*run)(void *arg);
	long long (*traps)(void *arg);
	void *arg;
	const char *wait;
};

long long bench_now_ns(void);

/**
 * bench_init() - find the debugfs statistics and read BENCH_JOB_US
 *
 * Return: 0, or -1 (with a message) if there is no debugfs sched file.
 */
int bench_init(void);

/**
 * bench_read_stats() - engine-0 counters of some hardware contexts
 * @ctx: hardware context ids
 * @n: number of them
 * @s: filled in (zero for a context not found)
 *
 * Return: 0 or -1.
 */
int bench_read_stats(const unsigned int *ctx, int n, struct bench_cstat *s);

/**
 * bench_set_weight() - scheduler weight of a hardware context
 * @ctx: hardware context
 * @w: weight
 *
 * Return: 0 or non-zero.
 */
int bench_set_weight(unsigned int ctx, unsigned int w);

/**
 * bench_spawn() - fork a saturating client
 * @client: run in the child: sets up, queues work, then calls
 *          bench_ready() and keeps its ring full until killed
 * @arg: its argument
 * @ctx: the hardware context the child reported
 *
 * Return: the child's pid, or -1 if it failed before bench_ready().
 */
pid_t bench_spawn(int (*client)(void *arg), void *arg, unsigned int *ctx);

/* In a child of bench_spawn(): report @ctx, saturating from now on. */
int bench_ready(unsigned int ctx);

/* SIGKILL and reap the children of bench_spawn() (pids <= 0 ignored). */
void bench_stop_all(pid_t *p, int n);

/**
 * bench_saturate_window() - measure N saturating clients
 * @ctx: their hardware contexts
 * @w: their weights (for the report)
 * @n: how many
 * @secs: window length
 *
 * Waits for the warm-up, samples the statistics around a window of @secs
 * and prints the totals, busy and held time per wall time, Jain's index
 * and one "client CTX weight W busy_share B held_share H" line each.
 */
void bench_saturate_window(const unsigned int *ctx, const unsigned int *w,
			   int n, double secs);

/**
 * bench_rate() - run the stream or pingpong workload of one client
 * @mode: "stream" or "pingpong"
 * @c: the client
 * @secs: window length, after BENCH_WARMUP_US of the same work
 *
 * Prints mode, jobs, wall_ns, jobs_per_s, the latency percentiles
 * (pingpong), traps and traps_per_job (if @c->traps).
 *
 * Return: 0 or a negative errno.
 */
int bench_rate(const char *mode, const struct bench_client *c, double secs);

/* Sort @m latencies (ns) and print lat_p50_ns, lat_p99_ns, lat_max_ns. */
void bench_report_latency(long long *lat, int m);

#endif /* TESSERA_BENCH_H */
