// The CLI as a user runs it: a real process, real stdout, real exit codes.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const tsx = ['node_modules/.bin/tsx', 'src/cli/main.ts'];

function vmscope(...args: string[]) {
  const r = spawnSync(tsx[0]!, [tsx[1]!, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('vmscope CLI', () => {
  it('lists the built-in scenario ids', () => {
    const out = execFileSync(tsx[0]!, [tsx[1]!, 'scenarios'], { encoding: 'utf8' });
    expect(out.trim().split('\n')).toContain('munmap-shootdown');
  });

  it('prints one JSON event per line and a summary that matches them', () => {
    const { code, out } = vmscope('run', 'munmap-shootdown', '--json');
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.pop()!;
    expect(summary.type).toBe('summary');
    for (const e of lines) {
      expect(typeof e.type).toBe('string');
      expect(typeof e.tick).toBe('number');
      expect(typeof e.step).toBe('number');
    }
    const count = (t: string) => lines.filter((e) => e.type === t).length;
    expect(summary).toEqual({
      type: 'summary',
      steps: lines[lines.length - 1]!.step,
      ticks: lines[lines.length - 1]!.tick,
      ipis: count('ipi.sent'),
      tlbHits: count('tlb.hit'),
      tlbMisses: count('tlb.miss'),
      faults: count('fault.raised'),
      violations: count('invariant.violated'),
    });
    expect(lines.filter((e) => e.type === 'ipi.sent').map((e) => e.to)).toEqual([1, 2]);
  });

  it('compares protocols on one workload: Linux skips the lazy core and the other mm, INVLPGB sends no IPI', () => {
    const { code, out } = vmscope(
      'compare',
      'protocol-compare',
      '--protocols',
      'linux,counter,invlpgb',
      '--json',
    );
    expect(code).toBe(0);
    const r = JSON.parse(out) as {
      runs: { protocol: string; ipis: number; violations: number; handlerCycles: number }[];
    };
    const by = Object.fromEntries(r.runs.map((x) => [x.protocol, x]));
    // Four one-page munmaps: Linux interrupts cores 1-3; the counter kernel also the lazy core 4
    // and core 5, which runs another process; INVLPGB interrupts nobody.
    expect(by['linux-x86']?.ipis).toBe(12);
    expect(by.counter?.ipis).toBe(20);
    expect(by['amd-invlpgb']).toMatchObject({ ipis: 0, handlerCycles: 0 });
    for (const x of r.runs) expect(x.violations).toBe(0);
  });

  it('compares the ARM64 broadcast and the RISC-V SBI fence with the x86 kernels, by full name', () => {
    const { code, out } = vmscope(
      'compare',
      'protocol-compare',
      '--protocols',
      'linux,counter,arm-broadcast,riscv-sbi,invlpgb',
      '--json',
    );
    expect(code).toBe(0);
    const r = JSON.parse(out) as {
      runs: {
        protocol: string;
        ipis: number;
        invalidations: number;
        violations: number;
        handlerCycles: number;
      }[];
    };
    expect(r.runs.map((x) => x.protocol)).toEqual([
      'linux-x86',
      'counter',
      'arm-broadcast',
      'riscv-sbi',
      'amd-invlpgb',
    ]);
    const by = Object.fromEntries(r.runs.map((x) => [x.protocol, x]));
    // ARM64: no IPI, no handler; counted like INVLPGB (4 local TLBIs, 16 entries dropped on cores 1-4).
    expect(by['arm-broadcast']).toMatchObject({ ipis: 0, handlerCycles: 0, invalidations: 20 });
    expect(by['amd-invlpgb']?.invalidations).toBe(20);
    // RISC-V: the firmware IPIs every other hart in mm_cpumask, the lazy core 4 too, never core 5.
    expect(by['riscv-sbi']?.ipis).toBe(16);
    expect(by['riscv-sbi']?.handlerCycles).toBeGreaterThan(0);
    for (const x of r.runs) expect(x.violations).toBe(0);
  });

  it('fails with one line and a non-zero exit on an unknown id or a bad argument', () => {
    for (const args of [
      ['run', 'nope'],
      ['run', 'munmap-shootdown', '--seed', 'x'],
      ['run'],
      ['frobnicate'],
      ['compare', 'munmap-shootdown', '--protocols', 'sparc'],
      ['compare', 'munmap-shootdown', '--protocols', 'Linux;rm'],
    ]) {
      const r = vmscope(...args);
      expect(r.code).not.toBe(0);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.out).toBe('');
    }
  });
});
