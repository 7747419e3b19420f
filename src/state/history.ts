// The run-wide event log's state: the events of a window of past steps, asked of the worker
// (`history`) and kept here apart from the main store. Every request gets a number; only the
// answer to the latest one is kept, so a slow answer to an older request (an older step, or an
// older load: the client drops those by runId first) never replaces a newer one.
import { create } from 'zustand';
import type { SimEvent } from '../core/events';
import { type FromWorker, MAX_HISTORY_EVENTS, MAX_HISTORY_STEPS } from '../worker/protocol';

/** What the log shows: the events of steps from..to of one scenario, or why there are none. */
export interface HistoryView {
  scenarioId: string;
  from: number;
  to: number;
  events: SimEvent[];
  /** Steps before this one were left out by the worker's caps; null if none were. */
  truncatedBefore: number | null;
  error: string | null;
}

interface HistoryState {
  /** The latest request's number (0: none yet). */
  seq: number;
  /** The scenario the latest request was made for. */
  scenarioId: string | null;
  view: HistoryView | null;
}

export const useHistory = create<HistoryState>()(() => ({ seq: 0, scenarioId: null, view: null }));

/** Notes a new request for `scenarioId`; returns its number, to send with it. */
export function nextHistorySeq(scenarioId: string): number {
  const seq = useHistory.getState().seq + 1;
  useHistory.setState({ seq, scenarioId });
  return seq;
}

type HistoryReply = Extract<FromWorker, { type: 'historyResult' }>;

/** Keeps the worker's answer if it answers the latest request; returns whether it was kept. */
export function receiveHistory(msg: HistoryReply): boolean {
  const { seq, scenarioId } = useHistory.getState();
  if (msg.seq !== seq || scenarioId === null) return false;
  const r = msg.result;
  useHistory.setState({
    view: r.ok
      ? {
          scenarioId,
          from: r.from,
          to: r.to,
          events: r.events,
          truncatedBefore: r.truncatedBefore,
          error: null,
        }
      : { scenarioId, from: 0, to: -1, events: [], truncatedBefore: null, error: r.error },
  });
  return true;
}

/**
 * A step forward by one, from `prev` to step `prev.step + 1`: when the log's window ends just
 * before `prev`, it gains `prev`'s events here, so the log needs no request to the worker. (Step
 * after step, the window then stays whole; a jump, a seek back or a cap reached asks again.) The
 * worker's caps hold: steps older than MAX_HISTORY_STEPS drop out, and at most MAX_HISTORY_EVENTS
 * events are kept, the latest, whole steps only.
 */
export function followStep(
  prev: { scenarioId: string; step: number; events: readonly SimEvent[] },
  step: number,
): void {
  const { view, scenarioId } = useHistory.getState();
  if (
    step !== prev.step + 1 ||
    !view ||
    view.error !== null ||
    view.truncatedBefore !== null ||
    view.scenarioId !== prev.scenarioId ||
    scenarioId !== prev.scenarioId ||
    view.to !== prev.step - 1
  )
    return;
  const from = Math.max(view.from, prev.step - MAX_HISTORY_STEPS + 1);
  const kept =
    (view.events[0]?.step ?? from) >= from ? view.events : view.events.filter((e) => e.step >= from);
  let events = kept.concat(prev.events);
  let truncatedBefore: number | null = null;
  if (events.length > MAX_HISTORY_EVENTS) {
    // Drop whole steps from the old end, as the worker does.
    const cut = events.length - MAX_HISTORY_EVENTS;
    const firstKept = (events[cut - 1]?.step ?? from) + 1;
    events = events.filter((e) => e.step >= firstKept);
    truncatedBefore = firstKept;
  }
  useHistory.setState({
    view: { ...view, from: truncatedBefore ?? from, to: prev.step, events, truncatedBefore },
  });
}
