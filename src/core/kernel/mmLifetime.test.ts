// Property: however clone, exec and exit interleave with the threads' accesses, the monitor
// never sees a stale or freed translation, and once the last thread has exited every frame and
// page table the process had is back in the allocator.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../engine/step';
import type { OpSpec, ScenarioSpec } from '../spec';
import { createMachine } from './build';

const page = (k: number) => `0x${(0x7f0000000000 + k * 0x1000).toString(16)}`;

const access = fc.oneof(
  fc.record({ op: fc.constant('write' as const), k: fc.integer({ min: 0, max: 3 }), value: fc.nat(1000) }),
  fc.record({ op: fc.constant('read' as const), k: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('compute' as const), cycles: fc.integer({ min: 1, max: 3000 }) }),
);
type Access = typeof access extends fc.Arbitrary<infer T> ? T : never;

function toOp(a: Access): OpSpec {
  switch (a.op) {
    case 'write':
      return { op: 'write', va: page(a.k), value: a.value };
    case 'read':
      return { op: 'read', va: page(a.k) };
    case 'compute':
      return { op: 'compute', cycles: a.cycles };
  }
}

const EXEC: OpSpec = {
  op: 'exec',
  image: 'again',
  vmas: [{ start: page(0), pages: 4, prot: 'rw', name: 'data' }],
};

describe('mm lifetime under clone, exec and exit (property)', () => {
  it('no violation, and nothing of the process is left once its last thread exits', () => {
    fc.assert(
      fc.property(
        fc.array(access, { maxLength: 6 }),
        fc.array(access, { maxLength: 6 }),
        fc.array(access, { maxLength: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        fc.integer({ min: 1, max: 1000 }),
        (p0, p1, p2, clone1, clone2, execAt, seed) => {
          const main: OpSpec[] = p0.map(toOp);
          main.splice(Math.min(clone1, main.length), 0, { op: 'clone', tid: 1 });
          main.splice(Math.min(clone2, main.length), 0, { op: 'clone', tid: 2 });
          if (execAt !== undefined) main.splice(Math.min(execAt, main.length), 0, EXEC);
          main.push({ op: 'exit' });
          const spec: ScenarioSpec = {
            id: 'p',
            title: 'p',
            summary: '',
            seed,
            machine: {
              cores: 3,
              frames: 96,
              tlb: { sets: 4, ways: 2 },
              protocol: 'linux-x86',
              kernelHalf: true,
            },
            processes: [
              { pid: 1, name: 'p', vmas: [{ start: page(0), pages: 4, prot: 'rw', populate: true }] },
            ],
            threads: [
              { tid: 0, pid: 1, core: 0, program: main },
              { tid: 1, pid: 1, core: 1, cloned: true, program: [...p1.map(toOp), { op: 'exit' }] },
              { tid: 2, pid: 1, core: 2, cloned: true, program: [...p2.map(toOp), { op: 'exit' }] },
            ],
            keyMoments: [],
          };
          const r = createMachine(spec);
          if (!r.ok) throw new Error(r.error);
          const m = r.machine;
          const ev = runToEnd(m, 20_000);
          expect(m.done).toBe(true);
          expect(ev.filter((e) => e.type === 'invariant.violated')).toEqual([]);
          expect(ev.some((e) => e.type === 'signal')).toBe(false);
          // Exactly one teardown of the live mm at the end, plus one per exec.
          const teardowns = ev.flatMap((e) => (e.type === 'mm.teardown' ? [e.why] : []));
          expect(teardowns.filter((w) => w === 'exit')).toHaveLength(1);
          expect(teardowns.filter((w) => w === 'exec')).toHaveLength(execAt === undefined ? 0 : 1);
          expect([...m.mem.used.values()].filter((f) => f.pid === 1)).toEqual([]);
          expect(m.threads.every((t) => t.state === 'exited')).toBe(true);
          expect(m.cores.every((c) => c.mmPid !== 1 && c.stack.length === 0)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
