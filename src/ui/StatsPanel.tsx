// Statistics: the run's totals (TLB hits and misses, faults, IPIs, invalidations, violations),
// cycles each core spent waiting for acks and in the IPI handler, and three small charts over the
// last steps (snapshot.series): TLB hits and misses; IPIs and faults; simulated cycles; per step
// or per window of steps. Lines differ in dash as well as colour, and each caption says its total.
// d3-scale maps the values, d3-shape draws the step lines; React owns the SVG.
import { scaleLinear } from 'd3-scale';
import { area, curveStepAfter, line } from 'd3-shape';
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { StatsSeries } from '../core/view/snapshot';
import { useVm } from '../state';
import './statsCharts.css';
import type { TabPanelProps } from './tabs';
import { useSize } from './useSize';

interface Line {
  name: string;
  values: readonly number[];
  className: string;
  fill?: boolean;
}

/** Sums `values` in windows of k. */
export function bucket(values: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += k) {
    let s = 0;
    for (let j = i; j < i + k && j < values.length; j++) s += values[j] ?? 0;
    out.push(s);
  }
  return out;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Room under a chart for its step labels, and for a chart's caption. */
const LABELS_H = 18;
const CAPTION_H = 22;
const PAD_L = 34;
const PAD_R = 8;

function Chart({
  title,
  lines,
  series,
  width,
  height,
  steps,
  testId,
}: {
  title: string;
  lines: Line[];
  series: StatsSeries;
  width: number;
  /** Of the plot, without the step labels. */
  height: number;
  /** Label the first and last step under the plot. */
  steps: boolean;
  testId: string;
}) {
  const CHART_H = height;
  const n = series.hits.length;
  // At most one window per 7 pixels, so a long run stays readable.
  const k = Math.max(1, Math.ceil(n / Math.max(8, Math.floor((width - PAD_L - PAD_R) / 7))));
  const buckets = lines.map((l) => bucket(l.values, k));
  const count = Math.max(1, Math.ceil(n / k));
  const max = Math.max(1, ...buckets.flat());
  const x = scaleLinear()
    .domain([0, count])
    .range([PAD_L, width - PAD_R]);
  const y = scaleLinear()
    .domain([0, max])
    .range([CHART_H - 4, 6]);
  const pts = (vs: number[]): [number, number][] => {
    const p = vs.map((v, i): [number, number] => [i, v]);
    const last = vs.at(-1);
    if (last !== undefined) p.push([vs.length, last]);
    return p;
  };
  const path = line<[number, number]>()
    .x((d) => x(d[0]))
    .y((d) => y(d[1]))
    .curve(curveStepAfter);
  const fill = area<[number, number]>()
    .x((d) => x(d[0]))
    .y0(y(0))
    .y1((d) => y(d[1]))
    .curve(curveStepAfter);
  const span = n === 0 ? 'no steps yet' : `steps ${series.from}–${series.to}`;
  return (
    <figure className="stats-chart" data-testid={testId} data-window={k}>
      <figcaption className="stats-chart-title">
        {lines.map((l) => (
          <span key={l.name} className={`stats-key ${l.className}`} data-total={sum(l.values)}>
            {l.name} <span className="stats-key-total">{sum(l.values).toLocaleString('en-US')}</span>
          </span>
        ))}
        <span className="stats-chart-per">{k === 1 ? 'per step' : `per ${k} steps`}</span>
      </figcaption>
      <svg
        width={width}
        height={CHART_H + (steps ? LABELS_H : 0)}
        viewBox={`0 0 ${width} ${CHART_H + (steps ? LABELS_H : 0)}`}
        role="img"
        aria-label={`${title}, ${k === 1 ? 'per step' : `per ${k} steps`}, ${span}: ${lines
          .map((l, i) => `${l.name} ${buckets[i]?.join(' ') ?? ''}`)
          .join('; ')}`}
      >
        <line className="stats-axis" x1={PAD_L} x2={width - PAD_R} y1={y(0)} y2={y(0)} />
        <text className="stats-tick" x={PAD_L - 6} y={y(max) + 5} textAnchor="end">
          {max >= 10_000 ? `${Math.round(max / 1000)}k` : max}
        </text>
        <text className="stats-tick" x={PAD_L - 6} y={y(0) + 2} textAnchor="end">
          0
        </text>
        {lines.map((l, i) => {
          const p = pts(buckets[i] ?? []);
          if (p.length === 0) return null;
          return (
            <g key={l.name} className={l.className}>
              {l.fill && <path className="stats-area" d={fill(p) ?? ''} />}
              <path className="stats-line" d={path(p) ?? ''} />
            </g>
          );
        })}
        {steps && (
          <>
            <text className="stats-tick" x={PAD_L} y={CHART_H + 16}>
              {n > 0 ? `step ${series.from}` : ''}
            </text>
            <text className="stats-tick" x={width - PAD_R} y={CHART_H + 16} textAnchor="end">
              {n > 0 ? `step ${series.to}` : 'no steps yet'}
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}

export function StatsHead() {
  const violations = useVm((s) => s.snapshot?.stats.violations ?? 0);
  return (
    <span className="panel-what">
      totals so far
      {violations > 0 && <span className="stats-bad-note"> · invariant violated</span>}
    </span>
  );
}

function Tile({
  label,
  value,
  testId,
  bad,
}: {
  label: string;
  value: string | number;
  testId: string;
  bad?: boolean;
}) {
  return (
    <div className={bad ? 'stats-tile stats-tile-bad' : 'stats-tile'} data-testid={testId} data-value={value}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export function StatsBody({ tabpanel }: { tabpanel?: TabPanelProps }) {
  const { stats, series, tick } = useVm(
    useShallow((s) => ({
      stats: s.snapshot?.stats,
      series: s.snapshot?.series,
      tick: s.snapshot?.tick ?? 0,
    })),
  );
  const box = useRef<HTMLDivElement>(null);
  const size = useSize(box, { width: 360, height: 160 });
  if (!stats || !series)
    return (
      <div className="stats-body" {...tabpanel}>
        <div className="stats-charts" ref={box} />
      </div>
    );
  const lookups = stats.tlbHits + stats.tlbMisses;
  const rate = lookups > 0 ? `${Math.round((100 * stats.tlbHits) / lookups)}%` : '–';
  const chartW = Math.max(220, size.width);
  // Three charts share the height: each gets what is left after the captions and step labels.
  const chartH = Math.max(26, Math.min(80, Math.floor((size.height - 3 * CAPTION_H - LABELS_H - 4) / 3)));
  return (
    <div className="stats-body" {...tabpanel}>
      <dl className="stats-tiles" aria-label="Totals so far">
        <Tile label="TLB hits" value={stats.tlbHits} testId="stat-hits" />
        <Tile label="misses" value={stats.tlbMisses} testId="stat-misses" />
        <Tile label="hit rate" value={rate} testId="stat-rate" />
        <Tile label="faults" value={stats.faults} testId="stat-faults" />
        <Tile label="IPIs" value={stats.ipis} testId="stat-ipis" />
        <Tile label="cycles" value={tick.toLocaleString('en-US')} testId="stat-cycles" />
        <Tile label="invalidations" value={stats.invalidations} testId="stat-invalidations" />
        <Tile
          label="violations"
          value={stats.violations}
          testId="stat-violations"
          bad={stats.violations > 0}
        />
      </dl>
      <table className="stats-cores">
        <caption className="stats-cores-title">Cycles per core</caption>
        <thead>
          <tr>
            <th scope="col">Core</th>
            <th scope="col" className="num" title="cycles spent waiting for acknowledgements">
              ack wait
            </th>
            <th scope="col" className="num" title="cycles spent in the IPI handler">
              handler
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.waitCycles.map((w, core) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one row per core, by core number
            <tr key={core} data-testid="stat-core" data-core={core}>
              <th scope="row">{core}</th>
              <td className="num">{w.toLocaleString('en-US')}</td>
              <td className="num">{(stats.handlerCycles[core] ?? 0).toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="stats-charts" ref={box}>
        <Chart
          title="TLB hits, misses"
          testId="chart-tlb"
          series={series}
          width={chartW}
          height={chartH}
          steps={false}
          lines={[
            { name: 'TLB hits', values: series.hits, className: 'series-hits' },
            { name: 'misses', values: series.misses, className: 'series-misses' },
          ]}
        />
        <Chart
          title="IPIs, faults"
          testId="chart-ipi"
          series={series}
          width={chartW}
          height={chartH}
          steps={false}
          lines={[
            { name: 'IPIs', values: series.ipis, className: 'series-ipis', fill: true },
            { name: 'faults', values: series.faults, className: 'series-faults' },
          ]}
        />
        <Chart
          title="Cycles"
          testId="chart-cycles"
          series={series}
          width={chartW}
          height={chartH}
          steps
          lines={[{ name: 'cycles', values: series.cycles, className: 'series-cycles', fill: true }]}
        />
      </div>
    </div>
  );
}
