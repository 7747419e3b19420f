// The worker's state, apart from postMessage so it can be tested in Node: one timeline for the
// loaded scenario, and the commands that move through it.
import type { SimEvent } from '../core/events';
import { createTimeline, eventsBetween, forward, seek, type Timeline } from '../core/engine/timeline';
import { type EventMarks, eventMarker } from '../core/view/eventMarks';
import { momentLocator } from '../core/view/keyMoments';
import { buildSnapshot, type KeyMomentAt, type Snapshot } from '../core/view/snapshot';
import { findScenario } from '../scenarios/index';
import type { Breakpoint, RunUntil, RunUntilKind } from './protocol';

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
  /** Faults, IPIs and violations over the whole run, for the ticks under the scrubber. */
  marks: EventMarks;
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
  const marker = eventMarker();
  while (r.timeline.m.step < MAX_STEPS) {
    const ev = forward(r.timeline);
    if (ev === null) break;
    loc.feed(r.timeline.m.step, ev);
    marker.feed(r.timeline.m.step, ev);
  }
  const marks = marker.finish(r.timeline.m.step);
  seek(r.timeline, 0);
  return { ok: true, session: { tl: r.timeline, keyMoments: loc.found, marks } };
}

export function snapshotOf(s: Session): Snapshot {
  const step = s.tl.m.step;
  const stepEvents = step > 0 ? (s.tl.log[step - 1] ?? []) : [];
  const history = eventsBetween(s.tl, Math.max(1, step - HISTORY_STEPS + 1), step);
  return { ...buildSnapshot(s.tl.m, stepEvents, history, s.tl.end, s.keyMoments), eventMarks: s.marks };
}

export function stepBy(s: Session, n: number): void {
  if (n >= 0) seek(s.tl, s.tl.m.step + n);
  else seek(s.tl, Math.max(0, s.tl.m.step + n));
}

export function seekTo(s: Session, step: number): void {
  seek(s.tl, Math.max(0, Math.floor(step)));
}

/** The event type that marks each kind "run to next" and breakpoints know. */
export const KIND_EVENT: Readonly<Record<RunUntilKind, SimEvent['type']>> = {
  fault: 'fault.raised',
  ipi: 'ipi.sent',
  violation: 'invariant.violated',
  shootdown: 'shootdown.begin',
  switch: 'context.switch',
  'tlb-miss': 'tlb.miss',
  syscall: 'syscall.enter',
  signal: 'signal',
};

const PAGE_HEX = /^0x[0-9a-f]{1,16}$/i;

/** The 4 KiB page of a hex VA, or null for anything else. */
export function pageOf(va: string): bigint | null {
  return PAGE_HEX.test(va) ? BigInt(va) >> 12n : null;
}

/** Breakpoints as the worker checks them: event types, and pages. Bad addresses are dropped. */
export interface BreakSet {
  types: Set<string>;
  pages: Map<bigint, string>;
}

export function breakSet(list: readonly Breakpoint[]): BreakSet {
  const types = new Set<string>();
  const pages = new Map<bigint, string>();
  for (const b of list) {
    if (b.kind === 'event') types.add(KIND_EVENT[b.on]);
    else {
      const page = pageOf(b.va);
      if (page !== null) pages.set(page, b.va);
    }
  }
  return { types, pages };
}

/** What in this step's events hits a breakpoint, in words; null if nothing does. */
export function breakpointHit(set: BreakSet, events: readonly SimEvent[]): string | null {
  if (set.types.size === 0 && set.pages.size === 0) return null;
  for (const e of events) {
    if (set.types.has(e.type)) return `breakpoint on ${e.type}`;
    if (set.pages.size > 0 && 'va' in e && typeof e.va === 'string') {
      const page = pageOf(e.va);
      if (page !== null && set.pages.has(page))
        return `breakpoint on address ${set.pages.get(page)}: ${e.type} ${e.va}`;
    }
  }
  return null;
}

/**
 * Steps forward up to `n` steps, stopping early after a step that hits a breakpoint. Returns what
 * stopped it, or null.
 */
export function stepWatching(s: Session, n: number, set: BreakSet): string | null {
  for (let i = 0; i < n; i++) {
    const ev = forward(s.tl);
    if (ev === null) return null;
    const hit = breakpointHit(set, ev);
    if (hit) return hit;
  }
  return null;
}

/** Steps forward until a step contains the wanted event (or hits a breakpoint), or the end. */
export function runUntil(s: Session, until: RunUntil, set: BreakSet = breakSet([])): string | null {
  const want = until === 'end' ? null : KIND_EVENT[until];
  for (;;) {
    const ev = forward(s.tl);
    if (ev === null) return null;
    if (want !== null && ev.some((e) => e.type === want)) return null;
    const hit = breakpointHit(set, ev);
    if (hit) return hit;
  }
}
