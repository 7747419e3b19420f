// A big run's snapshots carry only the shown process's page-table tree; a small one's carry all.
import { describe, expect, it } from 'vitest';
import { countEntries, TREE_ENTRIES_SENT_WHOLE } from '../core/view/treePid';
import { loadSession, seekTo, snapshotOf } from './session';

function load(id: string) {
  const r = loadSession(id);
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

describe('page-table trees in snapshots', () => {
  it('stress-16 sends one full tree, the auto process, and the chosen one once chosen', () => {
    const s = load('stress-16');
    seekTo(s, 2000);
    const snap = snapshotOf(s);
    const full = snap.procs.filter((p) => !p.treeOmitted);
    expect(full.map((p) => p.pid)).toEqual([snap.autoPid]);
    expect(snap.procs.filter((p) => p.treeOmitted).every((p) => p.root.entries.length === 0)).toBe(true);
    // What was left out is what made the snapshot big.
    s.treePid = null;
    const other = snap.procs.find((p) => p.pid !== snap.autoPid && p.alive);
    expect(other).toBeDefined();
    s.treePid = other?.pid ?? null;
    const chosen = snapshotOf(s);
    const shown = chosen.procs.find((p) => p.pid === other?.pid);
    expect(shown?.treeOmitted).toBeUndefined();
    expect(countEntries(shown?.root ?? ({ entries: [] } as never))).toBeGreaterThan(0);
    expect(chosen.procs.filter((p) => !p.treeOmitted)).toHaveLength(1);
    // Everything but the trees is the same snapshot.
    const strip = (x: typeof snap) => JSON.stringify({ ...x, procs: x.procs.map((p) => p.pid) });
    expect(strip(chosen)).toBe(strip(snap));
  });

  it('a lesson with small trees sends every tree whole', () => {
    const s = load('copy-on-write');
    seekTo(s, 20);
    const snap = snapshotOf(s);
    const total = snap.procs.reduce((n, p) => n + countEntries(p.root), 0);
    expect(total).toBeLessThanOrEqual(TREE_ENTRIES_SENT_WHOLE);
    expect(snap.procs.length).toBeGreaterThan(1);
    expect(snap.procs.some((p) => p.treeOmitted)).toBe(false);
  });
});
