// What this step did: the narration in big text (one line per event) on top, then the run-wide
// event log (EventLog: this step's events and those of the steps before, filterable, each row
// seeks to its step). Invariant violations are red.
import { useShallow } from 'zustand/react/shallow';
import type { SimEvent } from '../core/events';
import { useVm } from '../state';
import { EventLog } from './EventLog';
import { categoryOf } from './format';

/** Stable empty values: a selector must not return a fresh [] on every call. */
const NO_EVENTS: readonly SimEvent[] = [];
const NO_TEXT: readonly string[] = [];

export function LogPanel() {
  const { events, narration, step, tick, done } = useVm(
    useShallow((s) => ({
      events: s.snapshot?.events ?? NO_EVENTS,
      narration: s.snapshot?.narration ?? NO_TEXT,
      step: s.snapshot?.step ?? 0,
      tick: s.snapshot?.tick ?? 0,
      done: s.snapshot?.done ?? false,
    })),
  );
  return (
    <section className="panel panel-log log-split" data-testid="panel-log" aria-labelledby="log-title">
      <div className="panel-head">
        <h2 id="log-title">Step {step}</h2>
        <span className="panel-what">
          at cycle {tick}
          {done ? ' · finished' : ''}
        </span>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the narration scrolls when long; the keyboard scrolls it too (WCAG 2.1.1) */}
      <ol className="narration log-narration" data-testid="narration" aria-live="polite" tabIndex={0}>
        {narration.length === 0 && (
          <li className="cat-other narration-idle">
            {step === 0 ? 'The machine is set up. Press Step (→) to begin.' : 'Nothing happens in this step.'}
          </li>
        )}
        {narration.map((text, i) => {
          const e = events[i];
          const cat = e ? categoryOf(e.type) : 'other';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: one line per event, in order
            <li key={i} className={`cat-${cat}`}>
              {cat === 'violation' && <strong>Invariant violated: </strong>}
              {text}
            </li>
          );
        })}
      </ol>
      <EventLog />
    </section>
  );
}
