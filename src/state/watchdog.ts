// The worker watchdog's bookkeeping, apart from timers and the Worker so it can be tested in
// Node. After a command the client sends a ping; the worker handles messages in order, so its
// pong says every command before the ping was handled. A ping unanswered for longer than its
// limit means the worker is stuck (an endless loop, a step that never ends): the client then
// treats it as a crash. One ping is out at a time; commands sent while one is out are covered by
// the next ping, sent when the pong comes back.

export interface WatchdogLimits {
  /** How long the worker may take to answer an ordinary command (a step, a seek, a play). */
  timeoutMs: number;
  /** How long it may take when a load is among the commands (a load runs the scenario through once). */
  loadTimeoutMs: number;
}

export const DEFAULT_LIMITS: WatchdogLimits = { timeoutMs: 5_000, loadTimeoutMs: 20_000 };

interface Outstanding {
  seq: number;
  sentAt: number;
  limitMs: number;
}

export class Watchdog {
  private seq = 0;
  private out: Outstanding | null = null;
  /** Commands were sent after the outstanding ping (so another ping must follow its pong). */
  private unpinged = false;
  private unpingedLoad = false;

  constructor(
    private readonly ping: (seq: number) => void,
    private readonly now: () => number,
    private readonly limits: WatchdogLimits = DEFAULT_LIMITS,
  ) {}

  /** A command was posted to the worker. */
  sent(isLoad: boolean): void {
    this.unpinged = true;
    this.unpingedLoad ||= isLoad;
    if (!this.out) this.sendPing();
  }

  /** A heartbeat with no command (while playing, when the worker works on its own). */
  heartbeat(): void {
    if (!this.out) this.sendPing();
  }

  /** The worker answered a ping. */
  pong(seq: number): void {
    if (!this.out || seq !== this.out.seq) return;
    this.out = null;
    if (this.unpinged) this.sendPing();
  }

  /** The outstanding ping has waited longer than its limit. */
  overdue(): boolean {
    return this.out !== null && this.now() - this.out.sentAt > this.out.limitMs;
  }

  /** A ping is waiting for its pong. */
  get waiting(): boolean {
    return this.out !== null;
  }

  private sendPing(): void {
    this.seq += 1;
    const limitMs = this.unpingedLoad ? this.limits.loadTimeoutMs : this.limits.timeoutMs;
    this.out = { seq: this.seq, sentAt: this.now(), limitMs };
    this.unpinged = false;
    this.unpingedLoad = false;
    this.ping(this.seq);
  }
}
