// The categorical colours that carry meaning on their own stay apart for the common colour-vision
// deficiencies, in both themes: the event log's categories (a coloured left border), the
// page-table levels (also named in text) and the processes (the frames' tint).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closestPair, deltaE, themes } from './palette.mjs';

const css = readFileSync(new URL('../src/ui/styles.css', import.meta.url), 'utf8');
const theme = themes(css);

/** CIE76 delta E under which two category colours are too easily confused. */
const APART = 12;

const SETS: Record<string, string[]> = {
  'log categories': ['cat-walk', 'cat-tlb', 'cat-ipi', 'cat-pte', 'cat-sched', 'cat-fault'],
  'page-table levels': ['lvl-5', 'lvl-4', 'lvl-3', 'lvl-2', 'lvl-1'],
  processes: ['proc-1', 'proc-2', 'proc-3', 'proc-4', 'proc-5', 'proc-6', 'proc-7'],
};

describe('the colour-vision simulation', () => {
  it('sees red and green apart normally, and close together with deuteranopia', () => {
    expect(deltaE('#d62728', '#2ca02c')).toBeGreaterThan(60);
    expect(deltaE('#d62728', '#2ca02c', 'deutan')).toBeLessThan(25);
    expect(deltaE('#0072b2', '#0072b2', 'protan')).toBe(0);
  });
});

for (const name of ['light', 'dark'] as const) {
  describe(`the ${name} theme`, () => {
    for (const [set, vars] of Object.entries(SETS)) {
      it(`keeps the ${set} apart for every vision`, () => {
        const p = closestPair(theme[name], vars);
        expect(p.dE, `--${p.a} and --${p.b} under ${p.vision}`).toBeGreaterThanOrEqual(APART);
      });
    }
  });
}
