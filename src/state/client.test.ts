import { beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../core/view/snapshot';
import type { CompareView } from '../worker/compare';
import type { OstepView } from '../worker/ostep';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { WATCHDOG_TICK_MS, type WorkerPort, WorkerClient } from './client';
import { initialState, useVm } from './store';

type Listener = (ev: never) => void;

class FakeWorker implements WorkerPort {
  sent: ToWorker[] = [];
  /** The watchdog's pings, apart from the commands. */
  pings: Extract<ToWorker, { type: 'ping' }>[] = [];
  terminated = false;
  private listeners = new Map<string, Listener[]>();
  postMessage(msg: ToWorker): void {
    if (msg.type === 'ping') this.pings.push(msg);
    else this.sent.push(msg);
  }
  /** Answers the latest ping, as a live worker does once it has handled what came before. */
  pong(): void {
    const p = this.pings.at(-1);
    if (p) this.reply({ type: 'pong', runId: p.runId, seq: p.seq });
  }
  messageError(): void {
    for (const fn of this.listeners.get('messageerror') ?? [])
      fn({ type: 'messageerror', preventDefault() {} } as never);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  reply(msg: FromWorker): void {
    for (const fn of this.listeners.get('message') ?? []) fn({ data: msg } as never);
  }
  defaultPrevented = false;
  crash(): void {
    const ev = {
      type: 'error',
      preventDefault: () => {
        this.defaultPrevented = true;
      },
    };
    for (const fn of this.listeners.get('error') ?? []) fn(ev as never);
  }
  get lastLoad(): Extract<ToWorker, { type: 'load' }> | undefined {
    return this.sent.filter((m) => m.type === 'load').at(-1) as
      | Extract<ToWorker, { type: 'load' }>
      | undefined;
  }
}

function snap(step: number, scenarioId = 'munmap-shootdown'): Snapshot {
  return { scenarioId, step, procs: [] } as unknown as Snapshot;
}

function ostepView(step: number, builtin: 'seed1' | null, pasteSeq: number | null = null): OstepView {
  return { step, end: 34, problem: { builtin, pasteSeq, label: 'x', pdbr: 17, vaCount: 10 } } as OstepView;
}

function setup() {
  const workers: FakeWorker[] = [];
  const frames: (() => void)[] = [];
  const clock = { t: 0 };
  let tick: (() => void) | null = null;
  const client = new WorkerClient({
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    schedule: (fn) => frames.push(fn),
    now: () => clock.t,
    watchdog: { timeoutMs: 4_000, loadTimeoutMs: 15_000 },
    every: (fn, ms) => {
      expect(ms).toBe(WATCHDOG_TICK_MS);
      tick = fn;
    },
  });
  const runFrames = () => {
    for (const f of frames.splice(0)) f();
  };
  /** Lets ms of time pass, with the watchdog's ticks in between. */
  const advance = (ms: number) => {
    for (let left = ms; left > 0; left -= WATCHDOG_TICK_MS) {
      clock.t += Math.min(WATCHDOG_TICK_MS, left);
      tick?.();
    }
  };
  return { client, workers, runFrames, advance };
}

describe('WorkerClient', () => {
  beforeEach(() => useVm.setState({ ...initialState }));

  it('stamps commands with the latest runId and drops replies to older loads', () => {
    const { client, workers, runFrames } = setup();
    client.load('munmap-shootdown', 0);
    client.load('lazy-tlb', 3);
    const w = workers[0] as FakeWorker;
    expect(w.sent.map((m) => m.runId)).toEqual([1, 2]);
    client.send({ type: 'step', n: 1 });
    expect(w.sent.at(-1)).toEqual({ type: 'step', n: 1, runId: 2 });
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(9), playing: false });
    runFrames();
    expect(useVm.getState().snapshot).toBeNull();
    w.reply({ type: 'snapshot', runId: 2, snapshot: snap(3, 'lazy-tlb'), playing: false });
    runFrames();
    expect(useVm.getState().snapshot?.step).toBe(3);
  });

  it('coalesces snapshots to one store update per frame, keeping the latest', () => {
    const { client, workers, runFrames } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    let updates = 0;
    const unsub = useVm.subscribe(() => {
      updates++;
    });
    for (let i = 1; i <= 5; i++) w.reply({ type: 'snapshot', runId: 1, snapshot: snap(i), playing: true });
    expect(updates).toBe(0);
    runFrames();
    expect(updates).toBe(1);
    expect(useVm.getState().snapshot?.step).toBe(5);
    expect(useVm.getState().playing).toBe(true);
    unsub();
  });

  it('acknowledges a snapshot drawn while playing (the worker then sends the next), not a paused one', () => {
    const { client, workers, runFrames } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    const drawn = () => w.sent.filter((m) => m.type === 'drawn');
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(1), playing: false });
    runFrames();
    expect(drawn()).toHaveLength(0);
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(2), playing: true });
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(3), playing: true });
    expect(drawn()).toHaveLength(0);
    runFrames();
    expect(drawn()).toEqual([{ type: 'drawn', runId: 1 }]);
  });

  it("fills a snapshot's reused parts in from the previous snapshot of the run, and only of that run", () => {
    const { client, workers, runFrames } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    const root = { pfn: 5, level: 4, entries: [{ index: 1 }] };
    const frames = { total: 64, frames: [{ pfn: 9 }] };
    const full = {
      scenarioId: 'munmap-shootdown',
      step: 1,
      procs: [{ pid: 1, root }],
      frames,
    } as unknown as Snapshot;
    w.reply({ type: 'snapshot', runId: 1, snapshot: full, playing: false });
    const lean = {
      ...full,
      step: 2,
      procs: [{ pid: 1, root: { pfn: 5, level: 4, entries: [] } }],
      frames: { total: 64, frames: [] },
    } as unknown as Snapshot;
    w.reply({
      type: 'snapshot',
      runId: 1,
      snapshot: lean,
      playing: false,
      reuse: { trees: [1], frames: true },
    });
    runFrames();
    const shown = useVm.getState().snapshot;
    expect(shown?.step).toBe(2);
    expect(shown?.procs[0]?.root).toBe(root);
    expect(shown?.frames).toBe(frames);
    // A new load: the next run's first snapshot has nothing to reuse from.
    client.load('lazy-tlb', 0);
    w.reply({
      type: 'snapshot',
      runId: 2,
      snapshot: { ...lean, scenarioId: 'lazy-tlb' },
      playing: false,
      reuse: { trees: [1], frames: true },
    });
    runFrames();
    expect(useVm.getState().snapshot?.procs[0]?.root.entries).toEqual([]);
  });

  it('draws a snapshot that answers a step at once, without waiting for a frame', () => {
    const { client, workers } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(4), playing: false });
    expect(useVm.getState().snapshot?.step).toBe(4);
  });

  it('recovers from a crash: banner, new worker, reload at the last good step', () => {
    const { client, workers } = setup();
    client.load('munmap-shootdown', 0);
    const first = workers[0] as FakeWorker;
    first.reply({ type: 'snapshot', runId: 1, snapshot: snap(12), playing: true });
    first.crash();
    expect(first.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    const second = workers[1] as FakeWorker;
    expect(second.lastLoad).toMatchObject({ scenarioId: 'munmap-shootdown', step: 12, runId: 2 });
    expect(useVm.getState().banner).toBe(
      'The simulation crashed (the worker failed) at step 12; restarted and restored step 12.',
    );
    // Handled: not reported to the console as an uncaught error.
    expect(first.defaultPrevented).toBe(true);
    // Late messages from the dead worker are ignored.
    first.reply({ type: 'snapshot', runId: 2, snapshot: snap(30), playing: false });
    expect(useVm.getState().snapshot).toBeNull();
  });

  it('gives up after repeated crashes', () => {
    const { client, workers } = setup();
    client.load('munmap-shootdown', 0);
    for (let i = 0; i < 5; i++) workers.at(-1)?.crash();
    expect(workers).toHaveLength(4);
    expect(useVm.getState().banner).toMatch(/stopped/);
  });

  it('falls back to the default scenario when a load fails', () => {
    const { client, workers } = setup();
    client.load('nope', 4);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'error', runId: 1, message: 'unknown scenario "nope"' });
    expect(w.lastLoad).toMatchObject({ scenarioId: 'munmap-shootdown', step: 0, runId: 2 });
    expect(useVm.getState().banner).toMatch(/"nope"/);
  });

  it('reloads at the last good step after an error in a run', () => {
    const { client, workers } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(7), playing: false });
    w.reply({ type: 'error', runId: 1, message: 'simulation error: boom' });
    expect(w.lastLoad).toMatchObject({ scenarioId: 'munmap-shootdown', step: 7, runId: 2 });
    expect(useVm.getState().banner).toMatch(/boom.*step 7/);
  });

  it('opens the OSTEP lesson as a run of its own and shows its views', () => {
    const { client, workers, runFrames } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(4), playing: false });
    runFrames();
    client.openOstep({ kind: 'builtin', id: 'seed1' }, 5);
    expect(w.sent.at(-1)).toEqual({
      type: 'ostepLoad',
      runId: 2,
      source: { kind: 'builtin', id: 'seed1' },
      step: 5,
    });
    expect(useVm.getState().scenarioId).toBe('ostep-multilevel');
    w.reply({ type: 'ostep', runId: 2, view: ostepView(5, 'seed1'), playing: false });
    runFrames();
    expect(useVm.getState().ostep?.step).toBe(5);
    // The machine snapshot of the earlier scenario is dropped: the OSTEP view is what is shown.
    expect(useVm.getState().snapshot).toBeNull();
  });

  it('keeps the problem and step when a paste is rejected, and shows the parser error', () => {
    const { client, workers, runFrames } = setup();
    client.openOstep({ kind: 'builtin', id: 'seed1' }, 0);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'ostep', runId: 1, view: ostepView(6, 'seed1'), playing: false });
    runFrames();
    client.paste('garbage');
    expect(w.sent.at(-1)).toEqual({ type: 'paste', runId: 1, seq: 1, text: 'garbage' });
    w.reply({ type: 'pasteRejected', runId: 1, seq: 1, error: 'line 1: expected "ARG seed <integer>"' });
    runFrames();
    expect(useVm.getState().banner).toBe(
      'Could not load the pasted problem: line 1: expected "ARG seed <integer>". The previous problem is still shown.',
    );
    expect(useVm.getState().ostep?.step).toBe(6);
    expect(useVm.getState().scenarioId).toBe('ostep-multilevel');
  });

  it('restores a pasted problem, text and step, after a crash', () => {
    const { client, workers, runFrames } = setup();
    client.openOstep({ kind: 'builtin', id: 'seed1' }, 0);
    const w = workers[0] as FakeWorker;
    useVm.setState({ banner: 'an old message' });
    client.paste('PROBLEM TEXT');
    w.reply({ type: 'ostep', runId: 1, view: ostepView(0, null, 1), playing: false });
    w.reply({ type: 'ostep', runId: 1, view: ostepView(3, null, 1), playing: false });
    runFrames();
    expect(useVm.getState().banner).toBeNull();
    w.crash();
    const second = workers[1] as FakeWorker;
    expect(second.sent.at(-1)).toEqual({
      type: 'ostepLoad',
      runId: 2,
      source: { kind: 'pasted', text: 'PROBLEM TEXT' },
      step: 3,
    });
  });

  it('names the machine image in the banner when a pasted image is rejected', () => {
    const { client, workers } = setup();
    client.openImage({ kind: 'builtin', id: 'example' }, 0);
    const w = workers[0] as FakeWorker;
    expect(w.sent.at(-1)).toMatchObject({ type: 'imageLoad', source: { kind: 'builtin', id: 'example' } });
    expect(useVm.getState().scenarioId).toBe('machine-image');
    client.paste('{');
    w.reply({ type: 'pasteRejected', runId: 1, seq: 1, error: 'not JSON: oops' });
    expect(useVm.getState().banner).toBe(
      'Could not load the pasted machine image: not JSON: oops. The previous image is still shown.',
    );
  });

  it('opens the comparison; one that cannot run puts back what was shown, with a banner', () => {
    const { client, workers, runFrames } = setup();
    client.load('lazy-tlb', 0);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(7, 'lazy-tlb'), playing: false });
    runFrames();
    client.openCompare({ scenarioId: 'nope', protocols: ['linux-x86'] });
    expect(w.sent.at(-1)).toEqual({
      type: 'compareLoad',
      runId: 2,
      source: { scenarioId: 'nope', protocols: ['linux-x86'] },
    });
    expect(useVm.getState().scenarioId).toBe('compare-protocols');
    w.reply({ type: 'error', runId: 2, message: 'there is no scenario "nope"' });
    expect(useVm.getState().banner).toBe(
      'Could not open the comparison: there is no scenario "nope". The previous view is still shown.',
    );
    // The scenario at its step again, not the default comparison.
    expect(w.sent.at(-1)).toEqual({ type: 'load', runId: 3, scenarioId: 'lazy-tlb', step: 7 });
  });

  it('falls back to the default comparison when a first comparison link cannot run', () => {
    const { client, workers, runFrames } = setup();
    client.openCompare({ scenarioId: 'walk-basics', protocols: ['counter'] });
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'error', runId: 1, message: 'the scenario "walk-basics" has no shootdown to compare' });
    expect(useVm.getState().banner).toMatch(/has no shootdown to compare\. Showing protocol-compare instead/);
    const again = w.sent.at(-1);
    expect(again).toMatchObject({
      type: 'compareLoad',
      runId: 2,
      source: { scenarioId: 'protocol-compare' },
    });
    const view = { scenario: { id: 'protocol-compare' }, selected: ['linux-x86'] } as CompareView;
    w.reply({ type: 'compare', runId: 2, view, playing: false });
    runFrames();
    expect(useVm.getState().compare).toBe(view);
    expect(useVm.getState().snapshot).toBeNull();
  });
});

describe('WorkerClient watchdog', () => {
  beforeEach(() => useVm.setState({ ...initialState }));

  it('pings after a command and restarts a worker that does not answer in time', () => {
    const { client, workers, advance } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(5), playing: false });
    w.pong();
    client.send({ type: 'step', n: 1 });
    expect(w.pings).toHaveLength(2);
    // The worker hangs on the step: no snapshot, no pong.
    advance(3_500);
    expect(workers).toHaveLength(1);
    advance(1_000);
    expect(w.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    const second = workers[1] as FakeWorker;
    expect(second.lastLoad).toMatchObject({ scenarioId: 'munmap-shootdown', step: 5, runId: 2 });
    expect(useVm.getState().banner).toBe(
      'The simulation stopped responding at step 5; restarted and restored step 5.',
    );
  });

  it('leaves a worker alone that answers in time, however long it runs', () => {
    const { client, workers, advance } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.pong();
    for (let i = 0; i < 20; i++) {
      client.send({ type: 'step', n: 1 });
      advance(3_000);
      w.pong();
    }
    expect(workers).toHaveLength(1);
    expect(w.terminated).toBe(false);
    expect(useVm.getState().banner).toBeNull();
  });

  it('covers commands sent while a ping is out with the next ping', () => {
    const { client, workers, advance } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    client.send({ type: 'step', n: 1 });
    client.send({ type: 'step', n: 1 });
    expect(w.pings).toHaveLength(1);
    // The pong of the first ping does not vouch for the steps after it: a second ping follows.
    w.pong();
    expect(w.pings).toHaveLength(2);
    advance(5_000);
    expect(w.terminated).toBe(true);
  });

  it('gives a load longer, since it runs the scenario through once', () => {
    const { client, workers, advance } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    advance(10_000);
    expect(w.terminated).toBe(false);
    advance(6_000);
    expect(w.terminated).toBe(true);
    expect(useVm.getState().banner).toMatch(/^The simulation stopped responding at step 0;/);
  });

  it('sends heartbeats while playing and restarts a worker stuck in a step of its own', () => {
    const { client, workers, advance } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.pong();
    client.send({ type: 'play', speed: 2 });
    w.pong();
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(8), playing: true });
    useVm.setState({ playing: true });
    const before = w.pings.length;
    advance(WATCHDOG_TICK_MS);
    expect(w.pings.length).toBe(before + 1);
    w.pong();
    // Then a step never ends: no more pongs.
    advance(5_000);
    expect(w.terminated).toBe(true);
    expect((workers[1] as FakeWorker).lastLoad).toMatchObject({ step: 8 });
    expect(useVm.getState().playing).toBe(false);
  });

  it('sends no heartbeat while paused', () => {
    const { client, workers, advance } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.pong();
    advance(60_000);
    expect(w.pings).toHaveLength(1);
    expect(w.terminated).toBe(false);
  });

  it('counts a pong sent before a new load (another runId) as a sign of life', () => {
    const { client, workers, advance } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    client.load('lazy-tlb', 0);
    const ping = w.pings.at(-1);
    expect(ping?.runId).toBe(1);
    w.pong();
    // The second load is covered by a new ping, stamped with the new run.
    expect(w.pings.at(-1)?.runId).toBe(2);
    w.pong();
    advance(30_000);
    expect(w.terminated).toBe(false);
  });

  it('treats messageerror as a crash', () => {
    const { client, workers } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(3), playing: false });
    w.messageError();
    expect(w.terminated).toBe(true);
    expect((workers[1] as FakeWorker).lastLoad).toMatchObject({ step: 3 });
    expect(useVm.getState().banner).toBe(
      'The simulation crashed (a message could not be read) at step 3; restarted and restored step 3.',
    );
  });

  it('restores the scenario asked for, not an earlier one, when a new load hangs', () => {
    const { client, workers, advance } = setup();
    client.load('munmap-shootdown', 0);
    const w = workers[0] as FakeWorker;
    w.reply({ type: 'snapshot', runId: 1, snapshot: snap(9), playing: false });
    w.pong();
    client.load('lazy-tlb', 4);
    advance(16_000);
    expect(w.terminated).toBe(true);
    expect((workers[1] as FakeWorker).lastLoad).toMatchObject({ scenarioId: 'lazy-tlb', step: 4 });
  });

  it('passes test hooks to the worker', () => {
    const { client, workers } = setup();
    client.load('munmap-shootdown', 0);
    client.testHook('hang');
    expect((workers[0] as FakeWorker).sent.at(-1)).toEqual({ type: 'testHook', runId: 1, hook: 'hang' });
  });
});
