/// <reference lib="webworker" />
// The worker entry: receives ToWorker messages, runs the core, posts snapshots. During play it
// posts at most one snapshot per ~16 ms frame; the UI also coalesces to one render per frame.
import { assertNever, type FromWorker, type ToWorker } from './protocol';
import { scenarioList } from '../scenarios/index';
import { loadSession, runUntil, type Session, seekTo, snapshotOf, stepBy } from './session';

declare const self: DedicatedWorkerGlobalScope;

let session: Session | null = null;
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
  if (!session) return;
  post({ type: 'snapshot', runId, snapshot: snapshotOf(session), playing });
}

function stopPlay(): void {
  playing = false;
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function playTick(): void {
  if (!playing || !session) return;
  const now = performance.now();
  carry += ((now - lastPost) / 1000) * speed;
  lastPost = now;
  const n = Math.floor(carry);
  if (n > 0) {
    carry -= n;
    stepBy(session, n);
    if (session.tl.end !== null && session.tl.m.step >= session.tl.end) stopPlay();
    postSnapshot();
  }
  if (playing) timer = setTimeout(playTick, 16);
}

function handle(msg: ToWorker): void {
  if (msg.type === 'load') {
    stopPlay();
    runId = msg.runId;
    const r = loadSession(msg.scenarioId);
    if (!r.ok) {
      post({ type: 'error', runId, message: r.error });
      return;
    }
    session = r.session;
    post({ type: 'loaded', runId, scenarios: scenarioList(), scenarioId: msg.scenarioId });
    seekTo(session, msg.step);
    postSnapshot();
    return;
  }
  if (msg.runId !== runId || !session) return;
  switch (msg.type) {
    case 'step':
      stopPlay();
      stepBy(session, msg.n);
      break;
    case 'back':
      stopPlay();
      stepBy(session, -msg.n);
      break;
    case 'seek':
      stopPlay();
      seekTo(session, msg.step);
      break;
    case 'play':
      speed = Math.max(0.1, Math.min(1000, msg.speed));
      if (session.tl.end !== null && session.tl.m.step >= session.tl.end) seekTo(session, 0);
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
      runUntil(session, msg.until);
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
