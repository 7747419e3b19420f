// Which frame reclaim gives up, by the scenario's policy. Clock is the textbook second-chance
// scan over the PTEs' A bits (reclaim.ts runs it a frame per step). The others are idealized
// textbook policies, not Linux: FIFO evicts the page loaded longest ago, LRU the one whose last
// access is oldest and MRU the newest (by the engine step of the last access the simulator saw,
// TLB hits included, which no real kernel can know), OPT the one whose next use in the threads'
// remaining programs is furthest away (Belady's MIN; it reads the future). Ties go to the page
// loaded first.
import type { Machine } from '../machine';
import type { FrameInfo } from '../mem/physmem';
import { freeSlots, type ReplacePolicy, slotOfFrame } from '../mem/swapdev';
import type { PteRef, Rmap } from './rmap';

export interface Candidate {
  pfn: number;
  info: FrameInfo;
  /** The PTEs that map it (none: a page only the swap cache still holds). */
  refs: PteRef[];
  /** Its swap-cache slot, or -1. */
  slot: number;
}

/**
 * Pages whose access is waiting to be retried: a fault has just mapped them (or is mapping them)
 * and the instruction has not run again yet. Reclaim leaves them alone, as Linux cannot take a
 * page the fault handler still holds locked; without this, two threads with one free frame
 * between them would take each other's page forever, neither access ever completing.
 */
function pagesInUse(m: Machine): Set<string> {
  const keys = new Set<string>();
  for (const core of m.cores) {
    const pid = m.threads.find((t) => t.tid === core.tid)?.pid;
    if (pid === undefined) continue;
    for (const f of core.stack) if (f.fn === 'access') keys.add(`${pid}:${f.vpn}`);
  }
  return keys;
}

/** Frames reclaim may take: anonymous user pages, mapped or only in the swap cache. */
export function reclaimCandidates(m: Machine, rmap: Rmap): Candidate[] {
  const sw = m.swap;
  if (!sw) return [];
  const busy = pagesInUse(m);
  const slotsLeft = freeSlots(sw) > 0;
  const top = m.mem.hugeBase ?? m.mem.frameCount;
  const out: Candidate[] = [];
  for (const [pfn, info] of m.mem.used) {
    if (info.kind !== 'anon' || pfn === m.zeroPfn || pfn >= top || sw.inFlight.includes(pfn)) continue;
    const refs = rmap.byFrame.get(pfn) ?? [];
    const slot = slotOfFrame(sw, m.mem, pfn);
    // Mapped by nothing and not in the swap cache: only an mmu_gather still holds it.
    if (refs.length === 0 && slot < 0) continue;
    if (refs.some((r) => busy.has(`${r.pid}:${r.vpn}`))) continue;
    // A page with no slot yet needs a free one (add_to_swap fails on a full device).
    if (slot < 0 && !slotsLeft) continue;
    out.push({ pfn, info, refs, slot });
  }
  return out.sort((a, b) => a.pfn - b.pfn);
}

/** Steps until the next read or write of any of `refs`' pages in a live thread's program. */
export function nextUse(m: Machine, refs: readonly PteRef[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (const t of m.threads) {
    if (t.state === 'exited' || t.state === 'unborn') continue;
    const vpns = refs.filter((r) => r.pid === t.pid).map((r) => r.vpn);
    if (vpns.length === 0) continue;
    for (let i = t.pc; i < t.program.length && i - t.pc < best; i++) {
      const op = t.program[i];
      if (op && (op.op === 'read' || op.op === 'write') && vpns.includes(op.vpn)) {
        best = i - t.pc;
        break;
      }
    }
  }
  return best;
}

/** Why the policy picked this page, for the narration. */
export function pickByPolicy(
  m: Machine,
  policy: Exclude<ReplacePolicy, 'clock'>,
  cands: readonly Candidate[],
): { c: Candidate; why: string } | null {
  let best: Candidate | null = null;
  let bestKey = 0;
  for (const c of cands) {
    const key = policyKey(m, policy, c);
    if (!best || key > bestKey || (key === bestKey && c.info.seq < best.info.seq)) {
      best = c;
      bestKey = key;
    }
  }
  if (!best) return null;
  return { c: best, why: explain(m, policy, best, bestKey) };
}

/** Larger is a better victim. */
function policyKey(m: Machine, policy: Exclude<ReplacePolicy, 'clock'>, c: Candidate): number {
  switch (policy) {
    case 'fifo':
      return -c.info.seq;
    case 'lru':
      return -(c.info.lastUse ?? -1);
    case 'mru':
      return c.info.lastUse ?? -1;
    case 'opt':
      return c.refs.length === 0 ? Number.POSITIVE_INFINITY : nextUse(m, c.refs);
    default: {
      const never: never = policy;
      return never;
    }
  }
}

function explain(m: Machine, policy: Exclude<ReplacePolicy, 'clock'>, c: Candidate, key: number): string {
  switch (policy) {
    case 'fifo':
      return `FIFO: loaded longest ago (allocation #${c.info.seq})`;
    case 'lru':
      return c.info.lastUse === undefined
        ? 'LRU: never accessed since it was loaded'
        : `LRU: least recently used (last access at step ${c.info.lastUse})`;
    case 'mru':
      return `MRU: most recently used (last access at step ${c.info.lastUse ?? 'never'})`;
    case 'opt':
      return key === Number.POSITIVE_INFINITY
        ? 'OPT: no thread uses it again'
        : `OPT: its next use is furthest away (${key} operations ahead)`;
    default: {
      const never: never = policy;
      void m;
      return never;
    }
  }
}
