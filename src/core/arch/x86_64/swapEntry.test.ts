// The swap PTE is Linux x86-64's: checked against the header's formula, computed independently
// with 64-bit arithmetic (__swp_entry: ~offset << SWP_OFFSET_SHIFT >> SWP_TYPE_BITS | type << 59).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexEntry } from '../../hex';
import { decodeSwapEntry, encodeSwapEntry, SWP_EXCLUSIVE } from './swapEntry';

const MASK64 = (1n << 64n) - 1n;
function linux(type: number, offset: number): bigint {
  const inv = ~BigInt(offset) & MASK64;
  return (((inv << 14n) & MASK64) >> 5n) | (BigInt(type) << 59n);
}
const asBig = ([lo, hi]: [number, number]) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

describe('x86-64 swap entries', () => {
  it('slot 0 and 1 of type 0 look like the kernel builds them', () => {
    expect(hexEntry(...encodeSwapEntry(0, 0, false))).toBe('0x07fffffffffffe00');
    expect(hexEntry(...encodeSwapEntry(0, 1, false))).toBe('0x07fffffffffffc00');
    expect(hexEntry(...encodeSwapEntry(0, 0, true))).toBe('0x07fffffffffffe08');
  });

  it('matches the header formula, keeps P, A, D, PS and G clear, and decodes back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.boolean(),
        (t, o, e) => {
          const pte = encodeSwapEntry(t, o, e);
          expect(asBig(pte)).toBe(linux(t, o) | (e ? BigInt(SWP_EXCLUSIVE) : 0n));
          // Bits 0-8: only E (bit 3) may be set; P = 0, so the MMU ignores the entry.
          expect(pte[0] & 0x1ff).toBe(e ? SWP_EXCLUSIVE : 0);
          expect(decodeSwapEntry(pte[0], pte[1])).toEqual({ type: t, offset: o, exclusive: e });
        },
      ),
    );
  });

  it('an empty or present entry is not a swap entry', () => {
    expect(decodeSwapEntry(0, 0)).toBeNull();
    expect(decodeSwapEntry(0x6067, 0x80000000)).toBeNull();
  });
});
