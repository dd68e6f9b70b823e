// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO migration v2 of a vGPU: the state machine (STOP_COPY, P2P and
 * PRE_COPY), the saving and resuming files, the stream format and dirty
 * tracking of the VRAM partition. See Documentation/dev/migration.rst.
 *
 * The stream (host byte order, little-endian on every supported host):
 *
 *   struct tessera_mig_hdr
 *   sections: struct tessera_mig_sec, then sec.len payload bytes
 *     VRAM  (any number, during PRE_COPY and STOP_COPY): u64 offset, pages
 *     STATE (once): struct tessera_vgpu_state
 *     GART  (once): u64 per slice entry, as the guest wrote it
 *     RINGS (once): struct tessera_mig_ring per engine
 *     END   (last, empty)
 *
 * Running, the source's rings run under the host scheduler; RUNNING_P2P
 * and the states below it keep them off the engines (vgpu->frozen) and
 * the destination starts them again at RUNNING. The destination checks
 * everything it reads; a stream it refuses leaves its vGPU reset.
 */
#include <linux/anon_inodes.h>
#include <linux/bitmap.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "tessera_compat.h"
#include "tessera_vgpu.h"

#ifdef TESSERA_VFIO_HAS_MIGRATION

#define TESSERA_MIG_MAGIC	0x474d5354	/* "TSMG" */
#define TESSERA_MIG_TYPE_LEN	32
#define MIG_CHUNK_PAGES		64		/* 256 KiB per VRAM section */
#define MIG_VRAM_MAX		BIT(20)	/* accepted VRAM section data */

enum tessera_mig_sec_id {
	TESSERA_MIG_SEC_STATE = 1,
	TESSERA_MIG_SEC_GART = 2,
	TESSERA_MIG_SEC_RINGS = 3,
	TESSERA_MIG_SEC_VRAM = 4,
	TESSERA_MIG_SEC_END = 5,
};

/**
 * struct tessera_mig_hdr - start of a stream
 * @magic: TESSERA_MIG_MAGIC
 * @version: TESSERA_MIG_VERSION
 * @hdr_size: sizeof(struct tessera_mig_hdr)
 * @flags: 0
 * @type: the vGPU type's sysfs name, NUL padded
 * @vram_size: partition bytes
 * @gart_entries: GART slice entries
 * @hw_id: REG_ID of the GPU (TESSERA_ID_MAGIC)
 * @hw_version: REG_VERSION of the GPU
 * @num_engines: engines
 * @num_compute: compute engines (the first ones)
 * @num_copy: copy engines (the last ones)
 * @page_size: TESSERA_PAGE_SIZE
 * @state_size: sizeof(struct tessera_vgpu_state)
 * @ring_size: sizeof(struct tessera_mig_ring)
 * @reserved: 0
 */
struct tessera_mig_hdr {
	u32 magic;
	u32 version;
	u32 hdr_size;
	u32 flags;
	char type[TESSERA_MIG_TYPE_LEN];
	u64 vram_size;
	u32 gart_entries;
	u32 hw_id;
	u32 hw_version;
	u32 num_engines;
	u32 num_compute;
	u32 num_copy;
	u32 page_size;
	u32 state_size;
	u32 ring_size;
	u32 reserved;
};

/**
 * struct tessera_mig_sec - section header
 * @id: enum tessera_mig_sec_id
 * @flags: 0
 * @len: payload bytes that follow
 */
struct tessera_mig_sec {
	u32 id;
	u32 flags;
	u64 len;
};

/**
 * struct tessera_mig_ring - physical ring of the vGPU's context, per engine
 * @base: RING_BASE (context VA)
 * @size: RING_SIZE
 * @head: RING_HEAD
 * @tail: RING_TAIL
 * @state: RING_STATE at the stop (TESSERA_RING_STATE_MIDCMD: the command
 *	at @head was interrupted; the destination runs it from its start)
 * @fence: RING_FENCE
 */
struct tessera_mig_ring {
	u64 base;
	u32 size;
	u32 head;
	u32 tail;
	u32 state;
	u64 fence;
};

static_assert(sizeof(struct tessera_mig_hdr) == 96);
static_assert(sizeof(struct tessera_mig_sec) == 16);
static_assert(sizeof(struct tessera_mig_ring) == 32);

/* Saving: what the next chunk is. */
enum { SAVE_HDR, SAVE_DATA, SAVE_END, SAVE_DONE };
/* Resuming: what the parser expects. */
enum { RES_HDR, RES_SEC, RES_PAYLOAD, RES_VRAM_OFF, RES_VRAM, RES_DONE };

/**
 * struct tessera_mig_file - a saving or resuming file
 * @filp: the anon inode file
 * @vgpu: its vGPU
 * @lock: everything below
 * @disabled: the device left the state the file belongs to
 * @buf: chunk being read (saving) or section header/payload being
 *	assembled (resuming)
 * @buf_size: allocated bytes of @buf
 * @src: bytes being read out (@buf or @fin)
 * @src_len: valid bytes at @src
 * @src_pos: bytes of @src already read
 * @phase: SAVE_* or RES_*
 * @pending: pages still to send (saving)
 * @cursor: next page to look at in @pending
 * @initial: the first full copy of the partition is still going
 * @final: STOP_COPY: the device is stopped, @fin holds its state
 * @fin: STATE, GART and RINGS sections (STOP_COPY)
 * @fin_len: bytes of @fin
 * @fin_sent: @fin went out
 * @got: bytes of the current header or payload received (resuming)
 * @sec: the section being received
 * @vram_off: where the VRAM section being received goes, and how far
 * @vram_left: bytes of it still to come
 * @st: received STATE payload
 * @gart: received GART payload
 * @rings: received RINGS payload
 * @err: the stream was refused with this errno (resuming)
 */
struct tessera_mig_file {
	struct file *filp;
	struct tessera_vgpu *vgpu;
	struct mutex lock; /* the file */
	bool disabled;
	u8 *buf;
	size_t buf_size;
	const u8 *src;
	size_t src_len;
	size_t src_pos;
	u32 phase;
	unsigned long *pending;
	u64 cursor;
	bool initial;
	bool final;
	u8 *fin;
	size_t fin_len;
	bool fin_sent;
	size_t got;
	struct tessera_mig_sec sec;
	u64 vram_off;
	u64 vram_left;
	struct tessera_vgpu_state *st;
	u64 *gart;
	struct tessera_mig_ring *rings;
	int err;
};

static size_t gart_bytes(struct tessera_vgpu *vgpu)
{
	return (size_t)vgpu->gart_entries * sizeof(u64);
}

static size_t rings_bytes(struct tessera_vgpu *vgpu)
{
	return (size_t)vgpu->info->num_engines *
	       sizeof(struct tessera_mig_ring);
}

static void fill_hdr(struct tessera_vgpu *vgpu, struct tessera_mig_hdr *h)
{
	const struct tessera_dev_info *info = vgpu->info;

	memset(h, 0, sizeof(*h));
	h->magic = TESSERA_MIG_MAGIC;
	h->version = TESSERA_MIG_VERSION;
	h->hdr_size = sizeof(*h);
	strscpy(h->type, vgpu->type->sysfs_name, sizeof(h->type));
	h->vram_size = vgpu->vram_size;
	h->gart_entries = vgpu->gart_entries;
	h->hw_id = TESSERA_ID_MAGIC;
	h->hw_version = info->hw_version;
	h->num_engines = info->num_engines;
	h->num_compute = info->num_compute;
	h->num_copy = info->num_copy;
	h->page_size = TESSERA_PAGE_SIZE;
	h->state_size = sizeof(struct tessera_vgpu_state);
	h->ring_size = sizeof(struct tessera_mig_ring);
}

/* ------------------------------------------------------ device side */

/**
 * tessera_vgpu_look_init() - take the baseline of tessera_vgpu_ctx_ran()
 * @vgpu: vGPU
 * @look: filled in: "nothing ran before now"
 */
void tessera_vgpu_look_init(struct tessera_vgpu *vgpu,
			    struct tessera_vgpu_look *look)
{
	u32 e;

	look->loaded = tessera_hw_ctx_status(vgpu->tdev, vgpu->ctx_info.id) &
		       TESSERA_CTX_STATUS_LOADED_ALL;
	for (e = 0; e < vgpu->info->num_engines; e++) {
		look->runtime[e] = tessera_vgpu_ring_stats(vgpu, e).runtime_ns;
		look->busy[e] = tessera_hw_engine_busy_ns(vgpu->tdev, e);
	}
}

/**
 * tessera_vgpu_ctx_ran() - did the vGPU's context run since the last look?
 * @vgpu: vGPU (lock held)
 * @look: the last look (updated)
 *
 * The engines write (to the partition, and to guest memory through
 * writable GART entries) only while a ring of the context is on one. A
 * ring ran if its runtime moved (the scheduler accounts it when the ring
 * leaves the engine or its slice ends; a ring that stays loaded may be
 * accounted a look later, which then counts once more); a started ring
 * with work pending may be running now; a ring loaded now or at the last
 * look may have run unaccounted, unless its engine has done no work at all
 * since the last look (ENG_BUSY_NS moves with every command the engine
 * finishes).
 *
 * Return: the context ran, or may be running.
 */
bool tessera_vgpu_ctx_ran(struct tessera_vgpu *vgpu,
			  struct tessera_vgpu_look *look)
{
	struct tessera_vgpu_state *s = &vgpu->s;
	bool ran = false;
	u64 rt, busy;
	u32 e, st;

	lockdep_assert_held(&vgpu->lock);
	st = tessera_hw_ctx_status(vgpu->tdev, vgpu->ctx_info.id);
	for (e = 0; e < vgpu->info->num_engines; e++) {
		rt = tessera_vgpu_ring_stats(vgpu, e).runtime_ns;
		busy = tessera_hw_engine_busy_ns(vgpu->tdev, e);
		if (rt != look->runtime[e] ||
		    (s->eng[e].state == TESSERA_VENG_STARTED && !vgpu->frozen &&
		     st & TESSERA_CTX_STATUS_PENDING(e)) ||
		    ((st | look->loaded) & TESSERA_CTX_STATUS_LOADED(e) &&
		     busy != look->busy[e]))
			ran = true;
		look->runtime[e] = rt;
		look->busy[e] = busy;
	}
	look->loaded = st & TESSERA_CTX_STATUS_LOADED_ALL;
	return ran;
}

/*
 * Device writes to the partition: the engines write only inside the
 * context's VRAM window, so a window whose rings ran since the last sweep
 * is marked dirty whole.
 */
static void sweep_device(struct tessera_vgpu *vgpu)
{
	struct tessera_vgpu_state *s = &vgpu->s;
	u64 first, n;

	lockdep_assert_held(&vgpu->lock);
	if (!tessera_vgpu_ctx_ran(vgpu, &vgpu->mig.look) ||
	    !s->ctx_vram_size || s->ctx_vram_base >= vgpu->vram_size)
		return;
	first = s->ctx_vram_base >> TESSERA_PAGE_SHIFT;
	n = min(s->ctx_vram_size, vgpu->vram_size - s->ctx_vram_base) >>
	    TESSERA_PAGE_SHIFT;
	bitmap_set(vgpu->mig.dirty, first, n);
}

/* Start tracking: every later CPU access to BAR2 faults and is noted. */
static void track_start(struct tessera_vgpu *vgpu)
{
	mutex_lock(&vgpu->lock);
	bitmap_zero(vgpu->mig.dirty, vgpu->mig.npages);
	tessera_vgpu_look_init(vgpu, &vgpu->mig.look);
	tessera_vgpu_revoke_mmaps(vgpu);
	vgpu->mig.tracking = true;
	mutex_unlock(&vgpu->lock);
}

/* Move what changed since the last sweep into @pending. */
static void sweep(struct tessera_mig_file *migf)
{
	struct tessera_vgpu *vgpu = migf->vgpu;
	u64 w, words = BITS_TO_LONGS(vgpu->mig.npages);

	mutex_lock(&vgpu->lock);
	tessera_vgpu_revoke_mmaps(vgpu);
	sweep_device(vgpu);
	for (w = 0; w < words; w++)
		migf->pending[w] |= xchg(&vgpu->mig.dirty[w], 0);
	mutex_unlock(&vgpu->lock);
	migf->cursor = 0;
}

/* Take the context's rings off the engines, keeping their state. */
static void freeze(struct tessera_vgpu *vgpu)
{
	mutex_lock(&vgpu->lock);
	vgpu->frozen = true;
	tessera_sched_quiesce_ctx(vgpu->ctx);
	mutex_unlock(&vgpu->lock);
	/* Events of the last work reach the virtual state before a save. */
	queue_work(system_wq, &vgpu->event_work);
	flush_work(&vgpu->event_work);
}

/* Give the started engines back to the scheduler. */
static void thaw(struct tessera_vgpu *vgpu)
{
	u32 e;

	mutex_lock(&vgpu->lock);
	vgpu->frozen = false;
	for (e = 0; e < vgpu->info->num_engines; e++)
		if (vgpu->s.eng[e].state == TESSERA_VENG_STARTED)
			tessera_vgpu_ring_block(vgpu, e, false);
	mutex_unlock(&vgpu->lock);
}

/* Pin the guest's GART values through this vGPU's container. */
static void gart_repin(struct tessera_vgpu *vgpu)
{
	u32 i;

	mutex_lock(&vgpu->lock);
	if (vgpu->mig.gart_repin) {
		vgpu->mig.gart_repin = false;
		for (i = 0; i < vgpu->gart_entries; i++)
			if (vgpu->gart[i].gentry & TESSERA_GART_VALID)
				tessera_vgpu_gart_write(vgpu, i,
							vgpu->gart[i].gentry,
							false);
	}
	mutex_unlock(&vgpu->lock);
}

/* ----------------------------------------------------------- saving */

static void put_sec(u8 *p, u32 id, u64 len)
{
	struct tessera_mig_sec sec = { .id = id, .len = len };

	memcpy(p, &sec, sizeof(sec));
}

/* STATE, GART and RINGS of the stopped device. */
static int snapshot(struct tessera_mig_file *migf)
{
	struct tessera_vgpu *vgpu = migf->vgpu;
	struct tessera_device *tdev = vgpu->tdev;
	size_t ss = sizeof(struct tessera_vgpu_state);
	size_t len = 3 * sizeof(struct tessera_mig_sec) + ss +
		     gart_bytes(vgpu) + rings_bytes(vgpu);
	struct tessera_mig_ring *r;
	u64 *g;
	u8 *p;
	u32 e, i, c = vgpu->ctx_info.id;

	p = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	migf->fin = p;
	migf->fin_len = len;
	mutex_lock(&vgpu->lock);
	put_sec(p, TESSERA_MIG_SEC_STATE, ss);
	p += sizeof(struct tessera_mig_sec);
	memcpy(p, &vgpu->s, ss);
	p += ss;
	put_sec(p, TESSERA_MIG_SEC_GART, gart_bytes(vgpu));
	p += sizeof(struct tessera_mig_sec);
	g = (u64 *)p;
	for (i = 0; i < vgpu->gart_entries; i++)
		g[i] = vgpu->gart[i].gentry;
	p += gart_bytes(vgpu);
	put_sec(p, TESSERA_MIG_SEC_RINGS, rings_bytes(vgpu));
	p += sizeof(struct tessera_mig_sec);
	r = (struct tessera_mig_ring *)p;
	for (e = 0; e < vgpu->info->num_engines; e++) {
		struct tessera_hw_ring hr;

		tessera_hw_ring_get(tdev, c, e, &hr);
		r[e].base = hr.base;
		r[e].size = hr.size;
		r[e].head = hr.head;
		r[e].tail = hr.tail;
		r[e].state = hr.state;
		r[e].fence = hr.fence;
	}
	mutex_unlock(&vgpu->lock);
	return 0;
}

/* The next VRAM section from @pending into @buf; false: none left. */
static bool emit_vram(struct tessera_mig_file *migf)
{
	struct tessera_vgpu *vgpu = migf->vgpu;
	u64 np = vgpu->mig.npages, first, n = 0;
	size_t hl = sizeof(struct tessera_mig_sec) + sizeof(u64);

	first = find_next_bit(migf->pending, np, migf->cursor);
	if (first >= np)
		return false;
	while (first + n < np && n < MIG_CHUNK_PAGES &&
	       test_bit(first + n, migf->pending))
		n++;
	bitmap_clear(migf->pending, first, n);
	migf->cursor = first + n;
	put_sec(migf->buf, TESSERA_MIG_SEC_VRAM,
		sizeof(u64) + (n << TESSERA_PAGE_SHIFT));
	put_unaligned(first << TESSERA_PAGE_SHIFT, (u64 *)(migf->buf +
		      sizeof(struct tessera_mig_sec)));
	mutex_lock(&vgpu->lock);
	tessera_ctx_vram_read(vgpu->ctx, first << TESSERA_PAGE_SHIFT,
			      migf->buf + hl, n << TESSERA_PAGE_SHIFT);
	mutex_unlock(&vgpu->lock);
	migf->src = migf->buf;
	migf->src_len = hl + (n << TESSERA_PAGE_SHIFT);
	migf->src_pos = 0;
	return true;
}

/*
 * Make the next bytes available at @src. Return: 0 with data, 1 at the
 * end of the stream, -ENOMSG when pre-copy has nothing for now.
 */
static int produce(struct tessera_mig_file *migf)
{
	struct tessera_vgpu *vgpu = migf->vgpu;

	switch (migf->phase) {
	case SAVE_HDR:
		fill_hdr(vgpu, (struct tessera_mig_hdr *)migf->buf);
		migf->src = migf->buf;
		migf->src_len = sizeof(struct tessera_mig_hdr);
		migf->src_pos = 0;
		migf->phase = SAVE_DATA;
		return 0;
	case SAVE_DATA:
		if (migf->final && !migf->fin_sent) {
			migf->fin_sent = true;
			migf->src = migf->fin;
			migf->src_len = migf->fin_len;
			migf->src_pos = 0;
			return 0;
		}
		if (emit_vram(migf))
			return 0;
		if (migf->final) {
			migf->phase = SAVE_END;
			return produce(migf);
		}
		migf->initial = false;
		/* Pre-copy: what was written since the last sweep. */
		sweep(migf);
		if (emit_vram(migf))
			return 0;
		return -ENOMSG;
	case SAVE_END:
		put_sec(migf->buf, TESSERA_MIG_SEC_END, 0);
		migf->src = migf->buf;
		migf->src_len = sizeof(struct tessera_mig_sec);
		migf->src_pos = 0;
		migf->phase = SAVE_DONE;
		return 0;
	default:
		return 1;
	}
}

static ssize_t save_read(struct file *filp, char __user *ubuf, size_t len,
			 loff_t *pos)
{
	struct tessera_mig_file *migf = filp->private_data;
	size_t done = 0, n;
	int ret = 0;

	if (pos)
		return -ESPIPE;
	mutex_lock(&migf->lock);
	if (migf->disabled) {
		ret = -ENODEV;
		goto out;
	}
	while (done < len) {
		if (migf->src_pos == migf->src_len) {
			ret = produce(migf);
			if (ret)
				break;
		}
		n = min(len - done, migf->src_len - migf->src_pos);
		if (copy_to_user(ubuf + done, migf->src + migf->src_pos, n)) {
			ret = -EFAULT;
			break;
		}
		migf->src_pos += n;
		done += n;
	}
	/* A saving file of this vGPU: while enabled, the vGPU exists. */
	if (done)
		atomic64_add(done, migf->final ?
			     &migf->vgpu->mig.sent_stopcopy :
			     &migf->vgpu->mig.sent_precopy);
out:
	mutex_unlock(&migf->lock);
	if (done)
		return done;
	return ret == 1 ? 0 : ret;
}

static u64 pending_bytes(struct tessera_mig_file *migf)
{
	u64 pages = bitmap_weight(migf->pending, migf->vgpu->mig.npages);

	return (pages << TESSERA_PAGE_SHIFT) +
	       DIV_ROUND_UP(pages, MIG_CHUNK_PAGES) *
	       (sizeof(struct tessera_mig_sec) + sizeof(u64));
}

/*
 * What an enabled pre-copy file still holds back (@queued: the rest of the
 * header and of the initial copy) and the bytes of the pages dirtied since
 * they were last queued (@dirty), after a device-write sweep.
 */
static void precopy_sizes(struct tessera_mig_file *migf, u64 *queued,
			  u64 *dirty)
{
	struct tessera_vgpu *vgpu = migf->vgpu;

	lockdep_assert_held(&migf->lock);
	*queued = (migf->src_len - migf->src_pos) + pending_bytes(migf);
	if (migf->phase == SAVE_HDR)
		*queued += sizeof(struct tessera_mig_hdr);
	mutex_lock(&vgpu->lock);
	sweep_device(vgpu);
	*dirty = (u64)bitmap_weight(vgpu->mig.dirty, vgpu->mig.npages) <<
		TESSERA_PAGE_SHIFT;
	mutex_unlock(&vgpu->lock);
}

static long save_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct tessera_mig_file *migf = filp->private_data;
	struct vfio_precopy_info info = {};
	unsigned long minsz = offsetofend(struct vfio_precopy_info,
					  dirty_bytes);
	u64 queued, dirty;

	if (cmd != VFIO_MIG_GET_PRECOPY_INFO)
		return -ENOTTY;
	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	/*
	 * Not the device's state lock: the file may outlive the device.
	 * While the file is enabled the vGPU exists (close disables it
	 * under @migf->lock), and it is in PRE_COPY or PRE_COPY_P2P until
	 * STOP_COPY sets @final or another arc disables the file.
	 */
	mutex_lock(&migf->lock);
	if (migf->disabled) {
		mutex_unlock(&migf->lock);
		return -ENODEV;
	}
	if (migf->final) {
		mutex_unlock(&migf->lock);
		return -EINVAL;
	}
	precopy_sizes(migf, &queued, &dirty);
	if (migf->initial) {
		info.initial_bytes = queued;
		info.dirty_bytes = dirty;
	} else {
		info.dirty_bytes = queued + dirty;
	}
	mutex_unlock(&migf->lock);
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static void migf_free(struct tessera_mig_file *migf)
{
	kvfree(migf->buf);
	bitmap_free(migf->pending);
	kvfree(migf->fin);
	kvfree(migf->st);
	kvfree(migf->gart);
	kfree(migf->rings);
	mutex_destroy(&migf->lock);
	kfree(migf);
}

static int migf_release(struct inode *inode, struct file *filp)
{
	migf_free(filp->private_data);
	return 0;
}

static const struct file_operations save_fops = {
	.owner = THIS_MODULE,
	.read = save_read,
	.unlocked_ioctl = save_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = migf_release,
};

static ssize_t resume_write(struct file *filp, const char __user *ubuf,
			    size_t len, loff_t *pos);

static const struct file_operations resume_fops = {
	.owner = THIS_MODULE,
	.write = resume_write,
	.release = migf_release,
};

static struct tessera_mig_file *migf_new(struct tessera_vgpu *vgpu,
					 bool saving)
{
	struct tessera_mig_file *migf;
	int ret = -ENOMEM;

	migf = kzalloc(sizeof(*migf), GFP_KERNEL_ACCOUNT);
	if (!migf)
		return ERR_PTR(-ENOMEM);
	mutex_init(&migf->lock);
	migf->vgpu = vgpu;
	if (saving) {
		migf->buf_size = sizeof(struct tessera_mig_hdr) +
				 sizeof(struct tessera_mig_sec) + sizeof(u64) +
				 (MIG_CHUNK_PAGES << TESSERA_PAGE_SHIFT);
		migf->pending = bitmap_zalloc(vgpu->mig.npages,
					      GFP_KERNEL_ACCOUNT);
		if (!migf->pending)
			goto err;
		bitmap_fill(migf->pending, vgpu->mig.npages);
		migf->initial = true;
	} else {
		migf->buf_size = sizeof(struct tessera_mig_hdr);
	}
	migf->buf = kvzalloc(migf->buf_size, GFP_KERNEL_ACCOUNT);
	if (!migf->buf)
		goto err;
	migf->filp = anon_inode_getfile("tessera_mig",
					saving ? &save_fops : &resume_fops,
					migf, saving ? O_RDONLY : O_WRONLY);
	if (IS_ERR(migf->filp)) {
		ret = PTR_ERR(migf->filp);
		goto err;
	}
	stream_open(migf->filp->f_inode, migf->filp);
	return migf;
err:
	migf_free(migf);
	return ERR_PTR(ret);
}

static void migf_disable(struct tessera_mig_file *migf)
{
	mutex_lock(&migf->lock);
	migf->disabled = true;
	mutex_unlock(&migf->lock);
	fput(migf->filp);
}

static void disable_files(struct tessera_vgpu *vgpu)
{
	if (vgpu->mig.saving) {
		migf_disable(vgpu->mig.saving);
		vgpu->mig.saving = NULL;
	}
	if (vgpu->mig.resuming) {
		migf_disable(vgpu->mig.resuming);
		vgpu->mig.resuming = NULL;
	}
	mutex_lock(&vgpu->lock);
	vgpu->mig.tracking = false;
	mutex_unlock(&vgpu->lock);
}

/* ---------------------------------------------------------- resuming */

/* One line per refusal (rate-limited), the vGPU back to power-on. */
static int refuse(struct tessera_mig_file *migf, int err, const char *why)
{
	struct tessera_vgpu *vgpu = migf->vgpu;

	dev_warn_ratelimited(&vgpu->mdev->dev,
			     "migration stream refused (%s): %pe; vGPU reset\n",
			     why, ERR_PTR(err));
	migf->err = err;
	/* Config space stays (memory decoding on, as the user set it). */
	mutex_lock(&vgpu->lock);
	tessera_vgpu_reset(vgpu, false);
	vgpu->resets--;	/* not a guest-requested reset */
	mutex_unlock(&vgpu->lock);
	return err;
}

static int check_hdr(struct tessera_mig_file *migf)
{
	struct tessera_vgpu *vgpu = migf->vgpu;
	struct tessera_mig_hdr *h = (struct tessera_mig_hdr *)migf->buf;
	struct tessera_mig_hdr me;

	fill_hdr(vgpu, &me);
	if (h->magic != TESSERA_MIG_MAGIC)
		return refuse(migf, -EINVAL, "bad magic");
	if (h->version != TESSERA_MIG_VERSION)
		return refuse(migf, -EPROTONOSUPPORT,
			      h->version < TESSERA_MIG_VERSION ?
			      "older format version" : "newer format version");
	if (h->hdr_size != sizeof(*h) || h->flags || h->reserved)
		return refuse(migf, -EINVAL, "corrupted header");
	if (memcmp(h->type, me.type, sizeof(h->type)) ||
	    h->vram_size != me.vram_size ||
	    h->gart_entries != me.gart_entries)
		return refuse(migf, -EINVAL, "another vGPU type");
	if (h->hw_id != me.hw_id || h->hw_version != me.hw_version ||
	    h->num_engines != me.num_engines ||
	    h->num_compute != me.num_compute || h->num_copy != me.num_copy ||
	    h->page_size != me.page_size || h->state_size != me.state_size ||
	    h->ring_size != me.ring_size)
		return refuse(migf, -EINVAL,
			      "another hardware version or engine layout");
	return 0;
}

/* A section header is complete: check it, prepare for its payload. */
static int start_sec(struct tessera_mig_file *migf)
{
	struct tessera_vgpu *vgpu = migf->vgpu;
	struct tessera_mig_sec *sec = &migf->sec;
	void **dst = NULL;
	size_t want = 0;

	memcpy(sec, migf->buf, sizeof(*sec));
	if (sec->flags)
		return refuse(migf, -EPROTO, "section flags");
	switch (sec->id) {
	case TESSERA_MIG_SEC_STATE:
		want = sizeof(struct tessera_vgpu_state);
		dst = (void **)&migf->st;
		break;
	case TESSERA_MIG_SEC_GART:
		want = gart_bytes(vgpu);
		dst = (void **)&migf->gart;
		break;
	case TESSERA_MIG_SEC_RINGS:
		want = rings_bytes(vgpu);
		dst = (void **)&migf->rings;
		break;
	case TESSERA_MIG_SEC_VRAM:
		if (sec->len <= sizeof(u64) ||
		    sec->len - sizeof(u64) > MIG_VRAM_MAX ||
		    (sec->len - sizeof(u64)) % TESSERA_PAGE_SIZE)
			return refuse(migf, -EPROTO, "VRAM section length");
		migf->phase = RES_VRAM_OFF;
		migf->got = 0;
		return 0;
	case TESSERA_MIG_SEC_END:
		if (sec->len)
			return refuse(migf, -EPROTO, "END section length");
		if (!migf->st || !migf->gart || !migf->rings)
			return refuse(migf, -EPROTO,
				      "END before the device state");
		migf->phase = RES_DONE;
		return 0;
	default:
		return refuse(migf, -EPROTO, "unknown section");
	}
	if (sec->len != want)
		return refuse(migf, -EPROTO, sec->len < want ?
			      "short section" : "oversized section");
	if (*dst)
		return refuse(migf, -EPROTO, "section repeated");
	*dst = kvzalloc(want, GFP_KERNEL_ACCOUNT);
	if (!*dst)
		return refuse(migf, -ENOMEM, "no memory");
	migf->phase = RES_PAYLOAD;
	migf->got = 0;
	return 0;
}

static void *payload_dst(struct tessera_mig_file *migf)
{
	switch (migf->sec.id) {
	case TESSERA_MIG_SEC_STATE:
		return migf->st;
	case TESSERA_MIG_SEC_GART:
		return migf->gart;
	default:
		return migf->rings;
	}
}

/* Feed @n bytes of the stream; 0 or the errno that refused it. */
static int feed(struct tessera_mig_file *migf, const u8 *p, size_t n)
{
	struct tessera_vgpu *vgpu = migf->vgpu;
	size_t k, need;
	u8 *dst;
	int ret;

	while (n) {
		switch (migf->phase) {
		case RES_HDR:
		case RES_SEC:
			need = migf->phase == RES_HDR ?
			       sizeof(struct tessera_mig_hdr) :
			       sizeof(struct tessera_mig_sec);
			k = min(n, need - migf->got);
			memcpy(migf->buf + migf->got, p, k);
			migf->got += k;
			if (migf->got < need)
				return 0;
			migf->got = 0;
			if (migf->phase == RES_HDR) {
				ret = check_hdr(migf);
				migf->phase = RES_SEC;
			} else {
				ret = start_sec(migf);
			}
			if (ret)
				return ret;
			break;
		case RES_PAYLOAD:
			dst = payload_dst(migf);
			k = min_t(u64, n, migf->sec.len - migf->got);
			memcpy(dst + migf->got, p, k);
			migf->got += k;
			if (migf->got == migf->sec.len) {
				migf->phase = RES_SEC;
				migf->got = 0;
			}
			break;
		case RES_VRAM_OFF:
			k = min(n, sizeof(u64) - migf->got);
			memcpy(migf->buf + migf->got, p, k);
			migf->got += k;
			if (migf->got == sizeof(u64)) {
				u64 off = get_unaligned((u64 *)migf->buf);
				u64 dl = migf->sec.len - sizeof(u64);

				if (off % TESSERA_PAGE_SIZE ||
				    off > vgpu->vram_size ||
				    dl > vgpu->vram_size - off)
					return refuse(migf, -EPROTO,
						      "VRAM section outside the partition");
				migf->vram_off = off;
				migf->vram_left = dl;
				migf->phase = RES_VRAM;
			}
			break;
		case RES_VRAM:
			k = min_t(u64, n, migf->vram_left);
			mutex_lock(&vgpu->lock);
			tessera_ctx_vram_write(vgpu->ctx, migf->vram_off, p, k);
			mutex_unlock(&vgpu->lock);
			migf->vram_off += k;
			migf->vram_left -= k;
			if (!migf->vram_left) {
				migf->phase = RES_SEC;
				migf->got = 0;
			}
			break;
		default:
			return refuse(migf, -EPROTO, "data after the END section");
		}
		p += k;
		n -= k;
	}
	return 0;
}

static ssize_t resume_write(struct file *filp, const char __user *ubuf,
			    size_t len, loff_t *pos)
{
	struct tessera_mig_file *migf = filp->private_data;
	size_t done = 0, n;
	u8 *kbuf;
	int ret = 0;

	if (pos)
		return -ESPIPE;
	kbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	mutex_lock(&migf->lock);
	if (migf->disabled)
		ret = -ENODEV;
	else if (migf->err)
		ret = migf->err;
	while (!ret && done < len) {
		n = min_t(size_t, len - done, PAGE_SIZE);
		if (copy_from_user(kbuf, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		ret = feed(migf, kbuf, n);
		if (!ret)
			done += n;
	}
	mutex_unlock(&migf->lock);
	kfree(kbuf);
	return ret ? ret : done;
}

/* Validate the STATE payload; 0 or a reason. */
static const char *check_state(struct tessera_vgpu *vgpu,
			       struct tessera_vgpu_state *st)
{
	u32 e, ne = vgpu->info->num_engines;

	for (e = 0; e < TESSERA_MAX_ENGINES; e++) {
		if (st->eng[e].state > TESSERA_VENG_FAULTED)
			return "engine state";
		if (e >= ne && (st->eng[e].state || st->eng[e].int_status))
			return "absent engine";
		st->eng[e].int_status &= TESSERA_ENG_INT_ALL;
		st->eng[e].int_mask &= TESSERA_ENG_INT_ALL;
		st->eng[e].was_pending = !!st->eng[e].was_pending;
	}
	st->int_enable &= GENMASK(ne - 1, 0) | TESSERA_INT_DOORBELL;
	st->ctx_ctrl &= TESSERA_CTX_CTRL_VALID;
	st->msix_pba &= GENMASK(TESSERA_MSIX_VECTORS - 1, 0);
	st->line_level &= GENMASK(TESSERA_MSIX_VECTORS - 1, 0) | BIT(31);
	st->intx_level = !!st->intx_level;
	st->intx_masked = !!st->intx_masked;
	st->fence_moved &= GENMASK(ne - 1, 0);
	return NULL;
}

/* RESUMING -> STOP: the whole stream arrived; make it the device state. */
static int load(struct tessera_mig_file *migf)
{
	struct tessera_vgpu *vgpu = migf->vgpu;
	struct tessera_device *tdev = vgpu->tdev;
	struct tessera_vgpu_state *st = migf->st;
	u64 fences[TESSERA_MAX_ENGINES] = {};
	size_t scratch = (size_t)vgpu->info->num_engines *
			 TESSERA_RING_MIN_SIZE;
	u32 e, i, c = vgpu->ctx_info.id, intx_masked;
	const char *why;
	void *save;

	if (migf->err)
		return migf->err;
	if (migf->phase != RES_DONE)
		return refuse(migf, -ENODATA, "stream cut short");
	why = check_state(vgpu, st);
	if (why)
		return refuse(migf, -EPROTO, why);
	save = kvmalloc(scratch, GFP_KERNEL);
	if (!save)
		return refuse(migf, -ENOMEM, "no memory");
	for (e = 0; e < vgpu->info->num_engines; e++)
		fences[e] = migf->rings[e].fence;

	mutex_lock(&vgpu->lock);
	tessera_sched_quiesce_ctx(vgpu->ctx);
	/* Ring fences of the source (they are read-only registers). */
	tessera_ctx_vram_read(vgpu->ctx, 0, save, scratch);
	tessera_vgpu_fence_set(vgpu, fences);
	tessera_ctx_vram_write(vgpu->ctx, 0, save, scratch);

	intx_masked = vgpu->s.intx_masked;	/* VFIO's, not the device's */
	memcpy(&vgpu->s, st, sizeof(*st));
	vgpu->s.intx_masked = intx_masked;
	tessera_vgpu_cfg_restore(vgpu, st->cfg);
	vgpu->s.fault_seen = tessera_ctx_fault_count(vgpu->ctx);
	tessera_vgpu_ctx_apply(vgpu);
	for (e = 0; e < vgpu->info->num_engines; e++) {
		struct tessera_mig_ring *r = &migf->rings[e];
		struct tessera_hw_ring hr = {
			.base = r->base,
			.size = r->size,
			.head = r->head,
			.tail = r->tail,
		};

		tessera_hw_ring_set(tdev, c, e, &hr);
	}
	/* Guest values now; pinned through our container at the resume. */
	for (i = 0; i < vgpu->gart_entries; i++)
		tessera_vgpu_gart_set_guest(vgpu, i, migf->gart[i]);
	vgpu->mig.gart_repin = true;
	tessera_vgpu_irq_update(vgpu);
	mutex_unlock(&vgpu->lock);
	kvfree(save);
	return 0;
}

/* ------------------------------------------------------ state machine */

/* A new saving stream: its byte counters start again. */
static void sent_reset(struct tessera_vgpu *vgpu)
{
	atomic64_set(&vgpu->mig.sent_precopy, 0);
	atomic64_set(&vgpu->mig.sent_stopcopy, 0);
}

static struct file *step(struct tessera_vgpu *vgpu, u32 next)
{
	struct tessera_vgpu_mig *m = &vgpu->mig;
	struct tessera_mig_file *migf;
	u32 cur = m->state;
	int ret;

	/* Rings off the engines (P2P and below) and back. */
	if ((cur == VFIO_DEVICE_STATE_RUNNING &&
	     next == VFIO_DEVICE_STATE_RUNNING_P2P) ||
	    (cur == VFIO_DEVICE_STATE_PRE_COPY &&
	     next == VFIO_DEVICE_STATE_PRE_COPY_P2P)) {
		freeze(vgpu);
		return NULL;
	}
	if ((cur == VFIO_DEVICE_STATE_RUNNING_P2P &&
	     next == VFIO_DEVICE_STATE_RUNNING) ||
	    (cur == VFIO_DEVICE_STATE_PRE_COPY_P2P &&
	     next == VFIO_DEVICE_STATE_PRE_COPY)) {
		thaw(vgpu);
		return NULL;
	}
	if (cur == VFIO_DEVICE_STATE_RUNNING_P2P &&
	    next == VFIO_DEVICE_STATE_STOP)
		return NULL;
	if (cur == VFIO_DEVICE_STATE_STOP &&
	    next == VFIO_DEVICE_STATE_RUNNING_P2P) {
		gart_repin(vgpu);
		return NULL;
	}

	/* End of a saving session. */
	if ((cur == VFIO_DEVICE_STATE_PRE_COPY &&
	     next == VFIO_DEVICE_STATE_RUNNING) ||
	    (cur == VFIO_DEVICE_STATE_PRE_COPY_P2P &&
	     next == VFIO_DEVICE_STATE_RUNNING_P2P) ||
	    (cur == VFIO_DEVICE_STATE_STOP_COPY &&
	     next == VFIO_DEVICE_STATE_STOP)) {
		disable_files(vgpu);
		return NULL;
	}
	if (cur == VFIO_DEVICE_STATE_RESUMING &&
	    next == VFIO_DEVICE_STATE_STOP) {
		migf = m->resuming;
		mutex_lock(&migf->lock);
		ret = load(migf);
		mutex_unlock(&migf->lock);
		if (ret)
			return ERR_PTR(ret);
		disable_files(vgpu);
		return NULL;
	}

	/* Saving: a file, or more of the same one. */
	if ((cur == VFIO_DEVICE_STATE_RUNNING &&
	     next == VFIO_DEVICE_STATE_PRE_COPY) ||
	    (cur == VFIO_DEVICE_STATE_RUNNING_P2P &&
	     next == VFIO_DEVICE_STATE_PRE_COPY_P2P)) {
		migf = migf_new(vgpu, true);
		if (IS_ERR(migf))
			return ERR_CAST(migf);
		sent_reset(vgpu);
		track_start(vgpu);
		m->saving = migf;
		get_file(migf->filp);
		return migf->filp;
	}
	if ((cur == VFIO_DEVICE_STATE_STOP ||
	     cur == VFIO_DEVICE_STATE_PRE_COPY_P2P) &&
	    next == VFIO_DEVICE_STATE_STOP_COPY) {
		bool fresh = !m->saving;

		if (fresh) {
			migf = migf_new(vgpu, true);
			if (IS_ERR(migf))
				return ERR_CAST(migf);
			sent_reset(vgpu);
		} else {
			migf = m->saving;
		}
		mutex_lock(&migf->lock);
		ret = snapshot(migf);
		if (!ret) {
			if (!fresh)
				sweep(migf);
			migf->final = true;
		}
		mutex_unlock(&migf->lock);
		if (ret) {
			if (fresh)
				fput(migf->filp);
			return ERR_PTR(ret);
		}
		m->saving = migf;
		if (!fresh)
			return NULL;
		get_file(migf->filp);
		return migf->filp;
	}
	if (cur == VFIO_DEVICE_STATE_STOP &&
	    next == VFIO_DEVICE_STATE_RESUMING) {
		migf = migf_new(vgpu, false);
		if (IS_ERR(migf))
			return ERR_CAST(migf);
		/* Nothing of earlier work survives into the new state. */
		mutex_lock(&vgpu->lock);
		tessera_vgpu_reset(vgpu, false);
		vgpu->resets--;
		mutex_unlock(&vgpu->lock);
		m->resuming = migf;
		get_file(migf->filp);
		return migf->filp;
	}
	/* vfio_mig_get_next_state() uses no other arc. */
	return ERR_PTR(-EINVAL);
}

static struct file *mig_set_state(struct vfio_device *vdev,
				  enum vfio_device_mig_state new_state)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);
	enum vfio_device_mig_state next;
	struct file *res = NULL;
	int ret;

	mutex_lock(&vgpu->mig.lock);
	/* Only a reset leaves ERROR (the core's table has no arc from it). */
	if (vgpu->mig.state == VFIO_DEVICE_STATE_ERROR) {
		mutex_unlock(&vgpu->mig.lock);
		return ERR_PTR(-EINVAL);
	}
	while (vgpu->mig.state != new_state) {
		ret = vfio_mig_get_next_state(vdev, vgpu->mig.state, new_state,
					      &next);
		if (ret) {
			res = ERR_PTR(ret);
			break;
		}
		res = step(vgpu, next);
		if (IS_ERR(res)) {
			dev_warn_ratelimited(&vgpu->mdev->dev,
					     "migration state %u -> %u failed: %pe; device in ERROR until reset\n",
					     vgpu->mig.state, next, res);
			vgpu->mig.state = VFIO_DEVICE_STATE_ERROR;
			break;
		}
		vgpu->mig.state = next;
		if (res && next != new_state) {
			fput(res);
			res = ERR_PTR(-EINVAL);
			vgpu->mig.state = VFIO_DEVICE_STATE_ERROR;
			break;
		}
	}
	mutex_unlock(&vgpu->mig.lock);
	return res;
}

static int mig_get_state(struct vfio_device *vdev,
			 enum vfio_device_mig_state *state)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);

	mutex_lock(&vgpu->mig.lock);
	*state = vgpu->mig.state;
	mutex_unlock(&vgpu->mig.lock);
	return 0;
}

static int mig_get_data_size(struct vfio_device *vdev,
			     unsigned long *stop_copy_length)
{
	struct tessera_vgpu *vgpu = vdev_to_vgpu(vdev);
	u64 sec = sizeof(struct tessera_mig_sec), fixed, queued, dirty, est;
	struct tessera_mig_file *migf;

	/* STATE, GART, RINGS and END; then the header and every page. */
	fixed = 4 * sec + sizeof(struct tessera_vgpu_state) +
		gart_bytes(vgpu) + rings_bytes(vgpu);
	*stop_copy_length = sizeof(struct tessera_mig_hdr) + fixed +
		vgpu->vram_size +
		DIV_ROUND_UP(vgpu->mig.npages, MIG_CHUNK_PAGES) *
		(sec + sizeof(u64));
	/*
	 * During pre-copy STOP_COPY will send only what pre-copy has not:
	 * the queued rest and the dirty pages. The VMM plans its downtime
	 * with this figure (QEMU switches over when it fits the limit).
	 */
	mutex_lock(&vgpu->mig.lock);
	migf = vgpu->mig.saving;
	if (migf && (vgpu->mig.state == VFIO_DEVICE_STATE_PRE_COPY ||
		     vgpu->mig.state == VFIO_DEVICE_STATE_PRE_COPY_P2P)) {
		mutex_lock(&migf->lock);
		if (!migf->disabled && !migf->final) {
			precopy_sizes(migf, &queued, &dirty);
			est = fixed + queued + dirty +
			      DIV_ROUND_UP(dirty >> TESSERA_PAGE_SHIFT,
					   MIG_CHUNK_PAGES) *
			      (sec + sizeof(u64));
			*stop_copy_length = min_t(u64, est, *stop_copy_length);
		}
		mutex_unlock(&migf->lock);
	}
	mutex_unlock(&vgpu->mig.lock);
	return 0;
}

static const struct vfio_migration_ops tessera_vgpu_mig_ops = {
	.migration_set_state = mig_set_state,
	.migration_get_state = mig_get_state,
	.migration_get_data_size = mig_get_data_size,
};

/**
 * tessera_vgpu_mig_reset() - back to RUNNING, migration files disabled
 * @vgpu: vGPU (its lock not held)
 *
 * For VFIO_DEVICE_RESET, open and close.
 */
void tessera_vgpu_mig_reset(struct tessera_vgpu *vgpu)
{
	bool was_frozen;

	mutex_lock(&vgpu->mig.lock);
	/* The VMM's reads or writes of the stream now fail with ENODEV. */
	if (vgpu->mig.saving || vgpu->mig.resuming)
		dev_info_ratelimited(&vgpu->mdev->dev,
				     "migration: %s stream abandoned by a reset, open or close in state %u\n",
				     vgpu->mig.saving ? "saving" : "resuming",
				     vgpu->mig.state);
	disable_files(vgpu);
	vgpu->mig.state = VFIO_DEVICE_STATE_RUNNING;
	mutex_lock(&vgpu->lock);
	was_frozen = vgpu->frozen;
	vgpu->mig.gart_repin = false;
	mutex_unlock(&vgpu->lock);
	if (was_frozen)
		thaw(vgpu);
	mutex_unlock(&vgpu->mig.lock);
}

/**
 * tessera_vgpu_mig_init() - make a new vGPU migratable
 * @vgpu: vGPU, not yet registered
 *
 * Return: 0 or -ENOMEM.
 */
int tessera_vgpu_mig_init(struct tessera_vgpu *vgpu)
{
	mutex_init(&vgpu->mig.lock);
	vgpu->mig.state = VFIO_DEVICE_STATE_RUNNING;
	vgpu->mig.npages = vgpu->vram_size >> TESSERA_PAGE_SHIFT;
	vgpu->mig.dirty = bitmap_zalloc(vgpu->mig.npages, GFP_KERNEL);
	if (!vgpu->mig.dirty)
		return -ENOMEM;
	vgpu->vdev.migration_flags = VFIO_MIGRATION_STOP_COPY |
				     VFIO_MIGRATION_P2P |
				     VFIO_MIGRATION_PRE_COPY;
	vgpu->vdev.mig_ops = &tessera_vgpu_mig_ops;
	tessera_vgpu_dlog_init(vgpu);
	return 0;
}

/**
 * tessera_vgpu_mig_fini() - free what tessera_vgpu_mig_init() allocated
 * @vgpu: vGPU, unregistered
 */
void tessera_vgpu_mig_fini(struct tessera_vgpu *vgpu)
{
	unsigned long *d = vgpu->mig.dirty;

	tessera_vgpu_dlog_stop(vgpu);
	WRITE_ONCE(vgpu->mig.dirty, NULL);
	bitmap_free(d);
	mutex_destroy(&vgpu->mig.lock);
}

/** tessera_vgpu_mig_supported() - Return: the vGPU can migrate */
bool tessera_vgpu_mig_supported(void)
{
	return true;
}

#else /* !TESSERA_VFIO_HAS_MIGRATION */

int tessera_vgpu_mig_init(struct tessera_vgpu *vgpu)
{
	return 0;
}

void tessera_vgpu_mig_fini(struct tessera_vgpu *vgpu)
{
}

void tessera_vgpu_mig_reset(struct tessera_vgpu *vgpu)
{
}

bool tessera_vgpu_mig_supported(void)
{
	return false;
}

#endif /* TESSERA_VFIO_HAS_MIGRATION */
