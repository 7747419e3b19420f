import type { ScenarioSpec } from '../../core/spec';

// Lesson 22 (docs/lessons.md; seed 001): the kernel half is one set of tables that every process's
// PML4 entry 511 points at. A vmalloc in one process is seen by the other with no PML4 change and
// no flush; global kernel entries and PCID-tagged user entries survive CR3 switches; vunmap must
// interrupt every core (flush_tlb_kernel_range, arch/x86/mm/tlb.c).
export const kernelHalfShared: ScenarioSpec = {
  id: 'kernel-half-shared',
  title: 'One kernel half in every address space',
  summary:
    "Two processes, two page-table roots, one kernel half: entry 511 of each PML4 points at the same kernel PDPT. T0 (process 1) reads kernel data, then the kernel vmallocs a page at 0xffffffffc0000000 and T0 writes 42 there. The PTE is written below the shared PDPT, so process 2's T1 on core 1 reads 42 at once: no PML4 changed, and no IPI was sent, because a not-present entry is never cached. On core 0, T0 sleeps and T2 of process 2 runs: CR3 changes, yet T2's kernel read hits the global entry T0 left. When T0 comes back, its user entry, tagged with its PCID, is still there too. Finally vunmap clears the PTE and flush_tlb_kernel_range interrupts every other core, idle core 2 included: kernel pages have no mm_cpumask. INVLPG drops the global entry whatever its PCID, and the page is freed only after every ack. (Linux's vfree defers this flush; the model flushes at once, as vunmap_range does.)",
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'frames', emphasis: 'pagetable' },
  seed: 1,
  machine: { cores: 3, frames: 96, tlb: { sets: 8, ways: 2 }, protocol: 'linux-x86', kernelHalf: true },
  processes: [
    {
      pid: 1,
      name: 'editor',
      vmas: [{ start: '0x7f0000000000', pages: 1, prot: 'rw', name: 'buf', populate: true }],
    },
    { pid: 2, name: 'shell', vmas: [] },
  ],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'read', va: '0x7f0000000010' },
        { op: 'kread', va: '0xffffffff81002000' },
        { op: 'vmalloc', va: '0xffffffffc0000000', pages: 1 },
        { op: 'kwrite', va: '0xffffffffc0000000', value: 42 },
        { op: 'signal', flag: 'mapped' },
        { op: 'sleep', flag: 'back' },
        { op: 'read', va: '0x7f0000000010' },
        { op: 'kread', va: '0xffffffff81002000' },
        { op: 'signal', flag: 'checked' },
      ],
    },
    {
      tid: 1,
      pid: 2,
      core: 1,
      program: [
        { op: 'wait', flag: 'mapped' },
        { op: 'kread', va: '0xffffffffc0000000' },
        { op: 'wait', flag: 'checked' },
        { op: 'vunmap', va: '0xffffffffc0000000', pages: 1 },
      ],
    },
    {
      tid: 2,
      pid: 2,
      core: 0,
      program: [{ op: 'kread', va: '0xffffffff81002000' }, { op: 'signal', flag: 'back' }, { op: 'exit' }],
    },
  ],
  keyMoments: [
    { label: "Process 1's PML4[511] leads to the kernel PDPT", event: 'kernel.pml4', match: { pid: 1 } },
    { label: 'vmalloc writes a PTE in the shared kernel table', event: 'pte.write', match: { pid: -1 } },
    { label: 'Mapped, with no flush and no IPI', event: 'kernel.map', match: { ok: true } },
    { label: "Process 2's own PML4 leads to the same PDPT", event: 'kernel.pml4', match: { pid: 2 } },
    {
      label: 'Core 1 reads the new page: a walk, no IPI was needed',
      event: 'access.done',
      match: { core: 1, value: 42 },
    },
    {
      label: 'Core 0 switches to process 2: a new CR3',
      event: 'context.switch',
      match: { core: 0, toTid: 2 },
    },
    {
      label: 'The global kernel entry survived the switch',
      event: 'tlb.hit',
      match: { core: 0, va: '0xffffffff81002000' },
    },
    {
      label: "Back on process 1: its PCID's user entry is still there",
      event: 'tlb.hit',
      match: { core: 0, va: '0x7f0000000000' },
    },
    { label: 'vunmap clears the kernel PTE', event: 'kernel.unmap' },
    { label: 'flush_tlb_kernel_range: an IPI to every other core', event: 'kernel.flush' },
    { label: 'Idle core 2 is interrupted too', event: 'ipi.received', match: { core: 2 } },
    {
      label: "INVLPG drops core 0's global entry",
      event: 'tlb.invalidate',
      match: { core: 0, va: '0xffffffffc0000000' },
    },
    { label: 'The page is freed after every ack', event: 'frame.free', match: { pid: -1 } },
  ],
};
