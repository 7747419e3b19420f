// The kernel touching user memory (include/linux/uaccess.h, arch/x86/lib/copy_user_64.S): with
// SMAP on, a supervisor data access to a user page is allowed only while EFLAGS.AC = 1, so the
// copy routines run between STAC and CLAC (SDM 4.6.1). The access itself goes through the same
// TLB and page walk as a user one, with CPL 0: a fault it raises carries no U bit in its error
// code and goes to the same handler (do_user_addr_fault), which tells kernel from user by it.
import { newWalkOut } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import { threadOf } from '../engine/ctx';
import type { UaccessFn } from '../events';
import type { Machine, UaState } from '../machine';
import { vaHex } from './emit';
import { translateCharged } from './chargedTranslate';

const out = newWalkOut();

/** The kernel instruction that touches user memory, named the way an oops prints it. Offsets are
 * illustrative: Linux's inline copy_user_generic runs `rep movsb` with an _ASM_EXTABLE_UA entry
 * (arch/x86/include/asm/uaccess_64.h). */
export const COPY_IP = 'copy_user_generic+0x1c';

/** The per-machine uaccess state, created on first use from the scenario's files. */
export function uaOf(m: Machine): UaState {
  if (!m.ua) {
    m.ua = {
      ac: m.cores.map(() => false),
      files: (m.spec.files ?? []).map((f) => ({
        fd: f.fd,
        name: f.name,
        words: [...(f.words ?? [])],
        pos: 0,
      })),
      pins: [],
      unpinAt: 0,
      locks: {},
      lockWait: m.cores.map(() => 0),
    };
  }
  return m.ua;
}

/** STAC: this core may now reach user pages (EFLAGS.AC = 1). */
export function stac(ctx: Ctx, fn: UaccessFn, addr: number, len: number): void {
  const { m, core } = ctx;
  uaOf(m).ac[core.id] = true;
  ctx.cost += m.cost.small;
  ctx.emit({
    type: 'uaccess.open',
    core: core.id,
    tid: core.tid,
    fn,
    va: vaHex(Math.floor(addr / 4096), addr % 4096),
    len,
  });
}

/** CLAC: the window closes (EFLAGS.AC = 0); `copied` of `len` bytes made it. */
export function clac(ctx: Ctx, fn: UaccessFn, copied: number, len: number): void {
  const { m, core } = ctx;
  uaOf(m).ac[core.id] = false;
  ctx.cost += m.cost.small;
  ctx.emit({ type: 'uaccess.close', core: core.id, tid: core.tid, fn, copied, notCopied: len - copied });
}

export type KernelAccess = { ok: true; pfn: number } | { ok: false };

/**
 * One supervisor access to the user byte at `addr` through this core's MMU, with this core's
 * EFLAGS.AC. On a fault, raises #PF (no U bit) and pushes the page-fault handler; the caller's
 * frame stays underneath and retries when the handler returns, or is sent to its fixup.
 */
export function kernelAccess(ctx: Ctx, addr: number, kind: 'read' | 'write'): KernelAccess {
  const { m, core } = ctx;
  const vpn = Math.floor(addr / 4096);
  const off = addr % 4096;
  // EFLAGS.AC is per core; the translation reads it from the control state for this access.
  const savedAc = m.ctl.ac;
  m.ctl.ac = uaOf(m).ac[core.id] ?? false;
  const ok = translateCharged(ctx, vpn, kind, false, out);
  m.ctl.ac = savedAc;
  if (ok) return { ok: true, pfn: out.pfn };
  const th = threadOf(m, core.tid);
  m.stats.faults++;
  ctx.emit({
    type: 'fault.raised',
    core: core.id,
    tid: th.tid,
    va: vaHex(vpn, off),
    kind: out.fault ?? 'not-present',
    errorCode: out.errorCode,
    access: kind,
  });
  ctx.cost += m.cost.kernelEntry;
  core.stack.push({
    fn: 'fault',
    phase: 'enter',
    vpn,
    off,
    kind,
    errorCode: out.errorCode,
    code: 'SEGV_MAPERR',
  });
  return { ok: false };
}

/** Cycles to move `bytes` (the cost model's frame copy, about a cycle per 4 bytes, pro rata). */
export function copyCycles(m: Machine, bytes: number): number {
  return Math.ceil((bytes * m.cost.zeroFrame) / 4096);
}
