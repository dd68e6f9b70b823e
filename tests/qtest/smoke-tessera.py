#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""qtest-driven smoke test of the tessera-gpu QEMU model.

    tests/qtest/smoke-tessera.py [path/to/qemu-system-x86_64]

Without an argument the binary comes from scripts/build-qemu.sh --print-path.
Starts QEMU with -accel qtest (no guest code runs), programs the PCI
function by hand through 0xcf8/0xcfc, and drives BAR0/BAR2/BAR4: context
set-up, a ring in VRAM, FILL/COPY/CHECKSUM/AXPY/FENCE/BUSY, preemption,
faults, doorbells, engine reset, REG_RESET and FLR. Prints TAP.
"""
import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def regs():
    """The register header's simple #defines, evaluated in Python."""
    d = {}
    src = open(os.path.join(TOP, 'include/tessera/tessera_regs.h')).read()
    for m in re.finditer(r'^#define\s+TESSERA_(\w+)\s+(.+?)\s*(/\*.*)?$', src, re.M):
        name, val = m.group(1), m.group(2)
        if '(' in name:
            continue
        val = re.sub(r'(0x[0-9a-fA-F]+|\d+)(ULL|UL|u|U)\b', r'\1', val)
        val = val.replace('TESSERA_', '')
        try:
            d[name] = eval(val, {'BIT': lambda n: 1 << n,
                                 'BIT_ULL': lambda n: 1 << n}, d)
        except Exception:
            pass
    return d


R = regs()
def ENG_REG(e, r): return R['CSR_ENGINE_BASE'] + e * R['CSR_ENGINE_STRIDE'] + r
def CTX_REG(c, r): return R['CSR_CTX_BASE'] + c * R['CSR_CTX_STRIDE'] + r
def RING_REG(c, e, r): return CTX_REG(c, R['CTX_RING_BASE'] + e * R['CTX_RING_STRIDE'] + r)
def GART(i): return R['CSR_GART_BASE'] + 8 * i
def CMD(op, flags, ln): return (op << 24) | (flags << 16) | ln


def fnv1a(data):
    h = R['FNV1A_INIT']
    for b in data:
        h = ((h ^ b) * R['FNV1A_PRIME']) & 0xffffffff
    return h


class QTest:
    def __init__(self, qemu, extra):
        args = [qemu, '-machine', 'q35', '-accel', 'qtest', '-display', 'none',
                '-nodefaults', '-m', '256M', '-qtest', 'stdio', '-qtest-log', '/dev/null',
                '-device', 'tessera-gpu,addr=04.0' + extra]
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, bufsize=1)

    def cmd(self, line):
        self.p.stdin.write(line + '\n')
        self.p.stdin.flush()
        while True:
            r = self.p.stdout.readline()
            if not r:
                raise RuntimeError('qemu died: ' + self.p.stderr.read())
            if r.startswith('OK') or r.startswith('FAIL') or r.startswith('ERR'):
                break
        if not r.startswith('OK'):
            raise RuntimeError(line + ' -> ' + r)
        parts = r.split()
        return int(parts[1], 16) if len(parts) > 1 else None

    def cfg_addr(self, reg): return 0x80000000 | (4 << 11) | (reg & 0xfc)
    def cfg_r32(self, reg):
        self.cmd('outl 0xcf8 0x%x' % self.cfg_addr(reg))
        return self.cmd('inl 0xcfc')
    def cfg_w32(self, reg, v):
        self.cmd('outl 0xcf8 0x%x' % self.cfg_addr(reg))
        self.cmd('outl 0xcfc 0x%x' % v)
    def cfg_w16(self, reg, v):
        self.cmd('outl 0xcf8 0x%x' % self.cfg_addr(reg))
        self.cmd('outw 0x%x 0x%x' % (0xcfc + (reg & 2), v))
    def r32(self, a): return self.cmd('readl 0x%x' % a)
    def w32(self, a, v): self.cmd('writel 0x%x 0x%x' % (a, v & 0xffffffff))
    def r64(self, a): return self.cmd('readq 0x%x' % a)
    def w64(self, a, v): self.cmd('writeq 0x%x 0x%x' % (a, v))
    def step(self, ns): self.cmd('clock_step %d' % ns)

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()


BAR0, BAR2, BAR4 = 0xc0000000, 0xd0000000, 0xc1000000
n_tests = 0
n_fail = 0


def check(name, cond, diag=''):
    global n_tests, n_fail
    n_tests += 1
    if not cond:
        n_fail += 1
    print('%sok %d %s%s' % ('' if cond else 'not ', n_tests, name,
                            '' if cond or not diag else '  # ' + diag), flush=True)


def main():
    qemu = sys.argv[1] if len(sys.argv) > 1 else subprocess.check_output(
        [os.path.join(TOP, 'scripts/build-qemu.sh'), '--print-path'], text=True).strip()
    print('TAP version 13')
    q = QTest(qemu, ',vram-size=64M')
    try:
        run(q)
    finally:
        q.close()
    print('1..%d' % n_tests)
    print('# %d passed, %d failed' % (n_tests - n_fail, n_fail))
    return 1 if n_fail else 0


def wait_state(q, e, want, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        st = q.r32(BAR0 + ENG_REG(e, R['ENG_STATUS'])) & 0xf
        if st == want:
            return st
        time.sleep(0.002)
    return st


def run(q):
    vid = q.cfg_r32(0)
    check('pci ids', vid == (R['PCI_DEVICE_ID'] << 16 | R['PCI_VENDOR_ID']), hex(vid))
    cls = q.cfg_r32(8)
    check('class/revision', cls == (0x030200 << 8 | R['PCI_REVISION']), hex(cls))
    cap = q.cfg_r32(0x34) & 0xff
    caps = []
    while cap:
        v = q.cfg_r32(cap)
        caps.append((cap, v & 0xff))
        cap = (v >> 8) & 0xff
    check('capabilities PM/MSI-X/EXP', sorted(caps) == [(0x40, 1), (0x50, 0x11), (0x60, 0x10)], str(caps))
    devcap = q.cfg_r32(0x60 + 4)
    check('FLR in DevCap', devcap & (1 << 28) != 0, hex(devcap))

    q.cfg_w32(0x10, BAR0)
    q.cfg_w32(0x18, BAR2)
    q.cfg_w32(0x1c, 0)
    q.cfg_w32(0x20, BAR4)
    q.cfg_w32(0x24, 0)
    q.cfg_w16(0x04, 0x6)
    check('REG_ID', q.r32(BAR0 + R['REG_ID']) == R['ID_MAGIC'])
    eng = q.r32(BAR0 + R['REG_ENGINES'])
    check('REG_ENGINES', eng == (3 | 2 << 8 | 1 << 16), hex(eng))
    check('VRAM size 8-byte read', q.r64(BAR0 + R['REG_VRAM_SIZE_LO']) == 64 << 20)
    check('unaligned read is 0', q.r32(BAR0 + 2) == 0)

    # context 0: VRAM window [1 MiB, 1 MiB + 8 MiB), ring on engine 0 at VA 0
    vb = 1 << 20
    q.w64(BAR0 + CTX_REG(0, R['CTX_VRAM_BASE_LO']), vb)
    q.w64(BAR0 + CTX_REG(0, R['CTX_VRAM_SIZE_LO']), 8 << 20)
    q.w32(BAR0 + CTX_REG(0, R['CTX_CTRL']), R['CTX_CTRL_VALID'])
    q.w64(BAR0 + RING_REG(0, 0, R['RING_BASE_LO']), 0)
    q.w32(BAR0 + RING_REG(0, 0, R['RING_SIZE']), 4096)
    q.w32(BAR0 + ENG_REG(0, R['ENG_INT_MASK']), R['ENG_INT_ALL'])
    tail = [0]

    def emit(*dws):
        for d in dws:
            q.w32(BAR2 + vb + tail[0], d)
            tail[0] = (tail[0] + 4) % 4096

    src, dst, out = 0x10000, 0x20000, 0x30000
    emit(CMD(R['OP_FILL'], 0, R['FILL_LEN']), src, 0, 10000, 0xdeadbeef)
    emit(CMD(R['OP_COPY'], 0, R['COPY_LEN']), dst, 0, src, 0, 10000)
    emit(CMD(R['OP_CHECKSUM'], 0, R['CHECKSUM_LEN']), out, 0, dst, 0, 10000)
    emit(CMD(R['OP_FENCE'], R['FENCE_IRQ'] | R['FENCE_WRITE'], R['FENCE_LEN']),
         0x1234, 0x5678, out + 8, 0)
    q.w32(BAR0 + RING_REG(0, 0, R['RING_TAIL']), tail[0])
    q.w32(BAR0 + ENG_REG(0, R['ENG_CTX']), 0)
    q.w32(BAR0 + ENG_REG(0, R['ENG_CTRL']), R['ENG_CTRL_START'])
    st = wait_state(q, 0, R['ENG_STATE_WAITING'])
    check('ring drained -> WAITING', st == R['ENG_STATE_WAITING'], 'state %d' % st)
    want = fnv1a((0xdeadbeef).to_bytes(4, 'little') * 2500)
    got = q.r32(BAR2 + vb + out)
    check('FILL+COPY+CHECKSUM result', got == want, '%x != %x' % (got, want))
    check('fence write', q.r64(BAR2 + vb + out + 8) == 0x567800001234)
    check('RING_FENCE', q.r32(BAR0 + RING_REG(0, 0, R['RING_FENCE_LO'])) == 0x1234)
    ist = q.r32(BAR0 + ENG_REG(0, R['ENG_INT_STATUS']))
    check('INT_STATUS fence+idle', ist == R['ENG_INT_FENCE'] | R['ENG_INT_IDLE'], hex(ist))
    busy = q.r64(BAR0 + ENG_REG(0, R['ENG_BUSY_NS_LO']))
    cost = (50 + (10000 + 31) // 32) + 2 * (50 + 10000 // 16) + 50
    check('BUSY_NS = sum of costs', busy == cost, '%d != %d' % (busy, cost))
    ctxst = q.r32(BAR0 + CTX_REG(0, R['CTX_STATUS']))
    check('CTX_STATUS loaded on 0', ctxst == 1 << 8, hex(ctxst))

    # doorbell: new work via BAR4 page 0 while WAITING
    q.w32(BAR0 + ENG_REG(0, R['ENG_INT_STATUS']), R['ENG_INT_ALL'])
    emit(CMD(R['OP_FENCE'], 0, R['FENCE_LEN']), 0x42, 0, 0, 0)
    q.w32(BAR4 + 0, tail[0])
    time.sleep(0.05)
    check('doorbell wakes the engine', q.r32(BAR0 + ENG_REG(0, R['ENG_FENCE_LO'])) == 0x42)
    check('doorbell read = tail', q.r32(BAR4 + 0) == tail[0])
    # doorbell for a context not loaded -> DB_PENDING
    q.w32(BAR4 + 0x1000 * 5 + 8, 0)
    check('DB_PENDING', q.r32(BAR0 + R['REG_DB_PENDING'] if 'REG_DB_PENDING' in R
                              else BAR0 + 0x80) == 1 << 5)
    check('INT_STATUS doorbell', q.r32(BAR0 + R['REG_INT_STATUS']) & R['INT_DOORBELL'] != 0)
    q.w32(BAR0 + 0x80, 1 << 5)
    check('DB_PENDING W1C', q.r32(BAR0 + 0x80) == 0)

    # BUSY 1 ms: paced against the (qtest-controlled) virtual clock
    emit(CMD(R['OP_BUSY'], 0, R['BUSY_LEN']), 1000000, 0)
    emit(CMD(R['OP_FENCE'], 0, R['FENCE_LEN']), 0x43, 0, 0, 0)
    q.w32(BAR0 + RING_REG(0, 0, R['RING_TAIL']), tail[0])
    time.sleep(0.1)
    st = q.r32(BAR0 + ENG_REG(0, R['ENG_STATUS'])) & 0xf
    check('BUSY is paced (clock stopped)', st == R['ENG_STATE_RUNNING'], 'state %d' % st)
    # preempt mid-BUSY
    q.w32(BAR0 + ENG_REG(0, R['ENG_CTRL']), R['ENG_CTRL_PREEMPT'])
    st = wait_state(q, 0, R['ENG_STATE_STOPPED'])
    check('preempt mid-BUSY -> STOPPED', st == R['ENG_STATE_STOPPED'], 'state %d' % st)
    rs = q.r32(BAR0 + RING_REG(0, 0, R['RING_STATE']))
    check('RING_STATE MIDCMD', rs == R['RING_STATE_MIDCMD'], hex(rs))
    check('PREEMPTED raised', q.r32(BAR0 + ENG_REG(0, R['ENG_INT_STATUS'])) & R['ENG_INT_PREEMPTED'])
    q.w32(BAR0 + ENG_REG(0, R['ENG_CTRL']), R['ENG_CTRL_START'])
    for _ in range(25):
        q.step(100000)
        time.sleep(0.005)
    st = wait_state(q, 0, R['ENG_STATE_WAITING'])
    check('BUSY completes as time advances', st == R['ENG_STATE_WAITING'] and
          q.r32(BAR0 + ENG_REG(0, R['ENG_FENCE_LO'])) == 0x43, 'state %d' % st)
    ts = q.r64(BAR0 + R['REG_TIMESTAMP_LO'])
    check('timestamp >= 2.5 ms', ts >= 2500000, str(ts))

    # a fault: COPY outside the VRAM window
    emit(CMD(R['OP_COPY'], 0, R['COPY_LEN']), (8 << 20) - 16, 0, 0, 0, 32)
    q.w32(BAR0 + RING_REG(0, 0, R['RING_TAIL']), tail[0])
    st = wait_state(q, 0, R['ENG_STATE_FAULTED'])
    check('fault -> FAULTED', st == R['ENG_STATE_FAULTED'], 'state %d' % st)
    fc = q.r32(BAR0 + ENG_REG(0, R['ENG_FAULT_CODE']))
    check('FAULT_VRAM_RANGE', fc == R['FAULT_VRAM_RANGE'], str(fc))
    check('fault address', q.r64(BAR0 + ENG_REG(0, R['ENG_FAULT_ADDR_LO'])) == (8 << 20) - 16)
    # a copy engine refuses AXPY; bad context on START
    q.w32(BAR0 + ENG_REG(1, R['ENG_CTX']), 7)
    q.w32(BAR0 + ENG_REG(1, R['ENG_CTRL']), R['ENG_CTRL_START'])
    check('START on invalid ctx -> BAD_CONTEXT',
          q.r32(BAR0 + ENG_REG(1, R['ENG_FAULT_CODE'])) == R['FAULT_BAD_CONTEXT'])
    # engine reset
    q.w32(BAR0 + ENG_REG(0, R['ENG_CTRL']), R['ENG_CTRL_RESET'])
    check('engine reset -> STOPPED, fault cleared',
          q.r32(BAR0 + ENG_REG(0, R['ENG_STATUS'])) == 0 and
          q.r32(BAR0 + ENG_REG(0, R['ENG_FAULT_CODE'])) == 0)

    # hostile: GART entry to unassigned bus address -> DMA_ERROR
    q.w32(BAR0 + CTX_REG(0, R['CTX_GART_BASE']), 0)
    q.w32(BAR0 + CTX_REG(0, R['CTX_GART_SIZE']), 4)
    q.w64(BAR0 + GART(0), 0xfff00000000 | R['GART_VALID'] | R['GART_WRITABLE'])
    va = R['VA_GART']
    q.w32(BAR0 + RING_REG(0, 0, R['RING_HEAD']), tail[0])
    emit(CMD(R['OP_FILL'], 0, R['FILL_LEN']), va & 0xffffffff, va >> 32, 64, 1)
    q.w32(BAR0 + RING_REG(0, 0, R['RING_TAIL']), tail[0])
    q.w32(BAR0 + ENG_REG(0, R['ENG_CTRL']), R['ENG_CTRL_START'])
    st = wait_state(q, 0, R['ENG_STATE_FAULTED'])
    fc = q.r32(BAR0 + ENG_REG(0, R['ENG_FAULT_CODE']))
    check('DMA to nowhere -> FAULT_DMA_ERROR', fc == R['FAULT_DMA_ERROR'], str(fc))
    # GART to guest RAM works
    q.w64(BAR0 + GART(1), 0x100000 | R['GART_VALID'] | R['GART_WRITABLE'])
    q.cmd('writeq 0x100000 0x0')
    q.w32(BAR0 + RING_REG(0, 0, R['RING_HEAD']), tail[0])
    emit(CMD(R['OP_FILL'], 0, R['FILL_LEN']), (va + 4096) & 0xffffffff, va >> 32, 8, 0xabcd1234)
    q.w32(BAR0 + RING_REG(0, 0, R['RING_TAIL']), tail[0])
    q.w32(BAR0 + ENG_REG(0, R['ENG_CTRL']), R['ENG_CTRL_START'])
    st = wait_state(q, 0, R['ENG_STATE_WAITING'])
    check('FILL through GART into guest RAM', q.cmd('readq 0x100000') == 0xabcd1234abcd1234)

    # whole-device reset
    q.w32(BAR0 + R['REG_SCRATCH'], 0x55)
    q.w32(BAR0 + R['REG_RESET'], R['RESET_MAGIC'])
    check('REG_RESET clears registers',
          q.r32(BAR0 + R['REG_SCRATCH']) == 0 and
          q.r32(BAR0 + CTX_REG(0, R['CTX_CTRL'])) == 0 and
          q.r32(BAR0 + ENG_REG(0, R['ENG_STATUS'])) == 0 and
          q.r64(BAR0 + GART(1)) == 0)
    check('REG_RESET keeps VRAM', q.r32(BAR2 + vb + out) == want)
    check('timestamp restarted', q.r64(BAR0 + R['REG_TIMESTAMP_LO']) < 1000000)

    # FLR through the PCIe DevCtl
    q.w32(BAR0 + R['REG_SCRATCH'], 0x66)
    q.cfg_w16(0x60 + 8, 0x8000)
    check('FLR resets config space', q.cfg_r32(0x04) & 0x6 == 0)
    q.cfg_w16(0x04, 0x6)
    check('FLR resets registers (BARs kept by QEMU)',
          q.cfg_r32(0x10) & ~0xf in (0, BAR0))
    q.cfg_w32(0x10, BAR0)
    check('FLR cleared SCRATCH', q.r32(BAR0 + R['REG_SCRATCH']) == 0)

    run_hostile(q)


def setup_ctx0(q, gart_pages):
    """ctx 0: VRAM window [1 MiB, +8 MiB), GART window entries [0, n)."""
    q.w32(BAR0 + ENG_REG(0, R['ENG_CTRL']), R['ENG_CTRL_RESET'])
    q.w32(BAR0 + ENG_REG(1, R['ENG_CTRL']), R['ENG_CTRL_RESET'])
    q.w64(BAR0 + CTX_REG(0, R['CTX_VRAM_BASE_LO']), 1 << 20)
    q.w64(BAR0 + CTX_REG(0, R['CTX_VRAM_SIZE_LO']), 8 << 20)
    q.w32(BAR0 + CTX_REG(0, R['CTX_GART_BASE']), 0)
    q.w32(BAR0 + CTX_REG(0, R['CTX_GART_SIZE']), len(gart_pages))
    q.w32(BAR0 + CTX_REG(0, R['CTX_CTRL']), R['CTX_CTRL_VALID'])
    for i, a in enumerate(gart_pages):
        q.w64(BAR0 + GART(i), a | R['GART_VALID'] | R['GART_WRITABLE'])


def ring0(q, e, ring_va, dws):
    """Write dws at ring_va (ctx 0, VRAM) as the ring of engine e, start."""
    vb = 1 << 20
    q.w64(BAR0 + RING_REG(0, e, R['RING_BASE_LO']), ring_va)
    q.w32(BAR0 + RING_REG(0, e, R['RING_SIZE']), 4096)
    q.w32(BAR0 + RING_REG(0, e, R['RING_HEAD']), 0)
    for i, d in enumerate(dws):
        q.w32(BAR2 + vb + ring_va + 4 * i, d)
    q.w32(BAR0 + RING_REG(0, e, R['RING_TAIL']), 4 * len(dws))
    q.w32(BAR0 + ENG_REG(e, R['ENG_CTX']), 0)
    q.w32(BAR0 + ENG_REG(e, R['ENG_CTRL']), R['ENG_CTRL_START'])


def run_hostile(q):
    va = R['VA_GART']
    q.cfg_w32(0x10, BAR0)                # BARs again after the FLR
    q.cfg_w32(0x18, BAR2)
    q.cfg_w32(0x1c, 0)
    q.cfg_w32(0x20, BAR4)
    q.cfg_w32(0x24, 0)
    q.cfg_w16(0x04, 0x6)                 # memory + bus master
    # An engine DMA that resets the whole device through BAR0.
    setup_ctx0(q, [BAR0])
    ring0(q, 0, 0, [CMD(R['OP_FILL'], 0, R['FILL_LEN']), (va + R['REG_RESET']) & 0xffffffff,
                    va >> 32, 4, R['RESET_MAGIC']])
    time.sleep(0.2)
    check('engine DMA writing REG_RESET resets the device',
          q.r32(BAR0 + CTX_REG(0, R['CTX_CTRL'])) == 0 and
          q.r32(BAR0 + ENG_REG(0, R['ENG_STATUS'])) == 0)
    # An engine DMA that resets its own engine.
    setup_ctx0(q, [BAR0 + R['CSR_ENGINE_BASE']])
    ring0(q, 0, 0, [CMD(R['OP_FILL'], 0, R['FILL_LEN']), (va + R['ENG_CTRL']) & 0xffffffff,
                    va >> 32, 4, R['ENG_CTRL_RESET']])
    time.sleep(0.2)
    check('engine DMA resetting its own engine',
          q.r32(BAR0 + ENG_REG(0, R['ENG_STATUS'])) == 0 and
          q.r32(BAR0 + ENG_REG(0, R['ENG_FAULT_CODE'])) == 0 and
          q.r32(BAR0 + CTX_REG(0, R['CTX_CTRL'])) == 1)
    # Engines looping on DMA reads of BAR0/BAR4 (MMIO: needs the BQL) while
    # the "vCPU" resets: no deadlock, every reset returns quickly.
    worst = 0.0
    for it in range(10):
        setup_ctx0(q, [BAR0, BAR4])
        batch = 0x8000
        b = [CMD(R['OP_COPY'], 0, R['COPY_LEN']), 0x20000, 0, va & 0xffffffff, va >> 32, 4096,
             CMD(R['OP_COPY'], 0, R['COPY_LEN']), 0x21000, 0, (va + 4096) & 0xffffffff,
             va >> 32, 4096,
             CMD(R['OP_BATCH_JUMP'], 0, R['BATCH_JUMP_LEN']), batch, 0, 4 * 16]
        for i, d in enumerate(b):
            q.w32(BAR2 + (1 << 20) + batch + 4 * i, d)
        call = [CMD(R['OP_BATCH_CALL'], 0, R['BATCH_CALL_LEN']), batch, 0, 4 * 16]
        ring0(q, 0, 0, call)
        ring0(q, 1, 0x1000, call)
        time.sleep(0.02)
        t0 = time.time()
        if it % 3 == 0:
            q.w32(BAR0 + R['REG_RESET'], R['RESET_MAGIC'])
        elif it % 3 == 1:
            q.cfg_w16(0x60 + 8, 0x8000)      # FLR
            q.cfg_w32(0x10, BAR0)
            q.cfg_w32(0x18, BAR2)
            q.cfg_w32(0x20, BAR4)
            q.cfg_w16(0x04, 0x6)
        else:
            q.w32(BAR0 + ENG_REG(0, R['ENG_CTRL']), R['ENG_CTRL_RESET'])
            q.w32(BAR0 + ENG_REG(1, R['ENG_CTRL']), R['ENG_CTRL_RESET'])
        worst = max(worst, time.time() - t0)
    check('resets under MMIO-DMA load return (worst %.1f ms)' % (worst * 1000),
          worst < 1.0 and q.r32(BAR0 + ENG_REG(0, R['ENG_STATUS'])) == 0 and
          q.r32(BAR0 + ENG_REG(1, R['ENG_STATUS'])) == 0)
    # A 10 s BUSY is abandoned at once by a reset.
    setup_ctx0(q, [])
    ring0(q, 0, 0, [CMD(R['OP_BUSY'], 0, R['BUSY_LEN']), 10000000000 & 0xffffffff,
                    10000000000 >> 32])
    q.step(1000000)
    t0 = time.time()
    q.w32(BAR0 + R['REG_RESET'], R['RESET_MAGIC'])
    check('reset abandons a long BUSY', time.time() - t0 < 0.5 and
          q.r32(BAR0 + ENG_REG(0, R['ENG_STATUS'])) == 0)
    # Bus mastering off: GART accesses fail with DMA_ERROR.
    setup_ctx0(q, [0x100000])
    q.cfg_w16(0x04, 0x2)
    ring0(q, 0, 0, [CMD(R['OP_FILL'], 0, R['FILL_LEN']), va & 0xffffffff, va >> 32, 4, 1])
    st = wait_state(q, 0, R['ENG_STATE_FAULTED'])
    check('bus master disabled -> DMA_ERROR',
          q.r32(BAR0 + ENG_REG(0, R['ENG_FAULT_CODE'])) == R['FAULT_DMA_ERROR'])
    q.cfg_w16(0x04, 0x6)


if __name__ == '__main__':
    sys.exit(main())
