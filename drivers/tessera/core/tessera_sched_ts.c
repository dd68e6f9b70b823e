// SPDX-License-Identifier: GPL-2.0
/*
 * Time-slice scheduler: run-time knobs and statistics, and the
 * tracepoints' definitions.
 *
 * sysfs, /sys/bus/pci/devices/<addr>/sched/ (Documentation/dev/scheduler.rst):
 *   policy              best-effort | equal-share | fixed-share
 *   policies            the names accepted
 *   timeslice_us        slice length
 *   preempt_timeout_us  a preemption not complete by then resets the client
 *   hang_slices         slices without ring progress before a client is hung
 *   irq_budget          engine interrupts a client may cause per slice
 *                       before its fence and idle interrupts are masked for
 *                       the rest of it (0: no limit)
 *   weights             "ctx weight" per line; write "CTX WEIGHT"
 * debugfs, /sys/kernel/debug/tessera/<addr>/sched: per engine and client
 * accounting (busy time, slices, preemptions, resets, hangs, queue wait).
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/seq_file.h>
#include <linux/sysfs.h>

#include "tessera_drv.h"
#include "tessera_sched.h"
#include "tessera_sched_ts.h"

#define CREATE_TRACE_POINTS
#include "tessera_trace.h"

static struct tessera_device *to_tdev(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

static void sched_kick_all(struct tessera_device *tdev)
{
	u32 e;

	for (e = 0; e < tdev->num_engines; e++)
		tessera_sched_kick(&tdev->engines[e]);
}

static ssize_t policy_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct tessera_device *tdev = to_tdev(dev);

	return sysfs_emit(buf, "%s\n",
			  tessera_sched_policy_name(READ_ONCE(tdev->engines[0].rq.policy)));
}

static ssize_t policy_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct tessera_device *tdev = to_tdev(dev);
	int policy = tessera_sched_policy_parse(buf);
	u32 e;

	if (policy < 0)
		return policy;
	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		mutex_lock(&eng->lock);
		tessera_rq_clock(&eng->rq, ktime_get_ns());
		tessera_rq_set_policy(&eng->rq, policy);
		mutex_unlock(&eng->lock);
	}
	sched_kick_all(tdev);
	return count;
}
static DEVICE_ATTR_RW(policy);

static ssize_t policies_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s %s %s\n",
			  tessera_sched_policy_name(TESSERA_POLICY_BEST_EFFORT),
			  tessera_sched_policy_name(TESSERA_POLICY_EQUAL_SHARE),
			  tessera_sched_policy_name(TESSERA_POLICY_FIXED_SHARE));
}
static DEVICE_ATTR_RO(policies);

static ssize_t timeslice_us_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct tessera_device *tdev = to_tdev(dev);

	return sysfs_emit(buf, "%llu\n",
			  READ_ONCE(tdev->engines[0].rq.timeslice_ns) /
			  NSEC_PER_USEC);
}

static ssize_t timeslice_us_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct tessera_device *tdev = to_tdev(dev);
	u32 us, e;
	int ret;

	ret = kstrtou32(buf, 0, &us);
	if (ret)
		return ret;
	if (us < TESSERA_TIMESLICE_MIN_US || us > TESSERA_TIMESLICE_MAX_US)
		return -EINVAL;
	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		mutex_lock(&eng->lock);
		ret = tessera_rq_set_timeslice(&eng->rq,
					       (u64)us * NSEC_PER_USEC);
		mutex_unlock(&eng->lock);
		if (ret)
			return ret;
	}
	sched_kick_all(tdev);
	return count;
}
static DEVICE_ATTR_RW(timeslice_us);

/*
 * sched_u32_store() - parse a u32 knob of the sched/ directory into @field,
 * refusing values outside [@min, @max] with -EINVAL. The scheduler reads
 * the knobs with READ_ONCE() at the next decision, so no lock is taken.
 */
static ssize_t sched_u32_store(const char *buf, size_t count, u32 *field,
			       u32 min, u32 max)
{
	u32 n;
	int ret;

	ret = kstrtou32(buf, 0, &n);
	if (ret)
		return ret;
	if (n < min || n > max)
		return -EINVAL;
	WRITE_ONCE(*field, n);
	return count;
}

static ssize_t preempt_timeout_us_show(struct device *dev,
				       struct device_attribute *attr,
				       char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(to_tdev(dev)->preempt_timeout_us));
}

static ssize_t preempt_timeout_us_store(struct device *dev,
					struct device_attribute *attr,
					const char *buf, size_t count)
{
	return sched_u32_store(buf, count, &to_tdev(dev)->preempt_timeout_us,
			       TESSERA_PREEMPT_TIMEOUT_MIN_US,
			       TESSERA_PREEMPT_TIMEOUT_MAX_US);
}
static DEVICE_ATTR_RW(preempt_timeout_us);

static ssize_t hang_slices_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_tdev(dev)->hang_slices));
}

static ssize_t hang_slices_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	return sched_u32_store(buf, count, &to_tdev(dev)->hang_slices,
			       TESSERA_HANG_SLICES_MIN, TESSERA_HANG_SLICES_MAX);
}
static DEVICE_ATTR_RW(hang_slices);

static ssize_t irq_budget_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_tdev(dev)->irq_budget));
}

static ssize_t irq_budget_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	return sched_u32_store(buf, count, &to_tdev(dev)->irq_budget, 0,
			       TESSERA_IRQ_BUDGET_MAX);
}
static DEVICE_ATTR_RW(irq_budget);

static ssize_t weights_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_ctx *ctx;
	int len = 0;

	mutex_lock(&tdev->lock);
	list_for_each_entry(ctx, &tdev->ctx_list, node)
		len += sysfs_emit_at(buf, len, "%u %u\n", ctx->id,
				     READ_ONCE(ctx->rings[0].ent.weight));
	mutex_unlock(&tdev->lock);
	return len;
}

/* "CTX WEIGHT": the weight of context CTX on every engine. */
static ssize_t weights_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_ctx *ctx;
	unsigned int id, weight;
	char extra;
	int ret = 0;
	u32 e;

	if (sscanf(buf, "%u %u %c", &id, &weight, &extra) != 2)
		return -EINVAL;
	if (!tessera_sched_weight_valid(weight) || id >= tdev->num_contexts)
		return -EINVAL;
	mutex_lock(&tdev->lock);
	ctx = tdev->ctx_table[id];
	if (!ctx) {
		ret = -ENOENT;
		goto out;
	}
	for (e = 0; e < tdev->num_engines && !ret; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		mutex_lock(&eng->lock);
		ret = tessera_rq_set_weight(&eng->rq, &ctx->rings[e].ent,
					    weight);
		mutex_unlock(&eng->lock);
	}
out:
	mutex_unlock(&tdev->lock);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(weights);

static struct attribute *tessera_sched_attrs[] = {
	&dev_attr_policy.attr,
	&dev_attr_policies.attr,
	&dev_attr_timeslice_us.attr,
	&dev_attr_preempt_timeout_us.attr,
	&dev_attr_hang_slices.attr,
	&dev_attr_irq_budget.attr,
	&dev_attr_weights.attr,
	NULL
};

const struct attribute_group tessera_sched_attr_group = {
	.name = "sched",
	.attrs = tessera_sched_attrs,
};

static int sched_stats_show(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = m->private;
	struct tessera_ctx *ctx;
	u32 e;

	for (e = 0; e < tdev->num_engines; e++) {
		struct tessera_engine *eng = &tdev->engines[e];

		mutex_lock(&eng->lock);
		seq_printf(m, "engine %u policy %s timeslice_us %llu preempt_timeout_us %u hang_slices %u running %d queued %u clients %u switches %llu preempts %llu resets %llu storms %llu\n",
			   e, tessera_sched_policy_name(eng->rq.policy),
			   eng->rq.timeslice_ns / NSEC_PER_USEC,
			   tdev->preempt_timeout_us, tdev->hang_slices,
			   eng->cur ? (int)eng->cur->ctx->id : -1,
			   eng->rq.nr_queued, eng->rq.nr_attached,
			   eng->switches, eng->preempts, eng->resets,
			   eng->storms);
		mutex_unlock(&eng->lock);
	}
	seq_puts(m, "ctx engine weight busy_ns slices preempts resets hangs wait_ns max_wait_ns charged_ns\n");
	mutex_lock(&tdev->lock);
	list_for_each_entry(ctx, &tdev->ctx_list, node) {
		for (e = 0; e < tdev->num_engines; e++) {
			struct tessera_sched_entity *ent = &ctx->rings[e].ent;

			seq_printf(m, "%u %u %u %llu %llu %llu %llu %llu %llu %llu %llu\n",
				   ctx->id, e, ent->weight, ent->runtime_ns,
				   ent->slices, ent->preempts, ent->resets,
				   ent->hangs, ent->wait_ns, ent->max_wait_ns,
				   ent->charged_ns);
		}
	}
	mutex_unlock(&tdev->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sched_stats);

/**
 * tessera_sched_debugfs_init() - create the device's "sched" debugfs file
 * @tdev: device with its debugfs directory
 */
void tessera_sched_debugfs_init(struct tessera_device *tdev)
{
	debugfs_create_file("sched", 0444, tdev->debugfs, tdev,
			    &sched_stats_fops);
}
