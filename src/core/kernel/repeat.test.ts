// The repeat op: a loop in a thread's program runs its body the stated number of times, nested
// loops multiply, and a loop that reaches outside the program is refused with a readable error.
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../engine/step';
import type { OpSpec, ScenarioSpec } from '../spec';
import { createMachine } from './build';

const A = '0x7f0000000008';
const B = '0x7f0000001008';

function spec(program: OpSpec[]): ScenarioSpec {
  return {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
    processes: [
      { pid: 1, name: 'p', vmas: [{ start: '0x7f0000000000', pages: 2, prot: 'rw', populate: true }] },
    ],
    threads: [{ tid: 0, pid: 1, core: 0, program }],
    keyMoments: [],
  };
}

/** The VAs of the accesses the run makes, in order. */
function accesses(program: OpSpec[]): string[] {
  const r = createMachine(spec(program));
  if (!r.ok) throw new Error(r.error);
  return runToEnd(r.machine).flatMap((e) => (e.type === 'access' ? [e.va] : []));
}

describe('repeat', () => {
  it('runs the body once plus `times` more', () => {
    const got = accesses([
      { op: 'read', va: A },
      { op: 'read', va: B },
      { op: 'repeat', back: 2, times: 3 },
    ]);
    expect(got).toEqual([A, B, A, B, A, B, A, B]);
  });

  it('times 0 runs the body once; what follows the loop runs after it', () => {
    const got = accesses([
      { op: 'read', va: A },
      { op: 'repeat', back: 1, times: 0 },
      { op: 'read', va: B },
    ]);
    expect(got).toEqual([A, B]);
  });

  it('nested loops multiply: the inner count starts afresh each outer round', () => {
    const got = accesses([
      { op: 'read', va: A },
      { op: 'repeat', back: 1, times: 1 }, // A A
      { op: 'read', va: B },
      { op: 'repeat', back: 3, times: 2 }, // (A A B) x 3
    ]);
    expect(got).toEqual([A, A, B, A, A, B, A, A, B]);
  });

  it('refuses a loop that reaches before the program', () => {
    const r = createMachine(
      spec([
        { op: 'read', va: A },
        { op: 'repeat', back: 2, times: 1 },
      ]),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/threads\[0\]\.program\[1\]: repeat: back must be 1-1/);
  });
});
