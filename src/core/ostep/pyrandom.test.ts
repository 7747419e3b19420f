// Values printed by CPython 3.11: `random.seed(s); random.random()`.
import { describe, expect, it } from 'vitest';
import { pyRandom, pySeed } from './pyrandom';

const draws = (seed: bigint, n: number) => {
  const r = pySeed(seed);
  return Array.from({ length: n }, () => pyRandom(r));
};

describe('CPython random replay', () => {
  it('matches random.seed(s); random.random() for small seeds', () => {
    expect(draws(0n, 3)).toEqual([0.8444218515250481, 0.7579544029403025, 0.420571580830845]);
    expect(draws(1n, 3)).toEqual([0.13436424411240122, 0.8474337369372327, 0.763774618976614]);
    expect(draws(7n, 3)).toEqual([0.32383276483316237, 0.15084917392450192, 0.6509344730398537]);
  });

  it('seeds with abs(seed), like CPython', () => {
    expect(draws(-7n, 3)).toEqual(draws(7n, 3));
  });

  it('splits seeds wider than 32 bits into little-endian words', () => {
    expect(draws(2n ** 32n, 1)).toEqual([0.11299430095636409]);
    expect(draws(2n ** 32n + 5n, 1)).toEqual([0.15727238718789782]);
    expect(draws(2n ** 64n - 1n, 1)).toEqual([0.021825695401270107]);
    expect(draws(12345678901234567890123n, 1)).toEqual([0.15803717805068784]);
  });

  it('stays in step across the state regeneration every 312 draws', () => {
    const xs = draws(42n, 1001);
    expect([xs[0], xs[311], xs[312], xs[1000]]).toEqual([
      0.6394267984578837, 0.21007653833975404, 0.24952973922292443, 0.09935462460613032,
    ]);
  });
});
