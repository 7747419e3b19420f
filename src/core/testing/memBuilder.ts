// Test helper: hand-built x86-64 page tables in a fresh physical memory.
import { encodeEntry, type EntryFields } from '../arch/x86_64/pte';
import { writeEntry } from '../arch/x86_64/walk';
import { createPhysMem, type PhysMem } from '../mem/physmem';

export function memWith(
  entries: { table: number; index: number; e: EntryFields }[],
  frames = 1 << 16,
): PhysMem {
  const mem = createPhysMem(frames);
  for (const { table, index, e } of entries) {
    const [lo, hi] = encodeEntry(e);
    writeEntry(mem, table, index, lo, hi);
  }
  return mem;
}
