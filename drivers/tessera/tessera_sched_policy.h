/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera scheduling policy: the decisions only (which client runs next on
 * an engine, when the running one should be preempted, how run time is
 * charged). The mechanism (engine programming, locking, interrupts) is in
 * tessera_sched.c. The policy is pure logic that compiles in userspace
 * (tests/unit/test-sched.c) and is what the time-slice scheduler replaces.
 *
 * Every field of an entity is plain data so that it can be serialised with
 * the client's other state (live migration).
 */
#ifndef TESSERA_SCHED_POLICY_H
#define TESSERA_SCHED_POLICY_H

#include "tessera_pure.h"

/**
 * struct tessera_sched_entity - one client (a context's ring) on one engine
 * @node: run-queue link (queued only while runnable and not running)
 * @id: client id for logs (hardware context number)
 * @weight: relative share, 1..1000 (unused by round robin, kept for
 *          weighted policies)
 * @queued: on the run queue
 * @runtime_ns: device time charged so far
 * @slices: times picked to run
 */
struct tessera_sched_entity {
	struct tpure_node node;
	u32 id;
	u32 weight;
	bool queued;
	u64 runtime_ns;
	u64 slices;
};

/**
 * struct tessera_rq - run queue of one engine
 * @head: runnable entities in round-robin order
 * @nr_queued: entities on @head
 * @timeslice_ns: longest run before a waiting client preempts
 */
struct tessera_rq {
	struct tpure_node head;
	u32 nr_queued;
	u64 timeslice_ns;
};

void tessera_rq_init(struct tessera_rq *rq, u64 timeslice_ns);
void tessera_sched_entity_init(struct tessera_sched_entity *ent, u32 id);
void tessera_rq_enqueue(struct tessera_rq *rq,
			struct tessera_sched_entity *ent);
void tessera_rq_dequeue(struct tessera_rq *rq,
			struct tessera_sched_entity *ent);
struct tessera_sched_entity *tessera_rq_pick_next(struct tessera_rq *rq);
bool tessera_rq_should_preempt(const struct tessera_rq *rq,
			       const struct tessera_sched_entity *cur,
			       u64 ran_ns);
u64 tessera_rq_slice_left(const struct tessera_rq *rq,
			  const struct tessera_sched_entity *cur, u64 ran_ns);
void tessera_rq_charge(struct tessera_rq *rq,
		       struct tessera_sched_entity *ent, u64 ns);

#endif /* TESSERA_SCHED_POLICY_H */
