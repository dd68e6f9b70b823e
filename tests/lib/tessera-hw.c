// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-hw: helpers to program a Tessera GPU through VFIO.
 * See tessera-hw.h for the interface.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tessera-hw.h"

#define POLL_SLEEP_US	200

static u32 lo32(u64 v)
{
	return (u32)v;
}

static u32 hi32(u64 v)
{
	return (u32)(v >> 32);
}

u64 tess_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tess_sleep_us(unsigned int us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

u32 tess_fnv1a(const void *buf, size_t len)
{
	const u8 *p = buf;
	u32 h = TESSERA_FNV1A_INIT;

	while (len--) {
		h ^= *p++;
		h *= TESSERA_FNV1A_PRIME;
	}
	return h;
}

const char *tess_fault_name(u32 code)
{
	static const char * const names[] = {
		[TESSERA_FAULT_NONE] = "NONE",
		[TESSERA_FAULT_VRAM_RANGE] = "VRAM_RANGE",
		[TESSERA_FAULT_GART_RANGE] = "GART_RANGE",
		[TESSERA_FAULT_GART_INVALID] = "GART_INVALID",
		[TESSERA_FAULT_GART_READONLY] = "GART_READONLY",
		[TESSERA_FAULT_BAD_OPCODE] = "BAD_OPCODE",
		[TESSERA_FAULT_BAD_LENGTH] = "BAD_LENGTH",
		[TESSERA_FAULT_BAD_ALIGN] = "BAD_ALIGN",
		[TESSERA_FAULT_BAD_ADDRESS] = "BAD_ADDRESS",
		[TESSERA_FAULT_BAD_NESTING] = "BAD_NESTING",
		[TESSERA_FAULT_BAD_CONTEXT] = "BAD_CONTEXT",
		[TESSERA_FAULT_DMA_ERROR] = "DMA_ERROR",
		[TESSERA_FAULT_BAD_RING] = "BAD_RING",
	};

	if (code < ARRAY_SIZE(names) && names[code])
		return names[code];
	return "?";
}

/* ------------------------------------------------------------ device */

static void set_err(struct tess_dev *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
}

int tess_open(struct tess_dev *t, const char *bdf)
{
	char found[32];
	u32 id, eng;
	int ret;

	memset(t, 0, sizeof(*t));
	t->vfio.container_fd = -1;
	t->vfio.group_fd = -1;
	t->vfio.device_fd = -1;
	t->vfio.irq_index = -1;

	if (!bdf)
		bdf = getenv("TESSERA_BDF");
	if (!bdf || !*bdf) {
		ret = vfio_pci_find(TESSERA_PCI_VENDOR_ID, TESSERA_PCI_DEVICE_ID,
				    0, found, sizeof(found));
		if (ret) {
			set_err(t, "no Tessera GPU (%04x:%04x) in sysfs",
				TESSERA_PCI_VENDOR_ID, TESSERA_PCI_DEVICE_ID);
			return ret;
		}
		bdf = found;
	}
	ret = vfio_pci_bind(bdf);
	if (ret) {
		set_err(t, "binding %s to vfio-pci: %s", bdf, strerror(-ret));
		return ret;
	}
	ret = vfio_dev_open(&t->vfio, bdf);
	if (ret) {
		set_err(t, "opening %s: %s", bdf, t->vfio.err);
		return ret;
	}
	if (!vfio_region_get(&t->vfio, TESSERA_BAR_CSR) ||
	    !vfio_region_get(&t->vfio, TESSERA_BAR_VRAM) ||
	    !vfio_region_get(&t->vfio, TESSERA_BAR_DOORBELL)) {
		set_err(t, "%s lacks BAR0, BAR2 or BAR4", bdf);
		ret = -ENODEV;
		goto fail;
	}
	ret = vfio_pci_set_master(&t->vfio, true);
	if (ret) {
		set_err(t, "%s: enabling bus mastering: %s", bdf, strerror(-ret));
		goto fail;
	}
	t->csr = t->vfio.regions[TESSERA_BAR_CSR].map;
	t->vram = t->vfio.regions[TESSERA_BAR_VRAM].map;
	t->db = t->vfio.regions[TESSERA_BAR_DOORBELL].map;

	id = tess_rd32(t, TESSERA_REG_ID);
	if (id != TESSERA_ID_MAGIC) {
		set_err(t, "%s: REG_ID is 0x%08x, expected 0x%08x", bdf, id,
			TESSERA_ID_MAGIC);
		ret = -ENODEV;
		goto fail;
	}
	eng = tess_rd32(t, TESSERA_REG_ENGINES);
	t->engines = TESSERA_ENGINES_TOTAL(eng);
	t->compute = TESSERA_ENGINES_COMPUTE(eng);
	t->copy = TESSERA_ENGINES_COPY(eng);
	t->contexts = tess_rd32(t, TESSERA_REG_CONTEXTS);
	t->gart_entries = tess_rd32(t, TESSERA_REG_GART_ENTRIES);
	t->vram_size = tess_rd64(t, TESSERA_REG_VRAM_SIZE_LO);
	if (!t->engines || t->engines > TESSERA_MAX_ENGINES ||
	    !t->contexts || t->contexts > TESSERA_MAX_CONTEXTS ||
	    t->gart_entries > TESSERA_MAX_GART_ENTRIES || !t->vram_size ||
	    t->vram_size > t->vfio.regions[TESSERA_BAR_VRAM].size) {
		set_err(t, "%s: implausible sizes: engines 0x%x contexts %u gart %u vram 0x%llx",
			bdf, eng, t->contexts, t->gart_entries,
			(unsigned long long)t->vram_size);
		ret = -ENODEV;
		goto fail;
	}
	return 0;

fail:
	tess_close(t);
	return ret;
}

void tess_close(struct tess_dev *t)
{
	vfio_dev_close(&t->vfio);
	t->csr = NULL;
	t->vram = NULL;
	t->db = NULL;
}

int tess_device_reset(struct tess_dev *t, int timeout_ms)
{
	u64 deadline = tess_now_ms() + timeout_ms;
	unsigned int errs = t->io_errors;

	tess_wr32(t, TESSERA_REG_RESET, TESSERA_RESET_MAGIC);
	for (;;) {
		if (tess_rd32(t, TESSERA_REG_STATUS) & TESSERA_STATUS_READY)
			break;
		if (tess_now_ms() > deadline)
			return -ETIMEDOUT;
		tess_sleep_us(POLL_SLEEP_US);
	}
	return t->io_errors != errs ? -EIO : 0;
}

u32 tess_rd32(struct tess_dev *t, u32 off)
{
	u32 v;

	if (t->csr && off <= TESSERA_CSR_BAR_SIZE - 4)
		return mmio_rd32((u8 *)t->csr + off);
	if (vfio_region_read(&t->vfio, TESSERA_BAR_CSR, off, &v, 4)) {
		t->io_errors++;
		return ~0u;
	}
	return v;
}

void tess_wr32(struct tess_dev *t, u32 off, u32 val)
{
	if (t->csr && off <= TESSERA_CSR_BAR_SIZE - 4) {
		mmio_wr32((u8 *)t->csr + off, val);
		return;
	}
	if (vfio_region_write(&t->vfio, TESSERA_BAR_CSR, off, &val, 4))
		t->io_errors++;
}

/*
 * 64-bit pairs: one 8-byte access when the pair is 8-aligned (through the
 * mapping, or as one 8-byte region access, as QEMU forwards a guest's
 * 8-byte MMIO); otherwise (e.g. RING_FENCE at 0x14) LO then HI, which the
 * device latches consistently for TIMESTAMP.
 */
u64 tess_rd64(struct tess_dev *t, u32 off)
{
	u32 lo, hi;
	u64 v;

	if (off <= TESSERA_CSR_BAR_SIZE - 8 && !(off & 7)) {
		if (t->csr)
			return mmio_rd64((u8 *)t->csr + off);
		if (vfio_region_read(&t->vfio, TESSERA_BAR_CSR, off, &v, 8)) {
			t->io_errors++;
			return ~0ull;
		}
		return v;
	}
	lo = tess_rd32(t, off);
	hi = tess_rd32(t, off + 4);
	return (u64)hi << 32 | lo;
}

void tess_wr64(struct tess_dev *t, u32 off, u64 val)
{
	if (off <= TESSERA_CSR_BAR_SIZE - 8 && !(off & 7)) {
		if (t->csr)
			mmio_wr64((u8 *)t->csr + off, val);
		else if (vfio_region_write(&t->vfio, TESSERA_BAR_CSR, off,
					   &val, 8))
			t->io_errors++;
		return;
	}
	tess_wr32(t, off, lo32(val));
	tess_wr32(t, off + 4, hi32(val));
}

u32 tess_eng_rd(struct tess_dev *t, unsigned int e, u32 reg)
{
	return tess_rd32(t, TESSERA_ENG_REG(e, reg));
}

void tess_eng_wr(struct tess_dev *t, unsigned int e, u32 reg, u32 val)
{
	tess_wr32(t, TESSERA_ENG_REG(e, reg), val);
}

u32 tess_ctx_rd(struct tess_dev *t, unsigned int c, u32 reg)
{
	return tess_rd32(t, TESSERA_CTX_REG(c, reg));
}

void tess_ctx_wr(struct tess_dev *t, unsigned int c, u32 reg, u32 val)
{
	tess_wr32(t, TESSERA_CTX_REG(c, reg), val);
}

u32 tess_ringreg_rd(struct tess_dev *t, unsigned int c, unsigned int e,
		    u32 reg)
{
	return tess_rd32(t, TESSERA_CTX_RING_REG(c, e, reg));
}

void tess_ringreg_wr(struct tess_dev *t, unsigned int c, unsigned int e,
		     u32 reg, u32 val)
{
	tess_wr32(t, TESSERA_CTX_RING_REG(c, e, reg), val);
}

u64 tess_timestamp(struct tess_dev *t)
{
	return tess_rd64(t, TESSERA_REG_TIMESTAMP_LO);
}

/* --------------------------------------------------- VRAM, doorbells */

int tess_vram_write(struct tess_dev *t, u64 off, const void *buf, size_t len)
{
	if (off > t->vram_size || len > t->vram_size - off)
		return -EINVAL;
	return vfio_region_write(&t->vfio, TESSERA_BAR_VRAM, off, buf, len);
}

int tess_vram_read(struct tess_dev *t, u64 off, void *buf, size_t len)
{
	if (off > t->vram_size || len > t->vram_size - off)
		return -EINVAL;
	return vfio_region_read(&t->vfio, TESSERA_BAR_VRAM, off, buf, len);
}

#define CHUNK	65536

int tess_vram_fill32(struct tess_dev *t, u64 off, size_t len, u32 pattern)
{
	u32 *buf;
	size_t i, n;
	int ret = 0;

	if ((off | len) & 3)
		return -EINVAL;
	buf = malloc(CHUNK);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < CHUNK / 4; i++)
		buf[i] = pattern;
	while (len && !ret) {
		n = len < CHUNK ? len : CHUNK;
		ret = tess_vram_write(t, off, buf, n);
		off += n;
		len -= n;
	}
	free(buf);
	return ret;
}

long tess_vram_check32(struct tess_dev *t, u64 off, size_t len, u32 pattern)
{
	size_t done = 0, i, n;
	u32 *buf;

	if ((off | len) & 3)
		return 0;
	buf = malloc(CHUNK);
	if (!buf)
		return 0;
	while (done < len) {
		n = len - done < CHUNK ? len - done : CHUNK;
		if (tess_vram_read(t, off + done, buf, n)) {
			free(buf);
			return (long)done;
		}
		for (i = 0; i < n / 4; i++) {
			if (buf[i] != pattern) {
				free(buf);
				return (long)(done + i * 4);
			}
		}
		done += n;
	}
	free(buf);
	return -1;
}

u32 tess_vram_rd32(struct tess_dev *t, u64 off)
{
	u32 v;

	if (tess_vram_read(t, off, &v, 4)) {
		t->io_errors++;
		return ~0u;
	}
	return v;
}

void tess_vram_wr32(struct tess_dev *t, u64 off, u32 val)
{
	if (tess_vram_write(t, off, &val, 4))
		t->io_errors++;
}

u64 tess_vram_rd64(struct tess_dev *t, u64 off)
{
	u64 v;

	if (tess_vram_read(t, off, &v, 8)) {
		t->io_errors++;
		return ~0ull;
	}
	return v;
}

int tess_db_write(struct tess_dev *t, unsigned int ctx, unsigned int eng,
		  u32 tail)
{
	u64 off = (u64)ctx * TESSERA_DOORBELL_PAGE_SIZE + TESSERA_DB_TAIL(eng);

	return vfio_region_write(&t->vfio, TESSERA_BAR_DOORBELL, off, &tail, 4);
}

u32 tess_db_read(struct tess_dev *t, unsigned int ctx, unsigned int eng)
{
	u64 off = (u64)ctx * TESSERA_DOORBELL_PAGE_SIZE + TESSERA_DB_TAIL(eng);
	u32 v;

	if (vfio_region_read(&t->vfio, TESSERA_BAR_DOORBELL, off, &v, 4)) {
		t->io_errors++;
		return ~0u;
	}
	return v;
}

/* ------------------------------------------------- contexts and GART */

int tess_ctx_setup(struct tess_dev *t, unsigned int ctx, u64 vram_base,
		   u64 vram_size, u32 gart_base, u32 gart_size)
{
	unsigned int errs = t->io_errors;

	if (ctx >= t->contexts)
		return -EINVAL;
	tess_ctx_wr(t, ctx, TESSERA_CTX_CTRL, 0);
	tess_ctx_wr(t, ctx, TESSERA_CTX_VRAM_BASE_LO, lo32(vram_base));
	tess_ctx_wr(t, ctx, TESSERA_CTX_VRAM_BASE_HI, hi32(vram_base));
	tess_ctx_wr(t, ctx, TESSERA_CTX_VRAM_SIZE_LO, lo32(vram_size));
	tess_ctx_wr(t, ctx, TESSERA_CTX_VRAM_SIZE_HI, hi32(vram_size));
	tess_ctx_wr(t, ctx, TESSERA_CTX_GART_BASE, gart_base);
	tess_ctx_wr(t, ctx, TESSERA_CTX_GART_SIZE, gart_size);
	tess_ctx_wr(t, ctx, TESSERA_CTX_CTRL, TESSERA_CTX_CTRL_VALID);
	return t->io_errors != errs ? -EIO : 0;
}

int tess_ctx_clear(struct tess_dev *t, unsigned int ctx)
{
	unsigned int errs = t->io_errors;
	u32 reg;

	if (ctx >= t->contexts)
		return -EINVAL;
	tess_ctx_wr(t, ctx, TESSERA_CTX_CTRL, 0);
	for (reg = TESSERA_CTX_VRAM_BASE_LO; reg <= TESSERA_CTX_GART_SIZE;
	     reg += 4)
		tess_ctx_wr(t, ctx, reg, 0);
	return t->io_errors != errs ? -EIO : 0;
}

int tess_gart_set(struct tess_dev *t, u32 idx, u64 bus_addr, u64 flags)
{
	unsigned int errs = t->io_errors;

	if (idx >= t->gart_entries || (bus_addr & ~TESSERA_GART_ADDR_MASK))
		return -EINVAL;
	tess_wr64(t, TESSERA_GART_ENTRY(idx), bus_addr | flags);
	return t->io_errors != errs ? -EIO : 0;
}

u64 tess_gart_get(struct tess_dev *t, u32 idx)
{
	return tess_rd64(t, TESSERA_GART_ENTRY(idx));
}

/* ------------------------------------------------------------ rings */

int tess_ring_init(struct tess_dev *t, struct tess_ring *r, unsigned int ctx,
		   unsigned int eng, u64 va, u32 size)
{
	unsigned int errs = t->io_errors;
	u64 base, wsize;
	int ret;

	if (ctx >= t->contexts || eng >= t->engines ||
	    size < TESSERA_RING_MIN_SIZE || size > TESSERA_RING_MAX_SIZE ||
	    (size & (size - 1)) || (va & (TESSERA_PAGE_SIZE - 1)))
		return -EINVAL;
	base = tess_rd64(t, TESSERA_CTX_REG(ctx, TESSERA_CTX_VRAM_BASE_LO));
	wsize = tess_rd64(t, TESSERA_CTX_REG(ctx, TESSERA_CTX_VRAM_SIZE_LO));
	if (va > wsize || size > wsize - va)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->t = t;
	r->ctx = ctx;
	r->eng = eng;
	r->va = va;
	r->vram_off = base + va;
	r->size = size;
	ret = tess_vram_fill32(t, r->vram_off, size, 0);
	if (ret)
		return ret;
	tess_ringreg_wr(t, ctx, eng, TESSERA_RING_BASE_LO, lo32(va));
	tess_ringreg_wr(t, ctx, eng, TESSERA_RING_BASE_HI, hi32(va));
	tess_ringreg_wr(t, ctx, eng, TESSERA_RING_SIZE, size);
	tess_ringreg_wr(t, ctx, eng, TESSERA_RING_TAIL, 0);
	tess_ringreg_wr(t, ctx, eng, TESSERA_RING_HEAD, 0);
	return t->io_errors != errs ? -EIO : 0;
}

u32 tess_ring_head(struct tess_ring *r)
{
	return tess_ringreg_rd(r->t, r->ctx, r->eng, TESSERA_RING_HEAD);
}

int tess_ring_emit(struct tess_ring *r, const u32 *dw, unsigned int n)
{
	u32 head = tess_ring_head(r), used, i;

	if (head >= r->size)
		head = r->tail;	/* unreadable head: trust our own state */
	used = (r->tail - head) & (r->size - 1);
	/* Keep one dword free so that a full ring is not an empty one. */
	if ((u64)n * 4 + used >= r->size)
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		tess_vram_wr32(r->t, r->vram_off + r->tail, dw[i]);
		r->tail = (r->tail + 4) & (r->size - 1);
	}
	return 0;
}

int tess_ring_submit(struct tess_ring *r)
{
	unsigned int errs = r->t->io_errors;

	tess_ringreg_wr(r->t, r->ctx, r->eng, TESSERA_RING_TAIL, r->tail);
	return r->t->io_errors != errs ? -EIO : 0;
}

int tess_ring_kick(struct tess_ring *r)
{
	return tess_db_write(r->t, r->ctx, r->eng, r->tail);
}

int tess_ring_set_pos(struct tess_ring *r, u32 pos)
{
	unsigned int errs = r->t->io_errors;

	if (pos >= r->size || (pos & 3))
		return -EINVAL;
	tess_ringreg_wr(r->t, r->ctx, r->eng, TESSERA_RING_TAIL, pos);
	tess_ringreg_wr(r->t, r->ctx, r->eng, TESSERA_RING_HEAD, pos);
	r->tail = pos;
	return r->t->io_errors != errs ? -EIO : 0;
}

/* ------------------------------------------------ command encoding */

unsigned int tess_enc_nop(u32 *p, unsigned int len)
{
	unsigned int i;

	p[0] = TESSERA_CMD(TESSERA_OP_NOP, 0, len);
	for (i = 1; i < len; i++)
		p[i] = 0xdead0000 | i;
	return len;
}

unsigned int tess_enc_fence(u32 *p, u32 flags, u64 value, u64 addr)
{
	p[0] = TESSERA_CMD(TESSERA_OP_FENCE, flags, TESSERA_FENCE_LEN);
	p[1] = lo32(value);
	p[2] = hi32(value);
	p[3] = lo32(addr);
	p[4] = hi32(addr);
	return TESSERA_FENCE_LEN;
}

unsigned int tess_enc_copy(u32 *p, u64 dst, u64 src, u32 bytes)
{
	p[0] = TESSERA_CMD(TESSERA_OP_COPY, 0, TESSERA_COPY_LEN);
	p[1] = lo32(dst);
	p[2] = hi32(dst);
	p[3] = lo32(src);
	p[4] = hi32(src);
	p[5] = bytes;
	return TESSERA_COPY_LEN;
}

unsigned int tess_enc_fill(u32 *p, u64 dst, u32 bytes, u32 pattern)
{
	p[0] = TESSERA_CMD(TESSERA_OP_FILL, 0, TESSERA_FILL_LEN);
	p[1] = lo32(dst);
	p[2] = hi32(dst);
	p[3] = bytes;
	p[4] = pattern;
	return TESSERA_FILL_LEN;
}

unsigned int tess_enc_axpy(u32 *p, u64 y, u64 x, u32 count, u32 a)
{
	p[0] = TESSERA_CMD(TESSERA_OP_AXPY, 0, TESSERA_AXPY_LEN);
	p[1] = lo32(y);
	p[2] = hi32(y);
	p[3] = lo32(x);
	p[4] = hi32(x);
	p[5] = count;
	p[6] = a;
	return TESSERA_AXPY_LEN;
}

unsigned int tess_enc_checksum(u32 *p, u64 dst, u64 src, u32 bytes)
{
	p[0] = TESSERA_CMD(TESSERA_OP_CHECKSUM, 0, TESSERA_CHECKSUM_LEN);
	p[1] = lo32(dst);
	p[2] = hi32(dst);
	p[3] = lo32(src);
	p[4] = hi32(src);
	p[5] = bytes;
	return TESSERA_CHECKSUM_LEN;
}

unsigned int tess_enc_batch_call(u32 *p, u64 addr, u32 bytes)
{
	p[0] = TESSERA_CMD(TESSERA_OP_BATCH_CALL, 0, TESSERA_BATCH_CALL_LEN);
	p[1] = lo32(addr);
	p[2] = hi32(addr);
	p[3] = bytes;
	return TESSERA_BATCH_CALL_LEN;
}

unsigned int tess_enc_batch_jump(u32 *p, u64 addr, u32 bytes)
{
	p[0] = TESSERA_CMD(TESSERA_OP_BATCH_JUMP, 0, TESSERA_BATCH_JUMP_LEN);
	p[1] = lo32(addr);
	p[2] = hi32(addr);
	p[3] = bytes;
	return TESSERA_BATCH_JUMP_LEN;
}

unsigned int tess_enc_batch_end(u32 *p)
{
	p[0] = TESSERA_CMD(TESSERA_OP_BATCH_END, 0, 1);
	return 1;
}

unsigned int tess_enc_busy(u32 *p, u64 ns)
{
	p[0] = TESSERA_CMD(TESSERA_OP_BUSY, 0, TESSERA_BUSY_LEN);
	p[1] = lo32(ns);
	p[2] = hi32(ns);
	return TESSERA_BUSY_LEN;
}

#define EMIT(r, enc, ...) ({					\
	u32 __buf[16];						\
	unsigned int __n = enc(__buf, __VA_ARGS__);		\
	tess_ring_emit(r, __buf, __n);				\
})

int tess_emit_nop(struct tess_ring *r, unsigned int len)
{
	u32 *buf;
	int ret;

	if (!len)
		return -EINVAL;
	buf = malloc(len * 4);
	if (!buf)
		return -ENOMEM;
	tess_enc_nop(buf, len);
	ret = tess_ring_emit(r, buf, len);
	free(buf);
	return ret;
}

int tess_emit_fence(struct tess_ring *r, u32 flags, u64 value, u64 addr)
{
	return EMIT(r, tess_enc_fence, flags, value, addr);
}

int tess_emit_copy(struct tess_ring *r, u64 dst, u64 src, u32 bytes)
{
	return EMIT(r, tess_enc_copy, dst, src, bytes);
}

int tess_emit_fill(struct tess_ring *r, u64 dst, u32 bytes, u32 pattern)
{
	return EMIT(r, tess_enc_fill, dst, bytes, pattern);
}

int tess_emit_axpy(struct tess_ring *r, u64 y, u64 x, u32 count, u32 a)
{
	return EMIT(r, tess_enc_axpy, y, x, count, a);
}

int tess_emit_checksum(struct tess_ring *r, u64 dst, u64 src, u32 bytes)
{
	return EMIT(r, tess_enc_checksum, dst, src, bytes);
}

int tess_emit_batch_call(struct tess_ring *r, u64 addr, u32 bytes)
{
	return EMIT(r, tess_enc_batch_call, addr, bytes);
}

int tess_emit_busy(struct tess_ring *r, u64 ns)
{
	return EMIT(r, tess_enc_busy, ns);
}

/* ---------------------------------------------------------- engines */

int tess_eng_start(struct tess_dev *t, unsigned int e, unsigned int ctx)
{
	unsigned int errs = t->io_errors;

	tess_eng_wr(t, e, TESSERA_ENG_CTX, ctx);
	tess_eng_wr(t, e, TESSERA_ENG_CTRL, TESSERA_ENG_CTRL_START);
	return t->io_errors != errs ? -EIO : 0;
}

int tess_eng_preempt(struct tess_dev *t, unsigned int e)
{
	unsigned int errs = t->io_errors;

	tess_eng_wr(t, e, TESSERA_ENG_CTRL, TESSERA_ENG_CTRL_PREEMPT);
	return t->io_errors != errs ? -EIO : 0;
}

int tess_eng_reset(struct tess_dev *t, unsigned int e)
{
	unsigned int errs = t->io_errors;

	tess_eng_wr(t, e, TESSERA_ENG_CTRL, TESSERA_ENG_CTRL_RESET);
	return t->io_errors != errs ? -EIO : 0;
}

u32 tess_eng_state(struct tess_dev *t, unsigned int e)
{
	return TESSERA_ENG_STATE(tess_eng_rd(t, e, TESSERA_ENG_STATUS));
}

int tess_eng_wait_state(struct tess_dev *t, unsigned int e, u32 state,
			int timeout_ms)
{
	u64 deadline = tess_now_ms() + timeout_ms;

	for (;;) {
		if (tess_eng_state(t, e) == state)
			return 0;
		if (tess_now_ms() > deadline)
			return -ETIMEDOUT;
		tess_sleep_us(POLL_SLEEP_US);
	}
}

int tess_eng_wait_halted(struct tess_dev *t, unsigned int e, int timeout_ms)
{
	u64 deadline = tess_now_ms() + timeout_ms;
	u32 s;

	for (;;) {
		s = tess_eng_state(t, e);
		if (s == TESSERA_ENG_STATE_STOPPED || s == TESSERA_ENG_STATE_FAULTED)
			return (int)s;
		if (tess_now_ms() > deadline)
			return -ETIMEDOUT;
		tess_sleep_us(POLL_SLEEP_US);
	}
}

int tess_ring_wait_idle(struct tess_ring *r, int timeout_ms)
{
	u64 deadline = tess_now_ms() + timeout_ms;
	struct tess_dev *t = r->t;
	u32 s;

	for (;;) {
		s = tess_eng_state(t, r->eng);
		if (s == TESSERA_ENG_STATE_FAULTED)
			return -EFAULT;
		if (s == TESSERA_ENG_STATE_WAITING &&
		    tess_eng_rd(t, r->eng, TESSERA_ENG_CTX) == r->ctx &&
		    tess_ring_head(r) == r->tail)
			return 0;
		if (s == TESSERA_ENG_STATE_STOPPED)
			return -ESRCH;
		if (tess_now_ms() > deadline)
			return -ETIMEDOUT;
		tess_sleep_us(POLL_SLEEP_US);
	}
}

int tess_ring_wait_fence(struct tess_ring *r, u64 value, int timeout_ms)
{
	u64 deadline = tess_now_ms() + timeout_ms;
	struct tess_dev *t = r->t;

	for (;;) {
		if (tess_rd64(t, TESSERA_CTX_RING_REG(r->ctx, r->eng,
						      TESSERA_RING_FENCE_LO)) == value)
			return 0;
		if (tess_eng_state(t, r->eng) == TESSERA_ENG_STATE_FAULTED)
			return -EFAULT;
		if (tess_now_ms() > deadline)
			return -ETIMEDOUT;
		tess_sleep_us(POLL_SLEEP_US);
	}
}

void tess_eng_fault(struct tess_dev *t, unsigned int e, struct tess_fault *f)
{
	f->code = tess_eng_rd(t, e, TESSERA_ENG_FAULT_CODE);
	f->ctx = tess_eng_rd(t, e, TESSERA_ENG_FAULT_CTX);
	f->addr = tess_rd64(t, TESSERA_ENG_REG(e, TESSERA_ENG_FAULT_ADDR_LO));
}

u64 tess_eng_busy_ns(struct tess_dev *t, unsigned int e)
{
	return tess_rd64(t, TESSERA_ENG_REG(e, TESSERA_ENG_BUSY_NS_LO));
}
