// Fault locks: one address-space spinlock serializes ten faults on ten pages; per-page locks do not.
import { describe, expect, it } from 'vitest';
import { pageLockContention, pageLockContentionPerPage } from './pageLockContention';
import { DEFAULT_COSTS } from '../../core/costs';
import { runToEnd } from '../../core/engine/step';
import type { SimEvent } from '../../core/events';
import type { OpSpec, ScenarioSpec } from '../../core/spec';
import { createMachine } from '../../core/kernel/build';
import { lockWaitByCore } from '../../core/kernel/faultLock';

function run(spec: ScenarioSpec): { ev: SimEvent[]; waits: number[] } {
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const ev = runToEnd(r.machine);
  return { ev, waits: lockWaitByCore(r.machine) };
}

// One fault's hold of the lock, from the cost model: take the lock, the handler's bookkeeping,
// zero a frame, write the PTE, release the lock.
const c = DEFAULT_COSTS;
const HOLD = c.small + (c.small + c.zeroFrame + c.pteWrite) + c.small;

describe('page-lock-contention', () => {
  it('one address-space spinlock: the k-th core in line spins k whole faults', () => {
    const { ev, waits } = run(pageLockContention);
    expect(HOLD).toBe(1070);
    expect([...waits].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => k * HOLD));
    expect(waits.reduce((a, b) => a + b, 0)).toBe(45 * HOLD);
    // Every hold is one fault long, and the ten faults never overlap.
    const holds = ev.flatMap((e) => (e.type === 'lock.release' ? [e.held] : []));
    expect(holds).toEqual(Array(10).fill(HOLD));
    expect(ev.filter((e) => e.type === 'fault.resolved' && e.how === 'demand-zero')).toHaveLength(10);
  });

  it('per-page locks: ten faults on ten pages, no core waits', () => {
    const { ev, waits } = run(pageLockContentionPerPage);
    expect(waits).toEqual(Array(10).fill(0));
    expect(ev.some((e) => e.type === 'lock.wait')).toBe(false);
    expect(ev.filter((e) => e.type === 'lock.acquire')).toHaveLength(10);
    // Each write reached its own frame with its own value.
    const stores = ev.flatMap((e) => (e.type === 'access.done' ? [e.value] : []));
    expect([...stores].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('per-page locks still serialize two faults on the same page', () => {
    const same: ScenarioSpec = {
      ...pageLockContentionPerPage,
      threads: [0, 1].map((i) => ({
        tid: i,
        pid: 1,
        core: i,
        program: [{ op: 'write', va: '0x7f0000300000', value: i + 1 } as OpSpec],
      })),
    };
    const { ev, waits } = run(same);
    expect(waits.slice(0, 2).sort((a, b) => a - b)).toEqual([0, HOLD]);
    // The second fault finds the PTE already there: a spurious fault, nothing allocated twice.
    const how = ev.flatMap((e) => (e.type === 'fault.resolved' ? [e.how] : []));
    expect(how).toEqual(['demand-zero', 'spurious']);
  });
});
