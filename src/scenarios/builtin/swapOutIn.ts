import { encodeSwapEntry } from '../../core/arch/x86_64/swapEntry';
import { hexEntry } from '../../core/hex';
import type { ScenarioSpec } from '../../core/spec';

// Lesson 8 (docs/lessons.md; seeds 001, 004): memory pressure on a machine with room for two
// user pages. Writing a third page makes the fault handler reclaim: the clock hand clears the A
// bits (second chance), takes page A, gives it a swap slot, puts a swap entry in its PTE, shoots
// down the TLB of core 1 (where T1 read A), writes A to the slot and only then frees the frame.
// Reading A back faults on the swap entry and reads the slot into a new frame: 11 again. Later
// A, swapped in and only read since, is clean with its copy still in the slot: it is dropped
// without a write. (mm/vmscan.c, mm/memory.c do_swap_page, arch/x86/include/asm/pgtable_64.h.)
const BASE = 0x7f0000000000;
const page = (n: number, off = 0) => `0x${(BASE + n * 4096 + off).toString(16)}`;
const A = page(0, 0x10);
const B = page(1, 0x20);
const C = page(2, 0x30);

/** A's PTE once reclaim has swapped it out: slot 0, exclusive (only process 1 mapped it). */
const A_SWAP_ENTRY = hexEntry(...encodeSwapEntry(0, 0, true));

export const swapOutIn: ScenarioSpec = {
  id: 'swap-out-in',
  title: 'Swap out, swap in: reclaim with the clock',
  summary:
    "An 8-frame machine: after the zero page and the process's four page tables, two frames are left for user pages. T0 writes A and B, then C: no frame is free, so the fault handler reclaims first. The clock hand finds A and B recently used (A bit set), clears their A bits and passes them (a second chance), comes round to A again and takes it: A gets swap slot 0, its PTE becomes a swap entry (P=0), core 1's TLB, which cached A, is flushed with an IPI, A is written to the slot, and only then is the frame freed. Reading A faults on the swap entry and reads slot 0 back into a frame: the value 11 survived. Each later fault reclaims again; in the end A, clean since it came back and with its copy still in slot 0, is dropped without a write. The other policies (FIFO, LRU, OPT, MRU) are the textbook ones and can be chosen in machine.swap.policy.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'frames', emphasis: 'dock' },
  seed: 1,
  machine: {
    cores: 2,
    frames: 8,
    tlb: { sets: 4, ways: 2 },
    protocol: 'linux-x86',
    swap: { slots: 4, policy: 'clock' },
  },
  processes: [{ pid: 1, name: 'app', vmas: [{ start: page(0), pages: 4, prot: 'rw', name: 'data' }] }],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'write', va: A, value: 11 },
        { op: 'signal', flag: 'a-written' },
        { op: 'wait', flag: 't1-read' },
        { op: 'write', va: B, value: 22 },
        { op: 'write', va: C, value: 33 },
        { op: 'read', va: A },
        { op: 'read', va: B },
        { op: 'read', va: C },
        { op: 'signal', flag: 'done' },
      ],
    },
    {
      tid: 1,
      pid: 1,
      core: 1,
      program: [
        { op: 'wait', flag: 'a-written' },
        { op: 'read', va: A },
        { op: 'signal', flag: 't1-read' },
        { op: 'wait', flag: 'done' },
      ],
    },
  ],
  keyMoments: [
    { label: 'No frame free: the fault reclaims', event: 'reclaim.begin' },
    { label: 'A bit set: cleared, a second chance', event: 'reclaim.scan', match: { young: true } },
    { label: 'The hand comes round: victim A', event: 'reclaim.victim', match: { slot: 0 } },
    { label: "A's PTE becomes a swap entry", event: 'pte.write', match: { new: A_SWAP_ENTRY } },
    { label: "Flush core 1's TLB, which cached A", event: 'ipi.sent', match: { to: 1 } },
    { label: 'A is dirty: written to slot 0', event: 'swap.out', match: { slot: 0, dirty: true } },
    { label: 'Only now is the frame freed', event: 'frame.free' },
    { label: 'Reading A faults on the swap entry', event: 'fault.raised', match: { va: A } },
    { label: 'Slot 0 read back into a frame', event: 'swap.in', match: { slot: 0, cached: false } },
    { label: 'A reads 11 again', event: 'access.done', match: { va: A, value: 11 } },
    { label: 'Clean A dropped without a write', event: 'swap.out', match: { slot: 0, dirty: false } },
  ],
};
