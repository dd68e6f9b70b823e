// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs attributes of the PCI device (/sys/bus/pci/devices/<addr>/):
 * identity, configuration and resource accounting, one value per file.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "tessera_drv.h"

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
