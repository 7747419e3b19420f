// `vmscope locks` in process: both designs side by side, per core.
import { describe, expect, it } from 'vitest';
import { locksCommand } from './locks';

function locks(...args: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = locksCommand(args, (s) => lines.push(s));
  return { code, lines };
}

describe('vmscope locks', () => {
  it('prints each core spin cycles under the address-space lock and under per-page locks', () => {
    const { code, lines } = locks('page-lock-contention');
    expect(code).toBe(0);
    expect(lines[0]?.split(/\s+/)).toEqual(['core', 'mm-spinlock', 'page-lock']);
    const rows = lines.slice(1, 11).map((l) => l.trim().split(/\s+/).map(Number));
    expect(rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Per-page: nobody waits. One lock: ten distinct waits, one per place in line.
    expect(rows.every((r) => r[2] === 0)).toBe(true);
    expect(new Set(rows.map((r) => r[1])).size).toBe(10);
    const total = lines
      .find((l) => l.startsWith('total'))
      ?.trim()
      .split(/\s+/)
      .map(Number);
    expect(total?.[1]).toBe(rows.reduce((a, r) => a + (r[1] ?? 0), 0));
    expect(total?.[2]).toBe(0);
  });

  it('json: one object with both runs', () => {
    const { lines } = locks('page-lock-contention', '--json');
    const o = JSON.parse(lines[0] ?? '{}');
    expect(o.runs.map((r: { design: string }) => r.design)).toEqual(['mm-spinlock', 'page-lock']);
  });
});
