// `vmscope locks <id>`: the scenario under every fault-lock design, spinning cycles per core
// side by side (lesson page-lock-contention).
import { compareFaultLocks } from '../core/engine/compareLocks';
import { FAULT_LOCK_DESIGNS } from '../core/spec';
import { findScenario } from '../scenarios/index';
import { parseArgs } from './args';

export function locksCommand(args: string[], out: (s: string) => void): number {
  const fail = (msg: string) => {
    process.stderr.write(`vmscope locks: ${msg}\n`);
    return 2;
  };
  const p = parseArgs(args, { json: 'bool' });
  if (!p.ok) return fail(p.error);
  if (p.positional.length !== 1) return fail('give exactly one scenario id (see `vmscope scenarios`)');
  const id = p.positional[0] as string;
  const spec = findScenario(id);
  if (!spec) return fail(`unknown scenario "${id.slice(0, 60)}" (see \`vmscope scenarios\`)`);
  const designs = FAULT_LOCK_DESIGNS.filter((d) => d !== 'none');
  const r = compareFaultLocks(spec, designs);
  if (!r.ok) return fail(r.error);
  if (p.flags.json === true) {
    out(JSON.stringify({ type: 'locks', scenario: id, runs: r.runs }));
    return 0;
  }
  out(['core'.padEnd(8), ...r.runs.map((x) => x.design.padStart(14))].join(''));
  for (let core = 0; core < spec.machine.cores; core++) {
    out([String(core).padEnd(8), ...r.runs.map((x) => String(x.waits[core] ?? 0).padStart(14))].join(''));
  }
  out(['total'.padEnd(8), ...r.runs.map((x) => String(x.total).padStart(14))].join(''));
  out(['ticks'.padEnd(8), ...r.runs.map((x) => String(x.ticks).padStart(14))].join(''));
  return 0;
}
