// The paging-structure-cache rules of SDM 4.10.3, one row each: what a walk caches (and what it
// never caches), the combined rights, PCID tagging, levels skipped and their A bits, and what each
// invalidating operation of 4.10.4.1 removes.
import { describe, expect, it } from 'vitest';
import { PTE_A, PTE_P } from '../arch/x86_64/pte';
import { DEFAULT_CONTROL, newWalkOut, walkPageTable, writeEntry } from '../arch/x86_64/walk';
import type { EventBody } from '../events';
import type { PhysMem } from '../mem/physmem';
import { memWith } from '../testing/memBuilder';
import { createHierarchy } from '../tlb/hierarchy';
import {
  cr4PgeToggle,
  invlpg,
  invpcid,
  movToCr3,
  pageFaultInvalidate,
  sfenceVma,
  tlbiAside1,
  tlbiVae1,
} from '../tlb/invalidate';
import { TEACHING_PRESET } from '../tlb/presets';
import { createPsc, type PscLevel, type PscState, pscCount, pscFill, pscKey, pscLookup } from '../tlb/psc';
import { walkWithPsc } from './pscWalk';

// Tables: PML4 in frame 1, PDPT 2, PD 3, page tables 4 and 5; data frames from 100.
// Page A = PML4[0] PDPT[0] PD[0] PT[0]; B = the next page (same PD entry); C = PD[1] (other PT).
const A = 0;
const B = 1;
const C = 512;
const ctl = { ...DEFAULT_CONTROL };

type E = { table: number; index: number; e: Parameters<typeof memWith>[0][number]['e'] };
function tables(over: Partial<Record<'pml4' | 'pdpt' | 'pd0' | 'pd1', E['e']>> = {}): PhysMem {
  const all = { rw: true, us: true, a: true };
  return memWith([
    { table: 1, index: 0, e: over.pml4 ?? { pfn: 2, ...all } },
    { table: 2, index: 0, e: over.pdpt ?? { pfn: 3, ...all } },
    { table: 3, index: 0, e: over.pd0 ?? { pfn: 4, ...all } },
    { table: 3, index: 1, e: over.pd1 ?? { pfn: 5, ...all } },
    { table: 4, index: 0, e: { pfn: 100, ...all } },
    { table: 4, index: 1, e: { pfn: 101, ...all } },
    { table: 5, index: 0, e: { pfn: 102, ...all } },
  ]);
}

function machine(mem: PhysMem, pcid = 1) {
  return {
    m: { mem, ctl },
    core: { id: 0, pcid, cr3Pfn: 1 },
    psc: createPsc({ pml4: 4, pdpt: 4, pde: 4 }),
  };
}

function walk(
  t: ReturnType<typeof machine>,
  vpn: number,
  kind: 'read' | 'write' = 'read',
  events?: EventBody[],
) {
  const out = newWalkOut();
  const ok = walkWithPsc(t.m, t.core, t.psc, vpn, kind, true, out, events ? (e) => events.push(e) : null);
  return { ok, out, skipped: t.psc.lastSkipped };
}

function cached(
  psc: PscState,
): { level: number; next: number; pcid: number; rw: boolean; us: boolean; xd: boolean }[] {
  return psc.arrays.flatMap((a) =>
    a.entries.map((e) => ({ level: a.level, next: e.next, pcid: e.pcid, rw: e.rw, us: e.us, xd: e.xd })),
  );
}

describe('what a walk caches (SDM 4.10.3.1)', () => {
  it('a full walk caches the PML4E, PDPTE and PDE, each with the next table', () => {
    const t = machine(tables());
    expect(walk(t, A).ok).toBe(true);
    expect(cached(t.psc).map((c) => [c.level, c.next])).toEqual([
      [2, 4],
      [3, 3],
      [4, 2],
    ]);
  });

  it.each([
    ['a not-present PDE', { pd0: undefined }, 'not-present'],
    [
      'a PDE with a reserved bit above MAXPHYADDR',
      { pd0: { pfn: 2 ** 35, rw: true, us: true, a: true } },
      'reserved',
    ],
  ] as const)('%s: the walk faults and nothing is cached', (_, over, fault) => {
    const mem = tables(over.pd0 ? { pd0: over.pd0 } : {});
    if (!over.pd0) writeEntry(mem, 3, 0, 0, 0);
    const t = machine(mem);
    const r = walk(t, A);
    expect(r.ok).toBe(false);
    expect(r.out.fault).toBe(fault);
    expect(pscCount(t.psc)).toBe(0);
  });

  it('a PDE that maps a 2 MiB page (PS=1) gets no PDE-cache entry; the levels above do', () => {
    const t = machine(tables({ pd0: { pfn: 512, rw: true, us: true, a: true, ps: true } }));
    expect(walk(t, A).out.pageShift).toBe(21);
    expect(cached(t.psc).map((c) => c.level)).toEqual([3, 4]);
  });

  it('a PDPTE that maps a 1 GiB page gets no PDPTE-cache entry; the PML4E does', () => {
    const t = machine(tables({ pdpt: { pfn: 512 * 512, rw: true, us: true, a: true, ps: true } }));
    expect(walk(t, A).out.pageShift).toBe(30);
    expect(cached(t.psc).map((c) => c.level)).toEqual([4]);
  });

  it('rights are combined down to each entry: R/W and U/S by AND, XD by OR', () => {
    const t = machine(
      tables({
        pml4: { pfn: 2, rw: true, us: true, a: true },
        pdpt: { pfn: 3, rw: false, us: true, a: true, nx: true },
        pd0: { pfn: 4, rw: true, us: true, a: true },
      }),
    );
    walk(t, A);
    expect(cached(t.psc).map((c) => [c.level, c.rw, c.us, c.xd])).toEqual([
      [2, false, true, true],
      [3, false, true, true],
      [4, true, true, false],
    ]);
  });

  it('an entry is cached only with A set: the walker sets A in memory before caching it', () => {
    const mem = tables({ pml4: { pfn: 2, rw: true, us: true, a: false } });
    const t = machine(mem);
    walk(t, A);
    expect(((mem.frames[1]?.[0] ?? 0) & PTE_A) !== 0).toBe(true);
    expect(cached(t.psc).some((c) => c.level === 4)).toBe(true);
  });
});

describe('a walk through the caches (SDM 4.10.3.2)', () => {
  it('a PDE-cache hit reads only the PTE: 3 reads skipped, one walk.level event', () => {
    const t = machine(tables());
    walk(t, A);
    const ev: EventBody[] = [];
    const r = walk(t, B, 'read', ev);
    expect(r.ok && r.out.pfn).toBe(101);
    expect(r.skipped).toBe(3);
    expect(ev.filter((e) => e.type === 'walk.level').map((e) => e.type === 'walk.level' && e.level)).toEqual([
      1,
    ]);
    expect(ev[0]).toMatchObject({ type: 'psc.hit', cache: 'PDE', level: 2, table: 4, skipped: 3 });
  });

  it('a PDPTE-cache hit reads the PDE and the PTE, and caches the new PDE', () => {
    const t = machine(tables());
    walk(t, A);
    // Drop only the PDE entry: the next walk for C finds the PDPTE.
    t.psc.arrays[0]!.entries = [];
    const ev: EventBody[] = [];
    const r = walk(t, C, 'read', ev);
    expect(r.ok && r.out.pfn).toBe(102);
    expect(r.skipped).toBe(2);
    expect(ev.filter((e) => e.type === 'psc.fill')).toMatchObject([{ cache: 'PDE', table: 5 }]);
  });

  it('a skipped level is not read, so its A bit is not set again', () => {
    const mem = tables();
    const t = machine(mem);
    walk(t, A);
    const pdeLo = mem.frames[3]?.[0] ?? 0;
    (mem.frames[3] as Uint32Array)[0] = (pdeLo & ~PTE_A) >>> 0;
    walk(t, B);
    expect((mem.frames[3]?.[0] ?? 0) & PTE_A).toBe(0);
  });

  it('a hit uses the cached rights, not memory: stale until invalidated', () => {
    const mem = tables();
    const t = machine(mem);
    walk(t, A);
    // Software write-protects the whole 512 GiB at the PML4E, without invalidating.
    const [lo, hi] = [mem.frames[1]?.[0] ?? 0, mem.frames[1]?.[1] ?? 0];
    writeEntry(mem, 1, 0, lo & ~2, hi);
    expect(walk(t, B, 'write').ok).toBe(true);
    invalidateAllOf(t.psc, 1);
    expect(walk(t, B, 'write').out.fault).toBe('protection');
  });

  it('entries are tagged with the PCID: another PCID walks from CR3', () => {
    const t = machine(tables());
    walk(t, A);
    t.core.pcid = 2;
    expect(walk(t, B).skipped).toBe(0);
    expect(new Set(cached(t.psc).map((c) => c.pcid))).toEqual(new Set([1, 2]));
  });

  it('a page fault drops the entries that would be used for its address, no others', () => {
    const mem = tables();
    const t = machine(mem);
    walk(t, A);
    walk(t, C);
    // The PTE of B is not present: the walk via the PDE cache faults.
    writeEntry(mem, 4, 1, 0, 0);
    const ev: EventBody[] = [];
    expect(walk(t, B, 'read', ev).ok).toBe(false);
    expect(ev.at(-1)).toMatchObject({ type: 'psc.invalidate', removed: 3 });
    // The PDE entry for C's region is still there.
    expect(cached(t.psc).map((c) => [c.level, c.next])).toEqual([[2, 5]]);
  });

  it('the result always equals a fresh walk when nothing changed', () => {
    const mem = tables();
    const t = machine(mem);
    for (const vpn of [A, B, C, A, C, B]) {
      const fresh = newWalkOut();
      walkPageTable(mem, 1, vpn, 'read', true, ctl, fresh, null, false);
      expect(walk(t, vpn).out).toEqual(fresh);
    }
  });
});

function invalidateAllOf(psc: PscState, pcid: number): void {
  const h = hierarchyWith(psc);
  invlpg(h, 0, pcid);
}

function hierarchyWith(psc: PscState) {
  const r = createHierarchy(TEACHING_PRESET, 1);
  if (!r.ok) throw new Error(r.error);
  r.h.psc = psc;
  return r.h;
}

describe('what each operation removes (SDM 4.10.4.1)', () => {
  // PCID 1 caches two regions (A's PDE, PDPTE, PML4E and C's PDE), PCID 2 one region (3 entries).
  function filled(): PscState {
    const psc = createPsc({ pml4: 4, pdpt: 4, pde: 4 });
    const fill = (level: PscLevel, vpn: number, pcid: number) =>
      pscFill(psc, level, vpn, pcid, 10 + level, { rw: true, us: true, xd: false }, 0);
    for (const pcid of [1, 2]) for (const level of [4, 3, 2] as const) fill(level, A, pcid);
    fill(2, C, 1);
    return psc;
  }
  const left = (psc: PscState) =>
    psc.arrays.flatMap((a) => a.entries.map((e) => `${a.name}:${e.key}@${e.pcid}`)).sort();

  it.each([
    [
      'INVLPG (current PCID 1), any address',
      (h: ReturnType<typeof hierarchyWith>) => invlpg(h, 99999, 1),
      4,
      ['PDE:0@2', 'PDPTE:0@2', 'PML4E:0@2'],
    ],
    [
      'INVPCID 0 (PCID 1, page C)',
      (h: ReturnType<typeof hierarchyWith>) => invpcid(h, 0, 1, C),
      3,
      ['PDE:0@1', 'PDE:0@2', 'PDPTE:0@2', 'PML4E:0@2'],
    ],
    [
      'INVPCID 1 (PCID 2)',
      (h: ReturnType<typeof hierarchyWith>) => invpcid(h, 1, 2, 0),
      3,
      ['PDE:0@1', 'PDE:1@1', 'PDPTE:0@1', 'PML4E:0@1'],
    ],
    ['INVPCID 2', (h: ReturnType<typeof hierarchyWith>) => invpcid(h, 2, 0, 0), 7, []],
    ['INVPCID 3', (h: ReturnType<typeof hierarchyWith>) => invpcid(h, 3, 0, 0), 7, []],
    [
      'MOV to CR3, PCID 2, bit 63 clear',
      (h: ReturnType<typeof hierarchyWith>) => movToCr3(h, 2, false),
      3,
      ['PDE:0@1', 'PDE:1@1', 'PDPTE:0@1', 'PML4E:0@1'],
    ],
    [
      'MOV to CR3, PCID 2, bit 63 set (no flush)',
      (h: ReturnType<typeof hierarchyWith>) => movToCr3(h, 2, true),
      0,
      null,
    ],
    ['MOV to CR4 toggling PGE', (h: ReturnType<typeof hierarchyWith>) => cr4PgeToggle(h), 7, []],
    [
      '#PF on page C (PCID 1)',
      (h: ReturnType<typeof hierarchyWith>) => pageFaultInvalidate(h, C, 1),
      3,
      ['PDE:0@1', 'PDE:0@2', 'PDPTE:0@2', 'PML4E:0@2'],
    ],
    [
      'SFENCE.VMA x0, asid 1',
      (h: ReturnType<typeof hierarchyWith>) => sfenceVma(h, null, 1),
      4,
      ['PDE:0@2', 'PDPTE:0@2', 'PML4E:0@2'],
    ],
    [
      'SFENCE.VMA page A, x0 (every ASID)',
      (h: ReturnType<typeof hierarchyWith>) => sfenceVma(h, A, null),
      6,
      ['PDE:1@1'],
    ],
    [
      'TLBI VAE1 page A, ASID 2',
      (h: ReturnType<typeof hierarchyWith>) => tlbiVae1(h, A, 2),
      3,
      ['PDE:0@1', 'PDE:1@1', 'PDPTE:0@1', 'PML4E:0@1'],
    ],
    [
      'TLBI ASIDE1 ASID 1',
      (h: ReturnType<typeof hierarchyWith>) => tlbiAside1(h, 1),
      4,
      ['PDE:0@2', 'PDPTE:0@2', 'PML4E:0@2'],
    ],
  ] as const)('%s', (_, op, removed, remaining) => {
    const psc = filled();
    const before = left(psc);
    const r = op(hierarchyWith(psc));
    expect(r.psc).toBe(removed);
    expect(left(psc)).toEqual(remaining ?? before);
  });

  it('a hierarchy without PSCs reports no psc count (every lesson without machine.psc is unchanged)', () => {
    const r = createHierarchy(TEACHING_PRESET, 1);
    if (!r.ok) throw new Error(r.error);
    expect(invlpg(r.h, 0, 1).psc).toBeUndefined();
    expect(movToCr3(r.h, 1, false).psc).toBeUndefined();
  });
});

describe('replacement and lookup', () => {
  it('LRU within a cache: a hit protects an entry, the least recently used one goes', () => {
    const psc = createPsc({ pml4: 0, pdpt: 0, pde: 2 });
    const r = { rw: true, us: true, xd: false };
    pscFill(psc, 2, 0, 1, 10, r, 0);
    pscFill(psc, 2, 512, 1, 11, r, 0);
    expect(pscLookup(psc, 0, 1, 4)?.entry.next).toBe(10);
    const gone = pscFill(psc, 2, 1024, 1, 12, r, 0);
    expect(gone?.next).toBe(11);
    expect(psc.arrays[0]?.entries.map((e) => e.next).sort()).toEqual([10, 12]);
  });

  it('a 0-entry cache stores nothing; the deepest of several hits wins', () => {
    const psc = createPsc({ pml4: 1, pdpt: 0, pde: 1 });
    const r = { rw: true, us: true, xd: false };
    expect(pscFill(psc, 3, 0, 1, 7, r, 0)).toBeUndefined();
    pscFill(psc, 4, 0, 1, 8, r, 0);
    expect(pscLookup(psc, 5, 1, 4)?.array.level).toBe(4);
    pscFill(psc, 2, 5, 1, 9, r, 0);
    expect(pscLookup(psc, 5, 1, 4)?.array.level).toBe(2);
    expect(pscKey(5, 2)).toBe(0);
  });

  it('not-present entries never reach a cache even through a lookup miss', () => {
    const mem = tables();
    writeEntry(mem, 1, 0, (mem.frames[1]?.[0] ?? 0) & ~PTE_P, 0);
    const t = machine(mem);
    expect(walk(t, A).out.fault).toBe('not-present');
    expect(pscCount(t.psc)).toBe(0);
  });
});
