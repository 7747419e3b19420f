import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToWorker } from '../worker/protocol';
import { MAX_IMAGE_PASTE_CHARS, MAX_PASTE_CHARS } from '../worker/protocol';
import {
  jumpKeyMoment,
  loadScenario,
  parseBreakAddress,
  pasteMachineImage,
  pasteOstepProblem,
  seekEdge,
  setClientForTests,
} from './actions';
import { WorkerClient, type WorkerPort } from './client';
import { initialState, useVm } from './store';
import type { OstepView } from '../worker/ostep';

function fakeClient() {
  const sent: ToWorker[] = [];
  const port: WorkerPort = {
    // The watchdog's pings are not commands.
    postMessage: (m) => {
      if (m.type !== 'ping') sent.push(m);
    },
    terminate: () => {},
    addEventListener: () => {},
  };
  const client = new WorkerClient({ createWorker: () => port, schedule: (fn) => fn(), every: () => {} });
  setClientForTests(client);
  return { client, sent };
}

describe('actions', () => {
  beforeEach(() => useVm.setState({ ...initialState }));
  afterEach(() => setClientForTests(null));

  it('the picker entry for the OSTEP lesson opens its built-in problem', () => {
    const { sent } = fakeClient();
    loadScenario('ostep-multilevel', 0);
    expect(sent.at(-1)).toMatchObject({
      type: 'ostepLoad',
      source: { kind: 'builtin', id: 'seed1' },
      step: 0,
    });
  });

  it('refuses an empty or oversized paste before it reaches the worker', () => {
    const { sent } = fakeClient();
    loadScenario('ostep-multilevel', 0);
    const before = sent.length;
    pasteOstepProblem('  \n ');
    expect(useVm.getState().banner).toMatch(/Nothing to load/);
    pasteOstepProblem('x'.repeat(MAX_PASTE_CHARS + 1));
    expect(useVm.getState().banner).toMatch(/over the 256 KiB limit.*previous problem is still shown/);
    expect(sent.length).toBe(before);
    pasteOstepProblem('ARG seed 1');
    expect(sent.at(-1)).toMatchObject({ type: 'paste', text: 'ARG seed 1' });
  });

  it('Home / End and key-moment jumps use the OSTEP view in the OSTEP lesson', () => {
    const { sent } = fakeClient();
    loadScenario('ostep-multilevel', 0);
    const view = {
      step: 5,
      end: 34,
      keyMoments: [
        { label: 'VA 0x6c74', step: 1 },
        { label: 'VA 0x6b22', step: 5 },
        { label: 'VA 0x03df', step: 9 },
      ],
    } as OstepView;
    useVm.setState({ ostep: view });
    seekEdge('end');
    expect(sent.at(-1)).toMatchObject({ type: 'seek', step: 34 });
    jumpKeyMoment(1);
    expect(sent.at(-1)).toMatchObject({ type: 'seek', step: 9 });
    jumpKeyMoment(-1);
    expect(sent.at(-1)).toMatchObject({ type: 'seek', step: 1 });
  });

  it('the machine-image entry opens the example; an oversized pasted image stays in the page', () => {
    const { sent } = fakeClient();
    loadScenario('machine-image', 2);
    expect(sent.at(-1)).toMatchObject({
      type: 'imageLoad',
      source: { kind: 'builtin', id: 'example' },
      step: 2,
    });
    const before = sent.length;
    pasteMachineImage('x'.repeat(MAX_IMAGE_PASTE_CHARS + 1));
    expect(useVm.getState().banner).toMatch(/over the 4096 KiB limit.*previous image is still shown/);
    expect(sent.length).toBe(before);
    pasteMachineImage('{}');
    expect(sent.at(-1)).toMatchObject({ type: 'paste', text: '{}' });
  });
});

describe('parseBreakAddress', () => {
  it('takes hex with or without 0x and normalises it', () => {
    expect(parseBreakAddress(' 0x00007F0000001000 ')).toEqual({ ok: true, va: '0x7f0000001000' });
    expect(parseBreakAddress('7f00_0000_1000')).toEqual({ ok: true, va: '0x7f0000001000' });
    expect(parseBreakAddress('0x0')).toEqual({ ok: true, va: '0x0' });
  });

  it('refuses what is not an address, with a readable message', () => {
    for (const bad of ['', 'zz', '0x', '0x12345678901234567', '-1']) {
      const r = parseBreakAddress(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/hex digits/);
    }
  });
});
