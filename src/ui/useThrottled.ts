import { useEffect, useReducer, useRef } from 'react';

export interface Throttle<T> {
  shown: T;
  /** When `shown` last changed. */
  at: number;
}

/**
 * Throttled panels take turns: one redraws, the next waits this long (ms), so two heavy redraws
 * never land in the same frame (each alone fits a frame; two together drop one).
 */
export const STAGGER_MS = 40;

/**
 * The throttle's rule: the newest value shows when `ms` have passed since the last change and
 * `STAGGER_MS` since another throttled panel last redrew (`otherAt`), or at once when `ms` <= 0;
 * else the shown one stays. Returns the state to keep.
 */
export function throttleTo<T>(
  s: Throttle<T>,
  value: T,
  ms: number,
  now: number,
  otherAt = Number.NEGATIVE_INFINITY,
): Throttle<T> {
  if (value === s.shown) return s;
  if (ms > 0 && throttleWait(s, ms, now, otherAt) > 0) return s;
  return { shown: value, at: now };
}

/** How long until a held-back value may show (0: now). */
export function throttleWait<T>(
  s: Throttle<T>,
  ms: number,
  now: number,
  otherAt = Number.NEGATIVE_INFINITY,
): number {
  return Math.max(0, s.at + ms - now, otherAt + STAGGER_MS - now);
}

/** When any throttled panel last showed a new value (the turn-taking above). */
let lastRedraw = Number.NEGATIVE_INFINITY;

/**
 * `value`, but while `ms` > 0 it changes at most once per `ms`, and not in the same frame as
 * another throttled panel; the newest value shows when the time is up, so nothing is lost, only
 * late. With `ms` <= 0 it is `value` at once.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const state = useRef<Throttle<T>>({ shown: value, at: Number.NEGATIVE_INFINITY });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const now = performance.now();
  const before = state.current;
  state.current = throttleTo(before, value, ms, now, lastRedraw);
  if (ms > 0 && state.current !== before) lastRedraw = now;
  const late = value !== state.current.shown;
  useEffect(() => {
    if (!late) return;
    const t = setTimeout(redraw, throttleWait(state.current, ms, performance.now(), lastRedraw));
    return () => clearTimeout(t);
  }, [late, ms]);
  return state.current.shown;
}
