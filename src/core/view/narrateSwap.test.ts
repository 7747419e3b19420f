// Narration of swap and reclaim: says what the model does, and where a policy is idealized.
import { describe, expect, it } from 'vitest';
import { encodeSwapEntry } from '../arch/x86_64/swapEntry';
import type { SimEvent } from '../events';
import { hexEntry } from '../hex';
import { narrate } from './narrate';

const at = { step: 1, tick: 0 };

describe('swap narration', () => {
  it('names direct reclaim and says the textbook policies are idealized', () => {
    const begin = (policy: 'clock' | 'opt' | 'lru', forOp: 'page fault' | 'fork'): SimEvent => ({
      type: 'reclaim.begin',
      core: 0,
      free: 0,
      need: 1,
      policy,
      forOp,
      ...at,
    });
    expect(narrate(begin('clock', 'page fault'))).toMatch(
      /page fault needs 1 free frame and none is free.*direct reclaim.*second chance/,
    );
    expect(narrate(begin('opt', 'fork'))).toMatch(/fork.*future accesses, which no kernel can/);
    expect(narrate(begin('lru', 'page fault'))).toMatch(/idealized/);
  });

  it('tells a written page from a dropped one, and a read from a swap-cache hit', () => {
    expect(narrate({ type: 'swap.out', core: 0, pfn: 6, slot: 0, dirty: true, ...at })).toMatch(
      /written to slot 0, after the TLB flush/,
    );
    expect(narrate({ type: 'swap.out', core: 0, pfn: 6, slot: 0, dirty: false, ...at })).toMatch(
      /dropped without a write/,
    );
    const swapIn = {
      type: 'swap.in',
      core: 0,
      pfn: 7,
      slot: 2,
      va: '0x1000',
      writable: false,
      ...at,
    } as const;
    expect(narrate({ ...swapIn, cached: false })).toMatch(/reads slot 2 into frame 7.*read-only/);
    expect(narrate({ ...swapIn, cached: true })).toMatch(/swap cache.*no disk read/);
    expect(narrate({ ...swapIn, cached: true, writable: true, copy: 9 })).toMatch(/own copy in frame 9/);
  });

  it('decodes a swap entry written into a PTE, and its removal by munmap', () => {
    const entry = hexEntry(...encodeSwapEntry(0, 5, true));
    const write = {
      type: 'pte.write',
      pid: 1,
      table: 5,
      index: 0,
      level: 1,
      va: '0x7f0000000000',
      ...at,
    } as const;
    expect(narrate({ ...write, old: '0x8000000000006067', new: entry })).toMatch(
      /swap entry.*offset 5.*E set/,
    );
    expect(narrate({ ...write, old: entry, new: '0x0000000000000000' })).toMatch(
      /clears the swap entry.*slot 5/,
    );
  });
});
