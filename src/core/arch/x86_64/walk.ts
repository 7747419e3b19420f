// The x86-64 page-table walker (4-level paging, Intel SDM Vol. 3A sections 4.5 to 4.8).
// It reads real 64-bit entries from physical memory, combines rights across levels
// (R/W and U/S by AND, XD by OR: SDM 4.6.1), checks the access, and only when the access is
// allowed sets A on every entry used and D on the leaf for a write (SDM 4.8). Like Bochs, a walk
// that faults leaves A and D untouched.
import type { PhysMem } from '../../mem/physmem';
import { frameWords } from '../../mem/physmem';
import {
  entryPfn,
  LEVEL_SPAN,
  levelIndex,
  PTE_A,
  PTE_D,
  PTE_HI_NX,
  PTE_P,
  PTE_PS,
  PTE_RW,
  PTE_US,
} from './pte';

export type AccessKind = 'read' | 'write' | 'fetch';

/** #PF error-code bits (SDM 4.7; Linux arch/x86/include/asm/trap_pf.h). */
export const PF_PROT = 1 << 0;
export const PF_WRITE = 1 << 1;
export const PF_USER = 1 << 2;
export const PF_RSVD = 1 << 3;
export const PF_INSTR = 1 << 4;

export interface X86Control {
  /** CR0.WP: supervisor writes to read-only pages fault. */
  wp: boolean;
  /** IA32_EFER.NXE: bit 63 of entries means execute-disable. */
  nxe: boolean;
  levels: 4;
}

export const DEFAULT_CONTROL: X86Control = { wp: true, nxe: true, levels: 4 };

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
  /** Level where a not-present fault was found, or the leaf level. */
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

/**
 * Walks the tables rooted at `rootPfn` for the 4 KiB page number `vpn`.
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
  const frames = mem.frames;
  let table = rootPfn;
  // AND of the low words gives the combined R/W and U/S (and whether every A is already set);
  // OR of the high words gives XD (SDM 4.6.1).
  let andLo = 0xffffffff;
  let orHi = 0;
  let leafLo = 0;
  let leafHi = 0;
  let level: number = ctl.levels;
  for (;;) {
    const idx = (vpn / (LEVEL_SPAN[level] as number)) & 511;
    const words = frames[table];
    const lo = words === undefined ? 0 : (words[idx * 2] as number);
    const hi = words === undefined ? 0 : (words[idx * 2 + 1] as number);
    if (trace !== null) trace.push({ level, tablePfn: table, index: idx, lo, hi });
    if ((lo & PTE_P) === 0) {
      // Not present: the error code's P bit is 0 (SDM 4.7).
      return fail(out, 'not-present', errCode(0, kind, user, ctl), level);
    }
    andLo &= lo;
    orHi |= hi;
    // PS=1 in a PDPTE (level 3) or PDE (level 2) maps a 1 GiB or 2 MiB page (SDM 4.5).
    if (level === 1 || ((lo & PTE_PS) !== 0 && level <= 3)) {
      leafLo = lo;
      leafHi = hi;
      break;
    }
    table = (hi & 0x000fffff) * 0x100000 + (lo >>> 12);
    level--;
  }
  const rw = (andLo & PTE_RW) !== 0;
  const us = (andLo & PTE_US) !== 0;
  const nx = ctl.nxe && (orHi & PTE_HI_NX) !== 0;
  const write = kind === 'write';
  // Rights check with the combined flags (SDM 4.6.1).
  if ((user && !us) || (write && !rw && (user || ctl.wp)) || (kind === 'fetch' && nx)) {
    return fail(out, 'protection', errCode(PF_PROT, kind, user, ctl), level);
  }
  const pageShift = 12 + 9 * (level - 1);
  const base = entryPfn(leafLo, leafHi);
  let dirty = (leafLo & PTE_D) !== 0;
  // A on every entry used, D on the leaf for a write (SDM 4.8); sticky, so usually nothing to do.
  if (update && ((andLo & PTE_A) === 0 || (write && !dirty))) {
    setAccessedDirty(mem, rootPfn, vpn, ctl.levels, level, write);
    dirty = dirty || write;
  }
  out.ok = true;
  out.basePfn = base;
  out.pfn = level === 1 ? base : base + (vpn % (LEVEL_SPAN[level] as number));
  out.pageShift = pageShift;
  out.rw = rw;
  out.us = us;
  out.nx = nx;
  out.global = (leafLo & 0x100) !== 0;
  out.dirty = dirty;
  out.fault = null;
  out.errorCode = 0;
  out.level = level;
  return true;
}

/** The slow path of a walk: set A on each entry down to `leafLevel`, and D on the leaf for a write. */
function setAccessedDirty(
  mem: PhysMem,
  rootPfn: number,
  vpn: number,
  top: number,
  leafLevel: number,
  write: boolean,
) {
  let table = rootPfn;
  for (let level = top; level >= leafLevel; level--) {
    const w = frameWords(mem, table);
    const at = levelIndex(vpn, level) * 2;
    let lo = w[at] as number;
    lo |= PTE_A;
    if (level === leafLevel && write) lo |= PTE_D;
    w[at] = lo >>> 0;
    table = entryPfn(lo, w[at + 1] as number);
  }
}

function errCode(base: number, kind: AccessKind, user: boolean, ctl: X86Control): number {
  let e = base;
  if (kind === 'write') e |= PF_WRITE;
  if (user) e |= PF_USER;
  // I/D is reported for instruction fetches when NXE (or SMEP) is on (SDM 4.7).
  if (kind === 'fetch' && ctl.nxe) e |= PF_INSTR;
  return e;
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
