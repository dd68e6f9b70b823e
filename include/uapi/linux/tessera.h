/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Tessera native interface: one character device per GPU, /dev/tesseraN.
 *
 * Every open file is one client with its own hardware context: a VRAM
 * window (GPU VA [0, vram_window)), a GART window (GPU VA
 * [TESSERA_VA_GART, + gart_window), see <tessera/tessera_regs.h>) and one
 * ring per engine inside the VRAM window, scheduled with the other clients.
 *
 * All structures have a fixed size, explicit padding, 64-bit user pointers
 * (__u64), and reserved fields that must be zero. Unknown flags are
 * rejected with -EINVAL. See Documentation/dev/native-interface.rst.
 *
 * mmap offsets: TESSERA_MMAP_DOORBELL (0) maps the context's doorbell page
 * (one page, BAR4); a buffer's mmap_offset maps (a part of) the buffer's
 * slice of VRAM (BAR2). Buffer mappings are revoked when the buffer is
 * freed (later accesses get SIGBUS).
 */
#ifndef _UAPI_LINUX_TESSERA_H
#define _UAPI_LINUX_TESSERA_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TESSERA_UAPI_VERSION		1

#define TESSERA_MAX_ENGINES_UAPI	8

/* struct tessera_info.flags */
#define TESSERA_INFO_VIRTUAL		(1u << 0)	/* driving a vGPU */

/**
 * struct tessera_info - TESSERA_IOCTL_INFO: device and context facts
 * @uapi_version: TESSERA_UAPI_VERSION
 * @hw_version: REG_VERSION
 * @hw_caps: REG_CAPS
 * @flags: TESSERA_INFO_*
 * @num_engines: engines; engine numbers are 0 .. num_engines - 1
 * @num_compute: compute engines (0 .. num_compute - 1)
 * @num_contexts: hardware contexts of the device
 * @ctx_id: this file's hardware context
 * @vram_size: VRAM of the device, bytes
 * @vram_window: this context's VRAM window, bytes (GPU VA 0 ..)
 * @vram_free: bytes of the window not yet allocated to buffers or rings
 * @gart_va: GPU VA of the GART window (TESSERA_VA_GART)
 * @gart_window: this context's GART window, bytes
 * @gart_entries: GART entries of the device
 * @ring_size: bytes of each of this context's rings
 * @max_submit: largest command buffer accepted by TESSERA_IOCTL_SUBMIT
 * @engine_class: TESSERA_ENG_CLASS_* of each engine
 * @doorbell_offset: mmap offset of this context's doorbell page
 * @reserved: zero
 */
struct tessera_info {
	__u32 uapi_version;
	__u32 hw_version;
	__u32 hw_caps;
	__u32 flags;
	__u32 num_engines;
	__u32 num_compute;
	__u32 num_contexts;
	__u32 ctx_id;
	__u64 vram_size;
	__u64 vram_window;
	__u64 vram_free;
	__u64 gart_va;
	__u64 gart_window;
	__u32 gart_entries;
	__u32 ring_size;
	__u32 max_submit;
	__u32 pad;
	__u32 engine_class[TESSERA_MAX_ENGINES_UAPI];
	__u64 doorbell_offset;
	__u64 reserved[4];
};

/**
 * struct tessera_bo_alloc - TESSERA_IOCTL_BO_ALLOC: allocate VRAM
 * @size: in: bytes (> 0); the buffer takes a power-of-two number of pages
 * @flags: in: 0
 * @handle: out: buffer handle
 * @gpu_va: out: GPU VA of the buffer in this context
 * @mmap_offset: out: offset to mmap the buffer at
 * @alloc_size: out: bytes actually reserved (and mappable)
 * @reserved: zero
 *
 * The buffer is zeroed before it is returned.
 */
struct tessera_bo_alloc {
	__u64 size;
	__u32 flags;
	__u32 handle;
	__u64 gpu_va;
	__u64 mmap_offset;
	__u64 alloc_size;
	__u64 reserved[2];
};

/**
 * struct tessera_handle_arg - TESSERA_IOCTL_BO_FREE, TESSERA_IOCTL_GART_UNMAP
 * @handle: buffer or mapping handle
 * @pad: zero
 */
struct tessera_handle_arg {
	__u32 handle;
	__u32 pad;
};

/* struct tessera_gart_map.flags */
#define TESSERA_GART_MAP_READONLY	(1u << 0)	/* engines may not write */

/**
 * struct tessera_gart_map - TESSERA_IOCTL_GART_MAP: map user memory
 * @user_ptr: in: page-aligned address of the memory
 * @size: in: bytes, a non-zero multiple of 4096
 * @flags: in: TESSERA_GART_MAP_*
 * @handle: out: mapping handle
 * @gpu_va: out: GPU VA of the first byte (inside the GART window)
 * @reserved: zero
 *
 * The pages are pinned and DMA-mapped until TESSERA_IOCTL_GART_UNMAP or
 * close.
 */
struct tessera_gart_map {
	__u64 user_ptr;
	__u64 size;
	__u32 flags;
	__u32 handle;
	__u64 gpu_va;
	__u64 reserved[2];
};

/**
 * struct tessera_submit - TESSERA_IOCTL_SUBMIT: run commands on an engine
 * @cmds_ptr: in: user address of the commands (little-endian dwords)
 * @cmds_bytes: in: bytes, a multiple of 4, 4 .. tessera_info.max_submit
 * @engine: in: engine number
 * @flags: in: 0
 * @pad: zero
 * @fence: out: fence seqno of this job on @engine (monotonic per engine)
 * @reserved: zero
 *
 * The kernel copies the commands, validates them (opcodes, lengths, flags,
 * alignment, operands inside the context's windows; FENCE only with
 * TESSERA_FENCE_WRITE; no batch-only opcodes), places them into the
 * context's ring followed by its own fence, and returns. Commands inside a
 * batch (BATCH_CALL) are checked by the device only: a bad one faults the
 * context, see TESSERA_IOCTL_GET_FAULT.
 */
struct tessera_submit {
	__u64 cmds_ptr;
	__u32 cmds_bytes;
	__u32 engine;
	__u32 flags;
	__u32 pad;
	__u64 fence;
	__u64 reserved[2];
};

/**
 * struct tessera_wait - TESSERA_IOCTL_WAIT: wait for a fence
 * @fence: in: a fence returned by TESSERA_IOCTL_SUBMIT on @engine
 * @timeout_ns: in: relative timeout; 0 polls; must not be negative
 * @engine: in: engine number
 * @flags: in: 0
 * @reserved: zero
 *
 * Return: 0 when the job completed, -ETIMEDOUT, -EIO when the job was
 * discarded by a fault of this context, -EINTR/-ERESTARTSYS on a signal.
 */
struct tessera_wait {
	__u64 fence;
	__s64 timeout_ns;
	__u32 engine;
	__u32 flags;
	__u64 reserved[2];
};

/* struct tessera_fault.flags */
#define TESSERA_FAULT_VALID		(1u << 0)	/* a fault was recorded */
#define TESSERA_FAULT_UNREAD		(1u << 1)	/* new since last read */

/* struct tessera_fault.code: driver-detected faults, beyond the hardware's */
#define TESSERA_FAULT_HANG		0x100	/* no ring progress: reset */
#define TESSERA_FAULT_PREEMPT_TIMEOUT	0x101	/* did not stop in time: reset */

/**
 * struct tessera_fault - TESSERA_IOCTL_GET_FAULT: last fault of the context
 * @flags: out: TESSERA_FAULT_*
 * @engine: out: engine that faulted
 * @code: out: TESSERA_FAULT_* code of <tessera/tessera_regs.h>, or
 *        TESSERA_FAULT_HANG / TESSERA_FAULT_PREEMPT_TIMEOUT (the scheduler
 *        reset the context on that engine, Documentation/dev/scheduler.rst)
 * @pad: zero
 * @addr: out: faulting GPU VA
 * @count: out: faults of this context so far
 * @first_fence: out: first fence discarded by the fault
 * @last_fence: out: last fence discarded by the fault
 * @reserved: zero
 *
 * Reading clears TESSERA_FAULT_UNREAD (and EPOLLPRI).
 */
struct tessera_fault {
	__u32 flags;
	__u32 engine;
	__u32 code;
	__u32 pad;
	__u64 addr;
	__u64 count;
	__u64 first_fence;
	__u64 last_fence;
	__u64 reserved[2];
};

#define TESSERA_MMAP_DOORBELL		0ULL

#define TESSERA_IOCTL_MAGIC		0xE5
#define TESSERA_IOCTL_INFO	_IOR(TESSERA_IOCTL_MAGIC, 0x00, struct tessera_info)
#define TESSERA_IOCTL_BO_ALLOC	_IOWR(TESSERA_IOCTL_MAGIC, 0x01, struct tessera_bo_alloc)
#define TESSERA_IOCTL_BO_FREE	_IOW(TESSERA_IOCTL_MAGIC, 0x02, struct tessera_handle_arg)
#define TESSERA_IOCTL_GART_MAP	_IOWR(TESSERA_IOCTL_MAGIC, 0x03, struct tessera_gart_map)
#define TESSERA_IOCTL_GART_UNMAP _IOW(TESSERA_IOCTL_MAGIC, 0x04, struct tessera_handle_arg)
#define TESSERA_IOCTL_SUBMIT	_IOWR(TESSERA_IOCTL_MAGIC, 0x05, struct tessera_submit)
#define TESSERA_IOCTL_WAIT	_IOW(TESSERA_IOCTL_MAGIC, 0x06, struct tessera_wait)
#define TESSERA_IOCTL_GET_FAULT	_IOR(TESSERA_IOCTL_MAGIC, 0x07, struct tessera_fault)

#endif /* _UAPI_LINUX_TESSERA_H */
