// A swap device: numbered slots of one page each, a use count per slot, and the swap cache.
//  - count[s] is Linux's swap_map count: how many swap PTEs name slot s (swap_duplicate on fork
//    adds one, free_swap_and_cache on munmap drops one, swap-in drops the faulting PTE's).
//  - The swap cache (mm/swap_state.c) links a slot to the frame holding its page: after a read
//    fault the page stays linked, so if it is still clean when reclaim picks it again it can be
//    dropped without a write (the slot already holds the same bytes). The link holds one frame
//    reference, like the page cache's. Simplification: a frame no PTE maps any more keeps its
//    link only until reclaim drops it or its slot is freed.
//  - A slot is free when no PTE names it and no frame is linked to it (SWAP_HAS_CACHE clear).
import { type PhysMem, putFrame } from './physmem';

/** Page replacement policy of a scenario's reclaim (textbook names; only clock looks at A bits). */
export type ReplacePolicy = 'clock' | 'fifo' | 'lru' | 'opt' | 'mru';

export const REPLACE_POLICIES: readonly ReplacePolicy[] = ['clock', 'fifo', 'lru', 'opt', 'mru'];

export interface SwapDevice {
  slots: number;
  policy: ReplacePolicy;
  /** In use: allocated by reclaim (get_swap_page) and not yet freed. */
  used: boolean[];
  /** swap_map: swap PTEs naming the slot. */
  count: number[];
  /** The page's bytes as last written; undefined reads as zeros (never written). */
  data: (Uint32Array | undefined)[];
  /** Swap cache: the frame holding the slot's page (-1: none) and that frame's allocation number. */
  cachePfn: number[];
  cacheSeq: number[];
  /** The clock hand: the frame number the next scan starts from. */
  hand: number;
  /** Frames a reclaim is working on: nothing else may pick or map them until it is done. */
  inFlight: number[];
  /** Pages written to and read from the device (not swap-cache hits, not clean drops). */
  writes: number;
  reads: number;
}

export function createSwapDevice(slots: number, policy: ReplacePolicy): SwapDevice {
  return {
    slots,
    policy,
    used: new Array<boolean>(slots).fill(false),
    count: new Array<number>(slots).fill(0),
    data: new Array(slots),
    cachePfn: new Array<number>(slots).fill(-1),
    cacheSeq: new Array<number>(slots).fill(-1),
    hand: 0,
    inFlight: [],
    writes: 0,
    reads: 0,
  };
}

/** The lowest free slot, marked used; -1 when the device is full. */
export function allocSlot(sw: SwapDevice): number {
  const s = sw.used.indexOf(false);
  if (s < 0) return -1;
  sw.used[s] = true;
  sw.count[s] = 0;
  sw.data[s] = undefined;
  return s;
}

export function freeSlots(sw: SwapDevice): number {
  let n = 0;
  for (const u of sw.used) if (!u) n++;
  return n;
}

/** The frame in the swap cache for slot `s`, or -1 (a link to a frame since freed is no link). */
export function cachedFrame(sw: SwapDevice, mem: PhysMem, s: number): number {
  const pfn = sw.cachePfn[s] ?? -1;
  // Pure (views call it too): a stale link simply reads as none.
  return pfn >= 0 && mem.used.get(pfn)?.seq === sw.cacheSeq[s] ? pfn : -1;
}

/** The slot whose swap-cache page is frame `pfn`, or -1. */
export function slotOfFrame(sw: SwapDevice, mem: PhysMem, pfn: number): number {
  const seq = mem.used.get(pfn)?.seq;
  if (seq === undefined) return -1;
  for (let s = 0; s < sw.slots; s++) if (sw.cachePfn[s] === pfn && sw.cacheSeq[s] === seq) return s;
  return -1;
}

/** add_to_swap_cache: link frame `pfn` to slot `s`, taking a reference on the frame. */
export function addToSwapCache(sw: SwapDevice, mem: PhysMem, s: number, pfn: number): void {
  const info = mem.used.get(pfn);
  if (!info) return;
  info.refcount++;
  sw.cachePfn[s] = pfn;
  sw.cacheSeq[s] = info.seq;
}

/**
 * delete_from_swap_cache: unlink slot `s`'s frame and put the link's reference. Returns true
 * when that freed the frame (it was its last reference).
 */
export function deleteFromSwapCache(sw: SwapDevice, mem: PhysMem, s: number): boolean {
  const pfn = cachedFrame(sw, mem, s);
  sw.cachePfn[s] = -1;
  sw.cacheSeq[s] = -1;
  return pfn >= 0 && putFrame(mem, pfn);
}

/**
 * Frees slot `s` if nothing uses it any more (no swap PTE names it, no frame is linked to it, no
 * reclaim is writing it). Returns true when it was freed.
 */
export function maybeFreeSlot(sw: SwapDevice, mem: PhysMem, s: number): boolean {
  if (!sw.used[s] || (sw.count[s] ?? 0) > 0 || cachedFrame(sw, mem, s) >= 0) return false;
  sw.used[s] = false;
  sw.data[s] = undefined;
  return true;
}

/** Frames free in physical memory (the free list plus frames never handed out). */
export function freeFrameCount(mem: PhysMem): number {
  return mem.freeList.length + Math.max(0, (mem.hugeBase ?? mem.frameCount) - mem.nextFresh);
}
