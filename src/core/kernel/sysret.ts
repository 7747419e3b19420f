// The last step of a system call: the return value goes back to user mode, the call's frame is
// popped and the thread moves on to its next op.
import type { Ctx } from '../engine/ctx';
import { finishOp } from './thread';

export function returnFromSyscall(ctx: Ctx, name: string, ret: number): void {
  const { m, core } = ctx;
  ctx.emit({ type: 'syscall.exit', core: core.id, tid: core.tid, name, ret });
  ctx.cost += m.cost.small;
  core.stack.pop();
  finishOp(ctx);
}
