import { scenarioList } from '../scenarios/index';

export function scenariosCommand(args: string[], out: (s: string) => void): number {
  const long = args.includes('--long');
  for (const s of scenarioList()) out(long ? `${s.id}\t${s.title}` : s.id);
  return 0;
}
