// SPDX-License-Identifier: GPL-2.0
/*
 * tessera: the administrator's tool for Tessera GPUs and vGPUs, and a
 * client of the native interface. See usage() and
 * Documentation/admin-guide/vgpu.rst ("The tessera tool").
 *
 * Administration (sysfs, tracefs; admin.c, timeline.c):
 *   tessera status | types | create | remove | sched | top | timeline
 * Native interface (/dev/tesseraN):
 *   tessera [-d /dev/tesseraN] info
 *   tessera [-d DEV] alloc SIZE          allocate, map, write, read back
 *   tessera [-d DEV] run-demo            run every command type and check
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tool.h"

int opt_json;

int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("tessera: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

double pct(uint64_t d, uint64_t dt)
{
	double v = dt ? 100.0 * (double)d / (double)dt : 0;

	return v < 0 ? 0 : v > 100 ? 100 : v;
}

/* ------------------------------------------------------- JSON writer */

#define J_DEPTH 16
static int j_depth, j_first[J_DEPTH] = { 1 };

static void j_esc(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void j_key(const char *key)
{
	if (!j_first[j_depth])
		putchar(',');
	j_first[j_depth] = 0;
	if (key) {
		j_esc(key);
		putchar(':');
	}
}

static void j_open(const char *key, char c)
{
	j_key(key);
	putchar(c);
	if (j_depth < J_DEPTH - 1)
		j_first[++j_depth] = 1;
}

void j_obj(const char *key)
{
	j_open(key, '{');
}

void j_arr(const char *key)
{
	j_open(key, '[');
}

void j_end_obj(void)
{
	putchar('}');
	if (j_depth)
		j_depth--;
}

void j_end_arr(void)
{
	putchar(']');
	if (j_depth)
		j_depth--;
}

void j_str(const char *key, const char *val)
{
	j_key(key);
	j_esc(val);
}

void j_u64(const char *key, uint64_t val)
{
	j_key(key);
	printf("%llu", (unsigned long long)val);
}

void j_int(const char *key, long long val)
{
	j_key(key);
	printf("%lld", val);
}

void j_dbl(const char *key, double val)
{
	j_key(key);
	if (isfinite(val))
		printf("%.2f", val);
	else
		fputs("null", stdout);
}

void j_null(const char *key)
{
	j_key(key);
	fputs("null", stdout);
}

void j_done(void)
{
	putchar('\n');
	j_depth = 0;
	j_first[0] = 1;
}

/* ------------------------------------------------- native interface */

static int info(struct tsr_dev *d)
{
	const struct tessera_info *i = &d->info;
	unsigned int e;

	if (opt_json) {
		j_obj(NULL);
		j_u64("uapi_version", i->uapi_version);
		j_u64("hw_version", i->hw_version);
		j_u64("hw_caps", i->hw_caps);
		j_str("mode", i->flags & TESSERA_INFO_VIRTUAL ? "virtual" :
		      "physical");
		j_arr("engines");
		for (e = 0; e < i->num_engines; e++)
			j_str(NULL, i->engine_class[e] ==
			      TESSERA_ENG_CLASS_COMPUTE ? "compute" : "copy");
		j_end_arr();
		j_u64("contexts", i->num_contexts);
		j_u64("ctx_id", i->ctx_id);
		j_u64("vram_size", i->vram_size);
		j_u64("vram_window", i->vram_window);
		j_u64("vram_free", i->vram_free);
		j_u64("gart_entries", i->gart_entries);
		j_u64("gart_window", i->gart_window);
		j_u64("gart_va", i->gart_va);
		j_u64("ring_size", i->ring_size);
		j_u64("max_submit", i->max_submit);
		j_end_obj();
		j_done();
		return 0;
	}

	printf("uapi version     %u\n", i->uapi_version);
	printf("hardware         %u.%u, caps 0x%08x%s\n", i->hw_version >> 16,
	       i->hw_version & 0xffff, i->hw_caps,
	       i->flags & TESSERA_INFO_VIRTUAL ? " (virtual GPU)" : "");
	printf("engines          %u (%u compute)\n", i->num_engines,
	       i->num_compute);
	for (e = 0; e < i->num_engines; e++)
		printf("  engine %u       %s\n", e,
		       i->engine_class[e] == TESSERA_ENG_CLASS_COMPUTE ?
		       "compute" : "copy");
	printf("contexts         %u (this file: %u)\n", i->num_contexts,
	       i->ctx_id);
	printf("vram             %llu MiB\n",
	       (unsigned long long)i->vram_size >> 20);
	printf("vram window      %llu KiB (%llu KiB free)\n",
	       (unsigned long long)i->vram_window >> 10,
	       (unsigned long long)i->vram_free >> 10);
	printf("gart             %u entries; window %llu KiB at 0x%llx\n",
	       i->gart_entries, (unsigned long long)i->gart_window >> 10,
	       (unsigned long long)i->gart_va);
	printf("ring size        %u bytes (max submit %u)\n", i->ring_size,
	       i->max_submit);
	return 0;
}

static int alloc(struct tsr_dev *d, const char *arg)
{
	uint64_t size = strtoull(arg, NULL, 0), i;
	struct tsr_bo bo;
	int ret;

	ret = tsr_bo_alloc(d, size, &bo);
	if (ret) {
		fprintf(stderr, "%s: %s\n", __func__, strerror(-ret));
		return 1;
	}
	printf("handle %u gpu_va 0x%llx size %llu\n", bo.handle,
	       (unsigned long long)bo.gpu_va, (unsigned long long)bo.size);
	ret = tsr_bo_map(d, &bo);
	if (ret) {
		fprintf(stderr, "mmap: %s\n", strerror(-ret));
		return 1;
	}
	for (i = 0; i < bo.size / 4; i++)
		if (((volatile uint32_t *)bo.map)[i]) {
			fprintf(stderr, "buffer not zeroed at %llu\n",
				(unsigned long long)i * 4);
			return 1;
		}
	memset(bo.map, 0x5a, bo.size);
	printf("mapped, zeroed, written: ok\n");
	return tsr_bo_free(d, &bo) ? 1 : 0;
}

/* Report a failed run-demo step; returns the tool's failure status. */
static int demo_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("run-demo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int run_demo(struct tsr_dev *d)
{
	const uint64_t n = 4096;
	uint32_t cmds[64], k = 0, *a, *b, *r, handle, i;
	uint64_t gva;
	struct tsr_bo bo;
	void *host;
	int ret;

	ret = tsr_bo_alloc(d, 4 * n, &bo);
	if (!(!ret))
		return demo_fail("alloc: %s", strerror(-ret));
	ret = tsr_bo_map(d, &bo);
	if (!(!ret))
		return demo_fail("mmap: %s", strerror(-ret));
	a = bo.map;
	b = a + n / 16;		/* byte n / 4 */
	r = a + n / 8;		/* byte n / 2 */

	/* FILL a, COPY a -> b, AXPY b = 3 * a + b, CHECKSUM of b. */
	k += tsr_cmd_fill(cmds + k, bo.gpu_va, n / 4, 0x01020304);
	k += tsr_cmd_copy(cmds + k, bo.gpu_va + n / 4, bo.gpu_va, n / 4);
	k += tsr_cmd_axpy(cmds + k, bo.gpu_va + n / 4, bo.gpu_va, n / 16, 3);
	k += tsr_cmd_checksum(cmds + k, bo.gpu_va + n / 2, bo.gpu_va + n / 4,
			      n / 4);
	k += tsr_cmd_fence_write(cmds + k, bo.gpu_va + n / 2 + 8, 0x1234);
	k += tsr_cmd_busy(cmds + k, 1000);
	k += tsr_cmd_nop(cmds + k);
	ret = tsr_run(d, 0, cmds, k, 5000000000LL);
	if (!(!ret))
		return demo_fail("job: %s", strerror(-ret));
	for (i = 0; i < n / 16; i++)
		if (!(a[i] == 0x01020304 && b[i] == 4 * 0x01020304))
			return demo_fail("data mismatch at %u", i);
	if (!(r[0] == tsr_fnv1a(b, n / 4)))
		return demo_fail("checksum mismatch");
	if (!(r[2] == 0x1234))
		return demo_fail("fence write missing");
	printf("fill/copy/axpy/checksum/fence/busy/nop: ok\n");

	/* Copy engine: host memory through the GART. */
	host = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!(host != MAP_FAILED))
		return demo_fail("mmap host");
	memset(host, 0, 4096);
	ret = tsr_gart_map(d, host, 4096, 0, &handle, &gva);
	if (!(!ret))
		return demo_fail("gart map: %s", strerror(-ret));
	k = tsr_cmd_copy(cmds, gva, bo.gpu_va, 256);
	ret = tsr_run(d, d->info.num_engines - 1, cmds, k, 5000000000LL);
	if (!(!ret))
		return demo_fail("gart job: %s", strerror(-ret));
	if (!(!memcmp(host, a, 256)))
		return demo_fail("GART copy mismatch");
	ret = tsr_gart_unmap(d, handle);
	if (!(!ret))
		return demo_fail("gart unmap: %s", strerror(-ret));
	printf("gart copy on engine %u: ok\n", d->info.num_engines - 1);
	munmap(host, 4096);
	tsr_bo_free(d, &bo);
	printf("run-demo: ok\n");
	return 0;
}

static const char usage_text[] =
"Usage: tessera [--json] COMMAND [ARGS]\n"
"\n"
"Administration (root; sysfs and tracefs):\n"
"  status [-i SECS] [--parent BDF] [--prometheus [-o FILE]]\n"
"                      GPUs: engine utilisation, VRAM, GART, contexts;\n"
"                      vGPUs: UUID, type, state, engine share, VRAM, faults,\n"
"                      resets (utilisation over an interval of SECS, 0.5)\n"
"  types [--parent BDF]            vGPU types and how many more fit\n"
"  create TYPE [--uuid U] [--parent BDF]   create a vGPU, print its UUID\n"
"  remove [--force] UUID           remove a vGPU (--force: also if open)\n"
"  sched [show] [--parent BDF]     scheduler policy, slice, weights\n"
"  sched set policy NAME | slice US | preempt-timeout US |\n"
"            hang-slices N | weight UUID|CTX W\n"
"  top [-n N] [-d SECS] [--parent BDF]   refreshing view, one bar per\n"
"                      engine and per vGPU (N frames; default: until ^C)\n"
"  timeline [-o FILE.svg] [--seconds N] [--parent BDF]\n"
"                      record the scheduler's tracepoints for N s (2) and\n"
"                      draw which client held each engine (timeline.svg)\n"
"Native interface (/dev/tesseraN, default /dev/tessera0):\n"
"  [-d DEVICE] info | alloc SIZE | run-demo\n"
"  [-d DEVICE] soak [--seconds N]  checked jobs for N s (10), one line a\n"
"                      second (the workload of the migration test)\n"
"\n"
"--json (anywhere) prints JSON instead of tables for status, types, sched,\n"
"timeline and info.\n";

static void usage(void)
{
	fputs(usage_text, stderr);
	exit(2);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} admin_cmds[] = {
	{ "status", cmd_status },
	{ "types", cmd_types },
	{ "create", cmd_create },
	{ "remove", cmd_remove },
	{ "sched", cmd_sched },
	{ "top", cmd_top },
	{ "timeline", cmd_timeline },
};

int main(int argc, char **argv)
{
	const char *path = NULL;
	struct tsr_dev d;
	int ret, i = 1, j, k;
	unsigned int c;

	/* --json may come anywhere: drop it from argv. */
	for (j = 1, k = 1; j < argc; j++) {
		if (!strcmp(argv[j], "--json"))
			opt_json = 1;
		else
			argv[k++] = argv[j];
	}
	argc = k;
	argv[argc] = NULL;
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
			 !strcmp(argv[1], "help"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "-d")) {
		path = argv[2];
		i = 3;
	}
	if (i >= argc)
		usage();
	for (c = 0; c < ARRAY_SIZE(admin_cmds); c++)
		if (!strcmp(argv[i], admin_cmds[c].name))
			return admin_cmds[c].fn(argc - i, argv + i);
	if (strcmp(argv[i], "info") && strcmp(argv[i], "alloc") &&
	    strcmp(argv[i], "run-demo") && strcmp(argv[i], "soak")) {
		fprintf(stderr, "tessera: unknown command '%s'\n\n", argv[i]);
		usage();
	}
	ret = tsr_open(&d, path);
	if (ret) {
		fprintf(stderr, "tessera: %s: %s\n",
			path ? path : "/dev/tessera0", strerror(-ret));
		return 1;
	}
	if (!strcmp(argv[i], "info"))
		ret = info(&d);
	else if (!strcmp(argv[i], "alloc") && i + 1 < argc)
		ret = alloc(&d, argv[i + 1]);
	else if (!strcmp(argv[i], "run-demo"))
		ret = run_demo(&d);
	else if (!strcmp(argv[i], "soak"))
		ret = cmd_soak(&d, argc - i, argv + i);
	else
		usage();
	tsr_close(&d);
	return ret;
}
