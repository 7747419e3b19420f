// One small table per core: the core's loaded PCID, its hit/miss counters and one row per valid
// TLB entry. This step's tlb.fill / tlb.hit rows flash, a tlb.miss flashes the core's box, and a
// tlb.invalidate leaves a struck-out ghost row (or a badge for whole-PCID flushes) for the step.
import { useShallow } from 'zustand/react/shallow';
import type { SimEvent } from '../core/events';
import type { CoreView, TlbEntryRow, TlbView } from '../core/view/snapshot';
import { useVm } from '../state';
import { plural } from './format';

type TlbEvent = Extract<SimEvent, { type: 'tlb.fill' | 'tlb.hit' | 'tlb.miss' | 'tlb.invalidate' }>;

function isTlbEvent(e: SimEvent): e is TlbEvent {
  return (
    e.type === 'tlb.fill' || e.type === 'tlb.hit' || e.type === 'tlb.miss' || e.type === 'tlb.invalidate'
  );
}

/** Entries that no longer match memory, as the monitor sees them. */
const STATUS: Record<TlbEntryRow['status'], { label: string; title: string } | null> = {
  ok: null,
  pending: { label: 'flush pending', title: 'the PTE changed; a flush of this page is under way' },
  stale: { label: 'stale', title: 'the PTE changed and nothing will flush this entry' },
  freed: { label: 'freed frame', title: 'its frame is free or belongs to another process' },
};

function CoreTlb({
  tlb,
  core,
  events,
  step,
}: {
  tlb: TlbView;
  core: CoreView | undefined;
  events: TlbEvent[];
  step: number;
}) {
  const mine = events.filter((e) => e.core === tlb.core);
  const filled = new Set(mine.flatMap((e) => (e.type === 'tlb.fill' ? [e.va] : [])));
  const hit = new Set(mine.flatMap((e) => (e.type === 'tlb.hit' ? [e.va] : [])));
  const miss = mine.find((e) => e.type === 'tlb.miss');
  const invals = mine.flatMap((e) => (e.type === 'tlb.invalidate' ? [e] : []));
  const present = new Set(tlb.entries.map((e) => e.va));
  const ghosts = invals.filter((e) => e.va !== undefined && e.removed > 0 && !present.has(e.va));
  const flushes = invals.filter((e) => e.va === undefined || e.scope !== 'page');
  const loaded = core && core.pid >= 0 ? core.pcid : null;
  const rows = tlb.entries.slice().sort((a, b) => a.set - b.set || a.way - b.way);
  // The core's badge names its worst entry: a freed frame, then stale, then a flush in flight.
  const worst = (['freed', 'stale', 'pending'] as const).find((st) => rows.some((r) => r.status === st));
  return (
    <section
      className={`tlb-core${miss ? ' tlb-core-miss' : ''}`}
      data-testid="tlb-core"
      data-core={tlb.core}
      aria-label={`Core ${tlb.core} TLB`}
    >
      {miss && <div key={`miss-${step}`} className="miss-flash" aria-hidden="true" />}
      <div className="tlb-head">
        <span className="tlb-name">Core {tlb.core}</span>
        <span className="tlb-pcid">PCID {loaded ?? '–'}</span>
        <span className="tlb-count">
          hits <b>{tlb.hits}</b>
        </span>
        <span className="tlb-count">
          misses <b>{tlb.misses}</b>
        </span>
        {worst && (
          <span className={`badge badge-${worst}`} title={STATUS[worst]?.title}>
            {STATUS[worst]?.label}
          </span>
        )}
        {miss && miss.type === 'tlb.miss' && (
          <span className="badge badge-miss" title={`TLB miss for ${miss.va}`}>
            miss
          </span>
        )}
        {flushes.map((f, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: this step's flushes, in order
          <span key={`f${i}`} className="badge badge-inval" title={f.reason}>
            flushed {f.scope === 'asid' && f.asid !== undefined ? `PCID ${f.asid}` : f.scope}:{' '}
            {plural(f.removed, 'entry', 'entries')}
          </span>
        ))}
      </div>
      <table className="tlb-table">
        <colgroup>
          <col className="col-va" />
          <col className="col-pcid" />
          <col className="col-frame" />
          <col className="col-flags" />
        </colgroup>
        <thead className="sr-only">
          <tr>
            <th scope="col">VA page</th>
            <th scope="col">PCID</th>
            <th scope="col">frame</th>
            <th scope="col">flags</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => {
            const flash = filled.has(e.va) ? 'flash-fill' : hit.has(e.va) ? 'flash-hit' : '';
            const other = loaded !== null && e.pcid !== loaded && !e.global;
            const status = STATUS[e.status];
            return (
              <tr
                key={flash ? `${e.set}-${e.way}-${e.va}-${step}` : `${e.set}-${e.way}-${e.va}`}
                className={`${flash}${other ? ' tlb-other' : ''}${status ? ` tlb-${e.status}` : ''}`}
                data-testid="tlb-entry"
                data-core={tlb.core}
                data-va={e.va}
                data-status={e.status}
                title={`set ${e.set}, way ${e.way}${other ? ' · tagged with another PCID: not usable now' : ''}${status ? ` · ${status.title}` : ''}`}
              >
                <td className="mono">
                  {e.va}
                  {status && <span className="sr-only"> ({status.label})</span>}
                </td>
                <td className="num">{e.pcid}</td>
                <td className="num">{e.pfn}</td>
                <td className="mono">
                  {e.flags}
                  {e.global ? ' G' : ''}
                  {flash === 'flash-fill' && <span className="sr-only"> (new this step)</span>}
                  {flash === 'flash-hit' && <span className="sr-only"> (hit this step)</span>}
                </td>
              </tr>
            );
          })}
          {ghosts.map((g) => (
            <tr
              key={`ghost-${g.va}-${step}`}
              className="tlb-ghost"
              data-testid="tlb-ghost"
              data-core={tlb.core}
              data-va={g.va}
            >
              <td className="mono">
                <s>{g.va}</s>
              </td>
              <td colSpan={3}>
                <span className="row-tag tag-inval">invalidated</span> {g.reason}
              </td>
            </tr>
          ))}
          {rows.length === 0 && ghosts.length === 0 && (
            <tr className="tlb-empty">
              <td colSpan={4}>empty</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

export function TlbPanel() {
  const { tlbs, cores, events, step } = useVm(
    useShallow((s) => ({
      tlbs: s.snapshot?.tlbs,
      cores: s.snapshot?.cores,
      events: s.snapshot?.events,
      step: s.snapshot?.step ?? 0,
    })),
  );
  const tlbEvents = (events ?? []).filter(isTlbEvent);
  return (
    <section className="panel panel-tlb" data-testid="panel-tlb" aria-labelledby="tlb-title">
      <div className="panel-head">
        <h2 id="tlb-title">TLBs</h2>
        <span className="legend">
          <span className="chip chip-fill">new</span> <span className="chip chip-hit">hit</span>{' '}
          <span className="chip chip-miss">miss</span> <span className="chip chip-inval">invalidated</span>
        </span>
      </div>
      <div className="tlb-cols" aria-hidden="true">
        <span>VA page</span>
        <span className="num">PCID</span>
        <span className="num">frame</span>
        <span>flags</span>
      </div>
      <div className="tlb-grid">
        {(tlbs ?? []).map((t) => (
          <CoreTlb key={t.core} tlb={t} core={cores?.[t.core]} events={tlbEvents} step={step} />
        ))}
      </div>
    </section>
  );
}
