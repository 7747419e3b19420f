// The page-fault handler, in Linux's order (arch/x86/mm/fault.c do_user_addr_fault, then
// mm/memory.c handle_pte_fault): find the VMA (none: SIGSEGV/SEGV_MAPERR), check the access
// against it (SEGV_ACCERR), then demand-zero: a read maps the shared zero page read-only, a
// write gets a fresh zeroed frame; a write to a write-protected page of a writable VMA is
// copy-on-write. A fault whose PTE already allows the access is spurious.
import { encodeEntry, entryPfn, PTE_A, PTE_D, PTE_HI_NX, PTE_P, PTE_RW } from '../arch/x86_64/pte';
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import type { Frame } from '../machine';
import { allocFrame, frameWords, unmapFrame } from '../mem/physmem';
import { vaHex } from './emit';
import { ensurePte, markPending, type PteSlot, setPte } from './pagetable';
import { swapFault } from './swap';
import { killProcess } from './thread';
import { kernelModeBadArea } from './extable';
import { takeFaultLock } from './faultLock';
import { findVma } from './vma';
import { expandStack } from './growsDown';
import { guardPageFault } from './stacks';

export function stepFault(ctx: Ctx, f: Extract<Frame, { fn: 'fault' }>): void {
  if (takeFaultLock(ctx, f)) return;
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const proc = procOf(m, th.pid);
  const va = vaHex(f.vpn, f.off);
  ctx.cost += m.cost.small;
  if (f.phase === 'signal') {
    if (guardPageFault(ctx, th, f.vpn, va)) return;
    // A kernel-mode fault (no U bit) gets no signal: exception-table fixup, or oops.
    if (kernelModeBadArea(ctx, f)) return;
    ctx.emit({ type: 'signal', tid: th.tid, signal: 'SIGSEGV', code: f.code, va });
    killProcess(ctx, proc.pid, `killed by SIGSEGV (${f.code}) at ${va}`);
    return;
  }
  const vma = findVma(proc, f.vpn) ?? expandStack(ctx, proc, f.vpn);
  if (!vma) {
    f.phase = 'signal';
    f.code = 'SEGV_MAPERR';
    return stepFault(ctx, f);
  }
  if ((f.kind === 'write' && !vma.prot.w) || (f.kind === 'read' && !vma.prot.r)) {
    f.phase = 'signal';
    f.code = 'SEGV_ACCERR';
    return stepFault(ctx, f);
  }
  if ((vma.pageShift ?? 12) > 12) {
    // Large-page VMAs are mapped whole when created and never change here, so the access is
    // allowed by the VMA and the PS=1 entry: only a stale TLB entry could have faulted.
    ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'spurious' });
    core.stack.pop();
    return;
  }
  // With a swap device: direct reclaim if this fault's allocations would fail, and swap-in (swap.ts).
  if (swapFault(ctx, proc, f, vma)) return;
  const slot = ensurePte(m, proc, f.vpn, ctx.emit);
  if (!slot) {
    // Out of memory: the model has no OOM killer; the thread dies as with VM_FAULT_OOM.
    killProcess(ctx, proc.pid, 'out of memory');
    return;
  }
  const present = (slot.lo & PTE_P) !== 0;
  if (present && (f.kind === 'read' || (slot.lo & PTE_RW) !== 0)) {
    // The PTE already allows the access: another core fixed it, or this TLB held an entry with
    // fewer rights. The #PF itself removed that entry (SDM 4.10.4.1), so a retry walks afresh.
    ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'spurious' });
    core.stack.pop();
    return;
  }
  if (present && entryPfn(slot.lo, slot.hi) !== m.zeroPfn) {
    // A write to a write-protected page of a writable VMA: copy-on-write (do_wp_page).
    return copyOnWrite(ctx, f, slot);
  }
  if (f.kind === 'read') {
    // do_anonymous_page: "Use the zero-page for reads": read-only, no allocation.
    const [lo, hi] = encodeEntry({ pfn: m.zeroPfn, us: true, a: true, nx: !vma.prot.x });
    setPte(m, proc, f.vpn, slot, lo, hi, ctx.emit);
    ctx.cost += m.cost.pteWrite;
    ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'zero-page' });
    core.stack.pop();
    return;
  }
  const pfn = allocFrame(m.mem, 'anon', proc.pid);
  if (pfn === null) {
    killProcess(ctx, proc.pid, 'out of memory');
    return;
  }
  ctx.emit({ type: 'frame.alloc', pfn, pid: proc.pid, use: 'anon' });
  ctx.cost += m.cost.zeroFrame + m.cost.pteWrite;
  // A write fault maps the page writable and dirty at once (pte_mkwrite(pte_mkdirty())).
  const [lo, hi] = encodeEntry({ pfn, rw: true, us: true, a: true, d: true, nx: !vma.prot.x });
  const wasZeroPage = present;
  setPte(m, proc, f.vpn, slot, lo, hi, ctx.emit);
  if (wasZeroPage) {
    // Replacing the zero page changes the PFN, so cached copies must go. Other cores may
    // cache it too: the model flushes them with a shootdown like munmap's.
    markPending(m, proc.pid, f.vpn, m.zeroPfn);
    core.stack.pop();
    core.stack.push({
      fn: 'shootdown',
      phase: 'begin',
      id: -1,
      pid: proc.pid,
      vpns: [f.vpn],
      full: false,
      gen: 0,
      toFree: [],
      freedTables: false,
    });
    ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'cow-copy' });
    return;
  }
  ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'demand-zero' });
  core.stack.pop();
}

/**
 * do_wp_page (mm/memory.c): if this process holds the only reference, make the page writable in
 * place (wp_page_reuse); otherwise copy it to a new frame, map the copy writable and drop one
 * reference to the old frame (wp_page_copy). A new frame means a new PFN, so other TLBs of this
 * mm must be flushed before anyone relies on the copy.
 */
function copyOnWrite(ctx: Ctx, f: Extract<Frame, { fn: 'fault' }>, slot: PteSlot): void {
  const { m, core } = ctx;
  const proc = procOf(m, threadOf(m, core.tid).pid);
  const va = vaHex(f.vpn, f.off);
  const old = entryPfn(slot.lo, slot.hi);
  const info = m.mem.used.get(old);
  if (info && info.refcount === 1) {
    setPte(m, proc, f.vpn, slot, (slot.lo | PTE_RW | PTE_D | PTE_A) >>> 0, slot.hi, ctx.emit);
    ctx.cost += m.cost.pteWrite;
    ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'cow-reuse' });
    core.stack.pop();
    return;
  }
  const pfn = allocFrame(m.mem, 'anon', proc.pid);
  if (pfn === null) {
    killProcess(ctx, proc.pid, 'out of memory');
    return;
  }
  ctx.emit({ type: 'frame.alloc', pfn, pid: proc.pid, use: 'anon' });
  const src = m.mem.frames[old];
  if (src) frameWords(m.mem, pfn).set(src);
  // The old frame loses this mapping now but keeps our reference until the flush below is
  // done (wp_page_copy: ptep_clear_flush before the old page is released), so no one can free
  // and reuse it while another core may still cache the old translation.
  const putOld = unmapFrame(m.mem, old, proc.pid);
  ctx.cost += m.cost.zeroFrame + m.cost.pteWrite;
  const [lo, hi] = encodeEntry({
    pfn,
    rw: true,
    us: true,
    a: true,
    d: true,
    nx: (slot.hi & PTE_HI_NX) !== 0,
  });
  setPte(m, proc, f.vpn, slot, lo, hi, ctx.emit);
  markPending(m, proc.pid, f.vpn, old);
  ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'cow-copy' });
  core.stack.pop();
  core.stack.push({
    fn: 'shootdown',
    phase: 'begin',
    id: -1,
    pid: proc.pid,
    vpns: [f.vpn],
    full: false,
    gen: 0,
    toFree: putOld ? [old] : [],
    freedTables: false,
  });
}
