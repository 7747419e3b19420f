// Ticks under the scrubber: where the run faults, sends IPIs and breaks an invariant, so a
// student sees the shape of the whole run and where to scrub to. One row per kind, the same
// colours as the log's event categories.
import { memo } from 'react';
import type { EventMarks, MarkKind } from '../core/view/eventMarks';

// The row of each kind, top to bottom (the UI sees only the core's types, not its code).
const ROW: Readonly<Record<MarkKind, number>> = { fault: 0, ipi: 1, violation: 2 };
const MARK_KINDS = Object.keys(ROW) as MarkKind[];
const LABEL: Readonly<Record<MarkKind, string>> = {
  fault: 'page faults',
  ipi: 'IPIs sent',
  violation: 'invariant violations',
};

// Memoised: the marks stay the same object while the run's marks do not change (shareSnapshot).
export const EventTicks = memo(function EventTicks({
  marks,
  end,
}: {
  marks: EventMarks | undefined;
  end: number;
}) {
  if (!marks || end <= 0) return null;
  const counts = MARK_KINDS.map((k) => `${marks[k].length > 0 ? '' : 'no '}${LABEL[k]}`).join(', ');
  return (
    <svg
      className="event-ticks"
      data-testid="event-ticks"
      viewBox={`0 0 ${end} 3`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Where the run has ${counts}`}
    >
      {MARK_KINDS.map((kind) => (
        <g key={kind} className={`tick-${kind}`} data-kind={kind} data-count={marks[kind].length}>
          <title>{LABEL[kind]}</title>
          {marks[kind].map((s) => (
            <line
              key={s}
              x1={s}
              x2={s}
              y1={ROW[kind]}
              y2={ROW[kind] + 1}
              vectorEffect="non-scaling-stroke"
              data-step={s}
            />
          ))}
        </g>
      ))}
    </svg>
  );
});
