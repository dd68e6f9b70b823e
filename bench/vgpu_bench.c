// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_bench - the scheduler benchmark through vGPUs: creates Tessera
 * vGPUs (mdevs), opens them through VFIO and drives them as a guest
 * driver would, on the zero-trap submission path: commands are written
 * into a ring in the vGPU's VRAM partition through the BAR2 mmap, the tail
 * is published through the doorbell page (BAR4 mmap), and completion is
 * seen by polling a fence value that the job writes into VRAM. Trapped
 * (emulated) BAR0 accesses are counted by the driver per vGPU in
 * /sys/bus/mdev/devices/UUID/tessera/csr_traps. Run inside the VM by
 * bench/guest-bench.sh; prints the same lines as bench/sched_bench.c
 * (shared code in bench/bench.[ch]) for bench/analyze.py.
 *
 *   vgpu_bench stream SECS         one vGPU, ring kept full of 1 ms jobs
 *   vgpu_bench pingpong SECS       one vGPU, one 20 us job at a time
 *   vgpu_bench saturate N SECS     N vGPUs (one process each) saturating
 *   vgpu_bench storm SECS          the cost of an interrupt storm to a
 *                                  bystander: vGPU B's pingpong rate on
 *                                  engine 0 alone, while vGPU A keeps
 *                                  engine 1 busy with rings of FENCE
 *                                  commands, then of FENCE|IRQ, under the
 *                                  scheduler's irq_budget and without one
 *
 * Environment: BENCH_VGPU_TYPE (default tessera-8m, else the first type),
 * BENCH_POLL_US (sleep between two polls of the fence, default 5; 0 spins),
 * BENCH_JOB_US (heavy job length of saturate), TESSERA_MDEV_PARENT (PCI
 * address of the parent, else the first one). The vGPUs are removed at
 * the end, also on failure and on SIGINT/SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "mdev-common.h"
#include "sched-sysfs.h"

#define DEFAULT_TYPE	"tessera-8m"
#define RING_VA		0x0ull
#define FENCE_VA	0x100000ull	/* 1 MiB: after the largest ring */
#define JOB_DW		(TESSERA_BUSY_LEN + TESSERA_FENCE_LEN)
/* Rounds of run_storm() at most (BENCH_STORM_ROUNDS). */
#define BENCH_STORM_MAX_ROUNDS	16

/**
 * struct vgpu - one vGPU and the guest driver's state of its engine 0
 * @uuid: the mdev
 * @hw_ctx: its hardware context (scheduler statistics)
 * @t: the VFIO device
 * @r: ring of context 0 on engine 0, at RING_VA
 * @seq: fence value of the last job queued
 * @created: mdev exists
 */
struct vgpu {
	char uuid[MDEV_UUID_LEN];
	unsigned int hw_ctx;
	struct tess_dev t;
	struct tess_ring r;
	u64 seq;
	int created;
};

static struct vgpu vgpus[BENCH_MAXC];
static int nr_vgpus;
static char parent[512];
static char vtype[64] = DEFAULT_TYPE;
static u32 ring_bytes = 16384;
static unsigned int poll_us = 5;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The native rings' size (module parameter), so both sides queue alike. */
static void read_ring_size(void)
{
	FILE *f = fopen("/sys/module/tessera/parameters/ring_kb", "r");
	unsigned int kb;

	if (!f)
		return;
	if (fscanf(f, "%u", &kb) == 1 && kb >= 4 && kb <= 1024)
		ring_bytes = kb << 10;
	fclose(f);
}

static int pick_type(void)
{
	char names[16][64];
	const char *env = getenv("BENCH_VGPU_TYPE");
	const char *bdf = getenv("TESSERA_MDEV_PARENT");
	int i, n;

	if (bdf && *bdf)
		snprintf(parent, sizeof(parent),
			 "/sys/bus/pci/devices/%s/mdev_supported_types", bdf);
	else if (mdev_parent_find("tessera-", parent, sizeof(parent)))
		return -ENOENT;
	n = mdev_types(parent, names, 16);
	if (n <= 0)
		return n ? n : -ENOENT;
	if (env && *env)
		snprintf(vtype, sizeof(vtype), "%s", env);
	for (i = 0; i < n; i++)
		if (!strcmp(names[i], vtype))
			return 0;
	snprintf(vtype, sizeof(vtype), "%s", names[0]);
	return 0;
}

static void vgpus_remove(void)
{
	int i;

	for (i = 0; i < nr_vgpus; i++)
		if (vgpus[i].created && mdev_remove(vgpus[i].uuid))
			fprintf(stderr, "vGPU %s not removed\n", vgpus[i].uuid);
	nr_vgpus = 0;
}

static int vgpus_create(int n)
{
	long long hw;
	int i, ret;

	for (i = 0; i < n; i++) {
		struct vgpu *v = &vgpus[i];

		memset(v, 0, sizeof(*v));
		mdev_uuid_gen(v->uuid);
		ret = mdev_create(parent, vtype, v->uuid);
		if (ret) {
			fprintf(stderr, "vGPU %d of type %s: %s\n", i, vtype,
				strerror(-ret));
			return ret;
		}
		v->created = 1;
		nr_vgpus = i + 1;
		hw = mdev_attr_u64(v->uuid, "tessera/hw_context");
		if (hw < 0)
			return (int)hw;
		v->hw_ctx = hw;
	}
	return 0;
}

/*
 * Open a vGPU and program it as its guest driver would: context 0 over the
 * whole partition, a ring on engine 0, engine started (trapped, once).
 */
static int vgpu_start(struct vgpu *v)
{
	struct tess_dev *t = &v->t;
	int ret;

	ret = tess_open_mdev(t, v->uuid);
	if (ret) {
		fprintf(stderr, "%s\n", t->err);
		return ret;
	}
	if (!t->vram || !t->db) {
		fprintf(stderr, "%s: BAR2/BAR4 not mmapped\n", v->uuid);
		return -ENXIO;
	}
	ret = tess_ctx_setup(t, 0, 0, t->vram_size, 0, t->gart_entries);
	if (!ret)
		ret = tess_ring_init(t, &v->r, 0, 0, RING_VA, ring_bytes);
	if (ret)
		return ret;
	tess_vram_wr32(t, FENCE_VA, 0);
	tess_vram_wr32(t, FENCE_VA + 4, 0);
	v->seq = 0;
	return tess_eng_start(t, 0, 0);
}

static u64 vgpu_done(struct vgpu *v)
{
	return tess_vram_rd64(&v->t, FENCE_VA);
}

/* Jobs queued and not completed; the ring holds size / job - 1 of them. */
static int vgpu_full(struct vgpu *v)
{
	return v->seq - vgpu_done(v) >= v->r.size / (JOB_DW * 4) - 1;
}

/*
 * Queue BUSY @ns + FENCE(WRITE | IRQ, ++seq, FENCE_VA): dwords into the
 * ring through BAR2, then the tail through the doorbell page. No BAR0
 * access. The fence raises the fence interrupt as the native driver's own
 * fence after each job does, so that the device and the host do the same
 * work per job on both sides; only the waiting differs (we poll VRAM).
 */
static int vgpu_push(struct vgpu *v, u64 ns)
{
	u32 c[JOB_DW];
	unsigned int k, n;

	n = tess_enc_busy(c, ns);
	n += tess_enc_fence(c + n, TESSERA_FENCE_WRITE | TESSERA_FENCE_IRQ,
			    v->seq + 1, FENCE_VA);
	for (k = 0; k < n; k++) {
		mmio_wr32((u8 *)v->t.vram + v->r.vram_off + v->r.tail, c[k]);
		v->r.tail = (v->r.tail + 4) & (v->r.size - 1);
	}
	v->seq++;
	/* the commands must be in VRAM before the engine sees the tail */
	__sync_synchronize();
	return tess_ring_kick(&v->r);
}

/*
 * Wait until the fence in VRAM reaches @seq, or with @room until the ring
 * has room for a job; sleep @pause_us between two reads (0: spin).
 */
static int vgpu_wait(struct vgpu *v, u64 seq, int room, unsigned int pause_us)
{
	long long deadline = bench_now_ns() + BENCH_JOB_TIMEOUT_NS;

	while (room ? vgpu_full(v) : vgpu_done(v) < seq) {
		if (stop)
			return -EINTR;
		if (bench_now_ns() > deadline) {
			fprintf(stderr, "%s: fence %llu, last job %llu: stuck\n",
				v->uuid, (unsigned long long)vgpu_done(v),
				(unsigned long long)v->seq);
			return -ETIMEDOUT;
		}
		if (pause_us)
			tess_sleep_us(pause_us);
	}
	return 0;
}

static int vgpu_submit(void *arg)
{
	struct vgpu *v = arg;
	/* a full ring of 1 ms jobs frees a slot every ms: no need to spin */
	int ret = vgpu_wait(v, 0, 1, BENCH_STREAM_JOB_NS / 4000);

	return ret ? ret : vgpu_push(v, BENCH_STREAM_JOB_NS);
}

static int vgpu_run(void *arg)
{
	struct vgpu *v = arg;
	int ret = vgpu_push(v, BENCH_PINGPONG_JOB_NS);

	return ret ? ret : vgpu_wait(v, v->seq, 0, poll_us);
}

static long long vgpu_traps(void *arg)
{
	struct vgpu *v = arg;

	return mdev_attr_u64(v->uuid, "tessera/csr_traps");
}

static int rate(const char *mode, double secs)
{
	struct vgpu *v = &vgpus[0];
	char wait[64];
	struct bench_client c = {
		.submit = vgpu_submit,
		.run = vgpu_run,
		.traps = vgpu_traps,
		.arg = v,
		.wait = wait,
	};
	int ret;

	snprintf(wait, sizeof(wait), "vram-poll-%uus", poll_us);
	ret = vgpus_create(1);
	if (!ret)
		ret = vgpu_start(v);
	if (!ret) {
		printf("client vgpu\ntype %s\nctx %u\nring_bytes %u\n", vtype,
		       v->hw_ctx, v->r.size);
		ret = bench_rate(mode, &c, secs);
	}
	tess_close(&v->t);
	return ret;
}

/* A saturating vGPU client (child of bench_spawn()). */
static int heavy_client(void *arg)
{
	struct vgpu *v = arg;
	unsigned int pause = bench_heavy_job_ns / 4000;

	if (vgpu_start(v))
		return -1;
	while (!vgpu_full(v))
		if (vgpu_push(v, bench_heavy_job_ns))
			return -1;
	if (bench_ready(v->hw_ctx))
		return -1;
	for (;;)
		if (vgpu_wait(v, 0, 1, pause) ||
		    vgpu_push(v, bench_heavy_job_ns))
			return -1;
}

static int saturate(int n, double secs)
{
	unsigned int ctx[BENCH_MAXC], w[BENCH_MAXC];
	pid_t p[BENCH_MAXC];
	long long wt;
	int i, ret;

	if (n < 1 || n > BENCH_MAXC)
		return -EINVAL;
	ret = vgpus_create(n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		p[i] = bench_spawn(heavy_client, &vgpus[i], &ctx[i]);
		if (p[i] < 0) {
			fprintf(stderr, "vGPU client %d failed\n", i);
			bench_stop_all(p, i);
			return -EIO;
		}
		/* the scheduler weight of the vGPU's rings */
		wt = mdev_attr_u64(vgpus[i].uuid, "tessera/weight");
		w[i] = wt > 0 ? wt : 0;
	}
	printf("client vgpu\ntype %s\n", vtype);
	bench_saturate_window(ctx, w, n, secs);
	bench_stop_all(p, n);
	return 0;
}

/* Commands per storm round: FENCE|IRQ, the last one also writing VRAM. */
#define STORM_FENCES	256

/*
 * What the storming tenant does in a phase of run_storm(); each storm
 * comes with a baseline that loads the guest and the device alike
 * without the interrupts or doorbells.
 */
enum storm_mode {
	STORM_FENCE,	/* rings of FENCE commands on engine 1 (baseline) */
	STORM_IRQ,	/* the same rings of FENCE|IRQ */
	STORM_SPIN,	/* a CPU loop writing one VRAM word (baseline) */
	STORM_DB,	/* the same loop writing its doorbell of engine 1 */
};

static enum storm_mode storm_mode;

/*
 * The storming tenant (child of bench_spawn()) as a guest driver with
 * MSI-X enabled and engine 1's fence interrupt unmasked, as a VMM sets a
 * vGPU up. STORM_FENCE/STORM_IRQ keep engine 1 busy with rounds of
 * STORM_FENCES fences (with STORM_IRQ one interrupt each; the device
 * coalesces those the host has not acknowledged yet) and acknowledge the
 * vGPU's interrupt status once a round. STORM_SPIN/STORM_DB never start
 * engine 1: they write, as fast as the CPU goes, either a word of VRAM
 * (BAR2) or the doorbell of engine 1 (BAR4), which rings for an engine
 * the context is not loaded on.
 */
static int storm_client(void *arg)
{
	struct vgpu *v = arg;
	struct tess_dev *t = &v->t;
	int irq = storm_mode == STORM_IRQ;
	volatile u32 *word;
	u32 c[TESSERA_FENCE_LEN];
	unsigned int i, k, n;
	u64 round = 0;

	if (tess_open_mdev(t, v->uuid) || !t->vram || !t->db ||
	    tess_ctx_setup(t, 0, 0, t->vram_size, 0, t->gart_entries) ||
	    tess_ring_init(t, &v->r, 0, 1, RING_VA, ring_bytes) ||
	    vfio_irq_enable(&t->vfio, VFIO_PCI_MSIX_IRQ_INDEX, 1 + t->engines))
		return -1;
	tess_eng_wr(t, 1, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(1));
	if (storm_mode == STORM_SPIN || storm_mode == STORM_DB) {
		word = storm_mode == STORM_DB ?
		       (volatile u32 *)((u8 *)t->db + TESSERA_DB_TAIL(1)) :
		       (volatile u32 *)((u8 *)t->vram + FENCE_VA);
		if (bench_ready(v->hw_ctx))
			return -1;
		for (;;)
			for (k = 0; k < 1000; k++)
				*word = 0;
	}
	if (tess_eng_start(t, 1, 0))
		return -1;
	tess_vram_wr32(t, FENCE_VA, 0);
	tess_vram_wr32(t, FENCE_VA + 4, 0);
	if (bench_ready(v->hw_ctx))
		return -1;
	for (;;) {
		round++;
		for (i = 0; i < STORM_FENCES; i++) {
			n = tess_enc_fence(c, (irq ? TESSERA_FENCE_IRQ : 0) |
					   (i == STORM_FENCES - 1 ?
					    TESSERA_FENCE_WRITE : 0),
					   round, FENCE_VA);
			for (k = 0; k < n; k++) {
				mmio_wr32((u8 *)t->vram + v->r.vram_off +
					  v->r.tail, c[k]);
				v->r.tail = (v->r.tail + 4) & (v->r.size - 1);
			}
		}
		__sync_synchronize();
		if (tess_ring_kick(&v->r))
			return -1;
		while (tess_vram_rd64(t, FENCE_VA) < round)
			tess_sleep_us(50);
		tess_eng_wr(t, 1, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	}
}

/* Pingpong jobs of @v completed in @secs. */
static double pingpong_rate(struct vgpu *v, double secs)
{
	long long t0 = bench_now_ns(), end = t0 + (long long)(secs * 1e9);
	unsigned long long jobs = 0;

	while (bench_now_ns() < end) {
		if (vgpu_run(v))
			return -1;
		jobs++;
	}
	return jobs / ((bench_now_ns() - t0) / 1e9);
}

/**
 * struct storm_phase - one phase of run_storm(), and what it measured
 * @name: key prefix of its output lines
 * @mode: what the storming tenant does
 * @budget: irq_budget during the phase (NULL: the default)
 * @base: index of the phase it is compared with (itself: a baseline)
 * @jobs: the bystander's pingpong jobs/s, per round
 * @irqs: host interrupts/s on the Tessera vectors, per round
 * @storms: the storming context's irq_storms, summed over the rounds
 * @throttled: doorbell passes put off to the next tick (debugfs
 *	doorbells "throttled"), summed over the rounds
 */
struct storm_phase {
	const char *name;
	enum storm_mode mode;
	const char *budget;
	int base;
	double jobs[BENCH_STORM_MAX_ROUNDS];
	double irqs[BENCH_STORM_MAX_ROUNDS];
	long long storms, throttled;
};

/* The doorbell throttle's count of the first GPU, or 0. */
static long long db_throttled(void)
{
	static const char *const key[] = { "throttled" };
	long long n = 0;

	return vgpu_debugfs_keys("doorbells", key, 1, &n) ? 0 : n;
}

static double mean(const double *x, int n)
{
	double s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += x[i];
	return n ? s / n : 0;
}

/*
 * One round of a phase: the storming tenant @a started in @ph->mode, the
 * bystander @b's pingpong rate measured for @secs after a warm-up.
 */
static int storm_round(struct storm_phase *ph, int r, struct vgpu *a,
		       struct vgpu *b, const char *dflt, double secs)
{
	long long s0, t0, i0, thr0;
	unsigned int ctx;
	pid_t p;

	storm_mode = ph->mode;
	sched_knob_write("irq_budget", ph->budget ? ph->budget : dflt);
	p = bench_spawn(storm_client, a, &ctx);
	if (p < 0)
		return -EIO;
	usleep(BENCH_WARMUP_US);
	s0 = mdev_attr_u64(a->uuid, "tessera/irq_storms");
	thr0 = db_throttled();
	i0 = sched_host_irqs("");
	t0 = bench_now_ns();
	ph->jobs[r] = pingpong_rate(b, secs);
	ph->irqs[r] = (sched_host_irqs("") - i0) /
		      ((bench_now_ns() - t0) / 1e9);
	ph->storms += mdev_attr_u64(a->uuid, "tessera/irq_storms") - s0;
	ph->throttled += db_throttled() - thr0;
	bench_stop_all(&p, 1);
	return ph->jobs[r] < 0 ? -EIO : 0;
}

/*
 * The cost of a storming tenant A to a bystander B: B's pingpong rate on
 * engine 0 while A storms, against its rate while A loads the guest and
 * the device alike without the interrupts (or doorbells). Under
 * emulation the engines and both tenants share the host's CPUs, so that
 * difference is what the storm costs, not the device work. The phases
 * take turns, BENCH_STORM_ROUNDS rounds (default 3) of @secs each, so
 * that a drift of the host shows in every phase alike; each storm phase
 * is compared round by round with its baseline of the same round.
 */
static int run_storm(double secs)
{
	static struct storm_phase ph[] = {
		{ .name = "fence", .mode = STORM_FENCE, .base = 0 },
		{ .name = "default", .mode = STORM_IRQ, .base = 0 },
		{ .name = "none", .mode = STORM_IRQ, .budget = "0", .base = 0 },
		{ .name = "spin", .mode = STORM_SPIN, .base = 3 },
		{ .name = "doorbell", .mode = STORM_DB, .base = 3 },
	};
	struct vgpu *b = &vgpus[0], *a = &vgpus[1];
	const char *env = getenv("BENCH_STORM_ROUNDS");
	int rounds = env ? atoi(env) : 3;
	double lo, hi, k, alone;
	char dflt[32] = "64";
	unsigned int i;
	int r, ret;

	if (STORM_FENCES * TESSERA_FENCE_LEN * 4 >= ring_bytes ||
	    rounds < 1 || rounds > BENCH_STORM_MAX_ROUNDS)
		return -EINVAL;
	ret = vgpus_create(2);
	if (!ret)
		ret = vgpu_start(b);
	if (ret)
		return ret;
	sched_knob_read("irq_budget", dflt, sizeof(dflt));
	printf("client vgpu\ntype %s\nmode storm\nstorm_budget %s\nstorm_rounds %d\n",
	       vtype, dflt, rounds);
	alone = pingpong_rate(b, secs);
	printf("storm_alone_jobs_s %.1f\n", alone);
	for (r = 0; r < rounds && !ret; r++)
		for (i = 0; i < ARRAY_SIZE(ph) && !ret; i++)
			ret = storm_round(&ph[i], r, a, b, dflt, secs);
	sched_knob_write("irq_budget", dflt);
	tess_close(&b->t);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(ph); i++) {
		lo = 1e9;
		hi = 0;
		for (r = 0; r < rounds; r++) {
			k = ph[ph[i].base].jobs[r] > 0 ?
			    ph[i].jobs[r] / ph[ph[i].base].jobs[r] : 0;
			lo = k < lo ? k : lo;
			hi = k > hi ? k : hi;
		}
		printf("storm_%s_jobs_s %.1f\nstorm_%s_irqs_s %.0f\n",
		       ph[i].name, mean(ph[i].jobs, rounds), ph[i].name,
		       mean(ph[i].irqs, rounds));
		printf("storm_%s_storms %lld\nstorm_%s_throttled %lld\n",
		       ph[i].name, ph[i].storms, ph[i].name, ph[i].throttled);
		if (ph[i].base == (int)i)
			continue;
		printf("storm_%s_base %s\nstorm_%s_kept %.3f\n", ph[i].name,
		       ph[ph[i].base].name, ph[i].name,
		       mean(ph[i].jobs, rounds) / mean(ph[ph[i].base].jobs, rounds));
		printf("storm_%s_kept_min %.3f\nstorm_%s_kept_max %.3f\n",
		       ph[i].name, lo, ph[i].name, hi);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int ret;

	if (argc < 3)
		goto usage;
	if (bench_init())
		return 1;
	if (getenv("BENCH_POLL_US"))
		poll_us = strtoul(getenv("BENCH_POLL_US"), NULL, 0);
	read_ring_size();
	ret = pick_type();
	if (ret) {
		fprintf(stderr, "no Tessera mdev parent (vfio, mdev loaded?)\n");
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "stream") || !strcmp(argv[1], "pingpong"))
		ret = rate(argv[1], atof(argv[2]));
	else if (!strcmp(argv[1], "storm"))
		ret = run_storm(atof(argv[2]));
	else if (!strcmp(argv[1], "saturate") && argc >= 4)
		ret = saturate(atoi(argv[2]), atof(argv[3]));
	else
		goto usage;
	vgpus_remove();
	return ret ? 1 : 0;
usage:
	fprintf(stderr,
		"usage: vgpu_bench stream SECS | pingpong SECS | saturate N SECS | storm SECS\n");
	return 2;
}
