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

/*
 * Administration through sysfs (libtessera-sysfs.c): the GPUs bound to
 * tessera.ko (/sys/bus/pci/drivers/tessera/), their vGPUs
 * (/sys/bus/mdev/devices/UUID/tessera/) and their scheduler knobs
 * (<PCI device>/sched/). Nothing here needs a /dev/tesseraN.
 */
#define TSR_SYSFS_PCI_DRV	"/sys/bus/pci/drivers/tessera"
#define TSR_SYSFS_MDEV		"/sys/bus/mdev/devices"
#define TSR_MAX_GPUS		16
#define TSR_MAX_VGPUS		256

struct tsr_gpu {
	char bdf[32];			/* 0000:00:03.0 */
	char path[320];			/* /sys/bus/pci/devices/<bdf> */
	char name[32];			/* tessera0 */
	int index;			/* the N of tesseraN, -1 if unknown */
	char mode[16];			/* physical | virtual */
	char hw_version[16];
	int has_mdev;			/* offers vGPU types */
	unsigned int num_engines, num_compute, num_copy;
	char engine_class[TESSERA_MAX_ENGINES][12];
	unsigned int num_contexts, contexts_in_use;
	uint64_t vram_size, vram_used, vram_free, vram_largest_free;
	uint64_t gart_entries, gart_used, gart_largest_free;	/* entries */
	uint64_t busy_ns[TESSERA_MAX_ENGINES];	/* ENG_BUSY_NS counters */
	uint64_t t_ns;			/* CLOCK_MONOTONIC of the sample */
};

struct tsr_vgpu {
	char uuid[40];
	char path[320];			/* /sys/bus/mdev/devices/<uuid> */
	char parent[32];		/* the GPU's PCI address */
	char type[32];			/* tessera-8m */
	char state[16];			/* closed | open | error */
	unsigned int hw_context, weight, num_engines;
	uint64_t vram_size, gart_entries, faults, resets, irqs, csr_traps;
	uint64_t gart_errors;
	uint64_t irq_storms;		/* slices over the interrupt budget */
	uint64_t runtime_ns[TESSERA_MAX_ENGINES];	/* busy per engine */
	uint64_t t_ns;
};

struct tsr_vgpu_type {
	char id[40];			/* tessera-8m */
	char name[64];			/* Tessera vGPU 8M */
	char description[160];
	unsigned int available;
	unsigned int vram_mb, gart_entries, weight;
};

int tsr_sysfs_read(const char *path, char *buf, size_t len);	/* chomps */
int tsr_sysfs_read_u64(const char *path, uint64_t *v);
int tsr_sysfs_write(const char *path, const char *val);
uint64_t tsr_now_ns(void);			/* CLOCK_MONOTONIC */

int tsr_gpu_list(struct tsr_gpu *gpus, int max);	/* count or -errno */
int tsr_gpu_find(const char *bdf, struct tsr_gpu *gpu);	/* NULL: first */
int tsr_gpu_sample(struct tsr_gpu *gpu);		/* re-read counters */
int tsr_vgpu_list(const char *parent, struct tsr_vgpu *vgpus, int max);
int tsr_vgpu_find(const char *uuid, struct tsr_vgpu *vgpu);
int tsr_vgpu_sample(struct tsr_vgpu *vgpu);
int tsr_type_list(const struct tsr_gpu *gpu, struct tsr_vgpu_type *types,
		  int max);
int tsr_type_get(const struct tsr_gpu *gpu, const char *type,
		 struct tsr_vgpu_type *t);	/* "8m" or "tessera-8m" */
int tsr_vgpu_create(const struct tsr_gpu *gpu, const char *type,
		    const char *uuid);
int tsr_vgpu_remove(const char *uuid);
int tsr_uuid_gen(char *uuid, size_t len);
int tsr_sched_read(const struct tsr_gpu *gpu, const char *knob, char *buf,
		   size_t len);
int tsr_sched_write(const struct tsr_gpu *gpu, const char *knob,
		    const char *val);

#endif /* LIBTESSERA_H */
