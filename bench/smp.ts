// Multi-core measurements for `npm run bench`:
//  - events per second of a 16-core run (recording and the invariant monitor on, as the app runs
//    it) where one thread unmaps and remaps a page every 1,000 accesses, so shootdowns keep coming;
//  - the simulated cost of one munmap shootdown as the number of cores running the mm grows from
//    2 to 16 (cycles from the model's cost model, src/core/costs.ts: a result to look at, not a
//    measurement of real hardware).
import { shootdownCost } from '../src/core/engine/costCurve';
import { step } from '../src/core/engine/step';
import { createMachine } from '../src/core/kernel/build';
import type { OpSpec, Protocol, ScenarioSpec } from '../src/core/spec';

const BASE = 0x7f0000000;
const va = (page: number, off = 0) => `0x${((BASE + page) * 4096 + off).toString(16)}`;

function spec(
  cores: number,
  threads: OpSpec[][],
  pages: number,
  frames = 4096,
  protocol: Protocol = 'linux-x86',
): ScenarioSpec {
  return {
    id: 'bench-smp',
    title: 'bench',
    summary: '',
    seed: 7,
    machine: { cores, frames, tlb: { sets: 16, ways: 4 }, protocol },
    processes: [{ pid: 1, name: 'bench', vmas: [{ start: va(0), pages, prot: 'rw', populate: true }] }],
    threads: threads.map((program, i) => ({ tid: i, pid: 1, core: i, program })),
    keyMoments: [],
  };
}

/** Events per second for 16 cores, about 16 x 2,000 accesses, a munmap+mmap every 1,000 accesses. */
export function events16(): { eventsPerSec: number; events: number; shootdowns: number; ms: number } {
  const PAGES = 256;
  const threads: OpSpec[][] = [];
  let s = 12345;
  const rand = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  for (let t = 0; t < 16; t++) {
    const prog: OpSpec[] = [];
    for (let i = 0; i < 2000; i++) {
      const p = 1 + rand(PAGES - 1);
      prog.push(rand(4) === 0 ? { op: 'write', va: va(p, 8), value: i } : { op: 'read', va: va(p, 8) });
      // Thread 0 remaps page 0 each time the whole machine has made another ~1,000 accesses.
      if (t === 0 && i % Math.round(1000 / 16) === 0) {
        prog.push({ op: 'munmap', va: va(0), pages: 1 }, { op: 'mmap', va: va(0), pages: 1, prot: 'rw' });
        prog.push({ op: 'write', va: va(0), value: i });
      }
    }
    threads.push(prog);
  }
  const r = createMachine(spec(16, threads, PAGES));
  if (!r.ok) throw new Error(r.error);
  const m = r.machine;
  let events = 0;
  let shootdowns = 0;
  const t0 = performance.now();
  while (!m.done) {
    for (const e of step(m)) {
      events++;
      if (e.type === 'shootdown.begin') shootdowns++;
    }
  }
  const ms = performance.now() - t0;
  if (m.stats.violations !== 0) throw new Error('the invariant monitor fired in the benchmark run');
  return { eventsPerSec: Math.round(events / (ms / 1000)), events, shootdowns, ms };
}

/**
 * Cycles of one munmap shootdown (begin to the last ack) with n cores running the mm: the core's
 * costCurve workload (src/core/engine/costCurve.ts, which the app's comparison view draws too).
 */
export function shootdownCycles(n: number, protocol: Protocol = 'linux-x86'): number {
  const r = shootdownCost(n, protocol);
  if (!r.ok) throw new Error(r.error);
  if (r.cycles === null) throw new Error('no shootdown');
  return r.cycles;
}
