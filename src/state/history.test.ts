import { beforeEach, describe, expect, it } from 'vitest';
import type { SimEvent } from '../core/events';
import { nextHistorySeq, receiveHistory, useHistory } from './history';

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
});
