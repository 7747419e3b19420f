// The exception table (arch/x86/mm/extable.c): when a kernel-mode page fault cannot be resolved
// (no VMA, or the VMA forbids the access), do_user_addr_fault sends no signal, since the fault
// is the kernel's, not the program's. kernelmode_fixup_or_oops() calls fixup_exception(), which
// searches the table by the faulting instruction's address (search_exception_tables(regs->ip)).
// An entry of type EX_TYPE_UACCESS sends the instruction to its fixup: the copy stops, and the
// routine returns the bytes it did not copy. No entry: the kernel oopses.
import { PF_USER } from '../arch/x86_64/rights';
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { Frame } from '../machine';
import { vaHex } from './emit';
import { exitThread } from './thread';
import { COPY_IP } from './uaccess';

export interface ExtableEntry {
  /** The instruction that may fault, and where execution resumes if it does. */
  insn: string;
  fixup: string;
  type: 'EX_TYPE_UACCESS';
}

/** The model kernel's table: one entry, for the copy routine's user access. */
const ENTRIES: readonly ExtableEntry[] = [
  { insn: COPY_IP, fixup: 'copy_user_generic+0x1e', type: 'EX_TYPE_UACCESS' },
];

/** search_exception_tables(ip); the `none` design's copy routine was built without entries. */
export function searchExtable(ctx: Ctx, ip: string): ExtableEntry | null {
  if ((ctx.m.spec.machine.uaccess ?? 'extable') === 'none') return null;
  return ENTRIES.find((e) => e.insn === ip) ?? null;
}

/**
 * Hook for the fault handler's "bad area" path: a kernel-mode fault (no U bit) gets no signal.
 * Looks the copy's instruction up; found: the fault frame is dropped and the copy below it is
 * told it faulted (it returns -EFAULT or a short count); not found: oops, the thread dies.
 * Returns false for user-mode faults, which take the signal path as before.
 */
export function kernelModeBadArea(ctx: Ctx, f: Extract<Frame, { fn: 'fault' }>): boolean {
  if ((f.errorCode & PF_USER) !== 0) return false;
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const va = vaHex(f.vpn, f.off);
  core.stack.pop();
  // The copy that faulted: the frame under the fault, past a fault lock's pending release.
  let below: Frame | undefined;
  for (let i = core.stack.length - 1; i >= 0 && !below; i--) {
    const fr = core.stack[i];
    if (fr?.fn !== 'faultlock') below = fr;
  }
  const entry = searchExtable(ctx, COPY_IP);
  ctx.emit({
    type: 'extable.search',
    core: core.id,
    tid: th.tid,
    ip: COPY_IP,
    va,
    found: entry !== null,
    ...(entry ? { fixup: entry.fixup } : {}),
  });
  ctx.cost += m.cost.small;
  if (entry && (below?.fn === 'rw' || below?.fn === 'ioctl')) {
    below.faulted = true;
    ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'fixup' });
    return true;
  }
  // page_fault_oops(): "BUG: unable to handle page fault", then make_task_dead(SIGSEGV): the
  // task dies in the kernel; the rest of the system goes on (unless panic_on_oops is set).
  ctx.emit({
    type: 'oops',
    core: core.id,
    tid: th.tid,
    ip: COPY_IP,
    va,
    errorCode: f.errorCode,
    reason: `unable to handle page fault for address ${va}: no exception-table entry for ${COPY_IP}`,
  });
  exitThread(ctx, th, `killed by a kernel oops in ${COPY_IP}`);
  return true;
}
