/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * libtessera: a thin userspace library over the Tessera native interface
 * (include/uapi/linux/tessera.h). Functions return 0 or a negative errno.
 */
#ifndef LIBTESSERA_H
#define LIBTESSERA_H

#include <stddef.h>
#include <stdint.h>
#include <linux/tessera.h>
#include <tessera/tessera_regs.h>

struct tsr_dev {
	int fd;
	struct tessera_info info;
};

struct tsr_bo {
	uint32_t handle;
	uint64_t size;		/* bytes reserved */
	uint64_t gpu_va;
	void *map;		/* CPU mapping (BAR2), or NULL */
};

int tsr_open(struct tsr_dev *dev, const char *path);	/* NULL: /dev/tessera0 */
void tsr_close(struct tsr_dev *dev);
int tsr_bo_alloc(struct tsr_dev *dev, uint64_t size, struct tsr_bo *bo);
int tsr_bo_map(struct tsr_dev *dev, struct tsr_bo *bo);
int tsr_bo_free(struct tsr_dev *dev, struct tsr_bo *bo);
int tsr_gart_map(struct tsr_dev *dev, void *ptr, uint64_t size, int readonly,
		 uint32_t *handle, uint64_t *gpu_va);
int tsr_gart_unmap(struct tsr_dev *dev, uint32_t handle);
int tsr_submit(struct tsr_dev *dev, uint32_t engine, const uint32_t *cmds,
	       uint32_t ndw, uint64_t *fence);
int tsr_wait(struct tsr_dev *dev, uint32_t engine, uint64_t fence,
	     int64_t timeout_ns);
int tsr_run(struct tsr_dev *dev, uint32_t engine, const uint32_t *cmds,
	    uint32_t ndw, int64_t timeout_ns);	/* submit + wait */
int tsr_get_fault(struct tsr_dev *dev, struct tessera_fault *fault);
void *tsr_map_doorbell(struct tsr_dev *dev);

/* Command encoders: write the command at @p, return the dwords written. */
uint32_t tsr_cmd_nop(uint32_t *p);
uint32_t tsr_cmd_fence_write(uint32_t *p, uint64_t addr, uint64_t value);
uint32_t tsr_cmd_copy(uint32_t *p, uint64_t dst, uint64_t src, uint32_t bytes);
uint32_t tsr_cmd_fill(uint32_t *p, uint64_t dst, uint32_t bytes,
		      uint32_t pattern);
uint32_t tsr_cmd_axpy(uint32_t *p, uint64_t y, uint64_t x, uint32_t count,
		      uint32_t a);
uint32_t tsr_cmd_checksum(uint32_t *p, uint64_t dst, uint64_t src,
			  uint32_t bytes);
uint32_t tsr_cmd_batch_call(uint32_t *p, uint64_t addr, uint32_t bytes);
uint32_t tsr_cmd_batch_jump(uint32_t *p, uint64_t addr, uint32_t bytes);
uint32_t tsr_cmd_batch_end(uint32_t *p);
uint32_t tsr_cmd_busy(uint32_t *p, uint64_t ns);

uint32_t tsr_fnv1a(const void *buf, size_t len);
const char *tsr_fault_name(uint32_t code);

#endif /* LIBTESSERA_H */
