// The one wire protocol between the UI thread and the simulation worker (comlink-style: a
// single file both sides import). Every message carries the runId of the load it belongs to,
// so replies to an older load are dropped.
import type { Snapshot } from '../core/view/snapshot';
import type { ScenarioInfo } from '../scenarios/index';

export type RunUntil = 'fault' | 'ipi' | 'violation' | 'end';

export type ToWorker =
  | { type: 'load'; runId: number; scenarioId: string; step: number }
  | { type: 'step'; runId: number; n: number }
  | { type: 'back'; runId: number; n: number }
  | { type: 'seek'; runId: number; step: number }
  | { type: 'play'; runId: number; speed: number }
  | { type: 'pause'; runId: number }
  | { type: 'runUntil'; runId: number; until: RunUntil };

export type FromWorker =
  | { type: 'loaded'; runId: number; scenarios: ScenarioInfo[]; scenarioId: string }
  | { type: 'snapshot'; runId: number; snapshot: Snapshot; playing: boolean }
  | { type: 'error'; runId: number; message: string };

/** Steps per second offered by the speed control. */
export const SPEEDS = [1, 2, 5, 10, 30] as const;

export function assertNever(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}
