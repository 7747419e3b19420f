// The protocol comparison in the worker: one scenario run to the end under each chosen shootdown
// protocol by the core's compareProtocols (the code `vmscope compare` prints), and the cost of one
// munmap shootdown on 2 to 16 cores per protocol (the core's costCurve, which `npm run bench`
// prints). Nothing steps here: every run is whole. The view sent to the UI is plain data.
import { type CostPoint, costCurve, CURVE_CORES } from '../core/engine/costCurve';
import { compareProtocols, type ProtocolRun } from '../core/engine/compare';
import type { Protocol, ScenarioSpec } from '../core/spec';
import { findScenario, SCENARIOS } from '../scenarios/index';
import { COMPARE_LESSON, COMPARE_PROTOCOLS, type CompareSource } from './protocol';

/** How a protocol is shown: a short name for the bars and a line on what it does. */
export interface CompareProtocolInfo {
  id: Protocol;
  label: string;
  broken: boolean;
  note: string;
}

const INFO: Readonly<Record<Protocol, Omit<CompareProtocolInfo, 'id'>>> = {
  'linux-x86': {
    label: 'Linux x86',
    broken: false,
    note: 'IPIs to the cores in mm_cpumask (lazy ones skipped), INVLPG each, wait for the acks',
  },
  counter: {
    label: 'Counter',
    broken: false,
    note: 'seed 000: a shared request, targets increment a counter, the initiator spins on it',
  },
  'riscv-sbi': {
    label: 'RISC-V SBI',
    broken: false,
    note: 'an ecall to the SBI firmware, which IPIs the other harts; SFENCE.VMA on each',
  },
  'arm-broadcast': {
    label: 'ARM64 TLBI',
    broken: false,
    note: 'TLBI ...IS broadcast in hardware, DSB ISH waits: no IPIs',
  },
  'amd-invlpgb': {
    label: 'AMD INVLPGB',
    broken: false,
    note: 'INVLPGB broadcast in hardware, TLBSYNC waits: no IPIs',
  },
  'lazy-upgrade': {
    label: 'Lazy upgrade',
    broken: false,
    note: 'like Linux x86, but adding rights flushes nothing (a spurious fault instead)',
  },
  'broken-no-shootdown': {
    label: 'No shootdown',
    broken: true,
    note: 'bug: flushes only its own TLB and frees at once',
  },
  'broken-free-before-ack': {
    label: 'Free before ack',
    broken: true,
    note: 'bug: sends the IPIs but frees the frames before the acks',
  },
  'broken-no-local-flush': {
    label: 'No local flush',
    broken: true,
    note: "bug: sends the IPIs but forgets the initiator's own TLB",
  },
  'broken-switch-order': {
    label: 'Switch order',
    broken: true,
    note: 'bug: switch_mm reads tlb_gen before setting its mm_cpumask bit',
  },
  'broken-early-ack': {
    label: 'Early ack',
    broken: true,
    note: 'bug: the handler acks before it invalidates',
  },
  'broken-no-wait': {
    label: 'No wait',
    broken: true,
    note: 'bug: munmap returns (and frees) without waiting for the acks',
  },
  'broken-lazy-tables': {
    label: 'Lazy cores skipped',
    broken: true,
    note: 'bug: lazy cores get no IPI even when page tables are freed (visible with paging-structure caches)',
  },
};

export function protocolInfo(p: Protocol): CompareProtocolInfo {
  return { id: p, ...INFO[p] };
}

/** One protocol's run, as the view draws it. */
export interface CompareRunView {
  protocol: Protocol;
  label: string;
  broken: boolean;
  ipisSent: number;
  ipisReceived: number;
  /** Single-page invalidations (INVLPG, TLBI VAE1IS, SFENCE.VMA of one page, INVLPGB per page). */
  singleInvalidations: number;
  /** Whole-context flushes. */
  fullFlushes: number;
  /** Cycles initiators spent waiting for the other cores. */
  waitCycles: number;
  /** Cycles targets spent in the IPI (or SBI) handler. */
  handlerCycles: number;
  /** Simulated cycles until the last thread finished (the machine's clock at the end). */
  totalCycles: number;
  tlbHits: number;
  tlbMisses: number;
  faults: number;
  violations: number;
  /** Per core: cycles waiting for acks, cycles in the handler. */
  cores: { core: number; wait: number; handler: number }[];
  /** One munmap shootdown's cycles on 2..16 cores (null: none completes under this protocol). */
  curve: CostPoint[];
}

export interface CompareView {
  lesson: typeof COMPARE_LESSON;
  title: string;
  summary: string;
  scenario: { id: string; title: string; cores: number };
  /** The scenarios the view offers: those in which some shootdown happens. */
  scenarios: { id: string; title: string }[];
  /** Every protocol offered, in order. */
  protocols: CompareProtocolInfo[];
  /** The chosen ones, in the offered order. */
  selected: Protocol[];
  runs: CompareRunView[];
  curveCores: number[];
  /** A comparison has no steps: the controls show 0 of 0. */
  step: 0;
  end: 0;
  keyMoments: { label: string; step: number }[];
  narration: string[];
}

export interface CompareSession {
  spec: ScenarioSpec;
  runs: CompareRunView[];
}

export type CompareOpenResult = { ok: true; session: CompareSession } | { ok: false; error: string };

export const COMPARE_TITLE = 'Shootdown protocols side by side';
const SUMMARY =
  'One workload run to the end under each protocol ticked. Cycles are the model’s (cited figures, ' +
  'else stated assumptions): compare sizes, not exact values.';

/** Runs of a scenario under a protocol never change (the core is deterministic): keep them. */
const runCache = new Map<string, ProtocolRun>();
const curveCache = new Map<Protocol, CostPoint[]>();
let shootdownIds: string[] | null = null;

function ranOnce(
  spec: ScenarioSpec,
  protocol: Protocol,
): { ok: true; run: ProtocolRun } | { ok: false; error: string } {
  const key = `${spec.id}\u0000${protocol}`;
  const hit = runCache.get(key);
  if (hit) return { ok: true, run: hit };
  const r = compareProtocols(spec, [protocol]);
  if (!r.ok) return r;
  const run = r.runs[0];
  if (!run) return { ok: false, error: 'the comparison produced no run' };
  runCache.set(key, run);
  return { ok: true, run };
}

function curveOf(protocol: Protocol): { ok: true; points: CostPoint[] } | { ok: false; error: string } {
  const hit = curveCache.get(protocol);
  if (hit) return { ok: true, points: hit };
  const r = costCurve(protocol, CURVE_CORES);
  if (!r.ok) return r;
  curveCache.set(protocol, r.points);
  return r;
}

/** Ops that change mappings another core may have cached: each can need a shootdown. */
const REMAPPING_OPS: ReadonlySet<string> = new Set(['munmap', 'mprotect', 'fork', 'brk']);

/**
 * The scenarios worth comparing: more than one core, and some thread that unmaps, write-protects
 * (mprotect, fork's copy-on-write) or shrinks the heap. Read from the specs, not run: the list
 * is in every view, and running every lesson first would delay the first one.
 */
export function compareScenarioIds(): string[] {
  shootdownIds ??= SCENARIOS.filter(
    (spec) =>
      spec.machine.cores > 1 && spec.threads.some((t) => t.program.some((o) => REMAPPING_OPS.has(o.op))),
  ).map((spec) => spec.id);
  return shootdownIds;
}

function toView(run: ProtocolRun, curve: CostPoint[]): CompareRunView {
  const info = protocolInfo(run.protocol);
  return {
    protocol: run.protocol,
    label: info.label,
    broken: info.broken,
    ipisSent: run.ipis,
    ipisReceived: run.ipisReceived,
    singleInvalidations: run.invalidations - run.fullFlushes,
    fullFlushes: run.fullFlushes,
    waitCycles: run.waitCycles,
    handlerCycles: run.handlerCycles,
    totalCycles: run.ticks,
    tlbHits: run.tlbHits,
    tlbMisses: run.tlbMisses,
    faults: run.faults,
    violations: run.violations,
    cores: run.waitCyclesByCore.map((wait, core) => ({
      core,
      wait,
      handler: run.handlerCyclesByCore[core] ?? 0,
    })),
    curve: curve.map((p) => ({ ...p })),
  };
}

const quoteId = (s: string) => `"${s.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)}"`;

/** Validates the source (untrusted: it may come from a link) and runs every protocol. */
export function openCompare(source: CompareSource): CompareOpenResult {
  const spec = findScenario(source.scenarioId);
  if (!spec) return { ok: false, error: `there is no scenario ${quoteId(source.scenarioId)}` };
  const ids = compareScenarioIds();
  if (!ids.includes(spec.id)) {
    return { ok: false, error: `the scenario ${quoteId(spec.id)} has no shootdown to compare` };
  }
  if (source.protocols.length === 0) return { ok: false, error: 'no protocol is chosen' };
  const offered: readonly string[] = COMPARE_PROTOCOLS;
  for (const p of source.protocols) {
    if (!offered.includes(p)) return { ok: false, error: `there is no protocol ${quoteId(p)}` };
  }
  const chosen = COMPARE_PROTOCOLS.filter((p) => source.protocols.includes(p));
  const runs: CompareRunView[] = [];
  for (const p of chosen) {
    const r = ranOnce(spec, p);
    if (!r.ok) return r;
    const c = curveOf(p);
    if (!c.ok) return c;
    runs.push(toView(r.run, c.points));
  }
  return { ok: true, session: { spec, runs } };
}

const n = (x: number) => x.toLocaleString('en-US');

/** "A, B and C". */
function names(rs: CompareRunView[]): string {
  const ls = rs.map((r) => r.label);
  return ls.length <= 1 ? (ls[0] ?? '') : `${ls.slice(0, -1).join(', ')} and ${ls.at(-1)}`;
}

/** Who is lowest and highest on one metric, in a sentence (nothing when all are equal). */
function extremes(runs: CompareRunView[], pick: (r: CompareRunView) => number, what: string): string | null {
  if (runs.length < 2) return null;
  const vals = runs.map(pick);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  if (lo === hi) return `${what}: ${n(lo)} under every protocol.`;
  const low = runs.filter((r) => pick(r) === lo);
  const high = runs.filter((r) => pick(r) === hi);
  return `${what}: fewest under ${names(low)} (${n(lo)}), most under ${names(high)} (${n(hi)}).`;
}

export function compareView(s: CompareSession): CompareView {
  const runs = s.runs;
  const narration: string[] = [];
  const ipis = extremes(runs, (r) => r.ipisSent, 'IPIs sent');
  if (ipis) narration.push(ipis);
  const total = extremes(runs, (r) => r.totalCycles, 'Cycles until the last thread finished');
  if (total) narration.push(total);
  const bad = runs.filter((r) => r.violations > 0);
  if (bad.length > 0) {
    narration.push(
      `The invariant monitor fired under ${bad.map((r) => `${r.label} (${n(r.violations)} time${r.violations === 1 ? '' : 's'})`).join(', ')}.`,
    );
  }
  const quiet = runs.filter((r) => r.broken && r.violations === 0);
  if (quiet.length > 0) {
    narration.push(
      `${names(quiet)}: no violation in this scenario; the bug needs the workload of its own lesson.`,
    );
  }
  if (bad.length === 0 && quiet.length === 0)
    narration.push('No invariant violation under any protocol shown.');
  return {
    lesson: COMPARE_LESSON,
    title: COMPARE_TITLE,
    summary: SUMMARY,
    scenario: { id: s.spec.id, title: s.spec.title, cores: s.spec.machine.cores },
    scenarios: compareScenarioIds().map((id) => ({ id, title: findScenario(id)?.title ?? id })),
    protocols: COMPARE_PROTOCOLS.map(protocolInfo),
    selected: runs.map((r) => r.protocol),
    runs: runs.map((r) => ({
      ...r,
      cores: r.cores.map((c) => ({ ...c })),
      curve: r.curve.map((p) => ({ ...p })),
    })),
    curveCores: [...CURVE_CORES],
    step: 0,
    end: 0,
    keyMoments: [],
    narration,
  };
}
