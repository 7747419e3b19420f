// Which process's page-table tree a snapshot carries in full. The page-table panel shows one
// process at a time; on a big machine (stress-16: 8 processes, thousands of entries) sending every
// tree in every snapshot costs the main thread more than drawing does, so the worker sends the
// shown process's tree and leaves the others' roots empty (treeOmitted) until one is chosen.
import type { SimEvent } from '../events';
import type { ProcView, PtNodeView, Snapshot } from './snapshot';

/** Above this many entries over all processes' trees, only the shown process's tree is sent. */
export const TREE_ENTRIES_SENT_WHOLE = 1500;

function eventCore(e: SimEvent): number | null {
  if ('core' in e && typeof e.core === 'number') return e.core;
  if (e.type === 'ipi.sent' || e.type === 'ipi.acked') return e.from;
  return null;
}

/**
 * The process the panel follows when the user has not chosen one: the current walk's, else the
 * one of the last core that acted in this step (or the process a pte.write names), else the first.
 */
export function autoPid(s: Pick<Snapshot, 'walk' | 'events' | 'cores' | 'procs'>): number | null {
  if (s.walk && s.walk.pid >= 0) return s.walk.pid;
  for (let i = s.events.length - 1; i >= 0; i--) {
    const e = s.events[i];
    if (!e) continue;
    // pid -1 is the kernel's shared tables: show them through the acting core's process instead.
    if ((e.type === 'pte.write' || e.type === 'shootdown.begin') && e.pid >= 0) return e.pid;
    const c = eventCore(e);
    if (c !== null) {
      const pid = s.cores[c]?.pid ?? -1;
      if (pid >= 0) return pid;
    }
  }
  return s.procs[0]?.pid ?? null;
}

export function countEntries(t: PtNodeView): number {
  let n = t.entries.length;
  for (const e of t.entries) if (e.child) n += countEntries(e.child);
  return n;
}

/**
 * The snapshot with every process's tree but `pid`'s (the chosen one, else autoPid) emptied, when
 * the trees together are big; unchanged otherwise.
 */
export function keepOneTree(s: Snapshot, chosen: number | null): Snapshot {
  const total = s.procs.reduce((n, p) => n + countEntries(p.root), 0);
  if (total <= TREE_ENTRIES_SENT_WHOLE) return s;
  const pid = chosen !== null && s.procs.some((p) => p.pid === chosen) ? chosen : s.autoPid;
  const procs: ProcView[] = s.procs.map((p) =>
    p.pid === pid ? p : { ...p, root: { ...p.root, entries: [] }, treeOmitted: true },
  );
  return { ...s, procs };
}
