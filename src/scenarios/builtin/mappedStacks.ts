import type { ScenarioSpec, ThreadSpec } from '../../core/spec';

// Lesson 25 (docs/lessons.md; seed 003): thread stacks mapped into virtual memory with a guard
// page on each side. T1 recurses deeper than its two-page stack: with guards, the first push
// below the stack lands in the PROT_NONE guard page and faults, and T1 is stopped; without
// guards (mapped-stacks-no-guard) the same pushes run on into T2's stack, and T2 later reads a
// return address where its saved local was. T1 dies running on its own stack, so it cannot
// unmap it: the unmap is deferred, and the joiner T0 does it (Zephyr's k_thread_abort_cleanup;
// glibc frees a joined thread's stack in pthread_join). T0's exit is the mm's last use.

/** Each call pushes a 512-byte frame: 8 per page, 16 fill a two-page stack, the 17th overflows. */
const FRAME = 512;
const DEPTH = 20;
/** What T2 keeps in its first frame (the top 512 bytes of its stack). */
const LOCAL = 42;

function threads(t1Stack: string, t2Stack: string, t2Local: string, guards: boolean): ThreadSpec[] {
  return [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'clone', tid: 2 },
        { op: 'clone', tid: 1 },
        { op: 'join', tid: 1 },
        { op: 'join', tid: 2 },
        { op: 'exit' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      cloned: true,
      stack: { va: t1Stack, pages: 2, guards },
      program: [
        { op: 'wait', flag: 't2-saved' },
        { op: 'recurse', depth: DEPTH, frameBytes: FRAME },
        { op: 'exit' },
      ],
    },
    {
      tid: 2,
      pid: 1,
      core: 2,
      cloned: true,
      stack: { va: t2Stack, pages: 2, guards },
      program: [
        { op: 'write', va: t2Local, value: LOCAL },
        { op: 'signal', flag: 't2-saved' },
        // T2 works for a while (without touching memory) before it uses its local again.
        { op: 'compute', cycles: 6000 },
        { op: 'check', va: t2Local, expect: LOCAL },
        { op: 'exit' },
      ],
    },
  ];
}

const machine = { cores: 3, frames: 128, tlb: { sets: 8, ways: 4 }, protocol: 'linux-x86' } as const;

// With guards: | guard | T2's stack 0x7f0000001000-0x7f0000003000 | guard | guard | T1's stack
// 0x7f0000005000-0x7f0000007000 | guard |. T1's 17th push, at 0x7f0000004e00, is in its lower guard.
export const mappedStacks: ScenarioSpec = {
  id: 'mapped-stacks',
  title: 'Memory-mapped thread stacks and guard pages',
  summary: `T0 clones T1 and T2; both share T0's mm, and their cores join its mm_cpumask when they first load it. Each stack is two pages mapped between two PROT_NONE guard pages. T2 saves a local (${LOCAL}) at the top of its stack. T1 then recurses ${DEPTH} calls deep with ${FRAME}-byte frames, each push a write one frame lower: the first 16 fill T1's stack, the 17th lands in the guard page below it and faults, and T1 is stopped with a stack overflow instead of writing on. T2's local is intact. T1 died on its own stack, which it cannot unmap while running on it: the unmap is deferred, and T0, joining T1, unmaps it (stack and guards) with an ordinary munmap, frames freed only after the flush. T2 exits normally, also on its own stack, so T0 unmaps that one the same way when it joins T2; T0's exit, the mm's last use, tears the whole address space down. The model stops only T1, as Zephyr does for a faulting thread; Linux would send SIGSEGV and end the whole process.`,
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'cores', emphasis: 'pagetable' },
  seed: 1,
  machine,
  processes: [{ pid: 1, name: 'threads', vmas: [] }],
  threads: threads('0x7f0000005000', '0x7f0000001000', '0x7f0000002e00', true),
  keyMoments: [
    { label: 'clone: T1 shares the mm', event: 'thread.clone', match: { child: 1 } },
    { label: "Core 1 joins the mm's cpumask", event: 'cpumask.set', match: { core: 1, pid: 1 } },
    { label: 'A push hits the guard page: T1 stopped', event: 'stack.overflow', match: { tid: 1 } },
    { label: 'T1 cannot unmap its own stack: deferred', event: 'stack.unmap.deferred', match: { tid: 1 } },
    { label: "T0, joining, unmaps T1's stack", event: 'stack.unmap', match: { tid: 1, by: 0 } },
    { label: "T2's local is intact", event: 'value.check', match: { tid: 2, ok: true } },
    { label: 'Frames freed after the flush', event: 'frame.free', match: { afterFlush: true } },
    { label: "T0 exits last: the mm's teardown", event: 'mm.teardown', match: { why: 'exit' } },
  ],
};

// Without guards the stacks are packed: T2's 0x7f0000001000-0x7f0000003000 right below T1's
// 0x7f0000003000-0x7f0000005000. T1's 17th push, at 0x7f0000002e00, is T2's saved local.
export const mappedStacksNoGuard: ScenarioSpec = {
  id: 'mapped-stacks-no-guard',
  title: 'Thread stacks without guard pages',
  summary: `The same program as mapped-stacks, but the two-page stacks are mapped side by side with no guard page between them. T1's ${DEPTH} calls of ${FRAME} bytes fill its stack after 16 pushes; the 17th goes to the page below, which is T2's stack and perfectly writable: no fault, no signal, nothing to see. The push overwrites the local T2 saved at the top of its stack, and T2 later reads back a return address instead of ${LOCAL}. The bug shows up far from its cause, in another thread.`,
  layout: { dock: 'cores', emphasis: 'pagetable' },
  seed: 1,
  machine,
  processes: [{ pid: 1, name: 'threads', vmas: [] }],
  threads: threads('0x7f0000003000', '0x7f0000001000', '0x7f0000002e00', false),
  keyMoments: [
    { label: 'clone: T1 shares the mm', event: 'thread.clone', match: { child: 1 } },
    {
      label: "T1's push lands on T2's local, silently",
      event: 'access.done',
      match: { tid: 1, va: '0x7f0000002e00', kind: 'write' },
    },
    { label: "T0, joining, unmaps T1's stack", event: 'stack.unmap', match: { tid: 1, by: 0 } },
    { label: 'T2 reads back a wrong value', event: 'value.check', match: { tid: 2, ok: false } },
    { label: "T0 exits last: the mm's teardown", event: 'mm.teardown', match: { why: 'exit' } },
  ],
};
