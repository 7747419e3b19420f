import type { ScenarioSpec } from '../../core/spec';

// Lesson 7 (docs/lessons.md): fork shares every private page read-only and bumps the frame's
// reference count; the child's first write faults and copies (no signal); the parent's later
// write finds itself the only user and just gets write access back. fork's flush_tlb_mm of the
// parent reaches the core running the parent's other thread.
const PAGE = '0x7f0000000000';

export const copyOnWrite: ScenarioSpec = {
  id: 'copy-on-write',
  title: 'fork and copy-on-write',
  summary:
    "T0 writes 1 to a page and forks. fork write-protects the page in parent and child, raises the frame's reference count to 2, and flushes the parent's TLBs (an IPI to core 2, where the parent's other thread runs). The child writes: a protection fault, and the handler copies the frame; no signal. The parent then writes: the frame is now only its own, so it is made writable in place.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'frames', emphasis: 'dock' },
  seed: 1,
  machine: { cores: 3, frames: 128, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    { pid: 1, name: 'parent', vmas: [{ start: PAGE, pages: 1, prot: 'rw', name: 'data', populate: true }] },
    { pid: 2, name: 'child', vmas: [], forkOf: 1 },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'write', va: PAGE, value: 1 },
        { op: 'wait', flag: 't2-read' },
        { op: 'fork', child: 2 },
        { op: 'wait', flag: 'child-wrote' },
        { op: 'write', va: PAGE, value: 3 },
        { op: 'read', va: PAGE },
      ],
    },
    {
      tid: 2,
      pid: 1,
      core: 2,
      program: [
        { op: 'read', va: PAGE },
        { op: 'signal', flag: 't2-read' },
        { op: 'wait', flag: 'child-wrote' },
      ],
    },
    {
      tid: 1,
      pid: 2,
      core: 1,
      program: [
        { op: 'read', va: PAGE },
        { op: 'write', va: PAGE, value: 2 },
        { op: 'read', va: PAGE },
        { op: 'signal', flag: 'child-wrote' },
      ],
    },
  ],
  keyMoments: [
    { label: "fork write-protects the parent's page", event: 'pte.write', match: { pid: 1 } },
    { label: 'The child maps the same frame', event: 'pte.write', match: { pid: 2 } },
    { label: "flush_tlb_mm: IPI to the parent's other core", event: 'ipi.sent', match: { to: 2 } },
    { label: 'The child reads the shared frame', event: 'access.done', match: { core: 1, value: 1 } },
    { label: "The child's write faults", event: 'fault.raised', match: { core: 1, kind: 'protection' } },
    { label: 'Copy-on-write: a new frame', event: 'fault.resolved', match: { how: 'cow-copy' } },
    { label: "The parent's write faults", event: 'fault.raised', match: { core: 0, kind: 'protection' } },
    { label: 'Only user left: reuse in place', event: 'fault.resolved', match: { how: 'cow-reuse' } },
  ],
};
