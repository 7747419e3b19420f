// A thread that dies inside a syscall (killed with its process, or by an oops) leaves no
// uaccess state behind: its core's EFLAGS.AC is cleared and its pins are dropped, so a munmap
// waiting for them can go on. (The model kills a thread at once; Linux would let the syscall
// reach its exit first, where a fatal signal is acted on, and unpin there.)
import type { Ctx } from '../engine/ctx';
import type { Thread } from '../machine';
import { putFrame } from '../mem/physmem';

export function dropUaccessState(ctx: Ctx, th: Thread): void {
  const ua = ctx.m.ua;
  if (!ua) return;
  ua.ac[th.core] = false;
  const mine = ua.pins.filter((p) => p.tid === th.tid);
  if (mine.length === 0) return;
  ua.pins = ua.pins.filter((p) => p.tid !== th.tid);
  for (const p of mine) {
    if (putFrame(ctx.m.mem, p.pfn))
      ctx.emit({ type: 'frame.free', pfn: p.pfn, pid: p.pid, afterFlush: true });
  }
  ua.unpinAt = ctx.t + ctx.cost;
  ctx.emit({
    type: 'uaccess.unpin',
    core: th.core,
    tid: th.tid,
    pages: mine.length,
    pfns: mine.map((p) => p.pfn),
  });
}
