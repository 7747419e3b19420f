// Structural sharing between consecutive snapshots of a run: each core's TLB view, core view and
// thread view that equals the previous snapshot's keeps the previous object, and so do the run's
// key moments and event marks (the scrubber's ticks). A step changes one
// or two of sixteen cores, so the panels (memoised on these objects) redraw only those.
import type { Snapshot } from '../core/view/snapshot';

// A view's JSON, once per object: the previous snapshot's views are compared again next time.
const jsonOf = new WeakMap<object, string>();
function json(v: unknown): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  let text = jsonOf.get(v);
  if (text === undefined) {
    text = JSON.stringify(v);
    jsonOf.set(v, text);
  }
  return text;
}

function shareList<T>(next: readonly T[], prev: readonly T[] | undefined): T[] {
  if (!prev) return next as T[];
  let same = next.length === prev.length;
  const out = next.map((x, i) => {
    const old = prev[i];
    if (old !== undefined && (old === x || json(old) === json(x))) return old;
    same = false;
    return x;
  });
  return same ? (prev as T[]) : out;
}

/** `next`, or `prev` when they are equal (as JSON). */
function same<T>(next: T, prev: T | undefined): T {
  return prev !== undefined && json(prev) === json(next) ? prev : next;
}

/** `next` with its TLB, core and thread views shared with `prev` where they are unchanged. */
export function shareSnapshot(next: Snapshot, prev: Snapshot | null): Snapshot {
  if (!prev || prev.scenarioId !== next.scenarioId) return next;
  return {
    ...next,
    tlbs: shareList(next.tlbs, prev.tlbs),
    cores: shareList(next.cores, prev.cores),
    threads: shareList(next.threads, prev.threads),
    keyMoments: same(next.keyMoments, prev.keyMoments),
    ...(next.eventMarks ? { eventMarks: same(next.eventMarks, prev.eventMarks) } : {}),
  };
}
