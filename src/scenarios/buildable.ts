// Checks that a schema-valid scenario can be built and run as declared, so a bad one is refused
// before it runs with a message naming the field: ids used twice, threads that are cloned,
// joined or recurse without what that needs, stacks that overlap, and more populated memory than
// the machine has frames for.
import type { ScenarioSpec, ThreadSpec } from '../core/spec';

const PAGE = 4096n;

function vpnOf(hex: string): number {
  return Number(BigInt(hex) / PAGE);
}

/** A thread's stack range with its guard pages: [start, end) in pages. */
function stackRange(t: ThreadSpec): { start: number; end: number } | null {
  if (!t.stack) return null;
  const lo = vpnOf(t.stack.va);
  const g = t.stack.guards === false ? 0 : 1;
  return { start: lo - g, end: lo + t.stack.pages + g };
}

/**
 * A lower bound on the frames the builder needs: frame 0, the zero page, the kernel half, and
 * per process its PML4, the tables under its populated or large pages, and those pages.
 */
export function framesNeeded(spec: ScenarioSpec): { total: number; at: string | null } {
  let total = 2 + (spec.machine.kernelHalf ? 7 : 0);
  for (const [i, p] of spec.processes.entries()) {
    if (p.forkOf !== undefined) continue;
    total += 1;
    const tables = new Set<string>();
    for (const [j, v] of p.vmas.entries()) {
      const start = vpnOf(v.start);
      const size = v.pageSize ?? '4k';
      if (size === '4k' && !v.populate) continue;
      const span = size === '1g' ? 512 * 512 : size === '2m' ? 512 : 1;
      for (let vpn = start; vpn < start + v.pages; vpn += span) {
        tables.add(`3:${Math.floor(vpn / 512 ** 3)}`);
        if (size !== '1g') tables.add(`2:${Math.floor(vpn / 512 ** 2)}`);
        if (size === '4k') tables.add(`1:${Math.floor(vpn / 512)}`);
      }
      total += v.pages;
      if (total + tables.size > spec.machine.frames) {
        return {
          total: total + tables.size,
          at: `processes.${i}.vmas.${j}.${size === '4k' ? 'populate' : 'pageSize'}`,
        };
      }
    }
    total += tables.size;
  }
  return { total, at: total > spec.machine.frames ? 'machine.frames' : null };
}

export function checkBuildable(spec: ScenarioSpec): string | null {
  const pids = new Set<number>();
  for (const [i, p] of spec.processes.entries()) {
    if (pids.has(p.pid)) return `processes.${i}.pid: process ${p.pid} is declared twice`;
    pids.add(p.pid);
  }
  const byTid = new Map<number, ThreadSpec>();
  for (const [i, t] of spec.threads.entries()) {
    if (byTid.has(t.tid)) return `threads.${i}.tid: thread ${t.tid} is declared twice`;
    byTid.set(t.tid, t);
  }
  const forked = new Set(spec.processes.filter((p) => p.forkOf !== undefined).map((p) => p.pid));
  const clonedBy = new Set<number>();
  for (const [i, t] of spec.threads.entries()) {
    if (t.cloned && forked.has(t.pid))
      return `threads.${i}.cloned: process ${t.pid} is created by fork, which starts its threads itself`;
    if (t.stack && forked.has(t.pid))
      return `threads.${i}.stack: process ${t.pid} is created by fork and inherits its parent's mappings`;
    for (const [j, o] of t.program.entries()) {
      const where = `threads.${i}.program.${j}`;
      if (o.op === 'clone') {
        const c = byTid.get(o.tid);
        if (!c || c.pid !== t.pid || !c.cloned)
          return `${where}.tid: thread ${o.tid} must be declared in process ${t.pid} with cloned: true`;
        clonedBy.add(o.tid);
      } else if (o.op === 'join') {
        const c = byTid.get(o.tid);
        if (!c || c.pid !== t.pid || o.tid === t.tid)
          return `${where}.tid: thread ${o.tid} is not another thread of process ${t.pid}`;
      } else if (o.op === 'recurse' && !t.stack) {
        return `${where}: recurse needs threads.${i}.stack (the calls push their frames there)`;
      }
    }
  }
  for (const [i, t] of spec.threads.entries()) {
    if (t.cloned && !clonedBy.has(t.tid))
      return `threads.${i}.cloned: no thread of process ${t.pid} clones it`;
  }
  const stacks = spec.threads.flatMap((t, i) => {
    const r = stackRange(t);
    return r ? [{ i, pid: t.pid, ...r }] : [];
  });
  for (const s of stacks) {
    if (s.start < 0 || s.end > 2 ** 35 - 1) return `threads.${s.i}.stack: outside the user half`;
    for (const o of stacks) {
      if (o.i < s.i && o.pid === s.pid && o.start < s.end && s.start < o.end)
        return `threads.${s.i}.stack: overlaps threads.${o.i}.stack (guard pages included)`;
    }
    const proc = spec.processes.findIndex((p) => p.pid === s.pid);
    for (const [j, v] of (spec.processes[proc]?.vmas ?? []).entries()) {
      const vs = vpnOf(v.start);
      if (vs < s.end && s.start < vs + v.pages)
        return `threads.${s.i}.stack: overlaps processes.${proc}.vmas.${j} (guard pages included)`;
    }
  }
  const need = framesNeeded(spec);
  if (need.at)
    return `${need.at}: the populated pages and their page tables need at least ${need.total} frames; machine.frames is ${spec.machine.frames}`;
  return null;
}
