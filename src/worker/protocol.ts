// The one wire protocol between the UI thread and the simulation worker (comlink-style: a
// single file both sides import). Every message carries the runId of the load it belongs to,
// so replies to an older load are dropped.
import type { Protocol } from '../core/spec';
import type { FrameView, PtEntryView, PtNodeView, Snapshot } from '../core/view/snapshot';
import type { ScenarioInfo } from '../scenarios/index';
import type { ArchView } from './archCompare';
import type { CompareView } from './compare';
import type { HistoryResult } from './history';
import type { ImageView } from './image';
import type { OstepView } from './ostep';
import type { PolicyView } from './policy';

/** The event kinds "run to next" and breakpoints know, each marked by one event type. */
export const RUN_UNTIL_KINDS = [
  'fault',
  'ipi',
  'violation',
  'shootdown',
  'switch',
  'tlb-miss',
  'syscall',
  'signal',
] as const;
export type RunUntilKind = (typeof RUN_UNTIL_KINDS)[number];
export type RunUntil = RunUntilKind | 'end';

/** At most this many breakpoints (a person sets a handful; the cap bounds the per-step check). */
export const MAX_BREAKPOINTS = 32;

/**
 * Playing (and "run to next") stops after a step that has an event of this kind, or an event whose
 * virtual address lies in this 4 KiB page (`va`: hex, validated by the UI and again by the worker).
 */
export type Breakpoint = { kind: 'event'; on: RunUntilKind } | { kind: 'address'; va: string };

/** The lesson id of the OSTEP two-level page-table homework (a mode of its own, not a scenario). */
export const OSTEP_LESSON = 'ostep-multilevel';

/** The OSTEP problems built into the app, by permalink name. */
export const OSTEP_PROBLEMS = ['seed1'] as const;
export type OstepProblemId = (typeof OSTEP_PROBLEMS)[number];
export const DEFAULT_OSTEP_PROBLEM: OstepProblemId = 'seed1';

/**
 * Pasted problem texts longer than this (in UTF-16 code units) are refused before they are sent
 * to the worker; the parser applies the same cap again (MAX_PROBLEM_BYTES).
 */
export const MAX_PASTE_CHARS = 256 * 1024;

/** Where an OSTEP problem comes from: built in, or text a user pasted (untrusted). */
export type OstepSource = { kind: 'builtin'; id: OstepProblemId } | { kind: 'pasted'; text: string };

/** The view that runs a `vmscope translate` machine image (pasted JSON) in the browser. */
export const IMAGE_LESSON = 'machine-image';

/** A machine image: the built-in example, or JSON a user pasted (untrusted). */
export type ImageSource = { kind: 'builtin'; id: 'example' } | { kind: 'pasted'; text: string };

/**
 * Pasted machine images longer than this are refused before they are sent to the worker (a
 * page-table dump a person pastes is a few frames; the CLI takes files up to MAX_IMAGE_BYTES).
 */
export const MAX_IMAGE_PASTE_CHARS = 4 * 1024 * 1024;

/** The page-replacement view: one reference string under FIFO, LRU, OPT and CLOCK side by side. */
export const POLICY_LESSON = 'replacement-policies';

/** The reference strings built into the replacement view, by permalink name. */
export const POLICY_STRINGS = ['belady'] as const;
export type PolicyStringId = (typeof POLICY_STRINGS)[number];
export const DEFAULT_POLICY_STRING: PolicyStringId = 'belady';

/** The cache sizes (page frames) the replacement view offers. */
export const POLICY_FRAMES = [1, 2, 3, 4, 5, 6] as const;
export const DEFAULT_POLICY_FRAMES = 3;

/** What the replacement view runs: a built-in reference string with a cache of `frames` pages. */
export interface PolicySource {
  id: PolicyStringId;
  frames: number;
}

/** The protocol comparison view: one scenario run to the end under several shootdown protocols. */
export const COMPARE_LESSON = 'compare-protocols';
export const DEFAULT_COMPARE_SCENARIO = 'protocol-compare';

/**
 * Every protocol the comparison offers, in the order it shows them: the kernels that send IPIs,
 * those that broadcast in hardware, lazy-upgrade, then the broken variants (src/core/spec.ts).
 * A plain list here (the state layer imports this file, never the core's code); a test checks it
 * against the core's PROTOCOLS.
 */
export const COMPARE_PROTOCOLS = [
  'linux-x86',
  'counter',
  'riscv-sbi',
  'arm-broadcast',
  'amd-invlpgb',
  'lazy-upgrade',
  'broken-no-shootdown',
  'broken-free-before-ack',
  'broken-no-local-flush',
  'broken-switch-order',
  'broken-early-ack',
  'broken-no-wait',
  'broken-lazy-tables',
] as const satisfies readonly Protocol[];

/** What lesson protocol-compare covers: the correct kernels, and the lazy one. */
export const DEFAULT_COMPARE_PROTOCOLS: readonly Protocol[] = [
  'linux-x86',
  'counter',
  'riscv-sbi',
  'arm-broadcast',
  'amd-invlpgb',
  'lazy-upgrade',
];

/** What the comparison runs: a scenario id (untrusted until the worker finds it) and protocols. */
export interface CompareSource {
  scenarioId: string;
  protocols: Protocol[];
}

export type ToWorker =
  | { type: 'load'; runId: number; scenarioId: string; step: number }
  /** Opens the OSTEP lesson on a problem: a new run (a pasted text here is one that parsed before). */
  | { type: 'ostepLoad'; runId: number; source: OstepSource; step: number }
  /** Opens the machine-image view on an image: a new run (a pasted one here parsed before). */
  | { type: 'imageLoad'; runId: number; source: ImageSource; step: number }
  /** Opens the page-replacement view on a reference string and cache size: a new run. */
  | { type: 'policyLoad'; runId: number; source: PolicySource; step: number }
  /**
   * Replaces the current run's OSTEP problem or machine image with a pasted text if it parses;
   * if it does not, the worker answers `pasteRejected` and keeps what it shows, at its step.
   */
  | { type: 'paste'; runId: number; seq: number; text: string }
  | { type: 'step'; runId: number; n: number }
  | { type: 'back'; runId: number; n: number }
  | { type: 'seek'; runId: number; step: number }
  | { type: 'play'; runId: number; speed: number }
  | { type: 'pause'; runId: number }
  | { type: 'runUntil'; runId: number; until: RunUntil }
  /** Replaces the breakpoints; they stay set across loads until replaced. */
  | { type: 'breakpoints'; runId: number; list: Breakpoint[] }
  /** Opens the arch-compare view with the user's access (step 0) and the program after it. */
  | { type: 'archLoad'; runId: number; source: ArchSource; step: number }
  /** Opens the protocol comparison: the scenario run under each protocol (a new run). */
  | { type: 'compareLoad'; runId: number; source: CompareSource }
  /**
   * The client's watchdog: the worker answers `pong` with the same seq. Messages are handled in
   * order, so a pong says every command sent before the ping has been handled.
   */
  | { type: 'ping'; runId: number; seq: number }
  /**
   * The UI has taken in a snapshot sent while playing. Playing posts the next one only then (or
   * after PLAY_UNDRAWN_MS), so a page slower than the worker gets the newest step, not a queue.
   */
  | { type: 'drawn'; runId: number }
  /** Test hooks only (see src/state/testHooks.ts): make the worker fail on purpose. */
  | { type: 'testHook'; runId: number; hook: WorkerTestHook }
  /**
   * The events of steps from..to of the loaded scenario, for the run-wide event log (capped:
   * see src/worker/history.ts). Answered with `historyResult` carrying the same seq.
   */
  | { type: 'history'; runId: number; seq: number; from: number; to: number }
  /** The process the page-table panel shows (null: follow the action); a snapshot follows. */
  | { type: 'showPid'; runId: number; pid: number | null };

/** `throw`: an uncaught exception (the Worker's `error` event); `hang`: an endless loop. */
export type WorkerTestHook = 'throw' | 'hang';

export type FromWorker =
  | { type: 'loaded'; runId: number; scenarios: ScenarioInfo[]; scenarioId: string }
  /**
   * `breakpoint`: what stopped playing at this step, when a breakpoint did. `reuse`: parts left
   * out because they equal the previous snapshot's of this run (withReused puts them back).
   */
  | {
      type: 'snapshot';
      runId: number;
      snapshot: Snapshot;
      playing: boolean;
      breakpoint?: string;
      reuse?: SnapshotReuse;
    }
  | { type: 'ostep'; runId: number; view: OstepView; playing: boolean }
  | { type: 'image'; runId: number; view: ImageView; playing: boolean }
  | { type: 'policy'; runId: number; view: PolicyView; playing: boolean }
  | { type: 'pasteRejected'; runId: number; seq: number; error: string }
  | { type: 'error'; runId: number; message: string }
  | { type: 'arch'; runId: number; view: ArchView; playing: boolean }
  | { type: 'compare'; runId: number; view: CompareView; playing: boolean }
  | { type: 'pong'; runId: number; seq: number }
  /** The answer to `history` with that seq: the events, or why the range was refused. */
  | { type: 'historyResult'; runId: number; seq: number; result: HistoryResult };

/** Lesson 3: one program on four MMUs side by side (a view of its own, not a scenario). */
export const ARCH_LESSON = 'arch-compare';

export const ARCH_KINDS = ['read', 'write', 'fetch'] as const;
export const ARCH_PRIVS = ['user', 'kernel'] as const;

/**
 * The access the arch-compare view shows at step 0: a VA a user typed (hex, untrusted: the state
 * checks its form, the worker parses it again), what the CPU does there and in which mode.
 */
export interface ArchSource {
  va: string;
  kind: (typeof ARCH_KINDS)[number];
  priv: (typeof ARCH_PRIVS)[number];
}

/** The program's first data read: what a fresh link opens. */
export const DEFAULT_ARCH_SOURCE: ArchSource = { va: '0x602010', kind: 'read', priv: 'user' };

/** The form of a VA the view accepts: hex, "0x" optional, at most 64 bits. */
export const ARCH_VA_RE = /^(0[xX])?[0-9a-fA-F]{1,16}$/;

/** Steps per second offered by the speed control. */
export const SPEEDS = [1, 2, 5, 10, 30] as const;

export function assertNever(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}

/**
 * What a snapshot message left out: the page-table trees of these processes, unchanged since the
 * last tree of theirs the run sent (sent as empty roots), and the frames, unchanged since the
 * previous message (sent empty). A step seldom changes either, and they are most of a big
 * snapshot's bytes. A tree that did change can travel as its changes (`patches`: its root is
 * sent empty too): a step sets an accessed bit or maps a page, and re-sending a 512-entry table
 * for that cost the UI thread a 135 KB message on a quarter of stress-16's steps.
 */
export interface SnapshotReuse {
  trees: number[];
  frames: boolean;
  patches?: { pid: number; patch: TablePatch }[];
  /**
   * The frame list as changes to the previous message's (its `frames.frames` sent empty): each
   * item the position of an unchanged frame in the previous list, or a frame as it now is. A step
   * touches a few of the hundreds of frames listed.
   */
  framesPatch?: (number | FrameView)[];
}

/**
 * A page table as changes to the same table (same frame, same level) in the last tree the UI
 * holds of that process. Its entries in order, each one of:
 * - a number: the entry at that position in the held table's list, unchanged, subtree and all;
 * - an entry as it now is, its subtree whole (new, or its table below is another frame);
 * - `{ at, entry, child }`: the entry as it now is (sent with `child: null`) whose table below is
 *   the held entry `at`'s table, itself patched.
 */
export interface TablePatch {
  pfn: number;
  level: number;
  cut?: number;
  entries: EntryPatch[];
}
export type EntryPatch = number | PtEntryView | { at: number; entry: PtEntryView; child: TablePatch };

/**
 * The table `patch` describes, built on `held`: unchanged entries (and their subtrees) are
 * `held`'s own objects. Null when the patch does not fit `held` (another table, or a position it
 * lacks): the two sides disagree about what the UI holds.
 */
export function applyTablePatch(held: PtNodeView, patch: TablePatch): PtNodeView | null {
  if (held.pfn !== patch.pfn || held.level !== patch.level) return null;
  const entries: PtEntryView[] = [];
  for (const x of patch.entries) {
    if (typeof x === 'number') {
      const e = held.entries[x];
      if (!e) return null;
      entries.push(e);
    } else if ('at' in x) {
      const below = held.entries[x.at]?.child;
      const child = below ? applyTablePatch(below, x.child) : null;
      if (!child) return null;
      entries.push({ ...x.entry, child });
    } else entries.push(x);
  }
  const table: PtNodeView = { pfn: patch.pfn, level: patch.level, entries };
  if (patch.cut !== undefined) table.cut = patch.cut;
  return table;
}

/** At most this many steps per history request. */
export const MAX_HISTORY_STEPS = 500;
/** At most this many events per history reply: the latest ones (nearest the end of the range) are kept. */
export const MAX_HISTORY_EVENTS = 2_000;

/** The UI side's copy of the last tree received of each process in a run (see withReused). */
export type TreeCache = Map<number, PtNodeView>;

/**
 * The snapshot with the parts `reuse` names filled in: trees from `trees`, the last one received of
 * each process (the same objects, so views keyed on them need not redraw), or built on it from a
 * patch (its unchanged tables the same objects too), frames from `prev`, the
 * previous snapshot of the same run. Records in `trees` every tree the snapshot now carries. A part
 * the UI side lacks stays as sent.
 */
export function withReused(
  snap: Snapshot,
  reuse: SnapshotReuse | undefined,
  prev: Snapshot | null,
  trees: TreeCache,
): Snapshot {
  let out = snap;
  const patches = reuse?.patches ?? [];
  if (reuse && (reuse.trees.length > 0 || patches.length > 0)) {
    let filled = false;
    const procs = snap.procs.map((p) => {
      const held = trees.get(p.pid);
      if (!held) return p;
      const patch = patches.find((x) => x.pid === p.pid)?.patch;
      const root = patch ? applyTablePatch(held, patch) : reuse.trees.includes(p.pid) ? held : null;
      if (!root) return p;
      filled = true;
      return { ...p, root };
    });
    if (filled) out = { ...out, procs };
  }
  if (reuse?.frames && prev) out = { ...out, frames: prev.frames };
  else if (reuse?.framesPatch && prev) {
    const held = prev.frames.frames;
    const frames = reuse.framesPatch.map((x) => (typeof x === 'number' ? held[x] : x));
    if (frames.every((f) => f !== undefined)) out = { ...out, frames: { ...out.frames, frames } };
  }
  for (const p of out.procs) if (!p.treeOmitted) trees.set(p.pid, p.root);
  return out;
}
