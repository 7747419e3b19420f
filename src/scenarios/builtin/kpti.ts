import type { ScenarioSpec } from '../../core/spec';

// Lesson 23 (docs/lessons.md; seed 001): kernel page-table isolation. Two PGDs per process, a CR3
// write on every kernel entry and exit, two PCIDs so those writes need not flush
// (arch/x86/mm/pti.c, arch/x86/entry/calling.h). Compare lesson `segfault`, where the same user
// read of kernel data, without KPTI, is a protection fault (error code 5).
export const kpti: ScenarioSpec = {
  id: 'kpti',
  title: 'KPTI: two page tables per process, two PCIDs',
  summary:
    "With kernel page-table isolation each process has an 8 KiB pair of PGDs: the kernel one maps everything, the user one (4096 bytes higher) maps the user half and, of the kernel, only the entry text the CPU needs to get into the kernel. T0 runs on its user PGD with PCID 0x801 (its kernel PCID 1 with bit 11 set). A system call writes CR3 on entry (kernel PGD, PCID 1) and on exit (user PGD, PCID 0x801), both with bit 63 set, so neither write flushes: afterwards T0's user entry and the kernel's entry both hit, each under its own PCID. Then T0 reads kernel data from user mode: its user PGD has no mapping there, so the fault is not-present (error code 4, not 5 as without KPTI) and T0 gets SIGSEGV. T1 reads the entry text, which the user PGD does map, supervisor-only: a protection fault, error code 5. Simplified: the model switches CR3 for these system calls and the context switch only (Linux does it on every entry: faults and interrupts too), and maps the entry text but not the cpu_entry_area.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { emphasis: 'pagetable' },
  seed: 1,
  machine: {
    cores: 2,
    frames: 96,
    tlb: { sets: 8, ways: 2 },
    protocol: 'linux-x86',
    kernelHalf: true,
    kpti: true,
  },
  processes: [
    {
      pid: 1,
      name: 'app',
      vmas: [{ start: '0x7f0000000000', pages: 1, prot: 'rw', name: 'buf', populate: true }],
    },
    { pid: 2, name: 'probe', vmas: [] },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'write', va: '0x7f0000000010', value: 7 },
        { op: 'kread', va: '0xffffffff81002000' },
        { op: 'read', va: '0x7f0000000010' },
        { op: 'kread', va: '0xffffffff81002000' },
        { op: 'read', va: '0xffffffff81002000' },
      ],
    },
    {
      tid: 1,
      pid: 2,
      core: 1,
      program: [
        // Wait until T0's story is over, so the two faults come one after the other.
        { op: 'compute', cycles: 3000 },
        { op: 'read', va: '0xffffffff81000000' },
      ],
    },
  ],
  keyMoments: [
    {
      label: 'Back to user mode: the user PGD, PCID 0x801',
      event: 'cr3.write',
      match: { core: 0, table: 'user' },
    },
    { label: 'The user entry is tagged 0x801', event: 'tlb.fill', match: { core: 0, asid: 0x801 } },
    {
      label: 'System call entry: kernel PGD, no flush',
      event: 'cr3.write',
      match: { core: 0, table: 'kernel', noflush: true },
    },
    { label: 'The kernel entry is tagged 1', event: 'tlb.fill', match: { core: 0, asid: 1 } },
    {
      label: 'System call exit: user PGD, no flush',
      event: 'cr3.write',
      match: { core: 0, table: 'user', noflush: true },
    },
    {
      label: 'The user entry survived both CR3 writes',
      event: 'tlb.hit',
      match: { core: 0, va: '0x7f0000000000' },
    },
    { label: 'So did the kernel entry', event: 'tlb.hit', match: { core: 0, va: '0xffffffff81002000' } },
    {
      label: 'User read of kernel data: not present (error code 4)',
      event: 'fault.raised',
      match: { core: 0, kind: 'not-present', errorCode: 4 },
    },
    { label: 'SIGSEGV', event: 'signal', match: { tid: 0 } },
    {
      label: 'The entry text is mapped, supervisor-only (error code 5)',
      event: 'fault.raised',
      match: { core: 1, kind: 'protection', errorCode: 5 },
    },
  ],
};
