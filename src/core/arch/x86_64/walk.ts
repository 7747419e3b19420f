// The x86-64 page-table walker (4- and 5-level paging, Intel SDM Vol. 3A sections 4.5 to 4.8).
// It reads real 64-bit entries from physical memory, checks each for P and reserved bits, combines
// rights across levels (R/W and U/S by AND, XD by OR: SDM 4.6.1) and checks the access.
// Accessed and dirty (SDM 4.8): a non-leaf entry gets A as the walk uses it, even if the access
// later faults; the leaf gets A (and D for a write) only when the access is allowed; the entry a
// walk faults on is never changed. This is what QEMU does and what Intel documents for its
// processors ("A and D bits are affected in the PDE, but not in the PTE" on a fault).
import type { PhysMem } from '../../mem/physmem';
import { frameWords } from '../../mem/physmem';
import { type AccessKind, reservedHighMask, type X86Control } from './control';
import { entryPfn, LEVEL_SPAN, PTE_A, PTE_D, PTE_G, PTE_HI_NX, PTE_P, PTE_PS, PTE_RW, PTE_US } from './pte';
import { accessDenied, PF_PROT, PF_RSVD, pfErrorCode } from './rights';

export type { AccessKind, X86Control } from './control';
export { DEFAULT_CONTROL } from './control';
export { PF_INSTR, PF_PROT, PF_RSVD, PF_USER, PF_WRITE } from './rights';

/** One entry read by the walker: what the walk.level event reports and the UI animates. */
export interface WalkLevel {
  level: number;
  tablePfn: number;
  index: number;
  lo: number;
  hi: number;
}

export type FaultKind = 'not-present' | 'protection' | 'reserved';

/** Reused out-parameter: the walker is on the hot path and must not allocate. */
export interface WalkOut {
  ok: boolean;
  /** 4 KiB frame of the accessed page (base + offset inside a large page). */
  pfn: number;
  /** Frame number of the page start (a large page's base). */
  basePfn: number;
  pageShift: number;
  rw: boolean;
  us: boolean;
  nx: boolean;
  global: boolean;
  dirty: boolean;
  fault: FaultKind | null;
  errorCode: number;
  /** Level where a not-present or reserved-bit fault was found, or the leaf level. */
  level: number;
}

export function newWalkOut(): WalkOut {
  return {
    ok: false,
    pfn: 0,
    basePfn: 0,
    pageShift: 12,
    rw: false,
    us: false,
    nx: false,
    global: false,
    dirty: false,
    fault: null,
    errorCode: 0,
    level: 0,
  };
}

// Reserved address bits of large-page leaves: 20:13 in a 2 MiB PDE, 29:13 in a 1 GiB PDPTE
// (bit 12 is their PAT bit), SDM tables 4-17 and 4-15.
const RSVD_2M_LO = 0x001fe000;
const RSVD_1G_LO = 0x3fffe000;

/**
 * Walks the tables rooted at `rootPfn` for the 4 KiB page number `vpn` (a canonical address's
 * bits 56:12 or 47:12; the caller checks canonicality, which is a #GP, not a #PF).
 * `update` false is a side-effect-free peek (used by the invariant monitor and the panels).
 * Returns out.ok; a fault is a value in `out`, never an exception.
 */
export function walkPageTable(
  mem: PhysMem,
  rootPfn: number,
  vpn: number,
  kind: AccessKind,
  user: boolean,
  ctl: X86Control,
  out: WalkOut,
  trace: WalkLevel[] | null,
  update = true,
): boolean {
  return walkFrom(mem, rootPfn, ctl.levels, 0xffffffff, 0, vpn, kind, user, ctl, out, trace, update);
}

/**
 * The walk from the table at `startLevel` (a PDPT for 3, a PD for 2, a page table for 1), with the
 * rights combined by the levels above it already in `startAndLo` (R/W, U/S) and `startOrHi` (XD):
 * what a paging-structure-cache hit provides (SDM 4.10.3.2). walkPageTable starts at the root.
 */
export function walkFrom(
  mem: PhysMem,
  startTable: number,
  startLevel: number,
  startAndLo: number,
  startOrHi: number,
  vpn: number,
  kind: AccessKind,
  user: boolean,
  ctl: X86Control,
  out: WalkOut,
  trace: WalkLevel[] | null,
  update = true,
): boolean {
  const frames = mem.frames;
  const rsvdHi = reservedHighMask(ctl);
  let table = startTable;
  // AND of the low words gives the combined R/W and U/S; OR of the high words gives XD.
  let andLo = startAndLo;
  let orHi = startOrHi;
  let lo = 0;
  let hi = 0;
  let words: Uint32Array | undefined;
  let at = 0;
  let level: number = startLevel;
  for (;;) {
    const idx = (vpn / (LEVEL_SPAN[level] as number)) & 511;
    words = frames[table];
    at = idx * 2;
    lo = words === undefined ? 0 : (words[at] as number);
    hi = words === undefined ? 0 : (words[at + 1] as number);
    if (trace !== null) trace.push({ level, tablePfn: table, index: idx, lo, hi });
    // Not present: the error code's P bit is 0 and nothing else of the entry matters (SDM 4.7).
    if ((lo & PTE_P) === 0) return fail(out, 'not-present', pfErrorCode(0, kind, user, ctl), level);
    const ps = (lo & PTE_PS) !== 0;
    if (
      (hi & rsvdHi) !== 0 ||
      // PS is reserved in a PML4E and a PML5E (SDM table 4-14).
      (ps && level >= 4) ||
      (ps && level === 3 && (lo & RSVD_1G_LO) !== 0) ||
      (ps && level === 2 && (lo & RSVD_2M_LO) !== 0)
    ) {
      return fail(out, 'reserved', pfErrorCode(PF_PROT | PF_RSVD, kind, user, ctl), level);
    }
    andLo &= lo;
    orHi |= hi;
    // PS=1 in a PDPTE (level 3) or PDE (level 2) maps a 1 GiB or 2 MiB page (SDM 4.5).
    if (level === 1 || ps) break;
    // frameWords, not `words`: a checkpoint may share this frame (copy-on-write, forkPhysMem).
    if (update && (lo & PTE_A) === 0) frameWords(mem, table)[at] = (lo | PTE_A) >>> 0;
    table = (hi & 0x000fffff) * 0x100000 + (lo >>> 12);
    level--;
  }
  const rw = (andLo & PTE_RW) !== 0;
  const us = (andLo & PTE_US) !== 0;
  const nx = ctl.nxe && (orHi & PTE_HI_NX) !== 0;
  const write = kind === 'write';
  if (accessDenied(us, rw, nx, kind, user, ctl)) {
    return fail(out, 'protection', pfErrorCode(PF_PROT, kind, user, ctl), level);
  }
  const span = LEVEL_SPAN[level] as number;
  // A large page's frame field also holds its PAT bit (bit 12): the base is aligned to the page.
  const raw = entryPfn(lo, hi);
  const base = level === 1 ? raw : raw - (raw % span);
  let dirty = (lo & PTE_D) !== 0;
  if (update && ((lo & PTE_A) === 0 || (write && !dirty))) {
    frameWords(mem, table)[at] = (lo | PTE_A | (write ? PTE_D : 0)) >>> 0;
    dirty = dirty || write;
  }
  out.ok = true;
  out.basePfn = base;
  out.pfn = level === 1 ? base : base + (vpn % span);
  out.pageShift = 12 + 9 * (level - 1);
  out.rw = rw;
  out.us = us;
  out.nx = nx;
  // G only means something with CR4.PGE (SDM 4.10.2.4).
  out.global = ctl.pge && (lo & PTE_G) !== 0;
  out.dirty = dirty;
  out.fault = null;
  out.errorCode = 0;
  out.level = level;
  return true;
}

function fail(out: WalkOut, fault: FaultKind, errorCode: number, level: number): boolean {
  out.ok = false;
  out.fault = fault;
  out.errorCode = errorCode;
  out.level = level;
  return false;
}

/** Writes an entry into a table frame (used by the kernel model; the walker only sets A/D). */
export function writeEntry(mem: PhysMem, tablePfn: number, index: number, lo: number, hi: number): void {
  const w = frameWords(mem, tablePfn);
  w[index * 2] = lo >>> 0;
  w[index * 2 + 1] = hi >>> 0;
}

export function readEntry(mem: PhysMem, tablePfn: number, index: number): [number, number] {
  const w = mem.frames[tablePfn];
  if (!w) return [0, 0];
  return [w[index * 2] as number, w[index * 2 + 1] as number];
}
