// Bad arguments to mmap, munmap and mprotect get the errno Linux returns, and the program goes on.
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../engine/step';
import type { OpSpec, ScenarioSpec } from '../spec';
import { createMachine } from './build';

const EINVAL = -22;
const ENOMEM = -12;
const DATA = '0x7f0000000000';
const KERNEL = '0xffffffff81000000';

function rets(program: OpSpec[]) {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86', kernelHalf: true },
    processes: [{ pid: 1, name: 'p', vmas: [{ start: DATA, pages: 2, prot: 'rw', populate: true }] }],
    threads: [{ tid: 0, pid: 1, core: 0, program: [...program, { op: 'write', va: DATA, value: 9 }] }],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const ev = runToEnd(r.machine);
  // The run goes on after every refused call: the final write lands.
  expect(ev.some((e) => e.type === 'access.done' && e.value === 9)).toBe(true);
  return {
    ev,
    rets: ev.flatMap((e) => (e.type === 'syscall.exit' ? [[e.name, e.ret]] : [])),
    m: r.machine,
  };
}

describe('bad syscall arguments (mm/mmap.c, mm/mprotect.c)', () => {
  it('munmap: unaligned, zero, negative, or in the kernel half is EINVAL', () => {
    const { rets: r, m } = rets([
      { op: 'munmap', va: '0x7f0000000010', pages: 1 },
      { op: 'munmap', va: DATA, pages: 0 },
      { op: 'munmap', va: DATA, pages: -1 },
      { op: 'munmap', va: KERNEL, pages: 1 },
    ]);
    expect(r).toEqual([
      ['munmap', EINVAL],
      ['munmap', EINVAL],
      ['munmap', EINVAL],
      ['munmap', EINVAL],
    ]);
    // Nothing was unmapped.
    expect(m.procs[0]?.vmas).toHaveLength(1);
  });

  it('mprotect: unaligned is EINVAL, zero length succeeds doing nothing, negative or kernel half is ENOMEM', () => {
    const { rets: r, ev } = rets([
      { op: 'mprotect', va: '0x7f0000000800', pages: 1, prot: 'r' },
      { op: 'mprotect', va: DATA, pages: 0, prot: 'r' },
      { op: 'mprotect', va: DATA, pages: -2, prot: 'r' },
      { op: 'mprotect', va: KERNEL, pages: 1, prot: 'rw' },
    ]);
    expect(r).toEqual([
      ['mprotect', EINVAL],
      ['mprotect', 0],
      ['mprotect', ENOMEM],
      ['mprotect', ENOMEM],
    ]);
    expect(ev.some((e) => e.type === 'vma.protect')).toBe(false);
  });

  it('mmap: zero length is EINVAL, negative or reaching the kernel half is ENOMEM, unaligned is EINVAL', () => {
    const { rets: r, ev } = rets([
      { op: 'mmap', va: '0x10000', pages: 0, prot: 'rw' },
      { op: 'mmap', va: '0x10000', pages: -1, prot: 'rw' },
      { op: 'mmap', va: KERNEL, pages: 1, prot: 'rw' },
      { op: 'mmap', va: '0x7ffffffff000', pages: 2, prot: 'rw' },
      { op: 'mmap', va: '0x10010', pages: 1, prot: 'rw' },
      { op: 'mmap', va: '0x10000', pages: 1, prot: 'rw' },
    ]);
    expect(r).toEqual([
      ['mmap', EINVAL],
      ['mmap', ENOMEM],
      ['mmap', ENOMEM],
      ['mmap', ENOMEM],
      ['mmap', EINVAL],
      ['mmap', 0],
    ]);
    expect(ev.filter((e) => e.type === 'vma.map')).toHaveLength(1);
  });

  it('shows the arguments as the kernel got them: the unaligned address and the size_t length', () => {
    const { ev } = rets([
      { op: 'munmap', va: '0x7f0000000010', pages: 1 },
      { op: 'munmap', va: DATA, pages: -1 },
    ]);
    const args = ev.flatMap((e) => (e.type === 'syscall.enter' ? [e.args] : []));
    expect(args).toEqual([
      ['0x7f0000000010', '0x1000'],
      ['0x7f0000000000', '0xfffffffffffff000'],
    ]);
  });
});
