// Linux arm64's TLB flush (arch/arm64/include/asm/tlbflush.h __flush_tlb_range, tlb.h tlb_flush):
//   dsb(ishst), so every core's page walker sees the cleared PTEs before any TLB drops them;
//   one TLBI VALE1IS per page (VAE1IS when page tables were freed, so walk caches go too:
//   last_level = !freed_tables), or one TLBI ASIDE1IS for the whole ASID (flush_tlb_mm, or
//   MAX_TLBI_OPS = 512 pages or more); then dsb(ish) stalls until every core of the Inner
//   Shareable domain has completed them. No IPI: no code runs on the other cores.
// The model: the initiator's TLB drops the pages when the TLBIs issue; every other core's (all
// of them, whatever mm they run: the broadcast is by ASID) when DSB ISH completes, dsbIsh cycles
// later; mmu_gather frees only after that. The page tables stay x86-64's and context switches
// stay the model's x86 Linux ones: only the invalidation mechanism is ARM64's. No tlb_gen bump:
// arm64 has none, and no core is left behind to catch up on its next switch.
import { ARM64_MAX_TLBI_OPS } from '../../costs';
import type { Ctx } from '../../engine/ctx';
import { procOf } from '../../engine/ctx';
import type { TlbiOpName } from '../../events';
import { vaHex } from '../../kernel/emit';
import type { Core, Proc, Shootdown } from '../../machine';
import { tlbiAside1, tlbiAside1is, tlbiVae1, tlbiVae1is } from '../../tlb/invalidate';
import {
  closeShootdown,
  freeGathered,
  openShootdown,
  otherCores,
  type ShootdownFrame,
  shootdownOf,
  waitedFor,
} from './common';

/** The TLBI Linux picks for this flush (arch/arm64 tlb_flush and __flush_tlb_range_nosync). */
export function tlbiOpFor(sd: Pick<Shootdown, 'full' | 'vpns' | 'freedTables'>): TlbiOpName {
  if (sd.full || sd.vpns.length >= ARM64_MAX_TLBI_OPS) return 'ASIDE1IS';
  return sd.freedTables ? 'VAE1IS' : 'VALE1IS';
}

/** TLBI instructions issued: one per page, or one for the whole ASID. */
function opsOf(op: TlbiOpName, sd: Shootdown): number {
  return op === 'ASIDE1IS' ? 1 : sd.vpns.length;
}

export function stepArmBroadcast(ctx: Ctx, f: ShootdownFrame): void {
  const { m, core } = ctx;
  const proc = procOf(m, f.pid);
  switch (f.phase) {
    case 'begin': {
      f.gen = proc.tlbGen;
      const sd = openShootdown(ctx, proc, f, []);
      sd.full = tlbiOpFor(sd) === 'ASIDE1IS';
      // dsb(ishst): the PTE stores complete before the TLBIs, or a core could walk the old PTE
      // and refill its TLB after the invalidation passed it.
      ctx.cost += m.cost.dsbIshst;
      ctx.emit({ type: 'dsb', core: core.id, domain: 'ishst', waited: m.cost.dsbIshst });
      f.phase = 'local';
      return;
    }
    case 'local': {
      const sd = shootdownOf(ctx, f);
      const op = tlbiOpFor(sd);
      ctx.cost += m.cost.tlbiIs * opsOf(op, sd);
      ctx.emit({
        type: 'tlbi',
        core: core.id,
        pid: proc.pid,
        op,
        asid: proc.pcid,
        pages: sd.vpns.length,
        vas: sd.vpns.slice(0, 64).map((v) => vaHex(v, 0)),
        reaches: otherCores(ctx),
      });
      invalidateLocal(ctx, proc, sd, op);
      // dsb(ish): the initiator stalls until the broadcast has completed on every core.
      sd.waitStart = ctx.t + ctx.cost;
      sd.lastAckTick = sd.waitStart + m.cost.dsbIsh;
      f.phase = 'wait';
      return;
    }
    case 'wait': {
      // Runs when DSB ISH completes: no targets to ack, so readyTime is lastAckTick (engine/step.ts).
      const sd = shootdownOf(ctx, f);
      invalidateRemote(ctx, proc, sd, tlbiOpFor(sd));
      ctx.emit({ type: 'dsb', core: core.id, domain: 'ish', waited: waitedFor(sd) });
      closeShootdown(ctx, f, sd);
      return;
    }
    case 'free':
      freeGathered(ctx, proc, f);
      return;
    case 'end':
      core.stack.pop();
      return;
  }
}

/** The TLBIs' effect on the initiator's own TLB (the IS forms include the issuing core). */
function invalidateLocal(ctx: Ctx, proc: Proc, sd: Shootdown, op: TlbiOpName): void {
  const { m, core } = ctx;
  const reason = `TLBI ${op} (its own TLB too)`;
  m.stats.invalidations += opsOf(op, sd);
  if (op === 'ASIDE1IS') {
    const removed = tlbiAside1(core.tlb, proc.pcid).total;
    ctx.emit({ type: 'tlb.invalidate', core: core.id, scope: 'asid', asid: proc.pcid, removed, reason });
    return;
  }
  for (const vpn of sd.vpns) {
    const removed = tlbiVae1(core.tlb, vpn, proc.pcid).total;
    ctx.emit({ type: 'tlb.invalidate', core: core.id, scope: 'page', va: vaHex(vpn, 0), removed, reason });
  }
}

/**
 * The broadcast completing on every other core of the domain: each TLB drops the ASID's entries
 * for the pages (VALE1IS/VAE1IS also drop global entries for those VAs, as VAE1 does), whatever
 * that core runs. As for INVLPGB, a remote operation counts as an invalidation only where it
 * removed something; tlbi.remote shows every core it reached.
 */
function invalidateRemote(ctx: Ctx, proc: Proc, sd: Shootdown, op: TlbiOpName): void {
  const { m, core } = ctx;
  const others = m.cores.filter((c) => c.id !== core.id);
  const tlbs = others.map((c) => c.tlb);
  const reason = `TLBI ${op} broadcast from core ${core.id} (no interrupt)`;
  // removed[i][j]: entries core others[i] dropped for page j (one column for ASIDE1IS).
  const removed: number[][] = others.map(() => []);
  const record = (counts: { total: number }[]) => {
    counts.forEach((n, i) => {
      removed[i]?.push(n.total);
    });
  };
  if (op === 'ASIDE1IS') record(tlbiAside1is(tlbs, proc.pcid));
  else for (const vpn of sd.vpns) record(tlbiVae1is(tlbs, vpn, proc.pcid));
  others.forEach((c: Core, i) => {
    const counts = removed[i] ?? [];
    m.stats.invalidations += counts.filter((n) => n > 0).length;
    ctx.emit({
      type: 'tlbi.remote',
      core: c.id,
      from: core.id,
      op,
      asid: proc.pcid,
      removed: counts.reduce((a, b) => a + b, 0),
      mmPid: c.mmPid,
      lazy: c.lazy,
    });
    counts.forEach((n, j) => {
      if (n === 0) return;
      const vpn = sd.vpns[j] ?? 0;
      ctx.emit(
        op === 'ASIDE1IS'
          ? { type: 'tlb.invalidate', core: c.id, scope: 'asid', asid: proc.pcid, removed: n, reason }
          : { type: 'tlb.invalidate', core: c.id, scope: 'page', va: vaHex(vpn, 0), removed: n, reason },
      );
    });
  });
}
