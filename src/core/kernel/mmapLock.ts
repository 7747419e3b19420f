// mm->mmap_lock, the address space's reader-writer semaphore (include/linux/mmap_lock.h), as far
// as the model needs it to keep one process's memory syscalls from overlapping:
//  - fork holds it for write throughout (kernel/fork.c dup_mmap: mmap_write_lock(oldmm));
//  - mprotect holds it for write throughout (mm/mprotect.c do_mprotect_pkey);
//  - munmap takes it for write to detach the VMAs, then downgrades to read for the PTE zap, the
//    TLB flush and the freeing (mm/vma.c vms_complete_munmap_vmas: mmap_write_downgrade);
//  - a page fault holds it for read (since 6.4 often only the VMA's own lock, which a writer
//    also excludes: vma_start_write).
// So a writer waits while any other core of the same mm holds it in either mode, and a fault
// waits while a writer is on another core (engine/step.ts). Simplified: a sleeping waiter is
// woken the moment the lock is free, with no queue order (rwsem handoff) among waiters.
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { Core, Frame, Machine } from '../machine';

type WriterFrame = Extract<Frame, { fn: 'munmap' | 'fork' | 'mprotect' }>;
export type MmapLockMode = 'read' | 'write';

/** How this core's stack holds its mm's mmap_lock (null: not at all). */
function heldBy(stack: readonly Frame[]): MmapLockMode | null {
  let mode: MmapLockMode | null = null;
  for (const f of stack) {
    if ((f.fn === 'fork' || f.fn === 'mprotect') && f.phase !== 'enter') return 'write';
    if (f.fn === 'munmap' && f.phase !== 'enter') mode = 'read';
    if (f.fn === 'fault' && (f.phase !== 'enter' || f !== stack[stack.length - 1])) mode = 'read';
  }
  return mode;
}

/** The other cores running a thread of `core`'s process (none when `core` runs no thread). */
function otherCoresOfMm(m: Machine, core: Core): Core[] {
  if (core.tid < 0) return [];
  const pid = threadOf(m, core.tid).pid;
  return m.cores.filter((c) => c !== core && c.tid >= 0 && threadOf(m, c.tid).pid === pid);
}

/** Another core of `core`'s mm holding its mmap_lock, and how; null when a writer may take it. */
export function mmapLockHolder(m: Machine, core: Core): { core: number; mode: MmapLockMode } | null {
  let reader: { core: number; mode: MmapLockMode } | null = null;
  for (const c of otherCoresOfMm(m, core)) {
    const mode = heldBy(c.stack);
    if (mode === 'write') return { core: c.id, mode };
    if (mode === 'read' && !reader) reader = { core: c.id, mode };
  }
  return reader;
}

/**
 * Whether a page fault at its entry must wait: a writer (fork, mprotect) is on another core of
 * the same mm, holding mmap_lock or queued for it (a queued writer holds new readers back, as the
 * rwsem does against writer starvation). The fault waits with interrupts on, so it takes IPIs.
 */
export function faultWaitsForMmapLock(m: Machine, core: Core): boolean {
  return otherCoresOfMm(m, core).some((c) => c.stack.some((f) => f.fn === 'fork' || f.fn === 'mprotect'));
}

/** Whether a writer syscall's frame sits at its entry, asleep on (or about to take) the lock. */
export function atMmapLockEntry(f: Frame): f is WriterFrame {
  return (f.fn === 'munmap' || f.fn === 'fork' || f.fn === 'mprotect') && f.phase === 'enter';
}

/**
 * Takes mmap_lock for write at a syscall's entry, or goes to sleep on it (the frame stays at
 * 'enter' and the engine wakes it when the holders are gone). Returns true while it must wait.
 */
export function takeMmapWrite(ctx: Ctx, f: WriterFrame): boolean {
  const { m, core } = ctx;
  const pid = threadOf(m, core.tid).pid;
  const holder = mmapLockHolder(m, core);
  if (holder) {
    if (f.lockWaitSince === undefined) {
      f.lockWaitSince = ctx.t;
      ctx.cost += m.cost.small;
      ctx.emit({
        type: 'mmap_lock.wait',
        core: core.id,
        pid,
        call: f.fn,
        mode: 'write',
        holder: holder.core,
        held: holder.mode,
      });
    }
    return true;
  }
  if (f.lockWaitSince !== undefined) {
    ctx.emit({
      type: 'mmap_lock.acquire',
      core: core.id,
      pid,
      mode: 'write',
      waited: ctx.t - f.lockWaitSince,
    });
    f.lockWaitSince = undefined;
  }
  return false;
}
