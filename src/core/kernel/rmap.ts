// Reverse mapping: which PTEs lead to a frame, and which name a swap slot. Linux finds them
// through the page's anon_vma (mm/rmap.c, try_to_unmap walks every VMA that may map the page);
// the model simply walks every live page table, which on the tiny machines that swap is cheap.
// The kernel half (shared by every process) is skipped: its pages are never reclaimed.
import { entryPfn, LEVEL_SPAN, PTE_P, PTE_PS } from '../arch/x86_64/pte';
import { decodeSwapEntry } from '../arch/x86_64/swapEntry';
import type { Machine } from '../machine';

/** One level-1 entry of a process's page tables. */
export interface PteRef {
  pid: number;
  vpn: number;
  tablePfn: number;
  index: number;
  lo: number;
  hi: number;
}

export interface Rmap {
  /** Present 4 KiB PTEs by the frame they lead to. */
  byFrame: Map<number, PteRef[]>;
  /** Swap PTEs by the slot they name. */
  bySlot: Map<number, PteRef[]>;
}

export function buildRmap(m: Machine): Rmap {
  const rmap: Rmap = { byFrame: new Map(), bySlot: new Map() };
  for (const p of m.procs) {
    if (p.rootPfn < 0) continue;
    walkTable(m, p.pid, p.rootPfn, m.ctl.levels, 0, rmap);
  }
  return rmap;
}

function add(map: Map<number, PteRef[]>, key: number, ref: PteRef): void {
  const list = map.get(key);
  if (list) list.push(ref);
  else map.set(key, [ref]);
}

function walkTable(m: Machine, pid: number, table: number, level: number, base: number, rmap: Rmap): void {
  const words = m.mem.frames[table];
  if (!words) return;
  for (let i = 0; i < 512; i++) {
    const lo = words[i * 2] as number;
    const hi = words[i * 2 + 1] as number;
    if (lo === 0 && hi === 0) continue;
    const vpn = base + i * (LEVEL_SPAN[level] as number);
    if (level === 1) {
      if ((lo & PTE_P) !== 0) {
        add(rmap.byFrame, entryPfn(lo, hi), { pid, vpn, tablePfn: table, index: i, lo, hi });
      } else {
        const e = decodeSwapEntry(lo, hi);
        if (e) add(rmap.bySlot, e.offset, { pid, vpn, tablePfn: table, index: i, lo, hi });
      }
      continue;
    }
    if ((lo & PTE_P) === 0 || (lo & PTE_PS) !== 0) continue;
    const next = entryPfn(lo, hi);
    if (next === m.kernelPdpt) continue;
    walkTable(m, pid, next, level - 1, vpn, rmap);
  }
}

/** The present PTEs that lead to `pfn` (page_vma_mapped_walk over every mapping). */
export function mappingsOf(m: Machine, pfn: number): PteRef[] {
  return buildRmap(m).byFrame.get(pfn) ?? [];
}

/** Page-table pages of a process's user half, its top-level table included. */
export function tablePages(m: Machine, rootPfn: number): number {
  const count = (table: number, level: number): number => {
    const words = m.mem.frames[table];
    let n = 1;
    if (!words || level === 1) return n;
    for (let i = 0; i < 512; i++) {
      const lo = words[i * 2] as number;
      const hi = words[i * 2 + 1] as number;
      if ((lo & PTE_P) === 0 || (lo & PTE_PS) !== 0) continue;
      const next = entryPfn(lo, hi);
      if (next !== m.kernelPdpt) n += count(next, level - 1);
    }
    return n;
  };
  return rootPfn < 0 ? 0 : count(rootPfn, m.ctl.levels);
}
