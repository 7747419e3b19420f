// The main view's layout as data: how wide the page-table column is, how the TLBs and the log
// share the top row, how tall that row is against the dock, and which areas are collapsed to
// their title bars. Pure functions here (unit-tested); the store and the lesson defaults are in
// layoutStore.ts, the grid that renders it in src/ui/MainLayout.tsx.
import type { LayoutArea, LayoutHint } from '../core/spec';

export type Area = LayoutArea;

/** Every area, in reading order. */
export const AREAS: readonly Area[] = ['pagetable', 'tlb', 'log', 'dock'];

/**
 * The three splitters, each named by the size it sets, a fraction of the room it divides:
 * `pt` the page-table column's share of the width, `tlb` the TLBs' share of the top row, `top`
 * the top row's share of the height (the dock takes the rest).
 */
export type Split = 'pt' | 'tlb' | 'top';

export const SPLITS: readonly Split[] = ['pt', 'tlb', 'top'];

export type Sizes = Readonly<Record<Split, number>>;

export interface Layout {
  sizes: Sizes;
  collapsed: readonly Area[];
}

/** The room the grid has, in CSS pixels. */
export interface Room {
  width: number;
  height: number;
}

/** The smallest a panel may get before it stops being usable (its head and a few rows). */
export const MIN_PX: Readonly<Record<Split, { before: number; after: number }>> = {
  // The tree needs its table boxes (about 300 px); the right side its TLB and log columns.
  pt: { before: 280, after: 560 },
  // A TLB table row and a log line each need about 260 px.
  tlb: { before: 260, after: 260 },
  // The top row: a panel head and two TLB rows; the dock: its tabs and two lanes.
  top: { before: 150, after: 170 },
};

/** The width of a splitter's track, and of a collapsed column (its title bar turned on its side). */
export const SPLITTER_PX = 10;
export const STRIP_PX = 40;

const BASE: Sizes = { pt: 0.29, tlb: 0.5, top: 0.6 };

/** What each emphasis does to the sizes: the named area gets the most room. */
const EMPHASIS: Readonly<Record<Area, Partial<Sizes>>> = {
  pagetable: { pt: 0.38 },
  tlb: { pt: 0.27, tlb: 0.62, top: 0.66 },
  log: { pt: 0.27, tlb: 0.44 },
  dock: { top: 0.52 },
};

/** The layout a lesson opens with: its hint applied to the base sizes. */
export function defaultLayout(hint?: LayoutHint): Layout {
  const sizes = hint?.emphasis ? { ...BASE, ...EMPHASIS[hint.emphasis] } : BASE;
  const collapsed = AREAS.filter((a) => hint?.collapsed?.includes(a) && a !== hint?.emphasis);
  return { sizes, collapsed };
}

/** The length a split divides, in pixels, given the room (the `tlb` split divides the right side). */
export function spanOf(split: Split, sizes: Sizes, room: Room): number {
  switch (split) {
    case 'pt':
      return Math.max(0, room.width - 2 * SPLITTER_PX);
    case 'tlb':
      return Math.max(0, (room.width - 2 * SPLITTER_PX) * (1 - sizes.pt));
    case 'top':
      return Math.max(0, room.height - SPLITTER_PX);
    default: {
      const never: never = split;
      return never;
    }
  }
}

/** The smallest and largest fraction a split may take in this room (both in 0.05 .. 0.95). */
export function limitsOf(split: Split, sizes: Sizes, room: Room): { min: number; max: number } {
  const span = spanOf(split, sizes, room);
  const lo = 0.05;
  const hi = 0.95;
  if (span <= 0) return { min: lo, max: hi };
  const min = Math.min(hi, Math.max(lo, MIN_PX[split].before / span));
  const max = Math.max(lo, Math.min(hi, 1 - MIN_PX[split].after / span));
  // Too little room for both minimums: split the difference rather than favour one side.
  if (min > max) {
    const mid = (min + max) / 2;
    return { min: mid, max: mid };
  }
  return { min, max };
}

/** A fraction kept inside the split's limits (a non-number becomes the middle of them). */
export function clampSize(split: Split, value: number, sizes: Sizes, room: Room): number {
  const { min, max } = limitsOf(split, sizes, room);
  if (!Number.isFinite(value)) return (min + max) / 2;
  return Math.min(max, Math.max(min, value));
}

/** Sets one split, clamped; the others stay. */
export function resize(layout: Layout, split: Split, value: number, room: Room): Layout {
  const v = clampSize(split, value, layout.sizes, room);
  if (v === layout.sizes[split]) return layout;
  return { ...layout, sizes: { ...layout.sizes, [split]: v } };
}

/** The layout as drawn in this room: every split inside its limits (a window made smaller, or a
 * lesson's default on a small screen, never squeezes a panel below its minimum). */
export function fitToRoom(layout: Layout, room: Room): Layout {
  let sizes: Sizes = layout.sizes;
  for (const s of SPLITS) {
    const v = clampSize(s, sizes[s], sizes, room);
    if (v !== sizes[s]) sizes = { ...sizes, [s]: v };
  }
  return sizes === layout.sizes ? layout : { ...layout, sizes };
}

/** Collapses or expands an area; at least one area always stays open. */
export function setCollapsed(layout: Layout, area: Area, collapsed: boolean): Layout {
  const has = layout.collapsed.includes(area);
  if (has === collapsed) return layout;
  if (collapsed && layout.collapsed.length >= AREAS.length - 1) return layout;
  const next = collapsed ? [...layout.collapsed, area] : layout.collapsed.filter((a) => a !== area);
  return { ...layout, collapsed: AREAS.filter((a) => next.includes(a)) };
}

/** Whether a splitter can be dragged: both of its sides are open. */
export function splitActive(layout: Layout, split: Split): boolean {
  const c = (a: Area) => layout.collapsed.includes(a);
  switch (split) {
    case 'pt':
      return !c('pagetable') && !(c('tlb') && c('log') && c('dock'));
    case 'tlb':
      return !c('tlb') && !c('log');
    case 'top':
      return !c('dock') && !(c('tlb') && c('log'));
    default: {
      const never: never = split;
      return never;
    }
  }
}

/** The TLBs and the log both collapsed under an open dock: the top row shrinks to two bars. */
function topBars(layout: Layout): boolean {
  const c = (a: Area) => layout.collapsed.includes(a);
  return c('tlb') && c('log') && !c('dock');
}

/**
 * How a collapsed area shows: a column on its side (`strip`), or a bar across (`bar`). The page
 * table is a column; the TLBs and the log are columns of the top row unless both are collapsed
 * (then the row itself shrinks to their two bars); the dock is a bar at the bottom.
 */
export function collapsedShape(layout: Layout, area: Area): 'strip' | 'bar' {
  switch (area) {
    case 'pagetable':
      return 'strip';
    case 'tlb':
    case 'log':
      return topBars(layout) ? 'bar' : 'strip';
    case 'dock':
      return 'bar';
    default: {
      const never: never = area;
      return never;
    }
  }
}

const fr = (n: number) => `minmax(0, ${Math.max(0.001, n).toFixed(4)}fr)`;

/** The CSS grid tracks for a layout (areas: pt | s-pt | tlb | s-tlb | log over s-top and dock). */
export function gridTracks(layout: Layout): { columns: string; rows: string } {
  const c = (a: Area) => layout.collapsed.includes(a);
  const { pt, tlb, top } = layout.sizes;
  const s = `${SPLITTER_PX}px`;
  const strip = `${STRIP_PX}px`;
  // Everything right of the tree collapsed: the tree takes the width, the rest stand on their sides.
  if (c('tlb') && c('log') && c('dock')) {
    return { columns: `${fr(1)} ${s} ${strip} ${s} ${strip}`, rows: `${fr(1)} ${s} auto` };
  }
  const bars = topBars(layout);
  const ptCol = c('pagetable') ? strip : fr(pt);
  const right = c('pagetable') ? 1 : 1 - pt;
  const tlbCol = c('tlb') && !bars ? strip : fr(right * (c('log') && !bars ? 1 : tlb));
  const logCol = c('log') && !bars ? strip : fr(right * (c('tlb') && !bars ? 1 : 1 - tlb));
  const columns = `${ptCol} ${s} ${tlbCol} ${s} ${logCol}`;
  let rows: string;
  if (bars) rows = `auto ${s} ${fr(1)}`;
  else if (c('dock')) rows = `${fr(1)} ${s} auto`;
  else rows = `${fr(top)} ${s} ${fr(1 - top)}`;
  return { columns, rows };
}

/** Whether two layouts show the same thing. */
export function sameLayout(a: Layout, b: Layout): boolean {
  return (
    SPLITS.every((s) => Math.abs(a.sizes[s] - b.sizes[s]) < 1e-9) &&
    a.collapsed.length === b.collapsed.length &&
    a.collapsed.every((x) => b.collapsed.includes(x))
  );
}

/** A stored layout read back; anything malformed gives null (the lesson's default then). */
export function parseStoredLayout(text: string | null): Layout | null {
  if (text === null || text.length > 1000) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { sizes, collapsed } = raw as { sizes?: unknown; collapsed?: unknown };
  if (typeof sizes !== 'object' || sizes === null || !Array.isArray(collapsed)) return null;
  const out: Record<Split, number> = { ...BASE };
  for (const s of SPLITS) {
    const v = (sizes as Record<string, unknown>)[s];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v >= 1) return null;
    out[s] = v;
  }
  const areas = AREAS.filter((a) => collapsed.includes(a));
  if (areas.length !== collapsed.length || areas.length >= AREAS.length) return null;
  return { sizes: out, collapsed: areas };
}
