// The run-wide event log's state: the events of a window of past steps, asked of the worker
// (`history`) and kept here apart from the main store. Every request gets a number; only the
// answer to the latest one is kept, so a slow answer to an older request (an older step, or an
// older load: the client drops those by runId first) never replaces a newer one.
import { create } from 'zustand';
import type { SimEvent } from '../core/events';
import type { FromWorker } from '../worker/protocol';

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
