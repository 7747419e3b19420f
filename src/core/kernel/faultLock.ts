// Lesson page-lock-contention: the lock a page fault holds, as the toy kernels of seed 002 do.
//  - mm-spinlock: one spinlock for the whole address space, held across the entire fault
//    (find the VMA, allocate and zero the frame, write the PTE): faults on different pages by
//    different cores serialize, and each waiter spins for everyone queued before it.
//  - page-lock: one lock per virtual page, held across the fault: faults on different pages
//    never meet; only two faults on the same page wait for each other.
// The spinlock is fair (FIFO, like a ticket lock or Linux's queued spinlock), so a core's wait
// is the sum of the hold times of the cores ahead of it.
//
// Linux does neither. A fault takes mmap_lock for read (a reader-writer semaphore: faults of one
// process do not exclude each other; only mmap/munmap/mprotect take it for write), or since 6.4
// only the faulting VMA's per-VMA lock, also for read (lock_vma_under_rcu, mm/memory.c). The frame
// is allocated and zeroed with no spinlock held; the split PTE lock of the page-table page
// (pte_offset_map_lock, one per page-table page with USE_SPLIT_PTE_PTLOCKS) is held only to
// re-check the PTE and install it. So ten faults on ten pages overlap almost entirely.
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { Frame, Machine } from '../machine';
import { uaOf } from './uaccess';

type FaultFrame = Extract<Frame, { fn: 'fault' }>;
type LockFrame = Extract<Frame, { fn: 'faultlock' }>;

function lockName(ctx: Ctx, f: FaultFrame): string | null {
  const design = ctx.m.spec.machine.faultLock ?? 'none';
  const pid = threadOf(ctx.m, ctx.core.tid).pid;
  switch (design) {
    case 'none':
      return null;
    case 'mm-spinlock':
      return `mm${pid}`;
    case 'page-lock':
      return `page:0x${(f.vpn * 4096).toString(16)}`;
    default: {
      const never: never = design;
      return never;
    }
  }
}

function lockOf(m: Machine, name: string) {
  const locks = uaOf(m).locks;
  let l = locks[name];
  if (!l) {
    l = { holder: -1, queue: [], freedAt: 0 };
    locks[name] = l;
  }
  return l;
}

/** Takes the lock (it was free, or this core is first in line): the release goes below the fault. */
function take(ctx: Ctx, name: string, waited: number): void {
  const { m, core } = ctx;
  const l = lockOf(m, name);
  l.holder = core.id;
  l.queue = l.queue.filter((c) => c !== core.id);
  const ua = uaOf(m);
  ua.lockWait[core.id] = (ua.lockWait[core.id] ?? 0) + waited;
  ctx.cost += m.cost.small;
  ctx.emit({ type: 'lock.acquire', core: core.id, lock: name, waited });
  // The fault frame is on top: its release runs when the fault is done.
  const release: LockFrame = { fn: 'faultlock', phase: 'release', lock: name, since: ctx.t };
  core.stack.splice(core.stack.length - 1, 0, release);
}

/**
 * Hook at the start of the fault handler: take the design's lock before the fault's work. Returns
 * true when the core must spin first (a spin frame was pushed above the fault).
 */
export function takeFaultLock(ctx: Ctx, f: FaultFrame): boolean {
  const { m, core } = ctx;
  if (f.phase !== 'enter') return false;
  const name = lockName(ctx, f);
  if (name === null) return false;
  const below = core.stack[core.stack.length - 2];
  if (below?.fn === 'faultlock' && below.phase === 'release') return false;
  const l = lockOf(m, name);
  if (l.holder < 0 && l.queue.length === 0) {
    take(ctx, name, 0);
    return false;
  }
  l.queue.push(core.id);
  ctx.cost += m.cost.small;
  ctx.emit({ type: 'lock.wait', core: core.id, lock: name, holder: l.holder, queue: l.queue.length });
  core.stack.push({ fn: 'faultlock', phase: 'spin', lock: name, since: ctx.t });
  return true;
}

/** When a spinning core gets the lock: when it is free and this core is first in line. */
export function lockReadyAt(m: Machine, coreId: number, now: number, f: LockFrame): number | null {
  if (f.phase !== 'spin') return null;
  const l = lockOf(m, f.lock);
  if (l.queue[0] !== coreId) return Number.POSITIVE_INFINITY;
  if (l.holder >= 0) {
    // A holder that died in the fault (killed by a signal) never runs its release: treat the
    // lock as dropped then, as the kernel would on the way out.
    const holderCore = m.cores[l.holder];
    const still = holderCore?.stack.some(
      (fr) => fr.fn === 'faultlock' && fr.phase === 'release' && fr.lock === f.lock,
    );
    if (still) return Number.POSITIVE_INFINITY;
    return Math.max(now, holderCore?.now ?? now);
  }
  return Math.max(now, l.freedAt);
}

export function stepFaultLock(ctx: Ctx, f: LockFrame): void {
  const { m, core } = ctx;
  const l = lockOf(m, f.lock);
  if (f.phase === 'spin') {
    core.stack.pop();
    take(ctx, f.lock, ctx.t - f.since);
    return;
  }
  ctx.cost += m.cost.small;
  l.holder = -1;
  l.freedAt = ctx.t + ctx.cost;
  ctx.emit({
    type: 'lock.release',
    core: core.id,
    lock: f.lock,
    held: ctx.t + ctx.cost - f.since,
    next: l.queue[0] ?? -1,
  });
  core.stack.pop();
}

/** Cycles each core spent spinning on fault locks. */
export function lockWaitByCore(m: Machine): number[] {
  return m.ua ? [...m.ua.lockWait] : m.cores.map(() => 0);
}
