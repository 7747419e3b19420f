// The worker's side of SnapshotReuse (protocol.ts): leaves out of a snapshot message the
// page-table trees the UI already holds and the frames that equal the previous message's, and
// sends a tree or frame list that did change as its changes. On stress-16 trees and frames are
// about 110 KB of a 135 KB snapshot, and a step changes a few entries of them; the UI thread then
// neither decodes what it has nor redraws what did not change.
import type {
  FrameView,
  FramesView,
  ProcView,
  PtEntryView,
  PtNodeView,
  Snapshot,
} from '../core/view/snapshot';
import type { EntryPatch, SnapshotReuse, TablePatch } from './protocol';

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

/**
 * `next` as changes to `held` (TablePatch, protocol.ts), or null when they are equal. Both hold
 * their entries in index order, so one pass pairs each entry with the held one of the same index.
 */
export function diffTable(next: PtNodeView, held: PtNodeView): TablePatch | null {
  const entries: EntryPatch[] = [];
  let same = next.pfn === held.pfn && next.level === held.level && next.cut === held.cut;
  same &&= next.entries.length === held.entries.length;
  let j = 0;
  for (const e of next.entries) {
    while (j < held.entries.length && (held.entries[j] as PtEntryView).index < e.index) j++;
    const h = held.entries[j];
    if (!h || h.index !== e.index) {
      same = false;
      entries.push(e);
    } else if (sameJson(e, h)) entries.push(j);
    else {
      same = false;
      const below = e.child && h.child && e.child.pfn === h.child.pfn && e.child.level === h.child.level;
      const child = below && e.child && h.child ? diffTable(e.child, h.child) : null;
      entries.push(child ? { at: j, entry: { ...e, child: null }, child } : e);
    }
  }
  if (same) return null;
  const patch: TablePatch = { pfn: next.pfn, level: next.level, entries };
  if (next.cut !== undefined) patch.cut = next.cut;
  return patch;
}

/** `next` as changes to `held` (SnapshotReuse.framesPatch): unchanged frames by their position in `held`. */
export function diffFrames(next: readonly FrameView[], held: readonly FrameView[]): (number | FrameView)[] {
  const at = new Map<number, number>();
  for (const [i, f] of held.entries()) at.set(f.pfn, i);
  return next.map((f) => {
    const i = at.get(f.pfn);
    return i !== undefined && sameJson(f, held[i]) ? i : f;
  });
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
  const patches: { pid: number; patch: TablePatch }[] = [];
  const procs: ProcView[] = snap.procs.map((p) => {
    if (p.treeOmitted) return p;
    const held = memo.trees.get(p.pid);
    if (!held || held.pfn !== p.root.pfn || held.level !== p.root.level) {
      memo.trees.set(p.pid, p.root);
      return p;
    }
    const patch = diffTable(p.root, held);
    if (patch) {
      memo.trees.set(p.pid, p.root);
      patches.push({ pid: p.pid, patch });
    } else trees.push(p.pid);
    return { ...p, root: { ...p.root, entries: [] } };
  });
  const heldFrames = memo.frames;
  const sameFrames = heldFrames !== null && sameJson(heldFrames, snap.frames);
  const framesPatch = heldFrames && !sameFrames ? diffFrames(snap.frames.frames, heldFrames.frames) : null;
  memo.frames = snap.frames;
  if (trees.length === 0 && patches.length === 0 && !sameFrames && !framesPatch) return { snapshot: snap };
  return {
    snapshot: {
      ...snap,
      procs,
      ...(sameFrames ? { frames: { ...snap.frames, frames: [], freeRanges: [] } } : {}),
      ...(framesPatch ? { frames: { ...snap.frames, frames: [] } } : {}),
    },
    reuse: {
      trees,
      frames: sameFrames,
      ...(patches.length > 0 ? { patches } : {}),
      ...(framesPatch ? { framesPatch } : {}),
    },
  };
}
