import type { ScenarioSpec } from '../../core/spec';
import { appWithBuffer, BUFFER, IN_BUFFER, victim } from './parts';

// Lesson 12 (docs/lessons.md): the initiator sends the IPIs but frees the frame before the acks
// arrive. For the IPI's flight time core 1 still translates to a frame that is already reused.
export const freeBeforeAckBug: ScenarioSpec = {
  id: 'free-before-ack-bug',
  title: 'Freeing before the acks: a window onto a reused frame',
  summary:
    "A broken kernel sends the shootdown IPIs but frees the frame right away instead of waiting for every ack (mmu_gather exists to prevent exactly this). Process 2 gets the frame and writes to it while the IPI to core 1 is still in flight; T1 reads process 2's data through its not-yet-invalidated entry. The monitor flags the window.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'ipi' },
  seed: 1,
  machine: { cores: 4, frames: 256, tlb: { sets: 4, ways: 2 }, protocol: 'broken-free-before-ack' },
  processes: [appWithBuffer(), victim()],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'wait', flag: 't1-read' },
        { op: 'signal', flag: 'unmapping' },
        { op: 'munmap', va: BUFFER, pages: 1 },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      program: [
        { op: 'read', va: IN_BUFFER },
        { op: 'signal', flag: 't1-read' },
        { op: 'wait', flag: 'secret-written' },
        { op: 'read', va: IN_BUFFER },
      ],
    },
    {
      tid: 3,
      pid: 2,
      core: 3,
      program: [
        { op: 'read', va: '0x400000' },
        { op: 'wait', flag: 'unmapping' },
        { op: 'compute', cycles: 400 },
        { op: 'write', va: '0x401010', value: 0x5ec2e7 },
        { op: 'signal', flag: 'secret-written' },
      ],
    },
  ],
  keyMoments: [
    { label: 'Core 1 caches the page', event: 'tlb.fill', match: { core: 1 } },
    { label: 'IPI to core 1 sent', event: 'ipi.sent', match: { to: 1 } },
    { label: 'Frame freed before the ack', event: 'frame.free' },
    { label: 'Process 2 gets the frame', event: 'frame.alloc', match: { pid: 2, use: 'anon' } },
    {
      label: 'Stale entry reaches a reused frame',
      event: 'invariant.violated',
      match: { rule: 'freed-frame' },
    },
    { label: "T1 reads process 2's secret", event: 'access.done', match: { core: 1, value: 0x5ec2e7 } },
    { label: 'The IPI finally lands', event: 'ipi.received', match: { core: 1 } },
  ],
};
