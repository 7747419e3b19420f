// The worker client: the only code that talks to the simulation worker. It stamps every command
// with the runId of the latest load, drops replies from older loads, coalesces snapshots to at
// most one store update per animation frame, and treats a worker crash (`error` or
// `messageerror` on the Worker, or a watchdog timeout: a command left unanswered, see
// watchdog.ts) as recoverable: banner, new worker, reload at the last good step.
// A run is a scenario, the OSTEP homework lesson on a problem, or a machine image; a pasted OSTEP
// problem or image replaces the shown one only if the worker could parse it (else the banner says
// why, and nothing else changes).
import type { Snapshot } from '../core/view/snapshot';
import type { ArchView } from '../worker/archCompare';
import type { CompareView } from '../worker/compare';
import type { ImageView } from '../worker/image';
import type { OstepView } from '../worker/ostep';
import type { PolicyView } from '../worker/policy';
import {
  ARCH_LESSON,
  type ArchSource,
  assertNever,
  DEFAULT_ARCH_SOURCE,
  COMPARE_LESSON,
  type CompareSource,
  DEFAULT_COMPARE_PROTOCOLS,
  DEFAULT_COMPARE_SCENARIO,
  DEFAULT_OSTEP_PROBLEM,
  DEFAULT_POLICY_FRAMES,
  DEFAULT_POLICY_STRING,
  type FromWorker,
  IMAGE_LESSON,
  type ImageSource,
  OSTEP_LESSON,
  type OstepSource,
  POLICY_LESSON,
  type PolicySource,
  type ToWorker,
  type TreeCache,
  type WorkerTestHook,
  withReused,
} from '../worker/protocol';
import { followStep, receiveHistory } from './history';
import { shareSnapshot } from './shareSnapshot';
import { DEFAULT_SCENARIO, quote } from './permalink';
import { useVm } from './store';
import { DEFAULT_LIMITS, Watchdog, type WatchdogLimits } from './watchdog';

type WithoutRunId<T> = T extends unknown ? Omit<T, 'runId'> : never;
/** A command to the worker; the client adds the runId. */
export type Command = Exclude<
  WithoutRunId<ToWorker>,
  { type: 'load' | 'ostepLoad' | 'imageLoad' | 'policyLoad' | 'paste' | 'archLoad' | 'compareLoad' }
>;

/** What a load opens: a scenario, the OSTEP lesson on a problem, or a machine image. */
export type Target =
  | { kind: 'scenario'; scenarioId: string; step: number }
  | { kind: 'ostep'; source: OstepSource; step: number }
  | { kind: 'image'; source: ImageSource; step: number }
  | { kind: 'policy'; source: PolicySource; step: number }
  | { kind: 'arch'; source: ArchSource; step: number }
  /** A comparison has no steps; step is always 0 (recovery code reads every target's step). */
  | { kind: 'compare'; source: CompareSource; step: number };

type Shown =
  | { kind: 'snapshot'; snapshot: Snapshot; breakpoint: string | null }
  | { kind: 'ostep'; view: OstepView }
  | { kind: 'image'; view: ImageView }
  | { kind: 'policy'; view: PolicyView }
  | { kind: 'arch'; view: ArchView }
  | { kind: 'compare'; view: CompareView };

/** The part of a Worker the client uses (a fake one in unit tests). */
export interface WorkerPort {
  postMessage(msg: ToWorker): void;
  terminate(): void;
  addEventListener(type: 'message', fn: (ev: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error' | 'messageerror', fn: (ev: Event) => void): void;
}

export interface ClientOptions {
  createWorker: () => WorkerPort;
  /** Schedules a callback for the next frame (requestAnimationFrame in the browser). */
  schedule?: (fn: () => void) => void;
  now?: () => number;
  /** The watchdog's limits (defaults: DEFAULT_LIMITS). */
  watchdog?: Partial<WatchdogLimits>;
  /** Calls fn every ms milliseconds (setInterval in the browser); drives the watchdog. */
  every?: (fn: () => void, ms: number) => void;
}

/** How often the watchdog looks at the outstanding ping (and sends a heartbeat while playing). */
export const WATCHDOG_TICK_MS = 500;

/** At most this many crash recoveries in RECOVERY_WINDOW ms; then the client gives up. */
const MAX_RECOVERIES = 3;
const RECOVERY_WINDOW = 30_000;

function defaultSchedule(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => fn());
  else setTimeout(fn, 16);
}

function defaultEvery(fn: () => void, ms: number): void {
  setInterval(fn, ms);
}

function describe(ev: Event): string {
  if (typeof ErrorEvent !== 'undefined' && ev instanceof ErrorEvent && ev.message) return ev.message;
  return ev.type === 'messageerror' ? 'a message could not be read' : 'the worker failed';
}

export class WorkerClient {
  private worker: WorkerPort | null = null;
  private runId = 0;
  /** What the latest load asked for. */
  private requested: Target = { kind: 'scenario', scenarioId: DEFAULT_SCENARIO, step: 0 };
  /** Whether the latest load has produced a snapshot (so the load itself worked). */
  private loadedOk = false;
  /** The last position received from a healthy worker. */
  private lastGood: Target | null = null;
  /** What was shown when the current open() began: a comparison that cannot run puts it back. */
  private previous: Target | null = null;
  private pending: { shown: Shown; playing: boolean } | null = null;
  /** The last snapshot received in this run: the base the next one's `reuse` refers to. */
  private lastSnapshot: Snapshot | null = null;
  /** The last tree received of each process in this run: what a snapshot's `reuse` refers to. */
  private trees: TreeCache = new Map();
  /** Pasted texts sent and not yet answered, by paste number (to restore one after a crash). */
  private pastes = new Map<number, string>();
  private pasteSeq = 0;
  /** The text of the pasted problem the worker shows, if it shows one. */
  private pastedText: string | null = null;
  private frameScheduled = false;
  private recoveries: number[] = [];
  private stopped = false;
  private readonly schedule: (fn: () => void) => void;
  private readonly now: () => number;
  /** The current worker's watchdog (a new worker gets a new one). */
  private dog: Watchdog | null = null;
  private ticking = false;

  constructor(private readonly opts: ClientOptions) {
    this.schedule = opts.schedule ?? defaultSchedule;
    this.now = opts.now ?? (() => Date.now());
  }

  /** The watchdog's periodic look: a worker that has not answered in time is restarted. */
  private tick(): void {
    if (!this.worker || !this.dog || this.stopped) return;
    if (this.dog.overdue()) {
      this.hang();
      return;
    }
    // While playing the worker steps on its own; a heartbeat catches a step that never ends.
    if (useVm.getState().playing) this.dog.heartbeat();
  }

  private post(msg: ToWorker): void {
    if (!this.worker) return;
    this.worker.postMessage(msg);
    // An acknowledgement, not a command: the playing heartbeat already watches the worker.
    if (msg.type === 'drawn') return;
    this.dog?.sent(
      msg.type === 'load' ||
        msg.type === 'ostepLoad' ||
        msg.type === 'imageLoad' ||
        msg.type === 'policyLoad',
    );
  }

  /** The runId of the latest load (for tests). */
  get currentRunId(): number {
    return this.runId;
  }

  load(scenarioId: string, step: number): void {
    this.open({ kind: 'scenario', scenarioId, step });
  }

  /** Opens the OSTEP lesson on a problem (a new run). */
  openOstep(source: OstepSource, step: number): void {
    this.open({ kind: 'ostep', source, step });
  }

  /** Opens the machine-image view on an image (a new run). */
  openImage(source: ImageSource, step: number): void {
    this.open({ kind: 'image', source, step });
  }

  /** Opens the page-replacement view on a reference string and cache size (a new run). */
  openPolicy(source: PolicySource, step: number): void {
    this.open({ kind: 'policy', source, step });
  }

  /** Opens the protocol comparison on a scenario and protocols (a new run). */
  openCompare(source: CompareSource): void {
    this.open({ kind: 'compare', source, step: 0 });
  }

  open(target: Target): void {
    if (this.stopped) return;
    if (!this.worker) this.spawn();
    this.runId += 1;
    this.lastSnapshot = null;
    this.trees = new Map();
    this.requested = target;
    this.loadedOk = false;
    this.pending = null;
    this.previous = this.lastGood;
    // A position of another run is no place to restore this one to.
    this.lastGood = null;
    // Pastes sent to an older run are never answered.
    this.pastes.clear();
    const runId = this.runId;
    switch (target.kind) {
      case 'scenario':
        useVm.setState({ scenarioId: target.scenarioId, playing: false });
        this.post({ type: 'load', runId, scenarioId: target.scenarioId, step: target.step });
        return;
      case 'ostep':
        // Coming from a scenario, drop the view of an earlier OSTEP run rather than flash it.
        if (useVm.getState().scenarioId !== OSTEP_LESSON) useVm.setState({ ostep: null });
        useVm.setState({ scenarioId: OSTEP_LESSON, playing: false });
        this.post({ type: 'ostepLoad', runId, source: target.source, step: target.step });
        return;
      case 'image':
        if (useVm.getState().scenarioId !== IMAGE_LESSON) useVm.setState({ image: null });
        useVm.setState({ scenarioId: IMAGE_LESSON, playing: false });
        this.post({ type: 'imageLoad', runId, source: target.source, step: target.step });
        return;
      case 'policy':
        // Another cache size keeps the old columns until the new ones arrive (no flash).
        if (useVm.getState().scenarioId !== POLICY_LESSON) useVm.setState({ policy: null });
        useVm.setState({ scenarioId: POLICY_LESSON, playing: false });
        this.post({ type: 'policyLoad', runId, source: target.source, step: target.step });
        return;
      case 'arch':
        // Another VA keeps the old columns until the new ones arrive (no flash).
        if (useVm.getState().scenarioId !== ARCH_LESSON) useVm.setState({ arch: null });
        useVm.setState({ scenarioId: ARCH_LESSON, playing: false });
        this.worker?.postMessage({ type: 'archLoad', runId, source: target.source, step: target.step });
        return;
      case 'compare':
        // Other protocols or another scenario keep the old charts until the new ones arrive.
        if (useVm.getState().scenarioId !== COMPARE_LESSON) useVm.setState({ compare: null });
        useVm.setState({ scenarioId: COMPARE_LESSON, playing: false });
        this.worker?.postMessage({ type: 'compareLoad', runId, source: target.source });
        return;
      default:
        assertNever(target);
    }
  }

  /**
   * Asks the worker to replace the shown OSTEP problem or machine image with a pasted text. The
   * worker answers with the new one at step 0, or with the parser's error (shown in the banner).
   */
  paste(text: string): void {
    if (!this.worker || this.stopped) return;
    this.pasteSeq += 1;
    this.pastes.set(this.pasteSeq, text);
    this.post({ type: 'paste', runId: this.runId, seq: this.pasteSeq, text });
  }

  /** Notes the first view of a pasted input; returns the text of the pasted input shown, if any. */
  private pastedShown(seq: number | null): string | null {
    if (seq !== null && this.pastes.has(seq)) {
      // The first view of a newly pasted input: remember its text, forget older pastes.
      this.pastedText = this.pastes.get(seq) ?? null;
      for (const k of this.pastes.keys()) if (k <= seq) this.pastes.delete(k);
      useVm.setState({ banner: null });
    }
    return this.pastedText;
  }

  send(cmd: Command): void {
    if (!this.worker || this.stopped) return;
    this.post({ ...cmd, runId: this.runId });
  }

  /** Test hooks only (src/state/testHooks.ts): makes the worker throw or hang on purpose. */
  testHook(hook: WorkerTestHook): void {
    if (!this.worker || this.stopped) return;
    this.post({ type: 'testHook', runId: this.runId, hook });
  }

  dispose(): void {
    this.kill();
    this.stopped = true;
  }

  private spawn(): void {
    const w = this.opts.createWorker();
    this.worker = w;
    // A new worker remembers no snapshot: nothing it sends refers to an older one.
    this.lastSnapshot = null;
    this.trees = new Map();
    this.dog = new Watchdog((seq) => w.postMessage({ type: 'ping', runId: this.runId, seq }), this.now, {
      ...DEFAULT_LIMITS,
      ...this.opts.watchdog,
    });
    if (!this.ticking) {
      this.ticking = true;
      (this.opts.every ?? defaultEvery)(() => this.tick(), WATCHDOG_TICK_MS);
    }
    w.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
      if (this.worker === w) this.receive(ev.data);
    });
    const onCrash = (ev: Event) => {
      if (this.worker !== w) return;
      // Handled here: the page is told in the banner, not in the console as an uncaught error.
      ev.preventDefault();
      this.crash(describe(ev));
    };
    w.addEventListener('error', onCrash);
    w.addEventListener('messageerror', onCrash);
  }

  private receive(msg: FromWorker): void {
    if (msg.type === 'pong') {
      // Whatever run it was sent in: it says the worker is alive.
      this.dog?.pong(msg.seq);
      return;
    }
    if (msg.runId !== this.runId) return; // a reply to an older load
    switch (msg.type) {
      case 'loaded':
        useVm.setState({ scenarios: msg.scenarios, scenarioId: msg.scenarioId });
        // A restarted worker starts with none: the breakpoints the user set go again.
        if (useVm.getState().breakpoints.length > 0)
          this.send({ type: 'breakpoints', list: useVm.getState().breakpoints });
        // ...and so does the process whose page tables the panel shows (a big run sends one tree).
        if (useVm.getState().ptPid !== null) this.send({ type: 'showPid', pid: useVm.getState().ptPid });
        return;
      case 'snapshot': {
        // The previous snapshot and trees of this run (messages arrive in order; withReused fills them in).
        const snapshot = shareSnapshot(
          withReused(msg.snapshot, msg.reuse, this.lastSnapshot, this.trees),
          this.lastSnapshot,
        );
        this.lastSnapshot = snapshot;
        this.lastGood = { kind: 'scenario', scenarioId: snapshot.scenarioId, step: snapshot.step };
        this.show({ kind: 'snapshot', snapshot, breakpoint: msg.breakpoint ?? null }, msg.playing);
        return;
      }
      case 'ostep': {
        const text = this.pastedShown(msg.view.problem.pasteSeq);
        const builtin = msg.view.problem.builtin;
        const source: OstepSource | null =
          builtin !== null
            ? { kind: 'builtin', id: builtin }
            : text !== null
              ? { kind: 'pasted', text }
              : null;
        if (source) this.lastGood = { kind: 'ostep', source, step: msg.view.step };
        this.show({ kind: 'ostep', view: msg.view }, msg.playing);
        return;
      }
      case 'image': {
        const text = this.pastedShown(msg.view.input.pasteSeq);
        const source: ImageSource | null =
          msg.view.input.builtin !== null
            ? { kind: 'builtin', id: 'example' }
            : text !== null
              ? { kind: 'pasted', text }
              : null;
        if (source) this.lastGood = { kind: 'image', source, step: msg.view.step };
        this.show({ kind: 'image', view: msg.view }, msg.playing);
        return;
      }
      case 'policy':
        this.lastGood = {
          kind: 'policy',
          source: { id: msg.view.input.id, frames: msg.view.input.frames },
          step: msg.view.step,
        };
        this.show({ kind: 'policy', view: msg.view }, msg.playing);
        return;
      case 'arch':
        this.lastGood = { kind: 'arch', source: msg.view.input, step: msg.view.step };
        this.show({ kind: 'arch', view: msg.view }, msg.playing);
        return;
      case 'compare':
        this.lastGood = {
          kind: 'compare',
          source: { scenarioId: msg.view.scenario.id, protocols: [...msg.view.selected] },
          step: 0,
        };
        this.show({ kind: 'compare', view: msg.view }, msg.playing);
        return;
      case 'pasteRejected': {
        this.pastes.delete(msg.seq);
        const what = this.requested.kind === 'image' ? ['machine image', 'image'] : ['problem', 'problem'];
        useVm.setState({
          banner: `Could not load the pasted ${what[0]}: ${msg.error}. The previous ${what[1]} is still shown.`,
        });
        return;
      }
      case 'error':
        this.failed(msg.message);
        return;
      case 'historyResult':
        // Not a view: the event log's store keeps it if it answers the latest request.
        receiveHistory(msg);
        return;
      default:
        assertNever(msg);
    }
  }

  private show(shown: Shown, playing: boolean): void {
    this.loadedOk = true;
    this.pending = { shown, playing };
    // Not playing (a step, a seek): one snapshot answers one command, so it is drawn at once
    // rather than a frame later. While playing they stream, and one per frame is drawn.
    if (!playing && !this.frameScheduled) {
      this.flush();
      return;
    }
    if (!this.frameScheduled) {
      this.frameScheduled = true;
      this.schedule(() => this.flush());
    }
  }

  private flush(): void {
    this.frameScheduled = false;
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    this.apply(p);
    // Drawn (React renders the update before this task ends): playing may send the next.
    if (p.playing) this.post({ type: 'drawn', runId: this.runId });
  }

  private apply(p: { shown: Shown; playing: boolean }): void {
    switch (p.shown.kind) {
      case 'snapshot': {
        const before = useVm.getState().snapshot;
        if (before) followStep(before, p.shown.snapshot.step);
        useVm.setState({
          snapshot: p.shown.snapshot,
          playing: p.playing,
          breakpointHit: p.shown.breakpoint,
        });
        return;
      }
      case 'ostep':
        useVm.setState({ ostep: p.shown.view, snapshot: null, playing: p.playing });
        return;
      case 'image':
        useVm.setState({ image: p.shown.view, snapshot: null, playing: p.playing });
        return;
      case 'policy':
        useVm.setState({ policy: p.shown.view, snapshot: null, playing: p.playing });
        return;
      case 'arch':
        useVm.setState({ arch: p.shown.view, snapshot: null, playing: p.playing });
        return;
      case 'compare':
        useVm.setState({ compare: p.shown.view, snapshot: null, playing: p.playing });
        return;
      default:
        assertNever(p.shown);
    }
  }

  /** The worker reported an error for the current run. */
  private failed(message: string): void {
    const req = this.requested;
    if (!this.loadedOk) {
      // The load itself failed: most often an unknown scenario id from a link.
      if (req.kind === 'scenario' && req.scenarioId !== DEFAULT_SCENARIO) {
        useVm.setState({
          banner: `Could not open the scenario ${quote(req.scenarioId)}: ${message}. Showing ${DEFAULT_SCENARIO} from step 0 instead.`,
        });
        this.load(DEFAULT_SCENARIO, 0);
      } else if (req.kind === 'ostep' && req.source.kind === 'pasted') {
        useVm.setState({
          banner: `Could not reopen the pasted problem: ${message}. Showing the built-in problem from step 0 instead.`,
        });
        this.openOstep({ kind: 'builtin', id: DEFAULT_OSTEP_PROBLEM }, 0);
      } else if (req.kind === 'image' && req.source.kind === 'pasted') {
        useVm.setState({
          banner: `Could not reopen the pasted machine image: ${message}. Showing the built-in example instead.`,
        });
        this.openImage({ kind: 'builtin', id: 'example' }, 0);
      } else if (req.kind === 'policy' && req.source.frames !== DEFAULT_POLICY_FRAMES) {
        useVm.setState({
          banner: `Could not open the replacement view with ${req.source.frames} frames: ${message}. Showing ${DEFAULT_POLICY_FRAMES} frames from step 0 instead.`,
        });
        this.openPolicy({ id: DEFAULT_POLICY_STRING, frames: DEFAULT_POLICY_FRAMES }, 0);
      } else if (req.kind === 'arch' && req.source.va !== DEFAULT_ARCH_SOURCE.va) {
        useVm.setState({
          banner: `Could not open the arch-compare view on that access: ${message}. Showing ${DEFAULT_ARCH_SOURCE.va} instead.`,
        });
        this.open({ kind: 'arch', source: DEFAULT_ARCH_SOURCE, step: 0 });
      } else if (req.kind === 'compare' && this.previous !== null) {
        // A comparison that cannot be run (an unknown scenario in a link, say) leaves what was
        // shown before in place: reopen it (the same run, deterministically).
        useVm.setState({
          banner: `Could not open the comparison: ${message}. The previous view is still shown.`,
        });
        this.open(this.previous);
      } else if (req.kind === 'compare' && req.source.scenarioId !== DEFAULT_COMPARE_SCENARIO) {
        useVm.setState({
          banner: `Could not open the comparison: ${message}. Showing ${DEFAULT_COMPARE_SCENARIO} instead.`,
        });
        this.openCompare({ scenarioId: DEFAULT_COMPARE_SCENARIO, protocols: [...DEFAULT_COMPARE_PROTOCOLS] });
      } else {
        useVm.setState({ banner: `Could not load the simulation: ${message}.`, playing: false });
      }
      return;
    }
    // An error in the middle of a run: the machine may be half-updated, so reload at the last
    // step that worked (restore-and-replay makes that exact).
    this.recover(`The simulation reported an error (${message})`, req.step);
  }

  private crash(reason: string): void {
    this.kill();
    this.recover(`The simulation crashed (${reason})`, this.requested.step);
  }

  /** The watchdog's verdict: the worker has not answered within its limit. */
  private hang(): void {
    this.kill();
    this.recover('The simulation stopped responding', this.requested.step);
  }

  private kill(): void {
    this.worker?.terminate();
    this.worker = null;
    this.dog = null;
  }

  private recover(what: string, fallbackStep: number): void {
    const t = this.now();
    const at: Target = this.lastGood ?? { ...this.requested, step: fallbackStep };
    this.recoveries = this.recoveries.filter((x) => t - x < RECOVERY_WINDOW);
    if (this.recoveries.length >= MAX_RECOVERIES) {
      this.kill();
      this.stopped = true;
      useVm.setState({
        banner: `${what} at step ${at.step}. It failed repeatedly, so it was stopped; reload the page to try again.`,
        playing: false,
      });
      return;
    }
    this.recoveries.push(t);
    useVm.setState({
      banner: `${what} at step ${at.step}; restarted and restored step ${at.step}.`,
      playing: false,
    });
    this.open(at);
  }
}
