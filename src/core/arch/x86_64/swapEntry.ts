// Linux x86-64's swap PTE (arch/x86/include/asm/pgtable_64.h, "Encode and de-code a swap entry"):
//   | TYPE (59-63) | ~OFFSET (9-58) |0|0|X|X| X| E|F|SD|0|
// P (bit 0) is clear, so the MMU ignores the rest. Bits 0-8 stay free: G (8) marks PROT_NONE
// entries, A and D are avoided "because of an erratum where they can be incorrectly set by
// hardware on non-present PTEs", bit 7 must be 0 for pmd_present. The offset is stored inverted
// ("to make the high physical bits set": an L1TF mitigation, so a speculative walk of the entry
// points at memory that does not exist). E (bit 3, _PAGE_SWP_EXCLUSIVE) remembers that the page
// was exclusive to this mapping (PG_anon_exclusive), so swap-in may map it writable at once.

/** SWP_TYPE_BITS, _PAGE_BIT_PROTNONE + 1 (SWP_OFFSET_FIRST_BIT), and the offset's width. */
const TYPE_BITS = 5n;
const OFFSET_FIRST_BIT = 9n;
const OFFSET_BITS = 64n - TYPE_BITS - OFFSET_FIRST_BIT;
const OFFSET_MASK = (1n << OFFSET_BITS) - 1n;
/** _PAGE_SWP_EXCLUSIVE: bit 3 (_PAGE_BIT_PWT) of a non-present entry. */
export const SWP_EXCLUSIVE = 1 << 3;

export interface SwapEntry {
  type: number;
  offset: number;
  /** E: the page belonged to this mapping alone when it was swapped out. */
  exclusive: boolean;
}

/** __swp_entry(type, offset) as a PTE, [lo, hi]: ~offset << 14 >> 5, type << 59. */
export function encodeSwapEntry(type: number, offset: number, exclusive: boolean): [number, number] {
  const v = ((~BigInt(offset) & OFFSET_MASK) << OFFSET_FIRST_BIT) | (BigInt(type) << (64n - TYPE_BITS));
  const lo = Number(v & 0xffffffffn) | (exclusive ? SWP_EXCLUSIVE : 0);
  return [lo >>> 0, Number(v >> 32n) >>> 0];
}

/**
 * The swap entry a PTE holds, or null when it is present or empty (pte_none). Only swap entries
 * are non-present and non-zero in this model (no PROT_NONE or migration entries).
 */
export function decodeSwapEntry(lo: number, hi: number): SwapEntry | null {
  if ((lo & 1) !== 0 || (lo === 0 && hi === 0)) return null;
  const v = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return {
    type: Number(v >> (64n - TYPE_BITS)),
    offset: Number((~v >> OFFSET_FIRST_BIT) & OFFSET_MASK),
    exclusive: (lo & SWP_EXCLUSIVE) !== 0,
  };
}

/** True when the raw entry ("0x07fff...") is a swap entry (for narration and views). */
export function isSwapEntryHex(raw: string): SwapEntry | null {
  let v: bigint;
  try {
    v = BigInt(raw);
  } catch {
    return null;
  }
  return decodeSwapEntry(Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn));
}
