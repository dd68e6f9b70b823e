// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c - measurement code shared by sched_bench (native clients) and
 * vgpu_bench (vGPU clients), see bench.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "sched-sysfs.h"

unsigned long long bench_heavy_job_ns = 16000000ull;

static int ready_fd = -1;
static long long lat[BENCH_MAX_LAT];

long long bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int bench_init(void)
{
	if (sched_sysfs_init(NULL)) {
		fprintf(stderr, "no tessera sched sysfs/debugfs\n");
		return -1;
	}
	if (getenv("BENCH_JOB_US"))
		bench_heavy_job_ns = strtoull(getenv("BENCH_JOB_US"), NULL, 0) *
				     1000;
	return 0;
}

int bench_read_stats(const unsigned int *ctx, int n, struct bench_cstat *s)
{
	struct sched_stat st[BENCH_MAXC];
	int i;

	if (n > BENCH_MAXC)
		return -1;
	memset(st, 0, sizeof(st));
	sched_client_stats(ctx, n, 0, st);	/* all sampled together */
	for (i = 0; i < n; i++) {
		s[i].busy = st[i].busy;
		s[i].charged = st[i].charged;
	}
	return 0;
}

int bench_set_weight(unsigned int ctx, unsigned int w)
{
	char v[32];

	snprintf(v, sizeof(v), "%u %u\n", ctx, w);
	return sched_knob_write("weights", v) ? -1 : 0;
}

pid_t bench_spawn(int (*client)(void *arg), void *arg, unsigned int *ctx)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		close(fds[0]);
		ready_fd = fds[1];
		_exit(client(arg) ? 1 : 0);
	}
	close(fds[1]);
	if (pid > 0 && read(fds[0], ctx, 4) != 4) {
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(fds[0]);
	return pid;
}

int bench_ready(unsigned int ctx)
{
	int ret = write(ready_fd, &ctx, 4) == 4 ? 0 : -EIO;

	close(ready_fd);
	ready_fd = -1;
	return ret;
}

void bench_stop_all(pid_t *p, int n)
{
	int i, st;

	for (i = 0; i < n; i++)
		if (p[i] > 0)
			kill(p[i], SIGKILL);
	for (i = 0; i < n; i++)
		if (p[i] > 0)
			waitpid(p[i], &st, 0);
}

static double jain(const double *x, int n)
{
	double s = 0, s2 = 0;
	int i;

	for (i = 0; i < n; i++) {
		s += x[i];
		s2 += x[i] * x[i];
	}
	return s2 > 0 ? s * s / (n * s2) : 0;
}

void bench_saturate_window(const unsigned int *ctx, const unsigned int *w,
			   int n, double secs)
{
	struct bench_cstat s0[BENCH_MAXC], s1[BENCH_MAXC];
	double busy[BENCH_MAXC] = { 0 }, charged[BENCH_MAXC] = { 0 };
	double tb = 0, tc = 0;
	long long t0, t1;
	int i;

	usleep(BENCH_WARMUP_US + 20000 * n);
	bench_read_stats(ctx, n, s0);
	t0 = bench_now_ns();
	usleep((useconds_t)(secs * 1e6));
	bench_read_stats(ctx, n, s1);
	t1 = bench_now_ns();
	for (i = 0; i < n; i++) {
		busy[i] = (double)(s1[i].busy - s0[i].busy);
		charged[i] = (double)(s1[i].charged - s0[i].charged);
		tb += busy[i];
		tc += charged[i];
	}
	printf("clients %d\nwall_ns %lld\nbusy_ns %.0f\ncharged_ns %.0f\n", n,
	       t1 - t0, tb, tc);
	printf("busy_per_wall %.4f\nheld_per_wall %.4f\n", tb / (t1 - t0),
	       tc / (t1 - t0));
	printf("jain_busy %.5f\njain_held %.5f\n", jain(busy, n),
	       jain(charged, n));
	for (i = 0; i < n; i++)
		printf("client %u weight %u busy_share %.5f held_share %.5f\n",
		       ctx[i], w[i], tb ? busy[i] / tb : 0,
		       tc ? charged[i] / tc : 0);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

void bench_report_latency(long long *v, int m)
{
	qsort(v, m, sizeof(v[0]), cmp_ll);
	if (m)
		printf("lat_p50_ns %lld\nlat_p99_ns %lld\nlat_max_ns %lld\n",
		       v[m / 2], v[(m * 99LL) / 100], v[m - 1]);
}

/* One job of the workload; its latency in @lat_ns for pingpong. */
static int rate_job(const struct bench_client *c, int pingpong,
		    long long *lat_ns)
{
	long long t = bench_now_ns();
	int ret = pingpong ? c->run(c->arg) : c->submit(c->arg);

	*lat_ns = bench_now_ns() - t;
	return ret;
}

/*
 * Stream: the client's submit blocks while its ring is full, so once the
 * warm-up has filled the ring, jobs submitted in the window = jobs
 * completed in it. Pingpong: each job is submitted and waited for.
 */
int bench_rate(const char *mode, const struct bench_client *c, double secs)
{
	int pingpong = !strcmp(mode, "pingpong");
	long long t0, t1, end, traps0 = 0, traps1 = 0, jobs = 0, l;
	int m = 0, ret;

	end = bench_now_ns() + BENCH_WARMUP_US * 1000LL;
	while (bench_now_ns() < end) {
		ret = rate_job(c, pingpong, &l);
		if (ret)
			goto fail;
	}
	if (c->traps)
		traps0 = c->traps(c->arg);
	t0 = bench_now_ns();
	end = t0 + (long long)(secs * 1e9);
	do {
		ret = rate_job(c, pingpong, &l);
		if (ret)
			goto fail;
		if (m < BENCH_MAX_LAT)
			lat[m++] = l;
		jobs++;
		t1 = bench_now_ns();
	} while (t1 < end);
	if (c->traps)
		traps1 = c->traps(c->arg);
	printf("mode %s\nwait %s\njob_ns %llu\njobs %lld\nwall_ns %lld\n",
	       mode, c->wait, pingpong ? BENCH_PINGPONG_JOB_NS :
	       BENCH_STREAM_JOB_NS, jobs, t1 - t0);
	printf("jobs_per_s %.2f\n", jobs * 1e9 / (t1 - t0));
	if (pingpong)
		bench_report_latency(lat, m);
	if (c->traps && traps0 >= 0 && traps1 >= 0)
		printf("traps %lld\ntraps_per_job %.4f\n", traps1 - traps0,
		       (double)(traps1 - traps0) / jobs);
	return 0;
fail:
	fprintf(stderr, "%s: job failed: %s\n", mode, strerror(-ret));
	return ret;
}
