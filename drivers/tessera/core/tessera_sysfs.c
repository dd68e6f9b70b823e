// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs attributes of the PCI device (/sys/bus/pci/devices/<addr>/):
 * identity, configuration and resource accounting, one value per file
 * (per-engine values: one per engine, space separated, in index order).
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "tessera_drv.h"
#include "tessera_sched_ts.h"
#include "tessera_sysfs.h"

static struct tessera_device *to_tdev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

#define TESSERA_ATTR(name, fmt, ...)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct tessera_device *tdev = to_tdev(dev);			\
									\
	return sysfs_emit(buf, fmt "\n", __VA_ARGS__);			\
}									\
static DEVICE_ATTR_RO(name)

TESSERA_ATTR(tessera_name, "%s", tdev->name);
TESSERA_ATTR(hw_version, "%u.%u", tdev->hw_version >> 16,
	     tdev->hw_version & 0xffff);
TESSERA_ATTR(hw_caps, "0x%08x", tdev->caps);
TESSERA_ATTR(mode, "%s", tdev->is_virtual ? "virtual" : "physical");
TESSERA_ATTR(num_engines, "%u", tdev->num_engines);
TESSERA_ATTR(num_compute_engines, "%u", tdev->num_compute);
TESSERA_ATTR(num_copy_engines, "%u", tdev->num_copy);
TESSERA_ATTR(num_contexts, "%u", tdev->num_contexts);
TESSERA_ATTR(vram_size, "%llu", tdev->vram_size);
TESSERA_ATTR(gart_entries, "%u", tdev->gart_entries);
TESSERA_ATTR(contexts_in_use, "%d", atomic_read(&tdev->nr_ctx));
TESSERA_ATTR(vram_used, "%lld", (long long)atomic64_read(&tdev->vram_used));
TESSERA_ATTR(gart_used, "%lld", (long long)atomic64_read(&tdev->gart_used));
TESSERA_ATTR(pinned_pages, "%lld",
	     (long long)atomic64_read(&tdev->pinned_pages));

/* Free VRAM, and the largest block of it one allocation can get. */
static ssize_t vram_free_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct tessera_device *tdev = to_tdev(dev);
	u64 v;

	mutex_lock(&tdev->lock);
	v = tessera_buddy_free_bytes(&tdev->vram_alloc);
	mutex_unlock(&tdev->lock);
	return sysfs_emit(buf, "%llu\n", v);
}
static DEVICE_ATTR_RO(vram_free);

static ssize_t vram_largest_free_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct tessera_device *tdev = to_tdev(dev);
	u64 v;

	mutex_lock(&tdev->lock);
	v = tessera_buddy_largest_free(&tdev->vram_alloc);
	mutex_unlock(&tdev->lock);
	return sysfs_emit(buf, "%llu\n", v);
}
static DEVICE_ATTR_RO(vram_largest_free);

/* The largest run of free GART entries one allocation can get. */
static ssize_t gart_largest_free_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct tessera_device *tdev = to_tdev(dev);
	u64 v;

	mutex_lock(&tdev->lock);
	v = tessera_buddy_largest_free(&tdev->gart_alloc) >> TESSERA_PAGE_SHIFT;
	mutex_unlock(&tdev->lock);
	return sysfs_emit(buf, "%llu\n", v);
}
static DEVICE_ATTR_RO(gart_largest_free);

/* "compute copy ...": the class of each engine, in index order. */
static ssize_t engine_classes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct tessera_device *tdev = to_tdev(dev);
	int len = 0;
	u32 e;

	for (e = 0; e < tdev->num_engines; e++)
		len += sysfs_emit_at(buf, len, "%s%s", e ? " " : "",
				     tdev->engines[e].class ==
				     TESSERA_ENG_CLASS_COMPUTE ?
				     "compute" : "copy");
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
static DEVICE_ATTR_RO(engine_classes);

/*
 * Each engine's busy-time counter (ENG_BUSY_NS), space separated in index
 * order: utilisation is its increase over an interval. -ENODEV once the
 * device is gone.
 */
static ssize_t engine_busy_ns_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct tessera_device *tdev = to_tdev(dev);
	int len = 0;
	u32 e;

	down_read(&tdev->hw_sem);
	if (tdev->dead) {
		up_read(&tdev->hw_sem);
		return -ENODEV;
	}
	for (e = 0; e < tdev->num_engines; e++)
		len += sysfs_emit_at(buf, len, "%s%llu", e ? " " : "",
				     tessera_hw_engine_busy_ns(tdev, e));
	up_read(&tdev->hw_sem);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
static DEVICE_ATTR_RO(engine_busy_ns);

static struct attribute *tessera_attrs[] = {
	&dev_attr_tessera_name.attr,
	&dev_attr_hw_version.attr,
	&dev_attr_hw_caps.attr,
	&dev_attr_mode.attr,
	&dev_attr_num_engines.attr,
	&dev_attr_num_compute_engines.attr,
	&dev_attr_num_copy_engines.attr,
	&dev_attr_num_contexts.attr,
	&dev_attr_vram_size.attr,
	&dev_attr_gart_entries.attr,
	&dev_attr_contexts_in_use.attr,
	&dev_attr_vram_used.attr,
	&dev_attr_gart_used.attr,
	&dev_attr_pinned_pages.attr,
	&dev_attr_vram_free.attr,
	&dev_attr_vram_largest_free.attr,
	&dev_attr_gart_largest_free.attr,
	&dev_attr_engine_classes.attr,
	&dev_attr_engine_busy_ns.attr,
	NULL
};

static const struct attribute_group tessera_attr_group = {
	.name = "tessera",
	.attrs = tessera_attrs,
};

const struct attribute_group *tessera_dev_groups[] = {
	&tessera_attr_group,
	&tessera_sched_attr_group,
	NULL
};
