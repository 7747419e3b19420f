import type { ScenarioSpec } from '../../core/spec';
import { appWithBuffer, BUFFER, IN_BUFFER } from './parts';

// Lesson 10 (docs/lessons.md): T0 unmaps a page that T1 and T2 have cached; the shootdown
// reaches exactly the cores in mm_cpumask that run the mm (1 and 2), never core 3.

export const munmapShootdown: ScenarioSpec = {
  id: 'munmap-shootdown',
  title: 'munmap and the TLB shootdown',
  summary:
    'Three threads of one process run on cores 0-2; core 3 runs another process. T1 and T2 cache a page in their TLBs, then T0 unmaps it: clear the PTE, bump tlb_gen, IPI the cores in mm_cpumask, flush locally, wait for every ack, and only then free the frame.',
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'ipi' },
  seed: 1,
  machine: { cores: 4, frames: 256, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    appWithBuffer(),
    {
      pid: 2,
      name: 'other',
      vmas: [{ start: '0x400000', pages: 1, prot: 'rw', name: 'data', populate: true }],
    },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'wait', flag: 't1-read' },
        { op: 'wait', flag: 't2-read' },
        { op: 'write', va: IN_BUFFER, value: 42 },
        { op: 'munmap', va: BUFFER, pages: 1 },
        { op: 'signal', flag: 'unmapped' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      program: [
        { op: 'read', va: IN_BUFFER },
        { op: 'signal', flag: 't1-read' },
        { op: 'wait', flag: 'unmapped' },
        { op: 'read', va: IN_BUFFER },
      ],
    },
    {
      tid: 2,
      pid: 1,
      core: 2,
      program: [
        { op: 'compute', cycles: 100 },
        { op: 'read', va: IN_BUFFER },
        { op: 'signal', flag: 't2-read' },
        { op: 'wait', flag: 'unmapped' },
      ],
    },
    {
      tid: 3,
      pid: 2,
      core: 3,
      program: [
        { op: 'read', va: '0x400000' },
        { op: 'write', va: '0x400008', value: 7 },
        { op: 'read', va: '0x400000' },
      ],
    },
  ],
  keyMoments: [
    { label: 'Core 1 caches the page', event: 'tlb.fill', match: { core: 1 } },
    { label: 'Core 2 caches the page', event: 'tlb.fill', match: { core: 2 } },
    { label: 'T0 clears the PTE', event: 'pte.write', match: { pid: 1 } },
    { label: 'Shootdown begins', event: 'shootdown.begin' },
    { label: 'IPI to core 1', event: 'ipi.sent', match: { to: 1 } },
    { label: 'IPI to core 2', event: 'ipi.sent', match: { to: 2 } },
    { label: 'Core 1 invalidates', event: 'tlb.invalidate', match: { core: 1 } },
    { label: 'Core 2 invalidates', event: 'tlb.invalidate', match: { core: 2 } },
    { label: 'Last ack: shootdown ends', event: 'shootdown.end' },
    { label: 'Frame freed', event: 'frame.free' },
    { label: 'T1 reads again and faults', event: 'fault.raised', match: { core: 1 } },
    { label: 'SIGSEGV', event: 'signal' },
  ],
};
