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
#include "vfio-mdev.h"
#include "sched-sysfs.h"

#define DEFAULT_TYPE	"tessera-8m"
#define RING_VA		0x0ull
#define FENCE_VA	0x100000ull	/* 1 MiB: after the largest ring */
#define JOB_DW		(TESSERA_BUSY_LEN + TESSERA_FENCE_LEN)

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

/* Does the storming tenant ask for an interrupt with every fence? */
static int storm_irq;

/*
 * The storming tenant (child of bench_spawn()): its context's ring on
 * engine 1 kept full of FENCE commands, with storm_irq FENCE|IRQ, one
 * interrupt each (the device coalesces those the host has not
 * acknowledged yet), else the same device work without interrupts.
 */
static int storm_client(void *arg)
{
	struct vgpu *v = arg;
	struct tess_dev *t = &v->t;
	u32 c[TESSERA_FENCE_LEN];
	unsigned int i, k, n;
	u64 round = 0;

	if (tess_open_mdev(t, v->uuid) || !t->vram || !t->db ||
	    tess_ctx_setup(t, 0, 0, t->vram_size, 0, t->gart_entries) ||
	    tess_ring_init(t, &v->r, 0, 1, RING_VA, ring_bytes) ||
	    tess_eng_start(t, 1, 0))
		return -1;
	tess_vram_wr32(t, FENCE_VA, 0);
	tess_vram_wr32(t, FENCE_VA + 4, 0);
	if (bench_ready(v->hw_ctx))
		return -1;
	for (;;) {
		round++;
		for (i = 0; i < STORM_FENCES; i++) {
			n = tess_enc_fence(c, (storm_irq ? TESSERA_FENCE_IRQ : 0) |
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

/*
 * The bystander's rate is compared with its rate while the other tenant
 * does the same device work without interrupts: under emulation the
 * engines share the host's CPUs with everything else, so the difference
 * between the two is what the interrupts cost, not the device work.
 */
static int run_storm(double secs)
{
	static const char *const name[] = { "quiet", "default", "none" };
	struct vgpu *b = &vgpus[0], *a = &vgpus[1];
	double alone, quiet = 0, with;
	char dflt[32] = "64";
	unsigned int ctx;
	long long s0;
	pid_t p;
	int i, ret;

	if (STORM_FENCES * TESSERA_FENCE_LEN * 4 >= ring_bytes)
		return -EINVAL;
	ret = vgpus_create(2);
	if (!ret)
		ret = vgpu_start(b);
	if (ret)
		return ret;
	sched_knob_read("irq_budget", dflt, sizeof(dflt));
	printf("client vgpu\ntype %s\nmode storm\nstorm_budget %s\n", vtype,
	       dflt);
	alone = pingpong_rate(b, secs);
	printf("storm_alone_jobs_s %.1f\n", alone);
	for (i = 0; i < 3 && !ret; i++) {
		storm_irq = i > 0;
		sched_knob_write("irq_budget", i == 2 ? "0" : dflt);
		p = bench_spawn(storm_client, a, &ctx);
		if (p < 0) {
			ret = -EIO;
			break;
		}
		s0 = mdev_attr_u64(a->uuid, "tessera/irq_storms");
		usleep(BENCH_WARMUP_US);
		with = pingpong_rate(b, secs);
		if (!i)
			quiet = with;
		printf("storm_%s_jobs_s %.1f\nstorm_%s_kept %.3f\nstorm_%s_storms %lld\n",
		       name[i], with, name[i], quiet > 0 ? with / quiet : 0,
		       name[i], mdev_attr_u64(a->uuid, "tessera/irq_storms") - s0);
		bench_stop_all(&p, 1);
	}
	sched_knob_write("irq_budget", dflt);
	tess_close(&b->t);
	return ret;
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
