// Narration of the paging-structure-cache events (machine.psc; SDM 4.10.3 and 4.10.4.1).
import type { SimEvent } from '../events';

const TABLE_BELOW: Record<number, string> = { 4: 'PDPT', 3: 'page directory', 2: 'page table' };
const SPAN: Record<number, string> = { 4: '512 GiB', 3: '1 GiB', 2: '2 MiB' };

function entries(n: number): string {
  return `${n} entr${n === 1 ? 'y' : 'ies'}`;
}

export function narratePsc(
  e: Extract<SimEvent, { type: 'psc.hit' | 'psc.fill' | 'psc.invalidate' }>,
): string {
  switch (e.type) {
    case 'psc.hit':
      return `Core ${e.core}'s ${e.cache} cache has the ${e.cache} for ${e.va} (PCID ${e.pcid}): the walk starts at the ${TABLE_BELOW[e.level] ?? 'table'} in frame ${e.table} and skips ${e.skipped} table read${e.skipped === 1 ? '' : 's'} above it (SDM 4.10.3.2).`;
    case 'psc.fill':
      return `Core ${e.core} caches the ${e.cache} for the ${SPAN[e.level] ?? ''} region at ${e.va} (PCID ${e.pcid}): next table frame ${e.table}, with the rights combined so far${e.evicted ? `, evicting the entry for ${e.evicted}` : ''}.`;
    case 'psc.invalidate':
      return `Core ${e.core}: the ${e.reason} also drops the ${entries(e.removed)} of its paging-structure caches that would be used for ${e.va} (SDM 4.10.4.1), so the next walk reads every level from memory.`;
    default: {
      const never: never = e;
      return String(never);
    }
  }
}

/** The sentence a tlb.invalidate gets when the same operation emptied PSC entries too. */
export function pscInvalidateSuffix(psc: number | undefined): string {
  return psc ? ` It also drops ${entries(psc)} from the paging-structure caches.` : '';
}
