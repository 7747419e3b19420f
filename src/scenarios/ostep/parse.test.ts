// Untrusted input: every malformed problem or flag gives { ok: false } with one readable line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_PROBLEM_BYTES, parseLinearProblem, parseMultilevelProblem, parsePolicyArgs } from './parse';
import { pyInt } from './text';

const fixture = (p: string) =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url)), 'utf8');
const ml = fixture('multilevel/seed1.problem.txt');
const ln = fixture('linear/P1k_a16k_p32k_u50_s1.problem.txt');

function errorOf(r: { ok: true } | { ok: false; error: string }): string {
  if (r.ok) throw new Error('expected a parse error');
  expect(r.error.split('\n')).toHaveLength(1);
  return r.error;
}

describe('multilevel problem parser', () => {
  it('reads a problem: args, 4 KiB of memory, PDBR and the addresses', () => {
    const r = parseMultilevelProblem(ml);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.args).toEqual({ seed: '1', allocated: '64', num: '10' });
    expect(r.value.pdbr).toBe(17);
    expect(r.value.vas[0]).toBe(0x6c74);
    expect(r.value.memory.length).toBe(4096);
    expect(r.value.memory[6]).toBe(0xb2);
  });

  it('accepts CRLF line ends and a BOM', () => {
    const r = parseMultilevelProblem(`\uFEFF${ml.replaceAll('\n', '\r\n')}`);
    expect(r.ok).toBe(true);
  });

  it('names the line where a cut-off problem ends', () => {
    const lines = ml.split('\n');
    expect(errorOf(parseMultilevelProblem(lines.slice(0, 60).join('\n')))).toMatch(
      /^line 61: the problem ends early; expected "page {2}56:"/,
    );
    expect(errorOf(parseMultilevelProblem(lines.slice(0, 140).join('\n')))).toMatch(
      /^line 141: the problem ends early; expected virtual address 6 of 10/,
    );
  });

  it('rejects garbage, a solution given as a problem, and impossible values', () => {
    expect(errorOf(parseMultilevelProblem('hello\nworld'))).toMatch(/^line 1: expected "ARG seed <integer>"/);
    expect(errorOf(parseMultilevelProblem(''))).toMatch(/^line 1: the problem ends early/);
    expect(errorOf(parseMultilevelProblem(fixture('multilevel/seed1.solution.txt')))).toMatch(
      /^line 136: expected virtual address 1 of 10/,
    );
    expect(errorOf(parseMultilevelProblem(ml.replace('PDBR: 17 ', 'PDBR: 200 ')))).toMatch(
      /PDBR 200 is not one of/,
    );
    expect(errorOf(parseMultilevelProblem(ml.replace('page  12:', 'page  13:')))).toMatch(
      /^line 17: expected "page {2}12:"/,
    );
    expect(
      errorOf(parseMultilevelProblem(ml.replace('Virtual Address 6c74:', 'Virtual Address 8c74:'))),
    ).toMatch(/^line 136: .*15-bit/);
    expect(errorOf(parseMultilevelProblem(`${ml}more\n`))).toMatch(/^line 147: unexpected text/);
    expect(errorOf(parseMultilevelProblem(ml.replace('ARG num 10', 'ARG num 11')))).toMatch(
      /virtual address 11 of 11/,
    );
  });

  it('refuses oversized input before parsing it', () => {
    expect(errorOf(parseMultilevelProblem('x'.repeat(MAX_PROBLEM_BYTES + 1)))).toMatch(/limit/);
    expect(errorOf(parseLinearProblem(`${ln}${' '.repeat(MAX_PROBLEM_BYTES)}`))).toMatch(/limit/);
  });
});

describe('linear problem parser', () => {
  it('reads the table and the trace', () => {
    const r = parseLinearProblem(ln);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.args).toMatchObject({
      asize: '16k',
      psize: '32k',
      pagesize: '1k',
      verbose: true,
      addresses: '-1',
    });
    expect(r.value.pageTable.slice(0, 3)).toEqual([null, 0x18, null]);
    expect(r.value.vas).toHaveLength(10);
  });

  it('needs the closing instructions, so a cut-off trace is caught', () => {
    const lines = ln.split('\n');
    expect(errorOf(parseLinearProblem(lines.slice(0, 40).join('\n')))).toMatch(
      /^line 41: the problem ends early/,
    );
    expect(errorOf(parseLinearProblem(lines.slice(0, 25).join('\n')))).toMatch(
      /^line 26: the problem ends early; expected page-table entry 9 of 16/,
    );
  });

  it('rejects inconsistent tables, bad sizes and addresses the script would crash on', () => {
    expect(
      errorOf(parseLinearProblem(ln.replace('ARG address space size 16k', 'ARG address space size 8k'))),
    ).toMatch(/expected a blank line after the 8 page-table entries/);
    expect(errorOf(parseLinearProblem(ln.replace('ARG phys mem size 32k', 'ARG phys mem size 8k')))).toMatch(
      /GREATER than address space/,
    );
    expect(errorOf(parseLinearProblem(ln.replace('ARG page size 1k', 'ARG page size lots')))).toMatch(
      /"lots"/,
    );
    expect(errorOf(parseLinearProblem(ln.replace('0x80000018', '0x80000099')))).toMatch(/PFN below 32/);
    expect(errorOf(parseLinearProblem(ln.replace('0x80000018', '0x00000018')))).toMatch(/neither 0x00000000/);
    expect(errorOf(parseLinearProblem(ln.replace('[       1]', '[       7]')))).toMatch(
      /^line 18: expected page-table entry 1/,
    );
    expect(
      errorOf(
        parseLinearProblem(
          ln.replace('VA 0x00001865 (decimal:     6245)', 'VA 0x00004000 (decimal:    16384)'),
        ),
      ),
    ).toMatch(/past the 16-entry page table/);
    expect(errorOf(parseLinearProblem(ln.replace('(decimal:     6245)', '(decimal:     6246)')))).toMatch(
      /disagree/,
    );
    expect(errorOf(parseLinearProblem(ln.replace('ARG verbose True', 'ARG verbose yes')))).toMatch(
      /ARG verbose True/,
    );
  });
});

describe('policy flags', () => {
  const noFile = () => ({ ok: false as const, error: 'no files here' });
  const parse = (...argv: string[]) => parsePolicyArgs(argv, noFile);
  const opts = (...argv: string[]) => {
    const r = parse(...argv);
    if (!r.ok || r.help) throw new Error(r.ok ? 'help' : r.error);
    return r.options;
  };

  it("takes optparse's spellings: attached values, clusters, long names and unique prefixes", () => {
    const a = opts('-a1,2,3', '-cNC4', '--policy=LRU', '--clock', '0x3');
    expect(a.refs).toEqual({ kind: 'list', pages: [1, 2, 3] });
    expect(a.cacheSize).toBe(4);
    expect(a.args).toMatchObject({ notrace: true, policy: 'LRU', cachesize: '4', clockbits: '3' });
    // -a takes the next word even when it starts with '-': "-a -1" asks for random addresses.
    expect(opts('-a', '-1', '-n', '5').refs).toEqual({ kind: 'random', count: 5, maxPage: 10 });
    // The last of a repeated option wins.
    expect(opts('-p', 'OPT', '-p', 'MRU').policy).toBe('MRU');
    expect(opts('-b', '010').clockBits).toBe(8);
  });

  it('converts values like Python int()', () => {
    expect(opts('-a', ' 1, +2,3_0,-4').refs).toEqual({ kind: 'list', pages: [1, 2, 30, -4] });
    expect([
      pyInt('1_000'),
      pyInt(' -7\n'),
      pyInt('1__0'),
      pyInt(''),
      pyInt('0x10'),
      pyInt('0x10', 16),
    ]).toEqual([1000n, -7n, null, null, null, 16n]);
  });

  it('reports command-line mistakes as usage errors (optparse exits 2)', () => {
    for (const argv of [
      ['-x'],
      ['--nope'],
      ['--a'],
      ['-a'],
      ['--notrace=1'],
      ['extra'],
      ['-b', 'two'],
      ['-b', '08'],
    ]) {
      const r = parse(...argv);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.usage).toBe(true);
    }
    expect(parse('--addr', 'x')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ambiguous.*--addresses, --addressfile/),
    });
  });

  it('reports bad values as input errors (the script would crash: exit 1)', () => {
    for (const argv of [
      ['-C', 'big'],
      ['-a', '1,x'],
      ['-a', ''],
      ['-s', '1.5'],
      ['-n', ''],
      ['-f', 'refs.txt'],
      ['-m', '1e99'],
    ]) {
      const r = parse(...argv);
      expect(r).toMatchObject({ ok: false, usage: false });
    }
    expect(parse('-a', '1,,2')).toMatchObject({ error: expect.stringMatching(/item 2/) });
  });

  it('reads -f through the given reader, line by line like Python', () => {
    const r = parsePolicyArgs(['-f', 'refs'], () => ({ ok: true, text: '3\r\n 1 \r2\n' }));
    expect(r.ok && !r.help && r.options.refs).toEqual({ kind: 'list', pages: [3, 1, 2] });
    const blank = parsePolicyArgs(['-f', 'refs'], () => ({ ok: true, text: '3\n\n2\n' }));
    expect(blank).toMatchObject({ ok: false, error: expect.stringMatching(/item 2/) });
  });

  it('answers -h with help, whatever else is on the line', () => {
    expect(parse('-C', 'x', '-h')).toEqual({ ok: true, help: true });
  });
});
