// The invariant monitor: after every step, every TLB that a core can use right now (its loaded,
// non-lazy mm) must agree with the page tables, in every level (a stale entry in the STLB is as
// dangerous as one in an L1: the next L1 miss copies it back), unless a flush covering that page is still in
// progress; and no usable TLB entry may lead to a frame that is free or has been handed to
// someone else. Correct protocols never trip it; broken ones do, and the explanation is the lesson.
import { newWalkOut, walkPageTable } from '../arch/x86_64/walk';
import type { EventBody } from '../events';
import { vaHex } from '../kernel/emit';
import type { Machine, Proc } from '../machine';
import { type CoreTlbEntry, coreTlbEntries } from '../tlb/machineTlb';
import { TLBF_RW } from '../tlb/tlb';

const out = newWalkOut();

/**
 * How a TLB entry stands against memory: `ok`; `pending` (it no longer matches the page table,
 * but a flush of that page is under way and its frame has not been reused); `stale` (no longer
 * matches, and nothing will flush it); `freed` (its frame is free, or reused by someone else).
 */
export type EntryStatus = 'ok' | 'pending' | 'stale' | 'freed';

interface Verdict {
  status: EntryStatus;
  /** For `freed`: who has the frame now. For `stale`: what the page table says. */
  detail: string;
}

function judge(m: Machine, proc: Proc, vpn: number, pfn: number, flags: number): Verdict {
  const info = m.mem.used.get(pfn);
  const pend = m.pending.find((p) => p.pid === proc.pid && p.vpn === vpn);
  if (!info) return { status: 'freed', detail: 'is free' };
  // A frame other processes map, and this one no longer does, is someone else's, unless it is
  // the very allocation this process just unmapped and its flush is still in flight. (Mapped by
  // no one, it is only held by an mmu_gather until a flush ends: judged as stale below.)
  if (info.kind === 'anon' && info.mappers.length > 0 && !info.mappers.includes(proc.pid)) {
    if (!(pend && pend.pfn === pfn && pend.seq === info.seq)) {
      return { status: 'freed', detail: `now belongs to process ${info.mappers.join(', ')}` };
    }
  }
  const ok = walkPageTable(m.mem, proc.rootPfn, vpn, 'read', true, m.ctl, out, null, false);
  const stale = !ok || out.basePfn !== pfn || ((flags & TLBF_RW) !== 0 && !out.rw);
  if (!stale) return { status: 'ok', detail: '' };
  return {
    status: pend ? 'pending' : 'stale',
    detail: ok
      ? `now says frame ${out.basePfn}${out.basePfn === pfn ? ' read-only' : ''}`
      : 'no longer maps it',
  };
}

export function entryStatus(m: Machine, pid: number, vpn: number, pfn: number, flags: number): EntryStatus {
  const proc = m.procs.find((p) => p.pid === pid);
  return proc && proc.rootPfn >= 0 ? judge(m, proc, vpn, pfn, flags).status : 'ok';
}

export function checkInvariants(m: Machine, emit: (e: EventBody) => void): void {
  const now: string[] = [];
  for (const core of m.cores) {
    if (core.mmPid < 0 || core.lazy) continue;
    const proc = m.procs.find((p) => p.pid === core.mmPid);
    if (!proc) continue;
    const multi = core.tlb.levels.length > 1;
    // One verdict per cached translation, whichever arrays hold it (an L1 copy and its L2 twin).
    const seen = new Map<string, CoreTlbEntry[]>();
    for (const e of coreTlbEntries(core.tlb)) {
      if (e.asid !== proc.pcid) continue;
      const id = `${e.pageVpn}:${e.pageBasePfn}:${e.flags & TLBF_RW}`;
      const same = seen.get(id);
      if (same) same.push(e);
      else seen.set(id, [e]);
    }
    for (const group of seen.values()) {
      const e = group[0] as CoreTlbEntry;
      const vpn = e.pageVpn;
      const pfn = e.pageBasePfn;
      const v = judge(m, proc, vpn, pfn, e.flags);
      if (v.status === 'ok' || v.status === 'pending') continue;
      const va = vaHex(vpn, 0);
      // Keyed by the detail too, so the frame changing hands is reported again.
      const key = `${v.status}:${core.id}:${vpn}:${pfn}:${v.detail}`;
      if (now.includes(key)) continue;
      now.push(key);
      if (m.standing.includes(key)) continue;
      m.stats.violations++;
      // With a hierarchy, say which arrays still hold it.
      const tlb = multi ? `TLB (${[...new Set(group.map((g) => g.arrayName))].join(', ')})` : 'TLB';
      emit(
        v.status === 'freed'
          ? {
              type: 'invariant.violated',
              rule: 'freed-frame',
              core: core.id,
              va,
              pfn,
              explanation: `Core ${core.id}'s ${tlb} still maps ${va} to frame ${pfn}, which ${v.detail}: an access through it reaches memory this process no longer owns.`,
            }
          : {
              type: 'invariant.violated',
              rule: 'stale-tlb',
              core: core.id,
              va,
              pfn,
              explanation: `Core ${core.id}'s ${tlb} maps ${va} to frame ${pfn} but the page table ${v.detail}, and no flush of that page is in progress.`,
            },
      );
    }
  }
  m.standing = now;
}
