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
  | { type: 'access'; core: number; tid: number; va: string; kind: AccessKindName }
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
    }
  | { type: 'ipi.sent'; from: number; to: number; reason: string }
  | { type: 'ipi.received'; core: number; from: number }
  | { type: 'ipi.acked'; from: number; to: number }
  | { type: 'shootdown.wait'; core: number; pending: number[] }
  | { type: 'shootdown.end'; core: number; waited: number; total: number }
  | { type: 'cpumask.clear'; core: number; pid: number; why: string }
  | { type: 'sync.signal'; core: number; tid: number; flag: string }
  | { type: 'sync.wait'; core: number; tid: number; flag: string; satisfied: boolean }
  | {
      type: 'invariant.violated';
      rule: 'stale-tlb' | 'freed-frame' | 'ack-before-invalidate' | 'unmap-returned-early';
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

export type SimEvent = EventBody & { step: number; tick: number };
export type EventType = SimEvent['type'];
