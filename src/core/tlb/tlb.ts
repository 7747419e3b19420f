// A per-core, set-associative, PCID-tagged TLB with LRU replacement, as plain typed arrays so a
// checkpoint is a structuredClone. An entry caches what the walk decided (frame, page size, the
// combined rights, G and whether D was already set); a hit never reads the page tables, which is
// exactly why a page-table change needs an explicit invalidation (SDM 4.10.4).

export const TLBF_RW = 1;
export const TLBF_US = 2;
export const TLBF_NX = 4;
export const TLBF_G = 8;
export const TLBF_D = 16;

export interface Tlb {
  sets: number;
  ways: number;
  valid: Uint8Array;
  /** Page number at the entry's own page size (VA >> pageShift). */
  tag: Float64Array;
  shift: Uint8Array;
  pcid: Uint16Array;
  /** Frame of the page start. */
  pfn: Float64Array;
  flags: Uint8Array;
  /** Last-use stamp for LRU. */
  stamp: Float64Array;
  clock: number;
  /** Number of valid entries larger than 4 KiB, so 4 KiB-only lookups skip the other sizes. */
  large: number;
  hits: number;
  misses: number;
}

export function createTlb(sets: number, ways: number): Tlb {
  if (sets < 0 || ways < 0 || (sets > 0 && (sets & (sets - 1)) !== 0)) {
    throw new RangeError(`TLB sets must be a power of two (got ${sets})`);
  }
  const n = sets * ways;
  return {
    sets,
    ways,
    valid: new Uint8Array(n),
    tag: new Float64Array(n),
    shift: new Uint8Array(n),
    pcid: new Uint16Array(n),
    pfn: new Float64Array(n),
    flags: new Uint8Array(n),
    stamp: new Float64Array(n),
    clock: 0,
    large: 0,
    hits: 0,
    misses: 0,
  };
}

const SHIFTS = [12, 21, 30] as const;

/** 4 KiB pages per entry of a page size (2 ** is slow on a hot path). */
function spanOf(shift: number): number {
  return shift === 12 ? 1 : shift === 21 ? 512 : 262144;
}

/**
 * Finds the slot translating 4 KiB page `vpn` for `pcid`, or -1. Global entries match any PCID
 * (SDM 4.10.2.4). Updates LRU on a hit. Does not count hits: the MMU decides what a hit is.
 */
export function tlbLookup(t: Tlb, vpn: number, pcid: number): number {
  if (t.sets === 0) return -1;
  const nShifts = t.large > 0 ? 3 : 1;
  for (let s = 0; s < nShifts; s++) {
    const shift = SHIFTS[s] as number;
    const tag = shift === 12 ? vpn : Math.floor(vpn / spanOf(shift));
    const base = (tag & (t.sets - 1)) * t.ways;
    for (let w = 0; w < t.ways; w++) {
      const i = base + w;
      if (
        t.valid[i] === 1 &&
        t.tag[i] === tag &&
        t.shift[i] === shift &&
        (t.pcid[i] === pcid || ((t.flags[i] as number) & TLBF_G) !== 0)
      ) {
        t.stamp[i] = ++t.clock;
        return i;
      }
    }
  }
  return -1;
}

export interface TlbEntryView {
  slot: number;
  set: number;
  way: number;
  vpn: number;
  pageShift: number;
  pcid: number;
  pfn: number;
  flags: number;
}

/**
 * Caches a translation. Picks an invalid way, else the least recently used one.
 * Returns the evicted entry's 4 KiB page number, or -1 if a free way was used.
 */
export function tlbFill(
  t: Tlb,
  vpn: number,
  pageShift: number,
  pcid: number,
  basePfn: number,
  flags: number,
): { slot: number; evictedVpn: number; evictedPcid: number } {
  if (t.sets === 0) return { slot: -1, evictedVpn: -1, evictedPcid: -1 };
  const tag = pageShift === 12 ? vpn : Math.floor(vpn / spanOf(pageShift));
  const base = (tag & (t.sets - 1)) * t.ways;
  let victim = base;
  let oldest = Number.POSITIVE_INFINITY;
  for (let w = 0; w < t.ways; w++) {
    const i = base + w;
    if (t.valid[i] === 0) {
      victim = i;
      oldest = -1;
      break;
    }
    if ((t.stamp[i] as number) < oldest) {
      oldest = t.stamp[i] as number;
      victim = i;
    }
  }
  let evictedVpn = -1;
  let evictedPcid = -1;
  if (t.valid[victim] === 1) {
    evictedVpn = (t.tag[victim] as number) * spanOf(t.shift[victim] as number);
    evictedPcid = t.pcid[victim] as number;
    if ((t.shift[victim] as number) > 12) t.large--;
  }
  t.valid[victim] = 1;
  t.tag[victim] = tag;
  t.shift[victim] = pageShift;
  t.pcid[victim] = pcid;
  t.pfn[victim] = basePfn;
  t.flags[victim] = flags;
  t.stamp[victim] = ++t.clock;
  if (pageShift > 12) t.large++;
  return { slot: victim, evictedVpn, evictedPcid };
}

function drop(t: Tlb, i: number): void {
  if ((t.shift[i] as number) > 12) t.large--;
  t.valid[i] = 0;
}

/**
 * INVLPG semantics (SDM 4.10.4.1): removes the entries for this page in `pcid`, and global
 * entries for it whatever their PCID. Returns how many entries were removed.
 */
export function tlbInvalidatePage(t: Tlb, vpn: number, pcid: number): number {
  let n = 0;
  for (let i = 0; i < t.valid.length; i++) {
    if (t.valid[i] !== 1) continue;
    const shift = t.shift[i] as number;
    const tag = shift === 12 ? vpn : Math.floor(vpn / spanOf(shift));
    if (t.tag[i] === tag && (t.pcid[i] === pcid || ((t.flags[i] as number) & TLBF_G) !== 0)) {
      drop(t, i);
      n++;
    }
  }
  return n;
}

/** MOV to CR3 without the no-flush bit: drops the non-global entries of one PCID (SDM 4.10.4.1). */
export function tlbInvalidatePcid(t: Tlb, pcid: number): number {
  let n = 0;
  for (let i = 0; i < t.valid.length; i++) {
    if (t.valid[i] === 1 && t.pcid[i] === pcid && ((t.flags[i] as number) & TLBF_G) === 0) {
      drop(t, i);
      n++;
    }
  }
  return n;
}

/** Everything, globals included (toggling CR4.PGE, or INVPCID type 2). */
export function tlbInvalidateAll(t: Tlb): number {
  let n = 0;
  for (let i = 0; i < t.valid.length; i++) {
    if (t.valid[i] === 1) {
      drop(t, i);
      n++;
    }
  }
  return n;
}

export function tlbEntries(t: Tlb): TlbEntryView[] {
  const out: TlbEntryView[] = [];
  for (let i = 0; i < t.valid.length; i++) {
    if (t.valid[i] !== 1) continue;
    const shift = t.shift[i] as number;
    out.push({
      slot: i,
      set: Math.floor(i / t.ways),
      way: i % t.ways,
      vpn: (t.tag[i] as number) * spanOf(shift),
      pageShift: shift,
      pcid: t.pcid[i] as number,
      pfn: t.pfn[i] as number,
      flags: t.flags[i] as number,
    });
  }
  return out;
}
