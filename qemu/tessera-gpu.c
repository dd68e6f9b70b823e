/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU PCIe device model of the Tessera GPU ("tessera-gpu").
 *
 * Hardware contract: Documentation/hw/tessera-gpu.rst and
 * include/tessera/tessera_regs.h. The device logic is in tessera-core-regs.c
 * (registers, context windows, GART) and tessera-core-exec.c (command
 * execution, address translation), behind tessera-core.h; this file is the
 * QEMU glue: PCI function, BARs, MSI-X/INTx, FLR, one worker thread per
 * engine, locking, DMA and pacing against the virtual clock.
 *
 * Locking:
 *  - s->lock protects the register state (s->core) and the worker
 *    bookkeeping. MMIO handlers (vCPU, BQL held) and workers take it.
 *  - Workers never hold s->lock across a memory access: DMA to MMIO takes
 *    the BQL, and a vCPU holding the BQL may be waiting for s->lock.
 *    Behind a vIOMMU, workers take the BQL around each DMA themselves (a
 *    translation fault raises the vIOMMU's interrupt, which needs it).
 *  - Order: BQL, then s->lock.
 *  - Interrupts are delivered with the BQL held: directly from MMIO
 *    handlers, from a bottom half when a worker raised them.
 *  - A reset (REG_RESET, FLR, bus reset), an engine reset, a VM stop and
 *    unrealize "park" workers: they wait until no step is in flight. If a
 *    worker is inside a DMA (which may need the BQL) and we hold the BQL,
 *    the BQL is dropped while waiting.
 */
#include "qemu/osdep.h"
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/thread.h"
#include "qemu/rcu.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "sysemu/dma.h"
#include "sysemu/runstate.h"

#include "tessera/tessera_regs.h"
#include "tessera-core.h"
#include "trace.h"

#define TYPE_TESSERA_GPU "tessera-gpu"
OBJECT_DECLARE_SIMPLE_TYPE(TesseraGPUState, TESSERA_GPU)

typedef struct TesseraEngine {
    struct TesseraGPUState *s;
    unsigned int idx;
    QemuThread thread;
    QemuCond cond;          /* wakes the worker */
    bool started;           /* thread created */
    bool busy;              /* a step is in flight (lock dropped) */
    bool in_dma;            /* inside pci_dma_rw (atomic) */
    unsigned int park;      /* park requests: no new step while > 0 */
    uint64_t gen;           /* bumped by every reset of this engine */
} TesseraEngine;

struct TesseraGPUState {
    PCIDevice parent_obj;

    /* properties */
    uint64_t vram_size;
    uint32_t contexts;
    uint32_t gart_entries;
    uint32_t compute_engines;
    uint32_t copy_engines;

    MemoryRegion bar0;      /* container: CSRs + MSI-X table/PBA */
    MemoryRegion csr;
    MemoryRegion vram;
    MemoryRegion doorbell;
    uint8_t *vram_ptr;
    bool msix_ok;
    bool dma_bql;           /* take the BQL around DMA (vIOMMU present) */

    QemuMutex lock;
    QemuCond park_cond;     /* broadcast when a step ends */
    QEMUBH *irq_bh;
    VMChangeStateEntry *vmse;
    bool vm_running;
    bool quit;
    bool intx_level;
    int64_t time_base;      /* QEMU_CLOCK_VIRTUAL at the last reset */

    struct tcore_dev core;
    TesseraEngine eng[TESSERA_MAX_ENGINES];
};

/* The engine whose worker runs on this thread (NULL on other threads). */
static __thread TesseraEngine *tessera_current_engine;

static int64_t tessera_now(TesseraGPUState *s)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - s->time_base;
}

/* ------------------------------------------------------------ interrupts */

/* With the BQL: deliver pending MSI-X edges / update INTx. */
static void tessera_irq_deliver(TesseraGPUState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    uint32_t vectors;
    bool level;
    unsigned int v;

    qemu_mutex_lock(&s->lock);
    vectors = tcore_take_vectors(&s->core);
    level = tcore_intx_level(&s->core);
    qemu_mutex_unlock(&s->lock);

    if (s->msix_ok && msix_enabled(pdev)) {
        for (v = 0; v < TESSERA_MSIX_VECTORS; v++) {
            if (vectors & (1u << v)) {
                trace_tessera_msix_notify(v);
                msix_notify(pdev, v);
            }
        }
        level = false;
    }
    if (level != s->intx_level) {
        trace_tessera_intx(level);
        s->intx_level = level;
        pci_set_irq(pdev, level);
    }
}

static void tessera_irq_bh(void *opaque)
{
    tessera_irq_deliver(opaque);
}

/* With s->lock: schedule delivery if something changed. */
static void tessera_irq_kick(TesseraGPUState *s)
{
    if (s->core.fire_vectors ||
        tcore_intx_level(&s->core) != qatomic_read(&s->intx_level)) {
        qemu_bh_schedule(s->irq_bh);
    }
}

/* ----------------------------------------------------- core notifications */

/*
 * The core has no QEMU headers; it reports through these hooks. They run
 * with s->lock held, which is safe: logging and tracing never take it.
 */
static void G_GNUC_PRINTF(2, 0)
tessera_guest_error(void *opaque, const char *fmt, va_list ap)
{
    g_autofree char *msg = NULL;

    if (!qemu_loglevel_mask(LOG_GUEST_ERROR)) {
        return;     /* do not format what nobody logs */
    }
    msg = g_strdup_vprintf(fmt, ap);
    qemu_log_mask(LOG_GUEST_ERROR, "%s: %s\n", TYPE_TESSERA_GPU, msg);
}

static void tessera_fault(void *opaque, unsigned int e, uint32_t code,
                          uint32_t ctx, uint64_t addr)
{
    trace_tessera_fault(e, code, ctx, addr);
    /* every fault is the guest's: a bad command, ring, context or GART */
    qemu_log_mask(LOG_GUEST_ERROR, "%s: engine %u faulted: code 0x%x, "
                  "context %" PRIu32 ", address 0x%" PRIx64 "\n",
                  TYPE_TESSERA_GPU, e, code, ctx, addr);
}

static void tessera_eng_irq(void *opaque, unsigned int e, uint32_t bits)
{
    trace_tessera_eng_irq(e, bits);
}

static const struct tcore_hooks tessera_core_hooks = {
    .guest_error = tessera_guest_error,
    .fault = tessera_fault,
    .eng_irq = tessera_eng_irq,
};

/* ---------------------------------------------------------------- memory */

static int tessera_read_vram(void *opaque, uint64_t off, void *buf,
                             uint32_t len)
{
    TesseraGPUState *s = ((TesseraEngine *)opaque)->s;

    if (off > s->vram_size || len > s->vram_size - off) {
        return TCORE_MEM_ERROR;
    }
    memcpy(buf, s->vram_ptr + off, len);
    return TCORE_MEM_OK;
}

static int tessera_write_vram(void *opaque, uint64_t off, const void *buf,
                              uint32_t len)
{
    TesseraGPUState *s = ((TesseraEngine *)opaque)->s;

    if (off > s->vram_size || len > s->vram_size - off) {
        return TCORE_MEM_ERROR;
    }
    memcpy(s->vram_ptr + off, buf, len);
    memory_region_set_dirty(&s->vram, off, len);
    return TCORE_MEM_OK;
}

static int tessera_dma(TesseraEngine *te, uint64_t addr, void *buf,
                       uint32_t len, DMADirection dir)
{
    MemTxResult r;
    bool bql;

    if (len && addr + len - 1 < addr) {
        return TCORE_MEM_ERROR;     /* wraps around the bus */
    }
    /*
     * Behind a vIOMMU a translation fault is reported to the guest right
     * away (intel-iommu raises its fault interrupt from the translate
     * path), which needs the BQL. tessera_park() drops the BQL while a
     * worker is in_dma, so taking it here cannot deadlock.
     */
    bql = te->s->dma_bql && !qemu_mutex_iothread_locked();
    qatomic_set(&te->in_dma, true);
    if (bql) {
        qemu_mutex_lock_iothread();
    }
    r = pci_dma_rw(PCI_DEVICE(te->s), addr, buf, len, dir,
                   MEMTXATTRS_UNSPECIFIED);
    if (bql) {
        qemu_mutex_unlock_iothread();
    }
    qatomic_set(&te->in_dma, false);
    return r == MEMTX_OK ? TCORE_MEM_OK : TCORE_MEM_ERROR;
}

static int tessera_dma_read(void *opaque, uint64_t addr, void *buf,
                            uint32_t len)
{
    return tessera_dma(opaque, addr, buf, len, DMA_DIRECTION_TO_DEVICE);
}

static int tessera_dma_write(void *opaque, uint64_t addr, const void *buf,
                             uint32_t len)
{
    return tessera_dma(opaque, addr, (void *)buf, len,
                       DMA_DIRECTION_FROM_DEVICE);
}

static int tessera_read_gart(void *opaque, uint32_t idx, uint64_t *entry)
{
    TesseraGPUState *s = ((TesseraEngine *)opaque)->s;

    if (idx >= s->gart_entries) {
        return TCORE_MEM_ERROR;
    }
    *entry = qatomic_read(&s->core.gart[idx]);
    return TCORE_MEM_OK;
}

static const struct tcore_mem_ops tessera_mem_ops = {
    .read_vram = tessera_read_vram,
    .write_vram = tessera_write_vram,
    .dma_read = tessera_dma_read,
    .dma_write = tessera_dma_write,
    .read_gart_entry = tessera_read_gart,
};

/* --------------------------------------------------------------- workers */

/*
 * With s->lock: the engine is ahead of device time by more than the slack;
 * wait on the engine's condvar until it no longer is (or until a START,
 * PREEMPT, reset or VM stop signals it). The wait has to be precise to a
 * few microseconds: every oversleep is device time the engine is behind,
 * and a context preempted while behind keeps that as a debt
 * (tcore_engine_prepare()). qemu_cond_timedwait() rounds to milliseconds,
 * so wait on the underlying POSIX objects (QEMU creates its condvars on
 * CLOCK_MONOTONIC); the worker runs with a 1 us timer slack.
 */
static void tessera_pace_wait(TesseraGPUState *s, TesseraEngine *te,
                              int64_t ns)
{
    struct timespec ts;

    ns = MIN(ns, 100 * SCALE_MS);
#ifdef CONFIG_PTHREAD_CONDATTR_SETCLOCK
    clock_gettime(CLOCK_MONOTONIC, &ts);    /* as qemu_cond_init() sets */
#else
    clock_gettime(CLOCK_REALTIME, &ts);
#endif
    ns += ts.tv_nsec;
    ts.tv_sec += ns / NANOSECONDS_PER_SECOND;
    ts.tv_nsec = ns % NANOSECONDS_PER_SECOND;
    pthread_cond_timedwait(&te->cond.cond, &s->lock.lock, &ts);
}

/* A step's commands, for tracing (a fault is traced by the core's hook). */
static void tessera_trace_step(unsigned int e, const struct tcore_exec *x)
{
    uint32_t op = TESSERA_CMD_OP(x->cmd_hdr);

    if (x->events & TCORE_EV_CMD_START) {
        trace_tessera_cmd_start(e, x->ctx, op, x->cmd_va);
    }
    if (x->events & TCORE_EV_CMD_DONE) {
        trace_tessera_cmd_complete(e, x->ctx, op, x->cmd_va, x->cost_ns);
    }
}

static void *tessera_worker(void *opaque)
{
    TesseraEngine *te = opaque;
    TesseraGPUState *s = te->s;
    unsigned int e = te->idx;
    struct tcore_exec x;
    enum tcore_step_rc rc;
    int64_t now, wait;
    uint64_t gen;

    rcu_register_thread();
    tessera_current_engine = te;
#ifdef PR_SET_TIMERSLACK
    prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
#endif

    qemu_mutex_lock(&s->lock);
    while (!s->quit) {
        if (te->park || !s->vm_running ||
            s->core.eng[e].state != TESSERA_ENG_STATE_RUNNING) {
            qemu_cond_wait(&te->cond, &s->lock);
            continue;
        }
        now = tessera_now(s);
        wait = tcore_engine_pace_ns(&s->core, e, now);
        if (wait > 0) {
            tessera_pace_wait(s, te, wait);
            continue;
        }
        if (tcore_engine_prepare(&s->core, e, now, &x) != TCORE_PREP_RUN) {
            tessera_irq_kick(s);
            continue;
        }
        x.budget_ns = tcore_engine_budget_ns(&s->core, e, now);
        te->busy = true;
        gen = te->gen;
        qemu_mutex_unlock(&s->lock);

        rc = tcore_exec_step(&x, &tessera_mem_ops, te);

        qemu_mutex_lock(&s->lock);
        te->busy = false;
        if (gen == te->gen) {
            tessera_trace_step(e, &x);
            tcore_engine_finish(&s->core, e, &x, rc, now);
            tessera_irq_kick(s);
        }
        qemu_cond_broadcast(&s->park_cond);
    }
    qemu_mutex_unlock(&s->lock);

    rcu_unregister_thread();
    return NULL;
}

/*
 * With s->lock (and usually the BQL): stop the workers of @mask from
 * starting steps and wait until none of them is in one. The caller's own
 * worker (an engine DMA that hit our BAR0) is not waited for; its step is
 * discarded through te->gen.
 */
static void tessera_park(TesseraGPUState *s, uint32_t mask)
{
    unsigned int e;
    bool busy, dma;

    for (e = 0; e < s->core.engines; e++) {
        if (mask & (1u << e)) {
            s->eng[e].park++;
            qemu_cond_signal(&s->eng[e].cond);
        }
    }
    for (;;) {
        busy = dma = false;
        for (e = 0; e < s->core.engines; e++) {
            TesseraEngine *te = &s->eng[e];

            if (!(mask & (1u << e)) || !te->busy ||
                te == tessera_current_engine) {
                continue;
            }
            busy = true;
            dma |= qatomic_read(&te->in_dma);
        }
        if (!busy) {
            return;
        }
        if (dma && qemu_mutex_iothread_locked()) {
            /* the DMA may target MMIO and need the BQL */
            qemu_mutex_unlock(&s->lock);
            qemu_mutex_unlock_iothread();
            g_usleep(50);
            qemu_mutex_lock_iothread();
            qemu_mutex_lock(&s->lock);
        } else {
            qemu_cond_timedwait(&s->park_cond, &s->lock, 10);
        }
    }
}

static void tessera_unpark(TesseraGPUState *s, uint32_t mask)
{
    unsigned int e;

    for (e = 0; e < s->core.engines; e++) {
        if (mask & (1u << e)) {
            assert(s->eng[e].park > 0);
            s->eng[e].park--;
            qemu_cond_signal(&s->eng[e].cond);
        }
    }
}

static void tessera_wake(TesseraGPUState *s, uint32_t mask)
{
    unsigned int e;

    for (e = 0; e < s->core.engines; e++) {
        if (mask & (1u << e)) {
            qemu_cond_signal(&s->eng[e].cond);
        }
    }
}

static uint32_t tessera_all_engines(TesseraGPUState *s)
{
    return (1u << s->core.engines) - 1;
}

/* With s->lock: whole-device reset. */
static void tessera_dev_reset_locked(TesseraGPUState *s)
{
    uint32_t all = tessera_all_engines(s);
    unsigned int e;

    tessera_park(s, all);
    tcore_dev_reset(&s->core);
    for (e = 0; e < s->core.engines; e++) {
        s->eng[e].gen++;
    }
    s->time_base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    tessera_unpark(s, all);
}

/* ------------------------------------------------------------------ BARs */

static uint64_t tessera_csr_read(void *opaque, hwaddr addr, unsigned size)
{
    TesseraGPUState *s = opaque;
    uint64_t v;

    qemu_mutex_lock(&s->lock);
    v = tcore_csr_read(&s->core, addr, size, tessera_now(s));
    qemu_mutex_unlock(&s->lock);
    trace_tessera_csr_read(addr, size, v);
    return v;
}

static void tessera_csr_write(void *opaque, hwaddr addr, uint64_t val,
                              unsigned size)
{
    TesseraGPUState *s = opaque;
    unsigned int e = 0;
    uint32_t wake;

    trace_tessera_csr_write(addr, size, val);
    qemu_mutex_lock(&s->lock);
    switch (tcore_csr_classify_write(&s->core, addr, val, size, &e)) {
    case TCORE_WR_DEV_RESET:
        trace_tessera_reset("REG_RESET");
        tessera_dev_reset_locked(s);
        break;
    case TCORE_WR_ENG_RESET:
        trace_tessera_engine_reset(e);
        tessera_park(s, 1u << e);
        tcore_engine_reset(&s->core, e);
        s->eng[e].gen++;
        tessera_unpark(s, 1u << e);
        break;
    case TCORE_WR_NORMAL:
        wake = tcore_csr_write(&s->core, addr, val, size, tessera_now(s));
        tessera_wake(s, wake);
        break;
    }
    qemu_mutex_unlock(&s->lock);
    tessera_irq_deliver(s);
}

static const MemoryRegionOps tessera_csr_ops = {
    .read = tessera_csr_read,
    .write = tessera_csr_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    /* size/alignment rules are the core's: let everything through */
    .valid = { .min_access_size = 1, .max_access_size = 8,
               .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 8,
              .unaligned = true },
};

static uint64_t tessera_db_read(void *opaque, hwaddr addr, unsigned size)
{
    TesseraGPUState *s = opaque;
    uint64_t v;

    qemu_mutex_lock(&s->lock);
    v = tcore_db_read(&s->core, addr, size);
    qemu_mutex_unlock(&s->lock);
    trace_tessera_db_read(addr, size, v);
    return v;
}

static void tessera_db_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    TesseraGPUState *s = opaque;

    trace_tessera_db_write(addr, size, val);
    qemu_mutex_lock(&s->lock);
    tessera_wake(s, tcore_db_write(&s->core, addr, val, size,
                                   tessera_now(s)));
    qemu_mutex_unlock(&s->lock);
    tessera_irq_deliver(s);
}

static const MemoryRegionOps tessera_db_ops = {
    .read = tessera_db_read,
    .write = tessera_db_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8,
               .unaligned = true },
    .impl = { .min_access_size = 1, .max_access_size = 8,
              .unaligned = true },
};

/* ------------------------------------------------------- PCI / lifecycle */

static void tessera_write_config(PCIDevice *pdev, uint32_t addr,
                                 uint32_t val, int len)
{
    pci_default_write_config(pdev, addr, val, len);
    if (pci_is_express(pdev)) {
        pcie_cap_flr_write_config(pdev, addr, val, len);
    }
    /* MSI-X enable/disable switches between MSI-X and INTx */
    tessera_irq_deliver(TESSERA_GPU(pdev));
}

/* Device reset: bus reset and FLR (pci_device_reset) come here. */
static void tessera_reset(DeviceState *dev)
{
    TesseraGPUState *s = TESSERA_GPU(dev);

    trace_tessera_reset("device");
    qemu_mutex_lock(&s->lock);
    tessera_dev_reset_locked(s);
    qemu_mutex_unlock(&s->lock);
    tessera_irq_deliver(s);
}

static void tessera_vm_state_change(void *opaque, bool running,
                                    RunState state)
{
    TesseraGPUState *s = opaque;
    uint32_t all = tessera_all_engines(s);

    qemu_mutex_lock(&s->lock);
    if (running) {
        s->vm_running = true;
        tessera_wake(s, all);
    } else {
        /* no engine touches memory while the VM is stopped */
        s->vm_running = false;
        tessera_park(s, all);
        tessera_unpark(s, all);
    }
    qemu_mutex_unlock(&s->lock);
}

/*
 * realize, step 1: the properties (the core's own check) and the fixed
 * parts of the config header.
 */
static bool tessera_realize_config(TesseraGPUState *s, Error **errp)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    const char *bad;

    bad = tcore_check_config(s->vram_size, s->contexts, s->gart_entries,
                             s->compute_engines, s->copy_engines);
    if (bad) {
        error_setg(errp, "tessera-gpu: %s (vram-size=%" PRIu64
                   ", contexts=%" PRIu32 ", gart-entries=%" PRIu32
                   ", compute-engines=%" PRIu32 ", copy-engines=%" PRIu32
                   ")", bad, s->vram_size, s->contexts, s->gart_entries,
                   s->compute_engines, s->copy_engines);
        return false;
    }
    pci_config_set_interrupt_pin(pdev->config, 1);
    pdev->config[PCI_REVISION_ID] = TESSERA_PCI_REVISION;
    return true;
}

/*
 * realize, step 2: the BARs. The memory regions belong to the device
 * object, so a failure leaves nothing to undo here.
 */
static bool tessera_realize_bars(TesseraGPUState *s, Error **errp)
{
    ERRP_GUARD();
    PCIDevice *pdev = PCI_DEVICE(s);

    /* BAR0: CSRs, with the MSI-X table and PBA on top */
    memory_region_init(&s->bar0, OBJECT(s), "tessera-gpu.bar0",
                       TESSERA_CSR_BAR_SIZE);
    memory_region_init_io(&s->csr, OBJECT(s), &tessera_csr_ops, s,
                          "tessera-gpu.csr", TESSERA_CSR_BAR_SIZE);
    memory_region_add_subregion_overlap(&s->bar0, 0, &s->csr, -1);
    pci_register_bar(pdev, TESSERA_BAR_CSR, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &s->bar0);

    /* BAR2: VRAM, guest-mappable RAM */
    memory_region_init_ram(&s->vram, OBJECT(s), "tessera-gpu.vram",
                           s->vram_size, errp);
    if (*errp) {
        return false;
    }
    s->vram_ptr = memory_region_get_ram_ptr(&s->vram);
    pci_register_bar(pdev, TESSERA_BAR_VRAM,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->vram);

    /* BAR4: doorbells */
    memory_region_init_io(&s->doorbell, OBJECT(s), &tessera_db_ops, s,
                          "tessera-gpu.doorbell",
                          tcore_doorbell_bar_size(s->contexts));
    pci_register_bar(pdev, TESSERA_BAR_DOORBELL,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->doorbell);
    return true;
}

static bool tessera_init_pm_cap(PCIDevice *pdev, Error **errp)
{
    int pos;

    pos = pci_add_capability(pdev, PCI_CAP_ID_PM, TESSERA_PCI_CAP_PM,
                             PCI_PM_SIZEOF, errp);
    if (pos < 0) {
        return false;
    }
    pci_set_word(pdev->config + pos + PCI_PM_PMC, 0x3);  /* PM 1.2 */
    pci_set_word(pdev->config + pos + PCI_PM_CTRL,
                 PCI_PM_CTRL_NO_SOFT_RESET);
    pci_set_word(pdev->wmask + pos + PCI_PM_CTRL, PCI_PM_CTRL_STATE_MASK);
    return true;
}

/* MSI-X in BAR0; a machine without MSI leaves the device on INTx. */
static bool tessera_init_msix(TesseraGPUState *s, Error **errp)
{
    ERRP_GUARD();
    PCIDevice *pdev = PCI_DEVICE(s);
    unsigned int v;
    int ret;

    ret = msix_init(pdev, TESSERA_MSIX_VECTORS,
                    &s->bar0, TESSERA_BAR_CSR, TESSERA_CSR_MSIX_TABLE,
                    &s->bar0, TESSERA_BAR_CSR, TESSERA_CSR_MSIX_PBA,
                    TESSERA_PCI_CAP_MSIX, errp);
    if (ret == -ENOTSUP) {
        error_free(*errp);
        *errp = NULL;
        return true;
    }
    if (ret < 0) {
        return false;
    }
    s->msix_ok = true;
    for (v = 0; v < TESSERA_MSIX_VECTORS; v++) {
        msix_vector_use(pdev, v);
    }
    return true;
}

static void tessera_exit_msix(TesseraGPUState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);

    if (s->msix_ok) {
        msix_unuse_all_vectors(pdev);
        msix_uninit(pdev, &s->bar0, &s->bar0);
        s->msix_ok = false;
    }
}

/*
 * realize, step 3: the capabilities, PM, MSI-X, then PCIe with FLR. The
 * order is the guest-visible order of the capability list. Only MSI-X
 * needs undoing on failure (the capability list itself goes with the
 * config space).
 */
static bool tessera_realize_caps(TesseraGPUState *s, Error **errp)
{
    PCIDevice *pdev = PCI_DEVICE(s);

    if (!tessera_init_pm_cap(pdev, errp) || !tessera_init_msix(s, errp)) {
        goto fail;
    }
    if (pci_is_express(pdev)) {
        if (pcie_endpoint_cap_init(pdev, TESSERA_PCI_CAP_EXP) < 0) {
            error_setg(errp, "tessera-gpu: cannot add the PCIe capability");
            goto fail;
        }
        pcie_cap_flr_init(pdev);
    }
    return true;

fail:
    tessera_exit_msix(s);
    return false;
}

/*
 * realize, step 4: the device state, the lock and interrupt bottom half,
 * and one worker thread per engine. Nothing here fails (QEMU aborts if it
 * cannot create a thread), so it comes last and needs no undoing.
 */
static void tessera_realize_engines(TesseraGPUState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    unsigned int e;

    s->dma_bql = pci_device_iommu_address_space(pdev) !=
                 &address_space_memory;

    tcore_init(&s->core, s->vram_size, s->contexts, s->gart_entries,
               s->compute_engines, s->copy_engines,
               g_new0(struct tcore_ctx, s->contexts),
               g_new0(uint64_t, s->gart_entries));
    tcore_set_hooks(&s->core, &tessera_core_hooks, s);
    s->time_base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    qemu_mutex_init(&s->lock);
    qemu_cond_init(&s->park_cond);
    s->irq_bh = qemu_bh_new(tessera_irq_bh, s);
    s->vm_running = runstate_is_running();
    s->vmse = qemu_add_vm_change_state_handler(tessera_vm_state_change, s);

    for (e = 0; e < s->core.engines; e++) {
        TesseraEngine *te = &s->eng[e];
        char name[32];

        te->s = s;
        te->idx = e;
        qemu_cond_init(&te->cond);
        snprintf(name, sizeof(name), "tessera-eng%u", e);
        qemu_thread_create(&te->thread, name, tessera_worker, te,
                           QEMU_THREAD_JOINABLE);
        te->started = true;
    }
}

static void tessera_realize(PCIDevice *pdev, Error **errp)
{
    TesseraGPUState *s = TESSERA_GPU(pdev);

    if (!tessera_realize_config(s, errp) || !tessera_realize_bars(s, errp) ||
        !tessera_realize_caps(s, errp)) {
        return;
    }
    tessera_realize_engines(s);
}

static void tessera_exit(PCIDevice *pdev)
{
    TesseraGPUState *s = TESSERA_GPU(pdev);
    uint32_t all = tessera_all_engines(s);
    unsigned int e;

    qemu_mutex_lock(&s->lock);
    tessera_park(s, all);
    s->quit = true;
    tessera_wake(s, all);
    qemu_mutex_unlock(&s->lock);

    for (e = 0; e < s->core.engines; e++) {
        if (s->eng[e].started) {
            qemu_thread_join(&s->eng[e].thread);
            qemu_cond_destroy(&s->eng[e].cond);
            s->eng[e].started = false;
        }
    }
    qemu_del_vm_change_state_handler(s->vmse);
    qemu_bh_delete(s->irq_bh);
    qemu_cond_destroy(&s->park_cond);
    qemu_mutex_destroy(&s->lock);
    g_free(s->core.ctx);
    g_free(s->core.gart);
    s->core.ctx = NULL;
    s->core.gart = NULL;
    tessera_exit_msix(s);
    if (pci_is_express(pdev)) {
        pcie_cap_exit(pdev);
    }
}

static Property tessera_properties[] = {
    DEFINE_PROP_SIZE("vram-size", TesseraGPUState, vram_size,
                     TESSERA_DEFAULT_VRAM_SIZE),
    DEFINE_PROP_UINT32("contexts", TesseraGPUState, contexts,
                       TESSERA_DEFAULT_CONTEXTS),
    DEFINE_PROP_UINT32("gart-entries", TesseraGPUState, gart_entries,
                       TESSERA_DEFAULT_GART_ENTRIES),
    DEFINE_PROP_UINT32("compute-engines", TesseraGPUState, compute_engines,
                       TESSERA_DEFAULT_COMPUTE_ENGINES),
    DEFINE_PROP_UINT32("copy-engines", TesseraGPUState, copy_engines,
                       TESSERA_DEFAULT_COPY_ENGINES),
    DEFINE_PROP_END_OF_LIST(),
};

/* Live migration is not implemented yet. */
static const VMStateDescription tessera_vmstate = {
    .name = TYPE_TESSERA_GPU,
    .unmigratable = 1,
};

static void tessera_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = tessera_realize;
    pc->exit = tessera_exit;
    pc->config_write = tessera_write_config;
    pc->vendor_id = TESSERA_PCI_VENDOR_ID;
    pc->device_id = TESSERA_PCI_DEVICE_ID;
    pc->revision = TESSERA_PCI_REVISION;
    pc->class_id = TESSERA_PCI_CLASS;
    dc->desc = "Tessera GPU (mediated pass-through test device)";
    dc->reset = tessera_reset;
    dc->vmsd = &tessera_vmstate;
    device_class_set_props(dc, tessera_properties);
    set_bit(DEVICE_CATEGORY_DISPLAY, dc->categories);
}

static const TypeInfo tessera_info = {
    .name = TYPE_TESSERA_GPU,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(TesseraGPUState),
    .class_init = tessera_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void tessera_register_types(void)
{
    type_register_static(&tessera_info);
}

type_init(tessera_register_types)
