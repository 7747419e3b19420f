// Physical memory: 4 KiB frames, allocated lazily (a frame's bytes exist only once written or
// used as a table), held as Uint32Array so a 64-bit entry is two aligned words.

export const PAGE_SIZE = 4096;
export const WORDS_PER_FRAME = PAGE_SIZE / 4;

export type FrameKind = 'pagetable' | 'anon' | 'zero' | 'reserved';

export interface FrameInfo {
  kind: FrameKind;
  /** The process that allocated it, or -1 for the kernel. */
  pid: number;
  /** References (page-table mappings) to it; it is freed when this reaches 0. */
  refcount: number;
  /** Processes mapping it, one entry per mapping (copy-on-write shares a frame after fork). */
  mappers: number[];
  /** Which allocation this is (increases with every allocFrame), to tell a reused frame apart. */
  seq: number;
  /** The engine step of the last access that reached this frame (recorded only with swap: LRU/MRU). */
  lastUse?: number;
}

export interface PhysMem {
  frameCount: number;
  /**
   * Backing words of frames that have been touched, indexed by frame number; a hole reads as
   * zero. A dense array rather than a Map: the walker indexes it four times per walk.
   */
  frames: (Uint32Array | undefined)[];
  /** Frames handed out, with what they hold. A frame absent here is free (or never used). */
  used: Map<number, FrameInfo>;
  /**
   * Freed frames, reused last-in first-out: like the kernel's per-CPU free lists, the most
   * recently freed (cache-hot) frame is handed out next. This is what makes a stale TLB entry
   * dangerous: the frame it points to is soon someone else's.
   */
  freeList: number[];
  /** Frames above this have never been handed out. */
  nextFresh: number;
  /** Allocations so far. */
  allocs: number;
  /** Lowest frame of the large-page pool at the top of memory, once one is handed out. */
  hugeBase?: number;
  /**
   * Copy-on-write with checkpoints (forkPhysMem): a frame's words may be written in place only
   * when owner[pfn] === epoch; otherwise a checkpoint may share them, and frameWords copies first.
   * Absent until the first fork: until then every frame is this memory's own.
   */
  owner?: Uint32Array;
  epoch?: number;
}

export function createPhysMem(frameCount: number, reservedLow = 1): PhysMem {
  const used = new Map<number, FrameInfo>();
  for (let pfn = 0; pfn < reservedLow; pfn++)
    used.set(pfn, { kind: 'reserved', pid: -1, refcount: 1, mappers: [], seq: 0 });
  return { frameCount, frames: new Array(frameCount), used, freeList: [], nextFresh: reservedLow, allocs: 0 };
}

/** Hands out a frame, zeroed. Returns null when memory is exhausted (a value, not an exception). */
export function allocFrame(mem: PhysMem, kind: FrameKind, pid: number): number | null {
  let pfn: number | undefined = mem.freeList.pop();
  if (pfn === undefined) {
    if (mem.nextFresh >= (mem.hugeBase ?? mem.frameCount)) return null;
    pfn = mem.nextFresh++;
  }
  mem.frames[pfn] = undefined; // reads as zero until written
  mem.used.set(pfn, { kind, pid, refcount: 1, mappers: kind === 'anon' ? [pid] : [], seq: ++mem.allocs });
  return pfn;
}

/**
 * Hands out `count` contiguous frames aligned to `count` (a 2 MiB or 1 GiB page) from the top of
 * physical memory, like a hugetlb pool reserved at boot; small frames keep coming from the bottom.
 * Only the first frame is recorded in `used`; the run is never freed in this model (large pages
 * stay mapped for the life of the scenario). Null when memory is short.
 */
export function allocFrameRun(mem: PhysMem, count: number, pid: number): number | null {
  const top = mem.hugeBase ?? mem.frameCount;
  const base = Math.floor((top - count) / count) * count;
  if (base < mem.nextFresh) return null;
  mem.hugeBase = base;
  mem.used.set(base, { kind: 'anon', pid, refcount: 1, mappers: [pid], seq: ++mem.allocs });
  return base;
}

export function freeFrame(mem: PhysMem, pfn: number): void {
  mem.used.delete(pfn);
  mem.freeList.push(pfn);
}

export function isFrameFree(mem: PhysMem, pfn: number): boolean {
  return !mem.used.has(pfn);
}

/** The words of a frame, created on first use. */
export function frameWords(mem: PhysMem, pfn: number): Uint32Array {
  let f = mem.frames[pfn];
  const owner = mem.owner;
  if (!f) {
    if (pfn < 0 || pfn >= mem.frameCount) throw new RangeError(`frame ${pfn} is outside physical memory`);
    f = new Uint32Array(WORDS_PER_FRAME);
    mem.frames[pfn] = f;
    if (owner) owner[pfn] = mem.epoch ?? 0;
  } else if (owner && owner[pfn] !== mem.epoch) {
    // Shared with a checkpoint: copy before the first write.
    f = f.slice();
    mem.frames[pfn] = f;
    owner[pfn] = mem.epoch ?? 0;
  }
  return f;
}

/**
 * A copy of `mem` for a checkpoint that shares every frame's words instead of copying them (a
 * 16-core run with thousands of mapped pages spent most of its time copying 4 KiB frames into
 * checkpoints). Both sides move to a new epoch that no frame is stamped with, so whichever writes
 * a shared frame first copies it (frameWords). `cloneRest` copies the small bookkeeping.
 */
export function forkPhysMem(mem: PhysMem, cloneRest: <T>(v: T) => T): PhysMem {
  const owner = mem.owner ?? new Uint32Array(mem.frameCount);
  mem.owner = owner;
  mem.epoch = (mem.epoch ?? 0) + 1;
  const copy: PhysMem = {
    frameCount: mem.frameCount,
    frames: mem.frames.slice(),
    used: cloneRest(mem.used),
    freeList: mem.freeList.slice(),
    nextFresh: mem.nextFresh,
    allocs: mem.allocs,
    owner: owner.slice(),
    epoch: mem.epoch,
  };
  if (mem.hugeBase !== undefined) copy.hugeBase = mem.hugeBase;
  return copy;
}

export function readWord(mem: PhysMem, pfn: number, wordIndex: number): number {
  const f = mem.frames[pfn];
  return f ? (f[wordIndex] ?? 0) : 0;
}

export function writeWord(mem: PhysMem, pfn: number, wordIndex: number, value: number): void {
  frameWords(mem, pfn)[wordIndex] = value >>> 0;
}

/** Drops one mapping of `pid`; returns true when it was the last reference (free it after the flush). */
/**
 * Removes one process's mapping of an anonymous frame (page_remove_rmap: the map count drops at
 * once). Returns true when the caller now holds a reference it must put *after* the TLB flush
 * (the mmu_gather rule, mm/mmu_gather.c: "unhook page, TLB invalidate page, free page").
 */
export function unmapFrame(mem: PhysMem, pfn: number, pid: number): boolean {
  const info = mem.used.get(pfn);
  if (info?.kind !== 'anon') return false;
  const i = info.mappers.indexOf(pid);
  if (i >= 0) info.mappers.splice(i, 1);
  return true;
}

/**
 * Drops one reference (put_page); the frame goes back to the allocator when none is left.
 * Returns true when it was freed.
 */
export function putFrame(mem: PhysMem, pfn: number): boolean {
  const info = mem.used.get(pfn);
  if (!info) return false;
  info.refcount--;
  if (info.refcount > 0) return false;
  freeFrame(mem, pfn);
  return true;
}

/** The allocation number of a frame now, or -1 if it is free. */
export function frameSeq(mem: PhysMem, pfn: number): number {
  return mem.used.get(pfn)?.seq ?? -1;
}
