import type { ScenarioSpec } from '../../core/spec';

// Paging-structure caches (SDM 4.10.3), machine.psc. Two lessons:
//  walk-psc: after one full walk, a TLB miss on a neighbour page in the same 2 MiB region finds the
//  PDE in the PDE cache and reads only the PT entry (three table reads skipped); a page in another
//  2 MiB region of the same 1 GiB finds the PDPTE and reads the PD and PT entries. INVLPG of one
//  page then empties every PSC entry of the PCID (SDM 4.10.4.1), so the next miss walks from CR3.
//  lazy-psc-bug: why Linux IPIs lazy cores when page tables are freed. A kernel that skips them
//  (broken-lazy-tables, the bug fixed by "x86/mm/tlb: Leave lazy TLB mode at page table free time")
//  frees a page table that a lazy core's PDE cache still points to; the frame is then reused.

export const walkPsc: ScenarioSpec = {
  id: 'walk-psc',
  title: 'Paging-structure caches: a walk that skips levels',
  summary:
    "This machine has Intel's paging-structure caches (small, assumed sizes: Intel does not publish them). T0 reads a page: the TLB misses and the walker reads all four levels, caching the PML4E, the PDPTE and the PDE on the way down. The next page in the same 2 MiB region misses the TLB too, but the PDE cache holds the address of its page table: the walk reads one entry instead of four. A page 2 MiB further on finds the PDPTE and reads two. Then the kernel runs INVLPG for one page, which empties every paging-structure-cache entry of the PCID, whatever its address (SDM 4.10.4.1): the next miss walks from CR3 again.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { emphasis: 'tlb' },
  seed: 1,
  machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86', psc: true },
  processes: [
    {
      pid: 1,
      name: 'walker',
      vmas: [
        { start: '0x7f3a5c600000', pages: 4, prot: 'rw', name: 'data', populate: true },
        { start: '0x7f3a5c800000', pages: 1, prot: 'rw', name: 'next 2 MiB', populate: true },
      ],
    },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'read', va: '0x7f3a5c600010' },
        { op: 'read', va: '0x7f3a5c601010' },
        { op: 'read', va: '0x7f3a5c800010' },
        { op: 'invlpg', va: '0x7f3a5c601000' },
        { op: 'read', va: '0x7f3a5c602010' },
      ],
    },
  ],
  keyMoments: [
    { label: 'First miss: a full walk from CR3', event: 'walk.level', match: { level: 4 } },
    { label: 'The walk caches the PDE', event: 'psc.fill', match: { cache: 'PDE' } },
    {
      label: 'Neighbour page: PDE-cache hit, 3 reads skipped',
      event: 'psc.hit',
      match: { cache: 'PDE', skipped: 3 },
    },
    {
      label: 'Next 2 MiB: PDPTE-cache hit, 2 reads skipped',
      event: 'psc.hit',
      match: { cache: 'PDPTE', skipped: 2 },
    },
    { label: 'INVLPG empties the PCID’s PSC entries', event: 'tlb.invalidate', match: { reason: 'INVLPG' } },
    { label: 'The next miss walks from CR3 again', event: 'walk.level', match: { level: 4 } },
  ],
};

export const lazyPscBug: ScenarioSpec = {
  id: 'lazy-psc-bug',
  title: 'Broken kernel: a lazy core keeps a pointer to a freed page table',
  summary:
    "Why Linux interrupts even lazy cores when it frees page tables. T1 reads a page on core 1, which caches the PDE pointing to that region's page table, and goes to sleep: core 1 idles in lazy TLB mode with the mm still in CR3. T0 unmaps the region; its page table is now empty and is freed. This kernel skips lazy cores even so (the bug Linux fixed in 2018, 'x86/mm/tlb: Leave lazy TLB mode at page table free time'). Core 1's TLB is harmless (it will be flushed when T1 returns), but its PDE cache still points at the freed frame, and the hardware may walk through it speculatively at any time. T0 then maps a new page, which reuses the frame as data: a walk on core 1 would now read T0's data as page-table entries. The monitor flags both.",
  layout: { emphasis: 'tlb' },
  seed: 1,
  machine: { cores: 2, frames: 256, tlb: { sets: 4, ways: 2 }, protocol: 'broken-lazy-tables', psc: true },
  processes: [
    {
      pid: 1,
      name: 'app',
      vmas: [
        { start: '0x7f0000000000', pages: 1, prot: 'rw', name: 'heap', populate: true },
        // Alone in its 2 MiB span: unmapping it empties and frees its page table.
        { start: '0x7f0000200000', pages: 1, prot: 'rw', name: 'scratch', populate: true },
      ],
    },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'wait', flag: 'asleep' },
        { op: 'munmap', va: '0x7f0000200000', pages: 1 },
        { op: 'mmap', va: '0x7f0000001000', pages: 1, prot: 'rw' },
        { op: 'write', va: '0x7f0000001000', value: 7 },
        { op: 'signal', flag: 'wake' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      program: [
        { op: 'read', va: '0x7f0000200000' },
        { op: 'signal', flag: 'asleep' },
        { op: 'sleep', flag: 'wake' },
        { op: 'read', va: '0x7f0000000000' },
      ],
    },
  ],
  keyMoments: [
    { label: "Core 1 caches the region's PDE", event: 'psc.fill', match: { core: 1, cache: 'PDE' } },
    { label: 'T1 sleeps: core 1 goes lazy', event: 'thread.sleep' },
    {
      label: 'Page table freed, lazy core 1 skipped',
      event: 'shootdown.begin',
      match: { freedTables: true },
    },
    { label: 'The page-table page is freed', event: 'frame.free' },
    {
      label: "Core 1's PDE cache points at a free frame",
      event: 'invariant.violated',
      match: { rule: 'psc-freed-table', core: 1 },
    },
    {
      label: 'T1 wakes: switch_mm flushes the PCID',
      event: 'tlb.invalidate',
      match: { core: 1, scope: 'asid' },
    },
  ],
};
