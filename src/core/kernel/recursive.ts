// The recursive (self-referencing) PML4 slot: PML4[slot] holds the PML4's own frame, so a walk
// that goes through that slot n times stops n levels early and lands on a page-table page. Every
// paging entry then has a virtual address. Linux x86-64 does not do this (it reaches page tables
// through the direct map of all physical memory); 64-bit Windows did, with the slot 0x1ED
// (PTE_BASE 0xFFFFF68000000000 before Windows 10 1607, randomised since: Geoff Chappell,
// "MMPTE_HARDWARE", geoffchappell.com). 4-level paging only.
import { writeEntry } from '../arch/x86_64/walk';
import { PTE_A, PTE_D, PTE_HI_NX, PTE_P, PTE_RW } from '../arch/x86_64/pte';
import type { Machine, SelfMapLevel } from '../machine';

/** How many times the walk goes through the slot: once for a PTE, four times for a PML4E. */
export const SELF_MAP_DEPTH: Record<SelfMapLevel, number> = { pte: 1, pde: 2, pdpte: 3, pml4e: 4 };

const MASK48 = (1n << 48n) - 1n;

/** Sign-extends bit 47 into 63:48 (a canonical 4-level address, SDM 3.3.7.1). */
export function canonical48(va: bigint): bigint {
  const v = va & MASK48;
  return (v & (1n << 47n)) !== 0n ? v | (~MASK48 & ((1n << 64n) - 1n)) : v;
}

/**
 * The virtual address of the `level` entry that translates `va`, through PML4[slot]:
 * the slot's index fills the top `n` index fields, the VA's own indices move down n fields, and
 * the index of the entry wanted, times 8, becomes the byte offset. For a PTE that is
 * sign-extend(slot << 39 | ((va >> 9) & 0x7ffffffff8)).
 */
export function selfMapVa(va: bigint, slot: number, level: SelfMapLevel): bigint {
  const n = SELF_MAP_DEPTH[level];
  const vpn = (va >> 12n) & ((1n << 36n) - 1n);
  let top = 0n;
  for (let i = 0; i < n; i++) top |= BigInt(slot) << BigInt(39 - 9 * i);
  return canonical48(top | ((vpn >> BigInt(9 * (n - 1))) << 3n));
}

/** All four entry addresses of `va`, PTE first. */
export function selfMapVas(va: bigint, slot: number): Record<SelfMapLevel, bigint> {
  return {
    pte: selfMapVa(va, slot, 'pte'),
    pde: selfMapVa(va, slot, 'pde'),
    pdpte: selfMapVa(va, slot, 'pdpte'),
    pml4e: selfMapVa(va, slot, 'pml4e'),
  };
}

/**
 * Installs the self-reference in `rootPfn`: present, writable, supervisor-only (a user access
 * through it faults, so user code cannot read or edit page tables) and NX.
 */
export function linkSelfMap(m: Machine, rootPfn: number, slot: number): void {
  const lo = (PTE_P | PTE_RW | PTE_A | PTE_D | ((rootPfn % 0x100000) << 12)) >>> 0;
  const hi = (Math.floor(rootPfn / 0x100000) | PTE_HI_NX) >>> 0;
  writeEntry(m.mem, rootPfn, slot, lo, hi);
}
