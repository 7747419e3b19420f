// The comparison's two charts. Per protocol, each core's cycles waiting for acknowledgements and
// in the IPI handler (small multiples on one shared scale). And the cost curve: one munmap's
// shootdown on 2, 4, 8 and 16 cores per protocol (the core's costCurve, also printed by
// `npm run bench`); protocols with the same curve share a line and a label block. Colours are
// Okabe-Ito, every protocol also has its own marker shape and a direct label.
import { scaleLinear, scalePoint } from 'd3-scale';
import {
  line,
  symbol,
  symbolCircle,
  symbolCross,
  symbolDiamond,
  symbolSquare,
  symbolStar,
  symbolTriangle,
  symbolWye,
  type SymbolType,
} from 'd3-shape';
import { useRef } from 'react';
import type { Protocol } from '../core/spec';
import type { CompareRunView } from '../worker/compare';
import { useSize } from './useSize';

interface Style {
  colour: string;
  shape: SymbolType;
  dashed: boolean;
}

// Okabe-Ito: blue, orange, bluish green, reddish purple, sky blue, black; the broken kernels in
// vermillion, dashed (their labels say which is which).
const STYLES: Readonly<Record<Protocol, Style>> = {
  'linux-x86': { colour: '#0072b2', shape: symbolCircle, dashed: false },
  counter: { colour: '#e69f00', shape: symbolSquare, dashed: false },
  'riscv-sbi': { colour: '#009e73', shape: symbolTriangle, dashed: false },
  'arm-broadcast': { colour: '#cc79a7', shape: symbolDiamond, dashed: false },
  'amd-invlpgb': { colour: '#56b4e9', shape: symbolStar, dashed: false },
  'lazy-upgrade': { colour: '#000000', shape: symbolCross, dashed: false },
  'broken-no-shootdown': { colour: '#d55e00', shape: symbolWye, dashed: true },
  'broken-free-before-ack': { colour: '#d55e00', shape: symbolCircle, dashed: true },
  'broken-no-local-flush': { colour: '#d55e00', shape: symbolSquare, dashed: true },
  'broken-switch-order': { colour: '#d55e00', shape: symbolTriangle, dashed: true },
  'broken-early-ack': { colour: '#d55e00', shape: symbolDiamond, dashed: true },
  'broken-no-wait': { colour: '#d55e00', shape: symbolStar, dashed: true },
  'broken-lazy-tables': { colour: '#0072b2', shape: symbolStar, dashed: true },
};

function markPath(p: Protocol, size = 48): string {
  return symbol(STYLES[p].shape, size)() ?? '';
}

/** The protocol's marker, as in the cost curve: ties the table's rows to the chart's lines. */
export function ProtocolMark({ protocol }: { protocol: Protocol }) {
  const s = STYLES[protocol];
  return (
    <svg className="cmp-mark" width={14} height={14} viewBox="-7 -7 14 14" aria-hidden="true">
      <path d={markPath(protocol, 60)} fill={s.colour} stroke="#0f172a" strokeWidth={0.6} />
    </svg>
  );
}

const fmt = (x: number) => x.toLocaleString('en-US');

export function CompareCores({ runs }: { runs: CompareRunView[] }) {
  const box = useRef<HTMLDivElement>(null);
  const size = useSize(box, { width: 700, height: 120 });
  const max = Math.max(1, ...runs.flatMap((r) => r.cores.map((c) => c.wait + c.handler)));
  const perRow = Math.max(1, Math.min(runs.length, Math.floor((size.width + 8) / 108)));
  const w = Math.floor((size.width - (perRow - 1) * 8) / perRow);
  const LABEL_H = 15;
  // The charts share the height the panel leaves them (a title and core numbers each).
  const rows = Math.ceil(runs.length / perRow);
  const H = Math.max(44, Math.min(150, Math.floor(size.height / rows) - LABEL_H - 24));
  return (
    <figure className="cmp-figure cmp-cores-fig" data-testid="compare-cores">
      <figcaption className="cmp-fig-title">
        Cycles per core <span className="cmp-key cmp-key-wait">waiting for acks</span>{' '}
        <span className="cmp-key cmp-key-handler">in the handler</span>{' '}
        <span className="cmp-fig-note">one scale, tallest bar {fmt(max)}</span>
      </figcaption>
      <div className="cmp-cores" ref={box} style={{ minHeight: rows * (44 + LABEL_H + 24) }}>
        {runs.map((r) => {
          const n = r.cores.length;
          const x = scaleLinear()
            .domain([0, n])
            .range([2, w - 2]);
          const y = scaleLinear().domain([0, max]).range([0, H]);
          const bw = Math.max(3, x(1) - x(0) - 3);
          return (
            <div
              key={r.protocol}
              style={{ width: w }}
              className="cmp-core-chart"
              data-testid="compare-core-chart"
              data-protocol={r.protocol}
            >
              <div className="cmp-core-title" title={r.label}>
                <ProtocolMark protocol={r.protocol} /> {r.label}
              </div>
              <svg
                width={w}
                height={H + LABEL_H}
                role="img"
                aria-label={`${r.label}, cycles per core: ${r.cores
                  .map((c) => `core ${c.core} waiting ${fmt(c.wait)}, in the handler ${fmt(c.handler)}`)
                  .join('; ')}`}
              >
                <line className="cmp-axis" x1={0} x2={w} y1={H + 0.5} y2={H + 0.5} />
                {r.cores.map((c) => {
                  const hw = y(c.wait);
                  const hh = y(c.handler);
                  const left = x(c.core) + 1.5;
                  return (
                    <g
                      key={c.core}
                      data-testid="compare-core"
                      data-core={c.core}
                      data-wait={c.wait}
                      data-handler={c.handler}
                    >
                      <title>{`core ${c.core}: waiting ${fmt(c.wait)}, in the handler ${fmt(c.handler)} cycles`}</title>
                      {hw > 0 && <rect className="cmp-wait" x={left} y={H - hw} width={bw} height={hw} />}
                      {hh > 0 && (
                        <rect className="cmp-handler" x={left} y={H - hw - hh} width={bw} height={hh} />
                      )}
                      <text className="cmp-tick" x={left + bw / 2} y={H + 12} textAnchor="middle">
                        {c.core}
                      </text>
                    </g>
                  );
                })}
              </svg>
            </div>
          );
        })}
      </div>
    </figure>
  );
}

interface Group {
  key: string;
  points: { cores: number; cycles: number | null }[];
  members: CompareRunView[];
}

/** Protocols whose curves are equal share one line (else the last drawn would hide the others). */
function groupCurves(runs: CompareRunView[]): Group[] {
  const out: Group[] = [];
  for (const r of runs) {
    if (r.curve.every((p) => p.cycles === null)) continue;
    const key = r.curve.map((p) => p.cycles ?? '-').join(',');
    const g = out.find((x) => x.key === key);
    if (g) g.members.push(r);
    else out.push({ key, points: r.curve, members: [r] });
  }
  return out;
}

const LINE_H = 15;

export function CostCurve({ runs, cores }: { runs: CompareRunView[]; cores: number[] }) {
  const box = useRef<HTMLDivElement>(null);
  const size = useSize(box, { width: 420, height: 180 });
  const groups = groupCurves(runs);
  const none = runs.filter((r) => r.curve.every((p) => p.cycles === null));
  const LABEL_W = 130;
  const W = Math.max(300, size.width);
  const H = Math.max(150, Math.min(360, size.height - 4));
  const PAD = { l: 52, r: LABEL_W + 12, t: 10, b: 34 };
  const x = scalePoint<number>()
    .domain(cores)
    .range([PAD.l, W - PAD.r])
    .padding(0.2);
  const max = Math.max(1, ...groups.flatMap((g) => g.points.map((p) => p.cycles ?? 0)));
  const y = scaleLinear()
    .domain([0, max])
    .nice(4)
    .range([H - PAD.b, PAD.t]);
  const path = line<{ cores: number; cycles: number | null }>()
    .defined((p) => p.cycles !== null)
    .x((p) => x(p.cores) ?? 0)
    .y((p) => y(p.cycles ?? 0));
  // Label blocks at the right end of each line, pushed apart so none overlaps the next.
  const blocks = groups
    .map((g) => {
      const last = [...g.points].reverse().find((p) => p.cycles !== null);
      return { g, want: y(last?.cycles ?? 0), h: g.members.length * LINE_H };
    })
    .sort((a, b) => a.want - b.want);
  let floor = PAD.t - 4;
  const placed = blocks.map((b) => {
    const top = Math.max(floor, b.want - b.h / 2);
    floor = top + b.h + 2;
    return { ...b, top };
  });
  // Labels that do not fit above the bottom extend the picture (the box then scrolls).
  const height = Math.max(H, floor);
  const lastX = x(cores[cores.length - 1] ?? 0) ?? 0;
  return (
    <figure className="cmp-figure cmp-curve-fig" data-testid="compare-curve">
      <figcaption className="cmp-fig-title">
        One munmap shootdown, by cores running the process{' '}
        <span className="cmp-fig-note">simulated cycles</span>
      </figcaption>
      <div className="cmp-curve" ref={box}>
        <svg
          width={W}
          height={height}
          role="img"
          aria-label={`Cycles of one munmap shootdown on ${cores.join(', ')} cores: ${runs
            .map(
              (r) =>
                `${r.label} ${r.curve.map((p) => (p.cycles === null ? 'none' : fmt(p.cycles))).join(', ')}`,
            )
            .join('; ')}`}
        >
          {y.ticks(4).map((t) => (
            <g key={t}>
              <line className="cmp-grid" x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} />
              <text className="cmp-tick" x={PAD.l - 6} y={y(t) + 4} textAnchor="end">
                {fmt(t)}
              </text>
            </g>
          ))}
          {cores.map((c) => (
            <text key={c} className="cmp-tick" x={x(c) ?? 0} y={H - PAD.b + 16} textAnchor="middle">
              {c}
            </text>
          ))}
          <text className="cmp-tick" x={(PAD.l + W - PAD.r) / 2} y={H - 4} textAnchor="middle">
            cores
          </text>
          {groups.map((g) => {
            const lead = g.members[0];
            if (!lead) return null;
            const s = STYLES[lead.protocol];
            return (
              <g
                key={g.key}
                data-testid="compare-curve-line"
                data-protocols={g.members.map((m) => m.protocol).join(',')}
              >
                <path
                  className="cmp-line"
                  d={path(g.points) ?? ''}
                  stroke={s.colour}
                  strokeDasharray={s.dashed ? '6 4' : undefined}
                />
                {g.points.map((p) =>
                  p.cycles === null ? null : (
                    <path
                      key={p.cores}
                      d={markPath(lead.protocol)}
                      transform={`translate(${x(p.cores) ?? 0},${y(p.cycles)})`}
                      fill={s.colour}
                      stroke="#0f172a"
                      strokeWidth={0.6}
                    >
                      <title>{`${g.members.map((m) => m.label).join(', ')}: ${fmt(p.cycles)} cycles on ${p.cores} cores`}</title>
                    </path>
                  ),
                )}
              </g>
            );
          })}
          {placed.map((b) => {
            const tx = lastX + 14;
            return (
              <g key={b.g.key}>
                <line className="cmp-leader" x1={lastX + 5} x2={tx - 2} y1={b.want} y2={b.top + b.h / 2} />
                {b.g.members.map((m, i) => (
                  <g key={m.protocol} transform={`translate(${tx + 6},${b.top + i * LINE_H + LINE_H / 2})`}>
                    <path
                      d={markPath(m.protocol, 40)}
                      fill={STYLES[m.protocol].colour}
                      stroke="#0f172a"
                      strokeWidth={0.6}
                    />
                    <text className="cmp-line-label" x={9} y={4}>
                      {m.label}
                      {i === b.g.members.length - 1
                        ? ` ${fmt([...b.g.points].reverse().find((p) => p.cycles !== null)?.cycles ?? 0)}`
                        : ''}
                    </text>
                  </g>
                ))}
              </g>
            );
          })}
        </svg>
      </div>
      {none.length > 0 && (
        <p className="cmp-fig-note" data-testid="compare-curve-none">
          No line for {none.map((r) => r.label).join(', ')}: no shootdown completes under it, so there is
          nothing to time.
        </p>
      )}
    </figure>
  );
}
