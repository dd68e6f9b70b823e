// SPDX-License-Identifier: GPL-2.0
/*
 * Native interface: ioctl arguments that live in the device's own memory.
 *
 * The fault handler of a BO mapping takes the locks of the device; an
 * ioctl whose argument lies in a BO mapping that is not yet faulted in
 * faults while the ioctl runs. The driver must copy its arguments in and
 * out without holding those locks (a lockdep kernel reports "possible
 * recursive locking" or a circular dependency otherwise, and with a
 * removal queued in between it is a real deadlock). The debug stage of
 * make check runs these on a lockdep kernel; elsewhere they check the
 * results.
 */
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "native-common.h"

FIXTURE(inbo) {
	struct tsr_dev d;
	struct tsr_bo bo;
	void *second;	/* a second mapping of @bo, never touched before */
};

FIXTURE_SETUP(inbo)
{
	ASSERT_EQ(0, native_open(&self->d));
	ASSERT_EQ(0, tsr_bo_alloc(&self->d, 2 * 4096, &self->bo));
	ASSERT_EQ(0, tsr_bo_map(&self->d, &self->bo));
	self->second = mmap(NULL, self->bo.size, PROT_READ | PROT_WRITE,
			    MAP_SHARED, self->d.fd,
			    (off_t)((uint64_t)self->bo.handle << 32));
	ASSERT_NE(MAP_FAILED, self->second);
}

FIXTURE_TEARDOWN(inbo)
{
	munmap(self->second, self->bo.size);
	tsr_bo_free(&self->d, &self->bo);
	tsr_close(&self->d);
}

/* TESSERA_IOCTL_INFO writes its result into an unfaulted BO page. */
TEST_F(inbo, info_out)
{
	struct tessera_info *info = self->second;

	ASSERT_EQ(0, raw_ioctl(self->d.fd, TESSERA_IOCTL_INFO, info));
	ASSERT_EQ(TESSERA_UAPI_VERSION, info->uapi_version);
	ASSERT_EQ(self->d.info.ctx_id, info->ctx_id);
	ASSERT_EQ(self->d.info.vram_window, info->vram_window);
}

/* The same for every ioctl that reads and writes its argument. */
TEST_F(inbo, bo_alloc_inout)
{
	struct tessera_bo_alloc *a = (void *)((char *)self->second + 4096);
	struct tessera_handle_arg h = {};

	/* Through the first mapping: faults the page of that mapping only. */
	memset((char *)self->bo.map + 4096, 0, sizeof(*a));
	((struct tessera_bo_alloc *)((char *)self->bo.map + 4096))->size = 4096;
	ASSERT_EQ(0, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_ALLOC, a));
	ASSERT_NE(0, a->gpu_va);
	h.handle = a->handle;
	ASSERT_EQ(0, raw_ioctl(self->d.fd, TESSERA_IOCTL_BO_FREE, &h));
}

/* Commands read from an unfaulted BO page. */
TEST_F(inbo, submit_cmds)
{
	uint32_t *cmds = self->bo.map, *unfaulted = self->second;
	struct tsr_bo dst;
	uint32_t k;
	uint64_t fence;

	ASSERT_EQ(0, tsr_bo_alloc(&self->d, 4096, &dst));
	ASSERT_EQ(0, tsr_bo_map(&self->d, &dst));
	k = tsr_cmd_fill(cmds, dst.gpu_va, 64, 0x5a5a5a5a);
	ASSERT_EQ(0, raw_submit(self->d.fd, 0, unfaulted, k * 4, &fence));
	ASSERT_EQ(0, tsr_wait(&self->d, 0, fence, WAIT_NS));
	ASSERT_EQ(0x5a5a5a5a, ((volatile uint32_t *)dst.map)[15]);
	tsr_bo_free(&self->d, &dst);
}

/*
 * Pinning user memory (GART_MAP) takes the mm's lock, and a BO fault
 * takes the device's under it: the ioctl must pin without the device's
 * lock held. Pinning a BO mapping itself is refused (it is I/O memory).
 */
TEST_F(inbo, gart_map_and_bo_fault)
{
	struct tessera_gart_map *m = self->second;
	uint32_t handle;
	uint64_t va;
	void *buf;

	buf = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 1, 4 * 4096);
	ASSERT_EQ(0, tsr_gart_map(&self->d, buf, 4 * 4096, 0, &handle, &va));
	/* A fault of the BO mapping after a pin, in the same process. */
	memset(m, 0, sizeof(*m));
	m->user_ptr = (uintptr_t)buf;
	m->size = 4096;
	ASSERT_EQ(0, raw_ioctl(self->d.fd, TESSERA_IOCTL_GART_MAP, m));
	ASSERT_EQ(0, tsr_gart_unmap(&self->d, m->handle));
	ASSERT_EQ(0, tsr_gart_unmap(&self->d, handle));
	/* The BO mapping itself cannot be pinned. */
	ASSERT_EQ(-EFAULT, tsr_gart_map(&self->d, self->second, 4096, 0,
					&handle, &va));
	munmap(buf, 4 * 4096);
}

/* VmPin of /proc/self/status in KiB, or -1. */
static long vm_pin_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Drops CAP_IPC_LOCK from the effective set of this process. */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &h, d) ? -1 : 0;
}

/*
 * GART pins are charged to the process's pinned_vm (VmPin), not through
 * account_locked_vm(), whose mmap_write_lock under hw_sem (on unmap)
 * closes a cycle with the BO fault handler (mmap_lock, then hw_sem).
 * They count against RLIMIT_MEMLOCK without CAP_IPC_LOCK: ENOMEM over it.
 */
TEST_F(inbo, gart_pins_charged_to_pinned_vm)
{
	const size_t len = 16 * 4096;
	uint32_t handle;
	uint64_t va;
	long before;
	int status;
	pid_t pid;
	void *buf;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 1, len);
	before = vm_pin_kib();
	ASSERT_LE(0, before);
	ASSERT_EQ(0, tsr_gart_map(&self->d, buf, len, 0, &handle, &va));
	ASSERT_EQ(before + (long)(len >> 10), vm_pin_kib());
	/* The unmap runs the release under hw_sem; a fault follows. */
	ASSERT_EQ(0, tsr_gart_unmap(&self->d, handle));
	ASSERT_EQ(before, vm_pin_kib());
	((volatile char *)self->second)[0] = 1;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct rlimit rl = { 8 * 4096, 8 * 4096 };

		if (drop_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(10);
		if (tsr_gart_map(&self->d, buf, len, 0, &handle, &va) !=
		    -ENOMEM)
			_exit(11);
		if (vm_pin_kib() != 0)
			_exit(12);
		if (tsr_gart_map(&self->d, buf, 4 * 4096, 0, &handle, &va))
			_exit(13);
		if (tsr_gart_unmap(&self->d, handle))
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("child step %d failed", WEXITSTATUS(status));
		TH_LOG("10 setup, 11 map over the limit not ENOMEM, 12 VmPin");
		TH_LOG("13 map within the limit, 14 unmap");
	}
	munmap(buf, len);
}

TEST_HARNESS_MAIN
