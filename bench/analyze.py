#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench/guest-bench.sh's raw results into the benchmark table and a
timeline SVG of which client held each engine (from the tracepoints)."""
import glob
import os
import re
import sys

res = sys.argv[1] if len(sys.argv) > 1 else 'build/bench'
SLICE_NS = 2000000


def kv(path):
    d, clients = {}, []
    if not os.path.exists(path):
        return d, clients
    for line in open(path):
        p = line.split()
        if not p:
            continue
        if p[0] == 'client' and len(p) >= 8:
            clients.append({'ctx': int(p[1]), 'weight': int(p[3]),
                            'busy': float(p[5]), 'held': float(p[7])})
        elif len(p) == 2:
            try:
                d[p[0]] = float(p[1])
            except ValueError:
                pass
    return d, clients


EV = re.compile(r'\s(\d+\.\d+): (tessera_\w+): (.*)$')


def events(path):
    out = []
    if not os.path.exists(path):
        return out
    for line in open(path):
        m = EV.search(line)
        if not m:
            continue
        f = dict(x.split('=', 1) for x in m.group(3).split() if '=' in x)
        out.append((float(m.group(1)), m.group(2), f))
    return out


def pct(v, q):
    if not v:
        return float('nan')
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * q))]


rows = []


def retention(prefix):
    """(N, busy retention, held retention, Jain busy, Jain held, base)
    for each N-client saturate run, against the smallest N measured."""
    out, base = [], None
    for n in (1, 2, 4, 8, 16, 32, 64):
        d, _ = kv(os.path.join(res, '%s-%d.txt' % (prefix, n)))
        if 'busy_per_wall' not in d:
            continue
        if base is None:
            base = d
        out.append((n, d['busy_per_wall'] / base['busy_per_wall'],
                    d['held_per_wall'] / base['held_per_wall'],
                    d['jain_busy'], d['jain_held'], base))
    return out


# retention and fairness
ret_rows = [r[:5] for r in retention('sat')]
# weights
d, c = kv(os.path.join(res, 'weights.txt'))
werr_b = werr_h = float('nan')
if c:
    tw = sum(x['weight'] for x in c)
    werr_b = max(abs(x['busy'] - x['weight'] / tw) for x in c) * 100
    werr_h = max(abs(x['held'] - x['weight'] / tw) for x in c) * 100
# overrun
over = {}
for sl in (1000, 2000, 10000):
    ev = events(os.path.join(res, 'trace-overrun-%d.txt' % sl))
    pre = [f for _, n, f in ev
           if n == 'tessera_switch_out' and f.get('reason') == 'preempt']
    # wall: engine held beyond the moment the preemption was due (slice
    # end, or a later arrival) until the driver saw it stop;
    # device: how late the preemption was requested plus the device time
    # the client still got after the request (ENG_BUSY_NS)
    o = [int(f['ran_ns']) - int(f.get('due_ns', sl * 1000)) for f in pre]
    dev = [int(f.get('late_ns', 0)) + int(f.get('over_ns', 0)) for f in pre]
    late = [int(f.get('late_ns', 0)) for f in pre]
    after = [int(f.get('over_ns', 0)) for f in pre]
    over[sl] = (len(o), pct(o, .5), pct(o, .99), pct(dev, .5),
                pct(dev, .99), pct(late, .99), pct(after, .99))
# light latency
light = {}
for n in (4, 8):
    d, _ = kv(os.path.join(res, 'light-%d.txt' % n))
    if d:
        light[n] = d

# the same workload through one vGPU and through the native interface
rate = {}
for side in ('native', 'vgpu'):
    for w in ('stream', 'pingpong'):
        d, _ = kv(os.path.join(res, '%s-%s.txt' % (side, w)))
        if 'jobs_per_s' in d:
            rate[side, w] = d
# retention and fairness of N vGPUs
vret = retention('vgpu-sat')
vbase = vret[0][5] if vret else None
vret = [r[:5] for r in vret]


def row(metric, measured, target='', met=''):
    print('%-40s %-50s %-11s %s' % (metric, measured, target, met))


def yes(ok):
    return 'yes' if ok else 'no'


def ret_met(rb, rh, jb, jh):
    """retention >= 0.97 and Jain >= 0.999, of held and of busy time"""
    return 'held %s busy %s' % (yes(rh >= 0.97 and jh >= 0.999),
                                yes(rb >= 0.97 and jb >= 0.999))


print('Tessera time-slice scheduler benchmark (%s)' % res)
row('metric', 'measured', 'target', 'met')
print('-' * 108)
for n, rb, rh, jb, jh in ret_rows:
    row('retention / fairness, N=%d' % n,
        'busy %.3f held %.3f Jain busy %.4f held %.4f' % (rb, rh, jb, jh),
        '.97/.999', ret_met(rb, rh, jb, jh) if n > 1 else '')
row('share error, weights 1:2:4:8 (max)',
    'busy %.2f pp  held %.2f pp' % (werr_b, werr_h), '<= 1 pp',
    'held %s busy %s' % (yes(werr_h <= 1), yes(werr_b <= 1)))
for sl, (cnt, p50, p99, d50, d99, l99, a99) in over.items():
    row('slice overrun at %d us, wall' % sl,
        'p50 %.0f us p99 %.0f us (%.1f%% of slice, %d)' %
        (p50 / 1e3, p99 / 1e3, 100.0 * p99 / (sl * 1e3), cnt))
    row('slice overrun at %d us, device time' % sl,
        'p50 %.1f p99 %.1f us (%.1f%%): late p99 %.1f + after %.1f' %
        (d50 / 1e3, d99 / 1e3, 100.0 * d99 / (sl * 1e3), l99 / 1e3,
         a99 / 1e3),
        '<= 5%' if sl == 1000 else '',
        yes(d99 <= 0.05 * sl * 1e3) if sl == 1000 else '')
for n, d in light.items():
    bound = 1.1 * (n - 1) * SLICE_NS
    row('light-client latency, N=%d' % n,
        'p50 %.2f p99 %.2f max %.2f ms' % (d.get('lat_p50_ns', 0) / 1e6,
                                           d.get('lat_p99_ns', 0) / 1e6,
                                           d.get('lat_max_ns', 0) / 1e6),
        '<= %.1f ms' % (bound / 1e6),
        'p50 %s p99 %s' % (yes(d.get('lat_p50_ns', 0) <= bound),
                           yes(d.get('lat_p99_ns', 0) <= bound)))
# trapped CSR accesses per job: the vGPU counts (mdev csr_traps over the
# window); the native interface has none by construction (no BAR0 mapping)
tpj = ['%s %.3f' % (w, rate['vgpu', w]['traps_per_job'])
       for w in ('stream', 'pingpong')
       if 'traps_per_job' in rate.get(('vgpu', w), {})]
if tpj:
    worst = max(rate['vgpu', w]['traps_per_job'] for w in ('stream', 'pingpong')
                if 'traps_per_job' in rate.get(('vgpu', w), {}))
    row('CSR traps per job, doorbell path',
        'vGPU %s; native 0' % ' '.join(tpj), '0',
        yes(worst == 0))
else:
    row('CSR traps per job, doorbell path',
        'native 0; vGPU not measured', '0', '--')
for w in ('stream', 'pingpong'):
    nat, vg = rate.get(('native', w)), rate.get(('vgpu', w))
    if nat and vg and nat['jobs_per_s'] > 0:
        r = vg['jobs_per_s'] / nat['jobs_per_s']
        row('vGPU / native jobs/s, %s' % w,
            '%.3f (vGPU %.1f / native %.1f)' %
            (r, vg['jobs_per_s'], nat['jobs_per_s']), '>= 0.97',
            yes(r >= 0.97))
    else:
        row('vGPU / native jobs/s, %s' % w, 'not measured', '>= 0.97',
            '--')
for side in ('native', 'vgpu'):
    d = rate.get((side, 'pingpong'))
    if d and 'lat_p50_ns' in d:
        row('pingpong job latency, %s' % side,
            'p50 %.0f us p99 %.0f us max %.0f us' %
            (d['lat_p50_ns'] / 1e3, d['lat_p99_ns'] / 1e3,
             d['lat_max_ns'] / 1e3))
for n, rb, rh, jb, jh in vret:
    if n == 1:
        row('vGPU retention / fairness, N=1', 'busy/wall %.3f held/wall %.3f'
            % (vbase['busy_per_wall'], vbase['held_per_wall']))
        continue
    row('vGPU retention / fairness, N=%d' % n,
        'busy %.3f held %.3f Jain busy %.4f held %.4f' % (rb, rh, jb, jh),
        '.97/.999', ret_met(rb, rh, jb, jh))
storm, _ = kv(os.path.join(res, 'vgpu-storm.txt'))
# (phase, label, target): each storm phase against the baseline phase of
# its own rounds (vgpu_bench.c run_storm()).
for b, label, target in (
        ('default', 'bystander kept, IRQ storm, budget %g'
         % storm.get('storm_budget', 0), 0.90),
        ('none', 'bystander kept, IRQ storm, no budget', None),
        ('doorbell', 'bystander kept, doorbell storm', 0.90)):
    k = storm.get('storm_%s_kept' % b)
    tgt = '>= %.2f' % target if target else ''
    if k is None:
        row(label, 'not measured', tgt, '--')
        continue
    base = {'default': 'fence', 'none': 'fence', 'doorbell': 'spin'}[b]
    row(label, '%.3f (rounds %.3f-%.3f; %.0f vs %.0f jobs/s; host %.0f IRQs/s; '
        '%d storm slices, %d throttled)' % (
            k, storm.get('storm_%s_kept_min' % b, 0),
            storm.get('storm_%s_kept_max' % b, 0),
            storm.get('storm_%s_jobs_s' % b, 0),
            storm.get('storm_%s_jobs_s' % base, 0),
            storm.get('storm_%s_irqs_s' % b, 0),
            storm.get('storm_%s_storms' % b, 0),
            storm.get('storm_%s_throttled' % b, 0)),
        # met only if every round met it: the rounds' spread is the noise
        tgt, yes(storm.get('storm_%s_kept_min' % b, 0) >= target)
        if target else '')
print('stream: ring kept full of 1 ms BUSY jobs; pingpong: one BUSY 20 us '
      'job at a time, submit then wait.')
print('native waits in TESSERA_IOCTL_WAIT (fence interrupt); the vGPU polls '
      'the fence in VRAM (BAR2, no trap).')
print('native CSR traps: 0 by construction (BAR0 is never mapped to '
      'native clients).')
print('storm: vGPU B\'s pingpong on engine 0 while vGPU A keeps engine 1 '
      'busy with FENCE|IRQ commands (against the same commands without IRQ), '
      'or writes its engine-1 doorbell in a loop (against a loop writing '
      'VRAM); mean of the interleaved rounds.')

# timeline SVG: 300 ms of the weights run
ev = events(os.path.join(res, 'trace-weights.txt'))
spans, open_ = [], {}
for t, n, f in ev:
    key = (f.get('dev'), f.get('engine'))
    if n == 'tessera_switch_in':
        open_[key] = (t, int(f['ctx']))
    elif n == 'tessera_switch_out' and key in open_:
        t0, ctx = open_.pop(key)
        spans.append((int(f['engine']), ctx, t0, t))
if spans:
    t0 = min(s[2] for s in spans)
    win = 0.3
    W, H, X0 = 1200, 60, 80
    ctxs = sorted({s[1] for s in spans})
    col = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948',
           '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac']
    engines = sorted({s[0] for s in spans})
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' %
           (W + X0 + 20, 60 + H * len(engines) + 30 * ((len(ctxs) + 5) // 6))]
    svg.append('<text x="10" y="20">Engine ownership over %d ms '
               '(weights 1:2:4:8, best-effort, 2 ms slices)</text>' %
               (win * 1000))
    for i, e in enumerate(engines):
        y = 40 + i * H
        svg.append('<text x="10" y="%d">engine %d</text>' % (y + H / 2, e))
        for e2, ctx, a, b in spans:
            if e2 != e or a - t0 > win:
                continue
            x = X0 + (a - t0) / win * W
            w = max(0.5, (min(b, t0 + win) - a) / win * W)
            svg.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" '
                       'fill="%s"><title>ctx %d %.3f-%.3f ms</title></rect>' %
                       (x, y, w, H - 10, col[ctxs.index(ctx) % len(col)],
                        ctx, (a - t0) * 1e3, (b - t0) * 1e3))
    y = 40 + len(engines) * H + 10
    for j, ctx in enumerate(ctxs):
        x = X0 + (j % 6) * 180
        yy = y + 30 * (j // 6)
        svg.append('<rect x="%d" y="%d" width="14" height="14" fill="%s"/>'
                   '<text x="%d" y="%d">ctx %d</text>' %
                   (x, yy, col[j % len(col)], x + 20, yy + 12, ctx))
    svg.append('</svg>')
    path = os.path.join(res, 'timeline.svg')
    with open(path, 'w') as f:
        f.write('\n'.join(svg))
    print('timeline: %s' % path)
