// munmap, in Linux's order (mm/vma.c do_vmi_align_munmap, mm/mmu_gather.c): detach the VMAs,
// clear each PTE and gather its frame, then flush every TLB that may hold the pages, and only
// then free the frames ("1) unhook page 2) TLB invalidate page 3) free page",
// include/asm-generic/tlb.h). The page-table pages themselves are kept (the model does not
// free empty tables), so the flush has freed_tables = false.
import { entryPfn, PTE_P, PTE_PS } from '../arch/x86_64/pte';
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import type { Frame } from '../machine';
import { vaHex } from './emit';
import { unmapFrame } from '../mem/physmem';
import { findPdSlot, findPte, markPending, setPte } from './pagetable';
import { zapSwapPte } from './swap';
import { finishOp } from './thread';
import { removeRange } from './vma';
import { beyondTaskSize } from './kernelSpace';
import { holdWhilePinned } from './pin';
import { returnFromSyscall } from './sysret';
import { takeMmapWrite } from './mmapLock';

const EINVAL = 22;

export function stepMunmap(ctx: Ctx, f: Extract<Frame, { fn: 'munmap' }>): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const proc = procOf(m, th.pid);
  switch (f.phase) {
    case 'enter': {
      if (f.lockWaitSince === undefined) {
        ctx.emit({
          type: 'syscall.enter',
          core: core.id,
          tid: th.tid,
          name: 'munmap',
          args: [vaHex(f.vpn, 0), `0x${(f.pages * 4096).toString(16)}`],
        });
        ctx.cost += m.cost.kernelEntry;
        // A bad length, or a range reaching past TASK_SIZE (the kernel half): EINVAL.
        if (f.pages <= 0 || beyondTaskSize(f.vpn, f.pages)) {
          ctx.emit({ type: 'syscall.exit', core: core.id, tid: th.tid, name: 'munmap', ret: -EINVAL });
          core.stack.pop();
          finishOp(ctx);
          return;
        }
      }
      if (takeMmapWrite(ctx, f)) return;
      // Design `pin` (lesson copy-from-user-vs-munmap): wait while a syscall pins the range.
      if (holdWhilePinned(ctx, proc, f)) return;
      // Under mmap_lock for write: take the VMAs out of the tree first.
      for (const v of removeRange(proc, f.vpn, f.vpn + f.pages)) {
        ctx.emit({ type: 'vma.unmap', pid: proc.pid, start: vaHex(v.startVpn, 0), end: vaHex(v.endVpn, 0) });
      }
      f.phase = 'zap';
      return;
    }
    case 'zap': {
      // Clear the next present PTE (one per step, so each change can be seen).
      while (f.i < f.pages) {
        const vpn = f.vpn + f.i++;
        const slot = findPte(m, proc, vpn);
        if (slot && (slot.lo & PTE_P) === 0 && zapSwapPte(ctx, proc, vpn, slot)) continue;
        if (!slot || (slot.lo & PTE_P) === 0) continue;
        setPte(m, proc, vpn, slot, 0, 0, ctx.emit);
        ctx.cost += m.cost.pteWrite;
        const pfn = entryPfn(slot.lo, slot.hi);
        markPending(m, proc.pid, vpn, pfn);
        f.cleared.push(vpn);
        if (unmapFrame(m.mem, pfn, proc.pid)) f.gathered.push(pfn);
        if (f.i < f.pages) return;
        break;
      }
      f.phase = 'exit';
      freeEmptyTables(ctx, f);
      if (f.cleared.length > 0) {
        core.stack.push({
          fn: 'shootdown',
          phase: 'begin',
          id: -1,
          pid: proc.pid,
          vpns: f.cleared.slice(),
          full: false,
          gen: 0,
          toFree: [...f.gathered, ...f.tables],
          freedTables: f.tables.length > 0,
        });
        return;
      }
      return stepMunmap(ctx, f);
    }
    case 'exit': {
      returnFromSyscall(ctx, 'munmap', 0);
      return;
    }
  }
}

/**
 * free_pgtables (mm/memory.c), reduced to the last level: a page-table page whose 2 MiB span no
 * VMA covers any more is unhooked from its PD entry and freed with the mmu_gather, after the
 * flush. Upper levels are kept (a simplification).
 */
function freeEmptyTables(ctx: Ctx, f: Extract<Frame, { fn: 'munmap' }>): void {
  const { m, core } = ctx;
  const proc = procOf(m, threadOf(m, core.tid).pid);
  const first = f.vpn - (f.vpn % 512);
  for (let span = first; span < f.vpn + f.pages; span += 512) {
    if (proc.vmas.some((v) => v.startVpn < span + 512 && span < v.endVpn)) continue;
    const pd = findPdSlot(m, proc, span);
    if (!pd || (pd.lo & PTE_P) === 0 || (pd.lo & PTE_PS) !== 0) continue;
    const pt = entryPfn(pd.lo, pd.hi);
    const words = m.mem.frames[pt];
    let empty = true;
    for (let i = 0; words && i < 1024 && empty; i += 2)
      if (((words[i] as number) & PTE_P) !== 0) empty = false;
    if (!empty) continue;
    setPte(m, proc, span, pd, 0, 0, ctx.emit, 2);
    f.tables.push(pt);
  }
}
