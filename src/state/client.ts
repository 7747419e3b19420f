// The worker client: the only code that talks to the simulation worker. It stamps every command
// with the runId of the latest load, drops replies from older loads, coalesces snapshots to at
// most one store update per animation frame, and treats a worker crash (`error` or
// `messageerror` on the Worker) as recoverable: banner, new worker, reload at the last good step.
import type { Snapshot } from '../core/view/snapshot';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { DEFAULT_SCENARIO, quote } from './permalink';
import { useVm } from './store';

type WithoutRunId<T> = T extends unknown ? Omit<T, 'runId'> : never;
/** A command to the worker; the client adds the runId. */
export type Command = Exclude<WithoutRunId<ToWorker>, { type: 'load' }>;

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
}

/** At most this many crash recoveries in RECOVERY_WINDOW ms; then the client gives up. */
const MAX_RECOVERIES = 3;
const RECOVERY_WINDOW = 30_000;

function defaultSchedule(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => fn());
  else setTimeout(fn, 16);
}

function describe(ev: Event): string {
  if (typeof ErrorEvent !== 'undefined' && ev instanceof ErrorEvent && ev.message) return ev.message;
  return ev.type === 'messageerror' ? 'a message could not be read' : 'the worker failed';
}

export class WorkerClient {
  private worker: WorkerPort | null = null;
  private runId = 0;
  /** What the latest load asked for. */
  private requested = { scenarioId: DEFAULT_SCENARIO, step: 0 };
  /** Whether the latest load has produced a snapshot (so the load itself worked). */
  private loadedOk = false;
  /** The last snapshot position received from a healthy worker. */
  private lastGood: { scenarioId: string; step: number } | null = null;
  private pending: { snapshot: Snapshot; playing: boolean } | null = null;
  private frameScheduled = false;
  private recoveries: number[] = [];
  private stopped = false;
  private readonly schedule: (fn: () => void) => void;
  private readonly now: () => number;

  constructor(private readonly opts: ClientOptions) {
    this.schedule = opts.schedule ?? defaultSchedule;
    this.now = opts.now ?? (() => Date.now());
  }

  /** The runId of the latest load (for tests). */
  get currentRunId(): number {
    return this.runId;
  }

  load(scenarioId: string, step: number): void {
    if (this.stopped) return;
    if (!this.worker) this.spawn();
    this.runId += 1;
    this.requested = { scenarioId, step };
    this.loadedOk = false;
    this.pending = null;
    useVm.setState({ scenarioId, playing: false });
    this.worker?.postMessage({ type: 'load', runId: this.runId, scenarioId, step });
  }

  send(cmd: Command): void {
    if (!this.worker || this.stopped) return;
    this.worker.postMessage({ ...cmd, runId: this.runId });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.stopped = true;
  }

  private spawn(): void {
    const w = this.opts.createWorker();
    this.worker = w;
    w.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
      if (this.worker === w) this.receive(ev.data);
    });
    const onCrash = (ev: Event) => {
      if (this.worker === w) this.crash(describe(ev));
    };
    w.addEventListener('error', onCrash);
    w.addEventListener('messageerror', onCrash);
  }

  private receive(msg: FromWorker): void {
    if (msg.runId !== this.runId) return; // a reply to an older load
    switch (msg.type) {
      case 'loaded':
        useVm.setState({ scenarios: msg.scenarios, scenarioId: msg.scenarioId });
        return;
      case 'snapshot':
        this.loadedOk = true;
        this.lastGood = { scenarioId: msg.snapshot.scenarioId, step: msg.snapshot.step };
        this.pending = { snapshot: msg.snapshot, playing: msg.playing };
        if (!this.frameScheduled) {
          this.frameScheduled = true;
          this.schedule(() => this.flush());
        }
        return;
      case 'error':
        this.failed(msg.message);
        return;
    }
  }

  private flush(): void {
    this.frameScheduled = false;
    const p = this.pending;
    this.pending = null;
    if (p) useVm.setState({ snapshot: p.snapshot, playing: p.playing });
  }

  /** The worker reported an error for the current run. */
  private failed(message: string): void {
    const { scenarioId, step } = this.requested;
    if (!this.loadedOk) {
      // The load itself failed: most often an unknown scenario id from a link.
      if (scenarioId !== DEFAULT_SCENARIO) {
        useVm.setState({
          banner: `Could not open the scenario ${quote(scenarioId)}: ${message}. Showing ${DEFAULT_SCENARIO} from step 0 instead.`,
        });
        this.load(DEFAULT_SCENARIO, 0);
      } else {
        useVm.setState({ banner: `Could not load the simulation: ${message}.`, playing: false });
      }
      return;
    }
    // An error in the middle of a run: the machine may be half-updated, so reload at the last
    // step that worked (restore-and-replay makes that exact).
    this.recover(`The simulation reported an error (${message})`, step);
  }

  private crash(reason: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.recover(`The simulation worker crashed (${reason})`, this.requested.step);
  }

  private recover(what: string, fallbackStep: number): void {
    const t = this.now();
    this.recoveries = this.recoveries.filter((x) => t - x < RECOVERY_WINDOW);
    if (this.recoveries.length >= MAX_RECOVERIES) {
      this.worker?.terminate();
      this.worker = null;
      this.stopped = true;
      useVm.setState({
        banner: `${what}. It failed repeatedly, so it was stopped; reload the page to try again.`,
        playing: false,
      });
      return;
    }
    this.recoveries.push(t);
    const at = this.lastGood ?? { scenarioId: this.requested.scenarioId, step: fallbackStep };
    useVm.setState({ banner: `${what}. It was restarted at step ${at.step}.`, playing: false });
    this.load(at.scenarioId, at.step);
  }
}
