// SPDX-License-Identifier: GPL-2.0
/*
 * The mediator hook: how tessera-vgpu.ko (the vGPU mediation, VFIO mdev)
 * learns of the GPUs that tessera.ko binds, without tessera.ko linking a
 * VFIO or mdev symbol. One mediator at a time registers; it is attached to
 * every GPU bound then, and to every GPU probed later, and detached from
 * each before the core tears the GPU down, and from all when it goes.
 *
 * Locking: tessera_mediator_lock (a mutex) protects tessera_mediator,
 * tessera_devices and every device's @mediator_node and @mediated, and is
 * held across each ops->attach() and ops->detach(): so a GPU is attached
 * at most once, and never detached while being attached. Probe and remove
 * take it inside the PCI device lock (device_lock(&pdev->dev)), so the ops
 * must not take that lock (the registration path holds the mutex without
 * it). The core's own locks (tdev->hw_sem, tdev->lock, the engines' and
 * the contexts') are never held when taking it.
 */
#include <linux/list.h>
#include <linux/mutex.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_mediator.h"

static DEFINE_MUTEX(tessera_mediator_lock);
static const struct tessera_mediator_ops *tessera_mediator;
static LIST_HEAD(tessera_devices);

static void tessera_mediator_attach(struct tessera_device *tdev)
{
	lockdep_assert_held(&tessera_mediator_lock);
	/* vGPUs are optional: the host keeps working without them. */
	if (tessera_mediator->attach(tdev))
		dev_warn(&tdev->pdev->dev, "vGPUs not available\n");
	else
		tdev->mediated = true;
}

static void tessera_mediator_detach(struct tessera_device *tdev)
{
	lockdep_assert_held(&tessera_mediator_lock);
	if (!tdev->mediated)
		return;
	tessera_mediator->detach(tdev);
	tdev->mediated = false;
}

/**
 * tessera_mediator_add() - a GPU is up: attach the mediator to it, if any
 * @tdev: the GPU, at the end of a successful probe
 *
 * Context: process context (probe), may sleep.
 */
void tessera_mediator_add(struct tessera_device *tdev)
{
	mutex_lock(&tessera_mediator_lock);
	list_add_tail(&tdev->mediator_node, &tessera_devices);
	if (tessera_mediator)
		tessera_mediator_attach(tdev);
	mutex_unlock(&tessera_mediator_lock);
}

/**
 * tessera_mediator_remove() - a GPU goes: detach the mediator from it
 * @tdev: the GPU, first thing in remove (after tessera_mediator_add())
 *
 * Context: process context (remove), may sleep until the mediator's users
 * of @tdev are gone.
 */
void tessera_mediator_remove(struct tessera_device *tdev)
{
	mutex_lock(&tessera_mediator_lock);
	if (tessera_mediator)
		tessera_mediator_detach(tdev);
	list_del(&tdev->mediator_node);
	mutex_unlock(&tessera_mediator_lock);
}

/**
 * tessera_register_mediator() - hook a mediator (the vGPU module) in
 * @ops: its attach and detach; must stay valid until
 *       tessera_unregister_mediator()
 *
 * Calls @ops->attach() for every GPU bound now, in probe order; later
 * probes call it too. An attach that fails leaves that GPU without the
 * mediator (a warning is logged) and does not fail the registration.
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL if @ops lacks a callback, -EBUSY if a mediator is
 * registered already.
 */
int tessera_register_mediator(const struct tessera_mediator_ops *ops)
{
	struct tessera_device *tdev;

	if (!ops || !ops->attach || !ops->detach)
		return -EINVAL;
	mutex_lock(&tessera_mediator_lock);
	if (tessera_mediator) {
		mutex_unlock(&tessera_mediator_lock);
		return -EBUSY;
	}
	tessera_mediator = ops;
	list_for_each_entry(tdev, &tessera_devices, mediator_node)
		tessera_mediator_attach(tdev);
	mutex_unlock(&tessera_mediator_lock);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(tessera_register_mediator, TESSERA_NS);

/**
 * tessera_unregister_mediator() - unhook the mediator
 * @ops: as given to tessera_register_mediator()
 *
 * Calls @ops->detach() for every GPU it is attached to, newest first; once
 * this returns, the core calls @ops no more.
 *
 * Context: process context, may sleep until the mediator's users are gone.
 */
void tessera_unregister_mediator(const struct tessera_mediator_ops *ops)
{
	struct tessera_device *tdev;

	mutex_lock(&tessera_mediator_lock);
	if (WARN_ON(tessera_mediator != ops)) {
		mutex_unlock(&tessera_mediator_lock);
		return;
	}
	list_for_each_entry_reverse(tdev, &tessera_devices, mediator_node)
		tessera_mediator_detach(tdev);
	tessera_mediator = NULL;
	mutex_unlock(&tessera_mediator_lock);
}
EXPORT_SYMBOL_NS_GPL(tessera_unregister_mediator, TESSERA_NS);
