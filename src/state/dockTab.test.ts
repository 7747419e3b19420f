import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../core/view/snapshot';
import { dockTabOf, loadScenario, setClientForTests, showDockTab } from './actions';
import { WorkerClient, type WorkerPort } from './client';
import { initialState, useVm } from './store';

function fakeClient(): void {
  const port: WorkerPort = { postMessage: () => {}, terminate: () => {}, addEventListener: () => {} };
  setClientForTests(new WorkerClient({ createWorker: () => port, schedule: (fn) => fn() }));
}

/** Just enough of a snapshot for the default tab: its cores. */
function withCores(n: number): Snapshot {
  return { cores: Array.from({ length: n }, (_, id) => ({ id })) } as unknown as Snapshot;
}

describe('the shared panel area', () => {
  beforeEach(() => useVm.setState({ ...initialState }));
  afterEach(() => setClientForTests(null));

  it('defaults to IPIs on a multi-core machine and to frames on a single core', () => {
    expect(dockTabOf({ dockTab: null, snapshot: withCores(4) })).toBe('ipi');
    expect(dockTabOf({ dockTab: null, snapshot: withCores(1) })).toBe('frames');
    expect(dockTabOf({ dockTab: 'stats', snapshot: withCores(1) })).toBe('stats');
  });

  it('keeps the chosen tab within a scenario and goes back to the default for another', () => {
    fakeClient();
    useVm.setState({ scenarioId: 'munmap-shootdown' });
    showDockTab('cores');
    loadScenario('munmap-shootdown', 3);
    expect(useVm.getState().dockTab).toBe('cores');
    loadScenario('huge-pages', 0);
    expect(useVm.getState().dockTab).toBeNull();
  });
});
