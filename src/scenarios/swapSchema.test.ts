// machine.swap in untrusted scenarios: bounded, and a readable error naming the field.
import { describe, expect, it } from 'vitest';
import { swapOutIn } from './builtin/swapOutIn';
import { validateScenario } from './schema';

function withSwap(swap: unknown): unknown {
  const s = structuredClone(swapOutIn) as unknown as { machine: Record<string, unknown> };
  s.machine.swap = swap;
  return s;
}

describe('machine.swap', () => {
  it('accepts each policy and the bounds', () => {
    for (const policy of ['clock', 'fifo', 'lru', 'opt', 'mru'])
      expect(validateScenario(withSwap({ slots: 1, policy })).ok).toBe(true);
    expect(validateScenario(withSwap({ slots: 1024, policy: 'lru' })).ok).toBe(true);
  });

  it('refuses too many or too few slots, an unknown policy, and unknown fields', () => {
    expect(validateScenario(withSwap({ slots: 1025, policy: 'lru' }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^machine\.swap\.slots: /),
    });
    expect(validateScenario(withSwap({ slots: 0, policy: 'lru' }))).toMatchObject({
      error: expect.stringMatching(/^machine\.swap\.slots: /),
    });
    expect(validateScenario(withSwap({ slots: 4, policy: 'random' }))).toMatchObject({
      error: expect.stringMatching(/^machine\.swap\.policy: /),
    });
    expect(validateScenario(withSwap({ slots: 4, policy: 'lru', size: 9 })).ok).toBe(false);
  });
});
