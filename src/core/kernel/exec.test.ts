// execve: the other threads go first, a fresh PML4 is loaded, the old mm's frames and tables are
// freed only after the flush, and the new image's VMAs are what the program then sees.
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { OpSpec, ScenarioSpec } from '../spec';
import { createMachine } from './build';

const OLD = '0x7f0000000000';
const NEW = '0x400000';

function run(after: OpSpec[] = [], kernelHalf = false) {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 3,
    machine: { cores: 2, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86', kernelHalf },
    processes: [{ pid: 1, name: 'sh', vmas: [{ start: OLD, pages: 2, prot: 'rw', populate: true }] }],
    threads: [
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'read', va: OLD },
          { op: 'wait', flag: 'spinning' },
          {
            op: 'exec',
            image: '/bin/ls',
            vmas: [
              { start: NEW, pages: 1, prot: 'rx', name: 'text', populate: true },
              { start: '0x7ffffffde000', pages: 2, prot: 'rw', name: 'stack', growsDown: true },
            ],
          },
          ...after,
        ],
      },
      {
        tid: 1,
        pid: 1,
        core: 1,
        program: [
          { op: 'write', va: '0x7f0000001000', value: 5 },
          { op: 'signal', flag: 'spinning' },
          { op: 'wait', flag: 'never' },
        ],
      },
    ],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const m = r.machine;
  const oldRoot = m.procs[0]?.rootPfn ?? -1;
  const oldFrames = [...m.mem.used.entries()].filter(([, f]) => f.pid === 1).map(([pfn]) => pfn);
  const oldSeqs = oldFrames.map((pfn) => m.mem.used.get(pfn)?.seq ?? -1);
  const ev = runToEnd(m);
  return { ev, m, oldRoot, oldFrames, oldSeqs };
}

const at = (ev: SimEvent[], p: (e: SimEvent) => boolean) => ev.findIndex(p);

describe('execve', () => {
  it('kills the other thread first, then loads a fresh PML4 into CR3', () => {
    const { ev, m, oldRoot } = run();
    const killed = at(ev, (e) => e.type === 'thread.exit' && e.tid === 1);
    const activate = at(ev, (e) => e.type === 'mm.activate');
    expect(ev[killed]).toMatchObject({ reason: expect.stringContaining('de_thread') });
    expect(killed).toBeGreaterThan(at(ev, (e) => e.type === 'syscall.enter' && e.name === 'execve'));
    expect(activate).toBeGreaterThan(killed);
    const newRoot = m.procs[0]?.rootPfn ?? -1;
    expect(newRoot).not.toBe(oldRoot);
    expect(ev[activate]).toMatchObject({
      cr3: `0x${(newRoot * 4096 + 1).toString(16)}`,
      oldCr3: `0x${(oldRoot * 4096 + 1).toString(16)}`,
    });
    expect(m.cores[0]?.cr3Pfn).toBe(newRoot);
    // The PCID's old entries are dropped with the switch.
    expect(ev[activate + 1]).toMatchObject({ type: 'tlb.invalidate', core: 0, scope: 'asid' });
    expect(ev.find((e) => e.type === 'syscall.exit' && e.name === 'execve')).toMatchObject({ ret: 0 });
  });

  it("frees every frame of the old mm, and only after the flush ended on the other thread's core", () => {
    const { ev, m, oldFrames, oldSeqs } = run();
    const teardown = at(ev, (e) => e.type === 'mm.teardown');
    expect(ev[teardown]).toMatchObject({ why: 'exec', pages: 2, tables: 3 });
    const begin = ev.find((e, i) => i > teardown && e.type === 'shootdown.begin');
    expect(begin).toMatchObject({ targets: [1], full: true, freedTables: true });
    const end = at(ev, (e) => e.type === 'shootdown.end');
    expect(end).toBeGreaterThan(teardown);
    const freed = ev.flatMap((e, i) => (e.type === 'frame.free' ? [[e.pfn, i] as const] : []));
    expect(freed.map(([pfn]) => pfn).sort()).toEqual([...oldFrames].sort());
    expect(freed.every(([, i]) => i > end)).toBe(true);
    // Each old frame is free now, or a new allocation (the free list hands freed frames out first).
    oldFrames.forEach((pfn, k) => {
      expect(m.mem.used.get(pfn)?.seq ?? -1).not.toBe(oldSeqs[k]);
    });
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('the program after exec sees the new image: its text is mapped, the old data is gone', () => {
    const { ev, m } = run([
      { op: 'read', va: NEW },
      { op: 'read', va: OLD },
    ]);
    expect(m.procs[0]?.vmas.map((v) => [v.name, v.growsDown ?? false])).toEqual([
      ['text', false],
      ['stack', true],
    ]);
    expect(ev.find((e) => e.type === 'access.done' && e.va === NEW)).toMatchObject({ value: 0 });
    expect(ev.find((e) => e.type === 'signal')).toMatchObject({ code: 'SEGV_MAPERR', va: OLD });
  });

  it('with a kernel half, the new PML4 links the same kernel tables', () => {
    const { m } = run([], true);
    const root = m.procs[0]?.rootPfn ?? -1;
    const words = m.mem.frames[root];
    expect(words?.[511 * 2]).toBeDefined();
    expect(((words?.[511 * 2] ?? 0) >>> 12) & 0xfffff).toBe(m.kernelPdpt);
  });
});

describe('grows-down stack (expand_stack)', () => {
  it('a push just below the stack grows it; one right above another mapping is a SIGSEGV', () => {
    const { ev, m } = run([
      { op: 'write', va: '0x7ffffffdcff8', value: 1 },
      { op: 'write', va: '0x401ff8', value: 1 },
    ]);
    expect(ev.find((e) => e.type === 'stack.expand')).toMatchObject({
      oldStart: '0x7ffffffde000',
      start: '0x7ffffffdc000',
      end: '0x7ffffffe0000',
    });
    expect(m.procs[0]?.vmas.find((v) => v.name === 'stack')?.startVpn).toBe(0x7ffffffdc);
    // Growing the stack down to 0x401000 would exceed RLIMIT_STACK (8 MiB): the fault stays a SIGSEGV.
    expect(ev.filter((e) => e.type === 'stack.expand')).toHaveLength(1);
    expect(ev.find((e) => e.type === 'signal')).toMatchObject({ code: 'SEGV_MAPERR', va: '0x401ff8' });
  });

  it('refuses to grow within stack_guard_gap (256 pages) of the mapping below', () => {
    const spec: ScenarioSpec = {
      id: 't',
      title: 't',
      summary: '',
      seed: 1,
      machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
      processes: [
        {
          pid: 1,
          name: 'p',
          vmas: [
            { start: '0x7ffffff00000', pages: 1, prot: 'rw', name: 'near' },
            { start: '0x7ffffffde000', pages: 2, prot: 'rw', name: 'stack', growsDown: true },
          ],
        },
      ],
      threads: [{ tid: 0, pid: 1, core: 0, program: [{ op: 'write', va: '0x7ffffffddff8', value: 1 }] }],
      keyMoments: [],
    };
    const r = createMachine(spec);
    if (!r.ok) throw new Error(r.error);
    const ev = runToEnd(r.machine);
    expect(ev.some((e) => e.type === 'stack.expand')).toBe(false);
    expect(ev.find((e) => e.type === 'signal')).toMatchObject({ code: 'SEGV_MAPERR', va: '0x7ffffffddff8' });
  });
});
