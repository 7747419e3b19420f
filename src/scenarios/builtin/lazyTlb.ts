import type { ScenarioSpec } from '../../core/spec';

// Lesson 14 (docs/lessons.md): a core whose thread sleeps runs the idle task in lazy TLB mode,
// keeping the old mm loaded. Linux skips it in shootdowns (should_flush_tlb) and lets it flush
// when it switches back; but when page tables are freed it gets the IPI like everyone else.
export const lazyTlb: ScenarioSpec = {
  id: 'lazy-tlb',
  title: 'Lazy TLB mode: skipped by the IPI, flushed on the way back',
  summary:
    "T1 caches two pages on core 1 and goes to sleep; core 1 idles with the mm still loaded (lazy). T0 unmaps one page: core 1 gets no IPI, and when T1 wakes, switch_mm sees core 1 is behind tlb_gen and flushes. T1 sleeps again; T0 unmaps a region whose page table becomes empty and is freed: now the lazy core is IPI'd too and leaves the mm for init_mm.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'ipi' },
  seed: 1,
  machine: { cores: 2, frames: 256, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    {
      pid: 1,
      name: 'app',
      vmas: [
        { start: '0x7f0000000000', pages: 2, prot: 'rw', name: 'buffer', populate: true },
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
        { op: 'wait', flag: 'asleep-1' },
        { op: 'munmap', va: '0x7f0000001000', pages: 1 },
        { op: 'signal', flag: 'wake-1' },
        { op: 'wait', flag: 'asleep-2' },
        { op: 'munmap', va: '0x7f0000200000', pages: 1 },
        { op: 'signal', flag: 'wake-2' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      program: [
        { op: 'read', va: '0x7f0000000000' },
        { op: 'read', va: '0x7f0000001000' },
        { op: 'read', va: '0x7f0000200000' },
        { op: 'signal', flag: 'asleep-1' },
        { op: 'sleep', flag: 'wake-1' },
        { op: 'read', va: '0x7f0000000000' },
        { op: 'signal', flag: 'asleep-2' },
        { op: 'sleep', flag: 'wake-2' },
        { op: 'read', va: '0x7f0000000000' },
      ],
    },
  ],
  keyMoments: [
    { label: 'T1 sleeps: core 1 goes lazy', event: 'thread.sleep' },
    { label: 'Lazy core 1 is skipped', event: 'shootdown.begin', match: { freedTables: false } },
    { label: 'T1 wakes', event: 'thread.wake' },
    { label: 'switch_mm: behind tlb_gen, flush', event: 'tlb.invalidate', match: { core: 1, scope: 'asid' } },
    {
      label: 'Page table freed: everyone gets the IPI',
      event: 'shootdown.begin',
      match: { freedTables: true },
    },
    { label: 'Lazy core 1 leaves the mm', event: 'lazy.leave', match: { core: 1 } },
    { label: 'Page-table page freed after the acks', event: 'frame.free' },
  ],
};
