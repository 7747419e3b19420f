// `npm run -s vmscope -- <command>`: the simulation core, headless in Node.
//   scenarios                 list the built-in scenario ids
//   run <id> [--json] [--seed N] [--max-steps N]
//                             run a scenario; --json prints one event per line and a summary
//   run arch-compare [--va HEX] [--kind read|write|fetch] [--priv user|kernel] [--json]
//                             lesson 3: the program (or one access) on four MMUs side by side
//   compare <id> [--protocols linux,counter,arm-broadcast,riscv-sbi,invlpgb] [--json]
//                             the same workload under several shootdown protocols
//   translate <image.json>    run a machine image's accesses (docs in README), print JSON results
//   ostep multilevel|linear <problem.txt> | ostep policy [flags]
//                             solve an OSTEP homework problem exactly as its script does with -c
//   locks <id> [--json]       the scenario under each page-fault lock design: spin cycles per core
import { compareCommand } from './compare';
import { ostepCommand } from './ostep';
import { runCommand } from './run';
import { scenariosCommand } from './scenarios';
import { translateCommand } from './translate';
import { locksCommand } from './locks';

const USAGE =
  'usage: vmscope scenarios | vmscope run <id> [--json] [--seed N] [--max-steps N] | vmscope run arch-compare [--va HEX] [--kind read|write|fetch] [--priv user|kernel] [--json] | vmscope compare <id> [--protocols a,b,...] [--json] | vmscope translate <image.json> | vmscope ostep multilevel|linear <problem.txt> | vmscope ostep policy [flags]';
('usage: vmscope scenarios | vmscope run <id> [--json] [--seed N] [--max-steps N] | vmscope compare <id> [--protocols a,b,...] [--json] | vmscope translate <image.json> | vmscope ostep multilevel|linear <problem.txt> | vmscope ostep policy [flags] | vmscope locks <id> [--json]');

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  switch (cmd) {
    case 'scenarios':
      return scenariosCommand(rest, out);
    case 'run':
      return runCommand(rest, out);
    case 'compare':
      return compareCommand(rest, out);
    case 'translate':
      return translateCommand(rest, out);
    case 'ostep':
      return ostepCommand(rest, out);
    case 'locks':
      return locksCommand(rest, out);
    case undefined:
    case '-h':
    case '--help':
      out(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`vmscope: unknown command "${cmd.slice(0, 40)}"; ${USAGE}\n`);
      return 2;
  }
}

const code = main(process.argv.slice(2));
// Let stdout drain before exiting (large --json runs are piped).
process.stdout.write('', () => process.exit(code));
