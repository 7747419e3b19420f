import type { FaultLockDesign, KeyMoment, OpSpec, ScenarioSpec } from '../../core/spec';

// Lesson 21 (docs/lessons.md; seed 002): ten threads on ten cores each write a different,
// not-yet-touched page of one process at the same moment, so ten page faults start together.
// `page-lock-contention`: the toy kernel of the seed holds one address-space spinlock across
// the whole fault: the faults run one after another and core k spins through k faults.
// `page-lock-contention-per-page`: one lock per page: nobody waits.
// Linux does neither (mmap_lock or the per-VMA lock for read, the split PTE lock only around
// the PTE update): see src/core/kernel/faultLock.ts.
const HEAP = 0x7f0000300000;
const page = (i: number) => `0x${(HEAP + i * 4096).toString(16)}`;
const CORES = 10;

function contention(design: Exclude<FaultLockDesign, 'none'>): ScenarioSpec {
  const single = design === 'mm-spinlock';
  const moments: KeyMoment[] = single
    ? [
        { label: 'Ten faults start together', event: 'fault.raised' },
        { label: 'One core takes the address-space lock', event: 'lock.acquire', match: { waited: 0 } },
        { label: 'The other nine spin behind it', event: 'lock.wait', match: { queue: 9 } },
        { label: 'The first fault is done: the lock passes to the next in line', event: 'lock.release' },
        { label: 'The next core gets it after spinning through a whole fault', event: 'lock.acquire' },
        { label: 'The first faulting thread finishes its write', event: 'thread.exit' },
      ]
    : [
        { label: 'Ten faults start together', event: 'fault.raised' },
        { label: 'Each core takes its own page lock at once', event: 'lock.acquire', match: { waited: 0 } },
        { label: 'A fault is done and its page lock released', event: 'lock.release' },
        { label: 'A thread finishes its write, having waited for no one', event: 'thread.exit' },
      ];
  return {
    id: single ? 'page-lock-contention' : 'page-lock-contention-per-page',
    title: single ? 'Page faults under one address-space spinlock' : 'Page faults under per-page locks',
    summary: single
      ? "Ten threads on ten cores each write a different fresh page of one process at the same moment: ten page faults at once. This kernel (the seed's toy design) holds one spinlock for the whole address space across each fault: find the VMA, allocate and zero a frame, write the PTE. So the faults run one after another: core k spins for the k faults ahead of it, and the spinning cores do nothing useful. Compare with page-lock-contention-per-page; `npm run -s vmscope -- locks page-lock-contention` prints both designs' spin cycles per core side by side. Linux does neither: a fault takes mmap_lock only for read (or, since 6.4, the VMA's own lock, also for read), zeroes the frame with no lock held, and holds the page table's split PTE spinlock only to install the PTE."
      : 'The same ten faults with one lock per page: each core takes the lock of its own page and nobody waits; all ten faults overlap. A per-page lock only makes two faults on the same page wait for each other. Linux gets the same overlap another way: mmap_lock (or the per-VMA lock) for read, and the split PTE lock held only around the PTE update.',
    // Which panels this lesson is about (src/state/layout.ts applies it).
    layout: { dock: 'cores', emphasis: 'dock' },
    seed: 1,
    machine: {
      cores: CORES,
      frames: 128,
      tlb: { sets: 4, ways: 2 },
      protocol: 'linux-x86',
      faultLock: design,
    },
    processes: [
      { pid: 1, name: 'workers', vmas: [{ start: page(0), pages: CORES, prot: 'rw', name: 'heap' }] },
    ],
    threads: Array.from({ length: CORES }, (_, i) => ({
      tid: i,
      pid: 1,
      core: i,
      program: [{ op: 'write', va: page(i), value: i + 1 } as OpSpec],
    })),
    keyMoments: moments,
  };
}

export const pageLockContention = contention('mm-spinlock');
export const pageLockContentionPerPage = contention('page-lock');
