// brk: the heap VMA grows, nothing is mapped until touched, and refused requests return the old
// break (brk never returns an errno).
import { describe, expect, it } from 'vitest';
import { readEntry } from '../arch/x86_64/walk';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { OpSpec, ScenarioSpec } from '../spec';
import { createMachine } from './build';

const HEAP = 0x40000000;
const hex = (n: number) => `0x${n.toString(16)}`;

function run(program: OpSpec[], extra: Partial<ScenarioSpec['machine']> = {}) {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86', ...extra },
    processes: [
      { pid: 1, name: 'p', brk: hex(HEAP), vmas: [{ start: hex(HEAP + 0x10000), pages: 1, prot: 'rw' }] },
    ],
    threads: [{ tid: 0, pid: 1, core: 0, program }],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const ev = runToEnd(r.machine);
  const rets = ev.flatMap((e) => (e.type === 'syscall.exit' && e.name === 'brk' ? [e.ret] : []));
  return { ev, rets, m: r.machine };
}

const brk = (addr: number): OpSpec => ({ op: 'brk', va: hex(addr) });

describe('brk', () => {
  it('grows the heap VMA to the page-rounded break and maps nothing', () => {
    const { ev, rets, m } = run([brk(HEAP + 0x2100)]);
    expect(rets).toEqual([HEAP + 0x2100]);
    expect(ev.find((e) => e.type === 'vma.grow')).toMatchObject({
      start: hex(HEAP),
      oldEnd: hex(HEAP),
      end: hex(HEAP + 0x3000),
    });
    expect(ev.some((e: SimEvent) => e.type === 'frame.alloc' || e.type === 'pte.write')).toBe(false);
    expect(m.procs[0]?.vmas.find((v) => v.name === 'heap')).toMatchObject({
      startVpn: HEAP / 4096,
      endVpn: HEAP / 4096 + 3,
    });
  });

  it('extends the same VMA on a second call, and a touch inside it demand-faults', () => {
    const { ev, rets } = run([
      brk(HEAP + 0x1000),
      brk(HEAP + 0x3000),
      { op: 'write', va: hex(HEAP + 0x2008), value: 9 },
    ]);
    expect(rets).toEqual([HEAP + 0x1000, HEAP + 0x3000]);
    expect(ev.filter((e) => e.type === 'vma.grow')).toHaveLength(2);
    expect(ev.find((e) => e.type === 'fault.resolved')).toMatchObject({ how: 'demand-zero' });
    expect(ev.some((e) => e.type === 'signal')).toBe(false);
  });

  it('refuses by returning the old break: below the start, shrinking, into another VMA, past the user half', () => {
    const { rets, ev } = run([
      brk(HEAP - 0x1000),
      brk(HEAP + 0x2000),
      brk(HEAP + 0x1000), // shrinking is not modelled: refused
      brk(HEAP + 0x11000), // would run into the VMA at HEAP + 0x10000
      { op: 'brk', va: '0x800000000000' },
    ]);
    expect(rets).toEqual([HEAP, HEAP + 0x2000, HEAP + 0x2000, HEAP + 0x2000, HEAP + 0x2000]);
    expect(ev.filter((e) => e.type === 'vma.grow')).toHaveLength(1);
  });

  it('with the kernel half, every process shares one kernel PDPT through PML4 entry 511', () => {
    const spec: ScenarioSpec = {
      id: 't',
      title: 't',
      summary: '',
      seed: 1,
      machine: { cores: 2, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86', kernelHalf: true },
      processes: [
        { pid: 1, name: 'a', vmas: [] },
        { pid: 2, name: 'b', vmas: [] },
      ],
      threads: [
        { tid: 0, pid: 1, core: 0, program: [] },
        { tid: 1, pid: 2, core: 1, program: [] },
      ],
      keyMoments: [],
    };
    const r = createMachine(spec);
    if (!r.ok) throw new Error(r.error);
    const [a, b] = r.machine.procs.map((p) => readEntry(r.machine.mem, p.rootPfn, 511));
    expect(a).toEqual(b);
    expect((a?.[0] ?? 0) & 0x5).toBe(0x1); // present, supervisor-only (U/S = 0)
    expect(r.machine.kernelPdpt).toBe(Math.floor((a?.[0] ?? 0) / 4096));
  });
});
