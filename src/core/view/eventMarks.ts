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

export function eventMarker(): {
  feed(step: number, events: readonly SimEvent[]): void;
  finish(end: number): EventMarks;
} {
  const seen: Record<MarkKind, number[]> = { fault: [], ipi: [], violation: [] };
  return {
    feed(step, events) {
      for (const kind of MARK_KINDS) {
        const list = seen[kind];
        if (list[list.length - 1] === step) continue;
        if (events.some((e) => e.type === MARK_EVENT[kind])) list.push(step);
      }
    },
    finish(end) {
      const width = Math.max(1, Math.ceil(end / MARK_BINS));
      const thin = (steps: number[]) => {
        const out: number[] = [];
        let lastBin = -1;
        for (const s of steps) {
          const bin = Math.floor((s - 1) / width);
          if (bin !== lastBin) out.push(s);
          lastBin = bin;
        }
        return Object.freeze(out);
      };
      return Object.freeze({ fault: thin(seen.fault), ipi: thin(seen.ipi), violation: thin(seen.violation) });
    },
  };
}
