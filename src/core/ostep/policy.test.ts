import { describe, expect, it } from 'vitest';
import { fixed2 } from './pyfmt';
import { formatPolicySolution, MAX_TRACED_REFS, type PolicyOptions, runPolicy } from './policy';

function options(
  policy: string,
  pages: number[],
  cacheSize: number,
  extra: Partial<PolicyOptions> = {},
): PolicyOptions {
  return {
    args: {
      addresses: pages.join(','),
      addressfile: '',
      numaddrs: '10',
      policy,
      clockbits: '2',
      cachesize: String(cacheSize),
      maxpage: '10',
      seed: '0',
      notrace: false,
    },
    policy,
    cacheSize,
    clockBits: 2,
    seed: 0n,
    refs: { kind: 'list', pages },
    ...extra,
  };
}

function run(policy: string, pages: number[], cacheSize: number) {
  const r = runPolicy(options(policy, pages, cacheSize));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('page replacement as paging-policy.py does it', () => {
  it('OPT breaks ties towards the rightmost page (the script updates on >=)', () => {
    // At 4, pages 2 and 3 are never used again: both tie at "end of trace"; 3 is further right.
    const r = run('OPT', [1, 2, 3, 4, 1], 3);
    expect(r.steps[3]).toMatchObject({ page: 4, hit: false, evicted: 3, memory: [1, 2, 4] });
  });

  it('UNOPT evicts the page needed soonest, the leftmost on a tie (strict <)', () => {
    const r = run('UNOPT', [1, 2, 3, 4, 1, 2], 3);
    expect(r.steps[3]).toMatchObject({ evicted: 1, memory: [2, 3, 4] });
    const tie = run('UNOPT', [1, 2, 3, 4], 3);
    expect(tie.steps[3]).toMatchObject({ evicted: 1 });
  });

  it('LRU moves a hit to the right end; FIFO leaves it in place', () => {
    expect(run('LRU', [1, 2, 3, 1, 4], 3).steps.map((s) => s.memory)).toEqual([
      [1],
      [1, 2],
      [1, 2, 3],
      [2, 3, 1],
      [3, 1, 4],
    ]);
    expect(run('FIFO', [1, 2, 3, 1, 4], 3).steps[4]).toMatchObject({ evicted: 1, memory: [2, 3, 4] });
  });

  it('MRU evicts the right end, which a hit has just refreshed', () => {
    expect(run('MRU', [1, 2, 3, 2, 4], 3).steps[4]).toMatchObject({ evicted: 2, memory: [1, 3, 4] });
  });

  it('counts hits and misses per step', () => {
    const r = run('FIFO', [1, 1, 2], 2);
    expect(r.steps.map((s) => [s.hit, s.hits, s.misses])).toEqual([
      [false, 0, 1],
      [true, 1, 1],
      [false, 1, 2],
    ]);
  });

  it("prints '-' when page -1 is evicted: the script's own 'no victim' marker", () => {
    const o = options('FIFO', [-1, 2, 3], 2);
    const r = runPolicy(o);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.steps[2]?.evicted).toBe(-1);
    expect(formatPolicySolution(o, r.value)).toContain(
      'Access: 3  MISS FirstIn ->       [2, 3] <- Lastin  Replaced:- [Hits:0 Misses:3]',
    );
  });

  it('refuses what makes the script fail, naming why', () => {
    const err = (o: PolicyOptions) => {
      const r = runPolicy(o);
      return r.ok ? 'ok' : r.error;
    };
    expect(err(options('LFU', [1], 3))).toBe('Policy LFU is not yet implemented');
    expect(err(options('FIFO', [1], 0))).toMatch(/cache size 0/);
    expect(err(options('FIFO', [], 3))).toMatch(/no references/);
    expect(err(options('FIFO', new Array(MAX_TRACED_REFS + 1).fill(1), 3))).toMatch(/use -N/);
  });

  it('formats the hit rate as Python does, half-to-even on exact ties', () => {
    expect([0.125, 0.375, 12.125, 100 / 3, 2.675, 100].map(fixed2)).toEqual([
      '0.12',
      '0.38',
      '12.12',
      '33.33',
      '2.67',
      '100.00',
    ]);
  });
});
