// What else happens when a thread ends, beside leaving its core (thread.ts):
//  - its mapped stack: a thread that ends by itself (it returned, called exit, or overflowed its
//    stack) is still running on that stack, so it cannot unmap it. The unmap is deferred and left
//    to another thread (Zephyr's k_thread_abort_cleanup, seed 003; glibc frees a joined thread's
//    stack in pthread_join). A thread killed with its whole process needs none: the mm goes.
//  - its joiners: the kernel clears the thread's tid word and wakes the futex on it
//    (CLONE_CHILD_CLEARTID, kernel/fork.c mm_release), which is what pthread_join sleeps on.
import type { Ctx } from '../engine/ctx';
import type { Thread } from '../machine';
import { vaHex } from './emit';

/** The futex a joiner of `tid` sleeps on. */
export function joinFlag(tid: number): string {
  return `futex: T${tid} exit`;
}

/** Reasons for which the thread itself was running when it ended (its stack is in use). */
function endedOnItsStack(reason: string): boolean {
  return reason === 'exit' || reason.startsWith('stack overflow');
}

export function threadEnded(ctx: Ctx, th: Thread, reason: string): void {
  const { m } = ctx;
  const st = th.stack;
  if (st?.state === 'mapped' && endedOnItsStack(reason)) {
    const others = m.threads.some(
      (t) => t.pid === th.pid && t.tid !== th.tid && t.state !== 'exited' && t.state !== 'unborn',
    );
    if (others) {
      st.state = 'deferred';
      ctx.emit({
        type: 'stack.unmap.deferred',
        tid: th.tid,
        start: vaHex(st.startVpn, 0),
        end: vaHex(st.endVpn, 0),
      });
    }
  }
  const flag = joinFlag(th.tid);
  for (const t of m.threads) {
    if (t.state !== 'sleeping' || t.sleepFlag !== flag) continue;
    // The join op runs again when its thread is back: it then finds the thread ended.
    t.state = 'ready';
    t.readyAt = ctx.t;
    m.cores[t.core]?.runq.push(t.tid);
    ctx.emit({ type: 'thread.wake', tid: t.tid, core: t.core, flag });
  }
}
