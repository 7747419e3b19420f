// Pieces several lessons share, so each lesson file says only what is its own.
import type { ProcessSpec } from '../../core/spec';

/** The page the shootdown lessons unmap, and an address inside it. */
export const BUFFER = '0x7f0000001000';
export const IN_BUFFER = '0x7f0000001010';

/**
 * Process 1: a one-page buffer, with a heap page next to it so the page-table page stays in use
 * when the buffer is unmapped (munmap then frees no page table: freed_tables = false).
 */
export function appWithBuffer(): ProcessSpec {
  return {
    pid: 1,
    name: 'app',
    vmas: [
      { start: '0x7f0000000000', pages: 1, prot: 'rw', name: 'heap', populate: true },
      { start: BUFFER, pages: 1, prot: 'rw', name: 'buffer', populate: true },
    ],
  };
}

/** Process 2 of the bug lessons: a mapped page, and one that its first write will allocate. */
export function victim(): ProcessSpec {
  return {
    pid: 2,
    name: 'victim',
    vmas: [
      { start: '0x400000', pages: 1, prot: 'rw', name: 'data', populate: true },
      { start: '0x401000', pages: 1, prot: 'rw', name: 'secrets' },
    ],
  };
}
