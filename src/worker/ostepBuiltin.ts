// The built-in OSTEP homework problems the app opens with: the text paging-multilevel-translate.py
// prints without -c, embedded in the bundle as a string (Vite's ?raw import of the fixture, so the
// app and the golden tests read the very same bytes).
import seed1 from '../scenarios/ostep/fixtures/multilevel/seed1.problem.txt?raw';
import type { OstepProblemId } from './protocol';

export const OSTEP_BUILTIN_TEXT: Readonly<Record<OstepProblemId, string>> = { seed1 };

/** How the built-in problems are named in the UI. */
export const OSTEP_BUILTIN_LABEL: Readonly<Record<OstepProblemId, string>> = {
  seed1: 'seed 1 (built in)',
};
