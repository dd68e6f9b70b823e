// SPDX-License-Identifier: GPL-2.0
/*
 * sched_bench - time-slice scheduler measurements, run inside the VM by
 * bench/guest-bench.sh. Clients are processes with their own context on
 * engine 0; heavy clients keep their ring full of BUSY jobs. Prints
 * "key value" lines that bench/analyze.py turns into the table.
 *
 *   sched_bench saturate N SECS [W1,W2,...]   N heavy clients (weights)
 *   sched_bench light N SECS                  N-1 heavy + 1 light client
 */
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libtessera.h"

#define MAXC		128
#define LIGHT_JOB_NS	100000ull
#define PREFILL_JOBS	16

static char dbg_file[256];
/*
 * Heavy job length (BENCH_JOB_US, default 16 ms): long jobs mean few fence
 * interrupts, and so few wake-ups of the clients blocked on a full ring,
 * which with 64 clients otherwise load the emulated guest more than the
 * scheduler does.
 */
static unsigned long long heavy_job_ns = 16000000ull;

struct cstat {
	unsigned long long busy, charged;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int read_stats(const unsigned int *ctx, int n, struct cstat *s)
{
	unsigned long long v[8];
	unsigned int c, e, w;
	char line[512];
	FILE *f;
	int i;

	f = fopen(dbg_file, "r");
	if (!f)
		return -1;
	memset(s, 0, sizeof(*s) * n);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %u %u %llu %llu %llu %llu %llu %llu %llu %llu",
			   &c, &e, &w, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7]) != 11 || e != 0)
			continue;
		for (i = 0; i < n; i++)
			if (ctx[i] == c) {
				s[i].busy = v[0];
				s[i].charged = v[7];
			}
	}
	fclose(f);
	return 0;
}

static int set_weight(unsigned int ctx, unsigned int w)
{
	glob_t g;
	FILE *f;
	int ret = -1;

	if (glob("/sys/bus/pci/drivers/tessera/0000:*/sched/weights", 0, NULL,
		 &g))
		return -1;
	f = fopen(g.gl_pathv[0], "w");
	if (f) {
		ret = fprintf(f, "%u %u\n", ctx, w) < 0;
		ret |= fclose(f);
	}
	globfree(&g);
	return ret;
}

static pid_t heavy(unsigned int *ctx)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		struct tsr_dev d;
		uint32_t cmd[4], k;
		uint64_t fence;
		int i;

		close(fds[0]);
		if (tsr_open(&d, NULL))
			_exit(1);
		k = tsr_cmd_busy(cmd, heavy_job_ns);
		/* a queue of work before reporting in: saturating from now */
		for (i = 0; i < PREFILL_JOBS; i++)
			if (tsr_submit(&d, 0, cmd, k, &fence))
				_exit(3);
		if (write(fds[1], &d.info.ctx_id, 4) != 4)
			_exit(2);
		close(fds[1]);
		for (;;)
			if (tsr_submit(&d, 0, cmd, k, &fence) && errno != EINTR &&
			    errno != EBUSY)
				_exit(3);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], ctx, 4) != 4)
		pid = -1;
	close(fds[0]);
	return pid;
}

static void stop_all(pid_t *p, int n)
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

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int saturate(int n, double secs, const char *weights)
{
	unsigned int ctx[MAXC], w[MAXC];
	struct cstat s0[MAXC], s1[MAXC];
	double busy[MAXC] = { 0 }, charged[MAXC] = { 0 }, tb = 0, tc = 0;
	pid_t p[MAXC];
	long long t0, t1;
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
		p[i] = heavy(&ctx[i]);
		if (p[i] < 0) {
			fprintf(stderr, "client %d failed\n", i);
			stop_all(p, i);
			return 1;
		}
		if (set_weight(ctx[i], w[i]))
			fprintf(stderr, "weight of ctx %u not set\n", ctx[i]);
	}
	usleep(500000 + 20000 * n);
	read_stats(ctx, n, s0);
	t0 = now_ns();
	usleep((useconds_t)(secs * 1e6));
	read_stats(ctx, n, s1);
	t1 = now_ns();
	stop_all(p, n);
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
	return 0;
}

static int light(int n, double secs)
{
	unsigned int ctx[MAXC];
	long long lat[4096], t, end;
	pid_t p[MAXC];
	struct tsr_dev d;
	uint32_t cmd[4], k;
	int i, m = 0;

	for (i = 0; i < n - 1; i++) {
		p[i] = heavy(&ctx[i]);
		if (p[i] < 0) {
			stop_all(p, i);
			return 1;
		}
	}
	if (tsr_open(&d, NULL)) {
		stop_all(p, n - 1);
		return 1;
	}
	usleep(500000);
	k = tsr_cmd_busy(cmd, LIGHT_JOB_NS);
	end = now_ns() + (long long)(secs * 1e9);
	while (now_ns() < end && m < 4096) {
		t = now_ns();
		if (tsr_run(&d, 0, cmd, k, 20000000000LL))
			break;
		lat[m++] = now_ns() - t;
		usleep(10000 + rand() % 10000);
	}
	stop_all(p, n - 1);
	tsr_close(&d);
	qsort(lat, m, sizeof(lat[0]), cmp_ll);
	printf("clients %d\njobs %d\n", n, m);
	if (m)
		printf("lat_p50_ns %lld\nlat_p99_ns %lld\nlat_max_ns %lld\n",
		       lat[m / 2], lat[(m * 99) / 100], lat[m - 1]);
	return 0;
}

int main(int argc, char **argv)
{
	glob_t g;

	if (argc < 4)
		goto usage;
	if (glob("/sys/kernel/debug/tessera/*/sched", 0, NULL, &g) ||
	    !g.gl_pathc) {
		fprintf(stderr, "no debugfs sched file\n");
		return 1;
	}
	snprintf(dbg_file, sizeof(dbg_file), "%s", g.gl_pathv[0]);
	globfree(&g);
	if (getenv("BENCH_JOB_US"))
		heavy_job_ns = strtoull(getenv("BENCH_JOB_US"), NULL, 0) * 1000;
	if (!strcmp(argv[1], "saturate"))
		return saturate(atoi(argv[2]), atof(argv[3]),
				argc > 4 ? argv[4] : NULL);
	if (!strcmp(argv[1], "light"))
		return light(atoi(argv[2]), atof(argv[3]));
usage:
	fprintf(stderr, "usage: sched_bench saturate N SECS [W,...] | light N SECS\n");
	return 2;
}
