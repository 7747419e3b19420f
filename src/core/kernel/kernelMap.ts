// The kernel changing its own mappings, which every process shares: vmalloc writes PTEs under the
// shared kernel PDPT (no process's PML4 is touched), and needs no TLB flush, because a not-present
// entry is never cached (SDM 4.10.2.3; Linux's pte_needs_flush: "Non-present entries are not
// cached"). vunmap_range (mm/vmalloc.c) clears the PTEs, then flush_tlb_kernel_range flushes every
// core (smp/kernelFlush.ts), and only then are the pages freed.
// Simplification: Linux's vfree defers that flush (lazy purge of vmap areas: the virtual range is
// not reused before it is flushed); the model flushes at once, as vunmap_range does.
import { encodeEntry, entryPfn, levelIndex, PTE_A, PTE_D, PTE_P, PTE_RW } from '../arch/x86_64/pte';
import { readEntry, writeEntry } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import { hexEntry } from '../hex';
import type { Frame, Machine } from '../machine';
import { allocFrame } from '../mem/physmem';
import type { Emit } from './emit';
import { vaHex } from './emit';
import { kptiOn } from './kpti';
import { KERNEL_PID } from './kernelSpace';
import { markPending, type PteSlot } from './pagetable';
import { finishOp } from './thread';

type KmapFrame = Extract<Frame, { fn: 'kmap' }>;

/** _KERNPG_TABLE: a kernel page-table entry, without _PAGE_USER. */
const KERNPG_TABLE = PTE_P | PTE_RW | PTE_A | PTE_D;

/** The kernel PT slot for `vpn` (in PML4 slot 511), allocating a PD or PT below the shared PDPT. */
export function ensureKernelPte(m: Machine, vpn: number, emit: Emit | null): PteSlot | null {
  if (m.kernelPdpt === undefined) return null;
  let table = m.kernelPdpt;
  for (let level = 3; level > 1; level--) {
    const idx = levelIndex(vpn, level);
    const [lo, hi] = readEntry(m.mem, table, idx);
    if ((lo & PTE_P) !== 0) {
      table = entryPfn(lo, hi);
      continue;
    }
    const pfn = allocFrame(m.mem, 'pagetable', KERNEL_PID);
    if (pfn === null) return null;
    emit?.({ type: 'frame.alloc', pfn, pid: KERNEL_PID, use: 'pagetable' });
    const newLo = (KERNPG_TABLE | (pfn << 12)) >>> 0;
    writeEntry(m.mem, table, idx, newLo, 0);
    emit?.({
      type: 'pte.write',
      level,
      pid: KERNEL_PID,
      table,
      index: idx,
      old: hexEntry(lo, hi),
      new: hexEntry(newLo, 0),
      va: vaHex(vpn - (vpn % 512 ** (level - 1)), 0),
    });
    table = pfn;
  }
  const index = levelIndex(vpn, 1);
  const [lo, hi] = readEntry(m.mem, table, index);
  return { tablePfn: table, index, lo, hi };
}

/** The kernel PT slot for `vpn` if its tables exist. */
function findKernelPte(m: Machine, vpn: number): PteSlot | null {
  if (m.kernelPdpt === undefined) return null;
  let table = m.kernelPdpt;
  for (let level = 3; level > 1; level--) {
    const [lo, hi] = readEntry(m.mem, table, levelIndex(vpn, level));
    if ((lo & PTE_P) === 0) return null;
    table = entryPfn(lo, hi);
  }
  const index = levelIndex(vpn, 1);
  const [lo, hi] = readEntry(m.mem, table, index);
  return { tablePfn: table, index, lo, hi };
}

function writeKernelPte(ctx: Ctx, vpn: number, slot: PteSlot, lo: number, hi: number): void {
  writeEntry(ctx.m.mem, slot.tablePfn, slot.index, lo, hi);
  ctx.cost += ctx.m.cost.pteWrite;
  ctx.emit({
    type: 'pte.write',
    level: 1,
    pid: KERNEL_PID,
    table: slot.tablePfn,
    index: slot.index,
    old: hexEntry(slot.lo, slot.hi),
    new: hexEntry(lo, hi),
    va: vaHex(vpn, 0),
  });
}

export function stepKmap(ctx: Ctx, f: KmapFrame): void {
  const { m, core } = ctx;
  const va = vaHex(f.vpn, 0);
  const done = () => {
    core.stack.pop();
    finishOp(ctx);
  };
  switch (f.phase) {
    case 'enter': {
      ctx.cost += m.cost.kernelEntry;
      const pdpt = m.kernelPdpt ?? -1;
      const busy = [...Array(f.pages).keys()].some((i) => {
        const s = findKernelPte(m, f.vpn + i);
        return s !== null && (s.lo & PTE_P) !== 0;
      });
      if (pdpt < 0 || (!f.unmap && busy)) {
        // vmalloc picks a free range itself; a scenario naming a busy one gets nothing.
        ctx.emit({ type: 'kernel.map', core: core.id, va, pages: f.pages, pdpt, ok: false });
        return done();
      }
      f.phase = 'pte';
      return;
    }
    case 'pte':
      return f.unmap ? unmapNext(ctx, f) : mapNext(ctx, f);
    case 'exit':
      if (!f.unmap) {
        ctx.emit({
          type: 'kernel.map',
          core: core.id,
          va,
          pages: f.pages,
          pdpt: m.kernelPdpt ?? -1,
          ok: true,
        });
      }
      ctx.cost += m.cost.small;
      return done();
  }
}

/** Maps the next page: a fresh frame, PAGE_KERNEL (RW, NX, global unless KPTI). */
function mapNext(ctx: Ctx, f: KmapFrame): void {
  const { m } = ctx;
  const vpn = f.vpn + f.i;
  const slot = ensureKernelPte(m, vpn, ctx.emit);
  const pfn = allocFrame(m.mem, 'reserved', KERNEL_PID);
  if (slot === null || pfn === null) {
    ctx.emit({
      type: 'kernel.map',
      core: ctx.core.id,
      va: vaHex(f.vpn, 0),
      pages: f.pages,
      pdpt: m.kernelPdpt ?? -1,
      ok: false,
    });
    ctx.core.stack.pop();
    finishOp(ctx);
    return;
  }
  ctx.emit({ type: 'frame.alloc', pfn, pid: KERNEL_PID, use: 'anon' });
  ctx.cost += m.cost.zeroFrame;
  const [lo, hi] = encodeEntry({ pfn, rw: true, a: true, d: true, g: !kptiOn(m), nx: true });
  writeKernelPte(ctx, vpn, slot, lo, hi);
  f.frames.push(pfn);
  if (++f.i >= f.pages) f.phase = 'exit';
}

/** Clears the next present PTE; after the last, flush every core before the pages are freed. */
function unmapNext(ctx: Ctx, f: KmapFrame): void {
  const { m, core } = ctx;
  while (f.i < f.pages) {
    const vpn = f.vpn + f.i++;
    const slot = findKernelPte(m, vpn);
    if (!slot || (slot.lo & PTE_P) === 0) continue;
    writeKernelPte(ctx, vpn, slot, 0, 0);
    const pfn = entryPfn(slot.lo, slot.hi);
    markPending(m, KERNEL_PID, vpn, pfn);
    f.cleared.push(vpn);
    f.frames.push(pfn);
    if (f.i < f.pages) return;
  }
  f.phase = 'exit';
  ctx.emit({ type: 'kernel.unmap', core: core.id, va: vaHex(f.vpn, 0), pages: f.cleared.length });
  if (f.cleared.length === 0) return;
  core.stack.push({
    fn: 'kflush',
    phase: 'begin',
    id: -1,
    vpns: f.cleared.slice(),
    full: false,
    toFree: f.frames.slice(),
  });
}
