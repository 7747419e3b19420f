// What a scenario says, as the core needs it. src/scenarios validates untrusted input into this
// shape (with bounds) before anything here runs.

/**
 * The TLB shootdown protocol. `linux-x86` is Linux's; the `broken-*` ones are deliberately wrong
 * kernels, for the lessons that show what goes wrong:
 *  - broken-no-shootdown: flushes only the local TLB (the uniprocessor mistake), frees at once;
 *  - broken-free-before-ack: sends the IPIs but frees the frames before the acks arrive;
 *  - broken-no-local-flush: sends the IPIs but forgets the initiator's own TLB;
 *  - broken-switch-order: switch_mm reads tlb_gen before it sets its mm_cpumask bit;
 *  - broken-early-ack: the IPI handler acks first and invalidates afterwards;
 *  - broken-no-wait: the initiator does not wait for the acks: munmap returns (and frees) while
 *    the other cores have not invalidated yet.
 * `lazy-upgrade` is correct but not Linux: a PTE change that only adds rights is not flushed at
 * all; a core with a stale, less-permissive entry takes one spurious fault (SDM 4.10.4.3).
 * `counter` is the kernel of seed 000: a global request and a counter the targets increment.
 * `amd-invlpgb` broadcasts the invalidation in hardware (INVLPGB, then TLBSYNC): no IPIs.
 * `arm-broadcast` is Linux arm64's flush: DSB ISHST, TLBI VALE1IS/VAE1IS per page (ASIDE1IS for
 * the whole ASID from 512 pages), DSB ISH: every core's TLB drops the pages in hardware, no IPI.
 * `riscv-sbi` is Linux riscv's flush through the SBI firmware: an ecall to M-mode, which IPIs
 * the other harts of mm_cpumask; each runs SFENCE.VMA in M-mode, and the ecall returns when all
 * have. For both, the page tables stay x86-64's: only the invalidation mechanism is swapped.
 * `broken-lazy-tables` is linux-x86 that skips lazy cores even when page tables are freed: the
 * bug Linux fixed in 2018 ("x86/mm/tlb: Leave lazy TLB mode at page table free time"). Its TLBs
 * stay correct; only a core's paging-structure caches (machine.psc) can show the harm.
 */
export type Protocol =
  | 'linux-x86'
  | 'broken-no-shootdown'
  | 'broken-free-before-ack'
  | 'broken-no-local-flush'
  | 'broken-switch-order'
  | 'broken-early-ack'
  | 'broken-no-wait'
  | 'lazy-upgrade'
  | 'counter'
  | 'amd-invlpgb'
  | 'arm-broadcast'
  | 'riscv-sbi'
  | 'broken-lazy-tables';

export const PROTOCOLS: readonly Protocol[] = [
  'linux-x86',
  'broken-no-shootdown',
  'broken-free-before-ack',
  'broken-no-local-flush',
  'broken-switch-order',
  'broken-early-ack',
  'broken-no-wait',
  'lazy-upgrade',
  'counter',
  'amd-invlpgb',
  'arm-broadcast',
  'riscv-sbi',
  'broken-lazy-tables',
];

/**
 * TLB hierarchy presets a scenario may name (src/core/tlb/presets.ts): `teaching` is one small,
 * fully associative TLB; `skylake` is Intel Skylake's split L1 iTLB/dTLB and unified STLB. Only the
 * x86 ones: the simulator models x86-64 (the Arm `cortex-a76` preset is for the TLB bench only).
 */
export type TlbPresetId = 'teaching' | 'skylake';

export const TLB_PRESET_IDS: readonly TlbPresetId[] = ['teaching', 'skylake'];

/**
 * A core's TLB: either one set-associative LRU array of `sets` x `ways` holding every page size
 * (a unified L1 and no L2: the TLB every lesson used before hierarchies existed; 0 sets disables
 * it), or a named preset with its own arrays, replacement policies and costs.
 */
export type TlbSpec = { sets: number; ways: number } | { preset: TlbPresetId };

export type Prot = 'r' | 'rw' | 'rx' | 'rwx' | 'none';

export interface VmaSpec {
  /** Page-aligned start, hex. */
  start: string;
  pages: number;
  prot: Prot;
  name?: string;
  /** Map every page up front (MAP_POPULATE): a zeroed frame behind each page. */
  populate?: boolean;
  /**
   * Page size of the mapping: 2 MiB and 1 GiB VMAs are mapped up front by PS=1 entries in the PD
   * or PDPT (like hugetlbfs, which maps whole pages at once); `pages` still counts 4 KiB pages.
   */
  pageSize?: '4k' | '2m' | '1g';
  /** VM_GROWSDOWN (a stack): a fault in the gap just below extends it downwards (expand_stack). */
  growsDown?: boolean;
}

export type OpSpec =
  | { op: 'read'; va: string }
  | { op: 'write'; va: string; value?: number }
  | { op: 'mmap'; va: string; pages: number; prot: Prot }
  | { op: 'munmap'; va: string; pages: number }
  | { op: 'mprotect'; va: string; pages: number; prot: Prot }
  | { op: 'signal'; flag: string }
  | { op: 'wait'; flag: string }
  /** Block until the flag is set: the thread leaves its core, which idles in lazy TLB mode. */
  | { op: 'sleep'; flag: string }
  | { op: 'compute'; cycles: number }
  /** fork(): create the process `child` (declared with forkOf) as a copy of this one. */
  | { op: 'fork'; child: number }
  | { op: 'exit' }
  /** The kernel on this core executes INVLPG for the page holding `va` (SDM 4.10.4.1). */
  | { op: 'invlpg'; va: string }
  /** brk(va): move the end of the process's heap (declared by ProcessSpec.brk) to `va`. */
  | { op: 'brk'; va: string }
  /** clone(CLONE_VM|CLONE_THREAD): start thread `tid` (declared with `cloned`) in this process. */
  | { op: 'clone'; tid: number }
  /** execve(image): kill the other threads, build a fresh address space holding `vmas`, free the old. */
  | { op: 'exec'; image: string; vmas: VmaSpec[] }
  /**
   * Calls nested `depth` deep, each pushing a `frameBytes` frame on the thread's mapped stack:
   * a write of a return-address marker at each new stack pointer, descending from the top.
   */
  | { op: 'recurse'; depth: number; frameBytes: number }
  /** pthread_join(tid): sleep until `tid` ends, then unmap its stack if it could not. */
  | { op: 'join'; tid: number }
  /** Read `va` and compare with `expect` (a local the program saved): a mismatch is reported. */
  | { op: 'check'; va: string; expect: number }
  /**
   * A system call whose kernel code reads `va` at CPL 0; or, with `entryOf`, the `level` entry
   * (pte, pde, pdpte, pml4e) of `entryOf`, read through the recursive slot (machine.recursiveSlot).
   */
  | { op: 'kread'; va?: string; entryOf?: string; level?: 'pte' | 'pde' | 'pdpte' | 'pml4e' }
  /** A system call whose kernel code writes `value` to `va` at CPL 0. */
  | { op: 'kwrite'; va: string; value?: number }
  /** The kernel maps `pages` fresh pages at `va` in the shared kernel tables (vmalloc). */
  | { op: 'vmalloc'; va: string; pages: number }
  /** The kernel unmaps them (vunmap_range): PTEs cleared, flush_tlb_kernel_range, pages freed. */
  | { op: 'vunmap'; va: string; pages: number }
  /** read(fd, buf, len): the kernel copies up to `len` bytes of the file into buf (copy_to_user). */
  | { op: 'sys_read'; fd: number; va: string; len: number }
  /** write(fd, buf, len): the kernel copies `len` bytes from buf into the file (copy_from_user). */
  | { op: 'sys_write'; fd: number; va: string; len: number }
  /**
   * ioctl(fd, SEND, arg): `va` points at a user struct { u32 len; u32 data[len] }; the kernel
   * refuses len > `limit` words, allocates a buffer of len words and copies the data into it.
   * `fetch: 'twice'` reads len from user memory again after the check (a double fetch);
   * `'once'` copies the header into the kernel once and uses the checked copy.
   */
  | { op: 'ioctl'; va: string; limit: number; fetch: 'twice' | 'once' }
  /**
   * A loop: jump back `back` ops (to the op that many places earlier) `times` more times, then go
   * on. Costs no step of its own: the op jumped to starts at once. Nested repeats work like nested
   * for-loops (an inner loop's count starts afresh each time the outer one comes round).
   */
  | { op: 'repeat'; back: number; times: number };

/** A thread's stack, mmap'd like pthread_create does, with a guard page on each side by default. */
export interface StackSpec {
  /** Lowest page of the stack proper (page-aligned hex); the stack grows down from va + pages. */
  va: string;
  pages: number;
  /** PROT_NONE guard pages just below and just above (default true). */
  guards?: boolean;
}

/**
 * What the kernel does when a user buffer can vanish under a copy (lesson copy-from-user-vs-munmap):
 *  - extable: Linux's way: each user-access instruction has an exception-table entry; an
 *    unresolvable fault jumps to its fixup and the syscall returns -EFAULT or a short count;
 *  - pin: the syscall pins the buffer's pages (a reference count, like get_user_pages) for its
 *    whole duration, and a munmap of a pinned range waits until the pins are dropped;
 *  - none: the copy routine has no exception-table entry: an unresolvable fault oopses.
 */
export type UaccessDesign = 'extable' | 'pin' | 'none';

export const UACCESS_DESIGNS: readonly UaccessDesign[] = ['extable', 'pin', 'none'];

/**
 * The lock a page fault holds (lesson page-lock-contention): none (the model's default: no lock
 * is shown), one spinlock for the whole address space held across the fault (the toy kernel of
 * seed 002), or one lock per virtual page. Linux is neither; see src/core/kernel/faultLock.ts.
 */
export type FaultLockDesign = 'none' | 'mm-spinlock' | 'page-lock';

export const FAULT_LOCK_DESIGNS: readonly FaultLockDesign[] = ['none', 'mm-spinlock', 'page-lock'];

/** A file the scenario's read/write syscalls use, by descriptor: 32-bit words of content. */
export interface FileSpec {
  fd: number;
  name: string;
  words?: number[];
}

export interface ProcessSpec {
  pid: number;
  name: string;
  vmas: VmaSpec[];
  /** Created at run time by a `fork` in this parent process (its vmas are then ignored). */
  forkOf?: number;
  /** Start of the heap (mm->start_brk), page-aligned hex; the heap starts empty. */
  brk?: string;
}

export interface ThreadSpec {
  tid: number;
  pid: number;
  core: number;
  program: OpSpec[];
  /** Created at run time by a `clone` in another thread of the same process. */
  cloned?: boolean;
  /** A mapped stack for this thread (mapped at build time, or when it is cloned). */
  stack?: StackSpec;
}

export interface KeyMoment {
  /** What the moment shows, for the scrubber and the tests. */
  label: string;
  /** The event type that marks it, and field values it must have. */
  event: string;
  match?: Record<string, string | number | boolean>;
}

export interface ScenarioSpec {
  id: string;
  title: string;
  summary: string;
  seed: number;
  machine: {
    cores: number;
    /** Physical memory size in 4 KiB frames. */
    frames: number;
    tlb: TlbSpec;
    protocol: Protocol;
    /**
     * Map a higher-half kernel: every process's PML4 entry 511 points at the same kernel PDPT,
     * holding kernel text and data at 0xffffffff81000000 (supervisor-only, global).
     */
    kernelHalf?: boolean;
    /**
     * Kernel page-table isolation (needs kernelHalf): each process gets an 8 KiB pair of PGDs, the
     * kernel one mapping everything and the user one (+4096) the user half and the entry text only;
     * user mode runs on the user PGD with PCID | 0x800 (arch/x86/mm/pti.c, entry/calling.h).
     */
    kpti?: boolean;
    /** A self-referencing PML4 entry at this slot (256-510, needs kernelHalf), supervisor-only. */
    recursiveSlot?: number;
    /** How copy_from_user/copy_to_user survive a vanished buffer (default extable). */
    uaccess?: UaccessDesign;
    /** The lock held across a page fault (default none). */
    faultLock?: FaultLockDesign;
    /**
     * Paging-structure caches per core (SDM 4.10.3): entries in the PML4E, PDPTE and PDE caches,
     * or true for small assumed sizes (src/core/tlb/psc.ts). Absent or false: none.
     */
    psc?: boolean | { pml4: number; pdpt: number; pde: number };
    /**
     * A swap device: reclaim then runs when a page fault's allocation would fail, picking a
     * victim by `policy` (clock = second chance on the A bits; the others are idealized textbook
     * policies), and pages come back on the next touch.
     */
    swap?: SwapSpec;
  };
  processes: ProcessSpec[];
  threads: ThreadSpec[];
  keyMoments: KeyMoment[];
  /** Files for sys_read/sys_write, by descriptor. */
  files?: FileSpec[];
  /** How the browser first lays out the panels for this lesson (the simulation ignores it). */
  layout?: LayoutHint;
}

export interface SwapSpec {
  /** Slots of one page each. */
  slots: number;
  policy: 'clock' | 'fifo' | 'lru' | 'opt' | 'mru';
}

/** A main-view panel area: the page-table tree, the TLBs, the event log, the shared dock. */
export type LayoutArea = 'pagetable' | 'tlb' | 'log' | 'dock';

/** The dock tab a lesson opens on. */
export type LayoutDockTab = 'ipi' | 'cores' | 'frames' | 'stats';

/**
 * Which panels matter for a lesson: the dock tab it opens on, the area given the most room, and
 * areas that start collapsed to their title bars. Only a first layout: the user can change it.
 */
export interface LayoutHint {
  dock?: LayoutDockTab;
  emphasis?: LayoutArea;
  collapsed?: LayoutArea[];
}
