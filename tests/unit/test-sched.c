// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the scheduling policy (tessera_sched_policy.c): the
 * decisions are checked directly, and over simulated time with a model of
 * one engine: clients that saturate it, stay idle, or submit short jobs
 * periodically; each preemption overruns the slice by up to the hardware's
 * preemption granularity (TESSERA_PREEMPT_CHUNK_NS), which the client is
 * charged for, as the driver charges device busy time.
 */
#include <stdlib.h>

#include "tap.h"
#include "tessera_sched_policy.h"
#include <tessera/tessera_regs.h>

#define MS		1000000ull
#define SEC		(1000 * MS)
#define NEVER		(~0ull)

enum { SAT, IDLE, PERIODIC };

struct sim_client {
	struct tessera_sched_entity ent;
	int kind;
	u64 work_left;		/* ns of work pending */
	u64 busy;		/* ns run */
	u64 period, job;	/* PERIODIC */
	u64 next_arrival;
	u64 arrival_at;		/* of the outstanding job */
	u64 max_latency;
	u64 jobs;
	bool gone;
};

struct sim {
	struct tessera_rq rq;
	struct sim_client *c;
	int n;
	u64 now;
	u64 idle_ns;
	unsigned int seed;
	u64 max_overrun;
};

static unsigned int rnd(struct sim *s)
{
	s->seed = s->seed * 1103515245u + 12345u;
	return (s->seed >> 8) & 0xffffff;
}

static void sim_init(struct sim *s, struct sim_client *c, int n, u64 slice,
		     u32 policy)
{
	int i;

	memset(s, 0, sizeof(*s));
	tessera_rq_init(&s->rq, slice);
	TAP_CHECK_EQ(tessera_rq_set_policy(&s->rq, policy), 0);
	s->c = c;
	s->n = n;
	s->seed = 42;
	for (i = 0; i < n; i++) {
		tessera_sched_entity_init(&c[i].ent, i + 1);
		tessera_rq_attach(&s->rq, &c[i].ent);
		if (c[i].kind == SAT)
			c[i].work_left = NEVER / 2;
	}
}

/* Set a client's weight; keep it attached. */
static void sim_weight(struct sim *s, int i, u32 w)
{
	TAP_CHECK_EQ(tessera_rq_set_weight(&s->rq, &s->c[i].ent, w), 0);
}

static void sim_arrivals(struct sim *s, struct sim_client *running)
{
	int i;

	for (i = 0; i < s->n; i++) {
		struct sim_client *c = &s->c[i];

		if (c->gone)
			continue;
		if (c->kind == PERIODIC && c->next_arrival <= s->now) {
			if (!c->work_left)
				c->arrival_at = c->next_arrival;
			c->work_left += c->job;
			c->next_arrival += c->period;
		}
		if (c->work_left && c != running)
			tessera_rq_enqueue(&s->rq, &c->ent);
	}
}

static u64 sim_next_arrival(struct sim *s)
{
	u64 t = NEVER;
	int i;

	for (i = 0; i < s->n; i++)
		if (!s->c[i].gone && s->c[i].kind == PERIODIC &&
		    s->c[i].next_arrival < t)
			t = s->c[i].next_arrival;
	return t;
}

static struct sim_client *client_of(struct tessera_sched_entity *ent)
{
	return container_of(ent, struct sim_client, ent);
}

/* Run the engine until @end. */
static void sim_run(struct sim *s, u64 end)
{
	while (s->now < end) {
		struct tessera_sched_entity *ent;
		struct sim_client *c;
		u64 ran = 0, step, left, t, charged;

		sim_arrivals(s, NULL);
		tessera_rq_clock(&s->rq, s->now);
		ent = tessera_rq_pick_next(&s->rq);
		if (!ent) {
			t = sim_next_arrival(s);
			left = tessera_rq_next_eligible_ns(&s->rq);
			if (left != NEVER && s->now + left < t)
				t = s->now + left;
			if (t > end)
				t = end;
			TAP_CHECK(t > s->now);
			if (t <= s->now)
				t = s->now + 1000;
			s->idle_ns += t - s->now;
			s->now = t;
			continue;
		}
		c = client_of(ent);
		charged = 0;
		for (;;) {
			left = tessera_rq_slice_left(&s->rq, ent, ran);
			step = left ? left : s->rq.timeslice_ns;
			if (step > c->work_left)
				step = c->work_left;
			s->now += step;
			ran += step;
			c->work_left -= step;
			sim_arrivals(s, c);
			tessera_rq_clock(&s->rq, s->now);
			/* the driver charges device time at each tick */
			tessera_rq_update(&s->rq, ent, ran - charged);
			charged = ran;
			if (!c->work_left || c->gone || s->now >= end) {
				if (c->kind == PERIODIC && !c->work_left) {
					c->jobs++;
					t = s->now - c->arrival_at;
					if (t > c->max_latency)
						c->max_latency = t;
					c->arrival_at = c->next_arrival;
				}
				break;
			}
			if (tessera_rq_should_preempt(&s->rq, ent, ran)) {
				/* stops at the next preemption point */
				t = rnd(s) % (TESSERA_PREEMPT_CHUNK_NS + 1);
				if (t > c->work_left)
					t = c->work_left;
				s->now += t;
				ran += t;
				c->work_left -= t;
				if (t > s->max_overrun)
					s->max_overrun = t;
				break;
			}
		}
		c->busy += ran;
		tessera_rq_charge(&s->rq, ent, ran - charged);
		if (c->work_left && !c->gone)
			tessera_rq_enqueue(&s->rq, ent);
	}
}

static void sim_reset_busy(struct sim *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		s->c[i].busy = 0;
	s->idle_ns = 0;
}

static double share(struct sim *s, int i, u64 window)
{
	return (double)s->c[i].busy / (double)window;
}

/* |got - want| <= tol * want */
static int near(double got, double want, double tol)
{
	double d = got - want;

	if (d < 0)
		d = -d;
	if (d > tol * want) {
		printf("#   share %.5f, expected %.5f (tolerance %.1f%%)\n",
		       got, want, tol * 100);
		return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ decisions */

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
	TAP_CHECK_EQ(rq.nr_attached, 3);	/* enqueue attaches */
	for (i = 0; i < 9; i++) {
		struct tessera_sched_entity *q = tessera_rq_peek_next(&rq);
		struct tessera_sched_entity *p = tessera_rq_pick_next(&rq);

		TAP_CHECK(q == p);	/* peek is pick without the take */
		TAP_CHECK(p == &e[i % 3]);
		TAP_CHECK(!p->queued);
		tessera_rq_enqueue(&rq, p);	/* equal virtual time: FIFO */
	}
	TAP_CHECK_EQ(e[0].slices, 3);
	tessera_rq_dequeue(&rq, &e[1]);
	tessera_rq_dequeue(&rq, &e[1]);
	TAP_CHECK_EQ(rq.nr_queued, 2);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &e[0]);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &e[2]);
	TAP_CHECK(!tessera_rq_pick_next(&rq));
}

/*
 * Deciding the next client in advance: a heavier client that is still
 * behind in virtual time after its slice keeps the engine (no pointless
 * preemption); once it would be ahead, or tied, the waiting one is next.
 */
static void test_next_after(void)
{
	struct tessera_rq rq;
	struct tessera_sched_entity a, b;

	tessera_rq_init(&rq, 2000);
	tessera_sched_entity_init(&a, 1);
	tessera_sched_entity_init(&b, 2);
	a.weight = 300;
	b.weight = 100;
	tessera_rq_attach(&rq, &a);
	tessera_rq_enqueue(&rq, &b);
	b.vruntime = a.vruntime + 10000;
	/* 2000 ns at weight 300: +6826 < 10000 */
	TAP_CHECK(!tessera_rq_next_after(&rq, &a, 2000));
	TAP_CHECK(tessera_rq_next_after(&rq, &a, 4000) == &b);
	TAP_CHECK(!tessera_rq_should_preempt(&rq, &a, 2000));
	a.vruntime = b.vruntime;	/* a tie goes to the waiting one */
	TAP_CHECK(tessera_rq_next_after(&rq, &a, 0) == &b);
	TAP_CHECK(tessera_rq_should_preempt(&rq, &a, 2000));
	TAP_CHECK(!tessera_rq_should_preempt(&rq, &a, 1999));
	tessera_rq_dequeue(&rq, &b);
	TAP_CHECK(!tessera_rq_next_after(&rq, &a, 0));
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
	TAP_CHECK_EQ(a.charged_ns, 130);
}

static void test_lowest_vruntime_first(void)
{
	struct tessera_rq rq;
	struct tessera_sched_entity a, b;

	tessera_rq_init(&rq, MS);
	tessera_sched_entity_init(&a, 1);
	tessera_sched_entity_init(&b, 2);
	tessera_rq_attach(&rq, &a);
	tessera_rq_attach(&rq, &b);
	TAP_CHECK_EQ(tessera_rq_set_weight(&rq, &b, 200), 0);
	/* a runs 1 ms: 1024 * 1e6 / 100 virtual; b then runs 1 ms: half. */
	tessera_rq_enqueue(&rq, &a);
	tessera_rq_enqueue(&rq, &b);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &a);
	tessera_rq_charge(&rq, &a, MS);
	TAP_CHECK_EQ(a.vruntime, MS * TESSERA_VT_SCALE / 100);
	tessera_rq_enqueue(&rq, &a);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &b);
	tessera_rq_charge(&rq, &b, MS);
	tessera_rq_enqueue(&rq, &b);
	TAP_CHECK_EQ(b.vruntime, MS * TESSERA_VT_SCALE / 200);
	/* b (weight 2) runs twice for a's once */
	TAP_CHECK(tessera_rq_pick_next(&rq) == &b);
	tessera_rq_charge(&rq, &b, MS);
	tessera_rq_enqueue(&rq, &b);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &a);
}

static void test_parse_and_validate(void)
{
	struct tessera_rq rq;
	struct tessera_sched_entity a;

	TAP_CHECK_EQ(tessera_sched_policy_parse("best-effort"),
		     TESSERA_POLICY_BEST_EFFORT);
	TAP_CHECK_EQ(tessera_sched_policy_parse("equal-share\n"),
		     TESSERA_POLICY_EQUAL_SHARE);
	TAP_CHECK_EQ(tessera_sched_policy_parse("fixed-share"),
		     TESSERA_POLICY_FIXED_SHARE);
	TAP_CHECK_EQ(tessera_sched_policy_parse("fixed-share\n\n"), -EINVAL);
	TAP_CHECK_EQ(tessera_sched_policy_parse("fixed"), -EINVAL);
	TAP_CHECK_EQ(tessera_sched_policy_parse(""), -EINVAL);
	TAP_CHECK_EQ(tessera_sched_policy_parse("best-effortX"), -EINVAL);
	TAP_CHECK(!strcmp(tessera_sched_policy_name(2), "fixed-share"));
	TAP_CHECK(!strcmp(tessera_sched_policy_name(3), "?"));
	TAP_CHECK(!tessera_sched_weight_valid(0));
	TAP_CHECK(tessera_sched_weight_valid(1));
	TAP_CHECK(tessera_sched_weight_valid(TESSERA_WEIGHT_MAX));
	TAP_CHECK(!tessera_sched_weight_valid(TESSERA_WEIGHT_MAX + 1ull));
	TAP_CHECK(!tessera_sched_weight_valid(1ull << 32));

	tessera_rq_init(&rq, MS);
	tessera_sched_entity_init(&a, 1);
	TAP_CHECK_EQ(tessera_rq_set_policy(&rq, TESSERA_POLICY_NR), -EINVAL);
	TAP_CHECK_EQ(rq.policy, TESSERA_POLICY_BEST_EFFORT);
	TAP_CHECK_EQ(tessera_rq_set_timeslice(&rq, 99999), -EINVAL);
	TAP_CHECK_EQ(tessera_rq_set_timeslice(&rq, 1000000001ull), -EINVAL);
	TAP_CHECK_EQ(tessera_rq_set_timeslice(&rq, 100000), 0);
	TAP_CHECK_EQ(rq.timeslice_ns, 100000);
	TAP_CHECK_EQ(tessera_rq_set_weight(&rq, &a, 0), -EINVAL);
	TAP_CHECK_EQ(tessera_rq_set_weight(&rq, &a, TESSERA_WEIGHT_MAX + 1),
		     -EINVAL);
	TAP_CHECK_EQ(a.weight, TESSERA_WEIGHT_DEFAULT);
}

/* ----------------------------------------------------- simulated shares */

static void check_weighted(u32 policy, u64 slice, int equal)
{
	struct sim_client c[4] = { { .kind = SAT }, { .kind = SAT },
				   { .kind = SAT }, { .kind = SAT } };
	struct sim s;
	int i;

	sim_init(&s, c, 4, slice, policy);
	for (i = 0; i < 4; i++)
		sim_weight(&s, i, 100u << i);		/* 1:2:4:8 */
	sim_run(&s, SEC);				/* warm up */
	sim_reset_busy(&s);
	sim_run(&s, 11 * SEC);
	for (i = 0; i < 4; i++)
		TAP_CHECK(near(share(&s, i, 10 * SEC),
			       equal ? 0.25 : (double)(1 << i) / 15, 0.01));
	TAP_CHECK(s.idle_ns < 10 * SEC / 1000);
	TAP_CHECK(s.max_overrun <= TESSERA_PREEMPT_CHUNK_NS);
}

static void test_best_effort_weights_1_2_4_8(void)
{
	check_weighted(TESSERA_POLICY_BEST_EFFORT, MS, 0);
	check_weighted(TESSERA_POLICY_BEST_EFFORT, 10 * MS, 0);
}

static void test_equal_share_ignores_weights(void)
{
	check_weighted(TESSERA_POLICY_EQUAL_SHARE, 2 * MS, 1);
}

static void test_fixed_share_weights_1_2_4_8(void)
{
	check_weighted(TESSERA_POLICY_FIXED_SHARE, MS, 0);
	check_weighted(TESSERA_POLICY_FIXED_SHARE, 2 * MS, 0);
}

/* Clients A, B (weight 1) saturate, C (weight 2) is attached but idle. */
static void idle_client(u32 policy, double want_ab, double want_idle)
{
	struct sim_client c[3] = { { .kind = SAT }, { .kind = SAT },
				   { .kind = IDLE } };
	struct sim s;

	sim_init(&s, c, 3, 2 * MS, policy);
	sim_weight(&s, 2, 200);
	sim_run(&s, SEC);
	sim_reset_busy(&s);
	sim_run(&s, 11 * SEC);
	TAP_CHECK(near(share(&s, 0, 10 * SEC), want_ab, 0.01));
	TAP_CHECK(near(share(&s, 1, 10 * SEC), want_ab, 0.01));
	TAP_CHECK_EQ(c[2].busy, 0);
	if (want_idle > 0)
		TAP_CHECK(near((double)s.idle_ns / (10 * SEC), want_idle, 0.01));
	else
		TAP_CHECK(s.idle_ns == 0);
}

static void test_best_effort_gives_idle_share_away(void)
{
	idle_client(TESSERA_POLICY_BEST_EFFORT, 0.5, 0);
	idle_client(TESSERA_POLICY_EQUAL_SHARE, 0.5, 0);
}

static void test_fixed_share_keeps_idle_reservation(void)
{
	idle_client(TESSERA_POLICY_FIXED_SHARE, 0.25, 0.5);
}

/* A lone client under fixed-share gets its reservation, not more. */
static void test_fixed_share_lone_client(void)
{
	struct sim_client c[2] = { { .kind = SAT }, { .kind = IDLE } };
	struct sim s;

	sim_init(&s, c, 2, MS, TESSERA_POLICY_FIXED_SHARE);
	sim_weight(&s, 0, 300);			/* 3:1 -> 75 % */
	sim_run(&s, 10 * SEC);
	TAP_CHECK(near(share(&s, 0, 10 * SEC), 0.75, 0.01));
	/* and once the other leaves, everything */
	tessera_rq_detach(&s.rq, &c[1].ent);
	c[1].gone = true;
	sim_reset_busy(&s);
	sim_run(&s, 20 * SEC);
	TAP_CHECK(near(share(&s, 0, 10 * SEC), 1.0, 0.01));
}

/* An idle client does not bank credit (best-effort): no burst on return. */
static void test_no_credit_banking(void)
{
	struct sim_client c[2] = { { .kind = SAT }, { .kind = IDLE } };
	struct sim s;

	sim_init(&s, c, 2, MS, TESSERA_POLICY_BEST_EFFORT);
	sim_run(&s, 5 * SEC);		/* B idle: A had it all */
	TAP_CHECK(near(share(&s, 0, 5 * SEC), 1.0, 0.001));
	c[1].kind = SAT;
	c[1].work_left = NEVER / 2;
	sim_reset_busy(&s);
	c[0].ent.max_wait_ns = 0;
	sim_run(&s, 6 * SEC);
	TAP_CHECK(near(share(&s, 1, SEC), 0.5, 0.01));
	/* A is not starved while B returns: it waits about one slice */
	TAP_CHECK(c[0].ent.max_wait_ns <= 2 * MS + TESSERA_PREEMPT_CHUNK_NS);
}

/* Clients join and leave while others run. */
static void test_join_leave(void)
{
	struct sim_client c[4] = { { .kind = SAT }, { .kind = SAT },
				   { .kind = IDLE }, { .kind = IDLE } };
	struct sim s;
	int i;

	for (i = 0; i < 3; i++) {
		u32 pol = i;

		memset(c, 0, sizeof(c));
		c[0].kind = SAT;
		c[1].kind = SAT;
		c[2].kind = IDLE;
		c[3].kind = IDLE;
		sim_init(&s, c, 4, MS, pol);
		/* 2 and 3 are not clients yet */
		tessera_rq_detach(&s.rq, &c[2].ent);
		tessera_rq_detach(&s.rq, &c[3].ent);
		TAP_CHECK_EQ(s.rq.nr_attached, 2);
		sim_run(&s, 3 * SEC);
		/* 2 joins, saturating */
		c[2].kind = SAT;
		c[2].work_left = NEVER / 2;
		sim_reset_busy(&s);
		sim_run(&s, 6 * SEC);
		TAP_CHECK(near(share(&s, 0, 3 * SEC), 1.0 / 3, 0.01));
		TAP_CHECK(near(share(&s, 2, 3 * SEC), 1.0 / 3, 0.01));
		/* 0 leaves while queued or running */
		tessera_rq_detach(&s.rq, &c[0].ent);
		c[0].gone = true;
		sim_reset_busy(&s);
		sim_run(&s, 9 * SEC);
		TAP_CHECK_EQ(c[0].busy, 0);
		TAP_CHECK(near(share(&s, 1, 3 * SEC), 0.5, 0.01));
		TAP_CHECK(near(share(&s, 2, 3 * SEC), 0.5, 0.01));
		TAP_CHECK_EQ(s.rq.nr_attached, 2);
	}
}

/* Every runnable client runs within a bound set by the weights. */
static void test_no_starvation(void)
{
	struct sim_client c[16];
	struct sim s;
	u64 wsum = 0;
	int i, p;

	for (p = 0; p < TESSERA_POLICY_NR; p++) {
		memset(c, 0, sizeof(c));
		for (i = 0; i < 16; i++)
			c[i].kind = SAT;
		sim_init(&s, c, 16, MS, p);
		wsum = 0;
		for (i = 0; i < 16; i++) {
			u32 w = 100 * (1 + (i * 7) % 8);

			sim_weight(&s, i, w);
			wsum += p == TESSERA_POLICY_EQUAL_SHARE ? 100 : w;
		}
		sim_run(&s, 20 * SEC);
		for (i = 0; i < 16; i++) {
			u64 w = p == TESSERA_POLICY_EQUAL_SHARE ? 100 :
				c[i].ent.weight;
			/* others run until they pass it: (sum / w) slices,
			 * plus up to one slice of lag each, plus overruns
			 */
			u64 bound = (wsum / w + 16) * (MS + 1000);

			TAP_CHECK(c[i].ent.max_wait_ns <= bound);
			TAP_CHECK(c[i].ent.slices > 0);
		}
	}
}

/* A light client's job finishes within (N-1) slices while N-1 saturate. */
static void test_light_client_latency(void)
{
	struct sim_client c[8];
	struct sim s;
	int i, p;

	for (p = 0; p < TESSERA_POLICY_NR; p++) {
		memset(c, 0, sizeof(c));
		for (i = 0; i < 7; i++)
			c[i].kind = SAT;
		c[7].kind = PERIODIC;
		c[7].period = 20 * MS;
		c[7].job = 100000;		/* 100 us */
		c[7].next_arrival = 3 * MS;
		sim_init(&s, c, 8, MS, p);
		sim_run(&s, 10 * SEC);
		TAP_CHECK(c[7].jobs >= 490);
		TAP_CHECK(c[7].max_latency <= 11 * 7 * MS / 10);
	}
}

static void test_weight_change_at_run_time(void)
{
	struct sim_client c[2] = { { .kind = SAT }, { .kind = SAT } };
	struct sim s;

	sim_init(&s, c, 2, MS, TESSERA_POLICY_BEST_EFFORT);
	sim_run(&s, 2 * SEC);
	TAP_CHECK(near(share(&s, 0, 2 * SEC), 0.5, 0.01));
	sim_weight(&s, 1, 300);
	sim_reset_busy(&s);
	sim_run(&s, 12 * SEC);
	TAP_CHECK(near(share(&s, 0, 10 * SEC), 0.25, 0.01));
	TAP_CHECK(near(share(&s, 1, 10 * SEC), 0.75, 0.01));
}

static void test_policy_switch_at_run_time(void)
{
	struct sim_client c[3] = { { .kind = SAT }, { .kind = SAT },
				   { .kind = IDLE } };
	struct sim s;
	u64 t;
	int i;

	sim_init(&s, c, 3, MS, TESSERA_POLICY_BEST_EFFORT);
	sim_weight(&s, 1, 300);
	sim_run(&s, 3 * SEC);
	for (i = 0; i < 10; i++) {
		u32 p = (u32)i % TESSERA_POLICY_NR;

		TAP_CHECK_EQ(tessera_rq_set_policy(&s.rq, p), 0);
		sim_reset_busy(&s);
		c[0].ent.max_wait_ns = 0;
		c[1].ent.max_wait_ns = 0;
		t = s.now;
		sim_run(&s, t + 4 * SEC);
		switch (p) {
		case TESSERA_POLICY_BEST_EFFORT:
			TAP_CHECK(near(share(&s, 1, 4 * SEC), 0.75, 0.01));
			break;
		case TESSERA_POLICY_EQUAL_SHARE:
			TAP_CHECK(near(share(&s, 1, 4 * SEC), 0.5, 0.01));
			break;
		default:	/* 1:3 of a total of 1 + 3 + 1 */
			TAP_CHECK(near(share(&s, 1, 4 * SEC), 0.6, 0.01));
			TAP_CHECK(near(share(&s, 0, 4 * SEC), 0.2, 0.02));
			break;
		}
		TAP_CHECK(c[0].ent.max_wait_ns <= 10 * MS);
		TAP_CHECK(c[1].ent.max_wait_ns <= 10 * MS);
	}
}

/* Virtual times wrap around 2^64 without a change of behaviour. */
static void test_overflow_safety(void)
{
	struct sim_client c[4];
	struct sim s;
	int i, p;

	for (p = 0; p < TESSERA_POLICY_NR; p++) {
		memset(c, 0, sizeof(c));
		for (i = 0; i < 4; i++)
			c[i].kind = SAT;
		tessera_rq_init(&s.rq, MS);
		sim_init(&s, c, 0, MS, p);
		s.rq.min_vruntime = ~0ull - 3 * SEC * TESSERA_VT_SCALE;
		s.rq.vclock = s.rq.min_vruntime;
		s.rq.now = ~0ull - 2 * SEC;	/* the clock wraps too */
		s.now = 0;
		s.c = c;
		s.n = 4;
		for (i = 0; i < 4; i++) {
			tessera_sched_entity_init(&c[i].ent, i + 1);
			tessera_rq_attach(&s.rq, &c[i].ent);
			sim_weight(&s, i, 100u << i);
			c[i].work_left = NEVER / 2;
		}
		/* the rq clock is ahead of the simulation: let it catch up */
		tessera_rq_clock(&s.rq, 0);
		sim_run(&s, 20 * SEC);
		TAP_CHECK(c[0].ent.vruntime < s.rq.min_vruntime + 100 * SEC);
		for (i = 0; i < 4; i++)
			TAP_CHECK(near(share(&s, i, 20 * SEC),
				       p == TESSERA_POLICY_EQUAL_SHARE ? 0.25 :
				       (double)(1 << i) / 15, 0.01));
	}
	/* absurd charges are clamped, not wrapped */
	{
		struct tessera_rq rq;
		struct tessera_sched_entity a;

		tessera_rq_init(&rq, MS);
		tessera_sched_entity_init(&a, 1);
		tessera_rq_attach(&rq, &a);
		TAP_CHECK_EQ(tessera_rq_set_weight(&rq, &a, 1), 0);
		tessera_rq_charge(&rq, &a, ~0ull);
		TAP_CHECK_EQ(a.charged_ns, TESSERA_CHARGE_MAX_NS);
		TAP_CHECK_EQ(a.vruntime, TESSERA_CHARGE_MAX_NS *
			     TESSERA_VT_SCALE);
		tessera_rq_clock(&rq, ~0ull);
		tessera_rq_clock(&rq, 5);	/* wrapped: moves on */
		TAP_CHECK_EQ(rq.now, 5);
	}
}

static void test_next_eligible(void)
{
	struct tessera_rq rq;
	struct tessera_sched_entity a, b;
	u64 left;

	tessera_rq_init(&rq, MS);
	tessera_rq_set_policy(&rq, TESSERA_POLICY_FIXED_SHARE);
	tessera_sched_entity_init(&a, 1);
	tessera_sched_entity_init(&b, 2);
	tessera_rq_attach(&rq, &a);
	tessera_rq_attach(&rq, &b);
	TAP_CHECK_EQ(tessera_rq_next_eligible_ns(&rq), NEVER);
	tessera_rq_clock(&rq, 10);
	tessera_rq_enqueue(&rq, &a);
	TAP_CHECK_EQ(tessera_rq_next_eligible_ns(&rq), 0);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &a);
	tessera_rq_clock(&rq, 10 + MS);
	tessera_rq_update(&rq, &a, MS);
	/* a ran 1 ms alone with half of the engine reserved: must yield */
	TAP_CHECK(tessera_rq_should_preempt(&rq, &a, MS));
	tessera_rq_charge(&rq, &a, 0);
	tessera_rq_enqueue(&rq, &a);
	TAP_CHECK(!tessera_rq_pick_next(&rq));
	left = tessera_rq_next_eligible_ns(&rq);
	/* a is 0.5 ms ahead of its share: eligible in ~1 ms of wall time */
	TAP_CHECK(left > MS - 1000 && left <= MS + 1000);
	tessera_rq_clock(&rq, 10 + MS + left);
	TAP_CHECK(tessera_rq_pick_next(&rq) == &a);
}

int main(void)
{
	TAP_RUN(test_round_robin_order);
	TAP_RUN(test_preempt_decision);
	TAP_RUN(test_next_after);
	TAP_RUN(test_lowest_vruntime_first);
	TAP_RUN(test_parse_and_validate);
	TAP_RUN(test_best_effort_weights_1_2_4_8);
	TAP_RUN(test_equal_share_ignores_weights);
	TAP_RUN(test_fixed_share_weights_1_2_4_8);
	TAP_RUN(test_best_effort_gives_idle_share_away);
	TAP_RUN(test_fixed_share_keeps_idle_reservation);
	TAP_RUN(test_fixed_share_lone_client);
	TAP_RUN(test_no_credit_banking);
	TAP_RUN(test_join_leave);
	TAP_RUN(test_no_starvation);
	TAP_RUN(test_light_client_latency);
	TAP_RUN(test_weight_change_at_run_time);
	TAP_RUN(test_policy_switch_at_run_time);
	TAP_RUN(test_overflow_safety);
	TAP_RUN(test_next_eligible);
	return tap_done();
}
