import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTlb,
  TLBF_G,
  TLBF_RW,
  tlbEntries,
  tlbFill,
  tlbInvalidateAll,
  tlbInvalidatePage,
  tlbInvalidatePcid,
  tlbLookup,
} from './tlb';

describe('set-associative TLB', () => {
  it('misses when empty, hits after a fill, and tags by PCID', () => {
    const t = createTlb(4, 2);
    expect(tlbLookup(t, 0x7f0000001, 1)).toBe(-1);
    tlbFill(t, 0x7f0000001, 12, 1, 42, TLBF_RW);
    const slot = tlbLookup(t, 0x7f0000001, 1);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(t.pfn[slot]).toBe(42);
    // Same page, another address space: no hit.
    expect(tlbLookup(t, 0x7f0000001, 2)).toBe(-1);
  });

  it('places a page in set (vpn mod sets) and evicts the least recently used way', () => {
    const t = createTlb(4, 2);
    // vpns 0, 4, 8 all map to set 0.
    tlbFill(t, 0, 12, 1, 100, 0);
    tlbFill(t, 4, 12, 1, 104, 0);
    tlbLookup(t, 0, 1); // 0 is now more recent than 4
    const r = tlbFill(t, 8, 12, 1, 108, 0);
    expect(r.evictedVpn).toBe(4);
    expect(tlbLookup(t, 4, 1)).toBe(-1);
    expect(tlbLookup(t, 0, 1)).toBeGreaterThanOrEqual(0);
    expect(tlbLookup(t, 8, 1)).toBeGreaterThanOrEqual(0);
    // Other sets are untouched.
    tlbFill(t, 1, 12, 1, 101, 0);
    expect(
      tlbEntries(t)
        .map((e) => e.set)
        .sort(),
    ).toEqual([0, 0, 1]);
  });

  it('lets a global entry match under any PCID (SDM 4.10.2.4) and survive a PCID flush', () => {
    const t = createTlb(2, 2);
    tlbFill(t, 0x100, 12, 1, 7, TLBF_G);
    tlbFill(t, 0x101, 12, 1, 8, 0);
    expect(tlbLookup(t, 0x100, 5)).toBeGreaterThanOrEqual(0);
    expect(tlbInvalidatePcid(t, 1)).toBe(1);
    expect(tlbLookup(t, 0x100, 1)).toBeGreaterThanOrEqual(0);
    expect(tlbLookup(t, 0x101, 1)).toBe(-1);
    expect(tlbInvalidateAll(t)).toBe(1);
    expect(tlbLookup(t, 0x100, 1)).toBe(-1);
  });

  it('INVLPG removes the page in the current PCID and global copies, not other PCIDs', () => {
    const t = createTlb(1, 4);
    tlbFill(t, 0x100, 12, 1, 1, 0);
    tlbFill(t, 0x100, 12, 2, 2, 0);
    tlbFill(t, 0x200, 12, 3, 3, TLBF_G);
    expect(tlbInvalidatePage(t, 0x100, 1)).toBe(1);
    expect(tlbLookup(t, 0x100, 2)).toBeGreaterThanOrEqual(0);
    expect(tlbInvalidatePage(t, 0x200, 1)).toBe(1);
  });

  it('one 2 MiB entry covers all 512 of its 4 KiB pages, and INVLPG of any of them removes it', () => {
    const t = createTlb(4, 2);
    tlbFill(t, 0x200 * 512, 21, 1, 0x400, TLBF_RW);
    expect(tlbLookup(t, 0x200 * 512 + 17, 1)).toBeGreaterThanOrEqual(0);
    expect(tlbLookup(t, 0x200 * 512 + 511, 1)).toBeGreaterThanOrEqual(0);
    expect(tlbLookup(t, 0x201 * 512, 1)).toBe(-1);
    tlbInvalidatePage(t, 0x200 * 512 + 300, 1);
    expect(tlbLookup(t, 0x200 * 512, 1)).toBe(-1);
    expect(t.large).toBe(0);
  });

  it('property: never holds more than sets*ways entries, and a hit returns what was last filled', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 1, max: 3 }), fc.boolean()), {
          maxLength: 200,
        }),
        (sets, ways, ops) => {
          const t = createTlb(sets, ways);
          const model = new Map<string, number>();
          let n = 0;
          for (const [vpn, pcid, fill] of ops) {
            const key = `${vpn}/${pcid}`;
            if (fill) {
              if (tlbLookup(t, vpn, pcid) >= 0) continue;
              const r = tlbFill(t, vpn, 12, pcid, ++n, 0);
              if (r.evictedVpn >= 0) model.delete(`${r.evictedVpn}/${r.evictedPcid}`);
              model.set(key, n);
            } else {
              const slot = tlbLookup(t, vpn, pcid);
              expect(slot >= 0).toBe(model.has(key));
              if (slot >= 0) expect(t.pfn[slot]).toBe(model.get(key));
            }
            expect(tlbEntries(t).length).toBeLessThanOrEqual(sets * ways);
            expect(tlbEntries(t).length).toBe(model.size);
          }
        },
      ),
    );
  });
});
