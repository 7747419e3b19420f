// The snapshot of a kernel-half machine: kernel TLB entries show their canonical address and are
// judged up to date; KPTI's user-PCID entries are attributed to their process.
import { describe, expect, it } from 'vitest';
import { createMachine } from '../kernel/build';
import { runToEnd } from '../engine/step';
import type { ScenarioSpec } from '../spec';
import { buildSnapshot } from './snapshot';

function snap(kpti: boolean) {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: {
      cores: 1,
      frames: 64,
      tlb: { sets: 8, ways: 2 },
      protocol: 'linux-x86',
      kernelHalf: true,
      kpti,
    },
    processes: [
      { pid: 1, name: 'p', vmas: [{ start: '0x7f0000000000', pages: 1, prot: 'rw', populate: true }] },
    ],
    threads: [
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'read', va: '0x7f0000000000' },
          { op: 'kread', va: '0xffffffff81002000' },
          { op: 'sleep', flag: 'never' },
        ],
      },
    ],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  runToEnd(r.machine);
  r.machine.cores[0]!.lazy = false;
  return buildSnapshot(r.machine, [], [], null, []);
}

describe('snapshot of the kernel half', () => {
  it('shows kernel TLB entries at their canonical address, judged ok', () => {
    const rows = snap(false).tlbs[0]?.entries ?? [];
    expect(rows.map((e) => [e.va, e.global, e.status])).toEqual(
      expect.arrayContaining([
        ['0x7f0000000000', false, 'ok'],
        ['0xffffffff81002000', true, 'ok'],
      ]),
    );
  });

  it('under KPTI, tags the user entry 0x801 and the kernel one 1', () => {
    const rows = snap(true).tlbs[0]?.entries ?? [];
    expect(rows.map((e) => [e.va, e.pcid, e.status]).sort()).toEqual([
      ['0x7f0000000000', 0x801, 'ok'],
      ['0xffffffff81002000', 1, 'ok'],
    ]);
  });
});
