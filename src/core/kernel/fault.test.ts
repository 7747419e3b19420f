// The page-fault handler and the memory syscalls, one thread at a time.
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { OpSpec, ScenarioSpec } from '../spec';
import { createMachine } from './build';

function run(program: OpSpec[], cores = 1): { ev: SimEvent[]; types: string[] } {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 3,
    machine: { cores, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
    processes: [{ pid: 1, name: 'p', vmas: [{ start: '0x600000', pages: 1, prot: 'r' }] }],
    threads: [{ tid: 0, pid: 1, core: 0, program }],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const ev = runToEnd(r.machine);
  return { ev, types: ev.map((e) => e.type) };
}

const mmap: OpSpec = { op: 'mmap', va: '0x10000000', pages: 4, prot: 'rw' };

describe('page-fault handler', () => {
  it('demand-zero: a first write faults, gets a fresh zeroed frame, and the write is retried', () => {
    const { ev } = run([mmap, { op: 'write', va: '0x10000010', value: 5 }, { op: 'read', va: '0x10000010' }]);
    const fault = ev.find((e) => e.type === 'fault.raised');
    expect(fault).toMatchObject({ kind: 'not-present', errorCode: 0b110, va: '0x10000010' });
    const resolved = ev.findIndex((e) => e.type === 'fault.resolved');
    expect(ev[resolved]).toMatchObject({ how: 'demand-zero' });
    expect(ev.some((e) => e.type === 'frame.alloc' && e.use === 'anon')).toBe(true);
    // The retried write goes through, and the read sees its value.
    const done = ev.filter((e) => e.type === 'access.done');
    expect(done.map((e) => (e.type === 'access.done' ? [e.kind, e.value] : []))).toEqual([
      ['write', 5],
      ['read', 5],
    ]);
    expect(ev.findIndex((e) => e.type === 'access.done')).toBeGreaterThan(resolved);
  });

  it('a first read maps the shared zero page read-only; a later write copies it to a private frame', () => {
    const { ev } = run([mmap, { op: 'read', va: '0x10001000' }, { op: 'write', va: '0x10001000', value: 9 }]);
    const how = ev.flatMap((e) => (e.type === 'fault.resolved' ? [e.how] : []));
    expect(how).toEqual(['zero-page', 'cow-copy']);
    const second = ev.filter((e) => e.type === 'fault.raised')[1];
    // The write fault on the read-only zero-page mapping is a protection fault: P|W|U.
    expect(second).toMatchObject({ kind: 'protection', errorCode: 0b111 });
    expect(ev.filter((e) => e.type === 'frame.alloc' && e.use === 'anon')).toHaveLength(1);
    expect(ev.some((e) => e.type === 'signal')).toBe(false);
    expect(ev.at(-2)).toMatchObject({ type: 'thread.exit', reason: 'exit' });
  });

  it('SIGSEGV with SEGV_MAPERR when no VMA covers the address', () => {
    const { ev } = run([
      { op: 'read', va: '0x20000000' },
      { op: 'read', va: '0x600000' },
    ]);
    expect(ev.find((e) => e.type === 'signal')).toMatchObject({
      signal: 'SIGSEGV',
      code: 'SEGV_MAPERR',
      tid: 0,
    });
    // The thread is gone: its second read never happens.
    expect(ev.filter((e) => e.type === 'access')).toHaveLength(1);
  });

  it('SIGSEGV with SEGV_ACCERR for a write to a read-only VMA', () => {
    const { ev } = run([{ op: 'write', va: '0x600000', value: 1 }]);
    expect(ev.find((e) => e.type === 'signal')).toMatchObject({ code: 'SEGV_ACCERR' });
  });

  it('munmap frees the frame only after the flush, and a later access faults', () => {
    const { types } = run([
      mmap,
      { op: 'write', va: '0x10000000', value: 1 },
      { op: 'munmap', va: '0x10000000', pages: 4 },
      { op: 'read', va: '0x10000000' },
    ]);
    const flush = types.indexOf('shootdown.end');
    expect(types.indexOf('frame.free')).toBeGreaterThan(flush);
    expect(types.lastIndexOf('signal')).toBeGreaterThan(types.indexOf('frame.free'));
  });

  it('mprotect to read-only flushes, and a later write is a protection fault with SEGV_ACCERR', () => {
    const { ev } = run([
      mmap,
      { op: 'write', va: '0x10000000', value: 1 },
      { op: 'mprotect', va: '0x10000000', pages: 1, prot: 'r' },
      { op: 'read', va: '0x10000000' },
      { op: 'write', va: '0x10000000', value: 2 },
    ]);
    expect(ev.find((e) => e.type === 'shootdown.begin')).toMatchObject({ pages: 1, targets: [] });
    expect(ev.filter((e) => e.type === 'access.done')).toHaveLength(2);
    expect(ev.find((e) => e.type === 'signal')).toMatchObject({ code: 'SEGV_ACCERR' });
  });

  it('mprotect of an unmapped range fails with ENOMEM and changes nothing', () => {
    const { ev } = run([{ op: 'mprotect', va: '0x50000000', pages: 1, prot: 'rw' }]);
    expect(ev.find((e) => e.type === 'syscall.exit')).toMatchObject({ name: 'mprotect', ret: -12 });
    expect(ev.some((e) => e.type === 'vma.protect' || e.type === 'pte.write')).toBe(false);
  });

  it('refuses bad syscalls with the errno a kernel returns, and the thread goes on', () => {
    const { ev } = run([
      { op: 'munmap', va: '0x10000010', pages: 1 },
      { op: 'mmap', va: '0x600000', pages: 1, prot: 'rw' },
      { op: 'mmap', va: '0x30000000', pages: 0, prot: 'rw' },
      { op: 'read', va: '0x600000' },
    ]);
    const rets = ev.flatMap((e) => (e.type === 'syscall.exit' ? [[e.name, e.ret]] : []));
    expect(rets).toEqual([
      ['munmap', -22],
      ['mmap', -17],
      ['mmap', -22],
    ]);
    expect(ev.some((e) => e.type === 'access.done')).toBe(true);
  });
});
