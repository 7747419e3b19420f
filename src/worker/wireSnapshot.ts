// The worker's side of SnapshotReuse (protocol.ts): leaves out of a snapshot message the
// page-table trees the UI already holds and the frames that equal the previous message's. On
// stress-16 they are about 115 KB of a 135 KB snapshot, and most steps change neither; the UI
// thread then neither decodes them nor redraws what did not change.
import type { ProcView, Snapshot } from '../core/view/snapshot';
import type { SnapshotReuse } from './protocol';

/**
 * What the UI side holds of run `runId`, as JSON text to compare with: the last tree sent of each
 * process (the UI keeps one per process, TreeCache in protocol.ts), and the previous message's
 * frames. Kept per process because a big run shows the acting core's process, which changes
 * nearly every step: the trees come round again unchanged.
 */
export interface WireMemo {
  runId: number;
  trees: Map<number, string>;
  frames: string | null;
}

export function newWireMemo(): WireMemo {
  return { runId: -1, trees: new Map(), frames: null };
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
    const text = JSON.stringify(p.root);
    if (memo.trees.get(p.pid) !== text) {
      memo.trees.set(p.pid, text);
      return p;
    }
    trees.push(p.pid);
    return { ...p, root: { ...p.root, entries: [] } };
  });
  const framesText = JSON.stringify(snap.frames);
  const sameFrames = memo.frames === framesText;
  memo.frames = framesText;
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
