// Module-level actions: the only way the UI changes anything. They update the store and send
// commands through the one worker client; the worker's snapshots come back through the client.
import type { RunUntil } from '../worker/protocol';
import { SPEEDS } from '../worker/protocol';
import { WorkerClient, type WorkerPort } from './client';
import { DEFAULT_SCENARIO, formatFragment, parseFragment } from './permalink';
import { DEFAULT_SPEED, useVm } from './store';

let client: WorkerClient | null = null;

function createWorker(): WorkerPort {
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' });
}

function theClient(): WorkerClient {
  if (!client) client = new WorkerClient({ createWorker });
  return client;
}

/** For tests: use a client with a fake worker. */
export function setClientForTests(c: WorkerClient | null): void {
  client = c;
}

export function loadScenario(scenarioId: string, step = 0): void {
  if (useVm.getState().scenarioId !== scenarioId) useVm.setState({ ptPid: null });
  theClient().load(scenarioId, step);
}

export function stepForward(n = 1): void {
  theClient().send({ type: 'step', n });
}

export function stepBack(n = 1): void {
  theClient().send({ type: 'back', n });
}

export function seek(step: number): void {
  theClient().send({ type: 'seek', step: Math.max(0, Math.floor(step)) });
}

// Play and pause are not applied optimistically: the worker answers each at once with a snapshot
// that carries `playing`, so the button never flickers between the two.
export function play(): void {
  theClient().send({ type: 'play', speed: useVm.getState().speed });
}

export function pause(): void {
  theClient().send({ type: 'pause' });
}

export function togglePlay(): void {
  if (useVm.getState().playing) pause();
  else play();
}

export function setSpeed(speed: number): void {
  const s = (SPEEDS as readonly number[]).includes(speed) ? speed : DEFAULT_SPEED;
  useVm.setState({ speed: s });
  if (useVm.getState().playing) theClient().send({ type: 'play', speed: s });
}

/** Seek to the next (+1) or previous (-1) key moment of the lesson, if there is one. */
export function jumpKeyMoment(direction: 1 | -1): void {
  const snap = useVm.getState().snapshot;
  if (!snap) return;
  const steps = [...new Set(snap.keyMoments.map((k) => k.step))].sort((a, b) => a - b);
  const target =
    direction > 0 ? steps.find((s) => s > snap.step) : [...steps].reverse().find((s) => s < snap.step);
  if (target !== undefined) seek(target);
}

/** Home / End: the start of the run, or its last step. */
export function seekEdge(edge: 'start' | 'end'): void {
  const snap = useVm.getState().snapshot;
  if (edge === 'start') seek(0);
  else if (snap?.end !== null && snap?.end !== undefined) seek(snap.end);
}

export function runUntil(until: RunUntil): void {
  theClient().send({ type: 'runUntil', until });
}

export function dismissBanner(): void {
  useVm.setState({ banner: null });
}

export function showProcess(pid: number | null): void {
  useVm.setState({ ptPid: pid });
}

/** Opens whatever the URL fragment names (or the default), reporting a bad link in the banner. */
function openFragment(hash: string): void {
  const parsed = parseFragment(hash);
  if (!parsed.ok) {
    useVm.setState({ banner: parsed.error });
    loadScenario(parsed.link.scenarioId, parsed.link.step);
    return;
  }
  const link = parsed.link ?? { scenarioId: DEFAULT_SCENARIO, step: 0 };
  loadScenario(link.scenarioId, link.step);
}

let started = false;

/**
 * Starts the app's state: opens the permalink in the fragment and keeps the fragment in sync with
 * the current step (history.replaceState, so stepping does not fill the back button's history).
 */
export function startApp(): void {
  if (started) return;
  started = true;
  openFragment(window.location.hash);

  useVm.subscribe((s, prev) => {
    const snap = s.snapshot;
    if (
      !snap ||
      (prev.snapshot && prev.snapshot.step === snap.step && prev.snapshot.scenarioId === snap.scenarioId)
    ) {
      return;
    }
    const fragment = formatFragment({ scenarioId: snap.scenarioId, step: snap.step });
    if (window.location.hash !== fragment) {
      const { pathname, search } = window.location;
      window.history.replaceState(window.history.state, '', `${pathname}${search}${fragment}`);
    }
  });

  // A fragment edited by hand (or a pasted link in the same tab).
  window.addEventListener('hashchange', () => {
    const snap = useVm.getState().snapshot;
    const parsed = parseFragment(window.location.hash);
    if (
      parsed.ok &&
      parsed.link &&
      snap &&
      parsed.link.scenarioId === snap.scenarioId &&
      parsed.link.step === snap.step
    ) {
      return;
    }
    openFragment(window.location.hash);
  });
}
