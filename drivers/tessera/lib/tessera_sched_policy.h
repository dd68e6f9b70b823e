/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera scheduling policy: the decisions only (which client runs next on
 * an engine, when the running one should be preempted, how run time is
 * charged and how credit and debt carry over). The mechanism (engine
 * programming, locking, interrupts, timers) is in tessera_sched.c. The
 * policy is pure logic that compiles in userspace (tests/unit/test-sched.c).
 *
 * The policy is a weighted virtual-time scheduler (see
 * Documentation/dev/scheduler.rst). Every client of an engine has a virtual
 * run time that advances by (ns run) * TESSERA_VT_SCALE / weight; the
 * runnable client with the smallest virtual run time runs next, for one
 * time slice. Three policies, switchable at run time:
 *
 *  - best-effort: weighted, work conserving: a client that has no work gives
 *    its time to the others; when it comes back it is placed at the run
 *    queue's minimum virtual time (it keeps debt, never banks credit);
 *  - equal-share: as best-effort with every weight taken as equal;
 *  - fixed-share: a client may run only while its virtual time is behind a
 *    clock that advances with wall time at TESSERA_VT_SCALE / (sum of the
 *    weights of all attached clients, idle or not): each client gets at
 *    most weight / total of the engine, and the engine idles rather than
 *    give an idle client's reservation away.
 *
 * Virtual times are u64 compared modulo 2^64, so they may wrap. Every field
 * of an entity is plain data so that it can be serialised with the client's
 * other state (live migration).
 */
#ifndef TESSERA_SCHED_POLICY_H
#define TESSERA_SCHED_POLICY_H

#include <linux/errno.h>
#include <linux/list.h>
#include <linux/string.h>
#include <linux/types.h>

enum tessera_sched_policy_id {
	TESSERA_POLICY_BEST_EFFORT,
	TESSERA_POLICY_EQUAL_SHARE,
	TESSERA_POLICY_FIXED_SHARE,
	TESSERA_POLICY_NR
};

#define TESSERA_WEIGHT_DEFAULT		100u
#define TESSERA_WEIGHT_MIN		1u
#define TESSERA_WEIGHT_MAX		100000u
/* Virtual ns per ns of run time at weight TESSERA_VT_SCALE / weight. */
#define TESSERA_VT_SCALE		1024ull
/* Longest run charged at once (overflow guard: 2^40 ns ~ 18 minutes). */
#define TESSERA_CHARGE_MAX_NS		0x10000000000ull

/* Bounds of the run-time knobs (sysfs), microseconds. */
#define TESSERA_TIMESLICE_MIN_US	100u
#define TESSERA_TIMESLICE_MAX_US	1000000u
#define TESSERA_PREEMPT_TIMEOUT_MIN_US	100u
#define TESSERA_PREEMPT_TIMEOUT_MAX_US	10000000u
#define TESSERA_HANG_SLICES_MIN		2u
#define TESSERA_HANG_SLICES_MAX		1000000u

/**
 * struct tessera_sched_entity - one client (a context's ring) on one engine
 * @node: run-queue link (queued only while runnable and not running)
 * @anode: link on the run queue's attached clients
 * @id: client id for logs (hardware context number)
 * @weight: relative share, TESSERA_WEIGHT_MIN..TESSERA_WEIGHT_MAX
 * @queued: on the run queue
 * @attached: counted in the run queue's clients (fixed-share reservation)
 * @vruntime: virtual run time (wraps)
 * @vrem: remainder of the last virtual-time division
 * @enqueued_at: rq clock when last queued
 * @charged_ns: engine time charged so far (policy)
 * @runtime_ns: device busy time so far (mechanism: ENG_BUSY_NS)
 * @runtime_at_pick: @runtime_ns when last started (mechanism)
 * @charged_at: clock of the last charge (mechanism)
 * @idle_seen: seen drained (WAITING) since the last charge (mechanism)
 * @slices: times picked to run
 * @wait_ns: time spent runnable but not running
 * @max_wait_ns: longest single wait
 * @preempts: preemptions at the end of a slice (mechanism)
 * @resets: engine resets of this client (mechanism)
 * @hangs: times detected as hung (mechanism)
 * @stall_slices: consecutive slices without progress (mechanism)
 * @last_head: ring head at the last slice boundary (mechanism)
 */
struct tessera_sched_entity {
	struct list_head node;
	struct list_head anode;
	u32 id;
	u32 weight;
	bool queued;
	bool attached;
	u64 vruntime;
	u64 vrem;
	u64 enqueued_at;
	u64 charged_ns;
	u64 runtime_ns;
	u64 runtime_at_pick;
	u64 charged_at;
	bool idle_seen;
	u64 slices;
	u64 wait_ns;
	u64 max_wait_ns;
	u64 preempts;
	u64 resets;
	u64 hangs;
	u32 stall_slices;
	u32 last_head;
};

/**
 * struct tessera_rq - run queue of one engine
 * @head: runnable entities, in arrival order (ties go to the earliest)
 * @clients: attached entities
 * @nr_queued: entities on @head
 * @nr_attached: entities on @clients
 * @policy: enum tessera_sched_policy_id
 * @timeslice_ns: slice length
 * @now: policy clock, ns (set by tessera_rq_clock())
 * @min_vruntime: floor of the running and queued virtual times (monotonic)
 * @vclock: fixed-share virtual clock
 * @vclock_rem: remainder of the last @vclock division
 * @curr: entity picked and not yet charged, or NULL
 */
struct tessera_rq {
	struct list_head head;
	struct list_head clients;
	u32 nr_queued;
	u32 nr_attached;
	u32 policy;
	u64 timeslice_ns;
	u64 now;
	u64 min_vruntime;
	u64 vclock;
	u64 vclock_rem;
	struct tessera_sched_entity *curr;
};

void tessera_rq_init(struct tessera_rq *rq, u64 timeslice_ns);
void tessera_sched_entity_init(struct tessera_sched_entity *ent, u32 id);
int tessera_rq_set_policy(struct tessera_rq *rq, u32 policy);
int tessera_rq_set_timeslice(struct tessera_rq *rq, u64 ns);
int tessera_rq_set_weight(struct tessera_rq *rq,
			  struct tessera_sched_entity *ent, u32 weight);
bool tessera_sched_weight_valid(unsigned long long weight);
const char *tessera_sched_policy_name(u32 policy);
int tessera_sched_policy_parse(const char *buf);
void tessera_rq_clock(struct tessera_rq *rq, u64 now);
void tessera_rq_attach(struct tessera_rq *rq, struct tessera_sched_entity *ent);
void tessera_rq_detach(struct tessera_rq *rq, struct tessera_sched_entity *ent);
void tessera_rq_enqueue(struct tessera_rq *rq,
			struct tessera_sched_entity *ent);
void tessera_rq_dequeue(struct tessera_rq *rq,
			struct tessera_sched_entity *ent);
struct tessera_sched_entity *tessera_rq_peek_next(const struct tessera_rq *rq);
void tessera_rq_take(struct tessera_rq *rq, struct tessera_sched_entity *ent);
struct tessera_sched_entity *
tessera_rq_next_after(const struct tessera_rq *rq,
		      const struct tessera_sched_entity *cur, u64 more_ns);
struct tessera_sched_entity *tessera_rq_pick_next(struct tessera_rq *rq);
bool tessera_rq_should_preempt(const struct tessera_rq *rq,
			       const struct tessera_sched_entity *cur,
			       u64 ran_ns);
u64 tessera_rq_slice_left(const struct tessera_rq *rq,
			  const struct tessera_sched_entity *cur, u64 ran_ns);
u64 tessera_rq_next_eligible_ns(const struct tessera_rq *rq);
void tessera_rq_update(struct tessera_rq *rq,
		       struct tessera_sched_entity *ent, u64 ns);
void tessera_rq_charge(struct tessera_rq *rq,
		       struct tessera_sched_entity *ent, u64 ns);
void tessera_rq_clear(struct tessera_rq *rq);

#endif /* TESSERA_SCHED_POLICY_H */
