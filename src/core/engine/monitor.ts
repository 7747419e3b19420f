// The invariant monitor: after every step, every TLB that a core can use right now (its loaded,
// non-lazy mm) must agree with the page tables, in every level (a stale entry in the STLB is as
// dangerous as one in an L1: the next L1 miss copies it back), unless a flush covering that page is still in
// progress; and no usable TLB entry may lead to a frame that is free or has been handed to
// someone else. Correct protocols never trip it; broken ones do, and the explanation is the lesson.
import { newWalkOut, walkPageTable } from '../arch/x86_64/walk';
import type { EventBody, SimEvent } from '../events';
import { vaHex } from '../kernel/emit';
import type { Machine, Proc } from '../machine';
import { checkPscInvariants } from './monitorPsc';
import { type CoreTlbEntry, coreTlbEntries } from '../tlb/machineTlb';
import { entryVpn, spanOf, type TlbLevel } from '../tlb/level';
import { TLBF_RW, TLBF_US } from '../tlb/tlb';
import { ownsPcid } from '../kernel/kpti';
import { KERNEL_PID } from '../kernel/kernelSpace';

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

const OK: Verdict = Object.freeze({ status: 'ok', detail: '' });

/**
 * The common case, without allocating: does any entry this core can use for `proc` fail its
 * verdict? Only then does the monitor group entries and explain them (checkInvariants runs after
 * most steps, over every entry of every core, so this loop is the monitor's whole cost).
 */
function anyBad(m: Machine, proc: Proc, levels: readonly TlbLevel[]): boolean {
  for (const l of levels) {
    for (let i = 0; i < l.valid.length; i++) {
      if (l.valid[i] !== 1 || !ownsPcid(m, proc, l.asid[i] as number)) continue;
      const vpn = entryVpn(l, i);
      const span = spanOf(l.origShift[i] as number);
      const pageVpn = Math.floor(vpn / span) * span;
      const status = judge(
        m,
        proc,
        pageVpn,
        (l.pfn[i] as number) - (vpn - pageVpn),
        l.flags[i] as number,
      ).status;
      if (status !== 'ok' && status !== 'pending') return true;
    }
  }
  return false;
}

function judge(m: Machine, proc: Proc, vpn: number, pfn: number, flags: number): Verdict {
  const info = m.mem.used.get(pfn);
  // A kernel page's flush (pid KERNEL_PID) covers every process's view of it.
  const pend = m.pending.find((p) => (p.pid === proc.pid || p.pid === KERNEL_PID) && p.vpn === vpn);
  if (!info) return { status: 'freed', detail: 'is free' };
  // A frame other processes map, and this one no longer does, is someone else's, unless it is
  // the very allocation this process just unmapped and its flush is still in flight. (Mapped by
  // no one, it is only held by an mmu_gather until a flush ends: judged as stale below.)
  if (info.kind === 'anon' && info.mappers.length > 0 && !info.mappers.includes(proc.pid)) {
    if (!(pend && pend.pfn === pfn && pend.seq === info.seq)) {
      return { status: 'freed', detail: `now belongs to process ${info.mappers.join(', ')}` };
    }
  }
  // A supervisor entry (a kernel page) is judged as the kernel would use it.
  const user = (flags & TLBF_US) !== 0;
  const ok = walkPageTable(m.mem, proc.rootPfn, vpn, 'read', user, m.ctl, out, null, false);
  const stale = !ok || out.basePfn !== pfn || ((flags & TLBF_RW) !== 0 && !out.rw);
  if (!stale) return OK;
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

/**
 * The protocol rules, checked on the step's events: an ack must come after the acking core has
 * dropped the pages (else the initiator frees a frame a TLB still maps), and munmap must not
 * return while a shootdown it started still waits for acks (the caller may reuse the range).
 */
function checkProtocol(m: Machine, emit: (e: EventBody) => void, events: readonly SimEvent[]): void {
  for (const e of events) {
    if (e.type === 'ipi.acked') {
      // The handler's order is take the interrupt, invalidate, then ack (flush_tlb_func returns
      // before the CALL_FUNCTION completion is signalled). An ack whose handler is still to run its
      // invalidation is an ack before the invalidation, whatever the TLB holds right now.
      const core = m.cores[e.from];
      const top = core?.stack[core.stack.length - 1];
      if (!core || top?.fn !== 'ipi' || top.phase !== 'flush') continue;
      const sd = m.shootdowns[m.ipis[top.ipi]?.shootdown ?? -1];
      m.stats.violations++;
      const va = sd ? vaHex(sd.vpns[0] ?? 0, 0) : undefined;
      emit({
        type: 'invariant.violated',
        rule: 'ack-before-invalidate',
        core: core.id,
        ...(va ? { va } : {}),
        explanation: `Core ${core.id} acked core ${e.to}'s flush before invalidating${va ? ` ${va}` : ''}: the initiator may now free a frame while this TLB still maps it.`,
      });
    } else if (e.type === 'syscall.exit' && e.name === 'munmap') {
      // A shootdown of this process started on this core (a core waits for its own shootdowns,
      // so one still open here was left behind by this munmap).
      const pid = m.threads.find((t) => t.tid === e.tid)?.pid;
      const open = m.shootdowns.find(
        (s) =>
          s.initiator === e.core && s.pid === pid && s.open && s.targets.some((c) => !s.acked.includes(c)),
      );
      if (!open) continue;
      m.stats.violations++;
      const waiting = open.targets.filter((c) => !open.acked.includes(c));
      emit({
        type: 'invariant.violated',
        rule: 'unmap-returned-early',
        core: e.core,
        explanation: `munmap returned on core ${e.core} while core${waiting.length > 1 ? 's' : ''} ${waiting.join(', ')} had not acked its flush: the range can be reused while their TLBs still map it.`,
      });
    }
  }
}

export function checkInvariants(
  m: Machine,
  emit: (e: EventBody) => void,
  events: readonly SimEvent[] = [],
): void {
  checkProtocol(m, emit, events);
  const now: string[] = [];
  for (const core of m.cores) {
    if (core.mmPid < 0 || core.lazy) continue;
    const proc = m.procs.find((p) => p.pid === core.mmPid);
    if (!proc) continue;
    if (!anyBad(m, proc, core.tlb.levels)) {
      continue;
    }
    const multi = core.tlb.levels.length > 1;
    // One verdict per cached translation, whichever arrays hold it (an L1 copy and its L2 twin).
    const seen = new Map<string, CoreTlbEntry[]>();
    for (const e of coreTlbEntries(core.tlb)) {
      if (!ownsPcid(m, proc, e.asid)) continue;
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
  checkPscInvariants(m, emit, now);
  m.standing = now;
}
