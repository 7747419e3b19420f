// The invariant monitor: after every step, every TLB that a core can use right now (its loaded,
// non-lazy mm) must agree with the page tables, unless a flush covering that page is still in
// progress; and no usable TLB entry may lead to a frame that is free or owned by someone else.
// Correct protocols never trip it; broken ones do, and the explanation is the lesson.
import { newWalkOut, walkPageTable } from '../arch/x86_64/walk';
import type { EventBody } from '../events';
import { vaHex } from '../kernel/emit';
import type { Machine } from '../machine';
import { TLBF_RW, tlbEntries } from '../tlb/tlb';

const out = newWalkOut();

/**
 * How a TLB entry stands against memory: `ok`; `pending` (it no longer matches the page table,
 * but a flush of that page is under way); `stale` (no longer matches, and nothing will flush
 * it); `freed` (its frame is free, or another process's). `pcidPid` is the process the entry's
 * PCID belongs to.
 */
export type EntryStatus = 'ok' | 'pending' | 'stale' | 'freed';

export function entryStatus(m: Machine, pid: number, vpn: number, pfn: number, flags: number): EntryStatus {
  const proc = m.procs.find((p) => p.pid === pid);
  if (!proc) return 'ok';
  const info = m.mem.used.get(pfn);
  if (!info || (info.kind === 'anon' && info.refcount > 0 && !info.mappers.includes(proc.pid)))
    return 'freed';
  const ok = walkPageTable(m.mem, proc.rootPfn, vpn, 'read', true, m.ctl, out, null, false);
  const stale = !ok || out.basePfn !== pfn || ((flags & TLBF_RW) !== 0 && !out.rw);
  if (!stale) return 'ok';
  return m.pending.some((p) => p.pid === proc.pid && p.vpn === vpn) ? 'pending' : 'stale';
}

export function checkInvariants(m: Machine, emit: (e: EventBody) => void): void {
  const now: string[] = [];
  for (const core of m.cores) {
    if (core.mmPid < 0 || core.lazy) continue;
    const proc = m.procs.find((p) => p.pid === core.mmPid);
    if (!proc) continue;
    for (const e of tlbEntries(core.tlb)) {
      if (e.pcid !== proc.pcid) continue;
      const va = vaHex(e.vpn, 0);
      const info = m.mem.used.get(e.pfn);
      if (!info || (info.kind === 'anon' && info.refcount > 0 && !info.mappers.includes(proc.pid))) {
        // Keyed by the owner too, so the frame changing hands is reported again.
        const key = `freed:${core.id}:${e.vpn}:${e.pfn}:${info ? info.mappers.join(',') : 'free'}`;
        now.push(key);
        if (!m.standing.includes(key)) {
          m.stats.violations++;
          const owner = info ? `now belongs to process ${info.mappers.join(', ') || info.pid}` : 'is free';
          emit({
            type: 'invariant.violated',
            rule: 'freed-frame',
            core: core.id,
            va,
            pfn: e.pfn,
            explanation: `Core ${core.id}'s TLB still maps ${va} to frame ${e.pfn}, which ${owner}: an access through it reaches memory this process no longer owns.`,
          });
        }
        continue;
      }
      const pending = m.pending.some((p) => p.pid === proc.pid && p.vpn === e.vpn);
      if (pending) continue;
      const ok = walkPageTable(m.mem, proc.rootPfn, e.vpn, 'read', true, m.ctl, out, null, false);
      const stale = !ok || out.basePfn !== e.pfn || ((e.flags & TLBF_RW) !== 0 && !out.rw);
      if (!stale) continue;
      const key = `stale:${core.id}:${e.vpn}`;
      now.push(key);
      if (!m.standing.includes(key)) {
        m.stats.violations++;
        emit({
          type: 'invariant.violated',
          rule: 'stale-tlb',
          core: core.id,
          va,
          pfn: e.pfn,
          explanation: `Core ${core.id}'s TLB maps ${va} to frame ${e.pfn} but the page table ${ok ? `now says frame ${out.basePfn}` : 'no longer maps it'}, and no flush of that page is in progress.`,
        });
      }
    }
  }
  m.standing = now;
}
