import type { ScenarioSpec } from '../../core/spec';

// Lesson 24 (docs/lessons.md; seed 001): a self-referencing PML4 entry gives every paging entry a
// virtual address (kernel/recursive.ts). Linux x86-64 does not use one; 64-bit Windows did.
export const recursiveMapping: ScenarioSpec = {
  id: 'recursive-mapping',
  title: 'The recursive slot: page tables at virtual addresses',
  summary:
    "PML4 entry 510 holds the PML4's own frame, supervisor-only. A walk that goes through it once stops one level early: it lands on a page table, so the PTE of any address X can be read at 0xffffff0000000000 | ((X >> 9) & 0x7ffffffff8), sign-extended. T0 writes 7 to 0x7f0000001010; its system calls then read that page's PTE, PDE, PDPTE and PML4E through the slot, going round it once, twice, three and four times, and each read returns exactly the entry the hardware walk used, with the A and D bits the write has just set (its low 32 bits: the model's loads are 32-bit words). T0 finally tries the PTE's address from user mode: the slot's entry has U/S=0, so it is a protection fault and SIGSEGV. Linux x86-64 has no such slot: it reaches page tables through its direct map of physical memory. 64-bit Windows used one: slot 0x1ED, PTEs at 0xFFFFF68000000000, until Windows 10 1607 randomised the slot.",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { emphasis: 'pagetable' },
  seed: 1,
  machine: {
    cores: 1,
    frames: 64,
    tlb: { sets: 8, ways: 2 },
    protocol: 'linux-x86',
    kernelHalf: true,
    recursiveSlot: 510,
  },
  processes: [
    {
      pid: 1,
      name: 'app',
      vmas: [{ start: '0x7f0000001000', pages: 1, prot: 'rw', name: 'buf', populate: true }],
    },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'write', va: '0x7f0000001010', value: 7 },
        { op: 'kread', entryOf: '0x7f0000001010', level: 'pte' },
        { op: 'kread', entryOf: '0x7f0000001010', level: 'pde' },
        { op: 'kread', entryOf: '0x7f0000001010', level: 'pdpte' },
        { op: 'kread', entryOf: '0x7f0000001010', level: 'pml4e' },
        { op: 'read', va: '0xffffff3f80000008' },
      ],
    },
  ],
  keyMoments: [
    { label: 'The write walks the real tables', event: 'walk.level', match: { level: 1, index: 1 } },
    {
      label: 'The PTE of 0x7f0000001010 is at 0xffffff3f80000008',
      event: 'selfmap.va',
      match: { level: 'pte' },
    },
    { label: 'The walk enters the slot: PML4[510]', event: 'walk.level', match: { level: 4, index: 510 } },
    {
      label: 'The PML4 read again as a PDPT: index 254',
      event: 'walk.level',
      match: { level: 3, index: 254 },
    },
    { label: 'The read returns the PTE', event: 'access.done', match: { va: '0xffffff3f80000008' } },
    { label: 'The PDE: twice round the slot', event: 'selfmap.va', match: { level: 'pde' } },
    { label: 'The PML4E: four times round', event: 'selfmap.va', match: { level: 'pml4e' } },
    {
      label: 'From user mode the slot is supervisor-only: error code 5',
      event: 'fault.raised',
      match: { va: '0xffffff3f80000008', errorCode: 5 },
    },
    { label: 'SIGSEGV', event: 'signal', match: { tid: 0 } },
  ],
};
