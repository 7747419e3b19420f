// One core's TLB hierarchy: split (or unified) L1 arrays and an optional unified L2 (Intel's STLB).
// A fetch probes the instruction side, a read or write the data side; an L1 miss probes the L2,
// and an L2 hit copies the entry into the L1 of that side. After a walk, hierarchyFill caches the
// translation in both the L1 and the L2 (a simple inclusive model: Intel does not document STLB
// inclusion, so this is an assumption). Everything is plain data with its own PRNG state for
// random replacement, so a checkpoint is a deep copy and a replay is exact.
import { type PrngState, seedPrng } from '../prng';
import type { TlbCostModel } from './costs';
import {
  createLevel,
  type EvictionInfo,
  entryVpn,
  levelEntries,
  levelFill,
  levelLookup,
  levelStoreShift,
  newEvictionInfo,
  spanOf,
  type TlbEntryView,
  type TlbLevel,
  type TlbRole,
} from './level';
import { type TlbPreset, validatePreset } from './presets';
import type { PscState } from './psc';
import { TLBF_G } from './tlb';

export type AccessKind = 'read' | 'write' | 'fetch';
/** Where a lookup was served: 'l1' is a unified L1 (the teaching preset). */
export type TlbHitLevel = 'l1i' | 'l1d' | 'l1' | 'l2' | 'miss';

/** Side groups: 0 the L1 a fetch uses, 1 the L1 reads and writes use, 2 the L2. */
const G_FETCH = 0;
const G_DATA = 1;
const G_L2 = 2;

export interface TlbHierarchyStats {
  lookups: number;
  l1iHits: number;
  l1dHits: number;
  /** Hits in a unified L1. */
  l1Hits: number;
  l2Hits: number;
  misses: number;
  fills: number;
  /** Cycles charged by lookups under the cost model. */
  cycles: number;
}

export interface TlbHierarchy {
  preset: string;
  levels: TlbLevel[];
  unifiedL1: boolean;
  /** Array indices probed per group (G_FETCH, G_DATA, G_L2). */
  probe: number[][];
  /** [group * 3 + page-size index] -> array a translation of that size is filled into, or -1. */
  fillTo: Int8Array;
  costs: TlbCostModel;
  /** Random replacement draws from here (per core, so replacement never perturbs the scheduler's PRNG). */
  prng: PrngState;
  stats: TlbHierarchyStats;
  /** Paging-structure caches (machine.psc; SDM 4.10.3), absent when the machine has none. */
  psc?: PscState;
}

export type HierarchyResult = { ok: true; h: TlbHierarchy } | { ok: false; error: string };

function sizeIndex(shift: number): number {
  return shift === 12 ? 0 : shift === 21 ? 1 : 2;
}

function groupsOf(role: TlbRole): number[] {
  return role === 'l1' ? [G_FETCH, G_DATA] : role === 'l1i' ? [G_FETCH] : role === 'l1d' ? [G_DATA] : [G_L2];
}

/** Builds a core's hierarchy from a preset; a bad preset comes back as { ok: false }. */
export function createHierarchy(preset: TlbPreset, seed: number): HierarchyResult {
  const v = validatePreset(preset);
  if (!v.ok) return v;
  const levels = preset.arrays.map((a) =>
    createLevel(a.name, a.role, a.entries / a.ways, a.ways, a.policy, a.pageShifts),
  );
  const probe: number[][] = [[], [], []];
  levels.forEach((l, i) => {
    for (const g of groupsOf(l.role)) probe[g]?.push(i);
  });
  // For each group and page size, the array storing the largest fragment (the exact size if held).
  const fillTo = new Int8Array(9).fill(-1);
  for (let g = 0; g < 3; g++) {
    for (let k = 0; k < 3; k++) {
      const shift = k === 0 ? 12 : k === 1 ? 21 : 30;
      let best = -1;
      let bestShift = -1;
      for (const i of probe[g] ?? []) {
        const s = levelStoreShift(levels[i] as TlbLevel, shift);
        if (s > bestShift) {
          bestShift = s;
          best = i;
        }
      }
      fillTo[g * 3 + k] = best;
    }
  }
  return {
    ok: true,
    h: {
      preset: preset.id,
      levels,
      unifiedL1: levels.some((l) => l.role === 'l1'),
      probe,
      fillTo,
      costs: { ...preset.costs },
      prng: seedPrng(seed),
      stats: { lookups: 0, l1iHits: 0, l1dHits: 0, l1Hits: 0, l2Hits: 0, misses: 0, fills: 0, cycles: 0 },
    },
  };
}

/** Reusable result of a lookup (allocate once with newLookupOut; the hot path allocates nothing). */
export interface TlbLookupOut {
  level: TlbHitLevel;
  /** Array and slot that served the translation (-1 on a miss). */
  array: number;
  slot: number;
  /** Frame of the 4 KiB page looked up. */
  pfn: number;
  /** Size of the page the walk found, and the frame it starts at. */
  pageShift: number;
  basePfn: number;
  /** Size the serving entry is stored at (smaller than pageShift when splintered). */
  storedShift: number;
  asid: number;
  global: boolean;
  flags: number;
  cycles: number;
  /** On an L2 hit: the L1 refill and what it displaced (refill.array -1 otherwise). */
  refill: EvictionInfo;
}

export function newLookupOut(): TlbLookupOut {
  return {
    level: 'miss',
    array: -1,
    slot: -1,
    pfn: -1,
    pageShift: 0,
    basePfn: -1,
    storedShift: 0,
    asid: 0,
    global: false,
    flags: 0,
    cycles: 0,
    refill: newEvictionInfo(),
  };
}

export interface TlbFillOut {
  l1: EvictionInfo;
  l2: EvictionInfo;
}

export function newFillOut(): TlbFillOut {
  return { l1: newEvictionInfo(), l2: newEvictionInfo() };
}

/** Frame of the original page's start, recovered from an entry that may be a fragment of it. */
function origBasePfnOf(l: TlbLevel, slot: number): number {
  const start = entryVpn(l, slot);
  const os = spanOf(l.origShift[slot] as number);
  return (l.pfn[slot] as number) - (start - Math.floor(start / os) * os);
}

function setOut(out: TlbLookupOut, l: TlbLevel, array: number, slot: number, vpn: number): void {
  const shift = l.shift[slot] as number;
  const f = l.flags[slot] as number;
  out.array = array;
  out.slot = slot;
  out.storedShift = shift;
  out.pfn = (l.pfn[slot] as number) + (shift === 12 ? 0 : vpn % spanOf(shift));
  const orig = l.origShift[slot] as number;
  out.pageShift = orig;
  out.basePfn = orig === shift ? (l.pfn[slot] as number) : origBasePfnOf(l, slot);
  out.asid = l.asid[slot] as number;
  out.flags = f;
  out.global = (f & TLBF_G) !== 0;
}

/**
 * Looks up 4 KiB page `vpn` for `asid` on the side `kind` uses; fills `out` and returns the level
 * that served it. On an L2 hit the entry is copied into that side's L1 (out.refill says where and
 * what it evicted). Rights and the dirty-bit rule are the MMU's business, not the TLB's.
 */
export function hierarchyLookup(
  h: TlbHierarchy,
  vpn: number,
  asid: number,
  kind: AccessKind,
  out: TlbLookupOut,
): TlbHitLevel {
  const g = kind === 'fetch' ? G_FETCH : G_DATA;
  const st = h.stats;
  st.lookups++;
  out.refill.array = -1;
  const l1 = h.probe[g] as number[];
  for (let j = 0; j < l1.length; j++) {
    const a = l1[j] as number;
    const l = h.levels[a] as TlbLevel;
    const slot = levelLookup(l, vpn, asid);
    if (slot >= 0) {
      setOut(out, l, a, slot, vpn);
      out.cycles = h.costs.l1Hit;
      st.cycles += out.cycles;
      if (h.unifiedL1) {
        st.l1Hits++;
        out.level = 'l1';
      } else if (g === G_FETCH) {
        st.l1iHits++;
        out.level = 'l1i';
      } else {
        st.l1dHits++;
        out.level = 'l1d';
      }
      return out.level;
    }
  }
  const l2 = h.probe[G_L2] as number[];
  for (let j = 0; j < l2.length; j++) {
    const a = l2[j] as number;
    const l = h.levels[a] as TlbLevel;
    const slot = levelLookup(l, vpn, asid);
    if (slot >= 0) {
      setOut(out, l, a, slot, vpn);
      out.cycles = h.costs.l2Hit;
      st.cycles += out.cycles;
      st.l2Hits++;
      out.level = 'l2';
      // Refill the L1 of this side with the same translation, under the entry's own ASID tag.
      const t = h.fillTo[g * 3 + sizeIndex(out.pageShift)] as number;
      if (t >= 0) {
        out.refill.array = t;
        levelFill(
          h.levels[t] as TlbLevel,
          vpn,
          out.pageShift,
          out.asid,
          out.basePfn,
          out.flags,
          h.prng,
          out.refill,
        );
      }
      return 'l2';
    }
  }
  out.level = 'miss';
  out.array = -1;
  out.slot = -1;
  out.pfn = -1;
  out.cycles = h.costs.miss;
  st.cycles += out.cycles;
  st.misses++;
  return 'miss';
}

/**
 * Caches a walk's result: 4 KiB page `vpn` (the one accessed) lies in a page of `pageShift`
 * starting at frame `basePfn`. Filled into the L1 of `kind`'s side and into the L2. Never call
 * this for a faulting or not-present translation: those are not cached (SDM 4.10.2.3, domain-facts §1).
 */
export function hierarchyFill(
  h: TlbHierarchy,
  vpn: number,
  pageShift: number,
  asid: number,
  basePfn: number,
  flags: number,
  kind: AccessKind,
  out: TlbFillOut | null,
): void {
  const g = kind === 'fetch' ? G_FETCH : G_DATA;
  const k = sizeIndex(pageShift);
  h.stats.fills++;
  const t1 = h.fillTo[g * 3 + k] as number;
  if (out) out.l1.array = t1;
  if (t1 >= 0)
    levelFill(h.levels[t1] as TlbLevel, vpn, pageShift, asid, basePfn, flags, h.prng, out ? out.l1 : null);
  const t2 = h.fillTo[G_L2 * 3 + k] as number;
  if (out) out.l2.array = t2;
  if (t2 >= 0)
    levelFill(h.levels[t2] as TlbLevel, vpn, pageShift, asid, basePfn, flags, h.prng, out ? out.l2 : null);
}

export interface TlbArrayView {
  index: number;
  name: string;
  role: TlbRole;
  sets: number;
  ways: number;
  hits: number;
  misses: number;
  entries: TlbEntryView[];
}

/** Every array with its valid entries, for display (allocates). */
export function hierarchyView(h: TlbHierarchy): TlbArrayView[] {
  return h.levels.map((l, index) => ({
    index,
    name: l.name,
    role: l.role,
    sets: l.sets,
    ways: l.ways,
    hits: l.hits,
    misses: l.misses,
    entries: levelEntries(l),
  }));
}
