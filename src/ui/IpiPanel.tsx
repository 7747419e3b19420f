// IPI traffic over simulated time: one lane per core (its state on the left), a linear time
// scale (d3-scale) over ticks, IPI arrows from sender to receiver (dashed while in flight), ack
// arrows back, the handlers on the receivers and the initiator's "waiting for acks" span.
import { scaleLinear } from 'd3-scale';
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CoreView, IpiTimeline } from '../core/view/snapshot';
import { useVm } from '../state';
import type { TabPanelProps } from './tabs';
import { useSize } from './useSize';

const GUTTER = 200;
/** Lane height: fills the panel, within these bounds. */
const LANE_MIN = 30;
const LANE_MAX = 56;
const TOP = 20;
const AXIS = 26;
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

/** One lane per core over simulated time; `tabpanel` gives the box its tab-panel role. */
export function IpiLanes({ tabpanel }: { tabpanel?: TabPanelProps }) {
  const { ipi, cores, tick, procs } = useVm(
    useShallow((s) => ({
      ipi: s.snapshot?.ipi,
      cores: s.snapshot?.cores,
      tick: s.snapshot?.tick ?? 0,
      procs: s.snapshot?.procs,
    })),
  );
  // Linux's generations: mm->context.tlb_gen per process, and how far each core's TLB caught up.
  const mmGen = (pid: number) => procs?.find((p) => p.pid === pid)?.tlbGen ?? null;
  const box = useRef<HTMLDivElement>(null);
  const size = useSize(box, { width: 800, height: 200 });
  const width = Math.max(420, size.width);
  const laneCount = cores?.length ?? 0;
  const LANE = Math.round(
    Math.min(LANE_MAX, Math.max(LANE_MIN, (size.height - TOP - AXIS) / Math.max(1, laneCount))),
  );
  const height = TOP + laneCount * LANE + AXIS;
  const plotLeft = GUTTER;
  const plotRight = width - RIGHT;
  // At least 100 cycles wide, so the first steps (tick 0) get whole-number ticks.
  const maxTick = Math.max(100, ipi?.maxTick ?? 0, tick);
  const x = scaleLinear()
    .domain([0, maxTick])
    .range([plotLeft + 8, plotRight])
    .nice();
  const laneY = (core: number) => TOP + core * LANE + LANE / 2;
  const t: IpiTimeline = ipi ?? { arrows: [], waits: [], handlers: [], maxTick: 0 };
  const ticks = x.ticks(Math.max(2, Math.floor((plotRight - plotLeft) / 110))).filter(Number.isInteger);

  return (
    <div className="ipi-box" ref={box} {...tabpanel}>
      <svg
        className="ipi-svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="IPI lanes: one per core over simulated time"
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
        </defs>
        {(cores ?? []).map((c) => (
          <g key={c.id} className="ipi-lane" data-testid="ipi-lane" data-core={c.id}>
            <rect
              className={c.id % 2 ? 'lane-bg lane-odd' : 'lane-bg'}
              x={0}
              y={laneY(c.id) - LANE / 2}
              width={width}
              height={LANE}
            />
            <text className="lane-name" x={10} y={laneY(c.id) + 5}>
              Core {c.id}
            </text>
            <g
              data-testid="core-state"
              data-core={c.id}
              data-state={c.state}
              data-behind={
                c.pid >= 0 && c.localGen !== null && c.localGen < (mmGen(c.pid) ?? 0) ? 'yes' : 'no'
              }
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
                y={laneY(c.id) - 12}
                width={104}
                height={24}
                rx={12}
              />
              <text className="state-text" x={128} y={laneY(c.id) + 5} textAnchor="middle">
                {STATE_LABEL[c.state]}
              </text>
              {c.pid >= 0 && c.localGen !== null && c.localGen < (mmGen(c.pid) ?? 0) && (
                // Behind the mm's tlb_gen: this TLB may hold stale entries (a lazy core flushes on return).
                <circle className="behind-dot" cx={178} cy={laneY(c.id) - 10} r={7} />
              )}
            </g>
            <line className="lane-line" x1={plotLeft} x2={plotRight} y1={laneY(c.id)} y2={laneY(c.id)} />
          </g>
        ))}
        {ticks.map((v) => (
          <g key={v} className="axis-tick">
            <line x1={x(v)} x2={x(v)} y1={TOP} y2={TOP + laneCount * LANE + 4} />
            <text x={x(v)} y={TOP + laneCount * LANE + 18} textAnchor="middle">
              {v}
            </text>
          </g>
        ))}
        <text className="axis-unit" x={plotLeft - 8} y={TOP + laneCount * LANE + 18} textAnchor="end">
          cycles
        </text>
        {t.waits.map((w) => {
          const x0 = x(w.start);
          const x1 = Math.max(x0 + 3, x(w.end ?? tick));
          const y = laneY(w.core);
          return (
            <g key={`w${w.core}-${w.start}`} className="ipi-wait" data-testid="ipi-wait" data-core={w.core}>
              <rect x={x0} y={y - 10} width={x1 - x0} height={20} rx={3} />
              <SpanLabel
                x0={x0}
                x1={x1}
                y={y + 5}
                text="waiting for acks"
                plotLeft={plotLeft}
                plotRight={plotRight}
                always
              />
            </g>
          );
        })}
        {t.handlers.map((h) => {
          const x0 = x(h.start);
          const x1 = Math.max(x0 + 3, x(h.end ?? tick));
          const y = laneY(h.core);
          return (
            <g
              key={`h${h.core}-${h.start}`}
              className="ipi-handler"
              data-testid="ipi-handler"
              data-core={h.core}
            >
              <rect x={x0} y={y - 10} width={x1 - x0} height={20} rx={3} />
              <SpanLabel
                x0={x0}
                x1={x1}
                y={y + 5}
                text="flush handler"
                plotLeft={plotLeft}
                plotRight={plotRight}
                always={false}
              />
            </g>
          );
        })}
        {t.arrows.map((a) => {
          const inFlight = a.recvTick === null;
          const x1 = x(a.sentTick);
          const x2 = x(a.recvTick ?? tick);
          const y1 = laneY(a.from);
          const y2 = laneY(a.to);
          const dy = y2 > y1 ? -9 : 9;
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
        <g className="now-line">
          <line x1={x(tick)} x2={x(tick)} y1={TOP - 6} y2={TOP + laneCount * LANE} />
          <text
            x={Math.min(x(tick), width - 4)}
            y={TOP - 8}
            textAnchor={x(tick) + 36 > width ? 'end' : 'middle'}
          >
            now {tick}
          </text>
        </g>
      </svg>
    </div>
  );
}
