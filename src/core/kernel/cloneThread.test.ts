// clone shares the mm; exit of one thread leaves it, the last thread's exit tears it down.
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { ScenarioSpec, ThreadSpec } from '../spec';
import { createMachine } from './build';

const DATA = '0x7f0000000000';

function run(threads: ThreadSpec[], cores = 2) {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: { cores, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
    processes: [{ pid: 1, name: 'p', vmas: [{ start: DATA, pages: 2, prot: 'rw' }] }],
    threads,
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const m = r.machine;
  const baseline = m.mem.used.size;
  const ev = runToEnd(m);
  return { ev, m, baseline };
}

const idx = (ev: SimEvent[], p: (e: SimEvent) => boolean) => ev.findIndex(p);

describe('clone', () => {
  it('starts the declared thread in the same mm: same PML4, same frame, and its core joins mm_cpumask', () => {
    const { ev, m } = run([
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'write', va: DATA, value: 7 },
          { op: 'clone', tid: 1 },
          { op: 'wait', flag: 'read' },
        ],
      },
      {
        tid: 1,
        pid: 1,
        core: 1,
        cloned: true,
        program: [
          { op: 'read', va: DATA },
          { op: 'signal', flag: 'read' },
        ],
      },
    ]);
    expect(ev.find((e) => e.type === 'thread.clone')).toMatchObject({ tid: 0, child: 1, pid: 1 });
    expect(ev.find((e) => e.type === 'syscall.exit' && e.name === 'clone')).toMatchObject({ ret: 1 });
    // T1 reads T0's value through the same frame: no copy, no fault, no new page table.
    const writes = ev.filter((e) => e.type === 'access.done');
    expect(writes.map((e) => e.type === 'access.done' && [e.tid, e.pa, e.value])).toEqual([
      [0, writes[0]?.type === 'access.done' ? writes[0].pa : '', 7],
      [1, writes[0]?.type === 'access.done' ? writes[0].pa : '', 7],
    ]);
    const switches = ev.flatMap((e) => (e.type === 'context.switch' && e.toTid >= 0 ? [e.cr3] : []));
    expect(new Set(switches).size).toBe(1);
    // Core 1 set its bit only after the clone (an unborn thread does not run).
    const cloned = idx(ev, (e) => e.type === 'thread.clone');
    const joined = idx(ev, (e) => e.type === 'cpumask.set' && e.core === 1 && e.pid === 1);
    expect(joined).toBeGreaterThan(cloned);
    expect(m.procs[0]?.cpumask).toEqual([true, true]);
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('an unborn thread never runs without a clone, and a second clone of it fails with EINVAL', () => {
    const never = run([
      { tid: 0, pid: 1, core: 0, program: [{ op: 'compute', cycles: 10 }] },
      { tid: 1, pid: 1, core: 1, cloned: true, program: [{ op: 'read', va: DATA }] },
    ]);
    expect(never.ev.some((e) => 'tid' in e && e.tid === 1)).toBe(false);
    expect(never.m.threads[1]?.state).toBe('unborn');
    const twice = run([
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'clone', tid: 1 },
          { op: 'clone', tid: 1 },
        ],
      },
      { tid: 1, pid: 1, core: 1, cloned: true, program: [] },
    ]);
    const rets = twice.ev.flatMap((e) => (e.type === 'syscall.exit' && e.name === 'clone' ? [e.ret] : []));
    expect(rets).toEqual([1, -22]);
  });
});

describe('exit: one thread vs the last one (exit_mm, exit_mmap)', () => {
  const twoThreads = (): ThreadSpec[] => [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'write', va: DATA, value: 1 },
        { op: 'clone', tid: 1 },
        { op: 'wait', flag: 't1-gone' },
        { op: 'read', va: DATA },
        { op: 'exit' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      cloned: true,
      program: [
        { op: 'write', va: '0x7f0000001000', value: 2 },
        { op: 'signal', flag: 't1-gone' },
        { op: 'exit' },
      ],
    },
  ];

  it("a thread's exit keeps the mm for the others; the last one tears it down", () => {
    const { ev } = run(twoThreads());
    const puts = ev.flatMap((e) => (e.type === 'mm.put' ? [[e.tid, e.users]] : []));
    expect(puts).toEqual([
      [1, 1],
      [0, 0],
    ]);
    // After T1 left, T0 still reads its page: nothing was unmapped.
    const t1Exit = idx(ev, (e) => e.type === 'thread.exit' && e.tid === 1);
    const teardown = idx(ev, (e) => e.type === 'mm.teardown');
    expect(ev.slice(t1Exit, teardown).some((e) => e.type === 'frame.free' || e.type === 'vma.unmap')).toBe(
      false,
    );
    expect(ev.find((e) => e.type === 'access.done' && e.tid === 0 && e.kind === 'read')).toMatchObject({
      value: 1,
    });
    expect(ev[teardown]).toMatchObject({ pid: 1, why: 'exit', pages: 2 });
  });

  it('exit_mmap frees every frame and table of the process, only after the flush, and the monitor stays quiet', () => {
    const { ev, m, baseline } = run(twoThreads());
    const teardown = idx(ev, (e) => e.type === 'mm.teardown');
    const end = ev.findIndex((e, i) => i > teardown && e.type === 'shootdown.end');
    expect(end).toBeGreaterThan(teardown);
    const frees = ev.flatMap((e, i) => (e.type === 'frame.free' && i > teardown ? [i] : []));
    expect(frees.length).toBe(2 + 4); // two data pages; PT, PD, PDPT and the PML4
    expect(frees.every((i) => i > end)).toBe(true);
    // Back to what the machine held before the process touched anything, minus its own PML4.
    expect(m.mem.used.size).toBe(baseline - 1);
    expect([...m.mem.used.values()].some((f) => f.pid === 1)).toBe(false);
    expect(m.procs[0]).toMatchObject({ alive: false, rootPfn: -1, vmas: [] });
    // No core is left with the freed PML4 loaded.
    expect(m.cores.every((c) => c.mmPid !== 1)).toBe(true);
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('the freed-tables flush reaches the lazy core that ran the other thread', () => {
    const { ev } = run(twoThreads());
    const teardown = idx(ev, (e) => e.type === 'mm.teardown');
    const begin = ev.find((e, i) => i > teardown && e.type === 'shootdown.begin');
    expect(begin).toMatchObject({ freedTables: true, full: true, targets: [1] });
    expect(ev.some((e, i) => i > teardown && e.type === 'lazy.leave' && e.core === 1)).toBe(true);
  });
});
