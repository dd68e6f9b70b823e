// SPDX-License-Identifier: GPL-2.0
/*
 * Native interface: /dev/tesseraN (a misc character device per GPU), UAPI
 * in include/uapi/linux/tessera.h. Each open file is one client with its
 * own hardware context. Every argument is validated; errors are errnos and
 * at most a rate-limited debug line, never a WARN.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/tessera.h>

#include "tessera_cmd.h"
#include "tessera_compat.h"
#include "tessera_drv.h"
#include "tessera_cdev.h"
#include "tessera_ctx.h"
#include "tessera_gart.h"
#include "tessera_sched.h"

#define TESSERA_BO_PGOFF_SHIFT	(TESSERA_BO_MMAP_SHIFT - PAGE_SHIFT)

static u32 max_submit(struct tessera_ctx *ctx)
{
	/* Leave room for the kernel's fence and the one empty dword. */
	return ctx->rings[0].size - 4 * (TESSERA_FENCE_LEN + 1);
}

static bool tessera_all_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

/*
 * An ioctl holds tdev->hw_sem only around what touches the device, never
 * across an access to user memory: copy_{from,to}_user and
 * pin_user_pages can fault on a BO mapping of this very device (an
 * argument inside one), and tessera_vm_fault takes hw_sem itself, under
 * mmap_lock. Taking it twice for reading deadlocks as soon as a removal's
 * down_write is queued in between.
 */
static int tessera_hw_enter(struct tessera_ctx *ctx)
{
	struct tessera_device *tdev = ctx->tdev;

	down_read(&tdev->hw_sem);
	if (tdev->dead || READ_ONCE(ctx->dead)) {
		up_read(&tdev->hw_sem);
		return -ENODEV;
	}
	return 0;
}

static void tessera_hw_exit(struct tessera_ctx *ctx)
{
	up_read(&ctx->tdev->hw_sem);
}

static int tessera_open(struct inode *inode, struct file *file)
{
	struct tessera_device *tdev = container_of(file->private_data,
						   struct tessera_device, misc);
	struct tessera_ctx *ctx;

	kref_get(&tdev->kref);
	down_read(&tdev->hw_sem);
	ctx = tdev->dead ? ERR_PTR(-ENODEV) : tessera_ctx_create(tdev);
	up_read(&tdev->hw_sem);
	if (IS_ERR(ctx)) {
		tessera_device_put(tdev);
		return PTR_ERR(ctx);
	}
	ctx->mapping = file->f_mapping;
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int tessera_release(struct inode *inode, struct file *file)
{
	struct tessera_ctx *ctx = file->private_data;
	struct tessera_device *tdev = ctx->tdev;

	down_read(&tdev->hw_sem);
	tessera_ctx_destroy(ctx);
	up_read(&tdev->hw_sem);
	tessera_device_put(tdev);
	return 0;
}

static long ioctl_info(struct tessera_ctx *ctx, void __user *uarg)
{
	struct tessera_device *tdev = ctx->tdev;
	struct tessera_info info = {};
	u32 e;
	int ret;

	ret = tessera_hw_enter(ctx);
	if (ret)
		return ret;
	info.uapi_version = TESSERA_UAPI_VERSION;
	info.hw_version = tdev->hw_version;
	info.hw_caps = tdev->caps;
	info.flags = tdev->is_virtual ? TESSERA_INFO_VIRTUAL : 0;
	info.num_engines = tdev->num_engines;
	info.num_compute = tdev->num_compute;
	info.num_contexts = tdev->num_contexts;
	info.ctx_id = ctx->id;
	info.vram_size = tdev->vram_size;
	info.vram_window = ctx->vram_size;
	mutex_lock(&ctx->lock);
	info.vram_free = tessera_buddy_free_bytes(&ctx->vram_heap);
	mutex_unlock(&ctx->lock);
	info.gart_va = TESSERA_VA_GART;
	info.gart_window = ctx->gart_size;
	info.gart_entries = tdev->gart_entries;
	info.ring_size = ctx->rings[0].size;
	info.max_submit = max_submit(ctx);
	for (e = 0; e < tdev->num_engines; e++)
		info.engine_class[e] = tdev->engines[e].class;
	info.doorbell_offset = TESSERA_MMAP_DOORBELL;
	tessera_hw_exit(ctx);
	return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long ioctl_bo_alloc(struct tessera_ctx *ctx, void __user *uarg)
{
	struct tessera_bo_alloc args;
	struct tessera_bo *bo;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || !tessera_all_zero(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	ret = tessera_hw_enter(ctx);
	if (ret)
		return ret;
	ret = tessera_ctx_bo_alloc(ctx, args.size, &bo);
	if (!ret) {
		args.handle = bo->handle;
		args.gpu_va = bo->offset;
		args.mmap_offset = (u64)bo->handle << TESSERA_BO_MMAP_SHIFT;
		args.alloc_size = bo->alloc_size;
	}
	tessera_hw_exit(ctx);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		if (!tessera_hw_enter(ctx)) {
			tessera_ctx_bo_free(ctx, args.handle);
			tessera_hw_exit(ctx);
		}
		return -EFAULT;
	}
	return 0;
}

static long ioctl_bo_free(struct tessera_ctx *ctx, void __user *uarg)
{
	struct tessera_handle_arg args;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.pad)
		return -EINVAL;
	ret = tessera_hw_enter(ctx);
	if (ret)
		return ret;
	ret = tessera_ctx_bo_free(ctx, args.handle);
	tessera_hw_exit(ctx);
	return ret;
}

static long ioctl_gart_map(struct tessera_ctx *ctx, void __user *uarg)
{
	struct tessera_gart_mapping *m;
	struct tessera_gart_map args;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~TESSERA_GART_MAP_READONLY ||
	    !tessera_all_zero(args.reserved, sizeof(args.reserved)))
		return -EINVAL;
	ret = tessera_gart_map_user(ctx, args.user_ptr, args.size,
				    !(args.flags & TESSERA_GART_MAP_READONLY),
				    &m);
	if (ret)
		return ret;
	args.handle = m->handle;
	args.gpu_va = TESSERA_VA_GART + m->offset;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		if (tessera_hw_enter(ctx))
			return -EFAULT;
		mutex_lock(&ctx->lock);
		m = xa_erase(&ctx->maps, args.handle);
		mutex_unlock(&ctx->lock);
		if (m)
			tessera_gart_unmap(ctx, m, true);
		tessera_hw_exit(ctx);
		return -EFAULT;
	}
	return 0;
}

static long ioctl_gart_unmap(struct tessera_ctx *ctx, void __user *uarg)
{
	struct tessera_gart_mapping *m;
	struct tessera_handle_arg args;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.pad)
		return -EINVAL;
	ret = tessera_hw_enter(ctx);
	if (ret)
		return ret;
	mutex_lock(&ctx->lock);
	m = xa_erase(&ctx->maps, args.handle);
	mutex_unlock(&ctx->lock);
	ret = m ? 0 : -ENOENT;
	if (m)
		tessera_gart_unmap(ctx, m, true);
	tessera_hw_exit(ctx);
	return ret;
}

static long ioctl_submit(struct tessera_ctx *ctx, void __user *uarg)
{
	struct tessera_device *tdev = ctx->tdev;
	struct tessera_cmd_limits lim;
	struct tessera_submit args;
	enum tessera_cmd_error why;
	u32 ndw, bad, i;
	u32 *cmds;
	u64 fence;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad ||
	    !tessera_all_zero(args.reserved, sizeof(args.reserved)) ||
	    args.engine >= tdev->num_engines || !args.cmds_bytes ||
	    args.cmds_bytes & 3 || args.cmds_bytes > max_submit(ctx))
		return -EINVAL;
	ndw = args.cmds_bytes / 4;
	cmds = kvmalloc_array(ndw, sizeof(*cmds), GFP_KERNEL);
	if (!cmds)
		return -ENOMEM;
	if (copy_from_user(cmds, u64_to_user_ptr(args.cmds_ptr),
			   args.cmds_bytes)) {
		ret = -EFAULT;
		goto out;
	}
	for (i = 0; i < ndw; i++)
		cmds[i] = le32_to_cpu((__force __le32)cmds[i]);
	lim.vram_size = ctx->vram_size;
	lim.gart_size = ctx->gart_size;
	lim.compute = tdev->engines[args.engine].class ==
		      TESSERA_ENG_CLASS_COMPUTE;
	ret = tessera_cmd_validate(cmds, ndw, &lim, &bad, &why);
	if (ret) {
		dev_dbg_ratelimited(&tdev->pdev->dev,
				    "context %u: rejected command at dword %u (reason %d)\n",
				    ctx->id, bad, why);
		goto out;
	}
	for (i = 0; i < ndw; i++)
		cmds[i] = (__force u32)cpu_to_le32(cmds[i]);
	ret = tessera_hw_enter(ctx);
	if (ret)
		goto out;
	ret = tessera_sched_submit(&ctx->rings[args.engine], cmds, ndw, &fence);
	tessera_hw_exit(ctx);
	if (ret)
		goto out;
	args.fence = fence;
	if (copy_to_user(uarg, &args, sizeof(args)))
		ret = -EFAULT;
out:
	kvfree(cmds);
	return ret;
}

static long ioctl_wait(struct tessera_ctx *ctx, void __user *uarg)
{
	struct tessera_device *tdev = ctx->tdev;
	struct tessera_wait args;
	unsigned long timeout;
	long ret;
	int st;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || !tessera_all_zero(args.reserved, sizeof(args.reserved)) ||
	    args.engine >= tdev->num_engines || args.timeout_ns < 0 ||
	    !args.fence ||
	    args.fence > READ_ONCE(ctx->rings[args.engine].last_seqno))
		return -EINVAL;

	st = tessera_ctx_fence_status(ctx, args.engine, args.fence);
	if (st)
		return st < 0 ? st : 0;
	if (!args.timeout_ns)
		return -ETIMEDOUT;
	if (args.timeout_ns >= (s64)jiffies_to_nsecs(MAX_SCHEDULE_TIMEOUT - 1))
		timeout = MAX_SCHEDULE_TIMEOUT;
	else
		timeout = nsecs_to_jiffies(args.timeout_ns) + 1;
	ret = wait_event_interruptible_timeout(tdev->engines[args.engine].fence_wq,
					       (st = tessera_ctx_fence_status(ctx,
								args.engine,
								args.fence)),
					       timeout);
	if (ret < 0)
		return ret;
	if (!st)
		return -ETIMEDOUT;
	return st < 0 ? st : 0;
}

static long ioctl_get_fault(struct tessera_ctx *ctx, void __user *uarg)
{
	struct tessera_fault f = {};
	int ret;

	ret = tessera_hw_enter(ctx);
	if (ret)
		return ret;
	mutex_lock(&ctx->lock);
	if (ctx->fault.valid)
		f.flags |= TESSERA_FAULT_VALID;
	if (ctx->fault.unread)
		f.flags |= TESSERA_FAULT_UNREAD;
	f.engine = ctx->fault.engine;
	f.code = ctx->fault.code;
	f.addr = ctx->fault.addr;
	f.count = ctx->fault.count;
	f.first_fence = ctx->fault.first_fence;
	f.last_fence = ctx->fault.last_fence;
	ctx->fault.unread = false;
	mutex_unlock(&ctx->lock);
	tessera_hw_exit(ctx);
	return copy_to_user(uarg, &f, sizeof(f)) ? -EFAULT : 0;
}

static long tessera_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct tessera_ctx *ctx = file->private_data;
	struct tessera_device *tdev = ctx->tdev;
	void __user *uarg = (void __user *)arg;
	long ret;

	/*
	 * Each command takes hw_sem itself, only around its device part
	 * (tessera_hw_enter()); waiting touches no hardware and must not
	 * hold off removal.
	 */
	if (cmd == TESSERA_IOCTL_WAIT)
		return ioctl_wait(ctx, uarg);
	if (READ_ONCE(tdev->dead) || READ_ONCE(ctx->dead))
		return -ENODEV;
	switch (cmd) {
	case TESSERA_IOCTL_INFO:
		ret = ioctl_info(ctx, uarg);
		break;
	case TESSERA_IOCTL_BO_ALLOC:
		ret = ioctl_bo_alloc(ctx, uarg);
		break;
	case TESSERA_IOCTL_BO_FREE:
		ret = ioctl_bo_free(ctx, uarg);
		break;
	case TESSERA_IOCTL_GART_MAP:
		ret = ioctl_gart_map(ctx, uarg);
		break;
	case TESSERA_IOCTL_GART_UNMAP:
		ret = ioctl_gart_unmap(ctx, uarg);
		break;
	case TESSERA_IOCTL_SUBMIT:
		ret = ioctl_submit(ctx, uarg);
		break;
	case TESSERA_IOCTL_GET_FAULT:
		ret = ioctl_get_fault(ctx, uarg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	return ret;
}

static __poll_t tessera_poll(struct file *file, poll_table *wait)
{
	struct tessera_ctx *ctx = file->private_data;
	struct tessera_device *tdev = ctx->tdev;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;
	u32 e;

	poll_wait(file, &ctx->wq, wait);
	for (e = 0; e < tdev->num_engines; e++)
		poll_wait(file, &tdev->engines[e].fence_wq, wait);
	if (READ_ONCE(ctx->dead) || READ_ONCE(tdev->dead))
		return EPOLLERR | EPOLLHUP;
	if (tessera_ctx_idle(ctx))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(ctx->fault.unread))
		mask |= EPOLLPRI;
	return mask;
}

static vm_fault_t tessera_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct tessera_ctx *ctx = vma->vm_private_data;
	struct tessera_device *tdev = ctx->tdev;
	unsigned long pgoff, pfn;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct tessera_bo *bo;
	u64 idx;

	pgoff = vma->vm_pgoff + ((vmf->address - vma->vm_start) >> PAGE_SHIFT);
	down_read(&tdev->hw_sem);
	if (tdev->dead)
		goto out;
	if (vma->vm_pgoff == TESSERA_MMAP_DOORBELL) {
		if (pgoff)
			goto out;
		ret = vmf_insert_pfn(vma, vmf->address, tessera_doorbell_pfn(ctx));
		goto out;
	}
	idx = pgoff & ((1UL << TESSERA_BO_PGOFF_SHIFT) - 1);
	mutex_lock(&ctx->lock);
	bo = xa_load(&ctx->bos, pgoff >> TESSERA_BO_PGOFF_SHIFT);
	if (bo && !ctx->dead && idx < bo->alloc_size >> PAGE_SHIFT) {
		pfn = (tdev->vram_phys + ctx->vram_base + bo->offset) >>
		      PAGE_SHIFT;
		ret = vmf_insert_pfn(vma, vmf->address, pfn + idx);
	}
	mutex_unlock(&ctx->lock);
out:
	up_read(&tdev->hw_sem);
	return ret;
}

static const struct vm_operations_struct tessera_vm_ops = {
	.fault = tessera_vm_fault,
};

static int tessera_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct tessera_ctx *ctx = file->private_data;
	unsigned long npages = vma_pages(vma);
	unsigned long pgoff = vma->vm_pgoff;
	struct tessera_bo *bo;
	int ret = 0;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (pgoff == TESSERA_MMAP_DOORBELL) {
		if (npages != 1)
			return -EINVAL;
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	} else {
		u64 idx = pgoff & ((1UL << TESSERA_BO_PGOFF_SHIFT) - 1);

		mutex_lock(&ctx->lock);
		bo = xa_load(&ctx->bos, pgoff >> TESSERA_BO_PGOFF_SHIFT);
		if (!bo || idx + npages < idx ||
		    idx + npages > bo->alloc_size >> PAGE_SHIFT)
			ret = -EINVAL;
		mutex_unlock(&ctx->lock);
		if (ret)
			return ret;
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	}
	tessera_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
			     VM_DONTDUMP);
	tessera_vm_flags_clear(vma, VM_MAYEXEC);
	vma->vm_private_data = ctx;
	vma->vm_ops = &tessera_vm_ops;
	return 0;
}

static const struct file_operations tessera_fops = {
	.owner = THIS_MODULE,
	.open = tessera_open,
	.release = tessera_release,
	.unlocked_ioctl = tessera_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = tessera_mmap,
	.poll = tessera_poll,
	.llseek = noop_llseek,
};

/**
 * tessera_cdev_register() - create /dev/tesseraN
 * @tdev: device
 *
 * Return: 0 or a negative errno.
 */
int tessera_cdev_register(struct tessera_device *tdev)
{
	int ret;

	tdev->misc.minor = MISC_DYNAMIC_MINOR;
	tdev->misc.name = tdev->name;
	tdev->misc.fops = &tessera_fops;
	tdev->misc.parent = &tdev->pdev->dev;
	tdev->misc.mode = 0660;
	ret = misc_register(&tdev->misc);
	if (ret) {
		dev_err(&tdev->pdev->dev, "cannot register %s: %d\n",
			tdev->name, ret);
		return ret;
	}
	tdev->misc_registered = true;
	return 0;
}

/**
 * tessera_cdev_unregister() - remove /dev/tesseraN (open files stay valid)
 * @tdev: device
 */
void tessera_cdev_unregister(struct tessera_device *tdev)
{
	if (tdev->misc_registered)
		misc_deregister(&tdev->misc);
	tdev->misc_registered = false;
}
