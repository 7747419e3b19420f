// Structural sharing between two snapshots' page-table trees: every table of `next` equal to
// the table at the same place in `prev` is replaced by `prev`'s object. A step changes a few
// entries of a tree of thousands, so the rows of every other table (cached by object in
// ptModel.ts) and their boxes are reused instead of rebuilt.
import type { PtEntryView, PtNodeView } from '../core/view/snapshot';

function sameEntry(a: PtEntryView, b: PtEntryView): boolean {
  return (
    a.index === b.index &&
    a.raw === b.raw &&
    a.flags === b.flags &&
    a.va === b.va &&
    a.pfn === b.pfn &&
    a.leaf === b.leaf &&
    a.swapSlot === b.swapSlot
  );
}

/** `next`, with each table equal to `prev`'s at the same place being `prev`'s own object. */
export function shareTree(next: PtNodeView, prev: PtNodeView | null | undefined): PtNodeView {
  if (!prev || next === prev) return next;
  if (next.pfn !== prev.pfn || next.level !== prev.level) return next;
  let same = next.entries.length === prev.entries.length && next.cut === prev.cut;
  const entries = next.entries.map((e, i) => {
    const old = prev.entries[i];
    if (!old || !sameEntry(e, old)) {
      same = false;
      return e;
    }
    if (!e.child || !old.child) {
      if (e.child !== old.child) same = false;
      return e;
    }
    const child = shareTree(e.child, old.child);
    if (child !== old.child) {
      same = false;
      return child === e.child ? e : { ...e, child };
    }
    return { ...e, child };
  });
  return same ? prev : { ...next, entries };
}
