// Direct reclaim (mm/vmscan.c shrink_folio_list, reduced to one page per run): the thread whose
// page fault needs frames that are not free reclaims them itself before the handler allocates
// (Linux's allocator does this in __alloc_pages_direct_reclaim when no zone has a free page above
// its watermark; the model has no kswapd and no watermarks: it reclaims exactly when the
// allocation would fail). One run, over visible steps:
//   scan:   pick a victim by the scenario's policy. Clock looks at the A bits of the PTEs that map
//           the frame under the hand: set, it clears them (folio_referenced; on x86 without a TLB
//           flush, ptep_clear_flush_young in arch/x86/mm/pgtable.c) and moves on; clear, it takes
//           the frame.
//   unmap:  give the page a swap slot and put it in the swap cache (add_to_swap), then replace
//           every PTE that maps it with a swap entry (try_to_unmap: rmap, all mappers).
//   flush:  shoot down every TLB that may cache those PTEs, with the protocol's shootdown.
//   write:  write the page to its slot if it is dirty (a PTE had D set, or the slot holds no copy
//           yet); a clean page whose slot already holds the same bytes is dropped without a write.
//           After the flush, so no stale writable TLB entry can change the page behind the write.
//   free:   take it out of the swap cache and free the frame, only now (mmu_gather's rule).
import { PTE_A, PTE_D } from '../arch/x86_64/pte';
import { encodeSwapEntry } from '../arch/x86_64/swapEntry';
import type { Ctx } from '../engine/ctx';
import { procOf } from '../engine/ctx';
import type { Frame } from '../machine';
import { putFrame, unmapFrame } from '../mem/physmem';
import {
  addToSwapCache,
  allocSlot,
  deleteFromSwapCache,
  freeFrameCount,
  maybeFreeSlot,
} from '../mem/swapdev';
import { vaHex } from './emit';
import { markPending, setPte } from './pagetable';
import { buildRmap, type PteRef } from './rmap';
import { type Candidate, pickByPolicy, reclaimCandidates } from './victim';

export type ReclaimFrame = Extract<Frame, { fn: 'reclaim' }>;

/**
 * Starts a direct reclaim on this core if there is anything to reclaim; the caller's frame (the
 * page fault) stays below it and runs again once the reclaim is done. False: nothing to take.
 */
export function startReclaim(ctx: Ctx, need: number, forOp: 'page fault' | 'fork'): boolean {
  const { m, core } = ctx;
  const sw = m.swap;
  if (!sw || reclaimCandidates(m, buildRmap(m)).length === 0) return false;
  ctx.emit({
    type: 'reclaim.begin',
    core: core.id,
    free: freeFrameCount(m.mem),
    need,
    policy: sw.policy,
    forOp,
  });
  ctx.cost += m.cost.small;
  core.stack.push({
    fn: 'reclaim',
    phase: 'scan',
    need,
    scanned: 0,
    victim: -1,
    slot: -1,
    dirty: false,
    cleared: [],
    refs: 0,
  });
  return true;
}

const vasOf = (refs: readonly PteRef[]) => refs.map((r) => vaHex(r.vpn, 0));

export function stepReclaim(ctx: Ctx, f: ReclaimFrame): void {
  switch (f.phase) {
    case 'scan':
      return scan(ctx, f);
    case 'unmap':
      return unmapOne(ctx, f);
    case 'write':
      return writeOut(ctx, f);
    case 'free':
      return release(ctx, f);
    default: {
      const never: never = f.phase;
      throw new Error(`internal: reclaim phase ${String(never)}`);
    }
  }
}

function scan(ctx: Ctx, f: ReclaimFrame): void {
  const { m, core } = ctx;
  const sw = m.swap;
  if (!sw) throw new Error('internal: reclaim without a swap device');
  const cands = reclaimCandidates(m, buildRmap(m));
  if (cands.length === 0) {
    // Everything went while we scanned (unmapped, or taken by another core's reclaim).
    ctx.emit({ type: 'reclaim.end', core: core.id, freed: false });
    core.stack.pop();
    return;
  }
  ctx.cost += m.cost.small;
  if (sw.policy !== 'clock') {
    const pick = pickByPolicy(m, sw.policy, cands);
    if (pick) select(ctx, f, pick.c, pick.why);
    return;
  }
  // The clock hand goes round the frames in frame order, from where the last scan stopped.
  const c = cands.find((x) => x.pfn >= sw.hand) ?? (cands[0] as Candidate);
  sw.hand = c.pfn + 1;
  f.scanned++;
  const young = c.refs.filter((r) => (r.lo & PTE_A) !== 0);
  // Two turns at most: after one, every A bit the scan saw is clear (unless cores keep setting them).
  if (young.length > 0 && f.scanned <= 2 * cands.length) {
    for (const r of young) {
      setPte(m, procOf(m, r.pid), r.vpn, r, (r.lo & ~PTE_A) >>> 0, r.hi, ctx.emit);
      ctx.cost += m.cost.pteWrite;
    }
    ctx.emit({ type: 'reclaim.scan', core: core.id, pfn: c.pfn, young: true, vas: vasOf(young) });
    return;
  }
  ctx.emit({ type: 'reclaim.scan', core: core.id, pfn: c.pfn, young: false, vas: vasOf(c.refs) });
  select(
    ctx,
    f,
    c,
    young.length > 0
      ? 'clock: every frame was young twice round; the hand takes this one'
      : 'clock: its A bit is clear, it was not used since the hand last passed (its second chance is spent)',
  );
}

function select(ctx: Ctx, f: ReclaimFrame, c: Candidate, why: string): void {
  const { m, core } = ctx;
  const sw = m.swap;
  if (!sw) return;
  let slot = c.slot;
  const hadCopy = slot >= 0;
  if (!hadCopy) {
    // add_to_swap: a slot (get_swap_page), and the page joins the swap cache under it.
    slot = allocSlot(sw);
    addToSwapCache(sw, m.mem, slot, c.pfn);
  }
  sw.inFlight.push(c.pfn);
  f.victim = c.pfn;
  f.slot = slot;
  // With no copy in the slot yet the page must be written whatever its D bits say.
  f.dirty = !hadCopy;
  ctx.emit({
    type: 'reclaim.victim',
    core: core.id,
    pfn: c.pfn,
    policy: sw.policy,
    why,
    slot,
    hadCopy,
    vas: vasOf(c.refs),
  });
  f.phase = c.refs.length > 0 ? 'unmap' : 'write';
}

/** try_to_unmap_one: one PTE per step becomes a swap entry; its frame reference is put after the flush. */
function unmapOne(ctx: Ctx, f: ReclaimFrame): void {
  const { m, core } = ctx;
  const sw = m.swap;
  if (!sw) return;
  const refs = buildRmap(m).byFrame.get(f.victim) ?? [];
  const r = refs[0];
  if (r) {
    if ((r.lo & PTE_D) !== 0) f.dirty = true; // the PTE's D bit moves to the page (folio_mark_dirty)
    // E: this was the page's only mapping, so swap-in may map it writable at once.
    const exclusive = refs.length === 1 && f.cleared.length === 0;
    const [lo, hi] = encodeSwapEntry(0, f.slot, exclusive);
    const proc = procOf(m, r.pid);
    setPte(m, proc, r.vpn, r, lo, hi, ctx.emit);
    ctx.cost += m.cost.pteWrite;
    sw.count[f.slot] = (sw.count[f.slot] ?? 0) + 1;
    markPending(m, r.pid, r.vpn, f.victim);
    if (unmapFrame(m.mem, f.victim, r.pid)) f.refs++;
    f.cleared.push([r.pid, r.vpn]);
    if (refs.length > 1) return;
  }
  f.phase = 'write';
  // Flush every mm that had it mapped (Linux batches these into one flush, arch_tlbbatch_flush;
  // the model shoots down each mm in turn). The frames are not handed to the shootdown: this
  // reclaim writes the page after the flush and frees it itself.
  const pids = [...new Set(f.cleared.map(([pid]) => pid))];
  for (const pid of pids.reverse()) {
    core.stack.push({
      fn: 'shootdown',
      phase: 'begin',
      id: -1,
      pid,
      vpns: f.cleared.filter(([p]) => p === pid).map(([, v]) => v),
      full: false,
      gen: 0,
      toFree: [],
      freedTables: false,
    });
  }
}

/** pageout: write a dirty page to its slot; a clean one already matches its slot. */
function writeOut(ctx: Ctx, f: ReclaimFrame): void {
  const { m, core } = ctx;
  const sw = m.swap;
  if (!sw) return;
  if (f.dirty) {
    const words = m.mem.frames[f.victim];
    sw.data[f.slot] = words ? words.slice() : undefined;
    sw.writes++;
    ctx.cost += m.cost.swapWrite;
  } else {
    ctx.cost += m.cost.small;
  }
  ctx.emit({ type: 'swap.out', core: core.id, pfn: f.victim, slot: f.slot, dirty: f.dirty });
  f.phase = 'free';
}

/** __remove_mapping + free: the page leaves the swap cache and the frame goes back to the allocator. */
function release(ctx: Ctx, f: ReclaimFrame): void {
  const { m, core } = ctx;
  const sw = m.swap;
  if (!sw) return;
  const pid = m.mem.used.get(f.victim)?.pid ?? -1;
  let freed = false;
  for (let i = 0; i < f.refs; i++) freed = putFrame(m.mem, f.victim) || freed;
  freed = deleteFromSwapCache(sw, m.mem, f.slot) || freed;
  sw.inFlight = sw.inFlight.filter((p) => p !== f.victim);
  // A shootdown this core stopped waiting for (broken-no-wait) has not finished its flush.
  const afterFlush = !m.shootdowns.some((s) => s.abandoned && s.open && s.initiator === core.id);
  if (freed) ctx.emit({ type: 'frame.free', pfn: f.victim, pid, afterFlush });
  if (maybeFreeSlot(sw, m.mem, f.slot)) ctx.emit({ type: 'swap.free', slot: f.slot, why: 'unused' });
  ctx.emit({ type: 'reclaim.end', core: core.id, freed });
  ctx.cost += m.cost.small;
  core.stack.pop();
}
