// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the scheduling policy (tessera_sched_policy.c). */
#include "tap.h"
#include "tessera_sched_policy.h"

static void test_round_robin_order(void)
{
	struct tessera_rq rq;
	struct tessera_sched_entity e[3];
	unsigned int i;

	tessera_rq_init(&rq, 1000);
	for (i = 0; i < 3; i++) {
		tessera_sched_entity_init(&e[i], i + 1);
		tessera_rq_enqueue(&rq, &e[i]);
	}
	tessera_rq_enqueue(&rq, &e[0]);		/* idempotent */
	TAP_CHECK_EQ(rq.nr_queued, 3);
	for (i = 0; i < 9; i++) {
		struct tessera_sched_entity *p = tessera_rq_pick_next(&rq);

		TAP_CHECK(p == &e[i % 3]);
		TAP_CHECK(!p->queued);
		tessera_rq_enqueue(&rq, p);	/* still runnable: to the back */
	}
	TAP_CHECK_EQ(e[0].slices, 3);
	tessera_rq_dequeue(&rq, &e[1]);
	tessera_rq_dequeue(&rq, &e[1]);
	TAP_CHECK_EQ(rq.nr_queued, 2);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &e[0]);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &e[2]);
	TAP_CHECK(tessera_rq_pick_next(&rq) == NULL);
}

static void test_preempt_decision(void)
{
	struct tessera_rq rq;
	struct tessera_sched_entity a, b;

	tessera_rq_init(&rq, 2000);
	tessera_sched_entity_init(&a, 1);
	tessera_sched_entity_init(&b, 2);
	TAP_CHECK(!tessera_rq_should_preempt(&rq, &a, 1000000));	/* alone */
	tessera_rq_enqueue(&rq, &b);
	TAP_CHECK(!tessera_rq_should_preempt(&rq, &a, 1999));
	TAP_CHECK(tessera_rq_should_preempt(&rq, &a, 2000));
	TAP_CHECK_EQ(tessera_rq_slice_left(&rq, &a, 500), 1500);
	TAP_CHECK_EQ(tessera_rq_slice_left(&rq, &a, 5000), 0);
	tessera_rq_charge(&rq, &a, 123);
	tessera_rq_charge(&rq, &a, 7);
	TAP_CHECK_EQ(a.runtime_ns, 130);
}

int main(void)
{
	TAP_RUN(test_round_robin_order);
	TAP_RUN(test_preempt_decision);
	return tap_done();
}
