// SPDX-License-Identifier: GPL-2.0
/*
 * Native interface: every malformed argument gets a clean errno (and the
 * kernel log no splat: the VM rig checks that).
 */
#include "native-common.h"

FIXTURE(bad) {
	struct tsr_dev d;
	struct tsr_bo bo;
};

FIXTURE_SETUP(bad)
{
	ASSERT_EQ(0, native_open(&self->d));
	ASSERT_EQ(0, tsr_bo_alloc(&self->d, 4096, &self->bo));
}

FIXTURE_TEARDOWN(bad)
{
	tsr_bo_free(&self->d, &self->bo);
	tsr_close(&self->d);
}

TEST_F(bad, unknown_ioctls)
{
	char buf[256] = {};

	ASSERT_EQ(-ENOTTY, raw_ioctl(self->d.fd, _IO(TESSERA_IOCTL_MAGIC, 0x40), buf));
	ASSERT_EQ(-ENOTTY, raw_ioctl(self->d.fd,
				     _IOWR(TESSERA_IOCTL_MAGIC, 0x01, char[8]), buf));
	ASSERT_EQ(-ENOTTY, raw_ioctl(self->d.fd, _IO('x', 1), buf));
	ASSERT_EQ(-EFAULT, raw_ioctl(self->d.fd, TESSERA_IOCTL_INFO, (void *)8));
}

TEST_F(bad, bo_alloc)
{
	struct tessera_bo_alloc a;

	memset(&a, 0, sizeof(a));
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, &a));
	a.size = ~0ULL;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, &a));
	a.size = self->d.info.vram_window + 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, &a));
	a.size = self->d.info.vram_window;	/* rings take part of it */
	ASSERT_EQ(-ENOSPC, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, &a));
	a.size = 4096;
	a.flags = 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, &a));
	a.flags = 0;
	a.reserved[1] = 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, &a));
	ASSERT_EQ(-EFAULT, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, NULL));
}

TEST_F(bad, bo_exhaustion)
{
	struct tessera_bo_alloc a = { .size = 1 << 20 };
	int n = 0, ret;

	while (!(ret = raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, &a)))
		n++;
	ASSERT_EQ(-ENOSPC, ret);
	ASSERT_GT(n, 0);
}

TEST_F(bad, bo_free)
{
	struct tessera_handle_arg h = { .handle = 0 };
	struct tsr_dev other;
	struct tsr_bo ob;

	ASSERT_EQ(-ENOENT, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_FREE, &h));
	h.handle = 0xffffffff;
	ASSERT_EQ(-ENOENT, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_FREE, &h));
	h.handle = self->bo.handle;
	h.pad = 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_FREE, &h));
	if (native_ctx_avail(&self->d.info) < 2)
		SKIP(return, "another client's handle: needs 2 contexts, the device has %u",
		     native_ctx_avail(&self->d.info));
	/* Another client's handle is not ours. */
	ASSERT_EQ(0, native_open(&other));
	ASSERT_EQ(0, tsr_bo_alloc(&other, 4096, &ob));
	h.handle = ob.handle;
	h.pad = 0;
	ASSERT_EQ(-ENOENT, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_FREE, &h));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				   self->d.fd, (off_t)ob.handle << 32));
	ASSERT_EQ(EINVAL, errno);
	tsr_bo_free(&other, &ob);
	tsr_close(&other);
}

TEST_F(bad, mmap)
{
	void *p;

	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, self->d.fd,
		 (off_t)self->bo.handle << 32);
	ASSERT_EQ(MAP_FAILED, p);
	ASSERT_EQ(EINVAL, errno);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, self->d.fd,
		 (off_t)self->bo.handle << 32);
	ASSERT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, self->d.fd, 0);
	ASSERT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.fd, 4096);
	ASSERT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.fd, 77ULL << 32);
	ASSERT_EQ(MAP_FAILED, p);
}

TEST_F(bad, gart_map)
{
	struct tessera_gart_map m;
	char *buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct tessera_handle_arg h = { .handle = 12345 };

	ASSERT_NE(MAP_FAILED, buf);
	memset(&m, 0, sizeof(m));
	m.user_ptr = (uintptr_t)buf;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.size = 100;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.size = 4096;
	m.user_ptr = (uintptr_t)buf + 8;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.user_ptr = (uintptr_t)buf;
	m.flags = 2;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.flags = 0;
	m.reserved[0] = 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.reserved[0] = 0;
	m.size = self->d.info.gart_window + 4096;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.size = ~0xfffULL;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.size = 4096;
	m.user_ptr = 0;
	ASSERT_EQ(-EFAULT, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.user_ptr = 0xffffffffff000ULL;	/* kernel half / unmapped */
	ASSERT_NE(0, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	m.user_ptr = (uintptr_t)buf;
	m.size = 8192;
	munmap(buf + 4096, 4096);		/* hole in the range */
	ASSERT_EQ(-EFAULT, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, &m));
	ASSERT_EQ(-ENOENT, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_UNMAP, &h));
	h.pad = 3;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_UNMAP, &h));
	munmap(buf, 4096);
}

TEST_F(bad, submit_args)
{
	struct tessera_submit s;
	uint32_t c[8];
	uint32_t *big;

	tsr_cmd_nop(c);
	memset(&s, 0, sizeof(s));
	s.cmds_ptr = (uintptr_t)c;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.cmds_bytes = 3;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.cmds_bytes = 4;
	s.engine = self->d.info.num_engines;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.engine = 0xffffffff;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.engine = 0;
	s.flags = 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.flags = 0;
	s.pad = 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.pad = 0;
	s.reserved[1] = 9;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.reserved[1] = 0;
	s.cmds_bytes = 0xfffffffc;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.cmds_bytes = self->d.info.max_submit + 4;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.cmds_bytes = 4;
	s.cmds_ptr = 16;
	ASSERT_EQ(-EFAULT, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	s.cmds_ptr = (uintptr_t)c;
	ASSERT_EQ(0, raw_ioctl(self->d.fd, TESSERA_IOCTL_SUBMIT, &s));
	ASSERT_GE(s.fence, 1);
	/* The largest accepted submission works. */
	big = calloc(1, self->d.info.max_submit);
	ASSERT_NE(NULL, big);
	big[0] = TESSERA_CMD(TESSERA_OP_NOP, 0, self->d.info.max_submit / 4);
	ASSERT_EQ(0, tsr_run(&self->d, 0, big, self->d.info.max_submit / 4,
			     WAIT_NS));
	free(big);
}

TEST_F(bad, submit_commands)
{
	uint64_t va = self->bo.gpu_va, win = self->d.info.vram_window;
	uint64_t gart_end = TESSERA_VA_GART + self->d.info.gart_window;
	uint32_t copy_engine = self->d.info.num_engines - 1;
	uint32_t c[16], k;
	int fd = self->d.fd;

#define REJECT(eng, n) ASSERT_EQ(-EINVAL, raw_submit(fd, eng, c, (n) * 4, NULL))
	c[0] = TESSERA_CMD(0x7f, 0, 1);			/* unknown opcode */
	REJECT(0, 1);
	c[0] = TESSERA_CMD(TESSERA_OP_NOP, 0, 0);	/* length 0 */
	REJECT(0, 1);
	c[0] = TESSERA_CMD(TESSERA_OP_NOP, 0, 4);	/* runs past the end */
	REJECT(0, 2);
	c[0] = TESSERA_CMD(TESSERA_OP_NOP, 1, 1);	/* flags */
	REJECT(0, 1);
	k = tsr_cmd_fill(c, va, 64, 0);
	c[0] = TESSERA_CMD(TESSERA_OP_FILL, 0, 6);	/* wrong length */
	REJECT(0, 6);
	k = tsr_cmd_fill(c, va, 6, 0);			/* unaligned size */
	REJECT(0, k);
	k = tsr_cmd_fill(c, va + 2, 8, 0);		/* unaligned dst */
	REJECT(0, k);
	k = tsr_cmd_fill(c, win - 4, 8, 0);		/* past the window */
	REJECT(0, k);
	k = tsr_cmd_fill(c, ~0ULL - 3, 8, 0);		/* overflow */
	REJECT(0, k);
	k = tsr_cmd_fill(c, gart_end - 4, 8, 0);	/* past the GART window */
	REJECT(0, k);
	k = tsr_cmd_fill(c, win, 4, 0);			/* hole between windows */
	REJECT(0, k);
	k = tsr_cmd_copy(c, va, va, TESSERA_MAX_COPY_BYTES + 4);
	REJECT(0, k);
	k = tsr_cmd_axpy(c, va, va + 64, 4, 1);		/* AXPY on copy engine */
	REJECT(copy_engine, k);
	k = tsr_cmd_checksum(c, va, va + 64, 4);
	REJECT(copy_engine, k);
	k = tsr_cmd_axpy(c, va, va + 64, TESSERA_MAX_AXPY_COUNT + 1, 1);
	REJECT(0, k);
	k = tsr_cmd_checksum(c, va + 1, va, 4);
	REJECT(0, k);
	k = tsr_cmd_fence_write(c, va + 4, 1);		/* unaligned fence */
	REJECT(0, k);
	c[0] = TESSERA_CMD(TESSERA_OP_FENCE, TESSERA_FENCE_IRQ, 5);
	REJECT(0, 5);					/* kernel-owned fences */
	/* FENCE without FENCE_WRITE would set the ring's fence (kernel-owned):
	 * a job could claim that later jobs completed.
	 */
	c[0] = TESSERA_CMD(TESSERA_OP_FENCE, 0, 5);
	c[1] = 0xffffffff;
	c[2] = 0xffff;
	c[3] = 0;
	c[4] = 0;
	REJECT(0, 5);
	k = tsr_cmd_batch_end(c);			/* batch-only */
	REJECT(0, k);
	k = tsr_cmd_batch_jump(c, va, 64);
	REJECT(0, k);
	k = tsr_cmd_batch_call(c, va, TESSERA_MAX_BATCH_BYTES + 4);
	REJECT(0, k);
	k = tsr_cmd_batch_call(c, va, 6);
	REJECT(0, k);
	k = tsr_cmd_busy(c, TESSERA_MAX_BUSY_NS + 1);
	REJECT(0, k);
	/* A valid command followed by an invalid one: nothing is run. */
	k = tsr_cmd_fill(c, va, 4, 0x99);
	c[k++] = TESSERA_CMD(0x55, 0, 1);
	REJECT(0, k);
#undef REJECT
}

TEST_F(bad, wait_args)
{
	struct tessera_wait w;
	uint32_t c[4];
	uint64_t f;

	tsr_cmd_nop(c);
	ASSERT_EQ(0, tsr_submit(&self->d, 0, c, 1, &f));
	memset(&w, 0, sizeof(w));
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	w.fence = f + 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	w.fence = f;
	w.timeout_ns = -1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	w.timeout_ns = WAIT_NS;
	w.engine = 99;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	w.engine = 1 % self->d.info.num_engines;
	if (w.engine)	/* nothing submitted on that engine */
		ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	w.engine = 0;
	w.flags = 4;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	w.flags = 0;
	w.reserved[0] = 1;
	ASSERT_EQ(-EINVAL, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	w.reserved[0] = 0;
	w.timeout_ns = INT64_MAX;
	ASSERT_EQ(0, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	/* A pending job with timeout 0 polls. */
	tsr_cmd_busy(c, 2000000000ULL);
	ASSERT_EQ(0, tsr_submit(&self->d, 0, c, TESSERA_BUSY_LEN, &f));
	w.fence = f;
	w.timeout_ns = 0;
	ASSERT_EQ(-ETIMEDOUT, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
	w.timeout_ns = 1000000;
	ASSERT_EQ(-ETIMEDOUT, raw_ioctl(self->d.fd, TESSERA_IOCTL_WAIT, &w));
}

TEST(fault_info_empty)
{
	struct tsr_dev d;
	struct tessera_fault f;

	ASSERT_EQ(0, native_open(&d));
	ASSERT_EQ(0, tsr_get_fault(&d, &f));
	ASSERT_EQ(0, f.flags);
	ASSERT_EQ(0, f.count);
	tsr_close(&d);
}

TEST_HARNESS_MAIN
