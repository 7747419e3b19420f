// One line of plain narration per event: what happened, and the real mechanism's name so a
// student can look it up. Never claims more than the model does.
import type { SimEvent } from '../events';
import { narrateThreads } from './narrateThreads';
import { narrateUaccess } from './narrateUaccess';
import { narratePsc, pscInvalidateSuffix } from './narratePsc';
import { narrateSwap, narrateSwapPte } from './narrateSwap';

const LEVEL: Record<number, string> = { 5: 'PML5', 4: 'PML4', 3: 'PDPT', 2: 'PD', 1: 'PT' };
const PF_BITS = ['P', 'W', 'U', 'RSVD', 'I'];

function errorBits(code: number): string {
  const bits = PF_BITS.filter((_, i) => (code & (1 << i)) !== 0);
  return bits.length ? bits.join('|') : 'none';
}

const SIDE: Record<string, string> = { l1d: 'L1 dTLB', l1i: 'L1 iTLB', l1: 'L1 TLB', l2: 'L2 TLB' };

function narrateHit(e: Extract<SimEvent, { type: 'tlb.hit' }>): string {
  const cycles = e.cycles !== undefined ? ` (${e.cycles} cycle${e.cycles === 1 ? '' : 's'})` : '';
  // A one-array TLB (level 'l1', no array name) reads as it always has.
  if (e.array === undefined) {
    return `Core ${e.core}'s TLB has ${e.va}: frame ${e.pfn}, no page walk and no page-table read.`;
  }
  if (e.level === 'l2') {
    const refill = e.refill
      ? ` It is copied into the ${e.refill}${e.evicted ? `, evicting ${e.evicted}` : ''}, so the next access hits in L1.`
      : '';
    return `L2 TLB hit: core ${e.core}'s L1 TLB misses ${e.va}, but its ${e.array} has it: frame ${e.pfn}${cycles}, slower than an L1 hit but no page walk.${refill}`;
  }
  return `${SIDE[e.level] ?? 'TLB'} hit: core ${e.core}'s ${e.array} has ${e.va}: frame ${e.pfn}${cycles}, no page walk and no page-table read.`;
}

function narrateFill(e: Extract<SimEvent, { type: 'tlb.fill' }>): string {
  const head = `Core ${e.core} caches ${e.va} -> frame ${e.pfn} under PCID ${e.asid} (${e.flags})`;
  if (e.arrays === undefined) return `${head}${e.evicted ? `, evicting ${e.evicted}` : ''}.`;
  const gone = (e.evictions ?? []).map((v) => `${v.va} from the ${v.array}`);
  return `${head} in the ${e.arrays.join(' and the ')}${gone.length ? `, evicting ${gone.join(' and ')}` : ''}.`;
}

/** What the model does after a fatal signal, and where that differs from Linux. */
const SIGNAL_END =
  "It ends the process. (The model keeps the dead process's memory mapped, to look at; Linux's exit_mmap would free it, as an exit shows.)";

export function narrate(e: SimEvent): string {
  switch (e.type) {
    case 'access':
      if (e.mode === 'kernel')
        return `The kernel, in T${e.tid}'s system call on core ${e.core}, ${e.kind === 'write' ? 'writes' : 'reads'} ${e.va} at CPL 0 (a supervisor access).`;
      return `T${e.tid} on core ${e.core} ${e.kind === 'write' ? 'writes' : e.kind === 'read' ? 'reads' : 'fetches'} ${e.va}.`;
    case 'access.done':
      // Large values are likely entries or addresses: hex too, to compare with walk.level.
      return `The ${e.kind} reaches physical address ${e.pa} (value ${e.value}${e.value >= 0x1000 ? ` = 0x${e.value.toString(16)}` : ''}).`;
    case 'tlb.hit':
      return narrateHit(e);
    case 'tlb.miss':
      if (e.reason === 'set-dirty')
        return `Core ${e.core} has ${e.va} cached with D clear; to set the dirty bit the CPU walks again (SDM 4.8).`;
      if (e.side !== undefined)
        return `Neither core ${e.core}'s ${SIDE[e.side]} nor its L2 TLB has an entry for ${e.va}${e.cycles !== undefined ? ` (${e.cycles} cycles to find out)` : ''}: the hardware walks the page table from CR3.`;
      return `Core ${e.core}'s TLB has no entry for ${e.va}: the hardware walks the page table from CR3.`;
    case 'walk.level':
      return `${LEVEL[e.level] ?? `L${e.level}`}[${e.index}] in frame ${e.table}: ${e.entry} (${e.flags}).`;
    case 'tlb.fill':
      return narrateFill(e);
    case 'tlb.invalidate':
      if (e.scope === 'global')
        return `Core ${e.core}: ${e.reason}; ${e.removed} entr${e.removed === 1 ? 'y' : 'ies'} removed.${pscInvalidateSuffix(e.psc)}`;
      return (
        (e.scope === 'page'
          ? `Core ${e.core}: ${e.reason} ${e.va} (${e.removed} entr${e.removed === 1 ? 'y' : 'ies'} removed).`
          : `Core ${e.core}: ${e.reason}; ${e.removed} entr${e.removed === 1 ? 'y' : 'ies'} of PCID ${e.asid ?? '-'} removed.`) +
        pscInvalidateSuffix(e.psc)
      );
    case 'pte.write':
      if (narrateSwapPte(e) !== null) return narrateSwapPte(e) as string;
      if (e.new === '0x0000000000000000') {
        return e.level === 1
          ? `The kernel clears the PTE for ${e.va} (table frame ${e.table}, index ${e.index}). Other TLBs may still cache it.`
          : `The kernel clears the ${LEVEL[e.level] ?? 'upper'} entry covering ${e.va} (frame ${e.table}[${e.index}]), unhooking the empty page table below it.`;
      }
      return `The kernel writes the ${LEVEL[e.level] ?? ''} entry for ${e.va} (frame ${e.table}[${e.index}]): ${e.old} -> ${e.new}.`;
    case 'fault.raised':
      return `Page fault (#PF, vector 14) on core ${e.core}: ${e.kind} at ${e.va}; error code ${e.errorCode} (${errorBits(e.errorCode)}), CR2 = ${e.va}.${(e.errorCode & 4) === 0 && BigInt(e.va) < 1n << 63n ? ' U is clear: the kernel itself touched a user address.' : ''}`;
    case 'fault.resolved':
      return {
        'demand-zero': `The handler found the VMA, allocated a zeroed frame and mapped it; the access is retried.`,
        'zero-page': `A first read maps the shared zero page read-only; no frame is allocated.`,
        'cow-copy': `Copy-on-write: the frame is shared (after fork, or the zero page), so this process gets its own copy, mapped writable; the access is retried.`,
        'cow-reuse': `Copy-on-write: the page is only ours, so it is made writable again.`,
        'swap-in': `The page is read back from swap into a new frame.`,
        spurious: `The PTE already allows the access: a spurious fault from a stale, less-permissive TLB entry, which the #PF itself removed (SDM 4.10.4.1). Retry.`,
        fixup: `Execution resumes at the exception-table fixup: the copy stops at the faulting page and reports what it did not copy; the syscall returns a short count or -EFAULT, and no signal is sent.`,
      }[e.how];
    case 'signal':
      return `${
        e.code === 'SEGV_ACCERR'
          ? `The VMA at ${e.va} does not allow this access`
          : BigInt(e.va) >= 1n << 63n
            ? `${e.va} is in the kernel half, so no user VMA covers it`
            : `No VMA covers ${e.va}`
      }: the kernel sends ${e.signal} (${e.code}) to T${e.tid}. ${SIGNAL_END}`;
    case 'syscall.enter':
      if (e.name === 'kread' || e.name === 'kwrite')
        return `T${e.tid} makes a system call whose kernel code ${e.name === 'kread' ? 'reads' : 'writes'} ${e.args[0] ?? '?'}: the core enters the kernel (CPL 0).`;
      return `T${e.tid} calls ${e.name}(${e.args.join(', ')}).`;
    case 'syscall.exit':
      // brk returns an address (the new break, or the old one when refused), not an errno.
      if (e.name === 'brk') return `brk returns 0x${e.ret.toString(16)}, the program break, to T${e.tid}.`;
      return `${e.name} returns ${e.ret}${e.ret < 0 ? ` (-errno)` : ''} to T${e.tid}.`;
    case 'vma.map':
      return `A VMA ${e.start}-${e.end} (${e.prot}) is added for process ${e.pid}; no page is mapped yet.`;
    case 'vma.grow':
      return `brk moves process ${e.pid}'s heap end from ${e.oldEnd} to ${e.end}: only the VMA grows; no frame is allocated and no PTE is written until the first touch faults.`;
    case 'vma.protect':
      return `Process ${e.pid}'s range ${e.start}-${e.end} becomes ${e.prot}; now its PTEs are rewritten.`;
    case 'vma.unmap':
      return `The VMA ${e.start}-${e.end} is removed from process ${e.pid} (under mmap_lock for write).`;
    case 'frame.alloc':
      if (e.pid === -1 && e.use === 'anon')
        return `Frame ${e.pfn} is allocated for the kernel (a vmalloc page).`;
      return `Frame ${e.pfn} is allocated for ${e.use === 'pagetable' ? 'a page table' : 'anonymous memory'}.`;
    case 'frame.free':
      return e.afterFlush === false
        ? `BUG: frame ${e.pfn} goes back to the free list while other TLBs may still map it.`
        : `Frame ${e.pfn} goes back to the free list, only now that every core the kernel flushed has acknowledged.`;
    case 'context.switch':
      return e.toTid < 0
        ? `Core ${e.core} goes idle in lazy TLB mode: the old mm stays loaded in CR3 and the core stays in mm_cpumask.`
        : `Core ${e.core} switches to T${e.toTid}: CR3 = ${e.cr3} (PCID ${e.asid})${e.flush ? ', after flushing that PCID (its entries may be out of date)' : ', keeping its TLB entries'}.`;
    case 'tlb.gen':
      return `Core ${e.core} bumps process ${e.pid}'s tlb_gen to ${e.gen} (a full barrier, so mm_cpumask is read after the PTE change).`;
    case 'shootdown.begin': {
      const skipped = e.skipped.map((s) => `core ${s.core} (${s.why})`).join(', ');
      if (e.skipped.some((s) => s.why.startsWith('BUG'))) {
        return `BUG: this kernel flushes only its own TLB and sends no IPI, although core${e.skipped.length > 1 ? 's' : ''} ${e.skipped.map((s) => s.core).join(', ')} ${e.skipped.length > 1 ? 'are' : 'is'} in mm_cpumask.`;
      }
      if (
        e.targets.length === 0 &&
        e.skipped.length > 0 &&
        e.skipped.every((s) => s.why.startsWith('INVLPGB'))
      ) {
        return `No IPI: INVLPGB will carry the invalidation of ${e.pages} page(s) to core${e.skipped.length > 1 ? 's' : ''} ${e.skipped.map((s) => s.core).join(', ')} in hardware, with no interrupt there; TLBSYNC then waits for it.`;
      }
      const tables = e.freedTables ? ' and freed page tables (so lazy cores are included)' : '';
      return e.targets.length
        ? `Shootdown: ${e.pages} page(s)${tables}${e.ceiling !== undefined ? ` (a full flush: more than the ${e.ceiling}-page ceiling)` : e.full ? ' (a full flush of the mm, flush_tlb_mm)' : ''}; IPIs to core${e.targets.length > 1 ? 's' : ''} ${e.targets.join(', ')} from mm_cpumask${skipped ? `; skipped ${skipped}` : ''}.`
        : skipped
          ? `No IPI: skipped ${skipped}. ${e.skipped.some((s) => s.why.includes('lazy')) ? 'A lazy core catches up when it switches back to the mm. ' : 'A core on another mm checks tlb_gen when it switches back. '}Only the local TLB is flushed.`
          : `No other core can cache this mm's entries: a local flush is enough.`;
    }
    case 'ipi.sent':
      return `Core ${e.from} sends an IPI to core ${e.to}: ${e.reason}.`;
    case 'ipi.received':
      return `Core ${e.core} takes the interrupt from core ${e.from} and runs ${e.handler ?? 'flush_tlb_func'}.`;
    case 'ipi.acked':
      return `Core ${e.from} acknowledges to core ${e.to}: its TLB is up to date.`;
    case 'shootdown.wait':
      return `Core ${e.core} has flushed locally and now spins until core${e.pending.length > 1 ? 's' : ''} ${e.pending.join(', ')} acknowledge${e.pending.length > 1 ? '' : 's'}.`;
    case 'shootdown.end':
      return e.waited > 0
        ? `Every target has acknowledged; core ${e.core} waited ${e.waited} cycles (${e.total} for the whole shootdown).`
        : `The flush is complete (${e.total} cycles); core ${e.core} had no acknowledgement to wait for.`;
    case 'cpumask.clear':
      return `Core ${e.core} no longer runs process ${e.pid}'s mm and leaves its mm_cpumask (${e.why}).`;
    case 'sync.signal':
      return `T${e.tid} sets the flag "${e.flag}".`;
    case 'sync.wait':
      return e.satisfied
        ? `T${e.tid} sees "${e.flag}" and goes on.`
        : `T${e.tid} spins in user space until "${e.flag}" is set.`;
    case 'invariant.violated':
      return `INVARIANT VIOLATED (${e.rule}): ${e.explanation}`;
    case 'thread.exit':
      return `T${e.tid} ends: ${e.reason}.`;
    case 'flush.skip':
      return `Core ${e.core} has nothing to flush: ${e.reason}.`;
    case 'cpumask.set':
      return e.switching
        ? `Core ${e.core} starts switching to process ${e.pid}: loaded_mm = SWITCHING, and it sets its bit in mm_cpumask (a full barrier).`
        : `Core ${e.core} sets its bit in process ${e.pid}'s mm_cpumask, after having read tlb_gen: too late to be seen by a flush that already read the mask.`;
    case 'switch.gen':
      return `Core ${e.core} reads process ${e.pid}'s tlb_gen = ${e.gen}: its TLB is ${e.behind ? 'behind, so it will flush on load' : 'up to date with it'}.`;
    case 'invlpgb':
      return `Core ${e.core} issues INVLPGB for ${e.pages} page(s) of process ${e.pid}'s ASID: the invalidation is broadcast to every TLB in hardware, no interrupt. Then TLBSYNC waits for it to complete everywhere.`;
    case 'tlbsync':
      return `TLBSYNC returns on core ${e.core}: every TLB has dropped the pages.`;
    case 'lazy.leave':
      return `Core ${e.core} is in lazy TLB mode: instead of flushing pages it leaves process ${e.pid}'s mm for the kernel's own page tables (init_mm), so nothing can walk the freed tables through it.`;
    case 'thread.sleep':
      return `T${e.tid} sleeps until "${e.flag}": it leaves core ${e.core}.`;
    case 'thread.wake':
      return `"${e.flag}" wakes T${e.tid}; it goes back on core ${e.core}'s run queue.`;
    case 'compute':
      return `T${e.tid} computes for ${e.cycles} cycles.`;
    case 'dsb':
      return e.domain === 'ishst'
        ? `Core ${e.core} executes DSB ISHST (${e.waited} cycles): the cleared PTE is now visible to every core's page walker, so no core can refill the old translation after the invalidation has passed it.`
        : `DSB ISH completes on core ${e.core} after ${e.waited} cycles stalled: every core in the Inner Shareable domain has finished the TLBI, in hardware. Only now may the kernel free the frames.`;
    case 'tlbi': {
      const what =
        e.op === 'ASIDE1IS'
          ? `TLBI ASIDE1IS: every entry of ASID ${e.asid} (process ${e.pid}; ${e.pages} page(s): a whole-mm flush, or 512 pages or more)`
          : `TLBI ${e.op} for ${e.pages} page(s) of ASID ${e.asid} (process ${e.pid}${e.op === 'VALE1IS' ? '; last level only, as no page table was freed' : '; walk caches too, as page tables were freed'})`;
      return `Core ${e.core} issues ${what}. ARM64 broadcasts it in hardware to every core's TLB${e.reaches.length ? ` (cores ${e.reaches.join(', ')}), even cores not running this process` : ''}: no IPI, no interrupt, no handler. Core ${e.core} now waits in DSB ISH. (The model keeps x86-64 page tables; only the invalidation mechanism is ARM64's.)`;
    }
    case 'tlbi.remote': {
      const runs =
        e.mmPid < 0
          ? 'it runs no process'
          : e.lazy
            ? `it is idle in lazy TLB mode with process ${e.mmPid}'s mm`
            : `it runs process ${e.mmPid}`;
      return `Core ${e.core}'s TLB completes core ${e.from}'s TLBI ${e.op} for ASID ${e.asid} (${e.removed} entr${e.removed === 1 ? 'y' : 'ies'} removed; ${runs}). The broadcast reaches every core, and no code ran on core ${e.core}.`;
    }
    case 'sbi.ecall':
      return `Core ${e.core} calls the SBI firmware: ecall to M-mode, sbi_remote_sfence_vma_asid for harts ${e.harts.join(', ')} (${e.whole ? `the whole ASID ${e.asid}` : `${e.pages} page(s) of ASID ${e.asid}`}). The firmware will IPI the other harts itself; the kernel on core ${e.core} is blocked until the ecall returns. (The model keeps x86-64 page tables; only the invalidation mechanism is RISC-V's.)`;
    case 'sbi.rfence':
      return `Core ${e.core} takes a machine-mode interrupt from the firmware on core ${e.from}: the SBI handler runs SFENCE.VMA for ${e.whole ? `the whole ASID ${e.asid}` : `${e.pages} page(s) of ASID ${e.asid}`}${e.mmPid >= 0 ? ` (it runs process ${e.mmPid}; the firmware fences by ASID, whatever is loaded)` : ''}. The kernel on core ${e.core} never sees this interrupt: M-mode takes the time from under it.`;
    case 'sbi.return':
      return `The ecall returns on core ${e.core} after ${e.waited} cycles of waiting in the firmware: every hart has run SFENCE.VMA.`;
    case 'thread.clone':
    case 'mm.put':
    case 'mm.teardown':
    case 'mm.activate':
    case 'stack.expand':
    case 'stack.overflow':
    case 'stack.unmap.deferred':
    case 'stack.unmap':
    case 'thread.join':
    case 'value.check':
      return narrateThreads(e);
    case 'cr3.write':
      return narrateCr3(e);
    case 'kernel.pml4':
      return `Process ${e.pid}'s PML4 (frame ${e.pml4}) entry ${e.index} points at PDPT frame ${e.pdpt}${e.shared ? ": the one kernel PDPT that every process shares, reached here from this process's own CR3" : ''}.`;
    case 'kernel.map':
      return e.ok
        ? `vmalloc has mapped ${e.pages} page(s) at ${e.va} by writing PTEs below the shared kernel PDPT (frame ${e.pdpt}): every process sees them at once, and no process's PML4 changed. No TLB flush and no IPI: a not-present entry is never cached, so no core can hold a stale "not mapped". (Only a rights increase can leave a stale kernel entry; Linux absorbs that lazily in spurious_kernel_fault.)`
        : `vmalloc cannot map ${e.va}: the range is already mapped, or memory ran out. Nothing changed.`;
    case 'kernel.unmap':
      return `vunmap_range has cleared ${e.pages} kernel PTE(s) at ${e.va}. Any core may still cache them, under any PCID: kernel entries are global.`;
    case 'kernel.flush':
      return `flush_tlb_kernel_range: kernel pages belong to no mm and have no mm_cpumask, so core ${e.core} interrupts every other online core (${e.targets.length ? `cores ${e.targets.join(', ')}` : 'none'}), busy or idle, and flushes its own TLB as well (on_each_cpu)${e.full ? `; more than 33 pages, so each does a full flush, global entries included` : `; each runs INVLPG for the ${e.pages} page(s)`}.`;
    case 'kernel.oops':
      return `Kernel oops on core ${e.core}: a page fault at ${e.va} in kernel mode (error code ${e.errorCode}, ${errorBits(e.errorCode)}): ${e.why}. T${e.tid} is killed.`;
    case 'selfmap.va':
      return narrateSelfMap(e);
    case 'uaccess.open':
    case 'uaccess.copy':
    case 'uaccess.close':
    case 'extable.search':
    case 'oops':
    case 'uaccess.pin':
    case 'uaccess.unpin':
    case 'munmap.wait':
    case 'munmap.resume':
    case 'uaccess.fetch':
    case 'uaccess.check':
    case 'kernel.overflow':
    case 'lock.wait':
    case 'lock.acquire':
    case 'lock.release':
      return narrateUaccess(e);
    case 'mmap_lock.wait':
      return `Core ${e.core}'s ${e.call} needs process ${e.pid}'s mmap_lock for write, and core ${e.holder} holds it for ${e.held}${e.held === 'write' ? ' (fork and mprotect hold it to the end)' : ' (a munmap past its VMA detach, or a page fault)'}. The thread sleeps on the semaphore; its core still takes IPIs.`;
    case 'mmap_lock.acquire':
      return `Core ${e.core} wakes up holding process ${e.pid}'s mmap_lock for ${e.mode}, after ${e.waited} cycles asleep.`;
    case 'psc.hit':
    case 'psc.fill':
    case 'psc.invalidate':
      return narratePsc(e);
    case 'reclaim.begin':
    case 'reclaim.scan':
    case 'reclaim.victim':
    case 'reclaim.end':
    case 'swap.out':
    case 'swap.in':
    case 'swap.wait':
    case 'swap.free':
      return narrateSwap(e);
    default: {
      const never: never = e;
      return String(never);
    }
  }
}

function narrateCr3(e: Extract<SimEvent, { type: 'cr3.write' }>): string {
  if (e.table === 'kernel')
    return `Core ${e.core} enters the kernel: SWITCH_TO_KERNEL_CR3 writes CR3 = ${e.cr3}, the kernel PGD (frame ${e.pgd}: bit 12 cleared) with PCID ${e.pcid} (bit 11 cleared) and bit 63 set: no flush, the user PCID's entries stay in the TLB.`;
  const head = `Core ${e.core} returns to user mode: SWITCH_TO_USER_CR3 writes CR3 = ${e.cr3}, the user PGD (frame ${e.pgd} = kernel PGD + 4096) with PCID ${e.pcid} (${e.pcid & 0x7ff} | 0x800)`;
  return e.noflush
    ? `${head} and bit 63 set: no flush, the kernel PCID's entries stay too.`
    : `${head} without bit 63: a flush of the user PCID was due, ${e.removed} entr${e.removed === 1 ? 'y' : 'ies'} removed.`;
}

const SELF_MAP_NAME = { pte: 'PTE', pde: 'PDE', pdpte: 'PDPTE', pml4e: 'PML4E' } as const;
const SELF_MAP_LOOPS = { pte: 1, pde: 2, pdpte: 3, pml4e: 4 } as const;

function narrateSelfMap(e: Extract<SimEvent, { type: 'selfmap.va' }>): string {
  const n = SELF_MAP_LOOPS[e.level];
  const head = `PML4[${e.slot}] points at the PML4 itself, so the ${SELF_MAP_NAME[e.level]} that translates ${e.of} has a virtual address: ${e.entryVa}. Its walk goes through slot ${e.slot} ${n === 1 ? 'once' : `${n} times`}, so it ends ${n} level${n === 1 ? '' : 's'} early, on the page-table page.`;
  // The comparison with real kernels once, with the first (PTE) address.
  return e.level !== 'pte'
    ? head
    : `${head} Linux x86-64 has no such slot (it reaches page tables through its direct map of physical memory); 64-bit Windows used slot 0x1ED (PTE base 0xFFFFF68000000000) until Windows 10 1607 randomised it.`;
}
