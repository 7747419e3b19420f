import type { OpSpec, ScenarioSpec } from '../../core/spec';

// Long runs for the benchmark (seek and memory on 100,000 and 1,000,000 steps): two threads of
// one process read and write 32 mapped pages in a loop, through a small TLB (4 sets x 2 ways),
// so most accesses miss and walk. No syscalls: nothing grows with the run but the step count.

const BASE = 0x7f0000000;
const PAGES = 32;
/** Ops in one round of each thread's loop; every op here is one step. */
const BODY = 16;
/** Steps before the loops start: each core switches to its thread (measured, and tested). */
const SETUP = 6;

/**
 * 1000000 as "1,000,000", the same text as toLocaleString('en'), without Intl: the worker builds
 * these specs as it starts, and Intl's first use loads locale data (tens of milliseconds).
 */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

const va = (page: number) => `0x${((BASE + page) * 4096 + 8).toString(16)}`;

function body(t: number): OpSpec[] {
  const ops: OpSpec[] = [];
  for (let i = 0; i < BODY; i++) {
    const page = (i * 5 + t * 3) % PAGES;
    ops.push(i % 4 === 3 ? { op: 'write', va: va(page), value: i } : { op: 'read', va: va(page) });
  }
  return ops;
}

/** A run of exactly `steps` steps (at least SETUP + 2 * BODY). */
export function longRunSpec(id: string, steps: number): ScenarioSpec {
  const rounds = Math.floor((steps - SETUP) / (2 * BODY));
  const rest = steps - SETUP - rounds * 2 * BODY;
  const loop = (t: number): OpSpec[] => {
    const b = body(t);
    return [...b, { op: 'repeat', back: b.length, times: rounds - 1 }];
  };
  const pad: OpSpec[] = Array.from({ length: rest }, (_, i) => ({ op: 'read', va: va(i % PAGES) }));
  return {
    id,
    title: `Load test: a ${withCommas(steps)}-step run`,
    summary: `A load test, not a lesson: two threads of one process read and write 32 pages in a loop for ${withCommas(steps)} steps, through a TLB of 8 entries, so most accesses miss and walk the page table. It exists to measure seeking and the worker's memory on a long run (npm run bench:ui): the past is kept as a bounded number of checkpoints, and a seek replays from the nearest one.`,
    seed: 1,
    machine: { cores: 2, frames: 128, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
    processes: [
      {
        pid: 1,
        name: 'loop',
        vmas: [
          { start: va(0).replace(/008$/, '000'), pages: PAGES, prot: 'rw', name: 'data', populate: true },
        ],
      },
    ],
    threads: [
      { tid: 0, pid: 1, core: 0, program: [...loop(0), ...pad] },
      { tid: 1, pid: 1, core: 1, program: loop(1) },
    ],
    keyMoments: [],
  };
}

export const longRun100k = longRunSpec('long-run-100k', 100_000);
export const longRun1m = longRunSpec('long-run-1m', 1_000_000);
