// Every built-in lesson runs headless to the end and reaches each declared key moment, in order.
import { describe, expect, it } from 'vitest';
import { createTimeline, forward } from '../core/engine/timeline';
import type { SimEvent } from '../core/events';
import { locateKeyMoments } from '../core/view/keyMoments';
import { buildSnapshot } from '../core/view/snapshot';
import { findScenario, SCENARIOS } from './index';

function runLog(id: string): SimEvent[][] {
  const spec = findScenario(id);
  if (!spec) throw new Error(id);
  const r = createTimeline(spec);
  if (!r.ok) throw new Error(r.error);
  while (forward(r.timeline) !== null) {}
  // Lessons are far shorter than the log window, so every step's events are still there.
  return r.timeline.log.map((step) => step ?? []);
}

describe.each(SCENARIOS.map((s) => [s.id, s] as const))('lesson %s', (id, spec) => {
  it('reaches every key moment, in the declared order', () => {
    const found = locateKeyMoments(spec.keyMoments, runLog(id));
    expect(found.map((k) => k.label)).toEqual(spec.keyMoments.map((k) => k.label));
    const steps = found.map((k) => k.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });
});

describe('translation lessons', () => {
  it("walk-basics: four levels with the VA's indices, A set by the first walk, D by the write", () => {
    const ev = runLog('walk-basics').flat();
    const walks = ev.filter((e) => e.type === 'walk.level');
    expect(walks.slice(0, 4).map((e) => e.type === 'walk.level' && [e.level, e.index])).toEqual([
      [4, 254],
      [3, 233],
      [2, 227],
      [1, 215],
    ]);
    // The entry as the second walk (for D) reads it: A set by the first walk, D still clear.
    const pte = walks
      .filter((e) => e.type === 'walk.level' && e.level === 1)
      .map((e) => e.type === 'walk.level' && e.flags);
    expect(pte).toEqual(['P RW US NX', 'P RW US A NX']);
    expect(ev.filter((e) => e.type === 'tlb.hit')).toHaveLength(2);
    expect(ev.find((e) => e.type === 'access.done' && e.kind === 'read' && e.value === 42)).toBeDefined();
  });

  it('huge-pages: the 2 MiB walk reads three tables, the 1 GiB walk two, and INVLPG drops one entry', () => {
    const steps = runLog('huge-pages');
    const walkLevels = (accessVa: string) => {
      const step = steps.find((s) => s.some((e) => e.type === 'access' && e.va === accessVa)) ?? [];
      return step.flatMap((e) => (e.type === 'walk.level' ? [e.level] : []));
    };
    expect(walkLevels('0x7f0000200123')).toEqual([4, 3, 2]);
    expect(walkLevels('0x7f0040000789')).toEqual([4, 3]);
    const ev = steps.flat();
    expect(ev.find((e) => e.type === 'access.done' && e.va === '0x7f0067654321')).toMatchObject({
      pa: '0xa7654321',
    });
    expect(ev.find((e) => e.type === 'tlb.invalidate' && e.reason === 'INVLPG')).toMatchObject({
      removed: 1,
    });
    expect(ev.filter((e) => e.type === 'tlb.miss')).toHaveLength(3);
  });
});

describe('kernel lessons', () => {
  it('demand-zero: brk maps nothing; a read maps the zero page, a write a fresh frame, past the break is SIGSEGV', () => {
    const steps = runLog('demand-zero');
    const ev = steps.flat();
    const grow = ev.findIndex((e) => e.type === 'vma.grow');
    const firstFault = ev.findIndex((e) => e.type === 'fault.raised');
    expect(grow).toBeGreaterThanOrEqual(0);
    // Between brk and the first fault, no frame and no PTE.
    expect(ev.slice(grow, firstFault).some((e) => e.type === 'frame.alloc' || e.type === 'pte.write')).toBe(
      false,
    );
    expect(
      ev.filter((e) => e.type === 'fault.resolved').map((e) => e.type === 'fault.resolved' && e.how),
    ).toEqual(['zero-page', 'demand-zero', 'cow-copy']);
    const reads = ev.filter((e) => e.type === 'access.done' && e.kind === 'read');
    expect(reads.map((e) => e.type === 'access.done' && e.value)).toEqual([0, 7]);
    expect(ev.find((e) => e.type === 'signal')).toMatchObject({ code: 'SEGV_MAPERR', va: '0x55555555c008' });
  });

  it('segfault: error codes 4, 7 and 5 with CR2, and the matching signal codes', () => {
    const ev = runLog('segfault').flat();
    const faults = ev.flatMap((e) => (e.type === 'fault.raised' ? [[e.errorCode, e.va]] : []));
    expect(faults).toEqual([
      [4, '0x1000'],
      [7, '0x7f0000000010'],
      [5, '0xffffffff81000000'],
    ]);
    expect(ev.flatMap((e) => (e.type === 'signal' ? [e.code] : []))).toEqual([
      'SEGV_MAPERR',
      'SEGV_ACCERR',
      'SEGV_MAPERR',
    ]);
    // The kernel text is reached through the shared PML4 slot 511 and is supervisor-only.
    const kernelWalk = ev.filter((e) => e.type === 'walk.level' && e.core === 2);
    expect(kernelWalk.map((e) => e.type === 'walk.level' && e.index)).toEqual([511, 510, 8, 0]);
    expect(kernelWalk.at(-1)).toMatchObject({ flags: 'P A G' });
  });
});

describe('protocol rules of the monitor', () => {
  function rulesUnder(protocol: 'broken-early-ack' | 'broken-no-wait' | 'linux-x86'): string[] {
    const spec = structuredClone(
      findScenario('munmap-shootdown') as NonNullable<ReturnType<typeof findScenario>>,
    );
    spec.machine.protocol = protocol;
    const r = createTimeline(spec);
    if (!r.ok) throw new Error(r.error);
    while (forward(r.timeline) !== null) {}
    return r.timeline.log
      .flatMap((step) => step ?? [])
      .flatMap((e) => (e.type === 'invariant.violated' ? [e.rule] : []));
  }

  it('an ack sent before the invalidation is caught at the ack', () => {
    expect(rulesUnder('broken-early-ack')[0]).toBe('ack-before-invalidate');
  });

  it('an munmap that returns while its shootdown waits for acks is caught when it returns', () => {
    expect(rulesUnder('broken-no-wait')).toContain('unmap-returned-early');
  });

  it('each broken kernel trips its rule in its own lesson, and the leak is visible', () => {
    const rules = (id: string) =>
      runLog(id)
        .flat()
        .flatMap((e) => (e.type === 'invariant.violated' ? [e.rule] : []));
    expect(rules('no-local-flush-bug').slice(0, 2)).toEqual(['stale-tlb', 'freed-frame']);
    expect(rules('early-ack-bug').slice(0, 2)).toEqual(['ack-before-invalidate', 'ack-before-invalidate']);
    expect(rules('no-wait-bug')).toContain('unmap-returned-early');
    // After munmap returned, T1 still reads 42 through its stale entry: no fault, no signal.
    const ev = runLog('no-wait-bug').flat();
    const ret = ev.findIndex((e) => e.type === 'syscall.exit' && e.name === 'munmap');
    const leak = ev.findIndex((e) => e.type === 'access.done' && e.core === 1 && e.value === 42);
    expect(ret).toBeGreaterThan(0);
    expect(leak).toBeGreaterThan(ret);
    expect(ev.find((e) => e.type === 'frame.free')).toMatchObject({ afterFlush: false });
  });

  it('neither fires on the correct kernel', () => {
    expect(rulesUnder('linux-x86')).toEqual([]);
  });
});

describe('the broken kernels', () => {
  it("no-shootdown-bug: T1 reads process 2's secret through its stale entry, then corrupts it", () => {
    const ev = runLog('no-shootdown-bug').flat();
    expect(ev.some((e) => e.type === 'ipi.sent')).toBe(false);
    const rules = ev.flatMap((e) => (e.type === 'invariant.violated' ? [e.rule] : []));
    expect(rules).toEqual(['stale-tlb', 'freed-frame', 'freed-frame']);
    const done = ev.filter((e) => e.type === 'access.done');
    expect(done.some((e) => e.type === 'access.done' && e.core === 1 && e.value === 0x5ec2e7)).toBe(true);
    expect(done.at(-1)).toMatchObject({ core: 3, kind: 'read', value: 666 });
    const leak = ev.find((e) => e.type === 'invariant.violated' && e.explanation.includes('process 2'));
    expect(leak).toBeDefined();
  });

  it("free-before-ack-bug: the leak happens inside the IPI's flight time", () => {
    const ev = runLog('free-before-ack-bug').flat();
    const free = ev.findIndex((e) => e.type === 'frame.free');
    const leak = ev.findIndex((e) => e.type === 'access.done' && e.core === 1 && e.value === 0x5ec2e7);
    const recv = ev.findIndex((e) => e.type === 'ipi.received' && e.core === 1);
    expect(free).toBeGreaterThan(0);
    expect(leak).toBeGreaterThan(free);
    expect(recv).toBeGreaterThan(leak);
    expect(ev.find((e) => e.type === 'frame.free')).toMatchObject({ afterFlush: false });
  });

  it('lazy-tlb: a lazy core is skipped, then included once page tables are freed', () => {
    const ev = runLog('lazy-tlb').flat();
    const begins = ev.flatMap((e) => (e.type === 'shootdown.begin' ? [e] : []));
    expect(begins.map((b) => [b.targets, b.skipped.map((s) => s.core), b.freedTables])).toEqual([
      [[], [1], false],
      [[1], [], true],
    ]);
    // Woken after the first shootdown, core 1 flushes the whole PCID on the way back in.
    const wake = ev.findIndex((e) => e.type === 'thread.wake');
    const flush = ev.findIndex((e, i) => i > wake && e.type === 'tlb.invalidate' && e.core === 1);
    expect(ev[flush]).toMatchObject({ scope: 'asid' });
    expect(ev.some((e) => e.type === 'lazy.leave' && e.core === 1)).toBe(true);
    // The page-table page is freed only after core 1's ack.
    const ack = ev.findIndex((e) => e.type === 'ipi.acked');
    const freedTable = ev.findIndex((e) => e.type === 'frame.free' && e.step > ev[ack]!.step);
    expect(freedTable).toBeGreaterThan(ack);
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('flush-ceiling: 8 pages go one INVLPG at a time, 64 pages become one full flush', () => {
    const ev = runLog('flush-ceiling').flat();
    const begins = ev.flatMap((e) => (e.type === 'shootdown.begin' ? [[e.pages, e.full, e.ceiling]] : []));
    expect(begins).toEqual([
      [8, false, undefined],
      [64, true, 33],
    ]);
    const core1 = ev.flatMap((e) => (e.type === 'tlb.invalidate' && e.core === 1 ? [e.scope] : []));
    expect(core1).toEqual([...Array(8).fill('page'), 'asid']);
  });

  it("cpumask-race: core 2 switching in mid-shootdown is both IPI'd and flushed on load", () => {
    const ev = runLog('cpumask-race').flat();
    const begin = ev.find((e) => e.type === 'shootdown.begin');
    expect(begin).toMatchObject({ targets: [2] });
    const set = ev.findLastIndex((e) => e.type === 'cpumask.set' && e.core === 2 && e.pid === 1);
    const bump = ev.findIndex((e) => e.type === 'tlb.gen');
    const read = ev.findLastIndex((e) => e.type === 'switch.gen' && e.core === 2 && e.pid === 1);
    // The interleaving the lesson is about: mask bit set, then the initiator's bump, then the read.
    expect(set).toBeLessThan(bump);
    expect(bump).toBeLessThan(read);
    expect(ev[read]).toMatchObject({ gen: 2, behind: true });
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
    expect(ev.find((e) => e.type === 'fault.raised')).toMatchObject({ core: 2, kind: 'not-present' });
  });

  it('cpumask-race-broken: reading tlb_gen first loses the race and a stale entry survives', () => {
    const ev = runLog('cpumask-race-broken').flat();
    const read = ev.findLastIndex((e) => e.type === 'switch.gen' && e.core === 2 && e.pid === 1);
    const bump = ev.findIndex((e) => e.type === 'tlb.gen');
    const set = ev.findLastIndex((e) => e.type === 'cpumask.set' && e.core === 2 && e.pid === 1);
    expect(read).toBeLessThan(bump);
    expect(bump).toBeLessThan(set);
    expect(ev.find((e) => e.type === 'shootdown.begin')).toMatchObject({ targets: [] });
    const rules = ev.flatMap((e) => (e.type === 'invariant.violated' ? [e.rule] : []));
    expect(rules).toContain('stale-tlb');
    expect(rules).toContain('freed-frame');
    expect(ev.some((e) => e.type === 'tlb.hit' && e.core === 2)).toBe(true);
    expect(ev.some((e) => e.type === 'fault.raised')).toBe(false);
  });

  it('upgrade-needs-no-ipi: no IPI, exactly one spurious fault, and the write lands', () => {
    const ev = runLog('upgrade-needs-no-ipi').flat();
    expect(ev.some((e) => e.type === 'ipi.sent' || e.type === 'shootdown.begin')).toBe(false);
    expect(ev.filter((e) => e.type === 'fault.raised')).toHaveLength(1);
    expect(ev.find((e) => e.type === 'fault.resolved')).toMatchObject({ how: 'spurious' });
    expect(ev.filter((e) => e.type === 'access.done' && e.kind === 'write')).toHaveLength(2);
    expect(ev.some((e) => e.type === 'signal' || e.type === 'invariant.violated')).toBe(false);
  });

  it('upgrade-linux-ipi: Linux flushes a read-only to read-write change with an IPI, and nothing faults', () => {
    const ev = runLog('upgrade-linux-ipi').flat();
    expect(ev.filter((e) => e.type === 'ipi.sent').map((e) => (e.type === 'ipi.sent' ? e.to : -1))).toEqual([
      1,
    ]);
    expect(ev.some((e) => e.type === 'fault.raised')).toBe(false);
  });

  it('copy-on-write: each side sees its own value, the frame count is right, and no signal', () => {
    const spec = findScenario('copy-on-write')!;
    const r = createTimeline(spec);
    if (!r.ok) throw new Error(r.error);
    const tl = r.timeline;
    let shared = -1;
    while (forward(tl) !== null) {
      const ev = tl.log[tl.m.step - 1]!;
      if (ev.some((e) => e.type === 'syscall.exit' && e.name === 'fork')) {
        // Right after fork: one frame, two mappers, reference count 2.
        const frames = [...tl.m.mem.used.entries()].filter(([, i]) => i.kind === 'anon');
        expect(frames).toHaveLength(1);
        shared = frames[0]![0];
        expect(frames[0]![1]).toMatchObject({ refcount: 2, mappers: [1, 2] });
      }
    }
    const ev = tl.log.flatMap((step) => step ?? []);
    const values = (core: number, kind: string) =>
      ev.flatMap((e) => (e.type === 'access.done' && e.core === core && e.kind === kind ? [e.value] : []));
    expect(values(1, 'read')).toEqual([1, 2]);
    expect(values(0, 'read')).toEqual([3]);
    expect(ev.flatMap((e) => (e.type === 'fault.resolved' ? [e.how] : []))).toEqual([
      'cow-copy',
      'cow-reuse',
    ]);
    expect(ev.some((e) => e.type === 'signal' || e.type === 'invariant.violated')).toBe(false);
    // fork's flush_tlb_mm interrupts the parent's other core, and only it.
    expect(ev.flatMap((e) => (e.type === 'ipi.sent' ? [e.to] : []))).toEqual([2]);
    expect(tl.m.mem.used.get(shared)).toMatchObject({ refcount: 1, mappers: [1] });
  });

  it('munmap-shootdown (the correct kernel) never trips the monitor', () => {
    expect(
      runLog('munmap-shootdown')
        .flat()
        .some((e) => e.type === 'invariant.violated'),
    ).toBe(false);
  });
});

describe('tlb-hierarchy (the skylake preset)', () => {
  const PAGE0 = '0x7f0000000000';
  const page = (i: number) => `0x${(0x7f0000000000 + i * 0x1000).toString(16)}`;

  it('walks each of the 80 pages once, caching each in the L1 dTLB and the STLB', () => {
    const ev = runLog('tlb-hierarchy').flat();
    const fills = ev.flatMap((e) => (e.type === 'tlb.fill' ? [e] : []));
    expect(fills).toHaveLength(80);
    expect(fills.every((f) => f.arrays?.join() === 'L1 dTLB 4K,STLB 4K+2M')).toBe(true);
    expect(ev.filter((e) => e.type === 'walk.level')).toHaveLength(80 * 4);
    expect(ev.filter((e) => e.type === 'tlb.miss')).toHaveLength(80);
    // 80 pages overflow the 64-entry L1 dTLB: 16 evictions, all from the L1; the STLB keeps every page.
    const evictions = fills.flatMap((f) => f.evictions ?? []);
    expect(evictions).toHaveLength(16);
    expect(evictions.every((v) => v.array === 'L1 dTLB 4K')).toBe(true);
    expect(evictions.map((v) => v.va)).toEqual(Array.from({ length: 16 }, (_, i) => page(i)));
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('re-reading the first pages hits the STLB without a walk, refills the L1, then hits the L1', () => {
    const steps = runLog('tlb-hierarchy');
    const hits = steps.flat().flatMap((e) => (e.type === 'tlb.hit' ? [e] : []));
    expect(hits.map((h) => [h.va, h.level])).toEqual([
      [PAGE0, 'l2'],
      [page(1), 'l2'],
      [page(2), 'l2'],
      [page(3), 'l2'],
      [PAGE0, 'l1d'],
    ]);
    expect(hits.slice(0, 4).every((h) => h.array === 'STLB 4K+2M' && h.refill === 'L1 dTLB 4K')).toBe(true);
    // No step with an STLB hit reads a page table.
    for (const s of steps.filter((s) => s.some((e) => e.type === 'tlb.hit'))) {
      expect(s.some((e) => e.type === 'walk.level' || e.type === 'tlb.miss')).toBe(false);
    }
    // What each access costs (one core, so the next step starts when this one ends): a miss is the
    // 12-cycle probe plus a 4-level walk, an STLB hit 12 cycles, an L1 hit 1.
    const cost = (pred: (s: SimEvent[]) => boolean): number => {
      const i = steps.findIndex(pred);
      return (steps[i + 1]?.[0]?.tick ?? Number.NaN) - (steps[i]?.[0]?.tick ?? Number.NaN);
    };
    const hitAt = (level: string) => (s: SimEvent[]) =>
      s.some((e) => e.type === 'tlb.hit' && e.level === level);
    expect(cost((s) => s.some((e) => e.type === 'tlb.miss'))).toBe(12 + 4 * 5);
    expect(cost(hitAt('l2'))).toBe(12);
    expect(cost(hitAt('l1d'))).toBe(1);
  });

  it('ends with both levels in the snapshot: 64 L1 dTLB entries and 80 STLB entries, the iTLB empty', () => {
    const spec = findScenario('tlb-hierarchy');
    if (!spec) throw new Error('tlb-hierarchy');
    const r = createTimeline(spec);
    if (!r.ok) throw new Error(r.error);
    while (forward(r.timeline) !== null) {}
    const m = r.timeline.m;
    expect(m.cores[0]!.tlb.stats).toMatchObject({ l1dHits: 1, l2Hits: 4, misses: 80 });
    const view = buildSnapshot(
      m,
      [],
      r.timeline.log.flatMap((step) => step ?? []),
      r.timeline.end,
      [],
    ).tlbs[0]!;
    const count = (name: string) => view.levels.find((l) => l.name === name)?.entries.length;
    expect(count('L1 dTLB 4K')).toBe(64);
    expect(count('STLB 4K+2M')).toBe(80);
    expect(count('L1 iTLB 4K')).toBe(0);
    expect(view.levels.map((l) => l.label)).toEqual(['L1i', 'L1i', 'L1d', 'L1d', 'L1d', 'L2', 'L2']);
    expect(view.entries).toHaveLength(144);
    expect(view.entries.every((e) => e.status === 'ok')).toBe(true);
    expect([view.hits, view.misses]).toEqual([5, 80]);
  });
});

describe('arm-broadcast and riscv-sbi-fence (lesson 17: the munmap on ARM64 and RISC-V)', () => {
  const run = (id: string) => {
    const spec = findScenario(id);
    if (!spec) throw new Error(id);
    const r = createTimeline(spec);
    if (!r.ok) throw new Error(r.error);
    while (forward(r.timeline) !== null) {}
    // Lessons are far shorter than the log window, so every step's events are still there.
    return { ev: r.timeline.log.flatMap((step) => step ?? []), stats: r.timeline.m.stats };
  };
  const at = (ev: SimEvent[], p: (e: SimEvent) => boolean) => ev.findIndex(p);

  it('ARM64: DSB ISHST, one TLBI VALE1IS, DSB ISH, then the free; no IPI and no handler anywhere', () => {
    const { ev, stats } = run('arm-broadcast');
    expect(ev.some((e) => e.type.startsWith('ipi.') || e.type.startsWith('shootdown.b'))).toBe(false);
    expect(stats.ipis).toBe(0);
    expect(stats.handlerCycles).toEqual([0, 0, 0, 0]);
    const cleared = at(ev, (e) => e.type === 'pte.write' && e.pid === 1 && e.new === '0x0000000000000000');
    const ishst = at(ev, (e) => e.type === 'dsb' && e.domain === 'ishst');
    const tlbi = at(ev, (e) => e.type === 'tlbi');
    const ish = at(ev, (e) => e.type === 'dsb' && e.domain === 'ish');
    const end = at(ev, (e) => e.type === 'shootdown.end');
    const free = at(ev, (e) => e.type === 'frame.free');
    const ret = at(ev, (e) => e.type === 'syscall.exit' && e.name === 'munmap');
    expect(
      [cleared, ishst, tlbi, ish, end, free, ret].every(
        (i, k, a) => i >= 0 && (k === 0 || i > (a[k - 1] ?? 0)),
      ),
    ).toBe(true);
    expect(ev[tlbi]).toMatchObject({ core: 0, pid: 1, op: 'VALE1IS', asid: 1, pages: 1, reaches: [1, 2, 3] });
    expect(ev[tlbi]?.type === 'tlbi' && ev[tlbi].vas).toEqual(['0x7f0000001000']);
    // The initiator's own TLB drops the page as the TLBI issues; the others only when DSB ISH ends.
    expect(ev[tlbi + 1]).toMatchObject({ type: 'tlb.invalidate', core: 0, va: '0x7f0000001000', removed: 1 });
    const dsb = ev[ish];
    const sdEnd = ev[end];
    expect(dsb?.type === 'dsb' && sdEnd?.type === 'shootdown.end' && dsb.waited === sdEnd.waited).toBe(true);
    expect(dsb?.type === 'dsb' && dsb.waited).toBeGreaterThan(0);
    expect(stats.waitCycles[0]).toBe(dsb?.type === 'dsb' ? dsb.waited : -1);
  });

  it('ARM64: the broadcast reaches every core, core 3 running another process too, with no code run there', () => {
    const { ev } = run('arm-broadcast');
    const tlbi = at(ev, (e) => e.type === 'tlbi');
    const ish = at(ev, (e) => e.type === 'dsb' && e.domain === 'ish');
    const remote = ev.slice(tlbi, ish).flatMap((e) => (e.type === 'tlbi.remote' ? [e] : []));
    expect(remote.map((r) => [r.core, r.from, r.op, r.removed, r.mmPid, r.lazy])).toEqual([
      [1, 0, 'VALE1IS', 1, 1, false],
      [2, 0, 'VALE1IS', 1, 1, false],
      [3, 0, 'VALE1IS', 0, 2, false],
    ]);
    // Between the TLBI and the end of the DSB, the other cores only show their TLBs completing it.
    const others = ev.slice(tlbi + 1, ish).filter((e) => 'core' in e && e.core !== 0);
    expect(others.every((e) => e.type === 'tlbi.remote' || e.type === 'tlb.invalidate')).toBe(true);
    expect(others.filter((e) => e.type === 'tlb.invalidate').map((e) => 'core' in e && e.core)).toEqual([
      1, 2,
    ]);
    // Core 3's own entry (ASID 2) survives the broadcast for ASID 1: its next read hits.
    expect(at(ev, (e) => e.type === 'tlb.hit' && e.core === 3 && e.va === '0x400000')).toBeGreaterThan(ish);
    // After the free, T1 faults on the unmapped page: no stale translation was left, and no violation.
    const fault = at(ev, (e) => e.type === 'fault.raised' && e.core === 1);
    expect(fault).toBeGreaterThan(at(ev, (e) => e.type === 'frame.free'));
    expect(ev.find((e) => e.type === 'signal')).toMatchObject({
      tid: 1,
      signal: 'SIGSEGV',
      code: 'SEGV_MAPERR',
    });
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('RISC-V: one ecall; the firmware IPIs cores 1 and 2 (mm_cpumask), fences each in M-mode, then returns', () => {
    const { ev, stats } = run('riscv-sbi-fence');
    const ecall = at(ev, (e) => e.type === 'sbi.ecall');
    expect(ev[ecall]).toMatchObject({ core: 0, pid: 1, harts: [0, 1, 2], asid: 1, pages: 1, whole: false });
    expect(ev.flatMap((e) => (e.type === 'ipi.sent' ? [[e.from, e.to]] : []))).toEqual([
      [0, 1],
      [0, 2],
    ]);
    // The kernel on the targets takes no interrupt: M-mode does, and the kernel's handler never runs.
    expect(ev.some((e) => e.type === 'ipi.received')).toBe(false);
    const ret = at(ev, (e) => e.type === 'sbi.return');
    for (const core of [1, 2]) {
      const rf = at(ev, (e) => e.type === 'sbi.rfence' && e.core === core);
      const inv = at(ev, (e) => e.type === 'tlb.invalidate' && e.core === core);
      const ack = at(ev, (e) => e.type === 'ipi.acked' && e.from === core);
      expect(ev[rf]).toMatchObject({ from: 0, asid: 1, pages: 1, whole: false, mmPid: 1 });
      expect(ev[inv]).toMatchObject({ scope: 'page', va: '0x7f0000001000', removed: 1 });
      expect(rf > ecall && inv > rf && ack > inv && ret > ack).toBe(true);
    }
    // Core 3 runs another process and was never in process 1's mm_cpumask: left alone.
    expect(
      ev.some((e) => 'core' in e && e.core === 3 && (e.type === 'sbi.rfence' || e.type === 'tlb.invalidate')),
    ).toBe(false);
    expect(stats.ipis).toBe(2);
    expect(stats.handlerCycles[1]).toBeGreaterThan(0);
    expect(stats.handlerCycles[3]).toBe(0);
    const r = ev[ret];
    const end = ev.find((e) => e.type === 'shootdown.end');
    expect(r?.type === 'sbi.return' && end?.type === 'shootdown.end' && r.waited === end.waited).toBe(true);
    expect(at(ev, (e) => e.type === 'frame.free')).toBeGreaterThan(ret);
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });
});
