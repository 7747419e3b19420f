// CPython's `random` module, just enough of it to replay paging-policy.py: `random.seed(int)`
// followed by `random.random()`. The OSTEP script draws its random reference string and its
// RAND/CLOCK victims from this generator, so reproducing its output means reproducing the
// exact stream: MT19937 seeded by `init_by_array` over the 32-bit words of |seed|, and a
// double built from two draws (CPython's Modules/_randommodule.c). Deterministic: no host randomness.

const N = 624;
const M = 397;

export interface PyRandom {
  mt: Uint32Array;
  index: number;
}

function initGenrand(s: number): Uint32Array {
  const mt = new Uint32Array(N);
  mt[0] = s >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1] as number;
    mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
  }
  return mt;
}

/** `random.seed(seed)` for an int seed: CPython uses abs(seed), split into little-endian words. */
export function pySeed(seed: bigint): PyRandom {
  let n = seed < 0n ? -seed : seed;
  const key: number[] = [];
  while (n > 0n) {
    key.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
  if (key.length === 0) key.push(0);
  const mt = initGenrand(19650218);
  let i = 1;
  let j = 0;
  for (let k = Math.max(N, key.length); k > 0; k--) {
    const prev = mt[i - 1] as number;
    const mixed = ((mt[i] as number) ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1664525)) >>> 0;
    mt[i] = (mixed + (key[j] as number) + j) >>> 0;
    i++;
    j++;
    if (i >= N) {
      mt[0] = mt[N - 1] as number;
      i = 1;
    }
    if (j >= key.length) j = 0;
  }
  for (let k = N - 1; k > 0; k--) {
    const prev = mt[i - 1] as number;
    const mixed = ((mt[i] as number) ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1566083941)) >>> 0;
    mt[i] = (mixed - i) >>> 0;
    i++;
    if (i >= N) {
      mt[0] = mt[N - 1] as number;
      i = 1;
    }
  }
  mt[0] = 0x80000000;
  return { mt, index: N };
}

function twist(mt: Uint32Array): void {
  for (let k = 0; k < N; k++) {
    const y = ((mt[k] as number) & 0x80000000) | ((mt[(k + 1) % N] as number) & 0x7fffffff);
    mt[k] = ((mt[(k + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
  }
}

function genrandUint32(r: PyRandom): number {
  if (r.index >= N) {
    twist(r.mt);
    r.index = 0;
  }
  let y = r.mt[r.index++] as number;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/** `random.random()`: 53 random bits (27 + 26 from two draws) scaled into [0, 1). */
export function pyRandom(r: PyRandom): number {
  const a = genrandUint32(r) >>> 5;
  const b = genrandUint32(r) >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}
