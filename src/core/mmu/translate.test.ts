import { describe, expect, it } from 'vitest';
import { newWalkOut } from '../arch/x86_64/walk';
import { createMachine } from '../kernel/build';
import type { Machine } from '../machine';
import type { ScenarioSpec } from '../spec';
import { translate } from './translate';

function oneCore(prot: 'r' | 'rw' = 'rw'): Machine {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
    processes: [{ pid: 1, name: 'p', vmas: [{ start: '0x10000', pages: 2, prot, populate: true }] }],
    threads: [{ tid: 0, pid: 1, core: 0, program: [] }],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const m = r.machine;
  const core = m.cores[0]!;
  const proc = m.procs[0]!;
  core.cr3Pfn = proc.rootPfn;
  core.pcid = proc.pcid;
  core.mmPid = proc.pid;
  return m;
}

describe('translate (TLB + walk)', () => {
  it('misses, fills, then hits without reading the page tables at all', () => {
    const m = oneCore();
    const core = m.cores[0]!;
    const out = newWalkOut();
    expect(translate(m, core, 0x10, 'read', true, out, null)).toBe(true);
    const pfn = out.pfn;
    expect(m.stats).toMatchObject({ tlbMisses: 1, tlbHits: 0 });
    // Remove every page-table frame from memory: a hit must not notice.
    for (const p of [...m.mem.used.entries()].filter(([, i]) => i.kind === 'pagetable').map(([p]) => p)) {
      m.mem.frames[p] = undefined;
    }
    expect(translate(m, core, 0x10, 'read', true, out, null)).toBe(true);
    expect(out.pfn).toBe(pfn);
    expect(m.stats).toMatchObject({ tlbMisses: 1, tlbHits: 1 });
    // A different page needs a walk, which now finds nothing.
    expect(translate(m, core, 0x11, 'read', true, out, null)).toBe(false);
    expect(out.fault).toBe('not-present');
  });

  it('walks again on a write through an entry cached with D clear, and sets D', () => {
    const m = oneCore();
    const core = m.cores[0]!;
    const out = newWalkOut();
    const events: string[] = [];
    translate(m, core, 0x10, 'read', true, out, (e) => events.push(e.type));
    translate(m, core, 0x10, 'write', true, out, (e) => events.push(e.type));
    translate(m, core, 0x10, 'write', true, out, (e) => events.push(e.type));
    expect(events.filter((t) => t === 'tlb.miss')).toHaveLength(2);
    expect(events[events.length - 1]).toBe('tlb.hit');
  });

  it('faults from the cached rights and drops the entry (a #PF invalidates its page)', () => {
    const m = oneCore('r');
    const core = m.cores[0]!;
    const out = newWalkOut();
    expect(translate(m, core, 0x10, 'read', true, out, null)).toBe(true);
    expect(translate(m, core, 0x10, 'write', true, out, null)).toBe(false);
    expect(out.fault).toBe('protection');
    expect(out.errorCode).toBe(7);
    expect(core.tlb.valid.every((v) => v === 0)).toBe(true);
  });

  it('never caches a not-present translation', () => {
    const m = oneCore();
    const core = m.cores[0]!;
    const out = newWalkOut();
    expect(translate(m, core, 0x999, 'read', true, out, null)).toBe(false);
    expect(core.tlb.valid.every((v) => v === 0)).toBe(true);
  });
});
