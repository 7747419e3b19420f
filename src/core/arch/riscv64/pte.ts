// RISC-V Sv39/Sv48/Sv57 page-table entries at their architectural bit positions (RISC-V
// Privileged Spec, "Sv39: Page-Based 39-bit Virtual-Memory System" and the Sv48/Sv57 sections
// that reuse its PTE). A PTE is 64 bits. Machine images are small and off the hot path, so
// entries and addresses are plain bigints here: a PA is up to 56 bits, more than a JS number holds.

export type RiscvMode = 'sv39' | 'sv48' | 'sv57';

/** Levels of 9-bit VPN fields per mode (satp.MODE 8, 9, 10). */
export const MODE_LEVELS: Readonly<Record<RiscvMode, number>> = { sv39: 3, sv48: 4, sv57: 5 };

export const PTE_V = 1n << 0n; // valid
export const PTE_R = 1n << 1n; // readable
export const PTE_W = 1n << 2n; // writable (W without R is a reserved encoding)
export const PTE_X = 1n << 3n; // executable
export const PTE_U = 1n << 4n; // user page; reserved in a non-leaf PTE
export const PTE_G = 1n << 5n; // global mapping
export const PTE_A = 1n << 6n; // accessed; reserved in a non-leaf PTE
export const PTE_D = 1n << 7n; // dirty; reserved in a non-leaf PTE
/** Bits 9:8, reserved for supervisor software: the walker ignores them. */
export const PTE_RSW = 3n << 8n;
export const PTE_PPN_SHIFT = 10n;
/** PPN is bits 53:10 in every mode: 44 bits, so a PA is up to 56 bits. */
export const PTE_PPN_MASK = (1n << 44n) - 1n;
/** Bits 60:54, reserved for future standard use. */
export const PTE_RESERVED = 0x7fn << 54n;
/** Bits 62:61, Svpbmt's page-based memory type. */
export const PTE_PBMT = 3n << 61n;
/** Bit 63, Svnapot's NAPOT marker. */
export const PTE_N = 1n << 63n;
/** Without Svpbmt and Svnapot every bit of 63:54 is reserved, and a set one is a page fault. */
export const PTE_HIGH_RESERVED = PTE_N | PTE_PBMT | PTE_RESERVED;
/** D, A and U are reserved for future standard use in a non-leaf PTE (spec, Sv32 PTE format). */
export const PTE_NONLEAF_RESERVED = PTE_D | PTE_A | PTE_U;

/** The physical page number of an entry (a next-level table, a page, or a superpage base). */
export function ptePpn(pte: bigint): bigint {
  return (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
}

/** R or X set makes a valid PTE a leaf; R=W=X=0 points to the next level. */
export function isLeaf(pte: bigint): boolean {
  return (pte & (PTE_R | PTE_X)) !== 0n;
}

/** The 9-bit VPN field of `va` that indexes the table at `level` (0 = the last level). */
export function vpnIndex(va: bigint, level: number): number {
  return Number((va >> BigInt(12 + 9 * level)) & 511n);
}

export interface PteFields {
  ppn: bigint;
  v?: boolean;
  r?: boolean;
  w?: boolean;
  x?: boolean;
  u?: boolean;
  g?: boolean;
  a?: boolean;
  d?: boolean;
}

/** Encodes an entry; V defaults to true. Used by tests and by image builders. */
export function encodePte(f: PteFields): bigint {
  let pte = (f.ppn & PTE_PPN_MASK) << PTE_PPN_SHIFT;
  if (f.v ?? true) pte |= PTE_V;
  if (f.r) pte |= PTE_R;
  if (f.w) pte |= PTE_W;
  if (f.x) pte |= PTE_X;
  if (f.u) pte |= PTE_U;
  if (f.g) pte |= PTE_G;
  if (f.a) pte |= PTE_A;
  if (f.d) pte |= PTE_D;
  return pte;
}

const FLAG_NAMES: readonly [bigint, string][] = [
  [PTE_V, 'V'],
  [PTE_R, 'R'],
  [PTE_W, 'W'],
  [PTE_X, 'X'],
  [PTE_U, 'U'],
  [PTE_G, 'G'],
  [PTE_A, 'A'],
  [PTE_D, 'D'],
];

/** Short flag string for narration and panels, e.g. "V R W X U G A D"; the high bits when set. */
export function flagString(pte: bigint): string {
  const parts = FLAG_NAMES.filter(([bit]) => (pte & bit) !== 0n).map(([, name]) => name);
  const pbmt = (pte & PTE_PBMT) >> 61n;
  if (pbmt !== 0n) parts.push(`PBMT=${pbmt}`);
  if ((pte & PTE_N) !== 0n) parts.push('N');
  if ((pte & PTE_RESERVED) !== 0n) parts.push('RSVD');
  return parts.length ? parts.join(' ') : '-';
}
