// The only source of randomness in the core: a 32-bit state kept in machine state, so a
// checkpoint captures it and a replay draws the same numbers. Algorithm: mulberry32
// (Tommy Ettinger), small and good enough for tie-breaks and random replacement.

export interface PrngState {
  s: number;
}

export function seedPrng(seed: number): PrngState {
  return { s: seed >>> 0 };
}

/** Next uint32; advances the state in place. */
export function nextU32(p: PrngState): number {
  p.s = (p.s + 0x6d2b79f5) >>> 0;
  let t = p.s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Uniform integer in [0, n). */
export function nextBelow(p: PrngState, n: number): number {
  return nextU32(p) % n;
}
