import type { ScenarioSpec } from '../../core/spec';

// Lesson 6 (docs/lessons.md; seeds 001, 004): three illegal user accesses, one per process, and
// the page-fault error code of each (Intel SDM 4.7: bit 0 P, bit 1 W/R, bit 2 U/S).
//  - a read where no VMA is: not present (U = 4), SIGSEGV with SEGV_MAPERR;
//  - a write to a read-only page: present but not writable (P|W|U = 7), SEGV_ACCERR;
//  - a read of kernel text at 0xffffffff81000000: present but supervisor-only (P|U = 5). Linux
//    sees an address in the kernel half from user mode and sends SEGV_MAPERR (arch/x86/mm/fault.c,
//    bad_area_nosemaphore).
export const segfault: ScenarioSpec = {
  id: 'segfault',
  title: 'Segmentation faults and the error code',
  summary:
    "Three processes each make one illegal access. P1 reads an address no VMA covers: a not-present fault with error code 4 (user), SIGSEGV/SEGV_MAPERR. P2 writes a page it mapped read-only: the PTE is present but not writable, error code 7 (P, W, U), SEGV_ACCERR. P3 reads the kernel's text, which every process's page table maps through the shared kernel half but with U/S=0: error code 5 (P, U), and SIGSEGV/SEGV_MAPERR. CR2 holds each faulting address.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { emphasis: 'log' },
  seed: 1,
  machine: { cores: 3, frames: 96, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86', kernelHalf: true },
  processes: [
    { pid: 1, name: 'wild', vmas: [] },
    {
      pid: 2,
      name: 'readonly',
      vmas: [{ start: '0x7f0000000000', pages: 1, prot: 'r', name: 'ro', populate: true }],
    },
    { pid: 3, name: 'snoop', vmas: [] },
  ],
  threads: [
    { tid: 0, pid: 1, core: 0, program: [{ op: 'read', va: '0x1000' }] },
    {
      tid: 1,
      pid: 2,
      core: 1,
      program: [
        // Wait until P1's story is over, so the three faults come one after another.
        { op: 'compute', cycles: 1000 },
        { op: 'read', va: '0x7f0000000010' },
        { op: 'write', va: '0x7f0000000010', value: 1 },
      ],
    },
    {
      tid: 2,
      pid: 3,
      core: 2,
      program: [
        { op: 'compute', cycles: 2000 },
        { op: 'read', va: '0xffffffff81000000' },
      ],
    },
  ],
  keyMoments: [
    { label: 'No VMA: not present, error code 4', event: 'fault.raised', match: { core: 0, errorCode: 4 } },
    { label: 'SIGSEGV, SEGV_MAPERR', event: 'signal', match: { tid: 0, code: 'SEGV_MAPERR' } },
    {
      label: 'Read-only page: error code 7 (P W U)',
      event: 'fault.raised',
      match: { core: 1, errorCode: 7 },
    },
    { label: 'SIGSEGV, SEGV_ACCERR', event: 'signal', match: { tid: 1, code: 'SEGV_ACCERR' } },
    {
      label: 'Kernel page (U/S=0): error code 5 (P U)',
      event: 'fault.raised',
      match: { core: 2, errorCode: 5 },
    },
    {
      label: 'Kernel address from user mode: SEGV_MAPERR',
      event: 'signal',
      match: { tid: 2, code: 'SEGV_MAPERR' },
    },
  ],
};
