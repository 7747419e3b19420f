// The monitor judges every TLB level: an entry the L1 has lost but the STLB still holds is as
// usable as one in the L1 (the next L1 miss copies it back), so it must be caught just the same.
import { describe, expect, it } from 'vitest';
import { entryPfn, levelIndex } from '../arch/x86_64/pte';
import { newWalkOut } from '../arch/x86_64/walk';
import type { EventBody } from '../events';
import { createMachine } from '../kernel/build';
import type { Machine } from '../machine';
import { translate } from '../mmu/translate';
import type { TlbSpec } from '../spec';
import { levelInvalidate, SCOPE_ALL } from '../tlb/level';
import { checkInvariants } from './monitor';

const VPN = 0x7f0000000;

function machine(tlb: TlbSpec): Machine {
  const r = createMachine({
    id: 'm',
    title: 'm',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 64, tlb, protocol: 'linux-x86' },
    processes: [
      {
        pid: 1,
        name: 'p',
        vmas: [{ start: `0x${(VPN * 4096).toString(16)}`, pages: 2, prot: 'rw', populate: true }],
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
  translate(m, core, VPN, 'read', true, newWalkOut(), null);
  return m;
}

/** Clears the PTE of VPN behind the TLBs' back: no flush, no pending record. */
function clearPte(m: Machine): void {
  let table = m.procs[0]!.rootPfn;
  for (let level = 4; level > 1; level--) {
    const w = m.mem.frames[table]!;
    const i = levelIndex(VPN, level);
    table = entryPfn(w[i * 2]!, w[i * 2 + 1]!);
  }
  const i = levelIndex(VPN, 1);
  m.mem.frames[table]![i * 2] = 0;
  m.mem.frames[table]![i * 2 + 1] = 0;
}

function violations(m: Machine): EventBody[] {
  const out: EventBody[] = [];
  checkInvariants(m, (e) => out.push(e));
  return out;
}

describe('invariant monitor over a TLB hierarchy', () => {
  it('catches a stale entry left only in the STLB, once', () => {
    const m = machine({ preset: 'skylake' });
    const tlb = m.cores[0]!.tlb;
    // Drop the page from the L1s only: the STLB keeps it.
    for (const l of tlb.levels) if (l.role !== 'l2') levelInvalidate(l, -1, 0, SCOPE_ALL);
    clearPte(m);
    const v = violations(m);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({
      type: 'invariant.violated',
      rule: 'stale-tlb',
      core: 0,
      va: '0x7f0000000000',
    });
    expect(v[0]?.type === 'invariant.violated' && v[0].explanation).toMatch(/TLB \(STLB 4K\+2M\)/);
    // Still standing at the next check: not reported again.
    expect(violations(m)).toHaveLength(0);
    expect(m.stats.violations).toBe(1);
  });

  it('reports a page cached in both levels once, naming both arrays', () => {
    const m = machine({ preset: 'skylake' });
    clearPte(m);
    const v = violations(m);
    expect(v).toHaveLength(1);
    expect(v[0]?.type === 'invariant.violated' && v[0].explanation).toMatch(
      /TLB \(L1 dTLB 4K, STLB 4K\+2M\)/,
    );
  });

  it('words a one-array TLB as before', () => {
    const m = machine({ sets: 4, ways: 2 });
    clearPte(m);
    const v = violations(m);
    expect(v).toHaveLength(1);
    expect(v[0]?.type === 'invariant.violated' && v[0].explanation).toMatch(
      /^Core 0's TLB maps 0x7f0000000000 to frame/,
    );
  });
});
