import { describe, expect, it } from 'vitest';
import type { PtEntryView, PtNodeView } from '../core/view/snapshot';
import { shareTree } from './ptShare';

const leaf = (index: number, pfn: number, flags = 'P RW US'): PtEntryView => ({
  index,
  raw: `0x${pfn.toString(16)}067`,
  flags,
  va: `0x${(index * 4096).toString(16)}`,
  pfn,
  leaf: true,
  child: null,
});
const table = (pfn: number, level: number, entries: PtEntryView[]): PtNodeView => ({ pfn, level, entries });
const link = (index: number, child: PtNodeView): PtEntryView => ({
  index,
  raw: `0x${child.pfn.toString(16)}067`,
  flags: 'P RW US',
  va: '0x0',
  pfn: child.pfn,
  leaf: false,
  child,
});

function tree(pteFlags: string) {
  const ptA = table(10, 1, [leaf(0, 100), leaf(1, 101, pteFlags)]);
  const ptB = table(11, 1, [leaf(0, 200)]);
  const pd = table(9, 2, [link(0, ptA), link(1, ptB)]);
  return table(8, 3, [link(0, pd)]);
}

describe('shareTree', () => {
  it('gives back the previous tree when nothing changed', () => {
    const prev = tree('P RW US');
    expect(shareTree(tree('P RW US'), prev)).toBe(prev);
  });

  it('shares every unchanged table and keeps the changed path new', () => {
    const prev = tree('P RW US');
    const next = tree('P RW US A');
    const shared = shareTree(next, prev);
    expect(shared).not.toBe(prev);
    expect(shared).toEqual(next);
    const pd = shared.entries[0]?.child;
    const prevPd = prev.entries[0]?.child;
    expect(pd).not.toBe(prevPd);
    expect(pd?.entries[1]?.child).toBe(prevPd?.entries[1]?.child); // ptB: same object
    expect(pd?.entries[0]?.child).not.toBe(prevPd?.entries[0]?.child); // ptA changed
  });

  it('shares nothing across different tables at the same place', () => {
    const prev = tree('P RW US');
    const next = table(7, 3, prev.entries);
    expect(shareTree(next, prev)).toBe(next);
    expect(shareTree(next, null)).toBe(next);
  });
});
