import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../core/events';
import { createTimeline, forward, seek, type Timeline } from '../core/engine/timeline';
import { findScenario } from '../scenarios/index';
import { checkRange, historyOf } from './history';

const SCENARIO = 'protocol-compare';

/** A timeline with a small log window and sparse checkpoints, so most of the past is replayed. */
function timeline(logWindow = 8): Timeline {
  const spec = findScenario(SCENARIO);
  if (!spec) throw new Error('no scenario');
  const r = createTimeline(spec, spec.seed, 16, 256, logWindow);
  if (!r.ok) throw new Error(r.error);
  while (forward(r.timeline) !== null) {}
  seek(r.timeline, 0);
  return r.timeline;
}

/** The events of every step, seen by stepping a fresh timeline one step at a time: ref[s - 1]. */
function stepped(): SimEvent[][] {
  const tl = timeline(1_000_000);
  const out: SimEvent[][] = [];
  for (;;) {
    const evs = forward(tl);
    if (evs === null) return out;
    out.push(evs);
  }
}

const ref = stepped();
const END = ref.length;

function expected(from: number, to: number): SimEvent[] {
  return ref.slice(from - 1, to).flat();
}

describe('event history of past steps', () => {
  it('the run is long enough to need replay with a window of 8 steps', () => {
    expect(END).toBeGreaterThan(60);
  });

  it('gives the events of a range, equal to stepping through it, and leaves the current step', () => {
    const tl = timeline();
    seek(tl, END - 5);
    const before = tl.m.step;
    const r = historyOf(tl, { from: 3, to: 40 });
    expect(r).toEqual({ ok: true, from: 3, to: 40, events: expected(3, 40), truncatedBefore: null });
    expect(tl.m.step).toBe(before);
    // The machine after the question is the one that was there: the next step is the same.
    expect(forward(tl)).toEqual(ref[before]);
  });

  it('reads the kept window without replay and clamps to the run', () => {
    const tl = timeline(1_000_000);
    seek(tl, END);
    const r = historyOf(tl, { from: 0, to: END + 50 });
    expect(r.ok && r.from).toBe(1);
    expect(r.ok && r.to).toBe(END);
    expect(r.ok && r.events).toEqual(expected(1, END));
  });

  it('caps the steps of one request, keeping the latest, and says so', () => {
    const tl = timeline();
    const r = historyOf(tl, { from: 1, to: 50 }, { steps: 10, events: 10_000 });
    expect(r).toEqual({ ok: true, from: 41, to: 50, events: expected(41, 50), truncatedBefore: 41 });
  });

  it('caps the events of one reply at whole steps from the end', () => {
    const tl = timeline();
    const r = historyOf(tl, { from: 1, to: END }, { steps: 10_000, events: 30 });
    if (!r.ok) throw new Error(r.error);
    expect(r.events.length).toBeLessThanOrEqual(30);
    expect(r.events.length).toBeGreaterThan(0);
    expect(r.truncatedBefore).toBe(r.from);
    expect(r.events).toEqual(expected(r.from, END));
    // One step more would have gone over the cap.
    expect(r.events.length + (ref[r.from - 2]?.length ?? 0)).toBeGreaterThan(30);
  });

  it('refuses bad ranges with an error value', () => {
    const tl = timeline();
    expect(historyOf(tl, { from: 9, to: 3 })).toEqual({ ok: false, error: 'from: 9 is after to: 3' });
    expect(historyOf(tl, { from: -1, to: 3 }).ok).toBe(false);
    expect(historyOf(tl, { from: 1.5, to: 3 }).ok).toBe(false);
    expect(historyOf(tl, { from: Number.NaN, to: 3 }).ok).toBe(false);
    expect(checkRange({ from: 2, to: 2 })).toBeNull();
  });

  it('step 0 has no events', () => {
    const tl = timeline();
    expect(historyOf(tl, { from: 0, to: 0 })).toEqual({
      ok: true,
      from: 1,
      to: 0,
      events: [],
      truncatedBefore: null,
    });
  });

  it('for any range and any current step, the history equals stepping', () => {
    const tl = timeline();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: END }),
        fc.integer({ min: 0, max: END }),
        fc.integer({ min: 0, max: END }),
        (a, b, at) => {
          seek(tl, at);
          const [from, to] = a <= b ? [a, b] : [b, a];
          const r = historyOf(tl, { from, to });
          expect(r.ok && r.events).toEqual(expected(Math.max(1, from), to));
          expect(tl.m.step).toBe(at);
        },
      ),
      { numRuns: 60 },
    );
  });
});
