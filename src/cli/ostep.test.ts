// `vmscope ostep ...`: the command functions with captured output, plus the real process for
// the wiring in main.ts and its exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ostepCommand } from './ostep';

const FIX = 'src/scenarios/ostep/fixtures';
const fixture = (p: string) => readFileSync(join(FIX, p), 'utf8');

function run(...args: string[]) {
  const lines: string[] = [];
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    const code = ostepCommand(args, (s) => lines.push(s));
    // `out` appends a newline to each call, as main.ts's does.
    return { code, out: lines.map((l) => `${l}\n`).join(''), err };
  } finally {
    spy.mockRestore();
  }
}

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'vmscope-ostep-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('vmscope ostep: solutions', () => {
  it('multilevel: prints exactly what the script prints with -c', () => {
    for (const seed of [1, 2, 3, 4, 5, 42]) {
      const r = run('multilevel', join(FIX, `multilevel/seed${seed}.problem.txt`));
      expect(r).toEqual({ code: 0, out: fixture(`multilevel/seed${seed}.solution.txt`), err: '' });
    }
  });

  it('linear: prints exactly what the script prints with -c', () => {
    for (const name of ['P1k_a16k_p32k_u50_s1', 'P4k_a64k_p512k_u75_s2', 'A_list_s8']) {
      const r = run('linear', join(FIX, `linear/${name}.problem.txt`));
      expect(r).toEqual({ code: 0, out: fixture(`linear/${name}.solution.txt`), err: '' });
    }
  });

  it('policy: the flags are the problem', () => {
    const belady = '1,2,3,4,1,2,5,1,2,3,4,5';
    for (const p of ['FIFO', 'LRU', 'MRU', 'OPT'])
      expect(run('policy', '-a', belady, '-p', p, '-C', '3')).toEqual({
        code: 0,
        out: fixture(`policy/belady_${p}_C3.txt`),
        err: '',
      });
    // Random reference strings and RAND/CLOCK replay CPython's generator.
    expect(run('policy', '-s', '7', '-n', '20', '-m', '8', '-p', 'OPT', '-C', '4').out).toBe(
      fixture('policy/s7_n20_m8_OPT_C4.txt'),
    );
    expect(run('policy', '-s', '8', '-n', '40', '-m', '10', '-p', 'CLOCK', '-C', '4').out).toBe(
      fixture('policy/s8_n40_m10_CLOCK_C4.txt'),
    );
    expect(run('policy').out).toBe(fixture('policy/default_FIFO.txt'));
  });

  it('policy -f reads the addresses from a file and echoes its path', () => {
    const path = join(FIX, 'policy/refs_mod7.txt');
    const want = fixture('policy/file_mod7_LRU_C4.txt').replace(
      'ARG addressfile refs_mod7.txt',
      `ARG addressfile ${path}`,
    );
    expect(run('policy', '-f', path, '-p', 'LRU', '-C', '4')).toEqual({ code: 0, out: want, err: '' });
  });
});

describe('vmscope ostep: bad input', () => {
  const oneLine = (r: { code: number; out: string; err: string }, code: number, re: RegExp) => {
    expect(r.code).toBe(code);
    expect(r.out).toBe('');
    expect(r.err.endsWith('\n')).toBe(true);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(re);
  };

  it('a truncated problem names the line where it stops', () => {
    const p = join(tmp, 'cut.txt');
    writeFileSync(p, fixture('multilevel/seed1.problem.txt').split('\n').slice(0, 100).join('\n'));
    oneLine(run('multilevel', p), 1, /cut\.txt: line 101: the problem ends early/);
    const q = join(tmp, 'cut-linear.txt');
    writeFileSync(q, fixture('linear/default_s0.problem.txt').split('\n').slice(0, 26).join('\n'));
    oneLine(run('linear', q), 1, /cut-linear\.txt: line 27: the problem ends early/);
  });

  it('garbage, binary data and the wrong kind of problem are refused', () => {
    const g = join(tmp, 'garbage.txt');
    writeFileSync(g, 'rm -rf /\n\u0007\u001b[31m');
    oneLine(run('multilevel', g), 1, /garbage\.txt: line 1: expected "ARG seed <integer>"/);
    const b = join(tmp, 'binary.bin');
    writeFileSync(b, Buffer.from([0, 1, 2, 255, 0]));
    oneLine(run('linear', b), 1, /NUL bytes/);
    oneLine(
      run('linear', join(FIX, 'multilevel/seed1.problem.txt')),
      1,
      /line 2: expected "ARG address space size/,
    );
  });

  it('an oversized file is refused from its size alone', () => {
    const big = join(tmp, 'big.txt');
    writeFileSync(big, 'x'.repeat(300 * 1024));
    oneLine(run('multilevel', big), 1, /big\.txt: 307200 bytes; the limit is 262144/);
    oneLine(run('policy', '-f', big), 1, /307200 bytes/);
  });

  it('a missing file or a directory is an error, not a crash', () => {
    oneLine(run('multilevel', join(tmp, 'nope.txt')), 1, /nope\.txt: ENOENT/);
    oneLine(run('linear', tmp), 1, /not a file/);
    oneLine(run('policy', '-f', join(tmp, 'nope.txt')), 1, /ENOENT/);
  });

  it('usage mistakes exit 2', () => {
    oneLine(run(), 2, /missing kind; usage: vmscope ostep/);
    oneLine(run('segmentation'), 2, /unknown kind "segmentation"/);
    oneLine(run('multilevel'), 2, /give exactly one problem file/);
    oneLine(run('linear', 'a.txt', 'b.txt'), 2, /give exactly one problem file/);
    oneLine(run('policy', '-Z'), 2, /no such option: -Z/);
    oneLine(run('policy', '-C'), 2, /-C option requires 1 argument/);
  });

  it('values the script cannot run exit 1, the unknown policy in its own words', () => {
    oneLine(run('policy', '-p', 'LFU', '-a', '1'), 1, /Policy LFU is not yet implemented/);
    oneLine(run('policy', '-C', 'three'), 1, /-C "three" is not an integer/);
    oneLine(run('policy', '-a', '1,two'), 1, /item 2/);
    oneLine(run('policy', '-C', '0', '-a', '1'), 1, /cache size 0/);
  });

  it('-h prints the usage', () => {
    expect(run('policy', '-h')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^usage: vmscope ostep/),
    });
  });
});

describe('vmscope ostep as a process', () => {
  const vmscope = (...args: string[]) => {
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('prints the solution on stdout and exits 0', () => {
    const r = vmscope('ostep', 'multilevel', join(FIX, 'multilevel/seed1.problem.txt'));
    expect(r).toEqual({ code: 0, out: fixture('multilevel/seed1.solution.txt'), err: '' });
  });

  it('exits 1 on bad input and 2 on a usage error, with one stderr line', () => {
    const bad = vmscope('ostep', 'linear', join(tmp, 'missing.txt'));
    expect([bad.code, bad.out, bad.err.trimEnd().split('\n').length]).toEqual([1, '', 1]);
    const usage = vmscope('ostep', 'policy', '--bogus');
    expect([usage.code, usage.out, usage.err.trimEnd().split('\n').length]).toEqual([2, '', 1]);
  });
});
