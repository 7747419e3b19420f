// A big process (1024 pages over three page tables, flags varying so few runs fold) stays cheap
// to draw: the folded rows and the viewport culling bound what reaches the DOM.
import { describe, expect, it } from 'vitest';
import type { PtEntryView, PtNodeView } from '../core/view/snapshot';
import { layoutTree, visibleNodes, visibleRect, visibleRows } from './ptLayout';
import { buildTree } from './ptModel';

/** A page table whose present pages follow a pattern: some gaps, flags changing every few pages. */
function bigPt(pfn: number, first: number, count: number): PtNodeView {
  const entries: PtEntryView[] = [];
  for (let i = 0; entries.length < count && i < 512; i++) {
    if (i % 97 === 13) continue;
    const flags = Math.floor(i / 5) % 3 === 0 ? 'P RW US A D NX' : 'P RW US A NX';
    entries.push({ index: i, raw: '0x0', flags, va: '0x0', pfn: first + i, leaf: true, child: null });
  }
  return { pfn, level: 1, entries };
}

function ptr(index: number, child: PtNodeView): PtEntryView {
  return { index, raw: '0x0', flags: 'P RW US A', va: '0x0', pfn: child.pfn, leaf: false, child };
}

function bigProcess(base: number): PtNodeView {
  const pts = [
    bigPt(base + 10, base * 10, 500),
    bigPt(base + 11, base * 10 + 512, 500),
    bigPt(base + 12, base * 10 + 1024, 24),
  ];
  const pd = { pfn: base + 3, level: 2, entries: pts.map((p, i) => ptr(i * 40, p)) };
  const pdpt = { pfn: base + 2, level: 3, entries: [ptr(0, pd)] };
  return { pfn: base + 1, level: 4, entries: [ptr(0, pdpt)] };
}

function pages(t: PtNodeView): number {
  return t.entries.reduce((n, e) => n + (e.child ? pages(e.child) : e.leaf ? 1 : 0), 0);
}

describe('a process with 1024 pages', () => {
  it('has 1024 pages, yet a viewport draws only a few dozen rows', () => {
    const root = bigProcess(100);
    expect(pages(root)).toBe(1024);
    const walk = new Map<string, readonly [number, number]>([
      ['4:101', [0, 0]],
      ['3:102', [0, 1]],
      ['2:103', [40, 2]],
      ['1:111', [200, 3]],
    ]);
    const box = buildTree({ root, walk, writes: [], collapsed: new Map(), expanded: new Set() });
    const lay = layoutTree(box);
    const rows = lay.nodes.reduce((n, l) => n + l.box.rows.length, 0);
    // Ten clean pages in a row fold into one run; five dirty ones stay single rows.
    expect(rows).toBeGreaterThan(400);
    expect(rows).toBeLessThan(1024);
    const r = visibleRect({ k: 1, x: 0, y: -2000 }, 1280, 720);
    const drawn = visibleNodes(lay.nodes, r).reduce((n, l) => {
      const [a, b] = visibleRows(l.y, l.tops, r);
      return n + (b - a);
    }, 0);
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(100);
  });
});
