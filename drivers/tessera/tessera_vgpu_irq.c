// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual interrupts of a vGPU: INTx, MSI and MSI-X through VFIO eventfds.
 *
 * Physical interrupts stay with the host driver. Every engine interrupt
 * and every scheduler pass wakes the engines' fence_wq, on which each open
 * vGPU has an entry that queues its event work; the work reads the state
 * of the vGPU's own context (ring fences, pending work, the fault the
 * scheduler recorded) and turns it into virtual ENG_INT_STATUS bits. The
 * virtual lines follow the hardware rules: engine e's MSI-X vector
 * 1 + e fires when a masked-in status bit goes 0 -> 1 while INT_ENGINE(e)
 * is enabled; MSI is one vector for all; INTx is level-triggered and, as
 * VFIO requires, auto-masked when signalled until the user unmasks it.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "tessera_compat.h"
#include "tessera_vgpu.h"

#define LINE_ANY	BIT(31)

static u32 vgpu_irq_count(struct tessera_vgpu *vgpu, u32 index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return 1 + vgpu->tdev->num_engines;
	default:
		return 0;
	}
}

/**
 * tessera_vgpu_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @vgpu: vGPU
 * @info: in: index; out: flags and count
 *
 * Return: 0 or -EINVAL.
 */
int tessera_vgpu_get_irq_info(struct tessera_vgpu *vgpu,
			      struct vfio_irq_info *info)
{
	if (info->index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info->count = vgpu_irq_count(vgpu, info->index);
	info->flags = info->count ? VFIO_IRQ_INFO_EVENTFD : 0;
	if (info->index == VFIO_PCI_INTX_IRQ_INDEX)
		info->flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else if (info->count)
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
	if (vector < TESSERA_MSIX_VECTORS && vgpu->trigger[vector]) {
		tessera_eventfd_signal(vgpu->trigger[vector]);
		vgpu->irqs++;
	}
}

static bool msix_masked(struct tessera_vgpu *vgpu, u32 v)
{
	u32 cap = TESSERA_VGPU_CAP_MSIX + PCI_MSIX_FLAGS;

	/* Masks count once the user drives MSI-X through config space. */
	if (!cfg_flag16(vgpu, cap, PCI_MSIX_FLAGS_ENABLE))
		return false;
	return cfg_flag16(vgpu, cap, PCI_MSIX_FLAGS_MASKALL) ||
	       vgpu->s.msix[v][3] & PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

/**
 * tessera_vgpu_irq_update() - recompute the virtual lines and deliver edges
 * @vgpu: vGPU (lock held)
 */
void tessera_vgpu_irq_update(struct tessera_vgpu *vgpu)
{
	struct tessera_vgpu_state *s = &vgpu->s;
	u32 levels = 0, rising, v, e;
	u16 status;

	for (e = 0; e < vgpu->tdev->num_engines; e++)
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
			if ((s->msix_pba & BIT(v)) && !msix_masked(vgpu, v)) {
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

static void release_triggers(struct tessera_vgpu *vgpu)
{
	u32 v;

	for (v = 0; v < TESSERA_MSIX_VECTORS; v++) {
		if (vgpu->trigger[v])
			eventfd_ctx_put(vgpu->trigger[v]);
		vgpu->trigger[v] = NULL;
	}
	vgpu->irq_type = TESSERA_VIRQ_NONE;
	vgpu->s.msix_pba = 0;
}

/**
 * tessera_vgpu_irq_release() - drop every eventfd (close, removal)
 * @vgpu: vGPU (lock held)
 */
void tessera_vgpu_irq_release(struct tessera_vgpu *vgpu)
{
	release_triggers(vgpu);
	if (vgpu->req_trigger)
		eventfd_ctx_put(vgpu->req_trigger);
	vgpu->req_trigger = NULL;
}

static int set_trigger(struct tessera_vgpu *vgpu, u32 type,
		       struct vfio_irq_set *hdr, const s32 *fds,
		       const u8 *bools)
{
	u32 i;

	if (hdr->flags & VFIO_IRQ_SET_DATA_NONE && !hdr->count) {
		if (vgpu->irq_type == type)
			release_triggers(vgpu);
		return 0;
	}
	if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		struct eventfd_ctx *ctx[TESSERA_MSIX_VECTORS] = { };

		if (vgpu->irq_type != TESSERA_VIRQ_NONE &&
		    vgpu->irq_type != type)
			return -EINVAL;	/* disable the other type first */
		for (i = 0; i < hdr->count; i++) {
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
		for (i = 0; i < hdr->count; i++) {
			u32 v = hdr->start + i;

			if (vgpu->trigger[v])
				eventfd_ctx_put(vgpu->trigger[v]);
			vgpu->trigger[v] = ctx[i];
		}
		vgpu->irq_type = type;
		for (i = 0; i < TESSERA_MSIX_VECTORS; i++)
			if (vgpu->trigger[i])
				break;
		if (i == TESSERA_MSIX_VECTORS)
			vgpu->irq_type = TESSERA_VIRQ_NONE;
		vgpu->s.line_level = 0;	/* deliver what is pending now */
		tessera_vgpu_irq_update(vgpu);
		return 0;
	}
	if (vgpu->irq_type != type)
		return -EINVAL;
	/* Loopback: DATA_NONE fires, DATA_BOOL fires where true. */
	for (i = 0; i < hdr->count; i++)
		if (!bools || bools[i])
			tessera_vgpu_irq_fire_vector(vgpu, hdr->start + i);
	return 0;
}

static int set_intx_mask(struct tessera_vgpu *vgpu, struct vfio_irq_set *hdr,
			 const u8 *bools, bool mask)
{
	if (hdr->start != 0 || hdr->count != 1)
		return hdr->count ? -EINVAL : 0;
	if (bools && !bools[0])
		return 0;
	vgpu->s.intx_masked = mask;
	if (!mask)
		tessera_vgpu_irq_update(vgpu);
	return 0;
}

static int set_req(struct tessera_vgpu *vgpu, struct vfio_irq_set *hdr,
		   const s32 *fds)
{
	struct eventfd_ctx *ctx = NULL;

	if (hdr->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		/* count 0 (no data): release the eventfd */
		if (hdr->count && fds[0] >= 0) {
			ctx = eventfd_ctx_fdget(fds[0]);
			if (IS_ERR(ctx))
				return PTR_ERR(ctx);
		}
	} else if (hdr->count) {
		if (vgpu->req_trigger)
			tessera_eventfd_signal(vgpu->req_trigger);
		return 0;
	}
	if (vgpu->req_trigger)
		eventfd_ctx_put(vgpu->req_trigger);
	vgpu->req_trigger = ctx;
	return 0;
}

/**
 * tessera_vgpu_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @vgpu: vGPU
 * @arg: user pointer to struct vfio_irq_set and its data
 *
 * Return: 0 or a negative errno.
 */
int tessera_vgpu_set_irqs(struct tessera_vgpu *vgpu, unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	u32 action, type;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	if (hdr.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
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
	action = hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;

	mutex_lock(&vgpu->lock);
	switch (hdr.index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_MASK ||
		    action == VFIO_IRQ_SET_ACTION_UNMASK) {
			if (hdr.flags & VFIO_IRQ_SET_DATA_EVENTFD) {
				ret = -EINVAL;	/* no irqfd unmask */
				break;
			}
			ret = set_intx_mask(vgpu, &hdr,
					    hdr.flags & VFIO_IRQ_SET_DATA_BOOL ?
					    data : NULL,
					    action == VFIO_IRQ_SET_ACTION_MASK);
			break;
		}
		fallthrough;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (action != VFIO_IRQ_SET_ACTION_TRIGGER) {
			ret = -EINVAL;
			break;
		}
		type = hdr.index == VFIO_PCI_INTX_IRQ_INDEX ? TESSERA_VIRQ_INTX :
		       hdr.index == VFIO_PCI_MSI_IRQ_INDEX ? TESSERA_VIRQ_MSI :
		       TESSERA_VIRQ_MSIX;
		ret = set_trigger(vgpu, type, &hdr, (const s32 *)data,
				  hdr.flags & VFIO_IRQ_SET_DATA_BOOL ? data :
				  NULL);
		if (!ret && type == TESSERA_VIRQ_INTX && vgpu->irq_type == type)
			vgpu->s.intx_masked = 0;
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		ret = action == VFIO_IRQ_SET_ACTION_TRIGGER ?
		      set_req(vgpu, &hdr, (const s32 *)data) : -EINVAL;
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&vgpu->lock);
	kfree(data);
	return ret;
}

/* -------------------------------------------------------------- events */

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
	u32 e, st, code = 0, fe = 0;
	u64 count, addr = 0, v;

	mutex_lock(&vgpu->lock);
	if (!vgpu->open) {
		mutex_unlock(&vgpu->lock);
		return;
	}

	mutex_lock(&ctx->lock);
	count = ctx->fault.count;
	if (count != s->fault_seen) {
		fe = ctx->fault.engine;
		code = ctx->fault.code;
		addr = ctx->fault.addr;
		ctx->fault.unread = false;
	}
	mutex_unlock(&ctx->lock);
	if (count != s->fault_seen) {
		s->fault_seen = count;
		if (fe < tdev->num_engines &&
		    s->eng[fe].state == TESSERA_VENG_STARTED) {
			struct tessera_vgpu_eng *ve = &s->eng[fe];

			/* Keep the ring off the engine until the guest acts. */
			tessera_vgpu_ring_block(vgpu, fe, true);
			ve->state = TESSERA_VENG_FAULTED;
			ve->fault_code = code;
			ve->fault_addr = addr;
			ve->int_status |= TESSERA_ENG_INT_FAULT;
			vgpu->faults++;
		}
	}

	st = tessera_rd(tdev, TESSERA_CTX_REG(ctx->id, TESSERA_CTX_STATUS));
	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_vgpu_eng *ve = &s->eng[e];
		bool pending = st & TESSERA_CTX_STATUS_PENDING(e);

		v = tessera_rd64(tdev, TESSERA_CTX_RING_REG(ctx->id, e,
							    TESSERA_RING_FENCE_LO));
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
