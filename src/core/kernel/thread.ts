// Thread lifetime on a core: exit (normal or by signal), and the core going idle in lazy TLB
// mode (enter_lazy_tlb keeps the old mm loaded: Linux arch/x86/mm/tlb.c).
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { Thread } from '../machine';
import { threadEnded } from './threadEnd';
import { dropUaccessState } from './uaccessExit';

export function exitThread(ctx: Ctx, th: Thread, reason: string): void {
  const { m } = ctx;
  th.state = 'exited';
  th.exitReason = reason;
  dropUaccessState(ctx, th);
  ctx.emit({ type: 'thread.exit', tid: th.tid, reason });
  threadEnded(ctx, th, reason);
  const core = m.cores[th.core];
  if (!core) return;
  core.runq = core.runq.filter((t) => t !== th.tid);
  if (core.tid === th.tid) {
    core.stack = [];
    core.tid = -1;
    core.lazy = true;
    ctx.emit({ type: 'context.switch', core: core.id, fromTid: th.tid, toTid: -1, flush: false, lazy: true });
  }
}

/** SIGSEGV's default action ends the whole thread group (every thread of the process). */
export function killProcess(ctx: Ctx, pid: number, reason: string): void {
  const { m } = ctx;
  for (const th of m.threads) {
    if (th.pid === pid && th.state !== 'exited') exitThread(ctx, th, reason);
  }
  const p = m.procs.find((x) => x.pid === pid);
  if (p) p.alive = false;
}

export function finishOp(ctx: Ctx): void {
  if (ctx.core.tid >= 0) threadOf(ctx.m, ctx.core.tid).pc++;
}
