// x86-64 paging-structure entries at their architectural bit positions (Intel SDM Vol. 3A,
// tables 4-14 to 4-20; Linux arch/x86/include/asm/pgtable_types.h). An entry is 64 bits; we keep
// it as two uint32 halves (lo = bits 31:0, hi = bits 63:32) so that no BigInt sits on the hot path.

export const PTE_P = 1 << 0; // present
export const PTE_RW = 1 << 1; // writable (AND across levels, SDM 4.6.1)
export const PTE_US = 1 << 2; // user (AND across levels)
export const PTE_PWT = 1 << 3;
export const PTE_PCD = 1 << 4;
export const PTE_A = 1 << 5; // accessed, set by the walker (SDM 4.8)
export const PTE_D = 1 << 6; // dirty, leaf only
export const PTE_PS = 1 << 7; // page size in PDPTE/PDE (1 GiB / 2 MiB leaf); PAT in a 4 KiB PTE
export const PTE_G = 1 << 8; // global, leaf only, needs CR4.PGE
/** XD/NX is bit 63: bit 31 of the high half. OR across levels (SDM 4.6.1). */
export const PTE_HI_NX = 1 << 31;

/** Address bits 51:12 live in lo[31:12] and hi[19:0]. */
export const HI_ADDR_MASK = 0x000fffff;

export interface EntryFlags {
  p: boolean;
  rw: boolean;
  us: boolean;
  pwt: boolean;
  pcd: boolean;
  a: boolean;
  d: boolean;
  ps: boolean;
  g: boolean;
  nx: boolean;
}

/** The frame number an entry points to (a table, or a 4 KiB page / the base of a large page). */
export function entryPfn(lo: number, hi: number): number {
  return (hi & HI_ADDR_MASK) * 0x100000 + (lo >>> 12);
}

export function decodeFlags(lo: number, hi: number): EntryFlags {
  return {
    p: (lo & PTE_P) !== 0,
    rw: (lo & PTE_RW) !== 0,
    us: (lo & PTE_US) !== 0,
    pwt: (lo & PTE_PWT) !== 0,
    pcd: (lo & PTE_PCD) !== 0,
    a: (lo & PTE_A) !== 0,
    d: (lo & PTE_D) !== 0,
    ps: (lo & PTE_PS) !== 0,
    g: (lo & PTE_G) !== 0,
    nx: (hi & PTE_HI_NX) !== 0,
  };
}

export interface EntryFields {
  pfn: number;
  rw?: boolean;
  us?: boolean;
  a?: boolean;
  d?: boolean;
  ps?: boolean;
  g?: boolean;
  nx?: boolean;
}

/** Encodes a present entry. Returns [lo, hi]. */
export function encodeEntry(f: EntryFields): [number, number] {
  let lo = PTE_P;
  if (f.rw) lo |= PTE_RW;
  if (f.us) lo |= PTE_US;
  if (f.a) lo |= PTE_A;
  if (f.d) lo |= PTE_D;
  if (f.ps) lo |= PTE_PS;
  if (f.g) lo |= PTE_G;
  lo = (lo | ((f.pfn % 0x100000) << 12)) >>> 0;
  let hi = Math.floor(f.pfn / 0x100000) & HI_ADDR_MASK;
  if (f.nx) hi = (hi | PTE_HI_NX) >>> 0;
  return [lo, hi];
}

/** Short flag string for narration and panels, e.g. "P RW US A D NX". */
export function flagString(lo: number, hi: number): string {
  const f = decodeFlags(lo, hi);
  const parts: string[] = [];
  if (f.p) parts.push('P');
  if (f.rw) parts.push('RW');
  if (f.us) parts.push('US');
  if (f.a) parts.push('A');
  if (f.d) parts.push('D');
  if (f.ps) parts.push('PS');
  if (f.g) parts.push('G');
  if (f.nx) parts.push('NX');
  return parts.length ? parts.join(' ') : '-';
}

/** Level names, top = highest number (docs/events.md): 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT. */
export const LEVEL_NAMES: Record<number, string> = { 5: 'PML5', 4: 'PML4', 3: 'PDPT', 2: 'PD', 1: 'PT' };

/** Index into the table at `level` for a 4 KiB page number (VA >> 12). Exact for vpn < 2^53. */
export function levelIndex(vpn: number, level: number): number {
  // Division by a power of two is exact; `& 511` truncates and takes the low 9 bits.
  return (vpn / (LEVEL_SPAN[level] as number)) & 511;
}

/** 4 KiB pages covered by one entry at each level: 512^(level-1). */
export const LEVEL_SPAN = [0, 1, 512, 512 ** 2, 512 ** 3, 512 ** 4];
