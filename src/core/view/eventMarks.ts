// Where faults, IPIs and invariant violations happen over a whole run, for the ticks under the
// scrubber. Fed one step at a time while a run is loaded (the log keeps only a window), then
// thinned to at most one tick per kind per bin, so a 100 000-step run sends a few hundred numbers.
import type { SimEvent } from '../events';

export const MARK_KINDS = ['fault', 'ipi', 'violation'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

/** The event type each kind of tick marks. */
export const MARK_EVENT: Readonly<Record<MarkKind, SimEvent['type']>> = {
  fault: 'fault.raised',
  ipi: 'ipi.sent',
  violation: 'invariant.violated',
};

/** Ticks per kind at most: about one per pixel of a projector-wide scrubber. */
export const MARK_BINS = 480;

/** Per kind, the first step with such an event in each bin of the run, ascending. */
export type EventMarks = Readonly<Record<MarkKind, readonly number[]>>;

export const NO_MARKS: EventMarks = Object.freeze({ fault: [], ipi: [], violation: [] });

/**
 * Steps kept per kind while a run is fed, at most: beyond this the kept steps are thinned to the
 * first one per bin of a power-of-two width, so a million-step run keeps a few thousand numbers.
 */
export const MARK_KEEP = 4 * MARK_BINS;

/** Keeps the first step of each bin `width` wide (bins of steps 1..w, w+1..2w, ...). */
function thinTo(steps: readonly number[], width: number): number[] {
  const out: number[] = [];
  let lastBin = -1;
  for (const s of steps) {
    const bin = Math.floor((s - 1) / width);
    if (bin !== lastBin) out.push(s);
    lastBin = bin;
  }
  return out;
}

export function eventMarker(): {
  feed(step: number, events: readonly SimEvent[]): void;
  finish(end: number): EventMarks;
} {
  const seen: Record<MarkKind, number[]> = { fault: [], ipi: [], violation: [] };
  // Width of the bins the kept steps are thinned to so far: a power of two, at most end / MARK_BINS,
  // so the final bins (a multiple of it) each still start with the first step that fell in them.
  let width = 1;
  return {
    feed(step, events) {
      for (const kind of MARK_KINDS) {
        const list = seen[kind];
        if (list[list.length - 1] === step) continue;
        if (!events.some((e) => e.type === MARK_EVENT[kind])) continue;
        const last = list[list.length - 1];
        if (last !== undefined && Math.floor((last - 1) / width) === Math.floor((step - 1) / width)) continue;
        list.push(step);
        if (list.length > MARK_KEEP) {
          while (width * 2 <= step / MARK_BINS && width * 2 * MARK_BINS <= step) width *= 2;
          for (const k of MARK_KINDS) seen[k] = thinTo(seen[k], width);
        }
      }
    },
    finish(end) {
      const exact = Math.max(1, Math.ceil(end / MARK_BINS));
      const w = Math.ceil(exact / width) * width;
      return Object.freeze({
        fault: Object.freeze(thinTo(seen.fault, w)),
        ipi: Object.freeze(thinTo(seen.ipi, w)),
        violation: Object.freeze(thinTo(seen.violation, w)),
      });
    },
  };
}
