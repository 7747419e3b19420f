// Failures on purpose, for the crash test (e2e/robustness.spec.ts): make the worker throw or
// hang, make a panel throw while it renders.
//
// Why a query parameter and not a test build: the e2e tests run against the production bundle
// (`vite build` + `vite preview`), the one students get, so the code under test is the code that
// ships. The hooks are installed only when the page's URL has `?testhooks=1` in its query string;
// no control of the app sets it, and permalinks live in the fragment (#...), never the query, so
// a shared link or a click cannot reach them by accident. Installed, they only add an object to
// `window` (window.__vmscopeTestHooks) that a test calls through page.evaluate.
import { create } from 'zustand';
import type { WorkerTestHook } from '../worker/protocol';
import { seek, workerTestHook } from './actions';
import { useVm } from './store';

/** The panels a hook has made fail (by the name the panel's boundary gives). */
export const useBrokenPanels = create<{ broken: readonly string[] }>()(() => ({ broken: [] }));

export interface TestHooks {
  /** The worker throws an uncaught exception (its `error` event). */
  workerThrow(): void;
  /** The worker spins forever (the watchdog must restart it). */
  workerHang(): void;
  /** The panel throws on every render until healed. */
  breakPanel(name: string): void;
  healPanel(name: string): void;
  /** For the benchmark (bench/ui.bench.ts): where the shown run is, and how far it is known. */
  position(): { scenarioId: string | null; step: number; end: number | null; explored: number | null };
  /** For the benchmark: seek as the scrubber does. */
  seek(step: number): void;
}

declare global {
  interface Window {
    __vmscopeTestHooks?: TestHooks;
  }
}

export function testHooksWanted(search: string): boolean {
  return new URLSearchParams(search).get('testhooks') === '1';
}

function hook(h: WorkerTestHook): () => void {
  return () => workerTestHook(h);
}

/** Installs window.__vmscopeTestHooks if the URL asks for them (see above); else does nothing. */
export function installTestHooks(): void {
  if (typeof window === 'undefined' || !testHooksWanted(window.location.search)) return;
  window.__vmscopeTestHooks = {
    workerThrow: hook('throw'),
    workerHang: hook('hang'),
    breakPanel: (name) =>
      useBrokenPanels.setState((s) => ({ broken: s.broken.includes(name) ? s.broken : [...s.broken, name] })),
    healPanel: (name) => useBrokenPanels.setState((s) => ({ broken: s.broken.filter((n) => n !== name) })),
    position: () => {
      const { snapshot } = useVm.getState();
      return {
        scenarioId: snapshot?.scenarioId ?? null,
        step: snapshot?.step ?? 0,
        end: snapshot?.end ?? null,
        explored: snapshot?.explored ?? null,
      };
    },
    seek,
  };
}
