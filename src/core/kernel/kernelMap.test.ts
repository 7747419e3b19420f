// The shared kernel half: vmalloc changes it for every process without a flush, vunmap flushes
// every core (flush_tlb_kernel_range), kernel accesses at CPL 0, and user space cannot unmap it.
import { describe, expect, it } from 'vitest';
import { entryPfn } from '../arch/x86_64/pte';
import { readEntry, writeEntry } from '../arch/x86_64/walk';
import { checkInvariants } from '../engine/monitor';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { OpSpec, ScenarioSpec, ThreadSpec } from '../spec';
import { coreTlbEntries } from '../tlb/machineTlb';
import { createMachine } from './build';

const VM = '0xffffffffc0000000';

function spec(threads: ThreadSpec[], cores = 3): ScenarioSpec {
  return {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: { cores, frames: 128, tlb: { sets: 8, ways: 2 }, protocol: 'linux-x86', kernelHalf: true },
    processes: [
      { pid: 1, name: 'a', vmas: [{ start: '0x7f0000000000', pages: 1, prot: 'rw', populate: true }] },
      { pid: 2, name: 'b', vmas: [] },
    ],
    threads,
    keyMoments: [],
  };
}

function run(s: ScenarioSpec) {
  const r = createMachine(s);
  if (!r.ok) throw new Error(r.error);
  const ev = runToEnd(r.machine);
  return { ev, m: r.machine };
}

const of = <T extends SimEvent['type']>(ev: SimEvent[], type: T) =>
  ev.filter((e): e is Extract<SimEvent, { type: T }> => e.type === type);

/** T0 (process 1, core 0) maps and writes; T1 (process 2, core 1) reads; then T1 unmaps. */
function mapReadUnmap(pages = 1): { ev: SimEvent[]; m: ReturnType<typeof run>['m'] } {
  const t0: OpSpec[] = [
    { op: 'vmalloc', va: VM, pages },
    { op: 'kwrite', va: VM, value: 42 },
    { op: 'signal', flag: 'mapped' },
    { op: 'wait', flag: 'read' },
  ];
  const t1: OpSpec[] = [
    { op: 'wait', flag: 'mapped' },
    { op: 'kread', va: VM },
    { op: 'signal', flag: 'read' },
    { op: 'vunmap', va: VM, pages },
  ];
  return run(
    spec([
      { tid: 0, pid: 1, core: 0, program: t0 },
      { tid: 1, pid: 2, core: 1, program: t1 },
    ]),
  );
}

describe('vmalloc in the shared kernel half', () => {
  it('is seen by another process at once, with no IPI and no PML4 change', () => {
    const { ev, m } = mapReadUnmap();
    const mapAt = ev.findIndex((e) => e.type === 'kernel.map');
    const readAt = ev.findIndex((e) => e.type === 'access.done' && e.core === 1);
    expect(mapAt).toBeGreaterThan(0);
    expect(ev[readAt]).toMatchObject({ value: 42 });
    // Between the new mapping and the other process's read: no IPI, no invalidation.
    expect(ev.slice(mapAt, readAt).some((e) => e.type === 'ipi.sent' || e.type === 'tlb.invalidate')).toBe(
      false,
    );
    // Every PTE written lives in the kernel's tables (pid -1): neither PML4 was touched.
    const roots = m.procs.map((p) => p.rootPfn);
    const writes = of(ev, 'pte.write').filter((e) => ev.indexOf(e) < mapAt);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((e) => e.pid === -1 && !roots.includes(e.table))).toBe(true);
  });

  it('both CR3s lead to the same kernel PDPT frame', () => {
    const { ev, m } = mapReadUnmap();
    const seen = of(ev, 'kernel.pml4');
    const byPid = new Map(seen.map((e) => [e.pid, e]));
    expect(byPid.get(1)?.pml4).not.toBe(byPid.get(2)?.pml4);
    expect(byPid.get(1)?.pdpt).toBe(m.kernelPdpt);
    expect(byPid.get(2)?.pdpt).toBe(m.kernelPdpt);
    for (const p of m.procs) expect(entryPfn(...readEntry(m.mem, p.rootPfn, 511))).toBe(m.kernelPdpt);
  });
});

describe('vunmap: flush_tlb_kernel_range', () => {
  it('IPIs every other core, idle ones too, and INVLPG drops the global entries', () => {
    const { ev, m } = mapReadUnmap();
    const flush = of(ev, 'kernel.flush')[0];
    expect(flush).toMatchObject({ core: 1, targets: [0, 2], pages: 1, full: false });
    expect(of(ev, 'ipi.sent').map((e) => e.to)).toEqual([0, 2]);
    const inval = of(ev, 'tlb.invalidate').filter((e) => e.va === VM);
    // Cores 0 and 1 had cached the page (global, under PCIDs 1 and 2); core 2 never had.
    expect(new Map(inval.map((e) => [e.core, e.removed]))).toEqual(
      new Map([
        [1, 1],
        [0, 1],
        [2, 0],
      ]),
    );
    for (const c of m.cores) {
      expect(
        coreTlbEntries(c.tlb).some((e) => e.pageVpn === Number((BigInt(VM) >> 12n) & 0xfffffffffffffn)),
      ).toBe(false);
    }
    // The frame goes back only after the acks, and nothing was ever stale.
    const free = ev.findIndex((e) => e.type === 'frame.free' && e.pid === -1);
    const lastAck = ev.map((e) => e.type).lastIndexOf('ipi.acked');
    expect(free).toBeGreaterThan(lastAck);
    expect(m.stats.violations).toBe(0);
  });

  it('above 33 pages every core flushes everything, global entries included', () => {
    const { ev } = mapReadUnmap(40);
    expect(of(ev, 'kernel.flush')[0]?.full).toBe(true);
    const global = of(ev, 'tlb.invalidate').filter((e) => e.scope === 'global');
    expect(global.map((e) => e.core).sort()).toEqual([0, 1, 2]);
    expect(of(ev, 'frame.free').filter((e) => e.pid === -1)).toHaveLength(40);
  });

  it('the monitor judges kernel entries as the kernel uses them, and catches one left stale', () => {
    const { m } = run(
      spec(
        [
          {
            tid: 0,
            pid: 1,
            core: 0,
            program: [
              { op: 'vmalloc', va: VM, pages: 1 },
              { op: 'kread', va: VM },
              { op: 'sleep', flag: 'never' },
            ],
          },
        ],
        1,
      ),
    );
    // A valid supervisor-only global entry is fine (it used to be judged as a user access).
    expect(m.stats.violations).toBe(0);
    const core = m.cores[0];
    if (!core) throw new Error('no core');
    // Keep core 0 on process 1 and clear the PTE by hand, with no flush under way: stale.
    core.lazy = false;
    const pdpt = m.kernelPdpt ?? -1;
    const pd = entryPfn(...readEntry(m.mem, pdpt, 511));
    const pt = entryPfn(...readEntry(m.mem, pd, 0));
    writeEntry(m.mem, pt, 0, 0, 0);
    const out: SimEvent[] = [];
    checkInvariants(m, (e) => out.push({ ...e, step: 0, tick: 0 } as SimEvent));
    expect(out.find((e) => e.type === 'invariant.violated')).toMatchObject({ rule: 'stale-tlb', va: VM });
  });
});

describe('kernel accesses at CPL 0', () => {
  it('a kernel read of an unmapped kernel address oopses; the other threads go on', () => {
    const { ev } = run(
      spec(
        [
          {
            tid: 0,
            pid: 1,
            core: 0,
            program: [
              { op: 'kread', va: VM },
              { op: 'read', va: '0x7f0000000000' },
            ],
          },
          {
            tid: 1,
            pid: 2,
            core: 1,
            program: [
              { op: 'compute', cycles: 5000 },
              { op: 'kread', va: '0xffffffff81002000' },
            ],
          },
        ],
        2,
      ),
    );
    expect(of(ev, 'fault.raised')[0]).toMatchObject({ kind: 'not-present', errorCode: 0 });
    expect(of(ev, 'kernel.oops')[0]).toMatchObject({ tid: 0, va: VM });
    expect(of(ev, 'thread.exit').find((e) => e.tid === 0)?.reason).toMatch(/oops/);
    expect(of(ev, 'access').some((e) => e.tid === 0 && e.va === '0x7f0000000000')).toBe(false);
    expect(of(ev, 'access.done').some((e) => e.tid === 1)).toBe(true);
  });

  it('SMAP: a kernel read of a user page outside a user-access window oopses', () => {
    const { ev } = run(
      spec([{ tid: 0, pid: 1, core: 0, program: [{ op: 'kread', va: '0x7f0000000000' }] }], 1),
    );
    expect(of(ev, 'fault.raised')[0]).toMatchObject({ kind: 'protection', errorCode: 1 });
    expect(of(ev, 'kernel.oops')[0]?.why).toMatch(/SMAP/);
  });

  it('vmalloc of an already mapped range maps nothing', () => {
    const { ev } = run(
      spec(
        [
          {
            tid: 0,
            pid: 1,
            core: 0,
            program: [
              { op: 'vmalloc', va: VM, pages: 2 },
              { op: 'vmalloc', va: '0xffffffffc0001000', pages: 1 },
            ],
          },
        ],
        1,
      ),
    );
    expect(of(ev, 'kernel.map').map((e) => e.ok)).toEqual([true, false]);
  });
});

describe('user space cannot unmap or reprotect the kernel half', () => {
  it('munmap of kernel text is EINVAL, mprotect ENOMEM; nothing changes and the run goes on', () => {
    // munmap: do_vmi_munmap's TASK_SIZE check (mm/vma.c). mprotect: do_mprotect_pkey finds no
    // VMA there and returns -ENOMEM (mm/mprotect.c), as the model already did.
    const { ev, m } = run(
      spec(
        [
          {
            tid: 0,
            pid: 1,
            core: 0,
            program: [
              { op: 'munmap', va: '0xffffffff81000000', pages: 4 },
              { op: 'mprotect', va: '0xffffffff81000000', pages: 1, prot: 'rw' },
              // Reaching over TASK_SIZE from the user half is refused too.
              { op: 'munmap', va: '0x7ffffffff000', pages: 2 },
              { op: 'kread', va: '0xffffffff81002000' },
            ],
          },
        ],
        1,
      ),
    );
    const rets = of(ev, 'syscall.exit').map((e) => [e.name, e.ret]);
    expect(rets).toEqual([
      ['munmap', -22],
      ['mprotect', -12],
      ['munmap', -22],
      ['kread', 0],
    ]);
    expect(of(ev, 'pte.write')).toHaveLength(0);
    expect(m.threads[0]?.exitReason).toBe('exit');
  });
});
