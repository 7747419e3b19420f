// The kernel's side of swap outside reclaim: the page-fault hook (direct reclaim before the
// handler allocates, then do_swap_page for a swap entry), fork's copy of a swap entry
// (copy_nonpresent_pte: swap_duplicate), munmap's zap of one (free_swap_and_cache), and the
// last-access record the idealized LRU/MRU policies read.
import { encodeEntry, entryPfn, levelIndex, PTE_P, PTE_RW } from '../arch/x86_64/pte';
import { decodeSwapEntry, SWP_EXCLUSIVE, type SwapEntry } from '../arch/x86_64/swapEntry';
import { readEntry } from '../arch/x86_64/walk';
import type { Ctx } from '../engine/ctx';
import type { Frame, Machine, Proc, Vma } from '../machine';
import { allocFrame, frameWords } from '../mem/physmem';
import {
  addToSwapCache,
  cachedFrame,
  deleteFromSwapCache,
  freeFrameCount,
  maybeFreeSlot,
} from '../mem/swapdev';
import { vaHex } from './emit';
import { ensurePte, findPte, type PteSlot, setPte } from './pagetable';
import { startReclaim } from './reclaim';
import { tablePages } from './rmap';
import { killProcess } from './thread';

type FaultFrame = Extract<Frame, { fn: 'fault' }>;

/** Page-table pages a fault at `vpn` would have to allocate (__pte_alloc and the levels above). */
function missingTables(m: Machine, proc: Proc, vpn: number): number {
  let table = proc.rootPfn;
  for (let level = m.ctl.levels; level > 1; level--) {
    const [lo, hi] = readEntry(m.mem, table, levelIndex(vpn, level));
    if ((lo & PTE_P) === 0) return level - 1;
    table = entryPfn(lo, hi);
  }
  return 0;
}

/** Frames the handler will allocate for this fault besides page tables. */
function dataFrames(
  m: Machine,
  f: FaultFrame,
  vma: Vma,
  slot: PteSlot | null,
  entry: SwapEntry | null,
): number {
  if (entry) {
    const sw = m.swap;
    const read = sw && cachedFrame(sw, m.mem, entry.offset) >= 0 ? 0 : 1;
    return read + (copiesOnSwapIn(f, vma, entry) ? 1 : 0);
  }
  if (slot && (slot.lo & PTE_P) !== 0) return f.kind === 'write' && (slot.lo & PTE_RW) === 0 ? 1 : 0;
  return f.kind === 'write' ? 1 : 0;
}

/**
 * The fault handler's hook, after the VMA checks: with a swap device, reclaim first if the
 * handler's allocations would fail, and swap the page in if its PTE holds a swap entry. Returns
 * true when it took the step (the fault frame stays on the stack until it is resolved).
 */
export function swapFault(ctx: Ctx, proc: Proc, f: FaultFrame, vma: Vma): boolean {
  const { m } = ctx;
  const sw = m.swap;
  if (!sw) return false;
  const slot = findPte(m, proc, f.vpn);
  const entry = slot ? decodeSwapEntry(slot.lo, slot.hi) : null;
  const need = missingTables(m, proc, f.vpn) + dataFrames(m, f, vma, slot, entry);
  if (freeFrameCount(m.mem) < need && startReclaim(ctx, need, 'page fault')) return true;
  if (!slot || !entry) return false;
  swapIn(ctx, proc, f, vma, slot, entry);
  return true;
}

/** A write to a page the swap entry says may be shared: the fault copies it (do_wp_page). */
function copiesOnSwapIn(f: FaultFrame, vma: Vma, entry: SwapEntry): boolean {
  return f.kind === 'write' && vma.prot.w && !entry.exclusive;
}

/**
 * do_swap_page (mm/memory.c): find the page in the swap cache or read it from its slot into a new
 * frame (a major fault), map it, drop the PTE's hold on the slot (swap_free), retry. If the entry
 * says the page was exclusive (E) and the VMA is writable, it is mapped writable at once; a write
 * fault then also marks it dirty and frees the slot (the copy is stale from now on). Otherwise
 * it is mapped read-only and stays in the swap cache, so reclaim can drop it later without a
 * write; a write fault on such a page copies it in the same fault (do_swap_page calls
 * do_wp_page), so the retried write cannot need a second frame after the first was taken.
 */
function swapIn(ctx: Ctx, proc: Proc, f: FaultFrame, vma: Vma, slot: PteSlot, entry: SwapEntry): void {
  const { m, core } = ctx;
  const sw = m.swap;
  if (!sw) return;
  const s = entry.offset;
  const va = vaHex(f.vpn, f.off);
  if (s >= sw.slots || !sw.used[s]) throw new Error(`internal: swap entry names free slot ${s}`);
  let pfn = cachedFrame(sw, m.mem, s);
  if (pfn >= 0 && sw.inFlight.includes(pfn)) {
    // Another core's reclaim holds the page locked (it is being written out): wait for it, as
    // do_swap_page waits in folio_lock, then look again.
    const owner = m.cores.find((c) => c.stack.some((x) => x.fn === 'reclaim' && x.victim === pfn));
    ctx.cost += Math.max(m.cost.small, (owner?.now ?? 0) - ctx.t);
    ctx.emit({ type: 'swap.wait', core: core.id, pfn, slot: s });
    return;
  }
  const cached = pfn >= 0;
  const copy = copiesOnSwapIn(f, vma, entry);
  if (!cached) {
    const n = allocFrame(m.mem, 'anon', proc.pid);
    if (n === null) {
      killProcess(ctx, proc.pid, 'out of memory');
      return;
    }
    ctx.emit({ type: 'frame.alloc', pfn: n, pid: proc.pid, use: 'anon' });
    const data = sw.data[s];
    if (data) frameWords(m.mem, n).set(data);
    // The new page belongs to the swap cache first; the mapping below takes its own reference.
    const info = m.mem.used.get(n);
    if (info) {
      info.refcount = 0;
      info.mappers = [];
    }
    addToSwapCache(sw, m.mem, s, n);
    sw.reads++;
    ctx.cost += m.cost.swapRead;
    pfn = n;
  }
  let mapped = pfn;
  if (copy) {
    const c = allocFrame(m.mem, 'anon', proc.pid);
    if (c === null) {
      killProcess(ctx, proc.pid, 'out of memory');
      return;
    }
    ctx.emit({ type: 'frame.alloc', pfn: c, pid: proc.pid, use: 'anon' });
    const src = m.mem.frames[pfn];
    if (src) frameWords(m.mem, c).set(src);
    ctx.cost += m.cost.zeroFrame;
    mapped = c;
  } else {
    const info = m.mem.used.get(pfn);
    if (info) {
      info.refcount++;
      info.mappers.push(proc.pid);
    }
  }
  ctx.cost += m.cost.small;
  sw.count[s] = (sw.count[s] ?? 0) - 1;
  const writable = copy || (entry.exclusive && vma.prot.w);
  const dirty = writable && f.kind === 'write';
  const [lo, hi] = encodeEntry({ pfn: mapped, rw: writable, us: true, a: true, d: dirty, nx: !vma.prot.x });
  setPte(m, proc, f.vpn, slot, lo, hi, ctx.emit);
  ctx.cost += m.cost.pteWrite;
  noteUse(m, mapped);
  ctx.emit({
    type: 'swap.in',
    core: core.id,
    pfn,
    slot: s,
    va,
    cached,
    writable,
    ...(copy ? { copy: mapped } : {}),
  });
  // A write to a page only we hold: the slot's copy is stale now, so drop it (folio_free_swap).
  if (dirty && !copy) deleteFromSwapCache(sw, m.mem, s);
  if (maybeFreeSlot(sw, m.mem, s))
    ctx.emit({ type: 'swap.free', slot: s, why: dirty ? 'write-fault' : 'unused' });
  ctx.emit({ type: 'fault.resolved', core: core.id, va, how: 'swap-in' });
  core.stack.pop();
}

/**
 * fork's copy of a swap PTE (copy_nonpresent_pte): one more user of the slot (swap_duplicate),
 * and the entry loses its exclusive mark in parent and child, as the page is shared from now on.
 * Returns false when the parent's PTE is not a swap entry (or the child's table cannot be made).
 */
export function forkSwapPte(ctx: Ctx, parent: Proc, child: Proc, vpn: number): boolean {
  const { m } = ctx;
  const sw = m.swap;
  if (!sw) return false;
  const src = findPte(m, parent, vpn);
  const entry = src ? decodeSwapEntry(src.lo, src.hi) : null;
  if (!src || !entry) return false;
  const dst = ensurePte(m, child, vpn, ctx.emit);
  if (!dst) return false;
  const lo = (src.lo & ~SWP_EXCLUSIVE) >>> 0;
  if (lo !== src.lo) setPte(m, parent, vpn, src, lo, src.hi, ctx.emit);
  setPte(m, child, vpn, dst, lo, src.hi, ctx.emit);
  sw.count[entry.offset] = (sw.count[entry.offset] ?? 0) + 1;
  ctx.cost += 2 * m.cost.pteWrite;
  return true;
}

/** True when the PTE holds a swap entry (fork copies those too). */
export function isSwapPte(slot: PteSlot | null): boolean {
  return slot !== null && decodeSwapEntry(slot.lo, slot.hi) !== null;
}

/**
 * munmap's zap of a swap PTE (zap_pte_range -> free_swap_and_cache): clear it and drop its hold
 * on the slot; with no holder left, a swap-cache page no one maps goes too, and the slot is free.
 * No flush: a non-present entry is never cached. Returns false when the PTE is not a swap entry.
 */
export function zapSwapPte(ctx: Ctx, proc: Proc, vpn: number, slot: PteSlot): boolean {
  const { m } = ctx;
  const sw = m.swap;
  const entry = decodeSwapEntry(slot.lo, slot.hi);
  if (!sw || !entry) return false;
  setPte(m, proc, vpn, slot, 0, 0, ctx.emit);
  ctx.cost += m.cost.pteWrite;
  const s = entry.offset;
  sw.count[s] = (sw.count[s] ?? 0) - 1;
  const pfn = cachedFrame(sw, m.mem, s);
  if ((sw.count[s] ?? 0) === 0 && pfn >= 0 && !sw.inFlight.includes(pfn)) {
    const info = m.mem.used.get(pfn);
    if (info && info.mappers.length === 0 && deleteFromSwapCache(sw, m.mem, s))
      ctx.emit({ type: 'frame.free', pfn, pid: info.pid, afterFlush: true });
  }
  if (maybeFreeSlot(sw, m.mem, s)) ctx.emit({ type: 'swap.free', slot: s, why: 'munmap' });
  return true;
}

/**
 * fork's hook before it allocates: the child needs as many page-table pages as the parent has;
 * with a swap device, reclaim first if they are not free (as the allocator would). True when a
 * reclaim was started (fork runs again after it).
 */
export function forkReclaim(ctx: Ctx, parent: Proc): boolean {
  const { m } = ctx;
  if (!m.swap) return false;
  const need = tablePages(m, parent.rootPfn);
  return freeFrameCount(m.mem) < need && startReclaim(ctx, need, 'fork');
}

/** Records the access for the idealized LRU/MRU policies (only when the machine can swap). */
export function noteUse(m: Machine, pfn: number): void {
  const info = m.mem.used.get(pfn);
  if (info) info.lastUse = m.step;
}
