// What this step did: the narration in big text (one line per event), then the raw events with
// their key fields. Invariant violations are red.
import { useShallow } from 'zustand/react/shallow';
import type { SimEvent } from '../core/events';
import { useVm } from '../state';
import { categoryOf, eventFields } from './format';

/** Stable empty values: a selector must not return a fresh [] on every call. */
const NO_EVENTS: readonly SimEvent[] = [];
const NO_TEXT: readonly string[] = [];

export function LogPanel() {
  const { events, narration, step, tick, stats, done } = useVm(
    useShallow((s) => ({
      events: s.snapshot?.events ?? NO_EVENTS,
      narration: s.snapshot?.narration ?? NO_TEXT,
      step: s.snapshot?.step ?? 0,
      tick: s.snapshot?.tick ?? 0,
      stats: s.snapshot?.stats,
      done: s.snapshot?.done ?? false,
    })),
  );
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls; focusable, the keyboard scrolls it too (WCAG 2.1.1)
    <section className="panel panel-log" data-testid="panel-log" aria-labelledby="log-title" tabIndex={0}>
      <div className="panel-head">
        <h2 id="log-title">Step {step}</h2>
        <span className="panel-what">
          at cycle {tick}
          {done ? ' · finished' : ''}
        </span>
      </div>
      <ol className="narration" data-testid="narration" aria-live="polite">
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
      {events.length > 0 && (
        <>
          <h3 className="events-title">Events</h3>
          <ul className="events" data-testid="events">
            {events.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: events of one step, in order
              <li key={i} className={`ev cat-${categoryOf(e.type)}`} data-type={e.type}>
                <code className="ev-type">{e.type}</code>{' '}
                {eventFields(e).map(([k, v]) => (
                  <span key={k} className="ev-field">
                    <span className="ev-key">{k}</span>=<span className="ev-val">{v}</span>{' '}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
      {stats && (
        <dl className="stats" aria-label="Totals so far">
          <div>
            <dt>IPIs</dt>
            <dd>{stats.ipis}</dd>
          </div>
          <div>
            <dt>TLB hits</dt>
            <dd>{stats.tlbHits}</dd>
          </div>
          <div>
            <dt>misses</dt>
            <dd>{stats.tlbMisses}</dd>
          </div>
          <div>
            <dt>faults</dt>
            <dd>{stats.faults}</dd>
          </div>
          <div className={stats.violations > 0 ? 'stat-bad' : ''}>
            <dt>violations</dt>
            <dd>{stats.violations}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
