import { describe, expect, it } from 'vitest';
import { longRun1m, longRun100k, withCommas } from './longRun';

describe('withCommas', () => {
  it('writes whole numbers as toLocaleString("en") does', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 100_000, 999_999, 1_000_000, 123_456_789]) {
      expect(withCommas(n)).toBe(n.toLocaleString('en'));
    }
  });

  it('gives the load tests their titles', () => {
    expect(longRun100k.title).toBe('Load test: a 100,000-step run');
    expect(longRun1m.title).toBe('Load test: a 1,000,000-step run');
    expect(longRun1m.summary).toContain('for 1,000,000 steps');
  });
});
