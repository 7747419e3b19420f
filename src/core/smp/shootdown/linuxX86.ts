// Linux's x86 TLB shootdown (arch/x86/mm/tlb.c): flush_tlb_mm_range on the initiator and
// flush_tlb_func on every target.
//   initiator: bump mm->context.tlb_gen; pick targets from mm_cpumask (skip lazy cores, and
//   cores whose loaded mm is another: should_flush_tlb); send the IPIs; flush locally while
//   they fly (commit 4ce94eabac16, "Flush remote and local TLBs concurrently"); wait for every
//   ack; then free the gathered pages (mmu_gather).
//   target: if the generation it has caught up to is exactly one behind, INVLPG each page;
//   otherwise (or above the 33-page ceiling) a full flush; record the new generation; ack.
// The engine calls stepShootdown and stepIpi for every protocol: the ARM64 and RISC-V ones
// live in armBroadcast.ts and riscvSbi.ts.
import { FLUSH_CEILING_PAGES } from '../../costs';
import type { Ctx } from '../../engine/ctx';
import { procOf } from '../../engine/ctx';
import { vaHex } from '../../kernel/emit';
import type { Proc, Shootdown } from '../../machine';
import { putFrame } from '../../mem/physmem';
import type { Protocol } from '../../spec';
import { invlpg } from '../../tlb/invalidate';
import { flushPcid } from '../flushPcid';
import { stepArmBroadcast } from './armBroadcast';
import {
  ack,
  closeShootdown,
  freeGathered,
  type IpiFrame,
  openShootdown,
  type ShootdownFrame,
  sendIpi,
} from './common';
import { stepSbiIpi, stepRiscvSbi } from './riscvSbi';
import { chooseTargets } from './targets';
import { flushUserPcid } from '../../kernel/kpti';
import { isKernelFlushIpi, stepKernelFlushIpi } from '../kernelFlush';

/** Which family a protocol's shootdown belongs to: x86 (IPIs or INVLPGB), ARM64 or RISC-V SBI. */
function family(protocol: Protocol): 'x86' | 'arm' | 'riscv' {
  switch (protocol) {
    case 'linux-x86':
    case 'broken-no-shootdown':
    case 'broken-free-before-ack':
    case 'broken-no-local-flush':
    case 'broken-switch-order':
    case 'broken-early-ack':
    case 'broken-no-wait':
    case 'lazy-upgrade':
    case 'counter':
    case 'amd-invlpgb':
    case 'broken-lazy-tables':
      return 'x86';
    case 'arm-broadcast':
      return 'arm';
    case 'riscv-sbi':
      return 'riscv';
    default: {
      const never: never = protocol;
      throw new Error(`internal: unknown protocol ${String(never)}`);
    }
  }
}

export function stepShootdown(ctx: Ctx, f: ShootdownFrame): void {
  switch (family(ctx.m.spec.machine.protocol)) {
    case 'x86':
      return stepX86(ctx, f);
    case 'arm':
      return stepArmBroadcast(ctx, f);
    case 'riscv':
      return stepRiscvSbi(ctx, f);
  }
}

export function stepIpi(ctx: Ctx, f: IpiFrame): void {
  const before = ctx.cost;
  switch (family(ctx.m.spec.machine.protocol)) {
    case 'x86':
      if (isKernelFlushIpi(ctx.m, f)) stepKernelFlushIpi(ctx, f);
      else ipiPhase(ctx, f);
      break;
    case 'riscv':
      // The firmware's machine-mode handler, not the kernel's: counted as handler time all the same.
      stepSbiIpi(ctx, f);
      break;
    case 'arm':
      throw new Error('internal: arm-broadcast sends no IPI');
  }
  const h = ctx.m.stats.handlerCycles;
  h[ctx.core.id] = (h[ctx.core.id] ?? 0) + ctx.cost - before;
}

function stepX86(ctx: Ctx, f: ShootdownFrame): void {
  const { m, core } = ctx;
  const proc = procOf(m, f.pid);
  switch (f.phase) {
    case 'begin': {
      // inc_mm_tlb_gen is a full barrier: the mm_cpumask read below is ordered after the PTE writes.
      f.gen = ++proc.tlbGen;
      // tlb_single_page_flush_ceiling (arch/x86/mm/tlb.c): past it, one full flush beats INVLPGs.
      const overCeiling = !f.full && f.vpns.length > FLUSH_CEILING_PAGES;
      f.full = f.full || overCeiling;
      ctx.emit({ type: 'tlb.gen', pid: proc.pid, gen: f.gen, core: core.id });
      const { targets, skipped } = chooseTargets(m, core, proc, f.freedTables);
      const sd = openShootdown(ctx, proc, f, targets);
      ctx.emit({
        type: 'shootdown.begin',
        core: core.id,
        pid: proc.pid,
        targets,
        skipped,
        pages: f.vpns.length,
        freedTables: f.freedTables,
        vas: f.vpns.slice(0, 64).map((v) => vaHex(v, 0)),
        full: f.full,
        gen: f.gen,
        ...(overCeiling ? { ceiling: FLUSH_CEILING_PAGES } : {}),
      });
      ctx.cost += m.cost.small;
      const protocol = m.spec.machine.protocol;
      if (protocol === 'broken-no-shootdown') {
        // The broken kernel believes no other TLB can hold the page: nothing is in flight, so the
        // monitor now judges every remote entry against the page table.
        m.pending = m.pending.filter((p) => p.by !== sd.id);
      }
      for (const to of targets) sendIpi(ctx, sd, to, 'tlb flush (CALL_FUNCTION)');
      f.phase = 'local';
      return;
    }
    case 'local': {
      const sd = m.shootdowns[f.id] as Shootdown;
      const protocol = m.spec.machine.protocol;
      if (protocol === 'broken-no-local-flush') {
        ctx.emit({ type: 'flush.skip', core: core.id, reason: 'BUG: the initiator forgets its own TLB' });
      } else if (protocol === 'amd-invlpgb') {
        issueInvlpgb(ctx, proc, sd);
      } else if (protocol === 'counter') {
        counterFlush(ctx, proc, sd);
      } else if (core.mmPid === proc.pid && !core.lazy) flushToGeneration(ctx, proc, sd);
      else ctx.emit({ type: 'flush.skip', core: core.id, reason: 'this core does not have the mm loaded' });
      if (protocol === 'broken-free-before-ack' || protocol === 'broken-no-shootdown') {
        // BUG (broken protocols): the frames go back to the allocator before every TLB dropped them.
        for (const pfn of f.toFree) {
          if (putFrame(m.mem, pfn)) ctx.emit({ type: 'frame.free', pfn, pid: proc.pid, afterFlush: false });
        }
        f.toFree = [];
      }
      sd.waitStart = ctx.t + ctx.cost;
      if (protocol === 'broken-no-wait' && sd.targets.some((c) => !sd.acked.includes(c))) {
        // BUG (broken-no-wait): the IPIs are out, the local TLB is clean, and the initiator goes
        // on without waiting: the frames are freed and munmap returns while other cores still
        // hold the translations.
        sd.abandoned = true;
        ctx.emit({ type: 'flush.skip', core: core.id, reason: 'this kernel does not wait for the acks' });
        if (f.toFree.length > 0) f.phase = 'free';
        else core.stack.pop();
        return;
      }
      f.phase = 'wait';
      const pending = sd.targets.filter((c) => !sd.acked.includes(c));
      if (pending.length > 0) ctx.emit({ type: 'shootdown.wait', core: core.id, pending });
      return;
    }
    case 'wait': {
      // Runs only once every target has acked (see readyTime in engine/step.ts).
      const sd = m.shootdowns[f.id] as Shootdown;
      if (m.spec.machine.protocol === 'amd-invlpgb') completeInvlpgb(ctx, proc, sd);
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

/** The shared core of flush_tlb_func: catch this core's TLB up to the mm's generation. */
function flushToGeneration(ctx: Ctx, proc: Proc, sd: Shootdown): void {
  const { core } = ctx;
  const local = core.localGen[proc.pid] ?? 0;
  const mmGen = proc.tlbGen;
  if (sd.gen <= local) {
    ctx.emit({ type: 'flush.skip', core: core.id, reason: `already at tlb_gen ${local}` });
    return;
  }
  // A partial flush is only safe when it takes us exactly one generation forward.
  const partial = !sd.full && sd.gen === local + 1 && sd.gen === mmGen;
  if (partial) {
    invlpgEach(ctx, proc, sd.vpns, 'INVLPG');
  } else {
    const why = sd.full
      ? sd.vpns.length > FLUSH_CEILING_PAGES
        ? `more than ${FLUSH_CEILING_PAGES} pages`
        : 'flush_tlb_mm asks for the whole mm'
      : `tlb_gen ${local} is more than one behind`;
    flushPcid(ctx, proc, `full flush (CR3 reload): ${why}`);
  }
  core.localGen[proc.pid] = mmGen;
}

function ipiPhase(ctx: Ctx, f: IpiFrame): void {
  const { m, core } = ctx;
  const ipi = m.ipis[f.ipi];
  if (!ipi) throw new Error(`internal: no IPI ${f.ipi}`);
  const sd = m.shootdowns[ipi.shootdown] as Shootdown;
  switch (f.phase) {
    case 'enter':
      ipi.taken = true;
      core.inbox = core.inbox.filter((id) => id !== ipi.id);
      ctx.emit({ type: 'ipi.received', core: core.id, from: ipi.from });
      ctx.cost += m.cost.ipiHandler;
      // BUG (broken-early-ack): the handler acks as soon as it runs, before it invalidates.
      if (m.spec.machine.protocol === 'broken-early-ack') ack(ctx, sd);
      f.phase = 'flush';
      return;
    case 'flush': {
      const proc = procOf(m, sd.pid);
      if (m.spec.machine.protocol === 'counter') {
        // Seed 000's handler: if this core is in the requested address space, drop the pages.
        if (core.mmPid === sd.pid) counterFlush(ctx, proc, sd);
        else ctx.emit({ type: 'flush.skip', core: core.id, reason: 'it runs another address space' });
      } else if (core.mmPid !== sd.pid) {
        // The core moved to another mm since the mask was read: drop it from the mask.
        proc.cpumask[core.id] = false;
        ctx.emit({ type: 'cpumask.clear', core: core.id, pid: sd.pid, why: 'TLB_REMOTE_WRONG_CPU' });
      } else if (core.lazy) {
        // flush_tlb_func on a lazy core: rather than flush a range, leave the mm for the kernel's
        // own page tables (switch_mm_irqs_off to init_mm). The old PCID's entries can no longer
        // be used, and switching back will find the TLB behind tlb_gen and flush.
        core.mmPid = -1;
        core.cr3Pfn = -1;
        core.pcid = 0;
        ctx.cost += m.cost.contextSwitch;
        ctx.emit({ type: 'lazy.leave', core: core.id, pid: sd.pid });
      } else {
        flushToGeneration(ctx, proc, sd);
      }
      if (m.spec.machine.protocol === 'broken-early-ack') core.stack.pop();
      else f.phase = 'ack';
      return;
    }
    case 'ack':
      ack(ctx, sd);
      core.stack.pop();
      return;
  }
}

/**
 * The counter kernel's flush of the shared request: its pages one by one, or the whole address
 * space when the request asks for it (flush_tlb_mm after fork, or more pages than the ceiling).
 */
function counterFlush(ctx: Ctx, proc: Proc, sd: Shootdown): void {
  if (sd.full) flushPcid(ctx, proc, 'full flush (CR3 reload): the request covers the whole address space');
  else invlpgEach(ctx, proc, sd.vpns, 'INVLPG');
}

/** INVLPG of each page in this core's TLB (with the page's global entries, SDM 4.10.4.1). */
function invlpgEach(ctx: Ctx, proc: Proc, vpns: number[], reason: string): void {
  const { m, core } = ctx;
  for (const vpn of vpns) {
    const r = invlpg(core.tlb, vpn, proc.pcid);
    m.stats.invalidations++;
    ctx.cost += m.cost.invlpg;
    ctx.emit({
      type: 'tlb.invalidate',
      core: core.id,
      scope: 'page',
      va: vaHex(vpn, 0),
      removed: r.total,
      reason,
      // INVLPG empties every paging-structure-cache entry of the PCID (SDM 4.10.4.1).
      ...(r.psc !== undefined ? { psc: r.psc } : {}),
    });
    // KPTI: the user PCID's copy too (flush_tlb_one_user: invpcid_flush_one(user_pcid, addr)).
    flushUserPcid(ctx, proc, vpn);
  }
}

/**
 * AMD INVLPGB (Linux broadcast_tlb_flush): one instruction per page broadcasts the invalidation
 * of the mm's (global) ASID to every TLB, this one included; TLBSYNC then waits until all have
 * completed. The model applies the remote part when TLBSYNC returns. Costs are assumptions.
 */
function issueInvlpgb(ctx: Ctx, proc: Proc, sd: Shootdown): void {
  const { m, core } = ctx;
  ctx.cost += m.cost.invlpgbPerPage * sd.vpns.length;
  for (const vpn of sd.vpns) {
    const removed = invlpg(core.tlb, vpn, proc.pcid).total;
    m.stats.invalidations++;
    ctx.emit({
      type: 'tlb.invalidate',
      core: core.id,
      scope: 'page',
      va: vaHex(vpn, 0),
      removed,
      reason: 'INVLPGB (broadcast)',
    });
  }
  sd.lastAckTick = ctx.t + ctx.cost + m.cost.tlbsync;
  core.localGen[proc.pid] = Math.max(core.localGen[proc.pid] ?? 0, sd.gen);
  ctx.emit({ type: 'invlpgb', core: core.id, pid: proc.pid, pages: sd.vpns.length });
}

function completeInvlpgb(ctx: Ctx, proc: Proc, sd: Shootdown): void {
  const { m, core } = ctx;
  for (const c of m.cores) {
    if (c.id === core.id) continue;
    for (const vpn of sd.vpns) {
      const removed = invlpg(c.tlb, vpn, proc.pcid).total;
      if (removed > 0) {
        m.stats.invalidations++;
        ctx.emit({
          type: 'tlb.invalidate',
          core: c.id,
          scope: 'page',
          va: vaHex(vpn, 0),
          removed,
          reason: `INVLPGB broadcast from core ${core.id} (no interrupt)`,
        });
      }
    }
    c.localGen[proc.pid] = Math.max(c.localGen[proc.pid] ?? 0, sd.gen);
  }
  ctx.emit({ type: 'tlbsync', core: core.id });
}
