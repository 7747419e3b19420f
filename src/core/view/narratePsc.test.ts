import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../events';
import { narrate } from './narrate';

const at = { step: 1, tick: 0 };

describe('narration of paging-structure-cache events', () => {
  it('a hit names the cache, the table the walk starts at and the reads skipped', () => {
    const s = narrate({
      ...at,
      type: 'psc.hit',
      core: 0,
      va: '0x7f0000001000',
      cache: 'PDE',
      level: 2,
      table: 5,
      pcid: 1,
      skipped: 3,
    });
    expect(s).toMatch(/PDE cache/);
    expect(s).toMatch(/page table in frame 5/);
    expect(s).toMatch(/skips 3 table reads/);
  });

  it('a fill names the region size and what it evicted', () => {
    const s = narrate({
      ...at,
      type: 'psc.fill',
      core: 1,
      va: '0x7f0000200000',
      cache: 'PDE',
      level: 2,
      table: 9,
      pcid: 1,
      evicted: '0x7f0000000000',
    });
    expect(s).toMatch(/2 MiB region at 0x7f0000200000/);
    expect(s).toMatch(/evicting the entry for 0x7f0000000000/);
  });

  it('a tlb.invalidate says what it took from the PSCs, and reads as before without them', () => {
    const base: SimEvent = {
      ...at,
      type: 'tlb.invalidate',
      core: 0,
      scope: 'page',
      va: '0x1000',
      removed: 1,
      reason: 'INVLPG',
    };
    expect(narrate(base)).toBe('Core 0: INVLPG 0x1000 (1 entry removed).');
    expect(narrate({ ...base, psc: 3 })).toBe(
      'Core 0: INVLPG 0x1000 (1 entry removed). It also drops 3 entries from the paging-structure caches.',
    );
  });

  it('a page fault says it dropped the entries for its address', () => {
    const s = narrate({
      ...at,
      type: 'psc.invalidate',
      core: 0,
      va: '0x1000',
      removed: 2,
      reason: 'page fault',
    });
    expect(s).toMatch(/page fault also drops the 2 entries .* 0x1000/);
  });
});
