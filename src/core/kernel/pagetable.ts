// The kernel's view of a process's x86-64 page tables: find, create and change entries the way
// Linux does (intermediate entries are _PAGE_TABLE = P|RW|USER|A|D, arch/x86/include/asm/pgtable_types.h).
import { entryPfn, levelIndex, PTE_A, PTE_D, PTE_P, PTE_RW, PTE_US } from '../arch/x86_64/pte';
import { readEntry, writeEntry } from '../arch/x86_64/walk';
import { hexEntry } from '../hex';
import type { Machine, Proc } from '../machine';
import { allocFrame, frameSeq } from '../mem/physmem';
import type { Emit } from './emit';
import { vaHex } from './emit';
import { mirrorUserEntry } from './kpti';

const PAGE_TABLE_LO = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;

export interface PteSlot {
  tablePfn: number;
  index: number;
  lo: number;
  hi: number;
}

/** The level-1 entry for `vpn`, or null if an upper level is not present (no table yet). */
export function findPte(m: Machine, proc: Proc, vpn: number): PteSlot | null {
  let table = proc.rootPfn;
  for (let level = m.ctl.levels; level > 1; level--) {
    const [lo, hi] = readEntry(m.mem, table, levelIndex(vpn, level));
    if ((lo & PTE_P) === 0) return null;
    table = entryPfn(lo, hi);
  }
  const index = levelIndex(vpn, 1);
  const [lo, hi] = readEntry(m.mem, table, index);
  return { tablePfn: table, index, lo, hi };
}

/** The level-2 (PD) entry covering `vpn`, or null if an upper level is missing. */
export function findPdSlot(m: Machine, proc: Proc, vpn: number): PteSlot | null {
  let table = proc.rootPfn;
  for (let level = m.ctl.levels; level > 2; level--) {
    const [lo, hi] = readEntry(m.mem, table, levelIndex(vpn, level));
    if ((lo & PTE_P) === 0) return null;
    table = entryPfn(lo, hi);
  }
  const index = levelIndex(vpn, 2);
  const [lo, hi] = readEntry(m.mem, table, index);
  return { tablePfn: table, index, lo, hi };
}

/**
 * The level-1 slot for `vpn`, allocating missing tables on the way (like __pte_alloc).
 * Returns null when physical memory is exhausted.
 */
export function ensurePte(m: Machine, proc: Proc, vpn: number, emit: Emit | null): PteSlot | null {
  return ensureEntry(m, proc, vpn, 1, emit);
}

/** The slot at `leafLevel` (1 = PT, 2 = PD, 3 = PDPT) for `vpn`, allocating tables above it. */
export function ensureEntry(
  m: Machine,
  proc: Proc,
  vpn: number,
  leafLevel: number,
  emit: Emit | null,
): PteSlot | null {
  let table = proc.rootPfn;
  for (let level: number = m.ctl.levels; level > leafLevel; level--) {
    const idx = levelIndex(vpn, level);
    const [lo, hi] = readEntry(m.mem, table, idx);
    if ((lo & PTE_P) !== 0) {
      table = entryPfn(lo, hi);
      continue;
    }
    const pfn = allocFrame(m.mem, 'pagetable', proc.pid);
    if (pfn === null) return null;
    emit?.({ type: 'frame.alloc', pfn, pid: proc.pid, use: 'pagetable' });
    const newLo = (PAGE_TABLE_LO | ((pfn % 0x100000) << 12)) >>> 0;
    const newHi = Math.floor(pfn / 0x100000);
    writeEntry(m.mem, table, idx, newLo, newHi);
    if (level === m.ctl.levels) mirrorUserEntry(m, table, idx);
    emit?.({
      type: 'pte.write',
      level,
      pid: proc.pid,
      table,
      index: idx,
      old: hexEntry(lo, hi),
      new: hexEntry(newLo, newHi),
      va: vaHex(vpn - (vpn % 2 ** (9 * (level - 1))), 0),
    });
    table = pfn;
  }
  const index = levelIndex(vpn, leafLevel);
  const [lo, hi] = readEntry(m.mem, table, index);
  return { tablePfn: table, index, lo, hi };
}

export function setPte(
  m: Machine,
  proc: Proc,
  vpn: number,
  slot: PteSlot,
  lo: number,
  hi: number,
  emit: Emit,
  level = 1,
): void {
  writeEntry(m.mem, slot.tablePfn, slot.index, lo, hi);
  emit({
    type: 'pte.write',
    level,
    pid: proc.pid,
    table: slot.tablePfn,
    index: slot.index,
    old: hexEntry(slot.lo, slot.hi),
    new: hexEntry(lo, hi),
    va: vaHex(vpn, 0),
  });
}

/** Records that (pid, vpn) used to lead to frame `pfn` and its flush is now due (see PendingInval). */
export function markPending(m: Machine, pid: number, vpn: number, pfn: number): void {
  m.pending.push({ pid, vpn, pfn, seq: frameSeq(m.mem, pfn), by: -1 });
}
