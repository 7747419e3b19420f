import { beforeEach, describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { adoptBootWorker, adoptingFactory, bootWorker, resetBootForTests } from './boot';
import { type WorkerPort, WorkerClient } from './client';
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

describe('the early worker', () => {
  beforeEach(() => {
    resetBootForTests();
    useVm.setState({ ...initialState });
  });

  it('is handed out once; later adoptions get none', () => {
    const early = new FakeWorker('early');
    bootWorker(() => early);
    expect(adoptBootWorker()).toBe(early);
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
