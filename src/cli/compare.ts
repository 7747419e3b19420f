import { compareProtocols } from '../core/engine/compare';
import { PROTOCOLS, type Protocol } from '../core/spec';
import { findScenario } from '../scenarios/index';
import { parseArgs } from './args';

/** Short names accepted by --protocols. */
const ALIASES: Record<string, Protocol> = {
  linux: 'linux-x86',
  invlpgb: 'amd-invlpgb',
  arm: 'arm-broadcast',
  riscv: 'riscv-sbi',
};

/** What `compare` runs without --protocols: the correct kernels of lesson protocol-compare. */
export const DEFAULT_COMPARE = ['linux', 'counter', 'arm', 'riscv', 'invlpgb'];

export function compareCommand(args: string[], out: (s: string) => void): number {
  const fail = (msg: string) => {
    process.stderr.write(`vmscope compare: ${msg}\n`);
    return 2;
  };
  const p = parseArgs(args, { json: 'bool', protocols: 'list' });
  if (!p.ok) return fail(p.error);
  if (p.positional.length !== 1) return fail('give exactly one scenario id (see `vmscope scenarios`)');
  const id = p.positional[0] as string;
  const spec = findScenario(id);
  if (!spec) return fail(`unknown scenario "${id.slice(0, 60)}" (see \`vmscope scenarios\`)`);
  const names = typeof p.flags.protocols === 'string' ? p.flags.protocols.split(',') : DEFAULT_COMPARE;
  const protocols: Protocol[] = [];
  for (const n of names) {
    const proto = ALIASES[n] ?? (PROTOCOLS as readonly string[]).find((x) => x === n);
    if (!proto) {
      const known = [
        ...Object.keys(ALIASES),
        ...PROTOCOLS.filter((x) => !Object.values(ALIASES).includes(x)),
      ];
      return fail(`unknown protocol "${n.slice(0, 40)}"; known: ${known.join(', ')}`);
    }
    protocols.push(proto as Protocol);
  }
  const r = compareProtocols(spec, protocols);
  if (!r.ok) return fail(r.error);
  if (p.flags.json === true) {
    out(JSON.stringify({ type: 'compare', scenario: id, runs: r.runs }));
    return 0;
  }
  const cols = [
    'protocol',
    'ipis',
    'invalidations',
    'waitCycles',
    'handlerCycles',
    'ticks',
    'faults',
    'violations',
    'fullFlushes',
    'ipisReceived',
  ] as const;
  out(cols.map((c, i) => (i === 0 ? c.padEnd(24) : c.padStart(14))).join(''));
  for (const run of r.runs) {
    out(cols.map((c, i) => (i === 0 ? String(run[c]).padEnd(24) : String(run[c]).padStart(14))).join(''));
  }
  return 0;
}
