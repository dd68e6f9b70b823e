// SPDX-License-Identifier: GPL-2.0
/*
 * mdev parent: every bound physical Tessera GPU offers vGPU types
 * (mdev_supported_types/tessera-<type>/). Creating an mdev allocates a
 * hardware context with the type's VRAM partition and GART slice and
 * registers a vfio_device (emulated IOMMU) for it; removing it undoes that.
 *
 * The module (tessera-vgpu.ko) learns of the GPUs from tessera.ko through
 * the mediator hook (tessera_register_mediator(), <tessera/tessera_core.h>).
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "tessera_vgpu.h"

/* Smallest type first: 8 MiB gives 63 vGPUs (context-bound) on 512 MiB. */
/*
 * One type: VRAM partition (MiB), GART slice (4 KiB entries), scheduler
 * weight (a multiple of the unit weight, scheduler.rst). The table is
 * Documentation/dev/mediation.rst's; its order is the types' index.
 */
#define TESSERA_VGPU_TYPE(mb, gart, w) {			\
	.sysfs_name = #mb "m",					\
	.pretty_name = "Tessera vGPU " #mb "M",			\
	.vram_mb = (mb),					\
	.gart_entries = (gart),					\
	.weight = (w),						\
}

const struct tessera_vgpu_type tessera_vgpu_types[] = {
	TESSERA_VGPU_TYPE(8, 1024, 1),
	TESSERA_VGPU_TYPE(32, 4096, 2),
	TESSERA_VGPU_TYPE(128, 8192, 4),
	TESSERA_VGPU_TYPE(256, 16384, 8),
};

const unsigned int tessera_vgpu_nr_types = ARRAY_SIZE(tessera_vgpu_types);

static LIST_HEAD(tessera_parents);
static DEFINE_MUTEX(tessera_parents_lock);

static u32 type_index(struct mdev_type *mtype)
{
	struct tessera_mdev_parent *mp =
		container_of(mtype->parent, struct tessera_mdev_parent, parent);

	return mtype - mp->types;
}

static unsigned int tessera_mdev_available(struct tessera_mdev_parent *mp,
					   u32 t)
{
	const struct tessera_vgpu_type *type = &tessera_vgpu_types[t];
	struct tessera_device *tdev = mp->tdev;
	u64 n;

	n = tessera_ctx_capacity(tdev, (u64)type->vram_mb << 20,
				 (u64)type->gart_entries << TESSERA_PAGE_SHIFT);
	mutex_lock(&mp->lock);
	n = min_t(u64, n, TESSERA_VGPU_MAX - mp->nr_vgpus);
	mutex_unlock(&mp->lock);
	return n;
}

static unsigned int tessera_mdev_get_available(struct mdev_type *mtype)
{
	struct tessera_mdev_parent *mp =
		container_of(mtype->parent, struct tessera_mdev_parent, parent);

	return tessera_mdev_available(mp, type_index(mtype));
}

static ssize_t tessera_mdev_show_description(struct mdev_type *mtype,
					     char *buf)
{
	const struct tessera_vgpu_type *t =
		&tessera_vgpu_types[type_index(mtype)];
	struct tessera_mdev_parent *mp =
		container_of(mtype->parent, struct tessera_mdev_parent, parent);

	if (!tessera_vgpu_mig_supported())
		return sysfs_emit(buf,
				  "vram=%uMiB gart=%uMiB (%u entries) engines=%u contexts=1 weight=%u migration=none\n",
				  t->vram_mb, t->gart_entries >> 8,
				  t->gart_entries, mp->info.num_engines,
				  t->weight);
	return sysfs_emit(buf,
			  "vram=%uMiB gart=%uMiB (%u entries) engines=%u contexts=1 weight=%u migration=v%u\n",
			  t->vram_mb, t->gart_entries >> 8, t->gart_entries,
			  mp->info.num_engines, t->weight,
			  TESSERA_MIG_VERSION);
}

static struct tessera_mdev_parent *find_parent(struct device *dev)
{
	struct tessera_mdev_parent *mp;

	list_for_each_entry(mp, &tessera_parents, node)
		if (mp->parent.dev == dev)
			return mp;
	return NULL;
}

static int tessera_mdev_probe(struct mdev_device *mdev)
{
	struct tessera_mdev_parent *mp;
	struct tessera_vgpu *vgpu;
	int ret;

	mutex_lock(&tessera_parents_lock);
	mp = find_parent(mdev->dev.parent);
	mutex_unlock(&tessera_parents_lock);
	if (!mp)
		return -ENODEV;

	vgpu = vfio_alloc_device(tessera_vgpu, vdev, &mdev->dev,
				 &tessera_vgpu_ops);
	if (IS_ERR(vgpu))
		return PTR_ERR(vgpu);
	vgpu->mdev = mdev;
	vgpu->mp = mp;
	vgpu->tdev = mp->tdev;
	vgpu->info = &mp->info;
	vgpu->type_idx = type_index(mdev->type);
	vgpu->type = &tessera_vgpu_types[vgpu->type_idx];
	vgpu->vram_size = (u64)vgpu->type->vram_mb << 20;
	vgpu->gart_entries = vgpu->type->gart_entries;

	mutex_lock(&mp->lock);
	if (mp->nr_vgpus >= TESSERA_VGPU_MAX) {
		mutex_unlock(&mp->lock);
		ret = -ENOSPC;
		goto err_log;
	}
	mp->nr_vgpus++;
	mutex_unlock(&mp->lock);

	vgpu->ctx = tessera_ctx_create_sized(vgpu->tdev, vgpu->vram_size,
					     (u64)vgpu->gart_entries <<
					     TESSERA_PAGE_SHIFT);
	if (IS_ERR(vgpu->ctx)) {
		ret = PTR_ERR(vgpu->ctx);
		vgpu->ctx = NULL;
		/* No context or no room for the partition: both "full". */
		if (ret == -EBUSY)
			ret = -ENOSPC;
		goto err_count;
	}
	tessera_ctx_get_info(vgpu->ctx, &vgpu->ctx_info);
	if (vgpu->ctx_info.gart_size >> TESSERA_PAGE_SHIFT !=
	    vgpu->gart_entries) {
		ret = -ENOSPC;
		goto err_ctx;
	}
	tessera_ctx_set_name(vgpu->ctx, "vgpu-%s", vgpu->type->sysfs_name);
	ret = tessera_vgpu_gart_init(vgpu);
	if (ret)
		goto err_ctx;
	vgpu->db = ioremap(vgpu->info->db_phys +
			   (u64)vgpu->ctx_info.id * TESSERA_DOORBELL_PAGE_SIZE,
			   TESSERA_DOORBELL_PAGE_SIZE);
	if (!vgpu->db) {
		ret = -ENOMEM;
		goto err_gart;
	}
	tessera_vgpu_init_state(vgpu);
	ret = tessera_vgpu_mig_init(vgpu);
	if (ret)
		goto err_db;
	ret = tessera_vgpu_offsets_init(vgpu);
	if (ret)
		goto err_mig;

	ret = vfio_register_emulated_iommu_dev(&vgpu->vdev);
	if (ret)
		goto err_offsets;
	dev_set_drvdata(&mdev->dev, vgpu);
	mutex_lock(&mp->lock);
	list_add_tail(&vgpu->node, &mp->vgpus);
	mutex_unlock(&mp->lock);
	dev_info(&mdev->dev, "vGPU %s: context %u, VRAM 0x%llx+%lluMiB, GART %u+%u\n",
		 vgpu->type->sysfs_name, vgpu->ctx_info.id,
		 vgpu->ctx_info.vram_base, vgpu->vram_size >> 20,
		 vgpu->ctx_info.gart_base, vgpu->gart_entries);
	return 0;

err_offsets:
	tessera_vgpu_offsets_fini(vgpu);
err_mig:
	tessera_vgpu_mig_fini(vgpu);
err_db:
	iounmap(vgpu->db);
err_gart:
	tessera_vgpu_gart_fini(vgpu);
err_ctx:
	tessera_ctx_destroy(vgpu->ctx);
	vgpu->ctx = NULL;
err_count:
	mutex_lock(&mp->lock);
	mp->nr_vgpus--;
	mutex_unlock(&mp->lock);
err_log:
	if (ret == -ENOSPC)
		dev_warn(mdev->dev.parent,
			 "cannot create vGPU of type %s: no room left (ENOSPC)\n",
			 vgpu->type->sysfs_name);
	else
		dev_err(mdev->dev.parent,
			"cannot create vGPU of type %s: %d\n",
			vgpu->type->sysfs_name, ret);
	vfio_put_device(&vgpu->vdev);
	return ret;
}

static void tessera_mdev_remove(struct mdev_device *mdev)
{
	struct tessera_vgpu *vgpu = dev_get_drvdata(&mdev->dev);
	struct tessera_mdev_parent *mp = vgpu->mp;

	/* Waits (through the request op) until the user closed it. */
	vfio_unregister_group_dev(&vgpu->vdev);
	mutex_lock(&mp->lock);
	list_del(&vgpu->node);
	mutex_unlock(&mp->lock);

	tessera_vgpu_offsets_fini(vgpu);
	tessera_vgpu_mig_fini(vgpu);
	tessera_vgpu_gart_fini(vgpu);
	iounmap(vgpu->db);
	/* VRAM was scrubbed at the last close; the next owner's window is
	 * scrubbed again when allocated.
	 */
	tessera_ctx_destroy(vgpu->ctx);
	vgpu->ctx = NULL;
	mutex_lock(&mp->lock);
	mp->nr_vgpus--;
	mutex_unlock(&mp->lock);
	dev_dbg(&mdev->dev, "vGPU removed\n");
	vfio_put_device(&vgpu->vdev);
}

/* ------------------------------------------------ per-mdev attributes */

#define VGPU_ATTR(_name, _fmt, ...)					\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct tessera_vgpu *vgpu = dev_get_drvdata(dev);		\
									\
	if (!vgpu)							\
		return -ENODEV;						\
	return sysfs_emit(buf, _fmt "\n", __VA_ARGS__);			\
}									\
static DEVICE_ATTR_RO(_name)

VGPU_ATTR(vgpu_type, "%s", vgpu->type->sysfs_name);
VGPU_ATTR(hw_context, "%u", vgpu->ctx_info.id);
VGPU_ATTR(vram_base, "0x%llx", vgpu->ctx_info.vram_base);
VGPU_ATTR(vram_size, "%llu", vgpu->vram_size);
VGPU_ATTR(gart_base, "%u", vgpu->ctx_info.gart_base);
VGPU_ATTR(gart_entries, "%u", vgpu->gart_entries);
VGPU_ATTR(weight, "%u", tessera_vgpu_ring_stats(vgpu, 0).weight);
VGPU_ATTR(state, "%s", vgpu->error ? "error" :
	  READ_ONCE(vgpu->open) ? "open" : "closed");
VGPU_ATTR(gart_pinned, "%d", atomic_read(&vgpu->gart_pinned));
VGPU_ATTR(gart_errors, "%llu", READ_ONCE(vgpu->gart_errors));
VGPU_ATTR(unmap_retries, "%llu", READ_ONCE(vgpu->unmap_retries));
VGPU_ATTR(gart_drains, "%lld", (long long)atomic64_read(&vgpu->gart_drains));
VGPU_ATTR(faults, "%llu", READ_ONCE(vgpu->faults));
VGPU_ATTR(resets, "%llu", READ_ONCE(vgpu->resets));
VGPU_ATTR(irqs, "%llu", READ_ONCE(vgpu->irqs));
/* Slices in which the vGPU went over the engine interrupt budget. */
VGPU_ATTR(irq_storms, "%lld",
	  (long long)tessera_ctx_irq_storms(vgpu->ctx));
VGPU_ATTR(csr_traps, "%llu", READ_ONCE(vgpu->csr_traps));
/* BAR2/BAR4 pages the fault handler mapped (again after each revocation). */
VGPU_ATTR(mmap_faults, "%lld",
	  (long long)atomic64_read(&vgpu->mmap_faults));
VGPU_ATTR(submits_runtime_ns, "%llu",
	  tessera_vgpu_ring_stats(vgpu, 0).runtime_ns);
/* Stream format version this vGPU writes and accepts (0: no migration). */
VGPU_ATTR(migration_version, "%u",
	  tessera_vgpu_mig_supported() ? TESSERA_MIG_VERSION : 0);

/* Bytes of the last (or current) saving stream: before STOP_COPY, in it. */
VGPU_ATTR(migration_bytes, "precopy %lld stop_copy %lld",
	  (long long)atomic64_read(&vgpu->mig.sent_precopy),
	  (long long)atomic64_read(&vgpu->mig.sent_stopcopy));

/*
 * DMA logging of guest memory (vfio_log_ops): offered on this kernel, on
 * now, starts accepted, report chunks served, pages reported dirty, marks
 * that went into the overflow interval.
 */
VGPU_ATTR(dirty_log, "supported %d active %d starts %llu reports %llu pages %llu overflows %llu",
	  tessera_vgpu_dlog_supported(), READ_ONCE(vgpu->dlog.active),
	  READ_ONCE(vgpu->dlog.starts), READ_ONCE(vgpu->dlog.reports),
	  READ_ONCE(vgpu->dlog.reported), READ_ONCE(vgpu->dlog.overflows));

/* Device busy time of the vGPU's context on each engine, space separated. */
static ssize_t engine_runtime_ns_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct tessera_vgpu *vgpu = dev_get_drvdata(dev);
	int len = 0;
	u32 e;

	if (!vgpu)
		return -ENODEV;
	for (e = 0; e < vgpu->info->num_engines; e++) {
		u64 rt = tessera_vgpu_ring_stats(vgpu, e).runtime_ns;

		len += sysfs_emit_at(buf, len, "%s%llu", e ? " " : "", rt);
	}
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
static DEVICE_ATTR_RO(engine_runtime_ns);

static struct attribute *tessera_vgpu_attrs[] = {
	&dev_attr_vgpu_type.attr,
	&dev_attr_hw_context.attr,
	&dev_attr_vram_base.attr,
	&dev_attr_vram_size.attr,
	&dev_attr_gart_base.attr,
	&dev_attr_gart_entries.attr,
	&dev_attr_irq_storms.attr,
	&dev_attr_weight.attr,
	&dev_attr_state.attr,
	&dev_attr_gart_pinned.attr,
	&dev_attr_gart_errors.attr,
	&dev_attr_gart_drains.attr,
	&dev_attr_unmap_retries.attr,
	&dev_attr_faults.attr,
	&dev_attr_resets.attr,
	&dev_attr_irqs.attr,
	&dev_attr_csr_traps.attr,
	&dev_attr_mmap_faults.attr,
	&dev_attr_submits_runtime_ns.attr,
	&dev_attr_engine_runtime_ns.attr,
	&dev_attr_migration_version.attr,
	&dev_attr_migration_bytes.attr,
	&dev_attr_dirty_log.attr,
	NULL,
};

static const struct attribute_group tessera_vgpu_group = {
	.name = "tessera",
	.attrs = tessera_vgpu_attrs,
};

static const struct attribute_group *tessera_vgpu_groups[] = {
	&tessera_vgpu_group,
	NULL,
};

static struct mdev_driver tessera_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "tessera_vgpu",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = tessera_vgpu_groups,
	},
	.probe = tessera_mdev_probe,
	.remove = tessera_mdev_remove,
	.get_available = tessera_mdev_get_available,
	.show_description = tessera_mdev_show_description,
};

/**
 * tessera_mdev_register() - offer vGPUs of a physical GPU (mediator attach)
 * @tdev: the GPU (nothing is offered on a vGPU seen from a guest)
 *
 * Context: under the core's mediator mutex (tessera_core.h).
 * Return: 0 or a negative errno.
 */
static int tessera_mdev_register(struct tessera_device *tdev)
{
	struct tessera_dev_info info;
	struct tessera_mdev_parent *mp;
	unsigned int i;
	int ret;

	tessera_dev_get_info(tdev, &info);
	if (info.is_virtual)
		return 0;
	mp = kzalloc(sizeof(*mp), GFP_KERNEL);
	if (!mp)
		return -ENOMEM;
	mp->info = info;
	mp->types = kcalloc(tessera_vgpu_nr_types, sizeof(*mp->types),
			    GFP_KERNEL);
	mp->type_ptrs = kcalloc(tessera_vgpu_nr_types, sizeof(*mp->type_ptrs),
				GFP_KERNEL);
	if (!mp->types || !mp->type_ptrs) {
		ret = -ENOMEM;
		goto err;
	}
	for (i = 0; i < tessera_vgpu_nr_types; i++) {
		mp->types[i].sysfs_name = tessera_vgpu_types[i].sysfs_name;
		mp->types[i].pretty_name = tessera_vgpu_types[i].pretty_name;
		mp->type_ptrs[i] = &mp->types[i];
	}
	mp->tdev = tdev;
	mutex_init(&mp->lock);
	INIT_LIST_HEAD(&mp->vgpus);

	mutex_lock(&tessera_parents_lock);
	list_add_tail(&mp->node, &tessera_parents);
	mutex_unlock(&tessera_parents_lock);
	ret = mdev_register_parent(&mp->parent, mp->info.dev,
				   &tessera_mdev_driver, mp->type_ptrs,
				   tessera_vgpu_nr_types);
	if (ret) {
		mutex_lock(&tessera_parents_lock);
		list_del(&mp->node);
		mutex_unlock(&tessera_parents_lock);
		dev_err(mp->info.dev, "cannot register mdev parent: %d\n",
			ret);
		goto err;
	}
	dev_info(mp->info.dev, "%s: offering %u vGPU types\n", mp->info.name,
		 tessera_vgpu_nr_types);
	return 0;
err:
	kfree(mp->type_ptrs);
	kfree(mp->types);
	kfree(mp);
	return ret;
}

/**
 * tessera_mdev_unregister() - remove every vGPU of a GPU and its parent
 * (mediator detach)
 * @tdev: the GPU
 *
 * Context: under the core's mediator mutex; waits for each vGPU's user to
 * close it.
 */
static void tessera_mdev_unregister(struct tessera_device *tdev)
{
	struct tessera_dev_info info;
	struct tessera_mdev_parent *mp;

	tessera_dev_get_info(tdev, &info);
	mutex_lock(&tessera_parents_lock);
	mp = find_parent(info.dev);
	mutex_unlock(&tessera_parents_lock);
	if (!mp)
		return;
	/* Removes the mdevs (each waits for its user to close it). */
	mdev_unregister_parent(&mp->parent);
	mutex_lock(&tessera_parents_lock);
	list_del(&mp->node);
	mutex_unlock(&tessera_parents_lock);
	kfree(mp->type_ptrs);
	kfree(mp->types);
	kfree(mp);
}

static const struct tessera_mediator_ops tessera_mdev_mediator = {
	.attach = tessera_mdev_register,
	.detach = tessera_mdev_unregister,
};

static int __init tessera_vgpu_init(void)
{
	int ret;

	ret = mdev_register_driver(&tessera_mdev_driver);
	if (ret)
		return ret;
	ret = tessera_register_mediator(&tessera_mdev_mediator);
	if (ret)
		mdev_unregister_driver(&tessera_mdev_driver);
	return ret;
}

static void __exit tessera_vgpu_exit(void)
{
	tessera_unregister_mediator(&tessera_mdev_mediator);
	mdev_unregister_driver(&tessera_mdev_driver);
}

module_init(tessera_vgpu_init);
module_exit(tessera_vgpu_exit);

MODULE_IMPORT_NS(TESSERA_NS);
MODULE_DESCRIPTION("Tessera vGPU mediation (VFIO mdev) for tessera.ko");
MODULE_AUTHOR("Tessera developers");
MODULE_LICENSE("GPL");
