// The MMU of one core: the TLB hierarchy (the L1 of the access's side, then the L2), then on a
// miss the page walk and a fill. This is the path every simulated access takes, and the one the
// benchmark measures. A fetch probes the iTLB, a read or write the dTLB (or a unified L1); an L1
// miss that hits the L2 (STLB) refills the L1 without a walk; a walk's result goes into both.
import { accessDenied, PF_PROT, pfErrorCode } from '../arch/x86_64/rights';
import { type WalkLevel, type WalkOut, walkPageTable } from '../arch/x86_64/walk';
import type { Emit } from '../kernel/emit';
import { vaHex } from '../kernel/emit';
import type { Core, Machine } from '../machine';
import {
  hierarchyFill,
  hierarchyLookup,
  newFillOut,
  newLookupOut,
  type TlbHierarchy,
} from '../tlb/hierarchy';
import { invalidateScope, pageFaultInvalidate } from '../tlb/invalidate';
import { SCOPE_ASID_OR_GLOBAL } from '../tlb/level';
import { emitWalkLevels, walkWithPsc } from './pscWalk';
import type { EvictionInfo } from '../tlb/level';
import { TLBF_D, TLBF_G, TLBF_NX, TLBF_RW, TLBF_US } from '../tlb/tlb';

// Reused on every access: the hot path allocates nothing.
const look = newLookupOut();
const fillOut = newFillOut();

/**
 * Translates one access on `core`. Returns true with out.pfn set, or false with the fault in `out`.
 * With `emit` null nothing is recorded and no walk trace is built (the benchmark's path). The
 * lookup's cycles (the TLB cost model's) are added to core.tlb.stats.cycles; the caller charges them.
 */
export function translate(
  m: Machine,
  core: Core,
  vpn: number,
  kind: 'read' | 'write' | 'fetch',
  user: boolean,
  out: WalkOut,
  emit: Emit | null,
): boolean {
  const h = core.tlb;
  look.refill.slot = -1;
  const level = hierarchyLookup(h, vpn, core.pcid, kind, look);
  if (level !== 'miss') {
    const f = look.flags;
    if (accessDenied((f & TLBF_US) !== 0, (f & TLBF_RW) !== 0, (f & TLBF_NX) !== 0, kind, user, m.ctl)) {
      // The rights come from the cached entry, even if the PTE has since allowed more: a
      // spurious fault (SDM 4.10.4.3). A #PF also removes the TLB entries for its page, from
      // every level, and the paging-structure-cache entries for its address (SDM 4.10.4.1).
      const r = pageFaultInvalidate(h, vpn, core.pcid);
      emit?.({
        type: 'tlb.invalidate',
        core: core.id,
        scope: 'page',
        va: vaHex(vpn, 0),
        removed: r.total,
        reason: 'page fault',
        ...(r.psc ? { psc: r.psc } : {}),
      });
      out.ok = false;
      out.fault = 'protection';
      out.errorCode = pfErrorCode(PF_PROT, kind, user, m.ctl);
      return false;
    }
    if (kind !== 'write' || (f & TLBF_D) !== 0) {
      core.tlbHits++;
      m.stats.tlbHits++;
      out.ok = true;
      out.basePfn = look.basePfn;
      out.pfn = look.pfn;
      out.pageShift = look.pageShift;
      if (emit) emitHit(h, core, vpn, emit);
      return true;
    }
    // A write through an entry cached while D was clear: the CPU must set D in the PTE, so it
    // walks again (SDM 4.8), and the walk's entry replaces the cached ones. Counted as a miss.
    // (The hardware drops the page's TLB entries only: this is not an INVLPG.)
    invalidateScope(h, vpn, core.pcid, SCOPE_ASID_OR_GLOBAL);
    core.tlbMisses++;
    m.stats.tlbMisses++;
    emit?.({ type: 'tlb.miss', core: core.id, va: vaHex(vpn, 0), reason: 'set-dirty' });
  } else {
    core.tlbMisses++;
    m.stats.tlbMisses++;
    if (emit) {
      const ev: Parameters<Emit>[0] = { type: 'tlb.miss', core: core.id, va: vaHex(vpn, 0) };
      if (!h.unifiedL1 && h.levels.some((l) => l.role === 'l2')) {
        ev.side = kind === 'fetch' ? 'l1i' : 'l1d';
        ev.cycles = look.cycles;
      }
      emit(ev);
    }
  }
  const trace: WalkLevel[] | null = emit && !h.psc ? [] : null;
  const ok = h.psc
    ? walkWithPsc(m, core, h.psc, vpn, kind, user, out, emit)
    : walkPageTable(m.mem, core.cr3Pfn, vpn, kind, user, m.ctl, out, trace);
  if (emit && trace) emitWalkLevels(trace, core.id, emit);
  // Not-present and faulting translations are never cached (Linux tlbflush.h; SDM 4.10.2.3).
  if (!ok) return false;
  let flags = 0;
  if (out.rw) flags |= TLBF_RW;
  if (out.us) flags |= TLBF_US;
  if (out.nx) flags |= TLBF_NX;
  if (out.global) flags |= TLBF_G;
  if (out.dirty) flags |= TLBF_D;
  if (!emit) {
    hierarchyFill(h, vpn, out.pageShift, core.pcid, out.basePfn, flags, kind, null);
    return true;
  }
  fillOut.l1.slot = -1;
  fillOut.l2.slot = -1;
  hierarchyFill(h, vpn, out.pageShift, core.pcid, out.basePfn, flags, kind, fillOut);
  // A TLB with no slot (0 sets) stored nothing: there is no fill to report.
  if (stored(fillOut.l1) || stored(fillOut.l2)) emitFill(h, core, vpn, out.pfn, flags, emit);
  return true;
}

function stored(ev: EvictionInfo): boolean {
  return ev.array >= 0 && ev.slot >= 0;
}

/** The VA an evicted entry started at, or undefined when a free way (or the same entry) was used. */
function evictedVa(ev: EvictionInfo): string | undefined {
  return stored(ev) && ev.evicted ? vaHex(ev.vpn, 0) : undefined;
}

function arrayName(h: TlbHierarchy, i: number): string {
  return h.levels[i]?.name ?? '?';
}

function emitHit(h: TlbHierarchy, core: Core, vpn: number, emit: Emit): void {
  const ev: Parameters<Emit>[0] = {
    type: 'tlb.hit',
    core: core.id,
    va: vaHex(vpn, 0),
    pfn: look.pfn,
    level: look.level === 'miss' ? 'l1' : look.level,
  };
  // A one-array TLB reports exactly what it always did; a hierarchy says where the entry was.
  if (h.levels.length > 1) {
    ev.array = arrayName(h, look.array);
    ev.cycles = look.cycles;
    if (look.level === 'l2' && stored(look.refill)) {
      ev.refill = arrayName(h, look.refill.array);
      const gone = evictedVa(look.refill);
      if (gone !== undefined) ev.evicted = gone;
    }
  }
  emit(ev);
}

function emitFill(h: TlbHierarchy, core: Core, vpn: number, pfn: number, flags: number, emit: Emit): void {
  const ev: Parameters<Emit>[0] = {
    type: 'tlb.fill',
    core: core.id,
    va: vaHex(vpn, 0),
    pfn,
    asid: core.pcid,
    flags: tlbFlagString(flags),
  };
  const l1Gone = evictedVa(fillOut.l1);
  if (l1Gone !== undefined) ev.evicted = l1Gone;
  if (h.levels.length > 1) {
    const arrays: string[] = [];
    const evictions: { array: string; va: string }[] = [];
    for (const e of [fillOut.l1, fillOut.l2]) {
      if (!stored(e)) continue;
      arrays.push(arrayName(h, e.array));
      const gone = evictedVa(e);
      if (gone !== undefined) evictions.push({ array: arrayName(h, e.array), va: gone });
    }
    ev.arrays = arrays;
    ev.evictions = evictions;
  }
  emit(ev);
}

export function tlbFlagString(f: number): string {
  const p: string[] = [];
  if (f & TLBF_RW) p.push('RW');
  else p.push('RO');
  if (f & TLBF_US) p.push('US');
  if (f & TLBF_D) p.push('D');
  if (f & TLBF_G) p.push('G');
  if (f & TLBF_NX) p.push('NX');
  return p.join(' ');
}
