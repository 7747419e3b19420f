// The worker's side of SnapshotReuse (protocol.ts): leaves out of a snapshot message the
// page-table trees the UI already holds and the frames that equal the previous message's. On
// stress-16 they are about 115 KB of a 135 KB snapshot, and most steps change neither; the UI
// thread then neither decodes them nor redraws what did not change.
import type { FramesView, ProcView, PtNodeView, Snapshot } from '../core/view/snapshot';
import type { SnapshotReuse } from './protocol';

/**
 * What the UI side holds of run `runId`: the last tree sent of each
 * process (the UI keeps one per process, TreeCache in protocol.ts), and the previous message's
 * frames. Kept per process because a big run shows the acting core's process, which changes
 * nearly every step: the trees come round again unchanged.
 */
export interface WireMemo {
  runId: number;
  trees: Map<number, PtNodeView>;
  frames: FramesView | null;
}

export function newWireMemo(): WireMemo {
  return { runId: -1, trees: new Map(), frames: null };
}

/**
 * Whether two plain data values (what JSON can carry) are equal, key order aside. Compared in
 * place: a step then allocates nothing to compare a 600-entry tree (JSON.stringify made 80 KB of
 * text a step, and the garbage collector paid for it).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
    n++;
  }
  for (const _ in y) n--;
  return n === 0;
}

/** The snapshot to post, with what it leaves out; updates the memo to what the UI now has. */
export function compactSnapshot(
  snap: Snapshot,
  runId: number,
  memo: WireMemo,
): { snapshot: Snapshot; reuse?: SnapshotReuse } {
  if (memo.runId !== runId) {
    memo.runId = runId;
    memo.trees.clear();
    memo.frames = null;
  }
  const trees: number[] = [];
  const procs: ProcView[] = snap.procs.map((p) => {
    if (p.treeOmitted) return p;
    const held = memo.trees.get(p.pid);
    if (!held || !sameJson(held, p.root)) {
      memo.trees.set(p.pid, p.root);
      return p;
    }
    trees.push(p.pid);
    return { ...p, root: { ...p.root, entries: [] } };
  });
  const sameFrames = memo.frames !== null && sameJson(memo.frames, snap.frames);
  memo.frames = snap.frames;
  if (trees.length === 0 && !sameFrames) return { snapshot: snap };
  return {
    snapshot: {
      ...snap,
      procs,
      ...(sameFrames ? { frames: { ...snap.frames, frames: [], freeRanges: [] } } : {}),
    },
    reuse: { trees, frames: sameFrames },
  };
}
