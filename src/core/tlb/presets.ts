// TLB hierarchy presets: which arrays a core has, their sizes (each with its source), their
// replacement policy and the cycle costs. A preset is plain data; validatePreset rejects a bad one
// with a value (never an exception) so a scenario file can carry its own.
import { CORTEX_A76_TLB_COSTS, SKYLAKE_TLB_COSTS, TEACHING_TLB_COSTS, type TlbCostModel } from './costs';
import { PAGE_SHIFTS, type PageShift, type TlbRole } from './level';
import { policyProblem, type ReplacementPolicy } from './replacement';

export interface TlbArraySpec {
  name: string;
  role: TlbRole;
  entries: number;
  /** Ways per set; entries for a fully associative array. */
  ways: number;
  policy: ReplacementPolicy;
  pageShifts: readonly PageShift[];
  /** One line: where the numbers come from (⚠ marks what was not seen in a primary source). */
  source: string;
}

export interface TlbPreset {
  id: string;
  title: string;
  arrays: readonly TlbArraySpec[];
  costs: TlbCostModel;
}

export type PresetCheck = { ok: true; preset: TlbPreset } | { ok: false; error: string };

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

/** Checks the shape of a preset; the error names the first problem found. */
export function validatePreset(p: TlbPreset): PresetCheck {
  const fail = (error: string): PresetCheck => ({ ok: false, error: `TLB preset '${p.id}': ${error}` });
  if (!p.id) return fail('needs an id');
  if (p.arrays.length === 0) return fail('has no TLB arrays');
  if (p.arrays.length > 64) return fail('has more than 64 arrays');
  const held = new Map<TlbRole, Set<number>>();
  for (const a of p.arrays) {
    if (!['l1i', 'l1d', 'l1', 'l2'].includes(a.role)) return fail(`${a.name}: unknown role '${a.role}'`);
    if (!isCount(a.entries) || !isCount(a.ways)) {
      return fail(`${a.name}: entries and ways must be positive integers`);
    }
    if (a.entries % a.ways !== 0)
      return fail(`${a.name}: ${a.entries} entries are not a multiple of ${a.ways} ways`);
    const sets = a.entries / a.ways;
    if (!isPow2(sets)) return fail(`${a.name}: the number of sets must be a power of two (got ${sets})`);
    const pp = policyProblem(a.policy, a.ways);
    if (pp) return fail(`${a.name}: ${pp}`);
    if (a.pageShifts.length === 0) return fail(`${a.name}: holds no page size`);
    const roleSet = held.get(a.role) ?? new Set<number>();
    for (const s of a.pageShifts) {
      if (!PAGE_SHIFTS.includes(s)) return fail(`${a.name}: unsupported page shift ${s}`);
      // Two arrays of one role holding one size would make the fill target ambiguous.
      if (roleSet.has(s)) return fail(`${a.name}: another ${a.role} array already holds page shift ${s}`);
      roleSet.add(s);
    }
    held.set(a.role, roleSet);
  }
  const unified = held.has('l1');
  if (unified && (held.has('l1i') || held.has('l1d'))) return fail('mixes a unified L1 with split L1 arrays');
  if (!unified && !(held.has('l1i') && held.has('l1d')))
    return fail('needs both l1i and l1d arrays, or a unified l1');
  // Every translation must fit an L1 (splintered if need be), so each L1 side holds 4 KiB pages.
  for (const role of ['l1', 'l1i', 'l1d'] as const) {
    const s = held.get(role);
    if (s && !s.has(12)) return fail(`the ${role} arrays hold no 4 KiB pages`);
  }
  for (const k of ['l1Hit', 'l2Hit', 'miss'] as const) {
    const c = p.costs[k];
    if (!(typeof c === 'number' && Number.isFinite(c) && c >= 0))
      return fail(`cost ${k} must be a number >= 0`);
  }
  return { ok: true, preset: p };
}

/** A handful of entries, fully associative, LRU, one unified L1 and no L2: every hit and eviction visible. */
export const TEACHING_PRESET: TlbPreset = {
  id: 'teaching',
  title: 'Teaching TLB (8 entries, fully associative, LRU)',
  arrays: [
    {
      name: 'TLB',
      role: 'l1',
      entries: 8,
      ways: 8,
      policy: 'lru',
      pageShifts: [12, 21, 30],
      source: 'vmscope teaching model (not a real core)',
    },
  ],
  costs: TEACHING_TLB_COSTS,
};

// Intel does not document TLB replacement: tree-PLRU where the ways are a power of two, LRU for the
// 12-way STLB, is the model's assumption.
const SKL_TABLE =
  'Intel Opt. Ref. Manual 248966-045 Table 2-15 (via J. McCalpin, Intel community; domain-facts §7)';
const SKL_CPUID = 'CPUID leaf 2 on Skylake-SP (Intel community thread; domain-facts §7)';

/** Intel Skylake client core (Skylake-SP has the same TLBs, per the same thread). */
export const SKYLAKE_PRESET: TlbPreset = {
  id: 'skylake',
  title: 'Intel Skylake (client)',
  arrays: [
    {
      name: 'L1 iTLB 4K',
      role: 'l1i',
      entries: 128,
      ways: 8,
      policy: 'plru',
      pageShifts: [12],
      source: SKL_TABLE,
    },
    {
      name: 'L1 iTLB 2M',
      role: 'l1i',
      entries: 8,
      ways: 8,
      policy: 'plru',
      pageShifts: [21],
      source: `${SKL_TABLE}: 8 per thread; fully associative per ${SKL_CPUID} (descriptor 0x76)`,
    },
    {
      name: 'L1 dTLB 4K',
      role: 'l1d',
      entries: 64,
      ways: 4,
      policy: 'plru',
      pageShifts: [12],
      source: `${SKL_CPUID} (descriptor 0x03: 64 entries, 4-way)`,
    },
    {
      name: 'L1 dTLB 2M',
      role: 'l1d',
      entries: 32,
      ways: 4,
      policy: 'plru',
      pageShifts: [21],
      source:
        'Haswell L1 dTLB: 32 entries for 2M/4M, 4-way (PC Watch 2013-06-21 p.15; domain-facts §7); WikiChip: Skylake keeps Haswell/Broadwell memory structure ⚠ associativity inferred',
    },
    {
      name: 'L1 dTLB 1G',
      role: 'l1d',
      entries: 4,
      ways: 4,
      policy: 'plru',
      pageShifts: [30],
      source: `${SKL_CPUID} (descriptor 0x63: 4 entries, 4-way)`,
    },
    {
      name: 'STLB 4K+2M',
      role: 'l2',
      entries: 1536,
      ways: 12,
      policy: 'lru',
      pageShifts: [12, 21],
      source: `1536 entries: ${SKL_CPUID} (descriptor 0xc3); 12-way: WikiChip Skylake (client) "STLB 4KB+2M ... from 6-way to 12-way"`,
    },
    {
      name: 'STLB 1G',
      role: 'l2',
      entries: 16,
      ways: 4,
      policy: 'plru',
      pageShifts: [30],
      source: `${SKL_TABLE} ⚠ UNVERIFIED: the 1G STLB row was not seen in any source reached`,
    },
  ],
  costs: SKYLAKE_TLB_COSTS,
};

const A76_TRM = 'Arm Cortex-A76 Core TRM §A5.2 "TLB organization"';

/**
 * Arm Cortex-A76, 4 KiB granule: only the 4K/2M/1G sizes are modelled (the core also caches
 * 16K/64K/32M/512M). The L1 TLBs hold up to 2M, so a 1G block is splintered into 2M entries there
 * (TRM: the L2 TLB "is responsible for breaking these down"). Replacement policy not documented: LRU assumed.
 */
export const CORTEX_A76_PRESET: TlbPreset = {
  id: 'cortex-a76',
  title: 'Arm Cortex-A76',
  arrays: [
    {
      name: 'L1 iTLB',
      role: 'l1i',
      entries: 48,
      ways: 48,
      policy: 'lru',
      pageShifts: [12, 21],
      source: `${A76_TRM}.1: 48-entry fully associative, 4KB/16KB/64KB/2MB/32MB`,
    },
    {
      name: 'L1 dTLB',
      role: 'l1d',
      entries: 48,
      ways: 48,
      policy: 'lru',
      pageShifts: [12, 21],
      source: `${A76_TRM}.2: 48-entry fully associative, 4KB/16KB/64KB/2MB/512MB`,
    },
    {
      name: 'L2 TLB',
      role: 'l2',
      entries: 1280,
      ways: 5,
      policy: 'lru',
      pageShifts: [12, 21, 30],
      source: `${A76_TRM}.3: 5-way set associative, 1280 entries, 4KB..1GB`,
    },
  ],
  costs: CORTEX_A76_TLB_COSTS,
};

export const TLB_PRESETS: readonly TlbPreset[] = [TEACHING_PRESET, SKYLAKE_PRESET, CORTEX_A76_PRESET];

export function presetById(id: string): TlbPreset | undefined {
  return TLB_PRESETS.find((p) => p.id === id);
}
