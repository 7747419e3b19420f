import { describe, expect, it } from 'vitest';
import { seedPrng } from '../prng';
import { createLevel, levelEntries, levelFill, levelLookup, newEvictionInfo, type TlbLevel } from './level';
import {
  createRepl,
  plruTouchBits,
  plruVictimWay,
  policyProblem,
  type ReplacementPolicy,
  replInsert,
  replVictim,
} from './replacement';

/** One set of 4 ways holding 4 KiB pages, so every vpn lands in the same set. */
function oneSet(policy: ReplacementPolicy, ways = 4): TlbLevel {
  return createLevel('t', 'l1d', 1, ways, policy, [12]);
}

/** Fills `vpn` (frame = vpn) and returns the vpn it evicted, or -1. */
function fill(l: TlbLevel, vpn: number, seed = seedPrng(1)): number {
  const ev = newEvictionInfo();
  levelFill(l, vpn, 12, 1, vpn, 0, seed, ev);
  return ev.evicted ? ev.vpn : -1;
}

describe('LRU', () => {
  it('evicts in exact least-recently-used order', () => {
    const l = oneSet('lru');
    for (const v of [10, 11, 12, 13]) expect(fill(l, v)).toBe(-1);
    expect(levelLookup(l, 10, 1)).toBeGreaterThanOrEqual(0);
    expect(levelLookup(l, 12, 1)).toBeGreaterThanOrEqual(0);
    // Use order is now 11, 13, 10, 12 (oldest first).
    expect([14, 15, 16, 17, 18].map((v) => fill(l, v))).toEqual([11, 13, 10, 12, 14]);
  });
});

describe('FIFO', () => {
  it('ignores hits: evicts in insertion order', () => {
    const l = oneSet('fifo');
    for (const v of [10, 11, 12, 13]) fill(l, v);
    levelLookup(l, 10, 1);
    levelLookup(l, 10, 1);
    expect([14, 15, 16].map((v) => fill(l, v))).toEqual([10, 11, 12]);
  });
});

describe('tree-PLRU (4 ways)', () => {
  // Bit layout: bit 0 = root (ways 0-1 vs 2-3), bit 1 = node 1 (way 0 vs 1), bit 2 = node 2
  // (way 2 vs 3); 0 sends the victim search left, 1 right. A touch points each node on the path
  // away from the touched way.
  it('sets the bits hand-computed from the layout', () => {
    expect(plruTouchBits(0, 4, 0)).toBe(0b011); // root -> right, node1 -> right
    expect(plruTouchBits(0, 4, 1)).toBe(0b001); // root -> right, node1 -> left
    expect(plruTouchBits(0, 4, 2)).toBe(0b100); // root -> left, node2 -> right
    expect(plruTouchBits(0b111, 4, 3)).toBe(0b010); // root -> left, node2 -> left, node1 untouched
    expect(plruVictimWay(0b000, 4)).toBe(0);
    expect(plruVictimWay(0b010, 4)).toBe(1);
    expect(plruVictimWay(0b001, 4)).toBe(2);
    expect(plruVictimWay(0b101, 4)).toBe(3);
  });

  it('follows the hand-computed victim sequence', () => {
    // Touches 0,1,2,3 leave all bits 0 -> victim 0. Touch 0 -> bits 011 -> victim 2.
    // Touch 2 -> bits 110 -> victim 1. Touch 1 -> bits 001 -> victim 3.
    let bits = 0;
    for (const w of [0, 1, 2, 3]) bits = plruTouchBits(bits, 4, w);
    const victims: number[] = [plruVictimWay(bits, 4)];
    for (const w of [0, 2, 1]) {
      bits = plruTouchBits(bits, 4, w);
      victims.push(plruVictimWay(bits, 4));
    }
    expect(victims).toEqual([0, 2, 1, 3]);
  });

  it('differs from true LRU where the tree loses information', () => {
    // Uses 0,1,2,3,1: LRU would evict way 0; the tree points at way 2.
    const l = oneSet('plru');
    for (const v of [100, 101, 102, 103]) fill(l, v); // ways 0..3 in order (free ways first)
    levelLookup(l, 101, 1);
    expect(fill(l, 104)).toBe(102);
    const lru = oneSet('lru');
    for (const v of [100, 101, 102, 103]) fill(lru, v);
    levelLookup(lru, 101, 1);
    expect(fill(lru, 104)).toBe(100);
  });

  it('walks the same victims through a level as through the bits', () => {
    const l = oneSet('plru');
    for (const v of [0, 1, 2, 3]) fill(l, v);
    // victim way 0 (vpn 0); the new vpn 4 then occupies way 0 and is touched -> victim 2 (vpn 2).
    expect(fill(l, 4)).toBe(0);
    expect(fill(l, 5)).toBe(2);
    // bits now: touch 0 then 2 -> 110 -> victim way 1 (vpn 1).
    expect(fill(l, 6)).toBe(1);
    expect(fill(l, 7)).toBe(3);
  });

  it('handles 8 and 32 ways: a touched way is never the next victim', () => {
    for (const ways of [2, 8, 32]) {
      let bits = 0;
      for (let i = 0; i < 200; i++) {
        const w = (i * 7 + 3) % ways;
        bits = plruTouchBits(bits, ways, w);
        const v = plruVictimWay(bits, ways);
        expect(v).not.toBe(w);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(ways);
      }
    }
  });
});

describe('random', () => {
  it('is deterministic given the seed, and only draws when the set is full', () => {
    const run = (seed: number): number[] => {
      const l = oneSet('random');
      const p = seedPrng(seed);
      for (const v of [0, 1, 2, 3]) fill(l, v, p);
      expect(p.s).toBe(seedPrng(seed).s); // free ways used: no draw yet
      const out: number[] = [];
      for (let v = 4; v < 40; v++) out.push(fill(l, v, p));
      return out;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('picks every way eventually, and only ways of the set', () => {
    const r = createRepl('random', 1, 4);
    const valid = new Uint8Array(4).fill(1);
    const p = seedPrng(42);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(replVictim(r, 0, valid, p));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('policy shape checks', () => {
  it('accepts tree-PLRU only with power-of-two ways up to 32', () => {
    expect(policyProblem('plru', 4)).toBeNull();
    expect(policyProblem('plru', 12)).toMatch(/power-of-two/);
    expect(policyProblem('plru', 64)).toMatch(/up to 32/);
    expect(policyProblem('lru', 12)).toBeNull();
    expect(policyProblem('bogus' as ReplacementPolicy, 4)).toMatch(/unknown/);
  });

  it('prefers a free way over any victim', () => {
    const r = createRepl('lru', 1, 4);
    const valid = new Uint8Array([1, 0, 1, 1]);
    replInsert(r, 0, 0);
    expect(replVictim(r, 0, valid, seedPrng(1))).toBe(1);
  });

  it('keeps a 1-way (direct-mapped) array working for every policy', () => {
    for (const p of ['lru', 'plru', 'random', 'fifo'] as const) {
      const l = createLevel('dm', 'l1d', 4, 1, p, [12]);
      fill(l, 0);
      expect(fill(l, 4)).toBe(0);
      expect(levelEntries(l).map((e) => e.vpn)).toEqual([4]);
    }
  });
});
