import type { ScenarioSpec } from '../../core/spec';

// Lesson 1 (docs/lessons.md): one read, walked level by level. VA 0x7f3a5c6d7123 splits into
// PML4 index 254, PDPT 233, PD 227, PT 215 and offset 0x123. The page is mapped with A and D
// clear, so the walk visibly sets A on the PT entry (Linux's upper entries already have A); the second read hits the TLB and reads no
// table; the write after it finds the cached entry clean and walks again to set D (SDM 4.8).
const VA = '0x7f3a5c6d7123';

export const walkBasics: ScenarioSpec = {
  id: 'walk-basics',
  title: 'A page walk, level by level',
  summary:
    "T0 reads 0x7f3a5c6d7123. The MMU splits it into four 9-bit indices (254, 233, 227, 215) and a 12-bit offset (0x123); the TLB misses, so the walker reads the PML4 entry from CR3, then the PDPT, PD and PT entries. Linux creates upper-level entries with A already set (_PAGE_TABLE), so only the PT entry's accessed bit changes: the walker sets it. The TLB keeps the result: the second read of the same page hits and touches no table. Then a write: the cached entry says the page is clean, so the MMU walks once more to set the dirty bit.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { emphasis: 'pagetable' },
  seed: 1,
  machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    {
      pid: 1,
      name: 'walker',
      vmas: [{ start: '0x7f3a5c6d7000', pages: 1, prot: 'rw', name: 'data', populate: true }],
    },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'read', va: VA },
        { op: 'read', va: '0x7f3a5c6d7800' },
        { op: 'write', va: VA, value: 42 },
        { op: 'read', va: VA },
      ],
    },
  ],
  keyMoments: [
    { label: 'TLB miss: nothing cached yet', event: 'tlb.miss', match: { core: 0 } },
    { label: 'PML4 entry 254 (from CR3)', event: 'walk.level', match: { level: 4, index: 254 } },
    { label: 'PDPT entry 233', event: 'walk.level', match: { level: 3, index: 233 } },
    { label: 'PD entry 227', event: 'walk.level', match: { level: 2, index: 227 } },
    { label: 'PT entry 215: the frame', event: 'walk.level', match: { level: 1, index: 215 } },
    { label: 'The TLB keeps the translation', event: 'tlb.fill', match: { core: 0 } },
    { label: 'Same page again: a TLB hit, no walk', event: 'tlb.hit', match: { core: 0 } },
    {
      label: 'A write through a clean entry walks again to set D',
      event: 'tlb.miss',
      match: { reason: 'set-dirty' },
    },
  ],
};
