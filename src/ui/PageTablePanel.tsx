// The current process's page-table tree. d3-hierarchy lays the tables out (tree()); React draws
// the SVG. Each box is one table (level + frame) with a row per present entry: index, flags and
// the frame it points to. The current step's walk is drawn in orange; entries this step's
// pte.write events changed are outlined in red (a cleared entry stays as a struck-out ghost row).
import { hierarchy, tree } from 'd3-hierarchy';
import { line } from 'd3-shape';
import { type ChangeEvent, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SimEvent } from '../core/events';
import type { ProcView, PtNodeView, Snapshot } from '../core/view/snapshot';
import { showProcess, useVm } from '../state';
import { BitSlicer } from './BitSlicer';
import { autoPid, decodeEntry, levelName } from './format';
import { useSize } from './useSize';

const W = 300;
const HEAD = 30;
const ROW = 27;
const GAP_Y = 30;
const GAP_X = 40;
const PAD = 10;
const TOP = 24;
const ELBOW = 16;
const MAX_ROWS = 8;
/** The tree scales to fill its panel, within these bounds (below, the panel scrolls). */
const SCALE_MIN = 0.7;
const SCALE_MAX = 1.6;

type RowKind = 'entry' | 'cleared' | 'missing' | 'more' | 'swap';

interface Row {
  key: string;
  index: number;
  kind: RowKind;
  flags: string;
  target: string;
  onWalk: boolean;
  changed: boolean;
  title: string;
}

interface TableBox {
  table: PtNodeView;
  rows: Row[];
  onWalk: boolean;
  /** Which row of the parent points here. */
  parentRow: number;
  children: TableBox[];
}

type PteWrite = Extract<SimEvent, { type: 'pte.write' }>;

/**
 * Every drawn entry is present, so P is left out; PS on a leaf is shown as the page size it
 * maps (2M in a PD, 1G in a PDPT). The raw entry stays in the row's title.
 */
function shownFlags(flags: string, leaf: boolean, level: number): string {
  return flags
    .split(' ')
    .filter((f) => f !== 'P')
    .map((f) => (f === 'PS' && leaf ? (level === 3 ? '1G' : '2M') : f))
    .join(' ');
}

function isPresent(flags: string): boolean {
  return flags.split(' ').includes('P');
}

function buildBox(
  table: PtNodeView,
  parentRow: number,
  walk: ReadonlyMap<number, number>,
  writes: readonly PteWrite[],
): TableBox {
  const walkIndex = walk.get(table.pfn);
  const myWrites = new Map(writes.filter((w) => w.table === table.pfn).map((w) => [w.index, w]));
  const rows: Row[] = [];
  const childOf = new Map<number, PtNodeView>();
  for (const e of table.entries) {
    if (e.swapSlot !== undefined) {
      // A swap entry (P=0): the page is on the swap device; the fault handler will bring it back.
      const w = myWrites.get(e.index);
      rows.push({
        key: `s${e.index}`,
        index: e.index,
        kind: 'swap',
        flags: 'swap',
        target: `→ slot ${e.swapSlot}`,
        onWalk: walkIndex === e.index,
        changed: w !== undefined,
        title: `PT[${e.index}] = ${e.raw}, covers ${e.va}: not present, a swap entry for slot ${e.swapSlot}${w ? ` (written this step, was ${w.old})` : ''}`,
      });
      continue;
    }
    if (!isPresent(e.flags)) continue;
    const w = myWrites.get(e.index);
    if (e.child) childOf.set(e.index, e.child);
    rows.push({
      key: `e${e.index}`,
      index: e.index,
      kind: 'entry',
      flags: shownFlags(e.flags, e.leaf, table.level),
      // A large page's frame number is long; the size is in the flags and the word in the title.
      target: e.leaf && table.level > 1 ? `→ ${e.pfn}` : `→ frame ${e.pfn}`,
      onWalk: walkIndex === e.index,
      changed: w !== undefined,
      title: `${levelName(table.level)}[${e.index}] = ${e.raw}, covers ${e.va}${
        e.leaf ? `, maps frame ${e.pfn}` : `, next table in frame ${e.pfn}`
      }${w ? ` (written this step, was ${w.old})` : ''}`,
    });
  }
  for (const w of myWrites.values()) {
    if (rows.some((r) => r.index === w.index)) continue;
    const old = decodeEntry(w.old);
    rows.push({
      key: `c${w.index}`,
      index: w.index,
      kind: 'cleared',
      flags: 'cleared',
      target: old.present ? `was frame ${old.pfn}` : '',
      onWalk: walkIndex === w.index,
      changed: true,
      title: `${levelName(table.level)}[${w.index}] for ${w.va} cleared this step: ${w.old} → ${w.new}`,
    });
  }
  if (walkIndex !== undefined && !rows.some((r) => r.index === walkIndex)) {
    rows.push({
      key: `m${walkIndex}`,
      index: walkIndex,
      kind: 'missing',
      flags: 'not present',
      target: '→ page fault',
      onWalk: true,
      changed: false,
      title: `${levelName(table.level)}[${walkIndex}] is not present: the walk stops with a page fault`,
    });
  }
  rows.sort((a, b) => a.index - b.index);
  let shown = rows;
  if (rows.length > MAX_ROWS) {
    const keep = new Set(rows.filter((r) => r.onWalk || r.changed || r.kind !== 'entry').map((r) => r.key));
    for (const r of rows) if (keep.size < MAX_ROWS - 1) keep.add(r.key);
    shown = rows.filter((r) => keep.has(r.key));
    shown.push({
      key: 'more',
      index: -1,
      kind: 'more',
      flags: `… ${rows.length - shown.length} more entries`,
      target: '',
      onWalk: false,
      changed: false,
      title: '',
    });
  }
  const children: TableBox[] = [];
  shown.forEach((r, i) => {
    const child = r.kind === 'entry' ? childOf.get(r.index) : undefined;
    if (child) children.push(buildBox(child, i, walk, writes));
  });
  return { table, rows: shown, onWalk: walkIndex !== undefined, parentRow, children };
}

function boxHeight(b: TableBox): number {
  return HEAD + b.rows.length * ROW + 6;
}

interface Laid {
  key: string;
  box: TableBox;
  x: number;
  y: number;
}

interface Edge {
  key: string;
  d: string;
  onWalk: boolean;
}

const edgeLine = line<[number, number]>();

function layout(root: TableBox): { nodes: Laid[]; edges: Edge[]; width: number; height: number } {
  const h = hierarchy(root, (b) => b.children);
  const laidOut = tree<TableBox>()
    .nodeSize([W + GAP_X, 1])
    .separation(() => 1)(h);
  // Rows of boxes: each depth starts below the tallest box of the depth above.
  const depthTop: number[] = [TOP];
  const all = laidOut.descendants();
  const maxDepth = Math.max(...all.map((n) => n.depth));
  for (let d = 0; d < maxDepth; d++) {
    const tallest = Math.max(...all.filter((n) => n.depth === d).map((n) => boxHeight(n.data)));
    depthTop.push((depthTop[d] ?? 0) + tallest + GAP_Y);
  }
  const minX = Math.min(...all.map((n) => n.x)) - W / 2 - PAD;
  const nodes: Laid[] = all.map((n, i) => ({
    key: `${n.depth}-${n.data.table.pfn}-${i}`,
    box: n.data,
    x: n.x - minX,
    y: depthTop[n.depth] ?? 0,
  }));
  const pos = new Map(all.map((n, i) => [n, nodes[i] as Laid]));
  const edges: Edge[] = [];
  for (const n of all) {
    if (!n.parent) continue;
    const p = pos.get(n.parent);
    const c = pos.get(n);
    if (!p || !c) continue;
    const row = p.box.rows[n.data.parentRow];
    const sx = p.x + W / 2;
    const sy = p.y + HEAD + n.data.parentRow * ROW + ROW / 2;
    const midY = c.y - GAP_Y / 2;
    const d = edgeLine([
      [sx - 2, sy],
      [sx + ELBOW, sy],
      [sx + ELBOW, midY],
      [c.x, midY],
      [c.x, c.y - 2],
    ]);
    edges.push({ key: `edge-${c.key}`, d: d ?? '', onWalk: Boolean(row?.onWalk) });
  }
  const maxX = Math.max(...nodes.map((n) => n.x)) + W / 2 + ELBOW + PAD;
  const bottom = Math.max(...nodes.map((n) => n.y + boxHeight(n.box))) + PAD;
  return { nodes, edges, width: maxX, height: bottom };
}

function rowClass(r: Row): string {
  const cls = ['pt-row', `pt-${r.kind}`];
  if (r.onWalk) cls.push('pt-walk');
  if (r.changed) cls.push('pt-changed');
  return cls.join(' ');
}

function TableGroup({ n }: { n: Laid }) {
  const b = n.box;
  const h = boxHeight(b);
  return (
    <g transform={`translate(${n.x - W / 2}, ${n.y})`} data-testid="pt-table" data-frame={b.table.pfn}>
      <rect className={b.onWalk ? 'pt-box pt-box-walk' : 'pt-box'} width={W} height={h} rx={6} />
      <rect className={`pt-lvl lvl-${b.table.level}`} x={3} y={5} width={6} height={22} rx={2} />
      <text className="pt-head" x={14} y={21}>
        {levelName(b.table.level)}
        <tspan className="pt-head-frame" dx={8}>
          table in frame {b.table.pfn}
        </tspan>
      </text>
      {b.rows.map((r, i) => (
        <g
          key={r.key}
          transform={`translate(0, ${HEAD + i * ROW})`}
          data-testid="pt-entry"
          data-level={b.table.level}
          data-index={r.index}
          data-kind={r.kind}
          data-walk={r.onWalk ? 'true' : undefined}
          data-changed={r.changed ? 'true' : undefined}
        >
          <title>{r.title}</title>
          <rect className={rowClass(r)} x={4} y={1} width={W - 8} height={ROW - 3} rx={4} />
          {r.kind !== 'more' && (
            <text className="pt-idx" x={12} y={19}>
              [{r.index}]
            </text>
          )}
          <text className="pt-flags" x={r.kind === 'more' ? 12 : 62} y={19}>
            {r.flags}
          </text>
          <text className="pt-target" x={W - 12} y={19} textAnchor="end">
            {r.target}
          </text>
        </g>
      ))}
    </g>
  );
}

function pickProc(s: Snapshot, chosen: number | null): ProcView | null {
  const want = chosen ?? autoPid(s);
  return s.procs.find((p) => p.pid === want) ?? s.procs[0] ?? null;
}

function walkCaption(s: Snapshot, proc: ProcView): string {
  if (s.walk && s.walk.pid === proc.pid) {
    const miss = s.events.find((e) => e.type === 'tlb.miss');
    const va = miss && miss.type === 'tlb.miss' ? ` for ${miss.va}` : '';
    return `Core ${s.walk.core} walks it${va}`;
  }
  const w = s.events.find((e) => e.type === 'pte.write' && e.pid === proc.pid);
  if (w && w.type === 'pte.write') return `The kernel writes an entry for ${w.va}`;
  return 'No walk in this step';
}

export function PageTablePanel() {
  const { snapshot, ptPid } = useVm(useShallow((s) => ({ snapshot: s.snapshot, ptPid: s.ptPid })));
  const proc = snapshot ? pickProc(snapshot, ptPid) : null;

  const drawn = useMemo(() => {
    if (!snapshot || !proc) return null;
    const walk = new Map<number, number>();
    if (snapshot.walk && snapshot.walk.pid === proc.pid) {
      for (const l of snapshot.walk.levels) walk.set(l.table, l.index);
    }
    const writes = snapshot.events.filter((e): e is PteWrite => e.type === 'pte.write' && e.pid === proc.pid);
    return layout(buildBox(proc.root, -1, walk, writes));
  }, [snapshot, proc]);

  const box = useRef<HTMLDivElement>(null);
  const room = useSize(box, { width: 340, height: 400 });
  const scale = drawn
    ? Math.min(SCALE_MAX, Math.max(SCALE_MIN, Math.min(room.width / drawn.width, room.height / drawn.height)))
    : 1;

  const onPick = (e: ChangeEvent<HTMLSelectElement>) => {
    const v = e.currentTarget.value;
    showProcess(v === 'auto' ? null : Number(v));
    e.currentTarget.blur();
  };

  return (
    <section className="panel panel-pt" data-testid="panel-pagetable" aria-labelledby="pt-title">
      <div className="panel-head">
        <h2 id="pt-title">Page table</h2>
        <select
          className="pt-pick"
          aria-label="Process whose page table is shown"
          value={ptPid === null ? 'auto' : String(ptPid)}
          onChange={onPick}
        >
          <option value="auto">
            {proc && ptPid === null ? `process ${proc.pid} (${proc.name}) · auto` : 'follow the action'}
          </option>
          {snapshot?.procs.map((p) => (
            <option key={p.pid} value={p.pid}>
              process {p.pid} ({p.name})
            </option>
          ))}
        </select>
      </div>
      {snapshot && proc && (
        <p className="panel-sub pt-caption" data-testid="pt-caption">
          {walkCaption(snapshot, proc)}
        </p>
      )}
      <BitSlicer />
      <div className="pt-scroll" ref={box}>
        {drawn && (
          <svg
            className="pt-svg"
            viewBox={`0 0 ${drawn.width} ${drawn.height}`}
            width={Math.floor(drawn.width * scale)}
            height={Math.floor(drawn.height * scale)}
            role="img"
            aria-label={`Page-table tree of process ${proc?.pid ?? ''}`}
          >
            {drawn.nodes[0] && (
              <text className="pt-cr3" x={drawn.nodes[0].x - W / 2 + 2} y={16}>
                CR3 → frame {drawn.nodes[0].box.table.pfn}
              </text>
            )}
            {drawn.edges
              .slice()
              .sort((a, b) => Number(a.onWalk) - Number(b.onWalk))
              .map((e) => (
                <path key={e.key} className={e.onWalk ? 'pt-edge pt-edge-walk' : 'pt-edge'} d={e.d} />
              ))}
            {drawn.nodes.map((n) => (
              <TableGroup key={n.key} n={n} />
            ))}
          </svg>
        )}
      </div>
      {proc && (
        <div className="pt-foot">
          <span className="chip chip-walk">walk</span> <span className="chip chip-changed">changed</span>{' '}
          <span className="vmas" data-testid="vmas">
            <span className="vmas-title">VMAs:</span>{' '}
            {proc.vmas.length === 0
              ? 'none'
              : proc.vmas.map((v, i) => (
                  <span key={v.start}>
                    {i > 0 && ', '}
                    <span className="vma">
                      {v.start}–{v.end} {v.prot}
                    </span>{' '}
                    {v.name}
                  </span>
                ))}
          </span>
        </div>
      )}
    </section>
  );
}
