// Where the page-table boxes go (d3-hierarchy tree(), one row of boxes per level) and which of
// them the zoomed viewport can see: only those are drawn, so a tree with thousands of rows stays
// cheap to pan and zoom. Pure geometry, unit-tested.
import { hierarchy, tree } from 'd3-hierarchy';
import type { Row, TableBox } from './ptModel';

export const W = 350;
export const HEAD = 28;
export const ROW = 26;
/** Gap and fold rows (an empty range, or the head of a listed range) are thinner. */
export const THIN = 22;
export const GAP_Y = 16;
/** A collapsed box's last line: what it hides. */
export const FOOT = 18;
export const GAP_X = 36;
export const PAD = 10;
export const TOP = 22;
export const ELBOW = 14;

export interface Laid {
  box: TableBox;
  /** Left edge and top of the box, in tree coordinates. */
  x: number;
  y: number;
  h: number;
  /** Top of each row below the head, relative to the first row; one more for the end. */
  tops: number[];
}

export interface Edge {
  key: string;
  /** The elbow's points, in tree coordinates. */
  points: [number, number][];
  walkPos: number;
}

export interface TreeLayout {
  nodes: Laid[];
  edges: Edge[];
  width: number;
  height: number;
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function rowHeight(r: Row): number {
  return r.kind === 'gap' || r.kind === 'fold' ? THIN : ROW;
}

export function rowTops(rows: readonly Row[]): number[] {
  const tops = [0];
  for (const r of rows) tops.push((tops[tops.length - 1] as number) + rowHeight(r));
  return tops;
}

function heightOf(b: TableBox, tops: readonly number[]): number {
  return HEAD + (tops.at(-1) ?? 0) + (b.collapsed ? FOOT : 0) + 6;
}

export function boxHeight(b: TableBox): number {
  return heightOf(b, rowTops(b.rows));
}

export function layoutTree(root: TableBox): TreeLayout {
  const h = hierarchy(root, (b) => b.children);
  const laidOut = tree<TableBox>()
    .nodeSize([W + GAP_X, 1])
    .separation(() => 1)(h);
  const all = laidOut.descendants();
  // Rows of boxes: each depth starts below the tallest box of the depth above.
  const tallest: number[] = [];
  for (const n of all) tallest[n.depth] = Math.max(tallest[n.depth] ?? 0, boxHeight(n.data));
  const depthTop: number[] = [TOP];
  for (let d = 1; d < tallest.length; d++)
    depthTop.push((depthTop[d - 1] ?? 0) + (tallest[d - 1] ?? 0) + GAP_Y);
  let minX = Number.POSITIVE_INFINITY;
  for (const n of all) minX = Math.min(minX, n.x);
  minX -= W / 2 + PAD;
  const pos = new Map<unknown, Laid>();
  const nodes: Laid[] = all.map((n) => {
    const tops = rowTops(n.data.rows);
    const l = {
      box: n.data,
      x: n.x - minX - W / 2,
      y: depthTop[n.depth] ?? 0,
      h: heightOf(n.data, tops),
      tops,
    };
    pos.set(n, l);
    return l;
  });
  const edges: Edge[] = [];
  for (const n of all) {
    const p = n.parent ? pos.get(n.parent) : undefined;
    const c = pos.get(n);
    if (!p || !c) continue;
    const row = p.box.rows[n.data.parentRow];
    const sx = p.x + W;
    const sy = p.y + HEAD + (p.tops[n.data.parentRow] ?? 0) + ROW / 2;
    const midY = c.y - GAP_Y / 2;
    const cx = c.x + W / 2;
    edges.push({
      key: `edge-${c.box.key}`,
      points: [
        [sx - 6, sy],
        [sx + ELBOW, sy],
        [sx + ELBOW, midY],
        [cx, midY],
        [cx, c.y - 2],
      ],
      walkPos: row?.onWalk ? p.box.walkPos : -1,
    });
  }
  let width = 0;
  let height = 0;
  for (const n of nodes) {
    width = Math.max(width, n.x + W + ELBOW + PAD);
    height = Math.max(height, n.y + n.h + PAD);
  }
  return { nodes, edges, width, height };
}

/** How far a table sits right of its parent in the stacked layout. */
export const INDENT = 24;
/** Where the stacked layout's connectors run: this far left of the parent's box. */
const BUS = 8;

/**
 * The tree as one column of boxes (a file-explorer outline): each table below the one before it
 * in walk order, INDENT right of its parent, its connector leaving the parent's row on the left.
 * A tree with several tables on a level is then tall and narrow instead of wide, which suits the
 * page table's column: see pickLayout.
 */
export function layoutStacked(root: TableBox): TreeLayout {
  const nodes: Laid[] = [];
  const edges: Edge[] = [];
  let y = TOP;
  const place = (b: TableBox, depth: number, parent: Laid | null, parentRow: number) => {
    const tops = rowTops(b.rows);
    const l: Laid = { box: b, x: PAD + BUS + depth * INDENT, y, h: heightOf(b, tops), tops };
    nodes.push(l);
    y += l.h + GAP_Y;
    if (parent) {
      const row = parent.box.rows[parentRow];
      const sy = parent.y + HEAD + (parent.tops[parentRow] ?? 0) + ROW / 2;
      const bus = parent.x - BUS;
      const cy = l.y + HEAD / 2;
      edges.push({
        key: `edge-${b.key}`,
        points: [
          [parent.x + 6, sy],
          [bus, sy],
          [bus, cy],
          [l.x + 2, cy],
        ],
        walkPos: row?.onWalk ? parent.box.walkPos : -1,
      });
    }
    for (const c of b.children) place(c, depth + 1, l, c.parentRow);
  };
  place(root, 0, null, -1);
  let width = 0;
  let height = 0;
  for (const n of nodes) {
    width = Math.max(width, n.x + W + PAD);
    height = Math.max(height, n.y + n.h + PAD);
  }
  return { nodes, edges, width, height };
}

/** The scale at which a layout shows whole in a viewport (before the MIN_FIT / MAX_FIT bounds). */
export function wholeScale(lay: TreeLayout, width: number, height: number): number {
  return Math.min(width / lay.width, height / lay.height);
}

export type LayoutName = 'levels' | 'stacked';

/**
 * Which layout to draw in a viewport: the stacked one when it shows the whole tree clearly larger
 * (a tree that branches, in a narrow column), else the tree of levels. When neither shows it whole
 * at a readable scale, the one nearer to it; fitView then centres it on the walk. `prev`, the layout this
 * tree was last drawn in, is kept unless the other shows it 15% larger: a step that opens or
 * closes a table then does not rearrange the whole tree.
 */
export function pickLayout(
  levels: TreeLayout,
  stacked: TreeLayout,
  width: number,
  height: number,
  prev?: LayoutName,
): LayoutName {
  const a = Math.min(MAX_FIT, wholeScale(levels, width, height));
  const b = Math.min(MAX_FIT, wholeScale(stacked, width, height));
  const margin = prev === undefined ? 1.05 : 1.15;
  if (prev === 'stacked') return a > b * margin ? 'levels' : 'stacked';
  return b > a * margin ? 'stacked' : 'levels';
}

export interface View {
  k: number;
  x: number;
  y: number;
}

/** The part of the tree the viewport shows, widened by `margin` screen pixels on each side. */
export function visibleRect(t: View, width: number, height: number, margin = 0): Rect {
  return {
    x0: (-margin - t.x) / t.k,
    y0: (-margin - t.y) / t.k,
    x1: (width + margin - t.x) / t.k,
    y1: (height + margin - t.y) / t.k,
  };
}

function overlaps(r: Rect, x0: number, y0: number, x1: number, y1: number): boolean {
  return x1 >= r.x0 && x0 <= r.x1 && y1 >= r.y0 && y0 <= r.y1;
}

export function visibleNodes(nodes: readonly Laid[], r: Rect): Laid[] {
  return nodes.filter((n) => overlaps(r, n.x, n.y, n.x + W, n.y + n.h));
}

export function visibleEdges(edges: readonly Edge[], r: Rect): Edge[] {
  return edges.filter((e) => {
    const xs = e.points.map((p) => p[0]);
    const ys = e.points.map((p) => p[1]);
    return overlaps(r, Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  });
}

/** First i with tops[i] > y (binary search; tops ascend). */
function above(tops: readonly number[], y: number): number {
  let lo = 0;
  let hi = tops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tops[mid] as number) > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The rows [first, end) of a box at `top` (row offsets `tops`) inside the rect's vertical span. */
export function visibleRows(top: number, tops: readonly number[], r: Rect): [number, number] {
  const count = tops.length - 1;
  const first = Math.min(count, Math.max(0, above(tops, r.y0 - top - HEAD) - 1));
  const end = Math.min(count, above(tops, r.y1 - top - HEAD));
  return [first, Math.max(first, end)];
}

/** Scale bounds of the automatic view: below MIN_FIT the text is too small to read. */
export const MIN_FIT = 0.55;
export const MAX_FIT = 1.5;

/**
 * The automatic view: the whole tree when it fits at a readable scale, else readable and centred
 * on `focus` (the deepest table of the walk), with the top of the tree at the top when it can.
 */
export function fitView(
  lay: TreeLayout,
  width: number,
  fullHeight: number,
  focus: Laid | undefined,
  top = 0,
): View {
  const height = fullHeight - top;
  const k = Math.min(MAX_FIT, wholeScale(lay, width, height));
  if (k >= MIN_FIT) return { k, x: (width - lay.width * k) / 2, y: top };
  const kk = Math.max(MIN_FIT, k);
  const f = focus ?? lay.nodes[0];
  const fx = f ? f.x + W / 2 : lay.width / 2;
  const x = Math.min(0, Math.max(width - lay.width * kk, width / 2 - fx * kk));
  const bottom = f ? f.y + Math.min(f.h, height / kk / 2) : 0;
  const y = bottom * kk <= height ? 0 : height - bottom * kk - PAD;
  return { k: kk, x, y: y + top };
}

/** Whether the viewport shows the whole box (used to pan after the walk when it left the view). */
export function showsBox(t: View, width: number, height: number, n: Laid): boolean {
  const r = visibleRect(t, width, height);
  return n.x >= r.x0 && n.x + W <= r.x1 && n.y >= r.y0 && n.y + Math.min(n.h, HEAD + 4 * ROW) <= r.y1;
}

/** Pans (same scale) so the box's head sits in the middle of the viewport. */
export function panTo(t: View, width: number, height: number, n: Laid): View {
  return { k: t.k, x: width / 2 - (n.x + W / 2) * t.k, y: height / 3 - (n.y + HEAD) * t.k };
}
