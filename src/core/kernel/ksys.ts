// kread / kwrite: a system call whose kernel code touches one address at CPL 0. Entry, the
// supervisor access through the current CR3, exit, one step each. With KPTI the entry and exit
// write CR3 (kpti.ts). A kernel access that faults goes to the kernel-address path of
// arch/x86/mm/fault.c: a spurious fault (the PTE already allows a write the TLB refused) is
// retried; anything else has no exception-table entry here, so the kernel oopses and the task dies.
import { entryPfn, levelIndex } from '../arch/x86_64/pte';
import { newWalkOut, PF_PROT, PF_WRITE, readEntry, walkPageTable } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import type { Frame } from '../machine';
import { vaHex } from './emit';
import { moveWord } from './moveWord';
import { kptiOn, switchToKernelCr3, switchToUserCr3 } from './kpti';
import { exitThread } from './thread';
import { returnFromSyscall } from './sysret';
import { translateCharged } from './chargedTranslate';

type KsysFrame = Extract<Frame, { fn: 'ksys' }>;

const out = newWalkOut();
const peek = newWalkOut();

export function stepKsys(ctx: Ctx, f: KsysFrame): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const proc = procOf(m, th.pid);
  const va = vaHex(f.vpn, f.off);
  const name = f.kind === 'read' ? 'kread' : 'kwrite';
  switch (f.phase) {
    case 'enter': {
      ctx.emit({
        type: 'syscall.enter',
        core: core.id,
        tid: th.tid,
        name,
        args: f.kind === 'write' ? [va, String(f.value)] : [va],
      });
      ctx.cost += m.cost.kernelEntry;
      if (kptiOn(m)) switchToKernelCr3(ctx, proc);
      const slot = m.spec.machine.recursiveSlot;
      if (f.selfMap && slot !== undefined) {
        ctx.emit({
          type: 'selfmap.va',
          core: core.id,
          of: f.selfMap.of,
          level: f.selfMap.level,
          entryVa: va,
          slot,
        });
      } else if (levelIndex(f.vpn, 4) === 511 && m.kernelPdpt !== undefined) {
        // Which kernel PDPT this process's top-level table leads to: the same for every process.
        const pdpt = entryPfn(...readEntry(m.mem, proc.rootPfn, 511));
        ctx.emit({
          type: 'kernel.pml4',
          core: core.id,
          pid: proc.pid,
          pml4: proc.rootPfn,
          index: 511,
          pdpt,
          shared: pdpt === m.kernelPdpt,
        });
      }
      f.phase = 'access';
      return;
    }
    case 'access':
      return kernelAccess(ctx, f, va);
    case 'exit': {
      if (kptiOn(m)) switchToUserCr3(ctx, proc, 'SWITCH_TO_USER_CR3 on return to user');
      returnFromSyscall(ctx, name, 0);
      return;
    }
  }
}

function kernelAccess(ctx: Ctx, f: KsysFrame, va: string): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  ctx.emit({ type: 'access', core: core.id, tid: th.tid, va, kind: f.kind, mode: 'kernel' });
  const ok = translateCharged(ctx, f.vpn, f.kind, false, out);
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
    // spurious_kernel_fault: only a write (W|P) or fetch (I|P) refused by a stale entry whose
    // PTE now allows it. A not-present entry is never cached, so it is never spurious.
    if (
      out.errorCode === (PF_WRITE | PF_PROT) &&
      walkPageTable(m.mem, core.cr3Pfn, f.vpn, f.kind, false, m.ctl, peek, null, false)
    ) {
      ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'spurious' });
      return;
    }
    const why =
      out.fault === 'protection' && levelIndex(f.vpn, 4) < 256
        ? 'SMAP: kernel code touched a user page outside a user-access window (no STAC)'
        : out.fault === 'not-present'
          ? 'the kernel address is not mapped, and this access has no exception-table entry'
          : 'the page does not allow this kernel access, and this access has no exception-table entry';
    ctx.emit({ type: 'kernel.oops', core: core.id, tid: th.tid, va, errorCode: out.errorCode, why });
    exitThread(ctx, th, `killed by a kernel oops at ${va}`);
    return;
  }
  moveWord(ctx, th.tid, va, out.pfn, f);
  f.phase = 'exit';
}
