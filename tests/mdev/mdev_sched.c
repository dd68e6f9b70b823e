// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_sched: the time-slice scheduler with vGPUs as its clients. The test
 * acts as the guest of several vGPUs (rings in each vGPU's VRAM partition
 * through BAR2, doorbells through BAR4, fences written to VRAM) and, for
 * the mixed case, as a native /dev/tessera0 client:
 *
 * - an endless BATCH_JUMP loop in one vGPU is detected as hung and reset;
 *   the guest is told through its virtual fault registers and its MSI-X
 *   fault vector, recovers its engine and runs again, while two other
 *   vGPUs' jobs all complete;
 * - weights 1:3 on two saturating vGPUs give engine shares of 25/75;
 * - a vGPU and a native context sharing engine 0 both complete their work.
 *
 * Shares come from the driver's per-client statistics (debugfs sched), as
 * in tests/sched. Every scheduler knob changed is restored by the fixture
 * teardown, also when a test fails.
 */
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mdev-common.h"
#include "libtessera.h"
#include "sched-sysfs.h"

#define MAX_VGPUS	3
#define WAIT_MS		60000	/* generous: TCG on a loaded host */
#define WAIT_NS		(WAIT_MS * 1000000LL)
#define ACCOUNT_MS	5000	/* for the scheduler's last pass */
#define TEST_TIMEOUT_S	600

#define DATA_VA		0x10000ull	/* scratch data */
#define FENCE_VA	0x20000ull	/* u64 fence slots, one per job */
#define LOOP_VA		0x30000ull	/* the endless batch */

/* RING_FENCE of context 0's ring on engine @e (a vGPU's own ring) */
#define RING_FENCE(e)	TESSERA_CTX_RING_REG(0, e, TESSERA_RING_FENCE_LO)

#define JOBS		40		/* jobs per client */
#define JOB_NS		1000000ull	/* BUSY per job: 1 ms */
#define PEER_JOB_NS	4000000ull	/* B's and C's jobs beside the hang */
#define SAT_JOB_NS	4000000ull	/* BUSY per saturating job: 4 ms */

/* The parent GPU's scheduler (tests/lib/sched-sysfs); 0 or -1. */
static int find_paths(void)
{
	const char *types = mdev_parent();
	char dev[320], *p;

	if (!types)
		return -1;
	snprintf(dev, sizeof(dev), "%s", types);
	p = strrchr(dev, '/');
	if (!p)
		return -1;
	*p = '\0';			/* .../0000:bb:dd.f */
	return sched_sysfs_init(dev) ? -1 : 0;
}

/* The knobs the tests may change, saved at setup, restored at teardown. */
static const char * const saved_knobs[] = {
	"policy", "timeslice_us", "hang_slices",
};

#define NR_KNOBS	ARRAY_SIZE(saved_knobs)

/* The vGPUs of a test, and the weights it changed. */
struct vgpus {
	char uuid[MAX_VGPUS][MDEV_UUID_LEN];
	struct tess_dev t[MAX_VGPUS];
	struct tess_ring r[MAX_VGPUS];
	unsigned int ctx[MAX_VGPUS];
	unsigned int old_weight[MAX_VGPUS];
	int weight_changed[MAX_VGPUS];
	int created, opened;
	char err[400];
};

FIXTURE(vsched) {
	struct vgpus v;
	int ok;
	char knob[NR_KNOBS][64];
};

/*
 * Create and open @n vGPUs of the small type, each with context 0 over
 * its partition and a 4 KiB ring at VA 0 on engine 0, engine started.
 * Return: 0 or a negative errno (@g->err says why).
 */
static int vgpus_up(struct vgpus *g, int n)
{
	long long v;
	int ret;

	while (g->created < n) {
		ret = vgpu_create(SMALL_TYPE, g->uuid[g->created]);
		if (ret) {
			snprintf(g->err, sizeof(g->err),
				 "create vGPU %d: %s", g->created,
				 strerror(-ret));
			return ret;
		}
		g->created++;
	}
	while (g->opened < n) {
		int i = g->opened;

		ret = tess_open_mdev(&g->t[i], g->uuid[i]);
		if (ret) {
			snprintf(g->err, sizeof(g->err), "open %s: %s",
				 g->uuid[i], g->t[i].err);
			return ret;
		}
		g->opened++;
		v = mdev_attr_u64(g->uuid[i], "tessera/hw_context");
		if (v < 0) {
			snprintf(g->err, sizeof(g->err),
				 "%s: no tessera/hw_context", g->uuid[i]);
			return (int)v;
		}
		g->ctx[i] = (unsigned int)v;
		ret = vgpu_setup(&g->t[i], &g->r[i], 0, 0);
		if (ret) {
			snprintf(g->err, sizeof(g->err),
				 "%s: vgpu_setup: %s", g->uuid[i],
				 strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* Scheduler weight of vGPU @i (its hardware context, every engine). */
static int vgpu_set_weight(struct vgpus *g, int i, unsigned int w)
{
	char b[64];
	long long old;

	if (!g->weight_changed[i]) {
		old = mdev_attr_u64(g->uuid[i], "tessera/weight");
		if (old <= 0)
			return -EINVAL;
		g->old_weight[i] = (unsigned int)old;
		g->weight_changed[i] = 1;
	}
	snprintf(b, sizeof(b), "%u %u\n", g->ctx[i], w);
	return sched_knob_write("weights", b);
}

FIXTURE_SETUP(vsched)
{
	unsigned int k;

	if (!mdev_parent())
		SKIP(return, "no Tessera mdev parent (module loaded?)");
	if (find_paths())
		SKIP(return, "no sched sysfs directory or debugfs sched file");
	for (k = 0; k < NR_KNOBS; k++)
		ASSERT_EQ(0, sched_knob_read(saved_knobs[k], self->knob[k],
					     sizeof(self->knob[k])));
	self->ok = 1;
}

FIXTURE_TEARDOWN(vsched)
{
	struct vgpus *g = &self->v;
	char b[64];
	unsigned int k;
	int i;

	if (self->ok) {
		for (k = 0; k < NR_KNOBS; k++)
			if (sched_knob_write(saved_knobs[k], self->knob[k]))
				TH_LOG("could not restore sched/%s to %s",
				       saved_knobs[k], self->knob[k]);
		for (i = 0; i < g->opened; i++) {
			if (!g->weight_changed[i])
				continue;
			snprintf(b, sizeof(b), "%u %u\n", g->ctx[i],
				 g->old_weight[i]);
			if (sched_knob_write("weights", b))
				TH_LOG("could not restore the weight of %u",
				       g->ctx[i]);
		}
	}
	for (i = 0; i < g->opened; i++)
		tess_close(&g->t[i]);
	for (i = 0; i < g->created; i++)
		mdev_remove(g->uuid[i]);
}

/* Queue @n jobs (BUSY @ns, then fence i written to FENCE_VA + 8 i). */
static int queue_jobs(struct tess_ring *r, unsigned int n, u64 ns)
{
	unsigned int i;
	int ret;

	for (i = 1; i <= n; i++) {
		ret = tess_emit_busy(r, ns);
		if (!ret)
			ret = tess_emit_fence(r, TESSERA_FENCE_WRITE, i,
					      FENCE_VA + 8 * i);
		if (ret)
			return ret;
	}
	return 0;
}

/* Number of fence slots 1..@n that do not hold their job's value. */
static unsigned int bad_fences(struct tess_dev *t, unsigned int n)
{
	unsigned int i, bad = 0;

	for (i = 1; i <= n; i++)
		bad += tess_vram_rd64(t, FENCE_VA + 8 * i) != i;
	return bad;
}

/*
 * vGPU A loops forever in a batch (BATCH_JUMP to itself) on engine 0
 * while vGPUs B and C run 40 jobs of 4 ms each there (long enough that
 * they are still running when A is found hung). B's and C's jobs all
 * complete with their fences; A is detected as hung after hang_slices
 * slices without ring progress, reset, and told: its virtual engine is
 * FAULTED with TESSERA_FAULT_HANG and its MSI-X engine vector fires (fault
 * interrupt enabled). The rest of A's ring is discarded (its fence never
 * lands); after an engine reset, head := tail and START, A runs again.
 */
TEST_F_TIMEOUT(vsched, endless_loop_in_one_vgpu_is_reset, TEST_TIMEOUT_S)
{
	struct vgpus *g = &self->v;
	struct tess_dev *a = &g->t[0];
	struct tess_ring *ra = &g->r[0];
	struct sched_stat s0 = { 0 }, s1 = { 0 }, sb;
	struct tess_fault f;
	u32 cmd[8], st;
	unsigned int n;
	int i, ret;

	ASSERT_EQ(0, vgpus_up(g, 3)) {
		TH_LOG("%s", g->err);
	}
	ASSERT_EQ(0, sched_knob_write("hang_slices", "25"));	/* 50 ms of slices */

	/* A: the fault interrupt of engine 0 on MSI-X. */
	ASSERT_EQ(0, vfio_irq_enable(&a->vfio, VFIO_PCI_MSIX_IRQ_INDEX,
				     1 + a->engines));
	tess_eng_wr(a, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FAULT);
	tess_eng_wr(a, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	tess_wr32(a, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));

	/* A: a batch that jumps to itself, called from the ring. */
	n = tess_enc_batch_jump(cmd, LOOP_VA, 4 * TESSERA_BATCH_JUMP_LEN);
	ASSERT_EQ(0, tess_vram_write(a, LOOP_VA, cmd, n * 4));
	ASSERT_EQ(0, tess_emit_batch_call(ra, LOOP_VA,
					  4 * TESSERA_BATCH_JUMP_LEN));
	ASSERT_EQ(0, tess_emit_fence(ra, 0, 1, 0));

	for (i = 1; i < 3; i++)
		ASSERT_EQ(0, queue_jobs(&g->r[i], JOBS, PEER_JOB_NS));
	ASSERT_EQ(0, sched_client_stat(g->ctx[0], 0, &s0));

	ASSERT_EQ(0, tess_ring_kick(ra));
	for (i = 1; i < 3; i++)
		ASSERT_EQ(0, tess_ring_kick(&g->r[i]));

	/* A is told: MSI-X engine vector, then the virtual fault state. */
	ret = vfio_irq_wait(&a->vfio, TESSERA_MSIX_VECTOR_ENGINE(0), WAIT_MS);
	EXPECT_LT(0, ret) {
		TH_LOG("no MSI-X fault interrupt for the hung vGPU: %d", ret);
	}
	/* Not asserted (timing): were B and C still running then? */
	printf("# A told of its hang with B at fence %llu, C at %llu of %d\n",
	       (unsigned long long)tess_rd64(&g->t[1], RING_FENCE(0)),
	       (unsigned long long)tess_rd64(&g->t[2], RING_FENCE(0)), JOBS);
	ASSERT_EQ(TESSERA_ENG_STATE_FAULTED,
		  tess_eng_wait_halted(a, 0, WAIT_MS));
	tess_eng_fault(a, 0, &f);
	EXPECT_EQ(TESSERA_FAULT_HANG, f.code) {
		TH_LOG("fault code 0x%x (%s)", f.code,
		       tess_fault_name(f.code));
	}
	EXPECT_EQ(0, f.ctx);
	st = tess_eng_rd(a, 0, TESSERA_ENG_INT_STATUS);
	EXPECT_TRUE(st & TESSERA_ENG_INT_FAULT);
	EXPECT_TRUE(tess_rd32(a, TESSERA_REG_INT_STATUS) &
		    TESSERA_INT_ENGINE(0));
	EXPECT_LE(1, mdev_attr_u64(g->uuid[0], "tessera/faults"));
	ASSERT_EQ(0, sched_client_stat(g->ctx[0], 0, &s1));
	EXPECT_EQ(s0.hangs + 1, s1.hangs);
	EXPECT_EQ(s0.resets + 1, s1.resets);
	/* The work behind the loop was discarded: its fence never ran. */
	EXPECT_EQ(0, tess_rd64(a, RING_FENCE(0)));

	/* B and C: every job done, every fence where it belongs. */
	for (i = 1; i < 3; i++) {
		struct tess_dev *t = &g->t[i];

		EXPECT_EQ(0, tess_ring_wait_fence(&g->r[i], JOBS, WAIT_MS));
		EXPECT_EQ(0, bad_fences(t, JOBS));
		EXPECT_NE(TESSERA_ENG_STATE_FAULTED, tess_eng_state(t, 0));
		EXPECT_EQ(0, mdev_attr_u64(g->uuid[i], "tessera/faults"));
		ASSERT_EQ(0, sched_client_stat(g->ctx[i], 0, &sb));
		EXPECT_EQ(0, sb.hangs);
		EXPECT_EQ(0, sb.resets);
	}

	/* A recovers as after any fault: reset, discard, start, run. */
	ASSERT_EQ(0, tess_eng_reset(a, 0));
	EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, tess_eng_state(a, 0));
	EXPECT_EQ(0, tess_eng_rd(a, 0, TESSERA_ENG_FAULT_CODE));
	EXPECT_EQ(0, tess_eng_rd(a, 0, TESSERA_ENG_INT_STATUS));
	ASSERT_EQ(0, tess_ring_set_pos(ra, ra->tail));
	ASSERT_EQ(0, tess_eng_start(a, 0, 0));
	ASSERT_EQ(0, tess_emit_fill(ra, DATA_VA, 4096, 0x5a5a0001));
	ASSERT_EQ(0, tess_emit_busy(ra, JOB_NS));
	ASSERT_EQ(0, tess_emit_fence(ra, 0, 2, 0));
	ASSERT_EQ(0, tess_ring_kick(ra));
	ASSERT_EQ(0, tess_ring_wait_fence(ra, 2, WAIT_MS));
	EXPECT_EQ(-1, tess_vram_check32(a, DATA_VA, 4096, 0x5a5a0001));
	EXPECT_NE(TESSERA_ENG_STATE_FAULTED, tess_eng_state(a, 0));
	ASSERT_EQ(0, sched_client_stat(g->ctx[0], 0, &sb));
	EXPECT_EQ(s1.hangs, sb.hangs);
	ASSERT_EQ(0, vfio_irq_disable(&a->vfio));
}

/*
 * Keep engine 0's ring of vGPUs 0..@n-1 full of SAT_JOB_NS BUSY jobs for
 * @ms milliseconds. Return: 0 or a negative errno.
 */
static int saturate(struct vgpus *g, int n, unsigned int ms)
{
	u64 end = tess_now_ms() + ms;
	int i, queued, ret;

	do {
		for (i = 0; i < n; i++) {
			struct tess_ring *r = &g->r[i];

			queued = 0;
			while (!tess_emit_busy(r, SAT_JOB_NS))
				queued++;
			if (!queued)
				continue;
			ret = tess_ring_kick(r);
			if (ret)
				return ret;
		}
		tess_sleep_us(20000);
	} while (tess_now_ms() < end);
	return 0;
}

/*
 * Two vGPUs saturating engine 0 with weights 100:300 (written through
 * sched/weights for their hardware contexts, read back through the mdev's
 * tessera/weight): the engine time each held, as the policy charged it, is
 * 25/75 within 5 points. The device busy time also carries the emulator's
 * pace (see tests/sched weights_1_3): only its order and a loose band.
 */
TEST_F_TIMEOUT(vsched, vgpu_weights_1_3, TEST_TIMEOUT_S)
{
	struct vgpus *g = &self->v;
	struct sched_stat s0[2], s1[2];
	double held[2], busy[2], th = 0, tb = 0;
	u64 vbusy0, vbusy1;
	int i;

	ASSERT_EQ(0, vgpus_up(g, 2)) {
		TH_LOG("%s", g->err);
	}
	ASSERT_EQ(0, sched_knob_write("policy", "best-effort"));
	ASSERT_EQ(0, vgpu_set_weight(g, 0, 100));
	ASSERT_EQ(0, vgpu_set_weight(g, 1, 300));
	EXPECT_EQ(100, mdev_attr_u64(g->uuid[0], "tessera/weight"));
	EXPECT_EQ(300, mdev_attr_u64(g->uuid[1], "tessera/weight"));

	ASSERT_EQ(0, saturate(g, 2, 500));		/* warm-up */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, sched_client_stat(g->ctx[i], 0, &s0[i]));
	vbusy0 = tess_eng_busy_ns(&g->t[1], 0);
	ASSERT_EQ(0, saturate(g, 2, 4000));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, sched_client_stat(g->ctx[i], 0, &s1[i]));
	vbusy1 = tess_eng_busy_ns(&g->t[1], 0);

	for (i = 0; i < 2; i++) {
		held[i] = (double)(s1[i].charged - s0[i].charged);
		busy[i] = (double)(s1[i].busy - s0[i].busy);
		th += held[i];
		tb += busy[i];
		EXPECT_EQ(0, s1[i].resets);
	}
	ASSERT_LT(0, th);
	ASSERT_LT(0, tb);
	for (i = 0; i < 2; i++) {
		held[i] /= th;
		busy[i] /= tb;
		printf("# vGPU ctx %u weight %d held share %.4f busy share %.4f\n",
		       g->ctx[i], i ? 300 : 100, held[i], busy[i]);
	}
	EXPECT_LT(held[0], held[1]);
	/*
	 * The 25/75 band holds on the stock kernel. The debug kernel (KASAN,
	 * lockdep: each pass of the scheduler's work several times slower)
	 * shifts the shares of 2 ms slices by several points (17.6% and 15.6%
	 * measured); there the suite hunts lock and memory defects, and only
	 * the order is asserted.
	 */
	if (!sched_debug_kernel()) {
		EXPECT_GT(held[0], 0.20);
		EXPECT_LT(held[0], 0.30);
	}
	EXPECT_LT(busy[0], busy[1]);
	EXPECT_GT(busy[0], 0.10);
	EXPECT_LT(busy[0], 0.40);
	/* The guest's virtual ENG_BUSY_NS is its own ring's busy time. */
	EXPECT_LT(vbusy0, vbusy1);
}

/*
 * A vGPU and a native context (/dev/tessera0) on the same engine 0, each
 * with 40 jobs of 1 ms BUSY: both complete all their jobs, both got
 * slices, neither was reset, and each was charged at least its own work
 * in device busy time.
 */
TEST_F_TIMEOUT(vsched, vgpu_and_native_context_share_engine, TEST_TIMEOUT_S)
{
	struct vgpus *g = &self->v;
	struct tess_dev *a = &g->t[0];
	struct sched_stat sv = { 0 }, sn = { 0 };
	uint64_t fence[JOBS];
	struct tsr_dev d;
	uint32_t cmd[4], k;
	unsigned int i;
	u64 t0;
	int ret;

	ASSERT_EQ(0, vgpus_up(g, 1)) {
		TH_LOG("%s", g->err);
	}
	ret = tsr_open(&d, getenv("TESSERA_DEV") ? getenv("TESSERA_DEV") :
		       "/dev/tessera0");
	if (ret == -ENOENT)
		SKIP(return, "no /dev/tessera0");
	ASSERT_EQ(0, ret);

	ASSERT_EQ(0, queue_jobs(&g->r[0], JOBS, JOB_NS));
	ASSERT_EQ(0, tess_ring_kick(&g->r[0]));
	k = tsr_cmd_busy(cmd, JOB_NS);
	for (i = 0; i < JOBS; i++)
		ASSERT_EQ(0, tsr_submit(&d, 0, cmd, k, &fence[i]));
	for (i = 0; i < JOBS; i++)
		EXPECT_EQ(0, tsr_wait(&d, 0, fence[i], WAIT_NS));
	EXPECT_EQ(0, tess_ring_wait_fence(&g->r[0], JOBS, WAIT_MS));
	EXPECT_EQ(0, bad_fences(a, JOBS));
	EXPECT_NE(TESSERA_ENG_STATE_FAULTED, tess_eng_state(a, 0));

	/*
	 * A client's busy time is accounted at the scheduler's passes: the
	 * last one, after the vGPU's final fence (seen in VRAM, before the
	 * interrupt's pass has run), may still be on its way.
	 */
	t0 = tess_now_ms();
	do {
		ASSERT_EQ(0, sched_client_stat(g->ctx[0], 0, &sv));
		ASSERT_EQ(0, sched_client_stat(d.info.ctx_id, 0, &sn));
		if (sv.busy >= JOBS * JOB_NS && sn.busy >= JOBS * JOB_NS)
			break;
		tess_sleep_us(10000);
	} while (tess_now_ms() - t0 < ACCOUNT_MS);
	printf("# vGPU ctx %u: %llu slices, busy %llu ns\n", g->ctx[0],
	       sv.slices, sv.busy);
	printf("# native ctx %u: %llu slices, busy %llu ns\n", d.info.ctx_id,
	       sn.slices, sn.busy);
	EXPECT_LT(0, sv.slices);
	EXPECT_LT(0, sn.slices);
	EXPECT_EQ(0, sv.resets);
	EXPECT_EQ(0, sn.resets);
	EXPECT_LE(JOBS * JOB_NS, sv.busy);
	EXPECT_LE(JOBS * JOB_NS, sn.busy);
	EXPECT_LE(JOBS * JOB_NS, tess_eng_busy_ns(a, 0));
	tsr_close(&d);
}

TEST_HARNESS_MAIN
