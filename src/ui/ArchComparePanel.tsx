// Lesson 3, arch-compare: one access translated by four MMUs side by side (computed in the worker
// by the core's walkers). Each column cuts the VA into that MMU's fields, drawn to scale over the
// 64 bits so that the same bits sit at the same place in every column and a level has the same
// colour everywhere (the PT / VPN[0] / L3 index is bits 20:12 on all four); below, every entry the
// walk read, raw and decoded under the architecture's own names, and the PA or the fault as that
// architecture reports it. Above the columns: the access (a VA the user types, validated) and the
// program's accesses, one per step.
import { type FormEvent, useEffect, useState } from 'react';
import { seek, setArchAccess, useVm } from '../state';
import './archCompare.css';

type View = NonNullable<ReturnType<typeof useVm.getState>['arch']>;
type Column = View['columns'][number];
type Field = Column['split'][number];
type Row = Column['walk'][number];

const lvlClass = (depth: number) => (depth < 0 ? 'lvl-off' : `lvl-${depth + 1}`);

function Slicer({ col }: { col: Column }) {
  return (
    <div className="ac-slicer" data-testid="arch-split" title={`VA split ${col.pattern}`}>
      {col.split.map((f: Field) => (
        <span
          key={`${f.hi}:${f.lo}`}
          className={`ac-field ${lvlClass(f.depth)} ac-${f.role}`}
          style={{ flexGrow: f.hi - f.lo + 1 }}
          title={`${f.name}: bits ${f.hi}:${f.lo} = ${f.value}`}
          data-testid="arch-field"
          data-name={f.name}
          data-depth={f.depth}
        >
          <span className="ac-fname">
            {f.role === 'upper' ? (col.arch === 'arm64-4k' ? 'TTBR' : 'sign') : f.name}
          </span>
          <span className="ac-fval mono">{f.value}</span>
          <span className="ac-frange">
            {f.hi}:{f.lo}
          </span>
        </span>
      ))}
    </div>
  );
}

function WalkRow({ row }: { row: Row }) {
  return (
    <li className={`ac-entry ac-role-${row.role}`} data-testid="arch-entry" data-role={row.role}>
      <div className="ac-entry-head">
        <span className={`ac-table ${lvlClass(row.depth)}`}>
          {row.table} [{row.index}]
        </span>
        <span className="ac-raw mono" title={`at ${row.entryAddr}`}>
          {row.raw}
        </span>
      </div>
      <div className="ac-flags">
        {row.flags.map((f) => (
          <span key={f.name} className={`ac-flag${/1/.test(f.value) ? ' ac-on' : ''}`}>
            {f.value.length > 1 ? `${f.name}=${f.value}` : f.name}
            <span className="sr-only">={f.value}</span>
          </span>
        ))}
        <span className="ac-note">
          {row.role === 'table' || row.role === 'leaf' ? `→ ${row.note}` : row.note}
        </span>
      </div>
    </li>
  );
}

function ArchColumnView({ col }: { col: Column }) {
  const o = col.outcome;
  return (
    <section className="ac-col" data-testid="arch-column" data-arch={col.arch} aria-label={col.title}>
      <div className="ac-col-head">
        <h3 className="ac-title">{col.title}</h3>
        <span className="ac-pattern mono" data-testid="arch-pattern">
          {col.pattern}
        </span>
      </div>
      <div className="ac-regime">{col.regime}</div>
      <Slicer col={col} />
      <div className="ac-upper" data-testid="arch-upper">
        {col.upperNote}
      </div>
      <ol className="ac-walk">
        {col.walk.map((r) => (
          <WalkRow key={`${r.depth}-${r.tableAddr}`} row={r} />
        ))}
        {col.walk.length === 0 && <li className="ac-nowalk">No entry read.</li>}
      </ol>
      <div
        className={`ac-outcome ${o.ok ? 'ac-ok' : 'ac-fault'}`}
        data-testid="arch-outcome"
        data-ok={String(o.ok)}
      >
        {o.ok ? (
          <>
            <strong>
              PA <span className="mono">{o.pa}</span>
            </strong>
            <span className="ac-detail">{o.summary}</span>
          </>
        ) : (
          <>
            <strong>{o.fault}</strong>
            <span className="ac-detail">{o.detail}</span>
          </>
        )}
      </div>
    </section>
  );
}

function AccessForm({ view }: { view: View }) {
  const [va, setVa] = useState(view.input.va);
  const [kind, setKind] = useState<string>(view.input.kind);
  const [priv, setPriv] = useState<string>(view.input.priv);
  const [error, setError] = useState<string | null>(null);
  // A new access from a link or the worker resets the fields.
  useEffect(() => {
    setVa(view.input.va);
    setKind(view.input.kind);
    setPriv(view.input.priv);
  }, [view.input.va, view.input.kind, view.input.priv]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(setArchAccess(va, kind, priv));
  };
  return (
    <form className="ac-form" onSubmit={submit} data-testid="arch-form">
      <label>
        VA{' '}
        <input
          className="mono"
          data-testid="arch-va"
          value={va}
          size={20}
          maxLength={18}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error !== null}
          aria-describedby={error ? 'arch-va-error' : undefined}
          onChange={(e) => setVa(e.currentTarget.value)}
        />
      </label>
      <label>
        access{' '}
        <select data-testid="arch-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          <option value="read">read</option>
          <option value="write">write</option>
          <option value="fetch">fetch</option>
        </select>
      </label>
      <label>
        mode{' '}
        <select data-testid="arch-priv" value={priv} onChange={(e) => setPriv(e.currentTarget.value)}>
          <option value="user">user</option>
          <option value="kernel">kernel</option>
        </select>
      </label>
      <button type="submit" className="btn-primary" data-testid="arch-show">
        Translate
      </button>
      {error && (
        <span className="ac-error" id="arch-va-error" role="alert" data-testid="arch-error">
          {error}
        </span>
      )}
    </form>
  );
}

function Program({ view }: { view: View }) {
  return (
    <ol className="ac-program" aria-label="The program's accesses, one per step">
      <li>
        <button
          type="button"
          className={`ac-step${view.step === 0 ? ' ac-now' : ''}`}
          aria-current={view.step === 0 ? 'step' : undefined}
          onClick={() => seek(0)}
          data-testid="arch-step"
        >
          0 · your access
        </button>
      </li>
      {view.program.map((p) => (
        <li key={p.step}>
          <button
            type="button"
            className={`ac-step${p.state === 'now' ? ' ac-now' : ''}${p.faults > 0 ? ' ac-faults' : ''}`}
            aria-current={p.state === 'now' ? 'step' : undefined}
            onClick={() => seek(p.step)}
            title={`${p.priv} ${p.kind} of ${p.va}${p.faults ? ` (faults on ${p.faults} of 4)` : ''}`}
            data-testid="arch-step"
          >
            {p.step} · {p.label}
          </button>
        </li>
      ))}
    </ol>
  );
}

export function ArchComparePanel() {
  const view = useVm((s) => s.arch);
  if (!view) {
    return (
      <section className="panel panel-arch" data-testid="panel-arch" aria-labelledby="arch-title">
        <div className="panel-head">
          <h2 id="arch-title">Four MMUs</h2>
          <span className="panel-what">Loading…</span>
        </div>
      </section>
    );
  }
  return (
    <section className="panel panel-arch" data-testid="panel-arch" aria-labelledby="arch-title">
      <div className="ac-top">
        <h2 id="arch-title" className="ac-h2">
          Four MMUs, one access
        </h2>
        <AccessForm view={view} />
      </div>
      <Program view={view} />
      <p className="ac-narration" data-testid="arch-narration" aria-live="polite">
        <span className="mono" data-testid="arch-probe">
          {view.probe.priv} {view.probe.kind} {view.probe.va}
        </span>
        {' — '}
        {view.narration.slice(1).join(' ')}
      </p>
      <div className="ac-grid">
        {view.columns.map((c) => (
          <ArchColumnView key={c.arch} col={c} />
        ))}
      </div>
      <details className="ac-pages">
        <summary>The program's pages (the same frames on every machine)</summary>
        <ul>
          {view.pages.map((p) => (
            <li key={p.name} className="mono">
              {p.name}: VA {p.va} → PA {p.pa} ({p.rights})
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
