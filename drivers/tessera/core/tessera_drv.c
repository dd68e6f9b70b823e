// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera host driver: PCI probe/remove, BARs, device reset and identity,
 * engine bring-up. Binds the physical GPU and, in a guest, a mediated vGPU
 * (TESSERA_CAPS_VIRTUAL) which it drives within what the vGPU exposes.
 * The vGPUs of a physical GPU are tessera-vgpu.ko's (tessera_mediator.c).
 */
#include <linux/module.h>
#include <linux/pci.h>

#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_guest.h"
#include "tessera_cdev.h"
#include "tessera_ctx.h"
#include "tessera_debugfs.h"
#include "tessera_doorbell.h"
#include "tessera_gart.h"
#include "tessera_irq.h"
#include "tessera_mediator.h"
#include "tessera_sched.h"
#include "tessera_sysfs.h"
#include "tessera_vram.h"
#include "tessera_hw_core.h"

static unsigned int tessera_ctx_vram_mb = 16;
module_param_named(ctx_vram_mb, tessera_ctx_vram_mb, uint, 0444);
MODULE_PARM_DESC(ctx_vram_mb, "VRAM window of each context, MiB, power of two (default 16)");

static unsigned int tessera_ctx_gart_mb = 16;
module_param_named(ctx_gart_mb, tessera_ctx_gart_mb, uint, 0444);
MODULE_PARM_DESC(ctx_gart_mb, "GART window of each context, MiB, power of two (default 16)");

static unsigned int tessera_ring_kb = 16;
module_param_named(ring_kb, tessera_ring_kb, uint, 0444);
MODULE_PARM_DESC(ring_kb, "ring size of each context and engine, KiB, power of two 4..1024 (default 16)");

static unsigned int tessera_timeslice_us = 2000;
module_param_named(timeslice_us, tessera_timeslice_us, uint, 0444);
MODULE_PARM_DESC(timeslice_us, "scheduler time slice, us (default 2000)");

static DEFINE_IDA(tessera_index_ida);

static void tessera_device_release(struct kref *kref)
{
	struct tessera_device *tdev = container_of(kref, struct tessera_device,
						   kref);

	tessera_gart_fini(tdev);
	tessera_vram_fini(tdev);
	ida_destroy(&tdev->handles);
	ida_free(&tessera_index_ida, tdev->index);
	pci_dev_put(tdev->pdev);
	kfree(tdev);
}

/**
 * tessera_device_put() - drop a reference to a device
 * @tdev: device
 */
void tessera_device_put(struct tessera_device *tdev)
{
	kref_put(&tdev->kref, tessera_device_release);
}

/* Check the identity registers and take the device's shape from them. */
static int tessera_read_identity(struct tessera_device *tdev)
{
	struct device *dev = &tdev->pdev->dev;
	struct tessera_hw_ident id;
	int i;

	tessera_hw_identify(tdev, &id);
	if (id.id != TESSERA_ID_MAGIC) {
		dev_err(dev, "bad ID register 0x%08x (expected 0x%08x)\n",
			id.id, TESSERA_ID_MAGIC);
		return -ENODEV;
	}
	tdev->hw_version = id.version;
	if (tdev->hw_version >> 16 != TESSERA_VERSION_1_0 >> 16) {
		dev_err(dev, "unsupported hardware version %u.%u\n",
			tdev->hw_version >> 16, tdev->hw_version & 0xffff);
		return -ENODEV;
	}
	tdev->caps = id.caps;
	tessera_guest_detect(tdev);

	tdev->num_engines = TESSERA_ENGINES_TOTAL(id.engines);
	tdev->num_compute = TESSERA_ENGINES_COMPUTE(id.engines);
	tdev->num_copy = TESSERA_ENGINES_COPY(id.engines);
	if (!tdev->num_engines || tdev->num_engines > TESSERA_MAX_ENGINES ||
	    tdev->num_compute + tdev->num_copy != tdev->num_engines) {
		dev_err(dev, "bad engine configuration 0x%08x\n", id.engines);
		return -ENODEV;
	}
	tdev->num_contexts = id.contexts;
	if (tdev->num_contexts < tessera_guest_min_contexts(tdev) ||
	    tdev->num_contexts > TESSERA_MAX_CONTEXTS) {
		dev_err(dev, "unsupported context count %u\n",
			tdev->num_contexts);
		return -ENODEV;
	}
	tdev->gart_entries = id.gart_entries;
	if (!tdev->gart_entries ||
	    tdev->gart_entries > TESSERA_MAX_GART_ENTRIES) {
		dev_err(dev, "bad GART size %u\n", tdev->gart_entries);
		return -ENODEV;
	}
	tdev->vram_size = id.vram_size;
	if (!tdev->vram_size || tdev->vram_size & (TESSERA_PAGE_SIZE - 1)) {
		dev_err(dev, "bad VRAM size %llu\n", tdev->vram_size);
		return -ENODEV;
	}
	if (tdev->vram_size > tdev->vram_bar_size) {
		dev_warn(dev, "VRAM %llu bytes, BAR2 only %llu: using BAR2\n",
			 tdev->vram_size, (u64)tdev->vram_bar_size);
		tdev->vram_size = tdev->vram_bar_size;
	}
	if (tdev->db_bar_size < (u64)tdev->num_contexts *
				TESSERA_DOORBELL_PAGE_SIZE) {
		dev_err(dev, "BAR4 too small for %u doorbell pages\n",
			tdev->num_contexts);
		return -ENODEV;
	}
	for (i = 0; i < tdev->num_engines; i++)
		tdev->engines[i].class = TESSERA_ENG_CLASS(id.engine_caps[i]);
	return 0;
}

static void tessera_engines_bringup(struct tessera_device *tdev)
{
	int i;

	for (i = 0; i < tdev->num_engines; i++) {
		tessera_hw_engine_int_ack(tdev, i, TESSERA_ENG_INT_ALL);
		tessera_hw_engine_int_enable(tdev, i, TESSERA_ENG_INT_ALL);
	}
	/* Context 0 (the host's) stays invalid until the host needs it. */
	tessera_hw_ctx_invalidate(tdev, 0);
}

/* Check the module parameters and copy them into the device's settings. */
static int tessera_config_init(struct device *dev, struct tessera_config *cfg)
{
	if (!is_power_of_2(tessera_ctx_vram_mb) || tessera_ctx_vram_mb > 4096 ||
	    !is_power_of_2(tessera_ctx_gart_mb) || tessera_ctx_gart_mb > 1024 ||
	    !is_power_of_2(tessera_ring_kb) || tessera_ring_kb < 4 ||
	    tessera_ring_kb > 1024 || !tessera_timeslice_us) {
		dev_err(dev, "invalid module parameters\n");
		return -EINVAL;
	}
	/* Rings of every engine must leave room for buffers. */
	if ((u64)tessera_ring_kb * TESSERA_MAX_ENGINES * 2 >
	    (u64)tessera_ctx_vram_mb * 1024) {
		dev_err(dev, "ring_kb too large for ctx_vram_mb\n");
		return -EINVAL;
	}
	cfg->ctx_vram = (u64)tessera_ctx_vram_mb << 20;
	cfg->ctx_gart = (u64)tessera_ctx_gart_mb << 20;
	cfg->ring_size = tessera_ring_kb << 10;
	cfg->timeslice_ns = (u64)tessera_timeslice_us * NSEC_PER_USEC;
	return 0;
}

static struct tessera_device *tessera_device_alloc(struct pci_dev *pdev)
{
	struct tessera_device *tdev;

	tdev = kzalloc(sizeof(*tdev), GFP_KERNEL);
	if (!tdev)
		return ERR_PTR(-ENOMEM);
	tdev->index = ida_alloc(&tessera_index_ida, GFP_KERNEL);
	if (tdev->index < 0) {
		int ret = tdev->index;

		kfree(tdev);
		return ERR_PTR(ret);
	}
	kref_init(&tdev->kref);
	tdev->pdev = pci_dev_get(pdev);
	mutex_init(&tdev->lock);
	init_rwsem(&tdev->hw_sem);
	INIT_LIST_HEAD(&tdev->ctx_list);
	ida_init(&tdev->handles);
	snprintf(tdev->name, sizeof(tdev->name), "tessera%d", tdev->index);
	return tdev;
}

/* The probe's reference, dropped when the driver unbinds (after remove). */
static void tessera_devm_put(void *tdev)
{
	tessera_device_put(tdev);
}

/*
 * PCI step: enable, claim and map the BARs, DMA. Every resource is
 * managed (pcim_*, devm_*): released after remove or a failed probe, in
 * reverse order.
 */
static int tessera_probe_pci(struct tessera_device *tdev)
{
	struct pci_dev *pdev = tdev->pdev;
	struct device *dev = &pdev->dev;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable device\n");
	ret = tessera_pcim_request_regions(pdev, TESSERA_DRV_NAME);
	if (ret)
		return dev_err_probe(dev, ret, "cannot claim BARs\n");
	if (!(pci_resource_flags(pdev, TESSERA_BAR_CSR) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, TESSERA_BAR_CSR) < TESSERA_CSR_BAR_SIZE ||
	    !(pci_resource_flags(pdev, TESSERA_BAR_VRAM) & IORESOURCE_MEM) ||
	    !(pci_resource_flags(pdev, TESSERA_BAR_DOORBELL) & IORESOURCE_MEM))
		return dev_err_probe(dev, -ENODEV, "unexpected BAR layout\n");
	tdev->vram_phys = pci_resource_start(pdev, TESSERA_BAR_VRAM);
	tdev->vram_bar_size = pci_resource_len(pdev, TESSERA_BAR_VRAM);
	tdev->db_phys = pci_resource_start(pdev, TESSERA_BAR_DOORBELL);
	tdev->db_bar_size = pci_resource_len(pdev, TESSERA_BAR_DOORBELL);

	tdev->csr = pcim_iomap(pdev, TESSERA_BAR_CSR, TESSERA_CSR_BAR_SIZE);
	if (!tdev->csr)
		return dev_err_probe(dev, -ENOMEM, "cannot map BAR0\n");
	tdev->vram = devm_ioremap_wc(dev, tdev->vram_phys, tdev->vram_bar_size);
	if (!tdev->vram)
		return dev_err_probe(dev, -ENOMEM, "cannot map BAR2\n");
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return dev_err_probe(dev, ret, "no usable DMA mask\n");
	pci_set_master(pdev);
	return 0;
}

/*
 * Hardware step: identity, reset, the allocators, the scheduler, the
 * doorbell work and interrupts. Undone by tessera_hw_teardown().
 */
static int tessera_probe_hw(struct tessera_device *tdev)
{
	struct device *dev = &tdev->pdev->dev;
	int ret;

	ret = tessera_read_identity(tdev);
	if (ret)
		return ret;
	ret = tessera_hw_reset(tdev);
	if (ret)
		return dev_err_probe(dev, ret,
				     "device did not come out of reset\n");
	/* Both allocators are freed with the device (tessera_device_release()). */
	ret = tessera_vram_init(tdev);
	if (ret)
		return ret;
	ret = tessera_gart_init(tdev);
	if (ret)
		return ret;

	tdev->wq = alloc_workqueue("%s", WQ_UNBOUND | WQ_HIGHPRI, 0,
				   tdev->name);
	if (!tdev->wq)
		return -ENOMEM;
	tessera_sched_init(tdev);
	tessera_doorbell_init(tdev);
	tessera_engines_bringup(tdev);

	ret = tessera_irq_init(tdev);
	if (ret)
		goto err_wq;
	tessera_irq_enable(tdev);
	return 0;

err_wq:
	tessera_sched_fini(tdev);
	destroy_workqueue(tdev->wq);
	return ret;
}

/*
 * Undo tessera_probe_hw() once nothing can reach the device any more:
 * stop the engines, the interrupts and the work, take the contexts'
 * resources from files still open (they get -ENODEV from now on) and
 * leave the device reset.
 */
static void tessera_hw_teardown(struct tessera_device *tdev)
{
	struct tessera_ctx *ctx;

	tessera_sched_stop_all(tdev);
	tessera_irq_disable(tdev);
	tessera_irq_fini(tdev);
	tessera_sched_fini(tdev);
	mutex_lock(&tdev->lock);
	list_for_each_entry(ctx, &tdev->ctx_list, node)
		tessera_ctx_kill(ctx);
	mutex_unlock(&tdev->lock);
	tessera_hw_reset(tdev);
	destroy_workqueue(tdev->wq);
}

/* UAPI step: the native device file, debugfs, then the mediator. */
static int tessera_probe_uapi(struct tessera_device *tdev)
{
	int ret;

	ret = tessera_cdev_register(tdev);
	if (ret)
		return ret;
	tessera_debugfs_init(tdev);
	tessera_mediator_add(tdev);
	return 0;
}

/* Undo tessera_probe_uapi(), then wait for every file operation. */
static void tessera_uapi_teardown(struct tessera_device *tdev)
{
	tessera_mediator_remove(tdev);
	tessera_debugfs_fini(tdev);
	tessera_cdev_unregister(tdev);

	down_write(&tdev->hw_sem);
	mutex_lock(&tdev->lock);
	tdev->dead = true;
	mutex_unlock(&tdev->lock);
	up_write(&tdev->hw_sem);
}

static int tessera_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct tessera_device *tdev;
	struct tessera_config cfg;
	int ret;

	/* The GART maps 4 KiB pages; user pages are mapped one to one. */
	BUILD_BUG_ON(PAGE_SIZE != TESSERA_PAGE_SIZE);

	ret = tessera_config_init(dev, &cfg);
	if (ret)
		return ret;
	tdev = tessera_device_alloc(pdev);
	if (IS_ERR(tdev))
		return PTR_ERR(tdev);
	tdev->cfg = cfg;
	ret = devm_add_action_or_reset(dev, tessera_devm_put, tdev);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, tdev);

	ret = tessera_probe_pci(tdev);
	if (ret)
		return ret;
	ret = tessera_probe_hw(tdev);
	if (ret)
		goto err_clear_master;
	ret = tessera_probe_uapi(tdev);
	if (ret)
		goto err_hw;

	dev_info(dev, "%s: %s GPU v%u.%u, %u engines (%u compute, %u copy), %u contexts, %llu MiB VRAM, %u GART entries, %d IRQ vectors\n",
		 tdev->name, tdev->is_virtual ? "virtual" : "physical",
		 tdev->hw_version >> 16, tdev->hw_version & 0xffff,
		 tdev->num_engines, tdev->num_compute, tdev->num_copy,
		 tdev->num_contexts, tdev->vram_size >> 20, tdev->gart_entries,
		 tdev->nvec);
	return 0;

err_hw:
	tessera_hw_teardown(tdev);
err_clear_master:
	pci_clear_master(pdev);
	return ret;
}

/*
 * The UAPI goes first, so that no file operation is in flight; then the
 * hardware. The managed PCI resources follow after this returns, and the
 * device structure with its last reference.
 */
static void tessera_remove(struct pci_dev *pdev)
{
	struct tessera_device *tdev = pci_get_drvdata(pdev);

	tessera_uapi_teardown(tdev);
	tessera_hw_teardown(tdev);
	pci_clear_master(pdev);
}

static void tessera_shutdown(struct pci_dev *pdev)
{
	struct tessera_device *tdev = pci_get_drvdata(pdev);

	if (!tdev)
		return;
	/* Stop all DMA before a kexec or power off. */
	tessera_irq_disable(tdev);
	tessera_hw_reset(tdev);
	pci_clear_master(pdev);
}

static const struct pci_device_id tessera_pci_ids[] = {
	{ PCI_DEVICE(TESSERA_PCI_VENDOR_ID, TESSERA_PCI_DEVICE_ID) },
	{ PCI_DEVICE(TESSERA_PCI_VENDOR_ID, TESSERA_PCI_VGPU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, tessera_pci_ids);

static struct pci_driver tessera_pci_driver = {
	.name = TESSERA_DRV_NAME,
	.id_table = tessera_pci_ids,
	.probe = tessera_probe,
	.remove = tessera_remove,
	.shutdown = tessera_shutdown,
	.dev_groups = tessera_dev_groups,
};

static int __init tessera_init(void)
{
	int ret;

	tessera_debugfs_module_init();
	ret = pci_register_driver(&tessera_pci_driver);
	if (ret)
		tessera_debugfs_module_exit();
	return ret;
}

static void __exit tessera_exit(void)
{
	pci_unregister_driver(&tessera_pci_driver);
	tessera_debugfs_module_exit();
}

module_init(tessera_init);
module_exit(tessera_exit);

MODULE_DESCRIPTION("Tessera GPU host driver (native interface, guest mode)");
MODULE_AUTHOR("Tessera developers");
MODULE_LICENSE("GPL");
