// SPDX-License-Identifier: GPL-2.0
/*
 * tessera: command line tool for the Tessera native interface.
 *
 *   tessera [-d /dev/tesseraN] info
 *   tessera [-d DEV] alloc SIZE          allocate, map, write, read back
 *   tessera [-d DEV] run-demo            run every command type and check
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "libtessera.h"

static int info(struct tsr_dev *d)
{
	const struct tessera_info *i = &d->info;
	unsigned int e;

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

static void usage(void)
{
	fprintf(stderr, "Usage: tessera [-d DEVICE] info | alloc SIZE | run-demo\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	struct tsr_dev d;
	int ret, i = 1;

	if (argc > 2 && !strcmp(argv[1], "-d")) {
		path = argv[2];
		i = 3;
	}
	if (i >= argc)
		usage();
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
	else
		usage();
	tsr_close(&d);
	return ret;
}
