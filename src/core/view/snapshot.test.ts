// The snapshot's frames, cores/threads and series views, on small machines built here (the core
// may not import the scenarios): fork + copy-on-write, a two-core munmap shootdown, huge pages.
import { describe, expect, it } from 'vitest';
import { createTimeline, eventsUpTo, forward, type Timeline } from '../engine/timeline';
import type { SimEvent } from '../events';
import type { ScenarioSpec } from '../spec';
import { changedFrames, MAX_FRAME_VIEWS } from './frames';
import { statsSeries } from './series';
import { buildSnapshot, procTree, type PtNodeView, type Snapshot, TREE_ENTRY_CAP } from './snapshot';

const PAGE = '0x7f0000000000';

const cow: ScenarioSpec = {
  id: 'cow',
  title: 'cow',
  summary: '',
  seed: 1,
  machine: { cores: 2, frames: 128, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    { pid: 1, name: 'parent', vmas: [{ start: PAGE, pages: 1, prot: 'rw', name: 'data', populate: true }] },
    { pid: 2, name: 'child', vmas: [], forkOf: 1 },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'write', va: PAGE, value: 1 },
        { op: 'fork', child: 2 },
        { op: 'wait', flag: 'child-wrote' },
        { op: 'write', va: PAGE, value: 3 },
      ],
    },
    {
      tid: 1,
      pid: 2,
      core: 1,
      program: [
        { op: 'read', va: PAGE },
        { op: 'write', va: PAGE, value: 2 },
        { op: 'signal', flag: 'child-wrote' },
      ],
    },
  ],
  keyMoments: [],
};

const shootdown: ScenarioSpec = {
  id: 'sd',
  title: 'sd',
  summary: '',
  seed: 1,
  machine: { cores: 2, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    { pid: 1, name: 'app', vmas: [{ start: PAGE, pages: 2, prot: 'rw', name: 'buf', populate: true }] },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'wait', flag: 'read' },
        { op: 'munmap', va: PAGE, pages: 1 },
        { op: 'signal', flag: 'gone' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      program: [
        { op: 'read', va: PAGE },
        { op: 'signal', flag: 'read' },
        { op: 'wait', flag: 'gone' },
      ],
    },
  ],
  keyMoments: [],
};

const huge: ScenarioSpec = {
  id: 'huge',
  title: 'huge',
  summary: '',
  seed: 1,
  machine: { cores: 1, frames: 1 << 20, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [
    {
      pid: 1,
      name: 'huge',
      vmas: [
        { start: '0x7f0000200000', pages: 512, prot: 'rw', name: '2m', pageSize: '2m' },
        { start: '0x7f0040000000', pages: 262144, prot: 'rw', name: '1g', pageSize: '1g' },
      ],
    },
  ],
  threads: [{ tid: 0, pid: 1, core: 0, program: [{ op: 'read', va: '0x7f0000200123' }] }],
  keyMoments: [],
};

function timeline(spec: ScenarioSpec): Timeline {
  const r = createTimeline(spec);
  if (!r.ok) throw new Error(r.error);
  return r.timeline;
}

/** The snapshot of the timeline's current step, as the worker builds it. */
function snap(tl: Timeline): Snapshot {
  const step = tl.m.step;
  return buildSnapshot(tl.m, step > 0 ? (tl.log[step - 1] ?? []) : [], eventsUpTo(tl, step), tl.end, []);
}

/** Steps until `pred` holds for the snapshot (or fails at the end of the run). */
function until(tl: Timeline, pred: (s: Snapshot) => boolean): Snapshot {
  for (;;) {
    const s = snap(tl);
    if (pred(s)) return s;
    if (forward(tl) === null) throw new Error('never happened');
  }
}

function runAll(tl: Timeline): void {
  while (forward(tl) !== null) {}
}

describe('frames view', () => {
  it('shows the frame shared after fork with refcount 2, then two private frames after the copy', () => {
    const tl = timeline(cow);
    const data = (s: Snapshot) => s.frames.frames.filter((f) => f.state === 'anon' || f.state === 'cow');
    const shared = until(tl, (s) => s.frames.frames.some((f) => f.state === 'cow'));
    const cowFrame = shared.frames.frames.find((f) => f.state === 'cow');
    expect(cowFrame).toMatchObject({ refcount: 2, pid: 1 });
    expect(cowFrame?.mappers.slice().sort()).toEqual([1, 2]);
    expect(data(shared)).toHaveLength(1);

    // The copy: the child gets a new frame (it flashes, as does the shared frame its PTE left);
    // the shared frame keeps the child's reference until the child's stale entry is flushed.
    const copied = until(tl, (s) =>
      s.events.some((e) => e.type === 'fault.resolved' && e.how === 'cow-copy'),
    );
    const copy = data(copied).find((f) => f.pid === 2);
    expect(copy).toMatchObject({ state: 'anon', refcount: 1, change: 'alloc' });
    const old = data(copied).find((f) => f.pfn === cowFrame?.pfn);
    expect(old).toMatchObject({ state: 'cow', refcount: 2, mappers: [1], change: 'pte' });

    const apart = until(tl, (s) => data(s).every((f) => f.refcount === 1));
    const frames = data(apart);
    expect(frames.map((f) => f.state)).toEqual(['anon', 'anon']);
    expect(frames.map((f) => f.pid).sort()).toEqual([1, 2]);
    expect(frames.find((f) => f.pid === 1)?.pfn).toBe(cowFrame?.pfn);
  });

  it('counts frames and free ranges without listing free frames', () => {
    const tl = timeline(cow);
    const s = snap(tl);
    const { frames, total, used, free, freeRanges, zeroPfn } = s.frames;
    expect(total).toBe(128);
    expect(used + free).toBe(128);
    expect(frames).toHaveLength(used);
    expect(frames.find((f) => f.pfn === zeroPfn)?.state).toBe('zero');
    expect(frames.find((f) => f.pfn === 0)?.state).toBe('reserved');
    expect(frames.some((f) => f.state === 'pagetable' && f.pid === 1)).toBe(true);
    const freeCount = freeRanges.reduce((n, r) => n + r.end - r.start + 1, 0);
    expect(freeCount).toBe(free);
    expect(freeRanges.at(-1)?.end).toBe(127);
  });

  it('lists a frame freed in this step as free, and marks allocations', () => {
    const tl = timeline(shootdown);
    const freed = until(tl, (s) => s.events.some((e) => e.type === 'frame.free'));
    const ev = freed.events.find((e) => e.type === 'frame.free');
    const pfn = ev?.type === 'frame.free' ? ev.pfn : -1;
    expect(freed.frames.frames.find((f) => f.pfn === pfn)).toMatchObject({ state: 'free', change: 'free' });
    expect(freed.frames.freeRanges.some((r) => r.start <= pfn && pfn <= r.end)).toBe(true);
    const events: SimEvent[] = [
      { type: 'frame.alloc', pfn: 9, use: 'anon', step: 1, tick: 0 },
      {
        type: 'pte.write',
        pid: 1,
        table: 5,
        index: 0,
        old: '0x0000000000000000',
        new: '0x8000000000009067',
        va: PAGE,
        level: 1,
        step: 1,
        tick: 0,
      },
      {
        type: 'pte.write',
        pid: 1,
        table: 5,
        index: 1,
        old: '0x800000000000a067',
        new: '0x000000000000a066',
        va: PAGE,
        level: 1,
        step: 1,
        tick: 0,
      },
    ];
    // A present entry's frame changes; a cleared (not present) one leads nowhere.
    expect([...changedFrames(events)]).toEqual([
      [9, 'alloc'],
      [10, 'pte'],
    ]);
  });

  it('shows huge pages as one frame each, spanning 512 and 262144 frames, among 1M frames', () => {
    const tl = timeline(huge);
    runAll(tl);
    const f = snap(tl).frames;
    expect(f.total).toBe(1 << 20);
    expect(f.frames.length).toBeLessThan(20);
    expect(
      f.frames
        .filter((x) => x.span > 1)
        .map((x) => x.span)
        .sort((a, b) => a - b),
    ).toEqual([512, 262144]);
    expect(f.used).toBe(f.frames.reduce((n, x) => n + x.span, 0));
    expect(f.freeRanges.reduce((n, r) => n + r.end - r.start + 1, 0)).toBe(f.free);
    // Neither run overlaps a free range.
    for (const x of f.frames.filter((y) => y.span > 1))
      expect(f.freeRanges.some((r) => r.start < x.pfn + x.span && x.pfn <= r.end)).toBe(false);
  });

  it('caps the frames listed and says how many were left out', () => {
    const spec: ScenarioSpec = {
      ...cow,
      machine: { ...cow.machine, frames: 2048 },
      processes: [
        { pid: 1, name: 'big', vmas: [{ start: PAGE, pages: 700, prot: 'rw', name: 'big', populate: true }] },
      ],
      threads: [{ tid: 0, pid: 1, core: 0, program: [] }],
    };
    const f = snap(timeline(spec)).frames;
    expect(f.frames).toHaveLength(MAX_FRAME_VIEWS);
    expect(f.frames.length + f.omitted).toBe(f.used);
    expect(f.used).toBeGreaterThan(700);
  });
});

describe('cores and threads', () => {
  it('shows the initiator waiting for the ack, CR3 frame and tlb_gen against the mm', () => {
    const tl = timeline(shootdown);
    const first = snap(tl);
    expect(first.threads.map((t) => t.tid)).toEqual([0, 1]);
    const waiting = until(tl, (s) => s.cores[0]?.state === 'waiting');
    const c0 = waiting.cores[0];
    expect(c0?.waitingFor).toEqual([1]);
    const proc = waiting.procs.find((p) => p.pid === 1);
    expect(c0?.cr3Pfn).toBe(proc?.root.pfn);
    expect(c0?.mmGen).toBe(proc?.tlbGen);
    expect(c0?.localGen).toBe(proc?.tlbGen);
    const done = until(tl, (s) => s.cores[0]?.state !== 'waiting');
    expect(done.cores[0]?.waitingFor).toEqual([]);
    runAll(tl);
    const end = snap(tl);
    expect(end.threads.every((t) => t.state === 'exited')).toBe(true);
    expect(end.threads.every((t) => t.op === null)).toBe(true);
  });
});

describe('interrupt flag', () => {
  it('is off while a core runs the IPI handler and on again after, on every other core throughout', () => {
    const tl = timeline(shootdown);
    expect(snap(tl).cores.every((c) => c.interruptsOn)).toBe(true);
    const handler = until(tl, (s) => s.cores[1]?.state === 'interrupt');
    expect(handler.cores[1]?.interruptsOn).toBe(false);
    // The initiator waits for the ack with interrupts on (smp_call_function_many needs them on).
    expect(handler.cores[0]?.interruptsOn).toBe(true);
    const after = until(tl, (s) => s.cores[1]?.state !== 'interrupt');
    expect(after.cores[1]?.interruptsOn).toBe(true);
  });
});

describe('stats series', () => {
  it('adds up to the machine stats over a whole short run', () => {
    for (const spec of [cow, shootdown]) {
      const tl = timeline(spec);
      runAll(tl);
      const s = snap(tl);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      expect(s.series.from).toBe(1);
      expect(s.series.to).toBe(s.step);
      expect(s.series.hits).toHaveLength(s.step);
      expect(sum(s.series.hits)).toBe(s.stats.tlbHits);
      expect(sum(s.series.misses)).toBe(s.stats.tlbMisses);
      expect(sum(s.series.ipis)).toBe(s.stats.ipis);
      expect(sum(s.series.faults)).toBe(s.stats.faults);
      // The clock starts at 0: the cycles per step add up to the clock of the last step.
      expect(sum(s.series.cycles)).toBe(s.tick);
    }
  });

  it('covers only the last steps, and reads only their events', () => {
    const tl = timeline(cow);
    runAll(tl);
    const history = eventsUpTo(tl, tl.m.step);
    const full = statsSeries(history, tl.m.step);
    const tail = statsSeries(history, tl.m.step, 8);
    expect(tail.from).toBe(tl.m.step - 7);
    expect(tail.misses).toEqual(full.misses.slice(-8));
    expect(tail.ipis).toEqual(full.ipis.slice(-8));
    // A long history (the same events, many times over): the binary search reads a handful of
    // early events, the scan only the window's.
    const long: SimEvent[] = [];
    for (let k = 0; k < 2000; k++) for (const e of history) long.push({ ...e, step: e.step + k * tl.m.step });
    const last = long.at(-1)?.step ?? 0;
    let reads = 0;
    const counted = new Proxy(long, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
        return Reflect.get(target, prop, receiver);
      },
    });
    const s = statsSeries(counted, last, 16);
    const inWindow = long.filter((e) => e.step > last - 16).length;
    expect(reads).toBeLessThan(inWindow + 64);
    expect(s.misses).toEqual(statsSeries(long, last, 16).misses);
  });

  it('is empty at step 0', () => {
    expect(statsSeries([], 0)).toEqual({
      from: 1,
      to: 0,
      hits: [],
      misses: [],
      ipis: [],
      faults: [],
      cycles: [],
    });
  });
});

describe('page-table trees in a snapshot', () => {
  const big = (pages: number): ScenarioSpec => ({
    id: 'big',
    title: 'big',
    summary: '',
    seed: 1,
    machine: { cores: 1, frames: 4096, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
    processes: [
      { pid: 1, name: 'p', vmas: [{ start: PAGE, pages, prot: 'rw', name: 'data', populate: true }] },
    ],
    threads: [{ tid: 0, pid: 1, core: 0, program: [{ op: 'read', va: PAGE }] }],
    keyMoments: [],
  });
  const entries = (t: PtNodeView): number =>
    t.entries.reduce((n, e) => n + 1 + (e.child ? entries(e.child) : 0), 0);
  const cuts = (t: PtNodeView): number[] => [
    ...(t.cut === undefined ? [] : [t.cut]),
    ...t.entries.flatMap((e) => (e.child ? cuts(e.child) : [])),
  ];

  it('holds every entry of a tree under the cap, and says nothing is cut', () => {
    const tl = timeline(big(1000));
    const root = procTree(tl.m, tl.m.procs[0]?.rootPfn ?? -1);
    // 1000 PTEs in two PTs, plus the PD's 2 entries, the PDPT's and the PML4's.
    expect(entries(root)).toBe(1000 + 2 + 1 + 1);
    expect(cuts(root)).toEqual([]);
  });

  it('stops at TREE_ENTRY_CAP entries and marks each table that lost entries', () => {
    const tl = timeline(big(2100));
    const root = procTree(tl.m, tl.m.procs[0]?.rootPfn ?? -1);
    expect(entries(root)).toBe(TREE_ENTRY_CAP);
    // 2100 pages need five PTs: the PT the cap fell in, and the PD that lost its fifth PT.
    expect(cuts(root)).toEqual([TREE_ENTRY_CAP, TREE_ENTRY_CAP]);
  });
});
