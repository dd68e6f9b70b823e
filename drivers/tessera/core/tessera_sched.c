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
#include <linux/tessera.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_guest.h"
#include "tessera_sched.h"
#include "tessera_sched_ts.h"
#include "tessera_hw_core.h"
#include "tessera_trace.h"

/* How long an engine reset or a preemption from WAITING may take. */
#define TESSERA_STOP_TIMEOUT_US		200000
#define TESSERA_WAITING_STOP_US		1000
/* The stop poll's step (usleep_range()). */
#define TESSERA_STOP_POLL_MIN_US	20
#define TESSERA_STOP_POLL_MAX_US	50
/* A submission waits this long for ring space, polling at this period. */
#define TESSERA_SUBMIT_TIMEOUT_MS	10000
#define TESSERA_SUBMIT_POLL		(HZ / 10)
/* The scheduler's timer never fires sooner than this (hrtimer slack). */
#define TESSERA_ARM_MIN_NS		(10 * NSEC_PER_USEC)
/* Retry period while an engine keeps faulting. */
#define TESSERA_FAULT_RETRY_NS		NSEC_PER_MSEC

static u32 ring_head(struct tessera_ring *ring)
{
	return tessera_hw_ring_head(ring->ctx->tdev, ring->ctx->id,
				    ring->engine);
}

static u32 ring_tail(struct tessera_ring *ring)
{
	return tessera_hw_ring_tail(ring->ctx->tdev, ring->ctx->id,
				    ring->engine);
}

static u32 eng_state(struct tessera_engine *eng, u32 *status)
{
	u32 st = tessera_hw_engine_status(eng->tdev, eng->idx);

	if (status)
		*status = st;
	return TESSERA_ENG_STATE(st);
}

static void eng_reset(struct tessera_engine *eng)
{
	tessera_hw_engine_reset(eng->tdev, eng->idx);
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
		usleep_range(TESSERA_STOP_POLL_MIN_US, TESSERA_STOP_POLL_MAX_US);
		waited += TESSERA_STOP_POLL_MAX_US;
	}
}

static bool ring_hw_pending(struct tessera_ring *ring)
{
	struct tessera_device *tdev = ring->ctx->tdev;

	return tessera_hw_ctx_status(tdev, ring->ctx->id) &
	       TESSERA_CTX_STATUS_PENDING(ring->engine);
}

/*
 * A timer pass that finds the engine's fence interrupt raised but not yet
 * handled (its status bit set, not masked by the budget) completes
 * fences the interrupt announced: they count as by interrupt. Under
 * nested virtualisation a guest's interrupt can take longer to arrive
 * than a slice; the count says whether interrupts work, not who won.
 */
static u32 sched_timer_pass_kind(struct tessera_engine *eng)
{
	u32 st;

	if (eng->irqs_throttled)
		return TESSERA_PASS_TIMER;
	st = tessera_hw_engine_int_status(eng->tdev, eng->idx);
	return st & TESSERA_ENG_INT_FENCE ? TESSERA_PASS_IRQ :
	       TESSERA_PASS_TIMER;
}

/*
 * The kind of the running pass, for counting fences: a timer pass is
 * classified (sched_timer_pass_kind(): one register read, a trapped one
 * in a guest) only when it completes fences, once.
 */
static u32 sched_pass_kind(struct tessera_engine *eng)
{
	lockdep_assert_held(&eng->lock);
	if (eng->pass == TESSERA_PASS_TIMER && !eng->pass_classified) {
		eng->pass = sched_timer_pass_kind(eng);
		eng->pass_classified = true;
	}
	return eng->pass;
}

/*
 * The one place where the driver decides that fences completed: from the
 * ring's fence register, in a pass of the engine's work (or a quiesce, a
 * fault's handling, removal), all under the engine's lock. The fences are
 * counted by what made the pass run (enum tessera_pass).
 */
static void ring_update_completed(struct tessera_ring *ring)
{
	struct tessera_engine *eng = &ring->ctx->tdev->engines[ring->engine];
	u64 v = tessera_hw_ring_fence(ring->ctx->tdev, ring->ctx->id,
				      ring->engine);

	lockdep_assert_held(&eng->lock);
	v -= ring->fence_base;
	if (v > ring->completed && v <= ring->last_seqno) {
		eng->fences_by[sched_pass_kind(eng)] += v - ring->completed;
		WRITE_ONCE(ring->completed, v);
		trace_tessera_complete(ring->ctx->tdev->index, ring->engine,
				       ring->ctx->id, v);
	}
}

/*
 * When the running client's preemption became due: at its slice end, or
 * when somebody queued up after that (for the overrun statistics).
 */
static u64 sched_preempt_due(struct tessera_engine *eng)
{
	return max(eng->slice_end, READ_ONCE(eng->contended_at));
}

/* Run the engine's scheduler in @ns (slice end, timeouts): an hrtimer, so
 * that slices are not rounded to jiffies.
 */
static void sched_arm(struct tessera_engine *eng, u64 ns)
{
	if (ns < TESSERA_ARM_MIN_NS)
		ns = TESSERA_ARM_MIN_NS;
	hrtimer_start(&eng->timer, ns_to_ktime(ns), HRTIMER_MODE_REL);
}

/*
 * The slice timer preempts the running client itself when the decision is
 * known in advance (a work-conserving policy with somebody queued who will
 * be ahead of it then: tessera_rq_next_after()), so that it stops within the
 * hardware's preemption granularity of the slice end instead of after a
 * work item's scheduling latency. It also hands the engine the client the
 * policy picks next (ENG_NEXT_CTX, chosen by the work when it armed the
 * timer), so that the engine switches to it by itself, without waiting
 * for software. The work does the rest (accounting, progress check, the
 * switch's bookkeeping) in sched_timer_sync() and sched_resolve_next().
 * The ENG_BUSY_NS read before the write measures how much device time the
 * client still got.
 */
static enum hrtimer_restart sched_timer_fn(struct hrtimer *t)
{
	struct tessera_engine *eng = container_of(t, struct tessera_engine,
						  timer);
	unsigned long flags;
	u64 now = ktime_get_ns();

	spin_lock_irqsave(&eng->timer_lock, flags);
	if (eng->timer_may_preempt && now >= eng->slice_end &&
	    !READ_ONCE(eng->tdev->dead)) {
		eng->timer_may_preempt = false;
		eng->timer_preempt_busy = tessera_hw_engine_busy_ns(eng->tdev,
								    eng->idx);
		tessera_hw_engine_switch(eng->tdev, eng->idx,
					 eng->timer_next_ctx);
		eng->timer_preempt_ns = now;
		eng->timer_preempt_due = sched_preempt_due(eng);
		eng->timer_preempted = true;
	}
	spin_unlock_irqrestore(&eng->timer_lock, flags);
	set_bit(TESSERA_PASS_TIMER, &eng->kicked);
	tessera_sched_kick(eng);
	return HRTIMER_NORESTART;
}

/* Not to be scheduled: quiesced by its owner, or held off by a drain. */
static bool ring_stopped(const struct tessera_ring *ring)
{
	return ring->blocked || ring->held;
}

/*
 * Arm the timer for the end of eng->cur's slice (@end, ktime ns) and let it
 * preempt eng->cur there in favour of the client the policy would pick now
 * (fixed-share decides in the work: its preemption also depends on the
 * clients' budgets).
 */
static void sched_arm_slice_end(struct tessera_engine *eng, u64 end)
{
	struct tessera_ring *cur = eng->cur, *next = NULL;
	struct tessera_sched_entity *ent;
	u64 now = ktime_get_ns();

	tessera_rq_clock(&eng->rq, now);
	ent = tessera_rq_next_after(&eng->rq, &cur->ent,
				    end > cur->ent.charged_at ?
				    end - cur->ent.charged_at : 0);
	if (ent)
		next = container_of(ent, struct tessera_ring, ent);
	/* without a second submission port the work switches */
	if (next && (ring_stopped(next) ||
		     !tessera_guest_has_next_port(eng->tdev)))
		next = NULL;
	/* absolute: the slice ends at @end, however long we took to get here */
	hrtimer_start(&eng->timer, ns_to_ktime(max(end, now + TESSERA_ARM_MIN_NS)),
		      HRTIMER_MODE_ABS);
	spin_lock_irq(&eng->timer_lock);
	/*
	 * A preemption the timer made since this work began is the next
	 * run's (sched_timer_sync()): keep what it handed the engine.
	 */
	if (!eng->timer_preempted) {
		eng->slice_end = end;
		eng->timer_may_preempt = next &&
			eng->rq.policy != TESSERA_POLICY_FIXED_SHARE;
		eng->timer_next = next;
		eng->timer_next_ctx = next ? next->ctx->id : TESSERA_NO_CTX;
	}
	spin_unlock_irq(&eng->timer_lock);
}

/*
 * Engine lock held, before the work touches the engine: the timer may no
 * longer preempt on its own; if it did, account that preemption as the
 * work's own (the engine is then PREEMPT_PENDING or STOPPED).
 * Return: true when the timer preempted eng->cur at its slice end.
 */
static bool sched_timer_sync(struct tessera_engine *eng)
{
	struct tessera_ring *next;
	bool fired;
	u64 at, busy, due;

	lockdep_assert_held(&eng->lock);
	spin_lock_irq(&eng->timer_lock);
	eng->timer_may_preempt = false;
	next = eng->timer_next;
	eng->timer_next = NULL;
	eng->timer_next_ctx = TESSERA_NO_CTX;
	fired = eng->timer_preempted;
	eng->timer_preempted = false;
	at = eng->timer_preempt_ns;
	busy = eng->timer_preempt_busy;
	due = eng->timer_preempt_due;
	spin_unlock_irq(&eng->timer_lock);
	if (!fired || !eng->cur)
		return false;
	eng->cur->ent.preempts++;
	eng->preempts++;
	eng->out_reason = TESSERA_OUT_PREEMPT;
	eng->preempt_at = at;
	eng->preempt_busy = busy;
	eng->preempt_due = due;
	eng->hw_next = next;
	return true;
}

/* Queue @ring on its engine (engine lock held). */
static void sched_enqueue(struct tessera_engine *eng, struct tessera_ring *ring)
{
	u64 now = ktime_get_ns();

	lockdep_assert_held(&eng->lock);
	if (!eng->rq.nr_queued)
		WRITE_ONCE(eng->contended_at, now);
	tessera_rq_clock(&eng->rq, now);
	tessera_rq_enqueue(&eng->rq, &ring->ent);
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

/*
 * Account the running client: its device busy time (ENG_BUSY_NS is per
 * engine and only one context runs at a time, so the difference is exact)
 * and, to the policy, the engine time it held since the last charge. Time
 * held while drained (WAITING) is not charged: @running is false then, a
 * submission restarts the charge, and after the client was seen drained a
 * charge never exceeds two slices or the busy time, whichever is more (its
 * work may have come through a doorbell the driver does not see), so an
 * idle client left loaded does not build up debt.
 */
static u64 sched_account(struct tessera_engine *eng, u64 now, u64 busy,
			 bool running)
{
	struct tessera_ring *cur = eng->cur;
	u64 held, cap;

	held = busy - eng->cur_busy;
	cur->ent.runtime_ns += held;
	eng->cur_busy = busy;
	cap = max(2 * eng->rq.timeslice_ns, held);
	held = running && now > cur->ent.charged_at ?
	       now - cur->ent.charged_at : 0;
	if (cur->ent.idle_seen)
		held = min(held, cap);
	cur->ent.idle_seen = !running;
	cur->ent.charged_at = now;
	return held;
}

static u64 eng_busy(struct tessera_engine *eng)
{
	return tessera_hw_engine_busy_ns(eng->tdev, eng->idx);
}

/*
 * The engine no longer runs eng->cur since @now (ktime ns), when
 * ENG_BUSY_NS was @busy: charge it and requeue it if it still has work.
 */
static void sched_switch_out_at(struct tessera_engine *eng, u64 busy, u64 now)
{
	struct tessera_ring *ring = eng->cur;
	u64 held, due = 0, late = 0, over = 0;

	tessera_rq_clock(&eng->rq, now);	/* never goes back */
	held = sched_account(eng, now, busy,
			     eng->out_reason != TESSERA_OUT_DRAINED);
	tessera_rq_charge(&eng->rq, &ring->ent, held);
	if (eng->out_reason == TESSERA_OUT_PREEMPT && eng->preempt_at &&
	    eng->preempt_due > eng->cur_start) {
		due = eng->preempt_due - eng->cur_start;
		late = eng->preempt_at > eng->preempt_due ?
		       eng->preempt_at - eng->preempt_due : 0;
		over = eng->cur_busy - eng->preempt_busy;
	}
	trace_tessera_switch_out(eng->tdev->index, eng->idx, ring->ctx->id,
				 now - eng->cur_start,
				 ring->ent.runtime_ns - ring->ent.runtime_at_pick,
				 due, late, over, eng->out_reason);
	ring_update_completed(ring);
	eng->cur = NULL;
	eng->cur_hung = false;
	eng->preempt_at = 0;
	eng->out_reason = TESSERA_OUT_DRAINED;
	if (!ring_stopped(ring) && ring_hw_pending(ring))
		sched_enqueue(eng, ring);
}

static void sched_switch_out(struct tessera_engine *eng)
{
	sched_switch_out_at(eng, eng_busy(eng), ktime_get_ns());
}

/*
 * Record a fault for @ring's context and discard the ring's pending jobs
 * (their fences report -EIO). The engine no longer runs the ring.
 */
static void sched_report_client(struct tessera_engine *eng,
				struct tessera_ring *ring, u32 code, u64 addr)
{
	struct tessera_device *tdev = eng->tdev;
	struct tessera_ctx *ctx = ring->ctx;
	u64 first, last;

	mutex_lock(&ring->lock);
	ring_update_completed(ring);
	/* Discard whatever is left in the ring. */
	tessera_hw_ring_discard(tdev, ctx->id, ring->engine);
	first = ring->completed + 1;
	last = ring->last_seqno;
	mutex_unlock(&ring->lock);
	ring->ent.stall_slices = 0;

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

	/*
	 * Only now may a waiter see its fences fail: one that then asks for
	 * the fault (TESSERA_IOCTL_GET_FAULT) must find it recorded.
	 */
	if (first <= last) {
		mutex_lock(&ring->lock);
		WRITE_ONCE(ring->err_first, 0);
		WRITE_ONCE(ring->err_last, last);
		WRITE_ONCE(ring->err_first, first);
		mutex_unlock(&ring->lock);
	}

	dev_info_ratelimited(&tdev->pdev->dev,
			     "engine %u: context %u (pid %d) fault 0x%x at 0x%llx, fences %llu..%llu discarded\n",
			     eng->idx, ctx->id, ctx->pid, code, addr, first, last);
	sched_switch_out(eng);
	wake_up_all(&ctx->wq);
}

/*
 * The running client is hung or would not stop: reset it on this engine
 * (ENG_CTRL_RESET abandons its command; other engines and contexts are
 * untouched) and report TESSERA_FAULT_HANG / _PREEMPT_TIMEOUT to it.
 */
/*
 * eng->cur is hung or would not stop and is off the engine now (reset, or
 * preempted): discard its work and report TESSERA_FAULT_HANG /
 * _PREEMPT_TIMEOUT to it.
 */
static void sched_fail_client(struct tessera_engine *eng, u32 code)
{
	struct tessera_device *tdev = eng->tdev;
	struct tessera_ring *ring = eng->cur;
	u32 head = ring_head(ring);

	ring->ent.resets++;
	if (code == TESSERA_FAULT_HANG)
		ring->ent.hangs++;
	eng->out_reason = code == TESSERA_FAULT_HANG ? TESSERA_OUT_HANG :
			  TESSERA_OUT_TIMEOUT;
	trace_tessera_client_reset(tdev->index, eng->idx, ring->ctx->id, code,
				   head);
	dev_warn_ratelimited(&tdev->pdev->dev,
			     "engine %u: context %u %s, reset\n", eng->idx,
			     ring->ctx->id, code == TESSERA_FAULT_HANG ?
			     "made no progress" : "did not stop in time");
	sched_report_client(eng, ring, code, 0);
}

static void sched_reset_client(struct tessera_engine *eng, u32 code)
{
	eng_reset(eng);
	eng->resets++;
	eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US);
	sched_fail_client(eng, code);
}

/*
 * eng->cur left the engine (stopped): switch it out, or fail it if the
 * progress check at the slice end that preempted it found it hung.
 */
static void sched_leave(struct tessera_engine *eng)
{
	if (eng->cur_hung)
		sched_fail_client(eng, TESSERA_FAULT_HANG);
	else
		sched_switch_out(eng);
}

/*
 * Progress check at each slice boundary of the running client: a ring
 * whose head did not move for hang_slices checks is hung (e.g. an endless
 * BATCH_JUMP loop). Return: true when hung.
 */
static bool sched_check_hang(struct tessera_engine *eng)
{
	struct tessera_ring *ring = eng->cur;
	u32 head = ring_head(ring);

	if (head != ring->ent.last_head) {
		ring->ent.last_head = head;
		ring->ent.stall_slices = 0;
		return false;
	}
	return ++ring->ent.stall_slices >= READ_ONCE(eng->tdev->hang_slices);
}

/*
 * The interrupt budget: a client whose ring makes the engine interrupt
 * more than irq_budget times within one slice length (a ring of FENCE|IRQ
 * commands, or of tiny jobs that each end idle) gets its fence and idle
 * interrupts masked until that period ends. Its fences then complete at
 * the next pass (the period's end is armed; no fence is lost: the status
 * bits are set whatever the mask), and the other clients, whose work the
 * storm's interrupts and wake-ups would slow down, pay nothing. Each such
 * period is an adverse event of the context (irq_storms).
 */
static void sched_irq_budget_reset(struct tessera_engine *eng, u64 now)
{
	lockdep_assert_held(&eng->lock);
	atomic_set(&eng->slice_irqs, 0);
	eng->budget_start = now;
	if (eng->irqs_throttled) {
		/* Pending status bits interrupt as soon as they are enabled. */
		tessera_hw_engine_int_enable(eng->tdev, eng->idx,
					     TESSERA_ENG_INT_ALL);
		eng->irqs_throttled = false;
	}
}

static void sched_irq_budget_check(struct tessera_engine *eng)
{
	struct tessera_device *tdev = eng->tdev;
	u32 budget = READ_ONCE(tdev->irq_budget);
	struct tessera_ring *cur = eng->cur;
	u64 now = ktime_get_ns();

	lockdep_assert_held(&eng->lock);
	if (now - eng->budget_start >= eng->rq.timeslice_ns)
		sched_irq_budget_reset(eng, now);
	if (!cur || eng->irqs_throttled || !budget ||
	    atomic_read(&eng->slice_irqs) <= budget)
		return;
	tessera_hw_engine_int_enable(tdev, eng->idx, TESSERA_ENG_INT_ALL &
				     ~(TESSERA_ENG_INT_FENCE |
				       TESSERA_ENG_INT_IDLE));
	eng->irqs_throttled = true;
	eng->storms++;
	atomic64_inc(&cur->ctx->irq_storms);
	/* A pass at the period's end unmasks (unless one is armed before). */
	if (!hrtimer_active(&eng->timer))
		sched_arm(eng, eng->budget_start + eng->rq.timeslice_ns - now);
	dev_warn_ratelimited(&tdev->pdev->dev,
			     "context %u: over %u interrupts in a slice on engine %u; its fence and idle interrupts are masked for the rest of it\n",
			     cur->ctx->id, budget, eng->idx);
}

/* @ring runs on the engine since @start, ENG_BUSY_NS was @busy then. */
static void sched_started(struct tessera_engine *eng, struct tessera_ring *ring,
			  u64 busy, u64 start)
{
	struct tessera_device *tdev = eng->tdev;

	eng->cur_busy = busy;
	WRITE_ONCE(ring->loads, ring->loads + 1);
	/* the count before the engine: tessera_vgpu_ring_moved() */
	smp_wmb();
	WRITE_ONCE(eng->cur, ring);
	eng->cur_hung = false;
	sched_irq_budget_reset(eng, start);
	eng->cur_start = start;
	ring->ent.charged_at = start;
	ring->ent.idle_seen = false;
	ring->ent.runtime_at_pick = ring->ent.runtime_ns;
	eng->check_at = eng->rq.timeslice_ns;
	eng->preempt_at = 0;
	eng->out_reason = TESSERA_OUT_DRAINED;
	eng->switches++;
	trace_tessera_switch_in(tdev->index, eng->idx, ring->ctx->id,
				eng->rq.now - ring->ent.enqueued_at,
				ring->ent.weight);
}

static void sched_start(struct tessera_engine *eng, struct tessera_ring *ring)
{
	u64 busy = eng_busy(eng);

	tessera_hw_engine_start(eng->tdev, eng->idx, ring->ctx->id);
	sched_started(eng, ring, busy, ktime_get_ns());
}

/*
 * The timer handed the engine eng->hw_next (ENG_NEXT_CTX) with its
 * preemption of eng->cur. If the engine made the switch (NEXT consumed and
 * ENG_CTX is the new client: also when the new client faulted at once),
 * account it: the old client leaves as preempted at ENG_SWITCH_BUSY_NS,
 * the new one runs from then (taken as the preemption request's time).
 * With @cancel, withdraw a switch not made yet (before a reset, a fault's
 * handling or a quiesce).
 *
 * Return: true when the switch was made (and accounted).
 */
static bool sched_resolve_next(struct tessera_engine *eng, bool cancel)
{
	struct tessera_device *tdev = eng->tdev;
	struct tessera_ring *next = eng->hw_next;
	u64 busy, at = eng->preempt_at;

	if (!next)
		return false;
	/* the old client was charged up to then already (a racing work) */
	if (eng->cur && eng->cur->ent.charged_at > at)
		at = eng->cur->ent.charged_at;
	if (cancel)
		tessera_hw_engine_switch_cancel(tdev, eng->idx);
	else if (tessera_hw_engine_switch_pending(tdev, eng->idx))
		return false;	/* preemption still in progress */
	eng->hw_next = NULL;
	if (tessera_hw_engine_ctx(tdev, eng->idx) != next->ctx->id)
		return false;	/* withdrawn, or reset, before the switch */
	busy = tessera_hw_engine_switch_busy_ns(tdev, eng->idx);
	if (eng->cur) {
		if (eng->cur_hung)
			sched_fail_client(eng, TESSERA_FAULT_HANG);
		else
			sched_switch_out_at(eng, busy, at);
	}
	tessera_rq_clock(&eng->rq, ktime_get_ns());
	tessera_rq_take(&eng->rq, &next->ent);
	sched_started(eng, next, busy, at);
	return true;
}

/*
 * The engine faulted: record the fault for the context that owns it,
 * discard that ring's pending jobs (their fences report -EIO) and reset
 * the engine. Other contexts and engines are not touched.
 */
static void sched_handle_fault(struct tessera_engine *eng)
{
	struct tessera_device *tdev = eng->tdev;
	struct tessera_ring *ring;
	struct tessera_hw_fault f;
	u32 code, fctx;
	u64 addr;

	sched_resolve_next(eng, true);
	ring = eng->cur;
	tessera_hw_engine_fault(tdev, eng->idx, &f);
	code = f.code;
	fctx = f.ctx;
	addr = f.addr;
	eng->faults++;

	eng_reset(eng);
	eng->resets++;
	eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US);

	if (!ring || ring->ctx->id != fctx) {
		dev_warn_ratelimited(&tdev->pdev->dev,
				     "engine %u: fault %u of context %u not running it\n",
				     eng->idx, code, fctx);
		if (ring) {
			eng->out_reason = TESSERA_OUT_FAULT;
			sched_switch_out(eng);
		}
		return;
	}
	ring->ent.resets++;
	eng->out_reason = TESSERA_OUT_FAULT;
	sched_report_client(eng, ring, code, addr);
}

/* Engine RUNNING or WAITING with eng->cur loaded. Return: true to loop. */
static bool sched_running(struct tessera_engine *eng, u32 state, u32 st)
{
	struct tessera_ring *cur = eng->cur;
	u64 now = ktime_get_ns(), ran, left, tmo;

	tmo = (u64)READ_ONCE(eng->tdev->preempt_timeout_us) * NSEC_PER_USEC;
	if (st & TESSERA_ENG_STATUS_PREEMPT_PENDING) {
		if (!eng->preempt_at)
			eng->preempt_at = now;
		if (cur && now - eng->preempt_at >= tmo) {
			if (!sched_resolve_next(eng, true))
				sched_reset_client(eng,
						   TESSERA_FAULT_PREEMPT_TIMEOUT);
			return true;
		}
		/* PREEMPTED interrupt follows; or the timeout */
		sched_arm(eng, eng->preempt_at + tmo - now);
		return false;
	}
	tessera_rq_clock(&eng->rq, now);
	ran = cur ? now - eng->cur_start : 0;
	if (cur)
		tessera_rq_update(&eng->rq, &cur->ent,
				  sched_account(eng, now, eng_busy(eng),
						state == TESSERA_ENG_STATE_RUNNING));
	if (cur && !ring_stopped(cur) && state == TESSERA_ENG_STATE_WAITING) {
		cur->ent.stall_slices = 0;
		if (!eng->rq.nr_queued)
			return false;	/* keep it loaded: doorbells go direct */
	} else if (cur && !ring_stopped(cur)) {
		if (ran >= eng->check_at) {
			if (sched_check_hang(eng)) {
				sched_reset_client(eng, TESSERA_FAULT_HANG);
				return true;
			}
			eng->check_at = ran + eng->rq.timeslice_ns;
		}
		if (!tessera_rq_should_preempt(&eng->rq, &cur->ent, ran)) {
			left = tessera_rq_slice_left(&eng->rq, &cur->ent, ran);
			if (!left)	/* it keeps the engine: a new slice */
				left = eng->rq.timeslice_ns;
			if (left <= eng->check_at - ran)
				sched_arm_slice_end(eng, now + left);
			else
				sched_arm(eng, eng->check_at - ran);
			return false;
		}
		cur->ent.preempts++;
		eng->out_reason = TESSERA_OUT_PREEMPT;
	} else if (cur && ring_stopped(cur)) {
		eng->out_reason = TESSERA_OUT_QUIESCE;
	}
	eng->preempt_busy = eng_busy(eng);
	tessera_hw_engine_preempt(eng->tdev, eng->idx);
	eng->preempts++;
	eng->preempt_at = now;
	eng->preempt_due = sched_preempt_due(eng);
	/* From WAITING the engine stops at once. */
	if (state == TESSERA_ENG_STATE_WAITING && eng_wait_stopped(eng, TESSERA_WAITING_STOP_US))
		return true;
	sched_arm(eng, tmo);
	return false;
}

static void sched_run(struct tessera_engine *eng)
{
	struct tessera_sched_entity *ent;
	struct tessera_ring *ring;
	int loops;
	u32 st, state;
	u64 next;

	/*
	 * The slice boundary's progress check, as in sched_running(): a hung
	 * client is failed once it is off the engine (sched_leave()).
	 */
	if (sched_timer_sync(eng) && sched_check_hang(eng))
		eng->cur_hung = true;

	for (loops = 0; loops < 8; loops++) {
		sched_resolve_next(eng, false);
		state = eng_state(eng, &st);
		if (eng->cur)
			ring_update_completed(eng->cur);

		switch (state) {
		case TESSERA_ENG_STATE_FAULTED:
			sched_handle_fault(eng);
			continue;
		case TESSERA_ENG_STATE_RUNNING:
		case TESSERA_ENG_STATE_WAITING:
			if (sched_running(eng, state, st))
				continue;
			return;
		case TESSERA_ENG_STATE_STOPPED:
			if (sched_resolve_next(eng, true))
				continue;
			if (eng->cur)
				sched_leave(eng);
			ring = NULL;
			tessera_rq_clock(&eng->rq, ktime_get_ns());
			while ((ent = tessera_rq_pick_next(&eng->rq))) {
				ring = container_of(ent, struct tessera_ring, ent);
				if (!ring_stopped(ring) && ring_hw_pending(ring))
					break;
				/* nothing to run after all: uncharged */
				tessera_rq_charge(&eng->rq, ent, 0);
				ring = NULL;
			}
			if (!ring) {
				/* fixed-share: the engine idles until the
				 * first queued client is back within its share
				 */
				next = tessera_rq_next_eligible_ns(&eng->rq);
				if (eng->rq.nr_queued && next != ~0ull)
					sched_arm(eng, next);
				return;
			}
			sched_start(eng, ring);
			/* slice end, progress check, fixed-share budget */
			sched_arm_slice_end(eng, eng->cur_start +
					    eng->rq.timeslice_ns);
			return;
		default:
			return;
		}
	}
	/* Still busy with faults: come back later rather than spin. */
	sched_arm(eng, TESSERA_FAULT_RETRY_NS);
}

static void sched_work(struct work_struct *work)
{
	struct tessera_engine *eng = container_of(to_delayed_work(work),
						  struct tessera_engine, work);
	unsigned long kicked;

	if (READ_ONCE(eng->tdev->dead))
		return;
	mutex_lock(&eng->lock);
	/* an interrupt or timer after this asks for (and gets) another pass */
	kicked = xchg(&eng->kicked, 0);
	if (kicked & BIT(TESSERA_PASS_IRQ))
		eng->pass = TESSERA_PASS_IRQ;
	else if (kicked & BIT(TESSERA_PASS_TIMER))
		eng->pass = TESSERA_PASS_TIMER;
	eng->pass_classified = false;
	sched_run(eng);
	sched_irq_budget_check(eng);
	eng->pass = TESSERA_PASS_OTHER;
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
		tessera_hrtimer_setup(&eng->timer, sched_timer_fn,
				      CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		spin_lock_init(&eng->timer_lock);
		init_waitqueue_head(&eng->fence_wq);
		tessera_rq_init(&eng->rq, tdev->cfg.timeslice_ns);
	}
	tdev->preempt_timeout_us = TESSERA_DEFAULT_PREEMPT_TIMEOUT_US;
	tdev->hang_slices = TESSERA_DEFAULT_HANG_SLICES;
	tdev->irq_budget = TESSERA_DEFAULT_IRQ_BUDGET;
}

/**
 * tessera_sched_fini() - stop the engines' work items
 * @tdev: device
 */
void tessera_sched_fini(struct tessera_device *tdev)
{
	u32 e;

	/* The work arms the timer and the timer queues the work: twice. */
	for (e = 0; e < tdev->num_engines; e++) {
		hrtimer_cancel(&tdev->engines[e].timer);
		cancel_delayed_work_sync(&tdev->engines[e].work);
		hrtimer_cancel(&tdev->engines[e].timer);
		cancel_delayed_work_sync(&tdev->engines[e].work);
	}
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

		mutex_lock(&eng->lock);
		eng_reset(eng);
		eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US);
		if (eng->cur)
			ring_update_completed(eng->cur);
		eng->cur = NULL;
		eng->cur_hung = false;
		eng->hw_next = NULL;
		tessera_rq_clear(&eng->rq);
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
	if (!ring_stopped(ring) && eng->cur != ring) {
		sched_enqueue(eng, ring);
	} else if (eng->cur == ring && ring->ent.idle_seen) {
		/* loaded and drained until now: charge from here */
		ring->ent.charged_at = ktime_get_ns();
		ring->ent.idle_seen = false;
	}
	mutex_unlock(&eng->lock);
	tessera_sched_kick(eng);
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_ring_ready, TESSERA_NS);

/**
 * tessera_sched_attach_ctx() - make a new context a client of every engine
 * @ctx: context
 *
 * Attached clients count in the fixed-share reservation even while idle.
 */
void tessera_sched_attach_ctx(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;
	u32 e;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		mutex_lock(&eng->lock);
		tessera_rq_clock(&eng->rq, ktime_get_ns());
		tessera_rq_attach(&eng->rq, &ctx->rings[e].ent);
		mutex_unlock(&eng->lock);
	}
}

/**
 * tessera_sched_detach_ctx() - a quiesced context leaves every engine
 * @ctx: context, no longer loaded on any engine
 */
void tessera_sched_detach_ctx(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;
	u32 e;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		mutex_lock(&eng->lock);
		if (WARN_ON(eng->cur == &ctx->rings[e]))
			eng->cur = NULL;
		tessera_rq_detach(&eng->rq, &ctx->rings[e].ent);
		mutex_unlock(&eng->lock);
	}
}

/* Quiesce (@hold false) or hold (@hold true) @ctx and take it off. */
static void sched_take_off_ctx(struct tessera_ctx *ctx, bool hold)
{
	struct tessera_device *tdev = ctx->tdev;
	u32 e, state;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];
		struct tessera_ring *ring = &ctx->rings[e];

		mutex_lock(&eng->lock);
		if (sched_timer_sync(eng) && sched_check_hang(eng))
			eng->cur_hung = true;
		sched_resolve_next(eng, true);
		if (hold)
			ring->held++;
		else
			ring->blocked = true;
		tessera_rq_dequeue(&eng->rq, &ring->ent);
		if (eng->cur == ring) {
			state = eng_state(eng, NULL);
			if (state == TESSERA_ENG_STATE_RUNNING ||
			    state == TESSERA_ENG_STATE_WAITING) {
				tessera_hw_engine_preempt(eng->tdev, eng->idx);
				eng->preempts++;
				if (!eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US)) {
					dev_warn_ratelimited(&tdev->pdev->dev,
							     "engine %u: context %u did not stop, resetting engine\n",
							     e, ctx->id);
					eng_reset(eng);
					eng->resets++;
					ring->ent.resets++;
					eng_wait_stopped(eng, TESSERA_STOP_TIMEOUT_US);
				}
			}
			if (eng_state(eng, NULL) == TESSERA_ENG_STATE_FAULTED) {
				sched_handle_fault(eng);
			} else if (eng->cur == ring) {
				eng->out_reason = TESSERA_OUT_QUIESCE;
				sched_switch_out(eng);
			}
		}
		mutex_unlock(&eng->lock);
		tessera_sched_kick(eng);
	}
}

/* Undo sched_take_off_ctx(@ctx, @hold); schedule the rings with work. */
static void sched_give_back_ctx(struct tessera_ctx *ctx, bool hold)
{
	struct tessera_device *tdev = ctx->tdev;
	u32 e;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];
		struct tessera_ring *ring = &ctx->rings[e];

		mutex_lock(&eng->lock);
		if (!hold)
			ring->blocked = false;
		else if (ring->held)
			ring->held--;
		if (!ring_stopped(ring) && ring_hw_pending(ring))
			sched_enqueue(eng, ring);
		mutex_unlock(&eng->lock);
		tessera_sched_kick(eng);
	}
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
	sched_take_off_ctx(ctx, false);
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_quiesce_ctx, TESSERA_NS);

/**
 * tessera_sched_hold_ctx() - take a context off every engine for a while
 * @ctx: context
 *
 * As tessera_sched_quiesce_ctx(), but independent of the context's own
 * quiesced state: holds nest, and tessera_sched_release_ctx() gives back
 * exactly what this took. For a caller that must wait out the context's
 * memory accesses in flight without owning its rings (the vGPU's GART
 * shadow when the user unmaps memory).
 */
void tessera_sched_hold_ctx(struct tessera_ctx *ctx)
{
	sched_take_off_ctx(ctx, true);
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_hold_ctx, TESSERA_NS);

/**
 * tessera_sched_release_ctx() - end a tessera_sched_hold_ctx()
 * @ctx: context
 */
void tessera_sched_release_ctx(struct tessera_ctx *ctx)
{
	sched_give_back_ctx(ctx, true);
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_release_ctx, TESSERA_NS);

/**
 * tessera_sched_ring_block() - keep a ring from being scheduled, or not
 * @ring: ring
 * @block: true: the scheduler no longer chooses the ring (it leaves the
 *         run queue; if it is loaded, the next pass preempts it, see
 *         tessera_sched_ring_off()); false: it is scheduled whenever it
 *         has work
 *
 * Return: true if the ring is loaded on its engine at the call.
 */
bool tessera_sched_ring_block(struct tessera_ring *ring, bool block)
{
	struct tessera_engine *eng = &ring->ctx->tdev->engines[ring->engine];
	bool loaded;

	mutex_lock(&eng->lock);
	ring->blocked = block;
	if (block)
		tessera_rq_dequeue(&eng->rq, &ring->ent);
	loaded = eng->cur == ring;
	mutex_unlock(&eng->lock);
	if (!block)
		tessera_sched_ring_ready(ring);
	return loaded;
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_ring_block, TESSERA_NS);

/**
 * tessera_sched_ring_off() - preempt a blocked ring and wait for it to go
 * @ring: ring, blocked by tessera_sched_ring_block()
 * @timeout: how long to wait, in jiffies
 *
 * Context: process; sleeps.
 * Return: true if the ring is off its engine, false if it still was when
 * @timeout ran out.
 */
bool tessera_sched_ring_off(struct tessera_ring *ring, long timeout)
{
	struct tessera_engine *eng = &ring->ctx->tdev->engines[ring->engine];

	tessera_sched_kick(eng);
	return wait_event_timeout(eng->fence_wq, READ_ONCE(eng->cur) != ring,
				  timeout);
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_ring_off, TESSERA_NS);

/**
 * tessera_sched_ring_loaded() - is a ring loaded on its engine now?
 * @ring: ring
 *
 * No lock: the answer may be stale by the time the caller uses it.
 *
 * Return: true if the engine has @ring loaded.
 */
bool tessera_sched_ring_loaded(const struct tessera_ring *ring)
{
	return READ_ONCE(ring->ctx->tdev->engines[ring->engine].cur) == ring;
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_ring_loaded, TESSERA_NS);

/**
 * tessera_sched_ring_weight() - set a ring's scheduling weight
 * @ring: ring
 * @weight: weight (TESSERA_WEIGHT_DEFAULT is a native client's)
 */
void tessera_sched_ring_weight(struct tessera_ring *ring, u32 weight)
{
	struct tessera_engine *eng = &ring->ctx->tdev->engines[ring->engine];

	mutex_lock(&eng->lock);
	tessera_rq_set_weight(&eng->rq, &ring->ent, weight);
	mutex_unlock(&eng->lock);
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_ring_weight, TESSERA_NS);

/**
 * tessera_sched_watch() - be woken by an engine's events
 * @tdev: device
 * @engine: engine
 * @wait: entry, woken (from any context) at every fence interrupt, fault
 *        and scheduler pass of the engine
 */
void tessera_sched_watch(struct tessera_device *tdev, u32 engine,
			 struct wait_queue_entry *wait)
{
	add_wait_queue(&tdev->engines[engine].fence_wq, wait);
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_watch, TESSERA_NS);

/**
 * tessera_sched_unwatch() - end a tessera_sched_watch()
 * @tdev: device
 * @engine: engine
 * @wait: entry; not woken after the call
 */
void tessera_sched_unwatch(struct tessera_device *tdev, u32 engine,
			   struct wait_queue_entry *wait)
{
	remove_wait_queue(&tdev->engines[engine].fence_wq, wait);
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_unwatch, TESSERA_NS);

/**
 * tessera_sched_ctx_active() - may an engine be executing a context?
 * @ctx: context
 *
 * True while any engine has @ctx loaded or has been handed it as its next
 * context (ENG_NEXT_CTX, by the driver or its slice timer). When false, no
 * memory access of @ctx is in flight: an engine only accesses memory for
 * the context it runs, and a context comes off an engine only at a
 * preemption point. A context that becomes active after the call sees
 * whatever the caller changed before it.
 *
 * Return: true if @ctx may be running somewhere.
 */
bool tessera_sched_ctx_active(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;
	unsigned long flags;
	bool active = false;
	u32 e;

	for (e = 0; e < tdev->num_engines && !active; e++) {
		struct tessera_engine *eng = &tdev->engines[e];
		struct tessera_ring *ring = &ctx->rings[e];

		mutex_lock(&eng->lock);
		spin_lock_irqsave(&eng->timer_lock, flags);
		active = eng->cur == ring || eng->hw_next == ring ||
			 eng->timer_next == ring;
		spin_unlock_irqrestore(&eng->timer_lock, flags);
		mutex_unlock(&eng->lock);
	}
	return active;
}
EXPORT_SYMBOL_NS_GPL(tessera_sched_ctx_active, TESSERA_NS);

/**
 * tessera_sched_resume_ctx() - let a quiesced context run again
 * @ctx: context
 */
void tessera_sched_resume_ctx(struct tessera_ctx *ctx)
{
	sched_give_back_ctx(ctx, false);
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
	u32 head = ring_head(ring);
	u32 tail = ring_tail(ring);

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

	lockdep_assert_held_read(&tdev->hw_sem);
	if (need >= ring->size)
		return -EINVAL;
	for (;;) {
		if (mutex_lock_interruptible(&ring->lock))
			return -ERESTARTSYS;
		head = ring_head(ring);
		tail = ring_tail(ring);
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
						       TESSERA_SUBMIT_POLL);
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
	tessera_hw_ring_set_tail(tdev, ctx->id, ring->engine, tail);
	ring->tail = tail;
	ctx->submits++;
	mutex_unlock(&ring->lock);
	trace_tessera_submit(tdev->index, ring->engine, ctx->id, seqno, ndw);

	tessera_sched_ring_ready(ring);
	*fence = seqno;
	return 0;
}
