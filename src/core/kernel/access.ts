// A user load or store: one step of hardware (TLB, walk, fill), then the data moves.
import { newWalkOut } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { Frame } from '../machine';
import { vaHex } from './emit';
import { moveWord } from './moveWord';
import { noteUse } from './swap';
import { finishOp } from './thread';
import { translateCharged } from './chargedTranslate';

const out = newWalkOut();

export function stepAccess(ctx: Ctx, f: Extract<Frame, { fn: 'access' }>): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const va = vaHex(f.vpn, f.off);
  ctx.emit({ type: 'access', core: core.id, tid: th.tid, va, kind: f.kind });
  const ok = translateCharged(ctx, f.vpn, f.kind, true, out);
  if (!ok) {
    m.stats.faults++;
    ctx.emit({
      type: 'fault.raised',
      core: core.id,
      tid: th.tid,
      va,
      kind: out.fault ?? 'not-present',
      errorCode: out.errorCode,
      access: f.kind,
    });
    ctx.cost += m.cost.kernelEntry;
    core.stack.push({
      fn: 'fault',
      phase: 'enter',
      vpn: f.vpn,
      off: f.off,
      kind: f.kind,
      errorCode: out.errorCode,
      code: 'SEGV_MAPERR',
    });
    return;
  }
  if (m.swap) noteUse(m, out.pfn); // for the idealized LRU/MRU reclaim policies
  const value = moveWord(ctx, th.tid, va, out.pfn, f);
  if (f.expect !== undefined) {
    ctx.emit({
      type: 'value.check',
      core: core.id,
      tid: th.tid,
      va,
      expected: f.expect,
      value,
      ok: value === f.expect,
    });
  }
  core.stack.pop();
  finishOp(ctx);
}
