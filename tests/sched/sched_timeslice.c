// SPDX-License-Identifier: GPL-2.0
/*
 * Time-slice scheduler kselftests (run inside the VM by
 * run-sched-tests.sh): weighted shares, fixed-share reservation versus
 * best-effort, light-client latency under load, hang detection and reset
 * of an endless batch loop, reset of a client that does not stop within
 * the preemption timeout, run-time knob changes under load, and knob
 * validation. Tests of several clients skip on a device with fewer
 * hardware contexts than they need (a vGPU in guest mode has one; the
 * hang test then runs without its bystanders). Work is the model's BUSY
 * op and shares are measured with the driver's per-client device busy
 * time, so the results do not depend on the emulator's speed; the bounds
 * are generous.
 */
#include <time.h>

#include "native-common.h"
#include "sched-sysfs.h"

#define BUSY_JOB_NS	4000000ull	/* one saturating job: 4 ms */
#define MAX_CLIENTS	8

static int set_weight(uint32_t ctx, unsigned int w)
{
	char b[64];

	snprintf(b, sizeof(b), "%u %u\n", ctx, w);
	return sched_knob_write("weights", b);
}

static unsigned long long charged_of(uint32_t ctx)
{
	struct sched_stat s = { 0 };

	sched_client_stat(ctx, 0, &s);
	return s.charged;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SEC_NS + ts.tv_nsec;
}

/*
 * A saturating client: a child that keeps engine 0's ring full of BUSY
 * jobs until killed. Its context id comes back through a pipe.
 */
struct client {
	pid_t pid;
	uint32_t ctx;
};

static int saturate_start(struct client *c)
{
	int fds[2];

	if (pipe(fds))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		struct tsr_dev d;
		uint32_t cmd[4], k;
		uint64_t fence;

		close(fds[0]);
		if (native_open(&d))
			_exit(1);
		if (write(fds[1], &d.info.ctx_id, 4) != 4)
			_exit(2);
		close(fds[1]);
		k = tsr_cmd_busy(cmd, BUSY_JOB_NS);
		for (;;)
			if (tsr_submit(&d, 0, cmd, k, &fence) &&
			    errno != EINTR && errno != EBUSY)
				_exit(3);
	}
	close(fds[1]);
	if (read(fds[0], &c->ctx, 4) != 4) {
		close(fds[0]);
		return -1;
	}
	close(fds[0]);
	return 0;
}

static void saturate_stop(struct client *c)
{
	int st;

	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &st, 0);
		c->pid = 0;
	}
}

/*
 * Shares of each client over @secs seconds after a warm-up: of the device
 * busy time (ENG_BUSY_NS, per client) and of the engine time held.
 */
static void measure(struct client *c, int n, double secs, double *share,
		    double *held)
{
	struct sched_stat s0[MAX_CLIENTS], s1;
	unsigned long long tb = 0, th = 0;
	int i;

	usleep(500000);
	for (i = 0; i < n; i++)
		sched_client_stat(c[i].ctx, 0, &s0[i]);
	usleep((useconds_t)(secs * 1e6));
	for (i = 0; i < n; i++) {
		sched_client_stat(c[i].ctx, 0, &s1);
		share[i] = (double)(s1.busy - s0[i].busy);
		held[i] = (double)(s1.charged - s0[i].charged);
		tb += s1.busy - s0[i].busy;
		th += s1.charged - s0[i].charged;
	}
	for (i = 0; i < n; i++) {
		share[i] = tb ? share[i] / tb : 0;
		held[i] = th ? held[i] / th : 0;
		printf("# client ctx %u busy share %.4f held share %.4f\n",
		       c[i].ctx, share[i], held[i]);
	}
}

/*
 * A client with a finite amount of work: a child that submits @jobs BUSY
 * jobs of 1 ms on engine 0 and waits for them all. Exit status 0 when
 * every job completed, 10-12 for an open, submit or wait failure.
 */
static pid_t jobs_spawn(unsigned int jobs)
{
	struct tsr_dev o;
	uint64_t fn[64];
	uint32_t c[4], n, k;
	pid_t p = fork();

	if (p)
		return p;
	if (native_open(&o) || jobs > 64)
		_exit(10);
	n = tsr_cmd_busy(c, 1000000);
	for (k = 0; k < jobs; k++)
		if (tsr_submit(&o, 0, c, n, &fn[k]))
			_exit(11);
	for (k = 0; k < jobs; k++)
		if (tsr_wait(&o, 0, fn[k], WAIT_NS))
			_exit(12);
	_exit(0);
}

static void defaults(void)
{
	sched_knob_write("policy", "best-effort");
	sched_knob_write("timeslice_us", "2000");
	sched_knob_write("preempt_timeout_us", "640000");
	sched_knob_write("hang_slices", "2500");
	sched_knob_write("irq_budget", "64");
}

FIXTURE(sched) {
	int ok;
};

FIXTURE_SETUP(sched)
{
	self->ok = !sched_sysfs_init(NULL);
	if (!self->ok)
		SKIP(return, "no tessera sched sysfs/debugfs");
	defaults();
}

FIXTURE_TEARDOWN(sched)
{
	if (self->ok)
		defaults();
}

TEST_F(sched, bad_values_einval)
{
	unsigned int nctx;
	char b[64];

	EXPECT_EQ(-EINVAL, sched_knob_write("policy", "round-robin"));
	EXPECT_EQ(-EINVAL, sched_knob_write("policy", "\n"));
	EXPECT_EQ(-EINVAL, sched_knob_write("timeslice_us", "0"));
	EXPECT_EQ(-EINVAL, sched_knob_write("timeslice_us", "99"));
	EXPECT_EQ(-EINVAL, sched_knob_write("timeslice_us", "1000001"));
	EXPECT_EQ(-EINVAL, sched_knob_write("timeslice_us", "abc"));
	EXPECT_EQ(-EINVAL, sched_knob_write("timeslice_us", "-5"));
	EXPECT_EQ(-EINVAL, sched_knob_write("preempt_timeout_us", "99"));
	EXPECT_EQ(-EINVAL, sched_knob_write("preempt_timeout_us", "10000001"));
	EXPECT_EQ(-EINVAL, sched_knob_write("hang_slices", "1"));
	EXPECT_EQ(-EINVAL, sched_knob_write("irq_budget", "65537"));
	EXPECT_EQ(-EINVAL, sched_knob_write("irq_budget", "-1"));
	EXPECT_EQ(-EINVAL, sched_knob_write("weights", "1"));
	EXPECT_EQ(-EINVAL, sched_knob_write("weights", "1 0"));
	EXPECT_EQ(-EINVAL, sched_knob_write("weights", "1 100001"));
	EXPECT_EQ(-EINVAL, sched_knob_write("weights", "1 100 7"));
	EXPECT_EQ(-EINVAL, sched_knob_write("weights", "100000 100"));
	/* the highest context: a valid number, but nobody has it open */
	ASSERT_EQ(0, sched_knob_read("../tessera/num_contexts", b, sizeof(b)));
	nctx = strtoul(b, NULL, 10);
	ASSERT_GT(nctx, 0);
	snprintf(b, sizeof(b), "%u 100", nctx - 1);
	EXPECT_EQ(-ENOENT, sched_knob_write("weights", b));
	snprintf(b, sizeof(b), "%u 100", nctx);
	EXPECT_EQ(-EINVAL, sched_knob_write("weights", b));
	ASSERT_EQ(0, sched_knob_read("timeslice_us", b, sizeof(b)));
	EXPECT_STREQ("2000", b);
	EXPECT_EQ(0, sched_knob_write("policy", "fixed-share\n"));
	ASSERT_EQ(0, sched_knob_read("policy", b, sizeof(b)));
	EXPECT_STREQ("fixed-share", b);
	EXPECT_EQ(0, sched_knob_write("timeslice_us", "1000"));
	ASSERT_EQ(0, sched_knob_read("timeslice_us", b, sizeof(b)));
	EXPECT_STREQ("1000", b);
}

/* Weights 1:3 on two saturating clients: engine shares 25/75 within 5 points. */
TEST_F(sched, weights_1_3)
{
	struct client c[2] = { 0 };
	double sh[2], held[2];

	if (native_contexts() < 2)
		SKIP(return, "needs 2 hardware contexts, the device has %u",
		     native_contexts());
	ASSERT_EQ(0, saturate_start(&c[0]));
	ASSERT_EQ(0, saturate_start(&c[1]));
	ASSERT_EQ(0, set_weight(c[0].ctx, 100));
	ASSERT_EQ(0, set_weight(c[1].ctx, 300));
	measure(c, 2, 4, sh, held);
	saturate_stop(&c[0]);
	saturate_stop(&c[1]);
	/*
	 * Engine time: what the scheduler hands out, 25/75 within 5 points
	 * (a 2-core host running TCG delays preemptions by up to a few ms).
	 * On the debug kernel (KASAN, lockdep) every pass of the scheduler's
	 * work is several times slower and the shares of 2 ms slices shift
	 * (0.33 seen on single-threaded TCG): there the suite hunts lock and
	 * memory defects, and only the order is asserted, as in mdev_sched.
	 */
	EXPECT_LT(held[0], held[1]);
	if (!sched_debug_kernel()) {
		EXPECT_LT(held[0], 0.30);
		EXPECT_GT(held[0], 0.20);
	}
	/*
	 * Completed work (device busy) also carries the emulator's pace: the
	 * model's engine thread loses its wake-up latency at every switch,
	 * which costs the more often preempted low-weight client most. Only
	 * the order and a loose band are asserted; bench/ measures it.
	 */
	EXPECT_LT(sh[0], sh[1]);
	EXPECT_LT(sh[0], 0.40);
	EXPECT_GT(sh[0], 0.10);
}

/*
 * Two clients of equal weight, one saturating and one attached but idle:
 * best-effort gives the saturating client (nearly) all the engine,
 * fixed-share keeps the idle one's half unused. Measured as the engine
 * time the client held per wall time (the scheduler's charge): under an
 * overloaded emulator the model's engines run slower than device time, so
 * busy time per wall time says more about the host than the scheduler.
 */
TEST_F(sched, fixed_share_keeps_idle_share)
{
	struct client c = { 0 };
	struct tsr_dev idle;
	unsigned long long b0, b1;
	long long t0, t1;
	double util_be, util_fs;

	if (native_contexts() < 2)
		SKIP(return, "needs 2 hardware contexts, the device has %u",
		     native_contexts());
	ASSERT_EQ(0, native_open(&idle));	/* attached, never submits */
	ASSERT_EQ(0, saturate_start(&c));
	usleep(300000);
	b0 = charged_of(c.ctx);
	t0 = now_ns();
	usleep(2000000);
	b1 = charged_of(c.ctx);
	t1 = now_ns();
	util_be = (double)(b1 - b0) / (double)(t1 - t0);

	ASSERT_EQ(0, sched_knob_write("policy", "fixed-share"));
	usleep(300000);
	b0 = charged_of(c.ctx);
	t0 = now_ns();
	usleep(2000000);
	b1 = charged_of(c.ctx);
	t1 = now_ns();
	util_fs = (double)(b1 - b0) / (double)(t1 - t0);
	saturate_stop(&c);
	tsr_close(&idle);
	printf("# engine utilisation of the busy client: best-effort %.3f, fixed-share %.3f\n",
	       util_be, util_fs);
	EXPECT_GT(util_be, 0.70);
	EXPECT_LT(util_fs, 0.62);
	EXPECT_GT(util_fs, 0.38);
}

/* A light client's job completes quickly while three heavy ones saturate. */
TEST_F(sched, light_client_latency)
{
	struct client c[3] = { 0 };
	struct tsr_dev d;
	uint32_t cmd[4], k;
	long long t, worst = 0;
	int i;

	if (native_contexts() < 4)
		SKIP(return, "needs 4 hardware contexts, the device has %u",
		     native_contexts());
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, saturate_start(&c[i]));
	ASSERT_EQ(0, native_open(&d));
	usleep(300000);
	k = tsr_cmd_busy(cmd, 100000);
	for (i = 0; i < 20; i++) {
		t = now_ns();
		EXPECT_EQ(0, tsr_run(&d, 0, cmd, k, WAIT_NS));
		t = now_ns() - t;
		if (t > worst)
			worst = t;
		usleep(20000);
	}
	for (i = 0; i < 3; i++)
		saturate_stop(&c[i]);
	tsr_close(&d);
	printf("# light job worst latency %.2f ms ((N-1) x slice = 6 ms)\n",
	       worst / 1e6);
	/* generous: emulator jitter, but far below a heavy job queue */
	EXPECT_LT(worst, 500 * 1000000LL);
}

/*
 * An endless BATCH_JUMP loop is detected as hung and reset, and told; two
 * other clients' jobs all complete (where the device has the contexts for
 * them: a single-context vGPU runs the hung client alone).
 */
TEST_F(sched, endless_loop_reset)
{
	struct tsr_dev d;
	struct tsr_bo bo;
	struct tessera_fault f;
	struct sched_stat s0 = { 0 }, s1 = { 0 };
	uint32_t cmd[8], k, *m;
	uint64_t fence;
	pid_t p[2];
	int i, st, ret, others = native_contexts() >= 3 ? 2 : 0;

	if (!others)
		printf("# %u context(s): no bystander clients\n", native_contexts());
	ASSERT_EQ(0, sched_knob_write("hang_slices", "25"));	/* 50 ms */
	ASSERT_EQ(0, native_open(&d));
	ASSERT_EQ(0, tsr_bo_alloc(&d, 4096, &bo));
	ASSERT_EQ(0, tsr_bo_map(&d, &bo));
	m = bo.map;
	k = tsr_cmd_batch_jump(cmd, bo.gpu_va, 4 * TESSERA_BATCH_JUMP_LEN);
	memcpy(m, cmd, k * 4);
	__sync_synchronize();

	for (i = 0; i < others; i++)
		p[i] = jobs_spawn(40);
	sched_client_stat(d.info.ctx_id, 0, &s0);
	k = tsr_cmd_batch_call(cmd, bo.gpu_va, 4 * TESSERA_BATCH_JUMP_LEN);
	ASSERT_EQ(0, tsr_submit(&d, 0, cmd, k, &fence));
	ret = tsr_wait(&d, 0, fence, WAIT_NS);
	EXPECT_EQ(-EIO, ret);
	ASSERT_EQ(0, tsr_get_fault(&d, &f));
	EXPECT_TRUE(f.flags & TESSERA_FAULT_VALID);
	EXPECT_EQ(TESSERA_FAULT_HANG, f.code);
	EXPECT_EQ(0u, f.engine);
	sched_client_stat(d.info.ctx_id, 0, &s1);
	EXPECT_EQ(s0.hangs + 1, s1.hangs);
	for (i = 0; i < others; i++) {
		ASSERT_EQ(p[i], waitpid(p[i], &st, 0));
		ASSERT_TRUE(WIFEXITED(st));
		EXPECT_EQ(0, WEXITSTATUS(st));
	}
	/* the reset client works again */
	k = tsr_cmd_busy(cmd, 1000);
	EXPECT_EQ(0, tsr_run(&d, 0, cmd, k, WAIT_NS));
	tsr_bo_free(&d, &bo);
	tsr_close(&d);
}

/*
 * A client whose command has no preemption point (BUSY_ATOMIC, 5 s) while
 * another waits: the preemption does not complete within
 * preempt_timeout_us, so the client is reset and told
 * TESSERA_FAULT_PREEMPT_TIMEOUT; the other's jobs all complete, and the
 * reset client works again.
 */
TEST_F(sched, preempt_timeout_resets_client)
{
	struct tessera_fault f;
	struct sched_stat s0 = { 0 }, s1 = { 0 };
	struct tsr_dev d;
	uint32_t cmd[4], k;
	uint64_t fence;
	pid_t p;
	int st;

	/* the preemption comes from a second client wanting the engine */
	if (native_contexts() < 2)
		SKIP(return, "needs 2 hardware contexts, the device has %u",
		     native_contexts());
	ASSERT_EQ(0, sched_knob_write("preempt_timeout_us", "100000"));
	ASSERT_EQ(0, native_open(&d));
	sched_client_stat(d.info.ctx_id, 0, &s0);
	cmd[0] = TESSERA_CMD(TESSERA_OP_BUSY, TESSERA_BUSY_ATOMIC,
			     TESSERA_BUSY_LEN);
	cmd[1] = (uint32_t)5000000000ull;
	cmd[2] = (uint32_t)(5000000000ull >> 32);
	ASSERT_EQ(0, tsr_submit(&d, 0, cmd, TESSERA_BUSY_LEN, &fence));
	usleep(20000);
	p = jobs_spawn(20);
	EXPECT_EQ(-EIO, tsr_wait(&d, 0, fence, WAIT_NS));
	ASSERT_EQ(0, tsr_get_fault(&d, &f));
	EXPECT_TRUE(f.flags & TESSERA_FAULT_VALID);
	EXPECT_EQ(TESSERA_FAULT_PREEMPT_TIMEOUT, f.code);
	EXPECT_EQ(0u, f.engine);
	sched_client_stat(d.info.ctx_id, 0, &s1);
	EXPECT_EQ(s0.resets + 1, s1.resets);
	EXPECT_EQ(s0.hangs, s1.hangs);
	ASSERT_EQ(p, waitpid(p, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	k = tsr_cmd_busy(cmd, 1000);
	EXPECT_EQ(0, tsr_run(&d, 0, cmd, k, WAIT_NS));
	tsr_close(&d);
}

/* Knobs change under load: nothing breaks, every job completes. */
TEST_F(sched, knobs_under_load)
{
	static const char * const pol[] = { "best-effort", "equal-share",
					    "fixed-share" };
	static const char * const sl[] = { "100", "1000", "10000", "2000" };
	struct client c[3] = { 0 };
	struct tsr_dev d;
	uint32_t cmd[4], k;
	int i;

	if (native_contexts() < 4)
		SKIP(return, "needs 4 hardware contexts, the device has %u",
		     native_contexts());
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, saturate_start(&c[i]));
	ASSERT_EQ(0, native_open(&d));
	k = tsr_cmd_busy(cmd, 200000);
	for (i = 0; i < 40; i++) {
		EXPECT_EQ(0, sched_knob_write("policy", pol[i % 3]));
		EXPECT_EQ(0, sched_knob_write("timeslice_us", sl[i % 4]));
		EXPECT_EQ(0, set_weight(c[i % 3].ctx, 1 + (i * 37) % 1000));
		EXPECT_EQ(0, tsr_run(&d, 0, cmd, k, WAIT_NS));
		usleep(20000);
	}
	for (i = 0; i < 3; i++) {
		struct sched_stat s = { 0 };

		EXPECT_EQ(0, sched_client_stat(c[i].ctx, 0, &s));
		EXPECT_GT(s.slices, 0);
		EXPECT_EQ(0, s.resets);
		saturate_stop(&c[i]);
	}
	tsr_close(&d);
}

/*
 * The interrupt budget: a client whose jobs each end idle makes the
 * engine interrupt at least once per job (its fence; the device coalesces
 * only interrupts not yet acknowledged, so each job is waited for). Over
 * irq_budget interrupts in a slice length, its fence and idle interrupts
 * are masked for the rest of it: the engine's storm count goes up, and
 * every job still completes, with the right result, at the latest when
 * the period ends. The slice is long (100 ms) so that even a guest whose
 * interrupts arrive slowly (a vGPU in L2) goes over a budget of 2.
 */
TEST_F_TIMEOUT(sched, irq_budget_masks_a_storm, 180)
{
	const unsigned int jobs = 60;
	struct tsr_dev d;
	struct tsr_bo bo;
	uint32_t cmd[8], k, i, *m;
	uint64_t fence = 0;
	long long s0, s1;

	ASSERT_EQ(0, sched_knob_write("irq_budget", "2"));
	ASSERT_EQ(0, sched_knob_write("timeslice_us", "100000"));
	ASSERT_EQ(0, native_open(&d));
	ASSERT_EQ(0, tsr_bo_alloc(&d, 4096, &bo));
	ASSERT_EQ(0, tsr_bo_map(&d, &bo));
	m = bo.map;
	s0 = sched_engine_storms(0);
	ASSERT_LE(0, s0);
	for (i = 0; i < jobs; i++) {
		k = tsr_cmd_fill(cmd, bo.gpu_va + 4 * i, 4, i);
		ASSERT_EQ(0, tsr_submit(&d, 0, cmd, k, &fence));
		ASSERT_EQ(0, tsr_wait(&d, 0, fence, WAIT_NS));
		ASSERT_EQ(i, m[i]);
	}
	s1 = sched_engine_storms(0);
	EXPECT_GT(s1, s0) {
		TH_LOG("%u jobs waited for: storms %lld -> %lld", jobs, s0, s1);
	}
	/* Without a budget nothing is counted. */
	ASSERT_EQ(0, sched_knob_write("irq_budget", "0"));
	for (i = 0; i < jobs / 2; i++) {
		k = tsr_cmd_fill(cmd, bo.gpu_va + 4 * i, 4, ~i);
		ASSERT_EQ(0, tsr_submit(&d, 0, cmd, k, &fence));
		ASSERT_EQ(0, tsr_wait(&d, 0, fence, WAIT_NS));
		ASSERT_EQ(~i, m[i]);
	}
	EXPECT_EQ(s1, sched_engine_storms(0));
	tsr_bo_free(&d, &bo);
	tsr_close(&d);
}

TEST_HARNESS_MAIN
