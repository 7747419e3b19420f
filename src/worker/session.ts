// The worker's state, apart from postMessage so it can be tested in Node: one timeline for the
// loaded scenario, and the commands that move through it.
import type { SimEvent } from '../core/events';
import {
  createTimeline,
  type Explorer,
  eventsBetween,
  exploreStep,
  forward,
  loggedEvents,
  seek,
  startExplorer,
  type Timeline,
} from '../core/engine/timeline';
import { type EventMarks, eventMarker, NO_MARKS } from '../core/view/eventMarks';
import { momentLocator } from '../core/view/keyMoments';
import { buildSnapshot, type KeyMomentAt, procTree, type Snapshot } from '../core/view/snapshot';
import { findScenario } from '../scenarios/index';
import type { Breakpoint, RunUntil, RunUntilKind } from './protocol';
import { keepOneTree } from '../core/view/treePid';

/**
 * Runs are explored (run through once, to learn their length and key moments) up to this many
 * steps; a longer run's end stays unknown. Exploration goes on in slices in the background
 * (exploreMore), so a long run opens at once and its scrubber grows as it is learnt.
 */
export const MAX_STEPS = 1_000_000;

/**
 * Steps of history a snapshot folds for the IPI lanes. A snapshot is built per step, so folding
 * the whole run would make each step cost O(run length); lessons are far shorter than this.
 */
export const HISTORY_STEPS = 2_000;

/** The run-ahead that learns the run, while it is not finished. */
interface Exploration {
  ex: Explorer;
  loc: ReturnType<typeof momentLocator>;
  marker: ReturnType<typeof eventMarker>;
}

export interface Session {
  tl: Timeline;
  /** The key moments found so far (all of them once exploration is done). */
  keyMoments: KeyMomentAt[];
  /** Faults, IPIs and violations over the run explored so far, for the ticks under the scrubber. */
  marks: EventMarks;
  /** Null once the whole run (up to MAX_STEPS) has been explored. */
  exploring: Exploration | null;
  /** The process whose page-table tree snapshots carry in full (null: autoPid); see treePid.ts. */
  treePid: number | null;
  /**
   * Set once the trees together were too big to send whole (treePid.ts): from then on a snapshot
   * builds only the tree it sends.
   */
  oneTree: boolean;
}

export type LoadResult = { ok: true; session: Session } | { ok: false; error: string };

/** Steps explored between two looks at the budget. */
const SLICE = 256;

/**
 * Opens a scenario at step 0 and explores it while `more()` says so (by default: to the end or
 * MAX_STEPS, as the tests want). The worker passes a time budget and goes on with exploreMore.
 */
export function loadSession(scenarioId: string, more: () => boolean = () => true): LoadResult {
  const spec = findScenario(scenarioId);
  if (!spec) return { ok: false, error: `unknown scenario "${scenarioId.slice(0, 60)}"` };
  const r = createTimeline(spec);
  if (!r.ok) return r;
  const loc = momentLocator(spec.keyMoments);
  const session: Session = {
    tl: r.timeline,
    keyMoments: loc.found,
    marks: NO_MARKS,
    exploring: { ex: startExplorer(r.timeline), loc, marker: eventMarker() },
    treePid: null,
    oneTree: false,
  };
  exploreMore(session, more);
  return { ok: true, session };
}

/**
 * Explores further while `more()` says so. Returns true once exploration is finished (the run's
 * end is known, or MAX_STEPS was reached); key moments and marks then cover the whole run.
 */
export function exploreMore(s: Session, more: () => boolean): boolean {
  const x = s.exploring;
  if (!x) return true;
  let finished = false;
  do {
    for (let i = 0; i < SLICE; i++) {
      if (x.ex.m.step >= MAX_STEPS) {
        finished = true;
        break;
      }
      const ev = exploreStep(s.tl, x.ex);
      if (ev === null) {
        finished = true;
        break;
      }
      x.loc.feed(x.ex.m.step, ev);
      x.marker.feed(x.ex.m.step, ev);
    }
  } while (!finished && more());
  s.marks = x.marker.finish(x.ex.m.step);
  if (finished) s.exploring = null;
  return finished;
}

/** The furthest step explored so far. */
export function exploredUpTo(s: Session): number {
  return s.exploring ? s.exploring.ex.m.step : (s.tl.end ?? MAX_STEPS);
}

export function snapshotOf(s: Session): Snapshot {
  const step = s.tl.m.step;
  const stepEvents = step > 0 ? (loggedEvents(s.tl, step) ?? []) : [];
  const history = eventsBetween(s.tl, Math.max(1, step - HISTORY_STEPS + 1), step);
  const m = s.tl.m;
  const snap = buildSnapshot(m, stepEvents, history, s.tl.end, s.keyMoments, { trees: !s.oneTree });
  const extra = { eventMarks: s.marks, explored: exploredUpTo(s) };
  if (!s.oneTree) {
    const kept = keepOneTree(snap, s.treePid);
    s.oneTree = kept !== snap;
    return { ...kept, ...extra };
  }
  const pid = s.treePid !== null && snap.procs.some((p) => p.pid === s.treePid) ? s.treePid : snap.autoPid;
  const procs = snap.procs.map((p) => {
    const proc = m.procs.find((q) => q.pid === p.pid);
    if (p.pid !== pid || !proc) return p;
    const { treeOmitted: _, ...rest } = p;
    return { ...rest, root: procTree(m, proc.rootPfn) };
  });
  return { ...snap, procs, ...extra };
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
