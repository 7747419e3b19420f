// What the two paging-structure-cache lessons teach, checked on their runs: walks that skip
// levels (and cost less), INVLPG emptying the PCID's caches, and why lazy cores must get the IPI
// when page tables are freed. Also machine.psc's validation.
import { describe, expect, it } from 'vitest';
import { createTimeline, forward } from '../core/engine/timeline';
import type { SimEvent } from '../core/events';
import type { ScenarioSpec } from '../core/spec';
import { lazyPscBug, walkPsc } from './builtin/pagingStructureCaches';
import { validateScenario } from './schema';

function run(spec: ScenarioSpec): { events: SimEvent[]; ticks: number; violations: number } {
  const r = createTimeline(spec);
  if (!r.ok) throw new Error(r.error);
  while (forward(r.timeline) !== null) {}
  const events = r.timeline.log.flatMap((s) => s ?? []);
  const m = r.timeline.m;
  return { events, ticks: m.tick, violations: m.stats.violations };
}

/** walk.level events per TLB miss, in order. */
function readsPerMiss(events: SimEvent[]): number[] {
  const out: number[] = [];
  for (const e of events) {
    if (e.type === 'tlb.miss') out.push(0);
    else if (e.type === 'walk.level') out[out.length - 1] = (out.at(-1) ?? 0) + 1;
  }
  return out;
}

describe('walk-psc', () => {
  it('a PDE hit reads 1 entry, a PDPTE hit 2; after INVLPG the walk reads all 4 again', () => {
    const { events } = run(walkPsc);
    expect(readsPerMiss(events)).toEqual([4, 1, 2, 4]);
    expect(events.filter((e) => e.type === 'psc.hit').map((e) => e.type === 'psc.hit' && e.skipped)).toEqual([
      3, 2,
    ]);
    // INVLPG of one page empties every PSC entry of the PCID: PML4E, PDPTE and both PDEs.
    const inv = events.find((e) => e.type === 'tlb.invalidate' && e.reason === 'INVLPG');
    expect(inv?.type === 'tlb.invalidate' && inv.psc).toBe(4);
  });

  it('the caches change the cost, never the result', () => {
    const withPsc = run(walkPsc);
    const without = run({ ...walkPsc, machine: { ...walkPsc.machine, psc: false } });
    const done = (ev: SimEvent[]) => ev.filter((e) => e.type === 'access.done');
    expect(done(withPsc.events)).toEqual(
      done(without.events).map((e, i) => ({
        ...e,
        tick: done(withPsc.events)[i]?.tick,
        step: done(withPsc.events)[i]?.step,
      })),
    );
    expect(readsPerMiss(without.events)).toEqual([4, 4, 4, 4]);
    expect(withPsc.ticks).toBeLessThan(without.ticks);
    expect(without.events.some((e) => e.type.startsWith('psc.'))).toBe(false);
  });
});

describe('lazy-psc-bug', () => {
  it('the broken kernel frees a table a lazy core still caches; the monitor says so twice (free, then reused)', () => {
    const { events, violations } = run(lazyPscBug);
    const v = events.filter((e) => e.type === 'invariant.violated');
    expect(v.map((e) => e.type === 'invariant.violated' && [e.rule, e.core])).toEqual([
      ['psc-freed-table', 1],
      ['psc-freed-table', 1],
    ]);
    expect(v[1]?.type === 'invariant.violated' && v[1].explanation).toMatch(/reused as a data page/);
    expect(violations).toBe(2);
  });

  it("Linux's kernel IPIs the lazy core, which leaves the mm before the table is freed: nothing to report", () => {
    const { events, violations } = run({
      ...lazyPscBug,
      machine: { ...lazyPscBug.machine, protocol: 'linux-x86' },
    });
    expect(violations).toBe(0);
    const begin = events.find((e) => e.type === 'shootdown.begin' && e.freedTables);
    expect(begin?.type === 'shootdown.begin' && begin.targets).toEqual([1]);
    const leave = events.findIndex((e) => e.type === 'lazy.leave' && e.core === 1);
    const free = events.findIndex((e) => e.type === 'frame.free');
    expect(leave).toBeGreaterThanOrEqual(0);
    expect(leave).toBeLessThan(free);
  });

  it('without paging-structure caches the same broken kernel shows nothing wrong', () => {
    const { violations } = run({ ...lazyPscBug, machine: { ...lazyPscBug.machine, psc: false } });
    expect(violations).toBe(0);
  });
});

describe('machine.psc validation', () => {
  const withPsc = (psc: unknown) => ({ ...walkPsc, machine: { ...walkPsc.machine, psc } });
  it.each([
    [true, true],
    [false, true],
    [{ pml4: 2, pdpt: 4, pde: 32 }, true],
    [{ pml4: 0, pdpt: 0, pde: 0 }, true],
  ])('accepts %j', (psc, ok) => {
    expect(validateScenario(withPsc(psc)).ok).toBe(ok);
  });

  it.each([
    [{ pml4: 2, pdpt: 4, pde: -1 }, /^machine\.psc/],
    [{ pml4: 2, pdpt: 4 }, /^machine\.psc/],
    [{ pml4: 2, pdpt: 4, pde: 8, pml5: 1 }, /^machine\.psc/],
    [{ pml4: 2, pdpt: 4, pde: 100000 }, /^machine\.psc/],
    ['yes', /^machine\.psc/],
  ])('rejects %j with a message naming machine.psc', (psc, msg) => {
    const r = validateScenario(withPsc(psc));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(msg);
  });
});
