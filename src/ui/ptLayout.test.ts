import { describe, expect, it } from 'vitest';
import type { PtEntryView, PtNodeView } from '../core/view/snapshot';
import {
  fitView,
  HEAD,
  INDENT,
  layoutStacked,
  layoutTree,
  MIN_FIT,
  pickLayout,
  ROW,
  showsBox,
  visibleEdges,
  visibleNodes,
  visibleRect,
  visibleRows,
  W,
} from './ptLayout';
import { buildTree } from './ptModel';

function leaf(index: number): PtEntryView {
  return { index, raw: '0x0', flags: 'P RW', va: '0x0', pfn: 500 + index, leaf: true, child: null };
}

function pointer(index: number, child: PtNodeView): PtEntryView {
  return { index, raw: '0x0', flags: 'P RW', va: '0x0', pfn: child.pfn, leaf: false, child };
}

/** A PD with `n` page tables, each mapping two pages (so no runs fold). */
function wideTree(n: number): PtNodeView {
  const pts = Array.from({ length: n }, (_, i) => ({ pfn: 100 + i, level: 1, entries: [leaf(0), leaf(2)] }));
  return { pfn: 4, level: 2, entries: pts.map((p, i) => pointer(i, p)) };
}

function laid(n: number, layout = layoutTree) {
  const walk = new Map<string, readonly [number, number]>([
    ['2:4', [0, 0]],
    [`1:${100 + n - 1}`, [0, 1]],
  ]);
  return layout(
    buildTree({
      root: wideTree(n),
      walk,
      writes: [],
      collapsed: new Map([['pt', false]]),
      expanded: new Set(),
    }),
  );
}

describe('layoutTree', () => {
  it('puts children below their parent without overlapping each other', () => {
    const lay = laid(5);
    const [root, ...kids] = lay.nodes;
    expect(kids).toHaveLength(5);
    for (const k of kids) expect(k.y).toBeGreaterThan((root?.y ?? 0) + (root?.h ?? 0));
    const xs = kids.map((k) => k.x).sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) expect((xs[i] ?? 0) - (xs[i - 1] ?? 0)).toBeGreaterThanOrEqual(W);
    expect(lay.edges).toHaveLength(5);
    expect(lay.edges.filter((e) => e.walkPos >= 0)).toHaveLength(1);
  });
});

describe('layoutStacked', () => {
  it('puts each table below the one before, right of its parent, none overlapping', () => {
    const lay = laid(5, layoutStacked);
    const [root, ...kids] = lay.nodes;
    if (!root) throw new Error('no root');
    expect(kids).toHaveLength(5);
    for (const [i, k] of kids.entries()) {
      expect(k.x).toBe(root.x + INDENT);
      const above = lay.nodes[i];
      if (!above) throw new Error('no box above');
      expect(k.y).toBeGreaterThanOrEqual(above.y + above.h);
    }
    // One column: no wider than a box and its indents.
    expect(lay.width).toBeLessThan(W + 3 * INDENT + 40);
    expect(lay.edges).toHaveLength(5);
    expect(lay.edges.filter((e) => e.walkPos >= 0)).toHaveLength(1);
  });

  it("joins each table to its parent's row: the connector leaves at the row's height", () => {
    const lay = laid(3, layoutStacked);
    const root = lay.nodes[0];
    if (!root) throw new Error('no root');
    for (const [i, e] of lay.edges.entries()) {
      const kid = lay.nodes[i + 1];
      if (!kid) throw new Error('no table');
      const first = e.points[0];
      const last = e.points.at(-1);
      expect(first?.[1]).toBe(root.y + HEAD + (root.tops[kid.box.parentRow] ?? 0) + ROW / 2);
      expect(last?.[1]).toBe(kid.y + HEAD / 2);
      // The bus runs left of the parent's box, clear of every box.
      const bus = e.points[1]?.[0] ?? 0;
      expect(bus).toBeLessThan(root.x);
    }
  });
});

describe('pickLayout', () => {
  it('keeps the levels for a chain, stacks a tree that branches in a narrow column', () => {
    const chain = { levels: laid(1), stacked: laid(1, layoutStacked) };
    expect(pickLayout(chain.levels, chain.stacked, 340, 400)).toBe('levels');
    const two = { levels: laid(2), stacked: laid(2, layoutStacked) };
    expect(pickLayout(two.levels, two.stacked, 340, 600)).toBe('stacked');
    // A wide panel shows the levels whole at a larger scale.
    expect(pickLayout(two.levels, two.stacked, 1600, 300)).toBe('levels');
    // When neither shows the tree whole at a readable scale, the nearer one: sixty tables side
    // by side are further from fitting a column than sixty stacked (fitView centres on the walk).
    const many = { levels: laid(60), stacked: laid(60, layoutStacked) };
    expect(pickLayout(many.levels, many.stacked, 340, 400)).toBe('stacked');
    // A chain in a tiny view: the levels are narrower than the indented column.
    expect(pickLayout(chain.levels, chain.stacked, 100, 100)).toBe('levels');
  });

  it('keeps the layout a tree was drawn in unless the other shows it 15% larger', () => {
    const sized = (scale: number) => ({ nodes: [], edges: [], width: 100 / scale, height: 100 / scale });
    // Whole scales in a 100 x 100 view: levels 1.0; stacked 10% or 20% larger.
    const levels = sized(1);
    const little = sized(1.1);
    const much = sized(1.2);
    expect(pickLayout(levels, little, 100, 100)).toBe('stacked');
    expect(pickLayout(levels, little, 100, 100, 'levels')).toBe('levels');
    expect(pickLayout(levels, much, 100, 100, 'levels')).toBe('stacked');
    // And back: stacked stays until the levels are 15% larger.
    expect(pickLayout(sized(1.1), levels, 100, 100, 'stacked')).toBe('stacked');
    expect(pickLayout(sized(1.2), levels, 100, 100, 'stacked')).toBe('levels');
    // Neither readable whole: the same rule.
    expect(pickLayout(sized(0.3), sized(0.5), 100, 100, 'levels')).toBe('stacked');
    expect(pickLayout(sized(0.5), sized(0.3), 100, 100, 'stacked')).toBe('levels');
  });
});

describe('culling', () => {
  it('keeps only the boxes and edges that meet the visible rect', () => {
    const lay = laid(40);
    const r = visibleRect({ k: 1, x: 0, y: 0 }, 800, 2000);
    const seen = visibleNodes(lay.nodes, r);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(lay.nodes.length);
    for (const n of seen) expect(n.x).toBeLessThanOrEqual(800);
    expect(visibleEdges(lay.edges, r).length).toBeLessThan(lay.edges.length);
    // Zoomed out far enough, everything shows.
    const all = visibleRect({ k: 0.05, x: 0, y: 0 }, 800, 600);
    expect(visibleNodes(lay.nodes, all)).toHaveLength(lay.nodes.length);
  });

  it('maps a zoom transform to tree coordinates', () => {
    expect(visibleRect({ k: 2, x: -100, y: -50 }, 400, 300)).toEqual({ x0: 50, y0: 25, x1: 250, y1: 175 });
  });

  it('draws only the rows of a tall box that the rect covers', () => {
    const r = { x0: 0, y0: 1000, x1: 100, y1: 1000 + 10 * ROW };
    const tops = Array.from({ length: 513 }, (_, i) => i * ROW);
    const [first, end] = visibleRows(0, tops, r);
    expect(first).toBe(Math.floor((1000 - HEAD) / ROW));
    expect(end - first).toBeLessThanOrEqual(11);
    expect(end - first).toBeGreaterThanOrEqual(10);
    expect(visibleRows(5000, tops.slice(0, 21), r)).toEqual([0, 0]);
    expect(visibleRows(-100000, tops, r)).toEqual([512, 512]);
  });
});

describe('fitView', () => {
  it('fits a small tree whole', () => {
    const lay = laid(1);
    const v = fitView(lay, 2000, 2000, undefined);
    expect(lay.width * v.k).toBeLessThanOrEqual(2000 + 1e-9);
    expect(v.k).toBeGreaterThanOrEqual(MIN_FIT);
  });

  it('keeps a wide tree readable and shows the walk', () => {
    const lay = laid(60);
    const focus = lay.nodes.find((n) => n.box.walkPos === 1);
    const v = fitView(lay, 600, 400, focus);
    expect(v.k).toBe(MIN_FIT);
    expect(focus && showsBox(v, 600, 400, focus)).toBe(true);
  });
});
