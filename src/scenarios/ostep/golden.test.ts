// Golden tests: every problem in ./fixtures, printed by the OSTEP scripts without -c, must
// solve to the byte-identical text the scripts print with -c. The policy fixtures carry their
// flags on their ARG lines, so the command line is rebuilt from them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLinearSolution } from '../../core/ostep/linear';
import { formatMultilevelSolution } from '../../core/ostep/multilevel';
import { formatPolicySolution, runPolicy } from '../../core/ostep/policy';
import { parseLinearProblem, parseMultilevelProblem, parsePolicyArgs } from './parse';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const read = (...p: string[]) => readFileSync(join(dir, ...p), 'utf8');
const problems = (kind: string) =>
  readdirSync(join(dir, kind))
    .filter((f) => f.endsWith('.problem.txt'))
    .map((f) => f.replace(/\.problem\.txt$/, ''));

describe('paging-multilevel-translate.py -c', () => {
  const names = problems('multilevel');
  it('has the given seeds and at least five more', () => expect(names.length).toBeGreaterThanOrEqual(10));
  it.each(names)('%s', (name) => {
    const p = parseMultilevelProblem(read('multilevel', `${name}.problem.txt`));
    if (!p.ok) throw new Error(p.error);
    expect(formatMultilevelSolution(p.value)).toBe(read('multilevel', `${name}.solution.txt`));
  });
});

describe('paging-linear-translate.py -c', () => {
  it.each(problems('linear'))('%s', (name) => {
    const p = parseLinearProblem(read('linear', `${name}.problem.txt`));
    if (!p.ok) throw new Error(p.error);
    const text = formatLinearSolution(p.value);
    if (!text.ok) throw new Error(text.error);
    expect(text.text).toBe(read('linear', `${name}.solution.txt`));
  });
});

/** The command line that printed a policy fixture, from its ARG lines. */
function argvFromArgLines(text: string): string[] {
  const arg = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`ARG ${name} `));
    if (line === undefined) throw new Error(`no ARG ${name}`);
    return line.slice(`ARG ${name} `.length);
  };
  const argv = ['-a', arg('addresses'), '-f', arg('addressfile'), '-n', arg('numaddrs'), '-p', arg('policy')];
  argv.push('-b', arg('clockbits'), '-C', arg('cachesize'), '-m', arg('maxpage'), '-s', arg('seed'));
  return arg('notrace') === 'True' ? [...argv, '-N'] : argv;
}

describe('paging-policy.py -c', () => {
  const files = readdirSync(join(dir, 'policy')).filter((f) => f.endsWith('.txt') && !f.startsWith('refs_'));
  it.each(files)('%s', (file) => {
    const want = read('policy', file);
    const p = parsePolicyArgs(argvFromArgLines(want), (path) => ({ ok: true, text: read('policy', path) }));
    if (!p.ok || p.help) throw new Error(p.ok ? 'help' : p.error);
    const run = runPolicy(p.options);
    if (!run.ok) throw new Error(run.error);
    expect(formatPolicySolution(p.options, run.value)).toBe(want);
  });
});
