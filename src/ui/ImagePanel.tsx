// The machine-image view: a `vmscope translate` image (pasted JSON, validated and run in the
// worker by the same code as the CLI), its translation regime, and its accesses as a table whose
// rows fill in as you step: the physical address, or the fault decoded. The log area beside it
// shows this step's sentence and the access's result exactly as `vmscope translate` prints it.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { MAX_IMAGE_PASTE_CHARS, openImageView, pasteMachineImage, useVm } from '../state';
import { ImageTree } from './ImageTree';

function PasteBox({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pasteMachineImage(text);
  };
  return (
    <form className="ostep-paste" onSubmit={submit} data-testid="image-paste">
      <label htmlFor="image-paste-text">
        Paste a machine image: the JSON <span className="mono">vmscope translate</span> reads (arch,
        registers, frames as hex, accesses).
      </label>
      <textarea
        id="image-paste-text"
        data-testid="image-paste-text"
        rows={5}
        spellCheck={false}
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        placeholder={'{ "arch": "x86_64", "levels": 4, "maxphyaddr": 40, "cr3": "0x1000", …'}
      />
      <div className="ostep-paste-bar">
        <button
          type="submit"
          className="btn-primary"
          data-testid="image-paste-load"
          disabled={text.trim() === ''}
        >
          Run
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <span className="ostep-note">
          Pasted images are not in the link. Up to {MAX_IMAGE_PASTE_CHARS / 1024 / 1024} MiB.
        </span>
      </div>
    </form>
  );
}

export function ImagePanel() {
  const view = useVm((s) => s.image);
  const [pasting, setPasting] = useState(false);
  const seq = view?.input.pasteSeq ?? null;
  const lastSeq = useRef(seq);
  useEffect(() => {
    if (seq !== null && seq !== lastSeq.current) setPasting(false);
    lastSeq.current = seq;
  }, [seq]);
  const nowRef = useRef<HTMLTableRowElement | null>(null);
  const step = view?.step ?? 0;
  useEffect(() => {
    if (step > 0) nowRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [step]);

  if (!view) {
    return (
      <section className="panel panel-ostep" data-testid="panel-image" aria-labelledby="image-title">
        <div className="panel-head">
          <h2 id="image-title">Machine image</h2>
          <span className="panel-what">Loading the image…</span>
        </div>
      </section>
    );
  }
  const pasted = view.input.builtin === null;
  return (
    <section className="panel panel-ostep" data-testid="panel-image" aria-labelledby="image-title">
      <div className="panel-head ostep-head">
        <h2 id="image-title">Machine image</h2>
        <span className="panel-what" data-testid="image-input">
          {view.input.label} · {view.input.frames} frame{view.input.frames === 1 ? '' : 's'}
          {pasted ? ' · not in the link' : ''}
        </span>
        <span className="ostep-actions">
          {pasted && (
            <button type="button" onClick={() => openImageView(0)} data-testid="image-builtin">
              Built-in example
            </button>
          )}
          <button
            type="button"
            onClick={() => setPasting((p) => !p)}
            aria-expanded={pasting}
            data-testid="image-paste-open"
          >
            Open machine image…
          </button>
        </span>
      </div>
      {pasting && <PasteBox onClose={() => setPasting(false)} />}
      <p className="image-regime mono" data-testid="image-regime">
        {view.input.regime}
      </p>
      <table className="image-table" data-testid="image-accesses">
        <thead>
          <tr>
            <th scope="col" className="image-th">
              #
            </th>
            <th scope="col" className="image-th">
              virtual address
            </th>
            <th scope="col" className="image-th">
              access
            </th>
            <th scope="col" className="image-th">
              result
            </th>
          </tr>
        </thead>
        <tbody>
          {view.accesses.map((a) => (
            <tr
              key={a.n}
              ref={a.state === 'now' ? nowRef : undefined}
              className={`image-row image-${a.state}${a.ok === false ? ' image-fault' : ''}${a.ok ? ' image-ok' : ''}`}
              data-testid="image-access"
              data-state={a.state}
              data-ok={a.ok === null ? undefined : String(a.ok)}
            >
              <td className="image-cell num">{a.n + 1}</td>
              <td className="image-cell mono">{a.va}</td>
              <td className="image-cell">{a.what}</td>
              <td className="image-cell image-result">{a.summary ?? '?'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {/* A new image starts with a fresh tree (roots open, the rest collapsed). */}
      <ImageTree key={`${view.input.builtin ?? 'pasted'}-${view.input.pasteSeq ?? 0}`} tree={view.tree} />
    </section>
  );
}

export function ImageLog() {
  const view = useVm((s) => s.image);
  const cur = view && view.step > 0 ? view.accesses[view.step - 1] : undefined;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls; focusable, the keyboard scrolls it too (WCAG 2.1.1)
    <section className="panel panel-log" data-testid="panel-log" aria-labelledby="log-title" tabIndex={0}>
      <div className="panel-head">
        <h2 id="log-title">Step {view?.step ?? ''}</h2>
        {view && <span className="panel-what">of {view.end}</span>}
      </div>
      <ol className="narration" data-testid="narration" aria-live="polite">
        {(view?.narration ?? []).map((text) => (
          <li key={text} className={cur ? (cur.ok ? 'cat-walk' : 'cat-fault') : 'cat-other narration-idle'}>
            {text}
          </li>
        ))}
      </ol>
      {cur?.json && (
        <>
          <h3 className="events-title">The result, as vmscope translate prints it</h3>
          <pre className="image-json mono" data-testid="image-json">
            {cur.json}
          </pre>
        </>
      )}
    </section>
  );
}
