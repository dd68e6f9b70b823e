// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: MSI-X with one vector per engine plus the global one
 * (doorbells); a single shared vector (MSI-X, MSI or INTx) as a fallback.
 * Handlers only acknowledge and hand over: fence, idle, preemption and
 * fault events go to the engine's scheduler work (tessera_sched.c), which
 * attributes faults to the faulting context, doorbells to the doorbell work.
 */
#include <linux/interrupt.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_doorbell.h"
#include "tessera_irq.h"
#include "tessera_sched.h"
#include "tessera_hw_core.h"

static bool tessera_engine_irq(struct tessera_engine *eng)
{
	struct tessera_device *tdev = eng->tdev;
	u32 st;

	st = tessera_hw_engine_int_status(tdev, eng->idx) & TESSERA_ENG_INT_ALL;
	if (!st)
		return false;
	tessera_hw_engine_int_ack(tdev, eng->idx, st);
	atomic64_inc(&eng->irqs);
	/* The budget of the client on the engine (tessera_sched.c). */
	if (st & (TESSERA_ENG_INT_FENCE | TESSERA_ENG_INT_IDLE))
		atomic_inc(&eng->slice_irqs);
	/* the pass this asks for completes fences "by interrupt" */
	set_bit(TESSERA_PASS_IRQ, &eng->kicked);
	tessera_sched_kick(eng);
	wake_up_all(&eng->fence_wq);
	return true;
}

static irqreturn_t tessera_irq_engine(int irq, void *data)
{
	return tessera_engine_irq(data) ? IRQ_HANDLED : IRQ_NONE;
}

static irqreturn_t tessera_irq_global(int irq, void *data)
{
	tessera_doorbell_irq(data);
	return IRQ_HANDLED;
}

static irqreturn_t tessera_irq_shared(int irq, void *data)
{
	struct tessera_device *tdev = data;
	bool handled = false;
	u32 st, e;

	st = tessera_hw_int_status(tdev);
	if (!st || st == ~0u)
		return IRQ_NONE;
	for (e = 0; e < tdev->num_engines; e++)
		if (st & TESSERA_INT_ENGINE(e))
			handled |= tessera_engine_irq(&tdev->engines[e]);
	if ((st & TESSERA_INT_DOORBELL) && tessera_doorbell_irq(tdev))
		handled = true;
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

/**
 * tessera_irq_init() - allocate vectors and request the interrupts
 * @tdev: device (engines known, interrupts disabled in the device)
 *
 * Return: 0 or a negative errno.
 */
int tessera_irq_init(struct tessera_device *tdev)
{
	struct pci_dev *pdev = tdev->pdev;
	int want = 1 + tdev->num_engines;
	int ret, v;

	tdev->nvec = pci_alloc_irq_vectors(pdev, want, want, PCI_IRQ_MSIX);
	if (tdev->nvec < 0) {
		tdev->nvec = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX |
						   PCI_IRQ_MSI | PCI_IRQ_INTX);
		if (tdev->nvec < 0) {
			dev_err(&pdev->dev, "no interrupt: %d\n", tdev->nvec);
			return tdev->nvec;
		}
		tdev->shared_irq = true;
		dev_warn(&pdev->dev, "using one shared interrupt\n");
	}

	for (v = 0; v < tdev->nvec; v++) {
		irq_handler_t fn;
		void *data;

		if (tdev->shared_irq) {
			fn = tessera_irq_shared;
			data = tdev;
			snprintf(tdev->irq_names[v], sizeof(tdev->irq_names[v]),
				 "%s", tdev->name);
		} else if (v == TESSERA_MSIX_VECTOR_GLOBAL) {
			fn = tessera_irq_global;
			data = tdev;
			snprintf(tdev->irq_names[v], sizeof(tdev->irq_names[v]),
				 "%s-global", tdev->name);
		} else {
			fn = tessera_irq_engine;
			data = &tdev->engines[v - 1];
			snprintf(tdev->irq_names[v], sizeof(tdev->irq_names[v]),
				 "%s-eng%d", tdev->name, v - 1);
			tdev->engines[v - 1].irq = pci_irq_vector(pdev, v);
		}
		ret = request_irq(pci_irq_vector(pdev, v), fn,
				  tdev->shared_irq ? IRQF_SHARED : 0,
				  tdev->irq_names[v], data);
		if (ret) {
			dev_err(&pdev->dev, "cannot request vector %d: %d\n",
				v, ret);
			goto err;
		}
	}
	return 0;
err:
	while (--v >= 0)
		free_irq(pci_irq_vector(pdev, v),
			 tdev->shared_irq || v == TESSERA_MSIX_VECTOR_GLOBAL ?
			 (void *)tdev : (void *)&tdev->engines[v - 1]);
	pci_free_irq_vectors(pdev);
	tdev->nvec = 0;
	return ret;
}

/**
 * tessera_irq_fini() - free the interrupts and vectors
 * @tdev: device
 */
void tessera_irq_fini(struct tessera_device *tdev)
{
	struct pci_dev *pdev = tdev->pdev;
	int v;

	for (v = 0; v < tdev->nvec; v++)
		free_irq(pci_irq_vector(pdev, v),
			 tdev->shared_irq || v == TESSERA_MSIX_VECTOR_GLOBAL ?
			 (void *)tdev : (void *)&tdev->engines[v - 1]);
	if (tdev->nvec)
		pci_free_irq_vectors(pdev);
	tdev->nvec = 0;
}

/* REG_INT_ENABLE from @irq_on and @db_masked; int_lock held. */
static void int_enable_write(struct tessera_device *tdev)
{
	u32 v = 0;

	lockdep_assert_held(&tdev->int_lock);
	if (tdev->irq_on) {
		v = GENMASK(tdev->num_engines - 1, 0);
		if (!tdev->db_masked)
			v |= TESSERA_INT_DOORBELL;
	}
	tessera_hw_int_enable(tdev, v);
}

/**
 * tessera_irq_enable() - let the device deliver engine and doorbell events
 * @tdev: device
 */
void tessera_irq_enable(struct tessera_device *tdev)
{
	unsigned long flags;

	spin_lock_irqsave(&tdev->int_lock, flags);
	tdev->irq_on = true;
	tdev->db_masked = false;
	int_enable_write(tdev);
	spin_unlock_irqrestore(&tdev->int_lock, flags);
}

/**
 * tessera_irq_mask_doorbell() - mask or unmask the doorbell interrupt
 * @tdev: device
 * @mask: true to mask
 *
 * Unmasking while a DB_PENDING bit is set raises the interrupt at once
 * (an enable bit set over a set status bit is an edge). Nothing is
 * unmasked once tessera_irq_disable() has run.
 *
 * Context: any, hard interrupt included.
 * Return: true if the interrupt was unmasked before (for @mask).
 */
bool tessera_irq_mask_doorbell(struct tessera_device *tdev, bool mask)
{
	unsigned long flags;
	bool was;

	spin_lock_irqsave(&tdev->int_lock, flags);
	was = tdev->irq_on && !tdev->db_masked;
	if (tdev->db_masked != mask) {
		tdev->db_masked = mask;
		if (tdev->irq_on)
			int_enable_write(tdev);
	}
	spin_unlock_irqrestore(&tdev->int_lock, flags);
	return was;
}

/**
 * tessera_irq_disable() - stop interrupt delivery and wait for handlers
 * @tdev: device
 *
 * Also waits for the doorbell work and its delayed unmask.
 *
 * Context: process, without tdev->lock (the doorbell work takes it).
 */
void tessera_irq_disable(struct tessera_device *tdev)
{
	unsigned long flags;
	int v;

	spin_lock_irqsave(&tdev->int_lock, flags);
	tdev->irq_on = false;
	int_enable_write(tdev);
	spin_unlock_irqrestore(&tdev->int_lock, flags);
	for (v = 0; v < tdev->nvec; v++)
		synchronize_irq(pci_irq_vector(tdev->pdev, v));
	tessera_doorbell_quiesce(tdev);
}
