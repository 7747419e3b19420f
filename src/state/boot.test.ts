import { beforeEach, describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../worker/protocol';
import {
  adoptBootWorker,
  adoptingFactory,
  bootWorker,
  FIRST_RUN_ID,
  firstLoad,
  resetBootForTests,
} from './boot';
import { type WorkerPort, WorkerClient } from './client';
import { DEFAULT_SCENARIO } from './permalink';
import { initialState, useVm } from './store';

type Listener = (ev: never) => void;

/** A stand-in worker that records what it was sent and can crash. */
class FakeWorker implements WorkerPort {
  sent: ToWorker[] = [];
  private listeners = new Map<string, Listener[]>();
  constructor(readonly name: string) {}
  postMessage(msg: ToWorker): void {
    if (msg.type !== 'ping') this.sent.push(msg);
  }
  terminate(): void {}
  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  reply(msg: FromWorker): void {
    for (const fn of this.listeners.get('message') ?? []) fn({ data: msg } as never);
  }
  crash(): void {
    for (const fn of this.listeners.get('error') ?? []) fn({ type: 'error', preventDefault() {} } as never);
  }
}

/** A client that adopts the early worker, then makes fresh ones (listed in `fresh`). */
function clientAdopting(): { client: WorkerClient; fresh: FakeWorker[] } {
  const fresh: FakeWorker[] = [];
  const client = new WorkerClient({
    createWorker: adoptingFactory(() => {
      const w = new FakeWorker('fresh');
      fresh.push(w);
      return w;
    }),
    schedule: (fn) => fn(),
    every: () => {},
  });
  return { client, fresh };
}

describe('the early worker', () => {
  beforeEach(() => {
    resetBootForTests();
    useVm.setState({ ...initialState });
  });

  it('is handed out once; later adoptions get none', () => {
    const early = new FakeWorker('early');
    bootWorker(() => early);
    const port = adoptBootWorker();
    port?.postMessage({ type: 'pause', runId: 1 });
    expect(early.sent).toEqual([{ type: 'pause', runId: 1 }]);
    expect(adoptBootWorker()).toBeNull();
  });

  it('is started once, and not at all once the client has taken its first worker', () => {
    let made = 0;
    const make = () => new FakeWorker(`w${++made}`);
    bootWorker(make);
    bootWorker(make);
    expect(made).toBe(1);
    adoptBootWorker();
    bootWorker(make);
    expect(made).toBe(1);
    expect(adoptBootWorker()).toBeNull();
  });

  it('without one, the factory makes a new worker every time', () => {
    const made: FakeWorker[] = [];
    const factory = adoptingFactory(() => {
      const w = new FakeWorker(`w${made.length + 1}`);
      made.push(w);
      return w;
    });
    expect(factory()).toBe(made[0]);
    expect(factory()).toBe(made[1]);
    expect(made).toHaveLength(2);
  });

  it('the client runs its first load on the early worker and restarts a crash on a fresh one', () => {
    const early = new FakeWorker('early');
    bootWorker(() => early);
    const { client, fresh } = clientAdopting();
    client.load('munmap-shootdown', 2);
    expect(early.sent).toEqual([{ type: 'load', runId: 1, scenarioId: 'munmap-shootdown', step: 2 }]);
    expect(fresh).toHaveLength(0);
    early.reply({ type: 'loaded', runId: 1, scenarios: [], scenarioId: 'munmap-shootdown' });
    early.crash();
    expect(fresh).toHaveLength(1);
    const load = (fresh[0] as FakeWorker).sent.find((m) => m.type === 'load');
    expect(load?.scenarioId).toBe('munmap-shootdown');
    // The crashed early worker is not used again.
    const before = early.sent.length;
    client.send({ type: 'step', n: 1 });
    expect(early.sent).toHaveLength(before);
    expect((fresh[0] as FakeWorker).sent.at(-1)?.type).toBe('step');
    client.dispose();
  });
});

describe('the early first load', () => {
  beforeEach(() => {
    resetBootForTests();
    useVm.setState({ ...initialState });
  });

  it("is a scenario link's load, or the default scenario's for an empty fragment", () => {
    expect(firstLoad('#s=lazy-tlb&step=3')).toEqual({
      type: 'load',
      runId: FIRST_RUN_ID,
      scenarioId: 'lazy-tlb',
      step: 3,
    });
    expect(firstLoad('')?.scenarioId).toBe(DEFAULT_SCENARIO);
    expect(firstLoad('')?.step).toBe(0);
  });

  it('is none for a link to another view or a bad link', () => {
    expect(firstLoad('#ostep=seed1&step=2')).toBeNull();
    expect(firstLoad('#image=example&step=1')).toBeNull();
    expect(firstLoad('#s=munmap-shootdown&step=-4')).toBeNull();
    expect(firstLoad('#nonsense')).toBeNull();
  });

  it("is posted with the worker, and is exactly the client's first load", () => {
    const early = new FakeWorker('early');
    bootWorker(() => early, '#s=lazy-tlb&step=3');
    expect(early.sent).toEqual([firstLoad('#s=lazy-tlb&step=3')]);
    const client = new WorkerClient({
      createWorker: adoptingFactory(),
      schedule: (fn) => fn(),
      every: () => {},
    });
    client.load('lazy-tlb', 3);
    // The same runId too, so the worker knows the copy is answered already.
    expect(early.sent[1]).toEqual(early.sent[0]);
    client.dispose();
  });
});

describe('replies that come before the client listens', () => {
  beforeEach(() => {
    resetBootForTests();
    useVm.setState({ ...initialState });
  });

  it('reach the client after its first load, and before later ones', async () => {
    const early = new FakeWorker('early');
    bootWorker(() => early, '#s=lazy-tlb&step=3');
    // The worker answers the early load while the app is still loading.
    early.reply({ type: 'loaded', runId: FIRST_RUN_ID, scenarios: [], scenarioId: 'lazy-tlb' });
    early.reply({
      type: 'snapshot',
      runId: FIRST_RUN_ID,
      snapshot: { scenarioId: 'lazy-tlb', step: 3, procs: [] } as never,
      playing: false,
    });
    const client = new WorkerClient({
      createWorker: adoptingFactory(),
      schedule: (fn) => fn(),
      every: () => {},
    });
    client.load('lazy-tlb', 3);
    expect(useVm.getState().snapshot).toBeNull();
    await Promise.resolve();
    expect(useVm.getState().snapshot?.step).toBe(3);
    client.dispose();
  });
});

describe('a failure before the client listens', () => {
  beforeEach(() => {
    resetBootForTests();
    useVm.setState({ ...initialState });
  });

  it('reaches the client, which restarts on a fresh worker at once (not when the watchdog gives up)', async () => {
    const early = new FakeWorker('early');
    bootWorker(() => early, '#s=lazy-tlb&step=3');
    // The worker's script fails to load while the app's bundle is still loading.
    early.crash();
    const { client, fresh } = clientAdopting();
    client.load('lazy-tlb', 3);
    expect(fresh).toHaveLength(0);
    await Promise.resolve();
    expect(fresh).toHaveLength(1);
    expect((fresh[0] as FakeWorker).sent.find((m) => m.type === 'load')?.scenarioId).toBe('lazy-tlb');
    client.dispose();
  });
});
