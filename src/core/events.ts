// The event vocabulary (docs/events.md): a stable contract read by the panels, the narration,
// the CLI's --json output and the tests. Add events and fields freely; never rename or drop one.
// Addresses and raw entries are hex strings; frames are page frame numbers.

export type AccessKindName = 'read' | 'write' | 'fetch';
export type InvalidateScope = 'page' | 'asid' | 'all' | 'global';
/** ARM64 broadcast TLBIs the arm-broadcast kernel issues (Arm ARM TLBI; arch/arm64 tlbflush.h). */
export type TlbiOpName = 'VALE1IS' | 'VAE1IS' | 'ASIDE1IS';
/** TLB levels a hit can come from (src/core/tlb/hierarchy.ts TlbHitLevel without 'miss'). */
export type TlbHitLevelName = 'l1d' | 'l1i' | 'l1' | 'l2';
/** Reclaim's replacement policies (spec machine.swap.policy). */
export type ReplacePolicyName = 'clock' | 'fifo' | 'lru' | 'opt' | 'mru';

export type EventBody =
  | {
      type: 'access';
      core: number;
      tid: number;
      va: string;
      kind: AccessKindName;
      /** `kernel`: the thread's system call touches the address at CPL 0 (kread / kwrite). */
      mode?: 'kernel';
    }
  | {
      type: 'access.done';
      core: number;
      tid: number;
      va: string;
      pa: string;
      kind: AccessKindName;
      value: number;
    }
  | {
      type: 'tlb.hit';
      core: number;
      va: string;
      pfn: number;
      /** Where it hit: the L1 dTLB or iTLB, a unified L1 (a one-array TLB), or the L2 (STLB). */
      level: TlbHitLevelName;
      /** With more than one TLB array: the array that served it and the lookup's cycles. */
      array?: string;
      cycles?: number;
      /** On an L2 hit: the L1 array the entry was copied into, and the entry that copy evicted. */
      refill?: string;
      evicted?: string;
    }
  | {
      type: 'tlb.miss';
      core: number;
      va: string;
      reason?: 'empty' | 'set-dirty';
      /** With more than one TLB array: the L1 side probed (then the L2), and the probes' cycles. */
      side?: 'l1d' | 'l1i';
      cycles?: number;
    }
  | {
      type: 'walk.level';
      core: number;
      level: number;
      table: number;
      index: number;
      entry: string;
      flags: string;
    }
  | {
      type: 'tlb.fill';
      core: number;
      va: string;
      pfn: number;
      asid: number;
      flags: string;
      /** The entry the fill displaced (in the L1 array, with more than one array). */
      evicted?: string;
      /** With more than one TLB array: the arrays that got the entry (L1 side, then L2). */
      arrays?: string[];
      /** With more than one TLB array: every displaced entry, by array. */
      evictions?: { array: string; va: string }[];
    }
  | {
      type: 'tlb.invalidate';
      core: number;
      scope: InvalidateScope;
      va?: string;
      asid?: number;
      removed: number;
      reason: string;
      /** Paging-structure-cache entries the same operation removed (machines with machine.psc). */
      psc?: number;
    }
  | {
      type: 'pte.write';
      pid: number;
      table: number;
      index: number;
      old: string;
      new: string;
      va: string;
      /** Paging level of the entry (1 = PT, 2 = PD, ...). */
      level: number;
    }
  | {
      type: 'fault.raised';
      core: number;
      tid: number;
      va: string;
      kind: 'not-present' | 'protection' | 'reserved';
      errorCode: number;
      access: AccessKindName;
    }
  | {
      type: 'fault.resolved';
      core: number;
      va: string;
      how: 'demand-zero' | 'zero-page' | 'cow-copy' | 'cow-reuse' | 'swap-in' | 'spurious' | 'fixup';
    }
  | {
      type: 'signal';
      tid: number;
      signal: 'SIGSEGV' | 'SIGBUS';
      code: 'SEGV_MAPERR' | 'SEGV_ACCERR';
      va: string;
    }
  | { type: 'syscall.enter'; core: number; tid: number; name: string; args: string[] }
  | { type: 'syscall.exit'; core: number; tid: number; name: string; ret: number }
  | { type: 'vma.map'; pid: number; start: string; end: string; prot: string }
  /** brk moved the heap's end: the VMA [start, end) is the heap now (it was [start, oldEnd)). */
  | { type: 'vma.grow'; pid: number; start: string; oldEnd: string; end: string }
  | { type: 'vma.unmap'; pid: number; start: string; end: string }
  | { type: 'vma.protect'; pid: number; start: string; end: string; prot: string }
  | { type: 'frame.alloc'; pfn: number; pid?: number; use: 'anon' | 'pagetable' }
  | { type: 'frame.free'; pfn: number; pid?: number; afterFlush?: boolean }
  | {
      type: 'context.switch';
      core: number;
      fromTid: number;
      toTid: number;
      asid?: number;
      flush: boolean;
      lazy?: boolean;
      cr3?: string;
    }
  | { type: 'tlb.gen'; pid: number; gen: number; core: number }
  | {
      type: 'shootdown.begin';
      core: number;
      pid: number;
      targets: number[];
      skipped: { core: number; why: string }[];
      pages: number;
      vas: string[];
      full: boolean;
      freedTables: boolean;
      gen: number;
      /** Set when the page count passed the per-page flush ceiling and made this a full flush. */
      ceiling?: number;
    }
  | { type: 'ipi.sent'; from: number; to: number; reason: string }
  /** `handler`: the function the interrupt runs, when it is not flush_tlb_func. */
  | { type: 'ipi.received'; core: number; from: number; handler?: string }
  | { type: 'ipi.acked'; from: number; to: number }
  | { type: 'shootdown.wait'; core: number; pending: number[] }
  | { type: 'shootdown.end'; core: number; waited: number; total: number }
  | { type: 'cpumask.clear'; core: number; pid: number; why: string }
  | { type: 'sync.signal'; core: number; tid: number; flag: string }
  | { type: 'sync.wait'; core: number; tid: number; flag: string; satisfied: boolean }
  | {
      type: 'invariant.violated';
      rule:
        | 'stale-tlb'
        | 'freed-frame'
        | 'ack-before-invalidate'
        | 'unmap-returned-early'
        | 'psc-freed-table';
      core?: number;
      va?: string;
      pfn?: number;
      explanation: string;
    }
  | { type: 'thread.exit'; tid: number; reason: string }
  | { type: 'flush.skip'; core: number; reason: string }
  | { type: 'lazy.leave'; core: number; pid: number }
  | { type: 'invlpgb'; core: number; pid: number; pages: number }
  | { type: 'tlbsync'; core: number }
  /** arm-broadcast: a barrier on the initiator, `ishst` before the TLBIs, `ish` after (waited: stalled cycles). */
  | { type: 'dsb'; core: number; domain: 'ishst' | 'ish'; waited: number }
  /** arm-broadcast: TLBIs issued for the mm's ASID; they reach every core in `reaches` in hardware. */
  | {
      type: 'tlbi';
      core: number;
      pid: number;
      op: TlbiOpName;
      asid: number;
      pages: number;
      vas: string[];
      reaches: number[];
    }
  /** arm-broadcast: another core's TLB completed the broadcast (no code ran there); what it runs. */
  | {
      type: 'tlbi.remote';
      core: number;
      from: number;
      op: TlbiOpName;
      asid: number;
      removed: number;
      mmPid: number;
      lazy: boolean;
    }
  /** riscv-sbi: the kernel calls sbi_remote_sfence_vma_asid (ecall into the M-mode firmware). */
  | {
      type: 'sbi.ecall';
      core: number;
      pid: number;
      harts: number[];
      asid: number;
      pages: number;
      whole: boolean;
    }
  /** riscv-sbi: a target hart's M-mode firmware runs SFENCE.VMA for another hart (the kernel sees nothing). */
  | {
      type: 'sbi.rfence';
      core: number;
      from: number;
      asid: number;
      pages: number;
      whole: boolean;
      mmPid: number;
    }
  /** riscv-sbi: the ecall returns to the kernel: every hart has fenced. */
  | { type: 'sbi.return'; core: number; waited: number }
  | { type: 'cpumask.set'; core: number; pid: number; switching: boolean }
  | { type: 'switch.gen'; core: number; pid: number; gen: number; behind: boolean }
  | { type: 'thread.sleep'; core: number; tid: number; flag: string }
  | { type: 'thread.wake'; tid: number; core: number; flag: string }
  | { type: 'compute'; core: number; tid: number; cycles: number }
  /** clone(CLONE_VM|CLONE_THREAD): thread `child` starts in process `pid`, sharing its mm. */
  | { type: 'thread.clone'; core: number; tid: number; child: number; pid: number }
  /** exit_mm: thread `tid` drops its use of the mm; `users` threads still use it (0: torn down). */
  | { type: 'mm.put'; pid: number; tid: number; users: number }
  /** exit_mmap: the whole user half of an mm is unmapped (on the last exit, or the old mm of an exec). */
  | { type: 'mm.teardown'; core: number; pid: number; why: 'exit' | 'exec'; pages: number; tables: number }
  /** execve's exec_mmap/activate_mm: CR3 now points at the new mm's PML4. */
  | { type: 'mm.activate'; core: number; pid: number; cr3: string; oldCr3: string }
  /** A fault in the gap below a VM_GROWSDOWN VMA grew it down (expand_stack). */
  | { type: 'stack.expand'; core: number; pid: number; oldStart: string; start: string; end: string }
  /** A thread's access hit a guard page of a mapped stack: the thread is stopped. */
  | {
      type: 'stack.overflow';
      core: number;
      tid: number;
      va: string;
      guard: 'below' | 'above';
      /** Whose stack the guard belongs to, and that stack's range. */
      owner: number;
      start: string;
      end: string;
    }
  /** A thread ended running on its own mapped stack: the unmap is left to another thread. */
  | { type: 'stack.unmap.deferred'; tid: number; start: string; end: string }
  /** Thread `by` unmaps the stack (and guard pages) thread `tid` could not unmap itself. */
  | { type: 'stack.unmap'; tid: number; by: number; start: string; end: string; guards: boolean }
  /** pthread_join: thread `tid` found `target` ended. */
  | { type: 'thread.join'; core: number; tid: number; target: number }
  /** A `check` load: the value read against the one the program saved there. */
  | {
      type: 'value.check';
      core: number;
      tid: number;
      va: string;
      expected: number;
      value: number;
      ok: boolean;
    }
  /** KPTI: the entry or exit code writes CR3 (SWITCH_TO_KERNEL_CR3 / SWITCH_TO_USER_CR3). */
  | {
      type: 'cr3.write';
      core: number;
      pid: number;
      /** The value written, bit 63 (no-flush) included. */
      cr3: string;
      pcid: number;
      noflush: boolean;
      table: 'kernel' | 'user';
      /** The PGD frame CR3 now points at. */
      pgd: number;
      removed: number;
      why: string;
    }
  /** A kernel access found this process's top-level entry for the kernel half (PML4[511]). */
  | {
      type: 'kernel.pml4';
      core: number;
      pid: number;
      pml4: number;
      index: number;
      pdpt: number;
      shared: boolean;
    }
  /** vmalloc mapped pages in the shared kernel tables (ok false: the range was already mapped). */
  | { type: 'kernel.map'; core: number; va: string; pages: number; pdpt: number; ok: boolean }
  /** vunmap_range cleared the kernel PTEs; a flush of every core follows. */
  | { type: 'kernel.unmap'; core: number; va: string; pages: number }
  /** flush_tlb_kernel_range begins: an IPI to every other online core (on_each_cpu). */
  | { type: 'kernel.flush'; core: number; targets: number[]; pages: number; vas: string[]; full: boolean }
  /** A kernel-mode page fault with no fix: the kernel oopses and the task is killed. */
  | { type: 'kernel.oops'; core: number; tid: number; va: string; errorCode: number; why: string }
  /** The address through the recursive slot at which `of`'s paging entry of `level` can be read. */
  | {
      type: 'selfmap.va';
      core: number;
      of: string;
      level: 'pte' | 'pde' | 'pdpte' | 'pml4e';
      entryVa: string;
      slot: number;
    }
  /** STAC: EFLAGS.AC = 1, a user-access window opens (SMAP lets the kernel reach user pages). */
  | { type: 'uaccess.open'; core: number; tid: number; fn: UaccessFn; va: string; len: number }
  /** One page's worth of a copy moved between user memory and the kernel (a supervisor access). */
  | {
      type: 'uaccess.copy';
      core: number;
      tid: number;
      fn: UaccessFn;
      va: string;
      pa: string;
      bytes: number;
      done: number;
      len: number;
    }
  /** CLAC: EFLAGS.AC = 0; the copy routine returns the bytes it did not copy. */
  | { type: 'uaccess.close'; core: number; tid: number; fn: UaccessFn; copied: number; notCopied: number }
  /** The fault handler looks the faulting kernel instruction up in the exception table. */
  | {
      type: 'extable.search';
      core: number;
      tid: number;
      ip: string;
      va: string;
      found: boolean;
      fixup?: string;
    }
  /** An unhandled kernel-mode page fault: the kernel oopses and the current thread dies. */
  | { type: 'oops'; core: number; tid: number; ip: string; va: string; errorCode: number; reason: string }
  /** The syscall pinned a page of its buffer (a reference on the frame, like FOLL_PIN). */
  | { type: 'uaccess.pin'; core: number; tid: number; va: string; pfn: number; refcount: number }
  /** The syscall dropped its pins (unpin_user_pages). */
  | { type: 'uaccess.unpin'; core: number; tid: number; pages: number; pfns: number[] }
  /** munmap found pinned pages in its range and waits for the pins to go. */
  | { type: 'munmap.wait'; core: number; tid: number; va: string; pages: number; pinnedBy: number[] }
  /** The pins are gone: munmap goes on (waited: cycles it waited). */
  | { type: 'munmap.resume'; core: number; tid: number; waited: number }
  /** The kernel read a value from user memory (n: first or second read of the same field). */
  | {
      type: 'uaccess.fetch';
      core: number;
      tid: number;
      va: string;
      value: number;
      n: number;
      into: 'check' | 'use' | 'kernel-copy';
    }
  /** The syscall checked a length against its limit (and allocated a buffer that size if it passed). */
  | { type: 'uaccess.check'; core: number; tid: number; value: number; limit: number; ok: boolean }
  /** The kernel wrote past the end of its buffer: a length it never checked. */
  | {
      type: 'kernel.overflow';
      core: number;
      tid: number;
      allocated: number;
      written: number;
      over: number;
      checked: number;
      used: number;
    }
  /**
   * A memory syscall (munmap, mprotect, fork) sleeps on its mm's mmap_lock: it needs `mode`, and
   * core `holder` holds it for `held`.
   */
  | {
      type: 'mmap_lock.wait';
      core: number;
      pid: number;
      call: 'munmap' | 'mprotect' | 'fork';
      mode: 'read' | 'write';
      holder: number;
      held: 'read' | 'write';
    }
  /** The sleeper got mmap_lock after `waited` cycles. */
  | { type: 'mmap_lock.acquire'; core: number; pid: number; mode: 'read' | 'write'; waited: number }
  /** A core found a spinlock taken and spins (holder: the core holding it). */
  | { type: 'lock.wait'; core: number; lock: string; holder: number; queue: number }
  /** A core took a spinlock after `waited` cycles of spinning. */
  | { type: 'lock.acquire'; core: number; lock: string; waited: number }
  /** A core released a spinlock it held `held` cycles; `next` is the core that gets it (-1: none). */
  | { type: 'lock.release'; core: number; lock: string; held: number; next: number }

  /**
   * machine.psc: a TLB miss found a paging-structure-cache entry (`cache` at `level`, 4 PML4E,
   * 3 PDPTE, 2 PDE) for `va`; the walk starts at `table` and skips `skipped` table reads.
   */
  | {
      type: 'psc.hit';
      core: number;
      va: string;
      cache: PscCacheName;
      level: number;
      table: number;
      pcid: number;
      skipped: number;
    }
  /** machine.psc: a walk cached the entry at `level` for the region starting at `va`. */
  | {
      type: 'psc.fill';
      core: number;
      va: string;
      cache: PscCacheName;
      level: number;
      table: number;
      pcid: number;
      /** Start of the region whose entry was displaced (LRU), if one was. */
      evicted?: string;
    }
  /** machine.psc: a page fault dropped the entries that would be used for `va` (SDM 4.10.4.1). */
  | { type: 'psc.invalidate'; core: number; va: string; removed: number; reason: string }
  /** Direct reclaim starts: the fault needs `need` frames and only `free` are free. */
  | {
      type: 'reclaim.begin';
      core: number;
      free: number;
      need: number;
      policy: ReplacePolicyName;
      /** What is waiting for the frames. */
      forOp: 'page fault' | 'fork';
    }
  /** Clock looked at a frame's PTEs: `young` (A set, now cleared: a second chance) or not. */
  | { type: 'reclaim.scan'; core: number; pfn: number; young: boolean; vas: string[] }
  /** Reclaim picked its victim and the slot it goes to (`hadCopy`: the slot already holds its bytes). */
  | {
      type: 'reclaim.victim';
      core: number;
      pfn: number;
      policy: ReplacePolicyName;
      why: string;
      slot: number;
      hadCopy: boolean;
      vas: string[];
    }
  /** A reclaim run ends (`freed`: its victim's frame went back to the allocator). */
  | { type: 'reclaim.end'; core: number; freed: boolean }
  /** The victim reached its slot: written (`dirty`) or dropped without a write (clean, the slot has it). */
  | { type: 'swap.out'; core: number; pfn: number; slot: number; dirty: boolean }
  /** A fault brought a page back: from the swap cache (`cached`, no read) or read from the slot. */
  | {
      type: 'swap.in';
      core: number;
      pfn: number;
      slot: number;
      va: string;
      cached: boolean;
      writable: boolean;
      /** A write to a shared page: the frame this process got its own copy in (do_wp_page). */
      copy?: number;
    }
  /** A fault waits for another core's reclaim of the same page to finish (folio_lock). */
  | { type: 'swap.wait'; core: number; pfn: number; slot: number }
  /** A swap slot is free again. */
  | { type: 'swap.free'; slot: number; why: 'munmap' | 'write-fault' | 'unused' };

/** Paging-structure caches (src/core/tlb/psc.ts PscName). */
export type PscCacheName = 'PML4E' | 'PDPTE' | 'PDE';

/** The kernel's user-copy routines (include/linux/uaccess.h). */
export type UaccessFn = 'copy_from_user' | 'copy_to_user' | 'get_user';
export type SimEvent = EventBody & { step: number; tick: number };
export type EventType = SimEvent['type'];
