import { useEffect, useReducer, useRef } from 'react';

export interface Throttle<T> {
  shown: T;
  /** When `shown` last changed. */
  at: number;
}

/**
 * The throttle's rule: the newest value shows when `ms` have passed since the last change (or
 * at once when `ms` <= 0); else the shown one stays. Returns the state to keep.
 */
export function throttleTo<T>(s: Throttle<T>, value: T, ms: number, now: number): Throttle<T> {
  if (value === s.shown || (ms > 0 && now - s.at < ms)) return s;
  return { shown: value, at: now };
}

/** How long until a held-back value may show (0: now). */
export function throttleWait<T>(s: Throttle<T>, ms: number, now: number): number {
  return Math.max(0, s.at + ms - now);
}

/**
 * `value`, but while `ms` > 0 it changes at most once per `ms`; the newest value shows when the
 * time is up, so nothing is lost, only late. With `ms` <= 0 it is `value` at once.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const state = useRef<Throttle<T>>({ shown: value, at: Number.NEGATIVE_INFINITY });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  state.current = throttleTo(state.current, value, ms, performance.now());
  const late = value !== state.current.shown;
  useEffect(() => {
    if (!late) return;
    const t = setTimeout(redraw, throttleWait(state.current, ms, performance.now()));
    return () => clearTimeout(t);
  }, [late, ms]);
  return state.current.shown;
}
