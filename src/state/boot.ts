// The worker starts before the app's code has loaded: index.html runs src/ui/boot.ts first, a
// tiny module, so the worker's bundle is fetched, compiled and run while the page's own (much
// bigger) bundle still is. The client adopts that worker on its first spawn; every later spawn (a
// crash restart) makes a fresh one.
import {
  ARCH_LESSON,
  COMPARE_LESSON,
  IMAGE_LESSON,
  OSTEP_LESSON,
  POLICY_LESSON,
  type FromWorker,
  type ToWorker,
} from '../worker/protocol';
import type { WorkerPort } from './client';
import { DEFAULT_SCENARIO, parseFragment } from './permalink';

/** Makes a worker. The one place that names the worker's entry, so the bundler emits it once. */
export function newWorker(): WorkerPort {
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' });
}

let early: WorkerPort | null = null;
let adopted = false;

/** The client numbers its loads from this one (WorkerClient.open); boot.test.ts checks it. */
export const FIRST_RUN_ID = 1;

/**
 * The load the client will post first for this URL fragment, when it is a scenario's (a link to
 * another view, or a bad link, gets none). Posted early, the worker has the first snapshot ready
 * when the app starts; the client's own copy of it is then answered already (worker.ts).
 */
export function firstLoad(hash: string): Extract<ToWorker, { type: 'load' }> | null {
  const parsed = parseFragment(hash);
  if (!parsed.ok) return null;
  const link = parsed.link ?? { scenarioId: DEFAULT_SCENARIO, step: 0 };
  if (!('scenarioId' in link)) return null;
  const views: readonly string[] = [OSTEP_LESSON, IMAGE_LESSON, ARCH_LESSON, POLICY_LESSON, COMPARE_LESSON];
  if (views.includes(link.scenarioId)) return null;
  return { type: 'load', runId: FIRST_RUN_ID, scenarioId: link.scenarioId, step: link.step };
}

/**
 * Starts the worker now, unless it was started or adopted already, and posts it the first load
 * of the page's link (`hash`) if that is a scenario's.
 */
export function bootWorker(make: () => WorkerPort = newWorker, hash: string | null = null): void {
  if (early !== null || adopted) return;
  early = holding(make());
  const load = hash === null ? null : firstLoad(hash);
  if (load) early.postMessage(load);
}

/**
 * The worker, with the messages it posts before the client listens kept for the client: a
 * Worker's message that finds no listener is lost. The client gets them just after it adds its
 * listener, in a microtask of that same task: after its first load is posted, before any later
 * message. Its failures (`error`: the script did not load or threw; `messageerror`) are kept the
 * same way, so a worker that failed while the app loaded is restarted at once, not when the
 * watchdog gives up on it.
 */
function holding(w: WorkerPort): WorkerPort {
  const held: Record<'message' | 'error' | 'messageerror', Event[] | null> = {
    message: [],
    error: [],
    messageerror: [],
  };
  for (const type of ['message', 'error', 'messageerror'] as const) {
    listen(w, type, (ev) => {
      held[type]?.push(ev);
    });
  }
  return {
    postMessage: (msg) => w.postMessage(msg),
    terminate: () => w.terminate(),
    addEventListener(type: 'message' | 'error' | 'messageerror', fn: (ev: never) => void): void {
      const listener = fn as (ev: Event) => void;
      const mine = held[type] ?? [];
      held[type] = null;
      listen(w, type, listener);
      queueMicrotask(() => {
        for (const ev of mine) listener(ev);
      });
    },
  };
}

/** WorkerPort's addEventListener for any of its event types (its overloads take one at a time). */
function listen(w: WorkerPort, type: 'message' | 'error' | 'messageerror', fn: (ev: Event) => void): void {
  if (type === 'message') w.addEventListener('message', fn);
  else w.addEventListener(type, fn);
}

/** The early worker, once (null if none was started, and on every later call). */
export function adoptBootWorker(): WorkerPort | null {
  const w = early;
  early = null;
  adopted = true;
  return w;
}

/** A worker factory for the client: the early worker the first time (if any), then `make`'s. */
export function adoptingFactory(make: () => WorkerPort = newWorker): () => WorkerPort {
  return () => adoptBootWorker() ?? make();
}

/** For tests: forget the early worker and whether it was adopted. */
export function resetBootForTests(): void {
  early = null;
  adopted = false;
}
