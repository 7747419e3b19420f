// Memory-mapped thread stacks (seed 003; lesson mapped-stacks). A thread's stack is an anonymous
// read-write mapping with, by default, one PROT_NONE guard page on each side: glibc's
// allocatestack.c puts a guard below a pthread stack (mprotect PROT_NONE), and Zephyr's
// k_mem_map_phys_guard puts one before and one after ("to catch buffer under-/over-flow").
// The model keeps each guard as a PROT_NONE VMA, so it also reserves the address range: nothing
// else can be mapped there. A push below the stack's lowest page lands in the lower guard and
// faults; the thread is stopped there instead of writing into whatever lies below.
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import type { Op, Proc, Thread, ThreadStack, Vma } from '../machine';
import { vaHex } from './emit';
import { exitThread } from './thread';
import { joinFlag } from './threadEnd';

const RW = { r: true, w: true, x: false };
const NONE = { r: false, w: false, x: false };

/** The stack and its guards as VMAs, lowest first. */
export function stackVmas(tid: number, st: ThreadStack): Vma[] {
  const stack: Vma = { startVpn: st.startVpn, endVpn: st.endVpn, prot: RW, name: `stack T${tid}` };
  if (!st.guards) return [stack];
  return [
    { startVpn: st.startVpn - 1, endVpn: st.startVpn, prot: NONE, name: `guard T${tid}` },
    stack,
    { startVpn: st.endVpn, endVpn: st.endVpn + 1, prot: NONE, name: `guard T${tid}` },
  ];
}

/** The whole range the stack occupies, guards included: [start, end). */
export function stackSpan(st: ThreadStack): { start: number; end: number } {
  return st.guards ? { start: st.startVpn - 1, end: st.endVpn + 1 } : { start: st.startVpn, end: st.endVpn };
}

/**
 * Maps `th`'s stack into `proc` (what pthread_create's mmap + mprotect do before clone). Returns
 * the VMAs added, or null when the range is already in use (mmap would fail).
 */
export function mapThreadStack(proc: Proc, th: Thread): Vma[] | null {
  const st = th.stack;
  if (!st) return [];
  const { start, end } = stackSpan(st);
  if (proc.vmas.some((v) => v.startVpn < end && start < v.endVpn)) return null;
  const vmas = stackVmas(th.tid, st);
  proc.vmas.push(...vmas);
  proc.vmas.sort((a, b) => a.startVpn - b.startVpn);
  st.state = 'mapped';
  return vmas;
}

/** A return-address-like word for call level `k`, so each frame's push is recognisable. */
export function frameMarker(k: number): number {
  return (0xca110000 + (k & 0xffff)) >>> 0;
}

/**
 * `depth` nested calls on a stack whose top is `topVpn` (exclusive): each call moves the stack
 * pointer down by `frameBytes` and stores a word there (the return address a CALL pushes).
 */
export function recursePushes(topVpn: number, depth: number, frameBytes: number): Op[] {
  const ops: Op[] = [];
  const top = topVpn * 4096;
  for (let k = 1; k <= depth; k++) {
    const sp = top - k * frameBytes;
    ops.push({ op: 'write', vpn: Math.floor(sp / 4096), off: sp % 4096, value: frameMarker(k) });
  }
  return ops;
}

/**
 * The fault handler's last stop before SIGSEGV: an access to a guard page of a mapped stack.
 * The thread is stopped with a stack.overflow naming the guard and the stack. This is Zephyr's
 * behaviour (a fatal exception aborts the faulting thread); Linux would send SIGSEGV
 * (SEGV_ACCERR on the PROT_NONE guard) and end the whole process.
 */
export function guardPageFault(ctx: Ctx, th: Thread, vpn: number, va: string): boolean {
  const { m, core } = ctx;
  for (const owner of m.threads) {
    const st = owner.stack;
    if (owner.pid !== th.pid || !st?.guards || st.state !== 'mapped') continue;
    const guard = vpn === st.startVpn - 1 ? 'below' : vpn === st.endVpn ? 'above' : null;
    if (!guard) continue;
    ctx.emit({
      type: 'stack.overflow',
      core: core.id,
      tid: th.tid,
      va,
      guard,
      owner: owner.tid,
      start: vaHex(st.startVpn, 0),
      end: vaHex(st.endVpn, 0),
    });
    exitThread(ctx, th, `stack overflow: guard page ${vaHex(vpn, 0)} ${guard} T${owner.tid}'s stack`);
    return true;
  }
  return false;
}

/**
 * pthread_join(tid): sleep on the thread's exit futex until it has ended; then, if the thread
 * left its stack mapped (it could not unmap the stack it was running on), unmap it now with an
 * ordinary munmap: PTEs cleared, TLBs flushed, frames freed after the flush.
 */
export function startJoin(ctx: Ctx, th: Thread, tid: number): void {
  const { m, core } = ctx;
  const target = threadOf(m, tid);
  ctx.cost += m.cost.small;
  if (target.state !== 'exited') {
    th.state = 'sleeping';
    th.sleepFlag = joinFlag(tid);
    core.tid = -1;
    core.lazy = true;
    ctx.cost += m.cost.contextSwitch;
    ctx.emit({ type: 'thread.sleep', core: core.id, tid: th.tid, flag: th.sleepFlag });
    ctx.emit({ type: 'context.switch', core: core.id, fromTid: th.tid, toTid: -1, flush: false, lazy: true });
    return;
  }
  ctx.emit({ type: 'thread.join', core: core.id, tid: th.tid, target: tid });
  const st = target.stack;
  if (st?.state !== 'deferred' || !procOf(m, th.pid).alive) {
    th.pc++;
    return;
  }
  const { start, end } = stackSpan(st);
  st.state = 'unmapped';
  ctx.emit({
    type: 'stack.unmap',
    tid,
    by: th.tid,
    start: vaHex(start, 0),
    end: vaHex(end, 0),
    guards: st.guards,
  });
  // The munmap frame ends the op (finishOp) once its flush is done.
  core.stack.push({
    fn: 'munmap',
    phase: 'enter',
    vpn: start,
    pages: end - start,
    i: 0,
    gathered: [],
    cleared: [],
    tables: [],
  });
}
