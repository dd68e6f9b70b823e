// SPDX-License-Identifier: GPL-2.0
/*
 * sched_bench - time-slice scheduler measurements through the native
 * interface (/dev/tessera0), run inside the VM by bench/guest-bench.sh.
 * Clients are processes with their own context on engine 0; heavy clients
 * keep their ring full of BUSY jobs. Prints "key value" lines that
 * bench/analyze.py turns into the table. bench/vgpu_bench.c measures the
 * same through vGPUs; what both share is in bench/bench.[ch].
 *
 *   sched_bench saturate N SECS [W1,W2,...]   N heavy clients (weights)
 *   sched_bench light N SECS                  N-1 heavy + 1 light client
 *   sched_bench stream SECS                   one client, ring kept full
 *   sched_bench pingpong SECS                 one client, one job at a time
 *
 * stream and pingpong wait the way native clients do: TESSERA_IOCTL_SUBMIT
 * blocks while the ring is full, TESSERA_IOCTL_WAIT sleeps until the fence
 * interrupt (libtessera).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "libtessera.h"

#define LIGHT_JOB_NS	100000ull
#define PREFILL_JOBS	16

/* A heavy client (child of bench_spawn()): its ring always full. */
static int heavy_client(void *arg)
{
	struct tsr_dev d;
	uint32_t cmd[4], k;
	uint64_t fence;
	int i;

	(void)arg;
	if (tsr_open(&d, NULL))
		return -1;
	k = tsr_cmd_busy(cmd, bench_heavy_job_ns);
	/* a queue of work before reporting in: saturating from now */
	for (i = 0; i < PREFILL_JOBS; i++)
		if (tsr_submit(&d, 0, cmd, k, &fence))
			return -1;
	if (bench_ready(d.info.ctx_id))
		return -1;
	for (;;)
		if (tsr_submit(&d, 0, cmd, k, &fence) && errno != EINTR &&
		    errno != EBUSY)
			return -1;
}

static int saturate(int n, double secs, const char *weights)
{
	unsigned int ctx[BENCH_MAXC], w[BENCH_MAXC];
	pid_t p[BENCH_MAXC];
	int i;

	for (i = 0; i < n; i++)
		w[i] = 100;
	if (weights) {
		const char *q = weights;

		for (i = 0; i < n && *q; i++) {
			w[i] = strtoul(q, (char **)&q, 10);
			if (*q == ',')
				q++;
		}
	}
	for (i = 0; i < n; i++) {
		p[i] = bench_spawn(heavy_client, NULL, &ctx[i]);
		if (p[i] < 0) {
			fprintf(stderr, "client %d failed\n", i);
			bench_stop_all(p, i);
			return 1;
		}
		if (bench_set_weight(ctx[i], w[i]))
			fprintf(stderr, "weight of ctx %u not set\n", ctx[i]);
	}
	bench_saturate_window(ctx, w, n, secs);
	bench_stop_all(p, n);
	return 0;
}

static int light(int n, double secs)
{
	unsigned int ctx[BENCH_MAXC];
	long long lat[4096], t, end;
	pid_t p[BENCH_MAXC];
	struct tsr_dev d;
	uint32_t cmd[4], k;
	int i, m = 0;

	for (i = 0; i < n - 1; i++) {
		p[i] = bench_spawn(heavy_client, NULL, &ctx[i]);
		if (p[i] < 0) {
			bench_stop_all(p, i);
			return 1;
		}
	}
	if (tsr_open(&d, NULL)) {
		bench_stop_all(p, n - 1);
		return 1;
	}
	usleep(BENCH_WARMUP_US);
	k = tsr_cmd_busy(cmd, LIGHT_JOB_NS);
	end = bench_now_ns() + (long long)(secs * 1e9);
	while (bench_now_ns() < end && m < 4096) {
		t = bench_now_ns();
		if (tsr_run(&d, 0, cmd, k, 20000000000LL))
			break;
		lat[m++] = bench_now_ns() - t;
		usleep(10000 + rand() % 10000);
	}
	bench_stop_all(p, n - 1);
	tsr_close(&d);
	printf("clients %d\njobs %d\n", n, m);
	bench_report_latency(lat, m);
	return 0;
}

/* stream and pingpong: one native client, the kernel adds each fence */
struct native {
	struct tsr_dev d;
	uint32_t stream[4], ping[4];
	uint32_t nstream, nping;
};

static int native_submit(void *arg)
{
	struct native *nc = arg;
	uint64_t fence;
	int ret;

	do {
		ret = tsr_submit(&nc->d, 0, nc->stream, nc->nstream, &fence);
	} while (ret == -EBUSY);
	return ret;
}

static int native_run(void *arg)
{
	struct native *nc = arg;

	return tsr_run(&nc->d, 0, nc->ping, nc->nping, BENCH_JOB_TIMEOUT_NS);
}

static int rate(const char *mode, double secs)
{
	struct native nc;
	struct bench_client c = {
		.submit = native_submit,
		.run = native_run,
		.arg = &nc,
		.wait = "native-ioctl-irq",
	};
	int ret;

	if (tsr_open(&nc.d, NULL)) {
		fprintf(stderr, "cannot open /dev/tessera0\n");
		return 1;
	}
	nc.nstream = tsr_cmd_busy(nc.stream, BENCH_STREAM_JOB_NS);
	nc.nping = tsr_cmd_busy(nc.ping, BENCH_PINGPONG_JOB_NS);
	printf("client native\nctx %u\nring_bytes %u\n", nc.d.info.ctx_id,
	       nc.d.info.ring_size);
	/* CSR traps: none by construction, BAR0 is never mapped to clients */
	ret = bench_rate(mode, &c, secs);
	tsr_close(&nc.d);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		goto usage;
	if (bench_init())
		return 1;
	if (!strcmp(argv[1], "stream") || !strcmp(argv[1], "pingpong"))
		return rate(argv[1], atof(argv[2]));
	if (argc < 4)
		goto usage;
	if (!strcmp(argv[1], "saturate"))
		return saturate(atoi(argv[2]), atof(argv[3]),
				argc > 4 ? argv[4] : NULL);
	if (!strcmp(argv[1], "light"))
		return light(atoi(argv[2]), atof(argv[3]));
usage:
	fprintf(stderr,
		"usage: sched_bench saturate N SECS [W,...] | light N SECS |\n"
		"       stream SECS | pingpong SECS\n");
	return 2;
}
