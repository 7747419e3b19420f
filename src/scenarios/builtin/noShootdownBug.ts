import type { ScenarioSpec } from '../../core/spec';
import { appWithBuffer, BUFFER, IN_BUFFER, victim } from './parts';

// Lesson 11 (docs/lessons.md): the munmap of lesson 10 on a broken kernel that flushes only its
// own TLB. Core 1 keeps translating through its stale entry; the freed frame goes to another
// process, and core 1 then reads and overwrites that process's memory.
export const noShootdownBug: ScenarioSpec = {
  id: 'no-shootdown-bug',
  title: "A kernel without shootdown: a stale TLB entry leaks another process's memory",
  summary:
    "The same munmap as munmap-shootdown, on a broken kernel that only flushes the local TLB. Core 1 still caches the page; the frame is freed and handed to process 2, and T1 reads and overwrites process 2's data through its stale entry. The invariant monitor flags both.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'frames', emphasis: 'tlb' },
  seed: 1,
  machine: { cores: 4, frames: 256, tlb: { sets: 4, ways: 2 }, protocol: 'broken-no-shootdown' },
  processes: [appWithBuffer(), victim()],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'wait', flag: 't1-read' },
        { op: 'munmap', va: BUFFER, pages: 1 },
        { op: 'signal', flag: 'unmapped' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      program: [
        { op: 'write', va: IN_BUFFER, value: 1 },
        { op: 'signal', flag: 't1-read' },
        { op: 'wait', flag: 'unmapped' },
        { op: 'read', va: IN_BUFFER },
        { op: 'wait', flag: 'secret-written' },
        { op: 'read', va: IN_BUFFER },
        { op: 'write', va: IN_BUFFER, value: 666 },
        { op: 'signal', flag: 'corrupted' },
      ],
    },
    {
      tid: 3,
      pid: 2,
      core: 3,
      program: [
        { op: 'read', va: '0x400000' },
        { op: 'wait', flag: 'unmapped' },
        { op: 'write', va: '0x401010', value: 0x5ec2e7 },
        { op: 'signal', flag: 'secret-written' },
        { op: 'wait', flag: 'corrupted' },
        { op: 'read', va: '0x401010' },
      ],
    },
  ],
  keyMoments: [
    { label: 'Core 1 caches the page', event: 'tlb.fill', match: { core: 1 } },
    { label: 'T0 clears the PTE', event: 'pte.write', match: { pid: 1 } },
    { label: 'No IPI: only a local flush', event: 'shootdown.begin' },
    { label: 'Core 1 is now stale', event: 'invariant.violated', match: { rule: 'stale-tlb' } },
    { label: 'Frame freed too early', event: 'frame.free' },
    { label: 'T1 still hits its stale entry', event: 'tlb.hit', match: { core: 1 } },
    { label: 'Process 2 gets the frame', event: 'frame.alloc', match: { pid: 2 } },
    { label: "Another process's frame", event: 'invariant.violated', match: { rule: 'freed-frame' } },
    { label: "T1 reads process 2's secret", event: 'access.done', match: { core: 1, value: 0x5ec2e7 } },
    { label: 'T1 overwrites it', event: 'access.done', match: { core: 1, kind: 'write', value: 666 } },
    {
      label: 'Process 2 finds its data corrupted',
      event: 'access.done',
      match: { core: 3, kind: 'read', value: 666 },
    },
  ],
};
