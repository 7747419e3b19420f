import type { OpSpec, ScenarioSpec } from '../../core/spec';

// Lesson: a Skylake core's two TLB levels. The L1 dTLB for 4 KiB pages has 64
// entries (16 sets x 4 ways); the STLB behind it has 1536 (128 sets x 12 ways). T0 reads 80
// consecutive pages: every one misses both levels and is walked, and the walk's result goes into
// both. Pages 64-79 land in sets of the L1 dTLB that are already full, so they evict pages 0-15
// from it; the STLB, with room for all 80, keeps every one. Reading pages 0-3 again then misses
// the L1 but hits the STLB: no walk, and the entry is copied back into the L1, where the next read
// of page 0 hits. Costs are the skylake preset's (src/core/tlb/costs.ts): L1 hit 1 cycle, STLB hit
// 12, a miss 12 cycles of probing plus the 4-level walk (4 x 5 cycles, src/core/costs.ts).
// The simulator has no instruction fetches, so the iTLB side stays empty here.
const BASE = 0x7f0000000000;
const PAGES = 80;

/** The address of byte `off` of page `i` of the buffer. */
function pageVa(i: number, off = 0): string {
  return `0x${(BASE + i * 0x1000 + off).toString(16)}`;
}

const sweep: OpSpec[] = Array.from({ length: PAGES }, (_, i) => ({ op: 'read', va: pageVa(i, 8) }) as OpSpec);

export const tlbHierarchy: ScenarioSpec = {
  id: 'tlb-hierarchy',
  title: 'Two levels of TLB: the L1 dTLB and the STLB',
  summary:
    'A real core has more than one TLB. This one is modelled on Intel Skylake: a small, fast L1 dTLB for data (64 entries for 4 KiB pages, in 16 sets of 4) and behind it a big second-level TLB, the STLB (1536 entries). T0 reads 80 pages one after the other. Each first read misses both TLBs and walks the page table (about 32 cycles here), and the result is cached in both. 80 pages do not fit in the L1 dTLB: pages 64 to 79 fall into sets that are already full and push pages 0 to 15 out of it, but the STLB has room for all of them. So when T0 reads page 0 again, the L1 misses but the STLB hits: 12 cycles and no page walk, and the entry is copied back into the L1. The next read of page 0 is an L1 hit: 1 cycle. Open the TLB panel to see both levels. (The L1 iTLB, for instruction fetches, stays empty: the simulator only runs loads and stores.)',
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'stats', emphasis: 'tlb' },
  seed: 1,
  machine: { cores: 1, frames: 256, tlb: { preset: 'skylake' }, protocol: 'linux-x86' },
  processes: [
    {
      pid: 1,
      name: 'sweeper',
      vmas: [{ start: pageVa(0), pages: PAGES, prot: 'rw', name: 'buffer', populate: true }],
    },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        ...sweep,
        { op: 'read', va: pageVa(0, 8) },
        { op: 'read', va: pageVa(1, 8) },
        { op: 'read', va: pageVa(2, 8) },
        { op: 'read', va: pageVa(3, 8) },
        { op: 'read', va: pageVa(0, 16) },
      ],
    },
  ],
  keyMoments: [
    { label: 'First read: both TLBs miss, the page table is walked', event: 'tlb.miss', match: { core: 0 } },
    {
      label: 'The walk result goes into the L1 dTLB and the STLB',
      event: 'tlb.fill',
      match: { va: pageVa(0) },
    },
    {
      label: 'Page 64 evicts page 0 from the L1 dTLB',
      event: 'tlb.fill',
      match: { va: pageVa(64), evicted: pageVa(0) },
    },
    {
      label: 'Page 0 again: L1 miss, STLB hit, no walk',
      event: 'tlb.hit',
      match: { va: pageVa(0), level: 'l2' },
    },
    {
      label: 'Page 0 once more: an L1 dTLB hit',
      event: 'tlb.hit',
      match: { va: pageVa(0), level: 'l1d' },
    },
  ],
};
