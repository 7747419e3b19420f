// Design `pin` of lesson copy-from-user-vs-munmap: a syscall holds a reference on each page of
// its buffer for as long as it runs (the counter of seed 000's kernel; in Linux,
// pin_user_pages / get_user_pages with FOLL_PIN, mm/gup.c), and a munmap that meets a pinned
// page waits until the pins are dropped. The frames cannot be freed while pinned: their
// reference count stays above zero whatever happens to the mapping.
//
// Linux differs on the waiting: its munmap never waits for pins. It unmaps and flushes at once,
// and the pinned frames simply outlive the mapping until unpin_user_pages drops the last
// reference (the pinner reaches them through the kernel's own mapping, not the user address).
import { entryPfn, PTE_P, PTE_RW } from '../arch/x86_64/pte';
import { PF_PROT, PF_WRITE } from '../arch/x86_64/rights';
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import type { Frame, Machine, Proc, RwFrame } from '../machine';
import { putFrame } from '../mem/physmem';
import { vaHex } from './emit';
import { findPte } from './pagetable';
import { uaOf } from './uaccess';
import { findVma, removeRange } from './vma';

/**
 * Pins the next page of the buffer. `fault`: the page is not mapped (or not writable) yet, so
 * the fault handler was pushed to map it, as GUP's faultin_page does; `efault`: no VMA allows
 * it; `done`: every page is pinned.
 */
export function pinNextPage(
  ctx: Ctx,
  f: RwFrame,
  kind: 'read' | 'write',
): 'pinned' | 'fault' | 'efault' | 'done' {
  const { m, core } = ctx;
  const proc = procOf(m, threadOf(m, core.tid).pid);
  const first = f.vpn;
  const last = Math.floor((f.vpn * 4096 + f.off + f.count - 1) / 4096);
  const vpn = first + f.pinned.length;
  if (vpn > last) return 'done';
  const vma = findVma(proc, vpn);
  ctx.cost += m.cost.small;
  if (!vma || (kind === 'write' && !vma.prot.w) || !vma.prot.r) return 'efault';
  const slot = findPte(m, proc, vpn);
  const present = slot !== null && (slot.lo & PTE_P) !== 0;
  if (!present || (kind === 'write' && (slot.lo & PTE_RW) === 0)) {
    // faultin_page: handle_mm_fault on the kernel's behalf (no U bit in this "error code").
    core.stack.push({
      fn: 'fault',
      phase: 'enter',
      vpn,
      off: 0,
      kind,
      errorCode: (present ? PF_PROT : 0) | (kind === 'write' ? PF_WRITE : 0),
      code: 'SEGV_MAPERR',
    });
    return 'fault';
  }
  const pfn = entryPfn(slot.lo, slot.hi);
  const info = m.mem.used.get(pfn);
  if (info) info.refcount++;
  f.pinned.push(pfn);
  f.pinnedVpns.push(vpn);
  uaOf(m).pins.push({ pid: proc.pid, vpn, pfn, tid: core.tid });
  ctx.emit({
    type: 'uaccess.pin',
    core: core.id,
    tid: core.tid,
    va: vaHex(vpn, 0),
    pfn,
    refcount: info?.refcount ?? 0,
  });
  return vpn === last ? 'done' : 'pinned';
}

/** unpin_user_pages: drop each pin's reference; a frame whose mapping went meanwhile is freed. */
export function unpinAll(ctx: Ctx, f: RwFrame): void {
  const { m, core } = ctx;
  const ua = uaOf(m);
  const proc = procOf(m, threadOf(m, core.tid).pid);
  for (const [i, pfn] of f.pinned.entries()) {
    const vpn = f.pinnedVpns[i];
    const at = ua.pins.findIndex((p) => p.pfn === pfn && p.vpn === vpn && p.tid === core.tid);
    if (at >= 0) ua.pins.splice(at, 1);
    if (putFrame(m.mem, pfn)) ctx.emit({ type: 'frame.free', pfn, pid: proc.pid, afterFlush: true });
  }
  ctx.cost += m.cost.small * f.pinned.length;
  ua.unpinAt = ctx.t + ctx.cost;
  ctx.emit({
    type: 'uaccess.unpin',
    core: core.id,
    tid: core.tid,
    pages: f.pinned.length,
    pfns: [...f.pinned],
  });
  f.pinned = [];
  f.pinnedVpns = [];
}

function pinnedIn(m: Machine, proc: Proc, vpn: number, pages: number) {
  return uaOf(m).pins.filter((p) => p.pid === proc.pid && p.vpn >= vpn && p.vpn < vpn + pages);
}

/**
 * munmap's hook, before it detaches the VMAs: if a page of the range is pinned, push a wait
 * (the detach is then done by the wait when the pins are gone) and let munmap go on at its PTE
 * clearing afterwards. Returns true when munmap must stop here for now.
 */
export function holdWhilePinned(ctx: Ctx, proc: Proc, f: Extract<Frame, { fn: 'munmap' }>): boolean {
  const { m, core } = ctx;
  if (!m.ua) return false;
  const pins = pinnedIn(m, proc, f.vpn, f.pages);
  if (pins.length === 0) return false;
  ctx.emit({
    type: 'munmap.wait',
    core: core.id,
    tid: core.tid,
    va: vaHex(f.vpn, 0),
    pages: f.pages,
    pinnedBy: [...new Set(pins.map((p) => p.tid))],
  });
  ctx.cost += m.cost.small;
  f.phase = 'zap';
  core.stack.push({ fn: 'pinwait', vpn: f.vpn, pages: f.pages, since: ctx.t });
  return true;
}

/** When a waiting munmap can go on: once no pin is left in its range (never, until then). */
export function pinwaitReady(
  m: Machine,
  now: number,
  f: Extract<Frame, { fn: 'pinwait' }>,
  pid: number,
): number {
  const proc = m.procs.find((p) => p.pid === pid);
  if (!proc || pinnedIn(m, proc, f.vpn, f.pages).length > 0) return Number.POSITIVE_INFINITY;
  return Math.max(now, uaOf(m).unpinAt);
}

/** The pins are gone: detach the VMAs (under mmap_lock for write, as munmap would have). */
export function stepPinwait(ctx: Ctx, f: Extract<Frame, { fn: 'pinwait' }>): void {
  const { m, core } = ctx;
  const proc = procOf(m, threadOf(m, core.tid).pid);
  ctx.emit({ type: 'munmap.resume', core: core.id, tid: core.tid, waited: ctx.t - f.since });
  for (const v of removeRange(proc, f.vpn, f.vpn + f.pages)) {
    ctx.emit({ type: 'vma.unmap', pid: proc.pid, start: vaHex(v.startVpn, 0), end: vaHex(v.endVpn, 0) });
  }
  ctx.cost += m.cost.small;
  core.stack.pop();
}
