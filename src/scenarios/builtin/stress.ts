import type { OpSpec, ProcessSpec, ScenarioSpec, ThreadSpec } from '../../core/spec';

// A load test rather than a lesson: 16 cores, 8 processes and over 4,096 mapped pages, with
// something happening on every core at once, so that every panel has plenty to draw. The
// benchmark (`npm run bench:ui`) plays it at full speed. Process 1 maps a 512-page data area
// and forks seven children; each process runs two threads, on an even and an odd core.

const CORES = 16;
const PROCS = 8;
/** Data pages per process: one full page table (512 PTEs), all mapped up front. */
const DATA_PAGES = 512;
const SCRATCH_PAGES = 8;
const DATA = 0x7f0000000;
const SCRATCH = 0x7f0000400;
/** Rounds of each thread's loop after the forks. */
const ROUNDS = 16;

const va = (vpn: number, off = 8) => `0x${(vpn * 4096 + off).toString(16)}`;

/** The odd core's thread: reads spread over the data area, and one write (copy-on-write). */
function workerLoop(t: number): OpSpec[] {
  const body: OpSpec[] = [];
  for (let i = 0; i < 6; i++) body.push({ op: 'read', va: va(DATA + ((t * 37 + i * 83) % DATA_PAGES)) });
  body.push({ op: 'write', va: va(DATA + ((t * 11) % DATA_PAGES)), value: t });
  // Some work between rounds, so that a round takes about as long as the leader's (whose
  // syscalls cost far more cycles) and the worker still runs the mm when the leader flushes.
  body.push({ op: 'compute', cycles: 3000 });
  return [...body, { op: 'repeat', back: body.length, times: ROUNDS + 1 }];
}

/**
 * The even core's thread: churns one scratch page. Each mprotect to read-only and each munmap
 * changes a PTE the odd core may have cached, so each is a shootdown to it.
 */
function leaderLoop(t: number): OpSpec[] {
  const page = va(SCRATCH + (t % SCRATCH_PAGES), 0);
  const body: OpSpec[] = [
    { op: 'read', va: va(DATA + ((t * 53) % DATA_PAGES)) },
    { op: 'write', va: page, value: t },
    { op: 'mprotect', va: page, pages: 1, prot: 'r' },
    { op: 'mprotect', va: page, pages: 1, prot: 'rw' },
    { op: 'munmap', va: page, pages: 1 },
    { op: 'mmap', va: page, pages: 1, prot: 'rw' },
  ];
  return [...body, { op: 'repeat', back: body.length, times: ROUNDS - 1 }];
}

/** The odd core's thread also reads the leader's scratch page, so it caches what is flushed. */
function workerProgram(t: number): OpSpec[] {
  return [{ op: 'read', va: va(SCRATCH + ((t - 1) % SCRATCH_PAGES)) }, ...workerLoop(t)];
}

const processes: ProcessSpec[] = [
  {
    pid: 1,
    name: 'load-1',
    vmas: [
      { start: va(DATA, 0), pages: DATA_PAGES, prot: 'rw', name: 'data', populate: true },
      { start: va(SCRATCH, 0), pages: SCRATCH_PAGES, prot: 'rw', name: 'scratch', populate: true },
    ],
  },
  ...Array.from({ length: PROCS - 1 }, (_, k) => ({
    pid: k + 2,
    name: `load-${k + 2}`,
    vmas: [],
    forkOf: 1,
  })),
];

const threads: ThreadSpec[] = [];
for (let c = 0; c < CORES; c++) {
  const pid = Math.floor(c / 2) + 1;
  let program: OpSpec[];
  if (c === 0) {
    // The parent's first thread forks the seven children, then joins in.
    program = [
      ...Array.from({ length: PROCS - 1 }, (_, k): OpSpec => ({ op: 'fork', child: k + 2 })),
      { op: 'signal', flag: 'forked' },
      ...leaderLoop(c),
    ];
  } else {
    // The others touch a data page as soon as their process exists, then wait for the last fork
    // so that all sixteen cores are busy at once.
    program = [
      { op: 'read', va: va(DATA + ((c * 29) % DATA_PAGES)) },
      { op: 'wait', flag: 'forked' },
      ...(c % 2 === 0 ? leaderLoop(c) : workerProgram(c)),
    ];
  }
  threads.push({ tid: c, pid, core: c, program });
}

export const stress16: ScenarioSpec = {
  id: 'stress-16',
  title: 'Load test: 16 cores, 8 processes, 4,096+ mapped pages',
  summary:
    'A load test, not a lesson: process 1 maps 512 data pages and 8 scratch pages and forks seven children, so eight address spaces map over 4,096 pages (fork copies every PTE, write-protected for copy-on-write). Each process runs two threads on neighbouring cores: one reads across the data and writes one page (a copy-on-write fault), the other changes a scratch page with mprotect and munmap, each a TLB shootdown to its neighbour. It exists to exercise every panel at once (npm run bench:ui plays it at full speed); the page-table panel shows only the first entries of such large tables.',
  seed: 16,
  machine: { cores: CORES, frames: 8192, tlb: { sets: 16, ways: 4 }, protocol: 'linux-x86' },
  processes,
  threads,
  keyMoments: [
    { label: 'The first child is forked', event: 'syscall.exit', match: { name: 'fork', ret: 2 } },
    {
      label: 'The last child is forked: 8 processes',
      event: 'syscall.exit',
      match: { name: 'fork', ret: 8 },
    },
    {
      label: 'A copy-on-write fault copies a data page',
      event: 'fault.resolved',
      match: { how: 'cow-copy' },
    },
    { label: 'A scratch-page shootdown', event: 'shootdown.begin' },
  ],
};
