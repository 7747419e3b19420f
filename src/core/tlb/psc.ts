// Intel's paging-structure caches (SDM Vol. 3A 4.10.3): per core, a PML4E cache, a PDPTE cache
// and a PDE cache. An entry is keyed by the linear-address bits that select a paging-structure
// entry (47:39, 47:30, 47:21 with 4-level paging; 56:39... with 5-level) and holds what a walk
// needs to skip the levels above: the physical address of the next table and the rights combined
// so far (R/W and U/S ANDed, XD ORed), tagged with the PCID. A TLB miss that finds one starts its
// walk below it (SDM 4.10.3.2). Entries are made only from entries with P=1, no reserved bit set
// and A=1 (the walker sets A first), and a PDE-cache entry only for a PDE that references a page
// table (PS=0) (SDM 4.10.3.1). The PML5E cache of 5-level paging is not modelled.
// Plain data (arrays of small objects) so a checkpoint is a deep copy; replacement is LRU on a
// per-core clock, so a replay is exact. Intel publishes no sizes: see PSC_ASSUMED_SIZES.
import { LEVEL_SPAN } from '../arch/x86_64/pte';

/** The level of the paging-structure entry a cache holds: 4 PML4E, 3 PDPTE, 2 PDE. */
export type PscLevel = 2 | 3 | 4;
export type PscName = 'PML4E' | 'PDPTE' | 'PDE';

/** Entries per cache (0 leaves that cache out; SDM 4.10.3: a processor may implement any or none). */
export interface PscSizes {
  pml4: number;
  pdpt: number;
  pde: number;
}

/**
 * What `machine.psc: true` means. ASSUMED, not measured: Intel documents neither whether a given
 * processor has these caches nor their sizes ("A processor may or may not implement any of the
 * paging-structure caches", SDM 4.10.3); side-channel work (van Schaik et al., "Malicious
 * Management Unit", USENIX Security 2018) measured some, but those figures were not checked here.
 * Small sizes of the right order: few PML4Es and PDPTEs are live in a process, PDEs more.
 */
export const PSC_ASSUMED_SIZES: PscSizes = Object.freeze({ pml4: 2, pdpt: 4, pde: 16 });

export interface PscEntry {
  /** The linear-address prefix: the 4 KiB page number divided by the span of one entry. */
  key: number;
  pcid: number;
  /** Frame of the table the cached entry points to (a PDPT, a PD or a page table). */
  next: number;
  /** R/W and U/S ANDed, XD ORed over the entries from the top down to this one. */
  rw: boolean;
  us: boolean;
  xd: boolean;
  /**
   * Not hardware state: which allocation `next` was when cached (FrameInfo.seq), so the invariant
   * monitor can tell that the frame has since been freed or handed to something else.
   */
  seq: number;
  /** LRU stamp from PscState.clock. */
  used: number;
}

export interface PscArray {
  level: PscLevel;
  name: PscName;
  capacity: number;
  entries: PscEntry[];
}

export interface PscState {
  /** Deepest first (PDE, PDPTE, PML4E): the order a lookup tries them. */
  arrays: PscArray[];
  clock: number;
  hits: number;
  misses: number;
  fills: number;
  /** Table reads the last walk skipped thanks to a hit (0 after a full walk). */
  lastSkipped: number;
}

export const PSC_NAMES: Record<PscLevel, PscName> = { 4: 'PML4E', 3: 'PDPTE', 2: 'PDE' };

export function createPsc(sizes: PscSizes): PscState {
  const arr = (level: PscLevel, capacity: number): PscArray => ({
    level,
    name: PSC_NAMES[level],
    capacity,
    entries: [],
  });
  return {
    arrays: [arr(2, sizes.pde), arr(3, sizes.pdpt), arr(4, sizes.pml4)],
    clock: 0,
    hits: 0,
    misses: 0,
    fills: 0,
    lastSkipped: 0,
  };
}

/** The sizes a scenario's `machine.psc` stands for (true: the assumed defaults). */
export function pscSizesOf(spec: boolean | PscSizes): PscSizes | null {
  if (spec === false) return null;
  return spec === true ? PSC_ASSUMED_SIZES : spec;
}

/** Key of the entry at `level` used for page `vpn`: its VA bits above that level's index. */
export function pscKey(vpn: number, level: number): number {
  return Math.floor(vpn / (LEVEL_SPAN[level] as number));
}

/** First 4 KiB page of the region an entry covers (for the UI and the narration). */
export function pscFirstVpn(key: number, level: number): number {
  return key * (LEVEL_SPAN[level] as number);
}

/** The deepest entry usable for (vpn, pcid), or null; a hit refreshes its LRU stamp. */
export function pscLookup(psc: PscState, vpn: number, pcid: number, pagingLevels: number): PscHit | null {
  for (const a of psc.arrays) {
    // A PML4E-cache hit under 5-level paging skips the PML5E too; no level here exceeds 4.
    if (a.level > pagingLevels) continue;
    const key = pscKey(vpn, a.level);
    for (const e of a.entries) {
      if (e.key === key && e.pcid === pcid) {
        e.used = ++psc.clock;
        psc.hits++;
        return { array: a, entry: e };
      }
    }
  }
  psc.misses++;
  return null;
}

export interface PscHit {
  array: PscArray;
  entry: PscEntry;
}

/**
 * Caches the entry at `level` for (vpn, pcid). Returns the entry it displaced (LRU), or null when
 * a free slot or the same key was used, or undefined when nothing was stored (a 0-entry cache).
 */
export function pscFill(
  psc: PscState,
  level: PscLevel,
  vpn: number,
  pcid: number,
  next: number,
  rights: { rw: boolean; us: boolean; xd: boolean },
  seq: number,
): PscEntry | null | undefined {
  const a = psc.arrays.find((x) => x.level === level);
  if (!a || a.capacity <= 0) return undefined;
  const key = pscKey(vpn, level);
  const stamp = ++psc.clock;
  const fresh: PscEntry = { key, pcid, next, rw: rights.rw, us: rights.us, xd: rights.xd, seq, used: stamp };
  psc.fills++;
  const same = a.entries.findIndex((e) => e.key === key && e.pcid === pcid);
  if (same >= 0) {
    a.entries[same] = fresh;
    return null;
  }
  if (a.entries.length < a.capacity) {
    a.entries.push(fresh);
    return null;
  }
  let victim = 0;
  for (let i = 1; i < a.entries.length; i++) {
    if ((a.entries[i] as PscEntry).used < (a.entries[victim] as PscEntry).used) victim = i;
  }
  const gone = a.entries[victim] as PscEntry;
  a.entries[victim] = fresh;
  return gone;
}

function removeWhere(psc: PscState, drop: (e: PscEntry, level: PscLevel) => boolean): number {
  let n = 0;
  for (const a of psc.arrays) {
    const keep = a.entries.filter((e) => !drop(e, a.level));
    n += a.entries.length - keep.length;
    a.entries = keep;
  }
  return n;
}

/** Every entry of every PCID (MOV to CR4 changing PGE, INVPCID types 2 and 3). */
export function pscInvalidateAll(psc: PscState): number {
  return removeWhere(psc, () => true);
}

/** Every entry of one PCID, whatever its address (INVLPG, INVPCID type 1, MOV to CR3). */
export function pscInvalidatePcid(psc: PscState, pcid: number): number {
  return removeWhere(psc, (e) => e.pcid === pcid);
}

/**
 * The entries that would be used to translate page `vpn` (one per level at most), in `pcid` or,
 * with null, in every PCID (a #PF and INVPCID type 0 for one PCID; per-address TLBIs and
 * SFENCE.VMAs of the other architectures' protocols).
 */
export function pscInvalidateAddress(psc: PscState, vpn: number, pcid: number | null): number {
  return removeWhere(psc, (e, level) => e.key === pscKey(vpn, level) && (pcid === null || e.pcid === pcid));
}

/** Total entries held. */
export function pscCount(psc: PscState): number {
  let n = 0;
  for (const a of psc.arrays) n += a.entries.length;
  return n;
}
