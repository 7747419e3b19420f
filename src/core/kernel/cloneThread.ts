// clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD ...), as pthread_create
// calls it (kernel/fork.c copy_process, copy_mm: with CLONE_VM the child shares the parent's mm,
// mm_users++, and no page table is copied). The new thread is the one the scenario declared
// `cloned`; its stack, if it has one, is mapped first (pthread_create mmaps the stack and its
// guard before calling clone; the model does both in this one step). The new thread's core joins
// mm_cpumask when switch_mm first loads the mm there, as for any thread of the process.
import type { Ctx } from '../engine/ctx';
import { procOf } from '../engine/ctx';
import type { Thread } from '../machine';
import { vaHex } from './emit';
import { mapThreadStack } from './stacks';
import { protString } from './vma';

const EINVAL = 22;
const ENOMEM = 12;

export function doClone(ctx: Ctx, th: Thread, tid: number): void {
  const { m, core } = ctx;
  const proc = procOf(m, th.pid);
  const child = m.threads.find((t) => t.tid === tid);
  ctx.emit({
    type: 'syscall.enter',
    core: core.id,
    tid: th.tid,
    name: 'clone',
    args: ['CLONE_VM|CLONE_THREAD|CLONE_SIGHAND', child?.stack ? vaHex(child.stack.endVpn, 0) : '0'],
  });
  ctx.cost += m.cost.kernelEntry;
  const ret = (v: number) => {
    ctx.emit({ type: 'syscall.exit', core: core.id, tid: th.tid, name: 'clone', ret: v });
    th.pc++;
  };
  if (!child || child.pid !== th.pid || child.state !== 'unborn') return ret(-EINVAL);
  const vmas = mapThreadStack(proc, child);
  if (!vmas) return ret(-ENOMEM);
  for (const v of vmas) {
    ctx.emit({
      type: 'vma.map',
      pid: proc.pid,
      start: vaHex(v.startVpn, 0),
      end: vaHex(v.endVpn, 0),
      prot: protString(v.prot),
    });
  }
  child.state = 'ready';
  child.readyAt = ctx.t;
  m.cores[child.core]?.runq.push(child.tid);
  ctx.cost += m.cost.small;
  ctx.emit({ type: 'thread.clone', core: core.id, tid: th.tid, child: child.tid, pid: proc.pid });
  ret(child.tid);
}
