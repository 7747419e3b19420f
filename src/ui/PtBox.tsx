// One page table drawn in the tree: a header (level, frame; a toggle when it has child tables)
// and its rows. Every entry shows all eight flags in a fixed order, set ones boxed and bold,
// clear ones dimmed, so a flag reads by position and weight, not by colour alone; the raw entry
// is in the row's tooltip. Rows of the walk light up level by level (CSS animation delays).
import { type CSSProperties, type KeyboardEvent, memo } from 'react';
import { levelName } from './format';
import { HEAD, type Laid, ROW, rowHeight, W } from './ptLayout';
import { FLAG_ORDER, type Row, SLOTS, slotsUsed } from './ptModel';

/** Seconds between one level of the walk lighting up and the next. */
export const WALK_STAGE_S = 0.35;

const IDX_X = 10;
const FLAGS_X = 64;
const CELL = 21;

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

function rowClass(r: Row): string {
  const cls = ['pt-row', `pt-${r.kind}`];
  if (r.onWalk) cls.push('pt-walk');
  if (r.changed) cls.push('pt-changed');
  if (r.range) cls.push('pt-toggle');
  return cls.join(' ');
}

function indexText(r: Row): string {
  return r.last > r.index ? `${r.index}–${r.last}` : `[${r.index}]`;
}

const BOX_W = CELL - 2;
const BOX_H = ROW - 9;
const BOX_Y = 4;
const BOX_R = 3;

/** Advance of one character of the 11 px monospace flag font (0.6 em, as DejaVu Sans Mono). */
const CHAR_W = 6.6;

interface FlagDrawing {
  /** One path: a rounded box around each set flag. */
  boxes: string;
  /** The set flags' letters and, per letter, its x (each letter centred on its own x). */
  on: { text: string; x: string };
  off: { text: string; x: string };
}

function letters(names: readonly string[], centre: (name: string) => number): { text: string; x: string } {
  let text = '';
  const xs: number[] = [];
  for (const f of names) {
    const mid = centre(f);
    for (let c = 0; c < f.length; c++) {
      text += f[c];
      xs.push(mid + (c - (f.length - 1) / 2) * CHAR_W);
    }
  }
  return { text, x: xs.join(' ') };
}

/** How a row's flags are drawn, cached per set of flags (a tree has only a few distinct sets). */
const drawings = new Map<string, FlagDrawing>();
function flagDrawing(flags: readonly string[]): FlagDrawing {
  const id = flags.join(' ');
  const cached = drawings.get(id);
  if (cached) return cached;
  const centre = (f: string) =>
    FLAGS_X + FLAG_ORDER.indexOf(f as (typeof FLAG_ORDER)[number]) * CELL + BOX_W / 2;
  const set = FLAG_ORDER.filter((f) => flags.includes(f));
  const clear = FLAG_ORDER.filter((f) => !flags.includes(f));
  let boxes = '';
  const r = BOX_R;
  for (const f of set) {
    const x = centre(f) - BOX_W / 2;
    boxes += `M${x + r},${BOX_Y}h${BOX_W - 2 * r}a${r},${r} 0 0 1 ${r},${r}v${BOX_H - 2 * r}a${r},${r} 0 0 1 ${-r},${r}`;
    boxes += `h${-(BOX_W - 2 * r)}a${r},${r} 0 0 1 ${-r},${-r}v${-(BOX_H - 2 * r)}a${r},${r} 0 0 1 ${r},${-r}z`;
  }
  const d = { boxes, on: letters(set, centre), off: letters(clear, centre) };
  drawings.set(id, d);
  return d;
}

/**
 * The eight flags of a row in fixed places: one path for the boxes of the set ones, one text for
 * the set letters and one for the clear ones, each letter placed by the text's x list. Three SVG
 * elements rather than one group per flag: a step that redraws the tree lays out far less.
 */
function FlagCells({ flags }: { flags: readonly string[] }) {
  const d = flagDrawing(flags);
  return (
    // Hidden from assistive tech: the row's label (its title) names the set flags in words.
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG group of text, not focusable
    <g className="pt-flagcells" aria-hidden="true">
      {d.boxes && <path className="pt-flag-box" d={d.boxes} />}
      {d.on.text && (
        <text className="pt-flag pt-flag-on" x={d.on.x} y={17} textAnchor="middle">
          {d.on.text}
        </text>
      )}
      {d.off.text && (
        <text className="pt-flag" x={d.off.x} y={17} textAnchor="middle">
          {d.off.text}
        </text>
      )}
    </g>
  );
}

function rowText(r: Row): string {
  switch (r.kind) {
    case 'gap':
      return `▸ ${r.last - r.index + 1} empty`;
    case 'fold':
      return `▾ ${r.last - r.index + 1} ${r.range?.includes(':g') ? 'empty' : 'similar'}: fold`;
    case 'empty':
      return 'empty (0)';
    case 'swap':
      return 'not present: swap entry';
    case 'missing':
      return 'not present';
    case 'entry':
    case 'run':
    case 'cleared':
      return '';
    default: {
      const never: never = r.kind;
      return never;
    }
  }
}

function onActivate(fn: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    // Keep Space and Enter from reaching the app's play/step shortcuts.
    e.preventDefault();
    e.stopPropagation();
    fn();
  };
}

function RowView({
  r,
  y,
  level,
  delay,
  pulse,
  onRange,
}: {
  r: Row;
  y: number;
  level: number;
  delay: CSSProperties | undefined;
  pulse: number;
  onRange: (key: string) => void;
}) {
  const range = r.range;
  const toggle = range ? () => onRange(range) : undefined;
  const flagged = r.kind === 'entry' || r.kind === 'run' || r.kind === 'cleared';
  const text = rowText(r);
  const target = r.kind === 'run' ? `${r.last - r.index + 1} ${r.target}` : r.target;
  const h = rowHeight(r);
  const base = h === ROW ? 18 : 13;
  return (
    <g
      transform={`translate(0, ${y})`}
      data-testid="pt-entry"
      data-level={level}
      data-index={r.index}
      data-last={r.last}
      data-kind={r.kind}
      data-walk={r.onWalk ? 'true' : undefined}
      data-changed={r.changed ? 'true' : undefined}
      {...(toggle
        ? {
            role: 'button',
            tabIndex: 0,
            'aria-expanded': r.kind === 'fold',
            // Starts with the visible text (WCAG 2.5.3), then says what the row stands for.
            'aria-label': `${[indexText(r), text, target].filter(Boolean).join(' ')}: ${r.title}`,
            onClick: toggle,
            onKeyDown: onActivate(toggle),
          }
        : {})}
    >
      <title>{r.title}</title>
      <rect
        key={r.onWalk || r.changed ? `p${pulse}` : 'r'}
        className={rowClass(r)}
        style={delay}
        x={4}
        y={1}
        width={W - 8}
        height={h - 3}
        rx={4}
      />
      <text className="pt-idx" x={IDX_X} y={base}>
        {indexText(r)}
      </text>{' '}
      {flagged && <FlagCells flags={r.flags} />}
      {text && (
        <text className="pt-note" x={FLAGS_X} y={base}>
          {text}
        </text>
      )}{' '}
      <text className="pt-target" x={W - 10} y={base} textAnchor="end">
        {target}
      </text>
    </g>
  );
}

interface PtBoxProps {
  n: Laid;
  /** The rows to draw: [first, end) of the box's rows (the others are outside the view). */
  rows: [number, number];
  onToggle: (key: string) => void;
  onRange: (key: string) => void;
  /**
   * A new value restarts the walk's light-up: only the highlighted rectangles are drawn anew (the
   * animation starts when an element is created), not the whole box.
   */
  pulse: number;
}

/**
 * Whether a box draws the same as before: same place, same rows (ptModel caches a table's rows
 * while it is unchanged and off the walk), same state. A step then redraws only what it touched.
 */
function sameBox(a: PtBoxProps, b: PtBoxProps): boolean {
  const x = a.n.box;
  const y = b.n.box;
  return (
    a.n.x === b.n.x &&
    a.n.y === b.n.y &&
    a.n.h === b.n.h &&
    a.rows[0] === b.rows[0] &&
    a.rows[1] === b.rows[1] &&
    a.onToggle === b.onToggle &&
    a.onRange === b.onRange &&
    a.pulse === b.pulse &&
    x.key === y.key &&
    x.table === y.table &&
    x.rows === y.rows &&
    x.walkPos === y.walkPos &&
    x.collapsed === y.collapsed &&
    x.branches === y.branches
  );
}

export const PtBox = memo(function PtBox({ n, rows, onToggle, onRange, pulse }: PtBoxProps) {
  const b = n.box;
  const level = b.table.level;
  const delay = b.walkPos >= 0 ? { animationDelay: `${b.walkPos * WALK_STAGE_S}s` } : undefined;
  const toggle = () => onToggle(b.key);
  const used = `${slotsUsed(b.table)} of ${SLOTS} used`;
  const hidden = `${plural(b.below.tables, 'table')}, ${plural(b.below.pages, 'page')} below`;
  const drawn: Row[] = b.rows.slice(rows[0], rows[1]);
  return (
    <g
      transform={`translate(${n.x}, ${n.y})`}
      data-testid="pt-table"
      data-frame={b.table.pfn}
      data-level={level}
      data-collapsed={b.branches ? String(b.collapsed) : undefined}
    >
      <rect
        key={`p${pulse}`}
        className={b.walkPos >= 0 ? 'pt-box pt-box-walk' : 'pt-box'}
        style={delay}
        width={W}
        height={n.h}
        rx={6}
      />
      <g
        className={b.branches ? 'pt-head-hit' : undefined}
        data-testid="pt-head"
        {...(b.branches
          ? {
              role: 'button',
              tabIndex: 0,
              'aria-expanded': !b.collapsed,
              'aria-label': `${levelName(level)} frame ${b.table.pfn} · ${used}: ${
                b.collapsed ? `collapsed, ${hidden}; press to expand` : 'press to collapse its subtree'
              }`,
              onClick: toggle,
              onKeyDown: onActivate(toggle),
            }
          : {})}
      >
        <rect className="pt-head-bg" x={2} y={2} width={W - 4} height={HEAD - 3} rx={5} />
        <rect className={`pt-lvl lvl-${level}`} x={5} y={5} width={8} height={HEAD - 10} rx={2} />
        <text className="pt-head" x={18} y={20}>
          {levelName(level)}{' '}
          <tspan className="pt-head-frame" dx={4}>
            frame {b.table.pfn} · {used}
          </tspan>
        </text>
        {b.branches && (
          // biome-ignore lint/a11y/noAriaHiddenOnFocusable: SVG text, not focusable; the label says it
          <text className="pt-head-fold" x={W - 10} y={19} textAnchor="end" aria-hidden="true">
            {b.collapsed ? '▸' : '▾'}
          </text>
        )}
      </g>
      {b.collapsed && (
        <text className="pt-foot-note" x={18} y={n.h - 10} data-testid="pt-hidden">
          ▸ {hidden} (collapsed)
        </text>
      )}
      {drawn.map((r, i) => (
        <RowView
          // By place in the box, not by entry: another process's table (auto follows the acting
          // core, which changes nearly every step on a big run) then updates the same rows' text
          // instead of removing and creating them. Panning keeps the rows still in view.
          // biome-ignore lint/suspicious/noArrayIndexKey: the row's place is its identity here
          key={rows[0] + i}
          r={r}
          y={HEAD + (n.tops[rows[0] + i] ?? 0)}
          level={level}
          delay={r.onWalk ? delay : undefined}
          pulse={pulse}
          onRange={onRange}
        />
      ))}
    </g>
  );
}, sameBox);
