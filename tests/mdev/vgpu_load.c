// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_load: keep a vGPU's engine busy for the tessera tool's tests
 * (mdev_tools.sh); not a test itself (run-mdev-tests.sh runs mdev_*).
 *
 *   vgpu_load UUID [ENGINE [BUSY_US]]
 *
 * Opens the vGPU through VFIO, programs context 0 and a ring on ENGINE
 * (default 0), then submits BUSY jobs of BUSY_US (default 2000) followed
 * by a fence, one at a time, until SIGTERM or SIGINT. Prints "ready" once
 * the first job completed, and at the end the number of jobs; exit status
 * 0 if every job completed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "mdev-common.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct tess_dev t = { 0 };
	unsigned long long busy_us = 2000, jobs = 0;
	unsigned int engine = 0;
	struct tess_ring r;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: %s UUID [ENGINE [BUSY_US]]\n", argv[0]);
		return 2;
	}
	if (argc > 2)
		engine = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		busy_us = strtoull(argv[3], NULL, 0);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = tess_open_mdev(&t, argv[1]);
	if (ret) {
		fprintf(stderr, "vgpu_load: open %s: %s\n", argv[1], t.err);
		return 1;
	}
	ret = vgpu_setup(&t, &r, engine, 0);
	if (ret) {
		fprintf(stderr, "vgpu_load: setup: %d\n", ret);
		tess_close(&t);
		return 1;
	}
	while (!stop) {
		ret = tess_emit_busy(&r, busy_us * 1000);
		if (!ret)
			ret = vgpu_fence_wait(&r, jobs + 1);
		if (ret) {
			fprintf(stderr, "vgpu_load: job %llu: %d\n", jobs, ret);
			break;
		}
		if (!jobs++)
			printf("ready\n");
	}
	printf("jobs %llu\n", jobs);
	tess_close(&t);
	return ret ? 1 : 0;
}
