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

// Scratch for the A/D pass: which words of which tables the walk used.
const usedFrames: Uint32Array[] = [];
const usedWord = new Int32Array(5);

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
  let rw = true;
  let us = true;
  let nx = false;
  let leafLo = 0;
  let leafHi = 0;
  let level: number = ctl.levels;
  let depth = 0;
  const write = kind === 'write';
  for (;;) {
    const idx = levelIndex(vpn, level);
    const words = frames[table];
    const lo = words ? (words[idx * 2] as number) : 0;
    const hi = words ? (words[idx * 2 + 1] as number) : 0;
    if (trace) trace.push({ level, tablePfn: table, index: idx, lo, hi });
    if ((lo & PTE_P) === 0) {
      // Not present: the error code's P bit is 0 (SDM 4.7).
      return fail(out, 'not-present', errCode(0, kind, user, ctl), level);
    }
    if (words) {
      usedFrames[depth] = words;
      usedWord[depth] = idx * 2;
    }
    depth++;
    rw = rw && (lo & PTE_RW) !== 0;
    us = us && (lo & PTE_US) !== 0;
    if (ctl.nxe && (hi & PTE_HI_NX) !== 0) nx = true;
    // PS=1 in a PDPTE (level 3) or PDE (level 2) maps a 1 GiB or 2 MiB page (SDM 4.5).
    if (level === 1 || ((level === 2 || level === 3) && (lo & PTE_PS) !== 0)) {
      leafLo = lo;
      leafHi = hi;
      break;
    }
    table = entryPfn(lo, hi);
    level--;
  }
  // Rights check with the combined flags (SDM 4.6.1).
  let denied = false;
  if (user && !us) denied = true;
  else if (write && !rw && (user || ctl.wp)) denied = true;
  else if (kind === 'fetch' && nx) denied = true;
  if (denied) return fail(out, 'protection', errCode(PF_PROT, kind, user, ctl), level);

  const pageShift = 12 + 9 * (level - 1);
  const base = entryPfn(leafLo, leafHi);
  // A on every entry used, D on the leaf for a write (SDM 4.8). Sticky: set only if clear.
  let dirty = (leafLo & PTE_D) !== 0;
  if (update) {
    for (let i = 0; i < depth; i++) {
      const w = usedFrames[i] as Uint32Array;
      const at = usedWord[i] as number;
      const v = w[at] as number;
      if ((v & PTE_A) === 0) w[at] = (v | PTE_A) >>> 0;
    }
    if (write && !dirty) {
      const w = usedFrames[depth - 1] as Uint32Array;
      const at = usedWord[depth - 1] as number;
      w[at] = ((w[at] as number) | PTE_D) >>> 0;
      dirty = true;
    }
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
