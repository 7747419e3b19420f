// What the TLB panel shows of a core's paging-structure caches (machine.psc): one row per entry,
// deepest cache first, with the region it covers, the table it points to and whether that frame
// is still the page table it was when cached (the monitor's psc-freed-table rule).
import { vaHex } from '../kernel/emit';
import type { Machine } from '../machine';
import { type PscName, type PscState, pscFirstVpn } from '../tlb/psc';

export interface PscRow {
  cache: PscName;
  /** 4 PML4E, 3 PDPTE, 2 PDE. */
  level: number;
  /** First address of the region the entry covers, and its size ('512G', '1G', '2M'). */
  va: string;
  span: string;
  /** Frame of the next table (PDPT, PD or page table). */
  next: number;
  pcid: number;
  /** Combined rights: 'RW'/'RO', 'US' when user-accessible, 'XD' when execute-disabled. */
  rights: string;
  /** 'ok', or 'freed' when the frame is free or no longer that page table. */
  status: 'ok' | 'freed';
}

export interface PscView {
  /** Capacity per cache, deepest first (PDE, PDPTE, PML4E). */
  caches: { name: PscName; capacity: number; used: number }[];
  hits: number;
  misses: number;
  rows: PscRow[];
}

const SPAN: Record<number, string> = { 4: '512G', 3: '1G', 2: '2M' };

export function pscView(m: Machine, psc: PscState): PscView {
  const rows: PscRow[] = [];
  for (const a of psc.arrays) {
    const sorted = a.entries.slice().sort((x, y) => x.pcid - y.pcid || x.key - y.key);
    for (const e of sorted) {
      rows.push({
        cache: a.name,
        level: a.level,
        va: vaHex(canonical(pscFirstVpn(e.key, a.level)), 0),
        span: SPAN[a.level] ?? '',
        next: e.next,
        pcid: e.pcid,
        rights: [e.rw ? 'RW' : 'RO', e.us ? 'US' : '', e.xd ? 'XD' : ''].filter(Boolean).join(' '),
        status: m.mem.used.get(e.next)?.seq === e.seq ? 'ok' : 'freed',
      });
    }
  }
  return {
    caches: psc.arrays.map((a) => ({ name: a.name, capacity: a.capacity, used: a.entries.length })),
    hits: psc.hits,
    misses: psc.misses,
    rows,
  };
}

/** Sign-extends a 4-level page number above bit 47 (the kernel half), as the TLB rows do. */
function canonical(vpn: number): number {
  return vpn >= 2 ** 35 ? vpn + (2 ** 52 - 2 ** 36) : vpn;
}
