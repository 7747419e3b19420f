import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PtEntryView, PtNodeView, Snapshot } from '../core/view/snapshot';
import { applyTablePatch, type TreeCache, withReused } from './protocol';
import { exploreMore, loadSession, seekTo, snapshotOf, stepBy } from './session';
import { compactSnapshot, diffFrames, diffTable, newWireMemo, sameJson } from './wireSnapshot';

function session(id: string) {
  const r = loadSession(id);
  if (!r.ok) throw new Error(r.error);
  while (!exploreMore(r.session, () => true)) {}
  return r.session;
}

describe('snapshot messages leave out what did not change', () => {
  it('the UI side rebuilds every snapshot exactly, through steps, seeks and a process switch', () => {
    const s = session('stress-16');
    const memo = newWireMemo();
    let prev: Snapshot | null = null;
    const trees: TreeCache = new Map();
    let reusedTrees = 0;
    let reusedFrames = 0;
    let patchedTrees = 0;
    let patchedFrames = 0;
    const moves: (() => void)[] = [];
    for (let i = 0; i < 30; i++) moves.push(() => stepBy(s, 1));
    moves.push(() => seekTo(s, 3_800));
    for (let i = 0; i < 20; i++) moves.push(() => stepBy(s, 1));
    moves.push(() => {
      s.treePid = 2;
    });
    for (let i = 0; i < 5; i++) moves.push(() => stepBy(s, 1));
    moves.push(() => stepBy(s, -3));
    for (const move of moves) {
      move();
      const full = snapshotOf(s);
      const { snapshot, reuse } = compactSnapshot(full, 7, memo);
      if (reuse) {
        reusedTrees += reuse.trees.length;
        if (reuse.frames) reusedFrames++;
        patchedTrees += reuse.patches?.length ?? 0;
        if (reuse.framesPatch) {
          patchedFrames++;
          expect(snapshot.frames.frames).toEqual([]);
        }
        // What is left out really is left out.
        for (const pid of [...reuse.trees, ...(reuse.patches ?? []).map((p) => p.pid)])
          expect(snapshot.procs.find((p) => p.pid === pid)?.root.entries).toEqual([]);
      }
      const rebuilt = withReused(snapshot, reuse, prev, trees);
      expect(rebuilt).toEqual(full);
      prev = rebuilt;
    }
    expect(reusedTrees).toBeGreaterThan(10);
    expect(reusedFrames).toBeGreaterThan(5);
    expect(patchedTrees).toBeGreaterThan(5);
    expect(patchedFrames).toBeGreaterThan(2);
  });

  it('a changed tree travels as its changes, and its unchanged tables keep their objects', () => {
    const s = session('stress-16');
    seekTo(s, 3_800);
    const memo = newWireMemo();
    const trees: TreeCache = new Map();
    let prev: Snapshot | null = null;
    let patched = 0;
    for (let i = 0; i < 40; i++) {
      stepBy(s, 1);
      const full = snapshotOf(s);
      const msg = compactSnapshot(full, 4, memo);
      const before = new Map(trees);
      const rebuilt = withReused(msg.snapshot, msg.reuse, prev, trees);
      expect(rebuilt).toEqual(full);
      for (const { pid, patch } of msg.reuse?.patches ?? []) {
        patched++;
        // Far smaller than the tree it stands for.
        const tree = full.procs.find((p) => p.pid === pid)?.root;
        expect(JSON.stringify(patch).length * 5).toBeLessThan(JSON.stringify(tree).length);
        // Every entry equal to the held tree's entry of the same table and index (its subtree
        // included) is that entry's object.
        const held = before.get(pid);
        const now = rebuilt.procs.find((p) => p.pid === pid)?.root;
        if (!held || !now) throw new Error('no tree');
        const heldTables = tablesOf(held);
        let kept = 0;
        let changed = 0;
        for (const t of tablesOf(now).values()) {
          const old = heldTables.get(t.pfn);
          for (const e of t.entries) {
            const was = old?.entries.find((x) => x.index === e.index);
            if (was && sameJson(was, e)) {
              expect(e).toBe(was);
              kept++;
            } else changed++;
          }
        }
        expect(kept).toBeGreaterThan(changed);
      }
      prev = rebuilt;
    }
    expect(patched).toBeGreaterThan(5);
  });

  it('a new run sends everything again, and a reused tree keeps its object', () => {
    const s = session('munmap-shootdown');
    const memo = newWireMemo();
    const first = compactSnapshot(snapshotOf(s), 1, memo);
    expect(first.reuse).toBeUndefined();
    const again = compactSnapshot(snapshotOf(s), 1, memo);
    expect(again.reuse?.frames).toBe(true);
    expect(again.reuse?.trees.length).toBeGreaterThan(0);
    const trees: TreeCache = new Map();
    withReused(first.snapshot, first.reuse, null, trees);
    const rebuilt = withReused(again.snapshot, again.reuse, first.snapshot, trees);
    expect(rebuilt.frames).toBe(first.snapshot.frames);
    expect(rebuilt.procs[0]?.root).toBe(first.snapshot.procs[0]?.root);
    // Another runId: the UI has nothing of this run yet.
    expect(compactSnapshot(snapshotOf(s), 2, memo).reuse).toBeUndefined();
  });

  it('without a previous snapshot the message is used as sent', () => {
    const s = session('munmap-shootdown');
    const memo = newWireMemo();
    compactSnapshot(snapshotOf(s), 1, memo);
    const { snapshot, reuse } = compactSnapshot(snapshotOf(s), 1, memo);
    expect(withReused(snapshot, reuse, null, new Map())).toBe(snapshot);
  });

  it("a process's tree comes back from the UI's copy after other processes were shown", () => {
    // stress-16 shows the acting core's process: it changes nearly every step.
    const s = session('stress-16');
    seekTo(s, 3_800);
    const memo = newWireMemo();
    const trees: TreeCache = new Map();
    let prev: Snapshot | null = null;
    const shown: number[] = [];
    let fromCopy = 0;
    for (let i = 0; i < 40; i++) {
      stepBy(s, 1);
      const full = snapshotOf(s);
      const { snapshot, reuse } = compactSnapshot(full, 3, memo);
      const pid = full.procs.find((p) => !p.treeOmitted)?.pid ?? -1;
      // Reused although the previous message carried another process's tree.
      if (reuse?.trees.includes(pid) && shown.at(-1) !== pid) fromCopy++;
      shown.push(pid);
      const rebuilt = withReused(snapshot, reuse, prev, trees);
      expect(rebuilt).toEqual(full);
      prev = rebuilt;
    }
    expect(new Set(shown).size).toBeGreaterThan(2);
    expect(fromCopy).toBeGreaterThan(5);
  });
});

function tablesOf(root: PtNodeView): Map<number, PtNodeView> {
  const out = new Map<number, PtNodeView>();
  const walk = (t: PtNodeView) => {
    out.set(t.pfn, t);
    for (const e of t.entries) if (e.child) walk(e.child);
  };
  walk(root);
  return out;
}

/** Small page tables over few frames, indexes and flags: two of them share much, and differ some. */
function arbTable(level: number): fc.Arbitrary<PtNodeView> {
  const entry = (index: number): fc.Arbitrary<PtEntryView> =>
    fc.record({
      index: fc.constant(index),
      raw: fc.constantFrom('0x1067', '0x2007'),
      flags: fc.constantFrom('P', 'P A', 'P A D'),
      va: fc.constant(`0x${index.toString(16)}`),
      pfn: fc.integer({ min: 1, max: 3 }),
      leaf: fc.constant(level === 1),
      child: level === 1 ? fc.constant(null) : fc.option(arbTable(level - 1), { nil: null, freq: 2 }),
    });
  return fc
    .record({
      pfn: fc.integer({ min: 1, max: 3 }),
      level: fc.constant(level),
      entries: fc
        .uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 4 })
        .chain((ix) => fc.tuple(...[...ix].sort((a, b) => a - b).map(entry))),
      cut: fc.option(fc.constant(2000), { nil: undefined, freq: 5 }),
    })
    .map(({ cut, ...t }) => (cut === undefined ? t : { ...t, cut }));
}

describe('page-table patches (diffTable, applyTablePatch)', () => {
  it('rebuild the new table exactly on the held one, and find a table equal to itself', () => {
    fc.assert(
      fc.property(arbTable(3), arbTable(3), (held, next) => {
        const root = { ...next, pfn: held.pfn };
        expect(diffTable(held, held)).toBeNull();
        expect(diffTable(structuredClone(held), held)).toBeNull();
        const patch = diffTable(root, held);
        if (patch === null) {
          expect(sameJson(root, held)).toBe(true);
          return;
        }
        expect(applyTablePatch(held, patch)).toEqual(root);
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('refuse a patch made for another table', () => {
    const held: PtNodeView = { pfn: 1, level: 2, entries: [] };
    const patch = diffTable({ pfn: 1, level: 2, entries: [] }, { pfn: 1, level: 2, entries: [], cut: 2000 });
    if (!patch) throw new Error('the tables differ');
    expect(applyTablePatch({ ...held, pfn: 2 }, patch)).toBeNull();
    expect(applyTablePatch(held, { ...patch, entries: [5] })).toBeNull();
  });
});

describe('frame-list patches (diffFrames)', () => {
  it('keep unchanged frames by position, and carry the changed and new ones', () => {
    const f = (pfn: number, change: 'alloc' | null = null) => ({
      pfn,
      state: 'anon' as const,
      pid: 1,
      refcount: 1,
      mappers: [1],
      seq: pfn,
      span: 1,
      change,
    });
    const held = [f(1), f(2), f(3)];
    expect(diffFrames([f(1), f(3, 'alloc'), f(4)], held)).toEqual([0, f(3, 'alloc'), f(4)]);
    expect(diffFrames(held, held)).toEqual([0, 1, 2]);
  });
});

describe('sameJson', () => {
  const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

  it('agrees with deep equality of the JSON each value stands for', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameJson(a, b)).toBe(isDeepStrictEqual(roundTrip(a), roundTrip(b)));
      }),
      { seed: 6, numRuns: 500 },
    );
  });

  it('finds a copy equal, and a copy with one leaf changed different', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => typeof v === 'object' && v !== null),
        fc.nat(),
        (v, pick) => {
          const copy = structuredClone(v);
          expect(sameJson(v, copy)).toBe(true);
          // Change one leaf of the copy (the pick-th, in a walk of the value).
          const leaves: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
          const walk = (x: unknown) => {
            if (typeof x !== 'object' || x === null) return;
            const entries: [string | number, unknown][] = Array.isArray(x)
              ? x.map((c, i) => [i, c])
              : Object.entries(x);
            for (const [key, c] of entries) {
              if (typeof c === 'object' && c !== null) walk(c);
              else leaves.push({ parent: x as Record<string, unknown>, key });
            }
          };
          walk(copy);
          const leaf = leaves[pick % Math.max(1, leaves.length)];
          if (!leaf) return;
          (leaf.parent as Record<string | number, unknown>)[leaf.key] = { changed: true };
          expect(sameJson(v, copy)).toBe(false);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('sees key order as no difference, and a missing key as one', () => {
    expect(sameJson({ a: 1, b: [2, { c: 3 }] }, { b: [2, { c: 3 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
