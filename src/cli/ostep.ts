// `vmscope ostep multilevel|linear|policy`: print what OSTEP's homework scripts print with -c.
//   ostep multilevel <problem.txt>   paging-multilevel-translate.py's problem -> its solution
//   ostep linear <problem.txt>       paging-linear-translate.py's problem -> its solution
//   ostep policy [flags]             paging-policy.py -c with the same flags (-a -f -p -C -N ...)
// Bad input: one line on stderr, exit 1. A malformed command line: exit 2.
import { formatLinearSolution } from '../core/ostep/linear';
import { readCapped } from './readCapped';
import { formatMultilevelSolution } from '../core/ostep/multilevel';
import { formatPolicySolution, runPolicy } from '../core/ostep/policy';
import {
  MAX_PROBLEM_BYTES,
  parseLinearProblem,
  parseMultilevelProblem,
  parsePolicyArgs,
} from '../scenarios/ostep/parse';

export const OSTEP_USAGE =
  'usage: vmscope ostep multilevel <problem.txt> | vmscope ostep linear <problem.txt> | vmscope ostep policy [-a 1,2,3 | -f file] [-p FIFO|LRU|MRU|OPT|UNOPT|RAND|CLOCK] [-C size] [-N] [-s seed -n count -m maxpage] [-b clockbits]';

/** `out` adds the newline; the formatters return the script's stdout, final newline included. */
const emit = (out: (s: string) => void, text: string) => out(text.endsWith('\n') ? text.slice(0, -1) : text);

export function ostepCommand(args: string[], out: (s: string) => void): number {
  const [sub, ...rest] = args;
  const say = (code: number, msg: string) => {
    process.stderr.write(`vmscope ostep${sub && code === 1 ? ` ${sub}` : ''}: ${msg}\n`);
    return code;
  };
  if (sub === '-h' || sub === '--help') {
    out(OSTEP_USAGE);
    return 0;
  }
  if (sub === 'policy') {
    const p = parsePolicyArgs(rest, (path) => readCapped(path, MAX_PROBLEM_BYTES));
    if (!p.ok) return say(p.usage ? 2 : 1, p.usage ? `${p.error}; ${OSTEP_USAGE}` : p.error);
    if (p.help) {
      out(OSTEP_USAGE);
      return 0;
    }
    const run = runPolicy(p.options);
    if (!run.ok) return say(1, run.error);
    emit(out, formatPolicySolution(p.options, run.value));
    return 0;
  }
  if (sub !== 'multilevel' && sub !== 'linear')
    return say(
      2,
      `${sub === undefined ? 'missing' : `unknown`} kind${sub ? ` "${sub.slice(0, 40)}"` : ''}; ${OSTEP_USAGE}`,
    );
  if (rest.length !== 1 || (rest[0] as string).startsWith('-'))
    return say(2, `give exactly one problem file; ${OSTEP_USAGE}`);
  const path = rest[0] as string;
  const read = readCapped(path, MAX_PROBLEM_BYTES);
  if (!read.ok) return say(1, read.error);
  if (sub === 'multilevel') {
    const p = parseMultilevelProblem(read.text);
    if (!p.ok) return say(1, `${path}: ${p.error}`);
    emit(out, formatMultilevelSolution(p.value));
    return 0;
  }
  const p = parseLinearProblem(read.text);
  if (!p.ok) return say(1, `${path}: ${p.error}`);
  const text = formatLinearSolution(p.value);
  if (!text.ok) return say(1, `${path}: ${text.error}`);
  emit(out, text.text);
  return 0;
}
