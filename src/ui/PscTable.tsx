// A core's paging-structure caches (machine.psc), under its TLB: one row per cached PML4E, PDPTE
// or PDE with the region it covers, the table it points to, its PCID and the rights combined down
// to it. This step's psc.hit row flashes as a hit, psc.fill rows as new; an entry whose table
// frame has been freed or reused is marked (the monitor's psc-freed-table rule).
import type { SimEvent } from '../core/events';
import type { PscRow, PscView } from '../core/view/pscView';
import { plural } from './format';
import './psc.css';

export type PscEvent = Extract<
  SimEvent,
  { type: 'psc.hit' | 'psc.fill' | 'psc.invalidate' | 'tlb.invalidate' }
>;

export function isPscEvent(e: SimEvent): e is PscEvent {
  return (
    e.type === 'psc.hit' ||
    e.type === 'psc.fill' ||
    e.type === 'psc.invalidate' ||
    (e.type === 'tlb.invalidate' && (e.psc ?? 0) > 0)
  );
}

const TABLE_BELOW: Record<number, string> = { 4: 'PDPT', 3: 'PD', 2: 'PT' };

function rowFlash(r: PscRow, mine: PscEvent[]): string {
  for (const e of mine) {
    if (e.type === 'psc.fill' && e.cache === r.cache && e.va === r.va && e.pcid === r.pcid)
      return 'flash-fill';
    if (e.type === 'psc.hit' && e.cache === r.cache && e.table === r.next && e.pcid === r.pcid)
      return 'flash-hit';
  }
  return '';
}

export function PscTable({
  psc,
  core,
  events,
  loaded,
  step,
}: {
  psc: PscView;
  core: number;
  events: PscEvent[];
  loaded: number | null;
  step: number;
}) {
  const mine = events.filter((e) => e.core === core);
  const dropped = mine.reduce(
    (n, e) => n + (e.type === 'psc.invalidate' ? e.removed : e.type === 'tlb.invalidate' ? (e.psc ?? 0) : 0),
    0,
  );
  const freed = psc.rows.some((r) => r.status === 'freed' && r.pcid === loaded);
  return (
    <div className="psc" data-testid="psc" data-core={core}>
      <div className="psc-head">
        <span
          className="psc-title"
          title="Paging-structure caches (Intel SDM 4.10.3): cached upper-level entries that let a walk skip levels"
        >
          PSC
        </span>
        <span className="psc-fill">
          {psc.caches.map((c) => `${c.name} ${c.used}/${c.capacity}`).join(' · ')}
        </span>
        <span className="tlb-count">
          hits <b>{psc.hits}</b>
        </span>
        {freed && (
          <span
            className="badge badge-freed"
            title="a cached entry points at a page table that was freed or reused"
          >
            freed table
          </span>
        )}
        {dropped > 0 && (
          <span className="badge badge-inval" title="paging-structure-cache entries invalidated this step">
            flushed {plural(dropped, 'entry', 'entries')}
          </span>
        )}
      </div>
      {psc.rows.length > 0 && (
        <table className="psc-table">
          <thead className="sr-only">
            <tr>
              <th scope="col">cache</th>
              <th scope="col">region</th>
              <th scope="col">next table</th>
              <th scope="col">PCID</th>
              <th scope="col">rights</th>
            </tr>
          </thead>
          <tbody>
            {psc.rows.map((r) => {
              const flash = rowFlash(r, mine);
              const other = loaded !== null && r.pcid !== loaded;
              return (
                <tr
                  key={`${r.cache}-${r.va}-${r.pcid}${flash ? `-${step}` : ''}`}
                  className={`${flash}${other ? ' tlb-other' : ''}${r.status === 'freed' ? ' psc-freed' : ''}`}
                  data-testid="psc-row"
                  data-cache={r.cache}
                >
                  <td>
                    <span className="row-tag psc-cache">{r.cache}</span>
                  </td>
                  <td className="mono">
                    {r.va}
                    <span className="psc-span"> +{r.span}</span>
                  </td>
                  <td className="mono">
                    → {TABLE_BELOW[r.level] ?? 'table'} {r.next}
                    {r.status === 'freed' && <span className="row-tag tag-freed">freed</span>}
                  </td>
                  <td className="num">{r.pcid}</td>
                  <td className="mono">{r.rights}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
