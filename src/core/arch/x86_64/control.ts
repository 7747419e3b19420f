// The control-register state that decides how an x86-64 core translates (Intel SDM Vol. 3A 4.1).

export type AccessKind = 'read' | 'write' | 'fetch';

export interface X86Control {
  /** CR0.WP: supervisor writes to read-only pages fault. */
  wp: boolean;
  /** IA32_EFER.NXE: bit 63 of an entry is execute-disable; with NXE clear, bit 63 is reserved. */
  nxe: boolean;
  /** CR4.SMEP: supervisor fetches from user-mode addresses fault. */
  smep: boolean;
  /** CR4.SMAP: supervisor data accesses to user-mode addresses fault unless EFLAGS.AC is 1. */
  smap: boolean;
  /** EFLAGS.AC (set by STAC around copy_from_user and friends). */
  ac: boolean;
  /** CR4.PGE: G in a leaf makes the translation global (survives CR3 writes). */
  pge: boolean;
  /** 4-level paging, or 5-level with CR4.LA57. */
  levels: 4 | 5;
  /** Physical-address width: entry bits 51:MAXPHYADDR are reserved (SDM 4.5). */
  maxPhyAddr: number;
}

/**
 * What Linux sets up on a current x86-64 core: WP, NXE, SMEP, SMAP and PGE on, AC clear outside
 * user-access windows, 4-level paging, a 46-bit physical address space (a common server width).
 */
export const DEFAULT_CONTROL: X86Control = {
  wp: true,
  nxe: true,
  smep: true,
  smap: true,
  ac: false,
  pge: true,
  levels: 4,
  maxPhyAddr: 46,
};

/** Reserved bits of the high word of any present entry: 51:MAXPHYADDR, and XD when NXE is clear. */
export function reservedHighMask(ctl: X86Control): number {
  const low = ctl.maxPhyAddr - 32; // first reserved bit within the high word
  const addrBits = low >= 20 ? 0 : (0xfffff & ~((1 << low) - 1)) >>> 0;
  return (ctl.nxe ? addrBits : addrBits | 0x80000000) >>> 0;
}

/** Canonical: bits 63 down to 47 (4-level) or 56 (5-level) are copies of one bit (SDM 3.3.7.1). */
export function isCanonical(va: bigint, levels: 4 | 5): boolean {
  const top = va >> BigInt(levels === 5 ? 56 : 47);
  const ones = (1n << BigInt(levels === 5 ? 8 : 17)) - 1n;
  return top === 0n || top === ones;
}
