// SPDX-License-Identifier: GPL-2.0
/*
 * The vGPU as a VFIO device (emulated IOMMU): vfio_device_ops, region
 * read/write dispatch, ioctls, lifecycle and reset.
 *
 * Regions (vfio-pci layout, index << 40): config space (4 KiB, emulated),
 * BAR0 (4 MiB of trapped CSRs), BAR2 (the VRAM partition, mmap) and BAR4
 * (the doorbell page, mmap). Reset (VFIO_DEVICE_RESET, FLR, REG_RESET,
 * close) brings the vGPU to its power-on state: engines stopped for its
 * context, rings and windows cleared, GART shadow dropped, VRAM partition
 * scrubbed, interrupts off, user mappings revoked.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "tessera_compat.h"
#include "tessera_vgpu.h"

/*
 * A wake by engine e's events (tessera_sched_watch()): an interrupt or a
 * scheduler pass there.
 * Only a ring that is loaded, or was loaded since the event work last
 * looked, can have moved its fence or status (tessera_vgpu_ring_moved()).
 */
static int vgpu_wake(struct wait_queue_entry *wqe, unsigned int mode,
		     int flags, void *key)
{
	struct tessera_vgpu *vgpu = wqe->private;
	u32 e = wqe - vgpu->waits;

	if (READ_ONCE(vgpu->open) && tessera_vgpu_ring_moved(vgpu, e))
		queue_work(system_wq, &vgpu->event_work);
	return 0;
}

/**
 * tessera_vgpu_revoke_mmaps() - zap the user's BAR2/BAR4 mappings
 * @vgpu: vGPU
 *
 * They fault back in on the next access (while the vGPU exists).
 */
void tessera_vgpu_revoke_mmaps(struct tessera_vgpu *vgpu)
{
	struct address_space *mapping = READ_ONCE(vgpu->mapping);

	if (!mapping)
		return;
	unmap_mapping_range(mapping,
			    tessera_vgpu_region_offset(vgpu,
						       VFIO_PCI_BAR2_REGION_INDEX),
			    vgpu->vram_size, 1);
	unmap_mapping_range(mapping,
			    tessera_vgpu_region_offset(vgpu,
						       VFIO_PCI_BAR4_REGION_INDEX),
			    TESSERA_DOORBELL_PAGE_SIZE, 1);
}

/* Guest-visible registers at power-on; config space only on FLR. */
static void regs_power_on(struct tessera_vgpu *vgpu, bool cfg)
{
	struct tessera_vgpu_state *s = &vgpu->s;
	struct tessera_device *tdev = vgpu->tdev;
	u32 e;

	if (cfg)
		tessera_vgpu_cfg_init(vgpu);
	s->int_enable = 0;
	s->scratch = 0;
	memset(s->eng, 0, sizeof(s->eng));
	s->ctx_vram_base = 0;
	s->ctx_vram_size = 0;
	s->ctx_gart_base = 0;
	s->ctx_gart_size = 0;
	s->ctx_ctrl = 0;
	s->msix_pba = 0;
	s->line_level = 0;
	s->fence_moved = 0;
	s->fault_seen = tessera_ctx_fault_count(vgpu->ctx);
	for (e = 0; e < vgpu->info->num_engines; e++) {
		s->phys_fence[e] = tessera_hw_ring_fence(tdev,
							 vgpu->ctx_info.id, e);
		s->reset_fence[e] = s->phys_fence[e];
	}
}

/* Physical context and rings back to empty; the context must be off
 * every engine.
 */
static void hw_power_on(struct tessera_vgpu *vgpu)
{
	static const struct tessera_hw_ring none;
	struct tessera_device *tdev = vgpu->tdev;
	u32 e;

	tessera_vgpu_ctx_apply(vgpu);	/* regs are zero: invalid, empty */
	for (e = 0; e < vgpu->info->num_engines; e++)
		tessera_hw_ring_set(tdev, vgpu->ctx_info.id, e, &none);
}

/**
 * tessera_vgpu_fence_set() - give the context's rings chosen fence values
 * @vgpu: vGPU (lock held, or not yet registered)
 * @want: RING_FENCE wanted per engine, or NULL for 0 on every ring
 *
 * RING_FENCE of a physical context is read-only and survives owners and
 * vGPU resets. To give the guest a ring fence of 0 at power-on (and no
 * value of a previous owner), or a migrated vGPU the fences of its
 * source, run one FENCE on each ring whose fence differs, from a scratch
 * ring at the start of the partition: its first num_engines * 4 KiB are
 * overwritten (the caller scrubs or restores them). The context must be
 * off every engine; it is again on return, with its windows and rings
 * programmed for the scratch work (the caller programs them again).
 */
void tessera_vgpu_fence_set(struct tessera_vgpu *vgpu, const u64 *want)
{
	struct tessera_device *tdev = vgpu->tdev;
	struct tessera_ctx *ctx = vgpu->ctx;
	u32 c = vgpu->ctx_info.id, e, need = 0, left, i;
	bool frozen = vgpu->frozen;
	u32 cmd[TESSERA_FENCE_LEN] = {
		TESSERA_CMD(TESSERA_OP_FENCE, 0, TESSERA_FENCE_LEN),
	};
	/* One scratch ring per engine at the start of the partition. */
	struct tessera_hw_window w = {
		.vram_base = vgpu->ctx_info.vram_base,
		.vram_size = (u64)vgpu->info->num_engines *
			     TESSERA_RING_MIN_SIZE,
		.gart_base = vgpu->ctx_info.gart_base,
		.valid = true,
	};
	struct tessera_hw_ring r = {
		.size = TESSERA_RING_MIN_SIZE,
		.tail = sizeof(cmd),
	};

#define WANT(e)	(want ? want[e] : 0)
	for (e = 0; e < vgpu->info->num_engines; e++)
		if (tessera_hw_ring_fence(tdev, c, e) != WANT(e))
			need |= BIT(e);
	if (!need)
		return;
	vgpu->frozen = false;	/* the scratch work must run */
	tessera_hw_ctx_set(tdev, c, &w);
	for (e = 0; e < vgpu->info->num_engines; e++) {
		if (!(need & BIT(e)))
			continue;
		r.base = (u64)e * TESSERA_RING_MIN_SIZE;
		cmd[1] = lower_32_bits(WANT(e));
		cmd[2] = upper_32_bits(WANT(e));
		tessera_ctx_vram_write(ctx, r.base, cmd, sizeof(cmd));
		/* The command must be in VRAM before the tail is. */
		wmb();
		tessera_hw_ring_set(tdev, c, e, &r);
		tessera_vgpu_ring_block(vgpu, e, false);
	}
	for (i = 0; i < 2000; i++) {
		left = 0;
		for (e = 0; e < vgpu->info->num_engines; e++)
			if (need & BIT(e) &&
			    tessera_hw_ring_fence(tdev, c, e) != WANT(e))
				left |= BIT(e);
		if (!left)
			break;
		usleep_range(100, 200);
	}
#undef WANT
	tessera_sched_quiesce_ctx(ctx);
	vgpu->frozen = frozen;
	if (left)
		dev_warn_ratelimited(&vgpu->mdev->dev,
				     "could not set the ring fences (engines 0x%x)\n",
				     left);
}

static void fence_clear(struct tessera_vgpu *vgpu)
{
	tessera_vgpu_fence_set(vgpu, NULL);
}

/**
 * tessera_vgpu_init_state() - power-on state of a new vGPU
 * @vgpu: vGPU, not yet registered
 */
void tessera_vgpu_init_state(struct tessera_vgpu *vgpu)
{
	u32 e;

	mutex_init(&vgpu->lock);
	init_rwsem(&vgpu->mem_sem);
	INIT_WORK(&vgpu->event_work, tessera_vgpu_events);
	/* The type's share of every engine. */
	for (e = 0; e < vgpu->info->num_engines; e++)
		tessera_sched_ring_weight(tessera_ctx_ring(vgpu->ctx, e),
					  TESSERA_WEIGHT_DEFAULT * vgpu->type->weight);
	/* Nothing runs until the guest starts an engine. */
	tessera_sched_quiesce_ctx(vgpu->ctx);
	fence_clear(vgpu);
	hw_power_on(vgpu);
	regs_power_on(vgpu, true);
	tessera_vram_scrub(vgpu->tdev, vgpu->ctx_info.vram_base,
			   (u64)vgpu->info->num_engines *
			   TESSERA_RING_MIN_SIZE);
}

/**
 * tessera_vgpu_reset() - bring the vGPU to its power-on state
 * @vgpu: vGPU (lock held)
 * @cfg: config space too (close); VFIO_DEVICE_RESET, FLR and REG_RESET
 *	keep it, as vfio-pci does
 */
void tessera_vgpu_reset(struct tessera_vgpu *vgpu, bool cfg)
{
	lockdep_assert_held(&vgpu->lock);
	/*
	 * The user's mappings go first and faults stay out until the
	 * partition is scrubbed, so that no user access meets the scratch
	 * ring of fence_clear() or a half-scrubbed partition, and no doorbell
	 * write moves the scratch ring's tail.
	 */
	down_write(&vgpu->mem_sem);
	tessera_vgpu_revoke_mmaps(vgpu);
	tessera_sched_quiesce_ctx(vgpu->ctx);	/* engines stopped */
	fence_clear(vgpu);
	hw_power_on(vgpu);
	regs_power_on(vgpu, cfg);
	tessera_vram_scrub(vgpu->tdev, vgpu->ctx_info.vram_base,
			   vgpu->vram_size);
	vgpu->mem_on = tessera_vgpu_cfg_mem_enabled(vgpu);
	up_write(&vgpu->mem_sem);
	/* Unpinning takes mmap_lock: not under mem_sem (faults take it
	 * under mmap_lock). The context is off the engines and stays off
	 * until the guest starts one, which needs vgpu->lock.
	 */
	tessera_vgpu_gart_drop_all(vgpu);
	vgpu->error = false;
	vgpu->resets++;
	tessera_vgpu_irq_update(vgpu);
}

static int tessera_vgpu_open(struct vfio_device *vdev)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);
	u32 e;

	tessera_vgpu_mig_reset(vgpu);
	mutex_lock(&vgpu->lock);
	regs_power_on(vgpu, true);
	tessera_vgpu_cfg_open(vgpu);
	WRITE_ONCE(vgpu->open, true);
	mutex_unlock(&vgpu->lock);
	for (e = 0; e < vgpu->info->num_engines; e++) {
		u64 loads = tessera_vgpu_ring_stats(vgpu, e).loads;

		vgpu->loads_seen[e] = loads;
		vgpu->loads_looked[e] = loads;
		init_waitqueue_func_entry(&vgpu->waits[e], vgpu_wake);
		vgpu->waits[e].private = vgpu;
		tessera_sched_watch(vgpu->tdev, e, &vgpu->waits[e]);
	}
	return 0;
}

static void tessera_vgpu_close(struct vfio_device *vdev)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);
	u32 e;

	WRITE_ONCE(vgpu->open, false);
	for (e = 0; e < vgpu->info->num_engines; e++)
		tessera_sched_unwatch(vgpu->tdev, e, &vgpu->waits[e]);
	/* Eventfds (and the unmask virqfd, which queues the event work)
	 * first, then no event work can be queued any more.
	 */
	mutex_lock(&vgpu->lock);
	tessera_vgpu_irq_release(vgpu);
	mutex_unlock(&vgpu->lock);
	cancel_work_sync(&vgpu->event_work);
	vgpu->ev_flags = 0;
	tessera_vgpu_mig_reset(vgpu);
	mutex_lock(&vgpu->lock);
	tessera_vgpu_reset(vgpu, true);
	vgpu->resets--;	/* not a guest-requested reset */
	WRITE_ONCE(vgpu->mapping, NULL);
	mutex_unlock(&vgpu->lock);
	/* A VMM that goes away leaves no DMA logging behind. */
	tessera_vgpu_dlog_stop(vgpu);
}

static ssize_t region_rw(struct tessera_vgpu *vgpu, char *kbuf, size_t n,
			 u32 index, u64 pos, bool write)
{
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return tessera_vgpu_cfg_rw(vgpu, kbuf, n, pos, write);
	case VFIO_PCI_BAR0_REGION_INDEX:
		return tessera_vgpu_csr_rw(vgpu, kbuf, n, pos, write);
	case VFIO_PCI_BAR2_REGION_INDEX:
	case VFIO_PCI_BAR4_REGION_INDEX:
		return tessera_vgpu_aperture_rw(vgpu, index, kbuf, n, pos,
						write);
	default:
		return -EINVAL;
	}
}

/*
 * Bound an access the way vfio-pci does: config space fails with EFAULT
 * past its end; a BAR fails with EINVAL at or past its end and is
 * shortened when it crosses it (vfio_pci_bar_rw), and fails with EIO while
 * memory decoding is off or the function is in D3hot
 * (__vfio_pci_memory_enabled); ROM, VGA and absent BARs fail with EINVAL.
 */
static ssize_t region_bound(struct tessera_vgpu *vgpu, u32 index, u64 pos,
			    size_t count)
{
	u64 size;

	if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
		if (pos >= TESSERA_VGPU_CFG_SIZE ||
		    count > TESSERA_VGPU_CFG_SIZE - pos)
			return -EFAULT;
		return count;
	}
	if (index > VFIO_PCI_BAR5_REGION_INDEX)
		return -EINVAL;
	size = tessera_vgpu_bar_size(vgpu, index);
	if (pos >= size)
		return -EINVAL;
	if (!tessera_vgpu_cfg_mem_enabled(vgpu))
		return -EIO;
	return min_t(u64, count, size - pos);
}

static ssize_t tessera_vgpu_rw(struct tessera_vgpu *vgpu, char __user *ubuf,
			       size_t count, loff_t *ppos, bool write)
{
	size_t done = 0, n;
	ssize_t ret = 0;
	char *kbuf;
	u32 index;
	u64 pos;

	if (tessera_vgpu_region_decode(vgpu, *ppos, &index, &pos) ||
	    index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	mutex_lock(&vgpu->lock);
	ret = region_bound(vgpu, index, pos, count);
	mutex_unlock(&vgpu->lock);
	if (ret <= 0)
		return ret;
	count = ret;
	ret = 0;
	kbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	while (done < count) {
		n = min_t(size_t, count - done, PAGE_SIZE);
		if (write && copy_from_user(kbuf, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		mutex_lock(&vgpu->lock);
		ret = region_rw(vgpu, kbuf, n, index, pos + done, write);
		mutex_unlock(&vgpu->lock);
		if (ret < 0)
			break;
		if (!write && copy_to_user(ubuf + done, kbuf, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
	}
	kfree(kbuf);
	if (ret < 0 && !done)
		return ret;
	*ppos += done;
	return done;
}

static ssize_t tessera_vgpu_read(struct vfio_device *vdev, char __user *buf,
				 size_t count, loff_t *ppos)
{
	return tessera_vgpu_rw(vdev_to_vgpu(vdev), buf, count, ppos, false);
}

static ssize_t tessera_vgpu_write(struct vfio_device *vdev,
				  const char __user *buf, size_t count,
				  loff_t *ppos)
{
	return tessera_vgpu_rw(vdev_to_vgpu(vdev), (char __user *)buf, count,
			       ppos, true);
}

/*
 * VFIO_DEVICE_GET_REGION_INFO as vfio-pci answers it: absent BARs and the
 * ROM have size 0 and no flags; there is no VGA region (EINVAL). BAR0 is
 * trapped (never mmap); BAR2 and BAR4 map whole, so like vfio-pci's BARs
 * without an MSI-X table they carry no sparse-mmap capability.
 */
static int region_info(struct tessera_vgpu *vgpu, unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (info.index >= VFIO_PCI_NUM_REGIONS ||
	    info.index == VFIO_PCI_VGA_REGION_INDEX)
		return -EINVAL;
	info.offset = tessera_vgpu_region_offset(vgpu, info.index);
	info.flags = 0;
	info.size = 0;
	info.cap_offset = 0;
	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = TESSERA_VGPU_CFG_SIZE;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info.size = TESSERA_CSR_BAR_SIZE;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
	case VFIO_PCI_BAR4_REGION_INDEX:
		info.size = tessera_vgpu_bar_size(vgpu, info.index);
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE |
			     VFIO_REGION_INFO_FLAG_MMAP;
		break;
	default:
		break;
	}
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long tessera_vgpu_ioctl(struct vfio_device *vdev, unsigned int cmd,
			       unsigned long arg)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);
	unsigned long minsz;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO: {
		struct vfio_device_info info;

		minsz = offsetofend(struct vfio_device_info, num_irqs);
		if (copy_from_user(&info, (void __user *)arg, minsz))
			return -EFAULT;
		if (info.argsz < minsz)
			return -EINVAL;
		info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
		info.num_regions = VFIO_PCI_NUM_REGIONS;
		info.num_irqs = VFIO_PCI_NUM_IRQS;
		return copy_to_user((void __user *)arg, &info, minsz) ?
		       -EFAULT : 0;
	}
	case VFIO_DEVICE_GET_REGION_INFO:
		return region_info(vgpu, arg);
	case VFIO_DEVICE_GET_IRQ_INFO: {
		struct vfio_irq_info info;
		int ret;

		minsz = offsetofend(struct vfio_irq_info, count);
		if (copy_from_user(&info, (void __user *)arg, minsz))
			return -EFAULT;
		if (info.argsz < minsz)
			return -EINVAL;
		ret = tessera_vgpu_get_irq_info(vgpu, &info);
		if (ret)
			return ret;
		return copy_to_user((void __user *)arg, &info, minsz) ?
		       -EFAULT : 0;
	}
	case VFIO_DEVICE_SET_IRQS:
		return tessera_vgpu_set_irqs(vgpu, arg);
	case VFIO_DEVICE_RESET:
		/* Also back to RUNNING, migration files disabled. */
		tessera_vgpu_mig_reset(vgpu);
		mutex_lock(&vgpu->lock);
		tessera_vgpu_reset(vgpu, false);
		mutex_unlock(&vgpu->lock);
		return 0;
	default:
		return -ENOTTY;
	}
}

static void tessera_vgpu_dma_unmap(struct vfio_device *vdev, u64 iova,
				   u64 length)
{
	tessera_vgpu_gart_dma_unmap(vdev_to_vgpu(vdev), iova, length);
}

static void tessera_vgpu_request(struct vfio_device *vdev, unsigned int count)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);

	mutex_lock(&vgpu->lock);
	if (vgpu->req_trigger) {
		if (!(count % 10))
			dev_notice_ratelimited(&vgpu->mdev->dev,
					       "removal requested: asking the user to release the vGPU (%u)\n",
					       count);
		tessera_eventfd_signal(vgpu->req_trigger);
	} else if (count == 0) {
		dev_notice(&vgpu->mdev->dev,
			   "removal requested but the user has no request eventfd: waiting for it to close the vGPU\n");
	}
	mutex_unlock(&vgpu->lock);
}

#ifdef TESSERA_VFIO_NEEDS_RELEASE
/* The last reference is gone (6.1): free the vfio_device and the vGPU. */
static void tessera_vgpu_release(struct vfio_device *vdev)
{
	vfio_free_device(vdev);
}
#endif

const struct vfio_device_ops tessera_vgpu_ops = {
	.name = "tessera-vgpu",
	.open_device = tessera_vgpu_open,
	.close_device = tessera_vgpu_close,
	.read = tessera_vgpu_read,
	.write = tessera_vgpu_write,
	.ioctl = tessera_vgpu_ioctl,
	.mmap = tessera_vgpu_mmap,
	.request = tessera_vgpu_request,
	.dma_unmap = tessera_vgpu_dma_unmap,
#ifdef TESSERA_VFIO_NEEDS_RELEASE
	.release = tessera_vgpu_release,
#endif
#ifdef TESSERA_VFIO_HAS_IOMMUFD_OPS
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};
