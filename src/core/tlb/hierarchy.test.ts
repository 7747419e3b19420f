import { describe, expect, it } from 'vitest';
import { deepClone } from '../clone';
import {
  createHierarchy,
  hierarchyFill,
  hierarchyLookup,
  hierarchyView,
  newFillOut,
  newLookupOut,
  type TlbHierarchy,
} from './hierarchy';
import { TLBF_G, TLBF_RW } from './level';
import { CORTEX_A76_PRESET, SKYLAKE_PRESET, TEACHING_PRESET, type TlbPreset } from './presets';

function make(p: TlbPreset, seed = 1): TlbHierarchy {
  const r = createHierarchy(p, seed);
  if (!r.ok) throw new Error(r.error);
  return r.h;
}

function arrayNamed(h: TlbHierarchy, name: string): number {
  return h.levels.findIndex((l) => l.name === name);
}

describe('hierarchy lookups', () => {
  it('a data fill serves reads from the L1 dTLB at the L1 cost', () => {
    const h = make(SKYLAKE_PRESET);
    const out = newLookupOut();
    expect(hierarchyLookup(h, 0x1234, 1, 'read', out)).toBe('miss');
    expect(out.cycles).toBe(12);
    hierarchyFill(h, 0x1234, 12, 1, 0x999, TLBF_RW, 'read', null);
    expect(hierarchyLookup(h, 0x1234, 1, 'write', out)).toBe('l1d');
    expect(out.array).toBe(arrayNamed(h, 'L1 dTLB 4K'));
    expect([out.pfn, out.basePfn, out.pageShift, out.flags, out.cycles]).toEqual([
      0x999,
      0x999,
      12,
      TLBF_RW,
      1,
    ]);
  });

  it('a fetch uses the iTLB: data entries reach it only through the STLB, which refills the iTLB', () => {
    const h = make(SKYLAKE_PRESET);
    const out = newLookupOut();
    hierarchyFill(h, 0x40, 12, 1, 0x77, 0, 'read', null);
    expect(hierarchyLookup(h, 0x40, 1, 'fetch', out)).toBe('l2');
    expect(out.cycles).toBe(12);
    expect(out.array).toBe(arrayNamed(h, 'STLB 4K+2M'));
    expect(out.refill.array).toBe(arrayNamed(h, 'L1 iTLB 4K'));
    expect(out.refill.evicted).toBe(false);
    expect(hierarchyLookup(h, 0x40, 1, 'fetch', out)).toBe('l1i');
    expect(out.pfn).toBe(0x77);
    expect(h.stats).toMatchObject({ lookups: 2, l2Hits: 1, l1iHits: 1, misses: 0 });
  });

  it('an L2 hit copies the entry into the data-side L1 after an L1 eviction', () => {
    const h = make(SKYLAKE_PRESET);
    const out = newLookupOut();
    // vpns 16 apart share a set of the 16-set, 4-way L1 dTLB but spread over the 128-set STLB.
    const vpns = [0, 16, 32, 48, 64];
    const fo = newFillOut();
    const evicted: number[] = [];
    for (const v of vpns) {
      hierarchyFill(h, v, 12, 1, 1000 + v, 0, 'read', fo);
      if (fo.l1.evicted) evicted.push(fo.l1.vpn);
      expect(fo.l2.evicted).toBe(false);
    }
    expect(evicted).toEqual([0]);
    expect(hierarchyLookup(h, 0, 1, 'read', out)).toBe('l2');
    expect(out.pfn).toBe(1000);
    expect(out.refill.array).toBe(arrayNamed(h, 'L1 dTLB 4K'));
    expect(out.refill.evicted).toBe(true);
    expect(hierarchyLookup(h, 0, 1, 'read', out)).toBe('l1d');
  });

  it('teaching preset: the ninth page evicts the least recently used, reported for the UI', () => {
    const h = make(TEACHING_PRESET);
    const out = newLookupOut();
    const fo = newFillOut();
    for (let v = 0; v < 8; v++) {
      hierarchyFill(h, v, 12, 1, 100 + v, 0, 'read', fo);
      expect(fo.l1.evicted).toBe(false);
      expect(fo.l2.array).toBe(-1); // no L2
    }
    expect(hierarchyLookup(h, 0, 1, 'fetch', out)).toBe('l1'); // unified: fetches and data share it
    hierarchyFill(h, 8, 12, 1, 108, 0, 'read', fo);
    expect(fo.l1).toMatchObject({ array: 0, evicted: true, vpn: 1, asid: 1, pfn: 101, shift: 12 });
    expect(hierarchyLookup(h, 1, 1, 'read', out)).toBe('miss');
    expect(hierarchyView(h)[0]?.entries).toHaveLength(8);
  });

  it('tags by ASID; a global entry matches any ASID', () => {
    const h = make(SKYLAKE_PRESET);
    const out = newLookupOut();
    hierarchyFill(h, 0x10, 12, 1, 5, 0, 'read', null);
    hierarchyFill(h, 0x20, 12, 1, 6, TLBF_G, 'read', null);
    expect(hierarchyLookup(h, 0x10, 2, 'read', out)).toBe('miss');
    expect(hierarchyLookup(h, 0x20, 2, 'read', out)).toBe('l1d');
    expect([out.asid, out.global]).toEqual([1, true]);
  });

  it('one 2M entry covers its 512 pages with the right frames', () => {
    const h = make(SKYLAKE_PRESET);
    const out = newLookupOut();
    const start = 0x300 * 512;
    hierarchyFill(h, start + 5, 21, 1, 0x4000, 0, 'read', null);
    expect(hierarchyLookup(h, start + 511, 1, 'read', out)).toBe('l1d');
    expect(out.array).toBe(arrayNamed(h, 'L1 dTLB 2M'));
    expect([out.pfn, out.basePfn, out.pageShift, out.storedShift]).toEqual([0x4000 + 511, 0x4000, 21, 21]);
    expect(hierarchyLookup(h, start + 512, 1, 'read', out)).toBe('miss');
  });

  it('splinters a 1G page into 2M fragments where the L1 holds no 1G (Cortex-A76)', () => {
    const h = make(CORTEX_A76_PRESET);
    const out = newLookupOut();
    const g = 2 * 262144; // 1 GiB-aligned page number
    hierarchyFill(h, g + 3 * 512 + 7, 30, 9, 0x100000, 0, 'read', null);
    expect(hierarchyLookup(h, g + 3 * 512 + 1, 9, 'read', out)).toBe('l1d');
    expect([out.storedShift, out.pageShift, out.pfn, out.basePfn]).toEqual([
      21,
      30,
      0x100000 + 3 * 512 + 1,
      0x100000,
    ]);
    // Another 2M fragment: the L2 holds the whole 1G page and refills the L1 with that fragment.
    expect(hierarchyLookup(h, g + 300 * 512 + 3, 9, 'read', out)).toBe('l2');
    expect([out.storedShift, out.pfn]).toEqual([30, 0x100000 + 300 * 512 + 3]);
    expect(hierarchyLookup(h, g + 300 * 512 + 4, 9, 'read', out)).toBe('l1d');
    expect(out.storedShift).toBe(21);
  });

  it('Skylake fetches of a 1G page land in the iTLB 2M array (no 1G iTLB array)', () => {
    const h = make(SKYLAKE_PRESET);
    const fo = newFillOut();
    hierarchyFill(h, 262144 + 1, 30, 1, 0x80000, 0, 'fetch', fo);
    expect(fo.l1.array).toBe(arrayNamed(h, 'L1 iTLB 2M'));
    expect(fo.l2.array).toBe(arrayNamed(h, 'STLB 1G'));
  });

  it('charges each preset its level costs', () => {
    for (const [p, l1, l2, miss] of [
      [SKYLAKE_PRESET, 1, 12, 12],
      [CORTEX_A76_PRESET, 1, 4, 4],
    ] as const) {
      const h = make(p);
      const out = newLookupOut();
      hierarchyLookup(h, 7, 1, 'read', out);
      expect(out.cycles).toBe(miss);
      hierarchyFill(h, 7, 12, 1, 7, 0, 'fetch', null);
      hierarchyLookup(h, 7, 1, 'read', out);
      expect(out.cycles).toBe(l2);
      hierarchyLookup(h, 7, 1, 'read', out);
      expect(out.cycles).toBe(l1);
      expect(h.stats.cycles).toBe(miss + l2 + l1);
    }
  });

  it('refilling an existing page for the same ASID overwrites it instead of duplicating', () => {
    const h = make(TEACHING_PRESET);
    hierarchyFill(h, 3, 12, 1, 30, 0, 'read', null);
    hierarchyFill(h, 3, 12, 1, 31, TLBF_RW, 'read', null);
    const e = hierarchyView(h)[0]?.entries ?? [];
    expect(e.map((x) => [x.vpn, x.pfn, x.flags])).toEqual([[3, 31, TLBF_RW]]);
  });
});

describe('checkpoints', () => {
  it('a deep copy (core deepClone or structuredClone) continues identically', () => {
    const p: TlbPreset = {
      ...SKYLAKE_PRESET,
      id: 'sky-random',
      arrays: SKYLAKE_PRESET.arrays.map((a) => ({ ...a, policy: 'random' as const })),
    };
    const h = make(p, 99);
    for (let v = 0; v < 3000; v++)
      hierarchyFill(h, (v * 37) % 5000, 12, v % 3, v, 0, v % 5 ? 'read' : 'fetch', null);
    const a = deepClone(h);
    const b = structuredClone(h);
    const outs = [h, a, b].map((x) => {
      const out = newLookupOut();
      const seq: string[] = [];
      for (let v = 0; v < 3000; v++) {
        const lv = hierarchyLookup(x, (v * 53) % 6000, v % 3, v % 7 ? 'read' : 'fetch', out);
        if (lv === 'miss') hierarchyFill(x, (v * 53) % 6000, 12, v % 3, v, 0, 'read', null);
        seq.push(lv);
      }
      return seq;
    });
    expect(outs[1]).toEqual(outs[0]);
    expect(outs[2]).toEqual(outs[0]);
    expect(a).toEqual(h);
    expect(b).toEqual(h);
  });
});
