// One small table per core: the core's loaded PCID, its hit/miss counters and one row per valid
// TLB entry. This step's tlb.fill / tlb.hit rows flash, a tlb.miss flashes the core's box, and a
// tlb.invalidate leaves a struck-out ghost row (or a badge for whole-PCID flushes) for the step.
// A TLB hierarchy (more than one array) is shown level by level, each under a small label (L1i,
// L1d, L2); a big level shows only this step's rows, troubled ones and a few others until opened.
import { memo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SimEvent } from '../core/events';
import type { TlbEntryRow, TlbLevelView, TlbView } from '../core/view/snapshot';
import { useVm } from '../state';
import { plural } from './format';
import { isPscEvent, type PscEvent, PscTable } from './PscTable';

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

/** Rows a closed level shows besides this step's and the troubled ones. */
const CLOSED_ROWS = 3;

/** The arrays of one role (L1i, L1d, L1 or L2) and their entries, in hierarchy order. */
interface LevelGroup {
  label: string;
  arrays: TlbLevelView[];
  rows: TlbEntryRow[];
  /** Slots over the group's arrays. */
  capacity: number;
}

function levelGroups(tlb: TlbView): LevelGroup[] {
  const groups: LevelGroup[] = [];
  for (const l of tlb.levels) {
    let g = groups.find((x) => x.label === l.label);
    if (!g) {
      g = { label: l.label, arrays: [], rows: [], capacity: 0 };
      groups.push(g);
    }
    g.arrays.push(l);
    g.capacity += l.sets * l.ways;
    g.rows.push(...l.entries.slice().sort((a, b) => a.set - b.set || a.way - b.way));
  }
  return groups;
}

function arrayTitle(a: TlbLevelView): string {
  const n = a.sets * a.ways;
  const shape = a.sets === 1 ? 'fully associative' : `${a.sets} sets x ${a.ways} ways`;
  return `${a.name} (${a.sizes} pages): ${a.entries.length} of ${n} entries, ${shape}`;
}

type Flash = '' | 'flash-fill' | 'flash-hit';

function EntryRow({
  e,
  flash,
  other,
  core,
  level,
}: {
  e: TlbEntryRow;
  flash: Flash;
  other: boolean;
  core: number;
  /** The level's label, in a hierarchy. */
  level?: string;
}) {
  const status = STATUS[e.status];
  return (
    <tr
      className={`${flash}${other ? ' tlb-other' : ''}${status ? ` tlb-${e.status}` : ''}`}
      data-testid="tlb-entry"
      data-core={core}
      data-va={e.va}
      data-status={e.status}
      data-level={level}
      title={`${level ? `${level}, ` : ''}set ${e.set}, way ${e.way}${other ? ' · tagged with another PCID: not usable now' : ''}${status ? ` · ${status.title}` : ''}`}
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
}

const LEVEL_TAG = { marginLeft: 0, background: 'var(--muted)' } as const;
const LINK_BUTTON = {
  marginLeft: 8,
  padding: 0,
  border: 'none',
  background: 'none',
  color: 'var(--accent)',
  textDecoration: 'underline',
  cursor: 'pointer',
} as const;

/**
 * One level of a hierarchy: a header (label, how full it is, a toggle) and its rows. Closed, it
 * shows this step's rows and troubled ones, topped up to CLOSED_ROWS with the first of the rest.
 */
function LevelRows({
  group,
  open,
  onToggle,
  flashOf,
  evicted,
  loaded,
  core,
  step,
}: {
  group: LevelGroup;
  open: boolean;
  onToggle: () => void;
  flashOf: (e: TlbEntryRow) => Flash;
  /** Entries this step's fills pushed out, by array name. */
  evicted: { array: string; va: string }[];
  loaded: number | null;
  core: number;
  step: number;
}) {
  const gone = evicted.filter((v) => group.arrays.some((a) => a.name === v.array));
  const flashes = new Map(group.rows.map((e) => [e, flashOf(e)]));
  const must = new Set(group.rows.filter((e) => flashes.get(e) !== '' || e.status !== 'ok'));
  const extra = group.rows.filter((e) => !must.has(e)).slice(0, Math.max(0, CLOSED_ROWS - must.size));
  const shown = open ? group.rows : group.rows.filter((e) => must.has(e) || extra.includes(e));
  const hidden = group.rows.length - shown.length;
  return (
    <tbody data-testid="tlb-level" data-core={core} data-level={group.label}>
      <tr>
        <th scope="rowgroup" colSpan={4} title={group.arrays.map(arrayTitle).join('\n')}>
          <span className="row-tag" style={LEVEL_TAG}>
            {group.label}
          </span>{' '}
          {group.arrays.length === 1
            ? `${group.rows.length} of ${group.capacity} entries`
            : group.arrays.map((a) => `${a.sizes} ${a.entries.length}/${a.sets * a.ways}`).join(' · ')}
          {(hidden > 0 || open) && (
            <button type="button" style={LINK_BUTTON} aria-expanded={open} onClick={onToggle}>
              {open ? 'show fewer' : `show ${hidden} more`}
            </button>
          )}
        </th>
      </tr>
      {shown.map((e) => {
        const flash = flashes.get(e) ?? '';
        return (
          <EntryRow
            key={flash ? `${e.set}-${e.way}-${e.va}-${step}` : `${e.set}-${e.way}-${e.va}`}
            e={e}
            flash={flash}
            other={loaded !== null && e.pcid !== loaded && !e.global}
            core={core}
            level={group.label}
          />
        );
      })}
      {gone.map((v) => (
        <tr
          key={`evicted-${v.array}-${v.va}-${step}`}
          className="tlb-other"
          data-testid="tlb-evicted"
          data-core={core}
          data-va={v.va}
          data-level={group.label}
        >
          <td className="mono">
            <s>{v.va}</s>
          </td>
          <td colSpan={3}>
            <span className="row-tag" style={LEVEL_TAG}>
              evicted
            </span>{' '}
            from the {v.array}
          </td>
        </tr>
      ))}
    </tbody>
  );
}

interface CoreTlbProps {
  tlb: TlbView;
  /** The PCID the core runs with, or null (no process loaded). */
  loaded: number | null;
  /** This step's TLB and PSC events of this core. */
  events: TlbEvent[];
  step: number;
  pscEvents: PscEvent[];
}

/**
 * A core's box draws the same when its TLB did not change and this step did nothing to it: the
 * step number only keys this step's flashes. So a step redraws the one or two cores it touched.
 */
function sameCore(a: CoreTlbProps, b: CoreTlbProps): boolean {
  const quiet = (p: CoreTlbProps) => p.events.length === 0 && p.pscEvents.length === 0;
  return a.tlb === b.tlb && a.loaded === b.loaded && quiet(a) && quiet(b);
}

const CoreTlb = memo(function CoreTlb({ tlb, loaded, events: mine, step, pscEvents }: CoreTlbProps) {
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const filled = new Set(mine.flatMap((e) => (e.type === 'tlb.fill' ? [e.va] : [])));
  const hit = new Set(mine.flatMap((e) => (e.type === 'tlb.hit' ? [e.va] : [])));
  const miss = mine.find((e) => e.type === 'tlb.miss');
  const invals = mine.flatMap((e) => (e.type === 'tlb.invalidate' ? [e] : []));
  const present = new Set(tlb.entries.map((e) => e.va));
  const ghosts = invals.filter((e) => e.va !== undefined && e.removed > 0 && !present.has(e.va));
  const flushes = invals.filter((e) => e.va === undefined || e.scope !== 'page');
  const rows = tlb.entries.slice().sort((a, b) => a.set - b.set || a.way - b.way);
  const multi = tlb.levels.length > 1;
  // With a hierarchy a page can sit in several arrays: flash only the copy the event names.
  const levelFlash = (e: TlbEntryRow): Flash => {
    const name = tlb.levels[e.level]?.name;
    for (const ev of mine) {
      if (ev.va !== e.va) continue;
      if (ev.type === 'tlb.fill' && ev.arrays?.includes(name ?? '')) return 'flash-fill';
      if (ev.type === 'tlb.hit' && ev.refill === name) return 'flash-fill';
    }
    return mine.some((ev) => ev.type === 'tlb.hit' && ev.va === e.va && ev.array === name) ? 'flash-hit' : '';
  };
  // What this step's fills and refills displaced, per array (hierarchies only: the events say where).
  const evictions = mine.flatMap((e) =>
    e.type === 'tlb.fill'
      ? (e.evictions ?? [])
      : e.type === 'tlb.hit' && e.refill && e.evicted
        ? [{ array: e.refill, va: e.evicted }]
        : [],
  );
  // The core's badge names its worst entry: a freed frame, then stale, then a flush in flight.
  const worst = (['freed', 'stale', 'pending'] as const).find((st) => rows.some((r) => r.status === st));
  const ghostRows = ghosts.map((g) => (
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
  ));
  return (
    <section
      className={`tlb-core${miss ? ' tlb-core-miss' : ''}`}
      data-testid="tlb-core"
      data-core={tlb.core}
      aria-label={`Core ${tlb.core} TLB`}
      title={multi ? tlb.title : undefined}
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
        {multi ? (
          <>
            {levelGroups(tlb).map((g) => (
              <LevelRows
                key={g.label}
                group={g}
                open={Boolean(open[g.label])}
                onToggle={() => setOpen((o) => ({ ...o, [g.label]: !o[g.label] }))}
                flashOf={levelFlash}
                evicted={evictions}
                loaded={loaded}
                core={tlb.core}
                step={step}
              />
            ))}
            {ghosts.length > 0 && <tbody>{ghostRows}</tbody>}
          </>
        ) : (
          <tbody>
            {rows.map((e) => {
              const flash = filled.has(e.va) ? 'flash-fill' : hit.has(e.va) ? 'flash-hit' : '';
              return (
                <EntryRow
                  key={flash ? `${e.set}-${e.way}-${e.va}-${step}` : `${e.set}-${e.way}-${e.va}`}
                  e={e}
                  flash={flash}
                  other={loaded !== null && e.pcid !== loaded && !e.global}
                  core={tlb.core}
                />
              );
            })}
            {ghostRows}
            {rows.length === 0 && ghosts.length === 0 && (
              <tr className="tlb-empty">
                <td colSpan={4}>empty</td>
              </tr>
            )}
          </tbody>
        )}
      </table>
      {tlb.psc && <PscTable psc={tlb.psc} core={tlb.core} events={pscEvents} loaded={loaded} step={step} />}
    </section>
  );
}, sameCore);

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
  const pscEvents = (events ?? []).filter(isPscEvent);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the panel scrolls on a short screen; focusable, the keyboard scrolls it too (WCAG 2.1.1)
    <section className="panel panel-tlb" data-testid="panel-tlb" aria-labelledby="tlb-title" tabIndex={0}>
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
        {(tlbs ?? []).map((t) => {
          const core = cores?.[t.core];
          return (
            <CoreTlb
              key={t.core}
              tlb={t}
              loaded={core && core.pid >= 0 ? core.pcid : null}
              events={tlbEvents.filter((e) => e.core === t.core)}
              step={step}
              pscEvents={pscEvents.filter((e) => e.core === t.core)}
            />
          );
        })}
      </div>
    </section>
  );
}
