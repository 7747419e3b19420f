// The page-replacement view: one reference string under FIFO, LRU, OPT and CLOCK (computed in the
// worker by the core's runPolicy), four columns side by side. Each column lists the references
// with the cache after each one, hit or miss, the page evicted, and the running hit rate; a row
// fills in when the cursor reaches it. The cache-size buttons reopen the view with more or fewer
// frames at the same step (FIFO's misses per size show Belady's anomaly). Below, this step's sentence.
import { setPolicyFrames, useVm } from '../state';

type View = NonNullable<ReturnType<typeof useVm.getState>['policy']>;
type Column = View['columns'][number];

function Cache({ memory, frames, page }: { memory: number[] | null; frames: number; page: number }) {
  // The slots of the cache are positional: slot i holds memory[i].
  const slots = Array.from({ length: frames }, (_, slot) => ({ slot, p: memory?.[slot] }));
  return (
    <span className="pol-cache" data-testid="policy-cache">
      {slots.map(({ slot, p }) => (
        <span
          key={slot}
          className={`pol-slot${p === undefined ? ' pol-slot-empty' : ''}${p === page ? ' pol-slot-ref' : ''}`}
        >
          {p ?? ''}
        </span>
      ))}
    </span>
  );
}

function PolicyColumn({ col, frames }: { col: Column; frames: number }) {
  return (
    <section
      className="pol-col"
      data-testid="policy-column"
      data-policy={col.policy}
      data-hits={col.hits}
      data-misses={col.misses}
      aria-label={`${col.policy}: ${col.hits} hits, ${col.misses} misses`}
    >
      <div className="pol-col-head">
        <h3 className="pol-name">{col.policy}</h3>
        <span className="pol-rule" title={col.rule}>
          {col.rule}
        </span>
        <span className="pol-stats" data-testid="policy-stats">
          <span className="pol-hits">
            {col.hits} hit{col.hits === 1 ? '' : 's'}
          </span>
          {' · '}
          <span className="pol-misses">
            {col.misses} miss{col.misses === 1 ? '' : 'es'}
          </span>
          {' · '}
          <span className="pol-rate" data-testid="policy-rate">
            hit rate {col.rate}
          </span>
        </span>
      </div>
      <ol className="pol-rows">
        {col.rows.map((r) => (
          <li
            key={r.n}
            className={`pol-row pol-${r.state}${r.hit === true ? ' pol-hit' : ''}${r.hit === false ? ' pol-miss' : ''}`}
            data-testid="policy-row"
            data-state={r.state}
            data-hit={r.hit === null ? undefined : String(r.hit)}
            data-evicted={r.evicted ?? undefined}
          >
            <span className="pol-page mono">{r.page}</span>
            <span className="pol-mark">{r.hit === null ? '' : r.hit ? 'hit' : 'miss'}</span>
            <Cache memory={r.memory} frames={frames} page={r.page} />
            <span className="pol-out mono">{r.evicted === null ? '' : `−${r.evicted}`}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function PolicyPanel() {
  const view = useVm((s) => s.policy);
  if (!view) {
    return (
      <section className="panel panel-policy" data-testid="panel-policy" aria-labelledby="policy-title">
        <div className="panel-head">
          <h2 id="policy-title">Page replacement</h2>
          <span className="panel-what">Running the policies…</span>
        </div>
      </section>
    );
  }
  const { frames } = view.input;
  return (
    <section className="panel panel-policy" data-testid="panel-policy" aria-labelledby="policy-title">
      <div className="panel-head pol-head">
        <h2 id="policy-title">Page replacement</h2>
        <span className="panel-what" data-testid="policy-input">
          {view.input.label} <span className="mono">{view.input.refs.join(',')}</span>
        </span>
        <fieldset className="pol-frames" aria-label="Page frames">
          <legend>Page frames</legend>
          {view.framesChoices.map((f) => (
            <button
              key={f}
              type="button"
              data-testid={`policy-frames-${f}`}
              aria-pressed={f === frames}
              className={f === frames ? 'pol-frames-on' : undefined}
              onClick={(e) => {
                setPolicyFrames(f);
                e.currentTarget.blur();
              }}
            >
              {f}
            </button>
          ))}
        </fieldset>
      </div>
      <p className="pol-fifo" data-testid="policy-fifo-misses">
        FIFO misses over the whole string:{' '}
        {view.fifoMisses.map((m, i) => {
          const prev = view.fifoMisses[i - 1];
          const anomaly = prev !== undefined && m.misses > prev.misses;
          return (
            <span
              key={m.frames}
              className={`pol-fifo-n${m.frames === frames ? ' pol-fifo-now' : ''}${anomaly ? ' pol-fifo-anomaly' : ''}`}
              data-frames={m.frames}
              data-misses={m.misses}
              title={anomaly ? "Belady's anomaly: more frames, more misses" : undefined}
            >
              {m.frames} frame{m.frames === 1 ? '' : 's'}: {m.misses}
              {anomaly ? ' ↑' : ''}
            </span>
          );
        })}
      </p>
      <div className="pol-cols">
        {view.columns.map((c) => (
          <PolicyColumn key={c.policy} col={c} frames={frames} />
        ))}
      </div>
    </section>
  );
}

export function PolicyLog() {
  const view = useVm((s) => s.policy);
  return (
    <section
      className="panel panel-log pol-log"
      data-testid="panel-log"
      aria-labelledby="log-title"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls; focusable, the keyboard scrolls it too (WCAG 2.1.1)
      tabIndex={0}
    >
      <div className="panel-head">
        <h2 id="log-title">Step {view?.step ?? ''}</h2>
        {view && <span className="panel-what">of {view.end}</span>}
      </div>
      <ol className="narration" data-testid="narration" aria-live="polite">
        {(view?.narration ?? []).map((text) => (
          <li key={text} className={view && view.step > 0 ? 'cat-walk' : 'cat-other narration-idle'}>
            {text}
          </li>
        ))}
      </ol>
    </section>
  );
}
