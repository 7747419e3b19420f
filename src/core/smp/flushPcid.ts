import type { Ctx } from '../engine/ctx';
import type { Proc } from '../machine';
import { movToCr3 } from '../tlb/invalidate';
import { flushUserPcid } from '../kernel/kpti';

/**
 * A full flush of one mm's entries on the acting core: MOV to CR3 without the no-flush bit
 * drops the non-global entries of that PCID from every TLB level (SDM 4.10.4.1). Returns how
 * many went.
 */
export function flushPcid(ctx: Ctx, proc: Proc, reason: string, quietIfEmpty = false): number {
  const { m, core } = ctx;
  const r = movToCr3(core.tlb, proc.pcid, false);
  const removed = r.total;
  ctx.cost += m.cost.fullFlush;
  if (removed === 0 && !r.psc && quietIfEmpty) return 0;
  m.stats.invalidations++;
  ctx.emit({
    type: 'tlb.invalidate',
    core: core.id,
    scope: 'asid',
    asid: proc.pcid,
    removed,
    reason,
    // The same CR3 write drops the PCID's paging-structure-cache entries (SDM 4.10.4.1).
    ...(r.psc !== undefined ? { psc: r.psc } : {}),
  });
  // KPTI: the user PCID's entries of this mm are out of date as well.
  return removed + flushUserPcid(ctx, proc, null);
}
