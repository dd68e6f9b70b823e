// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual PCI config space of a vGPU (4 KiB, entirely emulated).
 *
 * Every byte has a write mask (RW bits) and a write-1-to-clear mask; all
 * other bits are read-only and writes to them are ignored. BARs follow the
 * sizing protocol (all-ones reads back the size mask). Writing the PCIe
 * Device Control "Initiate FLR" bit resets the vGPU (config space kept,
 * as vfio-pci keeps it).
 *
 * Layout: PM at 0x40 -> MSI at 0x48 -> MSI-X at 0x60 -> PCIe at 0x70.
 */
#include <linux/pci.h>

#include "tessera_vgpu.h"

#define CFG_STD		PCI_CFG_SPACE_SIZE

static u8 cfg_wmask[CFG_STD];
static u8 cfg_w1c[CFG_STD];
static bool cfg_masks_ready;

static void put8(u8 *c, u32 off, u8 v)   { c[off] = v; }
static void put16(u8 *c, u32 off, u16 v) { put_unaligned_le16(v, c + off); }
static void put32(u8 *c, u32 off, u32 v) { put_unaligned_le32(v, c + off); }
static u32 get32(const u8 *c, u32 off)   { return get_unaligned_le32(c + off); }
static u16 get16(const u8 *c, u32 off)   { return get_unaligned_le16(c + off); }

static void masks_init(void)
{
	u8 *w = cfg_wmask, *c = cfg_w1c;
	u32 i;

	if (cfg_masks_ready)
		return;
	put16(w, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
	      PCI_COMMAND_PARITY | PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
	put16(c, PCI_STATUS, PCI_STATUS_DETECTED_PARITY |
	      PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_REC_MASTER_ABORT |
	      PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_SIG_TARGET_ABORT |
	      PCI_STATUS_PARITY);
	put8(w, PCI_CACHE_LINE_SIZE, 0xff);
	/* BARs: RW here, then masked to the size by bar_fixup(). */
	for (i = PCI_BASE_ADDRESS_0; i < PCI_BASE_ADDRESS_5 + 4; i++)
		w[i] = 0xff;
	put8(w, PCI_INTERRUPT_LINE, 0xff);
	/* PM: PowerState (D0/D3hot checked on write). */
	put16(w, TESSERA_VGPU_CAP_PM + PCI_PM_CTRL, PCI_PM_CTRL_STATE_MASK);
	/* MSI: enable, multiple message enable (1 vector: ignored), address,
	 * data.
	 */
	put16(w, TESSERA_VGPU_CAP_MSI + PCI_MSI_FLAGS, PCI_MSI_FLAGS_ENABLE);
	put32(w, TESSERA_VGPU_CAP_MSI + PCI_MSI_ADDRESS_LO, 0xfffffffc);
	put32(w, TESSERA_VGPU_CAP_MSI + PCI_MSI_ADDRESS_HI, 0xffffffff);
	put16(w, TESSERA_VGPU_CAP_MSI + PCI_MSI_DATA_64, 0xffff);
	/* MSI-X: enable and function mask. */
	put16(w, TESSERA_VGPU_CAP_MSIX + PCI_MSIX_FLAGS,
	      PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	/* PCIe device control (FLR bit acts, reads 0), status W1C. */
	put16(w, TESSERA_VGPU_CAP_EXP + PCI_EXP_DEVCTL,
	      PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE | PCI_EXP_DEVCTL_FERE |
	      PCI_EXP_DEVCTL_URRE | PCI_EXP_DEVCTL_RELAX_EN |
	      PCI_EXP_DEVCTL_PAYLOAD | PCI_EXP_DEVCTL_EXT_TAG |
	      PCI_EXP_DEVCTL_NOSNOOP_EN | PCI_EXP_DEVCTL_READRQ |
	      PCI_EXP_DEVCTL_BCR_FLR);
	put16(c, TESSERA_VGPU_CAP_EXP + PCI_EXP_DEVSTA,
	      PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED | PCI_EXP_DEVSTA_FED |
	      PCI_EXP_DEVSTA_URD);
	put16(w, TESSERA_VGPU_CAP_EXP + PCI_EXP_LNKCTL,
	      PCI_EXP_LNKCTL_ASPMC | PCI_EXP_LNKCTL_RCB | PCI_EXP_LNKCTL_CCC);
	put16(w, TESSERA_VGPU_CAP_EXP + PCI_EXP_DEVCTL2,
	      PCI_EXP_DEVCTL2_COMP_TIMEOUT | PCI_EXP_DEVCTL2_COMP_TMOUT_DIS);
	cfg_masks_ready = true;
}

/* Flag bits of a BAR's low dword, 0 if the BAR is not implemented. */
static u32 bar_flags(u32 bar)
{
	switch (bar) {
	case TESSERA_BAR_CSR:
		return PCI_BASE_ADDRESS_SPACE_MEMORY |
		       PCI_BASE_ADDRESS_MEM_TYPE_32;
	case TESSERA_BAR_VRAM:
		return PCI_BASE_ADDRESS_MEM_TYPE_64 |
		       PCI_BASE_ADDRESS_MEM_PREFETCH;
	case TESSERA_BAR_DOORBELL:
		return PCI_BASE_ADDRESS_MEM_TYPE_64;
	default:
		return 0;
	}
}

/* Re-apply size masks and flags to the BAR dwords after a write. */
static void bar_fixup(struct tessera_vgpu *vgpu)
{
	u8 *c = vgpu->s.cfg;
	u32 bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		u32 off = PCI_BASE_ADDRESS_0 + bar * 4;
		u64 size = tessera_vgpu_bar_size(vgpu, bar);
		u64 mask = ~(size - 1);

		if (!size) {
			/* Upper halves of 64-bit BARs are handled below. */
			if (bar == 0 || !(bar_flags(bar - 1) &
					  PCI_BASE_ADDRESS_MEM_TYPE_64))
				put32(c, off, 0);
			continue;
		}
		put32(c, off, (get32(c, off) & lower_32_bits(mask) &
			       PCI_BASE_ADDRESS_MEM_MASK) | bar_flags(bar));
		if (bar_flags(bar) & PCI_BASE_ADDRESS_MEM_TYPE_64)
			put32(c, off + 4, get32(c, off + 4) & upper_32_bits(mask));
	}
}

/**
 * tessera_vgpu_cfg_init() - config space at power-on
 * @vgpu: vGPU
 */
void tessera_vgpu_cfg_init(struct tessera_vgpu *vgpu)
{
	u8 *c = vgpu->s.cfg;
	u32 p;

	masks_init();
	memset(c, 0, TESSERA_VGPU_CFG_SIZE);
	put16(c, PCI_VENDOR_ID, TESSERA_PCI_VENDOR_ID);
	put16(c, PCI_DEVICE_ID, TESSERA_PCI_VGPU_DEVICE_ID);
	put16(c, PCI_STATUS, PCI_STATUS_CAP_LIST);
	put8(c, PCI_REVISION_ID, TESSERA_PCI_REVISION);
	put8(c, PCI_CLASS_PROG, 0);
	put16(c, PCI_CLASS_DEVICE, TESSERA_PCI_CLASS);
	put8(c, PCI_HEADER_TYPE, PCI_HEADER_TYPE_NORMAL);
	put16(c, PCI_SUBSYSTEM_VENDOR_ID, TESSERA_PCI_VENDOR_ID);
	/* Subsystem ID names the type: 0x01nn, nn = type index + 1. */
	put16(c, PCI_SUBSYSTEM_ID, 0x0100 + vgpu->type_idx + 1);
	put8(c, PCI_CAPABILITY_LIST, TESSERA_VGPU_CAP_PM);
	put8(c, PCI_INTERRUPT_PIN, 1);
	bar_fixup(vgpu);

	p = TESSERA_VGPU_CAP_PM;
	put8(c, p + PCI_CAP_LIST_ID, PCI_CAP_ID_PM);
	put8(c, p + PCI_CAP_LIST_NEXT, TESSERA_VGPU_CAP_MSI);
	put16(c, p + PCI_PM_PMC, 3 /* version 1.2 */);
	put16(c, p + PCI_PM_CTRL, PCI_PM_CTRL_NO_SOFT_RESET);

	p = TESSERA_VGPU_CAP_MSI;
	put8(c, p + PCI_CAP_LIST_ID, PCI_CAP_ID_MSI);
	put8(c, p + PCI_CAP_LIST_NEXT, TESSERA_VGPU_CAP_MSIX);
	put16(c, p + PCI_MSI_FLAGS, PCI_MSI_FLAGS_64BIT);

	p = TESSERA_VGPU_CAP_MSIX;
	put8(c, p + PCI_CAP_LIST_ID, PCI_CAP_ID_MSIX);
	put8(c, p + PCI_CAP_LIST_NEXT, TESSERA_VGPU_CAP_EXP);
	put16(c, p + PCI_MSIX_FLAGS, TESSERA_MSIX_VECTORS - 1);
	put32(c, p + PCI_MSIX_TABLE, TESSERA_CSR_MSIX_TABLE | TESSERA_BAR_CSR);
	put32(c, p + PCI_MSIX_PBA, TESSERA_CSR_MSIX_PBA | TESSERA_BAR_CSR);

	p = TESSERA_VGPU_CAP_EXP;
	put8(c, p + PCI_CAP_LIST_ID, PCI_CAP_ID_EXP);
	put8(c, p + PCI_CAP_LIST_NEXT, 0);
	put16(c, p + PCI_EXP_FLAGS, 2 | (PCI_EXP_TYPE_ENDPOINT << 4));
	put32(c, p + PCI_EXP_DEVCAP, PCI_EXP_DEVCAP_FLR |
	      PCI_EXP_DEVCAP_RBER);
	put16(c, p + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_RELAX_EN |
	      PCI_EXP_DEVCTL_NOSNOOP_EN | (2 << 12) /* 512 B read req */);
	put32(c, p + PCI_EXP_LNKCAP, PCI_EXP_LNKCAP_SLS_2_5GB | (1 << 4));
	put16(c, p + PCI_EXP_LNKSTA, PCI_EXP_LNKSTA_CLS_2_5GB |
	      (1 << PCI_EXP_LNKSTA_NLW_SHIFT));
	put32(c, p + PCI_EXP_DEVCAP2, PCI_EXP_DEVCAP2_COMP_TMOUT_DIS);
}

/**
 * tessera_vgpu_cfg_mem_enabled() - may the BARs be accessed?
 * @vgpu: vGPU (lock held)
 *
 * As vfio-pci's __vfio_pci_memory_enabled(): memory decoding on in the
 * virtual command register, and the function not in D3hot.
 *
 * Return: true when BAR accesses and BAR mmap faults are allowed.
 */
bool tessera_vgpu_cfg_mem_enabled(struct tessera_vgpu *vgpu)
{
	const u8 *c = vgpu->s.cfg;

	return (get16(c, PCI_COMMAND) & PCI_COMMAND_MEMORY) &&
	       !(get16(c, TESSERA_VGPU_CAP_PM + PCI_PM_CTRL) &
		 PCI_PM_CTRL_STATE_MASK);
}

/**
 * tessera_vgpu_cfg_open() - config space as a VFIO user finds it at open
 * @vgpu: vGPU (lock held)
 *
 * vfio-pci enables the device (pci_enable_device()) before the user sees
 * it, so memory decoding is on at open; so it is here.
 */
void tessera_vgpu_cfg_open(struct tessera_vgpu *vgpu)
{
	u8 *c = vgpu->s.cfg;

	lockdep_assert_held(&vgpu->lock);
	put16(c, PCI_COMMAND, get16(c, PCI_COMMAND) | PCI_COMMAND_MEMORY);
	down_write(&vgpu->mem_sem);
	vgpu->mem_on = tessera_vgpu_cfg_mem_enabled(vgpu);
	up_write(&vgpu->mem_sem);
}

/**
 * tessera_vgpu_cfg_restore() - config space of a migrated vGPU
 * @vgpu: vGPU (lock held)
 * @saved: the source's config space bytes (untrusted)
 *
 * Only the bits the guest can change (RW and W1C) are taken from @saved;
 * everything read-only is this vGPU's own.
 */
void tessera_vgpu_cfg_restore(struct tessera_vgpu *vgpu, const u8 *saved)
{
	u8 *c = vgpu->s.cfg;
	u32 i;

	lockdep_assert_held(&vgpu->lock);
	tessera_vgpu_cfg_init(vgpu);
	for (i = 0; i < CFG_STD; i++) {
		u8 m = cfg_wmask[i] | cfg_w1c[i];

		c[i] = (c[i] & ~m) | (saved[i] & m);
	}
	bar_fixup(vgpu);
	down_write(&vgpu->mem_sem);
	vgpu->mem_on = tessera_vgpu_cfg_mem_enabled(vgpu);
	up_write(&vgpu->mem_sem);
}

/* Apply one byte written by the guest. */
static void cfg_write_byte(struct tessera_vgpu *vgpu, u32 off, u8 val)
{
	u8 *c = vgpu->s.cfg;

	if (off >= CFG_STD)
		return;	/* no extended capabilities: all read-only */
	c[off] = (c[off] & ~cfg_wmask[off]) | (val & cfg_wmask[off]);
	c[off] &= ~(val & cfg_w1c[off]);
}

static void cfg_after_write(struct tessera_vgpu *vgpu, u32 start, u32 end,
			    const u8 *old)
{
	u8 *c = vgpu->s.cfg;
	u32 pm = TESSERA_VGPU_CAP_PM + PCI_PM_CTRL;
	u32 devctl = TESSERA_VGPU_CAP_EXP + PCI_EXP_DEVCTL;
	bool mem;
	u16 v;

	if (start < PCI_BASE_ADDRESS_5 + 4 && end > PCI_BASE_ADDRESS_0)
		bar_fixup(vgpu);
	if (start < pm + 2 && end > pm) {
		v = get16(c, pm) & PCI_PM_CTRL_STATE_MASK;
		/* Only D0 and D3hot exist; others keep the old state. */
		if (v != 0 && v != 3)
			put16(c, pm, (get16(c, pm) & ~PCI_PM_CTRL_STATE_MASK) |
			      (get_unaligned_le16(old + pm) &
			       PCI_PM_CTRL_STATE_MASK));
	}
	/* FLR: the function reset of VFIO_DEVICE_RESET. As under vfio-pci,
	 * whose pci_try_reset_function() saves and restores config space
	 * around it, the user's config space stays as it was.
	 */
	if (start < devctl + 2 && end > devctl &&
	    get16(c, devctl) & PCI_EXP_DEVCTL_BCR_FLR) {
		put16(c, devctl, get16(c, devctl) & ~PCI_EXP_DEVCTL_BCR_FLR);
		tessera_vgpu_reset(vgpu, false);
	}
	/* Memory decoding or D0 lost: the mmaps fault with SIGBUS until
	 * they come back (vfio-pci zaps them on the same writes).
	 */
	mem = tessera_vgpu_cfg_mem_enabled(vgpu);
	if (vgpu->mem_on != mem) {
		down_write(&vgpu->mem_sem);
		if (!mem)
			tessera_vgpu_revoke_mmaps(vgpu);
		vgpu->mem_on = mem;
		up_write(&vgpu->mem_sem);
	}
	/* INTx Disable changes delivery: re-evaluate. */
	tessera_vgpu_irq_update(vgpu);
}

/**
 * tessera_vgpu_cfg_rw() - access the virtual config space
 * @vgpu: vGPU (lock held)
 * @buf: kernel buffer
 * @count: bytes, any size
 * @pos: offset in the region
 * @write: direction
 *
 * Return: @count, or -EFAULT when the access leaves the region (as
 * vfio-pci).
 */
ssize_t tessera_vgpu_cfg_rw(struct tessera_vgpu *vgpu, char *buf,
			    size_t count, loff_t pos, bool write)
{
	u8 old[CFG_STD];
	u32 i;

	if (pos < 0 || pos >= TESSERA_VGPU_CFG_SIZE ||
	    count > TESSERA_VGPU_CFG_SIZE - pos)
		return -EFAULT;
	if (!write) {
		memcpy(buf, vgpu->s.cfg + pos, count);
		return count;
	}
	memcpy(old, vgpu->s.cfg, CFG_STD);
	for (i = 0; i < count; i++)
		cfg_write_byte(vgpu, pos + i, buf[i]);
	if (pos < CFG_STD)
		cfg_after_write(vgpu, pos, pos + count, old);
	return count;
}
