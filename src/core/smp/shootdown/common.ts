// What every shootdown protocol shares: the record a flush in progress keeps (the monitor
// tolerates a stale entry only while one covering its page is open), the end of the wait, the
// acknowledgement of an IPI, and mmu_gather's rule that frames are freed only after the flush
// ("1) unhook page 2) TLB invalidate page 3) free page", include/asm-generic/tlb.h).
import type { Ctx } from '../../engine/ctx';
import type { Frame, Proc, Shootdown } from '../../machine';
import { putFrame } from '../../mem/physmem';

export type ShootdownFrame = Extract<Frame, { fn: 'shootdown' }>;
export type IpiFrame = Extract<Frame, { fn: 'ipi' }>;

/** Opens the shootdown of frame `f`: the PTE changes made so far for its pages now wait for it. */
export function openShootdown(ctx: Ctx, proc: Proc, f: ShootdownFrame, targets: number[]): Shootdown {
  const { m, core } = ctx;
  const sd: Shootdown = {
    id: m.shootdowns.length,
    initiator: core.id,
    pid: proc.pid,
    vpns: f.vpns,
    full: f.full,
    gen: f.gen,
    targets,
    freedTables: f.freedTables,
    acked: [],
    lastAckTick: ctx.t,
    startTick: ctx.t,
    waitStart: ctx.t,
    open: true,
  };
  m.shootdowns.push(sd);
  f.id = sd.id;
  // This shootdown covers the PTE changes made so far for its pages; later ones wait for theirs.
  for (const p of m.pending) if (p.by < 0 && p.pid === sd.pid && sd.vpns.includes(p.vpn)) p.by = sd.id;
  return sd;
}

export function shootdownOf(ctx: Ctx, f: ShootdownFrame): Shootdown {
  const sd = ctx.m.shootdowns[f.id];
  if (!sd) throw new Error(`internal: no shootdown ${f.id}`);
  return sd;
}

/** Cycles the initiator spent waiting: from the end of its own work to the last completion. */
export function waitedFor(sd: Shootdown): number {
  return Math.max(0, sd.lastAckTick - sd.waitStart);
}

/** Every target is done: close the shootdown (the monitor now judges its pages) and go on to free. */
export function closeShootdown(ctx: Ctx, f: ShootdownFrame, sd: Shootdown): void {
  const { m, core } = ctx;
  const waited = waitedFor(sd);
  m.stats.waitCycles[core.id] = (m.stats.waitCycles[core.id] ?? 0) + waited;
  sd.open = false;
  m.pending = m.pending.filter((p) => p.by !== sd.id);
  ctx.emit({ type: 'shootdown.end', core: core.id, waited, total: ctx.t - sd.startTick });
  ctx.cost += m.cost.small;
  if (f.toFree.length > 0) f.phase = 'free';
  else core.stack.pop();
}

/** mmu_gather's free, after the flush: each gathered reference is put; a frame still mapped stays. */
export function freeGathered(ctx: Ctx, proc: Proc, f: ShootdownFrame): void {
  const { m, core } = ctx;
  // A shootdown the initiator stopped waiting for (broken-no-wait) has not finished its flush.
  const afterFlush = !m.shootdowns.some((s) => s.abandoned && s.open && s.initiator === core.id);
  for (const pfn of f.toFree) {
    if (putFrame(m.mem, pfn)) ctx.emit({ type: 'frame.free', pfn, pid: proc.pid, afterFlush });
  }
  ctx.cost += m.cost.small * f.toFree.length;
  core.stack.pop();
}

/** A target tells the initiator it is done (the IPI machinery's ack, whoever runs the handler). */
export function ack(ctx: Ctx, sd: Shootdown): void {
  const { m, core } = ctx;
  sd.acked.push(core.id);
  sd.lastAckTick = Math.max(sd.lastAckTick, ctx.t + m.cost.small);
  ctx.cost += m.cost.small;
  ctx.emit({ type: 'ipi.acked', from: core.id, to: sd.initiator });
  if (sd.abandoned && sd.targets.every((c) => sd.acked.includes(c))) {
    // broken-no-wait: nobody waits for this shootdown; the last ack is where it ends.
    sd.open = false;
    m.pending = m.pending.filter((p) => p.by !== sd.id);
  }
}

/** The other cores' ids, in order. */
export function otherCores(ctx: Ctx): number[] {
  return ctx.m.cores.filter((c) => c.id !== ctx.core.id).map((c) => c.id);
}

/** Queues an IPI from this core to `to` for shootdown `sd`; it arrives after the IPI latency. */
export function sendIpi(ctx: Ctx, sd: Shootdown, to: number, reason: string): void {
  const { m, core } = ctx;
  ctx.cost += m.cost.ipiSend;
  m.ipis.push({
    id: m.ipis.length,
    from: core.id,
    to,
    shootdown: sd.id,
    sentTick: ctx.t + ctx.cost,
    deliverTick: ctx.t + ctx.cost + m.cost.ipiLatency,
    taken: false,
  });
  m.cores[to]?.inbox.push(m.ipis.length - 1);
  m.stats.ipis++;
  ctx.emit({ type: 'ipi.sent', from: core.id, to, reason });
}
