// Narration of reclaim and swap events, and of the PTE writes they make (a swap entry in place of
// a mapping, an A bit cleared by the clock hand). Plain and exact; it says where the model is a
// textbook idealization rather than Linux.
import { isSwapEntryHex } from '../arch/x86_64/swapEntry';
import type { SimEvent } from '../events';

type SwapEvent = Extract<
  SimEvent,
  {
    type:
      | 'reclaim.begin'
      | 'reclaim.scan'
      | 'reclaim.victim'
      | 'reclaim.end'
      | 'swap.out'
      | 'swap.in'
      | 'swap.wait'
      | 'swap.free';
  }
>;

const POLICY: Record<string, string> = {
  clock: 'clock (second chance on the A bits)',
  fifo: 'FIFO (an idealized textbook policy, not what Linux does)',
  lru: 'LRU (idealized: it knows every access, which no kernel does)',
  mru: 'MRU (idealized: it knows every access)',
  opt: "OPT (Belady's optimal: it reads the threads' future accesses, which no kernel can)",
};

export function narrateSwap(e: SwapEvent): string {
  switch (e.type) {
    case 'reclaim.begin':
      return `Core ${e.core}'s ${e.forOp === 'fork' ? "fork (for the child's page tables)" : 'page fault'} needs ${e.need} free frame${e.need === 1 ? '' : 's'} and ${e.free === 0 ? 'none is' : `only ${e.free} ${e.free === 1 ? 'is' : 'are'}`} free: the faulting thread reclaims memory itself (direct reclaim) with the ${POLICY[e.policy] ?? e.policy} policy.`;
    case 'reclaim.scan':
      return e.young
        ? `The clock hand reaches frame ${e.pfn}: its PTE's A bit is set (${e.vas.join(', ')} was used), so the kernel clears A and gives it a second chance. On x86 Linux clears A without a TLB flush (ptep_clear_flush_young): accesses through a TLB entry that is still cached do not set A again, so a hot page can look unused to the next pass.`
        : `The clock hand reaches frame ${e.pfn}: A is clear${e.vas.length ? ` in every PTE mapping it (${e.vas.join(', ')})` : ' (no PTE maps it; only the swap cache holds it)'}, so nothing used it since the last pass.`;
    case 'reclaim.victim':
      return `Victim: frame ${e.pfn}${e.vas.length ? ` (${e.vas.join(', ')})` : ''}, ${e.why}. ${e.hadCopy ? `It is in the swap cache: slot ${e.slot} already holds a copy.` : `It gets swap slot ${e.slot} and joins the swap cache (add_to_swap).`}`;
    case 'reclaim.end':
      return e.freed
        ? `Reclaim on core ${e.core} is done: one frame is free, and the kernel retries the allocation.`
        : `Reclaim on core ${e.core} freed nothing this time; the kernel tries again.`;
    case 'swap.out':
      return e.dirty
        ? `Frame ${e.pfn} is dirty (a PTE had D set, or slot ${e.slot} had no copy): it is written to slot ${e.slot}, after the TLB flush so no core can still change it through a stale entry.`
        : `Frame ${e.pfn} is clean and slot ${e.slot} already holds the same bytes: dropped without a write.`;
    case 'swap.in':
      if (e.copy !== undefined)
        return `${e.cached ? `The page is still in the swap cache (frame ${e.pfn}), no disk read` : `do_swap_page reads slot ${e.slot} into frame ${e.pfn} (a major fault)`}; it may be shared (fork), and this is a write, so in the same fault the process gets its own copy in frame ${e.copy}, mapped writable at ${e.va} (do_wp_page). The page stays in the swap cache.`;
      return `${e.cached ? `The page is still in the swap cache (frame ${e.pfn}): no disk read` : `do_swap_page reads slot ${e.slot} into frame ${e.pfn} (a major fault; the model charges the disk read to this core, Linux would let another thread run)`}, and maps it at ${e.va} ${e.writable ? 'writable (the swap entry said only this mapping had it)' : 'read-only (it may be shared; a write will copy it)'}.`;
    case 'swap.wait':
      return `Core ${e.core} finds slot ${e.slot}'s page (frame ${e.pfn}) being reclaimed by another core and waits for it (folio_lock), then looks again.`;
    case 'swap.free':
      return {
        munmap: `Swap slot ${e.slot} is free again: munmap removed the last swap entry naming it (free_swap_and_cache).`,
        'write-fault': `Swap slot ${e.slot} is free again: the page was written right after swap-in, so the copy on disk is stale.`,
        unused: `Swap slot ${e.slot} is free again: no PTE names it and no frame holds its page.`,
      }[e.why];
    default: {
      const never: never = e;
      return String(never);
    }
  }
}

/** A PTE write that stores a swap entry, or null for any other write. */
export function narrateSwapPte(e: Extract<SimEvent, { type: 'pte.write' }>): string | null {
  if (e.level !== 1) return null;
  const entry = isSwapEntryHex(e.new);
  const was = isSwapEntryHex(e.old);
  if (was && !entry && BigInt(e.new) === 0n)
    return `The kernel clears the swap entry for ${e.va} (slot ${was.offset} has one user less). A non-present entry is never cached, so no TLB needs flushing for it.`;
  if (entry && was)
    return `The swap entry for ${e.va} (slot ${entry.offset}) loses its E mark: after fork the page may be shared, so a swap-in must not map it writable.`;
  if (entry && BigInt(e.old) === 0n)
    return `fork copies the swap entry for ${e.va} into process ${e.pid}'s page table (${e.new}, slot ${entry.offset}): the slot now has one more user (swap_duplicate).`;
  if (entry) {
    return `The kernel replaces the PTE for ${e.va} with a swap entry (${e.new}: P=0, type ${entry.type}, offset ${entry.offset} stored inverted in bits 9-58${entry.exclusive ? ", E set: the page was this mapping's alone" : ''}). The MMU ignores a non-present entry; the fault handler will read it. Other TLBs may still cache the old mapping until the flush.`;
  }
  return null;
}
