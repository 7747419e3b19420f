import { describe, expect, it } from 'vitest';
import { newWalkOut } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import type { EventBody, SimEvent } from '../events';
import { stepAccess } from '../kernel/access';
import { createMachine } from '../kernel/build';
import type { Machine } from '../machine';
import type { ScenarioSpec, TlbSpec } from '../spec';
import { coreTlbEntries } from '../tlb/machineTlb';
import { TLBF_D } from '../tlb/tlb';
import { translate } from './translate';

function oneCore(prot: 'r' | 'rw' | 'rx' = 'rw', tlb: TlbSpec = { sets: 4, ways: 2 }, pages = 2): Machine {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 64 + pages, tlb, protocol: 'linux-x86' },
    processes: [{ pid: 1, name: 'p', vmas: [{ start: '0x10000', pages, prot, populate: true }] }],
    threads: [{ tid: 0, pid: 1, core: 0, program: [] }],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const m = r.machine;
  const core = m.cores[0]!;
  const proc = m.procs[0]!;
  core.cr3Pfn = proc.rootPfn;
  core.pcid = proc.pcid;
  core.mmPid = proc.pid;
  return m;
}

describe('translate (TLB + walk)', () => {
  it('misses, fills, then hits without reading the page tables at all', () => {
    const m = oneCore();
    const core = m.cores[0]!;
    const out = newWalkOut();
    expect(translate(m, core, 0x10, 'read', true, out, null)).toBe(true);
    const pfn = out.pfn;
    expect(m.stats).toMatchObject({ tlbMisses: 1, tlbHits: 0 });
    // Remove every page-table frame from memory: a hit must not notice.
    for (const p of [...m.mem.used.entries()].filter(([, i]) => i.kind === 'pagetable').map(([p]) => p)) {
      m.mem.frames[p] = undefined;
    }
    expect(translate(m, core, 0x10, 'read', true, out, null)).toBe(true);
    expect(out.pfn).toBe(pfn);
    expect(m.stats).toMatchObject({ tlbMisses: 1, tlbHits: 1 });
    // A different page needs a walk, which now finds nothing.
    expect(translate(m, core, 0x11, 'read', true, out, null)).toBe(false);
    expect(out.fault).toBe('not-present');
  });

  it('walks again on a write through an entry cached with D clear, and sets D', () => {
    const m = oneCore();
    const core = m.cores[0]!;
    const out = newWalkOut();
    const events: string[] = [];
    translate(m, core, 0x10, 'read', true, out, (e) => events.push(e.type));
    translate(m, core, 0x10, 'write', true, out, (e) => events.push(e.type));
    translate(m, core, 0x10, 'write', true, out, (e) => events.push(e.type));
    expect(events.filter((t) => t === 'tlb.miss')).toHaveLength(2);
    expect(events[events.length - 1]).toBe('tlb.hit');
  });

  it('faults from the cached rights and drops the entry (a #PF invalidates its page)', () => {
    const m = oneCore('r');
    const core = m.cores[0]!;
    const out = newWalkOut();
    expect(translate(m, core, 0x10, 'read', true, out, null)).toBe(true);
    expect(translate(m, core, 0x10, 'write', true, out, null)).toBe(false);
    expect(out.fault).toBe('protection');
    expect(out.errorCode).toBe(7);
    expect(coreTlbEntries(core.tlb)).toEqual([]);
  });

  it('never caches a not-present translation', () => {
    const m = oneCore();
    const core = m.cores[0]!;
    const out = newWalkOut();
    expect(translate(m, core, 0x999, 'read', true, out, null)).toBe(false);
    expect(coreTlbEntries(core.tlb)).toEqual([]);
  });
});

/** Where each cached copy of a page is, by array name. */
function arraysHolding(m: Machine, vpn: number): string[] {
  return coreTlbEntries(m.cores[0]!.tlb)
    .filter((e) => e.vpn === vpn)
    .map((e) => e.arrayName);
}

describe('translate with a TLB hierarchy (skylake preset)', () => {
  const skylake: TlbSpec = { preset: 'skylake' };

  it('fills the L1 dTLB and the STLB after a walk, then hits the L1 at the L1 cost', () => {
    const m = oneCore('rw', skylake);
    const core = m.cores[0]!;
    const out = newWalkOut();
    const events: SimEvent[] = [];
    const emit = (e: EventBody) => events.push({ ...e, step: 0, tick: 0 } as SimEvent);
    expect(translate(m, core, 0x10, 'read', true, out, emit)).toBe(true);
    expect(core.tlb.stats.cycles).toBe(12);
    expect(arraysHolding(m, 0x10)).toEqual(['L1 dTLB 4K', 'STLB 4K+2M']);
    expect(events.find((e) => e.type === 'tlb.miss')).toMatchObject({ side: 'l1d', cycles: 12 });
    expect(events.find((e) => e.type === 'tlb.fill')).toMatchObject({
      arrays: ['L1 dTLB 4K', 'STLB 4K+2M'],
      evictions: [],
    });
    events.length = 0;
    expect(translate(m, core, 0x10, 'read', true, out, emit)).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'tlb.hit', level: 'l1d', array: 'L1 dTLB 4K', cycles: 1 });
    expect(core.tlb.stats.cycles).toBe(13);
    expect([core.tlbHits, core.tlbMisses]).toEqual([1, 1]);
  });

  it('an L1 miss that hits the STLB refills the L1 without a walk, at the L2 cost', () => {
    // 17 pages: page 0 and pages 16 apart share set 0 of the 16-set, 4-way L1 dTLB.
    const m = oneCore('rw', skylake, 81);
    const core = m.cores[0]!;
    const out = newWalkOut();
    for (const p of [0, 16, 32, 48, 64])
      expect(translate(m, core, 0x10 + p, 'read', true, out, null)).toBe(true);
    expect(arraysHolding(m, 0x10)).toEqual(['STLB 4K+2M']);
    const events: SimEvent[] = [];
    const before = core.tlb.stats.cycles;
    const missesBefore = m.stats.tlbMisses;
    expect(translate(m, core, 0x10, 'read', true, out, (e) => events.push(e as SimEvent))).toBe(true);
    expect(m.stats.tlbMisses).toBe(missesBefore);
    expect(core.tlb.stats.cycles - before).toBe(12);
    expect(events.map((e) => e.type)).toEqual(['tlb.hit']);
    expect(events[0]).toMatchObject({ level: 'l2', array: 'STLB 4K+2M', refill: 'L1 dTLB 4K', cycles: 12 });
    expect(events[0]).toHaveProperty('evicted');
    expect(arraysHolding(m, 0x10)).toEqual(['L1 dTLB 4K', 'STLB 4K+2M']);
    // Refilled: now an L1 hit.
    events.length = 0;
    translate(m, core, 0x10, 'read', true, out, (e) => events.push(e as SimEvent));
    expect(events[0]).toMatchObject({ type: 'tlb.hit', level: 'l1d', cycles: 1 });
  });

  it('charges the lookup cost to the access: 1 for an L1 hit, 12 for an STLB hit, 12 + the walk on a miss', () => {
    const m = oneCore('rw', skylake, 81);
    const core = m.cores[0]!;
    const out = newWalkOut();
    for (const p of [0, 16, 32, 48, 64]) translate(m, core, 0x10 + p, 'read', true, out, null);
    const cost = (vpn: number): number => {
      const ctx: Ctx = { m, core, t: 0, cost: 0, emit: () => {} };
      const th = m.threads[0]!;
      th.program = [{ op: 'read', vpn, off: 0 }];
      th.pc = 0;
      core.tid = th.tid;
      th.state = 'running';
      const f = { fn: 'access' as const, vpn, off: 0, kind: 'read' as const, value: 0 };
      core.stack.push(f);
      stepAccess(ctx, f);
      return ctx.cost;
    };
    const walk = m.cost.walkLevel * m.ctl.levels;
    expect(cost(0x10 + 64)).toBe(1);
    expect(cost(0x10)).toBe(12);
    expect(cost(0x10 + 1)).toBe(12 + walk);
  });

  it('a fetch uses the iTLB: filled there by a fetch walk, found by a read only through the STLB', () => {
    const m = oneCore('rx', skylake);
    const core = m.cores[0]!;
    const out = newWalkOut();
    const levels: string[] = [];
    const emit = (e: EventBody) => {
      if (e.type === 'tlb.hit') levels.push(e.level);
      if (e.type === 'tlb.miss') levels.push(`miss ${e.side}`);
    };
    expect(translate(m, core, 0x10, 'fetch', true, out, emit)).toBe(true);
    expect(arraysHolding(m, 0x10)).toEqual(['L1 iTLB 4K', 'STLB 4K+2M']);
    translate(m, core, 0x10, 'fetch', true, out, emit);
    translate(m, core, 0x10, 'read', true, out, emit);
    translate(m, core, 0x10, 'read', true, out, emit);
    expect(levels).toEqual(['miss l1i', 'l1i', 'l2', 'l1d']);
    expect(arraysHolding(m, 0x10)).toEqual(['L1 iTLB 4K', 'L1 dTLB 4K', 'STLB 4K+2M']);
    expect(core.tlb.stats).toMatchObject({ l1iHits: 1, l1dHits: 1, l2Hits: 1, misses: 1 });
  });

  it('a fetch from a no-execute page faults from the cached rights', () => {
    const m = oneCore('rw', skylake);
    const core = m.cores[0]!;
    const out = newWalkOut();
    translate(m, core, 0x10, 'read', true, out, null);
    // The iTLB misses, the STLB hits with NX set: a protection fault, and the page leaves every level.
    expect(translate(m, core, 0x10, 'fetch', true, out, null)).toBe(false);
    expect(out.fault).toBe('protection');
    expect(arraysHolding(m, 0x10)).toEqual([]);
  });

  it('a protection fault removes the page from every level, and says how many entries went', () => {
    const m = oneCore('r', skylake);
    const core = m.cores[0]!;
    const out = newWalkOut();
    translate(m, core, 0x10, 'read', true, out, null);
    translate(m, core, 0x11, 'read', true, out, null);
    expect(arraysHolding(m, 0x10)).toEqual(['L1 dTLB 4K', 'STLB 4K+2M']);
    const events: SimEvent[] = [];
    expect(translate(m, core, 0x10, 'write', true, out, (e) => events.push(e as SimEvent))).toBe(false);
    expect(out.fault).toBe('protection');
    expect(events.find((e) => e.type === 'tlb.invalidate')).toMatchObject({
      removed: 2,
      reason: 'page fault',
    });
    expect(arraysHolding(m, 0x10)).toEqual([]);
    // The other page is untouched.
    expect(arraysHolding(m, 0x11)).toEqual(['L1 dTLB 4K', 'STLB 4K+2M']);
  });

  it('a write through an STLB entry cached with D clear walks again and re-caches it dirty in both levels', () => {
    const m = oneCore('rw', skylake, 81);
    const core = m.cores[0]!;
    const out = newWalkOut();
    for (const p of [0, 16, 32, 48, 64]) translate(m, core, 0x10 + p, 'read', true, out, null);
    const types: string[] = [];
    expect(translate(m, core, 0x10, 'write', true, out, (e) => types.push(e.type))).toBe(true);
    expect(types).toEqual(['tlb.miss', 'walk.level', 'walk.level', 'walk.level', 'walk.level', 'tlb.fill']);
    const copies = coreTlbEntries(core.tlb).filter((e) => e.vpn === 0x10);
    expect(copies.map((e) => e.arrayName)).toEqual(['L1 dTLB 4K', 'STLB 4K+2M']);
    expect(copies.every((e) => (e.flags & TLBF_D) !== 0)).toBe(true);
  });

  it('the teaching preset is one 8-entry array: hits say level l1, like a sets/ways TLB', () => {
    const m = oneCore('rw', { preset: 'teaching' });
    const core = m.cores[0]!;
    const out = newWalkOut();
    const hits: EventBody[] = [];
    translate(m, core, 0x10, 'read', true, out, null);
    translate(m, core, 0x10, 'read', true, out, (e) => e.type === 'tlb.hit' && hits.push(e));
    expect(hits).toEqual([{ type: 'tlb.hit', core: 0, va: '0x10000', pfn: out.pfn, level: 'l1' }]);
    expect(core.tlb.levels.map((l) => [l.name, l.sets, l.ways])).toEqual([['TLB', 1, 8]]);
  });
});
