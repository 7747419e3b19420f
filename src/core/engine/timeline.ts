// Time travel: the run is a pure function of (scenario, seed), so the past is kept as
// checkpoints every K steps plus the event log. Going back or seeking to step N restores the
// nearest checkpoint at or before N and replays forward. Memory stays bounded on long runs: when
// there would be more than MAX_CHECKPOINTS, every other one is dropped and K doubles, so a
// million-step run keeps at most that many machines and a seek replays at most K steps.
import type { SimEvent } from '../events';
import { createMachine } from '../kernel/build';
import type { Machine } from '../machine';
import type { ScenarioSpec } from '../spec';
import { cloneMachine } from './cloneMachine';
import { step } from './step';

/**
 * Checkpoints kept at most; beyond this their spacing doubles. A checkpoint of a small machine is
 * about 20 KB (its frames are shared copy-on-write), so 1,024 of them let a 100,000-step run keep
 * one every 128 steps (a seek replays a few ms) and a 1,000,000-step run one every 1,024, in
 * about 20 MB. Runs under 65,536 steps (every lesson, stress-16) never reach the cap.
 */
export const MAX_CHECKPOINTS = 1024;

/**
 * Steps of events kept behind the current step. Older ones are dropped and recomputed by replay
 * when a seek goes back to them, so a long run's log stays bounded like its checkpoints.
 */
export const LOG_WINDOW = 4096;

export interface Timeline {
  spec: ScenarioSpec;
  seed: number;
  /** Steps between checkpoints: starts at the `every` given and doubles as the run grows. */
  every: number;
  /** checkpoints[k] is the machine after step k * every. */
  checkpoints: Machine[];
  /**
   * log[s - 1] holds the events of step s for the first `logWindow` steps (a lesson's whole run);
   * entries fall out (undefined) as the window moves past them. Read a step's events with
   * loggedEvents, which also looks in `later`.
   */
  log: (SimEvent[] | undefined)[];
  /**
   * The events of steps after the first window, by step: the last `logWindow` steps up to the
   * current one, and whatever was computed ahead of it. A Map, not more of `log`: seeks write a
   * few hundred steps far apart, and an array written that sparsely makes V8 switch its storage
   * between a dictionary and a flat copy the length of the run (tens of ms per seek).
   */
  later: Map<number, SimEvent[]>;
  logWindow: number;
  /** The machine at the current step. */
  m: Machine;
  /** The last step of the run, once it has been reached. */
  end: number | null;
  /** Checkpoints kept at most (MAX_CHECKPOINTS unless a test wants thinning sooner). */
  maxCheckpoints: number;
}

export type TimelineResult = { ok: true; timeline: Timeline } | { ok: false; error: string };

export function createTimeline(
  spec: ScenarioSpec,
  seed = spec.seed,
  every = 64,
  maxCheckpoints = MAX_CHECKPOINTS,
  logWindow = LOG_WINDOW,
): TimelineResult {
  const built = createMachine(spec, seed);
  if (!built.ok) return built;
  const m = built.machine;
  const end = m.done ? 0 : null;
  return {
    ok: true,
    timeline: {
      spec,
      seed,
      every,
      checkpoints: [cloneMachine(m)],
      log: [],
      later: new Map(),
      logWindow,
      m,
      end,
      maxCheckpoints,
    },
  };
}

/** One step forward. Returns the step's events, or null at the end of the run. */
export function forward(tl: Timeline): SimEvent[] | null {
  if (tl.m.done) {
    tl.end = tl.m.step;
    return null;
  }
  const before = tl.m.step;
  const events = step(tl.m);
  if (tl.m.step === before) {
    tl.end = tl.m.step;
    return null;
  }
  const s = tl.m.step;
  if (loggedEvents(tl, s) === undefined) logEvents(tl, s, events);
  // Keep the log bounded: the step that just left the window behind us is recomputed if needed.
  if (s - tl.logWindow >= 1) dropEvents(tl, s - tl.logWindow);
  keepCheckpoint(tl, tl.m);
  if (tl.m.done) tl.end = s;
  return events;
}

/** The events of step `s` (from 1), if the log holds them. */
export function loggedEvents(tl: Timeline, s: number): SimEvent[] | undefined {
  return s <= tl.logWindow ? tl.log[s - 1] : tl.later.get(s);
}

function logEvents(tl: Timeline, s: number, events: SimEvent[]): void {
  if (s <= tl.logWindow) tl.log[s - 1] = events;
  else tl.later.set(s, events);
}

function dropEvents(tl: Timeline, s: number): void {
  if (s <= tl.logWindow) tl.log[s - 1] = undefined;
  else tl.later.delete(s);
}

/**
 * After a jump to `goal`: if seeks have left islands of logged steps all over a long run, keep
 * only the window behind the goal, so scrubbing around a long run does not grow the log without
 * bound (each restore replays up to a checkpoint spacing of steps into it).
 */
function pruneLater(tl: Timeline, goal: number): void {
  if (tl.later.size <= 2 * tl.logWindow) return;
  for (const s of tl.later.keys()) if (s > goal || s <= goal - tl.logWindow) tl.later.delete(s);
}

/** Stores `m` as a checkpoint if its step falls on the spacing and none is there yet. */
function keepCheckpoint(tl: Timeline, m: Machine): void {
  const s = m.step;
  if (s % tl.every === 0 && !tl.checkpoints[s / tl.every]) {
    if (s / tl.every >= tl.maxCheckpoints) thinCheckpoints(tl);
    if (s % tl.every === 0) tl.checkpoints[s / tl.every] = cloneMachine(m);
  }
}

/**
 * A second machine that runs ahead of the shown one to learn the run (its length, its key
 * moments) and leaves checkpoints on the way, so that a seek anywhere it has been replays at most
 * one spacing. It logs only the first window of steps (what a lesson needs); its events also go
 * to whoever steps it.
 */
export interface Explorer {
  m: Machine;
}

export function startExplorer(tl: Timeline): Explorer {
  return { m: cloneMachine(tl.checkpoints[0] as Machine) };
}

/** One step of the explorer; null once the run has ended (then tl.end is known). */
export function exploreStep(tl: Timeline, ex: Explorer): SimEvent[] | null {
  const before = ex.m.step;
  const events = ex.m.done ? null : step(ex.m);
  if (events === null || ex.m.step === before) {
    tl.end = ex.m.step;
    return null;
  }
  // The first window of steps is logged as the shown machine would log them, so a lesson (far
  // shorter than the window) has its whole log at once: the IPI lanes and charts fold history.
  const s = ex.m.step;
  if (s <= tl.logWindow && tl.log[s - 1] === undefined) tl.log[s - 1] = events;
  keepCheckpoint(tl, ex.m);
  if (ex.m.done) tl.end = s;
  return events;
}

/** Keeps every other checkpoint (those at multiples of 2K) and doubles K. */
function thinCheckpoints(tl: Timeline): void {
  const kept: Machine[] = [];
  for (let i = 0; i < tl.checkpoints.length; i += 2) {
    const cp = tl.checkpoints[i];
    if (cp) kept[i / 2] = cp;
  }
  tl.checkpoints = kept;
  tl.every *= 2;
}

/** Moves to step `target` (clamped to [0, end]); returns the step reached. */
export function seek(tl: Timeline, target: number): number {
  const goal = Math.max(0, tl.end === null ? target : Math.min(target, tl.end));
  // The goal step's own events are shown with it: when the log does not hold them (the explorer
  // keeps no log, and the window drops old steps), the goal step itself must be replayed, so the
  // restore point must lie before it.
  const need = goal > 0 && loggedEvents(tl, goal) === undefined ? goal - 1 : goal;
  if (goal < tl.m.step || goal - tl.m.step > tl.every || tl.m.step > need) {
    let k = Math.min(Math.floor(need / tl.every), tl.checkpoints.length - 1);
    while (k > 0 && !tl.checkpoints[k]) k--;
    const cp = tl.checkpoints[k] as Machine;
    if (tl.m.step <= need && cp.step <= tl.m.step) {
      // The current machine is closer than any checkpoint: just run forward.
    } else {
      tl.m = cloneMachine(cp);
      pruneLater(tl, goal);
    }
  }
  while (tl.m.step < goal) {
    if (forward(tl) === null) break;
  }
  return tl.m.step;
}

/** Runs the whole scenario once, so its length and key moments are known. */
export function runThrough(tl: Timeline, maxSteps: number): void {
  const start = tl.m.step;
  while (tl.m.step < maxSteps && forward(tl) !== null) {}
  seek(tl, start);
}

/** Events of steps from..upTo (inclusive), flattened; steps outside the kept window are skipped. */
export function eventsBetween(tl: Timeline, from: number, upTo: number): SimEvent[] {
  const out: SimEvent[] = [];
  for (let s = Math.max(1, from); s <= upTo; s++) {
    const step = loggedEvents(tl, s);
    if (step) for (const e of step) out.push(e);
  }
  return out;
}

/** Events of steps 1..upTo (inclusive), flattened (as far as the window keeps them). */
export function eventsUpTo(tl: Timeline, upTo: number): SimEvent[] {
  return eventsBetween(tl, 1, upTo);
}
