// SPDX-License-Identifier: GPL-2.0
/*
 * tessera timeline: record the scheduler's tracepoints
 * (drivers/tessera/core/tessera_trace.h: tessera_switch_in, tessera_switch_out,
 * tessera_client_reset) in a private tracefs instance for N seconds and
 * draw an SVG with one lane per engine of every GPU, each span coloured by
 * the client (vGPU or native context) that held the engine, resets marked.
 * It generalises bench/analyze.py's timeline.svg to any workload.
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define MAX_LANES	(TSR_MAX_GPUS * TESSERA_MAX_ENGINES)
#define MAX_CLIENTS	256

struct span {
	int lane;
	unsigned int ctx;
	double a, b;		/* seconds, trace clock */
};

struct mark {
	int lane;
	unsigned int ctx;
	double t;
	const char *what;	/* reset, fault, hang, timeout */
};

struct client {
	int gpu;
	unsigned int ctx;
	char label[80];
};

struct rec {
	struct tsr_gpu gpus[TSR_MAX_GPUS];
	int ngpu;
	struct tsr_vgpu vgpus[TSR_MAX_VGPUS];
	int nvgpu;
	struct span *spans;
	size_t nspans, cap;
	struct mark marks[4096];
	size_t nmarks;
	double t0, t1;
	double open_t[MAX_LANES];	/* < 0: since the start */
	int open_ctx[MAX_LANES];	/* -1: none */
	struct client clients[MAX_CLIENTS];
	int nclients;
	unsigned long long lost;
};

static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948",
	"#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8",
};

static volatile sig_atomic_t rec_stop;

static void rec_signal(int sig)
{
	(void)sig;
	rec_stop = 1;
}

static const char *tracefs_root(void)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing"
	};
	char p[256];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/events", roots[i]);
		if (!access(p, F_OK))
			return roots[i];
	}
	if (!mount("nodev", roots[0], "tracefs", 0, NULL))
		return roots[0];
	return NULL;
}

static int tf_write(const char *dir, const char *file, const char *val)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	return tsr_sysfs_write(p, val);
}

static const char *const events[] = {
	"tessera_switch_in", "tessera_switch_out", "tessera_client_reset"
};

static void events_enable(const char *inst, const char *on)
{
	char f[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(events); i++) {
		snprintf(f, sizeof(f), "events/tessera/%s/enable", events[i]);
		tf_write(inst, f, on);
	}
}

static unsigned long long lost_events(const char *inst)
{
	unsigned long long n = 0, v;
	char pat[512], line[128];
	glob_t g;
	size_t i;
	FILE *f;

	snprintf(pat, sizeof(pat), "%s/per_cpu/cpu*/stats", inst);
	if (glob(pat, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc; i++) {
		f = fopen(g.gl_pathv[i], "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "overrun: %llu", &v) == 1 ||
			    sscanf(line, "dropped events: %llu", &v) == 1)
				n += v;
		fclose(f);
	}
	globfree(&g);
	return n;
}

static int gpu_of_dev(const struct rec *r, int dev)
{
	int g;

	for (g = 0; g < r->ngpu; g++)
		if (r->gpus[g].index == dev)
			return g;
	return -1;
}

static int lane_of(const struct rec *r, int g, unsigned int engine)
{
	if (g < 0 || engine >= r->gpus[g].num_engines)
		return -1;
	return g * TESSERA_MAX_ENGINES + engine;
}

static unsigned long long field(const char *line, const char *name)
{
	const char *p = strstr(line, name);

	return p ? strtoull(p + strlen(name), NULL, 0) : 0;
}

static void add_span(struct rec *r, int lane, unsigned int ctx, double a,
		     double b)
{
	if (r->nspans == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 4096;
		struct span *s = realloc(r->spans, cap * sizeof(*s));

		if (!s)
			return;
		r->spans = s;
		r->cap = cap;
	}
	r->spans[r->nspans++] = (struct span){ lane, ctx, a, b };
}

static void add_mark(struct rec *r, int lane, unsigned int ctx, double t,
		     const char *what)
{
	if (r->nmarks < ARRAY_SIZE(r->marks))
		r->marks[r->nmarks++] = (struct mark){ lane, ctx, t, what };
}

/* One line of the trace file. */
static void parse_line(struct rec *r, const char *line)
{
	const char *ev = strstr(line, ": tessera_"), *q;
	int lane, g, in = 0, reason;
	unsigned int ctx;
	double t;

	if (!ev)
		ev = strstr(line, ": tracing_mark_write: tessera-timeline");
	if (!ev)
		return;
	for (q = ev; q > line && q[-1] != ' '; q--)
		;
	t = strtod(q, NULL);
	if (strstr(ev, "tessera-timeline start")) {
		r->t0 = t;
		return;
	}
	if (strstr(ev, "tessera-timeline end")) {
		r->t1 = t;
		return;
	}
	if (!r->t0)
		return;		/* before our start marker */
	g = gpu_of_dev(r, (int)field(ev, "dev="));
	lane = lane_of(r, g, field(ev, "engine="));
	if (lane < 0)
		return;
	ctx = field(ev, "ctx=");
	if (!strncmp(ev, ": tessera_switch_in:", 20)) {
		in = 1;
	} else if (!strncmp(ev, ": tessera_client_reset:", 23)) {
		add_mark(r, lane, ctx, t, "reset");
		return;
	} else if (strncmp(ev, ": tessera_switch_out:", 21)) {
		return;
	}
	if (in) {
		if (r->open_ctx[lane] >= 0)	/* a lost switch_out */
			add_span(r, lane, r->open_ctx[lane],
				 r->open_t[lane] < 0 ? r->t0 : r->open_t[lane], t);
		r->open_ctx[lane] = ctx;
		r->open_t[lane] = t;
		return;
	}
	/* switch_out: held since its switch_in, or since the start. */
	add_span(r, lane, ctx,
		 r->open_ctx[lane] == (int)ctx && r->open_t[lane] >= 0 ?
		 r->open_t[lane] : r->t0, t);
	r->open_ctx[lane] = -1;
	q = strstr(ev, "reason=");
	reason = q && strncmp(q + 7, "preempt", 7) && strncmp(q + 7, "drained", 7) &&
		 strncmp(q + 7, "quiesce", 7);
	if (reason) {
		static const char *const names[] = { "fault", "hang", "timeout" };
		unsigned int k;

		for (k = 0; k < 3; k++)
			if (!strncmp(q + 7, names[k], strlen(names[k])))
				add_mark(r, lane, ctx, t, names[k]);
	}
}

/*
 * Who holds each engine when recording starts: a client that keeps an
 * engine without switching (alone on it) has no event in the trace. From
 * debugfs tessera/<bdf>/sched: "engine E ... running CTX ...".
 */
static void holders_at_start(struct rec *r)
{
	char p[256], line[512];
	const char *q;
	unsigned int e;
	int g, ctx, lane;
	FILE *f;

	snprintf(p, sizeof(p), "/sys/kernel/debug/%s", "tessera");
	if (access(p, F_OK))
		mount("none", "/sys/kernel/debug", "debugfs", 0, NULL);
	for (g = 0; g < r->ngpu; g++) {
		snprintf(p, sizeof(p), "/sys/kernel/debug/tessera/%s/sched",
			 r->gpus[g].bdf);
		f = fopen(p, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			q = strstr(line, " running ");
			if (sscanf(line, "engine %u ", &e) != 1 || !q)
				continue;
			ctx = atoi(q + 9);
			lane = lane_of(r, g, e);
			if (ctx >= 0 && lane >= 0) {
				r->open_ctx[lane] = ctx;
				r->open_t[lane] = -1;
			}
		}
		fclose(f);
	}
}

static int client_idx(struct rec *r, int gpu, unsigned int ctx)
{
	int i;

	for (i = 0; i < r->nclients; i++)
		if (r->clients[i].gpu == gpu && r->clients[i].ctx == ctx)
			return i;
	if (r->nclients == MAX_CLIENTS)
		return MAX_CLIENTS - 1;
	r->clients[i].gpu = gpu;
	r->clients[i].ctx = ctx;
	snprintf(r->clients[i].label, sizeof(r->clients[i].label),
		 "ctx %u (native)", ctx);
	for (int v = 0; v < r->nvgpu; v++)
		if (r->vgpus[v].hw_context == ctx &&
		    !strcmp(r->vgpus[v].parent, r->gpus[gpu].bdf))
			snprintf(r->clients[i].label,
				 sizeof(r->clients[i].label),
				 "vGPU %.8s (%s, ctx %u)", r->vgpus[v].uuid,
				 r->vgpus[v].type + (strncmp(r->vgpus[v].type,
							     "tessera-", 8) ? 0 : 8),
				 ctx);
	return r->nclients++;
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->lane != y->lane)
		return x->lane - y->lane;
	if (x->ctx != y->ctx)
		return x->ctx < y->ctx ? -1 : 1;
	return (x->a > y->a) - (x->a < y->a);
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

/* Held seconds of client @c on @lane. */
static double held(const struct rec *r, int lane, int c, unsigned int *slices)
{
	double sum = 0;
	size_t i;

	*slices = 0;
	for (i = 0; i < r->nspans; i++)
		if (r->spans[i].lane == lane &&
		    (c < 0 || r->spans[i].ctx == r->clients[c].ctx)) {
			sum += r->spans[i].b - r->spans[i].a;
			(*slices)++;
		}
	return sum;
}

static double tick_step(double T)
{
	static const double m[] = { 1, 2, 5 };
	double p = 0.000001;
	int i;

	for (;; p *= 10)
		for (i = 0; i < 3; i++)
			if (T / (m[i] * p) <= 10)
				return m[i] * p;
}

static int write_svg(struct rec *r, const char *out, const char *policy,
		     const char *slice)
{
	const double W = 1000, X0 = 190, LH = 34, GAP = 8, Y0 = 56;
	double T = r->t1 - r->t0, y, x, w, step, t;
	int g, lane, nl = 0, c, legend_rows;
	unsigned int e, n;
	char tbuf[64];
	time_t now = time(NULL);
	size_t i;
	FILE *f;

	for (g = 0; g < r->ngpu; g++)
		nl += r->gpus[g].num_engines;
	legend_rows = (r->nclients + 3) / 4;
	f = fopen(out, "w");
	if (!f)
		return -errno;
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%d %H:%M:%S", localtime(&now));
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
		X0 + W + 90, Y0 + nl * (LH + GAP) + 40 + legend_rows * 22 + 20);
	fprintf(f, "<title>Tessera engine timeline</title>\n");
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f,
		"<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">Which client held each engine: %.3f s recorded at %s</text>\n",
		T, tbuf);
	fprintf(f,
		"<text x=\"10\" y=\"38\" fill=\"#555\">policy %s, slice %s us; one lane per engine; red ticks: client resets, faults, hangs, preemption timeouts; right: engine time held</text>\n",
		policy, slice);
	y = Y0;
	for (g = 0; g < r->ngpu; g++) {
		for (e = 0; e < r->gpus[g].num_engines; e++, y += LH + GAP) {
			lane = g * TESSERA_MAX_ENGINES + e;
			fprintf(f, "<g class=\"lane\" data-gpu=\"%s\" data-engine=\"%u\">\n",
				r->gpus[g].bdf, e);
			fprintf(f, "<text x=\"10\" y=\"%.0f\">%s engine %u</text>\n",
				y + LH / 2 - 2, r->gpus[g].name, e);
			fprintf(f,
				"<text x=\"10\" y=\"%.0f\" fill=\"#777\" font-size=\"10\">%s %s</text>\n",
				y + LH / 2 + 11, r->gpus[g].bdf,
				r->gpus[g].engine_class[e]);
			fprintf(f,
				"<rect class=\"idle\" x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"#f2f2f2\"/>\n",
				X0, y, W, LH);
			for (i = 0; i < r->nspans; i++) {
				const struct span *s = &r->spans[i];

				if (s->lane != lane)
					continue;
				c = client_idx(r, g, s->ctx);
				x = X0 + (s->a - r->t0) / T * W;
				w = (s->b - s->a) / T * W;
				fprintf(f,
					"<rect class=\"held\" x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%.0f\" fill=\"%s\"><title>",
					x, y, w < 0.3 ? 0.3 : w, LH,
					palette[c % ARRAY_SIZE(palette)]);
				xml_text(f, r->clients[c].label);
				fprintf(f, " %.3f-%.3f ms</title></rect>\n",
					(s->a - r->t0) * 1e3,
					(s->b - r->t0) * 1e3);
			}
			for (i = 0; i < r->nmarks; i++) {
				if (r->marks[i].lane != lane)
					continue;
				x = X0 + (r->marks[i].t - r->t0) / T * W;
				fprintf(f,
					"<rect class=\"event\" x=\"%.2f\" y=\"%.0f\" width=\"2\" height=\"%.0f\" fill=\"#d62728\"><title>%s ctx %u at %.3f ms</title></rect>\n",
					x - 1, y - 3, LH + 6, r->marks[i].what,
					r->marks[i].ctx,
					(r->marks[i].t - r->t0) * 1e3);
			}
			fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">%.1f%% held</text>\n",
				X0 + W + 8, y + LH / 2 + 4,
				T > 0 ? 100 * held(r, lane, -1, &n) / T : 0);
			fprintf(f, "</g>\n");
		}
	}
	/* Time axis. */
	step = tick_step(T);
	fprintf(f,
		"<g class=\"axis\">\n<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>\n",
		X0, y, X0 + W, y);
	for (t = 0; t <= T * 1.000001; t += step) {
		x = X0 + t / T * W;
		fprintf(f,
			"<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#333\"/><text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"10\">%g ms</text>\n",
			x, y, x, y + 5, x, y + 17, t * 1e3);
	}
	fprintf(f, "</g>\n<g class=\"legend\">\n");
	y += 32;
	for (c = 0; c < r->nclients; c++) {
		x = 10 + (c % 4) * 300;
		fprintf(f,
			"<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\">",
			x, y + (c / 4) * 22,
			palette[c % ARRAY_SIZE(palette)],
			x + 20, y + (c / 4) * 22 + 12);
		xml_text(f, r->clients[c].label);
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</g>\n</svg>\n");
	return fclose(f) ? -errno : 0;
}

static void report(struct rec *r, const char *out)
{
	double T = r->t1 - r->t0, h;
	unsigned int e, n;
	int g, lane, c;

	if (opt_json) {
		j_obj(NULL);
		j_dbl("seconds", T);
		j_str("svg", out);
		j_u64("switches", r->nspans);
		j_u64("events", r->nmarks);
		j_u64("lost_events", r->lost);
		j_arr("lanes");
	} else {
		printf("recorded %.3f s: %zu slices, %zu reset/fault events%s; wrote %s\n",
		       T, r->nspans, r->nmarks, r->lost ? " (events lost!)" : "",
		       out);
	}
	for (g = 0; g < r->ngpu; g++) {
		for (e = 0; e < r->gpus[g].num_engines; e++) {
			lane = g * TESSERA_MAX_ENGINES + e;
			h = held(r, lane, -1, &n);
			if (opt_json) {
				j_obj(NULL);
				j_str("pci_bus_id", r->gpus[g].bdf);
				j_u64("engine", e);
				j_str("class", r->gpus[g].engine_class[e]);
				j_dbl("held_pct", T > 0 ? 100 * h / T : 0);
				j_u64("slices", n);
				j_arr("clients");
			} else {
				printf("  %s engine %u %-8s held %5.1f%%, %u slices\n",
				       r->gpus[g].bdf, e,
				       r->gpus[g].engine_class[e],
				       T > 0 ? 100 * h / T : 0, n);
			}
			for (c = 0; c < r->nclients; c++) {
				if (r->clients[c].gpu != g)
					continue;
				h = held(r, lane, c, &n);
				if (!n)
					continue;
				if (opt_json) {
					j_obj(NULL);
					j_u64("ctx", r->clients[c].ctx);
					j_str("label", r->clients[c].label);
					j_dbl("held_pct", 100 * h / T);
					j_u64("slices", n);
					j_end_obj();
				} else {
					printf("    %-40s %5.1f%%  %u slices\n",
					       r->clients[c].label, 100 * h / T,
					       n);
				}
			}
			if (opt_json) {
				j_end_arr();
				j_end_obj();
			}
		}
	}
	if (opt_json) {
		j_end_arr();
		j_end_obj();
		j_done();
	}
}

int cmd_timeline(int argc, char **argv)
{
	static const char args[] = "[-o FILE.svg] [--seconds N] [--parent BDF]";
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "seconds", required_argument, NULL, 's' },
		{ "parent", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction sa = { .sa_handler = rec_signal };
	const char *out = "timeline.svg", *parent = NULL, *root;
	char inst[256], p[512], policy[32] = "-", slice[32] = "-";
	char *line = NULL;
	double seconds = 2;
	uint64_t end_ns;
	struct rec *r;
	size_t cap = 0;
	int c, i, n, ret = 0, g;
	FILE *f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:s:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 's':
			seconds = atof(optarg);
			if (seconds < 0.01 || seconds > 600)
				return fail("--seconds %s: 0.01..600", optarg);
			break;
		case 'p':
			parent = optarg;
			break;
		default:
			fprintf(stderr, "Usage: tessera timeline %s\n", args);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "Usage: tessera timeline %s\n", args);
		return 2;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return fail("out of memory");
	n = tsr_gpu_list(r->gpus, TSR_MAX_GPUS);
	for (i = 0; i < n; i++)
		if (!parent || !strcmp(parent, r->gpus[i].bdf) ||
		    !strcmp(parent, r->gpus[i].bdf + 5))
			r->gpus[r->ngpu++] = r->gpus[i];
	if (!r->ngpu) {
		free(r);
		return parent ? fail("no GPU %s bound to tessera", parent) :
		       fail("no GPU bound to tessera (is tessera.ko loaded?)");
	}
	tsr_sched_read(&r->gpus[0], "policy", policy, sizeof(policy));
	tsr_sched_read(&r->gpus[0], "timeslice_us", slice, sizeof(slice));
	root = tracefs_root();
	snprintf(p, sizeof(p), "%s/events/tessera/tessera_switch_in", root ? root : "");
	if (!root || access(p, F_OK)) {
		free(r);
		return fail("%s",
			"no tracefs with the tessera tracepoints (need root, CONFIG_TRACING and tessera.ko)");
	}
	snprintf(inst, sizeof(inst), "%s/instances/tessera-timeline-%d", root,
		 getpid());
	if (mkdir(inst, 0700)) {
		ret = fail("creating trace instance %s: %s", inst,
			   strerror(errno));
		free(r);
		return ret;
	}
	for (i = 0; i < MAX_LANES; i++)
		r->open_ctx[i] = -1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	tf_write(inst, "buffer_size_kb", "8192");
	/*
	 * No command-name recording: enabling it hooks sched_switch, i.e.
	 * live-patches __schedule(), for nothing the picture uses (lanes are
	 * named by context and vGPU). Under QEMU's multi-threaded TCG a CPU
	 * then ran a stale int3 of that patch ("Oops: int3" in __schedule).
	 */
	tf_write(inst, "options/record-cmd", "0");
	events_enable(inst, "1");
	tf_write(inst, "tracing_on", "1");
	tf_write(inst, "trace_marker", "tessera-timeline start");
	holders_at_start(r);
	/* vGPUs that exist while recording: their names in the legend. */
	n = tsr_vgpu_list(NULL, r->vgpus, TSR_MAX_VGPUS);
	r->nvgpu = n < 0 ? 0 : n;
	/* Until the deadline (sleeps overshoot on a loaded machine). */
	end_ns = tsr_now_ns() + (uint64_t)(seconds * 1e9);
	while (!rec_stop && tsr_now_ns() < end_ns) {
		uint64_t left = end_ns - tsr_now_ns();
		struct timespec ts = { 0, left < 50000000 ? (long)left : 50000000 };

		nanosleep(&ts, NULL);
	}
	tf_write(inst, "trace_marker", "tessera-timeline end");
	tf_write(inst, "tracing_on", "0");
	events_enable(inst, "0");
	r->lost = lost_events(inst);
	snprintf(p, sizeof(p), "%s/trace", inst);
	f = fopen(p, "r");
	if (f) {
		while (getline(&line, &cap, f) > 0)
			parse_line(r, line);
		fclose(f);
	}
	free(line);
	if (rmdir(inst))
		fprintf(stderr, "tessera: removing %s: %s\n", inst,
			strerror(errno));
	if (!r->t0 || r->t1 <= r->t0) {
		free(r->spans);
		free(r);
		return fail("the trace has no start/end markers (trace_marker not writable?)");
	}
	for (i = 0; i < MAX_LANES; i++)
		if (r->open_ctx[i] >= 0)
			add_span(r, i, r->open_ctx[i],
				 r->open_t[i] < 0 ? r->t0 : r->open_t[i], r->t1);
	qsort(r->spans, r->nspans, sizeof(*r->spans), cmp_span);
	/* Clients in context order, so that colours are stable. */
	for (g = 0; g < r->ngpu; g++)
		for (i = 0; i < (int)r->nspans; i++)
			if (r->spans[i].lane / TESSERA_MAX_ENGINES == g)
				client_idx(r, g, r->spans[i].ctx);
	ret = write_svg(r, out, policy, slice);
	if (ret)
		ret = fail("%s: %s", out, strerror(-ret));
	else
		report(r, out);
	free(r->spans);
	free(r);
	return ret;
}
