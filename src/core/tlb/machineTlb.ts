// A simulated core's TLB, built from what the scenario says (spec.machine.tlb): a named preset is
// the real hierarchy (split L1 iTLB/dTLB, unified STLB); `sets`/`ways` is the one array every
// lesson was written against: a unified L1 of that geometry, LRU, holding every page size, with no
// L2, and costs equal to the flat `tlbHit` of src/core/costs.ts whatever the outcome. That single
// array behaves exactly as the old per-core TLB did (same lookup order, same LRU victims, same
// invalidation counts), so every existing lesson runs step for step as before.
import { createHierarchy, type HierarchyResult, type TlbHierarchy } from './hierarchy';
import { createLevel, levelEntries, spanOf, type TlbEntryView, type TlbRole } from './level';
import { presetById, type TlbPreset } from './presets';

/** What the scenario asked for, in the shape spec.ts declares. */
export type CoreTlbSpec = { sets: number; ways: number } | { preset: string };

/** The preset a `sets`/`ways` spec stands for (entries > 0 only: see createCoreTlb for 0). */
export function singleArrayPreset(sets: number, ways: number, lookupCost: number): TlbPreset {
  return {
    id: 'sets-ways',
    title: `${sets * ways}-entry TLB (${sets} sets x ${ways} ways, LRU)`,
    arrays: [
      {
        name: 'TLB',
        role: 'l1',
        entries: sets * ways,
        ways,
        policy: 'lru',
        pageShifts: [12, 21, 30],
        source: 'the scenario (machine.tlb.sets, machine.tlb.ways)',
      },
    ],
    costs: { l1Hit: lookupCost, l2Hit: lookupCost, miss: lookupCost },
  };
}

/** Seed of a core's replacement PRNG: distinct per core, derived from the scenario's seed. */
export function coreTlbSeed(seed: number, coreId: number): number {
  return (seed + Math.imul(coreId + 1, 0x9e3779b9)) >>> 0;
}

/**
 * Builds one core's hierarchy. `lookupCost` is the flat cost a `sets`/`ways` TLB charges per
 * lookup (DEFAULT_COSTS.tlbHit); a preset brings its own cost model.
 */
export function createCoreTlb(spec: CoreTlbSpec, seed: number, lookupCost: number): HierarchyResult {
  if ('preset' in spec) {
    const p = presetById(spec.preset);
    if (!p) return { ok: false, error: `machine.tlb.preset: unknown TLB preset '${spec.preset}'` };
    return createHierarchy(p, seed);
  }
  const disabled = spec.sets === 0 || spec.ways === 0;
  const r = createHierarchy(
    singleArrayPreset(disabled ? 1 : spec.sets, disabled ? 1 : spec.ways, lookupCost),
    seed,
  );
  if (!r.ok) return { ok: false, error: `machine.tlb: ${r.error}` };
  // No TLB at all (0 sets or 0 ways): an array with no slot, so every lookup misses and a fill
  // stores nothing, as before.
  if (disabled) r.h.levels[0] = createLevel('TLB', 'l1', 0, 0, 'lru', [12, 21, 30]);
  return r;
}

/** One valid entry of one array, with the page the walk found (a splintered entry is a fragment). */
export interface CoreTlbEntry extends TlbEntryView {
  /** Index of the array in the hierarchy, its name and role. */
  array: number;
  arrayName: string;
  role: TlbRole;
  /** First 4 KiB page and first frame of the whole page the walk found. */
  pageVpn: number;
  pageBasePfn: number;
}

/** Every valid entry of every array (L1 and L2), in hierarchy order (allocates: not the hot path). */
export function coreTlbEntries(h: TlbHierarchy): CoreTlbEntry[] {
  const out: CoreTlbEntry[] = [];
  h.levels.forEach((l, array) => {
    for (const e of levelEntries(l)) {
      const span = spanOf(e.origShift);
      const pageVpn = Math.floor(e.vpn / span) * span;
      out.push({
        ...e,
        array,
        arrayName: l.name,
        role: l.role,
        pageVpn,
        pageBasePfn: e.pfn - (e.vpn - pageVpn),
      });
    }
  });
  return out;
}

/** Total slots of the hierarchy's arrays. */
export function coreTlbCapacity(h: TlbHierarchy): number {
  let n = 0;
  for (const l of h.levels) n += l.sets * l.ways;
  return n;
}
