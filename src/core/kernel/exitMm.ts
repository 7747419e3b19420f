// A thread's exit and the end of an address space.
//  - exit_mm (kernel/exit.c): the exiting thread drops its use of the mm (mmput, mm_users--). If
//    other threads of the process still run in it, nothing else happens: the mm is shared.
//  - The last user's mmput runs exit_mmap (mm/mmap.c): every user page is unmapped, the page
//    tables are freed (free_pgtables), and tlb_finish_mmu flushes the whole mm before any frame
//    or table goes back to the allocator (the mmu_gather rule). The exiting core itself is in
//    lazy TLB mode by then (exit_mm calls enter_lazy_tlb), so it leaves the mm for init_mm.
//  - execve tears down the old mm the same way once the new one is loaded (exec.ts).
// Simplification: a program that simply runs out of operations ends its thread without tearing
// down the mm, so the final state stays visible; only an `exit` op shows exit_mmap.
import { isSwapPte, zapSwapPte } from './swap';
import { entryPfn, LEVEL_SPAN, PTE_P, PTE_PS } from '../arch/x86_64/pte';
import { readEntry } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import { procOf } from '../engine/ctx';
import type { Frame, Machine, Proc, Thread, Vma } from '../machine';
import { unmapFrame } from '../mem/physmem';
import { findPte, markPending, setPte } from './pagetable';
import { exitThread } from './thread';

type TeardownFrame = Extract<Frame, { fn: 'teardown' }>;

/** Threads of `pid` other than `tid` still using the mm (mm_users). */
export function otherUsers(m: Machine, pid: number, tid: number): number {
  return m.threads.filter(
    (t) => t.pid === pid && t.tid !== tid && t.state !== 'exited' && t.state !== 'unborn',
  ).length;
}

/** The `exit` op: the thread ends; the last one out tears the mm down. */
export function doExit(ctx: Ctx, th: Thread): void {
  const { m, core } = ctx;
  const proc = procOf(m, th.pid);
  const users = otherUsers(m, th.pid, th.tid);
  ctx.emit({ type: 'mm.put', pid: proc.pid, tid: th.tid, users });
  exitThread(ctx, th, 'exit');
  if (users > 0 || proc.rootPfn < 0) return;
  // exitThread left the core idle with the mm still loaded (enter_lazy_tlb): exit_mmap runs there.
  core.stack.push(teardownFrame(m, proc, proc.rootPfn, proc.vmas, 'exit'));
}

/** The frame that tears down the mm rooted at `root`, holding `vmas` (proc's own, or the old ones of an exec). */
export function teardownFrame(
  m: Machine,
  proc: Proc,
  root: number,
  vmas: Vma[],
  why: 'exit' | 'exec',
): TeardownFrame {
  const view: Proc = { ...proc, rootPfn: root };
  const todo: number[] = [];
  for (const v of vmas) {
    if ((v.pageShift ?? 12) > 12) continue; // large pages stay mapped for the whole run (model)
    for (let vpn = v.startVpn; vpn < v.endVpn; vpn++) {
      const slot = findPte(m, view, vpn);
      if (slot && ((slot.lo & PTE_P) !== 0 || isSwapPte(slot))) todo.push(vpn);
    }
  }
  return {
    fn: 'teardown',
    phase: 'enter',
    pid: proc.pid,
    why,
    root,
    todo,
    cleared: [],
    gathered: [],
    tables: [],
  };
}

/** Every page-table page below `root` in the user half (PML4 slots 0-255), deepest last. */
export function userTables(m: Machine, root: number): number[] {
  const out: number[] = [];
  const visit = (table: number, level: number, first: number, last: number) => {
    for (let i = first; i <= last; i++) {
      const [lo, hi] = readEntry(m.mem, table, i);
      if ((lo & PTE_P) === 0 || (level <= 3 && (lo & PTE_PS) !== 0)) continue;
      const child = entryPfn(lo, hi);
      out.push(child);
      if (level - 1 > 1) visit(child, level - 1, 0, 511);
    }
  };
  visit(root, m.ctl.levels, 0, 255);
  return out;
}

export function stepTeardown(ctx: Ctx, f: TeardownFrame): void {
  const { m, core } = ctx;
  const proc = procOf(m, f.pid);
  const view: Proc = { ...proc, rootPfn: f.root };
  ctx.cost += m.cost.small;
  switch (f.phase) {
    case 'enter': {
      f.tables = userTables(m, f.root);
      ctx.emit({
        type: 'mm.teardown',
        core: core.id,
        pid: f.pid,
        why: f.why,
        pages: f.todo.length,
        tables: f.tables.length,
      });
      f.phase = 'zap';
      return;
    }
    case 'zap': {
      // zap_pte_range: one present PTE per step, each frame gathered for after the flush.
      const vpn = f.todo.shift();
      if (vpn !== undefined) {
        const slot = findPte(m, view, vpn);
        // A swapped-out page: drop the slot's use (free_swap_and_cache), no flush needed.
        if (slot && (slot.lo & PTE_P) === 0) zapSwapPte(ctx, view, vpn, slot);
        else if (slot && (slot.lo & PTE_P) !== 0) {
          setPte(m, view, vpn, slot, 0, 0, ctx.emit);
          ctx.cost += m.cost.pteWrite;
          const pfn = entryPfn(slot.lo, slot.hi);
          markPending(m, f.pid, vpn, pfn);
          f.cleared.push(vpn);
          if (unmapFrame(m.mem, pfn, f.pid)) f.gathered.push(pfn);
        }
        if (f.todo.length > 0) return;
      }
      // free_pgtables: unhook the user half from the PML4; the tables go with the flush.
      const top = m.ctl.levels;
      for (let i = 0; i < 256; i++) {
        const [lo, hi] = readEntry(m.mem, f.root, i);
        if ((lo & PTE_P) === 0) continue;
        setPte(
          m,
          view,
          i * (LEVEL_SPAN[top] ?? 0),
          { tablePfn: f.root, index: i, lo, hi },
          0,
          0,
          ctx.emit,
          top,
        );
      }
      if (f.why === 'exit' && core.mmPid === f.pid && core.lazy) {
        // flush_tlb_func on this lazy core: it switches to init_mm rather than flush.
        core.mmPid = -1;
        core.cr3Pfn = -1;
        core.pcid = 0;
        ctx.emit({ type: 'lazy.leave', core: core.id, pid: f.pid });
      }
      f.phase = 'free';
      // tlb_finish_mmu with fullmm: flush the whole mm. Page tables are freed (the PML4 at
      // least, mm_free_pgd), so lazy cores that still have it in CR3 are interrupted too and
      // leave it; frames, tables and the PML4 go back only after every ack.
      core.stack.push({
        fn: 'shootdown',
        phase: 'begin',
        id: -1,
        pid: f.pid,
        vpns: f.cleared.slice(),
        full: true,
        gen: 0,
        toFree: [...f.gathered, ...f.tables, f.root],
        freedTables: true,
      });
      return;
    }
    case 'free': {
      core.stack.pop();
      if (f.why === 'exit') {
        proc.alive = false;
        proc.rootPfn = -1;
        proc.vmas = [];
        proc.cpumask = proc.cpumask.map(() => false);
        for (const t of m.threads) if (t.pid === f.pid && t.stack) t.stack.state = 'unmapped';
      }
      return;
    }
  }
}
