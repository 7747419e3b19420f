// The events of past steps, for the run-wide event log. The timeline keeps only a window of
// recent steps' events (LOG_WINDOW); a range outside it is recomputed by replay: seek to the
// step before the range (the nearest checkpoint, then forward), step through the range, and
// seek back to where the user was. The run is a pure function of (scenario, seed), so replayed
// events equal the ones seen the first time. Replies are capped so a long run stays cheap.
import type { SimEvent } from '../core/events';
import { forward, loggedEvents, seek, type Timeline } from '../core/engine/timeline';
// The caps live in protocol.ts: the UI side keeps them too when it extends the log by a step.
import { MAX_HISTORY_EVENTS, MAX_HISTORY_STEPS } from './protocol';

export interface HistoryRange {
  from: number;
  to: number;
}

export type HistoryResult =
  | {
      ok: true;
      /** The first and last step covered (after clamping to the run and capping). */
      from: number;
      to: number;
      /** Events of steps from..to in order, each with its `step`. */
      events: SimEvent[];
      /**
       * Steps before this one were asked for but left out (over MAX_HISTORY_STEPS or
       * MAX_HISTORY_EVENTS); null when nothing was left out.
       */
      truncatedBefore: number | null;
    }
  | { ok: false; error: string };

export interface HistoryCaps {
  steps: number;
  events: number;
}

const DEFAULT_CAPS: HistoryCaps = { steps: MAX_HISTORY_STEPS, events: MAX_HISTORY_EVENTS };

/** Checks a requested range (untrusted: it comes over postMessage). */
export function checkRange(r: HistoryRange): string | null {
  if (!Number.isSafeInteger(r.from) || !Number.isSafeInteger(r.to))
    return 'from/to: expected whole step numbers';
  if (r.from < 0 || r.to < 0) return 'from/to: steps are never negative';
  if (r.from > r.to) return `from: ${r.from} is after to: ${r.to}`;
  return null;
}

/** The events of steps from..to (steps start at 1; step 0 has none), capped from the end. */
export function historyOf(
  tl: Timeline,
  range: HistoryRange,
  caps: HistoryCaps = DEFAULT_CAPS,
): HistoryResult {
  const bad = checkRange(range);
  if (bad) return { ok: false, error: bad };
  // The run's last step, once known; else no further than the current step (nothing ahead ran).
  const last = tl.end ?? tl.m.step;
  const to = Math.min(range.to, last);
  let from = Math.max(1, range.from);
  let truncatedBefore: number | null = null;
  if (to - from + 1 > caps.steps) {
    from = to - caps.steps + 1;
    truncatedBefore = from;
  }
  if (from > to) return { ok: true, from, to, events: [], truncatedBefore };
  const steps = stepsEvents(tl, from, to);
  // Keep the latest events when there are too many: walk back from the end of the range.
  const out: SimEvent[][] = [];
  let count = 0;
  let first = to + 1;
  for (let i = steps.length - 1; i >= 0; i--) {
    const evs = steps[i] ?? [];
    if (count + evs.length > caps.events) {
      // One step alone over the cap: keep its last events rather than nothing.
      if (out.length === 0) {
        out.push(evs.slice(evs.length - caps.events));
        first = from + i;
      }
      truncatedBefore = first;
      break;
    }
    out.push(evs);
    count += evs.length;
    first = from + i;
  }
  const events = out.reverse().flat();
  return { ok: true, from: truncatedBefore ?? from, to, events, truncatedBefore };
}

/** Per step from..to, its events: from the kept log, or by replay when any is missing. */
function stepsEvents(tl: Timeline, from: number, to: number): SimEvent[][] {
  const kept: SimEvent[][] = [];
  for (let s = from; s <= to; s++) {
    const evs = loggedEvents(tl, s);
    if (evs === undefined) return replay(tl, from, to);
    kept.push(evs);
  }
  return kept;
}

function replay(tl: Timeline, from: number, to: number): SimEvent[][] {
  const here = tl.m.step;
  const out: SimEvent[][] = [];
  seek(tl, from - 1);
  while (tl.m.step < to) {
    const evs = forward(tl);
    if (evs === null) break;
    out.push(evs);
  }
  seek(tl, here);
  return out;
}
