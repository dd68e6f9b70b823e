// SPDX-License-Identifier: GPL-2.0
/*
 * Weighted virtual-time policy (best-effort, equal-share, fixed-share); see
 * tessera_sched_policy.h and Documentation/dev/scheduler.rst.
 *
 * Everything here is O(clients) per call at most, with at most a few
 * hundred clients per engine (hardware contexts), and is called at slice
 * boundaries only, so plain lists are used rather than a tree.
 */
#include "tessera_sched_policy.h"

static const char * const policy_names[TESSERA_POLICY_NR] = {
	[TESSERA_POLICY_BEST_EFFORT] = "best-effort",
	[TESSERA_POLICY_EQUAL_SHARE] = "equal-share",
	[TESSERA_POLICY_FIXED_SHARE] = "fixed-share",
};

/* a < b, modulo 2^64 */
static bool vt_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

static struct tessera_sched_entity *ent_of(struct list_head *n)
{
	return container_of(n, struct tessera_sched_entity, node);
}

static struct tessera_sched_entity *ent_of_anode(struct list_head *n)
{
	return container_of(n, struct tessera_sched_entity, anode);
}

static u64 eff_weight(const struct tessera_rq *rq,
		      const struct tessera_sched_entity *ent)
{
	u32 w = ent->weight;

	if (rq->policy == TESSERA_POLICY_EQUAL_SHARE)
		return TESSERA_WEIGHT_DEFAULT;
	if (w < TESSERA_WEIGHT_MIN)
		w = TESSERA_WEIGHT_MIN;
	if (w > TESSERA_WEIGHT_MAX)
		w = TESSERA_WEIGHT_MAX;
	return w;
}

/* Virtual time of @ns run at @ent's weight, without the remainder. */
static u64 vt_of(const struct tessera_rq *rq,
		 const struct tessera_sched_entity *ent, u64 ns)
{
	if (ns > TESSERA_CHARGE_MAX_NS)
		ns = TESSERA_CHARGE_MAX_NS;
	return ns * TESSERA_VT_SCALE / eff_weight(rq, ent);
}

static u64 total_weight(const struct tessera_rq *rq)
{
	const struct list_head *n;
	u64 w = 0;

	for (n = rq->clients.next; n != &rq->clients; n = n->next)
		w += eff_weight(rq, ent_of_anode((struct list_head *)n));
	return w;
}

static bool eligible(const struct tessera_rq *rq, u64 vruntime)
{
	if (rq->policy != TESSERA_POLICY_FIXED_SHARE)
		return true;
	return vt_before(vruntime, rq->vclock);
}

static void update_min_vruntime(struct tessera_rq *rq)
{
	struct list_head *n;
	bool have = false;
	u64 m = 0;

	if (rq->curr) {
		m = rq->curr->vruntime;
		have = true;
	}
	for (n = rq->head.next; n != &rq->head; n = n->next) {
		u64 v = ent_of(n)->vruntime;

		if (!have || vt_before(v, m))
			m = v;
		have = true;
	}
	if (have && vt_before(rq->min_vruntime, m))
		rq->min_vruntime = m;
}

/* Lowest virtual time a (re)joining client may carry: its credit bound. */
static u64 place_floor(const struct tessera_rq *rq,
		       const struct tessera_sched_entity *ent)
{
	if (rq->policy == TESSERA_POLICY_FIXED_SHARE)
		return rq->vclock - vt_of(rq, ent, rq->timeslice_ns);
	return rq->min_vruntime - vt_of(rq, ent, rq->timeslice_ns) / 2;
}

/**
 * tessera_rq_init() - empty run queue, best-effort policy
 * @rq: run queue
 * @timeslice_ns: time slice
 */
void tessera_rq_init(struct tessera_rq *rq, u64 timeslice_ns)
{
	memset(rq, 0, sizeof(*rq));
	INIT_LIST_HEAD(&rq->head);
	INIT_LIST_HEAD(&rq->clients);
	rq->policy = TESSERA_POLICY_BEST_EFFORT;
	rq->timeslice_ns = timeslice_ns;
}

/**
 * tessera_sched_entity_init() - new, idle, detached entity of default weight
 * @ent: entity
 * @id: client id
 */
void tessera_sched_entity_init(struct tessera_sched_entity *ent, u32 id)
{
	memset(ent, 0, sizeof(*ent));
	INIT_LIST_HEAD(&ent->node);
	INIT_LIST_HEAD(&ent->anode);
	ent->id = id;
	ent->weight = TESSERA_WEIGHT_DEFAULT;
}

/**
 * tessera_sched_policy_name() - name of a policy (sysfs)
 * @policy: enum tessera_sched_policy_id
 *
 * Return: the name, or "?" for an unknown policy.
 */
const char *tessera_sched_policy_name(u32 policy)
{
	return policy < TESSERA_POLICY_NR ? policy_names[policy] : "?";
}

/**
 * tessera_sched_policy_parse() - policy from its name
 * @buf: name, optionally followed by one newline
 *
 * Return: enum tessera_sched_policy_id, or -EINVAL.
 */
int tessera_sched_policy_parse(const char *buf)
{
	size_t len = strlen(buf);
	int i;

	if (len && buf[len - 1] == '\n')
		len--;
	for (i = 0; i < TESSERA_POLICY_NR; i++)
		if (len == strlen(policy_names[i]) &&
		    !strncmp(buf, policy_names[i], len))
			return i;
	return -EINVAL;
}

/**
 * tessera_sched_weight_valid() - is @weight an acceptable weight?
 * @weight: candidate
 *
 * Return: true for TESSERA_WEIGHT_MIN..TESSERA_WEIGHT_MAX.
 */
bool tessera_sched_weight_valid(unsigned long long weight)
{
	return weight >= TESSERA_WEIGHT_MIN && weight <= TESSERA_WEIGHT_MAX;
}

/*
 * Give every attached client the same virtual time: used when the meaning
 * of virtual time changes (policy switch), so that nobody is starved by
 * debt, or favoured by credit, counted in the old units.
 */
static void renormalise(struct tessera_rq *rq)
{
	struct list_head *n;

	update_min_vruntime(rq);
	for (n = rq->clients.next; n != &rq->clients; n = n->next) {
		struct tessera_sched_entity *ent = ent_of_anode(n);

		ent->vruntime = rq->min_vruntime;
		ent->vrem = 0;
	}
	rq->vclock = rq->min_vruntime;
	rq->vclock_rem = 0;
}

/**
 * tessera_rq_set_policy() - switch policy at run time
 * @rq: run queue
 * @policy: enum tessera_sched_policy_id
 *
 * Return: 0 or -EINVAL.
 */
int tessera_rq_set_policy(struct tessera_rq *rq, u32 policy)
{
	if (policy >= TESSERA_POLICY_NR)
		return -EINVAL;
	if (policy == rq->policy)
		return 0;
	rq->policy = policy;
	renormalise(rq);
	return 0;
}

/**
 * tessera_rq_set_timeslice() - change the slice length
 * @rq: run queue
 * @ns: slice, TESSERA_TIMESLICE_MIN_US..TESSERA_TIMESLICE_MAX_US in ns
 *
 * Return: 0 or -EINVAL.
 */
int tessera_rq_set_timeslice(struct tessera_rq *rq, u64 ns)
{
	if (ns < TESSERA_TIMESLICE_MIN_US * 1000ull ||
	    ns > TESSERA_TIMESLICE_MAX_US * 1000ull)
		return -EINVAL;
	rq->timeslice_ns = ns;
	return 0;
}

/**
 * tessera_rq_set_weight() - change a client's weight
 * @rq: run queue
 * @ent: entity
 * @weight: TESSERA_WEIGHT_MIN..TESSERA_WEIGHT_MAX
 *
 * The client's accumulated virtual time is kept; the new weight applies to
 * the time it runs from now on.
 *
 * Return: 0 or -EINVAL.
 */
int tessera_rq_set_weight(struct tessera_rq *rq,
			  struct tessera_sched_entity *ent, u32 weight)
{
	(void)rq;
	if (!tessera_sched_weight_valid(weight))
		return -EINVAL;
	ent->weight = weight;
	ent->vrem = 0;
	return 0;
}

/**
 * tessera_rq_clock() - advance the policy clock
 * @rq: run queue
 * @now: monotonic time, ns (earlier values are ignored)
 *
 * Fixed-share: the virtual clock advances by the elapsed time scaled by
 * the attached clients' total weight.
 */
void tessera_rq_clock(struct tessera_rq *rq, u64 now)
{
	u64 dt, w, x;

	if (!vt_before(rq->now, now))
		return;
	dt = now - rq->now;
	rq->now = now;
	if (rq->policy != TESSERA_POLICY_FIXED_SHARE)
		return;
	w = total_weight(rq);
	if (!w)
		return;
	if (dt > TESSERA_CHARGE_MAX_NS)
		dt = TESSERA_CHARGE_MAX_NS;
	x = dt * TESSERA_VT_SCALE + rq->vclock_rem;
	rq->vclock += x / w;
	rq->vclock_rem = x % w;
}

/**
 * tessera_rq_attach() - make @ent a client of the engine (no-op if it is)
 * @rq: run queue
 * @ent: entity
 *
 * A new client starts at the current virtual time: no credit, no debt.
 */
void tessera_rq_attach(struct tessera_rq *rq, struct tessera_sched_entity *ent)
{
	if (ent->attached)
		return;
	update_min_vruntime(rq);
	list_add_tail(&ent->anode, &rq->clients);
	ent->attached = true;
	rq->nr_attached++;
	ent->vruntime = rq->policy == TESSERA_POLICY_FIXED_SHARE ?
			rq->vclock : rq->min_vruntime;
	ent->vrem = 0;
}

/**
 * tessera_rq_detach() - the client leaves the engine
 * @rq: run queue
 * @ent: entity
 */
void tessera_rq_detach(struct tessera_rq *rq, struct tessera_sched_entity *ent)
{
	tessera_rq_dequeue(rq, ent);
	if (rq->curr == ent)
		rq->curr = NULL;
	if (!ent->attached)
		return;
	list_del_init(&ent->anode);
	ent->attached = false;
	rq->nr_attached--;
}

/**
 * tessera_rq_enqueue() - make @ent runnable (no-op if already queued)
 * @rq: run queue
 * @ent: entity
 *
 * A client coming back from idle keeps its debt but at most a bounded
 * credit: half a slice (work-conserving policies), one slice (fixed-share).
 */
void tessera_rq_enqueue(struct tessera_rq *rq, struct tessera_sched_entity *ent)
{
	u64 floor;

	if (ent->queued)
		return;
	if (!ent->attached) {
		tessera_rq_attach(rq, ent);
	} else if (rq->curr != ent) {
		/* min_vruntime is fresh from the last pick or charge */
		floor = place_floor(rq, ent);
		if (vt_before(ent->vruntime, floor))
			ent->vruntime = floor;
	}
	list_add_tail(&ent->node, &rq->head);
	ent->queued = true;
	ent->enqueued_at = rq->now;
	rq->nr_queued++;
}

/**
 * tessera_rq_dequeue() - take @ent off the run queue (no-op if not queued)
 * @rq: run queue
 * @ent: entity
 */
void tessera_rq_dequeue(struct tessera_rq *rq, struct tessera_sched_entity *ent)
{
	if (!ent->queued)
		return;
	list_del_init(&ent->node);
	ent->queued = false;
	rq->nr_queued--;
}

/**
 * tessera_rq_peek_next() - the entity tessera_rq_pick_next() would choose
 * @rq: run queue (clock up to date)
 *
 * The eligible queued entity with the smallest virtual time, the earliest
 * queued on a tie. Fixed-share: only entities behind the virtual clock are
 * eligible; see tessera_rq_next_eligible_ns() when NULL is returned with
 * entities queued.
 *
 * Return: the entity, still queued, or NULL when nothing may run.
 */
struct tessera_sched_entity *tessera_rq_peek_next(const struct tessera_rq *rq)
{
	struct tessera_sched_entity *best = NULL, *ent;
	const struct list_head *n;

	for (n = rq->head.next; n != &rq->head; n = n->next) {
		ent = ent_of((struct list_head *)n);
		if (!eligible(rq, ent->vruntime))
			continue;
		if (!best || vt_before(ent->vruntime, best->vruntime))
			best = ent;
	}
	return best;
}

/**
 * tessera_rq_take() - @ent starts running: dequeue it and account its wait
 * @rq: run queue (clock up to date)
 * @ent: entity (queued, normally the one tessera_rq_peek_next() returned)
 */
void tessera_rq_take(struct tessera_rq *rq, struct tessera_sched_entity *ent)
{
	u64 wait;

	tessera_rq_dequeue(rq, ent);
	wait = vt_before(ent->enqueued_at, rq->now) ?
	       rq->now - ent->enqueued_at : 0;
	ent->wait_ns += wait;
	if (wait > ent->max_wait_ns)
		ent->max_wait_ns = wait;
	ent->slices++;
	rq->curr = ent;
	update_min_vruntime(rq);
}

/**
 * tessera_rq_next_after() - who runs once @cur's slice is over, in advance
 * @rq: run queue (clock up to date)
 * @cur: the running entity (not queued)
 * @more_ns: engine time @cur will have been charged by then beyond what
 *	it was charged so far
 *
 * What tessera_rq_pick_next() would choose at that point if @cur were
 * charged @more_ns and queued again (behind the others: they win ties),
 * assuming no arrivals meanwhile. Lets the driver hand the engine its next
 * client before the slice ends.
 *
 * Return: the queued entity, or NULL when @cur would be chosen again or
 * nothing may run.
 */
struct tessera_sched_entity *
tessera_rq_next_after(const struct tessera_rq *rq,
		      const struct tessera_sched_entity *cur, u64 more_ns)
{
	struct tessera_sched_entity *best = tessera_rq_peek_next(rq);
	u64 v;

	if (!best || !cur)
		return best;
	v = cur->vruntime + vt_of(rq, cur, more_ns);
	if (eligible(rq, v) && vt_before(v, best->vruntime))
		return NULL;
	return best;
}

/**
 * tessera_rq_pick_next() - choose and dequeue the next entity to run
 * @rq: run queue (clock up to date)
 *
 * tessera_rq_peek_next() followed by tessera_rq_take().
 *
 * Return: the entity (now @rq->curr), or NULL when nothing may run.
 */
struct tessera_sched_entity *tessera_rq_pick_next(struct tessera_rq *rq)
{
	struct tessera_sched_entity *best = tessera_rq_peek_next(rq);

	if (best)
		tessera_rq_take(rq, best);
	return best;
}

/**
 * tessera_rq_should_preempt() - should the running entity give way now?
 * @rq: run queue (clock up to date)
 * @cur: running entity
 * @ran_ns: how long @cur has run since it was picked
 *
 * The run time of @cur must have been charged with tessera_rq_update().
 *
 * Return: true once @cur used its slice and a waiting client would be
 * picked before it (it has run ahead of them in virtual time), or
 * (fixed-share) @cur went past its reservation or an eligible client
 * waits.
 */
bool tessera_rq_should_preempt(const struct tessera_rq *rq,
			       const struct tessera_sched_entity *cur,
			       u64 ran_ns)
{
	const struct list_head *n;

	if (ran_ns < rq->timeslice_ns)
		return false;
	if (rq->policy != TESSERA_POLICY_FIXED_SHARE)
		return !!tessera_rq_next_after(rq, cur, 0);
	if (!eligible(rq, cur->vruntime))
		return true;
	for (n = rq->head.next; n != &rq->head; n = n->next)
		if (eligible(rq, ent_of((struct list_head *)n)->vruntime))
			return true;
	return false;
}

/**
 * tessera_rq_slice_left() - time until the next preemption decision
 * @rq: run queue
 * @cur: running entity
 * @ran_ns: how long @cur has run since it was picked
 *
 * Return: ns left in the slice (0 when used up).
 */
u64 tessera_rq_slice_left(const struct tessera_rq *rq,
			  const struct tessera_sched_entity *cur, u64 ran_ns)
{
	(void)cur;
	return ran_ns >= rq->timeslice_ns ? 0 : rq->timeslice_ns - ran_ns;
}

/**
 * tessera_rq_next_eligible_ns() - when will a queued entity become eligible?
 * @rq: run queue (clock up to date)
 *
 * Return: 0 if one is eligible now, the ns of wall time until the first
 * becomes eligible (fixed-share), or ~0 when nothing is queued.
 */
u64 tessera_rq_next_eligible_ns(const struct tessera_rq *rq)
{
	const struct list_head *n;
	u64 best = ~0ull, w = total_weight(rq), d;

	for (n = rq->head.next; n != &rq->head; n = n->next) {
		u64 v = ent_of((struct list_head *)n)->vruntime;

		if (eligible(rq, v))
			return 0;
		d = v - rq->vclock + 1;
		if (d > TESSERA_CHARGE_MAX_NS)
			d = TESSERA_CHARGE_MAX_NS;
		d = (d * (w ? w : 1) + TESSERA_VT_SCALE - 1) / TESSERA_VT_SCALE;
		if (d < best)
			best = d;
	}
	return best;
}

/**
 * tessera_rq_update() - account run time to the running entity
 * @rq: run queue
 * @ent: entity, still running
 * @ns: time it ran since it was last charged (device busy time when
 *      known); runs longer than TESSERA_CHARGE_MAX_NS count as that
 */
void tessera_rq_update(struct tessera_rq *rq, struct tessera_sched_entity *ent,
		       u64 ns)
{
	u64 w = eff_weight(rq, ent), x;

	if (ns > TESSERA_CHARGE_MAX_NS)
		ns = TESSERA_CHARGE_MAX_NS;
	ent->charged_ns += ns;
	x = ns * TESSERA_VT_SCALE + ent->vrem;
	ent->vruntime += x / w;
	ent->vrem = x % w;
}

/**
 * tessera_rq_charge() - account run time to an entity that stopped running
 * @rq: run queue
 * @ent: entity
 * @ns: time it ran since it was last charged (see tessera_rq_update())
 */
void tessera_rq_charge(struct tessera_rq *rq, struct tessera_sched_entity *ent,
		       u64 ns)
{
	tessera_rq_update(rq, ent, ns);
	/* The floor counts @ent: requeued after a preemption, it is not
	 * a client returning from idle.
	 */
	if (rq->curr == ent) {
		update_min_vruntime(rq);
		rq->curr = NULL;
	}
}

/**
 * tessera_rq_clear() - forget every queued entity (engine stopped)
 * @rq: run queue
 */
void tessera_rq_clear(struct tessera_rq *rq)
{
	while (!list_empty(&rq->head))
		tessera_rq_dequeue(rq, ent_of(rq->head.next));
	rq->curr = NULL;
}
