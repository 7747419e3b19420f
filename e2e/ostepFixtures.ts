// Reads the OSTEP multilevel fixtures (the problem text, and the solution the script prints
// with -c) so the e2e tests compare the app with the script's own answers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface SolvedEntry {
  index: number;
  value: number;
  valid: boolean;
  pfn: number;
}

export interface SolvedVa {
  va: number;
  pde: SolvedEntry;
  pte: SolvedEntry | null;
  /** Physical address and value, or null for a fault. */
  pa: { pa: number; value: number } | null;
  fault: string | null;
}

export function fixtureText(name: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../src/scenarios/ostep/fixtures/multilevel/${name}`, import.meta.url)),
    'utf8',
  );
}

const ENTRY =
  /(pde|pte) index:0x([0-9a-f]+) \[decimal \d+\] \1 contents:0x([0-9a-f]+) \(valid (\d), pfn 0x([0-9a-f]+)/;

function entry(line: string): SolvedEntry {
  const m = ENTRY.exec(line);
  if (!m) throw new Error(`not an entry line: ${line}`);
  return {
    index: Number.parseInt(m[2] as string, 16),
    value: Number.parseInt(m[3] as string, 16),
    valid: m[4] === '1',
    pfn: Number.parseInt(m[5] as string, 16),
  };
}

/** The translations of a `<name>.solution.txt`, in order. */
export function readSolution(name: string): SolvedVa[] {
  const blocks: { va: number; lines: string[] }[] = [];
  for (const line of fixtureText(name).split('\n')) {
    const va = /^Virtual Address 0x([0-9a-f]+):$/.exec(line);
    if (va) blocks.push({ va: Number.parseInt(va[1] as string, 16), lines: [] });
    else blocks.at(-1)?.lines.push(line);
  }
  return blocks.map(({ va, lines }) => {
    const find = (re: RegExp) => lines.map((l) => re.exec(l)).find((m) => m !== null) ?? null;
    const pde = lines.find((l) => l.includes('--> pde'));
    const pte = lines.find((l) => l.includes('--> pte'));
    const pa = find(/Translates to Physical Address 0x([0-9a-f]+) --> Value: 0x([0-9a-f]+)/);
    const fault = find(/--> (Fault \(.*\))$/);
    if (pde === undefined) throw new Error(`no pde line for 0x${va.toString(16)}`);
    return {
      va,
      pde: entry(pde),
      pte: pte === undefined ? null : entry(pte),
      pa: pa
        ? { pa: Number.parseInt(pa[1] as string, 16), value: Number.parseInt(pa[2] as string, 16) }
        : null,
      fault: fault ? (fault[1] as string) : null,
    };
  });
}

export const hx = (n: number, width = 0) => `0x${n.toString(16).padStart(width, '0')}`;
