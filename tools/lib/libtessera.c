// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libtessera: thin wrapper over the Tessera native ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libtessera.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;

	do {
		r = ioctl(fd, req, arg);
	} while (r < 0 && (errno == EINTR || errno == EAGAIN));
	return r < 0 ? -errno : 0;
}

int tsr_open(struct tsr_dev *dev, const char *path)
{
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->fd = open(path ? path : "/dev/tessera0", O_RDWR | O_CLOEXEC);
	if (dev->fd < 0)
		return -errno;
	ret = xioctl(dev->fd, TESSERA_IOCTL_INFO, &dev->info);
	if (ret) {
		close(dev->fd);
		dev->fd = -1;
	}
	return ret;
}

void tsr_close(struct tsr_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

int tsr_bo_alloc(struct tsr_dev *dev, uint64_t size, struct tsr_bo *bo)
{
	struct tessera_bo_alloc a = { .size = size };
	int ret;

	memset(bo, 0, sizeof(*bo));
	ret = xioctl(dev->fd, TESSERA_IOCTL_BO_ALLOC, &a);
	if (ret)
		return ret;
	bo->handle = a.handle;
	bo->size = a.alloc_size;
	bo->gpu_va = a.gpu_va;
	bo->map = NULL;
	return 0;
}

int tsr_bo_map(struct tsr_dev *dev, struct tsr_bo *bo)
{
	void *p = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       dev->fd, (off_t)((uint64_t)bo->handle << 32));

	if (p == MAP_FAILED)
		return -errno;
	bo->map = p;
	return 0;
}

int tsr_bo_free(struct tsr_dev *dev, struct tsr_bo *bo)
{
	struct tessera_handle_arg h = { .handle = bo->handle };

	if (bo->map)
		munmap(bo->map, bo->size);
	bo->map = NULL;
	return xioctl(dev->fd, TESSERA_IOCTL_BO_FREE, &h);
}

int tsr_gart_map(struct tsr_dev *dev, void *ptr, uint64_t size, int readonly,
		 uint32_t *handle, uint64_t *gpu_va)
{
	struct tessera_gart_map m = {
		.user_ptr = (uintptr_t)ptr,
		.size = size,
		.flags = readonly ? TESSERA_GART_MAP_READONLY : 0,
	};
	int ret = xioctl(dev->fd, TESSERA_IOCTL_GART_MAP, &m);

	if (ret)
		return ret;
	*handle = m.handle;
	*gpu_va = m.gpu_va;
	return 0;
}

int tsr_gart_unmap(struct tsr_dev *dev, uint32_t handle)
{
	struct tessera_handle_arg h = { .handle = handle };

	return xioctl(dev->fd, TESSERA_IOCTL_GART_UNMAP, &h);
}

int tsr_submit(struct tsr_dev *dev, uint32_t engine, const uint32_t *cmds,
	       uint32_t ndw, uint64_t *fence)
{
	struct tessera_submit s = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmds_bytes = ndw * 4,
		.engine = engine,
	};
	int ret;

	/* Flush write-combined stores to buffers the commands read. */
	__sync_synchronize();
	ret = xioctl(dev->fd, TESSERA_IOCTL_SUBMIT, &s);
	if (!ret && fence)
		*fence = s.fence;
	return ret;
}

int tsr_wait(struct tsr_dev *dev, uint32_t engine, uint64_t fence,
	     int64_t timeout_ns)
{
	struct tessera_wait w = {
		.fence = fence,
		.timeout_ns = timeout_ns,
		.engine = engine,
	};
	int r;

	do {
		r = ioctl(dev->fd, TESSERA_IOCTL_WAIT, &w);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

int tsr_run(struct tsr_dev *dev, uint32_t engine, const uint32_t *cmds,
	    uint32_t ndw, int64_t timeout_ns)
{
	uint64_t fence;
	int ret = tsr_submit(dev, engine, cmds, ndw, &fence);

	return ret ? ret : tsr_wait(dev, engine, fence, timeout_ns);
}

int tsr_get_fault(struct tsr_dev *dev, struct tessera_fault *fault)
{
	memset(fault, 0, sizeof(*fault));
	return xioctl(dev->fd, TESSERA_IOCTL_GET_FAULT, fault);
}

void *tsr_map_doorbell(struct tsr_dev *dev)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		       (off_t)dev->info.doorbell_offset);

	return p == MAP_FAILED ? NULL : p;
}

#define LO(x) ((uint32_t)(x))
#define HI(x) ((uint32_t)((uint64_t)(x) >> 32))

uint32_t tsr_cmd_nop(uint32_t *p)
{
	p[0] = TESSERA_CMD(TESSERA_OP_NOP, 0, 1);
	return 1;
}

uint32_t tsr_cmd_fence_write(uint32_t *p, uint64_t addr, uint64_t value)
{
	p[0] = TESSERA_CMD(TESSERA_OP_FENCE, TESSERA_FENCE_WRITE,
			   TESSERA_FENCE_LEN);
	p[1] = LO(value);
	p[2] = HI(value);
	p[3] = LO(addr);
	p[4] = HI(addr);
	return TESSERA_FENCE_LEN;
}

uint32_t tsr_cmd_copy(uint32_t *p, uint64_t dst, uint64_t src, uint32_t bytes)
{
	p[0] = TESSERA_CMD(TESSERA_OP_COPY, 0, TESSERA_COPY_LEN);
	p[1] = LO(dst);
	p[2] = HI(dst);
	p[3] = LO(src);
	p[4] = HI(src);
	p[5] = bytes;
	return TESSERA_COPY_LEN;
}

uint32_t tsr_cmd_fill(uint32_t *p, uint64_t dst, uint32_t bytes,
		      uint32_t pattern)
{
	p[0] = TESSERA_CMD(TESSERA_OP_FILL, 0, TESSERA_FILL_LEN);
	p[1] = LO(dst);
	p[2] = HI(dst);
	p[3] = bytes;
	p[4] = pattern;
	return TESSERA_FILL_LEN;
}

uint32_t tsr_cmd_axpy(uint32_t *p, uint64_t y, uint64_t x, uint32_t count,
		      uint32_t a)
{
	p[0] = TESSERA_CMD(TESSERA_OP_AXPY, 0, TESSERA_AXPY_LEN);
	p[1] = LO(y);
	p[2] = HI(y);
	p[3] = LO(x);
	p[4] = HI(x);
	p[5] = count;
	p[6] = a;
	return TESSERA_AXPY_LEN;
}

uint32_t tsr_cmd_checksum(uint32_t *p, uint64_t dst, uint64_t src,
			  uint32_t bytes)
{
	p[0] = TESSERA_CMD(TESSERA_OP_CHECKSUM, 0, TESSERA_CHECKSUM_LEN);
	p[1] = LO(dst);
	p[2] = HI(dst);
	p[3] = LO(src);
	p[4] = HI(src);
	p[5] = bytes;
	return TESSERA_CHECKSUM_LEN;
}

static uint32_t batch_op(uint32_t *p, uint32_t op, uint64_t addr,
			 uint32_t bytes)
{
	p[0] = TESSERA_CMD(op, 0, TESSERA_BATCH_CALL_LEN);
	p[1] = LO(addr);
	p[2] = HI(addr);
	p[3] = bytes;
	return TESSERA_BATCH_CALL_LEN;
}

uint32_t tsr_cmd_batch_call(uint32_t *p, uint64_t addr, uint32_t bytes)
{
	return batch_op(p, TESSERA_OP_BATCH_CALL, addr, bytes);
}

uint32_t tsr_cmd_batch_jump(uint32_t *p, uint64_t addr, uint32_t bytes)
{
	return batch_op(p, TESSERA_OP_BATCH_JUMP, addr, bytes);
}

uint32_t tsr_cmd_batch_end(uint32_t *p)
{
	p[0] = TESSERA_CMD(TESSERA_OP_BATCH_END, 0, 1);
	return 1;
}

uint32_t tsr_cmd_busy(uint32_t *p, uint64_t ns)
{
	p[0] = TESSERA_CMD(TESSERA_OP_BUSY, 0, TESSERA_BUSY_LEN);
	p[1] = LO(ns);
	p[2] = HI(ns);
	return TESSERA_BUSY_LEN;
}

uint32_t tsr_fnv1a(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	uint32_t h = TESSERA_FNV1A_INIT;

	while (len--) {
		h ^= *b++;
		h *= TESSERA_FNV1A_PRIME;
	}
	return h;
}

const char *tsr_fault_name(uint32_t code)
{
	static const char *const names[] = {
		"none", "vram-range", "gart-range", "gart-invalid",
		"gart-readonly", "bad-opcode", "bad-length", "bad-align",
		"bad-address", "bad-nesting", "bad-context", "dma-error",
		"bad-ring",
	};

	if (code == TESSERA_FAULT_HANG)
		return "hang";
	if (code == TESSERA_FAULT_PREEMPT_TIMEOUT)
		return "preempt-timeout";
	return code < ARRAY_SIZE(names) ? names[code] : "?";
}
