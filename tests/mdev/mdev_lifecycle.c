// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_lifecycle: removing an open vGPU through the VFIO request path
 * (with and without a request eventfd), INTx (auto-masked, unmask) and MSI
 * delivery, IRQ type switching rules, PREEMPT of a busy ring and resume,
 * the guest's context seen only as context 0.
 */
#include <linux/pci_regs.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "mdev-common.h"
#include "vgpu-fixture.h"

/* SET_IRQS with one eventfd (or -1) for vector @start of @index. */
static int set_irq_fd_at(struct tess_dev *t, u32 index, u32 action, u32 start,
			 int fd)
{
	struct {
		struct vfio_irq_set s;
		int fd;
	} set = {
		.s = {
			.argsz = sizeof(set),
			.flags = VFIO_IRQ_SET_DATA_EVENTFD | action,
			.index = index,
			.start = start,
			.count = 1,
		},
		.fd = fd,
	};

	return ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set) ? -errno : 0;
}

static int set_irq_fd(struct tess_dev *t, u32 index, u32 action, int fd)
{
	return set_irq_fd_at(t, index, action, 0, fd);
}

static int set_irq_none(struct tess_dev *t, u32 index, u32 action, u32 count)
{
	struct vfio_irq_set s = {
		.argsz = sizeof(s),
		.flags = VFIO_IRQ_SET_DATA_NONE | action,
		.index = index,
		.start = 0,
		.count = count,
	};

	return ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &s) ? -errno : 0;
}

static int wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	u64 v;

	if (poll(&p, 1, ms) != 1)
		return 0;
	return read(fd, &v, 8) == 8 ? (int)v : 0;
}

/*
 * Remove the mdev from a child process. The child first drops its
 * inherited copies of the device (mmaps and fds): otherwise it would wait
 * for itself to release the device.
 */
static pid_t remove_in_child(struct tess_dev *t, const char *uuid)
{
	pid_t pid = fork();
	unsigned int i;

	if (pid)
		return pid;
	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++)
		if (t->vfio.regions[i].map)
			munmap(t->vfio.regions[i].map, t->vfio.regions[i].size);
	close(t->vfio.device_fd);
	close(t->vfio.group_fd);
	close(t->vfio.container_fd);
	for (i = 0; i < t->vfio.nr_irqfds; i++)
		close(t->vfio.irqfd[i]);
	_exit(mdev_remove(uuid) ? 1 : 0);
}

FIXTURE(life) {
	struct vgpu_fix v;
	struct tess_ring r;
};

FIXTURE_SETUP(life)
{
	if (!vgpu_fix_open(_metadata, &self->v))
		return;
	ASSERT_EQ(0, vgpu_setup(&self->v.t, &self->r, 0, 0));
}

FIXTURE_TEARDOWN(life)
{
	vgpu_fix_close(&self->v);
}

TEST_F(life, remove_open_vgpu_through_request)
{
	int efd = eventfd(0, EFD_CLOEXEC), status;
	pid_t pid;

	ASSERT_GE(efd, 0);
	ASSERT_EQ(0, set_irq_fd(&self->v.t, VFIO_PCI_REQ_IRQ_INDEX,
				VFIO_IRQ_SET_ACTION_TRIGGER, efd));
	pid = remove_in_child(&self->v.t, self->v.uuid);
	ASSERT_GE(pid, 0);
	/* The kernel asks us to let go... */
	ASSERT_GT(wait_fd(efd, TIMEOUT_MS), 0);
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));	/* still waiting */
	/* ...and the removal completes once we do. */
	tess_close(&self->v.t);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_FALSE(mdev_exists(self->v.uuid));
	close(efd);
}

TEST_F(life, remove_open_vgpu_without_request_eventfd)
{
	int fd = kmsg_mark(), status;
	pid_t pid;

	pid = remove_in_child(&self->v.t, self->v.uuid);
	ASSERT_GE(pid, 0);
	usleep(500000);
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));	/* still waiting */
	EXPECT_EQ(1, kmsg_count(fd, "no request eventfd"));
	/* The vGPU still works meanwhile. */
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 3));
	tess_close(&self->v.t);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_FALSE(mdev_exists(self->v.uuid));
	if (fd >= 0)
		close(fd);
}

TEST_F(life, intx_automask_and_unmask)
{
	struct tess_dev *t = &self->v.t;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	u32 st;

	ASSERT_GE(efd, 0);
	ASSERT_EQ(0, set_irq_fd(t, VFIO_PCI_INTX_IRQ_INDEX,
				VFIO_IRQ_SET_ACTION_TRIGGER, efd));
	/* MSI-X cannot be enabled while INTx is. */
	EXPECT_EQ(-EINVAL, set_irq_fd(t, VFIO_PCI_MSIX_IRQ_INDEX,
				      VFIO_IRQ_SET_ACTION_TRIGGER, efd));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 1));
	EXPECT_EQ(1, wait_fd(efd, 5000));
	ASSERT_EQ(0, vfio_config_read(&t->vfio, PCI_STATUS, &st, 2));
	EXPECT_TRUE(st & PCI_STATUS_INTERRUPT);
	/* Auto-masked: a second fence does not fire. */
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 2));
	EXPECT_EQ(0, wait_fd(efd, 300));
	/* Unmask while still asserted: fires again at once. */
	ASSERT_EQ(0, set_irq_none(t, VFIO_PCI_INTX_IRQ_INDEX,
				  VFIO_IRQ_SET_ACTION_UNMASK, 1));
	EXPECT_EQ(1, wait_fd(efd, 2000));
	/* Acknowledge, unmask: quiet until the next fence. */
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	ASSERT_EQ(0, set_irq_none(t, VFIO_PCI_INTX_IRQ_INDEX,
				  VFIO_IRQ_SET_ACTION_UNMASK, 1));
	EXPECT_EQ(0, wait_fd(efd, 300));
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 3));
	EXPECT_EQ(1, wait_fd(efd, 5000));
	/* Disable. */
	ASSERT_EQ(0, set_irq_none(t, VFIO_PCI_INTX_IRQ_INDEX,
				  VFIO_IRQ_SET_ACTION_TRIGGER, 0));
	close(efd);
}

TEST_F(life, msi_fires)
{
	struct tess_dev *t = &self->v.t;

	ASSERT_EQ(0, vfio_irq_enable(&t->vfio, VFIO_PCI_MSI_IRQ_INDEX, 1));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE |
		    TESSERA_ENG_INT_IDLE);
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 1));
	EXPECT_GT(vfio_irq_wait(&t->vfio, 0, 5000), 0);
	/* Loopback trigger through SET_IRQS DATA_NONE. */
	ASSERT_EQ(0, set_irq_none(t, VFIO_PCI_MSI_IRQ_INDEX,
				  VFIO_IRQ_SET_ACTION_TRIGGER, 1));
	EXPECT_GT(vfio_irq_wait(&t->vfio, 0, 1000), 0);
	ASSERT_EQ(0, vfio_irq_disable(&t->vfio));
}

TEST_F(life, preempt_and_resume)
{
	struct tess_dev *t = &self->v.t;
	u32 st;

	/* 300 ms of work, then a fence. */
	ASSERT_EQ(0, tess_emit_busy(&self->r, 300000000ull));
	ASSERT_EQ(0, tess_emit_fill(&self->r, 0x10000, 64, 0x66));
	ASSERT_EQ(0, tess_emit_fence(&self->r, 0, 9, 0));
	ASSERT_EQ(0, tess_ring_kick(&self->r));
	usleep(20000);
	EXPECT_EQ(TESSERA_ENG_STATE_RUNNING, tess_eng_state(t, 0));
	ASSERT_EQ(0, tess_eng_preempt(t, 0));
	st = tess_eng_state(t, 0);
	EXPECT_EQ(TESSERA_ENG_STATE_STOPPED, st);
	EXPECT_TRUE(tess_eng_rd(t, 0, TESSERA_ENG_INT_STATUS) &
		    TESSERA_ENG_INT_PREEMPTED);
	/* The work is still pending in the ring, not run while stopped. */
	EXPECT_TRUE(tess_ctx_rd(t, 0, TESSERA_CTX_STATUS) &
		    TESSERA_CTX_STATUS_PENDING(0));
	usleep(400000);
	EXPECT_NE(9, tess_rd64(t, TESSERA_CTX_RING_REG(0, 0, TESSERA_RING_FENCE_LO)));
	ASSERT_EQ(0, tess_eng_start(t, 0, 0));
	ASSERT_EQ(0, tess_ring_wait_fence(&self->r, 9, TIMEOUT_MS));
	EXPECT_EQ(0x66, tess_vram_rd32(t, 0x10000));
}

TEST_F(life, doorbell_before_start_does_not_run)
{
	struct tess_dev *t = &self->v.t;

	ASSERT_EQ(0, tess_eng_reset(t, 0));
	ASSERT_EQ(0, tess_emit_fill(&self->r, 0x10000, 64, 0x31));
	ASSERT_EQ(0, tess_emit_fence(&self->r, 0, 4, 0));
	ASSERT_EQ(0, tess_ring_kick(&self->r));
	usleep(200000);
	EXPECT_EQ(0, tess_vram_rd32(t, 0x10000));
	ASSERT_EQ(0, tess_eng_start(t, 0, 0));
	ASSERT_EQ(0, tess_ring_wait_fence(&self->r, 4, TIMEOUT_MS));
	EXPECT_EQ(0x31, tess_vram_rd32(t, 0x10000));
}

/* Assign (fd >= 0) or take away (fd -1) one MSI-X vector's eventfd. */
static int set_msix_vector(struct tess_dev *t, u32 v, int fd)
{
	return set_irq_fd_at(t, VFIO_PCI_MSIX_IRQ_INDEX,
			     VFIO_IRQ_SET_ACTION_TRIGGER, v, fd);
}

/*
 * As under vfio-pci, delivery follows SET_IRQS alone: the virtual config
 * space's MSI-X Enable and Function Mask, and the table (all-ones, writes
 * dropped), are the VMM's to emulate. A VMM masks a vector by taking its
 * eventfd away; the edge is then held in the PBA and delivered when an
 * eventfd comes back.
 */
TEST_F(life, msix_vector_mask_is_an_eventfd_swap)
{
	struct tess_dev *t = &self->v.t;
	unsigned int msix = vfio_pci_find_cap(&t->vfio, PCI_CAP_ID_MSIX);
	u32 v = TESSERA_MSIX_VECTOR_ENGINE(0);
	u32 flags;
	int efd;

	ASSERT_NE(0, msix);
	ASSERT_EQ(0, vfio_irq_enable(&t->vfio, VFIO_PCI_MSIX_IRQ_INDEX,
				     TESSERA_MSIX_VECTORS));
	/* Enable and Function Mask in config space gate nothing. */
	ASSERT_EQ(0, vfio_config_read(&t->vfio, msix + PCI_MSIX_FLAGS, &flags, 2));
	ASSERT_EQ(0, vfio_config_write(&t->vfio, msix + PCI_MSIX_FLAGS,
				       flags | PCI_MSIX_FLAGS_ENABLE |
				       PCI_MSIX_FLAGS_MASKALL, 2));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 1));
	EXPECT_GT(vfio_irq_wait(&t->vfio, v, 5000), 0);
	EXPECT_EQ(0, tess_rd32(t, TESSERA_CSR_MSIX_PBA));
	/* "Mask": no eventfd on the vector; the edge waits in the PBA. */
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	ASSERT_EQ(0, set_msix_vector(t, v, -1));
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 2));
	usleep(300000);
	EXPECT_EQ(1u << v, tess_rd32(t, TESSERA_CSR_MSIX_PBA));
	/* The PBA is read-only. */
	tess_wr32(t, TESSERA_CSR_MSIX_PBA, 0);
	EXPECT_EQ(1u << v, tess_rd32(t, TESSERA_CSR_MSIX_PBA));
	/* "Unmask": a new eventfd gets the held interrupt. */
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_GE(efd, 0);
	ASSERT_EQ(0, set_msix_vector(t, v, efd));
	EXPECT_EQ(1, wait_fd(efd, 2000));
	EXPECT_EQ(0, tess_rd32(t, TESSERA_CSR_MSIX_PBA));
	ASSERT_EQ(0, vfio_irq_disable(&t->vfio));
	close(efd);
}

/* KVM's INTx resampler: an eventfd that unmasks INTx when written. */
TEST_F(life, intx_unmask_eventfd_resamples)
{
	struct tess_dev *t = &self->v.t;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int rfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	u64 one = 1;

	ASSERT_GE(efd, 0);
	ASSERT_GE(rfd, 0);
	/* Not in INTx mode yet: EINVAL, as vfio-pci. */
	EXPECT_EQ(-EINVAL, set_irq_fd(t, VFIO_PCI_INTX_IRQ_INDEX,
				      VFIO_IRQ_SET_ACTION_UNMASK, rfd));
	ASSERT_EQ(0, set_irq_fd(t, VFIO_PCI_INTX_IRQ_INDEX,
				VFIO_IRQ_SET_ACTION_TRIGGER, efd));
	ASSERT_EQ(0, set_irq_fd(t, VFIO_PCI_INTX_IRQ_INDEX,
				VFIO_IRQ_SET_ACTION_UNMASK, rfd));
	/* A mask eventfd does not exist in VFIO. */
	EXPECT_EQ(-ENOTTY, set_irq_fd(t, VFIO_PCI_INTX_IRQ_INDEX,
				      VFIO_IRQ_SET_ACTION_MASK, rfd));
	tess_wr32(t, TESSERA_REG_INT_ENABLE, TESSERA_INT_ENGINE(0));
	tess_eng_wr(t, 0, TESSERA_ENG_INT_MASK, TESSERA_ENG_INT_FENCE);
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 1));
	EXPECT_EQ(1, wait_fd(efd, 5000));
	/* Still asserted: the resample fires it again. */
	ASSERT_EQ(8, write(rfd, &one, 8));
	EXPECT_EQ(1, wait_fd(efd, 2000));
	/* Acknowledged, resampled: quiet until the next fence. */
	tess_eng_wr(t, 0, TESSERA_ENG_INT_STATUS, TESSERA_ENG_INT_ALL);
	ASSERT_EQ(8, write(rfd, &one, 8));
	EXPECT_EQ(0, wait_fd(efd, 300));
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 2));
	EXPECT_EQ(1, wait_fd(efd, 5000));
	/* Unmask eventfd off, then INTx off. */
	ASSERT_EQ(0, set_irq_fd(t, VFIO_PCI_INTX_IRQ_INDEX,
				VFIO_IRQ_SET_ACTION_UNMASK, -1));
	ASSERT_EQ(0, set_irq_none(t, VFIO_PCI_INTX_IRQ_INDEX,
				  VFIO_IRQ_SET_ACTION_TRIGGER, 0));
	close(efd);
	close(rfd);
}

/*
 * A reset revokes the user's mappings first and keeps faults out until the
 * partition is scrubbed: a user hammering its VRAM and doorbell mappings
 * meanwhile neither disturbs the reset's own work (the fence clearing
 * ring) nor sees it.
 */
TEST_F(life, reset_while_the_user_hammers_its_mappings)
{
	struct tess_dev *t = &self->v.t;
	volatile u32 *vram = t->vram, *db = t->db;
	u32 words = t->vram_size / 4;
	int kfd = kmsg_mark(), i, status;
	pid_t pid;

	ASSERT_NE(NULL, t->vram);
	ASSERT_NE(NULL, t->db);
	/* A fence to clear at every reset. */
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 5));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		u32 x = 1;

		for (;;) {
			x = x * 1103515245 + 12345;
			vram[(x >> 8) % words] = x;
			db[TESSERA_DB_TAIL(0) / 4] = x & 0xffc;
		}
	}
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, vfio_dev_reset(&t->vfio));
		usleep(20000);
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, vfio_dev_reset(&t->vfio));
	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, tess_vram_rd32(t, (u64)i * (t->vram_size / 64)));
	EXPECT_EQ(0, tess_rd64(t, TESSERA_CTX_RING_REG(0, 0,
						       TESSERA_RING_FENCE_LO)));
	ASSERT_EQ(0, vgpu_setup(t, &self->r, 0, 0));
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 7));
	EXPECT_EQ(0, kmsg_count(kfd, "could not clear"));
	if (kfd >= 0)
		close(kfd);
}

TEST_F(life, set_irqs_edge_cases)
{
	struct tess_dev *t = &self->v.t;
	struct {
		struct vfio_irq_set s;
		int fd[12];
	} set;
	unsigned int idx;

	/* count 0 with eventfd data: no data, nothing to dereference. */
	for (idx = 0; idx < VFIO_PCI_NUM_IRQS; idx++) {
		memset(&set, 0, sizeof(set));
		set.s.argsz = sizeof(set.s);
		set.s.flags = VFIO_IRQ_SET_DATA_EVENTFD |
			      VFIO_IRQ_SET_ACTION_TRIGGER;
		set.s.index = idx;
		ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set);
		set.s.flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;
		ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set);
		set.s.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK;
		ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set);
	}
	/* Past the last vector, huge counts, short argsz: EINVAL. */
	memset(&set, 0, sizeof(set));
	set.s.argsz = sizeof(set);
	set.s.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set.s.index = VFIO_PCI_MSIX_IRQ_INDEX;
	set.s.start = TESSERA_MSIX_VECTORS;
	set.s.count = 1;
	set.fd[0] = -1;
	EXPECT_EQ(-1, ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set));
	EXPECT_EQ(EINVAL, errno);
	set.s.start = 0;
	set.s.count = 0xffffffff;
	EXPECT_EQ(-1, ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set));
	set.s.count = 12;
	EXPECT_EQ(-1, ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set));
	set.s.count = 2;
	set.s.argsz = sizeof(set.s) + 4;
	EXPECT_EQ(-1, ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set));
	/* Not an eventfd: EINVAL/EBADF, nothing kept. */
	set.s.argsz = sizeof(set);
	set.s.count = 1;
	set.fd[0] = t->vfio.device_fd;
	EXPECT_EQ(-1, ioctl(t->vfio.device_fd, VFIO_DEVICE_SET_IRQS, &set));
	/* The vGPU still works. */
	ASSERT_EQ(0, vgpu_fence_wait(&self->r, 5));
}

TEST_HARNESS_MAIN
