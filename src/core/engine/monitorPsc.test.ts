// The psc-freed-table rule: a PSC entry that a core can use (its CR3 and PCID loaded, lazy or
// not) must point at the very page table it cached; reported once while it stands, again if the
// frame changes hands; entries of another PCID or of a core with no mm loaded are not usable.
import { describe, expect, it } from 'vitest';
import { newWalkOut } from '../arch/x86_64/walk';
import type { EventBody } from '../events';
import { createMachine } from '../kernel/build';
import type { Machine } from '../machine';
import { allocFrame, freeFrame } from '../mem/physmem';
import { translate } from '../mmu/translate';
import { checkInvariants } from './monitor';

const VPN = 0x7f0000000;

function machine(): Machine {
  const r = createMachine({
    id: 'm',
    title: 'm',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 64, tlb: { sets: 0, ways: 0 }, protocol: 'linux-x86', psc: true },
    processes: [
      {
        pid: 1,
        name: 'p',
        vmas: [{ start: `0x${(VPN * 4096).toString(16)}`, pages: 1, prot: 'rw', populate: true }],
      },
    ],
    threads: [{ tid: 0, pid: 1, core: 0, program: [] }],
    keyMoments: [],
  });
  if (!r.ok) throw new Error(r.error);
  const m = r.machine;
  const core = m.cores[0]!;
  const proc = m.procs[0]!;
  core.cr3Pfn = proc.rootPfn;
  core.pcid = proc.pcid;
  core.mmPid = proc.pid;
  expect(translate(m, core, VPN, 'read', true, newWalkOut(), null)).toBe(true);
  return m;
}

function check(m: Machine): EventBody[] {
  const ev: EventBody[] = [];
  checkInvariants(m, (e) => ev.push(e));
  return ev;
}

/** The page table the core's PDE cache points at. */
function cachedTable(m: Machine): number {
  const e = m.cores[0]!.tlb.psc!.arrays.find((a) => a.level === 2)!.entries[0]!;
  return e.next;
}

describe('monitor: psc-freed-table', () => {
  it('is quiet while every cached table is still that table', () => {
    expect(check(machine())).toEqual([]);
  });

  it('fires once when the table is freed, and again when the frame is reused', () => {
    const m = machine();
    const pt = cachedTable(m);
    freeFrame(m.mem, pt);
    const first = check(m);
    expect(first).toMatchObject([{ type: 'invariant.violated', rule: 'psc-freed-table', core: 0, pfn: pt }]);
    expect(first[0]?.type === 'invariant.violated' && first[0].explanation).toMatch(
      /PDE cache .* which is free/,
    );
    expect(check(m)).toEqual([]);
    expect(allocFrame(m.mem, 'anon', 1)).toBe(pt);
    const again = check(m);
    expect(again.length).toBe(1);
    expect(again[0]?.type === 'invariant.violated' && again[0].explanation).toMatch(/reused as a data page/);
  });

  it('a lazy core counts (its CR3 still holds the mm); a core with no mm, or another PCID, does not', () => {
    const m = machine();
    const core = m.cores[0]!;
    freeFrame(m.mem, cachedTable(m));
    core.lazy = true;
    expect(check(m).length).toBe(1);
    m.standing = [];
    core.pcid = 7;
    expect(check(m)).toEqual([]);
    core.pcid = m.procs[0]!.pcid;
    core.cr3Pfn = -1;
    core.mmPid = -1;
    expect(check(m)).toEqual([]);
  });
});
