// The log area in the OSTEP lesson: this step's sentence in big text, then the problem's virtual
// addresses with the answer of each walk already done (the script's -c words for faults).
import { useEffect, useRef } from 'react';
import { useVm } from '../state';

const hx = (n: number, width = 0) => `0x${n.toString(16).padStart(width, '0')}`;

export function OstepLog() {
  const view = useVm((s) => s.ostep);
  const nowRef = useRef<HTMLLIElement | null>(null);
  const n = view?.current?.n ?? -1;
  // Keep the current address in sight in a long list.
  useEffect(() => {
    if (n >= 0) nowRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [n]);
  if (!view) {
    return (
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls; focusable, the keyboard scrolls it too (WCAG 2.1.1)
      <section className="panel panel-log" data-testid="panel-log" aria-labelledby="log-title" tabIndex={0}>
        <div className="panel-head">
          <h2 id="log-title">Step</h2>
        </div>
      </section>
    );
  }
  const fault = view.current?.fault !== null && view.current?.fault !== undefined;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls; focusable, the keyboard scrolls it too (WCAG 2.1.1)
    <section className="panel panel-log" data-testid="panel-log" aria-labelledby="log-title" tabIndex={0}>
      <div className="panel-head">
        <h2 id="log-title">Step {view.step}</h2>
        <span className="panel-what">of {view.end}</span>
      </div>
      <ol className="narration" data-testid="narration" aria-live="polite">
        {view.narration.map((text) => (
          <li
            key={text}
            className={view.current ? (fault ? 'cat-fault' : 'cat-walk') : 'cat-other narration-idle'}
          >
            {text}
          </li>
        ))}
      </ol>
      <h3 className="events-title">Virtual addresses</h3>
      <ol className="ostep-answers" data-testid="ostep-answers">
        {view.answers.map((a) => (
          <li
            key={a.n}
            ref={a.state === 'now' || (a.state === 'done' && a.n === n) ? nowRef : undefined}
            className={`ostep-answer ostep-answer-${a.state}${a.n === n ? ' ostep-answer-current' : ''}${
              a.fault ? ' ostep-answer-fault' : ''
            }`}
            data-testid="ostep-answer"
            data-state={a.state}
          >
            <span className="mono ostep-answer-va">{hx(a.va, 4)}</span>
            <span className="ostep-answer-result">{a.result ?? (a.state === 'now' ? '…' : '?')}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
