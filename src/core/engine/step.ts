// The deterministic discrete-event loop. Each core has a local clock; a step runs one
// micro-operation on the core whose next action comes first (ties broken by the machine's
// seeded PRNG), charges its cycles, and returns the events it caused.
import type { EventBody, SimEvent } from '../events';
import { stepAccess } from '../kernel/access';
import { stepFault } from '../kernel/fault';
import { stepFork } from '../kernel/fork';
import { stepMprotect } from '../kernel/mprotect';
import { stepMunmap } from '../kernel/munmap';
import { startNextOp } from '../kernel/program';
import { stepExec } from '../kernel/exec';
import { stepTeardown } from '../kernel/exitMm';
import { stepReclaim } from '../kernel/reclaim';
import type { Core, Frame, Machine } from '../machine';
import { nextBelow } from '../prng';
import { stepIpi, stepShootdown } from '../smp/shootdown/linuxX86';
import { interruptsEnabled } from '../smp/interruptFlag';
import { stepSwitch } from '../smp/switch';
import type { Ctx } from './ctx';
import { threadOf } from './ctx';
import { checkInvariants } from './monitor';
import { stepKmap } from '../kernel/kernelMap';
import { stepKsys } from '../kernel/ksys';
import { stepKflush } from '../smp/kernelFlush';
import { blockedUntil, runUaccessFrame } from '../kernel/uaccessFrames';
import { atMmapLockEntry, faultWaitsForMmapLock, mmapLockHolder } from '../kernel/mmapLock';

const NEVER = Number.POSITIVE_INFINITY;

/**
 * Steps after which the invariant monitor must look again: only these can make a TLB entry
 * disagree with memory (a PTE or a frame changed, a flush finished, a core changed mm) or stop
 * disagreeing (an invalidation). A fill comes from a fresh walk, so it always agrees.
 */
const MONITOR_TRIGGERS: ReadonlySet<string> = new Set([
  'pte.write',
  'frame.free',
  'frame.alloc',
  'shootdown.begin',
  'shootdown.end',
  'tlb.invalidate',
  'context.switch',
  'lazy.leave',
  'thread.sleep',
  'ipi.acked',
  'syscall.exit',
]);

/** The earliest IPI waiting for `core` that it can take now, if any. */
function deliverableIpi(m: Machine, core: Core): { id: number; at: number } | null {
  if (!interruptsEnabled(core)) return null;
  let best: { id: number; at: number } | null = null;
  for (const id of core.inbox) {
    const ipi = m.ipis[id];
    if (!ipi || ipi.taken) continue;
    if (!best || ipi.deliverTick < best.at) best = { id: ipi.id, at: ipi.deliverTick };
  }
  return best;
}

/** When `core` can next do something, ignoring IPIs. */
function workTime(m: Machine, core: Core): number {
  const top = core.stack[core.stack.length - 1];
  if (top) {
    if (top.fn === 'fault' && top.phase === 'enter' && faultWaitsForMmapLock(m, core)) return NEVER;
    if (atMmapLockEntry(top)) {
      if (mmapLockHolder(m, core)) return NEVER;
      // Woken when the last holder let go: not before the step that released it.
      if (top.lockWaitSince !== undefined) return Math.max(core.now, m.tick);
    }
    if (top.fn === 'shootdown' && top.phase === 'wait') {
      const sd = m.shootdowns[top.id];
      if (!sd || sd.acked.length < sd.targets.length) return NEVER;
      return Math.max(core.now, sd.lastAckTick);
    }
    if (top.fn === 'kflush' && top.phase === 'wait') {
      const sd = m.shootdowns[top.id];
      if (!sd || sd.acked.length < sd.targets.length) return NEVER;
      return Math.max(core.now, sd.lastAckTick);
    }
    const blocked = blockedUntil(m, core, top);
    if (blocked !== null) return blocked;
    return core.now;
  }
  if (core.tid >= 0) {
    const th = threadOf(m, core.tid);
    if (th.state === 'spinning') {
      const op = th.program[th.pc];
      const at = op && op.op === 'wait' ? m.flags[op.flag] : undefined;
      return at === undefined ? NEVER : Math.max(core.now, at);
    }
    return core.now;
  }
  const next = core.runq[0];
  if (next === undefined) return NEVER;
  return Math.max(core.now, threadOf(m, next).readyAt);
}

function readyTime(m: Machine, core: Core): number {
  const ipi = deliverableIpi(m, core);
  const w = workTime(m, core);
  return ipi ? Math.min(w, Math.max(core.now, ipi.at)) : w;
}

function runFrame(ctx: Ctx, f: Frame): void {
  switch (f.fn) {
    case 'switch':
      return stepSwitch(ctx, f);
    case 'access':
      return stepAccess(ctx, f);
    case 'fault':
      return stepFault(ctx, f);
    case 'munmap':
      return stepMunmap(ctx, f);
    case 'mprotect':
      return stepMprotect(ctx, f);
    case 'fork':
      return stepFork(ctx, f);
    case 'shootdown':
      return stepShootdown(ctx, f);
    case 'ipi':
      return stepIpi(ctx, f);
    case 'exec':
      return stepExec(ctx, f);
    case 'teardown':
      return stepTeardown(ctx, f);
    case 'ksys':
      return stepKsys(ctx, f);
    case 'kmap':
      return stepKmap(ctx, f);
    case 'kflush':
      return stepKflush(ctx, f);
    case 'rw':
    case 'ioctl':
    case 'pinwait':
    case 'faultlock':
      return runUaccessFrame(ctx, f);
    case 'reclaim':
      return stepReclaim(ctx, f);
    default: {
      const never: never = f;
      throw new Error(`internal: unknown frame ${JSON.stringify(never)}`);
    }
  }
}

function runOne(ctx: Ctx): void {
  const { m, core } = ctx;
  const ipi = deliverableIpi(m, core);
  if (ipi && ipi.at <= ctx.t) {
    core.stack.push({ fn: 'ipi', phase: 'enter', ipi: ipi.id });
  }
  const top = core.stack[core.stack.length - 1];
  if (top) return runFrame(ctx, top);
  if (core.tid >= 0) {
    const th = threadOf(m, core.tid);
    if (th.state === 'spinning') th.state = 'running';
    return startNextOp(ctx);
  }
  const next = core.runq[0];
  if (next !== undefined) {
    core.stack.push({ fn: 'switch', tid: next, phase: 'first', gen: 0 });
    return runFrame(ctx, core.stack[core.stack.length - 1] as Frame);
  }
}

/** The cores tied for the earliest next action, and that time (NEVER if none can act). */
function candidates(m: Machine): { ties: Core[]; t: number } {
  let bestT = NEVER;
  const ties: Core[] = [];
  for (const c of m.cores) {
    const t = readyTime(m, c);
    if (t < bestT) {
      bestT = t;
      ties.length = 0;
      ties.push(c);
    } else if (t === bestT && t !== NEVER) {
      ties.push(c);
    }
  }
  return { ties, t: bestT };
}

/** Which core acts next and when; null if nothing can happen any more. Draws from the PRNG on a tie. */
export function nextActor(m: Machine): { core: Core; t: number } | null {
  const { ties, t: bestT } = candidates(m);
  if (bestT === NEVER || ties.length === 0) return null;
  const core = ties.length === 1 ? (ties[0] as Core) : (ties[nextBelow(m.prng, ties.length)] as Core);
  return { core, t: bestT };
}

/** Advances the machine by one step. Returns the step's events ([] once the run has ended). */
export function step(m: Machine): SimEvent[] {
  if (m.done) return [];
  const actor = nextActor(m);
  if (!actor) {
    m.done = true;
    return [];
  }
  const events: SimEvent[] = [];
  m.step++;
  m.tick = Math.max(m.tick, actor.t);
  const stepNo = m.step;
  const tick = m.tick;
  const emit = m.record
    ? (e: EventBody) => {
        events.push({ ...e, step: stepNo, tick } as SimEvent);
      }
    : () => {};
  const ctx: Ctx = { m, core: actor.core, t: actor.t, cost: 0, emit };
  actor.core.now = actor.t;
  runOne(ctx);
  actor.core.now = actor.t + Math.max(1, ctx.cost);
  if (m.monitor && (!m.record || events.some((e) => MONITOR_TRIGGERS.has(e.type))))
    checkInvariants(m, emit, events);
  if (candidates(m).t === NEVER) m.done = true;
  return events;
}

/** Runs to the end (or `maxSteps`), returning every event. */
export function runToEnd(m: Machine, maxSteps = 1_000_000): SimEvent[] {
  const all: SimEvent[] = [];
  while (!m.done && m.step < maxSteps) {
    for (const e of step(m)) all.push(e);
  }
  return all;
}
