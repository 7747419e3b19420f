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
  | { op: 'mmap'; vpn: number; pages: number; prot: ProtBits; off?: number }
  | { op: 'munmap'; vpn: number; pages: number; unaligned: boolean; off?: number }
  | { op: 'mprotect'; vpn: number; pages: number; prot: ProtBits; unaligned: boolean; off?: number }
  | { op: 'signal'; flag: string }
  | { op: 'wait'; flag: string }
  | { op: 'sleep'; flag: string }
  | { op: 'compute'; cycles: number }
  | { op: 'fork'; child: number }
  | { op: 'exit' }
  | { op: 'invlpg'; vpn: number }
  | { op: 'brk'; addr: number }
  /** clone(CLONE_VM|CLONE_THREAD): start the declared thread `tid` in this process's mm. */
  | { op: 'clone'; tid: number }
  /** execve: replace this process's address space by a fresh one holding `vmas`. */
  | { op: 'exec'; image: string; vmas: ExecVma[] }
  /** pthread_join: wait for thread `tid` to end, then unmap its stack if that was left to us. */
  | { op: 'join'; tid: number }
  /** A load whose value the program knows (a local it saved): another value is reported. */
  | { op: 'check'; vpn: number; off: number; expect: number }
  /** A system call whose kernel code reads or writes `vpn`/`off` at CPL 0 (src/core/kernel/ksys.ts). */
  | { op: 'kread'; vpn: number; off: number; selfMap?: { of: string; level: SelfMapLevel } }
  | { op: 'kwrite'; vpn: number; off: number; value: number }
  /** The kernel maps (vmalloc) or unmaps (vunmap_range) pages in the shared kernel tables. */
  | { op: 'vmalloc'; vpn: number; pages: number }
  | { op: 'vunmap'; vpn: number; pages: number }
  | { op: 'sys_read' | 'sys_write'; fd: number; vpn: number; off: number; len: number }
  | { op: 'ioctl'; vpn: number; off: number; limit: number; fetch: 'twice' | 'once' }
  /** Jump to program index `to` `times` more times, then go on (OpSpec repeat; kernel/repeat.ts). */
  | { op: 'repeat'; to: number; times: number };

/** A VMA of an exec image, as the new address space gets it. */
export interface ExecVma {
  startVpn: number;
  pages: number;
  prot: ProtBits;
  name: string;
  populate: boolean;
  growsDown: boolean;
}

/**
 * A thread stack mapped into the process (pthread's mmap'd stack, Zephyr's mapped stack):
 * [startVpn, endVpn) holds the stack, which grows down from endVpn; with guards, the page just
 * below and the page just above are PROT_NONE guard pages that catch an overflow or underflow.
 */
export interface ThreadStack {
  startVpn: number;
  endVpn: number;
  guards: boolean;
  /**
   * unborn: mapped when its thread is cloned; deferred: its thread ended running on it, so
   * another thread must unmap it.
   */
  state: 'unborn' | 'mapped' | 'deferred' | 'unmapped';
}

/** Which paging entry of an address a self-map (recursive slot) read names (kernel/recursive.ts). */
export type SelfMapLevel = 'pte' | 'pde' | 'pdpte' | 'pml4e';

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
  /** VM_GROWSDOWN: a fault just below it extends it downwards (a stack). */
  growsDown?: boolean;
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
  /** Its mapped stack, if the scenario gives it one. */
  stack?: ThreadStack;
  /** Jumps left of the repeat ops it is inside, by the repeat op's program index. */
  repeats?: Record<number, number>;
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
  | { fn: 'access'; vpn: number; off: number; kind: 'read' | 'write'; value: number; expect?: number }
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
      /** Asleep on mmap_lock since this tick (kernel/mmapLock.ts). */
      lockWaitSince?: number | undefined;
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
      /** Asleep on mmap_lock since this tick (kernel/mmapLock.ts). */
      lockWaitSince?: number | undefined;
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
      /** Asleep on mmap_lock since this tick (kernel/mmapLock.ts). */
      lockWaitSince?: number | undefined;
    }
  | {
      fn: 'exec';
      phase: 'enter' | 'kill' | 'build' | 'switch' | 'exit';
      image: string;
      vmas: ExecVma[];
      /** The new mm's PML4 once built, and the old one, torn down after the switch. */
      newRoot: number;
      oldRoot: number;
      oldVmas: Vma[];
    }
  | {
      /** exit_mmap (mm/mmap.c): zap every user page of an mm, flush, free frames and tables. */
      fn: 'teardown';
      phase: 'enter' | 'zap' | 'flush' | 'free';
      pid: number;
      why: 'exit' | 'exec';
      root: number;
      todo: number[];
      cleared: number[];
      gathered: number[];
      tables: number[];
    }
  | {
      /** A system call touching kernel memory at CPL 0; with KPTI it switches CR3 on entry and exit. */
      fn: 'ksys';
      phase: 'enter' | 'access' | 'exit';
      kind: 'read' | 'write';
      vpn: number;
      off: number;
      value: number;
      selfMap?: { of: string; level: SelfMapLevel };
    }
  | {
      /** vmalloc (map) or vunmap_range (unmap) of kernel pages in the shared kernel page tables. */
      fn: 'kmap';
      phase: 'enter' | 'pte' | 'exit';
      unmap: boolean;
      vpn: number;
      pages: number;
      i: number;
      /** Frames backing the pages: allocated by vmalloc, or freed by vunmap after the flush. */
      frames: number[];
      cleared: number[];
    }
  | {
      /** flush_tlb_kernel_range (arch/x86/mm/tlb.c): every online core drops the kernel pages. */
      fn: 'kflush';
      phase: 'begin' | 'local' | 'wait' | 'free';
      id: number;
      vpns: number[];
      full: boolean;
      toFree: number[];
    }
  | RwFrame
  | IoctlFrame
  | { fn: 'pinwait'; vpn: number; pages: number; since: number }
  | { fn: 'faultlock'; phase: 'spin' | 'release'; lock: string; since: number }
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

/** read(2) or write(2) in progress (src/core/kernel/syscallRw.ts). */
export interface RwFrame {
  fn: 'rw';
  name: 'read' | 'write';
  phase: 'enter' | 'pin' | 'stac' | 'copy' | 'clac' | 'unpin' | 'exit';
  fd: number;
  /** The user buffer's first byte. */
  vpn: number;
  off: number;
  /** Bytes to move (len, or what is left of the file for a read). */
  count: number;
  /** Bytes copied so far. */
  done: number;
  /** The copy faulted and the exception-table fixup sent it here. */
  faulted: boolean;
  /** Frames pinned (design pin), and the pages they back. */
  pinned: number[];
  pinnedVpns: number[];
  ret: number;
}

/** The ioctl of lesson double-fetch (src/core/kernel/doubleFetch.ts). */
export interface IoctlFrame {
  fn: 'ioctl';
  phase: 'enter' | 'fetch' | 'check' | 'refetch' | 'copy' | 'exit';
  vpn: number;
  off: number;
  limit: number;
  fetch: 'twice' | 'once';
  /** The length the check saw, and the one the copy uses. */
  checked: number;
  used: number;
  /** Data bytes copied so far. */
  done: number;
  faulted: boolean;
  ret: number;
}

/** Kernel state the uaccess lessons add (created on first use: src/core/kernel/uaccess.ts). */
export interface UaState {
  /** EFLAGS.AC per core: set by STAC, cleared by CLAC (SMAP lets supervisor data accesses reach
   * user pages only while it is 1). */
  ac: boolean[];
  files: { fd: number; name: string; words: number[]; pos: number }[];
  /** Pinned pages (design pin): each holds one reference on its frame. */
  pins: { pid: number; vpn: number; pfn: number; tid: number }[];
  /** When the last pin was dropped (a munmap waiting for it may go on from then). */
  unpinAt: number;
  /** Spinlocks by name: the core holding it (-1 free), the cores queued (FIFO), when it was freed. */
  locks: Record<string, { holder: number; queue: number[]; freedAt: number }>;
  /** Cycles each core spent spinning on a lock. */
  lockWait: number[];
}

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
  /** KPTI: the PDPT every user PGD's entry 511 points at, mapping only the entry text. */
  ptiUserPdpt?: number;
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
  /** The uaccess lessons' kernel state (files, pins, EFLAGS.AC, locks); absent until used. */
  ua?: UaState;
  /** The swap device (spec.machine.swap): reclaim and swap-in exist only when it does. */
  swap?: SwapDevice;
}
