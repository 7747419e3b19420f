// The protocol comparison: one scenario run to the end under each ticked shootdown protocol
// (computed in the worker by the core's compareProtocols, the code `vmscope compare` prints).
// A table with one row per protocol and a small horizontal bar under every number (one d3 scale
// per metric, so a column reads as a bar chart); per protocol, each core's cycles waiting for
// acks and in the handler; and the cost of one munmap shootdown on 2 to 16 cores per protocol.
import type { Protocol } from '../core/spec';
import { type ChangeEvent, useRef, useState } from 'react';
import { setCompareProtocols, setCompareScenario, useVm } from '../state';
import { CompareCores, CostCurve, ProtocolMark } from './CompareCharts';
import { compareBar, METRIC_GROUPS, METRICS } from './compareMetrics';
import { useSize } from './useSize';

type View = NonNullable<ReturnType<typeof useVm.getState>['compare']>;
type Run = View['runs'][number];

/** Room for the longest protocol name, with its "bug" tag when a broken kernel is shown. */
const labelWidth = (runs: Run[]) => (runs.some((r) => r.broken) ? 214 : 150);

function MetricTable({ runs }: { runs: Run[] }) {
  const box = useRef<HTMLDivElement>(null);
  const size = useSize(box, { width: 1200, height: 300 });
  const LABEL_W = labelWidth(runs);
  const cellW = Math.max(60, Math.floor((size.width - LABEL_W) / METRICS.length));
  const barW = cellW - 14;
  const bars = METRICS.map((m) => compareBar(runs.map(m.value), barW));
  return (
    <div className="cmp-table-box" ref={box}>
      <table className="cmp-table" data-testid="compare-table">
        <colgroup>
          <col style={{ width: LABEL_W }} />
          {METRICS.map((m) => (
            <col key={m.key} style={{ width: cellW }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col" rowSpan={2} className="cmp-th-protocol">
              Protocol
            </th>
            {METRIC_GROUPS.map((g) => (
              <th key={g.label} scope="colgroup" colSpan={g.span} className="cmp-th-group">
                {g.label}
              </th>
            ))}
          </tr>
          <tr>
            {METRICS.map((m) => (
              <th key={m.key} scope="col" className="cmp-th-metric" title={m.help}>
                {m.short}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr
              key={r.protocol}
              className={r.broken ? 'cmp-row cmp-row-broken' : 'cmp-row'}
              data-testid="compare-row"
              data-protocol={r.protocol}
            >
              <th scope="row" className="cmp-name">
                <ProtocolMark protocol={r.protocol} />
                <span>{r.label}</span>
                {r.broken && <span className="cmp-bug">bug</span>}
              </th>
              {METRICS.map((m, k) => {
                const v = m.value(r);
                const bad = m.key === 'violations' && v > 0;
                const scale = bars[k];
                const w = scale ? scale(v) : 0;
                return (
                  <td
                    key={m.key}
                    className={bad ? 'cmp-cell cmp-cell-bad' : 'cmp-cell'}
                    data-metric={m.key}
                    data-value={v}
                    title={`${r.label}: ${m.help} ${v.toLocaleString('en-US')}`}
                  >
                    <span className="cmp-num">
                      {bad ? '⚠ ' : ''}
                      {v.toLocaleString('en-US')}
                    </span>
                    <svg className="cmp-bar" width={barW} height={8} aria-hidden="true">
                      <rect className="cmp-bar-track" x={0} y={0} width={barW} height={8} rx={2} />
                      {w > 0 && (
                        <rect
                          className={bad ? 'cmp-bar-fill cmp-bar-bad' : 'cmp-bar-fill'}
                          x={0}
                          y={0}
                          width={Math.max(2, w)}
                          height={8}
                          rx={2}
                        />
                      )}
                    </svg>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProtocolPicker({ view }: { view: View }) {
  // A tick shows at once; the worker's new runs follow (then `wanted` is dropped).
  const [wanted, setWanted] = useState<readonly Protocol[] | null>(null);
  const selected = view.selected;
  const [seen, setSeen] = useState(selected);
  if (seen !== selected) {
    setSeen(selected);
    setWanted(null);
  }
  const shown = new Set<Protocol>(wanted ?? selected);
  const onToggle = (p: Protocol, on: boolean) => {
    const next = view.protocols.map((x) => x.id).filter((x) => (x === p ? on : shown.has(x)));
    if (setCompareProtocols(next)) setWanted(next);
  };
  return (
    <fieldset className="cmp-protocols" data-testid="compare-protocols">
      <legend>Protocols</legend>
      {view.protocols.map((p) => (
        <label key={p.id} className={p.broken ? 'cmp-pick cmp-pick-broken' : 'cmp-pick'} title={p.note}>
          <input
            type="checkbox"
            data-testid={`compare-protocol-${p.id}`}
            checked={shown.has(p.id)}
            onChange={(e) => onToggle(p.id, e.currentTarget.checked)}
          />
          <span>{p.label}</span>
          {p.broken && <span className="cmp-bug">bug</span>}
        </label>
      ))}
    </fieldset>
  );
}

export function ComparePanel() {
  const view = useVm((s) => s.compare);
  if (!view) {
    return (
      <section className="panel panel-compare" data-testid="panel-compare" aria-labelledby="compare-title">
        <div className="panel-head">
          <h2 id="compare-title">Protocol comparison</h2>
          <span className="panel-what">Running the scenario under each protocol…</span>
        </div>
      </section>
    );
  }
  const onScenario = (e: ChangeEvent<HTMLSelectElement>) => setCompareScenario(e.currentTarget.value);
  return (
    <section
      className="panel panel-compare"
      data-testid="panel-compare"
      data-ready="true"
      data-scenario={view.scenario.id}
      aria-labelledby="compare-title"
    >
      <div className="panel-head cmp-head">
        <h2 id="compare-title">Protocol comparison</h2>
        <label className="cmp-scenario">
          <span>Workload</span>
          <select data-testid="compare-scenario" value={view.scenario.id} onChange={onScenario}>
            {view.scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <span className="panel-what">
          {view.scenario.cores} cores · each run to its end · cycles from the model’s cost table
        </span>
      </div>
      <ProtocolPicker view={view} />
      <div className="cmp-body">
        <MetricTable runs={view.runs} />
        <div className="cmp-charts">
          <div className="cmp-left">
            <ul className="cmp-notes" data-testid="compare-narration" aria-live="polite">
              {view.narration.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
            <CompareCores runs={view.runs} />
          </div>
          <CostCurve runs={view.runs} cores={view.curveCores} />
        </div>
      </div>
    </section>
  );
}
