import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../events';
import { eventMarker, MARK_BINS } from './eventMarks';

const ev = (type: string) => ({ type, step: 0, tick: 0 }) as unknown as SimEvent;

describe('eventMarker', () => {
  it('records the steps of faults, IPIs and violations, once per step', () => {
    const m = eventMarker();
    m.feed(1, [ev('access')]);
    m.feed(2, [ev('fault.raised'), ev('fault.raised')]);
    m.feed(3, [ev('ipi.sent'), ev('invariant.violated')]);
    m.feed(4, [ev('ipi.sent')]);
    expect(m.finish(10)).toEqual({ fault: [2], ipi: [3, 4], violation: [3] });
  });

  it('keeps at most one tick per bin, the first, however long the run', () => {
    const m = eventMarker();
    const end = 100_000;
    for (let s = 1; s <= end; s++) m.feed(s, [ev('fault.raised')]);
    const marks = m.finish(end);
    expect(marks.fault.length).toBeLessThanOrEqual(MARK_BINS);
    expect(marks.fault[0]).toBe(1);
    // Every bin of the run has its tick: no gaps over a run full of faults. Long runs are thinned
    // as they are fed, to bins a power of two wide, so a bin is at most twice the exact width.
    const width = (marks.fault[1] ?? 0) - (marks.fault[0] ?? 0);
    expect(width).toBeGreaterThanOrEqual(Math.ceil(end / MARK_BINS));
    expect(width).toBeLessThanOrEqual(2 * Math.ceil(end / MARK_BINS));
    expect(marks.fault).toEqual(Array.from({ length: Math.ceil(end / width) }, (_, i) => 1 + i * width));
  });

  it('a short run keeps exactly the first step of each bin of end / MARK_BINS steps', () => {
    const m = eventMarker();
    const end = 5_000;
    const steps: number[] = [];
    for (let s = 1, x = 7; s <= end; s++) {
      x = (x * 48271) % 2147483647;
      if (x % 5 === 0) {
        steps.push(s);
        m.feed(s, [ev('ipi.sent')]);
      }
    }
    const width = Math.ceil(end / MARK_BINS);
    const want: number[] = [];
    for (const s of steps)
      if (want.length === 0 || Math.floor(((want.at(-1) ?? 0) - 1) / width) !== Math.floor((s - 1) / width))
        want.push(s);
    expect(m.finish(end).ipi).toEqual(want);
  });
});
