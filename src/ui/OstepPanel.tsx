// The OSTEP homework lesson (paging-multilevel-translate.py): the virtual address cut into its
// 5-bit page-directory index, page-table index and offset (in the bit-slicer's level colours),
// then one column per memory read of the walk: the page directory (at the PDBR), the page table
// and the data page, each drawn as its 32 bytes with the byte read highlighted, and what that
// byte means (valid bit and PFN, or the value). A fault stops the walk in the script's words.
// The problem comes built in, or pasted (parsed in the worker; a bad paste only sets the banner).
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { OstepEntryView, OstepVaView, OstepView } from '../worker/ostep';
import { MAX_PASTE_CHARS, openOstepLesson, pasteOstepProblem, useVm } from '../state';

const hx = (n: number, width = 0) => `0x${n.toString(16).padStart(width, '0')}`;
const bin = (n: number, width: number) => n.toString(2).padStart(width, '0');

const FIELDS = [
  { key: 'pd', name: 'PD index', range: '14:10', lvl: 'lvl-4' },
  { key: 'pt', name: 'PT index', range: '9:5', lvl: 'lvl-1' },
  { key: 'off', name: 'offset', range: '4:0', lvl: 'lvl-off' },
] as const;

function VaSlicer({ view, cur }: { view: OstepView; cur: OstepVaView | null }) {
  if (!cur) {
    return (
      <div className="ostep-slicer ostep-slicer-empty" data-testid="ostep-va">
        {view.problem.vaCount > 0
          ? `${view.problem.vaCount} virtual addresses to translate. Press Step (→) to take the first one.`
          : 'This problem has no virtual addresses.'}
      </div>
    );
  }
  const values = { pd: cur.pdIndex, pt: cur.ptIndex, off: cur.offset };
  return (
    <div className="ostep-slicer" data-testid="ostep-va" data-va={cur.va}>
      <div className="ostep-va-line">
        <span className="ostep-va-count">
          VA {cur.n + 1} of {view.problem.vaCount}
        </span>{' '}
        <span className="ostep-va mono">{hx(cur.va, 4)}</span>{' '}
        <span className="ostep-va-bits mono">
          = {bin(cur.pdIndex, 5)} {bin(cur.ptIndex, 5)} {bin(cur.offset, 5)}
        </span>
      </div>
      <div className="bits-row">
        {FIELDS.map((f) => (
          <span
            key={f.key}
            className={`bits-field ${f.lvl}`}
            data-testid="ostep-field"
            data-field={f.key}
            data-value={values[f.key]}
          >
            <span className="bits-name">
              {f.name} <span className="bits-range">bits {f.range}</span>
            </span>
            <span className="ostep-field-bits mono">{bin(values[f.key], 5)}</span>
            <span className="bits-val mono">
              {hx(values[f.key])} = {values[f.key]}
            </span>
          </span>
        ))}
      </div>
    </div>
  );
}

/** A physical page as 4 rows of 8 bytes, the byte read highlighted. */
function PageGrid({
  page,
  bytes,
  read,
  now,
  kind,
}: {
  page: number;
  bytes: readonly number[];
  read: number | null;
  now: boolean;
  kind: 'pd' | 'pt' | 'data';
}) {
  const rows = [0, 8, 16, 24];
  return (
    <table className="ostep-page mono" data-testid="ostep-page" data-kind={kind} data-page={page}>
      <caption className="sr-only">
        Physical page {page}, bytes 0 to 31 in hex{read !== null ? `; byte ${read} is read` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col" className="ostep-corner">
            <span className="sr-only">byte</span>
          </th>
          {[0, 1, 2, 3, 4, 5, 6, 7].map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r}>
            <th scope="row">{r}</th>
            {[0, 1, 2, 3, 4, 5, 6, 7].map((c) => {
              const i = r + c;
              const isRead = i === read;
              return (
                <td
                  key={c}
                  className={
                    isRead ? (now ? 'ostep-byte byte-read byte-now' : 'ostep-byte byte-read') : 'ostep-byte'
                  }
                  data-testid={isRead ? 'ostep-byte-read' : undefined}
                  data-byte={i}
                  title={`page ${page}, byte ${i} (${hx(i)}): ${hx(bytes[i] ?? 0, 2)}`}
                >
                  {(bytes[i] ?? 0).toString(16).padStart(2, '0')}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What an entry byte says: valid bit and PFN, or the fault in the script's words. */
function EntryDecode({ which, e, fault }: { which: 'pde' | 'pte'; e: OstepEntryView; fault: string | null }) {
  return (
    <div
      className={`ostep-decode${e.valid ? '' : ' ostep-decode-fault'}`}
      data-testid={`ostep-${which}`}
      data-index={e.index}
      data-page={e.page}
      data-value={e.value}
      data-valid={e.valid ? 1 : 0}
      data-pfn={e.pfn}
    >
      <div>
        {which.toUpperCase()}: byte {e.index} = <b className="mono">{hx(e.value, 2)}</b>
      </div>
      <div className="ostep-entry-bits">
        <span className="ostep-bit-v mono" title="bit 7: valid">
          {e.value >> 7}
        </span>
        <span className="ostep-bit-pfn mono" title="bits 6-0: PFN">
          {bin(e.pfn, 7)}
        </span>{' '}
        {e.valid ? (
          <span className="nowrap">
            → valid, PFN <b className="mono">{hx(e.pfn, 2)}</b> ({e.pfn})
          </span>
        ) : (
          <span className="nowrap">→ not valid</span>
        )}
      </div>
      {!e.valid && fault && (
        <div className="ostep-fault" data-testid="ostep-fault">
          {fault}
        </div>
      )}
    </div>
  );
}

function Pending({ text }: { text: string }) {
  return <div className="ostep-pending">{text}</div>;
}

function WalkColumns({ view, cur }: { view: OstepView; cur: OstepVaView | null }) {
  const { pages } = view;
  const pdbr = view.problem.pdbr;
  const phase = cur?.phase ?? null;
  const pdeFault = cur?.pde !== null && cur?.pde !== undefined && !cur.pde.valid;
  const pteFault = cur?.pte !== null && cur?.pte !== undefined && !cur.pte.valid;
  return (
    <div className="ostep-walk">
      <section
        className={`ostep-col lvl-4${phase === 'pde' ? ' ostep-col-now' : ''}`}
        aria-label="Page directory"
      >
        <h3 className="ostep-col-head">
          <span className="ostep-col-step">1</span> Page directory
          <span className="ostep-col-page">
            page {pdbr} <span className="ostep-col-why">= PDBR</span>
          </span>
        </h3>
        <PageGrid
          page={pdbr}
          bytes={pages.pd}
          read={cur?.pde?.index ?? null}
          now={phase === 'pde'}
          kind="pd"
        />
        {cur?.pde ? (
          <EntryDecode which="pde" e={cur.pde} fault={cur.fault} />
        ) : (
          <Pending text={cur ? 'Next: read the entry at the PD index.' : 'The PDBR names this page.'} />
        )}
      </section>
      <section
        className={`ostep-col lvl-1${phase === 'pte' ? ' ostep-col-now' : ''}`}
        aria-label="Page table"
      >
        <h3 className="ostep-col-head">
          <span className="ostep-col-step">2</span> Page table
          <span className="ostep-col-page">
            {cur?.pte ? (
              <>
                page {cur.pte.page} <span className="ostep-col-why">= PDE's PFN</span>
              </>
            ) : (
              '\u00a0'
            )}
          </span>
        </h3>
        {cur?.pte && pages.pt ? (
          <>
            <PageGrid
              page={cur.pte.page}
              bytes={pages.pt}
              read={cur.pte.index}
              now={phase === 'pte'}
              kind="pt"
            />
            <EntryDecode which="pte" e={cur.pte} fault={cur.fault} />
          </>
        ) : (
          <Pending
            text={
              pdeFault
                ? 'Not read: the page-directory entry is not valid.'
                : cur?.pde
                  ? `Next: byte ${cur.ptIndex} (PT index) of page ${cur.pde.pfn}.`
                  : "Its page is the PDE's PFN."
            }
          />
        )}
      </section>
      <section
        className={`ostep-col lvl-off${phase === 'pa' ? ' ostep-col-now' : ''}`}
        aria-label="Data page"
      >
        <h3 className="ostep-col-head">
          <span className="ostep-col-step">3</span> Data
          <span className="ostep-col-page">
            {cur?.pa ? (
              <>
                page {cur.pa.page} <span className="ostep-col-why">= PTE's PFN</span>
              </>
            ) : (
              '\u00a0'
            )}
          </span>
        </h3>
        {cur?.pa && pages.data ? (
          <>
            <PageGrid
              page={cur.pa.page}
              bytes={pages.data}
              read={cur.pa.byte}
              now={phase === 'pa'}
              kind="data"
            />
            <div
              className="ostep-decode"
              data-testid="ostep-pa"
              data-pa={cur.pa.pa}
              data-value={cur.pa.value}
            >
              <div>
                PA = <b className="mono">{hx(cur.pa.pa, 3)}</b>: byte {cur.pa.byte}
              </div>
              <div>
                value = <b className="mono">{hx(cur.pa.value, 2)}</b>
              </div>
            </div>
          </>
        ) : (
          <Pending
            text={
              pdeFault || pteFault
                ? 'Not read: the walk faulted.'
                : cur?.pte
                  ? `Next: PA = PFN ${hx(cur.pte.pfn, 2)} × 32 + offset ${hx(cur.offset)}.`
                  : "Its page is the PTE's PFN; the offset picks the byte."
            }
          />
        )}
      </section>
    </div>
  );
}

function Result({ cur }: { cur: OstepVaView | null }) {
  if (!cur) return null;
  let body: string;
  let cls = 'ostep-result';
  if (cur.pa) {
    body = `${hx(cur.va, 4)} → PA ${hx(cur.pa.pa, 3)}, value ${hx(cur.pa.value, 2)}`;
    cls += ' ostep-result-ok';
  } else if (cur.fault) {
    body = `${hx(cur.va, 4)} → ${cur.fault}`;
    cls += ' ostep-result-fault';
  } else {
    body = `${hx(cur.va, 4)}: translates to what physical address (and fetches what value)? Or fault?`;
  }
  return (
    <output className={cls} data-testid="ostep-result">
      {body}
    </output>
  );
}

function PasteBox({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pasteOstepProblem(text);
  };
  return (
    <form className="ostep-paste" onSubmit={submit} data-testid="ostep-paste">
      <label htmlFor="ostep-paste-text">
        Paste a problem: the text <span className="mono">paging-multilevel-translate.py -s SEED</span> prints
        (without -c).
      </label>
      <textarea
        id="ostep-paste-text"
        data-testid="ostep-paste-text"
        rows={5}
        spellCheck={false}
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        placeholder={'ARG seed 2\nARG allocated 64\nARG num 10\n\npage   0:…'}
      />
      <div className="ostep-paste-bar">
        <button
          type="submit"
          className="btn-primary"
          data-testid="ostep-paste-load"
          disabled={text.trim() === ''}
        >
          Load
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <span className="ostep-note">
          Pasted problems are not in the link. Up to {MAX_PASTE_CHARS / 1024} KiB.
        </span>
      </div>
    </form>
  );
}

export function OstepPanel() {
  const view = useVm((s) => s.ostep);
  const [pasting, setPasting] = useState(false);
  // A paste that loaded closes the box (a bad one keeps it open, with the error in the banner).
  const seq = view?.problem.pasteSeq ?? null;
  const lastSeq = useRef(seq);
  useEffect(() => {
    if (seq !== null && seq !== lastSeq.current) setPasting(false);
    lastSeq.current = seq;
  }, [seq]);

  if (!view) {
    return (
      <section className="panel panel-ostep" data-testid="panel-ostep" aria-labelledby="ostep-title">
        <div className="panel-head">
          <h2 id="ostep-title">Two-level page table</h2>
          <span className="panel-what">Loading the problem…</span>
        </div>
      </section>
    );
  }
  const cur = view.current;
  const pasted = view.problem.builtin === null;
  return (
    <section className="panel panel-ostep" data-testid="panel-ostep" aria-labelledby="ostep-title">
      <div className="panel-head ostep-head">
        <h2 id="ostep-title">Two-level page table</h2>
        <span className="panel-what" data-testid="ostep-problem">
          Problem: {view.problem.label} · PDBR = page {view.problem.pdbr}
          {pasted ? ' · not in the link' : ''}
        </span>
        <span className="ostep-actions">
          {pasted && (
            <button type="button" onClick={() => openOstepLesson(0)} data-testid="ostep-builtin">
              Built-in problem
            </button>
          )}
          <button
            type="button"
            onClick={() => setPasting((p) => !p)}
            aria-expanded={pasting}
            data-testid="ostep-paste-open"
          >
            Paste a problem…
          </button>
        </span>
      </div>
      {pasting && <PasteBox onClose={() => setPasting(false)} />}
      <VaSlicer view={view} cur={cur} />
      <WalkColumns view={view} cur={cur} />
      <Result cur={cur} />
    </section>
  );
}
