// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera host driver: PCI probe/remove, BARs, device reset and identity,
 * engine bring-up. Binds the physical GPU and, in a guest, a mediated vGPU
 * (TESSERA_CAPS_VIRTUAL) which it drives within what the vGPU exposes.
 * The vGPUs of a physical GPU are tessera-vgpu.ko's (tessera_mediator.c).
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "tessera_drv.h"

unsigned int tessera_ctx_vram_mb = 16;
module_param_named(ctx_vram_mb, tessera_ctx_vram_mb, uint, 0444);
MODULE_PARM_DESC(ctx_vram_mb, "VRAM window of each context, MiB, power of two (default 16)");

unsigned int tessera_ctx_gart_mb = 16;
module_param_named(ctx_gart_mb, tessera_ctx_gart_mb, uint, 0444);
MODULE_PARM_DESC(ctx_gart_mb, "GART window of each context, MiB, power of two (default 16)");

unsigned int tessera_ring_kb = 16;
module_param_named(ring_kb, tessera_ring_kb, uint, 0444);
MODULE_PARM_DESC(ring_kb, "ring size of each context and engine, KiB, power of two 4..1024 (default 16)");

unsigned int tessera_timeslice_us = 2000;
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

static int tessera_hw_reset(struct tessera_device *tdev)
{
	int i;

	tessera_wr(tdev, TESSERA_REG_RESET, TESSERA_RESET_MAGIC);
	for (i = 0; i < 1000; i++) {
		if (tessera_rd(tdev, TESSERA_REG_STATUS) & TESSERA_STATUS_READY)
			return 0;
		usleep_range(100, 200);
	}
	return -ETIMEDOUT;
}

static int tessera_read_identity(struct tessera_device *tdev)
{
	struct device *dev = &tdev->pdev->dev;
	u32 id, eng;
	int i;

	id = tessera_rd(tdev, TESSERA_REG_ID);
	if (id != TESSERA_ID_MAGIC) {
		dev_err(dev, "bad ID register 0x%08x (expected 0x%08x)\n",
			id, TESSERA_ID_MAGIC);
		return -ENODEV;
	}
	tdev->hw_version = tessera_rd(tdev, TESSERA_REG_VERSION);
	if (tdev->hw_version >> 16 != TESSERA_VERSION_1_0 >> 16) {
		dev_err(dev, "unsupported hardware version %u.%u\n",
			tdev->hw_version >> 16, tdev->hw_version & 0xffff);
		return -ENODEV;
	}
	tdev->caps = tessera_rd(tdev, TESSERA_REG_CAPS);
	tdev->is_virtual = !!(tdev->caps & TESSERA_CAPS_VIRTUAL);
	if (tdev->pdev->device == TESSERA_PCI_VGPU_DEVICE_ID &&
	    !tdev->is_virtual)
		dev_warn(dev, "vGPU device id without TESSERA_CAPS_VIRTUAL\n");

	eng = tessera_rd(tdev, TESSERA_REG_ENGINES);
	tdev->num_engines = TESSERA_ENGINES_TOTAL(eng);
	tdev->num_compute = TESSERA_ENGINES_COMPUTE(eng);
	tdev->num_copy = TESSERA_ENGINES_COPY(eng);
	if (!tdev->num_engines || tdev->num_engines > TESSERA_MAX_ENGINES ||
	    tdev->num_compute + tdev->num_copy != tdev->num_engines) {
		dev_err(dev, "bad engine configuration 0x%08x\n", eng);
		return -ENODEV;
	}
	tdev->num_contexts = tessera_rd(tdev, TESSERA_REG_CONTEXTS);
	/* On a physical GPU context 0 stays with the host, so at least one
	 * more is needed; a vGPU has just its own context (0) to hand out.
	 */
	if (tdev->num_contexts < (tdev->is_virtual ? 1 : 2) ||
	    tdev->num_contexts > TESSERA_MAX_CONTEXTS) {
		dev_err(dev, "unsupported context count %u\n",
			tdev->num_contexts);
		return -ENODEV;
	}
	tdev->gart_entries = tessera_rd(tdev, TESSERA_REG_GART_ENTRIES);
	if (!tdev->gart_entries ||
	    tdev->gart_entries > TESSERA_MAX_GART_ENTRIES) {
		dev_err(dev, "bad GART size %u\n", tdev->gart_entries);
		return -ENODEV;
	}
	tdev->vram_size = tessera_rd64(tdev, TESSERA_REG_VRAM_SIZE_LO);
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
	for (i = 0; i < tdev->num_engines; i++) {
		u32 caps = tessera_rd(tdev, TESSERA_ENG_REG(i, TESSERA_ENG_CAPS));

		tdev->engines[i].class = TESSERA_ENG_CLASS(caps);
	}
	return 0;
}

static void tessera_engines_bringup(struct tessera_device *tdev)
{
	int i;

	for (i = 0; i < tdev->num_engines; i++) {
		tessera_wr(tdev, TESSERA_ENG_REG(i, TESSERA_ENG_INT_STATUS),
			   TESSERA_ENG_INT_ALL);
		tessera_wr(tdev, TESSERA_ENG_REG(i, TESSERA_ENG_INT_MASK),
			   TESSERA_ENG_INT_ALL);
	}
	/* Context 0 (the host's) stays invalid until the host needs it. */
	tessera_wr(tdev, TESSERA_CTX_REG(0, TESSERA_CTX_CTRL), 0);
}

static int tessera_check_params(struct device *dev)
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
	return 0;
}

static int tessera_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct tessera_device *tdev;
	int ret;

	/* The GART maps 4 KiB pages; user pages are mapped one to one. */
	BUILD_BUG_ON(PAGE_SIZE != TESSERA_PAGE_SIZE);

	ret = tessera_check_params(dev);
	if (ret)
		return ret;

	tdev = kzalloc(sizeof(*tdev), GFP_KERNEL);
	if (!tdev)
		return -ENOMEM;
	kref_init(&tdev->kref);
	tdev->pdev = pci_dev_get(pdev);
	mutex_init(&tdev->lock);
	init_rwsem(&tdev->hw_sem);
	INIT_LIST_HEAD(&tdev->ctx_list);
	ida_init(&tdev->handles);
	tdev->index = ida_alloc(&tessera_index_ida, GFP_KERNEL);
	if (tdev->index < 0) {
		ret = tdev->index;
		pci_dev_put(pdev);
		kfree(tdev);
		return ret;
	}
	snprintf(tdev->name, sizeof(tdev->name), "tessera%d", tdev->index);
	pci_set_drvdata(pdev, tdev);

	ret = pci_enable_device(pdev);
	if (ret) {
		dev_err(dev, "cannot enable device: %d\n", ret);
		goto err_put;
	}
	ret = pci_request_regions(pdev, TESSERA_DRV_NAME);
	if (ret) {
		dev_err(dev, "cannot claim BARs: %d\n", ret);
		goto err_disable;
	}
	if (!(pci_resource_flags(pdev, TESSERA_BAR_CSR) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, TESSERA_BAR_CSR) < TESSERA_CSR_BAR_SIZE ||
	    !(pci_resource_flags(pdev, TESSERA_BAR_VRAM) & IORESOURCE_MEM) ||
	    !(pci_resource_flags(pdev, TESSERA_BAR_DOORBELL) & IORESOURCE_MEM)) {
		dev_err(dev, "unexpected BAR layout\n");
		ret = -ENODEV;
		goto err_regions;
	}
	tdev->vram_phys = pci_resource_start(pdev, TESSERA_BAR_VRAM);
	tdev->vram_bar_size = pci_resource_len(pdev, TESSERA_BAR_VRAM);
	tdev->db_phys = pci_resource_start(pdev, TESSERA_BAR_DOORBELL);
	tdev->db_bar_size = pci_resource_len(pdev, TESSERA_BAR_DOORBELL);

	tdev->csr = pci_iomap(pdev, TESSERA_BAR_CSR, TESSERA_CSR_BAR_SIZE);
	if (!tdev->csr) {
		dev_err(dev, "cannot map BAR0\n");
		ret = -ENOMEM;
		goto err_regions;
	}
	tdev->vram = pci_iomap_wc(pdev, TESSERA_BAR_VRAM, 0);
	if (!tdev->vram) {
		dev_err(dev, "cannot map BAR2\n");
		ret = -ENOMEM;
		goto err_unmap_csr;
	}
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret) {
		dev_err(dev, "no usable DMA mask: %d\n", ret);
		goto err_unmap_vram;
	}
	pci_set_master(pdev);

	ret = tessera_read_identity(tdev);
	if (ret)
		goto err_clear_master;
	ret = tessera_hw_reset(tdev);
	if (ret) {
		dev_err(dev, "device did not come out of reset\n");
		goto err_clear_master;
	}
	ret = tessera_vram_init(tdev);
	if (ret)
		goto err_clear_master;
	ret = tessera_gart_init(tdev);
	if (ret)
		goto err_clear_master;

	tdev->wq = alloc_workqueue("%s", WQ_UNBOUND | WQ_HIGHPRI, 0,
				   tdev->name);
	if (!tdev->wq) {
		ret = -ENOMEM;
		goto err_clear_master;
	}
	tessera_sched_init(tdev);
	tessera_doorbell_init(tdev);
	tessera_engines_bringup(tdev);

	ret = tessera_irq_init(tdev);
	if (ret)
		goto err_wq;
	tessera_irq_enable(tdev);

	ret = tessera_cdev_register(tdev);
	if (ret)
		goto err_irq;
	tessera_debugfs_init(tdev);
	tessera_mediator_add(tdev);

	dev_info(dev, "%s: %s GPU v%u.%u, %u engines (%u compute, %u copy), %u contexts, %llu MiB VRAM, %u GART entries, %d IRQ vectors\n",
		 tdev->name, tdev->is_virtual ? "virtual" : "physical",
		 tdev->hw_version >> 16, tdev->hw_version & 0xffff,
		 tdev->num_engines, tdev->num_compute, tdev->num_copy,
		 tdev->num_contexts, tdev->vram_size >> 20, tdev->gart_entries,
		 tdev->nvec);
	return 0;

err_irq:
	tessera_irq_disable(tdev);
	tessera_irq_fini(tdev);
err_wq:
	tessera_sched_fini(tdev);
	destroy_workqueue(tdev->wq);
err_clear_master:
	pci_clear_master(pdev);
err_unmap_vram:
	pci_iounmap(pdev, tdev->vram);
err_unmap_csr:
	pci_iounmap(pdev, tdev->csr);
err_regions:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_put:
	pci_set_drvdata(pdev, NULL);
	tessera_device_put(tdev);
	return ret;
}

static void tessera_remove(struct pci_dev *pdev)
{
	struct tessera_device *tdev = pci_get_drvdata(pdev);
	struct tessera_ctx *ctx;

	tessera_mediator_remove(tdev);
	tessera_debugfs_fini(tdev);
	tessera_cdev_unregister(tdev);

	/* Wait for every file operation that touches the device. */
	down_write(&tdev->hw_sem);
	mutex_lock(&tdev->lock);
	tdev->dead = true;
	mutex_unlock(&tdev->lock);
	up_write(&tdev->hw_sem);

	/* Stop every engine, then take the device's resources from files
	 * that are still open: they only get -ENODEV from now on.
	 */
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

	pci_clear_master(pdev);
	pci_iounmap(pdev, tdev->vram);
	pci_iounmap(pdev, tdev->csr);
	tdev->vram = NULL;
	tdev->csr = NULL;
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	pci_set_drvdata(pdev, NULL);
	tessera_device_put(tdev);
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
