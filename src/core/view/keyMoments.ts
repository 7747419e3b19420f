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
export function locateKeyMoments(moments: readonly KeyMoment[], log: readonly SimEvent[][]): KeyMomentAt[] {
  const out: KeyMomentAt[] = [];
  let from = 0;
  for (const k of moments) {
    let found = -1;
    for (let s = from; s < log.length && found < 0; s++) {
      if ((log[s] as SimEvent[]).some((e) => matchesMoment(e, k))) found = s + 1;
    }
    if (found > 0) {
      out.push({ label: k.label, step: found });
      from = found - 1;
    }
  }
  return out;
}
