// Linux riscv's TLB flush through the SBI firmware (arch/riscv/mm/tlbflush.c __flush_tlb_range):
//   only this hart in mm_cpumask: a local SFENCE.VMA per page, or one for the whole ASID above
//   tlb_flush_all_threshold = 64 pages; otherwise sbi_remote_sfence_vma_asid(cmask, start,
//   size, asid): an ecall into the M-mode firmware (SBI RFENCE extension), which fences this
//   hart, sends a machine-mode IPI to every other hart of the mask and waits; each target traps
//   into the firmware, runs SFENCE.VMA and signals; the ecall returns when all have. The kernel
//   on a target never sees an interrupt: M-mode takes the time from under it.
// The model: the x86 model's IPI machinery carries the firmware's IPIs (ipi.sent, then sbi.rfence
// where x86 has ipi.received, then ipi.acked), with their send and flight costs. Every hart of
// mm_cpumask is fenced, lazy or on another mm (the firmware knows ASIDs, not mms); the
// whole-ASID choice uses Linux's 64 for every path (OpenSBI applies its own platform limit to
// the range it is given). No tlb_gen: riscv has none, and every hart that ran the mm is fenced.
// The page tables stay x86-64's; only the invalidation mechanism is RISC-V's.
import { RISCV_FLUSH_ALL_THRESHOLD } from '../../costs';
import type { Ctx } from '../../engine/ctx';
import { procOf } from '../../engine/ctx';
import { vaHex } from '../../kernel/emit';
import type { Shootdown } from '../../machine';
import { sfenceVma } from '../../tlb/invalidate';
import {
  ack,
  closeShootdown,
  freeGathered,
  type IpiFrame,
  openShootdown,
  type ShootdownFrame,
  sendIpi,
  shootdownOf,
  waitedFor,
} from './common';
import { chooseTargets } from './targets';

/** Whole-ASID fence: flush_tlb_mm, or more pages than tlb_flush_all_threshold. */
function wholeAsid(sd: Pick<Shootdown, 'full' | 'vpns'>): boolean {
  return sd.full || sd.vpns.length > RISCV_FLUSH_ALL_THRESHOLD;
}

export function stepRiscvSbi(ctx: Ctx, f: ShootdownFrame): void {
  const { m, core } = ctx;
  const proc = procOf(m, f.pid);
  switch (f.phase) {
    case 'begin': {
      f.gen = proc.tlbGen;
      const { targets } = chooseTargets(m, core, proc, f.freedTables);
      const sd = openShootdown(ctx, proc, f, targets);
      // `full` as the caller asked (flush_tlb_mm); the 64-page choice shows in sbi.ecall.whole.
      ctx.emit({
        type: 'shootdown.begin',
        core: core.id,
        pid: proc.pid,
        targets,
        skipped: [],
        pages: f.vpns.length,
        freedTables: f.freedTables,
        vas: f.vpns.slice(0, 64).map((v) => vaHex(v, 0)),
        full: f.full,
        gen: f.gen,
      });
      sd.full = wholeAsid(sd);
      ctx.cost += m.cost.small;
      if (targets.length > 0) {
        ctx.cost += m.cost.sbiEcall;
        ctx.emit({
          type: 'sbi.ecall',
          core: core.id,
          pid: proc.pid,
          harts: [core.id, ...targets].sort((a, b) => a - b),
          asid: proc.pcid,
          pages: sd.vpns.length,
          whole: sd.full,
        });
      }
      // The firmware writes the target's machine software interrupt (ACLINT MSWI / CLINT).
      for (const to of targets) sendIpi(ctx, sd, to, 'SBI RFENCE, sent by the M-mode firmware');
      f.phase = 'local';
      return;
    }
    case 'local': {
      const sd = shootdownOf(ctx, f);
      const inFirmware = sd.targets.length > 0;
      fence(
        ctx,
        sd,
        inFirmware
          ? 'SFENCE.VMA (in the firmware, inside the ecall)'
          : 'SFENCE.VMA (no other hart in mm_cpumask)',
      );
      sd.waitStart = ctx.t + ctx.cost;
      f.phase = 'wait';
      const pending = sd.targets.filter((c) => !sd.acked.includes(c));
      if (pending.length > 0) ctx.emit({ type: 'shootdown.wait', core: core.id, pending });
      return;
    }
    case 'wait': {
      // Runs only once every target hart has signalled (readyTime in engine/step.ts).
      const sd = shootdownOf(ctx, f);
      if (sd.targets.length > 0) ctx.emit({ type: 'sbi.return', core: core.id, waited: waitedFor(sd) });
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

/** A target hart: the firmware's machine-mode handler fences by ASID, whatever the hart runs. */
export function stepSbiIpi(ctx: Ctx, f: IpiFrame): void {
  const { m, core } = ctx;
  const ipi = m.ipis[f.ipi];
  if (!ipi) throw new Error(`internal: no IPI ${f.ipi}`);
  const sd = m.shootdowns[ipi.shootdown];
  if (!sd) throw new Error(`internal: no shootdown ${ipi.shootdown}`);
  switch (f.phase) {
    case 'enter':
      ipi.taken = true;
      core.inbox = core.inbox.filter((id) => id !== ipi.id);
      ctx.cost += m.cost.sbiHandler;
      ctx.emit({
        type: 'sbi.rfence',
        core: core.id,
        from: ipi.from,
        asid: procOf(m, sd.pid).pcid,
        pages: sd.vpns.length,
        whole: sd.full,
        mmPid: core.mmPid,
      });
      f.phase = 'flush';
      return;
    case 'flush':
      fence(ctx, sd, 'SFENCE.VMA (M-mode handler)');
      f.phase = 'ack';
      return;
    case 'ack':
      ack(ctx, sd);
      core.stack.pop();
      return;
  }
}

/** SFENCE.VMA on the acting hart: each page of the ASID, or the whole ASID (privileged spec). */
function fence(ctx: Ctx, sd: Shootdown, reason: string): void {
  const { m, core } = ctx;
  const asid = procOf(m, sd.pid).pcid;
  if (sd.full) {
    const removed = sfenceVma(core.tlb, null, asid).total;
    m.stats.invalidations++;
    ctx.cost += m.cost.sfenceVmaAsid;
    ctx.emit({ type: 'tlb.invalidate', core: core.id, scope: 'asid', asid, removed, reason });
    return;
  }
  for (const vpn of sd.vpns) {
    const removed = sfenceVma(core.tlb, vpn, asid).total;
    m.stats.invalidations++;
    ctx.cost += m.cost.sfenceVma;
    ctx.emit({ type: 'tlb.invalidate', core: core.id, scope: 'page', va: vaHex(vpn, 0), removed, reason });
  }
}
