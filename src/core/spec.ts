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
  | 'riscv-sbi';

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
  | { op: 'brk'; va: string };

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
     * A swap device: reclaim then runs when a page fault's allocation would fail, picking a
     * victim by `policy` (clock = second chance on the A bits; the others are idealized textbook
     * policies), and pages come back on the next touch.
     */
    swap?: SwapSpec;
  };
  processes: ProcessSpec[];
  threads: ThreadSpec[];
  keyMoments: KeyMoment[];
}

export interface SwapSpec {
  /** Slots of one page each. */
  slots: number;
  policy: 'clock' | 'fifo' | 'lru' | 'opt' | 'mru';
}
