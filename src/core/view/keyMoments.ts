import type { SimEvent } from '../events';
import type { KeyMoment } from '../spec';
import type { KeyMomentAt } from './snapshot';

/** Does this event match a key moment's type and fields? */
export function matchesMoment(e: SimEvent, k: KeyMoment): boolean {
  if (e.type !== k.event) return false;
  if (!k.match) return true;
  const rec = e as unknown as Record<string, unknown>;
  return Object.entries(k.match).every(([f, v]) => rec[f] === v);
}

/** The first step at which each key moment happens (in declaration order, each after the last). */
export function locateKeyMoments(
  moments: readonly KeyMoment[],
  log: readonly (SimEvent[] | undefined)[],
): KeyMomentAt[] {
  const loc = momentLocator(moments);
  for (let s = 0; s < log.length; s++) loc.feed(s + 1, log[s] ?? []);
  return loc.found;
}

/**
 * The same, fed one step at a time as a run goes: a long run need not keep its whole log to
 * place its key moments. Several moments may land on one step, in declaration order.
 */
export function momentLocator(moments: readonly KeyMoment[]): {
  feed(step: number, events: readonly SimEvent[]): void;
  found: KeyMomentAt[];
} {
  const found: KeyMomentAt[] = [];
  return {
    found,
    feed(step, events) {
      for (;;) {
        const k = moments[found.length];
        if (!k || !events.some((e) => matchesMoment(e, k))) return;
        found.push({ label: k.label, step });
      }
    },
  };
}
