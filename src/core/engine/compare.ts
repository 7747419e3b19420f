// One workload under several shootdown protocols: the statistics a student compares side by
// side (the CLI prints them; the app can draw them).
import { createMachine } from '../kernel/build';
import type { Protocol, ScenarioSpec } from '../spec';
import { step } from './step';

export interface ProtocolRun {
  protocol: Protocol;
  steps: number;
  ticks: number;
  ipis: number;
  /** Invalidation operations: single pages and whole-context flushes together. */
  invalidations: number;
  /** Of those, whole-context flushes (a CR3 reload, TLBI ASIDE1IS, SFENCE.VMA by ASID). */
  fullFlushes: number;
  /** IPIs that reached their target's handler (sent ones still in flight at the end are not). */
  ipisReceived: number;
  /** Cycles all initiators spent waiting for acknowledgements. */
  waitCycles: number;
  /** Cycles all targets spent in the IPI handler. */
  handlerCycles: number;
  tlbHits: number;
  tlbMisses: number;
  faults: number;
  violations: number;
  /** waitCycles and handlerCycles of each core, by core number (the totals above are their sums). */
  waitCyclesByCore: number[];
  handlerCyclesByCore: number[];
}

export type CompareResult = { ok: true; runs: ProtocolRun[] } | { ok: false; error: string };

export function compareProtocols(
  spec: ScenarioSpec,
  protocols: readonly Protocol[],
  maxSteps = 1_000_000,
): CompareResult {
  const runs: ProtocolRun[] = [];
  for (const protocol of protocols) {
    const built = createMachine({ ...spec, machine: { ...spec.machine, protocol } });
    if (!built.ok) return built;
    const m = built.machine;
    let fullFlushes = 0;
    let ipisReceived = 0;
    while (!m.done && m.step < maxSteps) {
      for (const e of step(m)) {
        if (e.type === 'tlb.invalidate' && e.scope !== 'page') fullFlushes++;
        else if (e.type === 'ipi.received' || e.type === 'sbi.rfence') ipisReceived++;
      }
    }
    const s = m.stats;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    runs.push({
      protocol,
      steps: m.step,
      ticks: m.tick,
      ipis: s.ipis,
      invalidations: s.invalidations,
      fullFlushes,
      ipisReceived,
      waitCycles: sum(s.waitCycles),
      handlerCycles: sum(s.handlerCycles),
      tlbHits: s.tlbHits,
      tlbMisses: s.tlbMisses,
      faults: s.faults,
      violations: s.violations,
      waitCyclesByCore: [...s.waitCycles],
      handlerCyclesByCore: [...s.handlerCycles],
    });
  }
  return { ok: true, runs };
}
