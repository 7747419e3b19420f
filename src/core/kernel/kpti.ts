// Kernel page-table isolation (Linux arch/x86/mm/pti.c, arch/x86/entry/calling.h). Each process
// has an 8 KiB, 8 KiB-aligned pair of PGDs: the kernel PGD maps everything, the user PGD (kernel
// PGD + 4096, PTI_USER_PGTABLE_BIT = bit 12) maps the user half and, of the kernel, only the entry
// text. User mode runs on the user PGD with PCID kPCID | 0x800 (X86_CR3_PTI_PCID_USER_BIT, bit 11);
// entry (SWITCH_TO_KERNEL_CR3) clears bits 12 and 11, exit (SWITCH_TO_USER_CR3) sets them, both
// with the no-flush bit 63 so neither CR3 write empties the TLB.
// Simplifications: the model maps the entry text only (Linux also maps the cpu_entry_area: GDT,
// TSS, entry stacks); the user PGD's kernel entry points at one PDPT shared by every process, as
// Linux's clone_pgd_range copies the user PGD's kernel half from init's.
import { encodeEntry, PTE_A, PTE_D, PTE_P, PTE_RW } from '../arch/x86_64/pte';
import { readEntry, writeEntry } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import type { Machine, Proc } from '../machine';
import { allocFrame, type PhysMem } from '../mem/physmem';
import { movToCr3, invpcid } from '../tlb/invalidate';
import { vaHex } from './emit';

/** X86_CR3_PTI_PCID_USER_BIT: the user PCID is the kernel one with bit 11 set. */
export const PTI_USER_PCID_BIT = 0x800;
/** The PML4 slot of the kernel image (0xffffffff80000000 and up). */
const KERNEL_SLOT = 511;

export function kptiOn(m: Machine): boolean {
  return m.spec.machine.kpti === true;
}

export function userPcid(proc: Proc): number {
  return proc.pcid | PTI_USER_PCID_BIT;
}

/** The user PGD of a process under KPTI: its kernel PGD + 4096. */
export function userPgd(proc: Proc): number {
  return proc.rootPfn + 1;
}

/** Does a TLB entry tagged `asid` belong to `proc` (its PCID, or its user PCID under KPTI)? */
export function ownsPcid(m: Machine, proc: Proc, asid: number): boolean {
  return asid === proc.pcid || (kptiOn(m) && asid === userPcid(proc));
}

/**
 * Two adjacent frames, the first 8 KiB-aligned (Linux allocates the PGD as an order-1 page), both
 * page tables of `pid`. Returns the kernel PGD's frame, or null when memory is short.
 */
export function allocPgdPair(mem: PhysMem, pid: number): number | null {
  const base = mem.nextFresh + (mem.nextFresh % 2);
  if (base + 2 > (mem.hugeBase ?? mem.frameCount)) return null;
  // A skipped odd frame goes to the free list, for the next single-frame allocation.
  if (base !== mem.nextFresh) mem.freeList.push(mem.nextFresh);
  mem.nextFresh = base + 2;
  for (const pfn of [base, base + 1]) {
    mem.frames[pfn] = undefined;
    mem.used.set(pfn, { kind: 'pagetable', pid, refcount: 1, mappers: [], seq: ++mem.allocs });
  }
  return base;
}

const KERNPG_TABLE = PTE_P | PTE_RW | PTE_A | PTE_D;

/**
 * Points the user PGD (`rootPfn` + 1) at the entry-text-only kernel tables, built once:
 * PDPT[510] -> PD[8] -> PT[0] = the entry text frame, global (pti_clone_entry_text maps it global
 * in both tables). False when memory ran out.
 */
export function linkUserPgd(m: Machine, rootPfn: number, entryTextPfn: number): boolean {
  // The user PGD must be the second frame of this root's pair (allocPgdPair), never a stranger.
  const mine = m.mem.used.get(rootPfn);
  const pair = m.mem.used.get(rootPfn + 1);
  if (rootPfn % 2 !== 0 || pair?.kind !== 'pagetable' || pair.pid !== mine?.pid) return false;
  if (m.ptiUserPdpt === undefined) {
    const pdpt = allocFrame(m.mem, 'pagetable', -1);
    const pd = allocFrame(m.mem, 'pagetable', -1);
    const pt = allocFrame(m.mem, 'pagetable', -1);
    if (pdpt === null || pd === null || pt === null) return false;
    writeEntry(m.mem, pdpt, 510, (KERNPG_TABLE | (pd << 12)) >>> 0, 0);
    writeEntry(m.mem, pd, 8, (KERNPG_TABLE | (pt << 12)) >>> 0, 0);
    const [lo, hi] = encodeEntry({ pfn: entryTextPfn, a: true, g: true });
    writeEntry(m.mem, pt, 0, lo, hi);
    m.ptiUserPdpt = pdpt;
  }
  writeEntry(m.mem, rootPfn + 1, KERNEL_SLOT, (KERNPG_TABLE | (m.ptiUserPdpt << 12)) >>> 0, 0);
  return true;
}

/**
 * A user-half PGD entry written into a kernel PGD is copied into its user PGD too
 * (__pti_set_user_pgtbl): the tables below are shared, so one PTE serves both.
 */
export function mirrorUserEntry(m: Machine, rootPfn: number, index: number): void {
  if (!kptiOn(m) || index >= 256) return;
  const [lo, hi] = readEntry(m.mem, rootPfn, index);
  writeEntry(m.mem, rootPfn + 1, index, lo, hi);
}

/** CR3's value: the table's address, the PCID in bits 11:0, bit 63 = no flush (SDM 4.10.4.1). */
export function cr3Value(pgd: number, pcid: number, noflush: boolean): string {
  const v = (BigInt(pgd) << 12n) | BigInt(pcid) | (noflush ? 1n << 63n : 0n);
  return `0x${v.toString(16)}`;
}

/**
 * SWITCH_TO_KERNEL_CR3 (system-call entry): clear bits 12 and 11, set the no-flush bit.
 * The TLB keeps the user PCID's entries and the kernel PCID's.
 */
export function switchToKernelCr3(ctx: Ctx, proc: Proc): void {
  const { m, core } = ctx;
  core.cr3Pfn = proc.rootPfn;
  core.pcid = proc.pcid;
  ctx.cost += m.cost.small;
  ctx.emit({
    type: 'cr3.write',
    core: core.id,
    pid: proc.pid,
    cr3: cr3Value(proc.rootPfn, proc.pcid, true),
    pcid: proc.pcid,
    noflush: true,
    table: 'kernel',
    pgd: proc.rootPfn,
    removed: movToCr3(core.tlb, proc.pcid, true).total,
    why: 'SWITCH_TO_KERNEL_CR3 on entry',
  });
}

/**
 * SWITCH_TO_USER_CR3 (return to user): set bits 12 and 11. The no-flush bit is set unless
 * `flush`: a pending flush of the user PCID (user_pcid_flush_mask) is done by this very write.
 */
export function switchToUserCr3(ctx: Ctx, proc: Proc, why: string, flush = false): void {
  const { m, core } = ctx;
  const pcid = userPcid(proc);
  core.cr3Pfn = userPgd(proc);
  core.pcid = pcid;
  ctx.cost += flush ? m.cost.fullFlush : m.cost.small;
  ctx.emit({
    type: 'cr3.write',
    core: core.id,
    pid: proc.pid,
    cr3: cr3Value(userPgd(proc), pcid, !flush),
    pcid,
    noflush: !flush,
    table: 'user',
    pgd: userPgd(proc),
    removed: movToCr3(core.tlb, pcid, !flush).total,
    why,
  });
}

/**
 * With KPTI a flush of an mm's PCID must reach its user PCID too. Linux does it with
 * INVPCID for one page (flush_tlb_one_user: invpcid_flush_one(user_pcid, addr)); for a whole
 * PCID it defers to the next SWITCH_TO_USER_CR3 (user_pcid_flush_mask), which the model does at
 * once. Returns the entries removed.
 */
export function flushUserPcid(ctx: Ctx, proc: Proc, vpn: number | null): number {
  const { m, core } = ctx;
  if (!kptiOn(m)) return 0;
  const pcid = userPcid(proc);
  const removed = (vpn === null ? invpcid(core.tlb, 1, pcid, 0) : invpcid(core.tlb, 0, pcid, vpn)).total;
  ctx.cost += vpn === null ? m.cost.fullFlush : m.cost.invlpg;
  m.stats.invalidations++;
  ctx.emit(
    vpn === null
      ? {
          type: 'tlb.invalidate',
          core: core.id,
          scope: 'asid',
          asid: pcid,
          removed,
          reason: 'INVPCID single-context: the user PCID too (PTI)',
        }
      : {
          type: 'tlb.invalidate',
          core: core.id,
          scope: 'page',
          va: vaHex(vpn, 0),
          asid: pcid,
          removed,
          reason: 'INVPCID of the user PCID (PTI)',
        },
  );
  return removed;
}
