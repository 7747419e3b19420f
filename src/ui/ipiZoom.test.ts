import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampDomain, domainOf, isFull, MIN_SPAN, transformFor, zoomAround } from './ipiZoom';

const FULL: [number, number] = [0, 5000];

describe('IPI time zoom', () => {
  it('clamps a window into the run and to the narrowest span', () => {
    expect(clampDomain([-100, 900], FULL)).toEqual([0, 1000]);
    expect(clampDomain([4800, 5400], FULL)).toEqual([4400, 5000]);
    expect(clampDomain([100, 102], FULL)).toEqual([100, 100 + MIN_SPAN]);
    expect(clampDomain([-1e9, 1e9], FULL)).toEqual(FULL);
  });

  it('zooms about a point that keeps its place', () => {
    const d = zoomAround(FULL, 2, 1000, FULL);
    expect(d[1] - d[0]).toBe(2500);
    // 1000 was a fifth of the way across, and still is.
    expect((1000 - d[0]) / (d[1] - d[0])).toBeCloseTo(0.2);
    expect(zoomAround(d, 0.5, 1000, FULL)).toEqual(FULL);
    expect(isFull(zoomAround(d, 0.25, 1000, FULL), FULL)).toBe(true);
  });

  it('the d3 transform for a window gives that window back', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 4990, noNaN: true }),
        fc.double({ min: 10, max: 5000, noNaN: true }),
        (a, w) => {
          const d = clampDomain([a, a + w], FULL);
          const t = transformFor(d, FULL, 208, 1000);
          expect(t.k).toBeGreaterThanOrEqual(1 - 1e-9);
          const back = domainOf(t, FULL, 208, 1000);
          expect(back[0]).toBeCloseTo(d[0], 6);
          expect(back[1]).toBeCloseTo(d[1], 6);
        },
      ),
    );
  });
});
