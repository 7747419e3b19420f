import { afterEach, describe, expect, it, vi } from 'vitest';
import { archCompareCommand } from './archCompare';
import { runCommand } from './run';

function run(args: string[]) {
  const lines: string[] = [];
  const code = archCompareCommand(args, (s) => lines.push(s));
  return { code, lines };
}

describe('vmscope run arch-compare', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is what `vmscope run arch-compare` runs', () => {
    const lines: string[] = [];
    expect(runCommand(['arch-compare'], (s) => lines.push(s))).toBe(0);
    expect(lines).toEqual(run([]).lines);
  });

  it('prints every access of the program on the four machines', () => {
    const { code, lines } = run([]);
    expect(code).toBe(0);
    const text = lines.join('\n');
    for (const t of [
      'x86-64, 4-level (9-9-9-9-12)',
      'x86-64, 5-level (9-9-9-9-9-12)',
      'RISC-V Sv39 (9-9-9-12)',
    ]) {
      expect(text).toContain(t);
    }
    expect(lines.filter((l) => l.includes('ARM64, 4 KiB granule (9-9-9-9-12)'))).toHaveLength(6);
    expect(text).toContain('=> store/AMO page fault (scause 15)');
    expect(text).toContain('bits 63:48 all 1: TTBR1_EL1');
  });

  it('walks one VA with --va/--kind/--priv, and --json gives the columns', () => {
    const { lines } = run(['--va', '0x602010', '--kind', 'write', '--priv', 'kernel', '--json']);
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0] as string) as {
      va: string;
      columns: { outcome: { ok: boolean; detail?: string } }[];
    };
    expect(r.va).toBe('0x602010');
    // A kernel write to a user page: SMAP, SUM=0 and PAN all refuse it.
    expect(r.columns.map((c) => c.outcome.ok)).toEqual([false, false, false, false]);
    expect(r.columns[3]?.outcome.detail).toMatch(/PAN/);
  });

  it('rejects a bad VA, kind or option with exit code 2 and one line naming it', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(run(['--va', '0x1ffffffffffffffff']).code).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/--va: expected a hex address/);
    expect(run(['--kind', 'exec']).code).toBe(2);
    expect(String(err.mock.calls[1]?.[0])).toMatch(/--kind must be one of read, write, fetch/);
    expect(run(['--seed', '3']).code).toBe(2);
  });
});
