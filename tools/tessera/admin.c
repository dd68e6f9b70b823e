// SPDX-License-Identifier: GPL-2.0
/*
 * The administrator's subcommands of tessera, over sysfs:
 *   status   per GPU: engines (utilisation over an interval), VRAM, GART,
 *            contexts; per vGPU: UUID, type, state, engine share, VRAM,
 *            faults, resets. --json, --prometheus (node_exporter textfile)
 *   types    the vGPU types of each GPU and how many more fit
 *   create   a vGPU of a type, with a reason when it does not fit
 *   remove   a vGPU
 *   sched    show or set the scheduler's knobs (policy, slice, weights)
 *   top      status as a refreshing plain-ANSI view with bars
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define MIB (1024.0 * 1024.0)

/* One measurement: every GPU (of @parent) and vGPU, sampled twice. */
struct view {
	int ngpu, nvgpu;
	struct tsr_gpu g0[TSR_MAX_GPUS], g1[TSR_MAX_GPUS];
	struct tsr_vgpu v0[TSR_MAX_VGPUS], v1[TSR_MAX_VGPUS];
	int alive[TSR_MAX_VGPUS];	/* still there at the second sample */
	double interval;
};

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int no_gpu(const char *parent)
{
	if (parent)
		return fail("no GPU %s bound to tessera (%s)", parent,
			    TSR_SYSFS_PCI_DRV);
	return fail("no GPU bound to tessera (is tessera.ko loaded? %s is empty)",
		    TSR_SYSFS_PCI_DRV);
}

static int view_take(struct view *w, const char *parent, double interval)
{
	int i, n;

	memset(w, 0, sizeof(*w));
	n = tsr_gpu_list(w->g0, TSR_MAX_GPUS);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if (!parent || !strcmp(parent, w->g0[i].bdf) ||
		    !strcmp(parent, w->g0[i].bdf + 5))
			w->g0[w->ngpu++] = w->g0[i];
	if (!w->ngpu)
		return -ENODEV;
	n = tsr_vgpu_list(NULL, w->v0, TSR_MAX_VGPUS);
	w->nvgpu = n < 0 ? 0 : n;
	w->interval = interval;
	sleep_s(interval);
	for (i = 0; i < w->ngpu; i++) {
		w->g1[i] = w->g0[i];
		tsr_gpu_sample(&w->g1[i]);
	}
	for (i = 0; i < w->nvgpu; i++) {
		w->v1[i] = w->v0[i];
		w->alive[i] = !tsr_vgpu_sample(&w->v1[i]);
	}
	return 0;
}

static double eng_util(const struct view *w, int g, unsigned int e)
{
	return pct(w->g1[g].busy_ns[e] - w->g0[g].busy_ns[e],
		   w->g1[g].t_ns - w->g0[g].t_ns);
}

static double vgpu_share(const struct view *w, int i, unsigned int e)
{
	if (!w->alive[i])
		return 0;
	return pct(w->v1[i].runtime_ns[e] - w->v0[i].runtime_ns[e],
		   w->v1[i].t_ns - w->v0[i].t_ns);
}

static int vgpus_of(const struct view *w, int g)
{
	int i, n = 0;

	for (i = 0; i < w->nvgpu; i++)
		n += !strcmp(w->v0[i].parent, w->g0[g].bdf);
	return n;
}

static unsigned int ctx_free(const struct tsr_gpu *g)
{
	unsigned int usable = g->num_contexts ? g->num_contexts - 1 : 0;

	return g->contexts_in_use > usable ? 0 : usable - g->contexts_in_use;
}

/*
 * Adverse events (nvidia-smi's term): guest misbehaviour the host
 * contained: GART entries naming memory that is not the guest's, and
 * slices in which it went over the engine interrupt budget.
 */
static uint64_t adverse_events(const struct tsr_vgpu *v)
{
	return v->gart_errors + v->irq_storms;
}

static const char *short_type(const char *type)
{
	return strncmp(type, "tessera-", 8) ? type : type + 8;
}

/* ------------------------------------------------------------ status */

static void status_text(const struct view *w)
{
	char policy[32], slice[32];
	int g, i, nv;
	unsigned int e;

	for (g = 0; g < w->ngpu; g++) {
		const struct tsr_gpu *p = &w->g1[g];

		if (tsr_sched_read(p, "policy", policy, sizeof(policy)))
			snprintf(policy, sizeof(policy), "-");
		if (tsr_sched_read(p, "timeslice_us", slice, sizeof(slice)))
			snprintf(slice, sizeof(slice), "-");
		nv = vgpus_of(w, g);
		printf("%sGPU %s  %s  %s, hw %s  scheduler %s, slice %s us\n",
		       g ? "\n" : "", p->bdf, p->name, p->mode, p->hw_version,
		       policy, slice);
		printf("  %-7s %-8s %6s   (over %.1f s)\n", "ENGINE", "CLASS",
		       "UTIL%", w->interval);
		for (e = 0; e < p->num_engines; e++)
			printf("  %-7u %-8s %6.1f\n", e, p->engine_class[e],
			       eng_util(w, g, e));
		fprintf(stdout,
			"  %-9s used %7.1f MiB  free %7.1f MiB  of %7.1f MiB  (largest free block %.1f MiB)\n",
		       "VRAM", p->vram_used / MIB, p->vram_free / MIB,
		       p->vram_size / MIB, p->vram_largest_free / MIB);
		fprintf(stdout,
			"  %-9s used %7llu       free %7llu       of %7llu entries (largest free run %llu)\n",
		       "GART", (unsigned long long)p->gart_used,
		       (unsigned long long)(p->gart_entries - p->gart_used),
		       (unsigned long long)p->gart_entries,
		       (unsigned long long)p->gart_largest_free);
		printf("  %-9s %u of %u in use: %d vGPU%s, %d native\n",
		       "contexts", p->contexts_in_use,
		       p->num_contexts ? p->num_contexts - 1 : 0, nv,
		       nv == 1 ? "" : "s",
		       (int)p->contexts_in_use - nv > 0 ?
		       (int)p->contexts_in_use - nv : 0);
		if (!p->has_mdev)
			continue;
		printf("  vGPUs: %d\n", nv);
		if (!nv)
			continue;
		printf("  %-36s  %-5s %-6s %3s", "UUID", "TYPE", "STATE", "CTX");
		for (e = 0; e < p->num_engines; e++)
			printf("    E%u%%", e);
		printf(" %8s %6s %6s %7s\n", "VRAM", "FAULTS", "RESETS",
		       "ADVERSE");
		for (i = 0; i < w->nvgpu; i++) {
			const struct tsr_vgpu *v = &w->v1[i];

			if (strcmp(v->parent, p->bdf))
				continue;
			printf("  %-36s  %-5s %-6s %3u", v->uuid,
			       short_type(v->type), w->alive[i] ? v->state :
			       "gone", v->hw_context);
			for (e = 0; e < p->num_engines; e++)
				printf(" %6.1f", vgpu_share(w, i, e));
			printf(" %4.0f MiB %6llu %6llu %7llu\n",
			       v->vram_size / MIB,
			       (unsigned long long)v->faults,
			       (unsigned long long)v->resets,
			       (unsigned long long)adverse_events(v));
		}
	}
}

static void status_json(const struct view *w)
{
	char buf[64];
	int g, i;
	unsigned int e;

	j_obj(NULL);
	j_dbl("interval_s", w->interval);
	j_arr("gpus");
	for (g = 0; g < w->ngpu; g++) {
		const struct tsr_gpu *p = &w->g1[g];

		j_obj(NULL);
		j_str("pci_bus_id", p->bdf);
		j_str("name", p->name);
		j_int("index", p->index);
		j_str("mode", p->mode);
		j_str("hw_version", p->hw_version);
		j_arr("engines");
		for (e = 0; e < p->num_engines; e++) {
			j_obj(NULL);
			j_u64("index", e);
			j_str("class", p->engine_class[e]);
			j_dbl("utilization", eng_util(w, g, e));
			j_u64("busy_ns", p->busy_ns[e]);
			j_end_obj();
		}
		j_end_arr();
		j_obj("vram");
		j_u64("total", p->vram_size);
		j_u64("used", p->vram_used);
		j_u64("free", p->vram_free);
		j_u64("largest_free", p->vram_largest_free);
		j_end_obj();
		j_obj("gart");
		j_u64("entries", p->gart_entries);
		j_u64("used", p->gart_used);
		j_u64("free", p->gart_entries - p->gart_used);
		j_u64("largest_free", p->gart_largest_free);
		j_end_obj();
		j_obj("contexts");
		j_u64("usable", p->num_contexts ? p->num_contexts - 1 : 0);
		j_u64("in_use", p->contexts_in_use);
		j_u64("free", ctx_free(p));
		j_end_obj();
		j_obj("sched");
		if (!tsr_sched_read(p, "policy", buf, sizeof(buf)))
			j_str("policy", buf);
		if (!tsr_sched_read(p, "timeslice_us", buf, sizeof(buf)))
			j_u64("timeslice_us", strtoull(buf, NULL, 10));
		j_end_obj();
		j_arr("vgpus");
		for (i = 0; i < w->nvgpu; i++) {
			const struct tsr_vgpu *v = &w->v1[i];

			if (strcmp(v->parent, p->bdf))
				continue;
			j_obj(NULL);
			j_str("uuid", v->uuid);
			j_str("type", v->type);
			j_str("state", w->alive[i] ? v->state : "gone");
			j_u64("hw_context", v->hw_context);
			j_u64("weight", v->weight);
			j_arr("engine_share");
			for (e = 0; e < p->num_engines; e++)
				j_dbl(NULL, vgpu_share(w, i, e));
			j_end_arr();
			j_arr("runtime_ns");
			for (e = 0; e < p->num_engines; e++)
				j_u64(NULL, v->runtime_ns[e]);
			j_end_arr();
			j_u64("vram", v->vram_size);
			j_u64("gart_entries", v->gart_entries);
			j_u64("faults", v->faults);
			j_u64("resets", v->resets);
			j_u64("irqs", v->irqs);
			j_u64("csr_traps", v->csr_traps);
			j_u64("gart_errors", v->gart_errors);
			j_u64("irq_storms", v->irq_storms);
			j_u64("adverse_events", adverse_events(v));
			j_end_obj();
		}
		j_end_arr();
		j_end_obj();
	}
	j_end_arr();
	j_end_obj();
	j_done();
}

/*
 * node_exporter textfile-collector format, names in the DCGM exporter's
 * style (DCGM_FI_DEV_GPU_UTIL -> tessera_gpu_utilization, FB in MiB).
 */
static void prom_head(FILE *f, const char *name, const char *type,
		      const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void status_prometheus(const struct view *w, FILE *f)
{
	char lbl[TSR_MAX_GPUS][96];
	int g, i;
	unsigned int e;

	for (g = 0; g < w->ngpu; g++)
		snprintf(lbl[g], sizeof(lbl[g]), "gpu=\"%d\",pci_bus_id=\"%s\"",
			 w->g1[g].index, w->g1[g].bdf);
	prom_head(f, "tessera_gpu_utilization", "gauge",
		  "Engine utilisation over the sample interval (%).");
	for (g = 0; g < w->ngpu; g++)
		for (e = 0; e < w->g1[g].num_engines; e++)
			fprintf(f, "tessera_gpu_utilization{%s,engine=\"%u\",class=\"%s\"} %.2f\n",
				lbl[g], e, w->g1[g].engine_class[e],
				eng_util(w, g, e));
	prom_head(f, "tessera_engine_busy_seconds_total", "counter",
		  "Engine busy time since the GPU was reset (s).");
	for (g = 0; g < w->ngpu; g++)
		for (e = 0; e < w->g1[g].num_engines; e++)
			fprintf(f,
				"tessera_engine_busy_seconds_total{%s,engine=\"%u\",class=\"%s\"} %.6f\n",
				lbl[g], e, w->g1[g].engine_class[e],
				w->g1[g].busy_ns[e] / 1e9);
#define GPU_METRIC(name, help, expr) do {				\
		const char *n_ = (name);				\
		prom_head(f, n_, "gauge", help);			\
		for (g = 0; g < w->ngpu; g++) {				\
			const struct tsr_gpu *p = &w->g1[g];		\
									\
			(void)p;					\
			fprintf(f, "%s{%s} %.2f\n", n_, lbl[g],	\
				(double)(expr));			\
		}							\
	} while (0)
	GPU_METRIC("tessera_fb_total", "VRAM size (MiB).", p->vram_size / MIB);
	GPU_METRIC("tessera_fb_used", "VRAM in use (MiB).", p->vram_used / MIB);
	GPU_METRIC("tessera_fb_free", "VRAM free (MiB).", p->vram_free / MIB);
	GPU_METRIC("tessera_fb_largest_free", "Largest free VRAM block (MiB).",
		   p->vram_largest_free / MIB);
	GPU_METRIC("tessera_gart_used", "GART entries in use.", p->gart_used);
	GPU_METRIC("tessera_gart_free", "GART entries free.",
		   p->gart_entries - p->gart_used);
	GPU_METRIC("tessera_contexts_used", "Hardware contexts in use.",
		   p->contexts_in_use);
	GPU_METRIC("tessera_contexts_free", "Hardware contexts free.",
		   ctx_free(p));
	GPU_METRIC("tessera_vgpu_count", "vGPUs of the GPU.", vgpus_of(w, g));
#undef GPU_METRIC
	prom_head(f, "tessera_vgpu_info", "gauge",
		  "One per vGPU; its type and state are labels.");
	for (i = 0; i < w->nvgpu; i++)
		fprintf(f,
			"tessera_vgpu_info{pci_bus_id=\"%s\",vgpu=\"%s\",type=\"%s\",state=\"%s\",hw_context=\"%u\"} 1\n",
			w->v1[i].parent, w->v1[i].uuid, w->v1[i].type,
			w->alive[i] ? w->v1[i].state : "gone",
			w->v1[i].hw_context);
	prom_head(f, "tessera_vgpu_utilization", "gauge",
		  "The vGPU's share of an engine over the sample interval (%).");
	for (i = 0; i < w->nvgpu; i++)
		for (e = 0; e < w->v1[i].num_engines; e++)
			fprintf(f,
				"tessera_vgpu_utilization{pci_bus_id=\"%s\",vgpu=\"%s\",engine=\"%u\"} %.2f\n",
				w->v1[i].parent, w->v1[i].uuid, e,
				vgpu_share(w, i, e));
#define VGPU_METRIC(name, type, help, fmt, expr) do {			\
		const char *n_ = (name);				\
		prom_head(f, n_, type, help);				\
		for (i = 0; i < w->nvgpu; i++) {			\
			const struct tsr_vgpu *v = &w->v1[i];		\
									\
			fprintf(f, "%s{pci_bus_id=\"%s\",vgpu=\"%s\"} " fmt "\n", \
				n_, v->parent, v->uuid, expr);		\
		}							\
	} while (0)
	VGPU_METRIC("tessera_vgpu_fb_total", "gauge", "The vGPU's VRAM (MiB).",
		    "%.0f", v->vram_size / MIB);
	VGPU_METRIC("tessera_vgpu_faults_total", "counter",
		    "GPU faults of the vGPU.", "%llu",
		    (unsigned long long)v->faults);
	VGPU_METRIC("tessera_vgpu_resets_total", "counter",
		    "Resets of the vGPU (guest FLR or driver recovery).", "%llu",
		    (unsigned long long)v->resets);
	VGPU_METRIC("tessera_vgpu_adverse_events_total", "counter",
		    "Guest misbehaviour the host contained (GART entries naming memory not the guest's, slices over the interrupt budget).",
		    "%llu", (unsigned long long)adverse_events(v));
	VGPU_METRIC("tessera_vgpu_irqs_total", "counter",
		    "Interrupts delivered to the vGPU.", "%llu",
		    (unsigned long long)v->irqs);
#undef VGPU_METRIC
}

static const struct option parent_opts[] = {
	{ "parent", required_argument, NULL, 'p' },
	{ "interval", required_argument, NULL, 'i' },
	{ "prometheus", no_argument, NULL, 'P' },
	{ "output", required_argument, NULL, 'o' },
	{ "uuid", required_argument, NULL, 'u' },
	{ "force", no_argument, NULL, 'f' },
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int bad_usage(const char *cmd, const char *args)
{
	fprintf(stderr, "Usage: tessera %s %s\n", cmd, args);
	return 2;
}

int cmd_status(int argc, char **argv)
{
	static const char args[] =
		"[--json] [-i SECS] [--parent BDF] [--prometheus [-o FILE]]";
	const char *parent = NULL, *out = NULL;
	double interval = 0.5;
	int c, prom = 0, ret;
	struct view *w;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:i:Po:h", parent_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			parent = optarg;
			break;
		case 'i':
			interval = atof(optarg);
			if (interval < 0.01 || interval > 3600)
				return fail("interval %s: 0.01..3600 seconds",
					    optarg);
			break;
		case 'P':
			prom = 1;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return bad_usage(argv[0], args);
		}
	}
	if (optind != argc)
		return bad_usage(argv[0], args);
	w = malloc(sizeof(*w));
	if (!w)
		return fail("out of memory");
	ret = view_take(w, parent, interval);
	if (ret == -ENODEV) {
		free(w);
		return no_gpu(parent);
	}
	if (ret) {
		free(w);
		return fail("reading %s: %s", TSR_SYSFS_PCI_DRV, strerror(-ret));
	}
	if (prom && out) {
		/* textfile collector: write a temporary file, rename it. */
		char tmp[4096];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.%d.tmp", out, getpid());
		f = fopen(tmp, "w");
		if (!f) {
			ret = fail("%s: %s", tmp, strerror(errno));
		} else {
			status_prometheus(w, f);
			if (fclose(f) || rename(tmp, out)) {
				ret = fail("%s: %s", out, strerror(errno));
				unlink(tmp);
			}
		}
	} else if (prom) {
		status_prometheus(w, stdout);
	} else if (opt_json) {
		status_json(w);
	} else {
		status_text(w);
	}
	free(w);
	return ret;
}

/* ------------------------------------------------------------- types */

int cmd_types(int argc, char **argv)
{
	struct tsr_vgpu_type t[32];
	struct tsr_gpu *gpus;
	const char *parent = NULL;
	int c, n, g, i, k, shown = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:h", parent_opts, NULL)) != -1) {
		if (c != 'p')
			return bad_usage(argv[0], "[--json] [--parent BDF]");
		parent = optarg;
	}
	gpus = calloc(TSR_MAX_GPUS, sizeof(*gpus));
	if (!gpus)
		return fail("out of memory");
	n = tsr_gpu_list(gpus, TSR_MAX_GPUS);
	if (opt_json) {
		j_obj(NULL);
		j_arr("gpus");
	}
	for (g = 0; g < n; g++) {
		if (!gpus[g].has_mdev || (parent && strcmp(parent, gpus[g].bdf) &&
					  strcmp(parent, gpus[g].bdf + 5)))
			continue;
		shown++;
		k = tsr_type_list(&gpus[g], t, 32);
		if (opt_json) {
			j_obj(NULL);
			j_str("pci_bus_id", gpus[g].bdf);
			j_arr("types");
			for (i = 0; i < k; i++) {
				j_obj(NULL);
				j_str("type", t[i].id);
				j_str("name", t[i].name);
				j_str("description", t[i].description);
				j_u64("available_instances", t[i].available);
				j_u64("vram_mb", t[i].vram_mb);
				j_u64("gart_entries", t[i].gart_entries);
				j_u64("weight", t[i].weight);
				j_end_obj();
			}
			j_end_arr();
			j_end_obj();
			continue;
		}
		printf("%sGPU %s  %s  (%u of %u contexts free, %.0f MiB VRAM free)\n",
		       shown > 1 ? "\n" : "", gpus[g].bdf, gpus[g].name,
		       ctx_free(&gpus[g]),
		       gpus[g].num_contexts ? gpus[g].num_contexts - 1 : 0,
		       gpus[g].vram_free / MIB);
		printf("  %-14s %-20s %9s %8s %8s %7s\n", "TYPE", "NAME",
		       "AVAILABLE", "VRAM", "GART", "WEIGHT");
		for (i = 0; i < k; i++)
			printf("  %-14s %-20s %9u %4u MiB %8u %7u\n", t[i].id,
			       t[i].name, t[i].available, t[i].vram_mb,
			       t[i].gart_entries, t[i].weight);
	}
	if (opt_json) {
		j_end_arr();
		j_end_obj();
		j_done();
	}
	free(gpus);
	if (!shown)
		return parent ? fail("%s is not a Tessera GPU offering vGPUs",
				     parent) :
		       fail("no Tessera GPU offers vGPUs%s",
			    " (tessera-vgpu.ko not loaded, or no physical GPU bound)");
	return 0;
}

/* ------------------------------------------------------ create/remove */

/* Say why @t does not fit on @g (after the create failed with ENOSPC). */
static int no_room(const struct tsr_gpu *g, const struct tsr_vgpu_type *t)
{
	uint64_t need = (uint64_t)t->vram_mb << 20;
	char why[512];
	int len, nv;
	struct tsr_vgpu *v;

	tsr_gpu_sample((struct tsr_gpu *)g);
	len = snprintf(why, sizeof(why), "%u of %u contexts free", ctx_free(g),
		       g->num_contexts ? g->num_contexts - 1 : 0);
	if (g->vram_free < need)
		len += snprintf(why + len, sizeof(why) - len,
				", VRAM full (%.0f MiB needed, %.0f MiB free)",
				need / MIB, g->vram_free / MIB);
	else if (g->vram_largest_free < need)
		len += snprintf(why + len, sizeof(why) - len,
				", VRAM fragmented (%.0f MiB needed in one block; %.0f MiB free, largest block %.0f MiB)",
				need / MIB, g->vram_free / MIB,
				g->vram_largest_free / MIB);
	if (t->gart_entries && g->gart_largest_free < t->gart_entries)
		len += snprintf(why + len, sizeof(why) - len,
				", GART %s (%u entries needed, largest free run %llu)",
				g->gart_entries - g->gart_used >= t->gart_entries ?
				"fragmented" : "full", t->gart_entries,
				(unsigned long long)g->gart_largest_free);
	v = calloc(TSR_MAX_VGPUS, sizeof(*v));
	nv = v ? tsr_vgpu_list(g->bdf, v, TSR_MAX_VGPUS) : 0;
	free(v);
	if (nv >= 63)
		snprintf(why + len, sizeof(why) - len,
			 ", the limit of 63 vGPUs per GPU is reached");
	return fail("no room left for type %s on %s: %s", t->id, g->bdf, why);
}

int cmd_create(int argc, char **argv)
{
	static const char args[] = "TYPE [--uuid U] [--parent BDF]";
	const char *parent = NULL, *uuid = NULL, *type;
	struct tsr_vgpu_type t, all[32];
	char gen[64], list[256] = "";
	struct tsr_gpu g;
	int c, ret, i, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:u:h", parent_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			parent = optarg;
			break;
		case 'u':
			uuid = optarg;
			break;
		default:
			return bad_usage(argv[0], args);
		}
	}
	if (optind != argc - 1)
		return bad_usage(argv[0], args);
	type = argv[optind];
	ret = tsr_gpu_find(parent, &g);
	if (ret || !g.has_mdev)
		return parent ? fail("%s is not a Tessera GPU offering vGPUs",
				     parent) :
		       fail("no Tessera GPU offers vGPUs (is tessera-vgpu.ko loaded?)");
	if (tsr_type_get(&g, type, &t)) {
		n = tsr_type_list(&g, all, 32);
		for (i = 0; i < n; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", i ? ", " : "", short_type(all[i].id));
		return fail("no vGPU type '%s' on %s (types: %s)", type, g.bdf,
			    list);
	}
	if (!uuid) {
		if (tsr_uuid_gen(gen, sizeof(gen)))
			return fail("cannot generate a UUID; give one with --uuid");
		uuid = gen;
	}
	if (!access(TSR_SYSFS_MDEV, F_OK)) {
		char p[512];

		snprintf(p, sizeof(p), "%s/%s", TSR_SYSFS_MDEV, uuid);
		if (!access(p, F_OK))
			return fail("a vGPU (mdev) %s already exists", uuid);
	}
	if (!t.available)
		return no_room(&g, &t);
	ret = tsr_vgpu_create(&g, t.id, uuid);
	if (ret == -ENOSPC)
		return no_room(&g, &t);
	if (ret == -EINVAL)
		return fail("'%s' is not a valid UUID", uuid);
	if (ret == -EEXIST)
		return fail("a vGPU (mdev) %s already exists", uuid);
	if (ret == -EACCES || ret == -EPERM)
		return fail("creating a vGPU needs root (%s)", strerror(-ret));
	if (ret)
		return fail("creating a %s vGPU on %s: %s (see dmesg)", t.id,
			    g.bdf, strerror(-ret));
	if (opt_json) {
		j_obj(NULL);
		j_str("uuid", uuid);
		j_str("type", t.id);
		j_str("pci_bus_id", g.bdf);
		j_end_obj();
		j_done();
	} else {
		printf("%s\n", uuid);
	}
	return 0;
}

int cmd_remove(int argc, char **argv)
{
	struct tsr_vgpu v;
	int c, force = 0, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "fh", parent_opts, NULL)) != -1) {
		if (c != 'f')
			return bad_usage(argv[0], "[--force] UUID");
		force = 1;
	}
	if (optind != argc - 1)
		return bad_usage(argv[0], "[--force] UUID");
	ret = tsr_vgpu_find(argv[optind], &v);
	if (ret == -ENOENT)
		return fail("no vGPU %s (see tessera status)", argv[optind]);
	if (ret)
		return fail("%s is not a Tessera vGPU", argv[optind]);
	if (!strcmp(v.state, "open") && !force)
		return fail("vGPU %s is open%s", v.uuid,
			    " (a VM or a VFIO program uses it); stop that user first, or --force to ask it to release the device and wait");
	ret = tsr_vgpu_remove(v.uuid);
	if (ret)
		return fail("removing vGPU %s: %s", v.uuid, strerror(-ret));
	return 0;
}

/* ------------------------------------------------------------- sched */

static const char *ctx_owner(const struct tsr_vgpu *v, int nv,
			     unsigned int ctx, char *buf, size_t len)
{
	int i;

	for (i = 0; i < nv; i++)
		if (v[i].hw_context == ctx) {
			snprintf(buf, len, "vGPU %s (%s)", v[i].uuid,
				 short_type(v[i].type));
			return buf;
		}
	snprintf(buf, len, "native client");
	return buf;
}

static int sched_show(const char *parent)
{
	static const char *const knobs[] = {
		"policy", "policies", "timeslice_us", "preempt_timeout_us",
		"hang_slices", "irq_budget"
	};
	char val[4096], own[128], *line, *save;
	struct tsr_gpu *gpus;
	struct tsr_vgpu *v;
	int n, g, nv, shown = 0;
	unsigned int k, ctx, weight;

	gpus = calloc(TSR_MAX_GPUS, sizeof(*gpus));
	v = calloc(TSR_MAX_VGPUS, sizeof(*v));
	if (!gpus || !v)
		return fail("out of memory");
	n = tsr_gpu_list(gpus, TSR_MAX_GPUS);
	if (opt_json) {
		j_obj(NULL);
		j_arr("gpus");
	}
	for (g = 0; g < n; g++) {
		if (parent && strcmp(parent, gpus[g].bdf) &&
		    strcmp(parent, gpus[g].bdf + 5))
			continue;
		if (tsr_sched_read(&gpus[g], "policy", val, sizeof(val)))
			continue;
		shown++;
		nv = tsr_vgpu_list(gpus[g].bdf, v, TSR_MAX_VGPUS);
		if (opt_json) {
			j_obj(NULL);
			j_str("pci_bus_id", gpus[g].bdf);
		} else {
			printf("%sGPU %s  %s\n", shown > 1 ? "\n" : "",
			       gpus[g].bdf, gpus[g].name);
		}
		for (k = 0; k < ARRAY_SIZE(knobs); k++) {
			if (tsr_sched_read(&gpus[g], knobs[k], val, sizeof(val)))
				continue;
			if (opt_json && k >= 2)	/* the numbers */
				j_u64(knobs[k], strtoull(val, NULL, 10));
			else if (opt_json)
				j_str(knobs[k], val);
			else
				printf("  %-19s %s\n", knobs[k], val);
		}
		if (tsr_sched_read(&gpus[g], "weights", val, sizeof(val)))
			val[0] = '\0';
		if (opt_json)
			j_arr("clients");
		else
			printf("  clients (%s):\n    %4s %7s  %s\n",
			       "sched/weights", "CTX", "WEIGHT", "OWNER");
		for (line = strtok_r(val, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (sscanf(line, "%u %u", &ctx, &weight) != 2)
				continue;
			ctx_owner(v, nv, ctx, own, sizeof(own));
			if (opt_json) {
				j_obj(NULL);
				j_u64("ctx", ctx);
				j_u64("weight", weight);
				j_str("owner", own);
				j_end_obj();
			} else {
				printf("    %4u %7u  %s\n", ctx, weight, own);
			}
		}
		if (opt_json) {
			j_end_arr();
			j_end_obj();
		}
	}
	if (opt_json) {
		j_end_arr();
		j_end_obj();
		j_done();
	}
	free(gpus);
	free(v);
	if (!shown)
		return no_gpu(parent);
	return 0;
}

static const struct {
	const char *name, *knob, *range;
} sched_knobs[] = {
	{ "policy", "policy", NULL },
	{ "slice", "timeslice_us", "100..1000000 us" },
	{ "timeslice", "timeslice_us", "100..1000000 us" },
	{ "preempt-timeout", "preempt_timeout_us", "100..10000000 us" },
	{ "hang-slices", "hang_slices", "2..1000000" },
	{ "irq-budget", "irq_budget", "0..65536 (0: no limit)" },
};

static int sched_set(const char *parent, int argc, char **argv)
{
	char val[256], policies[128];
	struct tsr_gpu g;
	struct tsr_vgpu v;
	unsigned int k;
	int ret;

	if (argc < 2)
		return bad_usage("sched set",
				 "policy NAME | slice US | preempt-timeout US | hang-slices N | weight UUID|CTX W");
	if (tsr_gpu_find(parent, &g))
		return no_gpu(parent);
	if (!strcmp(argv[0], "weight")) {
		char *end;
		unsigned long ctx;

		if (argc != 3)
			return bad_usage("sched set", "weight UUID|CTX WEIGHT");
		ctx = strtoul(argv[1], &end, 10);
		if (*end || end == argv[1]) {
			if (tsr_vgpu_find(argv[1], &v))
				return fail("no vGPU %s", argv[1]);
			ctx = v.hw_context;
			if (tsr_gpu_find(v.parent, &g))
				return no_gpu(v.parent);
		}
		snprintf(val, sizeof(val), "%lu %s", ctx, argv[2]);
		ret = tsr_sched_write(&g, "weights", val);
		if (ret == -ENOENT)
			return fail("no client with context %lu on %s", ctx,
				    g.bdf);
		if (ret == -EINVAL)
			return fail("weight '%s' refused: 1..100000", argv[2]);
		if (ret)
			return fail("setting the weight: %s", strerror(-ret));
		return 0;
	}
	for (k = 0; k < ARRAY_SIZE(sched_knobs); k++)
		if (!strcmp(argv[0], sched_knobs[k].name))
			break;
	if (k == ARRAY_SIZE(sched_knobs) || argc != 2)
		return fail("sched set: unknown knob '%s'%s", argv[0],
			    " (policy, slice, preempt-timeout, hang-slices, weight)");
	ret = tsr_sched_write(&g, sched_knobs[k].knob, argv[1]);
	if (ret == -EINVAL && !sched_knobs[k].range) {
		if (tsr_sched_read(&g, "policies", policies, sizeof(policies)))
			policies[0] = '\0';
		return fail("unknown policy '%s' (%s)", argv[1], policies);
	}
	if (ret == -EINVAL || ret == -ERANGE)
		return fail("%s '%s' refused: %s", argv[0], argv[1],
			    sched_knobs[k].range);
	if (ret)
		return fail("setting %s: %s", sched_knobs[k].knob,
			    strerror(-ret));
	return 0;
}

int cmd_sched(int argc, char **argv)
{
	const char *parent = NULL;
	int c;

	optind = 1;
	/* "+": stop at the first non-option (the action and its values). */
	while ((c = getopt_long(argc, argv, "+p:h", parent_opts, NULL)) != -1) {
		if (c != 'p')
			return bad_usage(argv[0], "[--parent BDF] [show | set KNOB VALUE...]");
		parent = optarg;
	}
	if (optind == argc || !strcmp(argv[optind], "show"))
		return sched_show(parent);
	if (!strcmp(argv[optind], "set"))
		return sched_set(parent, argc - optind - 1, argv + optind + 1);
	return bad_usage(argv[0], "[--parent BDF] [show | set KNOB VALUE...]");
}

/* --------------------------------------------------------------- top */

static volatile sig_atomic_t top_stop;

static void top_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

static void bar(double p, int width)
{
	int i, n = (int)(p * width / 100 + 0.5);

	putchar('[');
	for (i = 0; i < width; i++)
		fputs(i < n ? "\033[32m#\033[0m" : ".", stdout);
	putchar(']');
}

static void top_frame(const struct view *w, int frame)
{
	char tbuf[32], policy[32];
	time_t now = time(NULL);
	int g, i;
	unsigned int e;

	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&now));
	/* Home, clear: plain ANSI. */
	printf("\033[H\033[2J\033[1mtessera top\033[0m - %s  frame %d, every %.1f s  (^C quits)\n",
	       tbuf, frame, w->interval);
	for (g = 0; g < w->ngpu; g++) {
		const struct tsr_gpu *p = &w->g1[g];

		if (tsr_sched_read(p, "policy", policy, sizeof(policy)))
			snprintf(policy, sizeof(policy), "-");
		fprintf(stdout,
			"\n\033[1mGPU %s %s\033[0m  %s  VRAM %.0f/%.0f MiB  GART %llu/%llu  contexts %u/%u\n",
		       p->bdf, p->name, policy, p->vram_used / MIB,
		       p->vram_size / MIB, (unsigned long long)p->gart_used,
		       (unsigned long long)p->gart_entries, p->contexts_in_use,
		       p->num_contexts ? p->num_contexts - 1 : 0);
		for (e = 0; e < p->num_engines; e++) {
			double u = eng_util(w, g, e);

			printf("  engine %u %-8s ", e, p->engine_class[e]);
			bar(u, 40);
			printf(" %5.1f%%\n", u);
		}
		for (i = 0; i < w->nvgpu; i++) {
			const struct tsr_vgpu *v = &w->v1[i];
			double s, top = 0;
			unsigned int best = 0;

			if (strcmp(v->parent, p->bdf))
				continue;
			for (e = 0; e < p->num_engines; e++) {
				s = vgpu_share(w, i, e);
				if (s > top) {
					top = s;
					best = e;
				}
			}
			printf("  vGPU %.8s %-5s %-6s ", v->uuid,
			       short_type(v->type), w->alive[i] ? v->state :
			       "gone");
			bar(top, 40);
			printf(" %5.1f%% e%u  faults %llu resets %llu\n", top,
			       best, (unsigned long long)v->faults,
			       (unsigned long long)v->resets);
		}
	}
	fflush(stdout);
}

int cmd_top(int argc, char **argv)
{
	static const char args[] = "[-n ITERATIONS] [-d SECS] [--parent BDF]";
	struct sigaction sa = { .sa_handler = top_signal };
	const char *parent = NULL;
	double delay = 1.0;
	int c, n = 0, frame, ret = 0;
	struct view *w;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:d:p:h", parent_opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = atoi(optarg);
			if (n < 1)
				return fail("-n %s: at least 1", optarg);
			break;
		case 'd':
			delay = atof(optarg);
			if (delay < 0.05 || delay > 3600)
				return fail("-d %s: 0.05..3600 seconds", optarg);
			break;
		case 'p':
			parent = optarg;
			break;
		default:
			return bad_usage(argv[0], args);
		}
	}
	if (optind != argc)
		return bad_usage(argv[0], args);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	w = malloc(sizeof(*w));
	if (!w)
		return fail("out of memory");
	for (frame = 1; !top_stop && (!n || frame <= n); frame++) {
		ret = view_take(w, parent, delay);
		if (ret == -ENODEV) {
			ret = no_gpu(parent);
			break;
		}
		if (ret) {
			ret = fail("reading sysfs: %s", strerror(-ret));
			break;
		}
		top_frame(w, frame);
	}
	free(w);
	printf("\n");
	return ret;
}
