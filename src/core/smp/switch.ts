// Putting a thread on a core: switch_mm_irqs_off (arch/x86/mm/tlb.c), in two steps so that a
// shootdown on another core can run between them.
//   Linux's order: (1) loaded_mm = LOADED_MM_SWITCHING and set this CPU's bit in
//   mm_cpumask(next), a full barrier; (2) read next->context.tlb_gen, flush if this core's TLB is
//   behind it, load CR3. An initiator bumps tlb_gen and then reads the mask, so it either sees
//   the bit (and sends the IPI: a SWITCHING core is always flushed) or the switcher sees the new
//   generation and flushes on load.
//   The broken order (protocol broken-switch-order) reads tlb_gen first: an initiator can then
//   bump the generation and read the mask between the two steps, and the core loads its stale
//   entries believing them current.
// Bits in the previous mm's mask are left set, as current kernels do; a stale bit is dropped
// when a flush IPI finds the wrong mm. IPIs wait until the switch is done (IRQs are off).
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import { hex } from '../hex';
import type { Frame, Proc } from '../machine';
import { flushPcid } from './flushPcid';
import { kptiOn, switchToUserCr3 } from '../kernel/kpti';

type SwitchFrame = Extract<Frame, { fn: 'switch' }>;

export function stepSwitch(ctx: Ctx, f: SwitchFrame): void {
  const { m, core } = ctx;
  const proc = procOf(m, threadOf(m, f.tid).pid);
  const broken = m.spec.machine.protocol === 'broken-switch-order';
  const sameMm = core.mmPid === proc.pid;
  ctx.cost += m.cost.contextSwitch / 2;
  if (f.phase === 'first') {
    f.phase = 'second';
    if (sameMm) {
      // prev == next (back from lazy mode): no mask change, only the generation check.
      return finish(ctx, f, proc, proc.tlbGen);
    }
    if (broken) {
      f.gen = proc.tlbGen;
      ctx.emit({
        type: 'switch.gen',
        core: core.id,
        pid: proc.pid,
        gen: f.gen,
        behind: behind(ctx, proc, f.gen),
      });
    } else {
      core.switching = true;
      proc.cpumask[core.id] = true;
      ctx.emit({ type: 'cpumask.set', core: core.id, pid: proc.pid, switching: true });
    }
    return;
  }
  if (broken) {
    proc.cpumask[core.id] = true;
    ctx.emit({ type: 'cpumask.set', core: core.id, pid: proc.pid, switching: false });
    return finish(ctx, f, proc, f.gen);
  }
  const gen = proc.tlbGen;
  ctx.emit({ type: 'switch.gen', core: core.id, pid: proc.pid, gen, behind: behind(ctx, proc, gen) });
  finish(ctx, f, proc, gen);
}

function behind(ctx: Ctx, proc: Proc, gen: number): boolean {
  return (ctx.core.localGen[proc.pid] ?? 0) < gen;
}

/** Flush if behind `gen`, then load CR3 and run the thread. */
function finish(ctx: Ctx, f: SwitchFrame, proc: Proc, gen: number): void {
  const { m, core } = ctx;
  const th = threadOf(m, f.tid);
  const fromTid = core.tid;
  const flush = behind(ctx, proc, gen);
  if (flush) {
    // With PCIDs the TLB may still hold this mm's entries from an older generation.
    // A core that never held this PCID's entries has nothing to show; it is not reported.
    flushPcid(ctx, proc, 'switch_mm: TLB behind the mm tlb_gen', true);
  }
  core.switching = false;
  core.mmPid = proc.pid;
  core.cr3Pfn = proc.rootPfn;
  core.pcid = proc.pcid;
  core.lazy = false;
  core.localGen[proc.pid] = Math.max(core.localGen[proc.pid] ?? 0, gen);
  core.tid = th.tid;
  core.runq = core.runq.filter((t) => t !== th.tid);
  th.state = 'running';
  ctx.emit({
    type: 'context.switch',
    core: core.id,
    fromTid,
    toTid: th.tid,
    asid: proc.pcid,
    flush,
    cr3: hex(proc.rootPfn * 4096 + proc.pcid),
  });
  // KPTI: switch_mm loaded the kernel PGD; returning to the thread's user code loads its user PGD.
  if (kptiOn(m)) switchToUserCr3(ctx, proc, 'SWITCH_TO_USER_CR3: the thread returns to user mode');
  core.stack.pop();
}
