// The worker's side of SnapshotReuse (protocol.ts): leaves out of a snapshot message the
// page-table trees and the frames that equal those of the run's previous snapshot message. On
// stress-16 they are about 115 KB of a 135 KB snapshot, and most steps change neither; the UI
// thread then neither decodes them nor redraws what did not change.
import type { ProcView, Snapshot } from '../core/view/snapshot';
import type { SnapshotReuse } from './protocol';

/** What the previous snapshot message of run `runId` carried, as JSON text to compare with. */
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
  const sent = new Map<number, string>();
  const procs: ProcView[] = snap.procs.map((p) => {
    if (p.treeOmitted) return p;
    const text = JSON.stringify(p.root);
    sent.set(p.pid, text);
    if (memo.trees.get(p.pid) !== text) return p;
    trees.push(p.pid);
    return { ...p, root: { ...p.root, entries: [] } };
  });
  // Only the previous message counts: a tree it left out (treeOmitted) is not on the UI side.
  memo.trees = sent;
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
