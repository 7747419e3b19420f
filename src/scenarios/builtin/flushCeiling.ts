import type { OpSpec, ScenarioSpec } from '../../core/spec';

// Lesson 16 (docs/lessons.md): Linux flushes page by page with INVLPG up to
// tlb_single_page_flush_ceiling (33 pages, arch/x86/mm/tlb.c) and does one full flush above it.
const reads = (base: number, n: number): OpSpec[] =>
  Array.from(
    { length: n },
    (_, i) => ({ op: 'read', va: `0x${((base + i) * 4096).toString(16)}` }) as OpSpec,
  );

export const flushCeiling: ScenarioSpec = {
  id: 'flush-ceiling',
  title: 'The 33-page ceiling: INVLPG per page, or one full flush',
  summary:
    "T0 unmaps 8 pages, then 64 pages, while T1 on core 1 runs the same process. For 8 pages each core runs INVLPG 8 times; 64 pages is above Linux's 33-page ceiling, so every core reloads CR3 instead (one full flush of the PCID). Compare the cycles each costs.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'stats', emphasis: 'dock' },
  seed: 1,
  machine: { cores: 2, frames: 512, tlb: { sets: 16, ways: 4 }, protocol: 'linux-x86' },
  processes: [
    {
      pid: 1,
      name: 'app',
      vmas: [
        { start: '0x7f0000000000', pages: 1, prot: 'rw', name: 'heap', populate: true },
        { start: '0x7f0000010000', pages: 8, prot: 'rw', name: 'small', populate: true },
        { start: '0x7f0000100000', pages: 64, prot: 'rw', name: 'large', populate: true },
      ],
    },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'wait', flag: 'cached' },
        { op: 'munmap', va: '0x7f0000010000', pages: 8 },
        { op: 'munmap', va: '0x7f0000100000', pages: 64 },
        { op: 'signal', flag: 'done' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      program: [
        ...reads(0x7f0000010, 8),
        ...reads(0x7f0000100, 4),
        { op: 'signal', flag: 'cached' },
        { op: 'wait', flag: 'done' },
      ],
    },
  ],
  keyMoments: [
    { label: '8 pages: per-page shootdown', event: 'shootdown.begin', match: { pages: 8, full: false } },
    { label: 'Core 1 INVLPGs each page', event: 'tlb.invalidate', match: { core: 1, scope: 'page' } },
    { label: '8-page shootdown done', event: 'shootdown.end' },
    { label: '64 pages: above the ceiling', event: 'shootdown.begin', match: { pages: 64, full: true } },
    { label: 'Core 1 reloads CR3 (full flush)', event: 'tlb.invalidate', match: { core: 1, scope: 'asid' } },
    { label: '64-page shootdown done', event: 'shootdown.end' },
  ],
};
