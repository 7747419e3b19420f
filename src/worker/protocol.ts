// The one wire protocol between the UI thread and the simulation worker (comlink-style: a
// single file both sides import). Every message carries the runId of the load it belongs to,
// so replies to an older load are dropped.
import type { Snapshot } from '../core/view/snapshot';
import type { ScenarioInfo } from '../scenarios/index';
import type { ImageView } from './image';
import type { OstepView } from './ostep';

export type RunUntil = 'fault' | 'ipi' | 'violation' | 'end';

/** The lesson id of the OSTEP two-level page-table homework (a mode of its own, not a scenario). */
export const OSTEP_LESSON = 'ostep-multilevel';

/** The OSTEP problems built into the app, by permalink name. */
export const OSTEP_PROBLEMS = ['seed1'] as const;
export type OstepProblemId = (typeof OSTEP_PROBLEMS)[number];
export const DEFAULT_OSTEP_PROBLEM: OstepProblemId = 'seed1';

/**
 * Pasted problem texts longer than this (in UTF-16 code units) are refused before they are sent
 * to the worker; the parser applies the same cap again (MAX_PROBLEM_BYTES).
 */
export const MAX_PASTE_CHARS = 256 * 1024;

/** Where an OSTEP problem comes from: built in, or text a user pasted (untrusted). */
export type OstepSource = { kind: 'builtin'; id: OstepProblemId } | { kind: 'pasted'; text: string };

/** The view that runs a `vmscope translate` machine image (pasted JSON) in the browser. */
export const IMAGE_LESSON = 'machine-image';

/** A machine image: the built-in example, or JSON a user pasted (untrusted). */
export type ImageSource = { kind: 'builtin'; id: 'example' } | { kind: 'pasted'; text: string };

/**
 * Pasted machine images longer than this are refused before they are sent to the worker (a
 * page-table dump a person pastes is a few frames; the CLI takes files up to MAX_IMAGE_BYTES).
 */
export const MAX_IMAGE_PASTE_CHARS = 4 * 1024 * 1024;

export type ToWorker =
  | { type: 'load'; runId: number; scenarioId: string; step: number }
  /** Opens the OSTEP lesson on a problem: a new run (a pasted text here is one that parsed before). */
  | { type: 'ostepLoad'; runId: number; source: OstepSource; step: number }
  /** Opens the machine-image view on an image: a new run (a pasted one here parsed before). */
  | { type: 'imageLoad'; runId: number; source: ImageSource; step: number }
  /**
   * Replaces the current run's OSTEP problem or machine image with a pasted text if it parses;
   * if it does not, the worker answers `pasteRejected` and keeps what it shows, at its step.
   */
  | { type: 'paste'; runId: number; seq: number; text: string }
  | { type: 'step'; runId: number; n: number }
  | { type: 'back'; runId: number; n: number }
  | { type: 'seek'; runId: number; step: number }
  | { type: 'play'; runId: number; speed: number }
  | { type: 'pause'; runId: number }
  | { type: 'runUntil'; runId: number; until: RunUntil };

export type FromWorker =
  | { type: 'loaded'; runId: number; scenarios: ScenarioInfo[]; scenarioId: string }
  | { type: 'snapshot'; runId: number; snapshot: Snapshot; playing: boolean }
  | { type: 'ostep'; runId: number; view: OstepView; playing: boolean }
  | { type: 'image'; runId: number; view: ImageView; playing: boolean }
  | { type: 'pasteRejected'; runId: number; seq: number; error: string }
  | { type: 'error'; runId: number; message: string };

/** Steps per second offered by the speed control. */
export const SPEEDS = [1, 2, 5, 10, 30] as const;

export function assertNever(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}
