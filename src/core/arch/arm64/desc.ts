// VMSAv8-64 stage-1 translation descriptors for the 4 KiB granule, 48-bit output (no FEAT_LPA2,
// no FEAT_D128, no indirect permissions). Bit positions from Arm ARM DDI 0487 D8.3 and Linux
// arch/arm64/include/asm/pgtable-hwdef.h. Descriptors are bigint because every interesting bit
// (DBM, PXN, UXN, the table controls) lives above bit 31.

/** bit 0: valid. bit 1: table (levels 0-2) or page (level 3) when set, block when clear. */
export const DESC_VALID = 1n << 0n;
export const DESC_TABLE = 1n << 1n;
/** AP[1] (bit 6): EL0 has data access (Linux PTE_USER). */
export const DESC_AP1 = 1n << 6n;
/** AP[2] (bit 7): read-only (Linux PTE_RDONLY); also the "not dirty" bit under DBM. */
export const DESC_AP2 = 1n << 7n;
/** Access flag (bit 10). */
export const DESC_AF = 1n << 10n;
/** not-Global (bit 11): the TLB entry is tagged with the ASID. */
export const DESC_NG = 1n << 11n;
/** Dirty Bit Modifier (bit 51): hardware may clear AP[2] on a write (FEAT_HAFDBS). */
export const DESC_DBM = 1n << 51n;
export const DESC_PXN = 1n << 53n;
export const DESC_UXN = 1n << 54n;
/** Hierarchical controls in table descriptors (bits 59-62), ORed down the walk. */
export const TABLE_PXN = 1n << 59n;
export const TABLE_UXN = 1n << 60n;
/** APTable[0] (bit 61): nothing below is accessible from EL0. */
export const TABLE_AP0 = 1n << 61n;
/** APTable[1] (bit 62): nothing below is writable. */
export const TABLE_AP1 = 1n << 62n;

/** Output-address / next-table field, bits [47:12]. */
export const ADDR_MASK = 0x0000_ffff_ffff_f000n;

/** TCR_EL1.IPS (and ID_AA64MMFR0.PARange) to output-address bits; 6 (52) needs TCR.DS with 4 KiB. */
const IPS_BITS = [32, 36, 40, 42, 44, 48] as const;

/**
 * Output-address size in bits for TCR_EL1.IPS. With the 4 KiB granule and TCR_EL1.DS = 0 the
 * effective size is capped at 48 (AArch64.PhysicalAddressSize), so 6 and above behave as 48.
 */
export function oaBits(ips: number): number {
  return IPS_BITS[ips] ?? 48;
}

/** Bits of VA translated below a level: 12 + 9 per level under it (D8.2, 4 KiB granule). */
export function levelShift(level: number): number {
  return 12 + 9 * (3 - level);
}

/**
 * First level of the walk for a VA size of 64 - TxSZ bits: 0 for 40-48 bits, 1 for 31-39, 2 for
 * 25-30 (AArch64.S1StartLevel: 4 - ceil((iasize - 12) / 9)).
 */
export function startLevel(vaBits: number): number {
  return 4 - Math.ceil((vaBits - 12) / 9);
}

export type DescKind = 'invalid' | 'table' | 'block' | 'page';

/**
 * What a descriptor is at a level (AArch64.DecodeDescriptorType). Blocks exist only at levels 1
 * and 2 without FEAT_LPA2; 0b01 at level 0 or 3 is invalid, like 0b00 and 0b10.
 */
export function descKind(desc: bigint, level: number): DescKind {
  if ((desc & DESC_VALID) === 0n) return 'invalid';
  if ((desc & DESC_TABLE) !== 0n) return level === 3 ? 'page' : 'table';
  return level === 1 || level === 2 ? 'block' : 'invalid';
}

/** Output address of a block or page: desc[47:shift]; a block's lower bits are RES0 and ignored. */
export function leafBase(desc: bigint, level: number): bigint {
  return desc & ADDR_MASK & ~((1n << BigInt(levelShift(level))) - 1n);
}

export interface LeafFields {
  /** Output address (aligned to the page or block size). */
  oa: bigint;
  /** AP[2:1] as a number 0..3. */
  ap?: number;
  af?: boolean;
  ng?: boolean;
  dbm?: boolean;
  pxn?: boolean;
  uxn?: boolean;
}

/** Encodes a page (level 3) or block (levels 1-2) descriptor; used by tests and builders. */
export function encodeLeaf(f: LeafFields, level: number): bigint {
  let d = (f.oa & ADDR_MASK) | DESC_VALID | (level === 3 ? DESC_TABLE : 0n);
  d |= BigInt((f.ap ?? 0) & 3) << 6n;
  if (f.af ?? true) d |= DESC_AF;
  if (f.ng) d |= DESC_NG;
  if (f.dbm) d |= DESC_DBM;
  if (f.pxn) d |= DESC_PXN;
  if (f.uxn) d |= DESC_UXN;
  return d;
}

export interface TableFields {
  pxnTable?: boolean;
  uxnTable?: boolean;
  /** APTable[1:0] as a number 0..3. */
  apTable?: number;
}

/** Encodes a table descriptor pointing at the next-level table. */
export function encodeTable(next: bigint, f: TableFields = {}): bigint {
  let d = (next & ADDR_MASK) | DESC_VALID | DESC_TABLE;
  if (f.pxnTable) d |= TABLE_PXN;
  if (f.uxnTable) d |= TABLE_UXN;
  d |= BigInt((f.apTable ?? 0) & 3) << 61n;
  return d;
}

/** A short flags string for panels, e.g. "page AF AP=01 nG UXN" or "table APTable=10 PXNTable". */
export function descFlags(desc: bigint, level: number): string {
  const kind = descKind(desc, level);
  if (kind === 'invalid') return 'invalid';
  const parts: string[] = [kind];
  if (kind === 'table') {
    const apt = Number((desc >> 61n) & 3n);
    if (apt !== 0) parts.push(`APTable=${apt.toString(2).padStart(2, '0')}`);
    if ((desc & TABLE_UXN) !== 0n) parts.push('UXNTable');
    if ((desc & TABLE_PXN) !== 0n) parts.push('PXNTable');
    return parts.join(' ');
  }
  if ((desc & DESC_AF) !== 0n) parts.push('AF');
  parts.push(
    `AP=${Number((desc >> 6n) & 3n)
      .toString(2)
      .padStart(2, '0')}`,
  );
  if ((desc & DESC_NG) !== 0n) parts.push('nG');
  if ((desc & DESC_DBM) !== 0n) parts.push('DBM');
  if ((desc & DESC_PXN) !== 0n) parts.push('PXN');
  if ((desc & DESC_UXN) !== 0n) parts.push('UXN');
  return parts.join(' ');
}
