// What the kernel address-space lessons teach, checked on their runs.
import { describe, expect, it } from 'vitest';
import { readEntry } from '../core/arch/x86_64/walk';
import { createTimeline, forward } from '../core/engine/timeline';
import type { SimEvent } from '../core/events';
import { findScenario } from './index';

function runLesson(id: string) {
  const spec = findScenario(id);
  if (!spec) throw new Error(id);
  const r = createTimeline(spec);
  if (!r.ok) throw new Error(r.error);
  while (forward(r.timeline) !== null) {}
  return { ev: r.timeline.log.flatMap((s) => s ?? []), m: r.timeline.m };
}

const of = <T extends SimEvent['type']>(ev: SimEvent[], type: T) =>
  ev.filter((e): e is Extract<SimEvent, { type: T }> => e.type === type);

describe('kernel-half-shared', () => {
  it('two PML4s, one kernel PDPT; no IPI to map, every core interrupted to unmap; entries survive switches', () => {
    const { ev } = runLesson('kernel-half-shared');
    const roots = new Map(of(ev, 'kernel.pml4').map((e) => [e.pid, e]));
    expect(roots.get(1)?.pml4).not.toBe(roots.get(2)?.pml4);
    expect(roots.get(1)?.pdpt).toBe(roots.get(2)?.pdpt);
    const unmap = ev.findIndex((e) => e.type === 'kernel.unmap');
    expect(ev.slice(0, unmap).some((e) => e.type === 'ipi.sent')).toBe(false);
    expect(of(ev, 'ipi.sent').map((e) => e.to)).toEqual([0, 2]);
    // T2 (process 2) hits the global entry process 1's T0 cached, after a CR3 switch on core 0.
    const sw = ev.findIndex((e) => e.type === 'context.switch' && e.core === 0 && e.toTid === 2);
    const hit = ev.findIndex(
      (e, i) => i > sw && e.type === 'tlb.hit' && e.core === 0 && e.va === '0xffffffff81002000',
    );
    expect(hit).toBeGreaterThan(sw);
    expect(ev.slice(sw, hit).some((e) => e.type === 'tlb.fill' && e.va === '0xffffffff81002000')).toBe(false);
    const back = ev.findIndex(
      (e) =>
        e.type === 'context.switch' && e.core === 0 && e.toTid === 0 && e.fromTid < 0 && ev.indexOf(e) > hit,
    );
    expect(ev[back]).toMatchObject({ flush: false, asid: 1 });
    expect(
      ev.findIndex((e, i) => i > back && e.type === 'tlb.hit' && e.va === '0x7f0000000000'),
    ).toBeGreaterThan(back);
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });
});

describe('kpti', () => {
  it('two PCIDs, no flush on entry or exit, and the user PGD has no kernel data', () => {
    const { ev, m } = runLesson('kpti');
    const p1 = m.procs.find((p) => p.pid === 1);
    if (!p1) throw new Error('no process');
    const writes = of(ev, 'cr3.write').filter((e) => e.core === 0);
    expect(writes.every((e) => e.noflush && e.removed === 0)).toBe(true);
    expect(new Set(writes.map((e) => `${e.table}:${e.pcid}:${e.pgd}`))).toEqual(
      new Set([`kernel:1:${p1.rootPfn}`, `user:2049:${p1.rootPfn + 1}`]),
    );
    expect(
      new Set(
        of(ev, 'tlb.fill')
          .filter((e) => e.core === 0)
          .map((e) => e.asid),
      ),
    ).toEqual(new Set([1, 0x801]));
    // The kernel data page: mapped in the kernel PGD's tables, absent from the user PGD's.
    const userWalk = of(ev, 'walk.level').filter((e) => e.core === 0 && e.level === 4 && e.index === 511);
    expect(userWalk.map((e) => e.table)).toContain(p1.rootPfn + 1);
    expect(of(ev, 'fault.raised').map((e) => [e.core, e.kind, e.errorCode])).toEqual([
      [0, 'not-present', 4],
      [1, 'protection', 5],
    ]);
    expect(readEntry(m.mem, p1.rootPfn, 254)).toEqual(readEntry(m.mem, p1.rootPfn + 1, 254));
  });
});

describe('recursive-mapping', () => {
  it('each read through the slot returns the low word of the entry the walk used', () => {
    const { ev, m } = runLesson('recursive-mapping');
    const p = m.procs[0];
    if (!p) throw new Error('no process');
    // The write's own walk, top level first: the real entries.
    const real = of(ev, 'walk.level').slice(0, 4);
    const reads = of(ev, 'access.done').filter((e) => e.kind === 'read');
    const levels = of(ev, 'selfmap.va').map((e) => e.level);
    expect(levels).toEqual(['pte', 'pde', 'pdpte', 'pml4e']);
    // PTE is the walk's level 1 entry, PDE level 2, ... PML4E level 4; the A/D bits the write
    // set are in them, so compare with the tables as they are now.
    for (const [i, level] of [1, 2, 3, 4].entries()) {
      const w = real.find((l) => l.level === level);
      if (!w) throw new Error('no walk level');
      expect(reads[i]?.value).toBe(readEntry(m.mem, w.table, w.index)[0]);
    }
    expect(real[0]?.table).toBe(p.rootPfn);
    expect(of(ev, 'fault.raised')[0]).toMatchObject({ kind: 'protection', errorCode: 5 });
  });
});
