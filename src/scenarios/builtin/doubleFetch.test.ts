// The double fetch: the buggy ioctl uses a length it never checked; the fixed one cannot.
import { describe, expect, it } from 'vitest';
import { doubleFetch, doubleFetchFixed } from './doubleFetch';
import { runToEnd } from '../../core/engine/step';
import type { SimEvent } from '../../core/events';
import type { ScenarioSpec } from '../../core/spec';
import { createMachine } from '../../core/kernel/build';

function run(spec: ScenarioSpec): SimEvent[] {
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  return runToEnd(r.machine);
}

function fetches(ev: SimEvent[]) {
  return ev.flatMap((e) => (e.type === 'uaccess.fetch' ? [{ n: e.n, value: e.value, into: e.into }] : []));
}

/** Index of T1's store of the new length. */
function raceWrite(ev: SimEvent[]): number {
  return ev.findIndex((e) => e.type === 'access.done' && e.tid === 1 && e.kind === 'write');
}

describe('double fetch', () => {
  it('fetching twice: the check sees 8, the copy uses 64, which no check saw, and overflows', () => {
    const ev = run(doubleFetch);
    const f = fetches(ev);
    expect(f).toEqual([
      { n: 1, value: 8, into: 'check' },
      { n: 2, value: 64, into: 'use' },
    ]);
    // T1's store falls between the two fetches: that is the window.
    const first = ev.findIndex((e) => e.type === 'uaccess.fetch' && e.n === 1);
    const second = ev.findIndex((e) => e.type === 'uaccess.fetch' && e.n === 2);
    expect(raceWrite(ev)).toBeGreaterThan(first);
    expect(raceWrite(ev)).toBeLessThan(second);
    expect(ev.find((e) => e.type === 'uaccess.check')).toMatchObject({ value: 8, limit: 16, ok: true });
    expect(ev.find((e) => e.type === 'kernel.overflow')).toMatchObject({
      allocated: 32,
      written: 256,
      over: 224,
      checked: 8,
      used: 64,
    });
  });

  it('copying once: the same store lands at the same point, and the kernel uses the value it checked', () => {
    const ev = run(doubleFetchFixed);
    expect(fetches(ev)).toEqual([{ n: 1, value: 8, into: 'kernel-copy' }]);
    const check = ev.findIndex((e) => e.type === 'uaccess.check');
    const copy = ev.findIndex((e) => e.type === 'uaccess.copy');
    expect(raceWrite(ev)).toBeGreaterThan(check);
    expect(raceWrite(ev)).toBeLessThan(copy);
    expect(ev[copy]).toMatchObject({ bytes: 32 });
    expect(ev.some((e) => e.type === 'kernel.overflow')).toBe(false);
    expect(ev.find((e) => e.type === 'syscall.exit')).toMatchObject({ name: 'ioctl', ret: 32 });
  });

  it('a length above the limit is refused before any copy', () => {
    const spec: ScenarioSpec = {
      ...doubleFetch,
      threads: [
        {
          tid: 0,
          pid: 1,
          core: 0,
          program: [
            { op: 'write', va: '0x7f0000200000', value: 17 },
            { op: 'ioctl', va: '0x7f0000200000', limit: 16, fetch: 'once' },
          ],
        },
      ],
    };
    const ev = run(spec);
    expect(ev.find((e) => e.type === 'uaccess.check')).toMatchObject({ value: 17, ok: false });
    expect(ev.find((e) => e.type === 'syscall.exit')).toMatchObject({ ret: -22 });
    expect(ev.some((e) => e.type === 'uaccess.copy')).toBe(false);
  });
});
