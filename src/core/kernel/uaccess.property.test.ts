// Property test: two threads of one process run random mixes of read(2), write(2), munmap, mmap,
// and plain loads and stores, under each uaccess design and each fault-lock design. After every
// step, checked independently of the engine:
//  - a signal only ever follows a user-mode fault (U set); a kernel-mode one never signals;
//  - every read/write returns -EFAULT, -EBADF, or a byte count in [0, len] that is whole words;
//  - EFLAGS.AC is 1 on a core only while that core is inside a copy;
//  - a pinned frame is never free;
//  - an oops only happens in the design without exception-table entries;
//  - and the engine's invariant monitor never fires.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { step } from '../engine/step';
import type { SimEvent } from '../events';
import { hex } from '../hex';
import type { Machine } from '../machine';
import type { FaultLockDesign, OpSpec, ScenarioSpec, UaccessDesign } from '../spec';
import { createMachine } from './build';

const BASE = 0x7f0000000;
const PAGES = 4;
const va = (page: number, off = 0) => hex((BASE + page) * 4096 + off);

const opArb: fc.Arbitrary<OpSpec> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('sys_read', 'sys_write'),
      fc.integer({ min: 0, max: PAGES - 1 }),
      fc.integer({ min: 0, max: 1023 }),
      fc.integer({ min: 0, max: 2 * 1024 }),
    )
    .map(([op, p, word, words]) => ({ op, fd: 3, va: va(p, word * 4), len: words * 4 }) as OpSpec),
  fc.integer({ min: 0, max: PAGES - 1 }).map((p) => ({ op: 'read', va: va(p, 16) }) as OpSpec),
  fc
    .tuple(fc.integer({ min: 0, max: PAGES - 1 }), fc.integer({ min: 1, max: 99 }))
    .map(([p, value]) => ({ op: 'write', va: va(p, 16), value }) as OpSpec),
  fc
    .tuple(fc.integer({ min: 0, max: PAGES - 1 }), fc.integer({ min: 1, max: 2 }))
    .map(([p, n]) => ({ op: 'munmap', va: va(p), pages: Math.min(n, PAGES - p) }) as OpSpec),
  fc
    .integer({ min: 0, max: PAGES - 1 })
    .map((p) => ({ op: 'mmap', va: va(p), pages: 1, prot: 'rw' }) as OpSpec),
  fc.integer({ min: 1, max: 3000 }).map((cycles) => ({ op: 'compute', cycles }) as OpSpec),
);

function spec(a: OpSpec[], b: OpSpec[], uaccess: UaccessDesign, faultLock: FaultLockDesign): ScenarioSpec {
  return {
    id: 'prop',
    title: 'prop',
    summary: '',
    seed: 7,
    machine: { cores: 2, frames: 128, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86', uaccess, faultLock },
    processes: [
      {
        pid: 1,
        name: 'p',
        vmas: [
          { start: va(0), pages: 2, prot: 'rw', populate: true },
          { start: va(2), pages: 1, prot: 'r', populate: true },
          { start: va(3), pages: 1, prot: 'rw' },
        ],
      },
    ],
    files: [{ fd: 3, name: 'f', words: [1, 2, 3, 4, 5, 6, 7, 8] }],
    threads: [
      { tid: 0, pid: 1, core: 0, program: a },
      { tid: 1, pid: 1, core: 1, program: b },
    ],
    keyMoments: [],
  };
}

function inCopy(m: Machine, core: number): boolean {
  return (m.cores[core]?.stack ?? []).some((f) => f.fn === 'rw' || f.fn === 'ioctl');
}

interface Seen {
  /** The byte count each thread's current read/write asked for. */
  lenOf: Map<number, number>;
  /** Whether each thread's latest fault had U set (a user-mode access). */
  userFault: Map<number, boolean>;
}

function check(m: Machine, ev: SimEvent[], seen: Seen, uaccess: UaccessDesign): void {
  const { lenOf, userFault } = seen;
  for (const e of ev) {
    if (e.type === 'fault.raised') userFault.set(e.tid, (e.errorCode & 4) !== 0);
    // A signal is only ever the answer to a user-mode fault.
    if (e.type === 'signal') expect(userFault.get(e.tid)).toBe(true);
    if (e.type === 'invariant.violated') throw new Error(`monitor: ${e.explanation}`);
    if (e.type === 'oops') expect(uaccess).toBe('none');
    if (e.type === 'syscall.exit' && (e.name === 'read' || e.name === 'write')) {
      if (e.ret < 0) expect([-14, -9]).toContain(e.ret);
      else {
        expect(e.ret % 4).toBe(0);
        expect(e.ret).toBeLessThanOrEqual(lenOf.get(e.tid) ?? -1);
      }
    }
    if (e.type === 'syscall.enter' && (e.name === 'read' || e.name === 'write'))
      lenOf.set(e.tid, Number(e.args[2]));
  }
  for (const [i, ac] of (m.ua?.ac ?? []).entries()) if (ac) expect(inCopy(m, i)).toBe(true);
  for (const p of m.ua?.pins ?? []) expect(m.mem.used.has(p.pfn)).toBe(true);
}

describe('the kernel touching user memory: random programs', () => {
  it.each([
    ['extable', 'none'],
    ['extable', 'mm-spinlock'],
    ['pin', 'mm-spinlock'],
    ['none', 'page-lock'],
  ] as const)('design %s, fault lock %s', (uaccess, faultLock) => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 8 }), fc.array(opArb, { maxLength: 8 }), (a, b) => {
        const r = createMachine(spec(a, b, uaccess, faultLock));
        if (!r.ok) throw new Error(r.error);
        const m = r.machine;
        const seen: Seen = { lenOf: new Map(), userFault: new Map() };
        while (!m.done && m.step < 5000) check(m, step(m), seen, uaccess);
        expect(m.done).toBe(true);
      }),
      { numRuns: 60, seed: 42 },
    );
  });
});
