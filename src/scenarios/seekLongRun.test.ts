// The timeline past the first log window, as a long run uses it: seeks far apart must land on the
// machine and the step's events that stepping gives, the log they leave must hold only true
// events, and it must stay bounded however much a user scrubs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longRunSpec } from './builtin/longRun';
import type { SimEvent } from '../core/events';
import type { Machine } from '../core/machine';
import {
  createTimeline,
  eventsBetween,
  exploreStep,
  forward,
  loggedEvents,
  MAX_CHECKPOINTS,
  seek,
  startExplorer,
  type Timeline,
} from '../core/engine/timeline';

/** The machine's state as text, without physical memory's copy-on-write stamps (owner, epoch). */
function stateText(m: Machine): string {
  return JSON.stringify(m, (k, v: unknown) => (k === 'owner' || k === 'epoch' ? undefined : v));
}

const STEPS = 1_200;
const spec = longRunSpec('t', STEPS);

/** A timeline with a small log window and checkpoint cap, so a short run exercises both. */
function small(window = 16, every = 8, cap = 16): Timeline {
  const r = createTimeline(spec, spec.seed, every, cap, window);
  if (!r.ok) throw new Error(r.error);
  return r.timeline;
}

/** Every step's machine state and events, by stepping once from the start. */
function reference(): { states: string[]; events: SimEvent[][] } {
  const tl = small(1 << 30, 1 << 30);
  const states = [stateText(tl.m)];
  const events: SimEvent[][] = [];
  for (let ev = forward(tl); ev !== null; ev = forward(tl)) {
    states.push(stateText(tl.m));
    events.push(ev);
  }
  return { states, events };
}

describe('seeking in a run longer than the log window', () => {
  const ref = reference();

  it('lands on the machine and events stepping gives, and the log holds only true events (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: STEPS }), { minLength: 1, maxLength: 15 }),
        (targets) => {
          const tl = small();
          const ex = startExplorer(tl);
          while (exploreStep(tl, ex) !== null) {}
          for (const t of targets) {
            expect(seek(tl, t)).toBe(t);
            expect(stateText(tl.m)).toBe(ref.states[t]);
            if (t > 0) expect(loggedEvents(tl, t)).toEqual(ref.events[t - 1]);
          }
          for (const [s, ev] of tl.later) expect(ev).toEqual(ref.events[s - 1]);
          tl.log.forEach((ev, i) => {
            if (ev) expect(ev).toEqual(ref.events[i]);
          });
        },
      ),
      { numRuns: 12 },
    );
  });

  it('folds the steps it holds behind the current one, in order', () => {
    const tl = small(256);
    const ex = startExplorer(tl);
    while (exploreStep(tl, ex) !== null) {}
    seek(tl, 700);
    // Replay from the checkpoint before 700 logged the steps from it up to 700.
    const from = 700 - (700 % tl.every) + 1;
    expect(from).toBeGreaterThan(256);
    expect(eventsBetween(tl, from, 700)).toEqual(ref.events.slice(from - 1, 700).flat());
  });

  it('keeps the log bounded however far and often a seek jumps', () => {
    // A checkpoint every 32 steps and no thinning: each seek below is a restore, and each leaves
    // up to 32 steps logged, far from the others.
    const tl = small(16, 32, 1 << 20);
    const ex = startExplorer(tl);
    while (exploreStep(tl, ex) !== null) {}
    expect(tl.every).toBe(32);
    for (let i = 0; i < 200; i++) {
      seek(tl, (i * 389) % STEPS);
      expect(tl.later.size).toBeLessThanOrEqual(2 * tl.logWindow + tl.every);
    }
  });
});

describe('checkpoint spacing', () => {
  it('a run of a given length keeps a checkpoint every 64 steps until the cap, then doubles', () => {
    // The spacing the cap gives: a 100,000-step run replays at most 128 steps per seek.
    const spacing = (steps: number) => {
      let every = 64;
      while (Math.floor(steps / every) >= MAX_CHECKPOINTS) every *= 2;
      return every;
    };
    expect(spacing(100_000)).toBe(128);
    expect(spacing(1_000_000)).toBe(1_024);
    // The same rule, run: a timeline with a cap of 16 over 1,200 steps ends at 1200 / 16 -> 128.
    const tl = small(16, 8, 16);
    const ex = startExplorer(tl);
    while (exploreStep(tl, ex) !== null) {}
    let every = 8;
    while (Math.floor(STEPS / every) >= 16) every *= 2;
    expect(tl.every).toBe(every);
    expect(tl.checkpoints.filter(Boolean).length).toBeLessThanOrEqual(16);
  });
});
