// One access's translation with its cycle cost: the TLB lookup at its preset's cost (L1 hit, L2
// hit, or the probes before a walk; a sets/ways TLB charges the flat m.cost.tlbHit), then one read
// per level walked (a paging-structure-cache hit skips the levels above it, machine.psc).
import type { WalkOut } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import { translate } from '../mmu/translate';

export function translateCharged(
  ctx: Ctx,
  vpn: number,
  kind: 'read' | 'write' | 'fetch',
  user: boolean,
  out: WalkOut,
): boolean {
  const { m, core } = ctx;
  const missesBefore = m.stats.tlbMisses;
  const tlbCyclesBefore = core.tlb.stats.cycles;
  const ok = translate(m, core, vpn, kind, user, out, ctx.emit);
  ctx.cost += core.tlb.stats.cycles - tlbCyclesBefore;
  if (m.stats.tlbMisses !== missesBefore)
    ctx.cost += m.cost.walkLevel * (m.ctl.levels - (core.tlb.psc?.lastSkipped ?? 0));
  return ok;
}
