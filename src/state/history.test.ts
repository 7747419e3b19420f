import { beforeEach, describe, expect, it } from 'vitest';
import type { SimEvent } from '../core/events';
import { MAX_HISTORY_EVENTS, MAX_HISTORY_STEPS } from '../worker/protocol';
import { followStep, nextHistorySeq, receiveHistory, useHistory } from './history';

const ev = (step: number): SimEvent => ({ type: 'signal', step, tick: step }) as unknown as SimEvent;

function reply(seq: number, from: number, to: number) {
  return {
    type: 'historyResult' as const,
    runId: 1,
    seq,
    result: { ok: true as const, from, to, events: [ev(from)], truncatedBefore: null },
  };
}

describe('event history state', () => {
  beforeEach(() => useHistory.setState({ seq: 0, scenarioId: null, view: null }));

  it('keeps only the answer to the latest request', () => {
    const first = nextHistorySeq('a');
    const second = nextHistorySeq('a');
    expect(receiveHistory(reply(first, 1, 5))).toBe(false);
    expect(useHistory.getState().view).toBeNull();
    expect(receiveHistory(reply(second, 2, 6))).toBe(true);
    expect(useHistory.getState().view).toMatchObject({ scenarioId: 'a', from: 2, to: 6, error: null });
  });

  it('keeps a refusal as an error with no events', () => {
    const seq = nextHistorySeq('b');
    receiveHistory({
      type: 'historyResult',
      runId: 1,
      seq,
      result: { ok: false, error: 'from: 9 is after to: 3' },
    });
    expect(useHistory.getState().view).toMatchObject({ events: [], error: 'from: 9 is after to: 3' });
  });

  describe('a step forward extends the window without asking the worker', () => {
    const evs = (step: number, n: number) => Array.from({ length: n }, () => ev(step));
    function answered(from: number, to: number, perStep: number) {
      const seq = nextHistorySeq('a');
      const events: SimEvent[] = [];
      for (let s = from; s <= to; s++) events.push(...evs(s, perStep));
      receiveHistory({
        type: 'historyResult',
        runId: 1,
        seq,
        result: { ok: true, from, to, events, truncatedBefore: null },
      });
    }

    it("appends the previous step's events when the window ends just before it", () => {
      answered(1, 8, 2);
      followStep({ scenarioId: 'a', step: 9, events: evs(9, 3) }, 10);
      const v = useHistory.getState().view;
      expect(v).toMatchObject({ from: 1, to: 9, truncatedBefore: null });
      expect(v?.events.map((e) => e.step)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9]);
      // And again: step after step, the window stays whole.
      followStep({ scenarioId: 'a', step: 10, events: evs(10, 1) }, 11);
      expect(useHistory.getState().view).toMatchObject({ from: 1, to: 10 });
      expect(useHistory.getState().view?.events.at(-1)?.step).toBe(10);
    });

    it('drops the steps that fall out of MAX_HISTORY_STEPS', () => {
      answered(1, MAX_HISTORY_STEPS, 1);
      followStep(
        { scenarioId: 'a', step: MAX_HISTORY_STEPS + 1, events: evs(MAX_HISTORY_STEPS + 1, 1) },
        MAX_HISTORY_STEPS + 2,
      );
      const v = useHistory.getState().view;
      expect(v).toMatchObject({ from: 2, to: MAX_HISTORY_STEPS + 1, truncatedBefore: null });
      expect(v?.events.length).toBe(MAX_HISTORY_STEPS);
      expect(v?.events[0]?.step).toBe(2);
    });

    it('leaves the window alone for a jump, a step back, another scenario or a gap', () => {
      answered(1, 8, 1);
      const before = useHistory.getState().view;
      followStep({ scenarioId: 'a', step: 9, events: evs(9, 1) }, 11); // a jump
      followStep({ scenarioId: 'a', step: 9, events: evs(9, 1) }, 8); // back
      followStep({ scenarioId: 'b', step: 9, events: evs(9, 1) }, 10); // another scenario
      followStep({ scenarioId: 'a', step: 10, events: evs(10, 1) }, 11); // the window ends at 8, not 9
      expect(useHistory.getState().view).toBe(before);
    });

    it('keeps at most MAX_HISTORY_EVENTS events, the latest, in whole steps, and says where it cut', () => {
      const per = 100;
      const last = MAX_HISTORY_EVENTS / per; // exactly full
      answered(1, last, per);
      followStep({ scenarioId: 'a', step: last + 1, events: evs(last + 1, 30) }, last + 2);
      const v = useHistory.getState().view;
      expect(v?.events.length).toBeLessThanOrEqual(MAX_HISTORY_EVENTS);
      // Step 1 went whole (100 events over the cap would need only 30 gone, but steps are whole).
      expect(v?.events[0]?.step).toBe(2);
      expect(v).toMatchObject({ from: 2, to: last + 1, truncatedBefore: 2 });
      // A cut window is not extended again: the log asks the worker.
      followStep({ scenarioId: 'a', step: last + 2, events: evs(last + 2, 1) }, last + 3);
      expect(useHistory.getState().view).toBe(v);
    });
  });
});
