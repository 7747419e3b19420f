// The TLB panel's PSC rows come from the snapshot: present only on machines with machine.psc,
// one row per cached entry with its region, next table, PCID and rights, and freed tables marked.
import { describe, expect, it } from 'vitest';
import { step } from '../engine/step';
import { createMachine } from '../kernel/build';
import { freeFrame } from '../mem/physmem';
import type { ScenarioSpec } from '../spec';
import { buildSnapshot } from './snapshot';

function spec(psc: boolean): ScenarioSpec {
  return {
    id: 'v',
    title: 'v',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86', psc },
    processes: [
      { pid: 1, name: 'p', vmas: [{ start: '0x7f0000000000', pages: 1, prot: 'r', populate: true }] },
    ],
    threads: [{ tid: 0, pid: 1, core: 0, program: [{ op: 'read', va: '0x7f0000000010' }] }],
    keyMoments: [],
  };
}

function runToEnd(psc: boolean) {
  const r = createMachine(spec(psc));
  if (!r.ok) throw new Error(r.error);
  let guard = 0;
  while (!r.machine.done && guard++ < 100) step(r.machine);
  return r.machine;
}

describe('snapshot: paging-structure caches', () => {
  it('absent without machine.psc', () => {
    const m = runToEnd(false);
    expect(buildSnapshot(m, [], [], null, []).tlbs[0]?.psc).toBeUndefined();
  });

  it('one row per cached entry, deepest cache first, with rights combined', () => {
    const m = runToEnd(true);
    const psc = buildSnapshot(m, [], [], null, []).tlbs[0]?.psc;
    expect(psc?.rows.map((r) => [r.cache, r.va, r.span, r.pcid, r.status])).toEqual([
      ['PDE', '0x7f0000000000', '2M', 1, 'ok'],
      ['PDPTE', '0x7f0000000000', '1G', 1, 'ok'],
      ['PML4E', '0x7f0000000000', '512G', 1, 'ok'],
    ]);
    // Linux's upper entries are writable: the R/W AND over the non-leaf levels stays RW.
    expect(psc?.rows[0]?.rights).toBe('RW US');
    expect(psc?.caches.map((c) => c.used)).toEqual([1, 1, 1]);
    const pt = psc?.rows[0]?.next ?? -1;
    freeFrame(m.mem, pt);
    expect(buildSnapshot(m, [], [], null, []).tlbs[0]?.psc?.rows[0]?.status).toBe('freed');
  });
});
