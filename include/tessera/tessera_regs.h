/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Tessera GPU hardware interface: PCI identity, BAR layout, registers,
 * command encoding, fault codes and the timing model.
 *
 * This is the only definition of the hardware. The QEMU device model, the
 * kernel driver (host and guest mode) and the tests all include it. The
 * prose specification is Documentation/hw/tessera-gpu.rst; when the two
 * disagree the header is the bug to fix first, then the document.
 *
 * The header is plain C with macros and one inline function over
 * "unsigned long long" so that it compiles unchanged in the kernel, in QEMU
 * and in userspace. All registers are 32 bits wide, little endian; 64-bit
 * quantities are split into _LO/_HI pairs (the device also accepts an
 * aligned 8-byte access to a _LO register, covering both halves).
 */
#ifndef TESSERA_REGS_H
#define TESSERA_REGS_H

/* BIT() is kernel-only; this header is also used by QEMU and userspace. */
#define TESSERA_BIT(n)			(1u << (n))
#define TESSERA_BIT_ULL(n)		(1ULL << (n))

/* ------------------------------------------------------------------ PCI */
#define TESSERA_PCI_VENDOR_ID		0x7e55	/* not used by any QEMU device */
#define TESSERA_PCI_DEVICE_ID		0x0001	/* physical GPU */
#define TESSERA_PCI_VGPU_DEVICE_ID	0x0100	/* mediated vGPU (any type) */
#define TESSERA_PCI_CLASS		0x0302	/* 3D controller */
#define TESSERA_PCI_REVISION		0x01

/* Capability offsets in the physical function's config space. */
#define TESSERA_PCI_CAP_PM		0x40
#define TESSERA_PCI_CAP_MSIX		0x50
#define TESSERA_PCI_CAP_EXP		0x60

/* BAR numbers. BAR0 is 32-bit MMIO; BAR2 and BAR4 are 64-bit. */
#define TESSERA_BAR_CSR			0	/* registers, context table, GART */
#define TESSERA_BAR_VRAM		2	/* 64-bit prefetchable VRAM aperture */
#define TESSERA_BAR_DOORBELL		4	/* 64-bit, one page per context */

#define TESSERA_CSR_BAR_SIZE		0x400000ULL	/* 4 MiB */
#define TESSERA_DOORBELL_PAGE_SIZE	0x1000ULL

/* ------------------------------------------------------- device limits */
#define TESSERA_MAX_ENGINES		8
#define TESSERA_MAX_CONTEXTS		256
#define TESSERA_MAX_GART_ENTRIES	262144	/* 1 GiB of 4 KiB pages */
#define TESSERA_PAGE_SIZE		4096ULL
#define TESSERA_PAGE_SHIFT		12

/* Defaults of the QEMU model's properties. */
#define TESSERA_DEFAULT_VRAM_SIZE	(512ULL << 20)
#define TESSERA_DEFAULT_CONTEXTS	64
#define TESSERA_DEFAULT_GART_ENTRIES	65536
#define TESSERA_DEFAULT_COMPUTE_ENGINES	2
#define TESSERA_DEFAULT_COPY_ENGINES	1

/* ------------------------------------------------- BAR0 (CSR) layout */
#define TESSERA_CSR_GLOBAL_BASE		0x000000	/* global registers */
#define TESSERA_CSR_ENGINE_BASE		0x001000	/* engine blocks */
#define TESSERA_CSR_ENGINE_STRIDE	0x100
#define TESSERA_CSR_MSIX_TABLE		0x003000	/* MSI-X table */
#define TESSERA_CSR_MSIX_PBA		0x003800	/* MSI-X PBA */
#define TESSERA_CSR_CTX_BASE		0x020000	/* context table */
#define TESSERA_CSR_CTX_STRIDE		0x200
#define TESSERA_CSR_GART_BASE		0x200000	/* GART, 8 bytes/entry */

#define TESSERA_ENG_REG(e, r)	(TESSERA_CSR_ENGINE_BASE + \
				 (e) * TESSERA_CSR_ENGINE_STRIDE + (r))
#define TESSERA_CTX_REG(c, r)	(TESSERA_CSR_CTX_BASE + \
				 (c) * TESSERA_CSR_CTX_STRIDE + (r))
#define TESSERA_CTX_RING_REG(c, e, r) \
	TESSERA_CTX_REG(c, TESSERA_CTX_RING_BASE + (e) * TESSERA_CTX_RING_STRIDE + (r))
#define TESSERA_GART_ENTRY(i)	(TESSERA_CSR_GART_BASE + (i) * 8)

/* MSI-X: vector 0 is global (doorbells, device errors), 1 + e is engine e. */
#define TESSERA_MSIX_VECTOR_GLOBAL	0
#define TESSERA_MSIX_VECTOR_ENGINE(e)	(1 + (e))
#define TESSERA_MSIX_VECTORS		(1 + TESSERA_MAX_ENGINES)

/* --------------------------------------------------- global registers */
#define TESSERA_REG_ID			0x000	/* RO: TESSERA_ID_MAGIC */
#define  TESSERA_ID_MAGIC		0x54455353	/* "TESS" */
#define TESSERA_REG_VERSION		0x004	/* RO: major << 16 | minor */
#define  TESSERA_VERSION_1_0		0x00010000
#define TESSERA_REG_CAPS		0x008	/* RO */
#define  TESSERA_CAPS_VIRTUAL		TESSERA_BIT(0) /* a mediated vGPU */
#define  TESSERA_CAPS_DOORBELLS		TESSERA_BIT(1)
#define  TESSERA_CAPS_PREEMPT		TESSERA_BIT(2)
#define  TESSERA_CAPS_GART_RO		TESSERA_BIT(3) /* read-only GART pages */
#define TESSERA_REG_ENGINES		0x00c	/* RO */
#define  TESSERA_ENGINES_TOTAL(v)	((v) & 0xff)
#define  TESSERA_ENGINES_COMPUTE(v)	(((v) >> 8) & 0xff)
#define  TESSERA_ENGINES_COPY(v)	(((v) >> 16) & 0xff)
#define TESSERA_REG_CONTEXTS		0x010	/* RO: number of hw contexts */
#define TESSERA_REG_GART_ENTRIES	0x014	/* RO: GART entries */
#define TESSERA_REG_VRAM_SIZE_LO	0x018	/* RO: bytes */
#define TESSERA_REG_VRAM_SIZE_HI	0x01c
#define TESSERA_REG_TIMESTAMP_LO	0x020	/* RO: device time, ns; */
#define TESSERA_REG_TIMESTAMP_HI	0x024	/* reading LO latches HI */
#define TESSERA_REG_INT_STATUS		0x030	/* RO summary, see below */
#define  TESSERA_INT_ENGINE(e)		TESSERA_BIT(e)
#define  TESSERA_INT_DOORBELL		TESSERA_BIT(31)
#define TESSERA_REG_INT_ENABLE		0x034	/* RW: same bit layout */
#define TESSERA_REG_RESET		0x040	/* WO: write the magic */
#define  TESSERA_RESET_MAGIC		0x52535431	/* "RST1" */
#define TESSERA_REG_STATUS		0x044	/* RO */
#define  TESSERA_STATUS_READY		TESSERA_BIT(0)
#define TESSERA_REG_SCRATCH		0x048	/* RW, reset to 0 */
#define TESSERA_REG_DB_PENDING(n)	(0x080 + (n) * 4) /* W1C, n < 8 */
#define  TESSERA_DB_PENDING_REGS	(TESSERA_MAX_CONTEXTS / 32)

/* ---------------------------------------- engine registers (per engine) */
#define TESSERA_ENG_CAPS		0x00	/* RO */
#define  TESSERA_ENG_CLASS(v)		((v) & 0xf)
#define  TESSERA_ENG_CLASS_COMPUTE	0
#define  TESSERA_ENG_CLASS_COPY		1
#define TESSERA_ENG_CTX			0x04	/* RW while STOPPED */
#define TESSERA_ENG_CTRL		0x08	/* WO, one bit per write */
#define  TESSERA_ENG_CTRL_START		TESSERA_BIT(0)
#define  TESSERA_ENG_CTRL_PREEMPT	TESSERA_BIT(1)
#define  TESSERA_ENG_CTRL_RESET		TESSERA_BIT(2)
#define TESSERA_ENG_STATUS		0x0c	/* RO */
#define  TESSERA_ENG_STATE(v)		((v) & 0xf)
#define  TESSERA_ENG_STATE_STOPPED	0
#define  TESSERA_ENG_STATE_RUNNING	1
#define  TESSERA_ENG_STATE_WAITING	2	/* ring drained, ctx loaded */
#define  TESSERA_ENG_STATE_FAULTED	3
#define  TESSERA_ENG_STATUS_PREEMPT_PENDING TESSERA_BIT(8)
#define TESSERA_ENG_FAULT_CODE		0x10	/* RO */
#define TESSERA_ENG_FAULT_CTX		0x14	/* RO */
#define TESSERA_ENG_FAULT_ADDR_LO	0x18	/* RO: faulting GPU VA */
#define TESSERA_ENG_FAULT_ADDR_HI	0x1c
#define TESSERA_ENG_FENCE_LO		0x20	/* RO: last fence, any ctx */
#define TESSERA_ENG_FENCE_HI		0x24
#define TESSERA_ENG_FENCE_CTX		0x28	/* RO: ctx of that fence */
#define TESSERA_ENG_INT_STATUS		0x30	/* W1C */
#define  TESSERA_ENG_INT_FENCE		TESSERA_BIT(0)
#define  TESSERA_ENG_INT_IDLE		TESSERA_BIT(1)
#define  TESSERA_ENG_INT_PREEMPTED	TESSERA_BIT(2)
#define  TESSERA_ENG_INT_FAULT		TESSERA_BIT(3)
#define  TESSERA_ENG_INT_ALL		0xfu
#define TESSERA_ENG_INT_MASK		0x34	/* RW: 1 = enabled */
#define TESSERA_ENG_BUSY_NS_LO		0x38	/* RO: device time charged */
#define TESSERA_ENG_BUSY_NS_HI		0x3c
#define TESSERA_ENG_RING_BASE_LO	0x40	/* RO mirrors of the ring of */
#define TESSERA_ENG_RING_BASE_HI	0x44	/* ENG_CTX on this engine */
#define TESSERA_ENG_RING_SIZE		0x48
#define TESSERA_ENG_RING_HEAD		0x4c
#define TESSERA_ENG_RING_TAIL		0x50
/* RW: the context the engine switches to when its next preemption
 * completes, instead of stopping (a second submission port).
 */
#define TESSERA_ENG_NEXT_CTX		0x54
#define  TESSERA_ENG_NEXT_VALID		TESSERA_BIT(31)
#define  TESSERA_ENG_NEXT_CTX_MASK	0xffffu
#define TESSERA_ENG_SWITCH_BUSY_NS_LO	0x58	/* RO: ENG_BUSY_NS at the */
#define TESSERA_ENG_SWITCH_BUSY_NS_HI	0x5c	/* last switch to NEXT_CTX */

/* ------------------------------------ context table (per hw context) */
#define TESSERA_CTX_VRAM_BASE_LO	0x00	/* RW: VRAM offset, 4K aligned */
#define TESSERA_CTX_VRAM_BASE_HI	0x04
#define TESSERA_CTX_VRAM_SIZE_LO	0x08	/* RW: bytes, 4K multiple */
#define TESSERA_CTX_VRAM_SIZE_HI	0x0c
#define TESSERA_CTX_GART_BASE		0x10	/* RW: first GART entry */
#define TESSERA_CTX_GART_SIZE		0x14	/* RW: number of entries */
#define TESSERA_CTX_CTRL		0x18	/* RW */
#define  TESSERA_CTX_CTRL_VALID		TESSERA_BIT(0)
#define TESSERA_CTX_STATUS		0x1c	/* RO */
#define  TESSERA_CTX_STATUS_PENDING(e)	TESSERA_BIT(e)	/* head != tail */
#define  TESSERA_CTX_STATUS_LOADED(e)	TESSERA_BIT(8 + (e))
#define  TESSERA_CTX_STATUS_LOADED_ALL	(0xffu << 8)	/* every engine's */
#define TESSERA_CTX_RING_BASE		0x40	/* per-engine ring blocks */
#define TESSERA_CTX_RING_STRIDE		0x20
/* registers inside a ring block */
#define TESSERA_RING_BASE_LO		0x00	/* RW: GPU VA, 4K aligned */
#define TESSERA_RING_BASE_HI		0x04
#define TESSERA_RING_SIZE		0x08	/* RW: bytes, pow2, 4K..1M */
#define TESSERA_RING_HEAD		0x0c	/* RW (see spec), byte offset */
#define TESSERA_RING_TAIL		0x10	/* RW, byte offset, 4-aligned */
#define TESSERA_RING_FENCE_LO		0x14	/* RO: last fence on this ring */
#define TESSERA_RING_FENCE_HI		0x18
#define TESSERA_RING_STATE		0x1c	/* RO */
#define  TESSERA_RING_STATE_MIDCMD	TESSERA_BIT(0)	/* preempted in a cmd */
#define  TESSERA_RING_STATE_IN_BATCH	TESSERA_BIT(1)

#define TESSERA_RING_MIN_SIZE		4096u
#define TESSERA_RING_MAX_SIZE		0x100000u	/* 1 MiB */

/* -------------------------------------------------------------- GART */
#define TESSERA_GART_VALID		TESSERA_BIT_ULL(0)
#define TESSERA_GART_WRITABLE		TESSERA_BIT_ULL(1)
#define TESSERA_GART_ADDR_MASK		(~0xfffULL)

/* --------------------------------------------------------- doorbells */
/* In a context's doorbell page, a 32-bit write at TESSERA_DB_TAIL(e) sets
 * that context's ring tail on engine e. Reads return the current tail.
 */
#define TESSERA_DB_TAIL(e)		((e) * 8)

/* ------------------------------------------------ GPU virtual addresses */
/* A context's address space: [0, VRAM window size) is its VRAM window;
 * [TESSERA_VA_GART, TESSERA_VA_GART + GART window size * 4K) is its GART
 * window. An access outside them faults with TESSERA_FAULT_VRAM_RANGE if it
 * starts below TESSERA_VA_GART, else with TESSERA_FAULT_GART_RANGE (see the
 * spec, "Address translation").
 */
#define TESSERA_VA_GART			TESSERA_BIT_ULL(40)

/* ---------------------------------------------------------- commands */
/* Commands are sequences of 32-bit little-endian dwords. The header dword
 * holds the opcode (31:24), flags (23:16) and the command length in dwords
 * including the header (15:0).
 */
#define TESSERA_CMD(op, flags, len)	(((unsigned int)(op) << 24) | \
					 (((flags) & 0xffu) << 16) | \
					 ((len) & 0xffffu))
#define TESSERA_CMD_OP(h)		(((h) >> 24) & 0xff)
#define TESSERA_CMD_FLAGS(h)		(((h) >> 16) & 0xff)
#define TESSERA_CMD_LEN(h)		((h) & 0xffff)

/* NOP: [hdr]; any length >= 1 (padding dwords are skipped). */
#define TESSERA_OP_NOP			0x00
/* FENCE: [hdr][value lo][value hi][addr lo][addr hi], len 5. */
#define TESSERA_OP_FENCE		0x01
#define  TESSERA_FENCE_IRQ		TESSERA_BIT(0)	/* raise ENG_INT_FENCE */
#define  TESSERA_FENCE_WRITE		TESSERA_BIT(1)	/* store value at addr */
#define TESSERA_FENCE_LEN		5
/* COPY: [hdr][dst lo][dst hi][src lo][src hi][bytes], len 6. */
#define TESSERA_OP_COPY			0x02
#define TESSERA_COPY_LEN		6
/* FILL: [hdr][dst lo][dst hi][bytes][pattern], len 5; bytes % 4 == 0. */
#define TESSERA_OP_FILL			0x03
#define TESSERA_FILL_LEN		5
/* AXPY (compute engines): y[i] = a * x[i] + y[i] over u32 modulo 2^32.
 * [hdr][y lo][y hi][x lo][x hi][count][a], len 7.
 */
#define TESSERA_OP_AXPY			0x04
#define TESSERA_AXPY_LEN		7
/* CHECKSUM (compute engines): 32-bit FNV-1a of [src, src + bytes), stored
 * as a u32 at dst. [hdr][dst lo][dst hi][src lo][src hi][bytes], len 6.
 */
#define TESSERA_OP_CHECKSUM		0x05
#define TESSERA_CHECKSUM_LEN		6
#define  TESSERA_FNV1A_INIT		0x811c9dc5u
#define  TESSERA_FNV1A_PRIME		0x01000193u
/* BATCH_CALL (ring only): run the batch at [addr, addr + bytes), then go
 * on after this command. [hdr][addr lo][addr hi][bytes], len 4.
 */
#define TESSERA_OP_BATCH_CALL		0x06
#define TESSERA_BATCH_CALL_LEN		4
/* BATCH_JUMP (batch only): continue at [addr, addr + bytes).
 * [hdr][addr lo][addr hi][bytes], len 4. A jump to itself loops forever.
 */
#define TESSERA_OP_BATCH_JUMP		0x07
#define TESSERA_BATCH_JUMP_LEN		4
/* BATCH_END (batch only): return to the ring. [hdr], len 1. */
#define TESSERA_OP_BATCH_END		0x08
/* BUSY: occupy the engine for N ns of device time. [hdr][ns lo][ns hi].
 * With BUSY_ATOMIC the command has no preemption point: a PREEMPT waits
 * for its end (models a kernel that cannot be preempted mid-dispatch).
 */
#define TESSERA_OP_BUSY			0x09
#define  TESSERA_BUSY_ATOMIC		TESSERA_BIT(0)
#define TESSERA_BUSY_LEN		3

#define TESSERA_MAX_COPY_BYTES		(64u << 20)	/* COPY/FILL/CHECKSUM */
#define TESSERA_MAX_AXPY_COUNT		(16u << 20)
#define TESSERA_MAX_BATCH_BYTES		0x100000u	/* 1 MiB */
#define TESSERA_MAX_BUSY_NS		10000000000ULL	/* 10 s */

/* ------------------------------------------------------- fault codes */
#define TESSERA_FAULT_NONE		0
#define TESSERA_FAULT_VRAM_RANGE	1	/* outside the VRAM window */
#define TESSERA_FAULT_GART_RANGE	2	/* outside the GART window */
#define TESSERA_FAULT_GART_INVALID	3	/* GART entry not valid */
#define TESSERA_FAULT_GART_READONLY	4	/* write to read-only page */
#define TESSERA_FAULT_BAD_OPCODE	5	/* unknown, or wrong engine */
#define TESSERA_FAULT_BAD_LENGTH	6	/* length field or operand size */
#define TESSERA_FAULT_BAD_ALIGN		7	/* misaligned operand */
#define TESSERA_FAULT_BAD_ADDRESS	8	/* reserved: not raised by 1.0 */
#define TESSERA_FAULT_BAD_NESTING	9	/* batch op in wrong place */
#define TESSERA_FAULT_BAD_CONTEXT	10	/* ctx invalid / out of range */
#define TESSERA_FAULT_DMA_ERROR		11	/* bus/IOMMU error on DMA */
#define TESSERA_FAULT_BAD_RING		12	/* ring base/size/head/tail */

/* ------------------------------------------------------ timing model */
/* Device time of one command, in ns: a fixed issue cost plus a per-op
 * term. Engines never run faster than this (see spec, "Timing model").
 */
#define TESSERA_COST_ISSUE_NS		50ULL
#define TESSERA_COPY_BYTES_PER_NS	16ULL	/* COPY, CHECKSUM: 16 GB/s */
#define TESSERA_FILL_BYTES_PER_NS	32ULL	/* FILL: 32 GB/s */
#define TESSERA_AXPY_ELEMS_PER_NS	1ULL	/* AXPY: 1 element/ns */

/* Preemption granularity: work done between two preemption points. */
#define TESSERA_PREEMPT_CHUNK_BYTES	4096u	/* COPY, FILL, CHECKSUM */
#define TESSERA_PREEMPT_CHUNK_ELEMS	1024u	/* AXPY */
#define TESSERA_PREEMPT_CHUNK_NS	1000ULL	/* BUSY */

/**
 * tessera_cmd_cost_ns() - device time of one command
 * @op: TESSERA_OP_* opcode
 * @size: bytes for COPY/FILL/CHECKSUM, elements for AXPY, ns for BUSY;
 *        ignored otherwise
 *
 * Return: the command's device time in ns, per the timing model.
 */
static inline unsigned long long tessera_cmd_cost_ns(unsigned int op,
						     unsigned long long size)
{
	switch (op) {
	case TESSERA_OP_COPY:
	case TESSERA_OP_CHECKSUM:
		return TESSERA_COST_ISSUE_NS +
		       (size + TESSERA_COPY_BYTES_PER_NS - 1) /
		       TESSERA_COPY_BYTES_PER_NS;
	case TESSERA_OP_FILL:
		return TESSERA_COST_ISSUE_NS +
		       (size + TESSERA_FILL_BYTES_PER_NS - 1) /
		       TESSERA_FILL_BYTES_PER_NS;
	case TESSERA_OP_AXPY:
		return TESSERA_COST_ISSUE_NS + size / TESSERA_AXPY_ELEMS_PER_NS;
	case TESSERA_OP_BUSY:
		return TESSERA_COST_ISSUE_NS + size;
	default:
		return TESSERA_COST_ISSUE_NS;
	}
}

#endif /* TESSERA_REGS_H */
