// mmap_lock between the memory syscalls of one process (kernel/mmapLock.ts): fork, mprotect and
// munmap on different cores of the same mm run one after another, a sleeper takes IPIs, and a
// fork that slept re-checks its child slot under the lock.
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { OpSpec, ScenarioSpec } from '../spec';
import { createMachine } from './build';

const page = (k: number) => `0x${(0x7f0000000000 + k * 0x1000).toString(16)}`;

function run(t0: OpSpec[], t1: OpSpec[], extra: OpSpec[] = []): SimEvent[] {
  const spec: ScenarioSpec = {
    id: 'mmap-lock',
    title: 'mmap-lock',
    summary: '',
    seed: 1,
    machine: { cores: 3, frames: 128, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
    processes: [
      { pid: 1, name: 'p', vmas: [{ start: page(0), pages: 8, prot: 'rw', populate: true }] },
      { pid: 3, name: 'child', vmas: [], forkOf: 1 },
    ],
    threads: [
      { tid: 0, pid: 1, core: 0, program: t0 },
      { tid: 1, pid: 1, core: 1, program: t1 },
      ...(extra.length > 0 ? [{ tid: 2, pid: 1, core: 2, program: extra }] : []),
    ],
    keyMoments: [],
  };
  const r = createMachine(spec);
  if (!r.ok) throw new Error(r.error);
  return runToEnd(r.machine);
}

/** [first, last] step of each call of `name` on `core`, from syscall.enter to syscall.exit. */
function spans(events: SimEvent[], core: number, name: string): [number, number][] {
  const out: [number, number][] = [];
  let open: number | null = null;
  for (const e of events) {
    if (e.type === 'syscall.enter' && e.core === core && e.name === name) open = e.step;
    if (e.type === 'syscall.exit' && e.core === core && e.name === name && open !== null) {
      out.push([open, e.step]);
      open = null;
    }
  }
  return out;
}

describe('mmap_lock', () => {
  it('a munmap issued during a fork sleeps until the fork (and its flush) is done', () => {
    const ev = run(
      [{ op: 'fork', child: 3 }],
      [
        { op: 'compute', cycles: 50 },
        { op: 'munmap', va: page(2), pages: 2 },
      ],
    );
    const wait = ev.find((e) => e.type === 'mmap_lock.wait');
    expect(wait).toMatchObject({ core: 1, pid: 1, call: 'munmap', mode: 'write', holder: 0, held: 'write' });
    const fork = spans(ev, 0, 'fork')[0];
    const munmap = spans(ev, 1, 'munmap')[0];
    expect(fork && munmap).toBeTruthy();
    if (!fork || !munmap) return;
    // munmap's PTE clearing and its wake-up both come after fork's exit.
    const acquire = ev.find((e) => e.type === 'mmap_lock.acquire' && e.core === 1);
    expect(acquire?.step).toBeGreaterThan(fork[1]);
    const zaps = ev.filter((e) => e.type === 'pte.write' && e.pid === 1 && e.new === '0x0000000000000000');
    expect(zaps.length).toBeGreaterThan(0);
    for (const z of zaps) expect(z.step).toBeGreaterThan(fork[1]);
    // The sleeper took fork's flush IPI meanwhile (its interrupts stay on).
    expect(ev.some((e) => e.type === 'ipi.received' && e.core === 1 && e.step < fork[1])).toBe(true);
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('a fork issued during a munmap waits for the munmap to finish, downgraded read lock included', () => {
    const ev = run(
      [
        { op: 'compute', cycles: 50 },
        { op: 'fork', child: 3 },
      ],
      [{ op: 'munmap', va: page(0), pages: 6 }],
    );
    const wait = ev.find((e) => e.type === 'mmap_lock.wait');
    expect(wait).toMatchObject({ core: 0, call: 'fork', holder: 1, held: 'read' });
    const fork = spans(ev, 0, 'fork')[0];
    const munmap = spans(ev, 1, 'munmap')[0];
    if (!fork || !munmap) throw new Error('both calls run');
    const copied = ev.filter((e) => e.type === 'pte.write' && e.pid === 3 && e.level === 1);
    for (const c of copied) expect(c.step).toBeGreaterThan(munmap[1]);
    // The child got only what munmap left: pages 6 and 7.
    expect(copied.map((e) => e.type === 'pte.write' && e.va)).toEqual([page(6), page(7)]);
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('mprotect and munmap of one process never overlap', () => {
    const ev = run(
      [{ op: 'mprotect', va: page(0), pages: 8, prot: 'r' }],
      [
        { op: 'compute', cycles: 30 },
        { op: 'munmap', va: page(4), pages: 2 },
      ],
    );
    const mp = spans(ev, 0, 'mprotect')[0];
    if (!mp) throw new Error('mprotect runs');
    expect(ev.some((e) => e.type === 'mmap_lock.wait' && e.call === 'munmap')).toBe(true);
    // munmap entered during mprotect, but did its work (from the lock on) after it.
    const acquire = ev.find((e) => e.type === 'mmap_lock.acquire' && e.core === 1);
    const detach = ev.find((e) => e.type === 'vma.unmap');
    expect(acquire?.step).toBeGreaterThan(mp[1]);
    expect(detach?.step).toBeGreaterThan(mp[1]);
  });

  // Regression (fuzzer, 16 cores): a fork that slept on the lock had checked its child slot
  // before sleeping, and after another fork had made the child it made it again.
  it('of two forks of one child slot, the one that slept gets EAGAIN', () => {
    const ev = run(
      [{ op: 'fork', child: 3 }],
      [
        { op: 'compute', cycles: 20 },
        { op: 'fork', child: 3 },
      ],
    );
    const rets = ev
      .filter((e) => e.type === 'syscall.exit' && e.name === 'fork')
      .map((e) => (e.type === 'syscall.exit' ? e.ret : 0));
    expect(rets).toEqual([3, -11]);
    expect(ev.filter((e) => e.type === 'vma.map' && e.pid === 3)).toHaveLength(1);
  });

  it('a process on one core never waits for itself, and other processes never wait', () => {
    const ev = run(
      [
        { op: 'fork', child: 3 },
        { op: 'munmap', va: page(0), pages: 1 },
      ],
      [],
    );
    expect(ev.some((e) => e.type === 'mmap_lock.wait')).toBe(false);
  });
});
