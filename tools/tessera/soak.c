// SPDX-License-Identifier: GPL-2.0
/*
 * tessera soak: a stream of checked jobs for N seconds, the workload a
 * live migration moves with its GPU work in flight (scripts/e2e-migrate.sh
 * runs it in the L2 guest while the VM moves to another QEMU process).
 *
 * Every iteration runs, on the first compute engine, FILL of buffer A
 * with a pattern that depends only on the iteration number, BUSY (so that
 * a job is on the engine most of the time), COPY A to B, CHECKSUM of B,
 * and a FENCE write of the iteration number; then, on the copy engine, a
 * COPY of B's head into host memory through the GART. Each result is
 * checked against what the CPU computes: the checksum, the fence value,
 * B read through the BAR2 mapping, the host copy. A canary buffer written
 * once at the start is checked by the CPU every iteration and by the GPU
 * (CHECKSUM) every tenth. A line per second, and a last line with the
 * iteration count, a digest of all checksums (it depends only on the
 * count) and the longest gap between two iterations as the guest saw it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tool.h"

#define SOAK_BUF	(64u << 10)	/* bytes of A, B and the canary */
#define SOAK_HOST	256u		/* bytes copied to host memory */
#define SOAK_BUSY_NS	2000000ull	/* BUSY per iteration */
#define SOAK_CANARY	0xc0ffee00u
#define SOAK_TIMEOUT_NS	60000000000ll	/* a job across a migration */

/* The pattern of iteration @i: any odd multiplier, mixed. */
static uint32_t soak_pattern(uint32_t i)
{
	return (i + 1) * 0x9e3779b1u ^ 0x5bd1e995u;
}

/* FNV-1a of @bytes bytes that all repeat the 32-bit word @word. */
static uint32_t soak_expected_sum(uint32_t word, uint32_t bytes)
{
	static uint32_t buf[SOAK_BUF / 4];
	uint32_t k;

	for (k = 0; k < bytes / 4; k++)
		buf[k] = word;
	return tsr_fnv1a(buf, bytes);
}

static int soak_fail(uint32_t iter, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "soak: iteration %u: ", iter);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* The first word of @p (@bytes long) that is not @word, or -1. */
static long soak_mismatch(const volatile uint32_t *p, uint32_t bytes,
			  uint32_t word)
{
	uint32_t k;

	for (k = 0; k < bytes / 4; k++)
		if (p[k] != word)
			return k;
	return -1;
}

static int soak_run(struct tsr_dev *d, double seconds)
{
	uint32_t cmds[64], k, iter, sum, canary_sum, digest = 0, handle;
	uint64_t a, b, c, r, t0, last, now, next_line, gap, max_gap = 0, gva;
	const uint32_t copy_eng = d->info.num_engines - 1;
	volatile uint32_t *rmap, *bmap, *cmap;
	struct tsr_bo bo;
	uint32_t *host;
	long bad;
	int ret;

	ret = tsr_bo_alloc(d, 4 * SOAK_BUF, &bo);
	if (ret)
		return fail("soak: alloc: %s", strerror(-ret));
	ret = tsr_bo_map(d, &bo);
	if (ret)
		return fail("soak: mmap: %s", strerror(-ret));
	a = bo.gpu_va;
	b = a + SOAK_BUF;
	c = b + SOAK_BUF;
	r = c + SOAK_BUF;
	bmap = (volatile uint32_t *)((char *)bo.map + SOAK_BUF);
	cmap = (volatile uint32_t *)((char *)bo.map + 2 * SOAK_BUF);
	rmap = (volatile uint32_t *)((char *)bo.map + 3 * SOAK_BUF);
	host = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (host == MAP_FAILED)
		return fail("soak: mmap host: %s", strerror(errno));
	memset(host, 0, 4096);
	ret = tsr_gart_map(d, host, 4096, 0, &handle, &gva);
	if (ret)
		return fail("soak: gart map: %s", strerror(-ret));

	/* The canary: written once, checked to the end. */
	k = tsr_cmd_fill(cmds, c, SOAK_BUF, SOAK_CANARY);
	ret = tsr_run(d, 0, cmds, k, SOAK_TIMEOUT_NS);
	if (ret)
		return fail("soak: canary fill: %s", strerror(-ret));
	canary_sum = soak_expected_sum(SOAK_CANARY, SOAK_BUF);

	t0 = tsr_now_ns();
	last = t0;
	next_line = t0 + 1000000000ull;
	for (iter = 0;; iter++) {
		uint32_t pat = soak_pattern(iter);

		now = tsr_now_ns();
		if (now - t0 >= (uint64_t)(seconds * 1e9))
			break;
		k = 0;
		k += tsr_cmd_fill(cmds + k, a, SOAK_BUF, pat);
		k += tsr_cmd_busy(cmds + k, SOAK_BUSY_NS);
		k += tsr_cmd_copy(cmds + k, b, a, SOAK_BUF);
		k += tsr_cmd_checksum(cmds + k, r, b, SOAK_BUF);
		if (iter % 10 == 0)
			k += tsr_cmd_checksum(cmds + k, r + 16, c, SOAK_BUF);
		k += tsr_cmd_fence_write(cmds + k, r + 8, iter + 1);
		ret = tsr_run(d, 0, cmds, k, SOAK_TIMEOUT_NS);
		if (ret)
			return soak_fail(iter, "job: %s", strerror(-ret));
		sum = soak_expected_sum(pat, SOAK_BUF);
		if (rmap[0] != sum)
			return soak_fail(iter, "checksum %08x, want %08x",
					 rmap[0], sum);
		if (rmap[2] != iter + 1)
			return soak_fail(iter, "fence value %u, want %u",
					 rmap[2], iter + 1);
		if (iter % 10 == 0 && rmap[4] != canary_sum)
			return soak_fail(iter, "canary checksum %08x, want %08x",
					 rmap[4], canary_sum);
		bad = soak_mismatch(bmap, SOAK_BUF, pat);
		if (bad >= 0)
			return soak_fail(iter, "B[%ld] = %08x, want %08x", bad,
					 bmap[bad], pat);
		bad = soak_mismatch(cmap, SOAK_BUF, SOAK_CANARY);
		if (bad >= 0)
			return soak_fail(iter, "canary[%ld] = %08x", bad,
					 cmap[bad]);

		k = tsr_cmd_copy(cmds, gva, b, SOAK_HOST);
		ret = tsr_run(d, copy_eng, cmds, k, SOAK_TIMEOUT_NS);
		if (ret)
			return soak_fail(iter, "gart job: %s", strerror(-ret));
		bad = soak_mismatch(host, SOAK_HOST, pat);
		if (bad >= 0)
			return soak_fail(iter, "host[%ld] = %08x, want %08x",
					 bad, host[bad], pat);

		digest = (digest ^ sum) * TESSERA_FNV1A_PRIME;
		now = tsr_now_ns();
		gap = now - last;
		if (gap > max_gap)
			max_gap = gap;
		last = now;
		if (now >= next_line) {
			printf("soak: %.0f s, %u iterations checked\n",
			       (now - t0) / 1e9, iter + 1);
			fflush(stdout);
			next_line = now + 1000000000ull;
		}
	}
	printf("soak: %u iterations in %.1f s, all checked; digest %08x; longest gap %.0f ms\n",
	       iter, (tsr_now_ns() - t0) / 1e9, digest, max_gap / 1e6);
	tsr_gart_unmap(d, handle);
	munmap(host, 4096);
	tsr_bo_free(d, &bo);
	return 0;
}

/**
 * cmd_soak() - "tessera [-d DEV] soak [--seconds N]".
 * @d: the open device
 * @argc: arguments after "soak"'s own position (argv[0] is "soak")
 * @argv: the arguments
 *
 * Return: the tool's exit status.
 */
int cmd_soak(struct tsr_dev *d, int argc, char **argv)
{
	double seconds = 10;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = strtod(argv[++i], NULL);
		else
			return fail("soak: unknown argument %s", argv[i]);
	}
	if (!(seconds > 0 && seconds < 86400))
		return fail("soak: --seconds wants 0 < N < 86400");
	return soak_run(d, seconds);
}
