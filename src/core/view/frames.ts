// The physical-frames view: only the frames in use (from PhysMem.used, never a pass over every
// frame of a large memory), the free ranges between them as a compact list, and what this step
// did to frames (allocated, freed, or the target of a PTE write). O(frames in use).
import { entryPfn, PTE_P } from '../arch/x86_64/pte';
import type { SimEvent } from '../events';
import type { Machine } from '../machine';
import type { FrameKind } from '../mem/physmem';
import { cachedFrame } from '../mem/swapdev';

/** What a frame is, for colouring: its kind, with anonymous frames shared copy-on-write apart. */
export type FrameState = FrameKind | 'cow' | 'free';

/** What this step did to a frame. */
export type FrameChange = 'alloc' | 'free' | 'pte';

export interface FrameView {
  pfn: number;
  /** 'cow': an anonymous frame with more than one reference; 'free': freed this step. */
  state: FrameState;
  /** The owning process, or -1 for the kernel. */
  pid: number;
  refcount: number;
  /** Processes mapping it, one entry per mapping. */
  mappers: number[];
  /** Allocation number: tells a reused frame apart. */
  seq: number;
  /** Frames covered: 1, or 512 / 262144 for the first frame of a 2 MiB / 1 GiB page. */
  span: number;
  change: FrameChange | null;
  /** In the swap cache as the copy of this swap slot (reclaim can drop it clean). */
  swapSlot?: number;
}

export interface FreeRange {
  /** First and last free frame, inclusive. */
  start: number;
  end: number;
}

export interface FramesView {
  /** Frames of physical memory. */
  total: number;
  /** Frames in use, large pages counted in full. */
  used: number;
  free: number;
  /** Frames in use (and frames freed this step), by frame number, at most MAX_FRAME_VIEWS plus this step's. */
  frames: FrameView[];
  /** Frames in use left out of `frames` (over the cap). */
  omitted: number;
  /** Free ranges by frame number, at most MAX_FREE_RANGES. */
  freeRanges: FreeRange[];
  /** Free ranges left out of `freeRanges`. */
  freeRangesOmitted: number;
  zeroPfn: number;
  /** The swap device, when the machine has one. */
  swap?: SwapView;
}

export interface SwapView {
  slots: number;
  policy: string;
  /** Slots in use. */
  used: number;
  /** Pages written to the device and read from it so far. */
  writes: number;
  reads: number;
}

/** Frames listed at most (besides those this step changed): the panel draws no more than this. */
export const MAX_FRAME_VIEWS = 512;
export const MAX_FREE_RANGES = 12;

/** The frame a raw entry ("0x8000000000007067") leads to, or null when it is not present. */
function entryTarget(raw: string): number | null {
  let v: bigint;
  try {
    v = BigInt(raw);
  } catch {
    return null;
  }
  const lo = Number(v & 0xffffffffn);
  const hi = Number((v >> 32n) & 0xffffffffn);
  return (lo & PTE_P) !== 0 ? entryPfn(lo, hi) : null;
}

/** Frames this step allocated, freed, or pointed a PTE at (or away from). The first reason wins. */
export function changedFrames(stepEvents: readonly SimEvent[]): Map<number, FrameChange> {
  const out = new Map<number, FrameChange>();
  const note = (pfn: number | null, why: FrameChange) => {
    if (pfn !== null && !out.has(pfn)) out.set(pfn, why);
  };
  for (const e of stepEvents) {
    if (e.type === 'frame.alloc') note(e.pfn, 'alloc');
    else if (e.type === 'frame.free') note(e.pfn, 'free');
  }
  for (const e of stepEvents) {
    if (e.type !== 'pte.write') continue;
    note(entryTarget(e.new), 'pte');
    note(entryTarget(e.old), 'pte');
  }
  return out;
}

/**
 * Builds the view. `spans` gives the frames a large page covers, by its first frame (from the
 * page tables' PS entries); a large-page frame it does not name runs up to the next frame in use.
 */
export function framesView(
  m: Machine,
  stepEvents: readonly SimEvent[],
  spans: ReadonlyMap<number, number>,
): FramesView {
  const mem = m.mem;
  const total = mem.frameCount;
  const pfns = [...mem.used.keys()].sort((a, b) => a - b);
  const changes = changedFrames(stepEvents);
  const hugeBase = mem.hugeBase ?? total;
  const spanOf = (i: number): number => {
    const pfn = pfns[i] as number;
    const known = spans.get(pfn);
    if (known !== undefined) return Math.max(1, Math.min(known, total - pfn));
    if (pfn < hugeBase) return 1;
    return (pfns[i + 1] ?? total) - pfn;
  };

  // Free ranges: the gaps between frames in use.
  const freeRanges: FreeRange[] = [];
  let freeRangesOmitted = 0;
  let used = 0;
  let next = 0;
  const gap = (start: number, end: number) => {
    if (end < start) return;
    if (freeRanges.length < MAX_FREE_RANGES) freeRanges.push({ start, end });
    else freeRangesOmitted++;
  };
  const spansByIndex: number[] = [];
  for (let i = 0; i < pfns.length; i++) {
    const pfn = pfns[i] as number;
    const span = spanOf(i);
    spansByIndex.push(span);
    gap(next, pfn - 1);
    used += span;
    next = Math.max(next, pfn + span);
  }
  gap(next, total - 1);

  // Swap-cache links, by frame (a frame is in the cache for at most one slot).
  const cacheSlot = new Map<number, number>();
  if (m.swap) {
    for (let s = 0; s < m.swap.slots; s++) {
      const pfn = cachedFrame(m.swap, mem, s);
      if (pfn >= 0) cacheSlot.set(pfn, s);
    }
  }

  // The frames listed: this step's first, then the lowest, up to the cap; shown by number.
  const keep = new Set<number>();
  for (const pfn of changes.keys()) keep.add(pfn);
  const frames: FrameView[] = [];
  let omitted = 0;
  for (let i = 0; i < pfns.length; i++) {
    const pfn = pfns[i] as number;
    if (!keep.has(pfn) && frames.length >= MAX_FRAME_VIEWS) {
      omitted++;
      continue;
    }
    const info = mem.used.get(pfn);
    if (!info) continue;
    const slot = cacheSlot.get(pfn);
    // The swap cache's own reference does not make a frame shared.
    const refs = info.refcount - (slot === undefined ? 0 : 1);
    frames.push({
      pfn,
      state: info.kind === 'anon' && refs > 1 ? 'cow' : info.kind,
      pid: info.pid,
      refcount: info.refcount,
      mappers: info.mappers.slice(),
      seq: info.seq,
      span: spansByIndex[i] ?? 1,
      change: changes.get(pfn) ?? null,
      ...(slot === undefined ? {} : { swapSlot: slot }),
    });
  }
  // Frames freed this step are free now: listed once more, so the panel can show them go.
  for (const [pfn, why] of changes) {
    if (why !== 'free' || mem.used.has(pfn) || pfn < 0 || pfn >= total) continue;
    frames.push({ pfn, state: 'free', pid: -1, refcount: 0, mappers: [], seq: -1, span: 1, change: 'free' });
  }
  frames.sort((a, b) => a.pfn - b.pfn);
  return {
    total,
    used,
    free: total - used,
    frames,
    omitted,
    freeRanges,
    freeRangesOmitted,
    zeroPfn: m.zeroPfn,
    ...(m.swap
      ? {
          swap: {
            slots: m.swap.slots,
            policy: m.swap.policy,
            used: m.swap.used.filter(Boolean).length,
            writes: m.swap.writes,
            reads: m.swap.reads,
          },
        }
      : {}),
  };
}
