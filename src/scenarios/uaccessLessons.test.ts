// The lessons of the kernel touching user memory: one workload under three kernels, and the
// schema's checks of the new operations.
import { describe, expect, it } from 'vitest';
import { createMachine } from '../core/kernel/build';
import { runToEnd } from '../core/engine/step';
import type { SimEvent } from '../core/events';
import type { ScenarioSpec } from '../core/spec';
import { uaOf } from '../core/kernel/uaccess';
import { findScenario } from './index';
import { validateScenario } from './schema';

function run(id: string): { ev: SimEvent[]; words: number; pos: number } {
  const spec = findScenario(id);
  if (!spec) throw new Error(id);
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  const ev = runToEnd(r.machine);
  const file = uaOf(r.machine).files[0];
  return { ev, words: file?.words.length ?? 0, pos: file?.pos ?? -1 };
}

const writeRets = (ev: SimEvent[]) =>
  ev.flatMap((e) => (e.type === 'syscall.exit' && e.name === 'write' ? [e.ret] : []));

describe('copy-from-user-vs-munmap: one race, three kernels', () => {
  it('the munmap lands while the copy is under way, in every design', () => {
    for (const id of ['copy-from-user-vs-munmap', 'copy-from-user-vs-munmap-none']) {
      const { ev } = run(id);
      const open = ev.findIndex((e) => e.type === 'uaccess.open');
      const unmap = ev.findIndex((e) => e.type === 'vma.unmap');
      const firstCopy = ev.findIndex((e) => e.type === 'uaccess.copy');
      const fault = ev.findIndex((e) => e.type === 'fault.raised');
      expect(firstCopy).toBeGreaterThan(open);
      expect(unmap).toBeGreaterThan(firstCopy);
      expect(fault).toBeGreaterThan(unmap);
    }
  });

  it('extable: a short count with the first half in the file, then -EFAULT; only the user access is signalled', () => {
    const { ev, words, pos } = run('copy-from-user-vs-munmap');
    expect(writeRets(ev)).toEqual([16384, -14]);
    expect(words).toBe(4096);
    expect(pos).toBe(4096);
    const signals = ev.filter((e) => e.type === 'signal');
    expect(signals).toHaveLength(1);
    // The signal comes from the program's own read, a user-mode fault (U set).
    const lastFault = ev.filter((e) => e.type === 'fault.raised').at(-1);
    expect(lastFault).toMatchObject({ errorCode: 4 });
    expect(ev.some((e) => e.type === 'oops')).toBe(false);
  });

  it('pin: the whole buffer is written, munmap waited', () => {
    const { ev, words } = run('copy-from-user-vs-munmap-pin');
    expect(writeRets(ev)).toEqual([32768, -14]);
    expect(words).toBe(8192);
    expect(ev.find((e) => e.type === 'munmap.resume')).toMatchObject({ tid: 1 });
  });

  it('none: the kernel oopses in the copy and T0 never returns from write', () => {
    const { ev, words, pos } = run('copy-from-user-vs-munmap-none');
    expect(writeRets(ev)).toEqual([]);
    expect(ev.find((e) => e.type === 'oops')).toMatchObject({ tid: 0, va: '0x7f0000104000' });
    // The four pages copied before the fault reached the file's pages, but the write never
    // completed: the file position did not move.
    expect(words).toBe(4096);
    expect(pos).toBe(0);
    expect(ev.some((e) => e.type === 'signal')).toBe(false);
  });
});

describe('schema: read, write and ioctl', () => {
  const base = findScenario('copy-from-user-vs-munmap') as ScenarioSpec;
  const withOp = (op: unknown) =>
    validateScenario({ ...base, threads: [{ tid: 0, pid: 1, core: 0, program: [op] }] });

  it('accepts the built-in lessons', () => {
    for (const id of ['copy-from-user-vs-munmap-pin', 'double-fetch', 'page-lock-contention']) {
      expect(validateScenario(findScenario(id)).ok).toBe(true);
    }
  });

  it('refuses a length that is not whole words, naming the field', () => {
    const r = withOp({ op: 'sys_write', fd: 3, va: '0x7f0000100000', len: 6 });
    expect(r).toEqual({ ok: false, error: 'threads.0.program.0.len: a multiple of 4 bytes' });
  });

  it('refuses an unknown design and an unknown fetch mode', () => {
    const bad = validateScenario({ ...base, machine: { ...base.machine, uaccess: 'hope' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^machine\.uaccess: /);
    const r = withOp({ op: 'ioctl', va: '0x7f0000100000', limit: 4, fetch: 'thrice' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^threads\.0\.program\.0\.fetch: /);
  });
});
