import type { ScenarioSpec } from '../../core/spec';

// Lesson 5 (docs/lessons.md; seed 004, "what happens after brk"): brk only moves the heap VMA's
// end. The first read of a heap page faults and maps the shared zero page read-only; the first
// write to another page faults and gets a fresh zeroed frame; a write to the zero-page mapping
// faults again and replaces it with a private frame (mm/memory.c do_anonymous_page, do_wp_page).
// A read past the break has no VMA at all: SIGSEGV.
const HEAP = 0x555555559000;
const at = (page: number, off = 0) => `0x${(HEAP + page * 4096 + off).toString(16)}`;

export const demandZero: ScenarioSpec = {
  id: 'demand-zero',
  title: 'Demand zero: what brk really does',
  summary:
    'T0 calls brk to grow its heap by three pages. Nothing is allocated: only the VMA grows. Its first read of heap page 0 faults (not present); the handler finds the VMA and maps the shared zero page, read-only. Its first write to page 1 faults; the handler allocates a frame, zeroes it and maps it writable, and the write is retried. Writing page 0, which still maps the zero page, faults once more: a private frame replaces it. Finally a read just past the break finds no VMA: SIGSEGV.',
  // Which panels this lesson is about (src/state/layout.ts applies it).
  layout: { dock: 'frames', emphasis: 'pagetable' },
  seed: 1,
  machine: { cores: 1, frames: 64, tlb: { sets: 4, ways: 2 }, protocol: 'linux-x86' },
  processes: [{ pid: 1, name: 'heap-user', vmas: [], brk: at(0) }],
  threads: [
    {
      tid: 0,
      pid: 1,
      core: 0,
      program: [
        { op: 'brk', va: at(3) },
        { op: 'read', va: at(0, 0x10) },
        { op: 'write', va: at(1, 0x20), value: 7 },
        { op: 'read', va: at(1, 0x20) },
        { op: 'write', va: at(0, 0x10), value: 5 },
        { op: 'read', va: at(3, 0x8) },
      ],
    },
  ],
  keyMoments: [
    { label: 'brk grows the heap VMA; nothing is mapped', event: 'vma.grow', match: { pid: 1 } },
    {
      label: 'First read: a not-present fault',
      event: 'fault.raised',
      match: { kind: 'not-present', access: 'read' },
    },
    { label: 'The shared zero page, read-only', event: 'fault.resolved', match: { how: 'zero-page' } },
    { label: 'First write: a fresh zeroed frame', event: 'fault.resolved', match: { how: 'demand-zero' } },
    {
      label: 'Writing the zero-page mapping faults again',
      event: 'fault.raised',
      match: { kind: 'protection', access: 'write' },
    },
    { label: 'A private frame replaces the zero page', event: 'fault.resolved', match: { how: 'cow-copy' } },
    { label: 'Past the break: no VMA, SIGSEGV', event: 'signal', match: { code: 'SEGV_MAPERR' } },
  ],
};
