import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../core/view/snapshot';
import { shareSnapshot } from './shareSnapshot';

const snap = (tlbFlags: string[], step: number) =>
  ({
    scenarioId: 's',
    step,
    tlbs: tlbFlags.map((f, core) => ({ core, entries: [{ va: '0x1000', flags: f }] })),
    cores: tlbFlags.map((_, id) => ({ id, now: 10 })),
    threads: [],
  }) as unknown as Snapshot;

describe('shareSnapshot', () => {
  it('keeps the previous object for each unchanged core and a new one for a changed core', () => {
    const prev = snap(['RW', 'RW', 'RO'], 1);
    const next = shareSnapshot(snap(['RW', 'RO', 'RO'], 2), prev);
    expect(next.tlbs[0]).toBe(prev.tlbs[0]);
    expect(next.tlbs[1]).not.toBe(prev.tlbs[1]);
    expect(next.tlbs[1]).toEqual({ core: 1, entries: [{ va: '0x1000', flags: 'RO' }] });
    expect(next.tlbs[2]).toBe(prev.tlbs[2]);
    // All equal: the previous list itself.
    expect(next.cores).toBe(prev.cores);
    expect(next.step).toBe(2);
  });

  it("keeps the run's marks while they are unchanged, and takes new ones", () => {
    const prev = {
      ...snap(['RW'], 1),
      keyMoments: [],
      eventMarks: { fault: [3], ipi: [], violation: [] },
    } as Snapshot;
    const same = shareSnapshot(
      { ...prev, eventMarks: { fault: [3], ipi: [], violation: [] } } as Snapshot,
      prev,
    );
    expect(same.eventMarks).toBe(prev.eventMarks);
    const grown = shareSnapshot(
      { ...prev, eventMarks: { fault: [3, 9], ipi: [], violation: [] } } as Snapshot,
      prev,
    );
    expect(grown.eventMarks?.fault).toEqual([3, 9]);
  });

  it('shares nothing with another scenario or without a previous snapshot', () => {
    const prev = snap(['RW'], 1);
    const other = { ...snap(['RW'], 1), scenarioId: 't' } as Snapshot;
    expect(shareSnapshot(other, prev).tlbs[0]).not.toBe(prev.tlbs[0]);
    const alone = snap(['RW'], 1);
    expect(shareSnapshot(alone, null)).toBe(alone);
  });
});
