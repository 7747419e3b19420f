// Reclaim and swap on machines with room for a few user pages: data survives a round trip, clean
// pages are dropped without a write, the clock gives used pages a second chance, each policy
// takes its textbook victim, and fork/munmap keep the slots' use counts.
import { describe, expect, it } from 'vitest';
import { decodeSwapEntry } from '../arch/x86_64/swapEntry';
import { runToEnd } from '../engine/step';
import type { SimEvent } from '../events';
import type { Machine } from '../machine';
import type { OpSpec, ProcessSpec, ScenarioSpec, SwapSpec, ThreadSpec } from '../spec';
import { createMachine } from './build';
import { findPte } from './pagetable';

const BASE = 0x10000000;
const va = (page: number, off = 0) => `0x${(BASE + page * 4096 + off).toString(16)}`;
const vpn = (page: number) => BASE / 4096 + page;
const w = (page: number, value: number): OpSpec => ({ op: 'write', va: va(page, 8), value });
const r = (page: number): OpSpec => ({ op: 'read', va: va(page, 8) });

/** 6 frames go to frame 0, the zero page and one process's four page tables; the rest hold pages. */
function machine(
  dataFrames: number,
  swap: SwapSpec,
  threads: ThreadSpec[],
  opts: { tlb?: boolean; procs?: ProcessSpec[]; cores?: number } = {},
): Machine {
  const spec: ScenarioSpec = {
    id: 't',
    title: 't',
    summary: '',
    seed: 1,
    machine: {
      cores: opts.cores ?? 1,
      frames: 6 + dataFrames,
      // No TLB by default: every access walks and sets A, so the A bits are the whole story.
      tlb: opts.tlb ? { sets: 4, ways: 2 } : { sets: 0, ways: 0 },
      protocol: 'linux-x86',
      swap,
    },
    processes: opts.procs ?? [{ pid: 1, name: 'p', vmas: [{ start: va(0), pages: 16, prot: 'rw' }] }],
    threads,
    keyMoments: [],
  };
  const b = createMachine(spec);
  if (!b.ok) throw new Error(b.error);
  return b.machine;
}

const one = (program: OpSpec[]): ThreadSpec[] => [{ tid: 0, pid: 1, core: 0, program }];

function of<T extends SimEvent['type']>(ev: SimEvent[], type: T): Extract<SimEvent, { type: T }>[] {
  return ev.filter((e): e is Extract<SimEvent, { type: T }> => e.type === type);
}

/** The page (index from BASE) each reclaim took, in order. */
function victims(m: Machine, ev: SimEvent[]): number[] {
  void m;
  return of(ev, 'reclaim.victim').map((e) => (Number(BigInt(e.vas[0] ?? '0x0')) - BASE) / 4096);
}

describe('swap round trip', () => {
  it('a written value comes back after its page was swapped out, in another frame', () => {
    const m = machine(
      2,
      { slots: 4, policy: 'clock' },
      one([w(0, 11), w(1, 22), w(2, 33), r(0), r(1), r(2)]),
    );
    const ev = runToEnd(m);
    expect(m.stats.violations).toBe(0);
    const out = of(ev, 'swap.out');
    expect(out[0]).toMatchObject({ slot: 0, dirty: true });
    const firstPa = of(ev, 'access.done').find((e) => e.va === va(0, 8))?.pa;
    const reads = of(ev, 'access.done').filter((e) => e.kind === 'read');
    expect(reads.map((e) => e.value)).toEqual([11, 22, 33]);
    // Page 0 came back from slot 0 into a frame that another page had meanwhile.
    const inA = of(ev, 'swap.in').find((e) => e.va === va(0, 8));
    expect(inA).toMatchObject({ slot: 0, cached: false });
    expect(reads[0]?.pa).not.toBe(firstPa);
    expect(of(ev, 'fault.resolved').filter((e) => e.how === 'swap-in')).toHaveLength(3);
  });

  it('the PTE of a swapped-out page holds a Linux swap entry naming its slot', () => {
    const m = machine(2, { slots: 4, policy: 'fifo' }, one([w(0, 1), w(1, 2), w(2, 3)]));
    runToEnd(m);
    const proc = m.procs[0];
    if (!proc) throw new Error('no process');
    const pte = findPte(m, proc, vpn(0));
    expect(pte && pte.lo & 1).toBe(0);
    expect(pte && decodeSwapEntry(pte.lo, pte.hi)).toEqual({ type: 0, offset: 0, exclusive: true });
    expect(m.swap?.count[0]).toBe(1);
    expect(Array.from(m.swap?.data[0] ?? []).slice(0, 3)).toEqual([0, 0, 1]);
  });
});

describe('clean pages', () => {
  it('a page swapped in and only read is dropped without a write when reclaimed again', () => {
    // The lesson's sequence on one core: A out (written), A in (clean, stays in the swap cache),
    // later A out again: no write.
    const m = machine(
      2,
      { slots: 4, policy: 'clock' },
      one([w(0, 11), w(1, 22), w(2, 33), r(0), r(1), r(2)]),
    );
    const ev = runToEnd(m);
    const out = of(ev, 'swap.out');
    const clean = out.filter((e) => !e.dirty);
    expect(clean).toEqual([expect.objectContaining({ slot: 0 })]);
    // Writes to the device: only the dirty ones.
    expect(m.swap?.writes).toBe(out.filter((e) => e.dirty).length);
    expect(m.swap?.writes).toBe(3);
  });

  it('a page written after swap-in is written again, to the same slot', () => {
    const m = machine(
      2,
      { slots: 4, policy: 'fifo' },
      one([w(0, 11), w(1, 22), w(2, 33), r(0), w(0, 44), w(3, 5), w(4, 6), r(0)]),
    );
    const ev = runToEnd(m);
    const outs0 = of(ev, 'swap.out').filter((e) => e.slot === 0);
    expect(outs0.map((e) => e.dirty)).toEqual([true, true]);
    expect(of(ev, 'access.done').at(-1)).toMatchObject({ kind: 'read', value: 44 });
  });
});

describe('clock: second chance', () => {
  it('skips a page used since the last pass, clearing its A bit, and takes the next', () => {
    // Three frames: A, B, C. D: a full turn clears every A bit, then A goes. B is read again;
    // E: the hand reaches B (young: cleared, passed over), then C (old): C goes.
    const m = machine(
      3,
      { slots: 4, policy: 'clock' },
      one([w(0, 1), w(1, 2), w(2, 3), w(3, 4), r(1), w(4, 5)]),
    );
    const ev = runToEnd(m);
    expect(victims(m, ev)).toEqual([0, 2]);
    const begins = ev.flatMap((e, i) => (e.type === 'reclaim.begin' ? [i] : []));
    const second = ev.slice(begins[1]).filter((e) => e.type === 'reclaim.scan');
    expect(second.map((e) => e.type === 'reclaim.scan' && [e.vas[0], e.young])).toEqual([
      [va(1), true],
      [va(2), false],
    ]);
    // FIFO, on the same accesses, takes B: it was loaded before C and FIFO ignores the use.
    const f = machine(
      3,
      { slots: 4, policy: 'fifo' },
      one([w(0, 1), w(1, 2), w(2, 3), w(3, 4), r(1), w(4, 5)]),
    );
    expect(victims(f, runToEnd(f))).toEqual([0, 1]);
  });

  it('clears A without a TLB flush: a page read through a cached entry still looks unused', () => {
    // With a TLB, the read of B hits its cached entry: no walk, so B's cleared A bit stays clear
    // and the hand takes B although it was just used (ptep_clear_flush_young's trade-off).
    const m = machine(
      3,
      { slots: 4, policy: 'clock' },
      one([w(0, 1), w(1, 2), w(2, 3), w(3, 4), r(1), w(4, 5)]),
      {
        tlb: true,
      },
    );
    const ev = runToEnd(m);
    expect(victims(m, ev)).toEqual([0, 1]);
    expect(of(ev, 'tlb.hit').some((e) => e.va === va(1))).toBe(true);
    expect(m.stats.violations).toBe(0);
  });
});

describe('textbook policies on one crafted case', () => {
  // Four frames loaded A, B, C, E; then A and C read again (recency: B oldest, C newest); then D
  // needs a frame. The program goes on to read A, C and B, never E again.
  const program = [w(0, 1), w(1, 2), w(2, 3), w(4, 5), r(0), r(2), w(3, 4), r(0), r(2), r(1)];
  it.each([
    ['fifo', 0],
    ['lru', 1],
    ['mru', 2],
    ['opt', 4],
    ['clock', 0],
  ] as const)('%s takes page %i first', (policy, page) => {
    const m = machine(4, { slots: 8, policy }, one(program));
    const ev = runToEnd(m);
    expect(victims(m, ev)[0]).toBe(page);
    expect(m.stats.violations).toBe(0);
    // Whatever the policy, every read sees what was written.
    expect(
      of(ev, 'access.done')
        .filter((e) => e.kind === 'read')
        .map((e) => e.value),
    ).toEqual([1, 3, 1, 3, 2]);
  });
});

describe('fork and munmap keep slot counts', () => {
  it('fork duplicates a swap entry (E cleared on both sides); each munmap drops one use; the last frees the slot', () => {
    // Parent: pages 0-4 fill five frames, page 5 pushes page 0 out; 1-5 are unmapped to make
    // room for fork's four page tables and one page.
    const parent: OpSpec[] = [
      ...fill(5),
      { op: 'munmap', va: va(1), pages: 5 },
      { op: 'fork', child: 2 },
      { op: 'wait', flag: 'child-done' },
      { op: 'munmap', va: va(0), pages: 1 },
    ];
    const child: OpSpec[] = [
      r(0),
      { op: 'munmap', va: va(0), pages: 1 },
      { op: 'signal', flag: 'child-done' },
    ];
    const m = machine(
      5,
      { slots: 4, policy: 'fifo' },
      [
        { tid: 0, pid: 1, core: 0, program: parent },
        { tid: 1, pid: 2, core: 1, program: child },
      ],
      {
        cores: 2,
        procs: [
          { pid: 1, name: 'p', vmas: [{ start: va(0), pages: 16, prot: 'rw' }] },
          { pid: 2, name: 'c', vmas: [], forkOf: 1 },
        ],
      },
    );
    const ev = runToEnd(m);
    expect(m.stats.violations).toBe(0);
    expect(of(ev, 'syscall.exit').find((e) => e.name === 'fork')?.ret).toBe(2);
    const forkWrites = of(ev, 'pte.write').filter(
      (e) => e.va === va(0) && decodeSwapEntry(...split(e.new)) !== null,
    );
    // Out (E set), then fork: parent's E cleared, child's copy without E.
    expect(forkWrites.map((e) => [e.pid, decodeSwapEntry(...split(e.new))?.exclusive])).toEqual([
      [1, true],
      [1, false],
      [2, false],
    ]);
    // The child's read of a shared entry maps the page read-only from the slot.
    expect(of(ev, 'swap.in')[0]).toMatchObject({ slot: 0, cached: false, writable: false });
    expect(of(ev, 'access.done').find((e) => e.tid === 1)?.value).toBe(7);
    // Only the parent's munmap, the last user, frees the slot.
    expect(of(ev, 'swap.free')).toEqual([expect.objectContaining({ slot: 0, why: 'munmap' })]);
    expect(m.swap?.used.every((u) => !u)).toBe(true);
  });

  it('a write to a shared swapped page copies it in the same fault, and the other side keeps the old value', () => {
    // As above with six frames: after fork two are free, enough for the read and the copy.
    const parent: OpSpec[] = [
      ...fill(6),
      { op: 'munmap', va: va(1), pages: 6 },
      { op: 'fork', child: 2 },
      w(0, 8),
      { op: 'signal', flag: 'parent-wrote' },
    ];
    const child: OpSpec[] = [{ op: 'wait', flag: 'parent-wrote' }, r(0)];
    const m = machine(
      6,
      { slots: 4, policy: 'fifo' },
      [
        { tid: 0, pid: 1, core: 0, program: parent },
        { tid: 1, pid: 2, core: 1, program: child },
      ],
      {
        cores: 2,
        procs: [
          { pid: 1, name: 'p', vmas: [{ start: va(0), pages: 16, prot: 'rw' }] },
          { pid: 2, name: 'c', vmas: [], forkOf: 1 },
        ],
      },
    );
    const ev = runToEnd(m);
    expect(m.stats.violations).toBe(0);
    const ins = of(ev, 'swap.in');
    expect(ins[0]).toMatchObject({ writable: true, cached: false });
    expect(ins[0]?.copy).toBeDefined();
    expect(of(ev, 'access.done').find((e) => e.tid === 1 && e.kind === 'read')?.value).toBe(7);
  });
});

/** Writes page 0 (value 7) to page n: with n data frames, page 0 is swapped out at the end. */
function fill(n: number): OpSpec[] {
  return Array.from({ length: n + 1 }, (_, i) => w(i, i === 0 ? 7 : i));
}

function split(hex: string): [number, number] {
  const v = BigInt(hex);
  return [Number(v & 0xffffffffn), Number(v >> 32n)];
}
