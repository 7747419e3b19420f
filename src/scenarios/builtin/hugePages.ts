import type { ScenarioSpec } from '../../core/spec';

// Lesson 2 (docs/lessons.md): a 2 MiB and a 1 GiB mapping. The walk stops at the PD entry (PS=1)
// for the 2 MiB page and at the PDPT entry for the 1 GiB page; one TLB entry then covers every
// 4 KiB page inside; INVLPG of any address inside drops that one entry (SDM 4.10.4.1).
const MB2 = '0x7f0000200000'; // 2 MiB aligned
const GB1 = '0x7f0040000000'; // 1 GiB aligned

export const hugePages: ScenarioSpec = {
  id: 'huge-pages',
  title: 'Huge pages: 2 MiB and 1 GiB',
  summary:
    'A process has a 2 MiB mapping and a 1 GiB mapping. Reading the 2 MiB page, the walk stops at the page directory: its entry has PS=1 and points at the page itself, and the low 21 bits of the address are the offset. One TLB entry now serves the whole 2 MiB: a read 1 MiB further on hits. The 1 GiB page stops one level earlier, at the PDPT, with a 30-bit offset. INVLPG of an address in the middle of the 2 MiB page drops its single entry, so the next read walks again.',
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { emphasis: 'pagetable' },
  seed: 1,
  machine: { cores: 1, frames: 1 << 20, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    {
      pid: 1,
      name: 'huge',
      vmas: [
        { start: MB2, pages: 512, prot: 'rw', name: '2 MiB page', pageSize: '2m' },
        { start: GB1, pages: 262144, prot: 'rw', name: '1 GiB page', pageSize: '1g' },
      ],
    },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'read', va: '0x7f0000200123' },
        { op: 'read', va: '0x7f0000300456' },
        { op: 'read', va: '0x7f0040000789' },
        { op: 'read', va: '0x7f0067654321' },
        { op: 'invlpg', va: '0x7f00002ff000' },
        { op: 'read', va: '0x7f0000200123' },
      ],
    },
  ],
  keyMoments: [
    {
      label: 'The 2 MiB walk stops at the PD entry (PS=1)',
      event: 'walk.level',
      match: { level: 2, flags: 'P RW US PS NX' },
    },
    { label: 'One entry caches the whole 2 MiB page', event: 'tlb.fill', match: { va: '0x7f0000200000' } },
    { label: '1 MiB further: a hit on the same entry', event: 'tlb.hit', match: { va: '0x7f0000300000' } },
    {
      label: 'The 1 GiB walk stops at the PDPT entry',
      event: 'walk.level',
      match: { level: 3, flags: 'P RW US PS NX' },
    },
    { label: '600 MiB into the 1 GiB page: a hit', event: 'tlb.hit', match: { va: '0x7f0067654000' } },
    {
      label: 'INVLPG inside the page drops its one entry',
      event: 'tlb.invalidate',
      match: { reason: 'INVLPG', removed: 1 },
    },
    { label: 'The next read walks again', event: 'tlb.miss', match: { va: '0x7f0000200000' } },
  ],
};
