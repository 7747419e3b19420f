// What the page-table tree draws, as plain data: one box per table with its rows, where runs of
// similar entries and ranges of empty slots are folded into one row each (a table has 512 slots;
// a big process fills hundreds of them), and subtrees off the walk can be collapsed.
// Pure: no React, no DOM, so the folding and collapsing rules are unit-tested on their own.
import type { SimEvent } from '../core/events';
import type { PtNodeView } from '../core/view/snapshot';
import { decodeEntry, levelName } from './format';

/** Slots per table (x86-64: 4 KiB tables of 8-byte entries, SDM 4.5). */
export const SLOTS = 512;
/** The entry flags the tree shows, always in this order, set or clear. */
export const FLAG_ORDER = ['P', 'RW', 'US', 'A', 'D', 'G', 'NX', 'PS'] as const;
/** This many or more consecutive similar leaf entries fold into one row. */
export const MIN_RUN = 8;
/** With more tables than this, subtrees off the walk start collapsed. */
export const COLLAPSE_OVER = 6;

export type RowKind = 'entry' | 'cleared' | 'missing' | 'swap' | 'gap' | 'run' | 'empty' | 'fold';

export interface Row {
  key: string;
  kind: RowKind;
  /** First slot of the row (the only one for a single entry). */
  index: number;
  /** Last slot of the row. */
  last: number;
  /** Flags that are set (entry, run, cleared); empty for the other kinds. */
  flags: readonly string[];
  target: string;
  onWalk: boolean;
  changed: boolean;
  title: string;
  /** Gap, run and fold rows: the key that expands or folds the range. */
  range?: string;
  /** A present non-leaf entry: the table it points to. */
  child?: PtNodeView;
  /** A present entry: the frame it names. */
  pfn?: number;
}

export interface Below {
  tables: number;
  pages: number;
}

export interface TableBox {
  key: string;
  table: PtNodeView;
  rows: Row[];
  /** Position of this table in the walk (0 = the root), or -1 when the walk does not read it. */
  walkPos: number;
  /** The walk passes through this table or a pte.write of this step touched its subtree. */
  hot: boolean;
  /** Has child tables (so it can collapse). */
  branches: boolean;
  collapsed: boolean;
  /** Tables and mapped pages in the subtree below this table (counted even when collapsed). */
  below: Below;
  /** Which row of the parent points here (-1 for the root). */
  parentRow: number;
  children: TableBox[];
}

export type PteWrite = Extract<SimEvent, { type: 'pte.write' }>;

export interface TreeInput {
  root: PtNodeView;
  /** Walk of this step in this process: walkKey(level, table) -> [index, position in the walk]. */
  walk: ReadonlyMap<string, readonly [number, number]>;
  writes: readonly PteWrite[];
  /** The user's choices: table key -> collapsed. Missing keys take the default. */
  collapsed: ReadonlyMap<string, boolean>;
  /** Gap and run rows the user expanded. */
  expanded: ReadonlySet<string>;
  /** Tables to keep open by default besides the walk's (the last walk's, in a step without one). */
  keepOpen?: ReadonlySet<number>;
}

/**
 * A table's key is its path from the root ("pt", "pt.254", "pt.254.233" ...), not its frame: a
 * frame can appear at more than one place (a recursive PML4 entry maps the PML4 as a PDPT).
 */
export const ROOT_KEY = 'pt';

/** The walk reads a table at a level (the same frame can be read at two levels, see ROOT_KEY). */
export function walkKey(level: number, table: number): string {
  return `${level}:${table}`;
}

const flagLists = new Map<string, readonly string[]>();

/** An entry's flag string as a list: one shared, frozen list per distinct string (there are few). */
export function flagList(flags: string): readonly string[] {
  let list = flagLists.get(flags);
  if (!list) {
    list = Object.freeze(flags.split(' ').filter((f) => f !== '' && f !== '-'));
    flagLists.set(flags, list);
  }
  return list;
}

/** Leaf frame stride: a 2 MiB page is 512 frames, a 1 GiB page 512 * 512. */
function stride(level: number): number {
  return 512 ** (level - 1);
}

function pageWord(level: number, leaf: boolean): string {
  if (!leaf) return 'table';
  return level === 3 ? '1 GiB page' : level === 2 ? '2 MiB page' : 'page';
}

const belowCache = new WeakMap<PtNodeView, Below>();

/** Counts the tables and mapped pages below `t` (not `t` itself); remembered per table object. */
export function countBelow(t: PtNodeView): Below {
  const known = belowCache.get(t);
  if (known) return known;
  const s = subtree(t);
  const counted = { tables: s.tables - 1, pages: s.pages - s.own };
  belowCache.set(t, counted);
  return counted;
}

/** A table and everything below it: tables (itself too), mapped pages, and its own mapped pages. */
interface Subtree {
  tables: number;
  pages: number;
  own: number;
}

const subtreeCache = new WeakMap<PtNodeView, Subtree>();

// Each table is counted once per object, from its children's counts: a tree whose tables are
// mostly shared with the last one drawn (ptShare.ts) costs only its changed tables.
function subtree(t: PtNodeView): Subtree {
  const known = subtreeCache.get(t);
  if (known) return known;
  let tables = 1;
  let pages = 0;
  let own = 0;
  for (const e of t.entries) {
    if (e.child) {
      const below = subtree(e.child);
      tables += below.tables;
      pages += below.pages;
    } else if (e.leaf && flagList(e.flags).includes('P')) own++;
  }
  const counted = { tables, pages: pages + own, own };
  subtreeCache.set(t, counted);
  return counted;
}

function countTables(t: PtNodeView): number {
  return 1 + countBelow(t).tables;
}

/** One row per entry worth showing (present, swap, cleared this step, or where the walk stopped). */
export function entryRows(
  table: PtNodeView,
  walkIndex: number | undefined,
  writes: readonly PteWrite[],
): Row[] {
  const name = levelName(table.level);
  const myWrites = new Map(writes.filter((w) => w.table === table.pfn).map((w) => [w.index, w]));
  const rows: Row[] = [];
  for (const e of table.entries) {
    const w = myWrites.get(e.index);
    const was = w ? ` (written this step, was ${w.old})` : '';
    const base = { index: e.index, last: e.index, onWalk: walkIndex === e.index, changed: w !== undefined };
    if (e.swapSlot !== undefined) {
      // A swap entry (P=0): the page is on the swap device; the fault handler will bring it back.
      rows.push({
        ...base,
        key: `s${e.index}`,
        kind: 'swap',
        flags: [],
        target: `→ swap slot ${e.swapSlot}`,
        title: `${name}[${e.index}] = ${e.raw}, covers ${e.va}: not present, a swap entry for slot ${e.swapSlot}${was}`,
      });
      continue;
    }
    const flags = flagList(e.flags);
    if (!flags.includes('P')) continue;
    const large = e.leaf && table.level > 1;
    rows.push({
      ...base,
      key: `e${e.index}`,
      kind: 'entry',
      flags,
      target: large ? `→ ${table.level === 3 ? '1G' : '2M'} @${e.pfn}` : `→ frame ${e.pfn}`,
      title: `${name}[${e.index}] = ${e.raw} (${e.flags}), covers ${e.va}${
        e.leaf
          ? `, maps a ${pageWord(table.level, true)} at frame ${e.pfn}`
          : `, next table in frame ${e.pfn}`
      }${was}`,
      pfn: e.pfn,
      ...(e.child ? { child: e.child } : {}),
    });
  }
  for (const w of myWrites.values()) {
    if (rows.some((r) => r.index === w.index)) continue;
    const old = decodeEntry(w.old);
    rows.push({
      key: `c${w.index}`,
      kind: 'cleared',
      index: w.index,
      last: w.index,
      flags: flagList(old.flags),
      target: old.present ? `was frame ${old.pfn}` : 'cleared',
      onWalk: walkIndex === w.index,
      changed: true,
      title: `${name}[${w.index}] for ${w.va} cleared this step: ${w.old} → ${w.new}`,
    });
  }
  if (walkIndex !== undefined && !rows.some((r) => r.index === walkIndex)) {
    rows.push({
      key: `m${walkIndex}`,
      kind: 'missing',
      index: walkIndex,
      last: walkIndex,
      flags: [],
      target: '→ page fault',
      onWalk: true,
      changed: false,
      title: `${name}[${walkIndex}] is not present: the walk stops with a page fault`,
    });
  }
  return rows.sort((a, b) => a.index - b.index);
}

function foldable(r: Row, level: number): boolean {
  return r.kind === 'entry' && !r.child && !r.onWalk && !r.changed && (level === 1 || r.flags.includes('PS'));
}

/** Whether `b` continues the run that ends with `a` (next slot, same flags). */
function continues(a: Row, b: Row, level: number): boolean {
  return foldable(b, level) && b.index === a.last + 1 && a.flags.join(' ') === b.flags.join(' ');
}

function frameOf(r: Row): number {
  return r.pfn ?? Number.NaN;
}

function runRow(tk: string, level: number, run: readonly Row[]): Row {
  const first = run[0] as Row;
  const last = run[run.length - 1] as Row;
  const frames = run.map(frameOf);
  const step = stride(level);
  const contiguous = frames.every((f, i) => i === 0 || f === (frames[i - 1] as number) + step);
  const lo = Math.min(...frames);
  const hi = Math.max(...frames);
  const what = `${run.length} ${pageWord(level, true)}s`;
  const where = contiguous
    ? `frames ${frames[0]}–${frames[frames.length - 1]}`
    : `frames ${lo}…${hi}, not contiguous`;
  return {
    key: `r${first.index}`,
    kind: 'run',
    index: first.index,
    last: last.index,
    flags: first.flags,
    target: contiguous ? `→ ${frames[0]}–${frames[frames.length - 1]}` : `→ ${run.length} frames`,
    onWalk: false,
    changed: false,
    range: `${tk}:r${first.index}`,
    title: `${levelName(level)}[${first.index}..${last.index}]: ${what}, ${where}, ${first.flags.join(' ')}. Click to list them.`,
  };
}

function gapRow(tk: string, level: number, a: number, b: number): Row {
  const what = a === b ? `entry ${a} empty` : `entries ${a}–${b} empty`;
  return {
    key: `g${a}`,
    kind: 'gap',
    index: a,
    last: b,
    flags: [],
    target: '',
    onWalk: false,
    changed: false,
    range: `${tk}:g${a}`,
    title: `${levelName(level)}[${a}..${b}]: ${what}, not present (a walk through one of them faults). Click to list them.`,
  };
}

function foldRow(r: Row, level: number): Row {
  const n = r.last - r.index + 1;
  const what = r.kind === 'gap' ? `${n} empty entries` : `${n} similar entries`;
  return {
    ...r,
    key: `f${r.key}`,
    kind: 'fold',
    target: '',
    title: `${levelName(level)}[${r.index}..${r.last}]: ${what}, listed below. Click to fold them into one row.`,
  };
}

function emptyRows(level: number, a: number, b: number): Row[] {
  const out: Row[] = [];
  for (let i = a; i <= b; i++) {
    out.push({
      key: `z${i}`,
      kind: 'empty',
      index: i,
      last: i,
      flags: [],
      target: '',
      onWalk: false,
      changed: false,
      title: `${levelName(level)}[${i}] = 0: not present`,
    });
  }
  return out;
}

/**
 * Folds a table's entry rows for display: the empty slots between them become gap rows, and
 * MIN_RUN or more consecutive leaf entries with the same flags (none on the walk or changed)
 * become one run row. A range in `expanded` is listed instead, under a fold row. The empty slots
 * before the first entry and after the last are not rows (the box's head says how many of the
 * 512 are in use), which keeps a sparse table one row tall; a table with no entry is one gap.
 */
export function compactRows(
  tk: string,
  level: number,
  rows: readonly Row[],
  expanded: ReadonlySet<string>,
  slots = SLOTS,
): Row[] {
  const out: Row[] = [];
  const pushGap = (a: number, b: number) => {
    if (b < a) return;
    const g = gapRow(tk, level, a, b);
    if (g.range && expanded.has(g.range)) out.push(foldRow(g, level), ...emptyRows(level, a, b));
    else out.push(g);
  };
  if (rows.length === 0) pushGap(0, slots - 1);
  let i = 0;
  while (i < rows.length) {
    const r = rows[i] as Row;
    const prev = out.length > 0 ? rows[i - 1] : undefined;
    if (prev) pushGap(prev.last + 1, r.index - 1);
    let j = i + 1;
    if (foldable(r, level)) {
      let tail = r;
      while (j < rows.length && continues(tail, rows[j] as Row, level)) {
        tail = rows[j] as Row;
        j++;
      }
    }
    const run = rows.slice(i, j);
    if (run.length >= MIN_RUN) {
      const rr = runRow(tk, level, run);
      if (rr.range && expanded.has(rr.range)) out.push(foldRow(rr, level), ...run);
      else out.push(rr);
    } else {
      out.push(...run);
    }
    i = j;
  }
  return out;
}

/** How many of the table's slots hold something (present or a swap entry). */
export function slotsUsed(t: PtNodeView): number {
  return t.entries.filter((e) => e.swapSlot !== undefined || flagList(e.flags).includes('P')).length;
}

function hotTables(input: TreeInput): Set<number> {
  const { root, walk, writes } = input;
  const walked = [...walk.keys()].map((k) => Number(k.split(':')[1]));
  const touched = new Set<number>([...walked, ...writes.map((w) => w.table), ...(input.keepOpen ?? [])]);
  const hot = new Set<number>();
  const visit = (t: PtNodeView): boolean => {
    let h = touched.has(t.pfn);
    for (const e of t.entries) if (e.child && visit(e.child)) h = true;
    if (h) hot.add(t.pfn);
    return h;
  };
  visit(root);
  return hot;
}

/** The rows of a table off the walk and unwritten, per table object (ptShare.ts keeps them). */
const rowsCache = new WeakMap<PtNodeView, { key: string; expanded: ReadonlySet<string>; rows: Row[] }>();

/**
 * Builds the boxes to draw. By default every table is open, except with more than COLLAPSE_OVER
 * tables: then tables below the root and off the walk (and off this step's pte.writes and
 * `keepOpen`) start collapsed. The user's choices in `collapsed` win over the default.
 */
export function buildTree(input: TreeInput): TableBox {
  const many = countTables(input.root) > COLLAPSE_OVER;
  const hot = hotTables(input);
  const written = new Set(input.writes.map((w) => w.table));
  const build = (table: PtNodeView, parentRow: number, depth: number, key: string): TableBox => {
    const w = input.walk.get(walkKey(table.level, table.pfn));
    // A table the walk and this step's writes leave alone has the rows it had last time.
    const plain = w === undefined && !written.has(table.pfn);
    const cached = plain ? rowsCache.get(table) : undefined;
    const rows =
      cached && cached.key === key && cached.expanded === input.expanded
        ? cached.rows
        : compactRows(key, table.level, entryRows(table, w?.[0], input.writes), input.expanded);
    if (plain && rows !== cached?.rows) rowsCache.set(table, { key, expanded: input.expanded, rows });
    const branches = table.entries.some((e) => e.child !== null);
    const isHot = hot.has(table.pfn);
    const collapsed = branches && (input.collapsed.get(key) ?? (many && depth > 0 && !isHot));
    const children: TableBox[] = [];
    if (!collapsed) {
      rows.forEach((r, i) => {
        if (r.kind === 'entry' && r.child) children.push(build(r.child, i, depth + 1, `${key}.${r.index}`));
      });
    }
    return {
      key,
      table,
      rows,
      walkPos: w?.[1] ?? -1,
      hot: isHot,
      branches,
      collapsed,
      below: countBelow(table),
      parentRow,
      children,
    };
  };
  return build(input.root, -1, 0, ROOT_KEY);
}

const cutCache = new WeakMap<PtNodeView, number | null>();

/** The entry cap that cut the tree short (some table says `cut`), or null when it is whole. */
export function treeCut(t: PtNodeView): number | null {
  const known = cutCache.get(t);
  if (known !== undefined) return known;
  let cut: number | null = t.cut ?? null;
  for (const e of t.entries) {
    if (cut !== null) break;
    if (e.child) cut = treeCut(e.child);
  }
  cutCache.set(t, cut);
  return cut;
}
