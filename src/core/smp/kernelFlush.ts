// flush_tlb_kernel_range (arch/x86/mm/tlb.c): kernel mappings belong to no mm and have no
// mm_cpumask, so every online core is interrupted (on_each_cpu: the local core runs the function
// itself, the others by IPI), whatever it runs, idle cores included. Each runs
// do_kernel_range_flush: INVLPG per page (flush_tlb_one_kernel), which drops the page's entries in
// the current PCID and global ones in every PCID (SDM 4.10.4.1), so no PCID bookkeeping is needed;
// above tlb_single_page_flush_ceiling (33) pages, a full flush including global entries
// (__flush_tlb_all). The pages are freed only once every core has acked.
// Not modelled: INVLPGB (used instead when the CPU has it), and KPTI's invalidate_other.
import { FLUSH_CEILING_PAGES } from '../costs';
import type { Ctx } from '../engine/ctx';
import { vaHex } from '../kernel/emit';
import { KERNEL_PID } from '../kernel/kernelSpace';
import type { Frame, Machine, Shootdown } from '../machine';
import { putFrame } from '../mem/physmem';
import { cr4PgeToggle, invlpg } from '../tlb/invalidate';
import { ack, type IpiFrame, sendIpi } from './shootdown/common';

type KflushFrame = Extract<Frame, { fn: 'kflush' }>;

export function stepKflush(ctx: Ctx, f: KflushFrame): void {
  const { m, core } = ctx;
  switch (f.phase) {
    case 'begin': {
      const targets = m.cores.filter((c) => c.id !== core.id).map((c) => c.id);
      f.full = f.vpns.length > FLUSH_CEILING_PAGES;
      const sd: Shootdown = {
        id: m.shootdowns.length,
        initiator: core.id,
        pid: KERNEL_PID,
        vpns: f.vpns,
        full: f.full,
        gen: 0,
        targets,
        freedTables: false,
        acked: [],
        lastAckTick: ctx.t,
        startTick: ctx.t,
        waitStart: ctx.t,
        open: true,
      };
      m.shootdowns.push(sd);
      f.id = sd.id;
      for (const p of m.pending) if (p.by < 0 && p.pid === KERNEL_PID && f.vpns.includes(p.vpn)) p.by = sd.id;
      ctx.emit({
        type: 'kernel.flush',
        core: core.id,
        targets,
        pages: f.vpns.length,
        vas: f.vpns.slice(0, 64).map((v) => vaHex(v, 0)),
        full: f.full,
      });
      ctx.cost += m.cost.small;
      for (const to of targets) sendIpi(ctx, sd, to, 'flush_tlb_kernel_range (on_each_cpu)');
      f.phase = 'local';
      return;
    }
    case 'local': {
      const sd = shootdown(m, f.id);
      flushKernelRange(ctx, sd);
      sd.waitStart = ctx.t + ctx.cost;
      f.phase = 'wait';
      const pending = sd.targets.filter((c) => !sd.acked.includes(c));
      if (pending.length > 0) ctx.emit({ type: 'shootdown.wait', core: core.id, pending });
      return;
    }
    case 'wait': {
      // Runs only once every target has acked (engine/step.ts workTime).
      const sd = shootdown(m, f.id);
      const waited = Math.max(0, sd.lastAckTick - sd.waitStart);
      m.stats.waitCycles[core.id] = (m.stats.waitCycles[core.id] ?? 0) + waited;
      sd.open = false;
      m.pending = m.pending.filter((p) => p.by !== sd.id);
      ctx.emit({ type: 'shootdown.end', core: core.id, waited, total: ctx.t - sd.startTick });
      ctx.cost += m.cost.small;
      if (f.toFree.length > 0) f.phase = 'free';
      else core.stack.pop();
      return;
    }
    case 'free': {
      for (const pfn of f.toFree) {
        if (putFrame(m.mem, pfn)) ctx.emit({ type: 'frame.free', pfn, pid: KERNEL_PID, afterFlush: true });
      }
      ctx.cost += m.cost.small * f.toFree.length;
      core.stack.pop();
      return;
    }
  }
}

function shootdown(m: Machine, id: number): Shootdown {
  const sd = m.shootdowns[id];
  if (!sd) throw new Error(`internal: no shootdown ${id}`);
  return sd;
}

/** do_kernel_range_flush on the acting core. */
function flushKernelRange(ctx: Ctx, sd: Shootdown): void {
  const { m, core } = ctx;
  if (sd.full) {
    const removed = cr4PgeToggle(core.tlb).total;
    m.stats.invalidations++;
    ctx.cost += m.cost.fullFlush;
    ctx.emit({
      type: 'tlb.invalidate',
      core: core.id,
      scope: 'global',
      removed,
      reason: `__flush_tlb_all: more than ${FLUSH_CEILING_PAGES} kernel pages, every entry goes, global ones too`,
    });
    return;
  }
  for (const vpn of sd.vpns) {
    const removed = invlpg(core.tlb, vpn, core.pcid).total;
    m.stats.invalidations++;
    ctx.cost += m.cost.invlpg;
    ctx.emit({
      type: 'tlb.invalidate',
      core: core.id,
      scope: 'page',
      va: vaHex(vpn, 0),
      removed,
      reason: 'INVLPG (flush_tlb_one_kernel; drops the global entry whatever its PCID)',
    });
  }
}

/** Is this IPI one of flush_tlb_kernel_range's? */
export function isKernelFlushIpi(m: Machine, f: IpiFrame): boolean {
  const ipi = m.ipis[f.ipi];
  return ipi !== undefined && m.shootdowns[ipi.shootdown]?.pid === KERNEL_PID;
}

/** A target core: take the interrupt, run do_kernel_range_flush, ack. */
export function stepKernelFlushIpi(ctx: Ctx, f: IpiFrame): void {
  const { m, core } = ctx;
  const ipi = m.ipis[f.ipi];
  if (!ipi) throw new Error(`internal: no IPI ${f.ipi}`);
  const sd = shootdown(m, ipi.shootdown);
  switch (f.phase) {
    case 'enter':
      ipi.taken = true;
      core.inbox = core.inbox.filter((id) => id !== ipi.id);
      ctx.emit({ type: 'ipi.received', core: core.id, from: ipi.from, handler: 'do_kernel_range_flush' });
      ctx.cost += m.cost.ipiHandler;
      f.phase = 'flush';
      return;
    case 'flush':
      flushKernelRange(ctx, sd);
      f.phase = 'ack';
      return;
    case 'ack':
      ack(ctx, sd);
      core.stack.pop();
      return;
  }
}
