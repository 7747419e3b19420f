// read(2)/write(2) and the kernel's user copies: the same fault handler as user accesses, the
// exception-table fixup (-EFAULT or a short count, never a signal), and the oops without an entry.
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { Machine } from '../machine';
import type { OpSpec, ScenarioSpec, UaccessDesign } from '../spec';
import { createMachine } from './build';
import { kernelAccess, uaOf } from './uaccess';

const BUF = 0x10000000;
const at = (page: number, off = 0) => `0x${(BUF + page * 4096 + off).toString(16)}`;

function machine(
  t0: OpSpec[],
  opts: { design?: UaccessDesign; t1?: OpSpec[]; words?: number[] } = {},
): Machine {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 3,
    machine: {
      cores: 2,
      frames: 64,
      tlb: { sets: 4, ways: 2 },
      protocol: 'linux-x86',
      ...(opts.design ? { uaccess: opts.design } : {}),
    },
    processes: [
      {
        pid: 1,
        name: 'p',
        vmas: [
          // Page 0 populated and writable; page 1 writable, not yet touched; page 2 read-only;
          // page 3 has no VMA at all.
          { start: at(0), pages: 2, prot: 'rw' },
          { start: at(2), pages: 1, prot: 'r', populate: true },
        ],
      },
    ],
    files: [{ fd: 3, name: 'f', words: opts.words ?? [] }],
    threads: [
      { tid: 0, pid: 1, core: 0, program: t0 },
      ...(opts.t1 ? [{ tid: 1, pid: 1, core: 1, program: opts.t1 }] : []),
    ],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  return r.machine;
}

function exits(ev: SimEvent[], name: string): number[] {
  return ev.flatMap((e) => (e.type === 'syscall.exit' && e.name === name ? [e.ret] : []));
}

describe('write(2): copy_from_user', () => {
  it('copies the buffer into the file between STAC and CLAC, as supervisor accesses', () => {
    const m = machine([
      { op: 'write', va: at(0, 8), value: 77 },
      { op: 'sys_write', fd: 3, va: at(0), len: 16 },
    ]);
    const ev = runToEnd(m);
    expect(exits(ev, 'write')).toEqual([16]);
    expect(uaOf(m).files[0]?.words).toEqual([0, 0, 77, 0]);
    const types = ev.map((e) => e.type);
    const open = types.indexOf('uaccess.open');
    expect(open).toBeGreaterThan(types.indexOf('syscall.enter'));
    expect(types.indexOf('uaccess.copy')).toBeGreaterThan(open);
    expect(types.indexOf('uaccess.close')).toBeGreaterThan(types.indexOf('uaccess.copy'));
    // AC is back to 0 once the syscall is over.
    expect(uaOf(m).ac).toEqual([false, false]);
  });

  it('a buffer the handler cannot map: the exception-table fixup returns -EFAULT, and no signal', () => {
    const m = machine([
      { op: 'sys_write', fd: 3, va: at(3), len: 64 },
      { op: 'write', va: at(0), value: 1 },
    ]);
    const ev = runToEnd(m);
    expect(exits(ev, 'write')).toEqual([-14]);
    const fault = ev.find((e) => e.type === 'fault.raised');
    // A kernel-mode read of a not-present page: error code 0, no U bit.
    expect(fault).toMatchObject({ errorCode: 0, access: 'read', va: at(3) });
    expect(ev.find((e) => e.type === 'extable.search')).toMatchObject({
      found: true,
      ip: 'copy_user_generic+0x1c',
    });
    expect(ev.some((e) => e.type === 'fault.resolved' && e.how === 'fixup')).toBe(true);
    expect(ev.some((e) => e.type === 'signal' || e.type === 'oops')).toBe(false);
    // The thread lives on: its next store happens.
    expect(ev.some((e) => e.type === 'access.done' && e.kind === 'write')).toBe(true);
    expect(uaOf(m).files[0]?.words).toEqual([]);
  });

  it('a fault after some pages: a short count of the bytes written, and those bytes are in the file', () => {
    // Pages 2 (read-only but readable) and 3 (no VMA): the copy gets page 2, then faults.
    const m = machine([{ op: 'sys_write', fd: 3, va: at(2, 4088), len: 16 }]);
    const ev = runToEnd(m);
    expect(exits(ev, 'write')).toEqual([8]);
    expect(ev.find((e) => e.type === 'uaccess.close')).toMatchObject({ copied: 8, notCopied: 8 });
    expect(uaOf(m).files[0]?.words).toHaveLength(2);
    expect(ev.some((e) => e.type === 'signal')).toBe(false);
  });
});

describe('read(2): copy_to_user', () => {
  it('a kernel write to an untouched page is a fault like a user one: demand-zero, then the copy lands', () => {
    const m = machine(
      [
        { op: 'sys_read', fd: 3, va: at(1), len: 12 },
        { op: 'read', va: at(1, 4) },
      ],
      {
        words: [5, 6, 7, 8],
      },
    );
    const ev = runToEnd(m);
    expect(ev.find((e) => e.type === 'fault.raised')).toMatchObject({ errorCode: 0b010, access: 'write' });
    expect(ev.find((e) => e.type === 'fault.resolved')).toMatchObject({ how: 'demand-zero' });
    expect(exits(ev, 'read')).toEqual([12]);
    const userRead = ev.find((e) => e.type === 'access.done' && e.kind === 'read');
    expect(userRead).toMatchObject({ value: 6 });
    expect(uaOf(m).files[0]?.pos).toBe(3);
  });

  it('into a read-only page: the VMA forbids the write, the fixup returns -EFAULT, no SIGSEGV', () => {
    const m = machine([{ op: 'sys_read', fd: 3, va: at(2), len: 8 }], { words: [1, 2] });
    const ev = runToEnd(m);
    expect(ev.find((e) => e.type === 'fault.raised')).toMatchObject({ kind: 'protection', errorCode: 0b011 });
    expect(exits(ev, 'read')).toEqual([-14]);
    expect(ev.some((e) => e.type === 'signal')).toBe(false);
  });

  it('an unknown descriptor is EBADF, with no copy', () => {
    const ev = runToEnd(machine([{ op: 'sys_read', fd: 7, va: at(0), len: 8 }]));
    expect(exits(ev, 'read')).toEqual([-9]);
    expect(ev.some((e) => e.type === 'uaccess.open')).toBe(false);
  });
});

describe('no exception-table entry (design none)', () => {
  it('the same unresolvable fault is an oops: the thread dies in the kernel, no signal, others go on', () => {
    const m = machine(
      [
        { op: 'sys_write', fd: 3, va: at(3), len: 64 },
        { op: 'write', va: at(0), value: 1 },
      ],
      {
        design: 'none',
        t1: [
          { op: 'compute', cycles: 5000 },
          { op: 'write', va: at(0, 4), value: 2 },
        ],
      },
    );
    const ev = runToEnd(m);
    expect(ev.find((e) => e.type === 'extable.search')).toMatchObject({ found: false });
    expect(ev.find((e) => e.type === 'oops')).toMatchObject({
      tid: 0,
      ip: 'copy_user_generic+0x1c',
      va: at(3),
    });
    expect(ev.some((e) => e.type === 'signal' || e.type === 'syscall.exit')).toBe(false);
    expect(m.threads.find((t) => t.tid === 0)?.exitReason).toMatch(/oops/);
    // T1 is untouched by T0's oops.
    expect(ev.some((e) => e.type === 'access.done' && e.tid === 1)).toBe(true);
  });

  it('a fault the handler can resolve needs no entry: demand-zero works in every design', () => {
    const ev = runToEnd(
      machine([{ op: 'sys_read', fd: 3, va: at(1), len: 4 }], { design: 'none', words: [9] }),
    );
    expect(exits(ev, 'read')).toEqual([4]);
    expect(ev.some((e) => e.type === 'oops')).toBe(false);
  });
});

describe('SMAP', () => {
  it('a supervisor access to a user page faults unless EFLAGS.AC is set (STAC)', () => {
    const m = machine([]);
    const core = m.cores[0];
    if (!core) throw new Error('core');
    // Load the process's page tables on core 0 as a switch would, with a thread on it.
    core.cr3Pfn = m.procs[0]?.rootPfn ?? -1;
    core.pcid = m.procs[0]?.pcid ?? 0;
    core.tid = 0;
    const events: string[] = [];
    const ctx = { m, core, t: 0, cost: 0, emit: (e: { type: string }) => events.push(e.type) };
    const denied = kernelAccess(ctx, BUF + 2 * 4096, 'read');
    expect(denied.ok).toBe(false);
    const top = core.stack.pop();
    // Present page, supervisor read, AC = 0: a protection fault with no U bit.
    expect(top).toMatchObject({ fn: 'fault', errorCode: 1 });
    uaOf(m).ac[0] = true;
    expect(kernelAccess(ctx, BUF + 2 * 4096, 'read').ok).toBe(true);
  });
});
