// One workload under each fault-lock design (lesson page-lock-contention): the cycles each core
// spent spinning, side by side.
import { lockWaitByCore } from '../kernel/faultLock';
import { createMachine } from '../kernel/build';
import type { FaultLockDesign, ScenarioSpec } from '../spec';
import { step } from './step';

export interface LockRun {
  design: FaultLockDesign;
  /** Cycles each core spun on a fault lock. */
  waits: number[];
  total: number;
  /** When the last core finished. */
  ticks: number;
}

export type LockCompareResult = { ok: true; runs: LockRun[] } | { ok: false; error: string };

export function compareFaultLocks(
  spec: ScenarioSpec,
  designs: readonly FaultLockDesign[],
  maxSteps = 1_000_000,
): LockCompareResult {
  const runs: LockRun[] = [];
  for (const design of designs) {
    const built = createMachine({ ...spec, machine: { ...spec.machine, faultLock: design } });
    if (!built.ok) return built;
    const m = built.machine;
    m.record = false;
    m.monitor = false;
    while (!m.done && m.step < maxSteps) step(m);
    const waits = lockWaitByCore(m);
    runs.push({ design, waits, total: waits.reduce((a, b) => a + b, 0), ticks: m.tick });
  }
  return { ok: true, runs };
}
