// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler mechanism: per-engine run queues of rings (one per context and
 * engine), context switches, preemption, fault recovery and ring
 * submission. Which ring runs next and when to preempt is decided by the
 * policy in tessera_sched_policy.c; this file only carries it out.
 *
 * Each engine is driven by one work item under the engine's mutex, woken by
 * the engine's interrupts, by submissions, by doorbells and by its own
 * time-slice timer. The work reads the engine state from the device every
 * time, so a lost or merged interrupt costs latency, never correctness.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>

#include "tessera_drv.h"

#define ENG_REG(eng, r)	TESSERA_ENG_REG((eng)->idx, (r))

#define TESSERA_STOP_TIMEOUT_US		200000
#define TESSERA_SUBMIT_TIMEOUT_MS	10000

static u32 ring_reg(const struct tessera_ring *ring, u32 r)
{
	return TESSERA_CTX_RING_REG(ring->ctx->id, ring->engine, r);
}

static u32 eng_state(struct tessera_engine *eng, u32 *status)
{
	u32 st = tessera_rd(eng->tdev, ENG_REG(eng, TESSERA_ENG_STATUS));

	if (status)
		*status = st;
	return TESSERA_ENG_STATE(st);
}

static void eng_ctrl(struct tessera_engine *eng, u32 bit)
{
	tessera_wr(eng->tdev, ENG_REG(eng, TESSERA_ENG_CTRL), bit);
}

/* Poll until the engine has no context loaded (STOPPED or FAULTED). */
static bool eng_wait_stopped(struct tessera_engine *eng, unsigned int us)
{
	unsigned int waited = 0;
	u32 s;

	for (;;) {
		s = eng_state(eng, NULL);
		if (s == TESSERA_ENG_STATE_STOPPED ||
		    s == TESSERA_ENG_STATE_FAULTED)
			return true;
		if (waited >= us)
			return false;
		usleep_range(20, 50);
		waited += 50;
	}
}

static bool ring_hw_pending(struct tessera_ring *ring)
{
	struct tessera_device *tdev = ring->ctx->tdev;

	return tessera_rd(tdev, TESSERA_CTX_REG(ring->ctx->id,
						TESSERA_CTX_STATUS)) &
	       TESSERA_CTX_STATUS_PENDING(ring->engine);
}

static void ring_update_completed(struct tessera_ring *ring)
{
	u64 v = tessera_rd64(ring->ctx->tdev, ring_reg(ring, TESSERA_RING_FENCE_LO));

	v -= ring->fence_base;
	if (v > ring->completed && v <= ring->last_seqno)
		WRITE_ONCE(ring->completed, v);
}

static void sched_arm(struct tessera_engine *eng, u64 ns)
{
	queue_delayed_work(eng->tdev->wq, &eng->work, nsecs_to_jiffies(ns) + 1);
}

/**
 * tessera_sched_kick() - run the engine's scheduler soon
 * @eng: engine
 *
 * Context: any, including hard interrupt.
 */
void tessera_sched_kick(struct tessera_engine *eng)
{
	if (!READ_ONCE(eng->tdev->dead))
		mod_delayed_work(eng->tdev->wq, &eng->work, 0);
}

/* The engine no longer runs eng->cur: account it and requeue if needed. */
static void sched_switch_out(struct tessera_engine *eng)
{
	struct tessera_ring *ring = eng->cur;

	tessera_rq_charge(&eng->rq, &ring->ent, ktime_get_ns() - eng->cur_start);
	ring_update_completed(ring);
	eng->cur = NULL;
	if (!ring->blocked && ring_hw_pending(ring))
		tessera_rq_enqueue(&eng->rq, &ring->ent);
}

/*
 * The engine faulted: record the fault for the context that owns it,
 * discard that ring's pending jobs (their fences report -EIO) and reset
 * the engine. Other contexts and engines are not touched.
 */
static void sched_handle_fault(struct tessera_engine *eng)
{
	struct tessera_device *tdev = eng->tdev;
	struct tessera_ring *ring = eng->cur;
	struct tessera_ctx *ctx;
	u32 code, fctx;
	u64 addr, first, last;

	code = tessera_rd(tdev, ENG_REG(eng, TESSERA_ENG_FAULT_CODE));
	fctx = tessera_rd(tdev, ENG_REG(eng, TESSERA_ENG_FAULT_CTX));
	addr = tessera_rd64(tdev, ENG_REG(eng, TESSERA_ENG_FAULT_ADDR_LO));
	eng->faults++;

	eng_ctrl(eng, TESSERA_ENG_CTRL_RESET);
	eng->resets++;
	eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US);

	if (!ring || ring->ctx->id != fctx) {
		dev_warn_ratelimited(&tdev->pdev->dev,
				     "engine %u: fault %u of context %u not running it\n",
				     eng->idx, code, fctx);
		if (ring)
			sched_switch_out(eng);
		return;
	}
	ctx = ring->ctx;

	mutex_lock(&ring->lock);
	ring_update_completed(ring);
	/* Discard whatever is left in the ring. */
	tessera_wr(tdev, ring_reg(ring, TESSERA_RING_HEAD),
		   tessera_rd(tdev, ring_reg(ring, TESSERA_RING_TAIL)));
	first = ring->completed + 1;
	last = ring->last_seqno;
	if (first <= last) {
		WRITE_ONCE(ring->err_first, 0);
		WRITE_ONCE(ring->err_last, last);
		WRITE_ONCE(ring->err_first, first);
	}
	mutex_unlock(&ring->lock);

	mutex_lock(&ctx->lock);
	ctx->fault.valid = true;
	ctx->fault.unread = true;
	ctx->fault.engine = eng->idx;
	ctx->fault.code = code;
	ctx->fault.addr = addr;
	ctx->fault.count++;
	ctx->fault.first_fence = first <= last ? first : 0;
	ctx->fault.last_fence = first <= last ? last : 0;
	mutex_unlock(&ctx->lock);

	dev_info_ratelimited(&tdev->pdev->dev,
			     "engine %u: context %u (pid %d) fault %u at 0x%llx, fences %llu..%llu discarded\n",
			     eng->idx, ctx->id, ctx->pid, code, addr, first, last);
	sched_switch_out(eng);
	wake_up_all(&ctx->wq);
}

static void sched_start(struct tessera_engine *eng, struct tessera_ring *ring)
{
	struct tessera_device *tdev = eng->tdev;

	tessera_wr(tdev, ENG_REG(eng, TESSERA_ENG_CTX), ring->ctx->id);
	eng_ctrl(eng, TESSERA_ENG_CTRL_START);
	eng->cur = ring;
	eng->cur_start = ktime_get_ns();
	eng->switches++;
}

static void sched_run(struct tessera_engine *eng)
{
	struct tessera_sched_entity *ent;
	struct tessera_ring *ring;
	int loops;
	u32 st, state;
	u64 ran;

	for (loops = 0; loops < 8; loops++) {
		state = eng_state(eng, &st);
		if (eng->cur)
			ring_update_completed(eng->cur);

		switch (state) {
		case TESSERA_ENG_STATE_FAULTED:
			sched_handle_fault(eng);
			continue;
		case TESSERA_ENG_STATE_RUNNING:
		case TESSERA_ENG_STATE_WAITING:
			if (st & TESSERA_ENG_STATUS_PREEMPT_PENDING)
				return;	/* PREEMPTED interrupt follows */
			if (eng->cur && !eng->cur->blocked &&
			    !eng->rq.nr_queued)
				return;	/* nobody waits: keep it loaded */
			ran = eng->cur ? ktime_get_ns() - eng->cur_start : 0;
			if (eng->cur && !eng->cur->blocked &&
			    state == TESSERA_ENG_STATE_RUNNING &&
			    !tessera_rq_should_preempt(&eng->rq, &eng->cur->ent,
						       ran)) {
				sched_arm(eng, tessera_rq_slice_left(&eng->rq,
								     &eng->cur->ent,
								     ran));
				return;
			}
			eng_ctrl(eng, TESSERA_ENG_CTRL_PREEMPT);
			eng->preempts++;
			/* From WAITING the engine stops at once. */
			if (state == TESSERA_ENG_STATE_WAITING &&
			    eng_wait_stopped(eng, 1000))
				continue;
			return;
		case TESSERA_ENG_STATE_STOPPED:
			if (eng->cur)
				sched_switch_out(eng);
			ring = NULL;
			while ((ent = tessera_rq_pick_next(&eng->rq))) {
				ring = container_of(ent, struct tessera_ring, ent);
				if (!ring->blocked && ring_hw_pending(ring))
					break;
				ring = NULL;
			}
			if (!ring)
				return;
			sched_start(eng, ring);
			if (eng->rq.nr_queued)
				sched_arm(eng, eng->rq.timeslice_ns);
			return;
		default:
			return;
		}
	}
	/* Still busy with faults: come back later rather than spin. */
	sched_arm(eng, 1000000);
}

static void sched_work(struct work_struct *work)
{
	struct tessera_engine *eng = container_of(to_delayed_work(work),
						  struct tessera_engine, work);

	if (READ_ONCE(eng->tdev->dead))
		return;
	mutex_lock(&eng->lock);
	sched_run(eng);
	mutex_unlock(&eng->lock);
	wake_up_all(&eng->fence_wq);
}

/**
 * tessera_sched_init() - set up the engines' scheduler state
 * @tdev: device
 */
void tessera_sched_init(struct tessera_device *tdev)
{
	u32 e;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		eng->tdev = tdev;
		eng->idx = e;
		mutex_init(&eng->lock);
		INIT_DELAYED_WORK(&eng->work, sched_work);
		init_waitqueue_head(&eng->fence_wq);
		tessera_rq_init(&eng->rq, (u64)tessera_timeslice_us * 1000);
	}
}

/**
 * tessera_sched_fini() - stop the engines' work items
 * @tdev: device
 */
void tessera_sched_fini(struct tessera_device *tdev)
{
	u32 e;

	for (e = 0; e < tdev->num_engines; e++)
		cancel_delayed_work_sync(&tdev->engines[e].work);
}

/**
 * tessera_sched_stop_all() - reset every engine and forget all clients
 * @tdev: device, already marked dead so that nothing is rescheduled
 */
void tessera_sched_stop_all(struct tessera_device *tdev)
{
	u32 e;

	tessera_sched_fini(tdev);
	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];
		struct tessera_sched_entity *ent;

		mutex_lock(&eng->lock);
		eng_ctrl(eng, TESSERA_ENG_CTRL_RESET);
		eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US);
		if (eng->cur)
			ring_update_completed(eng->cur);
		eng->cur = NULL;
		while ((ent = tessera_rq_pick_next(&eng->rq)))
			;
		mutex_unlock(&eng->lock);
		wake_up_all(&eng->fence_wq);
	}
}

/**
 * tessera_sched_ring_ready() - a ring may have work: schedule it
 * @ring: ring
 */
void tessera_sched_ring_ready(struct tessera_ring *ring)
{
	struct tessera_engine *eng = &ring->ctx->tdev->engines[ring->engine];

	mutex_lock(&eng->lock);
	if (!ring->blocked && eng->cur != ring)
		tessera_rq_enqueue(&eng->rq, &ring->ent);
	mutex_unlock(&eng->lock);
	tessera_sched_kick(eng);
}

/**
 * tessera_sched_quiesce_ctx() - take a context off every engine
 * @ctx: context
 *
 * On return no engine executes @ctx and none will until
 * tessera_sched_resume_ctx(). A context that does not stop in time is
 * removed by an engine reset (its current command is abandoned and
 * retried from its start when it runs again).
 */
void tessera_sched_quiesce_ctx(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;
	u32 e, state;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];
		struct tessera_ring *ring = &ctx->rings[e];

		mutex_lock(&eng->lock);
		ring->blocked = true;
		tessera_rq_dequeue(&eng->rq, &ring->ent);
		if (eng->cur == ring) {
			state = eng_state(eng, NULL);
			if (state == TESSERA_ENG_STATE_RUNNING ||
			    state == TESSERA_ENG_STATE_WAITING) {
				eng_ctrl(eng, TESSERA_ENG_CTRL_PREEMPT);
				eng->preempts++;
				if (!eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US)) {
					dev_warn_ratelimited(&tdev->pdev->dev,
							     "engine %u: context %u did not stop, resetting engine\n",
							     e, ctx->id);
					eng_ctrl(eng, TESSERA_ENG_CTRL_RESET);
					eng->resets++;
					eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US);
				}
			}
			if (eng_state(eng, NULL) == TESSERA_ENG_STATE_FAULTED)
				sched_handle_fault(eng);
			else if (eng->cur == ring)
				sched_switch_out(eng);
		}
		mutex_unlock(&eng->lock);
		tessera_sched_kick(eng);
	}
}

/**
 * tessera_sched_resume_ctx() - let a quiesced context run again
 * @ctx: context
 */
void tessera_sched_resume_ctx(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;
	u32 e;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];
		struct tessera_ring *ring = &ctx->rings[e];

		mutex_lock(&eng->lock);
		ring->blocked = false;
		if (ring_hw_pending(ring))
			tessera_rq_enqueue(&eng->rq, &ring->ent);
		mutex_unlock(&eng->lock);
		tessera_sched_kick(eng);
	}
}

static u32 ring_space(struct tessera_ring *ring, u32 head, u32 tail)
{
	return (head + ring->size - tail - 4) & (ring->size - 1);
}

/* Copy dwords into the ring at @tail, wrapping; return the new tail. */
static u32 ring_write(struct tessera_ring *ring, u32 tail, const u32 *dw,
		      u32 ndw)
{
	struct tessera_device *tdev = ring->ctx->tdev;
	void __iomem *base = tdev->vram + ring->ctx->vram_base + ring->offset;
	u32 bytes = ndw * 4, n;

	while (bytes) {
		n = min(bytes, ring->size - tail);
		memcpy_toio(base + tail, dw, n);
		dw += n / 4;
		bytes -= n;
		tail = (tail + n) & (ring->size - 1);
	}
	return tail;
}

static bool ring_has_space(struct tessera_ring *ring, u32 need)
{
	struct tessera_device *tdev = ring->ctx->tdev;
	u32 head = tessera_rd(tdev, ring_reg(ring, TESSERA_RING_HEAD));
	u32 tail = tessera_rd(tdev, ring_reg(ring, TESSERA_RING_TAIL));

	if (head >= ring->size || tail >= ring->size || (head | tail) & 3)
		return true;	/* broken ring: let the submit report it */
	return ring_space(ring, head, tail) >= need;
}

/**
 * tessera_sched_submit() - place validated commands and a fence in a ring
 * @ring: ring
 * @cmds: validated commands
 * @ndw: number of dwords; (@ndw + TESSERA_FENCE_LEN) * 4 < ring size
 * @fence: out, the job's fence
 *
 * Waits (interruptibly, at most 10 s) for ring space.
 *
 * Return: 0, -EBUSY when the ring stays full, -EIO when the ring's
 * registers were corrupted by its owner, -ERESTARTSYS.
 * Context: the caller holds tdev->hw_sem for reading.
 */
int tessera_sched_submit(struct tessera_ring *ring, const u32 *cmds, u32 ndw,
			 u64 *fence)
{
	struct tessera_ctx *ctx = ring->ctx;
	struct tessera_device *tdev = ctx->tdev;
	struct tessera_engine *eng = &tdev->engines[ring->engine];
	u32 need = (ndw + TESSERA_FENCE_LEN) * 4;
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(TESSERA_SUBMIT_TIMEOUT_MS);
	u32 head, tail, fdw[TESSERA_FENCE_LEN];
	u64 seqno;
	long ret;

	if (need >= ring->size)
		return -EINVAL;
	for (;;) {
		if (mutex_lock_interruptible(&ring->lock))
			return -ERESTARTSYS;
		head = tessera_rd(tdev, ring_reg(ring, TESSERA_RING_HEAD));
		tail = tessera_rd(tdev, ring_reg(ring, TESSERA_RING_TAIL));
		if (head >= ring->size || tail >= ring->size ||
		    (head | tail) & 3) {
			mutex_unlock(&ring->lock);
			return -EIO;
		}
		if (ring_space(ring, head, tail) >= need)
			break;
		mutex_unlock(&ring->lock);
		tessera_sched_ring_ready(ring);
		if (time_after(jiffies, deadline))
			return -EBUSY;
		ret = wait_event_interruptible_timeout(eng->fence_wq,
						       ring_has_space(ring, need),
						       HZ / 10);
		if (ret < 0)
			return ret;
	}

	seqno = ring->last_seqno + 1;
	fdw[0] = TESSERA_CMD(TESSERA_OP_FENCE, TESSERA_FENCE_IRQ,
			     TESSERA_FENCE_LEN);
	fdw[1] = lower_32_bits(seqno + ring->fence_base);
	fdw[2] = upper_32_bits(seqno + ring->fence_base);
	fdw[3] = 0;
	fdw[4] = 0;
	tail = ring_write(ring, tail, cmds, ndw);
	tail = ring_write(ring, tail, fdw, TESSERA_FENCE_LEN);
	/* Commands must be in VRAM before the engine can see the tail. */
	wmb();
	WRITE_ONCE(ring->last_seqno, seqno);
	tessera_wr(tdev, ring_reg(ring, TESSERA_RING_TAIL), tail);
	ring->tail = tail;
	ctx->submits++;
	mutex_unlock(&ring->lock);

	tessera_sched_ring_ready(ring);
	*fence = seqno;
	return 0;
}
