import { describe, expect, it } from 'vitest';
import { STAGGER_MS, type Throttle, throttleTo, throttleWait } from './useThrottled';

describe('throttleTo', () => {
  it('passes every value at once when not throttled', () => {
    let s: Throttle<number> = { shown: 1, at: 0 };
    s = throttleTo(s, 2, 0, 1);
    s = throttleTo(s, 3, 0, 1);
    expect(s.shown).toBe(3);
  });

  it('changes at most once per period; the value held back shows when the period is up', () => {
    let s: Throttle<number> = { shown: 1, at: Number.NEGATIVE_INFINITY };
    s = throttleTo(s, 2, 500, 1000);
    expect(s).toEqual({ shown: 2, at: 1000 }); // after a quiet time: at once
    s = throttleTo(s, 3, 500, 1100);
    s = throttleTo(s, 4, 500, 1200);
    expect(s.shown).toBe(2);
    expect(throttleWait(s, 500, 1200)).toBe(300);
    s = throttleTo(s, 4, 500, 1500);
    expect(s).toEqual({ shown: 4, at: 1500 });
  });

  it('keeps its state object when nothing changes (the same value again)', () => {
    const s: Throttle<string> = { shown: 'a', at: 5 };
    expect(throttleTo(s, 'a', 500, 10_000)).toBe(s);
  });
});

describe('throttled panels take turns', () => {
  it('holds a due value while another panel redrew less than STAGGER_MS ago', () => {
    const s: Throttle<number> = { shown: 1, at: 0 };
    // Due (500 ms passed), but another panel redrew 10 ms ago: wait out the stagger.
    expect(throttleTo(s, 2, 500, 1000, 990)).toBe(s);
    expect(throttleWait(s, 500, 1000, 990)).toBe(STAGGER_MS - 10);
    // Once the stagger is over it shows.
    expect(throttleTo(s, 2, 500, 990 + STAGGER_MS, 990)).toEqual({ shown: 2, at: 990 + STAGGER_MS });
  });

  it('ignores the other panels when not throttled (paused or stepping)', () => {
    const s: Throttle<number> = { shown: 1, at: 0 };
    expect(throttleTo(s, 2, 0, 1000, 999).shown).toBe(2);
  });
});
