// Per-step counters over the last SERIES_STEPS steps, for the statistics panel's charts: TLB
// hits, misses, IPIs and faults per step. The same quantities as Machine.stats (each counter
// there goes up exactly where its event is emitted), counted from the events of the last steps
// only: a binary search finds where they start in the event history, so the cost per snapshot
// is O(SERIES_STEPS x events per step), never O(run length).
import type { SimEvent } from '../events';

/** Steps the series covers, ending at the current step. Every built-in lesson fits. */
export const SERIES_STEPS = 256;

export interface StatsSeries {
  /** The step of index 0 of each array; index i counts the events of step `from + i`. */
  from: number;
  /** The last step covered (the current step). */
  to: number;
  hits: number[];
  misses: number[];
  ipis: number[];
  faults: number[];
  /**
   * Simulated cycles the clock advanced at each step. Every event of a step carries the step's
   * clock (m.tick, src/core/engine/step.ts), so a step's count is its clock minus that of the
   * last earlier step with events (a step without events counts 0; its time lands on the next).
   */
  cycles: number[];
}

/** The index of the first event of `history` with step >= `step` (history is in step order). */
function firstAtOrAfter(history: readonly SimEvent[], step: number): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((history[mid] as SimEvent).step < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The counters of steps max(1, step - SERIES_STEPS + 1) .. step from `history` (the events of
 * steps 1..step, in order). Step 0 (before anything ran) has an empty series.
 */
export function statsSeries(history: readonly SimEvent[], step: number, steps = SERIES_STEPS): StatsSeries {
  const from = Math.max(1, step - steps + 1);
  const n = Math.max(0, step - from + 1);
  const zeros = () => new Array<number>(n).fill(0);
  const first = firstAtOrAfter(history, from);
  const out: StatsSeries = {
    from,
    to: step,
    hits: zeros(),
    misses: zeros(),
    ipis: zeros(),
    faults: zeros(),
    cycles: zeros(),
  };
  // The clock before the window: the last event before it (the run starts at cycle 0).
  let clock = first > 0 ? (history[first - 1] as SimEvent).tick : 0;
  let clockStep = -1;
  for (let i = first; i < history.length; i++) {
    const e = history[i] as SimEvent;
    const k = e.step - from;
    if (k < 0 || k >= n) continue;
    if (e.step !== clockStep) {
      out.cycles[k] = e.tick - clock;
      clock = e.tick;
      clockStep = e.step;
    }
    switch (e.type) {
      case 'tlb.hit':
        out.hits[k] = (out.hits[k] ?? 0) + 1;
        break;
      case 'tlb.miss':
        out.misses[k] = (out.misses[k] ?? 0) + 1;
        break;
      case 'ipi.sent':
        out.ipis[k] = (out.ipis[k] ?? 0) + 1;
        break;
      case 'fault.raised':
        out.faults[k] = (out.faults[k] ?? 0) + 1;
        break;
      default:
        break;
    }
  }
  return out;
}
