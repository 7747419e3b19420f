import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../core/view/snapshot';
import { withReused } from './protocol';
import { exploreMore, loadSession, seekTo, snapshotOf, stepBy } from './session';
import { compactSnapshot, newWireMemo } from './wireSnapshot';

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
    let reusedTrees = 0;
    let reusedFrames = 0;
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
        // What is left out really is left out.
        for (const pid of reuse.trees)
          expect(snapshot.procs.find((p) => p.pid === pid)?.root.entries).toEqual([]);
      }
      const rebuilt = withReused(snapshot, reuse, prev);
      expect(rebuilt).toEqual(full);
      prev = rebuilt;
    }
    expect(reusedTrees).toBeGreaterThan(10);
    expect(reusedFrames).toBeGreaterThan(5);
  });

  it('a new run sends everything again, and a reused tree keeps its object', () => {
    const s = session('munmap-shootdown');
    const memo = newWireMemo();
    const first = compactSnapshot(snapshotOf(s), 1, memo);
    expect(first.reuse).toBeUndefined();
    const again = compactSnapshot(snapshotOf(s), 1, memo);
    expect(again.reuse?.frames).toBe(true);
    expect(again.reuse?.trees.length).toBeGreaterThan(0);
    const rebuilt = withReused(again.snapshot, again.reuse, first.snapshot);
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
    expect(withReused(snapshot, reuse, null)).toBe(snapshot);
  });
});
