// One TLB array: sets x ways, one replacement policy, and the page sizes it can hold (hardware
// splits L1 TLBs by page size: Skylake has separate 4K, 2M/4M and 1G dTLB arrays). Plain typed
// arrays, so a checkpoint is a deep copy. An entry caches what the walk decided (frame, rights,
// G, whether D was already set); a hit never reads the page tables (SDM 4.10.2).
//
// A translation larger than any page size the array holds is "splintered": the array stores the
// fragment (at its largest size not above the page's) that covers the accessed address. SDM
// 4.10.2.3 allows exactly this ("may cache ... as several smaller TLB entries"), and the entry
// remembers the original page size so an invalidation of any address in the page removes every
// fragment (SDM 4.10.4.1: INVLPG invalidates all entries for the page, whatever their size).
import type { PrngState } from '../prng';
import {
  createRepl,
  type ReplacementPolicy,
  type ReplState,
  replInsert,
  replTouch,
  replVictimFull,
} from './replacement';
import { TLBF_G } from './tlb';

/** Entry flags: the same bits as tlb.ts, so flag strings (tlbFlagString) work on both. */
export { TLBF_D, TLBF_G, TLBF_NX, TLBF_RW, TLBF_US } from './tlb';

/** x86-64 / Sv39+ / AArch64-4K-granule leaf sizes: 4 KiB, 2 MiB, 1 GiB. */
export type PageShift = 12 | 21 | 30;
export const PAGE_SHIFTS: readonly PageShift[] = [12, 21, 30];

/** Where an array sits in the hierarchy: split L1 (instruction/data), a unified L1, or the L2. */
export type TlbRole = 'l1i' | 'l1d' | 'l1' | 'l2';

export interface TlbLevel {
  name: string;
  role: TlbRole;
  sets: number;
  ways: number;
  /** Bit k set when the array holds pages of PAGE_SHIFTS[k]. */
  shiftMask: number;
  valid: Uint8Array;
  /** Page number at the entry's stored size (vpn >> (shift-12)). */
  tag: Float64Array;
  /** The size the entry is stored at (its fragment size). */
  shift: Uint8Array;
  /** The size of the page the walk found (>= shift when splintered). */
  origShift: Uint8Array;
  /** PCID / ASID the entry was filled under (ignored on lookup when G is set). */
  asid: Uint16Array;
  /** Frame of the stored fragment's first 4 KiB page. */
  pfn: Float64Array;
  flags: Uint8Array;
  /** Valid entries stored at each of PAGE_SHIFTS, so lookups skip sizes with none. */
  perShift: Int32Array;
  repl: ReplState;
  /** Probes of this array that hit / missed. */
  hits: number;
  misses: number;
}

/** What a fill displaced, for the UI. `evicted` false when a free way (or the same entry) was used. */
export interface EvictionInfo {
  /** Index of the array in its hierarchy (-1: no fill happened). */
  array: number;
  slot: number;
  evicted: boolean;
  vpn: number;
  shift: number;
  asid: number;
  flags: number;
  pfn: number;
}

export function newEvictionInfo(): EvictionInfo {
  return { array: -1, slot: -1, evicted: false, vpn: -1, shift: 0, asid: 0, flags: 0, pfn: -1 };
}

/** 4 KiB pages in a page of `shift` (2 ** is slow on a hot path). */
export function spanOf(shift: number): number {
  return shift === 12 ? 1 : shift === 21 ? 512 : 262144;
}

function shiftIndex(shift: number): number {
  return shift === 12 ? 0 : shift === 21 ? 1 : 2;
}

export function shiftMaskOf(shifts: readonly PageShift[]): number {
  let m = 0;
  for (const s of shifts) m |= 1 << shiftIndex(s);
  return m;
}

/** Assumes a validated shape (sets a power of two, ways >= 1; see presets.ts). */
export function createLevel(
  name: string,
  role: TlbRole,
  sets: number,
  ways: number,
  policy: ReplacementPolicy,
  shifts: readonly PageShift[],
): TlbLevel {
  const n = sets * ways;
  return {
    name,
    role,
    sets,
    ways,
    shiftMask: shiftMaskOf(shifts),
    valid: new Uint8Array(n),
    tag: new Float64Array(n),
    shift: new Uint8Array(n),
    origShift: new Uint8Array(n),
    asid: new Uint16Array(n),
    pfn: new Float64Array(n),
    flags: new Uint8Array(n),
    perShift: new Int32Array(3),
    repl: createRepl(policy, sets, ways),
    hits: 0,
    misses: 0,
  };
}

/** The size this array stores a page of `pageShift` at: the largest it holds not above it, or -1. */
export function levelStoreShift(l: TlbLevel, pageShift: number): number {
  for (let k = shiftIndex(pageShift); k >= 0; k--) {
    if ((l.shiftMask >>> k) & 1) return PAGE_SHIFTS[k] as number;
  }
  return -1;
}

/**
 * Finds the slot translating 4 KiB page `vpn` for `asid`, or -1. A global entry matches any ASID
 * (SDM 4.10.2.4; RISC-V priv. spec "Global mappings ... exist in all address spaces"; Arm nG=0).
 * Updates the replacement state and the array's hit/miss counters.
 */
export function levelLookup(l: TlbLevel, vpn: number, asid: number): number {
  const mask = l.sets - 1;
  for (let k = 0; k < 3; k++) {
    if (l.perShift[k] === 0) continue;
    const shift = k === 0 ? 12 : k === 1 ? 21 : 30;
    const tag = k === 0 ? vpn : Math.floor(vpn / spanOf(shift));
    const set = tag & mask;
    const base = set * l.ways;
    for (let w = 0; w < l.ways; w++) {
      const i = base + w;
      // Tag first: it rules out almost every way, and an invalid slot never keeps a stale match
      // because valid is checked before use.
      if (
        l.tag[i] === tag &&
        l.valid[i] === 1 &&
        l.shift[i] === shift &&
        (l.asid[i] === asid || ((l.flags[i] as number) & TLBF_G) !== 0)
      ) {
        replTouch(l.repl, set, w);
        l.hits++;
        return i;
      }
    }
  }
  l.misses++;
  return -1;
}

/** The 4 KiB page number the entry in `slot` starts at. */
export function entryVpn(l: TlbLevel, slot: number): number {
  return (l.tag[slot] as number) * spanOf(l.shift[slot] as number);
}

function dropSlot(l: TlbLevel, i: number): void {
  l.valid[i] = 0;
  const k = shiftIndex(l.shift[i] as number);
  l.perShift[k] = (l.perShift[k] as number) - 1;
}

/**
 * Caches the translation of 4 KiB page `vpn`, which lies in a page of `origShift` starting at frame
 * `origBasePfn`. Stores it at levelStoreShift (splintering if needed). An existing entry for the
 * same stored page and ASID is overwritten in place rather than duplicated. Returns the slot, or -1
 * if the array holds no size up to origShift; `ev` (if given) says what was displaced.
 */
export function levelFill(
  l: TlbLevel,
  vpn: number,
  origShift: number,
  asid: number,
  origBasePfn: number,
  flags: number,
  prng: PrngState,
  ev: EvictionInfo | null,
): number {
  const shift = levelStoreShift(l, origShift);
  if (shift < 0 || l.sets === 0) return -1;
  const span = spanOf(shift);
  const tag = shift === 12 ? vpn : Math.floor(vpn / span);
  const startVpn = tag * span;
  const origSpan = spanOf(origShift);
  const origStart = origShift === 12 ? vpn : Math.floor(vpn / origSpan) * origSpan;
  const set = tag & (l.sets - 1);
  const base = set * l.ways;
  // One pass finds both an entry to overwrite (same page, size and ASID) and the first free way.
  let way = -1;
  let free = -1;
  for (let w = 0; w < l.ways; w++) {
    const i = base + w;
    if (l.valid[i] === 0) {
      if (free < 0) free = w;
    } else if (l.tag[i] === tag && l.shift[i] === shift && l.asid[i] === asid) {
      way = w;
      break;
    }
  }
  const reused = way >= 0;
  if (!reused) way = free >= 0 ? free : replVictimFull(l.repl, set, prng);
  const i = base + way;
  if (ev) {
    ev.slot = i;
    ev.evicted = !reused && l.valid[i] === 1;
    if (ev.evicted) {
      ev.vpn = entryVpn(l, i);
      ev.shift = l.shift[i] as number;
      ev.asid = l.asid[i] as number;
      ev.flags = l.flags[i] as number;
      ev.pfn = l.pfn[i] as number;
    } else {
      ev.vpn = -1;
      ev.shift = 0;
      ev.asid = 0;
      ev.flags = 0;
      ev.pfn = -1;
    }
  }
  if (l.valid[i] === 1) dropSlot(l, i);
  l.valid[i] = 1;
  l.tag[i] = tag;
  l.shift[i] = shift;
  l.origShift[i] = origShift;
  l.asid[i] = asid;
  l.pfn[i] = origBasePfn + (startVpn - origStart);
  l.flags[i] = flags;
  const k = shiftIndex(shift);
  l.perShift[k] = (l.perShift[k] as number) + 1;
  replInsert(l.repl, set, way);
  return i;
}

/** Which entries an invalidation removes, by ASID and the global bit. */
export const SCOPE_ALL = 0; // every ASID, globals included
export const SCOPE_ASID_OR_GLOBAL = 1; // the ASID's entries, and global entries whatever their ASID
export const SCOPE_ASID_NONGLOBAL = 2; // the ASID's entries except global ones
export const SCOPE_NONGLOBAL = 3; // every ASID, globals excluded
export type InvalScope = 0 | 1 | 2 | 3;

function inScope(scope: InvalScope, sameAsid: boolean, global: boolean): boolean {
  switch (scope) {
    case SCOPE_ASID_OR_GLOBAL:
      return sameAsid || global;
    case SCOPE_ASID_NONGLOBAL:
      return sameAsid && !global;
    case SCOPE_NONGLOBAL:
      return !global;
    default:
      return true;
  }
}

/**
 * Removes the entries in `scope` (see SCOPE_*). With `vpn` >= 0 only entries translating that
 * 4 KiB page, judged by the page the walk found (so every fragment of a splintered large page
 * goes); with `vpn` < 0 every address. Returns how many were removed.
 */
export function levelInvalidate(l: TlbLevel, vpn: number, asid: number, scope: InvalScope): number {
  let n = 0;
  for (let i = 0; i < l.valid.length; i++) {
    if (l.valid[i] !== 1) continue;
    if (!inScope(scope, l.asid[i] === asid, ((l.flags[i] as number) & TLBF_G) !== 0)) continue;
    if (vpn >= 0) {
      const os = spanOf(l.origShift[i] as number);
      if (Math.floor(entryVpn(l, i) / os) !== Math.floor(vpn / os)) continue;
    }
    dropSlot(l, i);
    n++;
  }
  return n;
}

export interface TlbEntryView {
  slot: number;
  set: number;
  way: number;
  /** First 4 KiB page the entry covers. */
  vpn: number;
  /** Stored size, and the size of the page the walk found. */
  pageShift: number;
  origShift: number;
  asid: number;
  global: boolean;
  pfn: number;
  flags: number;
}

/** Valid entries, for display (allocates: not for the hot path). */
export function levelEntries(l: TlbLevel): TlbEntryView[] {
  const out: TlbEntryView[] = [];
  for (let i = 0; i < l.valid.length; i++) {
    if (l.valid[i] !== 1) continue;
    out.push({
      slot: i,
      set: Math.floor(i / l.ways),
      way: i % l.ways,
      vpn: entryVpn(l, i),
      pageShift: l.shift[i] as number,
      origShift: l.origShift[i] as number,
      asid: l.asid[i] as number,
      global: ((l.flags[i] as number) & TLBF_G) !== 0,
      pfn: l.pfn[i] as number,
      flags: l.flags[i] as number,
    });
  }
  return out;
}

export function levelValidCount(l: TlbLevel): number {
  return (l.perShift[0] as number) + (l.perShift[1] as number) + (l.perShift[2] as number);
}
