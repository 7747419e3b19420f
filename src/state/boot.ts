// The worker starts before the app's code has loaded: index.html runs src/ui/boot.ts first, a
// tiny module, so the worker's bundle is fetched, compiled and run while the page's own (much
// bigger) bundle still is. The client adopts that worker on its first spawn; every later spawn (a
// crash restart) makes a fresh one.
import type { WorkerPort } from './client';

/** Makes a worker. The one place that names the worker's entry, so the bundler emits it once. */
export function newWorker(): WorkerPort {
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' });
}

let early: WorkerPort | null = null;
let adopted = false;

/** Starts the worker now, unless it was started or adopted already. */
export function bootWorker(make: () => WorkerPort = newWorker): void {
  if (early === null && !adopted) early = make();
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
