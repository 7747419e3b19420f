// The built-in lessons, by id. Each is plain data checked by the schema in the tests.
import type { LayoutHint, ScenarioSpec } from '../core/spec';
import { armBroadcast, riscvSbiFence } from './builtin/armBroadcast';
import { earlyAckBug, noLocalFlushBug, noWaitBug } from './builtin/brokenFlushes';
import { copyOnWrite } from './builtin/copyOnWrite';
import { cpumaskRace, cpumaskRaceBroken } from './builtin/cpumaskRace';
import { demandZero } from './builtin/demandZero';
import { flushCeiling } from './builtin/flushCeiling';
import { freeBeforeAckBug } from './builtin/freeBeforeAckBug';
import { hugePages } from './builtin/hugePages';
import { lazyTlb } from './builtin/lazyTlb';
import { mappedStacks, mappedStacksNoGuard } from './builtin/mappedStacks';
import { munmapShootdown } from './builtin/munmapShootdown';
import { noShootdownBug } from './builtin/noShootdownBug';
import { lazyPscBug, walkPsc } from './builtin/pagingStructureCaches';
import { protocolCompare } from './builtin/protocolCompare';
import { segfault } from './builtin/segfault';
import { swapOutIn } from './builtin/swapOutIn';
import { tlbHierarchy } from './builtin/tlbHierarchy';
import { upgradeLinux, upgradeNeedsNoIpi } from './builtin/upgradeNeedsNoIpi';
import { walkBasics } from './builtin/walkBasics';
import { kernelHalfShared } from './builtin/kernelHalfShared';
import { kpti } from './builtin/kpti';
import { recursiveMapping } from './builtin/recursiveMapping';
import { copyFromUserExtable, copyFromUserOops, copyFromUserPin } from './builtin/copyFromUserVsMunmap';
import { doubleFetch, doubleFetchFixed } from './builtin/doubleFetch';
import { pageLockContention, pageLockContentionPerPage } from './builtin/pageLockContention';
import { longRun1m, longRun100k } from './builtin/longRun';
import { stress16 } from './builtin/stress';

export const SCENARIOS: readonly ScenarioSpec[] = [
  munmapShootdown,
  walkBasics,
  hugePages,
  tlbHierarchy,
  noShootdownBug,
  freeBeforeAckBug,
  noLocalFlushBug,
  earlyAckBug,
  noWaitBug,
  lazyTlb,
  cpumaskRace,
  cpumaskRaceBroken,
  upgradeNeedsNoIpi,
  upgradeLinux,
  flushCeiling,
  armBroadcast,
  riscvSbiFence,
  protocolCompare,
  demandZero,
  segfault,
  copyOnWrite,
  mappedStacks,
  mappedStacksNoGuard,
  kernelHalfShared,
  kpti,
  recursiveMapping,
  copyFromUserExtable,
  copyFromUserPin,
  copyFromUserOops,
  doubleFetch,
  doubleFetchFixed,
  pageLockContention,
  pageLockContentionPerPage,
  walkPsc,
  lazyPscBug,
  swapOutIn,
];

/**
 * Load tests, not lessons: built-in runs for the benchmark (npm run bench:ui) that anyone can
 * open too. Kept out of SCENARIOS, whose every entry the lesson tests walk key moment by key
 * moment in the browser; they have tests of their own (loadTests.test.ts).
 */
export const LOAD_TESTS: readonly ScenarioSpec[] = [stress16, longRun100k, longRun1m];

export function findScenario(id: string): ScenarioSpec | undefined {
  return SCENARIOS.find((s) => s.id === id) ?? LOAD_TESTS.find((s) => s.id === id);
}

export interface ScenarioInfo {
  id: string;
  title: string;
  summary: string;
  /** The lesson's first layout of the panels, if it has one. */
  layout?: LayoutHint;
}

export function scenarioList(): ScenarioInfo[] {
  return [...SCENARIOS, ...LOAD_TESTS].map((s) => ({
    id: s.id,
    title: s.title,
    summary: s.summary,
    ...(s.layout ? { layout: s.layout } : {}),
  }));
}
