// Putting a thread on a core: switch_mm_irqs_off (arch/x86/mm/tlb.c) in its race-free order:
// set this CPU's bit in mm_cpumask(next) first, then read next->context.tlb_gen, and flush on
// load if this core's TLB is behind that generation. Bits in the previous mm's mask are left
// set, as current kernels do; a stale bit is dropped when a flush IPI finds the wrong mm.
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import { hex } from '../hex';
import type { Frame } from '../machine';
import { tlbInvalidatePcid } from '../tlb/tlb';

export function stepSwitch(ctx: Ctx, f: Extract<Frame, { fn: 'switch' }>): void {
  const { m, core } = ctx;
  const th = threadOf(m, f.tid);
  const proc = procOf(m, th.pid);
  const fromTid = core.tid;
  proc.cpumask[core.id] = true;
  const gen = proc.tlbGen;
  const behind = (core.localGen[proc.pid] ?? 0) < gen;
  let flush = false;
  if (behind) {
    // With PCIDs the TLB may still hold this mm's entries from an older generation.
    const removed = tlbInvalidatePcid(core.tlb, proc.pcid);
    flush = true;
    if (removed > 0) {
      m.stats.invalidations++;
      ctx.emit({
        type: 'tlb.invalidate',
        core: core.id,
        scope: 'asid',
        asid: proc.pcid,
        removed,
        reason: 'switch_mm: TLB behind the mm tlb_gen',
      });
    }
  }
  core.mmPid = proc.pid;
  core.cr3Pfn = proc.rootPfn;
  core.pcid = proc.pcid;
  core.lazy = false;
  core.localGen[proc.pid] = gen;
  core.tid = th.tid;
  core.runq = core.runq.filter((t) => t !== th.tid);
  th.state = 'running';
  ctx.cost += m.cost.contextSwitch;
  ctx.emit({
    type: 'context.switch',
    core: core.id,
    fromTid,
    toTid: th.tid,
    asid: proc.pcid,
    flush,
    cr3: hex(proc.rootPfn * 4096 + proc.pcid),
  });
  core.stack.pop();
}
