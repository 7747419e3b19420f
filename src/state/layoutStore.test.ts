import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioInfo } from '../scenarios/index';
import { dockTabOf } from './actions';
import { defaultLayout } from './layout';
import {
  collapseArea,
  followLessonLayout,
  layoutOf,
  lessonHintOf,
  resetLayout,
  resetSplit,
  resizeSplit,
  useLayout,
} from './layoutStore';
import { initialState, useVm } from './store';

const ROOM = { width: 1264, height: 530 };
/** Three lessons with the hints of the built-in ones (src/scenarios/layoutHints.test.ts checks those). */
const scenarios: ScenarioInfo[] = [
  { id: 'walk-basics', title: 'walk', summary: '', layout: { emphasis: 'pagetable' } },
  { id: 'munmap-shootdown', title: 'shootdown', summary: '', layout: { dock: 'ipi', emphasis: 'dock' } },
  { id: 'copy-on-write', title: 'cow', summary: '', layout: { dock: 'frames', emphasis: 'dock' } },
  { id: 'page-lock-contention', title: 'locks', summary: '', layout: { dock: 'cores' } },
];

describe('the layout a lesson opens with', () => {
  let stop: () => void = () => {};
  beforeEach(() => {
    useVm.setState({ ...initialState, scenarios });
    useLayout.setState({ lesson: defaultLayout(), user: null });
    stop = followLessonLayout();
  });
  afterEach(() => stop());

  it('follows the lesson loaded', () => {
    useVm.setState({ scenarioId: 'walk-basics' });
    expect(layoutOf(useLayout.getState())).toEqual(defaultLayout({ emphasis: 'pagetable' }));
    useVm.setState({ scenarioId: 'munmap-shootdown' });
    expect(layoutOf(useLayout.getState()).sizes.top).toBeLessThan(defaultLayout().sizes.top);
  });

  it("opens the lesson's dock tab until the user picks another", () => {
    const shown = (id: string) => dockTabOf({ ...useVm.getState(), scenarioId: id });
    expect(shown('copy-on-write')).toBe('frames');
    expect(shown('munmap-shootdown')).toBe('ipi');
    expect(shown('page-lock-contention')).toBe('cores');
    expect(dockTabOf({ ...useVm.getState(), scenarioId: 'copy-on-write', dockTab: 'stats' })).toBe('stats');
  });

  it("keeps the user's resizes and collapses across lessons until Reset layout", () => {
    useVm.setState({ scenarioId: 'walk-basics' });
    resizeSplit('pt', 0.3, ROOM);
    collapseArea('log', true);
    useVm.setState({ scenarioId: 'copy-on-write' });
    const mine = layoutOf(useLayout.getState());
    expect(mine.sizes.pt).toBeCloseTo(0.3, 9);
    expect(mine.collapsed).toEqual(['log']);
    resetLayout();
    expect(layoutOf(useLayout.getState())).toEqual(defaultLayout({ dock: 'frames', emphasis: 'dock' }));
    // Lessons lay themselves out again.
    useVm.setState({ scenarioId: 'walk-basics' });
    expect(layoutOf(useLayout.getState())).toEqual(defaultLayout({ emphasis: 'pagetable' }));
  });

  it("goes back to following lessons when the user's layout matches the lesson's again", () => {
    useVm.setState({ scenarioId: 'walk-basics' });
    collapseArea('tlb', true);
    expect(useLayout.getState().user).not.toBeNull();
    collapseArea('tlb', false);
    expect(useLayout.getState().user).toBeNull();
  });

  it('puts one splitter back where the lesson has it (Enter, double-click), clamped', () => {
    useVm.setState({ scenarioId: 'walk-basics' });
    resizeSplit('pt', 0.05, ROOM);
    resizeSplit('top', 0.62, ROOM);
    const clamped = layoutOf(useLayout.getState()).sizes.pt;
    expect(clamped).toBeGreaterThan(0.05);
    resetSplit('pt', ROOM);
    const l = layoutOf(useLayout.getState());
    expect(l.sizes.pt).toBe(defaultLayout({ emphasis: 'pagetable' }).sizes.pt);
    expect(l.sizes.top).toBeCloseTo(0.62, 9);
  });
});

describe('the lesson hint', () => {
  it('reaches the UI through the scenario list', () => {
    expect(lessonHintOf({ scenarios, scenarioId: 'copy-on-write' })?.dock).toBe('frames');
    expect(lessonHintOf({ scenarios, scenarioId: 'no-such-lesson' })).toBeUndefined();
  });
});
