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
    // Every bin of the run has its tick: no gaps over a run full of faults.
    const width = Math.ceil(end / MARK_BINS);
    expect(marks.fault.length).toBe(Math.ceil(end / width));
    expect([...marks.fault]).toEqual([...marks.fault].sort((a, b) => a - b));
  });
});
