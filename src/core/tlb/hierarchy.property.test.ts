// Property tests against a reference model: a map of the translations filled and not yet
// invalidated. The TLB may forget more than the model (evictions), never less, and never answers
// for a foreign ASID unless the entry is global.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepClone } from '../clone';
import {
  type AccessKind,
  createHierarchy,
  hierarchyFill,
  hierarchyLookup,
  newLookupOut,
  type TlbHierarchy,
} from './hierarchy';
import {
  cr4PgeToggle,
  type InvalidationCount,
  type InvpcidType,
  invlpg,
  invpcid,
  movToCr3,
  sfenceVma,
  tlbiAside1,
  tlbiVaae1,
  tlbiVae1,
  tlbiVmalle1,
} from './invalidate';
import { levelValidCount, spanOf, TLBF_G } from './level';
import { CORTEX_A76_PRESET, SKYLAKE_PRESET, TEACHING_PRESET, type TlbPreset } from './presets';

/** Small and conflict-heavy, with every policy, so evictions and splintering happen often. */
const TINY: TlbPreset = {
  id: 'tiny',
  title: 'tiny',
  arrays: [
    { name: 'i', role: 'l1i', entries: 2, ways: 2, policy: 'random', pageShifts: [12], source: 'test' },
    { name: 'd4k', role: 'l1d', entries: 4, ways: 2, policy: 'plru', pageShifts: [12], source: 'test' },
    { name: 'd2m', role: 'l1d', entries: 2, ways: 2, policy: 'fifo', pageShifts: [21], source: 'test' },
    { name: 'l2', role: 'l2', entries: 8, ways: 2, policy: 'random', pageShifts: [12, 21], source: 'test' },
    { name: 'l2g', role: 'l2', entries: 2, ways: 1, policy: 'lru', pageShifts: [30], source: 'test' },
  ],
  costs: { l1Hit: 1, l2Hit: 2, miss: 3 },
};
const PRESETS = [TINY, TEACHING_PRESET, SKYLAKE_PRESET, CORTEX_A76_PRESET];

type Op =
  | { t: 'fill'; vpn: number; shift: 12 | 21 | 30; asid: number; g: boolean; kind: AccessKind }
  | { t: 'look'; vpn: number; asid: number; kind: AccessKind }
  | { t: 'invlpg'; vpn: number; asid: number }
  | { t: 'invpcid'; type: InvpcidType; asid: number; vpn: number }
  | { t: 'cr3'; asid: number; noFlush: boolean }
  | { t: 'pge' }
  | { t: 'sfence'; vpn: number | null; asid: number | null }
  | { t: 'vae1'; vpn: number; asid: number }
  | { t: 'vaae1'; vpn: number }
  | { t: 'aside1'; asid: number }
  | { t: 'vmalle1' };

// Few addresses, so ops collide: two 1 GiB regions, three 2 MiB regions in each, four 4 KiB pages
// in each, 4 pages apart so that they share sets of the small TLBs.
const vpnArb = fc
  .tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }))
  .map(([g, m, k]) => g * 262144 + m * 512 + k * 4);
const asidArb = fc.integer({ min: 0, max: 3 });
const kindArb = fc.constantFrom<AccessKind>('read', 'write', 'fetch');

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('fill' as const),
      vpn: vpnArb,
      shift: fc.constantFrom<12 | 21 | 30>(12, 12, 21, 30),
      asid: asidArb,
      g: fc.boolean(),
      kind: kindArb,
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({ t: fc.constant('look' as const), vpn: vpnArb, asid: asidArb, kind: kindArb }),
  },
  fc.record({ t: fc.constant('invlpg' as const), vpn: vpnArb, asid: asidArb }),
  fc.record({
    t: fc.constant('invpcid' as const),
    type: fc.constantFrom<InvpcidType>(0, 1, 2, 3),
    asid: asidArb,
    vpn: vpnArb,
  }),
  fc.record({ t: fc.constant('cr3' as const), asid: asidArb, noFlush: fc.boolean() }),
  fc.record({ t: fc.constant('pge' as const) }),
  fc.record({ t: fc.constant('sfence' as const), vpn: fc.option(vpnArb), asid: fc.option(asidArb) }),
  fc.record({ t: fc.constant('vae1' as const), vpn: vpnArb, asid: asidArb }),
  fc.record({ t: fc.constant('vaae1' as const), vpn: vpnArb }),
  fc.record({ t: fc.constant('aside1' as const), asid: asidArb }),
  fc.record({ t: fc.constant('vmalle1' as const) }),
);

// Large pages split into fragments: one 1 GiB region, fills of 2M/1G pages only, invalidations by
// address elsewhere in the same page. Catches an invalidation that matches only the fragment.
const nearArb = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
  .map(([m, k]) => 262144 + m * 512 + k * 4);
const splinterOpArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('fill' as const),
    vpn: nearArb,
    shift: fc.constantFrom<21 | 30>(21, 30),
    asid: fc.constant(1),
    g: fc.boolean(),
    kind: kindArb,
  }),
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('look' as const),
      vpn: nearArb,
      asid: fc.constant(1),
      kind: kindArb,
    }),
  },
  fc.record({ t: fc.constant('invlpg' as const), vpn: nearArb, asid: fc.constant(1) }),
  fc.record({ t: fc.constant('vae1' as const), vpn: nearArb, asid: fc.constant(1) }),
  fc.record({ t: fc.constant('vaae1' as const), vpn: nearArb }),
  fc.record({ t: fc.constant('sfence' as const), vpn: nearArb, asid: fc.constant(null) }),
  fc.record({
    t: fc.constant('invpcid' as const),
    type: fc.constant<InvpcidType>(0),
    asid: fc.constant(1),
    vpn: nearArb,
  }),
);

interface Rec {
  start: number;
  shift: number;
  asid: number;
  g: boolean;
}

/** The reference semantics, written from the manuals independently of level.ts. */
function modelRemoves(op: Op, r: Rec): boolean {
  const inPage = (vpn: number): boolean => vpn >= r.start && vpn < r.start + spanOf(r.shift);
  switch (op.t) {
    case 'invlpg':
    case 'vae1':
      return inPage(op.vpn) && (r.asid === op.asid || r.g);
    case 'invpcid':
      if (op.type === 0) return inPage(op.vpn) && r.asid === op.asid && !r.g;
      if (op.type === 1) return r.asid === op.asid && !r.g;
      return op.type === 2 ? true : !r.g;
    case 'cr3':
      return !op.noFlush && r.asid === op.asid && !r.g;
    case 'pge':
    case 'vmalle1':
      return true;
    case 'sfence':
      return (op.vpn === null || inPage(op.vpn)) && (op.asid === null || (r.asid === op.asid && !r.g));
    case 'vaae1':
      return inPage(op.vpn);
    case 'aside1':
      return r.asid === op.asid && !r.g;
    default:
      return false;
  }
}

function applyInval(h: TlbHierarchy, op: Op): InvalidationCount | null {
  switch (op.t) {
    case 'invlpg':
      return invlpg(h, op.vpn, op.asid);
    case 'invpcid':
      return invpcid(h, op.type, op.asid, op.vpn);
    case 'cr3':
      return movToCr3(h, op.asid, op.noFlush);
    case 'pge':
      return cr4PgeToggle(h);
    case 'sfence':
      return sfenceVma(h, op.vpn, op.asid);
    case 'vae1':
      return tlbiVae1(h, op.vpn, op.asid);
    case 'vaae1':
      return tlbiVaae1(h, op.vpn);
    case 'aside1':
      return tlbiAside1(h, op.asid);
    case 'vmalle1':
      return tlbiVmalle1(h);
    default:
      return null;
  }
}

function build(p: TlbPreset, seed: number): TlbHierarchy {
  const r = createHierarchy(p, seed);
  if (!r.ok) throw new Error(r.error);
  return r.h;
}

function validTotal(h: TlbHierarchy): number {
  return h.levels.reduce((n, l) => n + levelValidCount(l), 0);
}

/** Runs ops; frames are unique per fill (pfn = fill number * 2^18) so a hit names its fill. */
function run(h: TlbHierarchy, ops: readonly Op[], check: boolean): string[] {
  const live = new Map<number, Rec>();
  const out = newLookupOut();
  const trace: string[] = [];
  let n = 0;
  for (const op of ops) {
    if (op.t === 'fill') {
      const span = spanOf(op.shift);
      const start = Math.floor(op.vpn / span) * span;
      const base = ++n * 262144;
      live.set(base, { start, shift: op.shift, asid: op.asid, g: op.g });
      hierarchyFill(h, op.vpn, op.shift, op.asid, base, op.g ? TLBF_G : 0, op.kind, null);
    } else if (op.t === 'look') {
      const lv = hierarchyLookup(h, op.vpn, op.asid, op.kind, out);
      trace.push(lv === 'miss' ? lv : `${lv}:${out.pfn}`);
      if (check && lv !== 'miss') {
        // (a) never a foreign ASID unless global, never a translation an invalidation removed.
        expect(out.asid === op.asid || out.global).toBe(true);
        const rec = live.get(out.basePfn);
        expect(rec, `stale translation for vpn ${op.vpn} (frame ${out.basePfn})`).toBeDefined();
        if (rec) {
          expect([rec.start, rec.shift, rec.asid, rec.g]).toEqual([
            Math.floor(op.vpn / spanOf(rec.shift)) * spanOf(rec.shift),
            out.pageShift,
            out.asid,
            out.global,
          ]);
          expect(out.pfn).toBe(out.basePfn + (op.vpn - rec.start));
        }
      }
    } else {
      const before = validTotal(h);
      const c = applyInval(h, op);
      if (check && c) expect(c.total).toBe(before - validTotal(h));
      for (const [k, r] of live) if (modelRemoves(op, r)) live.delete(k);
    }
    if (check) checkShape(h);
  }
  return trace;
}

/** (b) per set never more than `ways` entries, each in the set its tag indexes, no duplicates. */
function checkShape(h: TlbHierarchy): void {
  for (const l of h.levels) {
    const perSet = new Int32Array(l.sets);
    const seen = new Set<string>();
    let counted = 0;
    for (let i = 0; i < l.valid.length; i++) {
      if (l.valid[i] !== 1) continue;
      counted++;
      const set = Math.floor(i / l.ways);
      const tag = l.tag[i] as number;
      expect(tag % l.sets).toBe(set);
      perSet[set] = (perSet[set] as number) + 1;
      const key = `${tag}/${l.shift[i]}/${l.asid[i]}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    for (const c of perSet) expect(c).toBeLessThanOrEqual(l.ways);
    expect(levelValidCount(l)).toBe(counted);
  }
}

const presetArb = fc.constantFrom(...PRESETS);
const opsArb = fc.array(opArb, { maxLength: 150 });

describe('TLB hierarchy properties', () => {
  it('(a)+(b) never serves an invalidated or foreign translation; sets never overflow', () => {
    fc.assert(
      fc.property(presetArb, fc.integer(), opsArb, (p, seed, ops) => {
        run(build(p, seed), ops, true);
      }),
      { numRuns: 300 },
    );
  });

  it('(a) holds for splintered large pages invalidated through another address', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(TINY, SKYLAKE_PRESET, CORTEX_A76_PRESET),
        fc.integer(),
        fc.array(splinterOpArb, { maxLength: 40 }),
        (p, seed, ops) => {
          run(build(p, seed), ops, true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('(c) same seed and ops: identical state and lookups; a mid-run checkpoint resumes identically', () => {
    fc.assert(
      fc.property(presetArb, fc.integer(), opsArb, opsArb, (p, seed, first, second) => {
        const a = build(p, seed);
        const b = build(p, seed);
        expect(run(a, first, false)).toEqual(run(b, first, false));
        expect(a).toEqual(b);
        const c = deepClone(a);
        expect(run(a, second, false)).toEqual(run(c, second, false));
        expect(c).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});
