// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual interrupts of a vGPU: INTx, MSI and MSI-X through VFIO eventfds.
 *
 * Physical interrupts stay with the host driver. Every engine interrupt
 * and every scheduler pass is an event of its engine; each open vGPU
 * watches the engines' events (tessera_sched_watch()) with an entry that
 * queues its event work; the work reads the state
 * of the vGPU's own context (ring fences, pending work, the fault the
 * scheduler recorded) and turns it into virtual ENG_INT_STATUS bits. The
 * virtual lines follow the hardware rules: engine e's MSI-X vector
 * 1 + e fires when a masked-in status bit goes 0 -> 1 while INT_ENGINE(e)
 * is enabled; MSI is one vector for all; INTx is level-triggered and, as
 * VFIO requires, auto-masked when signalled until the user unmasks it
 * (SET_IRQS UNMASK, or a write to the unmask eventfd: KVM's resampler).
 *
 * What reaches the user follows VFIO_DEVICE_SET_IRQS exactly as with
 * vfio-pci; the MSI-X table and the enable bits of the virtual config
 * space belong to the VMM's emulation (Documentation/dev/mediation.rst,
 * "The vfio-pci contract").
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "tessera_compat.h"
#include "tessera_vgpu.h"

#define LINE_ANY	BIT(31)

/* Vectors of an IRQ index, as vfio-pci derives them from config space. */
static u32 vgpu_irq_count(struct tessera_vgpu *vgpu, u32 index)
{
	const u8 *c = vgpu->s.cfg;
	u16 flags;

	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return c[PCI_INTERRUPT_PIN] ? 1 : 0;
	case VFIO_PCI_MSI_IRQ_INDEX:
		flags = get_unaligned_le16(c + TESSERA_VGPU_CAP_MSI +
					   PCI_MSI_FLAGS);
		return 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1);
	case VFIO_PCI_MSIX_IRQ_INDEX:
		flags = get_unaligned_le16(c + TESSERA_VGPU_CAP_MSIX +
					   PCI_MSIX_FLAGS);
		return (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	case VFIO_PCI_ERR_IRQ_INDEX:	/* the vGPU is PCI Express */
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	default:
		return 0;
	}
}

/**
 * tessera_vgpu_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @vgpu: vGPU
 * @info: in: index; out: flags and count
 *
 * As vfio-pci: every index has an eventfd; INTx is maskable and
 * auto-masked; MSI-X vectors can be added while MSI-X is enabled (no
 * NORESIZE, like vfio-pci with dynamic MSI-X), every other index is
 * NORESIZE.
 *
 * Return: 0 or -EINVAL.
 */
int tessera_vgpu_get_irq_info(struct tessera_vgpu *vgpu,
			      struct vfio_irq_info *info)
{
	if (info->index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info->count = vgpu_irq_count(vgpu, info->index);
	info->flags = VFIO_IRQ_INFO_EVENTFD;
	if (info->index == VFIO_PCI_INTX_IRQ_INDEX)
		info->flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else if (info->index != VFIO_PCI_MSIX_IRQ_INDEX)
		info->flags |= VFIO_IRQ_INFO_NORESIZE;
	return 0;
}

static bool cfg_flag16(struct tessera_vgpu *vgpu, u32 off, u16 bit)
{
	return get_unaligned_le16(vgpu->s.cfg + off) & bit;
}

/**
 * tessera_vgpu_irq_fire_vector() - signal one eventfd
 * @vgpu: vGPU (lock held)
 * @vector: vector of the active IRQ type
 */
void tessera_vgpu_irq_fire_vector(struct tessera_vgpu *vgpu, u32 vector)
{
	lockdep_assert_held(&vgpu->lock);
	if (vector < TESSERA_MSIX_VECTORS && vgpu->trigger[vector]) {
		tessera_eventfd_signal(vgpu->trigger[vector]);
		vgpu->irqs++;
	}
}

/**
 * tessera_vgpu_irq_update() - recompute the virtual lines and deliver edges
 * @vgpu: vGPU (lock held)
 *
 * Delivery follows VFIO_DEVICE_SET_IRQS only, as with vfio-pci: the MSI
 * and MSI-X enable and function-mask bits of the virtual config space are
 * the VMM's to emulate and do not gate anything. An MSI-X vector without
 * an eventfd holds its edge pending (PBA bit) until one is assigned, as
 * the masked vector of a physical device under vfio-pci does.
 */
void tessera_vgpu_irq_update(struct tessera_vgpu *vgpu)
{
	struct tessera_vgpu_state *s = &vgpu->s;
	u32 levels = 0, rising, v, e;
	u16 status;

	lockdep_assert_held(&vgpu->lock);
	for (e = 0; e < vgpu->info->num_engines; e++)
		if ((s->eng[e].int_status & s->eng[e].int_mask) &&
		    (s->int_enable & TESSERA_INT_ENGINE(e)))
			levels |= BIT(TESSERA_MSIX_VECTOR_ENGINE(e));
	if (levels)
		levels |= LINE_ANY;
	rising = levels & ~s->line_level;
	s->line_level = levels;

	status = get_unaligned_le16(s->cfg + PCI_STATUS);
	status &= ~PCI_STATUS_INTERRUPT;
	if (levels)
		status |= PCI_STATUS_INTERRUPT;
	put_unaligned_le16(status, s->cfg + PCI_STATUS);

	switch (vgpu->irq_type) {
	case TESSERA_VIRQ_MSIX:
		for (v = 0; v < TESSERA_MSIX_VECTORS; v++) {
			if (rising & BIT(v))
				s->msix_pba |= BIT(v);
			if ((s->msix_pba & BIT(v)) && vgpu->trigger[v]) {
				s->msix_pba &= ~BIT(v);
				tessera_vgpu_irq_fire_vector(vgpu, v);
			}
		}
		break;
	case TESSERA_VIRQ_MSI:
		if (rising & LINE_ANY)
			tessera_vgpu_irq_fire_vector(vgpu, 0);
		break;
	case TESSERA_VIRQ_INTX:
		/* Level-triggered: auto-masked when signalled (even with no
		 * eventfd), as vfio-pci's INTx handler does.
		 */
		if ((levels & LINE_ANY) && !s->intx_masked &&
		    !cfg_flag16(vgpu, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE)) {
			s->intx_masked = 1;
			tessera_vgpu_irq_fire_vector(vgpu, 0);
		}
		break;
	default:
		s->msix_pba = 0;
		break;
	}
}

/* Runs in process context (the virqfd's inject work): only hand the
 * unmask to the event work, so that disabling the virqfd under
 * vgpu->lock (which flushes this work) cannot deadlock.
 */
static void intx_unmask_thread(void *opaque, void *data)
{
	struct tessera_vgpu *vgpu = opaque;

	set_bit(TESSERA_VGPU_EV_UNMASK, &vgpu->ev_flags);
	queue_work(system_wq, &vgpu->event_work);
}

static void intx_unmask(struct tessera_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);
	if (vgpu->irq_type != TESSERA_VIRQ_INTX)
		return;
	vgpu->s.intx_masked = 0;
	tessera_vgpu_irq_update(vgpu);
}

static void put_ctx(struct eventfd_ctx **slot)
{
	if (*slot)
		eventfd_ctx_put(*slot);
	*slot = NULL;
}

static void release_triggers(struct tessera_vgpu *vgpu)
{
	u32 v;

	if (vgpu->intx_unmask)
		vfio_virqfd_disable(&vgpu->intx_unmask);
	for (v = 0; v < TESSERA_MSIX_VECTORS; v++)
		put_ctx(&vgpu->trigger[v]);
	vgpu->irq_type = TESSERA_VIRQ_NONE;
	vgpu->s.msix_pba = 0;
	vgpu->s.intx_masked = 0;
}

/**
 * tessera_vgpu_irq_release() - drop every eventfd (close, removal)
 * @vgpu: vGPU (lock held)
 */
void tessera_vgpu_irq_release(struct tessera_vgpu *vgpu)
{
	lockdep_assert_held(&vgpu->lock);
	release_triggers(vgpu);
	put_ctx(&vgpu->req_trigger);
	put_ctx(&vgpu->err_trigger);
}

/*
 * Assign the eventfds of vectors start..start+count-1 (fd -1: none). All
 * or nothing: on an error no vector of the call changes.
 */
static int set_block(struct tessera_vgpu *vgpu, u32 start, u32 count,
		     const s32 *fds)
{
	struct eventfd_ctx *ctx[TESSERA_MSIX_VECTORS] = { };
	u32 i;

	for (i = 0; i < count; i++) {
		if (fds[i] < 0)
			continue;
		ctx[i] = eventfd_ctx_fdget(fds[i]);
		if (IS_ERR(ctx[i])) {
			int ret = PTR_ERR(ctx[i]);

			while (i--)
				if (ctx[i])
					eventfd_ctx_put(ctx[i]);
			return ret;
		}
	}
	for (i = 0; i < count; i++) {
		put_ctx(&vgpu->trigger[start + i]);
		vgpu->trigger[start + i] = ctx[i];
	}
	return 0;
}

/* Loopback: DATA_NONE signals every vector, DATA_BOOL those set. */
static void loopback(struct tessera_vgpu *vgpu, u32 start, u32 count,
		     const u8 *bools)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (!bools || bools[i])
			tessera_vgpu_irq_fire_vector(vgpu, start + i);
}

/* TRIGGER on INTx, MSI or MSI-X (vfio_pci_set_{intx,msi}_trigger). */
static int set_trigger(struct tessera_vgpu *vgpu, u32 type,
		       struct vfio_irq_set *hdr, const void *data)
{
	const u8 *bools = hdr->flags & VFIO_IRQ_SET_DATA_BOOL ? data : NULL;
	bool enabled = vgpu->irq_type == type;
	int ret;

	if (enabled && !hdr->count && hdr->flags & VFIO_IRQ_SET_DATA_NONE) {
		release_triggers(vgpu);
		return 0;
	}
	if (!enabled && vgpu->irq_type != TESSERA_VIRQ_NONE)
		return -EINVAL;	/* another index is enabled */
	if (type == TESSERA_VIRQ_INTX && (hdr->start || hdr->count != 1))
		return -EINVAL;
	if (!(hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD)) {
		if (!enabled)
			return -EINVAL;
		/* INTx loopback honours the virtual DisINTx, as vfio-pci. */
		if (type != TESSERA_VIRQ_INTX ||
		    !cfg_flag16(vgpu, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE))
			loopback(vgpu, hdr->start, hdr->count, bools);
		return 0;
	}
	ret = set_block(vgpu, hdr->start, hdr->count, data);
	if (ret)
		return ret;
	if (!enabled) {
		vgpu->irq_type = type;
		vgpu->s.msix_pba = 0;
		vgpu->s.intx_masked = 0;
	}
	vgpu->s.line_level = 0;	/* deliver what is asserted now */
	tessera_vgpu_irq_update(vgpu);
	return 0;
}

/* MASK and UNMASK of INTx (vfio_pci_set_intx_{mask,unmask}). */
static int set_intx_mask(struct tessera_vgpu *vgpu, struct vfio_irq_set *hdr,
			 const void *data, bool mask)
{
	if (vgpu->irq_type != TESSERA_VIRQ_INTX || hdr->start ||
	    hdr->count != 1)
		return -EINVAL;
	if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd = *(const s32 *)data;

		if (mask)
			return -ENOTTY;	/* as vfio-pci: no mask eventfd */
		if (fd >= 0)
			return vfio_virqfd_enable(vgpu, NULL,
						  intx_unmask_thread, NULL,
						  &vgpu->intx_unmask, fd);
		if (vgpu->intx_unmask)
			vfio_virqfd_disable(&vgpu->intx_unmask);
		return 0;
	}
	if (hdr->flags & VFIO_IRQ_SET_DATA_BOOL && !*(const u8 *)data)
		return 0;
	if (mask)
		vgpu->s.intx_masked = 1;
	else
		intx_unmask(vgpu);
	return 0;
}

/* TRIGGER of ERR or REQ (vfio_pci_set_ctx_trigger_single). */
static int set_single(struct tessera_vgpu *vgpu, struct eventfd_ctx **slot,
		      struct vfio_irq_set *hdr, const void *data)
{
	struct eventfd_ctx *ctx;
	s32 fd;

	if (hdr->start || hdr->count > 1)
		return -EINVAL;
	if (hdr->flags & VFIO_IRQ_SET_DATA_NONE) {
		if (!*slot)
			return -EINVAL;
		if (hdr->count)
			tessera_eventfd_signal(*slot);
		else
			put_ctx(slot);
		return 0;
	}
	if (!hdr->count)
		return -EINVAL;
	if (hdr->flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(const u8 *)data && *slot)
			tessera_eventfd_signal(*slot);
		return 0;
	}
	fd = *(const s32 *)data;
	if (fd == -1) {
		put_ctx(slot);
		return 0;
	}
	if (fd < 0)
		return -EINVAL;
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	put_ctx(slot);
	*slot = ctx;
	return 0;
}

static int set_irqs_locked(struct tessera_vgpu *vgpu, struct vfio_irq_set *hdr,
			   const void *data)
{
	u32 action = hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;

	/* No action, or several: no handler (ENOTTY), as vfio-pci. */
	switch (hdr->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_MASK ||
		    action == VFIO_IRQ_SET_ACTION_UNMASK)
			return set_intx_mask(vgpu, hdr, data,
					     action == VFIO_IRQ_SET_ACTION_MASK);
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -ENOTTY;
		return set_trigger(vgpu, TESSERA_VIRQ_INTX, hdr, data);
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -ENOTTY;	/* as vfio-pci: no MSI masking */
		return set_trigger(vgpu, hdr->index == VFIO_PCI_MSI_IRQ_INDEX ?
				   TESSERA_VIRQ_MSI : TESSERA_VIRQ_MSIX,
				   hdr, data);
	case VFIO_PCI_ERR_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -ENOTTY;
		return set_single(vgpu, &vgpu->err_trigger, hdr, data);
	case VFIO_PCI_REQ_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER)
			return -ENOTTY;
		return set_single(vgpu, &vgpu->req_trigger, hdr, data);
	default:
		return -ENOTTY;
	}
}

/**
 * tessera_vgpu_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @vgpu: vGPU
 * @arg: user pointer to struct vfio_irq_set and its data
 *
 * The semantics of vfio-pci (drivers/vfio/pci/vfio_pci_intrs.c), row by
 * row in Documentation/dev/mediation.rst, "The vfio-pci contract".
 *
 * Return: 0 or a negative errno.
 */
int tessera_vgpu_set_irqs(struct tessera_vgpu *vgpu, unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 vgpu_irq_count(vgpu, hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	mutex_lock(&vgpu->lock);
	ret = set_irqs_locked(vgpu, &hdr, data);
	mutex_unlock(&vgpu->lock);
	kfree(data);
	return ret;
}

/* -------------------------------------------------------------- events */

/**
 * tessera_vgpu_ring_moved() - may the vGPU's ring on @e have progressed
 *	since the event work last looked?
 * @vgpu: vGPU (no lock needed: a racy answer errs towards true, or is
 *	followed by another wake; see tessera_ring_get_stats())
 * @e: engine
 *
 * Return: true if the ring is loaded now or was loaded since.
 */
bool tessera_vgpu_ring_moved(struct tessera_vgpu *vgpu, u32 e)
{
	struct tessera_ring *ring = tessera_ctx_ring(vgpu->ctx, e);
	struct tessera_ring_stats st;

	tessera_ring_get_stats(ring, &st);
	/* the count before the engine (sched_started() writes them in turn) */
	smp_rmb();
	return tessera_sched_ring_loaded(ring) ||
	       st.loads != READ_ONCE(vgpu->loads_seen[e]);
}

/**
 * tessera_vgpu_events() - turn the context's events into virtual ones
 * @work: vgpu->event_work
 */
void tessera_vgpu_events(struct work_struct *work)
{
	struct tessera_vgpu *vgpu = container_of(work, struct tessera_vgpu,
						 event_work);
	struct tessera_device *tdev = vgpu->tdev;
	struct tessera_ctx *ctx = vgpu->ctx;
	struct tessera_vgpu_state *s = &vgpu->s;
	struct tessera_ctx_fault f;
	u32 e, st;
	u64 v;

	mutex_lock(&vgpu->lock);
	if (!vgpu->open) {
		mutex_unlock(&vgpu->lock);
		return;
	}
	if (test_and_clear_bit(TESSERA_VGPU_EV_UNMASK, &vgpu->ev_flags))
		intx_unmask(vgpu);

	if (tessera_ctx_fault_take(ctx, s->fault_seen, &f)) {
		s->fault_seen = f.count;
		if (f.engine < vgpu->info->num_engines &&
		    s->eng[f.engine].state == TESSERA_VENG_STARTED) {
			struct tessera_vgpu_eng *ve = &s->eng[f.engine];

			/* Keep the ring off the engine until the guest acts. */
			tessera_vgpu_ring_block(vgpu, f.engine, true);
			ve->state = TESSERA_VENG_FAULTED;
			ve->fault_code = f.code;
			ve->fault_addr = f.addr;
			ve->int_status |= TESSERA_ENG_INT_FAULT;
			vgpu->faults++;
		}
	}

	st = tessera_hw_ctx_status(tdev, vgpu->ctx_info.id);
	for (e = 0; e < vgpu->info->num_engines; e++) {
		struct tessera_vgpu_eng *ve = &s->eng[e];
		bool pending = st & TESSERA_CTX_STATUS_PENDING(e);
		u64 loads;

		/*
		 * Loaded since the last look: it had work then (the
		 * scheduler loads only rings with work), although the
		 * wake that showed it pending may have been skipped.
		 */
		loads = tessera_vgpu_ring_stats(vgpu, e).loads;
		/* the count before the engine, as tessera_vgpu_ring_moved() */
		smp_rmb();
		if (loads != vgpu->loads_looked[e])
			ve->was_pending = 1;
		vgpu->loads_looked[e] = loads;
		if (!tessera_sched_ring_loaded(tessera_ctx_ring(ctx, e)))
			WRITE_ONCE(vgpu->loads_seen[e], loads);
		v = tessera_hw_ring_fence(tdev, vgpu->ctx_info.id, e);
		if (v != s->phys_fence[e]) {
			s->phys_fence[e] = v;
			if (v != s->reset_fence[e])
				s->fence_moved |= BIT(e);
			ve->fence = v;
			ve->int_status |= TESSERA_ENG_INT_FENCE;
		}
		if (ve->state == TESSERA_VENG_STARTED && ve->was_pending &&
		    !pending)
			ve->int_status |= TESSERA_ENG_INT_IDLE;
		ve->was_pending = pending;
	}
	tessera_vgpu_irq_update(vgpu);
	mutex_unlock(&vgpu->lock);
}
