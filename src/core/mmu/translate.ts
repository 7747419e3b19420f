// The MMU of one core: TLB lookup, then on a miss the page walk and a fill. This is the path
// every simulated access takes, and the one the benchmark measures.
import { accessDenied, PF_PROT, pfErrorCode } from '../arch/x86_64/rights';
import { type WalkLevel, type WalkOut, walkPageTable } from '../arch/x86_64/walk';
import { flagString, LEVEL_SPAN } from '../arch/x86_64/pte';
import { hexEntry } from '../hex';
import type { Emit } from '../kernel/emit';
import { vaHex } from '../kernel/emit';
import type { Core, Machine } from '../machine';
import { TLBF_D, TLBF_G, TLBF_NX, TLBF_RW, TLBF_US, tlbFill, tlbInvalidatePage, tlbLookup } from '../tlb/tlb';

/**
 * Translates one access on `core`. Returns true with out.pfn set, or false with the fault in `out`.
 * With `emit` null nothing is recorded and no walk trace is built (the benchmark's path).
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
  const tlb = core.tlb;
  const slot = tlb.sets === 0 ? -1 : tlbLookup(tlb, vpn, core.pcid);
  if (slot >= 0) {
    const f = tlb.flags[slot] as number;
    if (accessDenied((f & TLBF_US) !== 0, (f & TLBF_RW) !== 0, (f & TLBF_NX) !== 0, kind, user, m.ctl)) {
      // The rights come from the cached entry, even if the PTE has since allowed more: a
      // spurious fault (SDM 4.10.4.3). A #PF also removes the TLB entries for its page (SDM 4.10.4.1).
      tlbInvalidatePage(tlb, vpn, core.pcid);
      emit?.({
        type: 'tlb.invalidate',
        core: core.id,
        scope: 'page',
        va: vaHex(vpn, 0),
        removed: 1,
        reason: 'page fault',
      });
      out.ok = false;
      out.fault = 'protection';
      out.errorCode = pfErrorCode(PF_PROT, kind, user, m.ctl);
      return false;
    }
    if (kind !== 'write' || (f & TLBF_D) !== 0) {
      tlb.hits++;
      m.stats.tlbHits++;
      const shift = tlb.shift[slot] as number;
      const base = tlb.pfn[slot] as number;
      out.ok = true;
      out.basePfn = base;
      out.pfn = shift === 12 ? base : base + (vpn % (LEVEL_SPAN[(shift - 3) / 9] as number));
      out.pageShift = shift;
      emit?.({ type: 'tlb.hit', core: core.id, va: vaHex(vpn, 0), pfn: out.pfn, level: 'l1d' });
      return true;
    }
    // A write through an entry cached while D was clear: the CPU must set D in the PTE, so it
    // walks again (SDM 4.8). Counted as a miss.
    tlbInvalidatePage(tlb, vpn, core.pcid);
    tlb.misses++;
    m.stats.tlbMisses++;
    emit?.({ type: 'tlb.miss', core: core.id, va: vaHex(vpn, 0), reason: 'set-dirty' });
  } else {
    tlb.misses++;
    m.stats.tlbMisses++;
    emit?.({ type: 'tlb.miss', core: core.id, va: vaHex(vpn, 0) });
  }
  const trace: WalkLevel[] | null = emit ? [] : null;
  const ok = walkPageTable(m.mem, core.cr3Pfn, vpn, kind, user, m.ctl, out, trace);
  if (emit && trace) {
    for (const l of trace) {
      emit({
        type: 'walk.level',
        core: core.id,
        level: l.level,
        table: l.tablePfn,
        index: l.index,
        entry: hexEntry(l.lo, l.hi),
        flags: flagString(l.lo, l.hi),
      });
    }
  }
  // Not-present and faulting translations are never cached (Linux tlbflush.h; SDM 4.10.2.3).
  if (!ok) return false;
  let flags = 0;
  if (out.rw) flags |= TLBF_RW;
  if (out.us) flags |= TLBF_US;
  if (out.nx) flags |= TLBF_NX;
  if (out.global) flags |= TLBF_G;
  if (out.dirty) flags |= TLBF_D;
  if (tlb.sets === 0) return true; // TLB disabled
  const fill = tlbFill(
    tlb,
    vpn - (vpn % (LEVEL_SPAN[(out.pageShift - 3) / 9] as number)),
    out.pageShift,
    core.pcid,
    out.basePfn,
    flags,
  );
  if (emit) {
    const ev: Parameters<Emit>[0] = {
      type: 'tlb.fill',
      core: core.id,
      va: vaHex(vpn, 0),
      pfn: out.pfn,
      asid: core.pcid,
      flags: tlbFlagString(flags),
    };
    if (fill.evictedVpn >= 0) ev.evicted = vaHex(fill.evictedVpn, 0);
    emit(ev);
  }
  return true;
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
