// The RISC-V Sv39/Sv48/Sv57 page-table walker: the spec's "Virtual Address Translation Process"
// (Privileged Spec, Sv32 section, steps 1 to 8, which Sv39/Sv48/Sv57 reuse with PTESIZE 8 and
// 3/4/5 levels) for a hart without Svpbmt and Svnapot. It reads real 64-bit PTEs from an image's
// physical memory. Levels are numbered as the spec's i: LEVELS-1 at the root down to 0.
// Like Spike and QEMU, a walk that faults writes nothing; a successful one writes at most the
// leaf's A/D bits, and only with Svadu. Faults are values, never exceptions.
import { type ImageFrames, readQword, writeQword } from '../../image/types';
import {
  isLeaf,
  MODE_LEVELS,
  PTE_A,
  PTE_D,
  PTE_HIGH_RESERVED,
  PTE_N,
  PTE_NONLEAF_RESERVED,
  PTE_PBMT,
  PTE_R,
  PTE_U,
  PTE_V,
  PTE_W,
  PTE_X,
  ptePpn,
  type RiscvMode,
  vpnIndex,
} from './pte';

export type RiscvAccessKind = 'read' | 'write' | 'fetch';
export type RiscvPriv = 'U' | 'S';

/** scause values: instruction, load and store/AMO page fault (Privileged Spec, mcause table). */
export type RiscvPageFaultCause = 12 | 13 | 15;
export const CAUSE_FETCH_PAGE_FAULT = 12;
export const CAUSE_LOAD_PAGE_FAULT = 13;
export const CAUSE_STORE_PAGE_FAULT = 15;

export interface RiscvWalkConfig {
  mode: RiscvMode;
  /** satp.PPN: the root table is at rootPpn << 12. */
  rootPpn: bigint;
  /** sstatus.SUM: S-mode loads and stores may touch U=1 pages. */
  sum: boolean;
  /** sstatus.MXR: loads from X=1 pages succeed even when R=0. */
  mxr: boolean;
  /** true: hardware sets A/D (Svadu); false: a needed A/D update is a page fault (Svade). */
  adue: boolean;
}

/** One PTE read by the walker, for the trace the UI animates. `pte` is the value as read. */
export interface RiscvWalkLevel {
  level: number;
  tableAddr: bigint;
  index: number;
  pte: bigint;
}

export type RiscvWalkResult =
  /** `pte` is the leaf as it is in memory after the walk (A/D included); `level` is the leaf's i. */
  | { ok: true; pa: bigint; level: number; pte: bigint }
  /**
   * `level` is the i of the PTE that caused the fault, or LEVELS when the VA itself is
   * non-canonical and no PTE was read. `tval` is the faulting VA (stval).
   */
  | { ok: false; cause: RiscvPageFaultCause; tval: bigint; reason: string; level: number };

/** Every translation failure is a page fault "corresponding to the original access type". */
export function pageFaultCause(kind: RiscvAccessKind): RiscvPageFaultCause {
  if (kind === 'fetch') return CAUSE_FETCH_PAGE_FAULT;
  return kind === 'read' ? CAUSE_LOAD_PAGE_FAULT : CAUSE_STORE_PAGE_FAULT;
}

/** Translates `va` (taken modulo 2^64) for one access; `trace` receives each PTE read. */
export function walkRiscv(
  frames: ImageFrames,
  cfg: RiscvWalkConfig,
  va: bigint,
  kind: RiscvAccessKind,
  priv: RiscvPriv,
  trace?: RiscvWalkLevel[],
): RiscvWalkResult {
  const vaddr = BigInt.asUintN(64, va);
  const levels = MODE_LEVELS[cfg.mode];
  const fault = (level: number, reason: string): RiscvWalkResult => ({
    ok: false,
    cause: pageFaultCause(kind),
    tval: vaddr,
    reason,
    level,
  });

  // Sv39: "bits 63-39 must all equal bit 38, or else a page-fault exception will occur" (and
  // likewise 63-48 / 63-57 for Sv48 / Sv57).
  const valen = 12 + 9 * levels;
  const upper = vaddr >> BigInt(valen - 1);
  if (upper !== 0n && upper !== (1n << BigInt(65 - valen)) - 1n) {
    return fault(levels, `VA bits 63:${valen} are not copies of bit ${valen - 1} (not sign-extended)`);
  }

  // Step 1: a = satp.ppn x PAGESIZE, i = LEVELS-1.
  let tablePpn = cfg.rootPpn;
  let level = levels - 1;
  let pte: bigint;
  for (;;) {
    // Step 2: pte = the PTE at a + va.vpn[i] x PTESIZE. A frame missing from the image reads zero.
    const index = vpnIndex(vaddr, level);
    pte = readQword(frames, Number(tablePpn), index * 8);
    trace?.push({ level, tableAddr: tablePpn << 12n, index, pte });

    // Step 3: V=0, the reserved W-without-R encoding, or any reserved bit set is a page fault.
    if ((pte & PTE_V) === 0n) return fault(level, `PTE at level ${level} has V=0`);
    if ((pte & PTE_R) === 0n && (pte & PTE_W) !== 0n) {
      return fault(level, `PTE at level ${level} has W=1 without R (a reserved encoding)`);
    }
    if ((pte & PTE_HIGH_RESERVED) !== 0n) return fault(level, highBitsReason(pte, level));

    // Step 4: R or X makes a leaf; otherwise descend, and running out of levels is a page fault.
    if (isLeaf(pte)) break;
    // D, A and U are reserved in a non-leaf PTE, so step 3 faults on them (as Spike and QEMU do).
    if ((pte & PTE_NONLEAF_RESERVED) !== 0n) {
      return fault(level, `non-leaf PTE at level ${level} sets D, A or U (reserved in a non-leaf PTE)`);
    }
    if (level === 0) return fault(level, 'PTE at level 0 is not a leaf (R=W=X=0): no level left');
    level--;
    tablePpn = ptePpn(pte);
  }

  // Step 5: the leaf's U, R, W, X against the privilege mode, SUM and MXR.
  const denied = permissionDenied(pte, kind, priv, cfg);
  if (denied !== null) return fault(level, `leaf at level ${level}: ${denied}`);

  // Step 6: a superpage's PPN must be aligned to its size, i.e. pte.ppn[i-1:0] = 0.
  const ppn = ptePpn(pte);
  const lowPpnBits = BigInt(9 * level);
  const lowMask = (1n << lowPpnBits) - 1n;
  if ((ppn & lowMask) !== 0n) {
    return fault(level, `misaligned superpage: leaf at level ${level} has PPN[${level - 1}:0] != 0`);
  }

  // Step 7: A must be set, and D too for a store; Svade faults, Svadu sets them in memory.
  const write = kind === 'write';
  const needed = write ? PTE_A | PTE_D : PTE_A;
  if ((pte & needed) !== needed) {
    if (!cfg.adue) {
      const which = (pte & PTE_A) === 0n ? 'A=0' : 'D=0 on a store';
      return fault(level, `leaf at level ${level} has ${which} and the hart does not update A/D (Svade)`);
    }
    pte |= needed;
    writeQword(frames, Number(tablePpn), vpnIndex(vaddr, level) * 8, pte);
  }

  // Step 8: pa.pgoff = va.pgoff; a superpage takes pa.ppn[i-1:0] from va.vpn[i-1:0].
  const pageMask = (1n << (12n + lowPpnBits)) - 1n;
  const pa = ((ppn << 12n) & ~pageMask) | (vaddr & pageMask);
  return { ok: true, pa, level, pte };
}

/** Step 5 (spec "Memory Privilege in sstatus" and the Sv32 PTE-format rules): null if allowed. */
function permissionDenied(
  pte: bigint,
  kind: RiscvAccessKind,
  priv: RiscvPriv,
  cfg: RiscvWalkConfig,
): string | null {
  const user = (pte & PTE_U) !== 0n;
  if (priv === 'U' && !user) return 'U-mode access to a supervisor page (U=0)';
  if (priv === 'S' && user) {
    // SUM opens user pages to S-mode loads and stores only; S-mode never executes user code.
    if (kind === 'fetch') return 'S-mode fetch from a user page (U=1)';
    if (!cfg.sum) return 'S-mode access to a user page (U=1) with SUM=0';
  }
  const r = (pte & PTE_R) !== 0n;
  const x = (pte & PTE_X) !== 0n;
  if (kind === 'read' && !r && !(cfg.mxr && x)) {
    return x ? 'load from an execute-only page with MXR=0' : 'load from a page with R=0';
  }
  if (kind === 'write' && (pte & PTE_W) === 0n) return 'store to a page with W=0';
  if (kind === 'fetch' && !x) return 'fetch from a page with X=0';
  return null;
}

function highBitsReason(pte: bigint, level: number): string {
  if ((pte & PTE_N) !== 0n) return `PTE at level ${level} sets N (bit 63) but the hart lacks Svnapot`;
  if ((pte & PTE_PBMT) !== 0n) {
    return `PTE at level ${level} sets PBMT (bits 62:61) but the hart lacks Svpbmt`;
  }
  return `PTE at level ${level} sets reserved bits 60:54`;
}
