// What this step did: the narration in big text (one line per event) on top, then the run-wide
// event log (EventLog: this step's events and those of the steps before, filterable, each row
// seeks to its step). Invariant violations are red. While playing, the panel is redrawn a few
// times a second (LOG_PLAY_REDRAW_MS): nobody reads thirty steps of text a second, and rewriting
// it every step cost more than a frame.
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SimEvent } from '../core/events';
import { useVm } from '../state';
import { EventLog } from './EventLog';
import { categoryOf } from './format';
import { useThrottled } from './useThrottled';

/** Stable empty values: a selector must not return a fresh [] on every call. */
const NO_EVENTS: readonly SimEvent[] = [];
const NO_TEXT: readonly string[] = [];

/** While playing, the narration and the event log are redrawn at most this often (ms). */
export const LOG_PLAY_REDRAW_MS = 300;

export function LogPanel() {
  const { live, playing } = useVm(useShallow((s) => ({ live: s.snapshot, playing: s.playing })));
  const snapshot = useThrottled(live, playing ? LOG_PLAY_REDRAW_MS : 0);
  return (
    <LogView
      events={snapshot?.events ?? NO_EVENTS}
      narration={snapshot?.narration ?? NO_TEXT}
      step={snapshot?.step ?? 0}
      tick={snapshot?.tick ?? 0}
      done={snapshot?.done ?? false}
      scenarioId={snapshot?.scenarioId ?? null}
      playing={playing}
    />
  );
}

const LogView = memo(function LogView({
  events,
  narration,
  step,
  tick,
  done,
  scenarioId,
  playing,
}: {
  events: readonly SimEvent[];
  narration: readonly string[];
  step: number;
  tick: number;
  done: boolean;
  scenarioId: string | null;
  playing: boolean;
}) {
  return (
    <section className="panel panel-log log-split" data-testid="panel-log" aria-labelledby="log-title">
      <div className="panel-head">
        <h2 id="log-title">Step {step}</h2>
        <span className="panel-what">
          at cycle {tick}
          {done ? ' · finished' : ''}
          {playing && (
            <span
              className="log-lag"
              title={`While playing, the log is redrawn every ${LOG_PLAY_REDRAW_MS / 1000} s`}
            >
              {' '}
              · redrawn {Math.round(1000 / LOG_PLAY_REDRAW_MS)}×/s while playing
            </span>
          )}
        </span>
      </div>
      {/* Not live while playing: a screen reader would read thirty steps a second (WCAG 4.1.3 asks for status, not a flood). */}
      <ol
        className="narration log-narration"
        data-testid="narration"
        aria-live={playing ? 'off' : 'polite'}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the narration scrolls when long; the keyboard scrolls it too (WCAG 2.1.1)
        tabIndex={0}
      >
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
      <EventLog step={step} scenarioId={scenarioId} events={events} />
    </section>
  );
});
