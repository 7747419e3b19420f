// The event vocabulary (docs/events.md): a stable contract read by the panels, the narration,
// the CLI's --json output and the tests. Add events and fields freely; never rename or drop one.
// Addresses and raw entries are hex strings; frames are page frame numbers.

export type AccessKindName = 'read' | 'write' | 'fetch';
export type InvalidateScope = 'page' | 'asid' | 'all' | 'global';

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
  | { type: 'tlb.hit'; core: number; va: string; pfn: number; level: 'l1d' }
  | { type: 'tlb.miss'; core: number; va: string; reason?: 'empty' | 'set-dirty' }
  | {
      type: 'walk.level';
      core: number;
      level: number;
      table: number;
      index: number;
      entry: string;
      flags: string;
    }
  | { type: 'tlb.fill'; core: number; va: string; pfn: number; asid: number; flags: string; evicted?: string }
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
      rule: 'stale-tlb' | 'freed-frame';
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
  | { type: 'cpumask.set'; core: number; pid: number; switching: boolean }
  | { type: 'switch.gen'; core: number; pid: number; gen: number; behind: boolean }
  | { type: 'thread.sleep'; core: number; tid: number; flag: string }
  | { type: 'thread.wake'; tid: number; core: number; flag: string }
  | { type: 'compute'; core: number; tid: number; cycles: number };

export type SimEvent = EventBody & { step: number; tick: number };
export type EventType = SimEvent['type'];
