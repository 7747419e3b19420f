// The bookkeeping of swap checked against the page tables themselves (for the tests): every
// anonymous frame's map count is the set of PTEs leading to it and its reference count those PTEs
// plus the swap cache's link plus the references work in progress holds (an mmu_gather, a
// reclaim); no present PTE leads to a free frame; each slot's use count is the number of swap
// PTEs naming it, and no swap PTE names a free slot.
import type { Machine } from '../machine';
import { cachedFrame } from '../mem/swapdev';
import { buildRmap } from './rmap';

/** References to each frame held by work in progress: gathered for a flush, or a reclaim's. */
function heldRefs(m: Machine): Map<number, number> {
  const held = new Map<number, number>();
  const add = (pfn: number, n = 1) => held.set(pfn, (held.get(pfn) ?? 0) + n);
  for (const core of m.cores) {
    for (const f of core.stack) {
      if (f.fn === 'shootdown') for (const p of f.toFree) add(p);
      else if (f.fn === 'teardown' && f.phase === 'zap') for (const p of f.gathered) add(p);
      else if (f.fn === 'munmap' && f.phase === 'zap') for (const p of f.gathered) add(p);
      else if (f.fn === 'reclaim' && f.victim >= 0) add(f.victim, f.refs);
    }
  }
  return held;
}

/** The consistency of frames, PTEs and slots; returns the first problem found, or null. */
export function checkSwapInvariants(m: Machine): string | null {
  const sw = m.swap;
  if (!sw) return 'no swap device';
  const rmap = buildRmap(m);
  const held = heldRefs(m);
  for (const [pfn, ptes] of rmap.byFrame) {
    if (pfn === m.zeroPfn) continue;
    if (!m.mem.used.has(pfn)) return `frame ${pfn} is free but PTEs map it (${ptes.map((p) => p.pid)})`;
  }
  for (const [pfn, info] of m.mem.used) {
    if (info.kind !== 'anon') continue;
    const ptes = rmap.byFrame.get(pfn) ?? [];
    const mapPids = ptes.map((p) => p.pid).sort();
    const mappers = info.mappers.slice().sort();
    if (JSON.stringify(mapPids) !== JSON.stringify(mappers))
      return `frame ${pfn}: mappers ${mappers} but PTEs of ${mapPids}`;
    let cache = 0;
    for (let s = 0; s < sw.slots; s++) if (cachedFrame(sw, m.mem, s) === pfn) cache++;
    if (cache > 1) return `frame ${pfn} is in the swap cache under ${cache} slots`;
    const want = ptes.length + cache + (held.get(pfn) ?? 0);
    if (info.refcount !== want)
      return `frame ${pfn}: refcount ${info.refcount}, expected ${ptes.length} PTEs + ${cache} cache + ${held.get(pfn) ?? 0} held`;
  }
  for (let s = 0; s < sw.slots; s++) {
    const n = rmap.bySlot.get(s)?.length ?? 0;
    if ((sw.count[s] ?? 0) !== n) return `slot ${s}: count ${sw.count[s]} but ${n} swap PTEs`;
    if (!sw.used[s] && (n > 0 || cachedFrame(sw, m.mem, s) >= 0)) return `slot ${s} is free but in use`;
  }
  for (const s of rmap.bySlot.keys()) if (s >= sw.slots) return `a swap PTE names slot ${s} past the device`;
  return null;
}
