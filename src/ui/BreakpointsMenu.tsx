// "Jumps and breakpoints": go to step N, run to the next event of any kind, and breakpoints on
// event kinds or on an address that stop playing (a debugger's, for a run of the machine).
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  addBreakpoint,
  type Breakpoint,
  parseBreakAddress,
  positionOf,
  RUN_UNTIL_KINDS,
  type RunUntilKind,
  removeBreakpoint,
  runUntil,
  seek,
  useVm,
} from '../state';

export const KIND_LABEL: Readonly<Record<RunUntilKind, string>> = {
  fault: 'page fault',
  ipi: 'IPI sent',
  violation: 'invariant violation',
  shootdown: 'shootdown starts',
  switch: 'context switch',
  'tlb-miss': 'TLB miss',
  syscall: 'system call',
  signal: 'signal',
};

function hasKind(list: readonly Breakpoint[], kind: RunUntilKind): boolean {
  return list.some((b) => b.kind === 'event' && b.on === kind);
}

export function BreakpointsMenu() {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<RunUntilKind>('fault');
  const [address, setAddress] = useState('');
  const [goto, setGoto] = useState('');
  const [error, setError] = useState<string | null>(null);
  const panelId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const { breakpoints, end, ready } = useVm(
    useShallow((s) => {
      const p = positionOf(s);
      return { breakpoints: s.breakpoints, end: p.end, ready: p.ready };
    }),
  );
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onDown = (e: PointerEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onDown);
    };
  }, [open]);

  const onGoto = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(goto);
    if (!/^\d+$/.test(goto.trim()) || n > end) {
      setError(`a step is a whole number from 0 to ${end}`);
      return;
    }
    setError(null);
    seek(n);
  };
  const onAdd = (e: FormEvent) => {
    e.preventDefault();
    const r = parseBreakAddress(address);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    addBreakpoint({ kind: 'address', va: r.va });
    setAddress('');
  };
  const toggleKind = (k: RunUntilKind) => {
    const i = breakpoints.findIndex((b) => b.kind === 'event' && b.on === k);
    if (i >= 0) removeBreakpoint(i);
    else addBreakpoint({ kind: 'event', on: k });
  };
  const addresses = breakpoints.flatMap((b, i) => (b.kind === 'address' ? [{ va: b.va, i }] : []));

  return (
    <div className="bp-wrap" ref={wrap}>
      <button
        type="button"
        data-testid="btn-breakpoints"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        disabled={!ready}
      >
        Jump{breakpoints.length > 0 ? ` · ${breakpoints.length} bp` : ''} ▾
      </button>
      {open && (
        <section
          id={panelId}
          className="bp-panel"
          aria-label="Jumps and breakpoints"
          data-testid="panel-breakpoints"
        >
          <form className="bp-row" onSubmit={onGoto}>
            <label>
              Go to step{' '}
              <input
                data-testid="goto-step"
                inputMode="numeric"
                size={7}
                value={goto}
                onChange={(e) => setGoto(e.currentTarget.value)}
                placeholder={`0–${end}`}
              />
            </label>
            <button type="submit" data-testid="btn-goto">
              Go
            </button>
          </form>
          <div className="bp-row">
            <label>
              Run to next{' '}
              <select
                data-testid="run-kind"
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as RunUntilKind)}
              >
                {RUN_UNTIL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" data-testid="btn-run-next" onClick={() => runUntil(kind)}>
              Run
            </button>
          </div>
          <fieldset className="bp-kinds">
            <legend>Stop playing at every</legend>
            {RUN_UNTIL_KINDS.map((k) => (
              <label key={k}>
                <input
                  type="checkbox"
                  data-testid={`bp-kind-${k}`}
                  checked={hasKind(breakpoints, k)}
                  onChange={() => toggleKind(k)}
                />{' '}
                {KIND_LABEL[k]}
              </label>
            ))}
          </fieldset>
          <form className="bp-row" onSubmit={onAdd}>
            <label>
              Stop at address{' '}
              <input
                data-testid="bp-address"
                className="mono"
                size={18}
                value={address}
                onChange={(e) => setAddress(e.currentTarget.value)}
                placeholder="0x7f0000001000"
                spellCheck={false}
              />
            </label>
            <button type="submit" data-testid="bp-add">
              Add
            </button>
          </form>
          {addresses.length > 0 && (
            <ul className="bp-list" data-testid="bp-list">
              {addresses.map(({ va, i }) => (
                <li key={va}>
                  <span className="mono">{va}</span> (its 4 KiB page)
                  <button
                    type="button"
                    aria-label={`Remove the breakpoint at ${va}`}
                    onClick={() => removeBreakpoint(i)}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          )}
          {error && (
            <p className="bp-error" role="alert" data-testid="bp-error">
              {error}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
