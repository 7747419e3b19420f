// The paging-structure-cache rule of the invariant monitor (machine.psc). A PSC entry holds the
// physical address of a page table; the hardware may use it for any walk in its PCID, including
// a speculative one on a core that is idle in lazy TLB mode with the mm still in CR3 (SDM 4.10.3:
// entries "may be created speculatively" and used "instead of" the entries in memory). So once a
// page-table page is freed, no core whose CR3 and PCID can reach it may still cache a pointer to
// it: the frame may be handed to someone else, and a walk through it would read their data as
// page-table entries. That is why Linux frees page tables only after a flush that IPIs every core
// in mm_cpumask, lazy ones included (flush_tlb_mm_range with freed_tables, arch/x86/mm/tlb.c;
// mmu_gather frees after the flush). Unlike a TLB entry, no flush in progress excuses it: a
// correct kernel frees the table only after its flush has ended.
import type { EventBody } from '../events';
import { vaHex } from '../kernel/emit';
import type { Core, Machine } from '../machine';
import type { FrameInfo } from '../mem/physmem';
import { type PscEntry, pscFirstVpn } from '../tlb/psc';

const SPAN: Record<number, string> = { 4: '512 GiB', 3: '1 GiB', 2: '2 MiB' };
const TABLE: Record<number, string> = { 4: 'PDPT', 3: 'page directory', 2: 'page table' };

/** What became of the table frame a PSC entry points to, or null if it is still that table. */
function whatBecameOf(info: FrameInfo | undefined, e: PscEntry): string | null {
  if (!info) return 'is free';
  if (info.seq === e.seq) return null;
  if (info.kind === 'anon')
    return `has been reused as a data page${info.mappers.length ? ` of process ${info.mappers.join(', ')}` : ''}`;
  if (info.kind === 'pagetable')
    return `has been reused as another page table${info.pid >= 0 ? ` (process ${info.pid})` : ''}`;
  return `has been reused (${info.kind})`;
}

/** Can this core's hardware walk with entries of its PCID right now? (CR3 loaded, lazy or not.) */
function walks(core: Core): boolean {
  return core.cr3Pfn >= 0 && core.mmPid >= 0;
}

/**
 * Reports each usable PSC entry whose table frame was freed or reused, once while it stands.
 * Keys of standing violations go into `now` (the monitor's m.standing).
 */
export function checkPscInvariants(m: Machine, emit: (e: EventBody) => void, now: string[]): void {
  for (const core of m.cores) {
    const psc = core.tlb.psc;
    if (!psc || !walks(core)) continue;
    for (const a of psc.arrays) {
      for (const e of a.entries) {
        if (e.pcid !== core.pcid) continue;
        const info = m.mem.used.get(e.next);
        if (info && info.seq === e.seq) continue;
        const fate = whatBecameOf(info, e);
        if (fate === null) continue;
        const va = vaHex(pscFirstVpn(e.key, a.level), 0);
        const key = `psc:${core.id}:${a.level}:${e.key}:${e.next}:${fate}`;
        if (now.includes(key)) continue;
        now.push(key);
        if (m.standing.includes(key)) continue;
        m.stats.violations++;
        const lazy = core.lazy
          ? ` Core ${core.id} is idle in lazy TLB mode, but its CR3 still holds this mm: the hardware may walk through the entry speculatively at any time.`
          : '';
        emit({
          type: 'invariant.violated',
          rule: 'psc-freed-table',
          core: core.id,
          va,
          pfn: e.next,
          explanation: `Core ${core.id}'s ${a.name} cache (PCID ${e.pcid}) still points the ${SPAN[a.level] ?? ''} region at ${va} to ${TABLE[a.level] ?? 'table'} frame ${e.next}, which ${fate}: a walk through it reads whatever the frame holds now as page-table entries.${lazy} Linux frees page tables only after IPIing every core in mm_cpumask, lazy ones included (freed_tables).`,
        });
      }
    }
  }
}
