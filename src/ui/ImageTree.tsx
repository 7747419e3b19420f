// The page-table tree of a machine image (computed in the worker by the core's imageTree): from
// each root register, a table's entries that hold something, each with the VA range it covers,
// its raw value, its set flags and the next table or the page it maps. A table entry has a
// disclosure button (aria-expanded) that shows or hides the table below it; runs of empty
// entries are one line. The roots start expanded, everything below collapsed.
import { useState } from 'react';
import type { useVm } from '../state';
import './imageTree.css';

type Tree = NonNullable<ReturnType<typeof useVm.getState>['image']>['tree'];
type Table = Tree['roots'][number]['table'];
type Row = Table['rows'][number];
type Entry = Extract<Row, { kind: 'entry' }>;

const lvlClass = (depth: number) => `lvl-${depth + 1}`;

/** Set bits by name, fields (ARM's AP) with their value: what a reader scans for. */
function flagText(e: Entry): string {
  return e.flags
    .filter((f) => f.value.length > 1 || f.value === '1')
    .map((f) => (f.value.length > 1 ? `${f.name}=${f.value}` : f.name))
    .join(' ');
}

function EntryRow({
  e,
  table,
  open,
  toggle,
}: {
  e: Entry;
  table: Table;
  open: ReadonlySet<string>;
  toggle: (id: string) => void;
}) {
  const child = e.child;
  const expanded = child !== null && open.has(child.id);
  const childDomId = child ? `tree-${child.id.replace(/[^A-Za-z0-9_-]/g, '-')}` : undefined;
  return (
    <li
      className={`it-row it-role-${e.role}`}
      data-testid="tree-entry"
      data-index={e.index}
      data-role={e.role}
    >
      <div className="it-line">
        {child ? (
          <button
            type="button"
            className="it-toggle"
            aria-expanded={expanded}
            aria-controls={childDomId}
            onClick={() => toggle(child.id)}
            data-testid="tree-toggle"
            aria-label={`${expanded ? 'Collapse' : 'Expand'} ${table.name} entry ${e.index}: ${e.note}`}
          >
            <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> {e.index}
          </button>
        ) : (
          <span className="it-index">{e.index}</span>
        )}
        <span className="it-va mono" title="VA range this entry covers">
          {e.vaStart}–{e.vaEnd}
        </span>
        <span className="it-raw mono">{e.raw}</span>
        <span className="it-flags mono">{flagText(e)}</span>
        <span className="it-note">
          {e.role === 'table' || e.role === 'leaf' ? `→ ${e.note}` : e.note}
          {e.cut ? ` (${e.cut})` : ''}
        </span>
      </div>
      {child && expanded && (
        <TableView table={child} domId={childDomId as string} open={open} toggle={toggle} />
      )}
    </li>
  );
}

function TableView({
  table,
  domId,
  open,
  toggle,
}: {
  table: Table;
  domId: string;
  open: ReadonlySet<string>;
  toggle: (id: string) => void;
}) {
  return (
    <div
      className={`it-table ${lvlClass(table.depth)}`}
      id={domId}
      data-testid="tree-table"
      data-name={table.name}
    >
      <div className="it-table-head">
        <span className="it-tname">{table.name}</span> table at <span className="mono">{table.addr}</span>
        {' · '}
        {table.size} entries
        {!table.inImage && <span className="it-missing"> · not in the image: every entry reads as zero</span>}
      </div>
      <ul className="it-rows">
        {table.rows.map((r) =>
          r.kind === 'gap' ? (
            <li key={`gap-${r.from}`} className="it-gap" data-testid="tree-gap">
              {r.from === r.to ? `entry ${r.from} empty` : `entries ${r.from}–${r.to} empty`}
            </li>
          ) : (
            <EntryRow key={r.index} e={r} table={table} open={open} toggle={toggle} />
          ),
        )}
      </ul>
    </div>
  );
}

export function ImageTree({ tree }: { tree: Tree }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const [rootsOpen, setRootsOpen] = useState<ReadonlySet<string>>(
    () => new Set(tree.roots.map((r) => r.register)),
  );
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleRoot = (id: string) =>
    setRootsOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <section className="it" aria-labelledby="image-tree-title" data-testid="image-tree">
      <h3 id="image-tree-title" className="it-title">
        Page tables, as loaded (before the accesses set A/D bits)
      </h3>
      {tree.truncated && (
        <p className="it-missing">This image has more tables than the tree shows; some are not expanded.</p>
      )}
      <ul className="it-roots">
        {tree.roots.map((r) => {
          const expanded = rootsOpen.has(r.register);
          const domId = `tree-root-${r.register}`;
          return (
            <li key={r.register} className="it-root" data-testid="tree-root" data-register={r.register}>
              <button
                type="button"
                className="it-toggle it-root-toggle"
                aria-expanded={expanded}
                aria-controls={domId}
                onClick={() => toggleRoot(r.register)}
                data-testid="tree-root-toggle"
              >
                <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> {r.register}{' '}
                <span className="mono">{r.table.addr}</span>
              </button>{' '}
              <span className="it-covers">{r.covers}</span>
              {expanded && <TableView table={r.table} domId={domId} open={open} toggle={toggle} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
