// The whole machine as plain data. Everything a step reads or writes lives here, so a
// checkpoint (deepClone) plus the step function is the whole truth: same state, same next step.
import type { X86Control } from './arch/x86_64/walk';
import type { CostModel } from './costs';
import type { PhysMem } from './mem/physmem';
import type { SwapDevice } from './mem/swapdev';
import type { PrngState } from './prng';
import type { ScenarioSpec } from './spec';
import type { TlbHierarchy } from './tlb/hierarchy';

export type Op =
  | { op: 'read'; vpn: number; off: number }
  | { op: 'write'; vpn: number; off: number; value: number }
  | { op: 'mmap'; vpn: number; pages: number; prot: ProtBits }
  | { op: 'munmap'; vpn: number; pages: number; unaligned: boolean }
  | { op: 'mprotect'; vpn: number; pages: number; prot: ProtBits; unaligned: boolean }
  | { op: 'signal'; flag: string }
  | { op: 'wait'; flag: string }
  | { op: 'sleep'; flag: string }
  | { op: 'compute'; cycles: number }
  | { op: 'fork'; child: number }
  | { op: 'exit' }
  | { op: 'invlpg'; vpn: number }
  | { op: 'brk'; addr: number };

export interface ProtBits {
  r: boolean;
  w: boolean;
  x: boolean;
}

export interface Vma {
  startVpn: number;
  /** Exclusive. */
  endVpn: number;
  prot: ProtBits;
  name: string;
  /** 12, or 21/30 for a VMA mapped by 2 MiB/1 GiB pages. */
  pageShift?: number;
}

export interface Proc {
  pid: number;
  name: string;
  /** CR3's table: the PML4 frame. */
  rootPfn: number;
  vmas: Vma[];
  /** mm->context.tlb_gen: bumped before every flush (Linux arch/x86/mm/tlb.c). */
  tlbGen: number;
  /** mm_cpumask: cores that may hold this mm's translations. */
  cpumask: boolean[];
  /** The PCID this mm's entries are tagged with (simplified: one per mm, not per-CPU slots). */
  pcid: number;
  alive: boolean;
  /** mm->start_brk and mm->brk as byte addresses (0 when the process has no heap). */
  startBrk?: number;
  brk?: number;
}

/** `unborn`: the thread of a process that a fork has not created yet. */
export type ThreadState = 'unborn' | 'ready' | 'running' | 'spinning' | 'sleeping' | 'exited';

export interface Thread {
  tid: number;
  pid: number;
  core: number;
  program: Op[];
  pc: number;
  state: ThreadState;
  exitReason: string;
  /** Tick from which a woken thread may run again. */
  readyAt: number;
  /** The flag a sleeping thread waits for. */
  sleepFlag: string;
}

/** A kernel or hardware activity in progress on a core: one phase runs per step. */
export type Frame =
  | {
      fn: 'switch';
      tid: number;
      /** Two steps, so a shootdown on another core can fall between them (lesson cpumask-race). */
      phase: 'first' | 'second';
      /** The tlb_gen read by a broken-order switch in its first step. */
      gen: number;
    }
  | { fn: 'access'; vpn: number; off: number; kind: 'read' | 'write'; value: number }
  | {
      fn: 'fault';
      phase: 'enter' | 'signal';
      vpn: number;
      off: number;
      kind: 'read' | 'write';
      errorCode: number;
      code: 'SEGV_MAPERR' | 'SEGV_ACCERR';
    }
  | {
      fn: 'munmap';
      phase: 'enter' | 'zap' | 'exit';
      vpn: number;
      pages: number;
      i: number;
      /** mmu_gather: frames to free once the flush is done (include/asm-generic/tlb.h). */
      gathered: number[];
      cleared: number[];
      /** Page-table pages unhooked, freed after the flush too. */
      tables: number[];
    }
  | {
      fn: 'shootdown';
      phase: 'begin' | 'local' | 'wait' | 'end' | 'free';
      id: number;
      pid: number;
      vpns: number[];
      /** A full flush of the mm (flush_tlb_mm), whatever the page count. */
      full: boolean;
      gen: number;
      toFree: number[];
      /** Page-table pages freed too (mmu_gather's freed_tables): lazy cores must be IPI'd. */
      freedTables: boolean;
    }
  | { fn: 'ipi'; phase: 'enter' | 'flush' | 'ack'; ipi: number }
  | {
      fn: 'fork';
      phase: 'enter' | 'copy' | 'exit';
      child: number;
      /** The parent's present pages still to copy, and those write-protected for copy-on-write. */
      todo: number[];
      downgraded: number[];
    }
  | {
      fn: 'mprotect';
      phase: 'enter' | 'change' | 'exit';
      vpn: number;
      pages: number;
      prot: ProtBits;
      i: number;
      /** Pages whose PTE change needs a TLB flush (pte_needs_flush). */
      flush: number[];
    }
  | {
      /** Direct reclaim (mm/vmscan.c) by a thread whose allocation would fail: one victim. */
      fn: 'reclaim';
      phase: 'scan' | 'unmap' | 'write' | 'free';
      /** Frames the waiting allocation needs. */
      need: number;
      /** Frames the clock hand has looked at so far (bounded: two turns at most). */
      scanned: number;
      victim: number;
      slot: number;
      /** Some PTE had D set, or the slot held no copy yet: the page must be written. */
      dirty: boolean;
      /** Mappings turned into swap entries, whose flush is due: [pid, vpn] pairs. */
      cleared: [number, number][];
      /** Frame references taken off PTEs, put after the flush (the mmu_gather rule). */
      refs: number;
    };

export interface Ipi {
  id: number;
  from: number;
  to: number;
  shootdown: number;
  sentTick: number;
  deliverTick: number;
  taken: boolean;
}

export interface Shootdown {
  id: number;
  initiator: number;
  pid: number;
  vpns: number[];
  full: boolean;
  gen: number;
  targets: number[];
  freedTables: boolean;
  acked: number[];
  lastAckTick: number;
  startTick: number;
  waitStart: number;
  open: boolean;
  /** broken-no-wait: the initiator went on without the acks; the last ack closes it. */
  abandoned?: boolean;
}

export interface Core {
  id: number;
  /** This core's local clock in cycles. */
  now: number;
  /** This core's TLBs: every array (L1 iTLB/dTLB or a unified L1, and the L2) as plain data. */
  tlb: TlbHierarchy;
  /** Translations served from the TLB without a walk (any level), and walks (misses, set-dirty). */
  tlbHits: number;
  tlbMisses: number;
  /** Loaded mm (cpu_tlbstate.loaded_mm) as a pid; -1 for the kernel's own (init_mm). */
  mmPid: number;
  cr3Pfn: number;
  pcid: number;
  /** cpu_tlbstate_shared.is_lazy: a kernel thread (idle) runs with the old mm still loaded. */
  lazy: boolean;
  /** cpu_tlbstate.loaded_mm == LOADED_MM_SWITCHING: between the two halves of a switch. */
  switching: boolean;
  tid: number;
  runq: number[];
  /** IPIs sent to this core and not yet taken (ids into Machine.ipis). */
  inbox: number[];
  stack: Frame[];
  /** cpu_tlbstate.ctxs[asid].tlb_gen, per mm (by pid): how far this core's TLB caught up. */
  localGen: Record<number, number>;
}

/** PTEs changed whose flush has not finished: the invariant monitor tolerates staleness here. */
export interface PendingInval {
  pid: number;
  vpn: number;
  /** The frame the old translation led to, and that frame's allocation number then: a TLB entry
   * still leading there is legitimately waiting for its flush unless the frame was freed since. */
  pfn: number;
  seq: number;
  /** The shootdown that covers it (-1 until one begins): only its end settles the entry. */
  by: number;
}

export interface Stats {
  ipis: number;
  tlbHits: number;
  tlbMisses: number;
  faults: number;
  violations: number;
  invalidations: number;
  /** Cycles each core spent waiting for acknowledgements. */
  waitCycles: number[];
  /** Cycles each core spent in the IPI handler. */
  handlerCycles: number[];
}

export interface Machine {
  spec: ScenarioSpec;
  /** The kernel half's shared PDPT (spec.machine.kernelHalf), built with the first process. */
  kernelPdpt?: number;
  step: number;
  tick: number;
  prng: PrngState;
  mem: PhysMem;
  ctl: X86Control;
  cost: CostModel;
  cores: Core[];
  procs: Proc[];
  threads: Thread[];
  ipis: Ipi[];
  shootdowns: Shootdown[];
  pending: PendingInval[];
  /** Flags set by `signal`, with the tick they were set. */
  flags: Record<string, number>;
  zeroPfn: number;
  stats: Stats;
  /** Keys of violations currently standing, so each is reported once. */
  standing: string[];
  done: boolean;
  /** Record events (off in the benchmark). */
  record: boolean;
  /** Run the invariant monitor after each step. */
  monitor: boolean;
  /** The swap device (spec.machine.swap): reclaim and swap-in exist only when it does. */
  swap?: SwapDevice;
}
