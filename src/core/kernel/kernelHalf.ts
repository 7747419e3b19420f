// A higher-half kernel (Linux x86-64: kernel text at 0xffffffff81000000, PML4 slot 511). Every
// process's PML4 entry 511 points at the same kernel PDPT, so one kernel mapping is seen by every
// address space; the entries are supervisor-only (U/S=0) and the leaves global (G), so user code
// faults on them and their TLB entries survive CR3 writes (arch/x86/include/asm/pgtable_types.h:
// _KERNPG_TABLE has no _PAGE_USER; kernel pages carry _PAGE_GLOBAL).
// With KPTI (kpti.ts) the kernel image is not global, except the entry text, which the user PGD
// maps too (arch/x86/mm/init.c clears _PAGE_GLOBAL from __default_kernel_pte_mask under PTI;
// pti_clone_entry_text maps the entry text global). A recursive slot (recursive.ts) is added here,
// since every new PML4 goes through linkKernelHalf.
import { encodeEntry, entryPfn, PTE_A, PTE_D, PTE_P, PTE_RW } from '../arch/x86_64/pte';
import { readEntry, writeEntry } from '../arch/x86_64/walk';
import type { Machine } from '../machine';
import { allocFrame } from '../mem/physmem';
import { kptiOn, linkUserPgd } from './kpti';
import { linkSelfMap } from './recursive';

/** 0xffffffff81000000: PML4 511, PDPT 510, PD 8, PT 0. */
export const KERNEL_TEXT_VA = 0xffffffff81000000n;
const PML4_SLOT = 511;

/** Entry text and kernel text (read-only, executable), then kernel data (writable, NX). */
const KERNEL_PAGES = [
  { rw: false, nx: false },
  { rw: false, nx: false },
  { rw: true, nx: true },
  { rw: true, nx: true },
];

/** Builds the kernel's PDPT, PD, PT and pages once; returns the PDPT frame, or null without memory. */
function kernelPdpt(m: Machine): number | null {
  if (m.kernelPdpt !== undefined) return m.kernelPdpt;
  const pdpt = allocFrame(m.mem, 'pagetable', -1);
  const pd = allocFrame(m.mem, 'pagetable', -1);
  const pt = allocFrame(m.mem, 'pagetable', -1);
  if (pdpt === null || pd === null || pt === null) return null;
  const table = (pfn: number): [number, number] => [(PTE_P | PTE_RW | PTE_A | PTE_D | (pfn << 12)) >>> 0, 0];
  writeEntry(m.mem, pdpt, 510, ...table(pd));
  writeEntry(m.mem, pd, 8, ...table(pt));
  for (const [i, page] of KERNEL_PAGES.entries()) {
    const pfn = allocFrame(m.mem, 'reserved', -1);
    if (pfn === null) return null;
    const g = !kptiOn(m) || i === 0;
    const [lo, hi] = encodeEntry({ pfn, rw: page.rw, us: false, a: true, d: page.rw, g, nx: page.nx });
    writeEntry(m.mem, pt, i, lo, hi);
  }
  m.kernelPdpt = pdpt;
  return pdpt;
}

/** Points `rootPfn`'s PML4 entry 511 at the shared kernel tables. False when memory ran out. */
export function linkKernelHalf(m: Machine, rootPfn: number): boolean {
  const pdpt = kernelPdpt(m);
  if (pdpt === null) return false;
  writeEntry(m.mem, rootPfn, PML4_SLOT, (PTE_P | PTE_RW | PTE_A | PTE_D | (pdpt << 12)) >>> 0, 0);
  if (kptiOn(m) && !linkUserPgd(m, rootPfn, entryTextPfn(m, pdpt))) return false;
  const slot = m.spec.machine.recursiveSlot;
  if (slot !== undefined) linkSelfMap(m, rootPfn, slot);
  return true;
}

/** The frame of the kernel's first page (the entry text), read back from the kernel tables. */
function entryTextPfn(m: Machine, pdpt: number): number {
  const pd = entryPfn(...readEntry(m.mem, pdpt, 510));
  const pt = entryPfn(...readEntry(m.mem, pd, 8));
  return entryPfn(...readEntry(m.mem, pt, 0));
}
