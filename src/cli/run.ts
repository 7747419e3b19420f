import { createTimeline, forward } from '../core/engine/timeline';
import { narrate } from '../core/view/narrate';
import { findScenario } from '../scenarios/index';
import { parseArgs } from './args';
import { ARCH_COMPARE_LESSON, archCompareCommand } from './archCompare';

export function runCommand(args: string[], out: (s: string) => void): number {
  // Lesson 3 compares four MMUs on one program: not a timeline of the simulated machine.
  if (args[0] === ARCH_COMPARE_LESSON) return archCompareCommand(args.slice(1), out);
  const p = parseArgs(args, { json: 'bool', seed: 'int', 'max-steps': 'int' });
  const fail = (msg: string) => {
    process.stderr.write(`vmscope run: ${msg}\n`);
    return 2;
  };
  if (!p.ok) return fail(p.error);
  if (p.positional.length !== 1) return fail('give exactly one scenario id (see `vmscope scenarios`)');
  const id = p.positional[0] as string;
  const spec = findScenario(id);
  if (!spec) return fail(`unknown scenario "${id.slice(0, 60)}" (see \`vmscope scenarios\`)`);
  const seed = typeof p.flags.seed === 'string' ? Number(p.flags.seed) : spec.seed;
  const maxSteps = typeof p.flags['max-steps'] === 'string' ? Number(p.flags['max-steps']) : 1_000_000;
  if (seed > 0xffffffff) return fail('--seed must fit in 32 bits');
  const r = createTimeline(spec, seed, 1 << 30);
  if (!r.ok) return fail(r.error);
  const tl = r.timeline;
  const json = p.flags.json === true;
  // Checkpoints are not needed for a straight run: drop the log as we go to keep memory flat.
  while (tl.m.step < maxSteps) {
    const events = forward(tl);
    if (events === null) break;
    for (const e of events)
      out(
        json
          ? JSON.stringify(e)
          : `${String(e.step).padStart(5)} ${String(e.tick).padStart(8)}  ${narrate(e)}`,
      );
    tl.log.length = 0;
  }
  const s = tl.m.stats;
  const summary = {
    type: 'summary',
    steps: tl.m.step,
    ticks: tl.m.tick,
    ipis: s.ipis,
    tlbHits: s.tlbHits,
    tlbMisses: s.tlbMisses,
    faults: s.faults,
    violations: s.violations,
  };
  out(
    json
      ? JSON.stringify(summary)
      : `\n${summary.steps} steps, ${summary.ticks} cycles, ${summary.ipis} IPIs, TLB ${summary.tlbHits} hits / ${summary.tlbMisses} misses, ${summary.faults} faults, ${summary.violations} violations`,
  );
  return 0;
}
