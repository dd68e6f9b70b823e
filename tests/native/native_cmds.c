// SPDX-License-Identifier: GPL-2.0
/*
 * Native interface: device info, buffers and their mappings, GART mappings
 * of user memory, and every command type through TESSERA_IOCTL_SUBMIT.
 */
#include "native-common.h"

FIXTURE(dev) {
	struct tsr_dev d;
	struct tsr_bo bo;
	uint32_t *m;
};

FIXTURE_SETUP(dev)
{
	ASSERT_EQ(0, native_open(&self->d));
	ASSERT_EQ(0, tsr_bo_alloc(&self->d, 64 << 10, &self->bo));
	ASSERT_EQ(0, tsr_bo_map(&self->d, &self->bo));
	self->m = self->bo.map;
}

FIXTURE_TEARDOWN(dev)
{
	tsr_bo_free(&self->d, &self->bo);
	tsr_close(&self->d);
}

TEST_F_TIMEOUT(dev, info, TEST_TIMEOUT_S)
{
	struct tessera_info *i = &self->d.info;
	unsigned int e;

	ASSERT_EQ(TESSERA_UAPI_VERSION, i->uapi_version);
	ASSERT_EQ(TESSERA_VERSION_1_0 >> 16, i->hw_version >> 16);
	ASSERT_GE(i->num_engines, 1);
	ASSERT_LE(i->num_engines, TESSERA_MAX_ENGINES);
	/* Context 0 is the host's on a physical GPU; a vGPU has only 0. */
	ASSERT_EQ(!!(i->flags & TESSERA_INFO_VIRTUAL), i->ctx_id == 0);
	ASSERT_LT(i->ctx_id, i->num_contexts);
	ASSERT_EQ(TESSERA_VA_GART, i->gart_va);
	ASSERT_GT(i->vram_window, 0);
	ASSERT_LT(i->vram_free, i->vram_window);
	ASSERT_GT(i->max_submit, 64);
	for (e = 0; e < i->num_engines; e++)
		ASSERT_EQ(e < i->num_compute ? TESSERA_ENG_CLASS_COMPUTE :
			  TESSERA_ENG_CLASS_COPY, i->engine_class[e]);
}

TEST_F_TIMEOUT(dev, bo_zeroed_and_mapped, TEST_TIMEOUT_S)
{
	unsigned int i;

	ASSERT_EQ(64 << 10, self->bo.size);
	ASSERT_EQ(0, self->bo.gpu_va & 4095);
	for (i = 0; i < self->bo.size / 4; i++)
		ASSERT_EQ(0, self->m[i]);
	self->m[0] = 0xdeadbeef;
	self->m[self->bo.size / 4 - 1] = 0x12345678;
	ASSERT_EQ(0xdeadbeef, self->m[0]);
}

TEST_F_TIMEOUT(dev, bo_mapping_revoked_on_free, TEST_TIMEOUT_S)
{
	struct tsr_bo bo;
	uint32_t *p;

	ASSERT_EQ(0, tsr_bo_alloc(&self->d, 8192, &bo));
	ASSERT_EQ(0, tsr_bo_map(&self->d, &bo));
	p = bo.map;
	p[0] = 1;
	ASSERT_EQ(0, access_faults(p));
	bo.map = NULL;			/* keep the mapping, free the buffer */
	ASSERT_EQ(0, tsr_bo_free(&self->d, &bo));
	ASSERT_EQ(1, access_faults(p));
	munmap(p, 8192);
}

TEST_F_TIMEOUT(dev, fill_copy_engines, TEST_TIMEOUT_S)
{
	struct tessera_info *i = &self->d.info;
	uint32_t c[16], k, e;

	for (e = 0; e < i->num_engines; e++) {
		uint64_t va = self->bo.gpu_va;

		k = tsr_cmd_fill(c, va, 4096, 0xa5a50000 + e);
		k += tsr_cmd_copy(c + k, va + 4096, va, 4096);
		ASSERT_EQ(0, tsr_run(&self->d, e, c, k, WAIT_NS));
		ASSERT_EQ(0xa5a50000 + e, self->m[0]);
		ASSERT_EQ(0xa5a50000 + e, self->m[1023]);
		ASSERT_EQ(0xa5a50000 + e, self->m[1024]);
		ASSERT_EQ(0xa5a50000 + e, self->m[2047]);
		ASSERT_EQ(0, self->m[2048]);
	}
}

TEST_F_TIMEOUT(dev, axpy_checksum_fence_busy_nop, TEST_TIMEOUT_S)
{
	uint64_t va = self->bo.gpu_va;
	uint32_t c[32], k = 0, i;

	for (i = 0; i < 256; i++) {
		self->m[i] = i;			/* x */
		self->m[256 + i] = 1000 + i;	/* y */
	}
	k += tsr_cmd_axpy(c + k, va + 1024, va, 256, 7);
	k += tsr_cmd_checksum(c + k, va + 4096, va + 1024, 1024);
	k += tsr_cmd_fence_write(c + k, va + 4104, 0x1122334455667788ULL);
	k += tsr_cmd_busy(c + k, 20000);
	k += tsr_cmd_nop(c + k);
	c[k++] = TESSERA_CMD(TESSERA_OP_NOP, 0, 3);	/* padding NOP */
	c[k++] = 0xffffffff;
	c[k++] = 0xffffffff;
	ASSERT_EQ(0, tsr_run(&self->d, 0, c, k, WAIT_NS));
	for (i = 0; i < 256; i++)
		ASSERT_EQ(7 * i + 1000 + i, self->m[256 + i]);
	ASSERT_EQ(tsr_fnv1a(&self->m[256], 1024), self->m[1024]);
	ASSERT_EQ(0x55667788, self->m[1026]);
	ASSERT_EQ(0x11223344, self->m[1027]);
}

TEST_F_TIMEOUT(dev, batch_call_jump_end, TEST_TIMEOUT_S)
{
	uint64_t va = self->bo.gpu_va;
	uint32_t *b1 = self->m + 4096, *b2 = self->m + 8192;	/* 16K, 32K */
	uint32_t c[16], k;

	k = tsr_cmd_fill(b1, va, 64, 0x11111111);
	k += tsr_cmd_batch_jump(b1 + k, va + 32768, 4096);
	tsr_cmd_fill(b2, va + 64, 64, 0x22222222);
	tsr_cmd_batch_end(b2 + TESSERA_FILL_LEN);
	k = tsr_cmd_batch_call(c, va + 16384, 4096);
	k += tsr_cmd_fill(c + k, va + 128, 64, 0x33333333);
	ASSERT_EQ(0, tsr_run(&self->d, 0, c, k, WAIT_NS));
	ASSERT_EQ(0x11111111, self->m[0]);
	ASSERT_EQ(0x22222222, self->m[16]);
	ASSERT_EQ(0x33333333, self->m[32]);
	ASSERT_EQ(0, self->m[48]);
}

TEST_F_TIMEOUT(dev, gart_user_memory, TEST_TIMEOUT_S)
{
	struct tessera_info *i = &self->d.info;
	uint32_t c[16], k, h, *host;
	uint64_t gva;
	unsigned int n;

	host = mmap(NULL, 16384, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, host);
	for (n = 0; n < 4096; n++)
		host[n] = n * 3;
	ASSERT_EQ(0, tsr_gart_map(&self->d, host, 16384, 0, &h, &gva));
	ASSERT_GE(gva, TESSERA_VA_GART);
	/* host -> VRAM on the copy engine, VRAM -> host on a compute one. */
	k = tsr_cmd_copy(c, self->bo.gpu_va, gva, 8192);
	ASSERT_EQ(0, tsr_run(&self->d, i->num_engines - 1, c, k, WAIT_NS));
	ASSERT_EQ(0, memcmp(self->m, host, 8192));
	k = tsr_cmd_fill(c, gva + 8192, 8192, 0xcafef00d);
	k += tsr_cmd_checksum(c + k, self->bo.gpu_va + 8192, gva, 16384);
	ASSERT_EQ(0, tsr_run(&self->d, 0, c, k, WAIT_NS));
	ASSERT_EQ(0xcafef00d, host[2048]);
	ASSERT_EQ(0xcafef00d, host[4095]);
	ASSERT_EQ(tsr_fnv1a(host, 16384), self->m[2048]);
	ASSERT_EQ(0, tsr_gart_unmap(&self->d, h));
	ASSERT_EQ(-ENOENT, tsr_gart_unmap(&self->d, h));
	/* After unmap the GART window page is invalid: the job faults. */
	k = tsr_cmd_fill(c, gva, 4096, 1);
	ASSERT_EQ(-EIO, tsr_run(&self->d, 0, c, k, WAIT_NS));
	munmap(host, 16384);
}

TEST_F_TIMEOUT(dev, gart_readonly, TEST_TIMEOUT_S)
{
	struct tessera_fault f;
	uint32_t c[8], k, h, *host;
	uint64_t gva;

	host = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, host);
	host[0] = 77;
	ASSERT_EQ(0, tsr_gart_map(&self->d, host, 4096, 1, &h, &gva));
	k = tsr_cmd_copy(c, self->bo.gpu_va, gva, 4096);
	ASSERT_EQ(0, tsr_run(&self->d, 0, c, k, WAIT_NS));
	ASSERT_EQ(77, self->m[0]);
	k = tsr_cmd_fill(c, gva, 4096, 5);
	ASSERT_EQ(-EIO, tsr_run(&self->d, 0, c, k, WAIT_NS));
	ASSERT_EQ(0, tsr_get_fault(&self->d, &f));
	ASSERT_EQ(TESSERA_FAULT_GART_READONLY, f.code);
	ASSERT_EQ(77, host[0]);
	ASSERT_EQ(0, tsr_gart_unmap(&self->d, h));
	munmap(host, 4096);
}

TEST_F_TIMEOUT(dev, many_jobs_ring_wrap_and_poll, TEST_TIMEOUT_S)
{
	uint32_t c[8], k, n;
	uint64_t fence = 0, prev = 0;
	struct pollfd pfd = { .fd = self->d.fd, .events = POLLIN };

	for (n = 0; n < 2000; n++) {
		k = tsr_cmd_fill(c, self->bo.gpu_va + 4 * (n % 1024), 4, n);
		ASSERT_EQ(0, tsr_submit(&self->d, 1 % self->d.info.num_engines,
					c, k, &fence));
		ASSERT_GT(fence, prev);
		prev = fence;
	}
	ASSERT_EQ(0, tsr_wait(&self->d, 1 % self->d.info.num_engines, fence,
			      WAIT_NS));
	ASSERT_EQ(1, poll(&pfd, 1, 5000));
	ASSERT_TRUE(pfd.revents & POLLIN);
	ASSERT_EQ(1999, self->m[1999 % 1024]);
}

TEST_F_TIMEOUT(dev, doorbell_page, TEST_TIMEOUT_S)
{
	volatile uint32_t *db = tsr_map_doorbell(&self->d);

	ASSERT_NE(NULL, db);
	/* Reads return the ring tail; the ring is empty: tail 0. */
	ASSERT_EQ(0, db[TESSERA_DB_TAIL(0) / 4]);
	munmap((void *)db, 4096);
}

TEST_HARNESS_MAIN
