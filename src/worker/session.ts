// The worker's state, apart from postMessage so it can be tested in Node: one timeline for the
// loaded scenario, and the commands that move through it.
import type { SimEvent } from '../core/events';
import { createTimeline, eventsBetween, forward, seek, type Timeline } from '../core/engine/timeline';
import { momentLocator } from '../core/view/keyMoments';
import { buildSnapshot, type KeyMomentAt, type Snapshot } from '../core/view/snapshot';
import { findScenario } from '../scenarios/index';
import type { RunUntil } from './protocol';

/** Scenarios are run to the end on load (to know their length) up to this many steps. */
export const MAX_STEPS = 100_000;

/**
 * Steps of history a snapshot folds for the IPI lanes. A snapshot is built per step, so folding
 * the whole run would make each step cost O(run length); lessons are far shorter than this.
 */
export const HISTORY_STEPS = 2_000;

export interface Session {
  tl: Timeline;
  keyMoments: KeyMomentAt[];
}

export type LoadResult = { ok: true; session: Session } | { ok: false; error: string };

export function loadSession(scenarioId: string): LoadResult {
  const spec = findScenario(scenarioId);
  if (!spec) return { ok: false, error: `unknown scenario "${scenarioId.slice(0, 60)}"` };
  const r = createTimeline(spec);
  if (!r.ok) return r;
  // Run through once to learn the length and place the key moments as the events stream by
  // (the log keeps only a window), then come back to step 0.
  const loc = momentLocator(spec.keyMoments);
  while (r.timeline.m.step < MAX_STEPS) {
    const ev = forward(r.timeline);
    if (ev === null) break;
    loc.feed(r.timeline.m.step, ev);
  }
  seek(r.timeline, 0);
  return { ok: true, session: { tl: r.timeline, keyMoments: loc.found } };
}

export function snapshotOf(s: Session): Snapshot {
  const step = s.tl.m.step;
  const stepEvents = step > 0 ? (s.tl.log[step - 1] ?? []) : [];
  const history = eventsBetween(s.tl, Math.max(1, step - HISTORY_STEPS + 1), step);
  return buildSnapshot(s.tl.m, stepEvents, history, s.tl.end, s.keyMoments);
}

export function stepBy(s: Session, n: number): void {
  if (n >= 0) seek(s.tl, s.tl.m.step + n);
  else seek(s.tl, Math.max(0, s.tl.m.step + n));
}

export function seekTo(s: Session, step: number): void {
  seek(s.tl, Math.max(0, Math.floor(step)));
}

function matches(until: RunUntil, e: SimEvent): boolean {
  switch (until) {
    case 'fault':
      return e.type === 'fault.raised';
    case 'ipi':
      return e.type === 'ipi.sent';
    case 'violation':
      return e.type === 'invariant.violated';
    case 'end':
      return false;
  }
}

/** Steps forward until a step contains the wanted event, or the end. */
export function runUntil(s: Session, until: RunUntil): void {
  for (;;) {
    const ev = forward(s.tl);
    if (ev === null) return;
    if (ev.some((e) => matches(until, e))) return;
  }
}
