// `vmscope compare` in process: the default protocol list, the short names, the text table.
import { describe, expect, it } from 'vitest';
import { compareCommand, DEFAULT_COMPARE } from './compare';

function compare(...args: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = compareCommand(args, (s) => lines.push(s));
  return { code, lines };
}

describe('vmscope compare', () => {
  it('runs every correct kernel of lesson protocol-compare by default, ARM64 and RISC-V included', () => {
    expect(DEFAULT_COMPARE).toEqual(['linux', 'counter', 'arm', 'riscv', 'invlpgb']);
    const { code, lines } = compare('protocol-compare');
    expect(code).toBe(0);
    expect(lines[0]?.split(/\s+/).slice(0, 3)).toEqual(['protocol', 'ipis', 'invalidations']);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([
      'linux-x86',
      'counter',
      'arm-broadcast',
      'riscv-sbi',
      'amd-invlpgb',
    ]);
  });

  it('accepts arm and riscv as short names, the same runs as the full names', () => {
    const short = compare('munmap-shootdown', '--protocols', 'arm,riscv', '--json');
    const full = compare('munmap-shootdown', '--protocols', 'arm-broadcast,riscv-sbi', '--json');
    expect(short.code).toBe(0);
    expect(short.lines).toEqual(full.lines);
    const runs = (JSON.parse(short.lines[0] ?? '{}') as { runs: { protocol: string; ipis: number }[] }).runs;
    // Lesson 10's munmap: ARM64 sends no IPI; the SBI firmware IPIs cores 1 and 2 (mm_cpumask).
    expect(runs.map((x) => [x.protocol, x.ipis])).toEqual([
      ['arm-broadcast', 0],
      ['riscv-sbi', 2],
    ]);
  });

  it('splits full flushes from page invalidations and counts the IPIs that arrived', () => {
    const { lines } = compare('flush-ceiling', '--protocols', 'linux,invlpgb', '--json');
    const runs = (
      JSON.parse(lines[0] ?? '{}') as {
        runs: {
          protocol: string;
          ipis: number;
          ipisReceived: number;
          fullFlushes: number;
          invalidations: number;
        }[];
      }
    ).runs;
    const linux = runs.find((r) => r.protocol === 'linux-x86');
    // flush-ceiling's 64-page munmap is above the 33-page ceiling: a full flush on each core.
    expect(linux?.fullFlushes).toBeGreaterThan(0);
    expect(linux?.fullFlushes).toBeLessThanOrEqual(linux?.invalidations ?? 0);
    expect(linux?.ipisReceived).toBe(linux?.ipis);
    expect(runs.find((r) => r.protocol === 'amd-invlpgb')?.ipisReceived).toBe(0);
  });
});
