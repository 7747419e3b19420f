// The page-table tree of the current process (or any process, from the picker). ptModel folds
// runs of similar entries and empty ranges and collapses subtrees off the walk; ptLayout places
// the boxes (d3-hierarchy) and culls what the viewport cannot see; d3-zoom pans and zooms the SVG.
// The view survives steps: only "fit" (or never having zoomed) lets a step re-fit the tree; with
// "follow walk" on, a step whose walk is out of view pans (same scale) to it.
import { select } from 'd3-selection';
import { line } from 'd3-shape';
import { type D3ZoomEvent, type ZoomBehavior, zoom, zoomIdentity, zoomTransform } from 'd3-zoom';
import {
  type ChangeEvent,
  type FocusEvent,
  type KeyboardEvent,
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ProcView, PtNodeView, Snapshot } from '../core/view/snapshot';
import { showProcess, useVm } from '../state';
import { BitSlicer } from './BitSlicer';
import { PtBox, WALK_STAGE_S } from './PtBox';
import {
  fitView,
  type Laid,
  type LayoutName,
  layoutStacked,
  layoutTree,
  pickLayout,
  panTo,
  showsBox,
  type TreeLayout,
  type View,
  visibleEdges,
  visibleNodes,
  visibleRect,
  visibleRows,
} from './ptLayout';
import { buildTree, type PteWrite, treeCut, walkKey } from './ptModel';
import { shareTree } from './ptShare';
import { useSize } from './useSize';
import { useThrottled } from './useThrottled';
import './pageTable.css';

/** Zoom limits (d3-zoom scaleExtent) and the step of the +/- buttons and keys. */
const ZOOM_MIN = 0.1;
const ZOOM_MAX = 4;
const ZOOM_STEP = 1.25;
/** The tools column overlays the right edge of the viewport; the fitted tree stays left of it. */
const TOOLS_W = 36;
/** A focused control in the tree is drawn at least this tall (screen pixels). */
const MIN_TARGET = 25;
/** Screen pixels an arrow key pans. */
const PAN_STEP = 60;
/** Boxes this far (screen pixels) outside the viewport are still drawn, so panning shows no holes. */
const CULL_MARGIN = 120;

const HELP =
  'Drag to pan, wheel or pinch to zoom. Tab into the tree: + and - zoom, 0 fits, arrow keys pan, Esc gives the arrow keys back to stepping. Click a table header or a folded row (Enter or Space) to collapse or expand it.';

const edgeLine = line<[number, number]>();

/** A layout with its focus: the deepest table of the walk. */
function withFocus(lay: TreeLayout): { lay: TreeLayout; focus: Laid | undefined } {
  let focus: Laid | undefined;
  for (const n of lay.nodes)
    if (n.box.walkPos >= 0 && (!focus || n.box.walkPos > focus.box.walkPos)) focus = n;
  return { lay, focus };
}

function pickProc(s: Snapshot, chosen: number | null): ProcView | null {
  const want = chosen ?? s.autoPid;
  return s.procs.find((p) => p.pid === want) ?? s.procs[0] ?? null;
}

function walkCaption(s: Snapshot, proc: ProcView): string {
  // A big run's snapshot carries one tree; the chosen one arrives with the next snapshot.
  if (proc.treeOmitted) return `Fetching process ${proc.pid}'s page tables…`;
  if (s.walk && s.walk.pid === proc.pid) {
    const miss = s.events.find((e) => e.type === 'tlb.miss');
    const va = miss && miss.type === 'tlb.miss' ? ` for ${miss.va}` : '';
    return `Core ${s.walk.core} walks it${va}`;
  }
  const w = s.events.find((e) => e.type === 'pte.write' && e.pid === proc.pid);
  if (w && w.type === 'pte.write') return `The kernel writes an entry for ${w.va}`;
  return 'No walk in this step';
}

/**
 * While playing, the tree is redrawn at most this often. At full speed the worker sends a new step
 * every frame; redrawing thousands of entries each time would drop frames, and nobody can read a
 * tree that changes sixty times a second. Paused or stepping, every step is drawn at once.
 */
export const TREE_PLAY_REDRAW_MS = 500;

/** Boxes the user collapsed or opened and ranges they expanded, in process `pid`. */
interface Choices {
  pid: number | null;
  collapsed: ReadonlyMap<string, boolean>;
  expanded: ReadonlySet<string>;
}

const NO_CHOICES: Choices = { pid: null, collapsed: new Map(), expanded: new Set() };

export function PageTablePanel() {
  const { live, ptPid, playing } = useVm(
    useShallow((s) => ({ live: s.snapshot, ptPid: s.ptPid, playing: s.playing })),
  );
  const snapshot = useThrottled(live, playing ? TREE_PLAY_REDRAW_MS : 0);
  return <PageTableView snapshot={snapshot} ptPid={ptPid} playing={playing} />;
}

const PageTableView = memo(function PageTableView({
  snapshot,
  ptPid,
  playing,
}: {
  snapshot: Snapshot | null;
  ptPid: number | null;
  playing: boolean;
}) {
  const proc = snapshot ? pickProc(snapshot, ptPid) : null;
  const pid = proc?.pid ?? null;

  // The user's collapse choices and expanded ranges, for the process they were made in: another
  // process starts from the defaults. (Held with their pid, not reset by an effect: in "auto",
  // stress-16 changes process nearly every step, and an effect would draw each step twice.)
  const [choices, setChoices] = useState<Choices>(NO_CHOICES);
  const [follow, setFollow] = useState(true);
  const mine = choices.pid === pid ? choices : NO_CHOICES;
  const { collapsed, expanded } = mine;

  const lastWalk = useRef<{ pid: number; tables: ReadonlySet<number> } | null>(null);
  // The last tree drawn of each process: a process's next tree shares its unchanged tables with
  // it (and so their cached rows and counts), even when other processes were drawn in between.
  const lastRoots = useRef(new Map<number, PtNodeView>());
  const lastRootsOf = useRef<string | null>(null);
  const layouts = useMemo(() => {
    if (!snapshot || !proc) return null;
    const walk = new Map<string, readonly [number, number]>();
    if (snapshot.walk && snapshot.walk.pid === proc.pid) {
      snapshot.walk.levels.forEach((l, i) => {
        walk.set(walkKey(l.level, l.table), [l.index, i]);
      });
    }
    const writes = snapshot.events.filter((e): e is PteWrite => e.type === 'pte.write' && e.pid === proc.pid);
    // A step without a walk keeps the last walk's tables open, so the tree does not jump.
    if (walk.size > 0)
      lastWalk.current = { pid: proc.pid, tables: new Set(snapshot.walk?.levels.map((l) => l.table)) };
    const keepOpen = lastWalk.current?.pid === proc.pid ? lastWalk.current.tables : undefined;
    // Tables unchanged since the last tree drawn keep their objects, and so their cached rows.
    if (lastRootsOf.current !== snapshot.scenarioId) {
      lastRoots.current.clear();
      lastRootsOf.current = snapshot.scenarioId;
    }
    const root = shareTree(proc.root, lastRoots.current.get(proc.pid));
    lastRoots.current.set(proc.pid, root);
    const boxes = buildTree({ root, walk, writes, collapsed, expanded, keepOpen });
    return { levels: withFocus(layoutTree(boxes)), stacked: withFocus(layoutStacked(boxes)) };
  }, [snapshot, proc, collapsed, expanded]);

  const box = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const room = useSize(box, { width: 340, height: 400 });
  // The layout that shows this tree larger in this panel (pickLayout). Each process's tree keeps
  // the layout it was last drawn in unless the other is clearly better: in "auto" the process
  // changes with the acting core, and its tree should not rearrange each time.
  const layoutOf = useRef(new Map<string, LayoutName>());
  const layoutName = useMemo(() => {
    if (!layouts || !snapshot || pid === null) return null;
    const key = `${snapshot.scenarioId}:${pid}`;
    const w = room.width - TOOLS_W;
    const name = pickLayout(
      layouts.levels.lay,
      layouts.stacked.lay,
      w,
      room.height,
      layoutOf.current.get(key),
    );
    layoutOf.current.set(key, name);
    return name;
  }, [layouts, room, snapshot, pid]);
  const drawn = layouts && layoutName ? layouts[layoutName] : null;
  const [view, setView] = useState<View>({ k: 1, x: 0, y: 0 });
  const zoomer = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  /** The user zoomed or panned: steps keep the view (until "fit"). */
  const manual = useRef(false);
  const lastStep = useRef<number | null>(null);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([ZOOM_MIN, ZOOM_MAX])
      .on('zoom', (ev: D3ZoomEvent<SVGSVGElement, unknown>) => {
        if (ev.sourceEvent) manual.current = true;
        const t = ev.transform;
        setView((v) => (v.k === t.k && v.x === t.x && v.y === t.y ? v : { k: t.k, x: t.x, y: t.y }));
      });
    // A double click toggles boxes, so it does not zoom.
    select(svg).call(z).on('dblclick.zoom', null);
    zoomer.current = z;
    return () => {
      select(svg).on('.zoom', null);
      zoomer.current = null;
    };
  }, []);

  const apply = useCallback((v: View) => {
    const svg = svgRef.current;
    const z = zoomer.current;
    if (svg && z) select(svg).call(z.transform, zoomIdentity.translate(v.x, v.y).scale(v.k));
  }, []);

  // The automatic fit is drawn at once (see `shown` below); d3 only learns it, with no zoom
  // event, so a step renders the tree once rather than again when d3 reports the new transform.
  const fitted = useMemo(
    () => (drawn ? fitView(drawn.lay, room.width - TOOLS_W, room.height, drawn.focus) : null),
    [drawn, room],
  );
  const fit = useCallback(() => {
    manual.current = false;
    if (fitted) apply(fitted);
  }, [fitted, apply]);

  // A new layout or panel size: re-fit unless the user chose a view; then, on a new step, pan to
  // the walk if it is out of view and "follow walk" is on.
  useLayoutEffect(() => {
    if (!drawn) return;
    const step = snapshot?.step ?? null;
    const newStep = step !== lastStep.current;
    lastStep.current = step;
    if (!manual.current) {
      const svg = svgRef.current;
      if (svg && fitted)
        select(svg).property('__zoom', zoomIdentity.translate(fitted.x, fitted.y).scale(fitted.k));
      return;
    }
    const svg = svgRef.current;
    if (!svg || !newStep || !follow || !drawn.focus) return;
    const t = zoomTransform(svg);
    if (!showsBox(t, room.width, room.height, drawn.focus))
      apply(panTo(t, room.width, room.height, drawn.focus));
  }, [drawn, room, apply, follow, snapshot?.step, fitted]);

  const zoomBy = (f: number) => {
    const svg = svgRef.current;
    const z = zoomer.current;
    if (!svg || !z) return;
    manual.current = true;
    z.scaleBy(select(svg), f);
  };
  const panBy = (dx: number, dy: number) => {
    const svg = svgRef.current;
    const z = zoomer.current;
    if (!svg || !z) return;
    manual.current = true;
    const k = zoomTransform(svg).k;
    z.translateBy(select(svg), dx / k, dy / k);
  };

  // Keyboard focus on a table head or a folded row brings it into view at a scale where it is at
  // least MIN_TARGET px tall (WCAG 2.5.8), like scrolling a focused element into view.
  const onTreeFocus = (e: FocusEvent<HTMLDivElement>) => {
    const el = e.target;
    const svg = svgRef.current;
    const z = zoomer.current;
    const vp = box.current;
    if (!svg || !z || !vp || el === vp || !(el instanceof SVGGraphicsElement)) return;
    const t = zoomTransform(svg);
    const r = el.getBoundingClientRect();
    const v = vp.getBoundingClientRect();
    const k = Math.min(ZOOM_MAX, t.k * Math.max(1, MIN_TARGET / Math.min(r.width, r.height)));
    const inside = r.left >= v.left && r.right <= v.right - TOOLS_W && r.top >= v.top && r.bottom <= v.bottom;
    if (k === t.k && inside) return;
    // The element's centre in tree coordinates, put in the middle of the viewport at scale k.
    const cx = (r.left + r.width / 2 - v.left - t.x) / t.k;
    const cy = (r.top + r.height / 2 - v.top - t.y) / t.k;
    manual.current = true;
    apply({ k, x: (room.width - TOOLS_W) / 2 - cx * k, y: room.height / 2 - cy * k });
  };

  const onTreeKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const act: Record<string, () => void> = {
      '+': () => zoomBy(ZOOM_STEP),
      '=': () => zoomBy(ZOOM_STEP),
      '-': () => zoomBy(1 / ZOOM_STEP),
      _: () => zoomBy(1 / ZOOM_STEP),
      '0': fit,
      ArrowLeft: () => panBy(PAN_STEP, 0),
      ArrowRight: () => panBy(-PAN_STEP, 0),
      ArrowUp: () => panBy(0, PAN_STEP),
      ArrowDown: () => panBy(0, -PAN_STEP),
      Escape: () => (document.activeElement as HTMLElement | null)?.blur(),
    };
    const f = act[e.key];
    if (!f) return;
    // Handled here: the app's global step keys must not also act.
    e.preventDefault();
    e.stopPropagation();
    f();
  };

  // Stable across steps (it reads the layout through a ref), so unchanged boxes need not redraw.
  const drawnRef = useRef(drawn);
  drawnRef.current = drawn;
  const pidRef = useRef(pid);
  pidRef.current = pid;
  const onToggle = useCallback((key: string) => {
    const now = drawnRef.current?.lay.nodes.find((n) => n.box.key === key)?.box.collapsed ?? false;
    const pid = pidRef.current;
    setChoices((c) => {
      const base = c.pid === pid ? c : { ...NO_CHOICES, pid };
      return { ...base, collapsed: new Map(base.collapsed).set(key, !now) };
    });
  }, []);
  const onRange = useCallback((key: string) => {
    const pid = pidRef.current;
    setChoices((c) => {
      const base = c.pid === pid ? c : { ...NO_CHOICES, pid };
      const next = new Set(base.expanded);
      if (!next.delete(key)) next.add(key);
      return { ...base, expanded: next };
    });
  }, []);

  const onPick = (e: ChangeEvent<HTMLSelectElement>) => {
    const v = e.currentTarget.value;
    showProcess(v === 'auto' ? null : Number(v));
    e.currentTarget.blur();
  };

  // The user's view after a zoom or pan; else the fit of this layout.
  const shown = !manual.current && fitted ? fitted : view;
  const rect = visibleRect(shown, room.width, room.height, CULL_MARGIN);
  const nodes = drawn ? visibleNodes(drawn.lay.nodes, rect) : [];
  const edges = drawn ? visibleEdges(drawn.lay.edges, rect).sort((a, b) => a.walkPos - b.walkPos) : [];
  const root = drawn?.lay.nodes[0];
  const step = snapshot?.step ?? 0;
  const cut = proc && !proc.treeOmitted ? treeCut(proc.root) : null;

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
          {cut !== null && (
            <span className="pt-cut" data-testid="pt-cut">
              {' '}
              · only the first {cut.toLocaleString('en-US')} entries are drawn
            </span>
          )}
          {playing && (
            <span
              className="pt-lag"
              title={`While playing, the tree is redrawn every ${TREE_PLAY_REDRAW_MS / 1000} s`}
            >
              {' '}
              · as of step {snapshot.step}
            </span>
          )}
        </p>
      )}
      <BitSlicer />
      <div className="pt-stage">
        {/* Focus comes only from the keyboard (Tab): a mouse press must not take the arrow keys. */}
        {/* biome-ignore lint/a11y/useSemanticElements: a labelled group of an SVG drawing, not a form */}
        <div
          className="pt-viewport"
          ref={box}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the tree pans and zooms with keys once focused (WCAG 2.1.1)
          tabIndex={0}
          role="group"
          aria-label={`Page-table tree of process ${proc?.pid ?? ''}`}
          aria-describedby="pt-help"
          data-testid="pt-viewport"
          onKeyDown={onTreeKey}
          onFocus={onTreeFocus}
          onMouseDownCapture={(e) => e.preventDefault()}
        >
          <svg
            ref={svgRef}
            className="pt-svg"
            width={room.width}
            height={room.height}
            data-testid="pt-svg"
            data-layout={layoutName ?? undefined}
          >
            <g
              data-testid="pt-zoom"
              data-k={shown.k.toFixed(3)}
              transform={`translate(${shown.x}, ${shown.y}) scale(${shown.k})`}
            >
              {root && (
                <text className="pt-cr3" x={root.x + 2} y={16}>
                  CR3 → frame {root.box.table.pfn}
                </text>
              )}
              {edges.map((e) => (
                <path
                  key={e.walkPos >= 0 && !playing ? `${e.key}@${step}` : e.key}
                  className={e.walkPos >= 0 ? 'pt-edge pt-edge-walk' : 'pt-edge'}
                  style={
                    e.walkPos >= 0 ? { animationDelay: `${(e.walkPos + 0.5) * WALK_STAGE_S}s` } : undefined
                  }
                  d={edgeLine(e.points) ?? ''}
                />
              ))}
              {nodes.map((n) => (
                <PtBox
                  key={n.box.key}
                  pulse={n.box.walkPos >= 0 && !playing ? step : 0}
                  n={n}
                  rows={visibleRows(n.y, n.tops, rect)}
                  onToggle={onToggle}
                  onRange={onRange}
                />
              ))}
            </g>
          </svg>
        </div>
        <div className="pt-tools">
          <button
            type="button"
            className="pt-tool"
            aria-label="Zoom in"
            title="Zoom in (+)"
            onClick={() => zoomBy(ZOOM_STEP)}
          >
            +
          </button>
          <button
            type="button"
            className="pt-tool"
            aria-label="Zoom out"
            title="Zoom out (-)"
            onClick={() => zoomBy(1 / ZOOM_STEP)}
          >
            −
          </button>
          <button
            type="button"
            className="pt-tool pt-tool-wide"
            aria-label="Fit the tree"
            title="Fit the tree (0)"
            onClick={fit}
          >
            fit
          </button>
          <button
            type="button"
            className="pt-tool pt-tool-follow"
            aria-pressed={follow}
            aria-label="Follow the walk"
            title="Follow the walk: after a step, pan to the walk when it is out of view"
            onClick={() => setFollow((f) => !f)}
          >
            <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" className="pt-follow-icon">
              <circle cx="8" cy="8" r="5" />
              <path d="M8 0v4M8 12v4M0 8h4M12 8h4" />
            </svg>
          </button>
          <span className="pt-help-mark" title={HELP} aria-hidden="true">
            ?
          </span>
        </div>
        <p id="pt-help" className="sr-only">
          {HELP}
        </p>
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
});
