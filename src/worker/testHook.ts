// Failures on purpose, for the crash test (e2e/robustness.spec.ts). Only the client's test-hook
// module sends a `testHook` message, and it is installed only when the page's URL has
// `?testhooks=1` (see src/state/testHooks.ts); no control of the app sends one.
import type { WorkerTestHook } from './protocol';

export function runTestHook(hook: WorkerTestHook): void {
  switch (hook) {
    case 'throw':
      // Thrown from a task of its own, outside the message handler's try/catch: an uncaught
      // exception, which the page sees as the Worker's `error` event (as a real bug would be).
      setTimeout(() => {
        throw new Error('test hook: the worker threw');
      }, 0);
      return;
    case 'hang': {
      // Never returns: the worker stops answering, only the client's watchdog can end it.
      const t0 = performance.now();
      while (performance.now() >= t0) {
        // spin
      }
      return;
    }
    default: {
      const never: never = hook;
      throw new Error(`unknown test hook ${String(never)}`);
    }
  }
}
