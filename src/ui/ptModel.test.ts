import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PtEntryView, PtNodeView } from '../core/view/snapshot';
import {
  buildTree,
  COLLAPSE_OVER,
  compactRows,
  countBelow,
  entryRows,
  MIN_RUN,
  type Row,
  SLOTS,
  type TableBox,
  treeCut,
} from './ptModel';

function leaf(index: number, pfn: number, flags = 'P RW US A'): PtEntryView {
  return { index, raw: '0x0', flags, va: '0x0', pfn, leaf: true, child: null };
}

function pointer(index: number, child: PtNodeView): PtEntryView {
  return { index, raw: '0x0', flags: 'P RW US A', va: '0x0', pfn: child.pfn, leaf: false, child };
}

function table(pfn: number, level: number, entries: PtEntryView[]): PtNodeView {
  return { pfn, level, entries };
}

/** Every slot a table's folded rows stand for, in order. */
function covered(rows: readonly Row[]): number[] {
  const out: number[] = [];
  for (const r of rows) {
    if (r.kind === 'fold') continue;
    for (let i = r.index; i <= r.last; i++) out.push(i);
  }
  return out;
}

const noWalk = new Map<string, readonly [number, number]>();

describe('compactRows', () => {
  it('folds the empty range between two entries into one gap row (none before the first or after the last)', () => {
    const pt = table(9, 1, [leaf(3, 100), leaf(300, 101)]);
    const rows = compactRows('t9', 1, entryRows(pt, undefined, []), new Set());
    expect(rows.map((r) => [r.kind, r.index, r.last])).toEqual([
      ['entry', 3, 3],
      ['gap', 4, 299],
      ['entry', 300, 300],
    ]);
    expect(compactRows('t9', 1, [], new Set()).map((r) => [r.kind, r.index, r.last])).toEqual([
      ['gap', 0, 511],
    ]);
  });

  it('folds a long run of similar leaf entries, naming the frame range', () => {
    const pt = table(
      9,
      1,
      Array.from({ length: SLOTS }, (_, i) => leaf(i, 1040 + i)),
    );
    const rows = compactRows('t9', 1, entryRows(pt, undefined, []), new Set());
    expect(rows).toHaveLength(1);
    expect(rows[0]?.kind).toBe('run');
    expect(rows[0]?.title).toContain('512 pages, frames 1040–1551');
    expect(rows[0]?.flags).toEqual(['P', 'RW', 'US', 'A']);
  });

  it('splits runs where the flags change, and keeps short runs as single entries', () => {
    const entries = [
      ...Array.from({ length: MIN_RUN + 2 }, (_, i) => leaf(i, 10 + i)),
      ...Array.from({ length: MIN_RUN - 1 }, (_, i) => leaf(MIN_RUN + 2 + i, 50 + i, 'P RW US A D')),
    ];
    const rows = compactRows('t9', 1, entryRows(table(9, 1, entries), undefined, []), new Set());
    expect(rows.map((r) => r.kind)).toEqual(['run', ...Array(MIN_RUN - 1).fill('entry')]);
  });

  it('never folds the entry the walk reads or one written this step', () => {
    const pt = table(
      9,
      1,
      Array.from({ length: 2 * MIN_RUN + 1 }, (_, i) => leaf(i, 10 + i)),
    );
    const rows = compactRows('t9', 1, entryRows(pt, MIN_RUN, []), new Set());
    const walk = rows.find((r) => r.onWalk);
    expect(walk).toMatchObject({ kind: 'entry', index: MIN_RUN });
    expect(rows.map((r) => r.kind)).toEqual(['run', 'entry', 'run']);
  });

  it('shows the missing entry a faulting walk stops at, splitting the gap around it', () => {
    const pt = table(9, 1, [leaf(0, 10)]);
    const rows = compactRows('t9', 1, entryRows(pt, 200, []), new Set());
    expect(rows.map((r) => [r.kind, r.index, r.last])).toEqual([
      ['entry', 0, 0],
      ['gap', 1, 199],
      ['missing', 200, 200],
    ]);
  });

  it('lists an expanded range under a fold row', () => {
    const pt = table(9, 1, [leaf(0, 100), leaf(4, 101)]);
    const shut = compactRows('t9', 1, entryRows(pt, undefined, []), new Set());
    expect(shut[1]).toMatchObject({ kind: 'gap', range: 't9:g1' });
    const rows = compactRows('t9', 1, entryRows(pt, undefined, []), new Set(['t9:g1']));
    expect(rows.map((r) => [r.kind, r.index])).toEqual([
      ['entry', 0],
      ['fold', 1],
      ['empty', 1],
      ['empty', 2],
      ['empty', 3],
      ['entry', 4],
    ]);
    expect(rows[1]?.range).toBe('t9:g1');
  });

  it('covers every slot exactly once, in order, for any set of entries (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: SLOTS - 1 }), { maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        fc.option(fc.integer({ min: 0, max: SLOTS - 1 }), { nil: undefined }),
        (idx, dirty, walk) => {
          const sorted = [...idx].sort((a, b) => a - b);
          const entries = sorted.map((i, k) => leaf(i, 1000 + i, dirty[k] ? 'P RW US A D' : 'P RW US A'));
          const rows = compactRows('t1', 1, entryRows(table(1, 1, entries), walk, []), new Set());
          const lo = Math.min(...sorted, walk ?? SLOTS);
          const hi = Math.max(...sorted, walk ?? -1);
          const want =
            lo > hi
              ? Array.from({ length: SLOTS }, (_, i) => i)
              : Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
          expect(covered(rows)).toEqual(want);
          // Every present entry is in a row of its own or in a run; none hides in a gap.
          for (const r of rows)
            if (r.kind === 'gap') expect(sorted.some((i) => i >= r.index && i <= r.last)).toBe(false);
        },
      ),
    );
  });
});

function process(tablesPerPd: number): PtNodeView {
  const pts = Array.from({ length: tablesPerPd }, (_, i) =>
    table(
      100 + i,
      1,
      Array.from({ length: 8 }, (_, j) => leaf(j, 1000 + i * 8 + j)),
    ),
  );
  const pd = table(
    4,
    2,
    pts.map((pt, i) => pointer(i, pt)),
  );
  const pdpt = table(3, 3, [pointer(0, pd)]);
  return table(2, 4, [pointer(0, pdpt)]);
}

function find(b: TableBox, pfn: number): TableBox | undefined {
  if (b.table.pfn === pfn) return b;
  for (const c of b.children) {
    const f = find(c, pfn);
    if (f) return f;
  }
  return undefined;
}

describe('buildTree', () => {
  it("reuses a table's rows while it is the same object, off the walk and unwritten", () => {
    const root = process(2);
    const expanded = new Set<string>();
    const input = { root, walk: noWalk, writes: [], collapsed: new Map(), expanded };
    const a = buildTree(input);
    const b = buildTree(input);
    expect(find(b, 100)?.rows).toBe(find(a, 100)?.rows);
    // On the walk: rows of their own (the walked row is marked).
    const walked = buildTree({ ...input, walk: new Map([['1:100', [0, 3] as const]]) });
    expect(find(walked, 100)?.rows).not.toBe(find(a, 100)?.rows);
    expect(find(walked, 100)?.rows.some((r) => r.onWalk)).toBe(true);
    // Another expanded set: rebuilt.
    expect(find(buildTree({ ...input, expanded: new Set(['x']) }), 100)?.rows).not.toBe(find(a, 100)?.rows);
  });

  it('opens every table of a small tree', () => {
    const t = buildTree({
      root: process(2),
      walk: noWalk,
      writes: [],
      collapsed: new Map(),
      expanded: new Set(),
    });
    expect(find(t, 4)?.collapsed).toBe(false);
    expect(find(t, 101)).toBeDefined();
  });

  it('with many tables and no walk, opens the root only, or what keepOpen names', () => {
    const root = process(COLLAPSE_OVER + 2);
    const t = buildTree({ root, walk: noWalk, writes: [], collapsed: new Map(), expanded: new Set() });
    expect(t.collapsed).toBe(false);
    expect(find(t, 3)?.collapsed).toBe(true);
    const kept = buildTree({
      root,
      walk: noWalk,
      writes: [],
      collapsed: new Map(),
      expanded: new Set(),
      keepOpen: new Set([4]),
    });
    expect(find(kept, 3)?.collapsed).toBe(false);
    expect(find(kept, 4)?.collapsed).toBe(false);
    expect(find(kept, 100)?.collapsed).toBe(false);
  });

  it('with many tables, collapses the subtrees off the walk and counts what they hide', () => {
    const root = process(COLLAPSE_OVER + 2);
    const walk = new Map<string, readonly [number, number]>([
      ['4:2', [0, 0]],
      ['3:3', [0, 1]],
    ]);
    const t = buildTree({ root, walk, writes: [], collapsed: new Map(), expanded: new Set() });
    expect(find(t, 2)?.collapsed).toBe(false);
    const pd = find(t, 4);
    expect(pd?.collapsed).toBe(true);
    expect(pd?.children).toEqual([]);
    expect(pd?.below).toEqual({ tables: COLLAPSE_OVER + 2, pages: (COLLAPSE_OVER + 2) * 8 });
  });

  it("keeps the user's choice over the default", () => {
    const root = process(COLLAPSE_OVER + 2);
    const open = buildTree({
      root,
      walk: noWalk,
      writes: [],
      collapsed: new Map([['pt.0.0', false]]),
      expanded: new Set(),
    });
    // t3 is still collapsed by default, so the opened PD is not drawn.
    expect(find(open, 3)?.collapsed).toBe(true);
    expect(find(open, 4)).toBeUndefined();
    const pdOpen = buildTree({
      root,
      walk: noWalk,
      writes: [],
      collapsed: new Map([
        ['pt.0', false],
        ['pt.0.0', false],
      ]),
      expanded: new Set(),
    });
    expect(find(pdOpen, 4)?.children).toHaveLength(COLLAPSE_OVER + 2);
    const shut = buildTree({
      root: process(1),
      walk: noWalk,
      writes: [],
      collapsed: new Map([['pt.0', true]]),
      expanded: new Set(),
    });
    expect(find(shut, 3)?.collapsed).toBe(true);
    expect(find(shut, 4)).toBeUndefined();
  });
});

describe('treeCut', () => {
  it('finds the cap in any table of the tree, and null in a whole tree', () => {
    const whole = table(1, 4, [
      pointer(0, table(2, 3, [pointer(0, table(3, 2, [pointer(0, table(4, 1, [leaf(0, 9)]))]))])),
    ]);
    expect(treeCut(whole)).toBeNull();
    const deep = { ...table(4, 1, [leaf(0, 9)]), cut: 2000 };
    const cutTree = table(1, 4, [pointer(0, table(2, 3, [pointer(0, table(3, 2, [pointer(0, deep)]))]))]);
    expect(treeCut(cutTree)).toBe(2000);
  });
});

describe('countBelow', () => {
  // The plain recursive count the cached one must equal.
  function naive(t: PtNodeView, top = true): { tables: number; pages: number } {
    let tables = top ? 0 : 1;
    let pages = 0;
    for (const e of t.entries) {
      if (e.child) {
        const b = naive(e.child, false);
        tables += b.tables;
        pages += b.pages;
      } else if (!top && e.leaf && e.flags.split(' ').includes('P')) pages++;
    }
    return { tables, pages };
  }
  const tree = (level: number): fc.Arbitrary<PtNodeView> =>
    level === 1
      ? fc.array(fc.boolean(), { maxLength: 6 }).map((present) =>
          table(
            1,
            1,
            present.map((p, i) => leaf(i, 10 + i, p ? 'P RW' : '- RW')),
          ),
        )
      : fc.array(fc.oneof(tree(level - 1), fc.boolean()), { maxLength: 4 }).map((kids) =>
          table(
            level,
            level,
            kids.map((k, i) =>
              typeof k === 'boolean' ? leaf(i, 20 + i, k ? 'P RW PS' : '- RW') : pointer(i, k),
            ),
          ),
        );

  it('equals a plain count, for every table of random trees', () => {
    fc.assert(
      fc.property(tree(4), (root) => {
        const check = (t: PtNodeView) => {
          expect(countBelow(t)).toEqual(naive(t));
          for (const e of t.entries) if (e.child) check(e.child);
        };
        check(root);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
