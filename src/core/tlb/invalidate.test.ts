import { describe, expect, it } from 'vitest';
import {
  createHierarchy,
  hierarchyFill,
  hierarchyLookup,
  newLookupOut,
  type TlbHierarchy,
} from './hierarchy';
import {
  cr4PgeToggle,
  type InvalidationCount,
  invlpg,
  invpcid,
  movToCr3,
  sfenceVma,
  tlbiAside1,
  tlbiAside1is,
  tlbiVaae1,
  tlbiVaae1is,
  tlbiVae1,
  tlbiVae1is,
  tlbiVmalle1,
  tlbiVmalle1is,
} from './invalidate';
import { levelEntries, levelValidCount, spanOf, TLBF_G } from './level';
import { CORTEX_A76_PRESET, SKYLAKE_PRESET, TEACHING_PRESET, type TlbPreset } from './presets';

/** A split hierarchy with room for everything below, so no eviction blurs the table. */
const ROOMY: TlbPreset = {
  id: 'roomy',
  title: 'roomy',
  arrays: [
    { name: 'i4k', role: 'l1i', entries: 16, ways: 16, policy: 'lru', pageShifts: [12], source: 'test' },
    { name: 'd4k', role: 'l1d', entries: 16, ways: 16, policy: 'lru', pageShifts: [12], source: 'test' },
    { name: 'd2m', role: 'l1d', entries: 4, ways: 4, policy: 'plru', pageShifts: [21], source: 'test' },
    { name: 'd1g', role: 'l1d', entries: 4, ways: 4, policy: 'fifo', pageShifts: [30], source: 'test' },
    {
      name: 'stlb',
      role: 'l2',
      entries: 64,
      ways: 4,
      policy: 'random',
      pageShifts: [12, 21],
      source: 'test',
    },
    { name: 'stlb1g', role: 'l2', entries: 4, ways: 4, policy: 'lru', pageShifts: [30], source: 'test' },
  ],
  costs: { l1Hit: 1, l2Hit: 10, miss: 10 },
};

const P = 0x1000; // a 4 KiB page
const Q = 0x1001; // its neighbour
const GV = 0x2000; // a global kernel page
const R = 0x200 * 512; // a 2 MiB page
const S = 3 * 262144; // a 1 GiB page

interface Key {
  vpn: number;
  shift: 12 | 21 | 30;
  asid: number;
  g: boolean;
}
const E: Record<string, Key> = {
  A: { vpn: P, shift: 12, asid: 1, g: false },
  B: { vpn: P, shift: 12, asid: 2, g: false },
  C: { vpn: Q, shift: 12, asid: 1, g: false },
  D: { vpn: GV, shift: 12, asid: 3, g: true },
  E: { vpn: R, shift: 21, asid: 1, g: false },
  F: { vpn: S, shift: 30, asid: 2, g: true },
};
const ALL = Object.keys(E);

function populated(p: TlbPreset): TlbHierarchy {
  const r = createHierarchy(p, 5);
  if (!r.ok) throw new Error(r.error);
  ALL.forEach((k, n) => {
    const e = E[k] as Key;
    hierarchyFill(r.h, e.vpn, e.shift, e.asid, (n + 1) * 0x40000, e.g ? TLBF_G : 0, 'read', null);
  });
  return r.h;
}

/** Which of E's entries are still cached anywhere in the hierarchy. */
function survivors(h: TlbHierarchy): string[] {
  return ALL.filter((k) => {
    const e = E[k] as Key;
    return h.levels.some((l) =>
      levelEntries(l).some((x) => {
        const os = spanOf(x.origShift);
        return (
          x.asid === e.asid &&
          x.global === e.g &&
          x.origShift === e.shift &&
          Math.floor(x.vpn / os) * os === e.vpn
        );
      }),
    );
  });
}

function total(h: TlbHierarchy): number {
  return h.levels.reduce((n, l) => n + levelValidCount(l), 0);
}

type Op = (h: TlbHierarchy) => InvalidationCount;
const without = (...gone: string[]): string[] => ALL.filter((k) => !gone.includes(k));

// [operation, op, entries that survive]
const TABLE: [string, Op, string[]][] = [
  // x86-64: SDM 4.10.4.1, domain-facts §1.7
  ['INVLPG P in PCID 1', (h) => invlpg(h, P, 1), without('A')],
  ['INVLPG P in PCID 5 (no entry of PCID 5)', (h) => invlpg(h, P, 5), ALL],
  ['INVLPG of a global page from another PCID', (h) => invlpg(h, GV, 1), without('D')],
  ['INVLPG inside a 2M page', (h) => invlpg(h, R + 17, 1), without('E')],
  ['INVLPG inside a 2M page from another PCID', (h) => invlpg(h, R + 17, 2), ALL],
  ['INVLPG inside a global 1G page', (h) => invlpg(h, S + 12345, 1), without('F')],
  ['INVPCID 0 (P, PCID 1)', (h) => invpcid(h, 0, 1, P), without('A')],
  ['INVPCID 0 of a global page keeps it', (h) => invpcid(h, 0, 3, GV), ALL],
  ['INVPCID 0 inside a global 1G page keeps it', (h) => invpcid(h, 0, 2, S + 1), ALL],
  ['INVPCID 0 inside a 2M page', (h) => invpcid(h, 0, 1, R + 511), without('E')],
  ['INVPCID 1 (PCID 1)', (h) => invpcid(h, 1, 1, 0), without('A', 'C', 'E')],
  ['INVPCID 1 (PCID 3: only a global)', (h) => invpcid(h, 1, 3, 0), ALL],
  ['INVPCID 2 (all, globals too)', (h) => invpcid(h, 2, 0, 0), []],
  ['INVPCID 3 (all but globals)', (h) => invpcid(h, 3, 0, 0), ['D', 'F']],
  ['MOV CR3 PCID 1, bit 63 clear', (h) => movToCr3(h, 1, false), without('A', 'C', 'E')],
  ['MOV CR3 PCID 2, bit 63 clear', (h) => movToCr3(h, 2, false), without('B')],
  ['MOV CR3 PCID 1, bit 63 set', (h) => movToCr3(h, 1, true), ALL],
  ['CR4.PGE toggle', (h) => cr4PgeToggle(h), []],
  // RISC-V privileged spec, SFENCE.VMA
  ['SFENCE.VMA x0, x0', (h) => sfenceVma(h, null, null), []],
  ['SFENCE.VMA x0, asid 1', (h) => sfenceVma(h, null, 1), without('A', 'C', 'E')],
  ['SFENCE.VMA x0, asid 3 (global only)', (h) => sfenceVma(h, null, 3), ALL],
  ['SFENCE.VMA x0, asid 0 (a register holding 0 is not x0)', (h) => sfenceVma(h, null, 0), ALL],
  ['SFENCE.VMA P, x0 (every ASID)', (h) => sfenceVma(h, P, null), without('A', 'B')],
  ['SFENCE.VMA global page, x0', (h) => sfenceVma(h, GV, null), without('D')],
  ['SFENCE.VMA inside a global 1G page, x0', (h) => sfenceVma(h, S + 5, null), without('F')],
  ['SFENCE.VMA P, asid 1', (h) => sfenceVma(h, P, 1), without('A')],
  ['SFENCE.VMA global page, its asid (globals excluded)', (h) => sfenceVma(h, GV, 3), ALL],
  ['SFENCE.VMA inside a 2M page, asid 1', (h) => sfenceVma(h, R + 300, 1), without('E')],
  // ARM64 TLBI
  ['TLBI VAE1 P, ASID 1', (h) => tlbiVae1(h, P, 1), without('A')],
  ['TLBI VAE1 global page, another ASID', (h) => tlbiVae1(h, GV, 1), without('D')],
  ['TLBI VAE1 inside a global 1G page', (h) => tlbiVae1(h, S + 7, 1), without('F')],
  ['TLBI VAE1 inside a 2M page, other ASID', (h) => tlbiVae1(h, R + 7, 2), ALL],
  ['TLBI VAAE1 P', (h) => tlbiVaae1(h, P), without('A', 'B')],
  ['TLBI VAAE1 inside a 1G page', (h) => tlbiVaae1(h, S + 262143), without('F')],
  ['TLBI ASIDE1 1', (h) => tlbiAside1(h, 1), without('A', 'C', 'E')],
  ['TLBI ASIDE1 2 (its global stays)', (h) => tlbiAside1(h, 2), without('B')],
  ['TLBI VMALLE1', (h) => tlbiVmalle1(h), []],
];

const PRESETS = [ROOMY, SKYLAKE_PRESET, CORTEX_A76_PRESET, TEACHING_PRESET];

describe.each(PRESETS.map((p) => [p.id, p] as const))('invalidations on %s', (_id, preset) => {
  it('caches every fixture entry first', () => {
    expect(survivors(populated(preset))).toEqual(ALL);
  });

  it.each(TABLE)('%s', (_name, op, expected) => {
    const h = populated(preset);
    const before = total(h);
    const r = op(h);
    expect(survivors(h)).toEqual(expected);
    // The count is exactly what left the hierarchy, and per level adds up.
    expect(r.total).toBe(before - total(h));
    expect(r.l1i + r.l1d + r.l1 + r.l2).toBe(r.total);
    expect(r.byArray.reduce((a, b) => a + b, 0)).toBe(r.total);
    expect(r.byArray).toHaveLength(h.levels.length);
  });
});

describe('per-level counts', () => {
  it('INVLPG reports the L1 dTLB and the STLB copies separately', () => {
    const h = populated(ROOMY);
    const r = invlpg(h, P, 1);
    expect(r).toEqual({ total: 2, l1i: 0, l1d: 1, l1: 0, l2: 1, byArray: [0, 1, 0, 0, 1, 0] });
  });
});

describe('splintered large pages', () => {
  it('INVLPG anywhere in a 1G page removes every 2M fragment of it and the L2 entry (Cortex-A76)', () => {
    const r = createHierarchy(CORTEX_A76_PRESET, 1);
    if (!r.ok) throw new Error(r.error);
    const h = r.h;
    const out = newLookupOut();
    hierarchyFill(h, S + 1, 30, 4, 0x400000, 0, 'read', null);
    hierarchyLookup(h, S + 300 * 512, 4, 'read', out); // L2 hit, refills a second fragment
    hierarchyLookup(h, S + 1, 4, 'fetch', out); // refills the iTLB with a third
    expect(h.levels.map((l) => levelValidCount(l))).toEqual([1, 2, 1]);
    const c = invlpg(h, S + 100_000, 4);
    expect(c).toMatchObject({ total: 4, l1i: 1, l1d: 2, l2: 1 });
    expect(hierarchyLookup(h, S + 1, 4, 'read', out)).toBe('miss');
  });

  it('a 4K invalidation outside the page leaves the fragments alone', () => {
    const r = createHierarchy(SKYLAKE_PRESET, 1);
    if (!r.ok) throw new Error(r.error);
    hierarchyFill(r.h, S + 1, 30, 4, 0x400000, 0, 'fetch', null);
    expect(tlbiVae1(r.h, S + 262144, 4).total).toBe(0);
    expect(tlbiVae1(r.h, S - 1, 4).total).toBe(0);
    expect(tlbiVae1(r.h, S + 262143, 4).total).toBe(2); // iTLB 2M fragment + STLB 1G
  });
});

describe('Inner Shareable broadcast variants apply to every given core', () => {
  const cases: [string, (hs: TlbHierarchy[]) => InvalidationCount[], string[]][] = [
    ['TLBI VAE1IS', (hs) => tlbiVae1is(hs, P, 1), without('A')],
    ['TLBI VAAE1IS', (hs) => tlbiVaae1is(hs, P), without('A', 'B')],
    ['TLBI ASIDE1IS', (hs) => tlbiAside1is(hs, 1), without('A', 'C', 'E')],
    ['TLBI VMALLE1IS', (hs) => tlbiVmalle1is(hs), []],
  ];
  it.each(cases)('%s', (_name, op, expected) => {
    const cores = [populated(CORTEX_A76_PRESET), populated(CORTEX_A76_PRESET), populated(CORTEX_A76_PRESET)];
    const counts = op(cores.slice(0, 2));
    expect(counts).toHaveLength(2);
    expect(survivors(cores[0] as TlbHierarchy)).toEqual(expected);
    expect(survivors(cores[1] as TlbHierarchy)).toEqual(expected);
    expect(survivors(cores[2] as TlbHierarchy)).toEqual(ALL); // not in the list: untouched
  });
});
