// mprotect (mm/mprotect.c change_protection): change the VMA's rights, rewrite each present PTE,
// and flush the pages whose change needs it. Which changes need a flush follows Linux x86's
// pte_needs_flush (arch/x86/include/asm/tlbflush.h): any change of R/W, U/S or NX, in either
// direction, or a new frame. The `lazy-upgrade` kernel flushes only when rights shrink.
import { encodeEntry, entryPfn, PTE_HI_NX, PTE_P, PTE_RW, PTE_US } from '../arch/x86_64/pte';
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import type { Frame } from '../machine';
import { vaHex } from './emit';
import { findPte, markPending, setPte } from './pagetable';
import { finishOp } from './thread';
import { protString } from './vma';
import { takeMmapWrite } from './mmapLock';

const EINVAL = 22;
const ENOMEM = 12;

type MprotectFrame = Extract<Frame, { fn: 'mprotect' }>;

export function stepMprotect(ctx: Ctx, f: MprotectFrame): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const proc = procOf(m, th.pid);
  const exit = (ret: number) => {
    ctx.emit({ type: 'syscall.exit', core: core.id, tid: th.tid, name: 'mprotect', ret });
    core.stack.pop();
    finishOp(ctx);
  };
  switch (f.phase) {
    case 'enter': {
      if (f.lockWaitSince === undefined) {
        ctx.emit({
          type: 'syscall.enter',
          core: core.id,
          tid: th.tid,
          name: 'mprotect',
          args: [vaHex(f.vpn, 0), `0x${(f.pages * 4096).toString(16)}`, protString(f.prot)],
        });
        ctx.cost += m.cost.kernelEntry;
        if (f.pages <= 0) return exit(-EINVAL);
      }
      if (takeMmapWrite(ctx, f)) return;
      // Every page of the range must be mapped, or mprotect fails with ENOMEM.
      for (let v = f.vpn; v < f.vpn + f.pages; v++) {
        if (!proc.vmas.some((x) => v >= x.startVpn && v < x.endVpn)) return exit(-ENOMEM);
      }
      const end = f.vpn + f.pages;
      const next = [];
      for (const v of proc.vmas) {
        if (v.endVpn <= f.vpn || v.startVpn >= end) {
          next.push(v);
          continue;
        }
        if (v.startVpn < f.vpn) next.push({ ...v, endVpn: f.vpn });
        next.push({
          ...v,
          startVpn: Math.max(v.startVpn, f.vpn),
          endVpn: Math.min(v.endVpn, end),
          prot: f.prot,
        });
        if (v.endVpn > end) next.push({ ...v, startVpn: end });
      }
      proc.vmas = next.sort((a, b) => a.startVpn - b.startVpn);
      ctx.emit({
        type: 'vma.protect',
        pid: proc.pid,
        start: vaHex(f.vpn, 0),
        end: vaHex(end, 0),
        prot: protString(f.prot),
      });
      f.phase = 'change';
      return;
    }
    case 'change': {
      while (f.i < f.pages) {
        const vpn = f.vpn + f.i++;
        const slot = findPte(m, proc, vpn);
        if (!slot || (slot.lo & PTE_P) === 0) continue;
        const pfn = entryPfn(slot.lo, slot.hi);
        // The shared zero page stays read-only whatever the VMA allows; a write still faults.
        const rw = f.prot.w && pfn !== m.zeroPfn;
        const [lo0, hi] = encodeEntry({ pfn, rw, us: true, nx: !f.prot.x });
        const lo = (lo0 | (slot.lo & 0x60)) >>> 0; // keep A and D
        if (lo === slot.lo && hi === slot.hi) continue;
        setPte(m, proc, vpn, slot, lo, hi, ctx.emit);
        ctx.cost += m.cost.pteWrite;
        const changed = ((lo ^ slot.lo) & (PTE_RW | PTE_US)) !== 0 || ((hi ^ slot.hi) & PTE_HI_NX) !== 0;
        const reduced =
          ((slot.lo & PTE_RW) !== 0 && (lo & PTE_RW) === 0) ||
          ((slot.hi & PTE_HI_NX) === 0 && (hi & PTE_HI_NX) !== 0);
        const needs = m.spec.machine.protocol === 'lazy-upgrade' ? reduced : changed;
        if (needs) {
          f.flush.push(vpn);
          markPending(m, proc.pid, vpn, pfn);
        }
        if (f.i < f.pages) return;
        break;
      }
      f.phase = 'exit';
      if (f.flush.length > 0) {
        core.stack.push({
          fn: 'shootdown',
          phase: 'begin',
          id: -1,
          pid: proc.pid,
          vpns: f.flush.slice(),
          full: false,
          gen: 0,
          toFree: [],
          freedTables: false,
        });
      }
      return;
    }
    case 'exit':
      ctx.cost += m.cost.small;
      return exit(0);
  }
}
