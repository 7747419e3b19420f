// fork (kernel/fork.c dup_mmap, mm/memory.c copy_present_pte): the child gets a copy of the
// parent's VMAs and page tables; every private writable page is write-protected in both, and
// its frame's reference count goes up, so the first write on either side faults and copies
// (copy-on-write). The child's PTEs start "old" (A clear). Finally flush_tlb_mm(parent): the
// parent's TLBs may still hold the writable translations (a full flush, sent to the cores
// running its other threads).
import { entryPfn, PTE_A, PTE_P, PTE_RW } from '../arch/x86_64/pte';
import type { Ctx } from '../engine/ctx';
import { procOf, threadOf } from '../engine/ctx';
import type { Frame } from '../machine';
import { allocFrame } from '../mem/physmem';
import { vaHex } from './emit';
import { ensurePte, findPte, markPending, setPte } from './pagetable';
import { forkReclaim, forkSwapPte, isSwapPte } from './swap';
import { finishOp } from './thread';
import { findVma, protString } from './vma';
import { linkKernelHalf } from './kernelHalf';
import { allocPgdPair, kptiOn } from './kpti';
import { takeMmapWrite } from './mmapLock';

type ForkFrame = Extract<Frame, { fn: 'fork' }>;

export function stepFork(ctx: Ctx, f: ForkFrame): void {
  const { m, core } = ctx;
  const th = threadOf(m, core.tid);
  const parent = procOf(m, th.pid);
  const child = m.procs.find((p) => p.pid === f.child);
  const exit = (ret: number) => {
    ctx.emit({ type: 'syscall.exit', core: core.id, tid: th.tid, name: 'fork', ret });
    core.stack.pop();
    finishOp(ctx);
  };
  switch (f.phase) {
    case 'enter': {
      if (forkReclaim(ctx, parent)) return; // with swap: direct reclaim for the child's page tables
      if (f.lockWaitSince === undefined) {
        ctx.emit({ type: 'syscall.enter', core: core.id, tid: th.tid, name: 'fork', args: [] });
        ctx.cost += m.cost.kernelEntry;
      }
      if (takeMmapWrite(ctx, f)) return;
      // Looked at under the lock: a fork that slept may find its child slot taken meanwhile.
      if (!child || child.alive || child.rootPfn >= 0) return exit(-11); // EAGAIN: no such slot
      // KPTI: pgd_alloc hands out the 8 KiB kernel/user pair (kpti.ts).
      const root = kptiOn(m) ? allocPgdPair(m.mem, child.pid) : allocFrame(m.mem, 'pagetable', child.pid);
      if (root === null) return exit(-12); // ENOMEM
      ctx.emit({ type: 'frame.alloc', pfn: root, pid: child.pid, use: 'pagetable' });
      child.rootPfn = root;
      if (m.kernelPdpt !== undefined) linkKernelHalf(m, root);
      child.vmas = parent.vmas.map((v) => ({ ...v, prot: { ...v.prot } }));
      if (parent.startBrk !== undefined) {
        child.startBrk = parent.startBrk;
        child.brk = parent.brk ?? parent.startBrk;
      }
      for (const v of parent.vmas) {
        ctx.emit({
          type: 'vma.map',
          pid: child.pid,
          start: vaHex(v.startVpn, 0),
          end: vaHex(v.endVpn, 0),
          prot: protString(v.prot),
        });
        for (let vpn = v.startVpn; vpn < v.endVpn; vpn++) {
          const slot = findPte(m, parent, vpn);
          if (slot && ((slot.lo & PTE_P) !== 0 || isSwapPte(slot))) f.todo.push(vpn);
        }
      }
      f.phase = 'copy';
      return;
    }
    case 'copy': {
      const vpn = f.todo.shift();
      // A swap entry is copied by swap.ts (swap_duplicate); a present page below.
      if (vpn !== undefined && child && !forkSwapPte(ctx, parent, child, vpn)) {
        const src = findPte(m, parent, vpn);
        const dst = ensurePte(m, child, vpn, ctx.emit);
        if (!src || !dst) return exit(-12);
        let lo = src.lo;
        const vma = findVma(parent, vpn);
        if (vma?.prot.w && (lo & PTE_RW) !== 0) {
          // is_cow_mapping && pte_write: write-protect in the parent too.
          lo = (lo & ~PTE_RW) >>> 0;
          setPte(m, parent, vpn, src, lo, src.hi, ctx.emit);
          f.downgraded.push(vpn);
          markPending(m, parent.pid, vpn, entryPfn(src.lo, src.hi));
        }
        setPte(m, child, vpn, dst, (lo & ~PTE_A) >>> 0, src.hi, ctx.emit);
        const info = m.mem.used.get(entryPfn(src.lo, src.hi));
        if (info?.kind === 'anon') {
          info.refcount++;
          info.mappers.push(child.pid);
        }
        ctx.cost += 2 * m.cost.pteWrite;
      }
      if (f.todo.length > 0) return;
      f.phase = 'exit';
      if (f.downgraded.length > 0) {
        core.stack.push({
          fn: 'shootdown',
          phase: 'begin',
          id: -1,
          pid: parent.pid,
          vpns: f.downgraded.slice(),
          full: true,
          gen: 0,
          toFree: [],
          freedTables: false,
        });
      }
      return;
    }
    case 'exit': {
      if (!child) return exit(-11);
      child.alive = true;
      for (const t of m.threads) {
        if (t.pid !== child.pid || t.state !== 'unborn') continue;
        t.state = 'ready';
        t.readyAt = ctx.t;
        m.cores[t.core]?.runq.push(t.tid);
      }
      ctx.cost += m.cost.small;
      return exit(child.pid);
    }
  }
}
