import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { munmapShootdown } from './builtin/munmapShootdown';
import { deepClone } from '../core/clone';
import { createMachine } from '../core/kernel/build';
import type { Machine } from '../core/machine';
import { runToEnd } from '../core/engine/step';
import { createTimeline, forward, loggedEvents, runThrough, seek } from '../core/engine/timeline';

function log(seed: number): string {
  const r = createMachine(munmapShootdown, seed);
  if (!r.ok) throw new Error(r.error);
  return JSON.stringify(runToEnd(r.machine));
}

/** A canonical text of the machine state, typed arrays and Maps included. */
/** The machine's state as text; physical memory's copy-on-write bookkeeping (which frames a
 * checkpoint shares: owner, epoch) is not simulated state and is left out. */
function stateText(m: Machine): string {
  return JSON.stringify(m, (k, v) => {
    if (k === 'owner' || k === 'epoch') return undefined;
    if (v instanceof Map) return { map: [...v.entries()] };
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
}

describe('determinism', () => {
  it('gives a byte-identical event log for the same scenario and seed', () => {
    expect(log(1)).toBe(log(1));
    expect(log(12345)).toBe(log(12345));
  });

  it('draws its tie-breaks from the seed (some seed orders cores differently)', () => {
    const logs = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(log));
    expect(logs.size).toBeGreaterThan(1);
  });
});

describe('time travel', () => {
  function fresh(every = 8, maxCheckpoints?: number, logWindow?: number) {
    const r = createTimeline(munmapShootdown, munmapShootdown.seed, every, maxCheckpoints, logWindow);
    if (!r.ok) throw new Error(r.error);
    return r.timeline;
  }

  it('back then forward equals the original run', () => {
    const tl = fresh();
    runThrough(tl, 10_000);
    const end = tl.end as number;
    expect(end).toBeGreaterThan(20);
    const states: string[] = [];
    seek(tl, 0);
    states.push(stateText(tl.m));
    for (let s = 1; s <= end; s++) {
      seek(tl, s);
      states.push(stateText(tl.m));
    }
    // Walk back one step at a time, then forward again, comparing against the first pass.
    for (let s = end - 1; s >= 0; s--) {
      seek(tl, s);
      expect(stateText(tl.m)).toBe(states[s]);
    }
    for (let s = 1; s <= end; s++) {
      seek(tl, s);
      expect(stateText(tl.m)).toBe(states[s]);
    }
  });

  it('seeking to any step equals replaying from the start (property)', () => {
    const reference = fresh(1 << 30);
    const states: string[] = [stateText(reference.m)];
    while (forward(reference) !== null) states.push(stateText(reference.m));
    const last = states.length - 1;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: last + 5 }), { minLength: 1, maxLength: 12 }),
        (targets) => {
          const tl = fresh(5);
          for (const t of targets) {
            const reached = seek(tl, t);
            expect(reached).toBe(Math.min(t, last));
            expect(stateText(tl.m)).toBe(states[reached]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('checkpoints are independent copies', () => {
    const tl = fresh(4);
    for (let i = 0; i < 10; i++) forward(tl);
    const cp = tl.checkpoints[1] as Machine;
    const before = stateText(cp);
    for (let i = 0; i < 10; i++) forward(tl);
    expect(stateText(cp)).toBe(before);
    expect(stateText(deepClone(cp))).toBe(before);
  });

  it('thins checkpoints on a long run: never more than the cap, and seeking stays exact', () => {
    const reference = fresh(1 << 30);
    const states: string[] = [stateText(reference.m)];
    while (forward(reference) !== null) states.push(stateText(reference.m));
    const last = states.length - 1;
    // One checkpoint per step, at most 4: the spacing must double several times over the run.
    const tl = fresh(1, 4);
    while (forward(tl) !== null) expect(tl.checkpoints.filter(Boolean).length).toBeLessThanOrEqual(4);
    expect(tl.every).toBeGreaterThanOrEqual(8);
    for (const [k, cp] of tl.checkpoints.entries()) if (cp) expect(cp.step).toBe(k * tl.every);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: last }), { minLength: 1, maxLength: 10 }), (targets) => {
        for (const t of targets) {
          seek(tl, t);
          expect(stateText(tl.m)).toBe(states[t]);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('keeps only a window of the event log and recomputes the rest on a seek back', () => {
    const full = fresh(1 << 30);
    while (forward(full) !== null) {}
    const tl = fresh(4, undefined, 5);
    while (forward(tl) !== null) {}
    const end = tl.end as number;
    expect(tl.log.filter(Boolean).length + tl.later.size).toBeLessThanOrEqual(6);
    expect(tl.log[0]).toBeUndefined();
    seek(tl, 3);
    // Replay from the checkpoint at step 0 brought steps 1..3 back, identical to the first pass.
    expect(tl.log.slice(0, 3)).toEqual(full.log.slice(0, 3));
    seek(tl, end);
    expect(loggedEvents(tl, end)).toEqual(loggedEvents(full, end));
  });
});
