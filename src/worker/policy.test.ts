import { describe, expect, it } from 'vitest';
import { type PolicyName, runPolicy } from '../core/ostep/policy';
import {
  CLOCK_BITS,
  CLOCK_SEED,
  openPolicy,
  POLICY_REFS,
  type PolicySession,
  policyEnd,
  policyOptions,
  policyRunUntil,
  policySeek,
  policyView,
  VIEW_POLICIES,
} from './policy';
import { POLICY_FRAMES } from './protocol';

function open(frames = 3): PolicySession {
  const r = openPolicy({ id: 'belady', frames });
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

function solved(policy: PolicyName, frames: number) {
  const r = runPolicy(policyOptions(policy, POLICY_REFS.belady, frames));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('page-replacement view', () => {
  it("runs Belady's string, four columns, nothing reached at step 0", () => {
    const v = policyView(open());
    expect(v.input.refs).toEqual([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]);
    expect(v.step).toBe(0);
    expect(v.end).toBe(12);
    expect(v.columns.map((c) => c.policy)).toEqual(['FIFO', 'LRU', 'OPT', 'CLOCK']);
    for (const c of v.columns) {
      expect(c.hits + c.misses).toBe(0);
      expect(c.rows.every((r) => r.state === 'todo' && r.hit === null && r.memory === null)).toBe(true);
    }
    expect(v.narration[0]).toMatch(/3 page frames/);
  });

  for (const frames of [3, 4]) {
    for (const policy of VIEW_POLICIES) {
      it(`${policy} with ${frames} frames matches runPolicy at every step`, () => {
        const want = solved(policy, frames);
        const s = open(frames);
        for (let step = 0; step <= policyEnd(s); step++) {
          policySeek(s, step);
          const c = policyView(s).columns.find((x) => x.policy === policy);
          expect(c).toBeDefined();
          if (!c) return;
          const last = want.steps[step - 1];
          expect(c.hits).toBe(last?.hits ?? 0);
          expect(c.misses).toBe(last?.misses ?? 0);
          c.rows.forEach((row, n) => {
            const w = want.steps[n];
            expect(row.page).toBe(w?.page);
            if (n < step) {
              expect(row).toMatchObject({ hit: w?.hit, evicted: w?.evicted, memory: w?.memory });
              expect(row.state).toBe(n === step - 1 ? 'now' : 'done');
            } else {
              expect(row).toMatchObject({ state: 'todo', hit: null, evicted: null, memory: null });
            }
          });
        }
        expect(rateOf(policyView(s).columns, policy)).toBe(`${((100 * want.hits) / 12).toFixed(1)}%`);
      });
    }
  }

  it("shows Belady's anomaly for FIFO: 9 misses with 3 frames, 10 with 4", () => {
    expect(solved('FIFO', 3).misses).toBe(9);
    expect(solved('FIFO', 4).misses).toBe(10);
    const s3 = open(3);
    policySeek(s3, 99);
    const v3 = policyView(s3);
    expect(v3.step).toBe(12);
    expect(v3.columns[0]?.misses).toBe(9);
    expect(v3.fifoMisses).toEqual(
      POLICY_FRAMES.map((f) => ({ frames: f, misses: solved('FIFO', f).misses })),
    );
    expect(v3.narration.join(' ')).toMatch(
      /Belady's anomaly: FIFO misses 9 times with 3 frames but 10 times with 4/,
    );
    const s4 = open(4);
    policySeek(s4, 12);
    expect(policyView(s4).columns[0]?.misses).toBe(10);
  });

  it('runs CLOCK with seed 0 and 2 clock bits, deterministically', () => {
    expect([CLOCK_SEED, CLOCK_BITS]).toEqual([0, 2]);
    const a = policyView(open(3)).columns[3];
    const b = policyView(open(3)).columns[3];
    expect(a).toEqual(b);
    expect(a?.rule).toMatch(/seed 0/);
  });

  it('Next fault stops at the next reference some policy misses', () => {
    const s = open(3);
    const misses = (i: number) => VIEW_POLICIES.some((p) => solved(p, 3).steps[i]?.hit === false);
    let prev = 0;
    for (;;) {
      policyRunUntil(s, 'fault');
      if (s.step === prev) break;
      for (let i = prev; i < s.step - 1; i++) expect(misses(i)).toBe(false);
      if (s.step < 12) expect(misses(s.step - 1)).toBe(true);
      prev = s.step;
    }
    expect(s.step).toBe(12);
  });

  it('refuses a cache size it does not offer', () => {
    expect(openPolicy({ id: 'belady', frames: 0 }).ok).toBe(false);
    expect(openPolicy({ id: 'belady', frames: 99 }).ok).toBe(false);
  });
});

function rateOf(cols: { policy: string; rate: string }[], policy: string): string | undefined {
  return cols.find((c) => c.policy === policy)?.rate;
}
