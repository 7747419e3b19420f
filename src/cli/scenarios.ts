import { scenarioList } from '../scenarios/index';
import { ARCH_COMPARE_LESSON } from './archCompare';

export function scenariosCommand(args: string[], out: (s: string) => void): number {
  const long = args.includes('--long');
  for (const s of scenarioList()) out(long ? `${s.id}\t${s.title}` : s.id);
  // Lessons that `vmscope run` knows but that are not timelines of the simulated machine.
  out(
    long
      ? `${ARCH_COMPARE_LESSON}\tOne program on four MMUs: x86-64 4/5-level, RISC-V Sv39, ARM64`
      : ARCH_COMPARE_LESSON,
  );
  return 0;
}
