// SPDX-License-Identifier: GPL-2.0
/*
 * Round-robin policy: runnable clients of an engine run in FIFO order; the
 * running client keeps the engine while nobody waits, and is preempted
 * after one time slice when somebody does.
 */
#include "tessera_sched_policy.h"

/**
 * tessera_rq_init() - empty run queue
 * @rq: run queue
 * @timeslice_ns: time slice
 */
void tessera_rq_init(struct tessera_rq *rq, u64 timeslice_ns)
{
	tpure_list_init(&rq->head);
	rq->nr_queued = 0;
	rq->timeslice_ns = timeslice_ns;
}

/**
 * tessera_sched_entity_init() - new, idle entity
 * @ent: entity
 * @id: client id
 */
void tessera_sched_entity_init(struct tessera_sched_entity *ent, u32 id)
{
	memset(ent, 0, sizeof(*ent));
	tpure_list_init(&ent->node);
	ent->id = id;
	ent->weight = 100;
}

/**
 * tessera_rq_enqueue() - make @ent runnable (no-op if already queued)
 * @rq: run queue
 * @ent: entity
 */
void tessera_rq_enqueue(struct tessera_rq *rq, struct tessera_sched_entity *ent)
{
	if (ent->queued)
		return;
	tpure_list_add_tail(&ent->node, &rq->head);
	ent->queued = true;
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
	tpure_list_del(&ent->node);
	ent->queued = false;
	rq->nr_queued--;
}

/**
 * tessera_rq_pick_next() - choose and dequeue the next entity to run
 * @rq: run queue
 *
 * Return: the entity, or NULL when nothing is runnable.
 */
struct tessera_sched_entity *tessera_rq_pick_next(struct tessera_rq *rq)
{
	struct tessera_sched_entity *ent;

	if (tpure_list_empty(&rq->head))
		return NULL;
	ent = tpure_container_of(rq->head.next, struct tessera_sched_entity,
				 node);
	tessera_rq_dequeue(rq, ent);
	ent->slices++;
	return ent;
}

/**
 * tessera_rq_should_preempt() - should the running entity give way now?
 * @rq: run queue
 * @cur: running entity
 * @ran_ns: how long @cur has run in this slice
 *
 * Return: true when others wait and @cur used its slice.
 */
bool tessera_rq_should_preempt(const struct tessera_rq *rq,
			       const struct tessera_sched_entity *cur,
			       u64 ran_ns)
{
	(void)cur;
	return rq->nr_queued && ran_ns >= rq->timeslice_ns;
}

/**
 * tessera_rq_slice_left() - time until tessera_rq_should_preempt() flips
 * @rq: run queue
 * @cur: running entity
 * @ran_ns: how long @cur has run in this slice
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
 * tessera_rq_charge() - account run time to an entity
 * @rq: run queue
 * @ent: entity
 * @ns: device or wall time it ran
 */
void tessera_rq_charge(struct tessera_rq *rq, struct tessera_sched_entity *ent,
		       u64 ns)
{
	(void)rq;
	ent->runtime_ns += ns;
}
