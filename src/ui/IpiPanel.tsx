// IPI traffic over simulated time: one lane per core (its state on the left), a linear time
// scale (d3-scale) over ticks, IPI arrows from sender to receiver (dashed while in flight), ack
// arrows back, the handlers on the receivers and the initiator's "waiting for acks" span. The
// time axis zooms (d3-zoom, x only: wheel, pinch, drag, the buttons, or + − 0 on the focused
// lanes); lanes scroll vertically when there are more cores than fit. Lazy-TLB cores are hatched.
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { type D3ZoomEvent, type ZoomBehavior, zoom, zoomIdentity, zoomTransform } from 'd3-zoom';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CoreView, IpiTimeline } from '../core/view/snapshot';
import { useVm } from '../state';
import './ipiZoom.css';
import {
  clampDomain,
  type Domain,
  domainOf,
  isFull,
  MIN_SPAN,
  setIpiView,
  transformFor,
  useIpiZoom,
  ZOOM_STEP,
  zoomAround,
} from './ipiZoom';
import type { TabPanelProps } from './tabs';
import { useSize } from './useSize';

const GUTTER = 200;
/** Lane height: fills the panel, within these bounds (below LANE_COMPACT the pills shrink). */
const LANE_MIN = 20;
const LANE_MAX = 56;
const LANE_COMPACT = 30;
const TOP = 17;
const AXIS = 30;
const RIGHT = 24;
const CHAR = 8; // approximate width of a 14px character, for placing labels
const STATE_LABEL: Record<CoreView['state'], string> = {
  idle: 'idle',
  lazy: 'lazy',
  user: 'user',
  spinning: 'spinning',
  kernel: 'kernel',
  interrupt: 'interrupt',
  waiting: 'waiting',
};

/**
 * A span's label: centred inside the span (clear of the arrows at its start and the acks at its
 * end) when it fits; otherwise beside it if `always`, else left out (the legend names the colour).
 */
function SpanLabel({
  x0,
  x1,
  y,
  text,
  plotLeft,
  plotRight,
  always,
}: {
  x0: number;
  x1: number;
  y: number;
  text: string;
  plotLeft: number;
  plotRight: number;
  always: boolean;
}) {
  const w = text.length * CHAR;
  if (x1 - x0 >= w + 12) {
    return (
      <text className="ipi-span-label" x={(x0 + x1) / 2} y={y} textAnchor="middle">
        {text}
      </text>
    );
  }
  if (!always) return null;
  if (x1 + 6 + w <= plotRight) {
    return (
      <text className="ipi-span-label" x={x1 + 6} y={y}>
        {text}
      </text>
    );
  }
  return (
    <text className="ipi-span-label" x={Math.max(plotLeft + w, x0 - 6)} y={y} textAnchor="end">
      {text}
    </text>
  );
}

/** The colour key of the lanes. */
export function IpiLegend() {
  return (
    <span className="legend">
      <span className="key key-ipi">IPI</span> <span className="key key-flight">in flight</span>{' '}
      <span className="key key-ack">ack</span> <span className="chip chip-handler">handler</span>{' '}
      <span className="chip chip-wait">waiting for acks</span>{' '}
      <span className="key key-behind" title="the core's TLB is behind its mm's tlb_gen">
        behind tlb_gen
      </span>
    </span>
  );
}

/** The IPI lanes on their own, in a tab of the shared panel area. */
export function IpiPanel() {
  return (
    <section className="panel panel-ipi" data-testid="panel-ipi" aria-labelledby="ipi-title">
      <div className="panel-head">
        <h2 id="ipi-title">IPIs between cores</h2>
        <IpiLegend />
      </div>
      <IpiLanes />
    </section>
  );
}

/** The zoom buttons: + and − about the middle of the window, fit shows the whole run so far. */
function ZoomButtons({
  onZoom,
  onFit,
  full,
}: {
  onZoom: (f: number) => void;
  onFit: () => void;
  full: boolean;
}) {
  return (
    <div className="ipi-zoom">
      <button
        type="button"
        className="ipi-zoom-btn"
        aria-label="Zoom out in time"
        title="Zoom out (−)"
        onClick={() => onZoom(1 / ZOOM_STEP)}
        disabled={full}
        data-testid="ipi-zoom-out"
      >
        −
      </button>
      <button
        type="button"
        className="ipi-zoom-btn"
        aria-label="Zoom in in time"
        title="Zoom in (+)"
        onClick={() => onZoom(ZOOM_STEP)}
        data-testid="ipi-zoom-in"
      >
        +
      </button>
      <button
        type="button"
        className="ipi-zoom-btn ipi-zoom-fit"
        aria-label="Fit the whole run in view"
        title="Fit (0)"
        onClick={onFit}
        disabled={full}
        data-testid="ipi-zoom-fit"
      >
        fit
      </button>
    </div>
  );
}

/** One lane per core over simulated time; `tabpanel` gives the box its tab-panel role. */
export function IpiLanes({ tabpanel }: { tabpanel?: TabPanelProps }) {
  const { ipi, cores, tick, procs, scenarioId } = useVm(
    useShallow((s) => ({
      ipi: s.snapshot?.ipi,
      cores: s.snapshot?.cores,
      tick: s.snapshot?.tick ?? 0,
      procs: s.snapshot?.procs,
      scenarioId: s.snapshot?.scenarioId ?? null,
    })),
  );
  const zoomed = useIpiZoom((z) => (z.scenarioId === scenarioId ? z.view : null));
  // Linux's generations: mm->context.tlb_gen per process, and how far each core's TLB caught up.
  const mmGen = (pid: number) => procs?.find((p) => p.pid === pid)?.tlbGen ?? null;
  const box = useRef<HTMLDivElement>(null);
  const size = useSize(box, { width: 800, height: 200 });
  const width = Math.max(420, size.width);
  const laneCount = cores?.length ?? 0;
  // Floored: lanes that fit must not overflow by a rounding pixel (the wheel would then scroll).
  const LANE = Math.floor(
    Math.min(LANE_MAX, Math.max(LANE_MIN, (size.height - TOP) / Math.max(1, laneCount))),
  );
  const compact = LANE < LANE_COMPACT;
  const height = TOP + laneCount * LANE;
  const overflow = height > size.height + 1;
  const plotLeft = GUTTER;
  const plotRight = width - RIGHT;
  const r0 = plotLeft + 8;
  const r1 = plotRight;
  // At least 100 cycles wide, so the first steps (tick 0) get whole-number ticks.
  const maxTick = Math.max(100, ipi?.maxTick ?? 0, tick);
  const full = scaleLinear().domain([0, maxTick]).nice().domain() as [number, number];
  const shown: Domain = zoomed ? clampDomain(zoomed, full) : full;
  const x = scaleLinear().domain(shown).range([r0, r1]);
  const laneY = (core: number) => TOP + core * LANE + LANE / 2;
  const t: IpiTimeline = ipi ?? { arrows: [], waits: [], handlers: [], maxTick: 0 };
  const ticks = x.ticks(Math.max(2, Math.floor((plotRight - plotLeft) / 110))).filter(Number.isInteger);
  const pillH = compact ? LANE - 4 : 24;

  const setView = (d: Domain | null) => {
    if (scenarioId) setIpiView(scenarioId, d === null || isFull(d, full) ? null : d);
  };
  const zoomBy = (f: number) => setView(zoomAround(shown, f, (shown[0] + shown[1]) / 2, full));
  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === '+' || e.key === '=') zoomBy(ZOOM_STEP);
    else if (e.key === '-' || e.key === '_') zoomBy(1 / ZOOM_STEP);
    else if (e.key === '0') setView(null);
    else return;
    e.preventDefault();
  };

  // d3-zoom on the lanes, x only: its transform is derived from the window shown (below), and a
  // gesture turns its transform back into a window. `live` gives the handlers the latest sizes.
  const svg = useRef<SVGSVGElement>(null);
  const behaviour = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const syncing = useRef(false);
  const live = useRef({ full, r0, r1, scenarioId, overflow });
  live.current = { full, r0, r1, scenarioId, overflow };
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const z = zoom<SVGSVGElement, unknown>()
      // With more lanes than fit, the wheel scrolls them; Ctrl/⌘ + wheel (and a pinch) zooms.
      .filter((ev: WheelEvent | MouseEvent) =>
        ev.type === 'wheel' ? !live.current.overflow || ev.ctrlKey || ev.metaKey : !ev.ctrlKey && !ev.button,
      )
      .on('zoom', (ev: D3ZoomEvent<SVGSVGElement, unknown>) => {
        // Set by the effect below, not by the user (during a wheel gesture d3 keeps its event).
        if (!ev.sourceEvent || syncing.current) return;
        const { full: f, r0: a, r1: b, scenarioId: id } = live.current;
        if (!id) return;
        const d = clampDomain(domainOf({ k: ev.transform.k, x: ev.transform.x }, f, a, b), f);
        setIpiView(id, isFull(d, f) ? null : d);
      });
    behaviour.current = z;
    const sel = select(el);
    sel.call(z).on('dblclick.zoom', null);
    return () => {
      sel.on('.zoom', null);
    };
  }, []);
  useEffect(() => {
    const el = svg.current;
    const z = behaviour.current;
    if (!el || !z) return;
    z.scaleExtent([1, Math.max(1, (full[1] - full[0]) / MIN_SPAN)])
      .extent([
        [r0, 0],
        [r1, Math.max(1, height)],
      ])
      .translateExtent([
        [r0, 0],
        [r1, Math.max(1, height)],
      ]);
    const tr = transformFor(shown, full, r0, r1);
    const now = zoomTransform(el);
    if (Math.abs(now.k - tr.k) < 1e-6 && Math.abs(now.x - tr.x) < 1e-3) return;
    syncing.current = true;
    try {
      select(el).call(z.transform, zoomIdentity.translate(tr.x, 0).scale(tr.k));
    } finally {
      syncing.current = false;
    }
  });

  const nowX = x(tick);
  const nowIn = tick >= shown[0] && tick <= shown[1];
  const clampX = (v: number) => Math.min(r1 + 4, Math.max(r0 - 4, v));
  /** A wait or handler span on its core's lane, from start to end (or to now while open). */
  const spanBar = (
    sp: { core: number; start: number; end: number | null },
    text: string,
    always: boolean,
  ) => {
    const x0 = x(sp.start);
    const x1 = Math.max(x0 + 3, x(sp.end ?? tick));
    const y = laneY(sp.core);
    return (
      <>
        <rect x={x0} y={y - pillH / 2 + 2} width={x1 - x0} height={pillH - 4} rx={3} />
        <SpanLabel
          x0={clampX(x0)}
          x1={clampX(x1)}
          y={y + 5}
          text={text}
          plotLeft={plotLeft}
          plotRight={plotRight}
          always={always}
        />
      </>
    );
  };

  return (
    <div className="ipi-box ipi-zoomable" {...tabpanel}>
      <div className="ipi-lanes" ref={box} data-testid="ipi-lanes">
        <svg
          ref={svg}
          className={compact ? 'ipi-svg ipi-compact' : 'ipi-svg'}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the lanes take + − 0 to zoom in time; the keyboard reaches them (WCAG 2.1.1)
          tabIndex={0}
          onKeyDown={onKeyDown}
          aria-label={`IPI lanes: one per core over simulated time, cycles ${Math.round(shown[0])} to ${Math.round(shown[1])}; press + or − to zoom, 0 to fit`}
        >
          <defs>
            <marker
              id="arrow-ipi"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" className="arrowhead-ipi" />
            </marker>
            <marker
              id="arrow-ack"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" className="arrowhead-ack" />
            </marker>
            <pattern
              id="lazy-hatch"
              width="8"
              height="8"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <line x1="0" y1="0" x2="0" y2="8" className="lazy-hatch-line" />
            </pattern>
            <clipPath id="ipi-plot-clip">
              <rect x={plotLeft} y={0} width={Math.max(0, plotRight - plotLeft + RIGHT)} height={height} />
            </clipPath>
          </defs>
          {(cores ?? []).map((c) => {
            const behind = c.pid >= 0 && c.localGen !== null && c.localGen < (mmGen(c.pid) ?? 0);
            const y = laneY(c.id);
            return (
              <g
                key={c.id}
                className={c.state === 'lazy' ? 'ipi-lane ipi-lane-lazy' : 'ipi-lane'}
                data-testid="ipi-lane"
                data-core={c.id}
                data-lazy={c.state === 'lazy' ? 'yes' : 'no'}
              >
                <rect
                  className={c.id % 2 ? 'lane-bg lane-odd' : 'lane-bg'}
                  x={0}
                  y={y - LANE / 2}
                  width={width}
                  height={LANE}
                />
                {c.state === 'lazy' && (
                  <>
                    <rect
                      className="lane-lazy"
                      x={plotLeft}
                      y={y - LANE / 2 + 1}
                      width={plotRight - plotLeft}
                      height={LANE - 2}
                    />
                    <text className="lane-lazy-label" x={plotLeft + 4} y={y + 4}>
                      lazy TLB now
                    </text>
                  </>
                )}
                <text
                  className={compact ? 'lane-name lane-name-compact' : 'lane-name'}
                  x={10}
                  y={y + (compact ? 4 : 5)}
                >
                  Core {c.id}
                </text>
                <g
                  data-testid="core-state"
                  data-core={c.id}
                  data-state={c.state}
                  data-behind={behind ? 'yes' : 'no'}
                >
                  <title>
                    {c.activity}
                    {c.pid >= 0 && c.localGen !== null
                      ? ` · TLB at tlb_gen ${c.localGen} of process ${c.pid}'s ${mmGen(c.pid) ?? '?'}`
                      : ''}
                  </title>
                  <rect
                    className={`state-pill state-${c.state}`}
                    x={76}
                    y={y - pillH / 2}
                    width={104}
                    height={pillH}
                    rx={pillH / 2}
                  />
                  <text
                    className={compact ? 'state-text state-text-compact' : 'state-text'}
                    x={128}
                    y={y + (compact ? 4 : 5)}
                    textAnchor="middle"
                  >
                    {STATE_LABEL[c.state]}
                  </text>
                  {behind && (
                    // Behind the mm's tlb_gen: this TLB may hold stale entries (a lazy core flushes on return).
                    <circle className="behind-dot" cx={178} cy={y - pillH / 2 + 2} r={compact ? 5 : 7} />
                  )}
                </g>
                <line className="lane-line" x1={plotLeft} x2={plotRight} y1={y} y2={y} />
              </g>
            );
          })}
          {ticks.map((v) => (
            <g key={v} className="axis-tick">
              <line x1={x(v)} x2={x(v)} y1={TOP} y2={height} />
            </g>
          ))}
          <g clipPath="url(#ipi-plot-clip)">
            {t.waits.map((w) => (
              <g key={`w${w.core}-${w.start}`} className="ipi-wait" data-testid="ipi-wait" data-core={w.core}>
                {spanBar(w, 'waiting for acks', true)}
              </g>
            ))}
            {t.handlers.map((h) => (
              <g
                key={`h${h.core}-${h.start}`}
                className="ipi-handler"
                data-testid="ipi-handler"
                data-core={h.core}
              >
                {spanBar(h, 'flush handler', false)}
              </g>
            ))}
            {t.arrows.map((a) => {
              const inFlight = a.recvTick === null;
              const x1 = x(a.sentTick);
              const x2 = x(a.recvTick ?? tick);
              const y1 = laneY(a.from);
              const y2 = laneY(a.to);
              const dy = y2 > y1 ? -Math.min(9, LANE / 3) : Math.min(9, LANE / 3);
              return (
                <g key={`a${a.from}-${a.to}-${a.sentTick}`}>
                  <line
                    className={inFlight ? 'ipi-arrow ipi-in-flight' : 'ipi-arrow'}
                    data-testid="ipi-arrow"
                    data-from={a.from}
                    data-to={a.to}
                    data-state={inFlight ? 'in-flight' : 'received'}
                    x1={x1}
                    y1={y1}
                    x2={x2}
                    y2={y2 + dy}
                    markerEnd="url(#arrow-ipi)"
                  >
                    <title>
                      IPI core {a.from} → core {a.to}: sent at {a.sentTick}
                      {a.recvTick === null ? ', in flight' : `, taken at ${a.recvTick}`}
                    </title>
                  </line>
                  {a.ackTick !== null && (
                    <line
                      className="ipi-ack"
                      data-testid="ipi-ack"
                      data-from={a.to}
                      data-to={a.from}
                      x1={x(a.ackTick)}
                      y1={y2}
                      x2={x(a.ackTick)}
                      y2={y1 - dy}
                      markerEnd="url(#arrow-ack)"
                    >
                      <title>
                        core {a.to} acknowledges to core {a.from} at {a.ackTick}
                      </title>
                    </line>
                  )}
                </g>
              );
            })}
          </g>
          <g className="now-line" data-testid="ipi-now" data-in-view={nowIn ? 'yes' : 'no'}>
            {nowIn && <line x1={nowX} x2={nowX} y1={TOP - 6} y2={height} />}
            <text
              x={nowIn ? Math.min(nowX, width - 4) : tick > shown[1] ? r1 : r0}
              y={TOP - 6}
              textAnchor={!nowIn ? (tick > shown[1] ? 'end' : 'start') : nowX + 36 > width ? 'end' : 'middle'}
            >
              {nowIn ? `now ${tick}` : tick > shown[1] ? `now ${tick} ▸` : `◂ now ${tick}`}
            </text>
          </g>
        </svg>
      </div>
      <div className="ipi-axis-row">
        <ZoomButtons onZoom={zoomBy} onFit={() => setView(null)} full={zoomed === null} />
        <svg
          className="ipi-axis"
          width={width}
          height={AXIS}
          aria-hidden="true"
          data-testid="ipi-axis"
          data-domain={`${Math.round(shown[0])}-${Math.round(shown[1])}`}
        >
          {ticks.map((v) => (
            <g key={v} className="axis-tick">
              <line x1={x(v)} x2={x(v)} y1={0} y2={5} />
              <text x={x(v)} y={19} textAnchor="middle">
                {v}
              </text>
            </g>
          ))}
          <text className="axis-unit" x={plotLeft - 8} y={19} textAnchor="end">
            cycles
          </text>
        </svg>
      </div>
    </div>
  );
}
