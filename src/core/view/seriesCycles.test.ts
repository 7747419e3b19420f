import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../events';
import { statsSeries } from './series';

/** The cycles series of steps from..from + n - 1. */
const cyclesPerStep = (h: SimEvent[], _start: number, from: number, n: number) =>
  statsSeries(h, from + n - 1, n).cycles;

/** A history of `signal`-like events at (step, tick), several per step allowed. */
function history(at: [number, number][]): SimEvent[] {
  return at.map(
    ([step, tick]) => ({ type: 'sync.signal', core: 0, tid: 0, flag: 'f', step, tick }) as SimEvent,
  );
}

const start = (h: SimEvent[], from: number) => {
  const i = h.findIndex((e) => e.step >= from);
  return i < 0 ? h.length : i;
};

describe('cycles per step', () => {
  it('counts the clock advance at each step with events; a step without events counts 0', () => {
    const h = history([
      [1, 0],
      [2, 10],
      [2, 10],
      [4, 50],
      [5, 50],
      [6, 90],
    ]);
    expect(cyclesPerStep(h, 0, 1, 6)).toEqual([0, 10, 0, 40, 0, 40]);
    // A window from step 4 starts from the clock before it (step 2's).
    expect(cyclesPerStep(h, start(h, 4), 4, 3)).toEqual([40, 0, 40]);
  });

  it('sums over any window to the clock at its end minus the clock before it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 500 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 80 }),
        (gaps, fromRaw) => {
          const at: [number, number][] = [];
          let step = 0;
          let tick = 0;
          for (const [g, dt] of gaps) {
            step += g + 1;
            tick += dt;
            at.push([step, tick]);
          }
          const h = history(at);
          const from = Math.min(fromRaw, step);
          const n = step - from + 1;
          const i = start(h, from);
          const before = i > 0 ? (h[i - 1] as SimEvent).tick : 0;
          const sum = cyclesPerStep(h, i, from, n).reduce((a, b) => a + b, 0);
          expect(sum).toBe(tick - before);
        },
      ),
    );
  });
});
