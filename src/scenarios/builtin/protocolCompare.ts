import type { OpSpec, ScenarioSpec } from '../../core/spec';

// Lesson 18 (docs/lessons.md), the workload: six cores, a process with threads on five of them
// (one sleeping, so its core is lazy) and another process on the sixth. T0 unmaps 4 pages the
// others have cached, one at a time. Run it under each protocol with
// `vmscope compare protocol-compare` to compare IPIs, invalidations and cycles.
const page = (i: number, off = 0) => `0x${((0x7f0000010 + i) * 4096 + off).toString(16)}`;
const touch: OpSpec[] = [0, 1, 2, 3].map((i) => ({ op: 'read', va: page(i, 8) }) as OpSpec);

export const protocolCompare: ScenarioSpec = {
  id: 'protocol-compare',
  title: 'One workload, several shootdown protocols',
  summary:
    'Five threads of one process cache four pages on cores 1-4 (T4 then sleeps: core 4 is lazy); core 5 runs another process. T0 unmaps the pages one by one. Shown here under Linux x86; Compare side by side runs it under Linux x86, the counter-based kernel of seed 000, the RISC-V SBI remote fence, the ARM64 TLBI broadcast, AMD INVLPGB and the lazy kernel, and draws IPIs, invalidations and cycles side by side (`npm run -s vmscope -- compare protocol-compare` prints the numbers).',
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'ipi', emphasis: 'dock' },
  seed: 1,
  machine: { cores: 6, frames: 256, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    {
      pid: 1,
      name: 'app',
      vmas: [
        { start: '0x7f0000000000', pages: 1, prot: 'rw', name: 'heap', populate: true },
        { start: page(0), pages: 4, prot: 'rw', name: 'buffers', populate: true },
      ],
    },
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
        ...[1, 2, 3, 4].map((c) => ({ op: 'wait', flag: `cached-${c}` }) as OpSpec),
        ...[0, 1, 2, 3].map((i) => ({ op: 'munmap', va: page(i), pages: 1 }) as OpSpec),
        { op: 'signal', flag: 'done' },
      ],
    },
    ...[1, 2, 3].map((c) => ({
      tid: c,
      pid: 1,
      core: c,
      program: [...touch, { op: 'signal', flag: `cached-${c}` }, { op: 'wait', flag: 'done' }] as OpSpec[],
    })),
    {
      tid: 4,
      pid: 1,
      core: 4,
      program: [...touch, { op: 'signal', flag: 'cached-4' }, { op: 'sleep', flag: 'done' }],
    },
    {
      tid: 5,
      pid: 2,
      core: 5,
      program: [
        { op: 'read', va: '0x400000' },
        { op: 'wait', flag: 'done' },
      ],
    },
  ],
  keyMoments: [
    {
      label: 'First shootdown: cores 1-3, lazy core 4 skipped',
      event: 'shootdown.begin',
      match: { pages: 1 },
    },
    { label: 'First shootdown done', event: 'shootdown.end' },
    { label: 'Last page unmapped', event: 'syscall.exit', match: { name: 'munmap' } },
  ],
};
