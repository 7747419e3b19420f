// The shootdown cost curve (printed by `npm run bench`, drawn by the comparison view).
import { describe, expect, it } from 'vitest';
import { costCurve, CURVE_CORES, shootdownCost } from './costCurve';

const cycles = (p: Parameters<typeof costCurve>[0]) => {
  const r = costCurve(p);
  if (!r.ok) throw new Error(r.error);
  return r.points.map((x) => x.cycles);
};

describe('costCurve', () => {
  it('grows with the cores under Linux x86 (one more IPI per core) and stays flat under INVLPGB', () => {
    const linux = cycles('linux-x86');
    expect(linux).toHaveLength(CURVE_CORES.length);
    for (let i = 1; i < linux.length; i++) expect(linux[i] as number).toBeGreaterThan(linux[i - 1] as number);
    const amd = cycles('amd-invlpgb');
    expect(new Set(amd).size).toBe(1);
    // The hardware broadcast is cheaper than interrupting even one other core.
    expect(amd[0] as number).toBeLessThan(linux[0] as number);
  });

  it('has no point where no shootdown ends (the initiator never waits)', () => {
    expect(cycles('broken-no-wait').every((c) => c === null)).toBe(true);
  });

  it('is deterministic and refuses fewer than two cores as a value', () => {
    expect(shootdownCost(4, 'riscv-sbi')).toEqual(shootdownCost(4, 'riscv-sbi'));
    const r = shootdownCost(1, 'linux-x86');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/cores/);
  });
});
