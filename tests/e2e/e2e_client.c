// SPDX-License-Identifier: GPL-2.0
/*
 * e2e_client: the "second client" of the end-to-end stage. Drives an
 * existing vGPU (mdev) from the L1 host through VFIO while an L2 guest
 * uses another vGPU of the same GPU, and checks every job's result.
 *
 *   e2e_client UUID [MAXJOBS]
 *
 * Opens the vGPU, programs context 0 over its whole VRAM partition, a ring
 * on engine 0, then runs jobs until SIGTERM or SIGINT (the e2e script sends
 * it when the L2 guest has finished its suite) or MAXJOBS (default 0:
 * no limit) jobs: each FILLs 64 KiB of VRAM with a job-specific pattern,
 * fences, waits for the fence and checks the VRAM contents through BAR2.
 * Prints TAP; exit status 0 if at least one job ran and all were right.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "mdev-common.h"

#define RING_VA		0
#define DATA_VA		0x10000ull
#define JOB_BYTES	0x10000u

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct tess_dev t = { 0 };
	struct tess_ring r;
	unsigned int jobs = 0, i, done = 0;
	int ret, n = 0, fail = 0;
	long bad;

	if (argc < 2) {
		fprintf(stderr, "usage: %s UUID [JOBS]\n", argv[0]);
		return 2;
	}
	if (argc > 2)
		jobs = (unsigned int)strtoul(argv[2], NULL, 0);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	ret = tess_open_mdev(&t, argv[1]);
	printf("%sok %d - open vGPU %s through VFIO%s%s\n", ret ? "not " : "",
	       ++n, argv[1], ret ? " # " : "", ret ? t.err : "");
	if (ret) {
		printf("1..%d\n", n);
		return 1;
	}
	printf("# vGPU: %llu MiB VRAM, %u engines\n",
	       (unsigned long long)(t.vram_size >> 20), t.engines);
	ret = vgpu_setup(&t, &r, 0, RING_VA);
	printf("%sok %d - context 0 and ring on engine 0 programmed (%d)\n",
	       ret ? "not " : "", ++n, ret);
	if (ret) {
		tess_close(&t);
		printf("1..%d\n", n);
		return 1;
	}
	for (i = 0; (!jobs || i < jobs) && !stop; i++) {
		u32 pattern = 0xe2e00000u | i;

		ret = tess_emit_fill(&r, DATA_VA, JOB_BYTES, pattern);
		if (!ret)
			ret = vgpu_fence_wait(&r, 1000 + i);
		if (ret) {
			printf("# job %u: submit/fence failed (%d)\n", i, ret);
			break;
		}
		bad = tess_vram_check32(&t, DATA_VA, JOB_BYTES, pattern);
		if (bad >= 0) {
			printf("# job %u: VRAM mismatch at +%ld\n", i, bad);
			break;
		}
		done++;
	}
	if (done != i || !done)
		fail = 1;
	printf("%sok %d - %u/%u fill jobs completed with correct results%s\n",
	       fail ? "not " : "", ++n, done, i, stop ? ", until stopped" : "");
	tess_close(&t);
	printf("1..%d\n", n);
	return fail;
}
