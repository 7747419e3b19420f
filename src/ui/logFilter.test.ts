import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventBody, SimEvent } from '../core/events';
import { categoryOf } from './format';
import { matchesFilter, NO_FILTER, newestStepFirst, rowText, typesIn, visibleRows } from './logFilter';

/** A made-up run: three steps of a shootdown on cores 0-2, repeated with growing step numbers. */
function run(): SimEvent[] {
  const body: [number, EventBody][] = [
    [1, { type: 'tlb.miss', core: 1, va: '0x7f0000011000' }],
    [
      1,
      {
        type: 'fault.raised',
        core: 1,
        tid: 1,
        va: '0x7f0000011000',
        kind: 'not-present',
        errorCode: 4,
        access: 'read',
      },
    ],
    [2, { type: 'ipi.sent', from: 0, to: 1, reason: 'flush' }],
    [2, { type: 'ipi.sent', from: 0, to: 2, reason: 'flush' }],
    [2, { type: 'shootdown.wait', core: 0, pending: [1, 2] }],
    [3, { type: 'ipi.received', core: 1, from: 0 }],
    [3, { type: 'ipi.acked', from: 1, to: 0 }],
    [3, { type: 'tlb.miss', core: 12, va: '0x400000' }],
  ];
  const out: SimEvent[] = [];
  for (let r = 0; r < 5; r++)
    for (const [s, b] of body) out.push({ ...b, step: s + 3 * r, tick: 100 * (s + 3 * r) } as SimEvent);
  return out;
}

const events = run();

describe('event log filter', () => {
  it('keeps everything with no filter', () => {
    expect(events.every((e) => matchesFilter(e, NO_FILTER))).toBe(true);
  });

  it('filters by category and by one event type', () => {
    const ipi = events.filter((e) => matchesFilter(e, { kind: 'cat:ipi', text: '' }));
    expect(ipi.length).toBeGreaterThan(0);
    expect(ipi.every((e) => categoryOf(e.type) === 'ipi')).toBe(true);
    const sent = events.filter((e) => matchesFilter(e, { kind: 'type:ipi.sent', text: '' }));
    expect(sent.map((e) => e.type)).toEqual(events.filter((e) => e.type === 'ipi.sent').map((e) => e.type));
  });

  it('key=value matches a field exactly, core= also an IPI target', () => {
    const c1 = events.filter((e) => matchesFilter(e, { kind: 'all', text: 'core=1' }));
    expect(c1.length).toBeGreaterThan(0);
    for (const e of c1) {
      const ipiEnd = e.type.startsWith('ipi.') && 'to' in e && 'from' in e && (e.to === 1 || e.from === 1);
      const onCore = 'core' in e && e.core === 1;
      expect(onCore || ipiEnd).toBe(true);
    }
    expect(c1.some((e) => e.type === 'ipi.sent' && e.to === 1)).toBe(true);
    // Exact: core=1 is not core 12.
    expect(c1.some((e) => 'core' in e && e.core === 12)).toBe(false);
    expect(events.filter((e) => matchesFilter(e, { kind: 'all', text: 'core=12' }))).toHaveLength(5);
  });

  it('a hex term matches addresses that start with it; terms must all match', () => {
    const va = events.find((e) => e.type === 'tlb.miss');
    if (va?.type !== 'tlb.miss') throw new Error('no miss');
    const hits = events.filter((e) => matchesFilter(e, { kind: 'all', text: `va=${va.va.slice(0, 8)}` }));
    expect(hits).toContain(va);
    const both = events.filter((e) => matchesFilter(e, { kind: 'all', text: `tlb.miss ${va.va}` }));
    expect(both.every((e) => e.type === 'tlb.miss' && rowText(e).includes(va.va))).toBe(true);
  });

  it('orders newest step first, each step in its own order, and loses nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: events.length }),
        fc.integer({ min: 0, max: events.length }),
        (a, b) => {
          const slice = events.slice(Math.min(a, b), Math.max(a, b));
          const out = newestStepFirst(slice, NO_FILTER);
          expect(out).toHaveLength(slice.length);
          for (let i = 1; i < out.length; i++) {
            const p = out[i - 1] as SimEvent;
            const q = out[i] as SimEvent;
            expect(q.step <= p.step).toBe(true);
            if (q.step === p.step) expect(slice.indexOf(q)).toBeGreaterThan(slice.indexOf(p));
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('lists the types present, sorted', () => {
    const t = typesIn(events);
    expect(t).toEqual([...t].sort());
    expect(t).toContain('ipi.sent');
  });

  it('renders only the rows in view, with slack, within the list', () => {
    expect(visibleRows(0, 100, 25, 1000, 2)).toEqual({ start: 0, end: 6 });
    expect(visibleRows(500, 100, 25, 1000, 2)).toEqual({ start: 18, end: 26 });
    expect(visibleRows(500, 100, 25, 10, 2)).toEqual({ start: 10, end: 10 });
  });
});
