// Every built-in lesson runs headless to the end and reaches each declared key moment, in order.
import { describe, expect, it } from 'vitest';
import { createTimeline, forward } from '../core/engine/timeline';
import type { SimEvent } from '../core/events';
import { locateKeyMoments } from '../core/view/keyMoments';
import { findScenario, SCENARIOS } from './index';

function runLog(id: string): SimEvent[][] {
  const spec = findScenario(id);
  if (!spec) throw new Error(id);
  const r = createTimeline(spec);
  if (!r.ok) throw new Error(r.error);
  while (forward(r.timeline) !== null) {}
  return r.timeline.log;
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
    const begins = ev.flatMap((e) => (e.type === 'shootdown.begin' ? [[e.pages, e.full]] : []));
    expect(begins).toEqual([
      [8, false],
      [64, true],
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
    const ev = tl.log.flat();
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
