// A `sets`/`ways` scenario TLB is now a one-array hierarchy. Checked here against the old per-core
// TLB (tlb.ts) on random operation sequences: same hits, same slots, same victims, same
// invalidation counts, so every lesson written for the old TLB runs exactly as before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hierarchyFill, hierarchyLookup, newFillOut, newLookupOut } from './hierarchy';
import { invlpg, movToCr3 } from './invalidate';
import { coreTlbEntries, createCoreTlb } from './machineTlb';
import { SKYLAKE_PRESET } from './presets';
import {
  createTlb,
  TLBF_G,
  TLBF_RW,
  tlbEntries,
  tlbFill,
  tlbInvalidatePage,
  tlbInvalidatePcid,
  tlbLookup,
} from './tlb';

type Op =
  | { op: 'access'; vpn: number; shift: 12 | 21 | 30; pcid: number; global: boolean }
  | { op: 'invlpg'; vpn: number; pcid: number }
  | { op: 'cr3'; pcid: number };

const SPAN = { 12: 1, 21: 512, 30: 262144 } as const;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('access' as const),
      vpn: fc.oneof(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 4 }).map((k) => k * 512 + 7),
      ),
      shift: fc.constantFrom<12 | 21 | 30>(12, 12, 12, 21, 30),
      pcid: fc.integer({ min: 1, max: 3 }),
      global: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('invlpg' as const),
      vpn: fc.integer({ min: 0, max: 40 }),
      pcid: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('cr3' as const), pcid: fc.integer({ min: 1, max: 3 }) }),
  },
);

describe('a sets/ways TLB as a one-array hierarchy', () => {
  it('behaves exactly like the old per-core TLB on random operations', () => {
    fc.assert(
      fc.property(
        fc.constantFrom([1, 1], [1, 4], [2, 2], [4, 2], [8, 1], [16, 4]),
        fc.array(opArb, { maxLength: 80 }),
        ([sets, ways], ops) => {
          const old = createTlb(sets as number, ways as number);
          const r = createCoreTlb({ sets: sets as number, ways: ways as number }, 1, 1);
          if (!r.ok) throw new Error(r.error);
          const h = r.h;
          const look = newLookupOut();
          const fill = newFillOut();
          for (const o of ops) {
            if (o.op === 'access') {
              const a = tlbLookup(old, o.vpn, o.pcid);
              const b = hierarchyLookup(h, o.vpn, o.pcid, 'read', look);
              expect(b === 'miss' ? -1 : look.slot).toBe(a);
              if (a >= 0) {
                expect(look.basePfn).toBe(old.pfn[a]);
                continue;
              }
              // Miss: the "walk" finds a page of o.shift at a frame derived from its number.
              const span = SPAN[o.shift];
              const start = o.vpn - (o.vpn % span);
              const base = 1000 + start;
              const flags = TLBF_RW | (o.global ? TLBF_G : 0);
              const f = tlbFill(old, start, o.shift, o.pcid, base, flags);
              hierarchyFill(h, o.vpn, o.shift, o.pcid, base, flags, 'read', fill);
              expect(fill.l1.slot).toBe(f.slot);
              expect(fill.l1.evicted ? fill.l1.vpn : -1).toBe(f.evictedVpn);
            } else if (o.op === 'invlpg') {
              expect(invlpg(h, o.vpn, o.pcid).total).toBe(tlbInvalidatePage(old, o.vpn, o.pcid));
            } else {
              expect(movToCr3(h, o.pcid, false).total).toBe(tlbInvalidatePcid(old, o.pcid));
            }
            const want = tlbEntries(old).map((e) => [e.slot, e.vpn, e.pageShift, e.pcid, e.pfn, e.flags]);
            const got = coreTlbEntries(h).map((e) => [e.slot, e.vpn, e.pageShift, e.asid, e.pfn, e.flags]);
            expect(got).toEqual(want);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('charges the flat lookup cost whatever the outcome, and has no L2', () => {
    const r = createCoreTlb({ sets: 4, ways: 2 }, 1, 1);
    if (!r.ok) throw new Error(r.error);
    expect(r.h.levels.map((l) => [l.name, l.role, l.sets, l.ways])).toEqual([['TLB', 'l1', 4, 2]]);
    expect(r.h.costs).toEqual({ l1Hit: 1, l2Hit: 1, miss: 1 });
  });

  it('with 0 sets or 0 ways caches nothing: every lookup misses', () => {
    for (const [sets, ways] of [
      [0, 0],
      [0, 4],
      [4, 0],
    ] as const) {
      const r = createCoreTlb({ sets, ways }, 1, 1);
      if (!r.ok) throw new Error(r.error);
      const fill = newFillOut();
      fill.l1.slot = -1;
      hierarchyFill(r.h, 5, 12, 1, 77, TLBF_RW, 'read', fill);
      expect(fill.l1.slot).toBe(-1);
      expect(hierarchyLookup(r.h, 5, 1, 'read', newLookupOut())).toBe('miss');
      expect(coreTlbEntries(r.h)).toEqual([]);
    }
  });

  it('a preset builds the real hierarchy; a bad geometry or preset is an error, not an exception', () => {
    const r = createCoreTlb({ preset: 'skylake' }, 1, 1);
    expect(r.ok && r.h.levels.map((l) => l.name)).toEqual(SKYLAKE_PRESET.arrays.map((a) => a.name));
    expect(createCoreTlb({ sets: 3, ways: 2 }, 1, 1)).toMatchObject({ ok: false, error: /^machine\.tlb: / });
    expect(createCoreTlb({ preset: 'nope' }, 1, 1)).toMatchObject({
      ok: false,
      error: /unknown TLB preset 'nope'/,
    });
  });

  it('lists a splintered fragment with the whole page it belongs to', () => {
    const r = createCoreTlb({ preset: 'skylake' }, 1, 1);
    if (!r.ok) throw new Error(r.error);
    // A 1 GiB page fetched: Skylake's iTLB holds no 1G entries, so it keeps the 2 MiB fragment.
    const vpn = 262144 * 3 + 512 * 5 + 9;
    hierarchyFill(r.h, vpn, 30, 1, 4 * 262144, TLBF_RW, 'fetch', null);
    const itlb = coreTlbEntries(r.h).find((e) => e.role === 'l1i');
    expect(itlb).toMatchObject({
      arrayName: 'L1 iTLB 2M',
      vpn: 262144 * 3 + 512 * 5,
      pageShift: 21,
      origShift: 30,
      pfn: 4 * 262144 + 512 * 5,
      pageVpn: 262144 * 3,
      pageBasePfn: 4 * 262144,
    });
  });
});
