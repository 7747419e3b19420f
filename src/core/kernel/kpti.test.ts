// KPTI: the PGD pair, the two PCIDs and no-flush CR3 writes on system-call entry and exit, what
// the user PGD maps of the kernel, and user-PCID flushes in a shootdown.
import { describe, expect, it } from 'vitest';
import { entryPfn, PTE_P } from '../arch/x86_64/pte';
import { readEntry } from '../arch/x86_64/walk';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { OpSpec, ScenarioSpec } from '../spec';
import { coreTlbEntries } from '../tlb/machineTlb';
import { createMachine } from './build';
import { cr3Value } from './kpti';

function spec(program: OpSpec[], kpti: boolean, extra: OpSpec[] | null = null): ScenarioSpec {
  return {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: {
      cores: 2,
      frames: 96,
      tlb: { sets: 8, ways: 2 },
      protocol: 'linux-x86',
      kernelHalf: true,
      kpti,
    },
    processes: [
      { pid: 1, name: 'a', vmas: [{ start: '0x7f0000000000', pages: 2, prot: 'rw', populate: true }] },
    ],
    threads: [
      { tid: 0, pid: 1, core: 0, program },
      ...(extra ? [{ tid: 1, pid: 1, core: 1, program: extra }] : []),
    ],
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

describe('the PGD pair', () => {
  it('is 8 KiB-aligned; the user half maps the user VMAs and only the entry text of the kernel', () => {
    const r = createMachine(spec([], true));
    if (!r.ok) throw new Error(r.error);
    const m = r.machine;
    const root = m.procs[0]?.rootPfn ?? -1;
    expect(root % 2).toBe(0);
    expect(m.mem.used.get(root + 1)?.kind).toBe('pagetable');
    // User-half entries are mirrored: the same PDPT below both.
    expect(readEntry(m.mem, root + 1, 254)).toEqual(readEntry(m.mem, root, 254));
    // The kernel entry of the user PGD leads to other tables, holding only the entry text page.
    const kUser = entryPfn(...readEntry(m.mem, root + 1, 511));
    expect(kUser).not.toBe(m.kernelPdpt);
    const pd = entryPfn(...readEntry(m.mem, kUser, 510));
    const pt = entryPfn(...readEntry(m.mem, pd, 8));
    const present = [...Array(512).keys()].filter((i) => (readEntry(m.mem, pt, i)[0] & PTE_P) !== 0);
    expect(present).toEqual([0]);
  });

  it('a page fault that adds a user PML4 entry mirrors it into the user PGD', () => {
    const s = spec(
      [
        { op: 'mmap', va: '0x100000000000', pages: 1, prot: 'rw' },
        { op: 'write', va: '0x100000000000', value: 5 },
        { op: 'read', va: '0x100000000000' },
      ],
      true,
    );
    const { ev, m } = run(s);
    expect(of(ev, 'access.done').map((e) => e.value)).toEqual([5, 5]);
    const root = m.procs[0]?.rootPfn ?? -1;
    expect(readEntry(m.mem, root + 1, 32)).toEqual(readEntry(m.mem, root, 32));
    expect(m.stats.violations).toBe(0);
  });
});

describe('system-call entry and exit under KPTI', () => {
  const program: OpSpec[] = [
    { op: 'read', va: '0x7f0000000010' },
    { op: 'kread', va: '0xffffffff81002000' },
    { op: 'read', va: '0x7f0000000010' },
    { op: 'kread', va: '0xffffffff81002000' },
  ];

  it('writes CR3 with the kernel PCID on entry and PCID | 0x800 on exit, both no-flush', () => {
    const { ev, m } = run(spec(program, true));
    const p = m.procs[0];
    if (!p) throw new Error('no process');
    const writes = of(ev, 'cr3.write').map((e) => [e.table, e.pgd, e.pcid, e.noflush, e.removed, e.cr3]);
    const user = [
      'user',
      p.rootPfn + 1,
      p.pcid | 0x800,
      true,
      0,
      cr3Value(p.rootPfn + 1, p.pcid | 0x800, true),
    ];
    const kernel = ['kernel', p.rootPfn, p.pcid, true, 0, cr3Value(p.rootPfn, p.pcid, true)];
    // Return to user after the context switch, then entry/exit around each kread.
    expect(writes).toEqual([user, kernel, user, kernel, user]);
    expect(cr3Value(2, 0x801, true)).toBe('0x8000000000002801');
  });

  it('tags user entries with the user PCID and kernel ones with the kernel PCID, and both survive', () => {
    const { ev, m } = run(spec(program, true));
    expect(of(ev, 'tlb.fill').map((e) => [e.va, e.asid])).toEqual([
      ['0x7f0000000000', 0x801],
      ['0xffffffff81002000', 1],
    ]);
    expect(of(ev, 'tlb.hit').map((e) => e.va)).toEqual(['0x7f0000000000', '0xffffffff81002000']);
    // Under KPTI the kernel's data pages are not global.
    const core = m.cores[0];
    if (!core) throw new Error('no core');
    const k = coreTlbEntries(core.tlb).find((e) => e.asid === 1);
    expect(k?.global).toBe(false);
  });

  it('without KPTI there is one CR3 and no CR3 write on entry or exit', () => {
    const { ev } = run(spec(program, false));
    expect(of(ev, 'cr3.write')).toHaveLength(0);
    expect(of(ev, 'tlb.fill').map((e) => e.asid)).toEqual([1, 1]);
  });
});

describe('a user read of kernel data', () => {
  it('is not-present under KPTI (error code 4) and a protection fault without (error code 5)', () => {
    for (const [kpti, kind, code] of [
      [true, 'not-present', 4],
      [false, 'protection', 5],
    ] as const) {
      const { ev } = run(spec([{ op: 'read', va: '0xffffffff81002000' }], kpti));
      expect(of(ev, 'fault.raised')[0]).toMatchObject({ kind, errorCode: code });
      expect(of(ev, 'signal')[0]).toMatchObject({ signal: 'SIGSEGV', code: 'SEGV_MAPERR' });
    }
  });
});

describe('shootdowns under KPTI', () => {
  it('munmap drops the page from the user PCID on every core that cached it', () => {
    const { ev, m } = run(
      spec(
        [
          { op: 'read', va: '0x7f0000000000' },
          { op: 'signal', flag: 'a' },
          { op: 'wait', flag: 'b' },
          { op: 'munmap', va: '0x7f0000000000', pages: 1 },
        ],
        true,
        [
          { op: 'read', va: '0x7f0000000000' },
          { op: 'signal', flag: 'b' },
          { op: 'wait', flag: 'a' },
          { op: 'compute', cycles: 100000 },
        ],
      ),
    );
    const user = of(ev, 'tlb.invalidate').filter((e) => e.asid === 0x801 && e.va === '0x7f0000000000');
    expect(user.map((e) => [e.core, e.removed]).sort()).toEqual([
      [0, 1],
      [1, 1],
    ]);
    for (const c of m.cores) expect(coreTlbEntries(c.tlb).some((e) => e.pageVpn === 0x7f0000000)).toBe(false);
    expect(m.stats.violations).toBe(0);
  });
});

describe('fork under KPTI', () => {
  it('gives the child its own PGD pair, with the user half mirrored and its own two PCIDs', () => {
    const s: ScenarioSpec = {
      ...spec(
        [
          { op: 'write', va: '0x7f0000000000', value: 3 },
          { op: 'fork', child: 2 },
        ],
        true,
      ),
      processes: [
        { pid: 1, name: 'a', vmas: [{ start: '0x7f0000000000', pages: 1, prot: 'rw', populate: true }] },
        { pid: 2, name: 'child', vmas: [], forkOf: 1 },
      ],
    };
    s.threads.push({
      tid: 1,
      pid: 2,
      core: 1,
      program: [
        { op: 'read', va: '0x7f0000000000' },
        { op: 'write', va: '0x7f0000000000', value: 4 },
        { op: 'kread', va: '0xffffffff81002000' },
      ],
    });
    const { ev, m } = run(s);
    const child = m.procs.find((p) => p.pid === 2);
    if (!child) throw new Error('no child');
    expect(child.rootPfn % 2).toBe(0);
    // Both halves are the child's page tables, not a frame someone else owns or nobody does.
    expect(m.mem.used.get(child.rootPfn + 1)).toMatchObject({ kind: 'pagetable', pid: 2 });
    // ... and the user PGD is no other table of the child's (the PDPT below entry 254, say).
    expect(entryPfn(...readEntry(m.mem, child.rootPfn, 254))).not.toBe(child.rootPfn + 1);
    expect(readEntry(m.mem, child.rootPfn + 1, 254)).toEqual(readEntry(m.mem, child.rootPfn, 254));
    expect(entryPfn(...readEntry(m.mem, child.rootPfn, 511))).toBe(m.kernelPdpt);
    expect(
      of(ev, 'access.done')
        .filter((e) => e.tid === 1 && e.kind === 'read')
        .map((e) => e.value),
    ).toEqual([3, 0]);
    expect(of(ev, 'fault.resolved').map((e) => e.how)).toContain('cow-copy');
    const fills = of(ev, 'tlb.fill').filter((e) => e.core === 1);
    expect(new Set(fills.map((e) => e.asid))).toEqual(new Set([child.pcid | 0x800, child.pcid]));
    expect(m.stats.violations).toBe(0);
  });
});
