// The view model the panels need, built from the machine and the event log: plain, frozen
// data, small enough to post every animation frame. The panels never see the machine itself.
import type { EventMarks } from './eventMarks';
import { entryPfn, flagString, PTE_P, PTE_PS } from '../arch/x86_64/pte';
import { decodeSwapEntry } from '../arch/x86_64/swapEntry';
import type { SimEvent } from '../events';
import { hex, hexEntry } from '../hex';
import { vaHex } from '../kernel/emit';
import { protString } from '../kernel/vma';
import type { Machine } from '../machine';
import { tlbFlagString } from '../mmu/translate';
import type { TlbHierarchy } from '../tlb/hierarchy';
import { coreTlbEntries } from '../tlb/machineTlb';
import { presetById } from '../tlb/presets';
import { type PscView, pscView } from './pscView';
import { narrate } from './narrate';
import { type EntryStatus, entryStatus } from '../engine/monitor';
import type { Thread, ThreadState } from '../machine';
import { interruptsEnabled } from '../smp/interruptFlag';
import { type FramesView, framesView } from './frames';
import { autoPid } from './treePid';
import { type StatsSeries, statsSeries } from './series';

export type { FrameChange, FramesView, FrameState, FrameView, FreeRange } from './frames';
export type { StatsSeries } from './series';

export interface CoreView {
  id: number;
  tid: number;
  pid: number;
  pcid: number;
  cr3: string;
  lazy: boolean;
  state: 'idle' | 'lazy' | 'user' | 'spinning' | 'kernel' | 'interrupt' | 'waiting';
  activity: string;
  localGen: number | null;
  now: number;
  /** The frame of the loaded page table's root (CR3's address bits), or -1. */
  cr3Pfn: number;
  /** The loaded mm's tlb_gen (mm->context.tlb_gen), to compare with localGen. */
  mmGen: number | null;
  /** While this core initiates a shootdown: the cores whose ack it still waits for. */
  waitingFor: number[];
  /** IPIs sent to this core and not yet taken. */
  pendingIpis: number;
  /** Threads queued to run here (not running). */
  runq: number[];
  /** Between the two halves of switch_mm (loaded_mm = LOADED_MM_SWITCHING). */
  switching: boolean;
  /** RFLAGS.IF: off in the IPI handler and during switch_mm, so IPIs wait (smp/interruptFlag.ts). */
  interruptsOn: boolean;
}

/** A thread: where it runs or waits, and what it does next. */
export interface ThreadView {
  tid: number;
  pid: number;
  core: number;
  state: ThreadState;
  /** The operation it is at (its program counter's op), or null past the end. */
  op: string | null;
  pc: number;
  ops: number;
  /** The flag it sleeps on or spins waiting for, if any. */
  flag: string;
  exitReason: string;
}

export interface TlbEntryRow {
  set: number;
  way: number;
  va: string;
  pcid: number;
  pfn: number;
  flags: string;
  global: boolean;
  /** Against memory now: ok, flush pending, stale (nothing will flush it), or a freed frame. */
  status: EntryStatus;
  /** Index into TlbView.levels of the array holding the entry. */
  level: number;
}

/** One TLB array of a core (a sets/ways TLB has exactly one). */
export interface TlbLevelView {
  /** The array's name: 'TLB', 'L1 dTLB 4K', 'STLB 4K+2M', ... */
  name: string;
  role: 'l1i' | 'l1d' | 'l1' | 'l2';
  /** A short label for the panel: L1i, L1d, L1 or L2. */
  label: string;
  /** The page sizes it holds: '4K', '2M', '4K+2M', '4K+2M+1G', ... */
  sizes: string;
  sets: number;
  ways: number;
  /** Probes of this array that hit / missed. */
  hits: number;
  misses: number;
  entries: TlbEntryRow[];
}

export interface TlbView {
  core: number;
  /** What the TLB models: the preset's title, or the sets x ways TLB's. */
  title: string;
  /** The first array's geometry (the whole TLB's, for a sets/ways TLB). */
  sets: number;
  ways: number;
  /** Translations served without a walk (any level), and walks. */
  hits: number;
  misses: number;
  /** Every array's entries, in level order (the same rows as levels[i].entries). */
  entries: TlbEntryRow[];
  /** Each array with its own entries: L1 iTLB(s), L1 dTLB(s) or a unified L1, then the L2. */
  levels: TlbLevelView[];
  /** The core's paging-structure caches, when the machine has them (machine.psc). */
  psc?: PscView;
}

export interface PtEntryView {
  index: number;
  raw: string;
  flags: string;
  /** First VA this entry covers. */
  va: string;
  /** Next table (non-leaf) or mapped frame (leaf). */
  pfn: number;
  leaf: boolean;
  child: PtNodeView | null;
  /** A not-present PTE holding a swap entry: the slot it names. */
  swapSlot?: number;
}

export interface PtNodeView {
  pfn: number;
  level: number;
  entries: PtEntryView[];
  /** Entries of this table were left out: the tree reached this cap (TREE_ENTRY_CAP) of entries. */
  cut?: number;
}

/** A process's tree in a snapshot holds at most this many entries (the rest are cut, and say so). */
export const TREE_ENTRY_CAP = 2000;

export interface ProcView {
  pid: number;
  name: string;
  pcid: number;
  tlbGen: number;
  cpumask: number[];
  alive: boolean;
  root: PtNodeView;
  vmas: { start: string; end: string; prot: string; name: string }[];
  /** The tree was left out of this snapshot (root.entries empty): see treePid.ts. */
  treeOmitted?: true;
}

export interface IpiArrow {
  from: number;
  to: number;
  sentTick: number;
  sentStep: number;
  recvTick: number | null;
  ackTick: number | null;
}

export interface IpiTimeline {
  arrows: IpiArrow[];
  /** Initiator waits: from the local flush to the last ack. */
  waits: { core: number; start: number; end: number | null }[];
  /** Handlers on targets: from taking the interrupt to the ack. */
  handlers: { core: number; start: number; end: number | null }[];
  maxTick: number;
}

export interface StatsView {
  ipis: number;
  tlbHits: number;
  tlbMisses: number;
  faults: number;
  violations: number;
  invalidations: number;
  waitCycles: number[];
  handlerCycles: number[];
}

export interface KeyMomentAt {
  label: string;
  step: number;
}

export interface Snapshot {
  scenarioId: string;
  title: string;
  summary: string;
  step: number;
  tick: number;
  done: boolean;
  /** Total steps of the run, once known. */
  end: number | null;
  cores: CoreView[];
  tlbs: TlbView[];
  procs: ProcView[];
  /** The walk of the current step, if it has one: the path to highlight. */
  walk: {
    core: number;
    pid: number;
    /** The page being translated. */
    va: string | null;
    levels: { level: number; table: number; index: number }[];
  } | null;
  /** The step's last memory access, for the address bit-slicer: what was translated, and to what. */
  access: {
    core: number;
    va: string;
    kind: 'read' | 'write' | 'fetch';
    /** Null while the access faulted or waits. */
    pa: string | null;
    /** The level whose entry mapped the page when this step walked (2 or 3 for a large page). */
    leafLevel: number | null;
  } | null;
  events: SimEvent[];
  narration: string[];
  stats: StatsView;
  ipi: IpiTimeline;
  keyMoments: KeyMomentAt[];
  /** Every thread, in tid order. */
  threads: ThreadView[];
  /** Physical memory: the frames in use and the free ranges between them. */
  frames: FramesView;
  /** Per-step counters over the last steps, for the statistics charts. */
  series: StatsSeries;
  /** Faults, IPIs and violations over the whole run (set by the worker once the run is known). */
  eventMarks?: EventMarks;
  /** How far the worker has run ahead to learn the run (set by the worker): end, once known. */
  explored?: number;
  /** The process the page-table panel follows unless one is chosen (treePid.ts). */
  autoPid: number | null;
}

function coreState(m: Machine, id: number): Pick<CoreView, 'state' | 'activity'> {
  const c = m.cores[id];
  if (!c) return { state: 'idle', activity: '' };
  const top = c.stack[c.stack.length - 1];
  if (top) {
    switch (top.fn) {
      case 'ipi':
        return { state: 'interrupt', activity: 'flush_tlb_func (IPI handler)' };
      case 'shootdown':
        return top.phase === 'wait'
          ? { state: 'waiting', activity: 'waiting for acks' }
          : { state: 'kernel', activity: 'flush_tlb_mm_range' };
      case 'munmap':
        return { state: 'kernel', activity: 'munmap' };
      case 'mprotect':
        return { state: 'kernel', activity: 'mprotect' };
      case 'fork':
        return { state: 'kernel', activity: 'fork' };
      case 'fault':
        return { state: 'kernel', activity: 'page fault handler' };
      case 'switch':
        return {
          state: 'kernel',
          activity: c.switching ? 'switch_mm (loaded_mm = SWITCHING)' : 'context switch',
        };
      case 'access':
        return { state: 'user', activity: 'memory access' };
      case 'exec':
        return { state: 'kernel', activity: 'execve' };
      case 'teardown':
        return { state: 'kernel', activity: 'exit_mmap' };
      case 'ksys':
        return { state: 'kernel', activity: `system call: kernel ${top.kind} at CPL 0` };
      case 'kmap':
        return { state: 'kernel', activity: top.unmap ? 'vunmap_range' : 'vmalloc' };
      case 'kflush':
        return top.phase === 'wait'
          ? { state: 'waiting', activity: 'waiting for acks' }
          : { state: 'kernel', activity: 'flush_tlb_kernel_range' };
      case 'rw':
        return {
          state: 'kernel',
          activity:
            top.phase === 'copy'
              ? `${top.name}: ${top.name === 'read' ? 'copy_to_user' : 'copy_from_user'} (EFLAGS.AC = 1)`
              : top.phase === 'pin' || top.phase === 'unpin'
                ? `${top.name}: ${top.phase === 'pin' ? 'pinning' : 'unpinning'} the buffer`
                : top.name,
        };
      case 'ioctl':
        return { state: 'kernel', activity: `ioctl: ${top.phase}` };
      case 'pinwait':
        return { state: 'waiting', activity: 'munmap waits for pinned pages' };
      case 'faultlock':
        return top.phase === 'spin'
          ? { state: 'spinning', activity: `spinning on ${top.lock}` }
          : { state: 'kernel', activity: `releasing ${top.lock}` };
    }
  }
  if (c.tid >= 0) {
    const th = m.threads.find((t) => t.tid === c.tid);
    if (th?.state === 'spinning') return { state: 'spinning', activity: 'spinning in user space' };
    return { state: 'user', activity: 'running' };
  }
  return c.lazy && c.mmPid >= 0
    ? { state: 'lazy', activity: 'idle, lazy TLB' }
    : { state: 'idle', activity: 'idle' };
}

function tableView(
  m: Machine,
  pfn: number,
  level: number,
  vaBase: number,
  budget: { n: number },
): PtNodeView {
  const words = m.mem.frames[pfn];
  const entries: PtEntryView[] = [];
  if (words) {
    for (let i = 0; i < 512; i++) {
      const lo = words[i * 2] as number;
      const hi = words[i * 2 + 1] as number;
      if ((lo & PTE_P) === 0 && lo === 0 && hi === 0) continue;
      if (budget.n-- <= 0) return { pfn, level, entries, cut: TREE_ENTRY_CAP };
      const vpn = vaBase + i * 2 ** (9 * (level - 1));
      const leaf = level === 1 || ((lo & PTE_PS) !== 0 && level <= 3);
      const present = (lo & PTE_P) !== 0;
      const target = entryPfn(lo, hi);
      entries.push({
        index: i,
        raw: hexEntry(lo, hi),
        flags: flagString(lo, hi),
        va: vaHex(canonicalVpn(vpn), 0),
        pfn: target,
        leaf,
        child: present && !leaf ? tableView(m, target, level - 1, vpn, budget) : null,
        ...swapSlotOf(level, lo, hi),
      });
    }
  }
  return { pfn, level, entries };
}

const LEVEL_LABEL: Record<TlbLevelView['role'], string> = { l1i: 'L1i', l1d: 'L1d', l1: 'L1', l2: 'L2' };

function tlbView(m: Machine, core: number, h: TlbHierarchy, hits: number, misses: number): TlbView {
  const levels: TlbLevelView[] = h.levels.map((l) => ({
    name: l.name,
    role: l.role,
    label: LEVEL_LABEL[l.role],
    sizes: ['4K', '2M', '1G'].filter((_, k) => (l.shiftMask >>> k) & 1).join('+'),
    sets: l.sets,
    ways: l.ways,
    hits: l.hits,
    misses: l.misses,
    entries: [],
  }));
  const entries: TlbEntryRow[] = [];
  for (const e of coreTlbEntries(h)) {
    const size = e.pageShift === 12 ? '' : e.pageShift === 21 ? ' 2M' : ' 1G';
    // A fragment of a larger page (splintered into an array that does not hold its size) says so.
    const of = e.origShift === e.pageShift ? '' : ` of ${e.origShift === 21 ? '2M' : '1G'}`;
    const row: TlbEntryRow = {
      set: e.set,
      way: e.way,
      va: vaHex(canonicalVpn(e.vpn), 0),
      pcid: e.asid,
      pfn: e.pfn,
      // A large page's entry says so: one entry covers 512 or 262144 small pages.
      flags: `${tlbFlagString(e.flags)}${size}${of}`,
      global: e.global,
      status: entryStatus(m, pidOfPcid(m, e.asid), e.pageVpn, e.pageBasePfn, e.flags),
      level: e.array,
    };
    entries.push(row);
    levels[e.array]?.entries.push(row);
  }
  const first = h.levels[0];
  const preset = presetById(h.preset);
  return {
    core,
    title:
      preset?.title ??
      `${(first?.sets ?? 0) * (first?.ways ?? 0)}-entry TLB (${first?.sets ?? 0} sets x ${first?.ways ?? 0} ways, LRU)`,
    sets: first?.sets ?? 0,
    ways: first?.ways ?? 0,
    hits,
    misses,
    entries,
    levels,
    ...(h.psc ? { psc: pscView(m, h.psc) } : {}),
  };
}

function pidOfPcid(m: Machine, pcid: number): number {
  // Under KPTI a user-mode entry carries the PCID with bit 11 set (kernel/kpti.ts).
  const k = m.spec.machine.kpti ? pcid & 0x7ff : pcid;
  return m.procs.find((p) => p.pcid === k)?.pid ?? -1;
}

/** Sign-extends a 36-bit (4-level) page number to the canonical 52-bit form (idempotent). */
function canonicalVpn(vpn: number): number {
  // Kernel accesses carry the 52-bit form already: keep bits 35:0 before extending.
  const low = vpn % 2 ** 36;
  return low >= 2 ** 35 ? low + (2 ** 52 - 2 ** 36) : low;
}

export function foldIpi(events: readonly SimEvent[]): IpiTimeline {
  const arrows: IpiArrow[] = [];
  const waits: IpiTimeline['waits'] = [];
  const handlers: IpiTimeline['handlers'] = [];
  let maxTick = 0;
  for (const e of events) {
    maxTick = Math.max(maxTick, e.tick);
    switch (e.type) {
      case 'ipi.sent':
        arrows.push({
          from: e.from,
          to: e.to,
          sentTick: e.tick,
          sentStep: e.step,
          recvTick: null,
          ackTick: null,
        });
        break;
      // RISC-V: the firmware's IPI is taken by an M-mode handler (sbi.rfence) instead.
      case 'ipi.received':
      case 'sbi.rfence': {
        const a = arrows.find((x) => x.to === e.core && x.from === e.from && x.recvTick === null);
        if (a) a.recvTick = e.tick;
        handlers.push({ core: e.core, start: e.tick, end: null });
        break;
      }
      case 'ipi.acked': {
        const a = arrows.find(
          (x) => x.to === e.from && x.from === e.to && x.recvTick !== null && x.ackTick === null,
        );
        if (a) a.ackTick = e.tick;
        const h = handlers.find((x) => x.core === e.from && x.end === null);
        if (h) h.end = e.tick;
        break;
      }
      case 'shootdown.wait':
        waits.push({ core: e.core, start: e.tick, end: null });
        break;
      // arm64: the initiator stalls in DSB ISH until the broadcast TLBIs complete everywhere.
      case 'tlbi':
        waits.push({ core: e.core, start: e.tick, end: null });
        break;
      case 'dsb': {
        if (e.domain !== 'ish') break;
        const w = waits.find((x) => x.core === e.core && x.end === null);
        if (w) w.end = e.tick;
        break;
      }
      case 'shootdown.end': {
        const w = waits.find((x) => x.core === e.core && x.end === null);
        if (w) w.end = e.tick;
        break;
      }
      default:
        break;
    }
  }
  return { arrows, waits, handlers, maxTick };
}

/** A process's page-table tree as the panel draws it (at most 2,000 entries). */
export function procTree(m: Machine, rootPfn: number): PtNodeView {
  return tableView(m, rootPfn, m.ctl.levels, 0, { n: TREE_ENTRY_CAP });
}

/**
 * `trees: false` leaves every tree out (root with no entries, treeOmitted): the caller adds the
 * one it sends (worker/session.ts), instead of building eight trees to send one.
 */
export function buildSnapshot(
  m: Machine,
  stepEvents: readonly SimEvent[],
  history: readonly SimEvent[],
  end: number | null,
  keyMoments: KeyMomentAt[],
  opts: { trees: boolean } = { trees: true },
): Snapshot {
  const walkEvents = stepEvents.filter((e) => e.type === 'walk.level');
  const walkCore = walkEvents[0]?.type === 'walk.level' ? walkEvents[0].core : -1;
  const walkPid = walkCore >= 0 ? (m.cores[walkCore]?.mmPid ?? -1) : -1;
  const procs: ProcView[] = m.procs.map((p) => ({
    pid: p.pid,
    name: p.name,
    pcid: p.pcid,
    tlbGen: p.tlbGen,
    cpumask: p.cpumask.flatMap((on, i) => (on ? [i] : [])),
    alive: p.alive,
    ...(opts.trees
      ? { root: procTree(m, p.rootPfn) }
      : { root: { pfn: p.rootPfn, level: m.ctl.levels, entries: [] }, treeOmitted: true }),
    vmas: p.vmas.map((v) => ({
      start: vaHex(v.startVpn, 0),
      end: vaHex(v.endVpn, 0),
      prot: protString(v.prot),
      name: v.name,
    })),
  }));
  const snap: Snapshot = {
    scenarioId: m.spec.id,
    title: m.spec.title,
    summary: m.spec.summary,
    step: m.step,
    tick: m.tick,
    done: m.done,
    end,
    cores: m.cores.map((c) => ({
      id: c.id,
      tid: c.tid,
      pid: c.mmPid,
      pcid: c.pcid,
      cr3: c.cr3Pfn >= 0 ? hex(c.cr3Pfn * 4096 + c.pcid) : '-',
      lazy: c.lazy,
      ...coreState(m, c.id),
      localGen: c.mmPid >= 0 ? (c.localGen[c.mmPid] ?? null) : null,
      now: c.now,
      cr3Pfn: c.cr3Pfn,
      mmGen: c.mmPid >= 0 ? (m.procs.find((p) => p.pid === c.mmPid)?.tlbGen ?? null) : null,
      waitingFor: waitingFor(m, c.id),
      pendingIpis: c.inbox.length,
      runq: c.runq.slice(),
      switching: c.switching,
      interruptsOn: interruptsEnabled(c),
    })),
    tlbs: m.cores.map((c) => tlbView(m, c.id, c.tlb, c.tlbHits, c.tlbMisses)),
    procs,
    walk:
      walkCore >= 0
        ? {
            core: walkCore,
            pid: walkPid,
            va: (() => {
              const miss = stepEvents.find((e) => e.type === 'tlb.miss' && e.core === walkCore);
              return miss?.type === 'tlb.miss' ? miss.va : null;
            })(),
            levels: walkEvents.flatMap((e) =>
              e.type === 'walk.level' ? [{ level: e.level, table: e.table, index: e.index }] : [],
            ),
          }
        : null,
    access: lastAccess(stepEvents),
    events: stepEvents.slice(),
    narration: stepEvents.map(narrate),
    stats: {
      ...m.stats,
      waitCycles: m.stats.waitCycles.slice(),
      handlerCycles: m.stats.handlerCycles.slice(),
    },
    ipi: foldIpi(history),
    keyMoments,
    threads: m.threads
      .map((t) => ({
        tid: t.tid,
        pid: t.pid,
        core: t.core,
        state: t.state,
        op: t.program[t.pc]?.op ?? null,
        pc: t.pc,
        ops: t.program.length,
        flag: threadFlag(t),
        exitReason: t.exitReason,
      }))
      .sort((a, b) => a.tid - b.tid),
    frames: framesView(m, stepEvents, largePageSpans(procs)),
    series: statsSeries(history, m.step),
    autoPid: null,
  };
  snap.autoPid = autoPid(snap);
  return snap;
}

/** The flag a thread sleeps on, or spins waiting for; '' otherwise. */
function threadFlag(t: Thread): string {
  if (t.state === 'sleeping') return t.sleepFlag;
  const op = t.program[t.pc];
  return t.state === 'spinning' && op?.op === 'wait' ? op.flag : '';
}

/** The shootdown this core initiates and waits in: the targets that have not acked yet. */
function waitingFor(m: Machine, core: number): number[] {
  const top = m.cores[core]?.stack.at(-1);
  if (top?.fn !== 'shootdown') return [];
  const sd = m.shootdowns.find((s) => s.id === top.id);
  return sd ? sd.targets.filter((t) => !sd.acked.includes(t)) : [];
}

/** First frame -> frames covered, for each large page the processes' page tables map (PS=1 leaves). */
export function largePageSpans(procs: readonly ProcView[]): Map<number, number> {
  const spans = new Map<number, number>();
  const visit = (node: PtNodeView) => {
    for (const e of node.entries) {
      if (e.child) visit(e.child);
      else if (e.leaf && node.level > 1) spans.set(e.pfn, 512 ** (node.level - 1));
    }
  };
  for (const p of procs) visit(p.root);
  return spans;
}

function lastAccess(stepEvents: readonly SimEvent[]): Snapshot['access'] {
  let acc: Extract<SimEvent, { type: 'access' }> | null = null;
  for (const e of stepEvents) if (e.type === 'access') acc = e;
  if (!acc) return null;
  const core = acc.core;
  const done = stepEvents.find((e) => e.type === 'access.done' && e.core === core && e.va === acc.va);
  let leafLevel: number | null = null;
  for (const e of stepEvents) if (e.type === 'walk.level' && e.core === core) leafLevel = e.level;
  return {
    core,
    va: acc.va,
    kind: acc.kind,
    pa: done?.type === 'access.done' ? done.pa : null,
    leafLevel: done ? leafLevel : null,
  };
}

/** The slot a level-1 swap entry names, as an optional field (Linux x86-64 swap PTE format). */
function swapSlotOf(level: number, lo: number, hi: number): { swapSlot?: number } {
  const e = level === 1 ? decodeSwapEntry(lo, hi) : null;
  return e ? { swapSlot: e.offset } : {};
}
