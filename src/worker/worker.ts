/// <reference lib="webworker" />
// The worker entry: receives ToWorker messages, runs the core, posts snapshots. During play it
// posts at most one snapshot per ~16 ms frame; the UI also coalesces to one render per frame.
// A run is a scenario (a timeline of the simulated machine), the OSTEP homework lesson (a parsed
// problem and its solved walks) or a machine image (its accesses, run once); step, back, seek,
// play and run-until work on all three.
import { scenarioList } from '../scenarios/index';
import { type ImageSession, imageEnd, imageRunUntil, imageSeek, imageView, openImage } from './image';
import { openPolicy, type PolicySession, policyEnd, policyRunUntil, policySeek, policyView } from './policy';
import { openOstep, type OstepSession, ostepEnd, ostepRunUntil, ostepSeek, ostepView } from './ostep';
import {
  assertNever,
  type FromWorker,
  IMAGE_LESSON,
  OSTEP_LESSON,
  POLICY_LESSON,
  type RunUntil,
  type ToWorker,
} from './protocol';
import { loadSession, runUntil, type Session, seekTo, snapshotOf, stepBy } from './session';
import { runTestHook } from './testHook';

declare const self: DedicatedWorkerGlobalScope;

type Active =
  | { kind: 'sim'; session: Session }
  | { kind: 'ostep'; session: OstepSession }
  | { kind: 'image'; session: ImageSession }
  | { kind: 'policy'; session: PolicySession };

let active: Active | null = null;
let runId = 0;
let playing = false;
let speed = 2;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastPost = 0;
let carry = 0;

function post(msg: FromWorker): void {
  self.postMessage(msg);
}

function postSnapshot(): void {
  if (!active) return;
  switch (active.kind) {
    case 'sim':
      post({ type: 'snapshot', runId, snapshot: snapshotOf(active.session), playing });
      return;
    case 'ostep':
      post({ type: 'ostep', runId, view: ostepView(active.session), playing });
      return;
    case 'image':
      post({ type: 'image', runId, view: imageView(active.session), playing });
      return;
    case 'policy':
      post({ type: 'policy', runId, view: policyView(active.session), playing });
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
      return a.session.step >= ostepEnd(a.session);
    case 'image':
      return a.session.step >= imageEnd(a.session);
    case 'policy':
      return a.session.step >= policyEnd(a.session);
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
      ostepSeek(a.session, a.session.step + n);
      return;
    case 'image':
      imageSeek(a.session, a.session.step + n);
      return;
    case 'policy':
      policySeek(a.session, a.session.step + n);
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
      ostepSeek(a.session, step);
      return;
    case 'image':
      imageSeek(a.session, step);
      return;
    case 'policy':
      policySeek(a.session, step);
      return;
    default:
      assertNever(a);
  }
}

function runUntilActive(a: Active, until: RunUntil): void {
  switch (a.kind) {
    case 'sim':
      runUntil(a.session, until);
      return;
    case 'ostep':
      ostepRunUntil(a.session, until);
      return;
    case 'image':
      imageRunUntil(a.session, until);
      return;
    case 'policy':
      policyRunUntil(a.session, until);
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
      const r = openOstep({ kind: 'pasted', text }, seq);
      return r.ok ? { ok: true, active: { kind: 'ostep', session: r.session } } : r;
    }
    case 'image': {
      const r = openImage({ kind: 'pasted', text }, seq);
      return r.ok ? { ok: true, active: { kind: 'image', session: r.session } } : r;
    }
    case 'policy':
      return { ok: false, error: 'the replacement view takes no pasted input' };
    default:
      return assertNever(a);
  }
}

function stopPlay(): void {
  playing = false;
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
    move(active, n);
    if (atEnd(active)) stopPlay();
    postSnapshot();
  }
  if (playing) timer = setTimeout(playTick, 16);
}

function handle(msg: ToWorker): void {
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
    stopPlay();
    runId = msg.runId;
    const r = loadSession(msg.scenarioId);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'sim', session: r.session };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: msg.scenarioId });
    seekTo(r.session, msg.step);
    postSnapshot();
    return;
  }
  if (msg.type === 'ostepLoad') {
    stopPlay();
    runId = msg.runId;
    const r = openOstep(msg.source);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'ostep', session: r.session };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: OSTEP_LESSON });
    ostepSeek(r.session, msg.step);
    postSnapshot();
    return;
  }
  if (msg.type === 'imageLoad') {
    stopPlay();
    runId = msg.runId;
    const r = openImage(msg.source);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'image', session: r.session };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: IMAGE_LESSON });
    imageSeek(r.session, msg.step);
    postSnapshot();
    return;
  }
  if (msg.type === 'policyLoad') {
    stopPlay();
    runId = msg.runId;
    const r = openPolicy(msg.source);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    active = { kind: 'policy', session: r.session };
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: POLICY_LESSON });
    policySeek(r.session, msg.step);
    postSnapshot();
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
    default:
      assertNever(msg);
  }
  postSnapshot();
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  try {
    handle(ev.data);
  } catch (err) {
    post({ type: 'error', runId, message: `simulation error: ${(err as Error).message}` });
  }
};
