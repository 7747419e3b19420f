// The simulated cost of one munmap's TLB shootdown as more cores run the mm: the curve students
// should see (Linux's IPIs grow with the cores to interrupt; ARM64's broadcast TLBI and AMD's
// INVLPGB do not). Cycles come from the cost model (src/core/costs.ts), not from real hardware.
// `npm run bench` prints it and the app's protocol comparison draws it: one implementation.
import type { OpSpec, Protocol, ScenarioSpec } from '../spec';
import { createMachine } from '../kernel/build';
import { step } from './step';

/** The core counts the curve is computed for. */
export const CURVE_CORES = [2, 4, 8, 16] as const;

const BASE = 0x7f0000000;
const va = (page: number, off = 0) => `0x${((BASE + page) * 4096 + off).toString(16)}`;

/**
 * The workload: n threads of one process, one per core. Threads 1..n-1 read page 1 (so every core
 * caches it and is in mm_cpumask), then thread 0 unmaps it while they wait, so every other core
 * must lose the entry.
 */
export function shootdownWorkload(n: number, protocol: Protocol): ScenarioSpec {
  const threads: OpSpec[][] = [
    [
      ...Array.from({ length: n - 1 }, (_, i) => ({ op: 'wait', flag: `r${i + 1}` }) as OpSpec),
      { op: 'munmap', va: va(1), pages: 1 },
      { op: 'signal', flag: 'done' },
    ],
  ];
  for (let c = 1; c < n; c++) {
    threads.push([
      { op: 'read', va: va(1) },
      { op: 'signal', flag: `r${c}` },
      { op: 'wait', flag: 'done' },
    ]);
  }
  return {
    id: 'shootdown-cost',
    title: 'One munmap shootdown',
    summary: '',
    seed: 7,
    machine: { cores: n, frames: 256, tlb: { sets: 16, ways: 4 }, protocol },
    processes: [{ pid: 1, name: 'bench', vmas: [{ start: va(0), pages: 2, prot: 'rw', populate: true }] }],
    threads: threads.map((program, i) => ({ tid: i, pid: 1, core: i, program })),
    keyMoments: [],
  };
}

export type ShootdownCost =
  /** cycles: from the shootdown's begin to its end; null when the protocol never completes one
   * (a broken variant that does not wait for acknowledgements has no end to measure). */
  { ok: true; cycles: number | null } | { ok: false; error: string };

/** Cycles of the one munmap shootdown of shootdownWorkload(n, protocol). */
export function shootdownCost(n: number, protocol: Protocol, maxSteps = 100_000): ShootdownCost {
  if (!Number.isInteger(n) || n < 2) return { ok: false, error: `cores: ${n} is not a whole number ≥ 2` };
  const built = createMachine(shootdownWorkload(n, protocol));
  if (!built.ok) return built;
  const m = built.machine;
  while (!m.done && m.step < maxSteps) {
    for (const e of step(m)) if (e.type === 'shootdown.end') return { ok: true, cycles: e.total };
  }
  return { ok: true, cycles: null };
}

export interface CostPoint {
  cores: number;
  cycles: number | null;
}

export type CostCurve = { ok: true; points: CostPoint[] } | { ok: false; error: string };

/** The shootdown's cycles for each core count under one protocol. */
export function costCurve(protocol: Protocol, cores: readonly number[] = CURVE_CORES): CostCurve {
  const points: CostPoint[] = [];
  for (const n of cores) {
    const r = shootdownCost(n, protocol);
    if (!r.ok) return r;
    points.push({ cores: n, cycles: r.cycles });
  }
  return { ok: true, points };
}
