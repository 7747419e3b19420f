// The page walk of a core with paging-structure caches (machine.psc): after a TLB miss, the
// deepest cached entry for the address (PDE, then PDPTE, then PML4E, in the current PCID) lets
// the walk start below it, skipping the memory reads of the levels above (SDM 4.10.3.2). A
// skipped entry's A bit is not set again: it was set before the entry was cached (SDM 4.10.3.1).
// After a successful walk every non-leaf entry it read is cached on the way down; a walk that
// faults caches nothing and drops the entries that would be used for the address, which is what
// the page fault does (SDM 4.10.4.1), so a fault caused by a stale entry does not repeat.
import { entryPfn, flagString, PTE_HI_NX, PTE_RW, PTE_US } from '../arch/x86_64/pte';
import { walkFrom, type WalkLevel, type WalkOut } from '../arch/x86_64/walk';
import { hexEntry } from '../hex';
import type { Emit } from '../kernel/emit';
import { vaHex } from '../kernel/emit';
import type { Core, Machine } from '../machine';
import {
  type PscLevel,
  type PscState,
  pscFill,
  pscFirstVpn,
  pscInvalidateAddress,
  pscKey,
  pscLookup,
} from '../tlb/psc';

// Reused: the walk's entries, from which the fills are made.
const trace: WalkLevel[] = [];

const ALL_RIGHTS = 0xffffffff;

/**
 * Walks for `vpn` on `core` using its PSC. Returns out.ok like walkPageTable; psc.lastSkipped is
 * set to the table reads saved. walk.level events (with `emit`) cover only the reads made.
 */
export function walkWithPsc(
  m: Pick<Machine, 'mem' | 'ctl'>,
  core: Pick<Core, 'id' | 'pcid' | 'cr3Pfn'>,
  psc: PscState,
  vpn: number,
  kind: 'read' | 'write' | 'fetch',
  user: boolean,
  out: WalkOut,
  emit: Emit | null,
): boolean {
  const levels = m.ctl.levels;
  const hit = pscLookup(psc, vpn, core.pcid, levels);
  let table = core.cr3Pfn;
  let start = levels;
  let andLo = ALL_RIGHTS;
  let orHi = 0;
  if (hit) {
    const e = hit.entry;
    table = e.next;
    start = hit.array.level - 1;
    // The cached rights stand in for the entries above: clear R/W or U/S if any of them had it clear.
    if (!e.rw) andLo &= ~PTE_RW;
    if (!e.us) andLo &= ~PTE_US;
    if (e.xd) orHi = PTE_HI_NX;
    emit?.({
      type: 'psc.hit',
      core: core.id,
      va: vaHex(vpn, 0),
      cache: hit.array.name,
      level: hit.array.level,
      table: e.next,
      pcid: core.pcid,
      skipped: levels - start,
    });
  }
  psc.lastSkipped = levels - start;
  trace.length = 0;
  const ok = walkFrom(m.mem, table, start, andLo >>> 0, orHi, vpn, kind, user, m.ctl, out, trace);
  if (emit) emitWalkLevels(trace, core.id, emit);
  if (!ok) {
    const removed = pscInvalidateAddress(psc, vpn, core.pcid);
    if (removed > 0) {
      emit?.({ type: 'psc.invalidate', core: core.id, va: vaHex(vpn, 0), removed, reason: 'page fault' });
    }
    return false;
  }
  // Fill on the way down: each non-leaf entry read (P=1, no reserved bit, PS=0, A now set).
  for (const l of trace) {
    if (l.level <= out.level) break;
    andLo &= l.lo;
    orHi |= l.hi;
    if (l.level > 4 || l.level < 2) continue;
    const level = l.level as PscLevel;
    const next = entryPfn(l.lo, l.hi);
    const rights = { rw: (andLo & PTE_RW) !== 0, us: (andLo & PTE_US) !== 0, xd: (orHi & PTE_HI_NX) !== 0 };
    const gone = pscFill(psc, level, vpn, core.pcid, next, rights, m.mem.used.get(next)?.seq ?? -1);
    if (gone === undefined || !emit) continue;
    const cache = psc.arrays.find((a) => a.level === level)?.name ?? 'PDE';
    emit({
      type: 'psc.fill',
      core: core.id,
      va: vaHex(pscFirstVpn(pscKey(vpn, level), level), 0),
      cache,
      level,
      table: next,
      pcid: core.pcid,
      ...(gone ? { evicted: vaHex(pscFirstVpn(gone.key, level), 0) } : {}),
    });
  }
  return true;
}

/** One `walk.level` event per table read, top level first (what the walk panel animates). */
export function emitWalkLevels(trace: readonly WalkLevel[], core: number, emit: Emit): void {
  for (const l of trace) {
    emit({
      type: 'walk.level',
      core,
      level: l.level,
      table: l.tablePfn,
      index: l.index,
      entry: hexEntry(l.lo, l.hi),
      flags: flagString(l.lo, l.hi),
    });
  }
}
