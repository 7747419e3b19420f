/// <reference lib="webworker" />
// The worker entry: receives ToWorker messages, runs the core, posts snapshots. During play it
// posts at most one snapshot per ~16 ms frame; the UI also coalesces to one render per frame.
// A run is a scenario (a timeline of the simulated machine), the OSTEP homework lesson (a parsed
// problem and its solved walks) or a machine image (its accesses, run once); step, back, seek,
// play and run-until work on all three.
import { scenarioList } from '../scenarios/index';
import type { ArchSession } from './archCompare';
import type { CompareSession } from './compare';
import type { ImageSession } from './image';
import type { PolicySession } from './policy';
import type { OstepSession } from './ostep';
import {
  ARCH_LESSON,
  assertNever,
  type FromWorker,
  COMPARE_LESSON,
  IMAGE_LESSON,
  OSTEP_LESSON,
  POLICY_LESSON,
  MAX_BREAKPOINTS,
  type RunUntil,
  type ToWorker,
} from './protocol';
import {
  type BreakSet,
  breakSet,
  exploreMore,
  loadSession,
  runUntil,
  type Session,
  seekTo,
  snapshotOf,
  stepBy,
  stepWatching,
} from './session';
import { historyOf } from './history';
import { runTestHook } from './testHook';
import { compactSnapshot, newWireMemo } from './wireSnapshot';

declare const self: DedicatedWorkerGlobalScope;

/** The code of the views other than a scenario (views.ts), loaded on first use. */
type Views = typeof import('./views');

/** A view other than a scenario carries the code that runs it (`v`), loaded before it opened. */
type Active =
  | { kind: 'sim'; session: Session }
  | { kind: 'ostep'; session: OstepSession; v: Views }
  | { kind: 'image'; session: ImageSession; v: Views }
  | { kind: 'policy'; session: PolicySession; v: Views }
  | { kind: 'arch'; session: ArchSession; v: Views }
  /** The protocol comparison: whole runs, nothing to step. */
  | { kind: 'compare'; session: CompareSession; v: Views };

let active: Active | null = null;
let runId = 0;
let playing = false;
let speed = 2;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastPost = 0;
let carry = 0;
/** Breakpoints, kept across loads until the UI replaces them. */
let breaks: BreakSet = breakSet([]);
/** What stopped playing (a breakpoint), sent with the next snapshot only. */
let stoppedBy: string | null = null;
/** What the last snapshot message carried (wireSnapshot.ts). */
const wireMemo = newWireMemo();

function post(msg: FromWorker): void {
  self.postMessage(msg);
}

function postSnapshot(): void {
  if (!active) return;
  switch (active.kind) {
    case 'sim': {
      const { snapshot, reuse } = compactSnapshot(snapshotOf(active.session), runId, wireMemo);
      post({
        type: 'snapshot',
        runId,
        snapshot,
        playing,
        ...(stoppedBy ? { breakpoint: stoppedBy } : {}),
        ...(reuse ? { reuse } : {}),
      });
      stoppedBy = null;
      return;
    }
    case 'ostep':
      post({ type: 'ostep', runId, view: active.v.ostepView(active.session), playing });
      return;
    case 'image':
      post({ type: 'image', runId, view: active.v.imageView(active.session), playing });
      return;
    case 'policy':
      post({ type: 'policy', runId, view: active.v.policyView(active.session), playing });
      return;
    case 'arch':
      post({ type: 'arch', runId, view: active.v.archView(active.session), playing });
      return;
    case 'compare':
      post({ type: 'compare', runId, view: active.v.compareView(active.session), playing });
      return;
    default:
      assertNever(active);
  }
}

function atEnd(a: Active): boolean {
  switch (a.kind) {
    case 'sim':
      return a.session.tl.end !== null && a.session.tl.m.step >= a.session.tl.end;
    case 'ostep':
      return a.session.step >= a.v.ostepEnd(a.session);
    case 'image':
      return a.session.step >= a.v.imageEnd(a.session);
    case 'policy':
      return a.session.step >= a.v.policyEnd(a.session);
    case 'arch':
      return a.session.step >= a.v.archEnd(a.session);
    case 'compare':
      return true;
    default:
      return assertNever(a);
  }
}

function move(a: Active, n: number): void {
  switch (a.kind) {
    case 'sim':
      stepBy(a.session, n);
      return;
    case 'ostep':
      a.v.ostepSeek(a.session, a.session.step + n);
      return;
    case 'image':
      a.v.imageSeek(a.session, a.session.step + n);
      return;
    case 'policy':
      a.v.policySeek(a.session, a.session.step + n);
      return;
    case 'arch':
      a.v.archSeek(a.session, a.session.step + n);
      return;
    case 'compare':
      return;
    default:
      assertNever(a);
  }
}

function seekActive(a: Active, step: number): void {
  switch (a.kind) {
    case 'sim':
      seekTo(a.session, step);
      return;
    case 'ostep':
      a.v.ostepSeek(a.session, step);
      return;
    case 'image':
      a.v.imageSeek(a.session, step);
      return;
    case 'policy':
      a.v.policySeek(a.session, step);
      return;
    case 'arch':
      a.v.archSeek(a.session, step);
      return;
    case 'compare':
      return;
    default:
      assertNever(a);
  }
}

function runUntilActive(a: Active, until: RunUntil): void {
  switch (a.kind) {
    case 'sim':
      stoppedBy = runUntil(a.session, until, breaks);
      return;
    case 'ostep':
      a.v.ostepRunUntil(a.session, until);
      return;
    case 'image':
      // The image view has only faults to run to: any other kind runs to the end.
      a.v.imageRunUntil(a.session, until === 'fault' ? 'fault' : 'end');
      return;
    case 'policy':
      a.v.policyRunUntil(a.session, until);
      return;
    case 'arch':
      a.v.archRunUntil(a.session, until);
      return;
    case 'compare':
      return;
    default:
      assertNever(a);
  }
}

/** The current view on a pasted text: an OSTEP problem, or a machine image. */
function pasted(
  a: Active,
  text: string,
  seq: number,
): { ok: true; active: Active } | { ok: false; error: string } {
  switch (a.kind) {
    case 'sim':
      return { ok: false, error: 'a scenario takes no pasted input' };
    case 'ostep': {
      const r = a.v.openOstep({ kind: 'pasted', text }, seq);
      return r.ok ? { ok: true, active: { kind: 'ostep', session: r.session, v: a.v } } : r;
    }
    case 'image': {
      const r = a.v.openImage({ kind: 'pasted', text }, seq);
      return r.ok ? { ok: true, active: { kind: 'image', session: r.session, v: a.v } } : r;
    }
    case 'policy':
      return { ok: false, error: 'the replacement view takes no pasted input' };
    case 'arch':
      return { ok: false, error: 'the arch-compare view takes no pasted input' };
    case 'compare':
      return { ok: false, error: 'the protocol comparison takes no pasted input' };
    default:
      return assertNever(a);
  }
}

/** While playing, a snapshot the UI has not acknowledged holds the next back at most this long. */
const PLAY_UNDRAWN_MS = 500;
/** A snapshot posted while playing that the UI has not yet said it took in ('drawn'). */
let undrawn = false;
let lastPlayPost = 0;

function stopPlay(): void {
  playing = false;
  undrawn = false;
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function playTick(): void {
  if (!playing || !active) return;
  const now = performance.now();
  carry += ((now - lastPost) / 1000) * speed;
  lastPost = now;
  const n = Math.floor(carry);
  if (n > 0) {
    carry -= n;
    if (active.kind === 'sim') {
      stoppedBy = stepWatching(active.session, n, breaks);
      if (stoppedBy) stopPlay();
    } else move(active, n);
    if (atEnd(active)) stopPlay();
    // The last step of a play always goes out; before it, one snapshot at a time (see 'drawn').
    if (!playing || !undrawn || now - lastPlayPost > PLAY_UNDRAWN_MS) {
      postSnapshot();
      undrawn = playing;
      lastPlayPost = now;
    }
  }
  if (playing) timer = setTimeout(playTick, 16);
}

/**
 * How long a load may explore the run before the first snapshot is posted: lessons are explored
 * whole well within it; a load test or a long run opens at once and is explored in the background.
 */
const LOAD_EXPLORE_MS = 400;
/** One background slice of exploration, so that commands and the watchdog's pings wait little. */
const EXPLORE_SLICE_MS = 30;
/** While exploring, a snapshot goes out this often so the scrubber grows (when not playing). */
const EXPLORE_POST_MS = 500;

/** A budget for exploreMore: true until `ms` milliseconds from now. */
function within(ms: number): () => boolean {
  const until = performance.now() + ms;
  return () => performance.now() < until;
}

/** Explores the loaded run in slices between messages until its end is known. */
function scheduleExplore(session: Session): void {
  let lastPost = performance.now();
  const slice = () => {
    // A new load (or another view) replaces this run: stop exploring it.
    if (active?.kind !== 'sim' || active.session !== session) return;
    const done = exploreMore(session, within(EXPLORE_SLICE_MS));
    const now = performance.now();
    if (done || (!playing && now - lastPost >= EXPLORE_POST_MS)) {
      lastPost = now;
      postSnapshot();
    }
    if (!done) setTimeout(slice, 0);
  };
  setTimeout(slice, 0);
}

/** The last load handled, while nothing but pings came after it. */
let firstLoadSeen: Extract<ToWorker, { type: 'load' }> | null = null;

function sameLoad(
  a: Extract<ToWorker, { type: 'load' }> | null,
  b: Extract<ToWorker, { type: 'load' }>,
): boolean {
  return a !== null && a.scenarioId === b.scenarioId && a.step === b.step;
}

function handle(msg: ToWorker): void {
  if (msg.type !== 'ping' && msg.type !== 'load') firstLoadSeen = null;
  if (msg.type === 'ping') {
    // The watchdog's heartbeat: answered whatever the run, as soon as it is read.
    post({ type: 'pong', runId: msg.runId, seq: msg.seq });
    return;
  }
  if (msg.type === 'testHook') {
    runTestHook(msg.hook);
    return;
  }
  if (msg.type === 'load') {
    // The page's entry posts the client's first load early (src/state/boot.ts); the client then
    // posts it too, with the same runId (each of its loads has a new one): answered already.
    if (msg.runId === runId && sameLoad(firstLoadSeen, msg)) return;
    firstLoadSeen = msg;
    stopPlay();
    runId = msg.runId;
    const r = loadSession(msg.scenarioId, within(LOAD_EXPLORE_MS));
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'sim', session: r.session };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: msg.scenarioId });
    seekTo(r.session, msg.step);
    postSnapshot();
    if (r.session.exploring) scheduleExplore(r.session);
    return;
  }
  if (msg.type === 'ostepLoad') {
    stopPlay();
    runId = msg.runId;
    const v = views;
    if (!v) {
      post({ type: 'error', runId, message: viewsFailure });
      return;
    }
    const r = v.openOstep(msg.source);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'ostep', session: r.session, v };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: OSTEP_LESSON });
    v.ostepSeek(r.session, msg.step);
    postSnapshot();
    return;
  }
  if (msg.type === 'imageLoad') {
    stopPlay();
    runId = msg.runId;
    const v = views;
    if (!v) {
      post({ type: 'error', runId, message: viewsFailure });
      return;
    }
    const r = v.openImage(msg.source);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'image', session: r.session, v };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: IMAGE_LESSON });
    v.imageSeek(r.session, msg.step);
    postSnapshot();
    return;
  }
  if (msg.type === 'policyLoad') {
    stopPlay();
    runId = msg.runId;
    const v = views;
    if (!v) {
      post({ type: 'error', runId, message: viewsFailure });
      return;
    }
    const r = v.openPolicy(msg.source);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'policy', session: r.session, v };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: POLICY_LESSON });
    v.policySeek(r.session, msg.step);
    postSnapshot();
    return;
  }
  if (msg.type === 'breakpoints') {
    // Kept whatever the run: they apply to the next load too.
    breaks = breakSet(msg.list.slice(0, MAX_BREAKPOINTS));
    return;
  }
  if (msg.type === 'archLoad') {
    stopPlay();
    runId = msg.runId;
    const v = views;
    if (!v) {
      post({ type: 'error', runId, message: viewsFailure });
      return;
    }
    const r = v.openArch(msg.source);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'arch', session: r.session, v };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: ARCH_LESSON });
    v.archSeek(r.session, msg.step);
    postSnapshot();
    return;
  }
  if (msg.type === 'compareLoad') {
    stopPlay();
    runId = msg.runId;
    const v = views;
    if (!v) {
      post({ type: 'error', runId, message: viewsFailure });
      return;
    }
    const r = v.openCompare(msg.source);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'compare', session: r.session, v };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: COMPARE_LESSON });
    postSnapshot();
    return;
  }
  if (msg.type === 'drawn') {
    // Not a move: playing goes on, and no snapshot follows.
    if (msg.runId === runId) undrawn = false;
    return;
  }
  if (msg.runId !== runId || !active) return;
  switch (msg.type) {
    case 'paste': {
      // Untrusted text for the current view: a bad one is answered with the parser's one-line
      // error and changes nothing.
      const next = pasted(active, msg.text, msg.seq);
      if (!next.ok) {
        post({ type: 'pasteRejected', runId, seq: msg.seq, error: next.error });
        return;
      }
      stopPlay();
      active = next.active;
      break;
    }
    case 'step':
      stopPlay();
      move(active, msg.n);
      break;
    case 'back':
      stopPlay();
      move(active, -msg.n);
      break;
    case 'seek':
      stopPlay();
      seekActive(active, msg.step);
      break;
    case 'play':
      speed = Math.max(0.1, Math.min(1000, msg.speed));
      if (atEnd(active)) seekActive(active, 0);
      playing = true;
      lastPost = performance.now();
      carry = 1; // the first step shows at once
      if (timer !== null) clearTimeout(timer);
      playTick();
      return;
    case 'pause':
      stopPlay();
      break;
    case 'runUntil':
      stopPlay();
      runUntilActive(active, msg.until);
      break;
    case 'showPid':
      if (active.kind !== 'sim') return;
      active.session.treePid = msg.pid;
      break;
    case 'history':
      // A question, not a move: answered on its own, playing goes on, no snapshot follows.
      post({
        type: 'historyResult',
        runId,
        seq: msg.seq,
        result:
          active.kind === 'sim'
            ? historyOf(active.session.tl, { from: msg.from, to: msg.to })
            : { ok: false, error: 'only a scenario has an event history' },
      });
      return;
    default:
      assertNever(msg);
  }
  postSnapshot();
}

function handleSafely(msg: ToWorker): void {
  try {
    handle(msg);
  } catch (err) {
    post({ type: 'error', runId, message: `simulation error: ${(err as Error).message}` });
  }
}

/** The views' code (views.ts), once loaded. */
let views: Views | null = null;
/** Why the views' code could not be loaded (the error a view's load is answered with). */
let viewsFailure = 'the code of this view could not be loaded';
/** Messages that came while the views' code loads: handled in order once it has. */
let queued: ToWorker[] | null = null;

function needsViews(msg: ToWorker): boolean {
  switch (msg.type) {
    case 'ostepLoad':
    case 'imageLoad':
    case 'policyLoad':
    case 'archLoad':
    case 'compareLoad':
      return true;
    default:
      return false;
  }
}

/**
 * Loads the views' code, queueing every message (pings too, so the order never changes) until it
 * has loaded or failed; then handles the queue. If it failed, the queued loads of views are
 * answered with an error, and the next one tries again.
 */
function loadViews(first: ToWorker): void {
  queued = [first];
  import('./views')
    .then(
      (v) => {
        views = v;
      },
      (err: unknown) => {
        viewsFailure = `the code of this view could not be loaded: ${(err as Error).message}`;
      },
    )
    .finally(() => {
      const list = queued ?? [];
      queued = null;
      for (const msg of list) handleSafely(msg);
    });
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  if (queued) queued.push(ev.data);
  else if (views === null && needsViews(ev.data)) loadViews(ev.data);
  else handleSafely(ev.data);
};
