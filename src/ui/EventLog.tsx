// The run-wide event log under the narration: the current step's events, then those of the
// steps before it (newest first, asked of the worker: requestHistory), filterable by kind and by
// a text (address, core=1, pid=2). Each row is a button: clicking it (or Enter / Space) seeks to
// its step; Up / Down move between rows (the list is one Tab stop). Past rows are virtualized (fixed row height), so a
// window of 2000 events stays fast; the current step's rows are always rendered.
import { type KeyboardEvent, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SimEvent } from '../core/events';
import { requestHistory, seek, useHistory } from '../state';
import './eventLog.css';
import { categoryOf, eventFields } from './format';
import {
  CATEGORY_NAMES,
  type KindFilter,
  type LogFilter,
  MAX_FILTER_CHARS,
  matchesFilter,
  NO_FILTER,
  newestStepFirst,
  typesIn,
  visibleRows,
} from './logFilter';
import { useSize } from './useSize';

/** How many steps back the log reaches (the worker caps a request at 500). */
const NO_EVENTS: readonly SimEvent[] = [];
const SPANS = [50, 200, 500] as const;
const DEFAULT_SPAN = 200;
/** Past rows are one line of this height (px): at least 24, a comfortable target. */
const ROW_H = 26;

// Memoised: a past row keeps its event object while the history answer is the same, so a new
// step only moves the rows (their `top`) instead of rewriting every row's text.
const Row = memo(function Row({
  e,
  current,
  onSeek,
  top,
  tabbable,
}: {
  e: SimEvent;
  current: boolean;
  onSeek: (step: number) => void;
  /** A past row's place in the virtual list (px). */
  top?: number;
  /** One row is in the Tab order; Up / Down reach the others (the list is one stop for Tab). */
  tabbable: boolean;
}) {
  const cat = categoryOf(e.type);
  const fields = eventFields(e);
  return (
    <li
      className={`evlog-li ev cat-${cat}${current ? ' evlog-now' : ''}`}
      data-testid="event-row"
      data-type={e.type}
      data-step={e.step}
      data-current={current ? 'true' : 'false'}
      style={top === undefined ? undefined : { top }}
    >
      <button
        type="button"
        className="evlog-row"
        onClick={() => onSeek(e.step)}
        onKeyDown={moveFocus}
        tabIndex={tabbable ? 0 : -1}
        aria-current={current ? 'step' : undefined}
      >
        <span className="evlog-step">
          <span className="sr-only">step </span>
          {e.step}
        </span>
        <code className="ev-type">{e.type}</code>
        <span className="evlog-fields">
          {fields.map(([k, v]) => (
            <span key={k} className="ev-field">
              {' '}
              <span className="ev-key">{k}</span>=<span className="ev-val">{v}</span>
            </span>
          ))}
        </span>
      </button>
    </li>
  );
});

/** Up / Down between the row buttons (Left / Right stay the app's step keys). */
function moveFocus(e: KeyboardEvent<HTMLButtonElement>): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const list = e.currentTarget.closest('.evlog-scroll');
  if (!list) return;
  const rows = [...list.querySelectorAll<HTMLButtonElement>('button.evlog-row')];
  const i = rows.indexOf(e.currentTarget);
  const next = rows[e.key === 'ArrowDown' ? i + 1 : i - 1];
  if (!next) return;
  e.preventDefault();
  next.focus();
}

/** The step shown comes from LogPanel, which holds it back while playing (redrawn a few times a second). */
export function EventLog({
  step,
  scenarioId,
  events,
}: {
  step: number;
  scenarioId: string | null;
  events: readonly SimEvent[];
}) {
  const view = useHistory((s) => s.view);
  const [filter, setFilter] = useState<LogFilter>(NO_FILTER);
  const [span, setSpan] = useState<number>(DEFAULT_SPAN);

  // Ask for the steps before this one, unless the log already holds them all (a step forward
  // adds the previous step's events without asking: followStep). LogPanel holds the step back
  // while playing.
  const covered =
    view !== null &&
    view.scenarioId === scenarioId &&
    view.error === null &&
    view.to === step - 1 &&
    view.from <= Math.max(1, step - span);
  useEffect(() => {
    if (scenarioId === null || step <= 1 || covered) return;
    requestHistory(Math.max(1, step - span), step - 1);
  }, [scenarioId, step, span, covered]);

  // The past as far as the latest answer covers it (an answer for another step is cut to fit).
  const past = useMemo(
    () =>
      view && view.scenarioId === scenarioId
        ? view.events.filter((e) => e.step < step && e.step >= step - span)
        : NO_EVENTS,
    [view, scenarioId, step, span],
  );
  const pastRows = useMemo(() => newestStepFirst(past, filter), [past, filter]);
  const nowRows = useMemo(() => events.filter((e) => matchesFilter(e, filter)), [events, filter]);
  const types = useMemo(() => typesIn([...past, ...events]), [past, events]);

  // Virtualized past rows: which are in view of the scroller.
  const scroller = useRef<HTMLDivElement>(null);
  const nowList = useRef<HTMLUListElement>(null);
  const box = useSize(scroller, { width: 300, height: 200 });
  const nowH = useSize(nowList, { width: 300, height: 0 }).height;
  const [scrollTop, setScrollTop] = useState(0);
  const { start, end } = visibleRows(Math.max(0, scrollTop - nowH), box.height, ROW_H, pastRows.length);
  // Keyed by event (its step and place among that step's rows), so a new step moves rows.
  const pastKeys = useMemo(() => {
    const keys: string[] = [];
    let prev = -1;
    let n = 0;
    for (const e of pastRows) {
      n = e.step === prev ? n + 1 : 0;
      prev = e.step;
      keys.push(`${e.step}.${n}`);
    }
    return keys;
  }, [pastRows]);
  const windowRows = pastRows
    .slice(start, end)
    .map((e, j) => ({ e, at: start + j, key: pastKeys[start + j] }));

  // After a row is activated, focus moves to the first row of the step it sought.
  const focusStep = useRef<number | null>(null);
  useEffect(() => {
    if (focusStep.current !== step) return;
    focusStep.current = null;
    nowList.current?.querySelector<HTMLButtonElement>('button.evlog-row')?.focus();
  }, [step]);
  const stepNow = useRef(step);
  stepNow.current = step;
  const onSeek = useCallback((s: number) => {
    focusStep.current = s;
    if (s !== stepNow.current) seek(s);
  }, []);

  const shownFrom = view && view.scenarioId === scenarioId && view.error === null ? view.from : null;
  const truncated = view && view.scenarioId === scenarioId ? view.truncatedBefore : null;
  const firstPast = past[0]?.step ?? null;

  return (
    <div className="evlog" data-testid="event-log">
      <div className="evlog-bar">
        <label className="evlog-label">
          <span className="sr-only">Kind of event </span>
          <select
            data-testid="log-kind"
            value={filter.kind}
            onChange={(e) => setFilter({ ...filter, kind: e.target.value as KindFilter })}
          >
            <option value="all">all events</option>
            <optgroup label="Category">
              {CATEGORY_NAMES.map(([c, name]) => (
                <option key={c} value={`cat:${c}`}>
                  {name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Event type">
              {(filter.kind.startsWith('type:') && !types.includes(filter.kind.slice(5))
                ? [...types, filter.kind.slice(5)]
                : types
              ).map((t) => (
                <option key={t} value={`type:${t}`}>
                  {t}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="evlog-label evlog-text">
          <span className="sr-only">Filter the events by text </span>
          <input
            type="search"
            data-testid="log-filter"
            placeholder="filter: 0x7f00…, core=1, pid=2"
            maxLength={MAX_FILTER_CHARS}
            value={filter.text}
            onChange={(e) => setFilter({ ...filter, text: e.target.value })}
          />
        </label>
        <label className="evlog-label">
          <span className="sr-only">How many steps back </span>
          <select data-testid="log-span" value={span} onChange={(e) => setSpan(Number(e.target.value))}>
            {SPANS.map((n) => (
              <option key={n} value={n}>
                {n} back
              </option>
            ))}
          </select>
        </label>
      </div>
      <p
        className="evlog-status"
        data-testid="log-status"
        data-shown={nowRows.length + pastRows.length}
        data-total={events.length + past.length}
      >
        {step === 0
          ? 'No events yet.'
          : `${nowRows.length + pastRows.length} of ${events.length + past.length} events shown · steps ${
              firstPast ?? step
            }–${step}`}
        {truncated !== null && shownFrom !== null && (
          <span className="evlog-cut"> · earlier steps left out (at most 2000 events)</span>
        )}
      </p>
      <div className="evlog-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <ul
          className="events evlog-list"
          data-testid="events"
          ref={nowList}
          aria-label={`Events of step ${step}`}
        >
          {nowRows.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: events of one step, in order
            <Row key={i} e={e} current onSeek={onSeek} tabbable={i === 0} />
          ))}
          {step > 0 && nowRows.length === 0 && (
            <li className="evlog-empty">
              {events.length === 0 ? 'No events in this step.' : 'No event of this step matches the filter.'}
            </li>
          )}
        </ul>
        <ul
          className="evlog-list evlog-past"
          data-testid="events-past"
          aria-label="Events of earlier steps, newest first"
          style={{ height: pastRows.length * ROW_H }}
        >
          {windowRows.map(({ e, at, key }) => (
            <Row
              key={key}
              e={e}
              current={false}
              onSeek={onSeek}
              top={at * ROW_H}
              tabbable={nowRows.length === 0 && at === start}
            />
          ))}
        </ul>
      </div>
    </div>
  );
}
