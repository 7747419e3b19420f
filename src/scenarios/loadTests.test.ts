// The built-in load tests (LOAD_TESTS): the stress run really has 16 cores, 8 processes and over
// 4,096 mapped pages with no invariant violated; the long runs have exactly their stated length;
// and exploring a run ahead leaves the same checkpoints, and seeks the same machines, as stepping.
import { beforeAll, describe, expect, it } from 'vitest';
import { entryPfn, PTE_P, PTE_PS } from '../core/arch/x86_64/pte';
import {
  createTimeline,
  exploreStep,
  forward,
  seek,
  startExplorer,
  type Timeline,
} from '../core/engine/timeline';
import type { SimEvent } from '../core/events';
import type { Machine } from '../core/machine';
import { locateKeyMoments } from '../core/view/keyMoments';
import { buildSnapshot } from '../core/view/snapshot';
import { longRunSpec } from './builtin/longRun';
import { stress16 } from './builtin/stress';
import { findScenario, LOAD_TESTS, SCENARIOS, scenarioList } from './index';
import { validateScenario } from './schema';

/** Present 4 KiB leaf PTEs under a page-table root (a 4-level walk of every present entry). */
function presentLeaves(m: Machine, table: number, level: number): number {
  const words = m.mem.frames[table];
  if (!words) return 0;
  let n = 0;
  for (let i = 0; i < 512; i++) {
    const lo = words[i * 2] ?? 0;
    if ((lo & PTE_P) === 0) continue;
    if (level === 1) n++;
    else if ((lo & PTE_PS) === 0) n += presentLeaves(m, entryPfn(lo, words[i * 2 + 1] ?? 0), level - 1);
  }
  return n;
}

/**
 * The same machine state: everything but the copy-on-write stamps of physical memory (owner,
 * epoch), which count how often a machine was copied, not what it holds.
 */
function sameMachine(a: Machine | undefined, b: Machine | undefined): boolean {
  const text = (m: Machine | undefined) =>
    JSON.stringify(m, (k, v: unknown) => (k === 'owner' || k === 'epoch' ? undefined : v));
  return a !== undefined && text(a) === text(b);
}

function run(tl: Timeline): SimEvent[][] {
  const log: SimEvent[][] = [];
  for (let ev = forward(tl); ev !== null; ev = forward(tl)) log.push(ev);
  return log;
}

describe('load tests', () => {
  it('are valid scenarios, found by id and listed, and are not lessons', () => {
    for (const s of LOAD_TESTS) {
      expect(validateScenario(s)).toEqual({ ok: true, spec: s });
      expect(findScenario(s.id)).toBe(s);
      expect(scenarioList().map((x) => x.id)).toContain(s.id);
      expect(SCENARIOS).not.toContain(s);
    }
  });

  describe('stress-16', () => {
    let peakLeaves = 0;
    let peakProcs = 0;
    const log: SimEvent[][] = [];
    let m: Machine;
    beforeAll(() => {
      const r = createTimeline(stress16);
      if (!r.ok) throw new Error(r.error);
      const tl = r.timeline;
      for (let ev = forward(tl); ev !== null; ev = forward(tl)) {
        log.push(ev);
        // Count after each fork (the tables only grow then) and every 500 steps.
        if (tl.m.step % 500 === 0 || ev.some((e) => e.type === 'syscall.exit' && e.name === 'fork')) {
          const alive = tl.m.procs.filter((p) => p.alive && p.rootPfn >= 0);
          peakProcs = Math.max(peakProcs, alive.length);
          const leaves = alive.reduce((n, p) => n + presentLeaves(tl.m, p.rootPfn, tl.m.ctl.levels), 0);
          peakLeaves = Math.max(peakLeaves, leaves);
        }
      }
      m = tl.m;
    });

    it('has 16 cores, 8 processes alive at once and at least 4,096 present leaf PTEs', () => {
      expect(m.cores).toHaveLength(16);
      expect(peakProcs).toBe(8);
      expect(peakLeaves).toBeGreaterThanOrEqual(4096);
    });

    it('keeps every core busy, shoots down with IPIs, and the monitor finds no violation', () => {
      const ev = log.flat();
      const busy = new Set(ev.flatMap((e) => (e.type === 'access' ? [e.core] : [])));
      expect(busy.size).toBe(16);
      expect(ev.filter((e) => e.type === 'ipi.sent').length).toBeGreaterThan(50);
      expect(ev.filter((e) => e.type === 'fault.resolved' && e.how === 'cow-copy').length).toBeGreaterThan(8);
      expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
      expect(m.stats.violations).toBe(0);
      expect(m.threads.every((t) => t.exitReason === 'exit')).toBe(true);
    });

    it('reaches its key moments in order', () => {
      const found = locateKeyMoments(stress16.keyMoments, log);
      expect(found.map((k) => k.label)).toEqual(stress16.keyMoments.map((k) => k.label));
      const steps = found.map((k) => k.step);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
    });
  });

  it('a long run has exactly the steps it is built for', () => {
    for (const n of [1_000, 4_321]) {
      const r = createTimeline(longRunSpec('t', n));
      if (!r.ok) throw new Error(r.error);
      expect(run(r.timeline)).toHaveLength(n);
      expect(r.timeline.end).toBe(n);
    }
  });
});

describe('exploring ahead', () => {
  const spec = longRunSpec('t', 3_000);

  it('leaves the checkpoints stepping would, and a seek equals stepping there', () => {
    // A small spacing and cap, so that thinning happens during the run.
    const a = createTimeline(spec, spec.seed, 8, 16);
    if (!a.ok) throw new Error(a.error);
    const ex = startExplorer(a.timeline);
    while (exploreStep(a.timeline, ex) !== null) {}
    expect(a.timeline.end).toBe(3_000);
    expect(a.timeline.m.step).toBe(0);
    const b = createTimeline(spec, spec.seed, 8, 16);
    if (!b.ok) throw new Error(b.error);
    const steps = run(b.timeline);
    expect(a.timeline.every).toBe(b.timeline.every);
    expect(a.timeline.checkpoints.map((c) => c.step)).toEqual(b.timeline.checkpoints.map((c) => c.step));
    expect(sameMachine(a.timeline.checkpoints.at(-1), b.timeline.checkpoints.at(-1))).toBe(true);
    // Seeks in any order land on the machine that stepping reaches, with that step's events.
    const fresh = createTimeline(spec, spec.seed, 8, 16);
    if (!fresh.ok) throw new Error(fresh.error);
    for (const target of [2_999, 17, 1_500, 3_000, 0, 2_048, 640]) {
      seek(a.timeline, target);
      seek(fresh.timeline, target);
      expect(a.timeline.m.step).toBe(target);
      const snapA = buildSnapshot(a.timeline.m, a.timeline.log[target - 1] ?? [], [], 3_000, []);
      const snapB = buildSnapshot(fresh.timeline.m, steps[target - 1] ?? [], [], 3_000, []);
      expect(JSON.stringify(snapA) === JSON.stringify(snapB)).toBe(true);
      expect(sameMachine(a.timeline.m, fresh.timeline.m)).toBe(true);
    }
  });
});
