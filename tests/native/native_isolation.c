// SPDX-License-Identifier: GPL-2.0
/*
 * Native interface: clients are isolated. Concurrent processes do not see
 * each other's work; a faulting client gets an error for its job while
 * another is unaffected and nothing outside the faulting window is
 * written; a client spinning forever does not starve another.
 */
#include "native-common.h"

#define JOBS	200

/* One client: fill with its own pattern, checksum, verify, many times. */
static int client(uint32_t seed, uint32_t engine)
{
	struct tsr_dev d;
	struct tsr_bo bo;
	uint32_t c[16], k, n, *m;

	if (native_open(&d) || tsr_bo_alloc(&d, 16384, &bo) ||
	    tsr_bo_map(&d, &bo))
		return 10;
	m = bo.map;
	for (n = 0; n < JOBS; n++) {
		uint32_t pat = seed * 0x10000 + n;

		k = tsr_cmd_fill(c, bo.gpu_va, 8192, pat);
		k += tsr_cmd_checksum(c + k, bo.gpu_va + 8192, bo.gpu_va, 8192);
		if (tsr_run(&d, engine, c, k, WAIT_NS))
			return 11;
		if (m[0] != pat || m[2047] != pat)
			return 12;
		if (m[2048] != tsr_fnv1a(m, 8192))
			return 13;
	}
	tsr_bo_free(&d, &bo);
	tsr_close(&d);
	return 0;
}

TEST(concurrent_clients_same_engine)
{
	pid_t p[3];
	int i, st;

	if (native_contexts() < 3)
		SKIP(return, "needs 3 hardware contexts, the device has %u",
		     native_contexts());
	for (i = 0; i < 3; i++) {
		p[i] = fork();
		if (!p[i])
			_exit(client(i + 1, 0));
	}
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(p[i], waitpid(p[i], &st, 0));
		ASSERT_TRUE(WIFEXITED(st));
		EXPECT_EQ(0, WEXITSTATUS(st));
	}
}

TEST(concurrent_clients_all_engines)
{
	struct tsr_dev d;
	pid_t p[4];
	int i, st;

	if (native_contexts() < 5)
		SKIP(return, "needs 5 hardware contexts, the device has %u",
		     native_contexts());
	ASSERT_EQ(0, native_open(&d));
	for (i = 0; i < 4; i++) {
		p[i] = fork();
		if (!p[i])
			_exit(client(i + 7, i % d.info.num_compute));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(p[i], waitpid(p[i], &st, 0));
		ASSERT_TRUE(WIFEXITED(st));
		EXPECT_EQ(0, WEXITSTATUS(st));
	}
	tsr_close(&d);
}

TEST(fault_isolated)
{
	struct tsr_dev a, b;
	struct tsr_bo ba, bb;
	struct tessera_fault f;
	uint32_t c[16], k, i, *ma, *mb, *batch;
	uint64_t fa, fb;

	if (native_contexts() < 2)
		SKIP(return, "needs 2 hardware contexts, the device has %u",
		     native_contexts());
	ASSERT_EQ(0, native_open(&a));
	ASSERT_EQ(0, native_open(&b));
	ASSERT_NE(a.info.ctx_id, b.info.ctx_id);
	ASSERT_EQ(0, tsr_bo_alloc(&a, 65536, &ba));
	ASSERT_EQ(0, tsr_bo_map(&a, &ba));
	ASSERT_EQ(0, tsr_bo_alloc(&b, 65536, &bb));
	ASSERT_EQ(0, tsr_bo_map(&b, &bb));
	ma = ba.map;
	mb = bb.map;

	/* B owns a pattern. */
	k = tsr_cmd_fill(c, bb.gpu_va, 65536, 0x0b0b0b0b);
	ASSERT_EQ(0, tsr_run(&b, 0, c, k, WAIT_NS));

	/* A: a batch (not checked by the kernel) writing past its window,
	 * i.e. where the next window in VRAM may be B's. Then a good job.
	 */
	batch = ma;
	k = tsr_cmd_fill(batch, a.info.vram_window - 4096, 8192, 0xbad0bad0);
	tsr_cmd_batch_end(batch + k);
	k = tsr_cmd_batch_call(c, ba.gpu_va, 4096);
	ASSERT_EQ(0, tsr_submit(&a, 0, c, k, &fa));
	k = tsr_cmd_fill(c, bb.gpu_va + 4096, 4096, 0x0c0c0c0c);
	ASSERT_EQ(0, tsr_submit(&b, 0, c, k, &fb));
	ASSERT_EQ(-EIO, tsr_wait(&a, 0, fa, WAIT_NS));
	ASSERT_EQ(0, tsr_wait(&b, 0, fb, WAIT_NS));

	ASSERT_EQ(0, tsr_get_fault(&a, &f));
	ASSERT_TRUE(f.flags & TESSERA_FAULT_VALID);
	ASSERT_TRUE(f.flags & TESSERA_FAULT_UNREAD);
	ASSERT_EQ(TESSERA_FAULT_VRAM_RANGE, f.code);
	ASSERT_EQ(0, f.engine);
	ASSERT_LE(f.first_fence, fa);
	ASSERT_GE(f.last_fence, fa);
	ASSERT_EQ(0, tsr_get_fault(&b, &f));
	ASSERT_FALSE(f.flags & TESSERA_FAULT_VALID);

	for (i = 0; i < 16384; i++) {
		uint32_t want = i >= 1024 && i < 2048 ? 0x0c0c0c0c : 0x0b0b0b0b;

		ASSERT_EQ(want, mb[i]);
	}
	/* A recovers: its next job runs. */
	k = tsr_cmd_fill(c, ba.gpu_va + 8192, 4, 42);
	ASSERT_EQ(0, tsr_run(&a, 0, c, k, WAIT_NS));
	ASSERT_EQ(42, ma[2048]);

	tsr_bo_free(&a, &ba);
	tsr_bo_free(&b, &bb);
	tsr_close(&a);
	tsr_close(&b);
}

TEST(spinning_client_does_not_starve_others)
{
	struct tsr_dev a, b;
	struct tsr_bo ba, bb;
	uint32_t c[8], k, n, *mb;
	uint64_t fa;

	if (native_contexts() < 2)
		SKIP(return, "needs 2 hardware contexts, the device has %u",
		     native_contexts());
	ASSERT_EQ(0, native_open(&a));
	ASSERT_EQ(0, native_open(&b));
	ASSERT_EQ(0, tsr_bo_alloc(&a, 4096, &ba));
	ASSERT_EQ(0, tsr_bo_map(&a, &ba));
	ASSERT_EQ(0, tsr_bo_alloc(&b, 4096, &bb));
	ASSERT_EQ(0, tsr_bo_map(&b, &bb));
	mb = bb.map;
	/* A batch that jumps to itself forever. */
	tsr_cmd_batch_jump(ba.map, ba.gpu_va, 16);
	k = tsr_cmd_batch_call(c, ba.gpu_va, 16);
	ASSERT_EQ(0, tsr_submit(&a, 0, c, k, &fa));
	for (n = 1; n <= 20; n++) {
		k = tsr_cmd_fill(c, bb.gpu_va, 4, n);
		ASSERT_EQ(0, tsr_run(&b, 0, c, k, WAIT_NS));
		ASSERT_EQ(n, mb[0]);
	}
	ASSERT_EQ(-ETIMEDOUT, tsr_wait(&a, 0, fa, 0));
	/* Closing A with its job still running is fine. */
	tsr_close(&a);
	tsr_bo_free(&b, &bb);
	tsr_close(&b);
}

TEST(many_open_files)
{
	struct tsr_dev d[8];
	int i;

	if (native_contexts() < 8)
		SKIP(return, "needs 8 hardware contexts, the device has %u",
		     native_contexts());
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, native_open(&d[i]));
	for (i = 1; i < 8; i++)
		ASSERT_NE(d[0].info.ctx_id, d[i].info.ctx_id);
	for (i = 0; i < 8; i++)
		tsr_close(&d[i]);
}

/*
 * Every context in use: the next open is refused with EBUSY (or ENOSPC
 * when the VRAM or GART windows run out first), and works again once a
 * file is closed. On a vGPU: a second open while one is open.
 */
TEST(open_beyond_contexts_refused)
{
	struct tsr_dev d[TESSERA_MAX_CONTEXTS], x;
	unsigned int n = native_contexts(), i;
	int ret = 0;

	ASSERT_GT(n, 0);
	ASSERT_LE(n, TESSERA_MAX_CONTEXTS);
	for (i = 0; i < n; i++) {
		ret = native_open(&d[i]);
		if (ret)
			break;
	}
	TH_LOG("%u of %u contexts opened", i, n);
	if (i == n)
		ret = native_open(&x);
	EXPECT_EQ(i == n ? -EBUSY : -ENOSPC, ret);
	ASSERT_GT(i, 0);
	tsr_close(&d[i - 1]);
	EXPECT_EQ(0, native_open(&d[i - 1]));
	while (i--)
		tsr_close(&d[i]);
}

/*
 * A window's GART entries are invalid for its next owner: A maps a page of
 * its memory and closes without unmapping; B, given the same window, reads
 * through every entry of it from a batch (which the kernel does not check)
 * and faults with GART_INVALID instead of reading A's page.
 */
TEST(gart_window_clean_for_next_owner)
{
	struct tsr_dev a, b;
	struct tsr_bo bb;
	struct tessera_fault f;
	uint32_t c[16], k, handle, *batch, *secret;
	uint64_t va, fence;

	ASSERT_EQ(0, native_open(&a));
	secret = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, secret);
	memset(secret, 0x5e, 4096);
	ASSERT_EQ(0, tsr_gart_map(&a, secret, 4096, 0, &handle, &va));
	tsr_close(&a);

	ASSERT_EQ(0, native_open(&b));
	ASSERT_EQ(0, tsr_bo_alloc(&b, 8192, &bb));
	ASSERT_EQ(0, tsr_bo_map(&b, &bb));
	batch = bb.map;
	memset((char *)bb.map + 4096, 0, 4096);
	k = tsr_cmd_copy(batch, bb.gpu_va + 4096, va, 4096);
	tsr_cmd_batch_end(batch + k);
	k = tsr_cmd_batch_call(c, bb.gpu_va, 4096);
	ASSERT_EQ(0, tsr_submit(&b, 0, c, k, &fence));
	ASSERT_EQ(-EIO, tsr_wait(&b, 0, fence, WAIT_NS));
	ASSERT_EQ(0, tsr_get_fault(&b, &f));
	ASSERT_TRUE(f.flags & TESSERA_FAULT_VALID);
	/* GART_RANGE if B's window is smaller than A's offset; never data. */
	EXPECT_TRUE(f.code == TESSERA_FAULT_GART_INVALID ||
		    f.code == TESSERA_FAULT_GART_RANGE) {
		TH_LOG("fault code 0x%x", f.code);
	}
	EXPECT_EQ(0, ((uint32_t *)bb.map)[1024]);
	tsr_bo_free(&b, &bb);
	tsr_close(&b);
	munmap(secret, 4096);
}

TEST_HARNESS_MAIN
